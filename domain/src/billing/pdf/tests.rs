use super::text::{byte_width, text_width};
use super::*;
use lopdf::content::Content as Ops;
use lopdf::Document;

const ITEM: &str = "Hosting Pro — tienda-ana.example (1 de diciembre de 2026 a 1 de enero de 2027)";

fn owned(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

fn spanish() -> PdfInvoice {
    PdfInvoice {
        title: "Factura 2026-00042".into(),
        seller: owned(&["Portico Hosting S.L.", "Calle Mayor 1, 28013 Madrid", "NIF B12345678"]),
        meta: vec![
            ("Fecha de emisión".into(), "1 de diciembre de 2026".into()),
            ("Estado".into(), "Pendiente".into()),
            ("Vencimiento".into(), "15 de diciembre de 2026".into()),
        ],
        bill_to_label: "Facturar a".into(),
        bill_to: owned(&["Ana Muñoz Güemes", "Tienda Ana", "Avenida de la Constitución 5", "41001 Sevilla"]),
        columns: ("Descripción".into(), "Importe".into()),
        // Locale formatting puts a no-break space before the € sign.
        items: vec![(ITEM.into(), "25,00\u{a0}€".into())],
        totals: vec![
            ("Subtotal".into(), "25,00\u{a0}€".into(), false),
            ("IVA (21\u{202f}%)".into(), "5,25\u{a0}€".into(), false),
            ("Total".into(), "30,25\u{a0}€".into(), true),
        ],
        notes: owned(&[
            "Inversión del sujeto pasivo: el destinatario liquida el impuesto.",
            "Transferencia a IBAN ES00 0000 0000 0000 0000 0000\nConcepto: 2026-00042\n¿Dudas? ¡Escríbanos!",
        ]),
        footer: "Portico Hosting S.L. · NIF B12345678".into(),
    }
}

/// Extracted text of every page, in order.
fn page_texts(pdf: &[u8]) -> Vec<String> {
    let doc = Document::load_mem(pdf).expect("lopdf loads the PDF");
    let pages = doc.get_pages().len() as u32;
    (1..=pages)
        .map(|n| doc.extract_text(&[n]).expect("text extracts"))
        .collect()
}

/// Whitespace collapsed to single spaces: the extractor ends every text run with a newline.
fn norm(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every text run of every page: (x, bold, size, WinAnsi bytes).
fn runs(pdf: &[u8]) -> Vec<(f32, bool, f32, Vec<u8>)> {
    let doc = Document::load_mem(pdf).unwrap();
    let mut out = Vec::new();
    for id in doc.get_pages().into_values() {
        let (mut bold, mut size, mut x) = (false, 0.0, 0.0);
        for op in Ops::decode(&doc.get_page_content(id)).unwrap().operations {
            match op.operator.as_str() {
                "Tf" => {
                    bold = op.operands[0].as_name().unwrap() == b"F2";
                    size = op.operands[1].as_float().unwrap();
                }
                "Td" => x = op.operands[0].as_float().unwrap(),
                "Tj" => out.push((x, bold, size, op.operands[0].as_str().unwrap().to_vec())),
                _ => {}
            }
        }
    }
    out
}

fn run_width(bold: bool, size: f32, bytes: &[u8]) -> f32 {
    bytes
        .iter()
        .map(|&b| f32::from(byte_width(b, bold)))
        .sum::<f32>()
        * size
        / 1000.0
}

#[test]
fn spanish_invoice_renders_and_extracts() {
    let inv = spanish();
    let pdf = render(&inv);
    assert!(pdf.starts_with(b"%PDF-"));
    let pages = page_texts(&pdf);
    assert_eq!(pages.len(), 1);
    let text = norm(&pages[0]);
    let words: Vec<&str> = text.split(' ').collect();
    for word in ITEM.split_whitespace() {
        assert!(words.contains(&word), "missing word {word:?} in {text}");
    }
    for expected in [
        "Factura 2026-00042",
        ITEM,
        "25,00 €",
        "5,25 €",
        "30,25 €",
        "IVA (21 %)",
        "Fecha de emisión 1 de diciembre de 2026",
        "Descripción",
        "Ana Muñoz Güemes",
        "Inversión del sujeto pasivo",
        "¿Dudas? ¡Escríbanos!",
        "Portico Hosting S.L. · NIF B12345678",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in {text}");
    }

    let doc = Document::load_mem(&pdf).unwrap();
    let page = doc.get_pages()[&1];
    let media: Vec<f32> = (doc.get_dictionary(page).unwrap().get(b"MediaBox").unwrap())
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o.as_float().unwrap())
        .collect();
    assert_eq!(media, [0.0, 0.0, 595.0, 842.0]);
    let fonts = doc.get_page_fonts(page).unwrap();
    let mut bases: Vec<&[u8]> = Vec::new();
    for font in fonts.values() {
        assert_eq!(
            font.get(b"Encoding").unwrap().as_name().unwrap(),
            b"WinAnsiEncoding"
        );
        bases.push(font.get(b"BaseFont").unwrap().as_name().unwrap());
    }
    bases.sort();
    assert_eq!(bases, [&b"Helvetica"[..], b"Helvetica-Bold"]);

    // Amounts end exactly at the right margin.
    let amounts: Vec<Vec<u8>> = ["25,00 €", "5,25 €", "30,25 €"].map(encode).into();
    let placed: Vec<_> = runs(&pdf)
        .into_iter()
        .filter(|(.., bytes)| amounts.contains(bytes))
        .collect();
    assert_eq!(placed.len(), 4, "item amount and three totals");
    for (x, bold, size, bytes) in placed {
        let right = x + run_width(bold, size, &bytes);
        assert!((right - RIGHT).abs() < 0.05, "amount ends at {right}");
    }
}

#[test]
fn many_items_flow_over_pages() {
    let mut inv = spanish();
    inv.notes.clear();
    inv.totals
        .push(("Total a pagar".into(), "99,00 €".into(), true));
    let desc = |i: usize| {
        let extra = if i.is_multiple_of(3) {
            " con copias de seguridad diarias, certificado TLS y soporte prioritario"
        } else {
            ""
        };
        format!("Servicio n.º {i:02} — plan Hosting Pro para cliente-{i:02}.example{extra}")
    };
    inv.items = (1..=60).map(|i| (desc(i), format!("{i},00 €"))).collect();
    let pages: Vec<String> = page_texts(&render(&inv)).iter().map(|p| norm(p)).collect();
    assert!(pages.len() > 1, "60 items fit on one page?");
    let all = pages.join(" ");
    for i in 1..=60 {
        assert_eq!(all.matches(&desc(i)).count(), 1, "item {i}");
    }
    assert_eq!(all.matches("Total a pagar").count(), 1);
    assert!(pages.last().unwrap().contains("Total a pagar 99,00 €"));
    for (n, page) in pages.iter().enumerate() {
        assert!(page.contains(&inv.footer), "page {n} lacks the footer");
        if page.contains("Servicio n.º") {
            assert!(
                page.contains("Descripción Importe"),
                "page {n} lacks the table header"
            );
        }
    }
}

#[test]
fn overlong_words_and_pdf_delimiters() {
    let mut inv = spanish();
    let word: String = (0..150)
        .map(|i| char::from(b'a' + (i % 26) as u8))
        .collect();
    let tricky = r"Ruta C:\clientes\ana (copia) ((doble)) \( ) fin";
    inv.items
        .push((format!("Dominio {word} renovado"), "1,00 €".into()));
    inv.notes.push(word.clone());
    inv.notes.push(tricky.into());
    let pdf = render(&inv);
    let text = norm(&page_texts(&pdf).concat());
    assert!(text.contains(tricky), "{text}");
    let squeezed: String = text.split_whitespace().collect();
    assert_eq!(
        squeezed.matches(&word).count(),
        2,
        "the long word is cut, not lost"
    );
    for (x, bold, size, bytes) in runs(&pdf) {
        let right = x + run_width(bold, size, &bytes);
        assert!(
            right <= RIGHT + 0.05,
            "{:?} runs to {right}",
            String::from_utf8_lossy(&bytes)
        );
    }
}

#[test]
fn widths_and_wrapping() {
    assert_eq!(text_width("0123456789", false), 5560);
    assert_eq!(text_width("0123456789", true), 5560);
    assert_eq!(text_width("Wi", false), 944 + 222);
    assert_eq!(text_width("ñá", false), text_width("na", false));
    assert_eq!(text_width("✓", false), 556);

    let para = "La factura se emite conforme a la normativa vigente. El importe debe abonarse \
        mediante transferencia bancaria antes de la fecha de vencimiento indicada; en caso \
        contrario el servicio podrá suspenderse hasta que se reciba el pago completo.";
    let (size, width) = (9.0, 200.0);
    let lines = wrap(para, false, size, width);
    assert!(lines.len() > 3);
    for (i, line) in lines.iter().enumerate() {
        assert!(
            width_pt(line, false, size) <= width,
            "line {line:?} too wide"
        );
        // Greedy: the next line's first word would not have fitted on this one.
        if let Some(next) = lines.get(i + 1) {
            let first = next.split(' ').next().unwrap();
            assert!(width_pt(&format!("{line} {first}"), false, size) > width);
        }
    }
    assert_eq!(lines.join(" "), norm(para));

    let long = "m".repeat(100);
    let cut = wrap(&long, false, 10.0, 50.0);
    assert!(cut.len() > 1);
    assert!(cut.iter().all(|l| width_pt(l, false, 10.0) <= 50.0));
    assert_eq!(cut.concat(), long);
    // A no-break space keeps an amount on one line.
    assert_eq!(
        wrap("x 25,00\u{a0}€", false, 10.0, 40.0),
        ["x", "25,00\u{a0}€"]
    );
}

#[test]
fn winansi_encoding() {
    assert_eq!(
        encode("aZ~áéíóúñÑ¿¡ü€–—‘’“”•…\u{a0}\u{202f}\t✓Ω"),
        [
            b'a', b'Z', b'~', 0xE1, 0xE9, 0xED, 0xF3, 0xFA, 0xF1, 0xD1, 0xBF, 0xA1, 0xFC, 0x80,
            0x96, 0x97, 0x91, 0x92, 0x93, 0x94, 0x95, 0x85, b' ', b' ', b' ', b'?', b'?',
        ]
    );
}

mod invoice_detail {
    use super::{norm, page_texts};
    use crate::{
        accounts::Language,
        billing::{
            invoices::{BillTo, InvoiceDetail, InvoiceLine, InvoiceStatus, InvoiceSummary},
            payments::{InvoiceMovement, PaymentMethod},
            pdf::invoice_pdf,
            tax::TaxMode,
        },
        Issuer,
    };
    use chrono::{NaiveDate, TimeZone, Utc};

    fn detail(mode: TaxMode) -> InvoiceDetail {
        let day = |d| NaiveDate::from_ymd_opt(2026, 12, d).unwrap();
        InvoiceDetail {
            summary: InvoiceSummary {
                id: 7,
                number: "2026-00042".into(),
                status: InvoiceStatus::Unpaid,
                currency: "EUR".into(),
                total_cents: 3025,
                balance_cents: 2025,
                issued_on: day(1),
                due_on: day(15),
            },
            bill_to: BillTo {
                name: "Ana García".into(),
                email: "ana@example.com".into(),
                company: "Tienda Ana SL".into(),
                address: "Calle Mayor 1\nPiso 2".into(),
                postcode: "28013".into(),
                region: "Madrid".into(),
                country: "ES".into(),
                vat_id: "ESB12345678".into(),
            },
            items: vec![InvoiceLine {
                service_id: Some(1),
                description: "Hosting Pro — tienda-ana.example".into(),
                period: None,
                amount_cents: 2500,
            }],
            subtotal_cents: 2500,
            tax_cents: 525,
            tax_name: "IVA".into(),
            tax_rate_bp: 2100,
            tax_mode: mode,
            prices_include_tax: false,
            paid_cents: 1000,
            credit_applied_cents: 0,
            refunded_cents: 0,
            paid_at: None,
            movements: vec![InvoiceMovement {
                at: Utc.with_ymd_and_hms(2026, 12, 2, 10, 0, 0).unwrap(),
                method: PaymentMethod::Manual,
                amount_cents: 1000,
                refund: false,
                reference: "TRF-981".into(),
            }],
        }
    }

    fn issuer() -> Issuer {
        Issuer {
            name: "Hosting Ejemplo SL".into(),
            address: vec!["Gran Vía 1".into(), "28013 Madrid".into()],
            tax_id: "B87654321".into(),
            bank_transfer: "IBAN ES91 2100 0418 4502 0005 1332".into(),
        }
    }

    #[test]
    fn a_spanish_invoice_pdf_names_number_items_totals_and_how_to_pay() {
        let pdf = invoice_pdf(&detail(TaxMode::Standard), Language::Es, &issuer());
        let text = norm(&page_texts(&pdf).join(" "));
        for expected in [
            "Factura 2026-00042",
            "Hosting Ejemplo SL",
            "B87654321",
            "Tienda Ana SL",
            "NIF-IVA: ESB12345678",
            "Hosting Pro — tienda-ana.example",
            "Base imponible",
            "25,00 €",
            "IVA (21 %)",
            "5,25 €",
            "30,25 €",
            "Pagado",
            "10,00 €",
            "Pendiente de pago",
            "20,25 €",
            "TRF-981",
            "IBAN ES91 2100 0418 4502 0005 1332",
            "15 de diciembre de 2026",
        ] {
            assert!(text.contains(expected), "{expected:?} missing from {text}");
        }
        assert!(!text.contains("Inversión del sujeto pasivo"));
    }

    #[test]
    fn an_english_reverse_charge_invoice_says_so_and_a_paid_one_has_no_payment_instructions() {
        let mut d = detail(TaxMode::ReverseCharge);
        d.summary.status = InvoiceStatus::Paid;
        let text = norm(&page_texts(&invoice_pdf(&d, Language::En, &issuer())).join(" "));
        assert!(text.contains("Invoice 2026-00042"), "{text}");
        assert!(text.contains("Reverse charge"), "{text}");
        assert!(
            text.contains("€30.25") && text.contains("Balance due"),
            "{text}"
        );
        assert!(!text.contains("IBAN"), "{text}");
    }
}
