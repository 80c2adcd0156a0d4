//! The platform's reference data for tender plans: the EU thresholds with
//! their validity periods, the procedures' minimum time limits, and the CPV
//! vocabulary. Every signed-in principal reads them; platform operators
//! correct them (API or command line) without a release.

use chrono::{NaiveDate, Utc};
use rust_decimal::Decimal;
use sea_orm::sea_query::{Expr, ExprTrait, LikeExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use serde::Serialize;

use crate::audit::{self, Change};
use crate::db::{
    Db, Scope, escape_like, platform, platform_by_id, platform_delete, platform_update,
};
use crate::entities::money::StoredAmount;
use crate::entities::{cpv_code, procedure_time_limit, threshold};
use crate::error::{DomainError, DomainResult, FieldError};
use crate::policy::{Action, authorize};
use crate::principal::Principal;
use crate::tender_plans::model::{ContractKind, Procedure, Threshold, TimeLimits};
use crate::values::bounded_date;

/// The object kind of reference data in the audit trail.
pub const KIND: &str = "reference_data";

/// Reading reference data needs a signed-in principal of any kind.
fn may_read(principal: &Principal) -> DomainResult<()> {
    match principal {
        Principal::Console => Ok(()),
        _ if principal.actor_id().is_some() => Ok(()),
        _ => Err(DomainError::Unauthenticated(
            "sign in to read reference data",
        )),
    }
}

fn to_threshold(m: threshold::Model) -> Option<Threshold> {
    Some(Threshold {
        kind: ContractKind::parse(&m.kind)?,
        valid_from: m.valid_from,
        valid_to: m.valid_to,
        eur: m.eur.0,
        dkk: m.dkk.map(|d| d.0),
    })
}

fn to_time_limits(m: procedure_time_limit::Model) -> Option<TimeLimits> {
    Some(TimeLimits {
        procedure: Procedure::parse(&m.procedure)?,
        min_days_from_notice: u32::try_from(m.min_days_from_notice).unwrap_or(0),
        second_stage_days: m.second_stage_days.map(|d| u32::try_from(d).unwrap_or(0)),
        standstill_days: u32::try_from(m.standstill_days).unwrap_or(0),
    })
}

/// Every threshold row, by kind and validity.
pub async fn all_thresholds<C: ConnectionTrait>(conn: &C) -> DomainResult<Vec<Threshold>> {
    Ok(platform::<threshold::Entity>()
        .order_by_asc(threshold::Column::Kind)
        .order_by_asc(threshold::Column::ValidFrom)
        .all(conn)
        .await?
        .into_iter()
        .filter_map(to_threshold)
        .collect())
}

/// Every procedure's time limits.
pub async fn all_time_limits<C: ConnectionTrait>(conn: &C) -> DomainResult<Vec<TimeLimits>> {
    let mut limits: Vec<TimeLimits> = platform::<procedure_time_limit::Entity>()
        .all(conn)
        .await?
        .into_iter()
        .filter_map(to_time_limits)
        .collect();
    limits.sort_by_key(|l| l.procedure);
    Ok(limits)
}

pub async fn list_thresholds(db: &Db, principal: &Principal) -> DomainResult<Vec<Threshold>> {
    may_read(principal)?;
    let txn = db.read(Scope::System).await?;
    let found = all_thresholds(&txn).await?;
    txn.commit().await?;
    Ok(found)
}

pub async fn list_time_limits(db: &Db, principal: &Principal) -> DomainResult<Vec<TimeLimits>> {
    may_read(principal)?;
    let txn = db.read(Scope::System).await?;
    let found = all_time_limits(&txn).await?;
    txn.commit().await?;
    Ok(found)
}

fn check_amount(errors: &mut Vec<FieldError>, field: String, value: Decimal) {
    if value <= Decimal::ZERO {
        errors.push(FieldError::new(field, "out_of_range", "must be above zero"));
    } else if value.normalize().scale() > 2 {
        errors.push(FieldError::new(field, "invalid", "at most two decimals"));
    } else if value >= Decimal::from(100_000_000_000_000i64) {
        errors.push(FieldError::new(
            field,
            "out_of_range",
            "must be below 100,000,000,000,000",
        ));
    }
}

/// Replaces the threshold table with `rows` (platform operators). The
/// periods of one kind must not overlap.
pub async fn replace_thresholds(
    db: &Db,
    principal: &Principal,
    rows: Vec<Threshold>,
) -> DomainResult<Vec<Threshold>> {
    let scope = authorize(principal, Action::ManageReferenceData)?;
    let mut errors = Vec::new();
    if rows.is_empty() {
        errors.push(FieldError::new(
            "items",
            "required",
            "at least one threshold",
        ));
    }
    for (n, row) in rows.iter().enumerate() {
        for (field, date) in [("valid_from", row.valid_from), ("valid_to", row.valid_to)] {
            if let Err(mut e) = bounded_date(field, date) {
                e.field = format!("items[{n}].{field}");
                errors.push(e);
            }
        }
        if row.valid_to < row.valid_from {
            errors.push(FieldError::new(
                format!("items[{n}].valid_to"),
                "before_start",
                "the period ends before it starts",
            ));
        }
        check_amount(&mut errors, format!("items[{n}].eur"), row.eur);
        if let Some(dkk) = row.dkk {
            check_amount(&mut errors, format!("items[{n}].dkk"), dkk);
        }
        for (m, other) in rows.iter().enumerate().skip(n + 1) {
            if other.kind == row.kind
                && other.valid_from <= row.valid_to
                && row.valid_from <= other.valid_to
            {
                errors.push(FieldError::new(
                    format!("items[{m}].valid_from"),
                    "overlap",
                    format!("overlaps items[{n}] of the same kind"),
                ));
            }
        }
    }
    if !errors.is_empty() {
        return Err(DomainError::Validation(errors));
    }
    let txn = db.write(scope).await?;
    let before = all_thresholds(&txn).await?;
    platform_delete::<threshold::Entity>().exec(&txn).await?;
    let now = Utc::now();
    for row in &rows {
        threshold::ActiveModel {
            kind: Set(row.kind.as_str().to_owned()),
            valid_from: Set(row.valid_from),
            valid_to: Set(row.valid_to),
            eur: Set(StoredAmount(row.eur)),
            dkk: Set(row.dkk.map(StoredAmount)),
            updated_at: Set(now),
        }
        .insert(&txn)
        .await?;
    }
    let after = all_thresholds(&txn).await?;
    audit::record(
        &txn,
        principal,
        None,
        Change {
            action: "reference.thresholds_replaced",
            object_kind: KIND,
            object_id: uuid::Uuid::nil(),
            before: serde_json::to_value(&before).ok(),
            after: serde_json::to_value(&after).ok(),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(after)
}

/// Sets the time limits of the procedures in `rows` (platform operators).
pub async fn set_time_limits(
    db: &Db,
    principal: &Principal,
    rows: Vec<TimeLimits>,
) -> DomainResult<Vec<TimeLimits>> {
    let scope = authorize(principal, Action::ManageReferenceData)?;
    let mut errors = Vec::new();
    for (n, row) in rows.iter().enumerate() {
        for (field, value) in [
            ("min_days_from_notice", Some(row.min_days_from_notice)),
            ("second_stage_days", row.second_stage_days),
            ("standstill_days", Some(row.standstill_days)),
        ] {
            if value.is_some_and(|v| v > 365) {
                errors.push(FieldError::new(
                    format!("items[{n}].{field}"),
                    "out_of_range",
                    "at most 365 days",
                ));
            }
        }
        if rows[..n].iter().any(|r| r.procedure == row.procedure) {
            errors.push(FieldError::new(
                format!("items[{n}].procedure"),
                "duplicate",
                "each procedure once",
            ));
        }
    }
    if !errors.is_empty() {
        return Err(DomainError::Validation(errors));
    }
    let txn = db.write(scope).await?;
    let before = all_time_limits(&txn).await?;
    let now = Utc::now();
    for row in &rows {
        let model = procedure_time_limit::ActiveModel {
            procedure: Set(row.procedure.as_str().to_owned()),
            min_days_from_notice: Set(row.min_days_from_notice as i32),
            second_stage_days: Set(row.second_stage_days.map(|d| d as i32)),
            standstill_days: Set(row.standstill_days as i32),
            updated_at: Set(now),
        };
        let updated = platform_update::<procedure_time_limit::Entity>()
            .set(model.clone())
            .filter(procedure_time_limit::Column::Procedure.eq(row.procedure.as_str()))
            .exec(&txn)
            .await?;
        if updated.rows_affected == 0 {
            model.insert(&txn).await?;
        }
    }
    let after = all_time_limits(&txn).await?;
    audit::record(
        &txn,
        principal,
        None,
        Change {
            action: "reference.time_limits_set",
            object_kind: KIND,
            object_id: uuid::Uuid::nil(),
            before: serde_json::to_value(&before).ok(),
            after: serde_json::to_value(&after).ok(),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(after)
}

/// One CPV code with its labels.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct CpvEntry {
    pub code: String,
    pub label_da: String,
    pub label_en: String,
}

impl From<cpv_code::Model> for CpvEntry {
    fn from(m: cpv_code::Model) -> Self {
        Self {
            code: m.code,
            label_da: m.label_da,
            label_en: m.label_en,
        }
    }
}

/// Codes whose code starts with `q`'s digits, or whose Danish label holds
/// `q`, by code; at most `limit`. An empty `q` lists from the start.
pub async fn search_cpv(
    db: &Db,
    principal: &Principal,
    q: Option<&str>,
    limit: u64,
) -> DomainResult<(Vec<CpvEntry>, u64)> {
    may_read(principal)?;
    if !(1..=200).contains(&limit) {
        return Err(DomainError::invalid(
            "page_size",
            "out_of_range",
            "from 1 to 200",
        ));
    }
    let q = crate::values::search_phrase("q", q)?;
    let mut query = platform::<cpv_code::Entity>();
    if let Some(q) = q {
        let digits: String = q.chars().filter(|c| c.is_ascii_digit()).collect();
        let text_match = Expr::col(cpv_code::Column::SearchText)
            .like(LikeExpr::new(format!("%{}%", escape_like(&q))).escape('\\'));
        let condition = if !digits.is_empty() && q.chars().all(|c| c.is_ascii_digit() || c == '-') {
            sea_orm::Condition::any()
                .add(
                    Expr::col(cpv_code::Column::Code)
                        .like(LikeExpr::new(format!("{}%", escape_like(&q))).escape('\\')),
                )
                .add(text_match)
        } else {
            sea_orm::Condition::any().add(text_match)
        };
        query = query.filter(condition);
    }
    let txn = db.read(Scope::System).await?;
    let total = query.clone().count(&txn).await?;
    let found = query
        .order_by_asc(cpv_code::Column::Code)
        .limit(limit)
        .all(&txn)
        .await?
        .into_iter()
        .map(CpvEntry::from)
        .collect();
    txn.commit().await?;
    Ok((found, total))
}

/// Whether a CPV list is loaded, and if so whether it holds `code`.
pub async fn cpv_known<C: ConnectionTrait>(conn: &C, code: &str) -> DomainResult<Option<bool>> {
    if platform::<cpv_code::Entity>().one(conn).await?.is_none() {
        return Ok(None);
    }
    Ok(Some(
        platform_by_id::<cpv_code::Entity, _>(code)
            .one(conn)
            .await?
            .is_some(),
    ))
}

/// The Danish label of `code`, when a list is loaded and holds it.
pub async fn cpv_label<C: ConnectionTrait>(conn: &C, code: &str) -> DomainResult<Option<String>> {
    Ok(platform_by_id::<cpv_code::Entity, _>(code)
        .one(conn)
        .await?
        .map(|c| c.label_da))
}

/// A CPV code field: trimmed, in the form `NNNNNNNN-N` with a correct check
/// digit, and, when a CPV list is loaded, one of its codes. `None` for empty.
pub async fn check_cpv_field<C: ConnectionTrait>(
    conn: &C,
    field: &str,
    value: Option<&str>,
) -> DomainResult<Result<Option<String>, FieldError>> {
    let Some(text) = value.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(Ok(None));
    };
    let code = match cpv_form(text) {
        Some(code) => code,
        None => {
            return Ok(Err(FieldError::new(
                field,
                "invalid",
                "a CPV code is eight digits, a dash and a check digit, e.g. 48000000-8",
            )));
        }
    };
    if cpv_known(conn, &code).await? == Some(false) {
        return Ok(Err(FieldError::new(
            field,
            "unknown",
            "not a code of the CPV vocabulary",
        )));
    }
    Ok(Ok(Some(code)))
}

/// `text` in the form `NNNNNNNN-N`.
fn cpv_form(text: &str) -> Option<String> {
    let (main, check) = text.split_once('-')?;
    (main.len() == 8
        && check.len() == 1
        && main
            .bytes()
            .chain(check.bytes())
            .all(|b| b.is_ascii_digit()))
    .then(|| text.to_owned())
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CpvImport {
    pub imported: u64,
    pub replaced: bool,
}

/// Replaces the CPV vocabulary with `entries` (platform operators, or the
/// command line): all or nothing.
pub async fn import_cpv(
    db: &Db,
    principal: &Principal,
    entries: Vec<CpvEntry>,
) -> DomainResult<CpvImport> {
    let scope = authorize(principal, Action::ManageReferenceData)?;
    if entries.is_empty() {
        return Err(DomainError::invalid(
            "file",
            "empty",
            "no CPV codes in the file",
        ));
    }
    let txn = db.write(scope).await?;
    let replaced = platform::<cpv_code::Entity>().one(&txn).await?.is_some();
    platform_delete::<cpv_code::Entity>().exec(&txn).await?;
    let mut imported = 0u64;
    for chunk in entries.chunks(500) {
        let models = chunk.iter().map(|e| cpv_code::ActiveModel {
            code: Set(e.code.clone()),
            label_da: Set(e.label_da.clone()),
            label_en: Set(e.label_en.clone()),
            search_text: Set(format!("{} {}", e.code, e.label_da).to_lowercase()),
        });
        cpv_code::Entity::insert_many(models).exec(&txn).await?;
        imported += chunk.len() as u64;
    }
    audit::record(
        &txn,
        principal,
        None,
        Change {
            action: "reference.cpv_imported",
            object_kind: KIND,
            object_id: uuid::Uuid::nil(),
            before: None,
            after: Some(serde_json::json!({ "imported": imported })),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(CpvImport { imported, replaced })
}

/// The threshold row for `kind` in force on `date`.
pub fn threshold_on(rows: &[Threshold], kind: ContractKind, date: NaiveDate) -> Option<&Threshold> {
    rows.iter()
        .find(|t| t.kind == kind && t.valid_from <= date && date <= t.valid_to)
}
