//! A municipality's view version: numbers that move with every committed
//! change of the data its register views can show, counted by the
//! database's triggers (`m20261209_000001_view_versions`). Two reads with
//! the same version, by the same account on the same day, see the same
//! data, so an answer computed once may be given again while the version
//! stands (the server's response cache).
//!
//! The version is read with the account, before anything else the request
//! reads: what the request then reads is at least that new, and a change
//! committed after it moves the version for every later request.

use sea_orm::QueryResult;

use crate::error::DomainResult;

/// The three numbers of a municipality's view version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ViewVersion {
    /// Moves with the municipality's own rows.
    pub own: i64,
    /// The sum of the versions of the municipalities it shares a
    /// collaboration with: moves with what they may share with it.
    pub fellows: i64,
    /// Moves with the rows every municipality sees (suppliers,
    /// municipalities, collaborations and their members, reference data).
    pub shared: i64,
}

impl ViewVersion {
    /// The columns of PostgreSQL's `samudbud_view_version` (as `v`), named
    /// for [`ViewVersion::from_row`].
    pub(crate) const COLUMNS: &'static str =
        "v.own AS view_own, v.fellows AS view_fellows, v.shared AS view_shared";

    /// The same columns on SQLite, which has no function for them (and no
    /// row-level security to read past), for the municipality bound as `$1`.
    pub(crate) const SQLITE_COLUMNS: &'static str = "\
        coalesce((SELECT v.version FROM view_versions v WHERE v.tenant_id = $1), 0) \
          AS view_own, \
        coalesce((SELECT sum(v.version) FROM view_versions v \
          WHERE v.tenant_id IN (SELECT f.tenant_id \
            FROM collaboration_members m \
            JOIN collaboration_members f ON f.collaboration_id = m.collaboration_id \
            WHERE m.tenant_id = $1 AND f.tenant_id <> $1)), 0) AS view_fellows, \
        (SELECT s.version FROM shared_view_version s) AS view_shared";

    pub(crate) fn from_row(row: &QueryResult) -> DomainResult<Self> {
        Ok(Self {
            own: row.try_get("", "view_own")?,
            fellows: row.try_get("", "view_fellows")?,
            shared: row.try_get("", "view_shared")?,
        })
    }
}
