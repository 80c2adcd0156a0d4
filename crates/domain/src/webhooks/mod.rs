//! Webhooks: a municipality admin registers endpoints that subscribe to
//! event types; each change writes its event to an outbox in the change's
//! own transaction (`enqueue`), with one delivery per subscribed endpoint,
//! so that a rolled-back change sends nothing and a crash loses nothing.
//! The dispatcher (`dispatch`) posts deliveries signed as Standard Webhooks
//! prescribe (`signing`), retries with backoff and keeps a log of every
//! attempt; `deadlines` writes the scheduled `deadline.approaching` events.
//!
//! Secrets are generated here, shown once (on creation and rotation) and
//! never returned again; they are stored sealed with the installation's
//! key (`secrets::SecretBox`), so that a copy of the database cannot sign.

pub mod deadlines;
pub mod dispatch;
pub mod signing;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde::Serialize;
use uuid::Uuid;

use crate::audit::{self, Change};
use crate::db::{Db, Scope, scoped, scoped_delete, scoped_get, scoped_update};
use crate::entities::{webhook_attempt, webhook_delivery, webhook_endpoint, webhook_event};
use crate::error::{DomainError, DomainResult, FieldError, check_version};
use crate::paging::{Page, PageRequest};
use crate::policy::{Action, authorize};
use crate::principal::{Principal, TenantId};
use crate::secrets::SecretBox;
use crate::versioned::{apply_next_version, next_version};

/// What happened, as an endpoint subscribes to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum EventType {
    #[serde(rename = "contract.created")]
    ContractCreated,
    #[serde(rename = "contract.updated")]
    ContractUpdated,
    #[serde(rename = "contract.archived")]
    ContractArchived,
    #[serde(rename = "contract.shared")]
    ContractShared,
    /// A contract's notice deadline is the endpoint's `days_before` days
    /// away or nearer (once per contract, deadline and endpoint).
    #[serde(rename = "deadline.approaching")]
    DeadlineApproaching,
    #[serde(rename = "template.created")]
    TemplateCreated,
    /// Its name, description or draft changed, or it was restored or
    /// updated from the template it was adopted from.
    #[serde(rename = "template.updated")]
    TemplateUpdated,
    /// A new version was published.
    #[serde(rename = "template.published")]
    TemplatePublished,
    /// Shared with a collaboration.
    #[serde(rename = "template.shared")]
    TemplateShared,
    #[serde(rename = "template.archived")]
    TemplateArchived,
    #[serde(rename = "tender_plan.created")]
    TenderPlanCreated,
    #[serde(rename = "tender_plan.updated")]
    TenderPlanUpdated,
    #[serde(rename = "tender_plan.archived")]
    TenderPlanArchived,
    #[serde(rename = "planned_tender.created")]
    PlannedTenderCreated,
    /// Its fields, milestones or participants changed.
    #[serde(rename = "planned_tender.updated")]
    PlannedTenderUpdated,
}

