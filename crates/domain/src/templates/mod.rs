//! Standard contract templates. The pure rules of template versions and of
//! contracts based on them touch neither the database nor HTTP:
//!
//! - `model`: the content of a version and of a contract's use of it;
//! - `validation`: the rules both must follow, and the values that apply;
//! - `diff`: what changed between two versions;
//! - `render`: a version or a contract as a document and a printable HTML page;
//! - `docx`: the same document as a Word file.
//!
//! Beside them, the use cases over the database: `library` (which templates
//! a municipality sees, and how), `service` (writing, publishing, sharing,
//! adopting), `usage` (contracts based on a version), `documents`.

mod checks;
pub mod diff;
pub mod documents;
pub mod docx;
pub mod library;
pub mod model;
pub mod render;
pub mod service;
pub mod usage;
pub mod validation;

pub use diff::{VersionDiff, diff};
pub use docx::to_docx;
pub use model::{
    Clause, ContractTemplateUse, Deviation, DurationUnit, Parameter, ParameterKind, ParameterValue,
    TemplateKind, VersionContent,
};
pub use render::{
    DocumentKind, FilledClause, FilledDocument, FilledParameter, fill, outline, to_html,
};
pub use validation::{
    ResolvedUse, ResolvedValue, ValueSource, parse_value, validate_content, validate_use,
};

#[cfg(test)]
mod tests;
