use super::*;

const LANGS: [Language; 2] = [Language::En, Language::Es];

fn facts() -> InvoiceFacts<'static> {
    InvoiceFacts {
        number: "INV-2026-0042",
        total_cents: 123_450,
        currency: "EUR",
        due_on: NaiveDate::from_ymd_opt(2026, 3, 15).unwrap(),
        link: "https://portal.example.com/invoices/42",
    }
}

/// Every invoice email, rendered in `lang`.
fn invoice_emails(lang: Language) -> Vec<(&'static str, Rendered)> {
    let f = facts();
    vec![
        ("created", invoice_created(lang, "Ana", &f)),
        ("reminder", invoice_reminder(lang, "Ana", &f, 3)),
        ("overdue", invoice_overdue(lang, "Ana", &f, 5)),
        ("paid", payment_received(lang, "Ana", &f)),
        (
            "suspended",
            service_suspended(lang, "Ana", "ana-shop.example", &f),
        ),
    ]
}

#[test]
fn every_invoice_email_names_number_amount_date_link_and_client() {
    for lang in LANGS {
        let amount = format_money(123_450, "EUR", lang);
        let due = format_date(facts().due_on, lang);
        for (kind, r) in invoice_emails(lang) {
            for needle in [
                "INV-2026-0042",
                "https://portal.example.com/invoices/42",
                "Ana",
            ] {
                assert!(r.body.contains(needle), "{kind} {lang:?}: {needle}");
            }
            assert!(r.body.contains(&amount), "{kind} {lang:?}: {amount}");
            assert!(r.body.contains(&due), "{kind} {lang:?}: {due}");
            assert!(!r.subject.is_empty() && !r.subject.contains('\n'));
        }
    }
    assert!(invoice_created(Language::En, "Ana", &facts())
        .body
        .contains("€1,234.50"));
    assert!(invoice_created(Language::Es, "Ana", &facts())
        .body
        .contains("1.234,50 €"));
}

#[test]
fn service_emails_name_the_domain_and_the_client() {
    for lang in LANGS {
        let s = service_suspended(lang, "Ana", "ana-shop.example", &facts());
        assert!(s.subject.contains("ana-shop.example"));
        assert!(s.body.contains("ana-shop.example"));
        let u = service_unsuspended(lang, "Ana", "ana-shop.example");
        assert!(u.subject.contains("ana-shop.example"));
        assert!(u.body.contains("ana-shop.example") && u.body.contains("Ana"));
    }
    // How to get the service back: pay the invoice at the link.
    assert!(service_suspended(Language::En, "A", "d", &facts())
        .body
        .contains("pay the invoice here"));
    assert!(service_suspended(Language::Es, "A", "d", &facts())
        .body
        .contains("paga la factura aquí"));
}

#[test]
fn subjects_differ_between_kinds() {
    for lang in LANGS {
        let mut subjects: Vec<String> = invoice_emails(lang)
            .into_iter()
            .map(|(_, r)| r.subject)
            .collect();
        subjects.push(service_unsuspended(lang, "Ana", "ana-shop.example").subject);
        let mut unique = subjects.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), subjects.len(), "{lang:?}: {subjects:?}");
    }
}

#[test]
fn reminder_and_overdue_count_days() {
    let f = facts();
    assert!(invoice_reminder(Language::En, "A", &f, 3)
        .body
        .contains("in 3 days"));
    assert!(invoice_reminder(Language::En, "A", &f, 1)
        .body
        .contains("in 1 day,"));
    assert!(invoice_reminder(Language::En, "A", &f, 0)
        .subject
        .ends_with("due today"));
    assert!(invoice_reminder(Language::Es, "A", &f, 7)
        .body
        .contains("dentro de 7 días"));
    assert!(invoice_overdue(Language::En, "A", &f, 5)
        .body
        .contains("5 days overdue"));
    assert!(invoice_overdue(Language::Es, "A", &f, 1)
        .body
        .contains("1 día de retraso"));
}

#[test]
fn money_in_both_languages() {
    use Language::{En, Es};
    assert_eq!(format_money(1200, "EUR", En), "€12.00");
    assert_eq!(format_money(1200, "EUR", Es), "12,00 €");
    assert_eq!(format_money(500, "USD", En), "$5.00");
    assert_eq!(format_money(500, "USD", Es), "5,00 $");
    assert_eq!(format_money(1200, "GBP", En), "12.00 GBP");
    assert_eq!(format_money(1200, "GBP", Es), "12,00 GBP");
    assert_eq!(format_money(123_450, "EUR", En), "€1,234.50");
    assert_eq!(format_money(123_450, "EUR", Es), "1.234,50 €");
    assert_eq!(format_money(1_234_567, "EUR", En), "€12,345.67");
    assert_eq!(format_money(1_234_567, "EUR", Es), "12.345,67 €");
    assert_eq!(format_money(123_456_789, "USD", En), "$1,234,567.89");
    assert_eq!(format_money(0, "EUR", En), "€0.00");
    assert_eq!(format_money(0, "EUR", Es), "0,00 €");
    assert_eq!(format_money(-1250, "EUR", En), "-€12.50");
    assert_eq!(format_money(-1250, "EUR", Es), "-12,50 €");
    assert_eq!(format_money(-5, "CHF", En), "-0.05 CHF");
    assert_eq!(
        format_money(i64::MIN, "EUR", En),
        "-€92,233,720,368,547,758.08"
    );
}

#[test]
fn dates_in_both_languages() {
    let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    assert_eq!(format_date(d(2026, 3, 1), Language::En), "1 March 2026");
    assert_eq!(
        format_date(d(2026, 3, 1), Language::Es),
        "1 de marzo de 2026"
    );
    assert_eq!(
        format_date(d(2026, 12, 31), Language::En),
        "31 December 2026"
    );
    assert_eq!(
        format_date(d(2027, 9, 5), Language::Es),
        "5 de septiembre de 2027"
    );
}
