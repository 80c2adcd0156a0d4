//! The database handle and the one way into tenant data: a transaction opened
//! for a `Scope`, and query helpers that add the tenant predicate. On
//! PostgreSQL the scope is also set as `app.tenant_id` so that row-level
//! security backs the predicate up.
//!
//! SeaORM's query entry points (`Entity::find`, `update_many`,
//! `delete_many`, …) are disallowed everywhere else by `clippy.toml`: tenant
//! tables are reached through `scoped*`, the few cross-tenant reads of the
//! system scope through `all_tenants*`, and tables that belong to no single
//! municipality through `platform*`, so that every call site says which of
//! the three it is.
//!
//! With two PostgreSQL roles (`connect_with_owner`), system-scope
//! transactions run on a second, small pool as the owner of the tables: the
//! policies honour `app.system` for that role only, so the application's role
//! cannot read across municipalities by setting it.
#![allow(clippy::disallowed_methods)] // the one module that may call them

use std::cell::RefCell;
use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::NaiveDate;

use sea_orm::sqlx;
use sea_orm::sqlx::pool::PoolConnection;
use sea_orm::sqlx::postgres::{PgConnectOptions, Postgres};
use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ColumnTrait, Condition, ConnectOptions, ConnectionTrait, Database, DatabaseConnection,
    DatabaseTransaction, DbBackend, DbErr, DeleteMany, EntityTrait, FromQueryResult,
    PrimaryKeyTrait, QueryFilter, QueryResult, RuntimeErr, Select, Statement, TransactionOptions,
    TransactionTrait, UpdateMany,
};
use uuid::Uuid;

use crate::entities::{
    api_client, attachment, audit_event, calendar_feed, collaboration, collaboration_member,
    contract, contract_import, contract_import_mapping, contract_system, cpv_code, digest_delivery,
    it_system, login_throttle, planned_tender, procedure_time_limit, refresh_token,
    reminder_setting, share, supplier, tenant, tender_invitation, tender_milestone,
    tender_participation, tender_plan, threshold, user,
};
use crate::error::{DomainError, DomainResult};
use crate::observe::{Mode, Observed, Observer, Pool};
use crate::ownership::Standing;
use crate::principal::TenantId;
use crate::view_versions::ViewVersion;

/// Whose rows a transaction may touch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// One municipality's rows.
    Tenant(TenantId),
    /// Work that crosses tenants by nature: login, token refresh, operator
    /// commands. Only `auth`, `tenants` and the console use it. With two
    /// roles it runs on the owner's pool, the only role the policies open it
    /// for.
    System,
}

#[derive(Clone, Debug)]
pub struct Db {
    /// Every tenant's transactions; with one role, the system scope's too.
    conn: DatabaseConnection,
    /// The system scope's transactions, as the owner role (PostgreSQL with
    /// two roles only).
    system: Option<DatabaseConnection>,
    /// The day up to which each municipality's stored derived dates are
    /// known to be current (`contracts::refresh`), shared by every clone.
    fresh: Arc<Mutex<HashMap<Uuid, NaiveDate>>>,
    /// Who hears of transactions, jobs, mails and webhooks (`observe`).
    observer: Observed,
}

/// A connection pool's state at one moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolStats {
    pub pool: Pool,
    /// Connections lent out to a transaction or query.
    pub in_use: u32,
    /// Open connections waiting to be lent.
    pub idle: u32,
    /// The most connections the pool opens.
    pub max: u32,
}

impl Db {
    /// Connects to `url` (`sqlite://…` or `postgres://…`) with one pool for
    /// every scope. SQLite gets WAL, foreign keys and a busy timeout, and its
    /// file is created if missing.
    pub async fn connect(url: &str) -> Result<Self, DbErr> {
        Ok(Self {
            conn: pool(url, pool_size(url)).await?,
            system: None,
            fresh: Arc::default(),
            observer: Observed::default(),
        })
    }

    /// Connects the application's pool to `url` and a small pool for the
    /// system scope to `owner_url`, the role that owns the tables (PostgreSQL).
    pub async fn connect_with_owner(url: &str, owner_url: &str) -> Result<Self, DbErr> {
        Ok(Self {
            conn: pool(url, pool_size(url)).await?,
            system: Some(pool(owner_url, 4).await?),
            fresh: Arc::default(),
            observer: Observed::default(),
        })
    }

