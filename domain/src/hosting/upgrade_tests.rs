use super::*;
use crate::{
    billing::invoices::{self, InvoiceStatus},
    clock::ManualClock,
    demo,
    test_support::{services_with_clock, test_clock, user_id},
    Services,
};
use rust_decimal_macros::dec;
use std::sync::Arc;

struct World {
    svc: Services,
    clock: Arc<ManualClock>,
    ana: i32,
    ben: i32,
}

async fn world() -> World {
    let clock = Arc::new(test_clock());
    let mut svc = services_with_clock(test_clock()).await;
    svc.clock = clock.clone();
    demo::load(&svc, false).await.unwrap();
    let (ana, ben) = (
        user_id(&svc, "ana@example.com").await,
        user_id(&svc, "ben@example.com").await,
    );
    World {
        svc,
        clock,
        ana,
        ben,
    }
}

async fn service_by_domain(w: &World, domain: &str) -> service::Model {
    service::Entity::find()
        .filter(service::Column::Domain.eq(domain))
        .one(&w.svc.db)
        .await
        .unwrap()
        .unwrap()
}

async fn plan_id(w: &World, slug: &str) -> i32 {
    plan::Entity::find()
        .filter(plan::Column::Slug.eq(slug))
        .one(&w.svc.db)
        .await
        .unwrap()
        .unwrap()
        .id
}

#[tokio::test]
async fn options_are_the_allowed_plans_in_every_cycle() {
    let w = world().await;
    // tienda-ana is on Business: it may go up to Pro or down to Starter.
    let s = service_by_domain(&w, "tienda-ana.example").await;
    let o = options(&w.svc.db, w.ana, s.id).await.unwrap();
    assert_eq!(o.current_plan, "Business");
    assert_eq!(o.options.len(), 8);
    assert!(o
        .options
        .iter()
        .any(|x| x.plan_name == "Pro" && x.is_upgrade && x.cycle == BillingCycle::Annually));
    assert!(o
        .options
        .iter()
        .any(|x| x.plan_name == "Starter" && !x.is_upgrade));
    assert!(o.pending.is_none());
    // Someone else's service does not exist for this client; a suspended one cannot change.
    assert!(matches!(
        options(&w.svc.db, w.ben, s.id).await,
        Err(DomainError::NotFound)
    ));
    let suspended = service_by_domain(&w, "blog-ana.example").await;
    assert!(matches!(
        options(&w.svc.db, w.ana, suspended.id).await,
        Err(DomainError::Invalid(Invalid::ServiceNotActive))
    ));
}

#[tokio::test]
async fn an_upgrade_is_invoiced_and_applied_once_paid() {
    let w = world().await;
    let s = service_by_domain(&w, "tienda-ana.example").await;
    let pro = plan_id(&w, "pro").await;
    let today = w.svc.now().date_naive();
    let q = quote(&w.svc.db, w.ana, s.id, pro, BillingCycle::Monthly, today)
        .await
        .unwrap();
    // Business monthly (12.00) paid to next_due (today + 12 days) → Pro monthly (25.00).
    assert_eq!(q.period_end, s.next_due_on);
    assert_eq!(q.proration.days_remaining, 12);
    let days = q.proration.days_in_period;
    assert_eq!(
        q.proration.credit,
        (dec!(12.00) * Decimal::from(12) / Decimal::from(days)).round_dp(2)
    );
    assert_eq!(
        q.proration.amount_due,
        q.proration.new_cost - q.proration.credit
    );
    assert!(q.proration.amount_due > Decimal::ZERO);

    let now = w.svc.now();
    let out = confirm(&w.svc, w.ana, s.id, pro, BillingCycle::Monthly, now)
        .await
        .unwrap();
    let Outcome::Invoiced { invoice_id } = out else {
        panic!("expected an invoice, got {out:?}")
    };
    let inv = invoices::get(&w.svc.db, w.ana, invoice_id).await.unwrap();
    assert_eq!(inv.summary.status, InvoiceStatus::Unpaid);
    assert_eq!(
        Decimal::new(inv.summary.total_cents, 2),
        q.proration.amount_due
    );
    assert_eq!(inv.items[0].service_id, Some(s.id));
    assert!(inv.items[0].description.contains("tienda-ana.example"));
    assert!(invoices::get(&w.svc.db, w.ben, invoice_id).await.is_err());
    // Not yet paid: same plan; a second order waits for the first.
    assert_eq!(
        service_by_domain(&w, "tienda-ana.example").await.plan_id,
        s.plan_id
    );
    assert!(matches!(
        confirm(&w.svc, w.ana, s.id, pro, BillingCycle::Annually, now).await,
        Err(DomainError::Invalid(Invalid::UpgradePending))
    ));
    assert!(options(&w.svc.db, w.ana, s.id)
        .await
        .unwrap()
        .pending
        .is_some());

    // Paid: the plan, cycle and price change, the due date stays. Paying twice does nothing.
    assert!(invoices::record_payment(&w.svc, invoice_id).await.unwrap());
    let after = service_by_domain(&w, "tienda-ana.example").await;
    assert_eq!(after.plan_id, pro);
    assert_eq!(after.amount_cents, 2500);
    assert_eq!(after.next_due_on, s.next_due_on);
    assert!(!invoices::record_payment(&w.svc, invoice_id).await.unwrap());
    assert!(options(&w.svc.db, w.ana, s.id)
        .await
        .unwrap()
        .pending
        .is_none());
}

