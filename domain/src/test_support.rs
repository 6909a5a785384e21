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
    }
}

pub fn test_clock() -> ManualClock {
    ManualClock::new(Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap())
}

pub async fn services_on_memory_db() -> Services {
    services_with_clock(test_clock()).await
}
