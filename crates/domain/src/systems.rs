//! The IT-system catalogue of each municipality: name, category, supplier,
//! system owner and status, and the contracts that cover each system.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, Order, QueryFilter, QueryOrder, QuerySelect,
    Set,
};
use serde::Serialize;
use uuid::Uuid;

use crate::audit::{self, Change};
use crate::db::{Db, Scope, scoped, scoped_get};
use crate::entities::{contract_system, it_system};
use crate::error::{DomainError, DomainResult, FieldError};
use crate::paging::{ChangeRead, Page, PageRequest, fetch_page, parse_sort};
use crate::people::{self, OwnerFilter, OwnerRef};
use crate::policy::{Action, authorize};
use crate::principal::{Principal, TenantId};
use crate::suppliers::{self, Supplier};
use crate::values::{optional_multiline_text, optional_text, required_text, search_phrase};
use crate::versioned::{self, Changes, Trail};

/// The object kind of IT systems in the audit trail.
pub const KIND: &str = "it_system";

pub const STATUSES: [&str; 3] = ["planned", "in_use", "retired"];

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ItSystem {
    pub id: Uuid,
    pub name: String,
    pub category: Option<String>,
    pub supplier: Option<Supplier>,
    pub system_owner: Option<String>,
    /// The user of the municipality who owns the system.
    pub owner_user: Option<OwnerRef>,
    pub status: String,
    pub description: Option<String>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub archived_at: Option<DateTime<Utc>>,
    /// The system usage's uuid in the municipality's OS2Kitos, when
    /// imported from it.
    pub kitos_uuid: Option<Uuid>,
}

#[derive(Debug, Clone, Default)]
pub struct SystemInput {
    pub name: String,
    pub category: Option<String>,
    pub supplier_id: Option<Uuid>,
    pub system_owner: Option<String>,
    /// An active user of the municipality; `None` for nobody.
    pub owner_user_id: Option<Uuid>,
    pub status: Option<String>,
    pub description: Option<String>,
}

struct ValidSystem {
    name: String,
    category: Option<String>,
    supplier_id: Option<Uuid>,
    system_owner: Option<String>,
    owner_user_id: Option<Uuid>,
    status: String,
    description: Option<String>,
}

pub(crate) fn tenant_for(principal: &Principal, action: Action) -> DomainResult<TenantId> {
    match authorize(principal, action)? {
        Scope::Tenant(tenant) => Ok(tenant),
        Scope::System => Err(DomainError::Forbidden(
            "the register belongs to a municipality",
        )),
    }
}

/// Checks a system as written; `current_owner` is the owning user it has
/// (who may stay after deactivation).
async fn validate<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    input: SystemInput,
    current_owner: Option<Uuid>,
) -> DomainResult<ValidSystem> {
    let mut errors: Vec<FieldError> = Vec::new();
    if let Err(e) = people::check_owner(conn, tenant, input.owner_user_id, current_owner).await? {
        errors.push(e);
    }
    let name = required_text("name", &input.name, 200)
        .map_err(|e| errors.push(e))
        .ok();
    let category = optional_text("category", input.category.as_deref(), 100)
        .map_err(|e| errors.push(e))
        .ok()
        .flatten();
    let system_owner = optional_text("system_owner", input.system_owner.as_deref(), 200)
        .map_err(|e| errors.push(e))
        .ok()
        .flatten();
    let description = optional_multiline_text("description", input.description.as_deref(), 4000)
        .map_err(|e| errors.push(e))
        .ok()
        .flatten();
    let status = input.status.unwrap_or_else(|| "in_use".to_owned());
    if !STATUSES.contains(&status.as_str()) {
        errors.push(FieldError::new(
            "status",
            "invalid",
            format!("one of: {}", STATUSES.join(", ")),
        ));
    }
    if let Some(id) = input.supplier_id
        && suppliers::get(conn, id).await.is_err()
    {
        errors.push(FieldError::new(
            "supplier_id",
            "unknown",
            "no such supplier",
        ));
    }
    match (name, errors.is_empty()) {
        (Some(name), true) => Ok(ValidSystem {
            name,
            category,
            supplier_id: input.supplier_id,
            system_owner,
            owner_user_id: input.owner_user_id,
            status,
            description,
        }),
        _ => Err(DomainError::Validation(errors)),
    }
}

pub(crate) async fn view<C: ConnectionTrait>(
    conn: &C,
    m: it_system::Model,
) -> DomainResult<ItSystem> {
    let supplier = match m.supplier_id {
        Some(id) => Some(suppliers::get(conn, id).await?),
        None => None,
    };
    let owner_user = match m.owner_user_id {
        Some(id) => people::owners(conn, TenantId(m.tenant_id), [id])
            .await?
            .remove(&id),
        None => None,
    };
    Ok(ItSystem {
        id: m.id,
        name: m.name,
        category: m.category,
        supplier,
        system_owner: m.system_owner,
        owner_user,
        status: m.status,
        description: m.description,
        version: m.version,
        created_at: m.created_at,
        updated_at: m.updated_at,
        archived_at: m.archived_at,
        kitos_uuid: m.kitos_uuid,
    })
}

