//! A municipality's users: listed, created, changed and deactivated by the
//! municipality's admins. Users are never deleted, so the audit trail keeps
//! naming real people.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, Order, QueryFilter, QueryOrder, QuerySelect,
    Set,
};
use serde::Serialize;
use uuid::Uuid;

use crate::audit::{self, Change};
use crate::auth::{password, revoke_all_sessions};
use crate::db::{Db, Scope, escape_like, scoped, scoped_get, scoped_update};
use crate::entities::user;
use crate::error::{DomainError, DomainResult, FieldError, OnUnique, check_version};
use crate::paging::{Page, PageRequest, fetch_page, parse_sort};
use crate::policy::{Action, authorize};
use crate::principal::{OPERATOR_ROLE, Principal, Role, TenantId};
use crate::values::{Email, new_password, required_text, search_phrase};

/// A user as the rest of the system sees one: never with the password hash.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct User {
    pub id: Uuid,
    pub tenant_id: Option<Uuid>,
    pub email: String,
    pub name: String,
    pub role: String,
    pub active: bool,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub last_login_at: Option<DateTime<Utc>>,
    pub deactivated_at: Option<DateTime<Utc>>,
}

impl From<user::Model> for User {
    fn from(m: user::Model) -> Self {
        Self {
            id: m.id,
            tenant_id: m.tenant_id,
            email: m.email,
            name: m.name,
            role: m.role,
            active: m.active,
            version: m.version,
            created_at: m.created_at,
            updated_at: m.updated_at,
            last_login_at: m.last_login_at,
            deactivated_at: m.deactivated_at,
        }
    }
}

#[derive(Debug, Clone)]
pub struct NewUser {
    pub email: String,
    pub name: String,
    pub role: Role,
    pub password: String,
}

