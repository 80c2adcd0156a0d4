//! The rules a template version's content and a contract's use of it must
//! follow. Messages are Danish: they are shown to the person who typed the
//! input, next to the field the path names (`clauses[2].text`,
//! `clauses[0].parameters[1].default`, `values.oppetid_procent`,
//! `deviations[0].reason`).
//!
//! Values arrive typed (`ParameterValue`, decimals in canonical form
//! `"99.5"`). Where a client sends a value as text typed by a person,
//! [`parse_value`] reads the Danish way of writing it ("99,5",
//! "1.234.567,00 kr.", "99,5 %"): the comma is the decimal separator and a
//! dot is only ever a thousands separator, so "99.5" is refused rather than
//! guessed at (in Danish "1.234" is one thousand two hundred and
//! thirty-four).

use std::collections::{BTreeMap, HashMap, HashSet};

use rust_decimal::Decimal;
use serde::Serialize;
use uuid::Uuid;

use super::model::{
    Clause, ContractTemplateUse, Deviation, DurationUnit, Parameter, ParameterKind, ParameterValue,
    VersionContent,
};
use super::render::format_number;
use crate::error::FieldError;
use crate::values::{Lines, check_chars};

pub const MAX_CLAUSES: usize = 500;
pub const MAX_NUMBER_CHARS: usize = 20;
pub const MAX_HEADING_CHARS: usize = 200;
pub const MAX_TEXT_CHARS: usize = 20_000;
pub const MAX_GUIDANCE_CHARS: usize = 5_000;
pub const MAX_PARAMETERS_PER_CLAUSE: usize = 50;
pub const MAX_PARAMETER_NAME_CHARS: usize = 64;
pub const MAX_LABEL_CHARS: usize = 200;
pub const MAX_UNIT_CHARS: usize = 40;
pub const MAX_CHOICES: usize = 50;
pub const MAX_CHOICE_CHARS: usize = 200;
pub const MAX_TEXT_VALUE_CHARS: usize = 1_000;
pub const MAX_REASON_CHARS: usize = 5_000;
/// Numbers beyond this are refused: no contract needs them, and it keeps
/// stored values well within every database's decimal type.
pub const MAX_MAGNITUDE: i64 = 100_000_000_000_000;

/// A contract's use of a template version once validated: every parameter
/// of the version with the value that applies, and the deviations by clause.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResolvedUse {
    /// Every parameter of the version, by name.
    pub values: BTreeMap<String, ResolvedValue>,
    /// The deviations, trimmed, by clause key.
    pub deviations: BTreeMap<Uuid, Deviation>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResolvedValue {
    /// `None` only for an optional parameter with neither a value nor a default.
    pub value: Option<ParameterValue>,
    pub source: ValueSource,
}

/// Where the value that applies came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueSource {
    /// The contract chose it.
    Chosen,
    /// The template's default.
    Default,
    /// No value: an optional parameter left open.
    Missing,
}

/// A `{{name}}` in a clause text: the byte range of the whole reference and
/// the name inside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reference<'a> {
    pub start: usize,
    pub end: usize,
    pub name: &'a str,
}

/// A fault in the `{{…}}` markup of a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReferenceFault {
    /// `{{` without a closing `}}`.
    Unclosed,
    /// `{{…}}` around something that is not a parameter name.
    Malformed(String),
}

/// The parameter references of a text, in order, and the faults in its markup.
pub fn references(text: &str) -> (Vec<Reference<'_>>, Vec<ReferenceFault>) {
    let mut found = Vec::new();
    let mut faults = Vec::new();
    let mut from = 0;
    while let Some(open) = text[from..].find("{{").map(|i| from + i) {
        let Some(close) = text[open + 2..].find("}}").map(|i| open + 2 + i) else {
            faults.push(ReferenceFault::Unclosed);
            break;
        };
        let inner = &text[open + 2..close];
        let name = inner.trim();
        if valid_name(name) {
            found.push(Reference {
                start: open,
                end: close + 2,
                name,
            });
        } else {
            faults.push(ReferenceFault::Malformed(inner.to_owned()));
        }
        from = close + 2;
    }
    (found, faults)
}

