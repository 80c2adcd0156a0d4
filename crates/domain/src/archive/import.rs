//! Reading an archive back into an instance: every check first, then every
//! row in one transaction, so that a refused or failed import changes
//! nothing.

use std::collections::{BTreeMap, HashSet};
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, IntoActiveModel, QueryFilter,
    Statement,
};
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};
use tokio::sync::mpsc;
use uuid::Uuid;
use zip::ZipArchive;

use super::export::hex;
use super::{FORMAT_NAME, FORMAT_VERSION, Manifest, TABLES};
use crate::auth::password::hash_password;
use crate::db::{Db, Scope, platform_by_id, scoped_update};
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

/// Rows per insert statement.
const BATCH_ROWS: usize = 200;
/// Bytes of files per batch.
const BATCH_BYTES: usize = 16 * 1024 * 1024;
/// Conflicting ids named in a refusal, per table.
const SHOWN_CONFLICTS: usize = 5;

/// What an import brought in.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ImportReport {
    pub tenant_id: Uuid,
    pub municipality_code: String,
    pub municipality_name: String,
    /// Rows inserted per table (shared suppliers and collaborations already
    /// present are counted under `reused`).
    pub rows: BTreeMap<String, u64>,
    pub reused: BTreeMap<String, u64>,
    pub files: u64,
    pub notes: Vec<String>,
}

fn bad(message: impl Into<String>) -> DomainError {
    DomainError::invalid("archive", "invalid_archive", message)
}

fn zip_bad(e: zip::result::ZipError) -> DomainError {
    bad(format!("not a readable ZIP archive: {e}"))
}

/// What the first pass learns: the manifest and each table's ids.
struct Survey {
    tenant: tenant::Model,
    ids: BTreeMap<&'static str, Vec<Uuid>>,
}

fn open(path: &Path) -> DomainResult<ZipArchive<File>> {
    let file = File::open(path).map_err(|e| bad(format!("cannot open {}: {e}", path.display())))?;
    ZipArchive::new(file).map_err(zip_bad)
}

/// The lines of `data/<table>.json` that hold rows.
fn for_each_row(
    archive: &mut ZipArchive<File>,
    table: &str,
    mut each: impl FnMut(String) -> DomainResult<()>,
) -> DomainResult<()> {
    let name = format!("data/{table}.json");
    let entry = archive
        .by_name(&name)
        .map_err(|_| bad(format!("{name} is missing")))?;
    let mut lines = BufReader::new(entry).lines();
    let first = lines.next().transpose().map_err(|e| bad(e.to_string()))?;
    if first.as_deref() != Some("[") {
        return Err(bad(format!("{name} does not start with a JSON array")));
    }
    for line in lines {
        let line = line.map_err(|e| bad(format!("{name}: {e}")))?;
        if line == "]" {
            return Ok(());
        }
        let row = line.strip_suffix(',').unwrap_or(&line);
        each(row.to_owned())?;
    }
    Err(bad(format!("{name} ends before its array does")))
}

fn survey(path: &Path) -> DomainResult<Survey> {
    let mut archive = open(path)?;
    let manifest: Manifest = {
        let entry = archive
            .by_name("manifest.json")
            .map_err(|_| bad("manifest.json is missing"))?;
        serde_json::from_reader(entry).map_err(|e| bad(format!("manifest.json: {e}")))?
    };
    if manifest.format != FORMAT_NAME || manifest.format_version != FORMAT_VERSION {
        return Err(bad(format!(
            "the archive's format is {} {}; this instance reads {FORMAT_NAME} {FORMAT_VERSION}",
            manifest.format, manifest.format_version
        )));
    }
    let listed: HashSet<&str> = manifest.files.iter().map(|f| f.path.as_str()).collect();
    for index in 0..archive.len() {
        let name = archive.by_index(index).map_err(zip_bad)?.name().to_owned();
        if name != "manifest.json" && !listed.contains(name.as_str()) {
            return Err(bad(format!("{name} is not in the manifest")));
        }
    }
    for file in &manifest.files {
        let mut entry = archive.by_name(&file.path).map_err(|_| {
            bad(format!(
                "{} is in the manifest but not in the archive",
                file.path
            ))
        })?;
        let mut hash = Sha256::new();
        let mut size = 0u64;
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let n = entry
                .read(&mut buf)
                .map_err(|e| bad(format!("{}: {e}", file.path)))?;
            if n == 0 {
                break;
            }
            hash.update(&buf[..n]);
            size += n as u64;
        }
        if size != file.size || hex(&hash.finalize()) != file.sha256 {
            return Err(bad(format!(
                "{} does not match its checksum in the manifest",
                file.path
            )));
        }
    }
    let mut ids = BTreeMap::new();
    let mut tenant_row = None;
    for info in TABLES {
        let mut table_ids = Vec::new();
        for_each_row(&mut archive, info.name, |line| {
            let row: serde_json::Value = serde_json::from_str(&line)
                .map_err(|e| bad(format!("data/{}.json: {e}", info.name)))?;
            if info.name == "tenants" {
                tenant_row = Some(
                    serde_json::from_value::<tenant::Model>(row.clone())
                        .map_err(|e| bad(format!("data/tenants.json: {e}")))?,
                );
            }
            if let Some(id) = row.get("id").and_then(|v| v.as_str()) {
                table_ids.push(
                    id.parse()
                        .map_err(|_| bad(format!("data/{}.json: id {id}", info.name)))?,
                );
            }
            Ok(())
        })?;
        ids.insert(info.name, table_ids);
    }
    let tenant = tenant_row.ok_or_else(|| bad("data/tenants.json holds no municipality"))?;
    if tenant.id != manifest.tenant_id {
        return Err(bad(
            "the manifest and data/tenants.json name different municipalities",
        ));
    }
    Ok(Survey { tenant, ids })
}

