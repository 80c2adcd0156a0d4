//! The vocabulary of tender plans as plain data: what a planned tender,
//! its participants, milestones and reference data (EU thresholds, minimum
//! time limits) look like, and what the rules in the sibling modules answer.
//! No database and no HTTP: the storage and the API map to and from these.
//!
//! Every enum serialises as its snake_case code (the value stored and sent)
//! and has a Danish label for the user interface (`label_da`).

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// An enum of fixed codes with Danish labels: `as_str` gives the stored
/// code, `parse` reads it back, `ALL` lists the values in their natural order.
macro_rules! coded_enum {
    (
        $(#[$meta:meta])*
        $name:ident { $( $(#[$vmeta:meta])* $variant:ident => ($code:literal, $label:literal) ),+ $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $( $(#[$vmeta])* $variant ),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stored code, as serde writes it.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// The Danish label shown to users.
            pub fn label_da(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            /// The value for a stored code; `None` for anything else.
            pub fn parse(code: &str) -> Option<Self> {
                match code { $($code => Some($name::$variant),)+ _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

coded_enum! {
    /// Where a planned tender stands.
    TenderStatus {
        Idea => ("idea", "idé"),
        Planned => ("planned", "planlagt"),
        Preparing => ("preparing", "under forberedelse"),
        Published => ("published", "offentliggjort"),
        Awarded => ("awarded", "tildelt"),
        Cancelled => ("cancelled", "aflyst"),
    }
}

coded_enum! {
    /// The procurement procedure (udbudsform). The codes are the contract
    /// register's `procedure` codes.
    Procedure {
        Open => ("open", "offentligt udbud"),
        Restricted => ("restricted", "begrænset udbud"),
        CompetitiveNegotiation => ("competitive_negotiation", "udbud med forhandling"),
        CompetitiveDialogue => ("competitive_dialogue", "konkurrencepræget dialog"),
        InnovationPartnership => ("innovation_partnership", "innovationspartnerskab"),
        NegotiatedWithoutPublication => (
            "negotiated_without_publication",
            "udbud med forhandling uden forudgående offentliggørelse"
        ),
        FrameworkDirectAward => ("framework_direct_award", "direkte tildeling på rammeaftale"),
        FrameworkMiniCompetition => ("framework_mini_competition", "miniudbud på rammeaftale"),
        BelowThreshold => ("below_threshold", "udbud under tærskelværdien"),
    }
}

impl Procedure {
    /// Whether the procedure satisfies the EU procurement rules for a
    /// purchase above the threshold. Call-offs from a framework agreement
    /// count: the framework itself was tendered under them.
    pub fn is_eu_procedure(self) -> bool {
        !matches!(self, Procedure::BelowThreshold)
    }
}

coded_enum! {
    /// Which column of the EU threshold table applies to a purchase.
    ContractKind {
        SuppliesServices => ("supplies_services", "varer og tjenesteydelser"),
        Works => ("works", "bygge- og anlægsarbejder"),
        LightRegime => ("light_regime", "sociale og andre specifikke tjenesteydelser"),
    }
}

coded_enum! {
    /// A milestone (milepæl) of a planned tender, in the order they happen.
    MilestoneKind {
        NeedsAnalysis => ("needs_analysis", "behovsafdækning"),
        MarketDialogue => ("market_dialogue", "markedsdialog"),
        Publication => ("publication", "offentliggørelse"),
        BidDeadline => ("bid_deadline", "tilbudsfrist"),
        Award => ("award", "tildeling"),
        ContractStart => ("contract_start", "kontraktstart"),
    }
}

coded_enum! {
    /// A participant's (deltager's) answer to a planned tender.
    ParticipationStatus {
        /// Invited or interested, not yet confirmed by its own editor or admin.
        Pending => ("pending", "afventer bekræftelse"),
        Confirmed => ("confirmed", "bekræftet"),
        Declined => ("declined", "takket nej"),
        Withdrawn => ("withdrawn", "trukket sig"),
    }
}

impl ParticipationStatus {
    /// Whether the participant's value counts towards the aggregate.
    pub fn counts(self) -> bool {
        matches!(
            self,
            ParticipationStatus::Pending | ParticipationStatus::Confirmed
        )
    }
}

/// One dated milestone of a planned tender.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Milestone {
    pub kind: MilestoneKind,
    pub date: NaiveDate,
}

/// One row of the EU threshold reference table (values excluding VAT).
/// The rows are data kept in the database; `seed_thresholds` gives the
/// values known when the table was created.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Threshold {
    pub kind: ContractKind,
    /// First publication date the value applies to.
    pub valid_from: NaiveDate,
    /// Last publication date the value applies to (inclusive).
    pub valid_to: NaiveDate,
    pub eur: Decimal,
    /// The official DKK value; `None` until it is published.
    pub dkk: Option<Decimal>,
}

/// The minimum time limits of one procedure, in calendar days, as data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeLimits {
    pub procedure: Procedure,
    /// Days from the day after the contract notice is sent to the first
    /// deadline: the bid deadline of a one-stage procedure, the deadline
    /// for requests to participate of a two-stage one. 0: no statutory
    /// minimum (the buyer sets an adequate time limit).
    pub min_days_from_notice: u32,
    /// For a two-stage procedure, the days from the day after the
    /// invitation to tender is sent to the bid deadline (restricted:
    /// 30 + 30). `None`: one stage, or no statutory minimum for the second.
    pub second_stage_days: Option<u32>,
    /// Days after an award decision sent electronically before the contract
    /// may be signed; 0 where the procedure has no standstill period.
    pub standstill_days: u32,
}

/// How a participant states its estimated value. Both mean the total
/// payable over the whole term including all options, excluding VAT.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "basis", rename_all = "snake_case")]
pub enum ValueEstimate {
    /// Annual value × (term + all options), in months / 12.
    Annual {
        annual_value: Decimal,
        term_months: u32,
        option_months: u32,
    },
    /// A total the participant has worked out itself, options included.
    Total { total_value: Decimal },
}

/// A contract of a participant's own that the planned tender replaces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplacedContract {
    pub contract_id: Uuid,
    pub title: String,
    /// The last day the contract can run: its latest end, with every
    /// option that can still be exercised.
    pub ends_on: NaiveDate,
    /// The last day notice can be given (opsigelsesfrist); `None` when the
    /// contract needs no notice or has been terminated.
    pub notice_deadline: Option<NaiveDate>,
}

/// A participating municipality (deltager) of a planned tender.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Participant {
    pub tenant_id: Uuid,
    pub tenant_name: String,
    pub status: ParticipationStatus,
    pub estimate: ValueEstimate,
    pub replaced_contracts: Vec<ReplacedContract>,
}

/// One participant's share of the aggregate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParticipantValue {
    pub tenant_id: Uuid,
    pub tenant_name: String,
    pub status: ParticipationStatus,
    /// Estimated value over the whole term including options, excl. VAT.
    pub estimated_value: Decimal,
    /// Counted in the aggregate (pending or confirmed).
    pub counted: bool,
    /// Counted, but not yet confirmed: the aggregate may still fall.
    pub pending: bool,
}

/// The aggregated estimated value of a planned tender.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AggregateValue {
    /// Sum over pending and confirmed participants.
    pub total: Decimal,
    /// Sum over confirmed participants only.
    pub confirmed_total: Decimal,
    /// Whether any counted participant is still pending.
    pub includes_pending: bool,
    pub participants: Vec<ParticipantValue>,
}

/// Where the DKK threshold used in a verdict came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "source", rename_all = "snake_case")]
pub enum DkkSource {
    /// The official DKK value of the threshold table.
    Published,
    /// Not yet published: EUR × this exchange rate (DKK per EUR).
    ConvertedFromEur { eur_dkk_rate: Decimal },
}

/// The aggregate compared with the threshold (tærskelværdi) that applies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThresholdVerdict {
    pub kind: ContractKind,
    pub valid_from: NaiveDate,
    pub valid_to: NaiveDate,
    pub threshold_eur: Decimal,
    pub threshold_dkk: Decimal,
    pub dkk_source: DkkSource,
    pub aggregate: Decimal,
    /// The aggregate is at or above the threshold: an EU procedure is required.
    pub above: bool,
    /// Aggregate − threshold in DKK: negative is the room left below it.
    pub margin: Decimal,
    /// Every participant alone is below the threshold, but the sum is not.
    pub crosses_only_in_aggregate: bool,
    /// The Danish text for the user: what the verdict means.
    pub consequence: String,
}

/// What back-planning needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackplanInput {
    pub replaced_contracts: Vec<ReplacedContract>,
    pub time_limits: TimeLimits,
    /// Calendar days from the bid deadline to the award decision.
    pub evaluation_days: u32,
    /// Calendar days from the deadline for requests to participate to the
    /// invitation to tender (two-stage procedures only).
    pub qualification_days: u32,
    /// Overrides the procedure's standstill (15 days for a decision by letter).
    pub standstill_days: Option<u32>,
    /// The planned contract start; the target when nothing is replaced.
    pub planned_contract_start: Option<NaiveDate>,
    pub planned_publication: Option<NaiveDate>,
}

