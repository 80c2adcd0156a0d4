//! Writing contracts: create, replace and archive or restore, each in one
//! transaction with its audit record; only the owner changes a contract.

use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, NotSet, QueryFilter, QueryOrder, QuerySelect,
    QueryTrait, Set,
};
use uuid::Uuid;

use super::rows::{model_of, search_text};
use super::types::{Contract, ContractInput, KIND};
use super::validation::{Valid, validate};
use super::views::{covered_systems, one_view};
use crate::audit::{self, Change};
use crate::db::{Db, Scope, scoped, scoped_delete, scoped_get, scoped_update};
use crate::entities::{contract, contract_system, it_system};
use crate::error::{DomainError, DomainResult};
use crate::policy::Action;
use crate::principal::{Principal, TenantId};
use crate::shares;
use crate::systems::tenant_for;
use crate::templates::usage::{self as template_usage, ValidUse};
use crate::versioned::{self, Changes, Trail};
use crate::webhooks::{self, EventType};

pub(super) async fn system_names<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    ids: &[Uuid],
) -> DomainResult<Vec<String>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(scoped::<it_system::Entity>(tenant)
        .filter(it_system::Column::Id.is_in(ids.to_vec()))
        .order_by_asc(it_system::Column::Name)
        .all(conn)
        .await?
        .into_iter()
        .map(|s| s.name)
        .collect())
}

/// Rewrites the search text of `tenant`'s contracts that cover `system`,
/// whose name has changed: the text holds a contract's systems' names, so
/// a search by the new name finds them and one by the old name no longer
/// does. Only the search text changes, which no reader sees: the contracts'
/// versions and last changes stay as they were.
pub(crate) async fn reindex_covering<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    system: Uuid,
) -> DomainResult<()> {
    let covering = scoped::<contract::Entity>(tenant)
        .filter(
            contract::Column::Id.in_subquery(
                scoped::<contract_system::Entity>(tenant)
                    .filter(contract_system::Column::ItSystemId.eq(system))
                    .select_only()
                    .column(contract_system::Column::ContractId)
                    .into_query(),
            ),
        )
        .all(conn)
        .await?;
    let mut covered = covered_systems(conn, tenant, &covering).await?;
    for model in covering {
        let supplier = crate::suppliers::get(conn, model.supplier_id).await?;
        // In name order, as a write stores them (`system_names`).
        let mut names: Vec<String> = covered
            .remove(&model.id)
            .unwrap_or_default()
            .into_iter()
            .map(|s| s.name)
            .collect();
        names.sort();
        scoped_update::<contract::Entity>(tenant)
            .filter(contract::Column::Id.eq(model.id))
            .col_expr(
                contract::Column::SearchText,
                Expr::value(search_text(&model, &supplier, &names)),
            )
            .exec(conn)
            .await?;
    }
    Ok(())
}

async fn link_systems<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    id: Uuid,
    system_ids: &[Uuid],
) -> DomainResult<()> {
    scoped_delete::<contract_system::Entity>(tenant)
        .filter(contract_system::Column::ContractId.eq(id))
        .exec(conn)
        .await?;
    for system in system_ids {
        contract_system::ActiveModel {
            contract_id: Set(id),
            it_system_id: Set(*system),
            tenant_id: Set(tenant.0),
        }
        .insert(conn)
        .await?;
    }
    Ok(())
}

pub async fn create_contract(
    db: &Db,
    principal: &Principal,
    input: ContractInput,
) -> DomainResult<Contract> {
    let tenant = tenant_for(principal, Action::WriteContracts)?;
    let txn = db.write(Scope::Tenant(tenant)).await?;
    let created = create_in(&txn, principal, tenant, Uuid::new_v4(), input).await?;
    txn.commit().await?;
    Ok(created)
}

/// Registers a contract with the id `id` in the caller's transaction:
/// validation, audit record and webhook event as for any contract.
pub(crate) async fn create_in<C: ConnectionTrait>(
    txn: &C,
    principal: &Principal,
    tenant: TenantId,
    id: Uuid,
    input: ContractInput,
) -> DomainResult<Contract> {
    let (valid, template) = validate_with_template(txn, tenant, None, input, None).await?;
    let names = system_names(txn, tenant, &valid.input.system_ids).await?;
    let mut model = model_of(&valid, tenant, id, &names, Utc::now());
    model.created_by = principal.actor_id();
    contract::ActiveModel::from(model).insert(txn).await?;
    link_systems(txn, tenant, id, &valid.input.system_ids).await?;
    template_usage::store_use(txn, tenant, id, template).await?;
    let created = one_view(
        txn,
        tenant,
        scoped_get::<contract::Entity, _>(txn, tenant, id).await?,
    )
    .await?;
    record(
        txn,
        principal,
        tenant,
        "contract.created",
        id,
        None,
        Some(&created),
    )
    .await?;
    webhooks::enqueue(
        txn,
        tenant,
        EventType::ContractCreated,
        id,
        event_data(&created),
    )
    .await?;
    Ok(created)
}

/// Replaces a contract's fields. Needs the version last read (`If-Match`).
pub async fn update_contract(
    db: &Db,
    principal: &Principal,
    id: Uuid,
    expected_version: Option<i32>,
    input: ContractInput,
) -> DomainResult<Contract> {
    let tenant = tenant_for(principal, Action::WriteContracts)?;
    let txn = db.write(Scope::Tenant(tenant)).await?;
    let after = update_in(&txn, principal, tenant, id, expected_version, input).await?;
    txn.commit().await?;
    Ok(after)
}

