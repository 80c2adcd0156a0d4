//! `/collaborations`: groups of municipalities, their members and invitations.

use chrono::{DateTime, Utc};
use poem::web::Data;
use poem_openapi::param::{Header, Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Enum, Object, OpenApi};
use samudbud_domain::collaborations::{
    self, Collaboration, CollaborationPatch, Invitee, Member, MemberRole, MemberStatus,
};
use samudbud_domain::error::DomainError;
use samudbud_domain::paging::{ChangeRead, PageRequest};
use uuid::Uuid;

use super::ApiTags;
use super::text::{Code, Text};
use super::versioning::{IfMatch, etag};
use crate::problem::ApiResult;
use crate::security::BearerAuth;
use crate::state::AppState;

pub struct CollaborationsApi;

/// A municipality's role in a collaboration.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[oai(rename_all = "lowercase", rename = "MemberRole")]
pub enum MemberRoleDto {
    /// Edits the collaboration, invites and removes members.
    Coordinator,
    Member,
}

/// Where a municipality stands in a collaboration.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[oai(rename_all = "lowercase", rename = "MemberStatus")]
pub enum MemberStatusDto {
    Invited,
    Active,
    Declined,
    Left,
    Removed,
}

impl From<MemberRole> for MemberRoleDto {
    fn from(role: MemberRole) -> Self {
        match role {
            MemberRole::Coordinator => MemberRoleDto::Coordinator,
            MemberRole::Member => MemberRoleDto::Member,
        }
    }
}

impl From<MemberRoleDto> for MemberRole {
    fn from(role: MemberRoleDto) -> Self {
        match role {
            MemberRoleDto::Coordinator => MemberRole::Coordinator,
            MemberRoleDto::Member => MemberRole::Member,
        }
    }
}

impl From<MemberStatus> for MemberStatusDto {
    fn from(status: MemberStatus) -> Self {
        match status {
            MemberStatus::Invited => MemberStatusDto::Invited,
            MemberStatus::Active => MemberStatusDto::Active,
            MemberStatus::Declined => MemberStatusDto::Declined,
            MemberStatus::Left => MemberStatusDto::Left,
            MemberStatus::Removed => MemberStatusDto::Removed,
        }
    }
}

impl From<MemberStatusDto> for MemberStatus {
    fn from(status: MemberStatusDto) -> Self {
        match status {
            MemberStatusDto::Invited => MemberStatus::Invited,
            MemberStatusDto::Active => MemberStatus::Active,
            MemberStatusDto::Declined => MemberStatus::Declined,
            MemberStatusDto::Left => MemberStatus::Left,
            MemberStatusDto::Removed => MemberStatus::Removed,
        }
    }
}

/// A municipality invited to a collaboration.
#[derive(Object)]
#[oai(rename = "CollaborationMember", skip_serializing_if_is_none)]
struct MemberDto {
    tenant_id: Uuid,
    tenant_name: String,
    municipality_code: String,
    role: MemberRoleDto,
    status: MemberStatusDto,
    invited_at: DateTime<Utc>,
    joined_at: Option<DateTime<Utc>>,
    ended_at: Option<DateTime<Utc>>,
}

impl From<Member> for MemberDto {
    fn from(m: Member) -> Self {
        Self {
            tenant_id: m.tenant_id,
            tenant_name: m.tenant_name,
            municipality_code: m.municipality_code,
            role: m.role.into(),
            status: m.status.into(),
            invited_at: m.invited_at,
            joined_at: m.joined_at,
            ended_at: m.ended_at,
        }
    }
}

