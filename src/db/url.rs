//! Which database to open, from its URL.

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

/// Which database a URL points at. Parsed once, at start-up.
#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    /// `postgres://…` or `postgresql://…`, passed to libpq as is.
    Postgres(String),
    /// `sqlite://PATH` (relative) or `sqlite:///ABSOLUTE/PATH`.
    Sqlite(PathBuf),
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DatabaseUrlError {
    #[error("unsupported database URL scheme {0:?}: use sqlite://PATH or postgres://USER@HOST/DB")]
    UnknownScheme(String),
    #[error("the database URL has no scheme: use sqlite://PATH or postgres://USER@HOST/DB")]
    NoScheme,
    #[error(
        "sqlite://{0} is not supported: every pooled connection would get its own empty database; give a file path"
    )]
    InMemory(String),
    #[error("sqlite:// needs a file path, e.g. sqlite://motcua.db")]
    EmptyPath,
}

impl FromStr for DatabaseUrl {
    type Err = DatabaseUrlError;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        let (scheme, rest) = raw.split_once("://").ok_or(DatabaseUrlError::NoScheme)?;
        match scheme.to_ascii_lowercase().as_str() {
            "postgres" | "postgresql" => Ok(Self::Postgres(raw.to_owned())),
            "sqlite" => {
                if rest.is_empty() {
                    return Err(DatabaseUrlError::EmptyPath);
                }
                if rest == ":memory:" || rest.starts_with("file::memory:") {
                    return Err(DatabaseUrlError::InMemory(rest.to_owned()));
                }
                Ok(Self::Sqlite(PathBuf::from(rest)))
            }
            other => Err(DatabaseUrlError::UnknownScheme(other.to_owned())),
        }
    }
}

/// Printable without the password: start-up logs name the database, never its credentials.
impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Sqlite(path) => write!(f, "sqlite://{}", path.display()),
            Self::Postgres(raw) => match url::Url::parse(raw) {
                Ok(mut url) => {
                    if url.password().is_some() {
                        let _ = url.set_password(Some("***"));
                    }
                    url.set_query(None);
                    write!(f, "{url}")
                }
                Err(_) => f.write_str("postgres://(unparseable)"),
            },
        }
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes_pick_the_backend() {
        assert_eq!("sqlite://motcua.db".parse::<DatabaseUrl>(), Ok(DatabaseUrl::Sqlite("motcua.db".into())));
        assert_eq!(
            "sqlite:///var/lib/motcua.db".parse::<DatabaseUrl>(),
            Ok(DatabaseUrl::Sqlite("/var/lib/motcua.db".into()))
        );
        assert!(matches!("postgresql://u@h/db".parse::<DatabaseUrl>(), Ok(DatabaseUrl::Postgres(_))));
        assert_eq!(
            "mysql://u@h/db".parse::<DatabaseUrl>(),
            Err(DatabaseUrlError::UnknownScheme("mysql".into()))
        );
        assert_eq!("motcua.db".parse::<DatabaseUrl>(), Err(DatabaseUrlError::NoScheme));
        assert!(matches!("sqlite://:memory:".parse::<DatabaseUrl>(), Err(DatabaseUrlError::InMemory(_))));
    }

    #[test]
    fn display_hides_the_password() {
        let url: DatabaseUrl = "postgres://app:s3cret@db.local:5432/motcua?sslmode=require".parse().unwrap();
        let shown = url.to_string();
        assert!(!shown.contains("s3cret"), "{shown}");
        assert!(shown.contains("db.local"), "{shown}");
    }
}
