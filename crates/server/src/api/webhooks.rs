//! `/webhooks`: the municipality's webhook endpoints, their signing secrets
//! and delivery log (municipality admins).

use chrono::{DateTime, Utc};
use poem::web::Data;
use poem_openapi::param::{Header, Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::types::Example;
use poem_openapi::{ApiResponse, Enum, Object, OpenApi};
use samudbud_domain::paging::PageRequest;
use samudbud_domain::webhooks::{
    self, Attempt, Delivery, Endpoint, EndpointPatch, EventType, IssuedEndpoint, NewEndpoint,
};
use uuid::Uuid;

use super::ApiTags;
use super::text::Text;
use super::versioning::{IfMatch, etag};
use crate::problem::ApiResult;
use crate::security::BearerAuth;
use crate::state::AppState;

pub struct WebhooksApi;

/// An event an endpoint can subscribe to.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[oai(rename = "WebhookEventType")]
pub enum EventTypeDto {
    #[oai(rename = "contract.created")]
    ContractCreated,
    #[oai(rename = "contract.updated")]
    ContractUpdated,
    #[oai(rename = "contract.archived")]
    ContractArchived,
    #[oai(rename = "contract.shared")]
    ContractShared,
    #[oai(rename = "deadline.approaching")]
    DeadlineApproaching,
    #[oai(rename = "template.created")]
    TemplateCreated,
    #[oai(rename = "template.updated")]
    TemplateUpdated,
    #[oai(rename = "template.published")]
    TemplatePublished,
    #[oai(rename = "template.shared")]
    TemplateShared,
    #[oai(rename = "template.archived")]
    TemplateArchived,
    #[oai(rename = "tender_plan.created")]
    TenderPlanCreated,
    #[oai(rename = "tender_plan.updated")]
    TenderPlanUpdated,
    #[oai(rename = "tender_plan.archived")]
    TenderPlanArchived,
    #[oai(rename = "planned_tender.created")]
    PlannedTenderCreated,
    #[oai(rename = "planned_tender.updated")]
    PlannedTenderUpdated,
}

impl From<EventTypeDto> for EventType {
    fn from(t: EventTypeDto) -> Self {
        match t {
            EventTypeDto::ContractCreated => EventType::ContractCreated,
            EventTypeDto::ContractUpdated => EventType::ContractUpdated,
            EventTypeDto::ContractArchived => EventType::ContractArchived,
            EventTypeDto::ContractShared => EventType::ContractShared,
            EventTypeDto::DeadlineApproaching => EventType::DeadlineApproaching,
            EventTypeDto::TemplateCreated => EventType::TemplateCreated,
            EventTypeDto::TemplateUpdated => EventType::TemplateUpdated,
            EventTypeDto::TemplatePublished => EventType::TemplatePublished,
            EventTypeDto::TemplateShared => EventType::TemplateShared,
            EventTypeDto::TemplateArchived => EventType::TemplateArchived,
            EventTypeDto::TenderPlanCreated => EventType::TenderPlanCreated,
            EventTypeDto::TenderPlanUpdated => EventType::TenderPlanUpdated,
            EventTypeDto::TenderPlanArchived => EventType::TenderPlanArchived,
            EventTypeDto::PlannedTenderCreated => EventType::PlannedTenderCreated,
            EventTypeDto::PlannedTenderUpdated => EventType::PlannedTenderUpdated,
        }
    }
}

impl From<EventType> for EventTypeDto {
    fn from(t: EventType) -> Self {
        match t {
            EventType::ContractCreated => EventTypeDto::ContractCreated,
            EventType::ContractUpdated => EventTypeDto::ContractUpdated,
            EventType::ContractArchived => EventTypeDto::ContractArchived,
            EventType::ContractShared => EventTypeDto::ContractShared,
            EventType::DeadlineApproaching => EventTypeDto::DeadlineApproaching,
            EventType::TemplateCreated => EventTypeDto::TemplateCreated,
            EventType::TemplateUpdated => EventTypeDto::TemplateUpdated,
            EventType::TemplatePublished => EventTypeDto::TemplatePublished,
            EventType::TemplateShared => EventTypeDto::TemplateShared,
            EventType::TemplateArchived => EventTypeDto::TemplateArchived,
            EventType::TenderPlanCreated => EventTypeDto::TenderPlanCreated,
            EventType::TenderPlanUpdated => EventTypeDto::TenderPlanUpdated,
            EventType::TenderPlanArchived => EventTypeDto::TenderPlanArchived,
            EventType::PlannedTenderCreated => EventTypeDto::PlannedTenderCreated,
            EventType::PlannedTenderUpdated => EventTypeDto::PlannedTenderUpdated,
        }
    }
}

/// Where a delivery stands.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[oai(rename = "WebhookDeliveryStatus", rename_all = "lowercase")]
pub enum DeliveryStatusDto {
    Pending,
    Delivered,
    Failed,
}

impl DeliveryStatusDto {
    fn as_str(self) -> &'static str {
        match self {
            DeliveryStatusDto::Pending => webhooks::PENDING,
            DeliveryStatusDto::Delivered => webhooks::DELIVERED,
            DeliveryStatusDto::Failed => webhooks::FAILED,
        }
    }

    fn of(text: &str) -> Self {
        match text {
            webhooks::DELIVERED => DeliveryStatusDto::Delivered,
            webhooks::FAILED => DeliveryStatusDto::Failed,
            _ => DeliveryStatusDto::Pending,
        }
    }
}

