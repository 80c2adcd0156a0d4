//! Contracts based on a template: the link from a contract to the published
//! version it follows (values chosen, defaults prefilled, deviations with
//! their reasons), how the register filters on it, and a template's use
//! across the contracts a municipality may see.

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap, HashSet};

use sea_orm::sea_query::{Query, SimpleExpr};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, QueryFilter, Set};
use serde::Serialize;
use uuid::Uuid;

use crate::contracts::KIND as CONTRACT;
use crate::db::{Db, Scope, scoped, scoped_delete, scoped_with_shared};
use crate::entities::{contract, contract_template, template_version};
use crate::error::{DomainError, DomainResult, FieldError};
use crate::ownership::Standing;
use crate::policy::Action;
use crate::principal::{Principal, TenantId};
use crate::shares;
use crate::systems::tenant_for;
use crate::templates::library::{self, PUBLISHED, Seen, content_of};
use crate::templates::model::{ContractTemplateUse, Deviation, ParameterValue, VersionContent};
use crate::templates::validation::{ResolvedUse, validate_use};

/// A contract's template section as written: the published version it is
/// based on (by template and number), the values chosen by parameter name,
/// and the clauses it deviates in.
#[derive(Debug, Clone, Default)]
pub struct TemplateUseInput {
    pub template_id: Uuid,
    pub version_number: i32,
    pub template_use: ContractTemplateUse,
}

/// A contract's template section as read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContractTemplate {
    pub template_id: Uuid,
    /// While the template is visible to the reader.
    pub template_name: Option<String>,
    pub version_number: i32,
    /// The value of every parameter that has one: chosen, or the default
    /// prefilled when the contract was written.
    pub values: BTreeMap<String, ParameterValue>,
    pub deviations: Vec<Deviation>,
}

/// A validated template section, ready to store.
#[derive(Debug, Clone)]
pub struct ValidUse {
    template_id: Uuid,
    version_id: Uuid,
    version_number: i32,
    values: BTreeMap<String, ParameterValue>,
    deviations: Vec<Deviation>,
}

fn prefixed(errors: Vec<FieldError>) -> Vec<FieldError> {
    errors
        .into_iter()
        .map(|mut e| {
            e.field = format!("template.{}", e.field);
            e
        })
        .collect()
}

/// Checks a contract's template section for the contract's owner `tenant`:
/// the version must be a published version of a template the owner sees,
/// and the values and deviations must fit it. A link the contract has
/// already (`current`) may stay even if its template was archived since.
/// Field errors are named from the body's root (`template.values.x`).
pub(crate) async fn check_use<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    input: &TemplateUseInput,
    current: Option<&contract_template::Model>,
) -> DomainResult<Result<ValidUse, Vec<FieldError>>> {
    let standing = Standing::of(conn, tenant).await?;
    let template = match library::seen(conn, &standing, input.template_id).await {
        Ok(found) => found,
        Err(DomainError::NotFound) => {
            return Ok(Err(vec![FieldError::new(
                "template.template_id",
                "unknown",
                "no such template visible to the municipality",
            )]));
        }
        Err(e) => return Err(e),
    };
    let unchanged = current.is_some_and(|c| {
        c.template_id == input.template_id && c.version_number == input.version_number
    });
    if template.model.archived_at.is_some() && !unchanged {
        return Ok(Err(vec![FieldError::new(
            "template.template_id",
            "archived",
            "the template is archived; contracts can no longer be based on it",
        )]));
    }
    let version = match library::version_of(conn, &standing, &template, input.version_number).await
    {
        Ok(found) if found.status == PUBLISHED => found,
        Ok(_) => {
            return Ok(Err(vec![FieldError::new(
                "template.version_number",
                "not_published",
                "contracts are based on published versions only",
            )]));
        }
        Err(DomainError::NotFound) => {
            return Ok(Err(vec![FieldError::new(
                "template.version_number",
                "unknown",
                "the template has no such version",
            )]));
        }
        Err(e) => return Err(e),
    };
    let content = content_of(&version)?;
    Ok(match validate_use(&content, &input.template_use) {
        Ok(resolved) => Ok(valid_use(&template, &version, resolved)),
        Err(errors) => Err(prefixed(errors)),
    })
}

fn valid_use(
    template: &Seen,
    version: &template_version::Model,
    resolved: ResolvedUse,
) -> ValidUse {
    ValidUse {
        template_id: template.model.id,
        version_id: version.id,
        version_number: version.number,
        values: resolved
            .values
            .into_iter()
            .filter_map(|(name, v)| v.value.map(|value| (name, value)))
            .collect(),
        deviations: resolved.deviations.into_values().collect(),
    }
}

/// The contract's current link, if any (the owner's row).
pub(crate) async fn current_use<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    contract_id: Uuid,
) -> DomainResult<Option<contract_template::Model>> {
    Ok(scoped::<contract_template::Entity>(tenant)
        .filter(contract_template::Column::ContractId.eq(contract_id))
        .one(conn)
        .await?)
}

