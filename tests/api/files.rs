//! A dossier's files through HTTP: upload, list, download (names, ranges, conditions), signed
//! links, removal, the digitization they give, history and events, refusals, and the sweeper.
//! The store is a directory of the test's own, or the S3-compatible server `.ci/run` starts.

use std::time::Duration;

use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

use crate::helpers::{
    ADMIN_PASSWORD, Desk, TestApp, desk, error_fields, outbox, problem, spawn_app, spawn_app_with,
    submit_dossier,
};

/// A small but genuine PDF header followed by `n` bytes of content.
fn pdf(n: usize, seed: u8) -> Vec<u8> {
    let mut bytes = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n".to_vec();
    bytes.extend((0..n).map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed)));
    bytes
}

fn png(seed: u8) -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    bytes.extend((0..4000u32).map(|i| (i as u8) ^ seed));
    bytes
}

fn form(kind: &str, component: Option<i64>, name: &str, bytes: Vec<u8>) -> Form {
    // Browsers send the name as UTF-8, not percent-encoded.
    let mut form = Form::new().percent_encode_noop().text("kind", kind.to_owned());
    if let Some(i) = component {
        form = form.text("component", i.to_string());
    }
    form.part("file", Part::bytes(bytes).file_name(name.to_owned()))
}

async fn upload(app: &TestApp, token: &str, dossier: &str, form: Form) -> reqwest::Response {
    app.client
        .post(app.url(&format!("/api/v1/dossiers/{dossier}/files")))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .unwrap()
}

async fn uploaded(app: &TestApp, token: &str, dossier: &str, form: Form) -> Value {
    let response = upload(app, token, dossier, form).await;
    assert_eq!(response.status(), 201);
    response.json().await.unwrap()
}

fn desk_dossier(desk: &Desk, channel: &str) -> Value {
    json!({
        "procedure_id": desk.procedure, "agency_id": desk.commune, "channel": channel,
        "applicant": {"kind": "citizen", "full_name": "Nguyễn Văn Án"},
        "components": [{"name": "Tờ khai"}, {"name": "Giấy chứng sinh"}],
    })
}

/// A desk and a dossier received there (accepted at once), with two components on paper.
async fn desk_with_a_dossier() -> (TestApp, Desk, String) {
    let app = spawn_app().await;
    let desk = desk(&app).await;
    let id = submit_dossier(&app, &desk.officer, &desk_dossier(&desk, "direct")).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    (app, desk, id)
}

async fn dossier(app: &TestApp, token: &str, id: &str) -> Value {
    app.get_as(token, &format!("/api/v1/dossiers/{id}")).await.json().await.unwrap()
}

