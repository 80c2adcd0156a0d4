//! `/reference` and `/cpv`: the platform's reference data for tender plans.
//! Every signed-in principal reads it; platform operators correct it.

use chrono::NaiveDate;
use poem::web::Data;
use poem_openapi::param::Query;
use poem_openapi::payload::Json;
use poem_openapi::types::Example;
use poem_openapi::{Object, OpenApi};
use rust_decimal::Decimal;
use samudbud_domain::reference::{self, CpvEntry};
use samudbud_domain::tender_plans::model::{ContractKind, Procedure, Threshold, TimeLimits};
use samudbud_domain::{DomainError, FieldError};

use super::ApiTags;
use super::money::{Dkk, Eur};
use super::text::Code;
use crate::problem::ApiResult;
use crate::security::BearerAuth;
use crate::state::AppState;

pub struct ReferenceApi;
pub struct CpvApi;

/// An EU threshold (excluding VAT) for one contract kind, by the date the
/// contract notice is published.
#[derive(Object)]
#[oai(rename = "Threshold", skip_serializing_if_is_none)]
struct ThresholdDto {
    /// `supplies_services`, `works` or `light_regime`.
    kind: String,
    kind_label: String,
    valid_from: NaiveDate,
    valid_to: NaiveDate,
    eur: Eur,
    /// Absent until the official DKK value is published.
    dkk: Option<Dkk>,
}

impl From<Threshold> for ThresholdDto {
    fn from(t: Threshold) -> Self {
        Self {
            kind: t.kind.as_str().to_owned(),
            kind_label: t.kind.label_da().to_owned(),
            valid_from: t.valid_from,
            valid_to: t.valid_to,
            eur: Eur(t.eur),
            dkk: t.dkk.map(Dkk),
        }
    }
}

super::whole_list!(ThresholdList, ThresholdDto);

#[derive(Object)]
#[oai(rename = "ThresholdInput", deny_unknown_fields)]
struct ThresholdInputDto {
    /// `supplies_services`, `works` or `light_regime`.
    kind: Code,
    valid_from: NaiveDate,
    valid_to: NaiveDate,
    eur: Eur,
    dkk: Option<Dkk>,
}

/// The whole threshold table, replacing the one there.
#[derive(Object)]
#[oai(rename = "ThresholdTable", deny_unknown_fields, example)]
struct ThresholdTableDto {
    items: Vec<ThresholdInputDto>,
}

impl Example for ThresholdTableDto {
    fn example() -> Self {
        Self {
            items: vec![ThresholdInputDto {
                kind: "supplies_services".into(),
                valid_from: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default(),
                valid_to: NaiveDate::from_ymd_opt(2027, 12, 31).unwrap_or_default(),
                eur: Eur(Decimal::new(216_000, 0)),
                dkk: Some(Dkk(Decimal::new(1_611_360, 0))),
            }],
        }
    }
}

/// A procedure's minimum time limits in calendar days.
#[derive(Object)]
#[oai(rename = "ProcedureTimeLimits", skip_serializing_if_is_none)]
struct TimeLimitsDto {
    /// A code of `GET /options` `procedure`.
    procedure: String,
    procedure_label: String,
    /// From the day after the notice to the first deadline; 0: no statutory minimum.
    min_days_from_notice: u32,
    /// Two-stage procedures: from the invitation to tender to the bid deadline.
    second_stage_days: Option<u32>,
    /// After an award decision sent electronically; 0: none.
    standstill_days: u32,
}

impl From<TimeLimits> for TimeLimitsDto {
    fn from(t: TimeLimits) -> Self {
        Self {
            procedure: t.procedure.as_str().to_owned(),
            procedure_label: t.procedure.label_da().to_owned(),
            min_days_from_notice: t.min_days_from_notice,
            second_stage_days: t.second_stage_days,
            standstill_days: t.standstill_days,
        }
    }
}

super::whole_list!(TimeLimitsList, TimeLimitsDto);

#[derive(Object)]
#[oai(rename = "ProcedureTimeLimitsInput", deny_unknown_fields)]
struct TimeLimitsInputDto {
    procedure: Code,
    min_days_from_notice: u32,
    second_stage_days: Option<u32>,
    standstill_days: u32,
}

/// Time limits to set, per procedure; procedures not listed keep theirs.
#[derive(Object)]
#[oai(rename = "TimeLimitsTable", deny_unknown_fields, example)]
struct TimeLimitsTableDto {
    items: Vec<TimeLimitsInputDto>,
}

impl Example for TimeLimitsTableDto {
    fn example() -> Self {
        Self {
            items: vec![TimeLimitsInputDto {
                procedure: "open".into(),
                min_days_from_notice: 35,
                second_stage_days: None,
                standstill_days: 10,
            }],
        }
    }
}

