//! A fake OS2Kitos for tests: a small HTTP server on 127.0.0.1 that answers
//! the few Kitos API v2 calls the importer makes, with the JSON shapes of
//! the reference (fixtures in `fixtures/kitos/`): `GetToken` (checks e-mail
//! and password), contracts and system usages by organisation with paging
//! (at most 250 a page, else 400) and `changedSinceGtEq`, the
//! deleted-entities feed, and organisations by a CVR substring. Its state is
//! shared with the test, which edits and deletes contracts between runs.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};
use poem::http::{HeaderMap, StatusCode};
use poem::listener::{Acceptor, Listener, TcpListener};
use poem::web::{Data, Json, Query};
use poem::{EndpointExt, IntoResponse, Response, Route, get, handler, post};
use serde_json::{Value, json};

pub const EMAIL: &str = "api@soroe.dk";
pub const PASSWORD: &str = "kitos-hemmelig";
/// The organisation of the fixtures' contracts (Sorø, CVR 29188599).
pub const ORGANIZATION: &str = "0a000000-0000-4000-8000-000000000001";
pub const MUNICIPALITY_CVR: &str = "29188599";

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/kitos");

fn fixture(name: &str) -> Vec<Value> {
    let text = std::fs::read_to_string(format!("{FIXTURES}/{name}")).expect("a Kitos fixture");
    serde_json::from_str(&text).expect("fixture JSON")
}

#[derive(Default)]
pub struct State {
    pub contracts: Vec<Value>,
    pub usages: Vec<Value>,
    pub organizations: Vec<Value>,
    pub deleted: Vec<Value>,
    /// Every GET as `path?query`, for checks of paging and watermarks.
    pub requests: Vec<String>,
    tokens_issued: usize,
}

pub struct FakeKitos {
    /// `http://127.0.0.1:PORT`.
    pub url: String,
    state: Arc<Mutex<State>>,
}

fn time(value: &Value) -> DateTime<Utc> {
    value
        .as_str()
        .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_default()
}

fn plain(status: StatusCode, text: &str) -> Response {
    Response::builder()
        .status(status)
        .content_type("text/plain; charset=utf-8")
        .body(text.to_owned())
}

#[handler]
fn get_token(state: Data<&Arc<Mutex<State>>>, body: Json<Value>) -> Response {
    let email = body["email"].as_str().unwrap_or_default();
    let password = body["password"].as_str().unwrap_or_default();
    if email != EMAIL || password != PASSWORD {
        return plain(StatusCode::UNAUTHORIZED, "");
    }
    let mut state = state.lock().unwrap();
    state.tokens_issued += 1;
    Json(json!({
        "msg": "",
        "response": {
            "token": format!("token-{}", state.tokens_issued),
            "email": email,
            "loginSuccessful": true,
            "expires": (Utc::now() + Duration::hours(24)).to_rfc3339(),
        }
    }))
    .into_response()
}

fn authorized(headers: &HeaderMap) -> bool {
    headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("Bearer token-"))
}

type Params = std::collections::HashMap<String, String>;

/// One page of `items`, as Kitos pages: `page` from 0, `pageSize` 1–250.
fn page(items: Vec<Value>, params: &Params) -> Response {
    let size: usize = params
        .get("pageSize")
        .and_then(|s| s.parse().ok())
        .unwrap_or(250);
    if !(1..=250).contains(&size) {
        return Json(json!({"pageSize": ["must be between 1 and 250"]}))
            .with_status(StatusCode::BAD_REQUEST)
            .into_response();
    }
    let page: usize = params.get("page").and_then(|s| s.parse().ok()).unwrap_or(0);
    let found: Vec<Value> = items.into_iter().skip(page * size).take(size).collect();
    Json(Value::Array(found)).into_response()
}

/// `items` of the organisation, changed at or after `changedSinceGtEq`
/// (then sorted by that), as the contract and usage lists filter.
fn changed(items: &[Value], params: &Params) -> Vec<Value> {
    let organization = params.get("organizationUuid").cloned().unwrap_or_default();
    let mut found: Vec<Value> = items
        .iter()
        .filter(|c| c["organizationContext"]["uuid"].as_str() == Some(organization.as_str()))
        .cloned()
        .collect();
    if let Some(since) = params.get("changedSinceGtEq") {
        let since = time(&Value::String(since.clone()));
        found.retain(|c| time(&c["lastModified"]) >= since);
        found.sort_by_key(|c| time(&c["lastModified"]));
    }
    found
}

fn log(state: &Arc<Mutex<State>>, path: &str, params: &Params) {
    let mut query: Vec<String> = params.iter().map(|(k, v)| format!("{k}={v}")).collect();
    query.sort();
    state
        .lock()
        .unwrap()
        .requests
        .push(format!("{path}?{}", query.join("&")));
}

