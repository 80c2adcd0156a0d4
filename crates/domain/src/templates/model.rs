//! The content of a standard contract template version and of a contract
//! based on one: clauses, typed parameters, chosen values and deviations.
//!
//! These are plain data with a stable JSON form (snake_case names, exact
//! decimals as strings, never floats). The rules live beside them:
//! `validation` checks them, `diff` compares two versions, `render` and
//! `docx` turn them into documents.

use std::collections::BTreeMap;
use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What a template is built on, as Kitos labels the kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TemplateKind {
    K01,
    K02,
    K03,
    K04,
    Own,
    Kombit,
    Supplier,
    Opi,
    Other,
}

impl TemplateKind {
    pub const ALL: [TemplateKind; 9] = [
        TemplateKind::K01,
        TemplateKind::K02,
        TemplateKind::K03,
        TemplateKind::K04,
        TemplateKind::Own,
        TemplateKind::Kombit,
        TemplateKind::Supplier,
        TemplateKind::Opi,
        TemplateKind::Other,
    ];

    /// The stable code used in JSON and storage (`k04`, `kombit`, …).
    pub fn code(self) -> &'static str {
        match self {
            TemplateKind::K01 => "k01",
            TemplateKind::K02 => "k02",
            TemplateKind::K03 => "k03",
            TemplateKind::K04 => "k04",
            TemplateKind::Own => "own",
            TemplateKind::Kombit => "kombit",
            TemplateKind::Supplier => "supplier",
            TemplateKind::Opi => "opi",
            TemplateKind::Other => "other",
        }
    }

    /// The kind from its code; `None` for anything else.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.code() == code)
    }

    /// The Danish label shown to users.
    pub fn label(self) -> &'static str {
        match self {
            TemplateKind::K01 => "K01",
            TemplateKind::K02 => "K02",
            TemplateKind::K03 => "K03",
            TemplateKind::K04 => "K04",
            TemplateKind::Own => "Egne vilkår",
            TemplateKind::Kombit => "KOMBIT",
            TemplateKind::Supplier => "Leverandørens vilkår",
            TemplateKind::Opi => "OPI",
            TemplateKind::Other => "Anden",
        }
    }
}

/// The content of one template version: its clauses, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VersionContent {
    pub clauses: Vec<Clause>,
}

/// One clause (bestemmelse) of a template version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Clause {
    /// Stable across the versions of a template: a clause keeps its key when
    /// it is renumbered, moved or reworded, which is how versions are compared.
    pub key: Uuid,
    /// The clause number as printed ("1", "4.2", "Bilag 3").
    pub number: String,
    pub heading: String,
    /// Markdown; may reference any parameter of the version as `{{name}}`.
    pub text: String,
    /// A required clause must be in every contract based on the version.
    pub required: bool,
    /// Guidance for the buyer filling in the contract; not part of the contract text.
    #[serde(default)]
    pub guidance: Option<String>,
    /// The parameters this clause introduces. Names are unique across the version.
    #[serde(default)]
    pub parameters: Vec<Parameter>,
}

/// The type of a parameter's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ParameterKind {
    /// A whole number.
    Integer,
    /// An exact decimal number.
    Decimal,
    /// A percentage as a decimal number (99.5 means 99,5 %).
    Percent,
    /// An amount in DKK.
    Money,
    /// A whole number of days or months; the parameter's `duration_unit` says which.
    Duration,
    /// Free text on one line.
    Text,
    /// One of the parameter's `choices`.
    Choice,
}

impl ParameterKind {
    /// Whether `min` and `max` apply to the kind.
    pub fn is_bounded(self) -> bool {
        !matches!(self, ParameterKind::Text | ParameterKind::Choice)
    }

    /// The Danish name of the kind, for messages.
    pub fn label(self) -> &'static str {
        match self {
            ParameterKind::Integer => "heltal",
            ParameterKind::Decimal => "decimaltal",
            ParameterKind::Percent => "procent",
            ParameterKind::Money => "beløb",
            ParameterKind::Duration => "varighed",
            ParameterKind::Text => "tekst",
            ParameterKind::Choice => "valg",
        }
    }
}

/// The unit of a duration parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DurationUnit {
    Days,
    Months,
}

