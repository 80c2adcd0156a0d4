//! A version or a contract as a Word document (.docx), written with
//! `docx-rs`: the title in the Title style, the parameter table and each
//! clause under a real Heading 1 (numbered with the clause's own number),
//! headings inside a clause text as Heading 2 and 3, Markdown paragraphs,
//! lists, bold, italic and strike-through as Word formatting, and each
//! deviation marked by a highlighted "Afvigelse:" paragraph with its reason.

use docx_rs::{
    AbstractNumbering, BreakType, Docx, IndentLevel, Level, LevelJc, LevelOverride, LevelText,
    NumberFormat, Numbering, NumberingId, Paragraph, Run, RunFonts, SpecialIndentType, Start,
    Style, StyleType, Table, TableCell, TableRow,
};
use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::render::{DocumentKind, FilledDocument};
use super::validation::ValueSource;
use crate::error::DomainError;

const BULLET: usize = 10;
const DECIMAL: usize = 11;
/// Numbering instances are numbered from here; ids below are the bullet
/// list's and the library's default.
const FIRST_ORDERED: usize = 20;
const HIGHLIGHT: &str = "yellow";

/// The document as the bytes of a .docx file.
pub fn to_docx(title: &str, document: &FilledDocument) -> Result<Vec<u8>, DomainError> {
    let mut writer = Writer::new();
    writer.paragraph(
        Paragraph::new()
            .style("Title")
            .add_run(Run::new().add_text(title.trim())),
    );
    if !document.parameters.is_empty() {
        writer.paragraph(heading("Heading1", "Parametre"));
        writer.docx = std::mem::take(&mut writer.docx).add_table(parameter_table(document));
    }
    for clause in &document.clauses {
        let mut text = format!("{} {}", clause.number, clause.heading);
        if !clause.required {
            text.push_str(" (valgfri)");
        }
        writer.paragraph(heading("Heading1", &text));
        if let Some(deviation) = &clause.deviation {
            writer.paragraph(
                Paragraph::new()
                    .add_run(
                        Run::new()
                            .add_text("Afvigelse: ")
                            .bold()
                            .highlight(HIGHLIGHT),
                    )
                    .add_run(Run::new().add_text(&deviation.reason).highlight(HIGHLIGHT)),
            );
        }
        writer.markdown(&clause.text);
        if let (DocumentKind::Version, Some(guidance)) = (document.kind, &clause.guidance) {
            writer.paragraph(
                Paragraph::new().add_run(Run::new().add_text("Vejledning:").bold().italic()),
            );
            writer.markdown(guidance);
        }
    }
    let mut bytes = std::io::Cursor::new(Vec::new());
    writer.finish().build().pack(&mut bytes).map_err(|e| {
        DomainError::Internal(format!("the Word document could not be written: {e}"))
    })?;
    Ok(bytes.into_inner())
}

fn heading(style: &str, text: &str) -> Paragraph {
    Paragraph::new()
        .style(style)
        .keep_next(true)
        .add_run(Run::new().add_text(text))
}

fn cell(text: &str, bold: bool) -> TableCell {
    let run = Run::new().add_text(text);
    TableCell::new().add_paragraph(Paragraph::new().add_run(if bold { run.bold() } else { run }))
}

fn parameter_table(document: &FilledDocument) -> Table {
    let value_heading = match document.kind {
        DocumentKind::Version => "Standardværdi",
        DocumentKind::Contract => "Værdi",
    };
    let mut rows = vec![TableRow::new(
        ["Parameter", "Navn", value_heading, "Enhed", "Grænser"]
            .into_iter()
            .map(|h| cell(h, true))
            .collect(),
    )];
    for p in &document.parameters {
        let value = match (&p.formatted, p.source) {
            (Some(v), ValueSource::Default) if document.kind == DocumentKind::Contract => {
                format!("{v} (standard)")
            }
            (Some(v), _) => v.clone(),
            (None, _) => "–".to_owned(),
        };
        rows.push(TableRow::new(vec![
            cell(&p.label, false),
            cell(&p.name, false),
            cell(&value, false),
            cell(p.unit.as_deref().unwrap_or(""), false),
            cell(p.bounds.as_deref().unwrap_or(""), false),
        ]));
    }
    Table::new(rows)
}

