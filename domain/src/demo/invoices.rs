//! Demo invoices: Ana has a paid one and two unpaid (one overdue, for her suspended blog),
//! Ben has an overdue one; every line belongs to a service, in the client's language.
use crate::{
    billing::invoices::{self, NewItem},
    entities::{service, service_renewal},
    error::DomainResult,
    Services,
};
use chrono::{Duration, Months};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

pub(super) async fn load(svc: &Services) -> DomainResult<()> {
    let now = svc.now();
    let today = now.date_naive();
    let month_before = |d: chrono::NaiveDate| d.checked_sub_months(Months::new(1)).unwrap_or(d);
    let year_after = |d: chrono::NaiveDate| d.checked_add_months(Months::new(12)).unwrap_or(d);
    // (domain, description, period, issued, due, paid), oldest first so numbers follow dates.
    let mut plan = Vec::new();
    for domain in [
        "tienda-ana.example",
        "blog-ana.example",
        "bencarter.example",
        "nuevo-proyecto.example",
    ] {
        let Some(s) = service::Entity::find()
            .filter(service::Column::Domain.eq(domain))
            .one(&svc.db)
            .await?
        else {
            continue;
        };
        let due = s.next_due_on;
        let (period, issued, due_on, paid, text) = match domain {
            "tienda-ana.example" => (
                (month_before(due), due),
                month_before(due) - Duration::days(14),
                month_before(due),
                true,
                "Hosting Business (mensual)",
            ),
            "blog-ana.example" => (
                (due, year_after(due)),
                due - Duration::days(14),
                due,
                false,
                "Hosting Starter (anual)",
            ),
            "bencarter.example" => (
                (month_before(due), due),
                today - Duration::days(16),
                today - Duration::days(2),
                false,
                "Starter hosting (monthly)",
            ),
            _ => (
                (today, due),
                today,
                today + Duration::days(3),
                false,
                "Hosting Pro (trimestral), primer periodo",
            ),
        };
        plan.push((s, period, issued, due_on, paid, text));
    }
    plan.sort_by_key(|p| p.2);
    for (s, period, issued, due_on, paid, text) in plan {
        let inv = invoices::issue(
            &svc.db,
            &svc.billing,
            s.client_id,
            &s.currency,
            &[NewItem {
                service_id: Some(s.id),
                description: format!("{text} — {}", s.domain),
                period: Some(period),
                amount_cents: s.amount_cents,
            }],
            issued,
            due_on,
            now,
        )
        .await?;
        // Registered as the renewal of its period, so the automation does not bill it again.
        if s.status != "pending" {
            service_renewal::ActiveModel {
                service_id: Set(s.id),
                period_start: Set(period.0),
                period_end: Set(period.1),
                invoice_id: Set(inv.id),
                created_at: Set(now),
                ..Default::default()
            }
            .insert(&svc.db)
            .await?;
        }
        if paid {
            invoices::record_payment(svc, inv.id).await?;
        }
    }
    Ok(())
}
