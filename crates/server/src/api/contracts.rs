//! `/contracts`: the contract register, with history, sharing and attachments.

use chrono::{DateTime, NaiveDate, Utc};
use poem::web::Data;
use poem_openapi::param::{Header, Path, Query};
use poem_openapi::payload::{Html, Json};
use poem_openapi::types::Example;
use poem_openapi::types::multipart::Upload;
use poem_openapi::{ApiResponse, Enum, Multipart, Object, OpenApi, Union};
use rust_decimal::Decimal;
use samudbud_domain::DomainError;
use samudbud_domain::contracts::attachments::{self, Attachment};
use samudbud_domain::contracts::bulk::{self, BulkAction};
use samudbud_domain::contracts::export as contract_export;
use samudbud_domain::contracts::{self, Contract, ContractFilter, ContractInput, ContractScope};
use samudbud_domain::exports::ocds;
use samudbud_domain::exports::sheet::SheetFormat;
use samudbud_domain::paging::{ChangeRead, PageRequest};
use samudbud_domain::principal::Principal;
use samudbud_domain::shares::Share;
use samudbud_domain::templates::documents;
use serde::Serialize;
use uuid::Uuid;

use super::ApiTags;
use super::audit::AuditEventDto;
use super::download::FileDownload;
use super::export::{self, Export};
use super::money::Dkk;
use super::people::{OwnerUserDto, owner_parameter};
use super::serialized::{Encoded, as_json, serde_body};
use super::template_content::{ContractTemplateDto, ContractTemplateInputDto};
use super::template_documents::WordDocument;
use super::text::{Code, Text};
use super::versioning::{IfMatch, etag};
use crate::problem::{ApiError, ApiResult};
use crate::responses::Answer;
use crate::security::{BearerAuth, BearerReadingContract, ReadingContract};
use crate::state::AppState;

pub struct ContractsApi;

/// The municipality that owns a contract.
#[derive(Object, Serialize)]
struct OwnerDto {
    id: Uuid,
    name: String,
    municipality_code: String,
}

#[derive(Object, Serialize)]
struct SupplierRefDto {
    id: Uuid,
    cvr: String,
    name: String,
}

#[derive(Object, Serialize)]
struct SystemRefDto {
    id: Uuid,
    name: String,
}

/// A contract. Codes (`status`, `contract_type`, …) are listed by `GET /options`.
#[derive(Object, Serialize)]
#[oai(rename = "Contract", skip_serializing_if_is_none)]
struct ContractDto {
    id: Uuid,
    owner: OwnerDto,
    /// True when the contract belongs to another municipality and is seen
    /// through a collaboration: read-only.
    shared: bool,
    title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    reference: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    /// `draft`, `active`, `expired` or `terminated`: derived from the dates unless set explicitly.
    status: String,
    /// The explicitly set status, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    status_override: Option<String>,
    contract_type: String,
    /// The main contract this one hangs under.
    #[serde(skip_serializing_if = "Option::is_none")]
    parent_id: Option<Uuid>,
    supplier: SupplierRefDto,
    systems: Vec<SystemRefDto>,
    #[serde(skip_serializing_if = "Option::is_none")]
    category: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cpv_code: Option<String>,
    agreement_elements: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    procedure: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    framework_agreement: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    annual_value: Option<Dkk>,
    #[serde(skip_serializing_if = "Option::is_none")]
    total_value: Option<Dkk>,
    #[serde(skip_serializing_if = "Option::is_none")]
    payment_model: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    payment_frequency: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    price_regulation: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    signed_on: Option<NaiveDate>,
    start_on: NaiveDate,
    /// The end of the fixed term; absent when running until terminated.
    #[serde(skip_serializing_if = "Option::is_none")]
    end_on: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    irrevocable_until: Option<NaiveDate>,
    option_months: u32,
    options_total: u32,
    options_exercised: u32,
    notice_period_months: u32,
    notice_to: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    terminated_on: Option<NaiveDate>,
    retender_lead_months: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    system_owner: Option<String>,
    /// The user of the municipality who owns the contract (left out: none;
    /// never shown to readers of a shared contract).
    #[serde(skip_serializing_if = "Option::is_none")]
    owner_user: Option<OwnerUserDto>,
    #[serde(skip_serializing_if = "Option::is_none")]
    responsible_unit: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    supplier_contact: Option<String>,
    criticality: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    notes: Option<String>,
    /// Published as open contracting data (`GET /contracts/export?format=ocds`).
    publishable: bool,
    /// Derived: the last day to give notice for the earliest possible end.
    #[serde(skip_serializing_if = "Option::is_none")]
    notice_deadline: Option<NaiveDate>,
    /// Derived: the end with the options exercised so far.
    #[serde(skip_serializing_if = "Option::is_none")]
    effective_end: Option<NaiveDate>,
    /// Derived: the end with every option exercised.
    #[serde(skip_serializing_if = "Option::is_none")]
    latest_end: Option<NaiveDate>,
    /// Derived: the day work on the next tender must begin.
    #[serde(skip_serializing_if = "Option::is_none")]
    retender_start: Option<NaiveDate>,
    // The published template version it is based on, with values and
    // deviations. Not a doc comment: with one, the spec wraps the reference
    // in an allOf, which generated clients name Contract + Template, the
    // name of the referenced schema itself (openapi-python-client then drops
    // Contract). The schema's own description says the same.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "as_json")]
    template: Option<ContractTemplateDto>,
    #[serde(serialize_with = "as_json")]
    created_at: DateTime<Utc>,
    #[serde(serialize_with = "as_json")]
    updated_at: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "as_json")]
    archived_at: Option<DateTime<Utc>>,
    /// The contract's uuid in the municipality's OS2Kitos, when it was
    /// imported from there.
    #[serde(skip_serializing_if = "Option::is_none")]
    kitos_uuid: Option<Uuid>,
}

