use super::*;

fn spain() -> TaxSettings {
    TaxSettings {
        seller_country: Some("ES".into()),
        prices_include_tax: false,
        rates: parse_rates("ES-CN=IGIC:7").unwrap(),
    }
}

fn buyer<'a>(country: &'a str, region: &'a str, vat_id: &'a str) -> Buyer<'a> {
    Buyer {
        country,
        region,
        vat_id,
    }
}

#[test]
fn taxes_are_off_until_the_seller_country_is_set() {
    let d = decide(&TaxSettings::default(), buyer("ES", "", ""));
    assert_eq!(d, TaxDecision::none());
}

#[test]
fn domestic_clients_pay_the_seller_country_rate_even_with_a_vat_id() {
    let d = decide(&spain(), buyer("ES", "Madrid", "ESB12345678"));
    assert_eq!(
        (d.mode, d.name.as_str(), d.rate_bp),
        (TaxMode::Standard, "IVA", 2100)
    );
    // No country known: treated as the seller's country.
    assert_eq!(decide(&spain(), buyer("", "CN", "")).rate_bp, 2100);
}

#[test]
fn a_region_rate_wins_over_the_country_rate() {
    let d = decide(&spain(), buyer("ES", "cn", ""));
    assert_eq!((d.name.as_str(), d.rate_bp), ("IGIC", 700));
}

#[test]
fn eu_consumers_abroad_pay_their_own_country_rate() {
    let d = decide(&spain(), buyer("DE", "", ""));
    assert_eq!(
        (d.mode, d.name.as_str(), d.rate_bp),
        (TaxMode::Standard, "MwSt.", 1900)
    );
    assert_eq!(decide(&spain(), buyer("FI", "", "")).rate_bp, 2550);
}

#[test]
fn eu_businesses_abroad_with_a_valid_vat_id_are_reverse_charged() {
    let d = decide(&spain(), buyer("DE", "", "de 123 456 789"));
    assert_eq!((d.mode, d.rate_bp), (TaxMode::ReverseCharge, 0));
    assert_eq!(
        decide(&spain(), buyer("GR", "", "EL123456789")).mode,
        TaxMode::ReverseCharge
    );
    // A malformed or foreign number is a consumer's purchase.
    assert_eq!(decide(&spain(), buyer("DE", "", "DE12345")).rate_bp, 1900);
    assert_eq!(
        decide(&spain(), buyer("DE", "", "FR12345678901")).rate_bp,
        1900
    );
}

#[test]
fn clients_outside_the_eu_pay_no_eu_vat() {
    assert_eq!(decide(&spain(), buyer("US", "NY", "")), TaxDecision::none());
}

#[test]
fn a_seller_outside_the_eu_charges_only_configured_rates() {
    let s = TaxSettings {
        seller_country: Some("CH".into()),
        prices_include_tax: false,
        rates: parse_rates("CH=MWST:8.1").unwrap(),
    };
    assert_eq!(decide(&s, buyer("CH", "", "")).rate_bp, 810);
    // No reverse charge logic outside the EU, and no EU table either.
    assert_eq!(
        decide(&s, buyer("DE", "", "DE123456789")).mode,
        TaxMode::Standard
    );
    assert_eq!(decide(&s, buyer("US", "", "")), TaxDecision::none());
}

#[test]
fn configured_rates_replace_the_built_in_ones() {
    let s = TaxSettings {
        rates: parse_rates("DE=USt:16").unwrap(),
        ..spain()
    };
    let d = decide(&s, buyer("DE", "", ""));
    assert_eq!((d.name.as_str(), d.rate_bp), ("USt", 1600));
    let zero = TaxSettings {
        rates: parse_rates("ES=IVA:0").unwrap(),
        ..spain()
    };
    assert_eq!(decide(&zero, buyer("ES", "", "")).mode, TaxMode::None);
}

#[test]
fn exclusive_prices_add_the_tax_rounded_half_away_from_zero() {
    let t = totals(2500, 2100, false).unwrap();
    assert_eq!(
        (t.subtotal_cents, t.tax_cents, t.total_cents),
        (2500, 525, 3025)
    );
    // 12.50 × 21 % = 2.625 → 2.63 (banker's rounding would give 2.62).
    assert_eq!(totals(1250, 2100, false).unwrap().tax_cents, 263);
    // 0.10 × 5 % = 0.005 → 0.01; a refund line rounds symmetrically.
    assert_eq!(totals(10, 500, false).unwrap().tax_cents, 1);
    assert_eq!(totals(-1250, 2100, false).unwrap().tax_cents, -263);
    assert_eq!(totals(999, 0, false).unwrap().total_cents, 999);
}

#[test]
fn inclusive_prices_keep_the_total_and_split_out_the_tax() {
    let t = totals(1210, 2100, true).unwrap();
    assert_eq!(
        (t.subtotal_cents, t.tax_cents, t.total_cents),
        (1000, 210, 1210)
    );
    // 10.00 × 21 / 121 = 1.7355… → 1.74; net 8.26.
    let t = totals(1000, 2100, true).unwrap();
    assert_eq!(
        (t.subtotal_cents, t.tax_cents, t.total_cents),
        (826, 174, 1000)
    );
    assert_eq!(t.subtotal_cents + t.tax_cents, t.total_cents);
}

#[test]
fn totals_report_overflow_instead_of_panicking() {
    assert!(totals(i64::MAX, 2100, false).is_none());
}

#[test]
fn rates_parse_with_names_regions_and_two_decimals() {
    let r = parse_rates(" ES=IVA:21, es-CN = IGIC:7 ,CH=8.1").unwrap();
    assert_eq!(r.len(), 3);
    assert_eq!(
        (r[1].country.as_str(), r[1].region.as_str(), r[1].rate_bp),
        ("ES", "CN", 700)
    );
    assert_eq!((r[2].name.as_str(), r[2].rate_bp), ("VAT", 810));
    for bad in [
        "ESP=21",
        "ES",
        "ES=101",
        "ES=-1",
        "ES=8.875",
        "ES=x",
        "ES=21,ES=10",
    ] {
        assert!(parse_rates(bad).is_err(), "{bad} should be refused");
    }
    assert!(parse_rates("").unwrap().is_empty());
}

#[test]
fn vat_ids_are_checked_against_each_country_format() {
    assert!(is_valid_vat_id("ES", "ESB12345678"));
    assert!(is_valid_vat_id("ES", "es-x1234567-z"));
    assert!(is_valid_vat_id("AT", "ATU12345678"));
    assert!(is_valid_vat_id("NL", "NL123456789B01"));
    assert!(is_valid_vat_id("FR", "FRXX123456789"));
    assert!(is_valid_vat_id("IE", "IE1234567WA"));
    assert!(!is_valid_vat_id("AT", "AT12345678"));
    assert!(!is_valid_vat_id("DE", "DE1234567890"));
    assert!(!is_valid_vat_id("GR", "GR123456789"));
    assert!(!is_valid_vat_id("US", "US123456789"));
    assert!(!is_valid_vat_id("DE", ""));
}

#[test]
fn rates_read_as_people_write_them() {
    assert_eq!(format_rate(2100, true), "21 %");
    assert_eq!(format_rate(2550, true), "25,5 %");
    assert_eq!(format_rate(810, false), "8.1 %");
    assert_eq!(format_rate(5, false), "0.05 %");
}
