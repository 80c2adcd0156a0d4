//! The `samudbud` binary: parse the command line, set up logging, run.

use clap::Parser;
use samudbud_server::cli::{self, Cli, LogFormat};

// A request decodes many small rows and strings: mimalloc's per-thread
// heaps allocate and free them at a fraction of the system allocator's
// cost under concurrent load, and hold less memory between requests. It is
// built without transparent huge pages (`no_thp`): where the kernel grants
// them on request (Debian's default), each of mimalloc's regions would be
// resident two megabytes at a time, however little of it is used; the
// idle server held 62 MB instead of 45, and the load bench's peak on
// SQLite was 144-154 MB instead of 113, at the same rate.
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
