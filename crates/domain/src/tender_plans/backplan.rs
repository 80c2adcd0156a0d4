//! Back-planning: from the contracts a planned tender replaces, the latest
//! day its contract notice can be published so that the new contract can
//! start the day after the first of them ends.
//!
//! The chain, forwards from the publication day P:
//!
//! 1. first deadline = P + the procedure's minimum time limit (calendar days
//!    from the day after the notice; on a weekend or holiday, the next
//!    working day). One stage: that is the bid deadline.
//! 2. two stages: invitation = request deadline + qualification days (next
//!    working day); bid deadline = invitation + the second-stage limit.
//! 3. award decision = bid deadline + evaluation days (next working day).
//! 4. standstill end = award + standstill days (next working day); with no
//!    standstill, the award day itself.
//! 5. the contract can start the day after the standstill ends.
//!
//! Every step is monotone in P, so the latest publication day is found by
//! walking back, from the last day the plain sum of the periods allows, to
//! the last working day whose chain still fits: exact with all the
//! working-day adjustments, where subtracting the periods would not be.

use chrono::{Days, NaiveDate};

use super::holidays::{deadline_from_notice, is_working_day, next_working_day};
use super::model::{Backplan, BackplanInput, Participant, ReplacedContract};

/// The dates that follow from publishing on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Schedule {
    pub publication: NaiveDate,
    pub request_deadline: Option<NaiveDate>,
    pub bid_deadline: NaiveDate,
    pub award_decision: NaiveDate,
    pub standstill_end: NaiveDate,
    pub earliest_start: NaiveDate,
}

fn plus(date: NaiveDate, days: u32) -> NaiveDate {
    date.checked_add_days(Days::new(u64::from(days)))
        .unwrap_or(NaiveDate::MAX)
}

/// The earliest dates of every step when the notice is published on
/// `publication`.
pub fn schedule_from(input: &BackplanInput, publication: NaiveDate) -> Schedule {
    let limits = &input.time_limits;
    let first = deadline_from_notice(publication, limits.min_days_from_notice);
    let (request_deadline, bid_deadline) = match limits.second_stage_days {
        Some(second) => {
            let invitation = next_working_day(plus(first, input.qualification_days));
            (Some(first), deadline_from_notice(invitation, second))
        }
        None => (None, first),
    };
    let award_decision = next_working_day(plus(bid_deadline, input.evaluation_days));
    let standstill = input.standstill_days.unwrap_or(limits.standstill_days);
    let standstill_end = deadline_from_notice(award_decision, standstill);
    Schedule {
        publication,
        request_deadline,
        bid_deadline,
        award_decision,
        standstill_end,
        earliest_start: plus(standstill_end, 1),
    }
}

/// The contracts replaced by the participants still taking part (pending
/// or confirmed): what `BackplanInput::replaced_contracts` should hold.
pub fn replaced_contracts(participants: &[Participant]) -> Vec<ReplacedContract> {
    participants
        .iter()
        .filter(|p| p.status.counts())
        .flat_map(|p| p.replaced_contracts.iter().cloned())
        .collect()
}

