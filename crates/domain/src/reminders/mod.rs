//! Reminder digests: each user's choice of how often they get an e-mail
//! with the coming notice deadlines, re-tender starts and tender milestones
//! of their municipality, how far ahead it looks, and the digest itself.
//!
//! A user without a setting gets the role's default: admins and editors a
//! weekly digest, viewers none. The scheduler (`scheduler`) sends digests;
//! the preview shows the one the user would get next, from the same
//! renderer (`digest`).

pub mod digest;
pub mod mailer;
pub mod period;
pub mod scheduler;

use chrono::{DateTime, Days, NaiveDate, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
};
use serde::Serialize;
use uuid::Uuid;

use crate::agenda::Coverage;
use crate::audit::{self, Change};
use crate::db::{Db, scoped, scoped_get};
use crate::entities::{digest_delivery, reminder_setting, tenant, user};
use crate::error::{DomainError, DomainResult};
use crate::policy::{Action, authorize};
use crate::principal::{Principal, Role, TenantId};

pub use digest::{Digest, DigestItem};
pub use period::Frequency;

/// How far ahead a digest looks unless the user chose otherwise.
pub const DEFAULT_HORIZON_DAYS: i32 = 30;
/// The furthest a digest may look ahead.
pub const MAX_HORIZON_DAYS: i32 = 365;

/// The digest a role gets when its user has not chosen.
pub fn role_default(role: Role) -> Frequency {
    match role {
        Role::Admin | Role::Editor => Frequency::Weekly,
        Role::Viewer => Frequency::Off,
    }
}

/// A user's reminder setting as they see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReminderSettings {
    /// The user's own choice; `None`: the role's default.
    pub frequency: Option<Frequency>,
    pub horizon_days: i32,
    /// What applies: the choice, or else the role's default.
    pub effective: Frequency,
    /// When the last digest with content was sent.
    pub last_sent_at: Option<DateTime<Utc>>,
    /// The local date the next digest goes out, unless reminders are off.
    pub next_send_on: Option<NaiveDate>,
    /// Whose contracts the digest follows, as chosen; `None`: the default
    /// (the user's own when they own any, else all the municipality's).
    pub contracts: Option<Coverage>,
    /// What applies to the digest.
    pub effective_contracts: Coverage,
    /// The same choice for the calendar feed.
    pub calendar_contracts: Option<Coverage>,
    pub effective_calendar_contracts: Coverage,
}

impl Serialize for Coverage {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl Serialize for Frequency {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// A change of the setting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReminderChoice {
    /// `None`: back to the role's default.
    pub frequency: Option<Frequency>,
    pub horizon_days: i32,
    /// Whose contracts the digest follows: `None` leaves the choice as it
    /// is, `Some(None)` returns to the default.
    pub contracts: Option<Option<Coverage>>,
    /// The same for the calendar feed.
    pub calendar_contracts: Option<Option<Coverage>>,
}

/// The digest the user would get next, or what they would be told if there
/// were nothing to report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preview {
    pub effective: Frequency,
    pub send_on: Option<NaiveDate>,
    pub from: NaiveDate,
    pub until: NaiveDate,
    /// `None` when there is nothing to report: no mail would be sent.
    pub digest: Option<Digest>,
    pub items: Vec<DigestItem>,
}

/// The user a principal is, for their own settings: people only.
fn own_user(principal: &Principal) -> DomainResult<(Uuid, TenantId, Role)> {
    authorize(principal, Action::ManageOwnReminders)?;
    match principal {
        Principal::User {
            user_id,
            tenant_id,
            role,
            ..
        } => Ok((*user_id, *tenant_id, *role)),
        _ => Err(DomainError::NotFound),
    }
}

pub(crate) fn stored_frequency(row: Option<&reminder_setting::Model>) -> Option<Frequency> {
    row.and_then(|r| r.frequency.as_deref())
        .and_then(Frequency::parse)
}

pub(crate) fn horizon(row: Option<&reminder_setting::Model>) -> i32 {
    row.map_or(DEFAULT_HORIZON_DAYS, |r| r.horizon_days)
}

