//! Keeping derived dates current: a running contract's earliest possible
//! end moves with time, so dates computed on an earlier day are redone.

use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, QueryFilter};

use super::rows::apply_derived;
use super::types::today;
use crate::db::{Db, Scope, scoped, scoped_update};
use crate::entities::contract;
use crate::error::DomainResult;
use crate::principal::TenantId;

/// Recomputes the derived dates of the tenant's running contracts computed
/// before today (their earliest possible end moves with time).
pub(crate) async fn refresh_stale(db: &Db, tenant: TenantId) -> DomainResult<()> {
    let today = today();
    let stale = |q: sea_orm::Select<contract::Entity>| {
        q.filter(contract::Column::DerivedOn.lt(today))
            .filter(contract::Column::EndOn.is_null())
            .filter(contract::Column::TerminatedOn.is_null())
    };
    let txn = db.read(Scope::Tenant(tenant)).await?;
    let any = stale(scoped::<contract::Entity>(tenant))
        .one(&txn)
        .await?
        .is_some();
    txn.commit().await?;
    if !any {
        return Ok(());
    }
    let txn = db.write(Scope::Tenant(tenant)).await?;
    for mut model in stale(scoped::<contract::Entity>(tenant)).all(&txn).await? {
        apply_derived(&mut model, today);
        scoped_update::<contract::Entity>(tenant)
            .col_expr(
                contract::Column::NoticeDeadline,
                Expr::value(model.notice_deadline),
            )
            .col_expr(
                contract::Column::RetenderStart,
                Expr::value(model.retender_start),
            )
            .col_expr(contract::Column::DerivedOn, Expr::value(today))
            .filter(contract::Column::Id.eq(model.id))
            .exec(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(())
}
