//! Database errors as API errors: a unique violation is a conflict naming its field, a lost
//! connection or a locked SQLite a 503, a value the database cannot store a 422.

use diesel::result::{DatabaseErrorKind, Error as DieselError};

use super::ApiError;
use crate::i18n::Text;

/// The column a unique violation is about, from PostgreSQL's constraint name
/// (`agencies_code_key`) or SQLite's message (`UNIQUE constraint failed: agencies.code`).
fn unique_violation_field(info: &dyn diesel::result::DatabaseErrorInformation) -> Option<String> {
    if let Some(constraint) = info.constraint_name() {
        if constraint.ends_with("_pkey") {
            return None;
        }
        let without_suffix = constraint.strip_suffix("_key").unwrap_or(constraint);
        let table = info.table_name().unwrap_or_default();
        let field = without_suffix
            .strip_prefix(table)
            .and_then(|s| s.strip_prefix('_'))
            .or_else(|| without_suffix.split_once('_').map(|(_, f)| f))?;
        return Some(field.to_owned());
    }
    let columns = info.message().strip_prefix("UNIQUE constraint failed: ")?;
    let first = columns.split(',').next()?.trim();
    Some(first.rsplit('.').next().unwrap_or(first).to_owned())
}

fn is_data_exception(message: &str) -> bool {
    ["out of range", "invalid byte sequence", "invalid input syntax", "value too long"]
        .iter()
        .any(|pattern| message.contains(pattern))
}

impl From<DieselError> for ApiError {
    fn from(error: DieselError) -> Self {
        match &error {
            DieselError::NotFound => Self::not_found(crate::i18n::nouns::RESOURCE),
            DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
                let field = unique_violation_field(info.as_ref());
                let detail = match &field {
                    Some(f) => Text::new(
                        format!("Đã có một bản ghi với {f} này"),
                        format!("a record with this {f} already exists"),
                    ),
                    None => Text::fixed(
                        "Đã có một bản ghi với các giá trị này",
                        "a record with these values already exists",
                    ),
                };
                Self::Conflict { detail, field, existing_id: None }
            }
            DieselError::DatabaseError(DatabaseErrorKind::ClosedConnection, _) => {
                Self::Unavailable(error.into())
            }
            // PostgreSQL data exceptions (a value it cannot store) that validation did not catch:
            // the client's input, so a 422 rather than a 500.
            DieselError::DatabaseError(_, info) if is_data_exception(info.message()) => Self::invalid_field(
                "body",
                Text::fixed("Có giá trị vượt quá giới hạn lưu trữ", "a value is outside what can be stored"),
            ),
            // SQLite's "database is locked" after the busy timeout: the writer is overloaded,
            // not broken; the client may retry.
            DieselError::DatabaseError(_, info) if info.message().contains("database is locked") => {
                Self::Unavailable(error.into())
            }
            _ => Self::Internal(error.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Info {
        message: &'static str,
        table: Option<&'static str>,
        constraint: Option<&'static str>,
    }
    impl diesel::result::DatabaseErrorInformation for Info {
        fn message(&self) -> &str {
            self.message
        }
        fn details(&self) -> Option<&str> {
            None
        }
        fn hint(&self) -> Option<&str> {
            None
        }
        fn table_name(&self) -> Option<&str> {
            self.table
        }
        fn column_name(&self) -> Option<&str> {
            None
        }
        fn constraint_name(&self) -> Option<&str> {
            self.constraint
        }
        fn statement_position(&self) -> Option<i32> {
            None
        }
    }

    #[test]
    fn unique_violations_name_their_field_on_both_backends() {
        let pg =
            Info { message: "duplicate key", table: Some("agencies"), constraint: Some("agencies_code_key") };
        assert_eq!(unique_violation_field(&pg).as_deref(), Some("code"));
        let pg_multi = Info {
            message: "duplicate key",
            table: Some("service_accounts"),
            constraint: Some("service_accounts_client_id_key"),
        };
        assert_eq!(unique_violation_field(&pg_multi).as_deref(), Some("client_id"));
        let sqlite =
            Info { message: "UNIQUE constraint failed: users.username", table: None, constraint: None };
        assert_eq!(unique_violation_field(&sqlite).as_deref(), Some("username"));
    }
}
