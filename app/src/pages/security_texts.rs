//! Texts of the account's security and data pages, in English and Spanish.
use crate::i18n::{use_i18n, Locale};

pub struct SecurityTexts {
    pub sessions_title: &'static str,
    pub sessions_intro: &'static str,
    pub col_device: &'static str,
    pub col_ip: &'static str,
    pub col_last_seen: &'static str,
    pub col_result: &'static str,
    pub col_when: &'static str,
    pub this_device: &'static str,
    pub sign_out_session: &'static str,
    pub sign_out_others: &'static str,
    pub signed_out_session: &'static str,
    pub signed_out_others: &'static str,
    pub only_this: &'static str,
    pub unknown_device: &'static str,
    pub on: &'static str,
    pub history_title: &'static str,
    pub history_intro: &'static str,
    pub history_empty: &'static str,
    pub success: &'static str,
    pub failure: &'static str,
    pub export_title: &'static str,
    pub export_desc: &'static str,
    pub export_link: &'static str,
}

pub static EN: SecurityTexts = SecurityTexts {
    sessions_title: "Signed-in devices",
    sessions_intro: "Every browser signed in to your account. Sign out any you do not recognise.",
    col_device: "Device",
    col_ip: "IP address",
    col_last_seen: "Last active",
    col_result: "Result",
    col_when: "When",
    this_device: "This device",
    sign_out_session: "Sign out",
    sign_out_others: "Sign out everywhere else",
    signed_out_session: "That device was signed out.",
    signed_out_others: "Every other device was signed out.",
    only_this: "Only this device is signed in.",
    unknown_device: "Unknown device",
    on: "on",
    history_title: "Sign-in history",
    history_intro: "Sign-ins to your account in the last 90 days, including failed attempts.",
    history_empty: "No sign-ins in the last 90 days.",
    success: "Signed in",
    failure: "Wrong password",
    export_title: "Your data",
    export_desc: "Download your profile, services, invoices and tickets as a JSON file.",
    export_link: "Download my data (JSON)",
};

pub static ES: SecurityTexts = SecurityTexts {
    sessions_title: "Dispositivos con sesión iniciada",
    sessions_intro: "Todos los navegadores con sesión iniciada en tu cuenta. Cierra la de cualquiera que no reconozcas.",
    col_device: "Dispositivo",
    col_ip: "Dirección IP",
    col_last_seen: "Última actividad",
    col_result: "Resultado",
    col_when: "Cuándo",
    this_device: "Este dispositivo",
    sign_out_session: "Cerrar sesión",
    sign_out_others: "Cerrar sesión en todos los demás",
    signed_out_session: "Se ha cerrado la sesión de ese dispositivo.",
    signed_out_others: "Se ha cerrado la sesión en todos los demás dispositivos.",
    only_this: "Solo este dispositivo tiene la sesión iniciada.",
    unknown_device: "Dispositivo desconocido",
    on: "en",
    history_title: "Historial de inicios de sesión",
    history_intro: "Inicios de sesión en tu cuenta en los últimos 90 días, incluidos los intentos fallidos.",
    history_empty: "No hay inicios de sesión en los últimos 90 días.",
    success: "Correcto",
    failure: "Contraseña incorrecta",
    export_title: "Tus datos",
    export_desc: "Descarga tu perfil, servicios, facturas y tickets en un archivo JSON.",
    export_link: "Descargar mis datos (JSON)",
};

pub fn use_security_texts() -> impl Fn() -> &'static SecurityTexts + Copy + Send + Sync + 'static {
    let i18n = use_i18n();
    move || match i18n.locale() {
        Locale::En => &EN,
        Locale::Es => &ES,
    }
}
