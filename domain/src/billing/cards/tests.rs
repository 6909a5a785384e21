//! Cards and card payments through the real Stripe gateway (async-stripe) against the Stripe
//! stand-in, on a real in-memory SQLite database with the demo data.
use super::{charge, webhook, *};
use crate::{
    billing::{automation, invoices::InvoiceStatus, refunds},
    clock::ManualClock,
    demo,
    entities::{card_attempt, email, invoice, payment, service},
    test_support::{demo_service, services_with_clock, test_clock, user_id},
};
use chrono::Duration;
use sea_orm::{ActiveModelTrait, IntoActiveModel, PaginatorTrait};
use stripe_standin::{Options, StandIn};

struct World {
    svc: Services,
    clock: ManualClock,
    stripe: StandIn,
    ana: i32,
    ben: i32,
}

async fn world() -> World {
    let stripe = StandIn::start(
        tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap(),
        Options::default(),
    )
    .await;
    let clock = test_clock();
    let mut svc = services_with_clock(clock.clone()).await;
    svc.cards = Some(Arc::new(stripe::StripeGateway::new(
        &stripe.base_url(),
        "sk_test_portico",
        None,
    )));
    demo::load(&svc, false).await.unwrap();
    let ana = user_id(&svc, "ana@example.com").await;
    let ben = user_id(&svc, "ben@example.com").await;
    World {
        svc,
        clock,
        stripe,
        ana,
        ben,
    }
}

/// Ben's monthly service moved to the card gateway and due for renewal today.
async fn bens_card_service(w: &World) -> service::Model {
    let mut s = demo_service(&w.svc, "bencarter.example")
        .await
        .into_active_model();
    s.gateway = Set("card".into());
    s.next_due_on = Set(w.svc.now().date_naive() + Duration::days(2));
    s.update(&w.svc.db).await.unwrap()
}

async fn run(w: &World) -> automation::RunReport {
    automation::run(&w.svc, w.svc.now().date_naive())
        .await
        .unwrap()
}

async fn renewal_invoice(w: &World, service_id: i32) -> invoice::Model {
    use crate::entities::service_renewal;
    let r = service_renewal::Entity::find()
        .filter(service_renewal::Column::ServiceId.eq(service_id))
        .order_by_desc(service_renewal::Column::Id)
        .one(&w.svc.db)
        .await
        .unwrap()
        .expect("a renewal");
    invoice::Entity::find_by_id(r.invoice_id)
        .one(&w.svc.db)
        .await
        .unwrap()
        .unwrap()
}

async fn reload(w: &World, id: i32) -> invoice::Model {
    invoice::Entity::find_by_id(id)
        .one(&w.svc.db)
        .await
        .unwrap()
        .unwrap()
}

async fn attempts(w: &World, invoice_id: i32) -> Vec<card_attempt::Model> {
    card_attempt::Entity::find()
        .filter(card_attempt::Column::InvoiceId.eq(invoice_id))
        .order_by_asc(card_attempt::Column::AttemptNo)
        .all(&w.svc.db)
        .await
        .unwrap()
}

async fn emails_of(w: &World, user: i32, kind: &str) -> Vec<email::Model> {
    email::Entity::find()
        .filter(email::Column::UserId.eq(user))
        .filter(email::Column::Kind.eq(kind))
        .order_by_asc(email::Column::Id)
        .all(&w.svc.db)
        .await
        .unwrap()
}

/// The decline emails about one invoice.
async fn declined_mails(w: &World, inv: &invoice::Model) -> Vec<email::Model> {
    let link = format!("/invoices/{}#pay", inv.id);
    emails_of(w, w.ben, "card_declined")
        .await
        .into_iter()
        .filter(|m| m.body_text.contains(&link))
        .collect()
}

/// PaymentIntents at Stripe for one invoice.
fn intents_for(w: &World, invoice_id: i32) -> Vec<serde_json::Value> {
    w.stripe
        .payment_intents()
        .into_iter()
        .filter(|pi| pi["metadata"]["portico_invoice"].as_str() == Some(&invoice_id.to_string()))
        .collect()
}

