//! Markdown for news and knowledge-base articles.
//!
//! Articles are written by staff but shown to every visitor, so a compromised or careless
//! staff account must not be able to inject script into the client area. Rather than
//! sanitising HTML after rendering, the parser's event stream is filtered before it is
//! rendered: raw HTML never reaches the output as markup, and link/image destinations are
//! restricted to harmless schemes. Everything else is escaped by `pulldown_cmark` itself.

use pulldown_cmark::{html, CowStr, Event, Options, Parser, Tag, TagEnd};

/// Schemes a link may point to. Anything else (`javascript:`, `data:`, `vbscript:`, …)
/// could run code or smuggle content when clicked.
const LINK_SCHEMES: &[&str] = &["http", "https", "mailto"];

/// Schemes an image may load from. Narrower than links: `data:` images can carry SVG
/// with script, and a `mailto:` image makes no sense.
const IMAGE_SCHEMES: &[&str] = &["http", "https"];

/// Destination used for links whose target was rejected: keeps the link text clickable
/// but harmless, so the article still reads naturally.
const NEUTRAL_HREF: &str = "#";

/// CommonMark plus the two GitHub extensions staff actually use in articles.
fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
}

/// Renders an article to HTML that is safe to embed in any page.
///
/// - Raw HTML (blocks and inline) is shown as escaped text instead of being interpreted.
/// - Links to schemes other than http, https and mailto point to `#` instead.
/// - Images other than http(s) or relative ones are replaced by their alt text.
pub fn render(markdown: &str) -> String {
    let mut images_kept = Vec::new();
    let events = Parser::new_ext(markdown, options())
        .filter_map(move |event| sanitize(event, &mut images_kept));
    // HTML is usually a little longer than its Markdown source.
    let mut out = String::with_capacity(markdown.len() + markdown.len() / 2);
    html::push_html(&mut out, events);
    out
}

/// Applies the safety rules to one event; `None` drops it.
///
/// `images_kept` has one entry per open image, recording whether its start was kept, so
/// that the matching end is kept or dropped with it (images can nest inside alt text).
fn sanitize<'a>(event: Event<'a>, images_kept: &mut Vec<bool>) -> Option<Event<'a>> {
    match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Some(Event::Text(raw)),
        // An HTML block's content is now text; give it a paragraph so the output stays
        // well-formed instead of bare text between blocks.
        Event::Start(Tag::HtmlBlock) => Some(Event::Start(Tag::Paragraph)),
        Event::End(TagEnd::HtmlBlock) => Some(Event::End(TagEnd::Paragraph)),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let dest_url = if has_allowed_scheme(&dest_url, LINK_SCHEMES) {
                dest_url
            } else {
                CowStr::Borrowed(NEUTRAL_HREF)
            };
            Some(Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }))
        }
        Event::Start(Tag::Image { ref dest_url, .. }) => {
            let keep = has_allowed_scheme(dest_url, IMAGE_SCHEMES);
            images_kept.push(keep);
            // Dropping only the start and end leaves the alt text events, which then
            // render as ordinary inline text.
            keep.then_some(event)
        }
        Event::End(TagEnd::Image) => {
            let keep = images_kept.pop().unwrap_or(false);
            keep.then_some(event)
        }
        other => Some(other),
    }
}

/// Whether `dest` is relative or uses one of `allowed` (case-insensitive).
///
/// Browsers strip leading C0 controls and spaces and delete tabs and newlines anywhere in
/// a URL before looking at its scheme, so `" java\tscript:"` runs as `javascript:`; the
/// same normalisation is applied here before checking. A `:` before any `/`, `?` or `#`
/// marks a scheme; anything that is not a plainly allowed scheme is rejected, which errs
/// towards rejecting odd-looking relative paths rather than accepting a disguised scheme.
fn has_allowed_scheme(dest: &str, allowed: &[&str]) -> bool {
    let normalized: String = dest
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    match scheme(&normalized) {
        None => true,
        Some(scheme) => allowed.iter().any(|a| a.eq_ignore_ascii_case(scheme)),
    }
}

/// The part of `url` before a `:` that comes before any path, query or fragment.
fn scheme(url: &str) -> Option<&str> {
    let end = url.find([':', '/', '?', '#'])?;
    url[end..].starts_with(':').then(|| &url[..end])
}

/// A plain-text excerpt of an article for lists, feeds and search snippets.
///
/// Keeps the words a reader sees (text and inline/block code, image alt text) and drops
/// markup and raw HTML. Blocks are separated by a space so that headings, paragraphs, list
/// items and table cells do not run together; all whitespace is collapsed to single
/// spaces. If the result is longer than `max_chars` characters it is cut there (never
/// inside a UTF-8 character), trailing whitespace is trimmed and "…" is appended, so the
/// excerpt is at most `max_chars + 1` characters.
pub fn plain_text(markdown: &str, max_chars: usize) -> String {
    let mut text = String::with_capacity(markdown.len());
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak | Event::Rule => text.push(' '),
            // Both ends, because a nested block can start before its parent ends
            // ("- a\n  - b" has no end between "a" and "b").
            Event::Start(tag) if !is_inline(tag.to_end()) => text.push(' '),
            Event::End(tag) if !is_inline(tag) => text.push(' '),
            _ => {}
        }
    }
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    truncate_chars(collapsed, max_chars)
}

/// Inline tags must not add spaces: `**fact**uración` is one word.
fn is_inline(tag: TagEnd) -> bool {
    matches!(
        tag,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image
    )
}

/// Cuts `text` to `max_chars` characters plus "…" if it is longer.
fn truncate_chars(mut text: String, max_chars: usize) -> String {
    if let Some((cut, _)) = text.char_indices().nth(max_chars) {
        let kept = text[..cut].trim_end().len();
        text.truncate(kept);
        text.push('…');
    }
    text
}

#[cfg(test)]
mod tests;
