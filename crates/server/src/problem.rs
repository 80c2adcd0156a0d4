//! RFC 9457 problem details: the one shape of every error response, and the
//! one mapping from domain errors (and poem's own errors for malformed
//! requests, unknown routes and oversized bodies) to it. Internal causes are
//! logged here, once, and never sent.

use poem::http::{HeaderValue, StatusCode, header};
use poem::{IntoResponse, Response};
use poem_openapi::registry::{
    MetaHeader, MetaMediaType, MetaResponse, MetaResponses, MetaSchemaRef, Registry,
};
use poem_openapi::types::Type;
use poem_openapi::{ApiResponse, Object};
use samudbud_domain::{DomainError, FieldError};

pub const PROBLEM_JSON: &str = "application/problem+json";

tokio::task_local! {
    /// The id of the request being served, for problems and logs.
    pub static REQUEST_ID: String;
}

fn current_request_id() -> Option<String> {
    REQUEST_ID.try_with(Clone::clone).ok()
}

/// One invalid input field.
#[derive(Debug, Clone, Object)]
pub struct ProblemField {
    /// The field as the request named it (a JSON property or a parameter).
    pub field: String,
    /// A stable machine-readable reason: `required`, `invalid`, `too_short`,
    /// `too_long`, `out_of_range`, `checksum`, `taken`, `last_admin`, …
    pub code: String,
    /// An English explanation for developers.
    pub message: String,
}

/// An error, as `application/problem+json` (RFC 9457).
#[derive(Debug, Clone, Object)]
#[oai(rename = "Problem")]
pub struct Problem {
    /// A URI identifying the kind of problem.
    #[oai(rename = "type")]
    pub kind: String,
    /// A short summary of the kind of problem.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// What went wrong in this occurrence.
    #[oai(skip_serializing_if_is_none)]
    pub detail: Option<String>,
    /// The request's id, also in the `X-Request-Id` header; quote it when reporting a problem.
    #[oai(skip_serializing_if_is_none)]
    pub request_id: Option<String>,
    /// For invalid input: each offending field.
    #[oai(skip_serializing_if_is_none)]
    pub errors: Option<Vec<ProblemField>>,
}

/// An error response of the API.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub problem: Problem,
    pub retry_after_secs: Option<u64>,
}

impl ApiError {
    pub fn new(
        status: StatusCode,
        slug: &str,
        title: &str,
        detail: impl Into<Option<String>>,
    ) -> Self {
        Self {
            problem: Problem {
                kind: format!("https://samudbud.dk/problems/{slug}"),
                title: title.to_owned(),
                status: status.as_u16(),
                detail: detail.into(),
                request_id: current_request_id(),
                errors: None,
            },
            retry_after_secs: None,
        }
    }

    pub fn validation(status: StatusCode, detail: &str, errors: Vec<FieldError>) -> Self {
        let mut error = Self::new(
            status,
            "invalid-input",
            "Invalid input",
            Some(detail.to_owned()),
        );
        error.problem.errors = Some(errors.into_iter().map(field).collect());
        error
    }

    pub fn internal() -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "Internal server error",
            Some("the server failed to handle the request; it has been logged".to_owned()),
        )
    }

    pub fn status(&self) -> StatusCode {
        StatusCode::from_u16(self.problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }
}

fn field(error: FieldError) -> ProblemField {
    ProblemField {
        field: error.field,
        code: error.code.to_owned(),
        message: error.message,
    }
}

impl From<DomainError> for ApiError {
    fn from(err: DomainError) -> Self {
        match err {
            DomainError::NotFound => ApiError::new(
                StatusCode::NOT_FOUND,
                "not-found",
                "Not found",
                Some("no such object, or it is not visible to you".to_owned()),
            ),
            DomainError::Forbidden(why) => ApiError::new(
                StatusCode::FORBIDDEN,
                "forbidden",
                "Forbidden",
                Some(why.to_owned()),
            ),
            DomainError::Unauthenticated(why) => ApiError::new(
                StatusCode::UNAUTHORIZED,
                "unauthenticated",
                "Unauthenticated",
                Some(why.to_owned()),
            ),
            DomainError::Validation(errors) => ApiError::validation(
                StatusCode::UNPROCESSABLE_ENTITY,
                "one or more fields are invalid",
                errors,
            ),
            DomainError::Conflict {
                message,
                field: offending,
            } => {
                let mut error =
                    ApiError::new(StatusCode::CONFLICT, "conflict", "Conflict", Some(message));
                error.problem.errors = offending.map(|f| vec![field(f)]);
                error
            }
            DomainError::PreconditionRequired => ApiError::new(
                StatusCode::PRECONDITION_REQUIRED,
                "precondition-required",
                "Precondition required",
                Some("send If-Match with the ETag of your last read of this object".to_owned()),
            ),
            DomainError::PreconditionFailed => ApiError::new(
                StatusCode::PRECONDITION_FAILED,
                "precondition-failed",
                "Precondition failed",
                Some("the object has changed since you read it; read it again".to_owned()),
            ),
            DomainError::TooManyRequests { retry_after_secs } => {
                let mut error = ApiError::new(
                    StatusCode::TOO_MANY_REQUESTS,
                    "too-many-requests",
                    "Too many requests",
                    Some(format!(
                        "too many failed attempts; try again in {retry_after_secs} seconds"
                    )),
                );
                error.retry_after_secs = Some(retry_after_secs);
                error
            }
            DomainError::Gone(detail) => {
                ApiError::new(StatusCode::GONE, "gone", "Gone", Some(detail))
            }
            DomainError::Upstream(detail) => ApiError::new(
                StatusCode::BAD_GATEWAY,
                "bad-gateway",
                "Bad gateway",
                Some(detail),
            ),
            DomainError::Internal(cause) => {
                tracing::error!(%cause, "internal error");
                ApiError::internal()
            }
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.problem.status, self.problem.title)
    }
}