/// `update_contract` in the caller's transaction.
pub(crate) async fn update_in<C: ConnectionTrait>(
    txn: &C,
    principal: &Principal,
    tenant: TenantId,
    id: Uuid,
    expected_version: Option<i32>,
    input: ContractInput,
) -> DomainResult<Contract> {
    let current = own_contract(txn, tenant, id).await?;
    let current = versioned::check(current, expected_version, |m| one_view(txn, tenant, m)).await?;
    if current.row().archived_at.is_some() {
        return Err(DomainError::conflict(
            "the contract is archived; restore it first",
        ));
    }
    let link = template_usage::current_use(txn, tenant, id).await?;
    let (valid, template) =
        validate_with_template(txn, tenant, Some(id), input, link.as_ref()).await?;
    let names = system_names(txn, tenant, &valid.input.system_ids).await?;
    let model = model_of(&valid, tenant, id, &names, Utc::now());
    // Every field the caller writes is replaced: the input is the contract
    // whole. Identity, creation and the version are not the caller's.
    let mut active = contract::ActiveModel::from(model).reset_all();
    active.id = NotSet;
    active.tenant_id = NotSet;
    active.version = NotSet;
    active.created_by = NotSet;
    active.created_at = NotSet;
    active.updated_at = NotSet;
    // Where the contract came from is not the caller's either.
    active.kitos_uuid = NotSet;
    // Decisions keep the deadlines they handled; a moved deadline is open again.
    active.notice_deadline_handled_on = NotSet;
    active.retender_start_handled_on = NotSet;
    // The links are the contract's own rows: written first, they are undone
    // with the rest should the versioned write be refused.
    link_systems(txn, tenant, id, &valid.input.system_ids).await?;
    template_usage::store_use(txn, tenant, id, template).await?;
    let after = versioned::update(
        txn,
        principal,
        current,
        Changes::tenant(tenant).set_model(active),
        trail(tenant),
        "contract.updated",
    )
    .await?;
    webhooks::enqueue(
        txn,
        tenant,
        EventType::ContractUpdated,
        id,
        event_data(&after),
    )
    .await?;
    Ok(after)
}

/// Validates the contract's fields and its template section together, so
/// that every field error comes back at once.
async fn validate_with_template<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    id: Option<Uuid>,
    mut input: ContractInput,
    current: Option<&crate::entities::contract_template::Model>,
) -> DomainResult<(Valid, Option<ValidUse>)> {
    let template = match input.template.take() {
        None => Ok(None),
        Some(section) => template_usage::check_use(conn, tenant, &section, current)
            .await?
            .map(Some),
    };
    match (validate(conn, tenant, id, input).await, template) {
        (Ok(valid), Ok(template)) => Ok((valid, template)),
        (Err(DomainError::Validation(mut errors)), Err(more)) => {
            errors.extend(more);
            Err(DomainError::Validation(errors))
        }
        (Ok(_), Err(errors)) => Err(DomainError::Validation(errors)),
        (Err(e), _) => Err(e),
    }
}

pub(super) async fn own_contract<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    id: Uuid,
) -> DomainResult<contract::Model> {
    match scoped_get::<contract::Entity, _>(conn, tenant, id).await {
        Err(DomainError::NotFound) if shares::is_visible_to(conn, tenant, KIND, id).await? => Err(
            DomainError::Forbidden("a shared contract is read-only; only its owner changes it"),
        ),
        other => other,
    }
}

/// Archives (`archive = true`) or restores a contract, given the version the
/// caller last read (`If-Match`). Archived contracts leave lists and
/// deadlines but keep their history; nothing is deleted.
pub async fn set_archived(
    db: &Db,
    principal: &Principal,
    id: Uuid,
    expected_version: Option<i32>,
    archive: bool,
) -> DomainResult<Contract> {
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
) -> DomainResult<Contract> {
    let current = own_contract(txn, tenant, id).await?;
    let current = versioned::check(current, expected_version, |m| one_view(txn, tenant, m)).await?;
    let found = versioned::set_archived(
        txn,
        principal,
        current,
        archive,
        Changes::tenant(tenant),
        trail(tenant),
    )
    .await?;
    // A restored contract is an updated one to a subscriber.
    let event = if archive {
        EventType::ContractArchived
    } else {
        EventType::ContractUpdated
    };
    webhooks::enqueue(txn, tenant, event, id, event_data(&found)).await?;
    Ok(found)
}

/// A contract event's `data`: which contract, at which version; the
/// subscriber reads the rest with `GET /contracts/{id}`.
pub(super) fn event_data(contract: &Contract) -> serde_json::Value {
    serde_json::json!({
        "id": contract.id,
        "version": contract.version,
        "title": contract.title,
        "archived": contract.archived_at.is_some(),
    })
}

/// Where changes to the tenant's contracts are recorded.
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
    before: Option<&Contract>,
    after: Option<&Contract>,
) -> DomainResult<()> {
    audit::record(
        conn,
        principal,
        Some(tenant),
        Change {
            action,
            object_kind: KIND,
            object_id: id,
            before: before.and_then(|c| serde_json::to_value(c).ok()),
            after: after.and_then(|c| serde_json::to_value(c).ok()),
        },
    )
    .await
}
