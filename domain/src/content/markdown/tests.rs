use super::*;

/// Asserts that `html` has no link or image pointing to a script-capable scheme.
fn assert_no_dangerous_urls(html: &str) {
    let lower = html.to_ascii_lowercase();
    for bad in ["javascript:", "vbscript:", "data:", "script:"] {
        assert!(!lower.contains(bad), "{bad} in {html}");
    }
}

// ---- rendering ----------------------------------------------------------------------

#[test]
fn renders_headings() {
    assert_eq!(render("# Title"), "<h1>Title</h1>\n");
    assert_eq!(render("## Sub"), "<h2>Sub</h2>\n");
}

#[test]
fn renders_lists() {
    assert_eq!(
        render("- one\n- two"),
        "<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n"
    );
    assert_eq!(
        render("1. first\n2. second"),
        "<ol>\n<li>first</li>\n<li>second</li>\n</ol>\n"
    );
}

#[test]
fn renders_tables() {
    let html = render("| Plan | Price |\n|------|------:|\n| Basic | 5.00 |");
    assert!(html.starts_with("<table>"), "{html}");
    assert!(html.contains("<th>Plan</th>"), "{html}");
    assert!(
        html.contains("<th style=\"text-align: right\">Price</th>"),
        "{html}"
    );
    assert!(html.contains("<td>Basic</td>"), "{html}");
    assert!(
        html.contains("<td style=\"text-align: right\">5.00</td>"),
        "{html}"
    );
}

#[test]
fn renders_emphasis_strong_strikethrough_and_code() {
    assert_eq!(
        render("*a* **b** ~~c~~ `d`"),
        "<p><em>a</em> <strong>b</strong> <del>c</del> <code>d</code></p>\n"
    );
}

#[test]
fn escapes_special_characters_in_text_and_code() {
    assert_eq!(
        render("a < b & `<b>`"),
        "<p>a &lt; b &amp; <code>&lt;b&gt;</code></p>\n"
    );
    let html = render("```\n<script>x</script>\n```");
    assert_eq!(
        html,
        "<pre><code>&lt;script&gt;x&lt;/script&gt;\n</code></pre>\n"
    );
}

// ---- raw HTML -----------------------------------------------------------------------

#[test]
fn script_block_is_shown_escaped() {
    let html = render("<script>alert(1)</script>");
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{html}"
    );
    assert!(!html.contains("<script"), "{html}");
    assert!(html.starts_with("<p>"), "wrapped in a paragraph: {html}");
}

#[test]
fn inline_html_is_shown_escaped() {
    let html = render("Hello <img src=x onerror=alert(1)> world");
    assert_eq!(
        html,
        "<p>Hello &lt;img src=x onerror=alert(1)&gt; world</p>\n"
    );
    assert!(!html.contains("<img"), "{html}");
}

#[test]
fn html_blocks_comments_and_attributes_are_not_interpreted() {
    for source in [
        "<div onclick=\"alert(1)\">\nhi\n</div>",
        "<!-- hidden -->",
        "<iframe src=\"https://evil.example\"></iframe>",
        "<style>body { display: none }</style>",
        "text <a href=\"javascript:alert(1)\">x</a> text",
    ] {
        let html = render(source);
        for tag in ["<div", "<!--", "<iframe", "<style", "<a "] {
            assert!(!html.contains(tag), "{tag} in {html}");
        }
    }
}

#[test]
fn html_inside_a_list_item_is_escaped() {
    let html = render("- <b onmouseover=alert(1)>x</b>");
    assert!(
        html.contains("&lt;b onmouseover=alert(1)&gt;x&lt;/b&gt;"),
        "{html}"
    );
    assert!(!html.contains("<b "), "{html}");
}

// ---- links --------------------------------------------------------------------------

#[test]
fn javascript_links_are_neutralised() {
    for source in [
        "[x](javascript:alert(1))",
        "[x](JAVASCRIPT:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        // Pulldown decodes entities in destinations; browsers strip tab/newline.
        "[x](java&#10;script:alert(1))",
        "[x](java&#9;script:alert(1))",
        "[x](java&#13;script:alert(1))",
        "[x](javascript&colon;alert(1))",
        // Leading whitespace and control characters are ignored by browsers.
        "[x](< javascript:alert(1)>)",
        "[x](&#32;javascript:alert(1))",
        "[x](&#1;javascript:alert(1))",
        "[x](vbscript:msgbox(1))",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        r"[x](<data:text/html,\<script\>alert(1)\</script\>>)",
    ] {
        let html = render(source);
        assert_eq!(html, "<p><a href=\"#\">x</a></p>\n", "{source}");
    }
}

