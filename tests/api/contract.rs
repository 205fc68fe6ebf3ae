//! The contract clients and adapters rely on, alike on every resource (issue 21): a retried
//! write with its `Idempotency-Key` gets the first response and creates nothing new.

use serde_json::{Value, json};

use crate::helpers::{TestApp, desk, error_fields, problem, spawn_app, submit_dossier};

async fn post_with_key(app: &TestApp, token: &str, path: &str, key: &str, body: &Value) -> reqwest::Response {
    app.client
        .post(app.url(path))
        .bearer_auth(token)
        .header("Idempotency-Key", key)
        .json(body)
        .send()
        .await
        .unwrap()
}

/// Post twice with one key: both answers are the first, whole (status, Location, body).
async fn twice(app: &TestApp, token: &str, path: &str, key: &str, body: &Value, status: u16) -> Value {
    let first = post_with_key(app, token, path, key, body).await;
    assert_eq!(first.status(), status, "{path}");
    let location = first.headers().get("location").cloned();
    let first: Value = first.json().await.unwrap();
    let repeat = post_with_key(app, token, path, key, body).await;
    assert_eq!(repeat.status(), status, "{path} repeated");
    assert_eq!(repeat.headers().get("location").cloned(), location);
    let repeat: Value = repeat.json().await.unwrap();
    assert_eq!(repeat, first, "{path}: the repeat gets the first response");
    first
}

fn feedback_body(agency: &str) -> Value {
    json!({
        "channel": "hotline", "subject": "Chậm trả kết quả", "content": "Hồ sơ quá hạn chưa có thông báo.",
        "agency_id": agency, "submitter": {"full_name": "Nguyễn Văn An", "phone": "0912345678"},
    })
}

#[tokio::test]
async fn feedback_intake_and_steps_replay_the_first_response() {
    let app = spawn_app().await;
    let office = desk(&app).await;
    let body = feedback_body(&office.commune);
    let fb = twice(&app, &office.officer, "/api/v1/feedback", "fb-1", &body, 201).await;
    let list: Value = app.get_as(&office.officer, "/api/v1/feedback").await.json().await.unwrap();
    assert_eq!(list["items"].as_array().unwrap().len(), 1, "one piece of feedback, not two");

    let mut other = body.clone();
    other["subject"] = json!("Khác");
    let reused = post_with_key(&app, &office.officer, "/api/v1/feedback", "fb-1", &other).await;
    assert_eq!(reused.status(), 422);
    assert_eq!(error_fields(&problem(reused).await), ["Idempotency-Key"]);

    let id = fb["id"].as_str().unwrap();
    let path = format!("/api/v1/feedback/{id}/process");
    let processed = twice(&app, &office.officer, &path, "fb-1-process", &json!({}), 200).await;
    assert_eq!(processed["status"], "processing");
    assert_eq!(processed["version"], 2, "taken once");
    let path = format!("/api/v1/feedback/{id}/respond");
    let answered =
        twice(&app, &office.officer, &path, "fb-1-respond", &json!({"response": "Đã xử lý."}), 200).await;
    assert_eq!(answered["status"], "resolved");
    let history: Value =
        app.get_as(&office.officer, &format!("/api/v1/feedback/{id}/history")).await.json().await.unwrap();
    assert_eq!(history["items"].as_array().unwrap().len(), 3, "intake, process, respond: once each");
}

#[tokio::test]
async fn survey_and_webhook_creation_replay_the_first_response() {
    let app = spawn_app().await;
    let office = desk(&app).await;

    let dossier = json!({
        "procedure_id": office.procedure, "agency_id": office.commune, "channel": "direct",
        "applicant": {"kind": "citizen", "full_name": "Nguyễn Văn An"},
    });
    let dossier = submit_dossier(&app, &office.officer, &dossier).await;
    let path = format!("/api/v1/dossiers/{}/survey", dossier["id"].as_str().unwrap());
    let survey = twice(&app, &office.officer, &path, "survey-1", &json!({"level": "satisfied"}), 201).await;
    assert_eq!(survey["level"], "satisfied");

    let hook = json!({"url": "http://8.8.8.8/hook", "secret": "0123456789abcdef", "event_types": ["feedback.published"]});
    let created = twice(&app, &office.admin, "/api/v1/webhooks", "hook-1", &hook, 201).await;
    assert!(created.get("secret").is_none());
    let hooks: Value = app.get_as(&office.admin, "/api/v1/webhooks").await.json().await.unwrap();
    assert_eq!(hooks["items"].as_array().unwrap().len(), 1, "one subscription, not two");
}

