//! `/opportunities`: joint tender opportunities (muligheder for fælles
//! udbud) from the contracts shared with a collaboration, the reader's own
//! contracts that others re-tender too, and creating a planned tender from
//! an opportunity.

use chrono::NaiveDate;
use poem::web::Data;
use poem_openapi::param::Query;
use poem_openapi::payload::Json;
use poem_openapi::types::Example;
use poem_openapi::{ApiResponse, Object, OpenApi};
use samudbud_domain::opportunities::grouping::Level;
use samudbud_domain::opportunities::{
    self, CpvRef, CreateFromOpportunity, Match, MyOpportunity, Opportunity, OpportunityContract,
    OpportunityQuery,
};
use samudbud_domain::tender_plans::model::ThresholdVerdict;
use samudbud_domain::tender_plans::service::TenantRef;
use uuid::Uuid;

use super::ApiTags;
use super::money::{Dkk, Eur};
use super::tender_plans::{CpvRefDto, TenantRefDto, TenderDto};
use super::text::Text;
use super::versioning::etag;
use crate::problem::ApiResult;
use crate::security::BearerAuth;
use crate::state::AppState;

pub struct OpportunitiesApi;

fn tenant_dto(t: TenantRef) -> TenantRefDto {
    TenantRefDto {
        id: t.id,
        name: t.name,
        cvr: t.cvr,
    }
}

/// A contract in an opportunity.
#[derive(Object)]
#[oai(rename = "OpportunityContract", skip_serializing_if_is_none)]
struct ContractDto {
    id: Uuid,
    title: String,
    /// The municipality whose contract it is.
    tenant: TenantRefDto,
    supplier_name: Option<String>,
    cpv_code: Option<String>,
    category: Option<String>,
    annual_value: Option<Dkk>,
    /// For the whole term including options.
    total_value: Option<Dkk>,
    end_on: Option<NaiveDate>,
    notice_deadline: Option<NaiveDate>,
    /// The day work on the next tender must begin.
    retender_start: NaiveDate,
    /// The caller's municipality's own contract.
    own: bool,
}

impl From<OpportunityContract> for ContractDto {
    fn from(c: OpportunityContract) -> Self {
        Self {
            id: c.id,
            title: c.title,
            tenant: tenant_dto(c.tenant),
            supplier_name: c.supplier_name,
            cpv_code: c.cpv_code,
            category: c.category,
            annual_value: c.annual_value.map(Dkk),
            total_value: c.total_value.map(Dkk),
            end_on: c.end_on,
            notice_deadline: c.notice_deadline,
            retender_start: c.retender_start,
            own: c.own,
        }
    }
}

/// The combined total value against the EU threshold for supplies and
/// services in force on the earliest re-tender start.
#[derive(Object)]
#[oai(rename = "OpportunityThreshold")]
struct ThresholdDto {
    eur: Eur,
    dkk: Dkk,
    applies_from: NaiveDate,
    applies_to: NaiveDate,
    /// At or above the threshold: a joint tender needs an EU procedure.
    above: bool,
    /// No municipality alone is above it; the sum is.
    crosses_only_in_aggregate: bool,
    /// What it means, in Danish.
    consequence: String,
}

impl From<ThresholdVerdict> for ThresholdDto {
    fn from(v: ThresholdVerdict) -> Self {
        Self {
            eur: Eur(v.threshold_eur),
            dkk: Dkk(v.threshold_dkk),
            applies_from: v.valid_from,
            applies_to: v.valid_to,
            above: v.above,
            crosses_only_in_aggregate: v.crosses_only_in_aggregate,
            consequence: v.consequence,
        }
    }
}

/// A planned tender of the collaboration's plans that already takes the
/// group along: same CPV prefix (or category) and at least one of the
/// group's contracts among its participants' replaced contracts.
#[derive(Object)]
#[oai(rename = "OpportunityCoverage")]
struct CoverageDto {
    plan_id: Uuid,
    plan_name: String,
    tender_id: Uuid,
    subject: String,
}

