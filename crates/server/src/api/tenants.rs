//! `/tenants`: municipalities, for platform operators.

use chrono::{DateTime, Utc};
use poem::web::Data;
use poem_openapi::param::Query;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Object, OpenApi};
use samudbud_domain::paging::{Page, PageRequest};
use samudbud_domain::tenants::{self, NewTenant, Tenant};
use uuid::Uuid;

use super::ApiTags;
use super::text::{Code, Text};
use crate::problem::ApiResult;
use crate::security::BearerAuth;
use crate::state::AppState;

pub struct TenantsApi;

/// A municipality.
#[derive(Object)]
#[oai(rename = "Tenant", skip_serializing_if_is_none)]
pub struct TenantDto {
    id: Uuid,
    name: String,
    /// Three digits, e.g. `340` for Sorø.
    municipality_code: String,
    /// The municipality's CVR number (eight digits).
    cvr: Option<String>,
    created_at: DateTime<Utc>,
}

impl From<Tenant> for TenantDto {
    fn from(t: Tenant) -> Self {
        Self {
            id: t.id,
            name: t.name,
            municipality_code: t.municipality_code,
            cvr: t.cvr,
            created_at: t.created_at,
        }
    }
}

/// A new municipality.
#[derive(Object)]
#[oai(rename = "NewTenant", deny_unknown_fields)]
struct NewTenantDto {
    name: Text<1, 200>,
    /// Three digits, 101–860.
    municipality_code: Code,
    /// Eight digits passing the modulus-11 check.
    cvr: Option<Code>,
}

/// One page of municipalities.
#[derive(Object)]
struct TenantPage {
    items: Vec<TenantDto>,
    total: u64,
    page: u64,
    page_size: u64,
}

impl From<Page<Tenant>> for TenantPage {
    fn from(page: Page<Tenant>) -> Self {
        Self {
            items: page.items.into_iter().map(TenantDto::from).collect(),
            total: page.total,
            page: page.page,
            page_size: page.page_size,
        }
    }
}

#[derive(ApiResponse)]
enum CreatedTenantResponse {
    #[oai(status = 201)]
    Created(Json<TenantDto>),
}

#[OpenApi(prefix_path = "/tenants", tag = "ApiTags::Tenants")]
impl TenantsApi {
    /// List municipalities (operators only).
    #[oai(path = "/", method = "get", operation_id = "listTenants")]
    async fn list(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// Page number, from 1.
        page: Query<Option<u64>>,
        /// Items per page, 1–200 (default 50).
        page_size: Query<Option<u64>>,
    ) -> ApiResult<Json<TenantPage>> {
        let paging = PageRequest::new(page.0, page_size.0)?;
        let found = tenants::list_tenants(&state.db, &auth.0, paging).await?;
        Ok(Json(found.into()))
    }

    /// Create a municipality (operators only). Its first admin is created
    /// with `samudbud user create`.
    #[oai(path = "/", method = "post", operation_id = "createTenant")]
    async fn create(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        body: Json<NewTenantDto>,
    ) -> ApiResult<CreatedTenantResponse> {
        let new = NewTenant {
            name: body.0.name.into(),
            municipality_code: body.0.municipality_code.into(),
            cvr: body.0.cvr.map(String::from),
        };
        let created = tenants::create_tenant(&state.db, &auth.0, new).await?;
        Ok(CreatedTenantResponse::Created(Json(created.into())))
    }
}
