//! The audit trail: one record per change, written by the use case in the
//! same transaction as the change, so that neither exists without the other.
//! Each record also writes the change's entries of the sync feed
//! (`changes`), so that every audited write is reported.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, QueryFilter, QueryOrder,
    QuerySelect, Select, Set,
};
use serde::Serialize;
use uuid::Uuid;

use crate::changes;
use crate::db::{Db, Scope, escape_like, scoped};
use crate::entities::{audit_event, user};
use crate::error::{DomainError, DomainResult};
use crate::paging::{Page, PageRequest, fetch_page};
use crate::policy::{Action, authorize};
use crate::principal::{Principal, TenantId};
use crate::values::bounded_time;
use crate::webhooks;

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
    changes::from_audit(conn, tenant, &change).await?;
    if let Some(tenant) = tenant {
        webhooks::from_audit(conn, tenant, &change).await?;
    }
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

/// Records many changes at once (a bulk import), in batches of inserts.
pub async fn record_many<C: ConnectionTrait>(
    conn: &C,
    actor: &Principal,
    tenant: Option<TenantId>,
    changes: Vec<Change<'_>>,
) -> DomainResult<()> {
    changes::from_audit_many(conn, tenant, &changes).await?;
    let now = Utc::now();
    let actor_id = actor.actor_id();
    let actor_label = actor.actor_label();
    let models: Vec<audit_event::ActiveModel> = changes
        .into_iter()
        .map(|change| audit_event::ActiveModel {
            id: Set(Uuid::new_v4()),
            tenant_id: Set(tenant.map(|t| t.0)),
            actor_id: Set(actor_id),
            actor_label: Set(actor_label.clone()),
            action: Set(change.action.to_owned()),
            object_kind: Set(change.object_kind.to_owned()),
            object_id: Set(change.object_id),
            before: Set(change.before),
            after: Set(change.after),
            occurred_at: Set(now),
        })
        .collect();
    for chunk in models.chunks(500) {
        <audit_event::Entity as sea_orm::EntityTrait>::insert_many(chunk.to_vec())
            .exec_without_returning(conn)
            .await?;
    }
    Ok(())
}

/// An entry of the audit trail as admins read it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct AuditEntry {
    pub id: Uuid,
    pub occurred_at: DateTime<Utc>,
    pub actor_id: Option<Uuid>,
    pub actor_label: String,
    /// The acting user's name today, when the actor is a user of the
    /// municipality; the label keeps what was known when it happened.
    pub actor_name: Option<String>,
    pub action: String,
    pub object_kind: String,
    pub object_id: Uuid,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub object_kind: Option<String>,
    pub object_id: Option<Uuid>,
    /// Actions starting with this (`user.` finds all user changes).
    pub action: Option<String>,
    /// Part of the actor's e-mail or name.
    pub actor: Option<String>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
}

/// The municipality's audit trail, newest first. Admins only.
pub async fn list_entries(
    db: &Db,
    principal: &Principal,
    filter: AuditFilter,
    page: PageRequest,
) -> DomainResult<Page<AuditEntry>> {
    let tenant = audit_tenant(principal)?;
    let txn = db.read(Scope::Tenant(tenant)).await?;
    let query = matching(&txn, tenant, filter).await?;
    let mut found: Page<AuditEntry> = fetch_page(&txn, query, page).await?;
    name_actors(&txn, tenant, &mut found.items).await?;
    txn.commit().await?;
    Ok(found)
}

fn audit_tenant(principal: &Principal) -> DomainResult<TenantId> {
    match authorize(principal, Action::ReadAudit)? {
        Scope::Tenant(tenant) => Ok(tenant),
        Scope::System => Err(DomainError::Forbidden(
            "audit trails belong to a municipality",
        )),
    }
}

/// The entries `filter` matches, newest first.
async fn matching<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    filter: AuditFilter,
) -> DomainResult<Select<audit_event::Entity>> {
    let mut errors = Vec::new();
    for (field, time) in [("from", filter.from), ("to", filter.to)] {
        if let Some(Err(e)) = time.map(|t| bounded_time(field, t)) {
            errors.push(e);
        }
    }
    if !errors.is_empty() {
        return Err(DomainError::Validation(errors));
    }
    let mut query = scoped::<audit_event::Entity>(tenant);
    if let Some(kind) = filter.object_kind.filter(|k| !k.is_empty()) {
        query = query.filter(audit_event::Column::ObjectKind.eq(kind));
    }
    if let Some(id) = filter.object_id {
        query = query.filter(audit_event::Column::ObjectId.eq(id));
    }
    if let Some(action) = filter.action.filter(|a| !a.is_empty()) {
        query = query.filter(
            Expr::col(audit_event::Column::Action)
                .like(LikeExpr::new(format!("{}%", escape_like(&action))).escape('\\')),
        );
    }
    if let Some(actor) = filter.actor.filter(|a| !a.trim().is_empty()) {
        // The page names people, so a person is found by name as well as by
        // the e-mail address or client name the trail recorded.
        let pattern = format!("%{}%", escape_like(actor.trim()));
        let named: Vec<Uuid> = scoped::<user::Entity>(tenant)
            .filter(
                Expr::expr(Func::lower(Expr::col(user::Column::Name)))
                    .like(LikeExpr::new(pattern.clone()).escape('\\')),
            )
            .all(conn)
            .await?
            .into_iter()
            .map(|u| u.id)
            .collect();
        let by_label = Expr::expr(Func::lower(Expr::col(audit_event::Column::ActorLabel)))
            .like(LikeExpr::new(pattern).escape('\\'));
        query = if named.is_empty() {
            query.filter(by_label)
        } else {
            query.filter(by_label.or(Expr::col(audit_event::Column::ActorId).is_in(named)))
        };
    }
    if let Some(from) = filter.from {
        query = query.filter(audit_event::Column::OccurredAt.gte(from));
    }
    if let Some(to) = filter.to {
        query = query.filter(audit_event::Column::OccurredAt.lt(to));
    }
    Ok(query
        .order_by_desc(audit_event::Column::OccurredAt)
        .order_by_desc(audit_event::Column::Id))
}

