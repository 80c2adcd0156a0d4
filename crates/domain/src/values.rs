//! Validated values. Each parses or fails once, at the edge; code behind them
//! trusts them.

use std::fmt;

use chrono::{DateTime, Datelike, NaiveDate, Utc};

use crate::error::FieldError;

/// A Danish company number (CVR-nummer): eight digits, the first not zero,
/// passing the modulus-11 check with weights 2, 7, 6, 5, 4, 3, 2, 1.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Cvr(String);

impl Cvr {
    pub fn parse(field: &str, input: &str) -> Result<Self, FieldError> {
        let digits: String = input.chars().filter(|c| !c.is_whitespace()).collect();
        if digits.len() != 8 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(FieldError::new(
                field,
                "invalid",
                "a CVR number is eight digits",
            ));
        }
        if digits.starts_with('0') {
            return Err(FieldError::new(
                field,
                "invalid",
                "a CVR number does not start with 0",
            ));
        }
        const WEIGHTS: [u32; 8] = [2, 7, 6, 5, 4, 3, 2, 1];
        let sum: u32 = digits
            .bytes()
            .zip(WEIGHTS)
            .map(|(b, w)| u32::from(b - b'0') * w)
            .sum();
        if !sum.is_multiple_of(11) {
            return Err(FieldError::new(
                field,
                "checksum",
                "not a valid CVR number (the modulus-11 check fails)",
            ));
        }
        Ok(Self(digits))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A municipality code (kommunekode): three digits, 101–860, as assigned by
/// the Danish authorities (e.g. 340 Sorø, 329 Ringsted).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MunicipalityCode(u16);

impl MunicipalityCode {
    pub fn parse(field: &str, input: &str) -> Result<Self, FieldError> {
        let trimmed = input.trim();
        if trimmed.len() != 3 || !trimmed.bytes().all(|b| b.is_ascii_digit()) {
            return Err(FieldError::new(
                field,
                "invalid",
                "a municipality code is three digits",
            ));
        }
        let code: u16 = trimmed.parse().map_err(|_| {
            FieldError::new(field, "invalid", "a municipality code is three digits")
        })?;
        if !(101..=860).contains(&code) {
            return Err(FieldError::new(
                field,
                "out_of_range",
                "municipality codes run from 101 to 860",
            ));
        }
        Ok(Self(code))
    }
}

impl fmt::Display for MunicipalityCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:03}", self.0)
    }
}

/// An e-mail address, trimmed and lower-cased so that it is unique however
/// it is typed.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    pub fn parse(field: &str, input: &str) -> Result<Self, FieldError> {
        check_chars(field, input, Lines::Single)?;
        let normalized = input.trim().to_lowercase();
        if normalized.is_empty() {
            return Err(FieldError::new(
                field,
                "required",
                "an e-mail address is required",
            ));
        }
        if normalized.len() > 254 || !email_address::EmailAddress::is_valid(&normalized) {
            return Err(FieldError::new(
                field,
                "invalid",
                "not a valid e-mail address",
            ));
        }
        Ok(Self(normalized))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Whether a text may span lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lines {
    /// Names, titles, codes, parameters: no line breaks or tabs.
    Single,
    /// Free text such as descriptions and notes: line breaks and tabs allowed.
    Multi,
}

/// The one rule for every text that enters the service (JSON fields, query
/// and path parameters, headers, file names): no NUL or other control
/// characters (PostgreSQL cannot store NUL, and none of them belongs in text
/// a person typed), line breaks and tabs only in multi-line text, and none of
/// the invisible bidirectional controls (U+202A–U+202E, U+2066–U+2069) that
/// make a text display as something else than it is ("invoice" + U+202E + "fdp.exe" shows as "invoiceexe.pdf").
pub fn check_chars(field: &str, input: &str, lines: Lines) -> Result<(), FieldError> {
    for c in input.chars() {
        let line_break = matches!(c, '\n' | '\r' | '\t' | '\u{2028}' | '\u{2029}');
        if line_break && lines == Lines::Multi {
            continue;
        }
        if line_break {
            return Err(FieldError::new(
                field,
                "invalid_character",
                "must be a single line: no line breaks or tabs",
            ));
        }
        if c.is_control() {
            return Err(FieldError::new(
                field,
                "invalid_character",
                format!(
                    "must not contain control characters (found U+{:04X})",
                    u32::from(c)
                ),
            ));
        }
        if matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}') {
            return Err(FieldError::new(
                field,
                "invalid_character",
                format!(
                    "must not contain bidirectional control characters (found U+{:04X})",
                    u32::from(c)
                ),
            ));
        }
    }
    Ok(())
}

fn bounded_text(
    field: &str,
    input: &str,
    max: usize,
    lines: Lines,
) -> Result<Option<String>, FieldError> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Ok(None);
    }
    check_chars(field, trimmed, lines)?;
    if trimmed.chars().count() > max {
        return Err(FieldError::new(
            field,
            "too_long",
            format!("at most {max} characters"),
        ));
    }
    Ok(Some(trimmed.to_owned()))
}

