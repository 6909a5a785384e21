use crate::helpers::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_cannot_open_staff_pages_or_call_staff_functions() {
    let app = spawn_app().await;
    let client = app.client();
    app.sign_in(&client, "ben@example.com", DEMO_PASSWORD).await;
    let (status, html) = app.get_html(&client, "/staff").await;
    assert_eq!(status, 403);
    assert!(html.contains("Not allowed"));
    let res = app.call(&client, "staff_overview", &[]).await;
    assert_eq!(res.status(), 403);

    let anonymous = app.call(&app.client(), "staff_overview", &[]).await;
    assert_eq!(anonymous.status(), 401);

    let staff = app.client();
    app.sign_in(&staff, "admin@example.com", DEMO_PASSWORD)
        .await;
    let res = app.call(&staff, "staff_overview", &[]).await;
    assert_eq!(res.status(), 200);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["clients"], 2);
    assert_eq!(body["staff"], 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_pages_answer_404() {
    let app = spawn_app().await;
    let c = app.client();
    app.sign_in(&c, "ben@example.com", DEMO_PASSWORD).await;
    let (status, html) = app.get_html(&c, "/no/such/page").await;
    assert_eq!(status, 404);
    assert!(html.contains("Page not found"));
}
