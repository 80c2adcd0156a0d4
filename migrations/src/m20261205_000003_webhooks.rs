//! Webhooks: the endpoints a municipality registers, the outbox of events
//! written in the same transaction as the change they report, one delivery
//! per event and endpoint, and the log of every attempt to deliver one.
//!
//! All four are the municipality's rows (`rls::per_command_policies`); the
//! dispatcher reaches them across municipalities in the system scope only.

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
                    .table(WebhookEndpoints::Table)
                    .col(uuid(WebhookEndpoints::Id).primary_key())
                    .col(uuid(WebhookEndpoints::TenantId))
                    .col(text(WebhookEndpoints::Url))
                    .col(string_len(WebhookEndpoints::Description, 500).default(""))
                    // Comma-separated event types, e.g. "contract.created,contract.updated".
                    .col(string_len(WebhookEndpoints::EventTypes, 500))
                    .col(integer(WebhookEndpoints::DaysBefore).default(30))
                    .col(boolean(WebhookEndpoints::Enabled).default(true))
                    .col(string_len(WebhookEndpoints::Secret, 100))
                    .col(integer(WebhookEndpoints::Version).default(1))
                    .col(uuid_null(WebhookEndpoints::CreatedBy))
                    .col(timestamp_with_time_zone(WebhookEndpoints::CreatedAt))
                    .col(timestamp_with_time_zone(WebhookEndpoints::UpdatedAt))
                    .col(timestamp_with_time_zone_null(
                        WebhookEndpoints::SecretRotatedAt,
                    ))
                    // Since when every attempt has failed; cleared by a success.
                    .col(timestamp_with_time_zone_null(
                        WebhookEndpoints::FailingSince,
                    ))
                    .col(timestamp_with_time_zone_null(WebhookEndpoints::DisabledAt))
                    .col(text_null(WebhookEndpoints::DisabledReason))
                    .foreign_key(
                        ForeignKey::create()
                            .from(WebhookEndpoints::Table, WebhookEndpoints::TenantId)
                            .to(Tenants::Table, Tenants::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_webhook_endpoints_tenant")
                    .table(WebhookEndpoints::Table)
                    .col(WebhookEndpoints::TenantId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(WebhookEvents::Table)
                    .col(uuid(WebhookEvents::Id).primary_key())
                    .col(uuid(WebhookEvents::TenantId))
                    .col(string_len(WebhookEvents::EventType, 64))
                    .col(uuid(WebhookEvents::ObjectId))
                    // The event's `data`, as JSON text.
                    .col(text(WebhookEvents::Payload))
                    // Makes a scheduled event (a deadline approaching) once only.
                    .col(string_len_null(WebhookEvents::DedupKey, 200))
                    .col(timestamp_with_time_zone(WebhookEvents::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(WebhookEvents::Table, WebhookEvents::TenantId)
                            .to(Tenants::Table, Tenants::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_webhook_events_dedup")
                    .table(WebhookEvents::Table)
                    .col(WebhookEvents::DedupKey)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(WebhookDeliveries::Table)
                    .col(uuid(WebhookDeliveries::Id).primary_key())
                    .col(uuid(WebhookDeliveries::TenantId))
                    .col(uuid(WebhookDeliveries::EndpointId))
                    .col(uuid(WebhookDeliveries::EventId))
                    .col(string_len(WebhookDeliveries::EventType, 64))
                    // The event's object: deliveries for one object go in order.
                    .col(uuid(WebhookDeliveries::ObjectId))
                    // pending | delivered | failed
                    .col(string_len(WebhookDeliveries::Status, 16))
                    .col(integer(WebhookDeliveries::Attempts).default(0))
                    .col(timestamp_with_time_zone(WebhookDeliveries::NextAttemptAt))
                    // Held by a dispatcher until then; another may take it after.
                    .col(timestamp_with_time_zone_null(WebhookDeliveries::LeaseUntil))
                    .col(timestamp_with_time_zone(WebhookDeliveries::CreatedAt))
                    .col(timestamp_with_time_zone_null(
                        WebhookDeliveries::DeliveredAt,
                    ))
                    .col(integer_null(WebhookDeliveries::LastStatusCode))
                    .col(text_null(WebhookDeliveries::LastError))
                    .foreign_key(
                        ForeignKey::create()
                            .from(WebhookDeliveries::Table, WebhookDeliveries::EndpointId)
                            .to(WebhookEndpoints::Table, WebhookEndpoints::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(WebhookDeliveries::Table, WebhookDeliveries::EventId)
                            .to(WebhookEvents::Table, WebhookEvents::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_webhook_deliveries_due")
                    .table(WebhookDeliveries::Table)
                    .col(WebhookDeliveries::Status)
                    .col(WebhookDeliveries::NextAttemptAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_webhook_deliveries_object")
                    .table(WebhookDeliveries::Table)
                    .col(WebhookDeliveries::EndpointId)
                    .col(WebhookDeliveries::ObjectId)
                    .col(WebhookDeliveries::CreatedAt)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(WebhookAttempts::Table)
                    .col(uuid(WebhookAttempts::Id).primary_key())
                    .col(uuid(WebhookAttempts::TenantId))
                    .col(uuid(WebhookAttempts::DeliveryId))
                    .col(uuid(WebhookAttempts::EndpointId))
                    .col(timestamp_with_time_zone(WebhookAttempts::AttemptedAt))
                    .col(integer(WebhookAttempts::DurationMs))
                    .col(integer_null(WebhookAttempts::StatusCode))
                    .col(boolean(WebhookAttempts::Succeeded))
                    .col(text_null(WebhookAttempts::Error))
                    .foreign_key(
                        ForeignKey::create()
                            .from(WebhookAttempts::Table, WebhookAttempts::DeliveryId)
                            .to(WebhookDeliveries::Table, WebhookDeliveries::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_webhook_attempts_delivery")
                    .table(WebhookAttempts::Table)
                    .col(WebhookAttempts::DeliveryId)
                    .col(WebhookAttempts::AttemptedAt)
                    .to_owned(),
            )
            .await?;

        for table in [
            "webhook_endpoints",
            "webhook_events",
            "webhook_deliveries",
            "webhook_attempts",
        ] {
            per_command_policies(manager, table, None).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            WebhookAttempts::Table.into_iden(),
            WebhookDeliveries::Table.into_iden(),
            WebhookEvents::Table.into_iden(),
            WebhookEndpoints::Table.into_iden(),
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
enum WebhookEndpoints {
    Table,
    Id,
    TenantId,
    Url,
    Description,
    EventTypes,
    DaysBefore,
    Enabled,
    Secret,
    Version,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
    SecretRotatedAt,
    FailingSince,
    DisabledAt,
    DisabledReason,
}

#[derive(DeriveIden)]
enum WebhookEvents {
    Table,
    Id,
    TenantId,
    EventType,
    ObjectId,
    Payload,
    DedupKey,
    CreatedAt,
}

#[derive(DeriveIden)]
enum WebhookDeliveries {
    Table,
    Id,
    TenantId,
    EndpointId,
    EventId,
    EventType,
    ObjectId,
    Status,
    Attempts,
    NextAttemptAt,
    LeaseUntil,
    CreatedAt,
    DeliveredAt,
    LastStatusCode,
    LastError,
}

#[derive(DeriveIden)]
enum WebhookAttempts {
    Table,
    Id,
    TenantId,
    DeliveryId,
    EndpointId,
    AttemptedAt,
    DurationMs,
    StatusCode,
    Succeeded,
    Error,
}
