//! Accounts: clients and staff, passwords, sessions, sign-in throttling and password resets,
//! the account's devices and sign-in history, the data export, profile and login email,
//! two-factor sign-in and contacts.
pub mod activity;
pub mod contacts;
pub mod countries;
mod email_change;
pub mod export;
mod password;
mod permissions;
pub mod profile;
mod reset;
mod sessions;
pub mod settings;
#[cfg(test)]
mod tests;
pub mod totp;
mod types;

pub use email_change::{
    cancel_email_change, confirm_email_change, pending_email_change, request_email_change,
    PendingEmailChange, CONFIRM_LINK_HOURS,
};
pub use password::{hash_password, verify_password};
pub use permissions::{Permission, Permissions};
pub use reset::{change_password, request_password_reset, reset_password};
pub use sessions::{
    count_by_role, create_user, resolve_session, set_language, sign_in, sign_out, NewUser,
    SignInStep, SignedIn, SESSION_TTL_DAYS,
};
pub use types::{EmailAddress, Language, NewPassword, RequestMeta, Role, SessionUser, Viewer};

use sha2::{Digest, Sha256};

/// A fresh random token for a cookie or an emailed link (256 bits, URL-safe).
pub fn new_token() -> String {
    use base64::Engine;
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Tokens are stored hashed so that a copy of the database does not hand out sessions.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}
#[cfg(test)]
mod account_tests;