async fn settings_in<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    user_id: Uuid,
    role: Role,
    today: NaiveDate,
) -> DomainResult<ReminderSettings> {
    let row = scoped::<reminder_setting::Entity>(tenant)
        .filter(reminder_setting::Column::UserId.eq(user_id))
        .one(conn)
        .await?;
    let frequency = stored_frequency(row.as_ref());
    let effective = frequency.unwrap_or_else(|| role_default(role));
    let contracts = row
        .as_ref()
        .and_then(|r| r.contract_scope.as_deref())
        .and_then(Coverage::parse);
    let calendar_contracts = row
        .as_ref()
        .and_then(|r| r.calendar_contract_scope.as_deref())
        .and_then(Coverage::parse);
    let default_contracts = Coverage::resolve(conn, tenant, user_id, None).await?;
    let last_sent_at = scoped::<digest_delivery::Entity>(tenant)
        .filter(digest_delivery::Column::UserId.eq(user_id))
        .filter(digest_delivery::Column::Status.eq(scheduler::SENT))
        .order_by_desc(digest_delivery::Column::SentAt)
        .one(conn)
        .await?
        .and_then(|d| d.sent_at);
    Ok(ReminderSettings {
        frequency,
        horizon_days: horizon(row.as_ref()),
        effective,
        last_sent_at,
        next_send_on: next_send_on(conn, tenant, user_id, effective, today).await?,
        contracts,
        effective_contracts: contracts.unwrap_or(default_contracts),
        calendar_contracts,
        effective_calendar_contracts: calendar_contracts.unwrap_or(default_contracts),
    })
}

/// The next local date a digest goes out: today or the coming Monday,
/// unless that period's digest has been dealt with already.
async fn next_send_on<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    user_id: Uuid,
    frequency: Frequency,
    today: NaiveDate,
) -> DomainResult<Option<NaiveDate>> {
    let Some(first) = period::next_send_on(frequency, today) else {
        return Ok(None);
    };
    let Some(key) = period::period_key(frequency, first) else {
        return Ok(None);
    };
    let handled = scoped::<digest_delivery::Entity>(tenant)
        .filter(digest_delivery::Column::UserId.eq(user_id))
        .filter(digest_delivery::Column::Period.eq(key))
        .one(conn)
        .await?
        .is_some();
    if !handled {
        return Ok(Some(first));
    }
    Ok(first
        .checked_add_days(Days::new(1))
        .and_then(|next| period::next_send_on(frequency, next)))
}

/// The principal's own reminder setting.
pub async fn get_settings(db: &Db, principal: &Principal) -> DomainResult<ReminderSettings> {
    get_settings_at(db, principal, Utc::now()).await
}

pub async fn get_settings_at(
    db: &Db,
    principal: &Principal,
    now: DateTime<Utc>,
) -> DomainResult<ReminderSettings> {
    let (user_id, tenant, role) = own_user(principal)?;
    let txn = db.read(crate::db::Scope::Tenant(tenant)).await?;
    let settings = settings_in(&txn, tenant, user_id, role, period::local_date(now)).await?;
    txn.commit().await?;
    Ok(settings)
}

/// Changes the principal's own reminder setting, with an audit record.
pub async fn update_settings(
    db: &Db,
    principal: &Principal,
    choice: ReminderChoice,
) -> DomainResult<ReminderSettings> {
    let (user_id, tenant, role) = own_user(principal)?;
    if !(1..=MAX_HORIZON_DAYS).contains(&choice.horizon_days) {
        return Err(DomainError::invalid(
            "horizon_days",
            "out_of_range",
            format!("a digest looks between 1 and {MAX_HORIZON_DAYS} days ahead"),
        ));
    }
    let now = Utc::now();
    let txn = db.write(crate::db::Scope::Tenant(tenant)).await?;
    let before = settings_in(&txn, tenant, user_id, role, period::local_date(now)).await?;
    let code = |c: Option<Coverage>| c.map(|c| c.as_str().to_owned());
    let contracts = choice.contracts.unwrap_or(before.contracts);
    let calendar_contracts = choice
        .calendar_contracts
        .unwrap_or(before.calendar_contracts);
    reminder_setting::Entity::insert(reminder_setting::ActiveModel {
        user_id: Set(user_id),
        tenant_id: Set(tenant.0),
        frequency: Set(choice.frequency.map(|f| f.as_str().to_owned())),
        horizon_days: Set(choice.horizon_days),
        contract_scope: Set(code(contracts)),
        calendar_contract_scope: Set(code(calendar_contracts)),
        updated_at: Set(now),
    })
    .on_conflict(
        OnConflict::column(reminder_setting::Column::UserId)
            .update_columns([
                reminder_setting::Column::Frequency,
                reminder_setting::Column::HorizonDays,
                reminder_setting::Column::ContractScope,
                reminder_setting::Column::CalendarContractScope,
                reminder_setting::Column::UpdatedAt,
            ])
            .to_owned(),
    )
    .exec(&txn)
    .await?;
    let after = settings_in(&txn, tenant, user_id, role, period::local_date(now)).await?;
    if audit_view(&before) != audit_view(&after) {
        audit::record(
            &txn,
            principal,
            Some(tenant),
            Change {
                action: "reminders.updated",
                object_kind: "reminder_settings",
                object_id: user_id,
                before: Some(audit_view(&before)),
                after: Some(audit_view(&after)),
            },
        )
        .await?;
    }
    txn.commit().await?;
    Ok(after)
}

