//! The client's personal and invoice details. Invoices copy these when they are issued, so a
//! change applies to future invoices only.
use super::{
    countries::{eu_vat_formats, is_known, matches_shape},
    Language,
};
use crate::{
    entities::user,
    error::{DomainError, DomainResult, Invalid},
    Services,
};
use sea_orm::{ActiveModelTrait, EntityTrait, Set};

/// The details as saved, with the account's login (and billing) email, which changes only
/// through its confirmation link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    pub email: String,
    pub details: Details,
}

/// The form as typed.
#[derive(Debug, Clone, Default)]
pub struct ProfileForm {
    pub name: String,
    pub company: String,
    pub address: String,
    pub postcode: String,
    pub region: String,
    pub country: String,
    pub vat_id: String,
    pub phone: String,
    pub language: String,
}

/// The details once every field has been checked and normalised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Details {
    pub name: String,
    pub company: String,
    pub address: String,
    pub postcode: String,
    pub region: String,
    /// ISO code or empty.
    pub country: String,
    pub vat_id: String,
    pub phone: String,
    pub language: Language,
}

fn one_line(s: &str, max: usize, err: Invalid) -> Result<String, Invalid> {
    let s = s.trim();
    if s.chars().count() > max || s.chars().any(char::is_control) {
        return Err(err);
    }
    Ok(s.to_owned())
}

impl ProfileForm {
    pub fn parse(&self) -> Result<Details, Invalid> {
        let name = one_line(&self.name, 200, Invalid::Name)?;
        if name.is_empty() {
            return Err(Invalid::Name);
        }
        let company = one_line(&self.company, 200, Invalid::Company)?;
        let address = self.address.trim().replace("\r\n", "\n");
        if address.chars().count() > 500 || address.chars().any(|c| c.is_control() && c != '\n') {
            return Err(Invalid::Address);
        }
        let postcode = one_line(&self.postcode, 16, Invalid::Postcode)?.to_uppercase();
        if !postcode
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '-')
        {
            return Err(Invalid::Postcode);
        }
        let region = one_line(&self.region, 100, Invalid::Region)?;
        let country = self.country.trim().to_ascii_uppercase();
        if !country.is_empty() && !is_known(&country) {
            return Err(Invalid::Country);
        }
        let vat_id = parse_vat_id(&country, &self.vat_id)?;
        let phone = parse_phone(&self.phone)?;
        let language = Language::parse(&self.language)?;
        Ok(Details {
            name,
            company,
            address,
            postcode,
            region,
            country,
            vat_id,
            phone,
            language,
        })
    }
}

/// An EU VAT number must have its country's shape (the prefix may be left out: it is added);
/// elsewhere a tax number is 2 to 30 letters and digits. Spaces, dots and dashes are dropped.
pub fn parse_vat_id(country: &str, raw: &str) -> Result<String, Invalid> {
    let v: String = raw
        .chars()
        .filter(|c| !matches!(c, ' ' | '.' | '-'))
        .collect::<String>()
        .to_uppercase();
    if v.is_empty() {
        return Ok(v);
    }
    match eu_vat_formats(country) {
        Some((prefix, shapes)) => {
            let number = v.strip_prefix(prefix).unwrap_or(&v);
            if shapes.iter().any(|s| matches_shape(number, s)) {
                Ok(format!("{prefix}{number}"))
            } else {
                Err(Invalid::VatId)
            }
        }
        None if country.is_empty() => Err(Invalid::VatId),
        None => {
            let n = v.chars().count();
            if (2..=30).contains(&n) && v.chars().all(|c| c.is_ascii_alphanumeric()) {
                Ok(v)
            } else {
                Err(Invalid::VatId)
            }
        }
    }
}

/// Digits with the usual separators and an optional leading `+`; 6 to 15 digits (E.164).
pub fn parse_phone(raw: &str) -> Result<String, Invalid> {
    let p = raw.trim();
    if p.is_empty() {
        return Ok(String::new());
    }
    let digits = p.chars().filter(char::is_ascii_digit).count();
    let shape_ok = p
        .char_indices()
        .all(|(i, c)| c.is_ascii_digit() || " -().".contains(c) || (c == '+' && i == 0));
    if shape_ok && (6..=15).contains(&digits) && p.len() <= 30 {
        Ok(p.to_owned())
    } else {
        Err(Invalid::Phone)
    }
}

fn from_model(u: user::Model) -> Profile {
    Profile {
        email: u.email,
        details: Details {
            language: Language::from_db(&u.language),
            name: u.name,
            company: u.company,
            address: u.address,
            postcode: u.postcode,
            region: u.region,
            country: u.country,
            vat_id: u.vat_id,
            phone: u.phone,
        },
    }
}

