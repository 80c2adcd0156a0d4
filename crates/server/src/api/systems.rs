//! `/systems`: the municipality's IT-system catalogue.

use chrono::{DateTime, Utc};
use poem::web::Data;
use poem_openapi::param::{Header, Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::types::Example;
use poem_openapi::{ApiResponse, Object, OpenApi};
use samudbud_domain::contracts::{self, ContractFilter};
use samudbud_domain::error::DomainError;
use samudbud_domain::exports::lists;
use samudbud_domain::exports::sheet::Cell;
use samudbud_domain::paging::{ChangeRead, PageRequest};
use samudbud_domain::people::OwnerFilter;
use samudbud_domain::principal::Principal;
use samudbud_domain::systems::{self, ItSystem, SystemFilter, SystemInput};
use uuid::Uuid;

use super::ApiTags;
use super::export::{self, Export, SheetFormatDto};
use super::people::{OwnerUserDto, owner_parameter};
use super::suppliers::SupplierDto;
use super::text::{Code, Text};
use super::versioning::{IfMatch, etag};
use crate::problem::ApiResult;
use crate::security::BearerAuth;
use crate::state::AppState;

pub struct SystemsApi;

/// An IT system in the municipality's system landscape.
#[derive(Object)]
#[oai(rename = "ItSystem", skip_serializing_if_is_none)]
struct ItSystemDto {
    id: Uuid,
    name: String,
    category: Option<String>,
    supplier: Option<SupplierDto>,
    system_owner: Option<String>,
    /// The user of the municipality who owns the system (left out: none).
    owner_user: Option<OwnerUserDto>,
    /// `planned`, `in_use` or `retired`.
    status: String,
    description: Option<String>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    archived_at: Option<DateTime<Utc>>,
    /// The system usage's uuid in the municipality's OS2Kitos, when the
    /// system was imported from there.
    kitos_uuid: Option<Uuid>,
}

impl From<ItSystem> for ItSystemDto {
    fn from(s: ItSystem) -> Self {
        Self {
            id: s.id,
            name: s.name,
            category: s.category,
            supplier: s.supplier.map(SupplierDto::from),
            system_owner: s.system_owner,
            owner_user: s.owner_user.map(OwnerUserDto::from),
            status: s.status,
            description: s.description,
            created_at: s.created_at,
            updated_at: s.updated_at,
            archived_at: s.archived_at,
            kitos_uuid: s.kitos_uuid,
        }
    }
}

/// An IT system as written, on create and replace.
#[derive(Object)]
#[oai(rename = "ItSystemInput", deny_unknown_fields, example)]
struct ItSystemInputDto {
    name: Text<1, 200>,
    category: Option<Text<0, 100>>,
    supplier_id: Option<Uuid>,
    system_owner: Option<Text<0, 200>>,
    /// The system's owner: an active user of the municipality (`GET
    /// /people`); left out for none.
    owner_user_id: Option<Uuid>,
    /// `planned`, `in_use` (default) or `retired`.
    status: Option<Code>,
    description: Option<Text<0, 4000>>,
}

impl Example for ItSystemInputDto {
    fn example() -> Self {
        Self {
            name: "Omsorgssystem".into(),
            category: Some("Omsorg".into()),
            supplier_id: Some(Uuid::nil()),
            system_owner: Some("Leder af Sundhed og Omsorg".into()),
            owner_user_id: None,
            status: Some("in_use".into()),
            description: Some(
                "Dokumentation og planlægning i hjemmeplejen og på plejecentrene.".into(),
            ),
        }
    }
}

impl From<ItSystemInputDto> for SystemInput {
    fn from(d: ItSystemInputDto) -> Self {
        Self {
            name: d.name.into(),
            category: d.category.map(String::from),
            supplier_id: d.supplier_id,
            system_owner: d.system_owner.map(String::from),
            owner_user_id: d.owner_user_id,
            status: d.status.map(String::from),
            description: d.description.map(String::from),
        }
    }
}

#[derive(Object)]
#[oai(skip_serializing_if_is_none)]
struct ItSystemPage {
    items: Vec<ItSystemDto>,
    total: u64,
    page: u64,
    page_size: u64,
    /// When the list is read in order of last change (`changed_since` or
    /// `cursor`): pass as `cursor` for the page after this one; the same
    /// position comes back when this page was empty.
    next_cursor: Option<String>,
}

/// A contract covering a system, in brief.
#[derive(Object)]
#[oai(skip_serializing_if_is_none)]
struct CoveringContract {
    id: Uuid,
    title: String,
    status: String,
    supplier: String,
    effective_end: Option<chrono::NaiveDate>,
}

#[derive(Object)]
struct CoveringContracts {
    items: Vec<CoveringContract>,
}

#[derive(ApiResponse)]
enum SystemResponse {
    #[oai(status = 200)]
    Ok(Json<ItSystemDto>, #[oai(header = "ETag")] String),
}

#[derive(ApiResponse)]
enum CreatedSystem {
    #[oai(status = 201)]
    Created(
        Json<ItSystemDto>,
        #[oai(header = "ETag")] String,
        #[oai(header = "Location")] String,
    ),
}

/// A list's `owner`: `me`, `none` or a user's id (systems have no
/// free-text owner to search).
fn system_owner_filter(
    principal: &Principal,
    owner: Option<String>,
) -> samudbud_domain::error::DomainResult<Option<OwnerFilter>> {
    match owner_parameter(principal, owner)? {
        (_, Some(_)) => Err(DomainError::invalid(
            "owner",
            "invalid",
            "»me«, »none« eller en brugers id",
        )),
        (found, None) => Ok(found),
    }
}

fn ok(system: ItSystem) -> SystemResponse {
    let tag = etag(system.version);
    SystemResponse::Ok(Json(system.into()), tag)
}

#[OpenApi(prefix_path = "/systems", tag = "ApiTags::Systems")]
impl SystemsApi {
    /// The municipality's IT systems.
    // Each query parameter is an argument in poem-openapi.
    #[allow(clippy::too_many_arguments)]
    #[oai(path = "/", method = "get", operation_id = "listSystems")]
    async fn list(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        page: Query<Option<u64>>,
        page_size: Query<Option<u64>>,
        /// Part of the name, in any case.
        q: Query<Option<String>>,
        /// `planned`, `in_use` or `retired`.
        status: Query<Option<String>>,
        category: Query<Option<String>>,
        supplier_id: Query<Option<Uuid>>,
        /// `me` (the caller's own systems), `none` (without an owning user)
        /// or a user's id.
        owner: Query<Option<String>>,
        include_archived: Query<Option<bool>>,
        /// `name` (default), `category`, `status` or `updated_at`; `-` first for descending.
        sort: Query<Option<String>>,
        /// Only systems changed at or after this time, sorted by last change (for synchronisation).
        changed_since: Query<Option<DateTime<Utc>>>,
        /// The `next_cursor` of the page before: read on in order of last
        /// change (and id), `page_size` at a time, `page` ignored. Send the
        /// same filters as for the first page.
        cursor: Query<Option<String>>,
    ) -> ApiResult<Json<ItSystemPage>> {
        let paging = PageRequest::new(page.0, page_size.0)?;
        let by_change =
            ChangeRead::from_params(changed_since.0, cursor.0.as_deref(), sort.0.as_deref())?;
        let filter = SystemFilter {
            q: q.0,
            status: status.0,
            category: category.0,
            supplier_id: supplier_id.0,
            owner_user: system_owner_filter(&auth.0, owner.0)?,
            include_archived: include_archived.0.unwrap_or(false),
            sort: sort.0,
            by_change,
        };
        let found = systems::list_systems(&state.db, &auth.0, &filter, paging).await?;
        Ok(Json(ItSystemPage {
            items: found.items.into_iter().map(ItSystemDto::from).collect(),
            total: found.total,
            page: found.page,
            page_size: found.page_size,
            next_cursor: found.next_cursor.map(|c| c.encode()),
        }))
    }

    /// Export every IT system a list with these filters finds, in its
    /// order (no pages): `xlsx` or `csv`. Streamed as it is written.
    #[allow(clippy::too_many_arguments)]
    #[oai(path = "/export", method = "get", operation_id = "exportSystems")]
    async fn export(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        format: Query<SheetFormatDto>,
        /// As for the list.
        q: Query<Option<String>>,
        status: Query<Option<String>>,
        category: Query<Option<String>>,
        supplier_id: Query<Option<Uuid>>,
        owner: Query<Option<String>>,
        include_archived: Query<Option<bool>>,
        sort: Query<Option<String>>,
    ) -> ApiResult<Export> {
        let filter = SystemFilter {
            q: q.0,
            status: status.0,
            category: category.0,
            supplier_id: supplier_id.0,
            owner_user: system_owner_filter(&auth.0, owner.0)?,
            include_archived: include_archived.0.unwrap_or(false),
            sort: sort.0,
            by_change: None,
        };
        // The first page is read now, so that a bad filter is refused
        // before the download starts.
        let size = samudbud_domain::paging::MAX_PAGE_SIZE;
        let first = systems::list_systems(
            &state.db,
            &auth.0,
            &filter,
            PageRequest::new(Some(1), Some(size))?,
        )
        .await?;
        let (db, principal) = (state.db.clone(), auth.0.clone());
        Ok(export::sheet(
            format.0.into(),
            "IT-systemer",
            lists::SYSTEM_COLUMNS.to_vec(),
            "it-systemer",
            move |tx| async move {
                let rows = |items: &[ItSystem]| -> Vec<Vec<Cell>> {
                    items.iter().map(lists::system_row).collect()
                };
                let mut more = first.total > size;
                if !export::forward(&tx, Ok::<_, String>(Some(rows(&first.items)))).await {
                    return;
                }
                let mut page = 1;
                while more {
                    page += 1;
                    let read = match PageRequest::new(Some(page), Some(size)) {
                        Ok(paging) => systems::list_systems(&db, &principal, &filter, paging)
                            .await
                            .map(|found| {
                                more = page * size < found.total;
                                Some(rows(&found.items))
                            }),
                        Err(e) => Err(e),
                    };
                    if !export::forward(&tx, read).await {
                        return;
                    }
                }
            },
        ))
    }

    #[oai(path = "/", method = "post", operation_id = "createSystem")]
    async fn create(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        body: Json<ItSystemInputDto>,
    ) -> ApiResult<CreatedSystem> {
        let created = systems::create_system(&state.db, &auth.0, body.0.into()).await?;
        let tag = etag(created.version);
        let location = format!("{}/systems/{}", super::API_PREFIX, created.id);
        Ok(CreatedSystem::Created(Json(created.into()), tag, location))
    }

    #[oai(path = "/:id", method = "get", operation_id = "getSystem")]
    async fn get(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<SystemResponse> {
        Ok(ok(systems::get_system(&state.db, &auth.0, id.0).await?))
    }

    /// Replace a system's fields (needs `If-Match`).
    #[oai(path = "/:id", method = "put", operation_id = "updateSystem")]
    async fn update(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<Uuid>,
        #[oai(name = "If-Match")] if_match: Header<IfMatch>,
        body: Json<ItSystemInputDto>,
    ) -> ApiResult<SystemResponse> {
        let version = if_match.0.version()?;
        Ok(ok(systems::update_system(
            &state.db,
            &auth.0,
            id.0,
            version,
            body.0.into(),
        )
        .await?))
    }

    /// Archive a system (needs `If-Match`); it can be restored.
    #[oai(path = "/:id", method = "delete", operation_id = "archiveSystem")]
    async fn archive(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<Uuid>,
        #[oai(name = "If-Match")] if_match: Header<IfMatch>,
    ) -> ApiResult<SystemResponse> {
        let version = if_match.0.version()?;
        Ok(ok(systems::set_archived(
            &state.db, &auth.0, id.0, version, true,
        )
        .await?))
    }

    /// Restore an archived system (needs `If-Match`).
    #[oai(path = "/:id/restore", method = "post", operation_id = "restoreSystem")]
    async fn restore(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<Uuid>,
        #[oai(name = "If-Match")] if_match: Header<IfMatch>,
    ) -> ApiResult<SystemResponse> {
        let version = if_match.0.version()?;
        Ok(ok(systems::set_archived(
            &state.db, &auth.0, id.0, version, false,
        )
        .await?))
    }

    /// The municipality's contracts that cover the system.
    #[oai(
        path = "/:id/contracts",
        method = "get",
        operation_id = "listSystemContracts"
    )]
    async fn contracts(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<Json<CoveringContracts>> {
        systems::get_system(&state.db, &auth.0, id.0).await?;
        let filter = ContractFilter {
            system_id: Some(id.0),
            include_archived: false,
            ..Default::default()
        };
        let found = contracts::list_contracts(
            &state.db,
            &auth.0,
            filter,
            PageRequest::new(Some(1), Some(200))?,
        )
        .await?;
        Ok(Json(CoveringContracts {
            items: found
                .items
                .into_iter()
                .map(|c| CoveringContract {
                    id: c.id,
                    title: c.title,
                    status: c.status,
                    supplier: c.supplier.name,
                    effective_end: c.effective_end,
                })
                .collect(),
        }))
    }
}