#[tokio::test]
async fn cards_are_saved_listed_made_default_and_removed_at_stripe() {
    let w = world().await;
    // The demo gives Ana a Visa test card.
    let cards = list(&w.svc, w.ana).await.unwrap();
    assert_eq!(cards.len(), 1);
    assert_eq!(
        (cards[0].brand.as_str(), cards[0].last4.as_str()),
        ("visa", "4242")
    );
    assert!(cards[0].is_default && !cards[0].expired);

    assert!(list(&w.svc, w.ben).await.unwrap().is_empty());
    let first = add_test_card(&w.svc, w.ben, "pm_card_visa").await.unwrap();
    let second = add_test_card(&w.svc, w.ben, "pm_card_mastercard")
        .await
        .unwrap();
    let cards = list(&w.svc, w.ben).await.unwrap();
    assert_eq!(cards[0].id, first, "the first card is the default");
    assert!(cards[0].is_default && !cards[1].is_default);
    assert_eq!(cards[1].last4, "4444");
    assert!(matches!(
        add_test_card(&w.svc, w.ben, "4242424242424242").await,
        Err(DomainError::Invalid(Invalid::TestCard))
    ));

    // Ana cannot touch Ben's cards: they do not exist for her.
    assert!(matches!(
        set_default(&w.svc, w.ana, second).await,
        Err(DomainError::NotFound)
    ));
    assert!(matches!(
        remove(&w.svc, w.ana, second).await,
        Err(DomainError::NotFound)
    ));

    set_default(&w.svc, w.ben, second).await.unwrap();
    assert!(list(&w.svc, w.ben).await.unwrap()[0].id == second);
    let pm = card::Entity::find_by_id(second)
        .one(&w.svc.db)
        .await
        .unwrap()
        .unwrap()
        .gateway_ref;
    remove(&w.svc, w.ben, second).await.unwrap();
    let left = list(&w.svc, w.ben).await.unwrap();
    assert_eq!(left.len(), 1);
    assert!(left[0].is_default, "the remaining card becomes the default");
    assert!(w
        .stripe
        .requests()
        .iter()
        .any(|r| r.method == "POST" && r.path == format!("/v1/payment_methods/{pm}/detach")));
    // One Stripe customer per client, created when first needed.
    let customers = w
        .stripe
        .requests()
        .iter()
        .filter(|r| r.method == "POST" && r.path == "/v1/customers")
        .count();
    assert_eq!(customers, 2, "Ana's (demo) and Ben's");
}

#[tokio::test]
async fn a_new_renewal_is_charged_to_the_default_card_once() {
    let w = world().await;
    add_test_card(&w.svc, w.ben, "pm_card_visa").await.unwrap();
    let s = bens_card_service(&w).await;
    run(&w).await;
    let inv = renewal_invoice(&w, s.id).await;
    let inv = reload(&w, inv.id).await;
    assert_eq!(inv.status, InvoiceStatus::Paid.as_str());
    let pays = payment::Entity::find()
        .filter(payment::Column::InvoiceId.eq(inv.id))
        .all(&w.svc.db)
        .await
        .unwrap();
    assert_eq!(pays.len(), 1);
    assert_eq!(
        (pays[0].method.as_str(), pays[0].amount_cents),
        ("card", inv.total_cents)
    );
    let pis = intents_for(&w, inv.id);
    assert_eq!(pis.len(), 1);
    assert_eq!(pis[0]["status"], "succeeded");
    assert_eq!(pis[0]["amount"], inv.total_cents);
    assert_eq!(pis[0]["currency"], "eur");
    // The payment's receipt went out; a second run charges nothing.
    let number = inv.number.clone().unwrap();
    let receipts = emails_of(&w, w.ben, "payment_received").await;
    assert_eq!(
        receipts
            .iter()
            .filter(|m| m.subject.contains(&number))
            .count(),
        1
    );
    run(&w).await;
    assert_eq!(intents_for(&w, inv.id).len(), 1);
    // The request named a known parameter set and carried the attempt's idempotency key.
    let key = format!("portico-inv{}-try1", inv.id);
    let create = w
        .stripe
        .requests()
        .into_iter()
        .find(|r| r.path == "/v1/payment_intents" && r.idempotency_key.as_ref() == Some(&key))
        .expect("the charge carries the attempt's idempotency key");
    assert!(create
        .params
        .iter()
        .any(|(k, v)| k == "off_session" && v == "true"));
}