impl From<Contract> for ContractDto {
    fn from(c: Contract) -> Self {
        Self {
            id: c.id,
            owner: OwnerDto {
                id: c.owner.id,
                name: c.owner.name,
                municipality_code: c.owner.municipality_code,
            },
            shared: c.shared_with_viewer,
            title: c.title,
            reference: c.reference,
            description: c.description,
            status: c.status,
            status_override: c.status_override,
            contract_type: c.contract_type,
            parent_id: c.parent_id,
            supplier: SupplierRefDto {
                id: c.supplier.id,
                cvr: c.supplier.cvr,
                name: c.supplier.name,
            },
            systems: c
                .systems
                .into_iter()
                .map(|s| SystemRefDto {
                    id: s.id,
                    name: s.name,
                })
                .collect(),
            category: c.category,
            cpv_code: c.cpv_code,
            agreement_elements: c.agreement_elements,
            procedure: c.procedure,
            framework_agreement: c.framework_agreement,
            annual_value: c.annual_value.map(Dkk),
            total_value: c.total_value.map(Dkk),
            payment_model: c.payment_model,
            payment_frequency: c.payment_frequency,
            price_regulation: c.price_regulation,
            signed_on: c.signed_on,
            start_on: c.start_on,
            end_on: c.end_on,
            irrevocable_until: c.irrevocable_until,
            option_months: c.option_months,
            options_total: c.options_total,
            options_exercised: c.options_exercised,
            notice_period_months: c.notice_period_months,
            notice_to: c.notice_to,
            terminated_on: c.terminated_on,
            retender_lead_months: c.retender_lead_months,
            system_owner: c.system_owner,
            owner_user: c.owner_user.map(OwnerUserDto::from),
            responsible_unit: c.responsible_unit,
            supplier_contact: c.supplier_contact,
            criticality: c.criticality,
            notes: c.notes,
            publishable: c.publishable,
            notice_deadline: c.notice_deadline,
            effective_end: c.effective_end,
            latest_end: c.latest_end,
            retender_start: c.retender_start,
            template: c.template.map(ContractTemplateDto::from),
            created_at: c.created_at,
            updated_at: c.updated_at,
            archived_at: c.archived_at,
            kitos_uuid: c.kitos_uuid,
        }
    }
}

/// A contract as written: all fields, on create (`POST`) and replace (`PUT`).
#[derive(Object)]
#[oai(rename = "ContractInput", deny_unknown_fields, example)]
struct ContractInputDto {
    title: Text<1, 300>,
    reference: Option<Text<0, 100>>,
    description: Option<Text<0, 10_000>>,
    /// Set only to override the status derived from the dates (e.g. `draft`).
    status: Option<Code>,
    /// Default `main`.
    contract_type: Option<Code>,
    parent_id: Option<Uuid>,
    /// From `GET /suppliers` or `POST /suppliers` (by CVR number).
    supplier_id: Option<Uuid>,
    /// The municipality's IT systems the contract covers.
    system_ids: Option<Vec<Uuid>>,
    category: Option<Text<0, 100>>,
    /// E.g. `48000000-8`.
    cpv_code: Option<Code>,
    agreement_elements: Option<Vec<Code>>,
    procedure: Option<Code>,
    framework_agreement: Option<Text<0, 200>>,
    annual_value: Option<Dkk>,
    total_value: Option<Dkk>,
    payment_model: Option<Code>,
    payment_frequency: Option<Code>,
    price_regulation: Option<Text<0, 200>>,
    signed_on: Option<NaiveDate>,
    start_on: Option<NaiveDate>,
    end_on: Option<NaiveDate>,
    irrevocable_until: Option<NaiveDate>,
    option_months: Option<u32>,
    options_total: Option<u32>,
    options_exercised: Option<u32>,
    notice_period_months: Option<u32>,
    /// `none` (default), `month`, `quarter` or `year`.
    notice_to: Option<Code>,
    terminated_on: Option<NaiveDate>,
    /// Default 12.
    retender_lead_months: Option<u32>,
    system_owner: Option<Text<0, 200>>,
    /// The contract's owner: an active user of the municipality (`GET
    /// /people`); left out for none.
    owner_user_id: Option<Uuid>,
    responsible_unit: Option<Text<0, 200>>,
    supplier_contact: Option<Text<0, 200>>,
    /// `low`, `normal` (default) or `high`.
    criticality: Option<Code>,
    notes: Option<Text<0, 10_000>>,
    /// Publish as open contracting data (OCDS); default false.
    publishable: Option<bool>,
    /// Base the contract on a published template version (left out: on none).
    template: Option<ContractTemplateInputDto>,
}

impl Example for ContractInputDto {
    fn example() -> Self {
        let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        Self {
            title: "ESDH-system, drift og vedligehold".into(),
            reference: Some("KK-2023-017".into()),
            description: Some("Elektronisk sags- og dokumenthåndtering for hele kommunen.".into()),
            status: None,
            contract_type: Some("main".into()),
            parent_id: None,
            supplier_id: Some(Uuid::nil()),
            system_ids: Some(vec![Uuid::nil()]),
            category: Some("ESDH".into()),
            cpv_code: Some("48000000-8".into()),
            agreement_elements: Some(vec!["licence".into(), "operation".into(), "support".into()]),
            procedure: Some("framework_mini_competition".into()),
            framework_agreement: Some("SKI 02.19 Standardsoftware".into()),
            annual_value: Some(Dkk(Decimal::new(125_000_000, 2))),
            total_value: Some(Dkk(Decimal::new(500_000_000, 2))),
            payment_model: Some("licence".into()),
            payment_frequency: Some("quarterly".into()),
            price_regulation: Some("Nettoprisindeks, årligt pr. 1. januar".into()),
            signed_on: date(2023, 3, 14),
            start_on: date(2023, 4, 1),
            end_on: date(2027, 3, 31),
            irrevocable_until: date(2025, 3, 31),
            option_months: Some(12),
            options_total: Some(2),
            options_exercised: Some(0),
            notice_period_months: Some(6),
            notice_to: Some("month".into()),
            terminated_on: None,
            retender_lead_months: Some(12),
            system_owner: Some("Digitaliseringschef".into()),
            owner_user_id: None,
            responsible_unit: Some("Digitalisering og IT".into()),
            supplier_contact: Some("kundeansvarlig@leverandoer.dk".into()),
            criticality: Some("high".into()),
            notes: None,
            publishable: Some(true),
            template: Some(ContractTemplateInputDto::example()),
        }
    }
}

