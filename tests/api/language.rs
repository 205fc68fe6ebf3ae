//! Problem documents in the users' language: Vietnamese by default, English when
//! `Accept-Language` prefers it; what clients key on (status, `type`, `rule`, `field`) never
//! changes. And the display labels of the enums, public and cacheable.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{TestApp, error_fields, problem, spawn_app};

impl TestApp {
    /// A request with an `Accept-Language` header (none when `language` is `None`).
    async fn in_language(
        &self,
        language: Option<&str>,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> reqwest::Response {
        let mut request = self.client.request(method, self.url(path));
        if let Some(language) = language {
            request = request.header("accept-language", language);
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        request.send().await.expect("request sent")
    }
}

fn header(response: &reqwest::Response, name: &str) -> String {
    response.headers().get(name).map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default()
}

/// A problem document with its `Content-Language`.
async fn localized(response: reqwest::Response) -> (String, Value) {
    let language = header(&response, "content-language");
    assert!(header(&response, "vary").to_ascii_lowercase().contains("accept-language"));
    (language, problem(response).await)
}

#[tokio::test]
async fn the_fallback_404_is_vietnamese_by_default_and_english_on_request() {
    let app = spawn_app().await;
    let path = "/api/v1/nothing-here";
    let (language, vi) = localized(app.in_language(None, Method::GET, path, None).await).await;
    assert_eq!(language, "vi");
    assert_eq!(vi["title"], "Không tìm thấy");
    assert_eq!(vi["detail"], "Không có đường dẫn /api/v1/nothing-here trong API");
    let (language, en) = localized(app.in_language(Some("en"), Method::GET, path, None).await).await;
    assert_eq!(language, "en");
    assert_eq!(en["title"], "Not Found");
    assert_eq!(en["detail"], "no route for /api/v1/nothing-here");
    for body in [&vi, &en] {
        assert_eq!(body["type"], "urn:motcua:problem:not-found");
        assert_eq!(body["status"], 404);
    }
}

#[tokio::test]
async fn q_values_decide_and_anything_unsupported_is_vietnamese() {
    let app = spawn_app().await;
    for (accept, want) in [
        ("en-US", "en"),
        ("en;q=0.9, vi;q=0.5", "en"),
        ("vi;q=0.5, en;q=0.9", "en"),
        ("en;q=0.5, vi", "vi"),
        ("vi-VN, en;q=0.8", "vi"),
        ("fr-CH, fr;q=0.9, en;q=0.8, *;q=0.5", "en"),
        ("en;q=0, fr", "vi"),
        ("fr, de", "vi"),
        ("*", "vi"),
        ("", "vi"),
    ] {
        let response = app.in_language(Some(accept), Method::DELETE, "/healthz", None).await;
        assert_eq!(response.status(), 405, "{accept}");
        assert_eq!(header(&response, "allow"), "GET");
        let (language, body) = localized(response).await;
        assert_eq!(language, want, "{accept:?}");
        let title =
            if want == "en" { "Method Not Allowed" } else { "Phương thức không được hỗ trợ" };
        assert_eq!(body["title"], title, "{accept:?}");
        assert_eq!(body["type"], "urn:motcua:problem:method-not-allowed");
    }
}

#[tokio::test]
async fn field_messages_are_in_both_languages_with_the_same_fields() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    // Raised by a handler.
    let missing = json!({"username": "root"});
    let vi = problem(app.in_language(None, Method::POST, "/api/v1/auth/token", Some(&missing)).await).await;
    let en =
        problem(app.in_language(Some("en"), Method::POST, "/api/v1/auth/token", Some(&missing)).await).await;
    assert_eq!(error_fields(&vi), ["password"]);
    assert_eq!(error_fields(&en), ["password"]);
    assert_eq!(vi["title"], "Dữ liệu không hợp lệ");
    assert_eq!(en["title"], "Unprocessable Entity");
    assert_eq!(vi["errors"][0]["message"], "Bắt buộc với grant_type này");
    assert_eq!(en["errors"][0]["message"], "required for this grant_type");
    // From serde: a missing field and a value outside an enum.
    let agency = json!({"code": "P", "level": "hamlet"});
    let send = |language: &'static str| {
        app.client
            .post(app.url("/api/v1/agencies"))
            .bearer_auth(&admin)
            .header("accept-language", language)
            .json(&agency)
            .send()
    };
    let vi = problem(send("vi").await.unwrap()).await;
    let en = problem(send("en").await.unwrap()).await;
    assert_eq!(vi["status"], 422);
    assert_eq!(error_fields(&vi), error_fields(&en));
    assert_eq!(
        vi["errors"][0]["message"], "Giá trị không hợp lệ; chỉ chấp nhận province, district, commune",
        "{vi}"
    );
    assert_eq!(
        en["errors"][0]["message"],
        "unknown value, expected one of `province`, `district`, `commune`"
    );
    // From a `#[validate]` attribute: the password's length.
    let short = json!({"username": "nguyen.van.a", "password": "short", "full_name": "Nguyễn Văn A", "role": "admin"});
    let send = |language: Option<&'static str>| {
        let mut request = app.client.post(app.url("/api/v1/users")).bearer_auth(&admin).json(&short);
        if let Some(language) = language {
            request = request.header("accept-language", language);
        }
        request.send()
    };
    let vi = problem(send(None).await.unwrap()).await;
    let en = problem(send(Some("en-GB")).await.unwrap()).await;
    assert_eq!(vi["type"], "urn:motcua:problem:validation");
    assert_eq!(error_fields(&vi), error_fields(&en));
    let message = |body: &Value| {
        let errors = body["errors"].as_array().unwrap();
        errors.iter().find(|e| e["field"] == "password").unwrap()["message"].as_str().unwrap().to_owned()
    };
    assert_eq!(message(&vi), "Phải có ít nhất 10 ký tự");
    assert_eq!(message(&en), "must be at least 10 characters long");
    assert!(!vi.to_string().contains("short") && !en.to_string().contains("short"), "never echoed");
}

