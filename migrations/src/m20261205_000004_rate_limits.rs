//! Request rate limits per API client: the limit the municipality's admin
//! sets on each client (requests per minute), and the limiter's state, one
//! row per client, so that every server behind the load balancer counts
//! against the same budget. The state is the client's theoretical arrival
//! time in the generic cell rate algorithm, in milliseconds since the epoch,
//! moved by one atomic statement per request. The municipality's own rows
//! (`rls::per_command_policies`).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::rls::per_command_policies;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Requests per minute of a client whose admin has not chosen.
const DEFAULT_PER_MINUTE: i32 = 600;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(ApiClients::Table)
                    .add_column(integer(ApiClients::RateLimitPerMinute).default(DEFAULT_PER_MINUTE))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ApiClientRates::Table)
                    .col(uuid(ApiClientRates::ClientId).primary_key())
                    .col(uuid(ApiClientRates::TenantId))
                    .col(big_integer(ApiClientRates::TatMs))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ApiClientRates::Table, ApiClientRates::ClientId)
                            .to(ApiClients::Table, ApiClients::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ApiClientRates::Table, ApiClientRates::TenantId)
                            .to(Tenants::Table, Tenants::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        per_command_policies(manager, "api_client_rates", None).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ApiClientRates::Table).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(ApiClients::Table)
                    .drop_column(ApiClients::RateLimitPerMinute)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Tenants {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum ApiClients {
    Table,
    Id,
    RateLimitPerMinute,
}

#[derive(DeriveIden)]
enum ApiClientRates {
    Table,
    ClientId,
    TenantId,
    TatMs,
}
