//! The use cases of templates: create, edit the draft, publish (after which
//! a version never changes), start a new draft, compare versions, share,
//! adopt a shared template and follow its origin, archive and restore.
//! Every write checks the version the caller last read and writes its audit
//! record in the same transaction.

use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, QueryFilter, Set};
use serde_json::json;
use uuid::Uuid;

use crate::audit::{self, Change};
use crate::db::{Db, Scope, owned_update, owned_writable};
use crate::entities::{template, template_version};
use crate::error::{DomainError, DomainResult, FieldError, check_version};
use crate::ownership::{Owner, Standing};
use crate::paging::{ChangeRead, Page, PageRequest};
use crate::policy::{Action, authorize};
use crate::principal::{Principal, TenantId};
use crate::shares;
use crate::systems::tenant_for;
use crate::templates::checks;
use crate::templates::diff::{VersionDiff, diff};
use crate::templates::library::{
    self, Access, DRAFT, KIND, PUBLISHED, Seen, Template, TemplateShare, TemplateSummary,
    TemplateVersion, content_of, newest_published, version_view,
};
use crate::templates::model::{TemplateKind, VersionContent};
use crate::values::{optional_multiline_text, required_text, search_words};
use crate::versioned::{self, Changes, Trail};

/// A template's own fields, as written on create and update.
#[derive(Debug, Clone)]
pub struct TemplateInput {
    pub name: String,
    pub kind: TemplateKind,
    pub description: Option<String>,
}

/// Which templates a list shows, by how the caller reaches them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OriginFilter {
    /// The municipality's own.
    Own,
    /// Owned by a collaboration the municipality is a member of.
    Collaboration,
    /// Shared with the municipality by other owners.
    Shared,
    /// Copies the municipality adopted.
    Adopted,
}

#[derive(Debug, Clone, Default)]
pub struct TemplateFilter {
    pub kind: Option<TemplateKind>,
    pub origin: Option<OriginFilter>,
    /// Owned by, or shared with, this collaboration.
    pub collaboration_id: Option<Uuid>,
    /// Adopted copies whose origin has published a newer version.
    pub has_newer_origin: Option<bool>,
    /// Words to find in the name and description.
    pub q: Option<String>,
    pub include_archived: bool,
    /// Read in order of last change instead of by name.
    pub by_change: Option<ChangeRead>,
}

/// The scope a template action runs in, with the municipality's standing.
async fn standing_for<C: ConnectionTrait>(conn: &C, tenant: TenantId) -> DomainResult<Standing> {
    Standing::of(conn, tenant).await
}

fn may_write(principal: &Principal) -> bool {
    authorize(principal, Action::WriteTemplates).is_ok()
}

fn check_input(input: TemplateInput) -> DomainResult<TemplateInput> {
    let mut errors = Vec::new();
    let name = required_text("name", &input.name, 200)
        .map_err(|e| errors.push(e))
        .ok();
    let description = optional_multiline_text("description", input.description.as_deref(), 10_000)
        .map_err(|e| errors.push(e))
        .ok();
    match (name, description) {
        (Some(name), Some(description)) if errors.is_empty() => Ok(TemplateInput {
            name,
            kind: input.kind,
            description,
        }),
        _ => Err(DomainError::Validation(errors)),
    }
}

fn not_archived(model: &template::Model) -> DomainResult<()> {
    if model.archived_at.is_some() {
        return Err(DomainError::conflict(
            "the template is archived; restore it first",
        ));
    }
    Ok(())
}

