//! Settings, from the environment (or the matching command-line flags).
//!
//! Split by who needs them, so that each command's `--help` lists only its own flags: every
//! command that opens the database takes [`DatabaseSettings`] and [`Logging`]; only `serve` takes
//! the whole [`Settings`] (the service: HTTP, tokens, files, webhooks, notifications). An
//! environment variable is read by the commands that take its flag and ignored by the others.

use std::time::Duration;

use clap::{Args, ValueEnum};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    // No doc comments: the flag's own help says what each is, on one line.
    Text,
    Json,
}

/// Minimum length of `MOTCUA_JWT_SECRET` in bytes (HS256 wants a key as long as its hash).
pub const MIN_JWT_SECRET_BYTES: usize = 32;

/// The database and its connection pool.
#[derive(Clone, Args)]
#[command(next_help_heading = "Database")]
pub struct DatabaseSettings {
    /// The database: sqlite://PATH (sqlite:///ABSOLUTE/PATH) or
    /// postgres://USER[:PASSWORD]@HOST[:PORT]/DB; any other scheme exits with code 2.
    #[arg(
        long = "database-url",
        env = "DATABASE_URL",
        default_value = "sqlite://motcua.db",
        hide_env_values = true
    )]
    pub url: String,

    /// Largest number of database connections.
    #[arg(long = "db-pool-size", env = "MOTCUA_DB_POOL_SIZE", default_value_t = 10)]
    pub pool_size: u32,

    /// Seconds a request waits for a database connection before answering 503.
    #[arg(long = "db-timeout-secs", env = "MOTCUA_DB_TIMEOUT_SECS", default_value_t = 5)]
    pub timeout_secs: u64,

    /// SQLite only: `full` syncs the write-ahead log at every commit, so an acknowledged write
    /// survives a power cut; `normal` syncs it at checkpoints (faster writes, but a power cut or an
    /// OS crash may undo the last acknowledged commits).
    #[arg(long, env = "MOTCUA_SQLITE_SYNCHRONOUS", value_enum, default_value = "full")]
    pub sqlite_synchronous: crate::db::SqliteSynchronous,
}

impl DatabaseSettings {
    /// The defaults, with the given database.
    pub fn for_database(url: impl Into<String>) -> Self {
        Self { url: url.into(), pool_size: 5, timeout_secs: 5, sqlite_synchronous: Default::default() }
    }

    pub fn timeout(&self) -> Duration {
        Duration::from_secs(self.timeout_secs.max(1))
    }
}

impl AsRef<DatabaseSettings> for DatabaseSettings {
    fn as_ref(&self) -> &DatabaseSettings {
        self
    }
}

/// How log lines are written (their filter is `RUST_LOG`).
#[derive(Clone, Copy, Args)]
#[command(next_help_heading = "Logging")]
pub struct Logging {
    /// Log line format: `text` (human-readable, colours only on a terminal) or `json` (one object
    /// per line, for log shippers).
    #[arg(long = "log-format", env = "MOTCUA_LOG_FORMAT", value_enum, default_value = "text")]
    pub format: LogFormat,
}

/// Everything `serve` takes.
#[derive(Clone, Args)]
pub struct Settings {
    #[command(flatten)]
    pub database: DatabaseSettings,

    #[command(flatten)]
    pub logging: Logging,

    /// Address and port to listen on.
    #[arg(help_heading = "HTTP", long, env = "MOTCUA_BIND", default_value = "127.0.0.1:8080")]
    pub bind: String,

    /// Secret that signs access tokens (at least 32 bytes). Without it a random one is made at
    /// start and tokens do not survive a restart.
    #[arg(help_heading = "Sign-in tokens", long, env = "MOTCUA_JWT_SECRET", hide_env_values = true)]
    pub jwt_secret: Option<String>,

    /// Origins allowed to call the API from a browser, comma-separated; `*` allows any.
    #[arg(help_heading = "HTTP", long, env = "MOTCUA_CORS_ORIGINS", value_delimiter = ',')]
    pub cors_origins: Vec<String>,

