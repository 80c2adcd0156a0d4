//! Documents from templates: a version with its parameters shown as
//! placeholders, or a contract with its values filled in and its
//! deviations marked; and a printable HTML page of either.
//!
//! Clause texts are Markdown. Values are inserted escaped, so a value never
//! becomes markup; raw HTML in clause texts is shown as text, never passed
//! through, and only http(s) and mailto links survive.

use std::fmt::Write as _;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;
use uuid::Uuid;

use super::model::{DurationUnit, Parameter, ParameterKind, ParameterValue, VersionContent};
use super::validation::{ResolvedUse, ValueSource, parameters, references};

/// Whether a document shows a template version or a contract based on one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    Version,
    Contract,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FilledDocument {
    pub kind: DocumentKind,
    pub clauses: Vec<FilledClause>,
    pub parameters: Vec<FilledParameter>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FilledClause {
    pub key: Uuid,
    pub number: String,
    pub heading: String,
    pub required: bool,
    /// Guidance for the buyer; shown in version documents only.
    pub guidance: Option<String>,
    /// The Markdown that applies: the deviation's text when the clause
    /// deviates, else the template's, with every reference filled in.
    pub text: String,
    /// The template's text with every reference filled in.
    pub template_text: String,
    /// Set when the contract deviates from the template in this clause.
    pub deviation: Option<FilledDeviation>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FilledDeviation {
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FilledParameter {
    pub name: String,
    pub label: String,
    pub kind: ParameterKind,
    pub unit: Option<String>,
    /// The value that applies (a contract) or the default (a version).
    pub value: Option<ParameterValue>,
    /// The value in Danish ("99,5 %"); `None` when there is none.
    pub formatted: Option<String>,
    /// Where the value came from; for a version, `default` or `missing`.
    pub source: ValueSource,
    /// The bounds in Danish ("90–100", "mindst 1", "højst 30"), or the choices.
    pub bounds: Option<String>,
}

/// A version as a document: each reference shows the parameter's label in
/// brackets ("[Oppetid]"), the table lists defaults and bounds.
pub fn outline(content: &VersionContent) -> FilledDocument {
    let clauses = content
        .clauses
        .iter()
        .map(|clause| {
            let text = substitute(&clause.text, &|name| {
                let label = parameters(content)
                    .find(|p| p.name == name)
                    .map_or(name, |p| p.label.trim());
                format!("[{label}]")
            });
            FilledClause {
                key: clause.key,
                number: clause.number.trim().to_owned(),
                heading: clause.heading.trim().to_owned(),
                required: clause.required,
                guidance: clause.guidance.clone().filter(|g| !g.trim().is_empty()),
                template_text: text.clone(),
                text,
                deviation: None,
            }
        })
        .collect();
    let parameters = parameters(content)
        .map(|p| {
            let source = if p.default.is_some() {
                ValueSource::Default
            } else {
                ValueSource::Missing
            };
            filled_parameter(p, p.default.clone(), source)
        })
        .collect();
    FilledDocument {
        kind: DocumentKind::Version,
        clauses,
        parameters,
    }
}

/// A contract as a document: the version's clauses with the values of
/// `resolved` (from `validate_use`) filled in and its deviations applied.
/// An optional parameter left open shows as its label in brackets.
pub fn fill(content: &VersionContent, resolved: &ResolvedUse) -> FilledDocument {
    let value_text = |name: &str| -> String {
        let parameter = parameters(content).find(|p| p.name == name);
        let value = resolved.values.get(name).and_then(|v| v.value.as_ref());
        match (parameter, value) {
            (Some(p), Some(v)) => format_value(v, p.duration_unit),
            (Some(p), None) => format!("[{}]", p.label.trim()),
            (None, _) => format!("[{name}]"),
        }
    };
    let clauses = content
        .clauses
        .iter()
        .map(|clause| {
            let template_text = substitute(&clause.text, &value_text);
            let deviation = resolved.deviations.get(&clause.key);
            FilledClause {
                key: clause.key,
                number: clause.number.trim().to_owned(),
                heading: clause.heading.trim().to_owned(),
                required: clause.required,
                guidance: None,
                text: deviation.map_or_else(
                    || template_text.clone(),
                    |d| substitute(&d.text, &value_text),
                ),
                template_text,
                deviation: deviation.map(|d| FilledDeviation {
                    reason: d.reason.clone(),
                }),
            }
        })
        .collect();
    let parameters = parameters(content)
        .map(|p| {
            let resolved = resolved.values.get(&p.name);
            filled_parameter(
                p,
                resolved.and_then(|r| r.value.clone()),
                resolved.map_or(ValueSource::Missing, |r| r.source),
            )
        })
        .collect();
    FilledDocument {
        kind: DocumentKind::Contract,
        clauses,
        parameters,
    }
}

fn filled_parameter(
    p: &Parameter,
    value: Option<ParameterValue>,
    source: ValueSource,
) -> FilledParameter {
    let bounds = match (p.kind, p.min, p.max) {
        (ParameterKind::Choice, _, _) => Some(p.choices.join(" / ")),
        (_, Some(min), Some(max)) => Some(format!("{}–{}", format_number(min), format_number(max))),
        (_, Some(min), None) => Some(format!("mindst {}", format_number(min))),
        (_, None, Some(max)) => Some(format!("højst {}", format_number(max))),
        (_, None, None) => None,
    };
    FilledParameter {
        name: p.name.clone(),
        label: p.label.trim().to_owned(),
        kind: p.kind,
        unit: p.unit.clone().filter(|u| !u.trim().is_empty()),
        formatted: value.as_ref().map(|v| format_value(v, p.duration_unit)),
        value,
        source,
        bounds,
    }
}

/// Replaces every `{{name}}` of a Markdown text by the Markdown-escaped
/// text `value_of(name)` gives.
fn substitute(text: &str, value_of: &dyn Fn(&str) -> String) -> String {
    let (found, _) = references(text);
    let mut out = String::with_capacity(text.len());
    let mut from = 0;
    for reference in found {
        out.push_str(&text[from..reference.start]);
        out.push_str(&escape_markdown(&value_of(reference.name)));
        from = reference.end;
    }
    out.push_str(&text[from..]);
    out
}

/// Backslash-escapes the characters that could make a value Markdown or HTML.
pub fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '`'
                | '*'
                | '_'
                | '{'
                | '}'
                | '['
                | ']'
                | '<'
                | '>'
                | '('
                | ')'
                | '#'
                | '+'
                | '-'
                | '!'
                | '|'
                | '~'
                | '&'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A value the Danish way: "1.234", "99,5", "99,5 %", "1.234.567,00 kr.",
/// "3 måneder", "14 dage"; text and choices as they are.
pub fn format_value(value: &ParameterValue, unit: Option<DurationUnit>) -> String {
    match value {
        ParameterValue::Integer(n) => format_number(Decimal::from(*n)),
        ParameterValue::Decimal(d) => format_number(*d),
        ParameterValue::Percent(d) => format!("{} %", format_number(*d)),
        ParameterValue::Money(d) => format!("{} kr.", format_money(*d)),
        ParameterValue::Duration(n) => {
            let unit = unit.unwrap_or(DurationUnit::Days);
            format!("{} {}", format_number(Decimal::from(*n)), unit.label(*n))
        }
        ParameterValue::Text(s) | ParameterValue::Choice(s) => s.trim().to_owned(),
    }
}

/// A number the Danish way, without trailing zeros: "1.234.567,5".
pub fn format_number(number: Decimal) -> String {
    danish(number.normalize(), None)
}

/// An amount with two decimals: "1.234.567,00".
pub fn format_money(amount: Decimal) -> String {
    danish(
        amount.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero),
        Some(2),
    )
}

fn danish(number: Decimal, decimals: Option<u32>) -> String {
    let plain = match decimals {
        Some(dp) => format!("{:.*}", dp as usize, number),
        None => number.to_string(),
    };
    let (sign, unsigned) = match plain.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", plain.as_str()),
    };
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let mut grouped = String::new();
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push('.');
        }
        grouped.push(digit);
    }
    if fraction.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped},{fraction}")
    }
}

