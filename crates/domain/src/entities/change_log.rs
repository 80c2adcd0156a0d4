use sea_orm::entity::prelude::*;

/// One change of one object as a municipality sees it: an entry of its
/// sync feed. `seq` orders a municipality's entries as they were committed.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "change_log")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub seq: i64,
    /// The municipality whose view changed.
    pub tenant_id: Uuid,
    pub kind: String,
    pub object_id: Uuid,
    pub action: String,
    /// The collaboration a share or membership entry is about.
    pub collaboration_id: Option<Uuid>,
    pub changed_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