/// What a list of IT systems asks for.
#[derive(Debug, Clone, Default)]
pub struct SystemFilter {
    /// Part of the name, in any case.
    pub q: Option<String>,
    pub status: Option<String>,
    pub category: Option<String>,
    pub supplier_id: Option<Uuid>,
    /// Owned by this user, or by nobody.
    pub owner_user: Option<OwnerFilter>,
    pub include_archived: bool,
    /// One of [`SORTABLE`], `-` first for descending; by name when absent.
    pub sort: Option<String>,
    /// Read in order of last change instead (`sort` is then left out).
    pub by_change: Option<ChangeRead>,
}

/// The columns a list of IT systems sorts by.
pub const SORTABLE: [&str; 4] = ["name", "category", "status", "updated_at"];

pub async fn list_systems(
    db: &Db,
    principal: &Principal,
    filter: &SystemFilter,
    page: PageRequest,
) -> DomainResult<Page<ItSystem>> {
    let tenant = tenant_for(principal, Action::ReadContracts)?;
    let (sort, descending) = parse_sort(filter.sort.as_deref(), &SORTABLE, "name")?;
    let mut query = scoped::<it_system::Entity>(tenant);
    if !filter.include_archived {
        query = query.filter(it_system::Column::ArchivedAt.is_null());
    }
    if let Some(status) = filter.status.as_deref() {
        if !STATUSES.contains(&status) {
            return Err(DomainError::invalid(
                "status",
                "invalid",
                format!("one of: {}", STATUSES.join(", ")),
            ));
        }
        query = query.filter(it_system::Column::Status.eq(status));
    }
    if let Some(category) = filter.category.as_deref() {
        query = query.filter(it_system::Column::Category.eq(category));
    }
    if let Some(supplier) = filter.supplier_id {
        query = query.filter(it_system::Column::SupplierId.eq(supplier));
    }
    match filter.owner_user {
        Some(OwnerFilter::User(user)) => {
            query = query.filter(it_system::Column::OwnerUserId.eq(user));
        }
        Some(OwnerFilter::Nobody) => {
            query = query.filter(it_system::Column::OwnerUserId.is_null());
        }
        None => {}
    }
    let txn = db.read(Scope::Tenant(tenant)).await?;
    if let Some(words) = search_phrase("q", filter.q.as_deref())? {
        // SQLite folds only ASCII case, and names like "Økonomi" are common,
        // so the name match is made here; a catalogue is hundreds, not millions.
        let matching: Vec<Uuid> = scoped::<it_system::Entity>(tenant)
            .select_only()
            .column(it_system::Column::Id)
            .column(it_system::Column::Name)
            .into_tuple::<(Uuid, String)>()
            .all(&txn)
            .await?
            .into_iter()
            .filter(|(_, name)| name.to_lowercase().contains(&words))
            .map(|(id, _)| id)
            .collect();
        query = query.filter(it_system::Column::Id.is_in(matching));
    }
    let column = match sort {
        "category" => it_system::Column::Category,
        "status" => it_system::Column::Status,
        "updated_at" => it_system::Column::UpdatedAt,
        _ => it_system::Column::Name,
    };
    let order = if descending { Order::Desc } else { Order::Asc };
    let mut found: Page<it_system::Model> = match filter.by_change {
        Some(read) => read.fetch(&txn, query, page).await?,
        None => {
            let query = query
                .order_by(column, order)
                .order_by_asc(it_system::Column::Name)
                .order_by_asc(it_system::Column::Id);
            fetch_page(&txn, query, page).await?
        }
    };
    let mut items = Vec::with_capacity(found.items.len());
    for model in std::mem::take(&mut found.items) {
        items.push(view(&txn, model).await?);
    }
    txn.commit().await?;
    Ok(found.with_items(items))
}

pub async fn get_system(db: &Db, principal: &Principal, id: Uuid) -> DomainResult<ItSystem> {
    let tenant = tenant_for(principal, Action::ReadContracts)?;
    let txn = db.read(Scope::Tenant(tenant)).await?;
    let found = view(
        &txn,
        scoped_get::<it_system::Entity, _>(&txn, tenant, id).await?,
    )
    .await?;
    txn.commit().await?;
    Ok(found)
}

/// The ids of the contracts that cover the system.
pub async fn contracts_covering<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    system: Uuid,
) -> DomainResult<Vec<Uuid>> {
    Ok(scoped::<contract_system::Entity>(tenant)
        .filter(contract_system::Column::ItSystemId.eq(system))
        .all(conn)
        .await?
        .into_iter()
        .map(|link| link.contract_id)
        .collect())
}

pub async fn create_system(
    db: &Db,
    principal: &Principal,
    input: SystemInput,
) -> DomainResult<ItSystem> {
    let tenant = tenant_for(principal, Action::WriteContracts)?;
    let txn = db.write(Scope::Tenant(tenant)).await?;
    let created = create_in(&txn, principal, tenant, Uuid::new_v4(), input).await?;
    txn.commit().await?;
    Ok(created)
}

