//! What a planned tender's view shows beyond its stored fields: the
//! aggregated estimated value, the EU threshold verdict for the planned
//! publication date, back-planning from the replaced contracts and the
//! warnings. Pure: the storage gathers the facts, this answers.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use rust_decimal::Decimal;

use super::model::{
    ContractKind, MilestoneKind, ParticipationStatus, Procedure, Severity, Threshold, TimeLimits,
    WarningCode,
};
use super::service::{BackplanView, MilestoneEntry, ParticipantView, ThresholdView, WarningView};

/// Days before publication from which a pending participant is warned about.
pub const PENDING_WARNING_DAYS: i64 = 30;

pub struct Facts<'a> {
    pub subject: &'a str,
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

fn counts(p: &ParticipantView) -> bool {
    matches!(
        p.state,
        ParticipationStatus::Pending | ParticipationStatus::Confirmed
    )
}

fn milestone(facts: &Facts<'_>, kind: MilestoneKind) -> Option<NaiveDate> {
    facts
        .milestones
        .iter()
        .find(|m| m.kind == kind)
        .map(|m| m.date)
}

/// Kroner with thousands separators, Danish style: 1.611.360 kr.
pub fn kroner(value: Decimal) -> String {
    let rounded = value.round_dp(0);
    let digits = rounded.abs().to_string();
    let mut grouped = String::new();
    for (n, c) in digits.chars().enumerate() {
        if n > 0 && (digits.len() - n).is_multiple_of(3) {
            grouped.push('.');
        }
        grouped.push(c);
    }
    let sign = if rounded.is_sign_negative() && !rounded.is_zero() {
        "-"
    } else {
        ""
    };
    format!("{sign}{grouped} kr.")
}

fn date_da(date: NaiveDate) -> String {
    date.format("%d.%m.%Y").to_string()
}

/// The last working day (Monday–Friday) on or before `date`.
fn working_day_on_or_before(mut date: NaiveDate) -> NaiveDate {
    while matches!(date.weekday(), Weekday::Sat | Weekday::Sun) {
        date -= Duration::days(1);
    }
    date
}

/// EUR per DKK implied by the published values of the same period.
fn implied_rate(thresholds: &[Threshold], row: &Threshold) -> Option<Decimal> {
    thresholds
        .iter()
        .filter(|t| t.valid_from == row.valid_from && t.valid_to == row.valid_to)
        .find_map(|t| t.dkk.filter(|_| !t.eur.is_zero()).map(|dkk| dkk / t.eur))
}

pub fn evaluate(facts: &Facts<'_>) -> Computed {
    let counted: Vec<&ParticipantView> = facts.participants.iter().filter(|p| counts(p)).collect();
    let aggregate_value: Decimal = counted.iter().filter_map(|p| p.estimated_value).sum();

    let backplan = backplan(facts);
    let publication_date = milestone(facts, MilestoneKind::Publication)
        .or(backplan.as_ref().map(|b| b.latest_publication))
        .unwrap_or(facts.today);
    let threshold = facts
        .thresholds
        .iter()
        .find(|t| {
            t.kind == facts.contract_kind
                && t.valid_from <= publication_date
                && publication_date <= t.valid_to
        })
        .and_then(|row| {
            let (dkk, converted) = match row.dkk {
                Some(dkk) => (dkk, false),
                None => (
                    (row.eur * implied_rate(facts.thresholds, row)?).round_dp(0),
                    true,
                ),
            };
            let above = aggregate_value >= dkk;
            let crosses_only_in_aggregate = above
                && counted.len() > 1
                && counted
                    .iter()
                    .all(|p| p.estimated_value.unwrap_or_default() < dkk);
            Some(ThresholdView {
                kind: row.kind,
                eur: row.eur,
                dkk,
                dkk_converted: converted,
                applies_from: row.valid_from,
                applies_to: row.valid_to,
                publication_date,
                above,
                crosses_only_in_aggregate,
                consequence: consequence(
                    facts,
                    row,
                    dkk,
                    aggregate_value,
                    above,
                    crosses_only_in_aggregate,
                ),
            })
        });
    let warnings = warnings(facts, backplan.as_ref());
    Computed {
        aggregate_value,
        threshold,
        backplan,
        warnings,
    }
}

fn consequence(
    facts: &Facts<'_>,
    row: &Threshold,
    dkk: Decimal,
    aggregate: Decimal,
    above: bool,
    only_in_aggregate: bool,
) -> String {
    let period = format!(
        "gældende for bekendtgørelser offentliggjort {} – {}",
        date_da(row.valid_from),
        date_da(row.valid_to)
    );
    let mut text = if above {
        format!(
            "Den samlede anslåede værdi på {} er over EU-tærskelværdien for {} på {} ({}). \
             Udbuddet skal gennemføres efter udbudslovens regler om EU-udbud.",
            kroner(aggregate),
            row.kind.label_da(),
            kroner(dkk),
            period
        )
    } else {
        format!(
            "Den samlede anslåede værdi på {} er under EU-tærskelværdien for {} på {} ({}). \
             Et EU-udbud er ikke påkrævet; vurder om kontrakten har klar grænseoverskridende interesse.",
            kroner(aggregate),
            row.kind.label_da(),
            kroner(dkk),
            period
        )
    };
    if only_in_aggregate {
        text.push_str(
            " Ingen deltager er alene over tærskelværdien; det er den samlede værdi for alle \
             deltagere, der afgør det (udbudslovens § 30), og indkøbet må ikke opdeles for at \
             komme under tærskelværdien.",
        );
    }
    if above && !facts.procedure.is_eu_procedure() {
        text.push_str(&format!(
            " Den valgte udbudsform ({}) er ikke en EU-udbudsprocedure.",
            facts.procedure.label_da()
        ));
    }
    text
}

