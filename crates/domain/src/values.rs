//! Validated values. Each parses or fails once, at the edge; code behind them
//! trusts them.

use std::fmt;

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

/// A non-empty, trimmed text of at most `max` characters.
pub fn required_text(field: &str, input: &str, max: usize) -> Result<String, FieldError> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err(FieldError::new(field, "required", "must not be empty"));
    }
    if trimmed.chars().count() > max {
        return Err(FieldError::new(
            field,
            "too_long",
            format!("at most {max} characters"),
        ));
    }
    Ok(trimmed.to_owned())
}

/// An optional text: trimmed, empty becomes `None`, at most `max` characters.
pub fn optional_text(
    field: &str,
    input: Option<&str>,
    max: usize,
) -> Result<Option<String>, FieldError> {
    match input.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(text) if text.chars().count() > max => Err(FieldError::new(
            field,
            "too_long",
            format!("at most {max} characters"),
        )),
        Some(text) => Ok(Some(text.to_owned())),
    }
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
}