impl From<ContractInputDto> for ContractInput {
    fn from(d: ContractInputDto) -> Self {
        Self {
            title: d.title.into(),
            reference: d.reference.map(String::from),
            description: d.description.map(String::from),
            status: d.status.map(String::from),
            contract_type: d.contract_type.map(String::from),
            parent_id: d.parent_id,
            supplier_id: d.supplier_id,
            system_ids: d.system_ids.unwrap_or_default(),
            category: d.category.map(String::from),
            cpv_code: d.cpv_code.map(String::from),
            agreement_elements: d
                .agreement_elements
                .unwrap_or_default()
                .into_iter()
                .map(String::from)
                .collect(),
            procedure: d.procedure.map(String::from),
            framework_agreement: d.framework_agreement.map(String::from),
            annual_value: d.annual_value.map(|v| v.0),
            total_value: d.total_value.map(|v| v.0),
            payment_model: d.payment_model.map(String::from),
            payment_frequency: d.payment_frequency.map(String::from),
            price_regulation: d.price_regulation.map(String::from),
            signed_on: d.signed_on,
            start_on: d.start_on,
            end_on: d.end_on,
            irrevocable_until: d.irrevocable_until,
            option_months: d.option_months,
            options_total: d.options_total,
            options_exercised: d.options_exercised,
            notice_period_months: d.notice_period_months,
            notice_to: d.notice_to.map(String::from),
            terminated_on: d.terminated_on,
            retender_lead_months: d.retender_lead_months,
            system_owner: d.system_owner.map(String::from),
            owner_user_id: d.owner_user_id,
            responsible_unit: d.responsible_unit.map(String::from),
            supplier_contact: d.supplier_contact.map(String::from),
            criticality: d.criticality.map(String::from),
            notes: d.notes.map(String::from),
            publishable: d.publishable.unwrap_or(false),
            template: d.template.map(Into::into),
        }
    }
}

#[derive(Object, Serialize)]
#[oai(skip_serializing_if_is_none)]
struct ContractPage {
    items: Vec<ContractDto>,
    total: u64,
    page: u64,
    page_size: u64,
    totals: ContractTotalsDto,
    /// When the list is read in order of last change (`changed_since` or
    /// `cursor`): pass as `cursor` for the page after this one; the same
    /// position comes back when this page was empty.
    #[serde(skip_serializing_if = "Option::is_none")]
    next_cursor: Option<String>,
}

/// Everything the list's filters match, not just the page: how many
/// contracts, and the sums of their annual and total values (a contract
/// without a value adds nothing).
#[derive(Object, Serialize)]
#[oai(rename = "ContractTotals", example)]
struct ContractTotalsDto {
    count: u64,
    annual_value: Dkk,
    total_value: Dkk,
}

impl Example for ContractTotalsDto {
    fn example() -> Self {
        Self {
            count: 3,
            annual_value: Dkk(Decimal::new(375_000_000, 2)),
            total_value: Dkk(Decimal::new(1_500_000_000, 2)),
        }
    }
}

impl From<contracts::ContractTotals> for ContractTotalsDto {
    fn from(t: contracts::ContractTotals) -> Self {
        Self {
            count: t.count,
            annual_value: Dkk(t.annual_value),
            total_value: Dkk(t.total_value),
        }
    }
}

/// Whose contracts a list shows.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[oai(rename_all = "lowercase", rename = "ContractScope")]
enum ContractScopeDto {
    /// The municipality's own (default).
    Own,
    /// Other municipalities' contracts shared with it.
    Shared,
    All,
}

#[derive(Object)]
#[oai(rename = "ContractShare")]
struct ShareDto {
    collaboration_id: Uuid,
    /// The collaboration's members also see and download the contract's attachments.
    include_attachments: bool,
    created_at: DateTime<Utc>,
}

impl From<Share> for ShareDto {
    fn from(s: Share) -> Self {
        Self {
            collaboration_id: s.collaboration_id,
            include_attachments: s.include_attachments,
            created_at: s.created_at,
        }
    }
}

#[derive(Object)]
#[oai(deny_unknown_fields)]
struct NewShare {
    collaboration_id: Uuid,
    /// Let the collaboration's members see and download the contract's
    /// attachments too (default: fields only).
    #[oai(default)]
    include_attachments: bool,
}

/// A change to a share.
#[derive(Object)]
#[oai(rename = "ContractShareChange", deny_unknown_fields)]
struct ShareChange {
    /// Let the collaboration's members see and download the contract's attachments.
    include_attachments: bool,
}

/// Many contracts and one action on them all.
#[derive(Object)]
#[oai(rename = "BulkContractUpdate", deny_unknown_fields, example)]
struct BulkUpdate {
    /// The municipality's own contracts, 1 to 1000.
    #[oai(validator(min_items = 1, max_items = 1000))]
    contract_ids: Vec<Uuid>,
    action: BulkActionDto,
}

impl Example for BulkUpdate {
    fn example() -> Self {
        Self {
            contract_ids: vec![
                Uuid::from_u128(0x5f1e_7a52_2d5e_4a8e_9d43_0c3c_1a7b_9e10),
                Uuid::from_u128(0x8c0d_41b6_6a7e_4f35_b1c2_9e8d_7f60_a5b4),
            ],
            action: BulkActionDto::Share(BulkShare {
                collaboration_id: Uuid::from_u128(0x2b6f_93d1_07c4_4e2a_a8f5_61d0_3c9e_b7a2),
                include_attachments: false,
            }),
        }
    }
}

/// What to do to every contract named, tagged with its kind:
/// `{"kind": "set_category", "category": "Drift"}`.
#[derive(Union)]
#[oai(rename = "BulkContractAction", discriminator_name = "kind", one_of)]
enum BulkActionDto {
    /// Share with a collaboration (a share already there is unchanged, or
    /// gets the asked attachment choice).
    #[oai(mapping = "share")]
    Share(BulkShare),
    /// Stop sharing with a collaboration.
    #[oai(mapping = "unshare")]
    Unshare(BulkUnshare),
    /// Archive (already archived: unchanged).
    #[oai(mapping = "archive")]
    Archive(BulkArchive),
    /// Restore (not archived: unchanged).
    #[oai(mapping = "restore")]
    Restore(BulkRestore),
    #[oai(mapping = "set_category")]
    SetCategory(BulkSetCategory),
    #[oai(mapping = "set_responsible_unit")]
    SetResponsibleUnit(BulkSetResponsibleUnit),
}

