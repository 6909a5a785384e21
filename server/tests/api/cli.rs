//! `portico two-factor off EMAIL`, as whoever runs the server types it: a real process on a
//! real SQLite database.
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, Statement};
use std::{
    path::Path,
    process::{Command, Output},
};

const PORTICO: &str = env!("CARGO_BIN_EXE_portico");

fn portico(dir: &Path, args: &[&str]) -> Output {
    Command::new(PORTICO)
        .args(args)
        .env_remove("DATABASE_URL")
        .env_remove("SMTP_URL")
        .env("PORTICO_DATA_DIR", dir)
        .env("RUST_LOG", "error")
        .output()
        .unwrap()
}

async fn open(dir: &Path) -> DatabaseConnection {
    let url = format!("sqlite://{}/portico.db?mode=rwc", dir.display());
    Database::connect(url).await.unwrap()
}

async fn count(db: &DatabaseConnection, sql: &str) -> i64 {
    let row = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .unwrap()
        .unwrap();
    row.try_get_by_index::<i64>(0).unwrap()
}

#[tokio::test]
async fn two_factor_off_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    assert!(portico(dir.path(), &["demo"]).status.success());
    let db = open(dir.path()).await;
    // Ana has two-factor sign-in on, with recovery codes, and is signed in somewhere.
    for sql in [
        "UPDATE users SET totp_secret = 'JBSWY3DPEHPK3PXP', totp_enabled_at = '2026-12-01 10:00:00' \
         WHERE email = 'ana@example.com'",
        "INSERT INTO recovery_codes (user_id, code_hash) \
         SELECT id, 'h' FROM users WHERE email = 'ana@example.com'",
        "INSERT INTO sessions (user_id, token_hash, created_at, last_seen_at, expires_at, ip, user_agent) \
         SELECT id, 't', '2026-12-01 10:00:00', '2026-12-01 10:00:00', '2099-01-01 00:00:00', '10.0.0.1', 'test' \
         FROM users WHERE email = 'ana@example.com'",
    ] {
        db.execute_unprepared(sql).await.unwrap();
    }

    let out = portico(dir.path(), &["two-factor", "off", "ana@example.com"]);
    assert!(out.status.success(), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout)
        .contains("two-factor sign-in is off for ana@example.com"));
    let ana = "(SELECT id FROM users WHERE email = 'ana@example.com')";
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) FROM users WHERE email = 'ana@example.com' \
                    AND totp_secret IS NULL AND totp_enabled_at IS NULL"
        )
        .await,
        1
    );
    for table in ["recovery_codes", "sessions"] {
        assert_eq!(
            count(
                &db,
                &format!("SELECT COUNT(*) FROM {table} WHERE user_id = {ana}")
            )
            .await,
            0,
            "{table}"
        );
    }
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) FROM emails WHERE kind = 'two_factor_off' \
                    AND to_address = 'ana@example.com'"
        )
        .await,
        1,
        "Ana is told"
    );

    // Nothing to do, an unknown account, a typo: a clear message, exit code 2, no change.
    for (email, why) in [
        ("ana@example.com", "two-factor sign-in is not on for it"),
        ("nobody@example.com", "no account has that email address"),
        ("ana at example", "that is not an email address"),
    ] {
        let out = portico(dir.path(), &["two-factor", "off", email]);
        assert_eq!(out.status.code(), Some(2), "{email}: {out:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains(why) && stderr.contains("nothing was changed"),
            "{stderr}"
        );
    }
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) FROM emails WHERE kind = 'two_factor_off'"
        )
        .await,
        1
    );
}