/// A non-empty, trimmed, single-line text of at most `max` characters.
pub fn required_text(field: &str, input: &str, max: usize) -> Result<String, FieldError> {
    bounded_text(field, input, max, Lines::Single)?
        .ok_or_else(|| FieldError::new(field, "required", "must not be empty"))
}

/// An optional single-line text: trimmed, empty becomes `None`, at most
/// `max` characters.
pub fn optional_text(
    field: &str,
    input: Option<&str>,
    max: usize,
) -> Result<Option<String>, FieldError> {
    input.map_or(Ok(None), |text| {
        bounded_text(field, text, max, Lines::Single)
    })
}

/// An optional free text that may span lines (a description, notes):
/// trimmed, empty becomes `None`, at most `max` characters.
pub fn optional_multiline_text(
    field: &str,
    input: Option<&str>,
    max: usize,
) -> Result<Option<String>, FieldError> {
    input.map_or(Ok(None), |text| {
        bounded_text(field, text, max, Lines::Multi)
    })
}

/// The most words a search takes, and the longest word: enough for any real
/// search, and a bound on the query the database is asked to run.
pub const MAX_SEARCH_WORDS: usize = 10;
pub const MAX_SEARCH_WORD_CHARS: usize = 100;

/// The words of a search parameter, lower-cased (in Rust, since SQLite folds
/// only ASCII); an empty search is no search.
pub fn search_words(field: &str, input: Option<&str>) -> Result<Vec<String>, FieldError> {
    let Some(input) = input else {
        return Ok(Vec::new());
    };
    check_chars(field, input, Lines::Single)?;
    let words: Vec<String> = input
        .to_lowercase()
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    if words.len() > MAX_SEARCH_WORDS {
        return Err(FieldError::new(
            field,
            "too_many_words",
            format!("search for at most {MAX_SEARCH_WORDS} words"),
        ));
    }
    if words
        .iter()
        .any(|w| w.chars().count() > MAX_SEARCH_WORD_CHARS)
    {
        return Err(FieldError::new(
            field,
            "too_long",
            format!("search words are at most {MAX_SEARCH_WORD_CHARS} characters"),
        ));
    }
    Ok(words)
}

/// A search parameter matched as one phrase: its words, validated as
/// [`search_words`], lower-cased and joined by single spaces; `None` when empty.
pub fn search_phrase(field: &str, input: Option<&str>) -> Result<Option<String>, FieldError> {
    let words = search_words(field, input)?;
    Ok((!words.is_empty()).then(|| words.join(" ")))
}

/// The calendar dates the register accepts. Contracts run for decades, not
/// millennia; the bound keeps date arithmetic and the databases' date types
/// far from their limits.
pub const FIRST_YEAR: i32 = 1900;
pub const LAST_YEAR: i32 = 2200;

/// A date within [`FIRST_YEAR`]–[`LAST_YEAR`].
pub fn bounded_date(field: &str, date: NaiveDate) -> Result<NaiveDate, FieldError> {
    if (FIRST_YEAR..=LAST_YEAR).contains(&date.year()) {
        Ok(date)
    } else {
        Err(FieldError::new(
            field,
            "out_of_range",
            format!("a date in the years {FIRST_YEAR} to {LAST_YEAR}"),
        ))
    }
}

/// A point in time within [`FIRST_YEAR`]–[`LAST_YEAR`].
pub fn bounded_time(field: &str, time: DateTime<Utc>) -> Result<DateTime<Utc>, FieldError> {
    bounded_date(field, time.date_naive()).map(|_| time)
}

