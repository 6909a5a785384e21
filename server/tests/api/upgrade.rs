use crate::helpers::*;
use domain::entities::{invoice, plan, service, service_upgrade};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

async fn service_id(app: &TestApp, domain: &str) -> String {
    service::Entity::find()
        .filter(service::Column::Domain.eq(domain))
        .one(&app.services.db)
        .await
        .unwrap()
        .unwrap()
        .id
        .to_string()
}

async fn plan_id(app: &TestApp, slug: &str) -> String {
    plan::Entity::find()
        .filter(plan::Column::Slug.eq(slug))
        .one(&app.services.db)
        .await
        .unwrap()
        .unwrap()
        .id
        .to_string()
}

async fn invoices_total(app: &TestApp) -> u64 {
    invoice::Entity::find()
        .count(&app.services.db)
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_upgrade_shows_its_arithmetic_and_produces_one_invoice() {
    let app = spawn_app().await;
    let ana = app.client();
    app.sign_in(&ana, "ana@example.com", DEMO_PASSWORD).await;
    let tienda = service_id(&app, "tienda-ana.example").await;
    let pro = plan_id(&app, "pro").await;

    // The page works without JavaScript: options are links, the quote shows the arithmetic.
    let (status, html) = app
        .get_html(
            &ana,
            &format!("/services/{tienda}/upgrade?plan={pro}&cycle=monthly"),
        )
        .await;
    assert_eq!(status, 200);
    assert!(html.contains("Abono por los días no usados"));
    assert!(html.contains(r#"data-testid="quote-due""#));
    assert!(
        html.contains("× 12 /"),
        "12 unused days shown in the arithmetic"
    );

    let before = invoices_total(&app).await;
    let form = [
        ("id", tienda.as_str()),
        ("plan", pro.as_str()),
        ("cycle", "monthly"),
    ];
    let res = app.call(&ana, "confirm_upgrade", &form).await;
    assert!(res.status().is_success(), "{}", res.status());
    assert_eq!(invoices_total(&app).await, before + 1);
    // Confirming again while the first waits for payment: a clear 4xx, nothing written.
    let res = app.call(&ana, "confirm_upgrade", &form).await;
    assert_eq!(res.status(), 422);
    assert_eq!(invoices_total(&app).await, before + 1);
    let order = service_upgrade::Entity::find()
        .one(&app.services.db)
        .await
        .unwrap()
        .unwrap();
    let invoice_id = order.invoice_id.unwrap();
    let (status, html) = app.get_html(&ana, &format!("/invoices/{invoice_id}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("tienda-ana.example"));
    // The upgrade page now shows the pending order instead of new options.
    let (_, html) = app
        .get_html(&ana, &format!("/services/{tienda}/upgrade"))
        .await;
    assert!(html.contains("pendiente de pago"));

    // Withdrawing cancels the order and its invoice.
    let res = app
        .call(&ana, "cancel_upgrade", &[("id", tienda.as_str())])
        .await;
    assert!(res.status().is_success(), "{}", res.status());
    let inv = invoice::Entity::find_by_id(invoice_id)
        .one(&app.services.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(inv.status, "cancelled");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plan_changes_are_scoped_to_the_client_and_validated() {
    let app = spawn_app().await;
    let ben = app.client();
    app.sign_in(&ben, "ben@example.com", DEMO_PASSWORD).await;
    let tienda = service_id(&app, "tienda-ana.example").await;
    let blog = service_id(&app, "blog-ana.example").await;
    let bens = service_id(&app, "bencarter.example").await;
    let pro = plan_id(&app, "pro").await;
    let starter = plan_id(&app, "starter").await;
    let before = invoices_total(&app).await;

    // Another client's service: 404, whether reading or ordering.
    for (name, form) in [
        ("get_upgrade", vec![("id", tienda.as_str())]),
        (
            "confirm_upgrade",
            vec![
                ("id", tienda.as_str()),
                ("plan", pro.as_str()),
                ("cycle", "monthly"),
            ],
        ),
        ("cancel_upgrade", vec![("id", tienda.as_str())]),
    ] {
        assert_eq!(app.call(&ben, name, &form).await.status(), 404, "{name}");
    }
    assert_eq!(
        app.get_html(&ben, &format!("/services/{blog}/upgrade"))
            .await
            .0,
        404
    );
    // Bad input: a 4xx, never a 500 or an invoice.
    for (form, code) in [
        (
            vec![
                ("id", bens.as_str()),
                ("plan", pro.as_str()),
                ("cycle", "weekly"),
            ],
            400,
        ),
        (
            vec![
                ("id", bens.as_str()),
                ("plan", starter.as_str()),
                ("cycle", "monthly"),
            ],
            422,
        ),
        (
            vec![("id", bens.as_str()), ("plan", "abc"), ("cycle", "monthly")],
            400,
        ),
        (vec![("id", bens.as_str())], 400),
    ] {
        assert_eq!(
            app.call(&ben, "confirm_upgrade", &form).await.status(),
            code,
            "{form:?}"
        );
    }
    assert_eq!(invoices_total(&app).await, before);
    // Signed out: 401.
    let anon = app.client();
    assert_eq!(app.call(&anon, "list_invoices", &[]).await.status(), 401);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clients_see_only_their_own_invoices() {
    let app = spawn_app().await;
    let ben = app.client();
    app.sign_in(&ben, "ben@example.com", DEMO_PASSWORD).await;
    let res = app.call(&ben, "list_invoices", &[]).await;
    let list: serde_json::Value = res.json().await.unwrap();
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "Ben has one invoice");
    let number = items[0]["number"].as_str().unwrap().to_owned();
    let anas: Vec<i32> = invoice::Entity::find()
        .all(&app.services.db)
        .await
        .unwrap()
        .into_iter()
        .filter(|i| i.bill_to_email == "ana@example.com")
        .map(|i| i.id)
        .collect();
    assert!(!anas.is_empty());
    for id in anas {
        assert_eq!(
            app.call(&ben, "get_invoice", &[("id", &id.to_string())])
                .await
                .status(),
            404
        );
        assert_eq!(app.get_html(&ben, &format!("/invoices/{id}")).await.0, 404);
    }
    assert_eq!(
        app.call(&ben, "list_invoices", &[("status", "nonsense")])
            .await
            .status(),
        400
    );
    let (status, html) = app.get_html(&ben, "/invoices?status=unpaid").await;
    assert_eq!(status, 200);
    assert!(html.contains(&number), "the unpaid list shows {number}");
    let (_, html) = app.get_html(&ben, "/invoices?status=paid").await;
    assert!(!html.contains(&number), "not among paid invoices");
}
