//! The dossier events carry the step that made them: who took it (name, title, unit), what, its
//! note and when, and the step as the portal's progress update takes it, the same as
//! `GET …/dvcqg/dossiers/{id}/progress` gives it.

use std::time::Duration;

use serde_json::{Value, json};

use crate::helpers::{desk, spawn_app, submit_dossier};

/// The dossier's event of `event_type`, read from the feed as `token` (waiting up to 10 s: on
/// PostgreSQL an event shows once older transactions of other tests have ended).
async fn feed_event(app: &crate::helpers::TestApp, token: &str, dossier: &str, event_type: &str) -> Value {
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let (mut cursor, mut found) = (None::<String>, None);
        loop {
            let path = match &cursor {
                Some(c) => format!("/api/v1/events?limit=500&after={c}"),
                None => "/api/v1/events?limit=500".to_owned(),
            };
            let page: Value = app.get_as(token, &path).await.json().await.unwrap();
            let items = page["items"].as_array().unwrap();
            if items.is_empty() {
                break;
            }
            found = items
                .iter()
                .find(|e| e["type"] == event_type && e["data"]["id"] == dossier)
                .cloned()
                .or(found);
            cursor = page["next_cursor"].as_str().map(str::to_owned);
        }
        if let Some(event) = found {
            return event;
        }
        assert!(std::time::Instant::now() < deadline, "no {event_type} event in the feed");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn an_event_names_who_took_the_step_and_agrees_with_the_progress() {
    let app = spawn_app().await;
    let desk = desk(&app).await;
    let body = json!({
        "procedure_id": desk.procedure, "agency_id": desk.commune, "channel": "direct",
        "applicant": {"kind": "citizen", "full_name": "Nguyễn Văn Án", "phone": "0912345678"},
        "components": [{"name": "Tờ khai", "digitized": true}],
    });
    let id = submit_dossier(&app, &desk.officer, &body).await["id"].as_str().unwrap().to_owned();
    let step = json!({"outcome": "refused", "result_digitized": false, "note": "Không đủ điều kiện"});
    let response = app.post_as(&desk.officer, &format!("/api/v1/dossiers/{id}/resolve"), &step).await;
    assert_eq!(response.status(), 200);

    let event = feed_event(&app, &desk.admin, &id, "dossier.resolved").await;
    let data = &event["data"];
    let actor = &data["actor"];
    assert_eq!(actor["id"], desk.officer_id.as_str());
    assert_eq!((actor["kind"].as_str(), actor["role"].as_str()), (Some("user"), Some("officer")));
    assert_eq!(actor["name"], "Cán bộ officer");
    assert!(actor["title"].as_str().is_some_and(|t| !t.is_empty()), "the role's label");
    assert_eq!(actor["unit"], json!({"id": desk.commune, "code": "P01.C01", "name": "Đơn vị P01.C01"}));
    assert_eq!(
        (data["action"].as_str(), data["note"].as_str()),
        (Some("resolve"), Some("Không đủ điều kiện"))
    );
    assert_eq!(data["at"], data["resolved_at"]);
    let text = data.to_string();
    assert!(!text.contains("Nguyễn Văn Án") && !text.contains("0912345678"), "no personal data");

    let progress: Value = app
        .get_as(&desk.admin, &format!("/api/v1/integrations/dvcqg/dossiers/{id}/progress"))
        .await
        .json()
        .await
        .unwrap();
    let steps = progress["QuaTrinhXuLy"].as_array().unwrap();
    assert_eq!(&data["progress"], steps.last().unwrap(), "the event's step is the endpoint's");
    assert_eq!(data["progress"]["NguoiXuLy"], actor["name"]);
    assert_eq!(data["progress"]["ChucDanh"], actor["title"]);
    assert_eq!(data["progress"]["PhongBanXuLy"], actor["unit"]["name"]);
    let intake = feed_event(&app, &desk.admin, &id, "dossier.accepted").await;
    assert_eq!(&intake["data"]["progress"]["NoiDungXuLy"], &steps[0]["NoiDungXuLy"]);
    assert_eq!(intake["data"]["action"], "intake");

    // The applicant's own step names no one.
    let online = json!({
        "procedure_id": desk.procedure, "agency_id": desk.commune, "channel": "online",
        "applicant": {"kind": "citizen", "full_name": "Nguyễn Văn Án"},
        "components": [{"name": "Tờ khai", "digitized": true}],
    });
    let mine = submit_dossier(&app, &desk.citizen, &online).await["id"].as_str().unwrap().to_owned();
    let submitted = feed_event(&app, &desk.admin, &mine, "dossier.submitted").await;
    let actor = &submitted["data"]["actor"];
    assert_eq!(
        (actor["id"].clone(), actor["name"].clone(), actor["unit"].clone()),
        (Value::Null, json!("Công dân"), Value::Null)
    );
}
