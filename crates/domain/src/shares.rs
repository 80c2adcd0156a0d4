//! The generic share record: an object a municipality has shared, read-only,
//! with a collaboration. The feature owning the object (contracts,
//! templates, …) checks that the object is the owner's and writes the audit
//! record; this module keeps the rules common to all kinds: only an active
//! member shares, and only while both owner and reader are active members
//! does the reader see the object.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, QueryFilter, QueryOrder, Set};
use serde::Serialize;
use uuid::Uuid;

use crate::changes;
use crate::db::{platform, scoped, scoped_delete, scoped_update, shares_with};
use crate::entities::{collaboration_member as member, share};
use crate::error::{DomainError, DomainResult, OnUnique};
use crate::principal::TenantId;

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Share {
    pub id: Uuid,
    pub owner: Uuid,
    pub object_kind: String,
    pub object_id: Uuid,
    pub collaboration_id: Uuid,
    pub shared_by: Option<Uuid>,
    pub include_attachments: bool,
    pub created_at: DateTime<Utc>,
}

impl From<share::Model> for Share {
    fn from(m: share::Model) -> Self {
        Self {
            id: m.id,
            owner: m.tenant_id,
            object_kind: m.object_kind,
            object_id: m.object_id,
            collaboration_id: m.collaboration_id,
            shared_by: m.shared_by,
            include_attachments: m.include_attachments,
            created_at: m.created_at,
        }
    }
}

/// The collaborations `tenant` is an active member of.
pub async fn active_collaborations<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
) -> DomainResult<Vec<Uuid>> {
    Ok(platform::<member::Entity>()
        .filter(member::Column::TenantId.eq(tenant.0))
        .filter(member::Column::Status.eq("active"))
        .all(conn)
        .await?
        .into_iter()
        .map(|m| m.collaboration_id)
        .collect())
}

/// Refuses a collaboration `owner` is not an active member of.
pub async fn check_member<C: ConnectionTrait>(
    conn: &C,
    owner: TenantId,
    collaboration_id: Uuid,
) -> DomainResult<()> {
    if !active_collaborations(conn, owner)
        .await?
        .contains(&collaboration_id)
    {
        return Err(DomainError::invalid(
            "collaboration_id",
            "not_member",
            "share only with a collaboration your municipality is an active member of",
        ));
    }
    Ok(())
}

/// Shares `object_id` (of `owner`) with a collaboration `owner` is an active
/// member of. Sharing twice is a conflict.
pub async fn share_object<C: ConnectionTrait>(
    conn: &C,
    owner: TenantId,
    object_kind: &str,
    object_id: Uuid,
    collaboration_id: Uuid,
    shared_by: Option<Uuid>,
) -> DomainResult<Share> {
    share_object_with(
        conn,
        owner,
        object_kind,
        object_id,
        collaboration_id,
        shared_by,
        false,
    )
    .await
}

/// As [`share_object`], saying whether the object's attachments go with it.
pub async fn share_object_with<C: ConnectionTrait>(
    conn: &C,
    owner: TenantId,
    object_kind: &str,
    object_id: Uuid,
    collaboration_id: Uuid,
    shared_by: Option<Uuid>,
    include_attachments: bool,
) -> DomainResult<Share> {
    check_member(conn, owner, collaboration_id).await?;
    let created = share::ActiveModel {
        id: Set(Uuid::new_v4()),
        tenant_id: Set(owner.0),
        object_kind: Set(object_kind.to_owned()),
        object_id: Set(object_id),
        collaboration_id: Set(collaboration_id),
        shared_by: Set(shared_by),
        include_attachments: Set(include_attachments),
        created_at: Set(Utc::now()),
    }
    .insert(conn)
    .await
    .on_unique("collaboration_id", "already shared with this collaboration")?;
    changes::share_started(conn, owner, object_kind, object_id, collaboration_id).await?;
    Ok(created.into())
}

/// Ends a share; `NotFound` if there was none.
pub async fn unshare_object<C: ConnectionTrait>(
    conn: &C,
    owner: TenantId,
    object_kind: &str,
    object_id: Uuid,
    collaboration_id: Uuid,
) -> DomainResult<()> {
    let deleted = scoped_delete::<share::Entity>(owner)
        .filter(share::Column::ObjectKind.eq(object_kind))
        .filter(share::Column::ObjectId.eq(object_id))
        .filter(share::Column::CollaborationId.eq(collaboration_id))
        .exec(conn)
        .await?;
    if deleted.rows_affected == 0 {
        return Err(DomainError::NotFound);
    }
    changes::share_ended(conn, owner, object_kind, object_id, collaboration_id).await
}

/// The owner's share of one object with one collaboration, if any.
pub async fn share_of<C: ConnectionTrait>(
    conn: &C,
    owner: TenantId,
    object_kind: &str,
    object_id: Uuid,
    collaboration_id: Uuid,
) -> DomainResult<Option<Share>> {
    Ok(scoped::<share::Entity>(owner)
        .filter(share::Column::ObjectKind.eq(object_kind))
        .filter(share::Column::ObjectId.eq(object_id))
        .filter(share::Column::CollaborationId.eq(collaboration_id))
        .one(conn)
        .await?
        .map(Share::from))
}