/// Stores (or, with `None`, removes) a contract's template link.
pub(crate) async fn store_use<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    contract_id: Uuid,
    valid: Option<ValidUse>,
) -> DomainResult<()> {
    scoped_delete::<contract_template::Entity>(tenant)
        .filter(contract_template::Column::ContractId.eq(contract_id))
        .exec(conn)
        .await?;
    let Some(valid) = valid else {
        return Ok(());
    };
    let json = |value: serde_json::Result<serde_json::Value>| {
        value.map_err(|e| DomainError::Internal(format!("template use does not serialize: {e}")))
    };
    contract_template::ActiveModel {
        contract_id: Set(contract_id),
        tenant_id: Set(tenant.0),
        template_id: Set(valid.template_id),
        template_version_id: Set(valid.version_id),
        version_number: Set(valid.version_number),
        values: Set(json(serde_json::to_value(&valid.values))?),
        deviations: Set(json(serde_json::to_value(&valid.deviations))?),
        has_deviations: Set(!valid.deviations.is_empty()),
    }
    .insert(conn)
    .await?;
    Ok(())
}

fn read_link(link: &contract_template::Model) -> DomainResult<ContractTemplateUse> {
    let unreadable = |e: serde_json::Error| {
        DomainError::Internal(format!(
            "stored template use of contract {} is unreadable: {e}",
            link.contract_id
        ))
    };
    Ok(ContractTemplateUse {
        values: serde_json::from_value(link.values.clone()).map_err(unreadable)?,
        deviations: serde_json::from_value(link.deviations.clone()).map_err(unreadable)?,
    })
}

/// The template sections of `contracts` (already found visible to `viewer`:
/// its own and those shared with it), by contract id.
pub(crate) async fn sections_of<C: ConnectionTrait>(
    conn: &C,
    viewer: TenantId,
    contracts: &[&contract::Model],
) -> DomainResult<HashMap<Uuid, ContractTemplate>> {
    if contracts.is_empty() {
        return Ok(HashMap::new());
    }
    let own: Vec<Uuid> = contracts
        .iter()
        .filter(|c| c.tenant_id == viewer.0)
        .map(|c| c.id)
        .collect();
    let theirs: Vec<Uuid> = contracts
        .iter()
        .filter(|c| c.tenant_id != viewer.0)
        .map(|c| c.id)
        .collect();
    let mut links = Vec::new();
    if !own.is_empty() {
        links.extend(
            scoped::<contract_template::Entity>(viewer)
                .filter(contract_template::Column::ContractId.is_in(own))
                .all(conn)
                .await?,
        );
    }
    if !theirs.is_empty() {
        links.extend(
            scoped_with_shared::<contract_template::Entity>(viewer, false, theirs)
                .all(conn)
                .await?,
        );
    }
    if links.is_empty() {
        return Ok(HashMap::new());
    }
    let standing = Standing::of(conn, viewer).await?;
    let mut names: HashMap<Uuid, Option<String>> = HashMap::new();
    let mut sections = HashMap::new();
    for link in links {
        if let Entry::Vacant(entry) = names.entry(link.template_id) {
            entry.insert(
                match library::seen(conn, &standing, link.template_id).await {
                    Ok(found) => Some(found.model.name),
                    Err(DomainError::NotFound) => None,
                    Err(e) => return Err(e),
                },
            );
        }
        let used = read_link(&link)?;
        sections.insert(
            link.contract_id,
            ContractTemplate {
                template_id: link.template_id,
                template_name: names.get(&link.template_id).cloned().flatten(),
                version_number: link.version_number,
                values: used.values,
                deviations: used.deviations,
            },
        );
    }
    Ok(sections)
}

/// A condition on contracts for the register's template filters: based on
/// the template, on a version number, with or without deviations.
pub(crate) fn contract_condition(
    template_id: Option<Uuid>,
    version_number: Option<i32>,
    has_deviations: Option<bool>,
) -> Option<SimpleExpr> {
    if template_id.is_none() && version_number.is_none() && has_deviations.is_none() {
        return None;
    }
    let mut links = Query::select();
    links
        .column(contract_template::Column::ContractId)
        .from(contract_template::Entity);
    if let Some(id) = template_id {
        links.and_where(contract_template::Column::TemplateId.eq(id));
    }
    if let Some(number) = version_number {
        links.and_where(contract_template::Column::VersionNumber.eq(number));
    }
    if let Some(deviating) = has_deviations {
        links.and_where(contract_template::Column::HasDeviations.eq(deviating));
    }
    Some(contract::Column::Id.in_subquery(links.to_owned()))
}

/// How many contracts are based on one version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VersionUsage {
    pub number: i32,
    pub contracts: u64,
}

/// How often contracts deviate from one clause, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClauseUsage {
    pub clause_key: Uuid,
    pub number: String,
    pub heading: String,
    pub deviations: u64,
    pub reasons: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TemplateUsage {
    pub versions: Vec<VersionUsage>,
    pub clauses: Vec<ClauseUsage>,
    pub contracts: u64,
}

