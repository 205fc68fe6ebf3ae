//! The procedure catalogue: validation, Vietnamese search, deactivation, posting compliance,
//! all-or-nothing import.

use serde_json::{Value, json};

use crate::helpers::{TestApp, error_fields, problem, spawn_app};

fn procedure(code: &str, name: &str, field: &str, online: &str) -> Value {
    json!({
        "code": code, "name": name, "field": field, "level": "commune", "online_service": online,
        "processing_time": {"value": 3, "unit": "working_days"}, "fee": 0,
        "components": [{"name": "Tờ khai", "required": true}],
    })
}

async fn create(app: &TestApp, token: &str, body: &Value) -> Value {
    let response = app.post_as(token, "/api/v1/procedures", body).await;
    assert_eq!(response.status(), 201, "{body}");
    response.json().await.unwrap()
}

async fn codes(app: &TestApp, token: &str, query: &str) -> Vec<String> {
    let page: Value = app.get_as(token, &format!("/api/v1/procedures?{query}")).await.json().await.unwrap();
    page["items"].as_array().unwrap().iter().map(|p| p["code"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn procedures_are_validated_field_by_field() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let created =
        create(&app, &admin, &procedure("1.001193", "Thủ tục đăng ký khai sinh", "Hộ tịch", "full")).await;
    assert_eq!(created["processing_time"], json!({"value": 3, "unit": "working_days"}));
    assert_eq!(created["components"][0]["name"], "Tờ khai");

    let with = |patch: Value| {
        let mut body = procedure("2.000001", "Tên", "Lĩnh vực", "none");
        for (k, v) in patch.as_object().unwrap() {
            body[k] = v.clone();
        }
        body
    };
    for (body, status, field) in [
        (with(json!({"fee": -1})), 422, "fee"),
        (
            with(json!({"processing_time": {"value": -2, "unit": "working_days"}})),
            422,
            "processing_time.value",
        ),
        (
            with(json!({"processing_time": {"value": 2, "unit": "calendar_days"}})),
            422,
            "processing_time.unit",
        ),
        (with(json!({"online_service": "sometimes"})), 422, "online_service"),
        (with(json!({"name": "  "})), 422, "name"),
        (with(json!({"components": [{"name": "", "required": true}]})), 422, "components[0].name"),
        (with(json!({"code": "1.001193"})), 409, "code"),
    ] {
        let response = app.post_as(&admin, "/api/v1/procedures", &body).await;
        assert_eq!(response.status(), status, "{body}");
        assert_eq!(error_fields(&problem(response).await), [field], "{body}");
    }
}

#[tokio::test]
async fn search_ignores_accents_and_case() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    create(&app, &admin, &procedure("1.001193", "Thủ tục đăng ký khai sinh", "Hộ tịch", "full")).await;
    create(&app, &admin, &procedure("1.000894", "Thủ tục đăng ký kết hôn", "Hộ tịch", "partial")).await;
    create(&app, &admin, &procedure("2.000815", "Chứng thực bản sao từ bản chính", "Chứng thực", "partial"))
        .await;

    assert_eq!(codes(&app, &admin, "q=ho%20tich").await, ["1.000894", "1.001193"]);
    assert_eq!(codes(&app, &admin, "q=H%E1%BB%98%20T%E1%BB%8ACH").await, ["1.000894", "1.001193"], "HỘ TỊCH");
    assert_eq!(
        codes(&app, &admin, "q=dang%20ky%20khai").await,
        ["1.001193"],
        "đ folds to d, words are prefixes"
    );
    assert_eq!(codes(&app, &admin, "q=chung%20thuc").await, ["2.000815"]);
    assert_eq!(codes(&app, &admin, "q=1.001193").await, ["1.001193"]);
    assert!(codes(&app, &admin, "q=ho%20tich%20ban%20sao").await.is_empty());
    assert_eq!(codes(&app, &admin, "field=HO%20TICH").await, ["1.000894", "1.001193"]);
    assert_eq!(codes(&app, &admin, "online_service=partial").await, ["1.000894", "2.000815"]);
    assert_eq!(codes(&app, &admin, "q=ho%20tich&online_service=full").await, ["1.001193"]);
    assert_eq!(codes(&app, &admin, "limit=2").await, ["1.000894", "1.001193"]);
    let bad = app.get_as(&admin, "/api/v1/procedures?level=village").await;
    assert_eq!(bad.status(), 400);
    assert_eq!(error_fields(&problem(bad).await), ["level"]);
}

#[tokio::test]
async fn deactivated_procedures_leave_the_list_but_stay_readable() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let created =
        create(&app, &admin, &procedure("1.001193", "Thủ tục đăng ký khai sinh", "Hộ tịch", "full")).await;
    let path = format!("/api/v1/procedures/{}", created["id"].as_str().unwrap());
    let off = app.patch_as(&admin, &path, &json!({"active": false})).await;
    assert_eq!(off.status(), 200);
    assert!(codes(&app, &admin, "").await.is_empty());
    assert_eq!(codes(&app, &admin, "include_inactive=true").await, ["1.001193"]);
    let read: Value = app.get_as(&admin, &path).await.json().await.unwrap();
    assert_eq!(read["active"], false);
    assert_eq!(
        app.send(reqwest::Method::DELETE, &path, Some(&admin), None).await.status(),
        405,
        "never deleted"
    );
}

