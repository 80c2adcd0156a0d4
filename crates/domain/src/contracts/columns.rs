//! The columns of the contract register as a spreadsheet: their order, the
//! Danish header, the other names a header may have in a file (English,
//! abbreviations), what kind of value each holds, how a value is written
//! on export and how a cell is read on import. Export writes exactly these
//! columns and an import of an exported file reads every value back.

use std::str::FromStr;

use chrono::{Datelike, Duration, NaiveDate};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use super::options::{self, OptionList};

/// What a column holds.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    /// Free text on one or more lines.
    Text,
    /// Several names, separated by "; " (the IT systems).
    TextList,
    /// A Danish company number.
    Cvr,
    Date,
    /// Kroner with at most two decimals.
    Money,
    /// A whole number, not negative.
    Integer,
    /// One code of a fixed list, written as its Danish label.
    Option(&'static OptionList),
    /// Codes of a fixed list, written as Danish labels separated by "; ".
    MultiOption(&'static OptionList),
    /// Ja/Nej.
    Bool,
    /// Computed from the other columns: written on export, ignored on import.
    Derived,
}

/// One column of the register.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    /// The field key (the names used in mappings and error reports).
    pub key: &'static str,
    /// The Danish header, as export writes it.
    pub header: &'static str,
    /// The English header.
    pub english: &'static str,
    /// Other headers that mean this column (abbreviations, older names).
    pub aliases: &'static [&'static str],
    pub kind: Kind,
}

const fn col(
    key: &'static str,
    header: &'static str,
    english: &'static str,
    aliases: &'static [&'static str],
    kind: Kind,
) -> Column {
    Column {
        key,
        header,
        english,
        aliases,
        kind,
    }
}

