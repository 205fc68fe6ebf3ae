//! Text as clients send it (issue 21, item 6): names and free text are stored in NFC, a control
//! character in a one-line field is a 422 naming the field, and text of several lines keeps its
//! line breaks.

use serde_json::{Value, json};

use crate::helpers::{ADMIN_PASSWORD, Desk, desk, error_fields, problem, spawn_app, submit_dossier};

/// "Nguyễn Thị Hoà" as macOS sends it: letters followed by combining marks.
const NFD_NAME: &str = "Nguye\u{302}\u{303}n Thi\u{323} Hoa\u{300}";
const NFC_NAME: &str = "Nguy\u{1ec5}n Th\u{1ecb} Ho\u{e0}";
/// "Tờ khai", decomposed.
const NFD_FORM: &str = "To\u{31b}\u{300} khai";
const NFC_FORM: &str = "T\u{1edd} khai";

/// ESC, BEL, CR and LF: what a terminal, a log line or a CSV row would act on.
const CONTROLS: [&str; 4] = ["\u{1b}[31m", "\u{7}", "\r", "\n"];

fn intake(desk: &Desk, full_name: &str, component: &str) -> Value {
    json!({
        "procedure_id": desk.procedure, "agency_id": desk.commune, "channel": "direct",
        "applicant": {"kind": "citizen", "full_name": full_name, "address": format!("Thôn 1, {NFD_FORM}")},
        "components": [{"name": component, "digitized": true}],
    })
}

async fn json_of(response: reqwest::Response) -> Value {
    assert!(response.status().is_success(), "{}", response.status());
    response.json().await.unwrap()
}

/// The answer to a body with a bad text: a 422 problem naming `field`.
async fn assert_refused(response: reqwest::Response, field: &str, sent: &Value) {
    assert_eq!(response.status(), 422, "{sent}");
    let p = problem(response).await;
    assert_eq!(p["type"], "urn:motcua:problem:validation", "{p}");
    assert_eq!(error_fields(&p), [field], "{sent}");
}

#[tokio::test]
async fn decomposed_names_are_stored_and_read_back_composed() {
    assert_ne!(NFD_NAME, NFC_NAME);
    let app = spawn_app().await;
    let desk = desk(&app).await;

    let body = json!({"username": "hoa", "password": ADMIN_PASSWORD, "full_name": NFD_NAME,
        "role": "officer", "agency_id": desk.commune});
    let created = json_of(app.post_as(&desk.admin, "/api/v1/users", &body).await).await;
    assert_eq!(created["full_name"], NFC_NAME);
    let id = created["id"].as_str().unwrap();
    let read = json_of(app.get_as(&desk.admin, &format!("/api/v1/users/{id}")).await).await;
    assert_eq!(read["full_name"], NFC_NAME, "stored in NFC, not only answered so");

    let dossier = submit_dossier(&app, &desk.officer, &intake(&desk, NFD_NAME, NFD_FORM)).await;
    let id = dossier["id"].as_str().unwrap();
    let read = json_of(app.get_as(&desk.officer, &format!("/api/v1/dossiers/{id}")).await).await;
    assert_eq!(read["applicant"]["full_name"], NFC_NAME);
    assert_eq!(read["applicant"]["address"], format!("Thôn 1, {NFC_FORM}"));
    assert_eq!(read["components"][0]["name"], NFC_FORM);
    let found = json_of(app.get_as(&desk.officer, &format!("/api/v1/dossiers?q={NFC_NAME}")).await).await;
    assert_eq!(found["items"].as_array().unwrap().len(), 1, "found by the name typed precomposed");

    let agency = json_of(
        app.patch_as(&desk.admin, &format!("/api/v1/agencies/{}", desk.commune), &json!({"name": NFD_NAME}))
            .await,
    )
    .await;
    assert_eq!(agency["name"], NFC_NAME);
}

