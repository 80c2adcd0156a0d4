//! A contract read by id went as a transaction of four statements on
//! PostgreSQL (begin, the municipality's setting, the read, commit), after
//! the account's own read: five round trips, each a wake-up of the server
//! and of a database process, for one row.
//!
//! `samudbud_read_contract` reads a municipality's own contract in one
//! prepared statement, as the account functions (`m20261207_000003`) read
//! an account: it sets the municipality for the statement's own
//! transaction and reads as the calling role, so row-level security binds
//! as in any transaction. With the row come what its view needs and the
//! list reads with it: the owner's and the supplier's names, whether it is
//! based on a template, its covered systems as a JSON array of `[id, name]`
//! pairs, and its owning user's name and e-mail. Tables are named in the
//! migrations' schema, so a temporary table cannot stand in for one
//! (`m20261208_000002`).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

use crate::rls::schema_prefix;

#[derive(DeriveMigrationName)]
pub struct Migration;

const FUNCTION: &str = "samudbud_read_contract";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        if db.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        let schema = schema_prefix(db).await?;
        // The policies' subqueries make planning cost as much as running
        // the read: the generic plan is kept, as for every municipality's
        // statement (`Db::read`).
        db.execute_unprepared(&format!(
            "CREATE OR REPLACE FUNCTION {FUNCTION}(municipality uuid, wanted uuid) \
             RETURNS TABLE (contract_row {schema}contracts, owner_name text, owner_code text, \
               supplier_cvr text, supplier_name text, templated boolean, systems text, \
               owner_user_name text, owner_user_email text) \
             LANGUAGE plpgsql VOLATILE AS $$ \
             #variable_conflict use_column \
             BEGIN \
               PERFORM set_config('app.tenant_id', municipality::text, true), \
                 set_config('plan_cache_mode', 'force_generic_plan', true); \
               RETURN QUERY \
                 SELECT r, t.name::text, t.municipality_code::text, s.cvr::text, s.name::text, \
                   EXISTS (SELECT 1 FROM {schema}contract_templates ct \
                     WHERE ct.contract_id = r.id AND ct.tenant_id = r.tenant_id), \
                   (SELECT COALESCE(json_agg(json_build_array(cs.it_system_id, i.name))::text, '[]') \
                     FROM {schema}contract_systems cs \
                     JOIN {schema}it_systems i ON i.id = cs.it_system_id \
                     WHERE cs.contract_id = r.id AND cs.tenant_id = r.tenant_id \
                       AND i.tenant_id = r.tenant_id), \
                   u.name::text, u.email::text \
                 FROM {schema}contracts r \
                 JOIN {schema}tenants t ON t.id = r.tenant_id \
                 LEFT JOIN {schema}suppliers s ON s.id = r.supplier_id \
                 LEFT JOIN {schema}users u ON u.id = r.owner_user_id AND u.tenant_id = r.tenant_id \
                 WHERE r.tenant_id = municipality AND r.id = wanted; \
             END $$"
        ))
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        if db.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        db.execute_unprepared(&format!("DROP FUNCTION IF EXISTS {FUNCTION}(uuid, uuid)"))
            .await?;
        Ok(())
    }
}
