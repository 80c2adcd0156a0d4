//! A municipality's archive: everything of one municipality in one ZIP file,
//! to take it elsewhere (another instance, another system) or keep it.
//!
//! Layout (format version 1):
//!
//! - `README.md`: the format in Danish and English.
//! - `data/<table>.json`: one JSON array per table, one row per line, rows
//!   ordered by primary key; `schemas/<table>.schema.json` describes a row.
//! - `files/attachments/<id>` and `files/contract_imports/<id>`: the bytes
//!   of attachments and of uploaded import spreadsheets.
//! - `manifest.json`: format version, municipality, and the size and
//!   SHA-256 of every other file.
//!
//! Nothing in the archive depends on when it was made: exporting the same
//! data twice gives the same files, byte for byte. Secrets stay behind:
//! users come without password hashes, API clients without secret hashes;
//! login sessions and calendar-feed tokens are not exported.
//!
//! The export streams: rows are read and written as they come, and bytes
//! leave in chunks through a channel, so memory stays flat however large
//! the municipality is.

mod export;
mod import;
mod schema;

pub use export::{authorize_export, export_archive, export_archive_at_console};
pub use import::{ImportReport, import_archive};
pub use schema::{TABLES, TableInfo, row_schema};

/// The archive format's version, in `manifest.json`.
pub const FORMAT_VERSION: u32 = 1;

/// The README inside every archive.
pub const README: &str = include_str!("README.archive.md");

/// One file's entry in `manifest.json`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ManifestFile {
    pub path: String,
    pub size: u64,
    pub sha256: String,
}

/// `manifest.json`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Manifest {
    pub format: String,
    pub format_version: u32,
    pub tenant_id: uuid::Uuid,
    pub municipality_code: String,
    pub municipality_name: String,
    pub files: Vec<ManifestFile>,
}

pub const FORMAT_NAME: &str = "samudbud-municipality-archive";
