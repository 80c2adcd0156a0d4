//! The use cases: a municipality's Kitos connection, the preview of a run,
//! runs as background jobs with progress, and the log of runs. Municipality
//! admins only.
//!
//! A run reads Kitos first (contracts and system usages changed since the
//! last run, deletions since then), then goes through the objects:
//! suppliers by CVR (registered when new), IT systems by usage uuid, then
//! contracts, main contracts before those under them. Each object is
//! written in a transaction of its own with the write paths of the register
//! (`contracts::create_in`, `update_in`, `set_archived_in`, the same for
//! systems), its Kitos uuid and the snapshot of what was imported; the
//! watermarks move only when every object is through, so a run that stops
//! halfway is simply done again, and finds the objects it wrote unchanged.
//! A preview is the same walk with nothing written.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::client::{HttpKitos, KitosSource};
use super::mapping::{
    self, CONTRACT_FIELDS, FieldDifference, Fields, MappedContract, NotTransferred, SYSTEM_FIELDS,
    fields_of, reconcile,
};
use super::model::Choice;
use crate::audit::{self, Change};
use crate::contracts::{self, ContractInput};
use crate::db::{Db, Scope, platform, platform_by_id, scoped, scoped_delete, scoped_update};
use crate::entities::{
    contract, it_system, kitos_connection, kitos_run, kitos_snapshot, supplier, tenant,
};
use crate::error::{DomainError, DomainResult, FieldError};
use crate::policy::{Action, authorize};
use crate::principal::{Principal, TenantId};
use crate::secrets::SecretBox;
use crate::systems::{self, SystemInput};
use crate::values::{Cvr, Email};
use crate::webhooks::{UrlRules, check_url};

const CONTRACT: &str = "contract";
const SYSTEM: &str = "it_system";

fn admin_tenant(principal: &Principal) -> DomainResult<TenantId> {
    match authorize(principal, Action::ManageKitos)? {
        Scope::Tenant(tenant) => Ok(tenant),
        Scope::System => Err(DomainError::Forbidden("Kitos belongs to a municipality")),
    }
}

// ---------------------------------------------------------------------------
// The connection

/// A connection as the admin reads it: never the password, only whether
/// one is stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Connection {
    pub base_url: String,
    pub email: String,
    pub password_stored: bool,
    pub organization_uuid: Option<Uuid>,
    /// Where the next run starts reading changed contracts (none: from
    /// the start, a first import).
    pub contracts_since: Option<DateTime<Utc>>,
    pub deleted_since: Option<DateTime<Utc>>,
    pub last_run_at: Option<DateTime<Utc>>,
    pub version: i32,
    pub updated_at: DateTime<Utc>,
}

impl From<kitos_connection::Model> for Connection {
    fn from(m: kitos_connection::Model) -> Self {
        Self {
            base_url: m.base_url,
            email: m.email,
            password_stored: !m.password_sealed.is_empty(),
            organization_uuid: m.organization_uuid,
            contracts_since: m.contracts_since,
            deleted_since: m.deleted_since,
            last_run_at: m.last_run_at,
            version: m.version,
            updated_at: m.updated_at,
        }
    }
}

/// A connection as the admin writes it. `password: None` keeps the one
/// stored; `organization_uuid: None` lets the run find the municipality's
/// organisation in Kitos by its CVR number.
#[derive(Debug, Clone, Default)]
pub struct ConnectionInput {
    pub base_url: String,
    pub email: String,
    pub password: Option<String>,
    pub organization_uuid: Option<Uuid>,
}

async fn stored<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
) -> DomainResult<Option<kitos_connection::Model>> {
    Ok(scoped::<kitos_connection::Entity>(tenant).one(conn).await?)
}

pub async fn get_connection(db: &Db, principal: &Principal) -> DomainResult<Connection> {
    let tenant = admin_tenant(principal)?;
    let txn = db.read(Scope::Tenant(tenant)).await?;
    let found = stored(&txn, tenant).await?.ok_or(DomainError::NotFound)?;
    txn.commit().await?;
    Ok(found.into())
}