/// The latest publication and the dates that follow from it. `None` when
/// there is nothing to plan towards (no replaced contract and no planned
/// contract start), or the periods reach before chrono's first date.
pub fn backplan(input: &BackplanInput) -> Option<Backplan> {
    let earliest_ending = input.replaced_contracts.iter().min_by_key(|c| c.ends_on);
    let (required_start, limiting_contract) = match earliest_ending {
        Some(c) => (plus(c.ends_on, 1), Some(c.contract_id)),
        None => (input.planned_contract_start?, None),
    };

    // Every period is at least its number of days, so no publication after
    // required start − (sum of the periods + the start day) can fit; the
    // walk starts there and only has the working-day adjustments to cover.
    let limits = &input.time_limits;
    let second_stage = limits.second_stage_days.map_or(0, |second| {
        u64::from(second) + u64::from(input.qualification_days)
    });
    let shortest_chain = u64::from(limits.min_days_from_notice)
        + second_stage
        + u64::from(input.evaluation_days)
        + u64::from(input.standstill_days.unwrap_or(limits.standstill_days))
        + 1;
    let mut day = required_start.checked_sub_days(Days::new(shortest_chain))?;
    let schedule = loop {
        if is_working_day(day) {
            let s = schedule_from(input, day);
            if s.earliest_start <= required_start {
                break s;
            }
        }
        day = day.pred_opt()?;
    };

    let notice = input
        .replaced_contracts
        .iter()
        .filter_map(|c| c.notice_deadline.map(|d| (d, c.contract_id)))
        .min();

    Some(Backplan {
        required_start,
        limiting_contract,
        latest_publication: schedule.publication,
        request_deadline: schedule.request_deadline,
        bid_deadline: schedule.bid_deadline,
        award_decision: schedule.award_decision,
        standstill_end: schedule.standstill_end,
        slack_days: input
            .planned_publication
            .map(|planned| (schedule.publication - planned).num_days()),
        notice_deadline: notice.map(|(d, _)| d),
        notice_contract: notice.map(|(_, id)| id),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tender_plans::model::{Procedure, ReplacedContract, TimeLimits, seed_time_limits};
    use uuid::Uuid;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn limits(procedure: Procedure) -> TimeLimits {
        seed_time_limits()
            .into_iter()
            .find(|t| t.procedure == procedure)
            .unwrap()
    }

    fn contract(ends_on: NaiveDate, notice_deadline: Option<NaiveDate>) -> ReplacedContract {
        ReplacedContract {
            contract_id: Uuid::new_v4(),
            title: "Kontrakt".into(),
            ends_on,
            notice_deadline,
        }
    }

    fn input(procedure: Procedure, replaced: Vec<ReplacedContract>) -> BackplanInput {
        BackplanInput {
            replaced_contracts: replaced,
            time_limits: limits(procedure),
            evaluation_days: 21,
            qualification_days: 0,
            standstill_days: None,
            planned_contract_start: None,
            planned_publication: None,
        }
    }

    /// Open procedure (35 days), 21 days' evaluation, 10 days' standstill;
    /// the replaced contract ends Wednesday 30 June 2027, so the new one
    /// must start Thursday 1 July 2027.
    ///
    /// Backwards: the standstill must end by 30 June. Award A + 10 ≤ 30 June
    /// gives A ≤ 20 June (Sunday), so the last award day is Friday 18 June
    /// (+10 = Monday 28 June). Bid deadline B + 21 ≤ 18 June: B ≤ 28 May
    /// (a Friday; 19–20 June would push the award to Monday 21 June and the
    /// standstill to 1 July). Publication P + 35 ≤ 28 May: P ≤ 23 April 2027,
    /// a Friday. Check the next working day, Monday 26 April: +35 = 31 May,
    /// +21 = 21 June, +10 = 1 July, start 2 July: too late.
    /// Planned publication 1 April 2027: slack 22 days.
    #[test]
    fn open_procedure_worked_example() {
        let old = contract(d(2027, 6, 30), Some(d(2026, 12, 31)));
        let old_id = old.contract_id;
        let mut i = input(Procedure::Open, vec![old]);
        i.planned_publication = Some(d(2027, 4, 1));
        let plan = backplan(&i).unwrap();
        assert_eq!(plan.required_start, d(2027, 7, 1));
        assert_eq!(plan.limiting_contract, Some(old_id));
        assert_eq!(plan.latest_publication, d(2027, 4, 23));
        assert_eq!(plan.request_deadline, None);
        assert_eq!(plan.bid_deadline, d(2027, 5, 28));
        assert_eq!(plan.award_decision, d(2027, 6, 18));
        assert_eq!(plan.standstill_end, d(2027, 6, 28));
        assert_eq!(plan.slack_days, Some(22));
        assert_eq!(plan.notice_deadline, Some(d(2026, 12, 31)));
        assert_eq!(plan.notice_contract, Some(old_id));

        let too_late = schedule_from(&i, d(2027, 4, 26));
        assert_eq!(too_late.earliest_start, d(2027, 7, 2));

        // By letter the standstill is 15 days: A + 15 ≤ 30 June gives
        // A ≤ 15 June (Tuesday); B + 21 ≤ 15 June gives B ≤ 25 May (Tuesday);
        // P + 35 ≤ 25 May gives P ≤ 20 April 2027 (Tuesday): slack 19 days.
        i.standstill_days = Some(15);
        let plan = backplan(&i).unwrap();
        assert_eq!(plan.latest_publication, d(2027, 4, 20));
        assert_eq!(plan.slack_days, Some(19));
    }

    /// Restricted procedure (30 + 30 days), 14 days from the request
    /// deadline to the invitation, 30 days' evaluation, 10 days' standstill.
    /// Two replaced contracts end 31 March 2027 and 30 June 2027; the
    /// earlier one rules: start Thursday 1 April 2027, with Easter 2027
    /// (25–29 March) in the way.
    ///
    /// Backwards: award A + 10 ≤ 31 March, A ≤ 21 March (Sunday), so Friday
    /// 19 March (+10 = Easter Monday 29 March, moved to Tuesday 30 March).
    /// Bid deadline B + 30 ≤ 19 March: B ≤ 17 February (Wednesday).
    /// Invitation I + 30 ≤ 17 February: I ≤ 18 January (Monday).
    /// Request deadline R + 14 ≤ 18 January: R ≤ 4 January (Monday).
    /// Publication P + 30 ≤ 4 January, where 1 January (holiday) and 2–3
    /// January (weekend) all move to 4 January: P ≤ 5 December 2026, a
    /// Saturday, so Friday 4 December 2026 (+30 = Sunday 3 January →
    /// Monday 4 January). Monday 7 December would give R 6 January,
    /// I 20 January, B 19 February, A 22 March, standstill 1 April: too late.
    /// Planned publication 15 December 2026: slack −11 days (late).
    #[test]
    fn restricted_procedure_over_new_year_and_easter() {
        let early = contract(d(2027, 3, 31), Some(d(2026, 12, 31)));
        let late = contract(d(2027, 6, 30), Some(d(2027, 3, 31)));
        let early_id = early.contract_id;
        let mut i = input(Procedure::Restricted, vec![late, early]);
        i.evaluation_days = 30;
        i.qualification_days = 14;
        i.planned_publication = Some(d(2026, 12, 15));
        let plan = backplan(&i).unwrap();
        assert_eq!(plan.required_start, d(2027, 4, 1));
        assert_eq!(plan.limiting_contract, Some(early_id));
        assert_eq!(plan.latest_publication, d(2026, 12, 4));
        assert_eq!(plan.request_deadline, Some(d(2027, 1, 4)));
        assert_eq!(plan.bid_deadline, d(2027, 2, 17));
        assert_eq!(plan.award_decision, d(2027, 3, 19));
        assert_eq!(plan.standstill_end, d(2027, 3, 30));
        assert_eq!(plan.slack_days, Some(-11));
        assert_eq!(plan.notice_deadline, Some(d(2026, 12, 31)));
        assert_eq!(plan.notice_contract, Some(early_id));

        let too_late = schedule_from(&i, d(2026, 12, 7));
        assert_eq!(too_late.award_decision, d(2027, 3, 22));
        assert_eq!(too_late.standstill_end, d(2027, 4, 1));
    }

    /// Direct award on a framework agreement: no minimum time limit, no
    /// standstill, 5 days' evaluation, nothing replaced; the planned
    /// contract start Monday 4 January 2027 is the target.
    ///
    /// Backwards: the award must be by 3 January, and the last working day
    /// by then is Thursday 31 December 2026 (1 January is a holiday, 2–3
    /// January a weekend). P + 5 ≤ 31 December: P ≤ 26 December, and 24–27
    /// December are holidays or a weekend, so Wednesday 23 December 2026
    /// (+5 = Monday 28 December, the award; start possible 29 December).
    /// Monday 28 December would give +5 = Saturday 2 January → award
    /// 4 January, start 5 January: too late. Planned publication
    /// 1 December 2026: slack 22 days.
    #[test]
    fn direct_award_over_christmas_towards_a_planned_start() {
        let mut i = input(Procedure::FrameworkDirectAward, vec![]);
        i.evaluation_days = 5;
        i.planned_contract_start = Some(d(2027, 1, 4));
        i.planned_publication = Some(d(2026, 12, 1));
        let plan = backplan(&i).unwrap();
        assert_eq!(plan.required_start, d(2027, 1, 4));
        assert_eq!(plan.limiting_contract, None);
        assert_eq!(plan.latest_publication, d(2026, 12, 23));
        assert_eq!(plan.bid_deadline, d(2026, 12, 23));
        assert_eq!(plan.award_decision, d(2026, 12, 28));
        assert_eq!(plan.standstill_end, d(2026, 12, 28));
        assert_eq!(plan.slack_days, Some(22));
        assert_eq!(plan.notice_deadline, None);
        assert_eq!(
            schedule_from(&i, d(2026, 12, 28)).earliest_start,
            d(2027, 1, 5)
        );
    }

    #[test]
    fn only_participants_taking_part_replace_contracts() {
        use crate::tender_plans::model::{Participant, ParticipationStatus, ValueEstimate};
        let p = |status, ends_on| Participant {
            tenant_id: Uuid::new_v4(),
            tenant_name: "Kommune".into(),
            status,
            estimate: ValueEstimate::Total {
                total_value: dec!(1),
            },
            replaced_contracts: vec![contract(ends_on, None)],
        };
        let replaced = replaced_contracts(&[
            p(ParticipationStatus::Confirmed, d(2027, 6, 30)),
            p(ParticipationStatus::Pending, d(2027, 9, 30)),
            p(ParticipationStatus::Withdrawn, d(2027, 1, 31)),
        ]);
        let ends: Vec<NaiveDate> = replaced.iter().map(|c| c.ends_on).collect();
        assert_eq!(ends, [d(2027, 6, 30), d(2027, 9, 30)]);
    }

    #[test]
    fn absurd_periods_end_quickly_without_an_answer() {
        let mut i = input(Procedure::Open, vec![contract(d(2027, 6, 30), None)]);
        i.evaluation_days = u32::MAX;
        assert_eq!(backplan(&i), None);
    }

    #[test]
    fn nothing_to_plan_towards() {
        assert_eq!(backplan(&input(Procedure::Open, vec![])), None);
    }
}
