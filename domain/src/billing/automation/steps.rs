//! The units of work of a billing run. Each commits on its own with the row that makes it
//! happen once, and queues its email in the same transaction.
use super::RunReport;
use crate::{
    accounts::Language,
    billing::{
        invoices::{self, InvoiceStatus, NewItem},
        payments,
        proration::{add_cycle, BillingCycle},
    },
    entities::{
        billing_notice, email, invoice, invoice_item, plan, service, service_renewal, user,
    },
    error::{DomainError, DomainResult},
    hosting::{cancellation, provisioning, upgrade, SuspensionReason},
    mail::{billing_templates as t, Rendered},
    Services,
};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::{
    sea_query::OnConflict, ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait,
    PaginatorTrait, QueryFilter, QuerySelect, Set, SqlErr, TransactionSession, TransactionTrait,
};
use std::collections::{HashMap, HashSet};

pub(super) async fn all(svc: &Services, as_of: NaiveDate) -> DomainResult<RunReport> {
    let midnight = as_of.and_time(chrono::NaiveTime::MIN).and_utc();
    let mut r = RunReport {
        renewals: renewals(svc, as_of).await?,
        // Before the notices, so an overdue notice states the amount with its fee.
        late_fees: late_fees(svc, as_of).await?,
        ..Default::default()
    };
    // Before the notices: an invoice the saved card pays gets no reminder.
    r.cards = crate::billing::cards::charge::run(svc, as_of).await?;
    r.card_expiry_notices = crate::billing::cards::expiry_notices(svc, as_of).await?;
    r.notices = notices(svc, as_of).await?;
    let (suspended, terminated) = suspensions(svc, as_of).await?;
    r.suspended = suspended;
    r.terminated = terminated;
    r.unsuspended = unsuspensions(svc, as_of).await?;
    r.upgrades_cancelled = upgrade::cancel_unpaid(&svc.db, midnight).await?;
    for request in cancellation::due_cancellations(&svc.db, as_of).await? {
        match cancellation::carry_out(&svc.db, request.id, svc.now()).await {
            Ok(()) => r.cancellations += 1,
            // Withdrawn or carried out meanwhile.
            Err(DomainError::NotFound | DomainError::Refused(_)) => {}
            Err(e) => return Err(e),
        }
    }
    r.tickets_closed = crate::support::autoclose::run(svc).await?;
    // The sign-in history keeps 90 days.
    crate::accounts::activity::purge_old_attempts(&svc.db, svc.now()).await?;
    r.emails = svc.mailer.deliver_pending(svc).await?;
    Ok(r)
}

fn is_unique_violation(e: &DomainError) -> bool {
    matches!(e, DomainError::Db(db) if matches!(db.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))))
}

