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
pub use views::get_contract;
pub use writes::{create_contract, set_archived, update_contract};

pub(crate) use refresh::ensure_fresh;
pub(crate) use views::{readable as readable_model, views};

use rows::model_of;
use validation::validate;
use writes::system_names;