fn audit_view(settings: &ReminderSettings) -> serde_json::Value {
    serde_json::json!({
        "frequency": settings.frequency.map(Frequency::as_str),
        "horizon_days": settings.horizon_days,
        "effective": settings.effective.as_str(),
        "contracts": settings.contracts.map(Coverage::as_str),
        "calendar_contracts": settings.calendar_contracts.map(Coverage::as_str),
    })
}

/// The digest the principal would get next, from the same renderer as the
/// mail, covering the dates from today.
pub async fn preview(db: &Db, principal: &Principal, public_url: &str) -> DomainResult<Preview> {
    preview_at(db, principal, public_url, Utc::now()).await
}

pub async fn preview_at(
    db: &Db,
    principal: &Principal,
    public_url: &str,
    now: DateTime<Utc>,
) -> DomainResult<Preview> {
    let (user_id, tenant, role) = own_user(principal)?;
    let today = period::local_date(now);
    let txn = db.read(crate::db::Scope::Tenant(tenant)).await?;
    let settings = settings_in(&txn, tenant, user_id, role, today).await?;
    let me = scoped_get::<user::Entity, _>(&txn, tenant, user_id).await?;
    let municipality = crate::db::platform_by_id::<tenant::Entity, _>(tenant.0)
        .one(&txn)
        .await?
        .ok_or(DomainError::NotFound)?;
    txn.commit().await?;
    let (from, until) = window(today, settings.horizon_days);
    let items = agenda_items(
        db,
        principal,
        from,
        until,
        public_url,
        settings.effective_contracts,
    )
    .await?;
    let digest = digest::render(
        &digest::DigestContext {
            recipient_name: &me.name,
            municipality: &municipality.name,
            frequency: settings.effective,
            today: from,
            until,
            public_url: public_url.trim_end_matches('/'),
        },
        items.clone(),
    );
    Ok(Preview {
        effective: settings.effective,
        send_on: settings.next_send_on,
        from,
        until,
        items: digest.as_ref().map_or(items, |d| d.items.clone()),
        digest,
    })
}

/// The dates a digest written on `today` covers: today and `horizon_days`
/// days ahead.
pub fn window(today: NaiveDate, horizon_days: i32) -> (NaiveDate, NaiveDate) {
    let days = u64::try_from(horizon_days.max(0)).unwrap_or(0);
    (
        today,
        today.checked_add_days(Days::new(days)).unwrap_or(today),
    )
}

/// The agenda of `principal`'s municipality between `from` and `until`
/// (`agenda::upcoming`), as digest items with links into the web app at
/// `public_url`.
pub(crate) async fn agenda_items(
    db: &Db,
    principal: &Principal,
    from: NaiveDate,
    until: NaiveDate,
    public_url: &str,
    coverage: Coverage,
) -> DomainResult<Vec<DigestItem>> {
    let base = public_url.trim_end_matches('/');
    let items = crate::agenda::upcoming(db, principal, from, until, coverage).await?;
    Ok(items
        .into_iter()
        .map(|item| DigestItem {
            kind: item.kind.code(),
            label: item.kind.label_da(),
            date: item.date,
            title: item.subject_title,
            link: format!("{base}{}", item.link_path),
        })
        .collect())
}
