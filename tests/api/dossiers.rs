//! Dossiers through HTTP: intake, the lifecycle and its rules, history and outbox, imports,
//! idempotency, receipts, the public lookup, worklists and scoping.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{
    ADMIN_PASSWORD, Desk, TestApp, desk, error_fields, outbox, problem, spawn_app, submit_dossier,
};

fn intake_body(desk: &Desk, channel: &str) -> Value {
    json!({
        "procedure_id": desk.procedure, "agency_id": desk.commune, "channel": channel,
        "applicant": {"kind": "citizen", "full_name": "Nguyễn Văn Án", "id_number": "051090001234", "phone": "0912 345 678", "email": "an@example.vn"},
        "components": [{"name": "Tờ khai", "digitized": true}, {"name": "Giấy chứng sinh", "digitized": false, "reused_from_store": true}],
    })
}

async fn act(app: &TestApp, token: &str, id: &str, action: &str, body: Value) -> reqwest::Response {
    app.post_as(token, &format!("/api/v1/dossiers/{id}/{action}"), &body).await
}

async fn act_ok(app: &TestApp, token: &str, id: &str, action: &str, body: Value) -> Value {
    let response = act(app, token, id, action, body).await;
    assert_eq!(response.status(), 200, "{action}");
    response.json().await.unwrap()
}

