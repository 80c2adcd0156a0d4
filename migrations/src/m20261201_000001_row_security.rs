//! Row-level security that holds against the application's own role: one
//! policy per command on every tenant table instead of one `FOR ALL` policy
//! (which applied the read condition, shares included, to updates and
//! deletes), and a system scope that only the role running the migrations
//! (the owner of the tables) can switch on.
//!
//! Reading: the tenant's own rows, and rows of objects shared with a
//! collaboration the tenant is an active member of, with the data linked to
//! them (a shared contract's IT-system links and systems). Inserting,
//! updating, deleting: the tenant's own rows only, and an update can never
//! move a row to another tenant.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

use crate::rls::{
    COMMAND_POLICIES, CURRENT_TENANT, SYSTEM, drop_policies, enable_policy, per_command_policies,
};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Every table whose rows belong to one municipality.
const TENANT_TABLES: [&str; 9] = [
    "users",
    "refresh_tokens",
    "audit_events",
    "api_clients",
    "shares",
    "it_systems",
    "contracts",
    "contract_systems",
    "attachments",
];

/// Rows the current tenant may read besides its own, per table.
fn shared_read(table: &str) -> Option<String> {
    // A share of `object` (kind `contract`, owned by `owner`) with a
    // collaboration the current tenant is an active member of.
    let contract_shared = |object: &str, owner: &str| {
        format!(
            "EXISTS (SELECT 1 FROM shares s \
               JOIN collaboration_members m ON m.collaboration_id = s.collaboration_id \
               WHERE s.object_kind = 'contract' AND s.object_id = {object} \
                 AND s.tenant_id = {owner} \
                 AND m.tenant_id = {CURRENT_TENANT} AND m.status = 'active')"
        )
    };
    match table {
        "shares" => Some(format!(
            "EXISTS (SELECT 1 FROM collaboration_members m \
               WHERE m.collaboration_id = shares.collaboration_id \
                 AND m.tenant_id = {CURRENT_TENANT} AND m.status = 'active')"
        )),
        "contracts" => Some(contract_shared("contracts.id", "contracts.tenant_id")),
        "contract_systems" => Some(contract_shared(
            "contract_systems.contract_id",
            "contract_systems.tenant_id",
        )),
        "it_systems" => Some(format!(
            "EXISTS (SELECT 1 FROM contract_systems cs \
               WHERE cs.it_system_id = it_systems.id AND cs.tenant_id = it_systems.tenant_id \
                 AND {})",
            contract_shared("cs.contract_id", "cs.tenant_id")
        )),
        _ => None,
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        if db.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        // The system scope, for the role migrating now (the tables' owner)
        // only: the application's role setting `app.system` gains nothing.
        // The function belongs to that role, so the application's role
        // cannot replace it; the policies refer to it by identity.
        db.execute_unprepared(
            "DO $$ BEGIN \
               EXECUTE format( \
                 'CREATE OR REPLACE FUNCTION samudbud_system_scope() RETURNS boolean \
                    LANGUAGE sql STABLE AS %L', \
                 format('SELECT coalesce(current_setting(''app.system'', true) = ''on'', false) \
                           AND current_user = %L::name', current_user)); \
             END $$;",
        )
        .await?;
        for table in TENANT_TABLES {
            drop_policies(manager, table, &["tenant_isolation"]).await?;
            drop_policies(manager, table, &COMMAND_POLICIES).await?;
            per_command_policies(manager, table, shared_read(table).as_deref()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        if db.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        // Back to the single policies of the first migrations.
        for table in TENANT_TABLES {
            drop_policies(manager, table, &COMMAND_POLICIES).await?;
            let own = format!("{SYSTEM} OR tenant_id = {CURRENT_TENANT}");
            let visible = match table {
                "shares" | "contracts" => format!(
                    "{own} OR {}",
                    shared_read(table).unwrap_or_else(|| "false".to_owned())
                ),
                _ => own.clone(),
            };
            enable_policy(manager, table, &visible, &own).await?;
        }
        db.execute_unprepared("DROP FUNCTION IF EXISTS samudbud_system_scope()")
            .await?;
        Ok(())
    }
}
