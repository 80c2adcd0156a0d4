//! The estimated value of a planned tender: per participant over the whole
//! term including all options, excluding VAT (Udbudsloven § 30), and the
//! sum over the participants (deltagere) that have not declined or withdrawn.
//!
//! A participant states its value either as an annual value with the term
//! and the total length of its options, which gives annual value ×
//! (term + options) / 12 months, or as a total it has worked out itself
//! (for uneven payment profiles, one-off costs). Pending participants are
//! counted, since they may still join and splitting a purchase to stay
//! below the threshold is not allowed, but the result says so.
//!
//! Amounts are rounded to øre. The arithmetic saturates instead of
//! overflowing; the API bounds the amounts it accepts.

use rust_decimal::Decimal;

use super::model::{AggregateValue, Participant, ParticipantValue, ValueEstimate};

/// The total value of one estimate over the whole term including options.
pub fn estimated_value(estimate: &ValueEstimate) -> Decimal {
    match estimate {
        ValueEstimate::Annual {
            annual_value,
            term_months,
            option_months,
        } => {
            let months = Decimal::from(*term_months) + Decimal::from(*option_months);
            (annual_value.saturating_mul(months) / Decimal::from(12)).round_dp(2)
        }
        ValueEstimate::Total { total_value } => total_value.round_dp(2),
    }
}

/// The Danish reason an estimate cannot be used, if any.
pub fn estimate_problem(estimate: &ValueEstimate) -> Option<&'static str> {
    match estimate {
        ValueEstimate::Annual {
            annual_value,
            term_months,
            ..
        } => {
            if annual_value.is_sign_negative() {
                Some("Den årlige værdi kan ikke være negativ.")
            } else if *term_months == 0 {
                Some("Kontraktperioden skal være mindst én måned.")
            } else {
                None
            }
        }
        ValueEstimate::Total { total_value } => total_value
            .is_sign_negative()
            .then_some("Den samlede værdi kan ikke være negativ."),
    }
}

/// Each participant's value and the sums over those still taking part.
pub fn aggregate(participants: &[Participant]) -> AggregateValue {
    let mut total = Decimal::ZERO;
    let mut confirmed_total = Decimal::ZERO;
    let mut includes_pending = false;
    let values = participants
        .iter()
        .map(|p| {
            let value = estimated_value(&p.estimate);
            let counted = p.status.counts();
            let pending = counted && p.status == super::model::ParticipationStatus::Pending;
            if counted {
                total = total.saturating_add(value);
            }
            if pending {
                includes_pending = true;
            } else if counted {
                confirmed_total = confirmed_total.saturating_add(value);
            }
            ParticipantValue {
                tenant_id: p.tenant_id,
                tenant_name: p.tenant_name.clone(),
                status: p.status,
                estimated_value: value,
                counted,
                pending,
            }
        })
        .collect();
    AggregateValue {
        total,
        confirmed_total,
        includes_pending,
        participants: values,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tender_plans::model::ParticipationStatus;
    use uuid::Uuid;

    fn participant(
        name: &str,
        status: ParticipationStatus,
        estimate: ValueEstimate,
    ) -> Participant {
        Participant {
            tenant_id: Uuid::new_v4(),
            tenant_name: name.into(),
            status,
            estimate,
            replaced_contracts: vec![],
        }
    }

    #[test]
    fn annual_value_over_term_and_options() {
        // 400.000 kr. a year for 4 years + 2 × 12 months of options:
        // 400.000 × 72 / 12 = 2.400.000 kr.
        let e = ValueEstimate::Annual {
            annual_value: dec!(400000),
            term_months: 48,
            option_months: 24,
        };
        assert_eq!(estimated_value(&e), dec!(2400000));
        // 100.000 kr. a year for 30 months: 250.000 kr.
        let e = ValueEstimate::Annual {
            annual_value: dec!(100000),
            term_months: 30,
            option_months: 0,
        };
        assert_eq!(estimated_value(&e), dec!(250000));
        // 1.000 kr. a year for 1 month: 83,33 kr. (rounded to øre).
        let e = ValueEstimate::Annual {
            annual_value: dec!(1000),
            term_months: 1,
            option_months: 0,
        };
        assert_eq!(estimated_value(&e), dec!(83.33));
        let e = ValueEstimate::Total {
            total_value: dec!(1234567.891),
        };
        assert_eq!(estimated_value(&e), dec!(1234567.89));
    }

    #[test]
    fn declined_and_withdrawn_are_left_out_pending_flagged() {
        let total = |v| ValueEstimate::Total { total_value: v };
        let ps = vec![
            participant(
                "Sorø Kommune",
                ParticipationStatus::Confirmed,
                total(dec!(900000)),
            ),
            participant(
                "Ringsted Kommune",
                ParticipationStatus::Pending,
                total(dec!(500000)),
            ),
            participant(
                "Slagelse Kommune",
                ParticipationStatus::Declined,
                total(dec!(800000)),
            ),
            participant(
                "Næstved Kommune",
                ParticipationStatus::Withdrawn,
                total(dec!(700000)),
            ),
        ];
        let a = aggregate(&ps);
        assert_eq!(a.total, dec!(1400000));
        assert_eq!(a.confirmed_total, dec!(900000));
        assert!(a.includes_pending);
        let flags: Vec<(bool, bool)> = a
            .participants
            .iter()
            .map(|p| (p.counted, p.pending))
            .collect();
        assert_eq!(
            flags,
            vec![(true, false), (true, true), (false, false), (false, false)]
        );
        // Every participant is reported, with its own value.
        assert_eq!(a.participants[2].estimated_value, dec!(800000));

        let confirmed_only = aggregate(&ps[..1]);
        assert!(!confirmed_only.includes_pending);
        assert_eq!(confirmed_only.total, confirmed_only.confirmed_total);
        assert_eq!(aggregate(&[]).total, Decimal::ZERO);
    }

    #[test]
    fn unusable_estimates_are_named() {
        let e = ValueEstimate::Annual {
            annual_value: dec!(-1),
            term_months: 12,
            option_months: 0,
        };
        assert!(estimate_problem(&e).is_some());
        let e = ValueEstimate::Annual {
            annual_value: dec!(1),
            term_months: 0,
            option_months: 0,
        };
        assert!(estimate_problem(&e).is_some());
        assert!(
            estimate_problem(&ValueEstimate::Total {
                total_value: dec!(0)
            })
            .is_none()
        );
    }
}
