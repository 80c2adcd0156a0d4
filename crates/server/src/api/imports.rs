//! `/contracts/imports`: importing a contract register from a CSV or XLSX
//! file as a server-side job (analyse, dry run, all or nothing, valid rows).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use poem::http::{HeaderValue, StatusCode, header};
use poem::web::Data;
use poem::{IntoResponse, Response};
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::registry::{
    MetaHeader, MetaMediaType, MetaResponse, MetaResponses, MetaSchema, MetaSchemaRef, Registry,
};
use poem_openapi::types::Type;
use poem_openapi::types::multipart::{JsonField, Upload};
use poem_openapi::{ApiResponse, Enum, Multipart, Object, OpenApi};
use samudbud_domain::contracts::attachments::XLSX;
use samudbud_domain::contracts::import::{self, Mode};
use samudbud_domain::contracts::import_jobs::{self, ContractImport, RejectedFormat, UploadError};
use tracing::Instrument;
use uuid::Uuid;

use super::ApiTags;
use super::download::FileDownload;
use crate::problem::{ApiError, ApiResult};
use crate::security::BearerAuth;
use crate::state::AppState;

pub struct ImportsApi;

/// What a run does with the rows.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[oai(rename = "ImportMode", rename_all = "snake_case")]
enum ImportMode {
    /// Only read the file: its format, header row and columns.
    Analyse,
    /// Check every row and report; store nothing.
    DryRun,
    /// Store every row, or none when a row has a problem.
    AllOrNothing,
    /// Store the rows without problems; report and offer the others.
    ValidRows,
}

impl From<ImportMode> for Mode {
    fn from(m: ImportMode) -> Self {
        match m {
            ImportMode::Analyse => Mode::Analyse,
            ImportMode::DryRun => Mode::DryRun,
            ImportMode::AllOrNothing => Mode::AllOrNothing,
            ImportMode::ValidRows => Mode::ValidRows,
        }
    }
}

impl From<Mode> for ImportMode {
    fn from(m: Mode) -> Self {
        match m {
            Mode::Analyse => ImportMode::Analyse,
            Mode::DryRun => ImportMode::DryRun,
            Mode::AllOrNothing => ImportMode::AllOrNothing,
            Mode::ValidRows => ImportMode::ValidRows,
        }
    }
}

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[oai(rename = "ImportState", rename_all = "snake_case")]
enum ImportState {
    Queued,
    Running,
    Done,
    Failed,
}

/// How the file was read.
#[derive(Object)]
#[oai(rename = "ImportFormat", skip_serializing_if_is_none)]
struct ImportFormatDto {
    /// `csv` or `xlsx`.
    kind: String,
    /// The CSV delimiter: `,`, `;` or a tab.
    delimiter: Option<String>,
    /// The CSV encoding: `UTF-8`, `UTF-8 (BOM)`, `UTF-16` or `windows-1252`.
    encoding: Option<String>,
    /// The worksheet read (XLSX).
    sheet: Option<String>,
    /// Every worksheet of the workbook (XLSX).
    sheets: Vec<String>,
}

/// A column of the file.
#[derive(Object)]
#[oai(rename = "ImportColumn", skip_serializing_if_is_none)]
struct ImportColumnDto {
    /// From 0, left to right.
    index: u32,
    /// The header as in the file ("Kolonne C" when empty).
    header: String,
    /// Up to three values from the first data rows.
    samples: Vec<String>,
    /// The register field suggested for it (the municipality's last mapping,
    /// else the header's meaning); the field keys are listed by `GET /contracts/import-mapping`.
    suggested_field: Option<String>,
}

#[derive(Object)]
#[oai(rename = "ImportProgress")]
struct ImportProgressDto {
    rows_done: u32,
    rows_total: u32,
}

/// A problem with a row.
#[derive(Object)]
#[oai(rename = "ImportRowError")]
struct ImportRowErrorDto {
    /// The row's number in the file (from 1, as a spreadsheet shows it).
    row: u32,
    /// The column's header.
    column: String,
    /// The cell's value as read.
    value: String,
    /// The field key.
    field: String,
    /// What is wrong, in Danish.
    message: String,
}

/// A reference number met before: in the register or earlier in the file.
#[derive(Object)]
#[oai(rename = "ImportDuplicate", skip_serializing_if_is_none)]
struct ImportDuplicateDto {
    row: u32,
    reference: String,
    /// The registered contract with the reference number.
    existing_contract_id: Option<Uuid>,
    /// The earlier row of the file with it.
    first_row: Option<u32>,
}