/// Ids of `table` among `ids` that the database holds already.
async fn present<C: ConnectionTrait>(
    conn: &C,
    table: &str,
    ids: &[Uuid],
) -> DomainResult<HashSet<Uuid>> {
    let mut found = HashSet::new();
    for chunk in ids.chunks(500) {
        let query = Query::select()
            .column(Alias::new("id"))
            .from(Alias::new(table))
            .and_where(Expr::col(Alias::new("id")).is_in(chunk.iter().copied()))
            .to_owned();
        let statement: Statement = conn.get_database_backend().build(&query);
        for row in conn.query_all_raw(statement).await? {
            found.insert(row.try_get::<Uuid>("", "id")?);
        }
    }
    Ok(found)
}

/// Shared tables: rows already present are reused, not conflicts.
const SHARED: &[&str] = &["suppliers", "collaborations"];

/// One batch of rows of a table, each with its file's bytes if it has one.
struct Batch {
    table: &'static str,
    rows: Vec<(String, Option<Vec<u8>>)>,
}

fn read_batches(path: PathBuf, tx: mpsc::Sender<DomainResult<Batch>>) {
    let result = (|| -> DomainResult<()> {
        let mut archive = open(&path)?;
        for info in TABLES {
            let send = |rows: Vec<(String, Option<Vec<u8>>)>| {
                tx.blocking_send(Ok(Batch {
                    table: info.name,
                    rows,
                }))
                .map_err(|_| DomainError::Internal("the import stopped".into()))
            };
            if !info.has_files {
                let mut batch = Vec::new();
                for_each_row(&mut archive, info.name, |line| {
                    batch.push((line, None));
                    if batch.len() >= BATCH_ROWS {
                        send(std::mem::take(&mut batch))?;
                    }
                    Ok(())
                })?;
                if !batch.is_empty() {
                    send(batch)?;
                }
                continue;
            }
            // Rows with files: the rows first (small), then one batch of
            // bytes at a time.
            let mut lines = Vec::new();
            for_each_row(&mut archive, info.name, |line| {
                lines.push(line);
                Ok(())
            })?;
            let mut batch = Vec::new();
            let mut bytes = 0usize;
            for line in lines {
                let row: serde_json::Value =
                    serde_json::from_str(&line).map_err(|e| bad(e.to_string()))?;
                let id = row.get("id").and_then(|v| v.as_str()).unwrap_or_default();
                let name = format!("files/{}/{id}", info.name);
                let mut entry = archive
                    .by_name(&name)
                    .map_err(|_| bad(format!("{name} is missing")))?;
                let mut content = Vec::new();
                entry
                    .read_to_end(&mut content)
                    .map_err(|e| bad(format!("{name}: {e}")))?;
                bytes += content.len();
                batch.push((line, Some(content)));
                if batch.len() >= BATCH_ROWS || bytes >= BATCH_BYTES {
                    send(std::mem::take(&mut batch))?;
                    bytes = 0;
                }
            }
            if !batch.is_empty() {
                send(batch)?;
            }
        }
        Ok(())
    })();
    if let Err(e) = result {
        let _ = tx.blocking_send(Err(e));
    }
}

/// How a row is adjusted on its way in.
struct Fixes<'a> {
    password_hash: &'a str,
    skip: &'a HashSet<Uuid>,
}

