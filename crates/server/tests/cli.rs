//! The `samudbud` command as operators and scripts use it.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn samudbud(data_dir: &std::path::Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_samudbud"))
        .args(args)
        .env("SAMUDBUD_DATA_DIR", data_dir)
        .env_remove("SAMUDBUD_DATABASE_URL")
        .env_remove("SAMUDBUD_PASSWORD")
        .env("RUST_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run samudbud");
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input.as_bytes())
            .expect("write stdin");
    }
    drop(child.stdin.take());
    child.wait_with_output().expect("samudbud output")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).trim().to_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn the_committed_spec_is_what_the_binary_prints() {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = samudbud(dir.path(), &["openapi"], None);
    assert!(output.status.success(), "{}", stderr(&output));
    let committed = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../openapi/openapi.json"
    ))
    .expect("openapi/openapi.json");
    assert!(
        String::from_utf8_lossy(&output.stdout) == committed,
        "openapi/openapi.json is stale: run `make openapi` and commit the result"
    );
}

#[test]
fn operators_create_municipalities_and_users_from_the_command_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path();

    let tenant = samudbud(
        data,
        &[
            "tenant",
            "create",
            "--name",
            "Sorø Kommune",
            "--code",
            "340",
            "--cvr",
            "29188955",
        ],
        None,
    );
    assert!(tenant.status.success(), "{}", stderr(&tenant));
    assert!(
        uuid::Uuid::parse_str(&stdout(&tenant)).is_ok(),
        "prints the id: {}",
        stdout(&tenant)
    );

    let duplicate = samudbud(
        data,
        &["tenant", "create", "--name", "Sorø", "--code", "340"],
        None,
    );
    assert!(!duplicate.status.success());
    assert!(
        stderr(&duplicate).contains("already exists"),
        "{}",
        stderr(&duplicate)
    );

    let invalid = samudbud(
        data,
        &[
            "tenant", "create", "--name", "X", "--code", "34", "--cvr", "12345678",
        ],
        None,
    );
    assert!(!invalid.status.success());
    let message = stderr(&invalid);
    assert!(
        message.contains("municipality_code") && message.contains("cvr"),
        "{message}"
    );

    let user = samudbud(
        data,
        &[
            "user",
            "create",
            "--tenant",
            "340",
            "--email",
            "admin@soroe.dk",
            "--role",
            "admin",
        ],
        Some("et-langt-kodeord-til-admin\n"),
    );
    assert!(user.status.success(), "{}", stderr(&user));
    assert!(uuid::Uuid::parse_str(&stdout(&user)).is_ok());

    let no_such_tenant = samudbud(
        data,
        &[
            "user", "create", "--tenant", "999", "--email", "x@y.dk", "--role", "viewer",
        ],
        Some("et-langt-kodeord-til-admin\n"),
    );
    assert!(!no_such_tenant.status.success());

    let no_password = samudbud(
        data,
        &[
            "user",
            "create",
            "--tenant",
            "340",
            "--email",
            "b@soroe.dk",
            "--role",
            "viewer",
        ],
        Some(""),
    );
    assert!(!no_password.status.success());
    assert!(
        stderr(&no_password).contains("SAMUDBUD_PASSWORD"),
        "{}",
        stderr(&no_password)
    );
}

#[test]
fn the_demo_seeds_once_and_prints_its_logins() {
    let dir = tempfile::tempdir().expect("temp dir");
    let first = samudbud(dir.path(), &["demo"], None);
    assert!(first.status.success(), "{}", stderr(&first));
    let second = samudbud(dir.path(), &["demo"], None);
    assert!(second.status.success(), "{}", stderr(&second));
    let logins = stderr(&second);
    for expected in [
        "admin@soroe.dk",
        "redaktoer@ringsted.dk",
        "laeser@naestved.dk",
        "Demo-adgangskode-1",
    ] {
        assert!(logins.contains(expected), "{logins}");
    }
}

#[test]
fn migrate_creates_the_database_in_the_data_directory() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("nested").join("data");
    let output = samudbud(&data, &["migrate"], None);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(data.join("samudbud.db").is_file());
}

#[test]
fn proxy_settings_that_would_be_believed_blindly_stop_the_server() {
    let dir = tempfile::tempdir().expect("temp dir");
    let serve = |name: &str, value: &str| {
        Command::new(env!("CARGO_BIN_EXE_samudbud"))
            .args(["serve", "--addr", "127.0.0.1:0"])
            .env("SAMUDBUD_DATA_DIR", dir.path())
            .env_remove("SAMUDBUD_DATABASE_URL")
            .env_remove("SAMUDBUD_TRUSTED_PROXIES")
            .env_remove("SAMUDBUD_TRUST_FORWARDED_FOR")
            .env(name, value)
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .output()
            .expect("run samudbud")
    };

    let old = serve("SAMUDBUD_TRUST_FORWARDED_FOR", "true");
    assert!(!old.status.success());
    assert!(
        stderr(&old).contains("SAMUDBUD_TRUSTED_PROXIES"),
        "names the replacement: {}",
        stderr(&old)
    );

    let garbage = serve("SAMUDBUD_TRUSTED_PROXIES", "10.0.0.0/8,everyone");
    assert!(!garbage.status.success());
    assert!(
        stderr(&garbage).contains("everyone"),
        "names the bad entry: {}",
        stderr(&garbage)
    );
}