/// A collaboration of municipalities, as the calling municipality sees it:
/// `my_role` is the calling municipality's role, and `my_status` its
/// standing (`invited` until its admin accepts).
// The enum fields carry no doc comment of their own: a description beside a
// `$ref` makes poem-openapi wrap it in `allOf`, which generated clients
// cannot take over an enum.
#[derive(Object)]
#[oai(rename = "Collaboration", skip_serializing_if_is_none)]
struct CollaborationDto {
    id: Uuid,
    name: String,
    description: Option<String>,
    my_role: MemberRoleDto,
    my_status: MemberStatusDto,
    members: Vec<MemberDto>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl From<Collaboration> for CollaborationDto {
    fn from(c: Collaboration) -> Self {
        Self {
            id: c.id,
            name: c.name,
            description: c.description,
            my_role: c.my_role.into(),
            my_status: c.my_status.into(),
            members: c.members.into_iter().map(MemberDto::from).collect(),
            created_at: c.created_at,
            updated_at: c.updated_at,
        }
    }
}

super::change_list!(
    /// The calling municipality's collaborations.
    CollaborationList,
    CollaborationDto
);
#[derive(Object)]
#[oai(rename = "NewCollaboration", deny_unknown_fields)]
struct NewCollaborationDto {
    /// E.g. "Midtsjællands IT-samarbejde".
    name: Text<1, 200>,
    description: Option<Text<0, 4000>>,
}

/// Changes to a collaboration; absent fields stay.
#[derive(Object)]
#[oai(rename = "CollaborationPatch", deny_unknown_fields)]
struct CollaborationPatchDto {
    name: Option<Text<1, 200>>,
    /// An empty text clears the description.
    description: Option<Text<0, 4000>>,
}

#[derive(Object)]
#[oai(deny_unknown_fields)]
struct Invitation {
    /// The invited municipality's code, e.g. `329`.
    municipality_code: Option<Code>,
    /// Or its id on the platform (from `searchMunicipalities`); give one of the two.
    tenant_id: Option<Uuid>,
}

#[derive(Object)]
#[oai(deny_unknown_fields)]
struct MemberRoleChange {
    role: MemberRoleDto,
}

#[derive(ApiResponse)]
enum CollaborationResponse {
    #[oai(status = 200)]
    Ok(Json<CollaborationDto>, #[oai(header = "ETag")] String),
}

#[derive(ApiResponse)]
enum CreatedCollaborationResponse {
    #[oai(status = 201)]
    Created(
        Json<CollaborationDto>,
        #[oai(header = "ETag")] String,
        #[oai(header = "Location")] String,
    ),
}

#[derive(ApiResponse)]
enum LeftResponse {
    /// The municipality has left; its shares to the collaboration have ended.
    #[oai(status = 204)]
    Left,
}

fn ok(collaboration: Collaboration) -> CollaborationResponse {
    let tag = etag(collaboration.version);
    CollaborationResponse::Ok(Json(collaboration.into()), tag)
}

#[OpenApi(prefix_path = "/collaborations", tag = "ApiTags::Collaborations")]
impl CollaborationsApi {
    /// The collaborations the municipality is a member of or invited to,
    /// by name; or, with `changed_since` or `cursor`, a page of them in
    /// order of last change.
    // Each query parameter is an argument in poem-openapi.
    #[allow(clippy::too_many_arguments)]
    #[oai(path = "/", method = "get", operation_id = "listCollaborations")]
    async fn list(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// Only those where the municipality has this status (`invited` lists pending invitations).
        status: Query<Option<MemberStatusDto>>,
        /// Only collaborations changed at or after this time, sorted by
        /// last change (for synchronisation), `page_size` at a time.
        changed_since: Query<Option<DateTime<Utc>>>,
        /// The `next_cursor` of the page before: read on in order of last
        /// change (and id), `page_size` at a time. Send the same filters as
        /// for the first page.
        cursor: Query<Option<String>>,
        /// In order of last change: the first page's number (without `cursor`).
        page: Query<Option<u64>>,
        /// In order of last change: how many at a time (default 50, at most 200).
        page_size: Query<Option<u64>>,
    ) -> ApiResult<Json<CollaborationList>> {
        let paging = PageRequest::new(page.0, page_size.0)?;
        let status = status.0.map(Into::into);
        if let Some(read) = ChangeRead::from_params(changed_since.0, cursor.0.as_deref(), None)? {
            let found = collaborations::list_collaborations_by_change(
                &state.db, &auth.0, status, read, paging,
            )
            .await?;
            return Ok(Json(CollaborationList::page(found)));
        }
        let found = collaborations::list_collaborations(&state.db, &auth.0, status).await?;
        Ok(Json(CollaborationList::of(
            found.into_iter().map(CollaborationDto::from).collect(),
        )))
    }