/// Writes the email in the caller's transaction; the run delivers it after the commit.
pub(crate) async fn queue_email(
    db: &impl ConnectionTrait,
    to: &user::Model,
    kind: &str,
    content: Rendered,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    email::ActiveModel {
        user_id: Set(Some(to.id)),
        to_address: Set(to.email.clone()),
        kind: Set(kind.into()),
        language: Set(to.language.clone()),
        subject: Set(content.subject),
        body_text: Set(content.body),
        status: Set("pending".into()),
        error: Set(None),
        created_at: Set(now),
        sent_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Records that `kind` was handled for the invoice; `false` if it already was.
async fn mark_notice(
    db: &impl ConnectionTrait,
    invoice_id: i32,
    kind: &str,
    now: DateTime<Utc>,
) -> DomainResult<bool> {
    let n = billing_notice::Entity::insert(billing_notice::ActiveModel {
        invoice_id: Set(invoice_id),
        kind: Set(kind.into()),
        created_at: Set(now),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::columns([
            billing_notice::Column::InvoiceId,
            billing_notice::Column::Kind,
        ])
        .do_nothing()
        .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(n == 1)
}

fn facts<'a>(svc: &Services, inv: &'a invoice::Model, link: &'a mut String) -> t::InvoiceFacts<'a> {
    *link = format!("{}/invoices/{}", svc.base_url, inv.id);
    t::InvoiceFacts {
        number: inv.number.as_deref().unwrap_or_default(),
        total_cents: inv.total_cents - inv.paid_cents,
        currency: &inv.currency,
        due_on: inv.due_on,
        link,
    }
}

async fn client(db: &impl ConnectionTrait, id: i32) -> DomainResult<user::Model> {
    user::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(DomainError::NotFound)
}

/// One renewal invoice per service and period, `renew_days_before` its next due date.
async fn renewals(svc: &Services, as_of: NaiveDate) -> DomainResult<u32> {
    let horizon = as_of + Duration::days(svc.billing.renew_days_before.into());
    let due = service::Entity::find()
        .filter(service::Column::Status.is_in(["active", "suspended"]))
        .filter(service::Column::NextDueOn.lte(horizon))
        .all(&svc.db)
        .await?;
    let done: HashSet<(i32, NaiveDate)> = service_renewal::Entity::find()
        .filter(service_renewal::Column::ServiceId.is_in(due.iter().map(|s| s.id)))
        .select_only()
        .columns([
            service_renewal::Column::ServiceId,
            service_renewal::Column::PeriodStart,
        ])
        .into_tuple()
        .all(&svc.db)
        .await?
        .into_iter()
        .collect();
    let mut n = 0;
    for s in due {
        if done.contains(&(s.id, s.next_due_on)) {
            continue;
        }
        match renew(svc, &s, as_of).await {
            Ok(()) => n += 1,
            // Another run issued it first: the whole unit rolled back, number included.
            Err(e) if is_unique_violation(&e) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

async fn renew(svc: &Services, s: &service::Model, as_of: NaiveDate) -> DomainResult<()> {
    let now = svc.now();
    let cycle = BillingCycle::parse(&s.cycle)
        .ok_or_else(|| DomainError::Internal(format!("service {}: bad cycle", s.id)))?;
    let period_end = add_cycle(s.next_due_on, cycle, 1);
    let txn = svc.db.begin().await?;
    let to = client(&txn, s.client_id).await?;
    let plan_name = plan::Entity::find_by_id(s.plan_id)
        .one(&txn)
        .await?
        .map(|p| p.name)
        .unwrap_or_default();
    let language = Language::from_db(&to.language);
    let description = match language {
        Language::Es => format!(
            "{plan_name} — {} ({} a {})",
            s.domain,
            t::format_date(s.next_due_on, language),
            t::format_date(period_end, language)
        ),
        Language::En => format!(
            "{plan_name} — {} ({} to {})",
            s.domain,
            t::format_date(s.next_due_on, language),
            t::format_date(period_end, language)
        ),
    };
    let inv = invoices::issue(
        &txn,
        &svc.billing,
        s.client_id,
        &s.currency,
        &[NewItem {
            service_id: Some(s.id),
            description,
            period: Some((s.next_due_on, period_end)),
            amount_cents: s.amount_cents,
        }],
        as_of,
        s.next_due_on.max(as_of),
        now,
    )
    .await?;
    service_renewal::ActiveModel {
        service_id: Set(s.id),
        period_start: Set(s.next_due_on),
        period_end: Set(period_end),
        invoice_id: Set(inv.id),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    mark_notice(&txn, inv.id, "created", now).await?;
    // Credit pays what it can at once; the email then shows what is left to pay.
    let inv = if payments::auto_apply_credit(&txn, svc, &inv, now).await? > 0 {
        invoice::Entity::find_by_id(inv.id)
            .one(&txn)
            .await?
            .ok_or(DomainError::NotFound)?
    } else {
        inv
    };
    let mut link = String::new();
    let content = t::invoice_created(language, &to.name, &facts(svc, &inv, &mut link));
    queue_email(&txn, &to, "invoice_created", content, now).await?;
    txn.commit().await?;
    Ok(())
}

/// The late fee (when configured), once per invoice still unpaid `late_fee_days` after its
/// due date: a line added to the invoice, in one transaction with the notice row that makes it
/// happen once.
async fn late_fees(svc: &Services, as_of: NaiveDate) -> DomainResult<u32> {
    let Some(fee) = &svc.billing.late_fee else {
        return Ok(0);
    };
    let cutoff = as_of - Duration::days(svc.billing.late_fee_days.into());
    let late = invoice::Entity::find()
        .filter(invoice::Column::Status.eq(InvoiceStatus::Unpaid.as_str()))
        .filter(invoice::Column::DueOn.lte(cutoff))
        .all(&svc.db)
        .await?;
    let charged: HashSet<i32> = billing_notice::Entity::find()
        .filter(billing_notice::Column::InvoiceId.is_in(late.iter().map(|i| i.id)))
        .filter(billing_notice::Column::Kind.eq("late_fee"))
        .select_only()
        .column(billing_notice::Column::InvoiceId)
        .into_tuple()
        .all(&svc.db)
        .await?
        .into_iter()
        .collect();
    let mut n = 0;
    for inv in late.into_iter().filter(|i| !charged.contains(&i.id)) {
        let amount = late_fee_amount(fee, inv.total_cents);
        let now = svc.now();
        let txn = svc.db.begin().await?;
        if !mark_notice(&txn, inv.id, "late_fee", now).await? {
            continue;
        }
        if amount > 0 {
            let to = client(&txn, inv.client_id).await?;
            let description = match Language::from_db(&to.language) {
                Language::Es => format!(
                    "Recargo por demora — factura {}",
                    inv.number.as_deref().unwrap_or_default()
                ),
                Language::En => format!(
                    "Late fee — invoice {}",
                    inv.number.as_deref().unwrap_or_default()
                ),
            };
            let item = NewItem {
                service_id: None,
                description,
                period: None,
                amount_cents: amount,
            };
            if invoices::add_line(&txn, &inv, &item, now).await? {
                n += 1;
            }
        }
        txn.commit().await?;
    }
    Ok(n)
}

/// A fixed fee, or a share of the total rounded to the cent half away from zero.
pub(crate) fn late_fee_amount(fee: &crate::LateFee, total_cents: i64) -> i64 {
    match fee {
        crate::LateFee::Fixed(c) => *c,
        crate::LateFee::Percent(bp) => {
            let v = i128::from(total_cents) * i128::from(*bp);
            i64::try_from((v + 5_000) / 10_000).unwrap_or(0)
        }
    }
}

/// The reminder before the due date and the overdue notices after it, each once. After a
/// pause, only the latest notice that fell due is emailed; the missed ones are marked done.
async fn notices(svc: &Services, as_of: NaiveDate) -> DomainResult<u32> {
    let b = &svc.billing;
    let horizon = as_of + Duration::days(b.reminder_days_before.into());
    let unpaid = invoice::Entity::find()
        .filter(invoice::Column::Status.eq(InvoiceStatus::Unpaid.as_str()))
        .filter(invoice::Column::DueOn.lte(horizon))
        .all(&svc.db)
        .await?;
    let sent: HashSet<(i32, String)> = billing_notice::Entity::find()
        .filter(billing_notice::Column::InvoiceId.is_in(unpaid.iter().map(|i| i.id)))
        .select_only()
        .columns([
            billing_notice::Column::InvoiceId,
            billing_notice::Column::Kind,
        ])
        .into_tuple()
        .all(&svc.db)
        .await?
        .into_iter()
        .collect();
    let mut n = 0;
    for inv in unpaid {
        let days_after = (as_of - inv.due_on).num_days();
        // (kind, days) of every notice that has fell due by now, in order.
        let mut due: Vec<(String, i64)> = Vec::new();
        if days_after < 0 {
            due.push(("reminder".into(), -days_after));
        }
        for d in &b.overdue_notice_days {
            if days_after >= i64::from(*d) {
                due.push((format!("overdue_{d}"), days_after));
            }
        }
        let due: Vec<_> = due
            .into_iter()
            .filter(|(k, _)| !sent.contains(&(inv.id, k.clone())))
            .collect();
        let Some(last) = due.last().cloned() else {
            continue;
        };
        let now = svc.now();
        let txn = svc.db.begin().await?;
        let mut fresh = false;
        for (kind, _) in &due {
            fresh = mark_notice(&txn, inv.id, kind, now).await?;
        }
        if fresh {
            let to = client(&txn, inv.client_id).await?;
            let language = Language::from_db(&to.language);
            let mut link = String::new();
            let f = facts(svc, &inv, &mut link);
            let (kind, content) = if last.0 == "reminder" {
                (
                    "invoice_reminder",
                    t::invoice_reminder(language, &to.name, &f, last.1),
                )
            } else {
                (
                    "invoice_overdue",
                    t::invoice_overdue(language, &to.name, &f, last.1),
                )
            };
            queue_email(&txn, &to, kind, content, now).await?;
            n += 1;
        }
        txn.commit().await?;
    }
    Ok(n)
}

/// Unpaid invoices due on or before `day`, by service they bill.
async fn unpaid_by_service(
    db: &impl ConnectionTrait,
    day: NaiveDate,
) -> DomainResult<HashMap<i32, invoice::Model>> {
    let unpaid = invoice::Entity::find()
        .filter(invoice::Column::Status.eq(InvoiceStatus::Unpaid.as_str()))
        .filter(invoice::Column::DueOn.lte(day))
        .all(db)
        .await?;
    let by_id: HashMap<i32, invoice::Model> = unpaid.into_iter().map(|i| (i.id, i)).collect();
    let lines: Vec<(i32, Option<i32>)> = invoice_item::Entity::find()
        .filter(invoice_item::Column::InvoiceId.is_in(by_id.keys().copied()))
        .select_only()
        .columns([
            invoice_item::Column::InvoiceId,
            invoice_item::Column::ServiceId,
        ])
        .into_tuple()
        .all(db)
        .await?;
    let mut out: HashMap<i32, invoice::Model> = HashMap::new();
    for (invoice_id, service_id) in lines {
        if let (Some(sid), Some(inv)) = (service_id, by_id.get(&invoice_id)) {
            // The oldest unpaid invoice of the service decides.
            let keep = out.get(&sid).is_none_or(|o| inv.due_on < o.due_on);
            if keep {
                out.insert(sid, inv.clone());
            }
        }
    }
    Ok(out)
}

/// Whether one service has an unpaid invoice due on or before `day` (the payment path asks
/// this about one service; the run asks it of all at once with [`unpaid_by_service`]).
async fn has_overdue(
    db: &impl ConnectionTrait,
    service_id: i32,
    day: NaiveDate,
) -> DomainResult<bool> {
    let invoice_ids: Vec<i32> = invoice_item::Entity::find()
        .select_only()
        .column(invoice_item::Column::InvoiceId)
        .filter(invoice_item::Column::ServiceId.eq(service_id))
        .into_tuple()
        .all(db)
        .await?;
    let n = invoice::Entity::find()
        .filter(invoice::Column::Id.is_in(invoice_ids))
        .filter(invoice::Column::Status.eq(InvoiceStatus::Unpaid.as_str()))
        .filter(invoice::Column::DueOn.lte(day))
        .count(db)
        .await?;
    Ok(n > 0)
}

/// Suspends active services with an invoice unpaid `suspend_after_days` after its due date,
/// and terminates those still unpaid `terminate_after_days` after it.
async fn suspensions(svc: &Services, as_of: NaiveDate) -> DomainResult<(u32, u32)> {
    let b = &svc.billing;
    let late =
        unpaid_by_service(&svc.db, as_of - Duration::days(b.suspend_after_days.into())).await?;
    let services = service::Entity::find()
        .filter(service::Column::Id.is_in(late.keys().copied()))
        .filter(service::Column::Status.is_in(["active", "suspended"]))
        .all(&svc.db)
        .await?;
    let terminate_before = as_of - Duration::days(b.terminate_after_days.into());
    let (mut suspended, mut terminated) = (0, 0);
    for s in services {
        let inv = &late[&s.id];
        let now = svc.now();
        if s.status == "active" {
            let txn = svc.db.begin().await?;
            provisioning::suspend(&txn, s.id, SuspensionReason::Overdue, None, now).await?;
            if mark_notice(&txn, inv.id, &format!("suspended_{}", s.id), now).await? {
                let to = client(&txn, s.client_id).await?;
                let mut link = String::new();
                let content = t::service_suspended(
                    Language::from_db(&to.language),
                    &to.name,
                    &s.domain,
                    &facts(svc, inv, &mut link),
                );
                queue_email(&txn, &to, "service_suspended", content, now).await?;
            }
            txn.commit().await?;
            suspended += 1;
        } else if s.suspension_reason.as_deref() == Some("overdue")
            && inv.due_on <= terminate_before
        {
            provisioning::terminate(&svc.db, s.id, None, now).await?;
            terminated += 1;
        }
    }
    Ok((suspended, terminated))
}

/// Services suspended for an unpaid invoice whose overdue invoices are all paid.
async fn unsuspensions(svc: &Services, as_of: NaiveDate) -> DomainResult<u32> {
    let suspended = service::Entity::find()
        .filter(service::Column::Status.eq("suspended"))
        .filter(service::Column::SuspensionReason.eq("overdue"))
        .all(&svc.db)
        .await?;
    if suspended.is_empty() {
        return Ok(0);
    }
    let still_late = unpaid_by_service(&svc.db, as_of - Duration::days(1)).await?;
    let mut n = 0;
    for s in suspended
        .into_iter()
        .filter(|s| !still_late.contains_key(&s.id))
    {
        if unsuspend(&svc.db, &s, svc.now()).await? {
            n += 1;
        }
    }
    Ok(n)
}

async fn unsuspend<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    s: &service::Model,
    now: DateTime<Utc>,
) -> DomainResult<bool> {
    let txn = db.begin().await?;
    match provisioning::unsuspend(&txn, s.id, None, now).await {
        Ok(_) => {}
        Err(DomainError::Refused(_)) => return Ok(false),
        Err(e) => return Err(e),
    }
    let to = client(&txn, s.client_id).await?;
    let content = t::service_unsuspended(Language::from_db(&to.language), &to.name, &s.domain);
    queue_email(&txn, &to, "service_unsuspended", content, now).await?;
    txn.commit().await?;
    Ok(true)
}

/// In the payment's transaction: a paid renewal moves the service's next due date on by one
/// period, a service suspended for non-payment with nothing else overdue comes back, and the
/// client gets a receipt.
pub async fn after_payment<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    svc_base_url: &str,
    inv: &invoice::Model,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    if let Some(r) = service_renewal::Entity::find()
        .filter(service_renewal::Column::InvoiceId.eq(inv.id))
        .one(db)
        .await?
    {
        service::Entity::update_many()
            .col_expr(
                service::Column::NextDueOn,
                sea_orm::sea_query::Expr::value(r.period_end),
            )
            .col_expr(
                service::Column::UpdatedAt,
                sea_orm::sea_query::Expr::value(now),
            )
            .filter(service::Column::Id.eq(r.service_id))
            .filter(service::Column::NextDueOn.eq(r.period_start))
            .exec(db)
            .await?;
        let s = service::Entity::find_by_id(r.service_id).one(db).await?;
        if let Some(s) = s.filter(|s| {
            s.status == "suspended" && s.suspension_reason.as_deref() == Some("overdue")
        }) {
            if !has_overdue(db, s.id, now.date_naive() - Duration::days(1)).await? {
                unsuspend(db, &s, now).await?;
            }
        }
    }
    let to = client(db, inv.client_id).await?;
    let link = format!("{svc_base_url}/invoices/{}", inv.id);
    let f = t::InvoiceFacts {
        number: inv.number.as_deref().unwrap_or_default(),
        total_cents: inv.total_cents,
        currency: &inv.currency,
        due_on: inv.due_on,
        link: &link,
    };
    let content = t::payment_received(Language::from_db(&to.language), &to.name, &f);
    queue_email(db, &to, "payment_received", content, now).await
}
