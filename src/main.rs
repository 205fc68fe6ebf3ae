//! The command line: parse it and hand over to the library.
//!
//! Each command takes only the flags it uses (`motcua user create --help` lists the account's
//! flags and the database's, not the service's); every flag also reads its environment variable,
//! which `--help` shows beside it. `motcua` without a command, or with flags only, is
//! `motcua serve`.

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use motcua::auth::role::Role;
use motcua::db::DatabaseUrl;
use motcua::settings::{DatabaseSettings, Logging, Settings};
use motcua::startup::Application;

#[derive(Parser)]
#[command(
    name = "motcua",
    version,
    about = "Back end of a Vietnamese one-stop public-service desk",
    after_help = "Without a command, motcua serves: `motcua` is `motcua serve`. \
                  Each command's --help lists its flags and their environment variables."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// What a command that opens the database takes.
#[derive(Args)]
struct Database {
    #[command(flatten)]
    database: DatabaseSettings,
    #[command(flatten)]
    logging: Logging,
}

// `Serve` holds every setting and the others a few: the command is parsed once, so its size
// does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand)]
enum Command {
    /// Run the HTTP service (the default); pending migrations are applied first.
    Serve {
        /// Load the demo data set first (once; a database that has it is left as is). Never on a
        /// real database.
        #[arg(long, env = "MOTCUA_DEMO")]
        demo: bool,
        #[command(flatten)]
        settings: Settings,
    },
    /// Apply pending database migrations and exit.
    Migrate(Database),
    /// Print the OpenAPI document (committed as openapi/openapi.json).
    Openapi,
    /// Manage accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Load the procedure catalogue.
    #[command(subcommand)]
    Catalogue(CatalogueCommand),
    /// Fill the database with a synthetic history for benchmarks and demos.
    ///
    /// A province with COMMUNES communes, their officers and N dossiers, with surveys and
    /// feedback; the same seed gives the same data.
    Generate {
        /// How many dossiers to generate (N).
        #[arg(long, value_name = "N")]
        dossiers: u64,
        /// How many communes the generated province has.
        #[arg(long, default_value_t = 10)]
        communes: u32,
        /// First day of the history, YYYY-MM-DD (default: a year before --to).
        #[arg(long)]
        from: Option<chrono::NaiveDate>,
        /// Last day of the history, YYYY-MM-DD (default and at most: today).
        #[arg(long)]
        to: Option<chrono::NaiveDate>,
        /// Seed of the random draws; it also names the province (`SYN.S`) and its leader
        /// (`lanhdao.S`).
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[command(flatten)]
        database: Database,
    },
}

#[derive(Subcommand)]
enum CatalogueCommand {
    /// Import a CSV or XLSX file of procedures: every row or none.
    ///
    /// The same columns as POST /api/v1/procedures/import; a row whose code exists updates it.
    #[command(after_long_help = IMPORT_COLUMNS, after_help = "Columns: see --help.")]
    Import {
        /// The file: CSV (UTF-8, a byte-order mark allowed) or XLSX (by its `.xlsx` extension;
        /// the first sheet).
        file: PathBuf,
        /// Code of the agency whose catalogue it is (none: the national catalogue).
        #[arg(long)]
        agency: Option<String>,
        #[command(flatten)]
        database: Database,
    },
    /// Load the starter catalogue built into motcua: common commune-level procedures.
    Starter(Database),
}

/// The columns `catalogue import` reads (src/catalogue/import.rs); a test holds this text to the
/// starter catalogue's header.
const IMPORT_COLUMNS: &str = "\
Columns (the first row names them, in any order; an unknown column refuses the file):
  code                  required  the procedure's code, national (e.g. 1.001193) or local
  name                  required  its name
  field                 required  its field (lĩnh vực), e.g. Hộ tịch
  level                 required  central, province, district or commune
  online_service        required  full, partial or none
  processing_value      required  the processing time, a whole number (0 to 3650)
  processing_unit       required  working_days or working_hours
  fee                   required  the fee in đồng, a whole number (0 for none)
  required_components   optional  the documents the applicant must bring, separated by |
  optional_components   optional  the documents that depend on the case, separated by |
  decision_number       optional  the number of the decision publishing the procedure
  signed_on             optional  the day that decision was signed (YYYY-MM-DD or DD/MM/YYYY)
  posted_on             optional  the day it was posted at the desk (same formats)
  requires_approval     optional  true or 1 when the leader approves the result
  national_code         optional  the national catalogue's code of a local procedure
  field_code            optional  the national catalogue's code of its field
