//! What anyone reads without signing in: the active catalogue, the agencies that receive
//! dossiers, published answers to feedback, and a dossier by its code and check; their caching
//! (ETag, Cache-Control, 304) and the lookup's throttle.

use reqwest::header::{CACHE_CONTROL, ETAG, IF_NONE_MATCH, RETRY_AFTER};
use serde_json::{Value, json};

use crate::helpers::{Desk, TestApp, desk, problem, spawn_app, spawn_app_with, submit_dossier};

fn ids(page: &Value) -> Vec<&str> {
    page["items"].as_array().unwrap().iter().map(|item| item["id"].as_str().unwrap()).collect()
}

async fn anonymous_json(app: &TestApp, path: &str) -> Value {
    let response = app.get(path).await;
    assert_eq!(response.status(), 200, "{path}");
    response.json().await.unwrap()
}

/// A second procedure of the national catalogue, then deactivated; its id.
async fn inactive_procedure(app: &TestApp, admin: &str) -> String {
    let body = json!({
        "code": "1.000656", "name": "Thủ tục đăng ký kết hôn", "field": "Hộ tịch", "level": "commune",
        "online_service": "partial", "processing_time": {"value": 5, "unit": "working_days"}, "fee": 0,
    });
    let created: Value = app.post_as(admin, "/api/v1/procedures", &body).await.json().await.unwrap();
    let id = created["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/procedures/{id}");
    assert_eq!(app.patch_as(admin, &path, &json!({"active": false})).await.status(), 200);
    id
}

#[tokio::test]
async fn the_catalogue_shows_active_procedures_to_anyone() {
    let app = spawn_app().await;
    let desk = desk(&app).await;
    let inactive = inactive_procedure(&app, &desk.admin).await;
    let household = json!({
        "code": "1.004194", "name": "Thủ tục đăng ký thường trú", "field": "Đăng ký, quản lý cư trú",
        "level": "commune", "online_service": "full", "processing_time": {"value": 7, "unit": "working_days"},
        "fee": 20000, "agency_id": desk.commune,
    });
    let household: Value =
        app.post_as(&desk.admin, "/api/v1/procedures", &household).await.json().await.unwrap();
    let household = household["id"].as_str().unwrap();

    let all = anonymous_json(&app, "/api/v1/public/procedures").await;
    assert_eq!(ids(&all), [desk.procedure.as_str(), household], "active ones, by code; not {inactive}");
    let item = all["items"][0].as_object().unwrap();
    let mut keys: Vec<&str> = item.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "agency_id",
            "code",
            "components",
            "decision_number",
            "fee",
            "field",
            "id",
            "level",
            "name",
            "online_service",
            "processing_time"
        ]
    );

    // The staff list's search and filters, accents and case ignored.
    let found = anonymous_json(&app, "/api/v1/public/procedures?q=ket%20hon").await;
    assert!(ids(&found).is_empty(), "an inactive procedure is never found");
    let found = anonymous_json(&app, "/api/v1/public/procedures?q=khai%20sinh").await;
    assert_eq!(ids(&found), [desk.procedure.as_str()]);
    let found = anonymous_json(&app, &format!("/api/v1/public/procedures?agency_id={}", desk.commune)).await;
    assert_eq!(ids(&found), [household]);
    let found =
        anonymous_json(&app, "/api/v1/public/procedures?field=dang%20ky,%20quan%20ly%20cu%20tru").await;
    assert_eq!(ids(&found), [household]);
    let first = anonymous_json(&app, "/api/v1/public/procedures?limit=1").await;
    assert_eq!(ids(&first), [desk.procedure.as_str()]);
    let cursor = first["next_cursor"].as_str().unwrap();
    let second = anonymous_json(&app, &format!("/api/v1/public/procedures?limit=1&cursor={cursor}")).await;
    assert_eq!(ids(&second), [household]);
    assert_eq!(second["next_cursor"], Value::Null);
    assert_eq!(app.get("/api/v1/public/procedures?limit=0").await.status(), 400);

    let one = anonymous_json(&app, &format!("/api/v1/public/procedures/{household}")).await;
    assert_eq!((one["code"].as_str(), one["fee"].as_i64()), (Some("1.004194"), Some(20000)));
    for hidden in [inactive.as_str(), "no-such-procedure"] {
        let response = app.get(&format!("/api/v1/public/procedures/{hidden}")).await;
        assert_eq!(response.status(), 404, "{hidden}");
        problem(response).await;
    }
    // A token, if sent, changes nothing.
    let signed_in: Value = app.get_as(&desk.citizen, "/api/v1/public/procedures").await.json().await.unwrap();
    assert_eq!(signed_in, all);
}

