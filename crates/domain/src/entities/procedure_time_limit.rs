use sea_orm::entity::prelude::*;

/// A procedure's minimum time limits in calendar days, as reference data.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "procedure_time_limits")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub procedure: String,
    pub min_days_from_notice: i32,
    pub second_stage_days: Option<i32>,
    pub standstill_days: i32,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
