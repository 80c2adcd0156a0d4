//! The warnings a planned tender (planlagt udbud) shows, in Danish with the
//! concrete dates, contracts and municipalities:
//!
//! - `gap`: a replaced contract ends before the planned contract start,
//!   leaving days without a contract;
//! - `notice_before_award`: a replaced contract's notice deadline
//!   (opsigelsesfrist) falls before the planned award, so it must be
//!   terminated or extended before the tender is decided;
//! - `milestones_out_of_order`: a milestone (milepæl) is dated before one
//!   that should come earlier;
//! - `publication_too_late`: the planned publication is after the latest
//!   day back-planning allows;
//! - `participant_pending`: a participant (deltager) has not confirmed
//!   within N days (default 30) of the planned publication.
//!
//! A cancelled tender has no warnings. Once published or awarded, the
//! publication and joining warnings no longer apply. Participants that
//! declined or withdrew replace nothing and are not looked at.

use chrono::NaiveDate;

use super::model::{
    Milestone, MilestoneKind, ParticipationStatus, PlannedTenderFacts, Severity, TenderStatus,
    Warning, WarningCode,
};
use super::text;

fn milestone(facts: &PlannedTenderFacts, kind: MilestoneKind) -> Option<NaiveDate> {
    facts
        .milestones
        .iter()
        .find(|m| m.kind == kind)
        .map(|m| m.date)
}

/// Every warning for the planned tender, rule by rule.
pub fn warnings(facts: &PlannedTenderFacts) -> Vec<Warning> {
    if facts.status == TenderStatus::Cancelled {
        return Vec::new();
    }
    let mut out = Vec::new();
    gaps(facts, &mut out);
    notice_before_award(facts, &mut out);
    milestones_out_of_order(&facts.milestones, &mut out);
    let before_publication = !matches!(
        facts.status,
        TenderStatus::Published | TenderStatus::Awarded
    );
    if before_publication {
        publication_too_late(facts, &mut out);
        participants_pending(facts, &mut out);
    }
    out
}

fn taking_part(facts: &PlannedTenderFacts) -> impl Iterator<Item = &super::model::Participant> {
    facts.participants.iter().filter(|p| p.status.counts())
}

fn gaps(facts: &PlannedTenderFacts, out: &mut Vec<Warning>) {
    let Some(start) = milestone(facts, MilestoneKind::ContractStart) else {
        return;
    };
    for p in taking_part(facts) {
        for c in &p.replaced_contracts {
            let days_without = (start - c.ends_on).num_days() - 1;
            if days_without > 0 {
                out.push(Warning {
                    code: WarningCode::Gap,
                    severity: Severity::Warning,
                    message: format!(
                        "Kontrakten »{}« hos {} udløber {}, men den nye kontrakt starter først {}: \
                         {} uden kontrakt. Forlæng kontrakten, eller ryk kontraktstarten frem.",
                        c.title,
                        p.tenant_name,
                        text::date(c.ends_on),
                        text::date(start),
                        text::days(days_without),
                    ),
                    tenant_id: Some(p.tenant_id),
                    contract_id: Some(c.contract_id),
                });
            }
        }
    }
}

fn notice_before_award(facts: &PlannedTenderFacts, out: &mut Vec<Warning>) {
    let Some(award) = milestone(facts, MilestoneKind::Award) else {
        return;
    };
    for p in taking_part(facts) {
        for c in &p.replaced_contracts {
            let Some(deadline) = c.notice_deadline else {
                continue;
            };
            if deadline < award {
                out.push(Warning {
                    code: WarningCode::NoticeBeforeAward,
                    severity: Severity::Warning,
                    message: format!(
                        "Opsigelsesfristen for kontrakten »{}« hos {} er {}, før den planlagte \
                         tildeling {}. Kontrakten skal opsiges eller forlænges rettidigt, \
                         inden udbuddet er afgjort.",
                        c.title,
                        p.tenant_name,
                        text::date(deadline),
                        text::date(award),
                    ),
                    tenant_id: Some(p.tenant_id),
                    contract_id: Some(c.contract_id),
                });
            }
        }
    }
}

fn milestones_out_of_order(milestones: &[Milestone], out: &mut Vec<Warning>) {
    for m in milestones {
        // The latest-dated milestone among those that should come before it.
        let earlier = milestones
            .iter()
            .filter(|e| e.kind < m.kind && e.date > m.date)
            .max_by_key(|e| (e.date, e.kind));
        if let Some(e) = earlier {
            out.push(Warning {
                code: WarningCode::MilestonesOutOfOrder,
                severity: Severity::Warning,
                message: format!(
                    "Milepælen {} ({}) ligger før milepælen {} ({}), som skal komme først.",
                    m.kind.label_da(),
                    text::date(m.date),
                    e.kind.label_da(),
                    text::date(e.date),
                ),
                tenant_id: None,
                contract_id: None,
            });
        }
    }
}

