//! Sections whose issues are still open. Their addresses already work (hosting panels link to
//! them), and each says it is coming soon. Signed-out page loads of the client-area ones are
//! sent to sign in by the server.
use crate::{components::ComingSoon, i18n::use_i18n};
use leptos::prelude::*;

macro_rules! coming_soon_page {
    ($name:ident, $field:ident) => {
        #[component]
        pub fn $name() -> impl IntoView {
            let t = use_i18n().t();
            view! { <ComingSoon title=Signal::derive(move || t().$field)/> }
        }
    };
}

coming_soon_page!(ContactsPage, contacts_title);
