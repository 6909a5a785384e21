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
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
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
mod tests;
