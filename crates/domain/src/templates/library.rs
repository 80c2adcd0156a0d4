//! Which templates a municipality sees, and how: its own and its
//! collaborations' (as owner or member, every version), and those other
//! owners share with a collaboration it is an active member of (read-only,
//! published versions only). The views of templates and versions as the
//! caller reads them.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, QueryFilter, QueryOrder};
use serde::Serialize;
use uuid::Uuid;

use crate::db::{
    owned_get_readable, owned_readable, owned_shared_with_me, owned_writable, platform, scoped,
    shares_with,
};
use crate::entities::{
    collaboration, collaboration_member as member, share, template, template_version, tenant,
};
use crate::error::{DomainError, DomainResult};
use crate::ownership::{Owner, Standing};
use crate::paging::{ChangeCursor, Changed};
use crate::principal::TenantId;
use crate::templates::model::{TemplateKind, VersionContent};
use crate::versioned::{Archivable, Versioned};

/// The object kind of templates in shares and the audit trail.
pub const KIND: &str = "template";

/// How the caller reaches a template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Its own municipality's, or a collaboration's it coordinates: writable
    /// (by its editors and admins).
    Owner,
    /// A collaboration's it is a member of: readable, every version.
    Member,
    /// Shared with a collaboration it is a member of: published versions only.
    Shared,
}

impl Access {
    pub fn sees_drafts(self) -> bool {
        self != Access::Shared
    }
}

/// A template the caller sees, with how.
#[derive(Debug, Clone)]
pub struct Seen {
    pub model: template::Model,
    pub access: Access,
    /// The collaborations it is shared with, as far as the caller sees them.
    pub shared_with: Vec<Uuid>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OwnerKind {
    Tenant,
    Collaboration,
}

/// Who owns a template, by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OwnerRef {
    pub kind: OwnerKind,
    pub id: Uuid,
    pub name: String,
}

/// Where an adopted copy came from, and whether its origin has moved on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OriginRef {
    pub template_id: Uuid,
    /// The origin's owner, while the origin is visible to the caller.
    pub owner_name: Option<String>,
    /// The origin's version the copy's content last came from.
    pub version_number: i32,
    /// The origin's newest published version, when newer than `version_number`.
    pub newer_version_number: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TemplateSummary {
    pub id: Uuid,
    pub name: String,
    pub kind: TemplateKind,
    pub description: Option<String>,
    pub owner: OwnerRef,
    /// Whether the caller may change it.
    pub editable: bool,
    /// Seen through a share: read-only, published versions only.
    pub shared: bool,
    pub latest_published_number: Option<i32>,
    pub draft_number: Option<i32>,
    pub origin: Option<OriginRef>,
    pub archived_at: Option<DateTime<Utc>>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Changed for TemplateSummary {
    fn position(&self) -> ChangeCursor {
        ChangeCursor {
            updated_at: self.updated_at,
            id: self.id,
        }
    }
}

/// One version in a template's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VersionInfo {
    pub number: i32,
    /// `draft` or `published`.
    pub status: String,
    pub change_note: Option<String>,
    pub published_at: Option<DateTime<Utc>>,
    pub published_by: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TemplateShare {
    pub collaboration_id: Uuid,
    pub collaboration_name: String,
    pub created_at: DateTime<Utc>,
}

/// A template with its version history and (for those who may change it)
/// the collaborations it is shared with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Template {
    #[serde(flatten)]
    pub summary: TemplateSummary,
    pub versions: Vec<VersionInfo>,
    pub shares: Vec<TemplateShare>,
}

/// One version with its content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TemplateVersion {
    pub template_id: Uuid,
    pub number: i32,
    pub status: String,
    pub content: VersionContent,
    pub change_note: Option<String>,
    pub published_at: Option<DateTime<Utc>>,
    pub published_by: Option<String>,
    pub version: i32,
    pub updated_at: DateTime<Utc>,
}

impl Versioned for template::Entity {
    const ID: template::Column = template::Column::Id;
    const VERSION: template::Column = template::Column::Version;
    const UPDATED_AT: template::Column = template::Column::UpdatedAt;
    fn id_of(row: &template::Model) -> Uuid {
        row.id
    }
    fn version_of(row: &template::Model) -> i32 {
        row.version
    }
}

