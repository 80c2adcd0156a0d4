//! From Kitos' objects to the register's, and the fields the two keep in
//! step. Pure: no database, no network.
//!
//! The field map follows the Kitos API reference (docs: kitos-api-v2.md §5):
//! - dates are Kitos' `…T00:00:00Z`: the date part is taken;
//! - the notice period is the *name* of Kitos' choice (`"3"`); a name that
//!   is no number counts as 0 months, as Kitos itself counts it;
//! - the annual value is the sum of the external payments' `operation`
//!   (drift per year), in kroner, exact;
//! - the status is not copied: the register derives it from the dates,
//!   since Kitos' `validity.valid` is computed per request and goes stale;
//! - the supplier is found by CVR number, which in Kitos can be a foreign
//!   one: such a contract is refused (reported), since the supplier
//!   catalogue holds Danish CVR numbers only.
//!
//! Kitos values the register has no field for are not dropped: each is
//! written as a line of the contract's description under "Fra Kitos", and
//! the preview lists them as "ikke overført til egne felter".

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::model::{Choice, KitosContract, KitosSystemUsage};
use crate::contracts::ContractInput;
use crate::contracts::options::{AGREEMENT_ELEMENTS, PAYMENT_FREQUENCIES};
use crate::systems::SystemInput;
use crate::values::Cvr;

/// A Kitos value kept in the description because no field holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotTransferred {
    pub label: String,
    pub value: String,
}

/// A Kitos contract as the register would hold it.
#[derive(Debug, Clone)]
pub struct MappedContract {
    pub kitos_uuid: Uuid,
    pub last_modified: DateTime<Utc>,
    /// The contract's fields; the supplier, the IT systems and the main
    /// contract are the importer's to find (by the three below).
    pub input: ContractInput,
    /// The supplier's CVR number and name.
    pub supplier: Option<(Cvr, String)>,
    /// The system usages it covers: usage uuid and IT system name.
    pub systems: Vec<Choice>,
    /// The main contract's Kitos uuid.
    pub parent: Option<Uuid>,
    pub not_transferred: Vec<NotTransferred>,
    /// Why the contract cannot be imported, in Danish; empty when it can.
    pub problems: Vec<String>,
}

/// The date part of a Kitos time (`2026-01-01T00:00:00Z`), or of a date.
pub fn kitos_date(text: Option<&str>) -> Option<NaiveDate> {
    let text = text?.trim();
    let day = text.get(..10).unwrap_or(text);
    NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()
}

/// Months of notice from the choice's name; a non-number counts as 0.
pub fn notice_months(name: &str) -> Option<u32> {
    name.trim().parse::<u32>().ok()
}

/// An option choice such as "2 x 12 mdr." or "1 x 1 år": how many options
/// and how many months each. "Ingen" is none.
pub fn extension_options(name: &str) -> Option<(u32, u32)> {
    let text = name.trim().to_lowercase();
    if text == "ingen" || text == "0" {
        return Some((0, 0));
    }
    let (count, rest) = text.split_once(['x', '×'])?;
    let count: u32 = count.trim().parse().ok()?;
    let rest = rest.trim();
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let length: u32 = digits.parse().ok()?;
    let unit = rest[digits.len()..].trim();
    let months = if unit.starts_with("år") {
        length.checked_mul(12)?
    } else if unit.starts_with("md") || unit.starts_with("mån") {
        length
    } else {
        return None;
    };
    Some((count, months))
}

fn contract_type(name: &str) -> Option<&'static str> {
    match name.trim().to_lowercase().as_str() {
        "hovedkontrakt" => Some("main"),
        "tillægskontrakt" | "tillægsaftale" | "underkontrakt" => Some("supplementary"),
        "serviceaftale" | "service level agreement" | "sla" => Some("service_agreement"),
        "databehandleraftale" => Some("data_processing"),
        "snitfladeaftale" | "integrationsaftale" => Some("interface_agreement"),
        _ => None,
    }
}

fn criticality(name: &str) -> Option<&'static str> {
    let name = name.trim().to_lowercase();
    if name.contains("høj") || name.contains("kritisk") || name == "high" {
        Some("high")
    } else if name.contains("lav") || name == "low" {
        Some("low")
    } else if name.contains("middel") || name.contains("normal") || name == "medium" {
        Some("normal")
    } else {
        None
    }
}

