use sea_orm::entity::prelude::*;

/// A municipality's place in a collaboration: invited, active, or no longer
/// there (declined, left, removed). One row per municipality and collaboration.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "collaboration_members")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub collaboration_id: Uuid,
    pub tenant_id: Uuid,
    /// `coordinator` or `member`.
    pub role: String,
    /// `invited`, `active`, `declined`, `left` or `removed`.
    pub status: String,
    pub invited_by_tenant_id: Option<Uuid>,
    pub invited_at: DateTimeUtc,
    pub joined_at: Option<DateTimeUtc>,
    pub ended_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