#[derive(Object)]
#[oai(rename = "BulkShare")]
struct BulkShare {
    collaboration_id: Uuid,
    #[oai(default)]
    include_attachments: bool,
}

#[derive(Object)]
#[oai(rename = "BulkUnshare")]
struct BulkUnshare {
    collaboration_id: Uuid,
}

/// Archiving: no fields of its own.
#[derive(Object)]
#[oai(rename = "BulkArchive")]
struct BulkArchive {}

/// Restoring: no fields of its own.
#[derive(Object)]
#[oai(rename = "BulkRestore")]
struct BulkRestore {}

#[derive(Object)]
#[oai(rename = "BulkSetCategory")]
struct BulkSetCategory {
    category: Text<1, 100>,
}

#[derive(Object)]
#[oai(rename = "BulkSetResponsibleUnit")]
struct BulkSetResponsibleUnit {
    /// `null` clears it.
    responsible_unit: Option<Text<0, 200>>,
}

impl From<BulkActionDto> for BulkAction {
    fn from(dto: BulkActionDto) -> Self {
        match dto {
            BulkActionDto::Share(s) => BulkAction::Share {
                collaboration_id: s.collaboration_id,
                include_attachments: s.include_attachments,
            },
            BulkActionDto::Unshare(u) => BulkAction::Unshare {
                collaboration_id: u.collaboration_id,
            },
            BulkActionDto::Archive(_) => BulkAction::Archive,
            BulkActionDto::Restore(_) => BulkAction::Restore,
            BulkActionDto::SetCategory(c) => BulkAction::SetCategory {
                category: c.category.into(),
            },
            BulkActionDto::SetResponsibleUnit(r) => BulkAction::SetResponsibleUnit {
                responsible_unit: r.responsible_unit.map(Into::into),
            },
        }
    }
}

/// What a bulk action did.
#[derive(Object)]
#[oai(rename = "BulkContractResult")]
struct BulkResult {
    /// Contracts the action changed.
    changed: u32,
    /// Contracts that already were as asked.
    unchanged: u32,
}

super::whole_list!(ShareList, ShareDto);

super::whole_list!(HistoryList, AuditEventDto);

#[derive(Object)]
#[oai(rename = "Attachment")]
struct AttachmentDto {
    id: Uuid,
    filename: String,
    content_type: String,
    size_bytes: i64,
    sha256: String,
    created_at: DateTime<Utc>,
}

impl From<Attachment> for AttachmentDto {
    fn from(a: Attachment) -> Self {
        Self {
            id: a.id,
            filename: a.filename,
            content_type: a.content_type,
            size_bytes: a.size_bytes,
            sha256: a.sha256,
            created_at: a.created_at,
        }
    }
}

super::whole_list!(AttachmentList, AttachmentDto);

/// A PDF, DOCX or XLSX file of at most 20 MiB.
#[derive(Multipart)]
struct AttachmentUpload {
    file: Upload,
}

