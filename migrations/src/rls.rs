//! Row-level security for PostgreSQL. The application sets `app.tenant_id`
//! (or `app.system = 'on'` for cross-tenant work such as login) with
//! `set_config(…, true)` inside each transaction; these policies make a
//! forgotten tenant predicate return nothing instead of another tenant's rows.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

/// The predicate shared by every tenant-owned table's policy.
const TENANT_PREDICATE: &str = "current_setting('app.system', true) = 'on' \
     OR tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid";

/// Enables and forces row-level security on `table` (forced, so that the
/// table owner is bound by it too) with the tenant isolation policy.
pub async fn enable_tenant_isolation(
    manager: &SchemaManager<'_>,
    table: &str,
) -> Result<(), DbErr> {
    let db = manager.get_connection();
    if db.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    db.execute_unprepared(&format!(
        "ALTER TABLE {table} ENABLE ROW LEVEL SECURITY; \
         ALTER TABLE {table} FORCE ROW LEVEL SECURITY; \
         CREATE POLICY tenant_isolation ON {table} \
           USING ({TENANT_PREDICATE}) WITH CHECK ({TENANT_PREDICATE});"
    ))
    .await?;
    Ok(())
}
