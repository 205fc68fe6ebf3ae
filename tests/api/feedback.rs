//! Complaints and feedback (PAKN): intake from every channel, the lifecycle and its rules,
//! forwarding, per-agency limits, worklists.

use serde_json::{Value, json};

use crate::helpers::{TestApp, desk, error_fields, outbox, problem, spawn_app};

fn body(agency: &str, channel: &str) -> Value {
    json!({
        "channel": channel, "subject": "Chậm trả kết quả", "content": "Hồ sơ quá hạn chưa có thông báo.",
        "agency_id": agency, "submitter": {"full_name": "Nguyễn Văn An", "phone": "0912345678"},
    })
}

async fn file(app: &TestApp, token: &str, body: &Value) -> Value {
    let response = app.post_as(token, "/api/v1/feedback", body).await;
    assert_eq!(response.status(), 201, "{body}");
    response.json().await.unwrap()
}

async fn step(app: &TestApp, token: &str, id: &str, action: &str, body: Value) -> reqwest::Response {
    app.post_as(token, &format!("/api/v1/feedback/{id}/{action}"), &body).await
}

#[tokio::test]
async fn feedback_is_answered_then_published_once() {
    let app = spawn_app().await;
    let office = desk(&app).await;
    let mut imported = body(&office.commune, "national_portal");
    imported["received_at"] = json!("2024-01-05T08:00:00+07:00");
    let portal_like = &office.admin;
    let fb = file(&app, portal_like, &imported).await;
    let id = fb["id"].as_str().unwrap();
    assert_eq!(fb["status"], "received");
    // Fifteen working days after Friday 5 January 2024, 08:00: Friday 26 January, 08:00.
    assert_eq!(fb["due_at"], "2024-01-26T01:00:00Z");

    assert_eq!(step(&app, &office.officer, id, "process", json!({})).await.status(), 200);
    let early = step(&app, &office.officer, id, "publish", json!({})).await;
    assert_eq!(early.status(), 409);
    assert_eq!(problem(early).await["rule"], "publish_after_response");
    let answered: Value = step(
        &app,
        &office.officer,
        id,
        "respond",
        json!({"response": "Đã trả kết quả và xin lỗi công dân."}),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(answered["status"], "resolved");
    assert!(answered["responded_at"].is_string());
    let published: Value = step(&app, &office.officer, id, "publish", json!({})).await.json().await.unwrap();
    assert!(published["published_at"].is_string());
    let twice = step(&app, &office.officer, id, "publish", json!({})).await;
    assert_eq!(problem(twice).await["rule"], "publish_once");

    let history: Value =
        app.get_as(&office.officer, &format!("/api/v1/feedback/{id}/history")).await.json().await.unwrap();
    let actions: Vec<&str> =
        history["items"].as_array().unwrap().iter().map(|h| h["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["intake", "process", "respond", "publish"]);
    assert_eq!(
        outbox(&app, id).await,
        ["feedback.received", "feedback.processing", "feedback.resolved", "feedback.published"]
    );
}

#[tokio::test]
async fn bad_feedback_names_the_field() {
    let app = spawn_app().await;
    let office = desk(&app).await;
    let base = body(&office.commune, "hotline");
    let with = |key: &str, value: Value| {
        let mut b = base.clone();
        b[key] = value;
        b
    };
    for (b, field) in [
        (with("channel", json!("pigeon")), "channel"),
        (with("subject", json!(" ")), "subject"),
        (with("submitter", json!({"full_name": "An", "phone": "12"})), "submitter.phone"),
        (with("agency_id", json!("missing")), "agency_id"),
        (with("received_at", json!("2024-01-01T00:00:00Z")), "received_at"),
        (with("dossier_id", json!("missing")), "dossier_id"),
    ] {
        let response = app.post_as(&office.officer, "/api/v1/feedback", &b).await;
        assert_eq!(response.status(), 422, "{field}");
        assert_eq!(error_fields(&problem(response).await), [field]);
    }
}

#[tokio::test]
async fn forwarding_hands_feedback_to_the_competent_agency() {
    let app = spawn_app().await;
    let office = desk(&app).await;
    let fb = file(&app, &office.citizen, &body(&office.commune, "other")).await;
    let id = fb["id"].as_str().unwrap();
    assert_eq!(
        step(&app, &office.citizen, id, "respond", json!({"response": "x"})).await.status(),
        403,
        "citizens do not answer"
    );
    let forwarded = step(
        &app,
        &office.officer,
        id,
        "forward",
        json!({"agency_id": office.province, "note": "Thuộc thẩm quyền tỉnh"}),
    )
    .await;
    assert_eq!(forwarded.status(), 200);
    let forwarded: Value = forwarded.json().await.unwrap();
    assert_eq!(forwarded["agency_id"], office.province.as_str());
    assert_eq!(forwarded["forwarded_from"], office.commune.as_str());
    assert_eq!(forwarded["status"], "received");
    assert_eq!(
        app.get_as(&office.officer, &format!("/api/v1/feedback/{id}")).await.status(),
        404,
        "no longer the commune's"
    );
    let own: Value = app.get_as(&office.citizen, "/api/v1/feedback").await.json().await.unwrap();
    assert_eq!(own["items"][0]["id"], id, "the submitter still follows it");
    assert_eq!(own["items"][0]["submitter"]["phone"], "0912345678");
}

#[tokio::test]
async fn agencies_set_their_own_limit_and_worklists_show_what_is_late() {
    let app = spawn_app().await;
    let office = desk(&app).await;
    let put = app
        .send(
            reqwest::Method::PUT,
            &format!("/api/v1/agencies/{}/feedback-limit", office.province),
            Some(&office.admin),
            Some(&json!({"working_days": 10})),
        )
        .await;
    assert_eq!(put.status(), 200);
    let inherited: Value = app
        .get_as(&office.officer, &format!("/api/v1/agencies/{}/feedback-limit", office.commune))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (inherited["working_days"].as_i64(), inherited["defined_by"].as_str()),
        (Some(10), Some(office.province.as_str()))
    );
    let bad = app
        .send(
            reqwest::Method::PUT,
            &format!("/api/v1/agencies/{}/feedback-limit", office.province),
            Some(&office.admin),
            Some(&json!({"working_days": 0})),
        )
        .await;
    assert_eq!(bad.status(), 422);

    let mut late = body(&office.commune, "email");
    late["received_at"] = json!("2024-01-05T08:00:00+07:00");
    let late = file(&app, &office.admin, &late).await;
    // Ten working days after Friday 5 January 2024, 08:00: Friday 19 January, 08:00.
    assert_eq!(late["due_at"], "2024-01-19T01:00:00Z");
    let fresh = file(&app, &office.officer, &body(&office.commune, "direct")).await;
    let ids = |v: Value| -> Vec<String> {
        v["items"].as_array().unwrap().iter().map(|f| f["id"].as_str().unwrap().to_owned()).collect()
    };
    let overdue: Value =
        app.get_as(&office.officer, "/api/v1/feedback/worklist?kind=overdue").await.json().await.unwrap();
    assert_eq!(ids(overdue), [late["id"].as_str().unwrap()]);
    let soon: Value = app
        .get_as(&office.officer, "/api/v1/feedback/worklist?kind=due_soon&hours=400")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(ids(soon), [fresh["id"].as_str().unwrap()]);
    let filtered: Value = app
        .get_as(&office.officer, "/api/v1/feedback?overdue=true&channel=email")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(ids(filtered), [late["id"].as_str().unwrap()]);
    let direct: Value =
        app.get_as(&office.officer, "/api/v1/feedback?channel=direct").await.json().await.unwrap();
    assert_eq!(ids(direct), [fresh["id"].as_str().unwrap()]);
}

#[tokio::test]
async fn an_external_ref_files_feedback_once_per_agency() {
    let app = spawn_app().await;
    let office = desk(&app).await;
    let mut from_portal = body(&office.commune, "national_portal");
    from_portal["external_ref"] = json!("PAKN-2024-000123");
    let first = file(&app, &office.officer, &from_portal).await;
    assert_eq!(first["external_ref"], "PAKN-2024-000123");

    let again = app.post_as(&office.officer, "/api/v1/feedback", &from_portal).await;
    assert_eq!(again.status(), 409);
    assert_eq!(again.headers()["content-type"], "application/problem+json");
    let p = problem(again).await;
    assert_eq!(p["existing_id"], first["id"], "an adapter that lost the response finds what it created");
    assert_eq!(error_fields(&p), ["external_ref"]);

    let mut blank = from_portal.clone();
    blank["external_ref"] = json!("  ");
    let refused = app.post_as(&office.officer, "/api/v1/feedback", &blank).await;
    assert_eq!(refused.status(), 422);
    assert_eq!(error_fields(&problem(refused).await), ["external_ref"]);
    let by_citizen = app.post_as(&office.citizen, "/api/v1/feedback", &from_portal).await;
    assert_eq!(by_citizen.status(), 422, "a portal code is the portal's or the desk's to record");
    assert_eq!(error_fields(&problem(by_citizen).await), ["external_ref"]);
}
