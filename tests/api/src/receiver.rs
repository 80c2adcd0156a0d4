//! A webhook receiver for tests: a small HTTP server on 127.0.0.1 that
//! records every request and answers with the status it is told, and the
//! Standard Webhooks signature check computed here, independently of the
//! server's code.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU16, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use poem::http::{HeaderMap, StatusCode};
use poem::listener::{Acceptor, Listener, TcpListener};
use poem::web::Data;
use poem::{EndpointExt, Route, handler, post};
use sha2::Sha256;

/// One request the receiver got.
#[derive(Debug, Clone)]
pub struct Received {
    /// Header names lower-cased.
    pub headers: HashMap<String, String>,
    pub body: String,
    pub at: Instant,
}

impl Received {
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .map(String::as_str)
            .unwrap_or_default()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_default()
    }
}

#[derive(Default)]
struct Shared {
    received: Mutex<Vec<Received>>,
    status: AtomicU16,
    /// How long to wait before answering, in milliseconds.
    hold_ms: AtomicU64,
    arrived: tokio::sync::Notify,
}

pub struct Receiver {
    /// Where to point an endpoint: `http://127.0.0.1:PORT/hook`.
    pub url: String,
    shared: Arc<Shared>,
}

#[handler]
async fn hook(shared: Data<&Arc<Shared>>, headers: &HeaderMap, body: String) -> StatusCode {
    let headers = headers
        .iter()
        .map(|(name, value)| {
            (
                name.as_str().to_ascii_lowercase(),
                value.to_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    shared.received.lock().unwrap().push(Received {
        headers,
        body,
        at: Instant::now(),
    });
    shared.arrived.notify_waiters();
    let hold = shared.hold_ms.load(Ordering::SeqCst);
    if hold > 0 {
        tokio::time::sleep(Duration::from_millis(hold)).await;
    }
    StatusCode::from_u16(shared.status.load(Ordering::SeqCst)).unwrap_or(StatusCode::OK)
}

impl Receiver {
    /// Starts a receiver answering 200.
    pub async fn start() -> Self {
        let shared = Arc::new(Shared::default());
        shared.status.store(200, Ordering::SeqCst);
        let acceptor = TcpListener::bind("127.0.0.1:0")
            .into_acceptor()
            .await
            .unwrap();
        let addr = acceptor.local_addr()[0].as_socket_addr().copied().unwrap();
        let app = Route::new().at("/hook", post(hook)).data(shared.clone());
        tokio::spawn(poem::Server::new_with_acceptor(acceptor).run(app));
        Self {
            url: format!("http://{addr}/hook"),
            shared,
        }
    }

    /// Records each request at once but answers it only after `hold`, from
    /// now on: a delivery stays in flight.
    pub fn hold_answers(&self, hold: Duration) {
        let ms = u64::try_from(hold.as_millis()).unwrap_or(u64::MAX);
        self.shared.hold_ms.store(ms, Ordering::SeqCst);
    }

    /// Answers `status` from now on.
    pub fn answer_with(&self, status: u16) {
        self.shared.status.store(status, Ordering::SeqCst);
    }

    pub fn received(&self) -> Vec<Received> {
        self.shared.received.lock().unwrap().clone()
    }

    /// Waits until `count` requests have arrived (at most `limit`).
    pub async fn wait_for(&self, count: usize, limit: Duration) -> Vec<Received> {
        let deadline = tokio::time::Instant::now() + limit;
        loop {
            let notified = self.shared.arrived.notified();
            let received = self.received();
            if received.len() >= count || tokio::time::Instant::now() >= deadline {
                return received;
            }
            tokio::select! {
                () = notified => {}
                () = tokio::time::sleep_until(deadline) => {}
            }
        }
    }
}

/// Whether `received` carries a valid Standard Webhooks signature for
/// `secret` (`whsec_…`): `v1,` and base64 of HMAC-SHA256, keyed with the
/// base64-decoded secret, over `id.timestamp.body`.
pub fn signature_verifies(secret: &str, received: &Received) -> bool {
    let key = STANDARD
        .decode(secret.strip_prefix("whsec_").unwrap_or(secret))
        .unwrap();
    let signed = format!(
        "{}.{}.{}",
        received.header("webhook-id"),
        received.header("webhook-timestamp"),
        received.body
    );
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).unwrap();
    mac.update(signed.as_bytes());
    let expected = format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()));
    // The header may list several signatures, separated by spaces.
    received
        .header("webhook-signature")
        .split(' ')
        .any(|candidate| candidate == expected)
}
