//! Pages of a list: page number and size in, items and total out; or, for
//! integrators' sync, pages in order of last change from a cursor
//! ([`ChangeRead`]), the same for every list.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, FromQueryResult, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, QueryTrait, Select,
};

use crate::error::{DomainError, DomainResult, FieldError};
use crate::values::bounded_time;

pub const DEFAULT_PAGE_SIZE: u64 = 50;
pub const MAX_PAGE_SIZE: u64 = 200;
/// The highest page number: far beyond any register, and small enough that
/// the offset (at most 200 million rows) fits every database's integer.
pub const MAX_PAGE: u64 = 1_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    /// 1-based.
    pub page: u64,
    pub page_size: u64,
}

impl PageRequest {
    pub fn new(page: Option<u64>, page_size: Option<u64>) -> Result<Self, DomainError> {
        let mut errors = Vec::new();
        let page = page.unwrap_or(1);
        if page == 0 || page > MAX_PAGE {
            errors.push(FieldError::new(
                "page",
                "out_of_range",
                format!("page must be between 1 and {MAX_PAGE}"),
            ));
        }
        let page_size = page_size.unwrap_or(DEFAULT_PAGE_SIZE);
        if page_size == 0 || page_size > MAX_PAGE_SIZE {
            errors.push(FieldError::new(
                "page_size",
                "out_of_range",
                format!("page_size must be between 1 and {MAX_PAGE_SIZE}"),
            ));
        }
        if errors.is_empty() {
            Ok(Self { page, page_size })
        } else {
            Err(DomainError::Validation(errors))
        }
    }

    pub fn offset(&self) -> u64 {
        (self.page - 1).saturating_mul(self.page_size)
    }
}

#[derive(Debug, Clone)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: u64,
    pub page: u64,
    pub page_size: u64,
    /// Read in order of last change: where the next page starts.
    pub next_cursor: Option<ChangeCursor>,
}

impl<T> Page<T> {
    /// The same page with `items` in place of its own (built from them,
    /// one for one).
    pub fn with_items<U>(self, items: Vec<U>) -> Page<U> {
        Page {
            items,
            total: self.total,
            page: self.page,
            page_size: self.page_size,
            next_cursor: self.next_cursor,
        }
    }

    /// The same page with each item converted.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            total: self.total,
            page: self.page,
            page_size: self.page_size,
            next_cursor: self.next_cursor,
        }
    }
}

/// Runs `query` for one page: its items, converted, and the total count.
pub async fn fetch_page<E, C, T>(
    conn: &C,
    query: Select<E>,
    page: PageRequest,
) -> DomainResult<Page<T>>
where
    E: EntityTrait,
    E::Model: FromQueryResult + Sized + Send + Sync,
    C: ConnectionTrait,
    T: From<E::Model>,
{
    let total = count(conn, query.clone()).await?;
    let items = page_of(conn, query, page).await?;
    Ok(Page {
        items,
        total,
        page: page.page,
        page_size: page.page_size,
        next_cursor: None,
    })
}

/// How many rows `query` matches. Counted without its order and columns:
/// a sorted subquery cannot be folded into the count, so the database would
/// otherwise read and sort every matching row with all its columns first.
pub async fn count<E, C>(conn: &C, mut query: Select<E>) -> DomainResult<u64>
where
    E: EntityTrait,
    E::Model: FromQueryResult + Sized + Send + Sync,
    C: ConnectionTrait,
{
    QueryTrait::query(&mut query).clear_order_by();
    Ok(query.select_only().expr(Expr::value(1)).count(conn).await?)
}

/// The items of one page of `query`, converted.
pub async fn page_of<E, C, T>(conn: &C, query: Select<E>, page: PageRequest) -> DomainResult<Vec<T>>
where
    E: EntityTrait,
    E::Model: FromQueryResult + Sized + Send + Sync,
    C: ConnectionTrait,
    T: From<E::Model>,
{
    Ok(query
        .offset(page.offset())
        .limit(page.page_size)
        .all(conn)
        .await?
        .into_iter()
        .map(T::from)
        .collect())
}

