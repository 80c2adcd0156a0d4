//! A municipality's agenda: the dated things coming up that someone must act
//! on — a contract's notice deadline (opsigelsesfrist), the day its
//! re-tender must start being prepared (genudbud), and the open milestones
//! (milepæle) of the planned tenders it takes part in or leads. The
//! calendar feed and the reminder digest both show it.
//!
//! Each item carries what a stable identity needs (its kind and subject),
//! a revision that grows whenever the item may have changed, and the path of
//! the page in the web app that shows it.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, QueryFilter};
use serde::Serialize;
use uuid::Uuid;

use crate::contracts::overview::DeadlineKind;
use crate::db::{Db, Scope, owned_readable, scoped, scoped_get};
use crate::entities::{
    contract, planned_tender, tender_invitation, tender_milestone, tender_participation,
    tender_plan, user,
};
use crate::error::{DomainError, DomainResult};
use crate::ownership::Standing;
use crate::policy::{Action, authorize};
use crate::principal::{Principal, TenantId};
use crate::tender_plans::{MilestoneKind, ParticipationStatus, TenderStatus};

/// What an agenda item is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AgendaKind {
    /// The last day to give notice on (or decide not to extend) a contract.
    NoticeDeadline,
    /// The day preparing a contract's re-tender should start.
    RetenderStart,
    /// A milestone of a planned tender.
    Milestone(MilestoneKind),
}

impl AgendaKind {
    /// A short stable code: `notice`, `retender`, `milestone-bid_deadline`.
    pub fn code(self) -> String {
        match self {
            AgendaKind::NoticeDeadline => "notice".to_owned(),
            AgendaKind::RetenderStart => "retender".to_owned(),
            AgendaKind::Milestone(kind) => format!("milestone-{}", kind.as_str()),
        }
    }

    /// The Danish label that heads the item's title.
    pub fn label_da(self) -> String {
        match self {
            AgendaKind::NoticeDeadline => "Opsigelsesfrist".to_owned(),
            AgendaKind::RetenderStart => "Genudbud skal forberedes".to_owned(),
            AgendaKind::Milestone(kind) => capitalised(kind.label_da()),
        }
    }
}

/// One dated item of the agenda.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AgendaItem {
    pub kind: AgendaKind,
    pub date: NaiveDate,
    /// Danish, e.g. "Opsigelsesfrist: Økonomisystem".
    pub title: String,
    /// The contract (notice, re-tender) or the planned tender (milestones).
    pub subject_id: Uuid,
    /// The contract's or planned tender's own title.
    pub subject_title: String,
    pub contract_id: Option<Uuid>,
    pub plan_id: Option<Uuid>,
    pub plan_name: Option<String>,
    pub tender_id: Option<Uuid>,
    /// The page in the web app, from its root: `/kontrakter/{id}`,
    /// `/udbudsplaner/{plan}/udbud/{tender}`.
    pub link_path: String,
    /// Grows whenever the item may have changed (the subject's version plus
    /// the days its derived dates have been recomputed on).
    pub revision: i64,
    /// When the subject last changed.
    pub last_modified: DateTime<Utc>,
}

impl AgendaItem {
    /// `{kind}-{subject}`: stays the same when the date moves.
    pub fn key(&self) -> String {
        format!("{}-{}", self.kind.code(), self.subject_id)
    }
}

/// Whose contracts a person's reminders and calendar feed follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coverage {
    /// Only the contracts the person owns.
    Owned,
    /// All the municipality's contracts.
    All,
}

impl Coverage {
    pub fn as_str(self) -> &'static str {
        match self {
            Coverage::Owned => "owned",
            Coverage::All => "all",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        match code {
            "owned" => Some(Coverage::Owned),
            "all" => Some(Coverage::All),
            _ => None,
        }
    }

