//! Billing emails in English and Spanish: new invoice, reminders, payment, suspension.
//! Plain text like `templates.rs`; every email names the invoice, its amount, a date and the link
//! where the client can see and pay it.
use super::Rendered;
use crate::accounts::Language;
use chrono::{Datelike, NaiveDate};

/// What every billing email says about its invoice.
pub struct InvoiceFacts<'a> {
    pub number: &'a str,
    pub total_cents: i64,
    pub currency: &'a str,
    pub due_on: NaiveDate,
    pub link: &'a str,
}

/// `cents` as people read it: "€1,234.50" / "1.234,50 €"; currencies without a symbol here are
/// written after the amount ("12.00 GBP").
pub fn format_money(cents: i64, currency: &str, lang: Language) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    let (units, frac) = (abs / 100, abs % 100);
    let symbol = match currency {
        "EUR" => Some("€"),
        "USD" => Some("$"),
        _ => None,
    };
    match lang {
        Language::En => {
            let n = format!("{}.{frac:02}", group_thousands(units, ','));
            match symbol {
                Some(s) => format!("{sign}{s}{n}"),
                None => format!("{sign}{n} {currency}"),
            }
        }
        Language::Es => {
            let n = format!("{},{frac:02}", group_thousands(units, '.'));
            format!("{sign}{n} {}", symbol.unwrap_or(currency))
        }
    }
}

fn group_thousands(units: u64, sep: char) -> String {
    let digits = units.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(sep);
        }
        out.push(ch);
    }
    out
}

const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const MONTHS_ES: [&str; 12] = [
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
];

/// "1 March 2026" / "1 de marzo de 2026".
pub fn format_date(d: NaiveDate, lang: Language) -> String {
    let m = d.month0() as usize;
    match lang {
        Language::En => format!("{} {} {}", d.day(), MONTHS_EN[m], d.year()),
        Language::Es => format!("{} de {} de {}", d.day(), MONTHS_ES[m], d.year()),
    }
}

/// "3 days" / "1 day" (and the Spanish equivalents).
fn days(n: i64, lang: Language) -> String {
    match (lang, n.abs() == 1) {
        (Language::En, true) => format!("{n} day"),
        (Language::En, false) => format!("{n} days"),
        (Language::Es, true) => format!("{n} día"),
        (Language::Es, false) => format!("{n} días"),
    }
}

pub fn invoice_created(lang: Language, name: &str, f: &InvoiceFacts) -> Rendered {
    let (number, link) = (f.number, f.link);
    let amount = format_money(f.total_cents, f.currency, lang);
    let due = format_date(f.due_on, lang);
    match lang {
        Language::En => Rendered {
            subject: format!("New invoice {number}: {amount} due on {due}"),
            body: format!(
                "Hello {name},\n\nYour new invoice {number} for {amount} is ready. \
                 It is due on {due}.\n\nSee and pay it here:\n\n{link}\n\n\
                 Thank you for hosting with us.\n"
            ),
        },
        Language::Es => Rendered {
            subject: format!("Nueva factura {number}: {amount}, vence el {due}"),
            body: format!(
                "Hola {name}:\n\nYa tienes disponible tu nueva factura {number} por {amount}. \
                 Vence el {due}.\n\nPuedes verla y pagarla aquí:\n\n{link}\n\n\
                 Gracias por confiar en nosotros.\n"
            ),
        },
    }
}

/// Sent before the due date; `days_left` is 0 on the due date itself.
pub fn invoice_reminder(lang: Language, name: &str, f: &InvoiceFacts, days_left: i64) -> Rendered {
    let (number, link) = (f.number, f.link);
    let amount = format_money(f.total_cents, f.currency, lang);
    let due = format_date(f.due_on, lang);
    match lang {
        Language::En => {
            let when = if days_left <= 0 {
                "today".to_owned()
            } else {
                format!("in {}", days(days_left, lang))
            };
            Rendered {
                subject: format!("Reminder: invoice {number} is due {when}"),
                body: format!(
                    "Hello {name},\n\nA friendly reminder: invoice {number} for {amount} is due \
                     {when}, on {due}.\n\nPay it here:\n\n{link}\n\n\
                     If you have already paid, thank you, and please ignore this email.\n"
                ),
            }
        }
        Language::Es => {
            let when = if days_left <= 0 {
                "hoy".to_owned()
            } else {
                format!("dentro de {}", days(days_left, lang))
            };
            Rendered {
                subject: format!("Recordatorio: la factura {number} vence {when}"),
                body: format!(
                    "Hola {name}:\n\nTe recordamos que la factura {number} por {amount} vence \
                     {when}, el {due}.\n\nPuedes pagarla aquí:\n\n{link}\n\n\
                     Si ya la has pagado, muchas gracias; puedes ignorar este correo.\n"
                ),
            }
        }
    }
}

