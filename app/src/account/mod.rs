//! The account: profile and invoice details, the login email, two-factor sign-in and
//! contacts. DTOs and server functions (thin adapters over `domain::accounts`); pages in the
//! submodules.
mod contacts;
mod profile;
pub mod texts;
mod two_factor;

pub use contacts::ContactsPage;
pub use profile::{ConfirmEmailPage, EmailChangedNotice, ProfileSection};
pub use two_factor::{StaffTwoFactorSetting, TwoFactorSection};

use crate::{auth::Perms, error::AppError};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::auth::ssr;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileDto {
    pub name: String,
    pub email: String,
    pub company: String,
    pub address: String,
    pub postcode: String,
    pub region: String,
    pub country: String,
    pub vat_id: String,
    pub phone: String,
    pub language: String,
    /// (code, name in the reader's language)
    pub countries: Vec<(String, String)>,
    /// The new address waiting for its confirmation link.
    pub pending_email: Option<String>,
    /// A contact sees only their own login here; the owner manages the details.
    pub is_contact: bool,
}

#[server(prefix = "/_fn", endpoint = "get_profile")]
pub async fn get_profile() -> Result<ProfileDto, AppError> {
    let svc = ssr::services()?;
    let user = ssr::require_user()?;
    let domain::accounts::profile::Profile { email, details: p } =
        domain::accounts::profile::profile(&svc, user.id).await?;
    let es = ssr::request_locale() == crate::i18n::Locale::Es;
    let pending = domain::accounts::pending_email_change(&svc, user.id).await?;
    Ok(ProfileDto {
        name: p.name,
        email,
        company: p.company,
        address: p.address,
        postcode: p.postcode,
        region: p.region,
        country: p.country,
        vat_id: p.vat_id,
        phone: p.phone,
        language: p.language.as_str().to_owned(),
        countries: domain::accounts::countries::COUNTRIES
            .iter()
            .map(|(c, en, sp)| (c.to_string(), if es { sp } else { en }.to_string()))
            .collect(),
        pending_email: pending.map(|p| p.new_email),
        is_contact: user.is_contact(),
    })
}

#[allow(clippy::too_many_arguments)]
#[server(prefix = "/_fn", endpoint = "save_profile")]
pub async fn save_profile(
    name: String,
    company: String,
    address: String,
    postcode: String,
    region: String,
    country: String,
    vat_id: String,
    phone: String,
    language: String,
) -> Result<(), AppError> {
    let svc = ssr::services()?;
    let user = ssr::require_owner()?;
    let form = domain::accounts::profile::ProfileForm {
        name,
        company,
        address,
        postcode,
        region,
        country,
        vat_id,
        phone,
        language,
    };
    let valid = form.parse().map_err(domain::DomainError::from)?;
    let saved = domain::accounts::profile::update_profile(&svc, user.id, valid).await?;
    ssr::set_language_cookie(saved.details.language.as_str());
    Ok(())
}

#[server(prefix = "/_fn", endpoint = "request_email_change")]
pub async fn request_email_change(new_email: String, password: String) -> Result<String, AppError> {
    let svc = ssr::services()?;
    let user = ssr::require_user()?;
    let p = domain::accounts::request_email_change(&svc, user.id, &new_email, &password).await?;
    Ok(p.new_email)
}

#[server(prefix = "/_fn", endpoint = "cancel_email_change")]
pub async fn cancel_email_change() -> Result<(), AppError> {
    let svc = ssr::services()?;
    let user = ssr::require_user()?;
    domain::accounts::cancel_email_change(&svc, user.id).await?;
    Ok(())
}