/// An address the municipality's events are posted to, signed with the
/// endpoint's secret (never shown again after creation or rotation).
/// `event_types` are the events it subscribes to; `deadline.approaching`
/// is sent `days_before` days before a contract's notice deadline. An
/// endpoint that keeps failing for a day is disabled (`enabled` false,
/// `disabled_at` and `disabled_reason` set) until an admin enables it.
#[derive(Object)]
#[oai(rename = "WebhookEndpoint", skip_serializing_if_is_none, example)]
struct EndpointDto {
    id: Uuid,
    url: String,
    description: String,
    event_types: Vec<EventTypeDto>,
    days_before: i32,
    enabled: bool,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    secret_rotated_at: Option<DateTime<Utc>>,
    /// Since when every attempt has failed, while it keeps failing.
    failing_since: Option<DateTime<Utc>>,
    disabled_at: Option<DateTime<Utc>>,
    disabled_reason: Option<String>,
}

fn example_time() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-12-05T09:30:00Z")
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_default()
}

impl Example for EndpointDto {
    fn example() -> Self {
        Self {
            id: Uuid::nil(),
            url: "https://erp.kommune.dk/hooks/samudbud".into(),
            description: "Økonomisystemet".into(),
            event_types: vec![EventTypeDto::ContractCreated, EventTypeDto::ContractUpdated],
            days_before: 30,
            enabled: true,
            created_at: example_time(),
            updated_at: example_time(),
            secret_rotated_at: None,
            failing_since: None,
            disabled_at: None,
            disabled_reason: None,
        }
    }
}

impl From<Endpoint> for EndpointDto {
    fn from(e: Endpoint) -> Self {
        Self {
            id: e.id,
            url: e.url,
            description: e.description,
            event_types: e.event_types.into_iter().map(EventTypeDto::from).collect(),
            days_before: e.days_before,
            enabled: e.enabled,
            created_at: e.created_at,
            updated_at: e.updated_at,
            secret_rotated_at: e.secret_rotated_at,
            failing_since: e.failing_since,
            disabled_at: e.disabled_at,
            disabled_reason: e.disabled_reason,
        }
    }
}

/// An endpoint with its signing secret: shown this once.
#[derive(Object)]
#[oai(rename = "IssuedWebhookEndpoint")]
struct IssuedDto {
    endpoint: EndpointDto,
    /// `whsec_` and base64 of the key: verify each delivery's
    /// `webhook-signature` with it. Store it now; it is not shown again.
    secret: String,
}

impl From<IssuedEndpoint> for IssuedDto {
    fn from(issued: IssuedEndpoint) -> Self {
        Self {
            endpoint: issued.endpoint.into(),
            secret: issued.secret,
        }
    }
}

super::whole_list!(WebhookEndpointList, EndpointDto);

/// A new endpoint: an `https://` address, the event types it subscribes to
/// and, for `deadline.approaching`, how many days before a notice deadline
/// (`days_before`, 1 to 365; default 30). `enabled` defaults to true.
#[derive(Object)]
#[oai(rename = "NewWebhookEndpoint", deny_unknown_fields, example)]
struct NewEndpointDto {
    url: Text<1, 2000>,
    description: Option<Text<0, 500>>,
    event_types: Vec<EventTypeDto>,
    days_before: Option<i32>,
    enabled: Option<bool>,
}

impl Example for NewEndpointDto {
    fn example() -> Self {
        Self {
            url: Text("https://erp.kommune.dk/hooks/samudbud".into()),
            description: Some(Text("Økonomisystemet".into())),
            event_types: vec![
                EventTypeDto::ContractCreated,
                EventTypeDto::ContractUpdated,
                EventTypeDto::DeadlineApproaching,
            ],
            days_before: Some(30),
            enabled: None,
        }
    }
}

