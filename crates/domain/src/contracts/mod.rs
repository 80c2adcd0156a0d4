//! The contract register: contracts with their supplier, the IT systems they
//! cover, value, dates and owner; derived deadlines (`dates`); search,
//! filters and sorting; optimistic concurrency; archive and restore; history;
//! read-only sharing with collaborations; attachments. This module only
//! names the parts; each file says what it owns.

pub mod attachments;
pub mod bulk;
pub mod columns;
pub mod dates;
pub mod deadlines;
pub mod decisions;
pub mod export;
mod history;
pub mod import;
pub mod import_jobs;
pub mod import_rows;
pub mod options;
pub mod overview;
mod query;
pub mod refresh;
mod rows;
mod sharing;
pub mod side_by_side;
pub mod spreadsheet;
mod types;
mod validation;
mod views;
mod writes;

pub use history::history;
pub use query::{
    ContractFilter, ContractScope, ContractTotals, list_contracts, list_contracts_by_change,
    list_contracts_with_totals,
};
pub use rows::status_on;
pub use sharing::{list_shares, set_share_attachments, share, unshare};
pub use types::{Contract, ContractInput, KIND, Owner, SystemRef, today};
pub use views::{ContractAhead, get_contract, get_contract_read_ahead};
pub use writes::{create_contract, set_archived, update_contract};
pub(crate) use writes::{create_in, reindex_covering, set_archived_in, update_in};

pub(crate) use refresh::ensure_fresh;
pub(crate) use views::{ContractRider, readable as readable_model, views};

use rows::model_of;
use validation::validate;

/// The contract rules that need no database, applied to `input` as a write
/// would (texts trimmed, lists sorted): the problems found, if any.
pub(crate) fn normalize(input: &mut ContractInput) -> Vec<crate::error::FieldError> {
    let mut errors = Vec::new();
    validation::check_fields(input, &mut errors);
    errors
}

/// The contract as its own municipality reads it, in the caller's transaction.
pub(crate) async fn view_in<C: sea_orm::ConnectionTrait>(
    conn: &C,
    tenant: crate::principal::TenantId,
    model: crate::entities::contract::Model,
) -> crate::error::DomainResult<Contract> {
    views::one_view(conn, tenant, model).await
}
use writes::system_names;
