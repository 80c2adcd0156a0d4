//! `/tender-plans`: tender plans, their planned tenders, participants and
//! the XLSX export; `/commitments`: the municipality's own participations.

use chrono::{DateTime, NaiveDate, Utc};
use poem::http::{HeaderValue, header};
use poem::web::Data;
use poem::{IntoResponse, Response};
use poem_openapi::param::{Header, Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::registry::{
    MetaHeader, MetaMediaType, MetaResponse, MetaResponses, MetaSchema, MetaSchemaRef, Registry,
};
use poem_openapi::types::{Example, Type};
use poem_openapi::{ApiResponse, Object, OpenApi};
use rust_decimal::Decimal;
use samudbud_domain::paging::{ChangeRead, PageRequest};
use samudbud_domain::tender_plans::export::{self, XLSX};
use samudbud_domain::tender_plans::participants::{self, Answer, Commitment};
use samudbud_domain::tender_plans::service::{
    self, MilestoneEntry, MilestoneInput, ParticipantView, Plan, PlanInput, PlannedTender,
    ReplacedRef, TenderFilter, TenderInput,
};
use uuid::Uuid;

use super::ApiTags;
use super::download::FileDownload;
use super::money::{Dkk, Eur};
use super::text::{Code, Text};
use super::versioning::{IfMatch, etag};
use crate::problem::ApiResult;
use crate::security::BearerAuth;
use crate::state::AppState;

pub struct TenderPlansApi;
pub struct PlannedTendersApi;
pub struct CommitmentsApi;

// ------------------------------------------------------------------ DTOs --

/// Who owns a plan: a municipality or a collaboration.
#[derive(Object)]
#[oai(rename = "TenderPlanOwner")]
struct PlanOwnerDto {
    /// `municipality` or `collaboration`.
    kind: String,
    id: Uuid,
    name: String,
}

/// A tender plan (udbudsplan).
#[derive(Object)]
#[oai(rename = "TenderPlan", skip_serializing_if_is_none)]
struct PlanDto {
    id: Uuid,
    name: String,
    period_start: NaiveDate,
    period_end: NaiveDate,
    description: Option<String>,
    owner: PlanOwnerDto,
    /// The caller may change the plan and its planned tenders.
    editable: bool,
    tender_count: u64,
    version: i32,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    archived_at: Option<DateTime<Utc>>,
}

impl From<Plan> for PlanDto {
    fn from(p: Plan) -> Self {
        Self {
            id: p.id,
            name: p.name,
            period_start: p.period_start,
            period_end: p.period_end,
            description: p.description,
            owner: PlanOwnerDto {
                kind: p.owner.kind.to_owned(),
                id: p.owner.id,
                name: p.owner.name,
            },
            editable: p.editable,
            tender_count: p.tender_count,
            version: p.version,
            created_at: p.created_at,
            updated_at: p.updated_at,
            archived_at: p.archived_at,
        }
    }
}

/// A tender plan as written. `collaboration_id` on create only: the plan
/// then belongs to that collaboration, which the caller's municipality
/// coordinates; without it, to the municipality.
#[derive(Object)]
#[oai(rename = "TenderPlanInput", deny_unknown_fields, example)]
struct PlanInputDto {
    name: Text<1, 200>,
    period_start: Option<NaiveDate>,
    period_end: Option<NaiveDate>,
    description: Option<Text<0, 10_000>>,
    collaboration_id: Option<Uuid>,
}

impl Example for PlanInputDto {
    fn example() -> Self {
        Self {
            name: "Fælles udbudsplan 2026–2029".into(),
            period_start: NaiveDate::from_ymd_opt(2026, 1, 1),
            period_end: NaiveDate::from_ymd_opt(2029, 12, 31),
            description: Some("Kommunalbestyrelsesperiodens fælles udbud i samarbejdet.".into()),
            collaboration_id: Some(Uuid::nil()),
        }
    }
}

impl From<PlanInputDto> for PlanInput {
    fn from(d: PlanInputDto) -> Self {
        Self {
            name: d.name.into(),
            period_start: d.period_start,
            period_end: d.period_end,
            description: d.description.map(String::from),
            collaboration_id: d.collaboration_id,
        }
    }
}

super::change_list!(TenderPlanList, PlanDto);

#[derive(Object)]
#[oai(rename = "TenantRef", skip_serializing_if_is_none)]
pub(super) struct TenantRefDto {
    pub(super) id: Uuid,
    pub(super) name: String,
    /// The municipality's CVR number, as joint contract notices list it.
    pub(super) cvr: Option<String>,
}

#[derive(Object)]
#[oai(rename = "CpvRef", skip_serializing_if_is_none)]
pub(super) struct CpvRefDto {
    pub(super) code: String,
    /// The Danish label, when the CPV list is loaded.
    pub(super) label: Option<String>,
}

#[derive(Object)]
#[oai(rename = "TenderStatusChange")]
struct StatusChangeDto {
    /// `idea`, `planned`, `preparing`, `published`, `awarded` or `cancelled`.
    status: String,
    changed_at: DateTime<Utc>,
    changed_by: String,
}

#[derive(Object)]
#[oai(rename = "Milestone")]
struct MilestoneDto {
    /// `needs_analysis`, `market_dialogue`, `publication`, `bid_deadline`, `award` or `contract_start`.
    kind: String,
    /// The Danish name.
    label: String,
    date: NaiveDate,
    done: bool,
}

impl From<MilestoneEntry> for MilestoneDto {
    fn from(m: MilestoneEntry) -> Self {
        Self {
            kind: m.kind.as_str().to_owned(),
            label: m.kind.label_da().to_owned(),
            date: m.date,
            done: m.done,
        }
    }
}

#[derive(Object)]
#[oai(rename = "ReplacedContract", skip_serializing_if_is_none)]
struct ReplacedDto {
    id: Uuid,
    title: String,
    /// The latest day the contract can run (every option exercised).
    end_date: Option<NaiveDate>,
    /// The last day to give notice.
    notice_deadline: Option<NaiveDate>,
}

impl From<ReplacedRef> for ReplacedDto {
    fn from(r: ReplacedRef) -> Self {
        Self {
            id: r.id,
            title: r.title,
            end_date: r.end_date,
            notice_deadline: r.notice_deadline,
        }
    }
}

/// A participating municipality and its own answer.
#[derive(Object)]
#[oai(rename = "Participant", skip_serializing_if_is_none)]
struct ParticipantDto {
    tenant: TenantRefDto,
    /// `pending`, `confirmed`, `declined` or `withdrawn`.
    state: String,
    state_label: String,
    /// For the whole term including options, excluding VAT.
    estimated_value: Option<Dkk>,
    replaced_contracts: Vec<ReplacedDto>,
    /// Why it declined or withdrew.
    reason: Option<String>,
    responded_at: Option<DateTime<Utc>>,
    responded_by: Option<String>,
    /// The version of the participant's own part (0 before its first
    /// answer): send it as `If-Match` when changing it.
    version: i32,
    /// The caller's municipality is this participant and may answer.
    own: bool,
}

impl From<ParticipantView> for ParticipantDto {
    fn from(p: ParticipantView) -> Self {
        Self {
            tenant: TenantRefDto {
                id: p.tenant.id,
                name: p.tenant.name,
                cvr: p.tenant.cvr,
            },
            state: p.state.as_str().to_owned(),
            state_label: p.state.label_da().to_owned(),
            estimated_value: p.estimated_value.map(Dkk),
            replaced_contracts: p.replaced_contracts.into_iter().map(Into::into).collect(),
            reason: p.reason,
            responded_at: p.responded_at,
            responded_by: p.responded_by,
            version: p.version,
            own: p.own,
        }
    }
}

/// The EU threshold in force on the planned publication date, and the verdict.
#[derive(Object)]
#[oai(rename = "ThresholdVerdict")]
struct ThresholdDto {
    /// `supplies_services`, `works` or `light_regime`.
    kind: String,
    eur: Eur,
    dkk: Dkk,
    /// The official DKK value is not published yet: EUR converted.
    dkk_converted: bool,
    applies_from: NaiveDate,
    applies_to: NaiveDate,
    /// The publication date the threshold was chosen for.
    publication_date: NaiveDate,
    /// The aggregate is at or above the threshold: an EU procedure is required.
    above: bool,
    /// No participant alone is above it; the sum is.
    crosses_only_in_aggregate: bool,
    /// What it means, in Danish.
    consequence: String,
}

#[derive(Object)]
#[oai(rename = "Backplan", skip_serializing_if_is_none)]
struct BackplanDto {
    /// The day the new contract must start.
    required_start: NaiveDate,
    /// The latest working day the contract notice can be sent.
    latest_publication: NaiveDate,
    /// Latest minus planned publication, in days; negative is late.
    slack_days: Option<i64>,
    /// The earliest notice deadline of the replaced contracts.
    notice_by: Option<NaiveDate>,
}

#[derive(Object)]
#[oai(rename = "TenderWarning")]
struct WarningDto {
    /// `gap`, `notice_before_award`, `milestones_out_of_order`, `publication_too_late` or `participant_pending`.
    code: String,
    /// `info`, `warning` or `critical`.
    severity: String,
    /// In Danish.
    message: String,
}

/// A planned tender with its participants and what is computed from them.
#[derive(Object)]
#[oai(rename = "PlannedTender", skip_serializing_if_is_none)]
pub(super) struct TenderDto {
    id: Uuid,
    plan_id: Uuid,
    subject: String,
    description: Option<String>,
    category: Option<String>,
    cpv: Option<CpvRefDto>,
    /// A code of `GET /options` `procedure`.
    procedure: String,
    procedure_label: String,
    framework_agreement: Option<String>,
    /// `supplies_services`, `works` or `light_regime`: the threshold column.
    contract_kind: String,
    lead_tenant: TenantRefDto,
    /// `idea`, `planned`, `preparing`, `published`, `awarded` or `cancelled`.
    status: String,
    status_label: String,
    status_history: Vec<StatusChangeDto>,
    term_months: u32,
    option_months: u32,
    allows_late_joining: bool,
    /// Days from the bid deadline to the award decision.
    evaluation_days: u32,
    milestones: Vec<MilestoneDto>,
    participants: Vec<ParticipantDto>,
    /// The sum over pending and confirmed participants.
    aggregate_value: Dkk,
    threshold: Option<ThresholdDto>,
    backplan: Option<BackplanDto>,
    warnings: Vec<WarningDto>,
    /// The caller may change the tender and invite participants.
    editable: bool,
    version: i32,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl From<PlannedTender> for TenderDto {
    fn from(t: PlannedTender) -> Self {
        Self {
            id: t.id,
            plan_id: t.plan_id,
            subject: t.subject,
            description: t.description,
            category: t.category,
            cpv: t.cpv_code.map(|code| CpvRefDto {
                code,
                label: t.cpv_label,
            }),
            procedure: t.procedure.as_str().to_owned(),
            procedure_label: t.procedure.label_da().to_owned(),
            framework_agreement: t.framework_agreement,
            contract_kind: t.contract_kind.as_str().to_owned(),
            lead_tenant: TenantRefDto {
                id: t.lead_tenant.id,
                name: t.lead_tenant.name,
                cvr: t.lead_tenant.cvr,
            },
            status: t.status.as_str().to_owned(),
            status_label: t.status.label_da().to_owned(),
            status_history: t
                .status_history
                .into_iter()
                .map(|c| StatusChangeDto {
                    status: c.status.as_str().to_owned(),
                    changed_at: c.changed_at,
                    changed_by: c.changed_by,
                })
                .collect(),
            term_months: t.term_months,
            option_months: t.option_months,
            allows_late_joining: t.allows_late_joining,
            evaluation_days: t.evaluation_days,
            milestones: t.milestones.into_iter().map(Into::into).collect(),
            participants: t.participants.into_iter().map(Into::into).collect(),
            aggregate_value: Dkk(t.aggregate_value),
            threshold: t.threshold.map(|v| ThresholdDto {
                kind: v.kind.as_str().to_owned(),
                eur: Eur(v.eur),
                dkk: Dkk(v.dkk),
                dkk_converted: v.dkk_converted,
                applies_from: v.applies_from,
                applies_to: v.applies_to,
                publication_date: v.publication_date,
                above: v.above,
                crosses_only_in_aggregate: v.crosses_only_in_aggregate,
                consequence: v.consequence,
            }),
            backplan: t.backplan.map(|b| BackplanDto {
                required_start: b.required_start,
                latest_publication: b.latest_publication,
                slack_days: b.slack_days,
                notice_by: b.notice_by,
            }),
            warnings: t
                .warnings
                .into_iter()
                .map(|w| WarningDto {
                    code: w.code.as_str().to_owned(),
                    severity: w.severity.as_str().to_owned(),
                    message: w.message,
                })
                .collect(),
            editable: t.editable,
            version: t.version,
            created_at: t.created_at,
            updated_at: t.updated_at,
        }
    }
}

#[derive(Object)]
#[oai(rename = "MilestoneInput", deny_unknown_fields)]
struct MilestoneInputDto {
    /// `needs_analysis`, `market_dialogue`, `publication`, `bid_deadline`, `award` or `contract_start`.
    kind: Code,
    date: Option<NaiveDate>,
    /// Default false.
    done: Option<bool>,
}

/// A planned tender as written: all fields, on create and replace. A new
/// `status` is added to the status history with the date of the change.
#[derive(Object)]
#[oai(rename = "PlannedTenderInput", deny_unknown_fields, example)]
struct TenderInputDto {
    subject: Text<1, 300>,
    description: Option<Text<0, 10_000>>,
    category: Option<Text<0, 100>>,
    /// `NNNNNNNN-N` with its check digit; a code of `GET /cpv` when the list is loaded.
    cpv_code: Option<Code>,
    /// A code of `GET /options` `procedure`.
    procedure: Option<Code>,
    /// Required for a call-off (`framework_direct_award`, `framework_mini_competition`).
    framework_agreement: Option<Text<0, 200>>,
    /// `supplies_services` (default), `works` or `light_regime`.
    contract_kind: Option<Code>,
    /// Default: the caller's municipality. The plan's owner or a member of its collaboration.
    lead_tenant_id: Option<Uuid>,
    /// `idea` (default), `planned`, `preparing`, `published`, `awarded` or `cancelled`.
    status: Option<Code>,
    /// Default 48.
    term_months: Option<u32>,
    /// All options together; default 0.
    option_months: Option<u32>,
    /// Members may join later (for example during option periods).
    allows_late_joining: Option<bool>,
    /// Days from the bid deadline to the award decision; default 30.
    evaluation_days: Option<u32>,
    milestones: Option<Vec<MilestoneInputDto>>,
}

impl Example for TenderInputDto {
    fn example() -> Self {
        let milestone = |kind: &str, y, m, d| MilestoneInputDto {
            kind: kind.into(),
            date: NaiveDate::from_ymd_opt(y, m, d),
            done: Some(false),
        };
        Self {
            subject: "Fælles ESDH-system".into(),
            description: Some("Genudbud af ESDH for de deltagende kommuner.".into()),
            category: Some("ESDH".into()),
            cpv_code: Some("48000000-8".into()),
            procedure: Some("open".into()),
            framework_agreement: None,
            contract_kind: Some("supplies_services".into()),
            lead_tenant_id: Some(Uuid::nil()),
            status: Some("planned".into()),
            term_months: Some(48),
            option_months: Some(24),
            allows_late_joining: Some(false),
            evaluation_days: Some(30),
            milestones: Some(vec![
                milestone("needs_analysis", 2026, 3, 1),
                milestone("market_dialogue", 2026, 5, 1),
                milestone("publication", 2026, 9, 1),
                milestone("bid_deadline", 2026, 10, 12),
                milestone("award", 2026, 11, 16),
                milestone("contract_start", 2027, 4, 1),
            ]),
        }
    }
}

impl From<TenderInputDto> for TenderInput {
    fn from(d: TenderInputDto) -> Self {
        Self {
            subject: d.subject.into(),
            description: d.description.map(String::from),
            category: d.category.map(String::from),
            cpv_code: d.cpv_code.map(String::from),
            procedure: d.procedure.map(String::from),
            framework_agreement: d.framework_agreement.map(String::from),
            contract_kind: d.contract_kind.map(String::from),
            lead_tenant_id: d.lead_tenant_id,
            status: d.status.map(String::from),
            term_months: d.term_months,
            option_months: d.option_months,
            allows_late_joining: d.allows_late_joining,
            evaluation_days: d.evaluation_days,
            milestones: d
                .milestones
                .unwrap_or_default()
                .into_iter()
                .map(|m| MilestoneInput {
                    kind: m.kind.into(),
                    date: m.date,
                    done: m.done.unwrap_or(false),
                })
                .collect(),
        }
    }
}

super::whole_list!(PlannedTenderList, TenderDto);

/// Invite a municipality to take part.
#[derive(Object)]
#[oai(rename = "ParticipantInvitation", deny_unknown_fields)]
struct InvitationDto {
    /// A member of the plan's collaboration.
    tenant_id: Uuid,
}

/// The participant's own part.
#[derive(Object)]
#[oai(rename = "ParticipationInput", deny_unknown_fields, example)]
struct ParticipationDto {
    /// For the whole term including options, excluding VAT.
    estimated_value: Option<Dkk>,
    /// Contracts of the municipality's own register that the tender replaces.
    replaced_contract_ids: Option<Vec<Uuid>>,
}

impl Example for ParticipationDto {
    fn example() -> Self {
        Self {
            estimated_value: Some(Dkk(Decimal::new(95_000_000, 2))),
            replaced_contract_ids: Some(vec![Uuid::nil()]),
        }
    }
}

/// Why the municipality declines or withdraws.
#[derive(Object)]
#[oai(rename = "ParticipationReason", deny_unknown_fields, example)]
struct ReasonDto {
    reason: Text<1, 2_000>,
}

impl Example for ReasonDto {
    fn example() -> Self {
        Self {
            reason: "Kommunen har forlænget sin nuværende kontrakt til 2029.".into(),
        }
    }
}

#[derive(Object)]
#[oai(rename = "CommitmentPlan")]
struct CommitmentPlanDto {
    id: Uuid,
    name: String,
}

#[derive(Object)]
#[oai(rename = "CommitmentTender")]
struct CommitmentTenderDto {
    id: Uuid,
    subject: String,
    status: String,
    status_label: String,
}

/// One of the municipality's participations.
#[derive(Object)]
#[oai(rename = "Commitment", skip_serializing_if_is_none)]
struct CommitmentDto {
    plan: CommitmentPlanDto,
    tender: CommitmentTenderDto,
    /// `pending`, `confirmed`, `declined` or `withdrawn`.
    state: String,
    state_label: String,
    estimated_value: Option<Dkk>,
    replaced_contracts: Vec<ReplacedDto>,
    /// The first milestone not yet done.
    next_milestone: Option<MilestoneDto>,
    /// The version of the municipality's part, for `If-Match`.
    version: i32,
}

impl From<Commitment> for CommitmentDto {
    fn from(c: Commitment) -> Self {
        Self {
            plan: CommitmentPlanDto {
                id: c.plan_id,
                name: c.plan_name,
            },
            tender: CommitmentTenderDto {
                id: c.tender_id,
                subject: c.subject,
                status: c.tender_status.as_str().to_owned(),
                status_label: c.tender_status.label_da().to_owned(),
            },
            state: c.state.as_str().to_owned(),
            state_label: c.state.label_da().to_owned(),
            estimated_value: c.estimated_value.map(Dkk),
            replaced_contracts: c.replaced_contracts.into_iter().map(Into::into).collect(),
            next_milestone: c.next_milestone.map(Into::into),
            version: c.version,
        }
    }
}

super::whole_list!(CommitmentList, CommitmentDto);

// ------------------------------------------------------------- responses --

#[derive(ApiResponse)]
enum PlanResponse {
    #[oai(status = 200)]
    Ok(Json<PlanDto>, #[oai(header = "ETag")] String),
}

#[derive(ApiResponse)]
enum CreatedPlan {
    #[oai(status = 201)]
    Created(
        Json<PlanDto>,
        #[oai(header = "ETag")] String,
        #[oai(header = "Location")] String,
    ),
}

#[derive(ApiResponse)]
enum TenderResponse {
    #[oai(status = 200)]
    Ok(Json<TenderDto>, #[oai(header = "ETag")] String),
}

#[derive(ApiResponse)]
enum CreatedTender {
    #[oai(status = 201)]
    Created(
        Json<TenderDto>,
        #[oai(header = "ETag")] String,
        #[oai(header = "Location")] String,
    ),
}

#[derive(ApiResponse)]
enum CreatedParticipant {
    #[oai(status = 201)]
    Created(Json<ParticipantDto>),
}

fn plan_ok(plan: Plan) -> PlanResponse {
    let tag = etag(plan.version);
    PlanResponse::Ok(Json(plan.into()), tag)
}

fn tender_ok(tender: PlannedTender) -> TenderResponse {
    let tag = etag(tender.version);
    TenderResponse::Ok(Json(tender.into()), tag)
}

/// A plan as an XLSX workbook.
pub struct XlsxDownload(FileDownload);

impl IntoResponse for XlsxDownload {
    fn into_response(self) -> Response {
        let mut response = self.0.into_response();
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(XLSX));
        response
    }
}

impl ApiResponse for XlsxDownload {
    fn meta() -> MetaResponses {
        MetaResponses {
            responses: vec![MetaResponse {
                description: "The plan as an XLSX workbook.",
                status: Some(200),
                status_range: None,
                content: vec![MetaMediaType {
                    content_type: XLSX,
                    schema: MetaSchemaRef::Inline(Box::new(MetaSchema::new_with_format(
                        "string", "binary",
                    ))),
                }],
                headers: vec![MetaHeader {
                    name: "Content-Disposition".into(),
                    description: Some("attachment, with the file's name".into()),
                    required: true,
                    deprecated: false,
                    schema: String::schema_ref(),
                }],
            }],
        }
    }

    fn register(_registry: &mut Registry) {}
}

// ------------------------------------------------------------ operations --

#[OpenApi(prefix_path = "/tender-plans", tag = "ApiTags::TenderPlans")]
impl TenderPlansApi {
    /// The tender plans of the municipality and of its collaborations, the
    /// newest period first; or, with `changed_since` or `cursor`, a page of
    /// them in order of last change.
    // Each query parameter is an argument in poem-openapi.
    #[allow(clippy::too_many_arguments)]
    #[oai(path = "/", method = "get", operation_id = "listTenderPlans")]
    async fn list(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// Include archived plans.
        include_archived: Query<Option<bool>>,
        /// Only plans changed at or after this time, sorted by last change
        /// (for synchronisation), `page_size` at a time.
        changed_since: Query<Option<DateTime<Utc>>>,
        /// The `next_cursor` of the page before: read on in order of last
        /// change (and id), `page_size` at a time. Send the same filters as
        /// for the first page.
        cursor: Query<Option<String>>,
        /// In order of last change: the first page's number (without `cursor`).
        page: Query<Option<u64>>,
        /// In order of last change: how many at a time (default 50, at most 200).
        page_size: Query<Option<u64>>,
    ) -> ApiResult<Json<TenderPlanList>> {
        let paging = PageRequest::new(page.0, page_size.0)?;
        let include_archived = include_archived.0.unwrap_or(false);
        if let Some(read) = ChangeRead::from_params(changed_since.0, cursor.0.as_deref(), None)? {
            let found =
                service::list_plans_by_change(&state.db, &auth.0, include_archived, read, paging)
                    .await?;
            return Ok(Json(TenderPlanList::page(found)));
        }
        let found = service::list_plans(&state.db, &auth.0, include_archived).await?;
        Ok(Json(TenderPlanList::of(
            found.into_iter().map(PlanDto::from).collect(),
        )))
    }

    /// Create a tender plan for the municipality, or for a collaboration it coordinates.
    #[oai(path = "/", method = "post", operation_id = "createTenderPlan")]
    async fn create(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        body: Json<PlanInputDto>,
    ) -> ApiResult<CreatedPlan> {
        let created = service::create_plan(&state.db, &auth.0, body.0.into()).await?;
        let tag = etag(created.version);
        let location = format!("{}/tender-plans/{}", super::API_PREFIX, created.id);
        Ok(CreatedPlan::Created(Json(created.into()), tag, location))
    }

    /// Read a tender plan.
    #[oai(path = "/:id", method = "get", operation_id = "getTenderPlan")]
    async fn get(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<PlanResponse> {
        Ok(plan_ok(service::get_plan(&state.db, &auth.0, id.0).await?))
    }

    /// Replace a plan's name, period and description (needs `If-Match`).
    #[oai(path = "/:id", method = "put", operation_id = "updateTenderPlan")]
    async fn update(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<Uuid>,
        #[oai(name = "If-Match")] if_match: Header<IfMatch>,
        body: Json<PlanInputDto>,
    ) -> ApiResult<PlanResponse> {
        let version = if_match.0.version()?;
        Ok(plan_ok(
            service::update_plan(&state.db, &auth.0, id.0, version, body.0.into()).await?,
        ))
    }

    /// Archive a plan (needs `If-Match`); it can be restored.
    #[oai(
        path = "/:id/archive",
        method = "post",
        operation_id = "archiveTenderPlan"
    )]
    async fn archive(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<Uuid>,
        #[oai(name = "If-Match")] if_match: Header<IfMatch>,
    ) -> ApiResult<PlanResponse> {
        let version = if_match.0.version()?;
        Ok(plan_ok(
            service::set_plan_archived(&state.db, &auth.0, id.0, version, true).await?,
        ))
    }

    /// Restore an archived plan (needs `If-Match`).
    #[oai(
        path = "/:id/restore",
        method = "post",
        operation_id = "restoreTenderPlan"
    )]
    async fn restore(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<Uuid>,
        #[oai(name = "If-Match")] if_match: Header<IfMatch>,
    ) -> ApiResult<PlanResponse> {
        let version = if_match.0.version()?;
        Ok(plan_ok(
            service::set_plan_archived(&state.db, &auth.0, id.0, version, false).await?,
        ))
    }

    /// The plan as an XLSX workbook: planned tenders and participants.
    #[oai(
        path = "/:id/export.xlsx",
        method = "get",
        operation_id = "exportTenderPlan"
    )]
    async fn export(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<XlsxDownload> {
        let file = export::export_plan(&state.db, &auth.0, id.0).await?;
        Ok(XlsxDownload(FileDownload {
            bytes: file.bytes,
            content_type: XLSX.to_owned(),
            filename: file.filename,
        }))
    }
}

