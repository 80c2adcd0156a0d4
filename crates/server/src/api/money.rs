//! `Dkk`: an amount in Danish kroner as it crosses the API — a decimal
//! string with at most two decimals ("1234567.89"), never a JSON number, so
//! that no client rounds money through floating point.

use std::borrow::Cow;

use poem_openapi::registry::{MetaSchema, MetaSchemaRef};
use poem_openapi::types::{ParseError, ParseFromJSON, ParseResult, ToJSON, Type};
use rust_decimal::Decimal;
use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dkk(pub Decimal);

impl Type for Dkk {
    const IS_REQUIRED: bool = true;
    type RawValueType = Self;
    type RawElementValueType = Self;

    fn name() -> Cow<'static, str> {
        "Dkk".into()
    }

    fn schema_ref() -> MetaSchemaRef {
        let mut schema = MetaSchema::new_with_format("string", "decimal");
        schema.pattern = Some(r"^\d{1,14}(\.\d{1,2})?$".into());
        schema.description = Some(
            "An amount in DKK excluding VAT, as a decimal string with at most two decimals, e.g. \"1234567.89\".",
        );
        schema.example = Some(Value::String("1234567.89".into()));
        MetaSchemaRef::Inline(Box::new(schema))
    }

    fn as_raw_value(&self) -> Option<&Self::RawValueType> {
        Some(self)
    }

    fn raw_element_iter<'a>(
        &'a self,
    ) -> Box<dyn Iterator<Item = &'a Self::RawElementValueType> + 'a> {
        Box::new(self.as_raw_value().into_iter())
    }
}

/// Parses "1234", "1234.5" or "1234.56"; no sign, no exponent, no grouping.
pub fn parse_dkk(text: &str) -> Option<Decimal> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty()
        || whole.len() > 14
        || !digits(whole)
        || fraction.len() > 2
        || !digits(fraction)
        || text.ends_with('.')
    {
        return None;
    }
    text.parse().ok()
}

impl ParseFromJSON for Dkk {
    fn parse_from_json(value: Option<Value>) -> ParseResult<Self> {
        match value {
            Some(Value::String(text)) => parse_dkk(text.trim()).map(Dkk).ok_or_else(|| {
                ParseError::custom(format!("\"{text}\" is not an amount like \"1234567.89\""))
            }),
            Some(Value::Number(_)) => Err(ParseError::custom(
                "amounts are decimal strings such as \"1234567.89\", not JSON numbers",
            )),
            other => Err(ParseError::expected_type(other.unwrap_or_default())),
        }
    }
}

impl Dkk {
    /// The amount as the API writes it.
    fn text(&self) -> String {
        format!("{:.2}", self.0.round_dp(2))
    }
}

impl ToJSON for Dkk {
    fn to_json(&self) -> Option<Value> {
        Some(Value::String(self.text()))
    }
}

/// The same string as `ToJSON`, for bodies written with serde (`serialized`).
impl serde::Serialize for Dkk {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text())
    }
}

/// An amount in euro, as `Dkk` is one in kroner: a decimal string with at
/// most two decimals. EU thresholds are set in euro.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Eur(pub Decimal);

impl Type for Eur {
    const IS_REQUIRED: bool = true;
    type RawValueType = Self;
    type RawElementValueType = Self;

    fn name() -> Cow<'static, str> {
        "Eur".into()
    }

    fn schema_ref() -> MetaSchemaRef {
        let mut schema = MetaSchema::new_with_format("string", "decimal");
        schema.pattern = Some(r"^\d{1,14}(\.\d{1,2})?$".into());
        schema.description = Some(
            "An amount in EUR excluding VAT, as a decimal string with at most two decimals, e.g. \"216000.00\".",
        );
        schema.example = Some(Value::String("216000.00".into()));
        MetaSchemaRef::Inline(Box::new(schema))
    }

    fn as_raw_value(&self) -> Option<&Self::RawValueType> {
        Some(self)
    }

    fn raw_element_iter<'a>(
        &'a self,
    ) -> Box<dyn Iterator<Item = &'a Self::RawElementValueType> + 'a> {
        Box::new(self.as_raw_value().into_iter())
    }
}

impl ParseFromJSON for Eur {
    fn parse_from_json(value: Option<Value>) -> ParseResult<Self> {
        Dkk::parse_from_json(value)
            .map(|d| Eur(d.0))
            .map_err(ParseError::propagate)
    }
}

impl ToJSON for Eur {
    fn to_json(&self) -> Option<Value> {
        Dkk(self.0).to_json()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_strings_with_at_most_two_decimals() {
        assert_eq!(parse_dkk("1234567.89"), Some(Decimal::new(123_456_789, 2)));
        assert_eq!(parse_dkk("0"), Some(Decimal::ZERO));
        assert_eq!(parse_dkk("12.5"), Some(Decimal::new(125, 1)));
        for bad in [
            "",
            "-1",
            "1.234",
            "1e3",
            "1.",
            ".5",
            "1,5",
            "1 000",
            "123456789012345",
        ] {
            assert_eq!(parse_dkk(bad), None, "{bad}");
        }
        assert!(Dkk::parse_from_json(Some(serde_json::json!(12.5))).is_err());
        assert_eq!(
            Dkk(Decimal::new(125, 1)).to_json(),
            Some(Value::String("12.50".into()))
        );
    }
}
