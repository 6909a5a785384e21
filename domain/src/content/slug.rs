//! URL slugs from titles: lowercase ASCII letters and digits joined by single hyphens.

/// The longest slug made from a title; leaves room in the 120-character column for "-NNN".
const MAX_SLUG: usize = 80;

/// Slug used when a news title has no letter or digit that folds to ASCII.
pub const FALLBACK_SLUG: &str = "news";

/// The ASCII letters a Latin letter with a diacritic reads as ("ñ" → "n", "ß" → "ss").
/// Letters outside this table (other scripts) are separators, like punctuation.
fn fold(c: char) -> Option<&'static str> {
    Some(match c {
        'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' | 'ā' | 'ą' => "a",
        'ç' | 'ć' | 'č' => "c",
        'ď' | 'đ' => "d",
        'é' | 'è' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => "e",
        'ğ' => "g",
        'í' | 'ì' | 'î' | 'ï' | 'ī' | 'į' | 'ı' => "i",
        'ł' | 'ľ' => "l",
        'ñ' | 'ń' | 'ň' => "n",
        'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'ø' | 'ō' | 'ő' => "o",
        'ř' => "r",
        'ś' | 'š' | 'ş' => "s",
        'ť' | 'ţ' => "t",
        'ú' | 'ù' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' | 'ų' => "u",
        'ý' | 'ÿ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        'ß' => "ss",
        'æ' => "ae",
        'œ' => "oe",
        'þ' => "th",
        'ð' => "d",
        _ => return None,
    })
}

/// "Facturación: ¡nuevas formas de pago!" → "facturacion-nuevas-formas-de-pago".
pub fn slugify(title: &str) -> String {
    slugify_or(title, FALLBACK_SLUG)
}

/// `base`, or `base-2`, `base-3`, …: the first not in `taken`.
pub fn first_free(base: &str, taken: &std::collections::HashSet<String>) -> String {
    let mut candidate = base.to_owned();
    let mut n = 2;
    while taken.contains(&candidate) {
        candidate = format!("{base}-{n}");
        n += 1;
    }
    candidate
}

/// Like [`slugify`], with the slug to use when nothing of the title folds to ASCII.
pub fn slugify_or(title: &str, fallback: &str) -> String {
    let mut slug = String::with_capacity(title.len());
    let mut pending_hyphen = false;
    for c in title.chars().flat_map(char::to_lowercase) {
        let mut buf = [0u8; 4];
        let piece = if c.is_ascii_alphanumeric() {
            &*c.encode_utf8(&mut buf)
        } else if let Some(s) = fold(c) {
            s
        } else if ('\u{300}'..='\u{36f}').contains(&c) {
            // A combining accent of a decomposed letter ("e" + "\u{301}"): belongs to the letter.
            continue;
        } else {
            pending_hyphen = true;
            continue;
        };
        if pending_hyphen && !slug.is_empty() {
            slug.push('-');
        }
        pending_hyphen = false;
        slug.push_str(piece);
        if slug.len() >= MAX_SLUG {
            break;
        }
    }
    slug.truncate(MAX_SLUG);
    let slug = slug.trim_end_matches('-');
    if slug.is_empty() {
        fallback.to_owned()
    } else {
        slug.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_accents_and_collapses_separators() {
        assert_eq!(slugify("Facturación"), "facturacion");
        assert_eq!(
            slugify("  ¡Nuevas   formas de pago!  "),
            "nuevas-formas-de-pago"
        );
        assert_eq!(slugify("PHP 8.4 — ya está aquí"), "php-8-4-ya-esta-aqui");
        assert_eq!(slugify("Ñandú & Straße"), "nandu-strasse");
        assert_eq!(slugify("ÉLAN / Œuvre"), "elan-oeuvre");
        assert_eq!(
            slugify("Facturacio\u{301}n"),
            "facturacion",
            "decomposed accent"
        );
    }

    #[test]
    fn a_title_without_latin_letters_gets_a_fallback() {
        assert_eq!(slugify("¡¡¡!!!"), FALLBACK_SLUG);
        assert_eq!(slugify("新闻"), FALLBACK_SLUG);
        assert_eq!(slugify("新闻 2026"), "2026");
    }

    #[test]
    fn the_first_free_slug_gets_a_number() {
        let taken = ["a".to_string(), "a-2".to_string()].into_iter().collect();
        assert_eq!(first_free("a", &taken), "a-3");
        assert_eq!(first_free("b", &taken), "b");
        assert_eq!(slugify_or("¡!", "article"), "article");
    }

    #[test]
    fn long_titles_are_cut_without_a_trailing_hyphen() {
        let slug = slugify(&"word ".repeat(100));
        assert!(slug.len() <= MAX_SLUG, "{slug}");
        assert!(!slug.ends_with('-') && !slug.starts_with('-'));
        assert!(slug.is_ascii());
    }
}