/// The register's columns in export order; every one but the derived ones
/// can be imported.
pub const COLUMNS: &[Column] = &[
    col(
        "title",
        "Titel",
        "Title",
        &["Kontrakt", "Kontraktnavn", "Navn", "Name", "Contract"],
        Kind::Text,
    ),
    col(
        "reference",
        "Referencenummer",
        "Reference number",
        &[
            "Reference",
            "Ref.",
            "Ref",
            "Ref. nr.",
            "Kontraktnummer",
            "Kontrakt nr.",
            "Contract number",
            "Sagsnummer",
        ],
        Kind::Text,
    ),
    col("description", "Beskrivelse", "Description", &[], Kind::Text),
    col(
        "status",
        "Status",
        "Status",
        &[],
        Kind::Option(&options::STATUSES),
    ),
    col(
        "contract_type",
        "Kontrakttype",
        "Contract type",
        &["Type", "Aftaletype"],
        Kind::Option(&options::CONTRACT_TYPES),
    ),
    col(
        "parent_reference",
        "Hovedkontrakt (referencenummer)",
        "Main contract (reference number)",
        &[
            "Hovedkontrakt",
            "Main contract",
            "Parent contract",
            "Parent reference",
        ],
        Kind::Text,
    ),
    col(
        "supplier_cvr",
        "Leverandør CVR",
        "Supplier CVR",
        &[
            "CVR",
            "CVR-nr.",
            "CVR nr",
            "CVR-nummer",
            "Leverandør CVR-nr.",
            "Leverandørens CVR",
            "Supplier company number",
            "Company number",
        ],
        Kind::Cvr,
    ),
    col(
        "supplier_name",
        "Leverandør",
        "Supplier",
        &[
            "Leverandørnavn",
            "Leverandør navn",
            "Leverandørens navn",
            "Supplier name",
        ],
        Kind::Text,
    ),
    col(
        "systems",
        "IT-systemer",
        "IT systems",
        &["IT-system", "System", "Systemer", "Systems"],
        Kind::TextList,
    ),
    col(
        "category",
        "Kategori",
        "Category",
        &["Område", "Fagområde"],
        Kind::Text,
    ),
    col(
        "cpv_code",
        "CPV-kode",
        "CPV code",
        &["CPV", "CPV-nr."],
        Kind::Text,
    ),
    col(
        "agreement_elements",
        "Aftaleelementer",
        "Agreement elements",
        &["Aftaleelement", "Elementer", "Ydelser", "Elements"],
        Kind::MultiOption(&options::AGREEMENT_ELEMENTS),
    ),
    col(
        "procedure",
        "Udbudsform",
        "Procurement procedure",
        &["Procedure", "Udbudsprocedure"],
        Kind::Option(&options::PROCEDURES),
    ),
    col(
        "framework_agreement",
        "Rammeaftale",
        "Framework agreement",
        &["SKI-aftale", "SKI aftale"],
        Kind::Text,
    ),
    col(
        "annual_value",
        "Årlig værdi (kr.)",
        "Annual value (DKK)",
        &[
            "Årlig værdi",
            "Årlig pris",
            "Værdi pr. år",
            "Annual value",
            "Yearly value",
        ],
        Kind::Money,
    ),
    col(
        "total_value",
        "Samlet værdi (kr.)",
        "Total value (DKK)",
        &[
            "Samlet værdi",
            "Kontraktsum",
            "Kontraktværdi",
            "Total value",
            "Contract value",
        ],
        Kind::Money,
    ),
    col(
        "payment_model",
        "Betalingsmodel",
        "Payment model",
        &["Afregningsmodel"],
        Kind::Option(&options::PAYMENT_MODELS),
    ),
    col(
        "payment_frequency",
        "Betalingsfrekvens",
        "Payment frequency",
        &["Afregningsfrekvens", "Betaling"],
        Kind::Option(&options::PAYMENT_FREQUENCIES),
    ),
    col(
        "price_regulation",
        "Prisregulering",
        "Price regulation",
        &["Regulering"],
        Kind::Text,
    ),
    col(
        "signed_on",
        "Underskrevet",
        "Signed",
        &[
            "Underskrevet dato",
            "Underskriftsdato",
            "Signed on",
            "Date signed",
        ],
        Kind::Date,
    ),
    col(
        "start_on",
        "Startdato",
        "Start date",
        &[
            "Start",
            "Ikrafttræden",
            "Kontraktstart",
            "Start on",
            "Begins",
        ],
        Kind::Date,
    ),
    col(
        "end_on",
        "Slutdato",
        "End date",
        &[
            "Slut",
            "Udløb",
            "Udløbsdato",
            "Kontraktudløb",
            "End on",
            "Expiry",
            "Expires",
        ],
        Kind::Date,
    ),
    col(
        "irrevocable_until",
        "Uopsigelig til",
        "Irrevocable until",
        &["Uopsigelighed", "Uopsigelig indtil", "Non-terminable until"],
        Kind::Date,
    ),
    col(
        "option_months",
        "Option (måneder)",
        "Option (months)",
        &[
            "Option",
            "Optionslængde",
            "Option months",
            "Extension option (months)",
        ],
        Kind::Integer,
    ),
    col(
        "options_total",
        "Optioner i alt",
        "Options in total",
        &["Antal optioner", "Options total", "Number of options"],
        Kind::Integer,
    ),
    col(
        "options_exercised",
        "Optioner udnyttet",
        "Options exercised",
        &["Udnyttede optioner", "Options used"],
        Kind::Integer,
    ),
    col(
        "notice_period_months",
        "Opsigelsesvarsel (måneder)",
        "Notice period (months)",
        &["Opsigelsesvarsel", "Varsel", "Notice period"],
        Kind::Integer,
    ),
    col(
        "notice_to",
        "Opsigelse til udgangen af",
        "Notice to the end of",
        &["Opsigelse til", "Notice to"],
        Kind::Option(&options::NOTICE_TO),
    ),
    col(
        "terminated_on",
        "Opsagt pr.",
        "Terminated on",
        &["Opsagt", "Opsagt dato", "Terminated"],
        Kind::Date,
    ),
    col(
        "retender_lead_months",
        "Genudbud forberedes (måneder før)",
        "Re-tender lead time (months)",
        &[
            "Genudbud forberedes",
            "Forberedelse af genudbud (måneder)",
            "Re-tender lead months",
        ],
        Kind::Integer,
    ),
    col(
        "system_owner",
        "Systemejer",
        "System owner",
        &["Ejer", "Owner"],
        Kind::Text,
    ),
    col(
        "responsible_unit",
        "Ansvarlig enhed",
        "Responsible unit",
        &[
            "Ansvarlig afdeling",
            "Afdeling",
            "Enhed",
            "Forvaltning",
            "Department",
        ],
        Kind::Text,
    ),
    col(
        "supplier_contact",
        "Kontaktperson hos leverandør",
        "Contact at supplier",
        &["Kontaktperson", "Leverandørkontakt", "Supplier contact"],
        Kind::Text,
    ),
    col(
        "criticality",
        "Kritikalitet",
        "Criticality",
        &["Kritisk"],
        Kind::Option(&options::CRITICALITIES),
    ),
    col(
        "notes",
        "Noter",
        "Notes",
        &[
            "Note",
            "Bemærkninger",
            "Bemærkning",
            "Kommentar",
            "Comments",
        ],
        Kind::Text,
    ),
    col(
        "publishable",
        "Offentliggøres (OCDS)",
        "Publishable (OCDS)",
        &["Offentliggøres", "OCDS", "Publish", "Publishable"],
        Kind::Bool,
    ),
];

