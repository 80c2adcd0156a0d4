//! `/kitos`: the municipality's connection to its OS2Kitos, the preview of
//! an import and the imports run (municipality admins).

use chrono::{DateTime, Utc};
use poem::web::Data;
use poem_openapi::param::Path;
use poem_openapi::payload::Json;
use poem_openapi::types::Example;
use poem_openapi::{ApiResponse, Enum, Object, OpenApi};
use samudbud_domain::kitos::mapping::{FieldDifference, NotTransferred};
use samudbud_domain::kitos::{
    self, Connection, ConnectionInput, Counts, Item, Outcome, Report, Run,
};
use tracing::Instrument;
use uuid::Uuid;

use super::ApiTags;
use super::text::Text;
use crate::problem::ApiResult;
use crate::security::BearerAuth;
use crate::state::AppState;

pub struct KitosApi;

/// The municipality's connection to OS2Kitos. The password is never
/// returned: `password_stored` says whether one is kept (sealed).
/// `contracts_since` is where the next import starts reading changes (left
/// out: the next import is a first, full one).
#[derive(Object)]
#[oai(rename = "KitosConnection", skip_serializing_if_is_none, example)]
struct ConnectionDto {
    base_url: String,
    email: String,
    password_stored: bool,
    /// The municipality's organisation in Kitos; found by the
    /// municipality's CVR number when not given.
    organization_uuid: Option<Uuid>,
    contracts_since: Option<DateTime<Utc>>,
    deleted_since: Option<DateTime<Utc>>,
    last_run_at: Option<DateTime<Utc>>,
    updated_at: DateTime<Utc>,
}

impl From<Connection> for ConnectionDto {
    fn from(c: Connection) -> Self {
        Self {
            base_url: c.base_url,
            email: c.email,
            password_stored: c.password_stored,
            organization_uuid: c.organization_uuid,
            contracts_since: c.contracts_since,
            deleted_since: c.deleted_since,
            last_run_at: c.last_run_at,
            updated_at: c.updated_at,
        }
    }
}

fn example_time() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-12-06T09:30:00Z")
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_default()
}

impl Example for ConnectionDto {
    fn example() -> Self {
        Self {
            base_url: "https://kitos.dk".into(),
            email: "api-bruger@kommune.dk".into(),
            password_stored: true,
            organization_uuid: None,
            contracts_since: None,
            deleted_since: None,
            last_run_at: None,
            updated_at: example_time(),
        }
    }
}

/// The connection as written: the Kitos address (`https://`), the API
/// user's e-mail and password. Leave `password` out to keep the stored one;
/// it is required the first time. A new address or organisation makes the
/// next import a first, full one.
#[derive(Object)]
#[oai(rename = "KitosConnectionInput", deny_unknown_fields, example)]
struct ConnectionInputDto {
    base_url: Text<1, 2000>,
    email: Text<1, 320>,
    #[oai(write_only)]
    password: Option<String>,
    organization_uuid: Option<Uuid>,
}

impl Example for ConnectionInputDto {
    fn example() -> Self {
        Self {
            base_url: Text("https://kitos.dk".into()),
            email: Text("api-bruger@kommune.dk".into()),
            password: Some("…".into()),
            organization_uuid: None,
        }
    }
}

/// What an import does (or would do) with an object.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[oai(rename = "KitosOutcome", rename_all = "snake_case")]
enum OutcomeDto {
    /// Ny.
    New,
    /// Opdateres: fields changed in Kitos only are taken.
    Updated,
    /// Uændret.
    Unchanged,
    /// Konflikt: changed here and in Kitos; the value here is kept.
    Conflict,
    /// Arkiveres: deleted in Kitos.
    Archived,
    /// Afvist: cannot be imported (see `problems`).
    Rejected,
}

impl From<Outcome> for OutcomeDto {
    fn from(o: Outcome) -> Self {
        match o {
            Outcome::New => OutcomeDto::New,
            Outcome::Updated => OutcomeDto::Updated,
            Outcome::Unchanged => OutcomeDto::Unchanged,
            Outcome::Conflict => OutcomeDto::Conflict,
            Outcome::Archived => OutcomeDto::Archived,
            Outcome::Rejected => OutcomeDto::Rejected,
        }
    }
}

#[derive(Object)]
#[oai(rename = "KitosCounts")]
struct CountsDto {
    new: u64,
    updated: u64,
    unchanged: u64,
    conflict: u64,
    archived: u64,
    rejected: u64,
}

