//! Staff news publishing through the server functions and the pages built on them.
use crate::helpers::*;
use reqwest::{header, Client};

/// A complete, valid news form; `extra` fields are added or, by name, replace a default.
fn news_form<'a>(
    title: &'a str,
    language: &'a str,
    extra: &[(&'a str, &'a str)],
) -> Vec<(&'a str, &'a str)> {
    let mut form = vec![
        ("title", title),
        ("language", language),
        ("date", ""),
        ("body", "Hello **readers**.\r\n\r\nSecond paragraph."),
    ];
    for (k, v) in extra {
        form.retain(|(name, _)| name != k);
        form.push((k, v));
    }
    form
}

async fn signed_in(app: &TestApp, email: &str) -> Client {
    let c = app.client();
    let res = app.sign_in(&c, email, DEMO_PASSWORD).await;
    assert!(session_cookie(&res).is_some(), "{email} signed in");
    c
}

/// Items of the staff list as (id, title, status).
async fn staff_list(app: &TestApp, staff: &Client) -> Vec<(i64, String, String)> {
    let res = app.call(staff, "staff_news_list", &[]).await;
    assert_eq!(res.status(), 200);
    let body: serde_json::Value = res.json().await.unwrap();
    body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["id"].as_i64().unwrap(),
                n["title"].as_str().unwrap().to_owned(),
                n["status"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

async fn feed(app: &TestApp, lang: &str) -> String {
    let url = app.url(&format!("/news/feed.xml?lang={lang}"));
    app.client()
        .get(url)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_staff_can_use_the_news_functions_and_pages() {
    let app = spawn_app().await;
    let calls: [(&str, Vec<(&str, &str)>); 6] = [
        ("staff_news_list", vec![]),
        ("staff_news_blank", vec![]),
        ("staff_news_get", vec![("id", "1")]),
        (
            "staff_news_create",
            news_form("Sneaky", "en", &[("published", "on")]),
        ),
        (
            "staff_news_update",
            news_form("Sneaky", "en", &[("id", "1"), ("published", "on")]),
        ),
        ("staff_news_delete", vec![("id", "1")]),
    ];
    let client = signed_in(&app, "ben@example.com").await;
    let anonymous = app.client();
    for (name, form) in &calls {
        assert_eq!(
            app.call(&client, name, form).await.status(),
            403,
            "{name} as a client"
        );
        assert_eq!(
            app.call(&anonymous, name, form).await.status(),
            401,
            "{name} signed out"
        );
    }
    let staff = signed_in(&app, "admin@example.com").await;
    let items = staff_list(&app, &staff).await;
    assert!(
        items.iter().all(|(_, title, _)| title != "Sneaky"),
        "nothing created"
    );
    assert!(items.iter().any(|(id, _, _)| *id == 1), "nothing deleted");

    for path in ["/staff/news", "/staff/news/new", "/staff/news/1"] {
        let (status, html) = app.get_html(&client, path).await;
        assert_eq!(status, 403, "{path}");
        assert!(html.contains("Not allowed"), "{path}");
        let res = anonymous.get(app.url(path)).send().await.unwrap();
        assert_eq!(res.status(), 303, "{path} sends visitors to sign in");
    }
    let (status, html) = app.get_html(&staff, "/staff").await;
    assert_eq!(status, 200);
    assert!(
        html.contains(r#"href="/staff/news""#),
        "staff home links to the news"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn published_news_reaches_readers_and_drafts_do_not() {
    let app = spawn_app().await;
    let staff = signed_in(&app, "admin@example.com").await;
    let published = news_form("Fresh from the test suite", "en", &[("published", "on")]);
    let res = app.call(&staff, "staff_news_create", &published).await;
    assert!(
        res.status().is_success() || res.status().is_redirection(),
        "{}",
        res.status()
    );
    let draft = news_form("Secret test draft", "en", &[]);
    let res = app.call(&staff, "staff_news_create", &draft).await;
    assert!(
        res.status().is_success() || res.status().is_redirection(),
        "{}",
        res.status()
    );
    let spanish = news_form("Facturación más sencilla", "es", &[("published", "on")]);
    app.call(&staff, "staff_news_create", &spanish).await;

    let items = staff_list(&app, &staff).await;
    let status_of = |title: &str| {
        items
            .iter()
            .find(|(_, t, _)| t == title)
            .map(|(_, _, s)| s.clone())
    };
    assert_eq!(
        status_of("Fresh from the test suite").as_deref(),
        Some("Published")
    );
    assert_eq!(status_of("Secret test draft").as_deref(), Some("Draft"));

    let reader = app.client();
    let (status, html) = app.get_html(&reader, "/news").await;
    assert_eq!(status, 200);
    assert!(html.contains("Fresh from the test suite"));
    assert!(!html.contains("Secret test draft"));
    assert!(
        !html.contains("Facturación más sencilla"),
        "English readers get English news"
    );
    let (status, html) = app
        .get_html(&reader, "/news/fresh-from-the-test-suite")
        .await;
    assert_eq!(status, 200);
    assert!(
        html.contains("<strong>readers</strong>"),
        "Markdown rendered"
    );
    let (status, _) = app.get_html(&reader, "/news/secret-test-draft").await;
    assert_eq!(status, 404);

    let xml = feed(&app, "en").await;
    assert!(
        xml.contains("<title>Fresh from the test suite</title>"),
        "{xml}"
    );
    assert!(!xml.contains("Secret test draft"));
    let xml = feed(&app, "es").await;
    assert!(
        xml.contains("/news/facturacion-mas-sencilla"),
        "accents folded in the slug: {xml}"
    );

    // Publishing the draft, then deleting it.
    let (draft_id, _, _) = items
        .iter()
        .find(|(_, t, _)| t == "Secret test draft")
        .unwrap()
        .clone();
    let id = draft_id.to_string();
    let form = news_form(
        "Secret test draft",
        "en",
        &[("id", &id), ("published", "on")],
    );
    app.call(&staff, "staff_news_update", &form).await;
    assert!(feed(&app, "en").await.contains("Secret test draft"));
    let res = app.call(&staff, "staff_news_delete", &[("id", &id)]).await;
    assert!(res.status().is_success() || res.status().is_redirection());
    assert!(!feed(&app, "en").await.contains("Secret test draft"));
    assert_eq!(
        app.call(&staff, "staff_news_get", &[("id", &id)])
            .await
            .status(),
        404
    );

    // The staff pages render the list and the form.
    let (status, html) = app.get_html(&staff, "/staff/news").await;
    assert_eq!(status, 200);
    assert!(html.contains("Fresh from the test suite") && html.contains("Draft"));
    let (status, html) = app.get_html(&staff, "/staff/news/new").await;
    assert_eq!(status, 200);
    assert!(html.contains(r#"name="body""#));
    let (status, _) = app.get_html(&staff, "/staff/news/999999").await;
    assert_eq!(status, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_news_is_a_form_error_never_a_server_error() {
    let app = spawn_app().await;
    let staff = signed_in(&app, "admin@example.com").await;
    let long_title = "x".repeat(201);
    for (form, field) in [
        (news_form("   ", "en", &[]), "NewsTitle"),
        (news_form(&long_title, "en", &[]), "NewsTitle"),
        (news_form("Title", "en", &[("body", "  ")]), "NewsBody"),
        (
            news_form("Title", "en", &[("date", "31/12/2026")]),
            "NewsDate",
        ),
        (news_form("Title", "fr", &[]), "Language"),
    ] {
        let res = app.call(&staff, "staff_news_create", &form).await;
        assert_eq!(res.status(), 422, "{field}");
        let body: serde_json::Value = res.json().await.unwrap();
        assert_eq!(body["Invalid"], field);
    }
    // Malformed calls and unknown items are client errors too.
    let no_body = vec![("title", "T"), ("language", "en"), ("date", "")];
    assert_eq!(
        app.call(&staff, "staff_news_create", &no_body)
            .await
            .status(),
        400
    );
    let ghost = news_form("Ghost", "en", &[("id", "999999")]);
    assert_eq!(
        app.call(&staff, "staff_news_update", &ghost).await.status(),
        404
    );
    assert_eq!(
        app.call(&staff, "staff_news_delete", &[("id", "999999")])
            .await
            .status(),
        404
    );
    assert_eq!(
        app.call(&staff, "staff_news_delete", &[("id", "abc")])
            .await
            .status(),
        400
    );

    // Without JavaScript the browser is sent back to the form, which shows the message.
    let res = staff
        .post(app.url("/_fn/staff_news_create"))
        .header(header::ORIGIN, &app.address)
        .header(header::ACCEPT, "text/html")
        .header(header::REFERER, app.url("/staff/news/new"))
        .form(&news_form("", "es", &[]))
        .send()
        .await
        .unwrap();
    assert!(res.status().is_redirection(), "{}", res.status());
    let back = res.headers()[header::LOCATION].to_str().unwrap().to_owned();
    assert!(back.contains("/staff/news/new"), "{back}");
    let html = staff.get(&back).send().await.unwrap().text().await.unwrap();
    assert!(
        html.contains("Enter a title of at most 200 characters."),
        "{html}"
    );
}
