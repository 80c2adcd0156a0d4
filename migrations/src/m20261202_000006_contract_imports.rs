//! Contract imports: an uploaded register (CSV or XLSX) kept with its
//! detected format, the column mapping, progress and the report, so that a
//! user can analyse, try and run an import as server-side jobs; and each
//! municipality's last used mapping, suggested for its next import.
//! Both are the municipality's own rows (`rls::per_command_policies`).

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
                    .table(ContractImports::Table)
                    .col(uuid(ContractImports::Id).primary_key())
                    .col(uuid(ContractImports::TenantId))
                    .col(uuid_null(ContractImports::CreatedBy))
                    .col(string_len(ContractImports::FileName, 300))
                    .col(blob(ContractImports::Content))
                    .col(big_integer(ContractImports::SizeBytes))
                    .col(string_len(ContractImports::State, 20))
                    .col(string_len(ContractImports::Mode, 20))
                    .col(string_len_null(ContractImports::Sheet, 200))
                    .col(json_null(ContractImports::Mapping))
                    .col(json_null(ContractImports::Analysis))
                    .col(integer(ContractImports::RowsDone))
                    .col(integer(ContractImports::RowsTotal))
                    .col(json_null(ContractImports::Report))
                    .col(timestamp_with_time_zone(ContractImports::CreatedAt))
                    .col(timestamp_with_time_zone(ContractImports::UpdatedAt))
                    .col(timestamp_with_time_zone_null(ContractImports::FinishedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_contract_imports_tenant")
                    .table(ContractImports::Table)
                    .col(ContractImports::TenantId)
                    .col(ContractImports::CreatedAt)
                    .to_owned(),
            )
            .await?;
        per_command_policies(manager, "contract_imports", None).await?;

        manager
            .create_table(
                Table::create()
                    .table(ImportMappings::Table)
                    // One row per municipality: the id is the tenant's.
                    .col(uuid(ImportMappings::Id).primary_key())
                    .col(uuid(ImportMappings::TenantId))
                    .col(json(ImportMappings::Mapping))
                    .col(uuid_null(ImportMappings::UpdatedBy))
                    .col(timestamp_with_time_zone(ImportMappings::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        per_command_policies(manager, "contract_import_mappings", None).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            ImportMappings::Table.into_iden(),
            ContractImports::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum ContractImports {
    Table,
    Id,
    TenantId,
    CreatedBy,
    FileName,
    Content,
    SizeBytes,
    State,
    Mode,
    Sheet,
    Mapping,
    Analysis,
    RowsDone,
    RowsTotal,
    Report,
    CreatedAt,
    UpdatedAt,
    FinishedAt,
}

#[derive(DeriveIden)]
enum ImportMappings {
    #[sea_orm(iden = "contract_import_mappings")]
    Table,
    Id,
    TenantId,
    Mapping,
    UpdatedBy,
    UpdatedAt,
}
