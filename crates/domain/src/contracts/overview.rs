//! What a contract team looks at first: the deadlines ahead, contracts that
//! lack an owner or an end date, and where the money goes.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use sea_orm::sea_query::{Expr, Func};
use sea_orm::{
    ColumnTrait, ConnectionTrait, FromQueryResult, JoinType, QueryFilter, QuerySelect, QueryTrait,
    Select,
};
use serde::Serialize;
use uuid::Uuid;

use super::deadlines::{Window, open_deadline};
use super::query::status_condition;
use super::views::contract_supplier;
use super::{ensure_fresh, today};
use crate::db::{Db, Scope, scoped};
use crate::entities::money::StoredAmount;
use crate::entities::{contract, supplier};
use crate::error::{DomainError, DomainResult};
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

/// What Overblik needs of an active contract: no descriptions, notes or
/// terms, which a municipality's whole register would otherwise decode.
#[derive(Debug, FromQueryResult)]
struct Current {
    id: Uuid,
    title: String,
    supplier_name: String,
    category: Option<String>,
    annual_value: Option<StoredAmount>,
    end_on: Option<NaiveDate>,
    system_owner: Option<String>,
    responsible_unit: Option<String>,
    owner_user_id: Option<Uuid>,
}

/// The municipality's active contracts (as the list's `status=active`).
async fn active_contracts<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    today: NaiveDate,
) -> DomainResult<Vec<Current>> {
    use contract::Column as C;
    Ok(with_supplier_name(scoped::<contract::Entity>(tenant))
        .filter(C::ArchivedAt.is_null())
        .filter(status_condition("active", today))
        .columns([
            C::Id,
            C::Title,
            C::Category,
            C::AnnualValue,
            C::EndOn,
            C::SystemOwner,
            C::ResponsibleUnit,
            C::OwnerUserId,
        ])
        .into_model::<Current>()
        .all(conn)
        .await?)
}

/// What a row of the deadline table needs of a contract.
#[derive(Debug, FromQueryResult)]
struct Due {
    id: Uuid,
    title: String,
    supplier_name: String,
    criticality: String,
    system_owner: Option<String>,
    responsible_unit: Option<String>,
    notice_deadline: Option<NaiveDate>,
    retender_start: Option<NaiveDate>,
}

fn deadline_of(c: Due, kind: DeadlineKind, today: NaiveDate) -> Option<Deadline> {
    let date = match kind {
        DeadlineKind::NoticeDeadline => c.notice_deadline,
        DeadlineKind::RetenderStart => c.retender_start,
    }?;
    Some(Deadline {
        contract_id: c.id,
        supplier: c.supplier_name,
        title: c.title,
        kind,
        date,
        days_left: (date - today).num_days(),
        criticality: c.criticality,
        owner: c.system_owner.or(c.responsible_unit),
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
    use contract::Column as C;
    let tenant = tenant_for(principal, Action::ReadContracts)?;
    ensure_fresh(db, tenant).await?;
    let today = today();
    let txn = db.read(Scope::Tenant(tenant)).await?;
    let mut contracts = Vec::new();
    for kind in DeadlineKind::ALL {
        let open = with_supplier_name(scoped::<contract::Entity>(tenant))
            .filter(open_deadline(
                kind,
                Window::OverdueOrWithin(within_days),
                today,
            ))
            .columns([
                C::Id,
                C::Title,
                C::Criticality,
                C::SystemOwner,
                C::ResponsibleUnit,
                C::NoticeDeadline,
                C::RetenderStart,
            ])
            .into_model::<Due>()
            .all(&txn)
            .await?;
        contracts.extend(open.into_iter().map(|c| (kind, c)));
    }
    txn.commit().await?;
    let mut found: Vec<Deadline> = contracts
        .into_iter()
        .filter_map(|(kind, c)| deadline_of(c, kind, today))
        .collect();
    found.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.title.cmp(&b.title)));
    Ok(found)
}

