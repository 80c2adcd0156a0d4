//! The response cache: the written JSON of the register's most read
//! answers (the contract list, a contract, `/overview`, `/deadlines`), kept
//! in memory and given again to the same caller while nothing it could show
//! has changed.
//!
//! An answer is kept under everything that decides it: the caller (the
//! user and role, or the API client and its scopes), its municipality's
//! view version (`samudbud_domain::view_versions`, read with the account
//! before the answer), the day (deadlines and statuses count from today),
//! and the request's path and query. A committed change moves the version,
//! so the next request, on this server or any other, asks for a key that
//! was never kept and reads afresh. Nothing is ever invalidated by hand,
//! and an operator (who has no version) is never served from it.
//!
//! The cache holds at most its budget of bytes (`SAMUDBUD_RESPONSE_CACHE_MB`),
//! the least recently used answers leaving first, and keeps no answer
//! larger than a 32nd of it; a budget of 0 turns it off.
//!
//! Answers are kept gzip-compressed, compressed once as they are kept: a
//! page of the contract list shrinks to about a seventh and a deadline list
//! to about a quarter, so the budget holds several times as many, and a
//! municipality's long deadline list fits. A client that
//! accepts gzip (every browser) gets a kept list as it is, with
//! `Content-Encoding: gzip`; any other gets it inflated. An answer with an
//! `ETag` (a contract) is always sent inflated, since its tag (which
//! `If-Match` quotes) names that one representation.

use std::fmt::Write as _;
use std::future::Future;
use std::io::{Read as _, Write as _};
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use hashlink::LruCache;
use samudbud_domain::Principal;
use samudbud_domain::clock;
use samudbud_domain::error::DomainError;

use crate::metrics::Metrics;
use crate::security::Caller;

/// Budget when none is configured.
pub const DEFAULT_BUDGET_BYTES: usize = 8 * 1024 * 1024;

/// An answer larger than the budget's 1/`LARGEST_SHARE` is not kept: a few
/// long lists (a municipality's thousands of deadlines) would push out
/// hundreds of pages, and each other in turn.
const LARGEST_SHARE: usize = 32;

/// Bytes counted for a kept answer beyond its body and key: the map's
/// entry and the allocations' headers.
const ENTRY_OVERHEAD: usize = 96;

/// Answers shorter than this are kept as written: gzip's header and
/// trailer take 18 bytes, and inflating costs a call either way.
const SMALLEST_GZIPPED: usize = 256;

pub struct ResponseCache {
    budget: usize,
    kept: Mutex<Kept>,
    metrics: Option<Arc<Metrics>>,
}

struct Kept {
    answers: LruCache<String, Answer>,
    bytes: usize,
}

/// A written answer: its JSON body, and its `ETag` when it has one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    pub body: Bytes,
    pub etag: Option<String>,
    /// `body` is the JSON gzip-compressed.
    gzipped: bool,
}

/// An answer's body as it goes to one client.
#[derive(Debug, PartialEq, Eq)]
pub struct Sent {
    pub body: Bytes,
    /// The body is gzip-compressed (`Content-Encoding: gzip`).
    pub gzipped: bool,
}

impl Answer {
    pub fn new(body: Bytes) -> Self {
        Self {
            body,
            etag: None,
            gzipped: false,
        }
    }

    /// An answer with the `ETag` `etag`.
    pub fn tagged(body: Bytes, etag: String) -> Self {
        Self {
            body,
            etag: Some(etag),
            gzipped: false,
        }
    }

    fn size(&self) -> usize {
        self.body.len() + self.etag.as_ref().map_or(0, String::len) + ENTRY_OVERHEAD
    }

    /// The answer as it is kept: gzip-compressed unless compressing would
    /// not make it smaller. The fastest level: JSON's repeated keys
    /// compress well at any level, and a miss pays for it.
    fn to_keep(&self) -> Self {
        if self.gzipped || self.body.len() < SMALLEST_GZIPPED {
            return self.clone();
        }
        let mut encoder = flate2::write::GzEncoder::new(
            Vec::with_capacity(self.body.len() / 8),
            flate2::Compression::fast(),
        );
        // Writing to a Vec does not fail.
        match encoder
            .write_all(&self.body)
            .and_then(|()| encoder.finish())
        {
            Ok(compressed) if compressed.len() < self.body.len() => Self {
                body: Bytes::from(compressed),
                etag: self.etag.clone(),
                gzipped: true,
            },
            _ => self.clone(),
        }
    }