#[tokio::test]
async fn without_a_card_nothing_is_charged() {
    let w = world().await;
    let s = bens_card_service(&w).await;
    run(&w).await;
    let inv = renewal_invoice(&w, s.id).await;
    assert_eq!(inv.status, "unpaid");
    assert!(attempts(&w, inv.id).await.is_empty());
    assert!(intents_for(&w, inv.id).is_empty());
}

#[tokio::test]
async fn a_declined_card_is_retried_on_the_schedule_then_left_to_the_client() {
    let w = world().await;
    add_test_card(&w.svc, w.ben, "pm_card_chargeDeclined")
        .await
        .unwrap();
    let s = bens_card_service(&w).await;
    run(&w).await;
    let inv = renewal_invoice(&w, s.id).await;
    let a = attempts(&w, inv.id).await;
    assert_eq!(a.len(), 1);
    assert_eq!(
        (a[0].status.as_str(), a[0].error_code.as_str()),
        ("declined", "card_declined")
    );
    let mails = declined_mails(&w, &inv).await;
    assert_eq!(mails.len(), 1);
    assert!(
        mails[0].body_text.contains("try the card again on"),
        "{}",
        mails[0].body_text
    );

    // Same day again, and two days later: not yet.
    run(&w).await;
    w.clock.advance(Duration::days(2));
    run(&w).await;
    assert_eq!(attempts(&w, inv.id).await.len(), 1);
    // Day 3 and day 7 after the first attempt: the retries.
    w.clock.advance(Duration::days(1));
    run(&w).await;
    assert_eq!(attempts(&w, inv.id).await.len(), 2);
    w.clock.advance(Duration::days(4));
    run(&w).await;
    assert_eq!(attempts(&w, inv.id).await.len(), 3);
    let mails = declined_mails(&w, &inv).await;
    assert_eq!(mails.len(), 3);
    assert!(mails[2].body_text.contains("will not try this card again"));
    // Then it stops until the client acts.
    w.clock.advance(Duration::days(5));
    run(&w).await;
    assert_eq!(attempts(&w, inv.id).await.len(), 3);
    assert_eq!(intents_for(&w, inv.id).len(), 3);
    let inv = reload(&w, inv.id).await;
    assert_eq!(inv.status, "unpaid");
    // The client adds a working card and pays now.
    let good = add_test_card(&w.svc, w.ben, "pm_card_visa").await.unwrap();
    let r = charge::pay_now(
        &w.svc,
        w.ben,
        inv.id,
        Some(good),
        "https://portal.example.com/back",
    )
    .await
    .unwrap();
    assert_eq!(r, charge::PayResult::Paid);
}

