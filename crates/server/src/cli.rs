//! The `samudbud` command line. Scripts and operators depend on its
//! commands, flags and outputs: change them only by adding.

use std::io::{BufRead, IsTerminal, Write};
use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::{Args, Parser, Subcommand, ValueEnum};
use samudbud_domain::principal::Principal;
use samudbud_domain::reference;
use samudbud_domain::tenants::{self, NewTenant};
use samudbud_domain::tender_plans::model::{ContractKind, Threshold};
use samudbud_domain::users::{self, NewUser};
use samudbud_domain::{DomainError, Role, TenantId, demo};

use crate::app::{BoundServer, connect_and_migrate_roles};
use crate::config::{
    self, MetricsAccess, ReminderSettings, Settings, SiteSettings, WebhookSettings,
};
use crate::proxies::TrustedProxies;

#[derive(Debug, Parser)]
#[command(
    name = "samudbud",
    version,
    about = "Samudbud: IT contract registers, standard contracts and joint tender plans for Danish municipalities"
)]
pub struct Cli {
    /// Data directory: the SQLite database and the generated JWT secret.
    #[arg(
        long,
        env = "SAMUDBUD_DATA_DIR",
        default_value = "./data",
        global = true
    )]
    pub data_dir: PathBuf,

    /// Database URL (`sqlite://…` or `postgres://…`); default: a SQLite file in the data directory.
    #[arg(
        long,
        env = "SAMUDBUD_DATABASE_URL",
        global = true,
        hide_env_values = true
    )]
    pub database_url: Option<String>,

    /// PostgreSQL with two roles: the URL of the role that owns the tables,
    /// for migrations and cross-municipality work (login, client tokens,
    /// operators); the database URL is then the application's role.
    #[arg(
        long,
        env = "SAMUDBUD_OWNER_DATABASE_URL",
        global = true,
        hide_env_values = true
    )]
    pub owner_database_url: Option<String>,

    /// Connections in the application's database pool; by default three
    /// per CPU core on PostgreSQL (4 to 20), two per core on SQLite (at
    /// most 8).
    #[arg(long, env = "SAMUDBUD_DB_POOL_SIZE", global = true)]
    pub db_pool_size: Option<u32>,

    /// Log format.
    #[arg(
        long,
        env = "SAMUDBUD_LOG_FORMAT",
        value_enum,
        default_value = "text",
        global = true
    )]
    pub log_format: LogFormat,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

