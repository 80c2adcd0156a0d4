//! Who is acting. Every domain function that touches tenant data takes the
//! principal first; it is built only by `auth::authenticate` (or by the CLI
//! for operator work on the machine itself).

use std::fmt;
use std::str::FromStr;

use uuid::Uuid;

/// A municipality's id. A newtype so that a user id can never be passed where
/// a tenant is meant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TenantId(pub Uuid);

impl fmt::Display for TenantId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A user's role in their municipality.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// Users, settings, shares, memberships — and everything an editor does.
    Admin,
    /// Writes contracts, templates and plans.
    Editor,
    /// Reads.
    Viewer,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Admin, Role::Editor, Role::Viewer];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Editor => "editor",
            Role::Viewer => "viewer",
        }
    }
}

impl FromStr for Role {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, ()> {
        match s {
            "admin" => Ok(Role::Admin),
            "editor" => Ok(Role::Editor),
            "viewer" => Ok(Role::Viewer),
            _ => Err(()),
        }
    }
}

/// What an API client may do. Granted by a municipality admin per client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ClientScope {
    ContractsRead,
    ContractsWrite,
    PlansRead,
    PlansWrite,
    TemplatesRead,
    TemplatesWrite,
    CollaborationsRead,
}

impl ClientScope {
    pub const ALL: [ClientScope; 7] = [
        ClientScope::ContractsRead,
        ClientScope::ContractsWrite,
        ClientScope::PlansRead,
        ClientScope::PlansWrite,
        ClientScope::TemplatesRead,
        ClientScope::TemplatesWrite,
        ClientScope::CollaborationsRead,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ClientScope::ContractsRead => "contracts:read",
            ClientScope::ContractsWrite => "contracts:write",
            ClientScope::PlansRead => "plans:read",
            ClientScope::PlansWrite => "plans:write",
            ClientScope::TemplatesRead => "templates:read",
            ClientScope::TemplatesWrite => "templates:write",
            ClientScope::CollaborationsRead => "collaborations:read",
        }
    }

    /// Scopes from their space-separated stored form; unknown words are
    /// skipped (a scope withdrawn from the product grants nothing).
    pub fn parse_list(stored: &str) -> Vec<ClientScope> {
        let mut scopes: Vec<ClientScope> = stored
            .split_whitespace()
            .filter_map(|word| word.parse().ok())
            .collect();
        scopes.sort();
        scopes.dedup();
        scopes
    }

    pub fn join(scopes: &[ClientScope]) -> String {
        scopes
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

impl FromStr for ClientScope {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, ()> {
        ClientScope::ALL
            .into_iter()
            .find(|scope| scope.as_str() == s)
            .ok_or(())
    }
}

/// The role claim of an API client's access token.
pub const CLIENT_ROLE: &str = "client";

/// The stored role of a platform operator (a user without a municipality).
pub const OPERATOR_ROLE: &str = "operator";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    /// A person in a municipality.
    User {
        user_id: Uuid,
        tenant_id: TenantId,
        role: Role,
        email: String,
    },
    /// A platform operator: creates municipalities, sees no municipality's data.
    Operator { user_id: Uuid, email: String },
    /// An integrator's API client, acting for one municipality within its scopes.
    Client {
        client_id: Uuid,
        tenant_id: TenantId,
        name: String,
        scopes: Vec<ClientScope>,
    },
    /// The machine itself, through the command line: operator rights.
    Console,
}

impl Principal {
    /// The id written to the audit trail as the actor, if the actor is a user.
    pub fn actor_id(&self) -> Option<Uuid> {
        match self {
            Principal::User { user_id, .. } | Principal::Operator { user_id, .. } => Some(*user_id),
            Principal::Client { client_id, .. } => Some(*client_id),
            Principal::Console => None,
        }
    }

    /// A readable label for the audit trail.
    pub fn actor_label(&self) -> String {
        match self {
            Principal::User { email, .. } | Principal::Operator { email, .. } => email.clone(),
            Principal::Client { name, .. } => format!("API-klient: {name}"),
            Principal::Console => "console".to_owned(),
        }
    }

    pub fn tenant_id(&self) -> Option<TenantId> {
        match self {
            Principal::User { tenant_id, .. } | Principal::Client { tenant_id, .. } => {
                Some(*tenant_id)
            }
            _ => None,
        }
    }
}
