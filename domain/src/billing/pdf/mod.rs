//! Server-side PDF rendering of an invoice: A4 portrait, the standard Type1 fonts
//! Helvetica and Helvetica-Bold (nothing embedded), text in WinAnsiEncoding.
//!
//! Every text arrives already formatted in the reader's language; this module
//! only lays it out, wraps it and breaks pages.

use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

mod invoice;
#[cfg(test)]
mod tests;
mod text;

pub use invoice::invoice_pdf;

use text::{encode, width_pt, wrap};

/// An invoice laid out for print, every text already in the reader's language.
pub struct PdfInvoice {
    /// E.g. "Factura 2026-00042".
    pub title: String,
    /// Company name, address lines, tax id (may be empty).
    pub seller: Vec<String>,
    /// Label/value rows: issue date, status, due date...
    pub meta: Vec<(String, String)>,
    /// E.g. "Facturar a".
    pub bill_to_label: String,
    /// Name, company, address lines, VAT id, email.
    pub bill_to: Vec<String>,
    /// Headers of the description and amount columns.
    pub columns: (String, String),
    /// (description, amount); descriptions wrap.
    pub items: Vec<(String, String)>,
    /// (label, amount, bold): subtotal, tax, total, paid, balance due.
    pub totals: Vec<(String, String, bool)>,
    /// Paragraphs (may be long and contain newlines).
    pub notes: Vec<String>,
    /// Small line at the bottom of every page.
    pub footer: String,
}

const PAGE_W: f32 = 595.0;
const PAGE_H: f32 = 842.0;
const MARGIN: f32 = 50.0;
const RIGHT: f32 = PAGE_W - MARGIN;
const CONTENT_W: f32 = PAGE_W - 2.0 * MARGIN;
/// Body text stops here; the footer sits in the bottom margin below it.
const BOTTOM: f32 = MARGIN;
const FOOTER_BASELINE: f32 = MARGIN - 18.0;

const TITLE: f32 = 20.0;
const BODY: f32 = 10.0;
const SMALL: f32 = 9.0;
const FOOT: f32 = 8.0;
/// Line height as a multiple of the font size.
const LEADING: f32 = 1.3;
/// Vertical padding above and below the text of a table row.
const PAD: f32 = 4.0;

const REGULAR: Name<'static> = Name(b"F1");
const BOLD: Name<'static> = Name(b"F2");

/// The pages being drawn and the cursor: `y` is the top of the free space.
struct Pages {
    done: Vec<Content>,
    cur: Content,
    y: f32,
    /// While the items table is open, its column headers, so a page break repeats them.
    table: Option<(String, String)>,
}

impl Pages {
    fn new() -> Self {
        Pages {
            done: Vec::new(),
            cur: Content::new(),
            y: PAGE_H - MARGIN,
            table: None,
        }
    }

    fn text(&mut self, x: f32, baseline: f32, size: f32, bold: bool, text: &str) {
        put_text(&mut self.cur, x, baseline, size, bold, text);
    }

    fn text_right(&mut self, right: f32, baseline: f32, size: f32, bold: bool, text: &str) {
        let x = right - width_pt(text, bold, size);
        self.text(x, baseline, size, bold, text);
    }

    fn rule(&mut self, y: f32, x0: f32, x1: f32, width: f32, gray: f32) {
        put_rule(&mut self.cur, y, x0, x1, width, gray);
    }

    fn new_page(&mut self) {
        let page = std::mem::replace(&mut self.cur, Content::new());
        self.done.push(page);
        self.y = PAGE_H - MARGIN;
        if let Some((desc, amount)) = self.table.clone() {
            self.table_header(&desc, &amount);
        }
    }

    /// Starts a new page unless `height` more points fit above the footer.
    fn ensure(&mut self, height: f32) {
        if self.y - height < BOTTOM {
            self.new_page();
        }
    }

    /// Takes one line of `size` and returns its baseline, breaking the page if needed.
    fn line(&mut self, size: f32) -> f32 {
        self.ensure(size * LEADING);
        let baseline = self.y - size;
        self.y -= size * LEADING;
        baseline
    }

    /// `text` wrapped to `width` from `x` down, breaking pages between lines.
    fn para(&mut self, x: f32, width: f32, size: f32, bold: bool, text: &str) {
        for line in wrap(text, bold, size, width) {
            let baseline = self.line(size);
            self.text(x, baseline, size, bold, &line);
        }
    }

