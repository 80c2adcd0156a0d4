//! Reading contracts: the views a municipality sees of its own contracts
//! and of those shared with it, owner, supplier and covered systems filled in.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use chrono::NaiveDate;
use sea_orm::sea_query::{Alias, Asterisk, Expr, Query, SelectStatement};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityName, EntityTrait, FromQueryResult, IdenStatic,
    Iterable, JoinType, QueryFilter, QueryResult, QuerySelect, QueryTrait, RelationDef, Select,
};
use uuid::Uuid;

use super::rows::{ContractRow, apply_derived, status_on};
use super::types::{Contract, KIND, Owner, SystemRef, today};
use crate::db::{Db, Rider, Scope, as_shared_with_me, platform, scoped, scoped_get};
use crate::entities::{contract, contract_system, it_system, supplier, tenant};
use crate::error::{DomainError, DomainResult};
use crate::people::OwnerRef;
use crate::policy::Action;
use crate::principal::{Principal, TenantId};
use crate::shares;
use crate::suppliers::Supplier;
use crate::systems::tenant_for;
use crate::templates::usage::ContractTemplate;

/// A contract read with its owner's and its supplier's names, joined into
/// the same statement (`names`).
#[derive(Debug, FromQueryResult)]
pub(super) struct Named {
    #[sea_orm(nested)]
    row: ContractRow,
    owner_name: String,
    owner_code: String,
    supplier_cvr: String,
    supplier_name: String,
    /// Based on a template (`based_on_template`).
    templated: bool,
}

/// A contract read with its names, and its covered systems in the same
/// statement (`systems_of`).
#[derive(Debug, FromQueryResult)]
struct NamedWithSystems {
    #[sea_orm(nested)]
    named: Named,
    /// A JSON array of `[id, name]` pairs.
    systems: String,
}

impl Named {
    pub(super) fn contract(&self) -> &contract::Model {
        &self.row.0
    }
}

/// One page of contracts read with their owners' and suppliers' names
/// (`names`) and their covered systems (`systems_of`), in one statement:
/// the list needs no separate statements for those.
pub(super) struct NamedPage {
    rows: Vec<Named>,
    covered: HashMap<Uuid, Vec<SystemRef>>,
}

/// What was read with contracts' rows: their covered systems, and which of
/// them are based on a template (only those have a template section to
/// read).
struct ReadWith {
    covered: HashMap<Uuid, Vec<SystemRef>>,
    templated: HashSet<Uuid>,
}

impl NamedPage {
    pub(super) fn last(&self) -> Option<&contract::Model> {
        self.rows.last().map(Named::contract)
    }
}

/// Reads the page `query` selects (its order, offset and limit set), and
/// with `beside` that statement's single row (the list's totals) in the
/// same statement, returned as read: a page needs no statement of its own
/// for them. The page is a subquery, so the systems are worked out for its
/// rows only: in the page's own select list PostgreSQL works them out for
/// the rows the offset skips too, and SQLite for every row it sorts.
/// `beside` is the left side of a join on nothing, so its row comes back
/// even when the page is empty (its contract columns are then null). The
/// outer statement does not sort: a nested loop, the only join there is on
/// nothing, keeps the page's order, as does the statement without a join.
pub(super) async fn named_page<C: ConnectionTrait>(
    conn: &C,
    query: Select<contract::Entity>,
    beside: Option<SelectStatement>,
) -> DomainResult<(NamedPage, Option<QueryResult>)> {
    let backend = conn.get_database_backend();
    let page = Alias::new(contract::Entity.table_name());
    let mut statement = Query::select();
    statement
        .column((page.clone(), Asterisk))
        .expr_as(systems_of(backend), Alias::new("systems"));
    match beside {
        None => statement.from_subquery(names(query).into_query(), page),
        Some(beside) => {
            let with = Alias::new("beside");
            statement
                .column((with.clone(), Asterisk))
                .from_subquery(beside, with)
                .join_subquery(
                    JoinType::LeftJoin,
                    names(query).into_query(),
                    page,
                    Expr::cust("TRUE"),
                )
        }
    };
    let found = conn.query_all_raw(backend.build(&statement)).await?;
    let mut rows = Vec::with_capacity(found.len());
    let mut covered = HashMap::with_capacity(found.len());
    for row in &found {
        if row.try_get::<Option<Uuid>>("", "id")?.is_none() {
            continue;
        }
        let row = NamedWithSystems::from_query_result(row, "")?;
        covered.insert(row.named.contract().id, read_systems(&row.systems)?);
        rows.push(row.named);
    }
    Ok((NamedPage { rows, covered }, found.into_iter().next()))
}

