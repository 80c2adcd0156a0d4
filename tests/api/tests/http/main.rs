//! The API over HTTP, against the real server, on SQLite and PostgreSQL.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod api_clients;
mod audit;
mod auth;
mod collaborations;
mod conformance;
mod contracts;
mod isolation;
mod platform;
mod row_security;
mod tenants;
mod users;
