//! Files attached to a contract: the signed contract and its appendices, as
//! PDF, DOCX or XLSX. Kept in the database, so every replica serves them.
//! The owner's users read them; a contract shared read-only shares its
//! fields, and its files only where the owner included them in the share.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde::Serialize;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::KIND;
use crate::audit::{self, Change};
use crate::db::{Db, Scope, as_shared_with_me, scoped, scoped_delete, scoped_get};
use crate::entities::{attachment, contract};
use crate::error::{DomainError, DomainResult, FieldError};
use crate::policy::Action;
use crate::principal::{Principal, TenantId};
use crate::shares;
use crate::systems::tenant_for;
use crate::values::{Lines, check_chars};

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

/// The content type a file really has, judged by its name and its content,
/// or why it is refused. A PDF starts with its header and ends with the
/// `%%EOF` marker; DOCX and XLSX are ZIP archives holding the members Word
/// and Excel need, found in the archive's central directory.
pub fn content_type_of(filename: &str, bytes: &[u8]) -> Result<&'static str, &'static str> {
    let extension = filename
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase());
    let has_members = |wanted: &[&str]| {
        zip_member_names(bytes)
            .is_some_and(|names| wanted.iter().all(|w| names.contains(&w.as_bytes())))
    };
    match extension.as_deref() {
        Some("pdf") if is_pdf(bytes) => Ok(PDF),
        Some("docx") if has_members(&["[Content_Types].xml", "word/document.xml"]) => Ok(DOCX),
        Some("xlsx") if has_members(&["[Content_Types].xml", "xl/workbook.xml"]) => Ok(XLSX),
        Some("pdf" | "docx" | "xlsx") => Err("the file's content does not match its type"),
        _ => Err("only PDF, DOCX and XLSX files can be attached"),
    }
}

/// A PDF begins with `%PDF-` and a version (`1.7`, `2.0`), and its last
/// kilobyte holds the end-of-file marker (readers look no further back).
fn is_pdf(bytes: &[u8]) -> bool {
    let versioned = bytes.get(..8).is_some_and(|head| {
        head.starts_with(b"%PDF-")
            && head[5].is_ascii_digit()
            && head[6] == b'.'
            && head[7].is_ascii_digit()
    });
    let tail = &bytes[bytes.len().saturating_sub(1024)..];
    versioned && tail.windows(5).any(|w| w == b"%%EOF")
}

fn u16_at(bytes: &[u8], at: usize) -> Option<usize> {
    let b = bytes.get(at..at.checked_add(2)?)?;
    Some(usize::from(u16::from_le_bytes([b[0], b[1]])))
}

fn u32_at(bytes: &[u8], at: usize) -> Option<usize> {
    let b = bytes.get(at..at.checked_add(4)?)?;
    usize::try_from(u32::from_le_bytes([b[0], b[1], b[2], b[3]])).ok()
}

/// The member names of a ZIP archive, from its central directory; `None`
/// when `bytes` is not a well-formed archive. Reads only the directory, so
/// nothing is decompressed.
fn zip_member_names(bytes: &[u8]) -> Option<Vec<&[u8]>> {
    const LOCAL_HEADER: &[u8] = b"PK\x03\x04";
    const END_OF_DIRECTORY: &[u8] = b"PK\x05\x06";
    const DIRECTORY_ENTRY: &[u8] = b"PK\x01\x02";
    if !bytes.starts_with(LOCAL_HEADER) {
        return None;
    }
    // The end record is 22 bytes plus a comment of at most 65,535 bytes.
    let search_from = bytes.len().saturating_sub(22 + 65_535);
    let end = search_from
        + bytes[search_from..]
            .windows(4)
            .rposition(|w| w == END_OF_DIRECTORY)?;
    // The record must be whole: its last field is the comment's length.
    u16_at(bytes, end + 20)?;
    let entries = u16_at(bytes, end + 10)?;
    let directory_size = u32_at(bytes, end + 12)?;
    let directory_start = u32_at(bytes, end + 16)?;
    if directory_start.checked_add(directory_size)? > end {
        return None;
    }
    let mut names = Vec::with_capacity(entries);
    let mut at = directory_start;
    for _ in 0..entries {
        if bytes.get(at..at + 4)? != DIRECTORY_ENTRY {
            return None;
        }
        let name_len = u16_at(bytes, at + 28)?;
        let extra_len = u16_at(bytes, at + 30)?;
        let comment_len = u16_at(bytes, at + 32)?;
        names.push(bytes.get(at + 46..at + 46 + name_len)?);
        at += 46 + name_len + extra_len + comment_len;
    }
    Some(names)
}

