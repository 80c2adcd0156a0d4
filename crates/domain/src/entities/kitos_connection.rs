use sea_orm::entity::prelude::*;

/// A municipality's connection to its OS2Kitos: where, as which API user
/// (the password sealed by `secrets`), which organisation, and how far the
/// last run read (the watermarks of the next incremental run).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "kitos_connections")]
pub struct Model {
    /// The municipality's id: one connection each.
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    pub base_url: String,
    pub email: String,
    /// `secrets::SecretBox::seal` of the password.
    pub password_sealed: String,
    /// The municipality's organisation in Kitos; found by its CVR number
    /// when not given.
    pub organization_uuid: Option<Uuid>,
    /// `changedSinceGtEq` of the next run: the latest `lastModified` read.
    pub contracts_since: Option<DateTimeUtc>,
    /// `changedSinceGtEq` for system usages.
    pub usages_since: Option<DateTimeUtc>,
    /// `deletedSinceUTC` of the next run: the latest deletion read.
    pub deleted_since: Option<DateTimeUtc>,
    pub last_run_at: Option<DateTimeUtc>,
    pub version: i32,
    pub updated_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
