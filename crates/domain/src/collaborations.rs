//! Collaborations of municipalities. A municipality joins only when its own
//! admin accepts an invitation, can leave at any time, and takes its shares
//! with it when it goes. Only members (and invited municipalities) see a
//! collaboration; to anyone else it does not exist.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use serde::Serialize;
use uuid::Uuid;

use crate::audit::{self, Change};
use crate::changes;
use crate::db::{Db, Scope, platform, platform_by_id, platform_update, scoped_delete};
use crate::entities::{collaboration, collaboration_member as member, share, tenant};
use crate::error::{DomainError, DomainResult, FieldError};
use crate::paging::{ChangeCursor, ChangeRead, Changed, Page, PageRequest};
use crate::policy::{Action, authorize};
use crate::principal::{Principal, TenantId};
use crate::values::{MunicipalityCode, optional_multiline_text, required_text};
use crate::versioned::{self, Changes, Trail};

/// The object kind of collaborations in the audit trail.
pub const KIND: &str = "collaboration";

/// A municipality's role inside a collaboration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MemberRole {
    /// May edit the collaboration, invite and remove members.
    Coordinator,
    Member,
}

impl MemberRole {
    pub fn as_str(self) -> &'static str {
        match self {
            MemberRole::Coordinator => "coordinator",
            MemberRole::Member => "member",
        }
    }

    fn parse(stored: &str) -> Self {
        if stored == "coordinator" {
            MemberRole::Coordinator
        } else {
            MemberRole::Member
        }
    }
}

/// Where a municipality stands in a collaboration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MemberStatus {
    Invited,
    Active,
    Declined,
    Left,
    Removed,
}

impl MemberStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            MemberStatus::Invited => "invited",
            MemberStatus::Active => "active",
            MemberStatus::Declined => "declined",
            MemberStatus::Left => "left",
            MemberStatus::Removed => "removed",
        }
    }

    fn parse(stored: &str) -> Self {
        match stored {
            "invited" => MemberStatus::Invited,
            "active" => MemberStatus::Active,
            "declined" => MemberStatus::Declined,
            "left" => MemberStatus::Left,
            _ => MemberStatus::Removed,
        }
    }

    /// Invited or active: the collaboration is visible to the municipality.
    fn sees_collaboration(self) -> bool {
        matches!(self, MemberStatus::Invited | MemberStatus::Active)
    }
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Member {
    pub tenant_id: Uuid,
    pub tenant_name: String,
    pub municipality_code: String,
    pub role: MemberRole,
    pub status: MemberStatus,
    pub invited_at: DateTime<Utc>,
    pub joined_at: Option<DateTime<Utc>>,
    pub ended_at: Option<DateTime<Utc>>,
}

/// A collaboration as one of its municipalities sees it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Collaboration {
    pub id: Uuid,
    pub name: String,
    pub description: Option<String>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The viewing municipality's role and status.
    pub my_role: MemberRole,
    pub my_status: MemberStatus,
    /// Everyone ever invited, with their status.
    pub members: Vec<Member>,
}

#[derive(Debug, Clone, Default)]
pub struct CollaborationPatch {
    pub name: Option<String>,
    /// `Some(None)` clears the description.
    pub description: Option<Option<String>>,
}

/// The viewing municipality's membership row, or `NotFound` when it has none
/// that lets it see the collaboration.
async fn visible_membership<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    collaboration_id: Uuid,
) -> DomainResult<member::Model> {
    platform::<member::Entity>()
        .filter(member::Column::CollaborationId.eq(collaboration_id))
        .filter(member::Column::TenantId.eq(tenant.0))
        .one(conn)
        .await?
        .filter(|m| MemberStatus::parse(&m.status).sees_collaboration())
        .ok_or(DomainError::NotFound)
}

/// The membership of an active coordinator, or why not.
async fn coordinator_membership<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    collaboration_id: Uuid,
) -> DomainResult<member::Model> {
    let mine = visible_membership(conn, tenant, collaboration_id).await?;
    if MemberStatus::parse(&mine.status) != MemberStatus::Active
        || MemberRole::parse(&mine.role) != MemberRole::Coordinator
    {
        return Err(DomainError::Forbidden(
            "only the collaboration's coordinators may do this",
        ));
    }
    Ok(mine)
}

