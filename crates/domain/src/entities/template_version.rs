use sea_orm::entity::prelude::*;

/// One numbered version of a template: a `draft` until `published`, then
/// immutable. `content` is a `templates::VersionContent` as JSON. The owner
/// columns repeat the template's.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "template_versions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub template_id: Uuid,
    pub tenant_id: Uuid,
    pub collaboration_id: Option<Uuid>,
    pub number: i32,
    /// `draft` or `published`.
    pub status: String,
    pub content: Json,
    pub change_note: Option<String>,
    pub published_at: Option<DateTimeUtc>,
    pub published_by: Option<Uuid>,
    pub published_by_label: Option<String>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