/// `query` with the joins and columns `Named` reads beside the contract.
/// Every contract has a supplier, so the supplier's join is a left join
/// only for PostgreSQL's planner: a list's generic plan expects a search to
/// match a few contracts, and with an inner join it scanned the suppliers
/// once and compared each with every matching contract (13,000 comparisons
/// for `q=drift`, 2.7 of the page's 3.6 ms). A left join keeps the
/// contracts as the outer side (0.6 ms there); the first page keeps its
/// index lookups.
fn names(query: Select<contract::Entity>) -> Select<contract::Entity> {
    let owner: RelationDef = contract::Entity::belongs_to(tenant::Entity)
        .from(contract::Column::TenantId)
        .to(tenant::Column::Id)
        .into();
    query
        .join(JoinType::InnerJoin, owner)
        .join(JoinType::LeftJoin, contract_supplier())
        .column_as(tenant::Column::Name, "owner_name")
        .column_as(tenant::Column::MunicipalityCode, "owner_code")
        .column_as(supplier::Column::Cvr, "supplier_cvr")
        .column_as(supplier::Column::Name, "supplier_name")
        .column_as(based_on_template(), "templated")
}

/// Whether a contract is based on a template: a page without any such
/// contract needs no statement for template sections (`sections_of`). The
/// link is the owner's row, readable to a reader of a shared contract.
fn based_on_template() -> Expr {
    Expr::cust(
        "EXISTS (SELECT 1 FROM contract_templates AS ct \
         WHERE ct.contract_id = \"contracts\".\"id\" \
         AND ct.tenant_id = \"contracts\".\"tenant_id\")",
    )
}

/// A contract's supplier, to join.
pub(super) fn contract_supplier() -> RelationDef {
    contract::Entity::belongs_to(supplier::Entity)
        .from(contract::Column::SupplierId)
        .to(supplier::Column::Id)
        .into()
}

/// A contract's covered systems as a JSON array of `[id, name]` pairs, for
/// the contract's own row: the links and the systems are its owner's rows,
/// as `covered_systems` reads them (on PostgreSQL, row-level security lets
/// a reader of a shared contract read them too). SQLite stores ids as
/// blobs, which JSON cannot hold, so it writes them in hex.
fn systems_of(backend: DbBackend) -> Expr {
    let pairs = match backend {
        DbBackend::Postgres => {
            "COALESCE(json_agg(json_build_array(cs.it_system_id, s.name))::text, '[]')"
        }
        _ => "json_group_array(json_array(hex(cs.it_system_id), s.name))",
    };
    Expr::cust(format!(
        "(SELECT {pairs} FROM contract_systems AS cs \
         JOIN it_systems AS s ON s.id = cs.it_system_id \
         WHERE cs.contract_id = \"contracts\".\"id\" \
         AND cs.tenant_id = \"contracts\".\"tenant_id\" \
         AND s.tenant_id = \"contracts\".\"tenant_id\")"
    ))
}

/// The systems `systems_of` wrote.
fn read_systems(json: &str) -> DomainResult<Vec<SystemRef>> {
    let pairs: Vec<(String, String)> = serde_json::from_str(json)
        .map_err(|e| DomainError::Internal(format!("a contract's systems: {e}")))?;
    pairs
        .into_iter()
        .map(|(id, name)| {
            let id = Uuid::parse_str(&id)
                .map_err(|e| DomainError::Internal(format!("a system's id: {e}")))?;
            Ok(SystemRef { id, name })
        })
        .collect()
}

/// Builds the views of a page's contracts, as `viewer` sees them.
pub(super) async fn named_views<C: ConnectionTrait>(
    conn: &C,
    viewer: TenantId,
    page: NamedPage,
) -> DomainResult<Vec<Contract>> {
    views_of_named(conn, viewer, page.rows, page.covered).await
}

/// As `named_views`, with the rows' covered systems read with them.
async fn views_of_named<C: ConnectionTrait>(
    conn: &C,
    viewer: TenantId,
    rows: Vec<Named>,
    covered: HashMap<Uuid, Vec<SystemRef>>,
) -> DomainResult<Vec<Contract>> {
    let (models, parties, templated) = split(rows);
    let read = ReadWith { covered, templated };
    assemble(conn, viewer, models, parties, Some(read)).await
}