/// The columns export writes after the register's own; import ignores them
/// (the owning user is chosen among the municipality's users, not read).
pub const DERIVED: &[Column] = &[
    col(
        "owner_user",
        "Kontraktejer",
        "Contract owner",
        &[],
        Kind::Derived,
    ),
    col(
        "notice_deadline",
        "Opsigelsesfrist",
        "Notice deadline",
        &[],
        Kind::Derived,
    ),
    col(
        "retender_start",
        "Genudbud starter",
        "Re-tender starts",
        &[],
        Kind::Derived,
    ),
    col(
        "effective_end",
        "Effektiv slutdato",
        "Effective end",
        &[],
        Kind::Derived,
    ),
    col(
        "latest_end",
        "Seneste slutdato",
        "Latest end",
        &[],
        Kind::Derived,
    ),
];

/// The column with this field key, the derived ones included.
pub fn by_key(key: &str) -> Option<&'static Column> {
    COLUMNS.iter().chain(DERIVED).find(|c| c.key == key)
}

// ---------------------------------------------------------------------------
// Headers

/// A header reduced for comparison: lower case, without diacritics, spaces
/// and punctuation ("Leverandør CVR" and "leverandor-cvr" are the same).
pub fn normalise_header(header: &str) -> String {
    let mut out = String::with_capacity(header.len());
    for c in header.chars().flat_map(char::to_lowercase) {
        match c {
            'æ' | 'ä' => out.push_str("ae"),
            'ø' | 'ö' | 'ó' | 'ò' | 'ô' => out.push('o'),
            'å' | 'á' | 'à' | 'â' => out.push('a'),
            'é' | 'è' | 'ê' | 'ë' => out.push('e'),
            'ü' | 'ú' | 'ù' => out.push('u'),
            'í' | 'ì' | 'ï' => out.push('i'),
            c if c.is_alphanumeric() => out.push(c),
            _ => {}
        }
    }
    // "oe" and "aa" are the ASCII spellings of ø and å.
    out.replace("oe", "o").replace("aa", "a")
}

/// The importable column a header names, if any (derived columns give `None`).
pub fn suggest(header: &str) -> Option<&'static Column> {
    let wanted = normalise_header(header);
    if wanted.is_empty() {
        return None;
    }
    let names = |c: &'static Column| {
        std::iter::once(c.header)
            .chain(std::iter::once(c.english))
            .chain(std::iter::once(c.key))
            .chain(c.aliases.iter().copied())
    };
    COLUMNS
        .iter()
        .find(|c| names(c).any(|name| normalise_header(name) == wanted))
}

/// Whether a header names one of the derived columns (which import ignores).
pub fn is_derived_header(header: &str) -> bool {
    let wanted = normalise_header(header);
    DERIVED
        .iter()
        .any(|c| normalise_header(c.header) == wanted || normalise_header(c.english) == wanted)
}

// ---------------------------------------------------------------------------
// Writing values (export)

/// The Danish label of a code (the code itself when the list does not have it).
pub fn option_label(list: &OptionList, code: &str) -> String {
    list.values
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, label)| (*label).to_owned())
        .unwrap_or_else(|| code.to_owned())
}

/// Several values in one cell, separated by "; ".
pub fn join_list<S: AsRef<str>>(values: &[S]) -> String {
    values
        .iter()
        .map(AsRef::as_ref)
        .collect::<Vec<_>>()
        .join("; ")
}