impl EventType {
    pub const ALL: [EventType; 15] = [
        EventType::ContractCreated,
        EventType::ContractUpdated,
        EventType::ContractArchived,
        EventType::ContractShared,
        EventType::DeadlineApproaching,
        EventType::TemplateCreated,
        EventType::TemplateUpdated,
        EventType::TemplatePublished,
        EventType::TemplateShared,
        EventType::TemplateArchived,
        EventType::TenderPlanCreated,
        EventType::TenderPlanUpdated,
        EventType::TenderPlanArchived,
        EventType::PlannedTenderCreated,
        EventType::PlannedTenderUpdated,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventType::ContractCreated => "contract.created",
            EventType::ContractUpdated => "contract.updated",
            EventType::ContractArchived => "contract.archived",
            EventType::ContractShared => "contract.shared",
            EventType::DeadlineApproaching => "deadline.approaching",
            EventType::TemplateCreated => "template.created",
            EventType::TemplateUpdated => "template.updated",
            EventType::TemplatePublished => "template.published",
            EventType::TemplateShared => "template.shared",
            EventType::TemplateArchived => "template.archived",
            EventType::TenderPlanCreated => "tender_plan.created",
            EventType::TenderPlanUpdated => "tender_plan.updated",
            EventType::TenderPlanArchived => "tender_plan.archived",
            EventType::PlannedTenderCreated => "planned_tender.created",
            EventType::PlannedTenderUpdated => "planned_tender.updated",
        }
    }

    /// The event an audited change of a template, tender plan or planned
    /// tender sends, if any. Contract events are enqueued by the contract
    /// use cases themselves; withdrawing a share is not an event.
    pub fn of_audit(object_kind: &str, action: &str) -> Option<Self> {
        let verb = action.rsplit_once('.').map_or(action, |(_, verb)| verb);
        let created = matches!(verb, "created" | "adopted" | "created_from_opportunity");
        Some(match object_kind {
            "template" => match verb {
                _ if created => EventType::TemplateCreated,
                "published" => EventType::TemplatePublished,
                "shared" => EventType::TemplateShared,
                "unshared" => return None,
                "archived" => EventType::TemplateArchived,
                _ => EventType::TemplateUpdated,
            },
            "tender_plan" => match verb {
                _ if created => EventType::TenderPlanCreated,
                "archived" => EventType::TenderPlanArchived,
                _ => EventType::TenderPlanUpdated,
            },
            "planned_tender" if created => EventType::PlannedTenderCreated,
            "planned_tender" => EventType::PlannedTenderUpdated,
            _ => return None,
        })
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == text)
    }

    fn parse_list(text: &str) -> Vec<Self> {
        text.split(',').filter_map(Self::parse).collect()
    }

    fn join(types: &[Self]) -> String {
        types
            .iter()
            .map(|t| t.as_str())
            .collect::<Vec<_>>()
            .join(",")
    }
}

/// Days before a notice deadline that `deadline.approaching` is sent, when
/// not chosen.
pub const DEFAULT_DAYS_BEFORE: i32 = 30;
const MAX_DAYS_BEFORE: i32 = 365;

pub const PENDING: &str = "pending";
pub const DELIVERED: &str = "delivered";
/// Given up: the endpoint failed for too long and was disabled.
pub const FAILED: &str = "failed";

/// Which endpoint addresses are accepted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UrlRules {
    /// Also `http://127.0.0.1`, `http://[::1]` and `http://localhost`
    /// (development and tests); otherwise HTTPS only.
    pub allow_loopback_http: bool,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Endpoint {
    pub id: Uuid,
    pub url: String,
    pub description: String,
    pub event_types: Vec<EventType>,
    pub days_before: i32,
    pub enabled: bool,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub secret_rotated_at: Option<DateTime<Utc>>,
    /// Since when every attempt has failed, while it keeps failing.
    pub failing_since: Option<DateTime<Utc>>,
    /// Set when the dispatcher disabled it after failing for too long.
    pub disabled_at: Option<DateTime<Utc>>,
    pub disabled_reason: Option<String>,
}

impl From<webhook_endpoint::Model> for Endpoint {
    fn from(m: webhook_endpoint::Model) -> Self {
        Self {
            id: m.id,
            url: m.url,
            description: m.description,
            event_types: EventType::parse_list(&m.event_types),
            days_before: m.days_before,
            enabled: m.enabled,
            version: m.version,
            created_at: m.created_at,
            updated_at: m.updated_at,
            secret_rotated_at: m.secret_rotated_at,
            failing_since: m.failing_since,
            disabled_at: m.disabled_at,
            disabled_reason: m.disabled_reason,
        }
    }
}

/// An endpoint with its signing secret: shown this once.
#[derive(Debug, Clone)]
pub struct IssuedEndpoint {
    pub endpoint: Endpoint,
    pub secret: String,
}

/// What an admin gives for a new endpoint.
#[derive(Debug, Clone)]
pub struct NewEndpoint {
    pub url: String,
    pub description: Option<String>,
    pub event_types: Vec<EventType>,
    pub days_before: Option<i32>,
    pub enabled: Option<bool>,
}