#[derive(ApiResponse)]
enum ContractResponse {
    #[oai(status = 200)]
    Ok(Encoded<ContractDto>, #[oai(header = "ETag")] String),
}

#[derive(ApiResponse)]
enum CreatedContract {
    #[oai(status = 201)]
    Created(
        Json<ContractDto>,
        #[oai(header = "ETag")] String,
        #[oai(header = "Location")] String,
    ),
}

#[derive(ApiResponse)]
enum CreatedShare {
    #[oai(status = 201)]
    Created(Json<ShareDto>),
}

#[derive(ApiResponse)]
enum CreatedAttachment {
    #[oai(status = 201)]
    Created(Json<AttachmentDto>),
}

#[derive(ApiResponse)]
enum Done {
    #[oai(status = 204)]
    Done,
}

fn ok(contract: Contract) -> Result<ContractResponse, DomainError> {
    answered(written(contract)?)
}

/// A contract as `ContractResponse` writes it, to answer now or to keep.
fn written(contract: Contract) -> Result<Answer, DomainError> {
    let tag = etag(contract.version);
    Ok(Answer::tagged(
        serde_body(&ContractDto::from(contract))?,
        tag,
    ))
}

/// A contract as written or kept (inflated: its `ETag` names the JSON).
fn answered(answer: Answer) -> Result<ContractResponse, DomainError> {
    let etag = answer.etag.clone().unwrap_or_default();
    Ok(ContractResponse::Ok(
        Encoded::new(answer.sent(false)?.body),
        etag,
    ))
}

/// What an export of the register is written as.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[oai(rename = "ContractExportFormat", rename_all = "lowercase")]
enum ContractExportFormat {
    /// An Excel workbook in the register's columns.
    Xlsx,
    /// `;`-separated UTF-8 with BOM in the register's columns.
    Csv,
    /// An OCDS 1.1 release package of the publishable contracts.
    Ocds,
}

/// The filters and sort of a contract list, as the query gives them.
struct ListParams {
    sort: Option<String>,
    q: Option<String>,
    scope: Option<ContractScopeDto>,
    status: Option<String>,
    supplier_id: Option<Uuid>,
    system_id: Option<Uuid>,
    category: Option<String>,
    cpv: Option<String>,
    owner: Option<String>,
    ends_before: Option<NaiveDate>,
    ends_after: Option<NaiveDate>,
    notice_within_days: Option<u32>,
    retender_within_days: Option<u32>,
    notice_overdue: Option<bool>,
    retender_overdue: Option<bool>,
    criticality: Option<String>,
    shared_with: Option<Uuid>,
    template_id: Option<Uuid>,
    template_version: Option<i32>,
    has_deviations: Option<bool>,
    include_archived: Option<bool>,
    changed_since: Option<DateTime<Utc>>,
}

fn filter_of(
    principal: &Principal,
    p: ListParams,
) -> samudbud_domain::error::DomainResult<ContractFilter> {
    let (owner_user, owner) = owner_parameter(principal, p.owner)?;
    Ok(ContractFilter {
        scope: match p.scope {
            None | Some(ContractScopeDto::Own) => ContractScope::Own,
            Some(ContractScopeDto::Shared) => ContractScope::Shared,
            Some(ContractScopeDto::All) => ContractScope::Both,
        },
        q: p.q,
        status: p.status,
        supplier_id: p.supplier_id,
        system_id: p.system_id,
        category: p.category,
        cpv: p.cpv,
        owner,
        owner_user,
        ends_before: p.ends_before,
        ends_after: p.ends_after,
        notice_within_days: p.notice_within_days,
        retender_within_days: p.retender_within_days,
        notice_overdue: p.notice_overdue.unwrap_or(false),
        retender_overdue: p.retender_overdue.unwrap_or(false),
        criticality: p.criticality,
        shared_with: p.shared_with,
        template_id: p.template_id,
        template_version: p.template_version,
        has_deviations: p.has_deviations,
        include_archived: p.include_archived.unwrap_or(false),
        changed_since: p.changed_since,
        sort: p.sort,
    })
}

/// The address the package was fetched from, as its `uri`: the request's
/// own, on the host it was asked of (https unless the host is this machine).
fn package_uri(request: &poem::Request) -> String {
    let host = request
        .headers()
        .get(poem::http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| !h.is_empty())
        .unwrap_or("localhost");
    let local =
        host.starts_with("localhost") || host.starts_with("127.") || host.starts_with("[::1]");
    let scheme = if local { "http" } else { "https" };
    let path = request
        .original_uri()
        .path_and_query()
        .map_or("/", |p| p.as_str());
    format!("{scheme}://{host}{path}")
}

/// The publishable contracts of an export as an OCDS release package.
fn ocds_package(
    db: samudbud_domain::Db,
    mut found: contract_export::ContractExport,
    prefix: String,
    uri: String,
) -> Export {
    let municipality = found.municipality.clone();
    let published = Utc::now();
    let release_prefix = prefix.clone();
    let release_municipality = municipality.clone();
    let body = export::stream(
        move |tx| async move {
            loop {
                let read = found.next_batch(&db).await.map(|batch| {
                    batch.map(|b| {
                        let package = ocds::Package {
                            uri: "",
                            published,
                            municipality: &release_municipality,
                            prefix: &release_prefix,
                        };
                        b.contracts
                            .iter()
                            .map(|c| ocds::release(c, &package, &b.cpv_labels))
                            .collect()
                    })
                });
                if !export::forward(&tx, read).await {
                    break;
                }
            }
        },
        move |rx, out| {
            let package = ocds::Package {
                uri: &uri,
                published,
                municipality: &municipality,
                prefix: &prefix,
            };
            let mut writer = ocds::PackageWriter::start(&package, out)?;
            while let Some(releases) = export::next_batch(rx)? {
                for release in &releases {
                    writer.release(release)?;
                }
            }
            writer.finish()
        },
    );
    Export {
        content_type: export::OCDS_JSON,
        filename: samudbud_domain::exports::file_name("kontrakter-ocds", "json"),
        body,
    }
}

#[OpenApi(prefix_path = "/contracts", tag = "ApiTags::Contracts")]
impl ContractsApi {
    /// Find contracts: search, filters, sorting, pages of up to 200, with the
    /// count and value totals of everything the filters match.
    #[allow(clippy::too_many_arguments)]
    #[oai(path = "/", method = "get", operation_id = "listContracts")]
    async fn list(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        request: &poem::Request,
        page: Query<Option<u64>>,
        page_size: Query<Option<u64>>,
        /// A column (`title`, `supplier`, `notice_deadline`, `annual_value`, …), `-` first for descending.
        sort: Query<Option<String>>,
        /// Words to find in title, reference, supplier (name or CVR) and IT systems.
        q: Query<Option<String>>,
        scope: Query<Option<ContractScopeDto>>,
        status: Query<Option<String>>,
        supplier_id: Query<Option<Uuid>>,
        system_id: Query<Option<Uuid>>,
        category: Query<Option<String>>,
        /// A CPV code or its leading digits (a CPV group).
        cpv: Query<Option<String>>,
        /// `me` (the caller's own contracts), `none` (without an owning
        /// user) or a user's id; any other text is part of the free-text
        /// system owner's or responsible unit's name.
        owner: Query<Option<String>>,
        /// Effective end before this day.
        ends_before: Query<Option<NaiveDate>>,
        /// Effective end after this day.
        ends_after: Query<Option<NaiveDate>>,
        /// An open notice deadline (of a contract in force: active or not
        /// started yet) from today to this many days ahead, as Overblik counts them.
        notice_within_days: Query<Option<u32>>,
        /// An open re-tender start (of a contract in force) from today to
        /// this many days ahead, as Overblik counts them.
        retender_within_days: Query<Option<u32>>,
        /// `true`: an open notice deadline that has passed (the contract is
        /// still in force).
        notice_overdue: Query<Option<bool>>,
        /// `true`: an open re-tender start that has passed (the contract is
        /// still in force).
        retender_overdue: Query<Option<bool>>,
        criticality: Query<Option<String>>,
        /// Shared with this collaboration, by this municipality or (with
        /// `scope=shared` or `all`) by the other members; nothing unless the
        /// municipality is a member.
        shared_with: Query<Option<Uuid>>,
        /// Based on this template.
        template_id: Query<Option<Uuid>>,
        /// Based on a template version with this number (with `template_id`: of that template).
        template_version: Query<Option<i32>>,
        /// Based on a template with (`true`) or without (`false`) deviations.
        has_deviations: Query<Option<bool>>,
        /// Include archived contracts (own only).
        include_archived: Query<Option<bool>>,
        /// Only contracts changed at or after this time, sorted by last change (for synchronisation).
        changed_since: Query<Option<DateTime<Utc>>>,
        /// The `next_cursor` of the page before: read on in order of last
        /// change (and id), `page_size` at a time, `page` ignored. Send the
        /// same filters as for the first page.
        cursor: Query<Option<String>>,
    ) -> ApiResult<Encoded<ContractPage>> {
        let paging = PageRequest::new(page.0, page_size.0)?;
        let after =
            ChangeRead::from_params(changed_since.0, cursor.0.as_deref(), sort.0.as_deref())?
                .and_then(|read| read.after);
        let filter = filter_of(
            &auth.0,
            ListParams {
                sort: sort.0,
                q: q.0,
                scope: scope.0,
                status: status.0,
                supplier_id: supplier_id.0,
                system_id: system_id.0,
                category: category.0,
                cpv: cpv.0,
                owner: owner.0,
                ends_before: ends_before.0,
                ends_after: ends_after.0,
                notice_within_days: notice_within_days.0,
                retender_within_days: retender_within_days.0,
                notice_overdue: notice_overdue.0,
                retender_overdue: retender_overdue.0,
                criticality: criticality.0,
                shared_with: shared_with.0,
                template_id: template_id.0,
                template_version: template_version.0,
                has_deviations: has_deviations.0,
                include_archived: include_archived.0,
                changed_since: changed_since.0,
            },
        )?;
        let key = state.responses.key(&auth.0, request);
        let answer = state
            .responses
            .answer(key, async {
                let page = if after.is_some() {
                    let (items, totals, next) = contracts::list_contracts_by_change(
                        &state.db,
                        &auth.0,
                        filter,
                        after,
                        paging.page_size,
                    )
                    .await?;
                    ContractPage {
                        items: items.into_iter().map(ContractDto::from).collect(),
                        total: totals.count,
                        page: 1,
                        page_size: paging.page_size,
                        totals: totals.into(),
                        next_cursor: next.map(|c| c.encode()),
                    }
                } else {
                    let (found, totals) =
                        contracts::list_contracts_with_totals(&state.db, &auth.0, filter, paging)
                            .await?;
                    ContractPage {
                        items: found.items.into_iter().map(ContractDto::from).collect(),
                        total: found.total,
                        page: found.page,
                        page_size: found.page_size,
                        totals: totals.into(),
                        next_cursor: found.next_cursor.map(|c| c.encode()),
                    }
                };
                Ok::<_, ApiError>(Answer::new(serde_body(&page)?))
            })
            .await?;
        Ok(Encoded::answer(answer, request)?)
    }

