//! `/audit-events`: the municipality's audit trail, for its admins.

use chrono::{DateTime, Utc};
use poem::web::Data;
use poem_openapi::param::Query;
use poem_openapi::payload::Json;
use poem_openapi::types::Any;
use poem_openapi::{Object, OpenApi};
use samudbud_domain::audit::{self, AuditEntry, AuditFilter};
use samudbud_domain::exports::lists;
use samudbud_domain::paging::PageRequest;
use uuid::Uuid;

use super::ApiTags;
use super::export::{self, Export, SheetFormatDto};
use crate::problem::ApiResult;
use crate::security::BearerAuth;
use crate::state::AppState;

pub struct AuditApi;

/// One change: who, when, what, before and after.
#[derive(Object)]
#[oai(rename = "AuditEvent", skip_serializing_if_is_none)]
pub(super) struct AuditEventDto {
    id: Uuid,
    occurred_at: DateTime<Utc>,
    /// The user or API client that acted; absent for the command line.
    actor_id: Option<Uuid>,
    /// The actor's e-mail address or client name, as recorded.
    actor: String,
    /// The acting user's name, when the actor is a user of the municipality.
    actor_name: Option<String>,
    /// E.g. `user.created`, `collaboration.invited`, `api_client.revoked`.
    action: String,
    object_kind: String,
    object_id: Uuid,
    before: Option<Any<serde_json::Value>>,
    after: Option<Any<serde_json::Value>>,
}

impl From<AuditEntry> for AuditEventDto {
    fn from(e: AuditEntry) -> Self {
        Self {
            id: e.id,
            occurred_at: e.occurred_at,
            actor_id: e.actor_id,
            actor: e.actor_label,
            actor_name: e.actor_name,
            action: e.action,
            object_kind: e.object_kind,
            object_id: e.object_id,
            before: e.before.map(Any),
            after: e.after.map(Any),
        }
    }
}

#[derive(Object)]
struct AuditEventPage {
    items: Vec<AuditEventDto>,
    total: u64,
    page: u64,
    page_size: u64,
}

#[OpenApi(prefix_path = "/audit-events", tag = "ApiTags::Audit")]
impl AuditApi {
    /// The municipality's audit trail, newest first (admins).
    #[allow(clippy::too_many_arguments)]
    #[oai(path = "/", method = "get", operation_id = "listAuditEvents")]
    async fn list(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        page: Query<Option<u64>>,
        page_size: Query<Option<u64>>,
        /// `user`, `collaboration`, `api_client`, …
        object_kind: Query<Option<String>>,
        object_id: Query<Option<Uuid>>,
        /// Actions starting with this, e.g. `user.` or `user.deactivated`.
        action: Query<Option<String>>,
        /// Part of the actor's e-mail address or client name.
        actor: Query<Option<String>>,
        /// From this time (inclusive).
        from: Query<Option<DateTime<Utc>>>,
        /// Until this time (exclusive).
        to: Query<Option<DateTime<Utc>>>,
    ) -> ApiResult<Json<AuditEventPage>> {
        let paging = PageRequest::new(page.0, page_size.0)?;
        let filter = AuditFilter {
            object_kind: object_kind.0,
            object_id: object_id.0,
            action: action.0,
            actor: actor.0,
            from: from.0,
            to: to.0,
        };
        let found = audit::list_entries(&state.db, &auth.0, filter, paging).await?;
        Ok(Json(AuditEventPage {
            items: found.items.into_iter().map(AuditEventDto::from).collect(),
            total: found.total,
            page: found.page,
            page_size: found.page_size,
        }))
    }

    /// Export the audit trail a list with these filters finds, newest
    /// first (admins): `xlsx` or `csv`. Streamed as it is written.
    #[allow(clippy::too_many_arguments)]
    #[oai(path = "/export", method = "get", operation_id = "exportAuditEvents")]
    async fn export(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        format: Query<SheetFormatDto>,
        /// As for the list.
        object_kind: Query<Option<String>>,
        object_id: Query<Option<Uuid>>,
        action: Query<Option<String>>,
        actor: Query<Option<String>>,
        from: Query<Option<DateTime<Utc>>>,
        to: Query<Option<DateTime<Utc>>>,
    ) -> ApiResult<Export> {
        let filter = AuditFilter {
            object_kind: object_kind.0,
            object_id: object_id.0,
            action: action.0,
            actor: actor.0,
            from: from.0,
            to: to.0,
        };
        let mut found = audit::export_entries(&state.db, &auth.0, filter).await?;
        let db = state.db.clone();
        Ok(export::sheet(
            format.0.into(),
            "Revisionsspor",
            lists::AUDIT_COLUMNS.to_vec(),
            "revisionsspor",
            move |tx| async move {
                loop {
                    let read = found
                        .next_batch(&db, 500)
                        .await
                        .map(|batch| batch.map(|b| b.iter().map(lists::audit_row).collect()));
                    if !export::forward(&tx, read).await {
                        break;
                    }
                }
            },
        ))
    }
}
