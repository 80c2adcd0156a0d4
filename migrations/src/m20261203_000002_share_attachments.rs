//! Per share, whether the contract's attachments go with it: a flag on the
//! share, off for every existing share. On PostgreSQL the attachments' read
//! policy then admits, besides the owner's own rows, the files of a contract
//! shared with attachments with a collaboration the reader is an active
//! member of.

use sea_orm_migration::prelude::*;

use crate::rls::{COMMAND_POLICIES, CURRENT_TENANT, drop_policies, per_command_policies};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Shares {
    Table,
    IncludeAttachments,
}

/// An attachment of a contract its owner shared, files included, with a
/// collaboration the current tenant is an active member of.
fn shared_with_files() -> String {
    format!(
        "EXISTS (SELECT 1 FROM shares s \
           JOIN collaboration_members m ON m.collaboration_id = s.collaboration_id \
           WHERE s.object_kind = 'contract' AND s.object_id = attachments.contract_id \
             AND s.tenant_id = attachments.tenant_id AND s.include_attachments \
             AND m.tenant_id = {CURRENT_TENANT} AND m.status = 'active')"
    )
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Shares::Table)
                    .add_column(
                        ColumnDef::new(Shares::IncludeAttachments)
                            .boolean()
                            .not_null()
                            .default(false),
                    )
                    .to_owned(),
            )
            .await?;
        drop_policies(manager, "attachments", &COMMAND_POLICIES).await?;
        per_command_policies(manager, "attachments", Some(&shared_with_files())).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_policies(manager, "attachments", &COMMAND_POLICIES).await?;
        per_command_policies(manager, "attachments", None).await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Shares::Table)
                    .drop_column(Shares::IncludeAttachments)
                    .to_owned(),
            )
            .await
    }
}
