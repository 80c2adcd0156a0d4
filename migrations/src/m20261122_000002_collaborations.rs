//! Collaborations of municipalities and their memberships, the generic share
//! record, and API clients for integrators.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::rls::{CURRENT_TENANT, SYSTEM, enable_policy, enable_tenant_isolation};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // A collaboration belongs to no single municipality: who sees it is
        // decided by its memberships.
        manager
            .create_table(
                Table::create()
                    .table(Collaborations::Table)
                    .col(uuid(Collaborations::Id).primary_key())
                    .col(string_len(Collaborations::Name, 200))
                    .col(text_null(Collaborations::Description))
                    .col(integer(Collaborations::Version))
                    .col(timestamp_with_time_zone(Collaborations::CreatedAt))
                    .col(timestamp_with_time_zone(Collaborations::UpdatedAt))
                    .to_owned(),
            )
            .await?;

        // One row per municipality ever invited; its status tells where it stands.
        manager
            .create_table(
                Table::create()
                    .table(CollaborationMembers::Table)
                    .col(uuid(CollaborationMembers::Id).primary_key())
                    .col(uuid(CollaborationMembers::CollaborationId))
                    .col(uuid(CollaborationMembers::TenantId))
                    .col(string_len(CollaborationMembers::Role, 16))
                    .col(string_len(CollaborationMembers::Status, 16))
                    .col(uuid_null(CollaborationMembers::InvitedByTenantId))
                    .col(timestamp_with_time_zone(CollaborationMembers::InvitedAt))
                    .col(timestamp_with_time_zone_null(
                        CollaborationMembers::JoinedAt,
                    ))
                    .col(timestamp_with_time_zone_null(CollaborationMembers::EndedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                CollaborationMembers::Table,
                                CollaborationMembers::CollaborationId,
                            )
                            .to(Collaborations::Table, Collaborations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(CollaborationMembers::Table, CollaborationMembers::TenantId)
                            .to(Tenants::Table, Tenants::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_collaboration_members")
                    .table(CollaborationMembers::Table)
                    .col(CollaborationMembers::CollaborationId)
                    .col(CollaborationMembers::TenantId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_collaboration_members_tenant")
                    .table(CollaborationMembers::Table)
                    .col(CollaborationMembers::TenantId)
                    .col(CollaborationMembers::Status)
                    .to_owned(),
            )
            .await?;

        // An object a municipality has shared with a collaboration.
        manager
            .create_table(
                Table::create()
                    .table(Shares::Table)
                    .col(uuid(Shares::Id).primary_key())
                    .col(uuid(Shares::TenantId))
                    .col(string_len(Shares::ObjectKind, 32))
                    .col(uuid(Shares::ObjectId))
                    .col(uuid(Shares::CollaborationId))
                    .col(uuid_null(Shares::SharedBy))
                    .col(timestamp_with_time_zone(Shares::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Shares::Table, Shares::CollaborationId)
                            .to(Collaborations::Table, Collaborations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_shares_object_collaboration")
                    .table(Shares::Table)
                    .col(Shares::ObjectKind)
                    .col(Shares::ObjectId)
                    .col(Shares::CollaborationId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_shares_collaboration")
                    .table(Shares::Table)
                    .col(Shares::CollaborationId)
                    .col(Shares::ObjectKind)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ApiClients::Table)
                    .col(uuid(ApiClients::Id).primary_key())
                    .col(uuid(ApiClients::TenantId))
                    .col(string_len(ApiClients::Name, 200))
                    .col(string_len_uniq(ApiClients::ClientId, 64))
                    .col(string_len(ApiClients::SecretHash, 64))
                    .col(string_len(ApiClients::Scopes, 500))
                    .col(integer(ApiClients::Version))
                    .col(uuid_null(ApiClients::CreatedBy))
                    .col(timestamp_with_time_zone(ApiClients::CreatedAt))
                    .col(timestamp_with_time_zone(ApiClients::UpdatedAt))
                    .col(timestamp_with_time_zone_null(ApiClients::SecretRotatedAt))
                    .col(timestamp_with_time_zone_null(ApiClients::LastUsedAt))
                    .col(timestamp_with_time_zone_null(ApiClients::RevokedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ApiClients::Table, ApiClients::TenantId)
                            .to(Tenants::Table, Tenants::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_api_clients_tenant")
                    .table(ApiClients::Table)
                    .col(ApiClients::TenantId)
                    .to_owned(),
            )
            .await?;

        enable_tenant_isolation(manager, "api_clients").await?;
        // A share is the owner's row, readable also by the active members of
        // the collaboration it is shared with.
        enable_policy(
            manager,
            "shares",
            &format!(
                "{SYSTEM} OR tenant_id = {CURRENT_TENANT} OR EXISTS (\
                   SELECT 1 FROM collaboration_members m \
                   WHERE m.collaboration_id = shares.collaboration_id \
                     AND m.tenant_id = {CURRENT_TENANT} AND m.status = 'active')"
            ),
            &format!("{SYSTEM} OR tenant_id = {CURRENT_TENANT}"),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            ApiClients::Table.into_iden(),
            Shares::Table.into_iden(),
            CollaborationMembers::Table.into_iden(),
            Collaborations::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Tenants {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Collaborations {
    Table,
    Id,
    Name,
    Description,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum CollaborationMembers {
    Table,
    Id,
    CollaborationId,
    TenantId,
    Role,
    Status,
    InvitedByTenantId,
    InvitedAt,
    JoinedAt,
    EndedAt,
}

#[derive(DeriveIden)]
enum Shares {
    Table,
    Id,
    TenantId,
    ObjectKind,
    ObjectId,
    CollaborationId,
    SharedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ApiClients {
    Table,
    Id,
    TenantId,
    Name,
    ClientId,
    SecretHash,
    Scopes,
    Version,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
    SecretRotatedAt,
    LastUsedAt,
    RevokedAt,
}
