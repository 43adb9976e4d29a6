//! `makers-bot serve` and friends; see `makers-bot --help`.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use makers_bot::app::{self, App};
use makers_bot::config::{Config, Needs};
use makers_bot::telemetry;

#[derive(Parser)]
#[command(
    name = "makers-bot",
    version,
    about = "Slack bot for Makers Project Teams"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve Slack's requests (events, slash commands, interactivity) over HTTP.
    Serve,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    telemetry::init();
    let needs = match cli.command {
        Command::Serve => Needs::Serve,
    };
    let config = match Config::from_env(needs) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("makers-bot: {e}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("makers-bot: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        match cli.command {
            Command::Serve => {
                let app = App::build(&config).await?;
                app.run(app::stop_on_signal()).await;
                anyhow::Ok(())
            }
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("makers-bot: {e:#}");
            ExitCode::FAILURE
        }
    }
}
