//! A collaboration's contracts side by side: what its active members have
//! shared with it, one row per contract with the owner, supplier, value and
//! deadlines, filtered, sorted, paged and optionally grouped with subtotals.
//!
//! The rows come from one query joining the shares to the contracts (plus
//! one for the suppliers and one for the municipalities); sorting, grouping
//! and the sums run over the matching rows in memory, so that amounts are
//! added as exact decimals on both databases and names sort the same way.

use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{Days, NaiveDate};
use rust_decimal::Decimal;
use sea_orm::sea_query::{Expr, ExprTrait, LikeExpr};
use sea_orm::{ColumnTrait, ConnectionTrait, QueryFilter};
use serde::Serialize;
use uuid::Uuid;

use super::rows::{apply_derived, status_on};
use super::types::{KIND, Owner, today};
use crate::db::{Db, Scope, contracts_shared_with, escape_like, platform};
use crate::entities::{collaboration_member as member, contract, supplier, tenant};
use crate::error::{DomainError, DomainResult};
use crate::paging::{PageRequest, parse_sort};
use crate::policy::Action;
use crate::principal::{Principal, TenantId};
use crate::suppliers::Supplier;
use crate::systems::tenant_for;
use crate::values::search_words;

/// The columns the side-by-side view sorts by.
pub const SORTABLE: [&str; 10] = [
    "municipality",
    "title",
    "supplier",
    "category",
    "cpv",
    "annual_value",
    "total_value",
    "notice_deadline",
    "end",
    "retender_start",
];

/// How the rows are grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum GroupBy {
    Supplier,
    Category,
    Municipality,
}

#[derive(Debug, Clone, Default)]
pub struct SideBySideFilter {
    /// Owned by this municipality (tenant id).
    pub municipality: Option<Uuid>,
    pub supplier_id: Option<Uuid>,
    pub category: Option<String>,
    /// Words to find in title, reference, supplier (name or CVR) and systems.
    pub q: Option<String>,
    /// Notice deadline from today to this many days ahead.
    pub notice_within_days: Option<u32>,
    /// A column of [`SORTABLE`], `-` first for descending.
    pub sort: Option<String>,
    pub group_by: Option<GroupBy>,
}

/// One shared contract in the view.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct SideBySideRow {
    pub id: Uuid,
    pub municipality: Owner,
    pub title: String,
    pub supplier: Supplier,
    pub category: Option<String>,
    pub cpv_code: Option<String>,
    pub annual_value: Option<Decimal>,
    pub total_value: Option<Decimal>,
    pub status: String,
    pub notice_deadline: Option<NaiveDate>,
    /// The effective end; `None` only for a contract running until terminated.
    pub effective_end: Option<NaiveDate>,
    /// Runs until terminated: there is no end date to show.
    pub running: bool,
    pub retender_start: Option<NaiveDate>,
    /// The key of the group the row belongs to, when grouped.
    pub group_key: Option<String>,
}

/// Count and sums of a set of rows. Sums add the amounts given; `count` is
/// all rows, `annual_value_count` and `total_value_count` those with an amount.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Subtotal {
    pub count: u64,
    pub annual_value: Decimal,
    pub annual_value_count: u64,
    pub total_value: Decimal,
    pub total_value_count: u64,
}

impl Subtotal {
    fn add(&mut self, row: &SideBySideRow) {
        self.count += 1;
        if let Some(v) = row.annual_value {
            self.annual_value += v;
            self.annual_value_count += 1;
        }
        if let Some(v) = row.total_value {
            self.total_value += v;
            self.total_value_count += 1;
        }
    }
}

/// A group of rows: a supplier, a category or a municipality.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Group {
    /// The supplier's or municipality's id, or the category; `None` for the
    /// contracts without a category.
    pub key: Option<String>,
    /// The supplier's or municipality's name, or the category.
    pub label: Option<String>,
    /// The supplier's CVR number (supplier groups only).
    pub cvr: Option<String>,
    #[serde(flatten)]
    pub subtotal: Subtotal,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct SideBySide {
    pub items: Vec<SideBySideRow>,
    pub total: u64,
    pub page: u64,
    pub page_size: u64,
    pub group_by: Option<GroupBy>,
    /// Every group of the matching rows in the order the rows come (empty
    /// unless grouped): the items of a page are ordered by group first.
    pub groups: Vec<Group>,
    /// Over all matching rows, not just the page.
    pub totals: Subtotal,
}