    /// Export every contract a list with these filters finds, in its order
    /// (no pages): `xlsx` (Excel, typed cells) or `csv` (`;`-separated UTF-8
    /// with BOM, decimal comma, dd-mm-yyyy dates), in the register's columns,
    /// which the import reads back; or `ocds`, an OCDS 1.1 release package
    /// of those among them marked `publishable` (409 when there is none, as
    /// a package holds at least one release). Streamed as it is written.
    #[allow(clippy::too_many_arguments)]
    #[oai(path = "/export", method = "get", operation_id = "exportContracts")]
    async fn export(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        request: &poem::Request,
        format: Query<ContractExportFormat>,
        /// As for the list.
        sort: Query<Option<String>>,
        q: Query<Option<String>>,
        scope: Query<Option<ContractScopeDto>>,
        status: Query<Option<String>>,
        supplier_id: Query<Option<Uuid>>,
        system_id: Query<Option<Uuid>>,
        category: Query<Option<String>>,
        cpv: Query<Option<String>>,
        owner: Query<Option<String>>,
        ends_before: Query<Option<NaiveDate>>,
        ends_after: Query<Option<NaiveDate>>,
        notice_within_days: Query<Option<u32>>,
        retender_within_days: Query<Option<u32>>,
        notice_overdue: Query<Option<bool>>,
        retender_overdue: Query<Option<bool>>,
        criticality: Query<Option<String>>,
        shared_with: Query<Option<Uuid>>,
        template_id: Query<Option<Uuid>>,
        template_version: Query<Option<i32>>,
        has_deviations: Query<Option<bool>>,
        include_archived: Query<Option<bool>>,
        changed_since: Query<Option<DateTime<Utc>>>,
    ) -> ApiResult<Export> {
        let filter = filter_of(
            &auth.0,
            ListParams {
                sort: sort.0,
                q: q.0,
                scope: scope.0,
                status: status.0,
                supplier_id: supplier_id.0,
                system_id: system_id.0,
                category: category.0,
                cpv: cpv.0,
                owner: owner.0,
                ends_before: ends_before.0,
                ends_after: ends_after.0,
                notice_within_days: notice_within_days.0,
                retender_within_days: retender_within_days.0,
                notice_overdue: notice_overdue.0,
                retender_overdue: retender_overdue.0,
                criticality: criticality.0,
                shared_with: shared_with.0,
                template_id: template_id.0,
                template_version: template_version.0,
                has_deviations: has_deviations.0,
                include_archived: include_archived.0,
                changed_since: changed_since.0,
            },
        )?;
        let ocds = format.0 == ContractExportFormat::Ocds;
        let mut found =
            contract_export::export_contracts(&state.db, &auth.0, &filter, ocds).await?;
        let db = state.db.clone();
        let sheet_format = match format.0 {
            ContractExportFormat::Xlsx => SheetFormat::Xlsx,
            ContractExportFormat::Csv => SheetFormat::Csv,
            ContractExportFormat::Ocds => {
                if found.is_empty() {
                    // A release package holds at least one release.
                    return Err(samudbud_domain::DomainError::Conflict {
                        message: "Ingen af de fundne kontrakter er markeret til offentliggørelse \
                                  (OCDS), og en udgivelsespakke skal indeholde mindst én."
                            .to_owned(),
                        field: None,
                    }
                    .into());
                }
                let prefix = state
                    .site
                    .ocds_prefix
                    .clone()
                    .unwrap_or_else(|| ocds::DEFAULT_PREFIX.to_owned());
                return Ok(ocds_package(db, found, prefix, package_uri(request)));
            }
        };
        Ok(export::sheet(
            sheet_format,
            "Kontrakter",
            contract_export::columns(),
            "kontrakter",
            move |tx| async move {
                loop {
                    let read = found.next_batch(&db).await.map(|batch| {
                        batch.map(|b| {
                            b.contracts
                                .iter()
                                .map(|c| contract_export::row(c, &b.parent_references))
                                .collect()
                        })
                    });
                    if !export::forward(&tx, read).await {
                        break;
                    }
                }
            },
        ))
    }