impl Archivable for template::Entity {
    const ARCHIVED_AT: template::Column = template::Column::ArchivedAt;
    fn archived_at_of(row: &template::Model) -> Option<DateTime<Utc>> {
        row.archived_at
    }
}

pub const DRAFT: &str = "draft";
pub const PUBLISHED: &str = "published";

pub(crate) fn content_of(model: &template_version::Model) -> DomainResult<VersionContent> {
    serde_json::from_value(model.content.clone()).map_err(|e| {
        DomainError::Internal(format!(
            "stored content of template version {} is unreadable: {e}",
            model.id
        ))
    })
}

pub(crate) fn version_view(model: &template_version::Model) -> DomainResult<TemplateVersion> {
    Ok(TemplateVersion {
        template_id: model.template_id,
        number: model.number,
        status: model.status.clone(),
        content: content_of(model)?,
        change_note: model.change_note.clone(),
        published_at: model.published_at,
        published_by: model.published_by_label.clone(),
        version: model.version,
        updated_at: model.updated_at,
    })
}

/// The templates other owners share with `standing`'s municipality, with
/// the collaborations each is shared with: shares with a collaboration it is
/// an active member of, made by a municipality that is still an active
/// member there and may share the template (its own municipality, or a
/// coordinator of the collaboration owning it). Archived ones and those it
/// reads as owner or member anyway are left out.
pub(crate) async fn shared_with_me<C: ConnectionTrait>(
    conn: &C,
    standing: &Standing,
) -> DomainResult<Vec<Seen>> {
    if standing.member_of.is_empty() {
        return Ok(Vec::new());
    }
    let shares: Vec<share::Model> = shares_with(standing.member_of.clone())
        .filter(share::Column::ObjectKind.eq(KIND))
        .all(conn)
        .await?;
    if shares.is_empty() {
        return Ok(Vec::new());
    }
    let active: HashSet<(Uuid, Uuid)> = platform::<member::Entity>()
        .filter(member::Column::CollaborationId.is_in(standing.member_of.clone()))
        .filter(member::Column::Status.eq("active"))
        .all(conn)
        .await?
        .into_iter()
        .map(|m| (m.collaboration_id, m.tenant_id))
        .collect();
    let shares: Vec<share::Model> = shares
        .into_iter()
        .filter(|s| active.contains(&(s.collaboration_id, s.tenant_id)))
        .collect();
    let ids: HashSet<Uuid> = shares.iter().map(|s| s.object_id).collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let templates = owned_shared_with_me::<template::Entity>(ids.into_iter().collect())
        .filter(template::Column::ArchivedAt.is_null())
        .all(conn)
        .await?;
    let owning: HashSet<Uuid> = templates
        .iter()
        .filter_map(|t| t.collaboration_id)
        .collect();
    let coordinators: HashSet<(Uuid, Uuid)> = if owning.is_empty() {
        HashSet::new()
    } else {
        platform::<member::Entity>()
            .filter(member::Column::CollaborationId.is_in(owning))
            .filter(member::Column::Status.eq("active"))
            .filter(member::Column::Role.eq("coordinator"))
            .all(conn)
            .await?
            .into_iter()
            .map(|m| (m.collaboration_id, m.tenant_id))
            .collect()
    };
    let mut seen = Vec::new();
    for model in templates {
        if standing.can_read(Owner::of(model.tenant_id, model.collaboration_id)) {
            continue;
        }
        let may_share = |sharer: Uuid| match model.collaboration_id {
            None => sharer == model.tenant_id,
            Some(owner) => coordinators.contains(&(owner, sharer)),
        };
        let mut shared_with: Vec<Uuid> = shares
            .iter()
            .filter(|s| s.object_id == model.id && may_share(s.tenant_id))
            .map(|s| s.collaboration_id)
            .collect();
        if shared_with.is_empty() {
            continue;
        }
        shared_with.sort();
        shared_with.dedup();
        seen.push(Seen {
            model,
            access: Access::Shared,
            shared_with,
        });
    }
    Ok(seen)
}

fn owned_access(standing: &Standing, model: &template::Model) -> Access {
    if standing.can_write(Owner::of(model.tenant_id, model.collaboration_id)) {
        Access::Owner
    } else {
        Access::Member
    }
}

