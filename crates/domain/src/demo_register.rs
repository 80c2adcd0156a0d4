//! The demo's contract register: for each demo municipality about forty
//! contracts of the kinds a municipality has (ESDH, care, finance, payroll,
//! schools, job centre, …), with fictitious suppliers, IT systems and dates
//! spread so that deadlines fall in the coming months, some shared with the
//! collaboration.

use chrono::{Datelike, Duration, NaiveDate};
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, QueryFilter};
use uuid::Uuid;

use crate::contracts::{self, ContractInput};
use crate::db::{Db, Scope, scoped};
use crate::entities::{contract, user};
use crate::error::DomainResult;
use crate::principal::Principal;
use crate::suppliers;
use crate::systems::{self, SystemInput};
use crate::values::Cvr;

/// Fictitious suppliers: (name, first seven CVR digits; the check digit is computed).
const SUPPLIERS: [(&str, &str); 10] = [
    ("Nordlys Kommunesoftware A/S", "3112450"),
    ("Fjordsyd IT ApS", "2844731"),
    ("Bølgeskjold Systemer A/S", "3567120"),
    ("Egebjerg Data A/S", "2198765"),
    ("Kystlinje Cloud ApS", "4021876"),
    ("Midtpunkt Løn A/S", "2765431"),
    ("Skovsø Læring ApS", "3390215"),
    ("Højvang Omsorgs-IT A/S", "2911087"),
    ("Strandgaard Infrastruktur A/S", "3658001"),
    ("Lindholm Rådgivning ApS", "4187234"),
];

/// (contract title, IT system, category, CPV, supplier index, annual value in DKK).
const CONTRACTS: [(&str, &str, &str, &str, usize, i64); 20] = [
    (
        "ESDH og dokumenthåndtering",
        "ESDH",
        "Sagsbehandling",
        "48311000-1",
        0,
        2_450_000,
    ),
    (
        "Omsorgssystem til hjemmeplejen",
        "Omsorgssystem",
        "Sundhed og omsorg",
        "48180000-3",
        7,
        3_100_000,
    ),
    (
        "Økonomisystem",
        "Økonomisystem",
        "Økonomi",
        "48443000-5",
        3,
        1_850_000,
    ),
    (
        "Lønsystem og personaleadministration",
        "Lønsystem",
        "Løn og HR",
        "48450000-7",
        5,
        1_200_000,
    ),
    (
        "Elevplan og skoleintra",
        "Skoleplatform",
        "Skole og dagtilbud",
        "48190000-6",
        6,
        980_000,
    ),
    (
        "Jobcentersystem",
        "Jobcentersystem",
        "Beskæftigelse",
        "48000000-8",
        2,
        1_450_000,
    ),
    (
        "Drift af servere og datacenter",
        "Datacenter",
        "Infrastruktur",
        "72510000-3",
        8,
        2_200_000,
    ),
    (
        "Netværk og WiFi på skoler",
        "Skolenetværk",
        "Infrastruktur",
        "32400000-7",
        8,
        640_000,
    ),
    (
        "Borgerservice-selvbetjening",
        "Selvbetjening",
        "Borgerservice",
        "48000000-8",
        1,
        420_000,
    ),
    (
        "Ydelsessystem til sociale ydelser",
        "Ydelsessystem",
        "Socialområdet",
        "48000000-8",
        2,
        890_000,
    ),
    (
        "Dagtilbudsplatform og pladsanvisning",
        "Pladsanvisning",
        "Skole og dagtilbud",
        "48190000-6",
        6,
        510_000,
    ),
    (
        "Rehabilitering og træningsjournal",
        "Træningsjournal",
        "Sundhed og omsorg",
        "48180000-3",
        7,
        360_000,
    ),
    (
        "Microsoft-licenser via rammeaftale",
        "Kontorpakke",
        "Licenser",
        "48000000-8",
        4,
        3_900_000,
    ),
    (
        "Backup og gendannelse",
        "Backup",
        "Infrastruktur",
        "72510000-3",
        4,
        310_000,
    ),
    (
        "Byggesagssystem",
        "Byggesag",
        "Teknik og miljø",
        "48000000-8",
        1,
        275_000,
    ),
    (
        "Rådgivning om informationssikkerhed",
        "ISMS-værktøj",
        "Sikkerhed",
        "72000000-5",
        9,
        450_000,
    ),
    (
        "Mødebooking og lokaler",
        "Lokalebooking",
        "Administration",
        "48000000-8",
        1,
        95_000,
    ),
    (
        "Telefoni og omstilling",
        "Telefoni",
        "Infrastruktur",
        "32500000-8",
        8,
        780_000,
    ),
    (
        "Kantinebetaling på skoler",
        "Skolebetaling",
        "Skole og dagtilbud",
        "48000000-8",
        0,
        120_000,
    ),
    (
        "Beredskabs- og alarmsystem",
        "Alarmsystem",
        "Teknik og miljø",
        "48000000-8",
        3,
        210_000,
    ),
];

/// A valid CVR number from seven digits: the eighth makes the modulus-11 check pass.
fn complete_cvr(seven: &str) -> Option<String> {
    const WEIGHTS: [u32; 7] = [2, 7, 6, 5, 4, 3, 2];
    let sum: u32 = seven
        .bytes()
        .zip(WEIGHTS)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    let check = (11 - sum % 11) % 11;
    (check < 10).then(|| format!("{seven}{check}"))
}

