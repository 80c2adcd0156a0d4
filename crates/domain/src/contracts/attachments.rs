//! Files attached to a contract: the signed contract and its appendices, as
//! PDF, DOCX or XLSX. Kept in the database, so every replica serves them.
//! The owner's users read them; a contract shared read-only shares its
//! fields, not its files.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use serde::Serialize;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::KIND;
use crate::audit::{self, Change};
use crate::db::{Db, Scope, scoped, scoped_get};
use crate::entities::{attachment, contract};
use crate::error::{DomainError, DomainResult};
use crate::policy::Action;
use crate::principal::{Principal, TenantId};
use crate::systems::tenant_for;

/// The largest file accepted.
pub const MAX_BYTES: usize = 20 * 1024 * 1024;

pub const PDF: &str = "application/pdf";
pub const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Attachment {
    pub id: Uuid,
    pub contract_id: Uuid,
    pub filename: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub created_at: DateTime<Utc>,
}

/// The content type a file really has, judged by its name and its first
/// bytes, or why it is refused.
pub fn content_type_of(filename: &str, bytes: &[u8]) -> Result<&'static str, &'static str> {
    let extension = filename
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase());
    let zip = bytes.starts_with(b"PK\x03\x04");
    match extension.as_deref() {
        Some("pdf") if bytes.starts_with(b"%PDF-") => Ok(PDF),
        Some("docx") if zip => Ok(DOCX),
        Some("xlsx") if zip => Ok(XLSX),
        Some("pdf" | "docx" | "xlsx") => Err("the file's content does not match its type"),
        _ => Err("only PDF, DOCX and XLSX files can be attached"),
    }
}

fn clean_filename(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let cleaned: String = base.chars().filter(|c| !c.is_control()).collect();
    cleaned.trim().chars().take(255).collect()
}

fn meta(m: &attachment::Model) -> Attachment {
    Attachment {
        id: m.id,
        contract_id: m.contract_id,
        filename: m.filename.clone(),
        content_type: m.content_type.clone(),
        size_bytes: m.size_bytes,
        sha256: m.sha256.clone(),
        created_at: m.created_at,
    }
}

async fn owned_contract<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    id: Uuid,
) -> DomainResult<contract::Model> {
    scoped_get::<contract::Entity, _>(conn, tenant, id).await
}

pub async fn list(
    db: &Db,
    principal: &Principal,
    contract_id: Uuid,
) -> DomainResult<Vec<Attachment>> {
    let tenant = tenant_for(principal, Action::ReadContracts)?;
    let txn = db.read(Scope::Tenant(tenant)).await?;
    owned_contract(&txn, tenant, contract_id).await?;
    let found = scoped::<attachment::Entity>(tenant)
        .filter(attachment::Column::ContractId.eq(contract_id))
        .select_only()
        .columns([
            attachment::Column::Id,
            attachment::Column::TenantId,
            attachment::Column::ContractId,
            attachment::Column::Filename,
            attachment::Column::ContentType,
            attachment::Column::SizeBytes,
            attachment::Column::Sha256,
            attachment::Column::UploadedBy,
            attachment::Column::CreatedAt,
        ])
        .column_as(sea_orm::sea_query::Expr::cust("NULL"), "content")
        .order_by_asc(attachment::Column::CreatedAt)
        .into_tuple::<(
            Uuid,
            Uuid,
            Uuid,
            String,
            String,
            i64,
            String,
            Option<Uuid>,
            DateTime<Utc>,
            Option<Vec<u8>>,
        )>()
        .all(&txn)
        .await?;
    txn.commit().await?;
    Ok(found
        .into_iter()
        .map(
            |(id, _, contract_id, filename, content_type, size_bytes, sha256, _, created_at, _)| {
                Attachment {
                    id,
                    contract_id,
                    filename,
                    content_type,
                    size_bytes,
                    sha256,
                    created_at,
                }
            },
        )
        .collect())
}

