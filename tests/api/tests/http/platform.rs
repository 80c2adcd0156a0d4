//! Health, metrics, errors for what no operation handles, headers.

use reqwest::{Method, StatusCode};
use samudbud_api_tests::{
    TestApp, expect_announced_problem, expect_json, expect_problem, on_both_databases,
};

on_both_databases!(
    health_and_readiness_answer,
    metrics_count_requests_by_operation,
    unknown_routes_and_methods_are_problems,
    responses_carry_security_headers_and_request_ids,
    oversized_and_malformed_bodies_are_problems,
    the_spec_and_docs_are_served,
);

async fn health_and_readiness_answer(app: TestApp) {
    let health = app
        .request(Method::GET, "/healthz", None)
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), StatusCode::OK);
    let ready = app
        .request(Method::GET, "/readyz", None)
        .send()
        .await
        .unwrap();
    assert_eq!(ready.status(), StatusCode::OK);
}

async fn metrics_count_requests_by_operation(app: TestApp) {
    let response = app
        .request(Method::GET, "/api/v1/me", None)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let metrics = app
        .request(Method::GET, "/metrics", None)
        .send()
        .await
        .unwrap();
    assert_eq!(metrics.status(), StatusCode::OK);
    let text = metrics.text().await.unwrap();
    assert!(
        text.contains(
            r#"samudbud_http_requests_total{method="GET",operation="getMe",status="401"} 1"#
        ),
        "{text}"
    );
    assert!(
        text.contains("samudbud_http_request_duration_seconds_bucket"),
        "{text}"
    );
}

async fn unknown_routes_and_methods_are_problems(app: TestApp) {
    let missing = app
        .request(Method::GET, "/api/v1/nothing-here", None)
        .send()
        .await
        .unwrap();
    expect_problem(missing, StatusCode::NOT_FOUND).await;
    let wrong_method = app
        .request(Method::PUT, "/api/v1/auth/login", None)
        .send()
        .await
        .unwrap();
    expect_problem(wrong_method, StatusCode::METHOD_NOT_ALLOWED).await;
}

async fn responses_carry_security_headers_and_request_ids(app: TestApp) {
    let response = app
        .request(Method::GET, "/api/v1/me", None)
        .header("x-request-id", "trace-me-123")
        .send()
        .await
        .unwrap();
    let headers = response.headers().clone();
    assert_eq!(headers["x-request-id"], "trace-me-123");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["referrer-policy"], "no-referrer");
    let csp = headers["content-security-policy"].to_str().unwrap();
    assert!(
        csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    let problem = expect_problem(response, StatusCode::UNAUTHORIZED).await;
    assert_eq!(problem["request_id"], "trace-me-123");

    let generated = app
        .request(Method::GET, "/healthz", None)
        .send()
        .await
        .unwrap();
    let id = generated.headers()["x-request-id"].to_str().unwrap();
    assert_eq!(id.len(), 36, "a UUID: {id}");
}

async fn oversized_and_malformed_bodies_are_problems(app: TestApp) {
    let huge = "x".repeat(100 * 1024);
    let announced = app
        .announce_body(
            Method::POST,
            "/api/v1/auth/login",
            None,
            "application/json",
            100 * 1024,
        )
        .await;
    expect_announced_problem(announced, StatusCode::PAYLOAD_TOO_LARGE);

    // Chunked, without a Content-Length: the server stops reading at the
    // limit and answers 413 (the client may see the connection close first,
    // while it is still sending).
    let stream = futures_stream(huge.into_bytes());
    let response = app
        .request(Method::POST, "/api/v1/auth/login", None)
        .header("content-type", "application/json")
        .body(reqwest::Body::wrap_stream(stream))
        .send()
        .await;
    if let Ok(response) = response {
        expect_problem(response, StatusCode::PAYLOAD_TOO_LARGE).await;
    }

    let malformed = app
        .request(Method::POST, "/api/v1/auth/login", None)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    expect_problem(malformed, StatusCode::BAD_REQUEST).await;

    let wrong_type = app
        .request(Method::POST, "/api/v1/auth/login", None)
        .json(&serde_json::json!({"email": 42, "password": ["x"]}))
        .send()
        .await
        .unwrap();
    expect_problem(wrong_type, StatusCode::BAD_REQUEST).await;

    let not_json = app
        .request(Method::POST, "/api/v1/auth/login", None)
        .header("content-type", "text/plain")
        .body("email=a")
        .send()
        .await
        .unwrap();
    expect_problem(not_json, StatusCode::UNSUPPORTED_MEDIA_TYPE).await;
}

fn futures_stream(bytes: Vec<u8>) -> impl futures::Stream<Item = Result<Vec<u8>, std::io::Error>> {
    futures::stream::iter(
        bytes
            .chunks(8192)
            .map(|c| Ok(c.to_vec()))
            .collect::<Vec<_>>(),
    )
}

async fn the_spec_and_docs_are_served(app: TestApp) {
    let spec = app
        .request(Method::GET, "/api/v1/openapi.json", None)
        .send()
        .await
        .unwrap();
    let spec = expect_json(spec, StatusCode::OK).await;
    assert_eq!(spec["info"]["title"], "Samudbud API");
    let docs = app
        .request(Method::GET, "/api/docs", None)
        .send()
        .await
        .unwrap();
    assert_eq!(docs.status(), StatusCode::OK);
}
