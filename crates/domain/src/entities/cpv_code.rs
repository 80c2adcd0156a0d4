use sea_orm::entity::prelude::*;

/// One code of the Common Procurement Vocabulary, as loaded by
/// `samudbud cpv import`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "cpv_codes")]
pub struct Model {
    /// With its check digit, e.g. `48000000-8`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub code: String,
    pub label_da: String,
    pub label_en: String,
    /// Lower-cased code and Danish label, for search.
    pub search_text: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
