//! The contract register: contracts with their supplier, the IT systems they
//! cover, value, dates and owner; derived deadlines (`dates`); search,
//! filters and sorting; optimistic concurrency; archive and restore; history;
//! read-only sharing with collaborations; attachments.

pub mod attachments;
pub mod dates;
pub mod import;
pub mod options;
pub mod overview;
mod query;

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, NotSet, QueryFilter, QueryOrder, Set,
};
use serde::Serialize;
use uuid::Uuid;

use crate::audit::{self, AuditEntry, Change};
use crate::db::{
    Db, Scope, as_shared_with_me, platform, scoped, scoped_delete, scoped_get, scoped_update,
};
use crate::entities::money::StoredAmount;
use crate::entities::{contract, contract_system, it_system, tenant};
use crate::error::{DomainError, DomainResult, FieldError};
use crate::policy::Action;
use crate::principal::{Principal, TenantId};
use crate::shares::{self, Share};
use crate::suppliers::{self, Supplier};
use crate::systems::tenant_for;
use crate::values::{Lines, bounded_date, optional_multiline_text, optional_text, required_text};
use crate::versioned::{self, Changes, Trail};
use dates::{NoticeTo, Terms};
pub use query::{ContractFilter, ContractScope, list_contracts};

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
    pub responsible_unit: Option<String>,
    pub supplier_contact: Option<String>,
    pub criticality: String,
    pub notes: Option<String>,
    pub notice_deadline: Option<NaiveDate>,
    pub effective_end: Option<NaiveDate>,
    pub latest_end: Option<NaiveDate>,
    pub retender_start: Option<NaiveDate>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub archived_at: Option<DateTime<Utc>>,
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
    pub responsible_unit: Option<String>,
    pub supplier_contact: Option<String>,
    pub criticality: Option<String>,
    pub notes: Option<String>,
}

/// The effective status on `today`.
pub fn status_on(m: &contract::Model, today: NaiveDate) -> String {
    if let Some(status) = &m.status_override {
        return status.clone();
    }
    if m.terminated_on.is_some_and(|d| d <= today) {
        "terminated".into()
    } else if m.effective_end.is_some_and(|d| d < today) {
        "expired".into()
    } else {
        "active".into()
    }
}