    /// One connection to `url` for running migrations. On PostgreSQL it
    /// works in the system scope for its whole session, so that a migration
    /// that converts data sees every municipality's rows.
    pub async fn connect_for_migrations(url: &str) -> Result<DatabaseConnection, DbErr> {
        let mut options = ConnectOptions::new(url.to_owned());
        options
            .sqlx_logging(false)
            .max_connections(1)
            .acquire_timeout(Duration::from_secs(10))
            .map_sqlx_postgres_opts(|opts: PgConnectOptions| opts.options([("app.system", "on")]));
        Database::connect(options).await
    }

    /// This handle, and its clones, reporting to `observer`.
    pub fn observed_by(mut self, observer: Arc<dyn Observer>) -> Self {
        self.observer = Observed(observer);
        self
    }

    /// Who hears what this handle's users do.
    pub(crate) fn observer(&self) -> &dyn Observer {
        self.observer.0.as_ref()
    }

    /// The pools' state now: the application's, and the owner's when it
    /// has one.
    pub fn pool_stats(&self) -> Vec<PoolStats> {
        std::iter::once((Pool::Application, &self.conn))
            .chain(self.system.as_ref().map(|system| (Pool::Owner, system)))
            .filter_map(|(pool, conn)| {
                let (size, idle, max) = match conn.get_database_backend() {
                    DbBackend::Postgres => {
                        let p = conn.get_postgres_connection_pool();
                        (p.size(), p.num_idle(), p.options().get_max_connections())
                    }
                    DbBackend::Sqlite => {
                        let p = conn.get_sqlite_connection_pool();
                        (p.size(), p.num_idle(), p.options().get_max_connections())
                    }
                    _ => return None,
                };
                let idle = u32::try_from(idle).unwrap_or(u32::MAX).min(size);
                Some(PoolStats {
                    pool,
                    in_use: size - idle,
                    idle,
                    max,
                })
            })
            .collect()
    }

    /// Whether `tenant`'s stored derived dates are known to be current on `day`.
    pub(crate) fn fresh_on(&self, tenant: TenantId, day: NaiveDate) -> bool {
        self.fresh
            .lock()
            .map(|fresh| fresh.get(&tenant.0) == Some(&day))
            .unwrap_or(false)
    }

    /// Notes that `tenant`'s stored derived dates are current on `day`.
    pub(crate) fn mark_fresh(&self, tenant: TenantId, day: NaiveDate) {
        if let Ok(mut fresh) = self.fresh.lock() {
            fresh.insert(tenant.0, day);
        }
    }

    /// The application's pool.
    pub fn connection(&self) -> &DatabaseConnection {
        let_go_of_held();
        &self.conn
    }

    /// The pool the system scope runs on: the owner's when configured.
    pub fn system_connection(&self) -> &DatabaseConnection {
        self.system.as_ref().unwrap_or(&self.conn)
    }

    /// Whether the system scope has a pool of its own (two roles).
    pub fn has_owner_pool(&self) -> bool {
        self.system.is_some()
    }

    pub fn backend(&self) -> DbBackend {
        self.conn.get_database_backend()
    }