#[test]
fn link_spread_over_lines_is_not_a_link() {
    // A raw newline cannot appear in a destination, so this is text, not a link.
    let html = render("[x](java\nscript:alert(1))");
    assert!(!html.contains("<a"), "{html}");
}

#[test]
fn reference_links_are_checked_too() {
    let html = render("[x][evil]\n\n[evil]: javascript:alert(1)");
    assert_eq!(html, "<p><a href=\"#\">x</a></p>\n");
    let html = render("[x][ok]\n\n[ok]: https://example.com \"Title\"");
    assert_eq!(
        html,
        "<p><a href=\"https://example.com\" title=\"Title\">x</a></p>\n"
    );
}

#[test]
fn safe_links_are_kept() {
    for (source, href) in [
        ("[x](http://example.com)", "http://example.com"),
        (
            "[x](https://example.com/a?b=c#d)",
            "https://example.com/a?b=c#d",
        ),
        ("[x](HTTPS://example.com)", "HTTPS://example.com"),
        ("[x](mailto:help@example.com)", "mailto:help@example.com"),
        ("[x](/kb/x)", "/kb/x"),
        ("[x](#anchor)", "#anchor"),
        ("[x](page)", "page"),
        ("[x](../up/page?q=a:b)", "../up/page?q=a:b"),
        ("[x](//cdn.example.com/a)", "//cdn.example.com/a"),
    ] {
        assert_eq!(
            render(source),
            format!("<p><a href=\"{href}\">x</a></p>\n"),
            "{source}"
        );
    }
}

#[test]
fn autolinks_are_kept() {
    assert_eq!(
        render("<https://example.com>"),
        "<p><a href=\"https://example.com\">https://example.com</a></p>\n"
    );
    assert_eq!(
        render("<help@example.com>"),
        "<p><a href=\"mailto:help@example.com\">help@example.com</a></p>\n"
    );
}

#[test]
fn link_titles_are_escaped() {
    assert_eq!(
        render("[x](https://example.com \"a \\\"quoted\\\" <title>\")"),
        "<p><a href=\"https://example.com\" title=\"a &quot;quoted&quot; &lt;title&gt;\">x</a></p>\n"
    );
}

// ---- images -------------------------------------------------------------------------

#[test]
fn http_and_relative_images_are_kept() {
    assert_eq!(
        render("![Logo](https://example.com/logo.png \"Our logo\")"),
        "<p><img src=\"https://example.com/logo.png\" alt=\"Logo\" title=\"Our logo\" /></p>\n"
    );
    assert_eq!(
        render("![a](http://example.com/a.png)"),
        "<p><img src=\"http://example.com/a.png\" alt=\"a\" /></p>\n"
    );
    assert_eq!(
        render("![a](/img/a.png)"),
        "<p><img src=\"/img/a.png\" alt=\"a\" /></p>\n"
    );
}

#[test]
fn data_and_script_images_drop_to_alt_text() {
    for source in [
        "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
        r"![x](<data:image/svg+xml,\<svg onload=alert(1)\>>)",
        "![x](javascript:alert(1))",
        "![x](mailto:a@example.com)",
        "![x](java&#10;script:alert(1))",
    ] {
        let html = render(source);
        assert_eq!(html, "<p>x</p>\n", "{source}");
        assert_no_dangerous_urls(&html);
    }
}

#[test]
fn dropped_image_keeps_formatted_alt_text() {
    assert_eq!(
        render("![*bold* claim](data:image/png;base64,AAAA)"),
        "<p><em>bold</em> claim</p>\n"
    );
}

#[test]
fn nested_images_are_each_checked() {
    // A safe image inside the alt text of an unsafe one, and the reverse.
    let html = render("![a ![b](https://example.com/b.png)](data:x)");
    assert_no_dangerous_urls(&html);
    assert!(
        html.contains("<img src=\"https://example.com/b.png\""),
        "{html}"
    );
    let html = render("![a ![b](data:x) c](https://example.com/a.png)");
    assert_no_dangerous_urls(&html);
    assert_eq!(
        html,
        "<p><img src=\"https://example.com/a.png\" alt=\"a b c\" /></p>\n"
    );
}

#[test]
fn image_inside_a_link_is_checked_separately() {
    let html = render("[![x](data:x)](https://example.com)");
    assert_eq!(html, "<p><a href=\"https://example.com\">x</a></p>\n");
}

// ---- scheme detection ---------------------------------------------------------------

