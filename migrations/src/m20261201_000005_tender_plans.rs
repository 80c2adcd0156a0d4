//! Tender plans (udbudsplaner): plans owned by a municipality or a
//! collaboration, their planned tenders with milestones, invitations and
//! each participant's own answer; and the platform's reference data that
//! the rules read: CPV codes, EU thresholds and the procedures' minimum
//! time limits.
//!
//! Plans, tenders, milestones and invitations are written by the plan's
//! owner (`rls::collaboration_owned_policies`). A participation is the
//! participating municipality's own row: only it writes it, and the members
//! of the plan's collaboration read it.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

use crate::rls::{collaboration_owned_policies, per_command_policies};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The EU thresholds in force when the table was created (excluding VAT):
/// kind, valid from, valid to, EUR, DKK (`None`: not yet published).
const THRESHOLDS: [(&str, &str, &str, &str, Option<&str>); 6] = [
    (
        "supplies_services",
        "2024-01-01",
        "2025-12-31",
        "221000",
        Some("1644638"),
    ),
    (
        "works",
        "2024-01-01",
        "2025-12-31",
        "5538000",
        Some("41212688"),
    ),
    (
        "light_regime",
        "2024-01-01",
        "2025-12-31",
        "750000",
        Some("5581350"),
    ),
    (
        "supplies_services",
        "2026-01-01",
        "2027-12-31",
        "216000",
        Some("1611360"),
    ),
    (
        "works",
        "2026-01-01",
        "2027-12-31",
        "5404000",
        Some("40313840"),
    ),
    ("light_regime", "2026-01-01", "2027-12-31", "750000", None),
];

/// Minimum time limits per procedure, in calendar days: from the notice to
/// the first deadline, the second stage (two-stage procedures), and the
/// standstill period after an award decision sent electronically.
const TIME_LIMITS: [(&str, i32, Option<i32>, i32); 9] = [
    ("open", 35, None, 10),
    ("restricted", 30, Some(30), 10),
    ("competitive_negotiation", 30, Some(30), 10),
    ("competitive_dialogue", 30, None, 10),
    ("innovation_partnership", 30, None, 10),
    ("negotiated_without_publication", 0, None, 0),
    ("framework_direct_award", 0, None, 0),
    ("framework_mini_competition", 0, None, 0),
    ("below_threshold", 0, None, 0),
];

