//! XLSX workbooks: one worksheet (the first unless chosen), with the value
//! of a merged range's top-left cell in every cell of the range, dates as
//! dates and numbers as numbers.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};

use super::{Format, ReadError, Row, Table};
use crate::contracts::columns::{Cell, excel_serial_date, parse_date};

fn cell_of(data: &Data) -> Cell {
    match data {
        Data::Empty => Cell::Empty,
        Data::String(s) => {
            if s.trim().is_empty() {
                Cell::Empty
            } else {
                Cell::Text(s.clone())
            }
        }
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) if dt.is_datetime() => excel_serial_date(dt.as_f64())
            .map(Cell::Date)
            .unwrap_or_else(|_| Cell::Number(dt.as_f64())),
        Data::DateTime(dt) => Cell::Number(dt.as_f64()),
        Data::DateTimeIso(s) => parse_date(s)
            .map(Cell::Date)
            .unwrap_or_else(|_| Cell::Text(s.clone())),
        Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(e) => Cell::Text(format!("#{e:?}")),
    }
}

pub(super) fn read(bytes: &[u8], sheet: Option<&str>) -> Result<Table, ReadError> {
    let mut workbook: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes))
        .map_err(|e| ReadError::Unreadable(format!("Excel-filen kan ikke læses: {e}")))?;
    let sheets = workbook.sheet_names();
    let name = match sheet.map(str::trim).filter(|s| !s.is_empty()) {
        Some(wanted) => sheets
            .iter()
            .find(|s| s.as_str() == wanted || s.to_lowercase() == wanted.to_lowercase())
            .cloned()
            .ok_or_else(|| {
                ReadError::Unreadable(format!(
                    "Arket «{wanted}» findes ikke i filen; den har: {}",
                    sheets.join(", ")
                ))
            })?,
        None => sheets
            .first()
            .cloned()
            .ok_or_else(|| ReadError::Unreadable("Excel-filen har ingen ark.".into()))?,
    };
    let range = workbook
        .worksheet_range(&name)
        .map_err(|e| ReadError::Unreadable(format!("Arket «{name}» kan ikke læses: {e}")))?;
    let (first_row, first_col) = range.start().unwrap_or((0, 0));
    let mut rows: Vec<Row> = range
        .rows()
        .enumerate()
        .map(|(i, cells)| {
            let mut row: Vec<Cell> = vec![Cell::Empty; first_col as usize];
            row.extend(cells.iter().map(cell_of));
            Row {
                number: first_row as usize + i + 1,
                cells: row,
            }
        })
        .collect();
    // A merged range shows its top-left value in every cell it covers.
    if workbook.load_merged_regions().is_ok() {
        for (_, _, dims) in workbook.merged_regions_by_sheet(&name) {
            let value = range
                .get_value(dims.start)
                .map(cell_of)
                .unwrap_or(Cell::Empty);
            if value.is_empty() {
                continue;
            }
            for r in dims.start.0..=dims.end.0 {
                let Some(row) = r
                    .checked_sub(first_row)
                    .and_then(|i| rows.get_mut(i as usize))
                else {
                    continue;
                };
                for c in dims.start.1..=dims.end.1 {
                    let c = c as usize;
                    if row.cells.len() <= c {
                        row.cells.resize(c + 1, Cell::Empty);
                    }
                    row.cells[c] = value.clone();
                }
            }
        }
    }
    Ok(Table {
        format: Format {
            kind: "xlsx".into(),
            delimiter: None,
            encoding: None,
            sheet: Some(name),
            sheets,
        },
        rows,
    })
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

    use super::*;

    fn workbook() -> Vec<u8> {
        let mut book = Workbook::new();
        let cover = book.add_worksheet();
        cover.set_name("Forside").unwrap();
        cover.write_string(0, 0, "Læs mig").unwrap();
        let sheet = book.add_worksheet();
        sheet.set_name("Kontrakter").unwrap();
        let plain = Format::new();
        let date = Format::new().set_num_format("dd-mm-yyyy");
        sheet
            .merge_range(0, 0, 0, 2, "Kontraktregister", &plain)
            .unwrap();
        sheet.write_string(2, 0, "Titel").unwrap();
        sheet.write_string(2, 1, "Leverandør").unwrap();
        sheet.write_string(2, 2, "Startdato").unwrap();
        sheet.write_string(3, 0, "Drift ").unwrap();
        sheet
            .merge_range(3, 1, 4, 1, "Nordlys A/S", &plain)
            .unwrap();
        sheet
            .write_datetime_with_format(3, 2, ExcelDateTime::from_ymd(2026, 1, 31).unwrap(), &date)
            .unwrap();
        sheet.write_string(4, 0, "Support").unwrap();
        sheet.write_number(4, 2, 1234.5).unwrap();
        book.save_to_buffer().unwrap()
    }

    #[test]
    fn a_chosen_sheet_with_merged_cells_dates_and_numbers() {
        let bytes = workbook();
        let first = read(&bytes, None).unwrap();
        assert_eq!(first.format.sheet.as_deref(), Some("Forside"));
        assert_eq!(
            first.format.sheets,
            vec!["Forside".to_owned(), "Kontrakter".to_owned()]
        );
        let table = read(&bytes, Some("kontrakter")).unwrap();
        assert_eq!(table.format.kind, "xlsx");
        // The title fills its merged range; the header is row 3.
        assert_eq!(
            table.rows[0].cells[2],
            Cell::Text("Kontraktregister".into())
        );
        let drift = table.rows.iter().find(|r| r.number == 4).unwrap();
        assert_eq!(drift.cells[0].text(), "Drift");
        assert_eq!(drift.cells[1], Cell::Text("Nordlys A/S".into()));
        assert_eq!(
            drift.cells[2],
            Cell::Date(NaiveDate::from_ymd_opt(2026, 1, 31).unwrap())
        );
        let support = table.rows.iter().find(|r| r.number == 5).unwrap();
        assert_eq!(support.cells[1], Cell::Text("Nordlys A/S".into()));
        assert_eq!(support.cells[2], Cell::Number(1234.5));
        assert!(matches!(
            read(&bytes, Some("Findes ikke")),
            Err(ReadError::Unreadable(_))
        ));
    }
}
