//! The binary itself: exit codes, the OpenAPI printout, graceful shutdown on SIGTERM.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::helpers::TestDatabase;

const BIN: &str = env!("CARGO_BIN_EXE_motcua");

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

#[tokio::test]
async fn serve_stops_gracefully_on_sigterm() {
    let database = TestDatabase::create();
    let port = free_port();
    let mut child = Command::new(BIN)
        .arg("serve")
        .env("DATABASE_URL", database.url())
        .env("MOTCUA_BIND", format!("127.0.0.1:{port}"))
        .env("MOTCUA_JWT_SECRET", "test-secret-that-is-at-least-32-bytes-long")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let client = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Ok(r) = client.get(format!("http://127.0.0.1:{port}/readyz")).send().await
            && r.status() == 200
        {
            break;
        }
        assert!(Instant::now() < deadline, "serve did not become ready");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let killed = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(killed.success());
    let deadline = Instant::now() + Duration::from_secs(25);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "serve did not stop after SIGTERM");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(status.success(), "exit status after SIGTERM: {status}");
}
