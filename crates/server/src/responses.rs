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

use std::fmt::Write as _;
use std::future::Future;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use hashlink::LruCache;
use samudbud_domain::Principal;
use samudbud_domain::clock;

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
}

impl Answer {
    pub fn new(body: Bytes) -> Self {
        Self { body, etag: None }
    }

    fn size(&self) -> usize {
        self.body.len() + self.etag.as_ref().map_or(0, String::len) + ENTRY_OVERHEAD
    }
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
    /// next request. An error is never kept.
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
        let body = answer.await?;
        self.put(key, body.clone());
        Ok(body)
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
            assert_eq!(got, Ok(body(10)));
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
