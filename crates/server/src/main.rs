//! The `samudbud` binary: parse the command line, set up logging, run.

use clap::Parser;
use samudbud_server::cli::{self, Cli, LogFormat};

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    samudbud_server::telemetry::init(cli.log_format == LogFormat::Json);
    match cli::run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
