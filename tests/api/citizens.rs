//! The citizen's own journey: registration with a code, sign-in by phone or email, online
//! submission, and the notifications of every step, delivered for real (an SMS gateway
//! receiver over HTTP here; an SMTP server when `MOTCUA_TEST_SMTP_URL` names one).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use motcua::delivery::signature;
use motcua::settings::Settings;
use serde_json::{Value, json};

use crate::helpers::{Desk, TestApp, desk, error_fields, problem, spawn_app, spawn_app_with, submit_dossier};

const SMS_SECRET: &str = "the-gateway-adapter-shares-this";
const PASSWORD: &str = "mật-khẩu-của-hoa-2024";

/// A local SMS gateway adapter: it checks each request's signature and keeps the texts.
#[derive(Clone, Default)]
struct Gateway {
    texts: Arc<Mutex<Vec<(String, String)>>>,
    /// Answer 503 to every request (a gateway that is down).
    down: bool,
}

impl Gateway {
    async fn start(self) -> (String, Self) {
        let state = self.clone();
        let server = HttpServer::new(move || {
            App::new().app_data(web::Data::new(state.clone())).route("/sms", web::post().to(receive))
        })
        .workers(1)
        .bind("127.0.0.1:0")
        .unwrap();
        let port = server.addrs()[0].port();
        tokio::spawn(server.run());
        (format!("http://127.0.0.1:{port}/sms"), self)
    }

    fn to(&self, phone: &str) -> Vec<String> {
        self.texts.lock().unwrap().iter().filter(|(to, _)| to == phone).map(|(_, t)| t.clone()).collect()
    }

