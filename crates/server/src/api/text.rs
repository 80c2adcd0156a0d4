//! `Text`: a text field of a request body as it crosses the API. poem-openapi's
//! `String` also takes JSON numbers and booleans (`"name": 42` becomes "42"),
//! so a client's type error would pass unnoticed; `Text` takes JSON strings
//! only. Its bounds are the ones the domain enforces (after trimming) and are
//! published in the spec as `minLength`/`maxLength`; the domain still checks
//! them, so that a violation is a 422 naming the field, like every other
//! validation error.

use std::borrow::Cow;

use poem_openapi::registry::{MetaSchema, MetaSchemaRef};
use poem_openapi::types::{ParseError, ParseFromJSON, ParseResult, ToJSON, Type};
use serde_json::Value;

/// A JSON string of `MIN` to `MAX` characters (`MAX = usize::MAX`: no upper bound).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text<const MIN: usize, const MAX: usize>(pub String);

/// A text the domain checks against a list of codes or its own format.
pub type Code = Text<0, { usize::MAX }>;

impl<const MIN: usize, const MAX: usize> Text<MIN, MAX> {
    pub fn into_inner(self) -> String {
        self.0
    }
}

impl<const MIN: usize, const MAX: usize> std::ops::Deref for Text<MIN, MAX> {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl<const MIN: usize, const MAX: usize> From<Text<MIN, MAX>> for String {
    fn from(text: Text<MIN, MAX>) -> Self {
        text.0
    }
}

impl<const MIN: usize, const MAX: usize> From<&str> for Text<MIN, MAX> {
    fn from(text: &str) -> Self {
        Self(text.to_owned())
    }
}

impl<const MIN: usize, const MAX: usize> Type for Text<MIN, MAX> {
    const IS_REQUIRED: bool = true;
    type RawValueType = Self;
    type RawElementValueType = Self;

    fn name() -> Cow<'static, str> {
        format!("string({MIN},{MAX})").into()
    }

    fn schema_ref() -> MetaSchemaRef {
        let mut schema = MetaSchema::new("string");
        schema.min_length = (MIN > 0).then_some(MIN);
        schema.max_length = (MAX < usize::MAX).then_some(MAX);
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

impl<const MIN: usize, const MAX: usize> ParseFromJSON for Text<MIN, MAX> {
    fn parse_from_json(value: Option<Value>) -> ParseResult<Self> {
        match value {
            Some(Value::String(text)) => Ok(Self(text)),
            other => Err(ParseError::expected_type(other.unwrap_or_default())),
        }
    }
}

impl<const MIN: usize, const MAX: usize> ToJSON for Text<MIN, MAX> {
    fn to_json(&self) -> Option<Value> {
        Some(Value::String(self.0.clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_json_strings_are_text() {
        let parse = |value: Value| Text::<1, 10>::parse_from_json(Some(value));
        assert_eq!(parse(Value::from("Sorø")).unwrap(), Text::from("Sorø"));
        assert!(parse(Value::from(42)).is_err());
        assert!(parse(Value::from(4.2)).is_err());
        assert!(parse(Value::from(true)).is_err());
        assert!(parse(Value::Null).is_err());
        assert!(Text::<1, 10>::parse_from_json(None).is_err());
        assert!(parse(serde_json::json!(["Sorø"])).is_err());
    }

    #[test]
    fn the_bounds_are_in_the_schema() {
        let MetaSchemaRef::Inline(schema) = Text::<1, 200>::schema_ref() else {
            panic!("inline")
        };
        assert_eq!(
            (schema.ty, schema.min_length, schema.max_length),
            ("string", Some(1), Some(200))
        );
        let MetaSchemaRef::Inline(schema) = Code::schema_ref() else {
            panic!("inline")
        };
        assert_eq!((schema.min_length, schema.max_length), (None, None));
    }
}
