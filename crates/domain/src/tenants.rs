//! Municipalities: created by platform operators, each the owner of its data.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, QueryFilter, QueryOrder, Set};
use serde::Serialize;
use uuid::Uuid;

use crate::audit::{self, Change};
use crate::db::{Db, Scope, platform, platform_by_id};
use crate::entities::tenant;
use crate::error::{DomainError, DomainResult, FieldError, OnUnique};
use crate::paging::{Page, PageRequest, fetch_page};
use crate::policy::{Action, authorize};
use crate::principal::{Principal, TenantId};
use crate::values::{Cvr, MunicipalityCode, required_text, search_phrase};

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Tenant {
    pub id: Uuid,
    pub name: String,
    pub municipality_code: String,
    pub cvr: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<tenant::Model> for Tenant {
    fn from(m: tenant::Model) -> Self {
        Self {
            id: m.id,
            name: m.name,
            municipality_code: m.municipality_code,
            cvr: m.cvr,
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct NewTenant {
    pub name: String,
    pub municipality_code: String,
    pub cvr: Option<String>,
}

pub async fn create_tenant(db: &Db, principal: &Principal, new: NewTenant) -> DomainResult<Tenant> {
    let scope = authorize(principal, Action::ManageTenants)?;
    let mut errors: Vec<FieldError> = Vec::new();
    let name = required_text("name", &new.name, 200)
        .map_err(|e| errors.push(e))
        .ok();
    let code = MunicipalityCode::parse("municipality_code", &new.municipality_code)
        .map_err(|e| errors.push(e))
        .ok();
    let cvr = match new.cvr.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(raw) => Cvr::parse("cvr", raw).map_err(|e| errors.push(e)).ok(),
        None => None,
    };
    let (Some(name), Some(code), true) = (name, code, errors.is_empty()) else {
        return Err(DomainError::Validation(errors));
    };

    let now = Utc::now();
    let txn = db.write(scope).await?;
    let code_taken = platform::<tenant::Entity>()
        .filter(tenant::Column::MunicipalityCode.eq(code.to_string()))
        .one(&txn)
        .await?
        .is_some();
    let cvr_taken = match &cvr {
        Some(cvr) => platform::<tenant::Entity>()
            .filter(tenant::Column::Cvr.eq(cvr.as_str()))
            .one(&txn)
            .await?
            .is_some(),
        None => false,
    };
    if code_taken || cvr_taken {
        let (field, message) = if code_taken {
            (
                "municipality_code",
                "a municipality with this code already exists",
            )
        } else {
            ("cvr", "a municipality with this CVR number already exists")
        };
        return Err(DomainError::Conflict {
            message: message.to_owned(),
            field: Some(FieldError::new(field, "taken", message)),
        });
    }
    let model = tenant::ActiveModel {
        id: Set(Uuid::new_v4()),
        name: Set(name),
        municipality_code: Set(code.to_string()),
        cvr: Set(cvr.map(|c| c.as_str().to_owned())),
        created_at: Set(now),
        updated_at: Set(now),
    };
    let created: Tenant = model
        .insert(&txn)
        .await
        .on_unique(
            "municipality_code",
            "a municipality with this code or CVR number already exists",
        )?
        .into();
    audit::record(
        &txn,
        principal,
        Some(TenantId(created.id)),
        Change {
            action: "tenant.created",
            object_kind: "tenant",
            object_id: created.id,
            before: None,
            after: serde_json::to_value(&created).ok(),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(created)
}

pub async fn list_tenants(
    db: &Db,
    principal: &Principal,
    page: PageRequest,
) -> DomainResult<Page<Tenant>> {
    let scope = authorize(principal, Action::ManageTenants)?;
    let txn = db.read(scope).await?;
    let query = platform::<tenant::Entity>().order_by_asc(tenant::Column::MunicipalityCode);
    let found = fetch_page(&txn, query, page).await?;
    txn.commit().await?;
    Ok(found)
}

/// The principal's own municipality, if it has one.
pub async fn own_tenant(db: &Db, principal: &Principal) -> DomainResult<Option<Tenant>> {
    let Some(tenant) = principal.tenant_id() else {
        return Ok(None);
    };
    let txn = db.read(Scope::Tenant(tenant)).await?;
    let found = platform_by_id::<tenant::Entity, _>(tenant.0)
        .one(&txn)
        .await?;
    txn.commit().await?;
    Ok(found.map(Tenant::from))
}

/// A municipality by its code, for operator work on the console.
pub async fn find_by_code(db: &Db, principal: &Principal, code: &str) -> DomainResult<Tenant> {
    let scope = authorize(principal, Action::ManageTenants)?;
    let code = MunicipalityCode::parse("municipality_code", code)
        .map_err(|e| DomainError::Validation(vec![e]))?;
    let txn = db.read(scope).await?;
    let found = platform::<tenant::Entity>()
        .filter(tenant::Column::MunicipalityCode.eq(code.to_string()))
        .one(&txn)
        .await?;
    txn.commit().await?;
    found.map(Tenant::from).ok_or(DomainError::NotFound)
}

/// A municipality as anyone signed in may find it: who it is, nothing more.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct MunicipalityRef {
    pub id: Uuid,
    pub name: String,
    pub municipality_code: String,
}

/// The platform's municipalities whose name contains `q` (any case) or whose
/// code starts with it, at most `limit`: exact codes first, then names that
/// start with `q`, then by name.
pub async fn search_municipalities(
    db: &Db,
    principal: &Principal,
    q: Option<&str>,
    limit: u64,
) -> DomainResult<Vec<MunicipalityRef>> {
    let scope = authorize(principal, Action::FindMunicipalities)?;
    let phrase = search_phrase("q", q).map_err(|e| DomainError::Validation(vec![e]))?;
    let txn = db.read(scope).await?;
    // A country has about a hundred municipalities: matched here, where
    // case folding covers æ, ø and å on both databases.
    let all = platform::<tenant::Entity>()
        .order_by_asc(tenant::Column::Name)
        .all(&txn)
        .await?;
    txn.commit().await?;
    let mut found: Vec<(u8, String, MunicipalityRef)> = all
        .into_iter()
        .filter_map(|t| {
            let name = t.name.to_lowercase();
            let rank = match phrase.as_deref() {
                None => 2,
                Some(p) if t.municipality_code == p => 0,
                Some(p) if name.starts_with(p) => 1,
                Some(p) if name.contains(p) || t.municipality_code.starts_with(p) => 2,
                Some(_) => return None,
            };
            Some((
                rank,
                name,
                MunicipalityRef {
                    id: t.id,
                    name: t.name,
                    municipality_code: t.municipality_code,
                },
            ))
        })
        .collect();
    found.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    let limit = usize::try_from(limit.clamp(1, 200)).unwrap_or(200);
    Ok(found.into_iter().take(limit).map(|(_, _, m)| m).collect())
}
