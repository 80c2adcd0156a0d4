//! A JSON body written straight from the response's types with serde.
//!
//! poem-openapi's `Json` first builds the whole body as a `serde_json::Value`
//! (a map with an allocated key for every field of every item) and then
//! writes that: for a page of 50 contracts, a fifth of the server's CPU
//! (`perf`, README: Performance). `Serialized` has the same content type and
//! schema in the spec, and writes the body in one pass. Its types derive
//! `Serialize` to give the same JSON as their `ToJSON`; fields whose
//! `ToJSON` serde would write differently (times, the template section) go
//! through [`as_json`]. The tests of the types written this way compare
//! the two.

use poem::http::StatusCode;
use poem::{IntoResponse, Response};
use poem_openapi::ApiResponse;
use poem_openapi::payload::Payload;
use poem_openapi::registry::{MetaMediaType, MetaResponse, MetaResponses, MetaSchemaRef, Registry};
use poem_openapi::types::{ToJSON, Type};
use serde::{Serialize, Serializer};

const JSON: &str = "application/json; charset=utf-8";

pub(super) struct Serialized<T>(pub T);

impl<T: Type + Send> Payload for Serialized<T> {
    const CONTENT_TYPE: &'static str = JSON;

    fn schema_ref() -> MetaSchemaRef {
        T::schema_ref()
    }

    fn register(registry: &mut Registry) {
        T::register(registry);
    }
}

impl<T: Serialize + Send> IntoResponse for Serialized<T> {
    fn into_response(self) -> Response {
        match serde_json::to_vec(&self.0) {
            Ok(body) => Response::builder().content_type(JSON).body(body),
            // Only a map with non-string keys fails, and these types have none.
            Err(e) => {
                tracing::error!(error = %e, "a response body could not be written");
                StatusCode::INTERNAL_SERVER_ERROR.into_response()
            }
        }
    }
}

impl<T: Type + Serialize + Send> ApiResponse for Serialized<T> {
    fn meta() -> MetaResponses {
        MetaResponses {
            responses: vec![MetaResponse {
                description: "",
                status: Some(200),
                status_range: None,
                content: vec![MetaMediaType {
                    content_type: Self::CONTENT_TYPE,
                    schema: Self::schema_ref(),
                }],
                headers: vec![],
            }],
        }
    }

    fn register(registry: &mut Registry) {
        T::register(registry);
    }
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
