//! The contract register. `dates` derives a contract's deadlines from its
//! terms; every list, reminder and calendar takes its dates from there.

pub mod dates;
