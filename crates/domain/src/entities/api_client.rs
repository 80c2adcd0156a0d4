use sea_orm::entity::prelude::*;

/// An integrator's credentials for one municipality, limited to scopes.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "api_clients")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub name: String,
    /// The public identifier the integrator sends (`sbc_…`).
    pub client_id: String,
    /// SHA-256 of the secret, hex; the secret is shown once and never stored.
    #[serde(skip)]
    pub secret_hash: String,
    /// Granted scopes, space-separated (`contracts:read contracts:write`).
    pub scopes: String,
    pub version: i32,
    pub created_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub secret_rotated_at: Option<DateTimeUtc>,
    pub last_used_at: Option<DateTimeUtc>,
    pub revoked_at: Option<DateTimeUtc>,
    /// Requests per minute the client may make.
    pub rate_limit_per_minute: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
