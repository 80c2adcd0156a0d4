//! Versioned writes: the one way a change to an object with a `version`
//! column is made, and the one way such an object is archived or restored.
//!
//! What it guarantees, in the caller's open write transaction:
//!
//! 1. [`check`] refuses the write unless the caller names the version it last
//!    read (`If-Match`): none is `PreconditionRequired` (428), an older one
//!    `PreconditionFailed` (412). It also builds the audited view of the row
//!    as it is, before anything changes. A [`Current`] exists only after
//!    that check, so no write below can skip it; between the two steps the
//!    caller validates its input and writes rows that hang under the object
//!    (a contract's IT-system links), which the transaction undoes with the
//!    rest when the write is refused.
//! 2. [`update`] / [`set_archived`] run one `UPDATE … SET <changes>,
//!    version = version + 1, updated_at = now WHERE <scope> AND id = ? AND
//!    version = <current>`. A row changed since it was read (or outside the
//!    scope) matches nothing, and that is `PreconditionFailed`: two writers
//!    that read the same version cannot both win.
//! 3. The row is read again through the same scope, its view built, and the
//!    audit record (before and after) written in the same transaction, so
//!    that neither the change nor its record exists without the other.
//!
//! Archiving or restoring an object that already is in the asked state
//! changes nothing and writes no audit record.
//!
//! Whose rows may be changed is the caller's choice, made with [`Changes`]:
//! it carries a query and an update that already hold the scope's predicate
//! (a municipality's rows, platform rows, or any other scope `db` offers),
//! so this module never widens a scope and never calls SeaORM's raw entry
//! points. The caller commits the transaction.

use std::future::Future;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, SimpleExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, ModelTrait, QueryFilter, Select,
    UpdateMany, Value,
};
use serde::Serialize;
use uuid::Uuid;

use crate::audit::{self, Change};
use crate::db::{
    Platform, TenantOwned, platform, platform_update, scoped, scoped_get, scoped_update,
};
use crate::entities::{
    api_client, collaboration, contract, it_system, planned_tender, tender_plan, webhook_endpoint,
};
use crate::error::{DomainError, DomainResult, check_version};
use crate::principal::{Principal, TenantId};

/// A table whose rows carry an optimistic-concurrency version.
pub trait Versioned: EntityTrait {
    /// The public id.
    const ID: Self::Column;
    const VERSION: Self::Column;
    const UPDATED_AT: Self::Column;
    fn id_of(row: &Self::Model) -> Uuid;
    fn version_of(row: &Self::Model) -> i32;
}

/// A versioned table whose rows are archived instead of deleted.
pub trait Archivable: Versioned {
    const ARCHIVED_AT: Self::Column;
    fn archived_at_of(row: &Self::Model) -> Option<DateTime<Utc>>;
}

impl Versioned for contract::Entity {
    const ID: contract::Column = contract::Column::Id;
    const VERSION: contract::Column = contract::Column::Version;
    const UPDATED_AT: contract::Column = contract::Column::UpdatedAt;
    fn id_of(row: &contract::Model) -> Uuid {
        row.id
    }
    fn version_of(row: &contract::Model) -> i32 {
        row.version
    }
}

impl Archivable for contract::Entity {
    const ARCHIVED_AT: contract::Column = contract::Column::ArchivedAt;
    fn archived_at_of(row: &contract::Model) -> Option<DateTime<Utc>> {
        row.archived_at
    }
}

impl Versioned for it_system::Entity {
    const ID: it_system::Column = it_system::Column::Id;
    const VERSION: it_system::Column = it_system::Column::Version;
    const UPDATED_AT: it_system::Column = it_system::Column::UpdatedAt;
    fn id_of(row: &it_system::Model) -> Uuid {
        row.id
    }
    fn version_of(row: &it_system::Model) -> i32 {
        row.version
    }
}

impl Archivable for it_system::Entity {
    const ARCHIVED_AT: it_system::Column = it_system::Column::ArchivedAt;
    fn archived_at_of(row: &it_system::Model) -> Option<DateTime<Utc>> {
        row.archived_at
    }
}

impl Versioned for collaboration::Entity {
    const ID: collaboration::Column = collaboration::Column::Id;
    const VERSION: collaboration::Column = collaboration::Column::Version;
    const UPDATED_AT: collaboration::Column = collaboration::Column::UpdatedAt;
    fn id_of(row: &collaboration::Model) -> Uuid {
        row.id
    }
    fn version_of(row: &collaboration::Model) -> i32 {
        row.version
    }
}

