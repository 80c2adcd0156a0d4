//! Finding contracts: search, filters, sorting and pages, over the
//! municipality's own contracts, those shared with it, or both.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use sea_orm::sea_query::{
    Alias, Expr, ExprTrait, Func, LikeExpr, NullOrdering, Query, SelectStatement,
};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbBackend, JoinType, Order, QueryFilter, QueryOrder,
    QueryResult, QuerySelect, QueryTrait, Select,
};
use uuid::Uuid;

use super::deadlines::{DeadlineKind, Window, open_deadline};
use super::{Contract, KIND, ensure_fresh, today, views};
use crate::db::{Db, Scope, escape_like, scoped, scoped_with_shared};
use crate::entities::{contract, contract_system, share, supplier};
use crate::error::{DomainError, DomainResult};
use crate::paging::{ChangeCursor, ChangeRead, Changed, Page, PageRequest, count, parse_sort};
use crate::people::OwnerFilter;
use crate::policy::Action;
use crate::principal::{Principal, TenantId};
use crate::shares;
use crate::systems::tenant_for;
use crate::values::{bounded_date, bounded_time, search_words};

/// Whose contracts a list covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ContractScope {
    /// The municipality's own.
    #[default]
    Own,
    /// Other municipalities' contracts shared with it.
    Shared,
    Both,
}

#[derive(Debug, Clone, Default)]
pub struct ContractFilter {
    pub scope: ContractScope,
    /// Words to find in title, reference, supplier (name or CVR) and systems.
    pub q: Option<String>,
    pub status: Option<String>,
    pub supplier_id: Option<Uuid>,
    pub system_id: Option<Uuid>,
    pub category: Option<String>,
    /// A CPV code or its leading digits (a CPV group).
    pub cpv: Option<String>,
    /// Part of the system owner's or responsible unit's name.
    pub owner: Option<String>,
    /// Owned by this user, or by nobody.
    pub owner_user: Option<OwnerFilter>,
    pub ends_before: Option<NaiveDate>,
    pub ends_after: Option<NaiveDate>,
    /// An open notice deadline from today to this many days ahead.
    pub notice_within_days: Option<u32>,
    /// An open re-tender start from today to this many days ahead.
    pub retender_within_days: Option<u32>,
    /// An open notice deadline that has passed.
    pub notice_overdue: bool,
    /// An open re-tender start that has passed.
    pub retender_overdue: bool,
    pub criticality: Option<String>,
    /// Shared with this collaboration (the caller's own shares and, with
    /// the shared scope, the other members'); nothing unless the caller is
    /// an active member.
    pub shared_with: Option<Uuid>,
    /// Based on this template.
    pub template_id: Option<Uuid>,
    /// Based on a template version with this number.
    pub template_version: Option<i32>,
    /// Based on a template, with (`true`) or without deviations.
    pub has_deviations: Option<bool>,
    pub include_archived: bool,
    /// Changed at or after this time; the list is then sorted by last change.
    pub changed_since: Option<DateTime<Utc>>,
    /// A column, `-` first for descending.
    pub sort: Option<String>,
}

pub const SORTABLE: [&str; 15] = [
    "title",
    "reference",
    "supplier",
    "status",
    "category",
    "criticality",
    "start_on",
    "end_on",
    "effective_end",
    "latest_end",
    "notice_deadline",
    "retender_start",
    "annual_value",
    "total_value",
    "updated_at",
];

/// The contracts whose effective status on `today` is `status` (as
/// [`super::status_on`] derives it).
pub(super) fn status_condition(status: &str, today: NaiveDate) -> Condition {
    let derived = Condition::all().add(contract::Column::StatusOverride.is_null());
    let not_terminated = Condition::any()
        .add(contract::Column::TerminatedOn.is_null())
        .add(contract::Column::TerminatedOn.gt(today));
    let not_expired = Condition::any()
        .add(contract::Column::EffectiveEnd.is_null())
        .add(contract::Column::EffectiveEnd.gte(today));
    let by_dates = match status {
        "terminated" => derived.add(contract::Column::TerminatedOn.lte(today)),
        "expired" => derived
            .add(not_terminated)
            .add(contract::Column::EffectiveEnd.lt(today)),
        "not_started" => derived
            .add(not_terminated)
            .add(not_expired)
            .add(contract::Column::StartOn.gt(today)),
        "active" => derived
            .add(not_terminated)
            .add(not_expired)
            .add(contract::Column::StartOn.lte(today)),
        // Drafts are only ever set explicitly.
        _ => Condition::all().add(Expr::value(false)),
    };
    Condition::any()
        .add(contract::Column::StatusOverride.eq(status))
        .add(by_dates)
}