fn terms_of(m: &contract::Model) -> Terms {
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

pub fn today() -> NaiveDate {
    Utc::now().date_naive()
}

/// Validated contract fields, ready to store.
struct Valid {
    input: ContractInput,
    supplier: Supplier,
    contract_type: String,
    notice_to: String,
    criticality: String,
    start_on: NaiveDate,
}

fn check_code(
    errors: &mut Vec<FieldError>,
    field: &str,
    list: &options::OptionList,
    value: Option<&str>,
) {
    if let Some(value) = value
        && !list.contains(value)
    {
        errors.push(FieldError::new(
            field,
            "invalid",
            format!("one of: {}", list.codes()),
        ));
    }
}

fn check_money(errors: &mut Vec<FieldError>, field: &str, value: Option<Decimal>) {
    if let Some(value) = value {
        if value.is_sign_negative() {
            errors.push(FieldError::new(
                field,
                "out_of_range",
                "must not be negative",
            ));
        } else if value.normalize().scale() > 2 {
            errors.push(FieldError::new(
                field,
                "invalid",
                "at most two decimals (øre)",
            ));
        } else if value >= Decimal::from(100_000_000_000_000i64) {
            errors.push(FieldError::new(
                field,
                "out_of_range",
                "must be below 100,000,000,000,000",
            ));
        }
    }
}

fn check_months(errors: &mut Vec<FieldError>, field: &str, value: Option<u32>, max: u32) {
    if value.is_some_and(|v| v > max) {
        errors.push(FieldError::new(
            field,
            "out_of_range",
            format!("at most {max}"),
        ));
    }
}

/// A CPV code: eight digits and, optionally, a dash and the check digit.
fn valid_cpv(code: &str) -> bool {
    let (main, check) = code
        .split_once('-')
        .map_or((code, None), |(m, c)| (m, Some(c)));
    main.len() == 8
        && main.bytes().all(|b| b.is_ascii_digit())
        && check.is_none_or(|c| c.len() == 1 && c.bytes().all(|b| b.is_ascii_digit()))
}

async fn validate<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    id: Option<Uuid>,
    mut input: ContractInput,
) -> DomainResult<Valid> {
    let mut errors: Vec<FieldError> = Vec::new();
    match required_text("title", &input.title, 300) {
        Ok(title) => input.title = title,
        Err(e) => errors.push(e),
    }
    for (field, value, max, lines) in [
        ("reference", &mut input.reference, 100, Lines::Single),
        ("description", &mut input.description, 10_000, Lines::Multi),
        ("category", &mut input.category, 100, Lines::Single),
        (
            "framework_agreement",
            &mut input.framework_agreement,
            200,
            Lines::Single,
        ),
        (
            "price_regulation",
            &mut input.price_regulation,
            200,
            Lines::Single,
        ),
        ("system_owner", &mut input.system_owner, 200, Lines::Single),
        (
            "responsible_unit",
            &mut input.responsible_unit,
            200,
            Lines::Single,
        ),
        (
            "supplier_contact",
            &mut input.supplier_contact,
            200,
            Lines::Single,
        ),
        ("notes", &mut input.notes, 10_000, Lines::Multi),
    ] {
        let checked = match lines {
            Lines::Single => optional_text(field, value.as_deref(), max),
            Lines::Multi => optional_multiline_text(field, value.as_deref(), max),
        };
        match checked {
            Ok(clean) => *value = clean,
            Err(e) => errors.push(e),
        }
    }
    for (field, date) in [
        ("signed_on", &mut input.signed_on),
        ("start_on", &mut input.start_on),
        ("end_on", &mut input.end_on),
        ("irrevocable_until", &mut input.irrevocable_until),
        ("terminated_on", &mut input.terminated_on),
    ] {
        if let Some(Err(e)) = date.map(|d| bounded_date(field, d)) {
            errors.push(e);
            // Left out of the checks between dates below: it is refused already.
            *date = None;
        }
    }
    input.cpv_code = input
        .cpv_code
        .map(|c| c.trim().to_owned())
        .filter(|c| !c.is_empty());
    if input.cpv_code.as_deref().is_some_and(|c| !valid_cpv(c)) {
        errors.push(FieldError::new(
            "cpv_code",
            "invalid",
            "a CPV code is eight digits, e.g. 48000000-8",
        ));
    }
    check_code(
        &mut errors,
        "status",
        &options::STATUSES,
        input.status.as_deref(),
    );
    check_code(
        &mut errors,
        "contract_type",
        &options::CONTRACT_TYPES,
        input.contract_type.as_deref(),
    );
    check_code(
        &mut errors,
        "procedure",
        &options::PROCEDURES,
        input.procedure.as_deref(),
    );
    check_code(
        &mut errors,
        "payment_model",
        &options::PAYMENT_MODELS,
        input.payment_model.as_deref(),
    );
    check_code(
        &mut errors,
        "payment_frequency",
        &options::PAYMENT_FREQUENCIES,
        input.payment_frequency.as_deref(),
    );
    check_code(
        &mut errors,
        "notice_to",
        &options::NOTICE_TO,
        input.notice_to.as_deref(),
    );
    check_code(
        &mut errors,
        "criticality",
        &options::CRITICALITIES,
        input.criticality.as_deref(),
    );
    for element in &input.agreement_elements {
        check_code(
            &mut errors,
            "agreement_elements",
            &options::AGREEMENT_ELEMENTS,
            Some(element),
        );
    }
    input.agreement_elements.sort();
    input.agreement_elements.dedup();
    check_money(&mut errors, "annual_value", input.annual_value);
    check_money(&mut errors, "total_value", input.total_value);
    check_months(&mut errors, "option_months", input.option_months, 240);
    check_months(&mut errors, "options_total", input.options_total, 20);
    check_months(
        &mut errors,
        "notice_period_months",
        input.notice_period_months,
        120,
    );
    check_months(
        &mut errors,
        "retender_lead_months",
        input.retender_lead_months,
        120,
    );
    if input.options_exercised.unwrap_or(0) > input.options_total.unwrap_or(0) {
        errors.push(FieldError::new(
            "options_exercised",
            "out_of_range",
            "at most the number of options",
        ));
    }
    if input.options_total.unwrap_or(0) > 0 && input.option_months.unwrap_or(0) == 0 {
        errors.push(FieldError::new(
            "option_months",
            "required",
            "give the length of each option",
        ));
    }
    let start_on = match input.start_on {
        Some(start) => Some(start),
        None if errors.iter().any(|e| e.field == "start_on") => None,
        None => {
            errors.push(FieldError::new(
                "start_on",
                "required",
                "the start date is required",
            ));
            None
        }
    };
    if let (Some(start), Some(end)) = (start_on, input.end_on)
        && end < start
    {
        errors.push(FieldError::new(
            "end_on",
            "before_start",
            "the end date is before the start date",
        ));
    }
    if let (Some(start), Some(terminated)) = (start_on, input.terminated_on)
        && terminated < start
    {
        errors.push(FieldError::new(
            "terminated_on",
            "before_start",
            "the contract cannot end before it starts",
        ));
    }
    if let (Some(signed), Some(start)) = (input.signed_on, start_on)
        && dates::add_months(start, 120) < signed
    {
        errors.push(FieldError::new(
            "signed_on",
            "out_of_range",
            "signed more than ten years after the start",
        ));
    }

    let supplier = match input.supplier_id {
        None => {
            errors.push(FieldError::new(
                "supplier_id",
                "required",
                "choose the supplier (by CVR number)",
            ));
            None
        }
        Some(id) => match suppliers::get(conn, id).await {
            Ok(s) => Some(s),
            Err(DomainError::NotFound) => {
                errors.push(FieldError::new(
                    "supplier_id",
                    "unknown",
                    "no such supplier",
                ));
                None
            }
            Err(e) => return Err(e),
        },
    };

    input.system_ids.sort();
    input.system_ids.dedup();
    if !input.system_ids.is_empty() {
        let known: HashSet<Uuid> = scoped::<it_system::Entity>(tenant)
            .filter(it_system::Column::Id.is_in(input.system_ids.clone()))
            .all(conn)
            .await?
            .into_iter()
            .map(|s| s.id)
            .collect();
        if input.system_ids.iter().any(|id| !known.contains(id)) {
            errors.push(FieldError::new(
                "system_ids",
                "unknown",
                "an IT system that is not the municipality's",
            ));
        }
    }

    if let Some(parent) = input.parent_id {
        if Some(parent) == id {
            errors.push(FieldError::new(
                "parent_id",
                "cycle",
                "a contract cannot be its own main contract",
            ));
        } else {
            // Walk up from the parent; meeting this contract would close a cycle.
            let mut seen = HashSet::new();
            let mut cursor = Some(parent);
            while let Some(current) = cursor {
                if !seen.insert(current) {
                    break;
                }
                match scoped_get::<contract::Entity, _>(conn, tenant, current).await {
                    Ok(found) => {
                        if Some(found.id) == id {
                            errors.push(FieldError::new(
                                "parent_id",
                                "cycle",
                                "the main contract hangs under this contract",
                            ));
                            break;
                        }
                        cursor = found.parent_id;
                    }
                    Err(DomainError::NotFound) => {
                        if current == parent {
                            errors.push(FieldError::new(
                                "parent_id",
                                "unknown",
                                "no such contract in the municipality",
                            ));
                        }
                        break;
                    }
                    Err(e) => return Err(e),
                }
            }
        }
    }

    match (supplier, start_on, errors.is_empty()) {
        (Some(supplier), Some(start_on), true) => Ok(Valid {
            contract_type: input.contract_type.clone().unwrap_or_else(|| "main".into()),
            notice_to: input.notice_to.clone().unwrap_or_else(|| "none".into()),
            criticality: input.criticality.clone().unwrap_or_else(|| "normal".into()),
            supplier,
            start_on,
            input,
        }),
        _ => Err(DomainError::Validation(errors)),
    }
}