    /// One action on many of the municipality's own contracts (1–1000):
    /// share, stop sharing, archive, restore, set category or responsible
    /// unit. All or nothing: an id that is not one of the municipality's
    /// contracts, or an archived one for an action that needs it restored,
    /// refuses the whole request (422, the ids named per field) and changes
    /// nothing. Each changed contract gets its own audit record; field
    /// changes and archiving move its ETag.
    #[oai(path = "/bulk", method = "post", operation_id = "bulkUpdateContracts")]
    async fn bulk(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        body: Json<BulkUpdate>,
    ) -> ApiResult<Json<BulkResult>> {
        let body = body.0;
        let done =
            bulk::bulk_update(&state.db, &auth.0, &body.contract_ids, body.action.into()).await?;
        Ok(Json(BulkResult {
            changed: done.changed,
            unchanged: done.unchanged,
        }))
    }

    /// Register a contract.
    #[oai(path = "/", method = "post", operation_id = "createContract")]
    async fn create(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        body: Json<ContractInputDto>,
    ) -> ApiResult<CreatedContract> {
        let created = contracts::create_contract(&state.db, &auth.0, body.0.into()).await?;
        let tag = etag(created.version);
        let location = format!("{}/contracts/{}", super::API_PREFIX, created.id);
        Ok(CreatedContract::Created(
            Json(created.into()),
            tag,
            location,
        ))
    }

    /// Read a contract: the municipality's own, or one shared with it.
    #[oai(path = "/:id", method = "get", operation_id = "getContract")]
    async fn get(
        &self,
        state: Data<&AppState>,
        auth: BearerReadingContract,
        request: &poem::Request,
        id: Path<Uuid>,
    ) -> ApiResult<ContractResponse> {
        let ReadingContract { caller, ahead } = auth.0;
        let key = state.responses.key(&caller, request);
        let answer = state
            .responses
            .answer(key, async {
                written(contracts::get_contract_read_ahead(&state.db, &caller, id.0, ahead).await?)
            })
            .await?;
        Ok(answered(answer)?)
    }

    /// Replace a contract's fields (needs `If-Match`; a stale one changes nothing).
    #[oai(path = "/:id", method = "put", operation_id = "updateContract")]
    async fn update(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<Uuid>,
        #[oai(name = "If-Match")] if_match: Header<IfMatch>,
        body: Json<ContractInputDto>,
    ) -> ApiResult<ContractResponse> {
        let version = if_match.0.version()?;
        Ok(ok(contracts::update_contract(
            &state.db,
            &auth.0,
            id.0,
            version,
            body.0.into(),
        )
        .await?)?)
    }

    /// Archive a contract (needs `If-Match`): it leaves lists and deadlines,
    /// keeps its history, and can be restored.
    #[oai(path = "/:id", method = "delete", operation_id = "archiveContract")]
    async fn archive(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<Uuid>,
        #[oai(name = "If-Match")] if_match: Header<IfMatch>,
    ) -> ApiResult<ContractResponse> {
        let version = if_match.0.version()?;
        Ok(ok(contracts::set_archived(
            &state.db, &auth.0, id.0, version, true,
        )
        .await?)?)
    }

