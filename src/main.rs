//! akhbar's entry point: arguments -> config -> logging -> terminal or headless command.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = akhbar::cli::Cli::parse();
    match akhbar::run::main(cli) {
        Ok(code) => code,
        Err(e) => {
            // Errors can quote feeds and files: no control sequence reaches the terminal.
            let text = format!("{e:#}");
            let clean: Vec<String> = text
                .lines()
                .map(akhbar::text::sanitize::for_terminal)
                .collect();
            eprintln!("akhbar: {}", clean.join("\n  "));
            ExitCode::from(1)
        }
    }
}
