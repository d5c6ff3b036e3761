//! The `merit` command line: serve (the default), migrate, demo, openapi.

use std::{net::TcpListener, path::PathBuf, process::ExitCode, sync::Arc};

use clap::{Parser, Subcommand};
use merit_persistence::db::Backend;
use secrecy::ExposeSecret;

use crate::{
    clock::SystemClock,
    db::Db,
    demo,
    services::bootstrap,
    settings::Settings,
    startup::{self, Application},
    storage::DocumentStore,
    telemetry, warmup,
};

/// Merit: a JSON REST API for public-sector hiring.
#[derive(Debug, Parser)]
#[command(name = "merit", version, about)]
struct Cli {
    /// A TOML file with settings; `MERIT_*` environment variables override it.
    #[arg(long, env = "MERIT_CONFIG", global = true)]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Apply migrations, then serve the API (the default).
    Serve {
        /// Load the demo data before serving.
        #[arg(long)]
        demo: bool,
    },
    /// Apply pending migrations and exit.
    Migrate,
    /// Load realistic demo data into the configured database and exit.
    Demo {
        /// How many demo postings to create (the benchmarks use 50000).
        #[arg(long, default_value_t = demo::DEMO_POSTINGS)]
        postings: usize,
    },
    /// Print the OpenAPI document as YAML (the committed `openapi.yaml`).
    Openapi,
}

/// Runs the command line; the process exits with the returned code.
pub async fn run() -> ExitCode {
    let cli = Cli::parse();
    if let Some(Command::Openapi) = cli.command {
        let written =
            std::io::Write::write_all(&mut std::io::stdout(), crate::openapi::yaml().as_bytes());
        return if written.is_ok() {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        };
    }
    let settings = match Settings::load(cli.config.as_deref()) {
        Ok(settings) => settings,
        Err(error) => {
            eprintln!("merit: invalid configuration: {error}");
            return ExitCode::from(2);
        }
    };
    telemetry::init(settings.log_format, &settings.log_filter);
    match execute(
        cli.command.unwrap_or(Command::Serve { demo: false }),
        settings,
    )
    .await
    {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(error = format!("{error:#}"), "merit stopped");
            ExitCode::FAILURE
        }
    }
}

async fn execute(command: Command, settings: Settings) -> anyhow::Result<()> {
    match command {
        Command::Migrate | Command::Openapi => startup::open_database(&settings).await.map(drop),
        Command::Demo { postings } => {
            let db = startup::open_database(&settings).await?;
            demo::load_with(&db, postings).await?;
            demo::load_applicants(&db, &DocumentStore::from_settings(&settings)?).await
        }
        Command::Serve { demo: with_demo } => {
            bootstrap::check_configured_password(&settings)?;
            let sqlite = Backend::of_url(settings.database_url.expose_secret()) == Backend::Sqlite;
            // A SQLite file is there or not, so it is opened before serving; a PostgreSQL server
            // may come up later, so it is reached in the background while `/readyz` says 503.
            let db = if with_demo {
                let db = startup::open_database(&settings).await?;
                demo::load(&db).await?;
                demo::load_applicants(&db, &DocumentStore::from_settings(&settings)?).await?;
                db
            } else if sqlite {
                startup::open_database(&settings).await?
            } else {
                Db::unmigrated(startup::open_pool(&settings)?)
            };
            let listener = TcpListener::bind(settings.listen)?;
            tracing::info!(listen = %settings.listen, docs = %format!("http://{}/docs/", settings.listen), "serving");
            let state = startup::app_state(settings, Arc::new(SystemClock), db)?;
            actix_web::rt::spawn(warmup::prepare(state.clone()));
            Application::build(state.clone(), listener)?
                .run_until_stopped()
                .await?;
            // Stopped on purpose: the change log need not wait for this instance any more.
            state.search.leave(&state.db).await;
            Ok(())
        }
    }
}