/// Builds the document body, turning Markdown into Word paragraphs.
struct Writer {
    docx: Docx,
    next_numbering: usize,
}

#[derive(Default)]
struct Inline {
    bold: usize,
    italic: usize,
    strike: usize,
    code: usize,
}

impl Writer {
    fn new() -> Self {
        let docx = Docx::new()
            .add_style(
                Style::new("Title", StyleType::Paragraph)
                    .name("Title")
                    .size(52)
                    .bold(),
            )
            .add_style(
                Style::new("Heading1", StyleType::Paragraph)
                    .name("heading 1")
                    .based_on("Normal")
                    .next("Normal")
                    .size(32)
                    .bold()
                    .outline_lvl(0),
            )
            .add_style(
                Style::new("Heading2", StyleType::Paragraph)
                    .name("heading 2")
                    .based_on("Normal")
                    .next("Normal")
                    .size(26)
                    .bold()
                    .outline_lvl(1),
            )
            .add_style(
                Style::new("Heading3", StyleType::Paragraph)
                    .name("heading 3")
                    .based_on("Normal")
                    .next("Normal")
                    .size(24)
                    .bold()
                    .italic()
                    .outline_lvl(2),
            )
            .add_abstract_numbering(list_levels(BULLET, "bullet"))
            .add_abstract_numbering(list_levels(DECIMAL, "decimal"))
            .add_numbering(Numbering::new(BULLET, BULLET));
        Self {
            docx,
            next_numbering: FIRST_ORDERED,
        }
    }

    fn paragraph(&mut self, paragraph: Paragraph) {
        self.docx = std::mem::take(&mut self.docx).add_paragraph(paragraph);
    }

    fn finish(self) -> Docx {
        self.docx
    }

    fn markdown(&mut self, markdown: &str) {
        let mut current: Option<Paragraph> = None;
        let mut inline = Inline::default();
        // The numbering of each open list.
        let mut lists: Vec<usize> = Vec::new();
        // The numbering a paragraph opened next takes: the start of a list item.
        let mut pending: Option<(usize, usize)> = None;
        let mut in_code_block = false;
        let flush = |current: &mut Option<Paragraph>, writer: &mut Writer| {
            if let Some(p) = current.take() {
                writer.paragraph(p);
            }
        };
        for event in Parser::new_ext(markdown, Options::ENABLE_STRIKETHROUGH) {
            match event {
                Event::Start(Tag::Paragraph) => {
                    flush(&mut current, self);
                    current = Some(open(None, &mut pending));
                }
                Event::Start(Tag::Heading { level, .. }) => {
                    flush(&mut current, self);
                    let style = if matches!(level, HeadingLevel::H1 | HeadingLevel::H2) {
                        "Heading2"
                    } else {
                        "Heading3"
                    };
                    current = Some(Paragraph::new().style(style).keep_next(true));
                }
                Event::Start(Tag::CodeBlock(_)) => {
                    flush(&mut current, self);
                    in_code_block = true;
                    current = Some(open(None, &mut pending));
                }
                Event::End(TagEnd::CodeBlock) => {
                    in_code_block = false;
                    flush(&mut current, self);
                }
                Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item) => {
                    flush(&mut current, self);
                }
                Event::Start(Tag::List(start)) => {
                    flush(&mut current, self);
                    let id = match start {
                        Some(first) => {
                            let id = self.next_numbering;
                            self.next_numbering += 1;
                            self.docx = std::mem::take(&mut self.docx).add_numbering(
                                Numbering::new(id, DECIMAL).add_override(
                                    LevelOverride::new(0)
                                        .start(usize::try_from(first).unwrap_or(1)),
                                ),
                            );
                            id
                        }
                        None => BULLET,
                    };
                    lists.push(id);
                }
                Event::End(TagEnd::List(_)) => {
                    flush(&mut current, self);
                    lists.pop();
                }
                Event::Start(Tag::Item) => {
                    flush(&mut current, self);
                    if let Some(id) = lists.last() {
                        pending = Some((*id, lists.len().saturating_sub(1).min(2)));
                    }
                }
                Event::Start(Tag::Strong) => inline.bold += 1,
                Event::End(TagEnd::Strong) => inline.bold = inline.bold.saturating_sub(1),
                Event::Start(Tag::Emphasis) => inline.italic += 1,
                Event::End(TagEnd::Emphasis) => inline.italic = inline.italic.saturating_sub(1),
                Event::Start(Tag::Strikethrough) => inline.strike += 1,
                Event::End(TagEnd::Strikethrough) => {
                    inline.strike = inline.strike.saturating_sub(1);
                }
                Event::Text(text) | Event::Html(text) | Event::InlineHtml(text) => {
                    let paragraph = open(current.take(), &mut pending);
                    current = Some(if in_code_block {
                        code_lines(paragraph, &text)
                    } else {
                        paragraph.add_run(styled(&text, &inline))
                    });
                }
                Event::Code(text) => {
                    inline.code += 1;
                    let paragraph = open(current.take(), &mut pending);
                    current = Some(paragraph.add_run(styled(&text, &inline)));
                    inline.code -= 1;
                }
                Event::SoftBreak => {
                    let paragraph = open(current.take(), &mut pending);
                    current = Some(paragraph.add_run(styled(" ", &inline)));
                }
                Event::HardBreak => {
                    let paragraph = open(current.take(), &mut pending);
                    current =
                        Some(paragraph.add_run(Run::new().add_break(BreakType::TextWrapping)));
                }
                Event::Rule => {
                    flush(&mut current, self);
                    self.paragraph(Paragraph::new());
                }
                _ => {}
            }
        }
        flush(&mut current, self);
    }
}

