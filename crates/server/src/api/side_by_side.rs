//! `/collaborations/{id}/contracts`: the contracts the members share with a
//! collaboration side by side, and `/municipalities`: finding a
//! municipality on the platform by name or code.

use chrono::NaiveDate;
use poem::web::Data;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::types::Example;
use poem_openapi::{Enum, Object, OpenApi};
use rust_decimal::Decimal;
use samudbud_domain::contracts::Owner;
use samudbud_domain::contracts::side_by_side::{
    self, Group, GroupBy, SideBySide, SideBySideFilter, SideBySideRow, Subtotal,
};
use samudbud_domain::paging::PageRequest;
use samudbud_domain::suppliers::Supplier;
use samudbud_domain::tenants::{self, MunicipalityRef};
use uuid::Uuid;

use super::ApiTags;
use super::money::Dkk;
use super::suppliers::SupplierDto;
use crate::problem::ApiResult;
use crate::security::BearerAuth;
use crate::state::AppState;

pub struct CollaborationContractsApi;
pub struct MunicipalitiesApi;

/// A municipality on the platform: who it is, nothing more.
#[derive(Object)]
#[oai(rename = "MunicipalityRef", example)]
struct MunicipalityRefDto {
    id: Uuid,
    name: String,
    /// The three-digit municipality code.
    municipality_code: String,
}

impl Example for MunicipalityRefDto {
    fn example() -> Self {
        Self {
            id: Uuid::from_u128(0x3f1c_0000_0000_4000_8000_0000_0000_0316),
            name: "Holbæk Kommune".into(),
            municipality_code: "316".into(),
        }
    }
}

impl From<MunicipalityRef> for MunicipalityRefDto {
    fn from(m: MunicipalityRef) -> Self {
        Self {
            id: m.id,
            name: m.name,
            municipality_code: m.municipality_code,
        }
    }
}

impl From<Owner> for MunicipalityRefDto {
    fn from(o: Owner) -> Self {
        Self {
            id: o.id,
            name: o.name,
            municipality_code: o.municipality_code,
        }
    }
}

super::whole_list!(MunicipalityList, MunicipalityRefDto);

/// How the side-by-side view groups its rows.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[oai(rename_all = "lowercase", rename = "ContractGrouping")]
enum GroupByDto {
    Supplier,
    Category,
    Municipality,
}

impl From<GroupByDto> for GroupBy {
    fn from(g: GroupByDto) -> Self {
        match g {
            GroupByDto::Supplier => GroupBy::Supplier,
            GroupByDto::Category => GroupBy::Category,
            GroupByDto::Municipality => GroupBy::Municipality,
        }
    }
}

impl From<GroupBy> for GroupByDto {
    fn from(g: GroupBy) -> Self {
        match g {
            GroupBy::Supplier => GroupByDto::Supplier,
            GroupBy::Category => GroupByDto::Category,
            GroupBy::Municipality => GroupByDto::Municipality,
        }
    }
}

/// One shared contract side by side with the others. A contract running
/// until terminated has `running` true and no `effective_end`.
#[derive(Object)]
#[oai(rename = "CollaborationContract", skip_serializing_if_is_none)]
struct RowDto {
    id: Uuid,
    /// The municipality that owns and shared the contract.
    municipality: MunicipalityRefDto,
    title: String,
    supplier: SupplierDto,
    category: Option<String>,
    cpv_code: Option<String>,
    annual_value: Option<Dkk>,
    total_value: Option<Dkk>,
    /// `active`, `expired`, `terminated` or `draft`.
    status: String,
    /// The last day to give notice.
    notice_deadline: Option<NaiveDate>,
    /// The end with the options exercised so far; absent only when `running`.
    effective_end: Option<NaiveDate>,
    /// Runs until terminated: no end date.
    running: bool,
    /// The day work on the next tender must begin.
    retender_start: Option<NaiveDate>,
    /// The `key` of the row's group, when grouped and the group has one.
    group_key: Option<String>,
}

impl From<SideBySideRow> for RowDto {
    fn from(r: SideBySideRow) -> Self {
        Self {
            id: r.id,
            municipality: r.municipality.into(),
            title: r.title,
            supplier: r.supplier.into(),
            category: r.category,
            cpv_code: r.cpv_code,
            annual_value: r.annual_value.map(Dkk),
            total_value: r.total_value.map(Dkk),
            status: r.status,
            notice_deadline: r.notice_deadline,
            effective_end: r.effective_end,
            running: r.running,
            retender_start: r.retender_start,
            group_key: r.group_key,
        }
    }
}

/// How many contracts and what they are worth: sums of the amounts given,
/// and how many contracts gave each.
#[derive(Object)]
#[oai(rename = "ContractSubtotal")]
struct SubtotalDto {
    count: u64,
    annual_value: Dkk,
    /// Contracts with an annual value.
    annual_value_count: u64,
    total_value: Dkk,
    /// Contracts with a total value.
    total_value_count: u64,
}

impl From<Subtotal> for SubtotalDto {
    fn from(s: Subtotal) -> Self {
        Self {
            count: s.count,
            annual_value: Dkk(s.annual_value),
            annual_value_count: s.annual_value_count,
            total_value: Dkk(s.total_value),
            total_value_count: s.total_value_count,
        }
    }
}

/// A group of the side-by-side view with its subtotal.
#[derive(Object)]
#[oai(rename = "ContractGroup", skip_serializing_if_is_none)]
struct GroupDto {
    /// The supplier's or municipality's id, or the category; absent for the
    /// contracts without a category.
    key: Option<String>,
    /// The supplier's or municipality's name, or the category.
    label: Option<String>,
    /// The supplier's CVR number (supplier groups).
    cvr: Option<String>,
    subtotal: SubtotalDto,
}

