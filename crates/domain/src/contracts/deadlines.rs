//! Which deadlines are open: the one definition that Overblik's counts and
//! table, and the contract list's deadline filters, are all built from, so a
//! count on Overblik and the list it links to cannot disagree.

use chrono::{Days, NaiveDate};
use sea_orm::sea_query::{Expr, ExprTrait};
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

    /// The column holding the deadline date a decision handled.
    fn handled_column(self) -> contract::Column {
        match self {
            DeadlineKind::NoticeDeadline => contract::Column::NoticeDeadlineHandledOn,
            DeadlineKind::RetenderStart => contract::Column::RetenderStartHandledOn,
        }
    }

    pub fn date_of(self, c: &contract::Model) -> Option<NaiveDate> {
        match self {
            DeadlineKind::NoticeDeadline => c.notice_deadline,
            DeadlineKind::RetenderStart => c.retender_start,
        }
    }

    /// The deadline's date while it is still to act on: unless a decision
    /// handled that very date (see `contracts::decisions`). When the dates
    /// move, the new deadline is open again. The row-by-row twin of the
    /// handled part of `open_deadline`.
    pub fn open_date_of(self, c: &contract::Model) -> Option<NaiveDate> {
        let handled = match self {
            DeadlineKind::NoticeDeadline => c.notice_deadline_handled_on,
            DeadlineKind::RetenderStart => c.retender_start_handled_on,
        };
        self.date_of(c).filter(|d| handled != Some(*d))
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
/// date falls in the window, no decision handled it, and the contract is
/// still in force (active or
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
    // A decision handled the deadline on exactly this date.
    let handled = kind.handled_column();
    let not_handled = Condition::any()
        .add(handled.is_null())
        .add(Expr::col((contract::Entity, handled)).ne(Expr::col((contract::Entity, date))));
    Condition::all()
        .add(in_window)
        .add(not_handled)
        .add(contract::Column::ArchivedAt.is_null())
        .add(
            Condition::any()
                .add(status_condition("active", today))
                .add(status_condition("not_started", today)),
        )
}
