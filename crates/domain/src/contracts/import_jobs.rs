//! Contract imports as jobs: an uploaded file is kept with what was found
//! in it (format, header row, columns with suggested fields); a run checks
//! or stores its rows in the background, with progress, and leaves a report
//! and the rejected rows to download. Each municipality's last used
//! mapping is kept and suggested next time.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, QueryFilter, Set};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::import::{Mode, Report, import_drafts};
use super::import_rows::{self, Mapping, Resolved};
use super::spreadsheet::{self, ColumnInfo, Format, Layout, ReadError, Table};
use crate::audit::{self, Change};
use crate::db::{Db, Scope, scoped, scoped_get, scoped_update};
use crate::entities::{contract_import, contract_import_mapping};
use crate::error::{DomainError, DomainResult, FieldError};
use crate::policy::Action;
use crate::principal::{Principal, TenantId};
use crate::systems::tenant_for;

pub const KIND: &str = "contract_import";

/// What was found in the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Analysis {
    pub format: Format,
    /// The header row's number in the file (from 1).
    pub header_row: usize,
    pub columns: Vec<ColumnInfo>,
    /// Data rows below the header (blank rows not counted).
    pub rows_total: usize,
}

/// An import as its user sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContractImport {
    pub id: Uuid,
    /// `queued`, `running`, `done` or `failed`.
    pub state: String,
    pub mode: Mode,
    pub file_name: String,
    pub analysis: Analysis,
    /// The mapping of the last run, or the suggested one.
    pub mapping: Mapping,
    pub rows_done: usize,
    pub rows_total: usize,
    pub report: Option<Report>,
    /// Why a run failed (state `failed`).
    pub failure: Option<String>,
    pub created_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    pub created_by: Option<Uuid>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Stored {
    #[serde(default)]
    report: Option<Report>,
    #[serde(default)]
    failure: Option<String>,
}

/// Why an upload is refused before it is stored.
#[derive(Debug)]
pub enum UploadError {
    /// Larger than `spreadsheet::MAX_BYTES` (413).
    TooLarge,
    /// Not CSV or XLSX (415).
    Unsupported(String),
    Domain(DomainError),
}

impl From<DomainError> for UploadError {
    fn from(e: DomainError) -> Self {
        UploadError::Domain(e)
    }
}

fn view(m: contract_import::Model) -> DomainResult<ContractImport> {
    let analysis: Analysis = m
        .analysis
        .clone()
        .map(serde_json::from_value)
        .transpose()
        .map_err(|e| DomainError::Internal(format!("stored analysis: {e}")))?
        .ok_or_else(|| DomainError::Internal("an import without its analysis".into()))?;
    let mapping: Mapping = m
        .mapping
        .clone()
        .map(serde_json::from_value)
        .transpose()
        .map_err(|e| DomainError::Internal(format!("stored mapping: {e}")))?
        .unwrap_or_default();
    let stored: Stored = m
        .report
        .clone()
        .map(serde_json::from_value)
        .transpose()
        .map_err(|e| DomainError::Internal(format!("stored report: {e}")))?
        .unwrap_or_default();
    Ok(ContractImport {
        id: m.id,
        state: m.state,
        mode: Mode::parse(&m.mode).unwrap_or(Mode::Analyse),
        file_name: m.file_name,
        analysis,
        mapping,
        rows_done: usize::try_from(m.rows_done).unwrap_or(0),
        rows_total: usize::try_from(m.rows_total).unwrap_or(0),
        report: stored.report,
        failure: stored.failure,
        created_at: m.created_at,
        finished_at: m.finished_at,
        created_by: m.created_by,
    })
}

fn json<T: Serialize>(value: &T) -> DomainResult<serde_json::Value> {
    serde_json::to_value(value).map_err(|e| DomainError::Internal(e.to_string()))
}

async fn saved_mapping<C: ConnectionTrait>(conn: &C, tenant: TenantId) -> DomainResult<Mapping> {
    Ok(scoped::<contract_import_mapping::Entity>(tenant)
        .one(conn)
        .await?
        .and_then(|m| serde_json::from_value(m.mapping).ok())
        .unwrap_or_default())
}

