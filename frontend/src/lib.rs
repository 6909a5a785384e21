//! The browser half: hydrates the server-rendered page into the Leptos app.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    // A panic goes to the console and is kept on the page (`data-panic`), where a browser test
    // that waits for hydration in vain can read it even if it missed the console message.
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        if let Some(html) = leptos::prelude::document().document_element() {
            let _ = html.set_attribute("data-panic", &info.to_string());
        }
    }));
    leptos::mount::hydrate_body(app::App);
    // Lets browser tests (and CSS) tell a hydrated page from server-rendered HTML.
    if let Some(html) = leptos::prelude::document().document_element() {
        let _ = html.set_attribute("data-hydrated", "true");
    }
}
