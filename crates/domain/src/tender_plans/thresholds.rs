//! Which EU threshold (tærskelværdi) applies to a planned tender, and what
//! its aggregated estimated value means against it.
//!
//! The threshold is the one in force on the day the contract notice is
//! published. The comparison is in DKK: the official DKK value of the row,
//! or, while it is not yet published, the EUR value × a given exchange rate
//! (the verdict says which). At or above the threshold an EU procedure is
//! required.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::model::{AggregateValue, ContractKind, DkkSource, Threshold, ThresholdVerdict};
use super::text;

/// Why no verdict could be given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ThresholdError {
    #[error(
        "tærskelværdien i kr. er endnu ikke offentliggjort; angiv en kurs for omregning fra euro"
    )]
    NoDkkValue,
}

/// The threshold of `kind` in force on `publication_date`. Should rows
/// overlap (a correction not yet tidied up), the one that started last wins.
pub fn applicable(
    thresholds: &[Threshold],
    kind: ContractKind,
    publication_date: NaiveDate,
) -> Option<&Threshold> {
    thresholds
        .iter()
        .filter(|t| {
            t.kind == kind && t.valid_from <= publication_date && publication_date <= t.valid_to
        })
        .max_by_key(|t| t.valid_from)
}

/// Pairs of rows of the same kind whose validity periods overlap, by index:
/// reference data an operator should correct.
pub fn overlapping(thresholds: &[Threshold]) -> Vec<(usize, usize)> {
    let mut pairs = Vec::new();
    for (i, a) in thresholds.iter().enumerate() {
        for (j, b) in thresholds.iter().enumerate().skip(i + 1) {
            if a.kind == b.kind && a.valid_from <= b.valid_to && b.valid_from <= a.valid_to {
                pairs.push((i, j));
            }
        }
    }
    pairs
}

/// The aggregate (`aggregate`, the sum over the participants still taking
/// part, whose own values are `participant_values`) compared with
/// `threshold`. `eur_dkk_rate` (DKK per EUR) is used only when the row has
/// no DKK value.
pub fn verdict(
    aggregate: Decimal,
    participant_values: &[Decimal],
    threshold: &Threshold,
    eur_dkk_rate: Option<Decimal>,
) -> Result<ThresholdVerdict, ThresholdError> {
    let (threshold_dkk, dkk_source) = match (threshold.dkk, eur_dkk_rate) {
        (Some(dkk), _) => (dkk, DkkSource::Published),
        (None, Some(rate)) => (
            threshold.eur.saturating_mul(rate).round_dp(2),
            DkkSource::ConvertedFromEur { eur_dkk_rate: rate },
        ),
        (None, None) => return Err(ThresholdError::NoDkkValue),
    };
    let above = aggregate >= threshold_dkk;
    let crosses_only_in_aggregate = above
        && !participant_values.is_empty()
        && participant_values.iter().all(|v| *v < threshold_dkk);
    let margin = aggregate.saturating_sub(threshold_dkk);

    let period = format!(
        "{}, offentliggørelse {} – {}",
        threshold.kind.label_da(),
        text::date(threshold.valid_from),
        text::date(threshold.valid_to)
    );
    let mut consequence = if above {
        let position = if margin.is_zero() {
            "lig med".to_string()
        } else {
            format!("{} over", text::kroner(margin))
        };
        format!(
            "Den samlede anslåede værdi på {} er {position} tærskelværdien på {} ({period}). \
             Det planlagte udbud skal gennemføres efter en EU-udbudsprocedure: \
             udbudsbekendtgørelsen skal offentliggøres i TED (EU-Tidende), \
             og udbudslovens minimumsfrister og standstill-periode gælder.",
            text::kroner(aggregate),
            text::kroner(threshold_dkk),
        )
    } else {
        format!(
            "Den samlede anslåede værdi på {} er {} under tærskelværdien på {} ({period}). \
             Et EU-udbud er ikke påkrævet, men en klar grænseoverskridende interesse \
             kan kræve annoncering.",
            text::kroner(aggregate),
            text::kroner(-margin),
            text::kroner(threshold_dkk),
        )
    };
    if crosses_only_in_aggregate {
        consequence.push_str(
            " Ingen deltager er alene over tærskelværdien; det er den samlede værdi, der afgør det. \
             Et indkøb må ikke opdeles for at holde det under tærskelværdien uden en objektiv begrundelse.",
        );
    }
    if let DkkSource::ConvertedFromEur { eur_dkk_rate } = dkk_source {
        consequence.push_str(&format!(
            " Tærskelværdien i kr. er omregnet fra {} euro med kursen {}, \
             fordi den officielle værdi i kr. endnu ikke er offentliggjort.",
            text::number(threshold.eur),
            text::number_exact(eur_dkk_rate),
        ));
    }

    Ok(ThresholdVerdict {
        kind: threshold.kind,
        valid_from: threshold.valid_from,
        valid_to: threshold.valid_to,
        threshold_eur: threshold.eur,
        threshold_dkk,
        dkk_source,
        aggregate,
        above,
        margin,
        crosses_only_in_aggregate,
        consequence,
    })
}