    /// The stored choice, or else the default for the user: their own
    /// contracts when they own any, all the municipality's when not.
    pub async fn resolve<C: ConnectionTrait>(
        conn: &C,
        tenant: TenantId,
        user_id: Uuid,
        stored: Option<&str>,
    ) -> DomainResult<Self> {
        if let Some(choice) = stored.and_then(Coverage::parse) {
            return Ok(choice);
        }
        let owns = scoped::<contract::Entity>(tenant)
            .filter(contract::Column::OwnerUserId.eq(user_id))
            .filter(contract::Column::ArchivedAt.is_null())
            .one(conn)
            .await?
            .is_some();
        Ok(if owns { Coverage::Owned } else { Coverage::All })
    }
}

/// The agenda of `principal`'s municipality for the days `from..=to`,
/// by date; with `Coverage::Owned`, of the contracts the principal owns
/// (the tender milestones stay the municipality's). Needs the right to read
/// both contracts and plans.
pub async fn upcoming(
    db: &Db,
    principal: &Principal,
    from: NaiveDate,
    to: NaiveDate,
    coverage: Coverage,
) -> DomainResult<Vec<AgendaItem>> {
    let tenant = match (
        authorize(principal, Action::ReadContracts)?,
        authorize(principal, Action::ReadPlans)?,
    ) {
        (Scope::Tenant(a), Scope::Tenant(b)) if a == b => a,
        _ => {
            return Err(DomainError::Forbidden(
                "the agenda belongs to a municipality",
            ));
        }
    };
    let txn = db.read(Scope::Tenant(tenant)).await?;
    let mut contracts = scoped::<contract::Entity>(tenant);
    if coverage == Coverage::Owned {
        contracts = contracts.filter(contract::Column::OwnerUserId.eq(principal.actor_id()));
    }
    let contracts = contracts
        .filter(contract::Column::ArchivedAt.is_null())
        .filter(contract::Column::TerminatedOn.is_null())
        .filter(
            Condition::any()
                .add(contract::Column::StatusOverride.is_null())
                .add(contract::Column::StatusOverride.ne("terminated")),
        )
        .filter(
            Condition::any()
                .add(contract::Column::NoticeDeadline.between(from, to))
                .add(contract::Column::RetenderStart.between(from, to)),
        )
        .all(&txn)
        .await?;
    let mut items = contract_items(&contracts, from, to);

    let standing = Standing::of(&txn, tenant).await?;
    let invited: HashSet<Uuid> = owned_readable::<tender_invitation::Entity>(&standing)
        .filter(tender_invitation::Column::ParticipantTenantId.eq(tenant.0))
        .all(&txn)
        .await?
        .into_iter()
        .map(|i| i.tender_id)
        .collect();
    let tenders = owned_readable::<planned_tender::Entity>(&standing)
        .filter(
            Condition::any()
                .add(planned_tender::Column::Id.is_in(invited.iter().copied()))
                .add(planned_tender::Column::LeadTenantId.eq(tenant.0)),
        )
        .filter(planned_tender::Column::Status.ne(TenderStatus::Cancelled.as_str()))
        .all(&txn)
        .await?;
    let tender_ids: Vec<Uuid> = tenders.iter().map(|t| t.id).collect();
    let plans: HashMap<Uuid, tender_plan::Model> = owned_readable::<tender_plan::Entity>(&standing)
        .filter(tender_plan::Column::Id.is_in(tenders.iter().map(|t| t.plan_id)))
        .filter(tender_plan::Column::ArchivedAt.is_null())
        .all(&txn)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let states: HashMap<Uuid, ParticipationStatus> = scoped::<tender_participation::Entity>(tenant)
        .filter(tender_participation::Column::TenderId.is_in(tender_ids.clone()))
        .all(&txn)
        .await?
        .into_iter()
        .map(|p| {
            let state =
                ParticipationStatus::parse(&p.state).unwrap_or(ParticipationStatus::Pending);
            (p.tender_id, state)
        })
        .collect();
    let milestones = owned_readable::<tender_milestone::Entity>(&standing)
        .filter(tender_milestone::Column::TenderId.is_in(tender_ids))
        .filter(tender_milestone::Column::Done.eq(false))
        .filter(tender_milestone::Column::OnDate.between(from, to))
        .all(&txn)
        .await?;
    txn.commit().await?;

    let tenders: Vec<TenderFacts<'_>> = tenders
        .iter()
        .filter_map(|tender| {
            let plan = plans.get(&tender.plan_id)?;
            Some(TenderFacts {
                tender,
                plan,
                leads: tender.lead_tenant_id == tenant.0,
                invited: invited.contains(&tender.id),
                state: states.get(&tender.id).copied(),
            })
        })
        .collect();
    items.extend(milestone_items(&tenders, &milestones, from, to));
    sort(&mut items);
    Ok(items)
}