#[tokio::test]
async fn a_downgrade_with_credit_applies_at_once_without_invoice() {
    let w = world().await;
    let s = service_by_domain(&w, "tienda-ana.example").await;
    let starter = plan_id(&w, "starter").await;
    let (count_before, _) = invoices::unpaid_totals(&w.svc.db, w.ana).await.unwrap();
    let out = confirm(
        &w.svc,
        w.ana,
        s.id,
        starter,
        BillingCycle::Monthly,
        w.svc.now(),
    )
    .await
    .unwrap();
    assert_eq!(out, Outcome::Applied);
    let after = service_by_domain(&w, "tienda-ana.example").await;
    assert_eq!((after.plan_id, after.amount_cents), (starter, 500));
    let (count_after, _) = invoices::unpaid_totals(&w.svc.db, w.ana).await.unwrap();
    assert_eq!(count_after, count_before);
    let order = service_upgrade::Entity::find()
        .one(&w.svc.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(order.status, "completed");
    assert!(order.credit_left_cents > 0);
}

#[tokio::test]
async fn plans_and_cycles_outside_the_options_are_refused() {
    let w = world().await;
    let s = service_by_domain(&w, "bencarter.example").await;
    let today = w.svc.now().date_naive();
    // Starter may go to Business or Pro, not to Starter itself.
    let starter = plan_id(&w, "starter").await;
    assert!(matches!(
        quote(
            &w.svc.db,
            w.ben,
            s.id,
            starter,
            BillingCycle::Monthly,
            today
        )
        .await,
        Err(DomainError::Invalid(Invalid::PlanChange))
    ));
    assert!(matches!(
        quote(&w.svc.db, w.ben, s.id, 9999, BillingCycle::Monthly, today).await,
        Err(DomainError::Invalid(Invalid::PlanChange))
    ));
}

#[tokio::test]
async fn an_unpaid_upgrade_is_cancelled_after_the_configured_days() {
    let w = world().await;
    let s = service_by_domain(&w, "bencarter.example").await;
    let business = plan_id(&w, "business").await;
    let out = confirm(
        &w.svc,
        w.ben,
        s.id,
        business,
        BillingCycle::Monthly,
        w.svc.now(),
    )
    .await
    .unwrap();
    let Outcome::Invoiced { invoice_id } = out else {
        panic!("{out:?}")
    };
    // Seven days later it still stands; on the eighth it is cancelled with its invoice.
    w.clock.advance(chrono::Duration::days(7));
    assert_eq!(cancel_unpaid(&w.svc.db, w.svc.now()).await.unwrap(), 0);
    w.clock.advance(chrono::Duration::days(1));
    assert_eq!(cancel_unpaid(&w.svc.db, w.svc.now()).await.unwrap(), 1);
    assert_eq!(cancel_unpaid(&w.svc.db, w.svc.now()).await.unwrap(), 0);
    let inv = invoices::get(&w.svc.db, w.ben, invoice_id).await.unwrap();
    assert_eq!(inv.summary.status, InvoiceStatus::Cancelled);
    // A late payment no longer changes the plan.
    assert!(!invoices::record_payment(&w.svc, invoice_id).await.unwrap());
    assert_eq!(
        service_by_domain(&w, "bencarter.example").await.plan_id,
        s.plan_id
    );
    // And a new upgrade can be ordered.
    assert!(options(&w.svc.db, w.ben, s.id)
        .await
        .unwrap()
        .pending
        .is_none());
}

#[tokio::test]
async fn invoice_numbers_are_sequential_per_year() {
    let w = world().await;
    let now = w.svc.now();
    let item = NewItem {
        service_id: None,
        description: "x".into(),
        period: None,
        amount_cents: 100,
    };
    let mut numbers = Vec::new();
    for _ in 0..3 {
        let inv = invoices::issue(
            &w.svc.db,
            &w.svc.billing,
            w.ben,
            "EUR",
            std::slice::from_ref(&item),
            now.date_naive(),
            now.date_naive(),
            now,
        )
        .await
        .unwrap();
        numbers.push(inv.number.unwrap());
    }
    let seq: Vec<i64> = numbers
        .iter()
        .map(|n| n.rsplit_once('-').unwrap().1.parse().unwrap())
        .collect();
    assert!(numbers.iter().all(|n| n.starts_with("2026-")));
    assert_eq!(seq[1], seq[0] + 1);
    assert_eq!(seq[2], seq[1] + 1);
}

#[tokio::test]
async fn demo_invoices_give_each_client_their_own_unpaid_total() {
    let w = world().await;
    let (n, totals) = invoices::unpaid_totals(&w.svc.db, w.ana).await.unwrap();
    assert_eq!((n, totals), (2, vec![("EUR".to_string(), 5000 + 7000)]));
    let (n, totals) = invoices::unpaid_totals(&w.svc.db, w.ben).await.unwrap();
    assert_eq!((n, totals), (1, vec![("EUR".to_string(), 500)]));
    let anas = invoices::list(&w.svc.db, w.ana, None, 1).await.unwrap();
    assert_eq!(anas.total, 3);
    let paid = invoices::list(&w.svc.db, w.ana, Some(InvoiceStatus::Paid), 1)
        .await
        .unwrap();
    assert_eq!(paid.total, 1);
    // Ben's invoice is not Ana's to see.
    let bens = invoices::list(&w.svc.db, w.ben, None, 1).await.unwrap();
    assert!(matches!(
        invoices::get(&w.svc.db, w.ana, bens.items[0].id).await,
        Err(DomainError::NotFound)
    ));
    let tienda = service_by_domain(&w, "tienda-ana.example").await;
    let latest = invoices::for_service(&w.svc.db, w.ana, tienda.id, 5)
        .await
        .unwrap();
    assert_eq!(latest.len(), 1);
    assert!(invoices::for_service(&w.svc.db, w.ben, tienda.id, 5)
        .await
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn paying_for_an_upgrade_of_a_service_cancelled_meanwhile_still_records_the_payment() {
    let w = world().await;
    let s = service_by_domain(&w, "bencarter.example").await;
    let business = plan_id(&w, "business").await;
    let now = w.svc.now();
    let Outcome::Invoiced { invoice_id } =
        confirm(&w.svc, w.ben, s.id, business, BillingCycle::Monthly, now)
            .await
            .unwrap()
    else {
        panic!("expected an invoice")
    };
    crate::hosting::provisioning::terminate(&w.svc.db, s.id, None, now)
        .await
        .unwrap();
    assert!(invoices::record_payment(&w.svc, invoice_id).await.unwrap());
    let inv = invoices::get(&w.svc.db, w.ben, invoice_id).await.unwrap();
    assert_eq!(inv.summary.status, InvoiceStatus::Paid);
    let after = service_by_domain(&w, "bencarter.example").await;
    assert_eq!(
        (after.plan_id, after.status.as_str()),
        (s.plan_id, "terminated")
    );
    let order = service_upgrade::Entity::find()
        .filter(service_upgrade::Column::InvoiceId.eq(invoice_id))
        .one(&w.svc.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(order.status, "cancelled");
}
