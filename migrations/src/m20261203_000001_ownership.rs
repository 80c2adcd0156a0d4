//! Contracts and IT systems owned by a user of their municipality (the
//! free-text owner names stay for people without a login), and the users'
//! choice of whose contracts their reminders and calendar feeds follow.

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261203_000001_ownership"
    }
}

#[derive(DeriveIden)]
enum Contracts {
    Table,
    OwnerUserId,
}

#[derive(DeriveIden)]
enum ItSystems {
    Table,
    OwnerUserId,
}

#[derive(DeriveIden)]
enum ReminderSettings {
    Table,
    ContractScope,
    CalendarContractScope,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Contracts::Table)
                    .add_column(ColumnDef::new(Contracts::OwnerUserId).uuid().null())
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(ItSystems::Table)
                    .add_column(ColumnDef::new(ItSystems::OwnerUserId).uuid().null())
                    .to_owned(),
            )
            .await?;
        // Whose contracts the digest and the calendar feed follow: `owned` or
        // `all`; `None`: `owned` for users who own a contract, else `all`.
        manager
            .alter_table(
                Table::alter()
                    .table(ReminderSettings::Table)
                    .add_column(
                        ColumnDef::new(ReminderSettings::ContractScope)
                            .string_len(8)
                            .null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(ReminderSettings::Table)
                    .add_column(
                        ColumnDef::new(ReminderSettings::CalendarContractScope)
                            .string_len(8)
                            .null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_contracts_owner")
                    .table(Contracts::Table)
                    .col(Contracts::OwnerUserId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_it_systems_owner")
                    .table(ItSystems::Table)
                    .col(ItSystems::OwnerUserId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_it_systems_owner")
                    .table(ItSystems::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name("idx_contracts_owner")
                    .table(Contracts::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(ReminderSettings::Table)
                    .drop_column(ReminderSettings::CalendarContractScope)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(ReminderSettings::Table)
                    .drop_column(ReminderSettings::ContractScope)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(ItSystems::Table)
                    .drop_column(ItSystems::OwnerUserId)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Contracts::Table)
                    .drop_column(Contracts::OwnerUserId)
                    .to_owned(),
            )
            .await
    }
}
