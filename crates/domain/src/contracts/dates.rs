//! A contract's derived dates, computed in one place from its terms: when
//! notice must be given at the latest, when it really ends, when it can end
//! at the latest, and when work on the next tender must begin.
//!
//! Month arithmetic clamps to the month's last day (31 January + 1 month is
//! 28 or 29 February). Counting a notice period back from a month's last day
//! lands on a month's last day (notice "to the end of a month").
//!
//! The register accepts dates in a bounded range (`values::bounded_date`),
//! but the arithmetic here does not rely on it: every step is checked and
//! saturates at chrono's first or last date instead of panicking.

use chrono::{Datelike, Months, NaiveDate};

/// To the end of which period a running contract can be terminated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NoticeTo {
    /// Any day.
    #[default]
    None,
    Month,
    Quarter,
    Year,
}

/// The terms the derived dates depend on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Terms {
    pub start: NaiveDate,
    /// `None`: running until terminated.
    pub end: Option<NaiveDate>,
    /// No termination takes effect before this day.
    pub irrevocable_until: Option<NaiveDate>,
    /// Length of each extension option, in months.
    pub option_months: u32,
    /// How many options the contract has.
    pub options_total: u32,
    /// How many of them have been exercised.
    pub options_exercised: u32,
    pub notice_period_months: u32,
    pub notice_to: NoticeTo,
    /// Set once the contract has been terminated (or ended early).
    pub terminated_on: Option<NaiveDate>,
    /// How long before the deadline work on the next tender starts.
    pub retender_lead_months: u32,
}

