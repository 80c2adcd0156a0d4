//! The stored contract row: built from validated input, with the derived
//! dates, the effective status and the search text computed from it.

use chrono::{DateTime, NaiveDate, Utc};

use super::dates::{self, NoticeTo, Terms};
use super::validation::Valid;
use crate::entities::contract;
use crate::entities::money::StoredAmount;
use crate::principal::TenantId;
use crate::suppliers::Supplier;
use uuid::Uuid;

/// The effective status on `today`.
pub fn status_on(m: &contract::Model, today: NaiveDate) -> String {
    if let Some(status) = &m.status_override {
        return status.clone();
    }
    if m.terminated_on.is_some_and(|d| d <= today) {
        "terminated".into()
    } else if m.effective_end.is_some_and(|d| d < today) {
        "expired".into()
    } else if m.start_on > today {
        "not_started".into()
    } else {
        "active".into()
    }
}

pub(super) fn terms_of(m: &contract::Model) -> Terms {
    Terms {
        start: m.start_on,
        end: m.end_on,
        irrevocable_until: m.irrevocable_until,
        option_months: m.option_months.max(0) as u32,
        options_total: m.options_total.max(0) as u32,
        options_exercised: m.options_exercised.max(0) as u32,
        notice_period_months: m.notice_period_months.max(0) as u32,
        notice_to: notice_to(&m.notice_to),
        terminated_on: m.terminated_on,
        retender_lead_months: m.retender_lead_months.max(0) as u32,
    }
}

fn notice_to(code: &str) -> NoticeTo {
    match code {
        "month" => NoticeTo::Month,
        "quarter" => NoticeTo::Quarter,
        "year" => NoticeTo::Year,
        _ => NoticeTo::None,
    }
}

fn as_i32(value: Option<u32>, default: u32) -> i32 {
    i32::try_from(value.unwrap_or(default)).unwrap_or(i32::MAX)
}

/// The stored row for validated fields, with the derived dates computed.
pub(super) fn model_of(
    valid: &Valid,
    tenant: TenantId,
    id: Uuid,
    system_names: &[String],
    now: DateTime<Utc>,
) -> contract::Model {
    let i = &valid.input;
    let mut model = contract::Model {
        id,
        tenant_id: tenant.0,
        title: i.title.clone(),
        reference: i.reference.clone(),
        description: i.description.clone(),
        status_override: i.status.clone(),
        contract_type: valid.contract_type.clone(),
        parent_id: i.parent_id,
        supplier_id: valid.supplier.id,
        category: i.category.clone(),
        cpv_code: i.cpv_code.clone(),
        agreement_elements: i.agreement_elements.join(","),
        procedure: i.procedure.clone(),
        framework_agreement: i.framework_agreement.clone(),
        annual_value: i.annual_value.map(|v| StoredAmount(v.round_dp(2))),
        total_value: i.total_value.map(|v| StoredAmount(v.round_dp(2))),
        payment_model: i.payment_model.clone(),
        payment_frequency: i.payment_frequency.clone(),
        price_regulation: i.price_regulation.clone(),
        signed_on: i.signed_on,
        start_on: valid.start_on,
        end_on: i.end_on,
        irrevocable_until: i.irrevocable_until,
        option_months: as_i32(i.option_months, 0),
        options_total: as_i32(i.options_total, 0),
        options_exercised: as_i32(i.options_exercised, 0),
        notice_period_months: as_i32(i.notice_period_months, 0),
        notice_to: valid.notice_to.clone(),
        terminated_on: i.terminated_on,
        retender_lead_months: as_i32(i.retender_lead_months, 12),
        system_owner: i.system_owner.clone(),
        owner_user_id: i.owner_user_id,
        responsible_unit: i.responsible_unit.clone(),
        supplier_contact: i.supplier_contact.clone(),
        criticality: valid.criticality.clone(),
        notes: i.notes.clone(),
        publishable: i.publishable,
        notice_deadline: None,
        effective_end: None,
        latest_end: None,
        retender_start: None,
        notice_deadline_handled_on: None,
        retender_start_handled_on: None,
        derived_on: crate::clock::local_date(now),
        search_text: String::new(),
        version: 1,
        created_by: None,
        created_at: now,
        updated_at: now,
        archived_at: None,
        kitos_uuid: None,
    };
    apply_derived(&mut model, crate::clock::local_date(now));
    model.search_text = search_text(&model, &valid.supplier, system_names);
    model
}