impl From<Counts> for CountsDto {
    fn from(c: Counts) -> Self {
        let n = |v: usize| v as u64;
        Self {
            new: n(c.new),
            updated: n(c.updated),
            unchanged: n(c.unchanged),
            conflict: n(c.conflict),
            archived: n(c.archived),
            rejected: n(c.rejected),
        }
    }
}

/// A field whose value changes or conflicts: `local` is the value here,
/// `kitos` the one in Kitos now, `imported` the one last imported (left
/// out for a new object). Values are shown as the web app shows them.
#[derive(Object)]
#[oai(rename = "KitosFieldDifference", skip_serializing_if_is_none)]
struct FieldDifferenceDto {
    field: String,
    label: String,
    local: String,
    kitos: String,
    imported: Option<String>,
}

impl From<FieldDifference> for FieldDifferenceDto {
    fn from(d: FieldDifference) -> Self {
        Self {
            field: d.field,
            label: d.label,
            local: d.local,
            kitos: d.kitos,
            imported: d.imported,
        }
    }
}

/// A Kitos value without a field of its own here: written in the
/// contract's description ("Fra Kitos …").
#[derive(Object)]
#[oai(rename = "KitosNotTransferred")]
struct NotTransferredDto {
    label: String,
    value: String,
}

impl From<NotTransferred> for NotTransferredDto {
    fn from(n: NotTransferred) -> Self {
        Self {
            label: n.label,
            value: n.value,
        }
    }
}

/// One object of a report. `kind`: `contract`, `it_system` or `supplier`.
#[derive(Object)]
#[oai(rename = "KitosItem", skip_serializing_if_is_none)]
struct ItemDto {
    kind: String,
    outcome: OutcomeDto,
    kitos_uuid: Option<Uuid>,
    /// The object here (in a preview of a new one: the id it would get).
    object_id: Option<Uuid>,
    title: String,
    changes: Vec<FieldDifferenceDto>,
    conflicts: Vec<FieldDifferenceDto>,
    not_transferred: Vec<NotTransferredDto>,
    problems: Vec<String>,
}

impl From<Item> for ItemDto {
    fn from(i: Item) -> Self {
        Self {
            kind: i.kind,
            outcome: i.outcome.into(),
            kitos_uuid: i.kitos_uuid,
            object_id: i.object_id,
            title: i.title,
            changes: i.changes.into_iter().map(Into::into).collect(),
            conflicts: i.conflicts.into_iter().map(Into::into).collect(),
            not_transferred: i.not_transferred.into_iter().map(Into::into).collect(),
            problems: i.problems,
        }
    }
}

/// What an import did (or, as a preview, would do): counts per kind and
/// outcome, and every object met, contracts first.
#[derive(Object)]
#[oai(rename = "KitosReport")]
struct ReportDto {
    /// An update since the last import, or a first, full one.
    incremental: bool,
    contracts: CountsDto,
    systems: CountsDto,
    suppliers: CountsDto,
    items: Vec<ItemDto>,
}

impl From<Report> for ReportDto {
    fn from(r: Report) -> Self {
        Self {
            incremental: r.incremental,
            contracts: r.contracts.into(),
            systems: r.systems.into(),
            suppliers: r.suppliers.into(),
            items: r.items.into_iter().map(Into::into).collect(),
        }
    }
}

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[oai(rename = "KitosRunState", rename_all = "lowercase")]
enum RunStateDto {
    Queued,
    Running,
    Done,
    Failed,
}

/// An import from Kitos, with its progress and, once done, its report.
#[derive(Object)]
#[oai(rename = "KitosRun", skip_serializing_if_is_none)]
struct RunDto {
    id: Uuid,
    state: RunStateDto,
    incremental: bool,
    objects_done: u64,
    objects_total: u64,
    report: Option<ReportDto>,
    /// Why it failed (state `failed`); what was written before stays.
    failure: Option<String>,
    started_by: Option<Uuid>,
    created_at: DateTime<Utc>,
    finished_at: Option<DateTime<Utc>>,
}

