//! Documents of templates and of contracts based on them: a version as a
//! Word file or a printable HTML page (clauses, parameters with defaults and
//! bounds, guidance), and a contract's filled text the same ways.

use uuid::Uuid;

use crate::contracts;
use crate::db::{Db, Scope};
use crate::error::{DomainError, DomainResult};
use crate::ownership::Standing;
use crate::policy::Action;
use crate::principal::Principal;
use crate::systems::tenant_for;
use crate::templates::docx::to_docx;
use crate::templates::library::{self, content_of};
use crate::templates::render::{FilledDocument, fill, outline, to_html};
use crate::templates::usage::filled_source;
use crate::templates::validation::validate_use;

/// A Word document and the name to download it as.
#[derive(Debug, Clone)]
pub struct WordFile {
    pub filename: String,
    pub bytes: Vec<u8>,
}

/// A name for a downloaded file: the title's letters, digits and spaces
/// (Danish letters kept), dashes for the rest.
fn file_name(title: &str, extension: &str) -> String {
    let stem: String = title
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == ' ' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let stem = stem.trim().trim_matches('-');
    let stem = if stem.is_empty() { "dokument" } else { stem };
    format!("{}.{extension}", stem.chars().take(120).collect::<String>())
}

async fn version_document(
    db: &Db,
    principal: &Principal,
    id: Uuid,
    number: i32,
) -> DomainResult<(String, FilledDocument)> {
    let tenant = tenant_for(principal, Action::ReadTemplates)?;
    let txn = db.read(Scope::Tenant(tenant)).await?;
    let standing = Standing::of(&txn, tenant).await?;
    let template = library::seen(&txn, &standing, id).await?;
    let version = library::version_of(&txn, &standing, &template, number).await?;
    txn.commit().await?;
    let title = format!("{} – version {}", template.model.name, version.number);
    Ok((title, outline(&content_of(&version)?)))
}

/// A template version as a Word document.
pub async fn version_docx(
    db: &Db,
    principal: &Principal,
    id: Uuid,
    number: i32,
) -> DomainResult<WordFile> {
    let (title, document) = version_document(db, principal, id, number).await?;
    Ok(WordFile {
        filename: file_name(&title, "docx"),
        bytes: word(&title, &document)?,
    })
}

/// A template version as a printable HTML page.
pub async fn version_html(
    db: &Db,
    principal: &Principal,
    id: Uuid,
    number: i32,
) -> DomainResult<String> {
    let (title, document) = version_document(db, principal, id, number).await?;
    Ok(to_html(&title, &document))
}

async fn contract_document(
    db: &Db,
    principal: &Principal,
    id: Uuid,
) -> DomainResult<(String, FilledDocument)> {
    let tenant = tenant_for(principal, Action::ReadContracts)?;
    let txn = db.read(Scope::Tenant(tenant)).await?;
    let contract = contracts::readable_model(&txn, tenant, id).await?;
    let (content, used) = filled_source(&txn, tenant, &contract).await?;
    txn.commit().await?;
    let resolved = validate_use(&content, &used).map_err(|_| {
        DomainError::conflict("the contract's values no longer fit its template version")
    })?;
    Ok((contract.title, fill(&content, &resolved)))
}

/// A contract's filled text as a Word document.
pub async fn contract_docx(db: &Db, principal: &Principal, id: Uuid) -> DomainResult<WordFile> {
    let (title, document) = contract_document(db, principal, id).await?;
    Ok(WordFile {
        filename: file_name(&title, "docx"),
        bytes: word(&title, &document)?,
    })
}

/// A contract's filled text as a printable HTML page.
pub async fn contract_html(db: &Db, principal: &Principal, id: Uuid) -> DomainResult<String> {
    let (title, document) = contract_document(db, principal, id).await?;
    Ok(to_html(&title, &document))
}

fn word(title: &str, document: &FilledDocument) -> DomainResult<Vec<u8>> {
    to_docx(title, document)
        .map_err(|e| DomainError::Internal(format!("the Word document failed: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_keep_danish_letters_and_drop_path_characters() {
        assert_eq!(
            file_name("Drift af ESDH – version 2", "docx"),
            "Drift af ESDH - version 2.docx"
        );
        assert_eq!(
            file_name("Sørens/../aftale", "docx"),
            "Sørens----aftale.docx"
        );
        assert_eq!(file_name("///", "docx"), "dokument.docx");
    }
}
