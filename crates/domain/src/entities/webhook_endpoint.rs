use sea_orm::entity::prelude::*;

/// An address a municipality's events are posted to, with the secret that
/// signs them and the event types it subscribes to.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "webhook_endpoints")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub url: String,
    pub description: String,
    /// Comma-separated event types.
    pub event_types: String,
    pub days_before: i32,
    pub enabled: bool,
    /// `whsec_…`; never returned after creation or rotation.
    pub secret: String,
    pub version: i32,
    pub created_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub secret_rotated_at: Option<DateTimeUtc>,
    pub failing_since: Option<DateTimeUtc>,
    pub disabled_at: Option<DateTimeUtc>,
    pub disabled_reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
