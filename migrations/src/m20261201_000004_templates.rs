//! Standard contract templates: templates owned by a municipality or by a
//! collaboration, their numbered versions (a draft until published, then
//! immutable), and the link from a contract to the published version it is
//! based on, with the parameter values chosen and the clauses it deviates in.
//!
//! On PostgreSQL, templates and versions follow
//! `rls::collaboration_owned_policies`; a template shared with a collaboration
//! is readable by its active members too (its published versions only). A
//! contract's template link follows its contract: the owner's row, readable
//! where the contract is shared.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::ConnectionTrait;

use crate::rls::{CURRENT_TENANT, collaboration_owned_policies, per_command_policies};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261201_000004_templates"
    }
}

/// A share of the template `template` (a column of the row tested) with a
/// collaboration the current municipality is an active member of, made by a
/// municipality that may share it and is still a member: the template's own
/// municipality, or for a collaboration's template one of its coordinators.
/// `owner_tenant` and `owner_collaboration` are the row's owner columns.
fn template_shared(template: &str, owner_tenant: &str, owner_collaboration: &str) -> String {
    format!(
        "EXISTS (SELECT 1 FROM shares s \
           JOIN collaboration_members m ON m.collaboration_id = s.collaboration_id \
           JOIN collaboration_members o ON o.collaboration_id = s.collaboration_id \
             AND o.tenant_id = s.tenant_id AND o.status = 'active' \
           WHERE s.object_kind = 'template' AND s.object_id = {template} \
             AND m.tenant_id = {CURRENT_TENANT} AND m.status = 'active' \
             AND (({owner_collaboration} IS NULL AND s.tenant_id = {owner_tenant}) \
               OR ({owner_collaboration} IS NOT NULL AND EXISTS ( \
                 SELECT 1 FROM collaboration_members c \
                 WHERE c.collaboration_id = {owner_collaboration} AND c.tenant_id = s.tenant_id \
                   AND c.status = 'active' AND c.role = 'coordinator'))))"
    )
}

