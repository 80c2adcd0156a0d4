//! The calendar the register runs on: Danish local time (Europe/Copenhagen).
//! A day starts at local midnight, so at 23:30 UTC in winter (00:30 in
//! Copenhagen) it is already the next day. Every "today" in the domain comes
//! from here.

use chrono::{DateTime, Days, NaiveDate, TimeZone, Utc};
use chrono_tz::Europe::Copenhagen;

/// The Danish local date at `now`.
pub fn local_date(now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&Copenhagen).date_naive()
}

/// The Danish local date now.
pub fn today() -> NaiveDate {
    local_date(Utc::now())
}

/// The instant the Danish local day after the one at `now` starts.
pub fn next_local_midnight(now: DateTime<Utc>) -> DateTime<Utc> {
    let tomorrow = local_date(now)
        .checked_add_days(Days::new(1))
        .unwrap_or(NaiveDate::MAX);
    let midnight = tomorrow.and_hms_opt(0, 0, 0).unwrap_or_default();
    // Midnight exists on every Danish day (the clocks change at 02:00 and
    // 03:00), so the earliest reading is the only one.
    Copenhagen
        .from_local_datetime(&midnight)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or(now + chrono::Duration::days(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0)
            .single()
            .expect("valid test time")
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }

    #[test]
    fn copenhagen_is_a_day_ahead_at_half_past_eleven_utc() {
        assert_eq!(local_date(utc(2026, 12, 1, 23, 30)), d(2026, 12, 2));
        assert_eq!(local_date(utc(2026, 12, 1, 22, 59)), d(2026, 12, 1));
        // Summer time: midnight is 22:00 UTC.
        assert_eq!(local_date(utc(2026, 7, 1, 23, 30)), d(2026, 7, 2));
        assert_eq!(local_date(utc(2026, 7, 1, 21, 59)), d(2026, 7, 1));
    }

    #[test]
    fn the_next_local_midnight_is_in_utc() {
        assert_eq!(
            next_local_midnight(utc(2026, 12, 1, 12, 0)),
            utc(2026, 12, 1, 23, 0)
        );
        assert_eq!(
            next_local_midnight(utc(2026, 12, 1, 23, 30)),
            utc(2026, 12, 2, 23, 0)
        );
        assert_eq!(
            next_local_midnight(utc(2026, 7, 1, 12, 0)),
            utc(2026, 7, 1, 22, 0)
        );
        // The night the clocks go back (25 October 2026).
        assert_eq!(
            next_local_midnight(utc(2026, 10, 25, 12, 0)),
            utc(2026, 10, 25, 23, 0)
        );
    }
}
