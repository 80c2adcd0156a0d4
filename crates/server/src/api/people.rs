//! `/people`: the municipality's active users, for any of its users to pick
//! the owner of a contract or an IT system among; and the owner as contracts
//! and systems show it.

use poem::web::Data;
use poem_openapi::param::Query;
use poem_openapi::payload::Json;
use poem_openapi::types::Example;
use poem_openapi::{Object, OpenApi};
use samudbud_domain::error::{DomainError, DomainResult};
use samudbud_domain::paging::PageRequest;
use samudbud_domain::people::{self, OwnerFilter, OwnerRef, Person};
use samudbud_domain::principal::Principal;
use uuid::Uuid;

use super::ApiTags;
use super::users::RoleDto;
use crate::problem::ApiResult;
use crate::security::BearerAuth;
use crate::state::AppState;

pub struct PeopleApi;

/// The user of the municipality who owns a contract or an IT system. A
/// deactivated user stays the owner until another is chosen.
#[derive(Object, serde::Serialize)]
#[oai(rename = "OwnerUser", example)]
pub(super) struct OwnerUserDto {
    user_id: Uuid,
    name: String,
    email: String,
}

impl Example for OwnerUserDto {
    fn example() -> Self {
        Self {
            user_id: Uuid::nil(),
            name: "Rasmus Redaktør".into(),
            email: "redaktoer@soroe.dk".into(),
        }
    }
}

impl From<OwnerRef> for OwnerUserDto {
    fn from(o: OwnerRef) -> Self {
        Self {
            user_id: o.user_id,
            name: o.name,
            email: o.email,
        }
    }
}

/// An active user of the municipality.
#[derive(Object)]
#[oai(rename = "Person", example)]
struct PersonDto {
    user_id: Uuid,
    name: String,
    email: String,
    role: RoleDto,
}

impl Example for PersonDto {
    fn example() -> Self {
        Self {
            user_id: Uuid::nil(),
            name: "Rasmus Redaktør".into(),
            email: "redaktoer@soroe.dk".into(),
            role: RoleDto::Editor,
        }
    }
}

impl From<Person> for PersonDto {
    fn from(p: Person) -> Self {
        Self {
            user_id: p.user_id,
            role: RoleDto::from_stored(&p.role),
            name: p.name,
            email: p.email,
        }
    }
}

#[derive(Object)]
#[oai(rename = "PersonPage")]
struct PersonPage {
    items: Vec<PersonDto>,
    total: u64,
    page: u64,
    page_size: u64,
}

/// Reads a list's `owner` parameter (`me`, `none`, a user's id, or part of
/// the free-text owner's name) into the owning user and the name text.
pub(super) fn owner_parameter(
    principal: &Principal,
    owner: Option<String>,
) -> DomainResult<(Option<OwnerFilter>, Option<String>)> {
    people::owner_filter(principal, owner.as_deref()).map_err(DomainError::from)
}

#[OpenApi(prefix_path = "/people", tag = "ApiTags::Users")]
impl PeopleApi {
    /// The municipality's active users by name, to pick the owner of a
    /// contract or an IT system among: open to every user of the
    /// municipality (and to API clients that read the register).
    #[oai(path = "/", method = "get", operation_id = "listPeople")]
    async fn list(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// Page number, from 1.
        page: Query<Option<u64>>,
        /// Items per page, 1–200 (default 50).
        page_size: Query<Option<u64>>,
        /// Text to find in name or e-mail.
        q: Query<Option<String>>,
    ) -> ApiResult<Json<PersonPage>> {
        let paging = PageRequest::new(page.0, page_size.0)?;
        let found = people::list_people(&state.db, &auth.0, q.0.as_deref(), paging).await?;
        Ok(Json(PersonPage {
            items: found.items.into_iter().map(PersonDto::from).collect(),
            total: found.total,
            page: found.page,
            page_size: found.page_size,
        }))
    }
}
