//! Tender plans and their planned tenders as stored: who may read and write
//! them, creating and changing them, and the view of a planned tender with
//! its participants and everything computed from them (aggregate, threshold
//! verdict, back-planning, warnings).
//!
//! A plan belongs to a municipality (its editors and admins write it) or to
//! a collaboration (the editors and admins of its coordinators write it; its
//! members read it). Each participant's own part is in `participants`.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, PaginatorTrait, QueryFilter, QueryOrder,
    Select, Set,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::compute;
use super::model::{
    ContractKind, MilestoneKind, ParticipationStatus, Procedure, Severity, TenderStatus,
    WarningCode,
};
use crate::audit::{self, Change};
use crate::db::{
    Db, Scope, owned_delete, owned_get_readable, owned_readable, owned_update, owned_writable,
    platform,
};
use crate::entities::{
    collaboration, collaboration_member, planned_tender, tenant, tender_invitation,
    tender_milestone, tender_participation, tender_plan,
};
use crate::error::{DomainError, DomainResult, FieldError};
use crate::ownership::{Owner, Standing};
use crate::paging::{ChangeRead, Page, PageRequest};
use crate::policy::{Action, authorize};
use crate::principal::{Principal, TenantId};
use crate::reference;
use crate::values::{bounded_date, optional_multiline_text, optional_text, required_text};
use crate::versioned::{self, Changes, Trail};

/// Object kinds in the audit trail.
pub const PLAN_KIND: &str = "tender_plan";
pub const TENDER_KIND: &str = "planned_tender";

/// The acting municipality and its memberships.
pub(crate) struct Acting {
    pub tenant: TenantId,
    pub standing: Standing,
}

pub(crate) fn tenant_of(principal: &Principal, action: Action) -> DomainResult<TenantId> {
    match authorize(principal, action)? {
        Scope::Tenant(tenant) => Ok(tenant),
        Scope::System => Err(DomainError::Forbidden(
            "tender plans belong to municipalities",
        )),
    }
}

pub(crate) async fn acting<C: ConnectionTrait>(conn: &C, tenant: TenantId) -> DomainResult<Acting> {
    Ok(Acting {
        tenant,
        standing: Standing::of(conn, tenant).await?,
    })
}

fn owner_of(plan: &tender_plan::Model) -> Owner {
    Owner::of(plan.tenant_id, plan.collaboration_id)
}

/// A plan the acting municipality may read, else `NotFound`.
pub(crate) async fn readable_plan<C: ConnectionTrait>(
    conn: &C,
    acting: &Acting,
    id: Uuid,
) -> DomainResult<tender_plan::Model> {
    owned_get_readable::<tender_plan::Entity, _>(conn, &acting.standing, id).await
}

/// A plan the acting municipality may write: `NotFound` when it cannot see
/// it, `Forbidden` when it reads it as a member but does not coordinate.
pub(crate) async fn writable_plan<C: ConnectionTrait>(
    conn: &C,
    acting: &Acting,
    id: Uuid,
) -> DomainResult<tender_plan::Model> {
    let plan = readable_plan(conn, acting, id).await?;
    if !acting.standing.can_write(owner_of(&plan)) {
        return Err(DomainError::Forbidden(
            "only the collaboration's coordinators change its tender plans",
        ));
    }
    Ok(plan)
}

/// A planned tender of a readable plan.
pub(crate) async fn readable_tender<C: ConnectionTrait>(
    conn: &C,
    acting: &Acting,
    plan_id: Uuid,
    tender_id: Uuid,
) -> DomainResult<(tender_plan::Model, planned_tender::Model)> {
    let plan = readable_plan(conn, acting, plan_id).await?;
    let tender = owned_readable::<planned_tender::Entity>(&acting.standing)
        .filter(planned_tender::Column::Id.eq(tender_id))
        .filter(planned_tender::Column::PlanId.eq(plan.id))
        .one(conn)
        .await?
        .ok_or(DomainError::NotFound)?;
    Ok((plan, tender))
}

// ---------------------------------------------------------------- plans --

/// Who owns a plan, for display.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct PlanOwner {
    /// `municipality` or `collaboration`.
    pub kind: &'static str,
    pub id: Uuid,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Plan {
    pub id: Uuid,
    pub name: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub description: Option<String>,
    pub owner: PlanOwner,
    /// The caller may change the plan and its tenders.
    pub editable: bool,
    pub tender_count: u64,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub archived_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Default)]
pub struct PlanInput {
    pub name: String,
    pub period_start: Option<NaiveDate>,
    pub period_end: Option<NaiveDate>,
    pub description: Option<String>,
    /// On create only: the collaboration that owns the plan (the caller's
    /// municipality must coordinate it); none for the municipality's own.
    pub collaboration_id: Option<Uuid>,
}

struct ValidPlan {
    name: String,
    period_start: NaiveDate,
    period_end: NaiveDate,
    description: Option<String>,
}