#[tokio::test]
async fn authentication_required_emails_a_link_and_the_client_confirms_on_session() {
    let w = world().await;
    add_test_card(&w.svc, w.ben, "pm_card_authenticationRequired")
        .await
        .unwrap();
    let s = bens_card_service(&w).await;
    run(&w).await;
    let inv = renewal_invoice(&w, s.id).await;
    let a = attempts(&w, inv.id).await;
    assert_eq!(a[0].status, "requires_action");
    let link = format!("/invoices/{}#pay", inv.id);
    let mails = emails_of(&w, w.ben, "card_action_required").await;
    assert_eq!(
        mails.iter().filter(|m| m.body_text.contains(&link)).count(),
        1
    );
    // No automatic retry while waiting for the client.
    w.clock.advance(Duration::days(3));
    run(&w).await;
    assert_eq!(attempts(&w, inv.id).await.len(), 1);

    // Someone else cannot confirm it.
    assert!(matches!(
        charge::confirm_authentication(&w.svc, w.ana, inv.id, "https://x").await,
        Err(DomainError::NotFound)
    ));
    let back = format!("https://portal.example.com/invoices/{}/card-return", inv.id);
    let charge::PayResult::Authenticate { url } =
        charge::confirm_authentication(&w.svc, w.ben, inv.id, &back)
            .await
            .unwrap()
    else {
        panic!("expected a 3-D Secure page");
    };
    // The client completes 3-D Secure on the bank's page.
    let done = reqwest_post(&format!("{url}/complete")).await;
    assert!(done.contains(&back), "{done}");
    let intent = attempts(&w, inv.id).await[1].intent_id.clone().unwrap();
    let r = charge::return_from_authentication(&w.svc, w.ben, inv.id, &intent)
        .await
        .unwrap();
    assert_eq!(r, charge::PayResult::Paid);
    // Coming back twice (or the webhook after it) pays nothing more.
    charge::return_from_authentication(&w.svc, w.ben, inv.id, &intent)
        .await
        .unwrap();
    let pays = payment::Entity::find()
        .filter(payment::Column::InvoiceId.eq(inv.id))
        .count(&w.svc.db)
        .await
        .unwrap();
    assert_eq!(pays, 1);
}

/// Posts to the stand-in's 3-D Secure form and gives the redirect's Location.
async fn reqwest_post(url: &str) -> String {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let res = client.post(url).send().await.unwrap();
    assert!(res.status().is_redirection(), "{}", res.status());
    res.headers()["location"].to_str().unwrap().to_owned()
}

/// The same services with a card gateway that cannot be reached: a charge's outcome is unknown.
fn unreachable(w: &World) -> Services {
    let mut dead = w.svc.clone();
    dead.cards = Some(Arc::new(stripe::StripeGateway::new(
        "http://127.0.0.1:9",
        "sk_test_portico",
        None,
    )));
    dead
}

async fn customer(w: &World, client: i32) -> String {
    crate::entities::user::Entity::find_by_id(client)
        .one(&w.svc.db)
        .await
        .unwrap()
        .unwrap()
        .stripe_customer_id
        .unwrap()
}

/// Sends an attempt's charge to Stripe without recording the outcome (a crash right after).
async fn charge_behind_porticos_back(w: &World, a: &card_attempt::Model) {
    let gw = w.svc.cards.clone().unwrap();
    let outcome = gw
        .charge(&ChargeRequest {
            customer: &customer(w, a.client_id).await,
            payment_method: &a.card_ref,
            amount_cents: a.amount_cents,
            currency: &a.currency,
            attempt_key: &a.idempotency_key,
            invoice_id: a.invoice_id,
            description: "Invoice",
            off_session: true,
            return_url: None,
        })
        .await
        .unwrap();
    assert!(matches!(outcome, ChargeOutcome::Succeeded { .. }));
}