async fn record<C: ConnectionTrait>(
    conn: &C,
    principal: &Principal,
    tenant: TenantId,
    action: &str,
    id: Uuid,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> DomainResult<()> {
    audit::record(
        conn,
        principal,
        Some(tenant),
        Change {
            action,
            object_kind: KIND,
            object_id: id,
            before,
            after,
        },
    )
    .await
}

fn fields_of(model: &template::Model) -> serde_json::Value {
    json!({
        "name": model.name,
        "kind": model.kind,
        "description": model.description,
        "collaboration_id": model.collaboration_id,
        "origin_template_id": model.origin_template_id,
        "origin_version_number": model.origin_version_number,
        "archived_at": model.archived_at,
        "version": model.version,
    })
}

fn version_fields(model: &template_version::Model) -> serde_json::Value {
    json!({
        "number": model.number,
        "status": model.status,
        "content": model.content,
        "change_note": model.change_note,
        "version": model.version,
    })
}

/// The content's problems, with each field named from the request body's
/// root (`content.clauses[0].text`).
fn check_content(content: &VersionContent) -> DomainResult<()> {
    checks::check_content(content).map_err(DomainError::Validation)
}

/// The kinds of template, for a caller who may read templates.
pub fn kinds(principal: &Principal) -> DomainResult<[TemplateKind; 9]> {
    tenant_for(principal, Action::ReadTemplates)?;
    Ok(TemplateKind::ALL)
}

/// The templates the caller sees, filtered, by name.
pub async fn list_templates(
    db: &Db,
    principal: &Principal,
    filter: TemplateFilter,
    page: PageRequest,
) -> DomainResult<Page<TemplateSummary>> {
    let tenant = tenant_for(principal, Action::ReadTemplates)?;
    let words = search_words("q", filter.q.as_deref())?;
    let txn = db.read(Scope::Tenant(tenant)).await?;
    let standing = standing_for(&txn, tenant).await?;
    let mut seen: Vec<Seen> = library::all_seen(&txn, &standing)
        .await?
        .into_iter()
        .filter(|s| filter.include_archived || s.model.archived_at.is_none())
        .filter(|s| filter.kind.is_none_or(|k| s.model.kind == k.code()))
        .filter(|s| match filter.origin {
            None => true,
            Some(OriginFilter::Own) => {
                s.model.collaboration_id.is_none() && s.access != Access::Shared
            }
            Some(OriginFilter::Collaboration) => {
                s.model.collaboration_id.is_some() && s.access != Access::Shared
            }
            Some(OriginFilter::Shared) => s.access == Access::Shared,
            Some(OriginFilter::Adopted) => s.model.origin_template_id.is_some(),
        })
        .filter(|s| {
            filter.collaboration_id.is_none_or(|c| {
                (s.model.collaboration_id == Some(c) && s.access != Access::Shared)
                    || s.shared_with.contains(&c)
            })
        })
        .filter(|s| {
            let text = format!(
                "{} {}",
                s.model.name,
                s.model.description.as_deref().unwrap_or_default()
            )
            .to_lowercase();
            words.iter().all(|w| text.contains(w.as_str()))
        })
        .collect();
    seen.sort_by(|a, b| {
        a.model
            .name
            .to_lowercase()
            .cmp(&b.model.name.to_lowercase())
            .then(a.model.id.cmp(&b.model.id))
    });
    let mut summaries = library::summaries(&txn, &standing, may_write(principal), &seen).await?;
    txn.commit().await?;
    if let Some(newer) = filter.has_newer_origin {
        summaries.retain(|s| {
            s.origin
                .as_ref()
                .is_some_and(|o| o.newer_version_number.is_some())
                == newer
        });
    }
    if let Some(read) = filter.by_change {
        return Ok(read.page_of(summaries, page));
    }
    let total = summaries.len() as u64;
    let items = summaries
        .into_iter()
        .skip(usize::try_from(page.offset()).unwrap_or(usize::MAX))
        .take(usize::try_from(page.page_size).unwrap_or(usize::MAX))
        .collect();
    Ok(Page {
        items,
        total,
        page: page.page,
        page_size: page.page_size,
        next_cursor: None,
    })
}

/// A template the caller sees, with its versions and shares.
pub async fn get_template(db: &Db, principal: &Principal, id: Uuid) -> DomainResult<Template> {
    let tenant = tenant_for(principal, Action::ReadTemplates)?;
    let txn = db.read(Scope::Tenant(tenant)).await?;
    let standing = standing_for(&txn, tenant).await?;
    let seen = library::seen(&txn, &standing, id).await?;
    let view = library::template_view(&txn, &standing, may_write(principal), seen).await?;
    txn.commit().await?;
    Ok(view)
}

async fn view_of<C: ConnectionTrait>(
    conn: &C,
    principal: &Principal,
    standing: &Standing,
    id: Uuid,
) -> DomainResult<Template> {
    let seen = library::seen(conn, standing, id).await?;
    library::template_view(conn, standing, may_write(principal), seen).await
}

async fn insert_version<C: ConnectionTrait>(
    conn: &C,
    template: &template::Model,
    number: i32,
    content: &VersionContent,
) -> DomainResult<template_version::Model> {
    let now = Utc::now();
    let content = serde_json::to_value(content)
        .map_err(|e| DomainError::Internal(format!("content does not serialize: {e}")))?;
    Ok(template_version::ActiveModel {
        id: Set(Uuid::new_v4()),
        template_id: Set(template.id),
        tenant_id: Set(template.tenant_id),
        collaboration_id: Set(template.collaboration_id),
        number: Set(number),
        status: Set(DRAFT.to_owned()),
        content: Set(content),
        change_note: Set(None),
        published_at: Set(None),
        published_by: Set(None),
        published_by_label: Set(None),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(conn)
    .await?)
}

async fn insert_template<C: ConnectionTrait>(
    conn: &C,
    principal: &Principal,
    tenant: TenantId,
    owner: Owner,
    input: &TemplateInput,
    origin: Option<(Uuid, i32)>,
) -> DomainResult<template::Model> {
    let now = Utc::now();
    Ok(template::ActiveModel {
        id: Set(Uuid::new_v4()),
        tenant_id: Set(tenant.0),
        collaboration_id: Set(owner.collaboration_id()),
        name: Set(input.name.clone()),
        kind: Set(input.kind.code().to_owned()),
        description: Set(input.description.clone()),
        origin_template_id: Set(origin.map(|(id, _)| id)),
        origin_version_number: Set(origin.map(|(_, number)| number)),
        version: Set(1),
        created_by: Set(principal.actor_id()),
        created_at: Set(now),
        updated_at: Set(now),
        archived_at: Set(None),
    }
    .insert(conn)
    .await?)
}

/// Creates a template with an empty draft, version 1. Owned by the
/// municipality, or by `collaboration_id`, which it must coordinate.
pub async fn create_template(
    db: &Db,
    principal: &Principal,
    input: TemplateInput,
    collaboration_id: Option<Uuid>,
) -> DomainResult<Template> {
    let tenant = tenant_for(principal, Action::WriteTemplates)?;
    let txn = db.write(Scope::Tenant(tenant)).await?;
    let standing = standing_for(&txn, tenant).await?;
    let owner = match collaboration_id {
        None => Owner::Tenant(tenant),
        Some(collaboration) => Owner::Collaboration(collaboration),
    };
    let mut errors = match check_input(input.clone()) {
        Ok(_) => Vec::new(),
        Err(DomainError::Validation(errors)) => errors,
        Err(e) => return Err(e),
    };
    if !standing.can_write(owner) {
        errors.push(FieldError::new(
            "collaboration_id",
            "not_coordinator",
            "templates are created for a collaboration your municipality coordinates",
        ));
    }
    if !errors.is_empty() {
        return Err(DomainError::Validation(errors));
    }
    let input = check_input(input)?;
    let created = insert_template(&txn, principal, tenant, owner, &input, None).await?;
    insert_version(&txn, &created, 1, &VersionContent::default()).await?;
    record(
        &txn,
        principal,
        tenant,
        "template.created",
        created.id,
        None,
        Some(fields_of(&created)),
    )
    .await?;
    let view = view_of(&txn, principal, &standing, created.id).await?;
    txn.commit().await?;
    Ok(view)
}

/// Changes a template's name, kind and description (`If-Match`).
pub async fn update_template(
    db: &Db,
    principal: &Principal,
    id: Uuid,
    expected_version: Option<i32>,
    input: TemplateInput,
) -> DomainResult<Template> {
    let tenant = tenant_for(principal, Action::WriteTemplates)?;
    let txn = db.write(Scope::Tenant(tenant)).await?;
    let standing = standing_for(&txn, tenant).await?;
    let current = library::writable(&txn, &standing, id).await?;
    let current =
        versioned::check(current, expected_version, |m| audited(&txn, &standing, m)).await?;
    not_archived(current.row())?;
    let input = check_input(input)?;
    versioned::update(
        &txn,
        principal,
        current,
        changes(&standing)
            .set(template::Column::Name, input.name)
            .set(template::Column::Kind, input.kind.code())
            .set(template::Column::Description, input.description),
        trail(tenant),
        "template.updated",
    )
    .await?;
    let view = view_of(&txn, principal, &standing, id).await?;
    txn.commit().await?;
    Ok(view)
}

/// Archives (`archive = true`) or restores a template (`If-Match`). An
/// archived template leaves lists (unless asked for), is no longer seen
/// through shares and takes no new contracts; nothing is deleted.
pub async fn set_archived(
    db: &Db,
    principal: &Principal,
    id: Uuid,
    expected_version: Option<i32>,
    archive: bool,
) -> DomainResult<Template> {
    let tenant = tenant_for(principal, Action::WriteTemplates)?;
    let txn = db.write(Scope::Tenant(tenant)).await?;
    let standing = standing_for(&txn, tenant).await?;
    let current = library::writable(&txn, &standing, id).await?;
    let current =
        versioned::check(current, expected_version, |m| audited(&txn, &standing, m)).await?;
    versioned::set_archived(
        &txn,
        principal,
        current,
        archive,
        changes(&standing),
        trail(tenant),
    )
    .await?;
    let view = view_of(&txn, principal, &standing, id).await?;
    txn.commit().await?;
    Ok(view)
}

/// The template rows `standing`'s municipality may write, for the
/// versioned-write helper.
fn changes(standing: &Standing) -> Changes<template::Entity> {
    Changes::new(
        owned_writable::<template::Entity>(standing),
        owned_update::<template::Entity>(standing),
    )
}

/// Where changes to templates are recorded: the acting municipality's trail.
fn trail(tenant: TenantId) -> Trail<'static> {
    Trail {
        tenant: Some(tenant),
        kind: KIND,
    }
}

/// A template as its audit records show it: its own fields and where its
/// versions stand.
async fn audited<C: ConnectionTrait>(
    conn: &C,
    standing: &Standing,
    model: template::Model,
) -> DomainResult<serde_json::Value> {
    let versions: Vec<serde_json::Value> = owned_versions(conn, standing, &model)
        .await?
        .iter()
        .map(|v| json!({"number": v.number, "status": v.status, "version": v.version}))
        .collect();
    let mut fields = fields_of(&model);
    fields["versions"] = json!(versions);
    Ok(fields)
}

/// Moves the template to its next version after a version of it was
/// published (the version's write is the audited one), if the template is
/// still at the version `current` holds.
async fn bump<C: ConnectionTrait>(
    conn: &C,
    standing: &Standing,
    current: &template::Model,
) -> DomainResult<()> {
    let updated = owned_update::<template::Entity>(standing)
        .col_expr(template::Column::Version, Expr::value(current.version + 1))
        .col_expr(template::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(template::Column::Id.eq(current.id))
        .filter(template::Column::Version.eq(current.version))
        .exec(conn)
        .await?;
    if updated.rows_affected != 1 {
        return Err(DomainError::PreconditionFailed);
    }
    Ok(())
}

/// One version of a template the caller sees (drafts only for owners and
/// members).
pub async fn get_version(
    db: &Db,
    principal: &Principal,
    id: Uuid,
    number: i32,
) -> DomainResult<TemplateVersion> {
    let tenant = tenant_for(principal, Action::ReadTemplates)?;
    let txn = db.read(Scope::Tenant(tenant)).await?;
    let standing = standing_for(&txn, tenant).await?;
    let seen = library::seen(&txn, &standing, id).await?;
    let found = library::version_of(&txn, &standing, &seen, number).await?;
    txn.commit().await?;
    version_view(&found)
}

/// The version `number` of a template the caller may change, for a write:
/// a published version is immutable (`Conflict`).
async fn draft_for_write<C: ConnectionTrait>(
    conn: &C,
    standing: &Standing,
    template: &template::Model,
    number: i32,
) -> DomainResult<template_version::Model> {
    let seen = Seen {
        model: template.clone(),
        access: Access::Owner,
        shared_with: Vec::new(),
    };
    let found = library::version_of(conn, standing, &seen, number).await?;
    if found.status == PUBLISHED {
        return Err(DomainError::conflict(format!(
            "version {number} is published and can no longer change; start a new draft"
        )));
    }
    Ok(found)
}

/// Replaces the content of a draft (`If-Match` with the version's ETag).
/// A published version answers `Conflict` and stays as it is.
pub async fn update_draft(
    db: &Db,
    principal: &Principal,
    id: Uuid,
    number: i32,
    expected_version: Option<i32>,
    content: VersionContent,
) -> DomainResult<TemplateVersion> {
    let tenant = tenant_for(principal, Action::WriteTemplates)?;
    let txn = db.write(Scope::Tenant(tenant)).await?;
    let standing = standing_for(&txn, tenant).await?;
    let template = library::writable(&txn, &standing, id).await?;
    let current = draft_for_write(&txn, &standing, &template, number).await?;
    check_version(current.version, expected_version)?;
    not_archived(&template)?;
    check_content(&content)?;
    let stored = serde_json::to_value(&content)
        .map_err(|e| DomainError::Internal(format!("content does not serialize: {e}")))?;
    let after = write_version(
        &txn,
        &standing,
        &current,
        vec![(template_version::Column::Content, Expr::value(stored))],
    )
    .await?;
    touch(&txn, &standing, &template).await?;
    record(
        &txn,
        principal,
        tenant,
        "template.draft_updated",
        id,
        Some(version_fields(&current)),
        Some(version_fields(&after)),
    )
    .await?;
    txn.commit().await?;
    version_view(&after)
}

/// Writes `changes` to a version still at the version `current` holds,
/// moving it to its next version; the version as stored after.
async fn write_version<C: ConnectionTrait>(
    conn: &C,
    standing: &Standing,
    current: &template_version::Model,
    changes: Vec<(template_version::Column, sea_orm::sea_query::SimpleExpr)>,
) -> DomainResult<template_version::Model> {
    let mut update = owned_update::<template_version::Entity>(standing)
        .col_expr(
            template_version::Column::Version,
            Expr::value(current.version + 1),
        )
        .col_expr(template_version::Column::UpdatedAt, Expr::value(Utc::now()));
    for (column, value) in changes {
        update = update.col_expr(column, value);
    }
    let updated = update
        .filter(template_version::Column::Id.eq(current.id))
        .filter(template_version::Column::Version.eq(current.version))
        .filter(template_version::Column::Status.eq(DRAFT))
        .exec(conn)
        .await?;
    if updated.rows_affected != 1 {
        return Err(DomainError::PreconditionFailed);
    }
    crate::db::owned_readable::<template_version::Entity>(standing)
        .filter(template_version::Column::Id.eq(current.id))
        .one(conn)
        .await?
        .ok_or(DomainError::NotFound)
}

/// Marks the template changed without moving its version (its draft's
/// content changed, which has a version of its own).
async fn touch<C: ConnectionTrait>(
    conn: &C,
    standing: &Standing,
    template: &template::Model,
) -> DomainResult<()> {
    owned_update::<template::Entity>(standing)
        .col_expr(template::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(template::Column::Id.eq(template.id))
        .exec(conn)
        .await?;
    Ok(())
}

/// Publishes a draft with a change note (`If-Match` with the version's
/// ETag). From then on the version never changes.
pub async fn publish(
    db: &Db,
    principal: &Principal,
    id: Uuid,
    number: i32,
    expected_version: Option<i32>,
    change_note: String,
) -> DomainResult<TemplateVersion> {
    let tenant = tenant_for(principal, Action::WriteTemplates)?;
    let txn = db.write(Scope::Tenant(tenant)).await?;
    let standing = standing_for(&txn, tenant).await?;
    let template = library::writable(&txn, &standing, id).await?;
    let current = draft_for_write(&txn, &standing, &template, number).await?;
    check_version(current.version, expected_version)?;
    not_archived(&template)?;
    let mut errors = Vec::new();
    let note = optional_multiline_text("change_note", Some(&change_note), 2_000)
        .map_err(|e| errors.push(e))
        .ok()
        .flatten();
    if note.is_none() && errors.is_empty() {
        errors.push(FieldError::new(
            "change_note",
            "required",
            "say what changed in this version",
        ));
    }
    let content = content_of(&current)?;
    if content.clauses.is_empty() {
        errors.push(FieldError::new(
            "content.clauses",
            "required",
            "a version without clauses cannot be published",
        ));
    }
    if let Err(found) = checks::check_content(&content) {
        errors.extend(found);
    }
    if !errors.is_empty() {
        return Err(DomainError::Validation(errors));
    }
    let now = Utc::now();
    let after = write_version(
        &txn,
        &standing,
        &current,
        vec![
            (template_version::Column::Status, Expr::value(PUBLISHED)),
            (template_version::Column::ChangeNote, Expr::value(note)),
            (template_version::Column::PublishedAt, Expr::value(now)),
            (
                template_version::Column::PublishedBy,
                Expr::value(principal.actor_id()),
            ),
            (
                template_version::Column::PublishedByLabel,
                Expr::value(principal.actor_label()),
            ),
        ],
    )
    .await?;
    bump(&txn, &standing, &template).await?;
    record(
        &txn,
        principal,
        tenant,
        "template.published",
        id,
        Some(version_fields(&current)),
        Some(version_fields(&after)),
    )
    .await?;
    txn.commit().await?;
    version_view(&after)
}

/// Starts a new draft, a copy of the newest published version (`If-Match`
/// with the template's ETag). `Conflict` while a draft exists.
pub async fn create_draft(
    db: &Db,
    principal: &Principal,
    id: Uuid,
    expected_version: Option<i32>,
) -> DomainResult<TemplateVersion> {
    let tenant = tenant_for(principal, Action::WriteTemplates)?;
    let txn = db.write(Scope::Tenant(tenant)).await?;
    let standing = standing_for(&txn, tenant).await?;
    let template = library::writable(&txn, &standing, id).await?;
    let current =
        versioned::check(template, expected_version, |m| audited(&txn, &standing, m)).await?;
    let template = current.row().clone();
    not_archived(&template)?;
    let versions = owned_versions(&txn, &standing, &template).await?;
    if let Some(draft) = versions.iter().find(|v| v.status == DRAFT) {
        return Err(DomainError::conflict(format!(
            "version {} is a draft already; edit it",
            draft.number
        )));
    }
    let source = newest_published(&versions)
        .ok_or_else(|| DomainError::conflict("the template has no published version"))?;
    let next = versions.iter().map(|v| v.number).max().unwrap_or(0) + 1;
    let created = insert_version(&txn, &template, next, &content_of(source)?).await?;
    versioned::update(
        &txn,
        principal,
        current,
        changes(&standing),
        trail(tenant),
        "template.draft_created",
    )
    .await?;
    txn.commit().await?;
    version_view(&created)
}

async fn owned_versions<C: ConnectionTrait>(
    conn: &C,
    standing: &Standing,
    template: &template::Model,
) -> DomainResult<Vec<template_version::Model>> {
    let seen = Seen {
        model: template.clone(),
        access: Access::Owner,
        shared_with: Vec::new(),
    };
    Ok(library::versions_of(conn, standing, &[&seen])
        .await?
        .remove(&template.id)
        .unwrap_or_default())
}

/// Two versions of a template and what changed between them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TemplateDiff {
    pub template_id: Uuid,
    pub from_template_id: Uuid,
    pub from_number: i32,
    pub to_number: i32,
    pub diff: VersionDiff,
}

/// The clause-level difference between two versions the caller sees.
pub async fn diff_versions(
    db: &Db,
    principal: &Principal,
    id: Uuid,
    from: i32,
    to: i32,
) -> DomainResult<TemplateDiff> {
    let tenant = tenant_for(principal, Action::ReadTemplates)?;
    let txn = db.read(Scope::Tenant(tenant)).await?;
    let standing = standing_for(&txn, tenant).await?;
    let seen = library::seen(&txn, &standing, id).await?;
    let versions = library::versions_of(&txn, &standing, &[&seen])
        .await?
        .remove(&id)
        .unwrap_or_default();
    txn.commit().await?;
    let find = |number: i32, field: &str| {
        versions.iter().find(|v| v.number == number).ok_or_else(|| {
            DomainError::invalid(field, "unknown", format!("no version {number} to compare"))
        })
    };
    let (older, newer) = match (find(from, "from"), find(to, "to")) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(DomainError::Validation(mut a)), Err(DomainError::Validation(b))) => {
            a.extend(b);
            return Err(DomainError::Validation(a));
        }
        (Err(e), _) | (_, Err(e)) => return Err(e),
    };
    Ok(TemplateDiff {
        template_id: id,
        from_template_id: id,
        from_number: from,
        to_number: to,
        diff: diff(&content_of(older)?, &content_of(newer)?),
    })
}

