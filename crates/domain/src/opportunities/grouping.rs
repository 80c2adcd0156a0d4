//! Which shared contracts make a joint tender opportunity (mulighed for
//! fælles udbud): contracts of at least two municipalities in the same CPV
//! branch (or the same contract category) whose re-tender start
//! (`retender_start`) falls within a window. Pure: no database, no HTTP.
//!
//! The window is inclusive at both ends: `[from, from + months]`. A CPV
//! level takes the first N digits of the code (group 5, class 4, division 2)
//! as they stand, so `72250000` and `72251000` are two groups at level 5 and
//! one (`7225`) at level 4. The category level compares the category text
//! trimmed, case-folded and with runs of spaces collapsed.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use chrono::{Months, NaiveDate};
use rust_decimal::Decimal;
use serde::Serialize;
use uuid::Uuid;

use crate::tender_plans::model::{ContractKind, Threshold, ThresholdVerdict};
use crate::tender_plans::{text, thresholds};

/// What groups contracts together.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// The first five digits of the CPV code ("72250").
    Group,
    /// The first four ("7225").
    Class,
    /// The first two ("72").
    Division,
    /// The same contract category.
    Category,
}

impl Level {
    pub const ALL: &'static [Level] =
        &[Level::Group, Level::Class, Level::Division, Level::Category];

    pub fn as_str(self) -> &'static str {
        match self {
            Level::Group => "group",
            Level::Class => "class",
            Level::Division => "division",
            Level::Category => "category",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|l| l.as_str() == code)
    }

    /// The CPV digits compared; `None` for the category level.
    pub fn digits(self) -> Option<usize> {
        match self {
            Level::Group => Some(5),
            Level::Class => Some(4),
            Level::Division => Some(2),
            Level::Category => None,
        }
    }

    /// The level's name in the user interface.
    pub fn label_da(self) -> &'static str {
        match self {
            Level::Group => "Gruppe (5 cifre)",
            Level::Class => "Klasse (4 cifre)",
            Level::Division => "Afdeling (2 cifre)",
            Level::Category => "Kategori",
        }
    }
}

/// The window re-tender starts must fall in: `from` to `from + months`,
/// both days included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Window {
    /// `None` when the end lies beyond the calendar.
    pub fn new(from: NaiveDate, months: u32) -> Option<Self> {
        Some(Self {
            from,
            to: from.checked_add_months(Months::new(months))?,
        })
    }

    pub fn contains(&self, day: NaiveDate) -> bool {
        self.from <= day && day <= self.to
    }
}

/// A contract shared with the collaboration, with what grouping needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharedContract {
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub title: String,
    pub supplier_name: Option<String>,
    /// `NNNNNNNN-N`, as stored.
    pub cpv_code: Option<String>,
    pub category: Option<String>,
    pub annual_value: Option<Decimal>,
    pub total_value: Option<Decimal>,
    pub end_on: Option<NaiveDate>,
    pub notice_deadline: Option<NaiveDate>,
    pub retender_start: Option<NaiveDate>,
}

/// A proposed joint tender: the contracts of one key within the window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// Stable: `cpv:72250` or `category:drift og hosting`.
    pub key: String,
    pub level: Level,
    /// The CPV digits of the key (CPV levels).
    pub cpv_prefix: Option<String>,
    /// The category as the earliest contract spells it (category level).
    pub category: Option<String>,
    /// The municipalities, by id.
    pub tenant_ids: Vec<Uuid>,
    /// By re-tender start, then title, then id.
    pub contracts: Vec<SharedContract>,
    pub annual_value: Decimal,
    pub total_value: Decimal,
    pub earliest_retender_start: NaiveDate,
    pub latest_retender_start: NaiveDate,
}

impl Group {
    /// Each municipality's sum of total values, by municipality id.
    pub fn total_by_tenant(&self) -> BTreeMap<Uuid, Decimal> {
        let mut sums = BTreeMap::new();
        for c in &self.contracts {
            *sums.entry(c.tenant_id).or_insert(Decimal::ZERO) +=
                c.total_value.unwrap_or(Decimal::ZERO);
        }
        sums
    }
}

