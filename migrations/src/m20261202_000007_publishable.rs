//! Contracts marked for publication as open contracting data (OCDS): a flag
//! on the contract, off for every existing contract.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Contracts {
    Table,
    Publishable,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Contracts::Table)
                    .add_column(
                        ColumnDef::new(Contracts::Publishable)
                            .boolean()
                            .not_null()
                            .default(false),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Contracts::Table)
                    .drop_column(Contracts::Publishable)
                    .to_owned(),
            )
            .await
    }
}
