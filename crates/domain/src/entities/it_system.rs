use sea_orm::entity::prelude::*;

/// An IT system in a municipality's system landscape.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "it_systems")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub name: String,
    pub category: Option<String>,
    pub supplier_id: Option<Uuid>,
    pub system_owner: Option<String>,
    /// The user of the same municipality who owns the system.
    pub owner_user_id: Option<Uuid>,
    /// `planned`, `in_use` or `retired`.
    pub status: String,
    pub description: Option<String>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub archived_at: Option<DateTimeUtc>,
    /// The object's uuid in the municipality's Kitos, when imported from it
    /// (an IT system: its system usage's).
    pub kitos_uuid: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
