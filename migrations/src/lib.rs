//! Samudbud's schema, as date-stamped migrations that run unchanged on SQLite
//! and PostgreSQL. PostgreSQL additionally gets row-level security on every
//! tenant-owned table as a backstop behind the application's own tenant scoping
//! (`rls`; one policy per command since `m20261201_000001_row_security`).

pub use sea_orm_migration::prelude::*;

mod m20261122_000001_foundation;
mod m20261122_000002_collaborations;
mod m20261122_000003_contracts;
mod m20261201_000001_row_security;
mod m20261201_000002_exact_money;
mod m20261201_000003_collaboration_ownership;
mod m20261201_000004_templates;
mod m20261201_000005_tender_plans;
mod m20261202_000001_calendar_feeds;
mod m20261202_000004_reminders;
mod m20261202_000005_opportunities;
mod m20261202_000006_contract_imports;
mod m20261202_000007_publishable;
mod m20261203_000001_ownership;
mod m20261203_000002_share_attachments;
mod m20261204_000001_saved_views;
mod m20261204_000002_deadline_decisions;
mod m20261204_000004_retender_index;
mod m20261205_000002_change_log;
mod m20261205_000003_webhooks;
mod m20261205_000004_rate_limits;
mod m20261206_000001_kitos;
mod m20261206_000002_sealed_webhook_secrets;
mod m20261207_000001_contract_totals_index;
mod m20261207_000002_policies_test_municipality_first;
mod m20261207_000003_account_reads;
mod m20261208_000001_policies_read_the_municipality_once;
mod m20261208_000002_shared_rows_by_function;
mod m20261209_000001_view_versions;
mod m20261209_000002_contract_reads;
mod rls;
#[cfg(test)]
mod test_rows;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_foundation::Migration),
            Box::new(m20261122_000002_collaborations::Migration),
            Box::new(m20261122_000003_contracts::Migration),
            Box::new(m20261201_000001_row_security::Migration),
            Box::new(m20261201_000002_exact_money::Migration),
            Box::new(m20261201_000003_collaboration_ownership::Migration),
            Box::new(m20261201_000004_templates::Migration),
            Box::new(m20261201_000005_tender_plans::Migration),
            Box::new(m20261202_000001_calendar_feeds::Migration),
            Box::new(m20261202_000004_reminders::Migration),
            Box::new(m20261202_000005_opportunities::Migration),
            Box::new(m20261202_000006_contract_imports::Migration),
            Box::new(m20261202_000007_publishable::Migration),
            Box::new(m20261203_000001_ownership::Migration),
            Box::new(m20261203_000002_share_attachments::Migration),
            Box::new(m20261204_000001_saved_views::Migration),
            Box::new(m20261204_000002_deadline_decisions::Migration),
            Box::new(m20261204_000004_retender_index::Migration),
            Box::new(m20261205_000002_change_log::Migration),
            Box::new(m20261205_000003_webhooks::Migration),
            Box::new(m20261205_000004_rate_limits::Migration),
            Box::new(m20261206_000001_kitos::Migration),
            Box::new(m20261206_000002_sealed_webhook_secrets::Migration),
            Box::new(m20261207_000001_contract_totals_index::Migration),
            Box::new(m20261207_000002_policies_test_municipality_first::Migration),
            Box::new(m20261207_000003_account_reads::Migration),
            Box::new(m20261208_000001_policies_read_the_municipality_once::Migration),
            Box::new(m20261208_000002_shared_rows_by_function::Migration),
            Box::new(m20261209_000001_view_versions::Migration),
            Box::new(m20261209_000002_contract_reads::Migration),
        ]
    }
}
