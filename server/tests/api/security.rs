use crate::helpers::*;
use reqwest::header;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_carry_a_nonce_csp_and_the_security_headers() {
    let app = spawn_app().await;
    let res = app.client().get(app.url("/login")).send().await.unwrap();
    let h = res.headers().clone();
    let csp = h[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        csp.contains("frame-ancestors 'none'") && csp.contains("'strict-dynamic'"),
        "{csp}"
    );
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .unwrap()
        .split('\'')
        .next()
        .unwrap()
        .to_owned();
    let html = res.text().await.unwrap();
    assert!(
        html.contains(&format!(r#"nonce="{nonce}""#)),
        "scripts carry this response's nonce"
    );
    assert_eq!(h[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert_eq!(
        h[header::REFERRER_POLICY],
        "strict-origin-when-cross-origin"
    );

    // A second response gets a different nonce.
    let again = app.client().get(app.url("/login")).send().await.unwrap();
    assert_ne!(
        again.headers()[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap(),
        csp
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cross_site_mutations_are_refused() {
    let app = spawn_app().await;
    let c = app.client();
    let res = c
        .post(app.url("/_fn/login"))
        .header(header::ORIGIN, "https://evil.example")
        .form(&[("email", "ben@example.com"), ("password", DEMO_PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    assert!(session_cookie(&res).is_none());
    // No Origin and no fetch metadata or Referer: refused too.
    let res = c.post(app.url("/_fn/logout")).send().await.unwrap();
    assert_eq!(res.status(), 403);
    // A same-origin form post without JavaScript is accepted and redirected.
    let res = c
        .post(app.url("/_fn/login"))
        .header(header::ORIGIN, &app.address)
        .header(header::ACCEPT, "text/html")
        .header(header::REFERER, app.url("/login"))
        .form(&[("email", "ben@example.com"), ("password", DEMO_PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 302);
    assert_eq!(res.headers()[header::LOCATION], "/");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_server_function_calls_are_client_errors() {
    let app = spawn_app().await;
    let res = app
        .call(&app.client(), "login", &[("email", "ben@example.com")])
        .await;
    assert_eq!(res.status(), 400);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn behind_a_trusted_proxy_the_forwarded_address_is_throttled() {
    let app = spawn_app_with(&[("PORTICO_TRUST_PROXY", "true")]).await;
    let c = app.client();
    let attempt = |email: String, ip: &'static str| {
        let c = c.clone();
        let url = app.url("/_fn/login");
        let origin = app.address.clone();
        async move {
            c.post(url)
                .header(header::ORIGIN, origin)
                .header("x-forwarded-for", format!("10.9.9.9, {ip}"))
                .form(&[("email", email.as_str()), ("password", "wrong wrong wrong")])
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    for i in 0..30 {
        assert_eq!(
            attempt(format!("guess{i}@example.com"), "192.0.2.7").await,
            422
        );
    }
    assert_eq!(attempt("ben@example.com".into(), "192.0.2.7").await, 429);
    assert_eq!(
        attempt("ben@example.com".into(), "192.0.2.8").await,
        422,
        "another client is not blocked"
    );
}