    /// A cheap round trip on each pool, for readiness checks.
    pub async fn ping(&self) -> Result<(), DbErr> {
        let_go_of_held();
        self.conn.ping().await?;
        if let Some(system) = &self.system {
            system.ping().await?;
        }
        Ok(())
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

    /// An account (a user or an API client) of `tenant` by id, read in a
    /// single statement rather than a transaction's four (begin, scope,
    /// read, commit): every request reads its account this way. On
    /// PostgreSQL the account's function (`m20261207_000003_account_reads`)
    /// sets `app.tenant_id` for the statement's own implicit transaction and
    /// reads the row as the application's role, so row-level security
    /// applies as in any transaction, and the statement is prepared once per
    /// connection; on SQLite one statement needs no transaction around it.
    ///
    /// The municipality's [`ViewVersion`] comes with it, in the same
    /// statement, read before anything the request goes on to read. So,
    /// on PostgreSQL, does a `rider`'s read, whose row is returned for its
    /// owner to decode; on SQLite the rider is not read (`None`).
    pub(crate) async fn account_at_once<E>(
        &self,
        tenant: TenantId,
        id: Uuid,
        rider: Option<&Rider>,
    ) -> DomainResult<(E::Model, ViewVersion, Option<QueryResult>)>
    where
        E: Account,
    {
        let backend = self.backend();
        let rider = rider.filter(|_| backend == DbBackend::Postgres);
        let mut ids = vec![id];
        let sql = if backend == DbBackend::Postgres {
            let (columns, join) = match rider {
                Some(rider) => {
                    ids.push(rider.id);
                    (format!(", {}", rider.columns), format!(" {}", rider.join))
                }
                None => Default::default(),
            };
            format!(
                "SELECT r.*, {}{columns} FROM {}($1, $2) r \
                 CROSS JOIN samudbud_view_version($1) v{join}",
                ViewVersion::COLUMNS,
                E::READ_FUNCTION
            )
        } else {
            format!(
                "SELECT r.*, {} FROM {} r WHERE r.tenant_id = $1 AND r.id = $2",
                ViewVersion::SQLITE_COLUMNS,
                E::default().table_name()
            )
        };
        let row = self
            .read_at_once(sql, tenant, &ids)
            .await?
            .ok_or(DomainError::NotFound)?;
        Ok((
            E::Model::from_query_result(&row, "")?,
            ViewVersion::from_row(&row)?,
            rider.map(|_| row),
        ))
    }

    /// One statement with its own implicit transaction, on the application
    /// pool, given a municipality and rows' ids (`$1`, then `$2`, …): on
    /// PostgreSQL, `sql` reads through a function that sets the
    /// municipality first, so row-level security binds. Observed as a read
    /// transaction is.
    ///
    /// Within [`one_connection_for_reads`] on PostgreSQL, the statement runs
    /// on the connection the request's earlier one-statement read left held,
    /// or takes one from the pool and leaves it held for the next.
    pub(crate) async fn read_at_once(
        &self,
        sql: String,
        tenant: TenantId,
        ids: &[Uuid],
    ) -> DomainResult<Option<QueryResult>> {
        let started = Instant::now();
        let held = match self.backend() {
            DbBackend::Postgres => take_held(),
            _ => None,
        };
        let found = match held {
            Some(held) => self.read_on_held(held, sql, tenant, ids).await,
            None => {
                let values = std::iter::once(tenant.0)
                    .chain(ids.iter().copied())
                    .map(Into::into);
                self.conn
                    .query_one_raw(Statement::from_sql_and_values(self.backend(), sql, values))
                    .await
            }
        };
        self.observer().transaction_begun(
            Pool::Application,
            Mode::Read,
            started.elapsed(),
            found.is_ok(),
        );
        Ok(found?)
    }

    /// `read_at_once`'s statement on the request's held connection (`held`,
    /// or one taken from the pool), which is held again after a read that
    /// went through; one that failed goes back to the pool, which checks it.
    async fn read_on_held(
        &self,
        held: Option<PoolConnection<Postgres>>,
        sql: String,
        tenant: TenantId,
        ids: &[Uuid],
    ) -> Result<Option<QueryResult>, DbErr> {
        let mut connection = match held {
            Some(connection) => connection,
            None => self
                .conn
                .get_postgres_connection_pool()
                .acquire()
                .await
                .map_err(|e| DbErr::Conn(RuntimeErr::SqlxError(Arc::new(e))))?,
        };
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(tenant.0);
        for id in ids {
            query = query.bind(*id);
        }
        let row = query
            .fetch_optional(&mut *connection)
            .await
            .map_err(|e| DbErr::Query(RuntimeErr::SqlxError(Arc::new(e))))?;
        // Kept unless the request already holds another (two reads at once).
        let _ = HELD.try_with(|held| {
            held.borrow_mut().connection.get_or_insert(connection);
        });
        Ok(row.map(QueryResult::from))
    }

    async fn open(&self, scope: Scope, write: bool) -> DomainResult<DatabaseTransaction> {
        let_go_of_held();
        let options = TransactionOptions {
            sqlite_transaction_mode: write.then_some(sea_orm::SqliteTransactionMode::Immediate),
            ..Default::default()
        };
        let (pool, which) = match (scope, &self.system) {
            (Scope::System, Some(system)) => (system, Pool::Owner),
            _ => (&self.conn, Pool::Application),
        };
        // SeaORM takes the pooled connection and sends `BEGIN` in one call,
        // so the wait measured is both; the round trip is small beside a
        // wait for a free connection (or, on SQLite, for the write lock).
        let started = Instant::now();
        let begun = pool.begin_with_options(options).await;
        self.observer().transaction_begun(
            which,
            if write { Mode::Write } else { Mode::Read },
            started.elapsed(),
            begun.is_ok(),
        );
        let txn = begun?;
        if txn.get_database_backend() == DbBackend::Postgres {
            let statement = match scope {
                // A municipality's statements are prepared once per
                // connection and each names its municipality, so one plan
                // serves them all. Left to choose, PostgreSQL planned the
                // list's statements anew on every request (the row-security
                // policies' subqueries make planning cost as much as running
                // them); keeping the generic plan answered about a third
                // more list requests (README, Performance).
                Scope::Tenant(tenant) => Statement::from_sql_and_values(
                    DbBackend::Postgres,
                    "SELECT set_config('app.tenant_id', $1, true), \
                     set_config('plan_cache_mode', 'force_generic_plan', true)",
                    [tenant.0.to_string().into()],
                ),
                Scope::System => Statement::from_string(
                    DbBackend::Postgres,
                    "SELECT set_config('app.system', 'on', true)",
                ),
            };
            txn.execute_raw(statement).await?;
        }
        Ok(txn)
    }
}

/// The application pool's largest default size, when the operator sets
/// none: PostgreSQL serves many connections at once; SQLite writes one at
/// a time, so more connections only queue on its lock.
pub const DEFAULT_POOL_SIZE_POSTGRES: u32 = 20;
pub const DEFAULT_POOL_SIZE_SQLITE: u32 = 8;

/// The cores this process may run on.
fn cores() -> u32 {
    std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .try_into()
        .unwrap_or(u32::MAX)
}

/// PostgreSQL's default pool on this machine: three connections per core,
/// at least four and at most `DEFAULT_POOL_SIZE_POSTGRES`. A request needs
/// the server's CPU as well as the database's, so connections beyond a few
/// per core only queue inside PostgreSQL, where they cost more than in the
/// pool: on two cores with the database beside the server, six connections
/// instead of twenty took a third less database CPU per contract read and
/// cut its p99 from about 55 to 32 ms (README, Performance).
pub fn default_pool_size_postgres() -> u32 {
    cores()
        .saturating_mul(3)
        .clamp(4, DEFAULT_POOL_SIZE_POSTGRES)
}

/// SQLite's default pool on this machine: two connections per core, at
/// most `DEFAULT_POOL_SIZE_SQLITE`. Its reads run in the server's process,
/// so connections beyond the cores add no throughput, only memory (each
/// keeps its page and statement caches): on two cores, four connections
/// served the load benchmark as fast as eight with a peak of 140 MB
/// instead of 170 MB.
pub fn default_pool_size_sqlite() -> u32 {
    cores().saturating_mul(2).clamp(2, DEFAULT_POOL_SIZE_SQLITE)
}

static POOL_SIZE: std::sync::OnceLock<u32> = std::sync::OnceLock::new();

/// Sets the application pool's size for every later `Db::connect` in this
/// process (the server's `SAMUDBUD_DB_POOL_SIZE`); `None` or 0 keeps the
/// backend's default. Only the first call counts.
pub fn configure_pool_size(size: Option<u32>) {
    if let Some(size) = size.filter(|s| *s > 0) {
        POOL_SIZE.set(size).ok();
    }
}

fn pool_size(url: &str) -> u32 {
    POOL_SIZE
        .get()
        .copied()
        .unwrap_or(if url.starts_with("sqlite:") {
            default_pool_size_sqlite()
        } else {
            default_pool_size_postgres()
        })
}

tokio::task_local! {
    /// The application pool's connection a request's one-statement reads
    /// share (`one_connection_for_reads`).
    static HELD: RefCell<Held>;
}

/// A request's shared connection: whether its reads share one, and the
/// one they hold between them.
struct Held {
    shared: bool,
    connection: Option<PoolConnection<Postgres>>,
}

/// Runs a request so that, when `shared`, its one-statement reads (its
/// account's, then on PostgreSQL a contract's by id) share one pooled
/// connection, given back when the request is done or before anything else
/// takes one from the pool.
///
/// SQLx checks every connection given back to its pool with a round trip
/// (`Sync`, answered by `ReadyForQuery`), in a task of its own: a contract
/// read by id made four round trips where two are needed. Holding the
/// connection from the account's read to the contract's saves one, and the
/// pool's bookkeeping with it. Only these reads use the held connection,
/// and a request never holds it while it waits for a connection for
/// anything else (a transaction gives it back first), so requests cannot
/// hold the pool between them; the server shares one only for `GET`
/// requests, which go on to read at once, so none holds one while it does
/// other work.
pub fn one_connection_for_reads<F: Future>(
    shared: bool,
    request: F,
) -> impl Future<Output = F::Output> {
    let held = Held {
        shared,
        connection: None,
    };
    HELD.scope(RefCell::new(held), request)
}

/// The request's held connection, taken out to be used, when its reads
/// share one (`Some(None)`: none is held yet); `None` when they do not.
fn take_held() -> Option<Option<PoolConnection<Postgres>>> {
    HELD.try_with(|held| {
        let mut held = held.borrow_mut();
        held.shared.then(|| held.connection.take())
    })
    .ok()
    .flatten()
}

/// Gives the request's held connection back to the pool, if it holds one.
fn let_go_of_held() {
    let _ = HELD.try_with(|held| drop(held.borrow_mut().connection.take()));
}

/// How long a pooled connection may sit idle before the pool pings it
/// before lending it out. SQLx pings every connection as it comes back to
/// the pool, so pinging it again when the next request takes it a moment
/// later is a round trip for nothing (a request takes two connections, its
/// account's and its transaction's: two of a list request's eleven round
/// trips); one idle for longer may have been closed by the server, a
/// restart or something in between, and is replaced instead of failing the
/// request.
pub const PING_WHEN_IDLE_FOR: Duration = Duration::from_secs(10);

async fn pool(url: &str, max_connections: u32) -> Result<DatabaseConnection, DbErr> {
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .sqlx_logging(false)
        .acquire_timeout(Duration::from_secs(10))
        .max_connections(max_connections)
        .test_before_acquire_if_idle_for(PING_WHEN_IDLE_FOR)
        .map_sqlx_sqlite_opts(|opts: SqliteConnectOptions| {
            opts.create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10))
        })
        // The app's statements are short; PostgreSQL's JIT compiler, which
        // starts on the planner's cost estimate alone, spent more time
        // compiling a shared-contracts query (160 ms) than running it (60 ms).
        .map_sqlx_postgres_opts(|opts: PgConnectOptions| opts.options([("jit", "off")]));
    if url.starts_with("sqlite:") {
        options.min_connections(1);
    }
    Database::connect(options).await
}

