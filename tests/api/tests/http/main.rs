//! The API over HTTP, against the real server, on SQLite and PostgreSQL.

#![allow(clippy::unwrap_used)]
// a failed unwrap is a failed test
// Tests read the database behind the API's back, across municipalities, to
// check what it stored; the scoped helpers are for the application.
#![allow(clippy::disallowed_methods)]

mod access;
mod api_clients;
mod archive;
mod audit;
mod auth;
mod backup;
mod bulk;
mod calendar;
mod change_paging;
mod changes;
mod collaborations;
mod conformance;
mod connections;
mod contracts;
mod deadlines;
mod decisions;
mod demo;
mod derived_dates;
mod exports;
mod grid;
mod imports;
mod inputs;
mod isolation;
mod kitos;
mod observability;
mod opportunities;
mod ownership;
mod platform;
mod races;
mod reminders;
mod replicas;
mod row_security;
mod scaling;
mod side_by_side;
mod site;
mod templates;
mod tenants;
mod tender_plans;
mod users;
mod webhooks;
