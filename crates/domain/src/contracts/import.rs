//! Registering many contracts at once, all or nothing: every row is
//! validated first, and either all are stored (in one transaction, with
//! their audit records) or none is and each failing row is reported.

use std::collections::{HashMap, HashSet};

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::import_rows::{Draft, Resolved, RowIssue, column_key, danish_message};
use super::validation::{Valid, check_fields, finish};
use super::{ContractInput, KIND, model_of, status_on, system_names, validate};
use crate::audit::{self, Change};
use crate::db::{Db, Scope, platform, scoped};
use crate::entities::{contract, contract_system, it_system, supplier};
use crate::error::{DomainError, FieldError};
use crate::policy::Action;
use crate::principal::Principal;
use crate::suppliers::Supplier;
use crate::systems::tenant_for;
use crate::values::required_text;

/// A row that could not be imported: its index (from 0) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub row: usize,
    pub errors: Vec<FieldError>,
}

#[derive(Debug)]
pub enum ImportError {
    Rows(Vec<RowError>),
    Other(DomainError),
}

impl From<DomainError> for ImportError {
    fn from(err: DomainError) -> Self {
        ImportError::Other(err)
    }
}

/// Stores all `rows` or none; returns the new contracts' ids in row order.
pub async fn import_contracts(
    db: &Db,
    principal: &Principal,
    rows: Vec<ContractInput>,
) -> Result<Vec<Uuid>, ImportError> {
    let tenant = tenant_for(principal, Action::WriteContracts)?;
    let txn = db.write(Scope::Tenant(tenant)).await?;
    let now = Utc::now();
    let mut models = Vec::with_capacity(rows.len());
    let mut links = Vec::new();
    let mut failed = Vec::new();
    for (row, input) in rows.into_iter().enumerate() {
        if input.template.is_some() {
            failed.push(RowError {
                row,
                errors: vec![crate::error::FieldError::new(
                    "template",
                    "unsupported",
                    "an import does not base contracts on templates; register such a contract on its own",
                )],
            });
            continue;
        }
        match validate(&txn, tenant, None, input).await {
            Ok(valid) => {
                let id = Uuid::new_v4();
                let names = system_names(&txn, tenant, &valid.input.system_ids).await?;
                let mut model = model_of(&valid, tenant, id, &names, now);
                model.created_by = principal.actor_id();
                links.extend(valid.input.system_ids.iter().map(|system| {
                    contract_system::ActiveModel {
                        contract_id: Set(id),
                        it_system_id: Set(*system),
                        tenant_id: Set(tenant.0),
                    }
                }));
                models.push(model);
            }
            Err(DomainError::Validation(errors)) => failed.push(RowError { row, errors }),
            Err(other) => return Err(other.into()),
        }
    }
    if !failed.is_empty() {
        return Err(ImportError::Rows(failed));
    }
    let ids: Vec<Uuid> = models.iter().map(|m| m.id).collect();
    for chunk in models.chunks(200) {
        contract::Entity::insert_many(chunk.iter().cloned().map(contract::ActiveModel::from))
            .exec_without_returning(&txn)
            .await
            .map_err(DomainError::from)?;
    }
    for chunk in links.chunks(500) {
        contract_system::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(&txn)
            .await
            .map_err(DomainError::from)?;
    }
    for model in &models {
        audit::record(
            &txn,
            principal,
            Some(tenant),
            Change {
                action: "contract.imported",
                object_kind: KIND,
                object_id: model.id,
                before: None,
                after: Some(serde_json::json!({ "title": model.title })),
            },
        )
        .await?;
    }
    txn.commit().await.map_err(DomainError::from)?;
    Ok(ids)
}

// ---------------------------------------------------------------------------
// Importing a register read from a file (see `import_rows` and `import_jobs`)

/// What an import does with the rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Only read the file: its format and columns.
    Analyse,
    /// Check every row and report, store nothing.
    DryRun,
    /// Store every row, or none when a row has a problem.
    AllOrNothing,
    /// Store the rows without problems; report the others.
    ValidRows,
}

