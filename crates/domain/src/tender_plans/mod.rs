//! Joint tender plans (udbudsplaner): the pure rules behind them. Which EU
//! threshold (tærskelværdi) applies and what crossing it means, the
//! aggregated estimated value, Danish working days, back-planning from the
//! replaced contracts, and the warnings a planned tender (planlagt udbud)
//! shows. No database and no HTTP here.

/// Decimal literals in tests: `dec!(1234.5)`.
#[cfg(test)]
macro_rules! dec {
    ($s:literal) => {
        <rust_decimal::Decimal as std::str::FromStr>::from_str(stringify!($s)).unwrap()
    };
}

pub mod aggregate;
pub mod backplan;
pub mod holidays;
pub mod model;
pub mod text;
pub mod thresholds;
pub mod warnings;

pub use model::*;