fn admin_tenant(principal: &Principal) -> DomainResult<TenantId> {
    match authorize(principal, Action::ManageMemberships)? {
        Scope::Tenant(tenant) => Ok(tenant),
        Scope::System => Err(DomainError::Forbidden(
            "memberships belong to a municipality",
        )),
    }
}

fn reader_tenant(principal: &Principal) -> DomainResult<TenantId> {
    match authorize(principal, Action::ReadCollaborations)? {
        Scope::Tenant(tenant) => Ok(tenant),
        Scope::System => Err(DomainError::Forbidden(
            "collaborations are seen by municipalities",
        )),
    }
}

async fn load<C: ConnectionTrait>(
    conn: &C,
    collaboration_id: Uuid,
    viewer: &member::Model,
) -> DomainResult<Collaboration> {
    let found = platform_by_id::<collaboration::Entity, _>(collaboration_id)
        .one(conn)
        .await?
        .ok_or(DomainError::NotFound)?;
    let rows = platform::<member::Entity>()
        .filter(member::Column::CollaborationId.eq(collaboration_id))
        .order_by_asc(member::Column::InvitedAt)
        .all(conn)
        .await?;
    let tenant_ids: Vec<Uuid> = rows.iter().map(|m| m.tenant_id).collect();
    let tenants: HashMap<Uuid, tenant::Model> = platform::<tenant::Entity>()
        .filter(tenant::Column::Id.is_in(tenant_ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|t| (t.id, t))
        .collect();
    let members = rows
        .into_iter()
        .map(|m| {
            let t = tenants.get(&m.tenant_id);
            Member {
                tenant_id: m.tenant_id,
                tenant_name: t.map(|t| t.name.clone()).unwrap_or_default(),
                municipality_code: t.map(|t| t.municipality_code.clone()).unwrap_or_default(),
                role: MemberRole::parse(&m.role),
                status: MemberStatus::parse(&m.status),
                invited_at: m.invited_at,
                joined_at: m.joined_at,
                ended_at: m.ended_at,
            }
        })
        .collect();
    Ok(Collaboration {
        id: found.id,
        name: found.name,
        description: found.description,
        version: found.version,
        created_at: found.created_at,
        updated_at: found.updated_at,
        my_role: MemberRole::parse(&viewer.role),
        my_status: MemberStatus::parse(&viewer.status),
        members,
    })
}

/// The collaborations the principal's municipality is in or invited to.
pub async fn list_collaborations(
    db: &Db,
    principal: &Principal,
    status: Option<MemberStatus>,
) -> DomainResult<Vec<Collaboration>> {
    let tenant = reader_tenant(principal)?;
    let txn = db.read(Scope::Tenant(tenant)).await?;
    let mut query = platform::<member::Entity>().filter(member::Column::TenantId.eq(tenant.0));
    query = match status {
        Some(status) => query.filter(member::Column::Status.eq(status.as_str())),
        None => query.filter(member::Column::Status.is_in([
            MemberStatus::Invited.as_str(),
            MemberStatus::Active.as_str(),
        ])),
    };
    let mine = query.all(&txn).await?;
    let mut found = Vec::with_capacity(mine.len());
    for membership in mine
        .iter()
        .filter(|m| MemberStatus::parse(&m.status).sees_collaboration())
    {
        found.push(load(&txn, membership.collaboration_id, membership).await?);
    }
    txn.commit().await?;
    found.sort_by_key(|c| c.name.to_lowercase());
    Ok(found)
}

/// One page of [`list_collaborations`] in order of last change, for
/// integrators' sync.
pub async fn list_collaborations_by_change(
    db: &Db,
    principal: &Principal,
    status: Option<MemberStatus>,
    read: ChangeRead,
    page: PageRequest,
) -> DomainResult<Page<Collaboration>> {
    Ok(read.page_of(list_collaborations(db, principal, status).await?, page))
}

impl Changed for Collaboration {
    fn position(&self) -> ChangeCursor {
        ChangeCursor {
            updated_at: self.updated_at,
            id: self.id,
        }
    }
}

pub async fn get_collaboration(
    db: &Db,
    principal: &Principal,
    id: Uuid,
) -> DomainResult<Collaboration> {
    let tenant = reader_tenant(principal)?;
    let txn = db.read(Scope::Tenant(tenant)).await?;
    let mine = visible_membership(&txn, tenant, id).await?;
    let found = load(&txn, id, &mine).await?;
    txn.commit().await?;
    Ok(found)
}

/// Creates a collaboration with the principal's municipality as coordinator.
pub async fn create_collaboration(
    db: &Db,
    principal: &Principal,
    name: &str,
    description: Option<&str>,
) -> DomainResult<Collaboration> {
    let tenant = admin_tenant(principal)?;
    let mut errors = Vec::new();
    let name = required_text("name", name, 200)
        .map_err(|e| errors.push(e))
        .ok();
    let description = optional_multiline_text("description", description, 4000)
        .map_err(|e| errors.push(e))
        .ok();
    let (Some(name), Some(description), true) = (name, description, errors.is_empty()) else {
        return Err(DomainError::Validation(errors));
    };
    let now = Utc::now();
    let txn = db.write(Scope::Tenant(tenant)).await?;
    let created = collaboration::ActiveModel {
        id: Set(Uuid::new_v4()),
        name: Set(name),
        description: Set(description),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await?;
    let mine = member::ActiveModel {
        id: Set(Uuid::new_v4()),
        collaboration_id: Set(created.id),
        tenant_id: Set(tenant.0),
        role: Set(MemberRole::Coordinator.as_str().to_owned()),
        status: Set(MemberStatus::Active.as_str().to_owned()),
        invited_by_tenant_id: Set(None),
        invited_at: Set(now),
        joined_at: Set(Some(now)),
        ended_at: Set(None),
    }
    .insert(&txn)
    .await?;
    let result = load(&txn, created.id, &mine).await?;
    record(
        &txn,
        principal,
        tenant,
        "collaboration.created",
        created.id,
        None,
        snapshot(&result),
    )
    .await?;
    txn.commit().await?;
    Ok(result)
}

pub async fn update_collaboration(
    db: &Db,
    principal: &Principal,
    id: Uuid,
    expected_version: Option<i32>,
    patch: CollaborationPatch,
) -> DomainResult<Collaboration> {
    let tenant = admin_tenant(principal)?;
    let mut errors = Vec::new();
    let name = match patch.name.as_deref() {
        Some(raw) => required_text("name", raw, 200)
            .map_err(|e| errors.push(e))
            .ok(),
        None => None,
    };
    let description = match patch.description {
        Some(raw) => optional_multiline_text("description", raw.as_deref(), 4000)
            .map_err(|e| errors.push(e))
            .ok(),
        None => None,
    };
    if !errors.is_empty() {
        return Err(DomainError::Validation(errors));
    }
    let txn = db.write(Scope::Tenant(tenant)).await?;
    let mine = coordinator_membership(&txn, tenant, id).await?;
    let current = platform_by_id::<collaboration::Entity, _>(id)
        .one(&txn)
        .await?
        .ok_or(DomainError::NotFound)?;
    // The view is the whole collaboration as the coordinator sees it,
    // members included; `load` reads it again for the after image.
    let current = versioned::check(current, expected_version, |_| load(&txn, id, &mine)).await?;
    let mut changes = Changes::<collaboration::Entity>::platform();
    if let Some(name) = name {
        changes = changes.set(collaboration::Column::Name, name);
    }
    if let Some(description) = description {
        changes = changes.set(collaboration::Column::Description, description);
    }
    let after = versioned::update(
        &txn,
        principal,
        current,
        changes,
        Trail {
            tenant: Some(tenant),
            kind: KIND,
        },
        "collaboration.updated",
    )
    .await?;
    txn.commit().await?;
    Ok(after)
}

/// Who is invited: a municipality by its code or by its id on the platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Invitee<'a> {
    Code(&'a str),
    Tenant(Uuid),
}

/// Invites the municipality with `municipality_code`. Coordinators only.
pub async fn invite(
    db: &Db,
    principal: &Principal,
    id: Uuid,
    municipality_code: &str,
) -> DomainResult<Collaboration> {
    invite_municipality(db, principal, id, Invitee::Code(municipality_code)).await
}

/// Invites a municipality by its code or its id. Coordinators only.
pub async fn invite_municipality(
    db: &Db,
    principal: &Principal,
    id: Uuid,
    invitee: Invitee<'_>,
) -> DomainResult<Collaboration> {
    let tenant = admin_tenant(principal)?;
    let code = match invitee {
        Invitee::Code(raw) => Some(
            MunicipalityCode::parse("municipality_code", raw)
                .map_err(|e| DomainError::Validation(vec![e]))?,
        ),
        Invitee::Tenant(_) => None,
    };
    let txn = db.write(Scope::Tenant(tenant)).await?;
    let mine = coordinator_membership(&txn, tenant, id).await?;
    let (query, field, message) = match (invitee, code) {
        (Invitee::Tenant(invited), _) => (
            platform_by_id::<tenant::Entity, _>(invited),
            "tenant_id",
            "no municipality with this id uses Samudbud",
        ),
        (Invitee::Code(_), code) => (
            platform::<tenant::Entity>().filter(
                tenant::Column::MunicipalityCode
                    .eq(code.map(|c| c.to_string()).unwrap_or_default()),
            ),
            "municipality_code",
            "no municipality with this code uses Samudbud",
        ),
    };
    let invited = query
        .one(&txn)
        .await?
        .ok_or_else(|| DomainError::invalid(field, "unknown", message))?;
    let now = Utc::now();
    let existing = platform::<member::Entity>()
        .filter(member::Column::CollaborationId.eq(id))
        .filter(member::Column::TenantId.eq(invited.id))
        .one(&txn)
        .await?;
    match existing {
        Some(row) if MemberStatus::parse(&row.status).sees_collaboration() => {
            let message = if MemberStatus::parse(&row.status) == MemberStatus::Active {
                "the municipality is already a member"
            } else {
                "the municipality is already invited"
            };
            return Err(DomainError::Conflict {
                message: message.into(),
                field: Some(FieldError::new(field, "taken", message)),
            });
        }
        Some(row) => {
            platform_update::<member::Entity>()
                .col_expr(
                    member::Column::Status,
                    Expr::value(MemberStatus::Invited.as_str()),
                )
                .col_expr(
                    member::Column::Role,
                    Expr::value(MemberRole::Member.as_str()),
                )
                .col_expr(member::Column::InvitedByTenantId, Expr::value(tenant.0))
                .col_expr(member::Column::InvitedAt, Expr::value(now))
                .col_expr(member::Column::JoinedAt, Expr::value(None::<DateTime<Utc>>))
                .col_expr(member::Column::EndedAt, Expr::value(None::<DateTime<Utc>>))
                .filter(member::Column::Id.eq(row.id))
                .exec(&txn)
                .await?;
        }
        None => {
            member::ActiveModel {
                id: Set(Uuid::new_v4()),
                collaboration_id: Set(id),
                tenant_id: Set(invited.id),
                role: Set(MemberRole::Member.as_str().to_owned()),
                status: Set(MemberStatus::Invited.as_str().to_owned()),
                invited_by_tenant_id: Set(Some(tenant.0)),
                invited_at: Set(now),
                joined_at: Set(None),
                ended_at: Set(None),
            }
            .insert(&txn)
            .await?;
        }
    }
    let after = load(&txn, id, &mine).await?;
    record(
        &txn,
        principal,
        tenant,
        "collaboration.invited",
        id,
        None,
        Some(serde_json::json!({
            "collaboration": after.name,
            "invited": invited.name,
            "municipality_code": invited.municipality_code,
        })),
    )
    .await?;
    txn.commit().await?;
    Ok(after)
}

/// The invited municipality's answer.
pub async fn respond(
    db: &Db,
    principal: &Principal,
    id: Uuid,
    accept: bool,
) -> DomainResult<Collaboration> {
    let tenant = admin_tenant(principal)?;
    let txn = db.write(Scope::Tenant(tenant)).await?;
    let mine = visible_membership(&txn, tenant, id).await?;
    if MemberStatus::parse(&mine.status) != MemberStatus::Invited {
        return Err(DomainError::conflict(
            "there is no pending invitation to answer",
        ));
    }
    let now = Utc::now();
    let (status, joined, ended, action) = if accept {
        (
            MemberStatus::Active,
            Some(now),
            None,
            "collaboration.accepted",
        )
    } else {
        (
            MemberStatus::Declined,
            None,
            Some(now),
            "collaboration.declined",
        )
    };
    platform_update::<member::Entity>()
        .col_expr(member::Column::Status, Expr::value(status.as_str()))
        .col_expr(member::Column::JoinedAt, Expr::value(joined))
        .col_expr(member::Column::EndedAt, Expr::value(ended))
        .filter(member::Column::Id.eq(mine.id))
        .exec(&txn)
        .await?;
    let updated = platform_by_id::<member::Entity, _>(mine.id)
        .one(&txn)
        .await?
        .ok_or(DomainError::NotFound)?;
    if accept {
        changes::membership_started(&txn, tenant, id).await?;
    } else {
        changes::membership_ended(&txn, tenant, id, false).await?;
    }
    let after = load(&txn, id, &updated).await?;
    record(&txn, principal, tenant, action, id, None, snapshot(&after)).await?;
    txn.commit().await?;
    Ok(after)
}

/// The principal's municipality leaves; its shares to the collaboration end.
pub async fn leave(db: &Db, principal: &Principal, id: Uuid) -> DomainResult<()> {
    let tenant = admin_tenant(principal)?;
    let txn = db.write(Scope::Tenant(tenant)).await?;
    lock_memberships(&txn, id).await?;
    let mine = visible_membership(&txn, tenant, id).await?;
    if MemberStatus::parse(&mine.status) != MemberStatus::Active {
        return Err(DomainError::conflict(
            "the municipality is not a member; decline the invitation instead",
        ));
    }
    ensure_other_coordinator(&txn, id, &mine).await?;
    changes::membership_ended(&txn, tenant, id, true).await?;
    end_membership(&txn, &mine, MemberStatus::Left).await?;
    let removed_shares = withdraw_shares(&txn, id, TenantId(mine.tenant_id)).await?;
    record(
        &txn,
        principal,
        tenant,
        "collaboration.left",
        id,
        None,
        Some(serde_json::json!({"shares_withdrawn": removed_shares})),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// A coordinator removes a member or withdraws an invitation.
pub async fn remove_member(
    db: &Db,
    principal: &Principal,
    id: Uuid,
    member_tenant: Uuid,
) -> DomainResult<Collaboration> {
    let tenant = admin_tenant(principal)?;
    let txn = db.write(Scope::Tenant(tenant)).await?;
    lock_memberships(&txn, id).await?;
    let mine = coordinator_membership(&txn, tenant, id).await?;
    if member_tenant == tenant.0 {
        return Err(DomainError::conflict(
            "to remove your own municipality, leave the collaboration",
        ));
    }
    let target = platform::<member::Entity>()
        .filter(member::Column::CollaborationId.eq(id))
        .filter(member::Column::TenantId.eq(member_tenant))
        .one(&txn)
        .await?
        .filter(|m| MemberStatus::parse(&m.status).sees_collaboration())
        .ok_or(DomainError::NotFound)?;
    let was_active = MemberStatus::parse(&target.status) == MemberStatus::Active;
    changes::membership_ended(&txn, TenantId(target.tenant_id), id, was_active).await?;
    end_membership(&txn, &target, MemberStatus::Removed).await?;
    let removed_shares = withdraw_shares(&txn, id, TenantId(target.tenant_id)).await?;
    let after = load(&txn, id, &mine).await?;
    record(
        &txn,
        principal,
        tenant,
        "collaboration.member_removed",
        id,
        None,
        Some(serde_json::json!({"tenant_id": member_tenant, "shares_withdrawn": removed_shares})),
    )
    .await?;
    txn.commit().await?;
    Ok(after)
}

/// A coordinator makes an active member coordinator, or back.
pub async fn set_member_role(
    db: &Db,
    principal: &Principal,
    id: Uuid,
    member_tenant: Uuid,
    role: MemberRole,
) -> DomainResult<Collaboration> {
    let tenant = admin_tenant(principal)?;
    let txn = db.write(Scope::Tenant(tenant)).await?;
    lock_memberships(&txn, id).await?;
    let mine = coordinator_membership(&txn, tenant, id).await?;
    let target = platform::<member::Entity>()
        .filter(member::Column::CollaborationId.eq(id))
        .filter(member::Column::TenantId.eq(member_tenant))
        .filter(member::Column::Status.eq(MemberStatus::Active.as_str()))
        .one(&txn)
        .await?
        .ok_or(DomainError::NotFound)?;
    if role == MemberRole::Member {
        ensure_other_coordinator(&txn, id, &target).await?;
    }
    platform_update::<member::Entity>()
        .col_expr(member::Column::Role, Expr::value(role.as_str()))
        .filter(member::Column::Id.eq(target.id))
        .exec(&txn)
        .await?;
    let mine = platform_by_id::<member::Entity, _>(mine.id)
        .one(&txn)
        .await?
        .ok_or(DomainError::NotFound)?;
    let after = load(&txn, id, &mine).await?;
    record(
        &txn,
        principal,
        tenant,
        "collaboration.role_changed",
        id,
        Some(serde_json::json!({"tenant_id": member_tenant, "role": target.role})),
        Some(serde_json::json!({"tenant_id": member_tenant, "role": role.as_str()})),
    )
    .await?;
    txn.commit().await?;
    Ok(after)
}

/// Serialises the changes of one collaboration's memberships: two
/// coordinators stepping down, leaving or removing each other at the same
/// moment must not both find the other still coordinator. The lock is the
/// collaboration's row (PostgreSQL; SQLite's write transactions run one at
/// a time anyway), taken before any membership is read, so a transaction
/// that waited reads the memberships as the other left them.
async fn lock_memberships<C: ConnectionTrait>(conn: &C, id: Uuid) -> DomainResult<()> {
    platform_by_id::<collaboration::Entity, _>(id)
        .select_only()
        .column(collaboration::Column::Id)
        .lock_exclusive()
        .into_tuple::<Uuid>()
        .one(conn)
        .await?;
    Ok(())
}

/// A collaboration with active members keeps at least one coordinator.
async fn ensure_other_coordinator<C: ConnectionTrait>(
    conn: &C,
    id: Uuid,
    leaving: &member::Model,
) -> DomainResult<()> {
    if MemberRole::parse(&leaving.role) != MemberRole::Coordinator {
        return Ok(());
    }
    let active = |q: sea_orm::Select<member::Entity>| {
        q.filter(member::Column::CollaborationId.eq(id))
            .filter(member::Column::Status.eq(MemberStatus::Active.as_str()))
            .filter(member::Column::Id.ne(leaving.id))
    };
    let others = active(platform::<member::Entity>()).count(conn).await?;
    let other_coordinators = active(platform::<member::Entity>())
        .filter(member::Column::Role.eq(MemberRole::Coordinator.as_str()))
        .count(conn)
        .await?;
    if others > 0 && other_coordinators == 0 {
        return Err(DomainError::conflict(
            "the collaboration needs another coordinator first: make another member coordinator",
        ));
    }
    Ok(())
}

async fn end_membership<C: ConnectionTrait>(
    conn: &C,
    row: &member::Model,
    status: MemberStatus,
) -> DomainResult<()> {
    platform_update::<member::Entity>()
        .col_expr(member::Column::Status, Expr::value(status.as_str()))
        .col_expr(
            member::Column::Role,
            Expr::value(MemberRole::Member.as_str()),
        )
        .col_expr(member::Column::EndedAt, Expr::value(Utc::now()))
        .filter(member::Column::Id.eq(row.id))
        .exec(conn)
        .await?;
    Ok(())
}

/// Deletes what `owner` shared with the collaboration; returns how many.
async fn withdraw_shares<C: ConnectionTrait>(
    conn: &C,
    id: Uuid,
    owner: TenantId,
) -> DomainResult<u64> {
    let deleted = scoped_delete::<share::Entity>(owner)
        .filter(share::Column::CollaborationId.eq(id))
        .exec(conn)
        .await?;
    Ok(deleted.rows_affected)
}

/// Writes the audit record of a change to collaboration `id`.
async fn record<C: ConnectionTrait>(
    conn: &C,
    principal: &Principal,
    tenant: TenantId,
    action: &str,
    id: Uuid,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> DomainResult<()> {
    audit::record(
        conn,
        principal,
        Some(tenant),
        Change {
            action,
            object_kind: KIND,
            object_id: id,
            before,
            after,
        },
    )
    .await
}

fn snapshot(collaboration: &Collaboration) -> Option<serde_json::Value> {
    serde_json::to_value(collaboration).ok()
}