/// Codes as their Danish labels, separated by "; ".
pub fn option_labels(list: &OptionList, codes: &[String]) -> String {
    join_list(
        &codes
            .iter()
            .map(|c| option_label(list, c))
            .collect::<Vec<_>>(),
    )
}

pub fn bool_text(value: bool) -> &'static str {
    if value { "Ja" } else { "Nej" }
}

/// A date as written in a CSV file: dd-mm-åååå.
pub fn date_text(date: NaiveDate) -> String {
    date.format("%d-%m-%Y").to_string()
}

/// An amount as written in a CSV file: a decimal comma, no thousands separator
/// ("1234567,89"), so that Danish spreadsheets read it as a number.
pub fn money_text(value: Decimal) -> String {
    value.normalize().to_string().replace('.', ",")
}

// ---------------------------------------------------------------------------
// Reading values (import)

/// A cell as read from a CSV or XLSX file.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    /// A number cell of a spreadsheet (XLSX stores numbers as binary floating point).
    Number(f64),
    /// A date cell of a spreadsheet.
    Date(NaiveDate),
    Bool(bool),
}

impl Cell {
    /// The cell as text, the way a person reads it (numbers without a needless ".0").
    pub fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => s.trim().to_owned(),
            Cell::Number(n) => number_text(*n),
            Cell::Date(d) => date_text(*d),
            Cell::Bool(b) => bool_text(*b).to_owned(),
        }
    }

    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }
}

fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// A value read from a cell, of its column's kind.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    Texts(Vec<String>),
    Date(NaiveDate),
    Money(Decimal),
    Integer(u32),
    Code(String),
    Codes(Vec<String>),
    Bool(bool),
}

/// Reads a cell as a value of `kind`: `Ok(None)` for an empty cell, `Err`
/// with a Danish message for a value that is not of the kind.
pub fn parse_cell(kind: Kind, cell: &Cell) -> Result<Option<Value>, String> {
    if cell.is_empty() {
        return Ok(None);
    }
    let value = match kind {
        Kind::Text | Kind::Cvr => Value::Text(cell.text()),
        Kind::TextList => {
            let names = split_list(&cell.text(), &[';', '\n']);
            if names.is_empty() {
                return Ok(None);
            }
            Value::Texts(names)
        }
        Kind::Date => Value::Date(match cell {
            Cell::Date(d) => *d,
            Cell::Number(n) => excel_serial_date(*n)?,
            other => parse_date(&other.text())?,
        }),
        Kind::Money => Value::Money(match cell {
            Cell::Number(n) => decimal_of_float(*n)?,
            other => parse_decimal(&other.text())?,
        }),
        Kind::Integer => Value::Integer(match cell {
            Cell::Number(n) => integer_of(decimal_of_float(*n)?)?,
            other => integer_of(parse_decimal(&other.text())?)?,
        }),
        Kind::Option(list) => Value::Code(parse_option(list, &cell.text())?),
        Kind::MultiOption(list) => {
            let parts = split_list(&cell.text(), &[';', ',', '\n']);
            if parts.is_empty() {
                return Ok(None);
            }
            Value::Codes(
                parts
                    .iter()
                    .map(|p| parse_option(list, p))
                    .collect::<Result<Vec<_>, _>>()?,
            )
        }
        Kind::Bool => Value::Bool(match cell {
            Cell::Bool(b) => *b,
            other => parse_bool(&other.text())?,
        }),
        Kind::Derived => return Ok(None),
    };
    Ok(Some(value))
}