fn as_i32(value: Option<u32>, default: u32) -> i32 {
    i32::try_from(value.unwrap_or(default)).unwrap_or(i32::MAX)
}

/// The stored row for validated fields, with the derived dates computed.
fn model_of(
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
        responsible_unit: i.responsible_unit.clone(),
        supplier_contact: i.supplier_contact.clone(),
        criticality: valid.criticality.clone(),
        notes: i.notes.clone(),
        notice_deadline: None,
        effective_end: None,
        latest_end: None,
        retender_start: None,
        derived_on: now.date_naive(),
        search_text: String::new(),
        version: 1,
        created_by: None,
        created_at: now,
        updated_at: now,
        archived_at: None,
    };
    apply_derived(&mut model, now.date_naive());
    model.search_text = search_text(&model, &valid.supplier, system_names);
    model
}

fn apply_derived(model: &mut contract::Model, today: NaiveDate) {
    let derived = dates::derive(&terms_of(model), today);
    model.notice_deadline = derived.notice_deadline;
    model.effective_end = derived.effective_end;
    model.latest_end = derived.latest_end;
    model.retender_start = derived.retender_start;
    model.derived_on = today;
}

fn search_text(model: &contract::Model, supplier: &Supplier, systems: &[String]) -> String {
    let mut parts = vec![
        model.title.clone(),
        supplier.name.clone(),
        supplier.cvr.clone(),
    ];
    parts.extend(model.reference.clone());
    parts.extend(systems.iter().cloned());
    parts.join(" \u{1f} ").to_lowercase()
}

