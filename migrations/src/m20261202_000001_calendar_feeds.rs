//! Private calendar feeds: each user may have one active feed address whose
//! secret token is stored only as a SHA-256 hash. The token starts with a
//! public selector that finds the row; the rest is compared against the
//! hash. Replaced and revoked feeds keep their row (with `revoked_at`) for
//! the audit trail.
//!
//! A feed is a tenant row like any other (`rls::per_command_policies`): the
//! feed address is looked up before any municipality is known, by the
//! selector in the system scope, as refresh tokens are.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::ConnectionTrait;

use crate::rls::per_command_policies;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CalendarFeeds::Table)
                    .col(uuid(CalendarFeeds::Id).primary_key())
                    .col(uuid(CalendarFeeds::TenantId))
                    .col(uuid(CalendarFeeds::UserId))
                    .col(string_len_uniq(CalendarFeeds::Selector, 32))
                    .col(string_len(CalendarFeeds::TokenHash, 64))
                    .col(string_len(CalendarFeeds::TokenHint, 8))
                    .col(timestamp_with_time_zone(CalendarFeeds::CreatedAt))
                    .col(timestamp_with_time_zone_null(CalendarFeeds::LastUsedAt))
                    .col(timestamp_with_time_zone_null(CalendarFeeds::RevokedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(CalendarFeeds::Table, CalendarFeeds::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(CalendarFeeds::Table, CalendarFeeds::TenantId)
                            .to(Tenants::Table, Tenants::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // At most one active feed per user; the same statement on both
        // databases (partial indexes).
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX idx_calendar_feeds_active_user \
                 ON calendar_feeds (user_id) WHERE revoked_at IS NULL",
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_calendar_feeds_tenant_user")
                    .table(CalendarFeeds::Table)
                    .col(CalendarFeeds::TenantId)
                    .col(CalendarFeeds::UserId)
                    .to_owned(),
            )
            .await?;
        per_command_policies(manager, "calendar_feeds", None).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(CalendarFeeds::Table).to_owned())
            .await?;
        Ok(())
    }
}

#[derive(DeriveIden)]
enum CalendarFeeds {
    Table,
    Id,
    TenantId,
    UserId,
    Selector,
    TokenHash,
    TokenHint,
    CreatedAt,
    LastUsedAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Tenants {
    Table,
    Id,
}