fn validate_plan(input: &PlanInput) -> DomainResult<ValidPlan> {
    let mut errors = Vec::new();
    let name = required_text("name", &input.name, 200)
        .map_err(|e| errors.push(e))
        .ok();
    let description = optional_multiline_text("description", input.description.as_deref(), 10_000)
        .map_err(|e| errors.push(e))
        .ok()
        .flatten();
    let mut dates = [None, None];
    for (n, (field, value)) in [
        ("period_start", input.period_start),
        ("period_end", input.period_end),
    ]
    .into_iter()
    .enumerate()
    {
        match value {
            None => errors.push(FieldError::new(field, "required", "give the period")),
            Some(date) => match bounded_date(field, date) {
                Ok(date) => dates[n] = Some(date),
                Err(e) => errors.push(e),
            },
        }
    }
    if let [Some(start), Some(end)] = dates
        && end < start
    {
        errors.push(FieldError::new(
            "period_end",
            "before_start",
            "the period ends before it starts",
        ));
    }
    match (name, dates, errors.is_empty()) {
        (Some(name), [Some(period_start), Some(period_end)], true) => Ok(ValidPlan {
            name,
            period_start,
            period_end,
            description,
        }),
        _ => Err(DomainError::Validation(errors)),
    }
}

async fn plan_views<C: ConnectionTrait>(
    conn: &C,
    acting: &Acting,
    plans: Vec<tender_plan::Model>,
) -> DomainResult<Vec<Plan>> {
    let tenant_ids: HashSet<Uuid> = plans
        .iter()
        .filter(|p| p.collaboration_id.is_none())
        .map(|p| p.tenant_id)
        .collect();
    let names = tenant_names(conn, tenant_ids).await?;
    let collaboration_ids: HashSet<Uuid> =
        plans.iter().filter_map(|p| p.collaboration_id).collect();
    let collaborations: HashMap<Uuid, String> = platform::<collaboration::Entity>()
        .filter(collaboration::Column::Id.is_in(collaboration_ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|c| (c.id, c.name))
        .collect();
    let mut views = Vec::with_capacity(plans.len());
    for plan in plans {
        let tender_count = owned_readable::<planned_tender::Entity>(&acting.standing)
            .filter(planned_tender::Column::PlanId.eq(plan.id))
            .count(conn)
            .await?;
        let owner = match plan.collaboration_id {
            Some(id) => PlanOwner {
                kind: "collaboration",
                id,
                name: collaborations.get(&id).cloned().unwrap_or_default(),
            },
            None => PlanOwner {
                kind: "municipality",
                id: plan.tenant_id,
                name: names
                    .get(&plan.tenant_id)
                    .map(|t| t.name.clone())
                    .unwrap_or_default(),
            },
        };
        views.push(Plan {
            editable: acting.standing.can_write(owner_of(&plan)),
            id: plan.id,
            name: plan.name,
            period_start: plan.period_start,
            period_end: plan.period_end,
            description: plan.description,
            owner,
            tender_count,
            version: plan.version,
            created_at: plan.created_at,
            updated_at: plan.updated_at,
            archived_at: plan.archived_at,
        });
    }
    Ok(views)
}

async fn plan_view<C: ConnectionTrait>(
    conn: &C,
    acting: &Acting,
    plan: tender_plan::Model,
) -> DomainResult<Plan> {
    plan_views(conn, acting, vec![plan])
        .await?
        .pop()
        .ok_or(DomainError::NotFound)
}

/// The plans `acting` reads, archived ones only with `include_archived`.
fn readable_plans(acting: &Acting, include_archived: bool) -> Select<tender_plan::Entity> {
    let query = owned_readable::<tender_plan::Entity>(&acting.standing);
    if include_archived {
        query
    } else {
        query.filter(tender_plan::Column::ArchivedAt.is_null())
    }
}

/// The plans the caller's municipality reads: its own and those of its
/// collaborations, newest period first.
pub async fn list_plans(
    db: &Db,
    principal: &Principal,
    include_archived: bool,
) -> DomainResult<Vec<Plan>> {
    let tenant = tenant_of(principal, Action::ReadPlans)?;
    let txn = db.read(Scope::Tenant(tenant)).await?;
    let acting = acting(&txn, tenant).await?;
    let plans = readable_plans(&acting, include_archived)
        .order_by_desc(tender_plan::Column::PeriodStart)
        .order_by_asc(tender_plan::Column::Name)
        .order_by_asc(tender_plan::Column::Id)
        .all(&txn)
        .await?;
    let views = plan_views(&txn, &acting, plans).await?;
    txn.commit().await?;
    Ok(views)
}

/// One page of the plans [`list_plans`] shows, in order of last change,
/// for integrators' sync.
pub async fn list_plans_by_change(
    db: &Db,
    principal: &Principal,
    include_archived: bool,
    read: ChangeRead,
    page: PageRequest,
) -> DomainResult<Page<Plan>> {
    let tenant = tenant_of(principal, Action::ReadPlans)?;
    let txn = db.read(Scope::Tenant(tenant)).await?;
    let acting = acting(&txn, tenant).await?;
    let query = readable_plans(&acting, include_archived);
    let mut found = read.fetch(&txn, query, page).await?;
    let models = std::mem::take(&mut found.items);
    let items = plan_views(&txn, &acting, models).await?;
    txn.commit().await?;
    Ok(found.with_items(items))
}

pub async fn get_plan(db: &Db, principal: &Principal, id: Uuid) -> DomainResult<Plan> {
    let tenant = tenant_of(principal, Action::ReadPlans)?;
    let txn = db.read(Scope::Tenant(tenant)).await?;
    let acting = acting(&txn, tenant).await?;
    let plan = readable_plan(&txn, &acting, id).await?;
    let view = plan_view(&txn, &acting, plan).await?;
    txn.commit().await?;
    Ok(view)
}

pub async fn create_plan(db: &Db, principal: &Principal, input: PlanInput) -> DomainResult<Plan> {
    let tenant = tenant_of(principal, Action::WritePlans)?;
    let valid = validate_plan(&input)?;
    let txn = db.write(Scope::Tenant(tenant)).await?;
    let acting = acting(&txn, tenant).await?;
    if let Some(collaboration) = input.collaboration_id {
        if !acting.standing.member_of.contains(&collaboration) {
            return Err(DomainError::invalid(
                "collaboration_id",
                "unknown",
                "not a collaboration the municipality is an active member of",
            ));
        }
        if !acting.standing.coordinates.contains(&collaboration) {
            return Err(DomainError::Forbidden(
                "only the collaboration's coordinators create its tender plans",
            ));
        }
    }
    let now = Utc::now();
    let id = Uuid::new_v4();
    tender_plan::ActiveModel {
        id: Set(id),
        tenant_id: Set(tenant.0),
        collaboration_id: Set(input.collaboration_id),
        name: Set(valid.name),
        period_start: Set(valid.period_start),
        period_end: Set(valid.period_end),
        description: Set(valid.description),
        version: Set(1),
        created_by: Set(principal.actor_id()),
        created_at: Set(now),
        updated_at: Set(now),
        archived_at: Set(None),
    }
    .insert(&txn)
    .await?;
    let created = plan_view(&txn, &acting, readable_plan(&txn, &acting, id).await?).await?;
    record(
        &txn,
        principal,
        tenant,
        "tender_plan.created",
        PLAN_KIND,
        id,
        None,
        Some(&created),
    )
    .await?;
    txn.commit().await?;
    Ok(created)
}

/// Replaces a plan's name, period and description (`If-Match`).
pub async fn update_plan(
    db: &Db,
    principal: &Principal,
    id: Uuid,
    expected_version: Option<i32>,
    input: PlanInput,
) -> DomainResult<Plan> {
    let tenant = tenant_of(principal, Action::WritePlans)?;
    let txn = db.write(Scope::Tenant(tenant)).await?;
    let acting = acting(&txn, tenant).await?;
    let current = writable_plan(&txn, &acting, id).await?;
    let current =
        versioned::check(current, expected_version, |m| plan_view(&txn, &acting, m)).await?;
    if current.row().archived_at.is_some() {
        return Err(DomainError::conflict(
            "the plan is archived; restore it first",
        ));
    }
    if input
        .collaboration_id
        .is_some_and(|c| Some(c) != current.row().collaboration_id)
    {
        return Err(DomainError::invalid(
            "collaboration_id",
            "immutable",
            "a plan keeps its owner",
        ));
    }
    let valid = validate_plan(&input)?;
    let changes = Changes::new(
        owned_writable::<tender_plan::Entity>(&acting.standing),
        owned_update::<tender_plan::Entity>(&acting.standing),
    )
    .set(tender_plan::Column::Name, valid.name)
    .set(tender_plan::Column::PeriodStart, valid.period_start)
    .set(tender_plan::Column::PeriodEnd, valid.period_end)
    .set(tender_plan::Column::Description, valid.description);
    let after = versioned::update(
        &txn,
        principal,
        current,
        changes,
        plan_trail(tenant),
        "tender_plan.updated",
    )
    .await?;
    txn.commit().await?;
    Ok(after)
}

fn plan_trail(tenant: TenantId) -> Trail<'static> {
    Trail {
        tenant: Some(tenant),
        kind: PLAN_KIND,
    }
}