#[tokio::test]
async fn an_attempt_left_unknown_is_reconciled_without_a_second_charge() {
    let w = world().await;
    add_test_card(&w.svc, w.ben, "pm_card_visa").await.unwrap();
    let bens = bens_card_service(&w).await;
    let anas = demo_service(&w.svc, "tienda-ana.example").await;
    // Stripe does not answer: both renewals are issued, each attempt recorded and left unknown.
    let report = automation::run(&unreachable(&w), w.svc.now().date_naive())
        .await
        .unwrap();
    assert!(report.cards.attempted >= 2, "{report:?}");
    let (ben_inv, ana_inv) = (
        renewal_invoice(&w, bens.id).await,
        renewal_invoice(&w, anas.id).await,
    );
    for inv in [&ben_inv, &ana_inv] {
        let a = attempts(&w, inv.id).await;
        assert_eq!((a.len(), a[0].status.as_str()), (1, "pending"));
    }
    // Ana's request did reach Stripe and was charged; Ben's never did.
    charge_behind_porticos_back(&w, &attempts(&w, ana_inv.id).await[0]).await;
    assert_eq!(intents_for(&w, ana_inv.id).len(), 1);
    assert!(intents_for(&w, ben_inv.id).is_empty());

    let report = run(&w).await;
    assert!(report.cards.reconciled >= 2, "{report:?}");
    assert_eq!(
        report.cards.attempted, 0,
        "no new attempt while one was unknown"
    );
    for inv in [&ben_inv, &ana_inv] {
        let now = reload(&w, inv.id).await;
        assert_eq!(now.status, "paid");
        assert_eq!(
            intents_for(&w, inv.id).len(),
            1,
            "exactly one charge at Stripe"
        );
        let a = attempts(&w, inv.id).await;
        assert_eq!((a.len(), a[0].status.as_str()), (1, "succeeded"));
    }
    // Ben's request was sent again under its first key, not as a new attempt.
    let keys: Vec<_> = w
        .stripe
        .requests()
        .into_iter()
        .filter(|r| r.method == "POST" && r.path == "/v1/payment_intents")
        .filter_map(|r| r.idempotency_key)
        .collect();
    assert!(keys.contains(&format!("portico-inv{}-try1", ben_inv.id)));
    assert!(!keys.iter().any(|k| k.ends_with("-try2")));
}