#[tokio::test]
async fn posting_compliance_counts_five_working_days_after_signing() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let mut on_time = procedure("1.000001", "Đúng hạn", "Hộ tịch", "full");
    on_time["publication"] =
        json!({"decision_number": "1/QĐ-UBND", "signed_on": "2024-01-03", "posted_on": "2024-01-10"});
    let on_time = create(&app, &admin, &on_time).await;
    assert_eq!(on_time["publication"]["posting_deadline"], "2024-01-10");
    assert_eq!(on_time["publication"]["posted_in_time"], true);

    // Signed the Friday before Tết 2025: the seeded national days push the deadline to 7 February.
    let mut before_tet = procedure("1.000002", "Trước Tết", "Hộ tịch", "full");
    before_tet["publication"] =
        json!({"decision_number": "2/QĐ-UBND", "signed_on": "2025-01-24", "posted_on": "2025-02-10"});
    let before_tet = create(&app, &admin, &before_tet).await;
    assert_eq!(before_tet["publication"]["posting_deadline"], "2025-02-07");
    assert_eq!(before_tet["publication"]["posted_in_time"], false);

    let mut never_posted = procedure("1.000003", "Chưa niêm yết", "Hộ tịch", "full");
    never_posted["publication"] = json!({"decision_number": "3/QĐ-UBND", "signed_on": "2024-03-01"});
    assert_eq!(create(&app, &admin, &never_posted).await["publication"]["posted_in_time"], false);
}

const HEADER: &str = "code,name,field,level,online_service,processing_value,processing_unit,fee,required_components,optional_components,decision_number,signed_on,posted_on";

/// Send a form to the import, as a browser or a generated client does.
async fn send_form(app: &TestApp, token: &str, form: reqwest::multipart::Form) -> reqwest::Response {
    let request = app.client.post(app.url("/api/v1/procedures/import")).bearer_auth(token);
    request.header("accept-language", "en").multipart(form).send().await.unwrap()
}

/// Import a file named `name` with the declared type `content_type` (which the server ignores).
async fn import(
    app: &TestApp,
    token: &str,
    name: &str,
    content_type: &str,
    body: Vec<u8>,
) -> reqwest::Response {
    let part =
        reqwest::multipart::Part::bytes(body).file_name(name.to_owned()).mime_str(content_type).unwrap();
    send_form(app, token, reqwest::multipart::Form::new().part("file", part)).await
}

#[tokio::test]
async fn csv_import_is_all_or_nothing() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let good = format!(
        "{HEADER}\n1.001193,Thủ tục đăng ký khai sinh,Hộ tịch,commune,full,8,working_hours,0,Tờ khai | Giấy chứng sinh,,,,\n2.000815,Chứng thực bản sao,Chứng thực,commune,partial,1,working_days,2000,Bản chính | Bản sao,,1234/QĐ-UBND,03/01/2024,2024-01-08\n"
    );
    let bad = format!(
        "{good}1.000894,Thủ tục đăng ký kết hôn,Hộ tịch,commune,full,8,working_hours,-5,,,,,\n,Không mã,Hộ tịch,commune,full,1,working_days,0,,,,,\n"
    );
    let refused = import(&app, &admin, "bad.csv", "text/csv", bad.into_bytes()).await;
    assert_eq!(refused.status(), 422);
    assert_eq!(error_fields(&problem(refused).await), ["rows[4].fee", "rows[5].code"]);
    assert!(codes(&app, &admin, "").await.is_empty(), "nothing half-imported");

    let first: Value = import(&app, &admin, "good.csv", "text/csv; charset=utf-8", good.clone().into_bytes())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(first, json!({"created": 2, "updated": 0}));
    let again: Value = import(&app, &admin, "good.csv", "application/vnd.ms-excel", good.into_bytes())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(again, json!({"created": 0, "updated": 2}));
    assert_eq!(codes(&app, &admin, "q=chung%20thuc").await, ["2.000815"]);

    let raw = app.client.post(app.url("/api/v1/procedures/import")).bearer_auth(&admin);
    let not_a_form = raw.header("content-type", "text/csv").body(HEADER).send().await.unwrap();
    assert_eq!(not_a_form.status(), 415);
    assert!(problem(not_a_form).await["detail"].as_str().unwrap().contains("multipart/form-data"));
}

