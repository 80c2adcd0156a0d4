//! SeaORM entities: the tables as the database sees them. These are not API
//! objects; the server maps them to its own DTOs.

pub mod audit_event;
pub mod login_throttle;
pub mod refresh_token;
pub mod tenant;
pub mod user;
