//! Sessions: logout, a password change and an administrator end access tokens at once, not
//! when they expire (issue 21); a plain logout ends one session only.

use serde_json::{Value, json};

use crate::helpers::{ADMIN_PASSWORD, TestApp, problem, spawn_app};

/// A sign-in: its access and refresh tokens.
struct Session {
    access: String,
    refresh: String,
}

async fn sign_in(app: &TestApp, username: &str, password: &str) -> Session {
    let response = app.token_response(json!({"username": username, "password": password})).await;
    assert_eq!(response.status(), 200, "sign-in of {username}");
    let body: Value = response.json().await.unwrap();
    Session {
        access: body["access_token"].as_str().unwrap().to_owned(),
        refresh: body["refresh_token"].as_str().unwrap().to_owned(),
    }
}

/// The status of `GET /me` with an access token, and the problem document of a 401.
async fn me(app: &TestApp, access: &str) -> u16 {
    let response = app.get_as(access, "/api/v1/me").await;
    let status = response.status().as_u16();
    if status == 401 {
        problem(response).await;
    }
    status
}

async fn refresh(app: &TestApp, token: &str) -> u16 {
    app.token_response(json!({"grant_type": "refresh_token", "refresh_token": token})).await.status().as_u16()
}

/// An officer with two sessions (a desk computer and a phone), each used once so that its
/// state is cached, as on a busy desk.
async fn officer_with_two_sessions(app: &TestApp, admin: &str) -> (String, Session, Session) {
    let agency = app.create_agency(admin, "X01", "province", None).await;
    let id = app.create_user(admin, "vu.dt", "officer", Some(&agency)).await;
    let desk = sign_in(app, "vu.dt", ADMIN_PASSWORD).await;
    let phone = sign_in(app, "vu.dt", ADMIN_PASSWORD).await;
    assert_eq!(me(app, &desk.access).await, 200);
    assert_eq!(me(app, &phone.access).await, 200);
    (id, desk, phone)
}

#[tokio::test]
async fn logout_ends_its_sessions_access_token_and_no_other() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (_, desk, phone) = officer_with_two_sessions(&app, &admin).await;
    let out = app.post_as(&desk.access, "/api/v1/auth/logout", &json!({"refresh_token": desk.refresh})).await;
    assert_eq!(out.status(), 204);
    assert_eq!(me(&app, &desk.access).await, 401, "the access token died with its session");
    assert_eq!(refresh(&app, &desk.refresh).await, 401);
    assert_eq!(me(&app, &phone.access).await, 200, "the other session stays open");
    assert_eq!(refresh(&app, &phone.refresh).await, 200);
}

#[tokio::test]
async fn a_password_change_ends_every_session_at_once() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (id, desk, phone) = officer_with_two_sessions(&app, &admin).await;
    let new_password = "another-long-password-2025";
    let changed =
        app.patch_as(&admin, &format!("/api/v1/users/{id}"), &json!({"password": new_password})).await;
    assert_eq!(changed.status(), 200);
    for session in [&desk, &phone] {
        assert_eq!(me(&app, &session.access).await, 401);
        assert_eq!(refresh(&app, &session.refresh).await, 401);
    }
    let again = sign_in(&app, "vu.dt", new_password).await;
    assert_eq!(me(&app, &again.access).await, 200, "a new sign-in works at once");
    assert_eq!(me(&app, &admin).await, 200, "other accounts are untouched");
}

#[tokio::test]
async fn an_administrator_ends_every_session_at_once() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (id, desk, phone) = officer_with_two_sessions(&app, &admin).await;
    let path = format!("/api/v1/users/{id}/sessions");
    let officer_tries = app.send(reqwest::Method::DELETE, &path, Some(&phone.access), None).await;
    assert_eq!(officer_tries.status(), 403);
    let ended = app.send(reqwest::Method::DELETE, &path, Some(&admin), None).await;
    assert_eq!(ended.status(), 204);
    for session in [&desk, &phone] {
        assert_eq!(me(&app, &session.access).await, 401);
        assert_eq!(refresh(&app, &session.refresh).await, 401);
    }
    let again = sign_in(&app, "vu.dt", ADMIN_PASSWORD).await;
    assert_eq!(me(&app, &again.access).await, 200, "the account stays active");
    let unknown =
        app.send(reqwest::Method::DELETE, "/api/v1/users/nobody/sessions", Some(&admin), None).await;
    assert_eq!(unknown.status(), 404);
    problem(unknown).await;
}

#[tokio::test]
async fn a_deactivated_then_reactivated_account_does_not_revive_old_tokens() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (id, desk, _) = officer_with_two_sessions(&app, &admin).await;
    let path = format!("/api/v1/users/{id}");
    assert_eq!(app.patch_as(&admin, &path, &json!({"active": false})).await.status(), 200);
    assert_eq!(me(&app, &desk.access).await, 401);
    assert_eq!(app.patch_as(&admin, &path, &json!({"active": true})).await.status(), 200);
    assert_eq!(me(&app, &desk.access).await, 401, "the sessions ended with the deactivation");
}

#[tokio::test]
async fn a_new_sign_in_works_at_once_on_a_process_that_cached_the_account_before_it() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let other = app.spawn_sibling(|_| {}).await;
    let on_other =
        |access: &str| app.client.get(format!("{}/api/v1/me", other.address)).bearer_auth(access).send();
    let (_, desk, _) = officer_with_two_sessions(&app, &admin).await;
    assert_eq!(on_other(&desk.access).await.unwrap().status(), 200, "the other process caches the account");
    let laptop = sign_in(&app, "vu.dt", ADMIN_PASSWORD).await;
    assert_eq!(on_other(&laptop.access).await.unwrap().status(), 200, "a session newer than its cache");
    other.stop().await;
}
