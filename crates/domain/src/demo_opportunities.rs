//! The demo's joint tender opportunities: contracts the demo municipalities
//! share with their collaboration that fall due for re-tender in the coming
//! months in the same CPV group, so that the opportunities page has groups
//! to show, and one of them already taken into the demo plan as a planned
//! tender created from the opportunity.

use chrono::{Datelike, Months, NaiveDate};
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, QueryFilter};
use uuid::Uuid;

use crate::contracts::{self, ContractFilter, ContractInput, ContractScope};
use crate::db::{Db, Scope, scoped};
use crate::entities::contract;
use crate::error::DomainResult;
use crate::opportunities::{self, CreateFromOpportunity};
use crate::paging::PageRequest;
use crate::principal::Principal;
use crate::tender_plans::service;

/// (municipality index, title, CPV, category, months until the re-tender
/// starts, annual value in DKK).
const CONTRACTS: [(usize, &str, &str, &str, u32, i64); 7] = [
    (
        0,
        "Support og vedligehold af fagsystemer",
        "72250000-2",
        "Drift og support",
        5,
        160_000,
    ),
    (
        1,
        "Support og vedligehold af fagsystemer",
        "72250000-2",
        "Drift og support",
        8,
        140_000,
    ),
    (
        2,
        "Systemsupport til fagsystemer",
        "72250000-2",
        "Drift og support",
        11,
        180_000,
    ),
    (
        1,
        "Læringsplatform til folkeskolen",
        "48190000-6",
        "Skole og dagtilbud",
        3,
        220_000,
    ),
    (
        2,
        "Læringsplatform og elevportal",
        "48190000-6",
        "Skole og dagtilbud",
        9,
        260_000,
    ),
    (
        0,
        "Telefoni- og kontaktcenterplatform",
        "32500000-8",
        "Infrastruktur",
        6,
        310_000,
    ),
    (
        2,
        "Kontaktcenter og IP-telefoni",
        "32500000-8",
        "Infrastruktur",
        12,
        280_000,
    ),
];

/// The planned tender the demo creates from the telephony opportunity.
const FROM_OPPORTUNITY: &str = "Fælles telefoni- og kontaktcenterplatform";

/// The last day of the month `months` after `today`'s.
fn month_end(today: NaiveDate, months: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(today.year(), today.month(), 1)?
        .checked_add_months(Months::new(months + 1))?
        .pred_opt()
}

async fn has_contract(db: &Db, admin: &Principal, title: &str) -> DomainResult<bool> {
    let Some(tenant) = admin.tenant_id() else {
        return Ok(true);
    };
    let txn = db.read(Scope::Tenant(tenant)).await?;
    let found = scoped::<contract::Entity>(tenant)
        .filter(contract::Column::Title.eq(title))
        .one(&txn)
        .await?
        .is_some();
    txn.commit().await?;
    Ok(found)
}

/// A supplier the municipality already uses (the demo register's first).
async fn some_supplier(db: &Db, admin: &Principal) -> DomainResult<Option<Uuid>> {
    let page = contracts::list_contracts(
        db,
        admin,
        ContractFilter {
            scope: ContractScope::Own,
            ..Default::default()
        },
        PageRequest {
            page: 1,
            page_size: 1,
        },
    )
    .await?;
    Ok(page.items.into_iter().next().map(|c| c.supplier.id))
}

pub async fn seed(db: &Db, admins: &[Principal], collaboration: Option<Uuid>) -> DomainResult<()> {
    let Some(collaboration) = collaboration else {
        return Ok(());
    };
    let today = contracts::today();
    for (who, title, cpv, category, months, annual) in CONTRACTS {
        let Some(admin) = admins.get(who) else {
            continue;
        };
        if has_contract(db, admin, title).await? {
            continue;
        }
        // Six months' notice and a year's lead: the re-tender starts 18
        // months before the end.
        let end_on = month_end(today, months + 18);
        let created = contracts::create_contract(
            db,
            admin,
            ContractInput {
                title: title.into(),
                reference: Some(format!("K-2023-{:03}", 200 + months)),
                contract_type: Some("main".into()),
                supplier_id: some_supplier(db, admin).await?,
                category: Some(category.into()),
                cpv_code: Some(cpv.into()),
                procedure: Some("open".into()),
                annual_value: Some(Decimal::from(annual)),
                total_value: Some(Decimal::from(annual * 4)),
                payment_model: Some("flat_rate".into()),
                payment_frequency: Some("quarterly".into()),
                start_on: end_on.and_then(|end| end.checked_sub_months(Months::new(48))),
                end_on,
                option_months: Some(0),
                options_total: Some(0),
                options_exercised: Some(0),
                notice_period_months: Some(6),
                notice_to: Some("none".into()),
                retender_lead_months: Some(12),
                system_owner: Some("Digitalisering og IT".into()),
                criticality: Some("normal".into()),
                ..Default::default()
            },
        )
        .await?;
        contracts::share(db, admin, created.id, collaboration, false).await?;
    }

    // The telephony opportunity is taken into the demo plan with one click.
    let Some(soroe) = admins.first() else {
        return Ok(());
    };
    let Some(plan) = service::list_plans(db, soroe, false)
        .await?
        .into_iter()
        .find(|p| p.name == crate::demo_plans::PLAN)
    else {
        return Ok(());
    };
    let tenders = service::list_tenders(db, soroe, plan.id, Default::default()).await?;
    if tenders.iter().any(|t| t.subject == FROM_OPPORTUNITY) {
        return Ok(());
    }
    match opportunities::create_tender(
        db,
        soroe,
        CreateFromOpportunity {
            collaboration_id: collaboration,
            group_key: "cpv:32500".into(),
            plan_id: plan.id,
            subject: Some(FROM_OPPORTUNITY.into()),
            ..Default::default()
        },
    )
    .await
    {
        // Seeding on a later day can find the opportunity gone; the rest stands.
        Ok(_) | Err(crate::error::DomainError::Conflict { .. }) => Ok(()),
        Err(other) => Err(other),
    }
}
