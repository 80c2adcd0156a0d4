//! One action on many of the municipality's own contracts at once: share or
//! stop sharing them, archive or restore them, set their category or
//! responsible unit. All or nothing, in one transaction: an id that is not
//! one of the municipality's contracts (or a contract the action cannot
//! apply to) refuses the whole request, naming each such id by its place in
//! the list (`contract_ids[3]`; the id itself is not echoed). Every contract that
//! changes gets its own audit record; field changes and archiving are
//! versioned writes, so the contracts' ETags move. A contract already in
//! the asked state is counted as unchanged, not refused.

use std::collections::{HashMap, HashSet};

use sea_orm::{ColumnTrait, ConnectionTrait, QueryFilter};
use uuid::Uuid;

use super::types::KIND;
use super::views::one_view;
use crate::audit::{self, Change};
use crate::db::{Db, Scope, scoped};
use crate::entities::contract;
use crate::error::{DomainError, DomainResult, FieldError};
use crate::policy::Action;
use crate::principal::{Principal, TenantId};
use crate::shares;
use crate::systems::tenant_for;
use crate::values::{optional_text, required_text};
use crate::versioned::{self, Changes, Trail};

/// The most contracts one request changes.
pub const MAX_CONTRACTS: usize = 1000;

/// What to do to every contract named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BulkAction {
    /// Share with a collaboration the municipality is an active member of;
    /// a share already there with another attachment choice gets this one.
    Share {
        collaboration_id: Uuid,
        include_attachments: bool,
    },
    /// Stop sharing with a collaboration.
    Unshare {
        collaboration_id: Uuid,
    },
    Archive,
    Restore,
    SetCategory {
        category: String,
    },
    /// `None` clears it.
    SetResponsibleUnit {
        responsible_unit: Option<String>,
    },
}

impl BulkAction {
    /// What the principal must be allowed to do.
    fn permission(&self) -> Action {
        match self {
            BulkAction::Share { .. } | BulkAction::Unshare { .. } => Action::ShareContracts,
            BulkAction::Archive
            | BulkAction::Restore
            | BulkAction::SetCategory { .. }
            | BulkAction::SetResponsibleUnit { .. } => Action::WriteContracts,
        }
    }

    /// Whether the action may touch an archived contract: restoring it,
    /// archiving it again (which leaves it as it is) and ending its shares;
    /// sharing and field changes wait until it is restored.
    fn applies_to_archived(&self) -> bool {
        matches!(
            self,
            BulkAction::Archive | BulkAction::Restore | BulkAction::Unshare { .. }
        )
    }

    /// The action with its texts cleaned, or the field errors.
    fn validated(self) -> Result<Self, FieldError> {
        Ok(match self {
            BulkAction::SetCategory { category } => BulkAction::SetCategory {
                category: required_text("action.category", &category, 100)?,
            },
            BulkAction::SetResponsibleUnit { responsible_unit } => BulkAction::SetResponsibleUnit {
                responsible_unit: optional_text(
                    "action.responsible_unit",
                    responsible_unit.as_deref(),
                    200,
                )?,
            },
            other => other,
        })
    }
}

/// How many of the named contracts changed, and how many already were as
/// asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct BulkOutcome {
    pub changed: u32,
    pub unchanged: u32,
}

/// The ids once each, in the order given, or why the list is refused.
fn distinct_ids(ids: &[Uuid]) -> DomainResult<Vec<Uuid>> {
    if ids.is_empty() {
        return Err(DomainError::invalid(
            "contract_ids",
            "required",
            "name at least one contract",
        ));
    }
    if ids.len() > MAX_CONTRACTS {
        return Err(DomainError::invalid(
            "contract_ids",
            "too_many",
            format!("at most {MAX_CONTRACTS} contracts at a time"),
        ));
    }
    let mut seen = HashSet::new();
    Ok(ids.iter().copied().filter(|id| seen.insert(*id)).collect())
}