/// A parsed `sort` parameter: a field name, optionally prefixed with `-` for
/// descending order. `allowed` lists the fields the list can sort by.
pub fn parse_sort<'a>(
    input: Option<&str>,
    allowed: &[&'a str],
    default: &'a str,
) -> Result<(&'a str, bool), DomainError> {
    let Some(raw) = input.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok((default, false));
    };
    let (name, descending) = match raw.strip_prefix('-') {
        Some(rest) => (rest, true),
        None => (raw, false),
    };
    allowed
        .iter()
        .find(|allowed| **allowed == name)
        .map(|field| (*field, descending))
        .ok_or_else(|| {
            DomainError::invalid(
                "sort",
                "invalid",
                format!(
                    "sort by one of: {} (prefix - for descending)",
                    allowed.join(", ")
                ),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_requests_are_bounded() {
        assert_eq!(
            PageRequest::new(None, None).map(|p| p.offset()).ok(),
            Some(0)
        );
        assert_eq!(
            PageRequest::new(Some(3), Some(20)).map(|p| p.offset()).ok(),
            Some(40)
        );
        assert!(PageRequest::new(Some(0), None).is_err());
        assert!(PageRequest::new(Some(MAX_PAGE), Some(MAX_PAGE_SIZE)).is_ok());
        assert!(PageRequest::new(Some(MAX_PAGE + 1), None).is_err());
        assert!(PageRequest::new(Some(1_000_000_000_000_000_000), Some(200)).is_err());
        assert!(PageRequest::new(None, Some(201)).is_err());
        assert!(PageRequest::new(None, Some(0)).is_err());
    }

    #[test]
    fn sort_accepts_listed_fields_with_direction() {
        let allowed = ["name", "email"];
        assert_eq!(
            parse_sort(None, &allowed, "name").ok(),
            Some(("name", false))
        );
        assert_eq!(
            parse_sort(Some("-email"), &allowed, "name").ok(),
            Some(("email", true))
        );
        assert!(parse_sort(Some("password_hash"), &allowed, "name").is_err());
    }
}

/// A position in a list read in order of last change, by (`updated_at`,
/// `id`): the next page starts after the last row read, so that rows
/// changed at the same moment are neither skipped nor repeated at a page
/// boundary. Integrators hold it as opaque text.
// Ordered as the list is: by `updated_at`, then by `id`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct ChangeCursor {
    pub updated_at: chrono::DateTime<chrono::Utc>,
    pub id: uuid::Uuid,
}

impl ChangeCursor {
    pub fn encode(&self) -> String {
        use base64::Engine;
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!(
            "l1.{}.{}.{}",
            self.updated_at.timestamp(),
            self.updated_at.timestamp_subsec_nanos(),
            self.id.simple()
        ))
    }

    /// Reads a cursor; anything this server did not issue is refused as
    /// invalid input of `field`.
    pub fn decode(field: &str, text: &str) -> Result<Self, DomainError> {
        use base64::Engine;
        let malformed = || {
            DomainError::Validation(vec![FieldError::new(
                field,
                "malformed",
                "not a cursor this service issued; use next_cursor from an earlier answer",
            )])
        };
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(text.trim().as_bytes())
            .map_err(|_| malformed())?;
        let text = String::from_utf8(bytes).map_err(|_| malformed())?;
        let mut parts = text.split('.');
        let (Some("l1"), Some(secs), Some(nanos), Some(id), None) = (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
        ) else {
            return Err(malformed());
        };
        let secs: i64 = secs.parse().map_err(|_| malformed())?;
        let nanos: u32 = nanos.parse().map_err(|_| malformed())?;
        let updated_at = chrono::DateTime::from_timestamp(secs, nanos).ok_or_else(malformed)?;
        let id = uuid::Uuid::try_parse(id).map_err(|_| malformed())?;
        Ok(Self { updated_at, id })
    }
}

/// Something a list can hold in order of last change: its position there.
pub trait Changed {
    fn position(&self) -> ChangeCursor;
}

/// An entity whose lists can be read in order of last change: the columns
/// of its position.
pub trait ChangeTracked: EntityTrait {
    fn updated_at() -> Self::Column;
    fn id() -> Self::Column;
}

macro_rules! change_tracked {
    ($($entity:ident),* $(,)?) => {$(
        impl ChangeTracked for crate::entities::$entity::Entity {
            fn updated_at() -> Self::Column {
                crate::entities::$entity::Column::UpdatedAt
            }
            fn id() -> Self::Column {
                crate::entities::$entity::Column::Id
            }
        }

        impl Changed for crate::entities::$entity::Model {
            fn position(&self) -> ChangeCursor {
                ChangeCursor {
                    updated_at: self.updated_at,
                    id: self.id,
                }
            }
        }
    )*};
}

