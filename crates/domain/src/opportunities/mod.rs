//! Joint tender opportunities (muligheder for fælles udbud): across a
//! collaboration, the contracts its members have shared with it that fall
//! due for re-tender in the same window and the same CPV branch or category
//! (`grouping`), what the reader's own contracts have in common with the
//! others' (`mine`), and creating a planned tender from an opportunity.
//!
//! Only contracts shared with the collaboration feed it, by members that
//! are still active; a member's unshared contracts and contracts shared with
//! another collaboration never appear. Only active members read a
//! collaboration's opportunities; anyone else gets `NotFound`.
//!
//! A group is "covered" by a planned tender of one of the collaboration's
//! plans (not archived, not cancelled) whose CPV code starts with the
//! group's prefix (at the category level: whose category is the group's)
//! and whose participants' replaced contracts (stated, or proposed when the
//! tender came from the opportunity) include at least one of the group's
//! contracts: a tender in the same field that already takes some of the
//! contracts along (`grouping::covers`).

pub mod grouping;

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{NaiveDate, Utc};
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, FromQueryResult, QueryFilter, QueryOrder,
    QuerySelect, Select, Set,
};
use serde::Serialize;
use uuid::Uuid;

use self::grouping::{Group, Level, SharedContract, Window};
use crate::db::{
    Db, Scope, contracts_shared_with, contracts_shared_with_any, owned_readable, platform, scoped,
    shares_with,
};
use crate::entities::money::StoredAmount;
use crate::entities::{
    collaboration, collaboration_member as member, contract, cpv_code, planned_tender, share,
    supplier, tender_invitation, tender_participation, tender_plan,
};
use crate::error::{DomainError, DomainResult, FieldError};
use crate::paging::PageRequest;
use crate::policy::{Action, authorize};
use crate::principal::{Principal, TenantId};
use crate::reference;
use crate::tender_plans::model::{Procedure, ThresholdVerdict};
use crate::tender_plans::service::{
    self as plans, PlannedTender, ReplacedRef, TENDER_KIND, TenantRef, TenderInput,
};

/// The contracts' object kind in shares.
const CONTRACT_KIND: &str = "contract";

/// The default window in months, and the longest one.
pub const DEFAULT_WINDOW_MONTHS: u32 = 18;
pub const MAX_WINDOW_MONTHS: u32 = 120;

/// What the caller asks for.
#[derive(Debug, Clone, Default)]
pub struct OpportunityQuery {
    pub collaboration_id: Uuid,
    pub window_months: Option<u32>,
    /// `group`, `class`, `division` or `category`; `group` when absent.
    pub level: Option<String>,
    /// Only contracts of this category (compared as the grouping does).
    pub category: Option<String>,
    /// Today when absent.
    pub from: Option<NaiveDate>,
}

/// A contract in an opportunity, as the reader may see it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct OpportunityContract {
    pub id: Uuid,
    pub title: String,
    pub tenant: TenantRef,
    pub supplier_name: Option<String>,
    pub cpv_code: Option<String>,
    pub category: Option<String>,
    pub annual_value: Option<Decimal>,
    pub total_value: Option<Decimal>,
    pub end_on: Option<NaiveDate>,
    pub notice_deadline: Option<NaiveDate>,
    pub retender_start: NaiveDate,
    /// The reader's own contract.
    pub own: bool,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct CpvRef {
    pub code: String,
    pub label: Option<String>,
}

