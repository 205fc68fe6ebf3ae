//! The audit trail through HTTP: what is recorded (sign-ins and refusals, account changes, reads
//! of dossiers and files, exports), that no password reaches it, who may read it, its filters,
//! cursor pages and CSV export, that it is append-only, and that a stopping server writes the
//! reads it still holds.

use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

use crate::helpers::{ADMIN_PASSWORD, TestApp, desk, error_fields, problem, spawn_app, submit_dossier};

/// The events a query finds, as the admin reads them (one page of up to 500).
async fn events(app: &TestApp, admin: &str, query: &str) -> Vec<Value> {
    let response = app.get_as(admin, &format!("/api/v1/audit?limit=500&{query}")).await;
    assert_eq!(response.status(), 200, "{query}");
    let page: Value = response.json().await.unwrap();
    assert!(page["next_cursor"].is_null(), "more than a page for {query}");
    page["items"].as_array().unwrap().clone()
}

fn actions(events: &[Value]) -> Vec<&str> {
    events.iter().map(|e| e["action"].as_str().unwrap()).collect()
}

async fn my_id(app: &TestApp, token: &str) -> String {
    let me: Value = app.get_as(token, "/api/v1/me").await.json().await.unwrap();
    me["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn sign_ins_and_refusals_are_recorded_without_the_password() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let officer = app.create_user(&admin, "hoa.nt", "citizen", None).await;
    let wrong = "sai-mat-khau-123456";
    let refused = app.token_response(json!({"username": "hoa.nt", "password": wrong})).await;
    assert_eq!(refused.status(), 401);
    let unknown = app.token_response(json!({"username": "nobody", "password": wrong})).await;
    assert_eq!(unknown.status(), 401);
    app.login("hoa.nt", ADMIN_PASSWORD).await;

    let about_officer = events(&app, &admin, &format!("subject_id={officer}")).await;
    // Newest first: the sign-in, the refusal, the creation.
    assert_eq!(actions(&about_officer), ["sign_in", "sign_in_refused", "user_created"]);
    let (signed_in, refusal) = (&about_officer[0], &about_officer[1]);
    assert_eq!(signed_in["actor_id"], officer);
    assert_eq!(signed_in["actor_name"], "hoa.nt");
    assert_eq!(signed_in["actor_kind"], "user");
    assert_eq!(signed_in["details"]["grant"], "password");
    assert_eq!(signed_in["client_address"], "127.0.0.1");
    assert_eq!(refusal["actor_kind"], "anonymous");
    assert_eq!(refusal["actor_name"], "hoa.nt");
    assert!(refusal["actor_id"].is_null());
    assert_eq!(refusal["details"], json!({"grant": "password", "reason": "bad_credentials"}));
    let refused_unknown = events(&app, &admin, "action=sign_in_refused").await;
    assert!(
        refused_unknown.iter().any(|e| e["actor_name"] == "nobody" && e["subject_id"].is_null()),
        "{refused_unknown:?}"
    );

    // Neither password, nor a token, anywhere in the trail.
    let whole = app.get_as(&admin, "/api/v1/audit?format=csv").await.text().await.unwrap();
    for secret in [wrong, ADMIN_PASSWORD, admin.as_str()] {
        assert!(!whole.contains(secret), "the trail holds a secret: {whole}");
    }
}

#[tokio::test]
async fn account_changes_are_recorded_by_whom_and_from_what_to_what() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let admin_id = my_id(&app, &admin).await;
    let province = app.create_agency(&admin, "P", "province", None).await;
    let user = app.create_user(&admin, "lan.pt", "officer", Some(&province)).await;
    let path = format!("/api/v1/users/{user}");
    let new_password = "mat-khau-moi-rat-dai";
    let changed = app.patch_as(&admin, &path, &json!({"role": "leader", "password": new_password})).await;
    assert_eq!(changed.status(), 200);
    assert_eq!(app.patch_as(&admin, &path, &json!({"active": false})).await.status(), 200);
    let ended = app.send(reqwest::Method::DELETE, &format!("{path}/sessions"), Some(&admin), None).await;
    assert_eq!(ended.status(), 204);
    // A new name is not a security event.
    assert_eq!(app.patch_as(&admin, &path, &json!({"full_name": "Phạm Thị Lan"})).await.status(), 200);

    let trail = events(&app, &admin, &format!("subject_id={user}")).await;
    assert_eq!(
        actions(&trail),
        ["sessions_revoked", "user_deactivated", "password_changed", "user_role_changed", "user_created"]
    );
    let role = trail.iter().find(|e| e["action"] == "user_role_changed").unwrap();
    assert_eq!(role["details"], json!({"from": "officer", "to": "leader"}));
    assert_eq!(role["actor_id"], admin_id);
    assert_eq!(role["actor_name"], "root");
    assert_eq!(role["actor_role"], "admin");
    assert_eq!(role["agency_id"], province);
    assert_eq!(role["subject_type"], "user");
    let text = serde_json::to_string(&trail).unwrap();
    assert!(!text.contains(new_password) && !text.contains("$argon2id$"), "{text}");
}