/// A money column: exact `numeric(16,2)` on PostgreSQL, decimal text on
/// SQLite (see `m20261201_000002_exact_money`).
fn money(backend: DbBackend, column: impl IntoIden, nullable: bool) -> ColumnDef {
    let mut def = match backend {
        DbBackend::Sqlite => text(column),
        _ => decimal_len(column, 16, 2),
    };
    if nullable {
        def.null();
    }
    def.to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();
        let db = manager.get_connection();

        manager
            .create_table(
                Table::create()
                    .table(TenderPlans::Table)
                    .col(uuid(TenderPlans::Id).primary_key())
                    .col(uuid(TenderPlans::TenantId))
                    .col(uuid_null(TenderPlans::CollaborationId))
                    .col(string_len(TenderPlans::Name, 200))
                    .col(date(TenderPlans::PeriodStart))
                    .col(date(TenderPlans::PeriodEnd))
                    .col(text_null(TenderPlans::Description))
                    .col(integer(TenderPlans::Version))
                    .col(uuid_null(TenderPlans::CreatedBy))
                    .col(timestamp_with_time_zone(TenderPlans::CreatedAt))
                    .col(timestamp_with_time_zone(TenderPlans::UpdatedAt))
                    .col(timestamp_with_time_zone_null(TenderPlans::ArchivedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_tender_plans_owner")
                    .table(TenderPlans::Table)
                    .col(TenderPlans::CollaborationId)
                    .col(TenderPlans::TenantId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(PlannedTenders::Table)
                    .col(uuid(PlannedTenders::Id).primary_key())
                    // The plan's owner, repeated so that each row carries its
                    // own ownership for the row-level policies.
                    .col(uuid(PlannedTenders::TenantId))
                    .col(uuid_null(PlannedTenders::CollaborationId))
                    .col(uuid(PlannedTenders::PlanId))
                    .col(string_len(PlannedTenders::Subject, 300))
                    .col(text_null(PlannedTenders::Description))
                    .col(string_len_null(PlannedTenders::Category, 100))
                    .col(string_len_null(PlannedTenders::CpvCode, 10))
                    .col(string_len(PlannedTenders::Procedure, 40))
                    .col(string_len_null(PlannedTenders::FrameworkAgreement, 200))
                    .col(string_len(PlannedTenders::ContractKind, 32))
                    .col(uuid(PlannedTenders::LeadTenantId))
                    .col(string_len(PlannedTenders::Status, 16))
                    // [{status, changed_at, changed_by}], oldest first.
                    .col(text(PlannedTenders::StatusHistory))
                    .col(integer(PlannedTenders::TermMonths))
                    .col(integer(PlannedTenders::OptionMonths))
                    .col(boolean(PlannedTenders::AllowsLateJoining))
                    .col(integer(PlannedTenders::EvaluationDays))
                    .col(integer(PlannedTenders::Version))
                    .col(timestamp_with_time_zone(PlannedTenders::CreatedAt))
                    .col(timestamp_with_time_zone(PlannedTenders::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(PlannedTenders::Table, PlannedTenders::PlanId)
                            .to(TenderPlans::Table, TenderPlans::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_planned_tenders_plan")
                    .table(PlannedTenders::Table)
                    .col(PlannedTenders::PlanId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(TenderMilestones::Table)
                    .col(uuid(TenderMilestones::TenderId))
                    .col(string_len(TenderMilestones::Kind, 32))
                    .col(uuid(TenderMilestones::TenantId))
                    .col(uuid_null(TenderMilestones::CollaborationId))
                    .col(date(TenderMilestones::OnDate))
                    .col(boolean(TenderMilestones::Done))
                    .primary_key(
                        Index::create()
                            .col(TenderMilestones::TenderId)
                            .col(TenderMilestones::Kind),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(TenderMilestones::Table, TenderMilestones::TenderId)
                            .to(PlannedTenders::Table, PlannedTenders::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(TenderInvitations::Table)
                    .col(uuid(TenderInvitations::Id).primary_key())
                    .col(uuid(TenderInvitations::TenantId))
                    .col(uuid_null(TenderInvitations::CollaborationId))
                    .col(uuid(TenderInvitations::TenderId))
                    .col(uuid(TenderInvitations::ParticipantTenantId))
                    .col(uuid_null(TenderInvitations::InvitedBy))
                    .col(timestamp_with_time_zone(TenderInvitations::InvitedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(TenderInvitations::Table, TenderInvitations::TenderId)
                            .to(PlannedTenders::Table, PlannedTenders::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_tender_invitations_tender_participant")
                    .table(TenderInvitations::Table)
                    .col(TenderInvitations::TenderId)
                    .col(TenderInvitations::ParticipantTenantId)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(TenderParticipations::Table)
                    .col(uuid(TenderParticipations::Id).primary_key())
                    // The participating municipality: the row is its own.
                    .col(uuid(TenderParticipations::TenantId))
                    .col(uuid(TenderParticipations::TenderId))
                    // The plan's collaboration, whose members read the row.
                    .col(uuid_null(TenderParticipations::CollaborationId))
                    .col(string_len(TenderParticipations::State, 16))
                    .col(money(backend, TenderParticipations::EstimatedValue, true))
                    // JSON: the participant's own replaced contracts as it last stated them: [{id, title, end_date, notice_deadline}].
                    .col(text(TenderParticipations::ReplacedContracts))
                    .col(text_null(TenderParticipations::Reason))
                    .col(timestamp_with_time_zone_null(
                        TenderParticipations::RespondedAt,
                    ))
                    .col(uuid_null(TenderParticipations::RespondedBy))
                    .col(string_len_null(TenderParticipations::RespondedByLabel, 200))
                    .col(integer(TenderParticipations::Version))
                    .col(timestamp_with_time_zone(TenderParticipations::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(TenderParticipations::Table, TenderParticipations::TenderId)
                            .to(PlannedTenders::Table, PlannedTenders::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_tender_participations_tender_tenant")
                    .table(TenderParticipations::Table)
                    .col(TenderParticipations::TenderId)
                    .col(TenderParticipations::TenantId)
                    .unique()
                    .to_owned(),
            )
            .await?;

        // Platform reference data: no municipality owns it.
        manager
            .create_table(
                Table::create()
                    .table(CpvCodes::Table)
                    .col(string_len(CpvCodes::Code, 10).primary_key())
                    .col(string_len(CpvCodes::LabelDa, 400))
                    .col(string_len(CpvCodes::LabelEn, 400))
                    .col(string_len(CpvCodes::SearchText, 900))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Thresholds::Table)
                    .col(string_len(Thresholds::Kind, 32))
                    .col(date(Thresholds::ValidFrom))
                    .col(date(Thresholds::ValidTo))
                    .col(money(backend, Thresholds::Eur, false))
                    .col(money(backend, Thresholds::Dkk, true))
                    .col(timestamp_with_time_zone(Thresholds::UpdatedAt))
                    .primary_key(
                        Index::create()
                            .col(Thresholds::Kind)
                            .col(Thresholds::ValidFrom),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ProcedureTimeLimits::Table)
                    .col(string_len(ProcedureTimeLimits::Procedure, 40).primary_key())
                    .col(integer(ProcedureTimeLimits::MinDaysFromNotice))
                    .col(integer_null(ProcedureTimeLimits::SecondStageDays))
                    .col(integer(ProcedureTimeLimits::StandstillDays))
                    .col(timestamp_with_time_zone(ProcedureTimeLimits::UpdatedAt))
                    .to_owned(),
            )
            .await?;

        // Plain literals: every one reads the same on both databases.
        const SEEDED_AT: &str = "'2026-12-01T00:00:00+00:00'";
        for (kind, from, to, eur, dkk) in THRESHOLDS {
            let dkk = dkk.map_or("NULL".to_owned(), |d| format!("'{d}.00'"));
            db.execute_unprepared(&format!(
                "INSERT INTO thresholds (kind, valid_from, valid_to, eur, dkk, updated_at) \
                 VALUES ('{kind}', '{from}', '{to}', '{eur}.00', {dkk}, {SEEDED_AT})"
            ))
            .await?;
        }
        for (procedure, first, second, standstill) in TIME_LIMITS {
            let second = second.map_or("NULL".to_owned(), |d| d.to_string());
            db.execute_unprepared(&format!(
                "INSERT INTO procedure_time_limits \
                   (procedure, min_days_from_notice, second_stage_days, standstill_days, updated_at) \
                 VALUES ('{procedure}', {first}, {second}, {standstill}, {SEEDED_AT})"
            ))
            .await?;
        }

        for table in [
            "tender_plans",
            "planned_tenders",
            "tender_milestones",
            "tender_invitations",
        ] {
            collaboration_owned_policies(manager, table, None).await?;
        }
        // The participant's own row; the members of the plan's
        // collaboration read it.
        per_command_policies(
            manager,
            "tender_participations",
            Some(
                "(tender_participations.collaboration_id IS NOT NULL \
                  AND samudbud_member_of(tender_participations.collaboration_id))",
            ),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            TenderParticipations::Table.into_iden(),
            TenderInvitations::Table.into_iden(),
            TenderMilestones::Table.into_iden(),
            PlannedTenders::Table.into_iden(),
            TenderPlans::Table.into_iden(),
            CpvCodes::Table.into_iden(),
            Thresholds::Table.into_iden(),
            ProcedureTimeLimits::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum TenderPlans {
    Table,
    Id,
    TenantId,
    CollaborationId,
    Name,
    PeriodStart,
    PeriodEnd,
    Description,
    Version,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
    ArchivedAt,
}

#[derive(DeriveIden)]
enum PlannedTenders {
    Table,
    Id,
    TenantId,
    CollaborationId,
    PlanId,
    Subject,
    Description,
    Category,
    CpvCode,
    Procedure,
    FrameworkAgreement,
    ContractKind,
    LeadTenantId,
    Status,
    StatusHistory,
    TermMonths,
    OptionMonths,
    AllowsLateJoining,
    EvaluationDays,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum TenderMilestones {
    Table,
    TenderId,
    Kind,
    TenantId,
    CollaborationId,
    OnDate,
    Done,
}

#[derive(DeriveIden)]
enum TenderInvitations {
    Table,
    Id,
    TenantId,
    CollaborationId,
    TenderId,
    ParticipantTenantId,
    InvitedBy,
    InvitedAt,
}

#[derive(DeriveIden)]
enum TenderParticipations {
    Table,
    Id,
    TenantId,
    TenderId,
    CollaborationId,
    State,
    EstimatedValue,
    ReplacedContracts,
    Reason,
    RespondedAt,
    RespondedBy,
    RespondedByLabel,
    Version,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum CpvCodes {
    Table,
    Code,
    LabelDa,
    LabelEn,
    SearchText,
}

#[derive(DeriveIden)]
enum Thresholds {
    Table,
    Kind,
    ValidFrom,
    ValidTo,
    Eur,
    Dkk,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ProcedureTimeLimits {
    Table,
    Procedure,
    MinDaysFromNotice,
    SecondStageDays,
    StandstillDays,
    UpdatedAt,
}