/// The contracts the active members of `collaboration` share with it, as one
/// of those members sees them. To anyone else the collaboration does not exist.
pub async fn collaboration_contracts(
    db: &Db,
    principal: &Principal,
    collaboration: Uuid,
    filter: SideBySideFilter,
    page: PageRequest,
) -> DomainResult<SideBySide> {
    let tenant = tenant_for(principal, Action::ReadContracts)?;
    let (sort, descending) = parse_sort(filter.sort.as_deref(), &SORTABLE, "title")?;
    let words = search_words("q", filter.q.as_deref())?;
    let txn = db.read(Scope::Tenant(tenant)).await?;
    let members = active_members(&txn, tenant, collaboration).await?;
    let mut query = contracts_shared_with(collaboration, KIND)
        .filter(contract::Column::TenantId.is_in(members.iter().copied()))
        .filter(contract::Column::ArchivedAt.is_null());
    if let Some(owner) = filter.municipality {
        query = query.filter(contract::Column::TenantId.eq(owner));
    }
    if let Some(id) = filter.supplier_id {
        query = query.filter(contract::Column::SupplierId.eq(id));
    }
    if let Some(category) = filter
        .category
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        query = query.filter(contract::Column::Category.eq(category));
    }
    // The search text is stored folded; the words are folded the same way.
    for word in &words {
        query = query.filter(
            Expr::col((contract::Entity, contract::Column::SearchText))
                .like(LikeExpr::new(format!("%{}%", escape_like(word))).escape('\\')),
        );
    }
    let models = query.all(&txn).await?;
    let rows = rows_of(&txn, models, filter.group_by).await?;
    txn.commit().await?;
    Ok(arrange(rows, &filter, sort, descending, page))
}

/// The active members of the collaboration, `NotFound` unless `reader` is one.
async fn active_members<C: ConnectionTrait>(
    conn: &C,
    reader: TenantId,
    collaboration: Uuid,
) -> DomainResult<HashSet<Uuid>> {
    let members: HashSet<Uuid> = platform::<member::Entity>()
        .filter(member::Column::CollaborationId.eq(collaboration))
        .filter(member::Column::Status.eq("active"))
        .all(conn)
        .await?
        .into_iter()
        .map(|m| m.tenant_id)
        .collect();
    if !members.contains(&reader.0) {
        return Err(DomainError::NotFound);
    }
    Ok(members)
}

