//! Child processes: the akhbar binary with a clean environment, this test binary again for a
//! test's child half, and programs the tests need from the system (skipped without them,
//! failed without them under CI).

use std::path::Path;
use std::process::Command;

/// This test binary again, running only the ignored test `test` of the module `module_path`
/// (pass `module_path!()`): the child half of a test that needs a second process (killed
/// with SIGKILL, or run as another user). The name is built from the module path, so it
/// follows the file if it moves.
pub fn rerun_test(module_path: &str, test: &str) -> Command {
    // libtest names a test by its path below the crate: drop the crate's own name.
    let module = module_path.split_once("::").map_or("", |(_, rest)| rest);
    let name = if module.is_empty() {
        test.to_string()
    } else {
        format!("{module}::{test}")
    };
    let mut cmd = Command::new(std::env::current_exe().expect("the test binary's path"));
    cmd.args([
        "--exact",
        &name,
        "--ignored",
        "--nocapture",
        "--test-threads=1",
    ]);
    cmd
}

/// The akhbar binary with a clean environment: `PATH=/usr/bin:/bin` and `HOME=home` only, so
/// nothing of the developer's (proxies, XDG directories, `BROWSER`) leaks in. A test adds
/// what it means to pass with `.env(..)`; none sets a variable in this process.
pub fn akhbar(home: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_akhbar"));
    cmd.env_clear()
        .env("PATH", "/usr/bin:/bin")
        .env("HOME", home);
    cmd
}

/// Whether this runs under CI (`CI=true`), where a missing program fails a test instead of
/// skipping it.
pub fn under_ci() -> bool {
    std::env::var("CI").as_deref() == Ok("true")
}

/// Whether `program` runs and succeeds with `args` (say `tmux -V`).
pub fn program_runs(program: &str, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .output()
        .is_ok_and(|o| o.status.success())
}

/// For a test that cannot run because `what` is missing: fails under CI (naming the package
/// to install), otherwise says the test is skipped; the caller then returns.
pub fn skip_missing(what: &str, package: &str) {
    assert!(
        !under_ci(),
        "{what} not found, and CI=true: install {package}"
    );
    eprintln!("{what} not found: skipping");
}