#[tokio::test]
async fn a_reused_refresh_token_and_a_logout_are_recorded() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let user = app.create_user(&admin, "binh.lv", "citizen", None).await;
    let sign_in = || app.token_response(json!({"username": "binh.lv", "password": ADMIN_PASSWORD}));
    let first: Value = sign_in().await.json().await.unwrap();
    let refresh = |token: &Value| {
        app.token_response(json!({"grant_type": "refresh_token", "refresh_token": token.clone()}))
    };
    assert_eq!(refresh(&first["refresh_token"]).await.status(), 200);
    assert_eq!(refresh(&first["refresh_token"]).await.status(), 401, "spent");
    let second: Value = sign_in().await.json().await.unwrap();
    let access = second["access_token"].as_str().unwrap();
    let body = json!({"refresh_token": second["refresh_token"]});
    assert_eq!(app.post_as(access, "/api/v1/auth/logout", &body).await.status(), 204);

    let trail = events(&app, &admin, &format!("subject_id={user}")).await;
    assert_eq!(actions(&trail), ["logout", "sign_in", "refresh_reuse", "sign_in", "user_created"]);
    let (logout, reuse) = (&trail[0], &trail[2]);
    assert_eq!(logout["actor_id"], user);
    assert_eq!(logout["details"]["session"], trail[1]["details"]["session"]);
    assert_eq!(reuse["actor_kind"], "anonymous", "whoever holds a spent token is not known");
    assert_eq!(reuse["details"]["session"], trail[3]["details"]["session"]);
    let text = serde_json::to_string(&trail).unwrap();
    for token in [&first["refresh_token"], &second["refresh_token"]] {
        assert!(!text.contains(token.as_str().unwrap()), "{text}");
    }
}

#[tokio::test]
async fn secrets_and_webhooks_are_recorded_without_the_secrets() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let province = app.create_agency(&admin, "P", "province", None).await;
    let created: Value = app
        .post_as(&admin, "/api/v1/service-accounts", &json!({"name": "cổng", "agency_ids": [province]}))
        .await
        .json()
        .await
        .unwrap();
    let account = created["id"].as_str().unwrap();
    let rotated: Value = app
        .post_as(&admin, &format!("/api/v1/service-accounts/{account}/secret"), &json!({}))
        .await
        .json()
        .await
        .unwrap();
    let paused =
        app.patch_as(&admin, &format!("/api/v1/service-accounts/{account}"), &json!({"active": false})).await;
    assert_eq!(paused.status(), 200);
    let hook_secret = "khoa-bi-mat-cua-webhook";
    let hook = json!({"url": "http://8.8.8.8/hook?key=trong-url", "secret": hook_secret, "event_types": ["dossier.*"]});
    let hook: Value = app.post_as(&admin, "/api/v1/webhooks", &hook).await.json().await.unwrap();
    let hook_id = hook["id"].as_str().unwrap();
    let changed = app
        .patch_as(&admin, &format!("/api/v1/webhooks/{hook_id}"), &json!({"secret": "mot-khoa-moi-dai-hon"}))
        .await;
    assert_eq!(changed.status(), 200);
    let gone =
        app.send(reqwest::Method::DELETE, &format!("/api/v1/webhooks/{hook_id}"), Some(&admin), None).await;
    assert_eq!(gone.status(), 204);

    let about_account =
        events(&app, &admin, &format!("subject_type=service_account&subject_id={account}")).await;
    assert_eq!(
        actions(&about_account),
        ["service_account_changed", "service_account_secret_issued", "service_account_secret_issued"]
    );
    assert_eq!(about_account[0]["details"], json!({"active": {"from": true, "to": false}}));
    assert_eq!(about_account[2]["agency_id"], province);
    let about_hook = events(&app, &admin, &format!("subject_id={hook_id}")).await;
    assert_eq!(actions(&about_hook), ["webhook_deleted", "webhook_changed", "webhook_created"]);
    assert_eq!(about_hook[1]["details"]["secret_changed"], true);
    assert_eq!(about_hook[2]["details"]["host"], "8.8.8.8");
    let text = app.get_as(&admin, "/api/v1/audit?format=csv").await.text().await.unwrap();
    let secrets = [
        created["client_secret"].as_str().unwrap(),
        rotated["client_secret"].as_str().unwrap(),
        hook_secret,
        "trong-url",
    ];
    for secret in secrets {
        assert!(!text.contains(secret), "{secret} in {text}");
    }
}

