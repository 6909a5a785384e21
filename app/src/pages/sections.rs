//! Sections whose issues are still open. Their addresses already work (hosting panels link to
//! them), and each says it is coming soon.
use crate::{components::ComingSoon, i18n::use_i18n, RequireUser};
use leptos::prelude::*;

macro_rules! coming_soon_page {
    ($name:ident, $field:ident, signed_in) => {
        #[component]
        pub fn $name() -> impl IntoView {
            let t = use_i18n().t();
            view! { <RequireUser render=move |_| view! { <ComingSoon title=Signal::derive(move || t().$field)/> }.into_any()/> }
        }
    };
    ($name:ident, $field:ident, public) => {
        #[component]
        pub fn $name() -> impl IntoView {
            let t = use_i18n().t();
            view! { <ComingSoon title=Signal::derive(move || t().$field)/> }
        }
    };
}

coming_soon_page!(ServicesPage, nav_services, signed_in);
coming_soon_page!(InvoicesPage, nav_invoices, signed_in);
coming_soon_page!(PaymentMethodsPage, nav_payment_methods, signed_in);
coming_soon_page!(CreditPage, nav_credit, signed_in);
coming_soon_page!(TicketsPage, nav_tickets, signed_in);
coming_soon_page!(ContactsPage, contacts_title, signed_in);
coming_soon_page!(EmailHistoryPage, emails_title, signed_in);
coming_soon_page!(KnowledgeBasePage, nav_kb, public);
coming_soon_page!(NewsPage, nav_news, public);