impl std::error::Error for ApiError {}

impl poem::error::ResponseError for ApiError {
    fn status(&self) -> StatusCode {
        ApiError::status(self)
    }

    fn as_response(&self) -> Response {
        let body = serde_json::to_vec(&poem_openapi::types::ToJSON::to_json(&self.problem))
            .unwrap_or_default();
        let mut response = Response::builder()
            .status(self.status())
            .content_type(PROBLEM_JSON)
            .body(body);
        if let Some(secs) = self.retry_after_secs {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        if self.status() == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"samudbud\""),
            );
        }
        response
    }
}

/// The error statuses an operation may answer, all as problem+json.
const DOCUMENTED: [(u16, &str); 9] = [
    (
        400,
        "Malformed request: the body or a parameter could not be read.",
    ),
    (401, "Missing, invalid or expired credentials."),
    (403, "The principal's role or scopes do not allow this."),
    (404, "No such object, or not visible to the principal."),
    (409, "The change conflicts with the current state."),
    (412, "If-Match names an older version; nothing was changed."),
    (
        422,
        "Well-formed but invalid input; `errors` lists each field.",
    ),
    (428, "The write needs If-Match."),
    (
        429,
        "Too many attempts, or an API client's requests beyond its rate limit; see Retry-After.",
    ),
];

/// The headers of a 429: when to try again, and for API clients the limit
/// and what is left of it.
fn too_many_headers() -> Vec<MetaHeader> {
    let header = |name: &str, description: &str, schema: MetaSchemaRef| MetaHeader {
        name: name.to_owned(),
        description: Some(description.to_owned()),
        required: false,
        deprecated: false,
        schema,
    };
    vec![
        header(
            "Retry-After",
            "Seconds until a request will be admitted.",
            u64::schema_ref(),
        ),
        header(
            "RateLimit-Policy",
            "An API client's limit: `\"client\";q=<requests>;w=<seconds>` (IETF RateLimit header fields).",
            String::schema_ref(),
        ),
        header(
            "RateLimit",
            "What is left of an API client's limit: `\"client\";r=<remaining>;t=<seconds until whole again>`.",
            String::schema_ref(),
        ),
    ]
}

impl ApiResponse for ApiError {
    fn meta() -> MetaResponses {
        MetaResponses {
            responses: DOCUMENTED
                .iter()
                .map(|(status, description)| MetaResponse {
                    description,
                    status: Some(*status),
                    status_range: None,
                    content: vec![MetaMediaType {
                        content_type: PROBLEM_JSON,
                        schema: MetaSchemaRef::Reference(Problem::name().into_owned()),
                    }],
                    headers: if *status == 429 {
                        too_many_headers()
                    } else {
                        vec![]
                    },
                })
                .collect(),
        }
    }

    fn register(registry: &mut Registry) {
        Problem::register(registry);
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

/// Renders any error that reached the outermost layer as problem+json:
/// malformed bodies and parameters, unknown routes, wrong methods, missing
/// credentials, oversized bodies — and our own `ApiError`s unchanged.
pub async fn render_error(err: poem::Error) -> Response {
    // The operation the error came from, kept for metrics and logs.
    let operation = err
        .data::<poem_openapi::OperationId>()
        .map(|op| poem_openapi::OperationId(op.0));
    let mut response = problem_response(err);
    if let Some(operation) = operation {
        response.set_data(operation);
    }
    response
}

fn problem_response(err: poem::Error) -> Response {
    if let Some(api) = err.downcast_ref::<ApiError>() {
        return poem::error::ResponseError::as_response(api);
    }
    use poem_openapi::error::{
        AuthorizationError, ContentTypeError, ParseParamError, ParsePathError,
        ParseRequestPayloadError,
    };
    let status = err.status();
    let api = if let Some(e) = err.downcast_ref::<ParseParamError>() {
        ApiError::validation(
            StatusCode::BAD_REQUEST,
            "a parameter could not be read",
            vec![FieldError::new(e.name, "invalid", e.reason.clone())],
        )
    } else if let Some(e) = err.downcast_ref::<ParsePathError>() {
        ApiError::validation(
            StatusCode::BAD_REQUEST,
            "a path parameter could not be read",
            vec![FieldError::new(e.name, "invalid", e.reason.clone())],
        )
    } else if let Some(e) = err.downcast_ref::<ParseRequestPayloadError>() {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "malformed-body",
            "Malformed request body",
            Some(e.reason.clone()),
        )
    } else if err.is::<ContentTypeError>() {
        ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported-media-type",
            "Unsupported media type",
            Some(err.to_string()),
        )
    } else if err.is::<AuthorizationError>() {
        ApiError::from(DomainError::Unauthenticated("a bearer token is required"))
    } else if status.is_server_error() {
        tracing::error!(error = %err, "unhandled error");
        ApiError::internal()
    } else {
        let title = status.canonical_reason().unwrap_or("Error");
        let slug = title.to_lowercase().replace(' ', "-");
        ApiError::new(status, &slug, title, Some(err.to_string()))
    };
    poem::error::ResponseError::as_response(&api)
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        poem::error::ResponseError::as_response(&self)
    }
}