async fn rule_of(response: reqwest::Response) -> String {
    assert_eq!(response.status(), 409);
    problem(response).await["rule"].as_str().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn desk_intake_is_accepted_at_once_with_a_national_code_and_a_due_date() {
    let app = spawn_app().await;
    let desk = desk(&app).await;
    let response = app.post_as(&desk.officer, "/api/v1/dossiers", &intake_body(&desk, "direct")).await;
    assert_eq!(response.status(), 201);
    assert!(response.headers()["location"].to_str().unwrap().starts_with("/api/v1/dossiers/"));
    let etag = response.headers()["etag"].to_str().unwrap().to_owned();
    let dossier: Value = response.json().await.unwrap();
    assert_eq!(dossier["status"], "processing");
    let code = dossier["code"].as_str().unwrap();
    let parts: Vec<&str> = code.rsplitn(3, '-').collect();
    assert_eq!(parts[2], "P01.C01");
    assert_eq!(parts[1].len(), 6, "YYMMDD");
    assert_eq!(parts[0], "0001");
    assert_eq!(dossier["accepted_at"], dossier["submitted_at"]);
    assert_eq!(dossier["appointment_at"], dossier["due_at"]);
    assert_eq!(dossier["received_by"], desk.officer_id.as_str());
    assert_eq!(dossier["applicant"]["phone"], "0912345678");
    let accepted = chrono::DateTime::parse_from_rfc3339(dossier["accepted_at"].as_str().unwrap()).unwrap();
    let due = chrono::DateTime::parse_from_rfc3339(dossier["due_at"].as_str().unwrap()).unwrap();
    assert!(due - accepted >= chrono::Duration::hours(24), "3 working days take at least a day and a half");

    let read =
        app.get_as(&desk.officer, &format!("/api/v1/dossiers/{}", dossier["id"].as_str().unwrap())).await;
    assert_eq!(read.headers()["etag"].to_str().unwrap(), etag);
    let second = submit_dossier(&app, &desk.officer, &intake_body(&desk, "postal")).await;
    assert!(second["code"].as_str().unwrap().ends_with("-0002"));
}

#[tokio::test]
async fn an_online_dossier_goes_through_its_whole_life() {
    let app = spawn_app().await;
    let desk = desk(&app).await;
    let dossier = submit_dossier(&app, &desk.citizen, &intake_body(&desk, "online")).await;
    let id = dossier["id"].as_str().unwrap().to_owned();
    assert_eq!(dossier["status"], "submitted");
    assert_eq!(dossier["due_at"], Value::Null);
    assert_eq!(
        act(&app, &desk.citizen, &id, "accept", json!({})).await.status(),
        403,
        "citizens do not accept"
    );

    let accepted = act_ok(&app, &desk.officer, &id, "accept", json!({"note": "Đủ thành phần"})).await;
    assert_eq!(accepted["status"], "processing");
    assert_eq!(accepted["first_response_at"], accepted["accepted_at"]);
    let first_due = accepted["due_at"].as_str().unwrap().to_owned();

    let sent_back = act_ok(
        &app,
        &desk.officer,
        &id,
        "request-supplement",
        json!({"reason": "Thiếu giấy chứng sinh bản chính"}),
    )
    .await;
    assert_eq!(sent_back["status"], "supplement_requested");
    let supplemented = act_ok(
        &app,
        &desk.citizen,
        &id,
        "supplement",
        json!({"components": [{"name": "Giấy chứng sinh", "digitized": true}]}),
    )
    .await;
    assert_eq!(supplemented["status"], "processing");
    assert!(supplemented["due_at"].as_str().unwrap() >= first_due.as_str(), "the clock restarted");
    assert_eq!(supplemented["components"][0]["digitized"], true);
    assert_eq!(
        rule_of(act(&app, &desk.officer, &id, "request-supplement", json!({"reason": "Lần hai"})).await)
            .await,
        "supplement_once"
    );

    let assigned = act_ok(&app, &desk.officer, &id, "assign", json!({"user_id": desk.officer_id})).await;
    assert_eq!(assigned["assignee_id"], desk.officer_id.as_str());
    let resolved =
        act_ok(&app, &desk.officer, &id, "resolve", json!({"outcome": "approved", "result_digitized": true}))
            .await;
    assert_eq!(
        (resolved["status"].as_str(), resolved["outcome"].as_str()),
        (Some("resolved"), Some("approved"))
    );
    assert_eq!(resolved["resolved_by"], desk.officer_id.as_str());
    let returned = act_ok(&app, &desk.officer, &id, "return", json!({})).await;
    assert_eq!(returned["status"], "returned");
    assert_eq!(
        rule_of(act(&app, &desk.officer, &id, "withdraw", json!({"reason": "x"})).await).await,
        "withdraw_open_only"
    );

    let history: Value =
        app.get_as(&desk.officer, &format!("/api/v1/dossiers/{id}/history")).await.json().await.unwrap();
    let steps: Vec<(&str, &str)> = history["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| (h["action"].as_str().unwrap(), h["to_status"].as_str().unwrap()))
        .collect();
    assert_eq!(
        steps,
        [
            ("intake", "submitted"),
            ("accept", "processing"),
            ("request-supplement", "supplement_requested"),
            ("supplement", "processing"),
            ("assign", "processing"),
            ("resolve", "resolved"),
            ("return", "returned"),
        ]
    );
    assert_eq!(history["items"][2]["note"], "Thiếu giấy chứng sinh bản chính");
    assert_eq!(
        outbox(&app, &id).await,
        [
            "dossier.submitted",
            "dossier.accepted",
            "dossier.supplement_requested",
            "dossier.supplemented",
            "dossier.assigned",
            "dossier.resolved",
            "dossier.returned"
        ]
    );
}

#[tokio::test]
async fn the_one_stop_rules_answer_409_naming_the_rule() {
    let app = spawn_app().await;
    let desk = desk(&app).await;
    let dossier = submit_dossier(&app, &desk.officer, &intake_body(&desk, "direct")).await;
    let id = dossier["id"].as_str().unwrap();
    assert_eq!(
        rule_of(act(&app, &desk.officer, id, "reject", json!({"reason": "Không đủ điều kiện"})).await).await,
        "reject_before_acceptance"
    );
    assert_eq!(
        rule_of(act(&app, &desk.officer, id, "accept", json!({})).await).await,
        "accept_submitted_only"
    );
    assert_eq!(
        rule_of(act(&app, &desk.officer, id, "return", json!({})).await).await,
        "return_resolved_only"
    );

    let earlier = act(
        &app,
        &desk.officer,
        id,
        "apologize",
        json!({"reason": "Chậm", "new_appointment_at": "2020-01-01T00:00:00Z"}),
    )
    .await;
    assert_eq!(earlier.status(), 422);
    assert_eq!(error_fields(&problem(earlier).await), ["new_appointment_at"]);
    let apology = act_ok(
        &app,
        &desk.officer,
        id,
        "apologize",
        json!({"reason": "Cần xác minh thêm", "new_appointment_at": "2099-01-05T09:00:00Z"}),
    )
    .await;
    assert_eq!(apology["appointment_at"], "2099-01-05T09:00:00Z");
    assert_eq!(apology["due_at"], dossier["due_at"], "an apology does not move the legal due date");
    assert_eq!(
        rule_of(
            act(
                &app,
                &desk.officer,
                id,
                "apologize",
                json!({"reason": "Lần hai", "new_appointment_at": "2099-02-05T09:00:00Z"})
            )
            .await
        )
        .await,
        "apology_once"
    );

    let refused_without_reason =
        act(&app, &desk.officer, id, "resolve", json!({"outcome": "refused", "result_digitized": false}))
            .await;
    assert_eq!(refused_without_reason.status(), 422);
    assert_eq!(error_fields(&problem(refused_without_reason).await), ["note"]);

    let online = submit_dossier(&app, &desk.citizen, &intake_body(&desk, "online")).await;
    let rejected = act_ok(
        &app,
        &desk.officer,
        online["id"].as_str().unwrap(),
        "reject",
        json!({"reason": "Không thuộc thẩm quyền"}),
    )
    .await;
    assert_eq!(rejected["status"], "rejected");
    assert!(rejected["first_response_at"].is_string());
}

#[tokio::test]
async fn bad_intake_answers_name_the_field() {
    let app = spawn_app().await;
    let desk = desk(&app).await;
    let base = intake_body(&desk, "direct");
    let with = |path: &[&str], value: Value| {
        let mut body = base.clone();
        let mut target = &mut body;
        for key in &path[..path.len() - 1] {
            target = &mut target[*key];
        }
        target[path[path.len() - 1]] = value;
        body
    };
    for (body, field) in [
        (with(&["applicant", "id_number"], json!("12345")), "applicant.id_number"),
        (with(&["applicant", "phone"], json!("phone")), "applicant.phone"),
        (with(&["applicant", "email"], json!("not-an-email")), "applicant.email"),
        (with(&["applicant", "full_name"], json!(" ")), "applicant.full_name"),
        (with(&["channel"], json!("fax")), "channel"),
        (with(&["procedure_id"], json!("missing")), "procedure_id"),
        (with(&["agency_id"], json!("missing")), "agency_id"),
        (with(&["components"], json!([{"name": ""}])), "components[0].name"),
        (with(&["fee_paid"], json!({"method": "online", "amount": -1})), "fee_paid.amount"),
        (with(&["submitted_at"], json!("2024-01-01T08:00:00Z")), "submitted_at"),
        (with(&["channel"], json!("online")), "channel"),
    ] {
        let response = app.post_as(&desk.officer, "/api/v1/dossiers", &body).await;
        assert_eq!(response.status(), 422, "{field}");
        assert_eq!(error_fields(&problem(response).await), [field], "{body}");
    }
    let malformed = app
        .client
        .post(app.url("/api/v1/dossiers"))
        .bearer_auth(&desk.officer)
        .header("content-type", "application/json")
        .body("{")
        .send()
        .await
        .unwrap();
    assert_eq!(malformed.status(), 400);
}

#[tokio::test]
async fn history_can_be_imported_by_integration_accounts_only() {
    let app = spawn_app().await;
    let desk = desk(&app).await;
    let portal = &desk.portal_token(&app).await;
    let mut body = intake_body(&desk, "online");
    body["submitted_at"] = json!("2024-01-05T08:00:00+07:00");
    body["accepted_at"] = json!("2024-01-05T16:00:00+07:00");
    body["external_ref"] = json!("G22.99-240105-0001");
    let imported = submit_dossier(&app, portal, &body).await;
    assert_eq!(imported["status"], "processing");
    assert!(imported["code"].as_str().unwrap().contains("-240105-"), "the code carries the submission date");
    // Friday 16:00 + 3 working days: Wednesday 10 January, 16:00.
    assert_eq!(imported["due_at"], "2024-01-10T09:00:00Z");
    assert_eq!(imported["applicant"]["id_number"], Value::Null, "no personal data for service accounts");
    let id = imported["id"].as_str().unwrap();

    let before = act(
        &app,
        portal,
        id,
        "resolve",
        json!({"outcome": "approved", "result_digitized": true, "at": "2024-01-04T09:00:00Z"}),
    )
    .await;
    assert_eq!(before.status(), 422);
    assert_eq!(error_fields(&problem(before).await), ["at"]);
    let future = act(
        &app,
        portal,
        id,
        "resolve",
        json!({"outcome": "approved", "result_digitized": true, "at": "2099-01-01T09:00:00Z"}),
    )
    .await;
    assert_eq!(future.status(), 422);
    let by_officer = act(
        &app,
        &desk.officer,
        id,
        "resolve",
        json!({"outcome": "approved", "result_digitized": true, "at": "2024-01-09T09:00:00Z"}),
    )
    .await;
    assert_eq!(by_officer.status(), 422, "officers act now");
    let resolved = act_ok(
        &app,
        portal,
        id,
        "resolve",
        json!({"outcome": "approved", "result_digitized": true, "at": "2024-01-09T09:00:00Z"}),
    )
    .await;
    assert_eq!(resolved["resolved_at"], "2024-01-09T09:00:00Z");

    let again = app.post_as(portal, "/api/v1/dossiers", &body).await;
    assert_eq!(again.status(), 409);
    let p = problem(again).await;
    assert_eq!(p["existing_id"], id, "an adapter that lost the response finds what it created");
}

#[tokio::test]
async fn idempotency_keys_replay_the_first_response() {
    let app = spawn_app().await;
    let desk = desk(&app).await;
    let post = |body: Value, key: &'static str| {
        app.client
            .post(app.url("/api/v1/dossiers"))
            .bearer_auth(&desk.officer)
            .header("Idempotency-Key", key)
            .json(&body)
            .send()
    };
    let first = post(intake_body(&desk, "direct"), "k-1").await.unwrap();
    assert_eq!(first.status(), 201);
    let first: Value = first.json().await.unwrap();
    let repeat = post(intake_body(&desk, "direct"), "k-1").await.unwrap();
    assert_eq!(repeat.status(), 201);
    let repeat: Value = repeat.json().await.unwrap();
    assert_eq!(repeat["id"], first["id"]);
    let page: Value = app.get_as(&desk.officer, "/api/v1/dossiers").await.json().await.unwrap();
    assert_eq!(page["items"].as_array().unwrap().len(), 1, "one dossier, not two");
    let different = post(intake_body(&desk, "postal"), "k-1").await.unwrap();
    assert_eq!(different.status(), 422);
    assert_eq!(error_fields(&problem(different).await), ["Idempotency-Key"]);
}

/// Retries of one step with one key, sent at once: every one gets the step's answer, whichever
/// of them took it and whatever the others saw of it meanwhile (on PostgreSQL a retry could read
/// the dossier already resolved and be refused `resolve_processing_only`).
#[tokio::test]
async fn concurrent_retries_of_a_step_all_get_its_answer() {
    let app = spawn_app().await;
    let desk = desk(&app).await;
    for round in 0..10 {
        let dossier = submit_dossier(&app, &desk.officer, &intake_body(&desk, "direct")).await;
        let path = format!("/api/v1/dossiers/{}/resolve", dossier["id"].as_str().unwrap());
        let key = format!("resolve-{round}");
        let body = json!({"outcome": "approved", "result_digitized": true});
        let retries = (0..20).map(|_| {
            app.client
                .post(app.url(&path))
                .bearer_auth(&desk.officer)
                .header("Idempotency-Key", &key)
                .json(&body)
                .send()
        });
        let mut answers = Vec::new();
        for response in futures_util::future::join_all(retries).await {
            let response = response.unwrap();
            assert_eq!(response.status(), 200, "round {round}");
            answers.push(response.text().await.unwrap());
        }
        answers.dedup();
        assert_eq!(answers.len(), 1, "one answer for one key");
    }
}

/// A repeat answers with the first response whole: status, body and the headers a client relies
/// on (`Location`, `ETag`), for a created dossier and for a step alike.
#[tokio::test]
async fn a_replayed_write_keeps_its_status_headers_and_body() {
    let app = spawn_app().await;
    let desk = desk(&app).await;
    let send = |path: String, body: Value, key: &'static str| {
        app.client
            .post(app.url(&path))
            .bearer_auth(&desk.officer)
            .header("Idempotency-Key", key)
            .json(&body)
            .send()
    };
    let parts = |response: reqwest::Response| async move {
        let headers = response.headers().clone();
        let header = |name: &str| headers.get(name).map(|v| v.to_str().unwrap().to_owned());
        (
            response.status(),
            header("location"),
            header("etag"),
            header("content-type"),
            response.text().await.unwrap(),
        )
    };
    let body = intake_body(&desk, "direct");
    let first = parts(send("/api/v1/dossiers".into(), body.clone(), "intake-1").await.unwrap()).await;
    assert_eq!(first.0, 201);
    assert!(first.1.as_deref().is_some_and(|l| l.starts_with("/api/v1/dossiers/")), "{first:?}");
    assert!(first.2.is_some());
    let again = parts(send("/api/v1/dossiers".into(), body, "intake-1").await.unwrap()).await;
    assert_eq!(again, first);

    let id = serde_json::from_str::<Value>(&first.4).unwrap()["id"].as_str().unwrap().to_owned();
    let resolve = json!({"outcome": "approved", "result_digitized": true});
    let step =
        parts(send(format!("/api/v1/dossiers/{id}/resolve"), resolve.clone(), "resolve-1").await.unwrap())
            .await;
    assert_eq!(step.0, 200);
    assert_eq!(step.1, None, "a step creates nothing");
    assert_ne!(step.2, first.2, "a new version, a new ETag");
    let repeat =
        parts(send(format!("/api/v1/dossiers/{id}/resolve"), resolve, "resolve-1").await.unwrap()).await;
    assert_eq!(repeat, step, "the repeat is not refused as a second resolution");
}

