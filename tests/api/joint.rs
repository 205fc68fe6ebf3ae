//! Joint processing and the leader's approval (issue 23). Approval: on a procedure with
//! `requires_approval` the officer's `resolve` proposes, the leader approves or sends back; both
//! steps in the history, the events and form 05; the report counts the dossier in progress until
//! the approval, and resolved as of it, by the counters and the plain definition alike.
//! Transfer: a dossier goes along a chain of agencies, each sees and works it while it holds it,
//! the result comes back to the desk, and each hop is timed.

use serde_json::{Value, json};

use crate::helpers::{ADMIN_PASSWORD, Desk, TestApp, desk, outbox, problem, spawn_app, submit_dossier};
use crate::reports::assert_methods_agree;

/// The commune's leader, a leader of the province above it, and a procedure whose result the
/// leader approves.
struct Signing {
    desk: Desk,
    leader: String,
    province_leader: String,
    procedure: String,
}

async fn signing(app: &TestApp) -> Signing {
    let desk = desk(app).await;
    app.create_user(&desk.admin, "leader", "leader", Some(&desk.commune)).await;
    app.create_user(&desk.admin, "province-leader", "leader", Some(&desk.province)).await;
    let body = json!({
        "code": "2.000986", "name": "Cấp giấy phép kinh doanh karaoke", "field": "Văn hóa", "level": "commune",
        "online_service": "partial", "processing_time": {"value": 5, "unit": "working_days"}, "fee": 0,
        "requires_approval": true,
    });
    let created = app.post_as(&desk.admin, "/api/v1/procedures", &body).await;
    assert_eq!(created.status(), 201);
    let procedure: Value = created.json().await.unwrap();
    assert_eq!(procedure["requires_approval"], true);
    Signing {
        leader: app.login("leader", ADMIN_PASSWORD).await,
        province_leader: app.login("province-leader", ADMIN_PASSWORD).await,
        procedure: procedure["id"].as_str().unwrap().to_owned(),
        desk,
    }
}