change_tracked!(
    contract,
    it_system,
    supplier,
    template,
    tender_plan,
    collaboration
);

/// A list read in order of last change, for integrators' sync: the rows
/// changed at or after `since`, from just after the cursor `after` on (from
/// the start, by page number, without one). Every list that offers
/// `changed_since` and `cursor` reads through this, from the database or
/// from a list already assembled in memory, with the same answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ChangeRead {
    pub since: Option<DateTime<Utc>>,
    pub after: Option<ChangeCursor>,
}

impl ChangeRead {
    /// Reads a list's `changed_since`, `cursor` and `sort` parameters:
    /// `None` when neither of the first two is given (the list keeps its
    /// own order and pages). Both read in order of last change, so any
    /// other `sort` with them is refused rather than silently dropped: a
    /// cursor is a position in that order and in no other.
    pub fn from_params(
        changed_since: Option<DateTime<Utc>>,
        cursor: Option<&str>,
        sort: Option<&str>,
    ) -> Result<Option<Self>, DomainError> {
        let mut errors = Vec::new();
        let since = match changed_since.map(|t| bounded_time("changed_since", t)) {
            Some(Err(e)) => {
                errors.push(e);
                None
            }
            other => other.and_then(Result::ok),
        };
        let after = match cursor.map(|c| ChangeCursor::decode("cursor", c)) {
            Some(Err(DomainError::Validation(mut found))) => {
                errors.append(&mut found);
                None
            }
            Some(Err(other)) => return Err(other),
            Some(Ok(after)) => Some(after),
            None => None,
        };
        let by_change = changed_since.is_some() || cursor.is_some();
        if by_change
            && sort
                .map(str::trim)
                .is_some_and(|s| !s.is_empty() && s != "updated_at")
        {
            errors.push(FieldError::new(
                "sort",
                "conflict",
                "changed_since and cursor read in order of last change (updated_at, then id); \
                 leave sort out or send sort=updated_at",
            ));
        }
        if !errors.is_empty() {
            return Err(DomainError::Validation(errors));
        }
        Ok(by_change.then_some(Self { since, after }))
    }

    /// `query` narrowed to the rows changed since `since` and after the
    /// cursor, in order of last change (its own order dropped).
    pub fn select<E: ChangeTracked>(&self, mut query: Select<E>) -> Select<E> {
        QueryTrait::query(&mut query).clear_order_by();
        if let Some(since) = self.since {
            query = query.filter(E::updated_at().gte(since));
        }
        if let Some(after) = self.after {
            query = query.filter(
                Condition::any()
                    .add(E::updated_at().gt(after.updated_at))
                    .add(
                        Condition::all()
                            .add(E::updated_at().eq(after.updated_at))
                            .add(E::id().gt(after.id)),
                    ),
            );
        }
        query.order_by_asc(E::updated_at()).order_by_asc(E::id())
    }

    /// One page of `query` in order of last change, with where the next
    /// page starts; `total` counts every row changed since `since`, before
    /// and after the cursor alike.
    pub async fn fetch<E, C>(
        &self,
        conn: &C,
        query: Select<E>,
        page: PageRequest,
    ) -> DomainResult<Page<E::Model>>
    where
        E: ChangeTracked,
        E::Model: FromQueryResult + Changed + Sized + Send + Sync,
        C: ConnectionTrait,
    {
        let everything = Self {
            after: None,
            ..*self
        };
        let total = count(conn, everything.select(query.clone())).await?;
        let (items, next_cursor) = self.rows(conn, query, page).await?;
        Ok(self.page(items, total, page, next_cursor))
    }

    /// The rows of one page of `query` in order of last change, and where
    /// the next page starts: after the last of them, or where this one did
    /// when there is none. With a cursor, `page` counts for its size only.
    pub async fn rows<E, C>(
        &self,
        conn: &C,
        query: Select<E>,
        page: PageRequest,
    ) -> DomainResult<(Vec<E::Model>, Option<ChangeCursor>)>
    where
        E: ChangeTracked,
        E::Model: FromQueryResult + Changed + Sized + Send + Sync,
        C: ConnectionTrait,
    {
        let mut query = self.select(query).limit(page.page_size);
        if self.after.is_none() {
            query = query.offset(page.offset());
        }
        let rows = query.all(conn).await?;
        let next = rows.last().map(Changed::position).or(self.after);
        Ok((rows, next))
    }

