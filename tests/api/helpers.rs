//! `spawn_app()`: the real application on port 0 with a database of its own.
//!
//! SQLite by default (a temp file); when `MOTCUA_TEST_POSTGRES_URL` names a server, each test
//! creates its own PostgreSQL database there and drops it at the end.

use std::sync::LazyLock;

use diesel::{Connection, PgConnection, RunQueryDsl};
use motcua::settings::{LogFormat, Settings};
use motcua::startup::Application;
use serde_json::Value;

static TRACING: LazyLock<()> = LazyLock::new(|| {
    if std::env::var_os("TEST_LOG").is_some() {
        motcua::telemetry::init(LogFormat::Text);
    }
});

pub const POSTGRES_ENV: &str = "MOTCUA_TEST_POSTGRES_URL";
/// An S3-compatible store (`s3://BUCKET`, with the `AWS_*` variables) for the files; each test
/// writes under a prefix of its own. Without it, each test has a directory of its own.
pub const FILES_ENV: &str = "MOTCUA_TEST_FILES_URL";

/// Where one test keeps its files.
pub enum TestFiles {
    Directory(tempfile::TempDir),
    S3(String),
}

impl TestFiles {
    pub fn create() -> Self {
        match std::env::var(FILES_ENV) {
            Ok(url) if !url.is_empty() => {
                Self::S3(format!("{}/test-{}", url.trim_end_matches('/'), uuid::Uuid::new_v4().simple()))
            }
            _ => Self::Directory(tempfile::tempdir().unwrap()),
        }
    }

    pub fn url(&self) -> String {
        match self {
            Self::Directory(dir) => format!("file://{}", dir.path().display()),
            Self::S3(url) => url.clone(),
        }
    }
}

/// A database that exists for one test.
pub enum TestDatabase {
    Sqlite { url: String, _dir: tempfile::TempDir },
    Postgres { url: String, admin_url: String, name: String },
}

