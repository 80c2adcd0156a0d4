//! The demo's joint tender plan: the collaboration's "Fælles udbudsplan
//! 2027–2028" with planned tenders that show what the plan pages can say.
//! One crosses the EU threshold only in aggregate, one has a gap between the
//! replaced contract's end and the new contract's start, one waits for a
//! participant's answer, and one is a call-off from a framework agreement
//! (SKI 02.19). Seeded once: an existing plan of that name is left alone.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::contracts::{self, ContractFilter, ContractInput, ContractScope};
use crate::db::Db;
use crate::error::DomainResult;
use crate::paging::PageRequest;
use crate::principal::Principal;
use crate::tender_plans::participants::{self, Answer};
use crate::tender_plans::service::{self, MilestoneInput, PlanInput, PlannedTender, TenderInput};

/// The name of the demo's joint plan.
pub const PLAN: &str = "Fælles udbudsplan 2027–2028";

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

fn milestones(dates: &[(&str, NaiveDate, bool)]) -> Vec<MilestoneInput> {
    dates
        .iter()
        .map(|(kind, date, done)| MilestoneInput {
            kind: (*kind).into(),
            date: Some(*date),
            done: *done,
        })
        .collect()
}

/// The municipality's own contract with this title (the main contract):
/// its id and its supplier's.
async fn own_contract(
    db: &Db,
    admin: &Principal,
    title: &str,
) -> DomainResult<Option<(Uuid, Uuid)>> {
    let page = contracts::list_contracts(
        db,
        admin,
        ContractFilter {
            scope: ContractScope::Own,
            q: Some(title.into()),
            ..Default::default()
        },
        PageRequest {
            page: 1,
            page_size: 20,
        },
    )
    .await?;
    Ok(page
        .items
        .into_iter()
        .find(|c| c.title == title)
        .map(|c| (c.id, c.supplier.id)))
}

/// Invites `participant` (the admin of a municipality) and answers as it:
/// states the value and replaced contracts and, unless left pending, confirms.
async fn take_part(
    db: &Db,
    coordinator: &Principal,
    participant: &Principal,
    tender: &PlannedTender,
    value: i64,
    replaced: Vec<Uuid>,
    confirm: bool,
) -> DomainResult<()> {
    let Some(tenant) = participant.tenant_id() else {
        return Ok(());
    };
    let invited =
        participants::invite(db, coordinator, tender.plan_id, tender.id, tenant.0).await?;
    let stated = participants::answer(
        db,
        participant,
        tender.plan_id,
        tender.id,
        tenant.0,
        Some(invited.version),
        Answer::State {
            estimated_value: Some(Decimal::from(value)),
            replaced_contract_ids: replaced,
        },
    )
    .await?;
    if confirm {
        let version = stated
            .participants
            .iter()
            .find(|p| p.tenant.id == tenant.0)
            .map(|p| p.version);
        participants::answer(
            db,
            participant,
            tender.plan_id,
            tender.id,
            tenant.0,
            version,
            Answer::Confirm,
        )
        .await?;
    }
    Ok(())
}

