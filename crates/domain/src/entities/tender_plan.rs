use sea_orm::entity::prelude::*;

/// A tender plan (udbudsplan): a municipality's own (`collaboration_id`
/// empty) or a collaboration's. `tenant_id` is the municipality that
/// created it.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "tender_plans")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub collaboration_id: Option<Uuid>,
    pub name: String,
    pub period_start: Date,
    pub period_end: Date,
    pub description: Option<String>,
    pub version: i32,
    pub created_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub archived_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
