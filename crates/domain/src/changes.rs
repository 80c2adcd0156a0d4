//! The change log behind the integrators' sync feed (`GET /changes`): one
//! entry per change of a municipality's data, written in the change's own
//! transaction and addressed to each municipality whose view of the data
//! changed.
//!
//! Where entries come from:
//! - every audit record ([`from_audit`]): the audit trail already sees each
//!   change of contracts, IT systems, suppliers, collaborations, templates and
//!   tender plans, so its action is mapped to a change kind and action here
//!   instead of at every write;
//! - the share record ([`share_started`], [`share_ended`]): an object shared
//!   with or withdrawn from a collaboration, for the owner and for every
//!   other active member, who learns only the object's kind and id;
//! - memberships ([`membership_started`], [`membership_ended`]): a
//!   municipality that joins a collaboration starts seeing what the other
//!   members shared with it, and one that leaves (or is removed) stops; the
//!   members who stay stop seeing what the one leaving had shared.
//!
//! A change of an object that is shared is also addressed to the members
//! who see it through the share.
//!
//! Order and exactness: entries carry the log's increasing `seq`, and the
//! feed reads a municipality's entries after a cursor's `seq`. A sequence
//! number is drawn when the row is inserted, not when its transaction
//! commits, so on PostgreSQL a lower number could become visible after a
//! higher one had been read — and a reader that moved past it would never
//! see it. To rule that out, a transaction takes a transaction-scoped
//! advisory lock on each municipality it writes entries for before writing
//! them and holds it until it commits: a municipality's entries are then
//! numbered in commit order, and everything below the highest visible
//! number is final. (SQLite runs one write transaction at a time, so there
//! numbers are in commit order anyway.) Transactions that write entries for
//! several municipalities take their locks in one order.
//!
//! Retention: entries are kept [`RETENTION_DAYS`]; a cursor is honoured for
//! [`CURSOR_LIFETIME_DAYS`] after it was issued, so that no entry after it
//! can have been pruned; an older one is `Gone` and the integrator starts
//! again from a full list.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Duration, TimeZone, Utc};
use sea_orm::sea_query::{Expr, Func};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    Set, Statement,
};
use serde::Serialize;
use uuid::Uuid;

use crate::audit::Change;
use crate::db::{Db, Scope, all_tenants_delete, platform, scoped, shares_with};
use crate::entities::{change_log, collaboration_member as member, share};
use crate::error::{DomainError, DomainResult, FieldError};
use crate::policy::{Action, authorize};
use crate::principal::{Principal, TenantId};

/// How long entries are kept.
pub const RETENTION_DAYS: i64 = 35;
/// How long a cursor is honoured after it was issued (less than the
/// retention, by more than any transaction lasts).
pub const CURSOR_LIFETIME_DAYS: i64 = 30;
/// The most entries one feed page holds.
pub const MAX_LIMIT: u64 = 1000;
pub const DEFAULT_LIMIT: u64 = 100;

/// The kinds of objects the feed reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    Contract,
    ItSystem,
    Supplier,
    Collaboration,
    Template,
    TenderPlan,
    PlannedTender,
}

impl ChangeKind {
    pub const ALL: [ChangeKind; 7] = [
        ChangeKind::Contract,
        ChangeKind::ItSystem,
        ChangeKind::Supplier,
        ChangeKind::Collaboration,
        ChangeKind::Template,
        ChangeKind::TenderPlan,
        ChangeKind::PlannedTender,
    ];

