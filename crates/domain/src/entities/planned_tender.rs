use sea_orm::entity::prelude::*;

/// A planned tender of a plan. Carries the plan's owner columns, so that
/// each row answers for itself under the row-level policies.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "planned_tenders")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub collaboration_id: Option<Uuid>,
    pub plan_id: Uuid,
    pub subject: String,
    pub description: Option<String>,
    pub category: Option<String>,
    pub cpv_code: Option<String>,
    pub procedure: String,
    pub framework_agreement: Option<String>,
    pub contract_kind: String,
    pub lead_tenant_id: Uuid,
    pub status: String,
    /// JSON: `[{status, changed_at, changed_by}]`, oldest first.
    pub status_history: String,
    pub term_months: i32,
    pub option_months: i32,
    pub allows_late_joining: bool,
    pub evaluation_days: i32,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