/// Every template `standing`'s municipality sees.
pub(crate) async fn all_seen<C: ConnectionTrait>(
    conn: &C,
    standing: &Standing,
) -> DomainResult<Vec<Seen>> {
    let mut seen: Vec<Seen> = owned_readable::<template::Entity>(standing)
        .all(conn)
        .await?
        .into_iter()
        .map(|model| Seen {
            access: owned_access(standing, &model),
            model,
            shared_with: Vec::new(),
        })
        .collect();
    let mine: Vec<Uuid> = seen.iter().map(|s| s.model.id).collect();
    let shares = my_shares(conn, standing, &mine).await?;
    for s in &mut seen {
        s.shared_with = shares
            .iter()
            .filter(|share| share.object_id == s.model.id)
            .map(|share| share.collaboration_id)
            .collect();
    }
    seen.extend(shared_with_me(conn, standing).await?);
    Ok(seen)
}

/// The shares of `templates` (the caller's own or its collaborations') that
/// the caller sees: its own municipality's and those made with its
/// collaborations by other coordinators.
async fn my_shares<C: ConnectionTrait>(
    conn: &C,
    standing: &Standing,
    templates: &[Uuid],
) -> DomainResult<Vec<share::Model>> {
    if templates.is_empty() {
        return Ok(Vec::new());
    }
    let mut found = scoped::<share::Entity>(standing.tenant)
        .filter(share::Column::ObjectKind.eq(KIND))
        .filter(share::Column::ObjectId.is_in(templates.to_vec()))
        .order_by_asc(share::Column::CreatedAt)
        .all(conn)
        .await?;
    if !standing.member_of.is_empty() {
        let known: HashSet<Uuid> = found.iter().map(|s| s.id).collect();
        found.extend(
            shares_with(standing.member_of.clone())
                .filter(share::Column::ObjectKind.eq(KIND))
                .filter(share::Column::ObjectId.is_in(templates.to_vec()))
                .order_by_asc(share::Column::CreatedAt)
                .all(conn)
                .await?
                .into_iter()
                .filter(|s| !known.contains(&s.id)),
        );
    }
    Ok(found)
}

/// One template the caller sees, or `NotFound`.
pub(crate) async fn seen<C: ConnectionTrait>(
    conn: &C,
    standing: &Standing,
    id: Uuid,
) -> DomainResult<Seen> {
    match owned_get_readable::<template::Entity, _>(conn, standing, id).await {
        Ok(model) => {
            let shared_with = my_shares(conn, standing, &[id])
                .await?
                .into_iter()
                .map(|s| s.collaboration_id)
                .collect();
            Ok(Seen {
                access: owned_access(standing, &model),
                model,
                shared_with,
            })
        }
        Err(DomainError::NotFound) => shared_with_me(conn, standing)
            .await?
            .into_iter()
            .find(|s| s.model.id == id)
            .ok_or(DomainError::NotFound),
        Err(e) => Err(e),
    }
}

/// A template the caller may change, or `Forbidden` when it only reads it
/// (a member's view of a collaboration's template, a shared one), or
/// `NotFound` when it does not see it at all.
pub(crate) async fn writable<C: ConnectionTrait>(
    conn: &C,
    standing: &Standing,
    id: Uuid,
) -> DomainResult<template::Model> {
    let found = owned_writable::<template::Entity>(standing)
        .filter(template::Column::Id.eq(id))
        .one(conn)
        .await?;
    match found {
        Some(model) => Ok(model),
        None => match seen(conn, standing, id).await?.access {
            Access::Shared => Err(DomainError::Forbidden(
                "a shared template is read-only; adopt it to make your own copy",
            )),
            _ => Err(DomainError::Forbidden(
                "only the collaboration's coordinators change its templates",
            )),
        },
    }
}

