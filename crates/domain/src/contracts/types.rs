//! The contract as readers see it (`Contract`) and as writers give it
//! (`ContractInput`), and the object kind that names contracts elsewhere.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::Serialize;
use uuid::Uuid;

use crate::people::OwnerRef;
use crate::suppliers::Supplier;
use crate::templates::usage::{ContractTemplate, TemplateUseInput};

/// The object kind of contracts in shares and the audit trail.
pub const KIND: &str = "contract";

/// A municipality that owns a contract, as a reader of a shared contract sees it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Owner {
    pub id: Uuid,
    pub name: String,
    pub municipality_code: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct SystemRef {
    pub id: Uuid,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Contract {
    pub id: Uuid,
    pub owner: Owner,
    /// Seen through a share: read-only for the viewer.
    pub shared_with_viewer: bool,
    pub title: String,
    pub reference: Option<String>,
    pub description: Option<String>,
    /// Derived from the dates unless set explicitly.
    pub status: String,
    pub status_override: Option<String>,
    pub contract_type: String,
    pub parent_id: Option<Uuid>,
    pub supplier: Supplier,
    pub systems: Vec<SystemRef>,
    pub category: Option<String>,
    pub cpv_code: Option<String>,
    pub agreement_elements: Vec<String>,
    pub procedure: Option<String>,
    pub framework_agreement: Option<String>,
    pub annual_value: Option<Decimal>,
    pub total_value: Option<Decimal>,
    pub payment_model: Option<String>,
    pub payment_frequency: Option<String>,
    pub price_regulation: Option<String>,
    pub signed_on: Option<NaiveDate>,
    pub start_on: NaiveDate,
    pub end_on: Option<NaiveDate>,
    pub irrevocable_until: Option<NaiveDate>,
    pub option_months: u32,
    pub options_total: u32,
    pub options_exercised: u32,
    pub notice_period_months: u32,
    pub notice_to: String,
    pub terminated_on: Option<NaiveDate>,
    pub retender_lead_months: u32,
    pub system_owner: Option<String>,
    /// The user of the municipality who owns the contract; shown to the
    /// owning municipality only.
    pub owner_user: Option<OwnerRef>,
    pub responsible_unit: Option<String>,
    pub supplier_contact: Option<String>,
    pub criticality: String,
    pub notes: Option<String>,
    /// Published as open contracting data (OCDS).
    pub publishable: bool,
    pub notice_deadline: Option<NaiveDate>,
    pub effective_end: Option<NaiveDate>,
    pub latest_end: Option<NaiveDate>,
    pub retender_start: Option<NaiveDate>,
    /// The published template version it is based on, with values and deviations.
    pub template: Option<ContractTemplate>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub archived_at: Option<DateTime<Utc>>,
    /// The contract's uuid in the municipality's OS2Kitos, when imported from it.
    pub kitos_uuid: Option<Uuid>,
}

/// A contract as the caller writes it: every field, on create and on update.
#[derive(Debug, Clone, Default)]
pub struct ContractInput {
    pub title: String,
    pub reference: Option<String>,
    pub description: Option<String>,
    pub status: Option<String>,
    pub contract_type: Option<String>,
    pub parent_id: Option<Uuid>,
    pub supplier_id: Option<Uuid>,
    pub system_ids: Vec<Uuid>,
    pub category: Option<String>,
    pub cpv_code: Option<String>,
    pub agreement_elements: Vec<String>,
    pub procedure: Option<String>,
    pub framework_agreement: Option<String>,
    pub annual_value: Option<Decimal>,
    pub total_value: Option<Decimal>,
    pub payment_model: Option<String>,
    pub payment_frequency: Option<String>,
    pub price_regulation: Option<String>,
    pub signed_on: Option<NaiveDate>,
    pub start_on: Option<NaiveDate>,
    pub end_on: Option<NaiveDate>,
    pub irrevocable_until: Option<NaiveDate>,
    pub option_months: Option<u32>,
    pub options_total: Option<u32>,
    pub options_exercised: Option<u32>,
    pub notice_period_months: Option<u32>,
    pub notice_to: Option<String>,
    pub terminated_on: Option<NaiveDate>,
    pub retender_lead_months: Option<u32>,
    pub system_owner: Option<String>,
    /// An active user of the municipality; `None` for nobody.
    pub owner_user_id: Option<Uuid>,
    pub responsible_unit: Option<String>,
    pub supplier_contact: Option<String>,
    pub criticality: Option<String>,
    pub notes: Option<String>,
    /// Published as open contracting data (OCDS); off unless set.
    pub publishable: bool,
    /// The published template version it is based on; `None` for none.
    pub template: Option<TemplateUseInput>,
}

impl From<&Contract> for ContractInput {
    /// The contract as it is, written back whole: what a write that
    /// changes some fields starts from.
    fn from(c: &Contract) -> Self {
        ContractInput {
            title: c.title.clone(),
            reference: c.reference.clone(),
            description: c.description.clone(),
            status: c.status_override.clone(),
            contract_type: Some(c.contract_type.clone()),
            parent_id: c.parent_id,
            supplier_id: Some(c.supplier.id),
            system_ids: c.systems.iter().map(|s| s.id).collect(),
            category: c.category.clone(),
            cpv_code: c.cpv_code.clone(),
            agreement_elements: c.agreement_elements.clone(),
            procedure: c.procedure.clone(),
            framework_agreement: c.framework_agreement.clone(),
            annual_value: c.annual_value,
            total_value: c.total_value,
            payment_model: c.payment_model.clone(),
            payment_frequency: c.payment_frequency.clone(),
            price_regulation: c.price_regulation.clone(),
            signed_on: c.signed_on,
            start_on: Some(c.start_on),
            end_on: c.end_on,
            irrevocable_until: c.irrevocable_until,
            option_months: Some(c.option_months),
            options_total: Some(c.options_total),
            options_exercised: Some(c.options_exercised),
            notice_period_months: Some(c.notice_period_months),
            notice_to: Some(c.notice_to.clone()),
            terminated_on: c.terminated_on,
            retender_lead_months: Some(c.retender_lead_months),
            system_owner: c.system_owner.clone(),
            owner_user_id: c.owner_user.as_ref().map(|o| o.user_id),
            responsible_unit: c.responsible_unit.clone(),
            supplier_contact: c.supplier_contact.clone(),
            criticality: Some(c.criticality.clone()),
            notes: c.notes.clone(),
            publishable: c.publishable,
            template: c.template.as_ref().map(|t| TemplateUseInput {
                template_id: t.template_id,
                version_number: t.version_number,
                template_use: crate::templates::model::ContractTemplateUse {
                    values: t.values.clone(),
                    deviations: t.deviations.clone(),
                },
            }),
        }
    }
}

/// The Danish local date: the day the register's derived dates and
/// statuses are computed for.
pub fn today() -> NaiveDate {
    crate::clock::today()
}
