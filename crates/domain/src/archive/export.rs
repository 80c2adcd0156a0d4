//! Writing the archive as a stream of ZIP bytes.

use std::io::{self, Write};
use std::sync::{Arc, Mutex};

use futures::TryStreamExt;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, Iterable, PrimaryKeyToColumn, QueryFilter,
    QueryOrder, Select,
};
use serde::Serialize;
use sha2::{Digest, Sha256};
use tokio::sync::mpsc::Sender;
use uuid::Uuid;
use zip::write::{SimpleFileOptions, StreamWriter};
use zip::{CompressionMethod, ZipWriter};

use super::{FORMAT_NAME, FORMAT_VERSION, Manifest, ManifestFile, README, TABLES, row_schema};
use crate::db::{Db, platform, platform_by_id, scoped};
use crate::entities::{
    api_client, attachment, audit_event, collaboration, collaboration_member, contract,
    contract_decision, contract_import, contract_import_mapping, contract_system,
    contract_template, digest_delivery, it_system, planned_tender, reminder_setting, saved_view,
    share, supplier, template, template_version, tenant, tender_invitation, tender_milestone,
    tender_participation, tender_plan, user,
};
use crate::error::{DomainError, DomainResult};
use crate::policy::{Action, authorize};
use crate::principal::{Principal, TenantId};

/// Bytes are sent on once this many have gathered.
const CHUNK: usize = 256 * 1024;

/// A `Write` whose bytes the archive writer takes out between entries.
#[derive(Clone, Default)]
struct Shared(Arc<Mutex<Vec<u8>>>);

impl Shared {
    fn take(&self) -> Vec<u8> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(|e| e.into_inner()))
    }
    fn len(&self) -> usize {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).len()
    }
}

impl Write for Shared {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

struct ArchiveWriter {
    zip: ZipWriter<StreamWriter<Shared>>,
    out: Shared,
    tx: Sender<io::Result<Vec<u8>>>,
    files: Vec<ManifestFile>,
    current: Option<(String, Sha256, u64)>,
}

fn zip_error(e: zip::result::ZipError) -> DomainError {
    DomainError::Internal(format!("writing the archive: {e}"))
}

fn io_error(e: io::Error) -> DomainError {
    DomainError::Internal(format!("writing the archive: {e}"))
}

impl ArchiveWriter {
    fn new(tx: Sender<io::Result<Vec<u8>>>) -> Self {
        let out = Shared::default();
        Self {
            zip: ZipWriter::new_stream(out.clone()),
            out,
            tx,
            files: Vec::new(),
            current: None,
        }
    }

    fn start(&mut self, path: &str, compress: bool) -> DomainResult<()> {
        let options = SimpleFileOptions::default()
            .compression_method(if compress {
                CompressionMethod::Deflated
            } else {
                CompressionMethod::Stored
            })
            .last_modified_time(zip::DateTime::default())
            .unix_permissions(0o644);
        self.zip.start_file(path, options).map_err(zip_error)?;
        self.current = Some((path.to_owned(), Sha256::new(), 0));
        Ok(())
    }

    fn write(&mut self, bytes: &[u8]) -> DomainResult<()> {
        if let Some((_, hash, size)) = &mut self.current {
            hash.update(bytes);
            *size += bytes.len() as u64;
        }
        self.zip.write_all(bytes).map_err(io_error)
    }

    fn end(&mut self) {
        if let Some((path, hash, size)) = self.current.take() {
            self.files.push(ManifestFile {
                path,
                size,
                sha256: hex(&hash.finalize()),
            });
        }
    }

    /// Sends what has gathered once it is a chunk's worth (`force`: any).
    async fn pump(&mut self, force: bool) -> DomainResult<()> {
        if self.out.len() >= CHUNK || (force && self.out.len() > 0) {
            let bytes = self.out.take();
            self.tx
                .send(Ok(bytes))
                .await
                .map_err(|_| DomainError::Internal("the archive's reader went away".into()))?;
        }
        Ok(())
    }

