//! Demo data for `portico demo` and the first start of `cargo xtask run`.
use crate::{
    accounts::{create_user, Language, NewUser, Role},
    entities::user,
    error::DomainResult,
    Services,
};
use sea_orm::{EntityTrait, PaginatorTrait};

pub const DEMO_PASSWORD: &str = "portico-demo";

pub const DEMO_ACCOUNTS: [(&str, &str, Role, Language); 3] = [
    ("admin@example.com", "Alex Admin", Role::Staff, Language::En),
    ("ana@example.com", "Ana García", Role::Client, Language::Es),
    ("ben@example.com", "Ben Carter", Role::Client, Language::En),
];

pub enum DemoOutcome {
    Loaded,
    SkippedNotEmpty,
}

/// Loads the demo accounts. With `only_if_empty`, a database that already has users is left
/// alone (first start); otherwise accounts that exist already are skipped.
pub async fn load(svc: &Services, only_if_empty: bool) -> DomainResult<DemoOutcome> {
    if only_if_empty && user::Entity::find().count(&svc.db).await? > 0 {
        return Ok(DemoOutcome::SkippedNotEmpty);
    }
    for (email, name, role, language) in DEMO_ACCOUNTS {
        let res = create_user(
            svc,
            NewUser {
                email,
                password: DEMO_PASSWORD,
                name,
                role,
                language,
            },
        )
        .await;
        match res {
            Ok(_) | Err(crate::DomainError::Conflict(_)) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(DemoOutcome::Loaded)
}