/// A parameter name: a lower-case ASCII letter, then lower-case letters,
/// digits and underscores (`oppetid_procent`).
pub fn valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && name.len() <= MAX_PARAMETER_NAME_CHARS
}

/// Every parameter of a version, in clause order.
pub fn parameters(content: &VersionContent) -> impl Iterator<Item = &Parameter> {
    content.clauses.iter().flat_map(|c| c.parameters.iter())
}

/// Checks a version's content: every fault, not only the first.
pub fn validate_content(content: &VersionContent) -> Result<(), Vec<FieldError>> {
    let mut errors = Vec::new();
    if content.clauses.len() > MAX_CLAUSES {
        errors.push(FieldError::new(
            "clauses",
            "too_many",
            format!("Højst {MAX_CLAUSES} bestemmelser"),
        ));
    }
    let mut keys = HashSet::new();
    let mut numbers = HashSet::new();
    let mut names: HashMap<&str, String> = HashMap::new();
    for (i, clause) in content.clauses.iter().enumerate() {
        let at = format!("clauses[{i}]");
        if clause.key.is_nil() {
            errors.push(FieldError::new(
                format!("{at}.key"),
                "invalid",
                "Nøglen må ikke være nul-UUID'en",
            ));
        } else if !keys.insert(clause.key) {
            errors.push(FieldError::new(
                format!("{at}.key"),
                "duplicate",
                "To bestemmelser har samme nøgle",
            ));
        }
        if let Some(number) = required_single(
            &mut errors,
            &format!("{at}.number"),
            &clause.number,
            MAX_NUMBER_CHARS,
        ) && !numbers.insert(number.to_lowercase())
        {
            errors.push(FieldError::new(
                format!("{at}.number"),
                "duplicate",
                format!("Nummeret {number} er brugt af en anden bestemmelse"),
            ));
        }
        required_single(
            &mut errors,
            &format!("{at}.heading"),
            &clause.heading,
            MAX_HEADING_CHARS,
        );
        multi(
            &mut errors,
            &format!("{at}.text"),
            &clause.text,
            MAX_TEXT_CHARS,
        );
        if let Some(guidance) = &clause.guidance {
            multi(
                &mut errors,
                &format!("{at}.guidance"),
                guidance,
                MAX_GUIDANCE_CHARS,
            );
        }
        if clause.parameters.len() > MAX_PARAMETERS_PER_CLAUSE {
            errors.push(FieldError::new(
                format!("{at}.parameters"),
                "too_many",
                format!("Højst {MAX_PARAMETERS_PER_CLAUSE} parametre i en bestemmelse"),
            ));
        }
        for (j, parameter) in clause.parameters.iter().enumerate() {
            let pat = format!("{at}.parameters[{j}]");
            if valid_name(&parameter.name) {
                if let Some(first) = names.get(parameter.name.as_str()) {
                    errors.push(FieldError::new(
                        format!("{pat}.name"),
                        "duplicate",
                        format!("Parameteren {} findes allerede ({first})", parameter.name),
                    ));
                } else {
                    names.insert(&parameter.name, pat.clone());
                }
            } else {
                errors.push(FieldError::new(
                    format!("{pat}.name"),
                    "invalid",
                    format!(
                        "Navnet skal begynde med et lille bogstav a–z og må kun indeholde små bogstaver a–z, tal og _ (højst {MAX_PARAMETER_NAME_CHARS} tegn)"
                    ),
                ));
            }
            check_parameter(&mut errors, &pat, parameter);
        }
    }
    for (i, clause) in content.clauses.iter().enumerate() {
        check_references(
            &mut errors,
            &format!("clauses[{i}].text"),
            &clause.text,
            &names,
        );
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

fn check_parameter(errors: &mut Vec<FieldError>, at: &str, parameter: &Parameter) {
    required_single(
        errors,
        &format!("{at}.label"),
        &parameter.label,
        MAX_LABEL_CHARS,
    );
    if let Some(unit) = &parameter.unit {
        optional_single(errors, &format!("{at}.unit"), unit, MAX_UNIT_CHARS);
    }
    match (parameter.kind, parameter.duration_unit) {
        (ParameterKind::Duration, None) => errors.push(FieldError::new(
            format!("{at}.duration_unit"),
            "required",
            "En varighed skal have en enhed: days eller months",
        )),
        (ParameterKind::Duration, Some(_)) | (_, None) => {}
        (_, Some(_)) => errors.push(FieldError::new(
            format!("{at}.duration_unit"),
            "not_allowed",
            "Kun en varighed har en enhed for varighed",
        )),
    }
    let bounds_ok = check_bounds(errors, at, parameter);
    if parameter.kind == ParameterKind::Choice {
        if parameter.choices.is_empty() {
            errors.push(FieldError::new(
                format!("{at}.choices"),
                "required",
                "Et valg skal have mindst én mulighed",
            ));
        }
        if parameter.choices.len() > MAX_CHOICES {
            errors.push(FieldError::new(
                format!("{at}.choices"),
                "too_many",
                format!("Højst {MAX_CHOICES} muligheder"),
            ));
        }
        let mut seen = HashSet::new();
        for (k, choice) in parameter.choices.iter().enumerate() {
            let field = format!("{at}.choices[{k}]");
            if required_single(errors, &field, choice, MAX_CHOICE_CHARS).is_some()
                && !seen.insert(choice.trim())
            {
                errors.push(FieldError::new(
                    field,
                    "duplicate",
                    "Muligheden findes allerede",
                ));
            }
        }
    } else if !parameter.choices.is_empty() {
        errors.push(FieldError::new(
            format!("{at}.choices"),
            "not_allowed",
            "Kun et valg har muligheder",
        ));
    }
    if let Some(default) = &parameter.default
        && bounds_ok
    {
        errors.extend(check_value(&format!("{at}.default"), parameter, default));
    }
}

/// Checks `min` and `max`; whether they are usable for checking values.
fn check_bounds(errors: &mut Vec<FieldError>, at: &str, parameter: &Parameter) -> bool {
    let before = errors.len();
    for (field, bound) in [("min", parameter.min), ("max", parameter.max)] {
        let Some(bound) = bound else { continue };
        let field = format!("{at}.{field}");
        if !parameter.kind.is_bounded() {
            errors.push(FieldError::new(
                field,
                "not_allowed",
                "Grænser gælder kun tal, procenter, beløb og varigheder",
            ));
            continue;
        }
        if whole_kind(parameter.kind) && !bound.fract().is_zero() {
            errors.push(FieldError::new(field, "invalid", "Skal være et helt tal"));
        } else if bound.abs() >= Decimal::from(MAX_MAGNITUDE) {
            errors.push(FieldError::new(
                field,
                "out_of_range",
                "Tallet er for stort",
            ));
        }
    }
    if let (Some(min), Some(max)) = (parameter.min, parameter.max)
        && min > max
    {
        errors.push(FieldError::new(
            format!("{at}.max"),
            "out_of_range",
            "Største værdi må ikke være mindre end mindste værdi",
        ));
    }
    errors.len() == before
}

fn whole_kind(kind: ParameterKind) -> bool {
    matches!(kind, ParameterKind::Integer | ParameterKind::Duration)
}

fn check_references(
    errors: &mut Vec<FieldError>,
    field: &str,
    text: &str,
    names: &HashMap<&str, String>,
) {
    let (found, faults) = references(text);
    for fault in faults {
        errors.push(match fault {
            ReferenceFault::Unclosed => {
                FieldError::new(field, "invalid_reference", "{{ mangler sit afsluttende }}")
            }
            ReferenceFault::Malformed(inner) => FieldError::new(
                field,
                "invalid_reference",
                format!("{{{{{inner}}}}} er ikke et gyldigt parameternavn"),
            ),
        });
    }
    let mut reported = HashSet::new();
    for reference in found {
        if !names.contains_key(reference.name) && reported.insert(reference.name) {
            errors.push(FieldError::new(
                field,
                "unknown_parameter",
                format!(
                    "Teksten henviser til parameteren {}, som ikke findes i versionen",
                    reference.name
                ),
            ));
        }
    }
}

/// Checks one value against its parameter's kind, bounds and choices.
pub fn check_value(field: &str, parameter: &Parameter, value: &ParameterValue) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if value.kind() != parameter.kind {
        errors.push(FieldError::new(
            field,
            "invalid_type",
            format!(
                "Skal være en værdi af typen {} (ikke {})",
                parameter.kind.label(),
                value.kind().label()
            ),
        ));
        return errors;
    }
    match value {
        ParameterValue::Text(text) => {
            required_single(&mut errors, field, text, MAX_TEXT_VALUE_CHARS);
        }
        ParameterValue::Choice(choice)
            if !parameter.choices.iter().any(|c| c.trim() == choice.trim()) =>
        {
            errors.push(FieldError::new(
                field,
                "invalid",
                format!("Skal være en af: {}", parameter.choices.join(", ")),
            ));
        }
        ParameterValue::Money(amount) if amount.normalize().scale() > 2 => {
            errors.push(FieldError::new(
                field,
                "invalid",
                "Et beløb har højst to decimaler (øre)",
            ));
        }
        ParameterValue::Duration(count) if *count < 0 => {
            errors.push(FieldError::new(
                field,
                "out_of_range",
                "En varighed kan ikke være negativ",
            ));
        }
        _ => {}
    }
    if !errors.is_empty() {
        return errors;
    }
    if let Some(number) = value.as_decimal() {
        if number.abs() >= Decimal::from(MAX_MAGNITUDE) {
            errors.push(FieldError::new(
                field,
                "out_of_range",
                "Tallet er for stort",
            ));
            return errors;
        }
        let below = parameter.min.is_some_and(|min| number < min);
        let above = parameter.max.is_some_and(|max| number > max);
        if below || above {
            let message = match (parameter.min, parameter.max) {
                (Some(min), Some(max)) => format!(
                    "Skal være mellem {} og {}",
                    format_number(min),
                    format_number(max)
                ),
                (Some(min), None) => format!("Skal være mindst {}", format_number(min)),
                (None, Some(max)) => format!("Skal være højst {}", format_number(max)),
                (None, None) => String::new(),
            };
            errors.push(FieldError::new(field, "out_of_range", message));
        }
    }
    errors
}

/// Checks a contract's use of a version whose content is valid, and works
/// out the value of every parameter (chosen, else the default).
pub fn validate_use(
    content: &VersionContent,
    template_use: &ContractTemplateUse,
) -> Result<ResolvedUse, Vec<FieldError>> {
    let mut errors = Vec::new();
    let by_name: BTreeMap<&str, &Parameter> =
        parameters(content).map(|p| (p.name.as_str(), p)).collect();
    for (name, value) in &template_use.values {
        let field = format!("values.{name}");
        match by_name.get(name.as_str()) {
            Some(parameter) => errors.extend(check_value(&field, parameter, value)),
            None => errors.push(FieldError::new(
                field,
                "unknown_parameter",
                format!("Versionen har ingen parameter med navnet {name}"),
            )),
        }
    }
    let mut values = BTreeMap::new();
    for (name, parameter) in &by_name {
        let resolved = match (template_use.values.get(*name), &parameter.default) {
            (Some(value), _) => ResolvedValue {
                value: Some(value.clone()),
                source: ValueSource::Chosen,
            },
            (None, Some(default)) => ResolvedValue {
                value: Some(default.clone()),
                source: ValueSource::Default,
            },
            (None, None) => {
                if parameter.required {
                    errors.push(FieldError::new(
                        format!("values.{name}"),
                        "required",
                        format!("{} skal udfyldes", parameter.label.trim()),
                    ));
                }
                ResolvedValue {
                    value: None,
                    source: ValueSource::Missing,
                }
            }
        };
        values.insert((*name).to_owned(), resolved);
    }
    let names: HashMap<&str, String> = by_name.keys().map(|n| (*n, String::new())).collect();
    let clauses: HashSet<Uuid> = content.clauses.iter().map(|c| c.key).collect();
    let mut deviations = BTreeMap::new();
    let mut deviating = HashSet::new();
    for (i, deviation) in template_use.deviations.iter().enumerate() {
        let at = format!("deviations[{i}]");
        if !clauses.contains(&deviation.clause_key) {
            errors.push(FieldError::new(
                format!("{at}.clause_key"),
                "unknown_clause",
                "Versionen har ingen bestemmelse med denne nøgle",
            ));
        } else if !deviating.insert(deviation.clause_key) {
            errors.push(FieldError::new(
                format!("{at}.clause_key"),
                "duplicate",
                "Bestemmelsen har allerede en afvigelse",
            ));
        }
        let text = multi(
            &mut errors,
            &format!("{at}.text"),
            &deviation.text,
            MAX_TEXT_CHARS,
        );
        if text.is_none() {
            errors.push(FieldError::new(
                format!("{at}.text"),
                "required",
                "Afvigelsens tekst skal udfyldes",
            ));
        } else {
            check_references(&mut errors, &format!("{at}.text"), &deviation.text, &names);
        }
        let reason = multi(
            &mut errors,
            &format!("{at}.reason"),
            &deviation.reason,
            MAX_REASON_CHARS,
        );
        if reason.is_none() {
            errors.push(FieldError::new(
                format!("{at}.reason"),
                "required",
                "Begrundelsen for afvigelsen skal udfyldes",
            ));
        }
        if let (Some(text), Some(reason)) = (text, reason) {
            deviations
                .entry(deviation.clause_key)
                .or_insert_with(|| Deviation {
                    clause_key: deviation.clause_key,
                    text: text.to_owned(),
                    reason: reason.to_owned(),
                });
        }
    }
    if errors.is_empty() {
        Ok(ResolvedUse { values, deviations })
    } else {
        Err(errors)
    }
}

/// Reads a value of `parameter` typed by a person, the Danish way: "99,5",
/// "99,5 %", "1.234.567,00 kr.", "3", "3 måneder"; text and choices as
/// typed (trimmed). The value is then checked as [`check_value`] does.
pub fn parse_value(
    field: &str,
    parameter: &Parameter,
    input: &str,
) -> Result<ParameterValue, Vec<FieldError>> {
    let input = input.trim();
    let value = match parameter.kind {
        ParameterKind::Text => Ok(ParameterValue::Text(input.to_owned())),
        ParameterKind::Choice => Ok(ParameterValue::Choice(input.to_owned())),
        ParameterKind::Integer => parse_whole(input).map(ParameterValue::Integer),
        ParameterKind::Duration => {
            let unit = parameter.duration_unit.unwrap_or(DurationUnit::Days);
            let number = strip_any_suffix(
                input,
                match unit {
                    DurationUnit::Days => &["dage", "dag"],
                    DurationUnit::Months => &["måneder", "måned", "mdr.", "mdr"],
                },
            );
            parse_whole(number).map(ParameterValue::Duration)
        }
        ParameterKind::Decimal => parse_danish_decimal(input).map(ParameterValue::Decimal),
        ParameterKind::Percent => parse_danish_decimal(strip_any_suffix(input, &["%", "procent"]))
            .map(ParameterValue::Percent),
        ParameterKind::Money => {
            parse_danish_decimal(strip_any_suffix(input, &["kr.", "kr", "DKK"]))
                .map(ParameterValue::Money)
        }
    }
    .map_err(|message| vec![FieldError::new(field, "invalid", message)])?;
    let errors = check_value(field, parameter, &value);
    if errors.is_empty() {
        Ok(value)
    } else {
        Err(errors)
    }
}

fn strip_any_suffix<'a>(input: &'a str, suffixes: &[&str]) -> &'a str {
    suffixes
        .iter()
        .find_map(|s| input.strip_suffix(s))
        .unwrap_or(input)
        .trim_end()
}

