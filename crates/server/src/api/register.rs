//! `/deadlines`, `/overview` and `/options`: the register at a glance, and
//! its value lists.

use chrono::NaiveDate;
use poem::web::Data;
use poem_openapi::param::Query;
use poem_openapi::payload::Json;
use poem_openapi::{Object, OpenApi};
use samudbud_domain::contracts::options;
use samudbud_domain::contracts::overview::{self, Amount, Deadline, DeadlineCounts, DeadlineKind};
use samudbud_domain::exports::lists;
use serde::Serialize;
use uuid::Uuid;

use super::ApiTags;
use super::export::{self, Export, SheetFormatDto};
use super::money::Dkk;
use super::serialized::{Encoded, json_body, serde_body};
use crate::problem::{ApiError, ApiResult};
use crate::responses::Answer;
use crate::security::BearerAuth;
use crate::state::AppState;

pub struct RegisterApi;

#[derive(Object, Serialize)]
#[cfg_attr(test, derive(Clone))]
#[oai(rename = "Deadline", skip_serializing_if_is_none)]
struct DeadlineDto {
    contract_id: Uuid,
    title: String,
    supplier: String,
    /// `notice_deadline` (last day to give notice) or `retender_start` (start work on the next tender).
    kind: String,
    date: NaiveDate,
    /// Negative when the deadline has passed.
    days_left: i64,
    /// The deadline has passed and the contract is still in force.
    overdue: bool,
    criticality: String,
    /// Who answers for the contract: its system owner, else its responsible unit.
    #[serde(skip_serializing_if = "Option::is_none")]
    owner: Option<String>,
}

impl From<Deadline> for DeadlineDto {
    fn from(d: Deadline) -> Self {
        Self {
            contract_id: d.contract_id,
            title: d.title,
            supplier: d.supplier,
            kind: match d.kind {
                DeadlineKind::NoticeDeadline => "notice_deadline".into(),
                DeadlineKind::RetenderStart => "retender_start".into(),
            },
            date: d.date,
            days_left: d.days_left,
            overdue: d.days_left < 0,
            criticality: d.criticality,
            owner: d.owner,
        }
    }
}

// A whole list (as `whole_list!` writes one) that serde writes: a
// municipality's deadlines run to thousands, and `Json` would first build
// them all as a `serde_json::Value`.
#[derive(Object, Serialize)]
struct DeadlineList {
    items: Vec<DeadlineDto>,
    /// The number of items; this list is never paged.
    total: u64,
}

#[derive(Object)]
#[oai(rename = "Spend")]
struct SpendDto {
    label: String,
    annual_value: Dkk,
    contracts: u32,
}

impl From<Amount> for SpendDto {
    fn from(a: Amount) -> Self {
        Self {
            label: a.label,
            annual_value: Dkk(a.annual_value),
            contracts: a.contracts,
        }
    }
}

#[derive(Object)]
struct ContractRefDto {
    id: Uuid,
    title: String,
}

/// Open deadlines of the municipality's own contracts in force. Each count
/// is the `total` of `GET /contracts` with the filter of the same name
/// (`notice_overdue=true`, `notice_within_days=90`, …; with `owner=me` for
/// the caller's own).
#[derive(Object)]
#[oai(rename = "DeadlineCounts")]
struct DeadlineCountsDto {
    /// Notice deadlines passed.
    notice_overdue: u32,
    /// Re-tender starts passed.
    retender_overdue: u32,
    notice_within_90_days: u32,
    notice_within_180_days: u32,
    notice_within_365_days: u32,
    retender_within_90_days: u32,
    retender_within_180_days: u32,
    retender_within_365_days: u32,
}

impl From<DeadlineCounts> for DeadlineCountsDto {
    fn from(c: DeadlineCounts) -> Self {
        let [
            notice_within_90_days,
            notice_within_180_days,
            notice_within_365_days,
        ] = c.notice_within;
        let [
            retender_within_90_days,
            retender_within_180_days,
            retender_within_365_days,
        ] = c.retender_within;
        Self {
            notice_overdue: c.notice_overdue,
            retender_overdue: c.retender_overdue,
            notice_within_90_days,
            notice_within_180_days,
            notice_within_365_days,
            retender_within_90_days,
            retender_within_180_days,
            retender_within_365_days,
        }
    }
}

/// The register at a glance.
#[derive(Object)]
#[oai(rename = "Overview")]
struct OverviewDto {
    /// The municipality's own contracts.
    deadlines: DeadlineCountsDto,
    /// The contracts the caller owns ("Mine frister").
    my_deadlines: DeadlineCountsDto,
    /// Active contracts with neither system owner nor responsible unit.
    without_owner: Vec<ContractRefDto>,
    /// Active contracts running until terminated.
    without_end: Vec<ContractRefDto>,
    /// Annual value of active contracts by supplier, largest first.
    spend_by_supplier: Vec<SpendDto>,
    /// Annual value of active contracts by category, largest first.
    spend_by_category: Vec<SpendDto>,
}

#[derive(Object)]
#[oai(rename = "OptionValue")]
struct OptionValueDto {
    code: String,
    /// The Danish label.
    label: String,
}