impl Mode {
    pub fn code(self) -> &'static str {
        match self {
            Mode::Analyse => "analyse",
            Mode::DryRun => "dry_run",
            Mode::AllOrNothing => "all_or_nothing",
            Mode::ValidRows => "valid_rows",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [
            Mode::Analyse,
            Mode::DryRun,
            Mode::AllOrNothing,
            Mode::ValidRows,
        ]
        .into_iter()
        .find(|m| m.code() == code)
    }
}

/// A reference number already in the register, or earlier in the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Duplicate {
    pub row: usize,
    pub reference: String,
    /// The registered contract with that reference number.
    pub existing_contract_id: Option<Uuid>,
    /// The earlier row of the file with it.
    pub first_row: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedSupplier {
    pub cvr: String,
    pub name: String,
}

/// What an import found and did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    /// Data rows in the file (blank rows not counted).
    pub rows_total: usize,
    /// Rows without problems.
    pub rows_valid: usize,
    pub rows_imported: usize,
    /// Rows not imported: with problems, or all of them when an
    /// all-or-nothing import met a problem.
    pub rows_rejected: usize,
    pub errors: Vec<RowIssue>,
    pub duplicates: Vec<Duplicate>,
    /// Suppliers registered by the import (or that would be, on a dry run).
    pub created_suppliers: Vec<CreatedSupplier>,
    /// IT systems created by the import (or that would be).
    pub created_systems: Vec<String>,
    /// Columns with values that no field reads.
    pub unmapped_columns: Vec<String>,
    /// The file rows with problems.
    pub rejected_rows: Vec<usize>,
    /// The new contracts, in file order.
    pub contract_ids: Vec<Uuid>,
}

/// A row checked against the rules and the register.
struct Checked {
    id: Uuid,
    draft: Draft,
    valid: Option<Valid>,
    /// The in-file row (index) of its main contract.
    parent_row: Option<usize>,
}

fn issue(d: &Draft, column: &Resolved, field: &str, value: &str, message: String) -> RowIssue {
    RowIssue {
        row: d.row,
        column: column.headers.get(field).cloned().unwrap_or_default(),
        value: value.to_owned(),
        field: field.to_owned(),
        message,
    }
}

/// The text of the cell a field was read from.
fn cell_of(d: &Draft, resolved: &Resolved, field: &str) -> String {
    resolved
        .fields
        .iter()
        .position(|c| c.is_some_and(|c| c.key == field))
        .and_then(|i| d.cells.get(i).cloned())
        .unwrap_or_default()
}

