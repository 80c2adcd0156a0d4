//! From a file's rows to contracts: the column mapping (header → field),
//! each data row read into a draft contract with its supplier CVR, system
//! names and main contract reference still to be looked up, and every
//! problem as a Danish message on the row and column it was found in.
//! Pure: no database.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::ContractInput;
use super::columns::{self, COLUMNS, Column, Kind, Value};
use super::spreadsheet::{Layout, Row};
use crate::error::FieldError;
use crate::values::Cvr;

/// A mapping as the client gives it: a column's header (or its index from
/// 0, as text) → a field key; an empty key leaves the column out.
pub type Mapping = BTreeMap<String, String>;

/// The fields an import cannot do without.
pub const REQUIRED: [&str; 3] = ["title", "supplier_cvr", "start_on"];

/// A problem with a row, where it was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowIssue {
    /// The row's number in the file (from 1).
    pub row: usize,
    /// The column's header ("" when the problem is the row's as a whole).
    pub column: String,
    /// The cell's value as read.
    pub value: String,
    /// The field key.
    pub field: String,
    /// What is wrong, in Danish.
    pub message: String,
}

/// The column of the file each field is read from.
#[derive(Debug, Clone)]
pub struct Resolved {
    /// Per column of the file (by index): the field it is read into.
    pub fields: Vec<Option<&'static Column>>,
    /// Per field key: the header of its column.
    pub headers: HashMap<&'static str, String>,
    /// The mapping with headers as keys, as saved for next time.
    pub mapping: Mapping,
    /// Columns with values that no field reads.
    pub unmapped: Vec<String>,
}

/// The mapping the header names suggest, with `saved` (a municipality's last
/// used mapping) taking precedence for headers it knows.
pub fn suggested_mapping(layout: &Layout, saved: &Mapping) -> Mapping {
    let mut taken = HashSet::new();
    let mut mapping = Mapping::new();
    for column in &layout.columns {
        let field = saved
            .get(&column.header)
            .filter(|f| columns::by_key(f).is_some_and(|c| !matches!(c.kind, Kind::Derived)))
            .cloned()
            .or_else(|| column.suggested_field.clone());
        if let Some(field) = field
            && taken.insert(field.clone())
        {
            mapping.insert(column.header.clone(), field);
        }
    }
    mapping
}

