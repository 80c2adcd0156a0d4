//! View versions: a number per municipality that grows with every committed
//! change of the data its register views show, and one for the data every
//! municipality sees (suppliers, municipalities, collaborations and their
//! members, the reference tables). The server keeps the answers of its most
//! read requests keyed by these numbers (the server's response cache),
//! so a version must move whenever such an answer could.
//!
//! Triggers do the counting, so no write path can forget it, imports and
//! operator commands included:
//! - a row written in one of [`MUNICIPALITY_TABLES`] moves its own
//!   municipality's version (`view_versions`);
//! - a row written in one of [`SHARED_TABLES`] moves the shared version
//!   (`shared_view_version`).
//!
//! What another municipality shares is part of a view too; the reader's key
//! therefore also holds the sum of the versions of the municipalities it is
//! in a collaboration with ([`read_statement`]). Versions only grow, and a membership
//! change moves the shared version, so the sum moves whenever one of theirs
//! does.
//!
//! On PostgreSQL the count runs at commit (deferred constraint triggers),
//! once per transaction and municipality, so a long import holds the
//! version row's lock only while it commits; the new number becomes visible
//! with the data. On SQLite, where one transaction writes at a time, plain
//! triggers count every row.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

use crate::rls::schema_prefix;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Tables with a `tenant_id` whose rows a cached answer may show.
const MUNICIPALITY_TABLES: [&str; 16] = [
    "contracts",
    "contract_systems",
    "contract_templates",
    "contract_decisions",
    "it_systems",
    "users",
    "shares",
    "templates",
    "template_versions",
    "attachments",
    "reminder_settings",
    "tender_plans",
    "planned_tenders",
    "tender_milestones",
    "tender_participations",
    "tender_invitations",
];

/// Tables every municipality's views may show.
const SHARED_TABLES: [&str; 7] = [
    "tenants",
    "suppliers",
    "collaborations",
    "collaboration_members",
    "cpv_codes",
    "thresholds",
    "procedure_time_limits",
];

#[derive(DeriveIden)]
enum ViewVersions {
    Table,
    TenantId,
    Version,
}

#[derive(DeriveIden)]
enum SharedViewVersion {
    Table,
    Id,
    Version,
}

