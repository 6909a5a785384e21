//! Helvetica metrics and WinAnsi encoding: what the standard fonts can show and how wide it is.

/// Helvetica advance widths (AFM, 1/1000 em) for WinAnsi bytes 32..=126.
#[rustfmt::skip]
const HELVETICA: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
];

/// Helvetica-Bold advance widths (AFM, 1/1000 em) for WinAnsi bytes 32..=126.
#[rustfmt::skip]
const HELVETICA_BOLD: [u16; 95] = [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611,
    975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556,
    333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611,
    611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584,
];

/// For WinAnsi 0xC0..=0xFF, the ASCII letter whose width the accented letter
/// shares in Helvetica ('?' where there is none: the default width is used).
const ACCENT_BASE: [u8; 64] = *b"AAAAAA?CEEEEIIIIDNOOOOO?OUUUUY??aaaaaa?ceeeeiiii?nooooo?ouuuuy?y";

/// The default width for glyphs not in the tables.
const DEFAULT_WIDTH: u16 = 556;

/// Windows-1252 punctuation outside Latin-1 that invoices use.
#[rustfmt::skip]
const PUNCTUATION: [(char, u8); 9] = [
    ('€', 0x80),
    ('…', 0x85),
    ('‘', 0x91),
    ('’', 0x92),
    ('“', 0x93),
    ('”', 0x94),
    ('•', 0x95),
    ('–', 0x96),
    ('—', 0x97),
];

/// The Windows-1252 byte for `c`: what the standard fonts can show.
fn encode_char(c: char) -> u8 {
    match c {
        ' '..='~' | '\u{a1}'..='\u{ff}' => c as u8,
        // No-break and narrow spaces (as locale formatting puts in "25,00 €") print as a space.
        c if c.is_whitespace() => b' ',
        _ => (PUNCTUATION.iter().find(|(p, _)| *p == c)).map_or(b'?', |&(_, b)| b),
    }
}

pub(super) fn encode(text: &str) -> Vec<u8> {
    text.chars().map(encode_char).collect()
}

/// Advance width of one WinAnsi byte, in 1/1000 em.
pub(super) fn byte_width(b: u8, bold: bool) -> u16 {
    let table = if bold { &HELVETICA_BOLD } else { &HELVETICA };
    match b {
        32..=126 => table[usize::from(b - 32)],
        0x80 | 0x96 => 556,
        0x85 | 0x97 => 1000,
        0x91 | 0x92 => [222, 278][usize::from(bold)],
        0x93 | 0x94 => [333, 500][usize::from(bold)],
        0x95 => 350,
        0xA1 => 333,
        0xBF => 611,
        // ì í î ï are wider than the dotted i in the regular face.
        0xEC..=0xEF if !bold => 278,
        0xC0..=0xFF => match ACCENT_BASE[usize::from(b - 0xC0)] {
            b'?' => DEFAULT_WIDTH,
            base => table[usize::from(base - 32)],
        },
        _ => DEFAULT_WIDTH,
    }
}

/// Width of `text` as printed, in 1/1000 em.
pub(super) fn text_width(text: &str, bold: bool) -> u32 {
    text.chars()
        .map(|c| u32::from(byte_width(encode_char(c), bold)))
        .sum()
}

/// Width of `text` in points at `size`.
pub(super) fn width_pt(text: &str, bold: bool, size: f32) -> f32 {
    text_width(text, bold) as f32 * size / 1000.0
}

/// Spaces a line may break at: not the no-break ones, so an amount stays whole.
fn is_break(c: char) -> bool {
    c.is_whitespace() && !matches!(c, '\u{a0}' | '\u{2007}' | '\u{202f}')
}

/// Greedy wrap of `text` into lines no wider than `width` points at `size`,
/// at word boundaries; a word wider than a line is cut where it overflows.
/// Always at least one (possibly empty) line, so an empty text still takes a row.
pub(super) fn wrap(text: &str, bold: bool, size: f32, width: f32) -> Vec<String> {
    let max = (width * 1000.0 / size) as u32;
    let space = text_width(" ", bold);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut line_w = 0;
    for word in text.split(is_break).filter(|w| !w.is_empty()) {
        let word_w = text_width(word, bold);
        if !line.is_empty() && line_w + space + word_w <= max {
            line.push(' ');
            line.push_str(word);
            line_w += space + word_w;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        line_w = 0;
        for c in word.chars() {
            let char_w = u32::from(byte_width(encode_char(c), bold));
            // At least one character per line, or a glyph wider than the line would loop.
            if !line.is_empty() && line_w + char_w > max {
                lines.push(std::mem::take(&mut line));
                line_w = 0;
            }
            line.push(c);
            line_w += char_w;
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}
