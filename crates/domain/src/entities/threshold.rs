use sea_orm::entity::prelude::*;

use super::money::StoredAmount;

/// An EU threshold (tærskelværdi) for one contract kind and validity period,
/// excluding VAT. Reference data that platform operators correct.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "thresholds")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub kind: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub valid_from: Date,
    pub valid_to: Date,
    #[sea_orm(column_type = "Decimal(Some((16, 2)))")]
    pub eur: StoredAmount,
    /// `None` until the official DKK value is published.
    #[sea_orm(column_type = "Decimal(Some((16, 2)))")]
    pub dkk: Option<StoredAmount>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
