//! Accounts: validation, uniqueness, deactivation.

use serde_json::{Value, json};

use crate::helpers::{ADMIN_PASSWORD, error_fields, problem, spawn_app};

#[tokio::test]
async fn account_rules_answer_with_the_field_at_fault() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let province = app.create_agency(&admin, "P01", "province", None).await;
    let base = json!({"username": "lan", "password": ADMIN_PASSWORD, "full_name": "Trần Thị Lan", "role": "officer", "agency_id": province});
    let with = |patch: Value| {
        let mut body = base.clone();
        for (k, v) in patch.as_object().unwrap() {
            body[k] = v.clone();
        }
        body
    };
    let cases = [
        (with(json!({"password": "short"})), 422, "password"),
        (with(json!({"role": "root"})), 422, "role"),
        (with(json!({"agency_id": null})), 422, "agency_id"),
        (with(json!({"agency_id": "missing"})), 422, "agency_id"),
        (with(json!({"username": "a b"})), 422, "username"),
    ];
    for (body, status, field) in cases {
        let response = app.post_as(&admin, "/api/v1/users", &body).await;
        assert_eq!(response.status(), status, "{body}");
        let p = problem(response).await;
        assert_eq!(error_fields(&p), [field], "{body}");
        assert!(!p.to_string().contains("short"), "the submitted password is never echoed");
    }
    let created = app.post_as(&admin, "/api/v1/users", &base).await;
    assert_eq!(created.status(), 201);
    let user: Value = created.json().await.unwrap();
    assert!(user.get("password").is_none() && user.get("password_hash").is_none());
    let duplicate = app.post_as(&admin, "/api/v1/users", &with(json!({"username": "LAN"}))).await;
    assert_eq!(duplicate.status(), 409);
    assert_eq!(error_fields(&problem(duplicate).await), ["username"]);
}

#[tokio::test]
async fn deactivation_stops_login_and_refresh() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let province = app.create_agency(&admin, "P01", "province", None).await;
    let id = app.create_user(&admin, "lan", "officer", Some(&province)).await;
    let tokens: Value = app
        .token_response(json!({"username": "lan", "password": ADMIN_PASSWORD}))
        .await
        .json()
        .await
        .unwrap();
    let off = app.patch_as(&admin, &format!("/api/v1/users/{id}"), &json!({"active": false})).await;
    assert_eq!(off.status(), 200);
    assert_eq!(
        app.token_response(json!({"username": "lan", "password": ADMIN_PASSWORD})).await.status(),
        401
    );
    let refreshed = app
        .token_response(json!({"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]}))
        .await;
    assert_eq!(refreshed.status(), 401);

    let me: Value = app.get_as(&admin, "/api/v1/me").await.json().await.unwrap();
    let self_off = app
        .patch_as(&admin, &format!("/api/v1/users/{}", me["id"].as_str().unwrap()), &json!({"active": false}))
        .await;
    assert_eq!(self_off.status(), 409, "an admin cannot lock itself out");
    let self_moved = app
        .patch_as(
            &admin,
            &format!("/api/v1/users/{}", me["id"].as_str().unwrap()),
            &json!({"agency_id": province}),
        )
        .await;
    assert_eq!(self_moved.status(), 409, "nor narrow its own scope");
    assert_eq!(app.get_as(&admin, "/api/v1/me").await.status(), 200, "and its token still works");
}

#[tokio::test]
async fn password_change_takes_effect() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let province = app.create_agency(&admin, "P01", "province", None).await;
    let id = app.create_user(&admin, "lan", "officer", Some(&province)).await;
    let weak = app.patch_as(&admin, &format!("/api/v1/users/{id}"), &json!({"password": "123"})).await;
    assert_eq!(weak.status(), 422);
    assert_eq!(error_fields(&problem(weak).await), ["password"]);
    let changed = app
        .patch_as(&admin, &format!("/api/v1/users/{id}"), &json!({"password": "mật khẩu mới đủ dài"}))
        .await;
    assert_eq!(changed.status(), 200);
    assert_eq!(
        app.token_response(json!({"username": "lan", "password": ADMIN_PASSWORD})).await.status(),
        401
    );
    app.login("lan", "mật khẩu mới đủ dài").await;
}

/// A token is only as good as the account behind it: deactivation or a new role or agency
/// ends it at once, without waiting for it to expire.
#[tokio::test]
async fn live_tokens_follow_the_account() {
    let app = spawn_app().await;
    let root = app.admin_token().await;
    let province = app.create_agency(&root, "P01", "province", None).await;
    let admin_id = app.create_user(&root, "admin2", "admin", Some(&province)).await;
    let admin2 = app.login("admin2", ADMIN_PASSWORD).await;
    assert_eq!(app.get_as(&admin2, "/api/v1/me").await.status(), 200);
    let off = app.patch_as(&root, &format!("/api/v1/users/{admin_id}"), &json!({"active": false})).await;
    assert_eq!(off.status(), 200);
    let refused = app
        .post_as(
            &admin2,
            "/api/v1/agencies",
            &json!({"code": "X", "name": "x", "level": "commune", "parent_id": province}),
        )
        .await;
    assert_eq!(refused.status(), 401);
    problem(refused).await;

    let officer_id = app.create_user(&root, "lan", "officer", Some(&province)).await;
    let officer = app.login("lan", ADMIN_PASSWORD).await;
    assert_eq!(app.get_as(&officer, "/api/v1/users").await.status(), 200);
    app.patch_as(
        &root,
        &format!("/api/v1/users/{officer_id}"),
        &json!({"role": "citizen", "agency_id": null}),
    )
    .await;
    assert_eq!(app.get_as(&officer, "/api/v1/users").await.status(), 401, "the old role is gone");
    let citizen = app.login("lan", ADMIN_PASSWORD).await;
    assert_eq!(app.get_as(&citizen, "/api/v1/me").await.status(), 200, "a new sign-in carries the new role");

    let commune = app.create_agency(&root, "P01.C01", "commune", Some(&province)).await;
    let adapter: Value = app
        .post_as(&root, "/api/v1/service-accounts", &json!({"name": "portal", "agency_ids": [province]}))
        .await
        .json()
        .await
        .unwrap();
    let token: Value = app
        .token_response(json!({"grant_type": "client_credentials", "client_id": adapter["client_id"], "client_secret": adapter["client_secret"]}))
        .await
        .json()
        .await
        .unwrap();
    let service = token["access_token"].as_str().unwrap();
    assert_eq!(app.get_as(service, "/api/v1/me").await.status(), 200);
    let rebound = app
        .patch_as(
            &root,
            &format!("/api/v1/service-accounts/{}", adapter["id"].as_str().unwrap()),
            &json!({"agency_ids": [commune]}),
        )
        .await;
    assert_eq!(rebound.status(), 200);
    assert_eq!(app.get_as(service, "/api/v1/me").await.status(), 401, "bound to other agencies now");
}
