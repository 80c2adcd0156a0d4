//! Reading a contract register from a file: CSV (any usual delimiter and
//! encoding) or XLSX, into rows of cells numbered as in the file; finding
//! the header row; describing the columns with sample values and the field
//! each header suggests. Pure: no database.

mod delimited;
mod workbook;

use serde::{Deserialize, Serialize};

use super::columns::{self, Cell};

pub use delimited::decode_text;

/// The largest file an import accepts.
pub const MAX_BYTES: usize = 20 * 1024 * 1024;

/// A row of the file: its number as a spreadsheet program shows it (from 1)
/// and its cells.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub number: usize,
    pub cells: Vec<Cell>,
}

impl Row {
    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(Cell::is_empty)
    }

    pub fn cell(&self, index: usize) -> &Cell {
        self.cells.get(index).unwrap_or(&Cell::Empty)
    }
}

/// How the file was read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Format {
    /// `csv` or `xlsx`.
    pub kind: String,
    /// The CSV delimiter: `,`, `;` or a tab.
    pub delimiter: Option<String>,
    /// The CSV encoding: `UTF-8`, `UTF-8 (BOM)`, `UTF-16` or `windows-1252`.
    pub encoding: Option<String>,
    /// The worksheet read.
    pub sheet: Option<String>,
    /// Every worksheet of an XLSX file.
    pub sheets: Vec<String>,
}

/// Why a file cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    /// Not a CSV or XLSX file (415).
    Unsupported(String),
    /// A CSV or XLSX file that cannot be read, or holds no rows (422).
    Unreadable(String),
}

/// A file read into rows.
#[derive(Debug, Clone)]
pub struct Table {
    pub format: Format,
    pub rows: Vec<Row>,
}

/// Reads `bytes` as CSV or XLSX, judged by the content (the name only breaks
/// ties); `sheet` picks a worksheet of an XLSX file (the first by default).
pub fn read(file_name: &str, bytes: &[u8], sheet: Option<&str>) -> Result<Table, ReadError> {
    let extension = file_name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    if bytes.starts_with(b"PK\x03\x04") {
        return workbook::read(bytes, sheet);
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(ReadError::Unsupported(
            "Filen er i det gamle Excel-format (.xls). Gem den som Excel-projektmappe (.xlsx) eller CSV, og prøv igen."
                .into(),
        ));
    }
    if matches!(extension.as_str(), "xlsx" | "xlsm") {
        return Err(ReadError::Unreadable(
            "Filen hedder .xlsx, men er ikke en Excel-projektmappe.".into(),
        ));
    }
    let looks_binary = !bytes.starts_with(&[0xFF, 0xFE])
        && !bytes.starts_with(&[0xFE, 0xFF])
        && bytes.iter().take(8192).any(|b| *b == 0);
    if looks_binary
        || matches!(
            extension.as_str(),
            "pdf" | "docx" | "doc" | "zip" | "png" | "jpg" | "jpeg" | "ods" | "numbers"
        )
    {
        return Err(ReadError::Unsupported(
            "Kun CSV- og Excel-filer (.csv, .txt, .xlsx) kan importeres.".into(),
        ));
    }
    delimited::read(bytes)
}

/// One column of the file as the mapping step shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnInfo {
    /// From 0, left to right.
    pub index: usize,
    pub header: String,
    /// Up to three values from the first data rows.
    pub samples: Vec<String>,
    /// The register field the header suggests.
    pub suggested_field: Option<String>,
}

/// The header row and the columns under it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Layout {
    /// The header row's number in the file (from 1).
    pub header_row: usize,
    pub columns: Vec<ColumnInfo>,
}

/// The index of the header row among `rows`: of the first rows, the one
/// whose cells name most known columns (the first such); without any known
/// header, the first row with at least two filled cells. Blank rows and a
/// title above the header are passed over so.
pub fn header_index(rows: &[Row]) -> Option<usize> {
    let mut best: Option<(usize, usize)> = None;
    for (i, row) in rows.iter().enumerate().take(30) {
        let known = row
            .cells
            .iter()
            .filter(|c| matches!(c, Cell::Text(_)))
            .filter(|c| {
                let text = c.text();
                columns::suggest(&text).is_some() || columns::is_derived_header(&text)
            })
            .count();
        if known > 0 && best.is_none_or(|(_, n)| known > n) {
            best = Some((i, known));
        }
    }
    best.map(|(i, _)| i).or_else(|| {
        rows.iter()
            .position(|r| r.cells.iter().filter(|c| !c.is_empty()).count() >= 2)
            .or_else(|| rows.iter().position(|r| !r.is_blank()))
    })
}

