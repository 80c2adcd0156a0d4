use std::collections::BTreeMap;
use std::io::Read as _;

use rust_decimal::Decimal;
use uuid::Uuid;

use super::diff::{TextOp, diff, word_diff};
use super::docx::to_docx;
use super::model::*;
use super::render::{fill, format_money, format_value, outline, to_html};
use super::validation::{
    ValueSource, parse_danish_decimal, parse_value, validate_content, validate_use,
};

fn dec(s: &str) -> Decimal {
    s.parse().unwrap_or_default()
}

fn key(n: u128) -> Uuid {
    Uuid::from_u128(n)
}

fn parameter(name: &str, kind: ParameterKind) -> Parameter {
    Parameter {
        name: name.into(),
        label: name.replace('_', " "),
        kind,
        duration_unit: (kind == ParameterKind::Duration).then_some(DurationUnit::Months),
        unit: None,
        required: true,
        default: None,
        min: None,
        max: None,
        choices: Vec::new(),
    }
}

fn clause(n: u128, number: &str, heading: &str, text: &str) -> Clause {
    Clause {
        key: key(n),
        number: number.into(),
        heading: heading.into(),
        text: text.into(),
        required: true,
        guidance: None,
        parameters: Vec::new(),
    }
}

/// A small K04-like version: uptime with bounds, a price, a notice period
/// and a choice of invoicing.
fn sample() -> VersionContent {
    let mut uptime = parameter("oppetid_procent", ParameterKind::Percent);
    uptime.label = "Oppetid".into();
    uptime.unit = Some("%".into());
    uptime.default = Some(ParameterValue::Percent(dec("99.5")));
    uptime.min = Some(dec("90"));
    uptime.max = Some(dec("100"));
    let mut price = parameter("aarlig_pris", ParameterKind::Money);
    price.label = "Årlig pris".into();
    let mut notice = parameter("opsigelsesvarsel", ParameterKind::Duration);
    notice.label = "Opsigelsesvarsel".into();
    notice.default = Some(ParameterValue::Duration(3));
    notice.min = Some(dec("1"));
    let mut invoicing = parameter("fakturering", ParameterKind::Choice);
    invoicing.label = "Fakturering".into();
    invoicing.choices = vec!["Månedlig".into(), "Kvartalsvis".into()];
    invoicing.default = Some(ParameterValue::Choice("Kvartalsvis".into()));
    let mut c1 = clause(1, "1", "Aftalens omfang", "Leverandøren driver systemet.");
    c1.guidance = Some("Beskriv systemet kort.".into());
    let mut c2 = clause(
        2,
        "2",
        "Servicemål",
        "Oppetiden er mindst {{ oppetid_procent }} målt pr. måned.\n\n- faktureres {{fakturering}}\n- **vigtigt**",
    );
    c2.parameters = vec![uptime, invoicing];
    let mut c3 = clause(3, "3", "Vederlag", "Prisen er {{aarlig_pris}} om året.");
    c3.parameters = vec![price];
    let mut c4 = clause(
        4,
        "4",
        "Opsigelse",
        "Aftalen kan opsiges med {{opsigelsesvarsel}} varsel.",
    );
    c4.required = false;
    c4.parameters = vec![notice];
    VersionContent {
        clauses: vec![c1, c2, c3, c4],
    }
}

fn fields(errors: &[crate::error::FieldError]) -> Vec<(&str, &str)> {
    errors.iter().map(|e| (e.field.as_str(), e.code)).collect()
}

#[test]
fn template_kinds_have_codes_and_danish_labels() {
    assert_eq!(TemplateKind::from_code("k04"), Some(TemplateKind::K04));
    assert_eq!(TemplateKind::Own.label(), "Egne vilkår");
    assert_eq!(TemplateKind::Supplier.label(), "Leverandørens vilkår");
    assert_eq!(
        serde_json::to_string(&TemplateKind::Kombit).ok(),
        Some("\"kombit\"".into())
    );
    for kind in TemplateKind::ALL {
        assert_eq!(
            serde_json::to_string(&kind).ok(),
            Some(format!("\"{}\"", kind.code()))
        );
    }
    assert_eq!(TemplateKind::from_code("K04"), None);
}

