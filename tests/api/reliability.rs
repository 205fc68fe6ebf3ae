//! Crash and outage.
//!
//! Crash: `motcua serve` killed with SIGKILL in the middle of intake load, then restarted on the
//! same database. Every dossier that was answered 201 must be there with its history and outbox
//! event, and nothing may be half-written (a dossier without its history or event, or the other
//! way round), on SQLite and on PostgreSQL.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use diesel::prelude::*;
use motcua::db::schema::{dossier_files, dossier_history, dossiers, outbox_events};
use motcua::settings::Settings;
use serde_json::{Value, json};

use crate::cli::{start_serve, stop};
use crate::helpers::{ADMIN_PASSWORD, TestDatabase};

async fn login(client: &reqwest::Client, base: &str) -> String {
    let body = json!({"username": "root", "password": ADMIN_PASSWORD});
    let tokens: Value = client
        .post(format!("{base}/api/v1/auth/token"))
        .json(&body)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    tokens["access_token"].as_str().unwrap().to_owned()
}

async fn post(client: &reqwest::Client, url: String, token: &str, body: &Value) -> Value {
    let response = client.post(url).bearer_auth(token).json(body).send().await.unwrap();
    assert_eq!(response.status(), 201);
    response.json().await.unwrap()
}

/// The ids of the dossiers, those with history and those with an outbox event.
fn what_is_stored(url: &str) -> (BTreeSet<String>, BTreeSet<String>, BTreeSet<String>) {
    let db = motcua::startup::open_database(&Settings::for_database(url), &url.parse().unwrap()).unwrap();
    let mut conn = db.pool().get().unwrap();
    let stored = dossiers::table.select(dossiers::id).load::<String>(&mut conn).unwrap();
    let history =
        dossier_history::table.select(dossier_history::dossier_id).load::<String>(&mut conn).unwrap();
    let events = outbox_events::table
        .filter(outbox_events::aggregate_type.eq("dossier"))
        .select(outbox_events::aggregate_id)
        .load::<String>(&mut conn)
        .unwrap();
    (stored.into_iter().collect(), history.into_iter().collect(), events.into_iter().collect())
}

/// A database with the system administrator, and a served commune with one procedure: the
/// commune's id, the procedure's id and the administrator's token.
async fn served_commune(
    database: &TestDatabase,
    extra: &[&str],
) -> (crate::cli::Serving, String, String, String, String) {
    let url = database.url().to_owned();
    tokio::task::spawn_blocking(move || {
        let db =
            motcua::startup::open_database(&Settings::for_database(&url), &url.parse().unwrap()).unwrap();
        let root = motcua::users::model::NewUser {
            username: "root".into(),
            password: ADMIN_PASSWORD.into(),
            full_name: "Quản trị".into(),
            role: motcua::auth::role::Role::Admin,
            agency_id: None,
        };
        motcua::users::service::create_from_cli(&db, root, None).unwrap();
    })
    .await
    .unwrap();

    let (serving, port) = start_serve(database, extra).await;
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    let token = login(&client, &base).await;
    let agencies = format!("{base}/api/v1/agencies");
    let province =
        post(&client, agencies.clone(), &token, &json!({"code": "K", "name": "Tỉnh K", "level": "province"}))
            .await;
    let commune = json!({"code": "K.01", "name": "Xã K", "level": "commune", "parent_id": province["id"]});
    let agency = post(&client, agencies, &token, &commune).await;
    let procedure = post(
        &client,
        format!("{base}/api/v1/procedures"),
        &token,
        &json!({
            "code": "1.001193", "name": "Đăng ký khai sinh", "field": "Hộ tịch", "level": "commune",
            "online_service": "full", "processing_time": {"value": 3, "unit": "working_days"}, "fee": 0,
        }),
    )
    .await;
    let (agency, procedure) =
        (agency["id"].as_str().unwrap().to_owned(), procedure["id"].as_str().unwrap().to_owned());
    (serving, base, agency, procedure, token)
}

