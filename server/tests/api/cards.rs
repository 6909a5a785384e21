//! Cards over HTTP, with the Stripe stand-in as Stripe and its signed webhooks delivered to the
//! app: saving and removing cards (only one's own), paying an invoice now with a saved card,
//! 3-D Secure through the bank's page and back, and `/webhooks/stripe` refusing what is not
//! signed with the endpoint secret, and handling a replay once.
use crate::helpers::*;
use domain::entities::{card, payment};
use reqwest::header;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use stripe_standin::{Options, StandIn};

const SECRET: &str = "whsec_portico_tests";

async fn app_with_stripe() -> (TestApp, StandIn) {
    app_with_stripe_opts(Options::default()).await
}

async fn app_with_stripe_opts(opts: Options) -> (TestApp, StandIn) {
    let stripe = StandIn::start(
        tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap(),
        opts,
    )
    .await;
    let base = stripe.base_url();
    let app = spawn_app_with(&[
        ("STRIPE_SECRET_KEY", "sk_test_portico"),
        ("STRIPE_PUBLISHABLE_KEY", "pk_test_portico"),
        ("STRIPE_API_BASE", &base),
        ("STRIPE_WEBHOOK_SECRET", SECRET),
    ])
    .await;
    stripe.set_webhook(&app.url("/webhooks/stripe"), SECRET);
    (app, stripe)
}

async fn signed_in(app: &TestApp, email: &str) -> reqwest::Client {
    let c = app.client();
    assert!(app
        .sign_in(&c, email, DEMO_PASSWORD)
        .await
        .status()
        .is_success());
    c
}