async fn insert<E>(
    txn: &DatabaseTransaction,
    table: &str,
    rows: Vec<(String, Option<Vec<u8>>)>,
    mut fix: impl FnMut(&mut E::Model, Option<Vec<u8>>) -> bool,
) -> DomainResult<(u64, u64)>
where
    E: EntityTrait,
    E::Model: DeserializeOwned + IntoActiveModel<E::ActiveModel>,
{
    let mut models = Vec::with_capacity(rows.len());
    let mut skipped = 0;
    for (line, file) in rows {
        let mut model: E::Model =
            serde_json::from_str(&line).map_err(|e| bad(format!("data/{table}.json: {e}")))?;
        if fix(&mut model, file) {
            models.push(model.into_active_model());
        } else {
            skipped += 1;
        }
    }
    let inserted = models.len() as u64;
    if !models.is_empty() {
        E::insert_many(models).exec_without_returning(txn).await?;
    }
    Ok((inserted, skipped))
}

fn keep<M>(_: &mut M, _: Option<Vec<u8>>) -> bool {
    true
}

async fn insert_batch(
    txn: &DatabaseTransaction,
    batch: Batch,
    fixes: &Fixes<'_>,
    links: &mut Vec<(&'static str, Uuid, Uuid)>,
) -> DomainResult<(u64, u64)> {
    let t = batch.table;
    let rows = batch.rows;
    match t {
        "tenants" => insert::<tenant::Entity>(txn, t, rows, keep).await,
        "suppliers" => {
            insert::<supplier::Entity>(txn, t, rows, |m, _| !fixes.skip.contains(&m.id)).await
        }
        "collaborations" => {
            insert::<collaboration::Entity>(txn, t, rows, |m, _| !fixes.skip.contains(&m.id)).await
        }
        "users" => {
            insert::<user::Entity>(txn, t, rows, |m, _| {
                m.password_hash = fixes.password_hash.to_owned();
                true
            })
            .await
        }
        "collaboration_members" => insert::<collaboration_member::Entity>(txn, t, rows, keep).await,
        "it_systems" => insert::<it_system::Entity>(txn, t, rows, keep).await,
        "contracts" => {
            insert::<contract::Entity>(txn, t, rows, |m, _| {
                if let Some(parent) = m.parent_id.take() {
                    links.push(("contracts", m.id, parent));
                }
                true
            })
            .await
        }
        "contract_systems" => insert::<contract_system::Entity>(txn, t, rows, keep).await,
        "attachments" => {
            insert::<attachment::Entity>(txn, t, rows, |m, file| {
                m.content = file.unwrap_or_default();
                true
            })
            .await
        }
        "contract_decisions" => insert::<contract_decision::Entity>(txn, t, rows, keep).await,
        "templates" => {
            insert::<template::Entity>(txn, t, rows, |m, _| {
                if let Some(origin) = m.origin_template_id.take() {
                    links.push(("templates", m.id, origin));
                }
                true
            })
            .await
        }
        "template_versions" => insert::<template_version::Entity>(txn, t, rows, keep).await,
        "contract_templates" => insert::<contract_template::Entity>(txn, t, rows, keep).await,
        "shares" => insert::<share::Entity>(txn, t, rows, keep).await,
        "tender_plans" => insert::<tender_plan::Entity>(txn, t, rows, keep).await,
        "planned_tenders" => insert::<planned_tender::Entity>(txn, t, rows, keep).await,
        "tender_milestones" => insert::<tender_milestone::Entity>(txn, t, rows, keep).await,
        "tender_invitations" => insert::<tender_invitation::Entity>(txn, t, rows, keep).await,
        "tender_participations" => insert::<tender_participation::Entity>(txn, t, rows, keep).await,
        "api_clients" => {
            // Without the secret's hash no secret matches: the
            // municipality's admins rotate the secrets they still need.
            insert::<api_client::Entity>(txn, t, rows, |m, _| {
                m.secret_hash = String::new();
                true
            })
            .await
        }
        "saved_views" => insert::<saved_view::Entity>(txn, t, rows, keep).await,
        "reminder_settings" => insert::<reminder_setting::Entity>(txn, t, rows, keep).await,
        "digest_deliveries" => insert::<digest_delivery::Entity>(txn, t, rows, keep).await,
        "contract_imports" => {
            insert::<contract_import::Entity>(txn, t, rows, |m, file| {
                m.content = file.unwrap_or_default();
                true
            })
            .await
        }
        "contract_import_mappings" => {
            insert::<contract_import_mapping::Entity>(txn, t, rows, keep).await
        }
        "audit_events" => insert::<audit_event::Entity>(txn, t, rows, keep).await,
        other => Err(bad(format!("data/{other}.json has no import"))),
    }
}

/// Imports the archive at `path` as a new municipality (operators only).
/// Every file is checked against the manifest and every id against the
/// database before anything is written; a municipality code or an id that
/// is present already refuses the import with the list of them.
pub async fn import_archive(
    db: &Db,
    principal: &Principal,
    path: &Path,
) -> DomainResult<ImportReport> {
    authorize(principal, Action::ManageTenants)?;
    let owned = path.to_owned();
    let survey = tokio::task::spawn_blocking(move || survey(&owned))
        .await
        .map_err(|e| DomainError::Internal(e.to_string()))??;

    let txn = db.write(Scope::System).await?;
    let mut conflicts = Vec::new();
    if platform_by_id::<tenant::Entity, _>(survey.tenant.id)
        .one(&txn)
        .await?
        .is_some()
    {
        conflicts.push(format!("the municipality {} exists", survey.tenant.id));
    }
    if crate::db::platform::<tenant::Entity>()
        .filter(tenant::Column::MunicipalityCode.eq(survey.tenant.municipality_code.clone()))
        .one(&txn)
        .await?
        .is_some()
    {
        conflicts.push(format!(
            "a municipality with the code {} exists",
            survey.tenant.municipality_code
        ));
    }
    let mut reusable = HashSet::new();
    let mut reused = BTreeMap::new();
    for (table, ids) in &survey.ids {
        if *table == "tenants" {
            continue;
        }
        let found = present(&txn, table, ids).await?;
        if found.is_empty() {
            continue;
        }
        if SHARED.contains(table) {
            reused.insert((*table).to_owned(), found.len() as u64);
            reusable.extend(found);
        } else {
            let mut shown: Vec<String> = found.iter().map(Uuid::to_string).collect();
            shown.sort();
            let more = shown.len().saturating_sub(SHOWN_CONFLICTS);
            shown.truncate(SHOWN_CONFLICTS);
            conflicts.push(format!(
                "{table}: {} id(s) exist: {}{}",
                found.len(),
                shown.join(", "),
                if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                }
            ));
        }
    }
    if !conflicts.is_empty() {
        txn.rollback().await?;
        return Err(DomainError::conflict(format!(
            "nothing was imported: {}",
            conflicts.join("; ")
        )));
    }

    // Imported people have no password anyone knows until one is set.
    let unknowable = Uuid::new_v4().to_string() + &Uuid::new_v4().to_string();
    let password_hash = hash_password(unknowable).await?;
    let fixes = Fixes {
        password_hash: &password_hash,
        skip: &reusable,
    };
    let (tx, mut rx) = mpsc::channel(2);
    let owned = path.to_owned();
    let reader = tokio::task::spawn_blocking(move || read_batches(owned, tx));
    let mut rows: BTreeMap<String, u64> = BTreeMap::new();
    let mut files = 0;
    let mut links = Vec::new();
    while let Some(batch) = rx.recv().await {
        let batch = batch?;
        let table = batch.table;
        let with_files = batch.rows.iter().filter(|(_, f)| f.is_some()).count() as u64;
        let (inserted, _) = insert_batch(&txn, batch, &fixes, &mut links)
            .await
            .map_err(|e| match e {
                DomainError::Internal(message) => bad(format!(
                    "data/{table}.json could not be imported (nothing was): {message}"
                )),
                other => other,
            })?;
        *rows.entry(table.to_owned()).or_default() += inserted;
        files += with_files;
    }
    reader
        .await
        .map_err(|e| DomainError::Internal(e.to_string()))?;

    let tenant_id = TenantId(survey.tenant.id);
    let mut notes = Vec::new();
    for (table, id, target) in links {
        match table {
            "contracts" => {
                scoped_update::<contract::Entity>(tenant_id)
                    .col_expr(contract::Column::ParentId, Expr::value(target))
                    .filter(contract::Column::Id.eq(id))
                    .exec(&txn)
                    .await?;
            }
            _ => {
                if present(&txn, "templates", &[target]).await?.is_empty() {
                    notes.push(format!(
                        "template {id} was adopted from template {target}, which is not on this instance; the link is left out"
                    ));
                } else {
                    scoped_update::<template::Entity>(tenant_id)
                        .col_expr(template::Column::OriginTemplateId, Expr::value(target))
                        .filter(template::Column::Id.eq(id))
                        .exec(&txn)
                        .await?;
                }
            }
        }
    }
    txn.commit().await?;
    Ok(ImportReport {
        tenant_id: survey.tenant.id,
        municipality_code: survey.tenant.municipality_code,
        municipality_name: survey.tenant.name,
        rows,
        reused,
        files,
        notes,
    })
}