// Parsed once at start, so the size of `Serve` costs nothing worth boxing for.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the API and the web app (the default).
    Serve(ServeArgs),
    /// Bring the database schema up to date, then exit.
    Migrate,
    /// Print the OpenAPI document as JSON.
    Openapi,
    /// Municipalities.
    Tenant {
        #[command(subcommand)]
        command: TenantCommand,
    },
    /// Users of a municipality.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Platform operators, who create municipalities through the API.
    Operator {
        #[command(subcommand)]
        command: OperatorCommand,
    },
    /// Seed the demo municipalities and users (idempotent) and print the logins.
    Demo,
    /// The CPV vocabulary that planned tenders and contracts are coded with.
    Cpv {
        #[command(subcommand)]
        command: CpvCommand,
    },
    /// The EU thresholds that tender plans are measured against.
    Threshold {
        #[command(subcommand)]
        command: ThresholdCommand,
    },
    /// Copy the SQLite database to FILE while the server runs (a consistent
    /// snapshot). PostgreSQL: see deploy/README.md.
    Backup {
        /// The backup to write (must not exist).
        file: PathBuf,
    },
    /// Replace the SQLite database by the backup FILE. Refuses while a
    /// server uses the database.
    Restore {
        /// The backup to restore.
        file: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum CpvCommand {
    /// Replace the CPV list with a CSV file of `code,da,en` lines (UTF-8,
    /// optional header). Nothing changes unless every line is valid.
    Import {
        /// The CSV file.
        file: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum ThresholdCommand {
    /// Print the threshold table.
    List,
    /// Add or correct the threshold of one kind for the period starting `--from`.
    Set {
        /// `supplies_services`, `works` or `light_regime`.
        #[arg(long)]
        kind: String,
        /// First publication date it applies to (YYYY-MM-DD).
        #[arg(long)]
        from: chrono::NaiveDate,
        /// Last publication date it applies to (YYYY-MM-DD).
        #[arg(long)]
        to: chrono::NaiveDate,
        /// EUR, excluding VAT.
        #[arg(long)]
        eur: rust_decimal::Decimal,
        /// DKK, excluding VAT, when published.
        #[arg(long)]
        dkk: Option<rust_decimal::Decimal>,
    },
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "SAMUDBUD_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,

    /// The built web app, served at `/` when it holds an index.html.
    #[arg(long, env = "SAMUDBUD_WEB_DIR", default_value = "web/dist")]
    pub web_dir: PathBuf,

    /// Secret that signs access tokens (at least 32 characters); default: generated once into the data directory.
    #[arg(
        long = "jwt-secret",
        env = "SAMUDBUD_JWT_SECRET",
        hide_env_values = true,
        hide = true
    )]
    pub jwt_secret: Option<String>,

    /// Key that seals stored secrets such as a Kitos API user's password:
    /// 32 bytes as base64 or 64 hex digits; default: generated once into the
    /// data directory. Replicas must share it.
    #[arg(
        long = "secrets-key",
        env = "SAMUDBUD_SECRETS_KEY",
        hide_env_values = true,
        hide = true
    )]
    pub secrets_key: Option<String>,

    /// Reverse proxies in front of the server, as networks or addresses
    /// (e.g. 10.0.0.0/8,192.0.2.10): their X-Forwarded-For entries give the
    /// client address for login throttling. Default: none.
    #[arg(long, env = "SAMUDBUD_TRUSTED_PROXIES", default_value = "")]
    pub trusted_proxies: TrustedProxies,

    /// Replaced by --trusted-proxies; refused when on.
    #[arg(long, env = "SAMUDBUD_TRUST_FORWARDED_FOR", hide = true)]
    pub trust_forwarded_for: bool,

    /// How long a login lasts, however often it is refreshed (e.g. 12h, 90m).
    #[arg(long, env = "SAMUDBUD_SESSION_LIFETIME", default_value = "12h", value_parser = config::parse_duration)]
    pub session_lifetime: chrono::Duration,

    /// Serve /metrics on this separate address only (e.g. 0.0.0.0:9090).
    #[arg(long, env = "SAMUDBUD_METRICS_ADDR")]
    pub metrics_addr: Option<SocketAddr>,

    /// Bearer token that /metrics requires.
    #[arg(
        long,
        env = "SAMUDBUD_METRICS_TOKEN",
        hide_env_values = true,
        hide = true
    )]
    pub metrics_token: Option<String>,

    /// Largest request body accepted, in bytes.
    #[arg(long, env = "SAMUDBUD_BODY_LIMIT", default_value_t = 25 * 1024 * 1024)]
    pub body_limit: usize,

    /// Memory for the register's most read answers (the contract list, a
    /// contract, Overblik, deadlines), kept until the data they show
    /// changes, in MiB; 0 turns the cache off.
    #[arg(long, env = "SAMUDBUD_RESPONSE_CACHE_MB", default_value_t = crate::responses::DEFAULT_BUDGET_BYTES / (1024 * 1024))]
    pub response_cache_mb: usize,

    /// Who runs this installation, named in the web app's footer and
    /// accessibility statement (e.g. "Sorø Kommune, Digitalisering").
    #[arg(long, env = "SAMUDBUD_OPERATOR_NAME")]
    pub operator_name: Option<String>,

    /// The address users reach the service at, for links in calendar feeds
    /// and e-mails (e.g. https://samudbud.example.dk); default: the listen
    /// address.
    #[arg(long, env = "SAMUDBUD_PUBLIC_URL")]
    pub public_url: Option<String>,

    /// Where users write about the service and its accessibility.
    #[arg(long, env = "SAMUDBUD_CONTACT_EMAIL")]
    pub contact_email: Option<String>,

    /// A telephone number for the same, if there is one.
    #[arg(long, env = "SAMUDBUD_CONTACT_PHONE")]
    pub contact_phone: Option<String>,

    /// The operator's logo (.svg, .png, .jpg or .webp) shown in the header;
    /// default: logo.svg or logo.png in the data directory, when there.
    #[arg(long, env = "SAMUDBUD_LOGO_FILE")]
    pub logo_file: Option<PathBuf>,

    /// The prefix of the open contracting ids (ocid) in OCDS exports: the
    /// one registered with the Open Contracting Partnership, e.g.
    /// "ocds-a1b2c3" (default "ocds-samudbud").
    #[arg(long, env = "SAMUDBUD_OCDS_PREFIX")]
    pub ocds_prefix: Option<String>,

    /// Seed the demo before serving (idempotent) and print its logins.
    #[arg(long, env = "SAMUDBUD_DEMO")]
    pub demo: bool,

    /// Whether this server sends the reminder digests (`on` or `off`).
    /// Several servers may all run it: each digest is sent once.
    #[arg(long, env = "SAMUDBUD_REMINDERS", default_value = "on", value_parser = parse_switch)]
    pub reminders: bool,

    /// How often the reminder scheduler looks for due digests and retries
    /// (e.g. 5m, 60s).
    #[arg(long, env = "SAMUDBUD_REMINDER_TICK", default_value = "5m", value_parser = config::parse_duration)]
    pub reminder_tick: chrono::Duration,

    /// SMTP server for the reminder mails: smtp://user:pass@host:587?tls=required
    /// (STARTTLS), smtps://user:pass@host:465 (TLS) or smtp://host:25. Without
    /// it, mails are written to the log.
    #[arg(long, env = "SAMUDBUD_SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<String>,

    /// The sender of the reminder mails, e.g. "Samudbud <noreply@kommune.dk>".
    #[arg(long, env = "SAMUDBUD_MAIL_FROM", default_value = config::DEFAULT_MAIL_FROM)]
    pub mail_from: String,

    /// Whether this server sends webhook deliveries (`on` or `off`). Several
    /// servers may all run it: each delivery is claimed by one at a time.
    #[arg(long, env = "SAMUDBUD_WEBHOOKS", default_value = "on", value_parser = parse_switch)]
    pub webhooks: bool,

    /// How often the webhook dispatcher looks for due deliveries when idle
    /// (e.g. 1s, 200ms).
    #[arg(long, env = "SAMUDBUD_WEBHOOK_TICK", default_value = "1s", value_parser = config::parse_interval)]
    pub webhook_tick: chrono::Duration,

    /// How long a webhook endpoint may take to answer.
    #[arg(long, env = "SAMUDBUD_WEBHOOK_TIMEOUT", default_value = "10s", value_parser = config::parse_duration)]
    pub webhook_timeout: chrono::Duration,

    /// The wait after a webhook delivery's first failed attempt; it doubles
    /// with each further one, up to an hour.
    #[arg(long, env = "SAMUDBUD_WEBHOOK_FIRST_RETRY", default_value = "1m", value_parser = config::parse_duration)]
    pub webhook_first_retry: chrono::Duration,

    /// How long a webhook endpoint may keep failing before it is disabled
    /// and the municipality's admins are told.
    #[arg(long, env = "SAMUDBUD_WEBHOOK_RETRY_FOR", default_value = "24h", value_parser = config::parse_duration)]
    pub webhook_retry_for: chrono::Duration,

    /// Accept http://127.0.0.1, http://[::1] and http://localhost webhook
    /// endpoints besides HTTPS ones: for development and tests, never in
    /// production.
    #[arg(long, env = "SAMUDBUD_WEBHOOK_ALLOW_LOOPBACK_HTTP", default_value = "off", value_parser = parse_switch)]
    pub webhook_allow_loopback_http: bool,
}

