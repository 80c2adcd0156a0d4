use sea_orm::entity::prelude::*;

/// A municipality invited to take part in a planned tender, written by the
/// plan's owner. The invited municipality's answer is its own row
/// (`tender_participation`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
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
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
