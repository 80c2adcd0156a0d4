//! Amounts of money as the databases keep them: `numeric(16,2)` on
//! PostgreSQL, decimal text on SQLite (SQLite has no exact decimal type; a
//! `decimal` column there is floating point and loses the last digits of
//! 14-digit amounts). SeaORM binds a `Decimal` as text on SQLite already; it
//! reads one back through `f64`, so this type reads the text itself.

use rust_decimal::Decimal;
use sea_orm::sea_query::{self, ArrayType, ColumnType, Nullable, ValueType, ValueTypeErr};
use sea_orm::{ColIdx, DbErr, QueryResult, TryGetError, TryGetable, Value};

/// An exact amount in a money column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct StoredAmount(pub Decimal);

impl From<StoredAmount> for Value {
    fn from(amount: StoredAmount) -> Self {
        Value::Decimal(Some(amount.0))
    }
}

impl TryGetable for StoredAmount {
    fn try_get_by<I: ColIdx>(res: &QueryResult, idx: I) -> Result<Self, TryGetError> {
        if res.try_as_sqlite_row().is_none() {
            return Decimal::try_get_by(res, idx).map(StoredAmount);
        }
        let text = String::try_get_by(res, idx)?;
        text.trim()
            .parse::<Decimal>()
            .map(StoredAmount)
            .map_err(|e| {
                TryGetError::DbErr(DbErr::Type(format!(
                    "the stored amount {text:?} is not a decimal number: {e}"
                )))
            })
    }
}

impl ValueType for StoredAmount {
    fn try_from(v: Value) -> Result<Self, ValueTypeErr> {
        <Decimal as ValueType>::try_from(v).map(StoredAmount)
    }

    fn type_name() -> String {
        "StoredAmount".to_owned()
    }

    fn array_type() -> ArrayType {
        ArrayType::Decimal
    }

    fn column_type() -> ColumnType {
        ColumnType::Decimal(Some((16, 2)))
    }
}

impl Nullable for StoredAmount {
    fn null() -> Value {
        Value::Decimal(None)
    }
}

impl sea_orm::IntoActiveValue<StoredAmount> for StoredAmount {
    fn into_active_value(self) -> sea_orm::ActiveValue<StoredAmount> {
        sea_orm::ActiveValue::Set(self)
    }
}

impl sea_query::postgres_array::NotU8 for StoredAmount {}

impl serde::Serialize for StoredAmount {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0.to_string())
    }
}

impl<'de> serde::Deserialize<'de> for StoredAmount {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse::<Decimal>()
            .map(StoredAmount)
            .map_err(serde::de::Error::custom)
    }
}