    /// The texts to `phone` once there are `n` of them.
    async fn wait_for(&self, phone: &str, n: usize) -> Vec<String> {
        for _ in 0..200 {
            let got = self.to(phone);
            if got.len() >= n {
                return got;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("{phone} got {:?}, not {n} texts", self.to(phone));
    }
}

async fn receive(req: HttpRequest, body: web::Bytes, state: web::Data<Gateway>) -> HttpResponse {
    let signed = req.headers().get(signature::HEADER).and_then(|v| v.to_str().ok()).unwrap_or_default();
    if !signature::verify(SMS_SECRET, &body, signed) {
        return HttpResponse::Unauthorized().finish();
    }
    if state.down {
        return HttpResponse::ServiceUnavailable().finish();
    }
    let message: Value = serde_json::from_slice(&body).unwrap();
    let id = req.headers().get("X-Motcua-Notification").unwrap().to_str().unwrap();
    assert_eq!(message["id"], id);
    let pair = (message["to"].as_str().unwrap().to_owned(), message["text"].as_str().unwrap().to_owned());
    state.texts.lock().unwrap().push(pair);
    HttpResponse::Accepted().finish()
}

fn with_sms(url: String) -> impl FnOnce(&mut Settings) {
    move |s: &mut Settings| {
        s.sms_url = Some(url);
        s.sms_secret = Some(SMS_SECRET.into());
        s.notify_poll_ms = 50;
        s.notify_retry_base_ms = 50;
        s.notify_max_attempts = 2;
    }
}

/// The six digits of the last code in `text`.
fn code_in(text: &str) -> String {
    let digits: Vec<&str> = text.split(|c: char| !c.is_ascii_digit()).filter(|w| w.len() == 6).collect();
    digits.last().unwrap_or_else(|| panic!("no code in {text:?}")).to_string()
}

async fn register(app: &TestApp, body: Value) -> reqwest::Response {
    app.client.post(app.url("/api/v1/citizens")).json(&body).send().await.unwrap()
}

async fn anonymous_post(app: &TestApp, path: &str, body: Value) -> reqwest::Response {
    app.client.post(app.url(path)).json(&body).send().await.unwrap()
}

/// An online dossier of Nguyễn Thị Hoa's, submitted by `token` to the desk's commune.
async fn online(app: &TestApp, token: &str, desk: &Desk) -> Value {
    let body = json!({
        "procedure_id": desk.procedure, "agency_id": desk.commune, "channel": "online",
        "applicant": {"kind": "citizen", "full_name": "Nguyễn Thị Hoa"},
    });
    submit_dossier(app, token, &body).await
}

async fn act(app: &TestApp, token: &str, id: &str, action: &str, body: Value) -> Value {
    let response = app.post_as(token, &format!("/api/v1/dossiers/{id}/{action}"), &body).await;
    assert_eq!(response.status(), 200, "{action}");
    response.json().await.unwrap()
}

#[tokio::test]
async fn a_citizen_registers_submits_and_hears_of_every_step_by_sms() {
    let (sms_url, gateway) = Gateway::default().start().await;
    let app = spawn_app_with(with_sms(sms_url)).await;
    let desk = desk(&app).await;

    let answer = register(
        &app,
        json!({"full_name": "Nguyễn Thị Hoa", "phone": "+84 912 345 678", "password": PASSWORD}),
    )
    .await;
    assert_eq!(answer.status(), 202);
    let answer: Value = answer.json().await.unwrap();
    assert_eq!(answer, json!({"sent_to": "******5678", "expires_in_secs": 600}));
    let texts = gateway.wait_for("0912345678", 1).await;
    assert!(texts[0].is_ascii(), "SMS without diacritics by default: {}", texts[0]);
    let code = code_in(&texts[0]);

    // Not signed in before the code.
    let early = app.token_response(json!({"username": "0912345678", "password": PASSWORD})).await;
    assert_eq!(early.status(), 401);
    let verified =
        anonymous_post(&app, "/api/v1/citizens/verify", json!({"phone": "0912 345 678", "code": code})).await;
    assert_eq!(verified.status(), 201);
    let account: Value = verified.json().await.unwrap();
    assert_eq!((account["role"].as_str(), account["phone"].as_str()), (Some("citizen"), Some("0912345678")));
    let spent =
        anonymous_post(&app, "/api/v1/citizens/verify", json!({"phone": "0912345678", "code": code})).await;
    assert_eq!(error_fields(&problem(spent).await), ["code"], "a code works once");

    // The account's creation is in the audit trail, by the account itself.
    let trail: Value = app
        .get_as(&desk.admin, &format!("/api/v1/audit?subject_id={}", account["id"].as_str().unwrap()))
        .await
        .json()
        .await
        .unwrap();
    let created = &trail["items"][0];
    assert_eq!(
        (created["action"].as_str(), created["actor_id"].as_str()),
        (Some("user_created"), account["id"].as_str())
    );

    // Finds the procedure in the catalogue without signing in.
    let found: Value = app.get("/api/v1/public/procedures?q=khai%20sinh").await.json().await.unwrap();
    assert_eq!(found["items"][0]["id"], desk.procedure.as_str());

    // Signs in with the phone however it is written.
    let citizen = app.login("+84912345678", PASSWORD).await;
    let dossier: Value = online(&app, &citizen, &desk).await;
    let id = dossier["id"].as_str().unwrap();
    let code = dossier["code"].as_str().unwrap();
    assert_eq!(
        gateway.to("0912345678").len(),
        1,
        "submitting alone tells nothing: the desk has not received it"
    );

    act(&app, &desk.officer, id, "accept", json!({"note": "nội bộ: đã kiểm tra"})).await;
    let texts = gateway.wait_for("0912345678", 2).await;
    assert!(texts[1].contains(code) && texts[1].contains("tiep nhan"), "{}", texts[1]);
    act(&app, &desk.officer, id, "request-supplement", json!({"reason": "Thiếu bản sao giấy chứng sinh"}))
        .await;
    let texts = gateway.wait_for("0912345678", 3).await;
    assert!(texts[2].contains("Thieu ban sao giay chung sinh"), "{}", texts[2]);
    act(&app, &citizen, id, "supplement", json!({})).await;
    act(&app, &desk.officer, id, "resolve", json!({"outcome": "approved", "result_digitized": true})).await;
    let texts = gateway.wait_for("0912345678", 4).await;
    assert!(texts[3].contains("ket qua"), "{}", texts[3]);
    act(&app, &desk.officer, id, "return", json!({})).await;
    gateway.wait_for("0912345678", 5).await;
    // Another citizen sees none of it.
    let other = desk.citizen.clone();
    assert_eq!(app.get_as(&other, &format!("/api/v1/dossiers/{id}")).await.status(), 404);
    assert_eq!(app.get_as(&other, &format!("/api/v1/dossiers/{id}/history")).await.status(), 404);
    let theirs: Value = app.get_as(&other, "/api/v1/notifications").await.json().await.unwrap();
    assert_eq!(theirs["items"], json!([]));
    let survey =
        app.post_as(&citizen, &format!("/api/v1/dossiers/{id}/survey"), &json!({"level": "satisfied"})).await;
    assert_eq!(survey.status(), 201);

    // The citizen's history keeps the reason said to them, not the officer's internal note.
    let history: Value =
        app.get_as(&citizen, &format!("/api/v1/dossiers/{id}/history")).await.json().await.unwrap();
    let notes: Vec<(&str, &Value)> = history["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["action"].as_str().unwrap(), &e["note"]))
        .collect();
    assert!(notes.contains(&("accept", &Value::Null)), "{notes:?}");
    assert!(notes.contains(&("request-supplement", &json!("Thiếu bản sao giấy chứng sinh"))));
    let staff: Value =
        app.get_as(&desk.officer, &format!("/api/v1/dossiers/{id}/history")).await.json().await.unwrap();
    assert!(staff["items"].as_array().unwrap().iter().any(|e| e["note"] == "nội bộ: đã kiểm tra"));

    // The citizen lists their notifications: the code's text is not shown back.
    let mine: Value = app.get_as(&citizen, "/api/v1/notifications").await.json().await.unwrap();
    let kinds: Vec<&str> =
        mine["items"].as_array().unwrap().iter().map(|n| n["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["result_returned", "result_ready", "supplement_requested", "dossier_received"]);
    assert!(mine["items"].as_array().unwrap().iter().all(|n| n["state"] == "sent" && n["channel"] == "sms"));
    let all: Value = app.get_as(&desk.admin, "/api/v1/notifications").await.json().await.unwrap();
    let code_row =
        all["items"].as_array().unwrap().iter().find(|n| n["kind"] == "verification_code").unwrap();
    assert_eq!(code_row["body"], Value::Null, "nobody reads a code back");
    assert_eq!(app.get_as(&desk.officer, "/api/v1/notifications").await.status(), 403);

    // Opting out stops the messages.
    let off = app.patch_as(&citizen, "/api/v1/me", &json!({"notify": false})).await;
    assert_eq!(off.status(), 200);
    let second: Value = online(&app, &citizen, &desk).await;
    act(&app, &desk.officer, second["id"].as_str().unwrap(), "accept", json!({})).await;
    let about: Value = app
        .get_as(&desk.admin, &format!("/api/v1/notifications?dossier_id={}", second["id"].as_str().unwrap()))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(about["items"], json!([]));
}

#[tokio::test]
async fn codes_are_refused_when_wrong_spent_or_for_someone_else_and_reset_ends_sessions() {
    let (sms_url, gateway) = Gateway::default().start().await;
    let app = spawn_app_with(with_sms(sms_url)).await;
    let body = json!({"full_name": "Trần Văn Bình", "phone": "0987654321", "password": PASSWORD});
    assert_eq!(register(&app, body.clone()).await.status(), 202);
    let code = code_in(&gateway.wait_for("0987654321", 1).await[0]);
    let wrong = if code == "000000" { "000001" } else { "000000" };

    let missing = anonymous_post(&app, "/api/v1/citizens/verify", json!({"code": code})).await;
    assert_eq!(error_fields(&problem(missing).await), ["phone"]);
    let other =
        anonymous_post(&app, "/api/v1/citizens/verify", json!({"phone": "0987654322", "code": code})).await;
    assert_eq!(error_fields(&problem(other).await), ["code"], "a code proves one phone only");
    for _ in 0..5 {
        let refused =
            anonymous_post(&app, "/api/v1/citizens/verify", json!({"phone": "0987654321", "code": wrong}))
                .await;
        assert_eq!(refused.status(), 422);
    }
    let too_late =
        anonymous_post(&app, "/api/v1/citizens/verify", json!({"phone": "0987654321", "code": code})).await;
    assert_eq!(error_fields(&problem(too_late).await), ["code"], "five wrong tries spend the code");

    // A code past its ten minutes (aged in the database, as time would) is refused.
    assert_eq!(
        register(&app, json!({"full_name": "Lê Thị Cúc", "phone": "0977777777", "password": PASSWORD}))
            .await
            .status(),
        202
    );
    let late = code_in(&gateway.wait_for("0977777777", 1).await[0]);
    app.with_library_db(|db| {
        use diesel::RunQueryDsl;
        let mut conn = db.pool().get().unwrap();
        diesel::sql_query("UPDATE verification_codes SET expires_at = '2000-01-01 00:00:00'")
            .execute(&mut *conn)
            .unwrap();
    })
    .await;
    let expired =
        anonymous_post(&app, "/api/v1/citizens/verify", json!({"phone": "0977777777", "code": late})).await;
    assert_eq!(error_fields(&problem(expired).await), ["code"], "an expired code");

    // A new code, and the account.
    assert_eq!(register(&app, body.clone()).await.status(), 202);
    let code = code_in(&gateway.wait_for("0987654321", 2).await[1]);
    let verified =
        anonymous_post(&app, "/api/v1/citizens/verify", json!({"phone": "0987654321", "code": code})).await;
    assert_eq!(verified.status(), 201);

    // Registering the same phone again answers the same, and its owner is told instead.
    let again = register(&app, body).await;
    assert_eq!(again.status(), 202);
    assert_eq!(
        again.json::<Value>().await.unwrap(),
        json!({"sent_to": "******4321", "expires_in_secs": 600})
    );
    let texts = gateway.wait_for("0987654321", 3).await;
    assert!(texts[2].contains("da co tai khoan"), "{}", texts[2]);

    // A reset for an unknown phone looks the same and sends nothing.
    let unknown =
        anonymous_post(&app, "/api/v1/citizens/password-reset", json!({"phone": "0911111111"})).await;
    assert_eq!(unknown.status(), 202);
    let token = app.login("0987654321", PASSWORD).await;
    let reset = anonymous_post(&app, "/api/v1/citizens/password-reset", json!({"phone": "0987654321"})).await;
    assert_eq!(reset.status(), 202);
    let code = code_in(&gateway.wait_for("0987654321", 4).await[3]);
    let weak = anonymous_post(
        &app,
        "/api/v1/citizens/password-reset/confirm",
        json!({"phone": "0987654321", "code": code, "password": "short"}),
    )
    .await;
    assert_eq!(error_fields(&problem(weak).await), ["password"]);
    let done = anonymous_post(
        &app,
        "/api/v1/citizens/password-reset/confirm",
        json!({"phone": "0987654321", "code": code, "password": "một-mật-khẩu-mới-dài"}),
    )
    .await;
    assert_eq!(done.status(), 204);
    assert_eq!(app.get_as(&token, "/api/v1/me").await.status(), 401, "the old session ended at once");
    assert_eq!(
        app.token_response(json!({"username": "0987654321", "password": PASSWORD})).await.status(),
        401
    );
    app.login("0987654321", "một-mật-khẩu-mới-dài").await;
    assert!(gateway.to("0911111111").is_empty());

    // Guessing the password under other spellings of the phone is one account to the throttle:
    // with the old password tried above, five more wrong tries make six, then it waits.
    let spellings = ["+84987654321", "0987 654 321", "0987.654.321", "+84 987 654 321", "0987-654-321"];
    for username in spellings {
        let wrong = app.token_response(json!({"username": username, "password": "not-the-password"})).await;
        assert_eq!(wrong.status(), 401, "{username}");
    }
    let held = app.token_response(json!({"username": "0987654321", "password": "not-the-password"})).await;
    assert_eq!(held.status(), 429);

    // Three codes to one phone at once, then it waits: nobody floods a phone with SMS.
    for _ in 0..2 {
        let more =
            anonymous_post(&app, "/api/v1/citizens/password-reset", json!({"phone": "0987654321"})).await;
        assert_eq!(more.status(), 202);
    }
    let flood = anonymous_post(&app, "/api/v1/citizens/password-reset", json!({"phone": "0987654321"})).await;
    assert_eq!(flood.status(), 429);
    assert!(flood.headers()["retry-after"].to_str().unwrap().parse::<u64>().unwrap() > 0);
}

#[tokio::test]
async fn a_gateway_that_is_down_leaves_dead_notifications_for_an_admin_to_retry() {
    let (sms_url, _gateway) = Gateway { down: true, ..Default::default() }.start().await;
    let app = spawn_app_with(with_sms(sms_url)).await;
    let desk = desk(&app).await;
    let dossier: Value = app
        .post_as(
            &desk.officer,
            "/api/v1/dossiers",
            &json!({
                "procedure_id": desk.procedure, "agency_id": desk.commune, "channel": "direct",
                "applicant": {"kind": "citizen", "full_name": "Lê Văn Cúc", "phone": "0901234567"},
            }),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(dossier["status"], "processing", "the desk's write did not wait for the gateway");
    let mut dead = json!([]);
    for _ in 0..200 {
        dead =
            app.get_as(&desk.admin, "/api/v1/notifications?status=dead").await.json::<Value>().await.unwrap()
                ["items"]
                .clone();
        if dead.as_array().unwrap().len() == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let dead = &dead[0];
    assert_eq!((dead["kind"].as_str(), dead["attempts"].as_i64()), (Some("dossier_received"), Some(2)));
    assert_eq!(dead["last_error"], "gateway answered 503 Service Unavailable");
    let id = dead["id"].as_str().unwrap();
    let retried = app.post_as(&desk.admin, &format!("/api/v1/notifications/{id}/retry"), &json!({})).await;
    assert_eq!(retried.status(), 200);
    assert_eq!(retried.json::<Value>().await.unwrap()["state"], "pending");
    assert_eq!(
        app.post_as(&desk.officer, &format!("/api/v1/notifications/{id}/retry"), &json!({})).await.status(),
        403
    );
    let unknown = app.post_as(&desk.admin, "/api/v1/notifications/nope/retry", &json!({})).await;
    assert_eq!(unknown.status(), 404);
}

#[tokio::test]
async fn without_channels_nothing_is_sent_and_the_rows_say_so() {
    let app = spawn_app_with(|s| s.notify_poll_ms = 50).await;
    let desk = desk(&app).await;
    app.post_as(&desk.officer, "/api/v1/dossiers", &json!({
        "procedure_id": desk.procedure, "agency_id": desk.commune, "channel": "direct",
        "applicant": {"kind": "citizen", "full_name": "Lê Văn Cúc", "phone": "0901234567", "email": "cuc@example.vn"},
    }))
    .await;
    let mut states = Vec::new();
    for _ in 0..200 {
        let all: Value = app.get_as(&desk.admin, "/api/v1/notifications").await.json().await.unwrap();
        states = all["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["state"].as_str().unwrap().to_owned())
            .collect();
        if states.len() == 2 && states.iter().all(|s| s == "skipped") {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("states {states:?}");
}

#[tokio::test]
async fn an_applicant_who_says_no_at_the_desk_is_not_told() {
    let app = spawn_app().await;
    let desk = desk(&app).await;
    let dossier: Value = app
        .post_as(&desk.officer, "/api/v1/dossiers", &json!({
            "procedure_id": desk.procedure, "agency_id": desk.commune, "channel": "direct",
            "applicant": {"kind": "citizen", "full_name": "Lê Văn Cúc", "phone": "0901234567", "notify": false},
        }))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(dossier["applicant"]["notify"], false);
    let all: Value = app.get_as(&desk.admin, "/api/v1/notifications").await.json().await.unwrap();
    assert_eq!(all["items"], json!([]));
}

/// By email through a real SMTP server, when the run provides one (`.ci/run` starts aiosmtpd
/// and names its Maildir in `MOTCUA_TEST_MAILDIR`).
#[tokio::test]
async fn a_citizen_registers_by_email_and_hears_by_email() {
    let (Ok(smtp), Ok(maildir)) =
        (std::env::var("MOTCUA_TEST_SMTP_URL"), std::env::var("MOTCUA_TEST_MAILDIR"))
    else {
        eprintln!("MOTCUA_TEST_SMTP_URL and MOTCUA_TEST_MAILDIR unset: the email journey is not run");
        return;
    };
    let app = spawn_app_with(move |s| {
        s.smtp_url = Some(smtp);
        s.mail_from = "Bộ phận một cửa <motcua@xa.example.vn>".into();
        s.notify_poll_ms = 50;
    })
    .await;
    // Each test its own address, so that runs sharing the server do not read each other's mail.
    let address = format!("hoa.{}@example.vn", uuid::Uuid::new_v4().simple());
    let registered = register(
        &app,
        json!({"full_name": "Nguyễn Thị Hoa", "email": address, "password": PASSWORD, "language": "en"}),
    )
    .await;
    assert_eq!(registered.status(), 202);
    let mail = wait_for_mail(&maildir, &address, 1).await;
    assert!(mail[0].contains("Do not share it"), "in English: {}", mail[0]);
    let code = code_in(&mail[0]);
    let verified = anonymous_post(
        &app,
        "/api/v1/citizens/verify",
        json!({"email": address.to_uppercase(), "code": code}),
    )
    .await;
    assert_eq!(verified.status(), 201);
    let citizen = app.login(&address, PASSWORD).await;
    let desk = desk(&app).await;
    let dossier: Value = online(&app, &citizen, &desk).await;
    act(&app, &desk.officer, dossier["id"].as_str().unwrap(), "accept", json!({})).await;
    let mail = wait_for_mail(&maildir, &address, 2).await;
    let received = mail.iter().find(|m| m.contains("received dossier")).expect("the received mail");
    assert!(received.contains(dossier["code"].as_str().unwrap()));
}

/// The messages to `address` in the Maildir, raw, once there are `n`.
async fn wait_for_mail(maildir: &str, address: &str, n: usize) -> Vec<String> {
    let mut found = Vec::new();
    for _ in 0..200 {
        found.clear();
        for sub in ["new", "cur"] {
            let Ok(entries) = std::fs::read_dir(std::path::Path::new(maildir).join(sub)) else { continue };
            for entry in entries.flatten() {
                let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
                if text.contains(address) {
                    found.push(decoded(&text));
                }
            }
        }
        if found.len() >= n {
            return found;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{address} got {} mails, not {n}", found.len());
}

/// A mail's body as text: lettre sends it quoted-printable or base64 when it is not ASCII.
fn decoded(raw: &str) -> String {
    let (head, body) = raw.split_once("\n\n").or_else(|| raw.split_once("\r\n\r\n")).unwrap_or((raw, ""));
    if head.to_ascii_lowercase().contains("content-transfer-encoding: base64") {
        use base64::Engine;
        let compact: String = body.split_whitespace().collect();
        let bytes = base64::engine::general_purpose::STANDARD.decode(compact).unwrap_or_default();
        return format!("{head}\n\n{}", String::from_utf8_lossy(&bytes));
    }
    format!("{head}\n\n{}", body.replace("=\r\n", "").replace("=\n", ""))
}
