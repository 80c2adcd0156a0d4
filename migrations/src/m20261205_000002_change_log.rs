//! The change log: what changed in a municipality's data, in the order it
//! was committed, for integrators who sync incrementally
//! (`GET /api/v1/changes`). Append-only: one row per object and change,
//! written in the change's own transaction, addressed to the municipality
//! whose view changed — the owner, and for shared objects and
//! collaborations the other members too.
//!
//! Row-level security: a municipality reads only its own rows; it writes its
//! own rows, and rows addressed to another municipality only when the row
//! names a collaboration both have a place in (a share that started or
//! ended, a shared object's or the collaboration's own change). Nobody updates a row; only
//! the owner role's pruning deletes them.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

use crate::rls::{CURRENT_TENANT, OWNER_SYSTEM};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ChangeLog::Table)
                    .col(
                        ColumnDef::new(ChangeLog::Seq)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    // The municipality whose view changed.
                    .col(uuid(ChangeLog::TenantId))
                    // contract | it_system | supplier | collaboration | template | tender_plan | planned_tender
                    .col(string_len(ChangeLog::Kind, 32))
                    .col(uuid(ChangeLog::ObjectId))
                    // created | updated | archived | restored | deleted |
                    // share_started | share_ended | joined | left
                    .col(string_len(ChangeLog::Action, 32))
                    // The collaboration a share or membership entry is about.
                    .col(uuid_null(ChangeLog::CollaborationId))
                    .col(timestamp_with_time_zone(ChangeLog::ChangedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ChangeLog::Table, ChangeLog::TenantId)
                            .to(Tenants::Table, Tenants::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_change_log_tenant_seq")
                    .table(ChangeLog::Table)
                    .col(ChangeLog::TenantId)
                    .col(ChangeLog::Seq)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_change_log_changed_at")
                    .table(ChangeLog::Table)
                    .col(ChangeLog::ChangedAt)
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        if db.get_database_backend() == DbBackend::Postgres {
            let own = format!("{OWNER_SYSTEM} OR tenant_id = {CURRENT_TENANT}");
            let fellow = format!(
                "collaboration_id IS NOT NULL \
                 AND EXISTS (SELECT 1 FROM collaboration_members w \
                   WHERE w.collaboration_id = change_log.collaboration_id \
                     AND w.tenant_id = {CURRENT_TENANT}) \
                 AND EXISTS (SELECT 1 FROM collaboration_members r \
                   WHERE r.collaboration_id = change_log.collaboration_id \
                     AND r.tenant_id = change_log.tenant_id)"
            );
            db.execute_unprepared(&format!(
                "ALTER TABLE change_log ENABLE ROW LEVEL SECURITY; \
                 ALTER TABLE change_log FORCE ROW LEVEL SECURITY; \
                 CREATE POLICY tenant_select ON change_log FOR SELECT USING ({own}); \
                 CREATE POLICY tenant_insert ON change_log FOR INSERT WITH CHECK ({own} OR ({fellow})); \
                 CREATE POLICY tenant_delete ON change_log FOR DELETE USING ({OWNER_SYSTEM});"
            ))
            .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ChangeLog::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Tenants {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum ChangeLog {
    Table,
    Seq,
    TenantId,
    Kind,
    ObjectId,
    Action,
    CollaborationId,
    ChangedAt,
}
