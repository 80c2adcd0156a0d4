//! The contract list's totals (how many contracts match, and their annual
//! and total values summed) are read with every page. An index holding the
//! columns those sums and the row-security check need lets both databases
//! read them from the index alone instead of from every contract's row:
//! PostgreSQL as an index-only scan (the values as included columns),
//! SQLite as a covering index.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let sql = if manager.get_database_backend() == DbBackend::Postgres {
            "CREATE INDEX IF NOT EXISTS idx_contracts_tenant_totals ON contracts \
             (tenant_id, archived_at) INCLUDE (id, annual_value, total_value)"
        } else {
            "CREATE INDEX IF NOT EXISTS idx_contracts_tenant_totals ON contracts \
             (tenant_id, archived_at, id, annual_value, total_value)"
        };
        manager.get_connection().execute_unprepared(sql).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared("DROP INDEX IF EXISTS idx_contracts_tenant_totals")
            .await?;
        Ok(())
    }
}
