//! Validation of a contract as written: every field checked at once, each
//! problem reported on its own field; the caller stores only what passes.

use std::collections::HashSet;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, ConnectionTrait, QueryFilter};
use uuid::Uuid;

use super::options;
use super::types::ContractInput;
use crate::db::{scoped, scoped_get};
use crate::entities::{contract, it_system};
use crate::error::{DomainError, DomainResult, FieldError};
use crate::principal::TenantId;
use crate::suppliers::{self, Supplier};
use crate::values::{Lines, bounded_date, optional_multiline_text, optional_text, required_text};

/// Validated contract fields, ready to store.
pub(super) struct Valid {
    pub(super) input: ContractInput,
    pub(super) supplier: Supplier,
    pub(super) contract_type: String,
    pub(super) notice_to: String,
    pub(super) criticality: String,
    pub(super) start_on: NaiveDate,
}

fn check_code(
    errors: &mut Vec<FieldError>,
    field: &str,
    list: &options::OptionList,
    value: Option<&str>,
) {
    if let Some(value) = value
        && !list.contains(value)
    {
        errors.push(FieldError::new(
            field,
            "invalid",
            format!("one of: {}", list.codes()),
        ));
    }
}

fn check_money(errors: &mut Vec<FieldError>, field: &str, value: Option<Decimal>) {
    if let Some(value) = value {
        if value.is_sign_negative() {
            errors.push(FieldError::new(
                field,
                "out_of_range",
                "must not be negative",
            ));
        } else if value.normalize().scale() > 2 {
            errors.push(FieldError::new(
                field,
                "invalid",
                "at most two decimals (øre)",
            ));
        } else if value >= Decimal::from(100_000_000_000_000i64) {
            errors.push(FieldError::new(
                field,
                "out_of_range",
                "must be below 100,000,000,000,000",
            ));
        }
    }
}

fn check_months(errors: &mut Vec<FieldError>, field: &str, value: Option<u32>, max: u32) {
    if value.is_some_and(|v| v > max) {
        errors.push(FieldError::new(
            field,
            "out_of_range",
            format!("at most {max}"),
        ));
    }
}

pub(super) async fn validate<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    id: Option<Uuid>,
    mut input: ContractInput,
) -> DomainResult<Valid> {
    let mut errors: Vec<FieldError> = Vec::new();
    let start_on = check_fields(&mut input, &mut errors);
    // The full form with the check digit; when a CPV list is loaded, one of its codes.
    match crate::reference::check_cpv_field(conn, "cpv_code", input.cpv_code.as_deref()).await? {
        Ok(code) => input.cpv_code = code,
        Err(e) => {
            errors.push(e);
            input.cpv_code = None;
        }
    }
    let supplier = match input.supplier_id {
        None => {
            errors.push(FieldError::new(
                "supplier_id",
                "required",
                "choose the supplier (by CVR number)",
            ));
            None
        }
        Some(id) => match suppliers::get(conn, id).await {
            Ok(s) => Some(s),
            Err(DomainError::NotFound) => {
                errors.push(FieldError::new(
                    "supplier_id",
                    "unknown",
                    "no such supplier",
                ));
                None
            }
            Err(e) => return Err(e),
        },
    };

    input.system_ids.sort();
    input.system_ids.dedup();
    if !input.system_ids.is_empty() {
        let known: HashSet<Uuid> = scoped::<it_system::Entity>(tenant)
            .filter(it_system::Column::Id.is_in(input.system_ids.clone()))
            .all(conn)
            .await?
            .into_iter()
            .map(|s| s.id)
            .collect();
        if input.system_ids.iter().any(|id| !known.contains(id)) {
            errors.push(FieldError::new(
                "system_ids",
                "unknown",
                "an IT system that is not the municipality's",
            ));
        }
    }

    if let Some(parent) = input.parent_id {
        if Some(parent) == id {
            errors.push(FieldError::new(
                "parent_id",
                "cycle",
                "a contract cannot be its own main contract",
            ));
        } else {
            // Walk up from the parent; meeting this contract would close a cycle.
            let mut seen = HashSet::new();
            let mut cursor = Some(parent);
            while let Some(current) = cursor {
                if !seen.insert(current) {
                    break;
                }
                match scoped_get::<contract::Entity, _>(conn, tenant, current).await {
                    Ok(found) => {
                        if Some(found.id) == id {
                            errors.push(FieldError::new(
                                "parent_id",
                                "cycle",
                                "the main contract hangs under this contract",
                            ));
                            break;
                        }
                        cursor = found.parent_id;
                    }
                    Err(DomainError::NotFound) => {
                        if current == parent {
                            errors.push(FieldError::new(
                                "parent_id",
                                "unknown",
                                "no such contract in the municipality",
                            ));
                        }
                        break;
                    }
                    Err(e) => return Err(e),
                }
            }
        }
    }

    let current_owner = match id {
        Some(id) => scoped::<contract::Entity>(tenant)
            .filter(contract::Column::Id.eq(id))
            .one(conn)
            .await?
            .and_then(|c| c.owner_user_id),
        None => None,
    };
    if let Err(e) =
        crate::people::check_owner(conn, tenant, input.owner_user_id, current_owner).await?
    {
        errors.push(e);
    }

    finish(input, supplier, start_on, errors).map_err(DomainError::Validation)
}

