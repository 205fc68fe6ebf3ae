//! The event feed and webhooks, with a real HTTP receiver inside the test.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use motcua::delivery::signature;
use motcua::settings::Settings;
use serde_json::{Value, json};

use crate::helpers::{ADMIN_PASSWORD, TestApp, error_fields, problem, spawn_app, spawn_app_with};

const SECRET: &str = "receiver-shared-secret";

/// A commune with an officer and a procedure; a second commune to check scope.
struct World {
    admin: String,
    officer: String,
    commune: String,
    other_commune: String,
    procedure: String,
}

async fn world(app: &TestApp) -> World {
    let admin = app.admin_token().await;
    let province = app.create_agency(&admin, "P01", "province", None).await;
    let commune = app.create_agency(&admin, "P01.C01", "commune", Some(&province)).await;
    let other_commune = app.create_agency(&admin, "P01.C02", "commune", Some(&province)).await;
    app.create_user(&admin, "officer", "officer", Some(&commune)).await;
    app.create_user(&admin, "officer2", "officer", Some(&other_commune)).await;
    let procedure = app.birth_procedure(&admin).await;
    World { officer: app.login("officer", ADMIN_PASSWORD).await, admin, commune, other_commune, procedure }
}

/// A desk intake by `token` into `agency`; returns the dossier id.
async fn intake(app: &TestApp, token: &str, world: &World, agency: &str) -> String {
    let body = json!({
        "procedure_id": world.procedure, "agency_id": agency, "channel": "direct",
        "applicant": {"kind": "citizen", "full_name": "Nguyễn Văn Án"},
        "components": [{"name": "Tờ khai", "digitized": true}],
    });
    let response = app.post_as(token, "/api/v1/dossiers", &body).await;
    assert_eq!(response.status(), 201);
    response.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned()
}

/// Read the feed from `cursor` in pages of `limit` until it holds at least `want` events and a
/// page comes back empty; returns the events and the last cursor. On PostgreSQL an event shows
/// once every older transaction of the server has ended, and other tests' transactions run at
/// the same time: so wait (up to 10 s) for the events the test knows were committed.
async fn read_feed(
    app: &TestApp,
    token: &str,
    mut cursor: Option<String>,
    limit: u32,
    want: usize,
) -> (Vec<Value>, String) {
    let mut events = Vec::new();
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/events?limit={limit}&after={c}"),
            None => format!("/api/v1/events?limit={limit}"),
        };
        let response = app.get_as(token, &path).await;
        assert_eq!(response.status(), 200);
        let page: Value = response.json().await.unwrap();
        let items = page["items"].as_array().unwrap().clone();
        cursor = Some(page["next_cursor"].as_str().expect("a feed page always has a cursor").to_owned());
        if items.is_empty() {
            if events.len() >= want || std::time::Instant::now() > deadline {
                return (events, cursor.unwrap());
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        events.extend(items);
    }
}

fn ids(events: &[Value]) -> Vec<i64> {
    events.iter().map(|e| e["id"].as_str().unwrap().parse().unwrap()).collect()
}

