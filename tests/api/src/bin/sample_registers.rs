//! Writes the XLSX sample registers of `tests/imports/` (run it from the
//! repository's root after changing them):
//!
//!     cargo run -p samudbud-api-tests --bin sample-registers
//!
//! `eksempel-kontraktregister.xlsx` is `eksempel-kontraktregister.csv` as a
//! workbook with typed cells (dates as dates, amounts as numbers);
//! `rodet-register.xlsx` is a messy one: a cover sheet, a title merged over
//! the columns, blank rows, a supplier merged over two rows, an Excel serial
//! date typed as a number, an end before the start and an impossible date.

#![allow(clippy::unwrap_used)]

use chrono::NaiveDate;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use samudbud_domain::contracts::columns::{self, COLUMNS, Kind};

fn excel_date(date: NaiveDate) -> ExcelDateTime {
    use chrono::Datelike;
    ExcelDateTime::from_ymd(date.year() as u16, date.month() as u8, date.day() as u8).unwrap()
}

fn example(dir: &str) {
    let text = std::fs::read(format!("{dir}/eksempel-kontraktregister.csv")).unwrap();
    let (text, _) = samudbud_domain::contracts::spreadsheet::decode_text(&text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .from_reader(text.as_bytes());
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Kontrakter").unwrap();
    let bold = Format::new().set_bold();
    let date = Format::new().set_num_format("dd-mm-yyyy");
    let money = Format::new().set_num_format("#,##0.00");
    for (r, record) in reader.records().enumerate() {
        let record = record.unwrap();
        let row = r as u32;
        for (c, value) in record.iter().enumerate() {
            let col = c as u16;
            if row == 0 {
                sheet
                    .write_string_with_format(row, col, value, &bold)
                    .unwrap();
                sheet.set_column_width(col, 18).unwrap();
                continue;
            }
            if value.is_empty() {
                continue;
            }
            match COLUMNS[c].kind {
                Kind::Date => {
                    let d = columns::parse_date(value).unwrap();
                    sheet
                        .write_datetime_with_format(row, col, excel_date(d), &date)
                        .unwrap();
                }
                Kind::Money => {
                    let v: f64 = value.replace(',', ".").parse().unwrap();
                    sheet.write_number_with_format(row, col, v, &money).unwrap();
                }
                Kind::Integer => {
                    sheet
                        .write_number(row, col, value.parse::<f64>().unwrap())
                        .unwrap();
                }
                _ => {
                    sheet.write_string(row, col, value).unwrap();
                }
            }
        }
    }
    sheet.set_freeze_panes(1, 0).unwrap();
    book.save(format!("{dir}/eksempel-kontraktregister.xlsx"))
        .unwrap();
}

fn messy(dir: &str) {
    let mut book = Workbook::new();
    let cover = book.add_worksheet();
    cover.set_name("Forside").unwrap();
    cover.write_string(0, 0, "Se arket «Kontrakter»").unwrap();
    let sheet = book.add_worksheet();
    sheet.set_name("Kontrakter").unwrap();
    let date = Format::new().set_num_format("dd.mm.yyyy");
    let d = |y, m, d| excel_date(NaiveDate::from_ymd_opt(y, m, d).unwrap());
    sheet
        .merge_range(
            0,
            0,
            0,
            5,
            "Kontraktregister 2026 – Eksempel Kommune",
            &Format::new(),
        )
        .unwrap();
    for (c, header) in [
        "Titel",
        "Leverandør CVR",
        "Leverandør",
        "Startdato",
        "Slutdato",
        "Årlig værdi (kr.)",
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string(2, c as u16, *header).unwrap();
    }
    // Rows 4 and 5 share the supplier: merged cells.
    sheet.write_string(3, 0, "Skoleportal ").unwrap();
    sheet.merge_range(3, 1, 4, 1, "", &Format::new()).unwrap();
    sheet.write_number(3, 1, 73071143.0).unwrap();
    sheet
        .merge_range(3, 2, 4, 2, "Nordlys Software A/S", &Format::new())
        .unwrap();
    sheet
        .write_datetime_with_format(3, 3, d(2026, 1, 1), &date)
        .unwrap();
    sheet
        .write_datetime_with_format(3, 4, d(2029, 12, 31), &date)
        .unwrap();
    sheet.write_number(3, 5, 450000.5).unwrap();
    sheet.write_string(4, 0, "Skoleportal – support").unwrap();
    sheet
        .write_datetime_with_format(4, 3, d(2026, 1, 1), &date)
        .unwrap();
    sheet.write_number(4, 5, 75000.0).unwrap();
    // Row 6: the end before the start.
    sheet.write_string(5, 0, "Forkert slutdato").unwrap();
    sheet.write_string(5, 1, "73071143").unwrap();
    sheet
        .write_datetime_with_format(5, 3, d(2026, 6, 1), &date)
        .unwrap();
    sheet
        .write_datetime_with_format(5, 4, d(2026, 1, 1), &date)
        .unwrap();
    // Row 7 is blank; row 8 has the start as a plain Excel serial number.
    sheet.write_string(7, 0, "Serienummer som dato").unwrap();
    sheet.write_string(7, 1, "73071143").unwrap();
    sheet.write_number(7, 3, 46023.0).unwrap();
    // Row 9: a date that does not exist, typed as text.
    sheet.write_string(8, 0, "Umulig dato").unwrap();
    sheet.write_string(8, 1, "73071143").unwrap();
    sheet.write_string(8, 3, "31-02-2027").unwrap();
    book.save(format!("{dir}/rodet-register.xlsx")).unwrap();
}

fn main() {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "tests/imports".to_owned());
    example(&dir);
    messy(&dir);
    println!("wrote {dir}/eksempel-kontraktregister.xlsx and {dir}/rodet-register.xlsx");
}