#[tokio::test]
async fn the_form_needs_one_file_part_holding_a_spreadsheet() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let empty = send_form(&app, &admin, reqwest::multipart::Form::new().text("agency_id", "x")).await;
    assert_eq!(empty.status(), 422);
    assert_eq!(error_fields(&problem(empty).await), ["agency_id"]);
    let no_file = send_form(&app, &admin, reqwest::multipart::Form::new()).await;
    assert_eq!(no_file.status(), 422);
    assert_eq!(error_fields(&problem(no_file).await), ["file"]);

    // A DOCX is a ZIP archive like an XLSX, and no text: it is named for what it is not.
    let mut docx = Vec::new();
    docx_rs::Docx::new().build().pack(std::io::Cursor::new(&mut docx)).unwrap();
    let refused = import(&app, &admin, "report.docx", "text/csv", docx).await;
    assert_eq!(refused.status(), 422);
    let refused = problem(refused).await;
    assert_eq!(error_fields(&refused), ["file"]);
    let message = refused["errors"][0]["message"].as_str().unwrap();
    assert!(message.starts_with("not a CSV or XLSX file"), "{message}");
    assert!(codes(&app, &admin, "").await.is_empty());
}

#[tokio::test]
async fn xlsx_import_reads_the_first_sheet() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (col, name) in HEADER.split(',').enumerate() {
        sheet.write_string(0, col as u16, name).unwrap();
    }
    let row = ["1.004873", "Thủ tục cấp Giấy xác nhận tình trạng hôn nhân", "Hộ tịch", "commune", "full"];
    for (col, value) in row.iter().enumerate() {
        sheet.write_string(1, col as u16, *value).unwrap();
    }
    sheet.write_number(1, 5, 3).unwrap();
    sheet.write_string(1, 6, "working_days").unwrap();
    sheet.write_number(1, 7, 15000).unwrap();
    sheet.write_string(1, 8, "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân").unwrap();
    let date = rust_xlsxwriter::ExcelDateTime::from_ymd(2024, 1, 3).unwrap();
    sheet
        .write_datetime_with_format(
            1,
            11,
            &date,
            &rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy"),
        )
        .unwrap();
    let bytes = workbook.save_to_buffer().unwrap();
    let response = import(&app, &admin, "catalogue.xlsx", "application/octet-stream", bytes).await;
    assert_eq!(response.status(), 200);
    let page: Value =
        app.get_as(&admin, "/api/v1/procedures?q=tinh%20trang%20hon%20nhan").await.json().await.unwrap();
    let item = &page["items"][0];
    assert_eq!(item["code"], "1.004873");
    assert_eq!(item["fee"], 15000);
    assert_eq!(item["publication"]["signed_on"], "2024-01-03");

    let broken =
        import(&app, &admin, "broken.xlsx", "application/octet-stream", b"PK\x03\x04 not really".to_vec())
            .await;
    assert_eq!(broken.status(), 422);
    assert_eq!(error_fields(&problem(broken).await), ["header"]);
}

#[tokio::test]
async fn the_starter_catalogue_imports_cleanly() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let response =
        import(&app, &admin, "starter.csv", "text/csv", motcua::catalogue::service::STARTER_CSV.to_vec())
            .await;
    assert_eq!(response.status(), 200);
    let report: Value = response.json().await.unwrap();
    assert!(report["created"].as_u64().unwrap() >= 20, "{report}");
    assert_eq!(codes(&app, &admin, "q=khai%20sinh&limit=1").await.len(), 1);
}
