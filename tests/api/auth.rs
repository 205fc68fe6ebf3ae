//! Tokens: the three grants, rotation and reuse detection, throttling, forged tokens.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{ADMIN_PASSWORD, TEST_JWT_SECRET, error_fields, problem, spawn_app, spawn_app_with};

#[tokio::test]
async fn password_grant_gives_a_working_access_token_and_a_refresh_token() {
    let app = spawn_app().await;
    app.admin_token().await;
    let response = app.token_response(json!({"username": "ROOT ", "password": ADMIN_PASSWORD})).await;
    assert_eq!(response.status(), 200, "usernames are case-insensitive and trimmed");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 900);
    assert!(body["refresh_token"].as_str().unwrap().len() >= 40);
    let me: Value =
        app.get_as(body["access_token"].as_str().unwrap(), "/api/v1/me").await.json().await.unwrap();
    assert_eq!(me["username"], "root");
    assert_eq!(me["role"], "admin");
    assert_eq!(me["kind"], "user");
    assert!(me.get("password_hash").is_none());
}

#[tokio::test]
async fn bad_credentials_are_401_problems_and_missing_fields_422() {
    let app = spawn_app().await;
    app.admin_token().await;
    let mut answers = Vec::new();
    for body in [
        json!({"username": "root", "password": "wrong-password-x"}),
        json!({"username": "nobody", "password": "whatever-long"}),
    ] {
        let response = app.token_response(body).await;
        assert_eq!(response.status(), 401);
        let p = problem(response).await;
        assert_eq!(p["type"], "urn:motcua:problem:unauthorized");
        answers.push(p);
    }
    assert_eq!(answers[0], answers[1], "the same answer for both");
    let missing = app.token_response(json!({"username": "root"})).await;
    assert_eq!(missing.status(), 422);
    assert_eq!(error_fields(&problem(missing).await), ["password"]);
    let bad_grant = app.token_response(json!({"grant_type": "implicit"})).await;
    assert_eq!(bad_grant.status(), 422);
    assert_eq!(error_fields(&problem(bad_grant).await), ["grant_type"]);
    let not_json = app.client.post(app.url("/api/v1/auth/token")).body("username=root").send().await.unwrap();
    assert_eq!(not_json.status(), 415);
    problem(not_json).await;
    let malformed = app
        .client
        .post(app.url("/api/v1/auth/token"))
        .header("content-type", "application/json")
        .body("{\"username\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(malformed.status(), 400);
    problem(malformed).await;
}

#[tokio::test]
async fn repeated_failures_are_throttled_even_for_the_right_password() {
    let app = spawn_app().await;
    app.admin_token().await;
    let mut statuses = Vec::new();
    for _ in 0..7 {
        statuses.push(
            app.token_response(json!({"username": "root", "password": "wrong-password-x"}))
                .await
                .status()
                .as_u16(),
        );
    }
    assert_eq!(&statuses[..5], &[401; 5], "{statuses:?}");
    assert_eq!(statuses[6], 429, "{statuses:?}");
    let locked = app.token_response(json!({"username": "root", "password": ADMIN_PASSWORD})).await;
    assert_eq!(locked.status(), 429);
    let retry_after: u64 = locked.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry_after), "{retry_after}");
    problem(locked).await;
}

/// Issue 21: six wrong passwords for an account from one address held that account shut for
/// everyone. Now they hold that address only: the owner, elsewhere, signs in.
#[tokio::test]
async fn guessing_from_one_address_does_not_lock_the_owner_out() {
    // The test client sits behind a "proxy" at 127.0.0.1 that names each request's address.
    let app = spawn_app_with(|s| s.trusted_proxies = "127.0.0.1".parse().unwrap()).await;
    let admin = app.admin_token().await;
    app.create_user(&admin, "vu.dt", "citizen", None).await;
    let sign_in = |address: &str, password: &str| {
        app.client
            .post(app.url("/api/v1/auth/token"))
            .header("x-forwarded-for", address)
            .json(&json!({"username": "vu.dt", "password": password}))
            .send()
    };
    let (attacker, owner) = ("203.0.113.66", "198.51.100.7");
    for attempt in 1..=6 {
        assert_eq!(sign_in(attacker, "wrong-password-x").await.unwrap().status(), 401, "attempt {attempt}");
    }
    let held = sign_in(attacker, ADMIN_PASSWORD).await.unwrap();
    assert_eq!(held.status(), 429, "the guessing address waits, even with the right password");
    let retry_after: u64 = held.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry_after), "{retry_after}");
    problem(held).await;
    assert_eq!(sign_in(owner, ADMIN_PASSWORD).await.unwrap().status(), 200, "the owner signs in");
}

