//! Payments, credit, refunds, taxes and numbering on a real (in-memory SQLite) database with the
//! demo data.
use super::*;
use crate::{
    billing::{
        credit,
        invoices::{self, NewItem},
        numbering::NumberFormat,
        tax::{TaxMode, TaxSettings},
    },
    demo,
    entities::{invoice_item, service, user},
    error::{Invalid, Refused},
    test_support::{services_on_memory_db, user_id},
    LateFee,
};
use sea_orm::{ActiveModelTrait, IntoActiveModel};

async fn world() -> (Services, i32, i32) {
    let svc = services_on_memory_db().await;
    demo::load(&svc, false).await.unwrap();
    let (ana, ben) = (
        user_id(&svc, "ana@example.com").await,
        user_id(&svc, "ben@example.com").await,
    );
    (svc, ana, ben)
}

async fn bens_unpaid(svc: &Services, ben: i32) -> invoice::Model {
    invoice::Entity::find()
        .filter(invoice::Column::ClientId.eq(ben))
        .filter(invoice::Column::Status.eq("unpaid"))
        .one(&svc.db)
        .await
        .unwrap()
        .unwrap()
}

async fn reload(svc: &Services, id: i32) -> invoice::Model {
    invoice::Entity::find_by_id(id)
        .one(&svc.db)
        .await
        .unwrap()
        .unwrap()
}

async fn issue_one(svc: &Services, client: i32, cents: i64) -> invoice::Model {
    let today = svc.now().date_naive();
    invoices::issue(
        &svc.db,
        &svc.billing,
        client,
        "EUR",
        &[NewItem {
            service_id: None,
            description: "Extra".into(),
            period: None,
            amount_cents: cents,
        }],
        today,
        today,
        svc.now(),
    )
    .await
    .unwrap()
}

async fn set_details(svc: &Services, id: i32, country: &str, vat_id: &str, company: &str) {
    let mut u = user::Entity::find_by_id(id)
        .one(&svc.db)
        .await
        .unwrap()
        .unwrap()
        .into_active_model();
    u.country = Set(country.into());
    u.vat_id = Set(vat_id.into());
    u.company = Set(company.into());
    u.address = Set("Calle Mayor 1\n28013 Madrid".into());
    u.update(&svc.db).await.unwrap();
}

const KEY_A: &str = "form-key-aaaaaaaaaaaaaaaa";
const KEY_B: &str = "form-key-bbbbbbbbbbbbbbbb";
const KEY_C: &str = "form-key-cccccccccccccccc";

#[tokio::test]
async fn issuing_freezes_the_clients_details_and_the_tax_that_applies() {
    let (mut svc, ana, ben) = world().await;
    svc.billing.tax = TaxSettings {
        seller_country: Some("ES".into()),
        ..Default::default()
    };
    set_details(&svc, ana, "DE", "DE123456789", "Ana GmbH").await;
    set_details(&svc, ben, "ES", "", "").await;
    let reverse = issue_one(&svc, ana, 2500).await;
    let domestic = issue_one(&svc, ben, 2500).await;
    assert_eq!(
        (
            reverse.tax_mode.as_str(),
            reverse.tax_cents,
            reverse.total_cents
        ),
        ("reverse_charge", 0, 2500)
    );
    assert_eq!(
        (
            domestic.tax_name.as_str(),
            domestic.tax_rate_bp,
            domestic.tax_cents,
            domestic.total_cents
        ),
        ("IVA", 2100, 525, 3025)
    );
    // Later changes to the profile do not touch issued invoices.
    set_details(&svc, ana, "ES", "", "Another name").await;
    let d = invoices::get(&svc.db, ana, reverse.id).await.unwrap();
    assert_eq!(
        (
            d.bill_to.company.as_str(),
            d.bill_to.country.as_str(),
            d.bill_to.vat_id.as_str()
        ),
        ("Ana GmbH", "DE", "DE123456789")
    );
    assert_eq!(d.tax_mode, TaxMode::ReverseCharge);
    assert_eq!(d.bill_to.address, "Calle Mayor 1\n28013 Madrid");
    // Prices that include tax keep the total.
    svc.billing.tax.prices_include_tax = true;
    let inclusive = issue_one(&svc, ben, 1210).await;
    assert_eq!(
        (
            inclusive.subtotal_cents,
            inclusive.tax_cents,
            inclusive.total_cents
        ),
        (1000, 210, 1210)
    );
}