#[tokio::test]
async fn the_feed_pages_in_order_within_scope() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let dossier = intake(&app, &w.officer, &w, &w.commune).await;
    let response = app
        .post_as(
            &w.officer,
            &format!("/api/v1/dossiers/{dossier}/resolve"),
            &json!({"outcome": "approved", "result_digitized": true}),
        )
        .await;
    assert_eq!(response.status(), 200);
    intake(&app, &w.admin, &w, &w.other_commune).await;

    let (all, _) = read_feed(&app, &w.admin, None, 500, 5).await;
    let types: Vec<&str> = all.iter().map(|e| e["type"].as_str().unwrap()).collect();
    // A desk intake is submitted and accepted at once: two events.
    let expected = [
        "dossier.submitted",
        "dossier.accepted",
        "dossier.resolved",
        "dossier.submitted",
        "dossier.accepted",
    ];
    assert_eq!(types, expected);
    let first = &all[0];
    assert_eq!(first["agency_id"], w.commune.as_str());
    assert_eq!(first["data"]["id"], dossier.as_str());
    assert!(first["data"].get("applicant").is_none(), "no personal data in events");
    assert!(first["occurred_at"].as_str().unwrap().ends_with('Z'));

    let (paged, last) = read_feed(&app, &w.admin, None, 1, 5).await;
    assert_eq!(ids(&paged), ids(&all), "pages of one give the same events");
    let caught_up: Value =
        app.get_as(&w.admin, &format!("/api/v1/events?after={last}")).await.json().await.unwrap();
    assert_eq!(caught_up["items"], json!([]));
    assert_eq!(caught_up["next_cursor"], last.as_str(), "caught up: the same cursor to poll with");

    // A service account bound to one commune reads only its events.
    let adapter = app.service_token(&w.admin, "adapter", &[&w.commune]).await;
    let (own, _) = read_feed(&app, &adapter, None, 2, 3).await;
    assert_eq!(own.len(), 3);
    assert!(own.iter().all(|e| e["agency_id"] == w.commune.as_str()));

    let officer = app.get_as(&w.officer, "/api/v1/events").await;
    assert_eq!(officer.status(), 403);
    assert_eq!(app.get("/api/v1/events").await.status(), 401);
    for bad in ["after=%21%21", "after=eA", "limit=0", "limit=501"] {
        let response = app.get_as(&w.admin, &format!("/api/v1/events?{bad}")).await;
        assert_eq!(response.status(), 400, "{bad}");
        let field = bad.split('=').next().unwrap();
        assert_eq!(error_fields(&problem(response).await), [field]);
    }
}

/// Writers and a reader at once: every event read exactly once, in the feed's order.
#[tokio::test]
async fn the_feed_never_skips_or_repeats_under_concurrent_writes() {
    let app = Arc::new(spawn_app_with(|s| s.database.pool_size = 10).await);
    let w = Arc::new(world(&app).await);
    let before = read_feed(&app, &w.admin, None, 500, 0).await.1;

    let writers: Vec<_> = (0..6)
        .map(|_| {
            let (app, w) = (app.clone(), w.clone());
            tokio::spawn(async move {
                for _ in 0..8 {
                    intake(&app, &w.officer, &w, &w.commune).await;
                }
            })
        })
        .collect();
    let mut seen = Vec::new();
    let mut cursor = before.clone();
    while !writers.iter().all(|h| h.is_finished()) {
        let page: Value = app
            .get_as(&w.admin, &format!("/api/v1/events?limit=3&after={cursor}"))
            .await
            .json()
            .await
            .unwrap();
        seen.extend(ids(page["items"].as_array().unwrap()));
        cursor = page["next_cursor"].as_str().unwrap().to_owned();
    }
    for writer in writers {
        writer.await.unwrap();
    }
    let (rest, _) = read_feed(&app, &w.admin, Some(cursor), 3, 96 - seen.len()).await;
    seen.extend(ids(&rest));

    let (everything, _) = read_feed(&app, &w.admin, Some(before), 500, 96).await;
    assert_eq!(everything.len(), 96, "48 desk intakes, two events each");
    assert_eq!(seen.iter().collect::<BTreeSet<_>>().len(), seen.len(), "no repeats: {seen:?}");
    assert_eq!(seen, ids(&everything), "no event skipped while writes went on");
}

/// What the receiver got: headers and the raw body of each request.
#[derive(Clone, Debug)]
struct Received {
    event: String,
    delivery: String,
    signature: String,
    body: String,
}

#[derive(Clone, Default)]
struct Receiver {
    got: Arc<Mutex<Vec<Received>>>,
    /// Answer 500 to this many requests before answering 204.
    fail_first: Arc<Mutex<usize>>,
    /// Wait this long before answering.
    delay: Duration,
}

impl Receiver {
    async fn start(self) -> (String, Self) {
        let state = self.clone();
        let server = HttpServer::new(move || {
            App::new().app_data(web::Data::new(state.clone())).route("/hook", web::post().to(receive))
        })
        .workers(1)
        .bind("127.0.0.1:0")
        .unwrap();
        let port = server.addrs()[0].port();
        tokio::spawn(server.run());
        (format!("http://127.0.0.1:{port}/hook"), self)
    }