#[test]
fn content_and_use_have_a_stable_json_form() {
    let json = serde_json::json!({
        "clauses": [{
            "key": "00000000-0000-0000-0000-000000000002",
            "number": "2",
            "heading": "Servicemål",
            "text": "Oppetiden er mindst {{oppetid_procent}}.",
            "required": true,
            "guidance": null,
            "parameters": [{
                "name": "oppetid_procent",
                "label": "Oppetid",
                "kind": "percent",
                "unit": "%",
                "default": {"kind": "percent", "value": "99.5"},
                "min": "90",
                "max": "100"
            }, {
                "name": "opsigelsesvarsel",
                "label": "Opsigelsesvarsel",
                "kind": "duration",
                "duration_unit": "months",
                "default": {"kind": "duration", "value": 3}
            }]
        }]
    });
    let content: VersionContent = serde_json::from_value(json).unwrap_or_default();
    assert_eq!(content.clauses.len(), 1);
    let p = &content.clauses[0].parameters[0];
    assert_eq!(p.default, Some(ParameterValue::Percent(dec("99.5"))));
    assert_eq!(p.min, Some(dec("90")));
    assert!(p.required && p.choices.is_empty());
    assert_eq!(
        content.clauses[0].parameters[1].duration_unit,
        Some(DurationUnit::Months)
    );
    assert_eq!(validate_content(&content), Ok(()));
    let back = serde_json::to_value(&content).unwrap_or_default();
    assert_eq!(
        back["clauses"][0]["parameters"][0]["default"]["value"],
        "99.5"
    );
    assert_eq!(back["clauses"][0]["parameters"][0]["kind"], "percent");

    let used: ContractTemplateUse = serde_json::from_value(serde_json::json!({
        "values": {"oppetid_procent": {"kind": "percent", "value": "99.9"}},
        "deviations": [{"clause_key": "00000000-0000-0000-0000-000000000002", "text": "Ny tekst", "reason": "Aftalt"}]
    }))
    .unwrap_or_default();
    assert_eq!(
        used.values["oppetid_procent"],
        ParameterValue::Percent(dec("99.9"))
    );
    assert_eq!(used.deviations.len(), 1);
    // Unknown fields are refused, never dropped.
    assert!(
        serde_json::from_value::<ContractTemplateUse>(serde_json::json!({"valuez": {}})).is_err()
    );
    // Decimals are strings; a JSON number, let alone a float, is refused.
    assert!(
        serde_json::from_value::<ParameterValue>(
            serde_json::json!({"kind": "money", "value": 100})
        )
        .is_err()
    );
    assert!(
        serde_json::from_value::<ParameterValue>(
            serde_json::json!({"kind": "percent", "value": 99.5})
        )
        .is_err()
    );
}

#[test]
fn a_valid_version_passes() {
    assert_eq!(validate_content(&sample()), Ok(()));
    assert_eq!(validate_content(&VersionContent::default()), Ok(()));
}

#[test]
fn clause_faults_are_reported_by_path() {
    let mut content = sample();
    content.clauses[1].heading = "  ".into();
    content.clauses[2].number = "1".into();
    content.clauses[3].key = key(1);
    content.clauses[0].text = "Se {{ukendt_parameter}} og {{ ukendt_parameter }}.".into();
    content.clauses[2]
        .text
        .push_str(" {{Forkert navn}} og {{åbent");
    content.clauses[0].guidance = Some("a\u{0}b".into());
    let errors = validate_content(&content).err().unwrap_or_default();
    assert_eq!(
        fields(&errors),
        vec![
            ("clauses[0].guidance", "invalid_character"),
            ("clauses[1].heading", "required"),
            ("clauses[2].number", "duplicate"),
            ("clauses[3].key", "duplicate"),
            ("clauses[0].text", "unknown_parameter"),
            ("clauses[2].text", "invalid_reference"),
            ("clauses[2].text", "invalid_reference"),
        ]
    );
    assert!(errors[4].message.contains("ukendt_parameter"));
    let mut long = sample();
    long.clauses[0].heading = "x".repeat(201);
    assert_eq!(
        fields(&validate_content(&long).err().unwrap_or_default()),
        vec![("clauses[0].heading", "too_long")]
    );
}