/// A planned tender that already takes the group along.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Coverage {
    pub plan_id: Uuid,
    pub plan_name: String,
    pub tender_id: Uuid,
    pub subject: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Opportunity {
    pub key: String,
    pub label: String,
    pub reason: String,
    pub cpv: Option<CpvRef>,
    pub category: Option<String>,
    pub municipalities: Vec<TenantRef>,
    pub contracts: Vec<OpportunityContract>,
    pub annual_value: Decimal,
    pub total_value: Decimal,
    pub earliest_retender_start: NaiveDate,
    pub latest_retender_start: NaiveDate,
    pub threshold: Option<ThresholdVerdict>,
    pub covered_by: Vec<Coverage>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Opportunities {
    pub items: Vec<Opportunity>,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub level: Level,
}

struct Params {
    window: Window,
    level: Level,
    category: Option<String>,
}

fn params(
    window_months: Option<u32>,
    level: Option<&str>,
    category: Option<&str>,
    from: Option<NaiveDate>,
) -> DomainResult<Params> {
    let mut errors = Vec::new();
    let months = window_months.unwrap_or(DEFAULT_WINDOW_MONTHS);
    if !(1..=MAX_WINDOW_MONTHS).contains(&months) {
        errors.push(FieldError::new(
            "window_months",
            "out_of_range",
            format!("from 1 to {MAX_WINDOW_MONTHS}"),
        ));
    }
    let level = match level.map(str::trim).filter(|l| !l.is_empty()) {
        None => Some(Level::Group),
        Some(code) => Level::parse(code).or_else(|| {
            errors.push(FieldError::new(
                "level",
                "invalid",
                "one of: group, class, division, category",
            ));
            None
        }),
    };
    let from = from.unwrap_or_else(crate::clock::today);
    let window = match crate::values::bounded_date("from", from) {
        Ok(from) => Window::new(from, months),
        Err(e) => {
            errors.push(e);
            None
        }
    };
    let category = category
        .map(grouping::normalize_category)
        .filter(|c| !c.is_empty());
    if category.as_ref().is_some_and(|c| c.chars().count() > 100) {
        errors.push(FieldError::new(
            "category",
            "too_long",
            "at most 100 characters",
        ));
    }
    match (window, level, errors.is_empty()) {
        (Some(window), Some(level), true) => Ok(Params {
            window,
            level,
            category,
        }),
        _ => Err(DomainError::Validation(errors)),
    }
}

fn tenant_of(principal: &Principal, action: Action) -> DomainResult<TenantId> {
    match authorize(principal, action)? {
        Scope::Tenant(tenant) => Ok(tenant),
        Scope::System => Err(DomainError::Forbidden(
            "opportunities belong to municipalities",
        )),
    }
}

/// The active members of `collaboration`; `NotFound` unless `reader` is one.
async fn members_as_reader<C: ConnectionTrait>(
    conn: &C,
    reader: TenantId,
    collaboration: Uuid,
) -> DomainResult<HashSet<Uuid>> {
    let members: HashSet<Uuid> = platform::<member::Entity>()
        .filter(member::Column::CollaborationId.eq(collaboration))
        .filter(member::Column::Status.eq("active"))
        .all(conn)
        .await?
        .into_iter()
        .map(|m| m.tenant_id)
        .collect();
    if !members.contains(&reader.0) {
        return Err(DomainError::NotFound);
    }
    Ok(members)
}

#[derive(Debug, FromQueryResult)]
struct ContractRow {
    id: Uuid,
    tenant_id: Uuid,
    title: String,
    supplier_id: Uuid,
    category: Option<String>,
    cpv_code: Option<String>,
    annual_value: Option<StoredAmount>,
    total_value: Option<StoredAmount>,
    end_on: Option<NaiveDate>,
    notice_deadline: Option<NaiveDate>,
    latest_end: Option<NaiveDate>,
    retender_start: Option<NaiveDate>,
}

/// The contract columns grouping and the views read.
const CONTRACT_COLUMNS: [contract::Column; 12] = [
    contract::Column::Id,
    contract::Column::TenantId,
    contract::Column::Title,
    contract::Column::SupplierId,
    contract::Column::Category,
    contract::Column::CpvCode,
    contract::Column::AnnualValue,
    contract::Column::TotalValue,
    contract::Column::EndOn,
    contract::Column::NoticeDeadline,
    contract::Column::LatestEnd,
    contract::Column::RetenderStart,
];

/// A contract as grouping and the views need it.
struct Loaded {
    contract: SharedContract,
    latest_end: Option<NaiveDate>,
}

/// The columns grouping needs, of the contracts `query` selects that are
/// not archived and re-tender within `window`.
async fn in_window<C: ConnectionTrait>(
    conn: &C,
    query: Select<contract::Entity>,
    window: Window,
) -> DomainResult<Vec<ContractRow>> {
    Ok(query
        .filter(contract::Column::ArchivedAt.is_null())
        .filter(contract::Column::RetenderStart.gte(window.from))
        .filter(contract::Column::RetenderStart.lte(window.to))
        .select_only()
        .columns(CONTRACT_COLUMNS)
        .into_model::<ContractRow>()
        .all(conn)
        .await?)
}

/// The rows with their suppliers' names.
async fn with_suppliers<C: ConnectionTrait>(
    conn: &C,
    rows: Vec<ContractRow>,
) -> DomainResult<Vec<Loaded>> {
    let supplier_ids: HashSet<Uuid> = rows.iter().map(|r| r.supplier_id).collect();
    let suppliers: HashMap<Uuid, String> = platform::<supplier::Entity>()
        .filter(supplier::Column::Id.is_in(supplier_ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    Ok(rows
        .into_iter()
        .map(|r| Loaded {
            latest_end: r.latest_end,
            contract: SharedContract {
                id: r.id,
                tenant_id: r.tenant_id,
                title: r.title,
                supplier_name: suppliers.get(&r.supplier_id).cloned(),
                cpv_code: r.cpv_code,
                category: r.category,
                annual_value: r.annual_value.map(|v| v.0),
                total_value: r.total_value.map(|v| v.0),
                end_on: r.end_on,
                notice_deadline: r.notice_deadline,
                retender_start: r.retender_start,
            },
        })
        .collect())
}

/// The contracts shared with `collaboration` by its active `members`
/// (the reader's own included), re-tendering within `window`: one query
/// joining the shares to the contracts.
async fn shared_with_collaboration<C: ConnectionTrait>(
    conn: &C,
    collaboration: Uuid,
    members: &HashSet<Uuid>,
    window: Window,
) -> DomainResult<Vec<Loaded>> {
    let query = contracts_shared_with(collaboration, CONTRACT_KIND)
        .filter(contract::Column::TenantId.is_in(members.iter().copied()));
    let rows = in_window(conn, query, window).await?;
    with_suppliers(conn, rows).await
}

/// The groups of the collaboration as `params` ask, with the loaded
/// contracts (by id) they came from.
async fn groups_of<C: ConnectionTrait>(
    conn: &C,
    reader: TenantId,
    collaboration: Uuid,
    params: &Params,
) -> DomainResult<(Vec<Group>, HashMap<Uuid, Option<NaiveDate>>)> {
    let members = members_as_reader(conn, reader, collaboration).await?;
    let loaded = shared_with_collaboration(conn, collaboration, &members, params.window).await?;
    let latest_ends = loaded
        .iter()
        .map(|l| (l.contract.id, l.latest_end))
        .collect();
    let contracts: Vec<SharedContract> = loaded
        .into_iter()
        .map(|l| l.contract)
        .filter(|c| match &params.category {
            None => true,
            Some(wanted) => c
                .category
                .as_deref()
                .is_some_and(|own| grouping::normalize_category(own) == *wanted),
        })
        .collect();
    Ok((
        grouping::group_contracts(&contracts, params.window, params.level),
        latest_ends,
    ))
}

/// The full CPV code of a prefix padded with zeros, with its label, when the
/// CPV list holds it; else the one code all the group's contracts share.
async fn cpv_of<C: ConnectionTrait>(conn: &C, group: &Group) -> DomainResult<Option<CpvRef>> {
    let Some(prefix) = &group.cpv_prefix else {
        return Ok(None);
    };
    let padded = format!("{prefix:0<8}");
    if let Some(found) = platform::<cpv_code::Entity>()
        .filter(cpv_code::Column::Code.like(format!("{padded}-%")))
        .one(conn)
        .await?
    {
        return Ok(Some(CpvRef {
            code: found.code,
            label: Some(found.label_da),
        }));
    }
    let codes: HashSet<&str> = group
        .contracts
        .iter()
        .filter_map(|c| c.cpv_code.as_deref())
        .collect();
    match codes.into_iter().collect::<Vec<_>>().as_slice() {
        [only] => Ok(Some(CpvRef {
            code: (*only).to_owned(),
            label: reference::cpv_label(conn, only).await?,
        })),
        _ => Ok(None),
    }
}

/// The planned tenders of the collaboration's plans that may cover a group.
struct Candidate {
    coverage: Coverage,
    cpv_code: Option<String>,
    category: Option<String>,
    replaced: HashSet<Uuid>,
}

async fn candidates<C: ConnectionTrait>(
    conn: &C,
    reader: TenantId,
    collaboration: Uuid,
) -> DomainResult<Vec<Candidate>> {
    let standing = crate::ownership::Standing::of(conn, reader).await?;
    let plans: HashMap<Uuid, tender_plan::Model> = owned_readable::<tender_plan::Entity>(&standing)
        .filter(tender_plan::Column::CollaborationId.eq(collaboration))
        .filter(tender_plan::Column::ArchivedAt.is_null())
        .all(conn)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    if plans.is_empty() {
        return Ok(Vec::new());
    }
    let tenders = owned_readable::<planned_tender::Entity>(&standing)
        .filter(planned_tender::Column::PlanId.is_in(plans.keys().copied().collect::<Vec<_>>()))
        .filter(planned_tender::Column::Status.ne("cancelled"))
        .order_by_asc(planned_tender::Column::CreatedAt)
        .order_by_asc(planned_tender::Column::Id)
        .all(conn)
        .await?;
    let ids: Vec<Uuid> = tenders.iter().map(|t| t.id).collect();
    let invitations = owned_readable::<tender_invitation::Entity>(&standing)
        .filter(tender_invitation::Column::TenderId.is_in(ids.clone()))
        .all(conn)
        .await?;
    let participations: HashMap<(Uuid, Uuid), tender_participation::Model> =
        owned_readable::<tender_participation::Entity>(&standing)
            .filter(tender_participation::Column::TenderId.is_in(ids))
            .all(conn)
            .await?
            .into_iter()
            .map(|p| ((p.tender_id, p.tenant_id), p))
            .collect();
    let refs = |json: &str| -> Vec<Uuid> {
        serde_json::from_str::<Vec<ReplacedRef>>(json)
            .unwrap_or_default()
            .into_iter()
            .map(|r| r.id)
            .collect()
    };
    let mut replaced: HashMap<Uuid, HashSet<Uuid>> = HashMap::new();
    for invitation in &invitations {
        let stated = participations.get(&(invitation.tender_id, invitation.participant_tenant_id));
        let ids = match stated {
            Some(p) => refs(&p.replaced_contracts),
            None => refs(&invitation.proposed_contracts),
        };
        replaced
            .entry(invitation.tender_id)
            .or_default()
            .extend(ids);
    }
    Ok(tenders
        .into_iter()
        .filter_map(|t| {
            let plan = plans.get(&t.plan_id)?;
            Some(Candidate {
                replaced: replaced.remove(&t.id).unwrap_or_default(),
                cpv_code: t.cpv_code,
                category: t.category,
                coverage: Coverage {
                    plan_id: plan.id,
                    plan_name: plan.name.clone(),
                    tender_id: t.id,
                    subject: t.subject,
                },
            })
        })
        .collect())
}

/// Everything the views need besides the groups.
struct Context {
    tenants: HashMap<Uuid, TenantRef>,
    thresholds: Vec<crate::tender_plans::model::Threshold>,
    candidates: Vec<Candidate>,
}

async fn opportunity<C: ConnectionTrait>(
    conn: &C,
    reader: TenantId,
    group: Group,
    context: &Context,
) -> DomainResult<Opportunity> {
    let cpv = cpv_of(conn, &group).await?;
    let label = match (&cpv, &group.cpv_prefix, &group.category) {
        (
            Some(CpvRef {
                label: Some(label), ..
            }),
            _,
            _,
        ) => label.clone(),
        (_, Some(prefix), _) => format!("CPV {prefix}"),
        (_, None, Some(category)) => category.clone(),
        _ => group.key.clone(),
    };
    let reason = grouping::reason(&group, cpv.as_ref().and_then(|c| c.label.as_deref()));
    let tenant = |id: Uuid| {
        context.tenants.get(&id).cloned().unwrap_or(TenantRef {
            id,
            name: String::new(),
            cvr: None,
        })
    };
    let threshold = grouping::threshold(&group, &context.thresholds);
    let covered_by = context
        .candidates
        .iter()
        .filter(|c| {
            grouping::covers(
                &group,
                c.cpv_code.as_deref(),
                c.category.as_deref(),
                &c.replaced,
            )
        })
        .map(|c| c.coverage.clone())
        .collect();
    Ok(Opportunity {
        label,
        reason,
        cpv,
        category: group.category.clone(),
        municipalities: group.tenant_ids.iter().map(|id| tenant(*id)).collect(),
        contracts: group
            .contracts
            .iter()
            .filter_map(|c| view_contract(c, &tenant, reader))
            .collect(),
        annual_value: group.annual_value,
        total_value: group.total_value,
        earliest_retender_start: group.earliest_retender_start,
        latest_retender_start: group.latest_retender_start,
        threshold,
        covered_by,
        key: group.key,
    })
}

fn view_contract(
    c: &SharedContract,
    tenant: &impl Fn(Uuid) -> TenantRef,
    reader: TenantId,
) -> Option<OpportunityContract> {
    Some(OpportunityContract {
        id: c.id,
        title: c.title.clone(),
        tenant: tenant(c.tenant_id),
        supplier_name: c.supplier_name.clone(),
        cpv_code: c.cpv_code.clone(),
        category: c.category.clone(),
        annual_value: c.annual_value,
        total_value: c.total_value,
        end_on: c.end_on,
        notice_deadline: c.notice_deadline,
        retender_start: c.retender_start?,
        own: c.tenant_id == reader.0,
    })
}

/// The indices filed under `key`, if any.
fn indices(map: &HashMap<String, Vec<usize>>, key: Option<String>) -> &[usize] {
    key.and_then(|k| map.get(&k)).map_or(&[], Vec::as_slice)
}

/// The collaboration's opportunities (its active members only).
pub async fn list(
    db: &Db,
    principal: &Principal,
    query: OpportunityQuery,
) -> DomainResult<Opportunities> {
    let reader = tenant_of(principal, Action::ReadContracts)?;
    let params = params(
        query.window_months,
        query.level.as_deref(),
        query.category.as_deref(),
        query.from,
    )?;
    let txn = db.read(Scope::Tenant(reader)).await?;
    let (groups, _) = groups_of(&txn, reader, query.collaboration_id, &params).await?;
    let tenant_ids: HashSet<Uuid> = groups.iter().flat_map(|g| g.tenant_ids.clone()).collect();
    let context = Context {
        tenants: plans::tenant_names(&txn, tenant_ids).await?,
        thresholds: reference::all_thresholds(&txn).await?,
        candidates: if groups.is_empty() {
            Vec::new()
        } else {
            candidates(&txn, reader, query.collaboration_id).await?
        },
    };
    let mut items = Vec::with_capacity(groups.len());
    for group in groups {
        items.push(opportunity(&txn, reader, group, &context).await?);
    }
    txn.commit().await?;
    Ok(Opportunities {
        items,
        from: params.window.from,
        to: params.window.to,
        level: params.level,
    })
}

/// A contract of another municipality like one of the reader's own.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Match {
    pub contract: OpportunityContract,
    pub collaboration_id: Uuid,
    pub collaboration_name: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct MyOpportunity {
    pub contract: OpportunityContract,
    /// The first `MAX_MATCHES`, nearest re-tender start first.
    pub matches: Vec<Match>,
    /// How many matches there are in all.
    pub matches_total: u64,
}

/// The most matches listed per own contract.
pub const MAX_MATCHES: usize = 10;

/// A page of the reader's own contracts with matches.
#[derive(Debug, Clone)]
pub struct MyOpportunities {
    pub items: Vec<MyOpportunity>,
    /// Own contracts with matches in all.
    pub total: u64,
    pub page: u64,
    pub page_size: u64,
    pub window: Window,
}

/// "Who else re-tenders what we re-tender soon": for each of the reader's
/// own contracts re-tendering within the window, the contracts other
/// municipalities share with the reader's collaborations in the same CPV
/// group (5 digits) or category, re-tendering within the window too. Own
/// contracts without a match are left out; each lists at most
/// `MAX_MATCHES` matches (nearest re-tender start first) with their count.
pub async fn mine(
    db: &Db,
    principal: &Principal,
    window_months: Option<u32>,
    from: Option<NaiveDate>,
    paging: PageRequest,
) -> DomainResult<MyOpportunities> {
    let reader = tenant_of(principal, Action::ReadContracts)?;
    let params = params(window_months, None, None, from)?;
    let window = params.window;
    let txn = db.read(Scope::Tenant(reader)).await?;
    let standing = crate::ownership::Standing::of(&txn, reader).await?;
    let mut found = Vec::new();
    if !standing.member_of.is_empty() {
        let active: HashSet<(Uuid, Uuid)> = platform::<member::Entity>()
            .filter(member::Column::CollaborationId.is_in(standing.member_of.clone()))
            .filter(member::Column::Status.eq("active"))
            .all(&txn)
            .await?
            .into_iter()
            .map(|m| (m.collaboration_id, m.tenant_id))
            .collect();
        let shares: Vec<(Uuid, Uuid, Uuid)> = shares_with(standing.member_of.clone())
            .filter(share::Column::ObjectKind.eq(CONTRACT_KIND))
            .filter(share::Column::TenantId.ne(reader.0))
            .select_only()
            .columns([
                share::Column::ObjectId,
                share::Column::TenantId,
                share::Column::CollaborationId,
            ])
            .into_tuple()
            .all(&txn)
            .await?;
        let mut shared_in: BTreeMap<Uuid, Vec<Uuid>> = BTreeMap::new();
        for (object, owner, collaboration) in shares {
            if active.contains(&(collaboration, owner)) {
                shared_in.entry(object).or_default().push(collaboration);
            }
        }
        // Our own in the window, and the others' shared with any of our
        // collaborations (one join; a contract shared twice comes twice)
        // that an active member shared.
        let mut rows = in_window(&txn, scoped::<contract::Entity>(reader), window).await?;
        let theirs = contracts_shared_with_any(standing.member_of.clone(), CONTRACT_KIND)
            .filter(contract::Column::TenantId.ne(reader.0));
        let mut seen = HashSet::new();
        rows.extend(
            in_window(&txn, theirs, window)
                .await?
                .into_iter()
                .filter(|row| shared_in.contains_key(&row.id) && seen.insert(row.id)),
        );
        let loaded = with_suppliers(&txn, rows).await?;
        let (own, others): (Vec<_>, Vec<_>) = loaded
            .into_iter()
            .map(|l| l.contract)
            .partition(|c| c.tenant_id == reader.0);
        let names: HashMap<Uuid, String> = platform::<collaboration::Entity>()
            .filter(collaboration::Column::Id.is_in(standing.member_of.clone()))
            .all(&txn)
            .await?
            .into_iter()
            .map(|c| (c.id, c.name))
            .collect();
        let mut tenant_ids: HashSet<Uuid> = others.iter().map(|c| c.tenant_id).collect();
        tenant_ids.insert(reader.0);
        let tenants = plans::tenant_names(&txn, tenant_ids).await?;
        let tenant = |id: Uuid| {
            tenants.get(&id).cloned().unwrap_or(TenantRef {
                id,
                name: String::new(),
                cvr: None,
            })
        };
        // The others by CPV group and by category, each key computed once;
        // only those shared through an active member and with a re-tender
        // start can match.
        let mut by_group: HashMap<String, Vec<usize>> = HashMap::new();
        let mut by_category: HashMap<String, Vec<usize>> = HashMap::new();
        for (index, other) in others.iter().enumerate() {
            if other.retender_start.is_none() || shared_in.get(&other.id).is_none_or(Vec::is_empty)
            {
                continue;
            }
            if let Some(key) = grouping::key_of(other, Level::Group) {
                by_group.entry(key).or_default().push(index);
            }
            if let Some(key) = grouping::key_of(other, Level::Category) {
                by_category.entry(key).or_default().push(index);
            }
        }
        for mine in &own {
            let mut candidates: Vec<usize> =
                indices(&by_group, grouping::key_of(mine, Level::Group))
                    .iter()
                    .chain(indices(
                        &by_category,
                        grouping::key_of(mine, Level::Category),
                    ))
                    .copied()
                    .collect();
            if candidates.is_empty() {
                continue;
            }
            candidates.sort_unstable_by(|&a, &b| {
                let (a, b) = (&others[a], &others[b]);
                a.retender_start
                    .cmp(&b.retender_start)
                    .then_with(|| a.id.cmp(&b.id))
            });
            candidates.dedup();
            let matches_total = candidates.len() as u64;
            let matches: Vec<Match> = candidates
                .into_iter()
                .take(MAX_MATCHES)
                .filter_map(|index| {
                    let other = &others[index];
                    let mut collaborations = shared_in.get(&other.id)?.clone();
                    collaborations.sort_by_key(|c| (names.get(c).cloned(), *c));
                    let collaboration = *collaborations.first()?;
                    Some(Match {
                        contract: view_contract(other, &tenant, reader)?,
                        collaboration_name: names.get(&collaboration).cloned().unwrap_or_default(),
                        collaboration_id: collaboration,
                    })
                })
                .collect();
            if let Some(contract) = view_contract(mine, &tenant, reader) {
                found.push(MyOpportunity {
                    contract,
                    matches,
                    matches_total,
                });
            }
        }
        found.sort_by(|a, b| {
            a.contract
                .retender_start
                .cmp(&b.contract.retender_start)
                .then_with(|| a.contract.title.cmp(&b.contract.title))
                .then_with(|| a.contract.id.cmp(&b.contract.id))
        });
    }
    txn.commit().await?;
    let total = found.len() as u64;
    let skip =
        usize::try_from((paging.page - 1).saturating_mul(paging.page_size)).unwrap_or(usize::MAX);
    let take = usize::try_from(paging.page_size).unwrap_or(usize::MAX);
    Ok(MyOpportunities {
        items: found.into_iter().skip(skip).take(take).collect(),
        total,
        page: paging.page,
        page_size: paging.page_size,
        window,
    })
}

/// Creating a planned tender from an opportunity.
#[derive(Debug, Clone, Default)]
pub struct CreateFromOpportunity {
    pub collaboration_id: Uuid,
    pub group_key: String,
    pub level: Option<String>,
    pub window_months: Option<u32>,
    pub from: Option<NaiveDate>,
    pub category: Option<String>,
    pub plan_id: Uuid,
    pub subject: Option<String>,
    pub lead_tenant_id: Option<Uuid>,
}

/// Recomputes the group on the server and creates, in one transaction, a
/// planned tender in `plan_id` (one of the collaboration's plans the caller
/// may write) with subject, CPV code and category from the group, every
/// municipality of the group invited with its contracts as proposed
/// replaced contracts and their total value as proposed estimated value.
/// Each participant stays pending until its own users confirm. `Conflict`
/// when the group no longer exists.
pub async fn create_tender(
    db: &Db,
    principal: &Principal,
    input: CreateFromOpportunity,
) -> DomainResult<PlannedTender> {
    let tenant = tenant_of(principal, Action::WritePlans)?;
    let params = params(
        input.window_months,
        input.level.as_deref(),
        input.category.as_deref(),
        input.from,
    )?;
    let txn = db.write(Scope::Tenant(tenant)).await?;
    members_as_reader(&txn, tenant, input.collaboration_id).await?;
    let acting = plans::acting(&txn, tenant).await?;
    let plan = plans::writable_plan(&txn, &acting, input.plan_id).await?;
    if plan.collaboration_id != Some(input.collaboration_id) {
        return Err(DomainError::invalid(
            "plan_id",
            "other_owner",
            "choose one of the collaboration's own tender plans",
        ));
    }
    let (groups, latest_ends) = groups_of(&txn, tenant, input.collaboration_id, &params).await?;
    let Some(group) = groups.into_iter().find(|g| g.key == input.group_key) else {
        return Err(DomainError::conflict(
            "the opportunity no longer exists with these settings; reload the opportunities",
        ));
    };
    let cpv = cpv_of(&txn, &group).await?;
    let thresholds = reference::all_thresholds(&txn).await?;
    let above = grouping::threshold(&group, &thresholds).is_some_and(|v| v.above);
    let subject = match input.subject.as_deref().map(str::trim) {
        Some(subject) if !subject.is_empty() => subject.to_owned(),
        _ => match (&cpv, &group.category) {
            (
                Some(CpvRef {
                    label: Some(label), ..
                }),
                _,
            ) => format!("Fælles udbud: {label}"),
            (_, Some(category)) => format!("Fælles udbud: {category}"),
            _ => format!(
                "Fælles udbud: CPV {}",
                group.cpv_prefix.as_deref().unwrap_or_default()
            ),
        },
    };
    let category = match &group.category {
        Some(category) => Some(category.clone()),
        None => {
            let all: HashSet<&str> = group
                .contracts
                .iter()
                .filter_map(|c| c.category.as_deref().map(str::trim))
                .collect();
            (all.len() == 1).then(|| all.into_iter().collect::<String>())
        }
    };
    let id = plans::insert_tender(
        &txn,
        principal,
        &acting,
        &plan,
        TenderInput {
            subject,
            description: Some(grouping::reason(
                &group,
                cpv.as_ref().and_then(|c| c.label.as_deref()),
            )),
            category,
            cpv_code: cpv.map(|c| c.code),
            procedure: Some(
                if above {
                    Procedure::Open
                } else {
                    Procedure::BelowThreshold
                }
                .as_str()
                .to_owned(),
            ),
            lead_tenant_id: input.lead_tenant_id,
            ..TenderInput::default()
        },
    )
    .await?;
    let tender = owned_readable::<planned_tender::Entity>(&acting.standing)
        .filter(planned_tender::Column::Id.eq(id))
        .one(&txn)
        .await?
        .ok_or(DomainError::NotFound)?;
    let now = Utc::now();
    for participant in &group.tenant_ids {
        let own: Vec<&SharedContract> = group
            .contracts
            .iter()
            .filter(|c| c.tenant_id == *participant)
            .collect();
        let mut replaced: Vec<ReplacedRef> = own
            .iter()
            .map(|c| ReplacedRef {
                id: c.id,
                title: c.title.clone(),
                end_date: latest_ends.get(&c.id).copied().flatten(),
                notice_deadline: c.notice_deadline,
            })
            .collect();
        replaced.sort_by(|a, b| a.title.cmp(&b.title).then(a.id.cmp(&b.id)));
        let values: Vec<Decimal> = own.iter().filter_map(|c| c.total_value).collect();
        let value = (!values.is_empty()).then(|| values.into_iter().sum::<Decimal>());
        tender_invitation::ActiveModel {
            id: Set(Uuid::new_v4()),
            tenant_id: Set(tender.tenant_id),
            collaboration_id: Set(tender.collaboration_id),
            tender_id: Set(tender.id),
            participant_tenant_id: Set(*participant),
            invited_by: Set(principal.actor_id()),
            invited_at: Set(now),
            proposed_value: Set(value.map(|v| StoredAmount(v.round_dp(2)))),
            proposed_contracts: Set(
                serde_json::to_string(&replaced).unwrap_or_else(|_| "[]".into())
            ),
        }
        .insert(&txn)
        .await?;
    }
    let created = plans::one_tender(&txn, &acting, &plan, id).await?;
    plans::record(
        &txn,
        principal,
        tenant,
        "planned_tender.created_from_opportunity",
        TENDER_KIND,
        id,
        None,
        Some(&serde_json::json!({
            "collaboration_id": input.collaboration_id,
            "group_key": group.key,
            "tender": created,
        })),
    )
    .await?;
    txn.commit().await?;
    Ok(created)
}