fn split_list(text: &str, separators: &[char]) -> Vec<String> {
    text.split(|c| separators.contains(&c))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A code of `list` given as the code or its Danish label, in any case.
pub fn parse_option(list: &OptionList, text: &str) -> Result<String, String> {
    let wanted = text.trim().to_lowercase();
    list.values
        .iter()
        .find(|(code, label)| *code == wanted || label.to_lowercase() == wanted)
        .map(|(code, _)| (*code).to_owned())
        .ok_or_else(|| {
            let labels: Vec<&str> = list.values.iter().map(|(_, l)| *l).collect();
            format!(
                "«{}» er ikke en gyldig værdi; brug en af: {}",
                text.trim(),
                labels.join(", ")
            )
        })
}

pub fn parse_bool(text: &str) -> Result<bool, String> {
    match text.trim().to_lowercase().as_str() {
        "ja" | "j" | "yes" | "y" | "true" | "sand" | "1" | "x" => Ok(true),
        "nej" | "n" | "no" | "false" | "falsk" | "0" => Ok(false),
        other => Err(format!("«{other}» er hverken Ja eller Nej")),
    }
}

fn decimal_of_float(n: f64) -> Result<Decimal, String> {
    if !n.is_finite() {
        return Err("ikke et tal".into());
    }
    // The shortest text that reads back as the same float is what the user typed.
    Decimal::from_str(&format!("{n}"))
        .or_else(|_| Decimal::from_scientific(&format!("{n:e}")))
        .map_err(|_| "tallet er for stort".to_owned())
}

fn integer_of(value: Decimal) -> Result<u32, String> {
    if value.is_sign_negative() && !value.is_zero() {
        return Err("må ikke være negativ".into());
    }
    if !value.fract().is_zero() {
        return Err("skal være et helt tal".into());
    }
    value
        .trunc()
        .to_u32()
        .ok_or_else(|| "tallet er for stort".to_owned())
}

/// An amount as people write it in Danish and English spreadsheets:
/// "1.234.567,89", "1234567,89", "1,234,567.89", "kr. 1.000", "-500",
/// "1 000 kr.", "(500)".
pub fn parse_decimal(text: &str) -> Result<Decimal, String> {
    let original = text.trim();
    let mut s: String = original
        .to_lowercase()
        .replace("kr.", "")
        .replace("kr", "")
        .replace("dkk", "")
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}' && *c != '\'')
        .collect();
    // "750,-": whole kroner, as on a price tag.
    if let Some(whole) = s.strip_suffix(",-") {
        s = whole.to_owned();
    }
    let mut negative = false;
    if s.starts_with('(') && s.ends_with(')') && s.len() > 2 {
        negative = true;
        s = s[1..s.len() - 1].to_owned();
    }
    if let Some(rest) = s.strip_prefix('-').or_else(|| s.strip_prefix('−')) {
        negative = !negative;
        s = rest.to_owned();
    } else if let Some(rest) = s.strip_suffix('-') {
        negative = !negative;
        s = rest.to_owned();
    } else if let Some(rest) = s.strip_prefix('+') {
        s = rest.to_owned();
    }
    let not_a_number = || format!("«{original}» er ikke et beløb eller tal");
    if s.is_empty()
        || !s
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
    {
        return Err(not_a_number());
    }
    let dots = s.matches('.').count();
    let commas = s.matches(',').count();
    let plain = match (dots, commas) {
        (0, 0) => s.clone(),
        // Both: the last one is the decimal separator.
        (_, _) if dots > 0 && commas > 0 => {
            let last_dot = s.rfind('.').unwrap_or(0);
            let last_comma = s.rfind(',').unwrap_or(0);
            let (thousands, decimal) = if last_comma > last_dot {
                ('.', ',')
            } else {
                (',', '.')
            };
            if s.matches(decimal).count() > 1
                || !grouped(&s[..s.rfind(decimal).unwrap_or(0)], thousands)
            {
                return Err(not_a_number());
            }
            s.replace(thousands, "").replace(decimal, ".")
        }
        // Several of one: thousands separators.
        (d, 0) if d > 1 => {
            if !grouped(&s, '.') {
                return Err(not_a_number());
            }
            s.replace('.', "")
        }
        (0, c) if c > 1 => {
            if !grouped(&s, ',') {
                return Err(not_a_number());
            }
            s.replace(',', "")
        }
        // One comma: the Danish decimal comma.
        (0, _) => s.replace(',', "."),
        // One dot: a Danish thousands separator when three digits follow
        // ("1.000"), otherwise a decimal point ("12.5").
        (_, _) => {
            if grouped(&s, '.') {
                s.replace('.', "")
            } else {
                s.clone()
            }
        }
    };
    let value = Decimal::from_str(&plain).map_err(|_| not_a_number())?;
    Ok(if negative { -value } else { value })
}

/// Whether `s` is digits grouped in threes by `sep` ("1.234.567").
fn grouped(s: &str, sep: char) -> bool {
    let mut groups = s.split(sep);
    let first = groups.next().unwrap_or("");
    !first.is_empty()
        && first.len() <= 3
        && first.chars().all(|c| c.is_ascii_digit())
        && groups.all(|g| g.len() == 3 && g.chars().all(|c| c.is_ascii_digit()))
        && s.contains(sep)
}

