//! Settings: defaults, overridden by `SAMUDBUD_*` environment variables,
//! overridden by command-line flags (clap reads both). Secrets are never
//! printed: `Settings` has no `Debug` that shows them.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::proxies::TrustedProxies;

#[derive(Clone)]
pub struct Settings {
    /// Where the server listens.
    pub addr: SocketAddr,
    /// `sqlite://…` or `postgres://…`.
    pub database_url: String,
    /// PostgreSQL with two roles: the role that owns the tables, for
    /// migrations and cross-municipality work; `database_url` is then the
    /// application's role, with table privileges only.
    pub owner_database_url: Option<String>,
    /// Data directory: the SQLite file and the generated JWT secret.
    pub data_dir: PathBuf,
    /// The secret that signs access tokens.
    pub jwt_secret: Vec<u8>,
    /// Seals the secrets the service stores and must read back (a Kitos
    /// API user's password).
    pub secrets: samudbud_domain::secrets::SecretBox,
    /// The built web app (`web/dist`), served at `/` when present.
    pub web_dir: Option<PathBuf>,
    /// The reverse proxies whose `X-Forwarded-For` entries are believed.
    pub trusted_proxies: TrustedProxies,
    /// Largest request body accepted, in bytes.
    pub body_limit_bytes: usize,
    /// The response cache's budget in bytes (`crate::responses`); 0 turns
    /// it off.
    pub response_cache_bytes: usize,
    /// How long a login lasts, refreshes included.
    pub session_lifetime: chrono::Duration,
    /// Who may read `/metrics`.
    pub metrics: MetricsAccess,
    /// Who runs the installation, as the web app's footer names them.
    pub site: SiteSettings,
    /// The address users reach the service at (`https://samudbud.example.dk`),
    /// for links that leave the browser: calendar feeds, e-mails. `None`:
    /// derived from the listen address (`default_public_url`).
    pub public_url: Option<String>,
    /// The reminder digests: the scheduler and how mail is sent.
    pub reminders: ReminderSettings,
    /// Webhooks: the dispatcher and which endpoint addresses are accepted.
    pub webhooks: WebhookSettings,
}

/// The webhook dispatcher. `Default` leaves it off (tests drive it
/// themselves) and accepts HTTPS endpoints only; `samudbud serve` runs it
/// unless told not to.
#[derive(Clone, Debug)]
pub struct WebhookSettings {
    /// Whether this server runs the dispatcher.
    pub enabled: bool,
    /// How often the dispatcher looks for due deliveries when idle.
    pub tick: std::time::Duration,
    /// How long an endpoint may take to answer.
    pub timeout: std::time::Duration,
    /// The wait after the first failed attempt; it doubles with each.
    pub first_retry: chrono::Duration,
    /// How long an endpoint may fail before it is disabled.
    pub retry_for: chrono::Duration,
    /// Also accept `http://127.0.0.1`, `http://[::1]` and `http://localhost`
    /// endpoints (development and tests only).
    pub allow_loopback_http: bool,
}

impl Default for WebhookSettings {
    fn default() -> Self {
        Self {
            enabled: false,
            tick: std::time::Duration::from_secs(1),
            timeout: std::time::Duration::from_secs(10),
            first_retry: chrono::Duration::minutes(1),
            retry_for: chrono::Duration::days(1),
            allow_loopback_http: false,
        }
    }
}

/// The reminder digests' scheduler and mail. `Default` leaves the scheduler
/// off (tests and tools drive it themselves); `samudbud serve` runs it unless
/// told not to.
#[derive(Clone)]
pub struct ReminderSettings {
    /// Whether this server runs the scheduler.
    pub enabled: bool,
    /// How often the scheduler looks for due and retried digests.
    pub tick: std::time::Duration,
    /// `smtp://user:pass@host:587?tls=required`, `smtps://…:465`; `None`:
    /// mails are written to the log.
    pub smtp_url: Option<String>,
    /// The sender, e.g. `Samudbud <noreply@kommune.dk>`.
    pub mail_from: String,
}

/// The sender when none is configured.
pub const DEFAULT_MAIL_FROM: &str = "Samudbud <samudbud@localhost>";

impl Default for ReminderSettings {
    fn default() -> Self {
        Self {
            enabled: false,
            tick: std::time::Duration::from_secs(300),
            smtp_url: None,
            mail_from: DEFAULT_MAIL_FROM.to_owned(),
        }
    }
}

impl std::fmt::Debug for ReminderSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReminderSettings")
            .field("enabled", &self.enabled)
            .field("tick_secs", &self.tick.as_secs())
            .field("smtp_url", &self.smtp_url.as_deref().map(redact_url))
            .field("mail_from", &self.mail_from)
            .finish()
    }
}

