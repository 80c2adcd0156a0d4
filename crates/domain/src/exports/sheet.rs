//! One table written as a spreadsheet, row by row, to any byte sink: XLSX in
//! rust_xlsxwriter's constant-memory mode (typed cells, bold frozen header,
//! filters, widths) or CSV the way Danish Excel reads it (UTF-8 with BOM,
//! `;` between fields, decimal comma, dd-mm-yyyy dates). Rows are written as
//! they come; neither format keeps the rows in memory.

use std::io::Write;

use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, XlsxError};

/// The two spreadsheet formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SheetFormat {
    Xlsx,
    Csv,
}

impl SheetFormat {
    pub fn extension(self) -> &'static str {
        match self {
            Self::Xlsx => "xlsx",
            Self::Csv => "csv",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Self::Xlsx => crate::tender_plans::export::XLSX,
            Self::Csv => "text/csv; charset=utf-8",
        }
    }
}

/// A column: its header and its width in characters (XLSX).
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub header: &'static str,
    pub width: f64,
}

/// One cell's value, typed so that each format writes it its own way.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Date(NaiveDate),
    /// A point in time, written in Danish time as dd-mm-yyyy hh:mm:ss.
    Time(DateTime<Utc>),
    /// Kroner and øre.
    Money(Decimal),
    Integer(i64),
    /// Ja or Nej.
    YesNo(bool),
}

impl Cell {
    pub fn text(value: impl Into<String>) -> Self {
        Self::Text(value.into())
    }

    /// Text, or empty for none.
    pub fn opt_text(value: Option<impl Into<String>>) -> Self {
        value.map_or(Self::Empty, |v| Self::Text(v.into()))
    }

    pub fn opt_date(value: Option<NaiveDate>) -> Self {
        value.map_or(Self::Empty, Self::Date)
    }

    pub fn opt_money(value: Option<Decimal>) -> Self {
        value.map_or(Self::Empty, Self::Money)
    }

    /// The cell as CSV text (unquoted).
    pub fn csv_text(&self) -> String {
        match self {
            Self::Empty => String::new(),
            Self::Text(text) => text.clone(),
            Self::Date(date) => date.format("%d-%m-%Y").to_string(),
            Self::Time(time) => danish_time(*time).format("%d-%m-%Y %H:%M:%S").to_string(),
            Self::Money(amount) => {
                // Two decimals, a decimal comma and no thousands separator:
                // what Danish Excel and the import read as a number.
                let text = amount.round_dp(2).to_string();
                let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
                format!("{whole},{fraction:0<2}")
            }
            Self::Integer(n) => n.to_string(),
            Self::YesNo(value) => yes_no(*value).to_owned(),
        }
    }
}

pub fn yes_no(value: bool) -> &'static str {
    if value { "Ja" } else { "Nej" }
}

/// Danish wall-clock time (CET/CEST by the EU rule: summer time from the
/// last Sunday of March to the last Sunday of October, at 01:00 UTC).
pub fn danish_time(time: DateTime<Utc>) -> chrono::NaiveDateTime {
    let year = time.year();
    let last_sunday = |month: u32| {
        let last = NaiveDate::from_ymd_opt(year, month, 31).unwrap_or(NaiveDate::MIN);
        last - chrono::Days::new(u64::from(last.weekday().num_days_from_sunday()))
    };
    let start = last_sunday(3).and_hms_opt(1, 0, 0).unwrap_or_default();
    let end = last_sunday(10).and_hms_opt(1, 0, 0).unwrap_or_default();
    let naive = time.naive_utc();
    let offset = if naive >= start && naive < end { 2 } else { 1 };
    naive + chrono::Duration::hours(offset)
}

/// Writes one table to `out`.
pub struct SheetWriter<W: Write + Send> {
    inner: Inner<W>,
    columns: usize,
    rows: u32,
}

enum Inner<W: Write + Send> {
    Xlsx {
        workbook: Box<Workbook>,
        formats: Box<Formats>,
        out: W,
    },
    Csv(std::io::BufWriter<W>),
}

struct Formats {
    header: Format,
    date: Format,
    time: Format,
    money: Format,
}

