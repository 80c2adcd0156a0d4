//! Lists written out as files: the register, IT systems, deadlines and the
//! audit trail as spreadsheets (`sheet`, one writer for all of them, with
//! each list's columns and rows in `lists` and `contracts::export`), and the
//! published contracts as an OCDS release package (`ocds`).

pub mod lists;
pub mod ocds;
pub mod sheet;

/// A download's file name: `stem-YYYY-MM-DD.ext`, dated today.
pub fn file_name(stem: &str, extension: &str) -> String {
    format!(
        "{stem}-{}.{extension}",
        crate::contracts::today().format("%Y-%m-%d")
    )
}