#[derive(Object)]
#[oai(rename = "ImportCreatedSupplier")]
struct ImportCreatedSupplierDto {
    cvr: String,
    name: String,
}

/// What a run found and did. Every data row is imported or reported.
#[derive(Object)]
#[oai(rename = "ImportReport")]
struct ImportReportDto {
    rows_total: u32,
    rows_valid: u32,
    rows_imported: u32,
    /// Rows not imported (on an all-or-nothing run with problems: all).
    rows_rejected: u32,
    errors: Vec<ImportRowErrorDto>,
    duplicates: Vec<ImportDuplicateDto>,
    /// Suppliers registered by CVR (on a dry run: that would be).
    created_suppliers: Vec<ImportCreatedSupplierDto>,
    /// IT systems created (on a dry run: that would be).
    created_systems: Vec<String>,
    /// Columns with values that the mapping leaves out.
    unmapped_columns: Vec<String>,
    /// The numbers of the rows with problems.
    rejected_rows: Vec<u32>,
    /// The imported contracts, in file order.
    contract_ids: Vec<Uuid>,
}

/// An uploaded contract register and its import.
#[derive(Object)]
#[oai(rename = "ContractImport", skip_serializing_if_is_none)]
struct ContractImportDto {
    id: Uuid,
    state: ImportState,
    mode: ImportMode,
    file_name: String,
    format: ImportFormatDto,
    /// The header row's number in the file (from 1).
    header_row: u32,
    columns: Vec<ImportColumnDto>,
    /// Header → field key: the mapping of the last run, or the suggested one.
    mapping: BTreeMap<String, String>,
    progress: ImportProgressDto,
    /// Present once a run is done.
    report: Option<ImportReportDto>,
    /// Why the run failed (state `failed`), in Danish; nothing was stored.
    failure: Option<String>,
    created_at: DateTime<Utc>,
    finished_at: Option<DateTime<Utc>>,
    created_by: Option<Uuid>,
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl From<ContractImport> for ContractImportDto {
    fn from(i: ContractImport) -> Self {
        let state = match i.state.as_str() {
            "queued" => ImportState::Queued,
            "running" => ImportState::Running,
            "failed" => ImportState::Failed,
            _ => ImportState::Done,
        };
        let a = i.analysis;
        Self {
            id: i.id,
            state,
            mode: i.mode.into(),
            file_name: i.file_name,
            format: ImportFormatDto {
                kind: a.format.kind,
                delimiter: a.format.delimiter,
                encoding: a.format.encoding,
                sheet: a.format.sheet,
                sheets: a.format.sheets,
            },
            header_row: count(a.header_row),
            columns: a
                .columns
                .into_iter()
                .map(|c| ImportColumnDto {
                    index: count(c.index),
                    header: c.header,
                    samples: c.samples,
                    suggested_field: c.suggested_field,
                })
                .collect(),
            mapping: i.mapping,
            progress: ImportProgressDto {
                rows_done: count(i.rows_done),
                rows_total: count(i.rows_total),
            },
            report: i.report.map(report_dto),
            failure: i.failure,
            created_at: i.created_at,
            finished_at: i.finished_at,
            created_by: i.created_by,
        }
    }
}

fn report_dto(r: import::Report) -> ImportReportDto {
    ImportReportDto {
        rows_total: count(r.rows_total),
        rows_valid: count(r.rows_valid),
        rows_imported: count(r.rows_imported),
        rows_rejected: count(r.rows_rejected),
        errors: r
            .errors
            .into_iter()
            .map(|e| ImportRowErrorDto {
                row: count(e.row),
                column: e.column,
                value: e.value,
                field: e.field,
                message: e.message,
            })
            .collect(),
        duplicates: r
            .duplicates
            .into_iter()
            .map(|d| ImportDuplicateDto {
                row: count(d.row),
                reference: d.reference,
                existing_contract_id: d.existing_contract_id,
                first_row: d.first_row.map(count),
            })
            .collect(),
        created_suppliers: r
            .created_suppliers
            .into_iter()
            .map(|s| ImportCreatedSupplierDto {
                cvr: s.cvr,
                name: s.name,
            })
            .collect(),
        created_systems: r.created_systems,
        unmapped_columns: r.unmapped_columns,
        rejected_rows: r.rejected_rows.into_iter().map(count).collect(),
        contract_ids: r.contract_ids,
    }
}

/// How to import: the worksheet, the mapping and the mode (`analyse`, the
/// default, only reads the file's format and columns).
#[derive(Object, Default)]
#[oai(rename = "ImportOptions", deny_unknown_fields)]
struct ImportOptionsDto {
    /// The worksheet of an XLSX file (the first by default).
    sheet: Option<String>,
    /// Header (or column index from 0) → field key; a column left out is not
    /// read. Without it, the suggested mapping.
    mapping: Option<BTreeMap<String, String>>,
    mode: Option<ImportMode>,
}

/// A CSV or XLSX file of at most 20 MiB, and how to import it.
#[derive(Multipart)]
struct ImportUpload {
    file: Upload,
    /// JSON: `{"mode": "analyse" | "dry_run" | "all_or_nothing" | "valid_rows", "mapping": {…}, "sheet": "…"}`.
    options: Option<JsonField<ImportOptionsDto>>,
}

/// Running an uploaded register (again) with a mode (`dry_run`,
/// `all_or_nothing` or `valid_rows`) and a mapping.
#[derive(Object)]
#[oai(rename = "ImportRun", deny_unknown_fields)]
struct RunDto {
    mode: ImportMode,
    /// Header (or column index) → field key; the last one if left out.
    mapping: Option<BTreeMap<String, String>>,
}

/// A field of the register that a column can be mapped to.
#[derive(Object)]
#[oai(rename = "ImportField")]
struct ImportFieldDto {
    key: String,
    /// The Danish header (export writes it).
    header: String,
    required: bool,
}

/// The municipality's last used mapping and the fields to map to.
#[derive(Object)]
#[oai(rename = "ImportMapping")]
struct ImportMappingDto {
    /// Header → field key, from the municipality's last import.
    mapping: BTreeMap<String, String>,
    fields: Vec<ImportFieldDto>,
}

#[derive(ApiResponse)]
enum ImportAccepted {
    /// The import; poll it until its state is `done` or `failed`.
    #[oai(status = 202)]
    Accepted(Json<ContractImportDto>),
}

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[oai(rename = "RejectedRowsFormat", rename_all = "lowercase")]
enum RejectedRowsFormat {
    Csv,
    Xlsx,
}

const CSV: &str = "text/csv; charset=utf-8";

/// The rejected rows as CSV or XLSX.
pub struct RejectedDownload(FileDownload);

impl IntoResponse for RejectedDownload {
    fn into_response(self) -> Response {
        let content_type = self.0.content_type.clone();
        let mut response = self.0.into_response();
        if let Ok(value) = HeaderValue::from_str(&content_type) {
            response.headers_mut().insert(header::CONTENT_TYPE, value);
        }
        response
    }
}

impl ApiResponse for RejectedDownload {
    fn meta() -> MetaResponses {
        MetaResponses {
            responses: vec![MetaResponse {
                description: "The rejected rows as in the file, with a last column «Fejl».",
                status: Some(200),
                status_range: None,
                content: [CSV, XLSX]
                    .into_iter()
                    .map(|content_type| MetaMediaType {
                        content_type,
                        schema: MetaSchemaRef::Inline(Box::new(MetaSchema::new_with_format(
                            "string", "binary",
                        ))),
                    })
                    .collect(),
                headers: vec![MetaHeader {
                    name: "Content-Disposition".into(),
                    description: Some("attachment, with the file's name".into()),
                    required: true,
                    deprecated: false,
                    schema: String::schema_ref(),
                }],
            }],
        }
    }

