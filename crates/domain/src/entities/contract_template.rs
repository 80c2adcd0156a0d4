use sea_orm::entity::prelude::*;

/// The published template version a contract is based on, the parameter
/// values chosen and the clauses it deviates in: a
/// `templates::ContractTemplateUse` split into `values` and `deviations`
/// (JSON). The contract's owner's row.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "contract_templates")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub contract_id: Uuid,
    pub tenant_id: Uuid,
    pub template_id: Uuid,
    pub template_version_id: Uuid,
    pub version_number: i32,
    pub values: Json,
    pub deviations: Json,
    pub has_deviations: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
