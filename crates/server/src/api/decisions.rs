//! `/contracts/{id}/decisions` and `/contracts/{id}/notice-preview`: what
//! was decided about a contract's deadlines, and what notice given on a
//! day would lead to.

use chrono::{DateTime, NaiveDate, Utc};
use poem::web::Data;
use poem_openapi::param::{Header, Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::types::Example;
use poem_openapi::{ApiResponse, Object, OpenApi};
use samudbud_domain::DomainError;
use samudbud_domain::contracts::decisions::{
    self, Decision, DecisionDates, DecisionInput, DecisionKind, NoticePreview,
};
use uuid::Uuid;

use super::ApiTags;
use super::text::{Code, Text};
use super::versioning::{IfMatch, etag};
use crate::problem::ApiResult;
use crate::security::BearerAuth;
use crate::state::AppState;

pub struct DecisionsApi;

/// A decision about the contract's deadlines. `kind` is `notice_given`
/// (notice was given on `decided_on`: the contract ends on the day its
/// notice terms give, stored as its `terminated_on`), `option_exercised`
/// (one more extension option: the end and the deadlines move),
/// `continue` (the contract runs on: its current notice deadline is
/// handled) or `retender` (work on the next tender starts: its current
/// re-tender start is handled). Who decided: `decided_by_user_id` (a user
/// of the municipality) or `decided_by_name`; neither is the caller.
#[derive(Object)]
#[oai(rename = "ContractDecisionInput", deny_unknown_fields, example)]
struct DecisionInputDto {
    kind: Code,
    /// The day it was decided; for notice, the day notice was given. Not after today.
    decided_on: NaiveDate,
    decided_by_user_id: Option<Uuid>,
    decided_by_name: Option<Text<0, 200>>,
    /// A journal number or other reference.
    reference: Option<Text<0, 200>>,
    /// One of the contract's attachments (upload it first).
    attachment_id: Option<Uuid>,
    note: Option<Text<0, 4000>>,
}

impl Example for DecisionInputDto {
    fn example() -> Self {
        Self {
            kind: "notice_given".into(),
            decided_on: NaiveDate::from_ymd_opt(2027, 2, 3).unwrap_or_default(),
            decided_by_user_id: None,
            decided_by_name: Some("Jens Hansen".into()),
            reference: Some("2027-123".into()),
            attachment_id: None,
            note: Some("Opsagt med henblik på genudbud sammen med nabokommunerne.".into()),
        }
    }
}

/// The contract's dates on one side of a decision.
#[derive(Object)]
#[oai(rename = "ContractDecisionDates", skip_serializing_if_is_none)]
struct DatesDto {
    terminated_on: Option<NaiveDate>,
    options_exercised: u32,
    effective_end: Option<NaiveDate>,
    notice_deadline: Option<NaiveDate>,
    retender_start: Option<NaiveDate>,
}

impl From<DecisionDates> for DatesDto {
    fn from(d: DecisionDates) -> Self {
        Self {
            terminated_on: d.terminated_on,
            options_exercised: d.options_exercised,
            effective_end: d.effective_end,
            notice_deadline: d.notice_deadline,
            retender_start: d.retender_start,
        }
    }
}

/// A recorded decision; `kind` as in `ContractDecisionInput`. Who decided
/// and the attachment are left out for readers of a shared contract.
#[derive(Object)]
#[oai(rename = "ContractDecision", skip_serializing_if_is_none)]
struct DecisionDto {
    id: Uuid,
    contract_id: Uuid,
    kind: String,
    decided_on: NaiveDate,
    decided_by_user_id: Option<Uuid>,
    decided_by_name: Option<String>,
    reference: Option<String>,
    attachment_id: Option<Uuid>,
    note: Option<String>,
    before: DatesDto,
    after: DatesDto,
    /// Notice given after the notice deadline: the end counts from the day it was given.
    late: bool,
    /// The decision in one Danish sentence, as the history shows it.
    summary: String,
    created_at: DateTime<Utc>,
}

impl From<Decision> for DecisionDto {
    fn from(d: Decision) -> Self {
        Self {
            id: d.id,
            contract_id: d.contract_id,
            kind: d.kind.as_str().to_owned(),
            decided_on: d.decided_on,
            decided_by_user_id: d.decided_by_user_id,
            decided_by_name: d.decided_by_name,
            reference: d.reference,
            attachment_id: d.attachment_id,
            note: d.note,
            before: d.before.into(),
            after: d.after.into(),
            late: d.late,
            summary: d.summary,
            created_at: d.created_at,
        }
    }
}

super::whole_list!(DecisionList, DecisionDto);

/// What notice given on `given_on` leads to.
#[derive(Object)]
#[oai(rename = "NoticePreview", skip_serializing_if_is_none)]
struct NoticePreviewDto {
    given_on: NaiveDate,
    /// The day the contract ends.
    ends_on: NaiveDate,
    /// The notice deadline as it stands today.
    notice_deadline: Option<NaiveDate>,
    /// Given after the notice deadline: the end counts from `given_on`.
    late: bool,
    /// The consequence in Danish.
    message: String,
}

impl From<NoticePreview> for NoticePreviewDto {
    fn from(p: NoticePreview) -> Self {
        Self {
            given_on: p.given_on,
            ends_on: p.ends_on,
            notice_deadline: p.notice_deadline,
            late: p.late,
            message: p.message,
        }
    }
}

#[derive(ApiResponse)]
enum CreatedDecision {
    /// The decision; the `ETag` is the contract's new version.
    #[oai(status = 201)]
    Created(Json<DecisionDto>, #[oai(header = "ETag")] String),
}

#[OpenApi(prefix_path = "/contracts", tag = "ApiTags::Contracts")]
impl DecisionsApi {
    /// The decisions on a contract's deadlines, newest first.
    #[oai(
        path = "/:id/decisions",
        method = "get",
        operation_id = "listContractDecisions"
    )]
    async fn list(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<Json<DecisionList>> {
        let found = decisions::list_decisions(&state.db, &auth.0, id.0).await?;
        Ok(Json(DecisionList::of(
            found.into_iter().map(DecisionDto::from).collect(),
        )))
    }

    /// Record a decision about the contract's deadlines (needs the
    /// contract's `If-Match`; it changes the contract). 422 when there is
    /// nothing to decide (no options left, already terminated).
    #[oai(
        path = "/:id/decisions",
        method = "post",
        operation_id = "createContractDecision"
    )]
    async fn create(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<Uuid>,
        #[oai(name = "If-Match")] if_match: Header<IfMatch>,
        body: Json<DecisionInputDto>,
    ) -> ApiResult<CreatedDecision> {
        let version = if_match.0.version()?;
        let b = body.0;
        let kind = DecisionKind::parse(&b.kind).ok_or_else(|| {
            DomainError::invalid(
                "kind",
                "unknown_kind",
                "kind must be notice_given, option_exercised, continue or retender",
            )
        })?;
        let input = DecisionInput {
            kind,
            decided_on: b.decided_on,
            decided_by_user_id: b.decided_by_user_id,
            decided_by_name: b.decided_by_name.map(Text::into_inner),
            reference: b.reference.map(Text::into_inner),
            attachment_id: b.attachment_id,
            note: b.note.map(Text::into_inner),
        };
        let (decision, contract) =
            decisions::decide(&state.db, &auth.0, id.0, version, input).await?;
        Ok(CreatedDecision::Created(
            Json(decision.into()),
            etag(contract.version),
        ))
    }

    /// The day the contract ends if notice is given on `given_on`, by its
    /// notice terms; says so when that is after the notice deadline.
    #[oai(
        path = "/:id/notice-preview",
        method = "get",
        operation_id = "previewContractNotice"
    )]
    async fn preview(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<Uuid>,
        /// The day notice is (or was) given, `YYYY-MM-DD`.
        given_on: Query<NaiveDate>,
    ) -> ApiResult<Json<NoticePreviewDto>> {
        let found = decisions::notice_preview(&state.db, &auth.0, id.0, given_on.0).await?;
        Ok(Json(found.into()))
    }
}
