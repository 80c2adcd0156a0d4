//! Two changes to the functions behind row-level security on PostgreSQL.
//!
//! **A temporary table cannot stand in for a policy's table.** A function's
//! body is resolved by name when it runs, on the caller's search path, and
//! every role may create temporary tables, which come first on that path.
//! The application's role could create a temporary `collaboration_members`,
//! write itself in as a coordinator of any collaboration, and
//! `samudbud_member_of` and `samudbud_coordinates` (and so the policies of
//! templates and tender plans) would read that table instead; likewise a
//! temporary `users` would answer the account read. The functions now name
//! their tables with the schema the migrations run in. (A policy's own
//! subqueries are bound to their tables when the policy is created, so only
//! functions were open to this.)
//!
//! **A shared contract's rows are found by one function per statement.**
//! The read policies of a contract and of the rows that go with it (its
//! system links, template link and decisions, and the systems it covers)
//! each held a subquery over `shares` and `collaboration_members`, and those
//! tables' own policies held more: a page of the list carried about ninety
//! plan nodes that PostgreSQL set up on every execution and never ran for a
//! municipality's own rows (a fifth of the database's time for the first
//! page, by `perf`). The subquery is now `(id, owner) IN (SELECT … FROM
//! samudbud_shared_contracts())`: a PL/pgSQL function, which PostgreSQL
//! does not inline, run at most once per statement into a hashed set, and
//! only when a row is not the municipality's own. It reads the shares as
//! the caller, as the subquery did, so the policies mean what they meant.
//! With four connections, pgbench ran the list's totals and first page
//! 872–939 times a second before and 1,099–1,213 after, alternating.
//! Attachments keep their subquery (a share says whether its files go with it).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

use crate::rls::{CURRENT_TENANT, CURRENT_TENANT_ONCE, OWNER_SYSTEM, schema_prefix};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The tables whose rows are read through a shared contract, each with the
/// columns naming the contract and its owner.
const CONTRACT_ROWS: [(&str, &str, &str); 4] = [
    ("contracts", "id", "tenant_id"),
    ("contract_systems", "contract_id", "tenant_id"),
    ("contract_templates", "contract_id", "tenant_id"),
    ("contract_decisions", "contract_id", "tenant_id"),
];

/// The functions that read tables, as `m20261201_000003` and
/// `m20261207_000003` created them when `schema` is empty, and with every
/// table named in `schema` otherwise.
fn table_reading_functions(schema: &str) -> String {
    let member = |extra: &str| {
        format!(
            "LANGUAGE sql STABLE AS $$ \
               SELECT EXISTS (SELECT 1 FROM {schema}collaboration_members m \
                 WHERE m.collaboration_id = collaboration \
                   AND m.tenant_id = {CURRENT_TENANT} AND m.status = 'active'{extra}) $$;"
        )
    };
    let account = |table: &str, function: &str| {
        format!(
            "CREATE OR REPLACE FUNCTION {function}(municipality uuid, account uuid) \
             RETURNS SETOF {schema}{table} LANGUAGE plpgsql VOLATILE AS $$ \
             BEGIN \
               PERFORM set_config('app.tenant_id', municipality::text, true); \
               RETURN QUERY SELECT r.* FROM {schema}{table} r \
                 WHERE r.tenant_id = municipality AND r.id = account; \
             END $$;"
        )
    };
    format!(
        "CREATE OR REPLACE FUNCTION samudbud_member_of(collaboration uuid) RETURNS boolean {} \
         CREATE OR REPLACE FUNCTION samudbud_coordinates(collaboration uuid) RETURNS boolean {} \
         {} {}",
        member(""),
        member(" AND m.role = 'coordinator'"),
        account("users", "samudbud_read_users"),
        account("api_clients", "samudbud_read_api_clients"),
    )
}