fn publication_too_late(facts: &PlannedTenderFacts, out: &mut Vec<Warning>) {
    let (Some(planned), Some(latest)) = (
        milestone(facts, MilestoneKind::Publication),
        facts.latest_publication,
    ) else {
        return;
    };
    let late = (planned - latest).num_days();
    if late > 0 {
        out.push(Warning {
            code: WarningCode::PublicationTooLate,
            severity: Severity::Critical,
            message: format!(
                "Den planlagte offentliggørelse {} er {} efter den seneste dato, {}, \
                 der giver kontraktstart til tiden efter udbudsformens minimumsfrister, \
                 evaluering og standstill-periode. Offentliggør tidligere, eller forlæng \
                 de kontrakter, udbuddet erstatter.",
                text::date(planned),
                text::days(late),
                text::date(latest),
            ),
            tenant_id: None,
            contract_id: None,
        });
    }
}

fn participants_pending(facts: &PlannedTenderFacts, out: &mut Vec<Warning>) {
    let Some(publication) = milestone(facts, MilestoneKind::Publication) else {
        return;
    };
    let days_left = (publication - facts.today).num_days();
    if days_left > i64::from(facts.pending_warning_days) {
        return;
    }
    let when = match days_left {
        0 => "i dag".to_string(),
        n if n > 0 => format!("om {}", text::days(n)),
        n => format!("for {} siden", text::days(-n)),
    };
    for p in facts
        .participants
        .iter()
        .filter(|p| p.status == ParticipationStatus::Pending)
    {
        out.push(Warning {
            code: WarningCode::ParticipantPending,
            severity: Severity::Warning,
            message: format!(
                "{} har endnu ikke bekræftet sin deltagelse, og udbuddet skal efter planen \
                 offentliggøres {} ({when}).",
                p.tenant_name,
                text::date(publication),
            ),
            tenant_id: Some(p.tenant_id),
            contract_id: None,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tender_plans::model::{
        DEFAULT_PENDING_WARNING_DAYS, Participant, Procedure, ReplacedContract, ValueEstimate,
    };
    use uuid::Uuid;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn participant(name: &str, status: ParticipationStatus, ends_on: NaiveDate) -> Participant {
        Participant {
            tenant_id: Uuid::new_v4(),
            tenant_name: name.into(),
            status,
            estimate: ValueEstimate::Total {
                total_value: dec!(900000),
            },
            replaced_contracts: vec![ReplacedContract {
                contract_id: Uuid::new_v4(),
                title: format!("ESDH {name}"),
                ends_on,
                notice_deadline: Some(d(2027, 3, 31)),
            }],
        }
    }

    /// A tender in good order: milestones in sequence, publication well
    /// before the latest day, both participants confirmed, the contracts
    /// ending the day before the new one starts and their notice deadlines
    /// after the award.
    fn clean() -> PlannedTenderFacts {
        let ms = [
            (MilestoneKind::NeedsAnalysis, d(2026, 9, 1)),
            (MilestoneKind::MarketDialogue, d(2026, 11, 2)),
            (MilestoneKind::Publication, d(2027, 2, 1)),
            (MilestoneKind::BidDeadline, d(2027, 3, 15)),
            (MilestoneKind::Award, d(2027, 4, 15)),
            (MilestoneKind::ContractStart, d(2027, 7, 1)),
        ];
        let mut soro = participant(
            "Sorø Kommune",
            ParticipationStatus::Confirmed,
            d(2027, 6, 30),
        );
        soro.replaced_contracts[0].notice_deadline = Some(d(2027, 4, 30));
        let mut ringsted = participant(
            "Ringsted Kommune",
            ParticipationStatus::Confirmed,
            d(2027, 6, 30),
        );
        ringsted.replaced_contracts[0].notice_deadline = None;
        PlannedTenderFacts {
            subject: "Fælles ESDH-system".into(),
            status: TenderStatus::Planned,
            procedure: Procedure::Open,
            milestones: ms
                .iter()
                .map(|&(kind, date)| Milestone { kind, date })
                .collect(),
            participants: vec![
                soro,
                ringsted,
                participant(
                    "Slagelse Kommune",
                    ParticipationStatus::Declined,
                    d(2026, 1, 31),
                ),
            ],
            latest_publication: Some(d(2027, 4, 23)),
            today: d(2026, 12, 1),
            pending_warning_days: DEFAULT_PENDING_WARNING_DAYS,
        }
    }

    fn set(facts: &mut PlannedTenderFacts, kind: MilestoneKind, date: NaiveDate) {
        for m in &mut facts.milestones {
            if m.kind == kind {
                m.date = date;
            }
        }
    }

    fn codes(ws: &[Warning]) -> Vec<WarningCode> {
        ws.iter().map(|w| w.code).collect()
    }

    #[test]
    fn a_tender_in_good_order_has_no_warnings() {
        assert_eq!(warnings(&clean()), vec![]);
    }

    #[test]
    fn gap_before_the_contract_start() {
        let mut f = clean();
        f.participants[1].replaced_contracts[0].ends_on = d(2027, 3, 31);
        let ws = warnings(&f);
        assert_eq!(codes(&ws), vec![WarningCode::Gap]);
        assert_eq!(ws[0].tenant_id, Some(f.participants[1].tenant_id));
        assert_eq!(
            ws[0].contract_id,
            Some(f.participants[1].replaced_contracts[0].contract_id)
        );
        // 1 April – 30 June 2027: 91 days without a contract.
        assert_eq!(
            ws[0].message,
            "Kontrakten »ESDH Ringsted Kommune« hos Ringsted Kommune udløber 31. marts 2027, \
             men den nye kontrakt starter først 1. juli 2027: 91 dage uden kontrakt. \
             Forlæng kontrakten, eller ryk kontraktstarten frem."
        );
    }

    #[test]
    fn notice_deadline_before_the_award() {
        let mut f = clean();
        f.participants[0].replaced_contracts[0].notice_deadline = Some(d(2027, 3, 31));
        let ws = warnings(&f);
        assert_eq!(codes(&ws), vec![WarningCode::NoticeBeforeAward]);
        assert_eq!(
            ws[0].message,
            "Opsigelsesfristen for kontrakten »ESDH Sorø Kommune« hos Sorø Kommune er \
             31. marts 2027, før den planlagte tildeling 15. april 2027. Kontrakten skal \
             opsiges eller forlænges rettidigt, inden udbuddet er afgjort."
        );
        // On the award day itself there is still time to act on the result.
        f.participants[0].replaced_contracts[0].notice_deadline = Some(d(2027, 4, 15));
        assert_eq!(warnings(&f), vec![]);
    }

    #[test]
    fn milestones_out_of_order_name_both() {
        let mut f = clean();
        set(&mut f, MilestoneKind::BidDeadline, d(2027, 1, 20));
        let ws = warnings(&f);
        assert_eq!(codes(&ws), vec![WarningCode::MilestonesOutOfOrder]);
        assert_eq!(
            ws[0].message,
            "Milepælen tilbudsfrist (20. januar 2027) ligger før milepælen offentliggørelse \
             (1. februar 2027), som skal komme først."
        );
        // The same day for two milestones is not out of order.
        set(&mut f, MilestoneKind::BidDeadline, d(2027, 2, 1));
        assert_eq!(warnings(&f), vec![]);
    }

    #[test]
    fn publication_after_the_latest_day() {
        let mut f = clean();
        f.latest_publication = Some(d(2027, 1, 22));
        let ws = warnings(&f);
        assert_eq!(codes(&ws), vec![WarningCode::PublicationTooLate]);
        assert_eq!(ws[0].severity, Severity::Critical);
        assert!(ws[0].message.starts_with(
            "Den planlagte offentliggørelse 1. februar 2027 er 10 dage efter den seneste dato, \
             22. januar 2027,"
        ));
        // Once published, it is too late to warn.
        f.status = TenderStatus::Published;
        assert_eq!(warnings(&f), vec![]);
    }

    #[test]
    fn participant_pending_close_to_publication() {
        let mut f = clean();
        f.participants[1].status = ParticipationStatus::Pending;
        // 1 December 2026 is 62 days before 1 February 2027: no warning yet.
        assert_eq!(warnings(&f), vec![]);
        // 2 January 2027 is 30 days before: the warning starts.
        f.today = d(2027, 1, 2);
        let ws = warnings(&f);
        assert_eq!(codes(&ws), vec![WarningCode::ParticipantPending]);
        assert_eq!(ws[0].tenant_id, Some(f.participants[1].tenant_id));
        assert_eq!(
            ws[0].message,
            "Ringsted Kommune har endnu ikke bekræftet sin deltagelse, og udbuddet skal efter \
             planen offentliggøres 1. februar 2027 (om 30 dage)."
        );
        f.today = d(2027, 1, 1);
        assert_eq!(warnings(&f), vec![]);
        f.pending_warning_days = 31;
        assert_eq!(warnings(&f).len(), 1);
    }

    #[test]
    fn a_cancelled_tender_has_no_warnings() {
        let mut f = clean();
        f.latest_publication = Some(d(2026, 1, 1));
        f.participants[0].replaced_contracts[0].ends_on = d(2026, 1, 1);
        assert_eq!(warnings(&f).len(), 2);
        f.status = TenderStatus::Cancelled;
        assert_eq!(warnings(&f), vec![]);
    }
}
