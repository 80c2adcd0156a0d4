//! The database handle and the one way into tenant data: a transaction opened
//! for a `Scope`, and query helpers that add the tenant predicate. On
//! PostgreSQL the scope is also set as `app.tenant_id` so that row-level
//! security backs the predicate up.

use std::time::Duration;

use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ColumnTrait, ConnectOptions, ConnectionTrait, Database, DatabaseConnection,
    DatabaseTransaction, DbBackend, DbErr, EntityTrait, QueryFilter, Select, Statement,
    TransactionOptions, TransactionTrait, UpdateMany,
};
use uuid::Uuid;

use crate::entities::{
    api_client, attachment, audit_event, contract, contract_system, it_system, refresh_token, user,
};
use crate::error::{DomainError, DomainResult};
use crate::principal::TenantId;

/// Whose rows a transaction may touch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// One municipality's rows.
    Tenant(TenantId),
    /// Work that crosses tenants by nature: login, token refresh, operator
    /// commands. Only `auth`, `tenants` and the console use it.
    System,
}

#[derive(Clone, Debug)]
pub struct Db {
    conn: DatabaseConnection,
}

impl Db {
    /// Connects to `url` (`sqlite://…` or `postgres://…`). SQLite gets WAL,
    /// foreign keys and a busy timeout, and its file is created if missing.
    pub async fn connect(url: &str) -> Result<Self, DbErr> {
        let mut options = ConnectOptions::new(url.to_owned());
        options
            .sqlx_logging(false)
            .acquire_timeout(Duration::from_secs(10))
            .map_sqlx_sqlite_opts(|opts: SqliteConnectOptions| {
                opts.create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .foreign_keys(true)
                    .busy_timeout(Duration::from_secs(10))
            });
        if url.starts_with("sqlite:") {
            options.max_connections(8).min_connections(1);
        } else {
            options.max_connections(20);
        }
        let conn = Database::connect(options).await?;
        Ok(Self { conn })
    }

    pub fn connection(&self) -> &DatabaseConnection {
        &self.conn
    }

    pub fn backend(&self) -> DbBackend {
        self.conn.get_database_backend()
    }

    /// A cheap round trip, for readiness checks.
    pub async fn ping(&self) -> Result<(), DbErr> {
        self.conn.ping().await
    }

    /// Opens a transaction for reading in `scope`.
    pub async fn read(&self, scope: Scope) -> DomainResult<DatabaseTransaction> {
        self.open(scope, false).await
    }

    /// Opens a transaction for writing in `scope`. On SQLite it takes the
    /// write lock at once, so concurrent writers queue on the busy timeout
    /// instead of failing when a read lock cannot be upgraded.
    pub async fn write(&self, scope: Scope) -> DomainResult<DatabaseTransaction> {
        self.open(scope, true).await
    }

    async fn open(&self, scope: Scope, write: bool) -> DomainResult<DatabaseTransaction> {
        let options = TransactionOptions {
            sqlite_transaction_mode: write.then_some(sea_orm::SqliteTransactionMode::Immediate),
            ..Default::default()
        };
        let txn = self.conn.begin_with_options(options).await?;
        if txn.get_database_backend() == DbBackend::Postgres {
            let (name, value) = match scope {
                Scope::Tenant(tenant) => ("app.tenant_id", tenant.0.to_string()),
                Scope::System => ("app.system", "on".to_owned()),
            };
            txn.execute_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "SELECT set_config($1, $2, true)",
                [name.into(), value.into()],
            ))
            .await?;
        }
        Ok(txn)
    }
}

/// A table whose rows belong to one municipality.
pub trait TenantOwned: EntityTrait {
    fn tenant_column() -> Self::Column;
    fn id_column() -> Self::Column;
}

impl TenantOwned for user::Entity {
    fn tenant_column() -> Self::Column {
        user::Column::TenantId
    }
    fn id_column() -> Self::Column {
        user::Column::Id
    }
}

impl TenantOwned for refresh_token::Entity {
    fn tenant_column() -> Self::Column {
        refresh_token::Column::TenantId
    }
    fn id_column() -> Self::Column {
        refresh_token::Column::Id
    }
}

impl TenantOwned for api_client::Entity {
    fn tenant_column() -> Self::Column {
        api_client::Column::TenantId
    }
    fn id_column() -> Self::Column {
        api_client::Column::Id
    }
}

impl TenantOwned for it_system::Entity {
    fn tenant_column() -> Self::Column {
        it_system::Column::TenantId
    }
    fn id_column() -> Self::Column {
        it_system::Column::Id
    }
}

impl TenantOwned for contract::Entity {
    fn tenant_column() -> Self::Column {
        contract::Column::TenantId
    }
    fn id_column() -> Self::Column {
        contract::Column::Id
    }
}

impl TenantOwned for contract_system::Entity {
    fn tenant_column() -> Self::Column {
        contract_system::Column::TenantId
    }
    fn id_column() -> Self::Column {
        contract_system::Column::ContractId
    }
}

impl TenantOwned for attachment::Entity {
    fn tenant_column() -> Self::Column {
        attachment::Column::TenantId
    }
    fn id_column() -> Self::Column {
        attachment::Column::Id
    }
}

impl TenantOwned for audit_event::Entity {
    fn tenant_column() -> Self::Column {
        audit_event::Column::TenantId
    }
    fn id_column() -> Self::Column {
        audit_event::Column::Id
    }
}

/// All of `tenant`'s rows of `E`: the start of every query on tenant data.
pub fn scoped<E: TenantOwned>(tenant: TenantId) -> Select<E> {
    E::find().filter(E::tenant_column().eq(tenant.0))
}

/// An update of `tenant`'s rows of `E` only.
pub fn scoped_update<E: TenantOwned>(tenant: TenantId) -> UpdateMany<E> {
    E::update_many().filter(E::tenant_column().eq(tenant.0))
}

/// One of `tenant`'s rows by id, or `NotFound` — also when the row exists
/// but belongs to another tenant, so that existence does not leak.
pub async fn scoped_get<E, C>(conn: &C, tenant: TenantId, id: Uuid) -> DomainResult<E::Model>
where
    E: TenantOwned,
    C: ConnectionTrait,
{
    scoped::<E>(tenant)
        .filter(E::id_column().eq(id))
        .one(conn)
        .await?
        .ok_or(DomainError::NotFound)
}

/// `text` lower-cased, with LIKE's wildcards escaped by `\\`.
pub(crate) fn escape_like(text: &str) -> String {
    text.to_lowercase()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}
