//! What a contract team looks at first: the deadlines ahead, contracts that
//! lack an owner or an end date, and where the money goes.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, ConnectionTrait, PaginatorTrait, QueryFilter};
use serde::Serialize;
use uuid::Uuid;

use super::deadlines::{Window, open_deadline};
use super::{ensure_fresh, today};
use crate::db::{Db, Scope, platform, scoped};
use crate::entities::{contract, supplier};
use crate::error::DomainResult;
use crate::policy::Action;
use crate::principal::{Principal, TenantId};
use crate::systems::tenant_for;

pub use super::deadlines::DeadlineKind;

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Deadline {
    pub contract_id: Uuid,
    pub title: String,
    pub supplier: String,
    pub kind: DeadlineKind,
    pub date: NaiveDate,
    /// Negative when the deadline has passed.
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

/// The periods Overblik counts deadlines over, in days.
pub const PERIODS: [u32; 3] = [90, 180, 365];

/// Open deadlines of the municipality's own contracts, each count the total
/// of the contract list with the matching filter (`notice_overdue`,
/// `notice_within_days`, …).
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Default)]
pub struct DeadlineCounts {
    pub notice_overdue: u32,
    pub retender_overdue: u32,
    /// Per period of [`PERIODS`].
    pub notice_within: [u32; 3],
    pub retender_within: [u32; 3],
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Overview {
    pub deadlines: DeadlineCounts,
    /// The same counts for the contracts the caller owns ("Mine frister").
    pub my_deadlines: DeadlineCounts,
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
    ensure_fresh(db, tenant).await?;
    let txn = db.read(Scope::Tenant(tenant)).await?;
    let contracts = scoped::<contract::Entity>(tenant)
        .filter(contract::Column::ArchivedAt.is_null())
        .all(&txn)
        .await?;
    let suppliers = supplier_names(&txn, contracts.iter().map(|c| c.supplier_id)).await?;
    txn.commit().await?;
    Ok((contracts, suppliers))
}

fn deadline_of(
    c: &contract::Model,
    kind: DeadlineKind,
    suppliers: &BTreeMap<Uuid, String>,
    today: NaiveDate,
) -> Option<Deadline> {
    let date = kind.date_of(c)?;
    Some(Deadline {
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
    })
}

/// Open notice deadlines and re-tender starts of the municipality's own
/// contracts that have passed or fall from today to `within_days` ahead:
/// passed ones first, then soonest first.
pub async fn deadlines(
    db: &Db,
    principal: &Principal,
    within_days: u32,
) -> DomainResult<Vec<Deadline>> {
    let tenant = tenant_for(principal, Action::ReadContracts)?;
    ensure_fresh(db, tenant).await?;
    let today = today();
    let txn = db.read(Scope::Tenant(tenant)).await?;
    let mut found = Vec::new();
    let mut contracts = Vec::new();
    for kind in DeadlineKind::ALL {
        let open = scoped::<contract::Entity>(tenant)
            .filter(open_deadline(
                kind,
                Window::OverdueOrWithin(within_days),
                today,
            ))
            .all(&txn)
            .await?;
        contracts.extend(open.into_iter().map(|c| (kind, c)));
    }
    let suppliers = supplier_names(&txn, contracts.iter().map(|(_, c)| c.supplier_id)).await?;
    txn.commit().await?;
    for (kind, c) in &contracts {
        found.extend(deadline_of(c, *kind, &suppliers, today));
    }
    found.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.title.cmp(&b.title)));
    Ok(found)
}

/// The open-deadline counts of the municipality's own contracts, or of
/// those `owner` owns.
async fn deadline_counts<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    owner: Option<Uuid>,
    today: NaiveDate,
) -> DomainResult<DeadlineCounts> {
    let count = |kind: DeadlineKind, window: Window| {
        let mut query =
            scoped::<contract::Entity>(tenant).filter(open_deadline(kind, window, today));
        if let Some(owner) = owner {
            query = query.filter(contract::Column::OwnerUserId.eq(owner));
        }
        async move {
            let n = query.count(conn).await?;
            DomainResult::Ok(u32::try_from(n).unwrap_or(u32::MAX))
        }
    };
    let mut counts = DeadlineCounts {
        notice_overdue: count(DeadlineKind::NoticeDeadline, Window::Overdue).await?,
        retender_overdue: count(DeadlineKind::RetenderStart, Window::Overdue).await?,
        ..DeadlineCounts::default()
    };
    for (i, days) in PERIODS.into_iter().enumerate() {
        counts.notice_within[i] = count(DeadlineKind::NoticeDeadline, Window::Within(days)).await?;
        counts.retender_within[i] =
            count(DeadlineKind::RetenderStart, Window::Within(days)).await?;
    }
    Ok(counts)
}

async fn supplier_names<C: ConnectionTrait>(
    conn: &C,
    ids: impl Iterator<Item = Uuid>,
) -> DomainResult<BTreeMap<Uuid, String>> {
    let ids: Vec<Uuid> = ids.collect();
    Ok(platform::<supplier::Entity>()
        .filter(supplier::Column::Id.is_in(ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect())
}

pub async fn overview(db: &Db, principal: &Principal) -> DomainResult<Overview> {
    let (contracts, suppliers) = current_contracts(db, principal).await?;
    let today = today();
    let tenant = tenant_for(principal, Action::ReadContracts)?;
    let txn = db.read(Scope::Tenant(tenant)).await?;
    let deadlines = deadline_counts(&txn, tenant, None, today).await?;
    let my_deadlines = match principal {
        Principal::User { user_id, .. } => {
            deadline_counts(&txn, tenant, Some(*user_id), today).await?
        }
        _ => DeadlineCounts::default(),
    };
    txn.commit().await?;
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
        deadlines,
        my_deadlines,
        without_owner: listed(&|c| {
            c.system_owner.is_none() && c.responsible_unit.is_none() && c.owner_user_id.is_none()
        }),
        without_end: listed(&|c| c.end_on.is_none()),
        spend_by_supplier: ranked(by_supplier),
        spend_by_category: ranked(by_category),
    })
}
