//! The supplier catalogue, shared by all municipalities and keyed by CVR
//! number. A supplier is registered the first time any municipality names
//! it, and keeps that name.

use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, QueryFilter, QueryOrder, QuerySelect, Select,
    Set,
};
use serde::Serialize;
use uuid::Uuid;

use crate::db::{Db, escape_like, platform, platform_by_id};
use crate::entities::supplier;
use crate::error::{DomainError, DomainResult, FieldError};
use crate::paging::{ChangeRead, Page, PageRequest};
use crate::policy::{Action, authorize};
use crate::principal::Principal;
use crate::values::{Cvr, required_text, search_phrase};

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Supplier {
    pub id: Uuid,
    pub cvr: String,
    pub name: String,
}

impl From<supplier::Model> for Supplier {
    fn from(m: supplier::Model) -> Self {
        Self {
            id: m.id,
            cvr: m.cvr,
            name: m.name,
        }
    }
}

/// Suppliers whose name contains `q` (any case) or whose CVR number starts
/// with it, at most `limit`, by name.
pub async fn search(
    db: &Db,
    principal: &Principal,
    q: Option<&str>,
    limit: u64,
) -> DomainResult<Vec<Supplier>> {
    let scope = authorize(principal, Action::ReadContracts)?;
    let query = matching(q)?.order_by_asc(supplier::Column::Name);
    let txn = db.read(scope).await?;
    let found = query.limit(limit.clamp(1, 200)).all(&txn).await?;
    txn.commit().await?;
    Ok(found.into_iter().map(Supplier::from).collect())
}

/// One page of the suppliers `q` finds (as [`search`] does), in order of
/// last change, for integrators' sync.
pub async fn search_by_change(
    db: &Db,
    principal: &Principal,
    q: Option<&str>,
    read: ChangeRead,
    page: PageRequest,
) -> DomainResult<Page<Supplier>> {
    let scope = authorize(principal, Action::ReadContracts)?;
    let query = matching(q)?;
    let txn = db.read(scope).await?;
    let found = read.fetch(&txn, query, page).await?;
    txn.commit().await?;
    Ok(found.map(Supplier::from))
}

/// The catalogue narrowed to a search text, in no particular order.
fn matching(q: Option<&str>) -> DomainResult<Select<supplier::Entity>> {
    let mut query = platform::<supplier::Entity>();
    if let Some(q) = search_phrase("q", q)? {
        let contains = format!("%{}%", escape_like(&q));
        let prefix = format!("{}%", escape_like(&q));
        query = query.filter(
            Expr::expr(Func::lower(Expr::col(supplier::Column::Name)))
                .like(LikeExpr::new(contains).escape('\\'))
                .or(Expr::col(supplier::Column::Cvr).like(LikeExpr::new(prefix).escape('\\'))),
        );
    }
    Ok(query)
}

pub async fn get<C: ConnectionTrait>(conn: &C, id: Uuid) -> DomainResult<Supplier> {
    platform_by_id::<supplier::Entity, _>(id)
        .one(conn)
        .await?
        .map(Supplier::from)
        .ok_or(DomainError::NotFound)
}

/// Registers a supplier, or returns the one with that CVR number (renamed
/// when a name is given). Editors do this as part of registering contracts.
pub async fn register(
    db: &Db,
    principal: &Principal,
    cvr: &str,
    name: &str,
) -> DomainResult<Supplier> {
    let scope = authorize(principal, Action::WriteContracts)?;
    let mut errors = Vec::new();
    let cvr = Cvr::parse("cvr", cvr).map_err(|e| errors.push(e)).ok();
    let name = required_text("name", name, 200)
        .map_err(|e| errors.push(e))
        .ok();
    let (Some(cvr), Some(name), true) = (cvr, name, errors.is_empty()) else {
        return Err(DomainError::Validation(errors));
    };
    let txn = db.write(scope).await?;
    let found = register_in(&txn, &cvr, &name).await?;
    txn.commit().await?;
    Ok(found)
}

pub async fn register_in<C: ConnectionTrait>(
    conn: &C,
    cvr: &Cvr,
    name: &str,
) -> DomainResult<Supplier> {
    let now = Utc::now();
    // The catalogue is shared: a known supplier keeps its registered name,
    // so that no municipality can rename what the others see.
    if let Some(existing) = platform::<supplier::Entity>()
        .filter(supplier::Column::Cvr.eq(cvr.as_str()))
        .one(conn)
        .await?
    {
        return Ok(existing.into());
    }
    let created = supplier::ActiveModel {
        id: Set(Uuid::new_v4()),
        cvr: Set(cvr.as_str().to_owned()),
        name: Set(name.to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(conn)
    .await
    .map_err(|e| match e.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => DomainError::Conflict {
            message: "the supplier was registered at the same moment; try again".into(),
            field: Some(FieldError::new("cvr", "taken", "registered concurrently")),
        },
        _ => e.into(),
    })?;
    Ok(created.into())
}
