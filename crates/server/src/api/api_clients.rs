//! `/api-clients`: integrators' credentials, managed by municipality admins.

use chrono::{DateTime, Utc};
use poem::web::Data;
use poem_openapi::param::{Header, Path};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Enum, Object, OpenApi};
use samudbud_domain::api_clients::{self, ApiClient, IssuedClient};
use samudbud_domain::principal::ClientScope;
use uuid::Uuid;

use super::ApiTags;
use super::text::Text;
use super::versioning::{IfMatch, etag};
use crate::problem::ApiResult;
use crate::security::BearerAuth;
use crate::state::AppState;

pub struct ApiClientsApi;

/// What an API client may do.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[oai(rename = "ClientScope")]
pub enum ClientScopeDto {
    #[oai(rename = "contracts:read")]
    ContractsRead,
    #[oai(rename = "contracts:write")]
    ContractsWrite,
    #[oai(rename = "plans:read")]
    PlansRead,
    #[oai(rename = "plans:write")]
    PlansWrite,
    #[oai(rename = "templates:read")]
    TemplatesRead,
    #[oai(rename = "templates:write")]
    TemplatesWrite,
    #[oai(rename = "collaborations:read")]
    CollaborationsRead,
}

impl From<ClientScopeDto> for ClientScope {
    fn from(scope: ClientScopeDto) -> Self {
        match scope {
            ClientScopeDto::ContractsRead => ClientScope::ContractsRead,
            ClientScopeDto::ContractsWrite => ClientScope::ContractsWrite,
            ClientScopeDto::PlansRead => ClientScope::PlansRead,
            ClientScopeDto::PlansWrite => ClientScope::PlansWrite,
            ClientScopeDto::TemplatesRead => ClientScope::TemplatesRead,
            ClientScopeDto::TemplatesWrite => ClientScope::TemplatesWrite,
            ClientScopeDto::CollaborationsRead => ClientScope::CollaborationsRead,
        }
    }
}

impl From<ClientScope> for ClientScopeDto {
    fn from(scope: ClientScope) -> Self {
        match scope {
            ClientScope::ContractsRead => ClientScopeDto::ContractsRead,
            ClientScope::ContractsWrite => ClientScopeDto::ContractsWrite,
            ClientScope::PlansRead => ClientScopeDto::PlansRead,
            ClientScope::PlansWrite => ClientScopeDto::PlansWrite,
            ClientScope::TemplatesRead => ClientScopeDto::TemplatesRead,
            ClientScope::TemplatesWrite => ClientScopeDto::TemplatesWrite,
            ClientScope::CollaborationsRead => ClientScopeDto::CollaborationsRead,
        }
    }
}

/// An integrator's API client. The secret is never shown again after
/// creation or rotation.
#[derive(Object)]
#[oai(rename = "ApiClient", skip_serializing_if_is_none)]
struct ApiClientDto {
    id: Uuid,
    name: String,
    /// Sent with the secret to `POST /auth/token`.
    client_id: String,
    scopes: Vec<ClientScopeDto>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    secret_rotated_at: Option<DateTime<Utc>>,
    last_used_at: Option<DateTime<Utc>>,
    /// Set once revoked; a revoked client gets no tokens and its tokens stop working.
    revoked_at: Option<DateTime<Utc>>,
    /// Requests per minute the client may make (in bursts of up to as many);
    /// beyond it the API answers 429 with `Retry-After`.
    rate_limit_per_minute: i32,
}

impl From<ApiClient> for ApiClientDto {
    fn from(c: ApiClient) -> Self {
        Self {
            id: c.id,
            name: c.name,
            client_id: c.client_id,
            scopes: c.scopes.into_iter().map(ClientScopeDto::from).collect(),
            created_at: c.created_at,
            updated_at: c.updated_at,
            secret_rotated_at: c.secret_rotated_at,
            last_used_at: c.last_used_at,
            revoked_at: c.revoked_at,
            rate_limit_per_minute: c.rate_limit_per_minute,
        }
    }
}

/// A client with its secret: shown this once.
#[derive(Object)]
struct IssuedApiClient {
    client: ApiClientDto,
    /// Store it now; Samudbud keeps only a hash.
    client_secret: String,
}

impl From<IssuedClient> for IssuedApiClient {
    fn from(issued: IssuedClient) -> Self {
        Self {
            client: issued.client.into(),
            client_secret: issued.client_secret,
        }
    }
}

#[derive(Object)]
struct ApiClientList {
    items: Vec<ApiClientDto>,
    total: u64,
}