/// Contracts of at least two municipalities, shared with the collaboration,
/// in the same CPV branch or category, re-tendering within the window.
#[derive(Object)]
#[oai(rename = "OpportunityGroup", skip_serializing_if_is_none)]
struct GroupDto {
    /// Stable for the same contracts and level: `cpv:72250` or `category:drift`.
    key: String,
    /// The CPV label of the prefix, or the category.
    label: String,
    /// Why the contracts are grouped, in Danish.
    reason: String,
    /// The prefix padded to a full code, when the CPV list holds it.
    cpv: Option<CpvRefDto>,
    category: Option<String>,
    municipalities: Vec<TenantRefDto>,
    /// By re-tender start.
    contracts: Vec<ContractDto>,
    annual_value: Dkk,
    total_value: Dkk,
    earliest_retender_start: NaiveDate,
    latest_retender_start: NaiveDate,
    threshold: Option<ThresholdDto>,
    covered_by: Vec<CoverageDto>,
}

impl From<Opportunity> for GroupDto {
    fn from(o: Opportunity) -> Self {
        Self {
            key: o.key,
            label: o.label,
            reason: o.reason,
            cpv: o
                .cpv
                .map(|CpvRef { code, label }| CpvRefDto { code, label }),
            category: o.category,
            municipalities: o.municipalities.into_iter().map(tenant_dto).collect(),
            contracts: o.contracts.into_iter().map(Into::into).collect(),
            annual_value: Dkk(o.annual_value),
            total_value: Dkk(o.total_value),
            earliest_retender_start: o.earliest_retender_start,
            latest_retender_start: o.latest_retender_start,
            threshold: o.threshold.map(Into::into),
            covered_by: o
                .covered_by
                .into_iter()
                .map(|c| CoverageDto {
                    plan_id: c.plan_id,
                    plan_name: c.plan_name,
                    tender_id: c.tender_id,
                    subject: c.subject,
                })
                .collect(),
        }
    }
}

/// The window re-tender starts fall in, both days included.
#[derive(Object)]
#[oai(rename = "OpportunityWindow")]
struct WindowDto {
    from: NaiveDate,
    to: NaiveDate,
}

#[derive(Object)]
#[oai(rename = "OpportunityList")]
struct ListDto {
    items: Vec<GroupDto>,
    total: u64,
    window: WindowDto,
    /// `group`, `class`, `division` or `category`.
    level: String,
    /// The level's Danish name.
    level_label: String,
}

#[derive(Object)]
#[oai(rename = "CollaborationRef")]
struct CollaborationRefDto {
    id: Uuid,
    name: String,
}

/// Another municipality's contract, with the collaboration it is shared in.
#[derive(Object)]
#[oai(rename = "OpportunityMatch")]
struct MatchDto {
    contract: ContractDto,
    collaboration: CollaborationRefDto,
}

impl From<Match> for MatchDto {
    fn from(m: Match) -> Self {
        Self {
            contract: m.contract.into(),
            collaboration: CollaborationRefDto {
                id: m.collaboration_id,
                name: m.collaboration_name,
            },
        }
    }
}

/// One of the caller's own contracts and the others like it.
#[derive(Object)]
#[oai(rename = "MyOpportunity")]
struct MyOpportunityDto {
    contract: ContractDto,
    matches: Vec<MatchDto>,
}

impl From<MyOpportunity> for MyOpportunityDto {
    fn from(m: MyOpportunity) -> Self {
        Self {
            contract: m.contract.into(),
            matches: m.matches.into_iter().map(Into::into).collect(),
        }
    }
}

#[derive(Object)]
#[oai(rename = "MyOpportunityList")]
struct MyListDto {
    items: Vec<MyOpportunityDto>,
    total: u64,
    window: WindowDto,
}

/// Create a planned tender from an opportunity. The group is recomputed on
/// the server from `collaboration_id`, `level`, `window_months`, `from` and
/// `category` (send what the list was read with) and found by `group_key`.
#[derive(Object)]
#[oai(rename = "TenderFromOpportunityInput", deny_unknown_fields, example)]
struct CreateDto {
    collaboration_id: Uuid,
    group_key: Text<1, 200>,
    /// `group` (default), `class`, `division` or `category`.
    level: Option<String>,
    /// 18 when absent.
    window_months: Option<u32>,
    /// Today when absent.
    from: Option<NaiveDate>,
    category: Option<Text<0, 100>>,
    /// One of the collaboration's tender plans the caller may change.
    plan_id: Uuid,
    /// From the group's label when absent.
    subject: Option<Text<0, 300>>,
    /// The caller's municipality when absent.
    lead_tenant_id: Option<Uuid>,
}

