//! `/me/calendar` and `/calendar/{token}.ics`: each user's private calendar
//! feed of the municipality's agenda (notice deadlines, re-tender starts,
//! milestones of planned tenders). The feed's address is its only
//! credential: calendar programs cannot log in.

use chrono::{DateTime, Utc};
use poem::http::{HeaderValue, StatusCode, header};
use poem::web::Data;
use poem::{IntoResponse, Response};
use poem_openapi::param::{Header, Path};
use poem_openapi::payload::Json;
use poem_openapi::registry::{
    MetaHeader, MetaMediaType, MetaResponse, MetaResponses, MetaSchema, MetaSchemaRef, Registry,
};
use poem_openapi::types::Type;
use poem_openapi::{ApiResponse, Object, OpenApi};
use samudbud_domain::auth::tokens::token_hash;
use samudbud_domain::calendar::{self, FeedStatus, IssuedFeed, ics};

use super::{API_PREFIX, ApiTags};
use crate::problem::{ApiError, ApiResult};
use crate::security::BearerAuth;
use crate::state::AppState;

pub struct CalendarApi;

/// A new calendar feed. The address holds the secret and is shown this once.
#[derive(Object)]
#[oai(rename = "CalendarFeedCreated", example)]
struct CreatedDto {
    /// The address to subscribe to in Outlook, Google Calendar or Apple
    /// Calendar. Anyone who has it sees the municipality's agenda: keep it
    /// private. Samudbud keeps only a hash.
    url: String,
    /// The token's last four characters, to recognise it by.
    token_hint: String,
    created_at: DateTime<Utc>,
}

impl poem_openapi::types::Example for CreatedDto {
    fn example() -> Self {
        Self {
            url: "https://samudbud.example.dk/api/v1/calendar/\
                  Jq3v9Xo1cLm2Pz8Wk4R7sT0yB6nHd5fGaE2uQx-_Vb1NcZ8rMi3KoLp7YwS9tUe.ics"
                .into(),
            token_hint: "9tUe".into(),
            created_at: DateTime::<Utc>::from_timestamp(1_796_112_000, 0).unwrap_or_default(),
        }
    }
}

/// Whether the caller has a calendar feed; never its address.
#[derive(Object)]
#[oai(rename = "CalendarFeed", skip_serializing_if_is_none, example)]
struct StatusDto {
    active: bool,
    /// The active token's last four characters.
    token_hint: Option<String>,
    created_at: Option<DateTime<Utc>>,
    /// When a calendar program last fetched the feed (to the minute).
    last_used_at: Option<DateTime<Utc>>,
}

impl poem_openapi::types::Example for StatusDto {
    fn example() -> Self {
        Self {
            active: true,
            token_hint: Some("9tUe".into()),
            created_at: DateTime::<Utc>::from_timestamp(1_796_112_000, 0),
            last_used_at: DateTime::<Utc>::from_timestamp(1_796_126_400, 0),
        }
    }
}

impl From<FeedStatus> for StatusDto {
    fn from(s: FeedStatus) -> Self {
        Self {
            active: s.active,
            token_hint: s.token_hint,
            created_at: s.created_at,
            last_used_at: s.last_used_at,
        }
    }
}

#[derive(ApiResponse)]
enum CreatedResponse {
    /// Created; any earlier feed of the caller's no longer answers.
    #[oai(status = 201)]
    Created(Json<CreatedDto>),
}

#[derive(ApiResponse)]
enum RevokedResponse {
    /// Revoked (or there was none).
    #[oai(status = 204)]
    Revoked,
}

/// The feed: an iCalendar document, or 304 when the caller has it.
pub enum IcsResponse {
    Calendar { body: String, etag: String },
    NotModified { etag: String },
}

const TEXT_CALENDAR: &str = "text/calendar; charset=utf-8";
/// Calendar programs poll every few hours; the address is private.
const CACHE_CONTROL: &str = "private, max-age=900";

impl IntoResponse for IcsResponse {
    fn into_response(self) -> Response {
        let (mut response, etag) = match self {
            IcsResponse::Calendar { body, etag } => {
                let mut response = Response::builder().body(body);
                response.headers_mut().insert(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static(TEXT_CALENDAR),
                );
                response.headers_mut().insert(
                    header::CONTENT_DISPOSITION,
                    HeaderValue::from_static("inline; filename=\"samudbud.ics\""),
                );
                (response, etag)
            }
            IcsResponse::NotModified { etag } => (
                Response::builder()
                    .status(StatusCode::NOT_MODIFIED)
                    .finish(),
                etag,
            ),
        };
        let headers = response.headers_mut();
        if let Ok(value) = HeaderValue::from_str(&etag) {
            headers.insert(header::ETAG, value);
        }
        headers.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static(CACHE_CONTROL),
        );
        // The address is the credential: keep it out of referrers and indexes.
        headers.insert(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        );
        headers.insert("x-robots-tag", HeaderValue::from_static("noindex"));
        response
    }
}

