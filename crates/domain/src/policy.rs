//! Who may do what. Every use case asks here first; nothing else decides
//! access. The answer is the scope the action runs in.
//!
//! Roles govern people: admins manage users, memberships, API clients and
//! read the audit trail; editors write the municipality's data; viewers read
//! it. API clients have no role: each action names the scope it needs, and
//! actions without one (user and client administration, the audit trail)
//! are never open to clients.

use crate::db::Scope;
use crate::error::{DomainError, DomainResult};
use crate::principal::{ClientScope, Principal, Role};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// List, create, change and deactivate the municipality's users.
    ManageUsers,
    /// List and create municipalities.
    ManageTenants,
    /// See the collaborations the municipality takes part in, and their members.
    ReadCollaborations,
    /// Find the platform's municipalities by name or code (to invite one).
    FindMunicipalities,
    /// Create collaborations, invite, accept, decline, leave, remove members.
    ManageMemberships,
    /// Create, rotate and revoke the municipality's API clients.
    ManageApiClients,
    /// Register the municipality's webhook endpoints, rotate their secrets,
    /// read their delivery log and redeliver.
    ManageWebhooks,
    /// Connect the municipality's OS2Kitos, preview and run imports from it.
    ManageKitos,
    /// Read the municipality's audit trail.
    ReadAudit,
    /// Download everything of the municipality in one archive.
    ExportMunicipality,
    /// Read the contract register, IT systems and suppliers.
    ReadContracts,
    /// List the municipality's active users to pick an owner of a contract
    /// or an IT system among.
    ListPeople,
    /// Register and change contracts, IT systems and suppliers.
    WriteContracts,
    /// Share the municipality's contracts with its collaborations, stop
    /// sharing them, and choose whether their attachments go with them
    /// (editors: the people who keep the register).
    ShareContracts,
    /// Read the municipality's templates, its collaborations' and those shared with it.
    ReadTemplates,
    /// Write, publish, share and adopt templates (a collaboration's: its
    /// coordinators only, which `ownership::Standing` decides).
    WriteTemplates,
    /// Read the tender plans of the municipality and of its collaborations.
    ReadPlans,
    /// Write tender plans and the municipality's own participation in them.
    WritePlans,
    /// Correct the platform's reference data (EU thresholds, time limits, CPV).
    ManageReferenceData,
    /// Keep one's own private calendar feed of the municipality's agenda
    /// (people only: the feed acts as its user).
    UseCalendarFeed,
    /// Read and change one's own reminder digest and preview it (people
    /// only: a digest goes to a person's address).
    ManageOwnReminders,
    /// Keep one's own saved views of the contract and IT-system lists
    /// (people only: a view is a person's way of reading the register).
    ManageOwnViews,
}

impl Action {
    /// The role a person needs, and the scope an API client needs (`None`:
    /// clients may not).
    fn requirement(self) -> Option<(Role, Option<ClientScope>)> {
        match self {
            Action::ManageTenants | Action::ManageReferenceData => None,
            Action::ManageUsers
            | Action::ManageMemberships
            | Action::ManageApiClients
            | Action::ManageWebhooks
            | Action::ManageKitos
            | Action::ReadAudit
            | Action::ExportMunicipality => Some((Role::Admin, None)),
            Action::UseCalendarFeed => Some((Role::Viewer, None)),
            Action::ReadCollaborations | Action::FindMunicipalities => {
                Some((Role::Viewer, Some(ClientScope::CollaborationsRead)))
            }
            Action::ReadContracts => Some((Role::Viewer, Some(ClientScope::ContractsRead))),
            Action::ListPeople => Some((Role::Viewer, Some(ClientScope::ContractsRead))),
            Action::WriteContracts | Action::ShareContracts => {
                Some((Role::Editor, Some(ClientScope::ContractsWrite)))
            }
            Action::ReadTemplates => Some((Role::Viewer, Some(ClientScope::TemplatesRead))),
            Action::WriteTemplates => Some((Role::Editor, Some(ClientScope::TemplatesWrite))),
            Action::ReadPlans => Some((Role::Viewer, Some(ClientScope::PlansRead))),
            Action::WritePlans => Some((Role::Editor, Some(ClientScope::PlansWrite))),
            Action::ManageOwnReminders | Action::ManageOwnViews => Some((Role::Viewer, None)),
        }
    }
}