/// A read that rides in the statement reading a request's account on
/// PostgreSQL ([`Db::account_at_once`]), saving the request a round trip
/// and a statement of its own. `join` joins the account's row to a
/// set-returning function of the municipality (`$1`) and `id` (`$3`),
/// `LEFT` so that the account is read whatever it finds; `columns` are
/// selected from it under names of their own, apart from the account's.
pub(crate) struct Rider {
    pub(crate) join: &'static str,
    pub(crate) columns: &'static str,
    pub(crate) id: Uuid,
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

/// A table of accounts a request acts as, read by `Db::account_at_once`
/// through its PostgreSQL function.
pub trait Account: TenantOwned {
    /// The function reading one row by municipality and id.
    const READ_FUNCTION: &'static str;
}

impl Account for user::Entity {
    const READ_FUNCTION: &'static str = "samudbud_read_users";
}

impl Account for api_client::Entity {
    const READ_FUNCTION: &'static str = "samudbud_read_api_clients";
}

impl TenantOwned for api_client::Entity {
    fn tenant_column() -> Self::Column {
        api_client::Column::TenantId
    }
    fn id_column() -> Self::Column {
        api_client::Column::Id
    }
}

impl TenantOwned for crate::entities::saved_view::Entity {
    fn tenant_column() -> Self::Column {
        crate::entities::saved_view::Column::TenantId
    }
    fn id_column() -> Self::Column {
        crate::entities::saved_view::Column::Id
    }
}

impl TenantOwned for calendar_feed::Entity {
    fn tenant_column() -> Self::Column {
        calendar_feed::Column::TenantId
    }
    fn id_column() -> Self::Column {
        calendar_feed::Column::Id
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

impl TenantOwned for crate::entities::contract_decision::Entity {
    fn tenant_column() -> Self::Column {
        crate::entities::contract_decision::Column::TenantId
    }
    fn id_column() -> Self::Column {
        crate::entities::contract_decision::Column::Id
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

use crate::entities::{contract_template, template, template_version};

impl TenantOwned for contract_template::Entity {
    fn tenant_column() -> Self::Column {
        contract_template::Column::TenantId
    }
    fn id_column() -> Self::Column {
        contract_template::Column::ContractId
    }
}

impl TenantOwned for template::Entity {
    fn tenant_column() -> Self::Column {
        template::Column::TenantId
    }
    fn id_column() -> Self::Column {
        template::Column::Id
    }
}

/// A version is reached through its template: its id column is the template's.
impl TenantOwned for template_version::Entity {
    fn tenant_column() -> Self::Column {
        template_version::Column::TenantId
    }
    fn id_column() -> Self::Column {
        template_version::Column::TemplateId
    }
}

impl CollaborationOwned for template::Entity {
    fn collaboration_column() -> Self::Column {
        template::Column::CollaborationId
    }
}

impl CollaborationOwned for template_version::Entity {
    fn collaboration_column() -> Self::Column {
        template_version::Column::CollaborationId
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

impl TenantOwned for contract_import::Entity {
    fn tenant_column() -> Self::Column {
        contract_import::Column::TenantId
    }
    fn id_column() -> Self::Column {
        contract_import::Column::Id
    }
}

impl TenantOwned for contract_import_mapping::Entity {
    fn tenant_column() -> Self::Column {
        contract_import_mapping::Column::TenantId
    }
    fn id_column() -> Self::Column {
        contract_import_mapping::Column::Id
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

impl TenantOwned for reminder_setting::Entity {
    fn tenant_column() -> Self::Column {
        reminder_setting::Column::TenantId
    }
    fn id_column() -> Self::Column {
        reminder_setting::Column::UserId
    }
}

impl TenantOwned for digest_delivery::Entity {
    fn tenant_column() -> Self::Column {
        digest_delivery::Column::TenantId
    }
    fn id_column() -> Self::Column {
        digest_delivery::Column::Id
    }
}

impl TenantOwned for crate::entities::change_log::Entity {
    fn tenant_column() -> Self::Column {
        crate::entities::change_log::Column::TenantId
    }
    fn id_column() -> Self::Column {
        crate::entities::change_log::Column::ObjectId
    }
}

impl TenantOwned for share::Entity {
    fn tenant_column() -> Self::Column {
        share::Column::TenantId
    }
    fn id_column() -> Self::Column {
        share::Column::Id
    }
}

/// A table whose rows belong to a municipality or, when its collaboration
/// column is set, to a collaboration (`ownership`). `tenant_id` is the
/// municipality that created the row.
pub trait CollaborationOwned: TenantOwned {
    fn collaboration_column() -> Self::Column;
}

fn owned_by_any(
    tenant: TenantId,
    collaborations: &[Uuid],
    collaboration: impl ColumnTrait,
    tenant_column: impl ColumnTrait,
) -> Condition {
    Condition::any()
        .add(
            Condition::all()
                .add(collaboration.is_null())
                .add(tenant_column.eq(tenant.0)),
        )
        .add(collaboration.is_in(collaborations.iter().copied()))
}

/// The rows of `E` that `standing`'s municipality may read as an owner: its
/// own and those of the collaborations it is an active member of.
pub fn owned_readable<E: CollaborationOwned>(standing: &Standing) -> Select<E> {
    E::find().filter(owned_by_any(
        standing.tenant,
        &standing.member_of,
        E::collaboration_column(),
        E::tenant_column(),
    ))
}

fn writable_condition<E: CollaborationOwned>(standing: &Standing) -> Condition {
    owned_by_any(
        standing.tenant,
        &standing.coordinates,
        E::collaboration_column(),
        E::tenant_column(),
    )
}

/// The rows of `E` that `standing`'s municipality may write: its own and
/// those of the collaborations it coordinates.
pub fn owned_writable<E: CollaborationOwned>(standing: &Standing) -> Select<E> {
    E::find().filter(writable_condition::<E>(standing))
}

/// An update of the rows of `E` that `standing`'s municipality may write.
pub fn owned_update<E: CollaborationOwned>(standing: &Standing) -> UpdateMany<E> {
    E::update_many().filter(writable_condition::<E>(standing))
}

/// A delete of the rows of `E` that `standing`'s municipality may write.
pub fn owned_delete<E: CollaborationOwned>(standing: &Standing) -> DeleteMany<E> {
    E::delete_many().filter(writable_condition::<E>(standing))
}

/// One row of `E` by id that `standing`'s municipality may read as an owner
/// or member, else `NotFound`.
pub async fn owned_get_readable<E, C>(
    conn: &C,
    standing: &Standing,
    id: Uuid,
) -> DomainResult<E::Model>
where
    E: CollaborationOwned,
    C: ConnectionTrait,
{
    owned_readable::<E>(standing)
        .filter(E::id_column().eq(id))
        .one(conn)
        .await?
        .ok_or(DomainError::NotFound)
}

/// Rows of `E` of other owners that a share made visible: `ids` must come
/// from `shares::visible_to` for the reader. On PostgreSQL the table's read
/// policy admits exactly such shared rows.
pub fn owned_shared_with_me<E: CollaborationOwned>(ids: Vec<Uuid>) -> Select<E> {
    E::find().filter(E::id_column().is_in(ids))
}

/// All of `tenant`'s rows of `E`: the start of every query on tenant data.
pub fn scoped<E: TenantOwned>(tenant: TenantId) -> Select<E> {
    E::find().filter(E::tenant_column().eq(tenant.0))
}

/// An update of `tenant`'s rows of `E` only.
pub fn scoped_update<E: TenantOwned>(tenant: TenantId) -> UpdateMany<E> {
    E::update_many().filter(E::tenant_column().eq(tenant.0))
}

/// A delete of `tenant`'s rows of `E` only.
pub fn scoped_delete<E: TenantOwned>(tenant: TenantId) -> DeleteMany<E> {
    E::delete_many().filter(E::tenant_column().eq(tenant.0))
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

/// The rows of `E` that `reader` lists: its own (when `own`) and those of
/// other municipalities whose ids are in `shared`, ids that
/// `shares::visible_to` found shared with the reader.
pub fn scoped_with_shared<E: TenantOwned>(
    reader: TenantId,
    own: bool,
    shared: Vec<Uuid>,
) -> Select<E> {
    // With nothing shared, the list is the reader's own rows (or none):
    // an always-false branch in the `OR` would keep SQLite from using the
    // tenant index and make it scan every municipality's rows.
    if shared.is_empty() {
        return E::find().filter(if own {
            E::tenant_column().eq(reader.0)
        } else {
            sea_orm::sea_query::Expr::value(false)
        });
    }
    let theirs = Condition::all()
        .add(E::tenant_column().ne(reader.0))
        .add(E::id_column().is_in(shared));
    let whose = if own {
        Condition::any()
            .add(E::tenant_column().eq(reader.0))
            .add(theirs)
    } else {
        theirs
    };
    E::find().filter(whose)
}

/// `owner`'s rows of `E` as another municipality reads them through a
/// share: the data linked to an object `owner` shared with a collaboration
/// the reader is an active member of (a shared contract's IT-system links
/// and systems). The caller has established that the object is visible to
/// the reader (`shares::is_visible_to`, `shares::visible_to`); on PostgreSQL
/// the read policies admit exactly such linked rows, and nothing else of the
/// owner's.
pub fn as_shared_with_me<E: TenantOwned>(owner: TenantId) -> Select<E> {
    scoped::<E>(owner)
}

/// The shares made with any of `collaborations`, by whichever member: how a
/// municipality finds what the others share with it. The caller passes only
/// collaborations the reader is an active member of; on PostgreSQL the read
/// policy on shares admits exactly those.
pub fn shares_with(collaborations: Vec<Uuid>) -> Select<share::Entity> {
    share::Entity::find().filter(share::Column::CollaborationId.is_in(collaborations))
}

/// The contracts their owners have shared with `collaboration` (`kind` is
/// the contracts' object kind in shares), in one query joining the shares.
/// On PostgreSQL the read policies still decide which rows the reader sees.
pub fn contracts_shared_with(collaboration: Uuid, kind: &str) -> Select<contract::Entity> {
    contracts_shared_with_any([collaboration], kind)
}

/// The contracts their owners have shared with any of `collaborations`, as
/// `contracts_shared_with`; a contract shared with several of them comes
/// once per share.
pub fn contracts_shared_with_any(
    collaborations: impl IntoIterator<Item = Uuid>,
    kind: &str,
) -> Select<contract::Entity> {
    use sea_orm::sea_query::{Expr, ExprTrait};
    use sea_orm::{JoinType, QuerySelect};
    let through: sea_orm::RelationDef = share::Entity::belongs_to(contract::Entity)
        .from(share::Column::ObjectId)
        .to(contract::Column::Id)
        .into();
    contract::Entity::find()
        .join(JoinType::InnerJoin, through.rev())
        .filter(share::Column::CollaborationId.is_in(collaborations))
        .filter(share::Column::ObjectKind.eq(kind))
        .filter(
            Expr::col((share::Entity, share::Column::TenantId))
                .equals((contract::Entity, contract::Column::TenantId)),
        )
}

/// Rows of `E` of every municipality, for the system scope's cross-tenant
/// work only (login by e-mail, token refresh, client tokens, operator
/// commands). In a tenant's transaction on PostgreSQL it sees only that
/// tenant's rows; with two roles, only the owner's system transactions see
/// more.
pub fn all_tenants<E: TenantOwned>() -> Select<E> {
    E::find()
}

/// An update of rows of `E` in any municipality; system scope only, as
/// `all_tenants`.
pub fn all_tenants_update<E: TenantOwned>() -> UpdateMany<E> {
    E::update_many()
}

/// A delete of rows of `E` in any municipality (pruning); system scope
/// only, as `all_tenants`.
pub fn all_tenants_delete<E: TenantOwned>() -> DeleteMany<E> {
    E::delete_many()
}

/// A table that belongs to no single municipality: the municipalities
/// themselves, the shared supplier catalogue, collaborations and their
/// memberships (who takes part is visible to every member), and login
/// throttling (keyed by e-mail and address, before anyone is known).
pub trait Platform: EntityTrait {}

impl Platform for tenant::Entity {}
impl Platform for supplier::Entity {}
impl Platform for collaboration::Entity {}
impl Platform for collaboration_member::Entity {}
impl Platform for login_throttle::Entity {}

/// All rows of the platform table `E`.
pub fn platform<E: Platform>() -> Select<E> {
    E::find()
}

/// One row of the platform table `E` by primary key.
pub fn platform_by_id<E, K>(id: K) -> Select<E>
where
    E: Platform,
    K: Into<<E::PrimaryKey as PrimaryKeyTrait>::ValueType>,
{
    E::find_by_id(id)
}

/// An update of rows of the platform table `E`.
pub fn platform_update<E: Platform>() -> UpdateMany<E> {
    E::update_many()
}

/// A delete of rows of the platform table `E`.
pub fn platform_delete<E: Platform>() -> DeleteMany<E> {
    E::delete_many()
}

/// `text` lower-cased, with LIKE's wildcards escaped by `\\`.
pub(crate) fn escape_like(text: &str) -> String {
    text.to_lowercase()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// Tender plans and their parts: collaboration-owned tables (`tenant_id`
/// is the plan's creator, `collaboration_id` its collaboration, if any).
macro_rules! collaboration_owned_table {
    ($($entity:ident => $id:ident),+ $(,)?) => {
        $(
            impl TenantOwned for $entity::Entity {
                fn tenant_column() -> Self::Column {
                    $entity::Column::TenantId
                }
                fn id_column() -> Self::Column {
                    $entity::Column::$id
                }
            }

            impl CollaborationOwned for $entity::Entity {
                fn collaboration_column() -> Self::Column {
                    $entity::Column::CollaborationId
                }
            }
        )+
    };
}

collaboration_owned_table!(
    tender_plan => Id,
    planned_tender => Id,
    tender_milestone => TenderId,
    tender_invitation => Id,
    // The participant's own row: written through `scoped*` only; members
    // of the plan's collaboration read it as they read the plan.
    tender_participation => Id,
);

/// Webhook endpoints, the outbox and the delivery log: a municipality's rows.
macro_rules! tenant_table {
    ($($entity:ident => $id:ident),+ $(,)?) => {
        $(
            impl TenantOwned for crate::entities::$entity::Entity {
                fn tenant_column() -> Self::Column {
                    crate::entities::$entity::Column::TenantId
                }
                fn id_column() -> Self::Column {
                    crate::entities::$entity::Column::$id
                }
            }
        )+
    };
}

tenant_table!(
    kitos_connection => TenantId,
    kitos_run => Id,
    kitos_snapshot => ObjectId,
    webhook_endpoint => Id,
    webhook_event => Id,
    webhook_delivery => Id,
    webhook_attempt => Id,
);

impl Platform for cpv_code::Entity {}
impl Platform for threshold::Entity {}
impl Platform for procedure_time_limit::Entity {}