#[tokio::test]
async fn control_characters_in_a_name_are_refused_naming_the_field() {
    let app = spawn_app().await;
    let desk = desk(&app).await;
    for control in CONTROLS {
        let name = format!("Trần{control}Lan");

        let body = json!({"username": "lan", "password": ADMIN_PASSWORD, "full_name": name,
            "role": "officer", "agency_id": desk.commune});
        let response = app.post_as(&desk.admin, "/api/v1/users", &body).await;
        assert_refused(response, "full_name", &body).await;

        let body = intake(&desk, &name, "Tờ khai");
        let response = app.post_as(&desk.officer, "/api/v1/dossiers", &body).await;
        assert_refused(response, "applicant.full_name", &body).await;

        let body = intake(&desk, "Trần Lan", &name);
        let response = app.post_as(&desk.officer, "/api/v1/dossiers", &body).await;
        assert_refused(response, "components[0].name", &body).await;

        let body = json!({"name": name});
        let response = app.patch_as(&desk.admin, &format!("/api/v1/agencies/{}", desk.commune), &body).await;
        assert_refused(response, "name", &body).await;

        let body = json!({"channel": "direct", "subject": name, "content": "Nội dung", "agency_id": desk.commune,
            "submitter": {"full_name": "Trần Lan"}});
        let response = app.post_as(&desk.officer, "/api/v1/feedback", &body).await;
        assert_refused(response, "subject", &body).await;
    }
    let body = intake(&desk, "Trần\u{1b}Lan", "Tờ khai");
    let english = app
        .client
        .post(app.url("/api/v1/dossiers"))
        .bearer_auth(&desk.officer)
        .header("accept-language", "en")
        .json(&body)
        .send()
        .await
        .unwrap();
    let p = problem(english).await;
    assert_eq!(p["errors"][0]["message"], "must be a single line, without line breaks or control characters");
    let vietnamese = problem(app.post_as(&desk.officer, "/api/v1/dossiers", &body).await).await;
    assert_eq!(
        vietnamese["errors"][0]["message"],
        "Phải nằm trên một dòng, không chứa ký tự xuống dòng hay ký tự điều khiển"
    );
    assert!(!p.to_string().contains("Trần"), "the submitted value is not echoed");
}

#[tokio::test]
async fn text_of_several_lines_keeps_its_line_breaks() {
    let app = spawn_app().await;
    let desk = desk(&app).await;

    let content = "Hồ sơ quá hạn.\nĐề nghị:\r\n\t- trả lời bằng văn bản";
    let body = json!({"channel": "direct", "subject": "Chậm trả kết quả", "content": content,
        "agency_id": desk.commune, "submitter": {"full_name": NFD_NAME}});
    let filed = json_of(app.post_as(&desk.officer, "/api/v1/feedback", &body).await).await;
    let id = filed["id"].as_str().unwrap();
    let read = json_of(app.get_as(&desk.officer, &format!("/api/v1/feedback/{id}")).await).await;
    assert_eq!(read["content"], content);
    assert_eq!(read["submitter"]["full_name"], NFC_NAME);

    let dossier = submit_dossier(&app, &desk.officer, &intake(&desk, "Trần Lan", "Tờ khai")).await;
    let id = dossier["id"].as_str().unwrap();
    let note = format!("Giao xử lý:\n- kiểm tra {NFD_FORM}\n- trình ký");
    let assign = json!({"user_id": desk.officer_id, "note": note});
    json_of(app.post_as(&desk.officer, &format!("/api/v1/dossiers/{id}/assign"), &assign).await).await;
    let history = json_of(app.get_as(&desk.officer, &format!("/api/v1/dossiers/{id}/history")).await).await;
    let last = history["items"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["note"], format!("Giao xử lý:\n- kiểm tra {NFC_FORM}\n- trình ký"));

    for control in ["\u{1b}[2J", "\u{7}", "a\rb"] {
        let body = json!({"user_id": desk.officer_id, "note": format!("Ghi chú {control}")});
        let response = app.post_as(&desk.officer, &format!("/api/v1/dossiers/{id}/assign"), &body).await;
        assert_refused(response, "note", &body).await;
        let body = json!({"channel": "direct", "subject": "Góp ý", "content": format!("Nội dung {control}"),
            "agency_id": desk.commune, "submitter": {"full_name": "Trần Lan"}});
        let response = app.post_as(&desk.officer, "/api/v1/feedback", &body).await;
        assert_refused(response, "content", &body).await;
    }
}
