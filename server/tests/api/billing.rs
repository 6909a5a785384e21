//! The billing automation inside the server, and what staff see of it.
use crate::helpers::*;
use domain::entities::{billing_run, service_renewal};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_runs_billing_at_start_and_staff_see_the_run() {
    let app = spawn_app_with(&[("PORTICO_BILLING_INTERVAL_MINUTES", "60")]).await;
    let mut finished = 0;
    for _ in 0..100 {
        finished = billing_run::Entity::find()
            .filter(billing_run::Column::FinishedAt.is_not_null())
            .count(&app.services.db)
            .await
            .unwrap();
        if finished > 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(finished, 1, "one run at start");
    // The demo's active services fall due within 14 days: their renewals were issued.
    let renewals = service_renewal::Entity::find()
        .count(&app.services.db)
        .await
        .unwrap();
    assert!(renewals > 3, "demo renewals plus new ones: {renewals}");
    let admin = app.client();
    app.sign_in(&admin, "admin@example.com", DEMO_PASSWORD)
        .await;
    let (status, html) = app.get_html(&admin, "/staff").await;
    assert_eq!(status, 200);
    assert!(html.contains("Billing automation"));
    assert!(
        html.contains("renewal invoices"),
        "the run's summary is shown"
    );
    assert!(!html.contains("No billing run has finished"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_are_told_when_billing_has_not_run() {
    let app = spawn_app().await;
    let admin = app.client();
    app.sign_in(&admin, "admin@example.com", DEMO_PASSWORD)
        .await;
    let (_, html) = app.get_html(&admin, "/staff").await;
    assert!(html.contains("No billing run has finished in the last 24 hours"));
    assert!(html.contains("has not run yet"));
    // Clients never see it.
    let ben = app.client();
    app.sign_in(&ben, "ben@example.com", DEMO_PASSWORD).await;
    let (status, html) = app.get_html(&ben, "/staff").await;
    assert_eq!(status, 403);
    assert!(!html.contains("Billing automation"));
}
