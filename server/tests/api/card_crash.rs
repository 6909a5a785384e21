//! Exactly-once card charges under SIGKILL: a real `portico billing run` charging many card
//! invoices through the Stripe stand-in (which answers slowly, and finishes a charge even when
//! the caller has gone) is killed at many points and run again. Afterwards every invoice is paid
//! once, and Stripe holds exactly one charge for it.
use chrono::Duration;
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, Statement, TransactionTrait};
use std::{
    collections::HashMap,
    path::Path,
    process::{Command, Stdio},
    time::Instant,
};
use stripe_standin::{Options, StandIn};

const PORTICO: &str = env!("CARGO_BIN_EXE_portico");
const PER_ROUND: usize = 25;

fn portico(dir: &Path, stripe: &str, args: &[&str]) -> Command {
    let mut c = Command::new(PORTICO);
    c.args(args)
        .env_remove("DATABASE_URL")
        .env("PORTICO_DATA_DIR", dir)
        .env("STRIPE_SECRET_KEY", "sk_test_crash")
        .env("STRIPE_API_BASE", stripe)
        .env("RUST_LOG", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    c
}

async fn open(dir: &Path) -> DatabaseConnection {
    let url = format!("sqlite://{}/portico.db?mode=rwc", dir.display());
    Database::connect(url).await.unwrap()
}

/// `PER_ROUND` more card-paid services of Ana's (who has the demo's saved card) falling due.
async fn add_due_services(dir: &Path, round: usize) {
    let db = open(dir).await;
    let txn = db.begin().await.unwrap();
    let b = txn.get_database_backend();
    let today = chrono::Utc::now().date_naive();
    let now = chrono::Utc::now();
    for i in 0..PER_ROUND {
        txn.execute_raw(Statement::from_sql_and_values(
            b,
            "INSERT INTO services (client_id, plan_id, domain, cycle, amount_cents, currency, registered_on, \
             next_due_on, gateway, status, suspension_reason, created_at, updated_at) \
             VALUES ((SELECT id FROM users WHERE email = 'ana@example.com'), 1, ?, 'monthly', 500, 'EUR', ?, ?, \
             'card', 'active', NULL, ?, ?)",
            [
                format!("crash-{round}-{i}.example").into(),
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

async fn strings(db: &DatabaseConnection, sql: &str) -> Vec<String> {
    let b = db.get_database_backend();
    db.query_all_raw(Statement::from_string(b, sql))
        .await
        .unwrap()
        .iter()
        .map(|r| r.try_get_by_index::<String>(0).unwrap())
        .collect()
}

/// Every card invoice is paid, by exactly one card payment, and Stripe has exactly one
/// PaymentIntent for it, succeeded, for its total.
async fn assert_each_charged_once(dir: &Path, stripe: &StandIn, when: &str) -> usize {
    let db = open(dir).await;
    let rows = strings(
        &db,
        "SELECT i.id || '|' || i.status || '|' || i.total_cents || '|' || \
         (SELECT COUNT(*) FROM payments p WHERE p.invoice_id = i.id AND p.method = 'card') \
         FROM invoices i WHERE i.id IN (SELECT it.invoice_id FROM invoice_items it \
         JOIN services s ON s.id = it.service_id WHERE s.domain LIKE 'crash-%')",
    )
    .await;
    db.close().await.unwrap();
    let mut intents: HashMap<String, Vec<serde_json::Value>> = HashMap::new();
    for pi in stripe.payment_intents() {
        if let Some(inv) = pi["metadata"]["portico_invoice"].as_str() {
            intents.entry(inv.to_owned()).or_default().push(pi);
        }
    }
    for row in &rows {
        let f: Vec<&str> = row.split('|').collect();
        let (id, status, total, payments) = (f[0], f[1], f[2], f[3]);
        assert_eq!(status, "paid", "invoice {id} {when}");
        assert_eq!(payments, "1", "card payments on invoice {id} {when}");
        let pis = intents.get(id).map(Vec::as_slice).unwrap_or_default();
        assert_eq!(
            pis.len(),
            1,
            "PaymentIntents for invoice {id} {when}: {pis:?}"
        );
        assert_eq!(pis[0]["status"], "succeeded");
        assert_eq!(pis[0]["amount"].to_string(), total);
    }
    rows.len()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_charge_run_killed_at_any_point_and_run_again_charges_each_invoice_once() {
    let stripe = StandIn::start(
        tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap(),
        Options {
            // Slow enough for kills to land while Stripe is charging.
            latency: std::time::Duration::from_millis(40),
            ..Default::default()
        },
    )
    .await;
    let base = stripe.base_url();
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    assert!(portico(dir, &base, &["demo"]).status().unwrap().success());
    let as_of = chrono::Utc::now().date_naive().to_string();
    let run = || {
        portico(dir, &base, &["billing", "run", "--date", &as_of])
            .status()
            .unwrap()
    };

    // Round 0, uninterrupted: how long a run of PER_ROUND charges takes.
    add_due_services(dir, 0).await;
    let started = Instant::now();
    assert!(run().success());
    let took = started.elapsed();
    assert_eq!(
        assert_each_charged_once(dir, &stripe, "after a clean run").await,
        PER_ROUND
    );

    let mut cut = 0;
    for (round, fraction) in [0.1, 0.2, 0.35, 0.5, 0.65, 0.8, 0.9]
        .into_iter()
        .enumerate()
    {
        let round = round + 1;
        add_due_services(dir, round).await;
        let before = stripe.payment_intents().len();
        let mut child = portico(dir, &base, &["billing", "run", "--date", &as_of])
            .spawn()
            .unwrap();
        std::thread::sleep(took.mul_f64(fraction));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        let charged = stripe.payment_intents().len() - before;
        if charged > 0 && charged < PER_ROUND {
            cut += 1;
        }
        // The killed run's lease must expire before another may start; expire it now.
        let db = open(dir).await;
        db.execute_unprepared("DELETE FROM billing_leases")
            .await
            .unwrap();
        db.close().await.unwrap();
        assert!(run().success(), "rerun after a kill at {fraction}");
        let n =
            assert_each_charged_once(dir, &stripe, &format!("after a kill at {fraction}")).await;
        assert_eq!(n, PER_ROUND * (round + 1));
    }
    assert!(
        cut >= 3,
        "only {cut} kills landed in the middle of the charges ({took:?})"
    );
}
