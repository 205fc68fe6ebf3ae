//! The binary itself: exit codes, the OpenAPI printout, graceful shutdown on SIGTERM.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::helpers::TestDatabase;

pub(crate) const BIN: &str = env!("CARGO_BIN_EXE_motcua");

#[test]
fn unknown_database_scheme_exits_with_code_2() {
    let output =
        Command::new(BIN).arg("migrate").env("DATABASE_URL", "mysql://root@localhost/x").output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("unsupported database URL scheme"), "{stderr}");
}

#[test]
fn openapi_command_prints_the_committed_document() {
    let output = Command::new(BIN).arg("openapi").env("DATABASE_URL", "bogus").output().unwrap();
    assert!(output.status.success());
    assert_eq!(String::from_utf8(output.stdout).unwrap(), motcua::api_doc::openapi_json());
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A `motcua serve` child and the file its log goes to.
pub(crate) struct Serving {
    pub(crate) child: std::process::Child,
    log: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

impl Serving {
    pub(crate) fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

/// Start `motcua serve` on a free port and wait until it is ready. Ready means this child said
/// it listens: a port found free can be taken by another test's server in between, which would
/// answer `/readyz` in its place; then the child fails to bind, and it is started on another.
// The child is returned to the caller, which stops it and waits for it (`stop`).
#[allow(clippy::zombie_processes)]
pub(crate) async fn start_serve(database: &TestDatabase, extra: &[&str]) -> (Serving, u16) {
    for _ in 0..5 {
        let port = free_port();
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("serve.log");
        let child = Command::new(BIN)
            .arg("serve")
            .args(extra)
            .env("DATABASE_URL", database.url())
            .env("MOTCUA_BIND", format!("127.0.0.1:{port}"))
            .env("MOTCUA_JWT_SECRET", "test-secret-that-is-at-least-32-bytes-long")
            .env("MOTCUA_FILES_URL", format!("file://{}", dir.path().join("files").display()))
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .unwrap();
        let mut serving = Serving { child, log, _dir: dir };
        let client = reqwest::Client::new();
        // Loading the demo on PostgreSQL takes half a minute on a quiet 2-core machine.
        let deadline = Instant::now() + Duration::from_secs(180);
        loop {
            // The log says this child holds the port; /readyz says it serves (and handles signals).
            if serving.log().contains("motcua is listening")
                && let Ok(r) = client.get(format!("http://127.0.0.1:{port}/readyz")).send().await
                && r.status() == 200
            {
                return (serving, port);
            }
            if let Some(status) = serving.child.try_wait().unwrap() {
                if serving.log().contains("cannot listen") {
                    break; // the port was taken meanwhile: another one
                }
                panic!("serve exited with {status}: {}", serving.log());
            }
            if Instant::now() > deadline {
                let _ = serving.child.kill();
                let _ = serving.child.wait();
                panic!("serve did not become ready: {}", serving.log());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    panic!("no free port for serve after five tries");
}

/// SIGTERM, then wait for a clean exit; returns what the process logged.
pub(crate) async fn stop(mut serving: Serving) -> String {
    let killed = Command::new("kill").args(["-TERM", &serving.child.id().to_string()]).status().unwrap();
    assert!(killed.success());
    let deadline = Instant::now() + Duration::from_secs(25);
    let status = loop {
        if let Some(status) = serving.child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "serve did not stop after SIGTERM");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(status.success(), "exit status after SIGTERM: {status}");
    serving.log()
}

/// Also: serving Swagger UI's files logs no warning (a regex segment in their route's pattern
/// once made the metrics middleware warn "Cannot build mixed cardinality pattern" for each).
#[tokio::test]
async fn serve_stops_gracefully_on_sigterm() {
    let database = TestDatabase::create();
    let (child, port) = start_serve(&database, &[]).await;
    for file in ["", "swagger-ui-bundle.js", "swagger-initializer.js", "swagger-ui.css"] {
        let response = reqwest::get(format!("http://127.0.0.1:{port}/swagger-ui/{file}")).await.unwrap();
        assert_eq!(response.status(), 200, "/swagger-ui/{file}");
    }
    let log = stop(child).await;
    assert!(!log.contains("mixed cardinality"), "{log}");
}

#[tokio::test]
async fn demo_data_is_loaded_once_and_its_logins_work() {
    let database = TestDatabase::create();
    let (child, port) = start_serve(&database, &["--demo"]).await;
    let client = reqwest::Client::new();
    let login: serde_json::Value = client
        .post(format!("http://127.0.0.1:{port}/api/v1/auth/token"))
        .json(&serde_json::json!({"username": "cuong.tt", "password": motcua::demo::PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let me: serde_json::Value = client
        .get(format!("http://127.0.0.1:{port}/api/v1/me"))
        .bearer_auth(login["access_token"].as_str().expect("demo login works"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["name"], "Trần Trung Cường");
    assert_eq!(me["agency"]["name"], "UBND xã Tỉnh Châu");
    walk_through(&client, port, login["access_token"].as_str().unwrap()).await;
    let first = stop(child).await;
    assert!(first.contains("loaded the demo data set"), "{first}");
    assert!(first.contains("cuong.tt"), "the logins are printed: {first}");

    let (again, _) = start_serve(&database, &["--demo"]).await;
    let second = stop(again).await;
    assert!(!second.contains("loaded the demo data set"), "loaded once only: {second}");
}

fn help(args: &[&str]) -> String {
    let output = Command::new(BIN).args(args).arg("--help").output().unwrap();
    assert!(output.status.success(), "{args:?} --help: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn each_command_lists_only_the_flags_it_uses() {
    let serve = help(&["serve"]);
    for flag in ["--demo", "--bind", "--jwt-secret", "--webhook-poll-ms", "--smtp-url", "--database-url"] {
        assert!(serve.contains(flag), "serve --help lacks {flag}: {serve}");
    }
    let user = help(&["user", "create"]);
    assert!(user.lines().count() < 65, "user create --help is {} lines: {user}", user.lines().count());
    for flag in
        ["--username", "--password", "--role", "--agency", "--full-name", "--database-url", "DATABASE_URL"]
    {
        assert!(user.contains(flag), "user create --help lacks {flag}: {user}");
    }
    for command in [
        &["user", "create"][..],
        &["migrate"],
        &["catalogue", "import"],
        &["catalogue", "starter"],
        &["generate"],
    ] {
        let text = help(command);
        assert!(text.contains("--db-pool-size"), "{command:?} --help lacks the pool: {text}");
        for flag in ["--bind", "--jwt-secret", "--webhook", "--smtp-url", "--files-url", "--cors-origins"] {
            assert!(!text.contains(flag), "{command:?} --help lists the service's {flag}: {text}");
        }
    }
    assert!(!help(&["openapi"]).contains("--database-url"));
    let top = help(&[]);
    assert!(top.lines().count() < 30, "motcua --help is {} lines: {top}", top.lines().count());
}

#[test]
fn catalogue_import_help_lists_the_columns_it_reads() {
    let text = help(&["catalogue", "import"]);
    let starter = include_str!("../../data/catalogue/starter.csv");
    for column in starter.lines().next().unwrap().split(',') {
        assert!(text.contains(&format!("\n  {column} ")), "catalogue import --help lacks {column}: {text}");
    }
}

/// Flags only, without a command: still `serve`, which reads them (here, to refuse the URL).
#[test]
fn flags_without_a_command_are_the_services() {
    let output = Command::new(BIN).args(["--database-url", "mysql://root@localhost/x"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", String::from_utf8_lossy(&output.stderr));
}

fn create_user(database: &TestDatabase, args: &[&str]) -> std::process::Output {
    Command::new(BIN)
        .args(["user", "create"])
        .args(args)
        .env("DATABASE_URL", database.url())
        .env_remove("MOTCUA_USER_PASSWORD")
        .output()
        .unwrap()
}

#[test]
fn user_create_speaks_of_its_flags_not_of_request_fields() {
    let database = TestDatabase::create();
    let officer = create_user(
        &database,
        &["--username", "can.bo", "--password", "a-long-password", "--role", "officer"],
    );
    assert!(!officer.status.success());
    let stderr = String::from_utf8_lossy(&officer.stderr);
    assert!(stderr.contains("--agency is required for the role officer"), "{stderr}");
    assert!(!stderr.contains("agency_id") && !stderr.contains("request"), "{stderr}");

    let nowhere = create_user(
        &database,
        &[
            "--username",
            "can.bo",
            "--password",
            "a-long-password",
            "--role",
            "officer",
            "--agency",
            "XA.KHONG",
        ],
    );
    let stderr = String::from_utf8_lossy(&nowhere.stderr);
    assert!(
        !nowhere.status.success() && stderr.contains("--agency: no agency with the code XA.KHONG"),
        "{stderr}"
    );

    let short = create_user(&database, &["--username", "quan.tri", "--password", "short", "--role", "admin"]);
    assert!(!short.status.success());
    let stderr = String::from_utf8_lossy(&short.stderr);
    assert!(stderr.contains("--password: "), "{stderr}");
    assert!(!stderr.contains("request"), "{stderr}");

    let admin = create_user(
        &database,
        &["--username", "quan.tri", "--password", "a-long-password", "--role", "admin"],
    );
    assert!(admin.status.success(), "{}", String::from_utf8_lossy(&admin.stderr));
    let again = create_user(
        &database,
        &["--username", "quan.tri", "--password", "a-long-password", "--role", "admin"],
    );
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert!(!again.status.success() && stderr.contains("--username"), "{stderr}");
}

/// A client's mistake is logged once at INFO, without the error's debug dump.
#[tokio::test]
async fn client_errors_are_logged_at_info_without_a_dump() {
    let database = TestDatabase::create();
    let (child, port) = start_serve(&database, &[]).await;
    let status = reqwest::get(format!("http://127.0.0.1:{port}/api/v1/dossiers")).await.unwrap().status();
    assert_eq!(status, 401);
    let log = stop(child).await;
    let line = log.lines().find(|l| l.contains("status=401")).unwrap_or_else(|| panic!("no 401 line: {log}"));
    assert!(line.contains(" INFO ") && line.contains("exception.message=\"unauthorized: "), "{line}");
    assert!(!log.contains("WARN") && !log.contains("Error encountered"), "{log}");
    assert!(!log.contains("Unauthorized("), "a debug dump: {log}");
}

/// The walk-through of the API description, as Swagger UI sends it: the examples of the document,
/// unchanged, on the demo data (whose records they name).
async fn walk_through(client: &reqwest::Client, port: u16, token: &str) {
    let doc: serde_json::Value = serde_json::from_str(&motcua::api_doc::openapi_json()).unwrap();
    let example = |schema: &str| doc["components"]["schemas"][schema]["example"].clone();
    let url = |path: &str| format!("http://127.0.0.1:{port}{path}");
    let login = &doc["paths"]["/api/v1/auth/token"]["post"]["requestBody"]["content"]["application/json"]["examples"]
        ["password"]["value"];
    let signed_in = client.post(url("/api/v1/auth/token")).json(login).send().await.unwrap();
    assert_eq!(signed_in.status(), 200, "the example login works on the demo");
    let created = client.post(url("/api/v1/dossiers")).bearer_auth(token).json(&example("NewDossier"));
    let created = created.send().await.unwrap();
    assert_eq!(created.status(), 201, "{}", created.text().await.unwrap());
    let dossier: serde_json::Value = created.json().await.unwrap();
    assert_eq!(dossier["status"], "processing");
    let id = dossier["id"].as_str().unwrap();
    for (step, body, status) in
        [("resolve", example("ResolveBody"), "resolved"), ("return", serde_json::json!({}), "returned")]
    {
        let done = client.post(url(&format!("/api/v1/dossiers/{id}/{step}"))).bearer_auth(token).json(&body);
        let done: serde_json::Value = done.send().await.unwrap().json().await.unwrap();
        assert_eq!(done["status"], status, "{step}: {done}");
    }
    let code = dossier["code"].as_str().unwrap();
    let public = client.get(url(&format!("/api/v1/public/dossiers/{code}?check=5678"))).send().await.unwrap();
    assert_eq!(public.status(), 200);
}

/// A DOCX is a ZIP archive like an XLSX: the import says what the file is not, not how a CSV
/// reader fails on it.
#[test]
fn catalogue_import_of_a_document_says_it_is_no_spreadsheet() {
    let database = TestDatabase::create();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.docx");
    let mut docx = Vec::new();
    docx_rs::Docx::new().build().pack(std::io::Cursor::new(&mut docx)).unwrap();
    std::fs::write(&path, docx).unwrap();
    let output = Command::new(BIN)
        .args(["catalogue", "import"])
        .arg(&path)
        .env("DATABASE_URL", database.url())
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("not a CSV or XLSX file"), "{stderr}");
    assert!(!stderr.to_lowercase().contains("invalid utf-8"), "{stderr}");
}