/// Builds the views of `models` as `viewer` sees them.
pub(crate) async fn views<C: ConnectionTrait>(
    conn: &C,
    viewer: TenantId,
    models: Vec<contract::Model>,
) -> DomainResult<Vec<Contract>> {
    let today = today();
    let owners: HashSet<Uuid> = models.iter().map(|m| m.tenant_id).collect();
    let tenants: HashMap<Uuid, tenant::Model> = platform::<tenant::Entity>()
        .filter(tenant::Column::Id.is_in(owners))
        .all(conn)
        .await?
        .into_iter()
        .map(|t| (t.id, t))
        .collect();
    let supplier_ids: HashSet<Uuid> = models.iter().map(|m| m.supplier_id).collect();
    let suppliers: HashMap<Uuid, Supplier> = platform::<crate::entities::supplier::Entity>()
        .filter(crate::entities::supplier::Column::Id.is_in(supplier_ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|s| (s.id, Supplier::from(s)))
        .collect();
    // Links and systems are the owner's rows: a reader of a shared contract
    // sees which of the owner's systems it covers by name, read as shared
    // with the reader (the callers found those contracts visible to it).
    let mut by_owner: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for m in &models {
        by_owner.entry(m.tenant_id).or_default().push(m.id);
    }
    let mut links = Vec::new();
    let mut systems: HashMap<Uuid, String> = HashMap::new();
    for (owner, contract_ids) in by_owner {
        let owner = TenantId(owner);
        let (owner_links, owner_systems) = if owner == viewer {
            (
                scoped::<contract_system::Entity>(owner),
                scoped::<it_system::Entity>(owner),
            )
        } else {
            (
                as_shared_with_me::<contract_system::Entity>(owner),
                as_shared_with_me::<it_system::Entity>(owner),
            )
        };
        let found = owner_links
            .filter(contract_system::Column::ContractId.is_in(contract_ids))
            .all(conn)
            .await?;
        let system_ids: HashSet<Uuid> = found.iter().map(|l| l.it_system_id).collect();
        if !system_ids.is_empty() {
            systems.extend(
                owner_systems
                    .filter(it_system::Column::Id.is_in(system_ids))
                    .all(conn)
                    .await?
                    .into_iter()
                    .map(|s| (s.id, s.name)),
            );
        }
        links.extend(found);
    }
    let mut covered: HashMap<Uuid, Vec<SystemRef>> = HashMap::new();
    for link in links {
        if let Some(name) = systems.get(&link.it_system_id) {
            covered
                .entry(link.contract_id)
                .or_default()
                .push(SystemRef {
                    id: link.it_system_id,
                    name: name.clone(),
                });
        }
    }
    let mut result = Vec::with_capacity(models.len());
    for m in models {
        let owner = tenants.get(&m.tenant_id).ok_or(DomainError::NotFound)?;
        let supplier = suppliers
            .get(&m.supplier_id)
            .cloned()
            .ok_or(DomainError::NotFound)?;
        let mut systems = covered.remove(&m.id).unwrap_or_default();
        systems.sort_by(|a, b| a.name.cmp(&b.name));
        result.push(Contract {
            status: status_on(&m, today),
            id: m.id,
            owner: Owner {
                id: owner.id,
                name: owner.name.clone(),
                municipality_code: owner.municipality_code.clone(),
            },
            shared_with_viewer: m.tenant_id != viewer.0,
            title: m.title,
            reference: m.reference,
            description: m.description,
            status_override: m.status_override,
            contract_type: m.contract_type,
            parent_id: m.parent_id,
            supplier,
            systems,
            category: m.category,
            cpv_code: m.cpv_code,
            agreement_elements: m
                .agreement_elements
                .split(',')
                .filter(|e| !e.is_empty())
                .map(str::to_owned)
                .collect(),
            procedure: m.procedure,
            framework_agreement: m.framework_agreement,
            annual_value: m.annual_value.map(|v| v.0),
            total_value: m.total_value.map(|v| v.0),
            payment_model: m.payment_model,
            payment_frequency: m.payment_frequency,
            price_regulation: m.price_regulation,
            signed_on: m.signed_on,
            start_on: m.start_on,
            end_on: m.end_on,
            irrevocable_until: m.irrevocable_until,
            option_months: m.option_months.max(0) as u32,
            options_total: m.options_total.max(0) as u32,
            options_exercised: m.options_exercised.max(0) as u32,
            notice_period_months: m.notice_period_months.max(0) as u32,
            notice_to: m.notice_to,
            terminated_on: m.terminated_on,
            retender_lead_months: m.retender_lead_months.max(0) as u32,
            system_owner: m.system_owner,
            responsible_unit: m.responsible_unit,
            supplier_contact: m.supplier_contact,
            criticality: m.criticality,
            notes: m.notes,
            notice_deadline: m.notice_deadline,
            effective_end: m.effective_end,
            latest_end: m.latest_end,
            retender_start: m.retender_start,
            version: m.version,
            created_at: m.created_at,
            updated_at: m.updated_at,
            archived_at: m.archived_at,
        });
    }
    Ok(result)
}

async fn one_view<C: ConnectionTrait>(
    conn: &C,
    viewer: TenantId,
    model: contract::Model,
) -> DomainResult<Contract> {
    views(conn, viewer, vec![model])
        .await?
        .pop()
        .ok_or(DomainError::NotFound)
}

async fn system_names<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    ids: &[Uuid],
) -> DomainResult<Vec<String>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(scoped::<it_system::Entity>(tenant)
        .filter(it_system::Column::Id.is_in(ids.to_vec()))
        .order_by_asc(it_system::Column::Name)
        .all(conn)
        .await?
        .into_iter()
        .map(|s| s.name)
        .collect())
}