    fn register(_registry: &mut Registry) {}
}

fn upload_error(e: UploadError) -> ApiError {
    match e {
        UploadError::TooLarge => ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload-too-large",
            "Payload too large",
            Some("Filen er større end 20 MiB".to_owned()),
        ),
        UploadError::Unsupported(message) => ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported-media-type",
            "Unsupported media type",
            Some(message),
        ),
        UploadError::Domain(e) => e.into(),
    }
}

fn start(state: &AppState, auth: &BearerAuth, import: &ContractImport) {
    if import.state != "queued" {
        return;
    }
    let db = state.db.clone();
    let principal = auth.0.clone();
    let id = import.id;
    tokio::spawn(
        async move {
            if let Err(e) = import_jobs::process(&db, &principal, id).await {
                tracing::error!(error = %e, import = %id, "contract import could not run");
            }
        }
        .in_current_span(),
    );
}

#[OpenApi(prefix_path = "/contracts", tag = "ApiTags::Contracts")]
impl ImportsApi {
    /// Upload a contract register (CSV or XLSX, at most 20 MiB) to import.
    /// With mode `analyse` (the default) the answer tells the format, the
    /// header row and the columns with suggested fields; other modes run at
    /// once in the background with the given (or suggested) mapping.
    #[oai(
        path = "/imports",
        method = "post",
        operation_id = "createContractImport"
    )]
    async fn create(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        form: ImportUpload,
    ) -> ApiResult<ImportAccepted> {
        import_jobs::authorize(&auth.0)?;
        let options = form.options.map(|o| o.0).unwrap_or_default();
        let file_name = form.file.file_name().unwrap_or_default().to_owned();
        let bytes = form.file.into_vec().await.map_err(|e| {
            samudbud_domain::DomainError::invalid(
                "file",
                "unreadable",
                format!("the upload could not be read: {e}"),
            )
        })?;
        let created = import_jobs::create(
            &state.db,
            &auth.0,
            &file_name,
            bytes,
            options.sheet,
            options.mapping,
            options.mode.unwrap_or(ImportMode::Analyse).into(),
        )
        .await
        .map_err(upload_error)?;
        start(state.0, &auth, &created);
        Ok(ImportAccepted::Accepted(Json(created.into())))
    }

    /// An import: its state, progress, columns and, once done, the report.
    #[oai(
        path = "/imports/:id",
        method = "get",
        operation_id = "getContractImport"
    )]
    async fn get(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<Json<ContractImportDto>> {
        let found = import_jobs::get(&state.db, &auth.0, id.0).await?;
        Ok(Json(found.into()))
    }

    /// Run an uploaded register with a mode and a mapping, in the background.
    /// Refused (409) while a run is under way or once rows are imported.
    #[oai(
        path = "/imports/:id/run",
        method = "post",
        operation_id = "runContractImport"
    )]
    async fn run(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<Uuid>,
        body: Json<RunDto>,
    ) -> ApiResult<ImportAccepted> {
        let body = body.0;
        let queued =
            import_jobs::rerun(&state.db, &auth.0, id.0, body.mode.into(), body.mapping).await?;
        start(state.0, &auth, &queued);
        Ok(ImportAccepted::Accepted(Json(queued.into())))
    }

    /// The rows a run rejected, as in the file plus a column «Fejl» with the reasons.
    #[oai(
        path = "/imports/:id/rejected-rows",
        method = "get",
        operation_id = "downloadRejectedRows"
    )]
    async fn rejected(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<Uuid>,
        /// `xlsx` (the default) or `csv` (semicolons, UTF-8 with BOM).
        format: Query<Option<RejectedRowsFormat>>,
    ) -> ApiResult<RejectedDownload> {
        let (format, content_type) = match format.0.unwrap_or(RejectedRowsFormat::Xlsx) {
            RejectedRowsFormat::Csv => (RejectedFormat::Csv, CSV),
            RejectedRowsFormat::Xlsx => (RejectedFormat::Xlsx, XLSX),
        };
        let (filename, bytes) =
            import_jobs::rejected_rows(&state.db, &auth.0, id.0, format).await?;
        Ok(RejectedDownload(FileDownload {
            bytes,
            content_type: content_type.to_owned(),
            filename,
        }))
    }

    /// The municipality's last used import mapping, and the fields a column can be mapped to.
    #[oai(
        path = "/import-mapping",
        method = "get",
        operation_id = "getImportMapping"
    )]
    async fn mapping(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
    ) -> ApiResult<Json<ImportMappingDto>> {
        let mapping = import_jobs::get_mapping(&state.db, &auth.0).await?;
        let fields = samudbud_domain::contracts::columns::COLUMNS
            .iter()
            .map(|c| ImportFieldDto {
                key: c.key.to_owned(),
                header: c.header.to_owned(),
                required: samudbud_domain::contracts::import_rows::REQUIRED.contains(&c.key),
            })
            .collect();
        Ok(Json(ImportMappingDto { mapping, fields }))
    }
}