/// Seeds the plan for the collaboration coordinated by `admins[0]`.
pub async fn seed(db: &Db, admins: &[Principal], collaboration: Option<Uuid>) -> DomainResult<()> {
    let (Some(collaboration), [soroe, ringsted, naestved, ..]) = (collaboration, admins) else {
        return Ok(());
    };
    let exists = service::list_plans(db, soroe, true)
        .await?
        .into_iter()
        .any(|p| p.name == PLAN);
    if exists {
        return Ok(());
    }
    let plan = service::create_plan(
        db,
        soroe,
        PlanInput {
            name: PLAN.into(),
            period_start: Some(date(2027, 1, 1)),
            period_end: Some(date(2028, 12, 31)),
            description: Some(
                "Kommunernes fælles udbud i byrådsperioden: hvad der skal i udbud hvornår, \
                 hvem der er med, og hvilke kontrakter udbuddene erstatter."
                    .into(),
            ),
            collaboration_id: Some(collaboration),
        },
    )
    .await?;
    let (Some(soroe_id), Some(ringsted_id)) = (soroe.tenant_id(), ringsted.tenant_id()) else {
        return Ok(());
    };

    // 1. Each municipality alone is below the threshold; together they are above it.
    let esdh = service::create_tender(
        db,
        soroe,
        plan.id,
        TenderInput {
            subject: "Fælles ESDH-system".into(),
            description: Some(
                "Et fælles system til sager og dokumenter, der afløser kommunernes egne ESDH-kontrakter."
                    .into(),
            ),
            category: Some("Sagsbehandling".into()),
            cpv_code: Some("48311000-1".into()),
            procedure: Some("open".into()),
            contract_kind: Some("supplies_services".into()),
            lead_tenant_id: Some(soroe_id.0),
            status: Some("preparing".into()),
            term_months: Some(48),
            option_months: Some(24),
            allows_late_joining: Some(false),
            evaluation_days: Some(30),
            milestones: milestones(&[
                ("needs_analysis", date(2026, 9, 1), true),
                ("market_dialogue", date(2026, 12, 14), false),
                ("publication", date(2027, 3, 1), false),
                ("bid_deadline", date(2027, 4, 12), false),
                ("award", date(2027, 6, 1), false),
                ("contract_start", date(2027, 10, 1), false),
            ]),
            ..Default::default()
        },
    )
    .await?;
    let soroe_esdh = own_contract(db, soroe, "ESDH og dokumenthåndtering").await?;
    let ringsted_esdh = own_contract(db, ringsted, "ESDH og dokumenthåndtering").await?;
    take_part(
        db,
        soroe,
        soroe,
        &esdh,
        950_000,
        soroe_esdh.map(|c| c.0).into_iter().collect(),
        true,
    )
    .await?;
    take_part(
        db,
        soroe,
        ringsted,
        &esdh,
        850_000,
        ringsted_esdh.map(|c| c.0).into_iter().collect(),
        true,
    )
    .await?;

    // 2. A gap: Ringsted's building case system ends before the new contract starts.
    let gap_contract = contracts::create_contract(
        db,
        ringsted,
        ContractInput {
            title: "Byggesagssystem".into(),
            supplier_id: ringsted_esdh.map(|c| c.1),
            reference: Some("K-2021-101".into()),
            category: Some("Teknik og miljø".into()),
            cpv_code: Some("48000000-8".into()),
            procedure: Some("below_threshold".into()),
            annual_value: Some(Decimal::from(310_000)),
            total_value: Some(Decimal::from(1_860_000)),
            start_on: Some(date(2021, 7, 1)),
            end_on: Some(date(2027, 6, 30)),
            option_months: Some(0),
            options_total: Some(0),
            options_exercised: Some(0),
            notice_period_months: Some(6),
            notice_to: Some("none".into()),
            retender_lead_months: Some(12),
            system_owner: Some("Byggeri og Miljø".into()),
            ..Default::default()
        },
    )
    .await?;
    let building = service::create_tender(
        db,
        soroe,
        plan.id,
        TenderInput {
            subject: "Byggesags- og miljøsystem".into(),
            category: Some("Teknik og miljø".into()),
            cpv_code: Some("48000000-8".into()),
            procedure: Some("restricted".into()),
            contract_kind: Some("supplies_services".into()),
            lead_tenant_id: Some(ringsted_id.0),
            status: Some("planned".into()),
            term_months: Some(36),
            option_months: Some(24),
            allows_late_joining: Some(true),
            evaluation_days: Some(30),
            milestones: milestones(&[
                ("needs_analysis", date(2027, 1, 15), false),
                ("publication", date(2027, 6, 1), false),
                ("bid_deadline", date(2027, 7, 15), false),
                ("award", date(2027, 9, 15), false),
                ("contract_start", date(2028, 1, 1), false),
            ]),
            ..Default::default()
        },
    )
    .await?;
    take_part(
        db,
        soroe,
        ringsted,
        &building,
        1_400_000,
        vec![gap_contract.id],
        true,
    )
    .await?;

    // 3. Næstved is invited and has not answered yet.
    let citizen = service::create_tender(
        db,
        soroe,
        plan.id,
        TenderInput {
            subject: "Borgerservice og selvbetjening".into(),
            category: Some("Borgerservice".into()),
            cpv_code: Some("72000000-5".into()),
            procedure: Some("competitive_negotiation".into()),
            contract_kind: Some("supplies_services".into()),
            lead_tenant_id: Some(soroe_id.0),
            status: Some("planned".into()),
            term_months: Some(48),
            option_months: Some(12),
            allows_late_joining: Some(true),
            evaluation_days: Some(45),
            milestones: milestones(&[
                ("needs_analysis", date(2027, 5, 1), false),
                ("market_dialogue", date(2027, 9, 1), false),
                ("publication", date(2028, 2, 1), false),
                ("bid_deadline", date(2028, 3, 20), false),
                ("award", date(2028, 6, 1), false),
                ("contract_start", date(2028, 10, 1), false),
            ]),
            ..Default::default()
        },
    )
    .await?;
    take_part(db, soroe, soroe, &citizen, 2_100_000, Vec::new(), true).await?;
    if let Some(naestved_id) = naestved.tenant_id() {
        participants::invite(db, soroe, plan.id, citizen.id, naestved_id.0).await?;
    }

    // 4. A call-off from the state's framework agreement for computers.
    let pcs = service::create_tender(
        db,
        soroe,
        plan.id,
        TenderInput {
            subject: "Pc'er og skærme (SKI 02.19)".into(),
            category: Some("It-udstyr".into()),
            cpv_code: Some("30213000-5".into()),
            procedure: Some("framework_mini_competition".into()),
            framework_agreement: Some("SKI 02.19 It-hardware".into()),
            contract_kind: Some("supplies_services".into()),
            lead_tenant_id: Some(soroe_id.0),
            status: Some("idea".into()),
            term_months: Some(24),
            option_months: Some(0),
            allows_late_joining: Some(false),
            evaluation_days: Some(14),
            milestones: milestones(&[
                ("publication", date(2027, 9, 1), false),
                ("bid_deadline", date(2027, 9, 22), false),
                ("award", date(2027, 10, 6), false),
                ("contract_start", date(2027, 11, 1), false),
            ]),
            ..Default::default()
        },
    )
    .await?;
    take_part(db, soroe, soroe, &pcs, 600_000, Vec::new(), true).await?;
    take_part(db, soroe, naestved, &pcs, 450_000, Vec::new(), true).await?;

    Ok(())
}
