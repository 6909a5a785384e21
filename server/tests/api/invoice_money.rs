//! Invoices over HTTP: the PDF download (owner or staff only), staff recording a transfer and
//! refunding to credit (exactly once per form), the client's credit page and "pay with credit",
//! the configured bank-transfer instructions.
use crate::helpers::*;
use domain::billing::credit;

fn pdf_text(bytes: &[u8]) -> String {
    let doc = lopdf::Document::load_mem(bytes).expect("a PDF");
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    let text = doc.extract_text(&pages).unwrap();
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invoice_pdf_is_served_to_its_client_and_staff_only() {
    let app = spawn_app().await;
    let ana_id = client_id(&app, "ana@example.com").await;
    let inv = unpaid_of(&app, ana_id).await;
    let number = inv.number.clone().unwrap();
    let path = format!("/invoices/{}/pdf", inv.id);

    let ana = app.client();
    app.sign_in(&ana, "ana@example.com", DEMO_PASSWORD).await;
    let res = ana.get(app.url(&path)).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    let disposition = res.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        disposition,
        format!("attachment; filename=\"invoice-{number}.pdf\"")
    );
    let text = pdf_text(&res.bytes().await.unwrap());
    // Ana reads Spanish: her number, her line and the total in her format.
    assert!(text.contains(&format!("Factura {number}")), "{text}");
    assert!(text.contains("Pendiente de pago"), "{text}");
    let cents = inv.total_cents;
    let total = format!("{},{:02} €", cents / 100, cents % 100);
    assert!(text.contains(&total), "{total} in {text}");

    let ben = app.client();
    app.sign_in(&ben, "ben@example.com", DEMO_PASSWORD).await;
    assert_eq!(ben.get(app.url(&path)).send().await.unwrap().status(), 404);
    assert_eq!(
        ben.get(app.url("/invoices/nope/pdf"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    let stranger = app.client();
    let res = stranger.get(app.url(&path)).send().await.unwrap();
    assert_eq!(res.status(), 303);
    assert!(res.headers()["location"]
        .to_str()
        .unwrap()
        .starts_with("/login"));

    let admin = app.client();
    app.sign_in(&admin, "admin@example.com", DEMO_PASSWORD)
        .await;
    let res = admin.get(app.url(&path)).send().await.unwrap();
    assert_eq!(res.status(), 200);
    // Staff read it in their own language.
    assert!(pdf_text(&res.bytes().await.unwrap()).contains(&format!("Invoice {number}")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_record_a_transfer_once_and_the_overpayment_becomes_credit() {
    let app = spawn_app().await;
    let ben_id = client_id(&app, "ben@example.com").await;
    let inv = unpaid_of(&app, ben_id).await;
    assert_eq!(inv.total_cents, 500);
    let id = inv.id.to_string();
    let key = "0123456789abcdef0123";
    let form = [
        ("id", id.as_str()),
        ("amount", "7,00"),
        ("reference", "TRF-1"),
        ("key", key),
    ];

    let ben = app.client();
    app.sign_in(&ben, "ben@example.com", DEMO_PASSWORD).await;
    assert_eq!(
        app.call(&ben, "staff_record_payment", &form).await.status(),
        403
    );

    let admin = app.client();
    app.sign_in(&admin, "admin@example.com", DEMO_PASSWORD)
        .await;
    let bad = [
        ("id", id.as_str()),
        ("amount", "seven"),
        ("reference", ""),
        ("key", key),
    ];
    let res = app.call(&admin, "staff_record_payment", &bad).await;
    assert_eq!(res.status(), 422);
    assert_eq!(reload(&app, inv.id).await.paid_cents, 0);
    for _ in 0..2 {
        let res = app.call(&admin, "staff_record_payment", &form).await;
        assert!(
            res.status().is_success() || res.status().is_redirection(),
            "{}",
            res.status()
        );
    }
    let paid = reload(&app, inv.id).await;
    assert_eq!((paid.status.as_str(), paid.paid_cents), ("paid", 500));
    assert_eq!(
        credit::balance(&app.services.db, ben_id, "EUR")
            .await
            .unwrap(),
        200
    );

    let (status, html) = app.get_html(&ben, "/billing/credit").await;
    assert_eq!(status, 200);
    assert!(
        html.contains("€2.00") && html.contains("Overpayment"),
        "{html}"
    );
    let (_, html) = app.get_html(&ben, &format!("/invoices/{}", inv.id)).await;
    assert!(
        html.contains("TRF-1") && html.contains("Bank transfer"),
        "{html}"
    );

    // A refund to credit, once per form; never more than was paid.
    let refund = [
        ("id", id.as_str()),
        ("amount", "5"),
        ("reason", "goodwill"),
        ("key", "refund-key-000000001"),
    ];
    for _ in 0..2 {
        app.call(&admin, "staff_refund_invoice", &refund).await;
    }
    assert_eq!(reload(&app, inv.id).await.status, "refunded");
    assert_eq!(
        credit::balance(&app.services.db, ben_id, "EUR")
            .await
            .unwrap(),
        700
    );
    let more = [
        ("id", id.as_str()),
        ("amount", "1"),
        ("reason", ""),
        ("key", "refund-key-000000002"),
    ];
    assert_eq!(
        app.call(&admin, "staff_refund_invoice", &more)
            .await
            .status(),
        409
    );
    let (status, html) = app
        .get_html(&admin, &format!("/staff/invoices/{}", inv.id))
        .await;
    assert_eq!(status, 200);
    assert!(
        html.contains("Refund to credit") && html.contains("goodwill"),
        "{html}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_pays_with_credit_and_sees_the_configured_bank_details() {
    let app = spawn_app_with(&[(
        "PORTICO_BANK_TRANSFER",
        "IBAN ES91 2100 0418 4502 0005 1332\\nBIC CAIXESBBXXX",
    )])
    .await;
    let ben_id = client_id(&app, "ben@example.com").await;
    let inv = unpaid_of(&app, ben_id).await;
    let ben = app.client();
    app.sign_in(&ben, "ben@example.com", DEMO_PASSWORD).await;
    let (_, html) = app.get_html(&ben, &format!("/invoices/{}", inv.id)).await;
    assert!(
        html.contains("IBAN ES91 2100 0418 4502 0005 1332\nBIC CAIXESBBXXX"),
        "{html}"
    );
    assert!(!html.contains("Pay with my credit"));
    let id = inv.id.to_string();
    let res = app
        .call(&ben, "apply_invoice_credit", &[("id", id.as_str())])
        .await;
    assert_eq!(res.status(), 409, "no credit yet");

    // Credit from an overpayment of another invoice pays this one.
    let ana_id = client_id(&app, "ana@example.com").await;
    let extra = {
        let svc = &app.services;
        let today = svc.now().date_naive();
        domain::billing::invoices::issue(
            &svc.db,
            &svc.billing,
            ben_id,
            "EUR",
            &[domain::billing::invoices::NewItem {
                service_id: None,
                description: "Extra".into(),
                period: None,
                amount_cents: 100,
            }],
            today,
            today,
            svc.now(),
        )
        .await
        .unwrap()
    };
    domain::billing::payments::record_manual_payment(
        &app.services,
        ana_id,
        extra.id,
        900,
        "",
        "server-test-key-0001",
    )
    .await
    .unwrap();
    let (_, html) = app.get_html(&ben, &format!("/invoices/{}", inv.id)).await;
    assert!(
        html.contains("Pay with my credit") && html.contains("€8.00"),
        "{html}"
    );
    // Another client cannot spend it on someone else's invoice, and Ben cannot pay Ana's.
    let ana = app.client();
    app.sign_in(&ana, "ana@example.com", DEMO_PASSWORD).await;
    assert_eq!(
        app.call(&ana, "apply_invoice_credit", &[("id", id.as_str())])
            .await
            .status(),
        404
    );
    let res = app
        .call(&ben, "apply_invoice_credit", &[("id", id.as_str())])
        .await;
    assert!(
        res.status().is_success() || res.status().is_redirection(),
        "{}",
        res.status()
    );
    assert_eq!(reload(&app, inv.id).await.status, "paid");
    assert_eq!(
        credit::balance(&app.services.db, ben_id, "EUR")
            .await
            .unwrap(),
        300
    );
}
