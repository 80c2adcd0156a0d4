//! `/templates`: standard contract templates, their versions, comparison,
//! sharing, adoption, use in contracts and documents.

use chrono::{DateTime, Utc};
use poem::web::Data;
use poem_openapi::param::{Header, Path, Query};
use poem_openapi::payload::{Html, Json};
use poem_openapi::types::Example;
use poem_openapi::{ApiResponse, Enum, Object, OpenApi};
use samudbud_domain::paging::{ChangeRead, PageRequest};
use samudbud_domain::templates::library::{
    OriginRef, OwnerKind, OwnerRef, Template, TemplateShare, TemplateSummary, TemplateVersion,
    VersionInfo,
};
use samudbud_domain::templates::service::{
    self, OriginFilter, TemplateDiff, TemplateFilter, TemplateInput,
};
use samudbud_domain::templates::usage::{self, TemplateUsage};
use samudbud_domain::templates::{TemplateKind, documents};
use uuid::Uuid;

use super::ApiTags;
use super::template_content::{TemplateKindDto, VersionContentDto};
use super::template_diff::VersionDiffDto;
use super::template_documents::WordDocument;
use super::text::Text;
use super::versioning::{IfMatch, etag};
use crate::problem::ApiResult;
use crate::security::BearerAuth;
use crate::state::AppState;

pub struct TemplatesApi;

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[oai(rename_all = "snake_case", rename = "TemplateOwnerKind")]
enum OwnerKindDto {
    /// A municipality.
    Tenant,
    /// A collaboration of municipalities.
    Collaboration,
}

/// Who owns a template: a municipality or a collaboration.
#[derive(Object)]
#[oai(rename = "TemplateOwner")]
struct OwnerDto {
    kind: OwnerKindDto,
    id: Uuid,
    name: String,
}

impl From<OwnerRef> for OwnerDto {
    fn from(o: OwnerRef) -> Self {
        Self {
            kind: match o.kind {
                OwnerKind::Tenant => OwnerKindDto::Tenant,
                OwnerKind::Collaboration => OwnerKindDto::Collaboration,
            },
            id: o.id,
            name: o.name,
        }
    }
}

/// Where an adopted copy came from.
#[derive(Object)]
#[oai(rename = "TemplateOrigin", skip_serializing_if_is_none)]
struct OriginDto {
    template_id: Uuid,
    /// The origin's owner, while the origin is visible to the caller.
    owner_name: Option<String>,
    /// The origin's version the copy's content last came from.
    version_number: i32,
    /// Set when the origin has published a newer version ("ny version fra …").
    newer_version_number: Option<i32>,
}

impl From<OriginRef> for OriginDto {
    fn from(o: OriginRef) -> Self {
        Self {
            template_id: o.template_id,
            owner_name: o.owner_name,
            version_number: o.version_number,
            newer_version_number: o.newer_version_number,
        }
    }
}

