//! Exact amounts on SQLite. SQLite has no decimal type: the `decimal(16,2)`
//! money columns got numeric affinity there and kept amounts as floating
//! point, which cannot hold 16 significant digits. They become text columns
//! holding the decimal number, converted from the stored value rounded to
//! øre. PostgreSQL's `numeric(16,2)` is exact already and stays as it is.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

const MONEY_COLUMNS: [&str; 2] = ["annual_value", "total_value"];

/// `column` (a number, or NULL) as decimal text with two decimals, computed
/// in whole øre with integer arithmetic so that no float formatting is
/// involved.
fn as_decimal_text(column: &str) -> String {
    let ore = format!("CAST(ROUND({column} * 100) AS INTEGER)");
    format!(
        "CASE WHEN {column} IS NULL THEN NULL ELSE \
         (CASE WHEN {ore} < 0 THEN '-' ELSE '' END) || (abs({ore}) / 100) || '.' || \
         substr('00' || (abs({ore}) % 100), -2) END"
    )
}

/// Replaces `column` of `contracts` by one of `new_type` holding
/// `converted` (an expression over the old column). SQLite cannot change a
/// column's type in place; a new column, a copy, a drop and a rename do it
/// in the migration's transaction.
async fn retype_column(
    db: &SchemaManagerConnection<'_>,
    column: &str,
    new_type: &str,
    converted: &str,
) -> Result<(), DbErr> {
    let temporary = format!("{column}_retyped");
    db.execute_unprepared(&format!(
        "ALTER TABLE contracts ADD COLUMN {temporary} {new_type}"
    ))
    .await?;
    db.execute_unprepared(&format!("UPDATE contracts SET {temporary} = {converted}"))
        .await?;
    db.execute_unprepared(&format!("ALTER TABLE contracts DROP COLUMN {column}"))
        .await?;
    db.execute_unprepared(&format!(
        "ALTER TABLE contracts RENAME COLUMN {temporary} TO {column}"
    ))
    .await?;
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    /// SQLite runs DDL in transactions too: the columns change, with the
    /// migration's record, all at once or not at all.
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        if db.get_database_backend() != DbBackend::Sqlite {
            return Ok(());
        }
        for column in MONEY_COLUMNS {
            retype_column(db, column, "TEXT", &as_decimal_text(column)).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        if db.get_database_backend() != DbBackend::Sqlite {
            return Ok(());
        }
        for column in MONEY_COLUMNS {
            retype_column(db, column, "decimal(16, 2)", column).await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

    use sea_orm_migration::sea_orm::{ConnectOptions, Database, Statement};

    use super::*;
    use crate::Migrator;

    /// Amounts stored as floating point by the first schema come out as the
    /// same amounts in decimal text, rounded to øre, NULL staying NULL.
    #[tokio::test]
    async fn sqlite_amounts_become_exact_text() {
        let mut options = ConnectOptions::new("sqlite::memory:");
        options.max_connections(1).min_connections(1);
        let db = Database::connect(options).await.unwrap();
        Migrator::up(&db, Some(3)).await.unwrap();
        db.execute_unprepared("PRAGMA foreign_keys = OFF")
            .await
            .unwrap();
        let stored = [
            ("1", "1250000"),
            ("2", "1234.5"),
            ("3", "12345678901.23"),
            ("4", "0.1 + 0.2"),
            ("5", "NULL"),
            ("6", "99999999999999.99"),
        ];
        for (id, value) in stored {
            crate::test_rows::insert_contract(&db, id, value).await;
        }
        Migrator::up(&db, None).await.unwrap();

        let rows = db
            .query_all_raw(Statement::from_string(
                DbBackend::Sqlite,
                "SELECT id, annual_value, total_value, typeof(annual_value) AS kind \
                 FROM contracts ORDER BY id",
            ))
            .await
            .unwrap();
        let found: Vec<(String, Option<String>, Option<String>, String)> = rows
            .iter()
            .map(|row| {
                (
                    row.try_get("", "id").unwrap(),
                    row.try_get("", "annual_value").unwrap(),
                    row.try_get("", "total_value").unwrap(),
                    row.try_get("", "kind").unwrap(),
                )
            })
            .collect();
        let expected = [
            ("1", Some("1250000.00")),
            ("2", Some("1234.50")),
            ("3", Some("12345678901.23")),
            ("4", Some("0.30")),
            ("5", None),
            // The float nearest this amount is 99999999999999.984375: the
            // digits the first schema lost stay lost, the rest are kept.
            ("6", Some("99999999999999.98")),
        ];
        assert_eq!(found.len(), expected.len());
        for ((id, annual, total, kind), (want_id, want)) in found.iter().zip(expected) {
            assert_eq!(id, want_id);
            assert_eq!(annual.as_deref(), want, "contract {id}");
            assert_eq!(total.as_deref(), want, "contract {id}");
            assert_eq!(kind, if want.is_some() { "text" } else { "null" });
        }

        // New amounts are kept as written.
        db.execute_unprepared(
            "UPDATE contracts SET annual_value = '99999999999999.99' WHERE id = '1'",
        )
        .await
        .unwrap();
        let row = db
            .query_one_raw(Statement::from_string(
                DbBackend::Sqlite,
                "SELECT annual_value FROM contracts WHERE id = '1'",
            ))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            row.try_get::<String>("", "annual_value").unwrap(),
            "99999999999999.99"
        );

        // And back, for a rollback.
        Migrator::down(&db, Some(1)).await.unwrap();
    }
}