#[tokio::test]
async fn public_answers_carry_an_etag_and_answer_304_while_it_holds() {
    let app = spawn_app().await;
    let desk = desk(&app).await;
    for path in ["/api/v1/public/procedures", "/api/v1/public/agencies", "/api/v1/public/feedback"] {
        let first = app.get(path).await;
        assert_eq!(first.status(), 200);
        assert_eq!(first.headers()[CACHE_CONTROL], "public, max-age=300", "{path}");
        let etag = first.headers()[ETAG].to_str().unwrap().to_owned();
        assert!(etag.starts_with('"') && etag.ends_with('"'), "a strong ETag: {etag}");
        let again = app.client.get(app.url(path)).header(IF_NONE_MATCH, &etag).send().await.unwrap();
        assert_eq!(again.status(), 304, "{path}");
        assert_eq!(again.headers()[ETAG], etag.as_str());
        assert_eq!(again.headers()[CACHE_CONTROL], "public, max-age=300");
        assert!(again.bytes().await.unwrap().is_empty());
    }

    // A change to the data changes the ETag: the old one gets the new body.
    let path = format!("/api/v1/public/procedures/{}", desk.procedure);
    let before = app.get(&path).await;
    let etag = before.headers()[ETAG].to_str().unwrap().to_owned();
    let weak =
        app.client.get(app.url(&path)).header(IF_NONE_MATCH, format!("W/{etag}")).send().await.unwrap();
    assert_eq!(weak.status(), 304, "If-None-Match compares weakly");
    let changed = app
        .patch_as(&desk.admin, &format!("/api/v1/procedures/{}", desk.procedure), &json!({"fee": 5000}))
        .await;
    assert_eq!(changed.status(), 200);
    let after = app.client.get(app.url(&path)).header(IF_NONE_MATCH, &etag).send().await.unwrap();
    assert_eq!(after.status(), 200);
    assert_ne!(after.headers()[ETAG], etag.as_str());
    assert_eq!(after.json::<Value>().await.unwrap()["fee"], 5000);
}

#[tokio::test]
async fn the_agencies_offered_are_those_that_receive_dossiers() {
    let app = spawn_app().await;
    let desk = desk(&app).await;
    // A district from before July 2025: kept for old records, no longer a desk.
    let district = app.create_agency(&desk.admin, "P01.D01", "district", Some(&desk.province)).await;
    let other = app.create_agency(&desk.admin, "P01.D01.C02", "commune", Some(&district)).await;

    let all = anonymous_json(&app, "/api/v1/public/agencies").await;
    assert_eq!(ids(&all), [desk.province.as_str(), desk.commune.as_str(), other.as_str()]);
    let communes = anonymous_json(&app, "/api/v1/public/agencies?level=commune").await;
    assert_eq!(ids(&communes), [desk.commune.as_str(), other.as_str()]);
    let children =
        anonymous_json(&app, &format!("/api/v1/public/agencies?parent_id={}", desk.province)).await;
    assert_eq!(ids(&children), [desk.commune.as_str()], "not the district below the province");
    let districts = anonymous_json(&app, "/api/v1/public/agencies?level=district").await;
    assert!(ids(&districts).is_empty());
    let first = anonymous_json(&app, "/api/v1/public/agencies?limit=2").await;
    let cursor = first["next_cursor"].as_str().unwrap();
    let rest = anonymous_json(&app, &format!("/api/v1/public/agencies?limit=2&cursor={cursor}")).await;
    assert_eq!(ids(&rest), [other.as_str()]);
}