    /// Lifetime of an access token, in seconds.
    #[arg(
        help_heading = "Sign-in tokens",
        long,
        env = "MOTCUA_ACCESS_TOKEN_TTL_SECS",
        default_value_t = 900
    )]
    pub access_token_ttl_secs: u64,

    /// Lifetime of a refresh token, in days.
    #[arg(
        help_heading = "Sign-in tokens",
        long,
        env = "MOTCUA_REFRESH_TOKEN_TTL_DAYS",
        default_value_t = 30
    )]
    pub refresh_token_ttl_days: u64,

    /// HTTP worker threads (default: one per core).
    #[arg(help_heading = "HTTP", long, env = "MOTCUA_WORKERS")]
    pub workers: Option<usize>,

    /// Comma-separated addresses of the reverse proxies in front of the service: only from these is
    /// `X-Forwarded-For` believed for the client's address (in logs and the sign-in throttle).
    #[arg(help_heading = "HTTP", long, env = "MOTCUA_TRUSTED_PROXIES", default_value = "")]
    pub trusted_proxies: crate::http::client::TrustedProxies,

    /// The address citizens reach the service at, e.g. `https://motcua.tinhchau.gov.vn`: the QR code
    /// of a printed receipt links to the public lookup there. Default: the scheme and host the
    /// desk's own request came to, which is right only when the desk and the citizens use the same
    /// address.
    #[arg(help_heading = "HTTP", long, env = "MOTCUA_PUBLIC_URL")]
    pub public_url: Option<crate::http::client::PublicUrl>,

    /// Public dossier lookups (`GET /api/v1/public/dossiers/{code}`) a client address may make a
    /// minute, found or not (half of them at once); past that they answer 429.
    #[arg(help_heading = "HTTP", long, env = "MOTCUA_LOOKUP_PER_MINUTE", default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..))]
    pub lookup_per_minute: u32,

    /// Where the dossiers' files are kept: `file://DIR` (or a path), or `s3://BUCKET[/PREFIX]`
    /// with the `AWS_*` variables. Default: the `motcua-files` directory beside the SQLite
    /// database (or in the working directory on PostgreSQL).
    #[arg(help_heading = "Files", long, env = "MOTCUA_FILES_URL")]
    pub files_url: Option<String>,

    /// Largest file accepted, in bytes (20 MB by default).
    #[arg(help_heading = "Files", long, env = "MOTCUA_FILES_MAX_BYTES", default_value_t = 20 * 1024 * 1024)]
    pub files_max_bytes: u64,

    /// Let webhooks target loopback and private networks (refused by default, so that a
    /// subscription cannot probe the internal network).
    #[arg(help_heading = "Webhooks", long, env = "MOTCUA_WEBHOOK_ALLOW_PRIVATE", default_value_t = false, action = clap::ArgAction::Set)]
    pub webhook_allow_private: bool,

    /// Run the webhook delivery worker in this process (several processes may run it at once).
    #[arg(help_heading = "Webhooks", long, env = "MOTCUA_WEBHOOK_WORKER", default_value_t = true, action = clap::ArgAction::Set)]
    pub webhook_worker: bool,

    /// How often the delivery worker looks for new events, in milliseconds.
    #[arg(help_heading = "Webhooks", long, env = "MOTCUA_WEBHOOK_POLL_MS", default_value_t = 1000)]
    pub webhook_poll_ms: u64,

    /// Seconds a webhook receiver has to answer before the attempt counts as failed.
    #[arg(help_heading = "Webhooks", long, env = "MOTCUA_WEBHOOK_TIMEOUT_SECS", default_value_t = 10)]
    pub webhook_timeout_secs: u64,

    /// Attempts per delivery before it is marked dead.
    #[arg(help_heading = "Webhooks", long, env = "MOTCUA_WEBHOOK_MAX_ATTEMPTS", default_value_t = 10)]
    pub webhook_max_attempts: u32,

    /// Wait after a first failed attempt, in milliseconds; doubled after each further one, up to an hour.
    #[arg(help_heading = "Webhooks", long, env = "MOTCUA_WEBHOOK_RETRY_BASE_MS", default_value_t = 5000)]
    pub webhook_retry_base_ms: u64,

    /// The mail server for notifications: `smtp://HOST:PORT` (plain, for a relay on the same
    /// network), `smtp://USER:PASSWORD@HOST:587?tls=required` (STARTTLS) or `smtps://…:465`.
    /// Unset: no email is sent.
    #[arg(help_heading = "Notifications", long, env = "MOTCUA_SMTP_URL")]
    pub smtp_url: Option<String>,

    /// The sender of notification emails, e.g. `Bộ phận một cửa <motcua@xa.gov.vn>`.
    #[arg(
        help_heading = "Notifications",
        long,
        env = "MOTCUA_MAIL_FROM",
        default_value = "motcua <motcua@localhost>"
    )]
    pub mail_from: String,

    /// The SMS gateway adapter: notifications are POSTed there as JSON, signed like webhooks.
    /// Unset: no SMS is sent.
    #[arg(help_heading = "Notifications", long, env = "MOTCUA_SMS_URL")]
    pub sms_url: Option<String>,

    /// The key that signs SMS requests (`X-Motcua-Signature`), shared with the gateway adapter.
    #[arg(help_heading = "Notifications", long, env = "MOTCUA_SMS_SECRET")]
    pub sms_secret: Option<String>,

    /// Send SMS texts without diacritics (what most brand-name gateways need: a Unicode SMS
    /// holds 70 characters instead of 160). `false` keeps them.
    #[arg(help_heading = "Notifications", long, env = "MOTCUA_SMS_ASCII", default_value_t = true, action = clap::ArgAction::Set)]
    pub sms_ascii: bool,

    /// Run the notification worker in this process.
    #[arg(help_heading = "Notifications", long, env = "MOTCUA_NOTIFY_WORKER", default_value_t = true, action = clap::ArgAction::Set)]
    pub notify_worker: bool,

    /// How often the notification worker looks for messages to send, in milliseconds.
    #[arg(help_heading = "Notifications", long, env = "MOTCUA_NOTIFY_POLL_MS", default_value_t = 1000)]
    pub notify_poll_ms: u64,

    /// Attempts per notification before it is marked dead.
    #[arg(help_heading = "Notifications", long, env = "MOTCUA_NOTIFY_MAX_ATTEMPTS", default_value_t = 8)]
    pub notify_max_attempts: u32,

    /// Wait after a first failed attempt, in milliseconds; doubled after each further one, up to an hour.
    #[arg(
        help_heading = "Notifications",
        long,
        env = "MOTCUA_NOTIFY_RETRY_BASE_MS",
        default_value_t = 30_000
    )]
    pub notify_retry_base_ms: u64,

    /// Days a finished notification (sent, dead or skipped) is kept before it is deleted: its
    /// text is personal data.
    #[arg(help_heading = "Notifications", long, env = "MOTCUA_NOTIFY_KEEP_DAYS", default_value_t = 30)]
    pub notify_keep_days: u32,
}

