//! The path to Citus stays open (deploy/SCALING.md): every primary key and
//! unique constraint of a table with a `tenant_id` column includes it, or is
//! listed here with the reason it does not yet.

use std::collections::BTreeSet;

use samudbud_api_tests::{TestApp, on_both_databases};
use sea_orm::{ConnectionTrait, DbBackend, Statement};

on_both_databases!(tenant_tables_keep_tenant_id_in_their_keys);

const UUID_KEY: &str = "a random UUID, unique across municipalities by construction; widened to \
                        (tenant_id, …) by the Citus migration (SCALING.md, step 1)";
const LOOKUP: &str = "a platform-wide lookup before the municipality is known (login, client \
                      credentials, feed and refresh tokens); moves to a reference lookup table";
const CHILD: &str = "unique within its parent row, which belongs to one municipality; widened with \
                     the parent's key";

/// Keys without `tenant_id` today, as (table, columns, reason).
const LISTED: &[(&str, &[&str], &str)] = &[
    ("api_clients", &["id"], UUID_KEY),
    ("api_clients", &["client_id"], LOOKUP),
    ("api_client_rates", &["client_id"], CHILD),
    ("attachments", &["id"], UUID_KEY),
    (
        "audit_events",
        &["id"],
        "platform events have no municipality (tenant_id is null); the trail is split into a \
         distributed table and a coordinator one",
    ),
    ("calendar_feeds", &["id"], UUID_KEY),
    (
        "change_log",
        &["seq"],
        "the feed's position, numbered by one sequence per server; distributed, it becomes \
         (tenant_id, seq) with the sequence per shard, since a cursor is read per municipality",
    ),
    ("calendar_feeds", &["selector"], LOOKUP),
    ("calendar_feeds", &["user_id"], CHILD),
    (
        "collaboration_members",
        &["id"],
        "a reference table: memberships cross municipalities",
    ),
    ("contract_decisions", &["id"], UUID_KEY),
    ("contract_import_mappings", &["id"], UUID_KEY),
    ("contract_imports", &["id"], UUID_KEY),
    ("contract_systems", &["contract_id", "it_system_id"], CHILD),
    ("contract_templates", &["contract_id"], CHILD),
    ("contracts", &["id"], UUID_KEY),
    ("digest_deliveries", &["id"], UUID_KEY),
    ("digest_deliveries", &["period", "user_id"], CHILD),
    ("it_systems", &["id"], UUID_KEY),
    ("kitos_runs", &["id"], UUID_KEY),
    ("planned_tenders", &["id"], UUID_KEY),
    ("refresh_tokens", &["id"], UUID_KEY),
    ("refresh_tokens", &["token_hash"], LOOKUP),
    ("reminder_settings", &["user_id"], CHILD),
    ("saved_views", &["id"], UUID_KEY),
    ("saved_views", &["name", "page", "user_id"], CHILD),
    ("shares", &["id"], UUID_KEY),
    (
        "shares",
        &["collaboration_id", "object_id", "object_kind"],
        CHILD,
    ),
    ("template_versions", &["id"], UUID_KEY),
    ("template_versions", &["number", "template_id"], CHILD),
    ("templates", &["id"], UUID_KEY),
    ("tender_invitations", &["id"], UUID_KEY),
    (
        "tender_invitations",
        &["participant_tenant_id", "tender_id"],
        CHILD,
    ),
    ("tender_milestones", &["kind", "tender_id"], CHILD),
    ("tender_participations", &["id"], UUID_KEY),
    ("tender_plans", &["id"], UUID_KEY),
    ("users", &["id"], UUID_KEY),
    ("webhook_attempts", &["id"], UUID_KEY),
    ("webhook_deliveries", &["id"], UUID_KEY),
    ("webhook_endpoints", &["id"], UUID_KEY),
    (
        "webhook_events",
        &["dedup_key"],
        "names the object and endpoint (UUIDs) an event is for, so unique across \
         municipalities by construction; widened to (tenant_id, dedup_key) when distributed",
    ),
    ("webhook_events", &["id"], UUID_KEY),
    (
        "users",
        &["email"],
        "people log in by e-mail before their municipality is known; moves to a reference \
         lookup table of (email, tenant_id)",
    ),
];

