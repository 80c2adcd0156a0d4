//! Planned tenders created from a joint tender opportunity: the plan's owner
//! invites each municipality of the opportunity with a proposal, the
//! contracts of its own the opportunity found and their total value. The
//! proposal lives on the invitation (the owner's row); the municipality's
//! answer stays its own row, so a proposal binds no one until the
//! municipality confirms it.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut value = match manager.get_database_backend() {
            DbBackend::Sqlite => text(TenderInvitations::ProposedValue),
            _ => decimal_len(TenderInvitations::ProposedValue, 16, 2),
        };
        value.null();
        manager
            .alter_table(
                Table::alter()
                    .table(TenderInvitations::Table)
                    .add_column(value)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(TenderInvitations::Table)
                    .add_column(text(TenderInvitations::ProposedContracts).default("[]"))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            TenderInvitations::ProposedContracts,
            TenderInvitations::ProposedValue,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(TenderInvitations::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum TenderInvitations {
    Table,
    ProposedValue,
    ProposedContracts,
}