/// File feedback at the commune with a submitter's personal data, answered; published if asked.
async fn answered_feedback(app: &TestApp, desk: &Desk, subject: &str, publish: bool) -> String {
    let body = json!({
        "channel": "national_portal", "subject": subject, "content": "Hồ sơ quá hạn chưa có thông báo.",
        "agency_id": desk.commune, "procedure_id": desk.procedure,
        "submitter": {
            "full_name": "Nguyễn Văn An", "phone": "0912345678", "email": "an@example.vn",
            "address": "Thôn 1, xã Tỉnh Châu",
        },
    });
    let filed: Value = app.post_as(&desk.citizen, "/api/v1/feedback", &body).await.json().await.unwrap();
    let id = filed["id"].as_str().unwrap().to_owned();
    let step = |action: &str| format!("/api/v1/feedback/{id}/{action}");
    assert_eq!(app.post_as(&desk.officer, &step("process"), &json!({})).await.status(), 200);
    let answer = json!({"response": "Đã trả kết quả ngày 10/01; xin lỗi ông vì sự chậm trễ."});
    assert_eq!(app.post_as(&desk.officer, &step("respond"), &answer).await.status(), 200);
    if publish {
        assert_eq!(app.post_as(&desk.officer, &step("publish"), &json!({})).await.status(), 200);
    }
    id
}

#[tokio::test]
async fn published_answers_are_listed_without_the_submitter() {
    let app = spawn_app().await;
    let desk = desk(&app).await;
    let older = answered_feedback(&app, &desk, "Chậm trả kết quả", true).await;
    answered_feedback(&app, &desk, "Chưa công khai", false).await;
    let newer = answered_feedback(&app, &desk, "Thái độ cán bộ", true).await;

    let page = anonymous_json(&app, "/api/v1/public/feedback").await;
    assert_eq!(ids(&page), [newer.as_str(), older.as_str()], "published only, newest publication first");
    for item in page["items"].as_array().unwrap() {
        let mut keys: Vec<&str> = item.as_object().unwrap().keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(
            keys,
            [
                "agency_id",
                "content",
                "id",
                "procedure_id",
                "published_at",
                "received_at",
                "responded_at",
                "response",
                "subject"
            ]
        );
        assert_eq!(item["agency_id"], desk.commune.as_str());
    }
    let text = page.to_string();
    for personal in ["Nguyễn Văn An", "0912345678", "an@example.vn", "Thôn 1", "Chưa công khai"] {
        assert!(!text.contains(personal), "{personal} in {text}");
    }
    let first = anonymous_json(&app, "/api/v1/public/feedback?limit=1").await;
    let cursor = first["next_cursor"].as_str().unwrap();
    let rest = anonymous_json(&app, &format!("/api/v1/public/feedback?limit=1&cursor={cursor}")).await;
    assert_eq!(ids(&rest), [older.as_str()]);
    let elsewhere =
        anonymous_json(&app, &format!("/api/v1/public/feedback?agency_id={}", desk.province)).await;
    assert!(ids(&elsewhere).is_empty());
}

/// What an answer is made of, less what differs between any two responses (its request id and
/// date): status, headers and body bytes.
async fn answer(response: reqwest::Response) -> (u16, Vec<(String, String)>, Vec<u8>) {
    let status = response.status().as_u16();
    let mut headers: Vec<(String, String)> = response
        .headers()
        .iter()
        .filter(|(name, _)| !matches!(name.as_str(), "x-request-id" | "date"))
        .map(|(name, value)| (name.to_string(), value.to_str().unwrap().to_owned()))
        .collect();
    headers.sort();
    (status, headers, response.bytes().await.unwrap().to_vec())
}

