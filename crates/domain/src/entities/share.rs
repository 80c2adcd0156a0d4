use sea_orm::entity::prelude::*;

/// An object (`object_kind`, `object_id`) that its owner municipality has
/// shared with a collaboration, read-only.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "shares")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The owner.
    pub tenant_id: Uuid,
    pub object_kind: String,
    pub object_id: Uuid,
    pub collaboration_id: Uuid,
    pub shared_by: Option<Uuid>,
    /// A shared contract's attachments go with it (readers see and
    /// download its files).
    pub include_attachments: bool,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