async fn strings<C: ConnectionTrait>(conn: &C, sql: &str, column: &str) -> Vec<String> {
    conn.query_all_raw(Statement::from_string(conn.get_database_backend(), sql))
        .await
        .unwrap()
        .iter()
        .map(|row| row.try_get::<String>("", column).unwrap())
        .collect()
}

/// (table, sorted columns) of every primary key and unique index of the
/// tables that have a `tenant_id` column.
async fn keys<C: ConnectionTrait>(conn: &C) -> BTreeSet<(String, Vec<String>)> {
    let mut keys = BTreeSet::new();
    match conn.get_database_backend() {
        DbBackend::Sqlite => {
            let tables = strings(
                conn,
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
                "name",
            )
            .await;
            for table in tables {
                let columns = strings(
                    conn,
                    &format!("SELECT name FROM pragma_table_info('{table}')"),
                    "name",
                )
                .await;
                if !columns.iter().any(|c| c == "tenant_id") {
                    continue;
                }
                let mut pk = strings(
                    conn,
                    &format!("SELECT name FROM pragma_table_info('{table}') WHERE pk > 0"),
                    "name",
                )
                .await;
                pk.sort();
                keys.insert((table.clone(), pk));
                let indexes = strings(
                    conn,
                    &format!("SELECT name FROM pragma_index_list('{table}') WHERE \"unique\" = 1"),
                    "name",
                )
                .await;
                for index in indexes {
                    let mut cols = strings(
                        conn,
                        &format!("SELECT name FROM pragma_index_info('{index}')"),
                        "name",
                    )
                    .await;
                    cols.sort();
                    keys.insert((table.clone(), cols));
                }
            }
        }
        _ => {
            let rows = conn
                .query_all_raw(Statement::from_string(
                    DbBackend::Postgres,
                    "SELECT c.relname AS tab, string_agg(a.attname, ',' ORDER BY a.attname) AS cols \
                     FROM pg_index i \
                     JOIN pg_class c ON c.oid = i.indrelid \
                     JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema() \
                     JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = ANY(i.indkey) \
                     WHERE i.indisunique \
                       AND EXISTS (SELECT 1 FROM pg_attribute t WHERE t.attrelid = c.oid \
                                   AND t.attname = 'tenant_id' AND NOT t.attisdropped) \
                     GROUP BY c.relname, i.indexrelid",
                ))
                .await
                .unwrap();
            for row in rows {
                let table: String = row.try_get("", "tab").unwrap();
                let cols: String = row.try_get("", "cols").unwrap();
                keys.insert((table, cols.split(',').map(str::to_owned).collect()));
            }
        }
    }
    keys
}

async fn tenant_tables_keep_tenant_id_in_their_keys(app: TestApp) {
    let keys = keys(app.db.system_connection()).await;
    assert!(
        keys.iter().any(|(table, _)| table == "contracts"),
        "the schema was read: {keys:?}"
    );
    let listed: BTreeSet<(String, Vec<String>)> = LISTED
        .iter()
        .map(|(table, cols, _)| {
            let mut cols: Vec<String> = cols.iter().map(|c| (*c).to_owned()).collect();
            cols.sort();
            ((*table).to_owned(), cols)
        })
        .collect();
    let unlisted: Vec<String> = keys
        .iter()
        .filter(|(_, cols)| !cols.iter().any(|c| c == "tenant_id"))
        .filter(|key| !listed.contains(*key))
        .map(|(table, cols)| format!("{table}({})", cols.join(", ")))
        .collect();
    assert!(
        unlisted.is_empty(),
        "keys of tenant tables without tenant_id (include it, or list the key with its reason \
         in tests/api/tests/http/scaling.rs): {unlisted:?}"
    );
    let stale: Vec<String> = listed
        .iter()
        .filter(|key| !keys.contains(*key))
        .map(|(table, cols)| format!("{table}({})", cols.join(", ")))
        .collect();
    assert!(
        stale.is_empty(),
        "listed keys that the schema no longer has (remove them from the list): {stale:?}"
    );
}