    fn received(&self) -> Vec<Received> {
        self.got.lock().unwrap().clone()
    }

    async fn wait_for(&self, n: usize) -> Vec<Received> {
        for _ in 0..300 {
            let got = self.received();
            if got.len() >= n {
                return got;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the receiver got {} requests, not {n}", self.received().len());
    }
}

async fn receive(req: HttpRequest, body: web::Bytes, state: web::Data<Receiver>) -> HttpResponse {
    let header =
        |name: &str| req.headers().get(name).map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    state.got.lock().unwrap().push(Received {
        event: header("X-Motcua-Event"),
        delivery: header("X-Motcua-Delivery"),
        signature: header("X-Motcua-Signature"),
        body: String::from_utf8(body.to_vec()).unwrap(),
    });
    tokio::time::sleep(state.delay).await;
    let mut fail = state.fail_first.lock().unwrap();
    if *fail > 0 {
        *fail -= 1;
        HttpResponse::InternalServerError().body("not yet")
    } else {
        HttpResponse::NoContent().finish()
    }
}

fn fast_webhooks(s: &mut Settings) {
    s.webhook_allow_private = true;
    s.webhook_poll_ms = 50;
    s.webhook_retry_base_ms = 100;
    s.webhook_max_attempts = 3;
    s.webhook_timeout_secs = 5;
}

async fn subscribe(app: &TestApp, token: &str, url: &str, types: Value) -> Value {
    let response = app
        .post_as(token, "/api/v1/webhooks", &json!({"url": url, "secret": SECRET, "event_types": types}))
        .await;
    assert_eq!(response.status(), 201);
    let hook: Value = response.json().await.unwrap();
    assert!(hook.get("secret").is_none(), "the secret is never shown");
    hook
}

async fn deliveries(app: &TestApp, token: &str, hook: &str, query: &str) -> Vec<Value> {
    let response = app.get_as(token, &format!("/api/v1/webhooks/{hook}/deliveries?{query}")).await;
    assert_eq!(response.status(), 200);
    response.json::<Value>().await.unwrap()["items"].as_array().unwrap().clone()
}

#[tokio::test]
async fn a_receiver_gets_every_change_signed_and_in_order_after_failures() {
    let app = spawn_app_with(fast_webhooks).await;
    let w = world(&app).await;
    let receiver = Receiver { fail_first: Arc::new(Mutex::new(2)), ..Default::default() };
    let (url, receiver) = receiver.start().await;
    let adapter = app.service_token(&w.admin, "adapter", &[&w.commune]).await;
    let hook = subscribe(&app, &adapter, &url, json!(["dossier.*"])).await;
    let hook_id = hook["id"].as_str().unwrap();

    let first = intake(&app, &w.officer, &w, &w.commune).await;
    let resolve = json!({"outcome": "approved", "result_digitized": true});
    assert_eq!(
        app.post_as(&w.officer, &format!("/api/v1/dossiers/{first}/resolve"), &resolve).await.status(),
        200
    );
    assert_eq!(
        app.post_as(&w.officer, &format!("/api/v1/dossiers/{first}/return"), &json!({})).await.status(),
        200
    );
    let second = intake(&app, &w.officer, &w, &w.commune).await;
    intake(&app, &w.admin, &w, &w.other_commune).await; // outside the adapter's agencies

    // Two failures of the first delivery, then six deliveries in order.
    let got = receiver.wait_for(8).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let got = if receiver.received().len() > got.len() { receiver.received() } else { got };
    assert_eq!(got.len(), 8, "nothing else: {got:?}");
    let delivered = &got[2..];
    let types: Vec<&str> = delivered.iter().map(|r| r.event.as_str()).collect();
    let expected = ["submitted", "accepted", "resolved", "returned", "submitted", "accepted"]
        .map(|t| format!("dossier.{t}"));
    assert_eq!(types, expected);
    assert_eq!(got[0].delivery, got[2].delivery, "the failed delivery is retried first");
    let mut last_id = 0;
    for r in &got {
        assert!(signature::verify(SECRET, r.body.as_bytes(), &r.signature), "signed: {}", r.signature);
        assert!(!signature::verify("another-secret-entirely", r.body.as_bytes(), &r.signature));
        let body: Value = serde_json::from_str(&r.body).unwrap();
        assert_eq!(body["type"], r.event.as_str());
        assert_eq!(body["id"], r.delivery.as_str());
        assert_eq!(body["agency_id"], w.commune.as_str());
        let id: i64 = r.delivery.parse().unwrap();
        assert!(id >= last_id, "in order");
        last_id = id;
    }
    let bodies: Vec<Value> = delivered.iter().map(|r| serde_json::from_str(&r.body).unwrap()).collect();
    assert_eq!(bodies[0]["data"]["id"], first.as_str());
    assert_eq!(bodies[4]["data"]["id"], second.as_str());

    // The attempts are on record, newest event first.
    let list = deliveries(&app, &adapter, hook_id, "").await;
    assert_eq!(list.len(), 6);
    assert!(list.iter().all(|d| d["state"] == "delivered"));
    let oldest = list.last().unwrap();
    let codes: Vec<&Value> =
        oldest["attempts"].as_array().unwrap().iter().map(|a| &a["status_code"]).collect();
    assert_eq!(codes, [&json!(500), &json!(500), &json!(204)]);
    assert!(oldest["attempts"][0]["error"].as_str().unwrap().contains("500"));
    let read: Value =
        app.get_as(&adapter, &format!("/api/v1/webhooks/{hook_id}")).await.json().await.unwrap();
    assert_eq!((read["pending"].clone(), read["dead"].clone()), (json!(0), json!(0)));
}

#[tokio::test]
async fn a_dead_delivery_can_be_retried_by_hand() {
    let app = spawn_app_with(fast_webhooks).await;
    let w = world(&app).await;
    // Fails all three attempts of the first delivery, then answers.
    let receiver = Receiver { fail_first: Arc::new(Mutex::new(3)), ..Default::default() };
    let (url, receiver) = receiver.start().await;
    let hook = subscribe(&app, &w.admin, &url, json!(["dossier.submitted"])).await;
    let hook_id = hook["id"].as_str().unwrap();
    intake(&app, &w.officer, &w, &w.commune).await;
    intake(&app, &w.officer, &w, &w.commune).await;

    let got = receiver.wait_for(4).await;
    assert_eq!(got[0].delivery, got[2].delivery, "three attempts at the first");
    assert_ne!(got[3].delivery, got[0].delivery, "then the next event, past the dead one");
    let dead = deliveries(&app, &w.admin, hook_id, "state=dead").await;
    assert_eq!(dead.len(), 1);
    assert_eq!(dead[0]["attempts"].as_array().unwrap().len(), 3);
    let delivery_id = dead[0]["id"].as_str().unwrap();

    let path = format!("/api/v1/webhooks/{hook_id}/deliveries/{delivery_id}/retry");
    let retried = app.post_as(&w.admin, &path, &json!({})).await;
    assert_eq!(retried.status(), 202);
    let got = receiver.wait_for(5).await;
    assert_eq!(got[4].delivery, got[0].delivery);
    for _ in 0..100 {
        if deliveries(&app, &w.admin, hook_id, "state=delivered").await.len() == 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(deliveries(&app, &w.admin, hook_id, "state=delivered").await.len(), 2);
    let again = app.post_as(&w.admin, &path, &json!({})).await;
    assert_eq!(again.status(), 409, "only a dead delivery is retried");
}

#[tokio::test]
async fn private_targets_and_bad_subscriptions_are_refused() {
    let app = spawn_app().await;
    let w = world(&app).await;
    for url in
        ["http://127.0.0.1:9/hook", "http://localhost:9/hook", "http://10.0.0.5/hook", "http://[::1]/h"]
    {
        let response = app
            .post_as(
                &w.admin,
                "/api/v1/webhooks",
                &json!({"url": url, "secret": SECRET, "event_types": ["*"]}),
            )
            .await;
        assert_eq!(response.status(), 422, "{url}");
        let problem = problem(response).await;
        assert_eq!(error_fields(&problem), ["url"], "{url}");
        assert!(problem.to_string().contains("MOTCUA_WEBHOOK_ALLOW_PRIVATE"), "{problem}");
    }
    let cases = [
        (json!({"url": "ftp://x.example/", "secret": SECRET, "event_types": ["*"]}), "url"),
        (json!({"url": "https://x.example/", "secret": "short", "event_types": ["*"]}), "secret"),
        (json!({"url": "https://x.example/", "secret": SECRET, "event_types": []}), "event_types"),
        (
            json!({"url": "https://x.example/", "secret": SECRET, "event_types": ["dossier.resolve"]}),
            "event_types[0]",
        ),
    ];
    for (body, field) in &cases {
        let response = app.post_as(&w.admin, "/api/v1/webhooks", body).await;
        assert_eq!(response.status(), 422, "{body}");
        assert_eq!(error_fields(&problem(response).await), [*field], "{body}");
    }
    assert_eq!(app.post_as(&w.officer, "/api/v1/webhooks", &cases[0].0).await.status(), 403);
}

#[tokio::test]
async fn subscriptions_belong_to_their_owner() {
    let app = spawn_app_with(|s| s.webhook_allow_private = true).await;
    let w = world(&app).await;
    let adapter = app.service_token(&w.admin, "adapter", &[&w.commune]).await;
    let other = app.service_token(&w.admin, "adapter", &[&w.other_commune]).await;
    let hook =
        subscribe(&app, &adapter, "http://127.0.0.1:9/hook", json!(["dossier.*", "feedback.received"])).await;
    let id = hook["id"].as_str().unwrap();
    assert_eq!(hook["event_types"], json!(["dossier.*", "feedback.received"]));
    assert_eq!(app.get_as(&other, &format!("/api/v1/webhooks/{id}")).await.status(), 404);
    let theirs: Value = app.get_as(&other, "/api/v1/webhooks").await.json().await.unwrap();
    assert_eq!(theirs, json!({"items": [], "next_cursor": null}));
    let all: Value = app.get_as(&w.admin, "/api/v1/webhooks").await.json().await.unwrap();
    assert_eq!(all["items"].as_array().unwrap().len(), 1, "a system administrator sees every subscription");

    let paused = app
        .patch_as(
            &adapter,
            &format!("/api/v1/webhooks/{id}"),
            &json!({"active": false, "event_types": ["*"]}),
        )
        .await;
    assert_eq!(paused.status(), 200);
    let paused: Value = paused.json().await.unwrap();
    assert_eq!((paused["active"].clone(), paused["event_types"].clone()), (json!(false), json!(["*"])));
    let gone = app.send(reqwest::Method::DELETE, &format!("/api/v1/webhooks/{id}"), Some(&other), None).await;
    assert_eq!(gone.status(), 404);
    let gone =
        app.send(reqwest::Method::DELETE, &format!("/api/v1/webhooks/{id}"), Some(&adapter), None).await;
    assert_eq!(gone.status(), 204);
    assert_eq!(app.get_as(&adapter, &format!("/api/v1/webhooks/{id}")).await.status(), 404);
}

/// Two `serve` processes on one database: each event reaches the receiver once.
#[tokio::test]
async fn two_workers_never_deliver_an_event_twice() {
    let app = spawn_app_with(fast_webhooks).await;
    let sibling = app.spawn_sibling(fast_webhooks).await;
    let w = world(&app).await;
    let (url, receiver) = Receiver::default().start().await;
    // Several subscriptions, so both workers have work to race for.
    for _ in 0..3 {
        subscribe(&app, &w.admin, &url, json!(["*"])).await;
    }
    for _ in 0..15 {
        intake(&app, &w.officer, &w, &w.commune).await;
    }
    let got = receiver.wait_for(90).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let got = if receiver.received().len() > got.len() { receiver.received() } else { got };
    let mut per_event: HashMap<String, usize> = HashMap::new();
    for r in &got {
        *per_event.entry(r.delivery.clone()).or_default() += 1;
    }
    assert_eq!(per_event.len(), 30, "15 desk intakes, two events each");
    assert!(per_event.values().all(|n| *n == 3), "each event once per subscription: {per_event:?}");
    sibling.stop().await;
}

/// Stopping the server waits for the delivery in flight and records it.
#[tokio::test]
async fn shutdown_waits_for_the_delivery_in_flight() {
    // The first process only serves; a second one on the same database delivers.
    let app = spawn_app_with(|s| {
        fast_webhooks(s);
        s.webhook_worker = false;
    })
    .await;
    let process = app.spawn_sibling(fast_webhooks).await;
    let w = world(&app).await;
    let receiver = Receiver { delay: Duration::from_millis(800), ..Default::default() };
    let (url, receiver) = receiver.start().await;
    let hook = subscribe(&app, &w.admin, &url, json!(["*"])).await;
    intake(&app, &w.officer, &w, &w.commune).await;
    receiver.wait_for(1).await;
    process.stop().await;
    let delivered = deliveries(&app, &w.admin, hook["id"].as_str().unwrap(), "state=delivered").await;
    assert_eq!(delivered.len(), 1, "recorded before the process ended");
    let ids: BTreeSet<String> = receiver.received().into_iter().map(|r| r.delivery).collect();
    assert_eq!(ids.len(), 1);
}

/// The feed's order, deterministically: an event that commits late, after a later one was
/// already read, is still delivered. A writer inserts event "first" and holds its transaction
/// open; a second writer inserts "second" and commits. A reader then pages the feed, and pages
/// again from its cursor once "first" has committed: together the pages hold both events.
/// (Ordered by id alone, the reader would see "second", move its cursor past "first" and never
/// see it. On SQLite the second writer waits for the first.)
#[tokio::test]
async fn an_event_that_commits_late_is_not_skipped() {
    use motcua::db::write_transaction;
    use motcua::integration::events;
    use motcua::records::outbox;
    use std::sync::mpsc;

    let app = spawn_app().await;
    let (before, after) = app
        .with_library_db(|db| {
            fn event(n: &str) -> outbox::NewEvent<'_> {
                outbox::NewEvent {
                    event_type: "dossier.updated",
                    aggregate_type: "dossier",
                    aggregate_id: n,
                    agency_id: "agency",
                    occurred_at: chrono::Utc::now().naive_utc(),
                    data: "{}".into(),
                }
            }
            let read = |conn: &mut motcua::db::DbConnection, from| {
                let rows = events::events_after(conn, None, from, 10).unwrap();
                let next = rows.last().map_or(from, |r| r.position());
                (rows.into_iter().map(|r| r.id).collect::<Vec<i64>>(), next)
            };
            let (inserted, wait) = mpsc::channel();
            let pool = db.pool().clone();
            let slow = std::thread::spawn(move || {
                let mut conn = pool.get().unwrap();
                write_transaction(&mut conn, |conn| {
                    outbox::insert_events(conn, &[event("first")])?;
                    inserted.send(()).unwrap();
                    std::thread::sleep(Duration::from_millis(400));
                    Ok::<_, diesel::result::Error>(())
                })
                .unwrap();
            });
            wait.recv().unwrap();
            let mut conn = db.pool().get().unwrap();
            write_transaction(&mut conn, |conn| outbox::insert_events(conn, &[event("second")])).unwrap();
            // Right after the second commit, read as an adapter would; then again from its cursor.
            let (before, cursor) = read(&mut conn, events::FeedPosition::default());
            slow.join().unwrap();
            // Other tests' transactions on the same server can hold the feed back a moment:
            // read on from the cursor until both events are in (or 10 s have passed).
            let (mut after, mut cursor) = (Vec::new(), cursor);
            let deadline = std::time::Instant::now() + Duration::from_secs(10);
            while before.len() + after.len() < 2 && std::time::Instant::now() < deadline {
                let (more, next) = read(&mut conn, cursor);
                after.extend(more);
                cursor = next;
                std::thread::sleep(Duration::from_millis(20));
            }
            (before, after)
        })
        .await;
    // The two events are the only ones, so their ids are 1 (first) and 2 (second).
    let mut all: Vec<i64> = before.iter().chain(&after).copied().collect();
    all.sort();
    assert_eq!(all, [1, 2], "each event exactly once: {before:?} then {after:?}");
}
