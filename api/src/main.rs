//! The `merit` binary: see `merit --help`.

#[actix_web::main]
async fn main() -> std::process::ExitCode {
    merit_api::cli::run().await
}