fn parse_whole(input: &str) -> Result<i64, String> {
    let number = parse_danish_decimal(input)?;
    if !number.fract().is_zero() {
        return Err("Skal være et helt tal".into());
    }
    i64::try_from(number).map_err(|_| "Tallet er for stort".to_owned())
}

/// A Danish number: optional sign, digits with `.` (or spaces) between groups
/// of three, optionally `,` and decimals.
pub fn parse_danish_decimal(input: &str) -> Result<Decimal, String> {
    const FORMAT: &str = "Skriv et tal som 1.234,5 (komma før decimalerne)";
    let input = input.trim();
    let (negative, unsigned) = match input.strip_prefix(['-', '−']) {
        Some(rest) => (true, rest.trim_start()),
        None => (false, input.strip_prefix('+').unwrap_or(input)),
    };
    let (whole, fraction) = match unsigned.split_once(',') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (unsigned, None),
    };
    let groups: Vec<&str> = whole.split(['.', ' ', '\u{a0}']).collect();
    let grouped = groups.len() > 1;
    let groups_ok = !groups[0].is_empty()
        && groups
            .iter()
            .all(|g| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit()))
        && (!grouped || (groups[0].len() <= 3 && groups[1..].iter().all(|g| g.len() == 3)));
    let fraction_ok = fraction
        .is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()) && f.len() <= 10);
    if !groups_ok || !fraction_ok {
        return Err(FORMAT.into());
    }
    let digits = groups.concat();
    if digits.len() > 15 {
        return Err("Tallet er for stort".into());
    }
    let canonical = match fraction {
        Some(f) => format!("{}{digits}.{f}", if negative { "-" } else { "" }),
        None => format!("{}{digits}", if negative { "-" } else { "" }),
    };
    canonical.parse::<Decimal>().map_err(|_| FORMAT.to_owned())
}