#[tokio::test]
async fn reading_a_dossier_and_downloading_its_file_are_recorded() {
    let app = spawn_app().await;
    let desk = desk(&app).await;
    let intake = json!({
        "procedure_id": desk.procedure, "agency_id": desk.commune, "channel": "direct",
        "applicant": {"kind": "citizen", "full_name": "Nguyễn Văn Án", "id_number": "051090001234"},
        "components": [{"name": "Tờ khai"}],
    });
    let dossier = submit_dossier(&app, &desk.officer, &intake).await["id"].as_str().unwrap().to_owned();
    let scan = Part::bytes(b"%PDF-1.7\nto-khai".to_vec()).file_name("to-khai-an.pdf");
    let form = Form::new().text("kind", "component").text("component", "0").part("file", scan);
    let file: Value = app
        .client
        .post(app.url(&format!("/api/v1/dossiers/{dossier}/files")))
        .bearer_auth(&desk.officer)
        .multipart(form)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let file_id = file["id"].as_str().unwrap();
    assert_eq!(app.get_as(&desk.officer, &format!("/api/v1/dossiers/{dossier}")).await.status(), 200);
    let receipt = format!("/api/v1/dossiers/{dossier}/receipt?format=json");
    assert_eq!(app.get_as(&desk.officer, &receipt).await.status(), 200);
    let download = app.get_as(&desk.officer, &format!("/api/v1/dossiers/{dossier}/files/{file_id}")).await;
    assert_eq!(download.status(), 200);
    // A viewer's next range is the same download: not recorded again.
    let range = app
        .client
        .get(app.url(&format!("/api/v1/dossiers/{dossier}/files/{file_id}")))
        .bearer_auth(&desk.officer)
        .header("range", "bytes=4-")
        .send()
        .await
        .unwrap();
    assert_eq!(range.status(), 206);

    // The reads are queued; the trail waits for them before answering.
    let trail = events(&app, &desk.admin, &format!("subject_type=dossier&subject_id={dossier}")).await;
    assert_eq!(actions(&trail), ["dossier_file_read", "dossier_read", "dossier_read"]);
    for event in &trail {
        assert_eq!(event["actor_id"], desk.officer_id);
        assert_eq!(event["actor_name"], "officer");
        assert_eq!(event["agency_id"], desk.commune);
    }
    assert_eq!(trail[0]["details"], json!({"file_id": file_id, "kind": "component", "by_link": false}));
    assert_eq!(trail[1]["details"], json!({"view": "receipt", "personal_fields": true}));
    assert_eq!(trail[2]["details"], json!({"view": "dossier", "personal_fields": true}));
    let text = serde_json::to_string(&trail).unwrap();
    assert!(!text.contains("to-khai-an") && !text.contains("051090001234"), "{text}");
}

