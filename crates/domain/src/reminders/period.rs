//! When digests are due and which period they cover, in Danish local time
//! (Europe/Copenhagen): a daily digest's period is the local date
//! (`2026-12-01`), a weekly digest's the ISO week (`2026-W49`, weeks start
//! on Monday; the first week of a year is the one with its first Thursday,
//! so 29 December 2025 belongs to `2026-W01`). Pure functions, no database.

use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc, Weekday};
use chrono_tz::Europe::Copenhagen;

/// How often a user gets the digest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Frequency {
    Off,
    Daily,
    Weekly,
}

impl Frequency {
    pub fn as_str(self) -> &'static str {
        match self {
            Frequency::Off => "off",
            Frequency::Daily => "daily",
            Frequency::Weekly => "weekly",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "off" => Some(Frequency::Off),
            "daily" => Some(Frequency::Daily),
            "weekly" => Some(Frequency::Weekly),
            _ => None,
        }
    }
}

/// The local hour from which the day's digests go out, so that they are in
/// the inbox when the working day starts rather than sent at midnight.
pub const SEND_FROM_HOUR: u32 = 6;

pub use crate::clock::local_date;

/// The period key of the digest at `frequency` covering the local date `day`.
pub fn period_key(frequency: Frequency, day: NaiveDate) -> Option<String> {
    match frequency {
        Frequency::Off => None,
        Frequency::Daily => Some(day.format("%Y-%m-%d").to_string()),
        Frequency::Weekly => {
            let week = day.iso_week();
            Some(format!("{}-W{:02}", week.year(), week.week()))
        }
    }
}

/// The period whose digest is due at `now` for a user at `frequency`, if
/// any: daily digests every day, weekly ones on Mondays, from
/// `SEND_FROM_HOUR` local time.
pub fn due_period(frequency: Frequency, now: DateTime<Utc>) -> Option<String> {
    let local = now.with_timezone(&Copenhagen);
    if local.hour() < SEND_FROM_HOUR {
        return None;
    }
    let day = local.date_naive();
    match frequency {
        Frequency::Off => None,
        Frequency::Daily => period_key(frequency, day),
        Frequency::Weekly if day.weekday() == Weekday::Mon => period_key(frequency, day),
        Frequency::Weekly => None,
    }
}

/// The first local date on or after `day` on which a digest at `frequency`
/// goes out (`day` itself when it is one).
pub fn next_send_on(frequency: Frequency, day: NaiveDate) -> Option<NaiveDate> {
    match frequency {
        Frequency::Off => None,
        Frequency::Daily => Some(day),
        Frequency::Weekly => {
            let ahead = (7 - day.weekday().num_days_from_monday()) % 7;
            day.checked_add_days(chrono::Days::new(u64::from(ahead)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("a date")
    }

    fn utc(y: i32, m: u32, day: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, day, h, min, 0)
            .single()
            .expect("a time")
    }

    #[test]
    fn weeks_around_new_year_follow_iso_8601() {
        let weekly = |day| period_key(Frequency::Weekly, day).expect("a key");
        // Monday 29 December 2025 starts week 1 of 2026 (1 January is a Thursday).
        assert_eq!(weekly(d(2025, 12, 28)), "2025-W52");
        assert_eq!(weekly(d(2025, 12, 29)), "2026-W01");
        assert_eq!(weekly(d(2026, 1, 4)), "2026-W01");
        assert_eq!(weekly(d(2026, 1, 5)), "2026-W02");
        // 2026 has 53 weeks: 1 January 2027 is a Friday and belongs to it.
        assert_eq!(weekly(d(2026, 12, 31)), "2026-W53");
        assert_eq!(weekly(d(2027, 1, 3)), "2026-W53");
        assert_eq!(weekly(d(2027, 1, 4)), "2027-W01");
        assert_eq!(weekly(d(2026, 12, 1)), "2026-W49");
        assert_eq!(
            period_key(Frequency::Daily, d(2027, 1, 1)).as_deref(),
            Some("2027-01-01")
        );
        assert_eq!(period_key(Frequency::Off, d(2027, 1, 1)), None);
    }

    #[test]
    fn the_local_day_starts_at_copenhagen_midnight() {
        // 23:30 UTC on 31 December is 00:30 on 1 January in Copenhagen (CET, +1).
        assert_eq!(local_date(utc(2026, 12, 31, 22, 59)), d(2026, 12, 31));
        assert_eq!(local_date(utc(2026, 12, 31, 23, 0)), d(2027, 1, 1));
        // Summer time (CEST, +2): midnight is 22:00 UTC.
        assert_eq!(local_date(utc(2026, 6, 30, 21, 59)), d(2026, 6, 30));
        assert_eq!(local_date(utc(2026, 6, 30, 22, 0)), d(2026, 7, 1));
    }

    #[test]
    fn digests_are_due_from_the_local_morning_weekly_on_mondays() {
        // Monday 4 January 2027, 05:59 and 06:00 local time (UTC+1).
        assert_eq!(due_period(Frequency::Weekly, utc(2027, 1, 4, 4, 59)), None);
        assert_eq!(
            due_period(Frequency::Weekly, utc(2027, 1, 4, 5, 0)).as_deref(),
            Some("2027-W01")
        );
        assert_eq!(
            due_period(Frequency::Daily, utc(2027, 1, 4, 5, 0)).as_deref(),
            Some("2027-01-04")
        );
        // Sunday 3 January 2027, 23:30 UTC is Monday 00:30 local: too early.
        assert_eq!(due_period(Frequency::Weekly, utc(2027, 1, 3, 23, 30)), None);
        // Tuesday: no weekly digest, a daily one.
        assert_eq!(due_period(Frequency::Weekly, utc(2027, 1, 5, 12, 0)), None);
        assert_eq!(
            due_period(Frequency::Daily, utc(2027, 1, 5, 12, 0)).as_deref(),
            Some("2027-01-05")
        );
        assert_eq!(due_period(Frequency::Off, utc(2027, 1, 4, 12, 0)), None);
        // In summer time, 04:00 UTC on Monday 30 March 2026 is 06:00 local.
        assert_eq!(
            due_period(Frequency::Weekly, utc(2026, 3, 30, 4, 0)).as_deref(),
            Some("2026-W14")
        );
    }

    #[test]
    fn the_next_digest_day_is_today_or_the_coming_monday() {
        assert_eq!(
            next_send_on(Frequency::Weekly, d(2026, 12, 1)),
            Some(d(2026, 12, 7))
        );
        assert_eq!(
            next_send_on(Frequency::Weekly, d(2026, 12, 7)),
            Some(d(2026, 12, 7))
        );
        assert_eq!(
            next_send_on(Frequency::Weekly, d(2026, 12, 31)),
            Some(d(2027, 1, 4))
        );
        assert_eq!(
            next_send_on(Frequency::Daily, d(2026, 12, 1)),
            Some(d(2026, 12, 1))
        );
        assert_eq!(next_send_on(Frequency::Off, d(2026, 12, 1)), None);
    }
}