/// Registers a system with the id `id` in the caller's transaction, with
/// its audit record.
pub(crate) async fn create_in<C: ConnectionTrait>(
    txn: &C,
    principal: &Principal,
    tenant: TenantId,
    id: Uuid,
    input: SystemInput,
) -> DomainResult<ItSystem> {
    let valid = validate(txn, tenant, input, None).await?;
    let now = Utc::now();
    let created = it_system::ActiveModel {
        id: Set(id),
        tenant_id: Set(tenant.0),
        name: Set(valid.name),
        category: Set(valid.category),
        supplier_id: Set(valid.supplier_id),
        system_owner: Set(valid.system_owner),
        owner_user_id: Set(valid.owner_user_id),
        status: Set(valid.status),
        description: Set(valid.description),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        archived_at: Set(None),
        kitos_uuid: Set(None),
    }
    .insert(txn)
    .await?;
    let created = view(txn, created).await?;
    record(
        txn,
        principal,
        tenant,
        "it_system.created",
        created.id,
        None,
        Some(&created),
    )
    .await?;
    Ok(created)
}

/// Replaces a system's fields. Needs the version last read.
pub async fn update_system(
    db: &Db,
    principal: &Principal,
    id: Uuid,
    expected_version: Option<i32>,
    input: SystemInput,
) -> DomainResult<ItSystem> {
    let tenant = tenant_for(principal, Action::WriteContracts)?;
    let txn = db.write(Scope::Tenant(tenant)).await?;
    let after = update_in(&txn, principal, tenant, id, expected_version, input).await?;
    txn.commit().await?;
    Ok(after)
}

/// `update_system` in the caller's transaction.
pub(crate) async fn update_in<C: ConnectionTrait>(
    txn: &C,
    principal: &Principal,
    tenant: TenantId,
    id: Uuid,
    expected_version: Option<i32>,
    input: SystemInput,
) -> DomainResult<ItSystem> {
    let current = scoped_get::<it_system::Entity, _>(txn, tenant, id).await?;
    let current_owner = current.owner_user_id;
    let current = versioned::check(current, expected_version, |m| view(txn, m)).await?;
    let valid = validate(txn, tenant, input, current_owner).await?;
    let renamed = valid.name != current.row().name;
    let changes = Changes::<it_system::Entity>::tenant(tenant)
        .set(it_system::Column::Name, valid.name)
        .set(it_system::Column::Category, valid.category)
        .set(it_system::Column::SupplierId, valid.supplier_id)
        .set(it_system::Column::SystemOwner, valid.system_owner)
        .set(it_system::Column::OwnerUserId, valid.owner_user_id)
        .set(it_system::Column::Status, valid.status)
        .set(it_system::Column::Description, valid.description);
    let after = versioned::update(
        txn,
        principal,
        current,
        changes,
        trail(tenant),
        "it_system.updated",
    )
    .await?;
    if renamed {
        crate::contracts::reindex_covering(txn, tenant, id).await?;
    }
    Ok(after)
}

/// Archives (`archive = true`) or restores a system, given the version the
/// caller last read (`If-Match`). Asking for the state it has changes nothing.
pub async fn set_archived(
    db: &Db,
    principal: &Principal,
    id: Uuid,
    expected_version: Option<i32>,
    archive: bool,
) -> DomainResult<ItSystem> {
    let tenant = tenant_for(principal, Action::WriteContracts)?;
    let txn = db.write(Scope::Tenant(tenant)).await?;
    let found = set_archived_in(&txn, principal, tenant, id, expected_version, archive).await?;
    txn.commit().await?;
    Ok(found)
}

/// `set_archived` in the caller's transaction.
pub(crate) async fn set_archived_in<C: ConnectionTrait>(
    txn: &C,
    principal: &Principal,
    tenant: TenantId,
    id: Uuid,
    expected_version: Option<i32>,
    archive: bool,
) -> DomainResult<ItSystem> {
    let current = scoped_get::<it_system::Entity, _>(txn, tenant, id).await?;
    let current = versioned::check(current, expected_version, |m| view(txn, m)).await?;
    versioned::set_archived(
        txn,
        principal,
        current,
        archive,
        Changes::tenant(tenant),
        trail(tenant),
    )
    .await
}

/// Where changes to the tenant's systems are recorded.
fn trail(tenant: TenantId) -> Trail<'static> {
    Trail {
        tenant: Some(tenant),
        kind: KIND,
    }
}

async fn record<C: ConnectionTrait>(
    conn: &C,
    principal: &Principal,
    tenant: TenantId,
    action: &str,
    id: Uuid,
    before: Option<&ItSystem>,
    after: Option<&ItSystem>,
) -> DomainResult<()> {
    audit::record(
        conn,
        principal,
        Some(tenant),
        Change {
            action,
            object_kind: KIND,
            object_id: id,
            before: before.and_then(|s| serde_json::to_value(s).ok()),
            after: after.and_then(|s| serde_json::to_value(s).ok()),
        },
    )
    .await
}
