//! akhbar's entry point: arguments -> config -> logging -> terminal or headless command.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = akhbar::cli::Cli::parse();
    match akhbar::run::main(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("akhbar: {e:#}");
            ExitCode::from(1)
        }
    }
}