#[test]
fn parameter_faults_are_reported_by_path() {
    let mut content = sample();
    // Same name in another clause.
    content.clauses[0].parameters = vec![parameter("aarlig_pris", ParameterKind::Integer)];
    let params = &mut content.clauses[1].parameters;
    params[0].min = Some(dec("100"));
    params[0].max = Some(dec("90"));
    params[1].choices.clear();
    let mut bad_name = parameter("Oppetid-Pct", ParameterKind::Text);
    bad_name.min = Some(dec("1"));
    let mut bad_default = parameter("svartid_timer", ParameterKind::Integer);
    bad_default.min = Some(dec("1"));
    bad_default.max = Some(dec("8"));
    bad_default.default = Some(ParameterValue::Integer(12));
    let mut wrong_kind = parameter("rabat", ParameterKind::Percent);
    wrong_kind.default = Some(ParameterValue::Money(dec("5")));
    let mut no_unit = parameter("frist", ParameterKind::Duration);
    no_unit.duration_unit = None;
    let mut choice = parameter("niveau", ParameterKind::Choice);
    choice.choices = vec!["Guld".into(), "Sølv".into(), "Guld".into()];
    choice.default = Some(ParameterValue::Choice("Bronze".into()));
    params.extend([bad_name, bad_default, wrong_kind, no_unit, choice]);
    let errors = validate_content(&content).err().unwrap_or_default();
    assert_eq!(
        fields(&errors),
        vec![
            ("clauses[1].parameters[0].max", "out_of_range"),
            ("clauses[1].parameters[1].choices", "required"),
            ("clauses[1].parameters[1].default", "invalid"),
            ("clauses[1].parameters[2].name", "invalid"),
            ("clauses[1].parameters[2].min", "not_allowed"),
            ("clauses[1].parameters[3].default", "out_of_range"),
            ("clauses[1].parameters[4].default", "invalid_type"),
            ("clauses[1].parameters[5].duration_unit", "required"),
            ("clauses[1].parameters[6].choices[2]", "duplicate"),
            ("clauses[1].parameters[6].default", "invalid"),
            ("clauses[2].parameters[0].name", "duplicate"),
        ]
    );
    assert_eq!(errors[5].message, "Skal være mellem 1 og 8");
}

#[test]
fn a_use_takes_defaults_and_checks_values() {
    let content = sample();
    let mut values = BTreeMap::new();
    values.insert(
        "aarlig_pris".to_owned(),
        ParameterValue::Money(dec("1234567")),
    );
    let resolved = validate_use(
        &content,
        &ContractTemplateUse {
            values,
            deviations: Vec::new(),
        },
    );
    let Ok(resolved) = resolved else {
        panic!("expected a valid use: {resolved:?}");
    };
    assert_eq!(resolved.values["aarlig_pris"].source, ValueSource::Chosen);
    assert_eq!(
        resolved.values["oppetid_procent"].source,
        ValueSource::Default
    );
    assert_eq!(
        resolved.values["oppetid_procent"].value,
        Some(ParameterValue::Percent(dec("99.5")))
    );

    let mut values = BTreeMap::new();
    values.insert(
        "oppetid_procent".to_owned(),
        ParameterValue::Percent(dec("89.9")),
    );
    values.insert(
        "fakturering".to_owned(),
        ParameterValue::Choice("Årlig".into()),
    );
    values.insert("opsigelsesvarsel".to_owned(), ParameterValue::Integer(2));
    values.insert("ukendt".to_owned(), ParameterValue::Text("x".into()));
    let errors = validate_use(
        &content,
        &ContractTemplateUse {
            values,
            deviations: Vec::new(),
        },
    )
    .err()
    .unwrap_or_default();
    assert_eq!(
        fields(&errors),
        vec![
            ("values.fakturering", "invalid"),
            ("values.oppetid_procent", "out_of_range"),
            ("values.opsigelsesvarsel", "invalid_type"),
            ("values.ukendt", "unknown_parameter"),
            ("values.aarlig_pris", "required"),
        ]
    );
    assert_eq!(errors[1].message, "Skal være mellem 90 og 100");
    assert_eq!(errors[4].message, "Årlig pris skal udfyldes");
}

