//! Money and dates as people read them in each language. Pure: the same on server and browser,
//! so hydration never disagrees.
use crate::i18n::Locale;

/// `cents` in `currency`, e.g. "€12.50" (English) or "12,50 €" (Spanish).
pub fn money(cents: i64, currency: &str, locale: Locale) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    let (units, frac) = (abs / 100, abs % 100);
    let symbol = match currency {
        "EUR" => "€",
        "USD" => "$",
        "GBP" => "£",
        other => other,
    };
    let group = |sep: char| {
        let digits = units.to_string();
        let mut out = String::new();
        for (i, ch) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push(sep);
            }
            out.push(ch);
        }
        out
    };
    match locale {
        Locale::En => format!("{sign}{symbol}{}.{frac:02}", group(',')),
        Locale::Es => format!("{sign}{},{frac:02}\u{a0}{symbol}", group('.')),
    }
}

const MONTHS_EN: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const MONTHS_ES: [&str; 12] = [
    "ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic",
];

/// An ISO date (`YYYY-MM-DD`, or the date part of an RFC 3339 time), e.g. "25 Nov 2026" /
/// "25 nov 2026". Anything else is shown as it came.
pub fn date(iso: &str, locale: Locale) -> String {
    let mut parts = iso.get(..10).unwrap_or(iso).split('-');
    let parsed = (|| {
        let y: u32 = parts.next()?.parse().ok()?;
        let m: usize = parts.next()?.parse().ok()?;
        let d: u32 = parts.next()?.parse().ok()?;
        let names = match locale {
            Locale::En => &MONTHS_EN,
            Locale::Es => &MONTHS_ES,
        };
        Some(format!("{d} {} {y}", names.get(m.checked_sub(1)?)?))
    })();
    parsed.unwrap_or_else(|| iso.to_owned())
}

/// An RFC 3339 time in UTC as "25 Nov 2026, 14:05 UTC" (the server renders it; a time zone
/// guessed in the browser would differ from the server's page).
pub fn date_time(iso: &str, locale: Locale) -> String {
    match iso.get(11..16) {
        Some(hm) if iso.as_bytes().get(10) == Some(&b'T') => {
            format!("{}, {hm} UTC", date(iso, locale))
        }
        _ => date(iso, locale),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_in_both_languages() {
        assert_eq!(money(1250, "EUR", Locale::En), "€12.50");
        assert_eq!(money(1250, "EUR", Locale::Es), "12,50\u{a0}€");
        assert_eq!(money(123456789, "EUR", Locale::En), "€1,234,567.89");
        assert_eq!(money(123456789, "EUR", Locale::Es), "1.234.567,89\u{a0}€");
        assert_eq!(money(-5, "USD", Locale::En), "-$0.05");
        assert_eq!(money(100, "CHF", Locale::En), "CHF1.00");
    }

    #[test]
    fn dates_in_both_languages() {
        assert_eq!(date("2026-11-05", Locale::En), "5 Nov 2026");
        assert_eq!(date("2026-09-30T10:00:00Z", Locale::Es), "30 sept 2026");
        assert_eq!(date("garbage", Locale::En), "garbage");
        assert_eq!(date("2026-13-01", Locale::En), "2026-13-01");
        assert_eq!(
            date_time("2026-11-05T14:05:09+00:00", Locale::Es),
            "5 nov 2026, 14:05 UTC"
        );
        assert_eq!(date_time("2026-11-05", Locale::En), "5 Nov 2026");
    }
}
