//! Crash safety of the billing automation: a real `portico billing run` process killed with
//! SIGKILL at many points, then run again, ends in exactly the state of an uninterrupted run —
//! same invoices with the same gapless numbers, same renewals, notices, emails and statuses.
use chrono::{Duration, NaiveDate};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, Statement, TransactionTrait};
use std::{
    path::Path,
    process::{Command, Stdio},
    time::Instant,
};

const PORTICO: &str = env!("CARGO_BIN_EXE_portico");
const EXTRA_SERVICES: usize = 300;

fn portico(dir: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(PORTICO);
    c.args(args)
        .env_remove("DATABASE_URL")
        .env("PORTICO_DATA_DIR", dir)
        .env("RUST_LOG", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    c
}

async fn open(dir: &Path) -> DatabaseConnection {
    let url = format!("sqlite://{}/portico.db?mode=rwc", dir.display());
    Database::connect(url).await.unwrap()
}

/// The demo data plus `EXTRA_SERVICES` services falling due in ten days, so a run has plenty
/// of units of work to be killed in the middle of.
async fn seed(dir: &Path, today: NaiveDate) {
    assert!(portico(dir, &["demo"]).status().unwrap().success());
    let db = open(dir).await;
    let txn = db.begin().await.unwrap();
    let b = txn.get_database_backend();
    let now = today.and_hms_opt(8, 0, 0).unwrap().and_utc();
    for i in 0..EXTRA_SERVICES {
        if i % 10 == 0 {
            txn.execute_raw(Statement::from_sql_and_values(
                b,
                "INSERT INTO users (email, password_hash, name, role, language, created_at, updated_at) \
                 VALUES (?, 'x', 'Crash Test', 'client', ?, ?, ?)",
                [
                    format!("crash{i}@example.com").into(),
                    if i % 20 == 0 { "es" } else { "en" }.into(),
                    now.into(),
                    now.into(),
                ],
            ))
            .await
            .unwrap();
        }
        txn.execute_raw(Statement::from_sql_and_values(
            b,
            "INSERT INTO services (client_id, plan_id, domain, cycle, amount_cents, currency, registered_on, \
             next_due_on, gateway, status, suspension_reason, created_at, updated_at) \
             VALUES ((SELECT MAX(id) FROM users), 1, ?, 'monthly', 500, 'EUR', ?, ?, 'manual', 'active', NULL, ?, ?)",
            [
                format!("crash{i}.example").into(),
                (today - Duration::days(20)).into(),
                (today + Duration::days(10)).into(),
                now.into(),
                now.into(),
            ],
        ))
        .await
        .unwrap();
    }
    txn.commit().await.unwrap();
    db.close().await.unwrap();
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

async fn rows(db: &DatabaseConnection, sql: &str) -> Vec<String> {
    let b = db.get_database_backend();
    let mut out: Vec<String> = db
        .query_all_raw(Statement::from_string(b, sql))
        .await
        .unwrap()
        .iter()
        .map(|r| r.try_get_by_index::<String>(0).unwrap())
        .collect();
    out.sort();
    out
}

/// Everything a billing run decides, without the timestamps of when it was written.
async fn snapshot(dir: &Path) -> Vec<Vec<String>> {
    let db = open(dir).await;
    let mut s = Vec::new();
    for sql in [
        "SELECT number || '|' || client_id || '|' || total_cents || '|' || status || '|' || due_on FROM invoices",
        "SELECT r.service_id || '|' || r.period_start || '|' || i.number FROM service_renewals r JOIN invoices i ON i.id = r.invoice_id",
        "SELECT i.number || '|' || n.kind FROM billing_notices n JOIN invoices i ON i.id = n.invoice_id",
        "SELECT COALESCE(user_id, 0) || '|' || kind || '|' || subject FROM emails",
        "SELECT id || '|' || status || '|' || COALESCE(suspension_reason, '') || '|' || next_due_on FROM services",
        "SELECT service_id || '|' || action FROM provisioning_actions",
        "SELECT name || '|' || next_value FROM number_sequences",
    ] {
        s.push(rows(&db, sql).await);
    }
    db.close().await.unwrap();
    s
}

async fn invoices_in(dir: &Path) -> usize {
    let db = open(dir).await;
    let n = rows(&db, "SELECT CAST(COUNT(*) AS TEXT) FROM invoices").await[0]
        .parse()
        .unwrap();
    db.close().await.unwrap();
    n
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_billing_run_killed_at_any_point_and_run_again_ends_as_if_never_interrupted() {
    let root = tempfile::tempdir().unwrap();
    let today = chrono::Utc::now().date_naive();
    // A day on which renewals, reminders, overdue notices, suspensions and a cancellation are due.
    let as_of = (today + Duration::days(4)).to_string();
    let seeded = root.path().join("seeded");
    seed(&seeded, today).await;
    let before = invoices_in(&seeded).await;

    let reference = root.path().join("reference");
    copy_dir(&seeded, &reference);
    let started = Instant::now();
    let run = |dir: &Path| {
        portico(dir, &["billing", "run", "--date", &as_of])
            .status()
            .unwrap()
    };
    assert!(run(&reference).success());
    let took = started.elapsed();
    let expected = snapshot(&reference).await;
    let full = invoices_in(&reference).await;
    assert!(
        full >= before + EXTRA_SERVICES,
        "the run renews every due service"
    );

    let mut interrupted = 0;
    for (i, fraction) in [0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95]
        .into_iter()
        .enumerate()
    {
        let dir = root.path().join(format!("kill-{i}"));
        copy_dir(&seeded, &dir);
        let mut child = portico(&dir, &["billing", "run", "--date", &as_of])
            .spawn()
            .unwrap();
        std::thread::sleep(took.mul_f64(fraction));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        let partial = invoices_in(&dir).await;
        if partial > before && partial < full {
            interrupted += 1;
        }
        // The killed run's lease has to expire before another run may start; expire it now.
        let db = open(&dir).await;
        db.execute_unprepared("DELETE FROM billing_leases")
            .await
            .unwrap();
        db.close().await.unwrap();
        assert!(run(&dir).success(), "rerun after a kill at {fraction}");
        assert_eq!(
            snapshot(&dir).await,
            expected,
            "killed at {fraction} of the run"
        );
    }
    assert!(
        interrupted >= 3,
        "only {interrupted} kills landed in the middle of the run ({took:?})"
    );
}
