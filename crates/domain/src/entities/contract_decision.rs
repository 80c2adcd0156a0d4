use sea_orm::entity::prelude::*;

/// A decision about a contract's deadlines: notice given, an option
/// exercised, the contract let run, or a re-tender started. `before` and
/// `after` hold the contract's dates on either side of it.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "contract_decisions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub contract_id: Uuid,
    pub kind: String,
    pub decided_on: Date,
    pub decided_by_user_id: Option<Uuid>,
    pub decided_by_name: Option<String>,
    pub reference: Option<String>,
    pub attachment_id: Option<Uuid>,
    pub note: Option<String>,
    pub before: Json,
    pub after: Json,
    pub created_at: DateTimeUtc,
    pub created_by: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