/// The versions of the templates the caller sees, by template, oldest
/// first: every version of its own and its collaborations' templates, the
/// published ones of shared templates.
pub(crate) async fn versions_of<C: ConnectionTrait>(
    conn: &C,
    standing: &Standing,
    templates: &[&Seen],
) -> DomainResult<HashMap<Uuid, Vec<template_version::Model>>> {
    let owned: Vec<Uuid> = templates
        .iter()
        .filter(|s| s.access.sees_drafts())
        .map(|s| s.model.id)
        .collect();
    let shared: Vec<Uuid> = templates
        .iter()
        .filter(|s| !s.access.sees_drafts())
        .map(|s| s.model.id)
        .collect();
    let mut found = Vec::new();
    if !owned.is_empty() {
        found.extend(
            owned_readable::<template_version::Entity>(standing)
                .filter(template_version::Column::TemplateId.is_in(owned))
                .order_by_asc(template_version::Column::Number)
                .all(conn)
                .await?,
        );
    }
    if !shared.is_empty() {
        found.extend(
            owned_shared_with_me::<template_version::Entity>(shared)
                .filter(template_version::Column::Status.eq(PUBLISHED))
                .order_by_asc(template_version::Column::Number)
                .all(conn)
                .await?,
        );
    }
    let mut by_template: HashMap<Uuid, Vec<template_version::Model>> = HashMap::new();
    for version in found {
        by_template
            .entry(version.template_id)
            .or_default()
            .push(version);
    }
    Ok(by_template)
}

/// One version of a template the caller sees, or `NotFound` (also for a
/// draft of a template seen through a share).
pub(crate) async fn version_of<C: ConnectionTrait>(
    conn: &C,
    standing: &Standing,
    template: &Seen,
    number: i32,
) -> DomainResult<template_version::Model> {
    versions_of(conn, standing, &[template])
        .await?
        .remove(&template.model.id)
        .unwrap_or_default()
        .into_iter()
        .find(|v| v.number == number)
        .ok_or(DomainError::NotFound)
}

/// The newest published version among `versions`.
pub(crate) fn newest_published(
    versions: &[template_version::Model],
) -> Option<&template_version::Model> {
    versions
        .iter()
        .filter(|v| v.status == PUBLISHED)
        .max_by_key(|v| v.number)
}

/// Names of municipalities and collaborations, for owners and shares.
pub(crate) struct Names {
    tenants: HashMap<Uuid, String>,
    collaborations: HashMap<Uuid, String>,
}

impl Names {
    pub(crate) async fn load<C: ConnectionTrait>(
        conn: &C,
        tenants: impl IntoIterator<Item = Uuid>,
        collaborations: impl IntoIterator<Item = Uuid>,
    ) -> DomainResult<Self> {
        let tenants: HashSet<Uuid> = tenants.into_iter().collect();
        let collaborations: HashSet<Uuid> = collaborations.into_iter().collect();
        Ok(Self {
            tenants: if tenants.is_empty() {
                HashMap::new()
            } else {
                platform::<tenant::Entity>()
                    .filter(tenant::Column::Id.is_in(tenants))
                    .all(conn)
                    .await?
                    .into_iter()
                    .map(|t| (t.id, t.name))
                    .collect()
            },
            collaborations: if collaborations.is_empty() {
                HashMap::new()
            } else {
                platform::<collaboration::Entity>()
                    .filter(collaboration::Column::Id.is_in(collaborations))
                    .all(conn)
                    .await?
                    .into_iter()
                    .map(|c| (c.id, c.name))
                    .collect()
            },
        })
    }

    pub(crate) fn owner(&self, model: &template::Model) -> OwnerRef {
        match Owner::of(model.tenant_id, model.collaboration_id) {
            Owner::Tenant(TenantId(id)) => OwnerRef {
                kind: OwnerKind::Tenant,
                id,
                name: self.tenants.get(&id).cloned().unwrap_or_default(),
            },
            Owner::Collaboration(id) => OwnerRef {
                kind: OwnerKind::Collaboration,
                id,
                name: self.collaborations.get(&id).cloned().unwrap_or_default(),
            },
        }
    }

    pub(crate) fn collaboration(&self, id: Uuid) -> String {
        self.collaborations.get(&id).cloned().unwrap_or_default()
    }
}

