//! Participation in a planned tender (tilslutning). The plan's owner
//! invites members of its collaboration; each invited municipality states,
//! with its own editors and admins only, its estimated value and the
//! contracts of its own the tender replaces, and confirms, declines or
//! withdraws with a reason. Its answer is its own row: the coordinator
//! cannot give it.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, QueryFilter, QueryOrder, Set};
use serde::Serialize;
use uuid::Uuid;

use super::model::{MilestoneKind, ParticipationStatus, TenderStatus};
use super::service::{
    Acting, MilestoneEntry, ParticipantView, PlannedTender, ReplacedRef, TENDER_KIND, acting,
    active_member, one_tender, participant_view, readable_plan, readable_tender, record,
    tenant_names, tenant_of, writable_plan,
};
use crate::db::{Db, Scope, owned_readable, scoped, scoped_update};
use crate::entities::money::StoredAmount;
use crate::entities::{
    contract, planned_tender, tender_invitation, tender_milestone, tender_participation,
    tender_plan,
};
use crate::error::{DomainError, DomainResult, FieldError, OnUnique, check_version};
use crate::policy::Action;
use crate::principal::{Principal, TenantId};
use crate::values::optional_multiline_text;

/// Invites `participant` to a planned tender: a member of the plan's
/// collaboration, or for a municipality's own plan, the municipality itself.
pub async fn invite(
    db: &Db,
    principal: &Principal,
    plan_id: Uuid,
    tender_id: Uuid,
    participant: Uuid,
) -> DomainResult<ParticipantView> {
    let tenant = tenant_of(principal, Action::WritePlans)?;
    let txn = db.write(Scope::Tenant(tenant)).await?;
    let acting = acting(&txn, tenant).await?;
    let plan = writable_plan(&txn, &acting, plan_id).await?;
    let (_, tender) = readable_tender(&txn, &acting, plan.id, tender_id).await?;
    let allowed = match plan.collaboration_id {
        None => participant == plan.tenant_id,
        Some(collaboration) => active_member(&txn, collaboration, participant).await?,
    };
    if !allowed {
        return Err(DomainError::invalid(
            "tenant_id",
            "not_member",
            match plan.collaboration_id {
                None => "a municipality's own plan has only the municipality itself as participant",
                Some(_) => "only active members of the plan's collaboration can take part",
            },
        ));
    }
    tender_invitation::ActiveModel {
        id: Set(Uuid::new_v4()),
        tenant_id: Set(tender.tenant_id),
        collaboration_id: Set(tender.collaboration_id),
        tender_id: Set(tender.id),
        participant_tenant_id: Set(participant),
        invited_by: Set(principal.actor_id()),
        invited_at: Set(Utc::now()),
        proposed_value: Set(None),
        proposed_contracts: Set("[]".to_owned()),
    }
    .insert(&txn)
    .await
    .on_unique("tenant_id", "the municipality is invited already")?;
    let view = participant_of(&txn, &acting, &tender, participant).await?;
    record(
        &txn,
        principal,
        tenant,
        "planned_tender.participant_invited",
        TENDER_KIND,
        tender.id,
        None,
        Some(&view),
    )
    .await?;
    txn.commit().await?;
    Ok(view)
}

async fn participant_of<C: ConnectionTrait>(
    conn: &C,
    acting: &Acting,
    tender: &planned_tender::Model,
    participant: Uuid,
) -> DomainResult<ParticipantView> {
    let own = owned_readable::<tender_participation::Entity>(&acting.standing)
        .filter(tender_participation::Column::TenderId.eq(tender.id))
        .filter(tender_participation::Column::TenantId.eq(participant))
        .one(conn)
        .await?;
    let invitation = owned_readable::<tender_invitation::Entity>(&acting.standing)
        .filter(tender_invitation::Column::TenderId.eq(tender.id))
        .filter(tender_invitation::Column::ParticipantTenantId.eq(participant))
        .one(conn)
        .await?;
    let names = tenant_names(conn, HashSet::from([participant])).await?;
    Ok(participant_view(
        acting,
        &names,
        participant,
        own.as_ref(),
        invitation.as_ref(),
    ))
}

/// What a participant may do with its part.
#[derive(Debug, Clone)]
pub enum Answer {
    /// States (or restates) its estimated value and replaced contracts.
    State {
        estimated_value: Option<Decimal>,
        replaced_contract_ids: Vec<Uuid>,
    },
    Confirm,
    Decline {
        reason: String,
    },
    Withdraw {
        reason: String,
    },
}

