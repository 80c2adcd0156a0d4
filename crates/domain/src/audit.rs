//! The audit trail: one record per change, written by the use case in the
//! same transaction as the change, so that neither exists without the other.

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};
use uuid::Uuid;

use crate::entities::audit_event;
use crate::error::DomainResult;
use crate::principal::{Principal, TenantId};

pub struct Change<'a> {
    pub action: &'a str,
    pub object_kind: &'a str,
    pub object_id: Uuid,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

pub async fn record<C: ConnectionTrait>(
    conn: &C,
    actor: &Principal,
    tenant: Option<TenantId>,
    change: Change<'_>,
) -> DomainResult<()> {
    audit_event::ActiveModel {
        id: Set(Uuid::new_v4()),
        tenant_id: Set(tenant.map(|t| t.0)),
        actor_id: Set(actor.actor_id()),
        actor_label: Set(actor.actor_label()),
        action: Set(change.action.to_owned()),
        object_kind: Set(change.object_kind.to_owned()),
        object_id: Set(change.object_id),
        before: Set(change.before),
        after: Set(change.after),
        occurred_at: Set(Utc::now()),
    }
    .insert(conn)
    .await?;
    Ok(())
}
