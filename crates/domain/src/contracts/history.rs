//! A contract's history: its changes as the audit trail recorded them.

use uuid::Uuid;

use super::types::KIND;
use crate::audit::{self, AuditEntry};
use crate::db::{Db, Scope, scoped_get};
use crate::entities::contract;
use crate::error::DomainResult;
use crate::policy::Action;
use crate::principal::Principal;
use crate::systems::tenant_for;

/// The contract's changes, newest first. The owner's users only.
pub async fn history(db: &Db, principal: &Principal, id: Uuid) -> DomainResult<Vec<AuditEntry>> {
    let tenant = tenant_for(principal, Action::ReadContracts)?;
    let txn = db.read(Scope::Tenant(tenant)).await?;
    scoped_get::<contract::Entity, _>(&txn, tenant, id).await?;
    let entries = audit::entries_of(&txn, tenant, KIND, id).await?;
    txn.commit().await?;
    Ok(entries)
}