/// The layout of `rows` below the header at `header`: every column that has
/// a header or a value in some data row.
pub fn layout(rows: &[Row], header: usize) -> Layout {
    let width = rows[header..]
        .iter()
        .map(|r| {
            r.cells
                .iter()
                .rposition(|c| !c.is_empty())
                .map_or(0, |i| i + 1)
        })
        .max()
        .unwrap_or(0);
    let head = &rows[header];
    let mut used_names = std::collections::HashSet::new();
    let columns = (0..width)
        .map(|index| {
            let mut name = head.cell(index).text();
            if name.is_empty() {
                name = format!("Kolonne {}", column_letters(index));
            }
            // Two columns with the same header stay apart in a mapping.
            if !used_names.insert(name.clone()) {
                name = format!("{name} ({})", column_letters(index));
                used_names.insert(name.clone());
            }
            let samples = rows[header + 1..]
                .iter()
                .map(|r| r.cell(index))
                .filter(|c| !c.is_empty())
                .take(3)
                .map(Cell::text)
                .collect();
            let suggested_field =
                columns::suggest(&head.cell(index).text()).map(|c| c.key.to_owned());
            ColumnInfo {
                index,
                header: name,
                samples,
                suggested_field,
            }
        })
        .collect::<Vec<_>>();
    // A field suggested by two headers goes to the first only.
    let mut taken = std::collections::HashSet::new();
    let columns = columns
        .into_iter()
        .map(|mut c| {
            if let Some(field) = &c.suggested_field
                && !taken.insert(field.clone())
            {
                c.suggested_field = None;
            }
            c
        })
        .collect();
    Layout {
        header_row: head.number,
        columns,
    }
}

/// A column's letters as spreadsheets name them: A, B, …, Z, AA, AB, …
pub fn column_letters(index: usize) -> String {
    let mut n = index + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_row(number: usize, cells: &[&str]) -> Row {
        Row {
            number,
            cells: cells
                .iter()
                .map(|c| {
                    if c.is_empty() {
                        Cell::Empty
                    } else {
                        Cell::Text((*c).into())
                    }
                })
                .collect(),
        }
    }

    #[test]
    fn the_header_is_found_below_a_title() {
        let rows = vec![
            text_row(1, &["Kontraktregister for Sorø Kommune", "", ""]),
            text_row(3, &["Titel", "Leverandør CVR", "Startdato", "Egen kolonne"]),
            text_row(4, &["Drift af ESDH", "10403782", "01-01-2026", "x"]),
        ];
        assert_eq!(header_index(&rows), Some(1));
        let layout = layout(&rows, 1);
        assert_eq!(layout.header_row, 3);
        assert_eq!(layout.columns.len(), 4);
        assert_eq!(
            layout.columns[1].suggested_field.as_deref(),
            Some("supplier_cvr")
        );
        assert_eq!(layout.columns[3].suggested_field, None);
        assert_eq!(layout.columns[2].samples, vec!["01-01-2026".to_owned()]);
    }

    #[test]
    fn column_letters_like_spreadsheets() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(27), "AB");
    }

    #[test]
    fn other_files_are_refused() {
        assert!(matches!(
            read("a.pdf", b"%PDF-1.7 ...", None),
            Err(ReadError::Unsupported(_))
        ));
        assert!(matches!(
            read("a.xls", &[0xD0, 0xCF, 0x11, 0xE0, 0, 0], None),
            Err(ReadError::Unsupported(_))
        ));
        assert!(matches!(
            read("a.xlsx", b"Titel;Start\n", None),
            Err(ReadError::Unreadable(_))
        ));
        assert!(matches!(
            read("a.bin", &[1, 0, 2, 0], None),
            Err(ReadError::Unsupported(_))
        ));
    }
}