/// The municipality's last used mapping (header → field key).
pub async fn get_mapping(db: &Db, principal: &Principal) -> DomainResult<Mapping> {
    let tenant = tenant_for(principal, Action::WriteContracts)?;
    let txn = db.read(Scope::Tenant(tenant)).await?;
    saved_mapping(&txn, tenant).await
}

/// Whether the principal may import at all (checked before the upload is read).
pub fn authorize(principal: &Principal) -> DomainResult<()> {
    tenant_for(principal, Action::WriteContracts).map(|_| ())
}

fn read_file(
    file_name: &str,
    bytes: &[u8],
    sheet: Option<&str>,
) -> Result<(Table, usize, Layout), UploadError> {
    let table = spreadsheet::read(file_name, bytes, sheet).map_err(|e| match e {
        ReadError::Unsupported(message) => UploadError::Unsupported(message),
        ReadError::Unreadable(message) => {
            UploadError::Domain(DomainError::invalid("file", "unreadable", message))
        }
    })?;
    let header = spreadsheet::header_index(&table.rows).ok_or_else(|| {
        UploadError::Domain(DomainError::invalid(
            "file",
            "empty",
            "Filen har ingen rækker med data",
        ))
    })?;
    let layout = spreadsheet::layout(&table.rows, header);
    Ok((table, header, layout))
}

/// Stores an uploaded register with what was found in it. With `mode`
/// other than `Analyse` the mapping (given, or the suggested one) must be
/// complete, and the caller starts `process` for the returned import.
pub async fn create(
    db: &Db,
    principal: &Principal,
    file_name: &str,
    bytes: Vec<u8>,
    sheet: Option<String>,
    mapping: Option<Mapping>,
    mode: Mode,
) -> Result<ContractImport, UploadError> {
    let tenant = tenant_for(principal, Action::WriteContracts)?;
    if bytes.len() > spreadsheet::MAX_BYTES {
        return Err(UploadError::TooLarge);
    }
    let file_name: String = file_name.trim().chars().take(300).collect();
    let file_name = if file_name.is_empty() {
        "kontrakter".to_owned()
    } else {
        file_name
    };
    let (table, header, layout) = read_file(&file_name, &bytes, sheet.as_deref())?;
    let txn = db.write(Scope::Tenant(tenant)).await?;
    let saved = saved_mapping(&txn, tenant).await?;
    let suggested = import_rows::suggested_mapping(&layout, &saved);
    let mut columns = layout.columns.clone();
    for c in &mut columns {
        c.suggested_field = suggested.get(&c.header).cloned();
    }
    let rows_total = table.rows[header + 1..]
        .iter()
        .filter(|r| !r.is_blank())
        .count();
    let analysis = Analysis {
        format: table.format.clone(),
        header_row: layout.header_row,
        columns,
        rows_total,
    };
    let mapping = mapping.unwrap_or(suggested);
    if mode != Mode::Analyse {
        import_rows::resolve(&layout, &mapping).map_err(DomainError::Validation)?;
    }
    let now = Utc::now();
    let id = Uuid::new_v4();
    let size = i64::try_from(bytes.len()).unwrap_or(i64::MAX);
    let created = contract_import::ActiveModel {
        id: Set(id),
        tenant_id: Set(tenant.0),
        created_by: Set(principal.actor_id()),
        file_name: Set(file_name.clone()),
        content: Set(bytes),
        size_bytes: Set(size),
        state: Set(if mode == Mode::Analyse {
            "done"
        } else {
            "queued"
        }
        .into()),
        mode: Set(mode.code().into()),
        sheet: Set(table.format.sheet.clone()),
        mapping: Set(Some(json(&mapping)?)),
        analysis: Set(Some(json(&analysis)?)),
        rows_done: Set(0),
        rows_total: Set(i32::try_from(rows_total).unwrap_or(i32::MAX)),
        report: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        finished_at: Set((mode == Mode::Analyse).then_some(now)),
    }
    .insert(&txn)
    .await
    .map_err(DomainError::from)?;
    audit::record(
        &txn,
        principal,
        Some(tenant),
        Change {
            action: "contract_import.uploaded",
            object_kind: KIND,
            object_id: id,
            before: None,
            after: Some(serde_json::json!({
                "file_name": file_name,
                "size_bytes": size,
                "mode": mode.code(),
                "rows_total": rows_total,
            })),
        },
    )
    .await?;
    txn.commit().await.map_err(DomainError::from)?;
    Ok(view(created)?)
}

