//! Contracts found by re-tender start within a municipality: the joint
//! tender opportunities and the calendar read a window of re-tender starts
//! per municipality, which without this index meant a lookup per shared
//! contract.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const NAME: &str = "idx_contracts_tenant_retender";

#[derive(DeriveIden)]
enum Contracts {
    Table,
    TenantId,
    RetenderStart,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name(NAME)
                    .table(Contracts::Table)
                    .col(Contracts::TenantId)
                    .col(Contracts::RetenderStart)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(Index::drop().name(NAME).table(Contracts::Table).to_owned())
            .await
    }
}
