//! What a municipality decided about a contract's deadlines: notice given
//! (the contract ends on the day its notice terms give), an extension option
//! exercised (the end and the deadlines move), the contract let run this
//! time (the notice deadline is handled), or the next tender started (the
//! re-tender start is handled).
//!
//! Each decision is one versioned write of the contract (`If-Match`) and one
//! `contract_decisions` row holding the dates before and after, in one
//! transaction with the audit record, which carries a Danish summary for
//! the contract's history. A handled deadline stays handled only for the
//! date it had: `deadlines::open_deadline` shows it again once it moves.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, QueryFilter, QueryOrder};
use serde::Serialize;
use uuid::Uuid;

use super::dates::{self, Termination};
use super::rows::{apply_derived, terms_of};
use super::types::{Contract, KIND, today};
use super::views::one_view;
use super::writes::own_contract;
use crate::db::{Db, Scope, as_shared_with_me, scoped};
use crate::entities::{attachment, contract, contract_decision};
use crate::error::{DomainError, DomainResult, FieldError};
use crate::policy::Action;
use crate::principal::{Principal, TenantId};
use crate::systems::tenant_for;
use crate::values::{bounded_date, optional_multiline_text, optional_text};
use crate::versioned::{self, Changes, Trail};

/// What was decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DecisionKind {
    /// Notice was given: the contract ends on the day its terms give.
    NoticeGiven,
    /// One more extension option was exercised.
    OptionExercised,
    /// The contract runs on; no notice this time.
    Continue,
    /// Work on the next tender starts.
    Retender,
}

impl DecisionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DecisionKind::NoticeGiven => "notice_given",
            DecisionKind::OptionExercised => "option_exercised",
            DecisionKind::Continue => "continue",
            DecisionKind::Retender => "retender",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        match code {
            "notice_given" => Some(DecisionKind::NoticeGiven),
            "option_exercised" => Some(DecisionKind::OptionExercised),
            "continue" => Some(DecisionKind::Continue),
            "retender" => Some(DecisionKind::Retender),
            _ => None,
        }
    }
}

/// A decision as the caller gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionInput {
    pub kind: DecisionKind,
    /// The day it was decided (for notice: the day notice was given).
    pub decided_on: NaiveDate,
    /// Who decided: a user of the municipality…
    pub decided_by_user_id: Option<Uuid>,
    /// …or a name. Neither: the person making the request.
    pub decided_by_name: Option<String>,
    /// A journal number or other reference.
    pub reference: Option<String>,
    /// One of the contract's attachments (the letter of notice, say).
    pub attachment_id: Option<Uuid>,
    pub note: Option<String>,
}

/// The contract's dates on one side of a decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct DecisionDates {
    pub terminated_on: Option<NaiveDate>,
    pub options_exercised: u32,
    pub effective_end: Option<NaiveDate>,
    pub notice_deadline: Option<NaiveDate>,
    pub retender_start: Option<NaiveDate>,
}

impl DecisionDates {
    fn of(m: &contract::Model) -> Self {
        Self {
            terminated_on: m.terminated_on,
            options_exercised: m.options_exercised.max(0) as u32,
            effective_end: m.effective_end,
            notice_deadline: m.notice_deadline,
            retender_start: m.retender_start,
        }
    }
}

/// A recorded decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decision {
    pub id: Uuid,
    pub contract_id: Uuid,
    pub kind: DecisionKind,
    pub decided_on: NaiveDate,
    /// Hidden from readers of a shared contract (people of the owner).
    pub decided_by_user_id: Option<Uuid>,
    pub decided_by_name: Option<String>,
    pub reference: Option<String>,
    /// Hidden from readers of a shared contract.
    pub attachment_id: Option<Uuid>,
    pub note: Option<String>,
    pub before: DecisionDates,
    pub after: DecisionDates,
    /// Notice given after the notice deadline.
    pub late: bool,
    /// In Danish, as the history shows it.
    pub summary: String,
    pub created_at: DateTime<Utc>,
}

/// What notice given on a day would lead to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NoticePreview {
    pub given_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub notice_deadline: Option<NaiveDate>,
    pub late: bool,
    /// In Danish: the consequence, and why when the notice is late.
    pub message: String,
}

/// A date as the web app shows it: dd.mm.åååå.
pub fn date_da(day: NaiveDate) -> String {
    day.format("%d.%m.%Y").to_string()
}