async fn history_actions(app: &TestApp, token: &str, id: &str) -> Vec<String> {
    let history: Value =
        app.get_as(token, &format!("/api/v1/dossiers/{id}/history")).await.json().await.unwrap();
    history["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap().to_owned()).collect()
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

#[tokio::test]
async fn a_scan_is_kept_handed_back_under_its_name_and_digitizes_its_component() {
    let app = spawn_app().await;
    let desk = desk(&app).await;
    let created = submit_dossier(&app, &desk.officer, &desk_dossier(&desk, "direct")).await;
    let id = created["id"].as_str().unwrap();
    assert_eq!(created["reception_digitized"], false);

    let scan = pdf(300_000, 1);
    let response = upload(
        &app,
        &desk.officer,
        id,
        form("component", Some(0), "Tờ khai đăng ký khai sinh.pdf", scan.clone()),
    )
    .await;
    assert_eq!(response.status(), 201);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let file: Value = response.json().await.unwrap();
    assert_eq!(location, format!("/api/v1/dossiers/{id}/files/{}", file["id"].as_str().unwrap()));
    assert_eq!(file["kind"], "component");
    assert_eq!(file["component"], 0);
    assert_eq!(file["file_name"], "Tờ khai đăng ký khai sinh.pdf");
    assert_eq!(file["content_type"], "application/pdf");
    assert_eq!(file["size"], scan.len());
    assert_eq!(file["sha256"], sha256_hex(&scan));
    assert_eq!(file["uploaded_by"], desk.officer_id.as_str());
    let half = dossier(&app, &desk.officer, id).await;
    assert_eq!(half["components"][0]["digitized"], true);
    assert_eq!(half["reception_digitized"], false, "the second component is still on paper");

    let download = app.get_as(&desk.officer, &location).await;
    assert_eq!(download.status(), 200);
    let headers = download.headers().clone();
    assert_eq!(headers["etag"].to_str().unwrap(), format!("\"{}\"", sha256_hex(&scan)));
    assert_eq!(headers["content-type"].to_str().unwrap(), "application/pdf");
    assert_eq!(headers["accept-ranges"].to_str().unwrap(), "bytes");
    let disposition = headers["content-disposition"].to_str().unwrap();
    assert!(
        disposition
            .contains("filename*=UTF-8''T%E1%BB%9D%20khai%20%C4%91%C4%83ng%20k%C3%BD%20khai%20sinh.pdf"),
        "{disposition}"
    );
    assert!(disposition.contains("filename=\"To khai dang ky khai sinh.pdf\""), "{disposition}");
    assert_eq!(download.bytes().await.unwrap().as_ref(), scan.as_slice());

    let photo = png(7);
    let second =
        uploaded(&app, &desk.officer, id, form("component", Some(1), "giay-chung-sinh.png", photo.clone()))
            .await;
    assert_eq!(second["content_type"], "image/png");
    let whole = dossier(&app, &desk.officer, id).await;
    assert_eq!(
        whole["reception_digitized"], true,
        "every component has a file while the dossier is processed"
    );

    // The same bytes again: the file already there, not a copy.
    let again = upload(&app, &desk.officer, id, form("component", Some(1), "lại.png", photo)).await;
    assert_eq!(again.status(), 200);
    let again: Value = again.json().await.unwrap();
    assert_eq!(again["id"], second["id"]);
    let list: Value =
        app.get_as(&desk.officer, &format!("/api/v1/dossiers/{id}/files")).await.json().await.unwrap();
    let ids: Vec<&str> =
        list["items"].as_array().unwrap().iter().map(|f| f["id"].as_str().unwrap()).collect();
    assert_eq!(ids, [file["id"].as_str().unwrap(), second["id"].as_str().unwrap()]);

    let actions = history_actions(&app, &desk.officer, id).await;
    assert_eq!(actions.iter().filter(|a| *a == "file_added").count(), 2, "{actions:?}");
    assert!(actions.contains(&"file_downloaded".to_owned()), "{actions:?}");
    let events = outbox(&app, id).await;
    assert_eq!(events.iter().filter(|e| *e == "dossier.file_added").count(), 2, "{events:?}");

    // The receipt lists each component with its files.
    let receipt: Value = app
        .get_as(&desk.officer, &format!("/api/v1/dossiers/{id}/receipt?format=json"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(receipt["components"][0]["files"], json!(["Tờ khai đăng ký khai sinh.pdf"]));
    assert_eq!(receipt["components"][1]["files"], json!(["giay-chung-sinh.png"]));
    let slip =
        app.get_as(&desk.officer, &format!("/api/v1/dossiers/{id}/receipt")).await.text().await.unwrap();
    assert!(slip.contains("Tệp: Tờ khai đăng ký khai sinh.pdf"), "{slip}");
}

#[tokio::test]
async fn scans_sent_side_by_side_are_all_kept_and_the_same_scan_twice_is_one_file() {
    let (app, desk, id) = desk_with_a_dossier().await;
    let sends = (0..6u8).map(|n| {
        upload(
            &app,
            &desk.officer,
            &id,
            form("component", Some(i64::from(n % 2)), "trang.pdf", pdf(20_000, n)),
        )
    });
    for response in futures_util::future::join_all(sends).await {
        assert_eq!(response.status(), 201);
    }
    let twice = (0..4)
        .map(|_| upload(&app, &desk.officer, &id, form("component", Some(0), "same.pdf", pdf(20_000, 99))));
    let statuses: Vec<u16> =
        futures_util::future::join_all(twice).await.iter().map(|r| r.status().as_u16()).collect();
    assert_eq!(statuses.iter().filter(|s| **s == 201).count(), 1, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 3, "{statuses:?}");
    let list: Value =
        app.get_as(&desk.officer, &format!("/api/v1/dossiers/{id}/files")).await.json().await.unwrap();
    assert_eq!(list["items"].as_array().unwrap().len(), 7);
    assert_eq!(dossier(&app, &desk.officer, &id).await["reception_digitized"], true);
}

#[tokio::test]
async fn downloads_honour_ranges_and_conditions() {
    let (app, desk, id) = desk_with_a_dossier().await;
    let bytes = pdf(1000, 3);
    let file = uploaded(&app, &desk.officer, &id, form("component", Some(0), "a.pdf", bytes.clone())).await;
    let path = format!("/api/v1/dossiers/{id}/files/{}", file["id"].as_str().unwrap());
    let get = |range: Option<&str>, if_none_match: Option<&str>| {
        let mut request = app.client.get(app.url(&path)).bearer_auth(&desk.officer);
        if let Some(range) = range {
            request = request.header("Range", range);
        }
        if let Some(tag) = if_none_match {
            request = request.header("If-None-Match", tag);
        }
        request.send()
    };
    let size = bytes.len();

    let first = get(Some("bytes=0-9"), None).await.unwrap();
    assert_eq!(first.status(), 206);
    assert_eq!(first.headers()["content-range"].to_str().unwrap(), format!("bytes 0-9/{size}"));
    assert_eq!(first.bytes().await.unwrap().as_ref(), &bytes[..10]);
    let tail = get(Some("bytes=-5"), None).await.unwrap();
    assert_eq!(tail.status(), 206);
    assert_eq!(tail.bytes().await.unwrap().as_ref(), &bytes[size - 5..]);
    let middle = get(Some(&format!("bytes=100-{}", size + 50)), None).await.unwrap();
    assert_eq!(middle.bytes().await.unwrap().as_ref(), &bytes[100..], "clamped to the end");

    let past = get(Some(&format!("bytes={size}-")), None).await.unwrap();
    assert_eq!(past.status(), 416);
    assert_eq!(past.headers()["content-range"].to_str().unwrap(), format!("bytes */{size}"));
    problem(past).await;

    let etag = format!("\"{}\"", file["sha256"].as_str().unwrap());
    let unchanged = get(None, Some(&etag)).await.unwrap();
    assert_eq!(unchanged.status(), 304);
    assert!(unchanged.bytes().await.unwrap().is_empty());

    // Only the first byte starts a download in the history: a viewer's later ranges do not.
    let downloads =
        history_actions(&app, &desk.officer, &id).await.iter().filter(|a| *a == "file_downloaded").count();
    assert_eq!(downloads, 2, "bytes=0-9 and the conditional request");
}

#[tokio::test]
async fn a_signed_link_opens_one_file_without_the_token_and_nothing_else() {
    let (app, desk, id) = desk_with_a_dossier().await;
    let bytes = pdf(5000, 9);
    let file =
        uploaded(&app, &desk.officer, &id, form("component", Some(0), "Kết quả.pdf", bytes.clone())).await;
    let file_id = file["id"].as_str().unwrap();

    let issued =
        app.post_as(&desk.officer, &format!("/api/v1/dossiers/{id}/files/{file_id}/link"), &json!({})).await;
    assert_eq!(issued.status(), 201);
    let link: Value = issued.json().await.unwrap();
    let url = link["url"].as_str().unwrap();
    assert!(url.starts_with("/api/v1/file-links/"), "{url}");
    let expires = chrono::DateTime::parse_from_rfc3339(link["expires_at"].as_str().unwrap()).unwrap();
    assert!(expires > chrono::Utc::now() && expires < chrono::Utc::now() + chrono::Duration::minutes(6));

    let opened = app.get(url).await;
    assert_eq!(opened.status(), 200);
    assert!(
        opened.headers()["content-disposition"].to_str().unwrap().contains("K%E1%BA%BFt%20qu%E1%BA%A3.pdf")
    );
    assert_eq!(opened.bytes().await.unwrap().as_ref(), bytes.as_slice());

    let mut altered = url.to_owned();
    altered.insert(url.len() - 3, 'x');
    assert_eq!(problem(app.get(&altered).await).await["status"], 404);
    // An access token is not a link.
    assert_eq!(app.get(&format!("/api/v1/file-links/{}", desk.officer)).await.status(), 404);

    let actions = history_actions(&app, &desk.officer, &id).await;
    assert!(actions.contains(&"file_link_issued".to_owned()), "{actions:?}");
    let history: Value =
        app.get_as(&desk.officer, &format!("/api/v1/dossiers/{id}/history")).await.json().await.unwrap();
    let via_link =
        history["items"].as_array().unwrap().iter().find(|e| e["action"] == "file_downloaded").unwrap();
    assert_eq!(
        via_link["actor_id"],
        desk.officer_id.as_str(),
        "recorded in the name of whom the link was issued to"
    );
}

#[tokio::test]
async fn bad_uploads_answer_problems_that_name_what_is_wrong() {
    let app = spawn_app_with(|s| s.files_max_bytes = 200_000).await;
    let desk = desk(&app).await;
    let id = submit_dossier(&app, &desk.officer, &desk_dossier(&desk, "direct")).await["id"]
        .as_str()
        .unwrap()
        .to_owned();

    let exe = upload(
        &app,
        &desk.officer,
        &id,
        form("component", Some(0), "scan.pdf", b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xFF\xFF\0\0".repeat(50)),
    )
    .await;
    assert_eq!(exe.status(), 415);
    let detail = problem(exe).await["detail"].as_str().unwrap().to_owned();
    assert!(detail.contains("application/"), "names what was found: {detail}");

    let empty = upload(&app, &desk.officer, &id, form("component", Some(0), "a.pdf", Vec::new())).await;
    assert_eq!(error_fields(&problem(empty).await), ["file"]);

    let big = upload(&app, &desk.officer, &id, form("component", Some(0), "big.pdf", pdf(190_000, 1))).await;
    assert_eq!(big.status(), 201, "under the limit");
    let too_big =
        upload(&app, &desk.officer, &id, form("component", Some(1), "big.pdf", pdf(300_000, 2))).await;
    assert_eq!(problem(too_big).await["status"], 413, "refused from its Content-Length");
    let just_over =
        upload(&app, &desk.officer, &id, form("component", Some(1), "big.pdf", pdf(205_000, 2))).await;
    assert_eq!(problem(just_over).await["status"], 413, "refused as its bytes arrive");

    let no_kind = Form::new().part("file", Part::bytes(pdf(10, 4)).file_name("a.pdf"));
    assert_eq!(error_fields(&problem(upload(&app, &desk.officer, &id, no_kind).await).await), ["kind"]);
    let bad_kind = form("scan", Some(0), "a.pdf", pdf(10, 5));
    assert_eq!(error_fields(&problem(upload(&app, &desk.officer, &id, bad_kind).await).await), ["kind"]);
    let out_of_range = form("component", Some(2), "a.pdf", pdf(10, 6));
    assert_eq!(
        error_fields(&problem(upload(&app, &desk.officer, &id, out_of_range).await).await),
        ["component"]
    );
    let no_file = Form::new().text("kind", "component").text("component", "0");
    assert_eq!(error_fields(&problem(upload(&app, &desk.officer, &id, no_file).await).await), ["file"]);
    let extra = form("component", Some(0), "a.pdf", pdf(10, 7)).text("owner", "me");
    assert_eq!(error_fields(&problem(upload(&app, &desk.officer, &id, extra).await).await), ["owner"]);

    let json = app
        .post_as(&desk.officer, &format!("/api/v1/dossiers/{id}/files"), &json!({"kind": "component"}))
        .await;
    assert_eq!(problem(json).await["status"], 415);
    let truncated = app
        .client
        .post(app.url(&format!("/api/v1/dossiers/{id}/files")))
        .bearer_auth(&desk.officer)
        .header("Content-Type", "multipart/form-data; boundary=XyZ")
        .body("--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\r\n%PDF-1.4 and then nothing")
        .send()
        .await
        .unwrap();
    assert_eq!(problem(truncated).await["status"], 400);

    // Only the one accepted upload is stored: every refusal left nothing behind.
    let list: Value =
        app.get_as(&desk.officer, &format!("/api/v1/dossiers/{id}/files")).await.json().await.unwrap();
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    if let crate::helpers::TestFiles::Directory(dir) = &app.files {
        let objects = walk(dir.path());
        assert_eq!(objects.len(), 1, "{objects:?}");
    }
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() { found.extend(walk(&path)) } else { found.push(path) }
    }
    found
}

#[tokio::test]
async fn results_attach_between_resolution_and_return_and_accepted_files_stay() {
    let (app, desk, id) = desk_with_a_dossier().await;
    let scan = uploaded(&app, &desk.officer, &id, form("component", Some(0), "a.pdf", pdf(100, 1))).await;
    let early = upload(&app, &desk.officer, &id, form("result", None, "kq.pdf", pdf(100, 2))).await;
    assert_eq!(problem(early).await["rule"], "result_files_between_resolution_and_return");

    let resolve = json!({"outcome": "approved", "result_digitized": false});
    assert_eq!(
        app.post_as(&desk.officer, &format!("/api/v1/dossiers/{id}/resolve"), &resolve).await.status(),
        200
    );
    assert_eq!(dossier(&app, &desk.officer, &id).await["result_digitized"], false);
    let with_component = form("result", Some(0), "kq.pdf", pdf(100, 3));
    assert_eq!(
        error_fields(&problem(upload(&app, &desk.officer, &id, with_component).await).await),
        ["component"]
    );
    let result =
        uploaded(&app, &desk.officer, &id, form("result", None, "Trích lục khai sinh.pdf", pdf(100, 4)))
            .await;
    assert_eq!(result["kind"], "result");
    assert_eq!(result["component"], Value::Null);
    assert_eq!(dossier(&app, &desk.officer, &id).await["result_digitized"], true);

    assert_eq!(
        app.post_as(&desk.officer, &format!("/api/v1/dossiers/{id}/return"), &json!({})).await.status(),
        200
    );
    let late = upload(&app, &desk.officer, &id, form("result", None, "kq2.pdf", pdf(100, 5))).await;
    assert_eq!(problem(late).await["rule"], "result_files_between_resolution_and_return");

    let removed = app
        .send(
            reqwest::Method::DELETE,
            &format!("/api/v1/dossiers/{id}/files/{}", scan["id"].as_str().unwrap()),
            Some(&desk.officer),
            None,
        )
        .await;
    assert_eq!(problem(removed).await["rule"], "files_kept_after_acceptance");
}

#[tokio::test]
async fn citizens_file_their_own_online_dossier_and_may_take_a_file_back_before_acceptance() {
    let app = spawn_app().await;
    let desk = desk(&app).await;
    let body = json!({
        "procedure_id": desk.procedure, "agency_id": desk.commune, "channel": "online",
        "applicant": {"kind": "citizen", "full_name": "Trần Thị Bình", "phone": "0905123456"},
        "components": [{"name": "Tờ khai"}],
    });
    let id = submit_dossier(&app, &desk.citizen, &body).await["id"].as_str().unwrap().to_owned();
    let wrong = uploaded(
        &app,
        &desk.citizen,
        &id,
        form("component", Some(0), "nhầm.jpg", b"\xFF\xD8\xFF\xE0\0\x10JFIF\0".repeat(20)),
    )
    .await;
    assert_eq!(wrong["content_type"], "image/jpeg");
    assert_eq!(dossier(&app, &desk.citizen, &id).await["components"][0]["digitized"], true);

    // Another citizen does not see the dossier; a leader reads but does not upload.
    app.create_user(&desk.admin, "other", "citizen", None).await;
    let other = app.login("other", ADMIN_PASSWORD).await;
    assert_eq!(app.get_as(&other, &format!("/api/v1/dossiers/{id}/files")).await.status(), 404);
    assert_eq!(
        upload(&app, &other, &id, form("component", Some(0), "x.pdf", pdf(10, 1))).await.status(),
        404
    );
    app.create_user(&desk.admin, "leader", "leader", Some(&desk.commune)).await;
    let leader = app.login("leader", ADMIN_PASSWORD).await;
    assert_eq!(app.get_as(&leader, &format!("/api/v1/dossiers/{id}/files")).await.status(), 200);
    assert_eq!(
        upload(&app, &leader, &id, form("component", Some(0), "x.pdf", pdf(10, 1))).await.status(),
        403
    );

    let path = format!("/api/v1/dossiers/{id}/files/{}", wrong["id"].as_str().unwrap());
    let removed = app.send(reqwest::Method::DELETE, &path, Some(&desk.citizen), None).await;
    assert_eq!(removed.status(), 204);
    assert_eq!(app.get_as(&desk.citizen, &path).await.status(), 404);
    assert_eq!(dossier(&app, &desk.citizen, &id).await["components"][0]["digitized"], false);
    assert!(outbox(&app, &id).await.contains(&"dossier.file_removed".to_owned()));

    uploaded(&app, &desk.citizen, &id, form("component", Some(0), "Tờ khai.pdf", pdf(50, 2))).await;
    let accepted = app.post_as(&desk.officer, &format!("/api/v1/dossiers/{id}/accept"), &json!({})).await;
    assert_eq!(accepted.status(), 200);
    let accepted: Value = accepted.json().await.unwrap();
    assert_eq!(accepted["reception_digitized"], true, "received complete with every component scanned");
    let after = upload(&app, &desk.citizen, &id, form("component", Some(0), "thêm.pdf", pdf(50, 3))).await;
    assert_eq!(problem(after).await["rule"], "component_files_before_acceptance");
    // The public lookup never shows files.
    let code = accepted["code"].as_str().unwrap();
    let public = app.get(&format!("/api/v1/public/dossiers/{code}?check=3456")).await;
    assert_eq!(public.status(), 200);
    let public: Value = public.json().await.unwrap();
    assert!(public.get("files").is_none() && !public.to_string().contains(".pdf"), "{public}");
}

#[tokio::test]
async fn the_sweeper_removes_only_old_objects_that_no_file_names() {
    let (app, desk, id) = desk_with_a_dossier().await;
    let kept = uploaded(&app, &desk.officer, &id, form("component", Some(0), "a.pdf", pdf(100, 1))).await;
    let store = motcua::file_store::FileStore::open(&app.files.url()).unwrap();
    // What a killed upload leaves: a complete object without a row.
    let orphan = store.key(["dossiers", id.as_str(), "orphan"]);
    let mut writer = store.writer(&orphan).await.unwrap();
    writer.write(b"%PDF-1.4 orphan").await.unwrap();
    writer.finish().await.unwrap();

    let url = app.database.url().to_owned();
    let db = tokio::task::spawn_blocking(move || {
        let settings = motcua::settings::Settings::for_database(url.clone());
        motcua::startup::open_database(&settings, &url.parse().unwrap()).unwrap()
    })
    .await
    .unwrap();
    let young = motcua::dossiers::files::sweep(&db, &store, Duration::from_secs(3600)).await.unwrap();
    assert_eq!(young, 0, "an object this young may be an upload in progress");
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(motcua::dossiers::files::sweep(&db, &store, Duration::from_secs(1)).await.unwrap(), 1);
    assert!(!store.exists(&orphan).await.unwrap());
    let path = format!("/api/v1/dossiers/{id}/files/{}", kept["id"].as_str().unwrap());
    assert_eq!(app.get_as(&desk.officer, &path).await.status(), 200, "the named object stays");
}

#[tokio::test]
async fn no_malformed_multipart_body_gets_a_server_error() {
    let (app, desk, id) = desk_with_a_dossier().await;
    let part = |headers: &str, body: &str| format!("--B\r\n{headers}\r\n\r\n{body}\r\n--B--\r\n");
    let bodies: Vec<(&str, String)> = vec![
        ("multipart/form-data", part("Content-Disposition: form-data; name=\"kind\"", "component")),
        ("multipart/form-data; boundary=", String::new()),
        ("multipart/form-data; boundary=B", String::new()),
        ("multipart/form-data; boundary=B", "no boundary at all".to_owned()),
        ("multipart/form-data; boundary=B", part("Content-Type: text/plain", "a part without a name")),
        (
            "multipart/form-data; boundary=B",
            part("Content-Disposition: attachment; name=\"file\"", "%PDF-1.4"),
        ),
        (
            "multipart/form-data; boundary=B",
            part("Content-Disposition: form-data; name=\"file\"; filename=\"\\..\\\"", "%PDF-1.4"),
        ),
        (
            "multipart/form-data; boundary=B",
            part("Content-Disposition: form-data; name=\"component\"", &"9".repeat(500)),
        ),
        (
            "multipart/form-data; boundary=B",
            part("Content-Disposition: form-data; name=\"kind\"", "\u{0}\u{1}"),
        ),
        (
            "multipart/form-data; boundary=B",
            format!("--B\r\n{}\r\n\r\n", "X-Long: ".to_owned() + &"a".repeat(100_000)),
        ),
        ("multipart/mixed; boundary=B", part("Content-Disposition: form-data; name=\"file\"", "%PDF-1.4")),
        ("text/plain", "%PDF-1.4".to_owned()),
    ];
    for (content_type, body) in bodies {
        let response = app
            .client
            .post(app.url(&format!("/api/v1/dossiers/{id}/files")))
            .bearer_auth(&desk.officer)
            .header("Content-Type", content_type)
            .body(body.clone())
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        assert!((400..500).contains(&status), "{content_type} {body:.80}: {status}");
        problem(response).await;
    }
    let list: Value =
        app.get_as(&desk.officer, &format!("/api/v1/dossiers/{id}/files")).await.json().await.unwrap();
    assert!(list["items"].as_array().unwrap().is_empty());
}
