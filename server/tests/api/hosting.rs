use crate::helpers::*;
use domain::entities::{service, user};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

async fn service_ids_of(app: &TestApp, email: &str) -> Vec<i32> {
    let u = user::Entity::find()
        .filter(user::Column::Email.eq(email))
        .one(&app.services.db)
        .await
        .unwrap()
        .unwrap();
    service::Entity::find()
        .filter(service::Column::ClientId.eq(u.id))
        .all(&app.services.db)
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.id)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_sees_only_their_own_services() {
    let app = spawn_app().await;
    let ben = app.client();
    app.sign_in(&ben, "ben@example.com", DEMO_PASSWORD).await;
    let anas = service_ids_of(&app, "ana@example.com").await;
    let bens = service_ids_of(&app, "ben@example.com").await;

    let res = app.call(&ben, "list_services", &[]).await;
    let list: serde_json::Value = res.json().await.unwrap();
    let ids: Vec<i64> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids.len(), bens.len());
    assert!(ids.iter().all(|id| bens.contains(&(*id as i32))));

    // Another client's service: 404 from the server function and the page, like a missing one.
    let other = anas[0].to_string();
    assert_eq!(
        app.call(&ben, "get_service", &[("id", &other)])
            .await
            .status(),
        404
    );
    assert_eq!(
        app.call(&ben, "get_service", &[("id", "999999")])
            .await
            .status(),
        404
    );
    let (status, html) = app.get_html(&ben, &format!("/services/{other}")).await;
    assert_eq!(status, 404);
    assert!(
        !html.contains(".example</h1>"),
        "no detail of another client's service"
    );
    let (status, _) = app.get_html(&ben, &format!("/services/{}", bens[0])).await;
    assert_eq!(status, 200);

    assert_eq!(
        app.call(&ben, "list_services", &[("status", "bogus")])
            .await
            .status(),
        400
    );
    assert_eq!(
        app.call(&app.client(), "list_services", &[]).await.status(),
        401
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_home_page_shows_each_status_and_the_latest_news() {
    let app = spawn_app().await;
    let ana = app.client();
    app.sign_in(&ana, "ana@example.com", DEMO_PASSWORD).await;
    let (status, html) = app.get_html(&ana, "/").await;
    assert_eq!(status, 200);
    for label in [
        "Activo",
        "Suspendido",
        "Terminado",
        "Pendiente",
        "Cancelado",
    ] {
        assert!(html.contains(label), "{label} missing");
    }
    assert!(html.contains("tienda-ana.example"));
    assert!(
        html.contains("Mantenimiento programado"),
        "latest news in Spanish"
    );
    assert!(!html.contains("borrador"), "drafts never show");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn news_is_public_paginated_and_has_an_atom_feed() {
    let app = spawn_app().await;
    let anonymous = app.client();
    let (status, html) = app.get_html(&anonymous, "/news").await;
    assert_eq!(status, 200);
    assert!(html.contains("Scheduled maintenance on Sunday night"));
    let (status, html) = app.get_html(&anonymous, "/news/php-84-available").await;
    assert_eq!(status, 200);
    assert!(
        html.contains("<strong>PHP 8.4</strong>"),
        "Markdown rendered"
    );
    let (status, _) = app
        .get_html(
            &anonymous,
            &format!("/news/{}", domain::demo::DRAFT_NEWS_SLUG),
        )
        .await;
    assert_eq!(status, 404);

    let res = anonymous
        .get(app.url("/news/feed.xml?lang=es"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/atom+xml"));
    let xml = res.text().await.unwrap();
    assert!(
        xml.contains("<title>Ya está disponible PHP 8.4</title>"),
        "{xml}"
    );
    assert!(xml.contains(&format!("{}/news/php-84-available", app.address)));
    assert!(!xml.contains(domain::demo::DRAFT_NEWS_SLUG));
}
