//! ETags and If-Match for versioned objects: the ETag is the object's
//! version, quoted.

use std::borrow::Cow;

use poem_openapi::registry::{MetaSchema, MetaSchemaRef};
use poem_openapi::types::{ParseFromParameter, ParseResult, Type};
use samudbud_domain::DomainError;

/// The `If-Match` header of a write to a versioned object. The spec lists it
/// as required, because it is; a request without it still reaches the
/// handler, so that it gets the 428 that says what to send rather than a
/// generic 400.
#[derive(Debug, Clone, Default)]
pub struct IfMatch(pub Option<String>);

impl IfMatch {
    /// The version it names (412 when it names none). Absent, the domain's
    /// version check answers 428, after it has found the object.
    pub fn version(&self) -> Result<Option<i32>, DomainError> {
        expected_version(self.0.as_deref())
    }
}

impl Type for IfMatch {
    const IS_REQUIRED: bool = true;
    type RawValueType = Self;
    type RawElementValueType = Self;

    fn name() -> Cow<'static, str> {
        "IfMatch".into()
    }

    fn schema_ref() -> MetaSchemaRef {
        let mut schema = MetaSchema::new("string");
        schema.description = Some("The ETag of the caller's last read of the object.");
        schema.example = Some(serde_json::Value::String("\"3\"".into()));
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

impl ParseFromParameter for IfMatch {
    fn parse_from_parameter(value: &str) -> ParseResult<Self> {
        Ok(Self(Some(value.to_owned())))
    }

    fn parse_from_parameters<I: IntoIterator<Item = A>, A: AsRef<str>>(
        iter: I,
    ) -> ParseResult<Self> {
        Ok(Self(
            iter.into_iter()
                .next()
                .map(|value| value.as_ref().to_owned()),
        ))
    }
}

pub fn etag(version: i32) -> String {
    format!("\"{version}\"")
}

/// The version an `If-Match` value names. A value that names no version we
/// ever issue (such as `*` or garbage) cannot match, and fails as stale.
pub fn expected_version(if_match: Option<&str>) -> Result<Option<i32>, DomainError> {
    match if_match.map(str::trim) {
        None => Ok(None),
        Some(value) => value
            .trim_start_matches("W/")
            .trim_matches('"')
            .parse::<i32>()
            .map(Some)
            .map_err(|_| DomainError::PreconditionFailed),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_match_values_name_versions() {
        assert_eq!(etag(3), "\"3\"");
        assert!(matches!(expected_version(None), Ok(None)));
        assert!(matches!(expected_version(Some("\"3\"")), Ok(Some(3))));
        assert!(matches!(expected_version(Some("W/\"3\"")), Ok(Some(3))));
        assert!(matches!(
            expected_version(Some("*")),
            Err(DomainError::PreconditionFailed)
        ));
        assert!(matches!(
            expected_version(Some("\"abc\"")),
            Err(DomainError::PreconditionFailed)
        ));
    }

    #[test]
    fn if_match_is_required_but_absence_reaches_the_handler() {
        let absent = IfMatch::parse_from_parameters(Vec::<&str>::new()).unwrap();
        assert!(matches!(absent.version(), Ok(None)));
        let sent = IfMatch::parse_from_parameters(["\"7\""]).unwrap();
        assert!(matches!(sent.version(), Ok(Some(7))));
        const { assert!(IfMatch::IS_REQUIRED) };
    }
}