/// The fields to change; `None` leaves one as it is.
#[derive(Debug, Clone, Default)]
pub struct EndpointPatch {
    pub url: Option<String>,
    pub description: Option<String>,
    pub event_types: Option<Vec<EventType>>,
    pub days_before: Option<i32>,
    /// Enabling an endpoint the dispatcher disabled starts it afresh.
    pub enabled: Option<bool>,
}

/// One attempt to deliver, as the log shows it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Attempt {
    pub id: Uuid,
    pub attempted_at: DateTime<Utc>,
    pub duration_ms: i32,
    pub status_code: Option<i32>,
    pub succeeded: bool,
    pub error: Option<String>,
}

impl From<webhook_attempt::Model> for Attempt {
    fn from(m: webhook_attempt::Model) -> Self {
        Self {
            id: m.id,
            attempted_at: m.attempted_at,
            duration_ms: m.duration_ms,
            status_code: m.status_code,
            succeeded: m.succeeded,
            error: m.error,
        }
    }
}

/// One event on its way to one endpoint, with its attempts (newest first).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Delivery {
    pub id: Uuid,
    pub endpoint_id: Uuid,
    pub event_id: Uuid,
    pub event_type: String,
    pub object_id: Uuid,
    /// `pending`, `delivered` or `failed`.
    pub status: String,
    pub attempt_count: i32,
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub delivered_at: Option<DateTime<Utc>>,
    pub last_status_code: Option<i32>,
    pub last_error: Option<String>,
    pub attempts: Vec<Attempt>,
}

impl Delivery {
    fn of(m: webhook_delivery::Model, attempts: Vec<Attempt>) -> Self {
        Self {
            next_attempt_at: (m.status == PENDING).then_some(m.next_attempt_at),
            id: m.id,
            endpoint_id: m.endpoint_id,
            event_id: m.event_id,
            event_type: m.event_type,
            object_id: m.object_id,
            status: m.status,
            attempt_count: m.attempts,
            created_at: m.created_at,
            delivered_at: m.delivered_at,
            last_status_code: m.last_status_code,
            last_error: m.last_error,
            attempts,
        }
    }
}

/// Writes `event_type` about `object_id` to the outbox of `tenant`, in the
/// caller's transaction: one event and a delivery to each enabled endpoint
/// that subscribes to it (nothing when none does). Called next to the
/// change's audit record, so that the event exists exactly when the change
/// does.
pub async fn enqueue<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    event_type: EventType,
    object_id: Uuid,
    data: serde_json::Value,
) -> DomainResult<()> {
    let endpoints: Vec<webhook_endpoint::Model> = scoped::<webhook_endpoint::Entity>(tenant)
        .filter(webhook_endpoint::Column::Enabled.eq(true))
        .all(conn)
        .await?
        .into_iter()
        .filter(|e| EventType::parse_list(&e.event_types).contains(&event_type))
        .collect();
    if endpoints.is_empty() {
        return Ok(());
    }
    let now = Utc::now();
    let event_id = insert_event(conn, tenant, event_type, object_id, &data, None, now).await?;
    for endpoint in endpoints {
        insert_delivery(
            conn,
            tenant,
            endpoint.id,
            event_id,
            event_type,
            object_id,
            now,
        )
        .await?;
    }
    dispatch::wake();
    Ok(())
}

/// Enqueues the event an audited change sends (`EventType::of_audit`), in
/// the change's transaction. Its `data` names the object, the audited
/// action (`template.draft_updated`, `planned_tender.participation_confirmed`,
/// …) and the object's version after it, when it has one.
pub(crate) async fn from_audit<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    change: &Change<'_>,
) -> DomainResult<()> {
    let Some(event_type) = EventType::of_audit(change.object_kind, change.action) else {
        return Ok(());
    };
    let mut data = serde_json::json!({ "id": change.object_id, "action": change.action });
    if let Some(version) = change.after.as_ref().and_then(|after| after.get("version")) {
        data["version"] = version.clone();
    }
    enqueue(conn, tenant, event_type, change.object_id, data).await
}