    /// The object kind as the audit trail and the share record name it.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Contract => "contract",
            ChangeKind::ItSystem => "it_system",
            ChangeKind::Supplier => "supplier",
            ChangeKind::Collaboration => "collaboration",
            ChangeKind::Template => "template",
            ChangeKind::TenderPlan => "tender_plan",
            ChangeKind::PlannedTender => "planned_tender",
        }
    }

    pub fn parse(kind: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == kind)
    }

    /// Who may read entries of this kind: whoever may read such objects.
    fn read_action(self) -> Action {
        match self {
            ChangeKind::Contract | ChangeKind::ItSystem | ChangeKind::Supplier => {
                Action::ReadContracts
            }
            ChangeKind::Collaboration => Action::ReadCollaborations,
            ChangeKind::Template => Action::ReadTemplates,
            ChangeKind::TenderPlan | ChangeKind::PlannedTender => Action::ReadPlans,
        }
    }
}

/// What happened to the object, as the reading municipality sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeAction {
    Created,
    Updated,
    Archived,
    Restored,
    Deleted,
    /// The object became visible through a share with a collaboration.
    ShareStarted,
    /// The object's share with a collaboration ended (withdrawn, or the
    /// owner or the reader left); it may still be visible through another.
    ShareEnded,
    /// The municipality became an active member of the collaboration.
    Joined,
    /// The municipality is no longer in the collaboration.
    Left,
}

impl ChangeAction {
    pub const ALL: [ChangeAction; 9] = [
        ChangeAction::Created,
        ChangeAction::Updated,
        ChangeAction::Archived,
        ChangeAction::Restored,
        ChangeAction::Deleted,
        ChangeAction::ShareStarted,
        ChangeAction::ShareEnded,
        ChangeAction::Joined,
        ChangeAction::Left,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ChangeAction::Created => "created",
            ChangeAction::Updated => "updated",
            ChangeAction::Archived => "archived",
            ChangeAction::Restored => "restored",
            ChangeAction::Deleted => "deleted",
            ChangeAction::ShareStarted => "share_started",
            ChangeAction::ShareEnded => "share_ended",
            ChangeAction::Joined => "joined",
            ChangeAction::Left => "left",
        }
    }

    pub fn parse(action: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == action)
    }
}

/// The feed entry an audit record of `action` on an object of `object_kind`
/// makes, if any: only municipality data is reported, and shares are
/// reported by the share record itself.
pub fn mapped(object_kind: &str, action: &str) -> Option<(ChangeKind, ChangeAction)> {
    let kind = ChangeKind::parse(object_kind)?;
    let verb = action.rsplit_once('.').map_or(action, |(_, verb)| verb);
    let action = match verb {
        "shared" | "unshared" => return None,
        "created" | "imported" | "registered" | "adopted" | "created_from_opportunity" => {
            ChangeAction::Created
        }
        "archived" => ChangeAction::Archived,
        "restored" => ChangeAction::Restored,
        "deleted" => ChangeAction::Deleted,
        _ => ChangeAction::Updated,
    };
    Some((kind, action))
}

/// One entry to write.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    reader: Uuid,
    kind: ChangeKind,
    object_id: Uuid,
    action: ChangeAction,
    collaboration_id: Option<Uuid>,
}

/// Writes the feed entries of one audit record (see the module's notes).
pub(crate) async fn from_audit<C: ConnectionTrait>(
    conn: &C,
    tenant: Option<TenantId>,
    change: &Change<'_>,
) -> DomainResult<()> {
    let Some(tenant) = tenant else {
        return Ok(());
    };
    let Some((kind, action)) = mapped(change.object_kind, change.action) else {
        return Ok(());
    };
    let mut entries = Vec::new();
    if kind == ChangeKind::Collaboration {
        // Everyone in the collaboration (members and those invited) sees it
        // change; one whose place just ended learns it from its membership entry.
        for m in platform::<member::Entity>()
            .filter(member::Column::CollaborationId.eq(change.object_id))
            .filter(member::Column::Status.is_in(["invited", "active"]))
            .all(conn)
            .await?
        {
            let collaboration = (m.tenant_id != tenant.0).then_some(change.object_id);
            entries.push(entry(
                m.tenant_id,
                kind,
                change.object_id,
                action,
                collaboration,
            ));
        }
    } else {
        entries.extend(owner_and_readers(conn, tenant, kind, change.object_id, action).await?);
    }
    write(conn, entries).await
}