/// The largest number of rows a worksheet holds, header included.
const XLSX_MAX_ROWS: u32 = 1_048_576;

fn xlsx_error(e: XlsxError) -> std::io::Error {
    std::io::Error::other(e.to_string())
}

impl<W: Write + Send> SheetWriter<W> {
    /// Starts a table with a header row: a sheet named `sheet_name` (XLSX),
    /// or the BOM and the header line (CSV).
    pub fn start(
        format: SheetFormat,
        sheet_name: &str,
        columns: &[Column],
        out: W,
    ) -> std::io::Result<Self> {
        let inner = match format {
            SheetFormat::Xlsx => {
                let mut workbook = Box::new(Workbook::new());
                let formats = Box::new(Formats {
                    header: Format::new().set_bold().set_background_color("#DDE6F0"),
                    date: Format::new().set_num_format("dd-mm-yyyy"),
                    time: Format::new().set_num_format("dd-mm-yyyy hh:mm:ss"),
                    money: Format::new().set_num_format("#,##0.00 \"kr.\""),
                });
                let sheet = workbook
                    .add_worksheet_with_constant_memory()
                    .map_err(xlsx_error)?;
                sheet.set_name(sheet_name).map_err(xlsx_error)?;
                for (col, column) in columns.iter().enumerate() {
                    let col = col as u16;
                    sheet
                        .set_column_width(col, column.width)
                        .map_err(xlsx_error)?;
                    sheet
                        .write_string_with_format(0, col, column.header, &formats.header)
                        .map_err(xlsx_error)?;
                }
                sheet.set_freeze_panes(1, 0).map_err(xlsx_error)?;
                Inner::Xlsx {
                    workbook,
                    formats,
                    out,
                }
            }
            SheetFormat::Csv => {
                let mut csv = std::io::BufWriter::with_capacity(64 * 1024, out);
                csv.write_all("\u{feff}".as_bytes())?;
                let headers: Vec<Cell> = columns.iter().map(|c| Cell::text(c.header)).collect();
                write_csv_line(&mut csv, &headers)?;
                Inner::Csv(csv)
            }
        };
        Ok(Self {
            inner,
            columns: columns.len(),
            rows: 0,
        })
    }

    /// Writes one row below the ones before it.
    pub fn write_row(&mut self, cells: &[Cell]) -> std::io::Result<()> {
        debug_assert_eq!(cells.len(), self.columns);
        self.rows += 1;
        let row = self.rows;
        match &mut self.inner {
            Inner::Csv(csv) => write_csv_line(csv, cells),
            Inner::Xlsx {
                workbook, formats, ..
            } => {
                if row >= XLSX_MAX_ROWS {
                    return Err(std::io::Error::other(
                        "more rows than a worksheet holds (1,048,575)",
                    ));
                }
                let sheet = workbook.worksheet_from_index(0).map_err(xlsx_error)?;
                for (col, cell) in cells.iter().enumerate() {
                    let col = col as u16;
                    match cell {
                        Cell::Empty => continue,
                        Cell::Text(text) => sheet.write_string(row, col, text),
                        Cell::Date(date) => {
                            let excel = excel_date(*date)?;
                            sheet.write_datetime_with_format(row, col, &excel, &formats.date)
                        }
                        Cell::Time(time) => {
                            let local = danish_time(*time);
                            let excel = excel_date(local.date())?
                                .and_hms(
                                    local.hour() as u16,
                                    local.minute() as u8,
                                    f64::from(local.second()),
                                )
                                .map_err(xlsx_error)?;
                            sheet.write_datetime_with_format(row, col, &excel, &formats.time)
                        }
                        Cell::Money(amount) => sheet.write_number_with_format(
                            row,
                            col,
                            amount.to_f64().unwrap_or_default(),
                            &formats.money,
                        ),
                        Cell::Integer(n) => sheet.write_number(row, col, *n as f64),
                        Cell::YesNo(value) => sheet.write_string(row, col, yes_no(*value)),
                    }
                    .map_err(xlsx_error)?;
                }
                Ok(())
            }
        }
    }

