//! What a contract team looks at first: the deadlines ahead, contracts that
//! lack an owner or an end date, and where the money goes.

use std::collections::BTreeMap;

use chrono::{Days, NaiveDate};
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, QueryFilter};
use serde::Serialize;
use uuid::Uuid;

use super::{refresh_stale, today};
use crate::db::{Db, Scope, platform, scoped};
use crate::entities::{contract, supplier};
use crate::error::DomainResult;
use crate::policy::Action;
use crate::principal::Principal;
use crate::systems::tenant_for;

/// Which date a deadline is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineKind {
    /// The last day to give notice.
    NoticeDeadline,
    /// The day work on the next tender must begin.
    RetenderStart,
}

/// The date of `contract`'s deadline of `kind` while it is still to act on:
/// the derived date, unless a decision handled that very date (see
/// `contracts::decisions`). When the dates move, the new deadline is open.
/// Every "to act on" list (overview, deadlines, agenda) asks this.
pub fn open_deadline(contract: &contract::Model, kind: DeadlineKind) -> Option<NaiveDate> {
    let (date, handled) = match kind {
        DeadlineKind::NoticeDeadline => (
            contract.notice_deadline,
            contract.notice_deadline_handled_on,
        ),
        DeadlineKind::RetenderStart => {
            (contract.retender_start, contract.retender_start_handled_on)
        }
    };
    date.filter(|d| handled != Some(*d))
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Deadline {
    pub contract_id: Uuid,
    pub title: String,
    pub supplier: String,
    pub kind: DeadlineKind,
    pub date: NaiveDate,
    pub days_left: i64,
    pub criticality: String,
    /// Who answers for the contract: its system owner, else its responsible unit.
    pub owner: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Amount {
    pub label: String,
    pub annual_value: Decimal,
    pub contracts: u32,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Overview {
    /// Deadlines within 90, 180 and 365 days.
    pub within_90: u32,
    pub within_180: u32,
    pub within_365: u32,
    /// The same counts for the contracts the caller owns ("Mine frister").
    pub mine_within_90: u32,
    pub mine_within_180: u32,
    pub mine_within_365: u32,
    pub without_owner: Vec<(Uuid, String)>,
    pub without_end: Vec<(Uuid, String)>,
    pub spend_by_supplier: Vec<Amount>,
    pub spend_by_category: Vec<Amount>,
}

async fn current_contracts(
    db: &Db,
    principal: &Principal,
) -> DomainResult<(Vec<contract::Model>, BTreeMap<Uuid, String>)> {
    let tenant = tenant_for(principal, Action::ReadContracts)?;
    refresh_stale(db, tenant).await?;
    let txn = db.read(Scope::Tenant(tenant)).await?;
    let contracts = scoped::<contract::Entity>(tenant)
        .filter(contract::Column::ArchivedAt.is_null())
        .all(&txn)
        .await?;
    let ids: Vec<Uuid> = contracts.iter().map(|c| c.supplier_id).collect();
    let suppliers = platform::<supplier::Entity>()
        .filter(supplier::Column::Id.is_in(ids))
        .all(&txn)
        .await?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    txn.commit().await?;
    Ok((contracts, suppliers))
}

fn deadlines_of(
    contracts: &[contract::Model],
    suppliers: &BTreeMap<Uuid, String>,
    today: NaiveDate,
    until: NaiveDate,
) -> Vec<Deadline> {
    let mut found = Vec::new();
    for c in contracts {
        if super::status_on(c, today) != "active" {
            continue;
        }
        for kind in [DeadlineKind::NoticeDeadline, DeadlineKind::RetenderStart] {
            if let Some(date) = open_deadline(c, kind).filter(|d| *d >= today && *d <= until) {
                found.push(Deadline {
                    contract_id: c.id,
                    title: c.title.clone(),
                    supplier: suppliers.get(&c.supplier_id).cloned().unwrap_or_default(),
                    kind,
                    date,
                    days_left: (date - today).num_days(),
                    criticality: c.criticality.clone(),
                    owner: c
                        .system_owner
                        .clone()
                        .or_else(|| c.responsible_unit.clone()),
                });
            }
        }
    }
    found.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.title.cmp(&b.title)));
    found
}

/// Notice deadlines and re-tender starts of active contracts from today to
/// `within_days` ahead, soonest first.
pub async fn deadlines(
    db: &Db,
    principal: &Principal,
    within_days: u32,
) -> DomainResult<Vec<Deadline>> {
    let (contracts, suppliers) = current_contracts(db, principal).await?;
    let today = today();
    let until = today
        .checked_add_days(Days::new(u64::from(within_days.min(3650))))
        .unwrap_or(NaiveDate::MAX);
    Ok(deadlines_of(&contracts, &suppliers, today, until))
}

pub async fn overview(db: &Db, principal: &Principal) -> DomainResult<Overview> {
    let (contracts, suppliers) = current_contracts(db, principal).await?;
    let today = today();
    let in_a_year = today
        .checked_add_days(Days::new(365))
        .unwrap_or(NaiveDate::MAX);
    let year = deadlines_of(&contracts, &suppliers, today, in_a_year);
    let count = |days: i64| {
        u32::try_from(year.iter().filter(|d| d.days_left <= days).count()).unwrap_or(u32::MAX)
    };
    let me = match principal {
        Principal::User { user_id, .. } => Some(*user_id),
        _ => None,
    };
    let owned: Vec<contract::Model> = contracts
        .iter()
        .filter(|c| me.is_some() && c.owner_user_id == me)
        .cloned()
        .collect();
    let my_year = deadlines_of(&owned, &suppliers, today, in_a_year);
    let my_count = |days: i64| {
        u32::try_from(my_year.iter().filter(|d| d.days_left <= days).count()).unwrap_or(u32::MAX)
    };
    let active: Vec<&contract::Model> = contracts
        .iter()
        .filter(|c| super::status_on(c, today) == "active")
        .collect();
    let mut by_supplier: BTreeMap<String, (Decimal, u32)> = BTreeMap::new();
    let mut by_category: BTreeMap<String, (Decimal, u32)> = BTreeMap::new();
    for c in &active {
        let value = c.annual_value.map(|v| v.0).unwrap_or_default();
        let supplier = suppliers.get(&c.supplier_id).cloned().unwrap_or_default();
        let entry = by_supplier.entry(supplier).or_default();
        entry.0 += value;
        entry.1 += 1;
        let entry = by_category
            .entry(c.category.clone().unwrap_or_default())
            .or_default();
        entry.0 += value;
        entry.1 += 1;
    }
    let ranked = |map: BTreeMap<String, (Decimal, u32)>| {
        let mut amounts: Vec<Amount> = map
            .into_iter()
            .map(|(label, (annual_value, contracts))| Amount {
                label,
                annual_value,
                contracts,
            })
            .collect();
        amounts.sort_by(|a, b| {
            b.annual_value
                .cmp(&a.annual_value)
                .then_with(|| a.label.cmp(&b.label))
        });
        amounts
    };
    let listed = |pick: &dyn Fn(&contract::Model) -> bool| {
        active
            .iter()
            .filter(|c| pick(c))
            .map(|c| (c.id, c.title.clone()))
            .collect::<Vec<_>>()
    };
    Ok(Overview {
        within_90: count(90),
        within_180: count(180),
        within_365: count(365),
        mine_within_90: my_count(90),
        mine_within_180: my_count(180),
        mine_within_365: my_count(365),
        without_owner: listed(&|c| {
            c.system_owner.is_none() && c.responsible_unit.is_none() && c.owner_user_id.is_none()
        }),
        without_end: listed(&|c| c.end_on.is_none()),
        spend_by_supplier: ranked(by_supplier),
        spend_by_category: ranked(by_category),
    })
}
