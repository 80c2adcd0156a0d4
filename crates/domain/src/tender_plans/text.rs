//! Danish formatting of amounts and dates for the texts users read.

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

const MONTHS: [&str; 12] = [
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
];

/// `1.611.360 kr.`, or `1.234,50 kr.` when there are øre.
pub fn kroner(amount: Decimal) -> String {
    format!("{} kr.", number(amount))
}

/// A number the Danish way: `.` between thousands, `,` before decimals,
/// at most two decimals, none when they are zero.
pub fn number(amount: Decimal) -> String {
    let rounded = amount.round_dp(2);
    let negative = rounded.is_sign_negative() && !rounded.is_zero();
    let plain = rounded.abs().to_string();
    let (whole, fraction) = match plain.split_once('.') {
        Some((w, f)) => (w.to_string(), f.trim_end_matches('0').to_string()),
        None => (plain, String::new()),
    };
    let mut grouped = String::new();
    for (i, ch) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push('.');
        }
        grouped.push(ch);
    }
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    out.push_str(&grouped);
    if !fraction.is_empty() {
        out.push(',');
        out.push_str(&fraction);
        if fraction.len() == 1 {
            out.push('0');
        }
    }
    out
}

/// A number the Danish way with every decimal it has (an exchange rate).
pub fn number_exact(value: Decimal) -> String {
    let plain = value.normalize().to_string();
    match plain.split_once('.') {
        Some((whole, fraction)) => {
            format!("{},{fraction}", number(whole.parse().unwrap_or_default()))
        }
        None => number(value),
    }
}

/// `5. juni 2027`.
pub fn date(day: NaiveDate) -> String {
    let month = MONTHS
        .get(day.month0() as usize)
        .copied()
        .unwrap_or_default();
    format!("{}. {} {}", day.day(), month, day.year())
}

/// `1 dag` / `12 dage`.
pub fn days(count: i64) -> String {
    if count.abs() == 1 {
        format!("{count} dag")
    } else {
        format!("{count} dage")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn danish_numbers_and_dates() {
        let n = |s: &str| Decimal::from_str(s).unwrap();
        assert_eq!(kroner(n("1611360")), "1.611.360 kr.");
        assert_eq!(kroner(n("1234.5")), "1.234,50 kr.");
        assert_eq!(kroner(n("999.999")), "1.000 kr.");
        assert_eq!(kroner(n("-250000.00")), "-250.000 kr.");
        assert_eq!(kroner(n("0")), "0 kr.");
        assert_eq!(number(n("100")), "100");
        assert_eq!(number_exact(n("7.46040")), "7,4604");
        assert_eq!(number_exact(n("1000")), "1.000");
        assert_eq!(
            date(NaiveDate::from_ymd_opt(2027, 6, 5).unwrap()),
            "5. juni 2027"
        );
        assert_eq!(days(1), "1 dag");
        assert_eq!(days(-3), "-3 dage");
    }
}
