use sea_orm::entity::prelude::*;

/// A standard contract template (standardkontrakt, skabelon). Owned by the
/// municipality `tenant_id` unless `collaboration_id` is set: then by that
/// collaboration, and `tenant_id` is the municipality that created it.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "templates")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub collaboration_id: Option<Uuid>,
    pub name: String,
    /// A `TemplateKind` code (`k04`, `own`, …).
    pub kind: String,
    pub description: Option<String>,
    /// An adopted copy: the template it was copied from…
    pub origin_template_id: Option<Uuid>,
    /// …and the number of the origin's version its content last came from.
    pub origin_version_number: Option<i32>,
    pub version: i32,
    pub created_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub archived_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
