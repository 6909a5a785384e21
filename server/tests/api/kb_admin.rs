//! Staff knowledge-base editing through the server functions.
use crate::helpers::*;
use domain::entities::{kb_article, kb_category};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

async fn category_id(app: &TestApp, language: &str, slug: &str) -> String {
    kb_category::Entity::find()
        .filter(kb_category::Column::Language.eq(language))
        .filter(kb_category::Column::Slug.eq(slug))
        .one(&app.services.db)
        .await
        .unwrap()
        .unwrap()
        .id
        .to_string()
}

async fn articles(app: &TestApp) -> u64 {
    kb_article::Entity::find()
        .count(&app.services.db)
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_staff_edit_the_knowledge_base() {
    let app = spawn_app().await;
    let correo = category_id(&app, "es", "correo").await;
    let ben = app.client();
    app.sign_in(&ben, "ben@example.com", DEMO_PASSWORD).await;
    let anon = app.client();
    let calls: Vec<(&str, Vec<(&str, &str)>)> = vec![
        ("staff_kb_articles", vec![]),
        ("staff_kb_article_form", vec![]),
        (
            "staff_kb_article_save",
            vec![
                ("category", &correo),
                ("title", "x"),
                ("tags", ""),
                ("body", "y"),
            ],
        ),
        ("staff_kb_article_delete", vec![("id", "1")]),
        ("staff_kb_categories", vec![]),
        (
            "staff_kb_category_save",
            vec![
                ("name", "x"),
                ("description", ""),
                ("language", "es"),
                ("sort_order", "1"),
            ],
        ),
        ("staff_kb_category_delete", vec![("id", "1")]),
    ];
    let before = articles(&app).await;
    for (name, form) in &calls {
        assert_eq!(app.call(&ben, name, form).await.status(), 403, "{name}");
        assert_eq!(app.call(&anon, name, form).await.status(), 401, "{name}");
    }
    assert_eq!(articles(&app).await, before, "nothing written");
    for path in [
        "/staff/kb",
        "/staff/kb/articles/new",
        "/staff/kb/categories",
    ] {
        assert_eq!(app.get_html(&ben, path).await.0, 403, "{path}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_publish_an_article_that_readers_find() {
    let app = spawn_app().await;
    let correo = category_id(&app, "es", "correo").await;
    let admin = app.client();
    app.sign_in(&admin, "admin@example.com", DEMO_PASSWORD)
        .await;
    for path in [
        "/staff/kb",
        "/staff/kb/articles/new",
        "/staff/kb/categories",
    ] {
        assert_eq!(app.get_html(&admin, path).await.0, 200, "{path}");
    }
    let res = app
        .call(
            &admin,
            "staff_kb_article_save",
            &[
                ("category", &correo),
                ("title", "Límite de envío de correos"),
                ("tags", "correo, envío"),
                ("body", "Puedes enviar **500 correos** por hora."),
                ("published", "on"),
            ],
        )
        .await;
    assert!(res.status().is_success(), "{}", res.status());
    // A visitor reading Spanish finds it without accents.
    let spanish = app
        .client()
        .get(app.url("/kb/search?q=limite%20envio"))
        .header(reqwest::header::ACCEPT_LANGUAGE, "es")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(spanish.contains("/kb/correo/limite-de-envio-de-correos"));

    // Bad input: a 4xx with a message, nothing written.
    let before = articles(&app).await;
    for (form, code) in [
        (
            vec![
                ("category", correo.as_str()),
                ("title", " "),
                ("tags", ""),
                ("body", "x"),
            ],
            422,
        ),
        (
            vec![
                ("category", "99999"),
                ("title", "T"),
                ("tags", ""),
                ("body", "x"),
            ],
            422,
        ),
        (
            vec![
                ("category", "abc"),
                ("title", "T"),
                ("tags", ""),
                ("body", "x"),
            ],
            400,
        ),
    ] {
        let res = app.call(&admin, "staff_kb_article_save", &form).await;
        assert_eq!(res.status(), code, "{form:?}");
    }
    assert_eq!(articles(&app).await, before);
    // A topic with articles cannot be deleted.
    let res = app
        .call(&admin, "staff_kb_category_delete", &[("id", &correo)])
        .await;
    assert_eq!(res.status(), 422);
}