fn check_value(value: Option<Decimal>) -> Result<(), FieldError> {
    match value {
        Some(v) if v.is_sign_negative() => Err(FieldError::new(
            "estimated_value",
            "out_of_range",
            "must not be negative",
        )),
        Some(v) if v.normalize().scale() > 2 => Err(FieldError::new(
            "estimated_value",
            "invalid",
            "at most two decimals (øre)",
        )),
        Some(v) if v >= Decimal::from(100_000_000_000_000i64) => Err(FieldError::new(
            "estimated_value",
            "out_of_range",
            "must be below 100,000,000,000,000",
        )),
        _ => Ok(()),
    }
}

fn required_reason(reason: &str) -> DomainResult<String> {
    optional_multiline_text("reason", Some(reason), 2_000)?
        .ok_or_else(|| DomainError::invalid("reason", "required", "give the reason"))
}

/// The participant's own answer. Only the participating municipality's
/// editors and admins (or its clients with `plans:write`) give it.
pub async fn answer(
    db: &Db,
    principal: &Principal,
    plan_id: Uuid,
    tender_id: Uuid,
    participant: Uuid,
    expected_version: Option<i32>,
    answer: Answer,
) -> DomainResult<PlannedTender> {
    let tenant = tenant_of(principal, Action::WritePlans)?;
    let txn = db.write(Scope::Tenant(tenant)).await?;
    let acting = acting(&txn, tenant).await?;
    let plan = readable_plan(&txn, &acting, plan_id).await?;
    let (_, tender) = readable_tender(&txn, &acting, plan.id, tender_id).await?;
    let invited = owned_readable::<tender_invitation::Entity>(&acting.standing)
        .filter(tender_invitation::Column::TenderId.eq(tender.id))
        .filter(tender_invitation::Column::ParticipantTenantId.eq(participant))
        .one(&txn)
        .await?
        .is_some();
    if !invited {
        return Err(DomainError::NotFound);
    }
    if participant != tenant.0 {
        return Err(DomainError::Forbidden(
            "only the participating municipality's own users change its participation",
        ));
    }
    let current = scoped::<tender_participation::Entity>(tenant)
        .filter(tender_participation::Column::TenderId.eq(tender.id))
        .one(&txn)
        .await?;
    let current_version = current.as_ref().map_or(0, |c| c.version);
    check_version(current_version, expected_version)?;
    let before = participant_of(&txn, &acting, &tender, participant).await?;
    let state = before.state;
    // Until the first answer, the owner's proposal (if any) stands.
    let mut estimated_value = match &current {
        Some(c) => c.estimated_value.map(|v| v.0),
        None => before.estimated_value,
    };
    let mut replaced = before.replaced_contracts.clone();
    let mut reason = current.as_ref().and_then(|c| c.reason.clone());
    let (new_state, action) = match answer {
        Answer::State {
            estimated_value: value,
            replaced_contract_ids,
        } => {
            if matches!(
                state,
                ParticipationStatus::Declined | ParticipationStatus::Withdrawn
            ) {
                return Err(DomainError::conflict(
                    "the municipality has left this tender; it cannot state a value",
                ));
            }
            let mut errors = Vec::new();
            if let Err(e) = check_value(value) {
                errors.push(e);
            }
            match own_contracts(&txn, tenant, replaced_contract_ids).await? {
                Ok(found) => replaced = found,
                Err(e) => errors.push(e),
            }
            if !errors.is_empty() {
                return Err(DomainError::Validation(errors));
            }
            estimated_value = value;
            (state, "planned_tender.participation_stated")
        }
        Answer::Confirm => {
            if state != ParticipationStatus::Pending {
                return Err(DomainError::conflict(format!(
                    "only a pending participation can be confirmed; it is {}",
                    state.label_da()
                )));
            }
            if estimated_value.is_none() {
                return Err(DomainError::invalid(
                    "estimated_value",
                    "required",
                    "state the estimated value before confirming",
                ));
            }
            (
                ParticipationStatus::Confirmed,
                "planned_tender.participation_confirmed",
            )
        }
        Answer::Decline { reason: why } => {
            let why = required_reason(&why)?;
            if state != ParticipationStatus::Pending {
                return Err(DomainError::conflict(
                    "only a pending participation can be declined; withdraw a confirmed one",
                ));
            }
            reason = Some(why);
            (
                ParticipationStatus::Declined,
                "planned_tender.participation_declined",
            )
        }
        Answer::Withdraw { reason: why } => {
            let why = required_reason(&why)?;
            if state != ParticipationStatus::Confirmed {
                return Err(DomainError::conflict(
                    "only a confirmed participation can be withdrawn; decline a pending one",
                ));
            }
            reason = Some(why);
            (
                ParticipationStatus::Withdrawn,
                "planned_tender.participation_withdrawn",
            )
        }
    };
    let now = Utc::now();
    let responded = new_state != state;
    let replaced_json = serde_json::to_string(&replaced).unwrap_or_else(|_| "[]".into());
    match current {
        None => {
            tender_participation::ActiveModel {
                id: Set(Uuid::new_v4()),
                tenant_id: Set(tenant.0),
                tender_id: Set(tender.id),
                collaboration_id: Set(tender.collaboration_id),
                state: Set(new_state.as_str().to_owned()),
                estimated_value: Set(estimated_value.map(|v| StoredAmount(v.round_dp(2)))),
                replaced_contracts: Set(replaced_json),
                reason: Set(reason),
                responded_at: Set(responded.then_some(now)),
                responded_by: Set(responded.then(|| principal.actor_id()).flatten()),
                responded_by_label: Set(responded.then(|| principal.actor_label())),
                version: Set(1),
                updated_at: Set(now),
            }
            .insert(&txn)
            .await?;
        }
        Some(current) => {
            let mut update = scoped_update::<tender_participation::Entity>(tenant)
                .col_expr(
                    tender_participation::Column::State,
                    Expr::value(new_state.as_str()),
                )
                .col_expr(
                    tender_participation::Column::EstimatedValue,
                    Expr::value(estimated_value.map(|v| StoredAmount(v.round_dp(2)))),
                )
                .col_expr(
                    tender_participation::Column::ReplacedContracts,
                    Expr::value(replaced_json),
                )
                .col_expr(tender_participation::Column::Reason, Expr::value(reason))
                .col_expr(
                    tender_participation::Column::Version,
                    Expr::value(current.version + 1),
                )
                .col_expr(tender_participation::Column::UpdatedAt, Expr::value(now));
            if responded {
                update = update
                    .col_expr(tender_participation::Column::RespondedAt, Expr::value(now))
                    .col_expr(
                        tender_participation::Column::RespondedBy,
                        Expr::value(principal.actor_id()),
                    )
                    .col_expr(
                        tender_participation::Column::RespondedByLabel,
                        Expr::value(principal.actor_label()),
                    );
            }
            let updated = update
                .filter(tender_participation::Column::Id.eq(current.id))
                .filter(tender_participation::Column::Version.eq(current.version))
                .exec(&txn)
                .await?;
            if updated.rows_affected != 1 {
                return Err(DomainError::PreconditionFailed);
            }
        }
    }
    let after = participant_of(&txn, &acting, &tender, participant).await?;
    record(
        &txn,
        principal,
        tenant,
        action,
        TENDER_KIND,
        tender.id,
        Some(&before),
        Some(&after),
    )
    .await?;
    let view = one_tender(&txn, &acting, &plan, tender.id).await?;
    txn.commit().await?;
    Ok(view)
}

