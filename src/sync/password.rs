//! `password_command = ["pass", "show", "rss"]`: the password is the first line the command
//! prints. Run as an argv list (never through a shell), stdin left to the terminal so a
//! passphrase prompt works; only the program's name and its first stderr line reach an error.

use std::process::Stdio;
use std::time::Duration;

use tokio::io::AsyncReadExt;

use super::error::PasswordCommandError;
use super::secret::Secret;
use crate::text::sanitize::for_terminal;

/// The most read from the command's stdout and stderr (a password is a line).
const OUTPUT_CAP: u64 = 64 * 1024;

/// Runs `argv` and returns the first line of its stdout, trailing `\r` removed.
pub async fn password_from_command(
    argv: &[String],
    timeout: Duration,
) -> Result<Secret, PasswordCommandError> {
    let (program, args) = argv.split_first().ok_or(PasswordCommandError::Empty)?;
    if program.trim().is_empty() {
        return Err(PasswordCommandError::Empty);
    }
    let shown = for_terminal(program);
    let mut child = tokio::process::Command::new(program)
        .args(args)
        .stdin(Stdio::inherit())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| PasswordCommandError::Start {
            program: shown.clone(),
            reason: for_terminal(&e.to_string()),
        })?;
    let stdout = child.stdout.take();
    let stderr = child.stderr.take();
    let run = async {
        let read_out = async {
            let mut buf = Vec::new();
            if let Some(out) = stdout {
                let _ = out.take(OUTPUT_CAP).read_to_end(&mut buf).await;
            }
            buf
        };
        let read_err = async {
            let mut buf = Vec::new();
            if let Some(err) = stderr {
                let _ = err.take(OUTPUT_CAP).read_to_end(&mut buf).await;
            }
            buf
        };
        let (out, err) = tokio::join!(read_out, read_err);
        let status = child.wait().await;
        (out, err, status)
    };
    let (out, err, status) =
        tokio::time::timeout(timeout, run)
            .await
            .map_err(|_| PasswordCommandError::Timeout {
                program: shown.clone(),
                secs: timeout.as_secs(),
            })?;
    let status = status.map_err(|e| PasswordCommandError::Start {
        program: shown.clone(),
        reason: for_terminal(&e.to_string()),
    })?;
    if !status.success() {
        let stderr = String::from_utf8_lossy(&err)
            .lines()
            .map(for_terminal)
            .find(|l| !l.is_empty())
            .unwrap_or_default();
        return Err(PasswordCommandError::Failed {
            program: shown,
            status: status.to_string(),
            stderr,
        });
    }
    let text = String::from_utf8_lossy(&out);
    let first = text.split('\n').next().unwrap_or("").trim_end_matches('\r');
    if first.is_empty() {
        return Err(PasswordCommandError::NoOutput { program: shown });
    }
    Ok(Secret::new(first))
}
