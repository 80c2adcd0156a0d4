//! The API over HTTP, against the real server, on SQLite and PostgreSQL.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod auth;
mod isolation;
mod platform;
mod row_security;
mod tenants;
mod users;
