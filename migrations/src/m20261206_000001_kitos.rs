//! Importing from OS2Kitos: each municipality's connection (address, API
//! user with its password sealed, organisation and the watermarks of the
//! next incremental run), the Kitos uuid on imported contracts and IT
//! systems, the values each imported object last had in Kitos (to tell
//! edits made here from edits made there), and the log of runs with their
//! reports. All are the municipality's rows (`rls::per_command_policies`).

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
                    .table(KitosConnections::Table)
                    .col(uuid(KitosConnections::TenantId).primary_key())
                    .col(text(KitosConnections::BaseUrl))
                    .col(string_len(KitosConnections::Email, 320))
                    .col(text(KitosConnections::PasswordSealed))
                    .col(uuid_null(KitosConnections::OrganizationUuid))
                    .col(timestamp_with_time_zone_null(
                        KitosConnections::ContractsSince,
                    ))
                    .col(timestamp_with_time_zone_null(KitosConnections::UsagesSince))
                    .col(timestamp_with_time_zone_null(
                        KitosConnections::DeletedSince,
                    ))
                    .col(timestamp_with_time_zone_null(KitosConnections::LastRunAt))
                    .col(integer(KitosConnections::Version).default(1))
                    .col(uuid_null(KitosConnections::UpdatedBy))
                    .col(timestamp_with_time_zone(KitosConnections::CreatedAt))
                    .col(timestamp_with_time_zone(KitosConnections::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(KitosConnections::Table, KitosConnections::TenantId)
                            .to(Tenants::Table, Tenants::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(KitosSnapshots::Table)
                    .col(uuid(KitosSnapshots::TenantId))
                    .col(string_len(KitosSnapshots::ObjectKind, 40))
                    .col(uuid(KitosSnapshots::ObjectId))
                    .col(uuid(KitosSnapshots::KitosUuid))
                    .col(json(KitosSnapshots::Fields))
                    .col(timestamp_with_time_zone(KitosSnapshots::ImportedAt))
                    .primary_key(
                        Index::create()
                            .col(KitosSnapshots::TenantId)
                            .col(KitosSnapshots::ObjectKind)
                            .col(KitosSnapshots::ObjectId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(KitosSnapshots::Table, KitosSnapshots::TenantId)
                            .to(Tenants::Table, Tenants::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(KitosRuns::Table)
                    .col(uuid(KitosRuns::Id).primary_key())
                    .col(uuid(KitosRuns::TenantId))
                    .col(string_len(KitosRuns::State, 20))
                    .col(boolean(KitosRuns::Incremental))
                    .col(integer(KitosRuns::ObjectsDone).default(0))
                    .col(integer(KitosRuns::ObjectsTotal).default(0))
                    .col(json_null(KitosRuns::Report))
                    .col(text_null(KitosRuns::Failure))
                    .col(uuid_null(KitosRuns::StartedBy))
                    .col(timestamp_with_time_zone(KitosRuns::CreatedAt))
                    .col(timestamp_with_time_zone(KitosRuns::UpdatedAt))
                    .col(timestamp_with_time_zone_null(KitosRuns::FinishedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(KitosRuns::Table, KitosRuns::TenantId)
                            .to(Tenants::Table, Tenants::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_kitos_runs_tenant_created")
                    .table(KitosRuns::Table)
                    .col(KitosRuns::TenantId)
                    .col(KitosRuns::CreatedAt)
                    .to_owned(),
            )
            .await?;
        for (table, index) in IMPORTED {
            manager
                .alter_table(
                    Table::alter()
                        .table(Alias::new(table))
                        .add_column(uuid_null(KitosUuid))
                        .to_owned(),
                )
                .await?;
            // One object per Kitos uuid in a municipality.
            manager
                .create_index(
                    Index::create()
                        .name(index)
                        .table(Alias::new(table))
                        .col(Alias::new("tenant_id"))
                        .col(KitosUuid)
                        .unique()
                        .to_owned(),
                )
                .await?;
        }
        for table in ["kitos_connections", "kitos_snapshots", "kitos_runs"] {
            per_command_policies(manager, table, None).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (table, index) in IMPORTED {
            manager
                .drop_index(
                    Index::drop()
                        .name(index)
                        .table(Alias::new(table))
                        .to_owned(),
                )
                .await?;
            manager
                .alter_table(
                    Table::alter()
                        .table(Alias::new(table))
                        .drop_column(KitosUuid)
                        .to_owned(),
                )
                .await?;
        }
        for table in [
            KitosRuns::Table.into_iden(),
            KitosSnapshots::Table.into_iden(),
            KitosConnections::Table.into_iden(),
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

/// The tables whose rows can come from Kitos, with the index of their uuid.
const IMPORTED: [(&str, &str); 2] = [
    ("contracts", "idx_contracts_kitos_uuid"),
    ("it_systems", "idx_it_systems_kitos_uuid"),
];

#[derive(DeriveIden)]
struct KitosUuid;

#[derive(DeriveIden)]
enum KitosConnections {
    Table,
    TenantId,
    BaseUrl,
    Email,
    PasswordSealed,
    OrganizationUuid,
    ContractsSince,
    UsagesSince,
    DeletedSince,
    LastRunAt,
    Version,
    UpdatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum KitosSnapshots {
    Table,
    TenantId,
    ObjectKind,
    ObjectId,
    KitosUuid,
    Fields,
    ImportedAt,
}

#[derive(DeriveIden)]
enum KitosRuns {
    Table,
    Id,
    TenantId,
    State,
    Incremental,
    ObjectsDone,
    ObjectsTotal,
    Report,
    Failure,
    StartedBy,
    CreatedAt,
    UpdatedAt,
    FinishedAt,
}
