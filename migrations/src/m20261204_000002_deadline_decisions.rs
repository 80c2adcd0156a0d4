//! What was decided about a contract's deadlines. Each decision (notice
//! given, an option exercised, letting the contract run, re-tendering) is a
//! row of `contract_decisions` with the dates before and after; the contract
//! keeps, per deadline kind, the date of the deadline a decision handled
//! (`notice_deadline_handled_on`, `retender_start_handled_on`), so that a
//! deadline is open again as soon as its date moves.
//!
//! Decisions are the owner's rows; on PostgreSQL members of a collaboration
//! the contract is shared with read them as they read the contract.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::rls::{CURRENT_TENANT, per_command_policies};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Contracts {
    Table,
    NoticeDeadlineHandledOn,
    RetenderStartHandledOn,
}

#[derive(DeriveIden)]
enum ContractDecisions {
    Table,
    Id,
    TenantId,
    ContractId,
    Kind,
    DecidedOn,
    DecidedByUserId,
    DecidedByName,
    Reference,
    AttachmentId,
    Note,
    Before,
    After,
    CreatedAt,
    CreatedBy,
}

/// A decision on a contract its owner shared with a collaboration the
/// current tenant is an active member of.
fn shared_contract() -> String {
    format!(
        "EXISTS (SELECT 1 FROM shares s \
           JOIN collaboration_members m ON m.collaboration_id = s.collaboration_id \
           WHERE s.object_kind = 'contract' AND s.object_id = contract_decisions.contract_id \
             AND s.tenant_id = contract_decisions.tenant_id \
             AND m.tenant_id = {CURRENT_TENANT} AND m.status = 'active')"
    )
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            Contracts::NoticeDeadlineHandledOn,
            Contracts::RetenderStartHandledOn,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Contracts::Table)
                        .add_column(ColumnDef::new(column).date().null())
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(ContractDecisions::Table)
                    .col(uuid(ContractDecisions::Id).primary_key())
                    .col(uuid(ContractDecisions::TenantId))
                    .col(uuid(ContractDecisions::ContractId))
                    .col(string_len(ContractDecisions::Kind, 30))
                    .col(date(ContractDecisions::DecidedOn))
                    .col(uuid_null(ContractDecisions::DecidedByUserId))
                    .col(string_len_null(ContractDecisions::DecidedByName, 200))
                    .col(string_len_null(ContractDecisions::Reference, 200))
                    .col(uuid_null(ContractDecisions::AttachmentId))
                    .col(text_null(ContractDecisions::Note))
                    .col(json(ContractDecisions::Before))
                    .col(json(ContractDecisions::After))
                    .col(timestamp_with_time_zone(ContractDecisions::CreatedAt))
                    .col(uuid_null(ContractDecisions::CreatedBy))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_contract_decisions_contract")
                    .table(ContractDecisions::Table)
                    .col(ContractDecisions::TenantId)
                    .col(ContractDecisions::ContractId)
                    .col(ContractDecisions::CreatedAt)
                    .to_owned(),
            )
            .await?;
        per_command_policies(manager, "contract_decisions", Some(&shared_contract())).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ContractDecisions::Table).to_owned())
            .await?;
        for column in [
            Contracts::NoticeDeadlineHandledOn,
            Contracts::RetenderStartHandledOn,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Contracts::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
