//! Registering many contracts at once, all or nothing: every row is
//! validated first, and either all are stored (in one transaction, with
//! their audit records) or none is and each failing row is reported.

use chrono::Utc;
use sea_orm::{EntityTrait, Set};
use uuid::Uuid;

use super::{ContractInput, KIND, model_of, system_names, validate};
use crate::audit::{self, Change};
use crate::db::{Db, Scope};
use crate::entities::{contract, contract_system};
use crate::error::{DomainError, FieldError};
use crate::policy::Action;
use crate::principal::Principal;
use crate::systems::tenant_for;

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