/// The paragraph being written, or a new one (numbered as a list item when
/// one has just started).
fn open(current: Option<Paragraph>, pending: &mut Option<(usize, usize)>) -> Paragraph {
    current.unwrap_or_else(|| {
        let paragraph = Paragraph::new();
        match pending.take() {
            Some((id, level)) => paragraph.numbering(NumberingId::new(id), IndentLevel::new(level)),
            None => paragraph,
        }
    })
}

fn styled(text: &str, inline: &Inline) -> Run {
    let mut run = Run::new().add_text(text);
    if inline.bold > 0 {
        run = run.bold();
    }
    if inline.italic > 0 {
        run = run.italic();
    }
    if inline.strike > 0 {
        run = run.strike();
    }
    if inline.code > 0 {
        run = run.fonts(RunFonts::new().ascii("Consolas").hi_ansi("Consolas"));
    }
    run
}

fn code_lines(mut paragraph: Paragraph, text: &str) -> Paragraph {
    let mono = || RunFonts::new().ascii("Consolas").hi_ansi("Consolas");
    for (i, line) in text.trim_end_matches('\n').split('\n').enumerate() {
        if i > 0 {
            paragraph = paragraph.add_run(Run::new().add_break(BreakType::TextWrapping));
        }
        paragraph = paragraph.add_run(Run::new().add_text(line).fonts(mono()));
    }
    paragraph
}

fn list_levels(id: usize, format: &str) -> AbstractNumbering {
    let mut numbering = AbstractNumbering::new(id);
    for level in 0..3 {
        let text = match format {
            "bullet" => ["•", "◦", "▪"][level].to_owned(),
            _ => format!("%{}.", level + 1),
        };
        let indent = i32::try_from(720 * (level + 1)).unwrap_or(720);
        numbering = numbering.add_level(
            Level::new(
                level,
                Start::new(1),
                NumberFormat::new(format),
                LevelText::new(text),
                LevelJc::new("left"),
            )
            .indent(
                Some(indent),
                Some(SpecialIndentType::Hanging(360)),
                None,
                None,
            ),
        );
    }
    numbering
}
