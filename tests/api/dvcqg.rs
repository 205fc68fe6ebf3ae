//! The national portal's sync shape (`GET /api/v1/integrations/dvcqg/dossiers/{id}`): a dossier
//! walked through its life, the codes and dates at each step, and who may read it.

use serde_json::{Value, json};

use crate::helpers::{self, ADMIN_PASSWORD, Desk, TestApp, spawn_app, submit_dossier};

/// The shared desk with the portal adapter's token.
struct PortalDesk {
    desk: Desk,
    portal: String,
}

impl std::ops::Deref for PortalDesk {
    type Target = Desk;
    fn deref(&self) -> &Desk {
        &self.desk
    }
}

async fn desk(app: &TestApp) -> PortalDesk {
    let desk = helpers::desk(app).await;
    let portal = desk.portal_token(app).await;
    PortalDesk { desk, portal }
}

fn intake_body(desk: &Desk, channel: &str) -> Value {
    json!({
        "procedure_id": desk.procedure, "agency_id": desk.commune, "channel": channel,
        "applicant": {"kind": "citizen", "full_name": "Nguyễn Văn Án", "id_number": "051090001234", "phone": "0912345678"},
        "components": [{"name": "Tờ khai", "digitized": false}, {"name": "Giấy chứng sinh", "digitized": false}],
    })
}

pub(crate) async fn act(app: &TestApp, token: &str, id: &str, action: &str, body: Value) -> Value {
    let response = app.post_as(token, &format!("/api/v1/dossiers/{id}/{action}"), &body).await;
    assert_eq!(response.status(), 200, "{action}");
    response.json().await.unwrap()
}

