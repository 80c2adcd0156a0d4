//! The REST API under `/api/v1`: one `#[OpenApi]` struct per resource,
//! combined here, and the OpenAPI document built from them.

/// A list response that is never paged: every item, with `total` as every
/// list carries it (the number of items here).
macro_rules! whole_list {
    ($name:ident, $item:ty) => {
        #[derive(poem_openapi::Object)]
        struct $name {
            items: Vec<$item>,
            /// The number of items; this list is never paged.
            total: u64,
        }

        impl $name {
            fn of(items: Vec<$item>) -> Self {
                Self {
                    total: items.len() as u64,
                    items,
                }
            }
        }
    };
}
pub(crate) use whole_list;

/// A list response that is whole, unless read in order of last change
/// (`changed_since` or `cursor`): then one page of it, and where the next
/// page starts.
macro_rules! change_list {
    ($(#[$meta:meta])* $name:ident, $item:ty) => {
        $(#[$meta])*
        #[derive(poem_openapi::Object)]
        #[oai(skip_serializing_if_is_none)]
        struct $name {
            items: Vec<$item>,
            /// The number of items; read in order of last change, of every
            /// one changed since `changed_since`, not just this page.
            total: u64,
            /// When the list is read in order of last change
            /// (`changed_since` or `cursor`): pass as `cursor` for the page
            /// after this one; the same position comes back when this page
            /// was empty.
            next_cursor: Option<String>,
        }

        impl $name {
            #[allow(dead_code)]
            fn of(items: Vec<$item>) -> Self {
                Self {
                    total: items.len() as u64,
                    items,
                    next_cursor: None,
                }
            }

            fn page<T>(found: samudbud_domain::paging::Page<T>) -> Self
            where
                $item: From<T>,
            {
                Self {
                    total: found.total,
                    next_cursor: found.next_cursor.map(|c| c.encode()),
                    items: found.items.into_iter().map(<$item>::from).collect(),
                }
            }
        }
    };
}
pub(crate) use change_list;

mod api_clients;
mod archive;
mod audit;
mod auth;
mod calendar;
mod changes;
mod collaborations;
mod contracts;
mod decisions;
mod download;
mod export;
mod imports;
mod kitos;
mod money;
mod opportunities;
mod people;
mod reference;
mod register;
mod reminders;
mod saved_views;
mod serialized;
mod side_by_side;
mod site;
mod suppliers;
mod systems;
mod template_content;
mod template_diff;
mod template_documents;
mod templates;
mod tenants;
mod tender_plans;
mod text;
mod users;
mod versioning;
mod webhooks;

use std::sync::LazyLock;

pub use site::site_logo;

use poem::http::Method;
use poem_openapi::{ContactObject, OpenApiService, Tags};
use serde_json::{Value, json};

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
    /// Standard contract templates: versions, comparison, sharing, adoption, use.
    Templates,
    /// Tender plans: planned tenders, participants, commitments, export.
    TenderPlans,
    /// Joint tender opportunities from the contracts shared with a collaboration.
    Opportunities,
    /// Reference data: EU thresholds, procedure time limits, CPV codes.
    Reference,
    /// Who runs the installation (public).
    Site,
    /// Each user's private calendar feed of the municipality's agenda.
    Calendar,
    /// The logged-in user's reminder digest by e-mail.
    Reminders,
    /// The logged-in user's saved views of the contract and IT-system lists.
    Views,
    /// The sync feed for integrators: what changed in the municipality's data.
    Changes,
    /// Webhook endpoints, their signing secrets and delivery log (municipality admins).
    Webhooks,
    /// Importing the municipality's contracts from its OS2Kitos (municipality admins).
    Kitos,
}

/// The register's and the platform's operations, and those of templates and
/// tender plans: two tuples, as poem-openapi combines at most sixteen.
pub type Api = (
    (
        auth::AuthApi,
        users::UsersApi,
        people::PeopleApi,
        tenants::TenantsApi,
        collaborations::CollaborationsApi,
        api_clients::ApiClientsApi,
        audit::AuditApi,
        contracts::ContractsApi,
        decisions::DecisionsApi,
        systems::SystemsApi,
        suppliers::SuppliersApi,
        register::RegisterApi,
        site::SiteApi,
        imports::ImportsApi,
        archive::ArchiveApi,
    ),
    (
        templates::TemplatesApi,
        tender_plans::TenderPlansApi,
        tender_plans::PlannedTendersApi,
        tender_plans::CommitmentsApi,
        reference::ReferenceApi,
        reference::CpvApi,
        opportunities::OpportunitiesApi,
        calendar::CalendarApi,
        reminders::RemindersApi,
        side_by_side::CollaborationContractsApi,
        side_by_side::MunicipalitiesApi,
        saved_views::SavedViewsApi,
        changes::ChangesApi,
        webhooks::WebhooksApi,
        kitos::KitosApi,
    ),
);

pub const API_PREFIX: &str = "/api/v1";

pub fn service() -> OpenApiService<Api, ()> {
    OpenApiService::new(
        (
            (
                auth::AuthApi,
                users::UsersApi,
                people::PeopleApi,
                tenants::TenantsApi,
                collaborations::CollaborationsApi,
                api_clients::ApiClientsApi,
                audit::AuditApi,
                contracts::ContractsApi,
                decisions::DecisionsApi,
                systems::SystemsApi,
                suppliers::SuppliersApi,
                register::RegisterApi,
                site::SiteApi,
                imports::ImportsApi,
                archive::ArchiveApi,
            ),
            (
                templates::TemplatesApi,
                tender_plans::TenderPlansApi,
                tender_plans::PlannedTendersApi,
                tender_plans::CommitmentsApi,
                reference::ReferenceApi,
                reference::CpvApi,
                opportunities::OpportunitiesApi,
                calendar::CalendarApi,
                reminders::RemindersApi,
                side_by_side::CollaborationContractsApi,
                side_by_side::MunicipalitiesApi,
                saved_views::SavedViewsApi,
                changes::ChangesApi,
                webhooks::WebhooksApi,
                kitos::KitosApi,
            ),
        ),
        "Samudbud API",
        env!("CARGO_PKG_VERSION"),
    )
    .description(
        "IT contract registers, shared standard contracts and joint tender plans for \
         Danish municipalities. Every error is `application/problem+json` (RFC 9457). \
         Lists take `page` (from 1) and `page_size` (at most 200) and answer `items` \
         and `total`. Reads of versioned objects carry an `ETag`; writes to them need \
         `If-Match`. Optional fields without a value are left out of responses, never \
         `null`. A method a path does not offer answers 405 with `Allow`.",
    )
    .contact(ContactObject::new().name("Samudbud"))
    .server(API_PREFIX)
}

/// The OpenAPI document as pretty JSON with a trailing newline: what
/// `samudbud openapi` prints, `openapi/openapi.json` holds and
/// `/api/v1/openapi.json` serves.
pub fn spec_json() -> String {
    SPEC_JSON.clone()
}

static SPEC: LazyLock<Value> = LazyLock::new(|| {
    let mut spec: Value =
        serde_json::from_str(&service().spec()).expect("poem-openapi writes valid JSON");
    complete(&mut spec);
    spec
});

static SPEC_JSON: LazyLock<String> = LazyLock::new(|| {
    let mut text = serde_json::to_string_pretty(&*SPEC).expect("a JSON value serializes");
    text.push('\n');
    text
});

/// Request bodies that accept fields they do not know: the OAuth 2.0 token
/// request must ignore unrecognized parameters (RFC 6749 §3.2).
const OPEN_BODIES: [&str; 1] = ["ClientTokenRequest"];

/// What poem-openapi cannot say by itself, added to the document it builds:
/// JSON request bodies are closed (`additionalProperties: false`, as their
/// DTOs are `deny_unknown_fields`), and operations that read a body also
/// answer 413 and 415.
fn complete(spec: &mut Value) {
    let mut body_schemas = Vec::new();
    if let Some(paths) = spec["paths"].as_object_mut() {
        for operation in paths.values_mut().filter_map(Value::as_object_mut) {
            for operation in operation.values_mut() {
                let Some(content) = operation["requestBody"]["content"].as_object() else {
                    continue;
                };
                if let Some(name) = content
                    .iter()
                    .find(|(media_type, _)| media_type.starts_with("application/json"))
                    .and_then(|(_, media)| media["schema"]["$ref"].as_str())
                    .and_then(|r| r.strip_prefix("#/components/schemas/"))
                {
                    body_schemas.push(name.to_owned());
                }
                if let Some(responses) = operation["responses"].as_object_mut() {
                    for (status, description) in [
                        ("413", "The body is larger than the server accepts."),
                        (
                            "415",
                            "The body's media type is not one this operation reads.",
                        ),
                    ] {
                        responses.insert(
                            status.to_owned(),
                            json!({
                                "description": description,
                                "content": {
                                    crate::problem::PROBLEM_JSON: {
                                        "schema": {"$ref": "#/components/schemas/Problem"}
                                    }
                                }
                            }),
                        );
                    }
                }
            }
        }
    }
    for name in body_schemas {
        if OPEN_BODIES.contains(&name.as_str()) {
            continue;
        }
        if let Some(schema) = spec["components"]["schemas"][&name].as_object_mut() {
            schema.insert("additionalProperties".to_owned(), Value::Bool(false));
        }
    }
}

/// The `Allow` value for a path under the API prefix: the methods the spec
/// lists for it (HEAD wherever GET is), or `None` for a path it does not know.
pub fn allowed_methods(path: &str) -> Option<String> {
    let path = path.strip_prefix(API_PREFIX)?;
    let path = path
        .strip_suffix('/')
        .filter(|p| !p.is_empty())
        .unwrap_or(path);
    let segments: Vec<&str> = path.split('/').collect();
    // A literal segment beats a parameter (`/contracts/{id}` vs a fixed name).
    let (_, item) = SPEC["paths"]
        .as_object()?
        .iter()
        .filter(|(template, _)| {
            let template: Vec<&str> = template.split('/').collect();
            template.len() == segments.len()
                && template
                    .iter()
                    .zip(&segments)
                    .all(|(t, s)| t.starts_with('{') || t == s)
        })
        .min_by_key(|(template, _)| template.matches('{').count())?;
    let mut methods: Vec<Method> = item
        .as_object()?
        .keys()
        .filter_map(|m| Method::from_bytes(m.to_uppercase().as_bytes()).ok())
        .collect();
    if methods.contains(&Method::GET) {
        methods.push(Method::HEAD);
    }
    Some(
        methods
            .iter()
            .map(Method::as_str)
            .collect::<Vec<_>>()
            .join(", "),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn operations() -> Vec<(String, String, Value)> {
        let mut found = Vec::new();
        for (path, item) in SPEC["paths"].as_object().expect("paths") {
            for (method, operation) in item.as_object().expect("path item") {
                found.push((method.clone(), path.clone(), operation.clone()));
            }
        }
        found
    }

    /// What generated clients choke on: `allOf` over a reference to an enum
    /// (openapi-python-client: "Cannot take allOf a non-object").
    #[test]
    fn no_all_of_wraps_an_enum() {
        fn visit(value: &Value, schemas: &serde_json::Map<String, Value>, at: &str) {
            match value {
                Value::Object(fields) => {
                    if let Some(Value::Array(parts)) = fields.get("allOf") {
                        for part in parts {
                            let name = part["$ref"]
                                .as_str()
                                .and_then(|r| r.strip_prefix("#/components/schemas/"));
                            if let Some(name) = name {
                                assert!(
                                    schemas[name].get("enum").is_none(),
                                    "{at}: allOf over the enum {name}"
                                );
                            }
                        }
                    }
                    for (key, item) in fields {
                        visit(item, schemas, &format!("{at}/{key}"));
                    }
                }
                Value::Array(items) => items.iter().for_each(|item| visit(item, schemas, at)),
                _ => {}
            }
        }
        let schemas = SPEC["components"]["schemas"].as_object().expect("schemas");
        visit(&SPEC, schemas, "");
    }

    #[test]
    fn request_bodies_are_closed_and_their_errors_documented() {
        for (method, path, operation) in operations() {
            let Some(content) = operation["requestBody"]["content"].as_object() else {
                continue;
            };
            for status in ["400", "413", "415"] {
                assert!(
                    operation["responses"].get(status).is_some(),
                    "{method} {path} does not document {status}"
                );
            }
            if let Some(name) = content
                .iter()
                .find(|(media_type, _)| media_type.starts_with("application/json"))
                .and_then(|(_, media)| media["schema"]["$ref"].as_str())
                .and_then(|r| r.strip_prefix("#/components/schemas/"))
            {
                let closed = SPEC["components"]["schemas"][name]["additionalProperties"] == false;
                assert_eq!(closed, !OPEN_BODIES.contains(&name), "{name}");
            }
        }
    }

    #[test]
    fn operations_behind_a_login_document_401() {
        for (method, path, operation) in operations() {
            if operation.get("security").is_some() {
                assert!(
                    operation["responses"].get("401").is_some(),
                    "{method} {path} does not document 401"
                );
            }
        }
    }

    /// Every write the domain checks the version of names If-Match as
    /// required; only deactivating a user checks it when sent.
    #[test]
    fn if_match_is_required_where_it_is() {
        let mut with_if_match = 0;
        for (method, path, operation) in operations() {
            let Some(parameters) = operation["parameters"].as_array() else {
                continue;
            };
            for parameter in parameters.iter().filter(|p| p["name"] == "If-Match") {
                with_if_match += 1;
                let optional = operation["operationId"] == "deactivateUser";
                assert_eq!(
                    parameter["required"] == true,
                    !optional,
                    "{method} {path}: If-Match"
                );
            }
        }
        assert_eq!(with_if_match, 27);
    }

    #[test]
    fn downloads_list_the_attachment_types() {
        let download = &SPEC["paths"]["/contracts/{id}/attachments/{attachment_id}"]["get"];
        let content = download["responses"]["200"]["content"]
            .as_object()
            .expect("content");
        let mut types: Vec<&str> = content.keys().map(String::as_str).collect();
        types.sort_unstable();
        assert_eq!(
            types,
            [
                "application/pdf",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ]
        );
    }

    #[test]
    fn allow_names_the_methods_of_a_path() {
        let sorted = |allow: Option<String>| {
            let mut methods: Vec<String> = allow
                .expect("a known path")
                .split(", ")
                .map(str::to_owned)
                .collect();
            methods.sort_unstable();
            methods.join(",")
        };
        assert_eq!(sorted(allowed_methods("/api/v1/auth/login")), "POST");
        assert_eq!(
            sorted(allowed_methods(
                "/api/v1/contracts/5f1e7a52-2d5e-4a8e-9d43-0c3c1a7b9e10"
            )),
            "DELETE,GET,HEAD,PUT"
        );
        assert_eq!(
            sorted(allowed_methods("/api/v1/contracts/")),
            "GET,HEAD,POST"
        );
        assert_eq!(allowed_methods("/api/v1/nothing-here"), None);
        assert_eq!(allowed_methods("/healthz"), None);
    }
}