#[tokio::test]
async fn patch_records_digitization_and_payment_with_if_match() {
    let app = spawn_app().await;
    let desk = desk(&app).await;
    let dossier = submit_dossier(&app, &desk.officer, &intake_body(&desk, "direct")).await;
    let path = format!("/api/v1/dossiers/{}", dossier["id"].as_str().unwrap());
    let etag = app.get_as(&desk.officer, &path).await.headers()["etag"].to_str().unwrap().to_owned();
    let paid = app
        .client
        .patch(app.url(&path))
        .bearer_auth(&desk.officer)
        .header("if-match", &etag)
        .json(&json!({"fee_paid": {"method": "online", "amount": 8000}}))
        .send()
        .await
        .unwrap();
    assert_eq!(paid.status(), 200);
    let paid: Value = paid.json().await.unwrap();
    assert_eq!(paid["fee_paid"], json!({"method": "online", "amount": 8000}));
    let stale = app
        .client
        .patch(app.url(&path))
        .bearer_auth(&desk.officer)
        .header("if-match", &etag)
        .json(&json!({"components": []}))
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status(), 412);
    problem(stale).await;
    let early = app.patch_as(&desk.officer, &path, &json!({"result_digitized": true})).await;
    assert_eq!(early.status(), 422);
    assert_eq!(error_fields(&problem(early).await), ["result_digitized"]);
}

