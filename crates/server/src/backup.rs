//! Backups of a SQLite database: `samudbud backup FILE` copies it online
//! (`VACUUM INTO`, a consistent snapshot while the server keeps writing),
//! `samudbud restore FILE` puts a copy back while no server uses it.
//!
//! Every server on a SQLite database holds a shared lock on
//! `<database>.serve-lock`; a restore takes it exclusively, so that it
//! refuses while a server runs and no server starts while it restores.
//! PostgreSQL is backed up with its own tools (deploy/README.md).

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use sea_orm::{ConnectionTrait, DbBackend, Statement};

/// The file of a `sqlite://PATH?…` URL, or `None` for other databases.
pub fn sqlite_path(url: &str) -> Option<PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    (!path.is_empty() && path != ":memory:").then(|| PathBuf::from(path))
}

fn lock_path(database: &Path) -> PathBuf {
    let mut name = database.as_os_str().to_owned();
    name.push(".serve-lock");
    PathBuf::from(name)
}

fn open_lock(database: &Path) -> anyhow::Result<File> {
    let path = lock_path(database);
    OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .with_context(|| format!("cannot open {}", path.display()))
}

/// A server's hold on its SQLite database, for as long as it lives.
#[derive(Debug)]
pub struct ServeLock(#[allow(dead_code)] File);

impl ServeLock {
    /// Takes the shared lock of the database at `url` (nothing for other
    /// databases); fails while a restore runs.
    pub fn acquire(url: &str) -> anyhow::Result<Option<Self>> {
        let Some(path) = sqlite_path(url) else {
            return Ok(None);
        };
        let file = open_lock(&path)?;
        match file.try_lock_shared() {
            Ok(()) => Ok(Some(Self(file))),
            Err(TryLockError::WouldBlock) => {
                bail!(
                    "{} is being restored; start the server when that is done",
                    path.display()
                )
            }
            Err(TryLockError::Error(e)) => Err(e).context("locking the database"),
        }
    }
}

/// Copies the SQLite database behind `db` to `target`, online: `VACUUM
/// INTO` reads one consistent snapshot while other connections go on
/// writing. The copy appears under its name only once it is complete.
pub async fn backup(db: &samudbud_domain::Db, target: &Path) -> anyhow::Result<u64> {
    if db.backend() != DbBackend::Sqlite {
        bail!(
            "samudbud backup copies SQLite databases; back PostgreSQL up with pg_dump or \
             continuous archiving (deploy/README.md, \"Backups\")"
        );
    }
    if target.exists() {
        bail!("{} exists; choose a new file", target.display());
    }
    let mut partial = target.as_os_str().to_owned();
    partial.push(".partial");
    let partial = PathBuf::from(partial);
    let _ = std::fs::remove_file(&partial);
    let path = partial
        .to_str()
        .context("the backup's path is not UTF-8")?
        .to_owned();
    db.connection()
        .execute_raw(Statement::from_sql_and_values(
            DbBackend::Sqlite,
            "VACUUM INTO ?",
            [path.into()],
        ))
        .await
        .with_context(|| format!("writing {}", partial.display()))?;
    File::open(&partial)
        .and_then(|f| f.sync_all())
        .context("syncing the backup")?;
    std::fs::rename(&partial, target).context("naming the backup")?;
    Ok(std::fs::metadata(target)?.len())
}

/// Replaces the SQLite database at `url` by the backup `source`, after
/// checking the backup's integrity. Refuses while a server uses the
/// database.
pub async fn restore(url: &str, source: &Path) -> anyhow::Result<()> {
    let Some(database) = sqlite_path(url) else {
        bail!(
            "samudbud restore restores SQLite databases; restore PostgreSQL with pg_restore \
             or point-in-time recovery (deploy/README.md, \"Backups\")"
        );
    };
    let lock = open_lock(&database)?;
    match lock.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => bail!(
            "a Samudbud server uses {}; stop every server on it, then restore",
            database.display()
        ),
        Err(TryLockError::Error(e)) => return Err(e).context("locking the database"),
    }
    if !source.is_file() {
        bail!("{} is not a file", source.display());
    }
    // A copy beside the database, checked before anything is replaced (a
    // check opens it for writing, which the backup itself is spared).
    let mut incoming = database.as_os_str().to_owned();
    incoming.push(".restoring");
    let incoming = PathBuf::from(incoming);
    std::fs::copy(source, &incoming).context("copying the backup")?;
    if let Err(e) = integrity(&incoming).await {
        let _ = std::fs::remove_file(&incoming);
        return Err(e.context(format!(
            "{} is not a sound SQLite database",
            source.display()
        )));
    }
    for suffix in ["-wal", "-shm"] {
        let mut side = incoming.as_os_str().to_owned();
        side.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(side));
    }
    File::open(&incoming)
        .and_then(|f| f.sync_all())
        .context("syncing the copy")?;
    for suffix in ["-wal", "-shm"] {
        let mut side = database.as_os_str().to_owned();
        side.push(suffix);
        match std::fs::remove_file(PathBuf::from(side)) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e).context("removing the old write-ahead log"),
        }
    }
    std::fs::rename(&incoming, &database).context("putting the backup in place")?;
    drop(lock);
    Ok(())
}

/// `PRAGMA integrity_check` of the SQLite file at `path`.
async fn integrity(path: &Path) -> anyhow::Result<()> {
    let check = samudbud_domain::Db::connect(&format!("sqlite://{}", path.display())).await?;
    let row = check
        .connection()
        .query_one_raw(Statement::from_string(
            DbBackend::Sqlite,
            "PRAGMA integrity_check",
        ))
        .await;
    check.connection().clone().close().await.ok();
    let verdict: String = row?
        .map(|r| r.try_get_by_index::<String>(0))
        .transpose()?
        .unwrap_or_default();
    if verdict != "ok" {
        bail!("damaged: {verdict}");
    }
    Ok(())
}