fn preview_of(given_on: NaiveDate, t: Termination) -> NoticePreview {
    let mut message = format!("Kontrakten ophører {}.", date_da(t.ends_on));
    if let (true, Some(deadline)) = (t.late, t.notice_deadline) {
        message = format!(
            "Opsigelsen afgives efter opsigelsesfristen {}, så ophøret regnes fra {}: {}",
            date_da(deadline),
            date_da(given_on),
            message
        );
    }
    NoticePreview {
        given_on,
        ends_on: t.ends_on,
        notice_deadline: t.notice_deadline,
        late: t.late,
        message,
    }
}

/// The day contract `id` ends if notice is given on `given_on`, by the
/// contract's own notice terms (`dates::termination`).
pub async fn notice_preview(
    db: &Db,
    principal: &Principal,
    id: Uuid,
    given_on: NaiveDate,
) -> DomainResult<NoticePreview> {
    let tenant = tenant_for(principal, Action::ReadContracts)?;
    bounded_date("given_on", given_on)?;
    let txn = db.read(Scope::Tenant(tenant)).await?;
    let model = super::readable_model(&txn, tenant, id).await?;
    txn.commit().await?;
    if model.terminated_on.is_some() {
        return Err(DomainError::conflict("kontrakten er allerede opsagt"));
    }
    let t = dates::termination(&terms_of(&model), given_on, today());
    Ok(preview_of(given_on, t))
}

fn decision_of(m: contract_decision::Model, shared: bool) -> DomainResult<Decision> {
    let kind = DecisionKind::parse(&m.kind)
        .ok_or_else(|| DomainError::Internal(format!("unknown decision kind {}", m.kind)))?;
    let dates = |value: serde_json::Value| {
        serde_json::from_value::<DecisionDates>(value)
            .map_err(|e| DomainError::Internal(format!("decision dates: {e}")))
    };
    let before = dates(m.before)?;
    let after = dates(m.after)?;
    let late = kind == DecisionKind::NoticeGiven
        && before.notice_deadline.is_some_and(|d| m.decided_on > d);
    let summary = summary(
        kind,
        m.decided_on,
        m.decided_by_name.as_deref(),
        m.reference.as_deref(),
        &before,
        &after,
    );
    Ok(Decision {
        id: m.id,
        contract_id: m.contract_id,
        kind,
        decided_on: m.decided_on,
        decided_by_user_id: m.decided_by_user_id.filter(|_| !shared),
        decided_by_name: m.decided_by_name.filter(|_| !shared),
        reference: m.reference,
        attachment_id: m.attachment_id.filter(|_| !shared),
        note: m.note,
        before,
        after,
        late,
        summary,
        created_at: m.created_at,
    })
}

/// The decision in one Danish sentence, as the history shows it:
/// "Opsigelse afgivet 03.02.2027 af Jens Hansen (j.nr. 2027-123)".
pub fn summary(
    kind: DecisionKind,
    decided_on: NaiveDate,
    by: Option<&str>,
    reference: Option<&str>,
    before: &DecisionDates,
    after: &DecisionDates,
) -> String {
    let by = by.map(|name| format!(" af {name}")).unwrap_or_default();
    let reference = reference
        .map(|r| format!(" (j.nr. {r})"))
        .unwrap_or_default();
    let on = date_da(decided_on);
    let optional = |day: Option<NaiveDate>| day.map(date_da).unwrap_or_else(|| "–".into());
    match kind {
        DecisionKind::NoticeGiven => {
            let mut text = format!("Opsigelse afgivet {on}{by}{reference}");
            if let Some(end) = after.terminated_on {
                text.push_str(&format!(": kontrakten ophører {}", date_da(end)));
            }
            if let Some(deadline) = before.notice_deadline.filter(|d| decided_on > *d) {
                text.push_str(&format!(
                    " (afgivet efter opsigelsesfristen {})",
                    date_da(deadline)
                ));
            }
            text
        }
        DecisionKind::OptionExercised => format!(
            "Option udnyttet: ny slutdato {} (besluttet {on}{by}{reference})",
            optional(after.effective_end)
        ),
        DecisionKind::Continue => format!(
            "Besluttet at lade kontrakten løbe (opsigelsesfrist {}; besluttet {on}{by}{reference})",
            optional(before.notice_deadline)
        ),
        DecisionKind::Retender => format!(
            "Besluttet at genudbyde (genudbud starter {}; besluttet {on}{by}{reference})",
            optional(before.retender_start)
        ),
    }
}