fn by_label(list: &crate::contracts::options::OptionList, name: &str) -> Option<&'static str> {
    let name = name.trim().to_lowercase();
    list.values
        .iter()
        .find(|(_, label)| label.to_lowercase() == name)
        .map(|(code, _)| *code)
}

fn notice_to(segment: Option<&str>) -> Option<&'static str> {
    match segment? {
        "EndOfCalendarYear" => Some("year"),
        "EndOfQuarter" => Some("quarter"),
        "EndOfMonth" => Some("month"),
        _ => None,
    }
}

fn segment_label(segment: &str) -> String {
    match segment {
        "EndOfCalendarYear" => "udgangen af kalenderåret".into(),
        "EndOfQuarter" => "udgangen af kvartalet".into(),
        "EndOfMonth" => "udgangen af måneden".into(),
        other => other.to_owned(),
    }
}

fn text(value: Option<&str>) -> Option<String> {
    value
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

/// Maps a Kitos contract to the register's fields.
pub fn map_contract(k: &KitosContract) -> MappedContract {
    let mut lost: Vec<NotTransferred> = Vec::new();
    let mut keep = |label: &str, value: String| {
        if !value.trim().is_empty() {
            lost.push(NotTransferred {
                label: label.to_owned(),
                value,
            });
        }
    };
    let mut problems = Vec::new();
    let mut input = ContractInput {
        title: k.name.trim().to_owned(),
        reference: text(k.general.contract_id.as_deref()),
        notes: text(k.general.notes.as_deref()),
        ..ContractInput::default()
    };
    if input.title.is_empty() {
        problems.push("Kontrakten har intet navn i Kitos".to_owned());
    }

    // Type: by the choice's name; a contract under another is a supplement.
    let kind = k.general.contract_type.as_ref();
    input.contract_type = Some(
        kind.and_then(|c| contract_type(&c.name))
            .unwrap_or(if k.parent_contract.is_some() {
                "supplementary"
            } else {
                "main"
            })
            .to_owned(),
    );
    if let Some(c) = kind.filter(|c| contract_type(&c.name).is_none()) {
        keep("Kontrakttype", c.name.clone());
    }
    if let Some(t) = &k.general.contract_template {
        keep("Kontraktskabelon", t.name.clone());
    }
    if let Some(c) = &k.general.criticality {
        match criticality(&c.name) {
            Some(code) => input.criticality = Some(code.to_owned()),
            None => keep("Kritikalitet", c.name.clone()),
        }
    }
    let mut other_elements = Vec::new();
    for element in &k.general.agreement_elements {
        match by_label(&AGREEMENT_ELEMENTS, &element.name) {
            Some(code) => input.agreement_elements.push(code.to_owned()),
            None => other_elements.push(element.name.clone()),
        }
    }
    keep("Aftaleelementer", other_elements.join(", "));

    // Dates.
    let validity = &k.general.validity;
    input.start_on = kitos_date(validity.valid_from.as_deref());
    if input.start_on.is_none() {
        problems.push("Kontrakten har ingen startdato (gyldig fra) i Kitos".to_owned());
    }
    input.end_on = kitos_date(validity.valid_to.as_deref());
    input.irrevocable_until = kitos_date(k.agreement_period.irrevocable_until.as_deref());
    input.terminated_on = kitos_date(k.termination.terminated_at.as_deref());
    let signed = kitos_date(k.supplier.signed_at.as_deref());
    match (signed, input.start_on) {
        (Some(signed), Some(start)) if signed > start => {
            keep("Underskrevet af leverandør", signed.to_string());
        }
        _ => input.signed_on = signed,
    }
    if let Some(by) = text(k.supplier.signed_by.as_deref()) {
        keep("Underskrevet af (leverandør)", by);
    }
    if let Some(by) = text(k.responsible.signed_by.as_deref()) {
        keep("Underskrevet af (kommunen)", by);
    }
    if let Some(at) = kitos_date(k.responsible.signed_at.as_deref()) {
        keep("Underskrevet af kommunen den", at.to_string());
    }

    // Notice and options.
    let terms = &k.termination.terms;
    if let Some(period) = &terms.notice_period_months {
        match notice_months(&period.name) {
            Some(months) if months <= 120 => input.notice_period_months = Some(months),
            _ => {
                input.notice_period_months = Some(0);
                keep("Opsigelsesvarsel", period.name.clone());
            }
        }
    }
    input.notice_to = Some(
        notice_to(terms.notice_by_end_of.as_deref())
            .unwrap_or("none")
            .to_owned(),
    );
    if let Some(other) = terms
        .notice_by_end_of
        .as_deref()
        .filter(|s| notice_to(Some(s)).is_none())
    {
        keep("Opsigelse til", other.to_owned());
    }
    if let Some(extends) = &terms.notice_period_extends_current {
        keep("Løbende", segment_label(extends));
    }
    let period = &k.agreement_period;
    let used = u32::try_from(period.extension_options_used.max(0)).unwrap_or(0);
    match period
        .extension_options
        .as_ref()
        .map(|o| (o, extension_options(&o.name)))
    {
        Some((_, Some((total, months)))) if total <= 20 && months <= 240 && used <= total => {
            input.options_total = Some(total);
            input.option_months = Some(if total == 0 { 0 } else { months });
            input.options_exercised = Some(used);
        }
        Some((option, _)) => {
            keep("Option", option.name.clone());
            if used > 0 {
                keep("Udnyttede optioner", used.to_string());
            }
        }
        None if used > 0 => keep("Udnyttede optioner", used.to_string()),
        None => {}
    }
    match (period.duration_years, period.duration_months) {
        (None, None) => {}
        (years, months) => keep(
            "Varighed",
            format!("{} år, {} måneder", years.unwrap_or(0), months.unwrap_or(0)),
        ),
    }
    if period.is_continuous == Some(true) {
        keep("Varighed", "løbende".into());
    }

    // Economy.
    if !k.payments.external.is_empty() {
        let yearly: i64 = k.payments.external.iter().map(|p| p.operation).sum();
        input.annual_value = Some(Decimal::from(yearly.max(0)));
    }
    let acquisition: i64 = k.payments.external.iter().map(|p| p.acquisition).sum();
    if acquisition != 0 {
        keep(
            "Anskaffelse (ekstern betaling)",
            format!("{acquisition} kr."),
        );
    }
    let internal: i64 = k.payments.internal.iter().map(|p| p.operation).sum();
    if internal != 0 {
        keep("Drift pr. år (intern betaling)", format!("{internal} kr."));
    }
    let pay = &k.payment_model;
    if let Some(model) = &pay.payment_model {
        keep("Betalingsmodel", model.name.clone());
    }
    if let Some(frequency) = &pay.payment_frequency {
        match by_label(&PAYMENT_FREQUENCIES, &frequency.name) {
            Some(code) => input.payment_frequency = Some(code.to_owned()),
            None => keep("Betalingsfrekvens", frequency.name.clone()),
        }
    }
    if let Some(regulation) = &pay.price_regulation {
        input.price_regulation = text(Some(&regulation.name));
    }
    if let Some(at) = kitos_date(pay.operations_remuneration_started_at.as_deref()) {
        keep("Driftsvederlag påbegyndt", at.to_string());
    }

    // Procurement and the rest.
    let procurement = &k.procurement;
    if let Some(t) = &procurement.purchase_type {
        keep("Indkøbsform", t.name.clone());
    }
    if let Some(s) = &procurement.procurement_strategy {
        keep("Genanskaffelsesstrategi", s.name.clone());
    }
    if let Some(plan) = &procurement.procurement_plan {
        keep(
            "Udbudsplan",
            format!("{}. kvartal {}", plan.quarter_of_year, plan.year),
        );
    }
    if let Some(initiated) = &procurement.procurement_initiated {
        let value = match initiated.as_str() {
            "Yes" => "Ja",
            "No" => "Nej",
            "Undecided" => "Ikke afgjort",
            other => other,
        };
        keep("Genanskaffelse igangsat", value.to_owned());
    }
    input.responsible_unit = k
        .responsible
        .organization_unit
        .as_ref()
        .and_then(|u| text(Some(&u.name)));
    let registrations: Vec<String> = k
        .data_processing_registrations
        .iter()
        .map(|r| r.name.clone())
        .collect();
    keep("Databehandlinger", registrations.join(", "));
    let roles: Vec<String> = k
        .roles
        .iter()
        .map(|r| format!("{} ({})", r.user.name, r.role.name))
        .collect();
    keep("Roller", roles.join(", "));
    for reference in &k.external_references {
        let title = reference.title.clone().unwrap_or_default();
        let target = reference
            .url
            .clone()
            .or_else(|| reference.document_id.clone())
            .unwrap_or_default();
        keep("Reference", format!("{title} {target}").trim().to_owned());
    }

    // The supplier, by CVR number.
    let supplier = match &k.supplier.organization {
        None => {
            problems.push("Kontrakten har ingen leverandør i Kitos".to_owned());
            None
        }
        Some(org) => {
            let cvr = org.cvr.as_deref().unwrap_or("").trim();
            match Cvr::parse("cvr", cvr) {
                Ok(cvr) => Some((cvr, org.name.trim().to_owned())),
                Err(_) => {
                    problems.push(format!(
                        "Leverandøren {} har CVR-nummer «{cvr}», som ikke er et dansk \
                         CVR-nummer; leverandørkataloget rummer kun danske",
                        org.name.trim()
                    ));
                    None
                }
            }
        }
    };

    input.description = description(&lost);
    MappedContract {
        kitos_uuid: k.uuid,
        last_modified: k.last_modified,
        input,
        supplier,
        systems: k.system_usages.clone(),
        parent: k.parent_contract.as_ref().map(|p| p.uuid),
        not_transferred: lost,
        problems,
    }
}

/// The description that keeps what no field holds, or none.
fn description(lost: &[NotTransferred]) -> Option<String> {
    if lost.is_empty() {
        return None;
    }
    let mut text = String::from("Fra Kitos (ikke overført til egne felter):");
    for item in lost {
        text.push_str(&format!("\n- {}: {}", item.label, item.value));
    }
    Some(text)
}

/// An IT-system usage as the register's IT system: the system's name, and
/// its status from the usage's life cycle.
pub fn map_usage(usage: &KitosSystemUsage) -> SystemInput {
    let status = match usage.general.validity.life_cycle_status.as_deref() {
        Some("NotInUse") => "retired",
        Some("PhasingIn" | "Undecided") => "planned",
        _ => "in_use",
    };
    SystemInput {
        name: usage.system_context.name.trim().to_owned(),
        status: Some(status.to_owned()),
        ..SystemInput::default()
    }
}

/// A system known only from a contract's list of usages.
pub fn system_named(name: &str) -> SystemInput {
    SystemInput {
        name: name.trim().to_owned(),
        status: Some("in_use".to_owned()),
        ..SystemInput::default()
    }
}

// ---------------------------------------------------------------------------
// The fields kept in step, and how they compare

/// Field key → value as text: what a snapshot stores and a run compares.
pub type Fields = BTreeMap<String, String>;

/// One field the import writes.
pub struct Field<T> {
    pub key: &'static str,
    /// The field's name in the web app.
    pub label: &'static str,
    pub get: fn(&T) -> String,
    /// Copies the field from the second to the first.
    pub take: fn(&mut T, &T),
}

fn opt<T: ToString>(value: &Option<T>) -> String {
    value.as_ref().map(ToString::to_string).unwrap_or_default()
}

fn money(value: &Option<Decimal>) -> String {
    value.map(|v| v.normalize().to_string()).unwrap_or_default()
}

fn ids(value: &[Uuid]) -> String {
    let mut ids: Vec<String> = value.iter().map(Uuid::to_string).collect();
    ids.sort();
    ids.join(",")
}

fn codes(value: &[String]) -> String {
    let mut codes = value.to_vec();
    codes.sort();
    codes.dedup();
    codes.join(",")
}

macro_rules! field {
    ($key:literal, $label:literal, $name:ident, $show:expr) => {
        Field {
            key: $key,
            label: $label,
            get: |i| $show(&i.$name),
            take: |to, from| to.$name = from.$name.clone(),
        }
    };
}

/// The contract fields an import writes, in the order the web app shows them.
pub const CONTRACT_FIELDS: &[Field<ContractInput>] = &[
    field!("title", "Titel", title, String::clone),
    field!("reference", "Kontraktnummer", reference, opt),
    field!("contract_type", "Kontrakttype", contract_type, opt),
    field!("parent_id", "Hovedkontrakt", parent_id, opt),
    field!("supplier_id", "Leverandør", supplier_id, opt),
    field!(
        "system_ids",
        "It-systemer",
        system_ids,
        |v: &Vec<Uuid>| ids(v)
    ),
    field!(
        "agreement_elements",
        "Aftaleelementer",
        agreement_elements,
        |v: &Vec<String>| codes(v)
    ),
    field!("annual_value", "Årlig værdi", annual_value, money),
    field!(
        "payment_frequency",
        "Betalingsfrekvens",
        payment_frequency,
        opt
    ),
    field!("price_regulation", "Prisregulering", price_regulation, opt),
    field!("signed_on", "Underskrevet", signed_on, opt),
    field!("start_on", "Startdato", start_on, opt),
    field!("end_on", "Slutdato", end_on, opt),
    field!(
        "irrevocable_until",
        "Uopsigelig til",
        irrevocable_until,
        opt
    ),
    field!("option_months", "Måneder pr. option", option_months, opt),
    field!("options_total", "Antal optioner", options_total, opt),
    field!(
        "options_exercised",
        "Udnyttede optioner",
        options_exercised,
        opt
    ),
    field!(
        "notice_period_months",
        "Opsigelsesvarsel (måneder)",
        notice_period_months,
        opt
    ),
    field!("notice_to", "Opsigelse til", notice_to, opt),
    field!("terminated_on", "Opsagt den", terminated_on, opt),
    field!("responsible_unit", "Ansvarlig enhed", responsible_unit, opt),
    field!("criticality", "Kritikalitet", criticality, opt),
    field!("notes", "Noter", notes, opt),
    field!("description", "Beskrivelse", description, opt),
];

/// The IT-system fields an import writes.
pub const SYSTEM_FIELDS: &[Field<SystemInput>] = &[
    field!("name", "Navn", name, String::clone),
    field!("status", "Status", status, opt),
];

/// The values of `fields` in `input`.
pub fn fields_of<T>(fields: &[Field<T>], input: &T) -> Fields {
    fields
        .iter()
        .map(|f| (f.key.to_owned(), (f.get)(input)))
        .collect()
}

/// A field whose values differ, for the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldDifference {
    pub field: String,
    pub label: String,
    /// The value here now.
    pub local: String,
    /// The value in Kitos now.
    pub kitos: String,
    /// The value last imported (none for a first import).
    pub imported: Option<String>,
}

