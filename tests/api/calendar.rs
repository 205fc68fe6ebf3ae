//! Days off, make-up days, office hours and due dates through HTTP.

use serde_json::{Value, json};

use crate::helpers::{TestApp, error_fields, problem, spawn_app};

async fn due(app: &TestApp, token: &str, query: &str) -> Value {
    let response = app.get_as(token, &format!("/api/v1/calendar/due?{query}")).await;
    assert_eq!(response.status(), 200, "{query}");
    response.json().await.unwrap()
}

#[tokio::test]
async fn national_days_are_seeded_with_their_sources() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let days: Value = app.get_as(&admin, "/api/v1/calendar/days-off?year=2025").await.json().await.unwrap();
    let tet: Vec<&str> = days["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["name"].as_str().unwrap().starts_with("Tết Nguyên đán"))
        .map(|d| d["date"].as_str().unwrap())
        .collect();
    assert_eq!(tet, ["2025-01-27", "2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31"]);
    assert!(
        days["items"].as_array().unwrap().iter().all(|d| d["source"].as_str().is_some_and(|s| !s.is_empty()))
    );
    let y2026: Value = app.get_as(&admin, "/api/v1/calendar/days-off?year=2026").await.json().await.unwrap();
    let make_up: Vec<&str> = y2026["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["kind"] == "make_up_workday")
        .map(|d| d["date"].as_str().unwrap())
        .collect();
    assert_eq!(make_up, ["2026-01-10", "2026-08-22"]);
}

#[tokio::test]
async fn due_preview_follows_the_calendar() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    // Friday 16:00 plus one working day: Monday 16:00 (09:00 UTC).
    let friday = due(&app, &admin, "start=2024-01-05T16:00:00%2B07:00&working_days=1").await;
    assert_eq!(friday["due_at"], "2024-01-08T09:00:00Z");
    assert_eq!(friday["working_minutes"], 480);
    // An unencoded '+' arrives as a space and is still understood.
    let plus = due(&app, &admin, "start=2024-01-05T16:00:00+07:00&working_days=1").await;
    assert_eq!(plus["due_at"], "2024-01-08T09:00:00Z");
    // Accepted the Friday before Tết 2025 at 10:00: due Monday 3 February at 10:00.
    let tet = due(&app, &admin, "start=2025-01-24T03:00:00Z&working_days=1").await;
    assert_eq!(tet["due_at"], "2025-02-03T03:00:00Z");
    let hours = due(&app, &admin, "start=2024-01-08T07:30:00%2B07:00&working_hours=4").await;
    assert_eq!(hours["due_at"], "2024-01-08T04:30:00Z");

    for (query, field) in [
        ("start=2024-01-05T16:00:00Z&working_days=1&working_hours=2", "working_days"),
        ("start=2024-01-05T16:00:00Z", "working_days"),
        ("working_days=1", "start"),
        ("start=yesterday&working_days=1", "start"),
        ("start=2024-01-05T16:00:00Z&working_days=-1", "working_days"),
    ] {
        let response = app.get_as(&admin, &format!("/api/v1/calendar/due?{query}")).await;
        assert_eq!(response.status(), 400, "{query}");
        assert_eq!(error_fields(&problem(response).await), [field], "{query}");
    }
}

#[tokio::test]
async fn agency_days_off_change_that_agencys_due_dates_only() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let province = app.create_agency(&admin, "P01", "province", None).await;
    let commune = app.create_agency(&admin, "P01.C01", "commune", Some(&province)).await;
    let query = |agency: &str| format!("start=2024-01-05T16:00:00%2B07:00&working_days=1&agency_id={agency}");
    assert_eq!(due(&app, &admin, &query(&commune)).await["due_at"], "2024-01-08T09:00:00Z");

    // A provincial day off on Monday 8 January applies to the commune below it.
    let created = app
        .post_as(
            &admin,
            "/api/v1/calendar/days-off",
            &json!({"date": "2024-01-08", "kind": "holiday", "name": "Ngày lễ tỉnh", "agency_id": province}),
        )
        .await;
    assert_eq!(created.status(), 201);
    let day_id = created.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
    assert_eq!(
        due(&app, &admin, &query(&commune)).await["due_at"],
        "2024-01-09T09:00:00Z",
        "cache was refreshed"
    );
    assert_eq!(
        due(&app, &admin, "start=2024-01-05T16:00:00%2B07:00&working_days=1").await["due_at"],
        "2024-01-08T09:00:00Z"
    );
    let listed: Value = app
        .get_as(&admin, &format!("/api/v1/calendar/days-off?year=2024&agency_id={commune}"))
        .await
        .json()
        .await
        .unwrap();
    assert!(listed["items"].as_array().unwrap().iter().any(|d| d["id"] == day_id.as_str()));

    let again = app
        .post_as(
            &admin,
            "/api/v1/calendar/days-off",
            &json!({"date": "2024-01-08", "kind": "compensatory", "name": "x", "agency_id": province}),
        )
        .await;
    assert_eq!(again.status(), 409);
    assert_eq!(error_fields(&problem(again).await), ["date"]);
    let bad_kind = app
        .post_as(
            &admin,
            "/api/v1/calendar/days-off",
            &json!({"date": "2024-01-09", "kind": "party", "name": "x"}),
        )
        .await;
    assert_eq!(bad_kind.status(), 422);
    assert_eq!(error_fields(&problem(bad_kind).await), ["kind"]);

    assert_eq!(
        app.send(reqwest::Method::DELETE, &format!("/api/v1/calendar/days-off/{day_id}"), Some(&admin), None)
            .await
            .status(),
        204
    );
    assert_eq!(due(&app, &admin, &query(&commune)).await["due_at"], "2024-01-08T09:00:00Z");
}

