//! The layers every request passes: request id, tracing span, metrics and
//! access log; the body size limit; security headers; the character rule
//! for query and path parameters; and the panic catcher, innermost, so that
//! a panic still gets all the others.

use std::any::Any;
use std::sync::Arc;
use std::time::Instant;

use poem::http::{HeaderValue, Method, StatusCode, header};
use poem::{Endpoint, IntoResponse, Request, Response, Result};
use poem_openapi::OperationId;
use samudbud_domain::FieldError;
use samudbud_domain::rate_limits::Admission;
use samudbud_domain::values::{Lines, check_chars};
use tracing::Instrument;
use uuid::Uuid;

use crate::problem::{ApiError, REQUEST_ID, render_error};
use crate::state::AppState;

pub const REQUEST_ID_HEADER: &str = "x-request-id";

tokio::task_local! {
    /// The rate limiter's answer to this request, when an API client made it.
    static ADMISSION: Arc<std::sync::Mutex<Option<Admission>>>;
}

/// Keeps the rate limiter's answer for the request being served, so that
/// its response carries the `RateLimit` headers.
pub fn note_admission(admission: Admission) {
    let _ = ADMISSION.try_with(|slot| {
        if let Ok(mut slot) = slot.lock() {
            *slot = Some(admission);
        }
    });
}

/// Adds the `RateLimit-Policy` and `RateLimit` headers (IETF httpapi
/// draft, structured fields) to the response of a rate-limited request: the
/// client's limit per window, what is left of it and when it is whole again.
fn add_rate_limit_headers(response: &mut Response, slot: &std::sync::Mutex<Option<Admission>>) {
    let Some(a) = slot.lock().ok().and_then(|slot| *slot) else {
        return;
    };
    let headers = response.headers_mut();
    if let Ok(policy) =
        HeaderValue::from_str(&format!("\"client\";q={};w={}", a.limit, a.window_secs))
    {
        headers.insert("ratelimit-policy", policy);
    }
    if let Ok(state) =
        HeaderValue::from_str(&format!("\"client\";r={};t={}", a.remaining, a.reset_secs))
    {
        headers.insert("ratelimit", state);
    }
}

/// Gives the request an id (the caller's `X-Request-Id` if it is sensible,
/// else a new one), runs it in a span, renders any error as problem+json,
/// adds an API client's rate-limit headers, and records the outcome in the
/// log and the metrics.
pub async fn observe<E: Endpoint>(next: Arc<E>, req: Request) -> Result<Response> {
    let request_id = req
        .headers()
        .get(REQUEST_ID_HEADER)
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty() && v.len() <= 64 && v.chars().all(|c| c.is_ascii_graphic()))
        .map(str::to_owned)
        .unwrap_or_else(|| Uuid::new_v4().to_string());
    let method = req.method().to_string();
    let path = req.uri().path().to_owned();
    let state = req.data::<AppState>().cloned();
    // Every line logged while serving the request carries its id, work
    // spawned by a handler too (`in_current_span`), and the response
    // carries it as `X-Request-Id`, so a user's report finds its log lines.
    let span = tracing::info_span!("request", request_id = %request_id, %method, %path);
    let started = Instant::now();

    let admission = Arc::new(std::sync::Mutex::new(None));
    // A read's account and what it reads at once share one connection
    // (`samudbud_domain::db::one_connection_for_reads`).
    let reads = matches!(*req.method(), Method::GET | Method::HEAD);
    let serve = async move {
        match next.call(req).await {
            Ok(output) => output.into_response(),
            Err(err) => render_error(err).await,
        }
    };
    let mut response = REQUEST_ID
        .scope(
            request_id.clone(),
            ADMISSION.scope(
                admission.clone(),
                samudbud_domain::db::one_connection_for_reads(reads, serve),
            ),
        )
        .instrument(span.clone())
        .await;
    add_rate_limit_headers(&mut response, &admission);

    let elapsed = started.elapsed();
    let status = response.status();
    let operation = response.data::<OperationId>().map(|op| op.0).unwrap_or(
        if status == StatusCode::NOT_FOUND {
            "unmatched"
        } else {
            "other"
        },
    );
    span.in_scope(|| {
        if status.is_server_error() {
            tracing::error!(
                status = status.as_u16(),
                operation,
                ms = elapsed.as_millis() as u64,
                "served"
            );
        } else {
            tracing::info!(
                status = status.as_u16(),
                operation,
                ms = elapsed.as_millis() as u64,
                "served"
            );
        }
    });
    if let Some(state) = state {
        state
            .metrics
            .observe(&method, operation, status.as_u16(), elapsed.as_secs_f64());
    }
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        response.headers_mut().insert(REQUEST_ID_HEADER, value);
    }
    Ok(response)
}

