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
//! (`annual_value_ore`, `total_value_ore`), and the index holds those, so
//! the øre are worked out when a contract is written, not on every read.
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