#[test]
fn an_optional_parameter_may_stay_open() {
    let mut content = sample();
    content.clauses[2].parameters[0].required = false;
    let resolved = validate_use(&content, &ContractTemplateUse::default());
    let Ok(resolved) = resolved else {
        panic!("expected a valid use: {resolved:?}");
    };
    assert_eq!(resolved.values["aarlig_pris"].source, ValueSource::Missing);
    let document = fill(&content, &resolved);
    assert_eq!(
        document.clauses[2].text,
        "Prisen er \\[Årlig pris\\] om året."
    );
}

#[test]
fn deviations_need_an_existing_clause_a_text_and_a_reason() {
    let content = sample();
    let mut values = BTreeMap::new();
    values.insert("aarlig_pris".to_owned(), ParameterValue::Money(dec("100")));
    let deviation = |k, text: &str, reason: &str| Deviation {
        clause_key: key(k),
        text: text.into(),
        reason: reason.into(),
    };
    let errors = validate_use(
        &content,
        &ContractTemplateUse {
            values: values.clone(),
            deviations: vec![
                deviation(9, "Tekst", "Grund"),
                deviation(2, " ", "Grund"),
                deviation(3, "Tekst", ""),
                deviation(4, "Tekst {{findes_ikke}}", "Grund"),
                deviation(1, "Tekst", "Grund"),
                deviation(1, "Anden tekst", "Grund"),
            ],
        },
    )
    .err()
    .unwrap_or_default();
    assert_eq!(
        fields(&errors),
        vec![
            ("deviations[0].clause_key", "unknown_clause"),
            ("deviations[1].text", "required"),
            ("deviations[2].reason", "required"),
            ("deviations[3].text", "unknown_parameter"),
            ("deviations[5].clause_key", "duplicate"),
        ]
    );
    let ok = validate_use(
        &content,
        &ContractTemplateUse {
            values,
            deviations: vec![deviation(
                2,
                "  Oppetid {{oppetid_procent}} hele døgnet. ",
                " Kritisk system ",
            )],
        },
    );
    assert!(ok.is_ok_and(|r| r.deviations[&key(2)].reason == "Kritisk system"));
}

#[test]
fn danish_input_is_read_the_danish_way() {
    assert_eq!(parse_danish_decimal("99,5"), Ok(dec("99.5")));
    assert_eq!(parse_danish_decimal("1.234.567,00"), Ok(dec("1234567.00")));
    assert_eq!(parse_danish_decimal("1 234"), Ok(dec("1234")));
    assert_eq!(parse_danish_decimal("-2,5"), Ok(dec("-2.5")));
    assert!(parse_danish_decimal("99.5").is_err());
    assert!(parse_danish_decimal("1.23").is_err());
    assert!(parse_danish_decimal("12,").is_err());
    assert!(parse_danish_decimal("abc").is_err());
    assert!(parse_danish_decimal("").is_err());
    let content = sample();
    let uptime = &content.clauses[1].parameters[0];
    assert_eq!(
        parse_value("values.oppetid_procent", uptime, " 99,5 % "),
        Ok(ParameterValue::Percent(dec("99.5")))
    );
    let errors = parse_value("values.oppetid_procent", uptime, "80")
        .err()
        .unwrap_or_default();
    assert_eq!(errors[0].message, "Skal være mellem 90 og 100");
    let price = &content.clauses[2].parameters[0];
    assert_eq!(
        parse_value("v", price, "1.234.567,00 kr."),
        Ok(ParameterValue::Money(dec("1234567.00")))
    );
    assert!(parse_value("v", price, "10,005").is_err());
    let notice = &content.clauses[3].parameters[0];
    assert_eq!(
        parse_value("v", notice, "3 måneder"),
        Ok(ParameterValue::Duration(3))
    );
    assert!(parse_value("v", notice, "2,5").is_err());
    assert!(parse_value("v", notice, "0").is_err());
}