    fn table_header(&mut self, desc: &str, amount: &str) {
        self.y -= PAD;
        let baseline = self.line(BODY);
        self.text(MARGIN, baseline, BODY, true, desc);
        self.text_right(RIGHT, baseline, BODY, true, amount);
        self.y -= PAD;
        self.rule(self.y, MARGIN, RIGHT, 0.8, 0.0);
    }

    /// The finished pages, each with the footer.
    fn finish(mut self, footer: &str) -> Vec<Content> {
        self.done.push(self.cur);
        let lines = wrap(footer, false, FOOT, CONTENT_W);
        for page in &mut self.done {
            put_rule(page, FOOTER_BASELINE + 1.5 * FOOT, MARGIN, RIGHT, 0.3, 0.6);
            let mut baseline = FOOTER_BASELINE;
            for line in &lines {
                let x = (PAGE_W - width_pt(line, false, FOOT)) / 2.0;
                put_text(page, x, baseline, FOOT, false, line);
                baseline -= FOOT * LEADING;
            }
        }
        self.done
    }
}

/// One text run, in its own text object so extractors see separate lines.
fn put_text(c: &mut Content, x: f32, baseline: f32, size: f32, bold: bool, text: &str) {
    let font = if bold { BOLD } else { REGULAR };
    c.begin_text()
        .set_font(font, size)
        .next_line(x, baseline)
        .show(Str(&encode(text)))
        .end_text();
}

fn put_rule(c: &mut Content, y: f32, x0: f32, x1: f32, width: f32, gray: f32) {
    c.set_line_width(width)
        .set_stroke_gray(gray)
        .move_to(x0, y)
        .line_to(x1, y)
        .stroke();
}

/// Renders `inv` as a complete PDF file.
pub fn render(inv: &PdfInvoice) -> Vec<u8> {
    let mut p = Pages::new();
    header(&mut p, inv);
    meta_and_bill_to(&mut p, inv);
    let amount_col = amount_column(inv);
    items(&mut p, inv, amount_col);
    totals(&mut p, inv, amount_col);
    p.y -= 2.0 * SMALL;
    for note in &inv.notes {
        for line in note.lines() {
            p.para(MARGIN, CONTENT_W, SMALL, false, line);
        }
        p.y -= SMALL * 0.6;
    }
    let pages = p.finish(&inv.footer);
    write_pdf(&inv.title, pages)
}

/// Title top left; seller lines top right when both fit side by side, else below the title.
fn header(p: &mut Pages, inv: &PdfInvoice) {
    let title = wrap(&inv.title, true, TITLE, CONTENT_W);
    let title_w = title
        .iter()
        .map(|l| width_pt(l, true, TITLE))
        .fold(0.0, f32::max);
    let seller_bold = |i: usize| i == 0;
    let seller_w = (inv.seller.iter().enumerate())
        .map(|(i, l)| width_pt(l, seller_bold(i), SMALL))
        .fold(0.0, f32::max);
    for line in &title {
        let baseline = p.line(TITLE);
        p.text(MARGIN, baseline, TITLE, true, line);
    }
    if title_w + 2.0 * TITLE + seller_w <= CONTENT_W {
        let below_title = p.y;
        p.y = PAGE_H - MARGIN;
        for (i, line) in inv.seller.iter().enumerate() {
            let baseline = p.line(SMALL);
            p.text_right(RIGHT, baseline, SMALL, seller_bold(i), line);
        }
        p.y = p.y.min(below_title);
    } else {
        p.y -= SMALL;
        for (i, line) in inv.seller.iter().enumerate() {
            p.para(MARGIN, CONTENT_W, SMALL, seller_bold(i), line);
        }
    }
    p.y -= 2.0 * BODY;
}

fn meta_and_bill_to(p: &mut Pages, inv: &PdfInvoice) {
    let label_w = (inv.meta.iter())
        .map(|(label, _)| width_pt(label, true, SMALL))
        .fold(0.0, f32::max);
    let value_x = MARGIN + (label_w + 12.0).min(CONTENT_W / 2.0);
    for (label, value) in &inv.meta {
        p.ensure(SMALL * LEADING);
        p.text(MARGIN, p.y - SMALL, SMALL, true, label);
        p.para(value_x, RIGHT - value_x, SMALL, false, value);
    }
    p.y -= 1.5 * BODY;
    p.para(MARGIN, CONTENT_W, BODY, true, &inv.bill_to_label);
    for line in &inv.bill_to {
        p.para(MARGIN, CONTENT_W, BODY, false, line);
    }
    p.y -= 1.5 * BODY;
}