/// The checks that need no database: texts, codes, amounts, months and the
/// dates against each other. Returns the start date when it is given.
pub(super) fn check_fields(
    input: &mut ContractInput,
    errors: &mut Vec<FieldError>,
) -> Option<NaiveDate> {
    match required_text("title", &input.title, 300) {
        Ok(title) => input.title = title,
        Err(e) => errors.push(e),
    }
    for (field, value, max, lines) in [
        ("reference", &mut input.reference, 100, Lines::Single),
        ("description", &mut input.description, 10_000, Lines::Multi),
        ("category", &mut input.category, 100, Lines::Single),
        (
            "framework_agreement",
            &mut input.framework_agreement,
            200,
            Lines::Single,
        ),
        (
            "price_regulation",
            &mut input.price_regulation,
            200,
            Lines::Single,
        ),
        ("system_owner", &mut input.system_owner, 200, Lines::Single),
        (
            "responsible_unit",
            &mut input.responsible_unit,
            200,
            Lines::Single,
        ),
        (
            "supplier_contact",
            &mut input.supplier_contact,
            200,
            Lines::Single,
        ),
        ("notes", &mut input.notes, 10_000, Lines::Multi),
    ] {
        let checked = match lines {
            Lines::Single => optional_text(field, value.as_deref(), max),
            Lines::Multi => optional_multiline_text(field, value.as_deref(), max),
        };
        match checked {
            Ok(clean) => *value = clean,
            Err(e) => errors.push(e),
        }
    }
    for (field, date) in [
        ("signed_on", &mut input.signed_on),
        ("start_on", &mut input.start_on),
        ("end_on", &mut input.end_on),
        ("irrevocable_until", &mut input.irrevocable_until),
        ("terminated_on", &mut input.terminated_on),
    ] {
        if let Some(Err(e)) = date.map(|d| bounded_date(field, d)) {
            errors.push(e);
            // Left out of the checks between dates below: it is refused already.
            *date = None;
        }
    }
    check_code(
        errors,
        "status",
        &options::STATUSES,
        input.status.as_deref(),
    );
    if input.status.as_deref() == Some("not_started") {
        // Follows from the start date alone; set, it would outlast the start.
        errors.push(FieldError::new(
            "status",
            "derived",
            "not_started follows from the start date and cannot be set",
        ));
    }
    check_code(
        errors,
        "contract_type",
        &options::CONTRACT_TYPES,
        input.contract_type.as_deref(),
    );
    check_code(
        errors,
        "procedure",
        &options::PROCEDURES,
        input.procedure.as_deref(),
    );
    check_code(
        errors,
        "payment_model",
        &options::PAYMENT_MODELS,
        input.payment_model.as_deref(),
    );
    check_code(
        errors,
        "payment_frequency",
        &options::PAYMENT_FREQUENCIES,
        input.payment_frequency.as_deref(),
    );
    check_code(
        errors,
        "notice_to",
        &options::NOTICE_TO,
        input.notice_to.as_deref(),
    );
    check_code(
        errors,
        "criticality",
        &options::CRITICALITIES,
        input.criticality.as_deref(),
    );
    for element in &input.agreement_elements {
        check_code(
            errors,
            "agreement_elements",
            &options::AGREEMENT_ELEMENTS,
            Some(element),
        );
    }
    input.agreement_elements.sort();
    input.agreement_elements.dedup();
    check_money(errors, "annual_value", input.annual_value);
    check_money(errors, "total_value", input.total_value);
    check_months(errors, "option_months", input.option_months, 240);
    check_months(errors, "options_total", input.options_total, 20);
    check_months(
        errors,
        "notice_period_months",
        input.notice_period_months,
        120,
    );
    check_months(
        errors,
        "retender_lead_months",
        input.retender_lead_months,
        120,
    );
    if input.options_exercised.unwrap_or(0) > input.options_total.unwrap_or(0) {
        errors.push(FieldError::new(
            "options_exercised",
            "out_of_range",
            "at most the number of options",
        ));
    }
    if input.options_total.unwrap_or(0) > 0 && input.option_months.unwrap_or(0) == 0 {
        errors.push(FieldError::new(
            "option_months",
            "required",
            "give the length of each option",
        ));
    }
    let start_on = match input.start_on {
        Some(start) => Some(start),
        None if errors.iter().any(|e| e.field == "start_on") => None,
        None => {
            errors.push(FieldError::new(
                "start_on",
                "required",
                "the start date is required",
            ));
            None
        }
    };
    if let (Some(start), Some(end)) = (start_on, input.end_on)
        && end < start
    {
        errors.push(FieldError::new(
            "end_on",
            "before_start",
            "the end date is before the start date",
        ));
    }
    if let (Some(start), Some(terminated)) = (start_on, input.terminated_on)
        && terminated < start
    {
        errors.push(FieldError::new(
            "terminated_on",
            "before_start",
            "the contract cannot end before it starts",
        ));
    }
    if let (Some(signed), Some(start)) = (input.signed_on, start_on)
        && signed > start
    {
        errors.push(FieldError::new(
            "signed_on",
            "after_start",
            "the signing date is after the start date",
        ));
    }

    start_on
}

/// The validated contract, or every problem found.
pub(super) fn finish(
    input: ContractInput,
    supplier: Option<Supplier>,
    start_on: Option<NaiveDate>,
    errors: Vec<FieldError>,
) -> Result<Valid, Vec<FieldError>> {
    match (supplier, start_on, errors.is_empty()) {
        (Some(supplier), Some(start_on), true) => Ok(Valid {
            contract_type: input.contract_type.clone().unwrap_or_else(|| "main".into()),
            notice_to: input.notice_to.clone().unwrap_or_else(|| "none".into()),
            criticality: input.criticality.clone().unwrap_or_else(|| "normal".into()),
            supplier,
            start_on,
            input,
        }),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_has_at_most_two_decimals_and_no_sign() {
        let mut errors = Vec::new();
        check_money(&mut errors, "v", Some(Decimal::new(123_456_789, 2)));
        check_money(&mut errors, "v", Some(Decimal::new(10, 3)));
        assert!(errors.is_empty(), "{errors:?}");
        check_money(&mut errors, "v", Some(Decimal::new(1, 3)));
        check_money(&mut errors, "v", Some(Decimal::new(-1, 0)));
        assert_eq!(errors.len(), 2);
    }
}
