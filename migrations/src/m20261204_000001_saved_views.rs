//! Saved views: a user's named views of the contract or IT-system list —
//! filters, sort, columns and density as the list's address query — one
//! name per user and page. The user's municipality's rows
//! (`rls::per_command_policies`); only their user reaches them through the
//! API.

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
                    .table(SavedViews::Table)
                    .col(uuid(SavedViews::Id).primary_key())
                    .col(uuid(SavedViews::TenantId))
                    .col(uuid(SavedViews::UserId))
                    // contracts | systems
                    .col(string_len(SavedViews::Page, 16))
                    .col(string_len(SavedViews::Name, 200))
                    // The list's address query, without the leading "?".
                    .col(text(SavedViews::Query))
                    .col(timestamp_with_time_zone(SavedViews::CreatedAt))
                    .col(timestamp_with_time_zone(SavedViews::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(SavedViews::Table, SavedViews::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(SavedViews::Table, SavedViews::TenantId)
                            .to(Tenants::Table, Tenants::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_saved_views_user_page_name")
                    .table(SavedViews::Table)
                    .col(SavedViews::UserId)
                    .col(SavedViews::Page)
                    .col(SavedViews::Name)
                    .unique()
                    .to_owned(),
            )
            .await?;
        per_command_policies(manager, "saved_views", None).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(SavedViews::Table).to_owned())
            .await
    }
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

#[derive(DeriveIden)]
enum SavedViews {
    Table,
    Id,
    TenantId,
    UserId,
    Page,
    Name,
    Query,
    CreatedAt,
    UpdatedAt,
}
