//! Saved views: each user's named views of the contract and IT-system
//! lists. A view is the list's address query (filters, sort, columns and
//! density), so applying one is opening the list at that address. Views are
//! their user's alone: another user, of the same municipality or another,
//! neither sees nor changes them (`NotFound`, so that their existence does
//! not leak).

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, QueryFilter, QueryOrder, Set};
use uuid::Uuid;

use crate::audit::{self, Change};
use crate::db::{Db, Scope, scoped, scoped_delete, scoped_update};
use crate::entities::saved_view;
use crate::error::{DomainError, DomainResult, FieldError, OnUnique};
use crate::policy::{Action, authorize};
use crate::principal::{Principal, TenantId};
use crate::values::required_text;

/// The longest name of a view.
pub const MAX_NAME_CHARS: usize = 100;
/// The longest address query a view keeps.
pub const MAX_QUERY_CHARS: usize = 2000;
/// The most views a user keeps per page.
pub const MAX_VIEWS_PER_PAGE: usize = 100;

/// The list a view belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ViewPage {
    Contracts,
    Systems,
}

impl ViewPage {
    pub fn as_str(self) -> &'static str {
        match self {
            ViewPage::Contracts => "contracts",
            ViewPage::Systems => "systems",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "contracts" => Some(ViewPage::Contracts),
            "systems" => Some(ViewPage::Systems),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedView {
    pub id: Uuid,
    pub page: ViewPage,
    pub name: String,
    /// The list's address query without the leading `?`, e.g.
    /// `status=active&sort=-annual_value&cols=title,supplier&density=compact`.
    pub query: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<saved_view::Model> for SavedView {
    fn from(m: saved_view::Model) -> Self {
        Self {
            id: m.id,
            page: ViewPage::parse(&m.page).unwrap_or(ViewPage::Contracts),
            name: m.name,
            query: m.query,
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }
}

/// A view as the user names and saves it.
#[derive(Debug, Clone)]
pub struct ViewInput {
    pub name: String,
    pub query: String,
}

fn own_user(principal: &Principal) -> DomainResult<(Uuid, TenantId)> {
    authorize(principal, Action::ManageOwnViews)?;
    match principal {
        Principal::User {
            user_id, tenant_id, ..
        } => Ok((*user_id, *tenant_id)),
        _ => Err(DomainError::Forbidden("only people keep saved views")),
    }
}

fn hex(c: u8) -> bool {
    c.is_ascii_hexdigit()
}

/// A list's address query: `key=value` pairs joined by `&`, keys of lower
/// case letters, digits and `_`, values URL-encoded (no spaces, quotes,
/// angle brackets or control characters; `%` only as a valid escape) and
/// decoding to UTF-8 text. A leading `?` is dropped; an empty query is the
/// list as it opens.
pub fn check_query(input: &str) -> Result<String, FieldError> {
    let query = input.trim();
    let query = query.strip_prefix('?').unwrap_or(query);
    let invalid = |message: &str| FieldError::new("query", "invalid", message);
    if query.chars().count() > MAX_QUERY_CHARS {
        return Err(FieldError::new(
            "query",
            "too_long",
            format!("at most {MAX_QUERY_CHARS} characters"),
        ));
    }
    if query.is_empty() {
        return Ok(String::new());
    }
    for pair in query.split('&') {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        if key.is_empty()
            || key.len() > 40
            || !key
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        {
            return Err(invalid(
                "an address query: key=value pairs joined by &, keys of a-z, 0-9 and _",
            ));
        }
        let bytes = value.as_bytes();
        let mut decoded = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            match b {
                b'%' => {
                    if !(bytes.get(i + 1).copied().is_some_and(hex)
                        && bytes.get(i + 2).copied().is_some_and(hex))
                    {
                        return Err(invalid("a value's % starts a two-digit hex escape"));
                    }
                    let code = u8::from_str_radix(&value[i + 1..i + 3], 16)
                        .map_err(|_| invalid("a value's % starts a two-digit hex escape"))?;
                    decoded.push(code);
                    i += 3;
                }
                b'+' => {
                    decoded.push(b' ');
                    i += 1;
                }
                b'=' | b'#' | b' ' | b'"' | b'<' | b'>' | b'\\' | b'`' | b'{' | b'}' | b'|'
                | b'^' => {
                    return Err(invalid("values are URL-encoded"));
                }
                _ if b.is_ascii_control() || !b.is_ascii() => {
                    return Err(invalid("values are URL-encoded"));
                }
                _ => {
                    decoded.push(b);
                    i += 1;
                }
            }
        }
        let text = String::from_utf8(decoded).map_err(|_| invalid("values decode to UTF-8"))?;
        if text.chars().any(|c| {
            c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        }) {
            return Err(invalid("values hold no control characters"));
        }
    }
    Ok(query.to_owned())
}

fn checked(input: &ViewInput) -> DomainResult<(String, String)> {
    let name = required_text("name", &input.name, MAX_NAME_CHARS);
    let query = check_query(&input.query);
    match (name, query) {
        (Ok(name), Ok(query)) => Ok((name, query)),
        (name, query) => Err(DomainError::Validation(
            [name.err(), query.err()].into_iter().flatten().collect(),
        )),
    }
}

const TAKEN: &str = "you already have a view of this list with this name";

fn audit_view(view: &SavedView) -> serde_json::Value {
    serde_json::json!({
        "page": view.page.as_str(),
        "name": view.name,
        "query": view.query,
    })
}

async fn own_view<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    user_id: Uuid,
    id: Uuid,
) -> DomainResult<saved_view::Model> {
    scoped::<saved_view::Entity>(tenant)
        .filter(saved_view::Column::UserId.eq(user_id))
        .filter(saved_view::Column::Id.eq(id))
        .one(conn)
        .await?
        .ok_or(DomainError::NotFound)
}

/// The principal's own views of `page`, by name.
pub async fn list_views(
    db: &Db,
    principal: &Principal,
    page: ViewPage,
) -> DomainResult<Vec<SavedView>> {
    let (user_id, tenant) = own_user(principal)?;
    let txn = db.read(Scope::Tenant(tenant)).await?;
    let mut views: Vec<SavedView> = scoped::<saved_view::Entity>(tenant)
        .filter(saved_view::Column::UserId.eq(user_id))
        .filter(saved_view::Column::Page.eq(page.as_str()))
        .order_by_asc(saved_view::Column::Name)
        .order_by_asc(saved_view::Column::Id)
        .all(&txn)
        .await?
        .into_iter()
        .map(SavedView::from)
        .collect();
    txn.commit().await?;
    // By name as people read it (case-insensitively), whatever the database's collation.
    views.sort_by_cached_key(|v| (v.name.to_lowercase(), v.id));
    Ok(views)
}

/// Saves a new view of `page` for the principal; a name they already use
/// for that page is a conflict.
pub async fn create_view(
    db: &Db,
    principal: &Principal,
    page: ViewPage,
    input: ViewInput,
) -> DomainResult<SavedView> {
    let (user_id, tenant) = own_user(principal)?;
    let (name, query) = checked(&input)?;
    let now = Utc::now();
    let txn = db.write(Scope::Tenant(tenant)).await?;
    let existing = scoped::<saved_view::Entity>(tenant)
        .filter(saved_view::Column::UserId.eq(user_id))
        .filter(saved_view::Column::Page.eq(page.as_str()))
        .all(&txn)
        .await?;
    if existing.iter().any(|v| v.name == name) {
        return Err(DomainError::Conflict {
            message: TAKEN.into(),
            field: Some(FieldError::new("name", "taken", TAKEN)),
        });
    }
    if existing.len() >= MAX_VIEWS_PER_PAGE {
        return Err(DomainError::conflict(format!(
            "at most {MAX_VIEWS_PER_PAGE} saved views per list; delete one first"
        )));
    }
    let model = saved_view::ActiveModel {
        id: Set(Uuid::new_v4()),
        tenant_id: Set(tenant.0),
        user_id: Set(user_id),
        page: Set(page.as_str().to_owned()),
        name: Set(name),
        query: Set(query),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await
    .on_unique("name", TAKEN)?;
    let view = SavedView::from(model);
    audit::record(
        &txn,
        principal,
        Some(tenant),
        Change {
            action: "view.created",
            object_kind: "saved_view",
            object_id: view.id,
            before: None,
            after: Some(audit_view(&view)),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(view)
}

/// Renames or overwrites one of the principal's own views.
pub async fn update_view(
    db: &Db,
    principal: &Principal,
    id: Uuid,
    input: ViewInput,
) -> DomainResult<SavedView> {
    let (user_id, tenant) = own_user(principal)?;
    let txn = db.write(Scope::Tenant(tenant)).await?;
    let current = own_view(&txn, tenant, user_id, id).await?;
    let (name, query) = checked(&input)?;
    let before = SavedView::from(current.clone());
    let taken = scoped::<saved_view::Entity>(tenant)
        .filter(saved_view::Column::UserId.eq(user_id))
        .filter(saved_view::Column::Page.eq(current.page.clone()))
        .filter(saved_view::Column::Name.eq(name.clone()))
        .filter(saved_view::Column::Id.ne(id))
        .one(&txn)
        .await?;
    if taken.is_some() {
        return Err(DomainError::Conflict {
            message: TAKEN.into(),
            field: Some(FieldError::new("name", "taken", TAKEN)),
        });
    }
    if before.name == name && before.query == query {
        txn.commit().await?;
        return Ok(before);
    }
    scoped_update::<saved_view::Entity>(tenant)
        .filter(saved_view::Column::UserId.eq(user_id))
        .filter(saved_view::Column::Id.eq(id))
        .col_expr(saved_view::Column::Name, Expr::value(name))
        .col_expr(saved_view::Column::Query, Expr::value(query))
        .col_expr(saved_view::Column::UpdatedAt, Expr::value(Utc::now()))
        .exec(&txn)
        .await
        .on_unique("name", TAKEN)?;
    let view = SavedView::from(own_view(&txn, tenant, user_id, id).await?);
    audit::record(
        &txn,
        principal,
        Some(tenant),
        Change {
            action: "view.updated",
            object_kind: "saved_view",
            object_id: id,
            before: Some(audit_view(&before)),
            after: Some(audit_view(&view)),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(view)
}

/// Deletes one of the principal's own views.
pub async fn delete_view(db: &Db, principal: &Principal, id: Uuid) -> DomainResult<()> {
    let (user_id, tenant) = own_user(principal)?;
    let txn = db.write(Scope::Tenant(tenant)).await?;
    let current = SavedView::from(own_view(&txn, tenant, user_id, id).await?);
    scoped_delete::<saved_view::Entity>(tenant)
        .filter(saved_view::Column::UserId.eq(user_id))
        .filter(saved_view::Column::Id.eq(id))
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        principal,
        Some(tenant),
        Change {
            action: "view.deleted",
            object_kind: "saved_view",
            object_id: id,
            before: Some(audit_view(&current)),
            after: None,
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_view_keeps_a_list_address_query() {
        assert_eq!(
            check_query("?status=active&sort=-annual_value&cols=title,supplier&density=compact")
                .unwrap(),
            "status=active&sort=-annual_value&cols=title,supplier&density=compact"
        );
        assert_eq!(check_query("q=r%C3%B8d+bil").unwrap(), "q=r%C3%B8d+bil");
        assert_eq!(check_query("").unwrap(), "");
        assert_eq!(check_query("include_archived").unwrap(), "include_archived");
    }

    #[test]
    fn a_view_refuses_anything_but_an_address_query() {
        for bad in [
            "status=active&&sort=x",
            "Status=active",
            "q=a b",
            "q=<script>",
            "q=%zz",
            "q=%4",
            "q=%",
            "q=%FF",
            "q=%0A",
            "q=a=b",
            "q=rød",
            "x#y=1",
        ] {
            assert!(check_query(bad).is_err(), "{bad}");
        }
        assert_eq!(
            check_query(&format!("q={}", "a".repeat(MAX_QUERY_CHARS)))
                .unwrap_err()
                .code,
            "too_long"
        );
    }
}
