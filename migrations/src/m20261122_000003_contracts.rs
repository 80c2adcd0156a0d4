//! The contract register: the shared supplier catalogue, each municipality's
//! IT systems and contracts, which systems a contract covers, and attachments.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::rls::{CURRENT_TENANT, SYSTEM, enable_policy, enable_tenant_isolation};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Shared by all municipalities: one row per CVR number.
        manager
            .create_table(
                Table::create()
                    .table(Suppliers::Table)
                    .col(uuid(Suppliers::Id).primary_key())
                    .col(string_len_uniq(Suppliers::Cvr, 8))
                    .col(string_len(Suppliers::Name, 200))
                    .col(timestamp_with_time_zone(Suppliers::CreatedAt))
                    .col(timestamp_with_time_zone(Suppliers::UpdatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ItSystems::Table)
                    .col(uuid(ItSystems::Id).primary_key())
                    .col(uuid(ItSystems::TenantId))
                    .col(string_len(ItSystems::Name, 200))
                    .col(string_len_null(ItSystems::Category, 100))
                    .col(uuid_null(ItSystems::SupplierId))
                    .col(string_len_null(ItSystems::SystemOwner, 200))
                    .col(string_len(ItSystems::Status, 16))
                    .col(text_null(ItSystems::Description))
                    .col(integer(ItSystems::Version))
                    .col(timestamp_with_time_zone(ItSystems::CreatedAt))
                    .col(timestamp_with_time_zone(ItSystems::UpdatedAt))
                    .col(timestamp_with_time_zone_null(ItSystems::ArchivedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ItSystems::Table, ItSystems::SupplierId)
                            .to(Suppliers::Table, Suppliers::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_it_systems_tenant_name")
                    .table(ItSystems::Table)
                    .col(ItSystems::TenantId)
                    .col(ItSystems::Name)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Contracts::Table)
                    .col(uuid(Contracts::Id).primary_key())
                    .col(uuid(Contracts::TenantId))
                    .col(string_len(Contracts::Title, 300))
                    .col(string_len_null(Contracts::Reference, 100))
                    .col(text_null(Contracts::Description))
                    .col(string_len_null(Contracts::StatusOverride, 16))
                    .col(string_len(Contracts::ContractType, 32))
                    .col(uuid_null(Contracts::ParentId))
                    .col(uuid(Contracts::SupplierId))
                    .col(string_len_null(Contracts::Category, 100))
                    .col(string_len_null(Contracts::CpvCode, 10))
                    .col(string_len(Contracts::AgreementElements, 300))
                    .col(string_len_null(Contracts::Procedure, 40))
                    .col(string_len_null(Contracts::FrameworkAgreement, 200))
                    .col(decimal_len_null(Contracts::AnnualValue, 16, 2))
                    .col(decimal_len_null(Contracts::TotalValue, 16, 2))
                    .col(string_len_null(Contracts::PaymentModel, 32))
                    .col(string_len_null(Contracts::PaymentFrequency, 32))
                    .col(string_len_null(Contracts::PriceRegulation, 200))
                    .col(date_null(Contracts::SignedOn))
                    .col(date(Contracts::StartOn))
                    .col(date_null(Contracts::EndOn))
                    .col(date_null(Contracts::IrrevocableUntil))
                    .col(integer(Contracts::OptionMonths))
                    .col(integer(Contracts::OptionsTotal))
                    .col(integer(Contracts::OptionsExercised))
                    .col(integer(Contracts::NoticePeriodMonths))
                    .col(string_len(Contracts::NoticeTo, 16))
                    .col(date_null(Contracts::TerminatedOn))
                    .col(integer(Contracts::RetenderLeadMonths))
                    .col(string_len_null(Contracts::SystemOwner, 200))
                    .col(string_len_null(Contracts::ResponsibleUnit, 200))
                    .col(string_len_null(Contracts::SupplierContact, 200))
                    .col(string_len(Contracts::Criticality, 16))
                    .col(text_null(Contracts::Notes))
                    // Derived by `contracts::dates::derive`, never written by hand;
                    // kept in columns so that lists filter and sort on them.
                    .col(date_null(Contracts::NoticeDeadline))
                    .col(date_null(Contracts::EffectiveEnd))
                    .col(date_null(Contracts::LatestEnd))
                    .col(date_null(Contracts::RetenderStart))
                    .col(date(Contracts::DerivedOn))
                    .col(text(Contracts::SearchText))
                    .col(integer(Contracts::Version))
                    .col(uuid_null(Contracts::CreatedBy))
                    .col(timestamp_with_time_zone(Contracts::CreatedAt))
                    .col(timestamp_with_time_zone(Contracts::UpdatedAt))
                    .col(timestamp_with_time_zone_null(Contracts::ArchivedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Contracts::Table, Contracts::SupplierId)
                            .to(Suppliers::Table, Suppliers::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Contracts::Table, Contracts::ParentId)
                            .to(Contracts::Table, Contracts::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, columns) in [
            (
                "idx_contracts_tenant_title",
                vec![Contracts::TenantId, Contracts::Title],
            ),
            (
                "idx_contracts_tenant_notice",
                vec![Contracts::TenantId, Contracts::NoticeDeadline],
            ),
            (
                "idx_contracts_tenant_end",
                vec![Contracts::TenantId, Contracts::EffectiveEnd],
            ),
            (
                "idx_contracts_tenant_supplier",
                vec![Contracts::TenantId, Contracts::SupplierId],
            ),
            (
                "idx_contracts_tenant_updated",
                vec![Contracts::TenantId, Contracts::UpdatedAt],
            ),
        ] {
            let mut index = Index::create();
            index.name(name).table(Contracts::Table);
            for column in columns {
                index.col(column);
            }
            manager.create_index(index.to_owned()).await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(ContractSystems::Table)
                    .col(uuid(ContractSystems::ContractId))
                    .col(uuid(ContractSystems::ItSystemId))
                    .col(uuid(ContractSystems::TenantId))
                    .primary_key(
                        Index::create()
                            .col(ContractSystems::ContractId)
                            .col(ContractSystems::ItSystemId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ContractSystems::Table, ContractSystems::ContractId)
                            .to(Contracts::Table, Contracts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ContractSystems::Table, ContractSystems::ItSystemId)
                            .to(ItSystems::Table, ItSystems::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_contract_systems_system")
                    .table(ContractSystems::Table)
                    .col(ContractSystems::ItSystemId)
                    .to_owned(),
            )
            .await?;

        // Stored in the database, so that any replica can serve them.
        manager
            .create_table(
                Table::create()
                    .table(Attachments::Table)
                    .col(uuid(Attachments::Id).primary_key())
                    .col(uuid(Attachments::TenantId))
                    .col(uuid(Attachments::ContractId))
                    .col(string_len(Attachments::Filename, 255))
                    .col(string_len(Attachments::ContentType, 100))
                    .col(big_integer(Attachments::SizeBytes))
                    .col(string_len(Attachments::Sha256, 64))
                    .col(blob(Attachments::Content))
                    .col(uuid_null(Attachments::UploadedBy))
                    .col(timestamp_with_time_zone(Attachments::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Attachments::Table, Attachments::ContractId)
                            .to(Contracts::Table, Contracts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_attachments_contract")
                    .table(Attachments::Table)
                    .col(Attachments::ContractId)
                    .to_owned(),
            )
            .await?;

        for table in ["it_systems", "contract_systems", "attachments"] {
            enable_tenant_isolation(manager, table).await?;
        }
        // A contract is the owner's; the active members of a collaboration it
        // is shared with may read it (never write).
        enable_policy(
            manager,
            "contracts",
            &format!(
                "{SYSTEM} OR tenant_id = {CURRENT_TENANT} OR EXISTS (\
                   SELECT 1 FROM shares s \
                   JOIN collaboration_members m ON m.collaboration_id = s.collaboration_id \
                   WHERE s.object_kind = 'contract' AND s.object_id = contracts.id \
                     AND m.tenant_id = {CURRENT_TENANT} AND m.status = 'active')"
            ),
            &format!("{SYSTEM} OR tenant_id = {CURRENT_TENANT}"),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Attachments::Table.into_iden(),
            ContractSystems::Table.into_iden(),
            Contracts::Table.into_iden(),
            ItSystems::Table.into_iden(),
            Suppliers::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Suppliers {
    Table,
    Id,
    Cvr,
    Name,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ItSystems {
    Table,
    Id,
    TenantId,
    Name,
    Category,
    SupplierId,
    SystemOwner,
    Status,
    Description,
    Version,
    CreatedAt,
    UpdatedAt,
    ArchivedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Contracts {
    Table,
    Id,
    TenantId,
    Title,
    Reference,
    Description,
    StatusOverride,
    ContractType,
    ParentId,
    SupplierId,
    Category,
    CpvCode,
    AgreementElements,
    Procedure,
    FrameworkAgreement,
    AnnualValue,
    TotalValue,
    PaymentModel,
    PaymentFrequency,
    PriceRegulation,
    SignedOn,
    StartOn,
    EndOn,
    IrrevocableUntil,
    OptionMonths,
    OptionsTotal,
    OptionsExercised,
    NoticePeriodMonths,
    NoticeTo,
    TerminatedOn,
    RetenderLeadMonths,
    SystemOwner,
    ResponsibleUnit,
    SupplierContact,
    Criticality,
    Notes,
    NoticeDeadline,
    EffectiveEnd,
    LatestEnd,
    RetenderStart,
    DerivedOn,
    SearchText,
    Version,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
    ArchivedAt,
}

#[derive(DeriveIden)]
enum ContractSystems {
    Table,
    ContractId,
    ItSystemId,
    TenantId,
}

#[derive(DeriveIden)]
enum Attachments {
    Table,
    Id,
    TenantId,
    ContractId,
    Filename,
    ContentType,
    SizeBytes,
    Sha256,
    Content,
    UploadedBy,
    CreatedAt,
}
