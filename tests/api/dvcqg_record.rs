//! The national portal's sync record, completed (issue 23): the applicant's identity number and
//! contacts for a service account an administrator granted `personal_data` (the grant audited,
//! held at once for tokens already issued), how the result is delivered (`HinhThuc`), and the
//! supplement request with the appointments around it (`DanhSachHoSoBoSung`).

use serde_json::{Value, json};

use crate::dvcqg::{act, portal_shape as record, vietnam};
use crate::helpers::{Desk, TestApp, desk, error_fields, problem, spawn_app, submit_dossier};

fn intake_body(desk: &Desk, channel: &str) -> Value {
    json!({
        "procedure_id": desk.procedure, "agency_id": desk.commune, "channel": channel,
        "applicant": {"kind": "citizen", "full_name": "Nguyễn Văn Án", "id_number": "051090001234",
            "phone": "0912345678", "email": "an.nguyen@example.vn"},
        "components": [{"name": "Tờ khai", "digitized": false}],
    })
}

/// The audit events a query finds, newest first.
async fn events(app: &TestApp, admin: &str, query: &str) -> Vec<Value> {
    let page: Value =
        app.get_as(admin, &format!("/api/v1/audit?limit=500&{query}")).await.json().await.unwrap();
    page["items"].as_array().unwrap().clone()
}

/// A service account bound to the commune, with or without the grant: (its id, a token).
async fn adapter(app: &TestApp, desk: &Desk, personal_data: bool) -> (Value, String) {
    let body = json!({"name": "Cổng DVC tỉnh", "agency_ids": [desk.commune], "personal_data": personal_data});
    let response = app.post_as(&desk.admin, "/api/v1/service-accounts", &body).await;
    assert_eq!(response.status(), 201);
    let account: Value = response.json().await.unwrap();
    let tokens: Value = app
        .token_response(json!({"grant_type": "client_credentials", "client_id": account["client_id"], "client_secret": account["client_secret"]}))
        .await
        .json()
        .await
        .unwrap();
    (account, tokens["access_token"].as_str().unwrap().to_owned())
}

fn contacts(record: &Value) -> [&Value; 3] {
    [&record["SoGiayToChuHoSo"], &record["SoDienThoai"], &record["Email"]]
}

