//! Signed-in devices, sign-in history, the new-device email and the data export, over HTTP.
use crate::helpers::*;
use reqwest::{header, redirect::Policy, Client};

fn browser(ua: &str) -> Client {
    Client::builder()
        .cookie_store(true)
        .redirect(Policy::none())
        .user_agent(ua)
        .timeout(std::time::Duration::from_secs(20))
        .build()
        .unwrap()
}

const LAPTOP: &str = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
const PHONE: &str = "Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36";

async fn signed_in(app: &TestApp, email: &str, ua: &str) -> Client {
    let c = browser(ua);
    let res = app.sign_in(&c, email, DEMO_PASSWORD).await;
    assert!(session_cookie(&res).is_some(), "{email} signed in");
    c
}

async fn sessions(app: &TestApp, c: &Client) -> Vec<serde_json::Value> {
    let res = app.call(c, "my_sessions", &[]).await;
    assert_eq!(res.status().as_u16(), 200);
    res.json().await.unwrap()
}

#[tokio::test]
async fn a_device_signed_out_from_another_is_signed_out() {
    let app = spawn_app().await;
    let laptop = signed_in(&app, "ben@example.com", LAPTOP).await;
    let phone = signed_in(&app, "ben@example.com", PHONE).await;
    let list = sessions(&app, &laptop).await;
    assert_eq!(list.len(), 2);
    let other = list.iter().find(|s| s["current"] == false).unwrap();
    assert_eq!(other["device"]["browser"], "Chrome");
    assert_eq!(other["device"]["system"], "Android");
    let other_id = other["id"].as_i64().unwrap().to_string();

    // Ana cannot sign out Ben's phone.
    let ana = signed_in(&app, "ana@example.com", LAPTOP).await;
    let res = app
        .call(&ana, "sign_out_device", &[("id", &other_id)])
        .await;
    assert_eq!(res.status().as_u16(), 404);
    let (status, _) = app.get_html(&phone, "/invoices").await;
    assert_eq!(status, 200, "still signed in");

    let res = app
        .call(&laptop, "sign_out_device", &[("id", &other_id)])
        .await;
    assert!(
        res.status().is_success() || res.status().is_redirection(),
        "{}",
        res.status()
    );
    let res = phone.get(app.url("/invoices")).send().await.unwrap();
    assert!(res.status().is_redirection());
    assert!(res.headers()[header::LOCATION]
        .to_str()
        .unwrap()
        .starts_with("/login"));
    assert_eq!(sessions(&app, &laptop).await.len(), 1);

    // Everywhere else: the laptop stays.
    let tablet = signed_in(&app, "ben@example.com", PHONE).await;
    let res = app.call(&laptop, "sign_out_other_devices", &[]).await;
    assert!(res.status().is_success() || res.status().is_redirection());
    assert!(tablet
        .get(app.url("/invoices"))
        .send()
        .await
        .unwrap()
        .status()
        .is_redirection());
    assert_eq!(app.get_html(&laptop, "/invoices").await.0, 200);
    let (_, html) = app.get_html(&laptop, "/account/security").await;
    assert!(html.contains("This device"));
}

#[tokio::test]
async fn sign_ins_are_listed_and_a_new_device_is_emailed() {
    let app = spawn_app().await;
    let laptop = signed_in(&app, "ben@example.com", LAPTOP).await;
    let wrong = browser(PHONE);
    let res = app
        .sign_in(&wrong, "ben@example.com", "not-the-password")
        .await;
    assert!(session_cookie(&res).is_none());
    assert!(
        app.mail.to("ben@example.com").is_empty(),
        "first sign-in and a failure: no email"
    );
    let _phone = signed_in(&app, "ben@example.com", PHONE).await;
    let mails = app.mail.to("ben@example.com");
    assert_eq!(mails.len(), 1);
    assert!(mails[0].contains("New sign-in to your Portico account"));

    let res = app.call(&laptop, "sign_in_history", &[]).await;
    let h: serde_json::Value = res.json().await.unwrap();
    let items = h["items"].as_array().unwrap();
    assert_eq!(items.len(), 3);
    assert_eq!(items.iter().filter(|i| i["success"] == false).count(), 1);
    assert!(items.iter().all(|i| i["ip"] == "127.0.0.1"));
    let ana = signed_in(&app, "ana@example.com", LAPTOP).await;
    let res = app.call(&ana, "sign_in_history", &[]).await;
    let h: serde_json::Value = res.json().await.unwrap();
    assert_eq!(h["items"].as_array().unwrap().len(), 1, "only her own");
}

#[tokio::test]
async fn the_data_export_holds_the_clients_own_data_only() {
    let app = spawn_app().await;
    let ana = signed_in(&app, "ana@example.com", LAPTOP).await;
    let res = ana.get(app.url("/account/export")).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 200);
    assert!(res.headers()[header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap()
        .starts_with("attachment"));
    let text = res.text().await.unwrap();
    let data: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(data["profile"]["email"], "ana@example.com");
    assert!(!data["services"].as_array().unwrap().is_empty());
    assert!(!data["invoices"].as_array().unwrap().is_empty());
    let tickets = data["tickets"].as_array().unwrap();
    assert!(tickets
        .iter()
        .any(|t| t["subject"] == domain::demo::ANA_ANSWERED_SUBJECT));
    assert!(
        !text.contains("Internal: check whether"),
        "staff notes stay out"
    );
    assert!(
        !text.contains("argon2") && !text.contains("password"),
        "no secrets"
    );
    assert!(!text.contains("bencarter"), "nothing of Ben's");
    let res = app
        .client()
        .get(app.url("/account/export"))
        .send()
        .await
        .unwrap();
    assert!(
        res.status().is_redirection(),
        "signed out: to the sign-in page"
    );
}