/// The decisions on contract `id`, newest first: the owner's users, and
/// members of a collaboration it is shared with (without who decided or
/// the attachment: those are the owner's).
pub async fn list_decisions(
    db: &Db,
    principal: &Principal,
    id: Uuid,
) -> DomainResult<Vec<Decision>> {
    let tenant = tenant_for(principal, Action::ReadContracts)?;
    let txn = db.read(Scope::Tenant(tenant)).await?;
    let model = super::readable_model(&txn, tenant, id).await?;
    let owner = TenantId(model.tenant_id);
    let rows = if owner == tenant {
        scoped::<contract_decision::Entity>(owner)
    } else {
        as_shared_with_me::<contract_decision::Entity>(owner)
    };
    let found = rows
        .filter(contract_decision::Column::ContractId.eq(id))
        .order_by_desc(contract_decision::Column::CreatedAt)
        .all(&txn)
        .await?;
    txn.commit().await?;
    found
        .into_iter()
        .map(|m| decision_of(m, owner != tenant))
        .collect()
}

/// The contract with the decision that changed it, as the audit record
/// keeps it: the history shows the decision's summary.
#[derive(Debug, Clone, Serialize)]
pub struct DecidedContract {
    #[serde(flatten)]
    pub contract: Contract,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decision: Option<Decision>,
}

/// Who decided, checked: a user of the municipality (named as they are
/// now), or a name; neither means the person asking.
async fn decided_by<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    principal: &Principal,
    input: &DecisionInput,
    errors: &mut Vec<FieldError>,
) -> DomainResult<(Option<Uuid>, Option<String>)> {
    let name = match optional_text("decided_by_name", input.decided_by_name.as_deref(), 200) {
        Ok(name) => name,
        Err(e) => {
            errors.push(e);
            None
        }
    };
    let user_id = match (input.decided_by_user_id, &name, principal) {
        (Some(id), _, _) => Some(id),
        (None, None, Principal::User { user_id, .. }) => Some(*user_id),
        _ => None,
    };
    let Some(user_id) = user_id else {
        return Ok((None, name));
    };
    if input.decided_by_user_id.is_some() && name.is_some() {
        errors.push(FieldError::new(
            "decided_by_name",
            "either_user_or_name",
            "Angiv enten en bruger eller et navn, ikke begge",
        ));
        return Ok((None, name));
    }
    match crate::people::owners(conn, tenant, [user_id])
        .await?
        .remove(&user_id)
    {
        Some(person) => Ok((Some(user_id), Some(person.name))),
        None => {
            errors.push(FieldError::new(
                "decided_by_user_id",
                "unknown_user",
                "Den, der har besluttet, skal være en bruger i kommunen",
            ));
            Ok((None, None))
        }
    }
}