/// Archives (`archive`) or restores a plan (`If-Match`).
pub async fn set_plan_archived(
    db: &Db,
    principal: &Principal,
    id: Uuid,
    expected_version: Option<i32>,
    archive: bool,
) -> DomainResult<Plan> {
    let tenant = tenant_of(principal, Action::WritePlans)?;
    let txn = db.write(Scope::Tenant(tenant)).await?;
    let acting = acting(&txn, tenant).await?;
    let current = writable_plan(&txn, &acting, id).await?;
    let current =
        versioned::check(current, expected_version, |m| plan_view(&txn, &acting, m)).await?;
    let changes = Changes::new(
        owned_writable::<tender_plan::Entity>(&acting.standing),
        owned_update::<tender_plan::Entity>(&acting.standing),
    );
    let found = versioned::set_archived(
        &txn,
        principal,
        current,
        archive,
        changes,
        plan_trail(tenant),
    )
    .await?;
    txn.commit().await?;
    Ok(found)
}

// -------------------------------------------------------------- tenders --

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct TenantRef {
    pub id: Uuid,
    pub name: String,
    pub cvr: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct StatusChange {
    pub status: TenderStatus,
    pub changed_at: DateTime<Utc>,
    pub changed_by: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct MilestoneEntry {
    pub kind: MilestoneKind,
    pub date: NaiveDate,
    pub done: bool,
}

/// A contract a participant replaces, as it stated it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct ReplacedRef {
    pub id: Uuid,
    pub title: String,
    /// The latest day the contract can run (all options exercised).
    pub end_date: Option<NaiveDate>,
    pub notice_deadline: Option<NaiveDate>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ParticipantView {
    pub tenant: TenantRef,
    pub state: ParticipationStatus,
    pub estimated_value: Option<Decimal>,
    pub replaced_contracts: Vec<ReplacedRef>,
    pub reason: Option<String>,
    pub responded_at: Option<DateTime<Utc>>,
    pub responded_by: Option<String>,
    /// The version of the participant's own part (0 before its first answer).
    pub version: i32,
    /// The caller's municipality is this participant: it may answer.
    pub own: bool,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ThresholdView {
    pub kind: ContractKind,
    pub eur: Decimal,
    pub dkk: Decimal,
    /// The DKK value is EUR converted, the official one not yet published.
    pub dkk_converted: bool,
    pub applies_from: NaiveDate,
    pub applies_to: NaiveDate,
    /// The publication date the threshold was chosen for.
    pub publication_date: NaiveDate,
    pub above: bool,
    pub crosses_only_in_aggregate: bool,
    /// What it means, in Danish.
    pub consequence: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct BackplanView {
    /// The day the new contract must start.
    pub required_start: NaiveDate,
    /// The latest working day the contract notice can be sent.
    pub latest_publication: NaiveDate,
    /// Latest − planned publication in days; negative is late.
    pub slack_days: Option<i64>,
    /// The earliest notice deadline of the replaced contracts.
    pub notice_by: Option<NaiveDate>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct WarningView {
    pub code: WarningCode,
    pub severity: Severity,
    pub message: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct PlannedTender {
    pub id: Uuid,
    pub plan_id: Uuid,
    pub subject: String,
    pub description: Option<String>,
    pub category: Option<String>,
    pub cpv_code: Option<String>,
    pub cpv_label: Option<String>,
    pub procedure: Procedure,
    pub framework_agreement: Option<String>,
    pub contract_kind: ContractKind,
    pub lead_tenant: TenantRef,
    pub status: TenderStatus,
    pub status_history: Vec<StatusChange>,
    pub term_months: u32,
    pub option_months: u32,
    pub allows_late_joining: bool,
    pub evaluation_days: u32,
    pub milestones: Vec<MilestoneEntry>,
    pub participants: Vec<ParticipantView>,
    /// Sum over pending and confirmed participants.
    pub aggregate_value: Decimal,
    pub threshold: Option<ThresholdView>,
    pub backplan: Option<BackplanView>,
    pub warnings: Vec<WarningView>,
    pub editable: bool,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Default)]
pub struct MilestoneInput {
    pub kind: String,
    pub date: Option<NaiveDate>,
    pub done: bool,
}

#[derive(Debug, Clone, Default)]
pub struct TenderInput {
    pub subject: String,
    pub description: Option<String>,
    pub category: Option<String>,
    pub cpv_code: Option<String>,
    pub procedure: Option<String>,
    pub framework_agreement: Option<String>,
    pub contract_kind: Option<String>,
    pub lead_tenant_id: Option<Uuid>,
    pub status: Option<String>,
    pub term_months: Option<u32>,
    pub option_months: Option<u32>,
    pub allows_late_joining: Option<bool>,
    pub evaluation_days: Option<u32>,
    pub milestones: Vec<MilestoneInput>,
}

struct ValidTender {
    subject: String,
    description: Option<String>,
    category: Option<String>,
    cpv_code: Option<String>,
    procedure: Procedure,
    framework_agreement: Option<String>,
    contract_kind: ContractKind,
    lead_tenant_id: Uuid,
    status: TenderStatus,
    term_months: u32,
    option_months: u32,
    allows_late_joining: bool,
    evaluation_days: u32,
    milestones: Vec<MilestoneEntry>,
}

fn codes<T: Copy>(all: &[T], as_str: fn(T) -> &'static str) -> String {
    all.iter()
        .map(|v| as_str(*v))
        .collect::<Vec<_>>()
        .join(", ")
}

async fn validate_tender<C: ConnectionTrait>(
    conn: &C,
    acting: &Acting,
    plan: &tender_plan::Model,
    input: TenderInput,
) -> DomainResult<ValidTender> {
    let mut errors = Vec::new();
    let subject = required_text("subject", &input.subject, 300)
        .map_err(|e| errors.push(e))
        .ok();
    let description = optional_multiline_text("description", input.description.as_deref(), 10_000)
        .map_err(|e| errors.push(e))
        .ok()
        .flatten();
    let category = optional_text("category", input.category.as_deref(), 100)
        .map_err(|e| errors.push(e))
        .ok()
        .flatten();
    let framework_agreement = optional_text(
        "framework_agreement",
        input.framework_agreement.as_deref(),
        200,
    )
    .map_err(|e| errors.push(e))
    .ok()
    .flatten();
    let cpv_code = reference::check_cpv_field(conn, "cpv_code", input.cpv_code.as_deref())
        .await?
        .map_err(|e| errors.push(e))
        .ok()
        .flatten();
    let procedure = match input.procedure.as_deref() {
        None => {
            errors.push(FieldError::new(
                "procedure",
                "required",
                "choose the procedure",
            ));
            None
        }
        Some(code) => Procedure::parse(code).or_else(|| {
            errors.push(FieldError::new(
                "procedure",
                "invalid",
                format!("one of: {}", codes(Procedure::ALL, Procedure::as_str)),
            ));
            None
        }),
    };
    if matches!(
        procedure,
        Some(Procedure::FrameworkDirectAward | Procedure::FrameworkMiniCompetition)
    ) && framework_agreement.is_none()
    {
        errors.push(FieldError::new(
            "framework_agreement",
            "required",
            "name the framework agreement the tender calls off from",
        ));
    }
    let contract_kind = match input.contract_kind.as_deref() {
        None => Some(ContractKind::SuppliesServices),
        Some(code) => ContractKind::parse(code).or_else(|| {
            errors.push(FieldError::new(
                "contract_kind",
                "invalid",
                format!("one of: {}", codes(ContractKind::ALL, ContractKind::as_str)),
            ));
            None
        }),
    };
    let status = match input.status.as_deref() {
        None => Some(TenderStatus::Idea),
        Some(code) => TenderStatus::parse(code).or_else(|| {
            errors.push(FieldError::new(
                "status",
                "invalid",
                format!("one of: {}", codes(TenderStatus::ALL, TenderStatus::as_str)),
            ));
            None
        }),
    };
    for (field, value, max) in [
        ("term_months", input.term_months, 240),
        ("option_months", input.option_months, 240),
        ("evaluation_days", input.evaluation_days, 365),
    ] {
        if value.is_some_and(|v| v > max) {
            errors.push(FieldError::new(
                field,
                "out_of_range",
                format!("at most {max}"),
            ));
        }
    }
    if input.term_months == Some(0) {
        errors.push(FieldError::new("term_months", "out_of_range", "at least 1"));
    }
    let lead_tenant_id = input.lead_tenant_id.unwrap_or(acting.tenant.0);
    let lead_ok = match plan.collaboration_id {
        None => lead_tenant_id == plan.tenant_id,
        Some(collaboration) => active_member(conn, collaboration, lead_tenant_id).await?,
    };
    if !lead_ok {
        errors.push(FieldError::new(
            "lead_tenant_id",
            "unknown",
            "the lead municipality must be the plan's owner or a member of its collaboration",
        ));
    }
    let mut milestones: Vec<MilestoneEntry> = Vec::new();
    for (n, m) in input.milestones.iter().enumerate() {
        let Some(kind) = MilestoneKind::parse(&m.kind) else {
            errors.push(FieldError::new(
                format!("milestones[{n}].kind"),
                "invalid",
                format!(
                    "one of: {}",
                    codes(MilestoneKind::ALL, MilestoneKind::as_str)
                ),
            ));
            continue;
        };
        if milestones.iter().any(|e| e.kind == kind) {
            errors.push(FieldError::new(
                format!("milestones[{n}].kind"),
                "duplicate",
                "each milestone once",
            ));
            continue;
        }
        let field = format!("milestones[{n}].date");
        match m.date.map(|d| bounded_date(&field, d)) {
            None => errors.push(FieldError::new(field, "required", "give the date")),
            Some(Err(e)) => errors.push(e),
            Some(Ok(date)) => milestones.push(MilestoneEntry {
                kind,
                date,
                done: m.done,
            }),
        }
    }
    milestones.sort_by_key(|m| m.kind);
    match (subject, procedure, contract_kind, status, errors.is_empty()) {
        (Some(subject), Some(procedure), Some(contract_kind), Some(status), true) => {
            Ok(ValidTender {
                subject,
                description,
                category,
                cpv_code,
                procedure,
                framework_agreement,
                contract_kind,
                lead_tenant_id,
                status,
                term_months: input.term_months.unwrap_or(48),
                option_months: input.option_months.unwrap_or(0),
                allows_late_joining: input.allows_late_joining.unwrap_or(false),
                evaluation_days: input.evaluation_days.unwrap_or(30),
                milestones,
            })
        }
        _ => Err(DomainError::Validation(errors)),
    }
}

/// Whether `tenant` is an active member of `collaboration`.
pub(crate) async fn active_member<C: ConnectionTrait>(
    conn: &C,
    collaboration: Uuid,
    tenant: Uuid,
) -> DomainResult<bool> {
    Ok(platform::<collaboration_member::Entity>()
        .filter(collaboration_member::Column::CollaborationId.eq(collaboration))
        .filter(collaboration_member::Column::TenantId.eq(tenant))
        .filter(collaboration_member::Column::Status.eq("active"))
        .one(conn)
        .await?
        .is_some())
}

pub(crate) async fn tenant_names<C: ConnectionTrait>(
    conn: &C,
    ids: HashSet<Uuid>,
) -> DomainResult<HashMap<Uuid, TenantRef>> {
    Ok(platform::<tenant::Entity>()
        .filter(tenant::Column::Id.is_in(ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|t| {
            (
                t.id,
                TenantRef {
                    id: t.id,
                    name: t.name,
                    cvr: t.cvr,
                },
            )
        })
        .collect())
}

async fn write_milestones<C: ConnectionTrait>(
    conn: &C,
    acting: &Acting,
    tender: &planned_tender::Model,
    milestones: &[MilestoneEntry],
) -> DomainResult<()> {
    owned_delete::<tender_milestone::Entity>(&acting.standing)
        .filter(tender_milestone::Column::TenderId.eq(tender.id))
        .exec(conn)
        .await?;
    for m in milestones {
        tender_milestone::ActiveModel {
            tender_id: Set(tender.id),
            kind: Set(m.kind.as_str().to_owned()),
            tenant_id: Set(tender.tenant_id),
            collaboration_id: Set(tender.collaboration_id),
            on_date: Set(m.date),
            done: Set(m.done),
        }
        .insert(conn)
        .await?;
    }
    Ok(())
}

pub(crate) fn history_of(tender: &planned_tender::Model) -> Vec<StatusChange> {
    serde_json::from_str(&tender.status_history).unwrap_or_default()
}

/// The views of `tenders` (all of one readable plan) as `acting` sees them.
pub(crate) async fn tender_views<C: ConnectionTrait>(
    conn: &C,
    acting: &Acting,
    plan: &tender_plan::Model,
    tenders: Vec<planned_tender::Model>,
) -> DomainResult<Vec<PlannedTender>> {
    let ids: Vec<Uuid> = tenders.iter().map(|t| t.id).collect();
    let milestones = owned_readable::<tender_milestone::Entity>(&acting.standing)
        .filter(tender_milestone::Column::TenderId.is_in(ids.clone()))
        .all(conn)
        .await?;
    let invitations = owned_readable::<tender_invitation::Entity>(&acting.standing)
        .filter(tender_invitation::Column::TenderId.is_in(ids.clone()))
        .order_by_asc(tender_invitation::Column::InvitedAt)
        .order_by_asc(tender_invitation::Column::Id)
        .all(conn)
        .await?;
    let participations = owned_readable::<tender_participation::Entity>(&acting.standing)
        .filter(tender_participation::Column::TenderId.is_in(ids))
        .all(conn)
        .await?;
    let mut tenant_ids: HashSet<Uuid> = invitations
        .iter()
        .map(|i| i.participant_tenant_id)
        .collect();
    tenant_ids.extend(tenders.iter().map(|t| t.lead_tenant_id));
    let tenants = tenant_names(conn, tenant_ids).await?;
    let thresholds = reference::all_thresholds(conn).await?;
    let time_limits = reference::all_time_limits(conn).await?;
    let editable = acting.standing.can_write(owner_of(plan));
    let today = crate::clock::today();
    let mut views = Vec::with_capacity(tenders.len());
    for tender in tenders {
        let mut milestone_entries: Vec<MilestoneEntry> = milestones
            .iter()
            .filter(|m| m.tender_id == tender.id)
            .filter_map(|m| {
                Some(MilestoneEntry {
                    kind: MilestoneKind::parse(&m.kind)?,
                    date: m.on_date,
                    done: m.done,
                })
            })
            .collect();
        milestone_entries.sort_by_key(|m| m.kind);
        let participants: Vec<ParticipantView> = invitations
            .iter()
            .filter(|i| i.tender_id == tender.id)
            .map(|invitation| {
                let own = participations.iter().find(|p| {
                    p.tender_id == tender.id && p.tenant_id == invitation.participant_tenant_id
                });
                participant_view(
                    acting,
                    &tenants,
                    invitation.participant_tenant_id,
                    own,
                    Some(invitation),
                )
            })
            .collect();
        let procedure = Procedure::parse(&tender.procedure).unwrap_or(Procedure::Open);
        let contract_kind =
            ContractKind::parse(&tender.contract_kind).unwrap_or(ContractKind::SuppliesServices);
        let status = TenderStatus::parse(&tender.status).unwrap_or(TenderStatus::Idea);
        let computed = compute::evaluate(&compute::Facts {
            subject: &tender.subject,
            status,
            procedure,
            contract_kind,
            evaluation_days: tender.evaluation_days.max(0) as u32,
            milestones: &milestone_entries,
            participants: &participants,
            thresholds: &thresholds,
            time_limits: time_limits.iter().find(|l| l.procedure == procedure),
            today,
        });
        let cpv_label = match &tender.cpv_code {
            Some(code) => reference::cpv_label(conn, code).await?,
            None => None,
        };
        views.push(PlannedTender {
            id: tender.id,
            plan_id: tender.plan_id,
            status_history: history_of(&tender),
            subject: tender.subject,
            description: tender.description,
            category: tender.category,
            cpv_code: tender.cpv_code,
            cpv_label,
            procedure,
            framework_agreement: tender.framework_agreement,
            contract_kind,
            lead_tenant: tenants
                .get(&tender.lead_tenant_id)
                .cloned()
                .unwrap_or(TenantRef {
                    id: tender.lead_tenant_id,
                    name: String::new(),
                    cvr: None,
                }),
            status,
            term_months: tender.term_months.max(0) as u32,
            option_months: tender.option_months.max(0) as u32,
            allows_late_joining: tender.allows_late_joining,
            evaluation_days: tender.evaluation_days.max(0) as u32,
            milestones: milestone_entries,
            participants,
            aggregate_value: computed.aggregate_value,
            threshold: computed.threshold,
            backplan: computed.backplan,
            warnings: computed.warnings,
            editable,
            version: tender.version,
            created_at: tender.created_at,
            updated_at: tender.updated_at,
        });
    }
    Ok(views)
}

pub(crate) fn participant_view(
    acting: &Acting,
    tenants: &HashMap<Uuid, TenantRef>,
    tenant_id: Uuid,
    own: Option<&tender_participation::Model>,
    proposal: Option<&tender_invitation::Model>,
) -> ParticipantView {
    let tenant = tenants.get(&tenant_id).cloned().unwrap_or(TenantRef {
        id: tenant_id,
        name: String::new(),
        cvr: None,
    });
    match own {
        // Before its first answer, what the owner proposed (a tender
        // created from an opportunity), if anything.
        None => ParticipantView {
            tenant,
            state: ParticipationStatus::Pending,
            estimated_value: proposal.and_then(|i| i.proposed_value.map(|v| v.0)),
            replaced_contracts: proposal
                .and_then(|i| serde_json::from_str(&i.proposed_contracts).ok())
                .unwrap_or_default(),
            reason: None,
            responded_at: None,
            responded_by: None,
            version: 0,
            own: tenant_id == acting.tenant.0,
        },
        Some(p) => ParticipantView {
            tenant,
            state: ParticipationStatus::parse(&p.state).unwrap_or(ParticipationStatus::Pending),
            estimated_value: p.estimated_value.map(|v| v.0),
            replaced_contracts: serde_json::from_str(&p.replaced_contracts).unwrap_or_default(),
            reason: p.reason.clone(),
            responded_at: p.responded_at,
            responded_by: p.responded_by_label.clone(),
            version: p.version,
            own: tenant_id == acting.tenant.0,
        },
    }
}

pub(crate) async fn one_tender<C: ConnectionTrait>(
    conn: &C,
    acting: &Acting,
    plan: &tender_plan::Model,
    tender_id: Uuid,
) -> DomainResult<PlannedTender> {
    let (_, tender) = readable_tender(conn, acting, plan.id, tender_id).await?;
    tender_views(conn, acting, plan, vec![tender])
        .await?
        .pop()
        .ok_or(DomainError::NotFound)
}

#[derive(Debug, Clone, Default)]
pub struct TenderFilter {
    /// Only tenders this municipality is invited to.
    pub tenant_id: Option<Uuid>,
    pub status: Option<String>,
}

pub async fn list_tenders(
    db: &Db,
    principal: &Principal,
    plan_id: Uuid,
    filter: TenderFilter,
) -> DomainResult<Vec<PlannedTender>> {
    let tenant = tenant_of(principal, Action::ReadPlans)?;
    let status = match filter.status.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(code) => Some(TenderStatus::parse(code).ok_or_else(|| {
            DomainError::invalid(
                "status",
                "invalid",
                format!("one of: {}", codes(TenderStatus::ALL, TenderStatus::as_str)),
            )
        })?),
    };
    let txn = db.read(Scope::Tenant(tenant)).await?;
    let acting = acting(&txn, tenant).await?;
    let plan = readable_plan(&txn, &acting, plan_id).await?;
    let mut query = owned_readable::<planned_tender::Entity>(&acting.standing)
        .filter(planned_tender::Column::PlanId.eq(plan.id));
    if let Some(status) = status {
        query = query.filter(planned_tender::Column::Status.eq(status.as_str()));
    }
    if let Some(participant) = filter.tenant_id {
        let invited: Vec<Uuid> = owned_readable::<tender_invitation::Entity>(&acting.standing)
            .filter(tender_invitation::Column::ParticipantTenantId.eq(participant))
            .all(&txn)
            .await?
            .into_iter()
            .map(|i| i.tender_id)
            .collect();
        query = query.filter(planned_tender::Column::Id.is_in(invited));
    }
    let tenders = query
        .order_by_asc(planned_tender::Column::CreatedAt)
        .order_by_asc(planned_tender::Column::Id)
        .all(&txn)
        .await?;
    let views = tender_views(&txn, &acting, &plan, tenders).await?;
    txn.commit().await?;
    Ok(views)
}

pub async fn get_tender(
    db: &Db,
    principal: &Principal,
    plan_id: Uuid,
    tender_id: Uuid,
) -> DomainResult<PlannedTender> {
    let tenant = tenant_of(principal, Action::ReadPlans)?;
    let txn = db.read(Scope::Tenant(tenant)).await?;
    let acting = acting(&txn, tenant).await?;
    let plan = readable_plan(&txn, &acting, plan_id).await?;
    let view = one_tender(&txn, &acting, &plan, tender_id).await?;
    txn.commit().await?;
    Ok(view)
}

pub async fn create_tender(
    db: &Db,
    principal: &Principal,
    plan_id: Uuid,
    input: TenderInput,
) -> DomainResult<PlannedTender> {
    let tenant = tenant_of(principal, Action::WritePlans)?;
    let txn = db.write(Scope::Tenant(tenant)).await?;
    let acting = acting(&txn, tenant).await?;
    let plan = writable_plan(&txn, &acting, plan_id).await?;
    let id = insert_tender(&txn, principal, &acting, &plan, input).await?;
    let created = one_tender(&txn, &acting, &plan, id).await?;
    record(
        &txn,
        principal,
        tenant,
        "planned_tender.created",
        TENDER_KIND,
        id,
        None,
        Some(&created),
    )
    .await?;
    txn.commit().await?;
    Ok(created)
}

/// Validates and stores a new planned tender with its milestones in
/// `plan` (writable by `acting`, checked by the caller); its id. The caller
/// records the audit entry and commits.
pub(crate) async fn insert_tender<C: ConnectionTrait>(
    txn: &C,
    principal: &Principal,
    acting: &Acting,
    plan: &tender_plan::Model,
    input: TenderInput,
) -> DomainResult<Uuid> {
    if plan.archived_at.is_some() {
        return Err(DomainError::conflict(
            "the plan is archived; restore it first",
        ));
    }
    let valid = validate_tender(txn, acting, plan, input).await?;
    let now = Utc::now();
    let history = vec![StatusChange {
        status: valid.status,
        changed_at: now,
        changed_by: principal.actor_label(),
    }];
    let id = Uuid::new_v4();
    let model = planned_tender::ActiveModel {
        id: Set(id),
        tenant_id: Set(plan.tenant_id),
        collaboration_id: Set(plan.collaboration_id),
        plan_id: Set(plan.id),
        subject: Set(valid.subject),
        description: Set(valid.description),
        category: Set(valid.category),
        cpv_code: Set(valid.cpv_code),
        procedure: Set(valid.procedure.as_str().to_owned()),
        framework_agreement: Set(valid.framework_agreement),
        contract_kind: Set(valid.contract_kind.as_str().to_owned()),
        lead_tenant_id: Set(valid.lead_tenant_id),
        status: Set(valid.status.as_str().to_owned()),
        status_history: Set(serde_json::to_string(&history).unwrap_or_else(|_| "[]".into())),
        term_months: Set(valid.term_months as i32),
        option_months: Set(valid.option_months as i32),
        allows_late_joining: Set(valid.allows_late_joining),
        evaluation_days: Set(valid.evaluation_days as i32),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(txn)
    .await?;
    write_milestones(txn, acting, &model, &valid.milestones).await?;
    Ok(id)
}

/// Replaces a planned tender's fields and milestones (`If-Match`). A
/// change of status is added to the status history with its date.
pub async fn update_tender(
    db: &Db,
    principal: &Principal,
    plan_id: Uuid,
    tender_id: Uuid,
    expected_version: Option<i32>,
    input: TenderInput,
) -> DomainResult<PlannedTender> {
    let tenant = tenant_of(principal, Action::WritePlans)?;
    let txn = db.write(Scope::Tenant(tenant)).await?;
    let acting = acting(&txn, tenant).await?;
    let plan = writable_plan(&txn, &acting, plan_id).await?;
    let (_, current) = readable_tender(&txn, &acting, plan.id, tender_id).await?;
    let current = versioned::check(current, expected_version, |m| {
        tender_view(&txn, &acting, &plan, m)
    })
    .await?;
    if plan.archived_at.is_some() {
        return Err(DomainError::conflict(
            "the plan is archived; restore it first",
        ));
    }
    let valid = validate_tender(&txn, &acting, &plan, input).await?;
    let now = Utc::now();
    let mut history = history_of(current.row());
    if current.row().status != valid.status.as_str() {
        history.push(StatusChange {
            status: valid.status,
            changed_at: now,
            changed_by: principal.actor_label(),
        });
    }
    write_milestones(&txn, &acting, current.row(), &valid.milestones).await?;
    let changes = Changes::new(
        owned_writable::<planned_tender::Entity>(&acting.standing),
        owned_update::<planned_tender::Entity>(&acting.standing),
    )
    .set(planned_tender::Column::Subject, valid.subject)
    .set(planned_tender::Column::Description, valid.description)
    .set(planned_tender::Column::Category, valid.category)
    .set(planned_tender::Column::CpvCode, valid.cpv_code)
    .set(planned_tender::Column::Procedure, valid.procedure.as_str())
    .set(
        planned_tender::Column::FrameworkAgreement,
        valid.framework_agreement,
    )
    .set(
        planned_tender::Column::ContractKind,
        valid.contract_kind.as_str(),
    )
    .set(planned_tender::Column::LeadTenantId, valid.lead_tenant_id)
    .set(planned_tender::Column::Status, valid.status.as_str())
    .set(
        planned_tender::Column::StatusHistory,
        serde_json::to_string(&history).unwrap_or_else(|_| "[]".into()),
    )
    .set(planned_tender::Column::TermMonths, valid.term_months as i32)
    .set(
        planned_tender::Column::OptionMonths,
        valid.option_months as i32,
    )
    .set(
        planned_tender::Column::AllowsLateJoining,
        valid.allows_late_joining,
    )
    .set(
        planned_tender::Column::EvaluationDays,
        valid.evaluation_days as i32,
    );
    let after = versioned::update(
        &txn,
        principal,
        current,
        changes,
        Trail {
            tenant: Some(tenant),
            kind: TENDER_KIND,
        },
        "planned_tender.updated",
    )
    .await?;
    txn.commit().await?;
    Ok(after)
}

/// The view of one planned tender of `plan`, as read.
async fn tender_view<C: ConnectionTrait>(
    conn: &C,
    acting: &Acting,
    plan: &tender_plan::Model,
    tender: planned_tender::Model,
) -> DomainResult<PlannedTender> {
    tender_views(conn, acting, plan, vec![tender])
        .await?
        .pop()
        .ok_or(DomainError::NotFound)
}

#[allow(clippy::too_many_arguments)]
pub(crate) async fn record<C: ConnectionTrait, T: Serialize>(
    conn: &C,
    principal: &Principal,
    tenant: TenantId,
    action: &str,
    kind: &str,
    id: Uuid,
    before: Option<&T>,
    after: Option<&T>,
) -> DomainResult<()> {
    audit::record(
        conn,
        principal,
        Some(tenant),
        Change {
            action,
            object_kind: kind,
            object_id: id,
            before: before.and_then(|v| serde_json::to_value(v).ok()),
            after: after.and_then(|v| serde_json::to_value(v).ok()),
        },
    )
    .await
}