impl Versioned for tender_plan::Entity {
    const ID: tender_plan::Column = tender_plan::Column::Id;
    const VERSION: tender_plan::Column = tender_plan::Column::Version;
    const UPDATED_AT: tender_plan::Column = tender_plan::Column::UpdatedAt;
    fn id_of(row: &tender_plan::Model) -> Uuid {
        row.id
    }
    fn version_of(row: &tender_plan::Model) -> i32 {
        row.version
    }
}

impl Archivable for tender_plan::Entity {
    const ARCHIVED_AT: tender_plan::Column = tender_plan::Column::ArchivedAt;
    fn archived_at_of(row: &tender_plan::Model) -> Option<DateTime<Utc>> {
        row.archived_at
    }
}

impl Versioned for planned_tender::Entity {
    const ID: planned_tender::Column = planned_tender::Column::Id;
    const VERSION: planned_tender::Column = planned_tender::Column::Version;
    const UPDATED_AT: planned_tender::Column = planned_tender::Column::UpdatedAt;
    fn id_of(row: &planned_tender::Model) -> Uuid {
        row.id
    }
    fn version_of(row: &planned_tender::Model) -> i32 {
        row.version
    }
}

impl Versioned for api_client::Entity {
    const ID: api_client::Column = api_client::Column::Id;
    const VERSION: api_client::Column = api_client::Column::Version;
    const UPDATED_AT: api_client::Column = api_client::Column::UpdatedAt;
    fn id_of(row: &api_client::Model) -> Uuid {
        row.id
    }
    fn version_of(row: &api_client::Model) -> i32 {
        row.version
    }
}

impl Versioned for webhook_endpoint::Entity {
    const ID: webhook_endpoint::Column = webhook_endpoint::Column::Id;
    const VERSION: webhook_endpoint::Column = webhook_endpoint::Column::Version;
    const UPDATED_AT: webhook_endpoint::Column = webhook_endpoint::Column::UpdatedAt;
    fn id_of(row: &webhook_endpoint::Model) -> Uuid {
        row.id
    }
    fn version_of(row: &webhook_endpoint::Model) -> i32 {
        row.version
    }
}

/// An update of `tenant`'s `row` to its next version (columns to set are
/// added by the caller); it changes nothing unless the row is still at the
/// version that was read. Run it with [`apply_next_version`].
pub fn next_version<E: Versioned + TenantOwned>(tenant: TenantId, row: &E::Model) -> UpdateMany<E> {
    scoped_update::<E>(tenant)
        .col_expr(E::VERSION, Expr::value(E::version_of(row) + 1))
        .col_expr(E::UPDATED_AT, Expr::value(Utc::now()))
        .filter(E::ID.eq(E::id_of(row)))
        .filter(E::VERSION.eq(E::version_of(row)))
}

/// Runs a [`next_version`] update and reads the row back; 412 when another
/// write changed the row since it was read.
pub async fn apply_next_version<E, C>(
    conn: &C,
    tenant: TenantId,
    update: UpdateMany<E>,
    id: Uuid,
) -> DomainResult<E::Model>
where
    E: Versioned + TenantOwned,
    C: ConnectionTrait,
{
    if update.exec(conn).await?.rows_affected != 1 {
        return Err(DomainError::PreconditionFailed);
    }
    scoped_get::<E, _>(conn, tenant, id).await
}

/// The row a caller may write, its version checked against `If-Match`, with
/// the audited view of it as it was. Made by [`check`] only.
pub struct Current<E: Versioned, V, F> {
    row: E::Model,
    before: V,
    view: F,
}

impl<E: Versioned, V, F> Current<E, V, F> {
    /// The row as it was read.
    pub fn row(&self) -> &E::Model {
        &self.row
    }
}

/// Checks that the caller last read the current version of `row` (loaded
/// through a scoped helper in the write transaction) and builds its view
/// with `view`, which [`update`] and [`set_archived`] use again for the
/// changed row.
pub async fn check<M, V, F, Fut>(
    row: M,
    expected_version: Option<i32>,
    view: F,
) -> DomainResult<Current<M::Entity, V, F>>
where
    M: ModelTrait,
    M::Entity: Versioned<Model = M>,
    F: Fn(M) -> Fut,
    Fut: Future<Output = DomainResult<V>>,
{
    check_version(M::Entity::version_of(&row), expected_version)?;
    let before = view(row.clone()).await?;
    Ok(Current { row, before, view })
}

/// The rows a write may touch and the columns it sets. The query and the
/// update come from the same scope of `db`, so the row is read back under
/// the predicate it was changed under.
pub struct Changes<E: EntityTrait> {
    rows: Select<E>,
    update: UpdateMany<E>,
}

