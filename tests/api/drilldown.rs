//! The dossiers behind the summary's figures: for every figure, on the demo and on a generated
//! history, the list holds exactly as many dossiers as the summary says; as files, the whole list,
//! recorded in the audit trail; bad requests are refused naming the parameter.

use std::collections::HashSet;

use serde_json::Value;

use crate::helpers::{TestApp, error_fields, problem, spawn_app};
use crate::reports::{SEED_PERIOD, agency_id, generate, load_demo};

/// A figure's value read off the summary's JSON by its name: its path, or for `missing`
/// `eligible − digitized`.
fn value_of(summary: &Value, figure: &str) -> i64 {
    if let Some(stage) = figure.strip_prefix("digitization.").and_then(|f| f.strip_suffix(".missing")) {
        let part = &summary["digitization"][stage];
        return part["eligible"].as_i64().unwrap() - part["digitized"].as_i64().unwrap();
    }
    let mut value = summary;
    for key in figure.split('.') {
        value = &value[key];
    }
    value.as_i64().unwrap_or_else(|| panic!("{figure} is not a count of the summary"))
}

/// Every figure that can be listed, with its value in the summary: the counts of dossiers, and
/// each line of `missing_by_responsible` at reception and of results.
fn figures(summary: &Value) -> Vec<(String, i64)> {
    let mut out: Vec<(String, i64)> = motcua::reports::figures::membership::COUNTS
        .iter()
        .map(|count| (count.name.to_owned(), value_of(summary, count.name)))
        .collect();
    for line in summary["digitization"]["missing_by_responsible"].as_array().unwrap() {
        let id = line["responsible"]["id"].as_str().unwrap();
        for stage in ["reception", "result"] {
            out.push((
                format!("digitization.{stage}.missing_by_responsible.{id}"),
                line[stage].as_i64().unwrap(),
            ));
        }
    }
    out
}