/// The rows of `models`, their owners and suppliers filled in (two queries
/// for all of them) and their derived dates as of today.
async fn rows_of<C: ConnectionTrait>(
    conn: &C,
    models: Vec<contract::Model>,
    group_by: Option<GroupBy>,
) -> DomainResult<Vec<SideBySideRow>> {
    let today = today();
    let owner_ids: HashSet<Uuid> = models.iter().map(|m| m.tenant_id).collect();
    let owners: HashMap<Uuid, Owner> = platform::<tenant::Entity>()
        .filter(tenant::Column::Id.is_in(owner_ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|t| {
            (
                t.id,
                Owner {
                    id: t.id,
                    name: t.name,
                    municipality_code: t.municipality_code,
                },
            )
        })
        .collect();
    let supplier_ids: HashSet<Uuid> = models.iter().map(|m| m.supplier_id).collect();
    let suppliers: HashMap<Uuid, Supplier> = platform::<supplier::Entity>()
        .filter(supplier::Column::Id.is_in(supplier_ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|s| (s.id, Supplier::from(s)))
        .collect();
    let mut rows = Vec::with_capacity(models.len());
    for mut m in models {
        // A running contract's earliest possible end moves with time; its
        // owner refreshes the stored dates when it next lists its register,
        // and until then the reader sees them as the owner will.
        if m.derived_on < today {
            apply_derived(&mut m, today);
        }
        let municipality = owners
            .get(&m.tenant_id)
            .cloned()
            .ok_or(DomainError::NotFound)?;
        let supplier = suppliers
            .get(&m.supplier_id)
            .cloned()
            .ok_or(DomainError::NotFound)?;
        let group_key = match group_by {
            Some(GroupBy::Supplier) => Some(supplier.id.to_string()),
            Some(GroupBy::Municipality) => Some(municipality.id.to_string()),
            Some(GroupBy::Category) => m.category.clone(),
            None => None,
        };
        rows.push(SideBySideRow {
            status: status_on(&m, today),
            id: m.id,
            municipality,
            title: m.title,
            supplier,
            category: m.category,
            cpv_code: m.cpv_code,
            annual_value: m.annual_value.map(|v| v.0),
            total_value: m.total_value.map(|v| v.0),
            notice_deadline: m.notice_deadline,
            running: m.effective_end.is_none(),
            effective_end: m.effective_end,
            retender_start: m.retender_start,
            group_key,
        });
    }
    Ok(rows)
}

/// Compares two optional values, the missing ones last whichever the direction.
fn missing_last<T: Ord>(a: &Option<T>, b: &Option<T>, descending: bool) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) => {
            if descending {
                b.cmp(a)
            } else {
                a.cmp(b)
            }
        }
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

fn folded(text: &str) -> String {
    text.to_lowercase()
}

/// Orders two rows by the `sort` column; ties by title, then id.
fn compare(a: &SideBySideRow, b: &SideBySideRow, sort: &str, descending: bool) -> Ordering {
    let text = |x: &str, y: &str| {
        let o = folded(x).cmp(&folded(y));
        if descending { o.reverse() } else { o }
    };
    let by_column = match sort {
        "municipality" => text(&a.municipality.name, &b.municipality.name),
        "supplier" => text(&a.supplier.name, &b.supplier.name),
        "category" => missing_last(
            &a.category.as_deref().map(folded),
            &b.category.as_deref().map(folded),
            descending,
        ),
        "cpv" => missing_last(&a.cpv_code, &b.cpv_code, descending),
        "annual_value" => missing_last(&a.annual_value, &b.annual_value, descending),
        "total_value" => missing_last(&a.total_value, &b.total_value, descending),
        "notice_deadline" => missing_last(&a.notice_deadline, &b.notice_deadline, descending),
        // A running contract has no end: it ends after every dated one.
        "end" => {
            let end = |r: &SideBySideRow| r.effective_end.unwrap_or(NaiveDate::MAX);
            if descending {
                end(b).cmp(&end(a))
            } else {
                end(a).cmp(&end(b))
            }
        }
        "retender_start" => missing_last(&a.retender_start, &b.retender_start, descending),
        _ => text(&a.title, &b.title),
    };
    by_column
        .then_with(|| folded(&a.title).cmp(&folded(&b.title)))
        .then_with(|| a.id.cmp(&b.id))
}

/// Filters by notice deadline, sorts, groups, sums and cuts the page.
fn arrange(
    mut rows: Vec<SideBySideRow>,
    filter: &SideBySideFilter,
    sort: &str,
    descending: bool,
    page: PageRequest,
) -> SideBySide {
    let today = today();
    if let Some(days) = filter.notice_within_days {
        let until = today
            .checked_add_days(Days::new(u64::from(Ord::min(days, 36_500))))
            .unwrap_or(NaiveDate::MAX);
        rows.retain(|r| r.notice_deadline.is_some_and(|d| d >= today && d <= until));
    }
    let mut totals = Subtotal::default();
    for row in &rows {
        totals.add(row);
    }
    let mut groups = Vec::new();
    if filter.group_by.is_some() {
        let mut by_key: BTreeMap<Option<String>, Group> = BTreeMap::new();
        for row in &rows {
            by_key
                .entry(row.group_key.clone())
                .or_insert_with(|| Group {
                    key: row.group_key.clone(),
                    label: group_label(row, filter.group_by),
                    cvr: matches!(filter.group_by, Some(GroupBy::Supplier))
                        .then(|| row.supplier.cvr.clone()),
                    subtotal: Subtotal::default(),
                })
                .subtotal
                .add(row);
        }
        groups = by_key.into_values().collect();
        // Groups by name; the contracts without a category last.
        groups.sort_by(|a, b| {
            missing_last(
                &a.label.as_deref().map(folded),
                &b.label.as_deref().map(folded),
                false,
            )
            .then_with(|| a.key.cmp(&b.key))
        });
    }
    let position: HashMap<Option<String>, usize> = groups
        .iter()
        .enumerate()
        .map(|(i, g)| (g.key.clone(), i))
        .collect();
    rows.sort_by(|a, b| {
        let group = |r: &SideBySideRow| position.get(&r.group_key).copied().unwrap_or(0);
        group(a)
            .cmp(&group(b))
            .then_with(|| compare(a, b, sort, descending))
    });
    let total = rows.len() as u64;
    let start = usize::try_from(page.offset()).unwrap_or(usize::MAX);
    let size = usize::try_from(page.page_size).unwrap_or(usize::MAX);
    let items = rows.into_iter().skip(start).take(size).collect();
    SideBySide {
        items,
        total,
        page: page.page,
        page_size: page.page_size,
        group_by: filter.group_by,
        groups,
        totals,
    }
}

fn group_label(row: &SideBySideRow, group_by: Option<GroupBy>) -> Option<String> {
    match group_by {
        Some(GroupBy::Supplier) => Some(row.supplier.name.clone()),
        Some(GroupBy::Municipality) => Some(row.municipality.name.clone()),
        Some(GroupBy::Category) => row.category.clone(),
        None => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(
        title: &str,
        supplier: &str,
        annual: Option<i64>,
        end: Option<NaiveDate>,
    ) -> SideBySideRow {
        // The same supplier name gives the same id.
        let supplier_id = Uuid::from_u128(
            supplier
                .bytes()
                .fold(7u128, |h, b| h.wrapping_mul(31).wrapping_add(u128::from(b))),
        );
        SideBySideRow {
            id: Uuid::new_v4(),
            municipality: Owner {
                id: Uuid::nil(),
                name: "Sorø Kommune".into(),
                municipality_code: "340".into(),
            },
            title: title.into(),
            supplier: Supplier {
                id: supplier_id,
                cvr: "12345678".into(),
                name: supplier.into(),
            },
            category: None,
            cpv_code: None,
            annual_value: annual.map(|v| Decimal::new(v, 2)),
            total_value: None,
            status: "active".into(),
            notice_deadline: None,
            effective_end: end,
            running: end.is_none(),
            retender_start: None,
            group_key: Some(supplier_id.to_string()),
        }
    }

    fn request() -> PageRequest {
        PageRequest::new(Some(1), Some(50)).unwrap()
    }

    #[test]
    fn groups_sum_exact_amounts_and_order_rows_by_group() {
        let rows = vec![
            row("B", "Zeta A/S", Some(10), None),
            row("A", "Alfa ApS", Some(1_000_000_001), None),
            row("C", "Alfa ApS", Some(2), None),
            row("D", "Zeta A/S", None, None),
        ];
        let filter = SideBySideFilter {
            group_by: Some(GroupBy::Supplier),
            ..Default::default()
        };
        let view = arrange(rows, &filter, "title", false, request());
        assert_eq!(view.totals.count, 4);
        assert_eq!(view.totals.annual_value, Decimal::new(1_000_000_013, 2));
        assert_eq!(view.totals.annual_value_count, 3);
        let labels: Vec<_> = view
            .groups
            .iter()
            .map(|g| g.label.clone().unwrap())
            .collect();
        assert_eq!(labels, ["Alfa ApS", "Zeta A/S"]);
        assert_eq!(
            view.groups[0].subtotal.annual_value,
            Decimal::new(1_000_000_003, 2)
        );
        assert_eq!(view.groups[1].subtotal.count, 2);
        let titles: Vec<_> = view.items.iter().map(|r| r.title.as_str()).collect();
        assert_eq!(titles, ["A", "C", "B", "D"]);
    }

    #[test]
    fn running_contracts_end_after_dated_ones_and_missing_amounts_sort_last() {
        let day = NaiveDate::from_ymd_opt(2030, 1, 31);
        let rows = vec![
            row("Løbende", "X", None, None),
            row("Udløber", "X", Some(5), day),
        ];
        let filter = SideBySideFilter::default();
        let view = arrange(rows.clone(), &filter, "end", false, request());
        assert_eq!(view.items[0].title, "Udløber");
        let view = arrange(rows.clone(), &filter, "end", true, request());
        assert_eq!(view.items[0].title, "Løbende");
        let view = arrange(rows, &filter, "annual_value", true, request());
        assert_eq!(view.items[0].title, "Udløber");
        assert!(view.items[1].running);
    }
}