/// The result of back-planning: the latest dates that still let the new
/// contract start on time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Backplan {
    /// The day the new contract must start: the day after the earliest-ending
    /// replaced contract ends, or the planned contract start.
    pub required_start: NaiveDate,
    /// The replaced contract that sets `required_start`, if any.
    pub limiting_contract: Option<Uuid>,
    /// The latest working day the contract notice can be sent.
    pub latest_publication: NaiveDate,
    /// For a two-stage procedure: the deadline for requests to participate.
    pub request_deadline: Option<NaiveDate>,
    pub bid_deadline: NaiveDate,
    pub award_decision: NaiveDate,
    /// Last day of the standstill period (the award day when there is none).
    pub standstill_end: NaiveDate,
    /// Latest − planned publication in days; negative means late.
    pub slack_days: Option<i64>,
    /// The earliest notice deadline (opsigelsesfrist) of the replaced contracts.
    pub notice_deadline: Option<NaiveDate>,
    /// The contract whose notice deadline that is.
    pub notice_contract: Option<Uuid>,
}

/// Everything the warnings look at for one planned tender.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedTenderFacts {
    pub subject: String,
    pub status: TenderStatus,
    pub procedure: Procedure,
    pub milestones: Vec<Milestone>,
    pub participants: Vec<Participant>,
    /// From back-planning (`Backplan::latest_publication`), when known.
    pub latest_publication: Option<NaiveDate>,
    /// The day the warnings are computed for.
    pub today: NaiveDate,
    /// Warn about pending participants this many days before publication.
    pub pending_warning_days: u32,
}

