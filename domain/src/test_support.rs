//! Shared set-up for the crate's database tests: a migrated in-memory SQLite database.
use crate::{clock::ManualClock, mail::Mailer, Services};
use chrono::{TimeZone, Utc};
use migration::{Migrator, MigratorTrait};
use sea_orm::Database;
use std::sync::Arc;

pub async fn services_with_clock(clock: ManualClock) -> Services {
    let db = Database::connect("sqlite::memory:").await.unwrap();
    Migrator::up(&db, None).await.unwrap();
    Services {
        db,
        mailer: Mailer::new(None, "Portico <portico@localhost>").unwrap(),
        clock: Arc::new(clock),
        base_url: "https://portal.example.com".into(),
        billing: Default::default(),
        cards: None,
        tickets: Default::default(),
        live: Default::default(),
    }
}

pub fn test_clock() -> ManualClock {
    ManualClock::new(Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap())
}

pub async fn services_on_memory_db() -> Services {
    services_with_clock(test_clock()).await
}

/// A fresh, migrated PostgreSQL database from the runner's server (`PORTICO_TEST_PG_URL`, set by
/// `cargo xtask test`); tests using it are `#[ignore]`d unless that server is up.
pub async fn services_on_fresh_postgres(tag: &str) -> Services {
    use sea_orm::ConnectionTrait;
    let url = std::env::var("PORTICO_TEST_PG_URL").expect("PORTICO_TEST_PG_URL");
    let admin = Database::connect(&url)
        .await
        .expect("connect to PostgreSQL");
    let name = format!("portico_{tag}_{}", std::process::id());
    admin
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name}"))
        .await
        .unwrap();
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .expect("create test database");
    let base = url.rsplit_once('/').map(|(b, _)| b).unwrap();
    let db = Database::connect(format!("{base}/{name}")).await.unwrap();
    Migrator::up(&db, None).await.unwrap();
    Services {
        db,
        mailer: Mailer::new(None, "Portico <portico@localhost>").unwrap(),
        clock: Arc::new(test_clock()),
        base_url: "https://portal.example.com".into(),
        billing: Default::default(),
        cards: None,
        tickets: Default::default(),
        live: Default::default(),
    }
}

/// A demo service by its domain (demo data must be loaded).
pub async fn demo_service(svc: &Services, domain: &str) -> crate::entities::service::Model {
    use crate::entities::service;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    service::Entity::find()
        .filter(service::Column::Domain.eq(domain))
        .one(&svc.db)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("demo service {domain}"))
}

/// The id of a demo account by its email (demo data must be loaded).
pub async fn user_id(svc: &Services, email: &str) -> i32 {
    use crate::entities::user;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    user::Entity::find()
        .filter(user::Column::Email.eq(email))
        .one(&svc.db)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("demo user {email}"))
        .id
}