/// Stores the municipality's connection. A new address or organisation
/// starts over with a first import (the watermarks are cleared); the
/// objects imported before keep their Kitos uuids.
pub async fn put_connection(
    db: &Db,
    principal: &Principal,
    secrets: &SecretBox,
    rules: UrlRules,
    input: ConnectionInput,
) -> DomainResult<Connection> {
    let tenant = admin_tenant(principal)?;
    let mut errors = Vec::new();
    let base_url = check_url(&input.base_url, rules)
        .map(|url| url.trim_end_matches('/').to_owned())
        .map_err(|mut e| {
            e.field = "base_url".into();
            errors.push(e)
        })
        .ok();
    let email = Email::parse("email", &input.email)
        .map_err(|e| errors.push(e))
        .ok();
    let password = match input.password.as_deref() {
        Some("") => {
            errors.push(FieldError::new("password", "required", "must not be empty"));
            None
        }
        Some(p) if p.chars().count() > 500 => {
            errors.push(FieldError::new(
                "password",
                "too_long",
                "must be at most 500 characters",
            ));
            None
        }
        other => other.map(str::to_owned),
    };
    let txn = db.write(Scope::Tenant(tenant)).await?;
    let current = stored(&txn, tenant).await?;
    if current.is_none() && input.password.is_none() {
        errors.push(FieldError::new(
            "password",
            "required",
            "the Kitos API user's password is required the first time",
        ));
    }
    let (Some(base_url), Some(email), true) = (base_url, email, errors.is_empty()) else {
        return Err(DomainError::Validation(errors));
    };
    let now = Utc::now();
    let sealed = password.map(|p| secrets.seal(&p));
    let saved = match current {
        None => {
            kitos_connection::ActiveModel {
                tenant_id: Set(tenant.0),
                base_url: Set(base_url),
                email: Set(email.as_str().to_owned()),
                password_sealed: Set(sealed.unwrap_or_default()),
                organization_uuid: Set(input.organization_uuid),
                contracts_since: Set(None),
                usages_since: Set(None),
                deleted_since: Set(None),
                last_run_at: Set(None),
                version: Set(1),
                updated_by: Set(principal.actor_id()),
                created_at: Set(now),
                updated_at: Set(now),
            }
            .insert(&txn)
            .await?
        }
        Some(current) => {
            let moved = current.base_url != base_url
                || (input.organization_uuid.is_some()
                    && current.organization_uuid != input.organization_uuid);
            let mut update = scoped_update::<kitos_connection::Entity>(tenant)
                .col_expr(kitos_connection::Column::BaseUrl, Expr::value(base_url))
                .col_expr(
                    kitos_connection::Column::Email,
                    Expr::value(email.as_str().to_owned()),
                )
                .col_expr(
                    kitos_connection::Column::Version,
                    Expr::value(current.version + 1),
                )
                .col_expr(
                    kitos_connection::Column::UpdatedBy,
                    Expr::value(principal.actor_id()),
                )
                .col_expr(kitos_connection::Column::UpdatedAt, Expr::value(now));
            if let Some(sealed) = sealed {
                update = update.col_expr(
                    kitos_connection::Column::PasswordSealed,
                    Expr::value(sealed),
                );
            }
            if moved || input.organization_uuid.is_some() {
                update = update.col_expr(
                    kitos_connection::Column::OrganizationUuid,
                    Expr::value(input.organization_uuid),
                );
            }
            if moved {
                // Another Kitos, or another organisation: a first import again.
                let never: Option<DateTime<Utc>> = None;
                update = update
                    .col_expr(kitos_connection::Column::ContractsSince, Expr::value(never))
                    .col_expr(kitos_connection::Column::UsagesSince, Expr::value(never))
                    .col_expr(kitos_connection::Column::DeletedSince, Expr::value(never));
            }
            update.exec(&txn).await?;
            stored(&txn, tenant).await?.ok_or(DomainError::NotFound)?
        }
    };
    let view = Connection::from(saved);
    audit::record(
        &txn,
        principal,
        Some(tenant),
        Change {
            action: "kitos_connection.saved",
            object_kind: "kitos_connection",
            object_id: tenant.0,
            before: None,
            after: serde_json::to_value(&view).ok(),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(view)
}

/// Removes the connection (and the stored password). Imported objects stay,
/// with their Kitos uuids and snapshots, for a later connection.
pub async fn delete_connection(db: &Db, principal: &Principal) -> DomainResult<()> {
    let tenant = admin_tenant(principal)?;
    let txn = db.write(Scope::Tenant(tenant)).await?;
    let deleted = scoped_delete::<kitos_connection::Entity>(tenant)
        .exec(&txn)
        .await?;
    if deleted.rows_affected == 0 {
        return Err(DomainError::NotFound);
    }
    audit::record(
        &txn,
        principal,
        Some(tenant),
        Change {
            action: "kitos_connection.deleted",
            object_kind: "kitos_connection",
            object_id: tenant.0,
            before: None,
            after: None,
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The connection and a client for it.
async fn open(
    db: &Db,
    tenant: TenantId,
    secrets: &SecretBox,
) -> DomainResult<(kitos_connection::Model, HttpKitos)> {
    let txn = db.read(Scope::Tenant(tenant)).await?;
    let found = stored(&txn, tenant).await?;
    txn.commit().await?;
    // No connection is nothing to read, as for any other missing object.
    let found = found.ok_or(DomainError::NotFound)?;
    let password = secrets.open(&found.password_sealed).map_err(|_| {
        DomainError::invalid(
            "password",
            "unreadable",
            "Den gemte adgangskode kan ikke læses (nøglen til gemte hemmeligheder er skiftet); \
             skriv adgangskoden igen",
        )
    })?;
    let source = HttpKitos::new(&found.base_url, &found.email, &password)?;
    Ok((found, source))
}

// ---------------------------------------------------------------------------
// Reports

/// What a run did (or a preview would do) with one object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    New,
    Updated,
    Unchanged,
    /// Changed here and in Kitos: the fields taken from Kitos are, the
    /// conflicting ones keep the value here.
    Conflict,
    /// Deleted in Kitos: archived here.
    Archived,
    /// Cannot be imported; `problems` says why.
    Rejected,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub new: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub conflict: usize,
    pub archived: usize,
    pub rejected: usize,
}

impl Counts {
    fn add(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::New => self.new += 1,
            Outcome::Updated => self.updated += 1,
            Outcome::Unchanged => self.unchanged += 1,
            Outcome::Conflict => self.conflict += 1,
            Outcome::Archived => self.archived += 1,
            Outcome::Rejected => self.rejected += 1,
        }
    }
}

/// One object of a report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    /// `contract`, `it_system` or `supplier`.
    pub kind: String,
    pub outcome: Outcome,
    pub kitos_uuid: Option<Uuid>,
    /// The object here (for a preview of a new one: the id it would get).
    pub object_id: Option<Uuid>,
    pub title: String,
    /// The fields written: for a new object its values, for an updated one
    /// the fields taken from Kitos.
    pub changes: Vec<FieldDifference>,
    /// Fields changed here and in Kitos: kept as here.
    pub conflicts: Vec<FieldDifference>,
    /// Kitos values without a field here, kept in the description.
    pub not_transferred: Vec<NotTransferred>,
    pub problems: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    /// An update since the last run, or a first import.
    pub incremental: bool,
    pub contracts: Counts,
    pub systems: Counts,
    pub suppliers: Counts,
    /// Every object met, contracts first.
    pub items: Vec<Item>,
}

impl Report {
    fn push(&mut self, item: Item) {
        match item.kind.as_str() {
            CONTRACT => self.contracts.add(item.outcome),
            SYSTEM => self.systems.add(item.outcome),
            _ => self.suppliers.add(item.outcome),
        }
        self.items.push(item);
    }
}

// ---------------------------------------------------------------------------
// A run

/// What the walk needs of the register, read once.
#[derive(Default)]
struct Known {
    /// Kitos uuid → contract here.
    contracts: HashMap<Uuid, contract::Model>,
    /// Usage uuid → IT system here.
    systems: HashMap<Uuid, it_system::Model>,
    /// (kind, object) → fields last imported.
    snapshots: HashMap<(String, Uuid), Fields>,
    /// CVR → supplier id.
    suppliers: HashMap<String, Uuid>,
    /// Names to show for ids in the report.
    names: HashMap<Uuid, String>,
}

struct Walk<'a> {
    db: &'a Db,
    principal: &'a Principal,
    tenant: TenantId,
    /// Write, or only report.
    apply: bool,
    report: Report,
    done: usize,
    total: usize,
}

/// `Ok(Err(problems))`: the object was refused by the register's rules.
type Written<T> = DomainResult<Result<T, Vec<String>>>;

fn refused<T>(result: DomainResult<T>) -> Written<T> {
    match result {
        Ok(found) => Ok(Ok(found)),
        Err(DomainError::Validation(errors)) => Ok(Err(errors
            .iter()
            .map(crate::contracts::import_rows::danish_message)
            .collect())),
        Err(DomainError::Conflict { message, .. }) => Ok(Err(vec![message])),
        Err(e) => Err(e),
    }
}

async fn read_known(db: &Db, tenant: TenantId, cvrs: &[String]) -> DomainResult<Known> {
    let txn = db.read(Scope::Tenant(tenant)).await?;
    let mut known = Known::default();
    for m in scoped::<contract::Entity>(tenant)
        .filter(contract::Column::KitosUuid.is_not_null())
        .all(&txn)
        .await?
    {
        known.names.insert(m.id, m.title.clone());
        if let Some(uuid) = m.kitos_uuid {
            known.contracts.insert(uuid, m);
        }
    }
    for m in scoped::<it_system::Entity>(tenant).all(&txn).await? {
        known.names.insert(m.id, m.name.clone());
        if let Some(uuid) = m.kitos_uuid {
            known.systems.insert(uuid, m);
        }
    }
    for s in scoped::<kitos_snapshot::Entity>(tenant).all(&txn).await? {
        let fields: Fields = serde_json::from_value(s.fields).unwrap_or_default();
        known.snapshots.insert((s.object_kind, s.object_id), fields);
    }
    for chunk in cvrs.chunks(500) {
        for s in platform::<supplier::Entity>()
            .filter(supplier::Column::Cvr.is_in(chunk.to_vec()))
            .all(&txn)
            .await?
        {
            known
                .names
                .insert(s.id, format!("{} (CVR {})", s.name, s.cvr));
            known.suppliers.insert(s.cvr, s.id);
        }
    }
    txn.commit().await?;
    Ok(known)
}

async fn store_snapshot<C: ConnectionTrait>(
    txn: &C,
    tenant: TenantId,
    kind: &str,
    object_id: Uuid,
    kitos_uuid: Uuid,
    fields: &Fields,
) -> DomainResult<()> {
    scoped_delete::<kitos_snapshot::Entity>(tenant)
        .filter(kitos_snapshot::Column::ObjectKind.eq(kind))
        .filter(kitos_snapshot::Column::ObjectId.eq(object_id))
        .exec(txn)
        .await?;
    kitos_snapshot::ActiveModel {
        tenant_id: Set(tenant.0),
        object_kind: Set(kind.to_owned()),
        object_id: Set(object_id),
        kitos_uuid: Set(kitos_uuid),
        fields: Set(serde_json::to_value(fields)
            .map_err(|e| DomainError::Internal(e.to_string()))?),
        imported_at: Set(Utc::now()),
    }
    .insert(txn)
    .await?;
    Ok(())
}

/// A value as the report shows it: names for ids, labels for codes.
fn shown(field: &str, value: &str, names: &HashMap<Uuid, String>) -> String {
    use crate::contracts::options::{
        AGREEMENT_ELEMENTS, CONTRACT_TYPES, CRITICALITIES, NOTICE_TO, PAYMENT_FREQUENCIES,
    };
    let list = match field {
        "contract_type" => Some(&CONTRACT_TYPES),
        "criticality" => Some(&CRITICALITIES),
        "notice_to" => Some(&NOTICE_TO),
        "payment_frequency" => Some(&PAYMENT_FREQUENCIES),
        "agreement_elements" => Some(&AGREEMENT_ELEMENTS),
        "status" => Some(&SYSTEM_STATUSES),
        _ => None,
    };
    let parts: Vec<String> = value
        .split(',')
        .filter(|p| !p.is_empty())
        .map(|part| {
            if let Some(list) = list {
                return list
                    .values
                    .iter()
                    .find(|(code, _)| *code == part)
                    .map_or(part.to_owned(), |(_, label)| (*label).to_owned());
            }
            match part.parse::<Uuid>() {
                Ok(id) => names.get(&id).cloned().unwrap_or_else(|| part.to_owned()),
                Err(_) => part.to_owned(),
            }
        })
        .collect();
    if matches!(
        field,
        "notes"
            | "description"
            | "title"
            | "reference"
            | "price_regulation"
            | "responsible_unit"
            | "name"
    ) {
        return value.to_owned();
    }
    parts.join(", ")
}

const SYSTEM_STATUSES: crate::contracts::options::OptionList =
    crate::contracts::options::OptionList {
        name: "system_status",
        values: &[
            ("planned", "Planlagt"),
            ("in_use", "I drift"),
            ("retired", "Udfaset"),
        ],
    };

fn shown_all(differences: &mut [FieldDifference], names: &HashMap<Uuid, String>) {
    for d in differences {
        d.local = shown(&d.field, &d.local, names);
        d.kitos = shown(&d.field, &d.kitos, names);
        d.imported = d.imported.as_deref().map(|v| shown(&d.field, v, names));
    }
}

/// The fields of a new object, as changes from nothing.
fn as_new<T>(fields: &[mapping::Field<T>], values: &Fields) -> Vec<FieldDifference> {
    fields
        .iter()
        .filter_map(|f| {
            let value = values.get(f.key).cloned().unwrap_or_default();
            (!value.is_empty()).then(|| FieldDifference {
                field: f.key.to_owned(),
                label: f.label.to_owned(),
                local: String::new(),
                kitos: value,
                imported: None,
            })
        })
        .collect()
}

fn system_fields(m: &it_system::Model) -> Fields {
    fields_of(
        SYSTEM_FIELDS,
        &SystemInput {
            name: m.name.clone(),
            status: Some(m.status.clone()),
            ..SystemInput::default()
        },
    )
}

impl Walk<'_> {
    async fn progress<F, Fut>(&mut self, hear: &mut F)
    where
        F: FnMut(usize, usize) -> Fut,
        Fut: std::future::Future<Output = ()>,
    {
        self.done += 1;
        if self.done.is_multiple_of(25) {
            hear(self.done, self.total).await;
        }
    }

    /// The suppliers the contracts name: known, or registered.
    async fn suppliers(
        &mut self,
        known: &mut Known,
        mapped: &[MappedContract],
    ) -> DomainResult<()> {
        let mut seen = HashSet::new();
        for (cvr, name) in mapped
            .iter()
            .filter(|m| m.problems.is_empty())
            .filter_map(|m| m.supplier.as_ref())
        {
            if known.suppliers.contains_key(cvr.as_str()) || !seen.insert(cvr.as_str().to_owned()) {
                continue;
            }
            let id = if self.apply {
                self.register_supplier(cvr, name).await?
            } else {
                Uuid::new_v4()
            };
            known.suppliers.insert(cvr.as_str().to_owned(), id);
            known
                .names
                .insert(id, format!("{name} (CVR {})", cvr.as_str()));
            self.report.push(Item {
                kind: "supplier".into(),
                outcome: Outcome::New,
                kitos_uuid: None,
                object_id: Some(id),
                title: format!("{name} (CVR {})", cvr.as_str()),
                changes: Vec::new(),
                conflicts: Vec::new(),
                not_transferred: Vec::new(),
                problems: Vec::new(),
            });
        }
        Ok(())
    }

    async fn register_supplier(&self, cvr: &Cvr, name: &str) -> DomainResult<Uuid> {
        let name = crate::values::required_text("name", name, 200)
            .unwrap_or_else(|_| format!("CVR {}", cvr.as_str()));
        let txn = self.db.write(Scope::Tenant(self.tenant)).await?;
        let found = crate::suppliers::register_in(&txn, cvr, &name).await?;
        audit::record(
            &txn,
            self.principal,
            Some(self.tenant),
            Change {
                action: "supplier.registered",
                object_kind: "supplier",
                object_id: found.id,
                before: None,
                after: Some(
                    serde_json::json!({ "cvr": found.cvr, "name": found.name, "source": "kitos" }),
                ),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(found.id)
    }

    /// One IT system from a usage (or from a contract's mention of one).
    async fn system<F, Fut>(
        &mut self,
        known: &mut Known,
        usage: Uuid,
        wanted: SystemInput,
        hear: &mut F,
    ) -> DomainResult<()>
    where
        F: FnMut(usize, usize) -> Fut,
        Fut: std::future::Future<Output = ()>,
    {
        self.progress(hear).await;
        let mut normalized = wanted.clone();
        normalized.name = normalized.name.trim().to_owned();
        let kitos = fields_of(SYSTEM_FIELDS, &normalized);
        let title = normalized.name.clone();
        let mut item = Item {
            kind: SYSTEM.into(),
            outcome: Outcome::Unchanged,
            kitos_uuid: Some(usage),
            object_id: None,
            title,
            changes: Vec::new(),
            conflicts: Vec::new(),
            not_transferred: Vec::new(),
            problems: Vec::new(),
        };
        match known.systems.get(&usage).cloned() {
            Some(here) => {
                item.object_id = Some(here.id);
                let local = system_fields(&here);
                let imported = known
                    .snapshots
                    .get(&(SYSTEM.to_owned(), here.id))
                    .cloned()
                    .unwrap_or_default();
                let found = reconcile(SYSTEM_FIELDS, &local, &imported, &kitos);
                item.outcome = if !found.conflicts.is_empty() {
                    Outcome::Conflict
                } else if !found.taken.is_empty() {
                    Outcome::Updated
                } else {
                    Outcome::Unchanged
                };
                if self.apply && imported != kitos {
                    let mut input = SystemInput {
                        name: here.name.clone(),
                        category: here.category.clone(),
                        supplier_id: here.supplier_id,
                        system_owner: here.system_owner.clone(),
                        owner_user_id: here.owner_user_id,
                        status: Some(here.status.clone()),
                        description: here.description.clone(),
                    };
                    for taken in &found.taken {
                        if let Some(f) = SYSTEM_FIELDS.iter().find(|f| f.key == taken.field) {
                            (f.take)(&mut input, &normalized);
                        }
                    }
                    let txn = self.db.write(Scope::Tenant(self.tenant)).await?;
                    let written = if found.taken.is_empty() {
                        Ok(())
                    } else {
                        refused(
                            systems::update_in(
                                &txn,
                                self.principal,
                                self.tenant,
                                here.id,
                                Some(here.version),
                                input,
                            )
                            .await
                            .map(|_| ()),
                        )?
                    };
                    match written {
                        Ok(()) => {
                            store_snapshot(&txn, self.tenant, SYSTEM, here.id, usage, &kitos)
                                .await?;
                            txn.commit().await?;
                        }
                        Err(problems) => {
                            item.outcome = Outcome::Rejected;
                            item.problems = problems;
                        }
                    }
                }
                item.changes = found.taken;
                item.conflicts = found.conflicts;
            }
            None => {
                let id = Uuid::new_v4();
                item.object_id = Some(id);
                item.outcome = Outcome::New;
                item.changes = as_new(SYSTEM_FIELDS, &kitos);
                if self.apply {
                    let txn = self.db.write(Scope::Tenant(self.tenant)).await?;
                    match refused(
                        systems::create_in(&txn, self.principal, self.tenant, id, normalized).await,
                    )? {
                        Ok(created) => {
                            scoped_update::<it_system::Entity>(self.tenant)
                                .col_expr(it_system::Column::KitosUuid, Expr::value(usage))
                                .filter(it_system::Column::Id.eq(id))
                                .exec(&txn)
                                .await?;
                            store_snapshot(&txn, self.tenant, SYSTEM, id, usage, &kitos).await?;
                            txn.commit().await?;
                            known.names.insert(id, created.name.clone());
                        }
                        Err(problems) => {
                            item.outcome = Outcome::Rejected;
                            item.problems = problems;
                        }
                    }
                }
                if item.outcome == Outcome::New {
                    known.names.insert(id, item.title.clone());
                    known.systems.insert(
                        usage,
                        it_system::Model {
                            id,
                            tenant_id: self.tenant.0,
                            name: item.title.clone(),
                            category: None,
                            supplier_id: None,
                            system_owner: None,
                            owner_user_id: None,
                            status: kitos.get("status").cloned().unwrap_or_default(),
                            description: None,
                            version: 1,
                            created_at: Utc::now(),
                            updated_at: Utc::now(),
                            archived_at: None,
                            kitos_uuid: Some(usage),
                        },
                    );
                }
            }
        }
        shown_all(&mut item.changes, &known.names);
        shown_all(&mut item.conflicts, &known.names);
        self.report.push(item);
        Ok(())
    }

    /// One contract.
    async fn contract<F, Fut>(
        &mut self,
        known: &mut Known,
        mapped: &MappedContract,
        batch: &HashMap<Uuid, Uuid>,
        hear: &mut F,
    ) -> DomainResult<()>
    where
        F: FnMut(usize, usize) -> Fut,
        Fut: std::future::Future<Output = ()>,
    {
        self.progress(hear).await;
        let here = known.contracts.get(&mapped.kitos_uuid).cloned();
        let id = here
            .as_ref()
            .map(|h| h.id)
            .or_else(|| batch.get(&mapped.kitos_uuid).copied())
            .unwrap_or_else(Uuid::new_v4);
        let mut item = Item {
            kind: CONTRACT.into(),
            outcome: Outcome::Unchanged,
            kitos_uuid: Some(mapped.kitos_uuid),
            object_id: Some(id),
            title: if mapped.input.title.is_empty() {
                format!("(uden navn) {}", mapped.kitos_uuid)
            } else {
                mapped.input.title.clone()
            },
            changes: Vec::new(),
            conflicts: Vec::new(),
            not_transferred: mapped.not_transferred.clone(),
            problems: mapped.problems.clone(),
        };
        if !item.problems.is_empty() {
            item.outcome = Outcome::Rejected;
            self.report.push(item);
            return Ok(());
        }
        // The Kitos values as the register would store them.
        let mut input = mapped.input.clone();
        input.supplier_id = mapped
            .supplier
            .as_ref()
            .and_then(|(cvr, _)| known.suppliers.get(cvr.as_str()).copied());
        input.system_ids = mapped
            .systems
            .iter()
            .filter_map(|usage| known.systems.get(&usage.uuid).map(|s| s.id))
            .collect();
        if let Some(parent) = mapped.parent {
            input.parent_id = known
                .contracts
                .get(&parent)
                .map(|c| c.id)
                .or_else(|| batch.get(&parent).copied());
            if input.parent_id.is_none() {
                item.not_transferred.push(NotTransferred {
                    label: "Hovedkontrakt".into(),
                    value: format!("{parent} (ikke importeret)"),
                });
            }
        }
        let errors = contracts::normalize(&mut input);
        if !errors.is_empty() {
            item.outcome = Outcome::Rejected;
            item.problems = errors
                .iter()
                .map(crate::contracts::import_rows::danish_message)
                .collect();
            self.report.push(item);
            return Ok(());
        }
        let kitos = fields_of(CONTRACT_FIELDS, &input);
        match here {
            Some(model) => {
                let txn = if self.apply {
                    self.db.write(Scope::Tenant(self.tenant)).await?
                } else {
                    self.db.read(Scope::Tenant(self.tenant)).await?
                };
                let current = contracts::view_in(&txn, self.tenant, model.clone()).await?;
                let local = fields_of(CONTRACT_FIELDS, &ContractInput::from(&current));
                let imported = known
                    .snapshots
                    .get(&(CONTRACT.to_owned(), model.id))
                    .cloned()
                    .unwrap_or_default();
                let found = reconcile(CONTRACT_FIELDS, &local, &imported, &kitos);
                item.outcome = if !found.conflicts.is_empty() {
                    Outcome::Conflict
                } else if !found.taken.is_empty() {
                    Outcome::Updated
                } else {
                    Outcome::Unchanged
                };
                if model.archived_at.is_some() && !found.taken.is_empty() {
                    item.outcome = Outcome::Rejected;
                    item.problems.push(
                        "Kontrakten er arkiveret her; gendan den for at tage ændringerne fra Kitos"
                            .into(),
                    );
                } else if self.apply && imported != kitos {
                    let mut write = ContractInput::from(&current);
                    for taken in &found.taken {
                        if let Some(f) = CONTRACT_FIELDS.iter().find(|f| f.key == taken.field) {
                            (f.take)(&mut write, &input);
                        }
                    }
                    let written = if found.taken.is_empty() {
                        Ok(())
                    } else {
                        refused(
                            contracts::update_in(
                                &txn,
                                self.principal,
                                self.tenant,
                                model.id,
                                Some(model.version),
                                write,
                            )
                            .await
                            .map(|_| ()),
                        )?
                    };
                    match written {
                        Ok(()) => {
                            store_snapshot(
                                &txn,
                                self.tenant,
                                CONTRACT,
                                model.id,
                                mapped.kitos_uuid,
                                &kitos,
                            )
                            .await?;
                        }
                        Err(problems) => {
                            item.outcome = Outcome::Rejected;
                            item.problems = problems;
                        }
                    }
                }
                txn.commit().await?;
                item.changes = found.taken;
                item.conflicts = found.conflicts;
            }
            None => {
                item.outcome = Outcome::New;
                item.changes = as_new(CONTRACT_FIELDS, &kitos);
                if self.apply {
                    let txn = self.db.write(Scope::Tenant(self.tenant)).await?;
                    match refused(
                        contracts::create_in(&txn, self.principal, self.tenant, id, input).await,
                    )? {
                        Ok(_) => {
                            scoped_update::<contract::Entity>(self.tenant)
                                .col_expr(
                                    contract::Column::KitosUuid,
                                    Expr::value(mapped.kitos_uuid),
                                )
                                .filter(contract::Column::Id.eq(id))
                                .exec(&txn)
                                .await?;
                            store_snapshot(
                                &txn,
                                self.tenant,
                                CONTRACT,
                                id,
                                mapped.kitos_uuid,
                                &kitos,
                            )
                            .await?;
                            txn.commit().await?;
                        }
                        Err(problems) => {
                            item.outcome = Outcome::Rejected;
                            item.problems = problems;
                        }
                    }
                }
            }
        }
        shown_all(&mut item.changes, &known.names);
        shown_all(&mut item.conflicts, &known.names);
        self.report.push(item);
        Ok(())
    }

    /// A contract or system deleted in Kitos: archived here.
    async fn deleted<F, Fut>(
        &mut self,
        kind: &str,
        kitos_uuid: Uuid,
        id: Uuid,
        version: i32,
        title: String,
        hear: &mut F,
    ) -> DomainResult<()>
    where
        F: FnMut(usize, usize) -> Fut,
        Fut: std::future::Future<Output = ()>,
    {
        self.progress(hear).await;
        if self.apply {
            let txn = self.db.write(Scope::Tenant(self.tenant)).await?;
            if kind == CONTRACT {
                contracts::set_archived_in(
                    &txn,
                    self.principal,
                    self.tenant,
                    id,
                    Some(version),
                    true,
                )
                .await?;
            } else {
                systems::set_archived_in(
                    &txn,
                    self.principal,
                    self.tenant,
                    id,
                    Some(version),
                    true,
                )
                .await?;
            }
            txn.commit().await?;
        }
        self.report.push(Item {
            kind: kind.to_owned(),
            outcome: Outcome::Archived,
            kitos_uuid: Some(kitos_uuid),
            object_id: Some(id),
            title,
            changes: Vec::new(),
            conflicts: Vec::new(),
            not_transferred: Vec::new(),
            problems: Vec::new(),
        });
        Ok(())
    }
}

/// Where the next run starts.
struct Watermarks {
    organization: Uuid,
    contracts: Option<DateTime<Utc>>,
    usages: Option<DateTime<Utc>>,
    deleted: Option<DateTime<Utc>>,
}

/// The municipality's organisation in Kitos: stored, or found by its CVR.
async fn organization<S: KitosSource>(
    db: &Db,
    tenant: TenantId,
    conn: &kitos_connection::Model,
    source: &S,
) -> DomainResult<Uuid> {
    if let Some(uuid) = conn.organization_uuid {
        return Ok(uuid);
    }
    let txn = db.read(Scope::Tenant(tenant)).await?;
    let found = platform_by_id::<tenant::Entity, _>(tenant.0)
        .one(&txn)
        .await?;
    txn.commit().await?;
    let Some(cvr) = found.and_then(|t| t.cvr).filter(|c| !c.trim().is_empty()) else {
        return Err(DomainError::invalid(
            "organization_uuid",
            "required",
            "Kommunen har intet CVR-nummer registreret; angiv kommunens organisation i Kitos (uuid)",
        ));
    };
    match source.organization_by_cvr(&cvr).await? {
        Some(org) => Ok(org.uuid),
        None => Err(DomainError::invalid(
            "organization_uuid",
            "unknown",
            format!(
                "Kitos har ingen organisation med CVR-nummer {cvr}; angiv organisationens uuid"
            ),
        )),
    }
}

/// Reads Kitos and goes through every object, writing when `apply`.
async fn walk<S, F, Fut>(
    db: &Db,
    principal: &Principal,
    tenant: TenantId,
    conn: &kitos_connection::Model,
    source: &S,
    apply: bool,
    mut hear: F,
) -> DomainResult<(Report, Watermarks)>
where
    S: KitosSource,
    F: FnMut(usize, usize) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let organization = organization(db, tenant, conn, source).await?;
    // A connection that has run before reads what changed since.
    let incremental = conn.contracts_since.is_some();
    let contracts = source.contracts(organization, conn.contracts_since).await?;
    let usages = source
        .system_usages(organization, conn.usages_since)
        .await?;
    let (deleted_contracts, deleted_usages) = if incremental {
        (
            source.deleted("ItContract", conn.deleted_since).await?,
            source.deleted("ItSystemUsage", conn.deleted_since).await?,
        )
    } else {
        (Vec::new(), Vec::new())
    };
    let marks = Watermarks {
        organization,
        contracts: contracts
            .iter()
            .map(|c| c.last_modified)
            .max()
            .max(conn.contracts_since)
            .or(Some(DateTime::<Utc>::UNIX_EPOCH)),
        usages: usages
            .iter()
            .map(|u| u.last_modified)
            .max()
            .max(conn.usages_since),
        deleted: deleted_contracts
            .iter()
            .chain(&deleted_usages)
            .map(|d| d.occurred_at_utc)
            .max()
            .max(conn.deleted_since)
            .or(if incremental { None } else { Some(Utc::now()) }),
    };

    let mapped: Vec<MappedContract> = contracts.iter().map(mapping::map_contract).collect();
    let cvrs: Vec<String> = mapped
        .iter()
        .filter_map(|m| m.supplier.as_ref().map(|(c, _)| c.as_str().to_owned()))
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let mut known = read_known(db, tenant, &cvrs).await?;
    let mut walk = Walk {
        db,
        principal,
        tenant,
        apply,
        report: Report {
            incremental,
            ..Report::default()
        },
        done: 0,
        total: 0,
    };

    // Suppliers, then systems: the contracts name them.
    walk.suppliers(&mut known, &mapped).await?;
    let mut systems: Vec<(Uuid, SystemInput)> = Vec::new();
    let mut listed = HashSet::new();
    for usage in &usages {
        if listed.insert(usage.uuid) {
            systems.push((usage.uuid, mapping::map_usage(usage)));
        }
    }
    for m in mapped.iter().filter(|m| m.problems.is_empty()) {
        for Choice { uuid, name } in &m.systems {
            if !known.systems.contains_key(uuid) && listed.insert(*uuid) {
                systems.push((*uuid, mapping::system_named(name)));
            }
        }
    }
    walk.total = systems.len() + mapped.len() + deleted_contracts.len() + deleted_usages.len();
    hear(0, walk.total).await;
    for (usage, input) in systems {
        walk.system(&mut known, usage, input, &mut hear).await?;
    }

    // Contracts, each main contract before those under it.
    let batch: HashMap<Uuid, Uuid> = mapped
        .iter()
        .filter(|m| !known.contracts.contains_key(&m.kitos_uuid))
        .map(|m| (m.kitos_uuid, Uuid::new_v4()))
        .collect();
    let index: HashMap<Uuid, usize> = mapped
        .iter()
        .enumerate()
        .map(|(i, m)| (m.kitos_uuid, i))
        .collect();
    let depth = |start: usize| {
        let mut depth = 0;
        let mut seen = HashSet::new();
        let mut cursor = mapped[start].parent.and_then(|p| index.get(&p).copied());
        while let Some(current) = cursor {
            if !seen.insert(current) {
                break;
            }
            depth += 1;
            cursor = mapped[current].parent.and_then(|p| index.get(&p).copied());
        }
        depth
    };
    let mut order: Vec<usize> = (0..mapped.len()).collect();
    order.sort_by_key(|i| depth(*i));
    let mut rejected: HashSet<Uuid> = HashSet::new();
    for i in order {
        let mut m = mapped[i].clone();
        // A main contract of the batch that could not be imported leaves
        // its supplements without one.
        if m.parent.is_some_and(|p| rejected.contains(&p)) {
            let parent = m.parent.take().unwrap_or_default();
            m.not_transferred.push(NotTransferred {
                label: "Hovedkontrakt".into(),
                value: format!("{parent} (kunne ikke importeres)"),
            });
        }
        let before = walk.report.items.len();
        walk.contract(&mut known, &m, &batch, &mut hear).await?;
        if let Some(item) = walk.report.items.get(before) {
            match item.outcome {
                Outcome::Rejected => {
                    rejected.insert(m.kitos_uuid);
                }
                Outcome::New => {
                    if let Some(id) = item.object_id {
                        known.names.insert(id, item.title.clone());
                    }
                }
                _ => {}
            }
        }
    }

    // Deletions: only of what was imported here.
    for d in &deleted_contracts {
        if let Some(here) = known.contracts.get(&d.entity_uuid).cloned()
            && here.archived_at.is_none()
        {
            walk.deleted(
                CONTRACT,
                d.entity_uuid,
                here.id,
                here.version,
                here.title.clone(),
                &mut hear,
            )
            .await?;
        }
    }
    for d in &deleted_usages {
        if let Some(here) = known.systems.get(&d.entity_uuid).cloned()
            && here.archived_at.is_none()
        {
            walk.deleted(
                SYSTEM,
                d.entity_uuid,
                here.id,
                here.version,
                here.name.clone(),
                &mut hear,
            )
            .await?;
        }
    }
    hear(walk.done, walk.done).await;
    // Contracts first in the report: they are what the admin looks for.
    let mut report = walk.report;
    report.items.sort_by_key(|item| match item.kind.as_str() {
        CONTRACT => 0,
        SYSTEM => 1,
        _ => 2,
    });
    Ok((report, marks))
}

/// What a run would do now; nothing is written.
pub async fn preview(db: &Db, principal: &Principal, secrets: &SecretBox) -> DomainResult<Report> {
    let tenant = admin_tenant(principal)?;
    let (conn, source) = open(db, tenant, secrets).await?;
    let (report, _) = walk(db, principal, tenant, &conn, &source, false, |_, _| async {
    })
    .await?;
    Ok(report)
}

// ---------------------------------------------------------------------------
// Runs

/// A run as the admin sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Run {
    pub id: Uuid,
    /// `queued`, `running`, `done` or `failed`.
    pub state: String,
    pub incremental: bool,
    pub objects_done: usize,
    pub objects_total: usize,
    pub report: Option<Report>,
    pub failure: Option<String>,
    pub started_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

impl From<kitos_run::Model> for Run {
    fn from(m: kitos_run::Model) -> Self {
        Self {
            id: m.id,
            state: m.state,
            incremental: m.incremental,
            objects_done: usize::try_from(m.objects_done).unwrap_or(0),
            objects_total: usize::try_from(m.objects_total).unwrap_or(0),
            report: m.report.and_then(|r| serde_json::from_value(r).ok()),
            failure: m.failure,
            started_by: m.started_by,
            created_at: m.created_at,
            finished_at: m.finished_at,
        }
    }
}

/// The runs shown, newest first.
const RUNS_LISTED: u64 = 20;

pub async fn list_runs(db: &Db, principal: &Principal) -> DomainResult<Vec<Run>> {
    let tenant = admin_tenant(principal)?;
    let txn = db.read(Scope::Tenant(tenant)).await?;
    let found = scoped::<kitos_run::Entity>(tenant)
        .order_by_desc(kitos_run::Column::CreatedAt)
        .limit(RUNS_LISTED)
        .all(&txn)
        .await?;
    txn.commit().await?;
    Ok(found.into_iter().map(Run::from).collect())
}

pub async fn get_run(db: &Db, principal: &Principal, id: Uuid) -> DomainResult<Run> {
    let tenant = admin_tenant(principal)?;
    let txn = db.read(Scope::Tenant(tenant)).await?;
    let found = crate::db::scoped_get::<kitos_run::Entity, _>(&txn, tenant, id).await?;
    txn.commit().await?;
    Ok(found.into())
}

/// Queues a run, after checking that Kitos accepts the user (so that a
/// wrong password is told at once). Refused while another run is under
/// way. The caller starts `process` for it.
pub async fn start_run(db: &Db, principal: &Principal, secrets: &SecretBox) -> DomainResult<Run> {
    let tenant = admin_tenant(principal)?;
    let (conn, source) = open(db, tenant, secrets).await?;
    source.authenticate().await?;
    let txn = db.write(Scope::Tenant(tenant)).await?;
    let busy = scoped::<kitos_run::Entity>(tenant)
        .filter(kitos_run::Column::State.is_in(["queued", "running"]))
        .one(&txn)
        .await?;
    if busy.is_some() {
        return Err(DomainError::conflict(
            "En import fra Kitos er allerede i gang; vent til den er færdig",
        ));
    }
    let now = Utc::now();
    let created = kitos_run::ActiveModel {
        id: Set(Uuid::new_v4()),
        tenant_id: Set(tenant.0),
        state: Set("queued".into()),
        incremental: Set(conn.contracts_since.is_some()),
        objects_done: Set(0),
        objects_total: Set(0),
        report: Set(None),
        failure: Set(None),
        started_by: Set(principal.actor_id()),
        created_at: Set(now),
        updated_at: Set(now),
        finished_at: Set(None),
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        principal,
        Some(tenant),
        Change {
            action: "kitos_run.started",
            object_kind: "kitos_run",
            object_id: created.id,
            before: None,
            after: Some(serde_json::json!({ "incremental": created.incremental })),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(created.into())
}

async fn set_run(
    db: &Db,
    tenant: TenantId,
    id: Uuid,
    state: &str,
    progress: Option<(usize, usize)>,
    finished: Option<(Option<&Report>, Option<&str>)>,
) -> DomainResult<()> {
    let txn = db.write(Scope::Tenant(tenant)).await?;
    let now = Utc::now();
    let mut update = scoped_update::<kitos_run::Entity>(tenant)
        .col_expr(kitos_run::Column::State, Expr::value(state))
        .col_expr(kitos_run::Column::UpdatedAt, Expr::value(now))
        .filter(kitos_run::Column::Id.eq(id));
    if let Some((done, total)) = progress {
        let count = |n: usize| i32::try_from(n).unwrap_or(i32::MAX);
        update = update
            .col_expr(kitos_run::Column::ObjectsDone, Expr::value(count(done)))
            .col_expr(kitos_run::Column::ObjectsTotal, Expr::value(count(total)));
    }
    if let Some((report, failure)) = finished {
        let report = report
            .map(serde_json::to_value)
            .transpose()
            .map_err(|e| DomainError::Internal(e.to_string()))?;
        update = update
            .col_expr(kitos_run::Column::Report, Expr::value(report))
            .col_expr(
                kitos_run::Column::Failure,
                Expr::value(failure.map(str::to_owned)),
            )
            .col_expr(kitos_run::Column::FinishedAt, Expr::value(Some(now)));
    }
    update.exec(&txn).await?;
    txn.commit().await?;
    Ok(())
}

/// Runs a queued run to its end; meant for a background task. A failure is
/// recorded on the run (state `failed`), with what was written so far kept.
pub async fn process(
    db: &Db,
    principal: &Principal,
    secrets: &SecretBox,
    id: Uuid,
) -> DomainResult<()> {
    let tenant = admin_tenant(principal)?;
    let run = get_run(db, principal, id).await?;
    if run.state != "queued" {
        return Ok(());
    }
    set_run(db, tenant, id, "running", Some((0, 0)), None).await?;
    let outcome = async {
        let (conn, source) = open(db, tenant, secrets).await?;
        let (report, marks) = walk(
            db,
            principal,
            tenant,
            &conn,
            &source,
            true,
            |done, total| async move {
                if let Err(e) = set_run(db, tenant, id, "running", Some((done, total)), None).await
                {
                    tracing::warn!(error = %e, "Kitos run progress not recorded");
                }
            },
        )
        .await?;
        // Every object is through: the next run starts here.
        let txn = db.write(Scope::Tenant(tenant)).await?;
        scoped_update::<kitos_connection::Entity>(tenant)
            .col_expr(
                kitos_connection::Column::OrganizationUuid,
                Expr::value(Some(marks.organization)),
            )
            .col_expr(
                kitos_connection::Column::ContractsSince,
                Expr::value(marks.contracts),
            )
            .col_expr(
                kitos_connection::Column::UsagesSince,
                Expr::value(marks.usages),
            )
            .col_expr(
                kitos_connection::Column::DeletedSince,
                Expr::value(marks.deleted),
            )
            .col_expr(
                kitos_connection::Column::LastRunAt,
                Expr::value(Some(Utc::now())),
            )
            .exec(&txn)
            .await?;
        audit::record(
            &txn,
            principal,
            Some(tenant),
            Change {
                action: "kitos_run.finished",
                object_kind: "kitos_run",
                object_id: id,
                before: None,
                after: Some(serde_json::json!({
                    "contracts": report.contracts,
                    "systems": report.systems,
                    "suppliers": report.suppliers,
                })),
            },
        )
        .await?;
        txn.commit().await?;
        Ok::<Report, DomainError>(report)
    }
    .await;
    match outcome {
        Ok(report) => {
            let done = report.items.len();
            set_run(
                db,
                tenant,
                id,
                "done",
                Some((done, done)),
                Some((Some(&report), None)),
            )
            .await
        }
        Err(e) => {
            let failure = match &e {
                DomainError::Validation(errors) => errors
                    .iter()
                    .map(|e| e.message.clone())
                    .collect::<Vec<_>>()
                    .join("; "),
                DomainError::Conflict { message, .. } => message.clone(),
                DomainError::Upstream(message) => message.clone(),
                other => {
                    tracing::error!(error = %other, run = %id, "Kitos run failed");
                    "Importen fra Kitos mislykkedes på grund af en fejl på serveren".into()
                }
            };
            set_run(db, tenant, id, "failed", None, Some((None, Some(&failure)))).await
        }
    }
}
