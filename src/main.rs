//! The command line: parse it and hand over to the library.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use motcua::auth::role::Role;
use motcua::db::DatabaseUrl;
use motcua::settings::Settings;
use motcua::startup::Application;

#[derive(Parser)]
#[command(name = "motcua", version, about = "Back end of a Vietnamese one-stop public-service desk")]
struct Cli {
    #[command(flatten)]
    settings: Settings,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the HTTP service (the default).
    Serve {
        /// Load the demo data set first (once; a database that has it is left as is).
        #[arg(long, env = "MOTCUA_DEMO")]
        demo: bool,
    },
    /// Apply pending database migrations and exit.
    Migrate,
    /// Print the OpenAPI document.
    Openapi,
    /// Manage accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Load the procedure catalogue.
    #[command(subcommand)]
    Catalogue(CatalogueCommand),
    /// Fill the database with a synthetic history for benchmarks and demos: a province with
    /// COMMUNES communes, their officers and N dossiers (the same seed gives the same data).
    Generate {
        #[arg(long)]
        dossiers: u64,
        #[arg(long, default_value_t = 10)]
        communes: u32,
        /// First day of the history (default: a year before today).
        #[arg(long)]
        from: Option<chrono::NaiveDate>,
        /// Last day (default and at most: today).
        #[arg(long)]
        to: Option<chrono::NaiveDate>,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

#[derive(Subcommand)]
enum CatalogueCommand {
    /// Import a CSV or XLSX file of procedures (the same columns as POST /api/v1/procedures/import):
    /// every row or none; a row whose code exists updates it.
    Import {
        file: std::path::PathBuf,
        /// Code of the agency whose catalogue it is (none: the national catalogue).
        #[arg(long)]
        agency: Option<String>,
    },
    /// Load the starter catalogue built into motcua: common commune-level procedures.
    Starter,
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an account, e.g. the first administrator of a fresh install.
    Create {
        #[arg(long)]
        username: String,
        /// At least 10 characters. May come from MOTCUA_USER_PASSWORD instead, to keep it out of
        /// the shell history.
        #[arg(long, env = "MOTCUA_USER_PASSWORD", hide_env_values = true)]
        password: String,
        /// admin, leader, officer, integration or citizen.
        #[arg(long)]
        role: Role,
        /// Code of the agency the account belongs to (none: a system administrator).
        #[arg(long)]
        agency: Option<String>,
        /// Full name (defaults to the username).
        #[arg(long)]
        full_name: Option<String>,
    },
}

/// Exit code for a configuration the service cannot start with (bad URL scheme, short secret).
const EXIT_CONFIG: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let command = cli.command.unwrap_or(Command::Serve { demo: false });
    if let Command::Openapi = command {
        print!("{}", motcua::api_doc::openapi_json());
        return ExitCode::SUCCESS;
    }
    motcua::telemetry::init(cli.settings.log_format);
    let url: DatabaseUrl = match cli.settings.database_url.parse() {
        Ok(url) => url,
        Err(e) => {
            eprintln!("error: DATABASE_URL: {e}");
            return ExitCode::from(EXIT_CONFIG);
        }
    };
    let result = match command {
        Command::Serve { demo } => serve(cli.settings, &url, demo),
        Command::Migrate => motcua::startup::open_database(&cli.settings, &url).map(|_| {
            println!("migrations applied to {url}");
        }),
        Command::User(UserCommand::Create { username, password, role, agency, full_name }) => {
            // In NFC, as the API reads a name (`motcua::text`).
            let full_name = motcua::text::to_nfc(&full_name.unwrap_or_else(|| username.clone())).into_owned();
            let new = motcua::users::model::NewUser { username, password, full_name, role, agency_id: None };
            motcua::startup::open_database(&cli.settings, &url)
                .and_then(|db| motcua::users::service::create_from_cli(&db, new, agency.as_deref()))
                .map(|user| println!("created {} {} (id {})", user.role, user.username, user.id))
        }
        Command::Catalogue(command) => motcua::startup::open_database(&cli.settings, &url).and_then(|db| {
            use motcua::catalogue::service::{STARTER_CSV, import_file};
            let report = match command {
                CatalogueCommand::Import { file, agency } => {
                    let bytes =
                        std::fs::read(&file).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
                    import_file(&db, &bytes, agency.as_deref())?
                }
                CatalogueCommand::Starter => import_file(&db, STARTER_CSV, None)?,
            };
            println!("procedures created: {}, updated: {}", report.created, report.updated);
            Ok(())
        }),
        Command::Generate { dossiers, communes, from, to, seed } => {
            motcua::startup::open_database(&cli.settings, &url).and_then(|db| {
                let today = chrono::Utc::now().date_naive();
                let to = to.unwrap_or(today);
                let from = from.unwrap_or_else(|| to - chrono::Days::new(365));
                let options = motcua::generate::Options { dossiers, communes, from, to, seed };
                generate(&db, &options)
            })
        }
        Command::Openapi => unreachable!("handled above"),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn generate(db: &motcua::db::Db, options: &motcua::generate::Options) -> anyhow::Result<()> {
    let bar = indicatif::ProgressBar::new(options.dossiers);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{elapsed_precise} [{bar:40}] {pos}/{len} dossiers ({per_sec}, {eta} left)",
        )?
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
        app.run_until_stopped().await?;
        Ok(())
    })
}