async fn link_systems<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    id: Uuid,
    system_ids: &[Uuid],
) -> DomainResult<()> {
    scoped_delete::<contract_system::Entity>(tenant)
        .filter(contract_system::Column::ContractId.eq(id))
        .exec(conn)
        .await?;
    for system in system_ids {
        contract_system::ActiveModel {
            contract_id: Set(id),
            it_system_id: Set(*system),
            tenant_id: Set(tenant.0),
        }
        .insert(conn)
        .await?;
    }
    Ok(())
}

/// A contract the principal may read: its own municipality's, or one shared
/// with a collaboration both are active members of. `NotFound` otherwise.
pub async fn get_contract(db: &Db, principal: &Principal, id: Uuid) -> DomainResult<Contract> {
    let tenant = tenant_for(principal, Action::ReadContracts)?;
    let txn = db.read(Scope::Tenant(tenant)).await?;
    let model = readable(&txn, tenant, id).await?;
    let found = one_view(&txn, tenant, model).await?;
    txn.commit().await?;
    Ok(found)
}

async fn readable<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    id: Uuid,
) -> DomainResult<contract::Model> {
    match scoped_get::<contract::Entity, _>(conn, tenant, id).await {
        Ok(own) => Ok(own),
        Err(DomainError::NotFound) => {
            if let Some(owner) = shares::shared_owner(conn, tenant, KIND, id).await? {
                as_shared_with_me::<contract::Entity>(owner)
                    .filter(contract::Column::Id.eq(id))
                    .filter(contract::Column::ArchivedAt.is_null())
                    .one(conn)
                    .await?
                    .ok_or(DomainError::NotFound)
            } else {
                Err(DomainError::NotFound)
            }
        }
        Err(e) => Err(e),
    }
}

