use sea_orm::entity::prelude::*;

use super::money::StoredAmount;

/// A participating municipality's own part of a planned tender: its state,
/// estimated value and the contracts of its own the tender replaces. Only
/// that municipality writes it; the members of the plan's collaboration
/// (`collaboration_id`) read it.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "tender_participations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The participant.
    pub tenant_id: Uuid,
    pub tender_id: Uuid,
    pub collaboration_id: Option<Uuid>,
    pub state: String,
    #[sea_orm(column_type = "Decimal(Some((16, 2)))")]
    pub estimated_value: Option<StoredAmount>,
    /// JSON: `[{id, title, end_date, notice_deadline}]`, the participant's own
    /// contracts as they stood when it last stated them.
    pub replaced_contracts: String,
    pub reason: Option<String>,
    pub responded_at: Option<DateTimeUtc>,
    pub responded_by: Option<Uuid>,
    pub responded_by_label: Option<String>,
    pub version: i32,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
