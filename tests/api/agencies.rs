//! The agency tree: levels, uniqueness, cycles, moves, ETags, pagination.

use serde_json::{Value, json};

use crate::helpers::{error_fields, problem, spawn_app};

#[tokio::test]
async fn agencies_form_a_tree_with_level_rules() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let province = app.create_agency(&admin, "P01", "province", None).await;
    let commune = app.create_agency(&admin, "P01.C01", "commune", Some(&province)).await;

    let read: Value = app.get_as(&admin, &format!("/api/v1/agencies/{commune}")).await.json().await.unwrap();
    assert_eq!(read["parent_id"], province.as_str());
    assert_eq!(read["name"], "Đơn vị P01.C01", "Vietnamese text round-trips");

    let cases = [
        (json!({"code": "X1", "name": "x", "level": "commune"}), 422, "parent_id"),
        (json!({"code": "X2", "name": "x", "level": "province", "parent_id": province}), 422, "parent_id"),
        (json!({"code": "X3", "name": "x", "level": "commune", "parent_id": commune}), 422, "parent_id"),
        (json!({"code": "X4", "name": "x", "level": "hamlet", "parent_id": province}), 422, "level"),
        (json!({"code": "bad code", "name": "x", "level": "province"}), 422, "code"),
        (json!({"code": "X5", "name": "", "level": "province"}), 422, "name"),
        (json!({"code": "X6", "name": "x", "level": "commune", "parent_id": "missing"}), 422, "parent_id"),
        (json!({"code": "P01", "name": "again", "level": "province"}), 409, "code"),
    ];
    for (body, status, field) in cases {
        let response = app.post_as(&admin, "/api/v1/agencies", &body).await;
        assert_eq!(response.status(), status, "{body}");
        assert_eq!(error_fields(&problem(response).await), [field], "{body}");
    }
}

#[tokio::test]
async fn an_agency_cannot_move_under_its_own_descendant_and_moves_carry_the_subtree() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let p1 = app.create_agency(&admin, "P01", "province", None).await;
    let p2 = app.create_agency(&admin, "P02", "province", None).await;
    let district = app.create_agency(&admin, "P01.D01", "district", Some(&p1)).await;
    let commune = app.create_agency(&admin, "P01.D01.C01", "commune", Some(&district)).await;

    let cycle =
        app.patch_as(&admin, &format!("/api/v1/agencies/{district}"), &json!({"parent_id": commune})).await;
    assert_eq!(cycle.status(), 422);
    assert_eq!(error_fields(&problem(cycle).await), ["parent_id"]);

    // Move the district (with its commune) to the second province; a leader there then sees both.
    let moved =
        app.patch_as(&admin, &format!("/api/v1/agencies/{district}"), &json!({"parent_id": p2})).await;
    assert_eq!(moved.status(), 200);
    app.create_user(&admin, "leader2", "leader", Some(&p2)).await;
    let leader = app.login("leader2", crate::helpers::ADMIN_PASSWORD).await;
    assert_eq!(app.get_as(&leader, &format!("/api/v1/agencies/{commune}")).await.status(), 200);
    app.create_user(&admin, "leader1", "leader", Some(&p1)).await;
    let old_leader = app.login("leader1", crate::helpers::ADMIN_PASSWORD).await;
    assert_eq!(app.get_as(&old_leader, &format!("/api/v1/agencies/{commune}")).await.status(), 404);
}

#[tokio::test]
async fn updates_honour_if_match() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let province = app.create_agency(&admin, "P01", "province", None).await;
    let path = format!("/api/v1/agencies/{province}");
    let read = app.get_as(&admin, &path).await;
    let etag = read.headers()["etag"].to_str().unwrap().to_owned();

    let ok = app
        .client
        .patch(app.url(&path))
        .bearer_auth(&admin)
        .header("if-match", &etag)
        .json(&json!({"name": "Tỉnh Mới"}))
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 200);
    let new_etag = ok.headers()["etag"].to_str().unwrap().to_owned();
    assert_ne!(new_etag, etag);
    assert_eq!(
        app.get_as(&admin, &path).await.headers()["etag"].to_str().unwrap(),
        new_etag,
        "write and read agree"
    );

    let stale = app
        .client
        .patch(app.url(&path))
        .bearer_auth(&admin)
        .header("if-match", &etag)
        .json(&json!({"name": "Tỉnh Cũ"}))
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status(), 412);
    problem(stale).await;
    let name: Value = app.get_as(&admin, &path).await.json().await.unwrap();
    assert_eq!(name["name"], "Tỉnh Mới");
}

#[tokio::test]
async fn lists_page_with_cursors_without_repeats() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    for i in 0..5 {
        app.create_agency(&admin, &format!("P{i:02}"), "province", None).await;
    }
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/agencies?limit=2&cursor={c}"),
            None => "/api/v1/agencies?limit=2".into(),
        };
        let page: Value = app.get_as(&admin, &path).await.json().await.unwrap();
        for item in page["items"].as_array().unwrap() {
            seen.push(item["code"].as_str().unwrap().to_owned());
        }
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }
    assert_eq!(seen, ["P00", "P01", "P02", "P03", "P04"]);
    for bad in ["limit=0", "limit=501", "limit=x", "cursor=%%%", "level=hamlet"] {
        let response = app.get_as(&admin, &format!("/api/v1/agencies?{bad}")).await;
        assert_eq!(response.status(), 400, "{bad}");
        problem(response).await;
    }
}

#[tokio::test]
async fn a_level_change_must_fit_the_agencies_below() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let province = app.create_agency(&admin, "P01", "province", None).await;
    let district = app.create_agency(&admin, "P01.D01", "district", Some(&province)).await;
    app.create_agency(&admin, "P01.D01.C01", "commune", Some(&district)).await;
    let response =
        app.patch_as(&admin, &format!("/api/v1/agencies/{district}"), &json!({"level": "commune"})).await;
    assert_eq!(response.status(), 422, "a commune under a commune");
    assert_eq!(error_fields(&problem(response).await), ["level"]);
}
