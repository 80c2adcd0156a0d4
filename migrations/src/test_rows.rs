//! Rows the migrations' tests write straight into the schema.

use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseConnection};

/// A contract `id` of municipality `t` and supplier `s` (foreign keys off)
/// whose annual and total value are both `amount`, an SQL expression.
pub async fn insert_contract(db: &DatabaseConnection, id: &str, amount: &str) {
    db.execute_unprepared(&format!(
        "INSERT INTO contracts (id, tenant_id, title, contract_type, supplier_id, \
         agreement_elements, annual_value, total_value, start_on, option_months, \
         options_total, options_exercised, notice_period_months, notice_to, \
         retender_lead_months, criticality, derived_on, search_text, version, \
         created_at, updated_at) VALUES ('{id}', 't', 'K', 'main', 's', '', {amount}, \
         {amount}, '2024-01-01', 0, 0, 0, 0, 'none', 12, 'normal', '2024-01-01', '', 1, \
         '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z')"
    ))
    .await
    .expect("the contract row is written");
}