pub async fn create_contract(
    db: &Db,
    principal: &Principal,
    input: ContractInput,
) -> DomainResult<Contract> {
    let tenant = tenant_for(principal, Action::WriteContracts)?;
    let txn = db.write(Scope::Tenant(tenant)).await?;
    let valid = validate(&txn, tenant, None, input).await?;
    let id = Uuid::new_v4();
    let names = system_names(&txn, tenant, &valid.input.system_ids).await?;
    let mut model = model_of(&valid, tenant, id, &names, Utc::now());
    model.created_by = principal.actor_id();
    contract::ActiveModel::from(model).insert(&txn).await?;
    link_systems(&txn, tenant, id, &valid.input.system_ids).await?;
    let created = one_view(
        &txn,
        tenant,
        scoped_get::<contract::Entity, _>(&txn, tenant, id).await?,
    )
    .await?;
    record(
        &txn,
        principal,
        tenant,
        "contract.created",
        id,
        None,
        Some(&created),
    )
    .await?;
    txn.commit().await?;
    Ok(created)
}

/// Replaces a contract's fields. Needs the version last read (`If-Match`).
pub async fn update_contract(
    db: &Db,
    principal: &Principal,
    id: Uuid,
    expected_version: Option<i32>,
    input: ContractInput,
) -> DomainResult<Contract> {
    let tenant = tenant_for(principal, Action::WriteContracts)?;
    let txn = db.write(Scope::Tenant(tenant)).await?;
    let current = own_contract(&txn, tenant, id).await?;
    let current =
        versioned::check(current, expected_version, |m| one_view(&txn, tenant, m)).await?;
    if current.row().archived_at.is_some() {
        return Err(DomainError::conflict(
            "the contract is archived; restore it first",
        ));
    }
    let valid = validate(&txn, tenant, Some(id), input).await?;
    let names = system_names(&txn, tenant, &valid.input.system_ids).await?;
    let model = model_of(&valid, tenant, id, &names, Utc::now());
    // Every field the caller writes is replaced: the input is the contract
    // whole. Identity, creation and the version are not the caller's.
    let mut active = contract::ActiveModel::from(model).reset_all();
    active.id = NotSet;
    active.tenant_id = NotSet;
    active.version = NotSet;
    active.created_by = NotSet;
    active.created_at = NotSet;
    active.updated_at = NotSet;
    // The links are the contract's own rows: written first, they are undone
    // with the rest should the versioned write be refused.
    link_systems(&txn, tenant, id, &valid.input.system_ids).await?;
    let after = versioned::update(
        &txn,
        principal,
        current,
        Changes::tenant(tenant).set_model(active),
        trail(tenant),
        "contract.updated",
    )
    .await?;
    txn.commit().await?;
    Ok(after)
}