/// The open-deadline counts of the municipality's own contracts, and of
/// those `owner` owns, in one statement: each figure is a `COUNT` of the
/// rows its condition (the contract list's filter) admits.
async fn deadline_counts<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    owner: Option<Uuid>,
    today: NaiveDate,
) -> DomainResult<(DeadlineCounts, DeadlineCounts)> {
    let mut windows = vec![
        (DeadlineKind::NoticeDeadline, Window::Overdue),
        (DeadlineKind::RetenderStart, Window::Overdue),
    ];
    for days in PERIODS {
        windows.push((DeadlineKind::NoticeDeadline, Window::Within(days)));
        windows.push((DeadlineKind::RetenderStart, Window::Within(days)));
    }
    let mut query = scoped::<contract::Entity>(tenant).select_only();
    let mut columns = Vec::new();
    for (mine, owner) in [(false, None), (true, owner)] {
        if mine && owner.is_none() {
            continue;
        }
        for (i, (kind, window)) in windows.iter().enumerate() {
            let mut condition = open_deadline(*kind, *window, today);
            if let Some(owner) = owner {
                condition = condition.add(contract::Column::OwnerUserId.eq(owner));
            }
            let name = format!("{}{i}", if mine { "mine" } else { "all" });
            query = query.column_as(
                Expr::from(Func::count(Expr::case(condition, Expr::cust("1")))),
                name.as_str(),
            );
            columns.push(name);
        }
    }
    let backend = conn.get_database_backend();
    let row = conn
        .query_one_raw(backend.build(&query.into_query()))
        .await?
        .ok_or_else(|| DomainError::Internal("a count returned no row".into()))?;
    let mut figures = Vec::with_capacity(columns.len());
    for name in &columns {
        let n: i64 = row.try_get("", name)?;
        figures.push(u32::try_from(n).unwrap_or(u32::MAX));
    }
    let counts = |figures: &[u32]| {
        let mut counts = DeadlineCounts {
            notice_overdue: figures[0],
            retender_overdue: figures[1],
            ..DeadlineCounts::default()
        };
        for i in 0..PERIODS.len() {
            counts.notice_within[i] = figures[2 + 2 * i];
            counts.retender_within[i] = figures[3 + 2 * i];
        }
        counts
    };
    let all = counts(&figures[..windows.len()]);
    let mine = if figures.len() > windows.len() {
        counts(&figures[windows.len()..])
    } else {
        DeadlineCounts::default()
    };
    Ok((all, mine))
}

/// Selects only the supplier's name of `query`'s contracts, joined: the
/// columns to read are added after.
fn with_supplier_name(query: Select<contract::Entity>) -> Select<contract::Entity> {
    query
        .select_only()
        .join(JoinType::InnerJoin, contract_supplier())
        .column_as(supplier::Column::Name, "supplier_name")
}

pub async fn overview(db: &Db, principal: &Principal) -> DomainResult<Overview> {
    let tenant = tenant_for(principal, Action::ReadContracts)?;
    ensure_fresh(db, tenant).await?;
    let today = today();
    let owner = match principal {
        Principal::User { user_id, .. } => Some(*user_id),
        _ => None,
    };
    let txn = db.read(Scope::Tenant(tenant)).await?;
    let active = active_contracts(&txn, tenant, today).await?;
    let (deadlines, my_deadlines) = deadline_counts(&txn, tenant, owner, today).await?;
    txn.commit().await?;
    let mut by_supplier: BTreeMap<String, (Decimal, u32)> = BTreeMap::new();
    let mut by_category: BTreeMap<String, (Decimal, u32)> = BTreeMap::new();
    for c in &active {
        let value = c.annual_value.map(|v| v.0).unwrap_or_default();
        let entry = by_supplier.entry(c.supplier_name.clone()).or_default();
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
    let listed = |pick: &dyn Fn(&Current) -> bool| {
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
