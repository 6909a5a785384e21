//! Card emails in English and Spanish: a declined automatic charge, a charge that needs the
//! client to authenticate, and a saved card about to expire.
use super::{
    billing_templates::{format_date, format_money, InvoiceFacts},
    Rendered,
};
use crate::accounts::Language;
use chrono::NaiveDate;

/// `next_try`: when the card is tried again; `None` after the last automatic attempt.
pub fn card_declined(
    lang: Language,
    name: &str,
    f: &InvoiceFacts,
    card: &str,
    next_try: Option<NaiveDate>,
) -> Rendered {
    let (number, link) = (f.number, f.link);
    let amount = format_money(f.total_cents, f.currency, lang);
    match lang {
        Language::En => {
            let then = match next_try {
                Some(d) => format!(
                    "We will try the card again on {}. To pay now, or with another card, go to:",
                    format_date(d, lang)
                ),
                None => "We will not try this card again automatically. Please pay by hand or \
                         add another card here:"
                    .to_owned(),
            };
            Rendered {
                subject: format!("Payment declined for invoice {number}"),
                body: format!(
                    "Hello {name},\n\nWe tried to charge {amount} for invoice {number} to your \
                     {card}, and the bank declined it. The invoice is still unpaid.\n\n{then}\n\n\
                     {link}\n"
                ),
            }
        }
        Language::Es => {
            let then = match next_try {
                Some(d) => format!(
                    "Volveremos a intentarlo con la tarjeta el {}. Para pagar ahora, o con otra \
                     tarjeta, entra aquí:",
                    format_date(d, lang)
                ),
                None => "No volveremos a intentarlo automáticamente con esta tarjeta. Paga la \
                         factura a mano o añade otra tarjeta aquí:"
                    .to_owned(),
            };
            Rendered {
                subject: format!("Pago rechazado de la factura {number}"),
                body: format!(
                    "Hola {name}:\n\nHemos intentado cobrar {amount} de la factura {number} en tu \
                     {card} y el banco lo ha rechazado. La factura sigue pendiente.\n\n{then}\n\n\
                     {link}\n"
                ),
            }
        }
    }
}

/// The bank wants the client to confirm the charge (3-D Secure).
pub fn card_authentication_required(lang: Language, name: &str, f: &InvoiceFacts) -> Rendered {
    let (number, link) = (f.number, f.link);
    let amount = format_money(f.total_cents, f.currency, lang);
    match lang {
        Language::En => Rendered {
            subject: format!("Please confirm the payment of invoice {number}"),
            body: format!(
                "Hello {name},\n\nYour bank asks you to confirm the payment of {amount} for \
                 invoice {number} before it goes through. Open the invoice and choose \
                 \"Confirm payment\":\n\n{link}\n\nUntil then the invoice stays unpaid.\n"
            ),
        },
        Language::Es => Rendered {
            subject: format!("Confirma el pago de la factura {number}"),
            body: format!(
                "Hola {name}:\n\nTu banco te pide que confirmes el pago de {amount} de la factura \
                 {number} antes de realizarlo. Abre la factura y pulsa «Confirmar pago»:\n\n\
                 {link}\n\nHasta entonces la factura seguirá pendiente.\n"
            ),
        },
    }
}

/// `card` reads like "Visa ending in 4242"; the card expires at the end of `month`/`year`.
pub fn card_expiring(
    lang: Language,
    name: &str,
    card: &str,
    month: i32,
    year: i32,
    link: &str,
) -> Rendered {
    match lang {
        Language::En => Rendered {
            subject: format!("Your {card} expires at the end of {month:02}/{year}"),
            body: format!(
                "Hello {name},\n\nYour saved {card} expires at the end of {month:02}/{year}. \
                 After that we cannot charge it, and invoices will wait for you to pay them by \
                 hand. Add a new card here:\n\n{link}\n"
            ),
        },
        Language::Es => Rendered {
            subject: format!("Tu {card} caduca a finales de {month:02}/{year}"),
            body: format!(
                "Hola {name}:\n\nTu {card} guardada caduca a finales de {month:02}/{year}. A \
                 partir de entonces no podremos cobrar en ella y las facturas esperarán a que las \
                 pagues a mano. Añade una tarjeta nueva aquí:\n\n{link}\n"
            ),
        },
    }
}

/// "Visa ending in 4242" / "Visa terminada en 4242".
pub fn card_label(lang: Language, brand: &str, last4: &str) -> String {
    let brand = brand_name(brand);
    match lang {
        Language::En => format!("{brand} ending in {last4}"),
        Language::Es => format!("{brand} terminada en {last4}"),
    }
}

/// Stripe's brand code as people write it.
pub fn brand_name(brand: &str) -> &str {
    match brand {
        "visa" => "Visa",
        "mastercard" => "Mastercard",
        "amex" => "American Express",
        "discover" => "Discover",
        "diners" => "Diners Club",
        "jcb" => "JCB",
        "unionpay" => "UnionPay",
        "cartes_bancaires" => "Cartes Bancaires",
        other => other,
    }
}
