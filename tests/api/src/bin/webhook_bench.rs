//! Webhook delivery latency and outbox throughput with one local receiver.
//!
//!     cargo run --release -p samudbud-api-tests --bin webhook-bench -- [EDITS] [EVENTS] [TICK_MS]
//!
//! Starts the server in-process on a fresh SQLite database (PostgreSQL when
//! `SAMUDBUD_TEST_POSTGRES_URL` is set and `WEBHOOK_BENCH_DB=postgres`) with
//! its dispatcher polling every TICK_MS (default 1000, the server's
//! default) and a receiver on 127.0.0.1 answering 200. Latency: EDITS
//! (default 50) contract edits one after another over the API, each timed
//! from the API's answer to the receiver's receipt of the signed
//! `contract.updated`. Throughput: EVENTS (default 2000) events about
//! distinct contracts written to the outbox in one transaction, timed from
//! the commit until the receiver has them all.

#![allow(clippy::unwrap_used)] // a benchmark that cannot run should stop loudly

use std::time::{Duration, Instant};

use reqwest::{Method, StatusCode};
use samudbud_api_tests::receiver::Receiver;
use samudbud_api_tests::{Backend, TestApp, expect_json};
use samudbud_domain::webhooks::{self, EventType};
use samudbud_domain::{Role, Scope};
use serde_json::json;

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let edits: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(50);
    let events: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(2000);
    let tick_ms: u64 = args.get(3).and_then(|a| a.parse().ok()).unwrap_or(1000);
    let backend = match std::env::var("WEBHOOK_BENCH_DB").as_deref() {
        Ok("postgres") => Backend::Postgres,
        _ => Backend::Sqlite,
    };
    let app = TestApp::start_with(backend, |settings| {
        settings.webhooks.enabled = true;
        settings.webhooks.allow_loopback_http = true;
        settings.webhooks.tick = Duration::from_millis(tick_ms);
    })
    .await
    .expect("the database is available");
    let tenant = app.create_tenant("Bench Kommune", "329").await;
    app.create_user(tenant, "admin@bench.dk", Role::Admin).await;
    let token = app.token("admin@bench.dk").await;
    let receiver = Receiver::start().await;
    let endpoint = app
        .request(Method::POST, "/api/v1/webhooks/endpoints", Some(&token))
        .json(
            &json!({"url": receiver.url, "event_types": ["contract.created", "contract.updated"]}),
        )
        .send()
        .await
        .unwrap();
    expect_json(endpoint, StatusCode::CREATED).await;
    let supplier = app
        .request(Method::POST, "/api/v1/suppliers", Some(&token))
        .json(&json!({"cvr": "29188955", "name": "KMD A/S"}))
        .send()
        .await
        .unwrap();
    assert!(supplier.status().is_success());
    let supplier: serde_json::Value = supplier.json().await.unwrap();
    let contract = app
        .request(Method::POST, "/api/v1/contracts", Some(&token))
        .json(&json!({"title": "Bench", "supplier_id": supplier["id"], "start_on": "2024-01-01"}))
        .send()
        .await
        .unwrap();
    let contract = expect_json(contract, StatusCode::CREATED).await;
    let id = contract["id"].as_str().unwrap().to_owned();
    receiver.wait_for(1, Duration::from_secs(10)).await;

    let mut latencies = Vec::with_capacity(edits);
    for n in 0..edits {
        let before = receiver.received().len();
        let response = app
            .request(Method::PUT, &format!("/api/v1/contracts/{id}"), Some(&token))
            .header("if-match", format!("\"{}\"", n + 1))
            .json(&json!({"title": format!("Bench {n}"), "supplier_id": supplier["id"], "start_on": "2024-01-01"}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let answered = Instant::now();
        let received = receiver.wait_for(before + 1, Duration::from_secs(30)).await;
        let arrived = received.last().unwrap().at;
        latencies.push(arrived.saturating_duration_since(answered).as_secs_f64() * 1000.0);
    }
    latencies.sort_by(f64::total_cmp);
    println!(
        "latency over {edits} edits (tick {tick_ms} ms, {backend:?}): median {:.1} ms, p95 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.95),
        percentile(&latencies, 0.99),
        latencies.last().copied().unwrap_or_default(),
    );

    let before = receiver.received().len();
    let txn = app.db.write(Scope::Tenant(tenant)).await.unwrap();
    for _ in 0..events {
        webhooks::enqueue(
            &txn,
            tenant,
            EventType::ContractUpdated,
            uuid::Uuid::new_v4(),
            json!({"bench": true}),
        )
        .await
        .unwrap();
    }
    txn.commit().await.unwrap();
    let committed = Instant::now();
    let received = receiver
        .wait_for(before + events, Duration::from_secs(600))
        .await;
    let last = received.last().unwrap().at;
    let got = received.len() - before;
    let seconds = last.saturating_duration_since(committed).as_secs_f64();
    println!(
        "throughput: {got} events through the outbox in {seconds:.2} s = {:.0} events/s",
        got as f64 / seconds
    );
}
