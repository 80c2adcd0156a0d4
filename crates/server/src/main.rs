//! The `samudbud` binary: parse the command line, set up logging, run.

use clap::Parser;
use samudbud_server::cli::{self, Cli, LogFormat};

// A request decodes many small rows and strings: mimalloc's per-thread
// heaps allocate and free them at a fraction of the system allocator's
// cost under concurrent load, and hold less memory between requests.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