/// Seeds the register of the municipality `admin` administers, unless it
/// already has contracts.
pub async fn seed(
    db: &Db,
    admin: &Principal,
    municipality_index: usize,
    collaboration: Option<Uuid>,
) -> DomainResult<()> {
    let Some(tenant) = admin.tenant_id() else {
        return Ok(());
    };
    let txn = db.read(Scope::Tenant(tenant)).await?;
    let has_contracts = scoped::<contract::Entity>(tenant)
        .filter(contract::Column::Id.is_not_null())
        .one(&txn)
        .await?
        .is_some();
    txn.commit().await?;
    if has_contracts {
        return Ok(());
    }

    // Owners among the demo people: the editor owns a handful of contracts
    // and systems, the admin a few more, the rest have none.
    let txn = db.read(Scope::Tenant(tenant)).await?;
    let people = scoped::<user::Entity>(tenant).all(&txn).await?;
    txn.commit().await?;
    let person = |local: &str| {
        people
            .iter()
            .find(|u| u.email.starts_with(&format!("{local}@")))
            .map(|u| u.id)
    };
    let (editor, administrator) = (person("redaktoer"), person("admin"));
    let owner_of = |index: usize| match index % 4 {
        0 => editor,
        1 => administrator,
        _ => None,
    };

    let mut supplier_ids = Vec::new();
    for (name, seven) in SUPPLIERS {
        let Some(cvr) = complete_cvr(seven).and_then(|c| Cvr::parse("cvr", &c).ok()) else {
            continue;
        };
        let txn = db.write(Scope::Tenant(tenant)).await?;
        supplier_ids.push(suppliers::register_in(&txn, &cvr, name).await?.id);
        txn.commit().await?;
    }
    let today = contracts::today();
    let month_end = |months_ahead: i64| {
        let date = today + Duration::days(months_ahead * 30);
        NaiveDate::from_ymd_opt(date.year(), date.month(), 1)
            .and_then(|first| first.checked_add_months(chrono::Months::new(1)))
            .and_then(|next| next.pred_opt())
            .unwrap_or(date)
    };
    for (index, (title, system, category, cpv, supplier, value)) in CONTRACTS.iter().enumerate() {
        let supplier_id = supplier_ids
            .get(*supplier % supplier_ids.len().max(1))
            .copied();
        let created_system = systems::create_system(
            db,
            admin,
            SystemInput {
                name: (*system).into(),
                category: Some((*category).into()),
                supplier_id,
                system_owner: Some(
                    ["Systemejer, Digitalisering", "Fagchef, Forvaltningen"][index % 2].into(),
                ),
                owner_user_id: owner_of(index),
                status: Some("in_use".into()),
                description: None,
            },
        )
        .await?;
        // Two contracts per system: the main contract and a service agreement.
        for variant in 0..2usize {
            let spread = (index * 2 + variant + municipality_index * 3) as i64;
            let running = spread % 7 == 3;
            let input = ContractInput {
                title: if variant == 0 {
                    (*title).into()
                } else {
                    format!("Serviceaftale: {title}")
                },
                reference: Some(format!(
                    "K-{}-{:03}",
                    2020 + (spread % 6),
                    index * 2 + variant + 1
                )),
                contract_type: Some(
                    if variant == 0 {
                        "main"
                    } else {
                        "service_agreement"
                    }
                    .into(),
                ),
                supplier_id,
                system_ids: vec![created_system.id],
                category: Some((*category).into()),
                cpv_code: Some((*cpv).into()),
                agreement_elements: if variant == 0 {
                    vec!["licence".into(), "maintenance".into()]
                } else {
                    vec!["operation".into(), "support".into()]
                },
                procedure: Some(
                    [
                        "open",
                        "framework_mini_competition",
                        "restricted",
                        "below_threshold",
                    ][spread as usize % 4]
                        .into(),
                ),
                annual_value: Some(Decimal::from(if variant == 0 { *value } else { value / 4 })),
                total_value: Some(Decimal::from(if variant == 0 { value * 4 } else { *value })),
                payment_model: Some(if variant == 0 { "licence" } else { "flat_rate" }.into()),
                payment_frequency: Some("quarterly".into()),
                price_regulation: Some("Nettoprisindeks".into()),
                start_on: Some(today - Duration::days(365 * (1 + spread % 4))),
                signed_on: Some(today - Duration::days(365 * (1 + spread % 4) + 30)),
                end_on: (!running).then(|| month_end(3 + (spread * 5) % 48)),
                option_months: Some(12),
                options_total: Some(if running { 0 } else { 2 }),
                options_exercised: Some(0),
                notice_period_months: Some([3, 6, 6, 12][spread as usize % 4]),
                notice_to: Some(if running { "quarter" } else { "none" }.into()),
                retender_lead_months: Some(12),
                system_owner: (spread % 9 != 4).then(|| "Systemejer, Digitalisering".into()),
                owner_user_id: if variant == 0 { owner_of(index) } else { None },
                responsible_unit: (spread % 9 != 4).then(|| "Digitalisering og IT".into()),
                criticality: Some(["normal", "high", "normal", "low"][spread as usize % 4].into()),
                // Main contracts are published as open contracting data.
                publishable: variant == 0,
                ..Default::default()
            };
            let created = contracts::create_contract(db, admin, input).await?;
            if let Some(collaboration) = collaboration
                && variant == 0
                && index % 3 == 0
            {
                contracts::share(db, admin, created.id, collaboration, false).await?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_suppliers_have_valid_cvr_numbers() {
        let valid = SUPPLIERS
            .iter()
            .filter_map(|(_, seven)| complete_cvr(seven))
            .filter(|cvr| Cvr::parse("cvr", cvr).is_ok())
            .count();
        assert!(valid >= 8, "{valid}");
    }
}