/// The operator of the installation: named in the web app's footer and
/// accessibility statement, with how to reach them and their logo.
#[derive(Clone, Debug, Default)]
pub struct SiteSettings {
    pub operator_name: Option<String>,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
    /// An SVG, PNG, JPEG or WebP file shown in the header.
    pub logo_file: Option<PathBuf>,
    /// The prefix of the open contracting ids (`ocid`) of published
    /// contracts; `ocds-samudbud` when not set.
    pub ocds_prefix: Option<String>,
}

/// The public base URL as configured: `http` or `https`, a host, perhaps a
/// port and a path, no query or fragment; without a trailing slash. Blank
/// means not configured.
pub fn public_url(value: Option<String>) -> anyhow::Result<Option<String>> {
    let Some(value) = non_blank(value) else {
        return Ok(None);
    };
    let url = value.trim_end_matches('/');
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .with_context(|| {
            format!("SAMUDBUD_PUBLIC_URL must start with https:// or http://, not {value:?}")
        })?;
    let host = rest.split('/').next().unwrap_or_default();
    anyhow::ensure!(
        !host.is_empty()
            && !host.contains('@')
            && !url.contains(['?', '#'])
            && !url.chars().any(|c| c.is_whitespace() || c.is_control()),
        "SAMUDBUD_PUBLIC_URL must be a base address such as https://samudbud.example.dk, \
         not {value:?}"
    );
    Ok(Some(url.to_owned()))
}

/// The public URL when none is configured: the listen address, with
/// `localhost` for an address that listens on every interface.
pub fn default_public_url(addr: SocketAddr) -> String {
    if addr.ip().is_unspecified() {
        format!("http://localhost:{}", addr.port())
    } else {
        format!("http://{addr}")
    }
}

/// A logo read once at start, served at `/api/v1/site/logo`.
#[derive(Clone, Debug)]
pub struct SiteLogo {
    pub bytes: Vec<u8>,
    pub content_type: &'static str,
}

/// Largest logo accepted: a header image, not a photograph.
const LOGO_LIMIT_BYTES: u64 = 512 * 1024;

impl SiteSettings {
    /// The configured logo file, or else `logo.svg` or `logo.png` in the
    /// data directory when one is there; `None` without a logo. A logo that
    /// is configured but cannot be used stops the start with the reason.
    pub fn load_logo(&self, data_dir: &Path) -> anyhow::Result<Option<SiteLogo>> {
        let path = match &self.logo_file {
            Some(path) => path.clone(),
            None => match ["logo.svg", "logo.png"]
                .iter()
                .map(|name| data_dir.join(name))
                .find(|path| path.is_file())
            {
                Some(path) => path,
                None => return Ok(None),
            },
        };
        let extension = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        let content_type = match extension.as_deref() {
            Some("svg") => "image/svg+xml",
            Some("png") => "image/png",
            Some("jpg" | "jpeg") => "image/jpeg",
            Some("webp") => "image/webp",
            _ => anyhow::bail!(
                "the logo {} must be an .svg, .png, .jpg or .webp file",
                path.display()
            ),
        };
        let size = std::fs::metadata(&path)
            .with_context(|| format!("reading the logo {}", path.display()))?
            .len();
        anyhow::ensure!(
            size <= LOGO_LIMIT_BYTES,
            "the logo {} is {size} bytes; at most {LOGO_LIMIT_BYTES} are accepted",
            path.display()
        );
        let bytes =
            std::fs::read(&path).with_context(|| format!("reading the logo {}", path.display()))?;
        Ok(Some(SiteLogo {
            bytes,
            content_type,
        }))
    }
}

/// A setting's text, or `None` when it is absent or blank.
pub fn non_blank(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

/// Where `/metrics` is served and who may read it. With an address, it is
/// served there only (an internal port that Prometheus scrapes and the
/// load balancer does not expose); with a token, only to requests bearing
/// it; with neither, only to requests from the machine itself.
#[derive(Clone, Default)]
pub struct MetricsAccess {
    pub addr: Option<SocketAddr>,
    pub token: Option<String>,
}

impl std::fmt::Debug for MetricsAccess {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MetricsAccess")
            .field("addr", &self.addr)
            .field("token", &self.token.as_ref().map(|_| "***"))
            .finish()
    }
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("addr", &self.addr)
            .field("database_url", &redact_url(&self.database_url))
            .field(
                "owner_database_url",
                &self.owner_database_url.as_deref().map(redact_url),
            )
            .field("data_dir", &self.data_dir)
            .field("web_dir", &self.web_dir)
            .field("trusted_proxies", &self.trusted_proxies.to_string())
            .field(
                "session_lifetime_secs",
                &self.session_lifetime.num_seconds(),
            )
            .field("metrics", &self.metrics)
            .field("site", &self.site)
            .field("public_url", &self.public_url)
            .field("reminders", &self.reminders)
            .field("webhooks", &self.webhooks)
            .finish_non_exhaustive()
    }
}