pub async fn upload(
    db: &Db,
    principal: &Principal,
    contract_id: Uuid,
    filename: &str,
    bytes: Vec<u8>,
) -> DomainResult<Attachment> {
    let tenant = tenant_for(principal, Action::WriteContracts)?;
    let filename = clean_filename(filename);
    if filename.is_empty() {
        return Err(DomainError::invalid(
            "file",
            "required",
            "the file needs a name",
        ));
    }
    if bytes.is_empty() {
        return Err(DomainError::invalid(
            "file",
            "required",
            "the file is empty",
        ));
    }
    if bytes.len() > MAX_BYTES {
        return Err(DomainError::invalid(
            "file",
            "too_large",
            format!("files are limited to {} MiB", MAX_BYTES / 1024 / 1024),
        ));
    }
    let content_type = content_type_of(&filename, &bytes)
        .map_err(|why| DomainError::invalid("file", "unsupported_type", why))?;
    let txn = db.write(Scope::Tenant(tenant)).await?;
    let current = owned_contract(&txn, tenant, contract_id).await?;
    if current.archived_at.is_some() {
        return Err(DomainError::conflict(
            "the contract is archived; restore it first",
        ));
    }
    let created = attachment::ActiveModel {
        id: Set(Uuid::new_v4()),
        tenant_id: Set(tenant.0),
        contract_id: Set(contract_id),
        filename: Set(filename),
        content_type: Set(content_type.to_owned()),
        size_bytes: Set(i64::try_from(bytes.len()).unwrap_or(i64::MAX)),
        sha256: Set(Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()),
        content: Set(bytes),
        uploaded_by: Set(principal.actor_id()),
        created_at: Set(Utc::now()),
    }
    .insert(&txn)
    .await?;
    let result = meta(&created);
    audit::record(
        &txn,
        principal,
        Some(tenant),
        Change {
            action: "contract.attachment_added",
            object_kind: KIND,
            object_id: contract_id,
            before: None,
            after: serde_json::to_value(&result).ok(),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(result)
}

/// The file and its content.
pub async fn download(
    db: &Db,
    principal: &Principal,
    contract_id: Uuid,
    id: Uuid,
) -> DomainResult<(Attachment, Vec<u8>)> {
    let tenant = tenant_for(principal, Action::ReadContracts)?;
    let txn = db.read(Scope::Tenant(tenant)).await?;
    let found = scoped_get::<attachment::Entity, _>(&txn, tenant, id).await?;
    txn.commit().await?;
    if found.contract_id != contract_id {
        return Err(DomainError::NotFound);
    }
    Ok((meta(&found), found.content))
}

pub async fn remove(
    db: &Db,
    principal: &Principal,
    contract_id: Uuid,
    id: Uuid,
) -> DomainResult<()> {
    let tenant = tenant_for(principal, Action::WriteContracts)?;
    let txn = db.write(Scope::Tenant(tenant)).await?;
    let found = scoped_get::<attachment::Entity, _>(&txn, tenant, id).await?;
    if found.contract_id != contract_id {
        return Err(DomainError::NotFound);
    }
    attachment::Entity::delete_many()
        .filter(attachment::Column::TenantId.eq(tenant.0))
        .filter(attachment::Column::Id.eq(id))
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        principal,
        Some(tenant),
        Change {
            action: "contract.attachment_removed",
            object_kind: KIND,
            object_id: contract_id,
            before: serde_json::to_value(meta(&found)).ok(),
            after: None,
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_types_are_judged_by_name_and_bytes() {
        assert_eq!(content_type_of("Kontrakt.PDF", b"%PDF-1.7 ..."), Ok(PDF));
        assert_eq!(content_type_of("bilag.docx", b"PK\x03\x04rest"), Ok(DOCX));
        assert_eq!(content_type_of("priser.xlsx", b"PK\x03\x04rest"), Ok(XLSX));
        assert!(content_type_of("kontrakt.pdf", b"MZ executable").is_err());
        assert!(content_type_of("script.exe", b"%PDF-").is_err());
        assert!(content_type_of("noextension", b"%PDF-").is_err());
    }

    #[test]
    fn file_names_lose_paths_and_control_characters() {
        assert_eq!(clean_filename("C:\\Users\\x\\Kontrakt.pdf"), "Kontrakt.pdf");
        assert_eq!(clean_filename("../../etc/passwd.pdf"), "passwd.pdf");
        assert_eq!(clean_filename("a\u{0}b.pdf"), "ab.pdf");
    }
}
