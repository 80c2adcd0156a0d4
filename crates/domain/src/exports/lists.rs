//! The columns and rows of the IT systems, deadlines and audit trail
//! exports. Each list is read with its own filter, as its list endpoint
//! reads it.

use std::collections::BTreeSet;

use crate::audit::AuditEntry;
use crate::contracts::options;
use crate::contracts::overview::{Deadline, DeadlineKind};
use crate::exports::sheet::{Cell, Column};
use crate::systems::ItSystem;

const fn column(header: &'static str, width: f64) -> Column {
    Column { header, width }
}

pub const SYSTEM_COLUMNS: [Column; 9] = [
    column("Navn", 32.0),
    column("Kategori", 20.0),
    column("Leverandør", 28.0),
    column("Leverandør CVR", 16.0),
    column("Systemejer", 24.0),
    column("It-systemejer (bruger)", 24.0),
    column("Status", 14.0),
    column("Beskrivelse", 40.0),
    column("Sidst ændret", 20.0),
];

fn system_status(status: &str) -> &str {
    match status {
        "planned" => "Planlagt",
        "in_use" => "I drift",
        "retired" => "Udfaset",
        other => other,
    }
}

pub fn system_row(s: &ItSystem) -> Vec<Cell> {
    vec![
        Cell::text(&s.name),
        Cell::opt_text(s.category.as_deref()),
        Cell::opt_text(s.supplier.as_ref().map(|x| x.name.as_str())),
        Cell::opt_text(s.supplier.as_ref().map(|x| x.cvr.as_str())),
        Cell::opt_text(s.system_owner.as_deref()),
        Cell::opt_text(s.owner_user.as_ref().map(|o| o.name.as_str())),
        Cell::text(system_status(&s.status)),
        Cell::opt_text(s.description.as_deref()),
        Cell::Time(s.updated_at),
    ]
}

pub const DEADLINE_COLUMNS: [Column; 8] = [
    column("Frist", 12.0),
    column("Dage tilbage", 12.0),
    column("Type", 22.0),
    column("Kontrakt", 40.0),
    column("Leverandør", 28.0),
    column("Kritikalitet", 12.0),
    column("Ansvarlig", 28.0),
    column("Kontrakt-id", 38.0),
];

pub fn deadline_row(d: &Deadline) -> Vec<Cell> {
    let criticality = options::CRITICALITIES
        .values
        .iter()
        .find(|(code, _)| *code == d.criticality)
        .map_or(d.criticality.as_str(), |(_, label)| label);
    vec![
        Cell::Date(d.date),
        Cell::Integer(d.days_left),
        Cell::text(match d.kind {
            DeadlineKind::NoticeDeadline => "Opsigelsesfrist",
            DeadlineKind::RetenderStart => "Genudbud starter",
        }),
        Cell::text(&d.title),
        Cell::text(&d.supplier),
        Cell::text(criticality),
        Cell::opt_text(d.owner.as_deref()),
        Cell::text(d.contract_id.to_string()),
    ]
}

pub const AUDIT_COLUMNS: [Column; 7] = [
    column("Tidspunkt", 20.0),
    column("Bruger", 28.0),
    column("Handling", 24.0),
    column("Objekttype", 14.0),
    column("Objekt-id", 38.0),
    column("Ændrede felter", 40.0),
    column("Hændelses-id", 38.0),
];

/// The top-level fields whose values differ between before and after.
fn changed_fields(e: &AuditEntry) -> String {
    let empty = serde_json::Map::new();
    let before = e
        .before
        .as_ref()
        .and_then(|v| v.as_object())
        .unwrap_or(&empty);
    let after = e
        .after
        .as_ref()
        .and_then(|v| v.as_object())
        .unwrap_or(&empty);
    let keys: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    keys.into_iter()
        .filter(|k| before.get(*k) != after.get(*k))
        .filter(|k| !["version", "updated_at"].contains(&k.as_str()))
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn audit_row(e: &AuditEntry) -> Vec<Cell> {
    vec![
        Cell::Time(e.occurred_at),
        Cell::text(
            e.actor_name
                .clone()
                .unwrap_or_else(|| e.actor_label.clone()),
        ),
        Cell::text(&e.action),
        Cell::text(&e.object_kind),
        Cell::text(e.object_id.to_string()),
        Cell::text(changed_fields(e)),
        Cell::text(e.id.to_string()),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use uuid::Uuid;

    #[test]
    fn an_audit_row_names_the_changed_fields() {
        let entry = AuditEntry {
            id: Uuid::nil(),
            occurred_at: chrono::Utc::now(),
            actor_id: None,
            actor_label: "a@b.dk".into(),
            actor_name: Some("Anne".into()),
            action: "contract.updated".into(),
            object_kind: "contract".into(),
            object_id: Uuid::nil(),
            before: Some(json!({"title": "A", "notes": null, "version": 1})),
            after: Some(json!({"title": "B", "notes": null, "version": 2, "publishable": true})),
        };
        let row = audit_row(&entry);
        assert_eq!(row[1], Cell::text("Anne"));
        assert_eq!(row[5], Cell::text("publishable, title"));
        assert_eq!(row.len(), AUDIT_COLUMNS.len());
    }
}
