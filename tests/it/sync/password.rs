//! `password_command`: an argv list run without a shell, the first line of its stdout.

use std::path::Path;
use std::time::Duration;

use akhbar::sync::{PasswordCommandError, password_from_command};

fn script(dir: &Path, name: &str, body: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).expect("write the script");
    let mut perms = std::fs::metadata(&path).expect("metadata").permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o755);
    std::fs::set_permissions(&path, perms).expect("chmod");
    path.display().to_string()
}

fn argv(parts: &[&str]) -> Vec<String> {
    parts.iter().map(|s| s.to_string()).collect()
}

const T: Duration = Duration::from_secs(10);

#[tokio::test]
async fn password_command_gives_the_first_line_of_its_output() {
    let dir = tempfile::tempdir().expect("tempdir");
    let s = script(
        dir.path(),
        "pass",
        r#"printf 'p4ss w0rd;$(x)\r\nuser: me\n'; echo "args: $*" >&2"#,
    );
    let got = password_from_command(&argv(&[&s, "show", "rss"]), T)
        .await
        .expect("a password");
    assert_eq!(got.expose(), "p4ss w0rd;$(x)");
}

#[tokio::test]
async fn password_command_arguments_reach_it_unsplit_and_unexpanded() {
    let dir = tempfile::tempdir().expect("tempdir");
    let s = script(dir.path(), "echoargs", r#"printf '%s|' "$@"; echo"#);
    let got = password_from_command(&argv(&[&s, "a b", "$HOME", "*"]), T)
        .await
        .expect("a password");
    assert_eq!(got.expose(), "a b|$HOME|*|");
}

#[tokio::test]
async fn password_command_failing_reports_its_first_stderr_line_and_not_its_output() {
    let dir = tempfile::tempdir().expect("tempdir");
    let s = script(
        dir.path(),
        "pass",
        "echo leaked-secret; echo 'Error: rss is not in the password store.' >&2; exit 1",
    );
    let e = password_from_command(&argv(&[&s]), T)
        .await
        .expect_err("it failed");
    let text = e.to_string();
    assert!(
        text.contains("exited with exit status: 1: Error: rss is not in the password store."),
        "{text}"
    );
    assert!(!text.contains("leaked-secret"), "{text}");
}

#[tokio::test]
async fn password_command_printing_nothing_is_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let s = script(dir.path(), "quiet", "exit 0");
    let e = password_from_command(&argv(&[&s]), T)
        .await
        .expect_err("no password");
    assert!(matches!(e, PasswordCommandError::NoOutput { .. }), "{e}");
}

#[tokio::test]
async fn password_command_missing_or_empty_or_hanging_is_a_clear_error() {
    let e = password_from_command(&argv(&["/nonexistent/pass"]), T)
        .await
        .expect_err("missing");
    assert!(matches!(e, PasswordCommandError::Start { .. }), "{e}");
    assert!(
        e.to_string()
            .starts_with("password_command /nonexistent/pass: "),
        "{e}"
    );
    let e = password_from_command(&[], T).await.expect_err("empty");
    assert_eq!(e, PasswordCommandError::Empty);
    let dir = tempfile::tempdir().expect("tempdir");
    let s = script(dir.path(), "slow", "sleep 30; echo late");
    let e = password_from_command(&argv(&[&s]), Duration::from_millis(300))
        .await
        .expect_err("too slow");
    assert!(matches!(e, PasswordCommandError::Timeout { .. }), "{e}");
}