#[tokio::test]
async fn numbers_follow_the_configured_format_and_are_never_reused() {
    let (mut svc, _, ben) = world().await;
    svc.billing.number_format = NumberFormat::parse("INV-{seq:4}").unwrap();
    let a = issue_one(&svc, ben, 100).await;
    let b = issue_one(&svc, ben, 100).await;
    assert_eq!(a.number.as_deref(), Some("INV-0001"));
    assert!(invoices::cancel_unpaid(&svc.db, b.id, svc.now())
        .await
        .unwrap());
    let c = issue_one(&svc, ben, 100).await;
    assert_eq!(
        (b.number.as_deref(), c.number.as_deref()),
        (Some("INV-0002"), Some("INV-0003"))
    );
}

#[tokio::test]
async fn partial_payments_leave_a_balance_and_overpayments_become_credit_once() {
    let (svc, _, ben) = world().await;
    let staff = ben; // the staff id is only recorded
    let inv = bens_unpaid(&svc, ben).await;
    assert_eq!(inv.total_cents, 500);
    let out = record_manual_payment(&svc, staff, inv.id, 200, "transfer 1", KEY_A)
        .await
        .unwrap();
    assert_eq!(
        out,
        PaymentOutcome::Recorded {
            paid: false,
            credited_cents: 0
        }
    );
    let now = reload(&svc, inv.id).await;
    assert_eq!((now.status.as_str(), now.paid_cents), ("unpaid", 200));
    let out = record_manual_payment(&svc, staff, inv.id, 400, "transfer 2", KEY_B)
        .await
        .unwrap();
    assert_eq!(
        out,
        PaymentOutcome::Recorded {
            paid: true,
            credited_cents: 100
        }
    );
    // The same form sent again records nothing.
    let again = record_manual_payment(&svc, staff, inv.id, 400, "transfer 2", KEY_B)
        .await
        .unwrap();
    assert_eq!(again, PaymentOutcome::Duplicate);
    let now = reload(&svc, inv.id).await;
    assert_eq!((now.status.as_str(), now.paid_cents), ("paid", 500));
    assert_eq!(credit::balance(&svc.db, ben, "EUR").await.unwrap(), 100);
    let h = credit::history(&svc.db, ben, 1).await.unwrap();
    assert_eq!(h.items.len(), 1);
    assert_eq!(
        (
            h.items[0].kind,
            h.items[0].amount_cents,
            h.items[0].balance_after_cents
        ),
        (credit::CreditKind::Overpayment, 100, 100)
    );
    assert_eq!(h.items[0].invoice_number, now.number);
    let d = invoices::get(&svc.db, ben, inv.id).await.unwrap();
    assert_eq!(
        d.movements
            .iter()
            .map(|m| m.amount_cents)
            .collect::<Vec<_>>(),
        vec![200, 400]
    );
    // A paid invoice takes no more payments; bad amounts are refused.
    assert!(matches!(
        record_manual_payment(&svc, staff, inv.id, 100, "", KEY_C).await,
        Err(DomainError::Refused(Refused::InvoiceNotUnpaid))
    ));
    let other = issue_one(&svc, ben, 100).await;
    for bad in [0, -5] {
        assert!(matches!(
            record_manual_payment(&svc, staff, other.id, bad, "", KEY_C).await,
            Err(DomainError::Invalid(Invalid::Amount))
        ));
    }
}