pub fn invoice_overdue(
    lang: Language,
    name: &str,
    f: &InvoiceFacts,
    days_overdue: i64,
) -> Rendered {
    let (number, link) = (f.number, f.link);
    let amount = format_money(f.total_cents, f.currency, lang);
    let due = format_date(f.due_on, lang);
    let late = days(days_overdue, lang);
    match lang {
        Language::En => Rendered {
            subject: format!("Overdue: invoice {number} ({amount})"),
            body: format!(
                "Hello {name},\n\nInvoice {number} for {amount} was due on {due} and is now \
                 {late} overdue. Please pay it as soon as you can to keep your services running:\n\n\
                 {link}\n\nIf you have already paid, thank you, and please ignore this email.\n"
            ),
        },
        Language::Es => Rendered {
            subject: format!("Factura vencida: {number} ({amount})"),
            body: format!(
                "Hola {name}:\n\nLa factura {number} por {amount} vencía el {due} y lleva \
                 {late} de retraso. Págala en cuanto puedas para que tus servicios sigan \
                 funcionando:\n\n{link}\n\nSi ya la has pagado, muchas gracias; puedes ignorar \
                 este correo.\n"
            ),
        },
    }
}

pub fn payment_received(lang: Language, name: &str, f: &InvoiceFacts) -> Rendered {
    let (number, link) = (f.number, f.link);
    let amount = format_money(f.total_cents, f.currency, lang);
    let due = format_date(f.due_on, lang);
    match lang {
        Language::En => Rendered {
            subject: format!("Payment received for invoice {number}"),
            body: format!(
                "Hello {name},\n\nThank you: we have received your payment of {amount} for \
                 invoice {number} (due on {due}). The invoice is now paid.\n\n\
                 Your receipt is here:\n\n{link}\n"
            ),
        },
        Language::Es => Rendered {
            subject: format!("Hemos recibido el pago de la factura {number}"),
            body: format!(
                "Hola {name}:\n\nGracias: hemos recibido tu pago de {amount} de la factura \
                 {number} (con vencimiento el {due}). La factura ya está pagada.\n\n\
                 Puedes ver el justificante aquí:\n\n{link}\n"
            ),
        },
    }
}

/// The service `domain` was suspended because invoice `f` is overdue.
pub fn service_suspended(lang: Language, name: &str, domain: &str, f: &InvoiceFacts) -> Rendered {
    let (number, link) = (f.number, f.link);
    let amount = format_money(f.total_cents, f.currency, lang);
    let due = format_date(f.due_on, lang);
    match lang {
        Language::En => Rendered {
            subject: format!("Service suspended: {domain}"),
            body: format!(
                "Hello {name},\n\nWe have suspended your service {domain} because invoice \
                 {number} for {amount}, due on {due}, is still unpaid.\n\n\
                 To get the service back, pay the invoice here:\n\n{link}\n\n\
                 The service is reactivated automatically once the payment arrives. \
                 If you think this is a mistake, contact support.\n"
            ),
        },
        Language::Es => Rendered {
            subject: format!("Servicio suspendido: {domain}"),
            body: format!(
                "Hola {name}:\n\nHemos suspendido tu servicio {domain} porque la factura \
                 {number} por {amount}, que vencía el {due}, sigue sin pagar.\n\n\
                 Para recuperar el servicio, paga la factura aquí:\n\n{link}\n\n\
                 El servicio se reactiva automáticamente en cuanto recibamos el pago. \
                 Si crees que se trata de un error, contacta con soporte.\n"
            ),
        },
    }
}

pub fn service_unsuspended(lang: Language, name: &str, domain: &str) -> Rendered {
    match lang {
        Language::En => Rendered {
            subject: format!("Service reactivated: {domain}"),
            body: format!(
                "Hello {name},\n\nGood news: your service {domain} is active again. \
                 Thank you for your payment.\n"
            ),
        },
        Language::Es => Rendered {
            subject: format!("Servicio reactivado: {domain}"),
            body: format!(
                "Hola {name}:\n\nBuenas noticias: tu servicio {domain} vuelve a estar activo. \
                 Gracias por tu pago.\n"
            ),
        },
    }
}

#[cfg(test)]
mod tests {
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
}