#[test]
fn values_are_formatted_the_danish_way() {
    assert_eq!(
        format_value(&ParameterValue::Percent(dec("99.50")), None),
        "99,5 %"
    );
    assert_eq!(
        format_value(&ParameterValue::Money(dec("1234567")), None),
        "1.234.567,00 kr."
    );
    assert_eq!(format_money(dec("-1234.5")), "-1.234,50");
    assert_eq!(
        format_value(&ParameterValue::Duration(3), Some(DurationUnit::Months)),
        "3 måneder"
    );
    assert_eq!(
        format_value(&ParameterValue::Duration(1), Some(DurationUnit::Days)),
        "1 dag"
    );
    assert_eq!(format_value(&ParameterValue::Integer(1000), None), "1.000");
    assert_eq!(
        format_value(&ParameterValue::Decimal(dec("0.25")), None),
        "0,25"
    );
}

fn filled_sample() -> super::render::FilledDocument {
    let content = sample();
    let mut values = BTreeMap::new();
    values.insert(
        "aarlig_pris".to_owned(),
        ParameterValue::Money(dec("1234567")),
    );
    let resolved = validate_use(
        &content,
        &ContractTemplateUse {
            values,
            deviations: vec![Deviation {
                clause_key: key(4),
                text: "Aftalen kan opsiges med {{opsigelsesvarsel}} varsel til udgangen af et kvartal.".into(),
                reason: "Kommunens budgetår".into(),
            }],
        },
    );
    let Ok(resolved) = resolved else {
        panic!("expected a valid use: {resolved:?}");
    };
    fill(&content, &resolved)
}

#[test]
fn a_contract_is_filled_with_its_values_and_deviations() {
    let document = filled_sample();
    assert_eq!(
        document.clauses[1].text,
        "Oppetiden er mindst 99,5 % målt pr. måned.\n\n- faktureres Kvartalsvis\n- **vigtigt**"
    );
    assert_eq!(
        document.clauses[2].text,
        "Prisen er 1.234.567,00 kr. om året."
    );
    let notice = &document.clauses[3];
    assert_eq!(
        notice.text,
        "Aftalen kan opsiges med 3 måneder varsel til udgangen af et kvartal."
    );
    assert_eq!(
        notice.template_text,
        "Aftalen kan opsiges med 3 måneder varsel."
    );
    assert_eq!(
        notice.deviation.as_ref().map(|d| d.reason.as_str()),
        Some("Kommunens budgetår")
    );
    assert!(document.clauses[0].deviation.is_none());
    assert_eq!(document.parameters[0].formatted.as_deref(), Some("99,5 %"));
    assert_eq!(document.parameters[0].bounds.as_deref(), Some("90–100"));
}

#[test]
fn values_never_become_markup() {
    let mut content = sample();
    content.clauses[0].parameters = vec![parameter("bemaerkning", ParameterKind::Text)];
    content.clauses[0].text = "Note: {{bemaerkning}}".into();
    let mut values = BTreeMap::new();
    values.insert("aarlig_pris".to_owned(), ParameterValue::Money(dec("1")));
    values.insert(
        "bemaerkning".to_owned(),
        ParameterValue::Text("<img src=x onerror=alert(1)> **fed**".into()),
    );
    let resolved = validate_use(
        &content,
        &ContractTemplateUse {
            values,
            deviations: vec![],
        },
    );
    let Ok(resolved) = resolved else {
        panic!("expected a valid use: {resolved:?}");
    };
    let html = to_html("Kontrakt", &fill(&content, &resolved));
    assert!(
        html.contains("&lt;img src=x onerror=alert(1)&gt; **fed**"),
        "{html}"
    );
    assert!(!html.contains("<img"));
    assert!(!html.contains("<strong>fed"));
}

#[test]
fn html_of_a_version_and_a_contract() {
    let version = to_html("K04 <drift>", &outline(&sample()));
    assert!(version.starts_with("<!DOCTYPE html>"));
    assert!(version.contains("<title>K04 &lt;drift&gt;</title>"));
    assert!(version.contains("Oppetiden er mindst [Oppetid] målt pr. måned."));
    assert!(version.contains("<li><strong>vigtigt</strong></li>"));
    assert!(version.contains("<td>99,5 %</td>"));
    assert!(version.contains("Vejledning:"));
    assert!(version.contains("(valgfri)"));
    let contract = to_html("Driftsaftale", &filled_sample());
    assert!(contract.contains("Prisen er 1.234.567,00 kr. om året."));
    assert!(
        contract.contains("<span class=\"afvigelse-maerke\">Afvigelse:</span> Kommunens budgetår")
    );
    assert!(contract.contains("99,5 % (standard)"));
    assert!(!contract.contains("Vejledning:"));
}