fn role_allows(actual: Role, needed: Role) -> bool {
    match needed {
        Role::Viewer => true,
        Role::Editor => matches!(actual, Role::Editor | Role::Admin),
        Role::Admin => actual == Role::Admin,
    }
}

pub fn authorize(principal: &Principal, action: Action) -> DomainResult<Scope> {
    if matches!(action, Action::ManageTenants | Action::ManageReferenceData) {
        return match principal {
            Principal::Operator { .. } | Principal::Console => Ok(Scope::System),
            _ => Err(DomainError::Forbidden(if action == Action::ManageTenants {
                "only platform operators manage municipalities"
            } else {
                "only platform operators correct reference data"
            })),
        };
    }
    // Which municipalities use the platform is no secret to anyone signed in.
    if action == Action::FindMunicipalities
        && matches!(principal, Principal::Operator { .. } | Principal::Console)
    {
        return Ok(Scope::System);
    }
    let Some((role_needed, scope_needed)) = action.requirement() else {
        return Err(DomainError::Forbidden("not allowed"));
    };
    match principal {
        Principal::User {
            tenant_id, role, ..
        } => {
            if role_allows(*role, role_needed) {
                Ok(Scope::Tenant(*tenant_id))
            } else {
                Err(DomainError::Forbidden(match role_needed {
                    Role::Admin => "only the municipality's admins may do this",
                    _ => "your role does not allow this",
                }))
            }
        }
        Principal::Client {
            tenant_id, scopes, ..
        } => match scope_needed {
            Some(needed) if scopes.contains(&needed) => Ok(Scope::Tenant(*tenant_id)),
            Some(_) => Err(DomainError::Forbidden(
                "the API client lacks the scope this needs",
            )),
            None => Err(DomainError::Forbidden("API clients cannot do this")),
        },
        Principal::Operator { .. } | Principal::Console => Err(DomainError::Forbidden(
            "this belongs to a municipality's own users",
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

    fn client(scopes: Vec<ClientScope>) -> Principal {
        Principal::Client {
            client_id: Uuid::new_v4(),
            tenant_id: TenantId(Uuid::new_v4()),
            name: "ERP".into(),
            scopes,
        }
    }

    fn operator() -> Principal {
        Principal::Operator {
            user_id: Uuid::new_v4(),
            email: "op@example.dk".into(),
        }
    }

    #[test]
    fn templates_and_plans_are_read_by_everyone_and_written_by_editors_with_their_scopes() {
        for (read, write, read_scope, write_scope) in [
            (
                Action::ReadTemplates,
                Action::WriteTemplates,
                ClientScope::TemplatesRead,
                ClientScope::TemplatesWrite,
            ),
            (
                Action::ReadPlans,
                Action::WritePlans,
                ClientScope::PlansRead,
                ClientScope::PlansWrite,
            ),
        ] {
            for role in [Role::Viewer, Role::Editor, Role::Admin] {
                assert!(authorize(&user(role), read).is_ok());
            }
            assert!(authorize(&user(Role::Viewer), write).is_err());
            assert!(authorize(&user(Role::Editor), write).is_ok());
            assert!(authorize(&client(vec![read_scope]), read).is_ok());
            assert!(authorize(&client(vec![read_scope]), write).is_err());
            assert!(authorize(&client(vec![write_scope]), write).is_ok());
            assert!(authorize(&client(vec![ClientScope::ContractsWrite]), read).is_err());
            assert!(authorize(&operator(), read).is_err());
        }
    }

    #[test]
    fn admin_actions_need_an_admin_and_run_in_their_tenant() {
        for action in [
            Action::ManageUsers,
            Action::ManageMemberships,
            Action::ManageApiClients,
            Action::ManageWebhooks,
            Action::ReadAudit,
            Action::ExportMunicipality,
        ] {
            let admin = user(Role::Admin);
            assert_eq!(
                authorize(&admin, action).ok(),
                admin.tenant_id().map(Scope::Tenant)
            );
            for denied in [
                user(Role::Editor),
                user(Role::Viewer),
                operator(),
                client(ClientScope::ALL.to_vec()),
            ] {
                assert!(
                    matches!(authorize(&denied, action), Err(DomainError::Forbidden(_))),
                    "{action:?} for {denied:?}"
                );
            }
        }
    }

    #[test]
    fn every_person_manages_their_own_reminders_and_views_and_no_client_does() {
        for action in [Action::ManageOwnReminders, Action::ManageOwnViews] {
            for role in Role::ALL {
                let person = user(role);
                assert_eq!(
                    authorize(&person, action).ok(),
                    person.tenant_id().map(Scope::Tenant)
                );
            }
            assert!(authorize(&client(ClientScope::ALL.to_vec()), action).is_err());
            assert!(authorize(&operator(), action).is_err());
        }
    }

    #[test]
    fn reading_collaborations_needs_a_user_or_the_scope() {
        for role in Role::ALL {
            assert!(authorize(&user(role), Action::ReadCollaborations).is_ok());
        }
        assert!(
            authorize(
                &client(vec![ClientScope::CollaborationsRead]),
                Action::ReadCollaborations
            )
            .is_ok()
        );
        assert!(
            authorize(
                &client(vec![ClientScope::ContractsRead]),
                Action::ReadCollaborations
            )
            .is_err()
        );
        assert!(authorize(&operator(), Action::ReadCollaborations).is_err());
    }

    #[test]
    fn everyone_signed_in_finds_municipalities() {
        for role in Role::ALL {
            assert!(authorize(&user(role), Action::FindMunicipalities).is_ok());
        }
        assert!(
            authorize(
                &client(vec![ClientScope::CollaborationsRead]),
                Action::FindMunicipalities
            )
            .is_ok()
        );
        assert!(
            authorize(
                &client(vec![ClientScope::ContractsRead]),
                Action::FindMunicipalities
            )
            .is_err()
        );
        assert_eq!(
            authorize(&operator(), Action::FindMunicipalities).ok(),
            Some(Scope::System)
        );
    }

    #[test]
    fn contracts_are_read_by_everyone_and_written_by_editors() {
        for role in Role::ALL {
            assert!(authorize(&user(role), Action::ReadContracts).is_ok());
        }
        assert!(authorize(&user(Role::Admin), Action::WriteContracts).is_ok());
        assert!(authorize(&user(Role::Editor), Action::WriteContracts).is_ok());
        assert!(authorize(&user(Role::Viewer), Action::WriteContracts).is_err());
        assert!(
            authorize(
                &client(vec![ClientScope::ContractsRead]),
                Action::ReadContracts
            )
            .is_ok()
        );
        assert!(
            authorize(
                &client(vec![ClientScope::ContractsRead]),
                Action::WriteContracts
            )
            .is_err()
        );
        assert!(
            authorize(
                &client(vec![ClientScope::ContractsWrite]),
                Action::WriteContracts
            )
            .is_ok()
        );
        assert!(authorize(&operator(), Action::ReadContracts).is_err());
    }

    #[test]
    fn editors_and_admins_share_contracts_and_viewers_do_not() {
        assert!(authorize(&user(Role::Admin), Action::ShareContracts).is_ok());
        assert!(authorize(&user(Role::Editor), Action::ShareContracts).is_ok());
        assert!(matches!(
            authorize(&user(Role::Viewer), Action::ShareContracts),
            Err(DomainError::Forbidden(_))
        ));
        assert!(
            authorize(
                &client(vec![ClientScope::ContractsWrite]),
                Action::ShareContracts
            )
            .is_ok()
        );
        assert!(
            authorize(
                &client(vec![ClientScope::ContractsRead]),
                Action::ShareContracts
            )
            .is_err()
        );
        assert!(authorize(&operator(), Action::ShareContracts).is_err());
    }

    #[test]
    fn every_user_keeps_a_calendar_feed_and_clients_do_not() {
        for role in Role::ALL {
            assert!(authorize(&user(role), Action::UseCalendarFeed).is_ok());
        }
        assert!(authorize(&client(ClientScope::ALL.to_vec()), Action::UseCalendarFeed).is_err());
        assert!(authorize(&operator(), Action::UseCalendarFeed).is_err());
    }

    #[test]
    fn only_operators_manage_tenants() {
        assert!(authorize(&user(Role::Admin), Action::ManageTenants).is_err());
        assert!(authorize(&client(ClientScope::ALL.to_vec()), Action::ManageTenants).is_err());
        assert_eq!(
            authorize(&operator(), Action::ManageTenants).ok(),
            Some(Scope::System)
        );
        assert_eq!(
            authorize(&Principal::Console, Action::ManageTenants).ok(),
            Some(Scope::System)
        );
    }
}