impl Example for CreateDto {
    fn example() -> Self {
        Self {
            collaboration_id: Uuid::nil(),
            group_key: "cpv:72250".into(),
            level: Some("group".into()),
            window_months: Some(18),
            from: NaiveDate::from_ymd_opt(2026, 12, 1),
            category: None,
            plan_id: Uuid::nil(),
            subject: Some("Fælles udbud af systemsupport".into()),
            lead_tenant_id: None,
        }
    }
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

#[OpenApi(prefix_path = "/opportunities", tag = "ApiTags::Opportunities")]
impl OpportunitiesApi {
    /// The collaboration's joint tender opportunities: contracts its active
    /// members have shared with it, of at least two municipalities, in the
    /// same CPV group (5 digits), class (4), division (2) or category, whose
    /// re-tender start falls within the window. Active members only.
    #[oai(path = "/", method = "get", operation_id = "listOpportunities")]
    #[allow(clippy::too_many_arguments)]
    async fn list(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        collaboration_id: Query<Uuid>,
        /// Months from `from`; 18 when absent, at most 120.
        window_months: Query<Option<u32>>,
        /// `group` (5 digits, default), `class` (4), `division` (2) or `category`.
        level: Query<Option<String>>,
        /// Only contracts of this category.
        category: Query<Option<String>>,
        /// The window's first day; today when absent.
        from: Query<Option<NaiveDate>>,
    ) -> ApiResult<Json<ListDto>> {
        let found = opportunities::list(
            &state.db,
            &auth.0,
            OpportunityQuery {
                collaboration_id: collaboration_id.0,
                window_months: window_months.0,
                level: level.0,
                category: category.0,
                from: from.0,
            },
        )
        .await?;
        Ok(Json(ListDto {
            total: found.items.len() as u64,
            items: found.items.into_iter().map(Into::into).collect(),
            window: WindowDto {
                from: found.from,
                to: found.to,
            },
            level: found.level.as_str().to_owned(),
            level_label: level_label(found.level),
        }))
    }

    /// Who else re-tenders what we re-tender soon: each of the caller's own
    /// contracts re-tendering within the window, with the contracts other
    /// municipalities share with the caller's collaborations in the same CPV
    /// group (5 digits) or category, re-tendering within the window too.
    #[oai(path = "/mine", method = "get", operation_id = "listMyOpportunities")]
    async fn mine(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// Months from `from`; 18 when absent, at most 120.
        window_months: Query<Option<u32>>,
        /// The window's first day; today when absent.
        from: Query<Option<NaiveDate>>,
    ) -> ApiResult<Json<MyListDto>> {
        let (found, window) =
            opportunities::mine(&state.db, &auth.0, window_months.0, from.0).await?;
        Ok(Json(MyListDto {
            total: found.len() as u64,
            items: found.into_iter().map(Into::into).collect(),
            window: WindowDto {
                from: window.from,
                to: window.to,
            },
        }))
    }

    /// Create a planned tender from an opportunity, in one of the
    /// collaboration's plans the caller may change: subject, CPV code and
    /// category from the group, every municipality of the group invited
    /// (pending until it confirms) with its contracts as replaced contracts
    /// and their total value as estimated value. 409 when the group no
    /// longer exists.
    #[oai(
        path = "/planned-tenders",
        method = "post",
        operation_id = "createTenderFromOpportunity"
    )]
    async fn create(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        body: Json<CreateDto>,
    ) -> ApiResult<CreatedTender> {
        let body = body.0;
        let created = opportunities::create_tender(
            &state.db,
            &auth.0,
            CreateFromOpportunity {
                collaboration_id: body.collaboration_id,
                group_key: body.group_key.into(),
                level: body.level,
                window_months: body.window_months,
                from: body.from,
                category: body.category.map(String::from),
                plan_id: body.plan_id,
                subject: body.subject.map(String::from),
                lead_tenant_id: body.lead_tenant_id,
            },
        )
        .await?;
        let tag = etag(created.version);
        let location = format!(
            "{}/tender-plans/{}/tenders/{}",
            super::API_PREFIX,
            created.plan_id,
            created.id
        );
        Ok(CreatedTender::Created(Json(created.into()), tag, location))
    }
}

fn level_label(level: Level) -> String {
    level.label_da().to_owned()
}