/// A required single-line text: trimmed, checked; `None` (with an error
/// recorded) when empty or invalid.
fn required_single<'a>(
    errors: &mut Vec<FieldError>,
    field: &str,
    input: &'a str,
    max: usize,
) -> Option<&'a str> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        errors.push(FieldError::new(field, "required", "Skal udfyldes"));
        return None;
    }
    optional_single(errors, field, trimmed, max)
}

fn optional_single<'a>(
    errors: &mut Vec<FieldError>,
    field: &str,
    input: &'a str,
    max: usize,
) -> Option<&'a str> {
    checked(errors, field, input.trim(), max, Lines::Single)
}

/// A multi-line text: trimmed, checked; `None` when empty or invalid.
fn multi<'a>(
    errors: &mut Vec<FieldError>,
    field: &str,
    input: &'a str,
    max: usize,
) -> Option<&'a str> {
    checked(errors, field, input.trim(), max, Lines::Multi)
}

fn checked<'a>(
    errors: &mut Vec<FieldError>,
    field: &str,
    trimmed: &'a str,
    max: usize,
    lines: Lines,
) -> Option<&'a str> {
    if let Err(error) = check_chars(field, trimmed, lines) {
        let message = if error.message.starts_with("must be a single line") {
            "Skal stå på én linje uden linjeskift eller tabulatorer".to_owned()
        } else {
            "Indeholder et kontroltegn eller et usynligt retningstegn, som ikke er tilladt"
                .to_owned()
        };
        errors.push(FieldError::new(field, error.code, message));
        return None;
    }
    if trimmed.chars().count() > max {
        errors.push(FieldError::new(
            field,
            "too_long",
            format!("Højst {max} tegn"),
        ));
        return None;
    }
    (!trimmed.is_empty()).then_some(trimmed)
}

/// The clause with the given key.
pub fn clause(content: &VersionContent, key: Uuid) -> Option<&Clause> {
    content.clauses.iter().find(|c| c.key == key)
}
