//! The scheduled `deadline.approaching` events: for each enabled endpoint
//! that subscribes to them, one event per contract whose notice deadline is
//! at most the endpoint's `days_before` days away, once per contract,
//! deadline and endpoint (the event's unique key), however often and on
//! however many servers the job runs. A deadline that moves gets an event
//! of its own; a contract archived, terminated or whose deadline is decided
//! gets none.

use chrono::{DateTime, Days, Duration, Utc};
use sea_orm::{ColumnTrait, QueryFilter};

use super::{EventType, insert_delivery, insert_event};
use crate::db::{Db, Scope, all_tenants};
use crate::entities::{contract, webhook_endpoint, webhook_event};
use crate::error::DomainResult;
use crate::jobs;
use crate::principal::TenantId;
use crate::reminders::period::local_date;

/// The job's name in the lease table.
pub const JOB: &str = "webhook-deadlines";

/// Writes the due events as of `now` if this `holder` gets the job's lease;
/// `None` when another server holds it, else how many events were written.
pub async fn create_due(db: &Db, holder: &str, now: DateTime<Utc>) -> DomainResult<Option<usize>> {
    if !jobs::lease_at(db, JOB, holder, Duration::minutes(10), now).await? {
        return Ok(None);
    }
    let created = create(db, now).await;
    jobs::release(db, JOB, holder).await?;
    created.map(Some)
}

async fn create(db: &Db, now: DateTime<Utc>) -> DomainResult<usize> {
    let today = local_date(now);
    let txn = db.write(Scope::System).await?;
    let endpoints: Vec<webhook_endpoint::Model> = all_tenants::<webhook_endpoint::Entity>()
        .filter(webhook_endpoint::Column::Enabled.eq(true))
        .all(&txn)
        .await?
        .into_iter()
        .filter(|e| EventType::parse_list(&e.event_types).contains(&EventType::DeadlineApproaching))
        .collect();
    let mut created = 0;
    for endpoint in endpoints {
        let days = u64::try_from(endpoint.days_before.max(0)).unwrap_or(0);
        let until = today.checked_add_days(Days::new(days)).unwrap_or(today);
        let contracts = all_tenants::<contract::Entity>()
            .filter(contract::Column::TenantId.eq(endpoint.tenant_id))
            .filter(contract::Column::ArchivedAt.is_null())
            .filter(contract::Column::TerminatedOn.is_null())
            .filter(contract::Column::NoticeDeadline.between(today, until))
            .all(&txn)
            .await?;
        for contract in contracts {
            let Some(deadline) = contract.notice_deadline else {
                continue;
            };
            if contract.notice_deadline_handled_on == Some(deadline) {
                continue;
            }
            let key = format!(
                "deadline.approaching:{}:{}:{deadline}",
                endpoint.id, contract.id
            );
            let exists = all_tenants::<webhook_event::Entity>()
                .filter(webhook_event::Column::DedupKey.eq(key.as_str()))
                .one(&txn)
                .await?
                .is_some();
            if exists {
                continue;
            }
            let tenant = TenantId(endpoint.tenant_id);
            let data = serde_json::json!({
                "id": contract.id,
                "title": contract.title,
                "notice_deadline": deadline,
                "days_left": (deadline - today).num_days(),
            });
            let event = insert_event(
                &txn,
                tenant,
                EventType::DeadlineApproaching,
                contract.id,
                &data,
                Some(key),
                now,
            )
            .await?;
            insert_delivery(
                &txn,
                tenant,
                endpoint.id,
                event,
                EventType::DeadlineApproaching,
                contract.id,
                now,
            )
            .await?;
            created += 1;
        }
    }
    txn.commit().await?;
    Ok(created)
}