fn sqlite_triggers(table: &str, body: &dyn Fn(&str) -> String) -> String {
    [("insert", "NEW"), ("update", "NEW"), ("delete", "OLD")]
        .iter()
        .map(|(event, row)| {
            format!(
                "CREATE TRIGGER view_changed_{table}_{event} AFTER {event} ON {table} \
                 FOR EACH ROW BEGIN {} END;",
                body(row)
            )
        })
        .collect()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ViewVersions::Table)
                    .col(uuid(ViewVersions::TenantId).primary_key())
                    .col(big_integer(ViewVersions::Version))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SharedViewVersion::Table)
                    .col(integer(SharedViewVersion::Id).primary_key())
                    .col(big_integer(SharedViewVersion::Version))
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        db.execute_unprepared("INSERT INTO shared_view_version (id, version) VALUES (1, 1)")
            .await?;
        if db.get_database_backend() == DbBackend::Postgres {
            let schema = schema_prefix(db).await?;
            // The function runs as the writing role, which may write both
            // tables (neither has row-level security: a version says only
            // that something changed). Tables are named with their schema
            // so that a temporary table cannot stand in for them.
            db.execute_unprepared(&format!(
                "CREATE OR REPLACE FUNCTION samudbud_view_changed() RETURNS trigger \
                 LANGUAGE plpgsql AS $$ \
                 DECLARE \
                   municipality uuid; \
                   counted text := coalesce(current_setting('app.views_changed', true), ''); \
                 BEGIN \
                   IF TG_ARGV[0] = 'shared' THEN \
                     IF position('shared,' IN counted) > 0 THEN RETURN NULL; END IF; \
                     UPDATE {schema}shared_view_version SET version = version + 1; \
                     PERFORM set_config('app.views_changed', counted || 'shared,', true); \
                     RETURN NULL; \
                   END IF; \
                   IF TG_OP = 'DELETE' THEN municipality := OLD.tenant_id; \
                   ELSE municipality := NEW.tenant_id; END IF; \
                   IF municipality IS NULL \
                      OR position(municipality::text || ',' IN counted) > 0 THEN \
                     RETURN NULL; \
                   END IF; \
                   INSERT INTO {schema}view_versions AS v (tenant_id, version) \
                     VALUES (municipality, 1) \
                     ON CONFLICT (tenant_id) DO UPDATE SET version = v.version + 1; \
                   PERFORM set_config('app.views_changed', counted || municipality::text || ',', true); \
                   RETURN NULL; \
                 END $$;"
            ))
            .await?;
            for (tables, kind) in [
                (&MUNICIPALITY_TABLES[..], "municipality"),
                (&SHARED_TABLES[..], "shared"),
            ] {
                for table in tables {
                    db.execute_unprepared(&format!(
                        "CREATE CONSTRAINT TRIGGER view_changed \
                         AFTER INSERT OR UPDATE OR DELETE ON {table} \
                         DEFERRABLE INITIALLY DEFERRED FOR EACH ROW \
                         EXECUTE FUNCTION samudbud_view_changed('{kind}');"
                    ))
                    .await?;
                }
            }
            // A query the application's role runs could otherwise set a
            // version back to a number a cached answer was kept under, and
            // other municipalities would be shown that old answer: versions
            // only grow, and their rows stay where they are.
            db.execute_unprepared(
                "CREATE OR REPLACE FUNCTION samudbud_versions_only_grow() RETURNS trigger \
                 LANGUAGE plpgsql AS $$ \
                 BEGIN \
                   IF TG_OP = 'DELETE' OR NEW.version < OLD.version \
                      OR to_jsonb(NEW) - 'version' IS DISTINCT FROM to_jsonb(OLD) - 'version' THEN \
                     RAISE EXCEPTION 'a view version only grows'; \
                   END IF; \
                   RETURN NEW; \
                 END $$; \
                 CREATE TRIGGER versions_only_grow BEFORE UPDATE OR DELETE ON view_versions \
                   FOR EACH ROW EXECUTE FUNCTION samudbud_versions_only_grow(); \
                 CREATE TRIGGER versions_only_grow BEFORE UPDATE OR DELETE ON shared_view_version \
                   FOR EACH ROW EXECUTE FUNCTION samudbud_versions_only_grow();",
            )
            .await?;
            // The reader's key, with the collaborations' members read past
            // row-level security (the function runs as the owner, in the
            // system scope, and returns numbers only).
            db.execute_unprepared(&format!(
                "CREATE OR REPLACE FUNCTION samudbud_view_version(municipality uuid, \
                   OUT own bigint, OUT fellows bigint, OUT shared bigint) \
                 LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog AS $$ \
                 DECLARE scope text := current_setting('app.system', true); \
                 BEGIN \
                   PERFORM set_config('app.system', 'on', true); \
                   {} INTO own, fellows, shared; \
                   PERFORM set_config('app.system', coalesce(scope, ''), true); \
                 END $$;",
                read_statement(&schema, "municipality")
            ))
            .await?;
        } else {
            let municipality = |row: &str| {
                // Not `INSERT OR IGNORE`: inside a trigger the outer
                // statement's conflict clause (an upsert's) would decide.
                format!(
                    "INSERT INTO view_versions (tenant_id, version) \
                       SELECT {row}.tenant_id, 0 WHERE {row}.tenant_id IS NOT NULL \
                         AND NOT EXISTS (SELECT 1 FROM view_versions \
                           WHERE tenant_id = {row}.tenant_id); \
                     UPDATE view_versions SET version = version + 1 \
                       WHERE tenant_id = {row}.tenant_id;"
                )
            };
            let shared =
                |_: &str| "UPDATE shared_view_version SET version = version + 1;".to_owned();
            for table in MUNICIPALITY_TABLES {
                db.execute_unprepared(&sqlite_triggers(table, &municipality))
                    .await?;
            }
            for table in SHARED_TABLES {
                db.execute_unprepared(&sqlite_triggers(table, &shared))
                    .await?;
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        if db.get_database_backend() == DbBackend::Postgres {
            for table in MUNICIPALITY_TABLES.iter().chain(SHARED_TABLES.iter()) {
                db.execute_unprepared(&format!("DROP TRIGGER IF EXISTS view_changed ON {table}"))
                    .await?;
            }
            db.execute_unprepared(
                "DROP TRIGGER IF EXISTS versions_only_grow ON view_versions; \
                 DROP TRIGGER IF EXISTS versions_only_grow ON shared_view_version; \
                 DROP FUNCTION IF EXISTS samudbud_versions_only_grow(); \
                 DROP FUNCTION IF EXISTS samudbud_view_changed(); \
                 DROP FUNCTION IF EXISTS samudbud_view_version(uuid);",
            )
            .await?;
        } else {
            for table in MUNICIPALITY_TABLES.iter().chain(SHARED_TABLES.iter()) {
                for event in ["insert", "update", "delete"] {
                    db.execute_unprepared(&format!(
                        "DROP TRIGGER IF EXISTS view_changed_{table}_{event}"
                    ))
                    .await?;
                }
            }
        }
        manager
            .drop_table(Table::drop().table(SharedViewVersion::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(ViewVersions::Table).to_owned())
            .await?;
        Ok(())
    }
}

/// The select behind a reader's key, with `schema` before each table and
/// `municipality` for the reader's municipality: its own version, the sum
/// of its fellow members' versions and the shared version.
fn read_statement(schema: &str, municipality: &str) -> String {
    format!(
        "SELECT \
           coalesce((SELECT v.version FROM {schema}view_versions v \
             WHERE v.tenant_id = {municipality}), 0) AS own, \
           CAST(coalesce((SELECT sum(v.version) FROM {schema}view_versions v \
             WHERE v.tenant_id IN (SELECT f.tenant_id \
               FROM {schema}collaboration_members m \
               JOIN {schema}collaboration_members f ON f.collaboration_id = m.collaboration_id \
               WHERE m.tenant_id = {municipality} AND f.tenant_id <> {municipality})), 0) \
             AS BIGINT) AS fellows, \
           (SELECT s.version FROM {schema}shared_view_version s) AS shared"
    )
}
