//! Migrations apply, roll back and re-apply cleanly on SQLite, and on PostgreSQL when the test
//! runner provides one (`PORTICO_TEST_PG_URL`, set by `cargo xtask test`).
use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};

async fn round_trip(db: &DatabaseConnection) {
    Migrator::up(db, None).await.expect("migrations apply");
    let applied = Migrator::get_applied_migrations(db).await.expect("list");
    assert_eq!(applied.len(), Migrator::migrations().len());
    // The schema is usable: a user row can be written and read back.
    db.execute_unprepared(
        "INSERT INTO users (email, password_hash, name, role, language, created_at, updated_at) \
         VALUES ('a@example.com', 'x', 'A', 'client', 'en', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
    )
    .await
    .expect("insert user");
    let dup = db
        .execute_unprepared(
            "INSERT INTO users (email, password_hash, name, role, language, created_at, updated_at) \
             VALUES ('a@example.com', 'y', 'B', 'client', 'en', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
        )
        .await;
    assert!(dup.is_err(), "email must be unique");
    Migrator::down(db, None)
        .await
        .expect("migrations roll back");
    assert!(
        Migrator::get_pending_migrations(db).await.unwrap().len() == Migrator::migrations().len()
    );
    Migrator::up(db, None).await.expect("migrations re-apply");
}

#[tokio::test]
async fn sqlite_round_trip() {
    let db = Database::connect("sqlite::memory:").await.unwrap();
    round_trip(&db).await;
}

// Ignored (reported as skipped) unless `cargo xtask test` started a PostgreSQL server, in which
// case it runs the ignored tests too.
#[tokio::test]
#[ignore = "needs PostgreSQL: PORTICO_TEST_PG_URL"]
async fn postgres_round_trip() {
    let url = std::env::var("PORTICO_TEST_PG_URL").expect("PORTICO_TEST_PG_URL");
    let admin = Database::connect(&url)
        .await
        .expect("connect to PostgreSQL");
    let name = format!("portico_mig_{}", std::process::id());
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .expect("create test database");
    let base = url.rsplit_once('/').map(|(b, _)| b).unwrap();
    let db = Database::connect(format!("{base}/{name}")).await.unwrap();
    round_trip(&db).await;
    db.close().await.unwrap();
    admin
        .execute_unprepared(&format!("DROP DATABASE {name}"))
        .await
        .unwrap();
}