    /// Create a collaboration, with the municipality as coordinator (admins).
    #[oai(path = "/", method = "post", operation_id = "createCollaboration")]
    async fn create(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        body: Json<NewCollaborationDto>,
    ) -> ApiResult<CreatedCollaborationResponse> {
        let created = collaborations::create_collaboration(
            &state.db,
            &auth.0,
            &body.0.name,
            body.0.description.as_deref(),
        )
        .await?;
        let tag = etag(created.version);
        let location = format!("{}/collaborations/{}", super::API_PREFIX, created.id);
        Ok(CreatedCollaborationResponse::Created(
            Json(created.into()),
            tag,
            location,
        ))
    }

    /// Read a collaboration and its members.
    #[oai(path = "/:id", method = "get", operation_id = "getCollaboration")]
    async fn get(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<CollaborationResponse> {
        Ok(ok(collaborations::get_collaboration(
            &state.db, &auth.0, id.0,
        )
        .await?))
    }

    /// Rename or describe a collaboration (coordinators; needs If-Match).
    #[oai(path = "/:id", method = "patch", operation_id = "updateCollaboration")]
    async fn update(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<Uuid>,
        #[oai(name = "If-Match")] if_match: Header<IfMatch>,
        body: Json<CollaborationPatchDto>,
    ) -> ApiResult<CollaborationResponse> {
        let version = if_match.0.version()?;
        let patch = CollaborationPatch {
            name: body.0.name.map(String::from),
            description: body.0.description.map(|d| Some(d.into())),
        };
        Ok(ok(collaborations::update_collaboration(
            &state.db, &auth.0, id.0, version, patch,
        )
        .await?))
    }

    /// Invite a municipality by its code or its id (coordinators).
    #[oai(
        path = "/:id/invitations",
        method = "post",
        operation_id = "inviteMunicipality"
    )]
    async fn invite(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<Uuid>,
        body: Json<Invitation>,
    ) -> ApiResult<CollaborationResponse> {
        let invitee = match (&body.0.municipality_code, body.0.tenant_id) {
            (None, Some(tenant)) => Invitee::Tenant(tenant),
            (Some(code), None) => Invitee::Code(code),
            (None, None) => Invitee::Code(""),
            (Some(_), Some(_)) => {
                return Err(DomainError::invalid(
                    "tenant_id",
                    "conflicting",
                    "give either municipality_code or tenant_id, not both",
                )
                .into());
            }
        };
        Ok(ok(collaborations::invite_municipality(
            &state.db, &auth.0, id.0, invitee,
        )
        .await?))
    }

    /// Accept the municipality's invitation (admins of the invited municipality).
    #[oai(
        path = "/:id/accept",
        method = "post",
        operation_id = "acceptInvitation"
    )]
    async fn accept(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<CollaborationResponse> {
        Ok(ok(
            collaborations::respond(&state.db, &auth.0, id.0, true).await?
        ))
    }

    /// Decline the municipality's invitation.
    #[oai(
        path = "/:id/decline",
        method = "post",
        operation_id = "declineInvitation"
    )]
    async fn decline(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<CollaborationResponse> {
        Ok(ok(
            collaborations::respond(&state.db, &auth.0, id.0, false).await?
        ))
    }

    /// Leave the collaboration. What the municipality shared with it stops
    /// being visible to the others.
    #[oai(
        path = "/:id/leave",
        method = "post",
        operation_id = "leaveCollaboration"
    )]
    async fn leave(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<LeftResponse> {
        collaborations::leave(&state.db, &auth.0, id.0).await?;
        Ok(LeftResponse::Left)
    }

    /// Remove a member or withdraw an invitation (coordinators).
    #[oai(
        path = "/:id/members/:tenant_id",
        method = "delete",
        operation_id = "removeMember"
    )]
    async fn remove(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<Uuid>,
        tenant_id: Path<Uuid>,
    ) -> ApiResult<CollaborationResponse> {
        Ok(ok(collaborations::remove_member(
            &state.db,
            &auth.0,
            id.0,
            tenant_id.0,
        )
        .await?))
    }

    /// Make an active member coordinator, or member again (coordinators).
    #[oai(
        path = "/:id/members/:tenant_id",
        method = "patch",
        operation_id = "setMemberRole"
    )]
    async fn set_role(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<Uuid>,
        tenant_id: Path<Uuid>,
        body: Json<MemberRoleChange>,
    ) -> ApiResult<CollaborationResponse> {
        Ok(ok(collaborations::set_member_role(
            &state.db,
            &auth.0,
            id.0,
            tenant_id.0,
            body.0.role.into(),
        )
        .await?))
    }
}