#[OpenApi(prefix_path = "/tender-plans", tag = "ApiTags::TenderPlans")]
impl PlannedTendersApi {
    /// The plan's planned tenders, with participants, aggregate, threshold verdict and warnings.
    #[oai(
        path = "/:id/tenders",
        method = "get",
        operation_id = "listPlannedTenders"
    )]
    async fn list(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<Uuid>,
        /// Only tenders this municipality is invited to.
        tenant_id: Query<Option<Uuid>>,
        /// Only tenders with this status.
        status: Query<Option<String>>,
    ) -> ApiResult<Json<PlannedTenderList>> {
        let found = service::list_tenders(
            &state.db,
            &auth.0,
            id.0,
            TenderFilter {
                tenant_id: tenant_id.0,
                status: status.0,
            },
        )
        .await?;
        Ok(Json(PlannedTenderList::of(
            found.into_iter().map(TenderDto::from).collect(),
        )))
    }

    /// Add a planned tender to the plan.
    #[oai(
        path = "/:id/tenders",
        method = "post",
        operation_id = "createPlannedTender"
    )]
    async fn create(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<Uuid>,
        body: Json<TenderInputDto>,
    ) -> ApiResult<CreatedTender> {
        let created = service::create_tender(&state.db, &auth.0, id.0, body.0.into()).await?;
        let tag = etag(created.version);
        let location = format!(
            "{}/tender-plans/{}/tenders/{}",
            super::API_PREFIX,
            id.0,
            created.id
        );
        Ok(CreatedTender::Created(Json(created.into()), tag, location))
    }

    /// Read a planned tender.
    #[oai(
        path = "/:id/tenders/:tender_id",
        method = "get",
        operation_id = "getPlannedTender"
    )]
    async fn get(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<Uuid>,
        tender_id: Path<Uuid>,
    ) -> ApiResult<TenderResponse> {
        Ok(tender_ok(
            service::get_tender(&state.db, &auth.0, id.0, tender_id.0).await?,
        ))
    }

    /// Replace a planned tender's fields and milestones (needs `If-Match`).
    #[oai(
        path = "/:id/tenders/:tender_id",
        method = "put",
        operation_id = "updatePlannedTender"
    )]
    async fn update(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<Uuid>,
        tender_id: Path<Uuid>,
        #[oai(name = "If-Match")] if_match: Header<IfMatch>,
        body: Json<TenderInputDto>,
    ) -> ApiResult<TenderResponse> {
        let version = if_match.0.version()?;
        Ok(tender_ok(
            service::update_tender(
                &state.db,
                &auth.0,
                id.0,
                tender_id.0,
                version,
                body.0.into(),
            )
            .await?,
        ))
    }

    /// Invite a municipality of the plan's collaboration to take part (the plan's writers).
    #[oai(
        path = "/:id/tenders/:tender_id/participants",
        method = "post",
        operation_id = "inviteParticipant"
    )]
    async fn invite(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<Uuid>,
        tender_id: Path<Uuid>,
        body: Json<InvitationDto>,
    ) -> ApiResult<CreatedParticipant> {
        let invited =
            participants::invite(&state.db, &auth.0, id.0, tender_id.0, body.0.tenant_id).await?;
        Ok(CreatedParticipant::Created(Json(invited.into())))
    }

    /// State the municipality's estimated value and replaced contracts (its
    /// own editors and admins only; `If-Match` names the participant's version).
    #[oai(
        path = "/:id/tenders/:tender_id/participants/:tenant_id",
        method = "put",
        operation_id = "updateParticipation"
    )]
    #[allow(clippy::too_many_arguments)]
    async fn update_participation(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<Uuid>,
        tender_id: Path<Uuid>,
        tenant_id: Path<Uuid>,
        #[oai(name = "If-Match")] if_match: Header<IfMatch>,
        body: Json<ParticipationDto>,
    ) -> ApiResult<Json<TenderDto>> {
        let version = if_match.0.version()?;
        let answer = Answer::State {
            estimated_value: body.0.estimated_value.map(|v| v.0),
            replaced_contract_ids: body.0.replaced_contract_ids.unwrap_or_default(),
        };
        answer_with(
            &state,
            &auth,
            id.0,
            tender_id.0,
            tenant_id.0,
            version,
            answer,
        )
        .await
    }

    /// Confirm the municipality's participation: it is then bound like the others.
    #[oai(
        path = "/:id/tenders/:tender_id/participants/:tenant_id/confirm",
        method = "post",
        operation_id = "confirmParticipation"
    )]
    async fn confirm(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<Uuid>,
        tender_id: Path<Uuid>,
        tenant_id: Path<Uuid>,
        #[oai(name = "If-Match")] if_match: Header<IfMatch>,
    ) -> ApiResult<Json<TenderDto>> {
        let version = if_match.0.version()?;
        answer_with(
            &state,
            &auth,
            id.0,
            tender_id.0,
            tenant_id.0,
            version,
            Answer::Confirm,
        )
        .await
    }

    /// Decline a pending invitation, with a reason.
    #[oai(
        path = "/:id/tenders/:tender_id/participants/:tenant_id/decline",
        method = "post",
        operation_id = "declineParticipation"
    )]
    #[allow(clippy::too_many_arguments)]
    async fn decline(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<Uuid>,
        tender_id: Path<Uuid>,
        tenant_id: Path<Uuid>,
        #[oai(name = "If-Match")] if_match: Header<IfMatch>,
        body: Json<ReasonDto>,
    ) -> ApiResult<Json<TenderDto>> {
        let version = if_match.0.version()?;
        let answer = Answer::Decline {
            reason: body.0.reason.into(),
        };
        answer_with(
            &state,
            &auth,
            id.0,
            tender_id.0,
            tenant_id.0,
            version,
            answer,
        )
        .await
    }

    /// Withdraw a confirmed participation, with a reason.
    #[oai(
        path = "/:id/tenders/:tender_id/participants/:tenant_id/withdraw",
        method = "post",
        operation_id = "withdrawParticipation"
    )]
    #[allow(clippy::too_many_arguments)]
    async fn withdraw(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<Uuid>,
        tender_id: Path<Uuid>,
        tenant_id: Path<Uuid>,
        #[oai(name = "If-Match")] if_match: Header<IfMatch>,
        body: Json<ReasonDto>,
    ) -> ApiResult<Json<TenderDto>> {
        let version = if_match.0.version()?;
        let answer = Answer::Withdraw {
            reason: body.0.reason.into(),
        };
        answer_with(
            &state,
            &auth,
            id.0,
            tender_id.0,
            tenant_id.0,
            version,
            answer,
        )
        .await
    }
}

#[allow(clippy::too_many_arguments)]
async fn answer_with(
    state: &AppState,
    auth: &BearerAuth,
    plan_id: Uuid,
    tender_id: Uuid,
    tenant_id: Uuid,
    version: Option<i32>,
    answer: Answer,
) -> ApiResult<Json<TenderDto>> {
    let tender = participants::answer(
        &state.db, &auth.0, plan_id, tender_id, tenant_id, version, answer,
    )
    .await?;
    Ok(Json(tender.into()))
}

#[OpenApi(prefix_path = "/commitments", tag = "ApiTags::TenderPlans")]
impl CommitmentsApi {
    /// The municipality's own participations in planned tenders across the plans it reads.
    #[oai(path = "/", method = "get", operation_id = "listCommitments")]
    async fn list(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
    ) -> ApiResult<Json<CommitmentList>> {
        let found = participants::commitments(&state.db, &auth.0).await?;
        Ok(Json(CommitmentList::of(
            found.into_iter().map(CommitmentDto::from).collect(),
        )))
    }
}