struct Case {
    method: Method,
    path: &'static str,
    content_type: Option<&'static str>,
    body: Option<String>,
    status: u16,
    titles: [&'static str; 2],
}

/// Errors raised outside handlers take the same path: the auth guard, the NUL guard middleware,
/// the JSON extractor (syntax, shape, media type, size).
#[tokio::test]
async fn errors_from_guards_and_extractors_follow_the_language_too() {
    let app = spawn_app().await;
    let json = Some("application/json");
    let cases = [
        Case {
            method: Method::GET,
            path: "/api/v1/me",
            content_type: None,
            body: None,
            status: 401,
            titles: ["Chưa xác thực", "Unauthorized"],
        },
        Case {
            method: Method::GET,
            path: "/api/v1/agencies/%00",
            content_type: None,
            body: None,
            status: 400,
            titles: ["Yêu cầu không hợp lệ", "Bad Request"],
        },
        Case {
            method: Method::POST,
            path: "/api/v1/auth/token",
            content_type: json,
            body: Some("{\"username\": ".into()),
            status: 400,
            titles: ["Yêu cầu không hợp lệ", "Bad Request"],
        },
        Case {
            method: Method::POST,
            path: "/api/v1/auth/token",
            content_type: json,
            body: Some("[]".into()),
            status: 422,
            titles: ["Dữ liệu không hợp lệ", "Unprocessable Entity"],
        },
        Case {
            method: Method::POST,
            path: "/api/v1/auth/token",
            content_type: Some("text/plain"),
            body: Some("{}".into()),
            status: 415,
            titles: ["Kiểu nội dung không được hỗ trợ", "Unsupported Media Type"],
        },
        Case {
            method: Method::POST,
            path: "/api/v1/auth/token",
            content_type: json,
            body: Some(format!("{{\"username\": \"{}\"}}", "x".repeat(2 << 20))),
            status: 413,
            titles: ["Dữ liệu quá lớn", "Payload Too Large"],
        },
    ];
    for case in cases {
        for (language, title) in [(None, case.titles[0]), (Some("en"), case.titles[1])] {
            let mut request = app.client.request(case.method.clone(), app.url(case.path));
            if let Some(language) = language {
                request = request.header("accept-language", language);
            }
            if let Some(content_type) = case.content_type {
                request = request.header("content-type", content_type);
            }
            if let Some(body) = &case.body {
                request = request.body(body.clone());
            }
            let response = request.send().await.unwrap();
            assert_eq!(response.status(), case.status, "{} {} {language:?}", case.method, case.path);
            let (content_language, problem) = localized(response).await;
            assert_eq!(content_language, language.unwrap_or("vi"), "{}", case.path);
            assert_eq!(problem["title"], title, "{}: {problem}", case.path);
        }
    }
}

/// A rule of the one-stop decrees: the rule's name is the same in both languages.
#[tokio::test]
async fn a_refused_step_names_its_rule_in_both_languages() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let province = app.create_agency(&admin, "P", "province", None).await;
    let commune = app.create_agency(&admin, "P.X", "commune", Some(&province)).await;
    let procedure = app.birth_procedure(&admin).await;
    let intake = json!({
        "procedure_id": procedure, "agency_id": commune, "channel": "direct",
        "applicant": {"kind": "citizen", "full_name": "Nguyễn Văn An"},
    });
    let response = app.post_as(&admin, "/api/v1/dossiers", &intake).await;
    assert_eq!(response.status(), 201);
    let id = response.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/dossiers/{id}/request-supplement");
    let first = app.post_as(&admin, &path, &json!({"reason": "Thiếu giấy chứng sinh"})).await;
    assert_eq!(first.status(), 200);
    let supplement = json!({"components": [{"name": "Giấy chứng sinh", "digitized": true}]});
    let supplemented = app.post_as(&admin, &format!("/api/v1/dossiers/{id}/supplement"), &supplement).await;
    assert_eq!(supplemented.status(), 200);
    let again = |language: &'static str| {
        app.client
            .post(app.url(&path))
            .bearer_auth(&admin)
            .header("accept-language", language)
            .json(&json!({"reason": "Lần hai"}))
            .send()
    };
    let vi = problem(again("vi").await.unwrap()).await;
    let en = problem(again("en").await.unwrap()).await;
    for body in [&vi, &en] {
        assert_eq!(body["status"], 409);
        assert_eq!(body["type"], "urn:motcua:problem:illegal-transition");
        assert_eq!(body["rule"], "supplement_once");
    }
    assert_eq!(vi["title"], "Xung đột");
    assert!(vi["detail"].as_str().unwrap().starts_with("Hồ sơ chỉ được yêu cầu bổ sung một lần"), "{vi}");
    assert!(en["detail"].as_str().unwrap().starts_with("a dossier is returned for supplement at most once"));
}

