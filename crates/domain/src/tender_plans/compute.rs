//! What a planned tender's view shows beyond its stored fields: the
//! aggregated estimated value, the EU threshold verdict for the planned
//! publication date, back-planning from the replaced contracts and the
//! warnings. Pure: the storage gathers the facts, this answers.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::model::{
    BackplanInput, ContractKind, DEFAULT_PENDING_WARNING_DAYS, DkkSource, Milestone, MilestoneKind,
    Participant, PlannedTenderFacts, Procedure, ReplacedContract, TenderStatus, Threshold,
    TimeLimits, ValueEstimate,
};
use super::service::{BackplanView, MilestoneEntry, ParticipantView, ThresholdView, WarningView};
use super::{aggregate, backplan, thresholds, warnings};

pub struct Facts<'a> {
    pub subject: &'a str,
    pub status: TenderStatus,
    pub procedure: Procedure,
    pub contract_kind: ContractKind,
    pub evaluation_days: u32,
    pub milestones: &'a [MilestoneEntry],
    pub participants: &'a [ParticipantView],
    pub thresholds: &'a [Threshold],
    pub time_limits: Option<&'a TimeLimits>,
    pub today: NaiveDate,
}

pub struct Computed {
    pub aggregate_value: Decimal,
    pub threshold: Option<ThresholdView>,
    pub backplan: Option<BackplanView>,
    pub warnings: Vec<WarningView>,
}

fn milestone(facts: &Facts<'_>, kind: MilestoneKind) -> Option<NaiveDate> {
    facts
        .milestones
        .iter()
        .find(|m| m.kind == kind)
        .map(|m| m.date)
}

/// EUR per DKK implied by the published values of the same period.
fn implied_rate(thresholds: &[Threshold], row: &Threshold) -> Option<Decimal> {
    thresholds
        .iter()
        .filter(|t| t.valid_from == row.valid_from && t.valid_to == row.valid_to)
        .find_map(|t| t.dkk.filter(|_| !t.eur.is_zero()).map(|dkk| dkk / t.eur))
}

/// Days from the deadline for requests to participate to the invitation to
/// tender in a two-stage procedure, for back-planning.
pub const QUALIFICATION_DAYS: u32 = 14;

/// The participants as the rules see them: each one's stated total (none
/// stated yet counts as zero) and the replaced contracts with an end.
fn participants(facts: &Facts<'_>) -> Vec<Participant> {
    facts
        .participants
        .iter()
        .map(|p| Participant {
            tenant_id: p.tenant.id,
            tenant_name: p.tenant.name.clone(),
            status: p.state,
            estimate: ValueEstimate::Total {
                total_value: p.estimated_value.unwrap_or_default(),
            },
            replaced_contracts: p
                .replaced_contracts
                .iter()
                .filter_map(|c| {
                    Some(ReplacedContract {
                        contract_id: c.id,
                        title: c.title.clone(),
                        ends_on: c.end_date?,
                        notice_deadline: c.notice_deadline,
                    })
                })
                .collect(),
        })
        .collect()
}

pub fn evaluate(facts: &Facts<'_>) -> Computed {
    let participants = participants(facts);
    let aggregate = aggregate::aggregate(&participants);
    let plan = facts.time_limits.and_then(|limits| {
        backplan::backplan(&BackplanInput {
            replaced_contracts: backplan::replaced_contracts(&participants),
            time_limits: *limits,
            evaluation_days: facts.evaluation_days,
            qualification_days: QUALIFICATION_DAYS,
            standstill_days: None,
            planned_contract_start: milestone(facts, MilestoneKind::ContractStart),
            planned_publication: milestone(facts, MilestoneKind::Publication),
        })
    });
    let publication_date = milestone(facts, MilestoneKind::Publication)
        .or(plan.as_ref().map(|b| b.latest_publication))
        .unwrap_or(facts.today);
    let threshold = thresholds::applicable(facts.thresholds, facts.contract_kind, publication_date)
        .and_then(|row| {
            let verdict =
                thresholds::verdict_for(&aggregate, row, implied_rate(facts.thresholds, row))
                    .ok()?;
            let mut consequence = verdict.consequence;
            if verdict.above && !facts.procedure.is_eu_procedure() {
                consequence.push_str(&format!(
                    " Den valgte udbudsform ({}) er ikke en EU-udbudsprocedure.",
                    facts.procedure.label_da()
                ));
            }
            Some(ThresholdView {
                kind: verdict.kind,
                eur: verdict.threshold_eur,
                dkk: verdict.threshold_dkk,
                dkk_converted: matches!(verdict.dkk_source, DkkSource::ConvertedFromEur { .. }),
                applies_from: verdict.valid_from,
                applies_to: verdict.valid_to,
                publication_date,
                above: verdict.above,
                crosses_only_in_aggregate: verdict.crosses_only_in_aggregate,
                consequence,
            })
        });
    let found = warnings::warnings(&PlannedTenderFacts {
        subject: facts.subject.to_owned(),
        status: facts.status,
        procedure: facts.procedure,
        milestones: facts
            .milestones
            .iter()
            .map(|m| Milestone {
                kind: m.kind,
                date: m.date,
            })
            .collect(),
        participants,
        latest_publication: plan.as_ref().map(|b| b.latest_publication),
        today: facts.today,
        pending_warning_days: DEFAULT_PENDING_WARNING_DAYS,
    });
    Computed {
        aggregate_value: aggregate.total,
        threshold,
        backplan: plan.map(|b| BackplanView {
            required_start: b.required_start,
            latest_publication: b.latest_publication,
            slack_days: b.slack_days,
            notice_by: b.notice_deadline,
        }),
        warnings: found
            .into_iter()
            .map(|w| WarningView {
                code: w.code,
                severity: w.severity,
                message: w.message,
            })
            .collect(),
    }
}
