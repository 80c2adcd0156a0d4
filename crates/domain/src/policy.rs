//! Who may do what. Every use case asks here first; nothing else decides
//! access. The answer is the scope the action runs in.

use crate::db::Scope;
use crate::error::{DomainError, DomainResult};
use crate::principal::{Principal, Role};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// List, create, change and deactivate the municipality's users.
    ManageUsers,
    /// List and create municipalities.
    ManageTenants,
}

pub fn authorize(principal: &Principal, action: Action) -> DomainResult<Scope> {
    match (action, principal) {
        (
            Action::ManageUsers,
            Principal::User {
                tenant_id, role, ..
            },
        ) => {
            if *role == Role::Admin {
                Ok(Scope::Tenant(*tenant_id))
            } else {
                Err(DomainError::Forbidden(
                    "only the municipality's admins manage its users",
                ))
            }
        }
        (Action::ManageUsers, _) => Err(DomainError::Forbidden(
            "users are managed by an admin of their municipality",
        )),
        (Action::ManageTenants, Principal::Operator { .. } | Principal::Console) => {
            Ok(Scope::System)
        }
        (Action::ManageTenants, Principal::User { .. }) => Err(DomainError::Forbidden(
            "only platform operators manage municipalities",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::principal::TenantId;
    use uuid::Uuid;

    fn user(role: Role) -> Principal {
        Principal::User {
            user_id: Uuid::new_v4(),
            tenant_id: TenantId(Uuid::new_v4()),
            role,
            email: "x@example.dk".into(),
        }
    }

    #[test]
    fn only_admins_manage_users_and_only_in_their_tenant() {
        let admin = user(Role::Admin);
        assert_eq!(
            authorize(&admin, Action::ManageUsers).ok(),
            admin.tenant_id().map(Scope::Tenant)
        );
        for role in [Role::Editor, Role::Viewer] {
            assert!(matches!(
                authorize(&user(role), Action::ManageUsers),
                Err(DomainError::Forbidden(_))
            ));
        }
        let operator = Principal::Operator {
            user_id: Uuid::new_v4(),
            email: "op@example.dk".into(),
        };
        assert!(authorize(&operator, Action::ManageUsers).is_err());
    }

    #[test]
    fn only_operators_manage_tenants() {
        assert!(authorize(&user(Role::Admin), Action::ManageTenants).is_err());
        assert_eq!(
            authorize(&Principal::Console, Action::ManageTenants).ok(),
            Some(Scope::System)
        );
    }
}
