use sea_orm::entity::prelude::*;

/// The values an object had in Kitos when it was last imported, field by
/// field: what tells an edit made here from one made in Kitos.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "kitos_snapshots")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    /// `contract` or `it_system`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub object_kind: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub object_id: Uuid,
    pub kitos_uuid: Uuid,
    /// Field key → value as imported.
    pub fields: Json,
    pub imported_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
