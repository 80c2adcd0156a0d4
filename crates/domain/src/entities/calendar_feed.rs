use sea_orm::entity::prelude::*;

/// A user's private calendar feed address. The token is never stored: its
/// first characters (`selector`) find the row, and `token_hash` (SHA-256,
/// hex, of the whole token) proves it.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "calendar_feeds")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub user_id: Uuid,
    pub selector: String,
    #[serde(skip)]
    pub token_hash: String,
    /// The token's last four characters, so that its owner can tell it apart.
    pub token_hint: String,
    pub created_at: DateTimeUtc,
    pub last_used_at: Option<DateTimeUtc>,
    pub revoked_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
