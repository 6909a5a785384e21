//! Taxes on invoices: which rate applies to a client (by country and region, EU VAT rules),
//! and the invoice totals it gives. Pure functions; the invoice stores what was decided.
//!
//! Rules, in order:
//! 1. Taxes are off until the seller's country is configured (`PORTICO_TAX_COUNTRY`).
//! 2. Seller and client in the EU, in different countries, and the client is a business with a
//!    well-formed VAT number of its own country: reverse charge (no tax; the client accounts
//!    for it).
//! 3. Otherwise the rate of the client's region, else of the client's country (a client with no
//!    country is taxed as one in the seller's country). EU consumers of another EU country thus
//!    pay their own country's VAT (the one-stop-shop rule); countries without a rate pay none.
//!
//! Rounding: the tax is computed once on the invoice's sum (not per line) and rounded to the
//! cent half away from zero, the commercial rule. With prices that include tax, the total is
//! the sum of the lines and the tax is the part of it above the net: `gross × r / (1 + r)`.
#[cfg(test)]
mod tests;
mod vat_id;

pub use vat_id::{is_valid_vat_id, normalise_vat_id};

use rust_decimal::{Decimal, RoundingStrategy};

/// A rate for a country, or for one region of it (`region` empty = the whole country).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaxRate {
    pub country: String,
    pub region: String,
    pub name: String,
    /// Hundredths of a percent: 2100 = 21 %.
    pub rate_bp: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TaxSettings {
    /// The seller's country (ISO 3166-1 alpha-2); `None` turns taxes off.
    pub seller_country: Option<String>,
    /// Prices (plans, upgrades, fees) already include the tax.
    pub prices_include_tax: bool,
    /// Configured rates; they replace the built-in EU rate of the same country and region.
    pub rates: Vec<TaxRate>,
}

/// The client's side of the decision, as frozen on the invoice.
#[derive(Debug, Clone, Copy)]
pub struct Buyer<'a> {
    pub country: &'a str,
    pub region: &'a str,
    pub vat_id: &'a str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaxMode {
    None,
    Standard,
    ReverseCharge,
}

