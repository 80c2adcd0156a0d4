//! Rows a collaboration owns (its templates and tender plans): two SQL
//! functions the row-level policies of such tables ask, whether the current
//! municipality is an active member of a collaboration, and whether it
//! coordinates it. The tables come with their own migrations and call
//! `rls::collaboration_owned_policies`.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

use crate::rls::CURRENT_TENANT;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261201_000003_collaboration_ownership"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        if db.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        // Owned by the migrating role, so the application's role cannot
        // replace them; memberships carry no row-level security (who takes
        // part is visible to every member), so they read as the caller.
        db.execute_unprepared(&format!(
            "CREATE OR REPLACE FUNCTION samudbud_member_of(collaboration uuid) RETURNS boolean \
               LANGUAGE sql STABLE AS $$ \
                 SELECT EXISTS (SELECT 1 FROM collaboration_members m \
                   WHERE m.collaboration_id = collaboration \
                     AND m.tenant_id = {CURRENT_TENANT} AND m.status = 'active') $$; \
             CREATE OR REPLACE FUNCTION samudbud_coordinates(collaboration uuid) RETURNS boolean \
               LANGUAGE sql STABLE AS $$ \
                 SELECT EXISTS (SELECT 1 FROM collaboration_members m \
                   WHERE m.collaboration_id = collaboration \
                     AND m.tenant_id = {CURRENT_TENANT} AND m.status = 'active' \
                     AND m.role = 'coordinator') $$;"
        ))
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        if db.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        db.execute_unprepared(
            "DROP FUNCTION IF EXISTS samudbud_member_of(uuid); \
             DROP FUNCTION IF EXISTS samudbud_coordinates(uuid);",
        )
        .await?;
        Ok(())
    }
}