    /// Ends the table: the filters over every row and the file itself
    /// (XLSX), or the last buffered lines (CSV).
    pub fn finish(self) -> std::io::Result<()> {
        match self.inner {
            Inner::Csv(mut csv) => csv.flush(),
            Inner::Xlsx {
                mut workbook,
                mut out,
                ..
            } => {
                let sheet = workbook.worksheet_from_index(0).map_err(xlsx_error)?;
                if self.columns > 0 {
                    sheet
                        .autofilter(0, 0, self.rows.max(1), self.columns as u16 - 1)
                        .map_err(xlsx_error)?;
                }
                workbook.save_to_writer(&mut out).map_err(xlsx_error)?;
                out.flush()
            }
        }
    }
}

fn excel_date(date: NaiveDate) -> std::io::Result<ExcelDateTime> {
    let year = u16::try_from(date.year()).map_err(|_| std::io::Error::other("year"))?;
    ExcelDateTime::from_ymd(year, date.month() as u8, date.day() as u8).map_err(xlsx_error)
}

fn write_csv_line(out: &mut impl Write, cells: &[Cell]) -> std::io::Result<()> {
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            out.write_all(b";")?;
        }
        let text = cell.csv_text();
        if text.contains([';', '"', '\n', '\r']) || text.starts_with(' ') || text.ends_with(' ') {
            out.write_all(b"\"")?;
            out.write_all(text.replace('"', "\"\"").as_bytes())?;
            out.write_all(b"\"")?;
        } else {
            out.write_all(text.as_bytes())?;
        }
    }
    out.write_all(b"\r\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_read_as_danish_excel_expects() {
        assert_eq!(
            Cell::Money(Decimal::new(123_456_789, 2)).csv_text(),
            "1234567,89"
        );
        assert_eq!(Cell::Money(Decimal::from(5)).csv_text(), "5,00");
        assert_eq!(Cell::Money(Decimal::new(15, 1)).csv_text(), "1,50");
        assert_eq!(
            Cell::opt_date(NaiveDate::from_ymd_opt(2026, 12, 1)).csv_text(),
            "01-12-2026"
        );
        assert_eq!(Cell::YesNo(true).csv_text(), "Ja");
        let mut out = Vec::new();
        write_csv_line(
            &mut out,
            &[
                Cell::text("a;b"),
                Cell::text("sagt \"ja\""),
                Cell::Integer(3),
            ],
        )
        .ok();
        assert_eq!(
            String::from_utf8_lossy(&out),
            "\"a;b\";\"sagt \"\"ja\"\"\";3\r\n"
        );
    }

    #[test]
    fn danish_time_follows_summer_time() {
        let winter = DateTime::parse_from_rfc3339("2026-01-15T12:00:00Z")
            .map(|t| t.with_timezone(&Utc))
            .ok();
        let summer = DateTime::parse_from_rfc3339("2026-07-15T12:00:00Z")
            .map(|t| t.with_timezone(&Utc))
            .ok();
        assert_eq!(
            winter.map(|t| danish_time(t).hour()),
            Some(13),
            "CET in January"
        );
        assert_eq!(
            summer.map(|t| danish_time(t).hour()),
            Some(14),
            "CEST in July"
        );
    }

    #[test]
    fn both_formats_write_a_header_and_rows() {
        let columns = [
            Column {
                header: "Titel",
                width: 20.0,
            },
            Column {
                header: "Beløb",
                width: 12.0,
            },
        ];
        for format in [SheetFormat::Xlsx, SheetFormat::Csv] {
            let mut out = Vec::new();
            let mut writer =
                SheetWriter::start(format, "Ark", &columns, &mut out).expect("started");
            writer
                .write_row(&[Cell::text("Æblerød"), Cell::Money(Decimal::new(1, 2))])
                .expect("row");
            writer.finish().expect("finished");
            match format {
                SheetFormat::Csv => assert_eq!(
                    String::from_utf8_lossy(&out),
                    "\u{feff}Titel;Beløb\r\nÆblerød;0,01\r\n"
                ),
                SheetFormat::Xlsx => assert!(out.starts_with(b"PK")),
            }
        }
    }
}