#[tokio::test]
async fn credit_pays_new_invoices_when_auto_apply_is_on() {
    let (mut svc, _, ben) = world().await;
    let inv = bens_unpaid(&svc, ben).await;
    record_manual_payment(&svc, ben, inv.id, 800, "", KEY_A)
        .await
        .unwrap();
    assert_eq!(credit::balance(&svc.db, ben, "EUR").await.unwrap(), 300);
    // Fully covered: paid at once. Partly covered: the rest stays due.
    let small = issue_one(&svc, ben, 100).await;
    let txn = svc.db.begin().await.unwrap();
    assert_eq!(
        auto_apply_credit(&txn, &svc, &small, svc.now())
            .await
            .unwrap(),
        100
    );
    txn.commit().await.unwrap();
    assert_eq!(reload(&svc, small.id).await.status, "paid");
    let big = issue_one(&svc, ben, 1000).await;
    let txn = svc.db.begin().await.unwrap();
    assert_eq!(
        auto_apply_credit(&txn, &svc, &big, svc.now())
            .await
            .unwrap(),
        200
    );
    txn.commit().await.unwrap();
    let big = reload(&svc, big.id).await;
    assert_eq!(
        (
            big.status.as_str(),
            big.paid_cents,
            big.credit_applied_cents
        ),
        ("unpaid", 200, 200)
    );
    assert_eq!(credit::balance(&svc.db, ben, "EUR").await.unwrap(), 0);
    // Switched off: credit waits for the client.
    svc.billing.credit_auto_apply = false;
    let inv2 = issue_one(&svc, ben, 50).await;
    record_manual_payment(&svc, ben, inv2.id, 150, "", KEY_B)
        .await
        .unwrap();
    let later = issue_one(&svc, ben, 100).await;
    let txn = svc.db.begin().await.unwrap();
    assert_eq!(
        auto_apply_credit(&txn, &svc, &later, svc.now())
            .await
            .unwrap(),
        0
    );
    txn.commit().await.unwrap();
    assert_eq!(credit::balance(&svc.db, ben, "EUR").await.unwrap(), 100);
}

#[tokio::test]
async fn a_renewal_covered_by_credit_is_paid_and_moves_the_due_date() {
    let (svc, _, ben) = world().await;
    let inv = bens_unpaid(&svc, ben).await;
    record_manual_payment(&svc, ben, inv.id, 1500, "", KEY_A)
        .await
        .unwrap();
    let s = service::Entity::find()
        .filter(service::Column::Domain.eq("bencarter.example"))
        .one(&svc.db)
        .await
        .unwrap()
        .unwrap();
    let due = s.next_due_on;
    let as_of = due - chrono::Duration::days(14);
    crate::billing::automation::run(&svc, as_of).await.unwrap();
    let renewal = invoice::Entity::find()
        .filter(invoice::Column::ClientId.eq(ben))
        .filter(invoice::Column::DueOn.eq(due.max(as_of)))
        .one(&svc.db)
        .await
        .unwrap()
        .expect("renewal invoice");
    assert_eq!(
        (renewal.status.as_str(), renewal.credit_applied_cents),
        ("paid", 500)
    );
    let s = service::Entity::find_by_id(s.id)
        .one(&svc.db)
        .await
        .unwrap()
        .unwrap();
    assert!(s.next_due_on > due);
    // Ben's other service renewed in the same run: the credit paid both, and nothing more.
    let by_credit: i64 = invoice::Entity::find()
        .filter(invoice::Column::ClientId.eq(ben))
        .all(&svc.db)
        .await
        .unwrap()
        .iter()
        .map(|i| i.credit_applied_cents)
        .sum();
    assert_eq!(by_credit, 1000);
    assert_eq!(credit::balance(&svc.db, ben, "EUR").await.unwrap(), 0);
    let h = credit::history(&svc.db, ben, 1).await.unwrap();
    assert_eq!(h.items.iter().map(|e| e.amount_cents).sum::<i64>(), 0);
}

#[tokio::test]
async fn the_client_applies_credit_to_their_own_invoice_only() {
    let (svc, ana, ben) = world().await;
    let inv = bens_unpaid(&svc, ben).await;
    assert!(matches!(
        apply_credit(&svc, ben, inv.id).await,
        Err(DomainError::Refused(Refused::NoCredit))
    ));
    let extra = issue_one(&svc, ben, 100).await;
    record_manual_payment(&svc, ben, extra.id, 400, "", KEY_A)
        .await
        .unwrap();
    assert!(matches!(
        apply_credit(&svc, ana, inv.id).await,
        Err(DomainError::NotFound)
    ));
    assert_eq!(apply_credit(&svc, ben, inv.id).await.unwrap(), 300);
    let now = reload(&svc, inv.id).await;
    assert_eq!((now.status.as_str(), now.paid_cents), ("unpaid", 300));
    assert_eq!(credit::balance(&svc.db, ben, "EUR").await.unwrap(), 0);
}