async fn refresh(app: &crate::helpers::TestApp, token: &str) -> reqwest::Response {
    app.token_response(json!({"grant_type": "refresh_token", "refresh_token": token})).await
}

#[tokio::test]
async fn refresh_tokens_rotate_and_reuse_revokes_the_family() {
    let app = spawn_app().await;
    app.admin_token().await;
    let first: Value = app
        .token_response(json!({"username": "root", "password": ADMIN_PASSWORD}))
        .await
        .json()
        .await
        .unwrap();
    let r1 = first["refresh_token"].as_str().unwrap();

    let second = refresh(&app, r1).await;
    assert_eq!(second.status(), 200);
    let second: Value = second.json().await.unwrap();
    let r2 = second["refresh_token"].as_str().unwrap();
    assert_ne!(r1, r2, "rotation issues a new refresh token");
    assert_eq!(app.get_as(second["access_token"].as_str().unwrap(), "/api/v1/me").await.status(), 200);

    // r1 is spent: presenting it again is a theft signal.
    let reused = refresh(&app, r1).await;
    assert_eq!(reused.status(), 401);
    problem(reused).await;
    // ... and the whole family is revoked, including the latest token and its access token.
    assert_eq!(refresh(&app, r2).await.status(), 401);
    assert_eq!(app.get_as(second["access_token"].as_str().unwrap(), "/api/v1/me").await.status(), 401);

    // A new login starts a new, working family.
    let third: Value = app
        .token_response(json!({"username": "root", "password": ADMIN_PASSWORD}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(refresh(&app, third["refresh_token"].as_str().unwrap()).await.status(), 200);
    assert_eq!(refresh(&app, "not-a-token").await.status(), 401);
}

#[tokio::test]
async fn logout_revokes_the_refresh_token() {
    let app = spawn_app().await;
    app.admin_token().await;
    let tokens: Value = app
        .token_response(json!({"username": "root", "password": ADMIN_PASSWORD}))
        .await
        .json()
        .await
        .unwrap();
    let access = tokens["access_token"].as_str().unwrap();
    let refresh_token = tokens["refresh_token"].as_str().unwrap();
    let anonymous = app
        .send(Method::POST, "/api/v1/auth/logout", None, Some(&json!({"refresh_token": refresh_token})))
        .await;
    assert_eq!(anonymous.status(), 401, "logout needs the access token");
    let out = app.post_as(access, "/api/v1/auth/logout", &json!({"refresh_token": refresh_token})).await;
    assert_eq!(out.status(), 204);
    assert_eq!(refresh(&app, refresh_token).await.status(), 401);
}

fn b64(value: &Value) -> String {
    URL_SAFE_NO_PAD.encode(value.to_string())
}

fn sign(claims: &Value, secret: &[u8]) -> String {
    use jsonwebtoken::{EncodingKey, Header, encode};
    encode(&Header::new(jsonwebtoken::Algorithm::HS256), claims, &EncodingKey::from_secret(secret)).unwrap()
}

#[tokio::test]
async fn malformed_forged_and_expired_tokens_are_401_problems() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let parts: Vec<&str> = token.split('.').collect();
    let claims: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
    let now = chrono::Utc::now().timestamp();

    let mut altered = claims.clone();
    altered["role"] = json!("admin");
    altered["sub"] = json!("someone-else");
    let mut expired = claims.clone();
    expired["iat"] = json!(now - 3600);
    expired["nbf"] = json!(now - 3600);
    expired["exp"] = json!(now - 600);
    let mut wrong_issuer = claims.clone();
    wrong_issuer["iss"] = json!("evil");

    let cases: Vec<(&str, String)> = vec![
        ("garbage", "not-a-jwt".into()),
        ("alg none", format!("{}.{}.", b64(&json!({"alg": "none", "typ": "JWT"})), parts[1])),
        ("altered claims", format!("{}.{}.{}", parts[0], b64(&altered), parts[2])),
        ("wrong key", sign(&claims, b"another-secret-another-secret-another")),
        ("expired", sign(&expired, TEST_JWT_SECRET.as_bytes())),
        ("wrong issuer", sign(&wrong_issuer, TEST_JWT_SECRET.as_bytes())),
        ("HS512", {
            use jsonwebtoken::{EncodingKey, Header, encode};
            encode(
                &Header::new(jsonwebtoken::Algorithm::HS512),
                &claims,
                &EncodingKey::from_secret(TEST_JWT_SECRET.as_bytes()),
            )
            .unwrap()
        }),
    ];
    assert_eq!(app.get_as(&token, "/api/v1/me").await.status(), 200, "the genuine token works");
    for (name, forged) in cases {
        let response = app.get_as(&forged, "/api/v1/me").await;
        assert_eq!(response.status(), 401, "{name}");
        assert_eq!(response.headers()["www-authenticate"], "Bearer", "{name}");
        problem(response).await;
    }
    let no_header = app.get("/api/v1/me").await;
    assert_eq!(no_header.status(), 401);
    problem(no_header).await;
    let basic = app
        .client
        .get(app.url("/api/v1/me"))
        .header("authorization", "Basic cm9vdDpyb290")
        .send()
        .await
        .unwrap();
    assert_eq!(basic.status(), 401);
}

#[tokio::test]
async fn service_accounts_use_client_credentials_and_see_their_agencies() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let province = app.create_agency(&admin, "P01", "province", None).await;
    let commune = app.create_agency(&admin, "P01.C01", "commune", Some(&province)).await;
    let created = app
        .post_as(
            &admin,
            "/api/v1/service-accounts",
            &json!({"name": "Cổng DVC quốc gia", "agency_ids": [commune, commune]}),
        )
        .await;
    assert_eq!(created.status(), 201);
    let created: Value = created.json().await.unwrap();
    assert_eq!(created["agency_ids"], json!([commune]), "duplicates dropped");
    let client_id = created["client_id"].as_str().unwrap();
    let secret = created["client_secret"].as_str().unwrap();
    let id = created["id"].as_str().unwrap();

    let shown: Value =
        app.get_as(&admin, &format!("/api/v1/service-accounts/{id}")).await.json().await.unwrap();
    assert!(shown.get("client_secret").is_none(), "the secret is shown once only");

    let grant = |secret: String| json!({"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret});
    let response = app.token_response(grant(secret.into())).await;
    assert_eq!(response.status(), 200);
    let tokens: Value = response.json().await.unwrap();
    assert!(tokens.get("refresh_token").is_none(), "service accounts simply ask again");
    let service_token = tokens["access_token"].as_str().unwrap();
    let me: Value = app.get_as(service_token, "/api/v1/me").await.json().await.unwrap();
    assert_eq!((me["kind"].as_str(), me["role"].as_str()), (Some("service"), Some("integration")));
    assert_eq!(me["agency_ids"], json!([commune]));
    let visible: Value = app.get_as(service_token, "/api/v1/agencies").await.json().await.unwrap();
    let ids: Vec<&str> =
        visible["items"].as_array().unwrap().iter().map(|a| a["id"].as_str().unwrap()).collect();
    assert_eq!(ids, [commune.as_str()], "bound agencies only");

    assert_eq!(app.token_response(grant("wrong".into())).await.status(), 401);
    let rotated: Value = app
        .post_as(&admin, &format!("/api/v1/service-accounts/{id}/secret"), &json!({}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(app.token_response(grant(secret.into())).await.status(), 401, "the old secret stops working");
    assert_eq!(
        app.token_response(grant(rotated["client_secret"].as_str().unwrap().into())).await.status(),
        200
    );

    let deactivated =
        app.patch_as(&admin, &format!("/api/v1/service-accounts/{id}"), &json!({"active": false})).await;
    assert_eq!(deactivated.status(), 200);
    assert_eq!(
        app.token_response(grant(rotated["client_secret"].as_str().unwrap().into())).await.status(),
        401
    );

    let bad_binding =
        app.post_as(&admin, "/api/v1/service-accounts", &json!({"name": "x", "agency_ids": ["nope"]})).await;
    assert_eq!(bad_binding.status(), 422);
    assert_eq!(error_fields(&problem(bad_binding).await), ["agency_ids[0]"]);
}