/// Checks `drafts` against the contract rules and the municipality's
/// register and, as `mode` says, stores them: suppliers unknown by CVR are
/// registered, missing IT systems created, main contracts found by
/// reference number (in the register or the file), repeated reference
/// numbers refused. `progress` hears how many rows are checked, now and then.
pub async fn import_drafts<F, Fut>(
    db: &Db,
    principal: &Principal,
    drafts: Vec<Draft>,
    resolved: &Resolved,
    mode: Mode,
    import_id: Option<Uuid>,
    mut progress: F,
) -> Result<Report, DomainError>
where
    F: FnMut(usize) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let tenant = tenant_for(principal, Action::WriteContracts)?;
    let mut report = Report {
        rows_total: drafts.len(),
        unmapped_columns: resolved.unmapped.clone(),
        ..Report::default()
    };

    // What the register knows already, read once.
    let cvrs: Vec<String> = drafts
        .iter()
        .filter_map(|d| d.supplier_cvr.as_ref().map(|c| c.as_str().to_owned()))
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let read = db.read(Scope::Tenant(tenant)).await?;
    let mut suppliers: HashMap<String, Supplier> = HashMap::new();
    for chunk in cvrs.chunks(500) {
        for s in platform::<supplier::Entity>()
            .filter(supplier::Column::Cvr.is_in(chunk.to_vec()))
            .all(&read)
            .await?
        {
            suppliers.insert(s.cvr.clone(), s.into());
        }
    }
    let mut systems: HashMap<String, (Uuid, String)> = HashMap::new();
    for s in scoped::<it_system::Entity>(tenant)
        .order_by_asc(it_system::Column::CreatedAt)
        .all(&read)
        .await?
    {
        // A system in use wins over an archived one of the same name.
        let key = s.name.trim().to_lowercase();
        if s.archived_at.is_none() || !systems.contains_key(&key) {
            systems.insert(key, (s.id, s.name));
        }
    }
    let mut references: HashMap<String, Uuid> = HashMap::new();
    for (id, reference) in scoped::<contract::Entity>(tenant)
        .select_only()
        .column(contract::Column::Id)
        .column(contract::Column::Reference)
        .filter(contract::Column::Reference.is_not_null())
        .into_tuple::<(Uuid, Option<String>)>()
        .all(&read)
        .await?
    {
        if let Some(reference) = reference {
            references
                .entry(reference.trim().to_lowercase())
                .or_insert(id);
        }
    }
    let mut cpv: HashMap<String, Result<Option<String>, FieldError>> = HashMap::new();
    for d in &drafts {
        if let Some(code) = &d.input.cpv_code
            && !cpv.contains_key(code)
        {
            let checked = crate::reference::check_cpv_field(&read, "cpv_code", Some(code)).await?;
            cpv.insert(code.clone(), checked);
        }
    }
    read.commit().await?;

    // Names for suppliers new to the catalogue: the first row that gives one.
    let mut new_names: HashMap<String, String> = HashMap::new();
    for d in &drafts {
        if let (Some(cvr), Some(name)) = (&d.supplier_cvr, &d.supplier_name)
            && !suppliers.contains_key(cvr.as_str())
        {
            new_names
                .entry(cvr.as_str().to_owned())
                .or_insert_with(|| name.clone());
        }
    }
    let mut new_suppliers: HashMap<String, Supplier> = HashMap::new();
    let mut new_systems: HashMap<String, (Uuid, String)> = HashMap::new();
    // The first row with each reference number, by index.
    let mut first_with: HashMap<String, usize> = HashMap::new();
    for (index, d) in drafts.iter().enumerate() {
        if let Some(reference) = &d.input.reference {
            first_with
                .entry(reference.trim().to_lowercase())
                .or_insert(index);
        }
    }
    let ids: Vec<Uuid> = drafts.iter().map(|_| Uuid::new_v4()).collect();

    let mut checked: Vec<Checked> = Vec::with_capacity(drafts.len());
    for (index, mut d) in drafts.into_iter().enumerate() {
        if index % 1000 == 999 {
            progress(index + 1).await;
        }
        let mut issues = std::mem::take(&mut d.issues);
        // Reference numbers: new to the register and once in the file.
        if let Some(reference) = d.input.reference.clone() {
            let key = reference.trim().to_lowercase();
            if let Some(existing) = references.get(&key) {
                issues.push(issue(
                    &d,
                    resolved,
                    "reference",
                    &reference,
                    format!(
                        "Der findes allerede en kontrakt med referencenummer «{}»",
                        reference.trim()
                    ),
                ));
                report.duplicates.push(Duplicate {
                    row: d.row,
                    reference: reference.trim().to_owned(),
                    existing_contract_id: Some(*existing),
                    first_row: None,
                });
            } else if let Some(first) = first_with.get(&key).filter(|first| **first != index) {
                let first_row = checked.get(*first).map(|c| c.draft.row).unwrap_or_default();
                issues.push(issue(
                    &d,
                    resolved,
                    "reference",
                    &reference,
                    format!(
                        "Referencenummeret «{}» står også i række {first_row}",
                        reference.trim()
                    ),
                ));
                report.duplicates.push(Duplicate {
                    row: d.row,
                    reference: reference.trim().to_owned(),
                    existing_contract_id: None,
                    first_row: Some(first_row),
                });
            }
        }
        // The supplier, by CVR: known, or registered with the row's name.
        let mut supplier = None;
        if let Some(cvr) = &d.supplier_cvr {
            if let Some(known) = suppliers
                .get(cvr.as_str())
                .or_else(|| new_suppliers.get(cvr.as_str()))
            {
                supplier = Some(known.clone());
            } else {
                match new_names.get(cvr.as_str()).map(|n| required_text("supplier_name", n, 200)) {
                    Some(Ok(name)) => {
                        let created = Supplier {
                            id: Uuid::new_v4(),
                            cvr: cvr.as_str().to_owned(),
                            name,
                        };
                        new_suppliers.insert(cvr.as_str().to_owned(), created.clone());
                        supplier = Some(created);
                    }
                    Some(Err(_)) => issues.push(issue(
                        &d,
                        resolved,
                        "supplier_name",
                        d.supplier_name.as_deref().unwrap_or(""),
                        "Leverandørens navn er for langt (højst 200 tegn)".into(),
                    )),
                    None => issues.push(issue(
                        &d,
                        resolved,
                        "supplier_cvr",
                        cvr.as_str(),
                        format!(
                            "Leverandøren med CVR-nummer {} er ikke registreret; angiv leverandørens navn i kolonnen «Leverandør»",
                            cvr.as_str()
                        ),
                    )),
                }
            }
        } else if !issues.iter().any(|i| i.field == "supplier_cvr") {
            issues.push(issue(
                &d,
                resolved,
                "supplier_cvr",
                "",
                "Leverandørens CVR-nummer skal udfyldes".into(),
            ));
        }
        // The IT systems, by name: known, or created.
        let mut system_ids = Vec::new();
        for name in &d.systems {
            let key = name.trim().to_lowercase();
            if let Some((id, _)) = systems.get(&key).or_else(|| new_systems.get(&key)) {
                system_ids.push(*id);
            } else {
                match required_text("systems", name, 200) {
                    Ok(name) => {
                        let id = Uuid::new_v4();
                        new_systems.insert(key, (id, name));
                        system_ids.push(id);
                    }
                    Err(_) => issues.push(issue(
                        &d,
                        resolved,
                        "systems",
                        name,
                        "Et IT-systems navn er højst 200 tegn".into(),
                    )),
                }
            }
        }
        // The main contract, by reference number: registered, or in the file.
        let mut parent_row = None;
        if let Some(parent) = &d.parent_reference {
            let key = parent.trim().to_lowercase();
            if let Some(id) = references.get(&key) {
                d.input.parent_id = Some(*id);
            } else if let Some(row) = first_with.get(&key) {
                if *row == index {
                    issues.push(issue(
                        &d,
                        resolved,
                        "parent_reference",
                        parent,
                        "En kontrakt kan ikke være sin egen hovedkontrakt".into(),
                    ));
                } else {
                    d.input.parent_id = Some(ids[*row]);
                    parent_row = Some(*row);
                }
            } else {
                issues.push(issue(
                    &d,
                    resolved,
                    "parent_reference",
                    parent,
                    format!(
                        "Der er ingen kontrakt med referencenummer «{}» i registret eller i filen",
                        parent.trim()
                    ),
                ));
            }
        }
        d.input.supplier_id = supplier.as_ref().map(|s| s.id);
        d.input.system_ids = system_ids;
        // The contract rules, as for a contract registered by hand.
        let mut input = std::mem::take(&mut d.input);
        let mut errors = Vec::new();
        let start_on = check_fields(&mut input, &mut errors);
        if let Some(code) = input.cpv_code.clone() {
            match cpv.get(&code) {
                Some(Ok(normal)) => input.cpv_code = normal.clone(),
                Some(Err(e)) => {
                    errors.push(e.clone());
                    input.cpv_code = None;
                }
                None => {}
            }
        }
        // Problems found while reading a cell are reported once.
        errors.retain(|e| !issues.iter().any(|i| i.field == column_key(&e.field)));
        for e in &errors {
            let key = column_key(&e.field);
            issues.push(issue(
                &d,
                resolved,
                key,
                &cell_of(&d, resolved, key),
                danish_message(e),
            ));
        }
        d.input = input.clone();
        let valid = if issues.is_empty() {
            finish(input, supplier, start_on, Vec::new()).ok()
        } else {
            None
        };
        d.issues = issues;
        checked.push(Checked {
            id: ids[index],
            draft: d,
            valid,
            parent_row,
        });
    }

    // A row under a main contract of the file that is refused is refused too.
    loop {
        let mut changed = false;
        for index in 0..checked.len() {
            let Some(parent) = checked[index].parent_row else {
                continue;
            };
            if checked[index].valid.is_some() && checked[parent].valid.is_none() {
                let parent_number = checked[parent].draft.row;
                let d = &checked[index].draft;
                let found = issue(
                    d,
                    resolved,
                    "parent_reference",
                    d.parent_reference.as_deref().unwrap_or(""),
                    format!("Hovedkontrakten i række {parent_number} kan ikke importeres"),
                );
                checked[index].draft.issues.push(found);
                checked[index].valid = None;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    // Main contracts of the file in a ring: none of them has a top.
    for index in 0..checked.len() {
        let mut seen = HashSet::new();
        let mut cursor = checked[index].parent_row;
        while let Some(current) = cursor {
            if !seen.insert(current) || current == index {
                if checked[index].valid.is_some() {
                    let d = &checked[index].draft;
                    let found = issue(
                        d,
                        resolved,
                        "parent_reference",
                        d.parent_reference.as_deref().unwrap_or(""),
                        "Hovedkontrakterne i filen henviser til hinanden i ring".into(),
                    );
                    checked[index].draft.issues.push(found);
                    checked[index].valid = None;
                }
                break;
            }
            cursor = checked[current].parent_row;
        }
    }

    for c in &checked {
        report.errors.extend(c.draft.issues.iter().cloned());
        if c.valid.is_none() {
            report.rejected_rows.push(c.draft.row);
        }
    }
    report.rows_valid = checked.iter().filter(|c| c.valid.is_some()).count();
    let store = match mode {
        Mode::Analyse | Mode::DryRun => false,
        Mode::AllOrNothing => report.rows_valid == report.rows_total,
        Mode::ValidRows => true,
    };
    // The suppliers and systems the stored rows need.
    let used: Vec<&Checked> = checked.iter().filter(|c| c.valid.is_some()).collect();
    let used_suppliers: HashSet<Uuid> = used
        .iter()
        .filter_map(|c| c.valid.as_ref().map(|v| v.supplier.id))
        .collect();
    let used_systems: HashSet<Uuid> = used
        .iter()
        .flat_map(|c| c.draft.input.system_ids.iter().copied())
        .collect();
    let mut created_suppliers: Vec<Supplier> = new_suppliers
        .into_values()
        .filter(|s| used_suppliers.contains(&s.id))
        .collect();
    created_suppliers.sort_by(|a, b| a.cvr.cmp(&b.cvr));
    let mut created_systems: Vec<(Uuid, String)> = new_systems
        .into_values()
        .filter(|(id, _)| used_systems.contains(id))
        .collect();
    created_systems.sort_by(|a, b| a.1.cmp(&b.1));
    report.created_suppliers = created_suppliers
        .iter()
        .map(|s| CreatedSupplier {
            cvr: s.cvr.clone(),
            name: s.name.clone(),
        })
        .collect();
    report.created_systems = created_systems.iter().map(|(_, n)| n.clone()).collect();

    if !store {
        report.rows_rejected = if mode == Mode::AllOrNothing {
            report.rows_total
        } else {
            report.rows_total - report.rows_valid
        };
        if mode == Mode::AllOrNothing {
            report.created_suppliers.clear();
            report.created_systems.clear();
        }
        progress(report.rows_total).await;
        return Ok(report);
    }

    // Main contracts before the contracts under them.
    let depth = |index: usize| {
        let mut depth = 0;
        let mut cursor = checked[index].parent_row;
        while let Some(current) = cursor {
            depth += 1;
            cursor = checked[current].parent_row;
        }
        depth
    };
    let mut order: Vec<usize> = (0..checked.len())
        .filter(|i| checked[*i].valid.is_some())
        .collect();
    order.sort_by_key(|i| depth(*i));

    let txn = db.write(Scope::Tenant(tenant)).await?;
    let now = Utc::now();
    let today = crate::clock::local_date(now);
    for s in &created_suppliers {
        supplier::ActiveModel {
            id: Set(s.id),
            cvr: Set(s.cvr.clone()),
            name: Set(s.name.clone()),
            created_at: Set(now),
            updated_at: Set(now),
        }
        .insert(&txn)
        .await
        .map_err(|e| match e.sql_err() {
            Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => DomainError::Conflict {
                message: "a supplier was registered at the same moment; run the import again"
                    .into(),
                field: None,
            },
            _ => e.into(),
        })?;
    }
    let system_models: Vec<it_system::ActiveModel> = created_systems
        .iter()
        .map(|(id, name)| it_system::ActiveModel {
            id: Set(*id),
            tenant_id: Set(tenant.0),
            name: Set(name.clone()),
            category: Set(None),
            supplier_id: Set(None),
            system_owner: Set(None),
            owner_user_id: Set(None),
            status: Set("in_use".into()),
            description: Set(None),
            version: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
            archived_at: Set(None),
            kitos_uuid: Set(None),
        })
        .collect();
    for chunk in system_models.chunks(500) {
        it_system::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(&txn)
            .await?;
    }
    let all_names: HashMap<Uuid, String> = systems
        .into_values()
        .chain(created_systems.iter().cloned())
        .collect();
    let mut models = Vec::with_capacity(order.len());
    let mut links = Vec::new();
    for index in &order {
        let c = &checked[*index];
        let Some(valid) = &c.valid else { continue };
        let mut names: Vec<String> = valid
            .input
            .system_ids
            .iter()
            .filter_map(|id| all_names.get(id).cloned())
            .collect();
        names.sort();
        let mut model = model_of(valid, tenant, c.id, &names, now);
        model.created_by = principal.actor_id();
        // A status the dates give anyway is not an explicit one.
        if let Some(given) = model.status_override.take()
            && status_on(&model, today) != given
        {
            model.status_override = Some(given);
        }
        links.extend(
            valid
                .input
                .system_ids
                .iter()
                .map(|system| contract_system::ActiveModel {
                    contract_id: Set(c.id),
                    it_system_id: Set(*system),
                    tenant_id: Set(tenant.0),
                }),
        );
        models.push(model);
    }
    for chunk in models.chunks(200) {
        contract::Entity::insert_many(chunk.iter().cloned().map(contract::ActiveModel::from))
            .exec_without_returning(&txn)
            .await?;
    }
    for chunk in links.chunks(500) {
        contract_system::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(&txn)
            .await?;
    }
    let mut changes: Vec<Change> = Vec::with_capacity(models.len() + 8);
    for s in &created_suppliers {
        changes.push(Change {
            action: "supplier.registered",
            object_kind: "supplier",
            object_id: s.id,
            before: None,
            after: Some(serde_json::json!({ "cvr": s.cvr, "name": s.name })),
        });
    }
    for (id, name) in &created_systems {
        changes.push(Change {
            action: "it_system.created",
            object_kind: "it_system",
            object_id: *id,
            before: None,
            after: Some(serde_json::json!({ "name": name })),
        });
    }
    for model in &models {
        changes.push(Change {
            action: "contract.imported",
            object_kind: KIND,
            object_id: model.id,
            before: None,
            after: Some(serde_json::json!({ "title": model.title, "import_id": import_id })),
        });
    }
    report.rows_imported = models.len();
    report.rows_rejected = report.rows_total - report.rows_imported;
    let mut imported: HashSet<Uuid> = models.iter().map(|m| m.id).collect();
    report.contract_ids = checked
        .iter()
        .filter(|c| imported.remove(&c.id))
        .map(|c| c.id)
        .collect();
    changes.push(Change {
        action: "contract_import.run",
        object_kind: "contract_import",
        object_id: import_id.unwrap_or_else(Uuid::new_v4),
        before: None,
        after: Some(serde_json::json!({
            "mode": mode.code(),
            "rows_total": report.rows_total,
            "rows_imported": report.rows_imported,
            "rows_rejected": report.rows_rejected,
        })),
    });
    audit::record_many(&txn, principal, Some(tenant), changes).await?;
    if let Some(id) = import_id {
        super::import_jobs::finish_in(&txn, tenant, id, &report, resolved).await?;
    }
    txn.commit().await?;
    Ok(report)
}
