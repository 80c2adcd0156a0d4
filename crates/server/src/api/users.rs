//! `/users`: a municipality's users, for its admins.

use chrono::{DateTime, Utc};
use poem::web::Data;
use poem_openapi::param::{Header, Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Enum, Object, OpenApi};
use samudbud_domain::Role;
use samudbud_domain::paging::{Page, PageRequest};
use samudbud_domain::users::{self, NewUser, User, UserFilter, UserPatch};
use uuid::Uuid;

use super::ApiTags;
use super::text::Text;
use super::versioning::{IfMatch, etag, expected_version};
use crate::problem::ApiResult;
use crate::security::BearerAuth;
use crate::state::AppState;

pub struct UsersApi;

/// A user's role in their municipality.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[oai(rename_all = "lowercase", rename = "Role")]
pub enum RoleDto {
    /// Manages users and settings, and edits everything.
    Admin,
    /// Edits contracts, templates and plans.
    Editor,
    /// Reads.
    Viewer,
}

impl From<RoleDto> for Role {
    fn from(role: RoleDto) -> Self {
        match role {
            RoleDto::Admin => Role::Admin,
            RoleDto::Editor => Role::Editor,
            RoleDto::Viewer => Role::Viewer,
        }
    }
}

impl RoleDto {
    pub(super) fn from_stored(role: &str) -> Self {
        match role.parse::<Role>() {
            Ok(Role::Admin) => RoleDto::Admin,
            Ok(Role::Editor) => RoleDto::Editor,
            _ => RoleDto::Viewer,
        }
    }
}

/// A user of the municipality.
#[derive(Object)]
#[oai(rename = "User", skip_serializing_if_is_none)]
pub struct UserDto {
    id: Uuid,
    email: String,
    name: String,
    role: RoleDto,
    /// False once deactivated: the user cannot log in, but their history stays.
    active: bool,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    last_login_at: Option<DateTime<Utc>>,
    deactivated_at: Option<DateTime<Utc>>,
}

impl From<User> for UserDto {
    fn from(u: User) -> Self {
        Self {
            id: u.id,
            role: RoleDto::from_stored(&u.role),
            email: u.email,
            name: u.name,
            active: u.active,
            created_at: u.created_at,
            updated_at: u.updated_at,
            last_login_at: u.last_login_at,
            deactivated_at: u.deactivated_at,
        }
    }
}

/// A new user. The admin chooses the first password and hands it over.
#[derive(Object)]
#[oai(rename = "NewUser", deny_unknown_fields)]
struct NewUserDto {
    email: Text<1, 254>,
    name: Text<1, 200>,
    role: RoleDto,
    /// At least 12 characters.
    #[oai(write_only)]
    password: Text<12, 256>,
}

/// Changes to a user; absent fields stay as they are.
#[derive(Object)]
#[oai(rename = "UserPatch", deny_unknown_fields)]
struct UserPatchDto {
    name: Option<Text<1, 200>>,
    role: Option<RoleDto>,
    /// False deactivates (and ends the user's sessions); true reactivates.
    active: Option<bool>,
    /// A new password (at least 12 characters); ends the user's sessions.
    #[oai(write_only)]
    password: Option<Text<12, 256>>,
}

/// One page of users.
#[derive(Object)]
struct UserPage {
    items: Vec<UserDto>,
    /// All users matching the filters.
    total: u64,
    page: u64,
    page_size: u64,
}

impl From<Page<User>> for UserPage {
    fn from(page: Page<User>) -> Self {
        Self {
            items: page.items.into_iter().map(UserDto::from).collect(),
            total: page.total,
            page: page.page,
            page_size: page.page_size,
        }
    }
}