#[derive(Object)]
#[oai(rename = "OptionList")]
struct OptionListDto {
    name: String,
    values: Vec<OptionValueDto>,
}

#[derive(Object)]
struct OptionLists {
    items: Vec<OptionListDto>,
}

fn refs(list: Vec<(Uuid, String)>) -> Vec<ContractRefDto> {
    list.into_iter()
        .map(|(id, title)| ContractRefDto { id, title })
        .collect()
}

#[OpenApi(tag = "ApiTags::Contracts")]
impl RegisterApi {
    /// Open notice deadlines and re-tender starts of the municipality's own
    /// contracts in force: those passed first, then soonest first.
    #[oai(path = "/deadlines", method = "get", operation_id = "listDeadlines")]
    async fn deadlines(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        request: &poem::Request,
        /// Passed, or from today to this many days ahead (default 90).
        within_days: Query<Option<u32>>,
    ) -> ApiResult<Encoded<DeadlineList>> {
        let key = state.responses.key(&auth.0, request);
        let answer = state
            .responses
            .answer(key, async {
                let found =
                    overview::deadlines(&state.db, &auth.0, within_days.0.unwrap_or(90)).await?;
                let items: Vec<DeadlineDto> = found.into_iter().map(DeadlineDto::from).collect();
                let list = DeadlineList {
                    total: items.len() as u64,
                    items,
                };
                Ok::<_, ApiError>(Answer::new(serde_body(&list)?))
            })
            .await?;
        Ok(Encoded::answer(answer, request)?)
    }

    /// Export the deadlines a list with these filters finds: `xlsx` or `csv`.
    #[oai(
        path = "/deadlines/export",
        method = "get",
        operation_id = "exportDeadlines"
    )]
    async fn export_deadlines(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        format: Query<SheetFormatDto>,
        /// From today to this many days ahead (default 90).
        within_days: Query<Option<u32>>,
    ) -> ApiResult<Export> {
        let found = overview::deadlines(&state.db, &auth.0, within_days.0.unwrap_or(90)).await?;
        Ok(export::sheet(
            format.0.into(),
            "Frister",
            lists::DEADLINE_COLUMNS.to_vec(),
            "frister",
            move |tx| async move {
                let rows = found.iter().map(lists::deadline_row).collect();
                export::forward(&tx, Ok::<_, String>(Some(rows))).await;
            },
        ))
    }

    /// Deadline counts, contracts missing an owner or an end date, and annual spend.
    #[oai(path = "/overview", method = "get", operation_id = "getOverview")]
    async fn overview(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        request: &poem::Request,
    ) -> ApiResult<Encoded<OverviewDto>> {
        let key = state.responses.key(&auth.0, request);
        let answer = state
            .responses
            .answer(key, async {
                let o = overview::overview(&state.db, &auth.0).await?;
                Ok::<_, ApiError>(Answer::new(json_body(&OverviewDto {
                    deadlines: o.deadlines.into(),
                    my_deadlines: o.my_deadlines.into(),
                    without_owner: refs(o.without_owner),
                    without_end: refs(o.without_end),
                    spend_by_supplier: o
                        .spend_by_supplier
                        .into_iter()
                        .map(SpendDto::from)
                        .collect(),
                    spend_by_category: o
                        .spend_by_category
                        .into_iter()
                        .map(SpendDto::from)
                        .collect(),
                })))
            })
            .await?;
        Ok(Encoded::answer(answer, request)?)
    }

    /// The value lists of the register (contract types, procedures, payment
    /// models, …) with Danish labels.
    #[oai(path = "/options", method = "get", operation_id = "listOptions")]
    async fn options(&self, _auth: BearerAuth) -> ApiResult<Json<OptionLists>> {
        Ok(Json(OptionLists {
            items: options::ALL
                .iter()
                .map(|list| OptionListDto {
                    name: list.name.into(),
                    values: list
                        .values
                        .iter()
                        .map(|(code, label)| OptionValueDto {
                            code: (*code).into(),
                            label: (*label).into(),
                        })
                        .collect(),
                })
                .collect(),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::super::serialized::assert_same_json;
    use super::*;

    /// The deadlines are written with serde; the JSON is the same as the
    /// spec's `ToJSON`, with an owner and without one.
    #[test]
    fn deadlines_serialize_as_their_schema_writes_them() {
        let deadline = |owner: Option<&str>| DeadlineDto {
            contract_id: Uuid::nil(),
            title: "Lønsystem \"Opus\"".into(),
            supplier: "KMD A/S".into(),
            kind: "notice_deadline".into(),
            date: NaiveDate::from_ymd_opt(2027, 2, 28).unwrap(),
            days_left: -3,
            overdue: true,
            criticality: "high".into(),
            owner: owner.map(str::to_owned),
        };
        let list = DeadlineList {
            items: vec![deadline(Some("Økonomi")), deadline(None)],
            total: 2,
        };
        assert_same_json(&list);
        assert_same_json(&DeadlineList {
            items: vec![],
            total: 0,
        });
    }
}
