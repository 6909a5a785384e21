use crate::helpers::*;
use reqwest::header;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_check_reports_the_database() {
    let app = spawn_app().await;
    let res = app.client().get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["database"], "ok");
    assert!(res_has_request_id(&app).await);
}

async fn res_has_request_id(app: &TestApp) -> bool {
    let res = app.client().get(app.url("/healthz")).send().await.unwrap();
    res.headers()
        .get("x-request-id")
        .is_some_and(|v| !v.is_empty())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signed_out_visitors_are_sent_to_the_login_page() {
    let app = spawn_app().await;
    let c = app.client();
    let res = c.get(app.url("/")).send().await.unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()[header::LOCATION], "/login");
    let res = c
        .get(app.url("/invoices?status=unpaid"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.headers()[header::LOCATION],
        "/login?next=%2Finvoices%3Fstatus%3Dunpaid"
    );
    // Public pages stay public.
    let (status, html) = app.get_html(&c, "/login").await;
    assert_eq!(status, 200);
    assert!(html.contains("<h1>Sign in</h1>"), "{html}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_opens_a_server_side_session_with_a_safe_cookie() {
    let app = spawn_app().await;
    let c = app.client();
    let res = app.sign_in(&c, "Ben@Example.com ", DEMO_PASSWORD).await;
    assert!(
        res.status().is_success() || res.status().is_redirection(),
        "{}",
        res.status()
    );
    let cookie = session_cookie(&res).expect("session cookie");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"),
        "{cookie}"
    );
    assert!(
        !cookie.contains("Secure"),
        "plain-http test server: {cookie}"
    );
    let (status, html) = app.get_html(&c, "/").await;
    assert_eq!(status, 200);
    assert!(html.contains("Hello, Ben"), "{html}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_password_and_unknown_email_get_the_same_answer() {
    let app = spawn_app().await;
    let c = app.client();
    let wrong = app.sign_in(&c, "ben@example.com", "not the password").await;
    let unknown = app
        .sign_in(&c, "nobody@example.com", "not the password")
        .await;
    assert_eq!(wrong.status(), 422);
    assert_eq!(unknown.status(), 422);
    assert!(session_cookie(&wrong).is_none());
    assert_eq!(wrong.text().await.unwrap(), unknown.text().await.unwrap());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn repeated_failures_throttle_the_account_even_with_the_right_password() {
    let app = spawn_app().await;
    let c = app.client();
    for _ in 0..5 {
        assert_eq!(
            app.sign_in(&c, "ben@example.com", "guess guess guess")
                .await
                .status(),
            422
        );
    }
    let res = app.sign_in(&c, "ben@example.com", DEMO_PASSWORD).await;
    assert_eq!(res.status(), 429);
    assert!(session_cookie(&res).is_none());
    // Another account from the same address is not locked by Ben's failures.
    assert!(session_cookie(&app.sign_in(&c, "ana@example.com", DEMO_PASSWORD).await).is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_session_id_changes_at_sign_in_and_sign_out_really_ends_it() {
    let app = spawn_app().await;
    let c = app.client();
    let first = session_cookie(&app.sign_in(&c, "ben@example.com", DEMO_PASSWORD).await).unwrap();
    let second = session_cookie(&app.sign_in(&c, "ben@example.com", DEMO_PASSWORD).await).unwrap();
    assert_ne!(first, second);
    let token = |cookie: &str| cookie.split(';').next().unwrap().to_owned();

    // The first session was ended by the second sign-in.
    let replay = app.client();
    let res = replay
        .get(app.url("/"))
        .header(header::COOKIE, token(&first))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);

    let res = app.call(&c, "logout", &[]).await;
    assert!(session_cookie(&res).unwrap().contains("Max-Age=0"));
    let res = replay
        .get(app.url("/"))
        .header(header::COOKIE, token(&second))
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        303,
        "a replayed cookie must not work after sign-out"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_language_follows_the_browser_and_the_switch() {
    let app = spawn_app().await;
    let c = app.client();
    let res = c
        .get(app.url("/login"))
        .header(header::ACCEPT_LANGUAGE, "es-ES,es;q=0.9,en;q=0.5")
        .send()
        .await
        .unwrap();
    let html = res.text().await.unwrap();
    assert!(
        html.contains(r#"<html lang="es""#) && html.contains("Iniciar sesión"),
        "{html}"
    );

    let res = app.call(&c, "set_language", &[("lang", "es")]).await;
    assert_eq!(res.status(), 200);
    let (_, html) = app.get_html(&c, "/login").await;
    assert!(html.contains("Iniciar sesión"));
    assert_eq!(
        app.call(&c, "set_language", &[("lang", "klingon")])
            .await
            .status(),
        422
    );
}
