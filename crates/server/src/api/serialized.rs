//! JSON bodies written before they are answered, so that the response
//! cache (`crate::responses`) can keep them: `Encoded<T>` is such a body,
//! with `T`'s schema and `Json`'s content type in the spec.
//!
//! poem-openapi's `Json` first builds the whole body as a `serde_json::Value`
//! (a map with an allocated key for every field of every item) and then
//! writes that: for a page of 50 contracts, a fifth of the server's CPU
//! (`perf`, README: Performance). [`serde_body`] writes the contract types
//! in one pass instead. They derive `Serialize` to give the same JSON as
//! their `ToJSON`; fields whose `ToJSON` serde would write differently
//! (times, the template section) go through [`as_json`]. The tests of the
//! types written this way compare the two. Smaller answers go through
//! [`json_body`], as `Json` writes them.

use std::marker::PhantomData;

use bytes::Bytes;
use poem::http::header;
use poem::{IntoResponse, Response};
use poem_openapi::ApiResponse;
use poem_openapi::payload::Payload;
use poem_openapi::registry::{MetaMediaType, MetaResponse, MetaResponses, MetaSchemaRef, Registry};
use poem_openapi::types::{ToJSON, Type};
use serde::{Serialize, Serializer};

use samudbud_domain::error::DomainError;

use crate::responses::{Answer, accepts_gzip};

const JSON: &str = "application/json; charset=utf-8";

/// A 200 with a JSON body of `T`, as the spec describes `Json<T>`.
fn json_ok<T: Type>() -> MetaResponses {
    MetaResponses {
        responses: vec![MetaResponse {
            description: "",
            status: Some(200),
            status_range: None,
            content: vec![MetaMediaType {
                content_type: JSON,
                schema: T::schema_ref(),
            }],
            headers: vec![],
        }],
    }
}

/// A JSON body of `T` already written: an answer of the response cache
/// (`crate::responses`), described in the spec as `Json<T>` is. It may be
/// gzip-compressed, for a client that accepts that.
pub(super) struct Encoded<T> {
    body: Bytes,
    gzipped: bool,
    of: PhantomData<fn() -> T>,
}

impl<T> Encoded<T> {
    pub(super) fn new(body: Bytes) -> Self {
        Self {
            body,
            gzipped: false,
            of: PhantomData,
        }
    }

    /// `answer` for the client that sent `request`.
    pub(super) fn answer(answer: Answer, request: &poem::Request) -> Result<Self, DomainError> {
        let sent = answer.sent(accepts_gzip(request))?;
        Ok(Self {
            body: sent.body,
            gzipped: sent.gzipped,
            of: PhantomData,
        })
    }
}

impl<T: Type> Payload for Encoded<T> {
    const CONTENT_TYPE: &'static str = JSON;

    fn schema_ref() -> MetaSchemaRef {
        T::schema_ref()
    }

    fn register(registry: &mut Registry) {
        T::register(registry);
    }
}

impl<T> IntoResponse for Encoded<T> {
    fn into_response(self) -> Response {
        let response = Response::builder()
            .content_type(JSON)
            .header(header::VARY, "accept-encoding");
        if self.gzipped {
            response.header(header::CONTENT_ENCODING, "gzip")
        } else {
            response
        }
        .body(self.body)
    }
}

impl<T: Type> ApiResponse for Encoded<T> {
    fn meta() -> MetaResponses {
        json_ok::<T>()
    }

    fn register(registry: &mut Registry) {
        T::register(registry);
    }
}

/// `value` written with serde in one pass. Only a map with non-string keys
/// fails, and these types have none.
pub(super) fn serde_body<T: Serialize>(value: &T) -> Result<Bytes, DomainError> {
    serde_json::to_vec(value)
        .map(Bytes::from)
        .map_err(|e| DomainError::Internal(format!("a response body could not be written: {e}")))
}

/// `value` written as `Json` writes it.
pub(super) fn json_body<T: ToJSON>(value: &T) -> Bytes {
    Bytes::from(value.to_json_string())
}

/// Writes a field as its `ToJSON` does (`#[serde(serialize_with = "as_json")]`).
pub(super) fn as_json<T: ToJSON, S: Serializer>(
    value: &T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    value.to_json().serialize(serializer)
}

/// Asserts that `value` serializes with serde exactly as its `ToJSON` writes it.
#[cfg(test)]
pub(super) fn assert_same_json<T: ToJSON + Serialize>(value: &T) {
    let ours = serde_json::to_value(value).expect("serializes");
    assert_eq!(Some(ours), value.to_json());
}