#[tokio::test]
async fn webhooks_are_verified_and_settle_a_payment_once_in_any_order() {
    let w = world().await;
    let now = w.svc.now();
    let body = r#"{"id":"evt_1","type":"ping"}"#;
    let good = stripe_standin::sign("whsec_test", now.timestamp(), body);
    assert_eq!(
        webhook::verify("whsec_test", &good, body.as_bytes(), now),
        Ok(())
    );
    assert_eq!(
        webhook::verify("whsec_other", &good, body.as_bytes(), now),
        Err(webhook::WebhookError::Signature)
    );
    assert_eq!(
        webhook::verify("whsec_test", &good, br#"{"id":"evt_2","type":"ping"}"#, now),
        Err(webhook::WebhookError::Signature)
    );
    let old = stripe_standin::sign("whsec_test", now.timestamp() - 301, body);
    assert_eq!(
        webhook::verify("whsec_test", &old, body.as_bytes(), now),
        Err(webhook::WebhookError::Timestamp)
    );
    assert_eq!(
        webhook::verify("whsec_test", "v1=abc", body.as_bytes(), now),
        Err(webhook::WebhookError::Header)
    );

    // A payment Portico learns of only from Stripe's event.
    add_test_card(&w.svc, w.ben, "pm_card_visa").await.unwrap();
    let s = bens_card_service(&w).await;
    automation::run(&unreachable(&w), w.svc.now().date_naive())
        .await
        .unwrap();
    let inv = renewal_invoice(&w, s.id).await;
    let a = attempts(&w, inv.id).await.remove(0);
    charge_behind_porticos_back(&w, &a).await;
    let succeeded = w
        .stripe
        .events()
        .into_iter()
        .rfind(|e| e["type"] == "payment_intent.succeeded")
        .unwrap();
    // A failure event for the same PaymentIntent that arrives late must not undo the payment.
    let mut late_failure = succeeded.clone();
    late_failure["id"] = "evt_late_failure".into();
    late_failure["type"] = "payment_intent.payment_failed".into();

    assert_eq!(
        webhook::handle(&w.svc, &succeeded).await.unwrap(),
        webhook::Handled::Processed
    );
    assert_eq!(
        webhook::handle(&w.svc, &succeeded).await.unwrap(),
        webhook::Handled::Duplicate
    );
    webhook::handle(&w.svc, &late_failure).await.unwrap();
    let inv = reload(&w, inv.id).await;
    assert_eq!(inv.status, "paid");
    assert_eq!(attempts(&w, inv.id).await[0].status, "succeeded");
    let pays = payment::Entity::find()
        .filter(payment::Column::InvoiceId.eq(inv.id))
        .count(&w.svc.db)
        .await
        .unwrap();
    assert_eq!(pays, 1);
    // The next run has nothing left to reconcile or charge on it.
    run(&w).await;
    assert_eq!(attempts(&w, inv.id).await.len(), 1);
    assert_eq!(intents_for(&w, inv.id).len(), 1);
    // An event about something that is not Portico's is acknowledged and ignored.
    let foreign = serde_json::json!({"id": "evt_x", "type": "payment_intent.succeeded",
        "data": {"object": {"id": "pi_elsewhere", "metadata": {}}}});
    assert_eq!(
        webhook::handle(&w.svc, &foreign).await.unwrap(),
        webhook::Handled::Ignored
    );
}

#[tokio::test]
async fn staff_refund_to_the_card_once_and_refunds_made_at_stripe_are_recorded() {
    let w = world().await;
    add_test_card(&w.svc, w.ben, "pm_card_visa").await.unwrap();
    let s = bens_card_service(&w).await;
    run(&w).await;
    let inv = renewal_invoice(&w, s.id).await;
    let staff = user_id(&w.svc, "admin@example.com").await;
    const KEY: &str = "refund-form-key-0001";
    assert!(
        refunds::refund_to_card(&w.svc, staff, inv.id, 100, "goodwill", KEY)
            .await
            .unwrap()
    );
    assert!(
        !refunds::refund_to_card(&w.svc, staff, inv.id, 100, "goodwill", KEY)
            .await
            .unwrap()
    );
    assert_eq!(
        w.stripe.refunds().len(),
        1,
        "the resubmitted form refunds nothing more"
    );
    assert_eq!(w.stripe.refunds()[0]["amount"], 100);
    assert!(matches!(
        refunds::refund_to_card(
            &w.svc,
            staff,
            inv.id,
            inv.total_cents,
            "",
            "refund-form-key-0002"
        )
        .await,
        Err(DomainError::Invalid(Invalid::Amount))
    ));
    let after = reload(&w, inv.id).await;
    assert_eq!((after.refunded_cents, after.status.as_str()), (100, "paid"));

    // Staff refund 50 more in Stripe's dashboard; its event records it.
    let intent = w.stripe.refunds()[0]["payment_intent"]
        .as_str()
        .unwrap()
        .to_owned();
    let res = reqwest::Client::new()
        .post(format!("{}/v1/refunds", w.stripe.base_url()))
        .bearer_auth("sk_test_dashboard")
        .form(&[("payment_intent", intent.as_str()), ("amount", "50")])
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success());
    let event = w
        .stripe
        .events()
        .into_iter()
        .rfind(|e| e["type"] == "charge.refunded")
        .unwrap();
    webhook::handle(&w.svc, &event).await.unwrap();
    let after = reload(&w, inv.id).await;
    assert_eq!(after.refunded_cents, 150);
    // The earlier event (100 refunded) changes nothing now.
    let first = w
        .stripe
        .events()
        .into_iter()
        .find(|e| e["type"] == "charge.refunded")
        .unwrap();
    webhook::handle(&w.svc, &first).await.unwrap();
    let after = reload(&w, inv.id).await;
    assert_eq!(after.refunded_cents, 150);
}

#[tokio::test]
async fn clients_are_emailed_once_before_a_card_expires_and_expired_cards_are_not_charged() {
    let w = world().await;
    let id = add_test_card(&w.svc, w.ben, "pm_card_visa").await.unwrap();
    let today = w.svc.now().date_naive();
    let mut c = card::Entity::find_by_id(id)
        .one(&w.svc.db)
        .await
        .unwrap()
        .unwrap()
        .into_active_model();
    c.exp_month = Set(today.month() as i32);
    c.exp_year = Set(today.year());
    c.update(&w.svc.db).await.unwrap();
    run(&w).await;
    run(&w).await;
    let mails = emails_of(&w, w.ben, "card_expiring").await;
    assert_eq!(mails.len(), 1);
    assert!(mails[0].body_text.contains("Visa ending in 4242"));
    assert!(list(&w.svc, w.ben).await.unwrap()[0].expires_soon);
    // Next month the card has expired: shown so, and not charged.
    w.clock.advance(Duration::days(32));
    assert!(list(&w.svc, w.ben).await.unwrap()[0].expired);
    let s = bens_card_service(&w).await;
    run(&w).await;
    let inv = renewal_invoice(&w, s.id).await;
    assert_eq!(inv.status, "unpaid");
    assert!(attempts(&w, inv.id).await.is_empty());
}