impl TestDatabase {
    pub fn create() -> Self {
        match std::env::var(POSTGRES_ENV) {
            Ok(admin_url) if !admin_url.is_empty() => {
                let name = format!("motcua_test_{}", uuid::Uuid::new_v4().simple());
                let mut conn = PgConnection::establish(&admin_url)
                    .unwrap_or_else(|e| panic!("{POSTGRES_ENV} is set but unreachable: {e}"));
                diesel::sql_query(format!(r#"CREATE DATABASE "{name}""#)).execute(&mut conn).unwrap();
                let mut url = url::Url::parse(&admin_url).unwrap();
                url.set_path(&format!("/{name}"));
                Self::Postgres { url: url.to_string(), admin_url, name }
            }
            _ => {
                let dir = tempfile::tempdir().unwrap();
                let url = format!("sqlite://{}", dir.path().join("motcua.db").display());
                Self::Sqlite { url, _dir: dir }
            }
        }
    }

    pub fn url(&self) -> &str {
        match self {
            Self::Sqlite { url, .. } | Self::Postgres { url, .. } => url,
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Self::Postgres { admin_url, name, .. } = self
            && let Ok(mut conn) = PgConnection::establish(admin_url)
        {
            let _ = diesel::sql_query(format!(r#"DROP DATABASE IF EXISTS "{name}" WITH (FORCE)"#))
                .execute(&mut conn);
        }
    }
}

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    handle: actix_web::dev::ServerHandle,
    pub files: TestFiles,
    // Declared last: dropped after the server is told to stop.
    pub database: TestDatabase,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        // Sends the stop command at once; the workers close their connections before the
        // database is dropped.
        drop(self.handle.stop(false));
    }
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

pub async fn spawn_app_with(configure: impl FnOnce(&mut Settings)) -> TestApp {
    let database = tokio::task::spawn_blocking(TestDatabase::create).await.unwrap();
    spawn_app_on(database, configure).await
}

/// The application on a database made beforehand.
pub async fn spawn_app_on(database: TestDatabase, configure: impl FnOnce(&mut Settings)) -> TestApp {
    LazyLock::force(&TRACING);
    let mut settings = Settings::for_database(database.url());
    settings.jwt_secret = Some("test-secret-that-is-at-least-32-bytes-long".into());
    let files = TestFiles::create();
    settings.files_url = Some(files.url());
    configure(&mut settings);
    let app = Application::build(settings).await.expect("the application starts");
    let port = app.port();
    let handle = app.handle();
    tokio::spawn(app.run_until_stopped());
    TestApp {
        address: format!("http://127.0.0.1:{port}"),
        client: reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap(),
        handle,
        files,
        database,
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.expect("request sent")
    }
}

/// Read a problem document, asserting its content type.
pub async fn problem(response: reqwest::Response) -> Value {
    let content_type =
        response.headers().get("content-type").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    assert_eq!(content_type, "application/problem+json", "not a problem document");
    let status = response.status().as_u16();
    let body: Value = response.json().await.expect("problem body is JSON");
    assert_eq!(body["status"], status, "status field matches the HTTP status: {body}");
    assert!(body["type"].is_string() && body["title"].is_string(), "{body}");
    body
}

/// The `field` values of a problem's `errors`.
pub fn error_fields(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .map(|a| a.iter().map(|e| e["field"].as_str().unwrap_or_default().to_owned()).collect())
        .unwrap_or_default()
}

pub const ADMIN_PASSWORD: &str = "admin-password-for-tests";
pub const TEST_JWT_SECRET: &str = "test-secret-that-is-at-least-32-bytes-long";

impl TestApp {
    /// Run `f` off the async runtime on the app's database, opened through the library as the
    /// commands open it (migrations, counters).
    pub async fn with_library_db<T: Send + 'static>(
        &self,
        f: impl FnOnce(&motcua::db::Db) -> T + Send + 'static,
    ) -> T {
        let url = self.database.url().to_owned();
        tokio::task::spawn_blocking(move || {
            let settings = Settings::for_database(url.clone());
            f(&motcua::startup::open_database(&settings, &url.parse().unwrap()).unwrap())
        })
        .await
        .unwrap()
    }

    /// Create a system administrator straight through the library (as `motcua user create`
    /// does) and return its access token.
    pub async fn admin_token(&self) -> String {
        self.with_library_db(|db| {
            let new = motcua::users::model::NewUser {
                username: "root".into(),
                password: ADMIN_PASSWORD.into(),
                full_name: "Quản trị hệ thống".into(),
                role: motcua::auth::role::Role::Admin,
                agency_id: None,
            };
            motcua::users::service::create_from_cli(db, new, None).unwrap();
        })
        .await;
        self.login("root", ADMIN_PASSWORD).await
    }

    pub async fn token_response(&self, body: Value) -> reqwest::Response {
        self.client.post(self.url("/api/v1/auth/token")).json(&body).send().await.unwrap()
    }

    pub async fn login(&self, username: &str, password: &str) -> String {
        let response =
            self.token_response(serde_json::json!({"username": username, "password": password})).await;
        assert_eq!(response.status(), 200, "login of {username} failed");
        let body: Value = response.json().await.unwrap();
        body["access_token"].as_str().unwrap().to_owned()
    }

    pub async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> reqwest::Response {
        let mut request = self.client.request(method, self.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        request.send().await.expect("request sent")
    }

    pub async fn get_as(&self, token: &str, path: &str) -> reqwest::Response {
        self.send(reqwest::Method::GET, path, Some(token), None).await
    }

    pub async fn post_as(&self, token: &str, path: &str, body: &Value) -> reqwest::Response {
        self.send(reqwest::Method::POST, path, Some(token), Some(body)).await
    }

    pub async fn patch_as(&self, token: &str, path: &str, body: &Value) -> reqwest::Response {
        self.send(reqwest::Method::PATCH, path, Some(token), Some(body)).await
    }

    /// Create an agency and return its id.
    pub async fn create_agency(&self, token: &str, code: &str, level: &str, parent: Option<&str>) -> String {
        let body = serde_json::json!({"code": code, "name": format!("Đơn vị {code}"), "level": level, "parent_id": parent});
        let response = self.post_as(token, "/api/v1/agencies", &body).await;
        assert_eq!(response.status(), 201, "creating agency {code}");
        response.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned()
    }

    /// Create a user with the test password and return its id.
    pub async fn create_user(&self, token: &str, username: &str, role: &str, agency: Option<&str>) -> String {
        let body = serde_json::json!({
            "username": username, "password": ADMIN_PASSWORD, "full_name": format!("Cán bộ {username}"),
            "role": role, "agency_id": agency,
        });
        let response = self.post_as(token, "/api/v1/users", &body).await;
        assert_eq!(response.status(), 201, "creating user {username}");
        response.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned()
    }
}

impl TestApp {
    /// A service account bound to `agencies`, signed in: its access token.
    pub async fn service_token(&self, admin: &str, name: &str, agencies: &[&str]) -> String {
        let body = serde_json::json!({"name": name, "agency_ids": agencies});
        let account: Value =
            self.post_as(admin, "/api/v1/service-accounts", &body).await.json().await.unwrap();
        let tokens: Value = self
            .token_response(serde_json::json!({"grant_type": "client_credentials", "client_id": account["client_id"], "client_secret": account["client_secret"]}))
            .await
            .json()
            .await
            .unwrap();
        tokens["access_token"].as_str().unwrap().to_owned()
    }

    /// The birth registration procedure (1.001193, 3 working days, no fee); its id.
    pub async fn birth_procedure(&self, admin: &str) -> String {
        let body = serde_json::json!({
            "code": "1.001193", "name": "Thủ tục đăng ký khai sinh", "field": "Hộ tịch", "level": "commune",
            "online_service": "full", "processing_time": {"value": 3, "unit": "working_days"}, "fee": 0,
        });
        let response = self.post_as(admin, "/api/v1/procedures", &body).await;
        assert_eq!(response.status(), 201);
        response.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned()
    }
}

/// A second `serve` process on a test app's database.
pub struct Sibling {
    pub address: String,
    handle: actix_web::dev::ServerHandle,
    running: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Sibling {
    /// Stop it as SIGTERM would, and wait until it has finished.
    pub async fn stop(self) {
        self.handle.stop(true).await;
        self.running.await.unwrap().unwrap();
    }
}

impl TestApp {
    pub async fn spawn_sibling(&self, configure: impl FnOnce(&mut Settings)) -> Sibling {
        let mut settings = Settings::for_database(self.database.url());
        settings.jwt_secret = Some(TEST_JWT_SECRET.into());
        settings.files_url = Some(self.files.url());
        configure(&mut settings);
        let app = Application::build(settings).await.expect("the second process starts");
        Sibling {
            address: format!("http://127.0.0.1:{}", app.port()),
            handle: app.handle(),
            running: tokio::spawn(app.run_until_stopped()),
        }
    }
}

/// The outbox event types of one dossier, survey or feedback, read straight from the database.
pub async fn outbox(app: &TestApp, aggregate_id: &str) -> Vec<String> {
    let url = app.database.url().to_owned();
    let id = aggregate_id.to_owned();
    tokio::task::spawn_blocking(move || {
        let pool = motcua::db::build_pool(&url.parse().unwrap(), &Default::default()).unwrap();
        motcua::dossiers::store::event_types_of(&mut pool.get().unwrap(), &id).unwrap()
    })
    .await
    .unwrap()
}

/// What most dossier tests start from: a province with one commune, the commune's one-stop
/// officer, a citizen with an account, and the birth-registration procedure.
pub struct Desk {
    pub admin: String,
    pub province: String,
    pub officer: String,
    pub officer_id: String,
    pub citizen: String,
    pub commune: String,
    pub procedure: String,
}

pub async fn desk(app: &TestApp) -> Desk {
    let admin = app.admin_token().await;
    let province = app.create_agency(&admin, "P01", "province", None).await;
    let commune = app.create_agency(&admin, "P01.C01", "commune", Some(&province)).await;
    let officer_id = app.create_user(&admin, "officer", "officer", Some(&commune)).await;
    app.create_user(&admin, "citizen", "citizen", None).await;
    let procedure = app.birth_procedure(&admin).await;
    Desk {
        officer: app.login("officer", ADMIN_PASSWORD).await,
        citizen: app.login("citizen", ADMIN_PASSWORD).await,
        officer_id,
        admin,
        province,
        commune,
        procedure,
    }
}

impl Desk {
    /// A token of the portal adapter's service account for the commune: it may import steps
    /// with their time.
    pub async fn portal_token(&self, app: &TestApp) -> String {
        app.service_token(&self.admin, "portal", &[&self.commune]).await
    }
}

/// Submit a dossier; it must be received (201).
pub async fn submit_dossier(app: &TestApp, token: &str, body: &Value) -> Value {
    let response = app.post_as(token, "/api/v1/dossiers", body).await;
    assert_eq!(response.status(), 201, "{body}");
    response.json().await.unwrap()
}

/// The `line` column of a query on the database's own catalogue, in the backend's dialect
/// (`postgres` or `sqlite`), as the database answers it.
pub fn catalogue_lines(db: &motcua::db::Db, postgres: &str, sqlite: &str) -> Vec<String> {
    #[derive(diesel::QueryableByName)]
    struct Line {
        #[diesel(sql_type = diesel::sql_types::Text)]
        line: String,
    }
    let mut conn = db.pool().get().unwrap();
    let sql = match &mut *conn {
        motcua::db::DbConnection::Postgres(_) => postgres,
        motcua::db::DbConnection::Sqlite(_) => sqlite,
    };
    diesel::sql_query(sql).load::<Line>(&mut *conn).unwrap().into_iter().map(|l| l.line).collect()
}