#[derive(ApiResponse)]
enum UserResponse {
    #[oai(status = 200)]
    Ok(Json<UserDto>, #[oai(header = "ETag")] String),
}

#[derive(ApiResponse)]
enum CreatedUserResponse {
    #[oai(status = 201)]
    Created(
        Json<UserDto>,
        #[oai(header = "ETag")] String,
        #[oai(header = "Location")] String,
    ),
}

#[derive(ApiResponse)]
enum DeactivatedResponse {
    /// Deactivated (also when the user already was).
    #[oai(status = 204)]
    Deactivated,
}

fn with_etag(user: User) -> UserResponse {
    let tag = etag(user.version);
    UserResponse::Ok(Json(user.into()), tag)
}

#[OpenApi(prefix_path = "/users", tag = "ApiTags::Users")]
impl UsersApi {
    /// List the municipality's users.
    #[allow(clippy::too_many_arguments)]
    #[oai(path = "/", method = "get", operation_id = "listUsers")]
    async fn list(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// Page number, from 1.
        page: Query<Option<u64>>,
        /// Items per page, 1–200 (default 50).
        page_size: Query<Option<u64>>,
        /// `name`, `email`, `role`, `created_at` or `last_login_at`; prefix `-` for descending.
        sort: Query<Option<String>>,
        /// Text to find in name or e-mail.
        q: Query<Option<String>>,
        role: Query<Option<RoleDto>>,
        active: Query<Option<bool>>,
    ) -> ApiResult<Json<UserPage>> {
        let paging = PageRequest::new(page.0, page_size.0)?;
        let filter = UserFilter {
            q: q.0,
            role: role.0.map(Role::from),
            active: active.0,
            sort: sort.0,
        };
        let found = users::list_users(&state.db, &auth.0, filter, paging).await?;
        Ok(Json(found.into()))
    }

    /// Create a user in the municipality.
    #[oai(path = "/", method = "post", operation_id = "createUser")]
    async fn create(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        body: Json<NewUserDto>,
    ) -> ApiResult<CreatedUserResponse> {
        let new = NewUser {
            email: body.0.email.into(),
            name: body.0.name.into(),
            role: body.0.role.into(),
            password: body.0.password.into(),
        };
        let created = users::create_user(&state.db, &auth.0, new).await?;
        let tag = etag(created.version);
        let location = format!("{}/users/{}", super::API_PREFIX, created.id);
        Ok(CreatedUserResponse::Created(
            Json(created.into()),
            tag,
            location,
        ))
    }

    /// Read one user.
    #[oai(path = "/:id", method = "get", operation_id = "getUser")]
    async fn get(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<UserResponse> {
        let found = users::get_user(&state.db, &auth.0, id.0).await?;
        Ok(with_etag(found))
    }

    /// Change a user's name, role, password or active state.
    ///
    /// Needs `If-Match` with the ETag of the last read. The municipality
    /// always keeps at least one active admin (409 otherwise).
    #[oai(path = "/:id", method = "patch", operation_id = "updateUser")]
    async fn update(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<Uuid>,
        #[oai(name = "If-Match")] if_match: Header<IfMatch>,
        body: Json<UserPatchDto>,
    ) -> ApiResult<UserResponse> {
        let version = if_match.0.version()?;
        let patch = UserPatch {
            name: body.0.name.map(String::from),
            role: body.0.role.map(Role::from),
            active: body.0.active,
            password: body.0.password.map(String::from),
        };
        let updated = users::update_user(&state.db, &auth.0, id.0, version, patch).await?;
        Ok(with_etag(updated))
    }

    /// Deactivate a user: they can no longer log in and their sessions end;
    /// their history is kept. `If-Match` is checked when sent.
    #[oai(path = "/:id", method = "delete", operation_id = "deactivateUser")]
    async fn deactivate(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<Uuid>,
        #[oai(name = "If-Match")] if_match: Header<Option<String>>,
    ) -> ApiResult<DeactivatedResponse> {
        let version = expected_version(if_match.0.as_deref())?;
        users::deactivate_user(&state.db, &auth.0, id.0, version).await?;
        Ok(DeactivatedResponse::Deactivated)
    }
}
