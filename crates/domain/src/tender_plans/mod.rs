//! Joint tender plans (udbudsplaner): the pure rules behind them. Which EU
//! threshold applies and what crossing it means, the aggregated estimated
//! value, Danish working days, back-planning from the replaced contracts,
//! and the warnings a planned tender (planlagt udbud) shows.

mod compute;
pub mod export;
pub mod model;
pub mod participants;
pub mod service;

pub use model::*;