pub(crate) async fn portal_shape(app: &TestApp, token: &str, id: &str) -> Value {
    let response = app.get_as(token, &format!("/api/v1/integrations/dvcqg/dossiers/{id}")).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

/// An RFC 3339 instant of the API as the portal writes it, in Vietnam time.
pub(crate) fn vietnam(instant: &Value) -> String {
    let parsed = chrono::DateTime::parse_from_rfc3339(instant.as_str().unwrap()).unwrap();
    parsed.with_timezone(&chrono::FixedOffset::east_opt(7 * 3600).unwrap()).format("%Y%m%d%H%M%S").to_string()
}

#[tokio::test]
async fn an_online_dossier_in_the_portal_shape_at_every_step() {
    let app = spawn_app().await;
    let desk = desk(&app).await;
    let mut body = intake_body(&desk, "online");
    // 17:30 UTC on Friday is 00:30 on Saturday in Vietnam: the portal sees Saturday's date.
    body["submitted_at"] = json!("2024-01-05T17:30:00Z");
    body["external_ref"] = json!("G22.99-240106-0001");
    let dossier = submit_dossier(&app, &desk.portal, &body).await;
    let id = dossier["id"].as_str().unwrap().to_owned();

    let shape = portal_shape(&app, &desk.portal, &id).await;
    assert_eq!(shape["MaHoSo"], "G22.99-240106-0001", "the portal's own code for what came from it");
    assert_eq!(shape["MaCoQuan"], "P01.C01");
    assert_eq!(shape["MaTTHC"], "1.001193");
    assert_eq!(shape["TenTTHC"], "Thủ tục đăng ký khai sinh");
    assert_eq!(shape["MaLinhVuc"], "Hộ tịch");
    assert_eq!(shape["ChuHoSo"], "Nguyễn Văn Án");
    assert_eq!(shape["LoaiDoiTuong"], 1);
    assert_eq!(shape["KenhThucHien"], 2, "online");
    assert_eq!(shape["TrangThaiHoSo"], 1, "newly registered");
    assert_eq!(shape["NgayNopHoSo"], "20240106003000");
    for field in ["NgayTiepNhan", "NgayHenTra", "NgayKetThucXuLy", "NgayTra"] {
        assert_eq!(shape[field], Value::Null, "{field} before acceptance");
    }
    assert_eq!(shape["DuocThanhToanTrucTuyen"], 0);
    assert_eq!(shape["HoSoCoThanhPhanSoHoa"], 0);
    assert_eq!(shape["id"], id.as_str());
    assert_eq!(shape["external_ref"], "G22.99-240106-0001");
    assert!(!shape.to_string().contains("051090001234"), "no identity number");

    let accepted = act(&app, &desk.portal, &id, "accept", json!({"at": "2024-01-08T02:00:00Z"})).await;
    let shape = portal_shape(&app, &desk.portal, &id).await;
    assert_eq!(shape["TrangThaiHoSo"], 2, "received, nobody assigned yet");
    assert_eq!(shape["NgayTiepNhan"], "20240108090000");
    assert_eq!(shape["NgayHenTra"], vietnam(&accepted["appointment_at"]));
    assert_eq!(shape["NgayHenTra"].as_str().unwrap().len(), 14);

    act(&app, &desk.portal, &id, "assign", json!({"user_id": desk.officer_id, "at": "2024-01-08T03:00:00Z"}))
        .await;
    let shape = portal_shape(&app, &desk.portal, &id).await;
    assert_eq!(shape["TrangThaiHoSo"], 4, "processing once assigned");
    assert_eq!(shape["NgayKetThucXuLy"], Value::Null);

    let resolve = json!({"outcome": "approved", "result_digitized": true, "at": "2024-01-09T16:45:00Z"});
    act(&app, &desk.portal, &id, "resolve", resolve).await;
    let shape = portal_shape(&app, &desk.portal, &id).await;
    assert_eq!(shape["TrangThaiHoSo"], 9, "processed");
    assert_eq!(shape["NgayKetThucXuLy"], "20240109234500");
    assert_eq!(shape["NgayTra"], Value::Null);

    act(&app, &desk.portal, &id, "return", json!({"at": "2024-01-10T08:00:00Z"})).await;
    let shape = portal_shape(&app, &desk.portal, &id).await;
    assert_eq!(shape["TrangThaiHoSo"], 10, "result returned");
    assert_eq!(shape["NgayTra"], "20240110150000");
    assert_eq!(shape["NgayTiepNhan"], "20240108090000", "earlier dates stay");

    // The agency's staff read the same shape as the adapter, with the contacts it was not granted.
    assert_eq!(shape["SoDienThoai"], Value::Null);
    for staff in [&desk.officer, &desk.admin] {
        let mut theirs = portal_shape(&app, staff, &id).await;
        assert_eq!(theirs["SoDienThoai"], "0912345678");
        for field in ["SoGiayToChuHoSo", "SoDienThoai", "Email"] {
            theirs[field] = Value::Null;
        }
        assert_eq!(theirs, shape);
    }
}

#[tokio::test]
async fn channels_payment_digitization_and_the_other_ends() {
    let app = spawn_app().await;
    let desk = desk(&app).await;
    let mut body = intake_body(&desk, "direct");
    body["applicant"] =
        json!({"kind": "organization", "full_name": "Công ty TNHH An Bình", "id_number": "0312345678"});
    body["components"] =
        json!([{"name": "Đơn", "digitized": false}, {"name": "Giấy phép", "reused_from_store": true}]);
    body["fee_paid"] = json!({"method": "online", "amount": 8000});
    let direct = submit_dossier(&app, &desk.officer, &body).await;
    let shape = portal_shape(&app, &desk.officer, direct["id"].as_str().unwrap()).await;
    assert_eq!(
        (&shape["KenhThucHien"], &shape["TrangThaiHoSo"], &shape["LoaiDoiTuong"]),
        (&json!(1), &json!(2), &json!(3)),
        "direct, received at once, an organization"
    );
    assert_eq!(shape["NgayTiepNhan"], shape["NgayNopHoSo"], "desk intake is accepted at once");
    assert_eq!(shape["NgayHenTra"], vietnam(&direct["appointment_at"]));
    assert_eq!((&shape["DuocThanhToanTrucTuyen"], &shape["HoSoCoThanhPhanSoHoa"]), (&json!(1), &json!(1)));

    let mut body = intake_body(&desk, "postal");
    body["fee_paid"] = json!({"method": "cash", "amount": 8000});
    let postal = submit_dossier(&app, &desk.officer, &body).await;
    let postal_id = postal["id"].as_str().unwrap();
    let shape = portal_shape(&app, &desk.officer, postal_id).await;
    assert_eq!((&shape["KenhThucHien"], &shape["DuocThanhToanTrucTuyen"]), (&json!(3), &json!(0)));
    act(&app, &desk.officer, postal_id, "request-supplement", json!({"reason": "Thiếu bản chính"})).await;
    assert_eq!(
        portal_shape(&app, &desk.officer, postal_id).await["TrangThaiHoSo"],
        5,
        "supplement requested"
    );
    act(&app, &desk.officer, postal_id, "withdraw", json!({"reason": "Rút hồ sơ"})).await;
    let shape = portal_shape(&app, &desk.officer, postal_id).await;
    assert_eq!(shape["TrangThaiHoSo"], 8, "stopped");
    assert_eq!(shape["NgayKetThucXuLy"], Value::Null, "not processed to an end");

    let online = submit_dossier(&app, &desk.portal, &intake_body(&desk, "online")).await;
    let online_id = online["id"].as_str().unwrap();
    act(&app, &desk.officer, online_id, "reject", json!({"reason": "Không thuộc thẩm quyền"})).await;
    let shape = portal_shape(&app, &desk.officer, online_id).await;
    assert_eq!(shape["TrangThaiHoSo"], 3, "not received");
    assert_eq!((&shape["NgayTiepNhan"], &shape["NgayHenTra"]), (&Value::Null, &Value::Null));
}

#[tokio::test]
async fn only_callers_who_may_see_the_dossier_read_it() {
    let app = spawn_app().await;
    let desk = desk(&app).await;
    let dossier = submit_dossier(&app, &desk.officer, &intake_body(&desk, "direct")).await;
    let path = format!("/api/v1/integrations/dvcqg/dossiers/{}", dossier["id"].as_str().unwrap());

    let unknown = app.get_as(&desk.officer, "/api/v1/integrations/dvcqg/dossiers/no-such-dossier").await;
    assert_eq!(unknown.status(), 404);
    assert_eq!(unknown.headers()["content-type"], "application/problem+json");

    let province = app.create_agency(&desk.admin, "P02", "province", None).await;
    let other = app.create_agency(&desk.admin, "P02.C01", "commune", Some(&province)).await;
    app.create_user(&desk.admin, "stranger", "officer", Some(&other)).await;
    let stranger = app.login("stranger", ADMIN_PASSWORD).await;
    assert_eq!(app.get_as(&stranger, &path).await.status(), 404, "another agency's officer");
    assert_eq!(app.get_as(&desk.citizen, &path).await.status(), 404, "not the citizen's own dossier");

    let anonymous = app.get(&path).await;
    assert_eq!(anonymous.status(), 401);
    assert_eq!(anonymous.headers()["content-type"], "application/problem+json");
}

/// The id of a dossier the national portal submitted online.
async fn submitted_online(app: &TestApp, desk: &PortalDesk) -> String {
    submit_dossier(app, &desk.portal, &intake_body(desk, "online")).await["id"].as_str().unwrap().to_owned()
}

async fn acknowledge(app: &TestApp, token: &str, id: &str, body: Value) -> reqwest::Response {
    app.post_as(token, &format!("/api/v1/integrations/dvcqg/dossiers/{id}/sync"), &body).await
}

async fn acknowledged(app: &TestApp, token: &str, id: &str, body: Value) -> Value {
    let response = acknowledge(app, token, id, body.clone()).await;
    assert_eq!(response.status(), 200, "{body}");
    response.json().await.unwrap()
}

/// The ids and versions on the pending list, page by page with `limit`.
async fn pending(app: &TestApp, token: &str, limit: usize) -> Vec<(String, i64)> {
    let mut listed = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut path = format!("/api/v1/integrations/dvcqg/pending?limit={limit}");
        if let Some(cursor) = &cursor {
            path.push_str(&format!("&cursor={cursor}"));
        }
        let response = app.get_as(token, &path).await;
        assert_eq!(response.status(), 200);
        let page: Value = response.json().await.unwrap();
        let items = page["items"].as_array().unwrap();
        assert!(items.len() <= limit);
        listed.extend(
            items.iter().map(|i| (i["id"].as_str().unwrap().to_owned(), i["version"].as_i64().unwrap())),
        );
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => return listed,
        }
    }
}

