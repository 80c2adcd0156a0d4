//! Sharing contracts, read-only, with the collaborations the owner is in,
//! with or without their attachments (the owner chooses per share).

use uuid::Uuid;

use super::types::KIND;
use super::writes::own_contract;
use crate::audit::{self, Change};
use crate::db::{Db, Scope, scoped_get};
use crate::entities::contract;
use crate::error::{DomainError, DomainResult};
use crate::policy::Action;
use crate::principal::Principal;
use crate::shares::{self, Share};
use crate::systems::tenant_for;
use crate::webhooks::{self, EventType};

/// The collaborations the owner has shared the contract with.
pub async fn list_shares(db: &Db, principal: &Principal, id: Uuid) -> DomainResult<Vec<Share>> {
    let tenant = tenant_for(principal, Action::ReadContracts)?;
    let txn = db.read(Scope::Tenant(tenant)).await?;
    scoped_get::<contract::Entity, _>(&txn, tenant, id).await?;
    let found = shares::shares_of(&txn, tenant, KIND, id).await?;
    txn.commit().await?;
    Ok(found)
}

pub async fn share(
    db: &Db,
    principal: &Principal,
    id: Uuid,
    collaboration_id: Uuid,
    include_attachments: bool,
) -> DomainResult<Share> {
    let tenant = tenant_for(principal, Action::ShareContracts)?;
    let txn = db.write(Scope::Tenant(tenant)).await?;
    let current = own_contract(&txn, tenant, id).await?;
    if current.archived_at.is_some() {
        return Err(DomainError::conflict(
            "the contract is archived; restore it first",
        ));
    }
    let created = shares::share_object_with(
        &txn,
        tenant,
        KIND,
        id,
        collaboration_id,
        principal.actor_id(),
        include_attachments,
    )
    .await?;
    audit::record(
        &txn,
        principal,
        Some(tenant),
        Change {
            action: "contract.shared",
            object_kind: KIND,
            object_id: id,
            before: None,
            after: Some(serde_json::json!({
                "collaboration_id": collaboration_id,
                "include_attachments": include_attachments,
            })),
        },
    )
    .await?;
    webhooks::enqueue(
        &txn,
        tenant,
        EventType::ContractShared,
        id,
        serde_json::json!({
            "id": id,
            "title": current.title,
            "collaboration_id": collaboration_id,
            "include_attachments": include_attachments,
        }),
    )
    .await?;
    txn.commit().await?;
    Ok(created)
}

/// Changes whether the contract's attachments go with its share with
/// `collaboration_id`. Setting what is already set changes nothing and
/// records nothing.
pub async fn set_share_attachments(
    db: &Db,
    principal: &Principal,
    id: Uuid,
    collaboration_id: Uuid,
    include_attachments: bool,
) -> DomainResult<Share> {
    let tenant = tenant_for(principal, Action::ShareContracts)?;
    let txn = db.write(Scope::Tenant(tenant)).await?;
    own_contract(&txn, tenant, id).await?;
    let current = shares::share_of(&txn, tenant, KIND, id, collaboration_id)
        .await?
        .ok_or(DomainError::NotFound)?;
    if current.include_attachments == include_attachments {
        txn.commit().await?;
        return Ok(current);
    }
    let changed = shares::set_include_attachments(
        &txn,
        tenant,
        KIND,
        id,
        collaboration_id,
        include_attachments,
    )
    .await?;
    audit::record(
        &txn,
        principal,
        Some(tenant),
        Change {
            action: "contract.share_changed",
            object_kind: KIND,
            object_id: id,
            before: Some(serde_json::json!({
                "collaboration_id": collaboration_id,
                "include_attachments": current.include_attachments,
            })),
            after: Some(serde_json::json!({
                "collaboration_id": collaboration_id,
                "include_attachments": include_attachments,
            })),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(changed)
}

pub async fn unshare(
    db: &Db,
    principal: &Principal,
    id: Uuid,
    collaboration_id: Uuid,
) -> DomainResult<()> {
    let tenant = tenant_for(principal, Action::ShareContracts)?;
    let txn = db.write(Scope::Tenant(tenant)).await?;
    own_contract(&txn, tenant, id).await?;
    shares::unshare_object(&txn, tenant, KIND, id, collaboration_id).await?;
    audit::record(
        &txn,
        principal,
        Some(tenant),
        Change {
            action: "contract.unshared",
            object_kind: KIND,
            object_id: id,
            before: Some(serde_json::json!({ "collaboration_id": collaboration_id })),
            after: None,
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