/// Shares a template the caller may change, read-only, with a collaboration
/// its municipality is an active member of.
pub async fn share(
    db: &Db,
    principal: &Principal,
    id: Uuid,
    collaboration_id: Uuid,
) -> DomainResult<TemplateShare> {
    let tenant = tenant_for(principal, Action::WriteTemplates)?;
    let txn = db.write(Scope::Tenant(tenant)).await?;
    let standing = standing_for(&txn, tenant).await?;
    let template = library::writable(&txn, &standing, id).await?;
    not_archived(&template)?;
    if template.collaboration_id == Some(collaboration_id) {
        return Err(DomainError::invalid(
            "collaboration_id",
            "owner",
            "the collaboration owns the template; its members see it already",
        ));
    }
    let created = shares::share_object(
        &txn,
        tenant,
        KIND,
        id,
        collaboration_id,
        principal.actor_id(),
    )
    .await?;
    record(
        &txn,
        principal,
        tenant,
        "template.shared",
        id,
        None,
        Some(json!({ "collaboration_id": collaboration_id })),
    )
    .await?;
    let names = library::Names::load(&txn, std::iter::empty(), [collaboration_id]).await?;
    txn.commit().await?;
    Ok(TemplateShare {
        collaboration_id,
        collaboration_name: names.collaboration(collaboration_id),
        created_at: created.created_at,
    })
}