#[test]
fn raw_html_in_clause_text_never_comes_out_as_markup() {
    let mut content = sample();
    content.clauses[0].text = "Før\n\n<script>alert('x')</script>\n\nTekst <b onclick=\"x()\">fed</b> [klik](javascript:alert(1)) [ok](https://kl.dk)".into();
    content.clauses[0].heading = "<script>alert(2)</script>".into();
    let html = to_html("T", &outline(&content));
    assert!(!html.to_lowercase().contains("<script"), "{html}");
    assert!(html.contains("&lt;script&gt;alert("));
    assert!(!html.contains("<b onclick"));
    assert!(!html.contains("javascript:"));
    assert!(html.contains("<a href=\"https://kl.dk\">ok</a>"));
}

fn document_xml(bytes: &[u8]) -> String {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip archive");
    let mut xml = String::new();
    archive
        .by_name("word/document.xml")
        .expect("word/document.xml")
        .read_to_string(&mut xml)
        .expect("UTF-8");
    xml
}

#[test]
fn a_contract_as_a_word_document() {
    let bytes = to_docx("Driftsaftale for ESDH", &filled_sample()).unwrap_or_default();
    let xml = document_xml(&bytes);
    assert!(xml.contains("Driftsaftale for ESDH"));
    assert!(xml.contains("<w:pStyle w:val=\"Title\" />"), "{xml}");
    for heading in [
        "1 Aftalens omfang",
        "2 Servicemål",
        "3 Vederlag",
        "4 Opsigelse (valgfri)",
        "Parametre",
    ] {
        let at = xml
            .find(heading)
            .unwrap_or_else(|| panic!("{heading} missing"));
        let paragraph = &xml[xml[..at].rfind("<w:p>").unwrap_or(0)..at];
        assert!(
            paragraph.contains("<w:pStyle w:val=\"Heading1\" />"),
            "{heading}: {paragraph}"
        );
    }
    assert!(xml.contains("Prisen er 1.234.567,00 kr. om året."));
    assert!(xml.contains("Afvigelse: "));
    assert!(xml.contains("Kommunens budgetår"));
    assert!(xml.contains("<w:highlight w:val=\"yellow\" />"));
    assert!(xml.contains("til udgangen af et kvartal."));
    // The Markdown list is a numbered Word list, its bold text bold.
    assert!(xml.contains("<w:numId w:val=\"10\" />"));
    let vigtigt = xml.find("vigtigt").unwrap_or(0);
    assert!(xml[xml[..vigtigt].rfind("<w:r>").unwrap_or(0)..vigtigt].contains("<w:b />"));
    // The parameter table.
    assert!(xml.contains("<w:tbl>"));
    assert!(xml.contains("opsigelsesvarsel"));
    assert!(xml.contains("90–100"));

    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).expect("a zip archive");
    let mut styles = String::new();
    archive
        .by_name("word/styles.xml")
        .expect("word/styles.xml")
        .read_to_string(&mut styles)
        .expect("UTF-8");
    assert!(styles.contains("<w:name w:val=\"heading 1\" />"));
}

#[test]
fn a_version_as_a_word_document_has_subheadings_and_guidance() {
    let mut content = sample();
    content.clauses[0].text =
        "## Baggrund\n\nTekst *kursiv* med <script>.\n\n1. første\n2. anden".into();
    let xml = document_xml(&to_docx("K04", &outline(&content)).unwrap_or_default());
    let at = xml.find("Baggrund").unwrap_or(0);
    assert!(
        xml[xml[..at].rfind("<w:p>").unwrap_or(0)..at].contains("<w:pStyle w:val=\"Heading2\" />")
    );
    assert!(xml.contains("&lt;script&gt;"));
    assert!(xml.contains("<w:i />"));
    assert!(xml.contains("Vejledning:"));
    assert!(xml.contains("Standardværdi"));
    assert!(xml.contains("<w:numId w:val=\"20\" />"));
}