impl DurationUnit {
    /// The Danish unit for a count: "1 dag", "3 dage", "1 måned", "3 måneder".
    pub fn label(self, count: i64) -> &'static str {
        match (self, count.abs() == 1) {
            (DurationUnit::Days, true) => "dag",
            (DurationUnit::Days, false) => "dage",
            (DurationUnit::Months, true) => "måned",
            (DurationUnit::Months, false) => "måneder",
        }
    }
}

/// A named, typed value that clause texts reference as `{{name}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Parameter {
    /// snake_case, starting with a letter: `oppetid_procent`.
    pub name: String,
    /// The Danish label shown to the buyer: "Oppetid".
    pub label: String,
    pub kind: ParameterKind,
    /// Required for kind `duration`, absent for every other kind.
    #[serde(default)]
    pub duration_unit: Option<DurationUnit>,
    /// Free text shown after the value in tables ("%", "timer").
    #[serde(default)]
    pub unit: Option<String>,
    /// Whether a contract must have a value (its own or the default).
    #[serde(default = "yes")]
    pub required: bool,
    #[serde(default)]
    pub default: Option<ParameterValue>,
    /// Inclusive bounds, for the numeric kinds and durations only.
    #[serde(default)]
    pub min: Option<Decimal>,
    #[serde(default)]
    pub max: Option<Decimal>,
    /// The allowed values of a `choice` parameter; empty for every other kind.
    #[serde(default)]
    pub choices: Vec<String>,
}

fn yes() -> bool {
    true
}

/// A value of a parameter. Its JSON form names the kind and carries the
/// value: `{"kind": "percent", "value": "99.5"}`, `{"kind": "duration",
/// "value": 3}`, `{"kind": "choice", "value": "Månedlig"}`. Decimal values
/// are strings in the canonical form (`"1234567.00"`), never floats.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum ParameterValue {
    Integer(i64),
    Decimal(Decimal),
    Percent(Decimal),
    /// DKK.
    Money(Decimal),
    /// A count in the parameter's duration unit.
    Duration(i64),
    Text(String),
    Choice(String),
}

impl ParameterValue {
    /// The kind of parameter this value belongs to.
    pub fn kind(&self) -> ParameterKind {
        match self {
            ParameterValue::Integer(_) => ParameterKind::Integer,
            ParameterValue::Decimal(_) => ParameterKind::Decimal,
            ParameterValue::Percent(_) => ParameterKind::Percent,
            ParameterValue::Money(_) => ParameterKind::Money,
            ParameterValue::Duration(_) => ParameterKind::Duration,
            ParameterValue::Text(_) => ParameterKind::Text,
            ParameterValue::Choice(_) => ParameterKind::Choice,
        }
    }

    /// The value as a number, for comparing with bounds; `None` for text and choices.
    pub fn as_decimal(&self) -> Option<Decimal> {
        match self {
            ParameterValue::Integer(n) | ParameterValue::Duration(n) => Some(Decimal::from(*n)),
            ParameterValue::Decimal(d) | ParameterValue::Percent(d) | ParameterValue::Money(d) => {
                Some(*d)
            }
            ParameterValue::Text(_) | ParameterValue::Choice(_) => None,
        }
    }
}

impl fmt::Display for ParameterValue {
    /// The canonical, language-neutral form (`99.5`, `3`, `Månedlig`); the
    /// Danish presentation is `render::format_value`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParameterValue::Integer(n) | ParameterValue::Duration(n) => write!(f, "{n}"),
            ParameterValue::Decimal(d) | ParameterValue::Percent(d) | ParameterValue::Money(d) => {
                write!(f, "{d}")
            }
            ParameterValue::Text(s) | ParameterValue::Choice(s) => f.write_str(s),
        }
    }
}

/// A deviation (afvigelse) of a contract from its template: which clause,
/// the text that applies instead, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Deviation {
    pub clause_key: Uuid,
    pub text: String,
    pub reason: String,
}

/// What a contract based on a published template version records: the
/// parameter values chosen (by parameter name) and its deviations.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContractTemplateUse {
    #[serde(default)]
    pub values: BTreeMap<String, ParameterValue>,
    #[serde(default)]
    pub deviations: Vec<Deviation>,
}