pub async fn get(db: &Db, principal: &Principal, id: Uuid) -> DomainResult<ContractImport> {
    let tenant = tenant_for(principal, Action::WriteContracts)?;
    let txn = db.read(Scope::Tenant(tenant)).await?;
    let found = scoped_get::<contract_import::Entity, _>(&txn, tenant, id).await?;
    view(found)
}

/// Runs an uploaded register again, with another mode or mapping. Refused
/// while a run is under way, and once rows have been imported.
pub async fn rerun(
    db: &Db,
    principal: &Principal,
    id: Uuid,
    mode: Mode,
    mapping: Option<Mapping>,
) -> DomainResult<ContractImport> {
    let tenant = tenant_for(principal, Action::WriteContracts)?;
    let txn = db.write(Scope::Tenant(tenant)).await?;
    let found = scoped_get::<contract_import::Entity, _>(&txn, tenant, id).await?;
    let current = view(found.clone())?;
    if matches!(current.state.as_str(), "queued" | "running") {
        return Err(DomainError::conflict(
            "Importen er i gang; vent til den er færdig",
        ));
    }
    if current.report.as_ref().is_some_and(|r| r.rows_imported > 0) {
        return Err(DomainError::conflict(
            "Filens kontrakter er allerede importeret; upload filen igen for en ny import",
        ));
    }
    if mode == Mode::Analyse {
        return Err(DomainError::invalid(
            "mode",
            "invalid",
            "Vælg dry_run, all_or_nothing eller valid_rows",
        ));
    }
    let mapping = mapping.unwrap_or(current.mapping.clone());
    let (_, _, layout) = read_file(&found.file_name, &found.content, found.sheet.as_deref())
        .map_err(|e| match e {
            UploadError::Domain(e) => e,
            UploadError::TooLarge | UploadError::Unsupported(_) => {
                DomainError::invalid("file", "unreadable", "Filen kan ikke længere læses")
            }
        })?;
    import_rows::resolve(&layout, &mapping).map_err(DomainError::Validation)?;
    let now = Utc::now();
    scoped_update::<contract_import::Entity>(tenant)
        .col_expr(contract_import::Column::State, Expr::value("queued"))
        .col_expr(contract_import::Column::Mode, Expr::value(mode.code()))
        .col_expr(
            contract_import::Column::Mapping,
            Expr::value(json(&mapping)?),
        )
        .col_expr(contract_import::Column::RowsDone, Expr::value(0))
        .col_expr(
            contract_import::Column::Report,
            Expr::value(Option::<serde_json::Value>::None),
        )
        .col_expr(contract_import::Column::UpdatedAt, Expr::value(now))
        .col_expr(
            contract_import::Column::FinishedAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .filter(contract_import::Column::Id.eq(id))
        .exec(&txn)
        .await?;
    let updated = scoped_get::<contract_import::Entity, _>(&txn, tenant, id).await?;
    txn.commit().await?;
    view(updated)
}

async fn set_state(
    db: &Db,
    tenant: TenantId,
    id: Uuid,
    state: &str,
    rows_done: Option<usize>,
    stored: Option<&Stored>,
) -> DomainResult<()> {
    let txn = db.write(Scope::Tenant(tenant)).await?;
    let now = Utc::now();
    let mut update = scoped_update::<contract_import::Entity>(tenant)
        .col_expr(contract_import::Column::State, Expr::value(state))
        .col_expr(contract_import::Column::UpdatedAt, Expr::value(now))
        .filter(contract_import::Column::Id.eq(id));
    if let Some(done) = rows_done {
        update = update.col_expr(
            contract_import::Column::RowsDone,
            Expr::value(i32::try_from(done).unwrap_or(i32::MAX)),
        );
    }
    if let Some(stored) = stored {
        update = update
            .col_expr(contract_import::Column::Report, Expr::value(json(stored)?))
            .col_expr(contract_import::Column::FinishedAt, Expr::value(Some(now)));
    }
    update.exec(&txn).await?;
    txn.commit().await?;
    Ok(())
}

/// Runs a queued import: checks (and, as its mode says, stores) the rows,
/// recording progress, then the report. Meant for a background task; a
/// failure is recorded on the import (state `failed`).
pub async fn process(db: &Db, principal: &Principal, id: Uuid) -> DomainResult<()> {
    let tenant = tenant_for(principal, Action::WriteContracts)?;
    let found = {
        let txn = db.read(Scope::Tenant(tenant)).await?;
        scoped_get::<contract_import::Entity, _>(&txn, tenant, id).await?
    };
    if found.state != "queued" {
        return Ok(());
    }
    set_state(db, tenant, id, "running", Some(0), None).await?;
    let outcome = run(db, principal, tenant, &found).await;
    match outcome {
        Ok(Some(report)) => {
            let total = report.rows_total;
            let stored = Stored {
                report: Some(report),
                failure: None,
            };
            set_state(db, tenant, id, "done", Some(total), Some(&stored)).await
        }
        // Stored by the import's own transaction.
        Ok(None) => Ok(()),
        Err(e) => {
            let failure = match &e {
                DomainError::Validation(errors) => errors
                    .iter()
                    .map(|e| e.message.clone())
                    .collect::<Vec<_>>()
                    .join("; "),
                DomainError::Conflict { message, .. } => message.clone(),
                other => {
                    tracing::error!(error = %other, import = %id, "contract import failed");
                    "Importen mislykkedes på grund af en fejl på serveren; intet er gemt".into()
                }
            };
            let stored = Stored {
                report: None,
                failure: Some(failure),
            };
            set_state(db, tenant, id, "failed", None, Some(&stored)).await
        }
    }
}

/// The report, or `None` when the import's transaction stored it.
async fn run(
    db: &Db,
    principal: &Principal,
    tenant: TenantId,
    found: &contract_import::Model,
) -> DomainResult<Option<Report>> {
    let mode = Mode::parse(&found.mode).unwrap_or(Mode::DryRun);
    let mapping: Mapping = found
        .mapping
        .clone()
        .and_then(|m| serde_json::from_value(m).ok())
        .unwrap_or_default();
    let (table, header, layout) =
        read_file(&found.file_name, &found.content, found.sheet.as_deref()).map_err(
            |e| match e {
                UploadError::Domain(e) => e,
                _ => DomainError::invalid("file", "unreadable", "Filen kan ikke læses"),
            },
        )?;
    let resolved = import_rows::resolve(&layout, &mapping).map_err(DomainError::Validation)?;
    let drafts = import_rows::drafts(&table.rows, header, &resolved);
    let id = found.id;
    let report = import_drafts(
        db,
        principal,
        drafts,
        &resolved,
        mode,
        Some(id),
        |done| async move {
            if let Err(e) = set_state(db, tenant, id, "running", Some(done), None).await {
                tracing::warn!(error = %e, "import progress not recorded");
            }
        },
    )
    .await?;
    Ok(match mode {
        Mode::AllOrNothing | Mode::ValidRows if report.rows_imported > 0 => None,
        _ => Some(report),
    })
}

/// Records a finished import in the transaction that stored its rows, and
/// keeps its mapping as the municipality's for next time.
pub(super) async fn finish_in<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    id: Uuid,
    report: &Report,
    resolved: &Resolved,
) -> DomainResult<()> {
    let now = Utc::now();
    let stored = Stored {
        report: Some(report.clone()),
        failure: None,
    };
    scoped_update::<contract_import::Entity>(tenant)
        .col_expr(contract_import::Column::State, Expr::value("done"))
        .col_expr(
            contract_import::Column::RowsDone,
            Expr::value(i32::try_from(report.rows_total).unwrap_or(i32::MAX)),
        )
        .col_expr(contract_import::Column::Report, Expr::value(json(&stored)?))
        .col_expr(contract_import::Column::UpdatedAt, Expr::value(now))
        .col_expr(contract_import::Column::FinishedAt, Expr::value(Some(now)))
        .filter(contract_import::Column::Id.eq(id))
        .exec(conn)
        .await?;
    let mapping = json(&resolved.mapping)?;
    if scoped::<contract_import_mapping::Entity>(tenant)
        .one(conn)
        .await?
        .is_some()
    {
        scoped_update::<contract_import_mapping::Entity>(tenant)
            .col_expr(
                contract_import_mapping::Column::Mapping,
                Expr::value(mapping),
            )
            .col_expr(contract_import_mapping::Column::UpdatedAt, Expr::value(now))
            .exec(conn)
            .await?;
    } else {
        contract_import_mapping::ActiveModel {
            id: Set(tenant.0),
            tenant_id: Set(tenant.0),
            mapping: Set(mapping),
            updated_by: Set(None),
            updated_at: Set(now),
        }
        .insert(conn)
        .await?;
    }
    Ok(())
}

