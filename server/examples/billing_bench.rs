//! Benchmark of one billing run (not a test): seeds a SQLite database the way production opens
//! it, with `TOTAL` services of which `DUE` fall due within the renewal window, and times
//! `billing::automation::run`. Then does the same with only the due services and prints the
//! ratio: a run's cost must follow the due services, not all of them.
//!
//!     cargo run --release -p server --example billing_bench [TOTAL] [DUE]
use chrono::{Duration, Utc};
use migration::MigratorTrait;
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement, TransactionTrait};
use std::time::Instant;

async fn seed(db: &DatabaseConnection, total: usize, due: usize) -> anyhow::Result<()> {
    let now = Utc::now();
    let today = now.date_naive();
    let txn = db.begin().await?;
    let b = txn.get_database_backend();
    txn.execute_raw(Statement::from_string(
        b,
        "INSERT INTO plans (slug, name, description, features, currency, setup_fee_cents, active, hidden, sort_order) \
         VALUES ('bench', 'Bench', '', '', 'EUR', 0, true, false, 0)",
    ))
    .await?;
    let clients = total.div_ceil(10);
    for i in 0..clients {
        txn.execute_raw(Statement::from_sql_and_values(
            b,
            "INSERT INTO users (email, password_hash, name, role, language, created_at, updated_at) \
             VALUES (?, 'x', 'Bench Client', 'client', 'en', ?, ?)",
            [format!("bench{i}@example.com").into(), now.into(), now.into()],
        ))
        .await?;
    }
    for i in 0..total {
        // Due services fall due in 10 days (inside the 14-day window); the rest in 200 days.
        let next_due = if i < due {
            today + Duration::days(10)
        } else {
            today + Duration::days(200)
        };
        txn.execute_raw(Statement::from_sql_and_values(
            b,
            "INSERT INTO services (client_id, plan_id, domain, cycle, amount_cents, currency, registered_on, \
             next_due_on, gateway, status, suspension_reason, created_at, updated_at) \
             VALUES (?, 1, ?, 'monthly', 999, 'EUR', ?, ?, 'manual', 'active', NULL, ?, ?)",
            [
                ((i / 10 + 1) as i32).into(),
                format!("site{i}.example").into(),
                (today - Duration::days(30)).into(),
                next_due.into(),
                now.into(),
                now.into(),
            ],
        ))
        .await?;
    }
    txn.commit().await?;
    Ok(())
}

async fn time_run(total: usize, due: usize) -> anyhow::Result<f64> {
    let dir = tempfile::tempdir()?;
    let vars = [
        (
            "PORTICO_DATA_DIR".to_string(),
            dir.path().to_str().unwrap().to_string(),
        ),
        (
            "PORTICO_BILLING_INTERVAL_MINUTES".to_string(),
            "0".to_string(),
        ),
    ]
    .into_iter()
    .collect();
    let cfg = server::config::Config::from_vars(&vars)?;
    let db = server::connect_database(&cfg).await?;
    migration::Migrator::up(&db, None).await?;
    seed(&db, total, due).await?;
    let svc = server::services(&cfg, db)?;
    let started = Instant::now();
    let report = domain::billing::automation::run(&svc, svc.now().date_naive()).await?;
    let secs = started.elapsed().as_secs_f64();
    assert_eq!(
        report.renewals as usize, due,
        "every due service renewed once"
    );
    println!(
        "{total:>7} services, {due:>6} due: {secs:>6.2} s  ({:.2} ms per renewal; {})",
        secs * 1000.0 / due.max(1) as f64,
        report.summary()
    );
    Ok(secs)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let total = args.first().copied().unwrap_or(50_000);
    let due = args.get(1).copied().unwrap_or(5_000);
    let all = time_run(total, due).await?;
    let only_due = time_run(due, due).await?;
    println!(
        "ratio (all services / only the due ones): {:.2}",
        all / only_due
    );
    Ok(())
}