async fn insert_event<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    event_type: EventType,
    object_id: Uuid,
    data: &serde_json::Value,
    dedup_key: Option<String>,
    now: DateTime<Utc>,
) -> DomainResult<Uuid> {
    let id = Uuid::new_v4();
    webhook_event::ActiveModel {
        id: Set(id),
        tenant_id: Set(tenant.0),
        event_type: Set(event_type.as_str().to_owned()),
        object_id: Set(object_id),
        payload: Set(data.to_string()),
        dedup_key: Set(dedup_key),
        created_at: Set(now),
    }
    .insert(conn)
    .await?;
    Ok(id)
}

async fn insert_delivery<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    endpoint_id: Uuid,
    event_id: Uuid,
    event_type: EventType,
    object_id: Uuid,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    webhook_delivery::ActiveModel {
        id: Set(Uuid::new_v4()),
        tenant_id: Set(tenant.0),
        endpoint_id: Set(endpoint_id),
        event_id: Set(event_id),
        event_type: Set(event_type.as_str().to_owned()),
        object_id: Set(object_id),
        status: Set(PENDING.to_owned()),
        attempts: Set(0),
        next_attempt_at: Set(now),
        lease_until: Set(None),
        created_at: Set(now),
        delivered_at: Set(None),
        last_status_code: Set(None),
        last_error: Set(None),
    }
    .insert(conn)
    .await?;
    Ok(())
}

fn admin_tenant(principal: &Principal) -> DomainResult<TenantId> {
    match authorize(principal, Action::ManageWebhooks)? {
        Scope::Tenant(tenant) => Ok(tenant),
        Scope::System => Err(DomainError::Forbidden("webhooks belong to a municipality")),
    }
}

