//! The people of a municipality as owners of its contracts and IT systems:
//! the list any of its users may pick an owner from, the check that an
//! owner is one of its active users, the owner as contracts and systems
//! show it, and the `owner` filter of their lists.

use std::collections::HashMap;

use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr};
use sea_orm::{ColumnTrait, ConnectionTrait, QueryFilter, QueryOrder};
use serde::Serialize;
use uuid::Uuid;

use crate::db::{Db, Scope, escape_like, scoped};
use crate::entities::user;
use crate::error::{DomainResult, FieldError};
use crate::paging::{Page, PageRequest, fetch_page};
use crate::policy::Action;
use crate::principal::{Principal, TenantId};
use crate::systems::tenant_for;
use crate::values::search_phrase;

/// An active user of the municipality, as an owner is picked among them.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Person {
    pub user_id: Uuid,
    pub name: String,
    pub email: String,
    pub role: String,
}

/// The user who owns a contract or an IT system. A deactivated user stays
/// the owner until someone picks another.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct OwnerRef {
    pub user_id: Uuid,
    pub name: String,
    pub email: String,
}

/// Whose contracts or systems a list shows, by their owning user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OwnerFilter {
    User(Uuid),
    /// Those without an owning user.
    Nobody,
}

/// Reads a list's `owner` parameter: `me` (the caller, who must be a
/// person), `none` or a user's id choose by owning user; any other text is
/// part of the free-text owner's name and comes back as the second value.
pub fn owner_filter(
    principal: &Principal,
    text: Option<&str>,
) -> Result<(Option<OwnerFilter>, Option<String>), FieldError> {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok((None, None));
    };
    if text.eq_ignore_ascii_case("me") {
        return match principal {
            Principal::User { user_id, .. } => Ok((Some(OwnerFilter::User(*user_id)), None)),
            _ => Err(FieldError::new(
                "owner",
                "not_a_person",
                "»me« kan kun bruges af en person, ikke af en API-klient",
            )),
        };
    }
    if text.eq_ignore_ascii_case("none") {
        return Ok((Some(OwnerFilter::Nobody), None));
    }
    match Uuid::parse_str(text) {
        Ok(id) => Ok((Some(OwnerFilter::User(id)), None)),
        Err(_) => Ok((None, Some(text.to_owned()))),
    }
}

/// Refuses an owner who is not an active user of the municipality (another
/// municipality's users are unknown here), with a field error in Danish.
/// The owner already linked (`current`) may stay after deactivation.
pub async fn check_owner<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    owner: Option<Uuid>,
    current: Option<Uuid>,
) -> DomainResult<Result<(), FieldError>> {
    let Some(id) = owner else { return Ok(Ok(())) };
    let found = scoped::<user::Entity>(tenant)
        .filter(user::Column::Id.eq(id))
        .one(conn)
        .await?;
    Ok(match found {
        Some(u) if u.active || current == Some(id) => Ok(()),
        _ => Err(FieldError::new(
            "owner_user_id",
            "unknown_owner",
            "Ejeren skal være en aktiv bruger i kommunen",
        )),
    })
}

/// The owners among `ids`, by id.
pub async fn owners<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    ids: impl IntoIterator<Item = Uuid>,
) -> DomainResult<HashMap<Uuid, OwnerRef>> {
    let mut ids: Vec<Uuid> = ids.into_iter().collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(scoped::<user::Entity>(tenant)
        .filter(user::Column::Id.is_in(ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|u| {
            (
                u.id,
                OwnerRef {
                    user_id: u.id,
                    name: u.name,
                    email: u.email,
                },
            )
        })
        .collect())
}

/// The municipality's active users by name, `q` matching name or e-mail:
/// the people any of its users may pick an owner among.
pub async fn list_people(
    db: &Db,
    principal: &Principal,
    q: Option<&str>,
    page: PageRequest,
) -> DomainResult<Page<Person>> {
    let tenant = tenant_for(principal, Action::ListPeople)?;
    let mut query = scoped::<user::Entity>(tenant).filter(user::Column::Active.eq(true));
    if let Some(q) = search_phrase("q", q)? {
        let pattern = format!("%{}%", escape_like(&q));
        query = query.filter(
            Expr::expr(Func::lower(Expr::col(user::Column::Name)))
                .like(LikeExpr::new(pattern.clone()).escape('\\'))
                .or(Expr::expr(Func::lower(Expr::col(user::Column::Email)))
                    .like(LikeExpr::new(pattern).escape('\\'))),
        );
    }
    let query = query
        .order_by_asc(user::Column::Name)
        .order_by_asc(user::Column::Id);
    let txn = db.read(Scope::Tenant(tenant)).await?;
    let found: Page<user::Model> = fetch_page(&txn, query, page).await?;
    txn.commit().await?;
    Ok(Page {
        items: found
            .items
            .into_iter()
            .map(|u| Person {
                user_id: u.id,
                name: u.name,
                email: u.email,
                role: u.role,
            })
            .collect(),
        total: found.total,
        page: found.page,
        page_size: found.page_size,
        next_cursor: None,
    })
}