/// A code of the Common Procurement Vocabulary.
#[derive(Object)]
#[oai(rename = "CpvCode")]
struct CpvDto {
    /// With its check digit, e.g. `48000000-8`.
    code: String,
    label_da: String,
    label_en: String,
}

impl From<CpvEntry> for CpvDto {
    fn from(e: CpvEntry) -> Self {
        Self {
            code: e.code,
            label_da: e.label_da,
            label_en: e.label_en,
        }
    }
}

#[derive(Object)]
struct CpvList {
    items: Vec<CpvDto>,
    /// How many codes match in all.
    total: u64,
}

#[OpenApi(prefix_path = "/reference", tag = "ApiTags::Reference")]
impl ReferenceApi {
    /// The EU thresholds with their validity periods.
    #[oai(path = "/thresholds", method = "get", operation_id = "listThresholds")]
    async fn thresholds(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
    ) -> ApiResult<Json<ThresholdList>> {
        let found = reference::list_thresholds(&state.db, &auth.0).await?;
        Ok(Json(ThresholdList::of(
            found.into_iter().map(ThresholdDto::from).collect(),
        )))
    }

    /// Replace the threshold table (platform operators).
    #[oai(
        path = "/thresholds",
        method = "put",
        operation_id = "replaceThresholds"
    )]
    async fn replace_thresholds(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        body: Json<ThresholdTableDto>,
    ) -> ApiResult<Json<ThresholdList>> {
        let mut errors = Vec::new();
        let mut rows = Vec::new();
        for (n, item) in body.0.items.into_iter().enumerate() {
            match ContractKind::parse(&item.kind) {
                Some(kind) => rows.push(Threshold {
                    kind,
                    valid_from: item.valid_from,
                    valid_to: item.valid_to,
                    eur: item.eur.0,
                    dkk: item.dkk.map(|d| d.0),
                }),
                None => errors.push(FieldError::new(
                    format!("items[{n}].kind"),
                    "invalid",
                    "one of: supplies_services, works, light_regime",
                )),
            }
        }
        if !errors.is_empty() {
            return Err(DomainError::Validation(errors).into());
        }
        let found = reference::replace_thresholds(&state.db, &auth.0, rows).await?;
        Ok(Json(ThresholdList::of(
            found.into_iter().map(ThresholdDto::from).collect(),
        )))
    }

    /// The procedures' minimum time limits, for back-planning.
    #[oai(path = "/time-limits", method = "get", operation_id = "listTimeLimits")]
    async fn time_limits(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
    ) -> ApiResult<Json<TimeLimitsList>> {
        let found = reference::list_time_limits(&state.db, &auth.0).await?;
        Ok(Json(TimeLimitsList::of(
            found.into_iter().map(TimeLimitsDto::from).collect(),
        )))
    }

    /// Set procedures' time limits (platform operators).
    #[oai(path = "/time-limits", method = "put", operation_id = "setTimeLimits")]
    async fn set_time_limits(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        body: Json<TimeLimitsTableDto>,
    ) -> ApiResult<Json<TimeLimitsList>> {
        let mut errors = Vec::new();
        let mut rows = Vec::new();
        for (n, item) in body.0.items.into_iter().enumerate() {
            match Procedure::parse(&item.procedure) {
                Some(procedure) => rows.push(TimeLimits {
                    procedure,
                    min_days_from_notice: item.min_days_from_notice,
                    second_stage_days: item.second_stage_days,
                    standstill_days: item.standstill_days,
                }),
                None => errors.push(FieldError::new(
                    format!("items[{n}].procedure"),
                    "invalid",
                    "a code of GET /options procedure",
                )),
            }
        }
        if !errors.is_empty() {
            return Err(DomainError::Validation(errors).into());
        }
        let found = reference::set_time_limits(&state.db, &auth.0, rows).await?;
        Ok(Json(TimeLimitsList::of(
            found.into_iter().map(TimeLimitsDto::from).collect(),
        )))
    }
}

#[OpenApi(prefix_path = "/cpv", tag = "ApiTags::Reference")]
impl CpvApi {
    /// Find CPV codes by the start of the code or words of the Danish label.
    #[oai(path = "/", method = "get", operation_id = "searchCpv")]
    async fn search(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// Code digits (`4800`, `48000000-8`) or Danish words (`software`).
        q: Query<Option<String>>,
        /// At most this many (1–200, default 20).
        page_size: Query<Option<u64>>,
    ) -> ApiResult<Json<CpvList>> {
        let (found, total) = reference::search_cpv(
            &state.db,
            &auth.0,
            q.0.as_deref(),
            page_size.0.unwrap_or(20),
        )
        .await?;
        Ok(Json(CpvList {
            items: found.into_iter().map(CpvDto::from).collect(),
            total,
        }))
    }
}
