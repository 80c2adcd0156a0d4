//! Row-level security for PostgreSQL. The application sets `app.tenant_id`
//! (or `app.system = 'on'` for cross-tenant work such as login) with
//! `set_config(…, true)` inside each transaction; these policies make a
//! forgotten tenant predicate return nothing instead of another tenant's rows.
//!
//! The first migrations created one `FOR ALL` policy per table
//! (`enable_tenant_isolation`, `enable_policy`); `m20261201_000001_row_security`
//! replaces them with one policy per command (`per_command_policies`), under
//! which only the owner role can switch the system scope on.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend, Statement};

/// The current tenant, as the first policies read it: for every row.
pub const CURRENT_TENANT: &str = "NULLIF(current_setting('app.tenant_id', true), '')::uuid";

/// The current tenant read once per statement (a scalar subquery, which
/// PostgreSQL runs as an init plan) rather than once per row: what the
/// helpers below use since `m20261208_000001_policies_read_the_municipality_once`.
pub const CURRENT_TENANT_ONCE: &str =
    "(SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid)";

/// Cross-tenant work (login, token refresh, operator commands), as the first
/// migrations tested it: any role could switch it on. Kept for them only.
pub const SYSTEM: &str = "current_setting('app.system', true) = 'on'";

/// Cross-tenant work as the per-command policies test it: `app.system = 'on'`
/// counts only for the role that ran the migrations (see
/// `m20261201_000001_row_security`), never for the application's role.
pub const OWNER_SYSTEM: &str = "samudbud_system_scope()";

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

/// The names of the per-command policies on a table.
pub const COMMAND_POLICIES: [&str; 4] = [
    "tenant_select",
    "tenant_insert",
    "tenant_update",
    "tenant_delete",
];

/// Enables and forces row-level security on `table` with one policy per
/// command: rows of the current tenant, or matching `also_readable` (for
/// example rows shared with it), can be read; only the current tenant's rows
/// can be inserted, updated or deleted, and an update cannot move a row to
/// another tenant. `OWNER_SYSTEM` opens every row to the owner role's
/// cross-tenant transactions.
pub async fn per_command_policies(
    manager: &SchemaManager<'_>,
    table: &str,
    also_readable: Option<&str>,
) -> Result<(), DbErr> {
    let db = manager.get_connection();
    if db.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    // The municipality's own test first: it decides almost every row, and
    // PostgreSQL tries `OR`'s branches in the order written
    // (`m20261207_000002_policies_test_municipality_first`).
    let own = format!("tenant_id = {CURRENT_TENANT_ONCE} OR {OWNER_SYSTEM}");
    let readable = match also_readable {
        Some(shared) => format!("{own} OR {shared}"),
        None => own.clone(),
    };
    db.execute_unprepared(&format!(
        "ALTER TABLE {table} ENABLE ROW LEVEL SECURITY; \
         ALTER TABLE {table} FORCE ROW LEVEL SECURITY; \
         CREATE POLICY tenant_select ON {table} FOR SELECT USING ({readable}); \
         CREATE POLICY tenant_insert ON {table} FOR INSERT WITH CHECK ({own}); \
         CREATE POLICY tenant_update ON {table} FOR UPDATE USING ({own}) WITH CHECK ({own}); \
         CREATE POLICY tenant_delete ON {table} FOR DELETE USING ({own});"
    ))
    .await?;
    Ok(())
}

/// Drops every policy named in `names` from `table`, if there.
pub async fn drop_policies(
    manager: &SchemaManager<'_>,
    table: &str,
    names: &[&str],
) -> Result<(), DbErr> {
    let db = manager.get_connection();
    if db.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    let sql: String = names
        .iter()
        .map(|name| format!("DROP POLICY IF EXISTS {name} ON {table};"))
        .collect();
    db.execute_unprepared(&sql).await?;
    Ok(())
}