    /// The body for a client that does, or does not, accept gzip; inflated
    /// always when the answer has an `ETag`.
    pub fn sent(self, accepts_gzip: bool) -> Result<Sent, DomainError> {
        if !self.gzipped || (accepts_gzip && self.etag.is_none()) {
            return Ok(Sent {
                body: self.body,
                gzipped: self.gzipped,
            });
        }
        let mut json = Vec::with_capacity(self.body.len() * 8);
        flate2::read::GzDecoder::new(&self.body[..])
            .read_to_end(&mut json)
            .map_err(|e| DomainError::Internal(format!("a kept answer did not inflate: {e}")))?;
        Ok(Sent {
            body: Bytes::from(json),
            gzipped: false,
        })
    }
}

/// Whether `request`'s `Accept-Encoding` takes gzip: named with a weight
/// above 0, or not named and `*` has one.
pub fn accepts_gzip(request: &poem::Request) -> bool {
    let mut gzip = None;
    let mut any = None;
    for coding in request
        .headers()
        .get_all(poem::http::header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
    {
        let mut parts = coding.split(';');
        let name = parts.next().unwrap_or_default().trim();
        let refused = parts.any(|parameter| {
            parameter
                .trim()
                .strip_prefix("q=")
                .and_then(|weight| weight.trim().parse::<f32>().ok())
                .is_some_and(|weight| weight <= 0.0)
        });
        if name.eq_ignore_ascii_case("gzip") {
            gzip = Some(!refused);
        } else if name == "*" {
            any = Some(!refused);
        }
    }
    gzip.or(any).unwrap_or(false)
}

impl ResponseCache {
    pub fn new(budget_bytes: usize) -> Self {
        Self {
            budget: budget_bytes,
            kept: Mutex::new(Kept {
                answers: LruCache::new_unbounded(),
                bytes: 0,
            }),
            metrics: None,
        }
    }

    /// Counts hits and misses, and the bytes kept, in `metrics`.
    pub fn observed_by(mut self, metrics: Arc<Metrics>) -> Self {
        self.metrics = Some(metrics);
        self
    }

    /// The key of `caller`'s `request`, or `None` when its answer may not
    /// be kept.
    pub fn key(&self, caller: &Caller, request: &poem::Request) -> Option<String> {
        let target = request.original_uri().path_and_query()?;
        self.key_for(caller, target.as_str())
    }

    fn key_for(&self, caller: &Caller, path_and_query: &str) -> Option<String> {
        if self.budget == 0 {
            return None;
        }
        let view = caller.view?;
        let mut key = String::with_capacity(160 + path_and_query.len());
        match &caller.principal {
            Principal::User {
                user_id,
                tenant_id,
                role,
                ..
            } => write!(key, "u {tenant_id} {user_id} {role:?}"),
            Principal::Client {
                client_id,
                tenant_id,
                scopes,
                ..
            } => write!(key, "c {tenant_id} {client_id} {scopes:?}"),
            Principal::Operator { .. } | Principal::Console => return None,
        }
        .ok()?;
        write!(
            key,
            " {} {} {} {} {path_and_query}",
            view.own,
            view.fellows,
            view.shared,
            clock::today()
        )
        .ok()?;
        Some(key)
    }

    /// The kept answer for `key`, or the one `answer` writes, kept for the
    /// next request; either as kept (compressed, see above). An error is
    /// never kept.
    pub async fn answer<E, F>(&self, key: Option<String>, answer: F) -> Result<Answer, E>
    where
        F: Future<Output = Result<Answer, E>>,
    {
        let Some(key) = key else {
            return answer.await;
        };
        let kept = self.get(&key);
        if let Some(metrics) = &self.metrics {
            metrics.response_lookup(kept.is_some());
        }
        if let Some(kept) = kept {
            return Ok(kept);
        }
        // The writer's client gets a list as kept too: a long list in
        // flight to 64 clients at once is 64 copies. An answer with an
        // `ETag` goes out inflated whatever the client takes, so it gets
        // that as written rather than inflated again.
        let written = answer.await?;
        let kept = written.to_keep();
        self.put(key, kept.clone());
        Ok(if written.etag.is_some() {
            written
        } else {
            kept
        })
    }

    fn get(&self, key: &str) -> Option<Answer> {
        let mut kept = self.kept.lock().ok()?;
        kept.answers.get(key).cloned()
    }

    fn put(&self, key: String, body: Answer) {
        let size = key.len() + body.size();
        if size > self.budget / LARGEST_SHARE {
            return;
        }
        let Ok(mut kept) = self.kept.lock() else {
            return;
        };
        let key_len = key.len();
        if let Some(old) = kept.answers.insert(key, body) {
            kept.bytes -= key_len + old.size();
        }
        kept.bytes += size;
        while kept.bytes > self.budget {
            let Some((k, v)) = kept.answers.remove_lru() else {
                break;
            };
            kept.bytes -= k.len() + v.size();
        }
        if let Some(metrics) = &self.metrics {
            metrics.response_bytes(kept.bytes);
        }
    }

    /// How many answers and bytes are kept.
    #[cfg(test)]
    fn held(&self) -> (usize, usize) {
        let kept = self.kept.lock().unwrap();
        (kept.answers.len(), kept.bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(n: usize) -> Answer {
        Answer::new(Bytes::from(vec![b'x'; n]))
    }

    #[tokio::test]
    async fn an_answer_is_written_once_per_key_and_errors_are_not_kept() {
        let cache = ResponseCache::new(1 << 20);
        let mut written = 0;
        for _ in 0..3 {
            let got = cache
                .answer(Some("k".into()), async {
                    written += 1;
                    Ok::<_, ()>(body(10))
                })
                .await;
            assert_eq!(got, Ok(body(10)), "kept as written: too short to gzip");
        }
        assert_eq!(written, 1);
        let failed = cache
            .answer(Some("e".into()), async { Err::<Answer, _>("no") })
            .await;
        assert_eq!(failed, Err("no"));
        assert_eq!(cache.held().0, 1, "the error was not kept");
        let fresh = cache
            .answer(None, async { Ok::<_, ()>(body(3)) })
            .await
            .unwrap();
        assert_eq!(fresh.body.len(), 3);
        assert_eq!(cache.held().0, 1, "an answer without a key is not kept");
    }

    #[test]
    fn the_least_recently_used_answers_leave_to_keep_the_budget() {
        // Keys of two characters, bodies of 100 bytes: room for 32.
        let each = 2 + 100 + ENTRY_OVERHEAD;
        let cache = ResponseCache::new(each * LARGEST_SHARE);
        let key = |n: usize| format!("{n:02}");
        for n in 0..LARGEST_SHARE {
            cache.put(key(n), body(100));
        }
        assert!(cache.get(&key(0)).is_some()); // 00 is now the most recent
        cache.put(key(32), body(100));
        assert!(
            cache.get(&key(1)).is_none(),
            "01 was the least recently used"
        );
        for n in (0..=32).filter(|n| *n != 1) {
            assert!(cache.get(&key(n)).is_some(), "{n} is kept");
        }
        assert_eq!(cache.held(), (LARGEST_SHARE, each * LARGEST_SHARE));
        // Replacing an answer counts its bytes once.
        cache.put(key(32), body(100));
        assert_eq!(cache.held(), (LARGEST_SHARE, each * LARGEST_SHARE));
        // An answer larger than a 32nd of the budget is not kept.
        cache.put(key(99), body(101));
        assert!(cache.get(&key(99)).is_none());
        assert!(cache.get(&key(0)).is_some(), "and pushed nothing out");
    }

    #[tokio::test]
    async fn answers_are_kept_gzipped_and_inflated_where_they_must_be() {
        let json = Bytes::from(format!("[{}]", vec![r#"{"navn":"Drift"}"#; 200].join(",")));
        let cache = ResponseCache::new(1 << 20);
        let first = cache
            .answer(Some("list".into()), async {
                Ok::<_, ()>(Answer::new(json.clone()))
            })
            .await
            .unwrap();
        assert!(first.gzipped, "the writer's client gets it as kept");
        let kept = cache
            .answer(Some("list".into()), async { Err::<Answer, _>(()) })
            .await
            .unwrap();
        assert_eq!(kept, first);
        assert!(
            kept.body.len() * 10 < json.len(),
            "{} bytes",
            kept.body.len()
        );
        let as_is = kept.clone().sent(true).unwrap();
        assert!(as_is.gzipped);
        assert_eq!(as_is.body, kept.body);
        assert_eq!(
            kept.sent(false).unwrap(),
            Sent {
                body: json.clone(),
                gzipped: false
            }
        );

        let tagged = Answer::tagged(json.clone(), "\"7\"".into());
        let written = cache
            .answer(Some("one".into()), async { Ok::<_, ()>(tagged.clone()) })
            .await
            .unwrap();
        assert_eq!(written, tagged, "its writer's client gets it as written");
        let kept = cache
            .answer(Some("one".into()), async { Err::<Answer, _>(()) })
            .await
            .unwrap();
        assert!(kept.gzipped, "a tagged answer is kept gzipped too");
        assert_eq!(kept.etag.as_deref(), Some("\"7\""));
        assert_eq!(
            kept.sent(true).unwrap(),
            Sent {
                body: json,
                gzipped: false
            },
            "and sent as its tag names it"
        );
    }

    #[test]
    fn gzip_is_accepted_when_named_or_starred_with_a_weight_above_zero() {
        let accepts = |values: &[&str]| {
            let mut request = poem::Request::builder();
            for value in values {
                request = request.header("accept-encoding", *value);
            }
            accepts_gzip(&request.finish())
        };
        assert!(accepts(&["gzip, deflate, br, zstd"]));
        assert!(accepts(&["br;q=1.0, GZIP;q=0.5"]));
        assert!(accepts(&["*"]));
        assert!(accepts(&["br", "gzip"]));
        assert!(!accepts(&[]));
        assert!(!accepts(&["identity"]));
        assert!(!accepts(&["br, deflate"]));
        assert!(!accepts(&["gzip;q=0"]));
        assert!(!accepts(&["gzip; q=0.0, identity"]));
        assert!(!accepts(&["x-gzip-ish"]));
        assert!(!accepts(&["gzip;q=0, *"]), "named refusal beats the star");
        assert!(!accepts(&["*;q=0"]));
    }

    #[test]
    fn the_key_names_the_caller_its_view_version_and_the_request() {
        use samudbud_domain::principal::{Role, TenantId};
        use samudbud_domain::view_versions::ViewVersion;
        use uuid::Uuid;

        let tenant = TenantId(Uuid::new_v4());
        let user = |id: Uuid, role: Role, own: i64| Caller {
            principal: Principal::User {
                user_id: id,
                tenant_id: tenant,
                role,
                email: "a@soroe.dk".into(),
            },
            view: Some(ViewVersion {
                own,
                fellows: 3,
                shared: 1,
            }),
        };
        let (anne, bo) = (Uuid::new_v4(), Uuid::new_v4());
        let cache = ResponseCache::new(1 << 20);
        let key = |caller: &Caller, path: &str| cache.key_for(caller, path).expect("a key");
        let first = key(&user(anne, Role::Editor, 7), "/api/v1/contracts");
        assert_eq!(
            first,
            key(&user(anne, Role::Editor, 7), "/api/v1/contracts")
        );
        for other in [
            key(&user(bo, Role::Editor, 7), "/api/v1/contracts"),
            key(&user(anne, Role::Viewer, 7), "/api/v1/contracts"),
            key(&user(anne, Role::Editor, 8), "/api/v1/contracts"),
            key(&user(anne, Role::Editor, 7), "/api/v1/contracts?q=drift"),
        ] {
            assert_ne!(first, other);
        }
        assert!(first.contains(&clock::today().to_string()));

        let operator = Caller {
            principal: Principal::Operator {
                user_id: anne,
                email: "drift@example.dk".into(),
            },
            view: None,
        };
        assert_eq!(cache.key_for(&operator, "/api/v1/contracts"), None);
        let off = ResponseCache::new(0);
        assert_eq!(
            off.key_for(&user(anne, Role::Editor, 7), "/api/v1/contracts"),
            None
        );
    }
}
