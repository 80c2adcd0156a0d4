//! The pure rules as the use cases apply them to request bodies: field
//! paths named from the body's root.

use crate::error::FieldError;
use crate::templates::model::VersionContent;
use crate::templates::validation::validate_content;

/// The content's problems, each field named from the request body's root
/// (`content.clauses[0].text`).
pub(crate) fn check_content(content: &VersionContent) -> Result<(), Vec<FieldError>> {
    validate_content(content).map_err(|errors| {
        errors
            .into_iter()
            .map(|mut e| {
                e.field = format!("content.{}", e.field);
                e
            })
            .collect()
    })
}