    /// Restore an archived contract (needs `If-Match`).
    #[oai(
        path = "/:id/restore",
        method = "post",
        operation_id = "restoreContract"
    )]
    async fn restore(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<Uuid>,
        #[oai(name = "If-Match")] if_match: Header<IfMatch>,
    ) -> ApiResult<ContractResponse> {
        let version = if_match.0.version()?;
        Ok(ok(contracts::set_archived(
            &state.db, &auth.0, id.0, version, false,
        )
        .await?)?)
    }

    /// The contract's changes, newest first, with before and after.
    #[oai(
        path = "/:id/history",
        method = "get",
        operation_id = "getContractHistory"
    )]
    async fn history(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<Json<HistoryList>> {
        let entries = contracts::history(&state.db, &auth.0, id.0).await?;
        Ok(Json(HistoryList::of(
            entries.into_iter().map(AuditEventDto::from).collect(),
        )))
    }

    /// The collaborations the contract is shared with.
    #[oai(
        path = "/:id/shares",
        method = "get",
        operation_id = "listContractShares"
    )]
    async fn shares(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<Json<ShareList>> {
        let found = contracts::list_shares(&state.db, &auth.0, id.0).await?;
        Ok(Json(ShareList::of(
            found.into_iter().map(ShareDto::from).collect(),
        )))
    }

    /// Share the contract, read-only, with a collaboration the municipality is a member of.
    #[oai(path = "/:id/shares", method = "post", operation_id = "shareContract")]
    async fn share(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<Uuid>,
        body: Json<NewShare>,
    ) -> ApiResult<CreatedShare> {
        let created = contracts::share(
            &state.db,
            &auth.0,
            id.0,
            body.0.collaboration_id,
            body.0.include_attachments,
        )
        .await?;
        Ok(CreatedShare::Created(Json(created.into())))
    }

    /// Change a share: whether the contract's attachments go with it.
    #[oai(
        path = "/:id/shares/:collaboration_id",
        method = "patch",
        operation_id = "updateContractShare"
    )]
    async fn update_share(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<Uuid>,
        collaboration_id: Path<Uuid>,
        body: Json<ShareChange>,
    ) -> ApiResult<Json<ShareDto>> {
        let changed = contracts::set_share_attachments(
            &state.db,
            &auth.0,
            id.0,
            collaboration_id.0,
            body.0.include_attachments,
        )
        .await?;
        Ok(Json(changed.into()))
    }

    /// Stop sharing the contract with a collaboration.
    #[oai(
        path = "/:id/shares/:collaboration_id",
        method = "delete",
        operation_id = "unshareContract"
    )]
    async fn unshare(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<Uuid>,
        collaboration_id: Path<Uuid>,
    ) -> ApiResult<Done> {
        contracts::unshare(&state.db, &auth.0, id.0, collaboration_id.0).await?;
        Ok(Done::Done)
    }

    /// The contract's text filled in from its template version (values,
    /// deviations marked) as a Word document.
    #[oai(
        path = "/:id/document.docx",
        method = "get",
        operation_id = "contractDocument"
    )]
    async fn document(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<WordDocument> {
        Ok(documents::contract_docx(&state.db, &auth.0, id.0)
            .await?
            .into())
    }

    /// The contract's filled text as a clean, printable HTML page.
    #[oai(
        path = "/:id/document.html",
        method = "get",
        operation_id = "contractHtml"
    )]
    async fn html(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<Html<String>> {
        Ok(Html(
            documents::contract_html(&state.db, &auth.0, id.0).await?,
        ))
    }

    /// The contract's attachments: the owner's users, and members of a
    /// collaboration it is shared with attachments included.
    #[oai(
        path = "/:id/attachments",
        method = "get",
        operation_id = "listAttachments"
    )]
    async fn attachments(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<Json<AttachmentList>> {
        let found = attachments::list(&state.db, &auth.0, id.0).await?;
        Ok(Json(AttachmentList::of(
            found.into_iter().map(AttachmentDto::from).collect(),
        )))
    }

    /// Attach a file: PDF, DOCX or XLSX, at most 20 MiB; the content must match the type.
    #[oai(
        path = "/:id/attachments",
        method = "post",
        operation_id = "uploadAttachment"
    )]
    async fn upload(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<Uuid>,
        form: AttachmentUpload,
    ) -> ApiResult<CreatedAttachment> {
        let filename = form.file.file_name().unwrap_or_default().to_owned();
        let bytes = form.file.into_vec().await.map_err(|e| {
            samudbud_domain::DomainError::invalid(
                "file",
                "unreadable",
                format!("the upload could not be read: {e}"),
            )
        })?;
        let created = attachments::upload(&state.db, &auth.0, id.0, &filename, bytes).await?;
        Ok(CreatedAttachment::Created(Json(created.into())))
    }

    /// Download an attachment (as its list: owner, or shared with attachments).
    #[oai(
        path = "/:id/attachments/:attachment_id",
        method = "get",
        operation_id = "downloadAttachment"
    )]
    async fn download(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<Uuid>,
        attachment_id: Path<Uuid>,
    ) -> ApiResult<FileDownload> {
        let (meta, bytes) =
            attachments::download(&state.db, &auth.0, id.0, attachment_id.0).await?;
        Ok(FileDownload {
            bytes,
            content_type: meta.content_type,
            filename: meta.filename,
        })
    }

    /// Remove an attachment.
    #[oai(
        path = "/:id/attachments/:attachment_id",
        method = "delete",
        operation_id = "deleteAttachment"
    )]
    async fn delete_attachment(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<Uuid>,
        attachment_id: Path<Uuid>,
    ) -> ApiResult<Done> {
        attachments::remove(&state.db, &auth.0, id.0, attachment_id.0).await?;
        Ok(Done::Done)
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::super::serialized::assert_same_json;
    use super::*;

    fn contract(filled: bool) -> ContractDto {
        let id = Uuid::from_u128(7);
        let date = NaiveDate::from_ymd_opt(2027, 3, 31).unwrap();
        let time = Utc.with_ymd_and_hms(2026, 12, 3, 11, 30, 15).unwrap()
            + chrono::Duration::microseconds(123_456);
        let text = |s: &str| filled.then(|| format!("{s} «æøå» \"citat\""));
        let day = filled.then_some(date);
        ContractDto {
            id,
            owner: OwnerDto {
                id,
                name: "Sorø Kommune".into(),
                municipality_code: "340".into(),
            },
            shared: filled,
            title: "Drift af ESDH".into(),
            reference: text("K-1"),
            description: text("Beskrivelse\nmed linjeskift"),
            status: "active".into(),
            status_override: text("draft"),
            contract_type: "service".into(),
            parent_id: filled.then_some(id),
            supplier: SupplierRefDto {
                id,
                cvr: "12345678".into(),
                name: "Leverandør A/S".into(),
            },
            systems: vec![SystemRefDto {
                id,
                name: "ESDH".into(),
            }],
            category: text("IT-drift"),
            cpv_code: text("72000000"),
            agreement_elements: vec!["support".into(), "hosting".into()],
            procedure: text("open"),
            framework_agreement: text("SKI 02.19"),
            annual_value: filled.then_some(Dkk(Decimal::new(123_456_789, 2))),
            total_value: filled.then_some(Dkk(Decimal::new(5, 0))),
            payment_model: text("fixed"),
            payment_frequency: text("monthly"),
            price_regulation: text("nettoprisindeks"),
            signed_on: day,
            start_on: date,
            end_on: day,
            irrevocable_until: day,
            option_months: 12,
            options_total: 2,
            options_exercised: 1,
            notice_period_months: 6,
            notice_to: "term_end".into(),
            terminated_on: day,
            retender_lead_months: 18,
            system_owner: text("Digitalisering"),
            owner_user: filled.then(|| {
                OwnerUserDto::from(samudbud_domain::people::OwnerRef {
                    user_id: id,
                    name: "Rasmus Redaktør".into(),
                    email: "redaktoer@soroe.dk".into(),
                })
            }),
            responsible_unit: text("Borgerservice"),
            supplier_contact: text("kontakt@leverandoer.dk"),
            criticality: "high".into(),
            notes: text("Noter"),
            publishable: filled,
            notice_deadline: day,
            effective_end: day,
            latest_end: day,
            retender_start: day,
            template: None,
            created_at: time,
            updated_at: time,
            archived_at: filled.then_some(time),
            kitos_uuid: filled.then_some(id),
        }
    }

    /// The list and the read by id write contracts with serde
    /// (`serde_body`); the JSON is the same as the spec's `ToJSON`, with
    /// every field filled and with every optional one empty.
    #[test]
    fn contracts_serialize_as_their_schema_writes_them() {
        assert_same_json(&contract(true));
        assert_same_json(&contract(false));
        let page = ContractPage {
            items: vec![contract(true), contract(false)],
            total: 2,
            page: 1,
            page_size: 50,
            totals: ContractTotalsDto::example(),
            next_cursor: Some("MjAyNi0xMi0wMw".into()),
        };
        assert_same_json(&page);
        assert_same_json(&ContractPage {
            next_cursor: None,
            ..page
        });
    }
}