impl TaxMode {
    pub fn as_str(self) -> &'static str {
        match self {
            TaxMode::None => "none",
            TaxMode::Standard => "standard",
            TaxMode::ReverseCharge => "reverse_charge",
        }
    }
    pub fn from_db(s: &str) -> Self {
        match s {
            "standard" => TaxMode::Standard,
            "reverse_charge" => TaxMode::ReverseCharge,
            _ => TaxMode::None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaxDecision {
    pub mode: TaxMode,
    pub name: String,
    pub rate_bp: u32,
}

impl TaxDecision {
    pub fn none() -> Self {
        Self {
            mode: TaxMode::None,
            name: String::new(),
            rate_bp: 0,
        }
    }
}

/// EU member states and their standard VAT rates (2026). Staff override or extend them with
/// `PORTICO_TAX_RATES`.
const EU_STANDARD: &[(&str, &str, u32)] = &[
    ("AT", "USt.", 2000),
    ("BE", "BTW/TVA", 2100),
    ("BG", "ДДС", 2000),
    ("CY", "ΦΠΑ", 1900),
    ("CZ", "DPH", 2100),
    ("DE", "MwSt.", 1900),
    ("DK", "moms", 2500),
    ("EE", "km", 2400),
    ("ES", "IVA", 2100),
    ("FI", "ALV", 2550),
    ("FR", "TVA", 2000),
    ("GR", "ΦΠΑ", 2400),
    ("HR", "PDV", 2500),
    ("HU", "ÁFA", 2700),
    ("IE", "VAT", 2300),
    ("IT", "IVA", 2200),
    ("LT", "PVM", 2100),
    ("LU", "TVA", 1700),
    ("LV", "PVN", 2100),
    ("MT", "VAT", 1800),
    ("NL", "btw", 2100),
    ("PL", "VAT", 2300),
    ("PT", "IVA", 2300),
    ("RO", "TVA", 2100),
    ("SE", "moms", 2500),
    ("SI", "DDV", 2200),
    ("SK", "DPH", 2300),
];

pub fn is_eu(country: &str) -> bool {
    EU_STANDARD.iter().any(|(c, _, _)| *c == country)
}

fn rate_for(settings: &TaxSettings, country: &str, region: &str) -> Option<TaxDecision> {
    let found = |region: &str| {
        settings
            .rates
            .iter()
            .find(|r| r.country == country && r.region.eq_ignore_ascii_case(region))
            .map(|r| (r.name.clone(), r.rate_bp))
    };
    let configured = (!region.is_empty())
        .then(|| found(region))
        .flatten()
        .or_else(|| found(""));
    let (name, rate_bp) = configured.or_else(|| {
        EU_STANDARD
            .iter()
            .find(|(c, _, _)| *c == country)
            .map(|(_, n, r)| ((*n).to_owned(), *r))
    })?;
    Some(TaxDecision {
        mode: if rate_bp == 0 {
            TaxMode::None
        } else {
            TaxMode::Standard
        },
        name,
        rate_bp,
    })
}

/// The tax that applies to an invoice for `buyer` (see the module's rules).
pub fn decide(settings: &TaxSettings, buyer: Buyer<'_>) -> TaxDecision {
    let Some(seller) = settings.seller_country.as_deref() else {
        return TaxDecision::none();
    };
    let country = if buyer.country.is_empty() {
        seller
    } else {
        buyer.country
    };
    if is_eu(seller)
        && is_eu(country)
        && country != seller
        && is_valid_vat_id(country, buyer.vat_id)
    {
        return TaxDecision {
            mode: TaxMode::ReverseCharge,
            name: String::new(),
            rate_bp: 0,
        };
    }
    let region = if buyer.country.is_empty() {
        ""
    } else {
        buyer.region
    };
    rate_for(settings, country, region).unwrap_or_else(TaxDecision::none)
}

/// An invoice's net, tax and total in cents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Totals {
    pub subtotal_cents: i64,
    pub tax_cents: i64,
    pub total_cents: i64,
}

/// Totals for lines summing to `lines_cents` at `rate_bp`; `None` on overflow.
pub fn totals(lines_cents: i64, rate_bp: u32, prices_include_tax: bool) -> Option<Totals> {
    let amount = Decimal::from(lines_cents);
    let rate = Decimal::from(rate_bp);
    let tax = if prices_include_tax {
        amount.checked_mul(rate)? / (Decimal::from(10_000) + rate)
    } else {
        amount.checked_mul(rate)? / Decimal::from(10_000)
    };
    let tax: i64 = tax
        .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
        .try_into()
        .ok()?;
    Some(if prices_include_tax {
        Totals {
            subtotal_cents: lines_cents.checked_sub(tax)?,
            tax_cents: tax,
            total_cents: lines_cents,
        }
    } else {
        Totals {
            subtotal_cents: lines_cents,
            tax_cents: tax,
            total_cents: lines_cents.checked_add(tax)?,
        }
    })
}

/// Parses `PORTICO_TAX_RATES`: comma-separated `CC[-REGION]=[NAME:]PERCENT`, e.g.
/// `ES=IVA:21,ES-CN=IGIC:7,CH=MWST:8.1`, percentages with at most two decimals.
pub fn parse_rates(raw: &str) -> Result<Vec<TaxRate>, String> {
    let mut out: Vec<TaxRate> = Vec::new();
    for entry in raw.split(',').map(str::trim).filter(|e| !e.is_empty()) {
        let (place, value) = entry
            .split_once('=')
            .ok_or_else(|| format!("{entry:?} is not CC[-REGION]=[NAME:]PERCENT"))?;
        let (country, region) = match place.trim().split_once('-') {
            Some((c, r)) => (c.trim(), r.trim()),
            None => (place.trim(), ""),
        };
        if country.len() != 2 || !country.chars().all(|c| c.is_ascii_alphabetic()) {
            return Err(format!("{place:?}: the country must be a two-letter code"));
        }
        let (name, percent) = match value.rsplit_once(':') {
            Some((n, p)) => (n.trim().to_owned(), p.trim()),
            None => ("VAT".to_owned(), value.trim()),
        };
        let rate_bp = parse_percent(percent)
            .ok_or_else(|| format!("{percent:?} is not a percentage from 0 to 100"))?;
        let rate = TaxRate {
            country: country.to_ascii_uppercase(),
            region: region.to_owned(),
            name,
            rate_bp,
        };
        if out
            .iter()
            .any(|r| r.country == rate.country && r.region.eq_ignore_ascii_case(&rate.region))
        {
            return Err(format!("{place:?} is listed twice"));
        }
        out.push(rate);
    }
    Ok(out)
}

fn parse_percent(s: &str) -> Option<u32> {
    let d: Decimal = s.parse().ok()?;
    let bp = d.checked_mul(Decimal::from(100))?;
    if bp.fract() != Decimal::ZERO || bp < Decimal::ZERO || bp > Decimal::from(10_000) {
        return None;
    }
    bp.try_into().ok()
}

/// "21 %", "8,875 %": a rate for people.
pub fn format_rate(rate_bp: u32, decimal_comma: bool) -> String {
    let whole = rate_bp / 100;
    let frac = rate_bp % 100;
    let mut s = if frac == 0 {
        whole.to_string()
    } else {
        format!("{whole}.{frac:02}")
            .trim_end_matches('0')
            .to_owned()
    };
    if decimal_comma {
        s = s.replace('.', ",");
    }
    format!("{s} %")
}
