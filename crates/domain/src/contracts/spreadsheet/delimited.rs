//! CSV files: the encoding (UTF-8 with or without BOM, UTF-16 with BOM, else
//! Windows-1252) and the delimiter (comma, semicolon or tab) are detected.

use super::{Format, ReadError, Row, Table};
use crate::contracts::columns::Cell;

/// The text of a file and the name of its encoding: UTF-8 (a BOM is
/// dropped) when the bytes are valid UTF-8, UTF-16 when it has that BOM,
/// else Windows-1252 (which Danish Excel writes as "CSV").
pub fn decode_text(bytes: &[u8]) -> (String, &'static str) {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        let (text, _) = encoding_rs::UTF_8.decode_without_bom_handling(rest);
        return (text.into_owned(), "UTF-8 (BOM)");
    }
    if bytes.starts_with(&[0xFF, 0xFE]) {
        let (text, _, _) = encoding_rs::UTF_16LE.decode(bytes);
        return (text.into_owned(), "UTF-16");
    }
    if bytes.starts_with(&[0xFE, 0xFF]) {
        let (text, _, _) = encoding_rs::UTF_16BE.decode(bytes);
        return (text.into_owned(), "UTF-16");
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => (text.to_owned(), "UTF-8"),
        Err(_) => {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            (text.into_owned(), "windows-1252")
        }
    }
}

const DELIMITERS: [u8; 3] = [b';', b',', b'\t'];

fn records(text: &str, delimiter: u8) -> csv::StringRecordsIntoIter<&[u8]> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes())
        .into_records()
}

/// The delimiter that splits the first lines into the most fields the most
/// consistently; ties go to the semicolon, then the comma.
fn detect_delimiter(text: &str) -> u8 {
    let mut best = (b';', 0usize);
    for delimiter in DELIMITERS {
        let counts: Vec<usize> = records(text, delimiter)
            .take(40)
            .filter_map(Result::ok)
            .map(|r| {
                r.iter()
                    .filter(|f| !f.trim().is_empty())
                    .count()
                    .max(r.len())
            })
            .filter(|n| *n > 1)
            .collect();
        let mut frequency = std::collections::HashMap::new();
        for n in &counts {
            *frequency.entry(*n).or_insert(0usize) += 1;
        }
        // The most common field count (the wider on a tie), and how often.
        let score = frequency
            .iter()
            .max_by_key(|(n, f)| (**f, **n))
            .map_or(0, |(n, f)| f * 1000 + n);
        if score > best.1 {
            best = (delimiter, score);
        }
    }
    best.0
}

pub(super) fn read(bytes: &[u8]) -> Result<Table, ReadError> {
    let (text, encoding) = decode_text(bytes);
    if text.trim().is_empty() {
        return Err(ReadError::Unreadable("Filen er tom.".into()));
    }
    let delimiter = detect_delimiter(&text);
    // Line numbers from the byte where each record starts (the CSV reader's
    // own count passes over blank lines).
    let newlines: Vec<usize> = text
        .bytes()
        .enumerate()
        .filter(|(_, b)| *b == b'\n')
        .map(|(i, _)| i)
        .collect();
    let mut rows = Vec::new();
    for record in records(&text, delimiter) {
        let record =
            record.map_err(|e| ReadError::Unreadable(format!("CSV-filen kan ikke læses: {e}")))?;
        let number = record.position().map_or(rows.len() + 1, |p| {
            let mut byte = usize::try_from(p.byte()).unwrap_or(usize::MAX);
            // The reader's position is before any blank lines it passed over.
            while matches!(text.as_bytes().get(byte), Some(b'\n' | b'\r')) {
                byte += 1;
            }
            newlines.partition_point(|n| *n < byte) + 1
        });
        let cells = record
            .iter()
            .map(|field| {
                let field = field.trim();
                if field.is_empty() {
                    Cell::Empty
                } else {
                    Cell::Text(field.to_owned())
                }
            })
            .collect();
        rows.push(Row { number, cells });
    }
    Ok(Table {
        format: Format {
            kind: "csv".into(),
            delimiter: Some(char::from(delimiter).to_string()),
            encoding: Some(encoding.into()),
            sheet: None,
            sheets: Vec::new(),
        },
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(table: &Table) -> Vec<(usize, Vec<String>)> {
        table
            .rows
            .iter()
            .filter(|r| !r.is_blank())
            .map(|r| (r.number, r.cells.iter().map(Cell::text).collect()))
            .collect()
    }

    #[test]
    fn delimiters_are_detected() {
        for (text, delimiter) in [
            ("Titel;Beløb\nA;1.000,50\nB;2,5\n", ";"),
            ("Titel,Beløb\nA,\"1.000,50\"\nB,3\n", ","),
            ("Titel\tBeløb\nA\t1,5\n", "\t"),
        ] {
            let table = read(text.as_bytes()).expect("reads");
            assert_eq!(table.format.delimiter.as_deref(), Some(delimiter), "{text}");
            assert_eq!(table.rows[1].cells.len(), 2, "{text}");
        }
    }

    #[test]
    fn encodings_are_detected_and_rows_keep_their_numbers() {
        let mut latin = b"Titel;Leverand".to_vec();
        latin.push(0xF8); // ø in Windows-1252
        latin.extend_from_slice(b"r\n\nK\xE6lder;X  \n");
        let table = read(&latin).expect("reads");
        assert_eq!(table.format.encoding.as_deref(), Some("windows-1252"));
        assert_eq!(
            texts(&table),
            vec![
                (1, vec!["Titel".to_owned(), "Leverandør".to_owned()]),
                (3, vec!["Kælder".to_owned(), "X".to_owned()]),
            ]
        );
        let bom = "\u{feff}Titel;Leverandør\nÅ;Ø\n";
        let table = read(bom.as_bytes()).expect("reads");
        assert_eq!(table.format.encoding.as_deref(), Some("UTF-8 (BOM)"));
        assert_eq!(table.rows[0].cells[0].text(), "Titel");
        let plain = read("Titel;Leverandør\nÅ;Ø\n".as_bytes()).expect("reads");
        assert_eq!(plain.format.encoding.as_deref(), Some("UTF-8"));
    }

    #[test]
    fn quoted_fields_span_lines() {
        let table = read(b"Titel;Noter\n\"A\";\"linje 1\nlinje 2\"\nB;x\n").expect("reads");
        assert_eq!(table.rows[1].cells[1].text(), "linje 1\nlinje 2");
        assert_eq!(table.rows[2].number, 4);
        assert!(matches!(read(b"  \n"), Err(ReadError::Unreadable(_))));
    }
}