#[tokio::test]
async fn the_lookup_needs_the_last_digits_of_the_phone_or_id_number() {
    let app = spawn_app_with(|settings| settings.lookup_per_minute = 60).await;
    let desk = desk(&app).await;
    let intake = json!({
        "procedure_id": desk.procedure, "agency_id": desk.commune, "channel": "direct",
        "applicant": {
            "kind": "citizen", "full_name": "Nguyễn Văn Án", "id_number": "051090001234", "phone": "0912 345 678",
        },
        "components": [{"name": "Tờ khai", "digitized": true}],
    });
    let dossier = submit_dossier(&app, &desk.officer, &intake).await;
    let path = format!("/api/v1/public/dossiers/{}", dossier["code"].as_str().unwrap());

    for check in ["5678", "1234"] {
        let found = app.get(&format!("{path}?check={check}")).await;
        assert_eq!(found.status(), 200, "check {check}");
        assert_eq!(found.headers()[CACHE_CONTROL], "private, no-cache");
        let etag = found.headers()[ETAG].to_str().unwrap().to_owned();
        let body: Value = found.json().await.unwrap();
        assert_eq!(
            (body["status"].as_str(), &body["appointment_at"]),
            (Some("processing"), &dossier["appointment_at"])
        );
        let again = app
            .client
            .get(app.url(&format!("{path}?check={check}")))
            .header(IF_NONE_MATCH, &etag)
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), 304);
        assert_eq!(again.headers()[CACHE_CONTROL], "private, no-cache");
    }

    let unknown = answer(app.get("/api/v1/public/dossiers/NOPE-000000-0001?check=5678").await).await;
    assert_eq!(unknown.0, 404);
    for query in ["", "?check=", "?check=0000", "?check=678", "?check=45678", "?check=abcd", "?check=%205678"]
    {
        let refused = answer(app.get(&format!("{path}{query}")).await).await;
        assert_eq!(refused, unknown, "{query:?} answers exactly like an unknown code");
    }

    // An applicant who gave neither a phone nor an identity number has no check: the slip
    // offers no lookup, and none finds the dossier.
    let mut bare = intake;
    bare["applicant"] = json!({"kind": "citizen", "full_name": "Trần Thị Bình"});
    let bare = submit_dossier(&app, &desk.officer, &bare).await;
    let slip = format!("/api/v1/dossiers/{}/receipt?format=json", bare["id"].as_str().unwrap());
    let slip: Value = app.get_as(&desk.officer, &slip).await.json().await.unwrap();
    assert_eq!(slip["lookup_path"], Value::Null);
    let path = format!("/api/v1/public/dossiers/{}?check=0000", bare["code"].as_str().unwrap());
    assert_eq!(app.get(&path).await.status(), 404);
}

#[tokio::test]
async fn lookups_are_throttled_per_client_address() {
    // Two a minute, one at once; the test client's peer (127.0.0.1) is a trusted proxy, so each
    // forwarded address is a client of its own.
    let app = spawn_app_with(|settings| {
        settings.lookup_per_minute = 2;
        settings.trusted_proxies = "127.0.0.1".parse().unwrap();
    })
    .await;
    let lookup = |client: &str| {
        app.client
            .get(app.url("/api/v1/public/dossiers/P01.C01-240105-0001?check=1234"))
            .header("x-forwarded-for", client)
            .send()
    };
    assert_eq!(lookup("203.0.113.7").await.unwrap().status(), 404, "the first attempt is heard");
    let held = lookup("203.0.113.7").await.unwrap();
    assert_eq!(held.status(), 429, "a failed attempt counts");
    let retry_after: u64 = held.headers()[RETRY_AFTER].to_str().unwrap().parse().unwrap();
    assert!((1..=30).contains(&retry_after), "one every 30 s: {retry_after}");
    assert_eq!(problem(held).await["type"], "urn:motcua:problem:too-many-requests");
    assert_eq!(lookup("203.0.113.8").await.unwrap().status(), 404, "another address is not held");
}
