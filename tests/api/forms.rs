//! The desk's printable forms (Circular 01/2018/TT-VPCP): forms 01–05 of a dossier and the
//! register (06), as HTML and DOCX, each only when it applies, escaped whatever the applicant
//! typed; and the CSV exports' byte-order mark and Vietnamese headers.

use std::io::Read;

use serde_json::{Value, json};

use crate::helpers::{Desk, TestApp, desk, problem, spawn_app, spawn_app_with, submit_dossier};

/// An applicant whose name would run as script if printed unescaped.
const EVIL_NAME: &str = "Lê <script>alert(1)</script> Bình";

fn intake(desk: &Desk, channel: &str) -> Value {
    json!({
        "procedure_id": desk.procedure, "agency_id": desk.commune, "channel": channel,
        "applicant": {"kind": "citizen", "full_name": EVIL_NAME, "id_number": "051090001234", "phone": "0912 345 678", "address": "Thôn 3, xã Tỉnh Châu"},
        "components": [{"name": "Tờ khai", "digitized": true}, {"name": "Giấy chứng sinh", "digitized": false}],
    })
}

async fn act(app: &TestApp, token: &str, id: &str, action: &str, body: Value) {
    let response = app.post_as(token, &format!("/api/v1/dossiers/{id}/{action}"), &body).await;
    assert_eq!(response.status(), 200, "{action}: {}", response.text().await.unwrap());
}

/// The form as HTML: 200, text/html, and the applicant's name escaped.
async fn html(app: &TestApp, token: &str, id: &str, form: &str) -> String {
    let response = app.get_as(token, &format!("/api/v1/dossiers/{id}/forms/{form}")).await;
    assert_eq!(response.status(), 200, "{form}");
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    let text = response.text().await.unwrap();
    assert!(!text.contains("<script>"), "{form} printed the name unescaped: {text}");
    assert!(text.contains("&#60;script&#62;alert(1)"), "{form}: {text}");
    assert!(
        text.contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") && text.contains("Độc lập - Tự do - Hạnh phúc")
    );
    text
}

/// The text of a DOCX's `word/document.xml`, checking the file is a zip a word processor opens.
pub fn document_xml(bytes: &[u8]) -> String {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a DOCX is a zip");
    let mut xml = String::new();
    archive.by_name("word/document.xml").expect("word/document.xml").read_to_string(&mut xml).unwrap();
    xml
}

/// The form as DOCX: 200, the DOCX type, an attachment, and its document's XML.
async fn docx(app: &TestApp, token: &str, id: &str, form: &str) -> String {
    let response = app.get_as(token, &format!("/api/v1/dossiers/{id}/forms/{form}?format=docx")).await;
    assert_eq!(response.status(), 200, "{form}");
    assert_eq!(
        response.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    );
    assert!(response.headers()["content-disposition"].to_str().unwrap().starts_with("attachment"));
    let xml = document_xml(&response.bytes().await.unwrap());
    assert!(!xml.contains("<script>"), "{form}");
    xml
}

async fn rule(app: &TestApp, token: &str, id: &str, form: &str) -> String {
    let response = app.get_as(token, &format!("/api/v1/dossiers/{id}/forms/{form}")).await;
    assert_eq!(response.status(), 409, "{form}");
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("application/problem+json"));
    problem(response).await["rule"].as_str().unwrap_or_default().to_owned()
}

/// Behind the desk's own address, the QR code still sends citizens to the public one.
#[tokio::test]
async fn the_receipt_links_to_the_configured_public_address() {
    let app =
        spawn_app_with(|s| s.public_url = Some("https://motcua.tinhchau.gov.vn/".parse().unwrap())).await;
    let desk = desk(&app).await;
    let dossier = submit_dossier(&app, &desk.officer, &intake(&desk, "direct")).await;
    let (id, code) = (dossier["id"].as_str().unwrap(), dossier["code"].as_str().unwrap());
    let receipt = html(&app, &desk.officer, id, "receipt").await;
    let link = format!("https://motcua.tinhchau.gov.vn/api/v1/public/dossiers/{code}?check=5678");
    assert!(receipt.contains(&link), "{link}: {receipt}");
}

