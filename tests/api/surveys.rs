//! Satisfaction surveys: one per dossier, from the owner, the desk or an import.

use serde_json::{Value, json};

use crate::helpers::{ADMIN_PASSWORD, error_fields, problem, spawn_app};

#[tokio::test]
async fn one_survey_per_dossier_from_its_owner_or_the_desk() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let province = app.create_agency(&admin, "P01", "province", None).await;
    let commune = app.create_agency(&admin, "P01.C01", "commune", Some(&province)).await;
    app.create_user(&admin, "officer", "officer", Some(&commune)).await;
    app.create_user(&admin, "leader", "leader", Some(&commune)).await;
    app.create_user(&admin, "citizen", "citizen", None).await;
    app.create_user(&admin, "other", "citizen", None).await;
    let officer = app.login("officer", ADMIN_PASSWORD).await;
    let leader = app.login("leader", ADMIN_PASSWORD).await;
    let citizen = app.login("citizen", ADMIN_PASSWORD).await;
    let other = app.login("other", ADMIN_PASSWORD).await;
    let procedure: Value = app
        .post_as(&admin, "/api/v1/procedures", &json!({
            "code": "1.001193", "name": "Khai sinh", "field": "Hộ tịch", "level": "commune", "online_service": "full",
            "processing_time": {"value": 1, "unit": "working_days"}, "fee": 0,
        }))
        .await
        .json()
        .await
        .unwrap();
    let intake = |channel: &str| {
        json!({
            "procedure_id": procedure["id"], "agency_id": commune, "channel": channel,
            "applicant": {"kind": "citizen", "full_name": "Nguyễn Văn An"},
        })
    };
    let online: Value =
        app.post_as(&citizen, "/api/v1/dossiers", &intake("online")).await.json().await.unwrap();
    let desk: Value =
        app.post_as(&officer, "/api/v1/dossiers", &intake("direct")).await.json().await.unwrap();
    let survey_path = |d: &Value| format!("/api/v1/dossiers/{}/survey", d["id"].as_str().unwrap());

    assert_eq!(
        app.post_as(&other, &survey_path(&online), &json!({"level": "satisfied"})).await.status(),
        404,
        "not theirs"
    );
    let bad = app.post_as(&citizen, &survey_path(&online), &json!({"level": "delighted"})).await;
    assert_eq!(bad.status(), 422);
    assert_eq!(error_fields(&problem(bad).await), ["level"]);
    let mine = app
        .post_as(&citizen, &survey_path(&online), &json!({"level": "very_satisfied", "comment": "Nhanh"}))
        .await;
    assert_eq!(mine.status(), 201);
    let mine: Value = mine.json().await.unwrap();
    assert_eq!(mine["source"], "citizen");
    let again = app.post_as(&citizen, &survey_path(&online), &json!({"level": "unsatisfied"})).await;
    assert_eq!(again.status(), 409);
    assert_eq!(problem(again).await["existing_id"], mine["id"]);
    let read: Value = app.get_as(&citizen, &survey_path(&online)).await.json().await.unwrap();
    assert_eq!(read["level"], "very_satisfied");

    assert_eq!(app.post_as(&leader, &survey_path(&desk), &json!({"level": "satisfied"})).await.status(), 403);
    let backdated = app
        .post_as(
            &officer,
            &survey_path(&desk),
            &json!({"level": "satisfied", "submitted_at": "2024-01-01T00:00:00Z"}),
        )
        .await;
    assert_eq!(backdated.status(), 422);
    assert_eq!(error_fields(&problem(backdated).await), ["submitted_at"]);
    let kiosk: Value = app
        .post_as(&officer, &survey_path(&desk), &json!({"level": "satisfied"}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(kiosk["source"], "kiosk");

    let all: Value = app.get_as(&leader, "/api/v1/surveys").await.json().await.unwrap();
    assert_eq!(all["items"].as_array().unwrap().len(), 2);
    let satisfied: Value = app.get_as(&leader, "/api/v1/surveys?level=satisfied").await.json().await.unwrap();
    assert_eq!(satisfied["items"].as_array().unwrap().len(), 1);
    assert_eq!(app.get_as(&citizen, "/api/v1/surveys").await.status(), 403);
}