/// The entries of a change of `tenant`'s own object: one for the owner, and
/// (but for a new object, which no share reaches yet) one for each
/// municipality that sees it through a share.
async fn owner_and_readers<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    kind: ChangeKind,
    object_id: Uuid,
    action: ChangeAction,
) -> DomainResult<Vec<Entry>> {
    let mut entries = vec![entry(tenant.0, kind, object_id, action, None)];
    if action != ChangeAction::Created {
        for (reader, collaboration) in readers_through_shares(conn, tenant, kind, object_id).await?
        {
            entries.push(entry(reader, kind, object_id, action, Some(collaboration)));
        }
    }
    Ok(entries)
}

/// Writes the feed entries of contracts whose derived dates or status the
/// daily re-derivation changed: no one's edit, so no audit record, but a
/// new version that the owner and every member who sees them must learn of.
pub(crate) async fn derived_updates<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    contracts: &[Uuid],
) -> DomainResult<()> {
    let mut entries = Vec::new();
    for &id in contracts {
        entries.extend(
            owner_and_readers(
                conn,
                tenant,
                ChangeKind::Contract,
                id,
                ChangeAction::Updated,
            )
            .await?,
        );
    }
    write(conn, entries).await
}

/// Writes the feed entries of many audit records of one municipality at
/// once (a bulk import: new objects, which no share reaches yet).
pub(crate) async fn from_audit_many<C: ConnectionTrait>(
    conn: &C,
    tenant: Option<TenantId>,
    changes: &[Change<'_>],
) -> DomainResult<()> {
    let Some(tenant) = tenant else {
        return Ok(());
    };
    let mut entries = Vec::new();
    for change in changes {
        match mapped(change.object_kind, change.action) {
            Some((ChangeKind::Collaboration, _)) | None => {}
            Some((kind, action)) => {
                entries
                    .extend(owner_and_readers(conn, tenant, kind, change.object_id, action).await?);
            }
        }
    }
    write(conn, entries).await
}

/// `owner` shared an object with a collaboration: the owner and every other
/// active member learn it.
pub(crate) async fn share_started<C: ConnectionTrait>(
    conn: &C,
    owner: TenantId,
    object_kind: &str,
    object_id: Uuid,
    collaboration_id: Uuid,
) -> DomainResult<()> {
    share_event(
        conn,
        owner,
        object_kind,
        object_id,
        collaboration_id,
        ChangeAction::ShareStarted,
    )
    .await
}

/// `owner`'s share of an object with a collaboration ended: the owner and
/// every other active member learn it (the members only the kind and id).
pub(crate) async fn share_ended<C: ConnectionTrait>(
    conn: &C,
    owner: TenantId,
    object_kind: &str,
    object_id: Uuid,
    collaboration_id: Uuid,
) -> DomainResult<()> {
    share_event(
        conn,
        owner,
        object_kind,
        object_id,
        collaboration_id,
        ChangeAction::ShareEnded,
    )
    .await
}

async fn share_event<C: ConnectionTrait>(
    conn: &C,
    owner: TenantId,
    object_kind: &str,
    object_id: Uuid,
    collaboration_id: Uuid,
    action: ChangeAction,
) -> DomainResult<()> {
    let Some(kind) = ChangeKind::parse(object_kind) else {
        return Ok(());
    };
    let mut entries = vec![entry(
        owner.0,
        kind,
        object_id,
        action,
        Some(collaboration_id),
    )];
    for reader in active_members(conn, collaboration_id).await? {
        if reader != owner.0 {
            entries.push(entry(
                reader,
                kind,
                object_id,
                action,
                Some(collaboration_id),
            ));
        }
    }
    write(conn, entries).await
}

/// `tenant` became an active member of `collaboration_id`: it joined, and
/// what the other active members shared with the collaboration became
/// visible to it. Called once its membership is active.
pub(crate) async fn membership_started<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    collaboration_id: Uuid,
) -> DomainResult<()> {
    let mut entries = vec![entry(
        tenant.0,
        ChangeKind::Collaboration,
        collaboration_id,
        ChangeAction::Joined,
        None,
    )];
    let members: HashSet<Uuid> = active_members(conn, collaboration_id).await?;
    for s in shares_with(vec![collaboration_id]).all(conn).await? {
        if s.tenant_id != tenant.0
            && members.contains(&s.tenant_id)
            && let Some(kind) = ChangeKind::parse(&s.object_kind)
        {
            entries.push(entry(
                tenant.0,
                kind,
                s.object_id,
                ChangeAction::ShareStarted,
                Some(collaboration_id),
            ));
        }
    }
    write(conn, entries).await
}

