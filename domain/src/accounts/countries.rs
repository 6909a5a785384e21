//! Countries a client can choose for their invoice details (ISO 3166-1 alpha-2), with their
//! names in English and Spanish, and the EU VAT number formats.

/// (code, English, Spanish), in English alphabetical order.
pub const COUNTRIES: &[(&str, &str, &str)] = &[
    ("AD", "Andorra", "Andorra"),
    ("AR", "Argentina", "Argentina"),
    ("AU", "Australia", "Australia"),
    ("AT", "Austria", "Austria"),
    ("BE", "Belgium", "Bélgica"),
    ("BO", "Bolivia", "Bolivia"),
    ("BR", "Brazil", "Brasil"),
    ("BG", "Bulgaria", "Bulgaria"),
    ("CA", "Canada", "Canadá"),
    ("CL", "Chile", "Chile"),
    ("CO", "Colombia", "Colombia"),
    ("CR", "Costa Rica", "Costa Rica"),
    ("HR", "Croatia", "Croacia"),
    ("CU", "Cuba", "Cuba"),
    ("CY", "Cyprus", "Chipre"),
    ("CZ", "Czechia", "Chequia"),
    ("DK", "Denmark", "Dinamarca"),
    ("DO", "Dominican Republic", "República Dominicana"),
    ("EC", "Ecuador", "Ecuador"),
    ("SV", "El Salvador", "El Salvador"),
    ("EE", "Estonia", "Estonia"),
    ("FI", "Finland", "Finlandia"),
    ("FR", "France", "Francia"),
    ("DE", "Germany", "Alemania"),
    ("GR", "Greece", "Grecia"),
    ("GT", "Guatemala", "Guatemala"),
    ("HN", "Honduras", "Honduras"),
    ("HU", "Hungary", "Hungría"),
    ("IE", "Ireland", "Irlanda"),
    ("IT", "Italy", "Italia"),
    ("LV", "Latvia", "Letonia"),
    ("LT", "Lithuania", "Lituania"),
    ("LU", "Luxembourg", "Luxemburgo"),
    ("MT", "Malta", "Malta"),
    ("MX", "Mexico", "México"),
    ("MA", "Morocco", "Marruecos"),
    ("NL", "Netherlands", "Países Bajos"),
    ("NI", "Nicaragua", "Nicaragua"),
    ("NO", "Norway", "Noruega"),
    ("PA", "Panama", "Panamá"),
    ("PY", "Paraguay", "Paraguay"),
    ("PE", "Peru", "Perú"),
    ("PL", "Poland", "Polonia"),
    ("PT", "Portugal", "Portugal"),
    ("PR", "Puerto Rico", "Puerto Rico"),
    ("RO", "Romania", "Rumanía"),
    ("SK", "Slovakia", "Eslovaquia"),
    ("SI", "Slovenia", "Eslovenia"),
    ("ES", "Spain", "España"),
    ("SE", "Sweden", "Suecia"),
    ("CH", "Switzerland", "Suiza"),
    ("GB", "United Kingdom", "Reino Unido"),
    ("US", "United States", "Estados Unidos"),
    ("UY", "Uruguay", "Uruguay"),
    ("VE", "Venezuela", "Venezuela"),
];

pub fn is_known(code: &str) -> bool {
    COUNTRIES.iter().any(|(c, ..)| *c == code)
}

/// The VAT prefix and number shapes of an EU country: `d` a digit, `a` a letter, `x` either,
/// anything else itself. From the European Commission's VIES format list.
pub fn eu_vat_formats(country: &str) -> Option<(&'static str, &'static [&'static str])> {
    Some(match country {
        "AT" => ("AT", &["Udddddddd"]),
        "BE" => ("BE", &["0ddddddddd", "1ddddddddd"]),
        "BG" => ("BG", &["ddddddddd", "dddddddddd"]),
        "CY" => ("CY", &["dddddddda"]),
        "CZ" => ("CZ", &["dddddddd", "ddddddddd", "dddddddddd"]),
        "DE" => ("DE", &["ddddddddd"]),
        "DK" => ("DK", &["dddddddd"]),
        "EE" => ("EE", &["ddddddddd"]),
        "GR" => ("EL", &["ddddddddd"]),
        "ES" => ("ES", &["adddddddx", "dddddddda"]),
        "FI" => ("FI", &["dddddddd"]),
        "FR" => ("FR", &["xxddddddddd"]),
        "HR" => ("HR", &["ddddddddddd"]),
        "HU" => ("HU", &["dddddddd"]),
        "IE" => ("IE", &["ddddddda", "dddddddaa", "dxddddda"]),
        "IT" => ("IT", &["ddddddddddd"]),
        "LT" => ("LT", &["ddddddddd", "dddddddddddd"]),
        "LU" => ("LU", &["dddddddd"]),
        "LV" => ("LV", &["ddddddddddd"]),
        "MT" => ("MT", &["dddddddd"]),
        "NL" => ("NL", &["dddddddddBdd"]),
        "PL" => ("PL", &["dddddddddd"]),
        "PT" => ("PT", &["ddddddddd"]),
        "RO" => (
            "RO",
            &[
                "dd",
                "ddd",
                "dddd",
                "ddddd",
                "dddddd",
                "ddddddd",
                "dddddddd",
                "ddddddddd",
                "dddddddddd",
            ],
        ),
        "SE" => ("SE", &["dddddddddd01"]),
        "SI" => ("SI", &["dddddddd"]),
        "SK" => ("SK", &["dddddddddd"]),
        _ => return None,
    })
}

pub(super) fn matches_shape(value: &str, shape: &str) -> bool {
    value.chars().count() == shape.chars().count()
        && value.chars().zip(shape.chars()).all(|(v, s)| match s {
            'd' => v.is_ascii_digit(),
            'a' => v.is_ascii_uppercase(),
            'x' => v.is_ascii_digit() || v.is_ascii_uppercase(),
            other => v == other,
        })
}