/// `verdict` for an aggregate from `aggregate::aggregate`: the counted
/// participants' values, and a note when pending participants are in it.
pub fn verdict_for(
    aggregate: &AggregateValue,
    threshold: &Threshold,
    eur_dkk_rate: Option<Decimal>,
) -> Result<ThresholdVerdict, ThresholdError> {
    let values: Vec<Decimal> = aggregate
        .participants
        .iter()
        .filter(|p| p.counted)
        .map(|p| p.estimated_value)
        .collect();
    let mut v = verdict(aggregate.total, &values, threshold, eur_dkk_rate)?;
    if aggregate.includes_pending {
        v.consequence.push_str(&format!(
            " Værdien omfatter deltagere, der endnu ikke har bekræftet deres deltagelse; \
             med de bekræftede alene er den {}",
            text::kroner(aggregate.confirmed_total)
        ));
    }
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tender_plans::model::seed_thresholds;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn the_publication_date_picks_the_row() {
        let rows = seed_thresholds();
        let kind = ContractKind::SuppliesServices;
        let last_old = applicable(&rows, kind, d(2025, 12, 31)).unwrap();
        assert_eq!(last_old.dkk, Some(dec!(1644638)));
        let first_new = applicable(&rows, kind, d(2026, 1, 1)).unwrap();
        assert_eq!(first_new.dkk, Some(dec!(1611360)));
        assert_eq!(
            applicable(&rows, ContractKind::Works, d(2026, 1, 1))
                .unwrap()
                .eur,
            dec!(5404000)
        );
        assert!(applicable(&rows, kind, d(2023, 12, 31)).is_none());
        assert!(applicable(&rows, kind, d(2028, 1, 1)).is_none());
        assert!(overlapping(&rows).is_empty());
    }

    #[test]
    fn overlapping_rows_are_found_and_the_later_wins() {
        let mut rows = seed_thresholds();
        let mut fix = rows[3].clone();
        fix.valid_from = d(2026, 6, 1);
        fix.dkk = Some(dec!(1611000));
        rows.push(fix);
        assert_eq!(overlapping(&rows), vec![(3, 6)]);
        let kind = ContractKind::SuppliesServices;
        assert_eq!(
            applicable(&rows, kind, d(2026, 5, 31)).unwrap().dkk,
            Some(dec!(1611360))
        );
        assert_eq!(
            applicable(&rows, kind, d(2026, 6, 1)).unwrap().dkk,
            Some(dec!(1611000))
        );
    }

    #[test]
    fn crossing_only_in_aggregate() {
        let rows = seed_thresholds();
        let t = applicable(&rows, ContractKind::SuppliesServices, d(2026, 3, 1)).unwrap();
        // 900.000 + 800.000 = 1.700.000 ≥ 1.611.360; each alone below.
        let v = verdict(dec!(1700000), &[dec!(900000), dec!(800000)], t, None).unwrap();
        assert!(v.above);
        assert!(v.crosses_only_in_aggregate);
        assert_eq!(v.margin, dec!(88640));
        assert_eq!(v.dkk_source, DkkSource::Published);
        assert!(
            v.consequence
                .contains("1.700.000 kr. er 88.640 kr. over tærskelværdien på 1.611.360 kr.")
        );
        assert!(v.consequence.contains("TED"));
        assert!(v.consequence.contains("minimumsfrister"));
        assert!(
            v.consequence
                .contains("Ingen deltager er alene over tærskelværdien")
        );

        // One participant alone above: not "only in aggregate".
        let v = verdict(dec!(1700000), &[dec!(1650000), dec!(50000)], t, None).unwrap();
        assert!(v.above && !v.crosses_only_in_aggregate);
        assert!(!v.consequence.contains("Ingen deltager"));
    }

    #[test]
    fn verdict_for_an_aggregate_leaves_out_declined_and_notes_pending() {
        use crate::tender_plans::aggregate::aggregate;
        use crate::tender_plans::model::{Participant, ParticipationStatus, ValueEstimate};
        let p = |status, total: Decimal| Participant {
            tenant_id: uuid::Uuid::new_v4(),
            tenant_name: "Kommune".into(),
            status,
            estimate: ValueEstimate::Total { total_value: total },
            replaced_contracts: vec![],
        };
        let rows = seed_thresholds();
        let t = applicable(&rows, ContractKind::SuppliesServices, d(2026, 3, 1)).unwrap();
        // The declined 2.000.000 kr. neither counts nor stops "only in aggregate".
        let a = aggregate(&[
            p(ParticipationStatus::Confirmed, dec!(1000000)),
            p(ParticipationStatus::Pending, dec!(700000)),
            p(ParticipationStatus::Declined, dec!(2000000)),
        ]);
        let v = verdict_for(&a, t, None).unwrap();
        assert_eq!(v.aggregate, dec!(1700000));
        assert!(v.above && v.crosses_only_in_aggregate);
        assert!(
            v.consequence.ends_with(
                "Værdien omfatter deltagere, der endnu ikke har bekræftet deres deltagelse; \
             med de bekræftede alene er den 1.000.000 kr."
            ),
            "{}",
            v.consequence
        );
    }

    #[test]
    fn exactly_at_the_threshold_is_above() {
        let rows = seed_thresholds();
        let t = applicable(&rows, ContractKind::SuppliesServices, d(2026, 3, 1)).unwrap();
        let v = verdict(dec!(1611360), &[dec!(1611360)], t, None).unwrap();
        assert!(v.above);
        assert!(v.margin.is_zero());
        assert!(
            v.consequence
                .contains("1.611.360 kr. er lig med tærskelværdien på 1.611.360 kr.")
        );
        assert!(v.consequence.contains("EU-udbudsprocedure"));
        let v = verdict(dec!(1611359.99), &[dec!(1611359.99)], t, None).unwrap();
        assert!(!v.above);
        assert_eq!(v.margin, dec!(-0.01));
        assert!(v.consequence.contains("er 0,01 kr. under tærskelværdien"));
        assert!(v.consequence.contains("ikke påkrævet"));
    }

    #[test]
    fn missing_dkk_value_is_converted_and_said() {
        let rows = seed_thresholds();
        let t = applicable(&rows, ContractKind::LightRegime, d(2026, 3, 1)).unwrap();
        assert_eq!(
            verdict(dec!(1), &[dec!(1)], t, None),
            Err(ThresholdError::NoDkkValue)
        );
        // 750.000 € × 7,4604 = 5.595.300 kr.
        let v = verdict(dec!(6000000), &[dec!(6000000)], t, Some(dec!(7.4604))).unwrap();
        assert_eq!(v.threshold_dkk, dec!(5595300));
        assert_eq!(
            v.dkk_source,
            DkkSource::ConvertedFromEur {
                eur_dkk_rate: dec!(7.4604)
            }
        );
        assert!(v.above);
        assert!(
            v.consequence
                .contains("omregnet fra 750.000 euro med kursen 7,4604")
        );
        // A published DKK value wins over a given rate.
        let t = applicable(&rows, ContractKind::LightRegime, d(2025, 3, 1)).unwrap();
        let v = verdict(dec!(1), &[dec!(1)], t, Some(dec!(8))).unwrap();
        assert_eq!(v.threshold_dkk, dec!(5581350));
        assert_eq!(v.dkk_source, DkkSource::Published);
    }
}