async fn pending_item(app: &TestApp, token: &str, id: &str) -> Value {
    let page: Value =
        app.get_as(token, "/api/v1/integrations/dvcqg/pending?limit=500").await.json().await.unwrap();
    page["items"].as_array().unwrap().iter().find(|i| i["id"] == id).cloned().unwrap_or(Value::Null)
}

async fn portal_sync_figures(app: &TestApp, token: &str, agency: &str) -> Value {
    let path = format!("/api/v1/reports/summary?agency_id={agency}&from=2024-01-01&to=2024-01-31");
    let response = app.get_as(token, &path).await;
    assert_eq!(response.status(), 200);
    let summary: Value = response.json().await.unwrap();
    summary["portal_sync"].clone()
}

#[tokio::test]
async fn the_portals_answers_clear_the_pending_list_version_by_version() {
    let app = spawn_app().await;
    let desk = desk(&app).await;
    let mut ids = Vec::new();
    for (i, day) in ["2024-01-05", "2024-01-06", "2024-01-07"].iter().enumerate() {
        let mut body = intake_body(&desk, "online");
        body["submitted_at"] = json!(format!("{day}T02:00:00Z"));
        body["external_ref"] = json!(format!("G22.99-2401-{i}"));
        ids.push(submit_dossier(&app, &desk.portal, &body).await["id"].as_str().unwrap().to_owned());
    }
    let (a, b, c) = (ids[0].as_str(), ids[1].as_str(), ids[2].as_str());
    let v = |id: &str, version: i64| (id.to_owned(), version);
    assert_eq!(pending(&app, &desk.portal, 500).await, [v(a, 1), v(b, 1), v(c, 1)], "nothing answered yet");
    assert_eq!(pending(&app, &desk.portal, 1).await, [v(a, 1), v(b, 1), v(c, 1)], "a page at a time");
    assert_eq!(pending_item(&app, &desk.portal, a).await["last_answer"], Value::Null);
    assert_eq!(portal_shape(&app, &desk.portal, a).await["version"], 1, "the record names its version");

    let state = acknowledged(&app, &desk.portal, a, json!({"version": 1, "accepted": true})).await;
    assert_eq!(
        (&state["dossier_id"], &state["version"], &state["synced_version"], &state["pending"]),
        (&json!(a), &json!(1), &json!(1), &json!(false))
    );
    assert_eq!(
        (&state["last_answer"]["accepted"], &state["last_answer"]["error"]),
        (&json!(true), &Value::Null)
    );
    let refusal = json!({"version": 1, "accepted": false, "error": "MaTTHC không tồn tại"});
    let state = acknowledged(&app, &desk.portal, b, refusal).await;
    assert_eq!((&state["pending"], &state["synced_version"]), (&json!(true), &Value::Null));
    assert_eq!(pending(&app, &desk.portal, 500).await, [v(b, 1), v(c, 1)], "the accepted one left");
    let refused = pending_item(&app, &desk.portal, b).await;
    assert_eq!(
        refused["last_answer"]["error"], "MaTTHC không tồn tại",
        "a refusal says why it is still here"
    );
    assert_eq!(refused["external_ref"], "G22.99-2401-1");

    // A change makes a new version the portal does not have: back on the list, at its end.
    act(&app, &desk.portal, a, "accept", json!({"at": "2024-01-08T02:00:00Z"})).await;
    assert_eq!(portal_shape(&app, &desk.portal, a).await["version"], 2);
    assert_eq!(pending(&app, &desk.portal, 500).await, [v(b, 1), v(c, 1), v(a, 2)]);
    // The answer to the record forwarded before the change: recorded, still pending.
    let state = acknowledged(&app, &desk.portal, a, json!({"version": 1, "accepted": true})).await;
    assert_eq!(
        (&state["version"], &state["synced_version"], &state["pending"]),
        (&json!(2), &json!(1), &json!(true))
    );

    // Refused without a change: a version the dossier never had, an error with an acceptance.
    for (body, field) in [
        (json!({"version": 3, "accepted": true}), "version"),
        (json!({"version": 0, "accepted": true}), "version"),
        (json!({"version": 2, "accepted": true, "error": "lỗi"}), "error"),
        (json!({"version": 2, "accepted": false, "error": ""}), "error"),
    ] {
        let response = acknowledge(&app, &desk.portal, a, body.clone()).await;
        assert_eq!(response.status(), 422, "{body}");
        assert_eq!(helpers::error_fields(&helpers::problem(response).await), [field], "{body}");
    }
    let response = acknowledge(&app, &desk.portal, a, json!({"accepted": true})).await;
    assert!(response.status().is_client_error(), "a version is required");

    let state = acknowledged(&app, &desk.portal, a, json!({"version": 2, "accepted": true})).await;
    assert_eq!((&state["synced_version"], &state["pending"]), (&json!(2), &json!(false)));
    // The refused record retried and taken: the later answer replaces the refusal.
    let state = acknowledged(&app, &desk.portal, b, json!({"version": 1, "accepted": true})).await;
    assert_eq!((&state["pending"], &state["last_answer"]["error"]), (&json!(false), &Value::Null));
    let state = acknowledged(&app, &desk.portal, b, json!({"version": 1, "accepted": true})).await;
    assert_eq!(state["pending"], false, "repeating an answer is harmless");
    assert_eq!(pending(&app, &desk.portal, 500).await, [v(c, 1)]);

    // The report: three dossiers reached the system in January, two synced as they are now.
    let figures = portal_sync_figures(&app, &desk.admin, &desk.commune).await;
    assert_eq!(figures, json!({"dossiers": 3, "synced": 2, "rate": 66.67}));
    assert_eq!(
        portal_sync_figures(&app, &desk.admin, &desk.province).await,
        figures,
        "the province covers it"
    );
    act(&app, &desk.portal, b, "accept", json!({"at": "2024-01-08T03:00:00Z"})).await;
    let figures = portal_sync_figures(&app, &desk.admin, &desk.commune).await;
    assert_eq!(figures, json!({"dossiers": 3, "synced": 1, "rate": 33.33}), "b changed since");
    let path = format!("/api/v1/reports/summary?agency_id={}&from=2024-02-01&to=2024-02-29", desk.commune);
    let february: Value = app.get_as(&desk.admin, &path).await.json().await.unwrap();
    assert_eq!(february["portal_sync"], json!({"dossiers": 0, "synced": 0, "rate": null}));

    // A refusal that replaces the acceptance of the current version: pending again, and no
    // longer counted.
    let refusal = json!({"version": 2, "accepted": false, "error": "Trùng mã hồ sơ"});
    assert_eq!(acknowledged(&app, &desk.portal, a, refusal).await["pending"], true);
    let figures = portal_sync_figures(&app, &desk.admin, &desk.commune).await;
    assert_eq!(figures, json!({"dossiers": 3, "synced": 0, "rate": 0.0}), "a refused since");
    acknowledged(&app, &desk.portal, b, json!({"version": 2, "accepted": true})).await;
    // The summary reads the counters; the plain definition reads every dossier and the portal's
    // answers themselves: they agree, for the month, around it, and by day.
    let periods = [
        ("2024-01-01", "2024-01-31"),
        ("2023-12-01", "2024-03-31"),
        ("2024-01-06", "2024-01-06"),
        ("2024-01-01", "2024-12-31"),
    ];
    crate::reports::assert_methods_agree(&app, &desk.commune, &periods).await;
    crate::reports::assert_methods_agree(&app, &desk.province, &periods).await;
}