/// The database URL with any password replaced, for logs.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &url[scheme_end + 3..at];
            match credentials.find(':') {
                Some(colon) => format!(
                    "{}{}:***{}",
                    &url[..scheme_end + 3],
                    &credentials[..colon],
                    &url[at..]
                ),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

/// The default database: a SQLite file in the data directory.
pub fn default_database_url(data_dir: &Path) -> String {
    format!(
        "sqlite://{}?mode=rwc",
        data_dir.join("samudbud.db").display()
    )
}

/// The JWT secret from `SAMUDBUD_JWT_SECRET`, or else the one kept in
/// `<data_dir>/jwt-secret`, generated on first use and readable by the owner
/// only. Several replicas must share one secret: set the variable for them.
pub fn jwt_secret(from_env: Option<String>, data_dir: &Path) -> anyhow::Result<Vec<u8>> {
    if let Some(secret) = from_env.filter(|s| !s.is_empty()) {
        anyhow::ensure!(
            secret.len() >= 32,
            "SAMUDBUD_JWT_SECRET must be at least 32 characters"
        );
        return Ok(secret.into_bytes());
    }
    let path = data_dir.join("jwt-secret");
    if path.exists() {
        let secret = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        return Ok(secret.trim().as_bytes().to_vec());
    }
    std::fs::create_dir_all(data_dir)
        .with_context(|| format!("creating the data directory {}", data_dir.display()))?;
    let secret = samudbud_domain::auth::tokens::random_secret();
    write_private(&path, &secret)?;
    tracing::info!(path = %path.display(), "generated a new JWT secret");
    Ok(secret.into_bytes())
}

/// The key that seals stored secrets: `SAMUDBUD_SECRETS_KEY` (32 bytes as
/// base64 or 64 hex digits), or else the one kept in `<data_dir>/secrets-key`,
/// generated on first use and readable by the owner only. Several replicas
/// must share one key: set the variable for them. A lost key makes the
/// stored secrets unreadable (they must be entered again), never readable
/// by others.
pub fn secrets_box(
    from_env: Option<String>,
    data_dir: &Path,
) -> anyhow::Result<samudbud_domain::secrets::SecretBox> {
    use samudbud_domain::secrets::{SecretBox, random_key_text};
    if let Some(key) = from_env.filter(|s| !s.trim().is_empty()) {
        return SecretBox::from_text(&key).context("SAMUDBUD_SECRETS_KEY");
    }
    let path = data_dir.join("secrets-key");
    if path.exists() {
        let key = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        return SecretBox::from_text(&key)
            .with_context(|| format!("the key in {}", path.display()));
    }
    std::fs::create_dir_all(data_dir)
        .with_context(|| format!("creating the data directory {}", data_dir.display()))?;
    let key = random_key_text();
    write_private(&path, &key)?;
    tracing::info!(path = %path.display(), "generated a new key for stored secrets");
    Ok(SecretBox::from_text(&key)?)
}

#[cfg(unix)]
fn write_private(path: &Path, content: &str) -> anyhow::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("creating {}", path.display()))?;
    file.write_all(content.as_bytes())?;
    Ok(())
}

#[cfg(not(unix))]
fn write_private(path: &Path, content: &str) -> anyhow::Result<()> {
    std::fs::write(path, content).with_context(|| format!("creating {}", path.display()))
}

/// A duration as operators write one: `12h`, `90m`, `30s`, `1d`, or plain
/// seconds. Zero and negative lengths are refused.
pub fn parse_duration(text: &str) -> Result<chrono::Duration, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (digits, unit) = text.split_at(split);
    let amount: i64 = digits
        .parse()
        .map_err(|_| format!("`{text}` is not a duration like 12h, 90m or 3600"))?;
    let seconds = match unit.trim() {
        "" | "s" => Some(amount),
        "m" => amount.checked_mul(60),
        "h" => amount.checked_mul(3600),
        "d" => amount.checked_mul(86_400),
        other => return Err(format!("unknown unit `{other}`: use s, m, h or d")),
    };
    seconds
        .filter(|s| (1..=366 * 86_400).contains(s))
        .map(chrono::Duration::seconds)
        .ok_or_else(|| format!("`{text}` must be between one second and a year"))
}

