//! Standard contract templates: the pure rules of template versions and of
//! contracts based on them. Nothing here touches the database or HTTP.

pub mod model;

pub use model::{
    Clause, ContractTemplateUse, Deviation, DurationUnit, Parameter, ParameterKind, ParameterValue,
    TemplateKind, VersionContent,
};
