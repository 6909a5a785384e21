//! An invoice as a PDF in the client's language: what `/invoices/{id}/pdf` downloads.
use super::{render, PdfInvoice};
use crate::{
    accounts::Language,
    billing::{
        invoices::{InvoiceDetail, InvoiceStatus},
        payments::PaymentMethod,
        tax::{format_rate, TaxMode},
    },
    mail::billing_templates::{format_date, format_money},
    Issuer,
};

struct Labels {
    invoice: &'static str,
    issued: &'static str,
    due: &'static str,
    status: &'static str,
    bill_to: &'static str,
    vat_id: &'static str,
    description: &'static str,
    amount: &'static str,
    subtotal: &'static str,
    tax: &'static str,
    total: &'static str,
    paid: &'static str,
    credit: &'static str,
    refunded: &'static str,
    balance: &'static str,
    reverse_charge: &'static str,
    tax_included: &'static str,
    how_to_pay: &'static str,
    payments: &'static str,
    statuses: [&'static str; 5],
}

const EN: Labels = Labels {
    invoice: "Invoice",
    issued: "Issue date",
    due: "Due date",
    status: "Status",
    bill_to: "Billed to",
    vat_id: "VAT number",
    description: "Description",
    amount: "Amount",
    subtotal: "Subtotal",
    tax: "Tax",
    total: "Total",
    paid: "Paid",
    credit: "of which from credit",
    refunded: "Refunded",
    balance: "Balance due",
    reverse_charge: "Reverse charge: VAT to be accounted for by the recipient (Article 196, Directive 2006/112/EC).",
    tax_included: "Prices include tax.",
    how_to_pay: "How to pay",
    payments: "Payments",
    statuses: ["Draft", "Unpaid", "Paid", "Cancelled", "Refunded"],
};

const ES: Labels = Labels {
    invoice: "Factura",
    issued: "Fecha de emisión",
    due: "Vencimiento",
    status: "Estado",
    bill_to: "Facturado a",
    vat_id: "NIF-IVA",
    description: "Concepto",
    amount: "Importe",
    subtotal: "Base imponible",
    tax: "Impuestos",
    total: "Total",
    paid: "Pagado",
    credit: "de ello, con saldo a favor",
    refunded: "Reembolsado",
    balance: "Pendiente de pago",
    reverse_charge: "Inversión del sujeto pasivo (artículo 196 de la Directiva 2006/112/CE).",
    tax_included: "Precios con impuestos incluidos.",
    how_to_pay: "Cómo pagar",
    payments: "Pagos",
    statuses: ["Borrador", "Pendiente", "Pagada", "Anulada", "Reembolsada"],
};

fn status_label(l: &Labels, s: InvoiceStatus) -> &'static str {
    let i = InvoiceStatus::ALL.iter().position(|x| *x == s).unwrap_or(0);
    l.statuses[i]
}

fn method_label(lang: Language, m: PaymentMethod, refund: bool) -> &'static str {
    match (lang, m, refund) {
        (Language::En, _, true) => "Refund to credit",
        (Language::Es, _, true) => "Reembolso al saldo",
        (Language::En, PaymentMethod::Manual, _) => "Bank transfer",
        (Language::Es, PaymentMethod::Manual, _) => "Transferencia",
        (Language::En, PaymentMethod::Credit, _) => "Credit",
        (Language::Es, PaymentMethod::Credit, _) => "Saldo a favor",
        (Language::En, PaymentMethod::Card, _) => "Card",
        (Language::Es, PaymentMethod::Card, _) => "Tarjeta",
    }
}

/// The PDF of an invoice, every text in `lang`.
pub fn invoice_pdf(d: &InvoiceDetail, lang: Language, issuer: &Issuer) -> Vec<u8> {
    let l = match lang {
        Language::En => &EN,
        Language::Es => &ES,
    };
    let s = &d.summary;
    let money = |c: i64| format_money(c, &s.currency, lang);
    let mut seller = vec![issuer.name.clone()];
    seller.extend(issuer.address.iter().cloned());
    if !issuer.tax_id.is_empty() {
        seller.push(issuer.tax_id.clone());
    }
    let b = &d.bill_to;
    let mut bill_to = vec![b.name.clone()];
    if !b.company.is_empty() {
        bill_to.push(b.company.clone());
    }
    bill_to.extend(b.address.lines().map(str::to_owned));
    let place = [b.postcode.as_str(), b.region.as_str(), b.country.as_str()]
        .into_iter()
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    if !place.is_empty() {
        bill_to.push(place);
    }
    if !b.vat_id.is_empty() {
        bill_to.push(format!("{}: {}", l.vat_id, b.vat_id));
    }
    bill_to.push(b.email.clone());
    let tax_label = match d.tax_mode {
        TaxMode::Standard => format!(
            "{} ({})",
            d.tax_name,
            format_rate(d.tax_rate_bp, lang == Language::Es)
        ),
        _ => l.tax.to_owned(),
    };
    let mut totals = vec![
        (l.subtotal.to_owned(), money(d.subtotal_cents), false),
        (tax_label, money(d.tax_cents), false),
        (l.total.to_owned(), money(s.total_cents), true),
    ];
    if d.paid_cents > 0 {
        totals.push((l.paid.to_owned(), money(d.paid_cents), false));
    }
    if d.credit_applied_cents > 0 {
        totals.push((l.credit.to_owned(), money(d.credit_applied_cents), false));
    }
    if d.refunded_cents > 0 {
        totals.push((l.refunded.to_owned(), money(d.refunded_cents), false));
    }
    totals.push((l.balance.to_owned(), money(s.balance_cents), true));
    let mut notes = Vec::new();
    if d.tax_mode == TaxMode::ReverseCharge {
        notes.push(l.reverse_charge.to_owned());
    }
    if d.prices_include_tax && d.tax_mode == TaxMode::Standard {
        notes.push(l.tax_included.to_owned());
    }
    if !d.movements.is_empty() {
        let rows: Vec<String> = d
            .movements
            .iter()
            .map(|m| {
                format!(
                    "{} · {} · {}{}",
                    format_date(m.at.date_naive(), lang),
                    method_label(lang, m.method, m.refund),
                    money(m.amount_cents),
                    if m.reference.is_empty() {
                        String::new()
                    } else {
                        format!(" · {}", m.reference)
                    }
                )
            })
            .collect();
        notes.push(format!("{}:\n{}", l.payments, rows.join("\n")));
    }
    if s.status == InvoiceStatus::Unpaid && !issuer.bank_transfer.is_empty() {
        notes.push(format!("{}:\n{}", l.how_to_pay, issuer.bank_transfer));
    }
    render(&PdfInvoice {
        title: format!("{} {}", l.invoice, s.number),
        seller,
        meta: vec![
            (l.issued.to_owned(), format_date(s.issued_on, lang)),
            (l.due.to_owned(), format_date(s.due_on, lang)),
            (l.status.to_owned(), status_label(l, s.status).to_owned()),
        ],
        bill_to_label: l.bill_to.to_owned(),
        bill_to,
        columns: (l.description.to_owned(), l.amount.to_owned()),
        items: d
            .items
            .iter()
            .map(|i| (i.description.clone(), money(i.amount_cents)))
            .collect(),
        totals,
        notes,
        footer: format!("{} · {} {}", issuer.name, l.invoice, s.number),
    })
}