/// Sets whether the object's attachments go with the share; `NotFound` if
/// there is no such share.
pub async fn set_include_attachments<C: ConnectionTrait>(
    conn: &C,
    owner: TenantId,
    object_kind: &str,
    object_id: Uuid,
    collaboration_id: Uuid,
    include_attachments: bool,
) -> DomainResult<Share> {
    let updated = scoped_update::<share::Entity>(owner)
        .col_expr(
            share::Column::IncludeAttachments,
            sea_orm::sea_query::Expr::value(include_attachments),
        )
        .filter(share::Column::ObjectKind.eq(object_kind))
        .filter(share::Column::ObjectId.eq(object_id))
        .filter(share::Column::CollaborationId.eq(collaboration_id))
        .exec(conn)
        .await?;
    if updated.rows_affected == 0 {
        return Err(DomainError::NotFound);
    }
    share_of(conn, owner, object_kind, object_id, collaboration_id)
        .await?
        .ok_or(DomainError::NotFound)
}

/// Whether `reader` may see the attachments of `object_id` (of `owner`): it
/// is shared with them included, with a collaboration both are active
/// members of.
pub async fn attachments_visible_to<C: ConnectionTrait>(
    conn: &C,
    reader: TenantId,
    owner: TenantId,
    object_kind: &str,
    object_id: Uuid,
) -> DomainResult<bool> {
    let collaborations = active_collaborations(conn, reader).await?;
    if collaborations.is_empty() {
        return Ok(false);
    }
    let owner_active: HashSet<Uuid> = active_collaborations(conn, owner)
        .await?
        .into_iter()
        .collect();
    Ok(shares_with(collaborations)
        .filter(share::Column::ObjectKind.eq(object_kind))
        .filter(share::Column::ObjectId.eq(object_id))
        .filter(share::Column::TenantId.eq(owner.0))
        .filter(share::Column::IncludeAttachments.eq(true))
        .all(conn)
        .await?
        .iter()
        .any(|s| owner_active.contains(&s.collaboration_id)))
}

/// The owner's shares of one object.
pub async fn shares_of<C: ConnectionTrait>(
    conn: &C,
    owner: TenantId,
    object_kind: &str,
    object_id: Uuid,
) -> DomainResult<Vec<Share>> {
    Ok(scoped::<share::Entity>(owner)
        .filter(share::Column::ObjectKind.eq(object_kind))
        .filter(share::Column::ObjectId.eq(object_id))
        .order_by_asc(share::Column::CreatedAt)
        .all(conn)
        .await?
        .into_iter()
        .map(Share::from)
        .collect())
}

/// Objects of `object_kind` that other municipalities share with `reader`:
/// shared with a collaboration both the reader and the owner are active
/// members of. Each object once, with its owner.
pub async fn visible_to<C: ConnectionTrait>(
    conn: &C,
    reader: TenantId,
    object_kind: &str,
) -> DomainResult<Vec<(Uuid, Uuid)>> {
    let collaborations = active_collaborations(conn, reader).await?;
    if collaborations.is_empty() {
        return Ok(Vec::new());
    }
    let active_members: HashSet<(Uuid, Uuid)> = platform::<member::Entity>()
        .filter(member::Column::CollaborationId.is_in(collaborations.clone()))
        .filter(member::Column::Status.eq("active"))
        .all(conn)
        .await?
        .into_iter()
        .map(|m| (m.collaboration_id, m.tenant_id))
        .collect();
    let mut seen = HashSet::new();
    // Other municipalities' shares, read as shared with the reader: the
    // collaborations are the reader's own active ones.
    Ok(shares_with(collaborations)
        .filter(share::Column::ObjectKind.eq(object_kind))
        .filter(share::Column::TenantId.ne(reader.0))
        .all(conn)
        .await?
        .into_iter()
        .filter(|s| active_members.contains(&(s.collaboration_id, s.tenant_id)))
        .filter(|s| seen.insert(s.object_id))
        .map(|s| (s.object_id, s.tenant_id))
        .collect())
}

/// The owner of the object, if `reader` may see it through a share.
pub async fn shared_owner<C: ConnectionTrait>(
    conn: &C,
    reader: TenantId,
    object_kind: &str,
    object_id: Uuid,
) -> DomainResult<Option<TenantId>> {
    Ok(visible_to(conn, reader, object_kind)
        .await?
        .into_iter()
        .find(|(id, _)| *id == object_id)
        .map(|(_, owner)| TenantId(owner)))
}

/// Whether `reader` may see the object through a share.
pub async fn is_visible_to<C: ConnectionTrait>(
    conn: &C,
    reader: TenantId,
    object_kind: &str,
    object_id: Uuid,
) -> DomainResult<bool> {
    Ok(visible_to(conn, reader, object_kind)
        .await?
        .iter()
        .any(|(id, _)| *id == object_id))
}