/// The fields to change; those left out stay. Enabling an endpoint that
/// was disabled after failing starts it afresh.
#[derive(Object)]
#[oai(rename = "WebhookEndpointPatch", deny_unknown_fields, example)]
struct EndpointPatchDto {
    url: Option<Text<1, 2000>>,
    description: Option<Text<0, 500>>,
    event_types: Option<Vec<EventTypeDto>>,
    days_before: Option<i32>,
    enabled: Option<bool>,
}

impl Example for EndpointPatchDto {
    fn example() -> Self {
        Self {
            url: None,
            description: None,
            event_types: None,
            days_before: None,
            enabled: Some(true),
        }
    }
}

/// One attempt to deliver: when, how long it took, the HTTP status the
/// endpoint answered (none when it did not answer) and why it failed.
#[derive(Object)]
#[oai(rename = "WebhookAttempt", skip_serializing_if_is_none)]
struct AttemptDto {
    id: Uuid,
    attempted_at: DateTime<Utc>,
    duration_ms: i32,
    status_code: Option<i32>,
    succeeded: bool,
    error: Option<String>,
}

impl From<Attempt> for AttemptDto {
    fn from(a: Attempt) -> Self {
        Self {
            id: a.id,
            attempted_at: a.attempted_at,
            duration_ms: a.duration_ms,
            status_code: a.status_code,
            succeeded: a.succeeded,
            error: a.error,
        }
    }
}

/// One event on its way to one endpoint. `status`: `pending` (waiting for
/// `next_attempt_at`), `delivered` (a 2xx answer) or `failed` (given up when
/// the endpoint was disabled). `event_id` is the `webhook-id` header;
/// `attempts` lists every try, newest first.
#[derive(Object)]
#[oai(rename = "WebhookDelivery", skip_serializing_if_is_none)]
struct DeliveryDto {
    id: Uuid,
    endpoint_id: Uuid,
    event_id: Uuid,
    event_type: String,
    object_id: Uuid,
    status: DeliveryStatusDto,
    attempt_count: i32,
    next_attempt_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
    delivered_at: Option<DateTime<Utc>>,
    last_status_code: Option<i32>,
    last_error: Option<String>,
    attempts: Vec<AttemptDto>,
}

impl From<Delivery> for DeliveryDto {
    fn from(d: Delivery) -> Self {
        Self {
            id: d.id,
            endpoint_id: d.endpoint_id,
            event_id: d.event_id,
            event_type: d.event_type,
            object_id: d.object_id,
            status: DeliveryStatusDto::of(&d.status),
            attempt_count: d.attempt_count,
            next_attempt_at: d.next_attempt_at,
            created_at: d.created_at,
            delivered_at: d.delivered_at,
            last_status_code: d.last_status_code,
            last_error: d.last_error,
            attempts: d.attempts.into_iter().map(AttemptDto::from).collect(),
        }
    }
}

#[derive(Object)]
#[oai(rename = "WebhookDeliveryPage")]
struct DeliveryPage {
    items: Vec<DeliveryDto>,
    total: u64,
    page: u64,
    page_size: u64,
}

#[derive(ApiResponse)]
enum EndpointResponse {
    #[oai(status = 200)]
    Ok(Json<EndpointDto>, #[oai(header = "ETag")] String),
}

#[derive(ApiResponse)]
enum CreatedResponse {
    /// Created; the secret is in the body, this once.
    #[oai(status = 201)]
    Created(Json<IssuedDto>, #[oai(header = "Location")] String),
}

#[derive(ApiResponse)]
enum RotatedResponse {
    /// The new secret, this once; deliveries are signed with it from now on.
    #[oai(status = 200)]
    Rotated(Json<IssuedDto>),
}

#[derive(ApiResponse)]
enum DeletedResponse {
    #[oai(status = 204)]
    Deleted,
}

#[derive(ApiResponse)]
enum RedeliverResponse {
    /// Queued for sending at once.
    #[oai(status = 202)]
    Accepted(Json<DeliveryDto>),
}

fn ok(endpoint: Endpoint) -> EndpointResponse {
    let tag = etag(endpoint.version);
    EndpointResponse::Ok(Json(endpoint.into()), tag)
}

fn types(list: Vec<EventTypeDto>) -> Vec<EventType> {
    list.into_iter().map(EventType::from).collect()
}

#[OpenApi(prefix_path = "/webhooks", tag = "ApiTags::Webhooks")]
impl WebhooksApi {
    /// The municipality's webhook endpoints.
    #[oai(
        path = "/endpoints",
        method = "get",
        operation_id = "listWebhookEndpoints"
    )]
    async fn list(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
    ) -> ApiResult<Json<WebhookEndpointList>> {
        let found = webhooks::list_endpoints(&state.db, &auth.0).await?;
        Ok(Json(WebhookEndpointList::of(
            found.into_iter().map(EndpointDto::from).collect(),
        )))
    }