pub(super) fn apply_derived(model: &mut contract::Model, today: NaiveDate) {
    let derived = dates::derive(&terms_of(model), today);
    model.notice_deadline = derived.notice_deadline;
    model.effective_end = derived.effective_end;
    model.latest_end = derived.latest_end;
    model.retender_start = derived.retender_start;
    model.derived_on = today;
}

pub(super) fn search_text(
    model: &contract::Model,
    supplier: &Supplier,
    systems: &[String],
) -> String {
    let mut parts = vec![
        model.title.clone(),
        supplier.name.clone(),
        supplier.cvr.clone(),
    ];
    parts.extend(model.reference.clone());
    parts.extend(systems.iter().cloned());
    parts.join(" \u{1f} ").to_lowercase()
}

/// A contract's row as the list and the read by id decode it: every column,
/// the empty ones without SeaORM's cost for them (`crate::decode`). A column
/// added to the model must be added here too (the struct is built whole).
#[derive(Debug)]
pub(super) struct ContractRow(pub contract::Model);

impl sea_orm::FromQueryResult for ContractRow {
    fn from_query_result(row: &sea_orm::QueryResult, pre: &str) -> Result<Self, sea_orm::DbErr> {
        Ok(Self::from_query_result_nullable(row, pre)?)
    }

    fn from_query_result_nullable(
        row: &sea_orm::QueryResult,
        pre: &str,
    ) -> Result<Self, sea_orm::TryGetError> {
        let c = crate::decode::Columns::new(row, pre);
        Ok(Self(contract::Model {
            id: c.required("id")?,
            tenant_id: c.required("tenant_id")?,
            title: c.required("title")?,
            reference: c.optional("reference")?,
            description: c.optional("description")?,
            status_override: c.optional("status_override")?,
            contract_type: c.required("contract_type")?,
            parent_id: c.optional("parent_id")?,
            supplier_id: c.required("supplier_id")?,
            category: c.optional("category")?,
            cpv_code: c.optional("cpv_code")?,
            agreement_elements: c.required("agreement_elements")?,
            procedure: c.optional("procedure")?,
            framework_agreement: c.optional("framework_agreement")?,
            annual_value: c.optional("annual_value")?,
            total_value: c.optional("total_value")?,
            payment_model: c.optional("payment_model")?,
            payment_frequency: c.optional("payment_frequency")?,
            price_regulation: c.optional("price_regulation")?,
            signed_on: c.optional("signed_on")?,
            start_on: c.required("start_on")?,
            end_on: c.optional("end_on")?,
            irrevocable_until: c.optional("irrevocable_until")?,
            option_months: c.required("option_months")?,
            options_total: c.required("options_total")?,
            options_exercised: c.required("options_exercised")?,
            notice_period_months: c.required("notice_period_months")?,
            notice_to: c.required("notice_to")?,
            terminated_on: c.optional("terminated_on")?,
            retender_lead_months: c.required("retender_lead_months")?,
            system_owner: c.optional("system_owner")?,
            owner_user_id: c.optional("owner_user_id")?,
            responsible_unit: c.optional("responsible_unit")?,
            supplier_contact: c.optional("supplier_contact")?,
            criticality: c.required("criticality")?,
            notes: c.optional("notes")?,
            publishable: c.required("publishable")?,
            notice_deadline: c.optional("notice_deadline")?,
            effective_end: c.optional("effective_end")?,
            latest_end: c.optional("latest_end")?,
            retender_start: c.optional("retender_start")?,
            notice_deadline_handled_on: c.optional("notice_deadline_handled_on")?,
            retender_start_handled_on: c.optional("retender_start_handled_on")?,
            derived_on: c.required("derived_on")?,
            search_text: c.required("search_text")?,
            version: c.required("version")?,
            created_by: c.optional("created_by")?,
            created_at: c.required("created_at")?,
            updated_at: c.required("updated_at")?,
            archived_at: c.optional("archived_at")?,
            kitos_uuid: c.optional("kitos_uuid")?,
        }))
    }
}
