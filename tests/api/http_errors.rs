//! Errors a client provokes outside any one resource: unknown routes, wrong methods, input the
//! database cannot store. Each is a problem document, never text/plain or a 500.

use crate::helpers::{problem, spawn_app};

#[tokio::test]
async fn unknown_route_is_a_404_problem() {
    let app = spawn_app().await;
    let response = app.get("/api/v1/nothing-here").await;
    assert_eq!(response.status(), 404);
    let body = problem(response).await;
    assert_eq!(body["type"], "urn:motcua:problem:not-found");
}

#[tokio::test]
async fn wrong_method_is_a_405_problem_with_allow() {
    let app = spawn_app().await;
    let response = app.client.delete(app.url("/healthz")).send().await.unwrap();
    assert_eq!(response.status(), 405);
    assert_eq!(response.headers()["allow"], "GET");
    problem(response).await;
}

/// Input PostgreSQL cannot store (NUL characters, dates before 4713 BC) is refused up front, so
/// both backends give the same 4xx instead of a 500 on one of them.
#[tokio::test]
async fn nul_characters_and_absurd_dates_are_client_errors() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let nul_login =
        app.token_response(serde_json::json!({"username": "ro\u{0}ot", "password": "whatever-long"})).await;
    assert_eq!(nul_login.status(), 422);
    problem(nul_login).await;
    for path in [
        "/api/v1/agencies?cursor=AA",
        "/api/v1/agencies/%00",
        "/api/v1/procedures?field=%00",
        "/api/v1/calendar/days-off?year=-5000",
        "/api/v1/calendar/due?start=0001-01-01T00:00:00Z&working_days=1",
    ] {
        let response = app.get_as(&admin, path).await;
        assert_eq!(response.status(), 400, "{path}");
        problem(response).await;
    }
    let ancient = app
        .post_as(
            &admin,
            "/api/v1/calendar/days-off",
            &serde_json::json!({"date": "0001-01-01", "kind": "holiday", "name": "x"}),
        )
        .await;
    assert_eq!(ancient.status(), 422);
    assert_eq!(crate::helpers::error_fields(&problem(ancient).await), ["date"]);
    let nul_name = app
        .post_as(
            &admin,
            "/api/v1/agencies",
            &serde_json::json!({"code": "P1", "name": "a\u{0}b", "level": "province"}),
        )
        .await;
    assert_eq!(nul_name.status(), 422);
}

#[tokio::test]
async fn head_is_not_served_and_says_so() {
    let app = spawn_app().await;
    let response = app.client.head(app.url("/healthz")).send().await.unwrap();
    assert_eq!(response.status(), 405);
    assert_eq!(response.headers()["allow"], "GET");
}