#[tokio::test]
async fn only_admins_and_adapters_of_the_agency_record_answers() {
    let app = spawn_app().await;
    let desk = desk(&app).await;
    let dossier = submit_dossier(&app, &desk.officer, &intake_body(&desk, "direct")).await;
    let id = dossier["id"].as_str().unwrap();
    let ack = json!({"version": 1, "accepted": true});

    let response = acknowledge(&app, &desk.officer, id, ack.clone()).await;
    assert_eq!(response.status(), 403, "the desk does not forward to the portal");
    assert_eq!(app.get_as(&desk.officer, "/api/v1/integrations/dvcqg/pending").await.status(), 403);
    let province = app.create_agency(&desk.admin, "P02", "province", None).await;
    let other = app.service_token(&desk.admin, "other portal", &[&province]).await;
    assert_eq!(acknowledge(&app, &other, id, ack.clone()).await.status(), 404, "another agency's adapter");
    assert_eq!(pending(&app, &other, 50).await, [], "sees none of this agency's dossiers");
    assert_eq!(acknowledge(&app, &desk.portal, "no-such-dossier", ack.clone()).await.status(), 404);
    let anonymous =
        app.client.post(app.url(&format!("/api/v1/integrations/dvcqg/dossiers/{id}/sync"))).json(&ack).send();
    assert_eq!(anonymous.await.unwrap().status(), 401);

    assert_eq!(pending(&app, &desk.admin, 50).await, [(id.to_owned(), 1)]);
    assert_eq!(acknowledged(&app, &desk.admin, id, ack).await["pending"], false);
    assert_eq!(pending(&app, &desk.portal, 50).await, []);
}

