//! Pages of a list: page number and size in, items and total out.

use sea_orm::sea_query::Expr;
use sea_orm::{
    ConnectionTrait, EntityTrait, FromQueryResult, PaginatorTrait, QuerySelect, QueryTrait, Select,
};

use crate::error::{DomainError, DomainResult, FieldError};

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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
}