/// What a run does with an object's fields.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reconciled {
    /// Changed in Kitos and not here: taken from Kitos.
    pub taken: Vec<FieldDifference>,
    /// Changed in Kitos and here, differently: kept as here, reported.
    pub conflicts: Vec<FieldDifference>,
}

/// Compares the values here (`local`), last imported (`imported`) and in
/// Kitos now (`kitos`), field by field: a field changed only in Kitos is
/// taken; one changed here and in Kitos, to different values, is a
/// conflict and keeps the value here; one changed only here stays.
pub fn reconcile<T>(
    fields: &[Field<T>],
    local: &Fields,
    imported: &Fields,
    kitos: &Fields,
) -> Reconciled {
    let mut found = Reconciled::default();
    for f in fields {
        let key = f.key;
        let here = local.get(key).cloned().unwrap_or_default();
        let there = kitos.get(key).cloned().unwrap_or_default();
        let before = imported.get(key).cloned().unwrap_or_default();
        if there == before || there == here {
            continue;
        }
        let difference = FieldDifference {
            field: key.to_owned(),
            label: f.label.to_owned(),
            local: here.clone(),
            kitos: there,
            imported: Some(before.clone()),
        };
        if here == before {
            found.taken.push(difference);
        } else {
            found.conflicts.push(difference);
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contract(json: serde_json::Value) -> KitosContract {
        serde_json::from_value(json).unwrap()
    }

    fn full() -> serde_json::Value {
        serde_json::json!({
            "uuid": "6a3a7f0e-0000-4000-8000-000000000001",
            "name": " Økonomisystem drift ",
            "organizationContext": {"uuid": "6a3a7f0e-0000-4000-8000-0000000000aa", "name": "Sorø Kommune", "cvr": "29188599"},
            "lastModified": "2026-03-01T10:00:00Z",
            "createdBy": null,
            "lastModifiedBy": {"uuid": "6a3a7f0e-0000-4000-8000-0000000000bb", "name": "Jens"},
            "parentContract": {"uuid": "6a3a7f0e-0000-4000-8000-000000000002", "name": "Hovedaftale"},
            "general": {
                "contractId": "KIT-1",
                "contractType": {"uuid": "6a3a7f0e-0000-4000-8000-0000000000c1", "name": "Tillægskontrakt"},
                "contractTemplate": {"uuid": "6a3a7f0e-0000-4000-8000-0000000000c2", "name": "K02"},
                "criticality": {"uuid": "6a3a7f0e-0000-4000-8000-0000000000c3", "name": "Høj"},
                "agreementElements": [
                    {"uuid": "6a3a7f0e-0000-4000-8000-0000000000c4", "name": "Drift"},
                    {"uuid": "6a3a7f0e-0000-4000-8000-0000000000c5", "name": "Konvertering"}
                ],
                "notes": "Se bilag 3",
                "validity": {"valid": false, "enforcedValid": false, "validFrom": "2025-01-01T00:00:00Z",
                             "validTo": "2028-12-31T00:00:00Z", "requireValidParent": false, "validationErrors": ["EndDatePassed"]}
            },
            "procurement": {"purchaseType": null, "procurementStrategy": null,
                            "procurementPlan": {"quarterOfYear": 2, "year": 2027}, "procurementInitiated": "No"},
            "supplier": {"organization": {"uuid": "6a3a7f0e-0000-4000-8000-0000000000d1", "name": "KMD A/S", "cvr": "26911745"},
                         "signed": true, "signedBy": "Direktør", "signedAt": "2024-12-01T00:00:00Z"},
            "responsible": {"organizationUnit": {"uuid": "6a3a7f0e-0000-4000-8000-0000000000e1", "name": "Økonomi"},
                            "signed": false, "signedBy": null, "signedAt": null},
            "systemUsages": [{"uuid": "6a3a7f0e-0000-4000-8000-0000000000f1", "name": "Opus"}],
            "dataProcessingRegistrations": [],
            "paymentModel": {"operationsRemunerationStartedAt": null, "paymentModel": null,
                             "paymentFrequency": {"uuid": "6a3a7f0e-0000-4000-8000-0000000000f2", "name": "Kvartalsvis"},
                             "priceRegulation": {"uuid": "6a3a7f0e-0000-4000-8000-0000000000f3", "name": "Nettoprisindeks"}},
            "agreementPeriod": {"durationYears": null, "durationMonths": null, "isContinuous": null,
                                "extensionOptions": {"uuid": "6a3a7f0e-0000-4000-8000-0000000000f4", "name": "2 x 12 mdr."},
                                "extensionOptionsUsed": 1, "irrevocableUntil": "2026-12-31T00:00:00Z"},
            "termination": {"terminatedAt": null, "terms": {
                "noticePeriodMonths": {"uuid": "6a3a7f0e-0000-4000-8000-0000000000f5", "name": "6"},
                "noticePeriodExtendsCurrent": null, "noticeByEndOf": "EndOfQuarter"}},
            "payments": {"external": [
                {"id": 1, "organizationUnit": null, "acquisition": 0, "operation": 120000, "other": 0,
                 "accountingEntry": null, "auditStatus": "White", "auditDate": null, "note": null},
                {"id": 2, "organizationUnit": null, "acquisition": 50000, "operation": 30500, "other": 0,
                 "accountingEntry": null, "auditStatus": "Green", "auditDate": null, "note": null}
            ], "internal": []},
            "roles": [],
            "externalReferences": []
        })
    }

    #[test]
    fn a_full_contract_maps_field_by_field() {
        let m = map_contract(&contract(full()));
        let i = &m.input;
        assert!(m.problems.is_empty(), "{:?}", m.problems);
        assert_eq!(i.title, "Økonomisystem drift");
        assert_eq!(i.reference.as_deref(), Some("KIT-1"));
        assert_eq!(i.contract_type.as_deref(), Some("supplementary"));
        assert_eq!(i.criticality.as_deref(), Some("high"));
        assert_eq!(i.agreement_elements, vec!["operation".to_owned()]);
        assert_eq!(i.start_on, NaiveDate::from_ymd_opt(2025, 1, 1));
        assert_eq!(i.end_on, NaiveDate::from_ymd_opt(2028, 12, 31));
        assert_eq!(i.signed_on, NaiveDate::from_ymd_opt(2024, 12, 1));
        assert_eq!(i.irrevocable_until, NaiveDate::from_ymd_opt(2026, 12, 31));
        assert_eq!(i.notice_period_months, Some(6));
        assert_eq!(i.notice_to.as_deref(), Some("quarter"));
        assert_eq!(
            (i.options_total, i.option_months, i.options_exercised),
            (Some(2), Some(12), Some(1))
        );
        // Drift per year, summed exactly.
        assert_eq!(i.annual_value, Some(Decimal::new(150_500, 0)));
        assert_eq!(i.payment_frequency.as_deref(), Some("quarterly"));
        assert_eq!(i.price_regulation.as_deref(), Some("Nettoprisindeks"));
        assert_eq!(i.responsible_unit.as_deref(), Some("Økonomi"));
        assert_eq!(i.notes.as_deref(), Some("Se bilag 3"));
        // The status is the register's to derive, not Kitos' `valid`.
        assert_eq!(i.status, None);
        let (cvr, name) = m.supplier.clone().unwrap();
        assert_eq!((cvr.as_str(), name.as_str()), ("26911745", "KMD A/S"));
        assert_eq!(
            m.parent.map(|u| u.to_string()).as_deref(),
            Some("6a3a7f0e-0000-4000-8000-000000000002")
        );
        assert_eq!(m.systems.len(), 1);
        // What has no field is kept in the description and listed.
        let labels: Vec<&str> = m.not_transferred.iter().map(|n| n.label.as_str()).collect();
        for expected in [
            "Kontraktskabelon",
            "Aftaleelementer",
            "Udbudsplan",
            "Anskaffelse (ekstern betaling)",
            "Underskrevet af (leverandør)",
        ] {
            assert!(labels.contains(&expected), "{expected} in {labels:?}");
        }
        let description = i.description.clone().unwrap();
        assert!(description.contains("Kontraktskabelon: K02"));
        assert!(description.contains("Udbudsplan: 2. kvartal 2027"));
    }

    #[test]
    fn nulls_foreign_cvr_and_a_wordy_notice_period_are_handled() {
        let mut json = full();
        json["parentContract"] = serde_json::Value::Null;
        json["general"]["contractType"] = serde_json::Value::Null;
        json["general"]["criticality"] = serde_json::Value::Null;
        json["general"]["validity"]["validTo"] = serde_json::Value::Null;
        json["procurement"]["procurementPlan"] = serde_json::Value::Null;
        json["termination"]["terms"]["noticePeriodMonths"]["name"] = "Løbende".into();
        json["termination"]["terms"]["noticeByEndOf"] = serde_json::Value::Null;
        json["agreementPeriod"]["extensionOptions"] = serde_json::Value::Null;
        json["agreementPeriod"]["extensionOptionsUsed"] = 0.into();
        json["payments"]["external"] = serde_json::json!([]);
        json["supplier"]["organization"]["cvr"] = "DE811115368".into();
        let m = map_contract(&contract(json));
        let i = &m.input;
        assert_eq!(i.contract_type.as_deref(), Some("main"));
        assert_eq!(i.criticality, None);
        assert_eq!(i.end_on, None);
        // A non-number counts as 0, as in Kitos; the text is kept.
        assert_eq!(i.notice_period_months, Some(0));
        assert!(
            m.not_transferred
                .iter()
                .any(|n| n.label == "Opsigelsesvarsel" && n.value == "Løbende")
        );
        assert_eq!(i.notice_to.as_deref(), Some("none"));
        assert_eq!(i.options_total, None);
        assert_eq!(i.annual_value, None);
        assert_eq!(m.parent, None);
        assert!(m.supplier.is_none());
        assert!(m.problems[0].contains("DE811115368"), "{:?}", m.problems);
    }

    #[test]
    fn a_sparse_contract_reads_and_says_what_it_lacks() {
        let m = map_contract(&contract(serde_json::json!({
            "uuid": "6a3a7f0e-0000-4000-8000-000000000009",
            "name": "",
            "lastModified": "2026-03-01T10:00:00Z",
            "supplier": {"organization": null}
        })));
        assert_eq!(m.problems.len(), 3, "{:?}", m.problems);
        assert_eq!(m.input.description, None);
    }

    #[test]
    fn kitos_values_parse() {
        assert_eq!(
            kitos_date(Some("2026-02-28T00:00:00Z")),
            NaiveDate::from_ymd_opt(2026, 2, 28)
        );
        assert_eq!(
            kitos_date(Some("2026-02-28")),
            NaiveDate::from_ymd_opt(2026, 2, 28)
        );
        assert_eq!(kitos_date(Some("soon")), None);
        assert_eq!(kitos_date(None), None);
        assert_eq!(notice_months(" 3 "), Some(3));
        assert_eq!(notice_months("Løbende"), None);
        assert_eq!(extension_options("2 x 12 mdr."), Some((2, 12)));
        assert_eq!(extension_options("1 x 1 år"), Some((1, 12)));
        assert_eq!(extension_options("3x6 måneder"), Some((3, 6)));
        assert_eq!(extension_options("Ingen"), Some((0, 0)));
        assert_eq!(extension_options("Efter aftale"), None);
    }

    #[test]
    fn usages_become_systems_with_a_status_from_the_life_cycle() {
        let usage: KitosSystemUsage = serde_json::from_value(serde_json::json!({
            "uuid": "6a3a7f0e-0000-4000-8000-0000000000f1",
            "systemContext": {"uuid": "6a3a7f0e-0000-4000-8000-0000000000f9", "name": "Opus "},
            "organizationContext": null,
            "lastModified": "2026-03-01T10:00:00Z",
            "general": {"localCallName": null, "validity": {"valid": true, "lifeCycleStatus": "NotInUse"}}
        }))
        .unwrap();
        let system = map_usage(&usage);
        assert_eq!(system.name, "Opus");
        assert_eq!(system.status.as_deref(), Some("retired"));
    }

    #[test]
    fn reconciling_takes_kitos_changes_and_keeps_and_reports_local_ones() {
        let f = |pairs: &[(&str, &str)]| -> Fields {
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect()
        };
        let imported = f(&[("title", "A"), ("reference", "R1"), ("notes", "n")]);
        // Title edited here and in Kitos; reference only in Kitos; notes only here.
        let local = f(&[("title", "A here"), ("reference", "R1"), ("notes", "mine")]);
        let kitos = f(&[("title", "A there"), ("reference", "R2"), ("notes", "n")]);
        let found = reconcile(CONTRACT_FIELDS, &local, &imported, &kitos);
        assert_eq!(found.taken.len(), 1);
        assert_eq!(found.taken[0].field, "reference");
        assert_eq!(found.taken[0].kitos, "R2");
        assert_eq!(found.conflicts.len(), 1);
        assert_eq!(found.conflicts[0].field, "title");
        assert_eq!(found.conflicts[0].local, "A here");
        assert_eq!(found.conflicts[0].kitos, "A there");
        // The same value on both sides is no conflict.
        let same = f(&[("title", "A there"), ("reference", "R1"), ("notes", "n")]);
        assert!(
            reconcile(CONTRACT_FIELDS, &same, &imported, &kitos)
                .conflicts
                .is_empty()
        );
        // Nothing changed in Kitos: nothing to do.
        assert_eq!(
            reconcile(CONTRACT_FIELDS, &local, &imported, &imported),
            Reconciled::default()
        );
    }
}