async fn upload(app: &TestApp, token: &str, dossier: &str, kind: &str, component: Option<i64>, name: &str) {
    let mut form = reqwest::multipart::Form::new().percent_encode_noop().text("kind", kind.to_owned());
    if let Some(i) = component {
        form = form.text("component", i.to_string());
    }
    let scan =
        reqwest::multipart::Part::bytes(format!("%PDF-1.4 {name}").into_bytes()).file_name(name.to_owned());
    let response = app
        .client
        .post(app.url(&format!("/api/v1/dossiers/{dossier}/files")))
        .bearer_auth(token)
        .multipart(form.part("file", scan))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201, "{name}");
}

#[tokio::test]
async fn the_record_carries_the_summary_the_handling_agency_fees_and_files() {
    let app = spawn_app().await;
    let desk = desk(&app).await;
    let mut body = intake_body(&desk, "direct");
    body["fee_paid"] = json!({"method": "cash", "amount": 8000});
    let dossier = submit_dossier(&app, &desk.officer, &body).await;
    let id = dossier["id"].as_str().unwrap();

    let shape = portal_shape(&app, &desk.portal, id).await;
    assert_eq!(shape["TenLinhVuc"], "Hộ tịch");
    assert_eq!(shape["TrichYeuHoSo"], "Thủ tục đăng ký khai sinh: Nguyễn Văn Án");
    let commune: Value =
        app.get_as(&desk.admin, &format!("/api/v1/agencies/{}", desk.commune)).await.json().await.unwrap();
    assert_eq!(shape["DonViXuLy"], commune["name"]);
    assert_eq!(
        shape["DanhSachLePhi"],
        json!([{"TenPhiLePhi": "Lệ phí", "SoTien": 8000, "DaThanhToan": 1, "HinhThucThu": "cash"}])
    );
    assert_eq!((&shape["TaiLieuNop"], &shape["DanhSachGiayToKetQua"]), (&json!([]), &json!([])));
    assert_eq!(shape["links_expire_at"], Value::Null, "no files, no links");

    upload(&app, &desk.officer, id, "component", Some(1), "giấy chứng sinh.pdf").await;
    act(&app, &desk.officer, id, "resolve", json!({"outcome": "approved", "result_digitized": true})).await;
    upload(&app, &desk.officer, id, "result", None, "trích lục.pdf").await;
    let shape = portal_shape(&app, &desk.portal, id).await;
    let submitted = shape["TaiLieuNop"].as_array().unwrap();
    assert_eq!(submitted.len(), 1);
    assert_eq!(submitted[0]["TenTepDinhKem"], "giấy chứng sinh.pdf");
    assert_eq!(submitted[0]["TenThanhPhanHoSo"], "Giấy chứng sinh");
    let results = shape["DanhSachGiayToKetQua"].as_array().unwrap();
    assert_eq!(results.len(), 1);
    assert_eq!(results[0]["TenGiayTo"], "trích lục.pdf");
    assert!(shape["links_expire_at"].is_string());
    // The links open the files without a token: the adapter downloads what it forwards.
    for (link, content) in [
        (&submitted[0]["DuongDanTaiTepTin"], "%PDF-1.4 giấy chứng sinh.pdf"),
        (&results[0]["DuongDanTepTinKetQua"], "%PDF-1.4 trích lục.pdf"),
    ] {
        let response = app.get(link.as_str().unwrap()).await;
        assert_eq!(response.status(), 200);
        assert_eq!(response.text().await.unwrap(), content);
    }
}