impl ApiResponse for IcsResponse {
    fn meta() -> MetaResponses {
        let header = |name: &str, description: &str| MetaHeader {
            name: name.into(),
            description: Some(description.into()),
            required: true,
            deprecated: false,
            schema: String::schema_ref(),
        };
        MetaResponses {
            responses: vec![
                MetaResponse {
                    description: "The agenda as an iCalendar document (RFC 5545).",
                    status: Some(200),
                    status_range: None,
                    content: vec![MetaMediaType {
                        content_type: TEXT_CALENDAR,
                        schema: MetaSchemaRef::Inline(Box::new(MetaSchema::new("string"))),
                    }],
                    headers: vec![
                        header("ETag", "The document's version, for If-None-Match"),
                        header("Cache-Control", "private, max-age=900"),
                    ],
                },
                MetaResponse {
                    description: "Unchanged since the ETag sent in If-None-Match.",
                    status: Some(304),
                    status_range: None,
                    content: vec![],
                    headers: vec![header("ETag", "The document's version")],
                },
            ],
        }
    }

    fn register(_registry: &mut Registry) {}
}

fn feed_url(state: &AppState, issued: &IssuedFeed) -> String {
    format!(
        "{}{API_PREFIX}/calendar/{}.ics",
        state.public_url, issued.token
    )
}

/// The host part of the events' UIDs: the public address's host.
fn uid_host(public_url: &str) -> &str {
    let rest = public_url
        .split_once("://")
        .map_or(public_url, |(_, rest)| rest);
    let authority = rest.split('/').next().unwrap_or(rest);
    let host = authority
        .rsplit_once(':')
        .map_or(authority, |(host, port)| {
            if port.bytes().all(|b| b.is_ascii_digit()) {
                host
            } else {
                authority
            }
        });
    if host.is_empty() { "samudbud" } else { host }
}

fn not_found() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "not-found",
        "Not found",
        Some("no such calendar feed, or it has been revoked".to_owned()),
    )
}

#[OpenApi(tag = "ApiTags::Calendar")]
impl CalendarApi {
    /// Whether the logged-in user has a calendar feed (never its address).
    #[oai(
        path = "/me/calendar",
        method = "get",
        operation_id = "getCalendarFeed"
    )]
    async fn status(&self, state: Data<&AppState>, auth: BearerAuth) -> ApiResult<Json<StatusDto>> {
        Ok(Json(
            calendar::feed_status(&state.db, &auth.0).await?.into(),
        ))
    }

    /// A new private feed address for the logged-in user, shown this once;
    /// the user's earlier address stops working.
    #[oai(
        path = "/me/calendar",
        method = "post",
        operation_id = "createCalendarFeed"
    )]
    async fn create(&self, state: Data<&AppState>, auth: BearerAuth) -> ApiResult<CreatedResponse> {
        let issued = calendar::create_feed(&state.db, &auth.0).await?;
        Ok(CreatedResponse::Created(Json(CreatedDto {
            url: feed_url(&state, &issued),
            token_hint: issued.token_hint,
            created_at: issued.created_at,
        })))
    }

    /// Revoke the logged-in user's feed: its address stops working.
    #[oai(
        path = "/me/calendar",
        method = "delete",
        operation_id = "revokeCalendarFeed"
    )]
    async fn revoke(&self, state: Data<&AppState>, auth: BearerAuth) -> ApiResult<RevokedResponse> {
        calendar::revoke_feed(&state.db, &auth.0).await?;
        Ok(RevokedResponse::Revoked)
    }

    /// The municipality's agenda as an iCalendar feed, for calendar
    /// programs: no login, the address is the credential. `token` is the
    /// feed's token followed by `.ics`. An unknown or revoked address, or
    /// one whose user is deactivated, answers 404.
    #[oai(
        path = "/calendar/:token",
        method = "get",
        operation_id = "calendarFeed"
    )]
    async fn feed(
        &self,
        state: Data<&AppState>,
        /// The feed's token followed by `.ics`.
        token: Path<String>,
        #[oai(name = "If-None-Match")] if_none_match: Header<Option<String>>,
    ) -> ApiResult<IcsResponse> {
        let Some(token) = token.0.strip_suffix(".ics").map(str::to_owned) else {
            return Err(not_found());
        };
        let feed = calendar::feed(&state.db, &token)
            .await
            .map_err(|e| match e {
                samudbud_domain::DomainError::NotFound => not_found(),
                other => other.into(),
            })?;
        let name = format!("Samudbud – {}", feed.tenant_name);
        let body = ics::write(
            &ics::FeedHeader {
                name: &name,
                host: uid_host(&state.public_url),
                base_url: &state.public_url,
            },
            &feed.items,
        );
        let etag = format!("\"{}\"", &token_hash(&body)[..32]);
        let unchanged = if_none_match.0.as_deref().is_some_and(|sent| {
            sent.split(',')
                .any(|tag| tag.trim() == etag || tag.trim() == "*")
        });
        Ok(if unchanged {
            IcsResponse::NotModified { etag }
        } else {
            IcsResponse::Calendar { body, etag }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_uid_host_is_the_public_host_without_port_or_path() {
        assert_eq!(
            uid_host("https://samudbud.example.dk"),
            "samudbud.example.dk"
        );
        assert_eq!(uid_host("http://127.0.0.1:8102"), "127.0.0.1");
        assert_eq!(uid_host("http://intern:8080/samudbud"), "intern");
        assert_eq!(uid_host("http://[::1]:8080"), "[::1]");
    }
}
