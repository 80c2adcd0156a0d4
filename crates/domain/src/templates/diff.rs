//! What changed between two versions of a template. Clauses are matched by
//! their key, so a renumbered, moved or reworded clause is recognised as the
//! same clause; text changes are shown word by word. Parameters are matched
//! by name across the whole version.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::time::Duration;

use serde::Serialize;
use serde_json::Value;
use similar::{Algorithm, ChangeTag, DiffTag, TextDiff, capture_diff_slices};
use uuid::Uuid;

use super::model::{Clause, Parameter, VersionContent};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct VersionDiff {
    /// Clauses only in the new version, with their index there.
    pub added: Vec<ClauseRef>,
    /// Clauses only in the old version, with their index there.
    pub removed: Vec<ClauseRef>,
    /// Clauses whose place among the clauses both versions have changed:
    /// the fewest moves that turn the old order into the new.
    pub moved: Vec<ClauseMove>,
    /// Clauses in both versions whose number, heading, required, guidance
    /// or text changed.
    pub changed: Vec<ClauseChange>,
    pub parameters: ParameterDiff,
}

impl VersionDiff {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.removed.is_empty()
            && self.moved.is_empty()
            && self.changed.is_empty()
            && self.parameters.is_empty()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClauseRef {
    pub key: Uuid,
    pub index: usize,
    pub number: String,
    pub heading: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClauseMove {
    pub key: Uuid,
    /// Index in the old version.
    pub from: usize,
    /// Index in the new version.
    pub to: usize,
    pub number: String,
    pub heading: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClauseChange {
    pub key: Uuid,
    /// The clause's number and heading in the new version.
    pub number: String,
    pub heading: String,
    /// `number`, `heading`, `required`, `guidance`, each with old and new.
    pub fields: Vec<FieldChange>,
    /// The text, word by word, when it changed.
    pub text: Option<Vec<TextChange>>,
}

/// One changed field: its name and the old and new values as JSON
/// (decimals as strings, absent as `null`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldChange {
    pub field: String,
    pub old: Value,
    pub new: Value,
}

/// A run of text that is in both versions, only in the new, or only in the old.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TextChange {
    pub op: TextOp,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TextOp {
    Equal,
    Insert,
    Delete,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ParameterDiff {
    pub added: Vec<ParameterRef>,
    pub removed: Vec<ParameterRef>,
    pub changed: Vec<ParameterChange>,
}

impl ParameterDiff {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParameterRef {
    /// The clause that declares the parameter.
    pub clause_key: Uuid,
    pub parameter: Parameter,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParameterChange {
    pub name: String,
    /// `label`, `kind`, `duration_unit`, `unit`, `required`, `default`,
    /// `min`, `max`, `choices`, and `clause_key` when it moved to another clause.
    pub fields: Vec<FieldChange>,
}

/// Compares two versions.
pub fn diff(old: &VersionContent, new: &VersionContent) -> VersionDiff {
    let old_index: HashMap<Uuid, usize> = old
        .clauses
        .iter()
        .enumerate()
        .map(|(i, c)| (c.key, i))
        .collect();
    let new_index: HashMap<Uuid, usize> = new
        .clauses
        .iter()
        .enumerate()
        .map(|(i, c)| (c.key, i))
        .collect();
    let reference = |clause: &Clause, index| ClauseRef {
        key: clause.key,
        index,
        number: clause.number.clone(),
        heading: clause.heading.clone(),
    };
    let added = new
        .clauses
        .iter()
        .enumerate()
        .filter(|(_, c)| !old_index.contains_key(&c.key))
        .map(|(i, c)| reference(c, i))
        .collect();
    let removed = old
        .clauses
        .iter()
        .enumerate()
        .filter(|(_, c)| !new_index.contains_key(&c.key))
        .map(|(i, c)| reference(c, i))
        .collect();

    // The clauses both have, in each version's order; those outside the
    // longest common subsequence are the ones that moved.
    let old_common: Vec<Uuid> = old
        .clauses
        .iter()
        .map(|c| c.key)
        .filter(|k| new_index.contains_key(k))
        .collect();
    let new_common: Vec<Uuid> = new
        .clauses
        .iter()
        .map(|c| c.key)
        .filter(|k| old_index.contains_key(k))
        .collect();
    let mut moved_keys = HashSet::new();
    for op in capture_diff_slices(Algorithm::Myers, &old_common, &new_common) {
        if op.tag() != DiffTag::Equal {
            moved_keys.extend(old_common[op.old_range()].iter().copied());
            moved_keys.extend(new_common[op.new_range()].iter().copied());
        }
    }
    let moved = new
        .clauses
        .iter()
        .enumerate()
        .filter(|(_, c)| moved_keys.contains(&c.key))
        .filter_map(|(to, c)| {
            old_index.get(&c.key).map(|&from| ClauseMove {
                key: c.key,
                from,
                to,
                number: c.number.clone(),
                heading: c.heading.clone(),
            })
        })
        .collect();

    let changed = new
        .clauses
        .iter()
        .filter_map(|new_clause| {
            let old_clause = &old.clauses[*old_index.get(&new_clause.key)?];
            clause_change(old_clause, new_clause)
        })
        .collect();

    VersionDiff {
        added,
        removed,
        moved,
        changed,
        parameters: parameter_diff(old, new),
    }
}

fn clause_change(old: &Clause, new: &Clause) -> Option<ClauseChange> {
    let mut fields = Vec::new();
    field(&mut fields, "number", &old.number, &new.number);
    field(&mut fields, "heading", &old.heading, &new.heading);
    field(&mut fields, "required", &old.required, &new.required);
    field(&mut fields, "guidance", &old.guidance, &new.guidance);
    let text = (old.text != new.text).then(|| word_diff(&old.text, &new.text));
    (!fields.is_empty() || text.is_some()).then(|| ClauseChange {
        key: new.key,
        number: new.number.clone(),
        heading: new.heading.clone(),
        fields,
        text,
    })
}

fn field<T: Serialize + PartialEq>(fields: &mut Vec<FieldChange>, name: &str, old: &T, new: &T) {
    if old != new {
        fields.push(FieldChange {
            field: name.to_owned(),
            old: serde_json::to_value(old).unwrap_or(Value::Null),
            new: serde_json::to_value(new).unwrap_or(Value::Null),
        });
    }
}

/// The word-level operations that turn `old` into `new`: runs of equal,
/// deleted and inserted text (whitespace included), adjacent runs of the same
/// kind joined. Joining the equal and deleted runs gives `old`; the equal and
/// inserted runs give `new`.
pub fn word_diff(old: &str, new: &str) -> Vec<TextChange> {
    let diff = TextDiff::configure()
        .algorithm(Algorithm::Myers)
        .timeout(Duration::from_secs(2))
        .diff_words(old, new);
    let mut runs: Vec<TextChange> = Vec::new();
    for change in diff.iter_all_changes() {
        let op = match change.tag() {
            ChangeTag::Equal => TextOp::Equal,
            ChangeTag::Insert => TextOp::Insert,
            ChangeTag::Delete => TextOp::Delete,
        };
        match runs.last_mut() {
            Some(last) if last.op == op => last.text.push_str(change.value()),
            _ => runs.push(TextChange {
                op,
                text: change.value().to_owned(),
            }),
        }
    }
    runs
}

fn parameter_diff(old: &VersionContent, new: &VersionContent) -> ParameterDiff {
    let declared = |content: &VersionContent| -> BTreeMap<String, (Uuid, Parameter)> {
        content
            .clauses
            .iter()
            .flat_map(|c| {
                c.parameters
                    .iter()
                    .map(move |p| (p.name.clone(), (c.key, p.clone())))
            })
            .collect()
    };
    let old_parameters = declared(old);
    let new_parameters = declared(new);
    let mut result = ParameterDiff::default();
    for (name, (clause_key, parameter)) in &new_parameters {
        match old_parameters.get(name) {
            None => result.added.push(ParameterRef {
                clause_key: *clause_key,
                parameter: parameter.clone(),
            }),
            Some((old_key, old)) => {
                let mut fields = Vec::new();
                field(&mut fields, "label", &old.label, &parameter.label);
                field(&mut fields, "kind", &old.kind, &parameter.kind);
                field(
                    &mut fields,
                    "duration_unit",
                    &old.duration_unit,
                    &parameter.duration_unit,
                );
                field(&mut fields, "unit", &old.unit, &parameter.unit);
                field(&mut fields, "required", &old.required, &parameter.required);
                field(&mut fields, "default", &old.default, &parameter.default);
                field(&mut fields, "min", &old.min, &parameter.min);
                field(&mut fields, "max", &old.max, &parameter.max);
                field(&mut fields, "choices", &old.choices, &parameter.choices);
                field(&mut fields, "clause_key", old_key, clause_key);
                if !fields.is_empty() {
                    result.changed.push(ParameterChange {
                        name: name.clone(),
                        fields,
                    });
                }
            }
        }
    }
    for (name, (clause_key, parameter)) in &old_parameters {
        if !new_parameters.contains_key(name) {
            result.removed.push(ParameterRef {
                clause_key: *clause_key,
                parameter: parameter.clone(),
            });
        }
    }
    result
}