/// The supplier joined for sorting by supplier, under its own name so that
/// it does not meet the supplier `views::named_page` joins for the names.
/// A join rather than a subquery per row: PostgreSQL ran the subquery once
/// for every contract it sorted, which made this list twice as costly
/// (README, Performance).
const SORT_SUPPLIER: &str = "sort_supplier";

fn by_supplier_name(
    query: Select<contract::Entity>,
    order: Order,
    nulls: NullOrdering,
) -> Select<contract::Entity> {
    query
        .join_as(
            JoinType::LeftJoin,
            views::contract_supplier(),
            Alias::new(SORT_SUPPLIER),
        )
        .order_by_with_nulls(
            Expr::col((Alias::new(SORT_SUPPLIER), supplier::Column::Name)),
            order,
            nulls,
        )
}

pub async fn list_contracts(
    db: &Db,
    principal: &Principal,
    filter: ContractFilter,
    page: PageRequest,
) -> DomainResult<Page<Contract>> {
    Ok(list_with_totals(db, principal, filter, page, false)
        .await?
        .0)
}

/// Everything a list's filters match, summed: how many contracts and their
/// annual and total values (contracts without a value count as nothing).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ContractTotals {
    pub count: u64,
    pub annual_value: Decimal,
    pub total_value: Decimal,
}

/// One page of the contracts `filter` matches, and the totals over all of
/// them (not just the page), read in the same transaction.
pub async fn list_contracts_with_totals(
    db: &Db,
    principal: &Principal,
    filter: ContractFilter,
    page: PageRequest,
) -> DomainResult<(Page<Contract>, ContractTotals)> {
    let (found, totals) = list_with_totals(db, principal, filter, page, true).await?;
    Ok((found, totals.unwrap_or_default()))
}

async fn list_with_totals(
    db: &Db,
    principal: &Principal,
    filter: ContractFilter,
    page: PageRequest,
    with_totals: bool,
) -> DomainResult<(Page<Contract>, Option<ContractTotals>)> {
    let tenant = tenant_for(principal, Action::ReadContracts)?;
    check(&filter)?;
    ensure_fresh(db, tenant).await?;
    let txn = db.read(Scope::Tenant(tenant)).await?;
    let (query, _) = matching(&txn, tenant, &filter).await?;
    let paged = query.clone().offset(page.offset()).limit(page.page_size);
    // The page's rows come with their owners' and suppliers' names and
    // their covered systems; with totals, the totals too, and their count
    // is the page's total: no statement of its own for either.
    let (total, totals, rows) = if with_totals {
        let backend = txn.get_database_backend();
        let (rows, beside) =
            views::named_page(&txn, paged, Some(totals_query(backend, query))).await?;
        let beside =
            beside.ok_or_else(|| DomainError::Internal("a list without its totals".into()))?;
        let totals = totals_from(&beside, backend)?;
        (totals.count, Some(totals), rows)
    } else {
        let total = count(&txn, query).await?;
        (total, None, views::named_page(&txn, paged, None).await?.0)
    };
    // In order of last change, the next page reads on from the last row.
    let next_cursor = filter.changed_since.and(rows.last().map(Changed::position));
    let items = views::named_views(&txn, tenant, rows).await?;
    txn.commit().await?;
    Ok((
        Page {
            items,
            total,
            page: page.page,
            page_size: page.page_size,
            next_cursor,
        },
        totals,
    ))
}