async fn cards_of(app: &TestApp, client: i32) -> Vec<card::Model> {
    card::Entity::find()
        .filter(card::Column::ClientId.eq(client))
        .all(&app.services.db)
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_saves_test_cards_and_manages_only_their_own() {
    let (app, _stripe) = app_with_stripe().await;
    let ben = signed_in(&app, "ben@example.com").await;
    let (status, html) = app.get_html(&ben, "/billing/payment-methods").await;
    assert_eq!(status, 200);
    assert!(html.contains("You have no saved cards"), "{html}");
    assert!(
        html.contains("Visa test card"),
        "test mode offers the test cards by name"
    );

    let res = app
        .call(&ben, "add_test_card", &[("test_card", "pm_card_visa")])
        .await;
    assert!(res.status().is_success(), "{}", res.status());
    let res = app
        .call(&ben, "add_test_card", &[("test_card", "4242424242424242")])
        .await;
    assert_eq!(res.status(), 422, "only the offered test cards");
    let (_, html) = app.get_html(&ben, "/billing/payment-methods").await;
    assert!(html.contains("Visa ending in 4242"), "{html}");

    // Ana's card cannot be made default or removed by Ben: it does not exist for him.
    let anas = cards_of(&app, client_id(&app, "ana@example.com").await).await;
    assert_eq!(anas.len(), 1, "the demo gives Ana a test card");
    let id = anas[0].id.to_string();
    for f in ["set_default_card", "remove_card"] {
        assert_eq!(
            app.call(&ben, f, &[("id", id.as_str())]).await.status(),
            404
        );
    }
    assert_eq!(
        cards_of(&app, client_id(&app, "ana@example.com").await)
            .await
            .len(),
        1
    );
    // Ben removes his own.
    let bens = cards_of(&app, client_id(&app, "ben@example.com").await).await;
    let mine = bens[0].id.to_string();
    assert!(app
        .call(&ben, "remove_card", &[("id", mine.as_str())])
        .await
        .status()
        .is_success());
    assert!(cards_of(&app, client_id(&app, "ben@example.com").await)
        .await
        .is_empty());
    // Signed out: nothing.
    let anon = app.client();
    assert_eq!(app.call(&anon, "get_cards", &[]).await.status(), 401);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn paying_now_with_a_card_that_needs_3d_secure_goes_to_the_bank_and_back_once() {
    let (app, stripe) = app_with_stripe().await;
    let ben = signed_in(&app, "ben@example.com").await;
    app.call(
        &ben,
        "add_test_card",
        &[("test_card", "pm_card_authenticationRequired")],
    )
    .await;
    let ben_id = client_id(&app, "ben@example.com").await;
    let inv = unpaid_of(&app, ben_id).await;
    let id = inv.id.to_string();
    let res = app
        .call(&ben, "pay_invoice_by_card", &[("id", id.as_str())])
        .await;
    assert!(res.status().is_success(), "{}", res.status());
    // The server function sends the browser to the bank's 3-D Secure page.
    let to_bank = res.headers()[header::LOCATION].to_str().unwrap().to_owned();
    assert!(
        to_bank.starts_with(&format!("{}/standin/3ds/", stripe.base_url())),
        "{to_bank}"
    );
    let page = reqwest::get(&to_bank).await.unwrap().text().await.unwrap();
    assert!(page.contains("Complete authentication"));
    let back = app
        .client()
        .post(format!("{to_bank}/complete"))
        .send()
        .await
        .unwrap();
    let back = back.headers()[header::LOCATION]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        back.starts_with(&app.url(&format!("/invoices/{id}/card-return?"))),
        "{back}"
    );
    // Back on Portico, signed in as Ben.
    let res = ben.get(&back).send().await.unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(
        res.headers()[header::LOCATION].to_str().unwrap(),
        format!("/invoices/{id}#pay")
    );
    stripe.wait_for_deliveries().await;
    let now = reload(&app, inv.id).await;
    assert_eq!(now.status, "paid");
    let pays = payment::Entity::find()
        .filter(payment::Column::InvoiceId.eq(inv.id))
        .filter(payment::Column::Method.eq("card"))
        .count(&app.services.db)
        .await
        .unwrap();
    assert_eq!(pays, 1, "the return and the webhook record it once");
    // Ana cannot use Ben's return link.
    let ana = signed_in(&app, "ana@example.com").await;
    assert_eq!(ana.get(&back).send().await.unwrap().status(), 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_declined_payment_now_says_so_and_leaves_the_invoice_unpaid() {
    let (app, _stripe) = app_with_stripe().await;
    let ben = signed_in(&app, "ben@example.com").await;
    app.call(
        &ben,
        "add_test_card",
        &[("test_card", "pm_card_chargeDeclined")],
    )
    .await;
    let inv = unpaid_of(&app, client_id(&app, "ben@example.com").await).await;
    let id = inv.id.to_string();
    let res = app
        .call(&ben, "pay_invoice_by_card", &[("id", id.as_str())])
        .await;
    assert!(res.status().is_success());
    let body = res.text().await.unwrap();
    assert!(body.contains("card_declined"), "{body}");
    let now = reload(&app, inv.id).await;
    assert_eq!(now.status, "unpaid");
    // Ana cannot pay (or probe) Ben's invoice.
    let ana = signed_in(&app, "ana@example.com").await;
    assert_eq!(
        app.call(&ana, "pay_invoice_by_card", &[("id", id.as_str())])
            .await
            .status(),
        404
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_webhook_endpoint_refuses_unsigned_events_and_handles_a_replay_once() {
    let (app, stripe) = app_with_stripe().await;
    let url = app.url("/webhooks/stripe");
    let http = reqwest::Client::new();
    let body = r#"{"id":"evt_test_1","type":"customer.created","data":{"object":{}}}"#;
    let now = chrono::Utc::now().timestamp();
    let post = |sig: Option<String>, body: &'static str| {
        let mut r = http.post(&url).body(body);
        if let Some(s) = sig {
            r = r.header("Stripe-Signature", s);
        }
        r.send()
    };
    assert_eq!(post(None, body).await.unwrap().status(), 400);
    let wrong = stripe_standin::sign("whsec_wrong", now, body);
    assert_eq!(post(Some(wrong), body).await.unwrap().status(), 400);
    let stale = stripe_standin::sign(SECRET, now - 3600, body);
    assert_eq!(post(Some(stale), body).await.unwrap().status(), 400);
    let good = stripe_standin::sign(SECRET, now, body);
    let res = post(Some(good.clone()), body).await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.text().await.unwrap(), "Ignored");
    let res = post(Some(good), body).await.unwrap();
    assert_eq!(res.text().await.unwrap(), "Duplicate");
    let garbage = "not json";
    let sig = stripe_standin::sign(SECRET, now, garbage);
    assert_eq!(post(Some(sig), garbage).await.unwrap().status(), 400);

    // Every event the stand-in delivered while Ben saved a card was accepted.
    let ben = signed_in(&app, "ben@example.com").await;
    app.call(&ben, "add_test_card", &[("test_card", "pm_card_visa")])
        .await;
    stripe.wait_for_deliveries().await;
    let seen = domain::entities::webhook_event::Entity::find()
        .filter(domain::entities::webhook_event::Column::Kind.eq("setup_intent.succeeded"))
        .count(&app.services.db)
        .await
        .unwrap();
    assert!(seen >= 1);
    assert_eq!(
        cards_of(&app, client_id(&app, "ben@example.com").await)
            .await
            .len(),
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_webhook_secret_events_are_refused() {
    let app = spawn_app_with(&[
        ("STRIPE_SECRET_KEY", "sk_test_x"),
        ("STRIPE_API_BASE", "http://127.0.0.1:9"),
    ])
    .await;
    let res = reqwest::Client::new()
        .post(app.url("/webhooks/stripe"))
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 503);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_refund_a_card_payment_back_to_the_card() {
    // Stripe's events arrive before its answers: the refund's `charge.refunded` is handled
    // while the staff request still waits, and the refund is recorded once all the same.
    let (app, stripe) = app_with_stripe_opts(Options {
        events_before_answer: true,
        ..Options::default()
    })
    .await;
    let ben = signed_in(&app, "ben@example.com").await;
    app.call(&ben, "add_test_card", &[("test_card", "pm_card_visa")])
        .await;
    let inv = unpaid_of(&app, client_id(&app, "ben@example.com").await).await;
    let id = inv.id.to_string();
    let res = app
        .call(&ben, "pay_invoice_by_card", &[("id", id.as_str())])
        .await;
    assert!(res.status().is_success());
    assert_eq!(reload(&app, inv.id).await.status, "paid");

    let admin = signed_in(&app, "admin@example.com").await;
    let form = [
        ("id", id.as_str()),
        ("amount", "1.50"),
        ("reason", "goodwill"),
        ("key", "card-refund-form-0001"),
        ("destination", "card"),
    ];
    // A client cannot refund; staff can, once per form.
    assert_eq!(
        app.call(&ben, "staff_refund_invoice", &form).await.status(),
        403
    );
    for _ in 0..2 {
        assert!(app
            .call(&admin, "staff_refund_invoice", &form)
            .await
            .status()
            .is_success());
    }
    assert_eq!(stripe.refunds().len(), 1);
    assert_eq!(stripe.refunds()[0]["amount"], 150);
    assert_eq!(reload(&app, inv.id).await.refunded_cents, 150);
    // The invoice page shows the refund to the card.
    let (_, html) = app.get_html(&ben, &format!("/invoices/{id}")).await;
    assert!(html.contains("Refund to card"), "{html}");
    let bad = [
        ("id", id.as_str()),
        ("amount", "1.00"),
        ("reason", ""),
        ("key", "card-refund-form-0002"),
        ("destination", "bank"),
    ];
    assert_eq!(
        app.call(&admin, "staff_refund_invoice", &bad)
            .await
            .status(),
        400
    );
}
