//! 120 days of billing, day by day, for four clients: one pays on time, one pays late, one
//! never pays, and one upgrades in the middle of a period. The exact invoices, emails and
//! status changes of each are checked.
use super::run;
use crate::{
    accounts::{create_user, Language, NewUser, Role},
    billing::{invoices, proration::BillingCycle},
    entities::{email, invoice, plan, plan_change, plan_price, service},
    hosting::upgrade,
    test_support::{services_with_clock, test_clock},
    Services,
};
use chrono::{Days, NaiveDate};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use std::{collections::BTreeMap, sync::Arc};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Payer {
    OnTime,
    FiveDaysLate,
    Never,
    Upgrader,
}

struct Client {
    payer: Payer,
    user: i32,
    service: i32,
    /// Status of the service at the end of each day it changed: (day, status).
    history: Vec<(NaiveDate, String)>,
}

async fn plan(svc: &Services, slug: &str, monthly: i64, order: i32) -> i32 {
    let p = plan::ActiveModel {
        slug: Set(slug.into()),
        name: Set(slug.to_uppercase()),
        description: Set(String::new()),
        features: Set(String::new()),
        currency: Set("EUR".into()),
        setup_fee_cents: Set(0),
        active: Set(true),
        hidden: Set(false),
        sort_order: Set(order),
        ..Default::default()
    }
    .insert(&svc.db)
    .await
    .unwrap();
    plan_price::ActiveModel {
        plan_id: Set(p.id),
        cycle: Set("monthly".into()),
        amount_cents: Set(monthly),
        ..Default::default()
    }
    .insert(&svc.db)
    .await
    .unwrap();
    p.id
}

