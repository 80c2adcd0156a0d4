//! The JSON of the OS2Kitos API (v2) as far as the importer reads it:
//! camelCase names, enums as strings, nulls written out, choice objects
//! (`{uuid, name}`) that may be null. Wrapper objects and lists are always
//! present in Kitos' answers but default here, so that a sparse answer
//! still reads. Dates stay text (`…T00:00:00Z`); `mapping` takes their
//! date part.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A value from one of Kitos' option lists, or a reference to an object.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Choice {
    pub uuid: Uuid,
    #[serde(default)]
    pub name: String,
}

/// An organisation as Kitos names it in a contract or usage.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OrganizationRef {
    pub uuid: Uuid,
    #[serde(default)]
    pub name: String,
    /// Not always a Danish CVR number: Kitos falls back to a foreign one.
    pub cvr: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Validity {
    /// Computed by Kitos per request; not trusted (see `mapping`).
    pub valid: bool,
    pub valid_from: Option<String>,
    pub valid_to: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct General {
    pub contract_id: Option<String>,
    pub contract_type: Option<Choice>,
    pub contract_template: Option<Choice>,
    pub criticality: Option<Choice>,
    pub agreement_elements: Vec<Choice>,
    pub notes: Option<String>,
    pub validity: Validity,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProcurementPlan {
    pub quarter_of_year: u8,
    pub year: i32,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Procurement {
    pub purchase_type: Option<Choice>,
    pub procurement_strategy: Option<Choice>,
    pub procurement_plan: Option<ProcurementPlan>,
    pub procurement_initiated: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SupplierPart {
    pub organization: Option<OrganizationRef>,
    pub signed: bool,
    pub signed_by: Option<String>,
    pub signed_at: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ResponsiblePart {
    pub organization_unit: Option<Choice>,
    pub signed: bool,
    pub signed_by: Option<String>,
    pub signed_at: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PaymentModelPart {
    pub operations_remuneration_started_at: Option<String>,
    pub payment_model: Option<Choice>,
    pub payment_frequency: Option<Choice>,
    pub price_regulation: Option<Choice>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AgreementPeriod {
    pub duration_years: Option<i32>,
    pub duration_months: Option<i32>,
    pub is_continuous: Option<bool>,
    pub extension_options: Option<Choice>,
    pub extension_options_used: i32,
    pub irrevocable_until: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TerminationTerms {
    /// The choice's name is the number of months (a non-number counts as 0).
    pub notice_period_months: Option<Choice>,
    /// `EndOfCalendarYear`, `EndOfQuarter` or `EndOfMonth`.
    pub notice_period_extends_current: Option<String>,
    pub notice_by_end_of: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Termination {
    pub terminated_at: Option<String>,
    pub terms: TerminationTerms,
}

/// One economy stream line: amounts in whole kroner; `operation` is per year.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Payment {
    pub id: Option<i64>,
    pub acquisition: i64,
    pub operation: i64,
    pub other: i64,
    pub accounting_entry: Option<String>,
    pub audit_status: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Payments {
    pub external: Vec<Payment>,
    pub internal: Vec<Payment>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RoleAssignment {
    pub user: Choice,
    pub role: Choice,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ExternalReference {
    pub uuid: Option<Uuid>,
    pub title: Option<String>,
    pub document_id: Option<String>,
    pub url: Option<String>,
    pub master_reference: bool,
}

/// `ItContractResponseDTO`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct KitosContract {
    pub uuid: Uuid,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub organization_context: Option<OrganizationRef>,
    pub last_modified: DateTime<Utc>,
    #[serde(default)]
    pub created_by: Option<Choice>,
    #[serde(default)]
    pub last_modified_by: Option<Choice>,
    #[serde(default)]
    pub parent_contract: Option<Choice>,
    #[serde(default)]
    pub general: General,
    #[serde(default)]
    pub procurement: Procurement,
    #[serde(default)]
    pub supplier: SupplierPart,
    #[serde(default)]
    pub responsible: ResponsiblePart,
    /// The usages' uuids, with the IT systems' names.
    #[serde(default)]
    pub system_usages: Vec<Choice>,
    #[serde(default)]
    pub data_processing_registrations: Vec<Choice>,
    #[serde(default)]
    pub payment_model: PaymentModelPart,
    #[serde(default)]
    pub agreement_period: AgreementPeriod,
    #[serde(default)]
    pub termination: Termination,
    #[serde(default)]
    pub payments: Payments,
    #[serde(default)]
    pub roles: Vec<RoleAssignment>,
    #[serde(default)]
    pub external_references: Vec<ExternalReference>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct UsageValidity {
    pub valid: bool,
    /// `Undecided`, `NotInUse`, `PhasingIn`, `Operational`, `PhasingOut` or null.
    pub life_cycle_status: Option<String>,
    pub valid_from: Option<String>,
    pub valid_to: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct UsageGeneral {
    pub local_call_name: Option<String>,
    pub local_system_id: Option<String>,
    pub system_version: Option<String>,
    pub main_contract: Option<Choice>,
    pub validity: UsageValidity,
}

/// An IT-system usage: one municipality's use of a system from the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct KitosSystemUsage {
    pub uuid: Uuid,
    /// The IT system in Kitos' catalogue.
    pub system_context: Choice,
    #[serde(default)]
    pub organization_context: Option<OrganizationRef>,
    pub last_modified: DateTime<Utc>,
    #[serde(default)]
    pub general: UsageGeneral,
}

/// One entry of the deleted-entities feed.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeletedEntity {
    pub occurred_at_utc: DateTime<Utc>,
    pub entity_uuid: Uuid,
    /// `ItContract`, `ItSystemUsage`, …
    pub entity_type: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Organization {
    pub uuid: Uuid,
    #[serde(default)]
    pub name: String,
    pub cvr: Option<String>,
    #[serde(default)]
    pub organization_type: Option<String>,
}

/// `POST /api/authorize/GetToken`'s answer, in Kitos' v1 envelope.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenEnvelope {
    #[serde(default)]
    pub msg: Option<String>,
    pub response: TokenResponse,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenResponse {
    pub token: String,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub login_successful: bool,
    pub expires: DateTime<Utc>,
}