/// Records a decision on contract `id` (the owner's editors and admins),
/// given the contract's version last read (`If-Match`). Returns the decision
/// and the contract as it now is.
pub async fn decide(
    db: &Db,
    principal: &Principal,
    id: Uuid,
    expected_version: Option<i32>,
    input: DecisionInput,
) -> DomainResult<(Decision, Contract)> {
    let tenant = tenant_for(principal, Action::WriteContracts)?;
    let today = today();
    let txn = db.write(Scope::Tenant(tenant)).await?;
    let row = own_contract(&txn, tenant, id).await?;
    // The row's dates as of today (a running contract's move with time).
    let mut before_row = row.clone();
    apply_derived(&mut before_row, today);
    let version = row.version;
    // A stale or missing If-Match is refused before the input is judged.
    crate::error::check_version(version, expected_version)?;

    let mut errors = Vec::new();
    match bounded_date("decided_on", input.decided_on) {
        Err(e) => errors.push(e),
        Ok(day) if day > today => errors.push(FieldError::new(
            "decided_on",
            "in_the_future",
            "Datoen kan ikke ligge efter i dag",
        )),
        Ok(day) if day < row.start_on => errors.push(FieldError::new(
            "decided_on",
            "before_start",
            format!(
                "Datoen kan ikke ligge før kontraktens start ({})",
                date_da(row.start_on)
            ),
        )),
        Ok(_) => {}
    }
    let reference =
        optional_text("reference", input.reference.as_deref(), 200).unwrap_or_else(|e| {
            errors.push(e);
            None
        });
    let note = optional_multiline_text("note", input.note.as_deref(), 4000).unwrap_or_else(|e| {
        errors.push(e);
        None
    });
    let (user_id, name) = decided_by(&txn, tenant, principal, &input, &mut errors).await?;
    if let Some(attachment_id) = input.attachment_id {
        let found = scoped::<attachment::Entity>(tenant)
            .filter(attachment::Column::Id.eq(attachment_id))
            .filter(attachment::Column::ContractId.eq(id))
            .one(&txn)
            .await?;
        if found.is_none() {
            errors.push(FieldError::new(
                "attachment_id",
                "unknown_attachment",
                "Bilaget skal være et af kontraktens bilag",
            ));
        }
    }

    // What the decision changes, as the next row.
    let mut after_row = before_row.clone();
    let refuse =
        |code: &'static str, message: &str| FieldError::new("kind", code, message.to_owned());
    if row.archived_at.is_some() {
        return Err(DomainError::conflict(
            "the contract is archived; restore it first",
        ));
    }
    if row.terminated_on.is_some() {
        errors.push(refuse(
            "terminated",
            "Kontrakten er allerede opsagt; der er ingen frist at tage stilling til",
        ));
    } else {
        match input.kind {
            DecisionKind::NoticeGiven => {
                let t = dates::termination(&terms_of(&before_row), input.decided_on, today);
                after_row.terminated_on = Some(t.ends_on);
                after_row.notice_deadline_handled_on = before_row.notice_deadline;
            }
            DecisionKind::OptionExercised => {
                if row.end_on.is_none() {
                    errors.push(refuse(
                        "no_end_date",
                        "Kontrakten løber, til den opsiges; den har ingen optioner at udnytte",
                    ));
                } else if row.options_exercised >= row.options_total {
                    errors.push(refuse(
                        "no_options_left",
                        "Kontrakten har ingen optioner tilbage at udnytte",
                    ));
                } else {
                    after_row.options_exercised = row.options_exercised + 1;
                }
            }
            DecisionKind::Continue => match before_row.notice_deadline {
                Some(deadline) => after_row.notice_deadline_handled_on = Some(deadline),
                None => errors.push(refuse(
                    "no_notice_deadline",
                    "Kontrakten har ingen opsigelsesfrist at tage stilling til",
                )),
            },
            DecisionKind::Retender => match before_row.retender_start {
                Some(start) => after_row.retender_start_handled_on = Some(start),
                None => errors.push(refuse(
                    "no_retender_start",
                    "Kontrakten har ingen genudbudsstart at tage stilling til",
                )),
            },
        }
    }
    if !errors.is_empty() {
        return Err(DomainError::Validation(errors));
    }
    apply_derived(&mut after_row, today);

    let now = Utc::now();
    let decision_row = contract_decision::Model {
        id: Uuid::new_v4(),
        tenant_id: tenant.0,
        contract_id: id,
        kind: input.kind.as_str().to_owned(),
        decided_on: input.decided_on,
        decided_by_user_id: user_id,
        decided_by_name: name,
        reference,
        attachment_id: input.attachment_id,
        note,
        before: serde_json::to_value(DecisionDates::of(&before_row))
            .map_err(|e| DomainError::Internal(e.to_string()))?,
        after: serde_json::to_value(DecisionDates::of(&after_row))
            .map_err(|e| DomainError::Internal(e.to_string()))?,
        created_at: now,
        created_by: principal.actor_id(),
    };
    let decision = decision_of(decision_row.clone(), false)?;

    // The audited view: the decision goes with the contract it changed.
    let with_decision = decision.clone();
    let view = |m: contract::Model| {
        let decision = (m.version != version).then(|| with_decision.clone());
        let txn = &txn;
        async move {
            Ok(DecidedContract {
                contract: one_view(txn, tenant, m).await?,
                decision,
            })
        }
    };
    let current = versioned::check(row, expected_version, view).await?;
    let changes = Changes::<contract::Entity>::tenant(tenant)
        .set(contract::Column::TerminatedOn, after_row.terminated_on)
        .set(
            contract::Column::OptionsExercised,
            after_row.options_exercised,
        )
        .set(contract::Column::NoticeDeadline, after_row.notice_deadline)
        .set(contract::Column::EffectiveEnd, after_row.effective_end)
        .set(contract::Column::LatestEnd, after_row.latest_end)
        .set(contract::Column::RetenderStart, after_row.retender_start)
        .set(contract::Column::DerivedOn, after_row.derived_on)
        .set(
            contract::Column::NoticeDeadlineHandledOn,
            after_row.notice_deadline_handled_on,
        )
        .set(
            contract::Column::RetenderStartHandledOn,
            after_row.retender_start_handled_on,
        );
    let after = versioned::update(
        &txn,
        principal,
        current,
        changes,
        Trail {
            tenant: Some(tenant),
            kind: KIND,
        },
        &format!("contract.decision_{}", input.kind.as_str()),
    )
    .await?;
    contract_decision::ActiveModel::from(decision_row)
        .insert(&txn)
        .await?;
    txn.commit().await?;
    Ok((decision, after.contract))
}