#[test]
fn identical_versions_have_an_empty_diff() {
    let d = diff(&sample(), &sample());
    assert!(d.is_empty(), "{d:?}");
}

#[test]
fn a_moved_clause_is_one_move() {
    let old = sample();
    let mut new = sample();
    let moved = new.clauses.remove(3);
    new.clauses.insert(0, moved);
    let d = diff(&old, &new);
    assert_eq!(d.moved.len(), 1, "{d:?}");
    assert_eq!(
        (d.moved[0].key, d.moved[0].from, d.moved[0].to),
        (key(4), 3, 0)
    );
    assert!(d.added.is_empty() && d.removed.is_empty() && d.changed.is_empty());
}

#[test]
fn a_word_changed_in_a_sentence() {
    let old = sample();
    let mut new = sample();
    new.clauses[2].text = "Prisen er {{aarlig_pris}} hvert år.".into();
    let d = diff(&old, &new);
    assert_eq!(d.changed.len(), 1);
    let change = &d.changed[0];
    assert_eq!(change.key, key(3));
    assert!(change.fields.is_empty());
    let ops: Vec<(TextOp, &str)> = change
        .text
        .as_deref()
        .unwrap_or_default()
        .iter()
        .map(|c| (c.op, c.text.as_str()))
        .collect();
    assert_eq!(
        ops,
        vec![
            (TextOp::Equal, "Prisen er {{aarlig_pris}} "),
            (TextOp::Delete, "om"),
            (TextOp::Insert, "hvert"),
            (TextOp::Equal, " "),
            (TextOp::Delete, "året."),
            (TextOp::Insert, "år."),
        ]
    );
    let ops = word_diff(
        "Leverandøren skal reagere inden for 4 timer.",
        "Leverandøren skal reagere inden for 2 timer.",
    );
    let changed: Vec<_> = ops
        .iter()
        .filter(|c| c.op != TextOp::Equal)
        .map(|c| (c.op, c.text.as_str()))
        .collect();
    assert_eq!(changed, vec![(TextOp::Delete, "4"), (TextOp::Insert, "2")]);
    let old_text: String = ops
        .iter()
        .filter(|c| c.op != TextOp::Insert)
        .map(|c| c.text.as_str())
        .collect();
    assert_eq!(old_text, "Leverandøren skal reagere inden for 4 timer.");
}

#[test]
fn a_parameter_bound_changed() {
    let old = sample();
    let mut new = sample();
    new.clauses[1].parameters[0].min = Some(dec("95"));
    let d = diff(&old, &new);
    assert!(d.changed.is_empty() && d.moved.is_empty());
    assert_eq!(d.parameters.changed.len(), 1);
    let change = &d.parameters.changed[0];
    assert_eq!(change.name, "oppetid_procent");
    assert_eq!(change.fields.len(), 1);
    assert_eq!(change.fields[0].field, "min");
    assert_eq!(change.fields[0].old, serde_json::json!("90"));
    assert_eq!(change.fields[0].new, serde_json::json!("95"));
}

#[test]
fn a_clause_added_and_one_removed() {
    let old = sample();
    let mut new = sample();
    new.clauses.remove(2);
    new.clauses
        .push(clause(5, "5", "Ophør", "Ved ophør udleveres data."));
    new.clauses[2].number = "3".into();
    let d = diff(&old, &new);
    assert_eq!(d.removed.len(), 1);
    assert_eq!((d.removed[0].key, d.removed[0].index), (key(3), 2));
    assert_eq!(d.added.len(), 1);
    assert_eq!((d.added[0].key, d.added[0].index), (key(5), 3));
    // Removing a clause shifts the rest but moves nothing.
    assert!(d.moved.is_empty(), "{:?}", d.moved);
    assert_eq!(d.changed.len(), 1);
    assert_eq!(d.changed[0].fields[0].field, "number");
    assert_eq!(d.parameters.removed.len(), 1);
    assert_eq!(d.parameters.removed[0].parameter.name, "aarlig_pris");
    let json = serde_json::to_value(&d).unwrap_or_default();
    assert_eq!(json["changed"][0]["fields"][0]["old"], "4");
}
