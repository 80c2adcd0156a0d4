//! Exporting the register: every contract a list's filter matches, in the
//! list's order, read in batches so that a register of any size is written
//! out without being held in memory; and the register's columns as a
//! spreadsheet row (labels for codes, typed dates and amounts).

use std::collections::HashMap;

use sea_orm::{ColumnTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use super::columns::{COLUMNS, DERIVED, option_label};
use super::query::{ContractFilter, ContractScope, check, matching, visible};
use super::{Contract, ensure_fresh, options, views};
use crate::db::{Db, Scope, platform, platform_by_id};
use crate::entities::{contract, cpv_code, tenant};
use crate::error::{DomainError, DomainResult};
use crate::exports::sheet::{Cell, Column};
use crate::policy::Action;
use crate::principal::{Principal, TenantId};
use crate::systems::tenant_for;

/// How many contracts are read at a time.
pub const BATCH: usize = 500;

/// The municipality an export is made for.
#[derive(Debug, Clone)]
pub struct Municipality {
    pub id: Uuid,
    pub name: String,
    pub municipality_code: String,
    pub cvr: Option<String>,
}

/// The contracts an export covers, found when it starts: their ids in the
/// list's order. The contracts themselves are read a batch at a time.
pub struct ContractExport {
    tenant: TenantId,
    scope: ContractScope,
    shared_ids: Vec<Uuid>,
    ids: Vec<Uuid>,
    next: usize,
    pub municipality: Municipality,
}

/// One batch of an export: contracts with what their rows name besides.
pub struct ContractBatch {
    pub contracts: Vec<Contract>,
    /// The reference numbers of their main contracts, by id.
    pub parent_references: HashMap<Uuid, String>,
    /// The Danish labels of their CPV codes, when the CPV list is loaded.
    pub cpv_labels: HashMap<String, String>,
}

/// Starts an export of the contracts `filter` matches (as `list_contracts`
/// finds them, every page); with `publishable_only`, of those marked for
/// publication among them. A filter the list refuses is refused here too.
pub async fn export_contracts(
    db: &Db,
    principal: &Principal,
    filter: &ContractFilter,
    publishable_only: bool,
) -> DomainResult<ContractExport> {
    let tenant = tenant_for(principal, Action::ReadContracts)?;
    check(filter)?;
    ensure_fresh(db, tenant).await?;
    let txn = db.read(Scope::Tenant(tenant)).await?;
    let (mut query, shared_ids) = matching(&txn, tenant, filter).await?;
    if publishable_only {
        query = query.filter(contract::Column::Publishable.eq(true));
    }
    let ids: Vec<Uuid> = query
        .select_only()
        .column(contract::Column::Id)
        .into_tuple::<Uuid>()
        .all(&txn)
        .await?;
    let own = platform_by_id::<tenant::Entity, _>(tenant.0)
        .one(&txn)
        .await?
        .ok_or(DomainError::NotFound)?;
    txn.commit().await?;
    Ok(ContractExport {
        tenant,
        scope: filter.scope,
        shared_ids,
        ids,
        next: 0,
        municipality: Municipality {
            id: own.id,
            name: own.name,
            municipality_code: own.municipality_code,
            cvr: own.cvr,
        },
    })
}

impl ContractExport {
    /// How many contracts the export covers.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The next batch in order, or `None` after the last. A contract
    /// archived or unshared since the export started is left out.
    pub async fn next_batch(&mut self, db: &Db) -> DomainResult<Option<ContractBatch>> {
        if self.next >= self.ids.len() {
            return Ok(None);
        }
        let end = (self.next + BATCH).min(self.ids.len());
        let wanted = &self.ids[self.next..end];
        self.next = end;
        let txn = db.read(Scope::Tenant(self.tenant)).await?;
        let models = visible(self.tenant, self.scope, self.shared_ids.clone())
            .filter(contract::Column::Id.is_in(wanted.to_vec()))
            .all(&txn)
            .await?;
        let parent_ids: Vec<Uuid> = models.iter().filter_map(|m| m.parent_id).collect();
        let parent_references: HashMap<Uuid, String> = if parent_ids.is_empty() {
            HashMap::new()
        } else {
            visible(self.tenant, self.scope, self.shared_ids.clone())
                .filter(contract::Column::Id.is_in(parent_ids))
                .select_only()
                .column(contract::Column::Id)
                .column(contract::Column::Reference)
                .into_tuple::<(Uuid, Option<String>)>()
                .all(&txn)
                .await?
                .into_iter()
                .filter_map(|(id, reference)| reference.map(|r| (id, r)))
                .collect()
        };
        let codes: Vec<String> = models.iter().filter_map(|m| m.cpv_code.clone()).collect();
        let cpv_labels: HashMap<String, String> = if codes.is_empty() {
            HashMap::new()
        } else {
            platform::<cpv_code::Entity>()
                .filter(cpv_code::Column::Code.is_in(codes))
                .all(&txn)
                .await?
                .into_iter()
                .map(|c| (c.code, c.label_da))
                .collect()
        };
        let mut by_id: HashMap<Uuid, Contract> = views(&txn, self.tenant, models)
            .await?
            .into_iter()
            .map(|c| (c.id, c))
            .collect();
        txn.commit().await?;
        let contracts = wanted.iter().filter_map(|id| by_id.remove(id)).collect();
        Ok(Some(ContractBatch {
            contracts,
            parent_references,
            cpv_labels,
        }))
    }
}

/// The register's columns in export order (`columns::COLUMNS`, then the
/// derived dates), with their widths.
pub fn columns() -> Vec<Column> {
    COLUMNS
        .iter()
        .chain(DERIVED)
        .map(|c| Column {
            header: c.header,
            width: match c.key {
                "title" | "description" | "notes" => 40.0,
                "supplier_name"
                | "systems"
                | "agreement_elements"
                | "procedure"
                | "framework_agreement" => 28.0,
                _ => (c.header.chars().count() as f64 + 4.0).clamp(12.0, 30.0),
            },
        })
        .collect()
}

fn label(list: &options::OptionList, code: &str) -> String {
    option_label(list, code)
}

fn opt_label(list: &options::OptionList, code: Option<&str>) -> Cell {
    code.map_or(Cell::Empty, |c| Cell::Text(label(list, c)))
}

/// The cell of one register column for a contract.
fn cell(key: &str, c: &Contract, parents: &HashMap<Uuid, String>) -> Cell {
    match key {
        "title" => Cell::text(&c.title),
        "reference" => Cell::opt_text(c.reference.as_deref()),
        "description" => Cell::opt_text(c.description.as_deref()),
        // The explicitly set status: the derived one follows from the dates.
        "status" => opt_label(&options::STATUSES, c.status_override.as_deref()),
        "contract_type" => Cell::Text(label(&options::CONTRACT_TYPES, &c.contract_type)),
        "parent_reference" => Cell::opt_text(c.parent_id.and_then(|p| parents.get(&p)).cloned()),
        "supplier_cvr" => Cell::text(&c.supplier.cvr),
        "supplier_name" => Cell::text(&c.supplier.name),
        "systems" => Cell::text(
            c.systems
                .iter()
                .map(|s| s.name.as_str())
                .collect::<Vec<_>>()
                .join("; "),
        ),
        "category" => Cell::opt_text(c.category.as_deref()),
        "cpv_code" => Cell::opt_text(c.cpv_code.as_deref()),
        "agreement_elements" => Cell::text(
            c.agreement_elements
                .iter()
                .map(|e| label(&options::AGREEMENT_ELEMENTS, e))
                .collect::<Vec<_>>()
                .join("; "),
        ),
        "procedure" => opt_label(&options::PROCEDURES, c.procedure.as_deref()),
        "framework_agreement" => Cell::opt_text(c.framework_agreement.as_deref()),
        "annual_value" => Cell::opt_money(c.annual_value),
        "total_value" => Cell::opt_money(c.total_value),
        "payment_model" => opt_label(&options::PAYMENT_MODELS, c.payment_model.as_deref()),
        "payment_frequency" => opt_label(
            &options::PAYMENT_FREQUENCIES,
            c.payment_frequency.as_deref(),
        ),
        "price_regulation" => Cell::opt_text(c.price_regulation.as_deref()),
        "signed_on" => Cell::opt_date(c.signed_on),
        "start_on" => Cell::Date(c.start_on),
        "end_on" => Cell::opt_date(c.end_on),
        "irrevocable_until" => Cell::opt_date(c.irrevocable_until),
        "option_months" => Cell::Integer(i64::from(c.option_months)),
        "options_total" => Cell::Integer(i64::from(c.options_total)),
        "options_exercised" => Cell::Integer(i64::from(c.options_exercised)),
        "notice_period_months" => Cell::Integer(i64::from(c.notice_period_months)),
        "notice_to" => Cell::Text(label(&options::NOTICE_TO, &c.notice_to)),
        "terminated_on" => Cell::opt_date(c.terminated_on),
        "retender_lead_months" => Cell::Integer(i64::from(c.retender_lead_months)),
        "system_owner" => Cell::opt_text(c.system_owner.as_deref()),
        "owner_user" => Cell::opt_text(c.owner_user.as_ref().map(|o| o.name.as_str())),
        "responsible_unit" => Cell::opt_text(c.responsible_unit.as_deref()),
        "supplier_contact" => Cell::opt_text(c.supplier_contact.as_deref()),
        "criticality" => Cell::Text(label(&options::CRITICALITIES, &c.criticality)),
        "notes" => Cell::opt_text(c.notes.as_deref()),
        "publishable" => Cell::YesNo(c.publishable),
        "notice_deadline" => Cell::opt_date(c.notice_deadline),
        "retender_start" => Cell::opt_date(c.retender_start),
        "effective_end" => Cell::opt_date(c.effective_end),
        "latest_end" => Cell::opt_date(c.latest_end),
        _ => Cell::Empty,
    }
}

/// A contract as a row of `columns()`.
pub fn row(c: &Contract, parents: &HashMap<Uuid, String>) -> Vec<Cell> {
    COLUMNS
        .iter()
        .chain(DERIVED)
        .map(|column| cell(column.key, c, parents))
        .collect()
}
