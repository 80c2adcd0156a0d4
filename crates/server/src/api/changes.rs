//! `/changes`: the sync feed — what changed in the caller's view of its
//! municipality's data, in commit order, from an opaque cursor.

use chrono::{DateTime, Utc};
use poem::web::Data;
use poem_openapi::param::Query;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Enum, Object, OpenApi};
use samudbud_domain::DomainError;
use samudbud_domain::changes::{self, ChangeAction, ChangeEntry, ChangeKind, Cursor, Since};
use uuid::Uuid;

use super::ApiTags;
use crate::problem::{ApiError, ApiResult, Problem};
use crate::security::BearerAuth;
use crate::state::AppState;

pub struct ChangesApi;

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[oai(rename = "ChangeKind", rename_all = "snake_case")]
enum ChangeKindDto {
    Contract,
    ItSystem,
    Supplier,
    Collaboration,
    Template,
    TenderPlan,
    PlannedTender,
}

impl From<ChangeKind> for ChangeKindDto {
    fn from(kind: ChangeKind) -> Self {
        match kind {
            ChangeKind::Contract => Self::Contract,
            ChangeKind::ItSystem => Self::ItSystem,
            ChangeKind::Supplier => Self::Supplier,
            ChangeKind::Collaboration => Self::Collaboration,
            ChangeKind::Template => Self::Template,
            ChangeKind::TenderPlan => Self::TenderPlan,
            ChangeKind::PlannedTender => Self::PlannedTender,
        }
    }
}

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[oai(rename = "ChangeAction", rename_all = "snake_case")]
enum ChangeActionDto {
    Created,
    Updated,
    Archived,
    Restored,
    Deleted,
    ShareStarted,
    ShareEnded,
    Joined,
    Left,
}

impl From<ChangeAction> for ChangeActionDto {
    fn from(action: ChangeAction) -> Self {
        match action {
            ChangeAction::Created => Self::Created,
            ChangeAction::Updated => Self::Updated,
            ChangeAction::Archived => Self::Archived,
            ChangeAction::Restored => Self::Restored,
            ChangeAction::Deleted => Self::Deleted,
            ChangeAction::ShareStarted => Self::ShareStarted,
            ChangeAction::ShareEnded => Self::ShareEnded,
            ChangeAction::Joined => Self::Joined,
            ChangeAction::Left => Self::Left,
        }
    }
}

/// One change of one object as the caller's municipality sees it. `kind`
/// names the list the object is read from (`contract`, `it_system`,
/// `supplier`, `collaboration`, `template`, `tender_plan`,
/// `planned_tender`); `action` says what happened: `created`, `updated`,
/// `archived`, `restored`, `deleted`; `share_started` / `share_ended` when
/// another municipality's object came into or went out of view through a
/// share with `collaboration_id` (or the caller's own object was shared or
/// withdrawn); `joined` / `left` for the municipality's own place in a
/// collaboration. Read the object itself for its data; an object that went
/// out of view answers 404.
#[derive(Object)]
#[oai(rename = "Change", skip_serializing_if_is_none, example)]
struct ChangeDto {
    kind: ChangeKindDto,
    id: Uuid,
    action: ChangeActionDto,
    /// The collaboration a share or membership change is about.
    collaboration_id: Option<Uuid>,
    changed_at: DateTime<Utc>,
}

impl poem_openapi::types::Example for ChangeDto {
    fn example() -> Self {
        Self {
            kind: ChangeKindDto::Contract,
            id: Uuid::from_u128(0x5d1c_0d6e_44b1_4a0e_9b8e_2f1c_3a4b_5c6d),
            action: ChangeActionDto::Updated,
            collaboration_id: None,
            changed_at: DateTime::parse_from_rfc3339("2026-11-30T09:15:00Z")
                .map(|t| t.with_timezone(&Utc))
                .unwrap_or_default(),
        }
    }
}

impl From<ChangeEntry> for ChangeDto {
    fn from(e: ChangeEntry) -> Self {
        Self {
            kind: e.kind.into(),
            id: e.id,
            action: e.action.into(),
            collaboration_id: e.collaboration_id,
            changed_at: e.changed_at,
        }
    }
}

/// A page of the feed, oldest change first.
#[derive(Object)]
#[oai(rename = "ChangePage")]
struct ChangePage {
    items: Vec<ChangeDto>,
    /// Pass as `since` to read on from here; valid for at least 30 days.
    /// The same position comes back while nothing has changed.
    next_cursor: String,
    /// More changes wait: read again with `next_cursor` at once.
    has_more: bool,
}

#[derive(ApiResponse)]
enum ChangesResponse {
    #[oai(status = 200)]
    Ok(Json<ChangePage>),
    /// The cursor has expired (older than 30 days, the changes after it
    /// pruned): read the full lists again, taking a new cursor with
    /// `since=now` first.
    #[oai(status = 410, content_type = "application/problem+json")]
    Gone(Json<Problem>),
}

#[OpenApi(prefix_path = "/changes", tag = "ApiTags::Changes")]
impl ChangesApi {
    /// What changed in the municipality's data since a cursor, in the order
    /// the changes were committed: contracts, IT systems, suppliers,
    /// collaborations, templates and tender plans, as far as the caller may
    /// read them — created, updated, archived, restored and deleted objects,
    /// and shares that started or ended for the municipality. Start a sync
    /// with `since=now` (no changes, only a cursor), then read the full
    /// lists, then follow the feed from that cursor; without `since` the
    /// feed starts at the oldest change kept (35 days). No change is skipped
    /// or repeated: a cursor never moves past a change that is not yet
    /// committed.
    #[oai(path = "/", method = "get", operation_id = "listChanges")]
    async fn list(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// `now`, or a `next_cursor` of an earlier answer.
        since: Query<Option<String>>,
        /// At most this many changes, 1–1000 (100).
        limit: Query<Option<u64>>,
    ) -> ApiResult<ChangesResponse> {
        let since = match since.0.as_deref().map(str::trim) {
            None | Some("") => Since::Start,
            Some("now") => Since::Now,
            Some(text) => Since::After(Cursor::decode("since", text)?),
        };
        match changes::list_changes(&state.db, &auth.0, since, limit.0).await {
            Ok(feed) => Ok(ChangesResponse::Ok(Json(ChangePage {
                items: feed.items.into_iter().map(ChangeDto::from).collect(),
                next_cursor: feed.next_cursor.encode(),
                has_more: feed.has_more,
            }))),
            Err(gone @ DomainError::Gone(_)) => {
                Ok(ChangesResponse::Gone(Json(ApiError::from(gone).problem)))
            }
            Err(other) => Err(other.into()),
        }
    }
}
