use sea_orm::entity::prelude::*;

/// One try to deliver: when, how long it took and what the endpoint answered.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "webhook_attempts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub delivery_id: Uuid,
    pub endpoint_id: Uuid,
    pub attempted_at: DateTimeUtc,
    pub duration_ms: i32,
    pub status_code: Option<i32>,
    pub succeeded: bool,
    pub error: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