#[tokio::test]
async fn receipts_and_the_public_lookup() {
    let app = spawn_app().await;
    let desk = desk(&app).await;
    let dossier = submit_dossier(&app, &desk.officer, &intake_body(&desk, "direct")).await;
    let id = dossier["id"].as_str().unwrap();
    let code = dossier["code"].as_str().unwrap();
    let html = app.get_as(&desk.officer, &format!("/api/v1/dossiers/{id}/receipt")).await;
    assert_eq!(html.status(), 200);
    assert!(html.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    let text = html.text().await.unwrap();
    assert!(
        text.contains("Giấy tiếp nhận hồ sơ và hẹn trả kết quả")
            && text.contains(code)
            && text.contains("Nguyễn Văn Án")
    );
    let json: Value = app
        .get_as(&desk.officer, &format!("/api/v1/dossiers/{id}/receipt?format=json"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(json["appointment_at"], dossier["appointment_at"]);
    assert_eq!(json["components"].as_array().unwrap().len(), 2);
    // The slip tells the applicant how to follow the dossier without signing in.
    let lookup_path = format!("/api/v1/public/dossiers/{code}");
    assert_eq!(json["lookup_path"], lookup_path.as_str());
    assert!(text.contains(&format!("Tra cứu tình trạng hồ sơ: {lookup_path}")), "{text}");

    let online = submit_dossier(&app, &desk.citizen, &intake_body(&desk, "online")).await;
    let early = app
        .get_as(&desk.citizen, &format!("/api/v1/dossiers/{}/receipt", online["id"].as_str().unwrap()))
        .await;
    assert_eq!(rule_of(early).await, "receipt_after_acceptance");

    // The lookup's check is the last 4 digits of the phone ("0912 345 678" at intake).
    let public = app.get(&format!("/api/v1/public/dossiers/{code}?check=5678")).await;
    assert_eq!(public.status(), 200);
    let public: Value = public.json().await.unwrap();
    assert_eq!(public["status"], "processing");
    assert_eq!(public["appointment_at"], dossier["appointment_at"]);
    let text = public.to_string();
    assert!(
        !text.contains("Nguyễn") && !text.contains("051090001234") && !text.contains("0912345678"),
        "no personal data: {text}"
    );
    assert_eq!(app.get("/api/v1/public/dossiers/NOPE-000000-0001?check=5678").await.status(), 404);
}

#[tokio::test]
async fn lists_filter_and_scope() {
    let app = spawn_app().await;
    let desk = desk(&app).await;
    let direct = submit_dossier(&app, &desk.officer, &intake_body(&desk, "direct")).await;
    let mut other = intake_body(&desk, "online");
    other["applicant"]["full_name"] = json!("Trần Thị Bình");
    let online = submit_dossier(&app, &desk.citizen, &other).await;
    let ids = |page: Value| -> Vec<String> {
        page["items"].as_array().unwrap().iter().map(|d| d["id"].as_str().unwrap().to_owned()).collect()
    };
    let (app_ref, officer) = (&app, &desk.officer);
    let get = |query: &'static str| async move {
        app_ref.get_as(officer, &format!("/api/v1/dossiers?{query}")).await
    };
    assert_eq!(
        ids(get("").await.json().await.unwrap()),
        [online["id"].as_str().unwrap(), direct["id"].as_str().unwrap()],
        "newest first"
    );
    assert_eq!(ids(get("status=submitted").await.json().await.unwrap()), [online["id"].as_str().unwrap()]);
    assert_eq!(ids(get("channel=direct").await.json().await.unwrap()), [direct["id"].as_str().unwrap()]);
    assert_eq!(ids(get("q=tran%20thi%20binh").await.json().await.unwrap()), [online["id"].as_str().unwrap()]);
    let by_code = app
        .get_as(&desk.officer, &format!("/api/v1/dossiers?q={}", direct["code"].as_str().unwrap()))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(ids(by_code), [direct["id"].as_str().unwrap()]);
    let first_page: Value = get("limit=1").await.json().await.unwrap();
    let cursor = first_page["next_cursor"].as_str().unwrap();
    let second: Value = app
        .get_as(&desk.officer, &format!("/api/v1/dossiers?limit=1&cursor={cursor}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(ids(second), [direct["id"].as_str().unwrap()]);
    assert_eq!(get("status=lost").await.status(), 400);

    // The citizen sees only their own dossier; another citizen nothing.
    let mine: Value = app.get_as(&desk.citizen, "/api/v1/dossiers").await.json().await.unwrap();
    assert_eq!(ids(mine), [online["id"].as_str().unwrap()]);
    app.create_user(&desk.admin, "neighbour", "citizen", None).await;
    let neighbour = app.login("neighbour", ADMIN_PASSWORD).await;
    assert!(ids(app.get_as(&neighbour, "/api/v1/dossiers").await.json().await.unwrap()).is_empty());
    assert_eq!(
        app.get_as(&neighbour, &format!("/api/v1/dossiers/{}", online["id"].as_str().unwrap()))
            .await
            .status(),
        404
    );
}

#[tokio::test]
async fn worklists_show_what_needs_action() {
    let app = spawn_app().await;
    let desk = desk(&app).await;
    let mut late = intake_body(&desk, "direct");
    late["submitted_at"] = json!("2024-01-05T08:00:00+07:00");
    let late = submit_dossier(&app, &desk.admin, &late).await;
    let mut waiting = intake_body(&desk, "online");
    waiting["submitted_at"] = json!("2024-02-01T08:00:00+07:00");
    let waiting = submit_dossier(&app, &desk.admin, &waiting).await;
    let fresh = submit_dossier(&app, &desk.officer, &intake_body(&desk, "direct")).await;
    let (app_ref, officer) = (&app, &desk.officer);
    let list = |kind: &'static str| async move {
        app_ref.get_as(officer, &format!("/api/v1/dossiers/worklist?kind={kind}")).await
    };
    let ids = |page: Value| -> Vec<String> {
        page["items"].as_array().unwrap().iter().map(|d| d["id"].as_str().unwrap().to_owned()).collect()
    };
    assert_eq!(ids(list("overdue").await.json().await.unwrap()), [late["id"].as_str().unwrap()]);
    assert_eq!(
        ids(list("awaiting_acceptance").await.json().await.unwrap()),
        [waiting["id"].as_str().unwrap()]
    );
    let soon: Value = app
        .get_as(&desk.officer, "/api/v1/dossiers/worklist?kind=due_soon&hours=400")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(ids(soon), [fresh["id"].as_str().unwrap()]);
    let overdue_filter: Value =
        app.get_as(&desk.officer, "/api/v1/dossiers?overdue=true").await.json().await.unwrap();
    assert_eq!(ids(overdue_filter), [late["id"].as_str().unwrap()]);
    assert_eq!(app.get_as(&desk.officer, "/api/v1/dossiers/worklist?kind=everything").await.status(), 400);
    assert_eq!(app.get_as(&desk.citizen, "/api/v1/dossiers/worklist?kind=overdue").await.status(), 403);
}

/// Parallel intake at one agency on one day: every dossier gets its own code.
#[tokio::test]
async fn concurrent_intake_gets_distinct_codes() {
    let app = spawn_app().await;
    let desk = desk(&app).await;
    let body = intake_body(&desk, "direct");
    let requests =
        (0..24).map(|_| app.send(Method::POST, "/api/v1/dossiers", Some(&desk.officer), Some(&body)));
    let responses = futures_util::future::join_all(requests).await;
    let mut codes = Vec::new();
    for response in responses {
        assert_eq!(response.status(), 201);
        let dossier: Value = response.json().await.unwrap();
        codes.push(dossier["code"].as_str().unwrap().rsplit('-').next().unwrap().to_owned());
    }
    codes.sort();
    let expected: Vec<String> = (1..=24).map(|n| format!("{n:04}")).collect();
    assert_eq!(codes, expected);
}

/// The clock restarts from the supplement with the full limit; an apology's later appointment
/// stands only while it is after the new due date.
#[tokio::test]
async fn a_supplement_restarts_the_clock_exactly() {
    let app = spawn_app().await;
    let desk = desk(&app).await;
    let portal = desk.portal_token(&app).await;
    let mut body = intake_body(&desk, "online");
    body["submitted_at"] = json!("2024-01-05T08:00:00+07:00");
    body["accepted_at"] = json!("2024-01-05T16:00:00+07:00");
    let dossier = submit_dossier(&app, &portal, &body).await;
    let id = dossier["id"].as_str().unwrap();
    assert_eq!(dossier["due_at"], "2024-01-10T09:00:00Z");
    let apology = act_ok(&app, &portal, id, "apologize", json!({"reason": "Chờ xác minh", "new_appointment_at": "2024-01-12T02:00:00Z", "at": "2024-01-09T02:00:00Z"})).await;
    assert_eq!(apology["appointment_at"], "2024-01-12T02:00:00Z");
    act_ok(
        &app,
        &portal,
        id,
        "request-supplement",
        json!({"reason": "Thiếu giấy tờ", "at": "2024-01-10T02:00:00Z"}),
    )
    .await;
    // Back on Monday 15 January at 09:00: three working days later is Thursday 18 January, 09:00.
    let back = act_ok(&app, &portal, id, "supplement", json!({"at": "2024-01-15T02:00:00Z"})).await;
    assert_eq!(back["due_at"], "2024-01-18T02:00:00Z");
    assert_eq!(
        back["appointment_at"], "2024-01-18T02:00:00Z",
        "never an appointment before the legal due date"
    );
}

#[tokio::test]
async fn receipts_hide_contacts_from_service_accounts() {
    let app = spawn_app().await;
    let desk = desk(&app).await;
    let portal = desk.portal_token(&app).await;
    let mut body = intake_body(&desk, "direct");
    body["applicant"]["address"] = json!("Thôn 1");
    let dossier = submit_dossier(&app, &desk.officer, &body).await;
    let path = format!("/api/v1/dossiers/{}/receipt?format=json", dossier["id"].as_str().unwrap());
    let staff: Value = app.get_as(&desk.officer, &path).await.json().await.unwrap();
    assert_eq!(staff["applicant_phone"], "0912345678");
    let service: Value = app.get_as(&portal, &path).await.json().await.unwrap();
    assert_eq!(
        (service["applicant_phone"].clone(), service["applicant_address"].clone()),
        (Value::Null, Value::Null)
    );
}

#[tokio::test]
async fn citizens_cannot_claim_references_or_payments_and_ids_fit_the_applicant() {
    let app = spawn_app().await;
    let desk = desk(&app).await;
    for (field, value) in
        [("external_ref", json!("G22-1")), ("fee_paid", json!({"method": "online", "amount": 1}))]
    {
        let mut body = intake_body(&desk, "online");
        body[field] = value;
        let response = app.post_as(&desk.citizen, "/api/v1/dossiers", &body).await;
        assert_eq!(response.status(), 422, "{field}");
        assert_eq!(error_fields(&problem(response).await), [field]);
    }
    let mut company = intake_body(&desk, "direct");
    company["applicant"] =
        json!({"kind": "organization", "full_name": "Công ty TNHH An Bình", "id_number": "0312345678"});
    submit_dossier(&app, &desk.officer, &company).await;
    let mut person_with_tax_code = intake_body(&desk, "direct");
    person_with_tax_code["applicant"]["id_number"] = json!("0312345678");
    let response = app.post_as(&desk.officer, "/api/v1/dossiers", &person_with_tax_code).await;
    assert_eq!(response.status(), 422);
    assert_eq!(error_fields(&problem(response).await), ["applicant.id_number"]);
    let mut blank_ref = intake_body(&desk, "direct");
    blank_ref["external_ref"] = json!("   ");
    assert_eq!(app.post_as(&desk.officer, "/api/v1/dossiers", &blank_ref).await.status(), 422);
}

#[tokio::test]
async fn reception_digitization_is_judged_when_received_complete() {
    let app = spawn_app().await;
    let desk = desk(&app).await;
    let mut paper = intake_body(&desk, "direct");
    paper["components"][0]["digitized"] = json!(false);
    let dossier = submit_dossier(&app, &desk.officer, &paper).await;
    assert_eq!(dossier["reception_digitized"], false);
    let path = format!("/api/v1/dossiers/{}", dossier["id"].as_str().unwrap());
    let later = app
        .patch_as(&desk.officer, &path, &json!({"components": [{"name": "Tờ khai", "digitized": true}]}))
        .await;
    let later: Value = later.json().await.unwrap();
    assert_eq!(
        later["reception_digitized"], false,
        "digitizing afterwards does not change what was received"
    );
    assert_eq!(
        submit_dossier(&app, &desk.officer, &intake_body(&desk, "direct")).await["reception_digitized"],
        true
    );
}

/// Adapters retry: the same reference or the same key sent at once still finds one dossier.
#[tokio::test]
async fn racing_retries_find_the_one_dossier() {
    let app = spawn_app().await;
    let desk = desk(&app).await;
    let portal = desk.portal_token(&app).await;
    let mut body = intake_body(&desk, "online");
    body["external_ref"] = json!("G22-RACE");
    let requests = (0..8).map(|_| app.send(Method::POST, "/api/v1/dossiers", Some(&portal), Some(&body)));
    let mut created = Vec::new();
    let mut existing = Vec::new();
    for response in futures_util::future::join_all(requests).await {
        match response.status().as_u16() {
            201 => created.push(response.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned()),
            409 => existing.push(
                problem(response).await["existing_id"]
                    .as_str()
                    .expect("names the existing dossier")
                    .to_owned(),
            ),
            other => panic!("unexpected {other}"),
        }
    }
    assert_eq!(created.len(), 1);
    assert!(existing.iter().all(|id| *id == created[0]));

    let keyed = intake_body(&desk, "direct");
    let requests = (0..8).map(|_| {
        app.client
            .post(app.url("/api/v1/dossiers"))
            .bearer_auth(&desk.officer)
            .header("Idempotency-Key", "same-key")
            .json(&keyed)
            .send()
    });
    let mut ids = Vec::new();
    for response in futures_util::future::join_all(requests).await {
        let response = response.unwrap();
        assert_eq!(response.status(), 201);
        ids.push(response.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned());
    }
    ids.dedup();
    assert_eq!(ids.len(), 1, "one dossier for one key");
}