/// Applies `action` to every contract in `contract_ids`, all or nothing.
pub async fn bulk_update(
    db: &Db,
    principal: &Principal,
    contract_ids: &[Uuid],
    action: BulkAction,
) -> DomainResult<BulkOutcome> {
    let tenant = tenant_for(principal, action.permission())?;
    let ids = distinct_ids(contract_ids)?;
    let action = action
        .validated()
        .map_err(|e| DomainError::Validation(vec![e]))?;
    let txn = db.write(Scope::Tenant(tenant)).await?;
    let mut found: HashMap<Uuid, contract::Model> = HashMap::new();
    for chunk in ids.chunks(500) {
        found.extend(
            scoped::<contract::Entity>(tenant)
                .filter(contract::Column::Id.is_in(chunk.to_vec()))
                .all(&txn)
                .await?
                .into_iter()
                .map(|m| (m.id, m)),
        );
    }
    let mut refused = Vec::new();
    for (index, id) in contract_ids.iter().enumerate() {
        match found.get(id) {
            None => refused.push(FieldError::new(
                format!("contract_ids[{index}]"),
                "not_found",
                "not one of the municipality's contracts",
            )),
            Some(m) if m.archived_at.is_some() && !action.applies_to_archived() => {
                refused.push(FieldError::new(
                    format!("contract_ids[{index}]"),
                    "archived",
                    "the contract is archived; restore it first",
                ));
            }
            Some(_) => {}
        }
    }
    if !refused.is_empty() {
        return Err(DomainError::Validation(refused));
    }
    if let BulkAction::Share {
        collaboration_id, ..
    }
    | BulkAction::Unshare { collaboration_id } = &action
    {
        shares::check_member(&txn, tenant, *collaboration_id).await?;
    }
    let mut outcome = BulkOutcome::default();
    for id in ids {
        let Some(model) = found.remove(&id) else {
            continue;
        };
        let changed = apply(&txn, principal, tenant, model, &action).await?;
        if changed {
            outcome.changed += 1;
        } else {
            outcome.unchanged += 1;
        }
    }
    txn.commit().await?;
    Ok(outcome)
}

/// Applies the action to one contract; whether it changed.
async fn apply<C: ConnectionTrait>(
    conn: &C,
    principal: &Principal,
    tenant: TenantId,
    model: contract::Model,
    action: &BulkAction,
) -> DomainResult<bool> {
    let trail = Trail {
        tenant: Some(tenant),
        kind: KIND,
    };
    match action {
        BulkAction::Share {
            collaboration_id,
            include_attachments,
        } => {
            share(
                conn,
                principal,
                tenant,
                model.id,
                *collaboration_id,
                *include_attachments,
            )
            .await
        }
        BulkAction::Unshare { collaboration_id } => {
            match shares::unshare_object(conn, tenant, KIND, model.id, *collaboration_id).await {
                Err(DomainError::NotFound) => Ok(false),
                Err(e) => Err(e),
                Ok(()) => {
                    record(
                        conn,
                        principal,
                        tenant,
                        "contract.unshared",
                        model.id,
                        Some(serde_json::json!({ "collaboration_id": collaboration_id })),
                        None,
                    )
                    .await?;
                    Ok(true)
                }
            }
        }
        BulkAction::Archive | BulkAction::Restore => {
            let archive = matches!(action, BulkAction::Archive);
            if model.archived_at.is_some() == archive {
                return Ok(false);
            }
            let version = model.version;
            let current =
                versioned::check(model, Some(version), |m| one_view(conn, tenant, m)).await?;
            versioned::set_archived(
                conn,
                principal,
                current,
                archive,
                Changes::tenant(tenant),
                trail,
            )
            .await?;
            Ok(true)
        }
        BulkAction::SetCategory { category } => {
            if model.category.as_deref() == Some(category.as_str()) {
                return Ok(false);
            }
            let changes =
                Changes::tenant(tenant).set(contract::Column::Category, Some(category.clone()));
            set_fields(conn, principal, tenant, model, changes, trail).await
        }
        BulkAction::SetResponsibleUnit { responsible_unit } => {
            if model.responsible_unit == *responsible_unit {
                return Ok(false);
            }
            let changes = Changes::tenant(tenant)
                .set(contract::Column::ResponsibleUnit, responsible_unit.clone());
            set_fields(conn, principal, tenant, model, changes, trail).await
        }
    }
}