impl Terms {
    /// Terms of a contract starting on `start` with the defaults: running
    /// until terminated, no options, no notice period, 12 months' lead time.
    pub fn starting(start: NaiveDate) -> Self {
        Self {
            start,
            end: None,
            irrevocable_until: None,
            option_months: 0,
            options_total: 0,
            options_exercised: 0,
            notice_period_months: 0,
            notice_to: NoticeTo::None,
            terminated_on: None,
            retender_lead_months: 12,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Derived {
    /// The last day notice can be given for the contract to end at the
    /// earliest possible end; `None` once terminated.
    pub notice_deadline: Option<NaiveDate>,
    /// The end with the options exercised so far (or the termination day).
    pub effective_end: Option<NaiveDate>,
    /// The end if every option is exercised.
    pub latest_end: Option<NaiveDate>,
    /// The day work on the next tender must begin.
    pub retender_start: Option<NaiveDate>,
}

/// `date` plus `months`, clamped to the last day of the resulting month.
pub fn add_months(date: NaiveDate, months: u32) -> NaiveDate {
    date.checked_add_months(Months::new(months))
        .unwrap_or(NaiveDate::MAX)
}

/// `date` minus `months`, clamped to the last day of the resulting month.
pub fn sub_months(date: NaiveDate, months: u32) -> NaiveDate {
    date.checked_sub_months(Months::new(months))
        .unwrap_or(NaiveDate::MIN)
}

fn last_day_of_month(year: i32, month: u32) -> Option<NaiveDate> {
    let (next_year, next_month) = if month == 12 {
        (year.checked_add(1)?, 1)
    } else {
        (year, month + 1)
    };
    match NaiveDate::from_ymd_opt(next_year, next_month, 1) {
        Some(first_of_next) => first_of_next.pred_opt(),
        // Only December of chrono's last year has no next month.
        None => NaiveDate::from_ymd_opt(year, month, 31),
    }
}

fn is_month_end(date: NaiveDate) -> bool {
    last_day_of_month(date.year(), date.month()) == Some(date)
}

/// `end` minus the notice period. An end on a month's last day counts back
/// to a month's last day: one month's notice to the end of February is given
/// by 31 January, not 28 January.
fn notice_before(end: NaiveDate, months: u32) -> NaiveDate {
    let back = sub_months(end, months);
    if is_month_end(end) {
        last_day_of_month(back.year(), back.month()).unwrap_or(back)
    } else {
        back
    }
}

/// The last day of the `notice_to` period that contains `date`.
fn end_of_period(date: NaiveDate, notice_to: NoticeTo) -> NaiveDate {
    let last_day_of = |year: i32, month: u32| last_day_of_month(year, month).unwrap_or(date);
    match notice_to {
        NoticeTo::None => date,
        NoticeTo::Month => last_day_of(date.year(), date.month()),
        NoticeTo::Quarter => last_day_of(date.year(), (date.month() - 1) / 3 * 3 + 3),
        NoticeTo::Year => last_day_of(date.year(), 12),
    }
}

/// The earliest day a contract can end when notice is given on `given_on`:
/// the end of the first period (month, quarter, year, or any day, per
/// "notice to the end of") that is at least the notice period after
/// `given_on` and not before the irrevocable period ends.
fn earliest_end(terms: &Terms, given_on: NaiveDate) -> NaiveDate {
    let mut earliest = add_months(given_on, terms.notice_period_months);
    if let Some(irrevocable) = terms.irrevocable_until {
        earliest = earliest.max(irrevocable);
    }
    end_of_period(earliest, terms.notice_to)
}

/// What notice given on a day leads to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Termination {
    /// The day the contract ends.
    pub ends_on: NaiveDate,
    /// The notice deadline as it stood on `today`.
    pub notice_deadline: Option<NaiveDate>,
    /// Notice given after that deadline: the contract ends later than it
    /// would have with notice in time.
    pub late: bool,
}

/// The day a contract with `terms` ends when notice is given on `given_on`,
/// judged against its notice deadline as of `today`. A running contract
/// ends at the earliest end the notice allows (see [`derive`]); a
/// fixed-term one at its current end, or later when the notice period
/// reaches past it (notice given after the deadline).
pub fn termination(terms: &Terms, given_on: NaiveDate, today: NaiveDate) -> Termination {
    let current = derive(terms, today);
    let earliest = earliest_end(terms, given_on);
    let ends_on = match current.effective_end {
        Some(end) => end.max(earliest),
        None => earliest,
    };
    Termination {
        ends_on,
        notice_deadline: current.notice_deadline,
        late: current.notice_deadline.is_some_and(|d| given_on > d),
    }
}

/// The derived dates of a contract with `terms`, as of `today`.
pub fn derive(terms: &Terms, today: NaiveDate) -> Derived {
    let exercised = terms.options_exercised.min(terms.options_total);
    let extended = |options: u32| {
        terms
            .end
            .map(|end| add_months(end, terms.option_months.saturating_mul(options)))
    };
    let latest_end = extended(terms.options_total);

    if let Some(terminated_on) = terms.terminated_on {
        return Derived {
            notice_deadline: None,
            effective_end: Some(terminated_on),
            latest_end,
            retender_start: None,
        };
    }

    let effective_end = extended(exercised);
    let notice_deadline = match effective_end {
        // Fixed term: notice (or the decision not to extend) by the end minus the notice period.
        Some(end) => notice_before(end, terms.notice_period_months),
        // Running: the earliest possible end at least the notice period from
        // today and not before the irrevocable period ends, minus the notice.
        None => notice_before(earliest_end(terms, today), terms.notice_period_months),
    };
    Derived {
        notice_deadline: Some(notice_deadline),
        effective_end,
        latest_end,
        retender_start: Some(sub_months(notice_deadline, terms.retender_lead_months)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }

    #[test]
    fn month_arithmetic_clamps_to_the_month_end() {
        assert_eq!(add_months(d(2027, 1, 31), 1), d(2027, 2, 28));
        assert_eq!(add_months(d(2028, 1, 31), 1), d(2028, 2, 29), "leap year");
        assert_eq!(sub_months(d(2027, 3, 31), 1), d(2027, 2, 28));
        assert_eq!(sub_months(d(2028, 5, 31), 3), d(2028, 2, 29));
        assert_eq!(add_months(d(2027, 8, 31), 6), d(2028, 2, 29));
    }

    #[test]
    fn periods_end_on_their_last_day() {
        assert_eq!(
            end_of_period(d(2027, 2, 10), NoticeTo::Month),
            d(2027, 2, 28)
        );
        assert_eq!(
            end_of_period(d(2028, 2, 10), NoticeTo::Month),
            d(2028, 2, 29)
        );
        assert_eq!(
            end_of_period(d(2027, 5, 1), NoticeTo::Quarter),
            d(2027, 6, 30)
        );
        assert_eq!(
            end_of_period(d(2027, 12, 31), NoticeTo::Quarter),
            d(2027, 12, 31)
        );
        assert_eq!(
            end_of_period(d(2027, 1, 1), NoticeTo::Year),
            d(2027, 12, 31)
        );
        assert_eq!(end_of_period(d(2027, 1, 1), NoticeTo::None), d(2027, 1, 1));
    }

    #[test]
    fn fixed_term_contracts_count_back_from_the_current_end() {
        let terms = Terms {
            end: Some(d(2028, 3, 31)),
            notice_period_months: 6,
            option_months: 12,
            options_total: 2,
            options_exercised: 1,
            ..Terms::starting(d(2024, 4, 1))
        };
        let derived = derive(&terms, d(2026, 11, 22));
        assert_eq!(derived.effective_end, Some(d(2029, 3, 31)));
        assert_eq!(derived.latest_end, Some(d(2030, 3, 31)));
        assert_eq!(derived.notice_deadline, Some(d(2028, 9, 30)));
        assert_eq!(derived.retender_start, Some(d(2027, 9, 30)));
    }

    #[test]
    fn options_exercised_beyond_the_total_count_as_the_total() {
        let terms = Terms {
            end: Some(d(2027, 12, 31)),
            option_months: 12,
            options_total: 1,
            options_exercised: 3,
            ..Terms::starting(d(2024, 1, 1))
        };
        let derived = derive(&terms, d(2026, 1, 1));
        assert_eq!(derived.effective_end, derived.latest_end);
        assert_eq!(derived.effective_end, Some(d(2028, 12, 31)));
    }

    #[test]
    fn running_contracts_end_at_the_earliest_period_end_after_the_notice() {
        // Three months' notice to the end of a quarter, asked on 22 November 2026:
        // the end must be on or after 22 February 2027, so 31 March 2027.
        let terms = Terms {
            notice_period_months: 3,
            notice_to: NoticeTo::Quarter,
            retender_lead_months: 12,
            ..Terms::starting(d(2020, 1, 1))
        };
        let derived = derive(&terms, d(2026, 11, 22));
        assert_eq!(derived.notice_deadline, Some(d(2026, 12, 31)));
        assert_eq!(derived.retender_start, Some(d(2025, 12, 31)));
        assert_eq!(derived.effective_end, None);
        assert_eq!(derived.latest_end, None);

        // Six months to the end of a calendar year.
        let terms = Terms {
            notice_period_months: 6,
            notice_to: NoticeTo::Year,
            ..Terms::starting(d(2020, 1, 1))
        };
        assert_eq!(
            derive(&terms, d(2026, 6, 30)).notice_deadline,
            Some(d(2026, 6, 30))
        );
        assert_eq!(
            derive(&terms, d(2026, 7, 1)).notice_deadline,
            Some(d(2027, 6, 30))
        );

        // One month to the end of a month, at a leap-year month end.
        let terms = Terms {
            notice_period_months: 1,
            notice_to: NoticeTo::Month,
            ..Terms::starting(d(2020, 1, 1))
        };
        assert_eq!(
            derive(&terms, d(2028, 1, 31)).notice_deadline,
            Some(d(2028, 1, 31))
        );
    }

    #[test]
    fn the_irrevocable_period_postpones_the_earliest_end() {
        let terms = Terms {
            notice_period_months: 3,
            notice_to: NoticeTo::Month,
            irrevocable_until: Some(d(2029, 6, 15)),
            ..Terms::starting(d(2026, 1, 1))
        };
        let derived = derive(&terms, d(2026, 11, 22));
        // The earliest end is 30 June 2029; notice by the end of March.
        assert_eq!(derived.notice_deadline, Some(d(2029, 3, 31)));
    }

    #[test]
    fn notice_counted_back_from_a_month_end_lands_on_a_month_end() {
        assert_eq!(notice_before(d(2027, 2, 28), 1), d(2027, 1, 31));
        assert_eq!(notice_before(d(2028, 2, 29), 12), d(2027, 2, 28));
        assert_eq!(notice_before(d(2027, 6, 30), 3), d(2027, 3, 31));
        assert_eq!(notice_before(d(2027, 6, 15), 3), d(2027, 3, 15));
        assert_eq!(notice_before(d(2027, 3, 31), 1), d(2027, 2, 28));
    }

    #[test]
    fn arithmetic_at_the_calendar_limits_saturates() {
        let terms = Terms {
            end: Some(NaiveDate::MAX),
            option_months: 240,
            options_total: 20,
            options_exercised: 20,
            notice_period_months: 120,
            retender_lead_months: 120,
            ..Terms::starting(NaiveDate::MAX)
        };
        let derived = derive(&terms, NaiveDate::MAX);
        assert_eq!(derived.latest_end, Some(NaiveDate::MAX));
        let running = Terms {
            notice_period_months: 120,
            notice_to: NoticeTo::Year,
            irrevocable_until: Some(NaiveDate::MAX),
            ..Terms::starting(NaiveDate::MIN)
        };
        assert!(derive(&running, NaiveDate::MAX).notice_deadline.is_some());
        let early = Terms {
            end: Some(NaiveDate::MIN),
            notice_period_months: 120,
            retender_lead_months: 120,
            ..Terms::starting(NaiveDate::MIN)
        };
        assert_eq!(
            derive(&early, NaiveDate::MIN).retender_start,
            Some(NaiveDate::MIN)
        );
        for notice_to in [
            NoticeTo::None,
            NoticeTo::Month,
            NoticeTo::Quarter,
            NoticeTo::Year,
        ] {
            end_of_period(NaiveDate::MAX, notice_to);
            end_of_period(NaiveDate::MIN, notice_to);
        }
    }

    #[test]
    fn notice_in_time_ends_a_fixed_term_contract_at_its_end() {
        let terms = Terms {
            end: Some(d(2027, 12, 31)),
            notice_period_months: 6,
            option_months: 12,
            options_total: 2,
            ..Terms::starting(d(2024, 1, 1))
        };
        let today = d(2027, 2, 1);
        assert_eq!(derive(&terms, today).notice_deadline, Some(d(2027, 6, 30)));
        for given in [d(2027, 2, 3), d(2027, 6, 30)] {
            let t = termination(&terms, given, today);
            assert_eq!(t.ends_on, d(2027, 12, 31), "notice on {given}");
            assert!(!t.late);
            assert_eq!(t.notice_deadline, Some(d(2027, 6, 30)));
        }
    }

    #[test]
    fn notice_after_the_deadline_counts_from_the_day_it_was_given() {
        let terms = Terms {
            end: Some(d(2027, 12, 31)),
            notice_period_months: 6,
            ..Terms::starting(d(2024, 1, 1))
        };
        let t = termination(&terms, d(2027, 7, 15), d(2027, 7, 20));
        assert!(t.late);
        assert_eq!(t.ends_on, d(2028, 1, 15), "any day: six months later");

        let to_month = Terms {
            notice_to: NoticeTo::Month,
            ..terms.clone()
        };
        assert_eq!(
            termination(&to_month, d(2027, 7, 15), d(2027, 7, 20)).ends_on,
            d(2028, 1, 31)
        );
        let to_quarter = Terms {
            notice_to: NoticeTo::Quarter,
            ..terms.clone()
        };
        assert_eq!(
            termination(&to_quarter, d(2027, 7, 15), d(2027, 7, 20)).ends_on,
            d(2028, 3, 31)
        );
        let to_year = Terms {
            notice_to: NoticeTo::Year,
            ..terms
        };
        let t = termination(&to_year, d(2027, 7, 1), d(2027, 7, 1));
        assert!(t.late);
        assert_eq!(t.ends_on, d(2028, 12, 31));
    }

    #[test]
    fn notice_on_a_running_contract_ends_it_at_the_next_period_end() {
        // Three months to the end of a quarter.
        let terms = Terms {
            notice_period_months: 3,
            notice_to: NoticeTo::Quarter,
            ..Terms::starting(d(2020, 1, 1))
        };
        let today = d(2027, 2, 3);
        let deadline = derive(&terms, today).notice_deadline;
        assert_eq!(deadline, Some(d(2027, 3, 31)));
        let t = termination(&terms, d(2027, 2, 3), today);
        assert_eq!(t.ends_on, d(2027, 6, 30));
        assert!(!t.late);
        // Notice on the deadline itself still reaches that quarter's end.
        assert_eq!(
            termination(&terms, d(2027, 3, 31), today).ends_on,
            d(2027, 6, 30)
        );
        // A day later it reaches the next one.
        let t = termination(&terms, d(2027, 4, 1), today);
        assert_eq!(t.ends_on, d(2027, 9, 30));
        assert!(t.late);

        // One month to the end of a month; a year to the end of a year.
        let monthly = Terms {
            notice_period_months: 1,
            notice_to: NoticeTo::Month,
            ..Terms::starting(d(2020, 1, 1))
        };
        assert_eq!(
            termination(&monthly, d(2027, 1, 31), d(2027, 1, 31)).ends_on,
            d(2027, 2, 28)
        );
        assert_eq!(
            termination(&monthly, d(2027, 2, 1), d(2027, 2, 1)).ends_on,
            d(2027, 3, 31)
        );
        let yearly = Terms {
            notice_period_months: 12,
            notice_to: NoticeTo::Year,
            ..Terms::starting(d(2020, 1, 1))
        };
        assert_eq!(
            termination(&yearly, d(2027, 1, 1), d(2027, 1, 1)).ends_on,
            d(2028, 12, 31)
        );
    }

    #[test]
    fn notice_cannot_end_a_contract_inside_its_irrevocable_period() {
        let terms = Terms {
            notice_period_months: 3,
            notice_to: NoticeTo::Month,
            irrevocable_until: Some(d(2029, 6, 15)),
            ..Terms::starting(d(2026, 1, 1))
        };
        let t = termination(&terms, d(2027, 1, 10), d(2027, 1, 10));
        assert_eq!(t.ends_on, d(2029, 6, 30));
        assert!(!t.late);
    }

    #[test]
    fn terminated_contracts_have_no_deadlines() {
        let terms = Terms {
            end: Some(d(2028, 12, 31)),
            terminated_on: Some(d(2027, 6, 30)),
            notice_period_months: 6,
            ..Terms::starting(d(2024, 1, 1))
        };
        let derived = derive(&terms, d(2026, 11, 22));
        assert_eq!(derived.effective_end, Some(d(2027, 6, 30)));
        assert_eq!(derived.notice_deadline, None);
        assert_eq!(derived.retender_start, None);
    }
}