/// `tenant`'s place in `collaboration_id` ended (it left, was removed, or
/// declined): it learns that, and — when it had been an active member
/// (`was_active`) — that the other members' shares ended for it, and the
/// members who stay that its shares ended for them. Called while the
/// membership still stands (so that the shares it saw are still readable)
/// and before its shares are withdrawn.
pub(crate) async fn membership_ended<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    collaboration_id: Uuid,
    was_active: bool,
) -> DomainResult<()> {
    let mut entries = vec![entry(
        tenant.0,
        ChangeKind::Collaboration,
        collaboration_id,
        ChangeAction::Left,
        Some(collaboration_id),
    )];
    if was_active {
        let mut staying: HashSet<Uuid> = active_members(conn, collaboration_id).await?;
        staying.remove(&tenant.0);
        for s in shares_with(vec![collaboration_id]).all(conn).await? {
            let Some(kind) = ChangeKind::parse(&s.object_kind) else {
                continue;
            };
            if s.tenant_id == tenant.0 {
                for reader in &staying {
                    entries.push(entry(
                        *reader,
                        kind,
                        s.object_id,
                        ChangeAction::ShareEnded,
                        Some(collaboration_id),
                    ));
                }
            } else if staying.contains(&s.tenant_id) {
                entries.push(entry(
                    tenant.0,
                    kind,
                    s.object_id,
                    ChangeAction::ShareEnded,
                    Some(collaboration_id),
                ));
            }
        }
    }
    write(conn, entries).await
}

fn entry(
    reader: Uuid,
    kind: ChangeKind,
    object_id: Uuid,
    action: ChangeAction,
    collaboration_id: Option<Uuid>,
) -> Entry {
    Entry {
        reader,
        kind,
        object_id,
        action,
        collaboration_id,
    }
}

async fn active_members<C: ConnectionTrait>(
    conn: &C,
    collaboration_id: Uuid,
) -> DomainResult<HashSet<Uuid>> {
    Ok(platform::<member::Entity>()
        .filter(member::Column::CollaborationId.eq(collaboration_id))
        .filter(member::Column::Status.eq("active"))
        .all(conn)
        .await?
        .into_iter()
        .map(|m| m.tenant_id)
        .collect())
}