async fn summary(app: &TestApp, token: &str, agency: &str, period: &str) -> Value {
    let response = app.get_as(token, &format!("/api/v1/reports/summary?agency_id={agency}&{period}")).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

/// Every dossier listed for a figure, walking the pages of `limit`.
async fn list(
    app: &TestApp,
    token: &str,
    agency: &str,
    period: &str,
    figure: &str,
    limit: u32,
) -> Vec<Value> {
    let mut items = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let after = cursor.as_ref().map(|c| format!("&cursor={c}")).unwrap_or_default();
        let path = format!(
            "/api/v1/reports/summary/dossiers?agency_id={agency}&{period}&figure={figure}&limit={limit}{after}"
        );
        let response = app.get_as(token, &path).await;
        assert_eq!(response.status(), 200, "{path}");
        let page: Value = response.json().await.unwrap();
        let page_items = page["items"].as_array().unwrap();
        assert!(page_items.len() <= limit as usize);
        items.extend(page_items.iter().cloned());
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    let ids: HashSet<&str> = items.iter().map(|d| d["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), items.len(), "{figure}: no dossier twice");
    items
}

/// The ids of a figure's whole list as a file (CSV), in its order.
async fn whole_list(app: &TestApp, token: &str, agency: &str, period: &str, figure: &str) -> Vec<String> {
    let path =
        format!("/api/v1/reports/summary/dossiers?agency_id={agency}&{period}&figure={figure}&format=csv");
    let response = app.get_as(token, &path).await;
    assert_eq!(response.status(), 200, "{path}");
    let text = response.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let id = reader.headers().unwrap().iter().position(|h| h == "id").expect("an id column");
    reader.records().map(|r| r.unwrap()[id].to_owned()).collect()
}

/// For every figure of the summary of `agency` over `period`, the list walked in pages of 7 (so
/// that a page's candidates take several chunks) is as long as the figure, and is the whole list
/// of the file, in the same order.
async fn assert_every_figure_lists_its_dossiers(app: &TestApp, token: &str, agency: &str, period: &str) {
    let s = summary(app, token, agency, period).await;
    for (figure, value) in figures(&s) {
        let listed = list(app, token, agency, period, &figure, 7).await;
        assert_eq!(listed.len() as i64, value, "{figure} over {period}");
        let ids: Vec<&str> = listed.iter().map(|d| d["id"].as_str().unwrap()).collect();
        assert_eq!(ids, whole_list(app, token, agency, period, &figure).await, "{figure} over {period}");
    }
}

#[tokio::test]
async fn every_figure_of_the_demo_lists_its_dossiers() {
    let app = spawn_app().await;
    load_demo(&app).await;
    let leader = app.login("lanhdao", motcua::demo::PASSWORD).await;
    let commune = agency_id(&app, &leader, motcua::demo::COMMUNE_CODE).await;
    assert_every_figure_lists_its_dossiers(&app, &leader, &commune, SEED_PERIOD).await;

    // The seed's figures, as a leader opens them: the 41 late, each as the dossier list shows it.
    let late = list(&app, &leader, &commune, SEED_PERIOD, "resolution.late", 500).await;
    assert_eq!(late.len(), 41);
    for dossier in &late {
        assert!(dossier["resolved_at"].as_str().unwrap() > dossier["due_at"].as_str().unwrap(), "{dossier}");
        assert!(dossier["code"].as_str().is_some() && dossier["applicant"]["full_name"].as_str().is_some());
    }
    let without_apology =
        list(&app, &leader, &commune, SEED_PERIOD, "resolution.late_without_apology", 500).await;
    assert_eq!(without_apology.len(), 41);
    // Small pages walk to the same list, in the dossier list's order (newest submission first).
    let paged = list(&app, &leader, &commune, SEED_PERIOD, "resolution.late", 7).await;
    assert_eq!(paged, late);
    let submitted: Vec<&str> = late.iter().map(|d| d["submitted_at"].as_str().unwrap()).collect();
    assert!(submitted.windows(2).all(|w| w[0] >= w[1]), "{submitted:?}");

    // The footnotes: 68 at reception on one officer; 252, 3, 3 and 1 on results.
    let s = summary(&app, &leader, &commune, SEED_PERIOD).await;
    let mut by_line: Vec<i64> = Vec::new();
    for line in s["digitization"]["missing_by_responsible"].as_array().unwrap() {
        let id = line["responsible"]["id"].as_str().unwrap();
        for stage in ["reception", "result"] {
            let figure = format!("digitization.{stage}.missing_by_responsible.{id}");
            by_line.push(list(&app, &leader, &commune, SEED_PERIOD, &figure, 500).await.len() as i64);
        }
    }
    assert_eq!(by_line, [68, 252, 0, 3, 0, 3, 0, 1]);

    // The province covers the commune.
    let admin = app.login("admin", motcua::demo::PASSWORD).await;
    let province = agency_id(&app, &admin, motcua::demo::PROVINCE_CODE).await;
    assert_eq!(list(&app, &admin, &province, SEED_PERIOD, "resolution.late", 500).await.len(), 41);
}

#[tokio::test]
async fn the_whole_list_as_a_file_is_recorded_as_an_export() {
    let app = spawn_app().await;
    load_demo(&app).await;
    let leader = app.login("lanhdao", motcua::demo::PASSWORD).await;
    let commune = agency_id(&app, &leader, motcua::demo::COMMUNE_CODE).await;
    let path = |format: &str| {
        format!(
            "/api/v1/reports/summary/dossiers?agency_id={commune}&{SEED_PERIOD}&figure=resolution.late&format={format}&limit=5"
        )
    };
    let late = list(&app, &leader, &commune, SEED_PERIOD, "resolution.late", 500).await;

    let response = app.get_as(&leader, &path("csv")).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "text/csv; charset=utf-8");
    assert!(response.headers()["content-disposition"].to_str().unwrap().contains("resolution.late"));
    let text = response.text().await.unwrap();
    let text = text.strip_prefix('\u{feff}').expect("the CSV starts with the BOM, for Excel");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let head: Vec<String> = reader.headers().unwrap().iter().map(str::to_owned).collect();
    assert_eq!(&head[..5], ["code", "agency", "procedure_code", "procedure", "applicant"]);
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), 41, "the whole list, whatever `limit` says");
    let codes: Vec<&str> = records.iter().map(|r| &r[0]).collect();
    let listed: Vec<&str> = late.iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert_eq!(codes, listed);
    assert!(records.iter().all(|r| !r[3].is_empty() && !r[4].is_empty()), "procedure and applicant named");
    let vietnamese = app.get_as(&leader, &format!("{}&lang=vi", path("csv"))).await.text().await.unwrap();
    assert!(vietnamese.starts_with("\u{feff}Mã hồ sơ,Cơ quan,Mã thủ tục,Thủ tục,Người nộp,"), "{vietnamese}");

    let response = app.get_as(&leader, &path("xlsx")).await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    use calamine::{Data, Reader, Xlsx};
    let mut workbook = Xlsx::new(std::io::Cursor::new(response.bytes().await.unwrap().to_vec())).unwrap();
    let sheet = workbook.worksheet_range("Hồ sơ").expect("the sheet is there");
    let codes: Vec<String> = sheet
        .rows()
        .skip(3)
        .map(|row| match &row[0] {
            Data::String(code) => code.clone(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(codes, listed);

    // The three exports are in the audit trail; reading a page is not an export.
    let admin = app.login("admin", motcua::demo::PASSWORD).await;
    let trail: Value = app.get_as(&admin, "/api/v1/audit?action=export").await.json().await.unwrap();
    let exports = trail["items"].as_array().unwrap();
    assert_eq!(exports.len(), 3, "{trail}");
    for export in exports {
        assert_eq!(export["subject_type"], "report");
        assert_eq!(export["subject_id"], commune.as_str());
        assert_eq!(export["details"]["report"], "summary_dossiers");
        assert_eq!(export["details"]["figure"], "resolution.late");
        assert_eq!(export["details"]["rows"], 41);
    }
}

#[tokio::test]
async fn every_figure_of_a_generated_history_lists_its_dossiers() {
    let app = spawn_app().await;
    let generated = generate(&app, 600, 5).await;
    let leader = app.login(&generated.leader_username, motcua::generate::PASSWORD).await;
    for period in ["from=2025-01-01&to=2025-06-30", "from=2025-03-10&to=2025-04-20"] {
        assert_every_figure_lists_its_dossiers(&app, &leader, &generated.province_id, period).await;
    }
}

/// Pages of any size, followed from cursor to cursor, walk the whole list of the file in its order:
/// dense and sparse figures, over a period with dossiers submitted after it, the candidates of a
/// page read in one chunk or in several.
#[tokio::test]
async fn pages_of_any_size_walk_the_whole_list_in_order() {
    let app = spawn_app().await;
    let generated = generate(&app, 1500, 11).await;
    let leader = app.login(&generated.leader_username, motcua::generate::PASSWORD).await;
    let province = &generated.province_id;
    let period = "from=2025-02-01&to=2025-05-31";
    let s = summary(&app, &leader, province, period).await;
    for figure in [
        "reception.total",
        "resolution.late",
        "resolution.in_progress_overdue",
        "reception.carried_over",
        "online_service.acceptance.online_submitted",
        "digitization.reception.missing",
    ] {
        let whole = whole_list(&app, &leader, province, period, figure).await;
        assert_eq!(whole.len() as i64, value_of(&s, figure), "{figure}");
        for limit in [1, 7, 255, 500] {
            let listed = list(&app, &leader, province, period, figure, limit).await;
            let ids: Vec<&str> = listed.iter().map(|d| d["id"].as_str().unwrap()).collect();
            assert_eq!(ids, whole, "{figure} in pages of {limit}");
        }
    }
    assert!(value_of(&s, "reception.total") > 256, "more than a chunk: {s}");
}

#[tokio::test]
async fn bad_requests_are_refused_naming_the_parameter() {
    let app = spawn_app().await;
    load_demo(&app).await;
    let leader = app.login("lanhdao", motcua::demo::PASSWORD).await;
    let commune = agency_id(&app, &leader, motcua::demo::COMMUNE_CODE).await;
    let base = format!("/api/v1/reports/summary/dossiers?agency_id={commune}");
    for (query, status, field) in [
        ("&from=2024-01-01&to=2024-06-25&figure=resolution.late_rate", 422, "figure"),
        ("&from=2024-01-01&to=2024-06-25&figure=satisfaction.responses", 422, "figure"),
        ("&from=2024-01-01&to=2024-06-25&figure=digitization.result.missing_by_responsible.", 422, "figure"),
        ("&from=2024-01-01&to=2024-06-25", 400, "figure"),
        ("&from=2024-06-25&to=2024-01-01&figure=resolution.late", 422, "from"),
        ("&from=2024-01-01&to=2024-06-25&figure=resolution.late&limit=0", 400, "limit"),
        ("&from=2024-01-01&to=2024-06-25&figure=resolution.late&cursor=%21%21", 400, "cursor"),
        ("&from=2024-01-01&to=2024-06-25&figure=resolution.late&format=docx", 400, "format"),
        ("&from=2024-01-01&to=2024-06-25&figure=resolution.late&colour=red", 400, "colour"),
    ] {
        let response = app.get_as(&leader, &format!("{base}{query}")).await;
        assert_eq!(response.status(), status, "{query}");
        let problem = problem(response).await;
        assert_eq!(error_fields(&problem), [field], "{query}: {problem}");
    }
    // The refusal of a figure lists the figures.
    let response = app.get_as(&leader, &format!("{base}&from=2024-01-01&to=2024-06-25&figure=late")).await;
    let problem = problem(response).await;
    let message = problem["errors"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("resolution.late_without_apology") && message.contains("missing_by_responsible")
    );

    // A line for someone who answers for nothing is an empty list, not an error.
    let path = format!("{base}&{SEED_PERIOD}&figure=digitization.result.missing_by_responsible.nobody");
    let page: Value = app.get_as(&leader, &path).await.json().await.unwrap();
    assert_eq!(page, serde_json::json!({"items": [], "next_cursor": null}));
}