/// The name a file is kept under: its last path component, trimmed. Control
/// and bidirectional-override characters are refused, not stripped, so the
/// name shown is the name sent.
fn clean_filename(name: &str) -> Result<String, FieldError> {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    check_chars("file", base, Lines::Single)?;
    Ok(base.trim().chars().take(255).collect())
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

/// Whose attachments of contract `id` `reader` may read: its own contract's,
/// or those of a contract shared with it, attachments included. `NotFound`
/// otherwise, whether the contract exists or not.
async fn readable_owner<C: ConnectionTrait>(
    conn: &C,
    reader: TenantId,
    id: Uuid,
) -> DomainResult<TenantId> {
    let owner = TenantId(super::readable_model(conn, reader, id).await?.tenant_id);
    if owner == reader || shares::attachments_visible_to(conn, reader, owner, KIND, id).await? {
        Ok(owner)
    } else {
        Err(DomainError::NotFound)
    }
}

/// The attachments of `owner`'s contracts as `reader` reads them.
fn attachments_of(reader: TenantId, owner: TenantId) -> sea_orm::Select<attachment::Entity> {
    if reader == owner {
        scoped::<attachment::Entity>(owner)
    } else {
        as_shared_with_me::<attachment::Entity>(owner)
    }
}

pub async fn list(
    db: &Db,
    principal: &Principal,
    contract_id: Uuid,
) -> DomainResult<Vec<Attachment>> {
    let tenant = tenant_for(principal, Action::ReadContracts)?;
    let txn = db.read(Scope::Tenant(tenant)).await?;
    let owner = readable_owner(&txn, tenant, contract_id).await?;
    let found = attachments_of(tenant, owner)
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
    let filename = clean_filename(filename)?;
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
    let owner = readable_owner(&txn, tenant, contract_id).await?;
    let found = attachments_of(tenant, owner)
        .filter(attachment::Column::Id.eq(id))
        .filter(attachment::Column::ContractId.eq(contract_id))
        .one(&txn)
        .await?
        .ok_or(DomainError::NotFound)?;
    txn.commit().await?;
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
    scoped_delete::<attachment::Entity>(tenant)
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

    /// A ZIP archive (stored, not compressed) holding empty members named `names`.
    fn zip_of(names: &[&str]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut directory = Vec::new();
        for name in names {
            let offset = u32::try_from(out.len()).unwrap_or_default();
            let name_len = u16::try_from(name.len()).unwrap_or_default();
            out.extend_from_slice(b"PK\x03\x04");
            out.extend_from_slice(&[20, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
            out.extend_from_slice(&[0; 12]);
            out.extend_from_slice(&name_len.to_le_bytes());
            out.extend_from_slice(&[0, 0]);
            out.extend_from_slice(name.as_bytes());
            directory.extend_from_slice(b"PK\x01\x02");
            directory.extend_from_slice(&[20, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
            directory.extend_from_slice(&[0; 12]);
            directory.extend_from_slice(&name_len.to_le_bytes());
            directory.extend_from_slice(&[0; 12]);
            directory.extend_from_slice(&offset.to_le_bytes());
            directory.extend_from_slice(name.as_bytes());
        }
        let start = u32::try_from(out.len()).unwrap_or_default();
        let size = u32::try_from(directory.len()).unwrap_or_default();
        let count = u16::try_from(names.len()).unwrap_or_default();
        out.extend_from_slice(&directory);
        out.extend_from_slice(b"PK\x05\x06");
        out.extend_from_slice(&[0, 0, 0, 0]);
        out.extend_from_slice(&count.to_le_bytes());
        out.extend_from_slice(&count.to_le_bytes());
        out.extend_from_slice(&size.to_le_bytes());
        out.extend_from_slice(&start.to_le_bytes());
        out.extend_from_slice(&[0, 0]);
        out
    }

    #[test]
    fn content_types_are_judged_by_name_and_content() {
        let pdf = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";
        assert_eq!(content_type_of("Kontrakt.PDF", pdf), Ok(PDF));
        let docx = zip_of(&["[Content_Types].xml", "_rels/.rels", "word/document.xml"]);
        let xlsx = zip_of(&["[Content_Types].xml", "xl/workbook.xml"]);
        assert_eq!(content_type_of("bilag.docx", &docx), Ok(DOCX));
        assert_eq!(content_type_of("priser.xlsx", &xlsx), Ok(XLSX));
        assert!(content_type_of("priser.xlsx", &docx).is_err());
        assert!(content_type_of("bilag.docx", &xlsx).is_err());
        assert!(content_type_of("bilag.docx", &zip_of(&["word/document.xml"])).is_err());
        assert!(content_type_of("bilag.docx", b"PK\x03\x04rest").is_err());
        assert!(content_type_of("kontrakt.pdf", b"MZ executable").is_err());
        assert!(content_type_of("script.exe", pdf).is_err());
        assert!(content_type_of("noextension", pdf).is_err());
    }

    #[test]
    fn html_behind_a_pdf_header_is_not_a_pdf() {
        let html = b"%PDF-1.4\n<html><script>alert(1)</script></html>\n";
        assert!(content_type_of("kontrakt.pdf", html).is_err());
        assert!(content_type_of("kontrakt.pdf", b" %PDF-1.4\n%%EOF").is_err());
        assert!(content_type_of("kontrakt.pdf", b"%PDF-x\n%%EOF").is_err());
        let mut padded = b"%PDF-1.4\n%%EOF\n".to_vec();
        padded.extend(std::iter::repeat_n(b' ', 2048));
        assert!(content_type_of("kontrakt.pdf", &padded).is_err());
    }

    #[test]
    fn truncated_or_lying_archives_are_refused() {
        let docx = zip_of(&["[Content_Types].xml", "word/document.xml"]);
        for cut in [docx.len() - 1, docx.len() / 2, 30] {
            assert!(
                content_type_of("bilag.docx", &docx[..cut]).is_err(),
                "cut at {cut}"
            );
        }
        let mut lying = docx.clone();
        let end = lying.len() - 22;
        lying[end + 16] = 0xff;
        assert!(content_type_of("bilag.docx", &lying).is_err());
    }

    #[test]
    fn file_names_lose_paths_and_refuse_hidden_characters() {
        assert_eq!(
            clean_filename("C:\\Users\\x\\Kontrakt.pdf").ok(),
            Some("Kontrakt.pdf".to_owned())
        );
        assert_eq!(
            clean_filename("../../etc/passwd.pdf").ok(),
            Some("passwd.pdf".to_owned())
        );
        assert!(clean_filename("a\u{0}b.pdf").is_err());
        assert!(clean_filename("faktura\u{202E}fdp.exe").is_err());
        assert!(clean_filename("a\nb.pdf").is_err());
    }
}