/// The default of `PlannedTenderFacts::pending_warning_days`.
pub const DEFAULT_PENDING_WARNING_DAYS: u32 = 30;

coded_enum! {
    /// What a warning is about; stable codes for clients.
    WarningCode {
        Gap => ("gap", "hul mellem kontrakter"),
        NoticeBeforeAward => ("notice_before_award", "opsigelsesfrist før tildeling"),
        MilestonesOutOfOrder => ("milestones_out_of_order", "milepæle i forkert rækkefølge"),
        PublicationTooLate => ("publication_too_late", "offentliggørelse for sent"),
        ParticipantPending => ("participant_pending", "deltager afventer bekræftelse"),
    }
}

coded_enum! {
    Severity {
        Info => ("info", "information"),
        Warning => ("warning", "advarsel"),
        Critical => ("critical", "kritisk"),
    }
}

/// One warning about a planned tender, with a Danish message that names
/// the concrete dates, contracts and municipalities.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    pub code: WarningCode,
    pub severity: Severity,
    pub message: String,
    /// The participant it concerns, if one.
    pub tenant_id: Option<Uuid>,
    /// The replaced contract it concerns, if one.
    pub contract_id: Option<Uuid>,
}

/// The EU thresholds known when the reference table was created (domain
/// description, "EU thresholds"): the rows a migration inserts. Operators
/// correct and extend them in the table, not here.
pub fn seed_thresholds() -> Vec<Threshold> {
    let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN);
    let row = |kind, from: NaiveDate, to: NaiveDate, eur: i64, dkk: Option<i64>| Threshold {
        kind,
        valid_from: from,
        valid_to: to,
        eur: Decimal::from(eur),
        dkk: dkk.map(Decimal::from),
    };
    let (from_2024, to_2025) = (date(2024, 1, 1), date(2025, 12, 31));
    let (from_2026, to_2027) = (date(2026, 1, 1), date(2027, 12, 31));
    vec![
        row(
            ContractKind::SuppliesServices,
            from_2024,
            to_2025,
            221_000,
            Some(1_644_638),
        ),
        row(
            ContractKind::Works,
            from_2024,
            to_2025,
            5_538_000,
            Some(41_212_688),
        ),
        row(
            ContractKind::LightRegime,
            from_2024,
            to_2025,
            750_000,
            Some(5_581_350),
        ),
        row(
            ContractKind::SuppliesServices,
            from_2026,
            to_2027,
            216_000,
            Some(1_611_360),
        ),
        row(
            ContractKind::Works,
            from_2026,
            to_2027,
            5_404_000,
            Some(40_313_840),
        ),
        row(ContractKind::LightRegime, from_2026, to_2027, 750_000, None),
    ]
}

