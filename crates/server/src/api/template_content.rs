//! The content of a template version as it crosses the API (clauses with
//! their typed parameters), and a contract's use of a version (values and
//! deviations). The JSON form is the domain's: parameter values name their
//! kind (`{"kind": "percent", "value": "99.5"}`), decimals are strings.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::str::FromStr;

use poem_openapi::registry::{MetaSchema, MetaSchemaRef};
use poem_openapi::types::{Example, ParseError, ParseFromJSON, ParseResult, ToJSON, Type};
use poem_openapi::{Enum, Object, Union};
use rust_decimal::Decimal;
use samudbud_domain::templates::usage::{ContractTemplate, TemplateUseInput};
use samudbud_domain::templates::{
    Clause, ContractTemplateUse, Deviation, DurationUnit, Parameter, ParameterKind, ParameterValue,
    TemplateKind, VersionContent,
};
use serde_json::Value;
use uuid::Uuid;

use super::text::Text;

/// An exact decimal number as a string ("99.5", "-2", "1234567.00"), never a
/// JSON number, so that no client rounds it through floating point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecimalText(pub Decimal);

impl Type for DecimalText {
    const IS_REQUIRED: bool = true;
    type RawValueType = Self;
    type RawElementValueType = Self;

    fn name() -> Cow<'static, str> {
        "DecimalText".into()
    }

    fn schema_ref() -> MetaSchemaRef {
        let mut schema = MetaSchema::new_with_format("string", "decimal");
        schema.pattern = Some(r"^-?\d{1,15}(\.\d{1,10})?$".into());
        schema.description = Some("An exact decimal number as a string, e.g. \"99.5\".");
        schema.example = Some(Value::String("99.5".into()));
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

/// Parses "99.5", "-2", "0.25": an optional minus, digits, an optional
/// point with digits; no exponent, no grouping.
pub fn parse_decimal(text: &str) -> Option<Decimal> {
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty()
        || whole.len() > 15
        || !digits(whole)
        || fraction.len() > 10
        || !digits(fraction)
        || unsigned.ends_with('.')
    {
        return None;
    }
    Decimal::from_str(text).ok()
}

impl ParseFromJSON for DecimalText {
    fn parse_from_json(value: Option<Value>) -> ParseResult<Self> {
        match value {
            Some(Value::String(text)) => {
                parse_decimal(text.trim()).map(DecimalText).ok_or_else(|| {
                    ParseError::custom(format!("\"{text}\" is not a decimal number like \"99.5\""))
                })
            }
            Some(Value::Number(_)) => Err(ParseError::custom(
                "decimal numbers are strings such as \"99.5\", not JSON numbers",
            )),
            other => Err(ParseError::expected_type(other.unwrap_or_default())),
        }
    }
}

impl ToJSON for DecimalText {
    fn to_json(&self) -> Option<Value> {
        Some(Value::String(self.0.normalize().to_string()))
    }
}

/// What a template is built on (Kitos' kinds).
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[oai(rename_all = "snake_case", rename = "TemplateKind")]
pub enum TemplateKindDto {
    K01,
    K02,
    K03,
    K04,
    /// Egne vilkår.
    Own,
    Kombit,
    /// Leverandørens vilkår.
    Supplier,
    Opi,
    /// Anden.
    Other,
}

impl From<TemplateKindDto> for TemplateKind {
    fn from(kind: TemplateKindDto) -> Self {
        match kind {
            TemplateKindDto::K01 => TemplateKind::K01,
            TemplateKindDto::K02 => TemplateKind::K02,
            TemplateKindDto::K03 => TemplateKind::K03,
            TemplateKindDto::K04 => TemplateKind::K04,
            TemplateKindDto::Own => TemplateKind::Own,
            TemplateKindDto::Kombit => TemplateKind::Kombit,
            TemplateKindDto::Supplier => TemplateKind::Supplier,
            TemplateKindDto::Opi => TemplateKind::Opi,
            TemplateKindDto::Other => TemplateKind::Other,
        }
    }
}

impl From<TemplateKind> for TemplateKindDto {
    fn from(kind: TemplateKind) -> Self {
        match kind {
            TemplateKind::K01 => TemplateKindDto::K01,
            TemplateKind::K02 => TemplateKindDto::K02,
            TemplateKind::K03 => TemplateKindDto::K03,
            TemplateKind::K04 => TemplateKindDto::K04,
            TemplateKind::Own => TemplateKindDto::Own,
            TemplateKind::Kombit => TemplateKindDto::Kombit,
            TemplateKind::Supplier => TemplateKindDto::Supplier,
            TemplateKind::Opi => TemplateKindDto::Opi,
            TemplateKind::Other => TemplateKindDto::Other,
        }
    }
}

/// The type of a parameter's value.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[oai(rename_all = "snake_case", rename = "ParameterKind")]
pub enum ParameterKindDto {
    Integer,
    Decimal,
    /// 99.5 means 99,5 %.
    Percent,
    /// DKK.
    Money,
    /// Whole days or months (`duration_unit`).
    Duration,
    Text,
    /// One of `choices`.
    Choice,
}

impl From<ParameterKindDto> for ParameterKind {
    fn from(kind: ParameterKindDto) -> Self {
        match kind {
            ParameterKindDto::Integer => ParameterKind::Integer,
            ParameterKindDto::Decimal => ParameterKind::Decimal,
            ParameterKindDto::Percent => ParameterKind::Percent,
            ParameterKindDto::Money => ParameterKind::Money,
            ParameterKindDto::Duration => ParameterKind::Duration,
            ParameterKindDto::Text => ParameterKind::Text,
            ParameterKindDto::Choice => ParameterKind::Choice,
        }
    }
}

impl From<ParameterKind> for ParameterKindDto {
    fn from(kind: ParameterKind) -> Self {
        match kind {
            ParameterKind::Integer => ParameterKindDto::Integer,
            ParameterKind::Decimal => ParameterKindDto::Decimal,
            ParameterKind::Percent => ParameterKindDto::Percent,
            ParameterKind::Money => ParameterKindDto::Money,
            ParameterKind::Duration => ParameterKindDto::Duration,
            ParameterKind::Text => ParameterKindDto::Text,
            ParameterKind::Choice => ParameterKindDto::Choice,
        }
    }
}

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[oai(rename_all = "snake_case", rename = "DurationUnit")]
pub enum DurationUnitDto {
    Days,
    Months,
}

impl From<DurationUnitDto> for DurationUnit {
    fn from(unit: DurationUnitDto) -> Self {
        match unit {
            DurationUnitDto::Days => DurationUnit::Days,
            DurationUnitDto::Months => DurationUnit::Months,
        }
    }
}

impl From<DurationUnit> for DurationUnitDto {
    fn from(unit: DurationUnit) -> Self {
        match unit {
            DurationUnit::Days => DurationUnitDto::Days,
            DurationUnit::Months => DurationUnitDto::Months,
        }
    }
}

#[derive(Object)]
#[oai(rename = "IntegerValue")]
pub struct IntegerValue {
    value: i64,
}

/// A decimal, percent (99.5 = 99,5 %) or money (DKK) value.
#[derive(Object)]
#[oai(rename = "DecimalValue")]
pub struct DecimalValue {
    value: DecimalText,
}

/// A whole number of the parameter's duration unit.
#[derive(Object)]
#[oai(rename = "DurationValue")]
pub struct DurationValue {
    value: i64,
}

/// A text, or one of a choice parameter's listed values.
#[derive(Object)]
#[oai(rename = "TextValue")]
pub struct TextValue {
    value: Text<0, 1_000>,
}

/// A parameter's value, tagged with its kind: `{"kind": "percent", "value": "99.5"}`.
#[derive(Union)]
#[oai(rename = "ParameterValue", discriminator_name = "kind", one_of)]
pub enum ParameterValueDto {
    #[oai(mapping = "integer")]
    Integer(IntegerValue),
    #[oai(mapping = "decimal")]
    Decimal(DecimalValue),
    #[oai(mapping = "percent")]
    Percent(PercentValue),
    #[oai(mapping = "money")]
    Money(MoneyValue),
    #[oai(mapping = "duration")]
    Duration(DurationValue),
    #[oai(mapping = "text")]
    Text(TextValue),
    #[oai(mapping = "choice")]
    Choice(ChoiceValue),
}

/// A percentage: 99.5 means 99,5 %.
#[derive(Object)]
#[oai(rename = "PercentValue")]
pub struct PercentValue {
    value: DecimalText,
}

/// An amount in DKK.
#[derive(Object)]
#[oai(rename = "MoneyValue")]
pub struct MoneyValue {
    value: DecimalText,
}

/// One of a choice parameter's listed values.
#[derive(Object)]
#[oai(rename = "ChoiceValue")]
pub struct ChoiceValue {
    value: Text<0, 1_000>,
}

impl From<ParameterValueDto> for ParameterValue {
    fn from(dto: ParameterValueDto) -> Self {
        match dto {
            ParameterValueDto::Integer(v) => ParameterValue::Integer(v.value),
            ParameterValueDto::Decimal(v) => ParameterValue::Decimal(v.value.0),
            ParameterValueDto::Percent(v) => ParameterValue::Percent(v.value.0),
            ParameterValueDto::Money(v) => ParameterValue::Money(v.value.0),
            ParameterValueDto::Duration(v) => ParameterValue::Duration(v.value),
            ParameterValueDto::Text(v) => ParameterValue::Text(v.value.into()),
            ParameterValueDto::Choice(v) => ParameterValue::Choice(v.value.into()),
        }
    }
}

impl From<ParameterValue> for ParameterValueDto {
    fn from(value: ParameterValue) -> Self {
        match value {
            ParameterValue::Integer(value) => ParameterValueDto::Integer(IntegerValue { value }),
            ParameterValue::Decimal(d) => ParameterValueDto::Decimal(DecimalValue {
                value: DecimalText(d),
            }),
            ParameterValue::Percent(d) => ParameterValueDto::Percent(PercentValue {
                value: DecimalText(d),
            }),
            ParameterValue::Money(d) => ParameterValueDto::Money(MoneyValue {
                value: DecimalText(d),
            }),
            ParameterValue::Duration(value) => ParameterValueDto::Duration(DurationValue { value }),
            ParameterValue::Text(text) => ParameterValueDto::Text(TextValue { value: Text(text) }),
            ParameterValue::Choice(text) => {
                ParameterValueDto::Choice(ChoiceValue { value: Text(text) })
            }
        }
    }
}

/// A named, typed value that clause texts reference as `{{name}}`.
/// `duration_unit` is required for kind `duration` and absent otherwise.
#[derive(Object)]
#[oai(rename = "Parameter", deny_unknown_fields, skip_serializing_if_is_none)]
pub struct ParameterDto {
    /// snake_case, starting with a letter; unique across the version.
    name: Text<1, 64>,
    /// The label shown to the buyer.
    label: Text<1, 200>,
    kind: ParameterKindDto,
    duration_unit: Option<DurationUnitDto>,
    /// Shown after the value ("%", "timer").
    unit: Option<Text<0, 40>>,
    /// Whether a contract must have a value (its own or the default). Default true.
    #[oai(default = "yes")]
    required: bool,
    default: Option<ParameterValueDto>,
    /// Inclusive lower bound (numbers and durations).
    min: Option<DecimalText>,
    /// Inclusive upper bound (numbers and durations).
    max: Option<DecimalText>,
    /// The allowed values of a `choice` parameter.
    #[oai(default)]
    choices: Vec<Text<1, 200>>,
}

fn yes() -> bool {
    true
}

/// One clause of a version.
#[derive(Object)]
#[oai(rename = "Clause", deny_unknown_fields, skip_serializing_if_is_none)]
pub struct ClauseDto {
    /// Stable across versions: keep it when renumbering, moving or rewording
    /// the clause, so that versions compare clause by clause. New clauses get
    /// a fresh UUID from the client.
    key: Uuid,
    /// As printed: "1", "4.2", "Bilag 3".
    number: Text<0, 20>,
    heading: Text<0, 200>,
    /// Markdown; parameters are referenced as `{{name}}`.
    text: Text<0, 20_000>,
    /// A required clause is part of every contract based on the version.
    required: bool,
    /// Guidance for the buyer; not part of the contract text.
    guidance: Option<Text<0, 5_000>>,
    #[oai(default)]
    parameters: Vec<ParameterDto>,
}

/// The content of a version: its clauses in order.
#[derive(Object)]
#[oai(rename = "VersionContent", deny_unknown_fields, example)]
pub struct VersionContentDto {
    clauses: Vec<ClauseDto>,
}

impl From<VersionContentDto> for VersionContent {
    fn from(dto: VersionContentDto) -> Self {
        Self {
            clauses: dto
                .clauses
                .into_iter()
                .map(|c| Clause {
                    key: c.key,
                    number: c.number.into(),
                    heading: c.heading.into(),
                    text: c.text.into(),
                    required: c.required,
                    guidance: c.guidance.map(String::from),
                    parameters: c
                        .parameters
                        .into_iter()
                        .map(|p| Parameter {
                            name: p.name.into(),
                            label: p.label.into(),
                            kind: p.kind.into(),
                            duration_unit: p.duration_unit.map(DurationUnit::from),
                            unit: p.unit.map(String::from),
                            required: p.required,
                            default: p.default.map(ParameterValue::from),
                            min: p.min.map(|d| d.0),
                            max: p.max.map(|d| d.0),
                            choices: p.choices.into_iter().map(String::from).collect(),
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

impl From<Parameter> for ParameterDto {
    fn from(p: Parameter) -> Self {
        Self {
            name: Text(p.name),
            label: Text(p.label),
            kind: p.kind.into(),
            duration_unit: p.duration_unit.map(DurationUnitDto::from),
            unit: p.unit.map(Text),
            required: p.required,
            default: p.default.map(ParameterValueDto::from),
            min: p.min.map(DecimalText),
            max: p.max.map(DecimalText),
            choices: p.choices.into_iter().map(Text).collect(),
        }
    }
}

impl From<VersionContent> for VersionContentDto {
    fn from(content: VersionContent) -> Self {
        Self {
            clauses: content
                .clauses
                .into_iter()
                .map(|c| ClauseDto {
                    key: c.key,
                    number: Text(c.number),
                    heading: Text(c.heading),
                    text: Text(c.text),
                    required: c.required,
                    guidance: c.guidance.map(Text),
                    parameters: c.parameters.into_iter().map(ParameterDto::from).collect(),
                })
                .collect(),
        }
    }
}

/// Two clauses of an operations agreement, with an uptime and a response time.
pub fn example_content() -> VersionContent {
    let key = |n: u128| Uuid::from_u128(0x5a3c_0000_0000_4000_8000_0000_0000_0000 | n);
    VersionContent {
        clauses: vec![
            Clause {
                key: key(1),
                number: "1".into(),
                heading: "Oppetid".into(),
                text: "Leverandøren sikrer en oppetid på mindst {{oppetid_procent}} % \
                       målt pr. kalendermåned."
                    .into(),
                required: true,
                guidance: Some("K04 anbefaler 99,5 % for forretningskritiske systemer.".into()),
                parameters: vec![Parameter {
                    name: "oppetid_procent".into(),
                    label: "Oppetid".into(),
                    kind: ParameterKind::Percent,
                    duration_unit: None,
                    unit: Some("%".into()),
                    required: true,
                    default: Some(ParameterValue::Percent(Decimal::new(995, 1))),
                    min: Some(Decimal::from(90)),
                    max: Some(Decimal::from(100)),
                    choices: Vec::new(),
                }],
            },
            Clause {
                key: key(2),
                number: "2".into(),
                heading: "Opsigelse".into(),
                text: "Kunden kan opsige aftalen med {{opsigelse_maaneder}} måneders varsel."
                    .into(),
                required: false,
                guidance: None,
                parameters: vec![Parameter {
                    name: "opsigelse_maaneder".into(),
                    label: "Opsigelsesvarsel".into(),
                    kind: ParameterKind::Duration,
                    duration_unit: Some(DurationUnit::Months),
                    unit: None,
                    required: true,
                    default: Some(ParameterValue::Duration(6)),
                    min: Some(Decimal::from(1)),
                    max: Some(Decimal::from(24)),
                    choices: Vec::new(),
                }],
            },
        ],
    }
}

impl Example for VersionContentDto {
    fn example() -> Self {
        example_content().into()
    }
}

/// A deviation from the template: the clause, the text that applies
/// instead, and why.
#[derive(Object)]
#[oai(rename = "Deviation", deny_unknown_fields)]
pub struct DeviationDto {
    pub clause_key: Uuid,
    pub text: Text<0, 20_000>,
    pub reason: Text<0, 5_000>,
}

impl From<DeviationDto> for Deviation {
    fn from(d: DeviationDto) -> Self {
        Self {
            clause_key: d.clause_key,
            text: d.text.into(),
            reason: d.reason.into(),
        }
    }
}

impl From<Deviation> for DeviationDto {
    fn from(d: Deviation) -> Self {
        Self {
            clause_key: d.clause_key,
            text: Text(d.text),
            reason: Text(d.reason),
        }
    }
}

/// A contract's template section as written: the published version it is
/// based on, values by parameter name (left-out values take the default),
/// and the clauses it deviates in.
#[derive(Object)]
#[oai(rename = "ContractTemplateInput", deny_unknown_fields, example)]
pub struct ContractTemplateInputDto {
    template_id: Uuid,
    version_number: i32,
    #[oai(default)]
    values: BTreeMap<String, ParameterValueDto>,
    #[oai(default)]
    deviations: Vec<DeviationDto>,
}

impl Example for ContractTemplateInputDto {
    fn example() -> Self {
        let mut values = BTreeMap::new();
        values.insert(
            "oppetid_procent".to_owned(),
            ParameterValue::Percent(Decimal::new(997, 1)).into(),
        );
        Self {
            template_id: Uuid::nil(),
            version_number: 2,
            values,
            deviations: vec![DeviationDto {
                clause_key: example_content().clauses[1].key,
                text: "Kunden kan opsige aftalen med 3 måneders varsel.".into(),
                reason: "Kortere varsel aftalt i forhandlingen".into(),
            }],
        }
    }
}

impl From<ContractTemplateInputDto> for TemplateUseInput {
    fn from(d: ContractTemplateInputDto) -> Self {
        Self {
            template_id: d.template_id,
            version_number: d.version_number,
            template_use: ContractTemplateUse {
                values: d
                    .values
                    .into_iter()
                    .map(|(name, value)| (name, value.into()))
                    .collect(),
                deviations: d.deviations.into_iter().map(Deviation::from).collect(),
            },
        }
    }
}

/// The template version a contract is based on, the value of every
/// parameter (chosen, or the default prefilled), and its deviations.
#[derive(Object)]
#[oai(rename = "ContractTemplate", skip_serializing_if_is_none)]
pub struct ContractTemplateDto {
    template_id: Uuid,
    /// While the template is visible to the reader.
    template_name: Option<String>,
    version_number: i32,
    values: BTreeMap<String, ParameterValueDto>,
    deviations: Vec<DeviationDto>,
}

impl From<ContractTemplate> for ContractTemplateDto {
    fn from(t: ContractTemplate) -> Self {
        Self {
            template_id: t.template_id,
            template_name: t.template_name,
            version_number: t.version_number,
            values: t
                .values
                .into_iter()
                .map(|(name, value)| (name, value.into()))
                .collect(),
            deviations: t.deviations.into_iter().map(DeviationDto::from).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_are_strings_without_exponent_or_grouping() {
        assert_eq!(parse_decimal("99.5"), Some(Decimal::new(995, 1)));
        assert_eq!(parse_decimal("-2"), Some(Decimal::from(-2)));
        for bad in ["", "1e3", "1.", ".5", "1,5", "1 000", "--1", "+1"] {
            assert_eq!(parse_decimal(bad), None, "{bad}");
        }
        assert!(DecimalText::parse_from_json(Some(serde_json::json!(99.5))).is_err());
        assert_eq!(
            DecimalText(Decimal::new(9950, 2)).to_json(),
            Some(Value::String("99.5".into()))
        );
    }

    #[test]
    fn parameter_values_carry_their_kind() {
        let Ok(value) = ParameterValueDto::parse_from_json(Some(
            serde_json::json!({"kind": "percent", "value": "99.5"}),
        )) else {
            panic!("a percent value parses");
        };
        assert_eq!(
            ParameterValue::from(value),
            ParameterValue::Percent(Decimal::new(995, 1))
        );
        let json = ParameterValueDto::from(ParameterValue::Duration(3)).to_json();
        assert_eq!(
            json,
            Some(serde_json::json!({"kind": "duration", "value": 3}))
        );
    }
}