#[tokio::test]
async fn a_killed_server_loses_no_acknowledged_dossier_and_leaves_none_half_written() {
    let database = TestDatabase::create();
    let (serving, base, agency, procedure, token) = served_commune(&database, &[]).await;
    let client = reqwest::Client::new();
    let intake = json!({
        "procedure_id": procedure, "agency_id": agency, "channel": "direct",
        "applicant": {"kind": "citizen", "full_name": "Nguyễn Văn Án"},
        "components": [{"name": "Tờ khai", "digitized": true}],
    });

    // Eight clients submit as fast as they can until the server dies under them.
    let acknowledged = Arc::new(std::sync::Mutex::new(Vec::new()));
    let dead = Arc::new(AtomicBool::new(false));
    let load: Vec<_> = (0..8)
        .map(|_| {
            let (client, token, intake, acknowledged, dead) =
                (client.clone(), token.clone(), intake.clone(), acknowledged.clone(), dead.clone());
            let url = format!("{base}/api/v1/dossiers");
            tokio::spawn(async move {
                while !dead.load(Ordering::SeqCst) {
                    let Ok(response) = client.post(&url).bearer_auth(&token).json(&intake).send().await
                    else {
                        break;
                    };
                    if response.status() != 201 {
                        continue;
                    }
                    let Ok(body) = response.json::<Value>().await else { break };
                    acknowledged.lock().unwrap().push(body["id"].as_str().unwrap().to_owned());
                }
            })
        })
        .collect();
    while acknowledged.lock().unwrap().len() < 40 {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let mut serving = serving;
    serving.child.kill().unwrap(); // SIGKILL: no shutdown, no flush beyond what was committed
    serving.child.wait().unwrap();
    dead.store(true, Ordering::SeqCst);
    for task in load {
        task.await.unwrap();
    }
    let acknowledged: BTreeSet<String> = acknowledged.lock().unwrap().iter().cloned().collect();

    // Restarted on the same database, it serves every acknowledged dossier with its history.
    let (again, port) = start_serve(&database, &[]).await;
    let base = format!("http://127.0.0.1:{port}");
    let token = login(&client, &base).await;
    for id in &acknowledged {
        let read =
            client.get(format!("{base}/api/v1/dossiers/{id}")).bearer_auth(&token).send().await.unwrap();
        assert_eq!(read.status(), 200, "acknowledged dossier {id} lost");
        let history: Value = client
            .get(format!("{base}/api/v1/dossiers/{id}/history"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert!(history.to_string().contains("intake"), "{id}: {history}");
    }
    stop(again).await;

    let url = database.url().to_owned();
    let (stored, history, events) = tokio::task::spawn_blocking(move || what_is_stored(&url)).await.unwrap();
    assert!(acknowledged.is_subset(&stored));
    assert_eq!(stored, history, "every dossier has its history, and no history lacks its dossier");
    assert_eq!(stored, events, "every dossier has its outbox events, and no event lacks its dossier");
}

/// Killed in the middle of uploads, then restarted on the same database and store: every
/// acknowledged file is there with its bytes, every row's object exists, and what the killed
/// uploads left is only objects no row names (and staged parts), which the sweeper removes.
#[tokio::test]
async fn a_killed_server_loses_no_acknowledged_file_and_no_row_lacks_its_object() {
    use sha2::Digest;
    let database = TestDatabase::create();
    let kept = crate::helpers::TestFiles::create();
    let files_url = kept.url();
    let (serving, base, agency, procedure, token) =
        served_commune(&database, &["--files-url", &files_url]).await;
    let client = reqwest::Client::new();
    let intake = json!({
        "procedure_id": procedure, "agency_id": agency, "channel": "direct",
        "applicant": {"kind": "citizen", "full_name": "Nguyễn Văn Án"}, "components": [{"name": "Tờ khai"}],
    });
    let dossier = post(&client, format!("{base}/api/v1/dossiers"), &token, &intake).await;
    let files = format!("/api/v1/dossiers/{}/files", dossier["id"].as_str().unwrap());
    let uploads = format!("{base}{files}");

    // Six clients upload distinct 1 MB scans as fast as they can until the server dies under them.
    let acknowledged = Arc::new(std::sync::Mutex::new(Vec::<(String, String)>::new()));
    let (dead, counter) =
        (Arc::new(AtomicBool::new(false)), Arc::new(std::sync::atomic::AtomicUsize::new(0)));
    let load: Vec<_> = (0..6)
        .map(|_| {
            let (client, token, url) = (client.clone(), token.clone(), uploads.clone());
            let (acknowledged, dead, counter) = (acknowledged.clone(), dead.clone(), counter.clone());
            tokio::spawn(async move {
                while !dead.load(Ordering::SeqCst) {
                    let n = counter.fetch_add(1, Ordering::SeqCst);
                    let mut scan = format!("%PDF-1.7\n% scan {n}\n").into_bytes();
                    scan.extend(
                        (0..1_000_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8 ^ n as u8),
                    );
                    let sha = hex::encode(sha2::Sha256::digest(&scan));
                    let part = reqwest::multipart::Part::bytes(scan).file_name(format!("scan-{n}.pdf"));
                    let form = reqwest::multipart::Form::new()
                        .text("kind", "component")
                        .text("component", "0")
                        .part("file", part);
                    let Ok(response) = client.post(&url).bearer_auth(&token).multipart(form).send().await
                    else {
                        break;
                    };
                    if response.status() != 201 {
                        continue;
                    }
                    let Ok(body) = response.json::<Value>().await else { break };
                    acknowledged.lock().unwrap().push((body["id"].as_str().unwrap().to_owned(), sha));
                }
            })
        })
        .collect();
    while acknowledged.lock().unwrap().len() < 12 {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let mut serving = serving;
    serving.child.kill().unwrap(); // SIGKILL in the middle of uploads
    serving.child.wait().unwrap();
    dead.store(true, Ordering::SeqCst);
    for task in load {
        task.await.unwrap();
    }
    let acknowledged = acknowledged.lock().unwrap().clone();

    let (again, port) = start_serve(&database, &["--files-url", &files_url]).await;
    let base = format!("http://127.0.0.1:{port}");
    let token = login(&client, &base).await;
    for (id, sha) in &acknowledged {
        let download = client.get(format!("{base}{files}/{id}")).bearer_auth(&token).send().await.unwrap();
        assert_eq!(download.status(), 200, "acknowledged file {id} lost");
        let bytes = download.bytes().await.unwrap();
        assert_eq!(&hex::encode(sha2::Sha256::digest(&bytes)), sha, "file {id} holds other bytes");
    }
    stop(again).await;

    let store = motcua::file_store::FileStore::open(&files_url).unwrap();
    let url = database.url().to_owned();
    let db = tokio::task::spawn_blocking(move || {
        motcua::startup::open_database(&Settings::for_database(&url), &url.parse().unwrap()).unwrap()
    })
    .await
    .unwrap();
    let pool = db.pool().clone();
    let keys: BTreeSet<String> = tokio::task::spawn_blocking(move || {
        let mut conn = pool.get().unwrap();
        dossier_files::table.select(dossier_files::object_key).load::<String>(&mut conn).unwrap()
    })
    .await
    .unwrap()
    .into_iter()
    .collect();
    assert!(keys.len() >= acknowledged.len());
    for key in &keys {
        assert!(store.exists(key).await.unwrap(), "a row names the missing object {key}");
    }
    motcua::dossiers::files::sweep(&db, &store, Duration::ZERO).await.unwrap();
    let later = chrono::Utc::now() + chrono::Duration::hours(1);
    let objects: BTreeSet<String> = store.older_than("dossiers", later).await.unwrap().into_iter().collect();
    assert_eq!(objects, keys, "after the sweep, exactly the objects the rows name remain");
    assert_eq!(store.sweep_staged("dossiers", later).await.unwrap(), 0, "no staged part survives the sweep");
}

/// A cut between the service and PostgreSQL: a TCP forwarder the test can switch off, which
/// drops every open connection and refuses new ones, as a database that went away does.
struct Cable {
    port: u16,
    up: Arc<AtomicBool>,
    open: Arc<std::sync::Mutex<Vec<tokio::task::AbortHandle>>>,
}

impl Cable {
    async fn to(target: String) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let up = Arc::new(AtomicBool::new(true));
        let open = Arc::new(std::sync::Mutex::new(Vec::new()));
        let (up_, open_) = (up.clone(), open.clone());
        tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                if !up_.load(Ordering::SeqCst) {
                    continue; // dropped: the connection is refused
                }
                let Ok(mut outbound) = tokio::net::TcpStream::connect(&target).await else { continue };
                let task = tokio::spawn(async move {
                    let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                });
                open_.lock().unwrap().push(task.abort_handle());
            }
        });
        Self { port, up, open }
    }

    fn cut(&self) {
        self.up.store(false, Ordering::SeqCst);
        for task in self.open.lock().unwrap().drain(..) {
            task.abort();
        }
    }

    fn mend(&self) {
        self.up.store(true, Ordering::SeqCst);
    }
}