#[tokio::test]
async fn a_granted_adapter_reads_the_contacts_and_a_withdrawal_holds_for_its_old_token() {
    let app = spawn_app().await;
    let desk = desk(&app).await;
    let (account, granted) = adapter(&app, &desk, true).await;
    let account_id = account["id"].as_str().unwrap();
    assert_eq!(account["personal_data"], true);
    let (plain_account, plain) = adapter(&app, &desk, false).await;
    assert_eq!(plain_account["personal_data"], false, "none unless granted");
    let dossier = submit_dossier(&app, &desk.officer, &intake_body(&desk, "direct")).await;
    let id = dossier["id"].as_str().unwrap();

    let shown = record(&app, &granted, id).await;
    assert_eq!(
        contacts(&shown),
        [&json!("051090001234"), &json!("0912345678"), &json!("an.nguyen@example.vn")]
    );
    let hidden = record(&app, &plain, id).await;
    assert_eq!(contacts(&hidden), [&Value::Null; 3], "present, and null without the grant");
    assert_eq!(contacts(&record(&app, &desk.officer, id).await), contacts(&shown), "staff see them");
    // The dossier by id too, as staff read it; never in lists, which the trail does not record.
    let by_id: Value = app.get_as(&granted, &format!("/api/v1/dossiers/{id}")).await.json().await.unwrap();
    assert_eq!(by_id["applicant"]["phone"], "0912345678");
    let plain_by_id: Value =
        app.get_as(&plain, &format!("/api/v1/dossiers/{id}")).await.json().await.unwrap();
    assert_eq!(plain_by_id["applicant"]["phone"], Value::Null);
    let listed: Value = app.get_as(&granted, "/api/v1/dossiers").await.json().await.unwrap();
    assert_eq!(listed["items"][0]["id"], id);
    assert_eq!(listed["items"][0]["applicant"]["phone"], Value::Null, "not in a list");

    // Its readings are on the trail, saying they showed personal data, as a staff reading does.
    let reads = events(&app, &desk.admin, &format!("action=dossier_read&subject_id={id}")).await;
    let by = |actor: &Value| reads.iter().filter(|e| e["actor_id"] == *actor).cloned().collect::<Vec<_>>();
    let granted_reads = by(&account["id"]);
    assert_eq!(granted_reads.len(), 2);
    assert_eq!(granted_reads[0]["details"], json!({"view": "dossier", "personal_fields": true}));
    assert_eq!(
        granted_reads[1]["details"],
        json!({"view": "dvcqg", "personal_fields": true, "file_links": 0})
    );
    assert_eq!(by(&plain_account["id"])[1]["details"]["personal_fields"], false);

    // Withdrawn: the token issued before it no longer sees them, at once.
    let path = format!("/api/v1/service-accounts/{account_id}");
    let response = app.patch_as(&desk.admin, &path, &json!({"personal_data": false})).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.json::<Value>().await.unwrap()["personal_data"], false);
    let after = app.get_as(&granted, &format!("/api/v1/integrations/dvcqg/dossiers/{id}")).await;
    assert_eq!(after.status(), 200, "the token still works, without the grant");
    assert_eq!(contacts(&after.json::<Value>().await.unwrap()), [&Value::Null; 3]);
    let view: Value = app.get_as(&desk.admin, &path).await.json().await.unwrap();
    assert_eq!(view["personal_data"], false);
    // Granted again: the same token sees them again.
    assert_eq!(app.patch_as(&desk.admin, &path, &json!({"personal_data": true})).await.status(), 200);
    assert_eq!(record(&app, &granted, id).await["SoDienThoai"], "0912345678");
    // Repeating the state changes nothing on the trail; renaming is not a grant.
    assert_eq!(
        app.patch_as(&desk.admin, &path, &json!({"personal_data": true, "name": "Cổng"})).await.status(),
        200
    );

    let trail =
        events(&app, &desk.admin, &format!("subject_type=service_account&subject_id={account_id}")).await;
    let trail: Vec<Value> = trail.into_iter().filter(|e| e["action"] != "sign_in").collect();
    let actions: Vec<&str> = trail.iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(
        actions,
        [
            "service_account_personal_data_granted",
            "service_account_personal_data_withdrawn",
            "service_account_personal_data_granted",
            "service_account_secret_issued",
        ]
    );
    assert_eq!(trail[0]["details"], json!({"personal_data": true}));
    assert_eq!(trail[1]["details"], json!({"personal_data": false}));
    assert_eq!(trail[1]["actor_name"], "root", "the administrator who withdrew it");
    assert_eq!(trail[1]["agency_id"], desk.commune);

    let bad = problem(app.patch_as(&desk.admin, &path, &json!({"personal_data": "yes"})).await).await;
    assert_eq!(bad["status"], 422);
    assert_eq!(error_fields(&bad), ["personal_data"]);
}