/// The municipality's own contracts among `ids`, as replaced contracts;
/// a field error when any is not its own.
async fn own_contracts<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    mut ids: Vec<Uuid>,
) -> DomainResult<Result<Vec<ReplacedRef>, FieldError>> {
    ids.sort();
    ids.dedup();
    if ids.len() > 100 {
        return Ok(Err(FieldError::new(
            "replaced_contract_ids",
            "too_long",
            "at most 100 contracts",
        )));
    }
    if ids.is_empty() {
        return Ok(Ok(Vec::new()));
    }
    let found: HashMap<Uuid, contract::Model> = scoped::<contract::Entity>(tenant)
        .filter(contract::Column::Id.is_in(ids.clone()))
        .filter(contract::Column::ArchivedAt.is_null())
        .all(conn)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    if ids.iter().any(|id| !found.contains_key(id)) {
        return Ok(Err(FieldError::new(
            "replaced_contract_ids",
            "unknown",
            "only the municipality's own contracts in its register can be replaced",
        )));
    }
    let mut replaced: Vec<ReplacedRef> = found
        .into_values()
        .map(|c| ReplacedRef {
            id: c.id,
            title: c.title,
            end_date: c.latest_end,
            notice_deadline: c.notice_deadline,
        })
        .collect();
    replaced.sort_by(|a, b| a.title.cmp(&b.title).then(a.id.cmp(&b.id)));
    Ok(Ok(replaced))
}