async fn own_contract<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    id: Uuid,
) -> DomainResult<contract::Model> {
    match scoped_get::<contract::Entity, _>(conn, tenant, id).await {
        Err(DomainError::NotFound) if shares::is_visible_to(conn, tenant, KIND, id).await? => Err(
            DomainError::Forbidden("a shared contract is read-only; only its owner changes it"),
        ),
        other => other,
    }
}

/// Archives (`archive = true`) or restores a contract, given the version the
/// caller last read (`If-Match`). Archived contracts leave lists and
/// deadlines but keep their history; nothing is deleted.
pub async fn set_archived(
    db: &Db,
    principal: &Principal,
    id: Uuid,
    expected_version: Option<i32>,
    archive: bool,
) -> DomainResult<Contract> {
    let tenant = tenant_for(principal, Action::WriteContracts)?;
    let txn = db.write(Scope::Tenant(tenant)).await?;
    let current = own_contract(&txn, tenant, id).await?;
    let current =
        versioned::check(current, expected_version, |m| one_view(&txn, tenant, m)).await?;
    let found = versioned::set_archived(
        &txn,
        principal,
        current,
        archive,
        Changes::tenant(tenant),
        trail(tenant),
    )
    .await?;
    txn.commit().await?;
    Ok(found)
}

/// Where changes to the tenant's contracts are recorded.
fn trail(tenant: TenantId) -> Trail<'static> {
    Trail {
        tenant: Some(tenant),
        kind: KIND,
    }
}

/// The contract's changes, newest first. The owner's users only.
pub async fn history(db: &Db, principal: &Principal, id: Uuid) -> DomainResult<Vec<AuditEntry>> {
    let tenant = tenant_for(principal, Action::ReadContracts)?;
    let txn = db.read(Scope::Tenant(tenant)).await?;
    scoped_get::<contract::Entity, _>(&txn, tenant, id).await?;
    let entries = audit::entries_of(&txn, tenant, KIND, id).await?;
    txn.commit().await?;
    Ok(entries)
}

/// The collaborations the owner has shared the contract with.
pub async fn list_shares(db: &Db, principal: &Principal, id: Uuid) -> DomainResult<Vec<Share>> {
    let tenant = tenant_for(principal, Action::ReadContracts)?;
    let txn = db.read(Scope::Tenant(tenant)).await?;
    scoped_get::<contract::Entity, _>(&txn, tenant, id).await?;
    let found = shares::shares_of(&txn, tenant, KIND, id).await?;
    txn.commit().await?;
    Ok(found)
}

