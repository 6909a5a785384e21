//! The few things done directly on the page in the browser (hydrate only).
use wasm_bindgen::JsCast;

fn html() -> Option<web_sys::Element> {
    web_sys::window()?.document()?.document_element()
}

pub fn document_lang() -> Option<String> {
    html().map(|h| h.get_attribute("lang").unwrap_or_default())
}

pub fn set_document_lang(code: &str) {
    if let Some(h) = html() {
        let _ = h.set_attribute("lang", code);
    }
}

pub fn document_theme() -> Option<String> {
    html()?.get_attribute("data-theme")
}

/// Applies the theme now and remembers it in a cookie, so the server renders it next time.
pub fn apply_theme(theme: &str) {
    if let Some(h) = html() {
        let _ = h.set_attribute("data-theme", theme);
    }
    let doc = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.dyn_into::<web_sys::HtmlDocument>().ok());
    if let Some(doc) = doc {
        let _ = doc.set_cookie(&format!(
            "portico_theme={theme}; Path=/; Max-Age=31536000; SameSite=Lax"
        ));
    }
}

/// Whether the system asks for a dark theme.
pub fn prefers_dark() -> bool {
    web_sys::window()
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
        .is_some_and(|m| m.matches())
}

/// A `data-*` attribute of `<body>`, written by the server.
pub fn body_data(name: &str) -> Option<String> {
    web_sys::window()?
        .document()?
        .body()?
        .get_attribute(&format!("data-{name}"))
}