#[tokio::test]
async fn labels_are_public_and_cacheable() {
    let app = spawn_app().await;
    let response = app.get("/api/v1/meta/labels").await;
    assert_eq!(response.status(), 200);
    let etag = header(&response, "etag");
    assert!(etag.starts_with('"'), "{etag}");
    assert!(header(&response, "cache-control").contains("public"));
    let labels: Value = response.json().await.unwrap();
    assert_eq!(
        labels["dossier_status"]["processing"],
        json!({"vi": "Đang giải quyết", "en": "Being processed"})
    );
    assert_eq!(labels["channel"]["online"]["vi"], "Trực tuyến");
    assert_eq!(labels["online_service"]["partial"]["vi"], "Dịch vụ công trực tuyến một phần");
    assert_eq!(labels["feedback_status"]["resolved"]["en"], "Answered");
    assert_eq!(labels["survey_level"]["unsatisfied"]["vi"], "Không hài lòng");

    let again =
        app.client.get(app.url("/api/v1/meta/labels")).header("if-none-match", &etag).send().await.unwrap();
    assert_eq!(again.status(), 304);
    assert_eq!(header(&again, "etag"), etag);
    let weak = format!("W/{etag}");
    let weak =
        app.client.get(app.url("/api/v1/meta/labels")).header("if-none-match", weak).send().await.unwrap();
    assert_eq!(weak.status(), 304);
    let stale = app
        .client
        .get(app.url("/api/v1/meta/labels"))
        .header("if-none-match", "\"old\"")
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status(), 200);
}