#[derive(Object)]
#[oai(rename = "NewApiClient", deny_unknown_fields)]
struct NewApiClientDto {
    /// Who uses it, e.g. "Økonomisystem (ERP)".
    name: Text<1, 200>,
    scopes: Vec<ClientScopeDto>,
    /// Requests per minute, 1–6000; 600 when left out.
    rate_limit_per_minute: Option<i32>,
}

#[derive(Object)]
#[oai(rename = "ApiClientPatch", deny_unknown_fields)]
struct ApiClientPatchDto {
    name: Option<Text<1, 200>>,
    scopes: Option<Vec<ClientScopeDto>>,
    /// Requests per minute, 1–6000.
    rate_limit_per_minute: Option<i32>,
}

#[derive(ApiResponse)]
enum ApiClientResponse {
    #[oai(status = 200)]
    Ok(Json<ApiClientDto>, #[oai(header = "ETag")] String),
}

#[derive(ApiResponse)]
enum IssuedResponse {
    /// Created; the secret is in the body, this once.
    #[oai(status = 201)]
    Created(Json<IssuedApiClient>, #[oai(header = "Location")] String),
}

#[derive(ApiResponse)]
enum RotatedResponse {
    /// The new secret, this once; the old one no longer works.
    #[oai(status = 200)]
    Rotated(Json<IssuedApiClient>),
}

#[derive(ApiResponse)]
enum RevokedResponse {
    #[oai(status = 204)]
    Revoked,
}

fn scopes(list: Vec<ClientScopeDto>) -> Vec<ClientScope> {
    list.into_iter().map(ClientScope::from).collect()
}

fn ok(client: ApiClient) -> ApiClientResponse {
    let tag = etag(client.version);
    ApiClientResponse::Ok(Json(client.into()), tag)
}

#[OpenApi(prefix_path = "/api-clients", tag = "ApiTags::ApiClients")]
impl ApiClientsApi {
    /// The municipality's API clients, revoked ones included.
    #[oai(path = "/", method = "get", operation_id = "listApiClients")]
    async fn list(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
    ) -> ApiResult<Json<ApiClientList>> {
        let found = api_clients::list_api_clients(&state.db, &auth.0).await?;
        Ok(Json(ApiClientList {
            total: found.len() as u64,
            items: found.into_iter().map(ApiClientDto::from).collect(),
        }))
    }

    /// Create an API client; the answer holds its secret, shown once.
    #[oai(path = "/", method = "post", operation_id = "createApiClient")]
    async fn create(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        body: Json<NewApiClientDto>,
    ) -> ApiResult<IssuedResponse> {
        let body = body.0;
        let issued = api_clients::create_api_client(
            &state.db,
            &auth.0,
            &body.name,
            &scopes(body.scopes),
            body.rate_limit_per_minute,
        )
        .await?;
        let location = format!("{}/api-clients/{}", super::API_PREFIX, issued.client.id);
        Ok(IssuedResponse::Created(Json(issued.into()), location))
    }

    #[oai(path = "/:id", method = "get", operation_id = "getApiClient")]
    async fn get(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<ApiClientResponse> {
        Ok(ok(
            api_clients::get_api_client(&state.db, &auth.0, id.0).await?
        ))
    }

    /// Rename a client or change its scopes or rate limit (needs If-Match).
    #[oai(path = "/:id", method = "patch", operation_id = "updateApiClient")]
    async fn update(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<Uuid>,
        #[oai(name = "If-Match")] if_match: Header<IfMatch>,
        body: Json<ApiClientPatchDto>,
    ) -> ApiResult<ApiClientResponse> {
        let version = if_match.0.version()?;
        let body = body.0;
        let new_scopes = body.scopes.map(scopes);
        let updated = api_clients::update_api_client(
            &state.db,
            &auth.0,
            id.0,
            version,
            body.name.as_deref(),
            new_scopes.as_deref(),
            body.rate_limit_per_minute,
        )
        .await?;
        Ok(ok(updated))
    }

    /// Replace the client's secret; the answer holds the new one, shown once.
    #[oai(
        path = "/:id/rotate-secret",
        method = "post",
        operation_id = "rotateApiClientSecret"
    )]
    async fn rotate(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<RotatedResponse> {
        let issued = api_clients::rotate_secret(&state.db, &auth.0, id.0).await?;
        Ok(RotatedResponse::Rotated(Json(issued.into())))
    }

    /// Revoke the client for good: no new tokens, and its tokens stop working.
    #[oai(path = "/:id", method = "delete", operation_id = "revokeApiClient")]
    async fn revoke(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<RevokedResponse> {
        api_clients::revoke_api_client(&state.db, &auth.0, id.0).await?;
        Ok(RevokedResponse::Revoked)
    }
}