/// An export of the audit trail: the entries a filter matches, newest
/// first, read a batch at a time (each batch after the last entry of the
/// one before, by time and id). Admins only, as the list.
pub struct AuditExport {
    tenant: TenantId,
    filter: AuditFilter,
    after: Option<(DateTime<Utc>, Uuid)>,
    done: bool,
}

pub async fn export_entries(
    db: &Db,
    principal: &Principal,
    filter: AuditFilter,
) -> DomainResult<AuditExport> {
    let tenant = audit_tenant(principal)?;
    // The filter is checked now, so that a bad one is refused before anything is written.
    let txn = db.read(Scope::Tenant(tenant)).await?;
    matching(&txn, tenant, filter.clone()).await?;
    txn.commit().await?;
    Ok(AuditExport {
        tenant,
        filter,
        after: None,
        done: false,
    })
}

impl AuditExport {
    /// The next batch of at most `size` entries, or `None` after the last.
    pub async fn next_batch(
        &mut self,
        db: &Db,
        size: u64,
    ) -> DomainResult<Option<Vec<AuditEntry>>> {
        if self.done {
            return Ok(None);
        }
        let txn = db.read(Scope::Tenant(self.tenant)).await?;
        let mut query = matching(&txn, self.tenant, self.filter.clone()).await?;
        if let Some((time, id)) = self.after {
            query = query.filter(
                Condition::any()
                    .add(audit_event::Column::OccurredAt.lt(time))
                    .add(
                        Condition::all()
                            .add(audit_event::Column::OccurredAt.eq(time))
                            .add(audit_event::Column::Id.lt(id)),
                    ),
            );
        }
        let mut entries: Vec<AuditEntry> = query
            .limit(size)
            .all(&txn)
            .await?
            .into_iter()
            .map(AuditEntry::from)
            .collect();
        name_actors(&txn, self.tenant, &mut entries).await?;
        txn.commit().await?;
        match entries.last() {
            None => {
                self.done = true;
                Ok(None)
            }
            Some(last) => {
                self.after = Some((last.occurred_at, last.id));
                self.done = (entries.len() as u64) < size;
                Ok(Some(entries))
            }
        }
    }
}
/// Fills in the names of the municipality's users who acted, so that the
/// trail names people rather than their e-mail addresses.
pub async fn name_actors<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    entries: &mut [AuditEntry],
) -> DomainResult<()> {
    let ids: Vec<Uuid> = entries.iter().filter_map(|e| e.actor_id).collect();
    if ids.is_empty() {
        return Ok(());
    }
    let names: HashMap<Uuid, String> = scoped::<user::Entity>(tenant)
        .filter(user::Column::Id.is_in(ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect();
    for entry in entries {
        entry.actor_name = entry
            .actor_id
            .and_then(|id| names.get(&id))
            .filter(|name| !name.trim().is_empty())
            .cloned();
    }
    Ok(())
}

impl From<audit_event::Model> for AuditEntry {
    fn from(e: audit_event::Model) -> Self {
        Self {
            id: e.id,
            occurred_at: e.occurred_at,
            actor_id: e.actor_id,
            actor_label: e.actor_label,
            actor_name: None,
            action: e.action,
            object_kind: e.object_kind,
            object_id: e.object_id,
            before: e.before,
            after: e.after,
        }
    }
}

/// The changes of one object in the tenant's trail, newest first.
pub async fn entries_of<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    object_kind: &str,
    object_id: Uuid,
) -> DomainResult<Vec<AuditEntry>> {
    let mut entries = scoped::<audit_event::Entity>(tenant)
        .filter(audit_event::Column::ObjectKind.eq(object_kind))
        .filter(audit_event::Column::ObjectId.eq(object_id))
        .order_by_desc(audit_event::Column::OccurredAt)
        .order_by_desc(audit_event::Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .map(AuditEntry::from)
        .collect::<Vec<_>>();
    name_actors(conn, tenant, &mut entries).await?;
    Ok(entries)
}