/// A template as lists show it.
#[derive(Object)]
#[oai(rename = "TemplateSummary", skip_serializing_if_is_none)]
struct SummaryDto {
    id: Uuid,
    name: String,
    kind: TemplateKindDto,
    /// The kind in Danish ("K04", "Egne vilkår").
    kind_label: String,
    description: Option<String>,
    owner: OwnerDto,
    /// Whether the caller may change it.
    editable: bool,
    /// Seen through a share: read-only, published versions only.
    shared: bool,
    latest_published_number: Option<i32>,
    draft_number: Option<i32>,
    origin: Option<OriginDto>,
    archived: bool,
    /// The template's version, as in its ETag.
    version: i32,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl From<TemplateSummary> for SummaryDto {
    fn from(s: TemplateSummary) -> Self {
        Self {
            id: s.id,
            name: s.name,
            kind: s.kind.into(),
            kind_label: s.kind.label().to_owned(),
            description: s.description,
            owner: s.owner.into(),
            editable: s.editable,
            shared: s.shared,
            latest_published_number: s.latest_published_number,
            draft_number: s.draft_number,
            origin: s.origin.map(OriginDto::from),
            archived: s.archived_at.is_some(),
            version: s.version,
            created_at: s.created_at,
            updated_at: s.updated_at,
        }
    }
}

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[oai(rename_all = "snake_case", rename = "TemplateVersionStatus")]
enum VersionStatusDto {
    /// Still being edited.
    Draft,
    /// Immutable; contracts can be based on it.
    Published,
}

fn status_of(status: &str) -> VersionStatusDto {
    if status == "published" {
        VersionStatusDto::Published
    } else {
        VersionStatusDto::Draft
    }
}

/// One version in a template's history.
#[derive(Object)]
#[oai(rename = "TemplateVersionInfo", skip_serializing_if_is_none)]
struct VersionInfoDto {
    number: i32,
    status: VersionStatusDto,
    change_note: Option<String>,
    published_at: Option<DateTime<Utc>>,
    /// Who published it.
    published_by: Option<String>,
}

impl From<VersionInfo> for VersionInfoDto {
    fn from(v: VersionInfo) -> Self {
        Self {
            number: v.number,
            status: status_of(&v.status),
            change_note: v.change_note,
            published_at: v.published_at,
            published_by: v.published_by,
        }
    }
}

/// A collaboration the template is shared with.
#[derive(Object)]
#[oai(rename = "TemplateShare")]
struct ShareDto {
    collaboration_id: Uuid,
    collaboration_name: String,
    created_at: DateTime<Utc>,
}

impl From<TemplateShare> for ShareDto {
    fn from(s: TemplateShare) -> Self {
        Self {
            collaboration_id: s.collaboration_id,
            collaboration_name: s.collaboration_name,
            created_at: s.created_at,
        }
    }
}

/// A template with its version history and the collaborations it is shared
/// with (for its owners and members).
#[derive(Object)]
#[oai(rename = "Template", skip_serializing_if_is_none)]
struct TemplateDto {
    id: Uuid,
    name: String,
    kind: TemplateKindDto,
    kind_label: String,
    description: Option<String>,
    owner: OwnerDto,
    editable: bool,
    shared: bool,
    latest_published_number: Option<i32>,
    draft_number: Option<i32>,
    origin: Option<OriginDto>,
    archived: bool,
    version: i32,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    /// Oldest first; a template seen through a share lists its published versions only.
    versions: Vec<VersionInfoDto>,
    shares: Vec<ShareDto>,
}

impl From<Template> for TemplateDto {
    fn from(t: Template) -> Self {
        let s = SummaryDto::from(t.summary);
        Self {
            id: s.id,
            name: s.name,
            kind: s.kind,
            kind_label: s.kind_label,
            description: s.description,
            owner: s.owner,
            editable: s.editable,
            shared: s.shared,
            latest_published_number: s.latest_published_number,
            draft_number: s.draft_number,
            origin: s.origin,
            archived: s.archived,
            version: s.version,
            created_at: s.created_at,
            updated_at: s.updated_at,
            versions: t.versions.into_iter().map(VersionInfoDto::from).collect(),
            shares: t.shares.into_iter().map(ShareDto::from).collect(),
        }
    }
}

/// A version with its content.
#[derive(Object)]
#[oai(rename = "TemplateVersion", skip_serializing_if_is_none)]
struct VersionDto {
    template_id: Uuid,
    number: i32,
    status: VersionStatusDto,
    content: VersionContentDto,
    change_note: Option<String>,
    published_at: Option<DateTime<Utc>>,
    published_by: Option<String>,
    /// The version's own version, as in its ETag (for draft edits and publishing).
    version: i32,
    updated_at: DateTime<Utc>,
}

impl From<TemplateVersion> for VersionDto {
    fn from(v: TemplateVersion) -> Self {
        Self {
            template_id: v.template_id,
            number: v.number,
            status: status_of(&v.status),
            content: v.content.into(),
            change_note: v.change_note,
            published_at: v.published_at,
            published_by: v.published_by,
            version: v.version,
            updated_at: v.updated_at,
        }
    }
}

/// A new template. Without `collaboration_id` it is the municipality's own;
/// with it, the collaboration's (which the municipality must coordinate).
#[derive(Object)]
#[oai(rename = "NewTemplate", deny_unknown_fields, example)]
struct NewTemplateDto {
    name: Text<1, 200>,
    kind: TemplateKindDto,
    description: Option<Text<0, 10_000>>,
    collaboration_id: Option<Uuid>,
}

impl Example for NewTemplateDto {
    fn example() -> Self {
        Self {
            name: "K04 Drift af it-systemer".into(),
            kind: TemplateKindDto::K04,
            description: Some(
                "Fællesskabets driftsaftale bygget på statens K04 med vores servicemål.".into(),
            ),
            collaboration_id: None,
        }
    }
}

/// A template's own fields, as replaced by `PUT`.
#[derive(Object)]
#[oai(rename = "TemplateInput", deny_unknown_fields, example)]
struct TemplateInputDto {
    name: Text<1, 200>,
    kind: TemplateKindDto,
    description: Option<Text<0, 10_000>>,
}

impl Example for TemplateInputDto {
    fn example() -> Self {
        Self {
            name: "K04 Drift af it-systemer".into(),
            kind: TemplateKindDto::K04,
            description: Some("Driftsaftale med servicemål for oppetid og svartider.".into()),
        }
    }
}

impl From<TemplateInputDto> for TemplateInput {
    fn from(d: TemplateInputDto) -> Self {
        Self {
            name: d.name.into(),
            kind: d.kind.into(),
            description: d.description.map(String::from),
        }
    }
}

/// The new content of a draft.
#[derive(Object)]
#[oai(rename = "DraftInput", deny_unknown_fields, example)]
struct DraftInputDto {
    content: VersionContentDto,
}

impl Example for DraftInputDto {
    fn example() -> Self {
        Self {
            content: VersionContentDto::example(),
        }
    }
}

/// Publishing a draft: what changed, in a sentence or two.
#[derive(Object)]
#[oai(rename = "PublishInput", deny_unknown_fields, example)]
struct PublishInputDto {
    change_note: Text<1, 2_000>,
}

impl Example for PublishInputDto {
    fn example() -> Self {
        Self {
            change_note: "Oppetid hævet til 99,5 % og ny bestemmelse om opsigelse.".into(),
        }
    }
}

#[derive(Object)]
#[oai(rename = "NewTemplateShare", deny_unknown_fields)]
struct NewShareDto {
    collaboration_id: Uuid,
}

#[derive(Object)]
#[oai(rename = "TemplatePage", skip_serializing_if_is_none)]
struct TemplatePage {
    items: Vec<SummaryDto>,
    total: u64,
    page: u64,
    page_size: u64,
    /// When the list is read in order of last change (`changed_since` or
    /// `cursor`): pass as `cursor` for the page after this one; the same
    /// position comes back when this page was empty.
    next_cursor: Option<String>,
}

/// How the caller reaches the templates a list shows.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[oai(rename_all = "snake_case", rename = "TemplateOriginFilter")]
enum OriginFilterDto {
    /// The municipality's own.
    Own,
    /// Owned by a collaboration the municipality is a member of.
    Collaboration,
    /// Shared with the municipality by others.
    Shared,
    /// Copies the municipality adopted.
    Adopted,
}

/// What changed between two versions, possibly of two templates (an
/// adopted copy's origin).
#[derive(Object)]
#[oai(rename = "TemplateDiff")]
struct TemplateDiffDto {
    template_id: Uuid,
    /// The template whose versions are compared: the template itself, or
    /// for `originDiff` its origin.
    from_template_id: Uuid,
    from_number: i32,
    to_number: i32,
    diff: VersionDiffDto,
}

impl From<TemplateDiff> for TemplateDiffDto {
    fn from(d: TemplateDiff) -> Self {
        Self {
            template_id: d.template_id,
            from_template_id: d.from_template_id,
            from_number: d.from_number,
            to_number: d.to_number,
            diff: d.diff.into(),
        }
    }
}

/// How many contracts are based on a version.
#[derive(Object)]
#[oai(rename = "TemplateVersionUsage")]
struct VersionUsageDto {
    number: i32,
    contracts: u64,
}

/// How often contracts deviate from a clause, and why.
#[derive(Object)]
#[oai(rename = "ClauseDeviationUsage")]
struct ClauseUsageDto {
    clause_key: Uuid,
    number: String,
    heading: String,
    deviations: u64,
    /// The reasons given, most recent contract first.
    reasons: Vec<String>,
}

/// The use of a template in the contracts the caller may see (its own and
/// those shared with it).
#[derive(Object)]
#[oai(rename = "TemplateUsage")]
struct UsageDto {
    /// Every version contracts can be based on, oldest first.
    versions: Vec<VersionUsageDto>,
    /// Clauses contracts deviate from, most often first.
    clauses: Vec<ClauseUsageDto>,
    /// Contracts counted.
    contracts: u64,
}

impl From<TemplateUsage> for UsageDto {
    fn from(u: TemplateUsage) -> Self {
        Self {
            versions: u
                .versions
                .into_iter()
                .map(|v| VersionUsageDto {
                    number: v.number,
                    contracts: v.contracts,
                })
                .collect(),
            clauses: u
                .clauses
                .into_iter()
                .map(|c| ClauseUsageDto {
                    clause_key: c.clause_key,
                    number: c.number,
                    heading: c.heading,
                    deviations: c.deviations,
                    reasons: c.reasons,
                })
                .collect(),
            contracts: u.contracts,
        }
    }
}

/// A kind of template with its Danish label.
#[derive(Object)]
#[oai(rename = "TemplateKindOption")]
struct KindOptionDto {
    code: TemplateKindDto,
    label: String,
}

super::whole_list!(TemplateKindList, KindOptionDto);

#[derive(ApiResponse)]
enum TemplateResponse {
    #[oai(status = 200)]
    Ok(Json<TemplateDto>, #[oai(header = "ETag")] String),
}

#[derive(ApiResponse)]
enum CreatedTemplate {
    #[oai(status = 201)]
    Created(
        Json<TemplateDto>,
        #[oai(header = "ETag")] String,
        #[oai(header = "Location")] String,
    ),
}

#[derive(ApiResponse)]
enum VersionResponse {
    #[oai(status = 200)]
    Ok(Json<VersionDto>, #[oai(header = "ETag")] String),
}

#[derive(ApiResponse)]
enum CreatedVersion {
    #[oai(status = 201)]
    Created(
        Json<VersionDto>,
        #[oai(header = "ETag")] String,
        #[oai(header = "Location")] String,
    ),
}

#[derive(ApiResponse)]
enum CreatedShare {
    #[oai(status = 201)]
    Created(Json<ShareDto>),
}

#[derive(ApiResponse)]
enum Done {
    #[oai(status = 204)]
    Done,
}

fn ok(template: Template) -> TemplateResponse {
    let tag = etag(template.summary.version);
    TemplateResponse::Ok(Json(template.into()), tag)
}

fn created(template: Template) -> CreatedTemplate {
    let tag = etag(template.summary.version);
    let location = format!("{}/templates/{}", super::API_PREFIX, template.summary.id);
    CreatedTemplate::Created(Json(template.into()), tag, location)
}

fn version_ok(version: TemplateVersion) -> VersionResponse {
    let tag = etag(version.version);
    VersionResponse::Ok(Json(version.into()), tag)
}

#[OpenApi(prefix_path = "/templates", tag = "ApiTags::Templates")]
impl TemplatesApi {
    /// The templates the municipality sees: its own, its collaborations' and
    /// those shared with it; by name.
    #[allow(clippy::too_many_arguments)]
    #[oai(path = "/", method = "get", operation_id = "listTemplates")]
    async fn list(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        page: Query<Option<u64>>,
        page_size: Query<Option<u64>>,
        /// Words to find in the name and description.
        q: Query<Option<String>>,
        kind: Query<Option<TemplateKindDto>>,
        origin: Query<Option<OriginFilterDto>>,
        /// Owned by, or shared with, this collaboration.
        collaboration_id: Query<Option<Uuid>>,
        /// Only adopted copies whose origin has a newer version (`true`), or only the others.
        has_newer_origin: Query<Option<bool>>,
        /// Include archived templates.
        include_archived: Query<Option<bool>>,
        /// Only templates changed at or after this time, sorted by last change (for synchronisation).
        changed_since: Query<Option<DateTime<Utc>>>,
        /// The `next_cursor` of the page before: read on in order of last
        /// change (and id), `page_size` at a time, `page` ignored. Send the
        /// same filters as for the first page.
        cursor: Query<Option<String>>,
    ) -> ApiResult<Json<TemplatePage>> {
        let paging = PageRequest::new(page.0, page_size.0)?;
        let by_change = ChangeRead::from_params(changed_since.0, cursor.0.as_deref(), None)?;
        let filter = TemplateFilter {
            kind: kind.0.map(TemplateKind::from),
            origin: origin.0.map(|o| match o {
                OriginFilterDto::Own => OriginFilter::Own,
                OriginFilterDto::Collaboration => OriginFilter::Collaboration,
                OriginFilterDto::Shared => OriginFilter::Shared,
                OriginFilterDto::Adopted => OriginFilter::Adopted,
            }),
            collaboration_id: collaboration_id.0,
            has_newer_origin: has_newer_origin.0,
            q: q.0,
            include_archived: include_archived.0.unwrap_or(false),
            by_change,
        };
        let found = service::list_templates(&state.db, &auth.0, filter, paging).await?;
        Ok(Json(TemplatePage {
            items: found.items.into_iter().map(SummaryDto::from).collect(),
            total: found.total,
            page: found.page,
            page_size: found.page_size,
            next_cursor: found.next_cursor.map(|c| c.encode()),
        }))
    }