/// Named rows as their contracts, their owners and suppliers (in the same
/// order), and the ids of those based on a template.
fn split(rows: Vec<Named>) -> (Vec<contract::Model>, Vec<(Owner, Supplier)>, HashSet<Uuid>) {
    let mut models = Vec::with_capacity(rows.len());
    let mut parties = Vec::with_capacity(rows.len());
    let mut templated = HashSet::new();
    for row in rows {
        let contract = row.row.0;
        if row.templated {
            templated.insert(contract.id);
        }
        parties.push((
            Owner {
                id: contract.tenant_id,
                name: row.owner_name,
                municipality_code: row.owner_code,
            },
            Supplier {
                id: contract.supplier_id,
                cvr: row.supplier_cvr,
                name: row.supplier_name,
            },
        ));
        models.push(contract);
    }
    (models, parties, templated)
}

/// Builds the views of `models` as `viewer` sees them.
pub(crate) async fn views<C: ConnectionTrait>(
    conn: &C,
    viewer: TenantId,
    models: Vec<contract::Model>,
) -> DomainResult<Vec<Contract>> {
    let owners: HashSet<Uuid> = models.iter().map(|m| m.tenant_id).collect();
    let tenants: HashMap<Uuid, tenant::Model> = platform::<tenant::Entity>()
        .filter(tenant::Column::Id.is_in(owners))
        .all(conn)
        .await?
        .into_iter()
        .map(|t| (t.id, t))
        .collect();
    let supplier_ids: HashSet<Uuid> = models.iter().map(|m| m.supplier_id).collect();
    let suppliers: HashMap<Uuid, Supplier> = platform::<supplier::Entity>()
        .filter(supplier::Column::Id.is_in(supplier_ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|s| (s.id, Supplier::from(s)))
        .collect();
    let parties = models
        .iter()
        .map(|m| {
            let owner = tenants.get(&m.tenant_id).ok_or(DomainError::NotFound)?;
            let supplier = suppliers
                .get(&m.supplier_id)
                .cloned()
                .ok_or(DomainError::NotFound)?;
            Ok((
                Owner {
                    id: owner.id,
                    name: owner.name.clone(),
                    municipality_code: owner.municipality_code.clone(),
                },
                supplier,
            ))
        })
        .collect::<DomainResult<Vec<_>>>()?;
    assemble(conn, viewer, models, parties, None).await
}

/// The views of `models`, each with its owner and supplier (`parties`, in
/// the same order), covered systems and template (from what was `read`
/// with the rows, the rest read here) and owning user filled in.
async fn assemble<C: ConnectionTrait>(
    conn: &C,
    viewer: TenantId,
    models: Vec<contract::Model>,
    parties: Vec<(Owner, Supplier)>,
    read: Option<ReadWith>,
) -> DomainResult<Vec<Contract>> {
    let (covered, templated) = match read {
        Some(read) => (read.covered, Some(read.templated)),
        None => (covered_systems(conn, viewer, &models).await?, None),
    };
    let based: Vec<&contract::Model> = models
        .iter()
        .filter(|m| templated.as_ref().is_none_or(|ids| ids.contains(&m.id)))
        .collect();
    let sections = crate::templates::usage::sections_of(conn, viewer, &based).await?;
    // Owning users are people of the owning municipality: its own readers
    // see them, readers of a shared contract do not.
    let owner_users = crate::people::owners(
        conn,
        viewer,
        models
            .iter()
            .filter(|m| m.tenant_id == viewer.0)
            .filter_map(|m| m.owner_user_id),
    )
    .await?;
    let around = Around {
        covered,
        sections,
        owner_users,
    };
    Ok(build(viewer, models, parties, around))
}

/// What a contract's view shows beside its row, owner and supplier, by
/// contract id (owning users by user id).
struct Around {
    covered: HashMap<Uuid, Vec<SystemRef>>,
    sections: HashMap<Uuid, ContractTemplate>,
    owner_users: HashMap<Uuid, OwnerRef>,
}

/// The views of `models`, with their `parties` (in the same order) and
/// what was read `around` them; reads nothing.
fn build(
    viewer: TenantId,
    models: Vec<contract::Model>,
    parties: Vec<(Owner, Supplier)>,
    around: Around,
) -> Vec<Contract> {
    let Around {
        mut covered,
        mut sections,
        owner_users,
    } = around;
    let today = today();
    let mut result = Vec::with_capacity(models.len());
    for (mut m, (owner, supplier)) in models.into_iter().zip(parties) {
        // Another municipality's shared contract may not have been derived
        // today yet (its owner's server does that on its first read or at
        // midnight): the reader sees the dates as they will be stored.
        if m.derived_on < today {
            apply_derived(&mut m, today);
        }
        let mut systems = covered.remove(&m.id).unwrap_or_default();
        systems.sort_by(|a, b| a.name.cmp(&b.name));
        result.push(Contract {
            status: status_on(&m, today),
            id: m.id,
            owner,
            shared_with_viewer: m.tenant_id != viewer.0,
            title: m.title,
            reference: m.reference,
            description: m.description,
            status_override: m.status_override,
            contract_type: m.contract_type,
            parent_id: m.parent_id,
            supplier,
            systems,
            category: m.category,
            cpv_code: m.cpv_code,
            agreement_elements: m
                .agreement_elements
                .split(',')
                .filter(|e| !e.is_empty())
                .map(str::to_owned)
                .collect(),
            procedure: m.procedure,
            framework_agreement: m.framework_agreement,
            annual_value: m.annual_value.map(|v| v.0),
            total_value: m.total_value.map(|v| v.0),
            payment_model: m.payment_model,
            payment_frequency: m.payment_frequency,
            price_regulation: m.price_regulation,
            signed_on: m.signed_on,
            start_on: m.start_on,
            end_on: m.end_on,
            irrevocable_until: m.irrevocable_until,
            option_months: m.option_months.max(0) as u32,
            options_total: m.options_total.max(0) as u32,
            options_exercised: m.options_exercised.max(0) as u32,
            notice_period_months: m.notice_period_months.max(0) as u32,
            notice_to: m.notice_to,
            terminated_on: m.terminated_on,
            retender_lead_months: m.retender_lead_months.max(0) as u32,
            system_owner: m.system_owner,
            owner_user: m
                .owner_user_id
                .filter(|_| m.tenant_id == viewer.0)
                .and_then(|id| owner_users.get(&id).cloned()),
            responsible_unit: m.responsible_unit,
            supplier_contact: m.supplier_contact,
            criticality: m.criticality,
            notes: m.notes,
            publishable: m.publishable,
            notice_deadline: m.notice_deadline,
            effective_end: m.effective_end,
            latest_end: m.latest_end,
            retender_start: m.retender_start,
            template: sections.remove(&m.id),
            version: m.version,
            created_at: m.created_at,
            updated_at: m.updated_at,
            archived_at: m.archived_at,
            kitos_uuid: m.kitos_uuid,
        });
    }
    result
}

/// The systems each of `models` covers, by contract.
pub(super) async fn covered_systems<C: ConnectionTrait>(
    conn: &C,
    viewer: TenantId,
    models: &[contract::Model],
) -> DomainResult<HashMap<Uuid, Vec<SystemRef>>> {
    // Links and systems are the owner's rows: a reader of a shared contract
    // sees which of the owner's systems it covers by name, read as shared
    // with the reader (the callers found those contracts visible to it).
    let mut by_owner: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for m in models {
        by_owner.entry(m.tenant_id).or_default().push(m.id);
    }
    let mut covered: HashMap<Uuid, Vec<SystemRef>> = HashMap::new();
    for (owner, contract_ids) in by_owner {
        let owner = TenantId(owner);
        let links = if owner == viewer {
            scoped::<contract_system::Entity>(owner)
        } else {
            as_shared_with_me::<contract_system::Entity>(owner)
        };
        // Each link with its system's name, in one statement; the system is
        // the owner's row like the link.
        let through: sea_orm::RelationDef = contract_system::Entity::belongs_to(it_system::Entity)
            .from(contract_system::Column::ItSystemId)
            .to(it_system::Column::Id)
            .into();
        let found: Vec<(Uuid, Uuid, String)> = links
            .join(JoinType::InnerJoin, through)
            .filter(contract_system::Column::ContractId.is_in(contract_ids))
            .filter(it_system::Column::TenantId.eq(owner.0))
            .select_only()
            .column(contract_system::Column::ContractId)
            .column(contract_system::Column::ItSystemId)
            .column(it_system::Column::Name)
            .into_tuple()
            .all(conn)
            .await?;
        for (contract_id, id, name) in found {
            covered
                .entry(contract_id)
                .or_default()
                .push(SystemRef { id, name });
        }
    }
    Ok(covered)
}

pub(super) async fn one_view<C: ConnectionTrait>(
    conn: &C,
    viewer: TenantId,
    model: contract::Model,
) -> DomainResult<Contract> {
    views(conn, viewer, vec![model])
        .await?
        .pop()
        .ok_or(DomainError::NotFound)
}

/// A contract the principal may read: its own municipality's, or one shared
/// with a collaboration both are active members of. `NotFound` otherwise.
pub async fn get_contract(db: &Db, principal: &Principal, id: Uuid) -> DomainResult<Contract> {
    get_contract_read_ahead(db, principal, id, None).await
}

/// [`get_contract`], given what the request's first statement read of it
/// (`ahead`, see [`ContractAhead`]): the principal's permission is checked
/// as ever, and the contract is read again only where that read could not
/// give it.
pub async fn get_contract_read_ahead(
    db: &Db,
    principal: &Principal,
    id: Uuid,
    ahead: Option<ContractAhead>,
) -> DomainResult<Contract> {
    let tenant = tenant_for(principal, Action::ReadContracts)?;
    super::ensure_fresh(db, tenant).await?;
    let ahead =
        ahead.filter(|ahead| ahead.tenant == tenant && ahead.id == id && ahead.day == today());
    let own = match ahead {
        Some(ahead) => ahead.found,
        None => own_at_once(db, tenant, id).await?,
    };
    if let Some(own) = own {
        return Ok(own);
    }
    let txn = db.read(Scope::Tenant(tenant)).await?;
    // The municipality's own contract, with its names and systems, in one
    // statement; otherwise one shared with it, if any.
    let own = names(scoped::<contract::Entity>(tenant).filter(contract::Column::Id.eq(id)))
        .column_as(systems_of(txn.get_database_backend()), "systems")
        .into_model::<NamedWithSystems>()
        .one(&txn)
        .await?;
    let found = match own {
        Some(row) => {
            let covered = HashMap::from([(row.named.contract().id, read_systems(&row.systems)?)]);
            views_of_named(&txn, tenant, vec![row.named], covered)
                .await?
                .pop()
                .ok_or(DomainError::NotFound)?
        }
        None => {
            let model = shared_with_me(&txn, tenant, id).await?;
            one_view(&txn, tenant, model).await?
        }
    };
    txn.commit().await?;
    Ok(found)
}

/// A contract read by `samudbud_read_contract` (migration
/// `m20261209_000002_contract_reads`): its row and names, covered systems,
/// and owning user's name and e-mail.
#[derive(Debug, FromQueryResult)]
struct ReadAtOnce {
    #[sea_orm(nested)]
    read: NamedWithSystems,
    owner_user_name: Option<String>,
    owner_user_email: Option<String>,
}

/// On PostgreSQL, the municipality's own contract `id` and all its view
/// shows, in one statement with its own transaction rather than a
/// transaction's four. `None` when it is not the municipality's own (it
/// may be shared with it, or not be there), when it is based on a template
/// (its sections take more reads), and on SQLite, whose transactions cost
/// no round trips: the caller reads it in a transaction then.
async fn own_at_once(db: &Db, tenant: TenantId, id: Uuid) -> DomainResult<Option<Contract>> {
    if db.backend() != DbBackend::Postgres {
        return Ok(None);
    }
    let sql = "SELECT (f.contract_row).*, f.owner_name, f.owner_code, f.supplier_cvr, \
               f.supplier_name, f.templated, f.systems, f.owner_user_name, f.owner_user_email \
               FROM samudbud_read_contract($1, $2) f";
    match db.read_at_once(sql.to_owned(), tenant, &[id]).await? {
        Some(row) => read_at_once_view(tenant, &row, ""),
        None => Ok(None),
    }
}

/// The view of a contract `samudbud_read_contract` read into `row`, its
/// columns named with `prefix`; `None` when there is none or it is based
/// on a template.
fn read_at_once_view(
    tenant: TenantId,
    row: &QueryResult,
    prefix: &str,
) -> DomainResult<Option<Contract>> {
    let found = ReadAtOnce::from_query_result(row, prefix)?;
    if found.read.named.templated {
        return Ok(None);
    }
    let contract = found.read.named.contract();
    let covered = HashMap::from([(contract.id, read_systems(&found.read.systems)?)]);
    let owner_users = match (
        contract.owner_user_id,
        found.owner_user_name,
        found.owner_user_email,
    ) {
        (Some(user_id), Some(name), Some(email)) => HashMap::from([(
            user_id,
            OwnerRef {
                user_id,
                name,
                email,
            },
        )]),
        _ => HashMap::new(),
    };
    let (models, parties, _) = split(vec![found.read.named]);
    let around = Around {
        covered,
        sections: HashMap::new(),
        owner_users,
    };
    Ok(build(tenant, models, parties, around).pop())
}

/// The prefix of a contract's columns read in the account's statement.
const AHEAD: &str = "ahead_";

/// A contract by id read in the request's first statement, the one that
/// reads its account (`Db::account_at_once`), on PostgreSQL: a request for
/// one contract then takes one statement and one round trip to the
/// database instead of two. It is read before the principal's permission
/// is known, so it only ever reaches [`get_contract_read_ahead`], which
/// checks that permission and that it is the municipality's and the
/// contract it asks for, on the same day.
#[derive(Debug)]
pub struct ContractAhead {
    tenant: TenantId,
    id: Uuid,
    /// The Danish date it was read on: its dates and status count from it.
    day: NaiveDate,
    /// `None` when `samudbud_read_contract` could not give it whole (see
    /// `own_at_once`).
    found: Option<Contract>,
}

/// A [`ContractAhead`] on its way: the rider that reads it in the
/// account's statement.
pub(crate) struct ContractRider {
    tenant: TenantId,
    day: NaiveDate,
    pub(crate) rider: Rider,
}

impl ContractRider {
    /// What the account's statement reads for `tenant`'s contract `id`, if
    /// anything: on PostgreSQL, once the municipality's derived dates are
    /// known to be current today, since a stale register is re-derived
    /// before it is read (`ensure_fresh`). Otherwise the contract is read
    /// on its own.
    pub(crate) fn new(db: &Db, tenant: TenantId, id: Uuid) -> Option<Self> {
        static COLUMNS: LazyLock<String> = LazyLock::new(|| {
            contract::Column::iter()
                .map(|column| {
                    let name = column.as_str();
                    format!("(f.contract_row).{name} AS {AHEAD}{name}")
                })
                .chain(
                    [
                        "owner_name",
                        "owner_code",
                        "supplier_cvr",
                        "supplier_name",
                        "templated",
                        "systems",
                        "owner_user_name",
                        "owner_user_email",
                    ]
                    .map(|name| format!("f.{name} AS {AHEAD}{name}")),
                )
                .collect::<Vec<_>>()
                .join(", ")
        });
        let day = today();
        (db.backend() == DbBackend::Postgres && db.fresh_on(tenant, day)).then(|| Self {
            tenant,
            day,
            rider: Rider {
                join: "LEFT JOIN samudbud_read_contract($1, $3) f ON true",
                columns: COLUMNS.as_str(),
                id,
            },
        })
    }

    /// The contract the rider read into the account's `row`.
    pub(crate) fn read(self, row: &QueryResult) -> DomainResult<ContractAhead> {
        let present: Option<Uuid> = row.try_get(AHEAD, "id")?;
        let found = match present {
            Some(_) => read_at_once_view(self.tenant, row, AHEAD)?,
            None => None,
        };
        Ok(ContractAhead {
            tenant: self.tenant,
            id: self.rider.id,
            day: self.day,
            found,
        })
    }
}

pub(crate) async fn readable<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    id: Uuid,
) -> DomainResult<contract::Model> {
    match scoped_get::<contract::Entity, _>(conn, tenant, id).await {
        Ok(own) => Ok(own),
        Err(DomainError::NotFound) => shared_with_me(conn, tenant, id).await,
        Err(e) => Err(e),
    }
}

/// Another municipality's contract `id`, if it is shared with `tenant` and
/// not archived; `NotFound` otherwise.
async fn shared_with_me<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    id: Uuid,
) -> DomainResult<contract::Model> {
    let owner = shares::shared_owner(conn, tenant, KIND, id)
        .await?
        .ok_or(DomainError::NotFound)?;
    as_shared_with_me::<contract::Entity>(owner)
        .filter(contract::Column::Id.eq(id))
        .filter(contract::Column::ArchivedAt.is_null())
        .one(conn)
        .await?
        .ok_or(DomainError::NotFound)
}
