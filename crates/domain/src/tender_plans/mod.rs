//! Joint tender plans (udbudsplaner). The pure rules, with no database and
//! no HTTP: which EU threshold (tærskelværdi) applies and what crossing it
//! means, the aggregated estimated value, Danish working days,
//! back-planning from the replaced contracts, and the warnings a planned
//! tender (planlagt udbud) shows. The use cases on top of them: plans and
//! planned tenders (`service`), participation (`participants`) and the
//! XLSX export (`export`).

/// Decimal literals in tests: `dec!(1234.5)`.
#[cfg(test)]
macro_rules! dec {
    ($s:literal) => {
        <rust_decimal::Decimal as std::str::FromStr>::from_str(stringify!($s)).unwrap()
    };
}

pub mod aggregate;
pub mod backplan;
mod compute;
pub mod export;
pub mod holidays;
pub mod model;
pub mod participants;
pub mod service;
pub mod text;
pub mod thresholds;
pub mod warnings;

pub use model::*;