impl<E: EntityTrait> Changes<E> {
    /// Rows of a scope `db` offers: `rows` and `update` must carry the same
    /// predicate (e.g. `scoped::<E>(t)` and `scoped_update::<E>(t)`).
    pub fn new(rows: Select<E>, update: UpdateMany<E>) -> Self {
        Self { rows, update }
    }

    /// Sets `column` to `value`.
    pub fn set(self, column: E::Column, value: impl Into<Value>) -> Self {
        self.set_expr(column, Expr::value(value))
    }

    /// Sets `column` to `expr`.
    pub fn set_expr(self, column: E::Column, expr: SimpleExpr) -> Self {
        Self {
            rows: self.rows,
            update: self.update.col_expr(column, expr),
        }
    }

    /// Sets every column that is `Set` in `model`. The model leaves the id,
    /// the version and `updated_at` `NotSet`: the write sets those itself.
    pub fn set_model<A: ActiveModelTrait<Entity = E>>(self, model: A) -> Self {
        Self {
            rows: self.rows,
            update: self.update.set(model),
        }
    }
}

impl<E: TenantOwned> Changes<E> {
    /// One municipality's rows.
    pub fn tenant(tenant: TenantId) -> Self {
        Self::new(scoped::<E>(tenant), scoped_update::<E>(tenant))
    }
}

impl<E: Platform> Changes<E> {
    /// Rows of a platform table; the caller has checked the principal's
    /// right to the row (a collaboration's coordinator, say).
    pub fn platform() -> Self {
        Self::new(platform::<E>(), platform_update::<E>())
    }
}

/// Whose audit trail records the write, and the object kind it names.
#[derive(Debug, Clone, Copy)]
pub struct Trail<'a> {
    pub tenant: Option<TenantId>,
    pub kind: &'a str,
}

/// Applies `changes` to the checked row, bumps its version and
/// `updated_at`, reads it back and records `action` (before and after) in
/// `trail`. Returns the changed row's view.
pub async fn update<E, C, V, F, Fut>(
    conn: &C,
    principal: &Principal,
    current: Current<E, V, F>,
    changes: Changes<E>,
    trail: Trail<'_>,
    action: &str,
) -> DomainResult<V>
where
    E: Versioned,
    C: ConnectionTrait,
    V: Serialize,
    F: Fn(E::Model) -> Fut,
    Fut: Future<Output = DomainResult<V>>,
{
    let id = E::id_of(&current.row);
    let version = E::version_of(&current.row);
    let updated = changes
        .update
        .col_expr(E::VERSION, Expr::col(E::VERSION).add(1))
        .col_expr(E::UPDATED_AT, Expr::value(Utc::now()))
        .filter(E::ID.eq(id))
        .filter(E::VERSION.eq(version))
        .exec(conn)
        .await?;
    if updated.rows_affected != 1 {
        return Err(DomainError::PreconditionFailed);
    }
    let row = changes
        .rows
        .filter(E::ID.eq(id))
        .one(conn)
        .await?
        .ok_or(DomainError::NotFound)?;
    let after = (current.view)(row).await?;
    audit::record(
        conn,
        principal,
        trail.tenant,
        Change {
            action,
            object_kind: trail.kind,
            object_id: id,
            before: serde_json::to_value(&current.before).ok(),
            after: serde_json::to_value(&after).ok(),
        },
    )
    .await?;
    Ok(after)
}

/// Archives (`archive = true`) or restores the checked row as a versioned
/// write recorded as `<kind>.archived` / `<kind>.restored`, together with
/// any other `changes`. A row already in the asked state is left as it is,
/// unrecorded, and its view returned.
pub async fn set_archived<E, C, V, F, Fut>(
    conn: &C,
    principal: &Principal,
    current: Current<E, V, F>,
    archive: bool,
    changes: Changes<E>,
    trail: Trail<'_>,
) -> DomainResult<V>
where
    E: Archivable,
    C: ConnectionTrait,
    V: Serialize,
    F: Fn(E::Model) -> Fut,
    Fut: Future<Output = DomainResult<V>>,
{
    if E::archived_at_of(&current.row).is_some() == archive {
        return Ok(current.before);
    }
    let (changes, action) = if archive {
        (
            changes.set(E::ARCHIVED_AT, Some(Utc::now())),
            format!("{}.archived", trail.kind),
        )
    } else {
        (
            changes.set(E::ARCHIVED_AT, None::<DateTime<Utc>>),
            format!("{}.restored", trail.kind),
        )
    };
    update(conn, principal, current, changes, trail, &action).await
}