#[tokio::test]
async fn the_result_delivery_is_chosen_at_intake_and_sent_as_hinh_thuc() {
    let app = spawn_app().await;
    let desk = desk(&app).await;
    let plain = submit_dossier(&app, &desk.officer, &intake_body(&desk, "direct")).await;
    assert_eq!(plain["result_delivery"], "desk", "at the desk unless asked otherwise");
    assert_eq!(record(&app, &desk.officer, plain["id"].as_str().unwrap()).await["HinhThuc"], 0);

    let mut body = intake_body(&desk, "postal");
    body["result_delivery"] = json!("post");
    let posted = submit_dossier(&app, &desk.officer, &body).await;
    assert_eq!(posted["result_delivery"], "post");
    let id = posted["id"].as_str().unwrap();
    let read: Value =
        app.get_as(&desk.officer, &format!("/api/v1/dossiers/{id}")).await.json().await.unwrap();
    assert_eq!(read["result_delivery"], "post");
    assert_eq!(record(&app, &desk.officer, id).await["HinhThuc"], 1, "by public postal service");

    // The citizen's own submission, online, with the result sent electronically.
    let mut body = intake_body(&desk, "online");
    body["result_delivery"] = json!("online");
    let online = submit_dossier(&app, &desk.citizen, &body).await;
    assert_eq!(online["result_delivery"], "online");
    assert_eq!(record(&app, &desk.officer, online["id"].as_str().unwrap()).await["HinhThuc"], 0);

    let mut bad = intake_body(&desk, "direct");
    bad["result_delivery"] = json!("pigeon");
    let refused = problem(app.post_as(&desk.officer, "/api/v1/dossiers", &bad).await).await;
    assert_eq!(refused["status"], 422);
    assert_eq!(error_fields(&refused), ["result_delivery"]);
}

#[tokio::test]
async fn the_supplement_request_with_the_appointments_around_it() {
    let app = spawn_app().await;
    let desk = desk(&app).await;
    let portal = desk.portal_token(&app).await;
    let mut body = intake_body(&desk, "online");
    body["submitted_at"] = json!("2024-01-05T01:00:00Z");
    let dossier = submit_dossier(&app, &portal, &body).await;
    let id = dossier["id"].as_str().unwrap();
    let untouched = submit_dossier(&app, &desk.officer, &intake_body(&desk, "direct")).await;
    assert_eq!(
        record(&app, &portal, untouched["id"].as_str().unwrap()).await["DanhSachHoSoBoSung"],
        json!([])
    );

    let accepted = act(&app, &portal, id, "accept", json!({"at": "2024-01-05T02:00:00Z"})).await;
    let reason = "Bổ sung bản chính giấy chứng sinh";
    let body = json!({"reason": reason, "at": "2024-01-08T03:00:00Z"});
    act(&app, &portal, id, "request-supplement", body).await;
    let awaited = record(&app, &portal, id).await;
    assert_eq!(
        awaited["DanhSachHoSoBoSung"],
        json!([{
            "NoiDungBoSung": reason, "NgayBoSung": "20240108100000", "NgayTiepNhanBoSung": null,
            "NgayHenTraTruoc": vietnam(&accepted["appointment_at"]), "NgayHenTraMoi": null,
        }]),
        "the new appointment is null while the supplement is awaited"
    );

    let supplemented = act(&app, &portal, id, "supplement", json!({"at": "2024-01-10T04:00:00Z"})).await;
    assert_ne!(supplemented["appointment_at"], accepted["appointment_at"], "the clock restarted");
    let received = record(&app, &portal, id).await;
    let request = &received["DanhSachHoSoBoSung"][0];
    assert_eq!(request["NgayTiepNhanBoSung"], "20240110110000");
    assert_eq!(request["NgayHenTraTruoc"], vietnam(&accepted["appointment_at"]));
    assert_eq!(request["NgayHenTraMoi"], vietnam(&supplemented["appointment_at"]));
    assert_eq!(received["NgayHenTra"], request["NgayHenTraMoi"]);

    // An apology later moves the appointment, not the one the supplement set.
    let apology = json!({"reason": "Cần xác minh thêm", "new_appointment_at": "2024-02-20T02:00:00Z", "at": "2024-01-11T02:00:00Z"});
    act(&app, &portal, id, "apologize", apology).await;
    let later = record(&app, &portal, id).await;
    assert_eq!(later["NgayHenTra"], "20240220090000");
    assert_eq!(later["DanhSachHoSoBoSung"][0]["NgayHenTraMoi"], request["NgayHenTraMoi"]);
}