async fn send(
    app: &TestApp,
    method: reqwest::Method,
    token: &str,
    path: &str,
    etag: &str,
    body: &Value,
) -> reqwest::Response {
    app.client
        .request(method, app.url(path))
        .bearer_auth(token)
        .header("If-Match", etag)
        .json(body)
        .send()
        .await
        .unwrap()
}

fn etag_of(response: &reqwest::Response) -> String {
    response.headers()["etag"].to_str().unwrap().to_owned()
}

#[tokio::test]
async fn feedback_and_webhooks_carry_etags_and_refuse_stale_writes() {
    let app = spawn_app().await;
    let office = desk(&app).await;
    let created = app.post_as(&office.officer, "/api/v1/feedback", &feedback_body(&office.commune)).await;
    assert_eq!(created.status(), 201);
    let created_etag = etag_of(&created);
    let fb: Value = created.json().await.unwrap();
    let path = format!("/api/v1/feedback/{}", fb["id"].as_str().unwrap());
    let read = app.get_as(&office.officer, &path).await;
    assert_eq!(etag_of(&read), created_etag, "a read shows the ETag the write gave");

    let processed = send(
        &app,
        reqwest::Method::POST,
        &office.officer,
        &format!("{path}/process"),
        &created_etag,
        &json!({}),
    )
    .await;
    assert_eq!(processed.status(), 200);
    let processed_etag = etag_of(&processed);
    assert_ne!(processed_etag, created_etag);
    let stale = send(
        &app,
        reqwest::Method::POST,
        &office.officer,
        &format!("{path}/respond"),
        &created_etag,
        &json!({"response": "Đã xử lý."}),
    )
    .await;
    assert_eq!(stale.status(), 412);
    assert_eq!(stale.headers()["content-type"], "application/problem+json");
    let unchanged: Value = app.get_as(&office.officer, &path).await.json().await.unwrap();
    assert_eq!(unchanged["status"], "processing", "a stale step changes nothing");

    let hook = json!({"url": "http://8.8.8.8/hook", "secret": "0123456789abcdef", "event_types": ["feedback.published"]});
    let created = app.post_as(&office.admin, "/api/v1/webhooks", &hook).await;
    assert_eq!(created.status(), 201);
    let created_etag = etag_of(&created);
    let hook: Value = created.json().await.unwrap();
    let path = format!("/api/v1/webhooks/{}", hook["id"].as_str().unwrap());
    assert_eq!(etag_of(&app.get_as(&office.admin, &path).await), created_etag);
    let paused =
        send(&app, reqwest::Method::PATCH, &office.admin, &path, &created_etag, &json!({"active": false}))
            .await;
    assert_eq!(paused.status(), 200);
    assert_ne!(etag_of(&paused), created_etag);
    let stale =
        send(&app, reqwest::Method::PATCH, &office.admin, &path, &created_etag, &json!({"active": true}))
            .await;
    assert_eq!(stale.status(), 412);
    assert_eq!(stale.headers()["content-type"], "application/problem+json");
    let still: Value = app.get_as(&office.admin, &path).await.json().await.unwrap();
    assert_eq!(still["active"], false);
}

#[tokio::test]
async fn webhook_and_service_account_lists_are_cursor_pages() {
    let app = spawn_app().await;
    let office = desk(&app).await;
    for n in 0..3 {
        let hook = json!({"url": format!("http://8.8.8.8/hook{n}"), "secret": "0123456789abcdef", "event_types": ["*"]});
        assert_eq!(app.post_as(&office.admin, "/api/v1/webhooks", &hook).await.status(), 201);
        let account = json!({"name": format!("Cổng | {n}"), "agency_ids": [office.commune]});
        assert_eq!(app.post_as(&office.admin, "/api/v1/service-accounts", &account).await.status(), 201);
    }
    for list in ["/api/v1/webhooks", "/api/v1/service-accounts"] {
        let mut seen = Vec::new();
        let mut path = format!("{list}?limit=2");
        loop {
            let page: Value = app.get_as(&office.admin, &path).await.json().await.unwrap();
            seen.extend(
                page["items"].as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap().to_owned()),
            );
            match page["next_cursor"].as_str() {
                Some(cursor) => path = format!("{list}?limit=2&cursor={cursor}"),
                None => break,
            }
        }
        let mut unique = seen.clone();
        unique.sort();
        unique.dedup();
        assert_eq!((seen.len(), unique.len()), (3, 3), "{list}: every item once");
        for bad in ["limit=0", "cursor=%21%21"] {
            let refused = app.get_as(&office.admin, &format!("{list}?{bad}")).await;
            assert_eq!(refused.status(), 400, "{list}?{bad}");
            assert_eq!(refused.headers()["content-type"], "application/problem+json");
        }
    }
}
