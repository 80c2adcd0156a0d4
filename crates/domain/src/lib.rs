//! Samudbud's domain: municipalities, their users and everything they own,
//! the rules that govern it, and the use cases the server and the command
//! line call. Nothing here knows HTTP.
//!
//! Every use case that touches tenant data takes the acting `Principal`
//! first, asks `policy` whether it may act, and reaches tenant rows only
//! through the scoped helpers in `db`.

pub mod agenda;
pub mod api_clients;
pub mod archive;
pub mod audit;
pub mod auth;
pub mod calendar;
pub mod changes;
pub mod clock;
pub mod collaborations;
pub mod contracts;
pub mod cpv;
pub mod db;
mod decode;
pub mod demo;
mod demo_opportunities;
mod demo_plans;
mod demo_register;
mod demo_templates;
pub mod entities;
pub mod error;
pub mod exports;
pub mod jobs;
pub mod kitos;
pub mod observe;
pub mod opportunities;
pub mod ownership;
pub mod paging;
pub mod people;
pub mod policy;
pub mod principal;
pub mod rate_limits;
pub mod reference;
pub mod reminders;
pub mod saved_views;
pub mod secrets;
pub mod shares;
pub mod suppliers;
pub mod systems;
pub mod templates;
pub mod tenants;
pub mod tender_plans;
pub mod users;
pub mod values;
pub mod versioned;
pub mod view_versions;
pub mod webhooks;

pub use db::{Db, Scope};
pub use error::{DomainError, DomainResult, FieldError};
pub use principal::{Principal, Role, TenantId};
