//! Published contracts as open contracting data: an OCDS 1.1 release
//! package (<https://standard.open-contracting.org/1.1/en/>), one release
//! per contract, written a release at a time.
//!
//! The municipality is the buyer and procuring entity and the supplier the
//! supplier, both identified by their CVR numbers (scheme `DK-CVR`). The
//! contract's total value (else its annual value) is the award's and the
//! contract's value in DKK; its period runs from the start to the effective
//! end, with the latest end (every option exercised) as the maximum extent.

use std::collections::HashMap;
use std::io::Write;

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::prelude::ToPrimitive;
use serde_json::{Map, Value, json};

use crate::contracts::Contract;
use crate::contracts::export::Municipality;

/// The default prefix of open contracting ids, until one is registered
/// with the Open Contracting Partnership.
pub const DEFAULT_PREFIX: &str = "ocds-samudbud";

/// What the package says about itself.
pub struct Package<'a> {
    /// Where the package can be fetched again.
    pub uri: &'a str,
    pub published: DateTime<Utc>,
    pub municipality: &'a Municipality,
    /// The ocid prefix: each release's ocid is `prefix-<contract id>`.
    pub prefix: &'a str,
}

/// A party's id and identifier: by CVR number when known, else by the
/// municipality code (municipalities) or the party's own id.
fn municipality_party(m: &Municipality) -> Value {
    let mut party = Map::new();
    match &m.cvr {
        Some(cvr) => {
            party.insert("id".into(), json!(format!("DK-CVR-{cvr}")));
            party.insert(
                "identifier".into(),
                json!({"scheme": "DK-CVR", "id": cvr, "legalName": m.name}),
            );
        }
        None => {
            party.insert(
                "id".into(),
                json!(format!("DK-KOMMUNE-{}", m.municipality_code)),
            );
        }
    }
    party.insert("name".into(), json!(m.name));
    party.insert("roles".into(), json!(["buyer", "procuringEntity"]));
    Value::Object(party)
}

fn start_of_day(date: NaiveDate) -> String {
    format!("{}T00:00:00Z", date.format("%Y-%m-%d"))
}

fn end_of_day(date: NaiveDate) -> String {
    format!("{}T23:59:59Z", date.format("%Y-%m-%d"))
}

/// OCDS contract status from the register's.
fn contract_status(status: &str) -> &'static str {
    match status {
        // Not in force yet: a draft, or signed but starting later.
        "draft" | "not_started" => "pending",
        "expired" | "terminated" => "terminated",
        _ => "active",
    }
}