#[tokio::test]
async fn the_progress_names_who_did_each_step_their_title_and_unit() {
    let app = spawn_app().await;
    let desk = desk(&app).await;
    let mut body = intake_body(&desk, "online");
    body["submitted_at"] = json!("2024-01-05T17:30:00Z");
    body["external_ref"] = json!("G22.99-240106-0009");
    let id = submit_dossier(&app, &desk.portal, &body).await["id"].as_str().unwrap().to_owned();
    act(&app, &desk.officer, &id, "accept", json!({})).await;
    act(&app, &desk.officer, &id, "assign", json!({"user_id": desk.officer_id})).await;
    upload(&app, &desk.officer, &id, "component", Some(0), "tờ khai.pdf").await;
    act(&app, &desk.officer, &id, "resolve", json!({"outcome": "approved", "result_digitized": true})).await;

    let response =
        app.get_as(&desk.portal, &format!("/api/v1/integrations/dvcqg/dossiers/{id}/progress")).await;
    assert_eq!(response.status(), 200);
    let progress: Value = response.json().await.unwrap();
    assert_eq!((&progress["MaHoSo"], &progress["id"]), (&json!("G22.99-240106-0009"), &json!(id)));
    assert_eq!(progress["version"], portal_shape(&app, &desk.portal, &id).await["version"]);
    let steps = progress["QuaTrinhXuLy"].as_array().unwrap();
    let statuses: Vec<&Value> = steps.iter().map(|s| &s["TrangThai"]).collect();
    assert_eq!(statuses, [&json!(1), &json!(2), &json!(4), &json!(9)], "the file is not a step");
    let commune: Value =
        app.get_as(&desk.admin, &format!("/api/v1/agencies/{}", desk.commune)).await.json().await.unwrap();
    assert_eq!(
        steps[0],
        json!({"NguoiXuLy": "portal", "ChucDanh": null, "PhongBanXuLy": commune["name"],
               "NoiDungXuLy": "Nộp hồ sơ", "ThoiDiemXuLy": "20240106003000", "TrangThai": 1}),
        "submitted by the portal's adapter"
    );
    for step in &steps[1..] {
        assert_eq!(step["NguoiXuLy"], "Cán bộ officer");
        assert_eq!(step["ChucDanh"], "Cán bộ, công chức một cửa");
        assert_eq!(step["PhongBanXuLy"], commune["name"]);
        assert_eq!(step["ThoiDiemXuLy"].as_str().unwrap().len(), 14);
    }
    let done: Vec<&str> = steps.iter().map(|s| s["NoiDungXuLy"].as_str().unwrap()).collect();
    assert_eq!(done.len(), 4);
    assert!(done[1..].iter().all(|d| !d.is_empty() && *d != "Nộp hồ sơ"), "{done:?}");

    // Within the dossier's visibility, like the record.
    assert_eq!(
        app.get_as(&desk.officer, &format!("/api/v1/integrations/dvcqg/dossiers/{id}/progress"))
            .await
            .status(),
        200
    );
    assert_eq!(
        app.get_as(&desk.citizen, &format!("/api/v1/integrations/dvcqg/dossiers/{id}/progress"))
            .await
            .status(),
        404
    );
}