    /// Register an endpoint; the answer holds its signing secret, shown once.
    #[oai(
        path = "/endpoints",
        method = "post",
        operation_id = "createWebhookEndpoint"
    )]
    async fn create(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        body: Json<NewEndpointDto>,
    ) -> ApiResult<CreatedResponse> {
        let body = body.0;
        let issued = webhooks::create_endpoint(
            &state.db,
            &auth.0,
            NewEndpoint {
                url: body.url.into_inner(),
                description: body.description.map(Text::into_inner),
                event_types: types(body.event_types),
                days_before: body.days_before,
                enabled: body.enabled,
            },
            state.webhook_urls,
            &state.secrets,
        )
        .await?;
        let location = format!(
            "{}/webhooks/endpoints/{}",
            super::API_PREFIX,
            issued.endpoint.id
        );
        Ok(CreatedResponse::Created(Json(issued.into()), location))
    }

    #[oai(
        path = "/endpoints/:id",
        method = "get",
        operation_id = "getWebhookEndpoint"
    )]
    async fn get(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<EndpointResponse> {
        Ok(ok(webhooks::get_endpoint(&state.db, &auth.0, id.0).await?))
    }

    /// Change an endpoint, or enable or disable it (needs If-Match).
    #[oai(
        path = "/endpoints/:id",
        method = "patch",
        operation_id = "updateWebhookEndpoint"
    )]
    async fn update(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<Uuid>,
        #[oai(name = "If-Match")] if_match: Header<IfMatch>,
        body: Json<EndpointPatchDto>,
    ) -> ApiResult<EndpointResponse> {
        let version = if_match.0.version()?;
        let body = body.0;
        let updated = webhooks::update_endpoint(
            &state.db,
            &auth.0,
            id.0,
            version,
            EndpointPatch {
                url: body.url.map(Text::into_inner),
                description: body.description.map(Text::into_inner),
                event_types: body.event_types.map(types),
                days_before: body.days_before,
                enabled: body.enabled,
            },
            state.webhook_urls,
        )
        .await?;
        Ok(ok(updated))
    }

    /// Remove an endpoint with its pending deliveries and its log.
    #[oai(
        path = "/endpoints/:id",
        method = "delete",
        operation_id = "deleteWebhookEndpoint"
    )]
    async fn delete(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<DeletedResponse> {
        webhooks::delete_endpoint(&state.db, &auth.0, id.0).await?;
        Ok(DeletedResponse::Deleted)
    }

    /// Replace the endpoint's signing secret; the answer holds the new one,
    /// shown once.
    #[oai(
        path = "/endpoints/:id/rotate-secret",
        method = "post",
        operation_id = "rotateWebhookSecret"
    )]
    async fn rotate(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<RotatedResponse> {
        let issued = webhooks::rotate_secret(&state.db, &auth.0, id.0, &state.secrets).await?;
        Ok(RotatedResponse::Rotated(Json(issued.into())))
    }

    /// The endpoint's delivery log, newest first, each delivery with its
    /// attempts; `status` filters.
    #[oai(
        path = "/endpoints/:id/deliveries",
        method = "get",
        operation_id = "listWebhookDeliveries"
    )]
    async fn deliveries(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<Uuid>,
        status: Query<Option<DeliveryStatusDto>>,
        page: Query<Option<u64>>,
        page_size: Query<Option<u64>>,
    ) -> ApiResult<Json<DeliveryPage>> {
        let paging = PageRequest::new(page.0, page_size.0)?;
        let found = webhooks::list_deliveries(
            &state.db,
            &auth.0,
            id.0,
            status.0.map(DeliveryStatusDto::as_str),
            paging,
        )
        .await?;
        Ok(Json(DeliveryPage {
            items: found.items.into_iter().map(DeliveryDto::from).collect(),
            total: found.total,
            page: found.page,
            page_size: found.page_size,
        }))
    }

    /// Send a delivery again, at once (the endpoint must be enabled).
    #[oai(
        path = "/deliveries/:id/redeliver",
        method = "post",
        operation_id = "redeliverWebhook"
    )]
    async fn redeliver(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<RedeliverResponse> {
        let delivery = webhooks::redeliver(&state.db, &auth.0, id.0).await?;
        Ok(RedeliverResponse::Accepted(Json(delivery.into())))
    }
}
