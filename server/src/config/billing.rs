//! The billing keys: thresholds of the automation, invoice numbers, taxes, credit, late fees,
//! and who issues the invoices. Every key is optional; invalid values name the key.
use super::{invalid, ConfigError};
use domain::{
    billing::{numbering::NumberFormat, tax},
    BillingSettings, Issuer, LateFee,
};

pub(super) type Get<'a> = &'a dyn Fn(&str) -> Option<String>;

pub(super) fn days(
    get: Get,
    key: &'static str,
    default: u32,
    min: u32,
) -> Result<u32, ConfigError> {
    match get(key) {
        None => Ok(default),
        Some(v) => v
            .parse::<u32>()
            .ok()
            .filter(|n| (min..=365).contains(n))
            .ok_or_else(|| {
                invalid(
                    key,
                    format!("{v:?} is not a number of days from {min} to 365"),
                )
            }),
    }
}

pub(super) fn flag(get: Get, key: &'static str, default: bool) -> Result<bool, ConfigError> {
    match get(key).as_deref() {
        None => Ok(default),
        Some("true" | "1" | "yes") => Ok(true),
        Some("false" | "0" | "no") => Ok(false),
        Some(other) => Err(invalid(key, format!("{other:?} is not true or false"))),
    }
}

/// "5.00" (a fixed amount) or "10%" (of the invoice total), at most two decimals.
fn late_fee(raw: &str) -> Option<LateFee> {
    let hundredths = |s: &str| -> Option<i64> {
        let d: rust_decimal::Decimal = s.trim().parse().ok()?;
        let h = d.checked_mul(rust_decimal::Decimal::from(100))?;
        (h.fract().is_zero() && h > rust_decimal::Decimal::ZERO).then(|| h.try_into().ok())?
    };
    match raw.strip_suffix('%') {
        Some(p) => hundredths(p)
            .filter(|bp| *bp <= 10_000)
            .map(|bp| LateFee::Percent(bp as u32)),
        None => hundredths(raw)
            .filter(|c| *c <= 10_000_000)
            .map(LateFee::Fixed),
    }
}

/// `\n` in a value is a line break (environment variables are one line).
fn lines(v: &str) -> String {
    v.replace("\\n", "\n")
}

/// Ascending days like "1,3,7" (sorted, duplicates dropped); `none` for an empty list where
/// `allow_none`.
fn day_list(
    get: Get,
    key: &'static str,
    default: &[u32],
    allow_none: bool,
) -> Result<Vec<u32>, ConfigError> {
    let Some(v) = get(key) else {
        return Ok(default.to_vec());
    };
    if allow_none && v.eq_ignore_ascii_case("none") {
        return Ok(Vec::new());
    }
    let parsed: Option<Vec<u32>> = v
        .split(',')
        .map(|p| {
            p.trim()
                .parse::<u32>()
                .ok()
                .filter(|n| (1..=365).contains(n))
        })
        .collect();
    match parsed {
        Some(mut days) if !days.is_empty() => {
            days.sort_unstable();
            days.dedup();
            Ok(days)
        }
        _ => Err(invalid(
            key,
            format!("{v:?} is not a list of days like 1,3,7"),
        )),
    }
}