impl From<Group> for GroupDto {
    fn from(g: Group) -> Self {
        Self {
            key: g.key,
            label: g.label,
            cvr: g.cvr,
            subtotal: g.subtotal.into(),
        }
    }
}

/// A page of the collaboration's shared contracts, every group's subtotal
/// (when grouped; the page's items come in group order) and the totals of
/// all matching contracts.
#[derive(Object)]
#[oai(
    rename = "CollaborationContractPage",
    example,
    skip_serializing_if_is_none
)]
struct PageDto {
    items: Vec<RowDto>,
    total: u64,
    page: u64,
    page_size: u64,
    group_by: Option<GroupByDto>,
    groups: Vec<GroupDto>,
    totals: SubtotalDto,
}

impl From<SideBySide> for PageDto {
    fn from(v: SideBySide) -> Self {
        Self {
            items: v.items.into_iter().map(Into::into).collect(),
            total: v.total,
            page: v.page,
            page_size: v.page_size,
            group_by: v.group_by.map(Into::into),
            groups: v.groups.into_iter().map(Into::into).collect(),
            totals: v.totals.into(),
        }
    }
}

impl Example for PageDto {
    fn example() -> Self {
        let supplier = SupplierDto::from(Supplier {
            id: Uuid::from_u128(0x51e0_0000_0000_4000_8000_0000_0000_0001),
            cvr: "12345678".into(),
            name: "Eksempel Software A/S".into(),
        });
        let holbaek = MunicipalityRefDto::example();
        let amount = |cents: i64| Dkk(Decimal::new(cents, 2));
        let subtotal = || SubtotalDto {
            count: 1,
            annual_value: amount(125_000_000),
            annual_value_count: 1,
            total_value: amount(500_000_000),
            total_value_count: 1,
        };
        Self {
            items: vec![RowDto {
                id: Uuid::from_u128(0x8d2e_0000_0000_4000_8000_0000_0000_0001),
                municipality: holbaek,
                title: "ESDH-løsning".into(),
                supplier,
                category: Some("ESDH".into()),
                cpv_code: Some("48311000-1".into()),
                annual_value: Some(amount(125_000_000)),
                total_value: Some(amount(500_000_000)),
                status: "active".into(),
                notice_deadline: NaiveDate::from_ymd_opt(2027, 6, 30),
                effective_end: None,
                running: true,
                retender_start: NaiveDate::from_ymd_opt(2026, 6, 30),
                group_key: Some("ESDH".into()),
            }],
            total: 1,
            page: 1,
            page_size: 50,
            group_by: Some(GroupByDto::Category),
            groups: vec![GroupDto {
                key: Some("ESDH".into()),
                label: Some("ESDH".into()),
                cvr: None,
                subtotal: subtotal(),
            }],
            totals: subtotal(),
        }
    }
}

#[OpenApi(prefix_path = "/collaborations", tag = "ApiTags::Collaborations")]
impl CollaborationContractsApi {
    /// The contracts the collaboration's active members have shared with it,
    /// side by side: owner, supplier, category, CPV, value and deadlines;
    /// filtered, sorted and paged like `/contracts`, optionally grouped by
    /// supplier, category or municipality with subtotals, and the totals of
    /// all matching contracts. Active members only.
    #[allow(clippy::too_many_arguments)]
    #[oai(
        path = "/:id/contracts",
        method = "get",
        operation_id = "listCollaborationContracts"
    )]
    async fn list(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<Uuid>,
        page: Query<Option<u64>>,
        page_size: Query<Option<u64>>,
        /// `municipality`, `title` (default), `supplier`, `category`, `cpv`,
        /// `annual_value`, `total_value`, `notice_deadline`, `end` or
        /// `retender_start`; `-` first for descending. Missing values come
        /// last; running contracts end after every dated one.
        sort: Query<Option<String>>,
        /// Words to find in title, reference, supplier (name or CVR) and IT systems.
        q: Query<Option<String>>,
        /// Owned by this municipality (its id).
        municipality: Query<Option<Uuid>>,
        supplier_id: Query<Option<Uuid>>,
        category: Query<Option<String>>,
        /// Notice deadline within this many days from today.
        notice_within_days: Query<Option<u32>>,
        group_by: Query<Option<GroupByDto>>,
    ) -> ApiResult<Json<PageDto>> {
        let paging = PageRequest::new(page.0, page_size.0)?;
        let found = side_by_side::collaboration_contracts(
            &state.db,
            &auth.0,
            id.0,
            SideBySideFilter {
                municipality: municipality.0,
                supplier_id: supplier_id.0,
                category: category.0,
                q: q.0,
                notice_within_days: notice_within_days.0,
                sort: sort.0,
                group_by: group_by.0.map(Into::into),
            },
            paging,
        )
        .await?;
        Ok(Json(found.into()))
    }
}

#[OpenApi(prefix_path = "/municipalities", tag = "ApiTags::Collaborations")]
impl MunicipalitiesApi {
    /// Find the platform's municipalities by name (any part, any case) or
    /// code (its first digits), e.g. to invite one to a collaboration: exact
    /// codes first, then names starting with `q`, then by name.
    #[oai(path = "/", method = "get", operation_id = "searchMunicipalities")]
    async fn search(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// Part of the name, or the code's first digits; all when absent.
        q: Query<Option<String>>,
        /// At most this many (default 20, at most 200).
        limit: Query<Option<u64>>,
    ) -> ApiResult<Json<MunicipalityList>> {
        let found = tenants::search_municipalities(
            &state.db,
            &auth.0,
            q.0.as_deref(),
            limit.0.unwrap_or(20),
        )
        .await?;
        Ok(Json(MunicipalityList::of(
            found.into_iter().map(Into::into).collect(),
        )))
    }
}