pub async fn profile(svc: &Services, user_id: i32) -> DomainResult<Profile> {
    user::Entity::find_by_id(user_id)
        .one(&svc.db)
        .await?
        .map(from_model)
        .ok_or(DomainError::NotFound)
}

/// Saves the details. Issued invoices keep the copy they were issued with.
pub async fn update_profile(svc: &Services, user_id: i32, p: Details) -> DomainResult<Profile> {
    let u = user::Entity::find_by_id(user_id)
        .one(&svc.db)
        .await?
        .ok_or(DomainError::NotFound)?;
    let mut a: user::ActiveModel = u.into();
    a.name = Set(p.name);
    a.company = Set(p.company);
    a.address = Set(p.address);
    a.postcode = Set(p.postcode);
    a.region = Set(p.region);
    a.country = Set(p.country);
    a.vat_id = Set(p.vat_id);
    a.phone = Set(p.phone);
    a.language = Set(p.language.as_str().to_owned());
    a.updated_at = Set(svc.now());
    Ok(from_model(a.update(&svc.db).await?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eu_vat_numbers_follow_their_country() {
        assert_eq!(parse_vat_id("ES", "B12345678"), Ok("ESB12345678".into()));
        assert_eq!(
            parse_vat_id("ES", "es 12345678-z"),
            Ok("ES12345678Z".into())
        );
        assert_eq!(
            parse_vat_id("DE", "DE 123.456.789"),
            Ok("DE123456789".into())
        );
        assert_eq!(parse_vat_id("GR", "123456789"), Ok("EL123456789".into()));
        assert_eq!(
            parse_vat_id("NL", "NL123456789B01"),
            Ok("NL123456789B01".into())
        );
        assert_eq!(parse_vat_id("AT", "ATU12345678"), Ok("ATU12345678".into()));
        for (country, bad) in [
            ("DE", "12345678"),    // one digit short
            ("DE", "FR123456789"), // another country's prefix
            ("ES", "123456789"),   // no letter
            ("NL", "NL123456789X01"),
            ("AT", "12345678"), // the U is part of the number
            ("FR", "FR12"),
            ("", "B12345678"), // a VAT number needs a country
            ("MX", "RFC/123"), // outside the EU: letters and digits only
        ] {
            assert_eq!(
                parse_vat_id(country, bad),
                Err(Invalid::VatId),
                "{country} {bad}"
            );
        }
        assert_eq!(
            parse_vat_id("MX", "GODE561231GR8"),
            Ok("GODE561231GR8".into())
        );
        assert_eq!(parse_vat_id("ES", "  "), Ok(String::new()));
    }

    #[test]
    fn phones_countries_and_other_fields() {
        assert_eq!(
            parse_phone("+34 600 12 34 56"),
            Ok("+34 600 12 34 56".into())
        );
        assert_eq!(parse_phone("(555) 010-1234"), Ok("(555) 010-1234".into()));
        for bad in ["12345", "+34 600 abc", "34+600123456", "1234567890123456"] {
            assert_eq!(parse_phone(bad), Err(Invalid::Phone), "{bad}");
        }
        let form = |f: fn(&mut ProfileForm)| {
            let mut p = ProfileForm {
                name: " Ana García ".into(),
                country: "es".into(),
                language: "es".into(),
                postcode: "28001".into(),
                ..Default::default()
            };
            f(&mut p);
            p.parse()
        };
        let ok = form(|_| {}).unwrap();
        assert_eq!(
            (ok.name.as_str(), ok.country.as_str()),
            ("Ana García", "ES")
        );
        assert_eq!(form(|p| p.name = "  ".into()), Err(Invalid::Name));
        assert_eq!(form(|p| p.country = "XX".into()), Err(Invalid::Country));
        assert_eq!(
            form(|p| p.postcode = "28001<".into()),
            Err(Invalid::Postcode)
        );
        assert_eq!(form(|p| p.company = "a".repeat(201)), Err(Invalid::Company));
        assert_eq!(
            form(|p| p.address = "a\u{0}b".into()),
            Err(Invalid::Address)
        );
        assert_eq!(form(|p| p.region = "a".repeat(101)), Err(Invalid::Region));
        assert_eq!(form(|p| p.language = "fr".into()), Err(Invalid::Language));
        assert_eq!(form(|p| p.vat_id = "DE123".into()), Err(Invalid::VatId));
        assert_eq!(
            form(|p| p.address = "Calle Mayor 1\r\n3º B".into())
                .unwrap()
                .address,
            "Calle Mayor 1\n3º B"
        );
    }
}
