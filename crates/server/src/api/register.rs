//! `/deadlines`, `/overview` and `/options`: the register at a glance, and
//! its value lists.

use chrono::NaiveDate;
use poem::web::Data;
use poem_openapi::param::Query;
use poem_openapi::payload::Json;
use poem_openapi::{Object, OpenApi};
use samudbud_domain::contracts::options;
use samudbud_domain::contracts::overview::{self, Amount, Deadline, DeadlineKind};
use samudbud_domain::exports::lists;
use uuid::Uuid;

use super::ApiTags;
use super::export::{self, Export, SheetFormatDto};
use super::money::Dkk;
use crate::problem::ApiResult;
use crate::security::BearerAuth;
use crate::state::AppState;

pub struct RegisterApi;

#[derive(Object)]
#[oai(rename = "Deadline", skip_serializing_if_is_none)]
struct DeadlineDto {
    contract_id: Uuid,
    title: String,
    supplier: String,
    /// `notice_deadline` (last day to give notice) or `retender_start` (start work on the next tender).
    kind: String,
    date: NaiveDate,
    days_left: i64,
    criticality: String,
    /// Who answers for the contract: its system owner, else its responsible unit.
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
            criticality: d.criticality,
            owner: d.owner,
        }
    }
}

super::whole_list!(DeadlineList, DeadlineDto);

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

/// The register at a glance.
#[derive(Object)]
#[oai(rename = "Overview")]
struct OverviewDto {
    deadlines_within_90_days: u32,
    deadlines_within_180_days: u32,
    deadlines_within_365_days: u32,
    /// The same counts for the contracts the caller owns ("Mine frister").
    my_deadlines_within_90_days: u32,
    my_deadlines_within_180_days: u32,
    my_deadlines_within_365_days: u32,
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
    /// Notice deadlines and re-tender starts of active contracts, soonest first.
    #[oai(path = "/deadlines", method = "get", operation_id = "listDeadlines")]
    async fn deadlines(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// From today to this many days ahead (default 90).
        within_days: Query<Option<u32>>,
    ) -> ApiResult<Json<DeadlineList>> {
        let found = overview::deadlines(&state.db, &auth.0, within_days.0.unwrap_or(90)).await?;
        Ok(Json(DeadlineList::of(
            found.into_iter().map(DeadlineDto::from).collect(),
        )))
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
    ) -> ApiResult<Json<OverviewDto>> {
        let o = overview::overview(&state.db, &auth.0).await?;
        Ok(Json(OverviewDto {
            deadlines_within_90_days: o.within_90,
            deadlines_within_180_days: o.within_180,
            deadlines_within_365_days: o.within_365,
            my_deadlines_within_90_days: o.mine_within_90,
            my_deadlines_within_180_days: o.mine_within_180,
            my_deadlines_within_365_days: o.mine_within_365,
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
        }))
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
