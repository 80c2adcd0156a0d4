//! What changed between two template versions, as the API shows it:
//! clauses added, removed, moved and changed (text word by word), and
//! parameters added, removed and changed.

use poem_openapi::{Enum, Object};
use samudbud_domain::templates::diff::{
    ClauseChange, ClauseMove, ClauseRef, FieldChange, ParameterChange, ParameterDiff, ParameterRef,
    TextChange, TextOp, VersionDiff,
};
use serde_json::Value;
use uuid::Uuid;

use super::template_content::ParameterDto;

/// A clause of one version, by key and place.
#[derive(Object)]
#[oai(rename = "DiffClause")]
struct ClauseRefDto {
    key: Uuid,
    /// Its place among the version's clauses, from 0.
    index: u64,
    number: String,
    heading: String,
}

impl From<ClauseRef> for ClauseRefDto {
    fn from(c: ClauseRef) -> Self {
        Self {
            key: c.key,
            index: c.index as u64,
            number: c.number,
            heading: c.heading,
        }
    }
}

/// A clause that changed place.
#[derive(Object)]
#[oai(rename = "DiffClauseMove")]
struct ClauseMoveDto {
    key: Uuid,
    /// Its place in the older version.
    from: u64,
    /// Its place in the newer version.
    to: u64,
    number: String,
    heading: String,
}

impl From<ClauseMove> for ClauseMoveDto {
    fn from(m: ClauseMove) -> Self {
        Self {
            key: m.key,
            from: m.from as u64,
            to: m.to as u64,
            number: m.number,
            heading: m.heading,
        }
    }
}

/// One changed field with its old and new value (absent: `null`).
#[derive(Object)]
#[oai(rename = "DiffFieldChange")]
struct FieldChangeDto {
    field: String,
    old: Value,
    new: Value,
}

impl From<FieldChange> for FieldChangeDto {
    fn from(f: FieldChange) -> Self {
        Self {
            field: f.field,
            old: f.old,
            new: f.new,
        }
    }
}

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[oai(rename_all = "snake_case", rename = "DiffTextOp")]
enum TextOpDto {
    /// In both versions.
    Equal,
    /// Only in the newer version.
    Insert,
    /// Only in the older version.
    Delete,
}

/// A run of a clause's text.
#[derive(Object)]
#[oai(rename = "DiffText")]
struct TextChangeDto {
    op: TextOpDto,
    text: String,
}

impl From<TextChange> for TextChangeDto {
    fn from(t: TextChange) -> Self {
        Self {
            op: match t.op {
                TextOp::Equal => TextOpDto::Equal,
                TextOp::Insert => TextOpDto::Insert,
                TextOp::Delete => TextOpDto::Delete,
            },
            text: t.text,
        }
    }
}

/// A clause in both versions that changed.
#[derive(Object)]
#[oai(rename = "DiffClauseChange", skip_serializing_if_is_none)]
struct ClauseChangeDto {
    key: Uuid,
    /// Number and heading in the newer version.
    number: String,
    heading: String,
    /// `number`, `heading`, `required`, `guidance`.
    fields: Vec<FieldChangeDto>,
    /// The text word by word, when it changed.
    text: Option<Vec<TextChangeDto>>,
}

impl From<ClauseChange> for ClauseChangeDto {
    fn from(c: ClauseChange) -> Self {
        Self {
            key: c.key,
            number: c.number,
            heading: c.heading,
            fields: c.fields.into_iter().map(FieldChangeDto::from).collect(),
            text: c
                .text
                .map(|runs| runs.into_iter().map(TextChangeDto::from).collect()),
        }
    }
}

/// A parameter only one of the versions has.
#[derive(Object)]
#[oai(rename = "DiffParameter")]
struct ParameterRefDto {
    /// The clause that declares it.
    clause_key: Uuid,
    parameter: ParameterDto,
}

impl From<ParameterRef> for ParameterRefDto {
    fn from(p: ParameterRef) -> Self {
        Self {
            clause_key: p.clause_key,
            parameter: p.parameter.into(),
        }
    }
}

/// A parameter in both versions that changed.
#[derive(Object)]
#[oai(rename = "DiffParameterChange")]
struct ParameterChangeDto {
    name: String,
    /// `label`, `kind`, `duration_unit`, `unit`, `required`, `default`,
    /// `min`, `max`, `choices`, `clause_key`.
    fields: Vec<FieldChangeDto>,
}

impl From<ParameterChange> for ParameterChangeDto {
    fn from(p: ParameterChange) -> Self {
        Self {
            name: p.name,
            fields: p.fields.into_iter().map(FieldChangeDto::from).collect(),
        }
    }
}

#[derive(Object)]
#[oai(rename = "DiffParameters")]
struct ParameterDiffDto {
    added: Vec<ParameterRefDto>,
    removed: Vec<ParameterRefDto>,
    changed: Vec<ParameterChangeDto>,
}

impl From<ParameterDiff> for ParameterDiffDto {
    fn from(p: ParameterDiff) -> Self {
        Self {
            added: p.added.into_iter().map(ParameterRefDto::from).collect(),
            removed: p.removed.into_iter().map(ParameterRefDto::from).collect(),
            changed: p
                .changed
                .into_iter()
                .map(ParameterChangeDto::from)
                .collect(),
        }
    }
}

/// What changed from the older version to the newer, clause by clause
/// (clauses are matched by key).
#[derive(Object)]
#[oai(rename = "VersionDiff")]
pub struct VersionDiffDto {
    /// Clauses only in the newer version.
    added: Vec<ClauseRefDto>,
    /// Clauses only in the older version.
    removed: Vec<ClauseRefDto>,
    /// Clauses that changed place.
    moved: Vec<ClauseMoveDto>,
    /// Clauses whose number, heading, required, guidance or text changed.
    changed: Vec<ClauseChangeDto>,
    parameters: ParameterDiffDto,
    /// Whether nothing changed.
    empty: bool,
}

impl From<VersionDiff> for VersionDiffDto {
    fn from(d: VersionDiff) -> Self {
        let empty = d.is_empty();
        Self {
            added: d.added.into_iter().map(ClauseRefDto::from).collect(),
            removed: d.removed.into_iter().map(ClauseRefDto::from).collect(),
            moved: d.moved.into_iter().map(ClauseMoveDto::from).collect(),
            changed: d.changed.into_iter().map(ClauseChangeDto::from).collect(),
            parameters: d.parameters.into(),
            empty,
        }
    }
}