#[tokio::test]
async fn a_report_exported_as_a_file_is_recorded_and_json_is_not() {
    let app = spawn_app().await;
    let desk = desk(&app).await;
    let report = format!("/api/v1/reports/summary?agency_id={}&from=2024-01-01&to=2024-06-30", desk.commune);
    assert_eq!(app.get_as(&desk.admin, &report).await.status(), 200);
    assert_eq!(app.get_as(&desk.admin, &format!("{report}&format=xlsx")).await.status(), 200);
    let exports = events(&app, &desk.admin, "action=export").await;
    assert_eq!(exports.len(), 1, "{exports:?}");
    assert_eq!(exports[0]["subject_type"], "report");
    assert_eq!(exports[0]["subject_id"], desk.commune);
    assert_eq!(
        exports[0]["details"],
        json!({"report": "summary", "format": "xlsx", "from": "2024-01-01", "to": "2024-06-30"})
    );
}

#[tokio::test]
async fn the_trail_filters_by_actor_subject_and_time_and_pages_by_cursor() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let admin_id = my_id(&app, &admin).await;
    let first = app.create_user(&admin, "first", "citizen", None).await;
    let before_second = chrono::Utc::now();
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    let second = app.create_user(&admin, "second", "citizen", None).await;
    for _ in 0..3 {
        app.login("second", ADMIN_PASSWORD).await;
    }

    let by_second = events(&app, &admin, &format!("actor_id={second}")).await;
    assert_eq!(actions(&by_second), ["sign_in"; 3]);
    let by_admin = events(&app, &admin, &format!("actor_id={admin_id}&action=user_created")).await;
    let created: Vec<&Value> = by_admin.iter().map(|e| &e["subject_id"]).collect();
    assert_eq!(created, [&json!(second), &json!(first)]);
    let since = before_second.to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
    let later = events(&app, &admin, &format!("action=user_created&from={since}")).await;
    assert_eq!(later.len(), 1);
    assert_eq!(later[0]["subject_id"], second);
    let earlier = events(&app, &admin, &format!("action=user_created&to={since}")).await;
    assert_eq!(earlier.len(), 1);
    assert_eq!(earlier[0]["subject_id"], first);

    // Pages of two walk the whole trail once, newest first.
    let all = events(&app, &admin, "").await;
    assert_eq!(all.len(), 6, "root's sign-in, two accounts, three sign-ins: {all:?}");
    let (mut seen, mut cursor) = (Vec::new(), None::<String>);
    loop {
        let query = cursor.as_ref().map(|c| format!("&cursor={c}")).unwrap_or_default();
        let page: Value =
            app.get_as(&admin, &format!("/api/v1/audit?limit=2{query}")).await.json().await.unwrap();
        seen.extend(page["items"].as_array().unwrap().iter().map(|e| e["id"].clone()));
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    let ids: Vec<Value> = all.iter().map(|e| e["id"].clone()).collect();
    assert_eq!(seen, ids);
}

#[tokio::test]
async fn the_csv_export_holds_every_matching_event_defused_and_is_itself_recorded() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    // Usernames are compared in lower case: that is how the refusal records it.
    let formula = "=hyperlink(\"http://evil\")";
    let refused = app.token_response(json!({"username": formula, "password": "whatever-it-is"})).await;
    assert_eq!(refused.status(), 401);
    let response = app.get_as(&admin, "/api/v1/audit?format=csv&action=sign_in_refused").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "text/csv; charset=utf-8");
    let csv = response.text().await.unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 2, "{csv}");
    assert!(lines[0].starts_with("\u{feff}id,occurred_at,action,actor_kind,actor_id,actor_name"), "{csv}");
    assert!(lines[1].contains("sign_in_refused") && lines[1].contains("\"'=hyperlink("), "{csv}");

    let exports = events(&app, &admin, "action=export").await;
    assert_eq!(exports.len(), 1);
    assert_eq!(exports[0]["subject_type"], "audit_trail");
    assert_eq!(exports[0]["details"]["rows"], 1);
    assert_eq!(exports[0]["details"]["filters"]["action"], "sign_in_refused");
}