/// Stops sharing a template with a collaboration (a share the caller's
/// municipality made).
pub async fn unshare(
    db: &Db,
    principal: &Principal,
    id: Uuid,
    collaboration_id: Uuid,
) -> DomainResult<()> {
    let tenant = tenant_for(principal, Action::WriteTemplates)?;
    let txn = db.write(Scope::Tenant(tenant)).await?;
    let standing = standing_for(&txn, tenant).await?;
    library::writable(&txn, &standing, id).await?;
    shares::unshare_object(&txn, tenant, KIND, id, collaboration_id).await?;
    record(
        &txn,
        principal,
        tenant,
        "template.unshared",
        id,
        Some(json!({ "collaboration_id": collaboration_id })),
        None,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Copies a template the caller sees (shared with it, or a collaboration's)
/// into the municipality's own library: a new template whose draft holds
/// the newest published version's content, remembering where it came from.
pub async fn adopt(db: &Db, principal: &Principal, id: Uuid) -> DomainResult<Template> {
    let tenant = tenant_for(principal, Action::WriteTemplates)?;
    let txn = db.write(Scope::Tenant(tenant)).await?;
    let standing = standing_for(&txn, tenant).await?;
    let source = library::seen(&txn, &standing, id).await?;
    if Owner::of(source.model.tenant_id, source.model.collaboration_id) == Owner::Tenant(tenant) {
        return Err(DomainError::conflict(
            "the template is the municipality's own already",
        ));
    }
    not_archived(&source.model)?;
    let versions = library::versions_of(&txn, &standing, &[&source])
        .await?
        .remove(&id)
        .unwrap_or_default();
    let published = newest_published(&versions)
        .ok_or_else(|| DomainError::conflict("the template has no published version to adopt"))?;
    let input = TemplateInput {
        name: source.model.name.clone(),
        kind: TemplateKind::from_code(&source.model.kind).unwrap_or(TemplateKind::Other),
        description: source.model.description.clone(),
    };
    let created = insert_template(
        &txn,
        principal,
        tenant,
        Owner::Tenant(tenant),
        &input,
        Some((id, published.number)),
    )
    .await?;
    insert_version(&txn, &created, 1, &content_of(published)?).await?;
    record(
        &txn,
        principal,
        tenant,
        "template.adopted",
        created.id,
        None,
        Some(fields_of(&created)),
    )
    .await?;
    let view = view_of(&txn, principal, &standing, created.id).await?;
    txn.commit().await?;
    Ok(view)
}

/// An adopted copy's origin as the caller sees it, with the origin's
/// versions; `NotFound` for a template that is no copy or whose origin the
/// caller no longer sees.
async fn origin_of<C: ConnectionTrait>(
    conn: &C,
    standing: &Standing,
    copy: &template::Model,
) -> DomainResult<(Seen, i32, Vec<template_version::Model>)> {
    let (origin_id, number) = copy
        .origin_template_id
        .zip(copy.origin_version_number)
        .ok_or(DomainError::NotFound)?;
    let origin = library::seen(conn, standing, origin_id).await?;
    if origin.model.archived_at.is_some() {
        return Err(DomainError::NotFound);
    }
    let versions = library::versions_of(conn, standing, &[&origin])
        .await?
        .remove(&origin_id)
        .unwrap_or_default();
    Ok((origin, number, versions))
}

/// What changed in the origin between the version an adopted copy came from
/// and the origin's newest published version.
pub async fn origin_diff(db: &Db, principal: &Principal, id: Uuid) -> DomainResult<TemplateDiff> {
    let tenant = tenant_for(principal, Action::ReadTemplates)?;
    let txn = db.read(Scope::Tenant(tenant)).await?;
    let standing = standing_for(&txn, tenant).await?;
    let copy = library::seen(&txn, &standing, id).await?;
    let (origin, number, versions) = origin_of(&txn, &standing, &copy.model).await?;
    txn.commit().await?;
    let from = versions
        .iter()
        .find(|v| v.number == number)
        .ok_or(DomainError::NotFound)?;
    let to = newest_published(&versions).ok_or(DomainError::NotFound)?;
    Ok(TemplateDiff {
        template_id: id,
        from_template_id: origin.model.id,
        from_number: from.number,
        to_number: to.number,
        diff: diff(&content_of(from)?, &content_of(to)?),
    })
}

/// Brings an adopted copy up to its origin's newest published version
/// (`If-Match` with the template's ETag): the draft's content becomes the
/// origin's (a new draft if there is none). `Conflict` when there is
/// nothing newer.
pub async fn update_from_origin(
    db: &Db,
    principal: &Principal,
    id: Uuid,
    expected_version: Option<i32>,
) -> DomainResult<Template> {
    let tenant = tenant_for(principal, Action::WriteTemplates)?;
    let txn = db.write(Scope::Tenant(tenant)).await?;
    let standing = standing_for(&txn, tenant).await?;
    let template = library::writable(&txn, &standing, id).await?;
    let current =
        versioned::check(template, expected_version, |m| audited(&txn, &standing, m)).await?;
    let template = current.row().clone();
    not_archived(&template)?;
    let (_, number, origin_versions) = origin_of(&txn, &standing, &template).await?;
    let newest = newest_published(&origin_versions)
        .filter(|v| v.number > number)
        .ok_or_else(|| {
            DomainError::conflict("the template has its origin's newest version already")
        })?;
    let content = content_of(newest)?;
    let versions = owned_versions(&txn, &standing, &template).await?;
    match versions.iter().find(|v| v.status == DRAFT) {
        Some(draft) => {
            let stored = serde_json::to_value(&content)
                .map_err(|e| DomainError::Internal(format!("content does not serialize: {e}")))?;
            write_version(
                &txn,
                &standing,
                draft,
                vec![(template_version::Column::Content, Expr::value(stored))],
            )
            .await?
        }
        None => {
            let next = versions.iter().map(|v| v.number).max().unwrap_or(0) + 1;
            insert_version(&txn, &template, next, &content).await?
        }
    };
    versioned::update(
        &txn,
        principal,
        current,
        changes(&standing).set(template::Column::OriginVersionNumber, newest.number),
        trail(tenant),
        "template.updated_from_origin",
    )
    .await?;
    let view = view_of(&txn, principal, &standing, id).await?;
    txn.commit().await?;
    Ok(view)
}
