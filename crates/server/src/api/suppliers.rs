//! `/suppliers`: the supplier catalogue shared by all municipalities.

use chrono::{DateTime, Utc};
use poem::web::Data;
use poem_openapi::param::Query;
use poem_openapi::payload::Json;
use poem_openapi::types::Example;
use poem_openapi::{ApiResponse, Object, OpenApi};
use samudbud_domain::error::DomainError;
use samudbud_domain::paging::{ChangeRead, PageRequest};
use samudbud_domain::suppliers::{self, Supplier};
use uuid::Uuid;

use super::ApiTags;
use super::text::{Code, Text};
use crate::problem::ApiResult;
use crate::security::BearerAuth;
use crate::state::AppState;

pub struct SuppliersApi;

/// A supplier, identified by its CVR number.
#[derive(Object)]
#[oai(rename = "Supplier")]
pub struct SupplierDto {
    id: Uuid,
    cvr: String,
    name: String,
}

impl From<Supplier> for SupplierDto {
    fn from(s: Supplier) -> Self {
        Self {
            id: s.id,
            cvr: s.cvr,
            name: s.name,
        }
    }
}

#[derive(Object)]
#[oai(rename = "SupplierInput", deny_unknown_fields, example)]
struct SupplierInputDto {
    /// Eight digits, checked with modulus 11.
    cvr: Code,
    name: Text<1, 200>,
}

impl Example for SupplierInputDto {
    fn example() -> Self {
        Self {
            cvr: "29403473".into(),
            name: "Eksempel Software A/S".into(),
        }
    }
}

super::change_list!(SupplierList, SupplierDto);

#[derive(ApiResponse)]
enum RegisteredSupplier {
    /// The supplier with that CVR number (new, or already known).
    #[oai(status = 200)]
    Ok(Json<SupplierDto>),
}

#[OpenApi(prefix_path = "/suppliers", tag = "ApiTags::Contracts")]
impl SuppliersApi {
    /// Find suppliers by name or CVR number; or, with `changed_since` or
    /// `cursor`, read the catalogue in order of last change.
    #[allow(clippy::too_many_arguments)]
    #[oai(path = "/", method = "get", operation_id = "listSuppliers")]
    async fn list(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// Part of the name (any case), or the CVR number's first digits.
        q: Query<Option<String>>,
        /// At most this many (default 20, at most 200); by name.
        limit: Query<Option<u64>>,
        /// Only suppliers changed at or after this time, sorted by last
        /// change (for synchronisation), `page_size` at a time.
        changed_since: Query<Option<DateTime<Utc>>>,
        /// The `next_cursor` of the page before: read on in order of last
        /// change (and id), `page_size` at a time. Send the same `q` as for
        /// the first page.
        cursor: Query<Option<String>>,
        /// In order of last change: the first page's number (without `cursor`).
        page: Query<Option<u64>>,
        /// In order of last change: how many at a time (default 50, at most 200).
        page_size: Query<Option<u64>>,
    ) -> ApiResult<Json<SupplierList>> {
        let by_change = ChangeRead::from_params(changed_since.0, cursor.0.as_deref(), None)?;
        if let Some(read) = by_change {
            if limit.0.is_some() {
                return Err(DomainError::invalid(
                    "limit",
                    "conflict",
                    "in order of last change the list is read page_size at a time; leave out limit",
                )
                .into());
            }
            let paging = PageRequest::new(page.0, page_size.0)?;
            let found =
                suppliers::search_by_change(&state.db, &auth.0, q.0.as_deref(), read, paging)
                    .await?;
            return Ok(Json(SupplierList::page(found)));
        }
        let found =
            suppliers::search(&state.db, &auth.0, q.0.as_deref(), limit.0.unwrap_or(20)).await?;
        Ok(Json(SupplierList::of(
            found.into_iter().map(SupplierDto::from).collect(),
        )))
    }

    /// Register a supplier by CVR number, or get the one already registered
    /// with that number (which keeps its registered name).
    #[oai(path = "/", method = "post", operation_id = "registerSupplier")]
    async fn register(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        body: Json<SupplierInputDto>,
    ) -> ApiResult<RegisteredSupplier> {
        let found = suppliers::register(&state.db, &auth.0, &body.0.cvr, &body.0.name).await?;
        Ok(RegisteredSupplier::Ok(Json(found.into())))
    }
}