    /// The same page as [`Self::fetch`] of a list already assembled in
    /// memory (one whose rows are put together from several sources).
    pub fn page_of<T: Changed>(&self, items: Vec<T>, page: PageRequest) -> Page<T> {
        let mut items: Vec<(ChangeCursor, T)> = items
            .into_iter()
            .map(|item| (item.position(), item))
            .filter(|(at, _)| self.since.is_none_or(|since| at.updated_at >= since))
            .collect();
        items.sort_by_key(|(at, _)| *at);
        let total = items.len() as u64;
        let skip = match self.after {
            Some(_) => 0,
            None => usize::try_from(page.offset()).unwrap_or(usize::MAX),
        };
        let items: Vec<(ChangeCursor, T)> = items
            .into_iter()
            .filter(|(at, _)| self.after.is_none_or(|after| *at > after))
            .skip(skip)
            .take(usize::try_from(page.page_size).unwrap_or(usize::MAX))
            .collect();
        let next = items.last().map(|(at, _)| *at).or(self.after);
        let items = items.into_iter().map(|(_, item)| item).collect();
        self.page(items, total, page, next)
    }

    fn page<T>(
        &self,
        items: Vec<T>,
        total: u64,
        page: PageRequest,
        next_cursor: Option<ChangeCursor>,
    ) -> Page<T> {
        Page {
            items,
            total,
            // A cursor, not a number, says where the page starts.
            page: if self.after.is_some() { 1 } else { page.page },
            page_size: page.page_size,
            next_cursor,
        }
    }
}

#[cfg(test)]
mod change_cursor_tests {
    use super::*;

    #[test]
    fn a_change_cursor_reads_back_to_the_nanosecond() {
        let cursor = ChangeCursor {
            updated_at: chrono::DateTime::from_timestamp(1_790_000_000, 123_456_789).unwrap(),
            id: uuid::Uuid::new_v4(),
        };
        assert_eq!(
            ChangeCursor::decode("cursor", &cursor.encode()).unwrap(),
            cursor
        );
        for bad in ["", "l1", "bDEuMS4yLng", "%%%"] {
            assert!(ChangeCursor::decode("cursor", bad).is_err(), "{bad}");
        }
    }

    struct Row(ChangeCursor);

    impl Changed for Row {
        fn position(&self) -> ChangeCursor {
            self.0
        }
    }

    #[test]
    fn a_list_in_memory_pages_by_change_without_skipping_or_repeating() {
        let moment = chrono::DateTime::from_timestamp(1_790_000_000, 0).unwrap();
        let later = moment + chrono::Duration::seconds(1);
        let mut rows: Vec<ChangeCursor> = (0..5)
            .map(|_| ChangeCursor {
                updated_at: moment,
                id: uuid::Uuid::new_v4(),
            })
            .chain([ChangeCursor {
                updated_at: later,
                id: uuid::Uuid::nil(),
            }])
            .collect();
        let size = PageRequest::new(Some(1), Some(2)).unwrap();
        let mut read = ChangeRead {
            since: Some(moment),
            after: None,
        };
        let mut seen = Vec::new();
        loop {
            let page = read.page_of(rows.iter().rev().map(|r| Row(*r)).collect(), size);
            assert_eq!(page.total, 6);
            if page.items.is_empty() {
                assert_eq!(page.next_cursor, read.after);
                break;
            }
            seen.extend(page.items.iter().map(|r| r.0));
            read.after = page.next_cursor;
        }
        rows.sort();
        assert_eq!(seen, rows);
        assert_eq!(seen.last().map(|r| r.updated_at), Some(later));
    }

    #[test]
    fn a_cursor_refuses_another_sort() {
        let cursor = ChangeCursor {
            updated_at: chrono::Utc::now(),
            id: uuid::Uuid::new_v4(),
        }
        .encode();
        assert!(
            ChangeRead::from_params(None, None, Some("name"))
                .unwrap()
                .is_none()
        );
        assert!(ChangeRead::from_params(None, Some(&cursor), Some("updated_at")).is_ok());
        let Err(DomainError::Validation(errors)) =
            ChangeRead::from_params(None, Some(&cursor), Some("-name"))
        else {
            panic!("a cursor with another sort");
        };
        assert_eq!(errors[0].field, "sort");
        let Err(DomainError::Validation(errors)) =
            ChangeRead::from_params(None, Some("nonsense"), None)
        else {
            panic!("a cursor not issued here");
        };
        assert_eq!(errors[0].field, "cursor");
    }
}
