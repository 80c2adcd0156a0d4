//! The fixed value lists of the contract register, with Danish labels. The
//! API serves them (`GET /options`) so that clients need no hard-coded values.

/// One list: its name and `(code, Danish label)` pairs.
#[derive(Debug)]
pub struct OptionList {
    pub name: &'static str,
    pub values: &'static [(&'static str, &'static str)],
}

pub const CONTRACT_TYPES: OptionList = OptionList {
    name: "contract_type",
    values: &[
        ("main", "Hovedkontrakt"),
        ("supplementary", "Tillægskontrakt"),
        ("service_agreement", "Serviceaftale"),
        ("data_processing", "Databehandleraftale"),
        ("interface_agreement", "Snitfladeaftale"),
    ],
};

pub const STATUSES: OptionList = OptionList {
    name: "status",
    values: &[
        ("draft", "Kladde"),
        ("not_started", "Ikke startet"),
        ("active", "Aktiv"),
        ("expired", "Udløbet"),
        ("terminated", "Opsagt"),
    ],
};

pub const AGREEMENT_ELEMENTS: OptionList = OptionList {
    name: "agreement_element",
    values: &[
        ("licence", "Licens"),
        ("development", "Udvikling"),
        ("operation", "Drift"),
        ("maintenance", "Vedligehold"),
        ("support", "Support"),
        ("hosting", "Hosting"),
        ("consulting", "Rådgivning"),
        ("other", "Andet"),
    ],
};

pub const PROCEDURES: OptionList = OptionList {
    name: "procedure",
    values: &[
        ("open", "Offentligt udbud"),
        ("restricted", "Begrænset udbud"),
        ("competitive_negotiation", "Udbud med forhandling"),
        ("competitive_dialogue", "Konkurrencepræget dialog"),
        ("innovation_partnership", "Innovationspartnerskab"),
        (
            "negotiated_without_publication",
            "Udbud med forhandling uden forudgående offentliggørelse",
        ),
        ("framework_direct_award", "Direkte tildeling på rammeaftale"),
        ("framework_mini_competition", "Miniudbud på rammeaftale"),
        ("below_threshold", "Under tærskelværdien"),
    ],
};

pub const PAYMENT_MODELS: OptionList = OptionList {
    name: "payment_model",
    values: &[
        ("licence", "Licens"),
        ("flat_rate", "Fast pris"),
        ("consumption", "Forbrugsafregning"),
        ("per_inhabitant", "Pr. indbygger"),
        ("per_case", "Pr. sag"),
        ("fee", "Gebyr"),
        ("one_off", "Engangsbetaling"),
    ],
};

pub const PAYMENT_FREQUENCIES: OptionList = OptionList {
    name: "payment_frequency",
    values: &[
        ("monthly", "Månedlig"),
        ("quarterly", "Kvartalsvis"),
        ("half_yearly", "Halvårlig"),
        ("yearly", "Årlig"),
        ("one_off", "Engang"),
    ],
};

pub const NOTICE_TO: OptionList = OptionList {
    name: "notice_to",
    values: &[
        ("none", "Enhver dag"),
        ("month", "Udgangen af en måned"),
        ("quarter", "Udgangen af et kvartal"),
        ("year", "Udgangen af et kalenderår"),
    ],
};

pub const CRITICALITIES: OptionList = OptionList {
    name: "criticality",
    values: &[("low", "Lav"), ("normal", "Normal"), ("high", "Høj")],
};

pub const ALL: [&OptionList; 8] = [
    &CONTRACT_TYPES,
    &STATUSES,
    &AGREEMENT_ELEMENTS,
    &PROCEDURES,
    &PAYMENT_MODELS,
    &PAYMENT_FREQUENCIES,
    &NOTICE_TO,
    &CRITICALITIES,
];

impl OptionList {
    pub fn contains(&self, code: &str) -> bool {
        self.values.iter().any(|(c, _)| *c == code)
    }

    pub fn codes(&self) -> String {
        self.values
            .iter()
            .map(|(c, _)| *c)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_labels_danish() {
        for list in ALL {
            let mut codes: Vec<&str> = list.values.iter().map(|(c, _)| *c).collect();
            codes.sort_unstable();
            codes.dedup();
            assert_eq!(codes.len(), list.values.len(), "{}", list.name);
            assert!(list.values.iter().all(|(_, label)| !label.is_empty()));
        }
        assert!(PROCEDURES.contains("open"));
        assert!(!PROCEDURES.contains("Open"));
    }
}
