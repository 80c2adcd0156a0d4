use sea_orm::entity::prelude::*;

use super::money::StoredAmount;

/// A municipality invited to take part in a planned tender, written by the
/// plan's owner. The invited municipality's answer is its own row
/// (`tender_participation`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "tender_invitations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub collaboration_id: Option<Uuid>,
    pub tender_id: Uuid,
    pub participant_tenant_id: Uuid,
    pub invited_by: Option<Uuid>,
    pub invited_at: DateTimeUtc,
    /// Proposed by the owner when the tender came from an opportunity: the
    /// participant's estimated value, until it states its own.
    #[sea_orm(column_type = "Decimal(Some((16, 2)))")]
    pub proposed_value: Option<StoredAmount>,
    /// JSON list of `ReplacedRef`: the participant's contracts the
    /// opportunity found, until it states its own.
    pub proposed_contracts: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