#[tokio::test]
async fn one_hundred_and_twenty_days_of_billing() {
    let clock = Arc::new(test_clock());
    let mut svc = services_with_clock(test_clock()).await;
    svc.clock = clock.clone();
    let start = svc.now().date_naive(); // 2026-03-01
    let basic = plan(&svc, "basic", 1000, 0).await;
    let pro = plan(&svc, "pro", 2000, 1).await;
    plan_change::ActiveModel {
        from_plan_id: Set(basic),
        to_plan_id: Set(pro),
        ..Default::default()
    }
    .insert(&svc.db)
    .await
    .unwrap();
    let first_due = start + Days::new(20); // 2026-03-21
    let mut clients = Vec::new();
    for (i, payer) in [
        Payer::OnTime,
        Payer::FiveDaysLate,
        Payer::Never,
        Payer::Upgrader,
    ]
    .into_iter()
    .enumerate()
    {
        let email = format!("client{i}@example.com");
        let u = create_user(
            &svc,
            NewUser {
                email: &email,
                password: "a long enough password",
                name: "Client",
                role: Role::Client,
                language: Language::En,
            },
        )
        .await
        .unwrap();
        let now = svc.now();
        let s = service::ActiveModel {
            client_id: Set(u.id),
            plan_id: Set(basic),
            domain: Set(format!("site{i}.example")),
            cycle: Set("monthly".into()),
            amount_cents: Set(1000),
            currency: Set("EUR".into()),
            registered_on: Set(first_due - Days::new(31)),
            next_due_on: Set(first_due),
            gateway: Set("manual".into()),
            status: Set("active".into()),
            suspension_reason: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&svc.db)
        .await
        .unwrap();
        clients.push(Client {
            payer,
            user: u.id,
            service: s.id,
            history: vec![(start, "active".into())],
        });
    }
    let upgrade_day = start + Days::new(40);

    for offset in 0..=120u64 {
        let day = start + Days::new(offset);
        let target = day.and_hms_opt(9, 0, 0).unwrap().and_utc();
        clock.advance(target - svc.now());
        let report = run(&svc, day).await.unwrap();
        assert!(!report.skipped);
        // A second run the same day never does anything new.
        let again = run(&svc, day).await.unwrap();
        assert_eq!(
            (
                again.renewals,
                again.notices,
                again.suspended,
                again.unsuspended,
                again.terminated
            ),
            (0, 0, 0, 0, 0),
            "rerun on {day}"
        );
        for c in &mut clients {
            let unpaid = invoice::Entity::find()
                .filter(invoice::Column::ClientId.eq(c.user))
                .filter(invoice::Column::Status.eq("unpaid"))
                .all(&svc.db)
                .await
                .unwrap();
            for inv in unpaid {
                let pay = match c.payer {
                    Payer::OnTime | Payer::Upgrader => inv.issued_on < day,
                    Payer::FiveDaysLate => day == inv.due_on + Days::new(5),
                    Payer::Never => false,
                };
                if pay {
                    assert!(invoices::record_payment(&svc, inv.id).await.unwrap());
                }
            }
            if c.payer == Payer::Upgrader && day == upgrade_day {
                let out = upgrade::confirm(
                    &svc,
                    c.user,
                    c.service,
                    pro,
                    BillingCycle::Monthly,
                    svc.now(),
                )
                .await
                .unwrap();
                assert!(matches!(out, upgrade::Outcome::Invoiced { .. }));
            }
            let s = service::Entity::find_by_id(c.service)
                .one(&svc.db)
                .await
                .unwrap()
                .unwrap();
            if c.history.last().map(|h| h.1.as_str()) != Some(s.status.as_str()) {
                c.history.push((day, s.status.clone()));
            }
        }
    }

    let d = |n: u64| first_due + Days::new(n);
    let months = |n: u32| {
        first_due
            .checked_add_months(chrono::Months::new(n))
            .unwrap()
    };
    for c in &clients {
        let invs = invoice::Entity::find()
            .filter(invoice::Column::ClientId.eq(c.user))
            .order_by_asc(invoice::Column::Id)
            .all(&svc.db)
            .await
            .unwrap();
        let amounts: Vec<(i64, &str)> = invs
            .iter()
            .map(|i| (i.total_cents, i.status.as_str()))
            .collect();
        let mut mails: BTreeMap<String, usize> = BTreeMap::new();
        for e in email::Entity::find()
            .filter(email::Column::UserId.eq(c.user))
            .all(&svc.db)
            .await
            .unwrap()
        {
            *mails.entry(e.kind).or_default() += 1;
        }
        let mails: Vec<(&str, usize)> = mails.iter().map(|(k, v)| (k.as_str(), *v)).collect();
        let history: Vec<(NaiveDate, &str)> =
            c.history.iter().map(|(d, s)| (*d, s.as_str())).collect();
        match c.payer {
            Payer::OnTime => {
                // Renewals 14 days before 21 Mar, 21 Apr, 21 May and 21 Jun; 21 Jul's comes later.
                assert_eq!(amounts, vec![(1000, "paid"); 4]);
                assert_eq!(mails, [("invoice_created", 4), ("payment_received", 4)]);
                assert_eq!(history, [(start, "active")]);
            }
            Payer::FiveDaysLate => {
                assert_eq!(amounts, vec![(1000, "paid"); 4]);
                assert_eq!(
                    mails,
                    [
                        ("invoice_created", 4),
                        ("invoice_overdue", 8),
                        ("invoice_reminder", 4),
                        ("payment_received", 4),
                        ("service_suspended", 4),
                        ("service_unsuspended", 4),
                    ]
                );
                // Suspended three days after each due date, back on the day of payment.
                let mut expected = vec![(start, "active")];
                for m in 0..4 {
                    let due = months(m);
                    expected.push((due + Days::new(3), "suspended"));
                    expected.push((due + Days::new(5), "active"));
                }
                assert_eq!(history, expected);
            }
            Payer::Never => {
                // One invoice, never paid; no further renewals once terminated.
                assert_eq!(amounts, [(1000, "unpaid")]);
                assert_eq!(
                    mails,
                    [
                        ("invoice_created", 1),
                        ("invoice_overdue", 3),
                        ("invoice_reminder", 1),
                        ("service_suspended", 1),
                    ]
                );
                assert_eq!(
                    history,
                    [
                        (start, "active"),
                        (d(3), "suspended"),
                        (d(30), "terminated")
                    ]
                );
            }
            Payer::Upgrader => {
                // Two renewals at the old price, the prorated upgrade, then the new price.
                let prices: Vec<i64> = invs.iter().map(|i| i.total_cents).collect();
                assert_eq!(prices.len(), 5, "{prices:?}");
                assert_eq!(&prices[..2], [1000, 1000]);
                assert!(prices[2] > 0 && prices[2] <= 1000, "upgrade {prices:?}");
                assert_eq!(&prices[3..], [2000, 2000]);
                assert!(invs.iter().all(|i| i.status == "paid"));
                assert_eq!(history, [(start, "active")]);
                let s = service::Entity::find_by_id(c.service)
                    .one(&svc.db)
                    .await
                    .unwrap()
                    .unwrap();
                assert_eq!((s.plan_id, s.amount_cents), (pro, 2000));
            }
        }
    }
}