/// The other municipalities that see `owner`'s object through a share, each
/// once with a collaboration that shows it to them.
async fn readers_through_shares<C: ConnectionTrait>(
    conn: &C,
    owner: TenantId,
    kind: ChangeKind,
    object_id: Uuid,
) -> DomainResult<Vec<(Uuid, Uuid)>> {
    if !matches!(kind, ChangeKind::Contract | ChangeKind::Template) {
        return Ok(Vec::new());
    }
    let collaborations: Vec<Uuid> = scoped::<share::Entity>(owner)
        .filter(share::Column::ObjectKind.eq(kind.as_str()))
        .filter(share::Column::ObjectId.eq(object_id))
        .all(conn)
        .await?
        .into_iter()
        .map(|s| s.collaboration_id)
        .collect();
    if collaborations.is_empty() {
        return Ok(Vec::new());
    }
    let mut by_collaboration: BTreeMap<Uuid, HashSet<Uuid>> = BTreeMap::new();
    for m in platform::<member::Entity>()
        .filter(member::Column::CollaborationId.is_in(collaborations))
        .filter(member::Column::Status.eq("active"))
        .all(conn)
        .await?
    {
        by_collaboration
            .entry(m.collaboration_id)
            .or_default()
            .insert(m.tenant_id);
    }
    let mut seen = HashSet::new();
    let mut readers = Vec::new();
    for (collaboration, members) in by_collaboration {
        // A share shows the object only while its owner is an active member.
        if !members.contains(&owner.0) {
            continue;
        }
        let mut members: Vec<Uuid> = members.into_iter().collect();
        members.sort();
        for reader in members {
            if reader != owner.0 && seen.insert(reader) {
                readers.push((reader, collaboration));
            }
        }
    }
    Ok(readers)
}

/// Locks the feeds of the entries' readers (see the module's notes) and
/// writes the entries.
async fn write<C: ConnectionTrait>(conn: &C, entries: Vec<Entry>) -> DomainResult<()> {
    if entries.is_empty() {
        return Ok(());
    }
    let readers: BTreeSet<Uuid> = entries.iter().map(|e| e.reader).collect();
    lock_feeds(conn, &readers).await?;
    let now = Utc::now();
    let models: Vec<change_log::ActiveModel> = entries
        .into_iter()
        .map(|e| change_log::ActiveModel {
            tenant_id: Set(e.reader),
            kind: Set(e.kind.as_str().to_owned()),
            object_id: Set(e.object_id),
            action: Set(e.action.as_str().to_owned()),
            collaboration_id: Set(e.collaboration_id),
            changed_at: Set(now),
            ..Default::default()
        })
        .collect();
    for chunk in models.chunks(500) {
        change_log::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(conn)
            .await?;
    }
    Ok(())
}

/// The advisory-lock class of the feeds (the first key of the two-key form).
const FEED_LOCK_CLASS: i32 = 0x5342_4346;

/// Takes, until the transaction ends, the lock on each reader's feed, in
/// one order (PostgreSQL; SQLite's write transactions are one at a time).
async fn lock_feeds<C: ConnectionTrait>(conn: &C, readers: &BTreeSet<Uuid>) -> DomainResult<()> {
    if conn.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    let mut keys: Vec<i32> = readers.iter().map(|r| feed_key(*r)).collect();
    keys.sort_unstable();
    keys.dedup();
    for key in keys {
        conn.execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT pg_advisory_xact_lock($1, $2)",
            [FEED_LOCK_CLASS.into(), key.into()],
        ))
        .await?;
    }
    Ok(())
}

/// A municipality's feed lock key: 32 bits of its id (two municipalities
/// sharing a key only wait for each other a little more).
fn feed_key(tenant: Uuid) -> i32 {
    let b = tenant.as_bytes();
    i32::from_be_bytes([b[12], b[13], b[14], b[15]])
}

/// A position in a municipality's feed, as the integrator holds it: opaque
/// text that encodes the last `seq` read and when the position was issued.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    pub seq: i64,
    pub issued_at: DateTime<Utc>,
}

impl Cursor {
    pub fn encode(&self) -> String {
        URL_SAFE_NO_PAD.encode(format!("c1.{}.{}", self.seq, self.issued_at.timestamp()))
    }