pub(super) fn settings(get: Get) -> Result<BillingSettings, ConfigError> {
    let d = BillingSettings::default();
    let overdue_notice_days = day_list(
        get,
        "PORTICO_OVERDUE_NOTICE_DAYS",
        &d.overdue_notice_days,
        false,
    )?;
    let card_retry_days = day_list(get, "PORTICO_CARD_RETRY_DAYS", &d.card_retry_days, true)?;
    let number_format = match get("PORTICO_INVOICE_NUMBER_FORMAT") {
        None => d.number_format.clone(),
        Some(v) => NumberFormat::parse(&v)
            .map_err(|e| invalid("PORTICO_INVOICE_NUMBER_FORMAT", format!("{v:?} {e}")))?,
    };
    let seller_country = match get("PORTICO_TAX_COUNTRY") {
        None => None,
        Some(c) if c.len() == 2 && c.chars().all(|ch| ch.is_ascii_alphabetic()) => {
            Some(c.to_ascii_uppercase())
        }
        Some(c) => {
            return Err(invalid(
                "PORTICO_TAX_COUNTRY",
                format!("{c:?} is not a two-letter country code like ES"),
            ))
        }
    };
    let rates = match get("PORTICO_TAX_RATES") {
        None => Vec::new(),
        Some(v) => tax::parse_rates(&v).map_err(|e| invalid("PORTICO_TAX_RATES", e))?,
    };
    let late_fee = match get("PORTICO_LATE_FEE") {
        None => None,
        Some(v) => Some(late_fee(&v).ok_or_else(|| {
            invalid(
                "PORTICO_LATE_FEE",
                format!("{v:?} is not an amount like 5.00 or a share like 10%"),
            )
        })?),
    };
    let suspend_after_days = days(get, "PORTICO_SUSPEND_AFTER_DAYS", d.suspend_after_days, 1)?;
    let terminate_after_days = days(
        get,
        "PORTICO_TERMINATE_AFTER_DAYS",
        d.terminate_after_days,
        1,
    )?;
    if terminate_after_days <= suspend_after_days {
        return Err(invalid(
            "PORTICO_TERMINATE_AFTER_DAYS",
            "must be more than PORTICO_SUSPEND_AFTER_DAYS",
        ));
    }
    Ok(BillingSettings {
        upgrade_cancel_days: days(get, "PORTICO_UPGRADE_CANCEL_DAYS", d.upgrade_cancel_days, 1)?,
        renew_days_before: days(get, "PORTICO_RENEW_DAYS_BEFORE", d.renew_days_before, 0)?,
        reminder_days_before: days(
            get,
            "PORTICO_REMINDER_DAYS_BEFORE",
            d.reminder_days_before,
            0,
        )?,
        overdue_notice_days,
        suspend_after_days,
        terminate_after_days,
        number_format,
        tax: tax::TaxSettings {
            seller_country,
            prices_include_tax: flag(get, "PORTICO_PRICES_INCLUDE_TAX", false)?,
            rates,
        },
        credit_auto_apply: flag(get, "PORTICO_CREDIT_AUTO_APPLY", d.credit_auto_apply)?,
        late_fee,
        late_fee_days: days(get, "PORTICO_LATE_FEE_DAYS", d.late_fee_days, 1)?,
        card_retry_days,
        issuer: Issuer {
            name: get("PORTICO_COMPANY_NAME").unwrap_or(d.issuer.name),
            address: get("PORTICO_COMPANY_ADDRESS")
                .map(|a| {
                    lines(&a)
                        .lines()
                        .map(|l| l.trim().to_owned())
                        .filter(|l| !l.is_empty())
                        .collect()
                })
                .unwrap_or_default(),
            tax_id: get("PORTICO_COMPANY_TAX_ID").unwrap_or_default(),
            bank_transfer: get("PORTICO_BANK_TRANSFER")
                .map(|b| lines(&b))
                .unwrap_or_default(),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn parse(pairs: &[(&str, &str)]) -> Result<BillingSettings, ConfigError> {
        let m: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        settings(&|k| m.get(k).cloned())
    }

    #[test]
    fn defaults_are_the_documented_ones() {
        assert_eq!(parse(&[]).unwrap(), BillingSettings::default());
    }

    #[test]
    fn every_key_is_read() {
        let s = parse(&[
            ("PORTICO_RENEW_DAYS_BEFORE", "10"),
            ("PORTICO_REMINDER_DAYS_BEFORE", "2"),
            ("PORTICO_OVERDUE_NOTICE_DAYS", "7, 1,3,3"),
            ("PORTICO_SUSPEND_AFTER_DAYS", "5"),
            ("PORTICO_TERMINATE_AFTER_DAYS", "45"),
            ("PORTICO_INVOICE_NUMBER_FORMAT", "F{year}/{seq:4}"),
            ("PORTICO_TAX_COUNTRY", "es"),
            ("PORTICO_TAX_RATES", "ES-CN=IGIC:7"),
            ("PORTICO_PRICES_INCLUDE_TAX", "yes"),
            ("PORTICO_CREDIT_AUTO_APPLY", "false"),
            ("PORTICO_LATE_FEE", "10%"),
            ("PORTICO_LATE_FEE_DAYS", "3"),
            ("PORTICO_COMPANY_NAME", "Hosting Ejemplo SL"),
            ("PORTICO_COMPANY_ADDRESS", "Calle Mayor 1\\n28013 Madrid"),
            ("PORTICO_BANK_TRANSFER", "IBAN ES00 0000\\nBIC XXXX"),
            ("PORTICO_CARD_RETRY_DAYS", "5,1"),
        ])
        .unwrap();
        assert_eq!((s.renew_days_before, s.reminder_days_before), (10, 2));
        assert_eq!(s.overdue_notice_days, vec![1, 3, 7]);
        assert_eq!((s.suspend_after_days, s.terminate_after_days), (5, 45));
        assert_eq!(s.number_format.format(2026, 9), "F2026/0009");
        assert_eq!(s.tax.seller_country.as_deref(), Some("ES"));
        assert!(s.tax.prices_include_tax && !s.credit_auto_apply);
        assert_eq!(s.tax.rates[0].rate_bp, 700);
        assert_eq!(
            (s.late_fee, s.late_fee_days),
            (Some(LateFee::Percent(1000)), 3)
        );
        assert_eq!(s.issuer.address, vec!["Calle Mayor 1", "28013 Madrid"]);
        assert_eq!(s.issuer.bank_transfer, "IBAN ES00 0000\nBIC XXXX");
        assert_eq!(s.card_retry_days, vec![1, 5]);
        let no_retries = parse(&[("PORTICO_CARD_RETRY_DAYS", "none")]).unwrap();
        assert!(no_retries.card_retry_days.is_empty());
        let fixed = parse(&[("PORTICO_LATE_FEE", "5.5")]).unwrap();
        assert_eq!(fixed.late_fee, Some(LateFee::Fixed(550)));
    }

    #[test]
    fn invalid_values_name_the_key() {
        for (k, v) in [
            ("PORTICO_RENEW_DAYS_BEFORE", "soon"),
            ("PORTICO_OVERDUE_NOTICE_DAYS", "1,x"),
            ("PORTICO_OVERDUE_NOTICE_DAYS", "0"),
            ("PORTICO_TERMINATE_AFTER_DAYS", "2"),
            ("PORTICO_INVOICE_NUMBER_FORMAT", "{year}"),
            ("PORTICO_TAX_COUNTRY", "Spain"),
            ("PORTICO_TAX_RATES", "ES=200"),
            ("PORTICO_PRICES_INCLUDE_TAX", "maybe"),
            ("PORTICO_LATE_FEE", "-5"),
            ("PORTICO_LATE_FEE", "150%"),
            ("PORTICO_LATE_FEE", "0.001"),
            ("PORTICO_CARD_RETRY_DAYS", "3,soon"),
            ("PORTICO_CARD_RETRY_DAYS", "0"),
        ] {
            let err = parse(&[(k, v)]).unwrap_err().to_string();
            assert!(err.starts_with(k), "{k}={v}: {err}");
        }
    }
}