#[handler]
fn contracts(
    state: Data<&Arc<Mutex<State>>>,
    headers: &HeaderMap,
    Query(params): Query<Params>,
) -> Response {
    if !authorized(headers) {
        return plain(StatusCode::UNAUTHORIZED, "");
    }
    log(&state, "it-contracts", &params);
    let items = changed(&state.lock().unwrap().contracts, &params);
    page(items, &params)
}

#[handler]
fn usages(
    state: Data<&Arc<Mutex<State>>>,
    headers: &HeaderMap,
    Query(params): Query<Params>,
) -> Response {
    if !authorized(headers) {
        return plain(StatusCode::UNAUTHORIZED, "");
    }
    log(&state, "it-system-usages", &params);
    let items = changed(&state.lock().unwrap().usages, &params);
    page(items, &params)
}

#[handler]
fn deleted(
    state: Data<&Arc<Mutex<State>>>,
    headers: &HeaderMap,
    Query(params): Query<Params>,
) -> Response {
    if !authorized(headers) {
        return plain(StatusCode::UNAUTHORIZED, "");
    }
    log(&state, "deleted-entities", &params);
    let kind = params.get("entityType").cloned().unwrap_or_default();
    let since = params
        .get("deletedSinceUTC")
        .map(|s| time(&Value::String(s.clone())));
    let items: Vec<Value> = state
        .lock()
        .unwrap()
        .deleted
        .iter()
        .filter(|d| d["entityType"].as_str() == Some(kind.as_str()))
        .filter(|d| since.is_none_or(|since| time(&d["occurredAtUtc"]) >= since))
        .cloned()
        .collect();
    page(items, &params)
}

#[handler]
fn organizations(
    state: Data<&Arc<Mutex<State>>>,
    headers: &HeaderMap,
    Query(params): Query<Params>,
) -> Response {
    if !authorized(headers) {
        return plain(StatusCode::UNAUTHORIZED, "");
    }
    let wanted = params.get("cvrContent").cloned().unwrap_or_default();
    let items: Vec<Value> = state
        .lock()
        .unwrap()
        .organizations
        .iter()
        .filter(|o| o["cvr"].as_str().is_some_and(|c| c.contains(&wanted)))
        .cloned()
        .collect();
    page(items, &params)
}

impl FakeKitos {
    /// Starts a fake Kitos holding the fixtures.
    pub async fn start() -> Self {
        let state = Arc::new(Mutex::new(State {
            contracts: fixture("contracts.json"),
            usages: fixture("system-usages.json"),
            organizations: fixture("organizations.json"),
            ..State::default()
        }));
        let acceptor = TcpListener::bind("127.0.0.1:0")
            .into_acceptor()
            .await
            .unwrap();
        let addr = acceptor.local_addr()[0].as_socket_addr().copied().unwrap();
        let app = Route::new()
            .at("/api/authorize/GetToken", post(get_token))
            .at("/api/v2/it-contracts", get(contracts))
            .at("/api/v2/it-system-usages", get(usages))
            .at("/api/v2/delta-feed/deleted-entities", get(deleted))
            .at("/api/v2/organizations", get(organizations))
            .data(state.clone());
        tokio::spawn(poem::Server::new_with_acceptor(acceptor).run(app));
        Self {
            url: format!("http://{addr}"),
            state,
        }
    }

    pub fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap()
    }

    /// Changes a contract as a Kitos user would: `edit` on its JSON, and
    /// `lastModified` moved to now.
    pub fn edit_contract(&self, uuid: &str, edit: impl FnOnce(&mut Value)) {
        let mut state = self.state();
        let contract = state
            .contracts
            .iter_mut()
            .find(|c| c["uuid"] == uuid)
            .expect("a contract of the fixtures");
        edit(contract);
        contract["lastModified"] = Value::String(Utc::now().to_rfc3339());
    }

    /// Deletes a contract, as the deleted-entities feed then reports it.
    pub fn delete_contract(&self, uuid: &str) {
        let mut state = self.state();
        state.contracts.retain(|c| c["uuid"] != uuid);
        state.deleted.push(json!({
            "occurredAtUtc": Utc::now().to_rfc3339(),
            "entityUuid": uuid,
            "entityType": "ItContract",
        }));
    }

    /// Adds `count` copies of the first fixture contract (new uuids and
    /// names), so that a run needs more than one page.
    pub fn add_copies(&self, count: usize) {
        let mut state = self.state();
        let template = state.contracts[2].clone();
        for n in 0..count {
            let mut copy = template.clone();
            copy["uuid"] = Value::String(format!("0b100000-0000-4000-8000-{n:012}"));
            copy["name"] = Value::String(format!("Kopi {n:03}"));
            copy["general"]["contractId"] = Value::Null;
            state.contracts.push(copy);
        }
    }
}