/// Checks `mapping` against the file's columns: every key a column, every
/// value a field, no field twice, the required fields present.
pub fn resolve(layout: &Layout, mapping: &Mapping) -> Result<Resolved, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut fields: Vec<Option<&'static Column>> = vec![None; layout.columns.len()];
    let mut headers = HashMap::new();
    let mut saved = Mapping::new();
    for (key, field) in mapping {
        let field = field.trim();
        if field.is_empty() || field == "ignore" {
            continue;
        }
        let column = layout
            .columns
            .iter()
            .find(|c| c.header == *key)
            .or_else(|| {
                let wanted = columns::normalise_header(key);
                layout
                    .columns
                    .iter()
                    .find(|c| columns::normalise_header(&c.header) == wanted)
            })
            .or_else(|| {
                key.trim()
                    .parse::<usize>()
                    .ok()
                    .and_then(|i| layout.columns.get(i))
            });
        let Some(column) = column else {
            errors.push(FieldError::new(
                format!("mapping.{key}"),
                "unknown",
                format!("Filen har ingen kolonne «{key}»"),
            ));
            continue;
        };
        let Some(target) = COLUMNS.iter().find(|c| c.key == field) else {
            errors.push(FieldError::new(
                format!("mapping.{key}"),
                "invalid",
                format!("«{field}» er ikke et felt i kontraktregistret"),
            ));
            continue;
        };
        if headers.contains_key(target.key) {
            errors.push(FieldError::new(
                format!("mapping.{key}"),
                "duplicate",
                format!("Feltet «{}» er valgt til flere kolonner", target.header),
            ));
            continue;
        }
        if fields[column.index].is_some() {
            errors.push(FieldError::new(
                format!("mapping.{key}"),
                "duplicate",
                format!("Kolonnen «{}» er kortlagt to gange", column.header),
            ));
            continue;
        }
        fields[column.index] = Some(target);
        headers.insert(target.key, column.header.clone());
        saved.insert(column.header.clone(), target.key.to_owned());
    }
    for required in REQUIRED {
        if !headers.contains_key(required) {
            let header = columns::by_key(required).map_or(required, |c| c.header);
            errors.push(FieldError::new(
                "mapping",
                "required",
                format!("Vælg den kolonne, der indeholder «{header}»"),
            ));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let unmapped = layout
        .columns
        .iter()
        .filter(|c| fields[c.index].is_none() && !c.samples.is_empty())
        .filter(|c| !columns::is_derived_header(&c.header))
        .map(|c| c.header.clone())
        .collect();
    Ok(Resolved {
        fields,
        headers,
        mapping: saved,
        unmapped,
    })
}

/// A data row read into a contract, before the database lookups.
#[derive(Debug, Clone, Default)]
pub struct Draft {
    /// The row's number in the file.
    pub row: usize,
    /// The row's cells as text (for the rejected rows' file).
    pub cells: Vec<String>,
    pub input: ContractInput,
    pub supplier_cvr: Option<Cvr>,
    pub supplier_name: Option<String>,
    pub systems: Vec<String>,
    pub parent_reference: Option<String>,
    pub issues: Vec<RowIssue>,
}

/// Reads every data row below the header (blank rows are passed over; a
/// row that only repeats the header is too).
pub fn drafts(rows: &[Row], header: usize, resolved: &Resolved) -> Vec<Draft> {
    let header_texts: Vec<String> = rows[header].cells.iter().map(|c| c.text()).collect();
    rows[header + 1..]
        .iter()
        .filter(|r| !r.is_blank())
        .filter(|r| r.cells.iter().map(|c| c.text()).collect::<Vec<_>>() != header_texts)
        .map(|r| draft(r, resolved))
        .collect()
}

fn draft(row: &Row, resolved: &Resolved) -> Draft {
    let mut d = Draft {
        row: row.number,
        cells: row.cells.iter().map(|c| c.text()).collect(),
        ..Draft::default()
    };
    for (index, column) in resolved.fields.iter().enumerate() {
        let Some(column) = column else { continue };
        let cell = row.cell(index);
        let header = resolved
            .headers
            .get(column.key)
            .cloned()
            .unwrap_or_default();
        let value = match columns::parse_cell(column.kind, cell) {
            Ok(Some(value)) => value,
            Ok(None) => continue,
            Err(message) => {
                d.issues.push(RowIssue {
                    row: row.number,
                    column: header,
                    value: cell.text(),
                    field: column.key.to_owned(),
                    message,
                });
                continue;
            }
        };
        if let Err(message) = apply(&mut d, column.key, value) {
            d.issues.push(RowIssue {
                row: row.number,
                column: header,
                value: cell.text(),
                field: column.key.to_owned(),
                message,
            });
        }
    }
    d
}

fn apply(d: &mut Draft, key: &str, value: Value) -> Result<(), String> {
    let i = &mut d.input;
    match (key, value) {
        ("title", Value::Text(t)) => i.title = t,
        ("reference", Value::Text(t)) => i.reference = Some(t),
        ("description", Value::Text(t)) => i.description = Some(t),
        ("status", Value::Code(c)) => i.status = Some(c),
        ("contract_type", Value::Code(c)) => i.contract_type = Some(c),
        ("parent_reference", Value::Text(t)) => d.parent_reference = Some(t),
        ("supplier_cvr", Value::Text(t)) => {
            d.supplier_cvr = Some(Cvr::parse("supplier_cvr", &t).map_err(|e| match e.code {
                "checksum" => "CVR-nummeret er ugyldigt (kontrolcifferet passer ikke)".to_owned(),
                _ => "Et CVR-nummer er otte cifre og begynder ikke med 0".to_owned(),
            })?);
        }
        ("supplier_name", Value::Text(t)) => d.supplier_name = Some(t),
        ("systems", Value::Texts(names)) => d.systems = names,
        ("category", Value::Text(t)) => i.category = Some(t),
        ("cpv_code", Value::Text(t)) => i.cpv_code = Some(t),
        ("agreement_elements", Value::Codes(c)) => i.agreement_elements = c,
        ("procedure", Value::Code(c)) => i.procedure = Some(c),
        ("framework_agreement", Value::Text(t)) => i.framework_agreement = Some(t),
        ("annual_value", Value::Money(v)) => i.annual_value = Some(v),
        ("total_value", Value::Money(v)) => i.total_value = Some(v),
        ("payment_model", Value::Code(c)) => i.payment_model = Some(c),
        ("payment_frequency", Value::Code(c)) => i.payment_frequency = Some(c),
        ("price_regulation", Value::Text(t)) => i.price_regulation = Some(t),
        ("signed_on", Value::Date(v)) => i.signed_on = Some(v),
        ("start_on", Value::Date(v)) => i.start_on = Some(v),
        ("end_on", Value::Date(v)) => i.end_on = Some(v),
        ("irrevocable_until", Value::Date(v)) => i.irrevocable_until = Some(v),
        ("option_months", Value::Integer(v)) => i.option_months = Some(v),
        ("options_total", Value::Integer(v)) => i.options_total = Some(v),
        ("options_exercised", Value::Integer(v)) => i.options_exercised = Some(v),
        ("notice_period_months", Value::Integer(v)) => i.notice_period_months = Some(v),
        ("notice_to", Value::Code(c)) => i.notice_to = Some(c),
        ("terminated_on", Value::Date(v)) => i.terminated_on = Some(v),
        ("retender_lead_months", Value::Integer(v)) => i.retender_lead_months = Some(v),
        ("system_owner", Value::Text(t)) => i.system_owner = Some(t),
        ("responsible_unit", Value::Text(t)) => i.responsible_unit = Some(t),
        ("supplier_contact", Value::Text(t)) => i.supplier_contact = Some(t),
        ("criticality", Value::Code(c)) => i.criticality = Some(c),
        ("notes", Value::Text(t)) => i.notes = Some(t),
        ("publishable", Value::Bool(b)) => i.publishable = b,
        (other, _) => return Err(format!("Feltet «{other}» kan ikke importeres")),
    }
    Ok(())
}

/// The register column a validation error's field belongs to.
pub fn column_key(field: &str) -> &str {
    match field {
        "supplier_id" => "supplier_cvr",
        "system_ids" => "systems",
        "parent_id" => "parent_reference",
        other => other,
    }
}

/// A validation error of the contract rules, in Danish.
pub fn danish_message(error: &FieldError) -> String {
    let header =
        columns::by_key(column_key(&error.field)).map_or(error.field.as_str(), |c| c.header);
    let limit = error
        .message
        .split(|c: char| !c.is_ascii_digit() && c != ',')
        .find(|part| !part.is_empty() && part.chars().any(|c| c.is_ascii_digit()))
        .unwrap_or("")
        .replace(',', ".");
    match (error.field.as_str(), error.code) {
        ("end_on", "before_start") => "Slutdatoen ligger før startdatoen".into(),
        ("terminated_on", "before_start") => {
            "Kontrakten kan ikke være opsagt, før den starter".into()
        }
        ("signed_on", "after_start") => {
            "Underskriftsdatoen kan ikke ligge efter startdatoen".into()
        }
        ("options_exercised", "out_of_range") => {
            "Der er udnyttet flere optioner, end der er i alt".into()
        }
        ("option_months", "required") => {
            "Angiv hver options længde i måneder, når kontrakten har optioner".into()
        }
        ("supplier_id", "required") => "Leverandørens CVR-nummer skal udfyldes".into(),
        ("annual_value" | "total_value", "out_of_range") if error.message.contains("negative") => {
            "Beløbet må ikke være negativt".into()
        }
        ("annual_value" | "total_value", "out_of_range") => "Beløbet er for stort".into(),
        ("annual_value" | "total_value", "invalid") => "Højst to decimaler (øre)".into(),
        ("cpv_code", "checksum") => format!(
            "Kontrolcifferet i CPV-koden passer ikke ({})",
            error.message
        ),
        ("status", "derived") => {
            "«Ikke startet» følger af startdatoen og kan ikke angives som status".into()
        }
        ("cpv_code", "unknown") => "CPV-koden findes ikke i CPV-listen".into(),
        ("cpv_code", _) => "Ikke en CPV-kode (skrives fx 48000000-8)".into(),
        (_, "required") => format!("«{header}» skal udfyldes"),
        (_, "too_long") => format!("Teksten er for lang (højst {limit} tegn)"),
        (_, "invalid_character") => "Teksten indeholder et tegn, der ikke er tilladt".into(),
        (_, "out_of_range") if !limit.is_empty() => format!("Højst {limit}"),
        (_, "out_of_range") => "Værdien ligger uden for det tilladte".into(),
        (_, "unknown") => format!("«{header}» findes ikke"),
        (_, "cycle") => "Kontrakten kan ikke hænge under sig selv".into(),
        _ => format!("Ugyldig værdi i «{header}»"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contracts::columns::Cell;
    use crate::contracts::spreadsheet::{header_index, layout};

    fn row(number: usize, cells: &[&str]) -> Row {
        Row {
            number,
            cells: cells
                .iter()
                .map(|c| {
                    if c.is_empty() {
                        Cell::Empty
                    } else {
                        Cell::Text((*c).into())
                    }
                })
                .collect(),
        }
    }

    #[test]
    fn rows_become_drafts_with_their_problems() {
        let rows = vec![
            row(
                1,
                &[
                    "Titel",
                    "CVR",
                    "Startdato",
                    "Slutdato",
                    "Årlig værdi",
                    "Status",
                    "Ukendt",
                ],
            ),
            row(
                2,
                &[
                    "Drift",
                    "10403782",
                    "01-01-2026",
                    "31-12-2027",
                    "1.234,50",
                    "Aktiv",
                    "x",
                ],
            ),
            row(3, &["", "", "", "", "", "", ""]),
            row(
                4,
                &["Support", "12345678", "31-02-2027", "", "-5", "Måske", ""],
            ),
        ];
        let header = header_index(&rows).unwrap();
        let layout = layout(&rows, header);
        let mapping = suggested_mapping(&layout, &Mapping::new());
        assert_eq!(mapping.len(), 6);
        let resolved = resolve(&layout, &mapping).unwrap();
        assert_eq!(resolved.unmapped, vec!["Ukendt".to_owned()]);
        let drafts = drafts(&rows, header, &resolved);
        assert_eq!(drafts.len(), 2);
        assert!(drafts[0].issues.is_empty(), "{:?}", drafts[0].issues);
        assert_eq!(drafts[0].input.status.as_deref(), Some("active"));
        assert_eq!(
            drafts[0].supplier_cvr.as_ref().map(Cvr::as_str),
            Some("10403782")
        );
        let fields: Vec<&str> = drafts[1].issues.iter().map(|i| i.field.as_str()).collect();
        assert_eq!(fields, vec!["supplier_cvr", "start_on", "status"]);
        assert_eq!(drafts[1].issues[0].row, 4);
        assert_eq!(drafts[1].issues[0].column, "CVR");
        // The negative amount is read; the contract rules refuse it.
        assert!(
            drafts[1]
                .input
                .annual_value
                .is_some_and(|v| v.is_sign_negative())
        );
    }

    #[test]
    fn a_mapping_is_checked() {
        let rows = vec![row(1, &["Navn", "Firma", "Start"])];
        let layout = layout(&rows, 0);
        let mut mapping = Mapping::new();
        mapping.insert("Navn".into(), "title".into());
        mapping.insert("Start".into(), "title".into());
        mapping.insert("Findes ikke".into(), "notes".into());
        mapping.insert("1".into(), "no_such_field".into());
        let errors = resolve(&layout, &mapping).unwrap_err();
        let codes: Vec<&str> = errors.iter().map(|e| e.code).collect();
        assert!(codes.contains(&"duplicate"));
        assert!(codes.contains(&"unknown"));
        assert!(codes.contains(&"invalid"));
        assert!(codes.contains(&"required"));
    }
}