/// `on`/`off` (also `true`/`false`, `yes`/`no`, `1`/`0`).
fn parse_switch(text: &str) -> Result<bool, String> {
    match text.trim().to_ascii_lowercase().as_str() {
        "on" | "true" | "yes" | "1" => Ok(true),
        "off" | "false" | "no" | "0" => Ok(false),
        other => Err(format!("`{other}` is neither on nor off")),
    }
}

impl ServeArgs {
    /// What `samudbud serve` takes without flags: the defaults, overridden
    /// by the environment. `samudbud` alone serves with these.
    pub fn from_env() -> Result<Self, clap::Error> {
        #[derive(Parser)]
        struct ServeOnly {
            #[command(flatten)]
            args: ServeArgs,
        }
        ServeOnly::try_parse_from(["samudbud"]).map(|only| only.args)
    }
}

#[derive(Debug, Subcommand)]
pub enum TenantCommand {
    /// Create a municipality and print its id.
    Create {
        #[arg(long)]
        name: String,
        /// Municipality code, three digits (e.g. 340).
        #[arg(long)]
        code: String,
        /// CVR number, eight digits.
        #[arg(long)]
        cvr: Option<String>,
    },
    /// Write everything of a municipality to a ZIP archive (the format is
    /// described in the README inside it).
    Export {
        /// The municipality's code.
        #[arg(long)]
        code: String,
        /// The archive to write.
        file: PathBuf,
    },
    /// Import a municipality's archive (from `tenant export` or the
    /// admins' download). Nothing changes when the municipality's code or
    /// any of its ids is present already; the conflicts are listed.
    Import {
        /// The archive.
        archive: PathBuf,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum RoleArg {
    Admin,
    Editor,
    Viewer,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a user and print their id. The password comes from
    /// SAMUDBUD_PASSWORD or, if that is unset, from standard input.
    Create {
        /// The municipality's code.
        #[arg(long)]
        tenant: String,
        #[arg(long)]
        email: String,
        #[arg(long, value_enum)]
        role: RoleArg,
        /// Full name; default: the e-mail address.
        #[arg(long)]
        name: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum OperatorCommand {
    /// Create a platform operator and print their id. Password as for `user create`.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: Option<String>,
    },
}

impl Cli {
    pub fn database_url(&self) -> String {
        self.database_url
            .clone()
            .filter(|url| !url.is_empty())
            .unwrap_or_else(|| config::default_database_url(&self.data_dir))
    }

    pub fn owner_database_url(&self) -> Option<String> {
        self.owner_database_url
            .clone()
            .filter(|url| !url.is_empty())
    }
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    samudbud_domain::db::configure_pool_size(cli.db_pool_size);
    let command = cli
        .command
        .as_ref()
        .map_or(Ok(CommandRef::Serve(None)), CommandRef::of)?;
    match command {
        CommandRef::Openapi => {
            print!("{}", crate::api::spec_json());
            Ok(())
        }
        CommandRef::Restore(file) => {
            crate::backup::restore(&cli.database_url(), file).await?;
            eprintln!("restored {}", file.display());
            Ok(())
        }
        CommandRef::Serve(args) => {
            let args = match args {
                Some(args) => args.clone(),
                None => ServeArgs::from_env()?,
            };
            serve(&cli, args).await
        }
        CommandRef::Other(command) => {
            let db =
                connect_and_migrate_roles(&cli.database_url(), cli.owner_database_url().as_deref())
                    .await?;
            match command {
                Command::Migrate => {
                    eprintln!("the database is up to date");
                    Ok(())
                }
                Command::Tenant {
                    command: TenantCommand::Create { name, code, cvr },
                } => {
                    let new = NewTenant {
                        name: name.clone(),
                        municipality_code: code.clone(),
                        cvr: cvr.clone(),
                    };
                    let created = tenants::create_tenant(&db, &Principal::Console, new)
                        .await
                        .map_err(explain)?;
                    println!("{}", created.id);
                    Ok(())
                }
                Command::Tenant {
                    command: TenantCommand::Export { code, file },
                } => {
                    let found = tenants::find_by_code(&db, &Principal::Console, code)
                        .await
                        .map_err(explain)?;
                    export_to_file(&db, TenantId(found.id), file).await
                }
                Command::Tenant {
                    command: TenantCommand::Import { archive },
                } => {
                    let report =
                        samudbud_domain::archive::import_archive(&db, &Principal::Console, archive)
                            .await
                            .map_err(explain)?;
                    println!(
                        "{}",
                        serde_json::to_string_pretty(&report).context("the report")?
                    );
                    Ok(())
                }
                Command::User {
                    command:
                        UserCommand::Create {
                            tenant,
                            email,
                            role,
                            name,
                        },
                } => {
                    let found = tenants::find_by_code(&db, &Principal::Console, tenant)
                        .await
                        .map_err(|e| match e {
                            DomainError::NotFound => {
                                anyhow::anyhow!("no municipality has the code {tenant}")
                            }
                            other => explain(other),
                        })?;
                    let new = NewUser {
                        email: email.clone(),
                        name: name.clone().unwrap_or_else(|| email.clone()),
                        role: match role {
                            RoleArg::Admin => Role::Admin,
                            RoleArg::Editor => Role::Editor,
                            RoleArg::Viewer => Role::Viewer,
                        },
                        password: read_password()?,
                    };
                    let created =
                        users::create_user_in(&db, &Principal::Console, TenantId(found.id), new)
                            .await
                            .map_err(explain)?;
                    println!("{}", created.id);
                    Ok(())
                }
                Command::Operator {
                    command: OperatorCommand::Create { email, name },
                } => {
                    let password = read_password()?;
                    let created = users::create_operator(
                        &db,
                        &Principal::Console,
                        email,
                        name.as_deref().unwrap_or(email),
                        &password,
                    )
                    .await
                    .map_err(explain)?;
                    println!("{}", created.id);
                    Ok(())
                }
                Command::Demo => {
                    seed_demo(&db, None).await?;
                    Ok(())
                }
                Command::Cpv {
                    command: CpvCommand::Import { file },
                } => import_cpv(&db, file).await,
                Command::Threshold { command } => threshold(&db, command).await,
                Command::Backup { file } => {
                    let size = crate::backup::backup(&db, file).await?;
                    eprintln!("wrote {} ({size} bytes)", file.display());
                    Ok(())
                }
                Command::Serve(_) | Command::Openapi | Command::Restore { .. } => {
                    bail!("unreachable command")
                }
            }
        }
    }
}

enum CommandRef<'a> {
    Serve(Option<&'a ServeArgs>),
    Restore(&'a PathBuf),
    Openapi,
    Other(&'a Command),
}

impl<'a> CommandRef<'a> {
    fn of(command: &'a Command) -> anyhow::Result<Self> {
        Ok(match command {
            Command::Serve(args) => CommandRef::Serve(Some(args)),
            Command::Openapi => CommandRef::Openapi,
            Command::Restore { file } => CommandRef::Restore(file),
            other => CommandRef::Other(other),
        })
    }
}

async fn serve(cli: &Cli, args: ServeArgs) -> anyhow::Result<()> {
    if args.trust_forwarded_for {
        bail!(
            "SAMUDBUD_TRUST_FORWARDED_FOR (--trust-forwarded-for) is no longer supported, since it \
             believed addresses that clients write themselves: set SAMUDBUD_TRUSTED_PROXIES \
             (--trusted-proxies) to the networks of your reverse proxies instead, e.g. 10.0.0.0/8"
        );
    }
    let settings = Settings {
        addr: args.addr,
        database_url: cli.database_url(),
        owner_database_url: cli.owner_database_url(),
        jwt_secret: config::jwt_secret(args.jwt_secret.clone(), &cli.data_dir)?,
        secrets: config::secrets_box(args.secrets_key.clone(), &cli.data_dir)?,
        data_dir: cli.data_dir.clone(),
        web_dir: Some(args.web_dir.clone()),
        trusted_proxies: args.trusted_proxies.clone(),
        body_limit_bytes: args.body_limit,
        response_cache_bytes: args.response_cache_mb * 1024 * 1024,
        session_lifetime: args.session_lifetime,
        metrics: MetricsAccess {
            addr: args.metrics_addr,
            token: args.metrics_token.clone().filter(|t| !t.is_empty()),
        },
        site: SiteSettings {
            operator_name: config::non_blank(args.operator_name.clone()),
            contact_email: config::non_blank(args.contact_email.clone()),
            contact_phone: config::non_blank(args.contact_phone.clone()),
            logo_file: args.logo_file.clone(),
            ocds_prefix: config::non_blank(args.ocds_prefix.clone()),
        },
        public_url: config::public_url(args.public_url.clone())?,
        reminders: ReminderSettings {
            enabled: args.reminders,
            tick: args
                .reminder_tick
                .to_std()
                .context("the reminder tick must be positive")?,
            smtp_url: config::non_blank(args.smtp_url.clone()),
            mail_from: args.mail_from.clone(),
        },
        webhooks: WebhookSettings {
            enabled: args.webhooks,
            tick: args
                .webhook_tick
                .to_std()
                .context("the webhook tick must be positive")?,
            timeout: args
                .webhook_timeout
                .to_std()
                .context("the webhook timeout must be positive")?,
            first_retry: args.webhook_first_retry,
            retry_for: args.webhook_retry_for,
            allow_loopback_http: args.webhook_allow_loopback_http,
        },
    };
    tracing::info!(?settings, "starting");
    // Held while serving: a restore of a SQLite database waits for no one.
    let _serving = crate::backup::ServeLock::acquire(&settings.database_url)?;
    let db = connect_and_migrate_roles(
        &settings.database_url,
        settings.owner_database_url.as_deref(),
    )
    .await?;
    if args.demo {
        seed_demo(&db, Some(settings.addr)).await?;
    }
    if !args.web_dir.join("index.html").is_file() {
        tracing::warn!(
            web_dir = %args.web_dir.display(),
            "no built web app there; serving the API only (build it with `make web`)"
        );
    }
    let server = BoundServer::bind(&settings, db).await?;
    if let Some(addr) = server.local_addr() {
        eprintln!("Samudbud is listening on http://{addr}/ (API docs: http://{addr}/api/docs)");
    }
    server.run().await
}

async fn seed_demo(db: &samudbud_domain::Db, addr: Option<SocketAddr>) -> anyhow::Result<()> {
    let seeded = demo::seed(db).await.map_err(explain)?;
    eprintln!("Demo logins (password for all: {}):", demo::DEMO_PASSWORD);
    for login in seeded.logins {
        eprintln!(
            "  {:<24} {:<8} {}",
            login.email,
            login.role.as_str(),
            login.municipality
        );
    }
    let base = addr.map_or_else(
        || "http://127.0.0.1:8080".to_owned(),
        |a| format!("http://{a}"),
    );
    eprintln!(
        "The three municipalities collaborate in \"{}\". Demo API client of {} (a token for it):\n  \
         curl -s -u {}:{} -d grant_type=client_credentials {base}/api/v1/auth/token",
        demo::COLLABORATION,
        demo::MUNICIPALITIES[0].name,
        seeded.client_id,
        seeded.client_secret,
    );
    Ok(())
}

async fn import_cpv(db: &samudbud_domain::Db, file: &std::path::Path) -> anyhow::Result<()> {
    let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    let parsed = samudbud_domain::cpv::parse_csv_bytes(&bytes);
    if !parsed.errors.is_empty() {
        let lines: Vec<String> = parsed
            .errors
            .iter()
            .take(20)
            .map(|e| format!("  line {}: {}", e.line, e.message))
            .collect();
        bail!(
            "{} lines of {} cannot be read; nothing was imported:\n{}",
            parsed.errors.len(),
            file.display(),
            lines.join("\n")
        );
    }
    let entries = parsed
        .rows
        .into_iter()
        .map(|row| reference::CpvEntry {
            code: row.code.to_string(),
            label_da: row.da,
            label_en: row.en,
        })
        .collect();
    let done = reference::import_cpv(db, &Principal::Console, entries)
        .await
        .map_err(explain)?;
    println!("imported {} CPV codes", done.imported);
    Ok(())
}

async fn threshold(db: &samudbud_domain::Db, command: &ThresholdCommand) -> anyhow::Result<()> {
    let mut rows = reference::list_thresholds(db, &Principal::Console)
        .await
        .map_err(explain)?;
    if let ThresholdCommand::Set {
        kind,
        from,
        to,
        eur,
        dkk,
    } = command
    {
        let kind = ContractKind::parse(kind).with_context(|| {
            format!("{kind} is not a kind: supplies_services, works or light_regime")
        })?;
        rows.retain(|r| !(r.kind == kind && r.valid_from == *from));
        rows.push(Threshold {
            kind,
            valid_from: *from,
            valid_to: *to,
            eur: *eur,
            dkk: *dkk,
        });
        rows = reference::replace_thresholds(db, &Principal::Console, rows)
            .await
            .map_err(explain)?;
    }
    for row in rows {
        println!(
            "{:<18} {} {} EUR {:>12} DKK {:>12}",
            row.kind.as_str(),
            row.valid_from,
            row.valid_to,
            row.eur,
            row.dkk.map_or_else(|| "-".to_owned(), |d| d.to_string())
        );
    }
    Ok(())
}

/// The password for a new user: SAMUDBUD_PASSWORD, or one line of standard input.
fn read_password() -> anyhow::Result<String> {
    if let Ok(password) = std::env::var("SAMUDBUD_PASSWORD") {
        return Ok(password);
    }
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprint!("Password: ");
        std::io::stderr().flush().ok();
    }
    let mut line = String::new();
    stdin
        .lock()
        .read_line(&mut line)
        .context("reading the password from standard input")?;
    let password = line.trim_end_matches(['\r', '\n']).to_owned();
    if password.is_empty() {
        bail!("no password given: set SAMUDBUD_PASSWORD or write it to standard input");
    }
    Ok(password)
}

/// A domain error as a message for the console.
fn explain(err: DomainError) -> anyhow::Error {
    match err {
        DomainError::Validation(errors) => {
            let lines: Vec<String> = errors
                .iter()
                .map(|e| format!("  {}: {}", e.field, e.message))
                .collect();
            anyhow::anyhow!("invalid input:\n{}", lines.join("\n"))
        }
        DomainError::Conflict { message, .. } => anyhow::anyhow!("{message}"),
        other => anyhow::anyhow!("{other}"),
    }
}

/// Writes a municipality's archive to `path` (a partial file is removed).
pub async fn export_to_file(
    db: &samudbud_domain::Db,
    tenant: TenantId,
    path: &std::path::Path,
) -> anyhow::Result<()> {
    use tokio::io::AsyncWriteExt;
    let mut file = tokio::fs::File::create(path)
        .await
        .with_context(|| format!("cannot create {}", path.display()))?;
    let (tx, mut rx) = tokio::sync::mpsc::channel(4);
    let producer = {
        let db = db.clone();
        tokio::spawn(async move {
            samudbud_domain::archive::export_archive_at_console(
                &db,
                &Principal::Console,
                tenant,
                tx,
            )
            .await
        })
    };
    let mut written = Ok(());
    while let Some(chunk) = rx.recv().await {
        let chunk = chunk.context("the archive")?;
        if let Err(e) = file.write_all(&chunk).await {
            written = Err(e);
            break;
        }
    }
    drop(rx);
    let produced = producer.await.context("the archive's writer")?;
    let result = match (produced, written) {
        (Err(e), _) => Err(anyhow::anyhow!("{e}")),
        (_, Err(e)) => Err(anyhow::Error::from(e)),
        _ => file.flush().await.map_err(anyhow::Error::from),
    };
    if result.is_err() {
        let _ = tokio::fs::remove_file(path).await;
    }
    result.with_context(|| format!("writing {}", path.display()))
}