#[tokio::test]
async fn refunds_go_to_credit_and_never_exceed_what_was_paid() {
    let (svc, _, ben) = world().await;
    let inv = bens_unpaid(&svc, ben).await;
    assert!(matches!(
        refund_to_credit(&svc, ben, inv.id, 100, "", KEY_A).await,
        Err(DomainError::Refused(Refused::NothingToRefund))
    ));
    assert!(record_payment(&svc, inv.id).await.unwrap());
    assert!(refund_to_credit(&svc, ben, inv.id, 200, "goodwill", KEY_A)
        .await
        .unwrap());
    assert!(!refund_to_credit(&svc, ben, inv.id, 200, "goodwill", KEY_A)
        .await
        .unwrap());
    let now = reload(&svc, inv.id).await;
    assert_eq!((now.status.as_str(), now.refunded_cents), ("paid", 200));
    assert!(matches!(
        refund_to_credit(&svc, ben, inv.id, 301, "", KEY_B).await,
        Err(DomainError::Invalid(Invalid::Amount))
    ));
    assert!(refund_to_credit(&svc, ben, inv.id, 300, "", KEY_B)
        .await
        .unwrap());
    assert_eq!(reload(&svc, inv.id).await.status, "refunded");
    assert_eq!(credit::balance(&svc.db, ben, "EUR").await.unwrap(), 500);
    let d = invoices::get(&svc.db, ben, inv.id).await.unwrap();
    assert_eq!(d.movements.iter().filter(|m| m.refund).count(), 2);
}

#[tokio::test]
async fn cancelling_a_partly_paid_invoice_keeps_the_money_as_credit() {
    let (svc, _, ben) = world().await;
    let inv = issue_one(&svc, ben, 1000).await;
    record_manual_payment(&svc, ben, inv.id, 250, "", KEY_A)
        .await
        .unwrap();
    assert!(invoices::cancel_unpaid(&svc.db, inv.id, svc.now())
        .await
        .unwrap());
    assert_eq!(credit::balance(&svc.db, ben, "EUR").await.unwrap(), 250);
    assert!(!invoices::cancel_unpaid(&svc.db, inv.id, svc.now())
        .await
        .unwrap());
    assert_eq!(credit::balance(&svc.db, ben, "EUR").await.unwrap(), 250);
}

#[tokio::test]
async fn a_late_fee_is_added_once_with_the_invoice_tax() {
    let (mut svc, _, ben) = world().await;
    svc.billing.late_fee = Some(LateFee::Fixed(500));
    svc.billing.late_fee_days = 7;
    let inv = bens_unpaid(&svc, ben).await;
    // Before the day, nothing; on it, one fee; again, still one.
    crate::billing::automation::run(&svc, inv.due_on + chrono::Duration::days(6))
        .await
        .unwrap();
    assert_eq!(reload(&svc, inv.id).await.total_cents, 500);
    for _ in 0..2 {
        crate::billing::automation::run(&svc, inv.due_on + chrono::Duration::days(7))
            .await
            .unwrap();
    }
    let now = reload(&svc, inv.id).await;
    assert_eq!((now.subtotal_cents, now.total_cents), (1000, 1000));
    let lines = invoice_item::Entity::find()
        .filter(invoice_item::Column::InvoiceId.eq(inv.id))
        .all(&svc.db)
        .await
        .unwrap();
    assert_eq!(lines.len(), 2);
    assert!(lines[1].description.starts_with("Late fee"));
    use crate::billing::automation::late_fee_amount;
    assert_eq!(late_fee_amount(&LateFee::Percent(1000), 1234), 123);
    assert_eq!(late_fee_amount(&LateFee::Percent(1000), 1235), 124);
}

#[test]
fn typed_amounts_parse_to_cents() {
    assert_eq!(parse_amount("25"), Some(2500));
    assert_eq!(parse_amount(" 25.5 "), Some(2550));
    assert_eq!(parse_amount("25,05"), Some(2505));
    for bad in [
        "",
        "0",
        "0,00",
        "-5",
        "1.234,56",
        "2.555",
        "abc",
        "1e3",
        ".5",
        "12345678901",
    ] {
        assert_eq!(parse_amount(bad), None, "{bad}");
    }
}
