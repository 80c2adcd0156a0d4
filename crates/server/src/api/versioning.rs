//! ETags and If-Match for versioned objects: the ETag is the object's
//! version, quoted.

use samudbud_domain::DomainError;

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
}
