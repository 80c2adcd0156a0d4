//! Row-level security for PostgreSQL. The application sets `app.tenant_id`
//! (or `app.system = 'on'` for cross-tenant work such as login) with
//! `set_config(…, true)` inside each transaction; these policies make a
//! forgotten tenant predicate return nothing instead of another tenant's rows.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

/// The current tenant, as the policies see it.
pub const CURRENT_TENANT: &str = "NULLIF(current_setting('app.tenant_id', true), '')::uuid";

/// Cross-tenant work (login, token refresh, operator commands).
pub const SYSTEM: &str = "current_setting('app.system', true) = 'on'";

/// Enables and forces row-level security on `table` (forced, so that the
/// table owner is bound by it too): a row is visible and writable in its own
/// tenant's transactions only.
pub async fn enable_tenant_isolation(
    manager: &SchemaManager<'_>,
    table: &str,
) -> Result<(), DbErr> {
    let own = format!("{SYSTEM} OR tenant_id = {CURRENT_TENANT}");
    enable_policy(manager, table, &own, &own).await
}

/// Enables and forces row-level security on `table` with one policy: rows
/// matching `visible` can be read, rows matching `writable` written.
pub async fn enable_policy(
    manager: &SchemaManager<'_>,
    table: &str,
    visible: &str,
    writable: &str,
) -> Result<(), DbErr> {
    let db = manager.get_connection();
    if db.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    db.execute_unprepared(&format!(
        "ALTER TABLE {table} ENABLE ROW LEVEL SECURITY; \
         ALTER TABLE {table} FORCE ROW LEVEL SECURITY; \
         CREATE POLICY tenant_isolation ON {table} \
           USING ({visible}) WITH CHECK ({writable});"
    ))
    .await?;
    Ok(())
}