#[tokio::test]
async fn an_upgrade_of_a_card_paid_service_is_charged_at_once() {
    use crate::{billing::proration::BillingCycle, entities::plan, hosting::upgrade};
    let w = world().await;
    add_test_card(&w.svc, w.ben, "pm_card_visa").await.unwrap();
    let s = demo_service(&w.svc, demo::BEN_CARD_DOMAIN).await;
    let pro = plan::Entity::find()
        .filter(plan::Column::Slug.eq("pro"))
        .one(&w.svc.db)
        .await
        .unwrap()
        .unwrap();
    let out = upgrade::confirm(
        &w.svc,
        w.ben,
        s.id,
        pro.id,
        BillingCycle::Monthly,
        w.svc.now(),
    )
    .await
    .unwrap();
    let upgrade::Outcome::Invoiced { invoice_id } = out else {
        panic!("expected an invoice, got {out:?}");
    };
    let inv = reload(&w, invoice_id).await;
    assert_eq!(inv.status, "paid");
    assert_eq!(intents_for(&w, invoice_id).len(), 1);
    // Paid, so the plan changed.
    assert_eq!(
        demo_service(&w.svc, demo::BEN_CARD_DOMAIN).await.plan_id,
        pro.id
    );
}

/// Against Stripe itself in test mode: `cargo xtask test` runs it when `STRIPE_TEST_SECRET_KEY`
/// is set, and says it skipped it otherwise.
#[tokio::test]
#[ignore = "needs STRIPE_TEST_SECRET_KEY and Stripe's network"]
async fn real_stripe_test_mode() {
    let key = std::env::var("STRIPE_TEST_SECRET_KEY")
        .expect("STRIPE_TEST_SECRET_KEY (a sk_test_ key) is needed for this test");
    assert!(key.starts_with("sk_test_"), "only a test-mode key");
    let mut svc = services_with_clock(test_clock()).await;
    svc.cards = Some(Arc::new(stripe::StripeGateway::new(
        stripe::API_BASE,
        &key,
        None,
    )));
    demo::load(&svc, false).await.unwrap();
    let ben = user_id(&svc, "ben@example.com").await;
    let inv = invoice::Entity::find()
        .filter(invoice::Column::ClientId.eq(ben))
        .filter(invoice::Column::Status.eq("unpaid"))
        .one(&svc.db)
        .await
        .unwrap()
        .unwrap();
    let declined = add_test_card(&svc, ben, "pm_card_chargeDeclined")
        .await
        .unwrap();
    let r = charge::pay_now(
        &svc,
        ben,
        inv.id,
        Some(declined),
        "https://example.com/back",
    )
    .await
    .unwrap();
    assert!(matches!(r, charge::PayResult::Declined { .. }), "{r:?}");
    let visa = add_test_card(&svc, ben, "pm_card_visa").await.unwrap();
    let r = charge::pay_now(&svc, ben, inv.id, Some(visa), "https://example.com/back")
        .await
        .unwrap();
    assert_eq!(r, charge::PayResult::Paid);
    let staff = user_id(&svc, "admin@example.com").await;
    assert!(
        refunds::refund_to_card(&svc, staff, inv.id, 100, "test", "real-stripe-refund-01")
            .await
            .unwrap()
    );
    remove(&svc, ben, visa).await.unwrap();
    remove(&svc, ben, declined).await.unwrap();
    assert!(list(&svc, ben).await.unwrap().is_empty());
}
