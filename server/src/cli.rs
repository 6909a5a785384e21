//! The `portico` command line: serve (default), migrate, demo, billing run.
use crate::{build, config::Config, connect_database, services, telemetry};
use migration::{Migrator, MigratorTrait};
use std::process::ExitCode;

const USAGE: &str = "\
usage: portico [command]

commands:
  serve                         run the server (the default)
  migrate                       apply database migrations
  demo [--if-empty]             load the demo accounts (--if-empty: only into an empty database)
  billing run [--date YYYY-MM-DD]  run the billing automation now
  two-factor off EMAIL          turn two-factor sign-in off for an account locked out of it
                                (lost app and recovery codes; check who is asking first):
                                its sessions end and it is told by email
  help                          show this help

Configuration comes from the environment (see README): DATABASE_URL, PORTICO_BIND,
PORTICO_BASE_URL, PORTICO_SECRET_KEY, PORTICO_ENV, PORTICO_DATA_DIR, SMTP_URL, ...";

enum Command {
    Serve,
    Migrate,
    Demo { if_empty: bool },
    BillingRun { date: Option<chrono::NaiveDate> },
    TwoFactorOff { email: String },
    Help,
}

fn parse(args: &[String]) -> Result<Command, String> {
    let words: Vec<&str> = args.iter().map(String::as_str).collect();
    match words.as_slice() {
        [] | ["serve"] => Ok(Command::Serve),
        ["migrate"] => Ok(Command::Migrate),
        ["demo"] => Ok(Command::Demo { if_empty: false }),
        ["demo", "--if-empty"] => Ok(Command::Demo { if_empty: true }),
        ["billing", "run"] => Ok(Command::BillingRun { date: None }),
        ["billing", "run", "--date", d] => chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
            .map(|date| Command::BillingRun { date: Some(date) })
            .map_err(|_| format!("--date {d}: expected a date like 2026-03-01")),
        ["two-factor", "off", email] => Ok(Command::TwoFactorOff {
            email: (*email).to_owned(),
        }),
        ["help" | "--help" | "-h"] => Ok(Command::Help),
        _ => Err(format!("unknown command: {}", words.join(" "))),
    }
}

pub fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let command = match parse(&args) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("portico: {e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    if let Command::Help = command {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    telemetry::init();
    let cfg = match Config::load() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("portico: configuration error: {e}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("portico: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(command, cfg)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("portico: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Command, cfg: Config) -> anyhow::Result<ExitCode> {
    match command {
        Command::Serve => {
            for w in cfg.warnings() {
                tracing::warn!("{w}");
            }
            let base = cfg.base_url.clone();
            let app = build(cfg).await?;
            tracing::info!(port = app.port(), "Portico is listening at {base}");
            app.run_until_stopped().await?;
        }
        Command::Migrate => {
            let db = connect_database(&cfg).await?;
            Migrator::up(&db, None).await?;
            println!("migrations applied");
        }
        Command::Demo { if_empty } => {
            let db = connect_database(&cfg).await?;
            Migrator::up(&db, None).await?;
            let svc = services(&cfg, db)?;
            match domain::demo::load(&svc, if_empty).await? {
                domain::demo::DemoOutcome::Loaded => {
                    println!(
                        "demo data loaded (password for every demo account: {})",
                        domain::demo::DEMO_PASSWORD
                    );
                    for (email, name, role, _) in domain::demo::DEMO_ACCOUNTS {
                        println!("  {email:<20} {name} ({})", role.as_str());
                    }
                }
                domain::demo::DemoOutcome::SkippedNotEmpty => {
                    println!("the database already has accounts: demo data not loaded");
                }
            }
        }
        Command::BillingRun { date } => {
            let db = connect_database(&cfg).await?;
            Migrator::up(&db, None).await?;
            let svc = services(&cfg, db)?;
            let as_of = date.unwrap_or_else(|| svc.now().date_naive());
            let report = domain::billing::automation::run(&svc, as_of).await?;
            if report.skipped {
                eprintln!("portico: another billing run is in progress; nothing was done");
                return Ok(ExitCode::from(3));
            }
            println!("billing run as of {as_of}: {}", report.summary());
        }
        Command::TwoFactorOff { email } => {
            let db = connect_database(&cfg).await?;
            Migrator::up(&db, None).await?;
            let svc = services(&cfg, db)?;
            match domain::accounts::totp::reset_totp(&svc, &email).await {
                Ok(_) => println!(
                    "two-factor sign-in is off for {email}: its sessions were signed out and it \
                     was told by email; the password alone signs in until it is set up again"
                ),
                Err(e) => {
                    let why = match e {
                        domain::DomainError::NotFound => "no account has that email address",
                        domain::DomainError::Invalid(_) => "that is not an email address",
                        domain::DomainError::Refused(_) => "two-factor sign-in is not on for it",
                        e => return Err(e.into()),
                    };
                    eprintln!("portico: {email}: {why}; nothing was changed");
                    return Ok(ExitCode::from(2));
                }
            }
        }
        Command::Help => unreachable!("handled before configuration"),
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_parse() {
        let p = |s: &str| parse(&s.split_whitespace().map(String::from).collect::<Vec<_>>());
        assert!(matches!(p(""), Ok(Command::Serve)));
        assert!(matches!(
            p("demo --if-empty"),
            Ok(Command::Demo { if_empty: true })
        ));
        assert!(matches!(
            p("billing run --date 2026-01-01"),
            Ok(Command::BillingRun { date: Some(d) }) if d.to_string() == "2026-01-01"
        ));
        assert!(matches!(
            p("billing run"),
            Ok(Command::BillingRun { date: None })
        ));
        assert!(p("billing run --date 2026-02-30").is_err());
        assert!(p("billing run --date tomorrow").is_err());
        assert!(matches!(
            p("two-factor off ana@example.com"),
            Ok(Command::TwoFactorOff { email }) if email == "ana@example.com"
        ));
        assert!(p("two-factor off").is_err());
        assert!(p("two-factor on ana@example.com").is_err());
        assert!(p("frobnicate").is_err());
    }
}
