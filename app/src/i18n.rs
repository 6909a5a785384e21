//! English and Spanish. Every text is a field of `Texts`, so a missing translation is a compile
//! error rather than a blank on the page.
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Locale {
    #[default]
    En,
    Es,
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::En, Locale::Es];

    pub fn code(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Es => "es",
        }
    }
    pub fn from_code(code: &str) -> Option<Self> {
        match code.trim().to_ascii_lowercase().get(..2)? {
            "en" => Some(Locale::En),
            "es" => Some(Locale::Es),
            _ => None,
        }
    }
    /// The language's own name, for the switcher.
    pub fn native_name(self) -> &'static str {
        match self {
            Locale::En => "English",
            Locale::Es => "Español",
        }
    }
    pub fn throttled(self, minutes: u32) -> String {
        match self {
            Locale::En => format!("Too many attempts. Try again in {minutes} min."),
            Locale::Es => {
                format!("Demasiados intentos. Vuelve a intentarlo dentro de {minutes} min.")
            }
        }
    }
    pub fn texts(self) -> &'static Texts {
        match self {
            Locale::En => &EN,
            Locale::Es => &ES,
        }
    }
    /// First supported language of an `Accept-Language` header, in the client's order of preference.
    pub fn from_accept_language(header: &str) -> Option<Self> {
        let mut langs: Vec<(f32, &str)> = header
            .split(',')
            .filter_map(|part| {
                let mut it = part.trim().split(';');
                let tag = it.next()?.trim();
                let q = it
                    .find_map(|p| p.trim().strip_prefix("q="))
                    .and_then(|q| q.parse::<f32>().ok())
                    .unwrap_or(1.0);
                Some((q, tag))
            })
            .collect();
        langs.sort_by(|a, b| b.0.partial_cmp(&a.0).unwrap_or(std::cmp::Ordering::Equal));
        langs.into_iter().find_map(|(_, tag)| Self::from_code(tag))
    }
}

/// The current language, switchable at run time.
#[derive(Clone, Copy)]
pub struct I18n(pub RwSignal<Locale>);

pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}

impl I18n {
    pub fn locale(&self) -> Locale {
        self.0.get()
    }
    /// A reactive accessor: `let t = use_i18n().t(); view! { {move || t().sign_in} }`.
    pub fn t(&self) -> impl Fn() -> &'static Texts + Copy + Send + Sync + 'static {
        let sig = self.0;
        move || sig.get().texts()
    }
}

pub struct Texts {
    pub app_name: &'static str,
    pub skip_to_content: &'static str,
    pub nav_label: &'static str,
    pub nav_menu: &'static str,
    pub nav_home: &'static str,
    pub nav_services: &'static str,
    pub nav_billing: &'static str,
    pub nav_invoices: &'static str,
    pub nav_payment_methods: &'static str,
    pub nav_credit: &'static str,
    pub nav_support: &'static str,
    pub nav_tickets: &'static str,
    pub nav_kb: &'static str,
    pub nav_news: &'static str,
    pub nav_account: &'static str,
    pub nav_staff: &'static str,
    pub nav_sign_out: &'static str,
    pub nav_sign_in: &'static str,
    pub language: &'static str,
    pub theme_dark: &'static str,
    pub theme_light: &'static str,
    pub loading: &'static str,
    pub footer: &'static str,

    pub login_title: &'static str,
    pub login_intro: &'static str,
    pub email: &'static str,
    pub password: &'static str,
    pub login_submit: &'static str,
    pub login_forgot: &'static str,
    pub signed_out_notice: &'static str,

    pub forgot_title: &'static str,
    pub forgot_intro: &'static str,
    pub forgot_submit: &'static str,
    pub forgot_sent: &'static str,
    pub back_to_login: &'static str,

    pub reset_title: &'static str,
    pub new_password: &'static str,
    pub confirm_password: &'static str,
    pub password_hint: &'static str,
    pub reset_submit: &'static str,
    pub reset_done: &'static str,

    pub logout_title: &'static str,
    pub logout_intro: &'static str,