    /// Reads a cursor; anything this server did not issue is refused as
    /// invalid input of `field`.
    pub fn decode(field: &str, text: &str) -> DomainResult<Self> {
        let malformed = || {
            DomainError::Validation(vec![FieldError::new(
                field,
                "malformed",
                "not a cursor this service issued; use next_cursor from an earlier answer",
            )])
        };
        let bytes = URL_SAFE_NO_PAD
            .decode(text.trim().as_bytes())
            .map_err(|_| malformed())?;
        let text = String::from_utf8(bytes).map_err(|_| malformed())?;
        let mut parts = text.split('.');
        let (Some("c1"), Some(seq), Some(issued), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(malformed());
        };
        let seq: i64 = seq.parse().map_err(|_| malformed())?;
        let issued: i64 = issued.parse().map_err(|_| malformed())?;
        let issued_at = Utc
            .timestamp_opt(issued, 0)
            .single()
            .ok_or_else(malformed)?;
        if seq < 0 {
            return Err(malformed());
        }
        Ok(Self { seq, issued_at })
    }
}

/// Where a feed read starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Since {
    /// The oldest entry kept.
    Start,
    /// After everything so far: no entries, only a cursor to read from later.
    Now,
    /// After the cursor's position.
    After(Cursor),
}

/// An entry of the feed as the integrator reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChangeEntry {
    pub kind: ChangeKind,
    pub id: Uuid,
    pub action: ChangeAction,
    pub collaboration_id: Option<Uuid>,
    pub changed_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct ChangeFeed {
    pub items: Vec<ChangeEntry>,
    /// Where the next read starts; the same position when nothing was new.
    pub next_cursor: Cursor,
    /// More entries wait after this page.
    pub has_more: bool,
}

/// What changed in the principal's view of its municipality's data since
/// `since`, oldest first, at most `limit` entries (only of the kinds the
/// principal may read).
pub async fn list_changes(
    db: &Db,
    principal: &Principal,
    since: Since,
    limit: Option<u64>,
) -> DomainResult<ChangeFeed> {
    list_changes_at(db, principal, since, limit, Utc::now()).await
}

/// `list_changes` as of `now`.
pub async fn list_changes_at(
    db: &Db,
    principal: &Principal,
    since: Since,
    limit: Option<u64>,
    now: DateTime<Utc>,
) -> DomainResult<ChangeFeed> {
    let mut tenant = None;
    let mut kinds = Vec::new();
    let mut refusal = None;
    for kind in ChangeKind::ALL {
        match authorize(principal, kind.read_action()) {
            Ok(Scope::Tenant(t)) => {
                tenant = Some(t);
                kinds.push(kind.as_str());
            }
            Ok(Scope::System) => {}
            Err(e) => refusal = refusal.or(Some(e)),
        }
    }
    let Some(tenant) = tenant else {
        return Err(refusal.unwrap_or(DomainError::Forbidden(
            "the change feed belongs to a municipality",
        )));
    };
    let limit = limit.unwrap_or(DEFAULT_LIMIT);
    if limit == 0 || limit > MAX_LIMIT {
        return Err(DomainError::invalid(
            "limit",
            "out_of_range",
            format!("limit must be between 1 and {MAX_LIMIT}"),
        ));
    }
    if let Since::After(cursor) = since {
        if cursor.issued_at > now + Duration::minutes(5) {
            return Err(DomainError::invalid(
                "since",
                "malformed",
                "not a cursor this service issued; use next_cursor from an earlier answer",
            ));
        }
        if cursor.issued_at < now - Duration::days(CURSOR_LIFETIME_DAYS) {
            return Err(DomainError::Gone(format!(
                "the cursor is older than {CURSOR_LIFETIME_DAYS} days and the changes after it \
                 are no longer kept: read the full lists again, taking a new cursor with \
                 since=now before you start"
            )));
        }
    }
    let txn = db.read(Scope::Tenant(tenant)).await?;
    let feed = match since {
        Since::Now => {
            let head: Option<i64> = scoped::<change_log::Entity>(tenant)
                .select_only()
                .expr(Func::max(Expr::col(change_log::Column::Seq)))
                .into_tuple::<Option<i64>>()
                .one(&txn)
                .await?
                .flatten();
            ChangeFeed {
                items: Vec::new(),
                next_cursor: Cursor {
                    seq: head.unwrap_or(0),
                    issued_at: now,
                },
                has_more: false,
            }
        }
        Since::Start | Since::After(_) => {
            let after = match since {
                Since::After(cursor) => cursor.seq,
                _ => 0,
            };
            let mut rows = scoped::<change_log::Entity>(tenant)
                .filter(change_log::Column::Seq.gt(after))
                .filter(change_log::Column::Kind.is_in(kinds))
                .order_by_asc(change_log::Column::Seq)
                .limit(limit + 1)
                .all(&txn)
                .await?;
            let has_more = rows.len() as u64 > limit;
            rows.truncate(limit as usize);
            let last = rows.last().map_or(after, |r| r.seq);
            ChangeFeed {
                items: rows.into_iter().filter_map(ChangeEntry::from_row).collect(),
                next_cursor: Cursor {
                    seq: last,
                    issued_at: now,
                },
                has_more,
            }
        }
    };
    txn.commit().await?;
    Ok(feed)
}

