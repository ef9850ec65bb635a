//! akhbar's entry point: arguments -> config -> logging -> terminal or headless command.
//! The binary's own modules (`cli/`) sit above the library: they own the terminal, the
//! process's exit codes and every line printed.

mod cli;

use std::process::ExitCode;

use clap::Parser;

// jemalloc instead of glibc's malloc: a cold `akhbar refresh` of 1,000 feeds allocates ~150 MB
// of bodies on the parser threads and frees them on the cache writer's, and glibc kept about
// 50 MiB of that freed memory in its per-thread arenas (peak 145-175 MiB against ~90 MiB live;
// with jemalloc and the settings below, 112-119 MiB, and 10-15% less CPU).
#[cfg(target_os = "linux")]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// Two arenas are plenty on the few threads akhbar runs; freed pages go back to the system
/// after 200 ms instead of jemalloc's default 10 s (a refresh is over by then).
#[cfg(target_os = "linux")]
#[unsafe(export_name = "_rjem_malloc_conf")]
static MALLOC_CONF: &[u8] = b"narenas:2,dirty_decay_ms:200,muzzy_decay_ms:200\0";

fn main() -> ExitCode {
    let args = cli::args::Cli::parse();
    match cli::run::main(args) {
        Ok(code) => code,
        Err(e) => {
            cli::report::error(format!("{e:#}"));
            ExitCode::from(1)
        }
    }
}