#[tokio::test]
async fn a_local_procedure_is_sent_under_its_national_code_and_field_code() {
    let app = spawn_app().await;
    let desk = desk(&app).await;
    let dossier = submit_dossier(&app, &desk.officer, &intake_body(&desk, "direct")).await;
    let id = dossier["id"].as_str().unwrap().to_owned();
    let procedure = format!("/api/v1/procedures/{}", desk.procedure);

    let mapped = app
        .patch_as(&desk.admin, &procedure, &json!({"national_code": "1.000656", "field_code": "G09-TP04"}))
        .await;
    assert_eq!(mapped.status(), 200);
    let mapped: Value = mapped.json().await.unwrap();
    assert_eq!(
        (mapped["code"].as_str(), mapped["national_code"].as_str()),
        (Some("1.001193"), Some("1.000656"))
    );
    let shape = portal_shape(&app, &desk.portal, &id).await;
    assert_eq!(shape["MaTTHC"], "1.000656", "the national code, not the local one");
    assert_eq!(shape["MaLinhVuc"], "G09-TP04");
    assert_eq!(shape["TenLinhVuc"], "Hộ tịch");

    let bad = app.patch_as(&desk.admin, &procedure, &json!({"field_code": "G09 TP04"})).await;
    assert_eq!(bad.status(), 422);
    let problem: Value = bad.json().await.unwrap();
    assert_eq!(problem["errors"][0]["field"], "field_code");
    let officer = app.patch_as(&desk.officer, &procedure, &json!({"national_code": "1.000001"})).await;
    assert_eq!(officer.status(), 403, "the mapping is an admin's");

    let cleared =
        app.patch_as(&desk.admin, &procedure, &json!({"national_code": "", "field_code": ""})).await;
    assert_eq!(cleared.status(), 200);
    let shape = portal_shape(&app, &desk.portal, &id).await;
    assert_eq!(shape["MaTTHC"], "1.001193", "its own code again");
    assert_eq!(shape["MaLinhVuc"], "Hộ tịch", "the field's name when it has no code");
}

