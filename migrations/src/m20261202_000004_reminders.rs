//! Reminder digests: each user's reminder setting, one delivery row per user
//! and period (so that a digest goes out once, however many servers run the
//! scheduler), and the leases that let periodic jobs run on one server at a
//! time.
//!
//! Settings and deliveries are the user's municipality's rows
//! (`rls::per_command_policies`); the scheduler reaches them across
//! municipalities in the system scope only. Leases belong to no
//! municipality.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::rls::per_command_policies;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ReminderSettings::Table)
                    .col(uuid(ReminderSettings::UserId).primary_key())
                    .col(uuid(ReminderSettings::TenantId))
                    // off | daily | weekly; null: the role's default.
                    .col(string_len_null(ReminderSettings::Frequency, 16))
                    .col(integer(ReminderSettings::HorizonDays).default(30))
                    .col(timestamp_with_time_zone(ReminderSettings::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ReminderSettings::Table, ReminderSettings::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(DigestDeliveries::Table)
                    .col(uuid(DigestDeliveries::Id).primary_key())
                    .col(uuid(DigestDeliveries::TenantId))
                    .col(uuid(DigestDeliveries::UserId))
                    // "2026-W49" (weekly) or "2026-12-01" (daily).
                    .col(string_len(DigestDeliveries::Period, 16))
                    // pending | sent | empty (nothing to report) | failed
                    .col(string_len(DigestDeliveries::Status, 16))
                    .col(integer(DigestDeliveries::Attempts).default(0))
                    .col(timestamp_with_time_zone(DigestDeliveries::NextAttemptAt))
                    .col(text_null(DigestDeliveries::LastError))
                    .col(integer_null(DigestDeliveries::ItemCount))
                    .col(timestamp_with_time_zone(DigestDeliveries::CreatedAt))
                    .col(timestamp_with_time_zone_null(DigestDeliveries::SentAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(DigestDeliveries::Table, DigestDeliveries::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_digest_deliveries_user_period")
                    .table(DigestDeliveries::Table)
                    .col(DigestDeliveries::UserId)
                    .col(DigestDeliveries::Period)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_digest_deliveries_due")
                    .table(DigestDeliveries::Table)
                    .col(DigestDeliveries::Status)
                    .col(DigestDeliveries::NextAttemptAt)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(JobLeases::Table)
                    .col(string_len(JobLeases::Name, 64).primary_key())
                    .col(string_len(JobLeases::Holder, 128))
                    .col(timestamp_with_time_zone(JobLeases::LeaseUntil))
                    .to_owned(),
            )
            .await?;

        for table in ["reminder_settings", "digest_deliveries"] {
            per_command_policies(manager, table, None).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            JobLeases::Table.into_iden(),
            DigestDeliveries::Table.into_iden(),
            ReminderSettings::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum ReminderSettings {
    Table,
    UserId,
    TenantId,
    Frequency,
    HorizonDays,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum DigestDeliveries {
    Table,
    Id,
    TenantId,
    UserId,
    Period,
    Status,
    Attempts,
    NextAttemptAt,
    LastError,
    ItemCount,
    CreatedAt,
    SentAt,
}

#[derive(DeriveIden)]
enum JobLeases {
    Table,
    Name,
    Holder,
    LeaseUntil,
}
