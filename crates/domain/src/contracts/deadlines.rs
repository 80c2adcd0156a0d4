//! Which deadlines are open: the one definition that Overblik's counts and
//! table, and the contract list's deadline filters, are all built from, so a
//! count on Overblik and the list it links to cannot disagree.

use chrono::{Days, NaiveDate};
use sea_orm::{ColumnTrait, Condition};
use serde::Serialize;

use super::query::status_condition;
use crate::entities::contract;

/// Which date a deadline is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineKind {
    /// The last day to give notice.
    NoticeDeadline,
    /// The day work on the next tender must begin.
    RetenderStart,
}

impl DeadlineKind {
    pub const ALL: [DeadlineKind; 2] = [DeadlineKind::NoticeDeadline, DeadlineKind::RetenderStart];

    pub(crate) fn column(self) -> contract::Column {
        match self {
            DeadlineKind::NoticeDeadline => contract::Column::NoticeDeadline,
            DeadlineKind::RetenderStart => contract::Column::RetenderStart,
        }
    }

    pub fn date_of(self, c: &contract::Model) -> Option<NaiveDate> {
        match self {
            DeadlineKind::NoticeDeadline => c.notice_deadline,
            DeadlineKind::RetenderStart => c.retender_start,
        }
    }
}

/// When a deadline falls, seen from today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Window {
    /// Already passed.
    Overdue,
    /// From today to this many days ahead, both included.
    Within(u32),
    /// Passed, or from today to this many days ahead: what Overblik's table shows.
    OverdueOrWithin(u32),
}

/// The last day of a window of `days` from `today` (capped at 100 years).
pub fn window_end(today: NaiveDate, days: u32) -> NaiveDate {
    today
        .checked_add_days(Days::new(u64::from(Ord::min(days, 36_500))))
        .unwrap_or(NaiveDate::MAX)
}

/// The contracts with an open deadline of `kind` in `window` on `today`: the
/// date falls in the window, and the contract is still in force (active or
/// not started yet — not a draft, expired, terminated or archived).
pub fn open_deadline(kind: DeadlineKind, window: Window, today: NaiveDate) -> Condition {
    let date = kind.column();
    let in_window = match window {
        Window::Overdue => Condition::all().add(date.lt(today)),
        Window::Within(days) => Condition::all()
            .add(date.gte(today))
            .add(date.lte(window_end(today, days))),
        Window::OverdueOrWithin(days) => Condition::all()
            .add(date.is_not_null())
            .add(date.lte(window_end(today, days))),
    };
    Condition::all()
        .add(in_window)
        .add(contract::Column::ArchivedAt.is_null())
        .add(
            Condition::any()
                .add(status_condition("active", today))
                .add(status_condition("not_started", today)),
        )
}