/// PostgreSQL goes away under load: requests answer 503 problem+json within the pool timeout
/// (no long hangs), /readyz says so, and the service recovers by itself when it is back.
#[tokio::test]
async fn a_database_outage_answers_503_quickly_and_heals_by_itself() {
    if std::env::var(crate::helpers::POSTGRES_ENV).map_or(true, |v| v.is_empty()) {
        return; // SQLite is a file in the process: it has no outage of this kind
    }
    let database = TestDatabase::create();
    let mut through = url::Url::parse(database.url()).unwrap();
    let target = format!("{}:{}", through.host_str().unwrap(), through.port().unwrap_or(5432));
    let cable = Cable::to(target).await;
    through.set_port(Some(cable.port)).unwrap();
    let app = crate::helpers::spawn_app_on(database, |s| {
        s.database.url = through.to_string();
        s.database.timeout_secs = 2;
    })
    .await;
    let token = app.admin_token().await;
    assert_eq!(app.get_as(&token, "/api/v1/procedures").await.status(), 200);

    // Load keeps coming while the database is away.
    cable.cut();
    let started = std::time::Instant::now();
    let (readyz, list) = tokio::join!(app.get("/readyz"), app.get_as(&token, "/api/v1/procedures"));
    for response in [readyz, list] {
        assert_eq!(response.status(), 503);
        assert_eq!(response.headers()["content-type"], "application/problem+json");
        let problem: Value = response.json().await.unwrap();
        assert_eq!(problem["status"], 503);
        assert!(!problem.to_string().contains("127.0.0.1"), "no internals: {problem}");
    }
    for _ in 0..5 {
        assert_eq!(app.get_as(&token, "/api/v1/dossiers").await.status(), 503);
    }
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "answers come within the pool timeout: {:?}",
        started.elapsed()
    );

    cable.mend();
    let mut healed = false;
    for _ in 0..100 {
        if app.get("/readyz").await.status() == 200 {
            healed = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(healed, "the service reconnects by itself");
    assert_eq!(app.get_as(&token, "/api/v1/procedures").await.status(), 200);
}