#[tokio::test]
async fn each_form_of_an_accepted_dossier_once_it_applies_in_html_and_docx() {
    let app = spawn_app().await;
    let desk = desk(&app).await;
    let dossier = submit_dossier(&app, &desk.officer, &intake(&desk, "direct")).await;
    let (id, code) = (dossier["id"].as_str().unwrap(), dossier["code"].as_str().unwrap());

    // Form 01: the appointment, the components, both signatures and the QR code to the lookup.
    let receipt = html(&app, &desk.officer, id, "receipt").await;
    for expected in [
        "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
        code,
        "Tờ khai (đã số hóa)",
        "NGƯỜI NỘP HỒ SƠ",
        "NGƯỜI TIẾP NHẬN HỒ SƠ",
        "<svg",
        "Số: ……/……",
        "ngày …… tháng …… năm ……",
        "0912345678",
    ] {
        assert!(receipt.contains(expected), "{expected}: {receipt}");
    }
    assert!(
        receipt.contains(&format!("/api/v1/public/dossiers/{code}?check=5678")),
        "the QR code's link: {receipt}"
    );
    // The receipt's own URL prints the same form.
    let slip =
        app.get_as(&desk.officer, &format!("/api/v1/dossiers/{id}/receipt")).await.text().await.unwrap();
    assert!(slip.contains("NGƯỜI TIẾP NHẬN HỒ SƠ") && slip.contains("<svg"));
    let xml = docx(&app, &desk.officer, id, "receipt").await;
    assert!(xml.contains("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ") && xml.contains(code));
    assert!(xml.contains("&lt;script&gt;") && xml.contains("<pic:pic"), "the name escaped and the QR image");

    // Nothing requested, refused or apologized for yet.
    assert_eq!(rule(&app, &desk.officer, id, "supplement-request").await, "supplement_form_after_request");
    assert_eq!(rule(&app, &desk.officer, id, "refusal").await, "refusal_form_after_rejection");
    assert_eq!(rule(&app, &desk.officer, id, "apology").await, "apology_form_after_apology");

    // Form 02 lists what is missing, a line each.
    act(
        &app,
        &desk.officer,
        id,
        "request-supplement",
        json!({"reason": "Thiếu giấy chứng sinh bản chính\nThiếu tờ khai có chữ ký"}),
    )
    .await;
    let request = html(&app, &desk.officer, id, "supplement-request").await;
    assert!(
        request.contains("1. Thiếu giấy chứng sinh bản chính")
            && request.contains("2. Thiếu tờ khai có chữ ký"),
        "{request}"
    );
    assert!(docx(&app, &desk.officer, id, "supplement-request").await.contains("2. Thiếu tờ khai có chữ ký"));
    act(&app, &desk.officer, id, "supplement", json!({})).await;

    // Form 04: the reason and the new appointment, in Vietnam time.
    act(
        &app,
        &desk.officer,
        id,
        "apologize",
        json!({"reason": "Cần xác minh thêm", "new_appointment_at": "2099-01-05T09:00:00Z"}),
    )
    .await;
    let apology = html(&app, &desk.officer, id, "apology").await;
    for expected in [
        "Phiếu xin lỗi và hẹn lại ngày trả kết quả",
        "1. Cần xác minh thêm",
        "16 giờ 00 phút, ngày 05/01/2099",
        "THỦ TRƯỞNG CƠ QUAN",
    ] {
        assert!(apology.contains(expected), "{expected}: {apology}");
    }
    assert!(docx(&app, &desk.officer, id, "apology").await.contains("16 giờ 00 phút, ngày 05/01/2099"));

    // Form 05: a line per step, with who took it.
    let control = html(&app, &desk.officer, id, "control-sheet").await;
    for expected in [
        "Phiếu kiểm soát quá trình giải quyết hồ sơ",
        "Nộp hồ sơ",
        "Yêu cầu bổ sung hồ sơ",
        "Bổ sung hồ sơ",
        "Xin lỗi và hẹn lại ngày trả kết quả",
        "Ký nhận",
    ] {
        assert!(control.contains(expected), "{expected}: {control}");
    }
    assert_eq!(control.matches("<tr>").count(), 1 + 4 + 1, "head, four steps, the masthead: {control}");
    assert!(docx(&app, &desk.officer, id, "control-sheet").await.contains("Bổ sung hồ sơ"));

    // An unknown form or format.
    assert_eq!(
        app.get_as(&desk.officer, &format!("/api/v1/dossiers/{id}/forms/form-99")).await.status(),
        404
    );
    let pdf = app.get_as(&desk.officer, &format!("/api/v1/dossiers/{id}/forms/receipt?format=pdf")).await;
    assert_eq!(pdf.status(), 400);
}

#[tokio::test]
async fn the_refusal_of_an_online_dossier_and_who_may_print_it() {
    let app = spawn_app().await;
    let desk = desk(&app).await;
    let mut body = intake(&desk, "online");
    body["applicant"]["full_name"] = json!("Trần Thị <b>Cúc</b>");
    let dossier = submit_dossier(&app, &desk.citizen, &body).await;
    let id = dossier["id"].as_str().unwrap();
    assert_eq!(rule(&app, &desk.citizen, id, "receipt").await, "receipt_after_acceptance");
    assert_eq!(rule(&app, &desk.officer, id, "control-sheet").await, "control_sheet_after_acceptance");
    assert_eq!(rule(&app, &desk.officer, id, "refusal").await, "refusal_form_after_rejection");

    act(&app, &desk.officer, id, "reject", json!({"reason": "Thủ tục không thuộc thẩm quyền của xã"})).await;
    for token in [&desk.officer, &desk.citizen] {
        let response = app.get_as(token, &format!("/api/v1/dossiers/{id}/forms/refusal")).await;
        assert_eq!(response.status(), 200);
        let text = response.text().await.unwrap();
        assert!(
            text.contains("Phiếu từ chối tiếp nhận giải quyết hồ sơ")
                && text.contains("1. Thủ tục không thuộc thẩm quyền của xã")
        );
        assert!(text.contains("Trần Thị &#60;b&#62;Cúc&#60;/b&#62;") && !text.contains("<b>Cúc"), "{text}");
    }
    let xml = docx(&app, &desk.citizen, id, "refusal").await;
    assert!(xml.contains("Thủ tục không thuộc thẩm quyền của xã") && xml.contains("&lt;b&gt;Cúc"));

    // Whoever may not read the dossier gets the 404 of a missing one.
    let other = app.create_agency(&desk.admin, "P02", "province", None).await;
    app.create_user(&desk.admin, "stranger", "officer", Some(&other)).await;
    let stranger = app.login("stranger", crate::helpers::ADMIN_PASSWORD).await;
    assert_eq!(app.get_as(&stranger, &format!("/api/v1/dossiers/{id}/forms/refusal")).await.status(), 404);
    assert_eq!(app.get(&format!("/api/v1/dossiers/{id}/forms/refusal")).await.status(), 401);
}