/// A new password: 12 to 256 characters, not the e-mail address itself.
/// Length is what protects (NIST SP 800-63B); composition rules do not.
pub fn new_password(field: &str, input: &str, email: Option<&Email>) -> Result<String, FieldError> {
    let length = input.chars().count();
    if length < 12 {
        return Err(FieldError::new(
            field,
            "too_short",
            "at least 12 characters",
        ));
    }
    if length > 256 {
        return Err(FieldError::new(field, "too_long", "at most 256 characters"));
    }
    if email.is_some_and(|email| input.trim().eq_ignore_ascii_case(email.as_str())) {
        return Err(FieldError::new(
            field,
            "invalid",
            "must not be the e-mail address",
        ));
    }
    Ok(input.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cvr_accepts_valid_numbers_and_explains_invalid_ones() {
        // Sorø and Ringsted municipalities.
        assert_eq!(
            Cvr::parse("cvr", "29188955").map(|c| c.0),
            Ok("29188955".into())
        );
        assert_eq!(
            Cvr::parse("cvr", "1895 7981").map(|c| c.0),
            Ok("18957981".into())
        );
        assert_eq!(
            Cvr::parse("cvr", "29188956").map_err(|e| e.code),
            Err("checksum")
        );
        assert_eq!(
            Cvr::parse("cvr", "2918895").map_err(|e| e.code),
            Err("invalid")
        );
        assert_eq!(
            Cvr::parse("cvr", "2918895a").map_err(|e| e.code),
            Err("invalid")
        );
        assert_eq!(Cvr::parse("cvr", "").map_err(|e| e.code), Err("invalid"));
        assert_eq!(
            Cvr::parse("cvr", "01234567").map_err(|e| e.code),
            Err("invalid")
        );
    }

    #[test]
    fn municipality_codes_are_three_digits_in_range() {
        assert_eq!(
            MunicipalityCode::parse("c", "340").map(|c| c.to_string()),
            Ok("340".into())
        );
        assert_eq!(
            MunicipalityCode::parse("c", "101").map(|c| c.to_string()),
            Ok("101".into())
        );
        assert!(MunicipalityCode::parse("c", "34").is_err());
        assert!(MunicipalityCode::parse("c", "3400").is_err());
        assert!(MunicipalityCode::parse("c", "999").is_err());
        assert!(MunicipalityCode::parse("c", "099").is_err());
        assert!(MunicipalityCode::parse("c", "-12").is_err());
    }

    #[test]
    fn emails_are_normalized() {
        assert_eq!(
            Email::parse("email", "  Admin@Soroe.DK ").map(|e| e.0),
            Ok("admin@soroe.dk".into())
        );
        assert_eq!(
            Email::parse("email", "").map_err(|e| e.code),
            Err("required")
        );
        assert_eq!(
            Email::parse("email", "no-at-sign").map_err(|e| e.code),
            Err("invalid")
        );
    }

    #[test]
    fn passwords_need_length_and_must_differ_from_the_email() {
        let email = Email::parse("email", "a.person@soroe.dk").ok();
        assert!(new_password("password", "short", None).is_err());
        assert!(new_password("password", "a.person@soroe.dk", email.as_ref()).is_err());
        assert!(new_password("password", "lang nok adgangskode", email.as_ref()).is_ok());
        assert!(new_password("password", &"x".repeat(257), None).is_err());
    }

    #[test]
    fn required_text_trims_and_limits() {
        assert_eq!(required_text("name", "  Sorø  ", 10), Ok("Sorø".into()));
        assert_eq!(
            required_text("name", "   ", 10).map_err(|e| e.code),
            Err("required")
        );
        assert_eq!(
            required_text("name", "æøåæøåæøåæ", 10).map(|s| s.len()),
            Ok(20)
        );
        assert_eq!(
            required_text("name", "æøåæøåæøåæø", 10).map_err(|e| e.code),
            Err("too_long")
        );
    }

    #[test]
    fn text_refuses_control_and_bidirectional_characters() {
        assert_eq!(
            required_text("name", "Sorø\u{0}", 10).map_err(|e| e.code),
            Err("invalid_character")
        );
        assert!(required_text("name", "a\nb", 10).is_err());
        assert!(required_text("name", "a\tb", 10).is_err());
        assert!(optional_text("category", Some("a\u{7f}b"), 10).is_err());
        assert!(optional_text("category", Some("a\u{85}b"), 10).is_err());
        assert!(required_text("name", "faktura\u{202E}fdp.exe", 40).is_err());
        assert!(required_text("name", "a\u{2066}b", 10).is_err());
        assert_eq!(
            optional_multiline_text("notes", Some(" linje 1\r\nlinje\t2 "), 40),
            Ok(Some("linje 1\r\nlinje\t2".into()))
        );
        assert!(optional_multiline_text("notes", Some("a\u{0}"), 40).is_err());
        assert!(optional_multiline_text("notes", Some("a\u{1b}[31m"), 40).is_err());
        // Letters of every script, emoji with joiners, and direction marks stay.
        assert!(required_text("name", "Ærø – ÆØÅ 👩‍💻 \u{200F}עברית", 40).is_ok());
        assert!(Email::parse("email", "a\u{0}@soroe.dk").is_err());
    }

    #[test]
    fn searches_are_capped_in_words_and_length() {
        assert_eq!(
            search_words("q", Some("  Økonomi   SYSTEM ")),
            Ok(vec!["økonomi".to_owned(), "system".to_owned()])
        );
        assert_eq!(search_words("q", None), Ok(vec![]));
        assert_eq!(search_phrase("q", Some("   ")), Ok(None));
        let many = ["ord"; MAX_SEARCH_WORDS + 1].join(" ");
        assert_eq!(
            search_words("q", Some(&many)).map_err(|e| e.code),
            Err("too_many_words")
        );
        assert!(search_words("q", Some(&["ord"; MAX_SEARCH_WORDS].join(" "))).is_ok());
        let long = "x".repeat(MAX_SEARCH_WORD_CHARS + 1);
        assert_eq!(
            search_phrase("q", Some(&long)).map_err(|e| e.code),
            Err("too_long")
        );
        assert!(search_words("q", Some("a\u{0}")).is_err());
    }

    #[test]
    fn dates_are_bounded() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default();
        assert!(bounded_date("start_on", d(1900, 1, 1)).is_ok());
        assert!(bounded_date("start_on", d(2200, 12, 31)).is_ok());
        assert!(bounded_date("start_on", d(1899, 12, 31)).is_err());
        assert!(bounded_date("start_on", d(2201, 1, 1)).is_err());
        assert_eq!(
            bounded_date("start_on", NaiveDate::MAX).map_err(|e| e.field),
            Err("start_on".to_owned())
        );
    }
}
