use crate::helpers::*;
use domain::{
    content::kb,
    demo::{KB_BILLING_ARTICLE_ES, KB_DRAFT_SLUG},
    entities::{kb_article, kb_vote},
};
use reqwest::{header, Client};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

async fn get_es(app: &TestApp, client: &Client, path: &str) -> (u16, String) {
    let res = client
        .get(app.url(path))
        .header(header::ACCEPT_LANGUAGE, "es-ES,es;q=0.9")
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

async fn votes_on(app: &TestApp, article_id: i32) -> u64 {
    kb_vote::Entity::find()
        .filter(kb_vote::Column::ArticleId.eq(article_id))
        .count(&app.services.db)
        .await
        .unwrap()
}

async fn views_of(app: &TestApp, article_id: i32) -> i64 {
    kb_article::Entity::find_by_id(article_id)
        .one(&app.services.db)
        .await
        .unwrap()
        .unwrap()
        .views
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_knowledge_base_is_public_and_searchable_without_accents() {
    let app = spawn_app().await;
    let visitor = app.client();
    let (status, html) = get_es(&app, &visitor, "/kb").await;
    assert_eq!(status, 200);
    assert!(html.contains("Facturación") && html.contains("Buscar en la base de conocimiento"));

    let (status, html) = get_es(&app, &visitor, "/kb/search?q=facturacion").await;
    assert_eq!(status, 200);
    let (cat, slug) = KB_BILLING_ARTICLE_ES;
    assert!(
        html.contains(&format!("/kb/{cat}/{slug}")),
        "search hit linked"
    );
    assert!(html.contains("¿Cómo funciona la facturación?"));
    assert!(!html.contains(KB_DRAFT_SLUG), "drafts are never found");

    let (status, html) = get_es(&app, &visitor, "/kb/search?q=zzzz").await;
    assert_eq!(status, 200);
    assert!(html.contains("Ningún artículo coincide"));

    let (status, html) = get_es(&app, &visitor, &format!("/kb/{cat}")).await;
    assert_eq!(status, 200);
    assert!(html.contains(slug));

    let (status, html) = get_es(&app, &visitor, &format!("/kb/{cat}/{slug}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("¿Has encontrado la respuesta?"));
    assert!(html.contains("Artículos relacionados"));
    assert!(
        !html.contains("kb-helpful"),
        "vote counts are for staff only"
    );

    for missing in [
        format!("/kb/{cat}/{KB_DRAFT_SLUG}"),
        "/kb/no-such-topic".to_string(),
        format!("/kb/correo/{slug}"),
    ] {
        assert_eq!(get_es(&app, &visitor, &missing).await.0, 404, "{missing}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_vote_per_person_and_views_are_counted() {
    let app = spawn_app().await;
    let (cat, slug) = KB_BILLING_ARTICLE_ES;
    let id = kb::article_id(&app.services.db, "es", slug).await.unwrap();
    let id_s = id.to_string();
    let vote = |helpful: &'static str| {
        [
            ("article_id", id_s.clone()),
            ("helpful", helpful.to_string()),
            ("category", cat.to_string()),
            ("slug", slug.to_string()),
        ]
    };

    // A visitor who is not signed in, voting without JavaScript: the first vote counts and
    // sets the visitor cookie; later votes from that browser do not count.
    let visitor = app.client();
    for (i, helpful) in ["yes", "yes", "no"].into_iter().enumerate() {
        let res = visitor
            .post(app.url("/_fn/kb_vote"))
            .header(header::ORIGIN, &app.address)
            .header(header::ACCEPT, "text/html")
            .form(&vote(helpful))
            .send()
            .await
            .unwrap();
        assert!(res.status().is_redirection(), "{}", res.status());
        let sets_cookie = res
            .headers()
            .get_all(header::SET_COOKIE)
            .iter()
            .any(|c| c.to_str().unwrap().starts_with("portico_visitor="));
        assert_eq!(sets_cookie, i == 0, "vote {i}");
    }
    assert_eq!(votes_on(&app, id).await, 1);

    // A signed-in client: one more vote, however often they answer.
    let ana = app.client();
    app.sign_in(&ana, "ana@example.com", DEMO_PASSWORD).await;
    let pairs = [
        ("article_id", id_s.as_str()),
        ("helpful", "no"),
        ("category", cat),
        ("slug", slug),
    ];
    for _ in 0..3 {
        let res = app.call(&ana, "kb_vote", &pairs).await;
        assert!(res.status().is_success(), "{}", res.status());
    }
    assert_eq!(votes_on(&app, id).await, 2);
    let (_, html) = get_es(&app, &ana, &format!("/kb/{cat}/{slug}?voted=1")).await;
    assert!(html.contains("Gracias por tu respuesta"));

    // Bad input is a 4xx, never a 500 or a vote.
    let mut bad = pairs;
    bad[1] = ("helpful", "maybe");
    assert_eq!(app.call(&ana, "kb_vote", &bad).await.status(), 400);
    let draft = kb::article_id(&app.services.db, "es", KB_DRAFT_SLUG)
        .await
        .unwrap()
        .to_string();
    bad = pairs;
    bad[0] = ("article_id", &draft);
    assert_eq!(app.call(&ana, "kb_vote", &bad).await.status(), 404);
    bad[0] = ("article_id", "not-a-number");
    assert_eq!(app.call(&ana, "kb_vote", &bad).await.status(), 400);
    assert_eq!(votes_on(&app, id).await, 2);

    // Views: each visit counts, coming back from a vote does not.
    let before = views_of(&app, id).await;
    get_es(&app, &visitor, &format!("/kb/{cat}/{slug}")).await;
    get_es(&app, &visitor, &format!("/kb/{cat}/{slug}")).await;
    get_es(&app, &visitor, &format!("/kb/{cat}/{slug}?voted=1")).await;
    assert_eq!(views_of(&app, id).await, before + 2);

    // Staff see the counts on the article; clients do not.
    let admin = app.client();
    app.sign_in(&admin, "admin@example.com", DEMO_PASSWORD)
        .await;
    // The staff account reads English; switching to Spanish reaches the Spanish article.
    app.call(&admin, "set_language", &[("lang", "es")]).await;
    let (_, html) = app.get_html(&admin, &format!("/kb/{cat}/{slug}")).await;
    assert!(html.contains(r#"data-testid="kb-helpful">1<"#), "one yes");
    assert!(
        html.contains(r#"data-testid="kb-not-helpful">1<"#),
        "one no"
    );
}