/// A file of the rejected rows: the header row and each rejected row as
/// read, with a last column "Fejl" saying why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RejectedFormat {
    Csv,
    Xlsx,
}

pub async fn rejected_rows(
    db: &Db,
    principal: &Principal,
    id: Uuid,
    format: RejectedFormat,
) -> DomainResult<(String, Vec<u8>)> {
    let tenant = tenant_for(principal, Action::WriteContracts)?;
    let found = {
        let txn = db.read(Scope::Tenant(tenant)).await?;
        scoped_get::<contract_import::Entity, _>(&txn, tenant, id).await?
    };
    let current = view(found.clone())?;
    let Some(report) = current.report else {
        return Err(DomainError::conflict(
            "Importen har ingen rapport endnu; kør den først",
        ));
    };
    let (table, header, layout) =
        read_file(&found.file_name, &found.content, found.sheet.as_deref())
            .map_err(|_| DomainError::invalid("file", "unreadable", "Filen kan ikke læses"))?;
    let width = layout.columns.len();
    let mut lines: Vec<Vec<String>> = Vec::new();
    let mut head: Vec<String> = layout.columns.iter().map(|c| c.header.clone()).collect();
    head.push("Fejl".into());
    lines.push(head);
    let rejected: std::collections::HashSet<usize> = report.rejected_rows.iter().copied().collect();
    for row in table.rows[header + 1..]
        .iter()
        .filter(|r| rejected.contains(&r.number))
    {
        let mut cells: Vec<String> = (0..width).map(|i| row.cell(i).text()).collect();
        let reasons: Vec<String> = report
            .errors
            .iter()
            .filter(|e| e.row == row.number)
            .map(|e| {
                if e.column.is_empty() {
                    e.message.clone()
                } else {
                    format!("{}: {}", e.column, e.message)
                }
            })
            .collect();
        cells.push(if reasons.is_empty() {
            "Ikke importeret, fordi andre rækker havde fejl".into()
        } else {
            format!("Række {}: {}", row.number, reasons.join("; "))
        });
        lines.push(cells);
    }
    let stem = found
        .file_name
        .rsplit_once('.')
        .map_or(found.file_name.as_str(), |(stem, _)| stem)
        .to_owned();
    match format {
        RejectedFormat::Csv => {
            let mut writer = csv::WriterBuilder::new()
                .delimiter(b';')
                .from_writer(vec![0xEF, 0xBB, 0xBF]);
            for line in &lines {
                writer
                    .write_record(line)
                    .map_err(|e| DomainError::Internal(e.to_string()))?;
            }
            let bytes = writer
                .into_inner()
                .map_err(|e| DomainError::Internal(e.to_string()))?;
            Ok((format!("{stem} - afviste rækker.csv"), bytes))
        }
        RejectedFormat::Xlsx => {
            let mut book = rust_xlsxwriter::Workbook::new();
            let sheet = book.add_worksheet();
            let bold = rust_xlsxwriter::Format::new().set_bold();
            let xl = |e: rust_xlsxwriter::XlsxError| DomainError::Internal(e.to_string());
            sheet.set_name("Afviste rækker").map_err(xl)?;
            for (r, line) in lines.iter().enumerate() {
                for (c, value) in line.iter().enumerate() {
                    let (r, c) = (
                        u32::try_from(r).unwrap_or(u32::MAX),
                        u16::try_from(c).unwrap_or(u16::MAX),
                    );
                    if r == 0 {
                        sheet
                            .write_string_with_format(r, c, value, &bold)
                            .map_err(xl)?;
                    } else {
                        sheet.write_string(r, c, value).map_err(xl)?;
                    }
                }
            }
            sheet.set_freeze_panes(1, 0).map_err(xl)?;
            let bytes = book.save_to_buffer().map_err(xl)?;
            Ok((format!("{stem} - afviste rækker.xlsx"), bytes))
        }
    }
}

/// A field error for the `options` part of an upload.
pub fn options_error(message: impl Into<String>) -> DomainError {
    DomainError::Validation(vec![FieldError::new("options", "invalid", message)])
}
