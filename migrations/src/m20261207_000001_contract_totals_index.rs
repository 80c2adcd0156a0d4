//! The contract list's totals (how many contracts match, and their annual
//! and total values summed) are read with every page. An index holding the
//! columns those sums and the row-security check need lets both databases
//! read them from the index alone instead of from every contract's row:
//! PostgreSQL as an index-only scan (the values as included columns).
//!
//! SQLite keeps amounts as decimal text, and summing them exactly means
//! reading each one as whole øre with string functions: about 3 ms for a
//! municipality's 1,000 contracts, more than the rest of a list request.
//! There each amount also gets a virtual generated column in øre
//! (`annual_value_ore`, `total_value_ore`). A virtual column is worked out
//! when it is read from the row, but the index stores its value, worked out
//! when the contract is written, so totals read through the index parse no
//! amount.
//! Generated columns are not part of the entity; no statement names them
//! except the totals.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// A money column's decimal text (at most two decimals, no exponent) as
/// whole øre, in integer arithmetic: the kroner before the point times 100
/// plus the øre after it, padded to two digits. NULL or empty gives NULL.
fn ore(column: &str) -> String {
    let text = format!("trim(\"{column}\")");
    let point = format!("instr({text}, '.')");
    format!(
        "(CASE WHEN {text} IS NULL OR {text} = '' THEN NULL \
         WHEN {point} = 0 THEN CAST({text} AS INTEGER) * 100 \
         ELSE (CASE WHEN substr({text}, 1, 1) = '-' THEN -1 ELSE 1 END) * \
         (abs(CAST(substr({text}, 1, {point} - 1) AS INTEGER)) * 100 + \
         CAST(substr(substr({text}, {point} + 1) || '00', 1, 2) AS INTEGER)) END)"
    )
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        if manager.get_database_backend() == DbBackend::Postgres {
            db.execute_unprepared(
                "CREATE INDEX IF NOT EXISTS idx_contracts_tenant_totals ON contracts \
                 (tenant_id, archived_at) INCLUDE (id, annual_value, total_value)",
            )
            .await?;
            return Ok(());
        }
        for amount in ["annual_value", "total_value"] {
            db.execute_unprepared(&format!(
                "ALTER TABLE contracts ADD COLUMN {amount}_ore INTEGER \
                 GENERATED ALWAYS AS {} VIRTUAL",
                ore(amount)
            ))
            .await?;
        }
        db.execute_unprepared(
            "CREATE INDEX IF NOT EXISTS idx_contracts_tenant_totals ON contracts \
             (tenant_id, archived_at, id, annual_value_ore, total_value_ore)",
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared("DROP INDEX IF EXISTS idx_contracts_tenant_totals")
            .await?;
        if manager.get_database_backend() != DbBackend::Postgres {
            for amount in ["annual_value", "total_value"] {
                db.execute_unprepared(&format!("ALTER TABLE contracts DROP COLUMN {amount}_ore"))
                    .await?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

    use sea_orm_migration::sea_orm::{ConnectOptions, Database, DatabaseConnection, Statement};

    use super::*;
    use crate::Migrator;

    async fn strings(db: &DatabaseConnection, sql: &str, column: &str) -> Vec<String> {
        db.query_all_raw(Statement::from_string(DbBackend::Sqlite, sql))
            .await
            .unwrap()
            .iter()
            .map(|row| row.try_get::<String>("", column).unwrap())
            .collect()
    }

    /// On SQLite every stored amount has its exact øre in the generated
    /// columns, the totals are read through the index, and the migration
    /// can be undone and done again.
    #[tokio::test]
    async fn sqlite_amounts_in_ore() {
        let mut options = ConnectOptions::new("sqlite::memory:");
        options.max_connections(1).min_connections(1);
        let db = Database::connect(options).await.unwrap();
        Migrator::up(&db, None).await.unwrap();
        db.execute_unprepared("PRAGMA foreign_keys = OFF")
            .await
            .unwrap();
        let stored = [
            ("1", "'1250000'", Some(125_000_000)),
            ("2", "'1234.5'", Some(123_450)),
            ("3", "'99999999999999.99'", Some(9_999_999_999_999_999)),
            ("4", "'0.05'", Some(5)),
            ("5", "'-12.5'", Some(-1_250)),
            ("6", "' 7 '", Some(700)),
            ("7", "NULL", None),
            ("8", "''", None),
        ];
        for (id, value, _) in stored {
            crate::test_rows::insert_contract(&db, id, value).await;
        }
        let rows = db
            .query_all_raw(Statement::from_string(
                DbBackend::Sqlite,
                "SELECT id, annual_value_ore, total_value_ore FROM contracts ORDER BY id",
            ))
            .await
            .unwrap();
        assert_eq!(rows.len(), stored.len());
        for (row, (id, value, want)) in rows.iter().zip(stored) {
            assert_eq!(row.try_get::<String>("", "id").unwrap(), id);
            let annual: Option<i64> = row.try_get("", "annual_value_ore").unwrap();
            let total: Option<i64> = row.try_get("", "total_value_ore").unwrap();
            assert_eq!(annual, want, "{value}");
            assert_eq!(total, want, "{value}");
        }
        let plan = strings(
            &db,
            "EXPLAIN QUERY PLAN SELECT COUNT(*), SUM(annual_value_ore), SUM(total_value_ore) \
             FROM contracts WHERE tenant_id = 't' AND archived_at IS NULL",
            "detail",
        )
        .await;
        assert!(
            plan.iter()
                .any(|step| step.contains("idx_contracts_tenant_totals")),
            "{plan:?}"
        );

        // Undone (with the migrations after it): the columns and the index
        // go, the amounts stay.
        let this_and_after = Migrator::migrations()
            .iter()
            .rev()
            .position(|m| m.name() == Migration.name())
            .unwrap()
            + 1;
        Migrator::down(&db, Some(this_and_after as u32))
            .await
            .unwrap();
        let columns = strings(
            &db,
            "SELECT name FROM pragma_table_xinfo('contracts') WHERE name LIKE '%_ore'",
            "name",
        )
        .await;
        assert!(columns.is_empty(), "{columns:?}");
        let amounts = strings(
            &db,
            "SELECT annual_value FROM contracts WHERE id = '2'",
            "annual_value",
        )
        .await;
        assert_eq!(amounts, ["1234.5"]);
        Migrator::up(&db, None).await.unwrap();
        let sums = db
            .query_one_raw(Statement::from_string(
                DbBackend::Sqlite,
                "SELECT SUM(annual_value_ore) AS ore FROM contracts",
            ))
            .await
            .unwrap()
            .unwrap();
        let expected: i64 = stored.iter().filter_map(|(_, _, ore)| *ore).sum();
        assert_eq!(sums.try_get::<i64>("", "ore").unwrap(), expected);
    }
}
