use sea_orm::entity::prelude::*;

/// A user's choice of reminder digest. No row: the role's default.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "reminder_settings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: Uuid,
    pub tenant_id: Uuid,
    /// `off`, `daily` or `weekly`; `None`: the role's default.
    pub frequency: Option<String>,
    pub horizon_days: i32,
    /// `owned` or `all`; `None`: `owned` for users who own a contract.
    pub contract_scope: Option<String>,
    /// The same choice for the calendar feed.
    pub calendar_contract_scope: Option<String>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
