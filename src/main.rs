//! The command line: parse it and hand over to the library.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use motcua::db::DatabaseUrl;
use motcua::settings::Settings;
use motcua::startup::Application;

#[derive(Parser)]
#[command(
    name = "motcua",
    version,
    about = "Back end of a Vietnamese one-stop public-service desk"
)]
struct Cli {
    #[command(flatten)]
    settings: Settings,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the HTTP service (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Print the OpenAPI document.
    Openapi,
}

/// Exit code for a configuration the service cannot start with (bad URL scheme, short secret).
const EXIT_CONFIG: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let command = cli.command.unwrap_or(Command::Serve);
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
        Command::Serve => serve(cli.settings),
        Command::Migrate => motcua::startup::open_database(&cli.settings, &url).map(|_| {
            println!("migrations applied to {url}");
        }),
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

fn serve(settings: Settings) -> anyhow::Result<()> {
    actix_web::rt::System::new().block_on(async move {
        let app = Application::build(settings).await?;
        app.run_until_stopped().await?;
        Ok(())
    })
}