/// The Markdown of a clause as safe HTML: raw HTML is shown as text, only
/// http(s) and mailto links stay links, images become their description,
/// and headings inside a clause rank below the clause heading.
pub fn markdown_to_html(markdown: &str) -> String {
    let mut html = String::new();
    let mut dropped_links = Vec::new();
    // The same Markdown as the Word document understands: no tables.
    let events =
        Parser::new_ext(markdown, Options::ENABLE_STRIKETHROUGH).filter_map(|event| match event {
            Event::Html(raw) | Event::InlineHtml(raw) => Some(Event::Text(raw)),
            Event::Start(Tag::Link { dest_url, .. }) if !safe_url(&dest_url) => {
                dropped_links.push(());
                None
            }
            Event::End(TagEnd::Link) if dropped_links.pop().is_some() => None,
            Event::Start(Tag::Image { .. }) | Event::End(TagEnd::Image) => None,
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => Some(Event::Start(Tag::Heading {
                level: demote(level),
                id,
                classes,
                attrs,
            })),
            Event::End(TagEnd::Heading(level)) => Some(Event::End(TagEnd::Heading(demote(level)))),
            Event::Start(Tag::FootnoteDefinition(_)) | Event::End(TagEnd::FootnoteDefinition) => {
                None
            }
            other => Some(other),
        });
    pulldown_cmark::html::push_html(&mut html, events);
    html
}