/// The agenda as `user_id` of `tenant` sees it, for work that runs without
/// a request (the calendar feed, reminder mails): the user must still exist
/// and be active, and acts with their current role.
pub async fn upcoming_for_user(
    db: &Db,
    tenant: TenantId,
    user_id: Uuid,
    from: NaiveDate,
    to: NaiveDate,
    coverage: Coverage,
) -> DomainResult<Vec<AgendaItem>> {
    let principal = user_principal(db, tenant, user_id).await?;
    upcoming(db, &principal, from, to, coverage).await
}

/// The principal of an active user of `tenant`, read now; `NotFound` for a
/// user that is gone, deactivated or of another municipality.
pub async fn user_principal(db: &Db, tenant: TenantId, user_id: Uuid) -> DomainResult<Principal> {
    let txn = db.read(Scope::Tenant(tenant)).await?;
    let account = scoped_get::<user::Entity, _>(&txn, tenant, user_id).await?;
    txn.commit().await?;
    if !account.active {
        return Err(DomainError::NotFound);
    }
    let role = account
        .role
        .parse()
        .map_err(|()| DomainError::Internal(format!("unknown role {}", account.role)))?;
    Ok(Principal::User {
        user_id: account.id,
        tenant_id: tenant,
        role,
        email: account.email,
    })
}

/// A planned tender with what decides whether its milestones belong on the
/// municipality's agenda.
pub(crate) struct TenderFacts<'a> {
    pub tender: &'a planned_tender::Model,
    pub plan: &'a tender_plan::Model,
    /// The municipality leads the tender.
    pub leads: bool,
    /// The municipality is invited to it.
    pub invited: bool,
    /// Its own answer, if it has given one.
    pub state: Option<ParticipationStatus>,
}

impl TenderFacts<'_> {
    /// Leading, or invited and not declined or withdrawn.
    fn takes_part(&self) -> bool {
        self.leads || (self.invited && self.state.is_none_or(ParticipationStatus::counts))
    }
}