An optional column left out clears what a row updates.
A bad cell is named as rows[LINE].COLUMN, LINE being the spreadsheet's line (the header is 1).";

#[derive(Subcommand)]
enum UserCommand {
    /// Create an account, e.g. the first administrator of a fresh install.
    Create {
        /// The sign-in name: 3 to 64 letters, digits or . _ - @ (stored in lower case).
        #[arg(long)]
        username: String,
        /// At least 10 characters. May come from MOTCUA_USER_PASSWORD instead, to keep it out of
        /// the shell history.
        #[arg(long, env = "MOTCUA_USER_PASSWORD", hide_env_values = true)]
        password: String,
        /// admin, leader, officer, integration or citizen; leader, officer and integration need
        /// --agency.
        #[arg(long)]
        role: Role,
        /// Code of the agency the account belongs to (an admin without one is a system
        /// administrator).
        #[arg(long)]
        agency: Option<String>,
        /// Full name (defaults to the username).
        #[arg(long)]
        full_name: Option<String>,
        #[command(flatten)]
        database: Database,
    },
}

impl Command {
    /// The database and logging settings of a command that opens the database.
    fn database(&self) -> Option<(&DatabaseSettings, Logging)> {
        let database = match self {
            Command::Serve { settings, .. } => return Some((&settings.database, settings.logging)),
            Command::Openapi => return None,
            Command::Migrate(database)
            | Command::Generate { database, .. }
            | Command::User(UserCommand::Create { database, .. })
            | Command::Catalogue(
                CatalogueCommand::Import { database, .. } | CatalogueCommand::Starter(database),
            ) => database,
        };
        Some((&database.database, database.logging))
    }
}

/// `motcua` alone, or followed by flags only (`motcua --bind …`, as before commands took their
/// own flags), means `motcua serve`. Help and version flags stay the top level's.
fn with_default_command(mut args: Vec<OsString>) -> Vec<OsString> {
    if args.is_empty() {
        args.push("motcua".into());
    }
    let implicit = args.get(1).map(|first| first.to_string_lossy()).is_none_or(|first| {
        first.starts_with('-') && !matches!(&*first, "-h" | "--help" | "-V" | "--version")
    });
    if implicit {
        args.insert(1, "serve".into());
    }
    args
}

/// Exit code for a configuration the service cannot start with (bad URL scheme, short secret).
const EXIT_CONFIG: u8 = 2;

/// glibc gives each thread that allocates an arena of its own, up to eight per core, and an arena
/// keeps what it once held: about 5 MB of the idle server's memory. Two arenas are enough for two
/// workers and the blocking pool (the A/B in bench/README.md). Set before any thread starts;
/// `MALLOC_ARENA_MAX` in the environment still decides when given.
fn few_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    if std::env::var_os("MALLOC_ARENA_MAX").is_none() {
        // SAFETY: mallopt only sets a tunable of the allocator; no other thread runs yet.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, 2);
        }
    }
}

/// Give the allocator's free pages back to the system, once: starting builds the OpenAPI tree
/// and every worker's routes with their schemas, and drops them, and glibc keeps what it freed
/// (about 6 MB of the idle server's 40; bench/README.md, session 14).
fn release_start_up_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free memory of the allocator's arenas to the system.
    unsafe {
        libc::malloc_trim(0);
    }
}

