//! Decoding rows whose columns are often empty, for the requests that read
//! many of them (a page of the list).
//!
//! SeaORM reads an empty column into an `Option` by first failing to read
//! the value, with an error that holds the column's name formatted with
//! `Debug` (one allocation and an escaped copy of the name), and then
//! dropping that error. A contract has some thirty optional columns, most of
//! them empty, so that was a tenth of the server's CPU for a page of the list
//! (`perf`, README: Performance). [`Columns::optional`] reads an optional column
//! through a column index whose `Debug` writes nothing, so an empty value
//! costs no allocation; required columns are read by name as before, so an
//! error still names the column.

use std::fmt;

use sea_orm::{ColIdx, QueryResult, TryGetError, TryGetable};

/// A column index by name that formats as nothing.
#[derive(Clone, Copy)]
struct Quiet<'a>(&'a str);

impl fmt::Debug for Quiet<'_> {
    fn fmt(&self, _: &mut fmt::Formatter<'_>) -> fmt::Result {
        Ok(())
    }
}

impl<'a> ColIdx for Quiet<'a> {
    type SqlxPostgresIndex = &'a str;
    type SqlxSqliteIndex = &'a str;

    fn as_sqlx_postgres_index(&self) -> Self::SqlxPostgresIndex {
        self.0
    }

    fn as_sqlx_sqlite_index(&self) -> Self::SqlxSqliteIndex {
        self.0
    }

    fn as_str(&self) -> Option<&str> {
        Some(self.0)
    }

    fn as_usize(&self) -> Option<&usize> {
        None
    }
}

/// A row's columns under a prefix (a nested model's, or none).
#[derive(Clone, Copy)]
pub(crate) struct Columns<'a> {
    row: &'a QueryResult,
    prefix: &'a str,
}

impl<'a> Columns<'a> {
    pub(crate) fn new(row: &'a QueryResult, prefix: &'a str) -> Self {
        Self { row, prefix }
    }

    /// A column that is never empty; an empty one is an error naming it.
    pub(crate) fn required<T: TryGetable>(self, column: &str) -> Result<T, TryGetError> {
        T::try_get(self.row, self.prefix, column)
    }

    /// A column that may be empty.
    pub(crate) fn optional<T: TryGetable>(self, column: &str) -> Result<Option<T>, TryGetError> {
        if self.prefix.is_empty() {
            Option::<T>::try_get_by(self.row, Quiet(column))
        } else {
            Option::<T>::try_get_by(self.row, Quiet(&format!("{}{column}", self.prefix)))
        }
    }
}