    pub home_greeting: &'static str,
    pub home_intro: &'static str,
    pub home_invoices_desc: &'static str,
    pub home_tickets_desc: &'static str,
    pub home_kb_desc: &'static str,
    pub home_account_desc: &'static str,

    pub coming_soon: &'static str,
    pub coming_soon_body: &'static str,

    pub account_title: &'static str,
    pub account_profile: &'static str,
    pub name: &'static str,
    pub preferred_language: &'static str,
    pub security_title: &'static str,
    pub security_desc: &'static str,
    pub contacts_title: &'static str,
    pub emails_title: &'static str,
    pub current_password: &'static str,
    pub change_password_submit: &'static str,
    pub password_changed: &'static str,

    pub staff_title: &'static str,
    pub staff_intro: &'static str,
    pub staff_clients: &'static str,
    pub staff_accounts: &'static str,

    pub not_found_title: &'static str,
    pub not_found_body: &'static str,
    pub forbidden_title: &'static str,
    pub forbidden_body: &'static str,
    pub go_home: &'static str,

    pub status_pending: &'static str,
    pub status_active: &'static str,
    pub status_suspended: &'static str,
    pub status_terminated: &'static str,
    pub status_cancelled: &'static str,
    pub reason_overdue: &'static str,
    pub reason_staff: &'static str,
    pub cycle_monthly: &'static str,
    pub cycle_quarterly: &'static str,
    pub cycle_semiannually: &'static str,
    pub cycle_annually: &'static str,
    pub filter_all: &'static str,
    pub filter_label: &'static str,
    pub services_empty: &'static str,
    pub services_empty_filtered: &'static str,
    pub col_domain: &'static str,
    pub col_plan: &'static str,
    pub col_status: &'static str,
    pub col_price: &'static str,
    pub col_next_due: &'static str,
    pub col_cycle: &'static str,
    pub col_registered: &'static str,
    pub col_gateway: &'static str,
    pub gateway_card: &'static str,
    pub gateway_manual: &'static str,
    pub plan_features: &'static str,
    pub back_to_services: &'static str,
    pub page_prev: &'static str,
    pub page_next: &'static str,
    pub pagination: &'static str,
    pub news_empty: &'static str,
    pub read_more: &'static str,
    pub back_to_news: &'static str,
    pub published_on: &'static str,
    pub news_feed: &'static str,
    pub home_services: &'static str,
    pub home_view_all: &'static str,
    pub home_latest_news: &'static str,
    pub home_active_services: &'static str,
    pub home_no_services: &'static str,
    pub err_invalid_credentials: &'static str,
    pub err_email: &'static str,
    pub err_password_short: &'static str,
    pub err_password_long: &'static str,
    pub err_password_mismatch: &'static str,
    pub err_current_password: &'static str,
    pub err_reset_link: &'static str,
    pub err_name: &'static str,
    pub err_language: &'static str,
    pub err_unauthenticated: &'static str,
    pub err_forbidden: &'static str,
    pub err_not_found: &'static str,
    pub err_bad_request: &'static str,
    pub err_internal: &'static str,
    pub err_network: &'static str,

    // staff news
    pub staff_news_title: &'static str,
    pub staff_news_desc: &'static str,
    pub staff_news_new: &'static str,
    pub staff_news_edit: &'static str,
    pub staff_news_back: &'static str,
    pub staff_news_empty: &'static str,
    pub staff_news_saved: &'static str,
    pub staff_news_deleted: &'static str,
    pub staff_news_col_title: &'static str,
    pub staff_news_col_language: &'static str,
    pub staff_news_col_date: &'static str,
    pub staff_news_draft: &'static str,
    pub staff_news_scheduled: &'static str,
    pub staff_news_published: &'static str,
    pub staff_news_address: &'static str,
    pub staff_news_field_title: &'static str,
    pub staff_news_field_language: &'static str,
    pub staff_news_field_date: &'static str,
    pub staff_news_field_date_hint: &'static str,
    pub staff_news_field_body: &'static str,
    pub staff_news_field_body_hint: &'static str,
    pub staff_news_field_published: &'static str,
    pub staff_news_field_published_hint: &'static str,
    pub staff_news_save: &'static str,
    pub staff_news_delete: &'static str,
    pub staff_news_delete_confirm: &'static str,
    pub staff_news_delete_submit: &'static str,
    pub err_news_title: &'static str,
    pub err_news_body: &'static str,
    pub err_news_date: &'static str,
}