/// A dossier of the procedure received at the desk; its id.
async fn received(app: &TestApp, s: &Signing) -> String {
    let body = json!({
        "procedure_id": s.procedure, "agency_id": s.desk.commune, "channel": "direct",
        "applicant": {"kind": "organization", "full_name": "Công ty TNHH Hát Hay"},
        "components": [{"name": "Đơn đề nghị", "digitized": true}],
    });
    submit_dossier(app, &s.desk.officer, &body).await["id"].as_str().unwrap().to_owned()
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

/// Today in Vietnam, the report's day.
fn today() -> String {
    (chrono::Utc::now() + chrono::Duration::hours(7)).date_naive().to_string()
}

async fn resolution(app: &TestApp, token: &str, agency: &str) -> Value {
    let day = today();
    let path = format!("/api/v1/reports/summary?agency_id={agency}&from={day}&to={day}");
    let response = app.get_as(token, &path).await;
    assert_eq!(response.status(), 200);
    response.json::<Value>().await.unwrap()["resolution"].clone()
}

#[tokio::test]
async fn a_result_the_leader_signs_is_proposed_then_approved() {
    let app = spawn_app().await;
    let s = signing(&app).await;
    let id = received(&app, &s).await;
    let resolve = json!({"outcome": "approved", "result_digitized": true, "note": "Đủ điều kiện"});

    // Only a proposal: approving or sending back before it is a step that does not apply.
    assert_eq!(
        rule_of(act(&app, &s.leader, &id, "approve", json!({})).await).await,
        "approve_requires_awaiting_approval"
    );
    let proposed = act_ok(&app, &s.desk.officer, &id, "resolve", resolve.clone()).await;
    assert_eq!(proposed["status"], "awaiting_approval");
    assert_eq!((&proposed["resolved_at"], &proposed["outcome"]), (&Value::Null, &Value::Null));
    assert_eq!(proposed["proposal"]["outcome"], "approved");
    assert_eq!(proposed["proposal"]["proposed_by"], s.desk.officer_id.as_str());
    assert_eq!(
        rule_of(act(&app, &s.desk.officer, &id, "resolve", resolve).await).await,
        "resolve_processing_only"
    );

    // Waiting in progress: the report does not count a proposal as a result.
    let waiting = resolution(&app, &s.leader, &s.desk.commune).await;
    assert_eq!(
        (waiting["in_progress"].as_i64(), waiting["resolved"].as_i64()),
        (Some(1), Some(0)),
        "{waiting}"
    );

    // It is on the leaders' list, and only the commune's own leader signs.
    let list: Value =
        app.get_as(&s.leader, "/api/v1/dossiers/worklist?kind=awaiting_approval").await.json().await.unwrap();
    let ids: Vec<&str> =
        list["items"].as_array().unwrap().iter().map(|d| d["id"].as_str().unwrap()).collect();
    assert_eq!(ids, [id.as_str()]);
    assert_eq!(act(&app, &s.desk.officer, &id, "approve", json!({})).await.status(), 403);
    assert_eq!(act(&app, &s.province_leader, &id, "approve", json!({})).await.status(), 403);
    assert_eq!(act(&app, &s.desk.citizen, &id, "approve", json!({})).await.status(), 404);
    let portal = s.desk.portal_token(&app).await;
    assert_eq!(
        act(&app, &portal, &id, "approve", json!({})).await.status(),
        403,
        "a signature is a person's"
    );

    let approved = act_ok(&app, &s.leader, &id, "approve", json!({"note": "Đồng ý"})).await;
    assert_eq!(approved["status"], "resolved");
    assert_eq!(approved["outcome"], "approved");
    assert_eq!(approved["result_digitized"], true);
    assert_eq!(approved["resolved_by"], s.desk.officer_id.as_str(), "the proposer answers for digitization");
    assert_eq!(approved["proposal"], Value::Null);
    assert!(approved["resolved_at"].as_str().unwrap() >= proposed["updated_at"].as_str().unwrap());
    assert_eq!(
        rule_of(act(&app, &s.leader, &id, "send-back", json!({"reason": "Muộn"})).await).await,
        "send_back_requires_awaiting_approval"
    );

    let history: Value =
        app.get_as(&s.desk.officer, &format!("/api/v1/dossiers/{id}/history")).await.json().await.unwrap();
    let steps: Vec<(&str, &str)> = history["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| (h["action"].as_str().unwrap(), h["to_status"].as_str().unwrap()))
        .collect();
    assert_eq!(steps, [("intake", "processing"), ("resolve", "awaiting_approval"), ("approve", "resolved")]);
    assert_eq!(
        outbox(&app, &id).await,
        ["dossier.submitted", "dossier.accepted", "dossier.result_proposed", "dossier.approved"]
    );
    let sheet = app.get_as(&s.desk.officer, &format!("/api/v1/dossiers/{id}/forms/control-sheet")).await;
    assert_eq!(sheet.status(), 200);
    let html = sheet.text().await.unwrap();
    assert!(html.contains("Đề xuất kết quả, trình lãnh đạo phê duyệt"), "form 05 shows the proposal");
    assert!(
        html.contains("Lãnh đạo phê duyệt kết quả") && html.contains("Đồng ý"),
        "form 05 shows the approval"
    );

    let done = resolution(&app, &s.leader, &s.desk.commune).await;
    assert_eq!((done["in_progress"].as_i64(), done["resolved"].as_i64()), (Some(0), Some(1)), "{done}");
    let day = today();
    assert_methods_agree(&app, &s.desk.commune, &[(day.as_str(), day.as_str())]).await;
    assert_methods_agree(&app, &s.desk.province, &[(day.as_str(), day.as_str())]).await;
}

#[tokio::test]
async fn the_leader_sends_a_proposal_back_with_the_reason() {
    let app = spawn_app().await;
    let s = signing(&app).await;
    let id = received(&app, &s).await;
    let refused = json!({"outcome": "refused", "result_digitized": false, "note": "Không đủ điều kiện"});
    act_ok(&app, &s.desk.officer, &id, "resolve", refused).await;
    let sent = act(&app, &s.leader, &id, "send-back", json!({"reason": " "})).await;
    assert_eq!(sent.status(), 422, "a send-back gives its reason");
    let back = act_ok(&app, &s.leader, &id, "send-back", json!({"reason": "Xác minh lại khoảng cách"})).await;
    assert_eq!((back["status"].as_str(), &back["proposal"]), (Some("processing"), &Value::Null));
    assert_eq!(resolution(&app, &s.leader, &s.desk.commune).await["in_progress"], 1);

    // Worked again and proposed again; an administrator may approve in the leader's stead.
    let approved = json!({"outcome": "approved", "result_digitized": false});
    act_ok(&app, &s.desk.officer, &id, "resolve", approved).await;
    assert_eq!(act_ok(&app, &s.desk.admin, &id, "approve", json!({})).await["status"], "resolved");
    let history: Value =
        app.get_as(&s.desk.officer, &format!("/api/v1/dossiers/{id}/history")).await.json().await.unwrap();
    let back_step = &history["items"][2];
    assert_eq!(
        (back_step["action"].as_str(), back_step["note"].as_str()),
        (Some("send-back"), Some("Xác minh lại khoảng cách"))
    );
    assert!(outbox(&app, &id).await.contains(&"dossier.sent_back".to_owned()));
    let day = today();
    assert_methods_agree(&app, &s.desk.commune, &[(day.as_str(), day.as_str())]).await;
}

#[tokio::test]
async fn a_procedure_without_approval_resolves_at_once_and_the_flag_is_editable() {
    let app = spawn_app().await;
    let s = signing(&app).await;
    let patched = app
        .patch_as(
            &s.desk.admin,
            &format!("/api/v1/procedures/{}", s.procedure),
            &json!({"requires_approval": false}),
        )
        .await;
    assert_eq!(patched.status(), 200);
    assert_eq!(patched.json::<Value>().await.unwrap()["requires_approval"], false);
    let id = received(&app, &s).await;
    let resolved = act_ok(
        &app,
        &s.desk.officer,
        &id,
        "resolve",
        json!({"outcome": "approved", "result_digitized": true}),
    )
    .await;
    assert_eq!(resolved["status"], "resolved");
    assert_eq!(
        rule_of(act(&app, &s.leader, &id, "approve", json!({})).await).await,
        "approve_requires_awaiting_approval"
    );
}

async fn summary(app: &TestApp, token: &str, agency: &str) -> Value {
    let day = today();
    let path = format!("/api/v1/reports/summary?agency_id={agency}&from={day}&to={day}");
    app.get_as(token, &path).await.json().await.unwrap()
}

#[tokio::test]
async fn a_dossier_travels_the_chain_and_its_result_comes_back_to_the_desk() {
    let app = spawn_app().await;
    let desk = desk(&app).await;
    let labour = app.create_agency(&desk.admin, "P01.C02", "commune", Some(&desk.province)).await;
    let deciding = app.create_agency(&desk.admin, "P01.C03", "commune", Some(&desk.province)).await;
    app.create_user(&desk.admin, "labour", "officer", Some(&labour)).await;
    app.create_user(&desk.admin, "deciding", "officer", Some(&deciding)).await;
    let labour_officer = app.login("labour", ADMIN_PASSWORD).await;
    let deciding_officer = app.login("deciding", ADMIN_PASSWORD).await;
    let body = json!({
        "procedure_id": desk.procedure, "agency_id": desk.commune, "channel": "direct",
        "applicant": {"kind": "citizen", "full_name": "Lê Thị Liên"},
        "components": [{"name": "Tờ khai", "digitized": true}],
    });
    let id = submit_dossier(&app, &desk.officer, &body).await["id"].as_str().unwrap().to_owned();
    let read = |token: String| {
        let (app, path) = (&app, format!("/api/v1/dossiers/{id}"));
        async move { app.get_as(&token, &path).await.status() }
    };
    assert_eq!(read(labour_officer.clone()).await, 404, "not on the chain yet");

    let sent =
        act_ok(&app, &desk.officer, &id, "transfer", json!({"to_agency_id": labour, "note": "Xác minh"}))
            .await;
    assert_eq!(
        (sent["status"].as_str(), sent["holder_agency_id"].as_str()),
        (Some("processing"), Some(labour.as_str()))
    );
    assert_eq!(read(labour_officer.clone()).await, 200);
    assert_eq!(read(deciding_officer.clone()).await, 404);
    let portal: Value = app
        .get_as(&desk.admin, &format!("/api/v1/integrations/dvcqg/dossiers/{id}"))
        .await
        .json()
        .await
        .unwrap();
    let handling: Value =
        app.get_as(&desk.admin, &format!("/api/v1/agencies/{labour}")).await.json().await.unwrap();
    assert_eq!(portal["DonViXuLy"], handling["name"], "the portal is told who handles it now");
    let again = act(&app, &labour_officer, &id, "transfer", json!({"to_agency_id": labour})).await;
    assert_eq!(again.status(), 422, "not to the holder itself");
    let resolve = json!({"outcome": "approved", "result_digitized": true});
    assert_eq!(
        rule_of(act(&app, &desk.officer, &id, "resolve", resolve.clone()).await).await,
        "held_by_another_agency"
    );
    let held: Value =
        app.get_as(&labour_officer, "/api/v1/dossiers/worklist?kind=held").await.json().await.unwrap();
    assert_eq!(held["items"][0]["id"], id.as_str(), "on the receiving agency's list");

    act_ok(&app, &labour_officer, &id, "transfer", json!({"to_agency_id": deciding})).await;
    assert_eq!(read(deciding_officer.clone()).await, 200);
    let resolved = act_ok(&app, &deciding_officer, &id, "resolve", resolve).await;
    assert_eq!(resolved["status"], "resolved");
    assert_eq!(resolved["resolved_by_agency_id"], deciding.as_str(), "it answers for the result");
    assert_eq!(resolved["holder_agency_id"], Value::Null, "back at the desk");
    assert_eq!(
        rule_of(act(&app, &labour_officer, &id, "return", json!({})).await).await,
        "held_by_another_agency"
    );
    assert_eq!(act_ok(&app, &desk.officer, &id, "return", json!({})).await["status"], "returned");

    let chain: Value =
        app.get_as(&labour_officer, &format!("/api/v1/dossiers/{id}/hops")).await.json().await.unwrap();
    let hops = chain["items"].as_array().unwrap();
    assert_eq!(hops.len(), 2);
    assert_eq!(
        (hops[0]["from_agency_id"].as_str(), hops[0]["to_agency_id"].as_str()),
        (Some(desk.commune.as_str()), Some(labour.as_str()))
    );
    assert_eq!(
        (hops[1]["from_agency_id"].as_str(), hops[1]["to_agency_id"].as_str()),
        (Some(labour.as_str()), Some(deciding.as_str()))
    );
    assert_eq!(hops[0]["note"], "Xác minh");
    assert!(
        hops.iter().all(|h| h["returned_at"] == resolved["resolved_at"]),
        "the chain closed with the result"
    );
    assert!(hops.iter().all(|h| h["held_working_minutes"].as_i64().unwrap() >= 0));
    // Who held it when, the desk included before the first transfer and after the result.
    let holders: Vec<(&str, bool)> = chain["periods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["agency_id"].as_str().unwrap(), p["desk"].as_bool().unwrap()))
        .collect();
    assert_eq!(
        holders,
        [
            (desk.commune.as_str(), true),
            (labour.as_str(), false),
            (deciding.as_str(), false),
            (desk.commune.as_str(), true)
        ]
    );
    let periods = chain["periods"].as_array().unwrap();
    assert_eq!(periods[0]["from"], resolved["submitted_at"], "from the submission");
    assert_eq!(periods[3]["from"], resolved["resolved_at"], "back at the desk with the result");
    assert!(periods.windows(2).all(|p| p[0]["until"] == p[1]["from"]), "no gap, no overlap");
    let minutes = |items: &Value| {
        items.as_array().unwrap().iter().map(|p| p["working_minutes"].as_i64().unwrap()).sum::<i64>()
    };
    assert_eq!(
        minutes(&chain["by_agency"]),
        minutes(&chain["periods"]),
        "the agencies' times sum to the whole"
    );
    let agencies: Vec<&str> =
        chain["by_agency"].as_array().unwrap().iter().map(|a| a["agency_id"].as_str().unwrap()).collect();
    assert_eq!(agencies, [desk.commune.as_str(), labour.as_str(), deciding.as_str()]);

    let history: Value =
        app.get_as(&desk.officer, &format!("/api/v1/dossiers/{id}/history")).await.json().await.unwrap();
    let actions: Vec<&str> =
        history["items"].as_array().unwrap().iter().map(|h| h["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["intake", "transfer", "transfer", "resolve", "return"]);
    let sheet = app.get_as(&desk.officer, &format!("/api/v1/dossiers/{id}/forms/control-sheet")).await;
    let html = sheet.text().await.unwrap();
    assert!(html.contains("Đơn vị P01.C02; Đơn vị P01.C03"), "form 05 names the agencies on the chain");
    assert!(html.contains("Chuyển hồ sơ liên thông"));
    let events = outbox(&app, &id).await;
    assert_eq!(events.iter().filter(|e| *e == "dossier.transferred").count(), 2);

    // The reception agency counts it received and resolved; the others received nothing.
    let at_desk = summary(&app, &desk.admin, &desk.commune).await;
    assert_eq!(
        (at_desk["reception"]["total"].as_i64(), at_desk["resolution"]["resolved"].as_i64()),
        (Some(1), Some(1))
    );
    assert_eq!(summary(&app, &desk.admin, &labour).await["reception"]["total"], 0);
    let day = today();
    for agency in [&desk.commune, &labour, &deciding, &desk.province] {
        assert_methods_agree(&app, agency, &[(day.as_str(), day.as_str())]).await;
    }
}

/// The ids on the first page of `GET /dossiers{query}` for the token.
async fn listed(app: &TestApp, token: &str, query: &str) -> Vec<String> {
    let page: Value = app.get_as(token, &format!("/api/v1/dossiers{query}")).await.json().await.unwrap();
    page["items"].as_array().unwrap().iter().map(|d| d["id"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn the_plain_list_shows_the_dossiers_sent_from_elsewhere() {
    let app = spawn_app().await;
    let desk = desk(&app).await;
    // The agency it is sent to is in another subtree: only the chain makes it visible there.
    let other = app.create_agency(&desk.admin, "P02", "province", None).await;
    let labour = app.create_agency(&desk.admin, "P02.C01", "commune", Some(&other)).await;
    app.create_user(&desk.admin, "labour", "officer", Some(&labour)).await;
    app.create_user(&desk.admin, "chief", "leader", Some(&other)).await;
    let labour_officer = app.login("labour", ADMIN_PASSWORD).await;
    let chief = app.login("chief", ADMIN_PASSWORD).await;
    let body = json!({
        "procedure_id": desk.procedure, "agency_id": desk.commune, "channel": "direct",
        "applicant": {"kind": "citizen", "full_name": "Lê Thị Liên"},
        "components": [{"name": "Tờ khai", "digitized": true}],
    });
    let sent = submit_dossier(&app, &desk.officer, &body).await["id"].as_str().unwrap().to_owned();
    let kept = submit_dossier(&app, &desk.officer, &body).await["id"].as_str().unwrap().to_owned();
    let mut at_labour = body.clone();
    at_labour["agency_id"] = json!(labour);
    let own = submit_dossier(&app, &labour_officer, &at_labour).await["id"].as_str().unwrap().to_owned();
    assert_eq!(listed(&app, &labour_officer, "").await, [own.as_str()]);
    act_ok(&app, &desk.officer, &sent, "transfer", json!({"to_agency_id": labour})).await;

    // One agency (two pages merged) and a subtree of two (one query): the same rule as by id.
    for token in [&labour_officer, &chief] {
        assert_eq!(listed(&app, token, "").await, [own.clone(), sent.clone()]);
        assert_eq!(listed(&app, token, "?status=processing").await, [own.clone(), sent.clone()]);
        assert!(listed(&app, token, "?status=resolved").await.is_empty(), "filters keep their meaning");
        let received_by = format!("?agency_id={}", desk.commune);
        assert_eq!(
            listed(&app, token, &received_by).await,
            [sent.as_str()],
            "agency_id: the reception agency"
        );
        assert_eq!(listed(&app, token, &format!("?agency_id={labour}")).await, [own.as_str()]);
        // Pages follow one another across both sources.
        let first: Value = app.get_as(token, "/api/v1/dossiers?limit=1").await.json().await.unwrap();
        assert_eq!(first["items"][0]["id"], own.as_str());
        let cursor = first["next_cursor"].as_str().unwrap();
        let next = listed(&app, token, &format!("?limit=1&cursor={cursor}")).await;
        assert_eq!(next, [sent.as_str()]);
    }
    assert_eq!(
        listed(&app, &desk.officer, "").await,
        [kept.clone(), sent.clone()],
        "the desk still lists it"
    );
}