fn safe_url(url: &CowStr<'_>) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://") || lower.starts_with("mailto:")
}

fn demote(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 => HeadingLevel::H3,
        HeadingLevel::H2 => HeadingLevel::H4,
        HeadingLevel::H3 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    }
}

/// Escapes text for HTML element content and attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font-family:Georgia,'Times New Roman',serif;max-width:48rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#111}\
h1{font-size:1.8rem}h2{font-size:1.25rem;margin-top:2rem}\
table{border-collapse:collapse;width:100%;margin:1rem 0}th,td{border:1px solid #999;padding:.3rem .5rem;text-align:left;vertical-align:top}\
.afvigelse{border-left:4px solid #c60;background:#fff4e0;padding:.5rem 1rem}.afvigelse-maerke{font-weight:bold;color:#a40}\
.valgfri{font-weight:normal;font-style:italic;font-size:.9rem}.vejledning{border-left:4px solid #69c;background:#eef5fb;padding:.5rem 1rem;font-size:.95rem}\
@media print{body{margin:0;max-width:none}.clause{break-inside:avoid-page}}";

/// A complete, printable HTML page of a document.
pub fn to_html(title: &str, document: &FilledDocument) -> String {
    let mut page = String::new();
    let title = escape_html(title.trim());
    let _ = write!(
        page,
        "<!DOCTYPE html>\n<html lang=\"da\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{title}</h1>\n"
    );
    if !document.parameters.is_empty() {
        let value_heading = match document.kind {
            DocumentKind::Version => "Standardværdi",
            DocumentKind::Contract => "Værdi",
        };
        let _ = write!(
            page,
            "<h2>Parametre</h2>\n<table class=\"parametre\">\n<thead><tr><th>Parameter</th><th>Navn</th><th>{value_heading}</th><th>Enhed</th><th>Grænser</th></tr></thead>\n<tbody>\n"
        );
        for p in &document.parameters {
            let value = match (&p.formatted, p.source) {
                (Some(v), ValueSource::Default) if document.kind == DocumentKind::Contract => {
                    format!("{} (standard)", escape_html(v))
                }
                (Some(v), _) => escape_html(v),
                (None, _) => "–".to_owned(),
            };
            let _ = writeln!(
                page,
                "<tr><td>{}</td><td><code>{}</code></td><td>{value}</td><td>{}</td><td>{}</td></tr>",
                escape_html(&p.label),
                escape_html(&p.name),
                escape_html(p.unit.as_deref().unwrap_or("")),
                escape_html(p.bounds.as_deref().unwrap_or("")),
            );
        }
        page.push_str("</tbody>\n</table>\n");
    }
    for clause in &document.clauses {
        let class = if clause.deviation.is_some() {
            "clause afvigelse"
        } else {
            "clause"
        };
        let optional = if clause.required {
            ""
        } else {
            " <span class=\"valgfri\">(valgfri)</span>"
        };
        let _ = write!(
            page,
            "<section class=\"{class}\">\n<h2>{} {}{optional}</h2>\n",
            escape_html(&clause.number),
            escape_html(&clause.heading),
        );
        if let Some(deviation) = &clause.deviation {
            let _ = writeln!(
                page,
                "<p><span class=\"afvigelse-maerke\">Afvigelse:</span> {}</p>",
                escape_html(&deviation.reason)
            );
        }
        page.push_str(&markdown_to_html(&clause.text));
        if let (DocumentKind::Version, Some(guidance)) = (document.kind, &clause.guidance) {
            let _ = write!(
                page,
                "<aside class=\"vejledning\"><strong>Vejledning:</strong>\n{}</aside>\n",
                markdown_to_html(guidance)
            );
        }
        page.push_str("</section>\n");
    }
    page.push_str("</body>\n</html>\n");
    page
}