/// A page of the contracts `filter` matches in order of last change, after
/// `after` (from the start without one), at most `limit`; the totals over
/// all of them; and where the next page starts (after the last contract of
/// this one, or `after` again when there is none). Rows changed at the same
/// moment are ordered by id, so no page boundary skips or repeats one.
pub async fn list_contracts_by_change(
    db: &Db,
    principal: &Principal,
    filter: ContractFilter,
    after: Option<ChangeCursor>,
    limit: u64,
) -> DomainResult<(Vec<Contract>, ContractTotals, Option<ChangeCursor>)> {
    let tenant = tenant_for(principal, Action::ReadContracts)?;
    check(&filter)?;
    let limit = PageRequest::new(Some(1), Some(limit))?.page_size;
    ensure_fresh(db, tenant).await?;
    let txn = db.read(Scope::Tenant(tenant)).await?;
    let (query, _) = matching(&txn, tenant, &filter).await?;
    let totals = totals_of(&txn, query.clone()).await?;
    // `matching` has narrowed the list to `changed_since` already.
    let read = ChangeRead { since: None, after };
    let (rows, next) = read
        .rows(&txn, query, PageRequest::new(Some(1), Some(limit))?)
        .await?;
    let items = views(&txn, tenant, rows).await?;
    txn.commit().await?;
    Ok((items, totals, next))
}

/// The count and sums over every row of `query` (its order dropped).
async fn totals_of<C: ConnectionTrait>(
    conn: &C,
    query: Select<contract::Entity>,
) -> DomainResult<ContractTotals> {
    let backend = conn.get_database_backend();
    let row = conn
        .query_one_raw(backend.build(&totals_query(backend, query)))
        .await?
        .ok_or_else(|| DomainError::Internal("a sum without a row".into()))?;
    totals_from(&row, backend)
}

/// The statement summing what `query` matches: one row of the count and
/// the annual and total values (`totals_from` reads it). Amounts are
/// decimal text on SQLite; each has a generated column in whole øre, so
/// there the sums are exact integer arithmetic. The totals index stores
/// those columns, so where it serves the query (the municipality's list
/// unfiltered) no row is read (migration m20261207_000001).
fn totals_query(backend: DbBackend, mut query: Select<contract::Entity>) -> SelectStatement {
    QueryTrait::query(&mut query).clear_order_by();
    let (annual, total) = if backend == DbBackend::Sqlite {
        ("annual_value_ore", "total_value_ore")
    } else {
        ("annual_value", "total_value")
    };
    query
        .select_only()
        .column_as(Expr::cust("COUNT(*)"), "totals_count")
        .column_as(
            Expr::cust(format!("SUM(\"contracts\".\"{annual}\")")),
            "totals_annual",
        )
        .column_as(
            Expr::cust(format!("SUM(\"contracts\".\"{total}\")")),
            "totals_total",
        )
        .into_query()
}

/// The totals in a row `totals_query` read (alone or beside a page).
fn totals_from(row: &QueryResult, backend: DbBackend) -> DomainResult<ContractTotals> {
    let count: i64 = row.try_get("", "totals_count")?;
    let sum = |column: &str| -> DomainResult<Decimal> {
        Ok(if backend == DbBackend::Sqlite {
            Decimal::new(row.try_get::<Option<i64>>("", column)?.unwrap_or(0), 2)
        } else {
            row.try_get::<Option<Decimal>>("", column)?
                .unwrap_or_default()
        })
    };
    Ok(ContractTotals {
        count: u64::try_from(count).unwrap_or(0),
        annual_value: sum("totals_annual")?.round_dp(2),
        total_value: sum("totals_total")?.round_dp(2),
    })
}

/// Refuses a filter the list cannot run: a bad sort, search, date or status.
pub(super) fn check(filter: &ContractFilter) -> DomainResult<()> {
    parse_sort(filter.sort.as_deref(), &SORTABLE, "title")?;
    // Each word is one condition, so the count is capped: SQLite refuses
    // queries past a fixed expression depth.
    search_words("q", filter.q.as_deref())?;
    let mut errors = Vec::new();
    for (field, date) in [
        ("ends_before", filter.ends_before),
        ("ends_after", filter.ends_after),
    ] {
        if let Some(Err(e)) = date.map(|d| bounded_date(field, d)) {
            errors.push(e);
        }
    }
    if let Some(Err(e)) = filter
        .changed_since
        .map(|t| bounded_time("changed_since", t))
    {
        errors.push(e);
    }
    if !errors.is_empty() {
        return Err(DomainError::Validation(errors));
    }
    if let Some(status) = filter.status.as_deref()
        && !super::options::STATUSES.contains(status)
    {
        return Err(DomainError::invalid(
            "status",
            "invalid",
            format!("one of: {}", super::options::STATUSES.codes()),
        ));
    }
    Ok(())
}