/// The contracts shared with a collaboration the current municipality is
/// an active member of, and the systems they cover, as two functions.
fn shared_functions(schema: &str) -> String {
    format!(
        "CREATE OR REPLACE FUNCTION samudbud_shared_contracts() \
         RETURNS TABLE (contract_id uuid, owner_id uuid) LANGUAGE plpgsql STABLE ROWS 100 AS $$ \
         BEGIN \
           RETURN QUERY SELECT s.object_id, s.tenant_id FROM {schema}shares s \
             JOIN {schema}collaboration_members m ON m.collaboration_id = s.collaboration_id \
             WHERE s.object_kind = 'contract' \
               AND m.tenant_id = {CURRENT_TENANT} AND m.status = 'active'; \
         END $$; \
         CREATE OR REPLACE FUNCTION samudbud_shared_systems() \
         RETURNS TABLE (system_id uuid, owner_id uuid) LANGUAGE plpgsql STABLE ROWS 100 AS $$ \
         BEGIN \
           RETURN QUERY SELECT DISTINCT cs.it_system_id, cs.tenant_id \
             FROM {schema}contract_systems cs \
             JOIN {schema}samudbud_shared_contracts() c \
               ON c.contract_id = cs.contract_id AND c.owner_id = cs.tenant_id; \
         END $$;"
    )
}

/// The read policies of the tables whose rows are a municipality's own or
/// go with a contract shared with it: `contract_shared` tests a row's
/// contract and owner columns (named with their table), `system_shared` an
/// IT system's row.
fn read_policies(contract_shared: impl Fn(&str, &str) -> String, system_shared: &str) -> String {
    let policy = |table: &str, shared: &str| {
        format!(
            "ALTER POLICY tenant_select ON {table} USING \
             (tenant_id = {CURRENT_TENANT_ONCE} OR {OWNER_SYSTEM} OR {shared});"
        )
    };
    let mut sql: String = CONTRACT_ROWS
        .iter()
        .map(|(table, contract, owner)| {
            policy(
                table,
                &contract_shared(&format!("{table}.{contract}"), &format!("{table}.{owner}")),
            )
        })
        .collect();
    sql.push_str(&policy("it_systems", system_shared));
    sql
}

/// The read policies as this migration makes them.
fn by_function() -> String {
    read_policies(
        |contract, owner| {
            format!(
                "({contract}, {owner}) IN \
                 (SELECT contract_id, owner_id FROM samudbud_shared_contracts())"
            )
        },
        "(id, tenant_id) IN (SELECT system_id, owner_id FROM samudbud_shared_systems())",
    )
}

/// The read policies as they were before: a subquery each.
fn by_subquery() -> String {
    let shared = |contract: &str, owner: &str| {
        format!(
            "EXISTS (SELECT 1 FROM shares s \
               JOIN collaboration_members m ON m.collaboration_id = s.collaboration_id \
               WHERE s.object_kind = 'contract' AND s.object_id = {contract} \
                 AND s.tenant_id = {owner} \
                 AND m.tenant_id = {CURRENT_TENANT_ONCE} AND m.status = 'active')"
        )
    };
    let systems = format!(
        "EXISTS (SELECT 1 FROM contract_systems cs \
           WHERE cs.it_system_id = it_systems.id AND cs.tenant_id = it_systems.tenant_id \
             AND {})",
        shared("cs.contract_id", "cs.tenant_id")
    );
    read_policies(shared, &systems)
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        if db.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        let schema = schema_prefix(db).await?;
        db.execute_unprepared(&format!(
            "{} {} {}",
            table_reading_functions(&schema),
            shared_functions(&schema),
            by_function()
        ))
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        if db.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        db.execute_unprepared(&format!(
            "{} {} \
             DROP FUNCTION IF EXISTS samudbud_shared_systems(); \
             DROP FUNCTION IF EXISTS samudbud_shared_contracts();",
            by_subquery(),
            table_reading_functions("")
        ))
        .await?;
        Ok(())
    }
}