/// One of the municipality's participations, across the plans it reads.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Commitment {
    pub plan_id: Uuid,
    pub plan_name: String,
    pub tender_id: Uuid,
    pub subject: String,
    pub tender_status: TenderStatus,
    pub state: ParticipationStatus,
    pub estimated_value: Option<Decimal>,
    pub replaced_contracts: Vec<ReplacedRef>,
    /// The first milestone not done, if any.
    pub next_milestone: Option<MilestoneEntry>,
    pub version: i32,
    pub responded_at: Option<DateTime<Utc>>,
}

/// "My commitments": the caller's municipality's participations in the
/// planned tenders of every plan it reads, by next milestone.
pub async fn commitments(db: &Db, principal: &Principal) -> DomainResult<Vec<Commitment>> {
    let tenant = tenant_of(principal, Action::ReadPlans)?;
    let txn = db.read(Scope::Tenant(tenant)).await?;
    let acting = acting(&txn, tenant).await?;
    let invitations = owned_readable::<tender_invitation::Entity>(&acting.standing)
        .filter(tender_invitation::Column::ParticipantTenantId.eq(tenant.0))
        .all(&txn)
        .await?;
    let tender_ids: Vec<Uuid> = invitations.iter().map(|i| i.tender_id).collect();
    let tenders = owned_readable::<planned_tender::Entity>(&acting.standing)
        .filter(planned_tender::Column::Id.is_in(tender_ids.clone()))
        .all(&txn)
        .await?;
    let plan_ids: Vec<Uuid> = tenders.iter().map(|t| t.plan_id).collect();
    let plans: HashMap<Uuid, tender_plan::Model> =
        owned_readable::<tender_plan::Entity>(&acting.standing)
            .filter(tender_plan::Column::Id.is_in(plan_ids))
            .filter(tender_plan::Column::ArchivedAt.is_null())
            .all(&txn)
            .await?
            .into_iter()
            .map(|p| (p.id, p))
            .collect();
    let own: HashMap<Uuid, tender_participation::Model> =
        scoped::<tender_participation::Entity>(tenant)
            .filter(tender_participation::Column::TenderId.is_in(tender_ids.clone()))
            .all(&txn)
            .await?
            .into_iter()
            .map(|p| (p.tender_id, p))
            .collect();
    let milestones = owned_readable::<tender_milestone::Entity>(&acting.standing)
        .filter(tender_milestone::Column::TenderId.is_in(tender_ids))
        .order_by_asc(tender_milestone::Column::OnDate)
        .all(&txn)
        .await?;
    let names = HashMap::new();
    let mut found = Vec::new();
    for tender in tenders {
        let Some(plan) = plans.get(&tender.plan_id) else {
            continue;
        };
        let invitation = invitations.iter().find(|i| i.tender_id == tender.id);
        let view = participant_view(&acting, &names, tenant.0, own.get(&tender.id), invitation);
        let next_milestone = milestones
            .iter()
            .filter(|m| m.tender_id == tender.id && !m.done)
            .find_map(|m| {
                Some(MilestoneEntry {
                    kind: MilestoneKind::parse(&m.kind)?,
                    date: m.on_date,
                    done: m.done,
                })
            });
        found.push(Commitment {
            plan_id: plan.id,
            plan_name: plan.name.clone(),
            tender_id: tender.id,
            subject: tender.subject.clone(),
            tender_status: TenderStatus::parse(&tender.status).unwrap_or(TenderStatus::Idea),
            state: view.state,
            estimated_value: view.estimated_value,
            replaced_contracts: view.replaced_contracts,
            next_milestone,
            version: view.version,
            responded_at: view.responded_at,
        });
    }
    txn.commit().await?;
    let far = NaiveDate::MAX;
    found.sort_by(|a, b| {
        let date = |c: &Commitment| c.next_milestone.as_ref().map_or(far, |m| m.date);
        date(a)
            .cmp(&date(b))
            .then(a.subject.cmp(&b.subject))
            .then(a.tender_id.cmp(&b.tender_id))
    });
    Ok(found)
}
