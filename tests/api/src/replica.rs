//! The `samudbud` binary as a process of its own, for tests of what several
//! servers on one database do together. The binary is the one cargo built
//! beside the test binary (`target/<profile>/samudbud`, which
//! `cargo test --workspace` builds), or the one `SAMUDBUD_TEST_SERVER_BIN`
//! names.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The server binary, or `None` when it has not been built (outside CI).
pub fn server_binary() -> Option<PathBuf> {
    if let Ok(path) = std::env::var("SAMUDBUD_TEST_SERVER_BIN")
        && !path.is_empty()
    {
        return Some(PathBuf::from(path));
    }
    // The test binary is target/<profile>/deps/http-…; the server's is
    // target/<profile>/samudbud.
    let exe = std::env::current_exe().ok()?;
    let profile_dir = exe.parent()?.parent()?;
    let path = profile_dir.join(format!("samudbud{}", std::env::consts::EXE_SUFFIX));
    if path.is_file() {
        return Some(path);
    }
    assert!(
        std::env::var("CI").is_err(),
        "CI must build the samudbud binary before the API tests \
         (`cargo test --workspace` does); not found at {}",
        path.display()
    );
    None
}

/// One `samudbud serve` process, killed when dropped.
pub struct Replica {
    pub name: String,
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    child: Child,
    log: Arc<Mutex<Vec<String>>>,
    _dir: tempfile::TempDir,
}

impl Replica {
    /// Starts `binary` as `samudbud serve` on a free port with its own data
    /// directory and the given environment (inherited `SAMUDBUD_*`
    /// variables are dropped), and waits until it listens.
    pub async fn start(binary: &Path, name: &str, env: &[(&str, String)]) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut command = Command::new(binary);
        for (key, _) in std::env::vars_os() {
            if key.to_string_lossy().starts_with("SAMUDBUD_") {
                command.env_remove(key);
            }
        }
        command
            .env("SAMUDBUD_DATA_DIR", dir.path())
            .env("SAMUDBUD_WEB_DIR", dir.path().join("no-web-app"))
            .envs(env.iter().map(|(key, value)| (key, value)))
            .args(["serve", "--addr", "127.0.0.1:0"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        let mut child = command.spawn().expect("start samudbud serve");
        let stderr = child.stderr.take().expect("stderr");
        let log = Arc::new(Mutex::new(Vec::new()));
        let (found, listening) = tokio::sync::oneshot::channel();
        let lines = log.clone();
        std::thread::spawn(move || {
            let mut found = Some(found);
            // Keep draining, so that the server never blocks on a full pipe.
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(rest) = line.strip_prefix("Samudbud is listening on ")
                    && let Some(sender) = found.take()
                {
                    let base = rest.split_whitespace().next().unwrap_or_default();
                    sender.send(base.trim_end_matches('/').to_owned()).ok();
                }
                lines.lock().unwrap().push(line);
            }
        });
        let base = match tokio::time::timeout(Duration::from_secs(60), listening).await {
            Ok(Ok(base)) => base,
            _ => {
                child.kill().ok();
                child.wait().ok();
                panic!(
                    "replica {name} did not start:\n{}",
                    log.lock().unwrap().join("\n")
                );
            }
        };
        Self {
            name: name.to_owned(),
            base,
            child,
            log,
            _dir: dir,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Kills the process at once (SIGKILL), as a crash or an evicted pod
    /// ends it: nothing is finished or released.
    pub fn kill(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }

    /// What the server wrote to stderr so far.
    pub fn log(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }
}

impl Drop for Replica {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}