fn backplan(facts: &Facts<'_>) -> Option<BackplanView> {
    let replaced = facts
        .participants
        .iter()
        .filter(|p| counts(p))
        .flat_map(|p| p.replaced_contracts.iter());
    let earliest_end = replaced.clone().filter_map(|c| c.end_date).min();
    let notice_by = replaced.filter_map(|c| c.notice_deadline).min();
    let required_start = earliest_end
        .map(|end| end + Duration::days(1))
        .or(milestone(facts, MilestoneKind::ContractStart))?;
    let limits = facts.time_limits?;
    let days = i64::from(limits.standstill_days)
        + i64::from(facts.evaluation_days)
        + i64::from(limits.min_days_from_notice)
        + i64::from(limits.second_stage_days.unwrap_or(0))
        // The contract starts the day after the standstill ends.
        + 1;
    let latest_publication = working_day_on_or_before(required_start - Duration::days(days));
    let slack_days = milestone(facts, MilestoneKind::Publication)
        .map(|planned| (latest_publication - planned).num_days());
    Some(BackplanView {
        required_start,
        latest_publication,
        slack_days,
        notice_by,
    })
}

fn warnings(facts: &Facts<'_>, backplan: Option<&BackplanView>) -> Vec<WarningView> {
    let mut found = Vec::new();
    let mut warn = |code: WarningCode, severity: Severity, message: String| {
        found.push(WarningView {
            code,
            severity,
            message,
        });
    };
    let counted = || facts.participants.iter().filter(|p| counts(p));
    if let Some(start) = milestone(facts, MilestoneKind::ContractStart) {
        for p in counted() {
            for c in &p.replaced_contracts {
                if let Some(end) = c.end_date
                    && end + Duration::days(1) < start
                {
                    warn(
                        WarningCode::Gap,
                        Severity::Critical,
                        format!(
                            "{}s kontrakt »{}« udløber {} (senest), før den nye kontrakt starter {}.",
                            p.tenant.name,
                            c.title,
                            date_da(end),
                            date_da(start)
                        ),
                    );
                }
            }
        }
    }
    if let Some(award) = milestone(facts, MilestoneKind::Award) {
        for p in counted() {
            for c in &p.replaced_contracts {
                if let Some(deadline) = c.notice_deadline
                    && deadline < award
                {
                    warn(
                        WarningCode::NoticeBeforeAward,
                        Severity::Warning,
                        format!(
                            "Opsigelsesfristen for {}s kontrakt »{}« er {}, før den planlagte tildeling {}.",
                            p.tenant.name,
                            c.title,
                            date_da(deadline),
                            date_da(award)
                        ),
                    );
                }
            }
        }
    }
    for pair in facts.milestones.windows(2) {
        if pair[1].date < pair[0].date {
            warn(
                WarningCode::MilestonesOutOfOrder,
                Severity::Warning,
                format!(
                    "{} ({}) ligger før {} ({}).",
                    capitalised(pair[1].kind.label_da()),
                    date_da(pair[1].date),
                    pair[0].kind.label_da(),
                    date_da(pair[0].date)
                ),
            );
        }
    }
    if let (Some(planned), Some(plan)) = (milestone(facts, MilestoneKind::Publication), backplan)
        && planned > plan.latest_publication
    {
        warn(
            WarningCode::PublicationTooLate,
            Severity::Critical,
            format!(
                "Offentliggørelsen {} er senere end den seneste dato, {}, der når kontraktstart {}.",
                date_da(planned),
                date_da(plan.latest_publication),
                date_da(plan.required_start)
            ),
        );
    }
    if let Some(publication) = milestone(facts, MilestoneKind::Publication)
        && (publication - facts.today).num_days() <= PENDING_WARNING_DAYS
    {
        for p in facts
            .participants
            .iter()
            .filter(|p| p.state == ParticipationStatus::Pending)
        {
            warn(
                WarningCode::ParticipantPending,
                Severity::Warning,
                format!(
                    "{} har ikke bekræftet sin deltagelse, og udbuddet »{}« offentliggøres {}.",
                    p.tenant.name,
                    facts.subject,
                    date_da(publication)
                ),
            );
        }
    }
    found
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().collect::<String>() + chars.as_str())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kroner_are_grouped_the_danish_way() {
        assert_eq!(kroner(Decimal::new(161_136_000, 2)), "1.611.360 kr.");
        assert_eq!(kroner(Decimal::ZERO), "0 kr.");
        assert_eq!(kroner(Decimal::new(999, 0)), "999 kr.");
    }

    #[test]
    fn publication_moves_back_to_a_working_day() {
        let sunday = NaiveDate::from_ymd_opt(2026, 3, 1).expect("date");
        assert_eq!(
            working_day_on_or_before(sunday),
            NaiveDate::from_ymd_opt(2026, 2, 27).expect("date")
        );
    }
}
