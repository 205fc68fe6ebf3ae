//! Every error a client can provoke is a problem document, never text/plain or a 500.

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
    assert_eq!(response.headers()["allow"], "GET, HEAD");
    problem(response).await;
}