/// The digits of a stored CPV code, if it has eight.
fn cpv_digits(code: &str) -> Option<&str> {
    let digits = code.trim().get(..8)?;
    digits.bytes().all(|b| b.is_ascii_digit()).then_some(digits)
}

/// The category as compared: trimmed, lower case, single spaces.
pub fn normalize_category(category: &str) -> String {
    category
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The key a contract falls under at `level`, if any.
pub fn key_of(contract: &SharedContract, level: Level) -> Option<String> {
    match level.digits() {
        Some(n) => {
            let digits = cpv_digits(contract.cpv_code.as_deref()?)?;
            Some(format!("cpv:{}", &digits[..n]))
        }
        None => {
            let category = normalize_category(contract.category.as_deref()?);
            (!category.is_empty()).then(|| format!("category:{category}"))
        }
    }
}

/// The groups of `contracts` at `level` within `window`: keys under which
/// contracts of at least two municipalities re-tender in the window. By
/// earliest re-tender start, then key.
pub fn group_contracts(contracts: &[SharedContract], window: Window, level: Level) -> Vec<Group> {
    let mut by_key: BTreeMap<String, Vec<&SharedContract>> = BTreeMap::new();
    for contract in contracts {
        let Some(start) = contract.retender_start else {
            continue;
        };
        if !window.contains(start) {
            continue;
        }
        if let Some(key) = key_of(contract, level) {
            by_key.entry(key).or_default().push(contract);
        }
    }
    let mut groups: Vec<Group> = by_key
        .into_iter()
        .filter_map(|(key, members)| {
            let tenants: BTreeSet<Uuid> = members.iter().map(|c| c.tenant_id).collect();
            if tenants.len() < 2 {
                return None;
            }
            let mut contracts: Vec<SharedContract> = members.into_iter().cloned().collect();
            contracts.sort_by(|a, b| {
                a.retender_start
                    .cmp(&b.retender_start)
                    .then_with(|| a.title.cmp(&b.title))
                    .then_with(|| a.id.cmp(&b.id))
            });
            let starts = contracts.iter().filter_map(|c| c.retender_start);
            let earliest = starts.clone().min()?;
            let latest = starts.max()?;
            let sum = |value: fn(&SharedContract) -> Option<Decimal>| {
                contracts.iter().filter_map(value).sum::<Decimal>()
            };
            Some(Group {
                level,
                cpv_prefix: key.strip_prefix("cpv:").map(str::to_owned),
                category: match level {
                    Level::Category => contracts
                        .iter()
                        .find_map(|c| c.category.as_deref().map(|s| s.trim().to_owned())),
                    _ => None,
                },
                tenant_ids: tenants.into_iter().collect(),
                annual_value: sum(|c| c.annual_value),
                total_value: sum(|c| c.total_value),
                earliest_retender_start: earliest,
                latest_retender_start: latest,
                contracts,
                key,
            })
        })
        .collect();
    groups.sort_by(|a, b| {
        a.earliest_retender_start
            .cmp(&b.earliest_retender_start)
            .then_with(|| a.key.cmp(&b.key))
    });
    groups
}

/// Whether a planned tender covers `group`: it is in the same field (its
/// CPV code starts with the group's prefix, or at the category level its
/// category is the group's) and its participants' replaced contracts
/// (`replaced`) include at least one of the group's contracts.
pub fn covers(
    group: &Group,
    tender_cpv: Option<&str>,
    tender_category: Option<&str>,
    replaced: &HashSet<Uuid>,
) -> bool {
    let same_field = match &group.cpv_prefix {
        Some(prefix) => tender_cpv
            .and_then(cpv_digits)
            .is_some_and(|digits| digits.starts_with(prefix.as_str())),
        None => tender_category.is_some_and(|category| {
            group.key.strip_prefix("category:") == Some(normalize_category(category).as_str())
        }),
    };
    same_field && group.contracts.iter().any(|c| replaced.contains(&c.id))
}

/// Why the contracts are grouped, in Danish; `label` is the CPV label of the
/// prefix, when known.
pub fn reason(group: &Group, label: Option<&str>) -> String {
    let what = match (group.level, &group.cpv_prefix) {
        (Level::Category, _) => format!(
            "i kategorien »{}«",
            group.category.as_deref().unwrap_or_default()
        ),
        (level, Some(prefix)) => {
            let name = match level {
                Level::Group => "CPV-gruppe",
                Level::Class => "CPV-klasse",
                _ => "CPV-afdeling",
            };
            match label {
                Some(label) => format!("i {name} {prefix} ({label})"),
                None => format!("i {name} {prefix}"),
            }
        }
        (_, None) => String::new(),
    };
    let count = group.contracts.len();
    let contracts = if count == 1 {
        "1 kontrakt".to_owned()
    } else {
        format!("{count} kontrakter")
    };
    let when = if group.earliest_retender_start == group.latest_retender_start {
        format!("den {}", text::date(group.earliest_retender_start))
    } else {
        format!(
            "mellem {} og {}",
            text::date(group.earliest_retender_start),
            text::date(group.latest_retender_start)
        )
    };
    format!(
        "{} kommuner skal genudbyde {contracts} {what} {when}.",
        group.tenant_ids.len()
    )
}

/// The group's combined total value against the EU threshold for supplies
/// and services that applies when the joint work would start (the earliest
/// re-tender start). Past the last row of the table, its newest row is used.
/// `None` when no threshold is known or it has no DKK value yet.
pub fn threshold(group: &Group, rows: &[Threshold]) -> Option<ThresholdVerdict> {
    let kind = ContractKind::SuppliesServices;
    let day = group.earliest_retender_start;
    let row = thresholds::applicable(rows, kind, day).or_else(|| {
        rows.iter()
            .filter(|t| t.kind == kind && t.valid_from <= day)
            .max_by_key(|t| t.valid_from)
    })?;
    let per_tenant: Vec<Decimal> = group.total_by_tenant().into_values().collect();
    let mut verdict = thresholds::verdict(group.total_value, &per_tenant, row, None).ok()?;
    verdict.consequence = verdict
        .consequence
        .replace("Det planlagte udbud skal", "Et fælles udbud skal");
    Some(verdict)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn dkk(n: i64) -> Decimal {
        Decimal::from(n)
    }

    fn tenant(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    fn contract(n: u128, owner: u128, cpv: &str, start: NaiveDate) -> SharedContract {
        SharedContract {
            id: Uuid::from_u128(1000 + n),
            tenant_id: tenant(owner),
            title: format!("Kontrakt {n}"),
            supplier_name: None,
            cpv_code: Some(cpv.to_owned()),
            category: None,
            annual_value: Some(dkk(100_000)),
            total_value: Some(dkk(400_000)),
            end_on: None,
            notice_deadline: None,
            retender_start: Some(start),
        }
    }

    fn window() -> Window {
        Window::new(day(2027, 1, 1), 18).unwrap()
    }

    #[test]
    fn the_window_includes_its_first_and_last_day_and_nothing_beyond() {
        let w = window();
        assert_eq!(w.to, day(2028, 7, 1));
        let first = contract(1, 1, "72250000-2", day(2027, 1, 1));
        let last = contract(2, 2, "72250000-2", day(2028, 7, 1));
        let groups = group_contracts(&[first.clone(), last.clone()], w, Level::Group);
        assert_eq!(groups.len(), 1);
        assert_eq!(groups[0].contracts.len(), 2);

        let before = contract(3, 3, "72250000-2", day(2026, 12, 31));
        let after = contract(4, 3, "72250000-2", day(2028, 7, 2));
        let groups = group_contracts(&[first.clone(), before, after], w, Level::Group);
        assert!(groups.is_empty(), "one municipality inside is no group");
        let groups = group_contracts(
            &[first, last, contract(5, 3, "72250000-2", day(2028, 7, 2))],
            w,
            Level::Group,
        );
        assert_eq!(groups[0].tenant_ids, vec![tenant(1), tenant(2)]);
    }

    #[test]
    fn a_contract_without_retender_start_is_not_grouped() {
        let mut undated = contract(1, 1, "72250000-2", day(2027, 3, 1));
        undated.retender_start = None;
        let other = contract(2, 2, "72250000-2", day(2027, 3, 1));
        assert!(group_contracts(&[undated, other], window(), Level::Group).is_empty());
    }

    #[test]
    fn cpv_levels_compare_five_four_or_two_digits() {
        let a = contract(1, 1, "72250000-2", day(2027, 3, 1));
        let b = contract(2, 2, "72251000-9", day(2027, 4, 1));
        let contracts = [a, b];
        assert!(group_contracts(&contracts, window(), Level::Group).is_empty());
        let class = group_contracts(&contracts, window(), Level::Class);
        assert_eq!(class.len(), 1);
        assert_eq!(class[0].key, "cpv:7225");
        assert_eq!(class[0].cpv_prefix.as_deref(), Some("7225"));
        let division = group_contracts(&contracts, window(), Level::Division);
        assert_eq!(division[0].key, "cpv:72");

        let same = [
            contract(1, 1, "72250000-2", day(2027, 3, 1)),
            contract(2, 2, "72250000-2", day(2027, 4, 1)),
        ];
        assert_eq!(
            group_contracts(&same, window(), Level::Group)[0].key,
            "cpv:72250"
        );
    }

    #[test]
    fn a_single_municipality_makes_no_group_however_many_contracts() {
        let contracts = [
            contract(1, 1, "48000000-8", day(2027, 3, 1)),
            contract(2, 1, "48000000-8", day(2027, 4, 1)),
            contract(3, 1, "48000000-8", day(2027, 5, 1)),
        ];
        assert!(group_contracts(&contracts, window(), Level::Division).is_empty());
    }

    #[test]
    fn categories_group_regardless_of_case_and_spacing() {
        let mut a = contract(1, 1, "72250000-2", day(2027, 3, 1));
        a.category = Some("Drift og  hosting".into());
        let mut b = contract(2, 2, "48000000-8", day(2027, 5, 1));
        b.category = Some(" drift og hosting".into());
        let mut c = contract(3, 3, "48000000-8", day(2027, 5, 1));
        c.category = Some("Licenser".into());
        let mut d = contract(4, 3, "48000000-8", day(2027, 5, 1));
        d.category = None;
        let groups = group_contracts(&[a, b, c, d], window(), Level::Category);
        assert_eq!(groups.len(), 1);
        assert_eq!(groups[0].key, "category:drift og hosting");
        assert_eq!(groups[0].category.as_deref(), Some("Drift og  hosting"));
        assert_eq!(groups[0].cpv_prefix, None);
        assert_eq!(
            reason(&groups[0], None),
            "2 kommuner skal genudbyde 2 kontrakter i kategorien »Drift og  hosting« \
             mellem 1. marts 2027 og 1. maj 2027."
        );
    }

    #[test]
    fn sums_dates_and_reason_describe_the_group() {
        let mut a = contract(1, 1, "72250000-2", day(2027, 3, 1));
        a.total_value = None;
        let b = contract(2, 2, "72250000-2", day(2027, 6, 30));
        let c = contract(3, 3, "72250000-2", day(2027, 4, 15));
        let groups = group_contracts(&[a, b, c], window(), Level::Group);
        let g = &groups[0];
        assert_eq!(g.annual_value, dkk(300_000));
        assert_eq!(g.total_value, dkk(800_000));
        assert_eq!(g.earliest_retender_start, day(2027, 3, 1));
        assert_eq!(g.latest_retender_start, day(2027, 6, 30));
        let order: Vec<u128> = g.contracts.iter().map(|c| c.id.as_u128() - 1000).collect();
        assert_eq!(order, vec![1, 3, 2]);
        assert_eq!(
            reason(g, Some("Systemsupport")),
            "3 kommuner skal genudbyde 3 kontrakter i CPV-gruppe 72250 (Systemsupport) \
             mellem 1. marts 2027 og 30. juni 2027."
        );
    }

    #[test]
    fn keys_are_stable_and_groups_ordered_by_earliest_start_then_key() {
        let contracts = vec![
            contract(1, 1, "48000000-8", day(2027, 9, 1)),
            contract(2, 2, "48000000-8", day(2027, 9, 1)),
            contract(3, 1, "72250000-2", day(2027, 9, 1)),
            contract(4, 2, "72250000-2", day(2027, 9, 1)),
            contract(5, 1, "79000000-4", day(2027, 2, 1)),
            contract(6, 2, "79000000-4", day(2027, 12, 1)),
        ];
        let keys = |cs: &[SharedContract]| -> Vec<String> {
            group_contracts(cs, window(), Level::Group)
                .into_iter()
                .map(|g| g.key)
                .collect()
        };
        let expected = vec!["cpv:79000", "cpv:48000", "cpv:72250"];
        assert_eq!(keys(&contracts), expected);
        let mut reversed = contracts.clone();
        reversed.reverse();
        assert_eq!(keys(&reversed), expected, "input order does not matter");
    }

    fn thresholds_2026() -> Vec<Threshold> {
        vec![Threshold {
            kind: ContractKind::SuppliesServices,
            valid_from: day(2026, 1, 1),
            valid_to: day(2027, 12, 31),
            eur: dkk(216_000),
            dkk: Some(dkk(1_611_360)),
        }]
    }

    #[test]
    fn the_combined_total_value_is_held_against_the_eu_threshold() {
        let a = contract(1, 1, "72250000-2", day(2027, 3, 1));
        let b = contract(2, 2, "72250000-2", day(2027, 4, 1));
        let below = &group_contracts(&[a.clone(), b.clone()], window(), Level::Group)[0];
        let verdict = threshold(below, &thresholds_2026()).unwrap();
        assert!(!verdict.above);
        assert_eq!(verdict.threshold_dkk, dkk(1_611_360));

        let mut c = contract(3, 3, "72250000-2", day(2027, 5, 1));
        c.total_value = Some(dkk(900_000));
        let above = &group_contracts(&[a, b, c], window(), Level::Group)[0];
        let verdict = threshold(above, &thresholds_2026()).unwrap();
        assert!(verdict.above, "1,700,000 in all is above 1,611,360");
        assert!(verdict.crosses_only_in_aggregate);
        assert!(verdict.consequence.contains("Et fælles udbud skal"));
    }

    #[test]
    fn past_the_table_the_newest_threshold_is_used() {
        let a = contract(1, 1, "72250000-2", day(2028, 3, 1));
        let b = contract(2, 2, "72250000-2", day(2028, 4, 1));
        let g = &group_contracts(&[a, b], window(), Level::Group)[0];
        assert_eq!(
            threshold(g, &thresholds_2026()).unwrap().valid_from,
            day(2026, 1, 1)
        );
        assert!(threshold(g, &[]).is_none());
    }

    #[test]
    fn a_tender_covers_a_group_in_its_field_that_replaces_one_of_its_contracts() {
        let a = contract(1, 1, "72250000-2", day(2027, 3, 1));
        let b = contract(2, 2, "72250000-2", day(2027, 4, 1));
        let g = &group_contracts(&[a.clone(), b], window(), Level::Group)[0];
        let replaced = HashSet::from([a.id]);
        assert!(covers(g, Some("72250000-2"), None, &replaced));
        assert!(!covers(g, Some("72253000-3"), None, &replaced));
        assert!(!covers(g, Some("72250000-2"), None, &HashSet::new()));
        assert!(!covers(g, None, None, &replaced));
        let class = &group_contracts(
            &[a.clone(), contract(3, 2, "72251000-9", day(2027, 4, 1))],
            window(),
            Level::Class,
        )[0];
        assert!(covers(class, Some("72251000-9"), None, &replaced));

        let mut c = a.clone();
        c.category = Some("Drift".into());
        let mut d = contract(4, 2, "48000000-8", day(2027, 4, 1));
        d.category = Some("drift".into());
        let by_category = &group_contracts(&[c, d], window(), Level::Category)[0];
        assert!(covers(by_category, None, Some(" DRIFT "), &replaced));
        assert!(!covers(
            by_category,
            Some("72250000-2"),
            Some("Licenser"),
            &replaced
        ));
    }

    #[test]
    fn levels_read_their_codes() {
        for level in Level::ALL {
            assert_eq!(Level::parse(level.as_str()), Some(*level));
        }
        assert_eq!(Level::parse("sector"), None);
    }
}