#[derive(Debug, Clone, Default)]
pub struct UserFilter {
    /// Matches name or e-mail, case-insensitively.
    pub q: Option<String>,
    pub role: Option<Role>,
    pub active: Option<bool>,
    /// `name`, `email`, `role`, `created_at` or `last_login_at`, `-` first for descending.
    pub sort: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct UserPatch {
    pub name: Option<String>,
    pub role: Option<Role>,
    pub active: Option<bool>,
    pub password: Option<String>,
}

const SORTABLE: [&str; 5] = ["name", "email", "role", "created_at", "last_login_at"];

fn own_tenant(principal: &Principal) -> DomainResult<TenantId> {
    match authorize(principal, Action::ManageUsers)? {
        Scope::Tenant(tenant) => Ok(tenant),
        Scope::System => Err(DomainError::Forbidden("users belong to a municipality")),
    }
}

pub async fn list_users(
    db: &Db,
    principal: &Principal,
    filter: UserFilter,
    page: PageRequest,
) -> DomainResult<Page<User>> {
    let tenant = own_tenant(principal)?;
    let (sort, descending) = parse_sort(filter.sort.as_deref(), &SORTABLE, "name")?;
    let mut query = scoped::<user::Entity>(tenant);
    if let Some(q) = search_phrase("q", filter.q.as_deref())? {
        let pattern = format!("%{}%", escape_like(&q));
        query = query.filter(
            Expr::expr(Func::lower(Expr::col(user::Column::Name)))
                .like(LikeExpr::new(pattern.clone()).escape('\\'))
                .or(Expr::col(user::Column::Email).like(LikeExpr::new(pattern).escape('\\'))),
        );
    }
    if let Some(role) = filter.role {
        query = query.filter(user::Column::Role.eq(role.as_str()));
    }
    if let Some(active) = filter.active {
        query = query.filter(user::Column::Active.eq(active));
    }
    let column = match sort {
        "email" => user::Column::Email,
        "role" => user::Column::Role,
        "created_at" => user::Column::CreatedAt,
        "last_login_at" => user::Column::LastLoginAt,
        _ => user::Column::Name,
    };
    let order = if descending { Order::Desc } else { Order::Asc };
    let query = query.order_by(column, order).order_by_asc(user::Column::Id);

    let txn = db.read(Scope::Tenant(tenant)).await?;
    let found = fetch_page(&txn, query, page).await?;
    txn.commit().await?;
    Ok(found)
}

pub async fn get_user(db: &Db, principal: &Principal, id: Uuid) -> DomainResult<User> {
    let tenant = own_tenant(principal)?;
    let txn = db.read(Scope::Tenant(tenant)).await?;
    let found = scoped_get::<user::Entity, _>(&txn, tenant, id).await?;
    txn.commit().await?;
    Ok(found.into())
}

pub async fn create_user(db: &Db, principal: &Principal, new: NewUser) -> DomainResult<User> {
    let tenant = own_tenant(principal)?;
    insert_user(db, principal, Some(tenant), new.role.as_str(), new).await
}

/// Creates a user in any municipality: the console's way to give a new
/// municipality its first admin.
pub async fn create_user_in(
    db: &Db,
    principal: &Principal,
    tenant: TenantId,
    new: NewUser,
) -> DomainResult<User> {
    if *principal != Principal::Console {
        return Err(DomainError::Forbidden(
            "only the console creates users in any municipality",
        ));
    }
    insert_user(db, principal, Some(tenant), new.role.as_str(), new).await
}

/// Creates a platform operator, on the console.
pub async fn create_operator(
    db: &Db,
    principal: &Principal,
    email: &str,
    name: &str,
    password: &str,
) -> DomainResult<User> {
    if *principal != Principal::Console {
        return Err(DomainError::Forbidden("only the console creates operators"));
    }
    let new = NewUser {
        email: email.to_owned(),
        name: name.to_owned(),
        role: Role::Viewer,
        password: password.to_owned(),
    };
    insert_user(db, principal, None, OPERATOR_ROLE, new).await
}

async fn insert_user(
    db: &Db,
    principal: &Principal,
    tenant: Option<TenantId>,
    role: &str,
    new: NewUser,
) -> DomainResult<User> {
    let mut errors = Vec::new();
    let email = Email::parse("email", &new.email)
        .map_err(|e| errors.push(e))
        .ok();
    let name = required_text("name", &new.name, 200)
        .map_err(|e| errors.push(e))
        .ok();
    let password = new_password("password", &new.password, email.as_ref())
        .map_err(|e| errors.push(e))
        .ok();
    let (Some(email), Some(name), Some(password), true) =
        (email, name, password, errors.is_empty())
    else {
        return Err(DomainError::Validation(errors));
    };
    let password_hash = password::hash_password(password).await?;

    let now = Utc::now();
    let scope = tenant.map_or(Scope::System, Scope::Tenant);
    let txn = db.write(scope).await?;
    let created: User = user::ActiveModel {
        id: Set(Uuid::new_v4()),
        tenant_id: Set(tenant.map(|t| t.0)),
        email: Set(email.as_str().to_owned()),
        name: Set(name),
        role: Set(role.to_owned()),
        password_hash: Set(password_hash),
        active: Set(true),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        last_login_at: Set(None),
        deactivated_at: Set(None),
    }
    .insert(&txn)
    .await
    .on_unique("email", "a user with this e-mail address already exists")?
    .into();
    audit::record(
        &txn,
        principal,
        tenant,
        Change {
            action: "user.created",
            object_kind: "user",
            object_id: created.id,
            before: None,
            after: serde_json::to_value(&created).ok(),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(created)
}

/// Changes a user. `expected_version` is the version the caller last read
/// (from the ETag); a missing or stale one changes nothing.
pub async fn update_user(
    db: &Db,
    principal: &Principal,
    id: Uuid,
    expected_version: Option<i32>,
    patch: UserPatch,
) -> DomainResult<User> {
    let tenant = own_tenant(principal)?;
    let name = match patch.name.as_deref() {
        Some(raw) => {
            Some(required_text("name", raw, 200).map_err(|e| DomainError::Validation(vec![e]))?)
        }
        None => None,
    };
    let txn = db.write(Scope::Tenant(tenant)).await?;
    let current = scoped_get::<user::Entity, _>(&txn, tenant, id).await?;
    check_version(current.version, expected_version)?;
    let password_hash = match patch.password.as_deref() {
        Some(raw) => {
            let email = Email::parse("email", &current.email).ok();
            let password = new_password("password", raw, email.as_ref())
                .map_err(|e| DomainError::Validation(vec![e]))?;
            Some(password::hash_password(password).await?)
        }
        None => None,
    };
    let updated = apply_change(
        &txn,
        principal,
        tenant,
        current,
        name,
        patch.role,
        patch.active,
        password_hash,
    )
    .await?;
    txn.commit().await?;
    Ok(updated)
}

/// Deactivates a user and ends their sessions. History is kept and the user
/// can be reactivated. `expected_version`, when given, must be current.
pub async fn deactivate_user(
    db: &Db,
    principal: &Principal,
    id: Uuid,
    expected_version: Option<i32>,
) -> DomainResult<()> {
    let tenant = own_tenant(principal)?;
    let txn = db.write(Scope::Tenant(tenant)).await?;
    let current = scoped_get::<user::Entity, _>(&txn, tenant, id).await?;
    if expected_version.is_some_and(|v| v != current.version) {
        return Err(DomainError::PreconditionFailed);
    }
    if current.active {
        apply_change(
            &txn,
            principal,
            tenant,
            current,
            None,
            None,
            Some(false),
            None,
        )
        .await?;
    }
    txn.commit().await?;
    Ok(())
}

#[allow(clippy::too_many_arguments)]
async fn apply_change<C: ConnectionTrait>(
    txn: &C,
    principal: &Principal,
    tenant: TenantId,
    current: user::Model,
    name: Option<String>,
    role: Option<Role>,
    active: Option<bool>,
    password_hash: Option<String>,
) -> DomainResult<User> {
    let was_admin = current.active && current.role == Role::Admin.as_str();
    let stays_admin = active.unwrap_or(current.active)
        && role.map_or(current.role == Role::Admin.as_str(), |r| r == Role::Admin);
    if was_admin && !stays_admin {
        // Two admins removing each other at once must not both find the
        // other still there: the active admins' rows are locked (in one
        // order, so that no two such transactions deadlock) before they
        // are counted, and a transaction that waited counts again with the
        // other's change. SQLite's write transactions run one at a time.
        let admins: Vec<Uuid> = scoped::<user::Entity>(tenant)
            .select_only()
            .column(user::Column::Id)
            .filter(user::Column::Role.eq(Role::Admin.as_str()))
            .filter(user::Column::Active.eq(true))
            .order_by_asc(user::Column::Id)
            .lock_exclusive()
            .into_tuple()
            .all(txn)
            .await?;
        if admins.iter().all(|id| *id == current.id) {
            return Err(DomainError::Conflict {
                message: "the municipality must keep at least one active admin".into(),
                field: Some(FieldError::new(
                    if active == Some(false) {
                        "active"
                    } else {
                        "role"
                    },
                    "last_admin",
                    "the municipality must keep at least one active admin",
                )),
            });
        }
    }

    let now = Utc::now();
    let before = User::from(current.clone());
    let mut update = scoped_update::<user::Entity>(tenant)
        .col_expr(user::Column::Version, Expr::value(current.version + 1))
        .col_expr(user::Column::UpdatedAt, Expr::value(now))
        .filter(user::Column::Id.eq(current.id))
        .filter(user::Column::Version.eq(current.version));
    if let Some(name) = name {
        update = update.col_expr(user::Column::Name, Expr::value(name));
    }
    if let Some(role) = role {
        update = update.col_expr(user::Column::Role, Expr::value(role.as_str()));
    }
    let ends_sessions = active == Some(false) || password_hash.is_some();
    if let Some(active) = active.filter(|a| *a != current.active) {
        update = update
            .col_expr(user::Column::Active, Expr::value(active))
            .col_expr(
                user::Column::DeactivatedAt,
                Expr::value(if active { None } else { Some(now) }),
            );
    }
    if let Some(hash) = password_hash {
        update = update.col_expr(user::Column::PasswordHash, Expr::value(hash));
    }
    if update.exec(txn).await?.rows_affected != 1 {
        return Err(DomainError::PreconditionFailed);
    }
    if ends_sessions {
        revoke_all_sessions(txn, tenant, current.id).await?;
    }
    let after: User = scoped_get::<user::Entity, _>(txn, tenant, current.id)
        .await?
        .into();
    let action = match (before.active, after.active) {
        (true, false) => "user.deactivated",
        (false, true) => "user.reactivated",
        _ => "user.updated",
    };
    audit::record(
        txn,
        principal,
        Some(tenant),
        Change {
            action,
            object_kind: "user",
            object_id: current.id,
            before: serde_json::to_value(&before).ok(),
            after: serde_json::to_value(&after).ok(),
        },
    )
    .await?;
    Ok(after)
}

/// The principal's own user record.
pub async fn current_user(db: &Db, principal: &Principal) -> DomainResult<User> {
    match principal {
        Principal::User {
            user_id, tenant_id, ..
        } => {
            let txn = db.read(Scope::Tenant(*tenant_id)).await?;
            let found = scoped_get::<user::Entity, _>(&txn, *tenant_id, *user_id).await?;
            txn.commit().await?;
            Ok(found.into())
        }
        Principal::Operator { user_id, .. } => {
            let txn = db.read(Scope::System).await?;
            let found = crate::db::all_tenants::<user::Entity>()
                .filter(user::Column::Id.eq(*user_id))
                .filter(user::Column::TenantId.is_null())
                .one(&txn)
                .await?
                .ok_or(DomainError::NotFound)?;
            txn.commit().await?;
            Ok(found.into())
        }
        Principal::Client { .. } | Principal::Console => Err(DomainError::NotFound),
    }
}