/// The use of a template the caller sees across the contracts it may see:
/// its municipality's own and those shared with it (archived ones left out).
pub async fn usage(db: &Db, principal: &Principal, id: Uuid) -> DomainResult<TemplateUsage> {
    let tenant = tenant_for(principal, Action::ReadTemplates)?;
    let txn = db.read(Scope::Tenant(tenant)).await?;
    let standing = Standing::of(&txn, tenant).await?;
    let template = library::seen(&txn, &standing, id).await?;
    let versions = library::versions_of(&txn, &standing, &[&template])
        .await?
        .remove(&id)
        .unwrap_or_default();
    let shared: Vec<Uuid> = shares::visible_to(&txn, tenant, CONTRACT)
        .await?
        .into_iter()
        .map(|(contract, _)| contract)
        .collect();
    let links = scoped_with_shared::<contract_template::Entity>(tenant, true, shared.clone())
        .filter(contract_template::Column::TemplateId.eq(id))
        .all(&txn)
        .await?;
    let linked: Vec<Uuid> = links.iter().map(|l| l.contract_id).collect();
    let current: HashSet<Uuid> = if linked.is_empty() {
        HashSet::new()
    } else {
        scoped_with_shared::<contract::Entity>(tenant, true, shared)
            .filter(contract::Column::Id.is_in(linked))
            .filter(contract::Column::ArchivedAt.is_null())
            .all(&txn)
            .await?
            .into_iter()
            .map(|c| c.id)
            .collect()
    };
    txn.commit().await?;
    let links: Vec<&contract_template::Model> = links
        .iter()
        .filter(|l| current.contains(&l.contract_id))
        .collect();

    let mut per_version: BTreeMap<i32, u64> = versions
        .iter()
        .filter(|v| v.status == PUBLISHED)
        .map(|v| (v.number, 0))
        .collect();
    let mut per_clause: HashMap<Uuid, (u64, Vec<String>)> = HashMap::new();
    for link in &links {
        *per_version.entry(link.version_number).or_default() += 1;
        for deviation in read_link(link)?.deviations {
            let entry = per_clause.entry(deviation.clause_key).or_default();
            entry.0 += 1;
            if !deviation.reason.is_empty() {
                entry.1.push(deviation.reason);
            }
        }
    }
    // A clause is named as in the newest version the caller sees that has it.
    let contents: Vec<VersionContent> = versions
        .iter()
        .rev()
        .map(content_of)
        .collect::<DomainResult<_>>()?;
    let mut clauses: Vec<ClauseUsage> = per_clause
        .into_iter()
        .map(|(key, (count, reasons))| {
            let clause = contents
                .iter()
                .find_map(|c| c.clauses.iter().find(|clause| clause.key == key));
            ClauseUsage {
                clause_key: key,
                number: clause.map(|c| c.number.clone()).unwrap_or_default(),
                heading: clause.map(|c| c.heading.clone()).unwrap_or_default(),
                deviations: count,
                reasons,
            }
        })
        .collect();
    clauses.sort_by(|a, b| {
        b.deviations
            .cmp(&a.deviations)
            .then_with(|| a.number.cmp(&b.number))
            .then(a.clause_key.cmp(&b.clause_key))
    });
    Ok(TemplateUsage {
        versions: per_version
            .into_iter()
            .map(|(number, contracts)| VersionUsage { number, contracts })
            .collect(),
        clauses,
        contracts: links.len() as u64,
    })
}

/// The template content and use of a contract the caller reads, for its
/// filled document: `NotFound` when the contract has no template, and a
/// conflict when the version is no longer visible to the caller.
pub(crate) async fn filled_source<C: ConnectionTrait>(
    conn: &C,
    viewer: TenantId,
    contract: &contract::Model,
) -> DomainResult<(VersionContent, ContractTemplateUse)> {
    let link = if contract.tenant_id == viewer.0 {
        scoped::<contract_template::Entity>(viewer)
            .filter(contract_template::Column::ContractId.eq(contract.id))
            .one(conn)
            .await?
    } else {
        scoped_with_shared::<contract_template::Entity>(viewer, false, vec![contract.id])
            .one(conn)
            .await?
    }
    .ok_or(DomainError::NotFound)?;
    let standing = Standing::of(conn, viewer).await?;
    let unavailable =
        || DomainError::conflict("the template version is no longer visible to the municipality");
    let template = match library::seen(conn, &standing, link.template_id).await {
        Ok(found) => found,
        Err(DomainError::NotFound) => return Err(unavailable()),
        Err(e) => return Err(e),
    };
    let version = match library::version_of(conn, &standing, &template, link.version_number).await {
        Ok(found) => found,
        Err(DomainError::NotFound) => return Err(unavailable()),
        Err(e) => return Err(e),
    };
    Ok((content_of(&version)?, read_link(&link)?))
}