/// The contracts whose rows a list over `scope` may show: the
/// municipality's own, those shared with it (their ids), or both.
pub(super) fn visible(
    tenant: TenantId,
    scope: ContractScope,
    shared_ids: Vec<Uuid>,
) -> Select<contract::Entity> {
    match scope {
        ContractScope::Own => scoped::<contract::Entity>(tenant),
        ContractScope::Shared => scoped_with_shared::<contract::Entity>(tenant, false, shared_ids),
        ContractScope::Both => scoped_with_shared::<contract::Entity>(tenant, true, shared_ids),
    }
}

/// The query for the contracts matching a checked `filter`, in the list's
/// order, and the ids of the shared contracts its scope covers.
pub(super) async fn matching<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    filter: &ContractFilter,
) -> DomainResult<(Select<contract::Entity>, Vec<Uuid>)> {
    let (sort, descending) = parse_sort(filter.sort.as_deref(), &SORTABLE, "title")?;
    let words = search_words("q", filter.q.as_deref())?;
    let today = today();
    let shared_ids: Vec<Uuid> = match filter.scope {
        ContractScope::Own => Vec::new(),
        _ => shares::visible_to(conn, tenant, KIND)
            .await?
            .into_iter()
            .map(|(id, _)| id)
            .collect(),
    };
    let mut query = visible(tenant, filter.scope, shared_ids.clone());
    if !filter.include_archived || filter.scope != ContractScope::Own {
        query = query.filter(contract::Column::ArchivedAt.is_null());
    }
    // The search text is stored in lower case; the words are folded the
    // same way (by `search_words`), not by the database (SQLite folds only ASCII).
    for word in &words {
        query = query.filter(
            Expr::col(contract::Column::SearchText)
                .like(LikeExpr::new(format!("%{}%", escape_like(word))).escape('\\')),
        );
    }
    if let Some(status) = filter.status.as_deref() {
        query = query.filter(status_condition(status, today));
    }
    if let Some(id) = filter.supplier_id {
        query = query.filter(contract::Column::SupplierId.eq(id));
    }
    if let Some(condition) = crate::templates::usage::contract_condition(
        filter.template_id,
        filter.template_version,
        filter.has_deviations,
    ) {
        query = query.filter(condition);
    }
    if let Some(system) = filter.system_id {
        query = query.filter(
            contract::Column::Id.in_subquery(
                Query::select()
                    .column(contract_system::Column::ContractId)
                    .from(contract_system::Entity)
                    .and_where(contract_system::Column::ItSystemId.eq(system))
                    .to_owned(),
            ),
        );
    }
    if let Some(category) = filter
        .category
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        query = query.filter(contract::Column::Category.eq(category));
    }
    if let Some(cpv) = filter
        .cpv
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        let digits: String = cpv.chars().take_while(|c| c.is_ascii_digit()).collect();
        if digits.is_empty() {
            return Err(DomainError::invalid(
                "cpv",
                "invalid",
                "a CPV code or its leading digits",
            ));
        }
        query = query.filter(contract::Column::CpvCode.starts_with(digits.trim_end_matches('0')));
    }
    if let Some(owner) = filter
        .owner
        .as_deref()
        .map(str::trim)
        .filter(|o| !o.is_empty())
    {
        let pattern = format!("%{}%", escape_like(owner));
        query = query.filter(
            Condition::any()
                .add(
                    Expr::expr(Func::lower(Expr::col(contract::Column::SystemOwner)))
                        .like(LikeExpr::new(pattern.clone()).escape('\\')),
                )
                .add(
                    Expr::expr(Func::lower(Expr::col(contract::Column::ResponsibleUnit)))
                        .like(LikeExpr::new(pattern).escape('\\')),
                ),
        );
    }
    match filter.owner_user {
        Some(OwnerFilter::User(user)) => {
            query = query.filter(contract::Column::OwnerUserId.eq(user));
        }
        Some(OwnerFilter::Nobody) => {
            query = query.filter(contract::Column::OwnerUserId.is_null());
        }
        None => {}
    }
    if let Some(before) = filter.ends_before {
        query = query.filter(contract::Column::EffectiveEnd.lt(before));
    }
    if let Some(after) = filter.ends_after {
        query = query.filter(contract::Column::EffectiveEnd.gt(after));
    }
    for (kind, wanted) in [
        (
            DeadlineKind::NoticeDeadline,
            filter.notice_within_days.map(Window::Within),
        ),
        (
            DeadlineKind::RetenderStart,
            filter.retender_within_days.map(Window::Within),
        ),
        (
            DeadlineKind::NoticeDeadline,
            filter.notice_overdue.then_some(Window::Overdue),
        ),
        (
            DeadlineKind::RetenderStart,
            filter.retender_overdue.then_some(Window::Overdue),
        ),
    ] {
        if let Some(window) = wanted {
            query = query.filter(open_deadline(kind, window, today));
        }
    }
    if let Some(criticality) = filter.criticality.as_deref() {
        query = query.filter(contract::Column::Criticality.eq(criticality));
    }
    if let Some(collaboration) = filter.shared_with {
        // Only a member asks what is shared with a collaboration; to anyone
        // else nothing is, whoever shared it.
        let member = shares::active_collaborations(conn, tenant)
            .await?
            .contains(&collaboration);
        query = query.filter(if member {
            contract::Column::Id.in_subquery(
                Query::select()
                    .column(share::Column::ObjectId)
                    .from(share::Entity)
                    .and_where(share::Column::ObjectKind.eq(KIND))
                    .and_where(share::Column::CollaborationId.eq(collaboration))
                    .to_owned(),
            )
        } else {
            contract::Column::Id.is_in(Vec::<Uuid>::new())
        });
    }

    let order = if descending { Order::Desc } else { Order::Asc };
    if let Some(since) = filter.changed_since {
        query = query
            .filter(contract::Column::UpdatedAt.gte(since))
            .order_by_asc(contract::Column::UpdatedAt);
    } else {
        // Empty values last whichever the direction, on both databases
        // (PostgreSQL puts NULL first when descending, SQLite first when
        // ascending).
        let last = NullOrdering::Last;
        query = match sort {
            "supplier" => by_supplier_name(query, order, last),
            "status" => query
                .order_by_with_nulls(contract::Column::StatusOverride, order.clone(), last)
                .order_by_with_nulls(contract::Column::EffectiveEnd, order, NullOrdering::Last),
            // Amounts are decimal text on SQLite: ordered by whole kroner
            // (exact up to 14 digits on both databases), then within the
            // same kroner by the amount itself, which as text or numeric
            // orders the øre correctly.
            "annual_value" | "total_value" => {
                let amount = column(sort);
                query
                    .order_by_with_nulls(
                        Expr::col(amount).cast_as(Alias::new("BIGINT")),
                        order.clone(),
                        last,
                    )
                    .order_by_with_nulls(amount, order, NullOrdering::Last)
            }
            other => query.order_by_with_nulls(column(other), order, last),
        };
    }
    Ok((query.order_by_asc(contract::Column::Id), shared_ids))
}

fn column(sort: &str) -> contract::Column {
    match sort {
        "reference" => contract::Column::Reference,
        "category" => contract::Column::Category,
        "criticality" => contract::Column::Criticality,
        "start_on" => contract::Column::StartOn,
        "end_on" => contract::Column::EndOn,
        "effective_end" => contract::Column::EffectiveEnd,
        "latest_end" => contract::Column::LatestEnd,
        "notice_deadline" => contract::Column::NoticeDeadline,
        "retender_start" => contract::Column::RetenderStart,
        "annual_value" => contract::Column::AnnualValue,
        "total_value" => contract::Column::TotalValue,
        "updated_at" => contract::Column::UpdatedAt,
        _ => contract::Column::Title,
    }
}