/// Whose a row of a table with both `tenant_id` and a nullable
/// `collaboration_id` is: the collaboration's when set, else the tenant's.
/// `m20261201_000003_collaboration_ownership` defines the two functions.
fn collaboration_owned(collaboration_test: &str) -> String {
    format!(
        "(collaboration_id IS NULL AND tenant_id = {CURRENT_TENANT_ONCE}) \
         OR {OWNER_SYSTEM} \
         OR (collaboration_id IS NOT NULL AND {collaboration_test}(collaboration_id))"
    )
}

/// Per-command policies for a table whose rows belong to a municipality or
/// to a collaboration (templates, tender plans and their parts): a
/// municipality's rows are read and written by it alone; a collaboration's
/// rows are read by its active members and written by its coordinators.
/// `also_readable` adds rows readable besides (for example shared ones). No
/// update moves a row to an owner the writer could not write as.
pub async fn collaboration_owned_policies(
    manager: &SchemaManager<'_>,
    table: &str,
    also_readable: Option<&str>,
) -> Result<(), DbErr> {
    let db = manager.get_connection();
    if db.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    let readable = collaboration_owned("samudbud_member_of");
    let readable = match also_readable {
        Some(extra) => format!("{readable} OR {extra}"),
        None => readable,
    };
    let writable = collaboration_owned("samudbud_coordinates");
    db.execute_unprepared(&format!(
        "ALTER TABLE {table} ENABLE ROW LEVEL SECURITY; \
         ALTER TABLE {table} FORCE ROW LEVEL SECURITY; \
         CREATE POLICY tenant_select ON {table} FOR SELECT USING ({readable}); \
         CREATE POLICY tenant_insert ON {table} FOR INSERT WITH CHECK ({writable}); \
         CREATE POLICY tenant_update ON {table} FOR UPDATE USING ({writable}) WITH CHECK ({writable}); \
         CREATE POLICY tenant_delete ON {table} FOR DELETE USING ({writable});"
    ))
    .await?;
    Ok(())
}

/// Rewrites the expressions of every policy in the current schema with
/// `rewrite`, in place (`ALTER POLICY`); a policy whose expressions it
/// leaves as PostgreSQL prints them is not touched.
pub async fn rewrite_policies(
    manager: &SchemaManager<'_>,
    rewrite: impl Fn(&str) -> String,
) -> Result<(), DbErr> {
    let db = manager.get_connection();
    if db.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    let policies = db
        .query_all_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT tablename, policyname, qual, with_check FROM pg_policies \
             WHERE schemaname = current_schema() ORDER BY tablename, policyname",
        ))
        .await?;
    let mut sql = String::new();
    for policy in policies {
        let table: String = policy.try_get("", "tablename")?;
        let name: String = policy.try_get("", "policyname")?;
        let qual: Option<String> = policy.try_get("", "qual")?;
        let check: Option<String> = policy.try_get("", "with_check")?;
        let (new_qual, new_check) = (
            qual.as_deref().map(&rewrite),
            check.as_deref().map(&rewrite),
        );
        if new_qual == qual && new_check == check {
            continue;
        }
        sql.push_str(&format!("ALTER POLICY \"{name}\" ON \"{table}\""));
        if let Some(using) = new_qual {
            sql.push_str(&format!(" USING ({using})"));
        }
        if let Some(check) = new_check {
            sql.push_str(&format!(" WITH CHECK ({check})"));
        }
        sql.push_str(";\n");
    }
    if !sql.is_empty() {
        db.execute_unprepared(&sql).await?;
    }
    Ok(())
}

/// The schema the migrations run in, quoted, with the dot that follows it.
pub async fn schema_prefix(db: &SchemaManagerConnection<'_>) -> Result<String, DbErr> {
    let row = db
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT quote_ident(current_schema()) AS schema",
        ))
        .await?
        .ok_or_else(|| DbErr::Custom("no current schema".into()))?;
    let schema: String = row.try_get("", "schema")?;
    Ok(format!("{schema}."))
}