/// A date as people write it: 31-12-2027, 31.12.2027, 31/12/2027, 2027-12-31
/// (a time after it is ignored), or an Excel serial day number.
pub fn parse_date(text: &str) -> Result<NaiveDate, String> {
    let s = text.trim();
    let invalid = || format!("«{s}» er ikke en dato (brug fx 31-12-2027)");
    // An ISO timestamp or "dd-mm-yyyy hh:mm": the date part.
    let date_part = s.split([' ', 'T']).next().unwrap_or(s);
    if !date_part.is_empty()
        && date_part.chars().all(|c| c.is_ascii_digit())
        && date_part.len() <= 6
    {
        let serial: f64 = date_part.parse().map_err(|_| invalid())?;
        return excel_serial_date(serial);
    }
    let parts: Vec<&str> = date_part.split(['-', '.', '/']).collect();
    if parts.len() != 3
        || parts
            .iter()
            .any(|p| p.is_empty() || !p.chars().all(|c| c.is_ascii_digit()))
    {
        return Err(invalid());
    }
    let number = |p: &str| p.parse::<u32>().map_err(|_| invalid());
    let (year, month, day) = if parts[0].len() == 4 {
        (number(parts[0])?, number(parts[1])?, number(parts[2])?)
    } else if parts[2].len() == 4 && parts[0].len() <= 2 && parts[1].len() <= 2 {
        (number(parts[2])?, number(parts[1])?, number(parts[0])?)
    } else {
        return Err(invalid());
    };
    let year = i32::try_from(year).map_err(|_| invalid())?;
    NaiveDate::from_ymd_opt(year, month, day).ok_or_else(|| format!("{s} findes ikke i kalenderen"))
}

