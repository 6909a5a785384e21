//! What a contact (a person invited to act for a client account) may do. The account's owner
//! may do everything; a contact only what the owner granted.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// See invoices and pay them (also credit and the PDF).
    Invoices,
    /// Save, replace and remove cards.
    PaymentMethods,
    /// Open tickets and read and answer them.
    Tickets,
    /// See services, change plans, ask for cancellation.
    Services,
    /// Invite, change and remove contacts.
    Contacts,
}

impl Permission {
    pub const ALL: [Permission; 5] = [
        Permission::Invoices,
        Permission::PaymentMethods,
        Permission::Tickets,
        Permission::Services,
        Permission::Contacts,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Permission::Invoices => "invoices",
            Permission::PaymentMethods => "payment_methods",
            Permission::Tickets => "tickets",
            Permission::Services => "services",
            Permission::Contacts => "contacts",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == s.trim())
    }

    fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

/// A set of permissions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Permissions(u8);

impl Permissions {
    pub fn all() -> Self {
        Self::from_iter(Permission::ALL)
    }

    pub fn none() -> Self {
        Self(0)
    }

    pub fn has(self, p: Permission) -> bool {
        self.0 & p.bit() != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn iter(self) -> impl Iterator<Item = Permission> {
        Permission::ALL.into_iter().filter(move |p| self.has(*p))
    }

    /// The stored form ("invoices,tickets"). Unknown names are dropped: a permission that no
    /// longer exists grants nothing.
    pub fn from_db(s: &str) -> Self {
        Self::from_iter(s.split(',').filter_map(Permission::parse))
    }

    pub fn to_db(self) -> String {
        self.iter()
            .map(Permission::as_str)
            .collect::<Vec<_>>()
            .join(",")
    }
}

impl FromIterator<Permission> for Permissions {
    fn from_iter<I: IntoIterator<Item = Permission>>(iter: I) -> Self {
        Self(iter.into_iter().fold(0, |acc, p| acc | p.bit()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_unknown_names() {
        let p = Permissions::from_db("tickets, invoices,launch_missiles");
        assert!(p.has(Permission::Tickets) && p.has(Permission::Invoices));
        assert!(!p.has(Permission::Contacts) && !p.has(Permission::PaymentMethods));
        assert_eq!(p.to_db(), "invoices,tickets");
        assert!(Permissions::from_db("").is_empty());
        assert_eq!(
            Permissions::from_db(&Permissions::all().to_db()),
            Permissions::all()
        );
    }
}
