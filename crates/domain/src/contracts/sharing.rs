//! Sharing contracts, read-only, with the collaborations the owner is in.

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
) -> DomainResult<Share> {
    let tenant = tenant_for(principal, Action::WriteContracts)?;
    let txn = db.write(Scope::Tenant(tenant)).await?;
    let current = own_contract(&txn, tenant, id).await?;
    if current.archived_at.is_some() {
        return Err(DomainError::conflict(
            "the contract is archived; restore it first",
        ));
    }
    let created = shares::share_object(
        &txn,
        tenant,
        KIND,
        id,
        collaboration_id,
        principal.actor_id(),
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
            after: Some(serde_json::json!({ "collaboration_id": collaboration_id })),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(created)
}

pub async fn unshare(
    db: &Db,
    principal: &Principal,
    id: Uuid,
    collaboration_id: Uuid,
) -> DomainResult<()> {
    let tenant = tenant_for(principal, Action::WriteContracts)?;
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
