//! The archive's tables and the JSON Schema of a row of each, derived from
//! the entities so that they cannot drift from what the export writes. The
//! committed copies under `docs/archive/` are checked against these.

use sea_orm::sea_query::ColumnType;
use sea_orm::{ColumnTrait, EntityTrait, IdenStatic, Iterable};
use serde_json::{Map, Value, json};

use crate::entities::{
    api_client, attachment, audit_event, collaboration, collaboration_member, contract,
    contract_decision, contract_import, contract_import_mapping, contract_system,
    contract_template, digest_delivery, it_system, planned_tender, reminder_setting, saved_view,
    share, supplier, template, template_version, tenant, tender_invitation, tender_milestone,
    tender_participation, tender_plan, user,
};

/// One table of the archive.
#[derive(Debug, Clone, Copy)]
pub struct TableInfo {
    /// The file's name without `.json`, and the database table's name.
    pub name: &'static str,
    pub title_en: &'static str,
    pub title_da: &'static str,
    /// Columns left out (secrets; bytes that go as files).
    pub omitted: &'static [&'static str],
    /// Whether each row's bytes are a file under `files/<name>/<id>`.
    pub has_files: bool,
}

const fn table(name: &'static str, title_en: &'static str, title_da: &'static str) -> TableInfo {
    TableInfo {
        name,
        title_en,
        title_da,
        omitted: &[],
        has_files: false,
    }
}

/// Every table, in the order an import inserts them (referenced rows first).
pub const TABLES: &[TableInfo] = &[
    table("tenants", "The municipality", "Kommunen"),
    table(
        "suppliers",
        "Suppliers the municipality's contracts and IT systems name (shared catalogue)",
        "Leverandører, som kommunens kontrakter og it-systemer nævner (fælles katalog)",
    ),
    table(
        "collaborations",
        "Collaborations the municipality takes part in",
        "Samarbejder, som kommunen deltager i",
    ),
    TableInfo {
        omitted: &["password_hash"],
        ..table(
            "users",
            "Users (without password hashes)",
            "Brugere (uden adgangskoder)",
        )
    },
    table(
        "collaboration_members",
        "The municipality's memberships of collaborations",
        "Kommunens medlemskaber af samarbejder",
    ),
    table("it_systems", "IT systems", "It-systemer"),
    table("contracts", "Contracts", "Kontrakter"),
    table(
        "contract_systems",
        "Which IT systems each contract covers",
        "Hvilke it-systemer hver kontrakt dækker",
    ),
    TableInfo {
        omitted: &["content"],
        has_files: true,
        ..table(
            "attachments",
            "Attachments of contracts (bytes under files/attachments/<id>)",
            "Bilag til kontrakter (indhold under files/attachments/<id>)",
        )
    },
    table(
        "contract_decisions",
        "Decisions on contract deadlines",
        "Beslutninger om kontrakters frister",
    ),
    table(
        "templates",
        "Standard contract templates",
        "Standardkontrakter",
    ),
    table(
        "template_versions",
        "Versions of the templates",
        "Versioner af standardkontrakterne",
    ),
    table(
        "contract_templates",
        "Which template version each contract was drawn up from",
        "Hvilken standardkontraktversion hver kontrakt er udarbejdet efter",
    ),
    table(
        "shares",
        "Contracts shared with collaborations",
        "Kontrakter delt med samarbejder",
    ),
    table("tender_plans", "Tender plans", "Udbudsplaner"),
    table("planned_tenders", "Planned tenders", "Planlagte udbud"),
    table(
        "tender_milestones",
        "Milestones of planned tenders",
        "Milepæle for planlagte udbud",
    ),
    table(
        "tender_invitations",
        "Invitations to join planned tenders",
        "Invitationer til at deltage i planlagte udbud",
    ),
    table(
        "tender_participations",
        "The municipality's participation in planned tenders",
        "Kommunens deltagelse i planlagte udbud",
    ),
    TableInfo {
        omitted: &["secret_hash"],
        ..table(
            "api_clients",
            "API clients (without secrets)",
            "API-klienter (uden hemmeligheder)",
        )
    },
    table(
        "saved_views",
        "Users' saved views of the lists",
        "Brugernes gemte visninger af listerne",
    ),
    table(
        "reminder_settings",
        "Users' reminder settings",
        "Brugernes indstillinger for påmindelser",
    ),
    table(
        "digest_deliveries",
        "Reminder digests sent",
        "Sendte påmindelsesoversigter",
    ),
    TableInfo {
        omitted: &["content"],
        has_files: true,
        ..table(
            "contract_imports",
            "Spreadsheet imports of contracts (files under files/contract_imports/<id>)",
            "Import af kontrakter fra regneark (filer under files/contract_imports/<id>)",
        )
    },
    table(
        "contract_import_mappings",
        "Saved column mappings of spreadsheet imports",
        "Gemte kolonnekoblinger til import fra regneark",
    ),
    table("audit_events", "The audit trail", "Revisionssporet"),
];