/// The summaries of `templates` as the caller sees them; `may_write` says
/// whether the caller's role or scopes allow writing templates at all.
pub(crate) async fn summaries<C: ConnectionTrait>(
    conn: &C,
    standing: &Standing,
    may_write: bool,
    templates: &[Seen],
) -> DomainResult<Vec<TemplateSummary>> {
    let refs: Vec<&Seen> = templates.iter().collect();
    let versions = versions_of(conn, standing, &refs).await?;
    // The origins of adopted copies, as far as the caller still sees them.
    let origin_ids: HashSet<Uuid> = templates
        .iter()
        .filter_map(|s| s.model.origin_template_id)
        .collect();
    let mut origins: HashMap<Uuid, (Seen, Option<i32>)> = HashMap::new();
    for id in origin_ids {
        let origin = match templates.iter().find(|s| s.model.id == id) {
            Some(known) => known.clone(),
            None => match seen(conn, standing, id).await {
                Ok(found) => found,
                Err(DomainError::NotFound) => continue,
                Err(e) => return Err(e),
            },
        };
        let newest = match versions.get(&id) {
            Some(list) => newest_published(list).map(|v| v.number),
            None => newest_published(
                versions_of(conn, standing, &[&origin])
                    .await?
                    .get(&id)
                    .map(Vec::as_slice)
                    .unwrap_or_default(),
            )
            .map(|v| v.number),
        };
        if origin.model.archived_at.is_none() {
            origins.insert(id, (origin, newest));
        }
    }
    let names = Names::load(
        conn,
        templates
            .iter()
            .map(|s| s.model.tenant_id)
            .chain(origins.values().map(|(o, _)| o.model.tenant_id)),
        templates
            .iter()
            .filter_map(|s| s.model.collaboration_id)
            .chain(
                origins
                    .values()
                    .filter_map(|(o, _)| o.model.collaboration_id),
            ),
    )
    .await?;
    Ok(templates
        .iter()
        .map(|s| {
            let list = versions
                .get(&s.model.id)
                .map(Vec::as_slice)
                .unwrap_or_default();
            let m = &s.model;
            TemplateSummary {
                id: m.id,
                name: m.name.clone(),
                kind: TemplateKind::from_code(&m.kind).unwrap_or(TemplateKind::Other),
                description: m.description.clone(),
                owner: names.owner(m),
                editable: may_write && s.access == Access::Owner,
                shared: s.access == Access::Shared,
                latest_published_number: newest_published(list).map(|v| v.number),
                draft_number: list.iter().find(|v| v.status == DRAFT).map(|v| v.number),
                origin: m.origin_template_id.zip(m.origin_version_number).map(
                    |(origin_id, number)| {
                        let known = origins.get(&origin_id);
                        OriginRef {
                            template_id: origin_id,
                            owner_name: known.map(|(o, _)| names.owner(&o.model).name),
                            version_number: number,
                            newer_version_number: known
                                .and_then(|(_, newest)| *newest)
                                .filter(|newest| *newest > number),
                        }
                    },
                ),
                archived_at: m.archived_at,
                version: m.version,
                created_at: m.created_at,
                updated_at: m.updated_at,
            }
        })
        .collect())
}

/// The full view of one template.
pub(crate) async fn template_view<C: ConnectionTrait>(
    conn: &C,
    standing: &Standing,
    may_write: bool,
    template: Seen,
) -> DomainResult<Template> {
    let versions = versions_of(conn, standing, &[&template])
        .await?
        .remove(&template.model.id)
        .unwrap_or_default();
    let shares: Vec<share::Model> = if template.access == Access::Shared {
        Vec::new()
    } else {
        my_shares(conn, standing, &[template.model.id]).await?
    };
    let names = Names::load(
        conn,
        std::iter::empty(),
        shares.iter().map(|s| s.collaboration_id),
    )
    .await?;
    let mut by_collaboration: BTreeMap<Uuid, TemplateShare> = BTreeMap::new();
    for s in shares {
        by_collaboration
            .entry(s.collaboration_id)
            .or_insert(TemplateShare {
                collaboration_id: s.collaboration_id,
                collaboration_name: names.collaboration(s.collaboration_id),
                created_at: s.created_at,
            });
    }
    let summary = summaries(conn, standing, may_write, std::slice::from_ref(&template))
        .await?
        .pop()
        .ok_or(DomainError::NotFound)?;
    Ok(Template {
        summary,
        versions: versions
            .iter()
            .map(|v| VersionInfo {
                number: v.number,
                status: v.status.clone(),
                change_note: v.change_note.clone(),
                published_at: v.published_at,
                published_by: v.published_by_label.clone(),
            })
            .collect(),
        shares: by_collaboration.into_values().collect(),
    })
}
