//! A municipality's archive: its admins download it; platform operators
//! import one into this instance.

use std::collections::BTreeMap;

use poem::http::{HeaderValue, header};
use poem::web::Data;
use poem::{Body, IntoResponse, Response};
use poem_openapi::payload::{Binary, Json};
use poem_openapi::registry::{
    MetaHeader, MetaMediaType, MetaResponse, MetaResponses, MetaSchema, MetaSchemaRef, Registry,
};
use poem_openapi::types::Type;
use poem_openapi::{ApiResponse, Object, OpenApi};
use samudbud_domain::archive::{self, ImportReport};
use tokio::io::AsyncWriteExt;
use tokio::sync::mpsc;
use tracing::Instrument;
use uuid::Uuid;

use super::ApiTags;
use super::download::content_disposition;
use crate::problem::ApiResult;
use crate::security::BearerAuth;
use crate::state::AppState;

pub struct ArchiveApi;

const ZIP: &str = "application/zip";

/// The archive, streamed as it is written.
pub struct ArchiveDownload {
    filename: String,
    body: Body,
}

impl IntoResponse for ArchiveDownload {
    fn into_response(self) -> Response {
        let mut response = Response::builder().body(self.body);
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(ZIP));
        if let Ok(value) = HeaderValue::from_str(&content_disposition(&self.filename)) {
            headers.insert(header::CONTENT_DISPOSITION, value);
        }
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        response
    }
}

impl ApiResponse for ArchiveDownload {
    fn meta() -> MetaResponses {
        MetaResponses {
            responses: vec![MetaResponse {
                description: "The archive (ZIP), streamed as it is written.",
                status: Some(200),
                status_range: None,
                content: vec![MetaMediaType {
                    content_type: ZIP,
                    schema: MetaSchemaRef::Inline(Box::new(MetaSchema::new_with_format(
                        "string", "binary",
                    ))),
                }],
                headers: vec![MetaHeader {
                    name: "Content-Disposition".into(),
                    description: Some("attachment, with the archive's name".into()),
                    required: true,
                    deprecated: false,
                    schema: String::schema_ref(),
                }],
            }],
        }
    }

    fn register(_registry: &mut Registry) {}
}

/// What an import brought in: rows per table, shared rows that were
/// present already (suppliers, collaborations), attachment and spreadsheet
/// files, and notes on links left out.
#[derive(Object)]
#[oai(rename = "ArchiveImport")]
struct ArchiveImportDto {
    tenant_id: Uuid,
    municipality_code: String,
    municipality_name: String,
    rows: BTreeMap<String, u64>,
    reused: BTreeMap<String, u64>,
    files: u64,
    notes: Vec<String>,
}

impl From<ImportReport> for ArchiveImportDto {
    fn from(r: ImportReport) -> Self {
        Self {
            tenant_id: r.tenant_id,
            municipality_code: r.municipality_code,
            municipality_name: r.municipality_name,
            rows: r.rows,
            reused: r.reused,
            files: r.files,
            notes: r.notes,
        }
    }
}

#[derive(ApiResponse)]
enum ImportedResponse {
    #[oai(status = 201)]
    Created(Json<ArchiveImportDto>),
}

/// Removes the uploaded archive however the import ends.
struct TempFile(std::path::PathBuf);

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

#[OpenApi(tag = "ApiTags::Tenants")]
impl ArchiveApi {
    /// Download everything of the municipality in one ZIP archive
    /// (municipality admins): contracts, IT systems, the suppliers they name,
    /// attachments, shares, collaboration memberships, templates, tender
    /// plans, users (without passwords), API clients (without secrets) and
    /// the audit trail, as JSON with a JSON Schema per file, a manifest with
    /// SHA-256 checksums and a README in Danish and English.
    #[oai(
        path = "/tenant/archive",
        method = "get",
        operation_id = "exportMunicipalityArchive"
    )]
    async fn export(&self, state: Data<&AppState>, auth: BearerAuth) -> ApiResult<ArchiveDownload> {
        let tenant = archive::authorize_export(&auth.0)?;
        let code = samudbud_domain::tenants::own_tenant(&state.db, &auth.0)
            .await?
            .map(|t| t.municipality_code)
            .unwrap_or_else(|| tenant.0.to_string());
        let (tx, rx) = mpsc::channel(4);
        let db = state.db.clone();
        let principal = auth.0.clone();
        tokio::spawn(
            async move {
                if let Err(e) = archive::export_archive(&db, &principal, tx.clone()).await {
                    tracing::warn!(error = %e, "the municipality's archive stopped");
                    let _ = tx.send(Err(std::io::Error::other(e.to_string()))).await;
                }
            }
            .in_current_span(),
        );
        Ok(ArchiveDownload {
            filename: format!("samudbud-{code}.zip"),
            body: Body::from_bytes_stream(futures::stream::unfold(rx, |mut rx| async move {
                rx.recv().await.map(|item| (item, rx))
            })),
        })
    }

    /// Import a municipality's archive into this instance (platform
    /// operators). Every file is checked against the manifest, and the
    /// municipality code and every id against this instance, before
    /// anything is written: a conflict answers 409 and changes nothing.
    /// Archives larger than the request size limit go through
    /// `samudbud tenant import`.
    #[oai(
        path = "/tenants/import",
        method = "post",
        operation_id = "importMunicipalityArchive"
    )]
    async fn import(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        body: Binary<Body>,
    ) -> ApiResult<ImportedResponse> {
        samudbud_domain::policy::authorize(
            &auth.0,
            samudbud_domain::policy::Action::ManageTenants,
        )?;
        let path = std::env::temp_dir().join(format!("samudbud-import-{}.zip", Uuid::new_v4()));
        let _cleanup = TempFile(path.clone());
        let mut file = tokio::fs::File::create(&path)
            .await
            .map_err(|e| samudbud_domain::DomainError::Internal(e.to_string()))?;
        let mut reader = body.0.into_async_read();
        tokio::io::copy(&mut reader, &mut file).await.map_err(|e| {
            samudbud_domain::DomainError::invalid("archive", "unreadable", e.to_string())
        })?;
        file.flush()
            .await
            .map_err(|e| samudbud_domain::DomainError::Internal(e.to_string()))?;
        drop(file);
        let report = archive::import_archive(&state.db, &auth.0, &path).await?;
        tracing::info!(tenant = %report.tenant_id, "a municipality's archive was imported");
        Ok(ImportedResponse::Created(Json(report.into())))
    }
}