/// The endpoint address, checked: HTTPS (or loopback HTTP when `rules`
/// allow it), a host, no credentials.
pub fn check_url(input: &str, rules: UrlRules) -> Result<String, FieldError> {
    let text = input.trim();
    let invalid = |message: &str| FieldError::new("url", "invalid", message.to_owned());
    if text.is_empty() {
        return Err(FieldError::new("url", "required", "must not be empty"));
    }
    if text.len() > 2000 {
        return Err(FieldError::new(
            "url",
            "too_long",
            "must be at most 2000 characters",
        ));
    }
    let url = reqwest::Url::parse(text)
        .map_err(|_| invalid("must be an absolute address such as https://example.dk/hooks"))?;
    let host = url.host_str().unwrap_or_default();
    if host.is_empty() {
        return Err(invalid("must name a host"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid(
            "must not hold credentials; the signature authenticates the sender",
        ));
    }
    if url.fragment().is_some() {
        return Err(invalid("must not have a fragment (#…)"));
    }
    match url.scheme() {
        "https" => Ok(url.to_string()),
        "http"
            if rules.allow_loopback_http && matches!(host, "127.0.0.1" | "localhost" | "[::1]") =>
        {
            Ok(url.to_string())
        }
        _ => Err(FieldError::new(
            "url",
            "https_required",
            "must start with https://",
        )),
    }
}

fn check_event_types(types: &[EventType]) -> Result<String, FieldError> {
    if types.is_empty() {
        return Err(FieldError::new(
            "event_types",
            "required",
            "subscribe to at least one event type",
        ));
    }
    let mut sorted = types.to_vec();
    sorted.sort();
    sorted.dedup();
    Ok(EventType::join(&sorted))
}

fn check_days(days: i32) -> Result<i32, FieldError> {
    if (1..=MAX_DAYS_BEFORE).contains(&days) {
        Ok(days)
    } else {
        Err(FieldError::new(
            "days_before",
            "out_of_range",
            format!("must be between 1 and {MAX_DAYS_BEFORE}"),
        ))
    }
}

fn check_description(text: &str) -> Result<String, FieldError> {
    let text = text.trim();
    if text.chars().count() > 500 {
        return Err(FieldError::new(
            "description",
            "too_long",
            "must be at most 500 characters",
        ));
    }
    if text.chars().any(|c| c.is_control()) {
        return Err(FieldError::new(
            "description",
            "invalid",
            "must be one line of text",
        ));
    }
    Ok(text.to_owned())
}

fn collect<T>(result: Result<T, FieldError>, errors: &mut Vec<FieldError>) -> Option<T> {
    result.map_err(|e| errors.push(e)).ok()
}

pub async fn list_endpoints(db: &Db, principal: &Principal) -> DomainResult<Vec<Endpoint>> {
    let tenant = admin_tenant(principal)?;
    let txn = db.read(Scope::Tenant(tenant)).await?;
    let found = scoped::<webhook_endpoint::Entity>(tenant)
        .order_by_asc(webhook_endpoint::Column::CreatedAt)
        .all(&txn)
        .await?;
    txn.commit().await?;
    Ok(found.into_iter().map(Endpoint::from).collect())
}

pub async fn get_endpoint(db: &Db, principal: &Principal, id: Uuid) -> DomainResult<Endpoint> {
    let tenant = admin_tenant(principal)?;
    let txn = db.read(Scope::Tenant(tenant)).await?;
    let found = scoped_get::<webhook_endpoint::Entity, _>(&txn, tenant, id).await?;
    txn.commit().await?;
    Ok(found.into())
}

pub async fn create_endpoint(
    db: &Db,
    principal: &Principal,
    input: NewEndpoint,
    rules: UrlRules,
    sealer: &SecretBox,
) -> DomainResult<IssuedEndpoint> {
    let tenant = admin_tenant(principal)?;
    let mut errors = Vec::new();
    let url = collect(check_url(&input.url, rules), &mut errors);
    let description = collect(
        check_description(input.description.as_deref().unwrap_or_default()),
        &mut errors,
    );
    let types = collect(check_event_types(&input.event_types), &mut errors);
    let days = collect(
        check_days(input.days_before.unwrap_or(DEFAULT_DAYS_BEFORE)),
        &mut errors,
    );
    let (Some(url), Some(description), Some(types), Some(days), true) =
        (url, description, types, days, errors.is_empty())
    else {
        return Err(DomainError::Validation(errors));
    };
    let secret = signing::new_secret();
    let now = Utc::now();
    let txn = db.write(Scope::Tenant(tenant)).await?;
    let created: Endpoint = webhook_endpoint::ActiveModel {
        id: Set(Uuid::new_v4()),
        tenant_id: Set(tenant.0),
        url: Set(url),
        description: Set(description),
        event_types: Set(types),
        days_before: Set(days),
        enabled: Set(input.enabled.unwrap_or(true)),
        secret: Set(sealer.seal(&secret)),
        version: Set(1),
        created_by: Set(principal.actor_id()),
        created_at: Set(now),
        updated_at: Set(now),
        secret_rotated_at: Set(None),
        failing_since: Set(None),
        disabled_at: Set(None),
        disabled_reason: Set(None),
    }
    .insert(&txn)
    .await?
    .into();
    record(
        &txn,
        principal,
        tenant,
        "webhook_endpoint.created",
        None,
        Some(&created),
    )
    .await?;
    txn.commit().await?;
    Ok(IssuedEndpoint {
        endpoint: created,
        secret,
    })
}

/// Changes an endpoint. Needs the version last read.
pub async fn update_endpoint(
    db: &Db,
    principal: &Principal,
    id: Uuid,
    expected_version: Option<i32>,
    patch: EndpointPatch,
    rules: UrlRules,
) -> DomainResult<Endpoint> {
    let tenant = admin_tenant(principal)?;
    let mut errors = Vec::new();
    let url = patch
        .url
        .as_deref()
        .and_then(|u| collect(check_url(u, rules), &mut errors));
    let description = patch
        .description
        .as_deref()
        .and_then(|d| collect(check_description(d), &mut errors));
    let types = patch
        .event_types
        .as_deref()
        .and_then(|t| collect(check_event_types(t), &mut errors));
    let days = patch
        .days_before
        .and_then(|d| collect(check_days(d), &mut errors));
    if !errors.is_empty() {
        return Err(DomainError::Validation(errors));
    }
    let txn = db.write(Scope::Tenant(tenant)).await?;
    let current = scoped_get::<webhook_endpoint::Entity, _>(&txn, tenant, id).await?;
    check_version(current.version, expected_version)?;
    let mut update = next_version::<webhook_endpoint::Entity>(tenant, &current);
    if let Some(url) = url {
        update = update.col_expr(webhook_endpoint::Column::Url, Expr::value(url));
    }
    if let Some(description) = description {
        update = update.col_expr(
            webhook_endpoint::Column::Description,
            Expr::value(description),
        );
    }
    if let Some(types) = types {
        update = update.col_expr(webhook_endpoint::Column::EventTypes, Expr::value(types));
    }
    if let Some(days) = days {
        update = update.col_expr(webhook_endpoint::Column::DaysBefore, Expr::value(days));
    }
    if let Some(enabled) = patch.enabled {
        update = update.col_expr(webhook_endpoint::Column::Enabled, Expr::value(enabled));
        if enabled && !current.enabled {
            let none: Option<DateTime<Utc>> = None;
            update = update
                .col_expr(webhook_endpoint::Column::FailingSince, Expr::value(none))
                .col_expr(webhook_endpoint::Column::DisabledAt, Expr::value(none))
                .col_expr(
                    webhook_endpoint::Column::DisabledReason,
                    Expr::value(Option::<String>::None),
                );
        }
    }
    let after = apply_next_version::<webhook_endpoint::Entity, _>(&txn, tenant, update, id)
        .await?
        .into();
    record(
        &txn,
        principal,
        tenant,
        "webhook_endpoint.updated",
        Some(&current.into()),
        Some(&after),
    )
    .await?;
    txn.commit().await?;
    Ok(after)
}

/// Replaces the signing secret; deliveries from now on are signed with the
/// new one.
pub async fn rotate_secret(
    db: &Db,
    principal: &Principal,
    id: Uuid,
    sealer: &SecretBox,
) -> DomainResult<IssuedEndpoint> {
    let tenant = admin_tenant(principal)?;
    let txn = db.write(Scope::Tenant(tenant)).await?;
    let current = scoped_get::<webhook_endpoint::Entity, _>(&txn, tenant, id).await?;
    let secret = signing::new_secret();
    let update = next_version::<webhook_endpoint::Entity>(tenant, &current)
        .col_expr(
            webhook_endpoint::Column::Secret,
            Expr::value(sealer.seal(&secret)),
        )
        .col_expr(
            webhook_endpoint::Column::SecretRotatedAt,
            Expr::value(Utc::now()),
        );
    let after = apply_next_version::<webhook_endpoint::Entity, _>(&txn, tenant, update, id)
        .await?
        .into();
    record(
        &txn,
        principal,
        tenant,
        "webhook_endpoint.secret_rotated",
        Some(&current.into()),
        Some(&after),
    )
    .await?;
    txn.commit().await?;
    Ok(IssuedEndpoint {
        endpoint: after,
        secret,
    })
}

/// Seals the signing secrets stored in the clear (before they were sealed),
/// for every municipality: the server does it at start, with its key.
/// Returns how many.
pub async fn seal_plain_secrets(db: &Db, sealer: &SecretBox) -> DomainResult<usize> {
    let txn = db.write(Scope::System).await?;
    let plain: Vec<(Uuid, String)> = crate::db::all_tenants::<webhook_endpoint::Entity>()
        .filter(webhook_endpoint::Column::Secret.starts_with(signing::SECRET_PREFIX))
        .select_only()
        .column(webhook_endpoint::Column::Id)
        .column(webhook_endpoint::Column::Secret)
        .into_tuple()
        .all(&txn)
        .await?;
    for (id, secret) in &plain {
        crate::db::all_tenants_update::<webhook_endpoint::Entity>()
            .col_expr(
                webhook_endpoint::Column::Secret,
                Expr::value(sealer.seal(secret)),
            )
            .filter(webhook_endpoint::Column::Id.eq(*id))
            .exec(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(plain.len())
}

/// Removes an endpoint with its pending deliveries and its log.
pub async fn delete_endpoint(db: &Db, principal: &Principal, id: Uuid) -> DomainResult<()> {
    let tenant = admin_tenant(principal)?;
    let txn = db.write(Scope::Tenant(tenant)).await?;
    let current = scoped_get::<webhook_endpoint::Entity, _>(&txn, tenant, id).await?;
    scoped_delete::<webhook_attempt::Entity>(tenant)
        .filter(webhook_attempt::Column::EndpointId.eq(id))
        .exec(&txn)
        .await?;
    scoped_delete::<webhook_delivery::Entity>(tenant)
        .filter(webhook_delivery::Column::EndpointId.eq(id))
        .exec(&txn)
        .await?;
    scoped_delete::<webhook_endpoint::Entity>(tenant)
        .filter(webhook_endpoint::Column::Id.eq(id))
        .exec(&txn)
        .await?;
    record(
        &txn,
        principal,
        tenant,
        "webhook_endpoint.deleted",
        Some(&current.into()),
        None,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The endpoint's deliveries, newest first, each with its attempts.
pub async fn list_deliveries(
    db: &Db,
    principal: &Principal,
    endpoint_id: Uuid,
    status: Option<&str>,
    page: PageRequest,
) -> DomainResult<Page<Delivery>> {
    let tenant = admin_tenant(principal)?;
    let txn = db.read(Scope::Tenant(tenant)).await?;
    scoped_get::<webhook_endpoint::Entity, _>(&txn, tenant, endpoint_id).await?;
    let mut query = scoped::<webhook_delivery::Entity>(tenant)
        .filter(webhook_delivery::Column::EndpointId.eq(endpoint_id));
    if let Some(status) = status {
        query = query.filter(webhook_delivery::Column::Status.eq(status));
    }
    let total = sea_orm::PaginatorTrait::count(query.clone(), &txn).await?;
    let rows = query
        .order_by_desc(webhook_delivery::Column::CreatedAt)
        .order_by_desc(webhook_delivery::Column::Id)
        .offset(page.offset())
        .limit(page.page_size)
        .all(&txn)
        .await?;
    let ids: Vec<Uuid> = rows.iter().map(|d| d.id).collect();
    let mut attempts = scoped::<webhook_attempt::Entity>(tenant)
        .filter(webhook_attempt::Column::DeliveryId.is_in(ids))
        .order_by_desc(webhook_attempt::Column::AttemptedAt)
        .all(&txn)
        .await?;
    txn.commit().await?;
    let items = rows
        .into_iter()
        .map(|d| {
            let (mine, rest): (Vec<_>, Vec<_>) =
                attempts.drain(..).partition(|a| a.delivery_id == d.id);
            attempts = rest;
            Delivery::of(d, mine.into_iter().map(Attempt::from).collect())
        })
        .collect();
    Ok(Page {
        items,
        total,
        page: page.page,
        page_size: page.page_size,
        next_cursor: None,
    })
}

/// Sends a delivery again, at once: a delivered or failed one as well as
/// one waiting for its next attempt. The endpoint must be enabled.
pub async fn redeliver(db: &Db, principal: &Principal, id: Uuid) -> DomainResult<Delivery> {
    let tenant = admin_tenant(principal)?;
    let txn = db.write(Scope::Tenant(tenant)).await?;
    let delivery = scoped_get::<webhook_delivery::Entity, _>(&txn, tenant, id).await?;
    let endpoint =
        scoped_get::<webhook_endpoint::Entity, _>(&txn, tenant, delivery.endpoint_id).await?;
    if !endpoint.enabled {
        return Err(DomainError::conflict(
            "the endpoint is disabled; enable it first",
        ));
    }
    let now = Utc::now();
    scoped_update::<webhook_delivery::Entity>(tenant)
        .col_expr(webhook_delivery::Column::Status, Expr::value(PENDING))
        .col_expr(webhook_delivery::Column::NextAttemptAt, Expr::value(now))
        .col_expr(
            webhook_delivery::Column::LeaseUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .filter(webhook_delivery::Column::Id.eq(id))
        .exec(&txn)
        .await?;
    let after = scoped_get::<webhook_delivery::Entity, _>(&txn, tenant, id).await?;
    audit::record(
        &txn,
        principal,
        Some(tenant),
        Change {
            action: "webhook_delivery.redelivered",
            object_kind: "webhook_delivery",
            object_id: id,
            before: Some(serde_json::json!({"status": delivery.status})),
            after: Some(serde_json::json!({"status": PENDING})),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(Delivery::of(after, Vec::new()))
}

async fn record<C: ConnectionTrait>(
    conn: &C,
    principal: &Principal,
    tenant: TenantId,
    action: &str,
    before: Option<&Endpoint>,
    after: Option<&Endpoint>,
) -> DomainResult<()> {
    let object_id = after.or(before).map(|e| e.id).unwrap_or_default();
    audit::record(
        conn,
        principal,
        Some(tenant),
        Change {
            action,
            object_kind: "webhook_endpoint",
            object_id,
            before: before.and_then(|e| serde_json::to_value(e).ok()),
            after: after.and_then(|e| serde_json::to_value(e).ok()),
        },
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoint_addresses_are_https_unless_loopback_is_allowed() {
        let strict = UrlRules::default();
        let loose = UrlRules {
            allow_loopback_http: true,
        };
        assert!(check_url("https://erp.example.dk/hooks", strict).is_ok());
        assert!(check_url("http://erp.example.dk/hooks", strict).is_err());
        assert!(check_url("http://127.0.0.1:8080/hook", strict).is_err());
        assert!(check_url("http://127.0.0.1:8080/hook", loose).is_ok());
        assert!(check_url("http://localhost/hook", loose).is_ok());
        assert!(check_url("http://10.0.0.1/hook", loose).is_err());
        assert!(check_url("https://user:pw@example.dk/", strict).is_err());
        assert!(check_url("ftp://example.dk/", strict).is_err());
        assert!(check_url("not a url", strict).is_err());
    }

    #[test]
    fn event_types_round_trip() {
        for t in EventType::ALL {
            assert_eq!(EventType::parse(t.as_str()), Some(t));
        }
        let joined = check_event_types(&[
            EventType::ContractUpdated,
            EventType::ContractCreated,
            EventType::ContractUpdated,
        ])
        .unwrap_or_default();
        assert_eq!(joined, "contract.created,contract.updated");
    }

    #[test]
    fn audited_template_and_plan_changes_map_to_events() {
        let cases = [
            (
                "template",
                "template.created",
                Some(EventType::TemplateCreated),
            ),
            (
                "template",
                "template.adopted",
                Some(EventType::TemplateCreated),
            ),
            (
                "template",
                "template.draft_updated",
                Some(EventType::TemplateUpdated),
            ),
            (
                "template",
                "template.restored",
                Some(EventType::TemplateUpdated),
            ),
            (
                "template",
                "template.published",
                Some(EventType::TemplatePublished),
            ),
            (
                "template",
                "template.shared",
                Some(EventType::TemplateShared),
            ),
            ("template", "template.unshared", None),
            (
                "template",
                "template.archived",
                Some(EventType::TemplateArchived),
            ),
            (
                "tender_plan",
                "tender_plan.created",
                Some(EventType::TenderPlanCreated),
            ),
            (
                "tender_plan",
                "tender_plan.updated",
                Some(EventType::TenderPlanUpdated),
            ),
            (
                "tender_plan",
                "tender_plan.archived",
                Some(EventType::TenderPlanArchived),
            ),
            (
                "planned_tender",
                "planned_tender.created_from_opportunity",
                Some(EventType::PlannedTenderCreated),
            ),
            (
                "planned_tender",
                "planned_tender.participation_confirmed",
                Some(EventType::PlannedTenderUpdated),
            ),
            // Contract events carry the contract's data and are enqueued by
            // the contract use cases; other objects send none.
            ("contract", "contract.updated", None),
            ("webhook_endpoint", "webhook_endpoint.created", None),
            ("user", "user.created", None),
        ];
        for (kind, action, expected) in cases {
            assert_eq!(EventType::of_audit(kind, action), expected, "{action}");
        }
    }
}