/// The day an Excel serial number stands for (1 = 1 January 1900, with
/// Excel's phantom 29 February 1900).
pub fn excel_serial_date(serial: f64) -> Result<NaiveDate, String> {
    if !serial.is_finite() || !(1.0..=2_958_465.0).contains(&serial) {
        return Err(format!("{} er ikke en dato", number_text(serial)));
    }
    let days = serial.floor() as i64;
    let base = NaiveDate::from_ymd_opt(1899, 12, 30).unwrap_or_default();
    let date = base + Duration::days(if days < 61 { days + 1 } else { days });
    if date.year() < 1900 {
        return Err(format!("{} er ikke en dato", number_text(serial)));
    }
    Ok(date)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    #[test]
    fn headers_are_distinct_and_found_in_any_spelling() {
        let mut seen = std::collections::HashMap::new();
        for c in COLUMNS {
            for name in [c.header, c.english, c.key].iter().chain(c.aliases) {
                let key = normalise_header(name);
                if let Some(other) = seen.insert(key.clone(), c.key) {
                    assert_eq!(other, c.key, "{name} names both {other} and {}", c.key);
                }
            }
        }
        assert_eq!(
            suggest("Leverandør CVR").map(|c| c.key),
            Some("supplier_cvr")
        );
        assert_eq!(
            suggest("  leverandoer-cvr ").map(|c| c.key),
            Some("supplier_cvr")
        );
        assert_eq!(
            suggest("ÅRLIG VÆRDI (KR.)").map(|c| c.key),
            Some("annual_value")
        );
        assert_eq!(
            suggest("Aarlig vaerdi").map(|c| c.key),
            Some("annual_value")
        );
        assert_eq!(suggest("End date").map(|c| c.key), Some("end_on"));
        assert_eq!(suggest("Supplier").map(|c| c.key), Some("supplier_name"));
        assert_eq!(suggest("Opsigelsesfrist").map(|c| c.key), None);
        assert!(is_derived_header("Opsigelsesfrist"));
        assert_eq!(suggest("Noget andet").map(|c| c.key), None);
        assert_eq!(COLUMNS.len(), 36);
    }

    #[test]
    fn amounts_in_danish_and_english_notation() {
        let dec = |s: &str| Decimal::from_str(s).unwrap_or_default();
        for (text, expected) in [
            ("1.234.567,89", "1234567.89"),
            ("1234567,89", "1234567.89"),
            ("1,234,567.89", "1234567.89"),
            ("kr. 1.000", "1000"),
            ("1.000 kr.", "1000"),
            ("1 000 000", "1000000"),
            ("12.5", "12.5"),
            ("-500,50", "-500.50"),
            ("(200)", "-200"),
            ("750,-", "750"),
            ("0", "0"),
        ] {
            assert_eq!(parse_decimal(text), Ok(dec(expected)), "{text}");
        }
        for text in ["abc", "1,2,3", "1.2.3", "", "12-3"] {
            assert!(parse_decimal(text).is_err(), "{text}");
        }
        assert_eq!(money_text(dec("1234567.89")), "1234567,89");
        assert_eq!(parse_decimal(&money_text(dec("1000.5"))), Ok(dec("1000.5")));
    }

    #[test]
    fn dates_in_the_usual_notations() {
        for text in [
            "31-12-2027",
            "31.12.2027",
            "31/12/2027",
            "2027-12-31",
            " 2027-12-31T00:00:00 ",
            "46752",
        ] {
            assert_eq!(parse_date(text), Ok(d(2027, 12, 31)), "{text}");
        }
        assert_eq!(parse_date("1-2-2027"), Ok(d(2027, 2, 1)));
        assert!(
            parse_date("31-02-2027")
                .unwrap_err()
                .contains("findes ikke")
        );
        assert!(parse_date("2027/13/01").is_err());
        assert!(parse_date("i morgen").is_err());
        assert_eq!(excel_serial_date(1.0), Ok(d(1900, 1, 1)));
        assert_eq!(excel_serial_date(61.0), Ok(d(1900, 3, 1)));
        assert_eq!(parse_date(&date_text(d(2026, 1, 5))), Ok(d(2026, 1, 5)));
    }

    #[test]
    fn cells_of_each_kind() {
        let text = |s: &str| Cell::Text(s.into());
        assert_eq!(
            parse_cell(Kind::Money, &Cell::Number(1234.5)),
            Ok(Some(Value::Money(Decimal::new(12345, 1))))
        );
        assert_eq!(
            parse_cell(Kind::Integer, &text("12")),
            Ok(Some(Value::Integer(12)))
        );
        assert_eq!(
            parse_cell(Kind::Integer, &Cell::Number(6.0)),
            Ok(Some(Value::Integer(6)))
        );
        assert!(parse_cell(Kind::Integer, &text("1,5")).is_err());
        assert!(parse_cell(Kind::Integer, &text("-3")).is_err());
        assert_eq!(
            parse_cell(Kind::Option(&options::STATUSES), &text(" aktiv ")),
            Ok(Some(Value::Code("active".into())))
        );
        assert_eq!(
            parse_cell(Kind::Option(&options::STATUSES), &text("expired")),
            Ok(Some(Value::Code("expired".into())))
        );
        assert!(parse_cell(Kind::Option(&options::STATUSES), &text("Måske")).is_err());
        let labels = option_labels(
            &options::AGREEMENT_ELEMENTS,
            &["licence".into(), "operation".into()],
        );
        assert_eq!(labels, "Licens; Drift");
        assert_eq!(
            parse_cell(
                Kind::MultiOption(&options::AGREEMENT_ELEMENTS),
                &text(&labels)
            ),
            Ok(Some(Value::Codes(vec![
                "licence".into(),
                "operation".into()
            ])))
        );
        assert_eq!(
            parse_cell(Kind::TextList, &text("KMD Sag; Outlook ;")),
            Ok(Some(Value::Texts(vec!["KMD Sag".into(), "Outlook".into()])))
        );
        assert_eq!(
            parse_cell(Kind::Bool, &text(bool_text(true))),
            Ok(Some(Value::Bool(true)))
        );
        assert_eq!(
            parse_cell(Kind::Bool, &text("Nej")),
            Ok(Some(Value::Bool(false)))
        );
        assert_eq!(
            parse_cell(Kind::Date, &Cell::Number(46752.0)),
            Ok(Some(Value::Date(d(2027, 12, 31))))
        );
        assert_eq!(
            parse_cell(Kind::Cvr, &Cell::Number(12345674.0)),
            Ok(Some(Value::Text("12345674".into())))
        );
        assert_eq!(parse_cell(Kind::Text, &text("   ")), Ok(None));
        assert_eq!(
            parse_cell(Kind::Text, &text(" Titel  ")),
            Ok(Some(Value::Text("Titel".into())))
        );
    }
}