/// A short interval: `250ms` (10 ms to a minute), or a duration as
/// `parse_duration` reads it.
pub fn parse_interval(text: &str) -> Result<chrono::Duration, String> {
    match text.trim().strip_suffix("ms") {
        Some(millis) => millis
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|ms| (10..=60_000).contains(ms))
            .map(chrono::Duration::milliseconds)
            .ok_or_else(|| format!("`{text}` must be between 10ms and 60000ms")),
        None => parse_duration(text),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn intervals_take_milliseconds_too() {
        assert_eq!(
            super::parse_interval("250ms"),
            Ok(chrono::Duration::milliseconds(250))
        );
        assert_eq!(
            super::parse_interval("2s"),
            Ok(chrono::Duration::seconds(2))
        );
        assert!(super::parse_interval("5ms").is_err());
    }

    #[test]
    fn the_public_url_is_a_base_address() -> anyhow::Result<()> {
        assert_eq!(
            public_url(Some("https://samudbud.example.dk/".into()))?,
            Some("https://samudbud.example.dk".into())
        );
        assert_eq!(
            public_url(Some("http://intern:8080/samudbud".into()))?,
            Some("http://intern:8080/samudbud".into())
        );
        assert_eq!(public_url(Some("  ".into()))?, None);
        assert_eq!(public_url(None)?, None);
        for wrong in [
            "samudbud.example.dk",
            "ftp://samudbud.example.dk",
            "https://",
            "https://x.dk/?a=1",
            "https://user@x.dk",
            "https://x.dk/a b",
        ] {
            assert!(public_url(Some(wrong.into())).is_err(), "{wrong}");
        }
        assert_eq!(
            default_public_url("0.0.0.0:8080".parse()?),
            "http://localhost:8080"
        );
        assert_eq!(
            default_public_url("127.0.0.1:8102".parse()?),
            "http://127.0.0.1:8102"
        );
        Ok(())
    }

    #[test]
    fn durations_parse_with_units() {
        use chrono::Duration;
        assert_eq!(parse_duration("12h"), Ok(Duration::hours(12)));
        assert_eq!(parse_duration("90m"), Ok(Duration::minutes(90)));
        assert_eq!(parse_duration("3600"), Ok(Duration::hours(1)));
        assert_eq!(parse_duration(" 2s "), Ok(Duration::seconds(2)));
        assert_eq!(parse_duration("1d"), Ok(Duration::days(1)));
        for bad in ["", "h", "0", "12x", "-5m", "99999999999999999999", "400d"] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
    }

    use super::*;

    #[test]
    fn passwords_are_redacted_from_database_urls() {
        assert_eq!(
            redact_url("postgres://app:s3cret@db:5432/samudbud"),
            "postgres://app:***@db:5432/samudbud"
        );
        assert_eq!(redact_url("sqlite://data/x.db"), "sqlite://data/x.db");
    }

    #[test]
    fn the_generated_secrets_key_is_kept_private_and_reused() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        let first = secrets_box(None, dir.path())?;
        let second = secrets_box(None, dir.path())?;
        assert_eq!(second.open(&first.seal("hemmelig"))?, "hemmelig");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join("secrets-key"))?
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let hex = "ab".repeat(32);
        let from_env = secrets_box(Some(hex.clone()), dir.path())?;
        assert!(first.open(&from_env.seal("x")).is_err());
        assert!(secrets_box(Some("short".into()), dir.path()).is_err());
        Ok(())
    }

    #[test]
    fn the_generated_secret_is_kept_private_and_reused() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        let first = jwt_secret(None, dir.path())?;
        let second = jwt_secret(None, dir.path())?;
        assert_eq!(first, second);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join("jwt-secret"))?
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert!(jwt_secret(Some("short".into()), dir.path()).is_err());
        Ok(())
    }

    #[test]
    fn a_logo_in_the_data_directory_is_found_and_a_strange_one_refused() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        let site = SiteSettings::default();
        assert!(site.load_logo(dir.path())?.is_none());
        std::fs::write(dir.path().join("logo.svg"), "<svg/>")?;
        let logo = site.load_logo(dir.path())?.expect("the logo");
        assert_eq!(logo.content_type, "image/svg+xml");
        assert_eq!(logo.bytes, b"<svg/>");
        std::fs::write(dir.path().join("logo.gif"), "GIF89a")?;
        let gif = SiteSettings {
            logo_file: Some(dir.path().join("logo.gif")),
            ..SiteSettings::default()
        };
        assert!(gif.load_logo(dir.path()).is_err());
        let missing = SiteSettings {
            logo_file: Some(dir.path().join("none.png")),
            ..SiteSettings::default()
        };
        assert!(missing.load_logo(dir.path()).is_err());
        assert_eq!(non_blank(Some("  ".into())), None);
        assert_eq!(non_blank(Some(" Sorø ".into())), Some("Sorø".into()));
        Ok(())
    }
}