pub async fn share(
    db: &Db,
    principal: &Principal,
    id: Uuid,
    collaboration_id: Uuid,
) -> DomainResult<Share> {
    let tenant = tenant_for(principal, Action::WriteContracts)?;
    let txn = db.write(Scope::Tenant(tenant)).await?;
    let current = own_contract(&txn, tenant, id).await?;
    if current.archived_at.is_some() {
        return Err(DomainError::conflict(
            "the contract is archived; restore it first",
        ));
    }
    let created = shares::share_object(
        &txn,
        tenant,
        KIND,
        id,
        collaboration_id,
        principal.actor_id(),
    )
    .await?;
    audit::record(
        &txn,
        principal,
        Some(tenant),
        Change {
            action: "contract.shared",
            object_kind: KIND,
            object_id: id,
            before: None,
            after: Some(serde_json::json!({ "collaboration_id": collaboration_id })),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(created)
}

pub async fn unshare(
    db: &Db,
    principal: &Principal,
    id: Uuid,
    collaboration_id: Uuid,
) -> DomainResult<()> {
    let tenant = tenant_for(principal, Action::WriteContracts)?;
    let txn = db.write(Scope::Tenant(tenant)).await?;
    own_contract(&txn, tenant, id).await?;
    shares::unshare_object(&txn, tenant, KIND, id, collaboration_id).await?;
    audit::record(
        &txn,
        principal,
        Some(tenant),
        Change {
            action: "contract.unshared",
            object_kind: KIND,
            object_id: id,
            before: Some(serde_json::json!({ "collaboration_id": collaboration_id })),
            after: None,
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

async fn record<C: ConnectionTrait>(
    conn: &C,
    principal: &Principal,
    tenant: TenantId,
    action: &str,
    id: Uuid,
    before: Option<&Contract>,
    after: Option<&Contract>,
) -> DomainResult<()> {
    audit::record(
        conn,
        principal,
        Some(tenant),
        Change {
            action,
            object_kind: KIND,
            object_id: id,
            before: before.and_then(|c| serde_json::to_value(c).ok()),
            after: after.and_then(|c| serde_json::to_value(c).ok()),
        },
    )
    .await
}

/// Recomputes the derived dates of the tenant's running contracts computed
/// before today (their earliest possible end moves with time).
pub(crate) async fn refresh_stale(db: &Db, tenant: TenantId) -> DomainResult<()> {
    let today = today();
    let stale = |q: sea_orm::Select<contract::Entity>| {
        q.filter(contract::Column::DerivedOn.lt(today))
            .filter(contract::Column::EndOn.is_null())
            .filter(contract::Column::TerminatedOn.is_null())
    };
    let txn = db.read(Scope::Tenant(tenant)).await?;
    let any = stale(scoped::<contract::Entity>(tenant))
        .one(&txn)
        .await?
        .is_some();
    txn.commit().await?;
    if !any {
        return Ok(());
    }
    let txn = db.write(Scope::Tenant(tenant)).await?;
    for mut model in stale(scoped::<contract::Entity>(tenant)).all(&txn).await? {
        apply_derived(&mut model, today);
        scoped_update::<contract::Entity>(tenant)
            .col_expr(
                contract::Column::NoticeDeadline,
                Expr::value(model.notice_deadline),
            )
            .col_expr(
                contract::Column::RetenderStart,
                Expr::value(model.retender_start),
            )
            .col_expr(contract::Column::DerivedOn, Expr::value(today))
            .filter(contract::Column::Id.eq(model.id))
            .exec(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpv_codes_are_eight_digits_with_an_optional_check_digit() {
        assert!(valid_cpv("48000000-8"));
        assert!(valid_cpv("72000000"));
        assert!(!valid_cpv("4800000"));
        assert!(!valid_cpv("48000000-88"));
        assert!(!valid_cpv("4800000x-8"));
    }

    #[test]
    fn money_has_at_most_two_decimals_and_no_sign() {
        let mut errors = Vec::new();
        check_money(&mut errors, "v", Some(Decimal::new(123_456_789, 2)));
        check_money(&mut errors, "v", Some(Decimal::new(10, 3)));
        assert!(errors.is_empty(), "{errors:?}");
        check_money(&mut errors, "v", Some(Decimal::new(1, 3)));
        check_money(&mut errors, "v", Some(Decimal::new(-1, 0)));
        assert_eq!(errors.len(), 2);
    }
}