#[test]
fn scheme_detection() {
    assert_eq!(scheme("https://x"), Some("https"));
    assert_eq!(scheme("mailto:a@b"), Some("mailto"));
    assert_eq!(scheme("/a:b"), None);
    assert_eq!(scheme("a/b:c"), None);
    assert_eq!(scheme("?q=a:b"), None);
    assert_eq!(scheme("#x:y"), None);
    assert_eq!(scheme("page"), None);
    assert_eq!(scheme(""), None);
    assert_eq!(scheme(":x"), Some(""));
}

#[test]
fn allowed_scheme_normalisation() {
    assert!(has_allowed_scheme("https://example.com", LINK_SCHEMES));
    assert!(has_allowed_scheme("  https://example.com", LINK_SCHEMES));
    assert!(has_allowed_scheme("ht\ttps://example.com", IMAGE_SCHEMES));
    assert!(has_allowed_scheme("relative/path", IMAGE_SCHEMES));
    assert!(has_allowed_scheme("", LINK_SCHEMES));
    assert!(!has_allowed_scheme("java\tscript:x", LINK_SCHEMES));
    assert!(!has_allowed_scheme("java\r\nscript:x", LINK_SCHEMES));
    assert!(!has_allowed_scheme(
        "\u{0}\u{1f} javascript:x",
        LINK_SCHEMES
    ));
    assert!(!has_allowed_scheme("mailto:a@b", IMAGE_SCHEMES));
    assert!(!has_allowed_scheme("file:///etc/passwd", LINK_SCHEMES));
    // Unusual prefixes are rejected rather than guessed at.
    assert!(!has_allowed_scheme(":x", LINK_SCHEMES));
    assert!(!has_allowed_scheme("\u{a0}javascript:x", LINK_SCHEMES));
}

// ---- plain_text ---------------------------------------------------------------------

#[test]
fn plain_text_joins_blocks_with_spaces() {
    assert_eq!(
        plain_text("# Title\n\nFirst  para.\nSecond line.\n\n- one\n- two", 100),
        "Title First para. Second line. one two"
    );
}

#[test]
fn plain_text_separates_nested_blocks_and_table_cells() {
    assert_eq!(plain_text("- a\n  - b\n> c", 100), "a b c");
    assert_eq!(
        plain_text("| Plan | Price |\n|---|---|\n| Basic | 5.00 |", 100),
        "Plan Price Basic 5.00"
    );
}

#[test]
fn plain_text_keeps_code_and_drops_markup() {
    assert_eq!(
        plain_text(
            "Run `cargo test` *now*, see [docs](https://example.com).\n\n```\nfn main() {}\n```",
            100
        ),
        "Run cargo test now, see docs. fn main() {}"
    );
}

#[test]
fn plain_text_does_not_split_words_at_inline_markup() {
    assert_eq!(
        plain_text("**fact**uración ~~pen~~ding", 100),
        "facturación pending"
    );
}

#[test]
fn plain_text_drops_raw_html_and_keeps_alt_text() {
    assert_eq!(
        plain_text(
            "a <b>bold</b> c\n\n<script>alert(1)</script>\n\n![logo](x.png)",
            100
        ),
        "a bold c logo"
    );
}

#[test]
fn plain_text_short_input_is_not_cut() {
    assert_eq!(plain_text("hello world", 11), "hello world");
    assert_eq!(plain_text("hello world", 50), "hello world");
    assert_eq!(plain_text("", 10), "");
    assert_eq!(plain_text("  \n\n  ", 10), "");
}

#[test]
fn plain_text_cuts_and_appends_ellipsis() {
    assert_eq!(plain_text("hello world", 5), "hello…");
    assert_eq!(plain_text("hello world", 8), "hello wo…");
    assert_eq!(plain_text("hello world", 10), "hello worl…");
}

#[test]
fn plain_text_trims_whitespace_before_ellipsis() {
    assert_eq!(plain_text("hello world", 6), "hello…");
}

#[test]
fn plain_text_does_not_split_multibyte_characters() {
    // "facturación" is 11 characters but 12 bytes; "ó" is the 10th character.
    assert_eq!(plain_text("facturación", 11), "facturación");
    assert_eq!(plain_text("facturación", 10), "facturació…");
    assert_eq!(plain_text("facturación", 9), "facturaci…");
    assert_eq!(plain_text("Añadir 🚀 ñandú", 8), "Añadir 🚀…");
}

#[test]
fn plain_text_zero_length() {
    assert_eq!(plain_text("anything", 0), "…");
}