    /// Create a template with an empty draft, version 1.
    #[oai(path = "/", method = "post", operation_id = "createTemplate")]
    async fn create(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        body: Json<NewTemplateDto>,
    ) -> ApiResult<CreatedTemplate> {
        let body = body.0;
        let input = TemplateInput {
            name: body.name.into(),
            kind: body.kind.into(),
            description: body.description.map(String::from),
        };
        let template =
            service::create_template(&state.db, &auth.0, input, body.collaboration_id).await?;
        Ok(created(template))
    }

    /// The kinds of template, with their Danish labels.
    #[oai(path = "/kinds", method = "get", operation_id = "listTemplateKinds")]
    async fn kinds(&self, auth: BearerAuth) -> ApiResult<Json<TemplateKindList>> {
        Ok(Json(TemplateKindList::of(
            service::kinds(&auth.0)?
                .into_iter()
                .map(|kind| KindOptionDto {
                    code: kind.into(),
                    label: kind.label().to_owned(),
                })
                .collect(),
        )))
    }

    /// Read a template with its version history.
    #[oai(path = "/:id", method = "get", operation_id = "getTemplate")]
    async fn get(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<TemplateResponse> {
        Ok(ok(service::get_template(&state.db, &auth.0, id.0).await?))
    }

    /// Change a template's name, kind and description (needs `If-Match`).
    #[oai(path = "/:id", method = "put", operation_id = "updateTemplate")]
    async fn update(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<Uuid>,
        #[oai(name = "If-Match")] if_match: Header<IfMatch>,
        body: Json<TemplateInputDto>,
    ) -> ApiResult<TemplateResponse> {
        let version = if_match.0.version()?;
        Ok(ok(service::update_template(
            &state.db,
            &auth.0,
            id.0,
            version,
            body.0.into(),
        )
        .await?))
    }

    /// Archive a template (needs `If-Match`): it leaves lists and shares and
    /// takes no new contracts; it can be restored.
    #[oai(
        path = "/:id/archive",
        method = "post",
        operation_id = "archiveTemplate"
    )]
    async fn archive(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<Uuid>,
        #[oai(name = "If-Match")] if_match: Header<IfMatch>,
    ) -> ApiResult<TemplateResponse> {
        let version = if_match.0.version()?;
        Ok(ok(service::set_archived(
            &state.db, &auth.0, id.0, version, true,
        )
        .await?))
    }

