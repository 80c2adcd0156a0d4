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
    /// The machine itself, through the command line: operator rights.
    Console,
}

impl Principal {
    /// The id written to the audit trail as the actor, if the actor is a user.
    pub fn actor_id(&self) -> Option<Uuid> {
        match self {
            Principal::User { user_id, .. } | Principal::Operator { user_id, .. } => Some(*user_id),
            Principal::Console => None,
        }
    }

    /// A readable label for the audit trail.
    pub fn actor_label(&self) -> String {
        match self {
            Principal::User { email, .. } | Principal::Operator { email, .. } => email.clone(),
            Principal::Console => "console".to_owned(),
        }
    }

    pub fn tenant_id(&self) -> Option<TenantId> {
        match self {
            Principal::User { tenant_id, .. } => Some(*tenant_id),
            _ => None,
        }
    }
}
