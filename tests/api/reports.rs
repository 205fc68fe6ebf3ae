//! The periodic report: the demo's half-year reproduces every figure of the seed report, the
//! exports carry them, and bad requests are refused.

use serde_json::{Value, json};

use crate::helpers::{TestApp, catalogue_lines, error_fields, problem, spawn_app};

pub(crate) const SEED_PERIOD: &str = "from=2024-01-01&to=2024-06-25";

/// Load the demo data set through the library, as `motcua serve --demo` does; true if loaded now.
pub(crate) async fn load_demo(app: &TestApp) -> bool {
    app.with_library_db(|db| motcua::demo::load(db).unwrap()).await
}

pub(crate) async fn agency_id(app: &TestApp, token: &str, code: &str) -> String {
    let body: Value = app.get_as(token, "/api/v1/agencies?limit=100").await.json().await.unwrap();
    body["items"].as_array().unwrap().iter().find(|a| a["code"] == code).expect("the agency exists")["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn missing_of<'a>(summary: &'a Value, name: &str) -> &'a Value {
    summary["digitization"]["missing_by_responsible"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["responsible"]["name"].as_str().unwrap().starts_with(name))
        .unwrap_or_else(|| panic!("{name} is not among those responsible"))
}

#[tokio::test]
async fn the_demo_reproduces_the_seed_report() {
    let app = spawn_app().await;
    assert!(load_demo(&app).await, "the demo loads into an empty database");
    assert!(!load_demo(&app).await, "and only once");
    let leader = app.login("lanhdao", motcua::demo::PASSWORD).await;
    let commune = agency_id(&app, &leader, motcua::demo::COMMUNE_CODE).await;
    let response =
        app.get_as(&leader, &format!("/api/v1/reports/summary?agency_id={commune}&{SEED_PERIOD}")).await;
    assert_eq!(response.status(), 200);
    let s: Value = response.json().await.unwrap();

    assert_eq!(s["period"]["as_of"], "2024-06-25T17:00:00Z");
    let r = &s["reception"];
    assert_eq!(
        (r["new_online"].as_i64(), r["new_direct"].as_i64(), r["new_postal"].as_i64()),
        (Some(1207), Some(11), Some(0))
    );
    assert_eq!(
        (r["new"].as_i64(), r["carried_over"].as_i64(), r["total"].as_i64()),
        (Some(1218), Some(4), Some(1222))
    );
    assert_eq!(r["online_rate"], 98.77);
    assert_eq!(r["direct_rate"], 0.9, "11 / 1,222 is 0.90 (the seed's 0,91 is a slip)");

    let res = &s["resolution"];
    assert_eq!(res["resolved"], 1219);
    assert_eq!(res["on_time"], 1178);
    assert_eq!(res["late"], 41);
    assert_eq!(res["late_rate"], 3.36);
    assert_eq!(res["on_time_rate"], 96.64);
    assert_eq!(res["in_progress"], 3);
    assert_eq!(res["in_progress_within_deadline"], 3);
    assert_eq!(res["in_progress_overdue"], 0);
    assert_eq!(res["withdrawn"], 0);
    assert_eq!(res["late_with_apology"], 0);
    assert_eq!(res["late_without_apology"], 41, "the seed: no apology letters were issued");
    assert!(res["early"].as_i64().unwrap() <= 1178);
    // The form's balance rules.
    let total = r["total"].as_i64().unwrap();
    assert_eq!(total, r["new"].as_i64().unwrap() + r["carried_over"].as_i64().unwrap());
    assert_eq!(
        total,
        res["resolved"].as_i64().unwrap()
            + res["withdrawn"].as_i64().unwrap()
            + res["in_progress"].as_i64().unwrap()
    );

    let o = &s["online_service"];
    assert_eq!(o["full"], json!({"dossiers": 76, "submitted_online": 76}));
    assert_eq!(o["partial"], json!({"dossiers": 1131, "submitted_online": 1131}));
    assert_eq!(o["online_submission_rate"], 100.0);
    assert_eq!(o["acceptance"], json!({"online_submitted": 1207, "answered_in_time": 1207, "rate": 100.0}));
    assert_eq!(s["payment"]["dossier_rate"], 100.0);
    assert_eq!(s["payment"]["procedure_rate"], 100.0);

    let d = &s["digitization"];
    assert_eq!(d["reception"], json!({"eligible": 1218, "digitized": 1150, "rate": 94.42}));
    assert_eq!(d["result"], json!({"eligible": 1219, "digitized": 960, "rate": 78.75}));
    // The footnotes: 68 at reception on one officer; 252, 3, 3 and 1 on results.
    let cuong = missing_of(&s, "Trần Trung Cường");
    assert_eq!((cuong["reception"].as_i64(), cuong["result"].as_i64()), (Some(68), Some(252)));
    assert_eq!(cuong["responsible"]["kind"], "user");
    let vi = missing_of(&s, "Võ Hồng Vi");
    assert_eq!((vi["reception"].as_i64(), vi["result"].as_i64()), (Some(0), Some(3)));
    let vu = missing_of(&s, "Dương Thanh Vũ");
    assert_eq!((vu["reception"].as_i64(), vu["result"].as_i64()), (Some(0), Some(3)));
    let unit = missing_of(&s, "Phòng Lao động");
    assert_eq!((unit["reception"].as_i64(), unit["result"].as_i64()), (Some(0), Some(1)));
    assert_eq!(unit["responsible"]["kind"], "agency");
    assert_eq!(d["missing_by_responsible"].as_array().unwrap().len(), 4);

    assert_eq!(
        s["satisfaction"],
        json!({"responses": 411, "very_satisfied": 341, "satisfied": 70, "unsatisfied": 0,
               "very_satisfied_rate": 82.97, "satisfied_rate": 17.03, "unsatisfied_rate": 0.0})
    );
    let f = &s["feedback"];
    assert_eq!(
        (f["received"].as_i64(), f["resolved"].as_i64(), f["published"].as_i64()),
        (Some(1), Some(1), Some(1))
    );
    assert_eq!(f["by_channel"]["national_portal"], 1);
    assert_eq!(f["in_progress"], 0);

    let late = s["targets"].as_array().unwrap().iter().find(|t| t["indicator"] == "late_rate").unwrap();
    assert_eq!(
        late,
        &json!({"indicator": "late_rate", "comparator": "<=", "target": 3.0, "actual": 3.36, "met": false, "set_by_agency_id": null})
    );
    let met: Vec<(&str, Value)> = s["targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["indicator"].as_str().unwrap(), t["met"].clone()))
        .collect();
    assert_eq!(met.len(), 8);
    assert!(met.contains(&("on_time_rate", json!(false))));
    assert!(met.contains(&("digitization_result_rate", json!(true))));
    assert!(met.contains(&("posting_rate", Value::Null)), "no publication in the period: nothing to judge");

    // Form II.06a's lines add up to the totals.
    let lines = s["by_field"].as_array().unwrap();
    let sum = |path: &[&str]| lines.iter().map(|l| l[path[0]][path[1]].as_i64().unwrap()).sum::<i64>();
    assert_eq!(sum(&["reception", "total"]), 1222);
    assert_eq!(sum(&["resolution", "late"]), 41);

    // The province covers the commune: same figures, since it has no dossiers of its own.
    let admin = app.login("admin", motcua::demo::PASSWORD).await;
    let province = agency_id(&app, &admin, motcua::demo::PROVINCE_CODE).await;
    let p: Value = app
        .get_as(&admin, &format!("/api/v1/reports/summary?agency_id={province}&{SEED_PERIOD}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(p["reception"], s["reception"]);
    assert_eq!(p["resolution"], s["resolution"]);
    assert_eq!(p["digitization"]["result"], s["digitization"]["result"]);

    // Per officer: the civil-status officer's forgotten steps are visible.
    let officers: Value = app
        .get_as(&leader, &format!("/api/v1/reports/officers?agency_id={commune}&{SEED_PERIOD}"))
        .await
        .json()
        .await
        .unwrap();
    let first = &officers["officers"][0];
    assert_eq!(first["full_name"], "Trần Trung Cường", "most to answer for first: {officers}");
    assert_eq!(first["late"], 41);
    assert_eq!(first["apologies_missing"], 41);
    assert_eq!(first["reception_digitization_missing"], 68);
    assert_eq!(first["result_digitization_missing"], 252);
    assert_eq!(officers["officers"].as_array().unwrap().len(), 3);

    let series: Value = app
        .get_as(
            &leader,
            &format!("/api/v1/reports/timeseries?agency_id={commune}&{SEED_PERIOD}&granularity=month"),
        )
        .await
        .json()
        .await
        .unwrap();
    let buckets = series["buckets"].as_array().unwrap();
    assert_eq!(buckets.len(), 6);
    assert_eq!(buckets[0]["start"], "2024-01-01");
    assert_eq!(buckets.iter().map(|b| b["received"].as_i64().unwrap()).sum::<i64>(), 1218);
    assert_eq!(buckets.iter().map(|b| b["resolved"].as_i64().unwrap()).sum::<i64>(), 1219);
    assert_eq!(buckets.iter().map(|b| b["late"].as_i64().unwrap()).sum::<i64>(), 41);

    check_exports(&app, &leader, &commune).await;
}

/// The league table's lines add up to the summary's totals, figure by figure (an agency with
/// nothing below it has no table).
fn assert_lines_add_up(summary: &Value) {
    let lines = summary["by_agency"].as_array().unwrap();
    if lines.is_empty() {
        return;
    }
    for path in [
        "/reception/total",
        "/reception/new",
        "/reception/carried_over",
        "/resolution/resolved",
        "/resolution/on_time",
        "/resolution/late",
        "/resolution/in_progress",
        "/resolution/in_progress_overdue",
        "/resolution/late_without_apology",
        "/digitization/reception/digitized",
        "/digitization/result/digitized",
        "/satisfaction/responses",
        "/feedback/received",
        "/feedback/resolved",
    ] {
        let sum: i64 = lines.iter().map(|l| l.pointer(path).unwrap().as_i64().unwrap()).sum();
        assert_eq!(Some(sum), summary.pointer(path).and_then(Value::as_i64), "{path} over {lines:?}");
    }
}

/// A province's summary ranks the agencies below it, each line the figures of its subtree; the
/// lines add up to the totals and reach every export.
#[tokio::test]
async fn a_province_ranks_the_agencies_below_it() {
    let app = spawn_app().await;
    load_demo(&app).await;
    let admin = app.login("admin", motcua::demo::PASSWORD).await;
    let commune = agency_id(&app, &admin, motcua::demo::COMMUNE_CODE).await;
    let province = agency_id(&app, &admin, motcua::demo::PROVINCE_CODE).await;
    let get = |agency: String| {
        let (app, admin) = (&app, &admin);
        async move {
            let path = format!("/api/v1/reports/summary?agency_id={agency}&{SEED_PERIOD}");
            app.get_as(admin, &path).await.json::<Value>().await.unwrap()
        }
    };
    let (p, c) = (get(province.clone()).await, get(commune.clone()).await);
    assert_eq!(c["by_agency"], json!([]), "a commune has nothing below it");
    let lines = p["by_agency"].as_array().unwrap();
    // The commune and the district's unit; the province handled nothing itself: no line of its own.
    assert_eq!(lines.len(), 2, "{lines:?}");
    let first = &lines[0];
    assert_eq!(first["agency"]["code"], motcua::demo::COMMUNE_CODE, "ranked by on-time rate");
    assert_eq!(first["own"], false);
    for part in ["reception", "resolution", "satisfaction", "feedback"] {
        assert_eq!(first[part], c[part], "the commune's line is its own summary's {part}");
    }
    assert_eq!(first["resolution"]["late"], 41);
    assert_eq!(first["resolution"]["late_without_apology"], c["resolution"]["late_without_apology"]);
    assert_eq!(first["digitization"]["reception"]["rate"], 94.42);
    assert_eq!(first["digitization"]["result"], c["digitization"]["result"]);
    let unit = &lines[1];
    assert_eq!(unit["agency"]["code"], motcua::demo::OUTSIDE_UNIT_CODE);
    assert_eq!(unit["reception"]["total"], 0, "an agency with nothing in the period keeps its line");
    assert_eq!(unit["resolution"]["on_time_rate"], Value::Null);
    assert_lines_add_up(&p);

    // The child's own report is the drill-down into its line: the same figures.
    assert_eq!(get(motcua::demo::OUTSIDE_UNIT_ID.into()).await["reception"], unit["reception"]);

    let (_, csv) = export(&app, &admin, &province, "csv").await;
    let csv = String::from_utf8(csv).unwrap();
    let code = motcua::demo::COMMUNE_CODE;
    assert!(csv.contains(&format!("\nby_agency.{code}.resolution.late,41\n")), "{csv}");
    assert!(csv.contains(&format!("\nby_agency.{code}.agency.name,UBND xã Tỉnh Châu\n")));

    use calamine::{Data, DataType, Reader, Xlsx};
    let (_, xlsx) = export(&app, &admin, &province, "xlsx").await;
    let mut workbook = Xlsx::new(std::io::Cursor::new(xlsx)).unwrap();
    let sheet = workbook.worksheet_range("Theo đơn vị").expect("the league table has its sheet");
    let row_of = |name: &str| {
        sheet.rows().find(|row| row.get(1) == Some(&Data::String(name.into()))).expect(name).to_vec()
    };
    let head: Vec<String> = sheet.rows().nth(2).unwrap().iter().map(|c| c.to_string()).collect();
    let column = |header: &str| head.iter().position(|h| h == header).expect(header);
    let commune_row = row_of("UBND xã Tỉnh Châu");
    assert_eq!(commune_row[column("Tiếp nhận: tổng số")].as_f64(), Some(1222.0));
    assert_eq!(commune_row[column("Quá hạn")].as_f64(), Some(41.0));
    assert_eq!(commune_row[column("Tỷ lệ đúng hạn (%)")].as_f64(), Some(96.64));
    assert_eq!(row_of("Tổng cộng")[column("Quá hạn")].as_f64(), Some(41.0));
    let (_, commune_xlsx) = export(&app, &admin, &commune, "xlsx").await;
    let commune_book = Xlsx::new(std::io::Cursor::new(commune_xlsx)).unwrap();
    assert!(!commune_book.sheet_names().contains(&"Theo đơn vị".to_owned()), "nothing below a commune");

    let (_, html) = export(&app, &admin, &province, "html").await;
    let html = String::from_utf8(html).unwrap();
    assert!(html.contains("6. Kết quả theo từng đơn vị"), "{html}");
    assert!(
        html.contains(
            "<td>UBND xã Tỉnh Châu</td><td>1.222</td><td>1.219</td><td>1.178 (96,64%)</td><td>41 (3,36%)</td>"
        ),
        "{html}"
    );
    let (_, docx) = export(&app, &admin, &province, "docx").await;
    let text = docx_rs::read_docx(&docx).expect("the DOCX opens").json();
    assert!(text.contains("Kết quả theo từng đơn vị") && text.contains("1.178 (96,64%)"));
}

async fn export(app: &TestApp, token: &str, commune: &str, format: &str) -> (String, Vec<u8>) {
    let response = app
        .get_as(token, &format!("/api/v1/reports/summary?agency_id={commune}&{SEED_PERIOD}&format={format}"))
        .await;
    assert_eq!(response.status(), 200, "{format}");
    let content_type = response.headers()["content-type"].to_str().unwrap().to_owned();
    (content_type, response.bytes().await.unwrap().to_vec())
}

async fn check_exports(app: &TestApp, token: &str, commune: &str) {
    let (kind, csv) = export(app, token, commune, "csv").await;
    assert!(kind.starts_with("text/csv"));
    let csv = String::from_utf8(csv).unwrap();
    assert!(csv.starts_with("\u{feff}figure,value\n"), "UTF-8 with a BOM, for Excel");
    assert!(csv.contains("\nreception.total,1222\n"), "{csv}");
    assert!(csv.contains("\nresolution.late_rate,3.36\n"));
    assert!(csv.contains("\ndigitization.missing_by_responsible.Trần Trung Cường.result,252\n"));

    let (kind, xlsx) = export(app, token, commune, "xlsx").await;
    assert_eq!(kind, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    use calamine::{Data, DataType, Reader, Xlsx};
    let mut workbook = Xlsx::new(std::io::Cursor::new(xlsx)).expect("the XLSX opens");
    let form = workbook.worksheet_range("Biểu II.06a").expect("form II.06a is there");
    let totals =
        form.rows().find(|row| row.get(1) == Some(&Data::String("Tổng cộng".into()))).expect("a totals line");
    // Columns 3–13: received total, online, direct, carried over; resolved, early, on time, late;
    // in progress, within, overdue.
    let numbers: Vec<f64> = totals[2..13].iter().map(|c| c.as_f64().unwrap()).collect();
    assert_eq!(numbers[0..4], [1222.0, 1207.0, 11.0, 4.0]);
    assert_eq!(numbers[4], 1219.0);
    assert_eq!(numbers[5] + numbers[6], 1178.0, "early + on time");
    assert_eq!(numbers[7..11], [41.0, 3.0, 3.0, 0.0]);

    let (kind, html) = export(app, token, commune, "html").await;
    assert!(kind.starts_with("text/html"));
    let html = String::from_utf8(html).unwrap();
    for expected in [
        "Tình hình tiếp nhận, trả kết quả giải quyết TTHC 6 tháng đầu năm 2024",
        "II. Kết quả tiếp nhận, giải quyết TTHC (từ ngày 01/01/2024 đến ngày 25/6/2024)",
        "Đã tiếp nhận 1.222 hồ sơ",
        "Tiếp nhận trực tuyến: 1.207 hồ sơ, chiếm tỷ lệ 98,77%",
        "Từ kỳ trước chuyển sang: 4 hồ sơ",
        "Giải quyết quá hạn: 41 hồ sơ, chiếm tỷ lệ 3,36% (vượt 0,36% so với tỷ lệ Chủ tịch UBND tỉnh giao là 3%)",
        "có 1.131/1.131 hồ sơ DVC trực tuyến một phần được nộp trực tuyến; có 76/76 hồ sơ DVC trực tuyến toàn trình",
        "Có 1.150/1.218 hồ sơ có số hóa đầy đủ thành phần hồ sơ khi tiếp nhận (đạt 94,42%), có 68 hồ sơ chưa thực hiện số hóa",
        "Người phụ trách: Trần Trung Cường (68 hồ sơ).",
        "Trần Trung Cường (252 hồ sơ)",
        "Phòng Lao động - Thương binh và Xã hội thành phố Quảng Ngãi (1 hồ sơ)",
        "có 341/411 lượt đánh giá mức độ “rất hài lòng”, chiếm tỷ lệ 82,97%",
        "I. Công tác chỉ đạo",
        "III. Nhiệm vụ thực hiện trong thời gian đến",
    ] {
        assert!(html.contains(expected), "the HTML lacks {expected:?}");
    }

    // The desk's own sections go in as given (and are escaped).
    let response = app
        .get_as(
            token,
            &format!(
                "/api/v1/reports/summary?agency_id={commune}&{SEED_PERIOD}&format=docx&direction=Ti%E1%BA%BFp%20t%E1%BB%A5c%20%3Cth%E1%BB%B1c%20hi%E1%BB%87n%3E&document_number=15%2FBC-BPMC"
            ),
        )
        .await;
    assert_eq!(response.status(), 200);
    let docx = response.bytes().await.unwrap();
    let text = docx_rs::read_docx(&docx).expect("the DOCX opens").json();
    for expected in ["Đã tiếp nhận 1.222 hồ sơ", "Tiếp tục <thực hiện>", "Số: 15/BC-BPMC"]
    {
        assert!(text.contains(expected), "the DOCX lacks {expected:?}");
    }
    // The footnotes are Word footnotes, in their own part of the package.
    let mut package = zip::ZipArchive::new(std::io::Cursor::new(docx.to_vec())).unwrap();
    let mut footnotes = String::new();
    std::io::Read::read_to_string(&mut package.by_name("word/footnotes.xml").unwrap(), &mut footnotes)
        .unwrap();
    assert!(footnotes.contains("Người phụ trách: Trần Trung Cường (68 hồ sơ)."), "{footnotes}");
    // Laid out as the HTML: named styles, "Nơi nhận" with the signature beside it (one row of a
    // table), the footnote marks superscript.
    let part = |package: &mut zip::ZipArchive<_>, name: &str| {
        let mut xml = String::new();
        std::io::Read::read_to_string(&mut package.by_name(name).unwrap(), &mut xml).unwrap();
        xml
    };
    let document = part(&mut package, "word/document.xml");
    for style in ["DocTitle", "SectionHeading", "BodyText", "SignatureBlock", "Recipients"] {
        assert!(document.contains(&format!("w:val=\"{style}\"")), "the DOCX lacks the style {style}");
    }
    assert!(same_row(&document, "<w:tr", "</w:tr>"), "the signature beside Nơi nhận in the DOCX");
    let styles = part(&mut package, "word/styles.xml");
    let mark = &styles[styles.find("w:styleId=\"FootnoteReference\"").expect("the footnote mark's style")..];
    assert!(mark[..mark.find("</w:style>").unwrap()].contains("superscript"), "{styles}");
    // The blanks the desk fills by hand, and the closing side by side in the HTML too.
    assert!(html.contains("Số: ……/BC-BPMC") && html.contains(", ngày …… tháng "), "{html}");
    assert!(same_row(&html, "<tr", "</tr>"), "the signature beside Nơi nhận in the HTML");
}

/// Whether "Nơi nhận:" and "TRƯỞNG BỘ PHẬN" stand in one row of a table.
fn same_row(text: &str, open: &str, close: &str) -> bool {
    let at = text.find("Nơi nhận:").expect("Nơi nhận");
    let start = text[..at].rfind(open).unwrap_or(at);
    let end = at + text[at..].find(close).unwrap_or(0);
    text[start..end].contains("TRƯỞNG BỘ PHẬN")
}

#[tokio::test]
async fn bad_report_requests_are_refused_with_the_field_named() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let province = app.create_agency(&admin, "P", "province", None).await;
    let summary = |q: &str| format!("/api/v1/reports/summary?{q}");
    for (query, status, field) in [
        (format!("agency_id={province}&from=2024-07-01&to=2024-06-30"), 422, "from"),
        (format!("agency_id={province}&from=2024-13-01&to=2024-06-30"), 400, "from"),
        (format!("agency_id={province}&from=2024-01-01"), 400, "to"),
        (format!("agency_id={province}&from=0999-01-01&to=2024-06-30"), 422, "from"),
        (format!("agency_id={province}&from=2024-01-01&to=2024-06-30&format=pdf"), 400, "format"),
        (
            format!("agency_id={province}&from=2024-01-01&to=2024-06-30&direction={}", "x".repeat(1001)),
            422,
            "direction",
        ),
        // Printed into the report document, where a control character is not valid XML.
        (
            format!("agency_id={province}&from=2024-01-01&to=2024-06-30&document_number=15%0A%1B"),
            422,
            "document_number",
        ),
        (format!("agency_id={province}&from=2024-01-01&to=2024-06-30&tasks_ahead=a%07b"), 422, "tasks_ahead"),
    ] {
        let response = app.get_as(&admin, &summary(&query)).await;
        assert_eq!(response.status(), status, "{query}");
        let body = problem(response).await;
        assert!(
            error_fields(&body).contains(&field.to_owned())
                || body["detail"].as_str().unwrap().contains(field),
            "{query}: {body}"
        );
    }
    let response = app.get_as(&admin, &summary("agency_id=nobody&from=2024-01-01&to=2024-06-30")).await;
    assert_eq!(response.status(), 404);
    problem(response).await;
    let response = app
        .get_as(&admin, &format!("/api/v1/reports/timeseries?agency_id={province}&from=2020-01-01&to=2024-06-30&granularity=day"))
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(error_fields(&problem(response).await), ["granularity"]);

    // An empty period is all zeros, and every rate without a denominator is null.
    let empty: Value = app
        .get_as(&admin, &summary(&format!("agency_id={province}&from=2024-01-01&to=2024-06-30")))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(empty["reception"]["total"], 0);
    assert_eq!(empty["reception"]["online_rate"], Value::Null);
    assert_eq!(empty["resolution"]["late_rate"], Value::Null);
    assert!(empty["targets"].as_array().unwrap().iter().all(|t| t["met"].is_null()));
}

#[tokio::test]
async fn targets_are_set_from_above_and_inherited() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let province = app.create_agency(&admin, "P", "province", None).await;
    let commune = app.create_agency(&admin, "C", "commune", Some(&province)).await;
    app.create_user(&admin, "chairman", "leader", Some(&province)).await;
    app.create_user(&admin, "desk", "leader", Some(&commune)).await;
    let chairman = app.login("chairman", crate::helpers::ADMIN_PASSWORD).await;
    let desk = app.login("desk", crate::helpers::ADMIN_PASSWORD).await;
    let target_of = |body: &Value, indicator: &str| {
        body["targets"].as_array().unwrap().iter().find(|t| t["indicator"] == indicator).unwrap().clone()
    };
    let put = |agency: &str, target: Value| json!({"agency_id": agency, "year": 2024, "targets": [{"indicator": "late_rate", "target": target}]});

    let defaults: Value = app
        .get_as(&desk, &format!("/api/v1/targets?agency_id={commune}&year=2024"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        target_of(&defaults, "late_rate"),
        json!({"indicator": "late_rate", "comparator": "<=", "target": 3.0, "set_by_agency_id": null})
    );
    assert_eq!(target_of(&defaults, "payment_dossier_rate")["target"], 95.0);

    // The province sets 2.5 for itself (an admin) and its communes inherit it.
    let response = app
        .send(reqwest::Method::PUT, "/api/v1/targets", Some(&admin), Some(&put(&province, json!(2.5))))
        .await;
    assert_eq!(response.status(), 200);
    let inherited: Value = app
        .get_as(&desk, &format!("/api/v1/targets?agency_id={commune}&year=2024"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(target_of(&inherited, "late_rate")["target"], 2.5);
    assert_eq!(target_of(&inherited, "late_rate")["set_by_agency_id"], province.as_str());
    let other_year: Value = app
        .get_as(&desk, &format!("/api/v1/targets?agency_id={commune}&year=2025"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(target_of(&other_year, "late_rate")["target"], 3.0, "targets are per year");

    // The province's leader sets the commune's own; the commune's leader may not set it.
    let response = app
        .send(reqwest::Method::PUT, "/api/v1/targets", Some(&chairman), Some(&put(&commune, json!(2))))
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(target_of(&response.json().await.unwrap(), "late_rate")["target"], 2.0);
    let response =
        app.send(reqwest::Method::PUT, "/api/v1/targets", Some(&desk), Some(&put(&commune, json!(10)))).await;
    assert_eq!(response.status(), 403);
    problem(response).await;
    let summary: Value = app
        .get_as(&desk, &format!("/api/v1/reports/summary?agency_id={commune}&from=2024-01-01&to=2024-06-30"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(target_of(&summary, "late_rate")["target"], 2.0, "the report judges by the agency's targets");

    // null removes the commune's own: the province's applies again.
    let response = app
        .send(reqwest::Method::PUT, "/api/v1/targets", Some(&chairman), Some(&put(&commune, Value::Null)))
        .await;
    assert_eq!(target_of(&response.json().await.unwrap(), "late_rate")["target"], 2.5);

    for (body, field) in [
        (put(&commune, json!(3.333)), "targets[0].target"),
        (put(&commune, json!(101)), "targets[0].target"),
        (
            json!({"agency_id": commune, "year": 3000, "targets": [{"indicator": "late_rate", "target": 1}]}),
            "year",
        ),
        (json!({"agency_id": commune, "year": 2024, "targets": []}), "targets"),
        (
            json!({"agency_id": commune, "year": 2024, "targets": [{"indicator": "late_rate", "target": 1}, {"indicator": "late_rate", "target": 2}]}),
            "targets[1].indicator",
        ),
    ] {
        let response = app.send(reqwest::Method::PUT, "/api/v1/targets", Some(&chairman), Some(&body)).await;
        assert_eq!(response.status(), 422, "{body}");
        assert_eq!(error_fields(&problem(response).await), [field], "{body}");
    }
    let response = app
        .send(reqwest::Method::PUT, "/api/v1/targets", Some(&chairman), Some(&json!({"agency_id": commune, "year": 2024, "targets": [{"indicator": "speed", "target": 1}]})))
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(error_fields(&problem(response).await), ["targets[0].indicator"]);
}

/// Generate a history of the first half of 2025 in three communes.
async fn try_generate(
    app: &TestApp,
    dossiers: u64,
    seed: u64,
) -> Result<motcua::generate::Generated, String> {
    app.with_library_db(move |db| {
        let day = |m, d| chrono::NaiveDate::from_ymd_opt(2025, m, d).unwrap();
        let options =
            motcua::generate::Options { dossiers, communes: 3, from: day(1, 1), to: day(6, 30), seed };
        motcua::generate::run(db, &options, &|_| {}).map_err(|e| e.to_string())
    })
    .await
}

pub(crate) async fn generate(app: &TestApp, dossiers: u64, seed: u64) -> motcua::generate::Generated {
    try_generate(app, dossiers, seed).await.unwrap()
}

/// Every generated dossier carries the trail the service would have recorded: numbered from 1,
/// in time order, each step one the lifecycle allows from the status before it, ending at the
/// dossier's status, one version per step; and the trail is served like any other.
#[tokio::test]
async fn a_generated_dossiers_trail_is_one_the_lifecycle_allows() {
    use motcua::dossiers::lifecycle::{Action, Facts, Status, next};
    let app = spawn_app().await;
    let generated = generate(&app, 600, 5).await;
    let (dossiers, steps) = app
        .with_library_db(|db| {
            use diesel::prelude::*;
            use motcua::db::schema::{dossier_history as h, dossiers as d};
            let mut conn = db.pool().get().unwrap();
            let dossiers: Vec<(String, String, i64)> =
                d::table.select((d::id, d::status, d::version)).load(&mut conn).unwrap();
            let steps: Vec<(String, i64, String, Option<String>, String, chrono::NaiveDateTime)> = h::table
                .order((h::dossier_id, h::seq))
                .select((h::dossier_id, h::seq, h::action, h::from_status, h::to_status, h::at))
                .load(&mut conn)
                .unwrap();
            (dossiers, steps)
        })
        .await;
    assert_eq!(dossiers.len(), 600);
    let mut actions_seen = std::collections::BTreeSet::new();
    for (id, status, version) in &dossiers {
        let trail: Vec<_> = steps.iter().filter(|s| &s.0 == id).collect();
        assert_eq!(trail.len() as i64, *version, "{id}: one version per step");
        let (intake, rest) = trail.split_first().expect("an intake step");
        assert_eq!((intake.1, intake.2.as_str(), &intake.3), (1, "intake", &None), "{id}");
        let mut at = Status::from_db(&intake.4).unwrap();
        let mut facts = Facts { accepted: at == Status::Processing, ..Facts::default() };
        for (seq, step) in (2..).zip(rest) {
            assert_eq!(step.1, seq, "{id}: numbered in order");
            assert!(step.5 >= trail[(seq - 2) as usize].5, "{id}: in time order");
            let action: Action = serde_json::from_value(json!(step.2)).unwrap();
            assert_eq!(step.3.as_deref(), Some(at.as_str()), "{id}: {} from the status before it", step.2);
            let after =
                next(at, facts, action).unwrap_or_else(|r| panic!("{id}: {} refused: {}", step.2, r.rule));
            assert_eq!(after.as_str(), step.4, "{id}: {}", step.2);
            facts.accepted |= action == Action::Accept;
            facts.supplement_requested_before |= action == Action::RequestSupplement;
            facts.apologized_before |= action == Action::Apologize;
            actions_seen.insert(step.2.clone());
            at = after;
        }
        assert_eq!(at.as_str(), status, "{id}: the trail ends at the dossier's status");
    }
    let every = [
        "accept",
        "request-supplement",
        "supplement",
        "reject",
        "withdraw",
        "apologize",
        "resolve",
        "return",
    ];
    assert_eq!(actions_seen, every.iter().map(|a| a.to_string()).collect(), "every kind of step");

    let leader = app.login(&generated.leader_username, motcua::generate::PASSWORD).await;
    let (id, _, version) = &dossiers[0];
    let served: Value =
        app.get_as(&leader, &format!("/api/v1/dossiers/{id}/history")).await.json().await.unwrap();
    let served = served["items"].as_array().unwrap();
    assert_eq!(served.len() as i64, *version, "the trail is served: {served:?}");
}

/// The synthetic history is what a report can digest: its figures balance, its parts add up, and
/// the same seed gives the same data.
#[tokio::test]
async fn generated_history_is_reproducible_and_reports_balance() {
    let (a, b) = (spawn_app().await, spawn_app().await);
    let generated = generate(&a, 900, 7).await;
    assert_eq!(generated.dossiers, 900);
    generate(&b, 900, 7).await;
    let leader_a = a.login(&generated.leader_username, motcua::generate::PASSWORD).await;
    let leader_b = b.login(&generated.leader_username, motcua::generate::PASSWORD).await;
    let path =
        format!("/api/v1/reports/summary?agency_id={}&from=2025-01-01&to=2025-06-30", generated.province_id);
    let s: Value = a.get_as(&leader_a, &path).await.json().await.unwrap();
    let again: Value = b.get_as(&leader_b, &path).await.json().await.unwrap();
    for part in ["reception", "resolution", "online_service", "payment", "satisfaction", "feedback"] {
        assert_eq!(s[part], again[part], "the same seed gives the same {part}");
    }
    let (r, res) = (&s["reception"], &s["resolution"]);
    let n = |v: &Value| v.as_i64().unwrap();
    assert!(n(&r["new"]) > 700, "most of the 900 are accepted: {r}");
    assert_eq!(n(&r["total"]), n(&res["resolved"]) + n(&res["withdrawn"]) + n(&res["in_progress"]));
    assert!(
        n(&res["late"]) > 0 && n(&res["late_with_apology"]) > 0 && n(&res["withdrawn"]) > 0,
        "every kind of path: {res}"
    );
    assert!(
        n(&s["online_service"]["acceptance"]["online_submitted"]) > n(&r["new_online"]),
        "some refused or withdrawn before acceptance"
    );
    assert!(n(&s["satisfaction"]["responses"]) > 0);
    let lines = s["by_field"].as_array().unwrap();
    assert_eq!(lines.iter().map(|l| n(&l["reception"]["total"])).sum::<i64>(), n(&r["total"]));
    assert_eq!(s["by_agency"].as_array().unwrap().len(), 3, "a line per commune");
    assert_lines_add_up(&s);
    let missing: i64 =
        s["digitization"]["missing_by_responsible"].as_array().unwrap().iter().map(|m| n(&m["result"])).sum();
    assert_eq!(
        missing,
        n(&s["digitization"]["result"]["eligible"]) - n(&s["digitization"]["result"]["digitized"])
    );

    // A second run with the same seed into the same database is refused, not doubled.
    let refused = try_generate(&a, 10, 7).await.err();
    assert!(refused.unwrap().contains("already holds"));
}

/// Every index and constraint of the schema as the database describes it, sorted.
fn schema_keys(db: &motcua::db::Db) -> Vec<String> {
    let mut lines = catalogue_lines(
        db,
        "SELECT c.relname || ': ' || pg_get_indexdef(c.oid) AS line FROM pg_index i
           JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relnamespace = current_schema()::regnamespace
         UNION ALL
         SELECT conrelid::regclass::text || '.' || conname || ': ' || pg_get_constraintdef(oid) AS line
           FROM pg_constraint WHERE connamespace = current_schema()::regnamespace",
        // Less the statistics tables, which generate's closing ANALYZE creates.
        "SELECT type || ' ' || name || ' on ' || tbl_name || ': ' || coalesce(sql, '') AS line FROM sqlite_master
         WHERE name NOT LIKE 'sqlite_stat%'",
    );
    lines.sort();
    lines
}

/// `generate` drops the keys and indexes of the tables it fills and builds them again after the
/// rows: the schema it leaves is the one the migrations made, to the letter.
#[tokio::test]
async fn generate_leaves_every_index_and_key_as_the_migrations_made_them() {
    let app = spawn_app().await;
    let before = app.with_library_db(schema_keys).await;
    assert!(before.iter().any(|l| l.contains("dossiers_agency_submitted_idx")), "{before:?}");
    generate(&app, 300, 3).await;
    let after = app.with_library_db(schema_keys).await;
    let gone: Vec<_> = before.iter().filter(|l| !after.contains(l)).collect();
    let new: Vec<_> = after.iter().filter(|l| !before.contains(l)).collect();
    assert!(gone.is_empty() && new.is_empty(), "gone: {gone:#?}\nnew: {new:#?}");
}

/// The counters and the plain definition give the same summary, for periods of every shape.
pub(crate) async fn assert_methods_agree(app: &TestApp, agency_id: &str, periods: &[(&str, &str)]) {
    let agency_id = agency_id.to_owned();
    let periods: Vec<(String, String)> =
        periods.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect();
    app.with_library_db(move |db| {
        use motcua::reports::service::{Method, summary_by};
        let mut conn = db.pool().get().unwrap();
        let calendars = motcua::calendar::cache::CalendarCache::default();
        let admin = motcua::auth::caller::Caller {
            id: "system".into(),
            kind: motcua::auth::tokens::SubjectKind::User,
            role: motcua::auth::role::Role::Admin,
            agency_id: None,
            agencies: Vec::new(),
            personal_data: false,
            profile: None,
        };
        for (from, to) in periods {
            let dates = (from.parse().unwrap(), to.parse().unwrap());
            let counted =
                summary_by(&mut conn, &calendars, &admin, &agency_id, dates, Method::Counters).unwrap();
            let plain = summary_by(&mut conn, &calendars, &admin, &agency_id, dates, Method::Plain).unwrap();
            // A period reaching today is judged "now", which moves between the two calls.
            let value = |summary| {
                let mut value = serde_json::to_value(summary).unwrap();
                value["period"]["as_of"] = Value::Null;
                value
            };
            assert_eq!(value(&counted), value(&plain), "{from}..{to}");
            assert_lines_add_up(&value(&counted));
            // The officers' lines too.
            use motcua::reports::service::officers_by;
            let [counted, plain] = [Method::Counters, Method::Plain].map(|method| {
                let report = officers_by(&mut conn, &admin, &agency_id, dates, method).unwrap();
                let mut value = serde_json::to_value(report).unwrap();
                value["period"]["as_of"] = Value::Null;
                value
            });
            assert_eq!(counted, plain, "officers {from}..{to}");
            // The time series too, from the counters, against the plain one over the period's dossiers.
            use motcua::reports::model::Granularity;
            use motcua::reports::{figures::series, store};
            for granularity in [Granularity::Month, Granularity::Week, Granularity::Day] {
                if matches!(granularity, Granularity::Day) && (dates.1 - dates.0).num_days() > 400 {
                    continue; // more buckets than a series serves
                }
                let counted =
                    motcua::reports::service::timeseries(&mut conn, &admin, &agency_id, dates, granularity)
                        .unwrap();
                let p =
                    motcua::reports::figures::Period::new(dates.0, dates.1, counted.period.as_of).unwrap();
                let covered = motcua::agencies::store::ids_in_scope(
                    &mut conn,
                    &motcua::auth::scope::Scope::Subtree(agency_id.clone()),
                )
                .unwrap()
                .unwrap_or_default();
                let procedures = store::procedure_infos(&mut conn).unwrap();
                let dossiers =
                    store::dossier_facts(&mut conn, &covered, &p, store::Select::Period, &procedures)
                        .unwrap();
                assert_eq!(
                    counted.buckets,
                    series::timeseries(&dossiers, &p, granularity),
                    "{from}..{to} {granularity:?}"
                );
            }
        }
    })
    .await;
}

#[tokio::test]
async fn the_counters_agree_with_the_plain_definition_on_the_demo() {
    let app = spawn_app().await;
    load_demo(&app).await;
    let admin = app.login("admin", motcua::demo::PASSWORD).await;
    let commune = agency_id(&app, &admin, motcua::demo::COMMUNE_CODE).await;
    let province = agency_id(&app, &admin, motcua::demo::PROVINCE_CODE).await;
    let periods = [
        ("2024-01-01", "2024-06-25"),
        ("2024-01-01", "2024-12-31"),
        ("2023-12-01", "2024-01-10"),
        ("2024-02-10", "2024-04-17"),
        ("2024-06-25", "2024-06-25"),
        ("2024-06-01", "2026-12-31"),
    ];
    assert_methods_agree(&app, &commune, &periods).await;
    assert_methods_agree(&app, &province, &periods[..2]).await;

    // Later steps move the counters too: digitize a result afterwards, take a step on an open dossier.
    let officer = app.login("vi.vh", motcua::demo::PASSWORD).await;
    let open: Value =
        app.get_as(&officer, "/api/v1/dossiers?status=processing&limit=1").await.json().await.unwrap();
    let id = open["items"][0]["id"].as_str().unwrap().to_owned();
    let response = app
        .post_as(
            &officer,
            &format!("/api/v1/dossiers/{id}/resolve"),
            &json!({"outcome": "approved", "result_digitized": false}),
        )
        .await;
    assert_eq!(response.status(), 200);
    let etag = response.headers()["etag"].to_str().unwrap().to_owned();
    let response = app
        .client
        .patch(app.url(&format!("/api/v1/dossiers/{id}")))
        .bearer_auth(&officer)
        .header("if-match", etag)
        .json(&json!({"result_digitized": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_methods_agree(&app, &commune, &[("2024-01-01", "2026-12-31"), ("2026-11-01", "2026-11-30")]).await;

    // A database whose counters are missing (from before they existed) gets them back at start.
    app.with_library_db(|db| {
        use diesel::RunQueryDsl;
        diesel::sql_query("DELETE FROM report_counts").execute(&mut db.pool().get().unwrap()).unwrap();
    })
    .await;
    // Opening the database again is a start-up.
    app.with_library_db(|_| ()).await;
    assert_methods_agree(&app, &commune, &[("2024-01-01", "2024-06-25"), ("2024-01-01", "2026-12-31")]).await;
}

#[tokio::test]
async fn the_counters_agree_with_the_plain_definition_on_a_generated_history() {
    let app = spawn_app().await;
    let generated = generate(&app, 1500, 11).await;
    assert_methods_agree(
        &app,
        &generated.province_id,
        &[
            ("2025-01-01", "2025-06-30"),
            ("2025-02-14", "2025-05-20"),
            ("2025-03-01", "2025-03-31"),
            ("2024-12-01", "2025-01-15"),
        ],
    )
    .await;
}

/// Agency and officer names that a spreadsheet would run as formulas reach the CSV export
/// neutralised: no cell begins with `=`, `+`, `-`, `@`, a tab or a carriage return.
#[tokio::test]
async fn csv_exports_carry_no_live_formula() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let province = app.create_agency(&admin, "P01", "province", None).await;
    let agency = json!({"code": "P01.C01", "name": "=HYPERLINK(\"http://x\",\"y\")", "level": "commune", "parent_id": province});
    let created = app.post_as(&admin, "/api/v1/agencies", &agency).await;
    assert_eq!(created.status(), 201);
    let commune = created.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
    let officer = json!({
        "username": "cong.thuc", "password": crate::helpers::ADMIN_PASSWORD, "full_name": "+SUM(1,2)",
        "role": "officer", "agency_id": commune,
    });
    assert_eq!(app.post_as(&admin, "/api/v1/users", &officer).await.status(), 201);
    let token = app.login("cong.thuc", crate::helpers::ADMIN_PASSWORD).await;
    let procedure = app.birth_procedure(&admin).await;
    let dossier = json!({
        "procedure_id": procedure, "agency_id": commune, "channel": "direct",
        "applicant": {"kind": "citizen", "full_name": "@Nguyễn Văn An"},
        "components": [{"name": "Tờ khai", "digitized": false}],
    });
    assert_eq!(app.post_as(&token, "/api/v1/dossiers", &dossier).await.status(), 201);

    let today = chrono::Utc::now().with_timezone(&motcua::clock::vietnam()).date_naive();
    let path = format!("/api/v1/reports/summary?agency_id={commune}&from={today}&to={today}&format=csv");
    let response = app.get_as(&admin, &path).await;
    assert_eq!(response.status(), 200);
    let text = response.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let cells: Vec<String> = reader
        .records()
        .flat_map(|record| record.unwrap().iter().map(str::to_owned).collect::<Vec<_>>())
        .collect();
    let live =
        |cell: &&String| cell.starts_with(['=', '+', '-', '@', '\t', '\r']) && cell.parse::<f64>().is_err();
    assert_eq!(cells.iter().filter(live).collect::<Vec<_>>(), Vec::<&String>::new(), "{text}");
    assert!(
        cells.iter().any(|c| c == "'=HYPERLINK(\"http://x\",\"y\")"),
        "the agency's name, readable: {text}"
    );
    assert!(
        cells.iter().any(|c| c.contains("'+SUM(1,2)")),
        "the officer who answers for digitization: {text}"
    );
}
