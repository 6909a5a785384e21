use crate::helpers::*;
use domain::entities::{email, user};
use reqwest::header;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

async fn user_id(app: &TestApp, address: &str) -> i32 {
    user::Entity::find()
        .filter(user::Column::Email.eq(address))
        .one(&app.services.db)
        .await
        .unwrap()
        .unwrap()
        .id
}

/// The newest entry of the signed-in user's history, as the server function returns it.
async fn newest(app: &TestApp, client: &reqwest::Client) -> serde_json::Value {
    let res = app.call(client, "list_emails", &[]).await;
    assert_eq!(res.status(), 200);
    let list: serde_json::Value = res.json().await.unwrap();
    list["items"][0].clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_password_reset_email_appears_in_the_history_and_only_its_owner_reads_it() {
    let app = spawn_app().await;
    let anonymous = app.client();
    let res = app
        .call(
            &anonymous,
            "forgot_password",
            &[("email", "ana@example.com")],
        )
        .await;
    assert!(res.status().is_success() || res.status().is_redirection());

    let ana = app.client();
    app.sign_in(&ana, "ana@example.com", DEMO_PASSWORD).await;
    let entry = newest(&app, &ana).await;
    assert_eq!(entry["subject"], "Restablece tu contraseña de Portico");
    assert_eq!(entry["status"], "Sent", "delivered to the test SMTP sink");
    let id = entry["id"].as_i64().unwrap().to_string();

    let res = app.call(&ana, "get_email", &[("id", &id)]).await;
    assert_eq!(res.status(), 200);
    let detail: serde_json::Value = res.json().await.unwrap();
    assert!(detail["body"]
        .as_str()
        .unwrap()
        .contains("/password/reset/"));
    assert_eq!(detail["to_address"], "ana@example.com");

    // The pages, without JavaScript: the list links to the email, which shows its text.
    let (status, html) = app.get_html(&ana, "/account/emails").await;
    assert_eq!(status, 200);
    assert!(
        html.contains(&format!(r#"href="/account/emails/{id}""#)),
        "{html}"
    );
    assert!(html.contains("Restablece tu contraseña de Portico"));
    let (status, html) = app.get_html(&ana, &format!("/account/emails/{id}")).await;
    assert_eq!(status, 200);
    assert!(html.contains(r#"class="email-body""#), "{html}");
    assert!(html.contains("/password/reset/"));

    // Ben gets 404 for Ana's email, from the server function and from the page.
    let ben = app.client();
    app.sign_in(&ben, "ben@example.com", DEMO_PASSWORD).await;
    assert_eq!(
        app.call(&ben, "get_email", &[("id", &id)]).await.status(),
        404
    );
    let (status, html) = app.get_html(&ben, &format!("/account/emails/{id}")).await;
    assert_eq!(status, 404);
    assert!(
        !html.contains("/password/reset/"),
        "no body of Ana's email: {html}"
    );
    let bens_newest = newest(&app, &ben).await;
    assert_ne!(bens_newest["id"].as_i64(), Some(id.parse().unwrap()));
    // An id that is not a number, or no email at all: 404 too.
    let (status, _) = app.get_html(&ana, "/account/emails/not-a-number").await;
    assert_eq!(status, 404);
    assert_eq!(
        app.call(&ana, "get_email", &[("id", "99999999")])
            .await
            .status(),
        404
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_email_body_is_shown_as_text_never_as_markup() {
    let app = spawn_app().await;
    let ben_id = user_id(&app, "ben@example.com").await;
    let row = email::ActiveModel {
        user_id: Set(Some(ben_id)),
        to_address: Set("ben@example.com".into()),
        kind: Set("test".into()),
        language: Set("en".into()),
        subject: Set("Hello <i>there</i></title><script>alert(2)</script>".into()),
        body_text: Set("Line one\n<script>alert(1)</script>\n<b>bold</b>".into()),
        status: Set("failed".into()),
        error: Set(Some("smtp said no".into())),
        created_at: Set(app.services.now()),
        sent_at: Set(None),
        ..Default::default()
    }
    .insert(&app.services.db)
    .await
    .unwrap();

    let ben = app.client();
    app.sign_in(&ben, "ben@example.com", DEMO_PASSWORD).await;
    let (status, html) = app
        .get_html(&ben, &format!("/account/emails/{}", row.id))
        .await;
    assert_eq!(status, 200);
    assert!(!html.contains("<script>alert(1)"), "{html}");
    assert!(!html.contains("<b>bold</b>"));
    assert!(html.contains("&lt;b&gt;bold&lt;/b&gt;") || html.contains("&lt;b>bold&lt;/b>"));
    // The subject is in the <h1> and the <title>, escaped in both.
    assert!(!html.contains("<i>there</i>"), "{html}");
    assert!(!html.contains("<script>alert(2)"), "{html}");
    assert!(
        html.contains("Hello &lt;i&gt;there&lt;/i&gt;")
            || html.contains("Hello &lt;i>there&lt;/i>")
    );
    assert!(html.contains("Not delivered"), "status in words");
    assert!(
        !html.contains("smtp said no"),
        "delivery errors stay internal"
    );
    let (_, html) = app.get_html(&ben, "/account/emails").await;
    assert!(html.contains("Not delivered"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signed_out_visitors_cannot_read_the_history() {
    let app = spawn_app().await;
    let c = app.client();
    let res = c.get(app.url("/account/emails")).send().await.unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(
        res.headers()[header::LOCATION],
        "/login?next=%2Faccount%2Femails"
    );
    let res = c.get(app.url("/account/emails/1")).send().await.unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(app.call(&c, "list_emails", &[]).await.status(), 401);
    assert_eq!(
        app.call(&c, "get_email", &[("id", "1")]).await.status(),
        401
    );
}