/// An officer's write read the dossier before the portal's acceptance landed and writes after
/// it: the write is refused (409 upstream), since counting it from the stale read would keep the
/// dossier in the synced count after its version moved on.
#[tokio::test]
async fn a_write_that_raced_the_portals_acceptance_is_refused() {
    let app = spawn_app().await;
    let desk = desk(&app).await;
    let id = submitted_online(&app, &desk).await;
    let read = id.clone();
    let stale = app
        .with_library_db(move |db| {
            motcua::dossiers::store::find(&mut db.pool().get().unwrap(), &read).unwrap().unwrap()
        })
        .await;
    acknowledged(&app, &desk.portal, &id, json!({"version": 1, "accepted": true})).await;
    let written = app
        .with_library_db(move |db| {
            let mut row = stale.clone();
            row.version = 2;
            motcua::dossiers::store::update(&mut db.pool().get().unwrap(), &row, 1).unwrap()
        })
        .await;
    assert!(!written, "the stale write went through");
    let path = format!("/api/v1/reports/summary?agency_id={}&from=2020-01-01&to=2030-12-31", desk.commune);
    let summary: Value = app.get_as(&desk.admin, &path).await.json().await.unwrap();
    assert_eq!(summary["portal_sync"], json!({"dossiers": 1, "synced": 1, "rate": 100.0}));
}

/// An adapter's retry arrives while its first answer is still in flight, with the opposite answer
/// for the same version: whichever is recorded last decides, and the synced count (from the
/// dossier's mark) agrees with the recorded answers (the plain definition) every time.
#[tokio::test]
async fn opposite_answers_at_the_same_instant_leave_one_verdict() {
    let app = spawn_app().await;
    let desk = desk(&app).await;
    let id = submitted_online(&app, &desk).await;
    for round in 0..6 {
        let (accepted, refused) = tokio::join!(
            acknowledge(&app, &desk.portal, &id, json!({"version": 1, "accepted": true})),
            acknowledge(&app, &desk.portal, &id, json!({"version": 1, "accepted": false, "error": "busy"})),
        );
        assert_eq!((accepted.status().as_u16(), refused.status().as_u16()), (200, 200), "round {round}");
        let periods = [("2020-01-01", "2030-12-31")];
        crate::reports::assert_methods_agree(&app, &desk.commune, &periods).await;
        let listed = pending(&app, &desk.portal, 10).await.iter().any(|(listed, _)| *listed == id);
        let path =
            format!("/api/v1/reports/summary?agency_id={}&from=2020-01-01&to=2030-12-31", desk.commune);
        let summary: Value = app.get_as(&desk.admin, &path).await.json().await.unwrap();
        assert_eq!(summary["portal_sync"]["synced"], json!(if listed { 0 } else { 1 }), "round {round}");
    }
}
