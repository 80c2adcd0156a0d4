//! Importing a municipality's IT contracts from its OS2Kitos: the
//! connection (address, API user, password sealed), a preview of what a run
//! would bring, and runs that create or update contracts, suppliers (by CVR)
//! and IT systems through the register's own write paths — so audit trail,
//! change log and webhooks see them as any other change — keeping each
//! object's Kitos uuid. A later run reads only what changed in Kitos since
//! the last one and the deletions since then; a field edited here since the
//! last import is never overwritten: when Kitos changed it too, the run
//! reports a conflict and keeps the value here.
//!
//! - `model`: the Kitos API's JSON;
//! - `client`: reading Kitos (`KitosSource`, `HttpKitos`);
//! - `mapping`: Kitos' objects as the register's, and field comparison (pure);
//! - `service`: connection, preview, runs.

pub mod client;
pub mod mapping;
pub mod model;
mod service;

pub use client::{HttpKitos, KitosError, KitosSource};
pub use service::*;