pub static EN: Texts = Texts {
    app_name: "Portico",
    skip_to_content: "Skip to content",
    nav_label: "Main",
    nav_menu: "Menu",
    nav_home: "Home",
    nav_services: "Services",
    nav_billing: "Billing",
    nav_invoices: "Invoices",
    nav_payment_methods: "Payment methods",
    nav_credit: "Credit",
    nav_support: "Support",
    nav_tickets: "Tickets",
    nav_kb: "Knowledge base",
    nav_news: "News",
    nav_account: "Account",
    nav_staff: "Staff",
    nav_sign_out: "Sign out",
    nav_sign_in: "Sign in",
    language: "Language",
    theme_dark: "Dark theme",
    theme_light: "Light theme",
    loading: "Loading…",
    footer: "Portico client area",

    login_title: "Sign in",
    login_intro: "Sign in to manage your services, invoices and support tickets.",
    email: "Email",
    password: "Password",
    login_submit: "Sign in",
    login_forgot: "Forgot your password?",
    signed_out_notice: "You are signed out.",

    forgot_title: "Reset your password",
    forgot_intro: "Enter the email address of your account and we will send you a link to choose a new password.",
    forgot_submit: "Send link",
    forgot_sent: "If an account exists for that address, we have emailed it a link. The link is valid for 60 minutes.",
    back_to_login: "Back to sign in",

    reset_title: "Choose a new password",
    new_password: "New password",
    confirm_password: "Repeat the new password",
    password_hint: "At least 10 characters.",
    reset_submit: "Save password",
    reset_done: "Your password has been changed and every session was signed out. Sign in with the new password.",

    logout_title: "Sign out",
    logout_intro: "Sign out of Portico on this device?",

    home_greeting: "Hello",
    home_intro: "Everything about your hosting in one place.",
    home_invoices_desc: "Your invoices and what is due.",
    home_tickets_desc: "Questions for our team and their answers.",
    home_kb_desc: "Answers and guides.",
    home_account_desc: "Your details, contacts and password.",

    coming_soon: "Coming soon",
    coming_soon_body: "This section is being built and will open here soon. Until then, contact us by email if you need anything.",

    account_title: "Account",
    account_profile: "Profile",
    name: "Name",
    preferred_language: "Language",
    security_title: "Password and security",
    security_desc: "Change your password. Other devices are signed out when you do.",
    contacts_title: "Contacts",
    emails_title: "Email history",
    current_password: "Current password",
    change_password_submit: "Change password",
    password_changed: "Your password has been changed. Other devices have been signed out.",

    staff_title: "Staff area",
    staff_intro: "An overview of the accounts in Portico.",
    staff_clients: "Client accounts",
    staff_accounts: "Staff accounts",

    not_found_title: "Page not found",
    not_found_body: "The page you asked for does not exist or has moved.",
    forbidden_title: "Not allowed",
    forbidden_body: "Your account cannot open this page.",
    go_home: "Go to the home page",

    status_pending: "Pending",
    status_active: "Active",
    status_suspended: "Suspended",
    status_terminated: "Terminated",
    status_cancelled: "Cancelled",
    reason_overdue: "An invoice is overdue. Pay it and the service is reactivated automatically.",
    reason_staff: "Suspended by our team. Open a support ticket to find out why.",
    cycle_monthly: "Monthly",
    cycle_quarterly: "Quarterly",
    cycle_semiannually: "Every six months",
    cycle_annually: "Annually",
    filter_all: "All",
    filter_label: "Filter by status",
    services_empty: "You have no services here yet.",
    services_empty_filtered: "No services with this status.",
    col_domain: "Domain",
    col_plan: "Plan",
    col_status: "Status",
    col_price: "Price",
    col_next_due: "Next due date",
    col_cycle: "Billing cycle",
    col_registered: "Registered",
    col_gateway: "Payment method",
    gateway_card: "Card (charged automatically when a card is saved)",
    gateway_manual: "Bank transfer (paid by hand)",
    plan_features: "What the plan includes",
    back_to_services: "All services",
    page_prev: "Previous page",
    page_next: "Next page",
    pagination: "Pages",
    news_empty: "No news yet.",
    read_more: "Read more",
    back_to_news: "All news",
    published_on: "Published",
    news_feed: "News feed (Atom)",
    home_services: "Your services",
    home_view_all: "View all",
    home_latest_news: "Latest news",
    home_active_services: "Active services",
    home_no_services: "You have no hosting services yet.",
    err_invalid_credentials: "The email or password is not correct.",
    err_email: "Enter a valid email address, like name@example.com.",
    err_password_short: "The password must have at least 10 characters.",
    err_password_long: "The password can have at most 128 characters.",
    err_password_mismatch: "The two passwords are not the same.",
    err_current_password: "The current password is not correct.",
    err_reset_link: "This link is invalid, already used or expired. Ask for a new one.",
    err_name: "Enter a name of at most 200 characters.",
    err_language: "Choose English or Spanish.",
    err_unauthenticated: "Your session has ended. Sign in again.",
    err_forbidden: "Your account cannot do this.",
    err_not_found: "We could not find that.",
    err_bad_request: "The form was incomplete. Reload the page and try again.",
    err_internal: "Something went wrong on our side. Try again in a moment.",
    err_network: "Portico could not be reached. Check your connection and try again.",
    // staff news
    staff_news_title: "Manage news",
    staff_news_desc: "Write, publish and schedule news for clients.",
    staff_news_new: "New news item",
    staff_news_edit: "Edit news item",
    staff_news_back: "All news items",
    staff_news_empty: "No news yet. Write the first item.",
    staff_news_saved: "The news item has been saved.",
    staff_news_deleted: "The news item has been deleted.",
    staff_news_col_title: "Title",
    staff_news_col_language: "Language",
    staff_news_col_date: "Date",
    staff_news_draft: "Draft",
    staff_news_scheduled: "Scheduled",
    staff_news_published: "Published",
    staff_news_address: "Address",
    staff_news_field_title: "Title",
    staff_news_field_language: "Language",
    staff_news_field_date: "Publication date",
    staff_news_field_date_hint: "Readers see a published item from this day on (UTC). Today if left empty.",
    staff_news_field_body: "Text",
    staff_news_field_body_hint: "Markdown: **bold**, *italics*, [link](https://…), lists with “- ”.",
    staff_news_field_published: "Published",
    staff_news_field_published_hint: "Leave it unticked to keep a draft that only staff can see.",
    staff_news_save: "Save",
    staff_news_delete: "Delete this news item",
    staff_news_delete_confirm: "The news item disappears for readers and cannot be recovered.",
    staff_news_delete_submit: "Delete permanently",
    err_news_title: "Enter a title of at most 200 characters.",
    err_news_body: "Write the text of the news item (at most 50,000 characters).",
    err_news_date: "Enter the date as YYYY-MM-DD, for example 2026-03-01.",
};

