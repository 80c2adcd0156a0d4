//! Danish working days for procurement time limits: the public holidays of
//! a year, the next working day, and a deadline counted from a notice.
//!
//! A time limit is counted in calendar days from the day after the notice
//! is sent; a deadline that falls on a Saturday, Sunday or public holiday
//! moves to the next working day. Christmas Eve (24 December) is not a
//! statutory holiday, but public offices are closed, so it counts as one
//! here, as it does in procurement practice.

use chrono::{Datelike, Days, NaiveDate, Weekday};

/// Easter Sunday of a Gregorian year (the anonymous Gregorian algorithm,
/// also known as Meeus/Jones/Butcher).
pub fn easter_sunday(year: i32) -> NaiveDate {
    let a = year.rem_euclid(19);
    let b = year.div_euclid(100);
    let c = year.rem_euclid(100);
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    // month is 3 or 4 and day 1..=31 by construction.
    NaiveDate::from_ymd_opt(year, month as u32, day as u32).unwrap_or(NaiveDate::MIN)
}

/// The Danish public holidays of `year`, in date order.
pub fn public_holidays(year: i32) -> Vec<NaiveDate> {
    let easter = easter_sunday(year);
    let from_easter = |days: i64| easter.checked_add_signed(chrono::TimeDelta::days(days));
    let fixed = |month: u32, day: u32| NaiveDate::from_ymd_opt(year, month, day);
    let mut offsets = vec![
        -3, // skærtorsdag
        -2, // langfredag
        0,  // påskedag
        1,  // 2. påskedag
        39, // Kristi himmelfartsdag
        49, // pinsedag
        50, // 2. pinsedag
    ];
    if year < 2024 {
        offsets.push(26); // store bededag, abolished from 2024
    }
    let mut days: Vec<NaiveDate> = offsets.into_iter().filter_map(from_easter).collect();
    days.extend(
        [(1, 1), (6, 5), (12, 24), (12, 25), (12, 26)]
            .into_iter()
            .filter_map(|(m, d)| fixed(m, d)),
    );
    days.sort_unstable();
    days
}

/// Whether `date` is a Danish public holiday.
pub fn is_public_holiday(date: NaiveDate) -> bool {
    public_holidays(date.year()).contains(&date)
}

/// Whether `date` is a working day: Monday to Friday and not a holiday.
pub fn is_working_day(date: NaiveDate) -> bool {
    !matches!(date.weekday(), Weekday::Sat | Weekday::Sun) && !is_public_holiday(date)
}

/// `date` itself if it is a working day, otherwise the next working day.
pub fn next_working_day(date: NaiveDate) -> NaiveDate {
    let mut day = date;
    while !is_working_day(day) {
        match day.succ_opt() {
            Some(next) => day = next,
            None => return day,
        }
    }
    day
}

/// `date` itself if it is a working day, otherwise the working day before.
pub fn previous_working_day(date: NaiveDate) -> NaiveDate {
    let mut day = date;
    while !is_working_day(day) {
        match day.pred_opt() {
            Some(prev) => day = prev,
            None => return day,
        }
    }
    day
}

