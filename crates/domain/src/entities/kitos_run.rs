use sea_orm::entity::prelude::*;

/// One import from a municipality's Kitos, with its progress and report.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "kitos_runs")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tenant_id: Uuid,
    /// `queued`, `running`, `done` or `failed`.
    pub state: String,
    /// The first import (everything), or an update since the last run.
    pub incremental: bool,
    pub objects_done: i32,
    pub objects_total: i32,
    /// The report (`kitos::Report`), once done.
    pub report: Option<Json>,
    pub failure: Option<String>,
    pub started_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub finished_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