    /// Restore an archived template (needs `If-Match`).
    #[oai(
        path = "/:id/restore",
        method = "post",
        operation_id = "restoreTemplate"
    )]
    async fn restore(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<Uuid>,
        #[oai(name = "If-Match")] if_match: Header<IfMatch>,
    ) -> ApiResult<TemplateResponse> {
        let version = if_match.0.version()?;
        Ok(ok(service::set_archived(
            &state.db, &auth.0, id.0, version, false,
        )
        .await?))
    }

    /// Start a new draft, a copy of the newest published version (needs the
    /// template's `If-Match`); 409 while a draft exists.
    #[oai(
        path = "/:id/versions",
        method = "post",
        operation_id = "createTemplateDraft"
    )]
    async fn create_draft(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<Uuid>,
        #[oai(name = "If-Match")] if_match: Header<IfMatch>,
    ) -> ApiResult<CreatedVersion> {
        let version = if_match.0.version()?;
        let draft = service::create_draft(&state.db, &auth.0, id.0, version).await?;
        let tag = etag(draft.version);
        let location = format!(
            "{}/templates/{}/versions/{}",
            super::API_PREFIX,
            draft.template_id,
            draft.number
        );
        Ok(CreatedVersion::Created(Json(draft.into()), tag, location))
    }

    /// Read one version with its content (a shared template's published versions only).
    #[oai(
        path = "/:id/versions/:number",
        method = "get",
        operation_id = "getTemplateVersion"
    )]
    async fn get_version(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<Uuid>,
        number: Path<i32>,
    ) -> ApiResult<VersionResponse> {
        Ok(version_ok(
            service::get_version(&state.db, &auth.0, id.0, number.0).await?,
        ))
    }

    /// Replace a draft's content (needs the version's `If-Match`). A
    /// published version answers 409 and stays as it is.
    #[oai(
        path = "/:id/versions/:number",
        method = "put",
        operation_id = "updateTemplateDraft"
    )]
    async fn update_draft(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<Uuid>,
        number: Path<i32>,
        #[oai(name = "If-Match")] if_match: Header<IfMatch>,
        body: Json<DraftInputDto>,
    ) -> ApiResult<VersionResponse> {
        let version = if_match.0.version()?;
        Ok(version_ok(
            service::update_draft(
                &state.db,
                &auth.0,
                id.0,
                number.0,
                version,
                body.0.content.into(),
            )
            .await?,
        ))
    }

    /// Publish a draft with a change note (needs the version's `If-Match`):
    /// from then on it never changes.
    #[oai(
        path = "/:id/versions/:number/publish",
        method = "post",
        operation_id = "publishTemplateVersion"
    )]
    async fn publish(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<Uuid>,
        number: Path<i32>,
        #[oai(name = "If-Match")] if_match: Header<IfMatch>,
        body: Json<PublishInputDto>,
    ) -> ApiResult<VersionResponse> {
        let version = if_match.0.version()?;
        Ok(version_ok(
            service::publish(
                &state.db,
                &auth.0,
                id.0,
                number.0,
                version,
                body.0.change_note.into(),
            )
            .await?,
        ))
    }

    /// A version as a Word document: clauses, parameters with defaults and
    /// bounds, guidance.
    #[oai(
        path = "/:id/versions/:number/document.docx",
        method = "get",
        operation_id = "templateDocument"
    )]
    async fn document(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<Uuid>,
        number: Path<i32>,
    ) -> ApiResult<WordDocument> {
        let document = documents::version_docx(&state.db, &auth.0, id.0, number.0).await?;
        Ok(WordDocument::from(document))
    }

    /// A version as a clean, printable HTML page.
    #[oai(
        path = "/:id/versions/:number/document.html",
        method = "get",
        operation_id = "templateHtml"
    )]
    async fn html(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<Uuid>,
        number: Path<i32>,
    ) -> ApiResult<Html<String>> {
        Ok(Html(
            documents::version_html(&state.db, &auth.0, id.0, number.0).await?,
        ))
    }

    /// What changed between two versions the caller sees, clause by clause.
    #[oai(
        path = "/:id/diff",
        method = "get",
        operation_id = "diffTemplateVersions"
    )]
    async fn diff(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<Uuid>,
        /// The older version's number.
        from: Query<i32>,
        /// The newer version's number.
        to: Query<i32>,
    ) -> ApiResult<Json<TemplateDiffDto>> {
        Ok(Json(
            service::diff_versions(&state.db, &auth.0, id.0, from.0, to.0)
                .await?
                .into(),
        ))
    }

    /// Share the template, read-only, with a collaboration the municipality
    /// is a member of.
    #[oai(path = "/:id/shares", method = "post", operation_id = "shareTemplate")]
    async fn share(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<Uuid>,
        body: Json<NewShareDto>,
    ) -> ApiResult<CreatedShare> {
        let created = service::share(&state.db, &auth.0, id.0, body.0.collaboration_id).await?;
        Ok(CreatedShare::Created(Json(created.into())))
    }

    /// Stop sharing the template with a collaboration.
    #[oai(
        path = "/:id/shares/:collaboration_id",
        method = "delete",
        operation_id = "unshareTemplate"
    )]
    async fn unshare(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<Uuid>,
        collaboration_id: Path<Uuid>,
    ) -> ApiResult<Done> {
        service::unshare(&state.db, &auth.0, id.0, collaboration_id.0).await?;
        Ok(Done::Done)
    }

    /// Adopt a template shared with the municipality (or a collaboration's)
    /// into its own library: a copy, as a draft, that remembers its origin.
    #[oai(path = "/:id/adopt", method = "post", operation_id = "adoptTemplate")]
    async fn adopt(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<CreatedTemplate> {
        Ok(created(service::adopt(&state.db, &auth.0, id.0).await?))
    }

    /// For an adopted copy: what changed in the origin since the version the
    /// copy came from, up to the origin's newest published version.
    #[oai(path = "/:id/origin-diff", method = "get", operation_id = "originDiff")]
    async fn origin_diff(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<Json<TemplateDiffDto>> {
        Ok(Json(
            service::origin_diff(&state.db, &auth.0, id.0).await?.into(),
        ))
    }

    /// For an adopted copy: make the draft the origin's newest published
    /// version (needs the template's `If-Match`); 409 when there is nothing newer.
    #[oai(
        path = "/:id/update-from-origin",
        method = "post",
        operation_id = "updateFromOrigin"
    )]
    async fn update_from_origin(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<Uuid>,
        #[oai(name = "If-Match")] if_match: Header<IfMatch>,
    ) -> ApiResult<TemplateResponse> {
        let version = if_match.0.version()?;
        Ok(ok(service::update_from_origin(
            &state.db, &auth.0, id.0, version,
        )
        .await?))
    }

    /// How many contracts the caller may see are based on each version, and
    /// which clauses they deviate from most often, with the reasons.
    #[oai(path = "/:id/usage", method = "get", operation_id = "templateUsage")]
    async fn usage(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<Json<UsageDto>> {
        Ok(Json(usage::usage(&state.db, &auth.0, id.0).await?.into()))
    }
}