/// The deadline of a time limit of `days` calendar days for a notice sent
/// on `notice_sent`: counted from the day after, so the deadline is
/// `notice_sent + days`, moved to the next working day if it falls on a
/// weekend or holiday. With `days` = 0 there is no time limit and the
/// notice day itself is returned.
pub fn deadline_from_notice(notice_sent: NaiveDate, days: u32) -> NaiveDate {
    if days == 0 {
        return notice_sent;
    }
    let last = notice_sent
        .checked_add_days(Days::new(u64::from(days)))
        .unwrap_or(NaiveDate::MAX);
    next_working_day(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn easter_of_known_years() {
        assert_eq!(easter_sunday(2024), d(2024, 3, 31));
        assert_eq!(easter_sunday(2025), d(2025, 4, 20));
        assert_eq!(easter_sunday(2026), d(2026, 4, 5));
        assert_eq!(easter_sunday(2027), d(2027, 3, 28));
        assert_eq!(easter_sunday(2028), d(2028, 4, 16));
        assert_eq!(easter_sunday(2038), d(2038, 4, 25)); // latest possible
        assert_eq!(easter_sunday(2285), d(2285, 3, 22)); // earliest possible
        assert_eq!(easter_sunday(2000), d(2000, 4, 23));
        // Far outside any plan, still no panic.
        assert!(!public_holidays(-5000).is_empty());
        // Runs off chrono's last day without panicking.
        let _ = next_working_day(NaiveDate::MAX);
        assert_eq!(deadline_from_notice(NaiveDate::MAX, 30), NaiveDate::MAX);
    }

    #[test]
    fn holidays_of_2027() {
        // Easter 28 March 2027: Maundy Thursday 25/3, Good Friday 26/3,
        // Easter Monday 29/3, Ascension (+39) 6/5, Whitsun (+49) 16/5 and 17/5.
        assert_eq!(
            public_holidays(2027),
            vec![
                d(2027, 1, 1),
                d(2027, 3, 25),
                d(2027, 3, 26),
                d(2027, 3, 28),
                d(2027, 3, 29),
                d(2027, 5, 6),
                d(2027, 5, 16),
                d(2027, 5, 17),
                d(2027, 6, 5),
                d(2027, 12, 24),
                d(2027, 12, 25),
                d(2027, 12, 26),
            ]
        );
    }

    #[test]
    fn great_prayer_day_only_before_2024() {
        // 2023: Easter 9 April, store bededag (+26) 5 May.
        assert!(is_public_holiday(d(2023, 5, 5)));
        assert_eq!(public_holidays(2023).len(), 13);
        // 2024: Easter 31 March, +26 would be Friday 26 April: a working day.
        assert!(!is_public_holiday(d(2024, 4, 26)));
        assert!(is_working_day(d(2024, 4, 26)));
        assert_eq!(public_holidays(2024).len(), 12);
    }

    #[test]
    fn next_working_day_skips_weekends_and_holidays() {
        // Thursday 25 March 2027 (Maundy Thursday) → Tuesday 30 March.
        assert_eq!(next_working_day(d(2027, 3, 25)), d(2027, 3, 30));
        // Saturday 5 June 2027 (Constitution Day) → Monday 7 June.
        assert_eq!(next_working_day(d(2027, 6, 5)), d(2027, 6, 7));
        // Thursday 24 December 2026 → Monday 28 December.
        assert_eq!(next_working_day(d(2026, 12, 24)), d(2026, 12, 28));
        // A plain Wednesday stays.
        assert_eq!(next_working_day(d(2026, 12, 2)), d(2026, 12, 2));
        assert_eq!(previous_working_day(d(2027, 3, 29)), d(2027, 3, 24));
    }

    #[test]
    fn deadline_counts_from_the_day_after_the_notice() {
        // Sent Monday 2 March 2026 + 35 days = Monday 6 April 2026, which is
        // Easter Monday 2026 (Easter 5 April) → Tuesday 7 April.
        assert_eq!(deadline_from_notice(d(2026, 3, 2), 35), d(2026, 4, 7));
        // Sent Tuesday 1 September 2026 + 30 = Thursday 1 October: a working day.
        assert_eq!(deadline_from_notice(d(2026, 9, 1), 30), d(2026, 10, 1));
        // Sent Friday 6 November 2026 + 30 = Sunday 6 December → Monday 7 December.
        assert_eq!(deadline_from_notice(d(2026, 11, 6), 30), d(2026, 12, 7));
        // Sent Friday 27 November 2026 + 10 = Monday 7 December.
        assert_eq!(deadline_from_notice(d(2026, 11, 27), 10), d(2026, 12, 7));
        // Sent 14 December 2026 + 10 = Thursday 24 December → Monday 28 December.
        assert_eq!(deadline_from_notice(d(2026, 12, 14), 10), d(2026, 12, 28));
        assert_eq!(deadline_from_notice(d(2026, 12, 14), 0), d(2026, 12, 14));
    }
}