impl From<Run> for RunDto {
    fn from(r: Run) -> Self {
        Self {
            id: r.id,
            state: match r.state.as_str() {
                "running" => RunStateDto::Running,
                "done" => RunStateDto::Done,
                "failed" => RunStateDto::Failed,
                _ => RunStateDto::Queued,
            },
            incremental: r.incremental,
            objects_done: r.objects_done as u64,
            objects_total: r.objects_total as u64,
            report: r.report.map(Into::into),
            failure: r.failure,
            started_by: r.started_by,
            created_at: r.created_at,
            finished_at: r.finished_at,
        }
    }
}

super::whole_list!(KitosRunList, RunDto);

#[derive(ApiResponse)]
enum DeletedResponse {
    #[oai(status = 204)]
    Deleted,
}

#[derive(ApiResponse)]
enum StartedResponse {
    /// Queued; follow it at `Location`.
    #[oai(status = 202)]
    Accepted(Json<RunDto>, #[oai(header = "Location")] String),
}

#[OpenApi(prefix_path = "/kitos", tag = "ApiTags::Kitos")]
impl KitosApi {
    /// The municipality's Kitos connection (404 when there is none).
    #[oai(
        path = "/connection",
        method = "get",
        operation_id = "getKitosConnection"
    )]
    async fn get_connection(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
    ) -> ApiResult<Json<ConnectionDto>> {
        let found = kitos::get_connection(&state.db, &auth.0).await?;
        Ok(Json(found.into()))
    }

    /// Store the connection: address, API user and (write-only) password,
    /// which is kept sealed.
    #[oai(
        path = "/connection",
        method = "put",
        operation_id = "putKitosConnection"
    )]
    async fn put_connection(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        body: Json<ConnectionInputDto>,
    ) -> ApiResult<Json<ConnectionDto>> {
        let body = body.0;
        let saved = kitos::put_connection(
            &state.db,
            &auth.0,
            &state.secrets,
            state.webhook_urls,
            ConnectionInput {
                base_url: body.base_url.into_inner(),
                email: body.email.into_inner(),
                password: body.password,
                organization_uuid: body.organization_uuid,
            },
        )
        .await?;
        Ok(Json(saved.into()))
    }

    /// Remove the connection and its stored password; imported objects stay.
    #[oai(
        path = "/connection",
        method = "delete",
        operation_id = "deleteKitosConnection"
    )]
    async fn delete_connection(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
    ) -> ApiResult<DeletedResponse> {
        kitos::delete_connection(&state.db, &auth.0).await?;
        Ok(DeletedResponse::Deleted)
    }

    /// What an import would do now: read from Kitos, nothing written here.
    /// Kitos refusing the user answers 422; Kitos unreachable, 502.
    #[oai(
        path = "/preview",
        method = "post",
        operation_id = "previewKitosImport"
    )]
    async fn preview(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
    ) -> ApiResult<Json<ReportDto>> {
        let report = kitos::preview(&state.db, &auth.0, &state.secrets).await?;
        Ok(Json(report.into()))
    }

    /// Start an import: the first one reads everything, later ones what
    /// changed in Kitos since (and its deletions). Runs in the background;
    /// the answer is the queued run. One at a time (409).
    #[oai(path = "/import", method = "post", operation_id = "startKitosImport")]
    async fn import(&self, state: Data<&AppState>, auth: BearerAuth) -> ApiResult<StartedResponse> {
        let run = kitos::start_run(&state.db, &auth.0, &state.secrets).await?;
        let db = state.db.clone();
        let secrets = state.secrets.clone();
        let principal = auth.0.clone();
        let id = run.id;
        tokio::spawn(
            async move {
                if let Err(e) = kitos::process(&db, &principal, &secrets, id).await {
                    tracing::error!(error = %e, run = %id, "Kitos import could not run");
                }
            }
            .in_current_span(),
        );
        let location = format!("{}/kitos/runs/{id}", super::API_PREFIX);
        Ok(StartedResponse::Accepted(Json(run.into()), location))
    }

    /// The latest imports, newest first.
    #[oai(path = "/runs", method = "get", operation_id = "listKitosRuns")]
    async fn runs(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
    ) -> ApiResult<Json<KitosRunList>> {
        let found = kitos::list_runs(&state.db, &auth.0).await?;
        Ok(Json(KitosRunList::of(
            found.into_iter().map(RunDto::from).collect(),
        )))
    }

    /// One import, with its progress and report.
    #[oai(path = "/runs/:id", method = "get", operation_id = "getKitosRun")]
    async fn run(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<Json<RunDto>> {
        Ok(Json(kitos::get_run(&state.db, &auth.0, id.0).await?.into()))
    }
}