/// Width of the amount column: its widest amount (items or totals) plus a gap.
fn amount_column(inv: &PdfInvoice) -> f32 {
    let items = inv.items.iter().map(|(_, a)| width_pt(a, false, BODY));
    let totals = inv.totals.iter().map(|(_, a, b)| width_pt(a, *b, BODY));
    let widest = (items.chain(totals)).fold(width_pt(&inv.columns.1, true, BODY), f32::max);
    (widest + 2.0 * BODY).clamp(90.0, CONTENT_W / 2.0)
}

fn items(p: &mut Pages, inv: &PdfInvoice, amount_col: f32) {
    let (desc, amount) = &inv.columns;
    // The header never sits alone at the foot of a page.
    p.ensure(4.0 * BODY * LEADING);
    p.table_header(desc, amount);
    p.table = Some((desc.clone(), amount.clone()));
    let desc_w = CONTENT_W - amount_col;
    for (text, amount) in &inv.items {
        let lines = wrap(text, false, BODY, desc_w);
        let row_h = lines.len() as f32 * BODY * LEADING + 2.0 * PAD;
        // Keep a row on one page unless it is taller than a whole page.
        if row_h <= PAGE_H - MARGIN - BOTTOM - 3.0 * BODY * LEADING {
            p.ensure(row_h);
        }
        p.y -= PAD;
        // The amount goes first so a row broken across pages still has it on its first line.
        p.ensure(BODY * LEADING);
        p.text_right(RIGHT, p.y - BODY, BODY, false, amount);
        for line in &lines {
            let baseline = p.line(BODY);
            p.text(MARGIN, baseline, BODY, false, line);
        }
        p.y -= PAD;
        p.rule(p.y, MARGIN, RIGHT, 0.3, 0.7);
    }
    p.table = None;
}

/// Totals right-aligned under the amount column, kept together on one page.
fn totals(p: &mut Pages, inv: &PdfInvoice, amount_col: f32) {
    let label_right = RIGHT - amount_col;
    p.ensure(inv.totals.len() as f32 * (BODY * LEADING + PAD) + 2.0 * PAD);
    p.y -= 2.0 * PAD;
    for (label, amount, bold) in &inv.totals {
        if *bold {
            p.rule(p.y, label_right - amount_col, RIGHT, 0.5, 0.3);
        }
        p.y -= PAD;
        let baseline = p.line(BODY);
        p.text_right(label_right, baseline, BODY, *bold, label);
        p.text_right(RIGHT, baseline, BODY, *bold, amount);
    }
}

fn write_pdf(title: &str, pages: Vec<Content>) -> Vec<u8> {
    let mut pdf = Pdf::new();
    let catalog = Ref::new(1);
    let tree = Ref::new(2);
    let (regular, bold, info) = (Ref::new(3), Ref::new(4), Ref::new(5));
    // Each page i is object 6 + 2i and its content stream the object after it.
    let page_ids: Vec<Ref> = (0..pages.len() as i32)
        .map(|i| Ref::new(6 + 2 * i))
        .collect();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree)
        .kids(page_ids.iter().copied())
        .count(page_ids.len() as i32);
    for (id, base) in [(regular, "Helvetica"), (bold, "Helvetica-Bold")] {
        pdf.type1_font(id)
            .base_font(Name(base.as_bytes()))
            .encoding_predefined(Name(b"WinAnsiEncoding"));
    }
    pdf.document_info(info).title(TextStr(title));
    for (id, content) in page_ids.into_iter().zip(pages) {
        let content_id = id.next();
        let mut page = pdf.page(id);
        page.media_box(Rect::new(0.0, 0.0, PAGE_W, PAGE_H))
            .parent(tree)
            .contents(content_id);
        page.resources()
            .fonts()
            .pair(REGULAR, regular)
            .pair(BOLD, bold);
        page.finish();
        pdf.stream(content_id, &content.finish());
    }
    pdf.finish()
}