/// Refuses bodies larger than `limit` bytes with 413, whether or not the
/// client announced the length.
pub async fn limit_body<E: Endpoint>(
    next: Arc<E>,
    mut req: Request,
    limit: usize,
) -> Result<Response> {
    let announced = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let too_large = || {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload-too-large",
            "Payload too large",
            Some(format!("request bodies are limited to {limit} bytes")),
        )
    };
    // The unread rest of the body stays on the connection, so the answer
    // closes it rather than leave the client a connection it cannot reuse.
    let refuse = || {
        let mut response = too_large().into_response();
        response
            .headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
        Ok(response)
    };
    match announced {
        Some(length) if length > limit as u64 => return refuse(),
        Some(_) => {}
        None if req.headers().contains_key(header::TRANSFER_ENCODING) => {
            match req.take_body().into_bytes_limit(limit).await {
                Ok(body) => req.set_body(body),
                Err(_) => return refuse(),
            }
        }
        None => {}
    }
    next.call(req).await.map(IntoResponse::into_response)
}

/// Headers that every response carries. `/api/docs` loads its scripts from
/// its own page, so it gets a looser script policy than the web app.
pub async fn security_headers<E: Endpoint>(next: Arc<E>, req: Request) -> Result<Response> {
    let is_docs = req.uri().path().starts_with("/api/docs");
    // Vite names built assets by content hash, so they never change.
    let is_hashed_asset = req.uri().path().starts_with("/assets/");
    let mut response = match next.call(req).await {
        Ok(output) => output.into_response(),
        Err(err) => render_error(err).await,
    };
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    let policy = if is_docs {
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; \
         img-src 'self' data:; frame-ancestors 'none'"
    } else {
        "default-src 'self'; img-src 'self' data:; font-src 'self' data:; object-src 'none'; \
         base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    };
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(policy),
    );
    if !headers.contains_key(header::CACHE_CONTROL) {
        let cache = if is_hashed_asset && response.status().is_success() {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        };
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    }
    Ok(response)
}

/// A 405 names the methods the path does offer (RFC 9110 §15.5.6), which
/// the router's own error does not carry.
pub async fn allow_methods<E: Endpoint>(next: Arc<E>, req: Request) -> Result<Response> {
    let path = req.uri().path().to_owned();
    let mut response = match next.call(req).await {
        Ok(output) => output.into_response(),
        Err(err) => render_error(err).await,
    };
    if response.status() == StatusCode::METHOD_NOT_ALLOWED
        && let Some(allow) = crate::api::allowed_methods(&path)
        && let Ok(value) = HeaderValue::from_str(&allow)
    {
        response.headers_mut().insert(header::ALLOW, value);
    }
    Ok(response)
}

/// Refuses a request whose query or path parameters hold characters no
/// parameter may hold (NUL and other control characters, bidirectional
/// overrides), naming the parameter. Every parameter of every operation
/// passes here, so no handler and no database sees them; JSON bodies get the
/// same rule field by field in the domain's validated texts.
pub async fn check_parameters<E: Endpoint>(next: Arc<E>, req: Request) -> Result<Response> {
    if let Some(errors) = parameter_errors(req.uri().path(), req.uri().query()) {
        return Ok(ApiError::validation(
            StatusCode::UNPROCESSABLE_ENTITY,
            "a parameter holds characters that are not allowed",
            errors,
        )
        .into_response());
    }
    next.call(req).await.map(IntoResponse::into_response)
}

fn parameter_errors(path: &str, query: Option<&str>) -> Option<Vec<FieldError>> {
    let mut errors = Vec::new();
    let decoded_path = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
    if let Err(e) = check_chars("path", &decoded_path, Lines::Single) {
        errors.push(e);
    }
    for (name, value) in form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
        let field = if check_chars("", &name, Lines::Single).is_ok() {
            name.as_ref()
        } else {
            "query"
        };
        if let Err(e) = check_chars(field, &value, Lines::Single) {
            errors.push(e);
        } else if field == "query" {
            errors.push(FieldError::new(
                "query",
                "invalid_character",
                "a parameter name holds control characters",
            ));
        }
    }
    (!errors.is_empty()).then_some(errors)
}

/// The answer to a handler that panicked: logged with the panic's message,
/// then a problem like any other internal error. Runs inside the request's
/// span and the layers above, so the answer carries the request id and the
/// security headers, and is logged and counted.
pub fn panicked(payload: Box<dyn Any + Send>) -> Response {
    let message = payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(no message)".to_owned());
    tracing::error!(panic = %message, "a request handler panicked");
    ApiError::internal().into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_with_control_characters_are_named() {
        assert!(
            parameter_errors("/api/v1/contracts", Some("q=Sor%C3%B8+kommune&page=2")).is_none()
        );
        let errors =
            parameter_errors("/api/v1/contracts", Some("page=1&q=a%00b")).unwrap_or_default();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, "q");
        let errors =
            parameter_errors("/api/v1/contracts", Some("owner=%E2%80%AEevil")).unwrap_or_default();
        assert_eq!(errors[0].field, "owner");
        let errors = parameter_errors("/api/v1/contracts/a%01b", None).unwrap_or_default();
        assert_eq!(errors[0].field, "path");
        let errors = parameter_errors("/", Some("a%00=1")).unwrap_or_default();
        assert_eq!(errors[0].field, "query");
    }
}
