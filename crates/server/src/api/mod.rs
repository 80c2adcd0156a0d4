//! The REST API under `/api/v1`: one `#[OpenApi]` struct per resource,
//! combined here, and the OpenAPI document built from them.

mod api_clients;
mod audit;
mod auth;
mod collaborations;
mod contracts;
mod download;
mod money;
mod register;
mod suppliers;
mod systems;
mod tenants;
mod users;
mod versioning;

use poem_openapi::{ContactObject, OpenApiService, Tags};

#[derive(Tags)]
pub enum ApiTags {
    /// Logging in, refreshing and ending sessions; the current principal.
    Auth,
    /// A municipality's users (municipality admins).
    Users,
    /// Municipalities (platform operators).
    Tenants,
    /// Collaborations of municipalities, members and invitations.
    Collaborations,
    /// Integrators' API clients (municipality admins).
    ApiClients,
    /// The municipality's audit trail (municipality admins).
    Audit,
    /// The contract register: contracts, suppliers, deadlines, value lists.
    Contracts,
    /// The municipality's IT systems.
    Systems,
}

pub type Api = (
    auth::AuthApi,
    users::UsersApi,
    tenants::TenantsApi,
    collaborations::CollaborationsApi,
    api_clients::ApiClientsApi,
    audit::AuditApi,
    contracts::ContractsApi,
    systems::SystemsApi,
    suppliers::SuppliersApi,
    register::RegisterApi,
);

pub const API_PREFIX: &str = "/api/v1";

pub fn service() -> OpenApiService<Api, ()> {
    OpenApiService::new(
        (
            auth::AuthApi,
            users::UsersApi,
            tenants::TenantsApi,
            collaborations::CollaborationsApi,
            api_clients::ApiClientsApi,
            audit::AuditApi,
            contracts::ContractsApi,
            systems::SystemsApi,
            suppliers::SuppliersApi,
            register::RegisterApi,
        ),
        "Samudbud API",
        env!("CARGO_PKG_VERSION"),
    )
    .description(
        "IT contract registers, shared standard contracts and joint tender plans for \
         Danish municipalities. Every error is `application/problem+json` (RFC 9457). \
         Lists take `page` (from 1) and `page_size` (at most 200) and answer `items` \
         and `total`. Reads of versioned objects carry an `ETag`; writes to them need \
         `If-Match`.",
    )
    .contact(ContactObject::new().name("Samudbud"))
    .server(API_PREFIX)
}

/// The OpenAPI document as pretty JSON with a trailing newline: what
/// `samudbud openapi` prints and `openapi/openapi.json` holds.
pub fn spec_json() -> String {
    let mut spec = service().spec();
    spec.push('\n');
    spec
}