async fn set_fields<C: ConnectionTrait>(
    conn: &C,
    principal: &Principal,
    tenant: TenantId,
    model: contract::Model,
    changes: Changes<contract::Entity>,
    trail: Trail<'_>,
) -> DomainResult<bool> {
    let version = model.version;
    let current = versioned::check(model, Some(version), |m| one_view(conn, tenant, m)).await?;
    versioned::update(conn, principal, current, changes, trail, "contract.updated").await?;
    Ok(true)
}

/// Shares one contract, or gives an existing share the asked attachment
/// choice; `false` when the share already was so.
async fn share<C: ConnectionTrait>(
    conn: &C,
    principal: &Principal,
    tenant: TenantId,
    id: Uuid,
    collaboration_id: Uuid,
    include_attachments: bool,
) -> DomainResult<bool> {
    let now = serde_json::json!({
        "collaboration_id": collaboration_id,
        "include_attachments": include_attachments,
    });
    match shares::share_of(conn, tenant, KIND, id, collaboration_id).await? {
        Some(existing) if existing.include_attachments == include_attachments => Ok(false),
        Some(existing) => {
            shares::set_include_attachments(
                conn,
                tenant,
                KIND,
                id,
                collaboration_id,
                include_attachments,
            )
            .await?;
            let before = serde_json::json!({
                "collaboration_id": collaboration_id,
                "include_attachments": existing.include_attachments,
            });
            record(
                conn,
                principal,
                tenant,
                "contract.share_changed",
                id,
                Some(before),
                Some(now),
            )
            .await?;
            Ok(true)
        }
        None => {
            shares::share_object_with(
                conn,
                tenant,
                KIND,
                id,
                collaboration_id,
                principal.actor_id(),
                include_attachments,
            )
            .await?;
            record(
                conn,
                principal,
                tenant,
                "contract.shared",
                id,
                None,
                Some(now),
            )
            .await?;
            Ok(true)
        }
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_named_once_and_bounded() {
        let a = Uuid::new_v4();
        let b = Uuid::new_v4();
        assert_eq!(distinct_ids(&[a, b, a]).ok(), Some(vec![a, b]));
        assert!(distinct_ids(&[]).is_err());
        let many: Vec<Uuid> = (0..=MAX_CONTRACTS).map(|_| Uuid::new_v4()).collect();
        assert!(distinct_ids(&many).is_err());
        assert!(distinct_ids(&many[..MAX_CONTRACTS]).is_ok());
    }

    #[test]
    fn texts_are_cleaned_and_a_category_is_required() {
        let set = BulkAction::SetCategory {
            category: "  Drift ".into(),
        };
        assert_eq!(
            set.validated().ok(),
            Some(BulkAction::SetCategory {
                category: "Drift".into()
            })
        );
        assert!(
            BulkAction::SetCategory {
                category: "  ".into()
            }
            .validated()
            .is_err()
        );
        assert_eq!(
            BulkAction::SetResponsibleUnit {
                responsible_unit: Some(" ".into())
            }
            .validated()
            .ok(),
            Some(BulkAction::SetResponsibleUnit {
                responsible_unit: None
            })
        );
    }

    #[test]
    fn sharing_needs_the_share_permission_and_fields_the_write_permission() {
        assert_eq!(
            BulkAction::Unshare {
                collaboration_id: Uuid::nil()
            }
            .permission(),
            Action::ShareContracts
        );
        assert_eq!(BulkAction::Archive.permission(), Action::WriteContracts);
    }
}