/// The notice deadlines and re-tender starts of `contracts` in `from..=to`.
pub(crate) fn contract_items(
    contracts: &[contract::Model],
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<AgendaItem> {
    let mut items = Vec::new();
    for c in contracts {
        if c.archived_at.is_some()
            || c.terminated_on.is_some()
            || c.status_override.as_deref() == Some("terminated")
        {
            continue;
        }
        let revision = i64::from(c.version) + days_since_epoch(c.derived_on);
        let last_modified = c.updated_at.max(midnight(c.derived_on));
        for (kind, deadline) in [
            (AgendaKind::NoticeDeadline, DeadlineKind::NoticeDeadline),
            (AgendaKind::RetenderStart, DeadlineKind::RetenderStart),
        ] {
            let Some(date) = deadline.open_date_of(c).filter(|d| (from..=to).contains(d)) else {
                continue;
            };
            items.push(AgendaItem {
                kind,
                date,
                title: format!("{}: {}", kind.label_da(), c.title),
                subject_id: c.id,
                subject_title: c.title.clone(),
                contract_id: Some(c.id),
                plan_id: None,
                plan_name: None,
                tender_id: None,
                link_path: format!("/kontrakter/{}", c.id),
                revision,
                last_modified,
            });
        }
    }
    items
}

/// The open milestones in `from..=to` of the tenders the municipality
/// takes part in or leads.
pub(crate) fn milestone_items(
    tenders: &[TenderFacts<'_>],
    milestones: &[tender_milestone::Model],
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<AgendaItem> {
    let by_id: HashMap<Uuid, &TenderFacts<'_>> = tenders.iter().map(|t| (t.tender.id, t)).collect();
    let mut items = Vec::new();
    for m in milestones {
        let Some(facts) = by_id.get(&m.tender_id) else {
            continue;
        };
        let Some(kind) = MilestoneKind::parse(&m.kind) else {
            continue;
        };
        if m.done
            || !(from..=to).contains(&m.on_date)
            || !facts.takes_part()
            || facts.plan.archived_at.is_some()
            || facts.tender.status == TenderStatus::Cancelled.as_str()
        {
            continue;
        }
        let (tender, plan) = (facts.tender, facts.plan);
        let kind = AgendaKind::Milestone(kind);
        items.push(AgendaItem {
            kind,
            date: m.on_date,
            title: format!("{}: {}", kind.label_da(), tender.subject),
            subject_id: tender.id,
            subject_title: tender.subject.clone(),
            contract_id: None,
            plan_id: Some(plan.id),
            plan_name: Some(plan.name.clone()),
            tender_id: Some(tender.id),
            link_path: format!("/udbudsplaner/{}/udbud/{}", plan.id, tender.id),
            revision: i64::from(tender.version),
            last_modified: tender.updated_at,
        });
    }
    items
}

/// By date, then title, then identity: the same data always lists the same.
pub(crate) fn sort(items: &mut [AgendaItem]) {
    items.sort_by(|a, b| {
        a.date
            .cmp(&b.date)
            .then_with(|| a.title.cmp(&b.title))
            .then_with(|| a.kind.cmp(&b.kind))
            .then_with(|| a.subject_id.cmp(&b.subject_id))
    });
}

fn days_since_epoch(day: NaiveDate) -> i64 {
    let epoch = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap_or(NaiveDate::MIN);
    (day - epoch).num_days().max(0)
}

fn midnight(day: NaiveDate) -> DateTime<Utc> {
    day.and_time(NaiveTime::MIN).and_utc()
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or(NaiveDate::MIN)
    }

    fn at(y: i32, m: u32, day: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, day, 12, 0, 0)
            .single()
            .unwrap_or_default()
    }

    fn contract(
        title: &str,
        notice: Option<NaiveDate>,
        retender: Option<NaiveDate>,
    ) -> contract::Model {
        contract::Model {
            id: Uuid::new_v4(),
            tenant_id: Uuid::new_v4(),
            title: title.into(),
            reference: None,
            description: None,
            status_override: None,
            contract_type: "main".into(),
            parent_id: None,
            supplier_id: Uuid::new_v4(),
            category: None,
            cpv_code: None,
            agreement_elements: String::new(),
            procedure: None,
            framework_agreement: None,
            annual_value: None,
            total_value: None,
            payment_model: None,
            payment_frequency: None,
            price_regulation: None,
            signed_on: None,
            start_on: d(2024, 1, 1),
            end_on: Some(d(2027, 12, 31)),
            irrevocable_until: None,
            option_months: 0,
            options_total: 0,
            options_exercised: 0,
            notice_period_months: 6,
            notice_to: "any_day".into(),
            terminated_on: None,
            retender_lead_months: 12,
            system_owner: None,
            owner_user_id: None,
            responsible_unit: None,
            supplier_contact: None,
            criticality: "normal".into(),
            notes: None,
            publishable: false,
            notice_deadline: notice,
            effective_end: Some(d(2027, 12, 31)),
            latest_end: Some(d(2027, 12, 31)),
            retender_start: retender,
            notice_deadline_handled_on: None,
            retender_start_handled_on: None,
            derived_on: d(2026, 12, 1),
            search_text: String::new(),
            version: 3,
            created_by: None,
            created_at: at(2026, 1, 1),
            updated_at: at(2026, 11, 1),
            archived_at: None,
            kitos_uuid: None,
        }
    }

    fn plan() -> tender_plan::Model {
        tender_plan::Model {
            id: Uuid::new_v4(),
            tenant_id: Uuid::new_v4(),
            collaboration_id: None,
            name: "Fælles udbudsplan 2027".into(),
            period_start: d(2027, 1, 1),
            period_end: d(2027, 12, 31),
            description: None,
            version: 1,
            created_by: None,
            created_at: at(2026, 1, 1),
            updated_at: at(2026, 1, 1),
            archived_at: None,
        }
    }

    fn tender(plan: &tender_plan::Model, lead: Uuid) -> planned_tender::Model {
        planned_tender::Model {
            id: Uuid::new_v4(),
            tenant_id: plan.tenant_id,
            collaboration_id: None,
            plan_id: plan.id,
            subject: "Økonomisystem".into(),
            description: None,
            category: None,
            cpv_code: None,
            procedure: "open".into(),
            framework_agreement: None,
            contract_kind: "supplies_services".into(),
            lead_tenant_id: lead,
            status: "planned".into(),
            status_history: "[]".into(),
            term_months: 48,
            option_months: 0,
            allows_late_joining: false,
            evaluation_days: 30,
            version: 7,
            created_at: at(2026, 1, 1),
            updated_at: at(2026, 10, 1),
        }
    }

    fn milestone(
        tender: &planned_tender::Model,
        kind: &str,
        on: NaiveDate,
    ) -> tender_milestone::Model {
        tender_milestone::Model {
            tender_id: tender.id,
            kind: kind.into(),
            tenant_id: tender.tenant_id,
            collaboration_id: None,
            on_date: on,
            done: false,
        }
    }

    #[test]
    fn contracts_give_their_deadlines_in_the_period_only() {
        let c = contract("Økonomisystem", Some(d(2027, 6, 30)), Some(d(2026, 12, 31)));
        let items = contract_items(std::slice::from_ref(&c), d(2027, 1, 1), d(2027, 12, 31));
        assert_eq!(items.len(), 1);
        let item = &items[0];
        assert_eq!(item.kind, AgendaKind::NoticeDeadline);
        assert_eq!(item.date, d(2027, 6, 30));
        assert_eq!(item.title, "Opsigelsesfrist: Økonomisystem");
        assert_eq!(item.link_path, format!("/kontrakter/{}", c.id));
        assert_eq!(item.key(), format!("notice-{}", c.id));

        let both = contract_items(std::slice::from_ref(&c), d(2026, 12, 1), d(2027, 6, 30));
        assert_eq!(both.len(), 2);
        assert!(both.iter().any(|i| i.kind == AgendaKind::RetenderStart
            && i.title == "Genudbud skal forberedes: Økonomisystem"));
    }

    #[test]
    fn archived_and_terminated_contracts_have_no_agenda() {
        let mut archived = contract("A", Some(d(2027, 6, 30)), None);
        archived.archived_at = Some(at(2026, 11, 1));
        let mut terminated = contract("B", Some(d(2027, 6, 30)), None);
        terminated.terminated_on = Some(d(2027, 8, 31));
        let mut overridden = contract("C", Some(d(2027, 6, 30)), None);
        overridden.status_override = Some("terminated".into());
        let items = contract_items(
            &[archived, terminated, overridden],
            d(2027, 1, 1),
            d(2027, 12, 31),
        );
        assert!(items.is_empty());
    }

    #[test]
    fn a_handled_deadline_leaves_the_agenda_until_its_date_moves() {
        let mut c = contract("A", Some(d(2027, 6, 30)), Some(d(2027, 3, 31)));
        c.notice_deadline_handled_on = Some(d(2027, 6, 30));
        let items = contract_items(std::slice::from_ref(&c), d(2027, 1, 1), d(2027, 12, 31));
        assert_eq!(items.len(), 1);
        assert_eq!(items[0].kind, AgendaKind::RetenderStart);
        c.retender_start_handled_on = Some(d(2027, 3, 31));
        assert!(
            contract_items(std::slice::from_ref(&c), d(2027, 1, 1), d(2027, 12, 31)).is_empty()
        );
        // An option exercised moves the deadline: the new one is open.
        c.notice_deadline = Some(d(2027, 9, 30));
        let items = contract_items(std::slice::from_ref(&c), d(2027, 1, 1), d(2027, 12, 31));
        assert_eq!(items.len(), 1);
        assert_eq!(items[0].date, d(2027, 9, 30));
    }

    #[test]
    fn a_change_or_a_recomputation_raises_the_revision() {
        let c = contract("A", Some(d(2027, 6, 30)), None);
        let before = contract_items(std::slice::from_ref(&c), d(2027, 1, 1), d(2027, 12, 31));
        let mut edited = c.clone();
        edited.version += 1;
        let mut recomputed = c.clone();
        recomputed.derived_on = d(2026, 12, 2);
        for changed in [edited, recomputed] {
            let after = contract_items(&[changed], d(2027, 1, 1), d(2027, 12, 31));
            assert_eq!(after[0].key(), before[0].key());
            assert!(after[0].revision > before[0].revision);
        }
    }

    #[test]
    fn milestones_of_tenders_taken_part_in_or_led_only() {
        let me = Uuid::new_v4();
        let p = plan();
        let led = tender(&p, me);
        let pending = tender(&p, Uuid::new_v4());
        let confirmed = tender(&p, Uuid::new_v4());
        let declined = tender(&p, Uuid::new_v4());
        let withdrawn = tender(&p, Uuid::new_v4());
        let not_invited = tender(&p, Uuid::new_v4());
        let mut cancelled = tender(&p, me);
        cancelled.status = "cancelled".into();
        let facts = |t, invited, state| TenderFacts {
            tender: t,
            plan: &p,
            leads: std::ptr::eq(t, &led) || std::ptr::eq(t, &cancelled),
            invited,
            state,
        };
        let tenders = [
            facts(&led, false, None),
            facts(&pending, true, None),
            facts(&confirmed, true, Some(ParticipationStatus::Confirmed)),
            facts(&declined, true, Some(ParticipationStatus::Declined)),
            facts(&withdrawn, true, Some(ParticipationStatus::Withdrawn)),
            facts(&not_invited, false, None),
            facts(&cancelled, false, None),
        ];
        let on = d(2027, 3, 1);
        let mut done = milestone(&led, "award", on);
        done.done = true;
        let milestones: Vec<_> = [
            &led,
            &pending,
            &confirmed,
            &declined,
            &withdrawn,
            &not_invited,
            &cancelled,
        ]
        .iter()
        .map(|t| milestone(t, "bid_deadline", on))
        .chain([done, milestone(&led, "publication", d(2028, 1, 1))])
        .collect();
        let items = milestone_items(&tenders, &milestones, d(2027, 1, 1), d(2027, 12, 31));
        let subjects: HashSet<Uuid> = items.iter().map(|i| i.subject_id).collect();
        assert_eq!(subjects, HashSet::from([led.id, pending.id, confirmed.id]));
        let item = items.iter().find(|i| i.subject_id == led.id);
        let item = item.expect("the led tender's milestone");
        assert_eq!(item.title, "Tilbudsfrist: Økonomisystem");
        assert_eq!(
            item.link_path,
            format!("/udbudsplaner/{}/udbud/{}", p.id, led.id)
        );
        assert_eq!(item.key(), format!("milestone-bid_deadline-{}", led.id));
        assert_eq!(item.revision, 7);
    }

    #[test]
    fn items_sort_by_date_then_title() {
        let a = contract("B", Some(d(2027, 6, 30)), Some(d(2027, 1, 5)));
        let b = contract("A", Some(d(2027, 6, 30)), None);
        let mut items = contract_items(&[a, b], d(2027, 1, 1), d(2027, 12, 31));
        sort(&mut items);
        let titles: Vec<&str> = items.iter().map(|i| i.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "Genudbud skal forberedes: B",
                "Opsigelsesfrist: A",
                "Opsigelsesfrist: B"
            ]
        );
    }
}
