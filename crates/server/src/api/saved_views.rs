//! `/me/views`: the logged-in user's saved views of the contract and
//! IT-system lists — named address queries (filters, sort, columns and
//! density) to open the list at again.

use chrono::{DateTime, Utc};
use poem::web::Data;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::types::Example;
use poem_openapi::{ApiResponse, Enum, Object, OpenApi};
use samudbud_domain::saved_views::{self, SavedView, ViewInput, ViewPage};
use uuid::Uuid;

use super::ApiTags;
use super::text::Text;
use crate::problem::ApiResult;
use crate::security::BearerAuth;
use crate::state::AppState;

pub struct SavedViewsApi;

/// The list a saved view belongs to.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug)]
#[oai(rename = "SavedViewPage", rename_all = "lowercase")]
pub enum ViewPageDto {
    /// Kontrakter.
    Contracts,
    /// It-systemer.
    Systems,
}

impl From<ViewPageDto> for ViewPage {
    fn from(page: ViewPageDto) -> Self {
        match page {
            ViewPageDto::Contracts => ViewPage::Contracts,
            ViewPageDto::Systems => ViewPage::Systems,
        }
    }
}

impl From<ViewPage> for ViewPageDto {
    fn from(page: ViewPage) -> Self {
        match page {
            ViewPage::Contracts => ViewPageDto::Contracts,
            ViewPage::Systems => ViewPageDto::Systems,
        }
    }
}

/// A saved view of a list (`page`: `contracts` or `systems`): its name, unique
/// among the user's views of that list, and the list's address query.
#[derive(Object)]
#[oai(rename = "SavedView", example)]
struct SavedViewDto {
    id: Uuid,
    page: ViewPageDto,
    name: String,
    /// The list's address query without `?`: filters, `sort`, `cols` (the
    /// columns shown, in order, comma-separated) and `density` (`compact`).
    query: String,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl Example for SavedViewDto {
    fn example() -> Self {
        let at = DateTime::parse_from_rfc3339("2026-12-04T09:30:00Z")
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default();
        Self {
            id: Uuid::nil(),
            page: ViewPageDto::Contracts,
            name: "Opsigelser i år".into(),
            query: "status=active&sort=notice_deadline&cols=title,supplier,notice_deadline,annual_value&density=compact".into(),
            created_at: at,
            updated_at: at,
        }
    }
}

impl From<SavedView> for SavedViewDto {
    fn from(v: SavedView) -> Self {
        Self {
            id: v.id,
            page: v.page.into(),
            name: v.name,
            query: v.query,
            created_at: v.created_at,
            updated_at: v.updated_at,
        }
    }
}

super::whole_list!(SavedViewList, SavedViewDto);

/// A new saved view of a list (`page`: `contracts` or `systems`).
#[derive(Object)]
#[oai(rename = "SavedViewCreate", deny_unknown_fields, example)]
struct SavedViewCreate {
    page: ViewPageDto,
    /// Unique among the user's views of the list; at most 100 characters.
    name: Text<1, 200>,
    /// The list's address query (a leading `?` is dropped): `key=value`
    /// pairs joined by `&`, values URL-encoded; at most 2000 characters.
    query: Text<0, 4000>,
}

impl Example for SavedViewCreate {
    fn example() -> Self {
        Self {
            page: ViewPageDto::Contracts,
            name: Text("Opsigelser i år".into()),
            query: Text("status=active&sort=notice_deadline&density=compact".into()),
        }
    }
}

/// A saved view renamed or overwritten: its new name and address query.
#[derive(Object)]
#[oai(rename = "SavedViewUpdate", deny_unknown_fields, example)]
struct SavedViewUpdate {
    name: Text<1, 200>,
    query: Text<0, 4000>,
}

impl Example for SavedViewUpdate {
    fn example() -> Self {
        Self {
            name: Text("Opsigelser i år".into()),
            query: Text("status=active&sort=notice_deadline".into()),
        }
    }
}

#[derive(ApiResponse)]
enum CreatedResponse {
    /// Saved.
    #[oai(status = 201)]
    Created(Json<SavedViewDto>, #[oai(header = "Location")] String),
}

#[derive(ApiResponse)]
enum DeletedResponse {
    #[oai(status = 204)]
    Deleted,
}

#[OpenApi(prefix_path = "/me/views", tag = "ApiTags::Views")]
impl SavedViewsApi {
    /// The logged-in user's saved views of a list, by name.
    #[oai(path = "/", method = "get", operation_id = "listSavedViews")]
    async fn list(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// The list: `contracts` or `systems`.
        page: Query<ViewPageDto>,
    ) -> ApiResult<Json<SavedViewList>> {
        let views = saved_views::list_views(&state.db, &auth.0, page.0.into()).await?;
        Ok(Json(SavedViewList::of(
            views.into_iter().map(Into::into).collect(),
        )))
    }

    /// Save the list's current view under a name (409 when the user already
    /// has a view of that list by that name).
    #[oai(path = "/", method = "post", operation_id = "createSavedView")]
    async fn create(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        body: Json<SavedViewCreate>,
    ) -> ApiResult<CreatedResponse> {
        let body = body.0;
        let view = saved_views::create_view(
            &state.db,
            &auth.0,
            body.page.into(),
            ViewInput {
                name: body.name.into_inner(),
                query: body.query.into_inner(),
            },
        )
        .await?;
        let location = format!("{}/me/views/{}", super::API_PREFIX, view.id);
        Ok(CreatedResponse::Created(Json(view.into()), location))
    }

    /// Rename or overwrite one of the user's own views (404 for anyone
    /// else's; 409 when the new name is taken).
    #[oai(path = "/:id", method = "put", operation_id = "updateSavedView")]
    async fn update(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<Uuid>,
        body: Json<SavedViewUpdate>,
    ) -> ApiResult<Json<SavedViewDto>> {
        let body = body.0;
        let view = saved_views::update_view(
            &state.db,
            &auth.0,
            id.0,
            ViewInput {
                name: body.name.into_inner(),
                query: body.query.into_inner(),
            },
        )
        .await?;
        Ok(Json(view.into()))
    }

    /// Delete one of the user's own views (404 for anyone else's).
    #[oai(path = "/:id", method = "delete", operation_id = "deleteSavedView")]
    async fn delete(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<DeletedResponse> {
        saved_views::delete_view(&state.db, &auth.0, id.0).await?;
        Ok(DeletedResponse::Deleted)
    }
}
