use sea_orm::entity::prelude::*;

use super::money::StoredAmount;

/// A contract in a municipality's register. The four derived dates are
/// written only by the contract use cases, from `contracts::dates::derive`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "contracts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub title: String,
    pub reference: Option<String>,
    pub description: Option<String>,
    pub status_override: Option<String>,
    pub contract_type: String,
    pub parent_id: Option<Uuid>,
    pub supplier_id: Uuid,
    pub category: Option<String>,
    pub cpv_code: Option<String>,
    /// Comma-separated agreement elements.
    pub agreement_elements: String,
    pub procedure: Option<String>,
    pub framework_agreement: Option<String>,
    /// Exact: text on SQLite (see `money`).
    #[sea_orm(column_type = "Decimal(Some((16, 2)))")]
    pub annual_value: Option<StoredAmount>,
    #[sea_orm(column_type = "Decimal(Some((16, 2)))")]
    pub total_value: Option<StoredAmount>,
    pub payment_model: Option<String>,
    pub payment_frequency: Option<String>,
    pub price_regulation: Option<String>,
    pub signed_on: Option<Date>,
    pub start_on: Date,
    pub end_on: Option<Date>,
    pub irrevocable_until: Option<Date>,
    pub option_months: i32,
    pub options_total: i32,
    pub options_exercised: i32,
    pub notice_period_months: i32,
    pub notice_to: String,
    pub terminated_on: Option<Date>,
    pub retender_lead_months: i32,
    pub system_owner: Option<String>,
    /// The user of the same municipality who owns the contract.
    pub owner_user_id: Option<Uuid>,
    pub responsible_unit: Option<String>,
    pub supplier_contact: Option<String>,
    pub criticality: String,
    pub notes: Option<String>,
    /// Published as open contracting data (OCDS).
    pub publishable: bool,
    pub notice_deadline: Option<Date>,
    pub effective_end: Option<Date>,
    pub latest_end: Option<Date>,
    pub retender_start: Option<Date>,
    /// The notice deadline a decision handled (the contract let run, or
    /// notice given): that deadline is no longer to act on, a moved one is.
    pub notice_deadline_handled_on: Option<Date>,
    /// The re-tender start a decision to re-tender handled.
    pub retender_start_handled_on: Option<Date>,
    /// The day the derived dates were computed (running contracts move with time).
    pub derived_on: Date,
    /// Lower-cased title, reference, supplier and systems, for search.
    pub search_text: String,
    pub version: i32,
    pub created_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub archived_at: Option<DateTimeUtc>,
    /// The object's uuid in the municipality's Kitos, when imported from it
    /// (an IT system: its system usage's).
    pub kitos_uuid: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