fn column_schema(column_type: &ColumnType, nullable: bool) -> Value {
    let mut schema = match column_type {
        ColumnType::Uuid => json!({"type": "string", "format": "uuid"}),
        ColumnType::Date => json!({"type": "string", "format": "date"}),
        ColumnType::TimestampWithTimeZone | ColumnType::Timestamp | ColumnType::DateTime => {
            json!({"type": "string", "format": "date-time"})
        }
        ColumnType::Decimal(_) | ColumnType::Money(_) => {
            json!({"type": "string", "pattern": "^-?[0-9]+(\\.[0-9]+)?$", "description": "An exact decimal number (DKK or EUR)"})
        }
        ColumnType::Boolean => json!({"type": "boolean"}),
        ColumnType::Integer
        | ColumnType::BigInteger
        | ColumnType::SmallInteger
        | ColumnType::TinyInteger => json!({"type": "integer"}),
        ColumnType::Json | ColumnType::JsonBinary => json!({}),
        _ => json!({"type": "string"}),
    };
    if let (true, Some(kind)) = (nullable, schema.get("type").cloned()) {
        schema["type"] = json!([kind, "null"]);
    }
    schema
}

fn entity_schema<E: EntityTrait>(info: &TableInfo) -> Value {
    let mut properties = Map::new();
    let mut required = Vec::new();
    for column in E::Column::iter() {
        let name = column.as_str();
        if info.omitted.contains(&name) {
            continue;
        }
        let def = column.def();
        properties.insert(
            name.to_owned(),
            column_schema(def.get_column_type(), def.is_null()),
        );
        required.push(Value::String(name.to_owned()));
    }
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": format!("https://samudbud.dk/archive/v1/{}.schema.json", info.name),
        "title": format!("{} / {}", info.title_en, info.title_da),
        "description": format!(
            "data/{}.json is a JSON array of these rows, one per line, ordered by primary key.",
            info.name
        ),
        "type": "array",
        "items": {
            "type": "object",
            "additionalProperties": false,
            "required": required,
            "properties": properties,
        }
    })
}

/// The JSON Schema of `data/<table>.json`.
pub fn row_schema(info: &TableInfo) -> Value {
    match info.name {
        "tenants" => entity_schema::<tenant::Entity>(info),
        "suppliers" => entity_schema::<supplier::Entity>(info),
        "collaborations" => entity_schema::<collaboration::Entity>(info),
        "users" => entity_schema::<user::Entity>(info),
        "collaboration_members" => entity_schema::<collaboration_member::Entity>(info),
        "it_systems" => entity_schema::<it_system::Entity>(info),
        "contracts" => entity_schema::<contract::Entity>(info),
        "contract_systems" => entity_schema::<contract_system::Entity>(info),
        "attachments" => entity_schema::<attachment::Entity>(info),
        "contract_decisions" => entity_schema::<contract_decision::Entity>(info),
        "templates" => entity_schema::<template::Entity>(info),
        "template_versions" => entity_schema::<template_version::Entity>(info),
        "contract_templates" => entity_schema::<contract_template::Entity>(info),
        "shares" => entity_schema::<share::Entity>(info),
        "tender_plans" => entity_schema::<tender_plan::Entity>(info),
        "planned_tenders" => entity_schema::<planned_tender::Entity>(info),
        "tender_milestones" => entity_schema::<tender_milestone::Entity>(info),
        "tender_invitations" => entity_schema::<tender_invitation::Entity>(info),
        "tender_participations" => entity_schema::<tender_participation::Entity>(info),
        "api_clients" => entity_schema::<api_client::Entity>(info),
        "saved_views" => entity_schema::<saved_view::Entity>(info),
        "reminder_settings" => entity_schema::<reminder_setting::Entity>(info),
        "digest_deliveries" => entity_schema::<digest_delivery::Entity>(info),
        "contract_imports" => entity_schema::<contract_import::Entity>(info),
        "contract_import_mappings" => entity_schema::<contract_import_mapping::Entity>(info),
        "audit_events" => entity_schema::<audit_event::Entity>(info),
        other => unreachable!("no schema for the archive table {other}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The committed schemas under docs/archive/ are the ones the code
    /// derives; regenerate with
    /// `SAMUDBUD_WRITE_ARCHIVE_SCHEMAS=1 cargo test -p samudbud-domain archive`.
    #[test]
    fn the_committed_schemas_match_the_entities() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/archive");
        let write = std::env::var_os("SAMUDBUD_WRITE_ARCHIVE_SCHEMAS").is_some();
        for info in TABLES {
            let path = dir.join(format!("{}.schema.json", info.name));
            let expected = format!(
                "{}\n",
                serde_json::to_string_pretty(&row_schema(info)).expect("serialisable")
            );
            if write {
                std::fs::create_dir_all(&dir).expect("docs/archive");
                std::fs::write(&path, &expected).expect("written");
            }
            let committed = std::fs::read_to_string(&path).unwrap_or_default();
            assert_eq!(
                committed,
                expected,
                "{} differs from the entity; regenerate it",
                path.display()
            );
        }
    }
}