/// The contract as one release.
pub fn release(c: &Contract, package: &Package<'_>, cpv_labels: &HashMap<String, String>) -> Value {
    let buyer = municipality_party(package.municipality);
    let supplier_id = format!("DK-CVR-{}", c.supplier.cvr);
    let supplier = json!({
        "id": supplier_id,
        "name": c.supplier.name,
        "identifier": {"scheme": "DK-CVR", "id": c.supplier.cvr, "legalName": c.supplier.name},
        "roles": ["supplier"],
    });
    let id = c.id.to_string();
    let mut value = Map::new();
    if let Some(amount) = c
        .total_value
        .or(c.annual_value)
        .and_then(|a| a.round_dp(2).to_f64())
    {
        value.insert("amount".into(), json!(amount));
        value.insert("currency".into(), json!("DKK"));
    }
    let mut period = Map::new();
    period.insert("startDate".into(), json!(start_of_day(c.start_on)));
    if let Some(end) = c.effective_end {
        period.insert("endDate".into(), json!(end_of_day(end)));
    }
    if let Some(latest) = c.latest_end {
        period.insert("maxExtentDate".into(), json!(end_of_day(latest)));
    }
    let items: Vec<Value> = c
        .cpv_code
        .as_deref()
        .map(|code| {
            let digits = code.split('-').next().unwrap_or(code);
            let mut classification = Map::new();
            classification.insert("scheme".into(), json!("CPV"));
            classification.insert("id".into(), json!(digits));
            if let Some(label) = cpv_labels.get(code) {
                classification.insert("description".into(), json!(label));
            }
            json!({
                "id": "1",
                "description": c.title,
                "classification": classification,
            })
        })
        .into_iter()
        .collect();
    let mut award = Map::new();
    award.insert("id".into(), json!(id));
    award.insert("title".into(), json!(c.title));
    award.insert("status".into(), json!("active"));
    award.insert(
        "suppliers".into(),
        json!([{"id": supplier_id, "name": c.supplier.name}]),
    );
    let mut contract = Map::new();
    contract.insert("id".into(), json!(id));
    contract.insert("awardID".into(), json!(id));
    contract.insert("title".into(), json!(c.title));
    if let Some(description) = &c.description {
        contract.insert("description".into(), json!(description));
    }
    contract.insert("status".into(), json!(contract_status(&c.status)));
    contract.insert("period".into(), Value::Object(period.clone()));
    if let Some(signed) = c.signed_on {
        award.insert("date".into(), json!(start_of_day(signed)));
        contract.insert("dateSigned".into(), json!(start_of_day(signed)));
    }
    if !value.is_empty() {
        award.insert("value".into(), Value::Object(value.clone()));
        contract.insert("value".into(), Value::Object(value));
    }
    if !items.is_empty() {
        award.insert("items".into(), json!(items));
        contract.insert("items".into(), json!(items));
    }
    award.insert("contractPeriod".into(), Value::Object(period));
    let mut release = Map::new();
    release.insert("ocid".into(), json!(format!("{}-{}", package.prefix, c.id)));
    release.insert("id".into(), json!(format!("{}-{}", c.id, c.version)));
    release.insert("date".into(), json!(c.updated_at.to_rfc3339()));
    release.insert("tag".into(), json!(["contract"]));
    release.insert("initiationType".into(), json!("tender"));
    release.insert("language".into(), json!("da"));
    release.insert(
        "buyer".into(),
        json!({"id": buyer["id"], "name": package.municipality.name}),
    );
    release.insert("parties".into(), json!([buyer, supplier]));
    if let Some(reference) = &c.reference {
        release.insert("title".into(), json!(c.title));
        release.insert(
            "tender".into(),
            json!({"id": reference, "title": c.title, "procuringEntity": {"id": buyer["id"], "name": package.municipality.name}}),
        );
    }
    release.insert("awards".into(), json!([Value::Object(award)]));
    release.insert("contracts".into(), json!([Value::Object(contract)]));
    Value::Object(release)
}

/// Writes a release package a release at a time: `start`, `release` for
/// each, then `finish`.
pub struct PackageWriter<W: Write> {
    out: W,
    first: bool,
}

impl<W: Write> PackageWriter<W> {
    pub fn start(package: &Package<'_>, mut out: W) -> std::io::Result<Self> {
        let mut publisher = Map::new();
        publisher.insert("name".into(), json!(package.municipality.name));
        if let Some(cvr) = &package.municipality.cvr {
            publisher.insert("scheme".into(), json!("DK-CVR"));
            publisher.insert("uid".into(), json!(cvr));
        }
        let head = json!({
            "uri": package.uri,
            "version": "1.1",
            "publishedDate": package.published.to_rfc3339(),
            "publisher": publisher,
        });
        let text = serde_json::to_string(&head).map_err(std::io::Error::other)?;
        // The head's closing brace is reopened for the releases.
        out.write_all(&text.as_bytes()[..text.len() - 1])?;
        out.write_all(b",\"releases\":[")?;
        Ok(Self { out, first: true })
    }

    pub fn release(&mut self, release: &Value) -> std::io::Result<()> {
        if !self.first {
            self.out.write_all(b",")?;
        }
        self.first = false;
        serde_json::to_writer(&mut self.out, release).map_err(std::io::Error::other)
    }

    pub fn finish(mut self) -> std::io::Result<()> {
        self.out.write_all(b"]}")?;
        self.out.flush()
    }
}