#[tokio::test]
async fn only_administrators_read_the_trail_each_within_their_agencies() {
    let app = spawn_app().await;
    let root = app.admin_token().await;
    let p = app.create_agency(&root, "P", "province", None).await;
    let c = app.create_agency(&root, "P.C", "commune", Some(&p)).await;
    let q = app.create_agency(&root, "Q", "province", None).await;
    app.create_user(&root, "admin_p", "admin", Some(&p)).await;
    let in_commune = app.create_user(&root, "officer_c", "officer", Some(&c)).await;
    let elsewhere = app.create_user(&root, "officer_q", "officer", Some(&q)).await;
    let officer = app.login("officer_c", ADMIN_PASSWORD).await;
    let agency_admin = app.login("admin_p", ADMIN_PASSWORD).await;

    let refused = problem(app.get_as(&officer, "/api/v1/audit").await).await;
    assert_eq!(refused["status"], 403);
    assert_eq!(app.get("/api/v1/audit").await.status(), 401);

    let seen = events(&app, &agency_admin, "action=user_created").await;
    let subjects: Vec<&str> = seen.iter().map(|e| e["subject_id"].as_str().unwrap()).collect();
    assert!(subjects.contains(&in_commune.as_str()), "{subjects:?}");
    assert!(!subjects.contains(&elsewhere.as_str()), "{subjects:?}");
    let own = events(&app, &agency_admin, &format!("agency_id={c}&action=sign_in")).await;
    assert_eq!(own.len(), 1, "officer_c's sign-in: {own:?}");
    let foreign = app.get_as(&agency_admin, &format!("/api/v1/audit?agency_id={q}")).await;
    assert_eq!(problem(foreign).await["status"], 404);
    // The system administrator's own sign-in has no agency: only a system administrator sees it.
    assert!(events(&app, &agency_admin, "action=sign_in").await.iter().all(|e| e["actor_name"] != "root"));
    assert!(events(&app, &root, "action=sign_in").await.iter().any(|e| e["actor_name"] == "root"));
}

#[tokio::test]
async fn bad_parameters_are_refused_naming_the_field() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    for (query, status, field) in [
        ("limit=0", 400, "limit"),
        ("from=yesterday", 400, "from"),
        ("action=read_everything", 400, "action"),
        ("subject_type=planet", 400, "subject_type"),
        ("format=pdf", 400, "format"),
        ("cursor=%21%21", 400, "cursor"),
        ("from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", 422, "from"),
        ("unknown=1", 400, "unknown"),
    ] {
        let body = problem(app.get_as(&admin, &format!("/api/v1/audit?{query}")).await).await;
        assert_eq!(body["status"], status, "{query}: {body}");
        assert_eq!(error_fields(&body), [field], "{query}: {body}");
    }
}

#[tokio::test]
async fn the_trail_is_append_only() {
    let app = spawn_app().await;
    app.admin_token().await;
    let (update, delete) = app
        .with_library_db(|db| {
            use diesel::RunQueryDsl;
            let mut conn = db.pool().get().unwrap();
            let update = diesel::sql_query("UPDATE audit_events SET action = 'nothing'").execute(&mut *conn);
            let delete = diesel::sql_query("DELETE FROM audit_events").execute(&mut *conn);
            (update.map_err(|e| e.to_string()), delete.map_err(|e| e.to_string()))
        })
        .await;
    assert!(update.unwrap_err().contains("append-only"));
    assert!(delete.unwrap_err().contains("append-only"));
}

#[tokio::test]
async fn the_metrics_count_read_records_lost() {
    let app = spawn_app().await;
    let metrics = app.get("/metrics").await.text().await.unwrap();
    assert!(metrics.lines().any(|line| line == "motcua_audit_reads_lost 0"), "{metrics}");
}

/// A server told to stop writes the reads it still holds before it ends: here a second process
/// on the same database, whose reads the first one's trail then shows.
#[tokio::test]
async fn a_stopping_server_writes_the_reads_it_holds() {
    let app = spawn_app().await;
    let desk = desk(&app).await;
    let intake = json!({
        "procedure_id": desk.procedure, "agency_id": desk.commune, "channel": "direct",
        "applicant": {"kind": "citizen", "full_name": "Trần Thị Bé"},
    });
    let dossier = submit_dossier(&app, &desk.officer, &intake).await["id"].as_str().unwrap().to_owned();
    let sibling = app.spawn_sibling(|_| {}).await;
    let read = app
        .client
        .get(format!("{}/api/v1/dossiers/{dossier}", sibling.address))
        .bearer_auth(&desk.officer)
        .send()
        .await
        .unwrap();
    assert_eq!(read.status(), 200);
    sibling.stop().await;
    let trail = events(&app, &desk.admin, &format!("action=dossier_read&subject_id={dossier}")).await;
    assert_eq!(trail.len(), 1);
}