impl ChangeEntry {
    fn from_row(row: change_log::Model) -> Option<Self> {
        Some(Self {
            kind: ChangeKind::parse(&row.kind)?,
            id: row.object_id,
            action: ChangeAction::parse(&row.action)?,
            collaboration_id: row.collaboration_id,
            changed_at: row.changed_at,
        })
    }
}

/// Deletes the entries older than the retention, for every municipality
/// (the platform's periodic work). Returns how many.
pub async fn prune(db: &Db, now: DateTime<Utc>) -> DomainResult<u64> {
    let txn = db.write(Scope::System).await?;
    let deleted = all_tenants_delete::<change_log::Entity>()
        .filter(change_log::Column::ChangedAt.lt(now - Duration::days(RETENTION_DAYS)))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(deleted.rows_affected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn audit_actions_map_to_feed_actions() {
        assert_eq!(
            mapped("contract", "contract.created"),
            Some((ChangeKind::Contract, ChangeAction::Created))
        );
        assert_eq!(
            mapped("contract", "contract.imported"),
            Some((ChangeKind::Contract, ChangeAction::Created))
        );
        assert_eq!(
            mapped("it_system", "it_system.archived"),
            Some((ChangeKind::ItSystem, ChangeAction::Archived))
        );
        assert_eq!(
            mapped("tender_plan", "tender_plan.restored"),
            Some((ChangeKind::TenderPlan, ChangeAction::Restored))
        );
        assert_eq!(
            mapped("contract", "contract.attachment_added"),
            Some((ChangeKind::Contract, ChangeAction::Updated))
        );
        assert_eq!(
            mapped("supplier", "supplier.registered"),
            Some((ChangeKind::Supplier, ChangeAction::Created))
        );
        assert_eq!(mapped("contract", "contract.shared"), None);
        assert_eq!(mapped("template", "template.unshared"), None);
        assert_eq!(mapped("user", "user.created"), None);
        assert_eq!(mapped("saved_view", "view.deleted"), None);
    }

    #[test]
    fn a_cursor_reads_back_and_anything_else_is_refused() {
        let cursor = Cursor {
            seq: 42,
            issued_at: Utc.timestamp_opt(1_790_000_000, 0).unwrap(),
        };
        assert_eq!(Cursor::decode("since", &cursor.encode()).unwrap(), cursor);
        for bad in [
            "",
            "abc",
            "!!!",
            &URL_SAFE_NO_PAD.encode("c1.x.1"),
            &URL_SAFE_NO_PAD.encode("c1.-1.1"),
            &URL_SAFE_NO_PAD.encode("c2.1.1"),
        ] {
            assert!(
                matches!(
                    Cursor::decode("since", bad),
                    Err(DomainError::Validation(_))
                ),
                "{bad}"
            );
        }
    }
}
