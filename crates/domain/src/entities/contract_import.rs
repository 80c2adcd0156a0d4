use sea_orm::entity::prelude::*;

/// An uploaded contract register and what its import found and did.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "contract_imports")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub created_by: Option<Uuid>,
    pub file_name: String,
    /// Kept out of serialised rows: archives carry the bytes as files.
    #[serde(skip)]
    pub content: Vec<u8>,
    pub size_bytes: i64,
    /// `queued`, `running`, `done` or `failed`.
    pub state: String,
    /// `analyse`, `dry_run`, `all_or_nothing` or `valid_rows`.
    pub mode: String,
    pub sheet: Option<String>,
    pub mapping: Option<Json>,
    /// The detected format, header row and columns.
    pub analysis: Option<Json>,
    pub rows_done: i32,
    pub rows_total: i32,
    pub report: Option<Json>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub finished_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