/// The minimum time limits of Udbudsloven per procedure, as the rows a
/// migration inserts: open 35 days from the notice; restricted and
/// competitive negotiation 30 days for requests to participate + 30 for
/// tenders; competitive dialogue and innovation partnership 30 days for
/// requests, no statutory minimum after; call-offs, negotiation without
/// publication and purchases below the threshold have no statutory minimum
/// and no standstill. Standstill is 10 days (decision sent electronically).
pub fn seed_time_limits() -> Vec<TimeLimits> {
    let row = |procedure, first, second, standstill| TimeLimits {
        procedure,
        min_days_from_notice: first,
        second_stage_days: second,
        standstill_days: standstill,
    };
    vec![
        row(Procedure::Open, 35, None, 10),
        row(Procedure::Restricted, 30, Some(30), 10),
        row(Procedure::CompetitiveNegotiation, 30, Some(30), 10),
        row(Procedure::CompetitiveDialogue, 30, None, 10),
        row(Procedure::InnovationPartnership, 30, None, 10),
        row(Procedure::NegotiatedWithoutPublication, 0, None, 0),
        row(Procedure::FrameworkDirectAward, 0, None, 0),
        row(Procedure::FrameworkMiniCompetition, 0, None, 0),
        row(Procedure::BelowThreshold, 0, None, 0),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contracts::options::PROCEDURES;

    #[test]
    fn procedure_codes_are_the_registers() {
        let codes: Vec<&str> = Procedure::ALL.iter().map(|p| p.as_str()).collect();
        let register: Vec<&str> = PROCEDURES.values.iter().map(|(c, _)| *c).collect();
        assert_eq!(codes, register);
        for p in Procedure::ALL {
            assert_eq!(Procedure::parse(p.as_str()), Some(*p));
            // serde writes the same code.
            assert_eq!(serde_json::to_value(p).unwrap(), p.as_str());
        }
        assert_eq!(Procedure::parse("Open"), None);
        assert_eq!(Procedure::Restricted.label_da(), "begrænset udbud");
        assert_eq!(
            MilestoneKind::ALL
                .iter()
                .map(|m| m.as_str())
                .collect::<Vec<_>>(),
            [
                "needs_analysis",
                "market_dialogue",
                "publication",
                "bid_deadline",
                "award",
                "contract_start"
            ]
        );
        assert!(MilestoneKind::Publication < MilestoneKind::Award);
    }

    #[test]
    fn estimates_and_reference_rows_serialise_in_snake_case() {
        let e = ValueEstimate::Annual {
            annual_value: Decimal::from(1000),
            term_months: 12,
            option_months: 0,
        };
        assert_eq!(
            serde_json::to_value(&e).unwrap(),
            serde_json::json!({"basis": "annual", "annual_value": "1000", "term_months": 12, "option_months": 0})
        );
        let t = &seed_thresholds()[3];
        assert_eq!(
            serde_json::to_value(t).unwrap(),
            serde_json::json!({"kind": "supplies_services", "valid_from": "2026-01-01",
                "valid_to": "2027-12-31", "eur": "216000", "dkk": "1611360"})
        );
    }

    #[test]
    fn seeds_cover_every_kind_and_procedure_once_per_period() {
        let rows = seed_thresholds();
        for kind in ContractKind::ALL {
            let mine: Vec<_> = rows.iter().filter(|t| t.kind == *kind).collect();
            assert_eq!(mine.len(), 2, "{kind}");
            assert!(mine.iter().all(|t| t.valid_from < t.valid_to));
        }
        let limits = seed_time_limits();
        let procedures: Vec<Procedure> = limits.iter().map(|t| t.procedure).collect();
        assert_eq!(procedures, Procedure::ALL);
        let restricted = limits[1];
        assert_eq!(
            (
                restricted.min_days_from_notice,
                restricted.second_stage_days
            ),
            (30, Some(30))
        );
    }
}
