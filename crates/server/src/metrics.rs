//! Prometheus metrics: requests by operation and status, and their latency;
//! and who may read them (see `config::MetricsAccess`).

use poem::http::StatusCode;
use poem::web::Data;
use poem::{IntoResponse, Request, Response, handler};
use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounterVec, Opts, Registry, TextEncoder,
};

use crate::problem::ApiError;
use crate::state::AppState;

pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    duration: HistogramVec,
}

impl Metrics {
    pub fn new() -> anyhow::Result<Self> {
        let registry = Registry::new_custom(Some("samudbud".into()), None)?;
        let requests = IntCounterVec::new(
            Opts::new("http_requests_total", "HTTP requests served"),
            &["method", "operation", "status"],
        )?;
        let duration = HistogramVec::new(
            HistogramOpts::new("http_request_duration_seconds", "HTTP request latency").buckets(
                vec![
                    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
                ],
            ),
            &["method", "operation"],
        )?;
        registry.register(Box::new(requests.clone()))?;
        registry.register(Box::new(duration.clone()))?;
        Ok(Self {
            registry,
            requests,
            duration,
        })
    }

    /// Counts one request. `operation` is the API operation id, or a fixed
    /// label for everything else, and methods outside the standard ones
    /// count as `other`, so that clients cannot add label values.
    pub fn observe(&self, method: &str, operation: &str, status: u16, seconds: f64) {
        let method = method_label(method);
        self.requests
            .with_label_values(&[method, operation, &status.to_string()])
            .inc();
        self.duration
            .with_label_values(&[method, operation])
            .observe(seconds);
    }

    pub fn render(&self) -> String {
        let mut buffer = Vec::new();
        if let Err(err) = TextEncoder::new().encode(&self.registry.gather(), &mut buffer) {
            tracing::error!(%err, "encoding metrics failed");
        }
        String::from_utf8(buffer).unwrap_or_default()
    }
}

/// The methods that get a label of their own; any other is `other`.
fn method_label(method: &str) -> &'static str {
    const KNOWN: [&str; 7] = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];
    KNOWN
        .into_iter()
        .find(|known| *known == method)
        .unwrap_or("other")
}

/// `/metrics` on the public address (when no metrics address is set): for
/// the bearer of the metrics token, or, without a token, for requests from
/// the machine itself that no proxy forwarded.
#[handler]
pub fn public_metrics(req: &Request, state: Data<&AppState>) -> Response {
    let refusal = match state.metrics_token.as_deref() {
        Some(token) => without_token(req, token),
        None => not_from_this_machine(req),
    };
    serve_unless(refusal, &state)
}

/// `/metrics` on the internal metrics address: the token, if set, is needed.
#[handler]
pub fn internal_metrics(req: &Request, state: Data<&AppState>) -> Response {
    let refusal = state
        .metrics_token
        .as_deref()
        .and_then(|token| without_token(req, token));
    serve_unless(refusal, &state)
}

fn serve_unless(refusal: Option<ApiError>, state: &AppState) -> Response {
    match refusal {
        None => Response::builder()
            .content_type("text/plain; version=0.0.4")
            .body(state.metrics.render()),
        Some(refusal) => refusal.into_response(),
    }
}

/// The refusal of a request that does not bear `token`.
fn without_token(req: &Request, token: &str) -> Option<ApiError> {
    let presented = req
        .headers()
        .get(poem::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    (!constant_time_eq(presented.trim().as_bytes(), token.as_bytes())).then(|| {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            "Unauthorized",
            Some("the metrics need the metrics token as a bearer token".to_owned()),
        )
    })
}

/// The refusal of a request from elsewhere. A loopback peer is this
/// machine, unless a proxy on it forwarded the request from elsewhere.
fn not_from_this_machine(req: &Request) -> Option<ApiError> {
    let loopback = req
        .remote_addr()
        .as_socket_addr()
        .is_some_and(|addr| addr.ip().to_canonical().is_loopback());
    let forwarded = ["forwarded", "x-forwarded-for", "x-real-ip"]
        .iter()
        .any(|name| req.headers().contains_key(*name));
    (!loopback || forwarded).then(|| {
        ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "Forbidden",
            Some(
                "metrics are served to this machine only; set SAMUDBUD_METRICS_TOKEN or \
                 SAMUDBUD_METRICS_ADDR to serve them to Prometheus"
                    .to_owned(),
            ),
        )
    })
}

/// Compares without an early exit, so the time taken tells nothing of the token.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn methods_are_labelled_from_a_fixed_set() {
        assert_eq!(method_label("GET"), "GET");
        assert_eq!(method_label("PATCH"), "PATCH");
        assert_eq!(method_label("FOOBAR"), "other");
        assert_eq!(method_label("get"), "other");
    }

    #[test]
    fn tokens_compare_whole() {
        assert!(constant_time_eq(b"secret", b"secret"));
        assert!(!constant_time_eq(b"secret", b"secreT"));
        assert!(!constant_time_eq(b"secret", b"secret2"));
        assert!(!constant_time_eq(b"", b"secret"));
    }
}