pub static ES: Texts = Texts {
    app_name: "Portico",
    skip_to_content: "Saltar al contenido",
    nav_label: "Principal",
    nav_menu: "Menú",
    nav_home: "Inicio",
    nav_services: "Servicios",
    nav_billing: "Facturación",
    nav_invoices: "Facturas",
    nav_payment_methods: "Métodos de pago",
    nav_credit: "Saldo",
    nav_support: "Soporte",
    nav_tickets: "Tickets",
    nav_kb: "Base de conocimiento",
    nav_news: "Noticias",
    nav_account: "Cuenta",
    nav_staff: "Personal",
    nav_sign_out: "Cerrar sesión",
    nav_sign_in: "Iniciar sesión",
    language: "Idioma",
    theme_dark: "Tema oscuro",
    theme_light: "Tema claro",
    loading: "Cargando…",
    footer: "Área de clientes Portico",

    login_title: "Iniciar sesión",
    login_intro: "Inicia sesión para gestionar tus servicios, facturas y tickets de soporte.",
    email: "Correo electrónico",
    password: "Contraseña",
    login_submit: "Iniciar sesión",
    login_forgot: "¿Has olvidado tu contraseña?",
    signed_out_notice: "Has cerrado la sesión.",

    forgot_title: "Restablece tu contraseña",
    forgot_intro: "Escribe el correo electrónico de tu cuenta y te enviaremos un enlace para elegir una contraseña nueva.",
    forgot_submit: "Enviar enlace",
    forgot_sent: "Si existe una cuenta con esa dirección, le hemos enviado un enlace. El enlace es válido durante 60 minutos.",
    back_to_login: "Volver a iniciar sesión",

    reset_title: "Elige una contraseña nueva",
    new_password: "Contraseña nueva",
    confirm_password: "Repite la contraseña nueva",
    password_hint: "Al menos 10 caracteres.",
    reset_submit: "Guardar contraseña",
    reset_done: "Tu contraseña se ha cambiado y se han cerrado todas las sesiones. Inicia sesión con la contraseña nueva.",

    logout_title: "Cerrar sesión",
    logout_intro: "¿Quieres cerrar la sesión de Portico en este dispositivo?",

    home_greeting: "Hola",
    home_intro: "Todo sobre tu alojamiento en un solo lugar.",
    home_invoices_desc: "Tus facturas y lo pendiente de pago.",
    home_tickets_desc: "Tus consultas a nuestro equipo y sus respuestas.",
    home_kb_desc: "Respuestas y guías.",
    home_account_desc: "Tus datos, contactos y contraseña.",

    coming_soon: "Próximamente",
    coming_soon_body: "Estamos preparando esta sección y pronto estará aquí. Mientras tanto, escríbenos por correo si necesitas algo.",

    account_title: "Cuenta",
    account_profile: "Perfil",
    name: "Nombre",
    preferred_language: "Idioma",
    security_title: "Contraseña y seguridad",
    security_desc: "Cambia tu contraseña. Al hacerlo se cierran las sesiones de los demás dispositivos.",
    contacts_title: "Contactos",
    emails_title: "Historial de correos",
    current_password: "Contraseña actual",
    change_password_submit: "Cambiar contraseña",
    password_changed: "Tu contraseña se ha cambiado. Se han cerrado las sesiones de los demás dispositivos.",

    staff_title: "Área del personal",
    staff_intro: "Resumen de las cuentas de Portico.",
    staff_clients: "Cuentas de clientes",
    staff_accounts: "Cuentas del personal",

    not_found_title: "Página no encontrada",
    not_found_body: "La página que buscas no existe o se ha movido.",
    forbidden_title: "Acceso no permitido",
    forbidden_body: "Tu cuenta no puede abrir esta página.",
    go_home: "Ir a la página de inicio",

    status_pending: "Pendiente",
    status_active: "Activo",
    status_suspended: "Suspendido",
    status_terminated: "Terminado",
    status_cancelled: "Cancelado",
    reason_overdue: "Hay una factura vencida. Págala y el servicio se reactivará automáticamente.",
    reason_staff: "Suspendido por nuestro equipo. Abre un ticket de soporte para saber el motivo.",
    cycle_monthly: "Mensual",
    cycle_quarterly: "Trimestral",
    cycle_semiannually: "Semestral",
    cycle_annually: "Anual",
    filter_all: "Todos",
    filter_label: "Filtrar por estado",
    services_empty: "Todavía no tienes servicios aquí.",
    services_empty_filtered: "No hay servicios con este estado.",
    col_domain: "Dominio",
    col_plan: "Plan",
    col_status: "Estado",
    col_price: "Precio",
    col_next_due: "Próximo vencimiento",
    col_cycle: "Ciclo de facturación",
    col_registered: "Fecha de alta",
    col_gateway: "Método de pago",
    gateway_card: "Tarjeta (se cobra automáticamente si hay una tarjeta guardada)",
    gateway_manual: "Transferencia bancaria (pago manual)",
    plan_features: "Qué incluye el plan",
    back_to_services: "Todos los servicios",
    page_prev: "Página anterior",
    page_next: "Página siguiente",
    pagination: "Páginas",
    news_empty: "Todavía no hay noticias.",
    read_more: "Leer más",
    back_to_news: "Todas las noticias",
    published_on: "Publicado",
    news_feed: "Canal de noticias (Atom)",
    home_services: "Tus servicios",
    home_view_all: "Ver todos",
    home_latest_news: "Últimas noticias",
    home_active_services: "Servicios activos",
    home_no_services: "Todavía no tienes servicios de alojamiento.",
    err_invalid_credentials: "El correo electrónico o la contraseña no son correctos.",
    err_email: "Escribe un correo electrónico válido, como nombre@ejemplo.com.",
    err_password_short: "La contraseña debe tener al menos 10 caracteres.",
    err_password_long: "La contraseña puede tener como máximo 128 caracteres.",
    err_password_mismatch: "Las dos contraseñas no coinciden.",
    err_current_password: "La contraseña actual no es correcta.",
    err_reset_link: "Este enlace no es válido, ya se ha usado o ha caducado. Pide uno nuevo.",
    err_name: "Escribe un nombre de 200 caracteres como máximo.",
    err_language: "Elige inglés o español.",
    err_unauthenticated: "Tu sesión ha terminado. Vuelve a iniciar sesión.",
    err_forbidden: "Tu cuenta no puede hacer esto.",
    err_not_found: "No lo hemos encontrado.",
    err_bad_request: "El formulario estaba incompleto. Recarga la página y vuelve a intentarlo.",
    err_internal: "Algo ha fallado por nuestra parte. Vuelve a intentarlo en un momento.",
    err_network: "No se ha podido conectar con Portico. Comprueba tu conexión y vuelve a intentarlo.",
    // staff news
    staff_news_title: "Gestionar noticias",
    staff_news_desc: "Escribe, publica y programa noticias para los clientes.",
    staff_news_new: "Nueva noticia",
    staff_news_edit: "Editar noticia",
    staff_news_back: "Todas las noticias",
    staff_news_empty: "Todavía no hay noticias. Escribe la primera.",
    staff_news_saved: "La noticia se ha guardado.",
    staff_news_deleted: "La noticia se ha eliminado.",
    staff_news_col_title: "Título",
    staff_news_col_language: "Idioma",
    staff_news_col_date: "Fecha",
    staff_news_draft: "Borrador",
    staff_news_scheduled: "Programada",
    staff_news_published: "Publicada",
    staff_news_address: "Dirección",
    staff_news_field_title: "Título",
    staff_news_field_language: "Idioma",
    staff_news_field_date: "Fecha de publicación",
    staff_news_field_date_hint: "Los lectores ven una noticia publicada a partir de este día (UTC). Hoy si se deja vacía.",
    staff_news_field_body: "Texto",
    staff_news_field_body_hint: "Markdown: **negrita**, *cursiva*, [enlace](https://…), listas con «- ».",
    staff_news_field_published: "Publicada",
    staff_news_field_published_hint: "Déjala sin marcar para guardar un borrador que solo ve el personal.",
    staff_news_save: "Guardar",
    staff_news_delete: "Eliminar esta noticia",
    staff_news_delete_confirm: "La noticia desaparece para los lectores y no se puede recuperar.",
    staff_news_delete_submit: "Eliminar definitivamente",
    err_news_title: "Escribe un título de 200 caracteres como máximo.",
    err_news_body: "Escribe el texto de la noticia (50.000 caracteres como máximo).",
    err_news_date: "Escribe la fecha como AAAA-MM-DD, por ejemplo 2026-03-01.",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_follows_preference_order() {
        assert_eq!(
            Locale::from_accept_language("es-ES,es;q=0.9,en;q=0.8"),
            Some(Locale::Es)
        );
        assert_eq!(
            Locale::from_accept_language("fr-FR, en;q=0.5, es;q=0.7"),
            Some(Locale::Es)
        );
        assert_eq!(Locale::from_accept_language("de, fr"), None);
        assert_eq!(Locale::from_code("ES-mx"), Some(Locale::Es));
    }
}