/// The contract `contract` of `owner` shared with a collaboration the current
/// municipality is an active member of (as for the contract's other links).
fn contract_shared(contract: &str, owner: &str) -> String {
    format!(
        "EXISTS (SELECT 1 FROM shares s \
           JOIN collaboration_members m ON m.collaboration_id = s.collaboration_id \
           WHERE s.object_kind = 'contract' AND s.object_id = {contract} \
             AND s.tenant_id = {owner} \
             AND m.tenant_id = {CURRENT_TENANT} AND m.status = 'active')"
    )
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Templates::Table)
                    .col(uuid(Templates::Id).primary_key())
                    // The municipality that created it; the owner unless a
                    // collaboration owns it.
                    .col(uuid(Templates::TenantId))
                    .col(uuid_null(Templates::CollaborationId))
                    .col(string_len(Templates::Name, 200))
                    .col(string_len(Templates::Kind, 16))
                    .col(text_null(Templates::Description))
                    // An adopted copy: the template and version it was copied from.
                    .col(uuid_null(Templates::OriginTemplateId))
                    .col(integer_null(Templates::OriginVersionNumber))
                    .col(integer(Templates::Version))
                    .col(uuid_null(Templates::CreatedBy))
                    .col(timestamp_with_time_zone(Templates::CreatedAt))
                    .col(timestamp_with_time_zone(Templates::UpdatedAt))
                    .col(timestamp_with_time_zone_null(Templates::ArchivedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Templates::Table, Templates::TenantId)
                            .to(Tenants::Table, Tenants::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Templates::Table, Templates::CollaborationId)
                            .to(Collaborations::Table, Collaborations::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Templates::Table, Templates::OriginTemplateId)
                            .to(Templates::Table, Templates::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, columns) in [
            (
                "idx_templates_tenant_name",
                vec![Templates::TenantId, Templates::Name],
            ),
            (
                "idx_templates_collaboration",
                vec![Templates::CollaborationId],
            ),
            ("idx_templates_origin", vec![Templates::OriginTemplateId]),
        ] {
            let mut index = Index::create();
            index.name(name).table(Templates::Table);
            for column in columns {
                index.col(column);
            }
            manager.create_index(index.to_owned()).await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(TemplateVersions::Table)
                    .col(uuid(TemplateVersions::Id).primary_key())
                    .col(uuid(TemplateVersions::TemplateId))
                    // The template's owner columns, repeated so that the
                    // row-level policies need no join.
                    .col(uuid(TemplateVersions::TenantId))
                    .col(uuid_null(TemplateVersions::CollaborationId))
                    .col(integer(TemplateVersions::Number))
                    .col(string_len(TemplateVersions::Status, 16))
                    .col(json(TemplateVersions::Content))
                    .col(text_null(TemplateVersions::ChangeNote))
                    .col(timestamp_with_time_zone_null(TemplateVersions::PublishedAt))
                    .col(uuid_null(TemplateVersions::PublishedBy))
                    .col(string_len_null(TemplateVersions::PublishedByLabel, 300))
                    .col(integer(TemplateVersions::Version))
                    .col(timestamp_with_time_zone(TemplateVersions::CreatedAt))
                    .col(timestamp_with_time_zone(TemplateVersions::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(TemplateVersions::Table, TemplateVersions::TemplateId)
                            .to(Templates::Table, Templates::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_template_versions_number")
                    .table(TemplateVersions::Table)
                    .col(TemplateVersions::TemplateId)
                    .col(TemplateVersions::Number)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ContractTemplates::Table)
                    .col(uuid(ContractTemplates::ContractId).primary_key())
                    .col(uuid(ContractTemplates::TenantId))
                    .col(uuid(ContractTemplates::TemplateId))
                    .col(uuid(ContractTemplates::TemplateVersionId))
                    .col(integer(ContractTemplates::VersionNumber))
                    .col(json(ContractTemplates::Values))
                    .col(json(ContractTemplates::Deviations))
                    .col(boolean(ContractTemplates::HasDeviations))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ContractTemplates::Table, ContractTemplates::ContractId)
                            .to(Contracts::Table, Contracts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ContractTemplates::Table, ContractTemplates::TemplateId)
                            .to(Templates::Table, Templates::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                ContractTemplates::Table,
                                ContractTemplates::TemplateVersionId,
                            )
                            .to(TemplateVersions::Table, TemplateVersions::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, columns) in [
            (
                "idx_contract_templates_tenant_template",
                vec![
                    ContractTemplates::TenantId,
                    ContractTemplates::TemplateId,
                    ContractTemplates::VersionNumber,
                ],
            ),
            (
                "idx_contract_templates_template",
                vec![ContractTemplates::TemplateId],
            ),
        ] {
            let mut index = Index::create();
            index.name(name).table(ContractTemplates::Table);
            for column in columns {
                index.col(column);
            }
            manager.create_index(index.to_owned()).await?;
        }

        collaboration_owned_policies(
            manager,
            "templates",
            Some(&template_shared(
                "templates.id",
                "templates.tenant_id",
                "templates.collaboration_id",
            )),
        )
        .await?;
        collaboration_owned_policies(
            manager,
            "template_versions",
            Some(&format!(
                "(template_versions.status = 'published' AND {})",
                template_shared(
                    "template_versions.template_id",
                    "template_versions.tenant_id",
                    "template_versions.collaboration_id",
                )
            )),
        )
        .await?;
        per_command_policies(
            manager,
            "contract_templates",
            Some(&contract_shared(
                "contract_templates.contract_id",
                "contract_templates.tenant_id",
            )),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            ContractTemplates::Table.into_iden(),
            TemplateVersions::Table.into_iden(),
            Templates::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        manager
            .get_connection()
            .execute_unprepared("DELETE FROM shares WHERE object_kind = 'template'")
            .await?;
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
}

#[derive(DeriveIden)]
enum Contracts {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Templates {
    Table,
    Id,
    TenantId,
    CollaborationId,
    Name,
    Kind,
    Description,
    OriginTemplateId,
    OriginVersionNumber,
    Version,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
    ArchivedAt,
}

#[derive(DeriveIden)]
enum TemplateVersions {
    Table,
    Id,
    TemplateId,
    TenantId,
    CollaborationId,
    Number,
    Status,
    Content,
    ChangeNote,
    PublishedAt,
    PublishedBy,
    PublishedByLabel,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ContractTemplates {
    Table,
    ContractId,
    TenantId,
    TemplateId,
    TemplateVersionId,
    VersionNumber,
    Values,
    Deviations,
    HasDeviations,
}