#[tokio::test]
async fn saturday_morning_schedules_are_inherited() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let province = app.create_agency(&admin, "P01", "province", None).await;
    let commune = app.create_agency(&admin, "P01.C01", "commune", Some(&province)).await;
    let week = json!({
        "monday": [{"start": "07:30", "end": "11:30"}, {"start": "13:30", "end": "17:30"}],
        "tuesday": [{"start": "07:30", "end": "11:30"}, {"start": "13:30", "end": "17:30"}],
        "wednesday": [{"start": "07:30", "end": "11:30"}, {"start": "13:30", "end": "17:30"}],
        "thursday": [{"start": "07:30", "end": "11:30"}, {"start": "13:30", "end": "17:30"}],
        "friday": [{"start": "07:30", "end": "11:30"}, {"start": "13:30", "end": "17:30"}],
        "saturday": [{"start": "07:30", "end": "11:30"}]
    });
    let put = app
        .send(
            reqwest::Method::PUT,
            &format!("/api/v1/agencies/{province}/schedule"),
            Some(&admin),
            Some(&week),
        )
        .await;
    assert_eq!(put.status(), 200);
    let inherited: Value =
        app.get_as(&admin, &format!("/api/v1/agencies/{commune}/schedule")).await.json().await.unwrap();
    assert_eq!(inherited["defined_by"], province.as_str());
    assert_eq!(inherited["week"]["saturday"][0]["end"], "11:30");
    // Friday 16:00 + 8 h: 1.5 h Friday, 4 h Saturday morning, 2.5 h Monday → Monday 10:00.
    let preview =
        due(&app, &admin, &format!("start=2024-01-05T16:00:00%2B07:00&working_days=1&agency_id={commune}"))
            .await;
    assert_eq!(preview["due_at"], "2024-01-08T03:00:00Z");

    let overlapping =
        json!({"monday": [{"start": "07:30", "end": "11:30"}, {"start": "11:00", "end": "12:00"}]});
    let bad = app
        .send(
            reqwest::Method::PUT,
            &format!("/api/v1/agencies/{province}/schedule"),
            Some(&admin),
            Some(&overlapping),
        )
        .await;
    assert_eq!(bad.status(), 422);
    assert_eq!(error_fields(&problem(bad).await), ["monday"]);
    let bad_time = app
        .send(
            reqwest::Method::PUT,
            &format!("/api/v1/agencies/{province}/schedule"),
            Some(&admin),
            Some(&json!({"monday": [{"start": "7h", "end": "11:30"}]})),
        )
        .await;
    assert_eq!(bad_time.status(), 422);

    let removed = app
        .send(reqwest::Method::DELETE, &format!("/api/v1/agencies/{province}/schedule"), Some(&admin), None)
        .await;
    assert_eq!(removed.status(), 204);
    let default: Value =
        app.get_as(&admin, &format!("/api/v1/agencies/{commune}/schedule")).await.json().await.unwrap();
    assert_eq!(default["defined_by"], Value::Null);
    assert!(default["week"].get("saturday").is_none());
}

/// A commune moved under another province works by that province's office hours from the next
/// request on: the cached calendar of its old place is not used.
#[tokio::test]
async fn a_moved_agency_takes_its_new_place_calendar_at_once() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let saturdays = app.create_agency(&admin, "P01", "province", None).await;
    let weekdays = app.create_agency(&admin, "P02", "province", None).await;
    let commune = app.create_agency(&admin, "P01.C01", "commune", Some(&saturdays)).await;
    let day = json!([{"start": "07:30", "end": "11:30"}, {"start": "13:30", "end": "17:30"}]);
    let week = json!({
        "monday": day, "tuesday": day, "wednesday": day, "thursday": day, "friday": day,
        "saturday": [{"start": "07:30", "end": "11:30"}]
    });
    let schedule = format!("/api/v1/agencies/{saturdays}/schedule");
    let put = app.send(reqwest::Method::PUT, &schedule, Some(&admin), Some(&week)).await;
    assert_eq!(put.status(), 200);
    let query = format!("start=2024-01-05T16:00:00%2B07:00&working_days=1&agency_id={commune}");
    // Friday 16:00 + 8 h with Saturday mornings: Monday 10:00 (read once, so it is cached).
    assert_eq!(due(&app, &admin, &query).await["due_at"], "2024-01-08T03:00:00Z");

    let moved =
        app.patch_as(&admin, &format!("/api/v1/agencies/{commune}"), &json!({"parent_id": weekdays})).await;
    assert_eq!(moved.status(), 200);
    // Without Saturdays: 1.5 h on Friday, 4 h Monday morning, 2.5 h from 13:30: Monday 16:00.
    assert_eq!(due(&app, &admin, &query).await["due_at"], "2024-01-08T09:00:00Z");
}
