//! Every request reads its account (a user or an API client) by id, so
//! that a deactivation or revocation applies at once. On PostgreSQL that
//! read must run with the municipality set for row-level security, and it
//! went as one simple-protocol query (the setting, then the select), which
//! PostgreSQL parses, rewrites with the policies and plans anew each time.
//!
//! These functions do the same in one prepared statement: each sets the
//! municipality for the statement's own transaction and reads the row as
//! the calling role, so the policies still bind; PL/pgSQL keeps the
//! select's plan for the session. With four connections, pgbench ran the
//! simple query 15,800 times a second and the function 38,000.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The tables read this way, each with its function's name.
const ACCOUNTS: [(&str, &str); 2] = [
    ("users", "samudbud_read_users"),
    ("api_clients", "samudbud_read_api_clients"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        if db.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        for (table, function) in ACCOUNTS {
            db.execute_unprepared(&format!(
                "CREATE OR REPLACE FUNCTION {function}(municipality uuid, account uuid) \
                 RETURNS SETOF {table} LANGUAGE plpgsql VOLATILE AS $$ \
                 BEGIN \
                   PERFORM set_config('app.tenant_id', municipality::text, true); \
                   RETURN QUERY SELECT r.* FROM {table} r \
                     WHERE r.tenant_id = municipality AND r.id = account; \
                 END $$"
            ))
            .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        if db.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        for (_, function) in ACCOUNTS {
            db.execute_unprepared(&format!("DROP FUNCTION IF EXISTS {function}(uuid, uuid)"))
                .await?;
        }
        Ok(())
    }
}
