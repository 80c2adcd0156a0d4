//! Objects that belong either to one municipality or to a collaboration
//! (templates, tender plans): who owns them, and what the acting
//! municipality's memberships let it do with them. A municipality's objects
//! are read and written by it alone; a collaboration's are read by its
//! active members and written by its coordinators (by their editors and
//! admins, as the policy module decides per action). On PostgreSQL the
//! policies of `rls::collaboration_owned_policies` hold the same line.

use sea_orm::{ColumnTrait, ConnectionTrait, QueryFilter};
use uuid::Uuid;

use crate::db::platform;
use crate::entities::collaboration_member as member;
use crate::error::DomainResult;
use crate::principal::TenantId;

/// The owner of a template or tender plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    Tenant(TenantId),
    Collaboration(Uuid),
}

impl Owner {
    /// The owner of a row with these two columns.
    pub fn of(tenant_id: Uuid, collaboration_id: Option<Uuid>) -> Self {
        match collaboration_id {
            Some(collaboration) => Owner::Collaboration(collaboration),
            None => Owner::Tenant(TenantId(tenant_id)),
        }
    }

    /// The collaboration column's value for a row of this owner.
    pub fn collaboration_id(self) -> Option<Uuid> {
        match self {
            Owner::Collaboration(id) => Some(id),
            Owner::Tenant(_) => None,
        }
    }
}

/// A municipality's memberships as they bear on collaboration-owned objects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Standing {
    pub tenant: TenantId,
    /// Collaborations it is an active member of (coordinated ones included).
    pub member_of: Vec<Uuid>,
    /// Collaborations it is an active coordinator of.
    pub coordinates: Vec<Uuid>,
}

impl Standing {
    /// Reads `tenant`'s active memberships.
    pub async fn of<C: ConnectionTrait>(conn: &C, tenant: TenantId) -> DomainResult<Self> {
        let memberships = platform::<member::Entity>()
            .filter(member::Column::TenantId.eq(tenant.0))
            .filter(member::Column::Status.eq("active"))
            .all(conn)
            .await?;
        Ok(Self::from_memberships(
            tenant,
            memberships
                .into_iter()
                .map(|m| (m.collaboration_id, m.role == "coordinator")),
        ))
    }

    /// A standing from `(collaboration, is coordinator)` pairs of active
    /// memberships.
    pub fn from_memberships(
        tenant: TenantId,
        memberships: impl IntoIterator<Item = (Uuid, bool)>,
    ) -> Self {
        let mut standing = Self {
            tenant,
            member_of: Vec::new(),
            coordinates: Vec::new(),
        };
        for (collaboration, coordinator) in memberships {
            standing.member_of.push(collaboration);
            if coordinator {
                standing.coordinates.push(collaboration);
            }
        }
        standing
    }

    pub fn can_read(&self, owner: Owner) -> bool {
        match owner {
            Owner::Tenant(tenant) => tenant == self.tenant,
            Owner::Collaboration(id) => self.member_of.contains(&id),
        }
    }

    pub fn can_write(&self, owner: Owner) -> bool {
        match owner {
            Owner::Tenant(tenant) => tenant == self.tenant,
            Owner::Collaboration(id) => self.coordinates.contains(&id),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_read_and_only_coordinators_write_a_collaborations_objects() {
        let me = TenantId(Uuid::new_v4());
        let other = TenantId(Uuid::new_v4());
        let (led, joined, foreign) = (Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4());
        let standing = Standing::from_memberships(me, [(led, true), (joined, false)]);

        assert!(standing.can_read(Owner::Tenant(me)) && standing.can_write(Owner::Tenant(me)));
        assert!(!standing.can_read(Owner::Tenant(other)));
        assert!(!standing.can_write(Owner::Tenant(other)));
        assert!(standing.can_read(Owner::Collaboration(led)));
        assert!(standing.can_write(Owner::Collaboration(led)));
        assert!(standing.can_read(Owner::Collaboration(joined)));
        assert!(!standing.can_write(Owner::Collaboration(joined)));
        assert!(!standing.can_read(Owner::Collaboration(foreign)));
        assert!(!standing.can_write(Owner::Collaboration(foreign)));
    }

    #[test]
    fn the_owner_follows_the_collaboration_column() {
        let tenant = Uuid::new_v4();
        let collaboration = Uuid::new_v4();
        assert_eq!(Owner::of(tenant, None), Owner::Tenant(TenantId(tenant)));
        assert_eq!(
            Owner::of(tenant, Some(collaboration)),
            Owner::Collaboration(collaboration)
        );
        assert_eq!(
            Owner::of(tenant, Some(collaboration)).collaboration_id(),
            Some(collaboration)
        );
    }
}