impl std::fmt::Debug for Settings {
    // Hand-written so that the secret and the database password never reach a log.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field(
                "database_url",
                &self
                    .database
                    .url
                    .parse::<crate::db::DatabaseUrl>()
                    .map(|u| u.to_string())
                    .unwrap_or_default(),
            )
            .field("bind", &self.bind)
            .field("jwt_secret", &self.jwt_secret.as_ref().map(|_| "***"))
            .field("cors_origins", &self.cors_origins)
            .field("log_format", &self.logging.format)
            .field("db_pool_size", &self.database.pool_size)
            .field("sqlite_synchronous", &self.database.sqlite_synchronous)
            .field("smtp_url", &self.smtp_url.as_ref().map(|_| "***"))
            .field("sms_url", &self.sms_url)
            .field("sms_secret", &self.sms_secret.as_ref().map(|_| "***"))
            .finish_non_exhaustive()
    }
}

impl AsRef<DatabaseSettings> for Settings {
    fn as_ref(&self) -> &DatabaseSettings {
        &self.database
    }
}

impl Settings {
    pub fn cors_origins(&self) -> impl Iterator<Item = &str> {
        self.cors_origins.iter().map(|o| o.trim()).filter(|o| !o.is_empty())
    }

    /// The files' store: `MOTCUA_FILES_URL`, or a `motcua-files` directory beside the SQLite
    /// database, or in the working directory when the database is elsewhere.
    pub fn files_url(&self) -> String {
        if let Some(url) = self.files_url.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
            return url.to_owned();
        }
        let dir = match self.database.url.parse::<crate::db::DatabaseUrl>() {
            Ok(crate::db::DatabaseUrl::Sqlite(path)) => {
                path.parent().unwrap_or(std::path::Path::new("")).join("motcua-files")
            }
            _ => std::path::PathBuf::from("motcua-files"),
        };
        format!("file://{}", dir.display())
    }

    /// Settings for tests and tools: defaults, with the given database and an ephemeral port.
    pub fn for_database(database_url: impl Into<String>) -> Self {
        Self {
            database: DatabaseSettings::for_database(database_url),
            logging: Logging { format: LogFormat::Text },
            bind: "127.0.0.1:0".into(),
            jwt_secret: None,
            cors_origins: Vec::new(),
            access_token_ttl_secs: 900,
            refresh_token_ttl_days: 30,
            workers: Some(2),
            trusted_proxies: Default::default(),
            public_url: None,
            lookup_per_minute: 10,
            files_url: None,
            files_max_bytes: 20 * 1024 * 1024,
            webhook_allow_private: false,
            webhook_worker: true,
            webhook_poll_ms: 1000,
            webhook_timeout_secs: 10,
            webhook_max_attempts: 10,
            webhook_retry_base_ms: 5000,
            smtp_url: None,
            mail_from: "motcua <motcua@localhost>".into(),
            sms_url: None,
            sms_secret: None,
            sms_ascii: true,
            notify_worker: true,
            notify_poll_ms: 1000,
            notify_max_attempts: 8,
            notify_retry_base_ms: 30_000,
            notify_keep_days: 30,
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::{CommandFactory, Parser};

    use super::*;
    use crate::db::SqliteSynchronous;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        settings: Settings,
    }

    /// The default is read from the declaration, not from a parse that the test's own environment
    /// could change.
    #[test]
    fn sqlite_commits_are_durable_unless_normal_is_asked_for() {
        let command = Cli::command();
        let arg = command.get_arguments().find(|a| a.get_id() == "sqlite_synchronous").unwrap();
        assert_eq!(arg.get_default_values(), ["full"]);
        assert_eq!(arg.get_env().and_then(|e| e.to_str()), Some("MOTCUA_SQLITE_SYNCHRONOUS"));
        let cli = Cli::try_parse_from(["motcua", "--sqlite-synchronous", "normal"]).unwrap();
        assert_eq!(cli.settings.database.sqlite_synchronous, SqliteSynchronous::Normal);
        assert!(Cli::try_parse_from(["motcua", "--sqlite-synchronous", "off"]).is_err());
        assert_eq!(
            Settings::for_database("sqlite://x.db").database.sqlite_synchronous,
            SqliteSynchronous::Full
        );
    }
}
