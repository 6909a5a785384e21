//! Light and dark themes: the system's choice unless the user picked one (remembered in a cookie).

/// `Some("light" | "dark")` when the user chose, `None` to follow the system.
pub fn chosen_theme() -> Option<String> {
    #[cfg(feature = "ssr")]
    {
        crate::auth::ssr::request_cookie(crate::auth::ssr::THEME_COOKIE)
            .filter(|t| t == "light" || t == "dark")
    }
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    {
        crate::browser::document_theme()
    }
    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    {
        None
    }
}

pub fn initial_is_dark() -> bool {
    chosen_theme().as_deref() == Some("dark")
}