/// From the emailed link; whoever holds the link confirms (they may be signed out, or on
/// another device).
#[server(prefix = "/_fn", endpoint = "confirm_email_change")]
pub async fn confirm_email_change(token: String) -> Result<(), AppError> {
    let svc = ssr::services()?;
    domain::accounts::confirm_email_change(&svc, &token).await?;
    if ssr::viewer().user.is_some() {
        leptos_axum::redirect("/account?email_changed=1");
    } else {
        leptos_axum::redirect("/login?email_changed=1");
    }
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TotpSetupDto {
    pub secret: String,
    pub uri: String,
    /// `data:image/svg+xml;base64,…` of the QR code.
    pub qr: String,
    /// To write down before turning it on.
    pub recovery_codes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TwoFactorDto {
    pub on: bool,
    pub codes_left: u64,
    pub setup: Option<TotpSetupDto>,
    /// Staff whom the staff setting requires to turn it on.
    pub required: bool,
}

#[cfg(feature = "ssr")]
impl From<domain::accounts::totp::TotpSetup> for TotpSetupDto {
    fn from(s: domain::accounts::totp::TotpSetup) -> Self {
        Self {
            qr: s.qr_data_uri(),
            secret: s.secret,
            uri: s.uri,
            recovery_codes: s.recovery_codes,
        }
    }
}

#[server(prefix = "/_fn", endpoint = "two_factor_state")]
pub async fn two_factor_state() -> Result<TwoFactorDto, AppError> {
    use domain::accounts::totp;
    let svc = ssr::services()?;
    let user = ssr::require_user()?;
    Ok(TwoFactorDto {
        on: user.totp,
        codes_left: if user.totp {
            totp::recovery_codes_left(&svc, user.id).await?
        } else {
            0
        },
        setup: totp::totp_setup_in_progress(&svc, user.id)
            .await?
            .map(Into::into),
        required: user.needs_totp_setup,
    })
}

#[server(prefix = "/_fn", endpoint = "start_two_factor")]
pub async fn start_two_factor() -> Result<(), AppError> {
    let svc = ssr::services()?;
    let user = ssr::require_user()?;
    domain::accounts::totp::begin_totp_setup(&svc, user.id).await?;
    Ok(())
}

/// Returns the recovery codes, shown once.
#[server(prefix = "/_fn", endpoint = "enable_two_factor")]
pub async fn enable_two_factor(code: String) -> Result<Vec<String>, AppError> {
    let svc = ssr::services()?;
    let user = ssr::require_user()?;
    Ok(domain::accounts::totp::enable_totp(&svc, user.id, &code).await?)
}

#[server(prefix = "/_fn", endpoint = "disable_two_factor")]
pub async fn disable_two_factor(totp_password: String) -> Result<(), AppError> {
    let svc = ssr::services()?;
    let user = ssr::require_user()?;
    domain::accounts::totp::disable_totp(&svc, user.id, &totp_password).await?;
    Ok(())
}

#[server(prefix = "/_fn", endpoint = "staff_two_factor_setting")]
pub async fn staff_two_factor_setting() -> Result<bool, AppError> {
    let svc = ssr::services()?;
    ssr::require_staff()?;
    Ok(domain::accounts::settings::staff_require_totp(&svc.db).await?)
}

#[server(prefix = "/_fn", endpoint = "set_staff_two_factor")]
pub async fn set_staff_two_factor(require: Option<String>) -> Result<(), AppError> {
    let svc = ssr::services()?;
    ssr::require_staff()?;
    domain::accounts::settings::set_staff_require_totp(&svc.db, require.is_some()).await?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactDto {
    pub id: i32,
    pub name: String,
    pub email: String,
    pub perms: Perms,
    pub pending: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactsDto {
    pub contacts: Vec<ContactDto>,
    /// What the viewer may give (a contact never more than they have).
    pub grantable: Perms,
}

#[cfg(feature = "ssr")]
fn chosen(
    invoices: Option<String>,
    payment_methods: Option<String>,
    tickets: Option<String>,
    services: Option<String>,
    contacts: Option<String>,
) -> domain::accounts::Permissions {
    use domain::accounts::Permission as P;
    [
        (invoices, P::Invoices),
        (payment_methods, P::PaymentMethods),
        (tickets, P::Tickets),
        (services, P::Services),
        (contacts, P::Contacts),
    ]
    .into_iter()
    .filter_map(|(on, p)| on.map(|_| p))
    .collect()
}

#[server(prefix = "/_fn", endpoint = "list_contacts")]
pub async fn list_contacts() -> Result<ContactsDto, AppError> {
    let svc = ssr::services()?;
    let user = ssr::require_client(domain::accounts::Permission::Contacts)?;
    let list = domain::accounts::contacts::list_contacts(&svc, user.client_id).await?;
    Ok(ContactsDto {
        contacts: list
            .into_iter()
            .map(|c| ContactDto {
                id: c.id,
                name: c.name,
                email: c.email,
                perms: c.permissions.into(),
                pending: c.pending,
            })
            .collect(),
        grantable: user.permissions.into(),
    })
}

#[server(prefix = "/_fn", endpoint = "invite_contact")]
pub async fn invite_contact(
    name: String,
    email: String,
    invoices: Option<String>,
    payment_methods: Option<String>,
    tickets: Option<String>,
    services: Option<String>,
    contacts: Option<String>,
) -> Result<(), AppError> {
    let svc = ssr::services()?;
    let user = ssr::require_client(domain::accounts::Permission::Contacts)?;
    let permissions = chosen(invoices, payment_methods, tickets, services, contacts);
    let new = domain::accounts::contacts::NewContact {
        name: &name,
        email: &email,
        permissions,
    };
    domain::accounts::contacts::invite_contact(&svc, user.client_id, user.permissions, new).await?;
    Ok(())
}

#[server(prefix = "/_fn", endpoint = "update_contact")]
pub async fn update_contact(
    id: i32,
    invoices: Option<String>,
    payment_methods: Option<String>,
    tickets: Option<String>,
    services: Option<String>,
    contacts: Option<String>,
) -> Result<(), AppError> {
    let svc = ssr::services()?;
    let user = ssr::require_client(domain::accounts::Permission::Contacts)?;
    let permissions = chosen(invoices, payment_methods, tickets, services, contacts);
    domain::accounts::contacts::set_contact_permissions(
        &svc,
        user.client_id,
        user.permissions,
        id,
        permissions,
    )
    .await?;
    Ok(())
}

#[server(prefix = "/_fn", endpoint = "remove_contact")]
pub async fn remove_contact(id: i32) -> Result<(), AppError> {
    let svc = ssr::services()?;
    let user = ssr::require_client(domain::accounts::Permission::Contacts)?;
    domain::accounts::contacts::remove_contact(&svc, user.client_id, user.id, id).await?;
    Ok(())
}