    async fn whole_file(&mut self, path: &str, bytes: &[u8]) -> DomainResult<()> {
        self.start(path, true)?;
        self.write(bytes)?;
        self.end();
        self.pump(false).await
    }
}

pub(super) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Writes `select`'s rows, ordered by primary key, as `data/<name>.json`.
async fn rows<E, C>(
    w: &mut ArchiveWriter,
    conn: &C,
    name: &str,
    select: Select<E>,
) -> DomainResult<()>
where
    E: EntityTrait,
    E::Model: Serialize + Sync,
    C: ConnectionTrait + sea_orm::StreamTrait,
{
    let mut select = select;
    for key in E::PrimaryKey::iter() {
        select = select.order_by_asc(key.into_column());
    }
    w.start(&format!("data/{name}.json"), true)?;
    w.write(b"[")?;
    let mut first = true;
    {
        let mut stream = select.stream(conn).await?;
        while let Some(model) = stream.try_next().await? {
            let line = serde_json::to_string(&model)
                .map_err(|e| DomainError::Internal(format!("serialising a row: {e}")))?;
            w.write(if first { b"\n" } else { b",\n" })?;
            w.write(line.as_bytes())?;
            first = false;
            w.pump(false).await?;
        }
    }
    w.write(b"\n]\n")?;
    w.end();
    w.pump(false).await
}

/// Writes the municipality's archive to `tx`, chunk by chunk. Admins only.
/// On an error the channel gets no further bytes: the caller ends the
/// download as failed.
pub async fn export_archive(
    db: &Db,
    principal: &Principal,
    tx: Sender<io::Result<Vec<u8>>>,
) -> DomainResult<()> {
    let tenant_id = authorize_export(principal)?;
    write_archive(db, tenant_id, tx).await
}

/// Writes a municipality's archive for the machine's own operator at the
/// command line (`samudbud tenant export`); operators through the API see
/// no municipality's data and cannot.
pub async fn export_archive_at_console(
    db: &Db,
    principal: &Principal,
    tenant: TenantId,
    tx: Sender<io::Result<Vec<u8>>>,
) -> DomainResult<()> {
    authorize(principal, Action::ManageTenants)?;
    if *principal != Principal::Console {
        return Err(DomainError::Forbidden(
            "operators export a municipality at the command line only",
        ));
    }
    write_archive(db, tenant, tx).await
}

/// The municipality whose archive `principal` may download, if any: asked
/// before a download starts, so that a refusal is an answer of its own.
pub fn authorize_export(principal: &Principal) -> DomainResult<TenantId> {
    match authorize(principal, Action::ExportMunicipality)? {
        crate::db::Scope::Tenant(tenant_id) => Ok(tenant_id),
        crate::db::Scope::System => Err(DomainError::Forbidden(
            "only a municipality's admins export it",
        )),
    }
}

async fn write_archive(db: &Db, t: TenantId, tx: Sender<io::Result<Vec<u8>>>) -> DomainResult<()> {
    let txn = db.read(crate::db::Scope::Tenant(t)).await?;
    let municipality = platform_by_id::<tenant::Entity, _>(t.0)
        .one(&txn)
        .await?
        .ok_or(DomainError::NotFound)?;
    let mut w = ArchiveWriter::new(tx);
    w.whole_file("README.md", README.as_bytes()).await?;
    for info in TABLES {
        let schema = serde_json::to_string_pretty(&row_schema(info))
            .map_err(|e| DomainError::Internal(e.to_string()))?;
        w.whole_file(
            &format!("schemas/{}.schema.json", info.name),
            format!("{schema}\n").as_bytes(),
        )
        .await?;
    }

    let memberships = Query::select()
        .column(collaboration_member::Column::CollaborationId)
        .from(collaboration_member::Entity)
        .and_where(Expr::col(collaboration_member::Column::TenantId).eq(t.0))
        .to_owned();
    let contract_suppliers = Query::select()
        .column(contract::Column::SupplierId)
        .from(contract::Entity)
        .and_where(Expr::col(contract::Column::TenantId).eq(t.0))
        .to_owned();
    let system_suppliers = Query::select()
        .column(it_system::Column::SupplierId)
        .from(it_system::Entity)
        .and_where(Expr::col(it_system::Column::TenantId).eq(t.0))
        .to_owned();

    for info in TABLES {
        let c = &txn;
        match info.name {
            "tenants" => {
                rows(
                    &mut w,
                    c,
                    info.name,
                    platform_by_id::<tenant::Entity, _>(t.0),
                )
                .await?
            }
            "suppliers" => {
                let select = platform::<supplier::Entity>().filter(
                    sea_orm::Condition::any()
                        .add(supplier::Column::Id.in_subquery(contract_suppliers.clone()))
                        .add(supplier::Column::Id.in_subquery(system_suppliers.clone())),
                );
                rows(&mut w, c, info.name, select).await?
            }
            "collaborations" => {
                let select = platform::<collaboration::Entity>()
                    .filter(collaboration::Column::Id.in_subquery(memberships.clone()));
                rows(&mut w, c, info.name, select).await?
            }
            "collaboration_members" => {
                let select = platform::<collaboration_member::Entity>()
                    .filter(collaboration_member::Column::TenantId.eq(t.0));
                rows(&mut w, c, info.name, select).await?
            }
            "users" => rows(&mut w, c, info.name, scoped::<user::Entity>(t)).await?,
            "it_systems" => rows(&mut w, c, info.name, scoped::<it_system::Entity>(t)).await?,
            "contracts" => rows(&mut w, c, info.name, scoped::<contract::Entity>(t)).await?,
            "contract_systems" => {
                rows(&mut w, c, info.name, scoped::<contract_system::Entity>(t)).await?
            }
            "attachments" => rows(&mut w, c, info.name, scoped::<attachment::Entity>(t)).await?,
            "contract_decisions" => {
                rows(&mut w, c, info.name, scoped::<contract_decision::Entity>(t)).await?
            }
            "templates" => rows(&mut w, c, info.name, scoped::<template::Entity>(t)).await?,
            "template_versions" => {
                rows(&mut w, c, info.name, scoped::<template_version::Entity>(t)).await?
            }
            "contract_templates" => {
                rows(&mut w, c, info.name, scoped::<contract_template::Entity>(t)).await?
            }
            "shares" => rows(&mut w, c, info.name, scoped::<share::Entity>(t)).await?,
            "tender_plans" => rows(&mut w, c, info.name, scoped::<tender_plan::Entity>(t)).await?,
            "planned_tenders" => {
                rows(&mut w, c, info.name, scoped::<planned_tender::Entity>(t)).await?
            }
            "tender_milestones" => {
                rows(&mut w, c, info.name, scoped::<tender_milestone::Entity>(t)).await?
            }
            "tender_invitations" => {
                rows(&mut w, c, info.name, scoped::<tender_invitation::Entity>(t)).await?
            }
            "tender_participations" => {
                rows(
                    &mut w,
                    c,
                    info.name,
                    scoped::<tender_participation::Entity>(t),
                )
                .await?
            }
            "api_clients" => rows(&mut w, c, info.name, scoped::<api_client::Entity>(t)).await?,
            "saved_views" => rows(&mut w, c, info.name, scoped::<saved_view::Entity>(t)).await?,
            "reminder_settings" => {
                rows(&mut w, c, info.name, scoped::<reminder_setting::Entity>(t)).await?
            }
            "digest_deliveries" => {
                rows(&mut w, c, info.name, scoped::<digest_delivery::Entity>(t)).await?
            }
            "contract_imports" => {
                rows(&mut w, c, info.name, scoped::<contract_import::Entity>(t)).await?
            }
            "contract_import_mappings" => {
                rows(
                    &mut w,
                    c,
                    info.name,
                    scoped::<contract_import_mapping::Entity>(t),
                )
                .await?
            }
            "audit_events" => rows(&mut w, c, info.name, scoped::<audit_event::Entity>(t)).await?,
            other => {
                return Err(DomainError::Internal(format!(
                    "the archive table {other} has no export"
                )));
            }
        }
    }

    // The bytes, one row at a time, so that memory holds one file at most.
    {
        let mut stream = scoped::<attachment::Entity>(t)
            .order_by_asc(attachment::Column::Id)
            .stream(&txn)
            .await?;
        while let Some(row) = stream.try_next().await? {
            file(&mut w, "attachments", row.id, &row.content).await?;
        }
    }
    {
        let mut stream = scoped::<contract_import::Entity>(t)
            .order_by_asc(contract_import::Column::Id)
            .stream(&txn)
            .await?;
        while let Some(row) = stream.try_next().await? {
            file(&mut w, "contract_imports", row.id, &row.content).await?;
        }
    }
    txn.commit().await?;

    let manifest = Manifest {
        format: FORMAT_NAME.to_owned(),
        format_version: FORMAT_VERSION,
        tenant_id: municipality.id,
        municipality_code: municipality.municipality_code,
        municipality_name: municipality.name,
        files: std::mem::take(&mut w.files),
    };
    let text = serde_json::to_string_pretty(&manifest)
        .map_err(|e| DomainError::Internal(e.to_string()))?;
    w.whole_file("manifest.json", format!("{text}\n").as_bytes())
        .await?;
    let ArchiveWriter { zip, tx, .. } = w;
    let out = zip.finish().map_err(zip_error)?.into_inner();
    let rest = out.take();
    if !rest.is_empty() {
        tx.send(Ok(rest))
            .await
            .map_err(|_| DomainError::Internal("the archive's reader went away".into()))?;
    }
    Ok(())
}

async fn file(w: &mut ArchiveWriter, table: &str, id: Uuid, bytes: &[u8]) -> DomainResult<()> {
    w.start(&format!("files/{table}/{id}"), false)?;
    for chunk in bytes.chunks(CHUNK) {
        w.write(chunk)?;
        w.pump(false).await?;
    }
    w.end();
    w.pump(false).await
}
