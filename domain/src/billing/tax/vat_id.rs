//! EU VAT numbers: the format each member state uses (not whether the number is registered —
//! that needs VIES, which staff can check; a wrong format is the common typo we catch here).

/// Pattern letters: `9` a digit, `A` a letter, `X` a letter or digit; anything else literal.
/// The country prefix is checked separately (Greece's is `EL`).
const FORMATS: &[(&str, &[&str])] = &[
    ("AT", &["U99999999"]),
    ("BE", &["0999999999", "1999999999"]),
    ("BG", &["999999999", "9999999999"]),
    ("CY", &["99999999A"]),
    ("CZ", &["99999999", "999999999", "9999999999"]),
    ("DE", &["999999999"]),
    ("DK", &["99999999"]),
    ("EE", &["999999999"]),
    ("GR", &["999999999"]),
    ("ES", &["X9999999X"]),
    ("FI", &["99999999"]),
    ("FR", &["XX999999999"]),
    ("HR", &["99999999999"]),
    ("HU", &["99999999"]),
    ("IE", &["9999999A", "9999999AA", "9A99999A"]),
    ("IT", &["99999999999"]),
    ("LT", &["999999999", "999999999999"]),
    ("LU", &["99999999"]),
    ("LV", &["99999999999"]),
    ("MT", &["99999999"]),
    ("NL", &["999999999B99"]),
    ("PL", &["9999999999"]),
    ("PT", &["999999999"]),
    (
        "RO",
        &[
            "99",
            "999",
            "9999",
            "99999",
            "999999",
            "9999999",
            "99999999",
            "999999999",
            "9999999999",
        ],
    ),
    ("SE", &["999999999999"]),
    ("SI", &["99999999"]),
    ("SK", &["9999999999"]),
];

/// Upper case, without spaces, dots and dashes: "es b-1234567.8" → "ESB12345678".
pub fn normalise_vat_id(raw: &str) -> String {
    raw.chars()
        .filter(|c| !matches!(c, ' ' | '.' | '-' | '\u{a0}'))
        .flat_map(char::to_uppercase)
        .collect()
}

fn matches(pattern: &str, value: &str) -> bool {
    pattern.len() == value.len()
        && pattern.chars().zip(value.chars()).all(|(p, c)| match p {
            '9' => c.is_ascii_digit(),
            'A' => c.is_ascii_uppercase(),
            'X' => c.is_ascii_uppercase() || c.is_ascii_digit(),
            lit => lit == c,
        })
}

/// Whether `vat_id` is a well-formed VAT number of the EU member state `country`.
pub fn is_valid_vat_id(country: &str, vat_id: &str) -> bool {
    let id = normalise_vat_id(vat_id);
    let prefix = if country == "GR" { "EL" } else { country };
    let Some(rest) = id.strip_prefix(prefix) else {
        return false;
    };
    FORMATS
        .iter()
        .find(|(c, _)| *c == country)
        .is_some_and(|(_, forms)| forms.iter().any(|f| matches(f, rest)))
}
