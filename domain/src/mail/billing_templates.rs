//! Billing email texts in English and Spanish (plain text).
use super::Rendered;
use crate::accounts::Language;
use chrono::{Datelike, NaiveDate};

pub struct InvoiceFacts<'a> {
    pub number: &'a str,
    pub total_cents: i64,
    pub currency: &'a str,
    pub due_on: NaiveDate,
    pub link: &'a str,
}

pub fn format_money(cents: i64, currency: &str, lang: Language) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    let (units, frac) = (abs / 100, abs % 100);
    let sep = if lang == Language::Es { '.' } else { ',' };
    let digits = units.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(sep);
        }
        grouped.push(c);
    }
    match (lang, currency) {
        (Language::Es, "EUR") => format!("{sign}{grouped},{frac:02} €"),
        (Language::Es, c) => format!("{sign}{grouped},{frac:02} {c}"),
        (Language::En, "EUR") => format!("{sign}€{grouped}.{frac:02}"),
        (Language::En, "USD") => format!("{sign}${grouped}.{frac:02}"),
        (Language::En, c) => format!("{sign}{grouped}.{frac:02} {c}"),
    }
}

pub fn format_date(d: NaiveDate, lang: Language) -> String {
    const EN: [&str; 12] = [
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
    const ES: [&str; 12] = [
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
    let m = d.month0() as usize;
    match lang {
        Language::En => format!("{} {} {}", d.day(), EN[m], d.year()),
        Language::Es => format!("{} de {} de {}", d.day(), ES[m], d.year()),
    }
}

fn facts(lang: Language, f: &InvoiceFacts) -> (String, String) {
    (
        format_money(f.total_cents, f.currency, lang),
        format_date(f.due_on, lang),
    )
}

pub fn invoice_created(lang: Language, name: &str, f: &InvoiceFacts) -> Rendered {
    let (amount, due) = facts(lang, f);
    let n = f.number;
    let link = f.link;
    match lang {
        Language::En => Rendered {
            subject: format!("New invoice {n}"),
            body: format!("Hello {name},\n\nInvoice {n} for {amount} is ready; it is due on {due}.\n\n{link}\n"),
        },
        Language::Es => Rendered {
            subject: format!("Nueva factura {n}"),
            body: format!("Hola {name}:\n\nYa tienes la factura {n} de {amount}; vence el {due}.\n\n{link}\n"),
        },
    }
}

pub fn invoice_reminder(lang: Language, name: &str, f: &InvoiceFacts, days_left: i64) -> Rendered {
    let (amount, due) = facts(lang, f);
    let (n, link) = (f.number, f.link);
    match lang {
        Language::En => Rendered {
            subject: format!("Invoice {n} is due in {days_left} days"),
            body: format!("Hello {name},\n\nA reminder: invoice {n} for {amount} is due on {due}.\n\n{link}\n"),
        },
        Language::Es => Rendered {
            subject: format!("La factura {n} vence en {days_left} días"),
            body: format!("Hola {name}:\n\nTe recordamos que la factura {n} de {amount} vence el {due}.\n\n{link}\n"),
        },
    }
}

pub fn invoice_overdue(
    lang: Language,
    name: &str,
    f: &InvoiceFacts,
    days_overdue: i64,
) -> Rendered {
    let (amount, due) = facts(lang, f);
    let (n, link) = (f.number, f.link);
    match lang {
        Language::En => Rendered {
            subject: format!("Invoice {n} is overdue"),
            body: format!("Hello {name},\n\nInvoice {n} for {amount} was due on {due} ({days_overdue} days ago). Please pay it to keep your services running.\n\n{link}\n"),
        },
        Language::Es => Rendered {
            subject: format!("La factura {n} está vencida"),
            body: format!("Hola {name}:\n\nLa factura {n} de {amount} venció el {due} (hace {days_overdue} días). Págala para que tus servicios sigan funcionando.\n\n{link}\n"),
        },
    }
}

pub fn payment_received(lang: Language, name: &str, f: &InvoiceFacts) -> Rendered {
    let (amount, _) = facts(lang, f);
    let (n, link) = (f.number, f.link);
    match lang {
        Language::En => Rendered {
            subject: format!("Payment received for invoice {n}"),
            body: format!(
                "Hello {name},\n\nThank you: we received {amount} for invoice {n}.\n\n{link}\n"
            ),
        },
        Language::Es => Rendered {
            subject: format!("Pago recibido de la factura {n}"),
            body: format!(
                "Hola {name}:\n\nGracias: hemos recibido {amount} de la factura {n}.\n\n{link}\n"
            ),
        },
    }
}

pub fn service_suspended(lang: Language, name: &str, domain: &str, f: &InvoiceFacts) -> Rendered {
    let (amount, _) = facts(lang, f);
    let (n, link) = (f.number, f.link);
    match lang {
        Language::En => Rendered {
            subject: format!("{domain} is suspended"),
            body: format!("Hello {name},\n\n{domain} is suspended because invoice {n} for {amount} is unpaid. Pay it and the service comes back on its own.\n\n{link}\n"),
        },
        Language::Es => Rendered {
            subject: format!("{domain} está suspendido"),
            body: format!("Hola {name}:\n\n{domain} está suspendido porque la factura {n} de {amount} está sin pagar. Págala y el servicio volverá solo.\n\n{link}\n"),
        },
    }
}

pub fn service_unsuspended(lang: Language, name: &str, domain: &str) -> Rendered {
    match lang {
        Language::En => Rendered {
            subject: format!("{domain} is active again"),
            body: format!(
                "Hello {name},\n\nThank you for your payment: {domain} is active again.\n"
            ),
        },
        Language::Es => Rendered {
            subject: format!("{domain} vuelve a estar activo"),
            body: format!("Hola {name}:\n\nGracias por tu pago: {domain} vuelve a estar activo.\n"),
        },
    }
}