fn main() -> ExitCode {
    few_malloc_arenas();
    let cli = Cli::parse_from(with_default_command(std::env::args_os().collect()));
    let Some((database, logging)) = cli.command.database() else {
        print!("{}", motcua::api_doc::openapi_json());
        return ExitCode::SUCCESS;
    };
    motcua::telemetry::init(logging.format);
    let url: DatabaseUrl = match database.url.parse() {
        Ok(url) => url,
        Err(e) => {
            eprintln!("error: DATABASE_URL: {e}");
            return ExitCode::from(EXIT_CONFIG);
        }
    };
    match run(cli.command, &url) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(command: Command, url: &DatabaseUrl) -> anyhow::Result<()> {
    use motcua::startup::open_database;
    match command {
        Command::Serve { demo, settings } => serve(settings, url, demo),
        Command::Migrate(database) => {
            open_database(&database.database, url)?;
            println!("migrations applied to {url}");
            Ok(())
        }
        Command::User(UserCommand::Create { username, password, role, agency, full_name, database }) => {
            // In NFC, as the API reads a name (`motcua::text`).
            let full_name = motcua::text::to_nfc(&full_name.unwrap_or_else(|| username.clone())).into_owned();
            let new = motcua::users::model::NewUser { username, password, full_name, role, agency_id: None };
            let db = open_database(&database.database, url)?;
            let user = motcua::users::service::create_from_cli(&db, new, agency.as_deref())?;
            println!("created {} {} (id {})", user.role, user.username, user.id);
            Ok(())
        }
        Command::Catalogue(command) => {
            use motcua::catalogue::service::{STARTER_CSV, import_file};
            let report = match command {
                CatalogueCommand::Import { file, agency, database } => {
                    let bytes =
                        std::fs::read(&file).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
                    import_file(&open_database(&database.database, url)?, &bytes, agency.as_deref())?
                }
                CatalogueCommand::Starter(database) => {
                    import_file(&open_database(&database.database, url)?, STARTER_CSV, None)?
                }
            };
            println!("procedures created: {}, updated: {}", report.created, report.updated);
            Ok(())
        }
        Command::Generate { dossiers, communes, from, to, seed, database } => {
            let db = open_database(&database.database, url)?;
            let today = chrono::Utc::now().date_naive();
            let to = to.unwrap_or(today);
            let from = from.unwrap_or_else(|| to - chrono::Days::new(365));
            generate(&db, &motcua::generate::Options { dossiers, communes, from, to, seed })
        }
        Command::Openapi => unreachable!("printed before the database is opened"),
    }
}

fn generate(db: &motcua::db::Db, options: &motcua::generate::Options) -> anyhow::Result<()> {
    let bar = indicatif::ProgressBar::new(options.dossiers);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{elapsed_precise} [{bar:40}] {pos}/{len} dossiers ({rate}, {eta} left)",
        )?
        // indicatif's own `{per_sec}` prints every decimal of a float ("1234.5678/s").
        .with_key("rate", |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
            let _ = write!(w, "{:.0}/s", state.per_sec());
        })
        .progress_chars("=> "),
    );
    let started = std::time::Instant::now();
    let generated = motcua::generate::run(db, options, &|n| bar.set_position(n))?;
    bar.finish();
    println!(
        "generated {} dossiers, {} surveys and {} complaints in {:.1} s under province {} (id {})",
        generated.dossiers,
        generated.surveys,
        generated.feedback,
        started.elapsed().as_secs_f64(),
        generated.province_code,
        generated.province_id
    );
    println!("sign in as {} with the password {}", generated.leader_username, motcua::generate::PASSWORD);
    Ok(())
}

fn serve(settings: Settings, url: &DatabaseUrl, demo: bool) -> anyhow::Result<()> {
    if demo {
        let db = motcua::startup::open_database(&settings, url)?;
        if motcua::demo::load(&db)? {
            eprintln!("loaded the demo data set into {url}");
        }
        eprint!("{}", motcua::demo::logins());
    }
    actix_web::rt::System::new().block_on(async move {
        let app = Application::build(settings).await?;
        actix_web::rt::spawn(async {
            // By then each worker has built its app (milliseconds after the start).
            actix_web::rt::time::sleep(std::time::Duration::from_secs(2)).await;
            release_start_up_memory();
        });
        app.run_until_stopped().await?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    /// Every flag and argument of every command says what it is.
    #[test]
    fn every_argument_is_described() {
        fn walk(command: &clap::Command, path: &str) {
            for arg in command.get_arguments() {
                assert!(arg.get_help().is_some(), "{path} {} has no description", arg.get_id());
            }
            for sub in command.get_subcommands() {
                assert!(sub.get_about().is_some(), "{path} {} has no description", sub.get_name());
                walk(sub, &format!("{path} {}", sub.get_name()));
            }
        }
        Cli::command().debug_assert();
        walk(&Cli::command(), "motcua");
    }

    #[test]
    fn flags_alone_mean_serve() {
        let args = |list: &[&str]| list.iter().map(OsString::from).collect::<Vec<_>>();
        assert_eq!(with_default_command(args(&["motcua"])), args(&["motcua", "serve"]));
        assert_eq!(
            with_default_command(args(&["motcua", "--bind", "x"])),
            args(&["motcua", "serve", "--bind", "x"])
        );
        assert_eq!(with_default_command(args(&["motcua", "migrate"])), args(&["motcua", "migrate"]));
        assert_eq!(with_default_command(args(&["motcua", "--help"])), args(&["motcua", "--help"]));
    }
}
