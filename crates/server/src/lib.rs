//! Samudbud's HTTP face: the REST API and its OpenAPI document, the web app,
//! health and metrics, and the `samudbud` command line.

pub mod api;
pub mod app;
pub mod assets;
pub mod backup;
pub mod cli;
pub mod config;
pub mod metrics;
pub mod middleware;
pub mod problem;
pub mod proxies;
pub mod responses;
pub mod security;
pub mod state;
pub mod telemetry;

/// Runs every pending migration.
pub async fn migrate(db: &samudbud_domain::Db) -> Result<(), sea_orm::DbErr> {
    use samudbud_migration::MigratorTrait;
    samudbud_migration::Migrator::up(db.connection(), None).await
}