#[tokio::test]
async fn the_register_lists_the_periods_dossiers_for_those_who_read_the_reports() {
    let app = spawn_app().await;
    let desk = desk(&app).await;
    let first = submit_dossier(&app, &desk.officer, &intake(&desk, "direct")).await;
    let second = submit_dossier(&app, &desk.citizen, &intake(&desk, "online")).await;
    let today = chrono::Utc::now().with_timezone(&motcua::clock::vietnam()).date_naive();
    let register = |from: &str, to: &str, format: &str| {
        format!("/api/v1/reports/register?agency_id={}&from={from}&to={to}&format={format}", desk.province)
    };
    let (today, yesterday) = (today.to_string(), (today - chrono::Days::new(1)).to_string());

    let response = app.get_as(&desk.admin, &register(&today, &today, "html")).await;
    assert_eq!(response.status(), 200);
    let html = response.text().await.unwrap();
    for expected in [
        "Sổ theo dõi hồ sơ",
        "Mẫu số 06",
        "Tổng số: 2 hồ sơ",
        "Thủ tục đăng ký khai sinh",
        "Người nhận kết quả ký",
        "landscape",
    ] {
        assert!(html.contains(expected), "{expected}: {html}");
    }
    for dossier in [&first, &second] {
        assert!(html.contains(dossier["code"].as_str().unwrap()), "{html}");
    }
    assert!(!html.contains("<script>") && html.contains("&#60;script&#62;"));

    let response = app.get_as(&desk.admin, &register(&today, &today, "docx")).await;
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-disposition"].to_str().unwrap().contains(".docx"));
    let xml = document_xml(&response.bytes().await.unwrap());
    assert!(xml.contains(first["code"].as_str().unwrap()) && xml.contains("Tổng số: 2 hồ sơ"));

    // Another period lists none of them.
    let html = app.get_as(&desk.admin, &register(&yesterday, &yesterday, "html")).await.text().await.unwrap();
    assert!(html.contains("Tổng số: 0 hồ sơ") && !html.contains(first["code"].as_str().unwrap()));

    // Officers do not read the reports; bad periods name the field.
    assert_eq!(app.get_as(&desk.officer, &register(&today, &today, "html")).await.status(), 403);
    let backwards = app.get_as(&desk.admin, &register(&today, &yesterday, "html")).await;
    assert_eq!(backwards.status(), 422);
    assert!(problem(backwards).await.to_string().contains("from"));
    assert_eq!(app.get_as(&desk.admin, &register(&today, &today, "pdf")).await.status(), 400);
}

#[tokio::test]
async fn csv_files_start_with_the_bom_and_name_their_columns_in_vietnamese_on_request() {
    let app = spawn_app().await;
    let desk = desk(&app).await;
    submit_dossier(&app, &desk.officer, &intake(&desk, "direct")).await;
    let today = chrono::Utc::now().with_timezone(&motcua::clock::vietnam()).date_naive();
    let summary =
        format!("/api/v1/reports/summary?agency_id={}&from={today}&to={today}&format=csv", desk.province);
    for (path, machine, vietnamese) in [
        (summary.as_str(), "figure,value\n", "Chỉ số,Giá trị\n"),
        ("/api/v1/audit?format=csv", "id,occurred_at,action,", "Số thứ tự,Thời điểm,Hành động,"),
    ] {
        for (lang, header) in [("", machine), ("&lang=en", machine), ("&lang=vi", vietnamese)] {
            let response = app.get_as(&desk.admin, &format!("{path}{lang}")).await;
            assert_eq!(response.status(), 200, "{path}{lang}");
            let bytes = response.bytes().await.unwrap();
            assert_eq!(&bytes[..3], b"\xEF\xBB\xBF", "{path}{lang}: UTF-8 with a BOM");
            let text = std::str::from_utf8(&bytes[3..]).unwrap();
            assert!(text.starts_with(header), "{path}{lang}: {text}");
        }
        let response = app.get_as(&desk.admin, &format!("{path}&lang=fr")).await;
        assert_eq!(response.status(), 400, "{path}");
        assert!(problem(response).await.to_string().contains("lang"));
    }
}
