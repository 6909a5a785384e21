use super::{Permission, Permissions};
use crate::error::Invalid;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Client,
    Staff,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Client => "client",
            Role::Staff => "staff",
        }
    }
    /// Unknown values fall back to the least privileged role.
    pub fn from_db(s: &str) -> Self {
        if s == "staff" {
            Role::Staff
        } else {
            Role::Client
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Language {
    #[default]
    En,
    Es,
}

impl Language {
    pub fn as_str(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Es => "es",
        }
    }
    pub fn parse(s: &str) -> Result<Self, Invalid> {
        match s.trim().to_ascii_lowercase().as_str() {
            "en" => Ok(Language::En),
            "es" => Ok(Language::Es),
            _ => Err(Invalid::Language),
        }
    }
    pub fn from_db(s: &str) -> Self {
        Self::parse(s).unwrap_or_default()
    }
}

/// An email address that has been trimmed, lower-cased and checked for a plausible shape.
/// Deliverability is proven by the emails we send, not by a regex.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailAddress(String);

impl EmailAddress {
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let s = raw.trim().to_lowercase();
        let ok = s.len() <= 254
            && !s
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || "<>,;\"()[]\\".contains(c))
            && match s.split_once('@') {
                Some((local, domain)) => {
                    !local.is_empty()
                        && local.len() <= 64
                        && !domain.contains('@')
                        && domain.contains('.')
                        && !domain.starts_with('.')
                        && !domain.ends_with('.')
                        && !domain.contains("..")
                }
                None => false,
            };
        if ok {
            Ok(Self(s))
        } else {
            Err(Invalid::Email)
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A new password: long enough to resist guessing, short enough not to be a hashing DoS.
#[derive(Clone, PartialEq, Eq)]
pub struct NewPassword(String);

impl NewPassword {
    pub const MIN_CHARS: usize = 10;
    pub const MAX_CHARS: usize = 128;

    pub fn parse(raw: &str, confirm: &str) -> Result<Self, Invalid> {
        let n = raw.chars().count();
        if n < Self::MIN_CHARS {
            return Err(Invalid::PasswordTooShort);
        }
        if n > Self::MAX_CHARS {
            return Err(Invalid::PasswordTooLong);
        }
        if raw != confirm {
            return Err(Invalid::PasswordMismatch);
        }
        Ok(Self(raw.to_owned()))
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(***)")
    }
}

/// The signed-in person behind a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionUser {
    /// The person signed in.
    pub id: i32,
    /// The client account whose data they see: their own for an owner, the owner's for a
    /// contact. Every client query is scoped by this.
    pub client_id: i32,
    pub session_id: i32,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub language: Language,
    /// What this person may do in the client area (everything for an owner).
    pub permissions: Permissions,
    /// Two-factor sign-in is on for this person.
    pub totp: bool,
    /// Staff whom the staff setting requires to turn on two-factor sign-in first.
    pub needs_totp_setup: bool,
}

impl SessionUser {
    pub fn is_staff(&self) -> bool {
        self.role == Role::Staff
    }

    /// Staff who may use the staff side now: not held back by the two-factor requirement.
    /// Anyone else (a held-back staff member included) sees only their own client data.
    pub fn acts_as_staff(&self) -> bool {
        self.is_staff() && !self.needs_totp_setup
    }

    /// A contact acting for someone else's account.
    pub fn is_contact(&self) -> bool {
        self.client_id != self.id
    }

    pub fn can(&self, p: Permission) -> bool {
        self.permissions.has(p)
    }
}

/// Where a request came from, for throttling and the session list.
#[derive(Debug, Clone, Default)]
pub struct RequestMeta {
    pub ip: String,
    pub user_agent: String,
}

/// What the web layer knows about a request before any page or server function runs: who is
/// signed in (if anyone), with which cookie, and from where.
#[derive(Debug, Clone, Default)]
pub struct Viewer {
    pub user: Option<SessionUser>,
    pub session_token: Option<String>,
    pub meta: RequestMeta,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_is_normalised() {
        assert_eq!(
            EmailAddress::parse("  Ana@Example.COM ").unwrap().as_str(),
            "ana@example.com"
        );
    }

    #[test]
    fn bad_emails_are_refused() {
        for bad in [
            "",
            "ana",
            "ana@",
            "@example.com",
            "ana@example",
            "ana@@example.com",
            "ana @example.com",
            "ana@example..com",
            "ana@.example.com",
            "<ana@example.com>",
        ] {
            assert_eq!(EmailAddress::parse(bad), Err(Invalid::Email), "{bad:?}");
        }
        let long = format!("{}@example.com", "a".repeat(65));
        assert!(EmailAddress::parse(&long).is_err());
    }

    #[test]
    fn password_rules() {
        assert_eq!(
            NewPassword::parse("short", "short"),
            Err(Invalid::PasswordTooShort)
        );
        let long = "x".repeat(129);
        assert_eq!(
            NewPassword::parse(&long, &long),
            Err(Invalid::PasswordTooLong)
        );
        assert_eq!(
            NewPassword::parse("long enough 1", "long enough 2"),
            Err(Invalid::PasswordMismatch)
        );
        // Counted in characters, not bytes: ten accented letters are enough.
        assert!(NewPassword::parse("ññññññññññ", "ññññññññññ").is_ok());
        assert_eq!(
            format!(
                "{:?}",
                NewPassword::parse("secret-secret", "secret-secret").unwrap()
            ),
            "NewPassword(***)"
        );
    }

    #[test]
    fn language_and_role_parse() {
        assert_eq!(Language::parse("ES").unwrap(), Language::Es);
        assert!(Language::parse("fr").is_err());
        assert_eq!(Role::from_db("staff"), Role::Staff);
        assert_eq!(Role::from_db("anything"), Role::Client);
    }
}
