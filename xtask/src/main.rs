//! `cargo xtask <command>`: set up, build, run and test Portico with nothing but cargo.
//! Std-only on purpose: it has to compile in seconds on a fresh machine, before anything
//! else can be installed.

mod build;
mod e2e;
mod postgres;
mod run;
mod setup;
mod smtp_sink;
mod stripe;
mod test;
mod util;

use std::process::ExitCode;

use build::Profile;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  setup              install what is missing to build: wasm toolchain (rustup target or
                     Debian's rustc-web fallback), wasm-bindgen CLI, npm tools (wasm-opt, Playwright)
  build [--release]  setup, then build the browser bundle into target/site and the server
                     (target/{debug,release}/portico)
  run [--release]    build, migrate, load demo data on first start, then serve
  test               build (debug), run the Rust and browser suites, end with `N passed, N failed`
  e2e [ARGS…]        build (debug) and run only the browser suite; ARGS go to Playwright
                     (e.g. `cargo xtask e2e tests/cards.spec.ts --project desktop`)
  help               show this text

environment:
  XTASK_WASM_TOOLCHAIN=debian   build the wasm half with Debian's rustc-web even when rustup
                                has the wasm32 target (what a machine without rustup downloads does)
";

enum Task {
    Help,
    Setup,
    Build(Profile),
    Run(Profile),
    Test,
    E2e(Vec<String>),
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let task = match parse(&args) {
        Ok(task) => task,
        Err(msg) => {
            eprintln!("error: {msg}\n");
            eprint!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let root = util::workspace_root();
    let result = match task {
        Task::Help => {
            print!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        Task::Setup => setup::setup(&root, false).map(|_| ExitCode::SUCCESS),
        Task::Build(profile) => build::build(&root, profile, false).map(|()| ExitCode::SUCCESS),
        Task::Run(profile) => run::run(&root, profile),
        Task::Test => Ok(test::test(&root)),
        Task::E2e(args) => Ok(test::browser_only(&root, &args)),
    };
    result.unwrap_or_else(|e| {
        eprintln!("\nerror: {e}");
        ExitCode::FAILURE
    })
}

fn parse(args: &[String]) -> Result<Task, String> {
    let (command, flags) = match args.split_first() {
        Some((command, flags)) => (command.as_str(), flags),
        None => return Ok(Task::Help),
    };
    let profile = || match flags {
        [] => Ok(Profile::Debug),
        [flag] if flag == "--release" => Ok(Profile::Release),
        _ => Err(format!("`{command}` takes only --release, not {flags:?}")),
    };
    let no_flags = |task| match flags {
        [] => Ok(task),
        _ => Err(format!("`{command}` takes no arguments, not {flags:?}")),
    };
    match command {
        "help" | "-h" | "--help" => Ok(Task::Help),
        "setup" => no_flags(Task::Setup),
        "build" => profile().map(Task::Build),
        "run" => profile().map(Task::Run),
        "test" => no_flags(Task::Test),
        "e2e" => Ok(Task::E2e(flags.to_vec())),
        other => Err(format!("unknown command `{other}`")),
    }
}
