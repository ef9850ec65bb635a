//! Carries out `Cmd::Export` off the render loop (issue 11): `S` writes the article to a new
//! file in the save directory, named from its title and never over another file (`-1`,
//! `-2`, ... are added); `|` runs the configured command (argv, no shell) with the article's
//! plain text on its standard input. The answer is a `Msg` the app turns into a notice.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::app::{ExportJob, ExportTarget, Msg};
use crate::text::sanitize;
use crate::view::{SaveFormat, article_document, export_article, file_stem};

/// Names tried after the plain one before giving up.
const MAX_SUFFIX: u32 = 999;

/// Does the job and returns the app's answer.
pub fn run(job: ExportJob) -> Msg {
    let doc = article_document(&job.article);
    match job.target {
        ExportTarget::File { dir, format } => {
            let text = export_article(&job.article, job.feed.as_ref(), &doc, job.zone, format);
            Msg::Saved(save(&dir, job.article.title(), format, &text))
        }
        ExportTarget::Pipe(argv) => {
            let text = export_article(
                &job.article,
                job.feed.as_ref(),
                &doc,
                job.zone,
                SaveFormat::Text,
            );
            Msg::Piped {
                command: argv.first().cloned().unwrap_or_default(),
                result: pipe(&argv, &text),
            }
        }
    }
}

/// Writes `text` to a new file in `dir` (made if missing) named from `title`; returns its
/// path.
pub fn save(dir: &Path, title: &str, format: SaveFormat, text: &str) -> Result<PathBuf, String> {
    let shown = |e: std::io::Error| format!("{}: {e}", dir.display());
    std::fs::create_dir_all(dir).map_err(shown)?;
    let stem = file_stem(title);
    let ext = format.extension();
    for n in 0..=MAX_SUFFIX {
        let name = match n {
            0 => format!("{stem}.{ext}"),
            n => format!("{stem}-{n}.{ext}"),
        };
        let path = dir.join(name);
        // `create_new`: an existing file is never replaced, even one made a moment ago.
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(mut f) => {
                let written = f.write_all(text.as_bytes()).and_then(|()| f.sync_all());
                return match written {
                    Ok(()) => Ok(path),
                    Err(e) => {
                        let _ = std::fs::remove_file(&path);
                        Err(format!("{}: {e}", path.display()))
                    }
                };
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(shown(e)),
        }
    }
    Err(format!(
        "{}: {MAX_SUFFIX} files named \"{stem}\" already",
        dir.display()
    ))
}

/// How long a `pipe` command may run before it is stopped (akhbar's quit waits for it).
pub const PIPE_TIMEOUT: Duration = Duration::from_secs(30);

/// Runs `argv` with `text` on its standard input; its output is dropped (the screen is the
/// reader's), the last line of its errors tells a failure. Stopped after [`PIPE_TIMEOUT`].
pub fn pipe(argv: &[String], text: &str) -> Result<(), String> {
    pipe_within(argv, text, PIPE_TIMEOUT)
}

/// [`pipe`] with its own time limit.
pub fn pipe_within(argv: &[String], text: &str, limit: Duration) -> Result<(), String> {
    let Some(program) = argv.first() else {
        return Err("no command configured".into());
    };
    let mut child = Command::new(program)
        .args(&argv[1..])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("not started: {e}"))?;
    let mut stdin = child.stdin.take().expect("stdin is piped");
    let mut stderr = child.stderr.take().expect("stderr is piped");
    let input = text.to_string();
    // Input and errors each on a thread of their own: a command writing errors while we
    // write its input must not wait on us, nor we on it.
    std::thread::spawn(move || {
        // A command that does not read all of it (`true`, `head -1`) closes the pipe early.
        let _ = stdin.write_all(input.as_bytes());
    });
    let (err_tx, err_rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut errors = Vec::new();
        let _ = std::io::Read::read_to_end(&mut stderr, &mut errors);
        let _ = err_tx.send(errors);
    });
    let deadline = Instant::now() + limit;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("stopped after {} s", limit.as_secs_f32()));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => return Err(format!("did not finish: {e}")),
        }
    };
    if status.success() {
        return Ok(());
    }
    // A child of the command may hold its error output open: do not wait on it for long.
    let errors = err_rx
        .recv_timeout(Duration::from_secs(1))
        .unwrap_or_default();
    let errors = String::from_utf8_lossy(&errors);
    let last = errors
        .lines()
        .rev()
        .map(sanitize::sanitize_inline)
        .find(|l| !l.is_empty());
    Err(match last {
        Some(line) => format!("{status}: {line}"),
        None => status.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_program_is_an_error_not_a_panic() {
        let err = pipe(&["/nonexistent/akhbar-no-such-program".into()], "x").unwrap_err();
        assert!(err.starts_with("not started"), "{err}");
        assert!(pipe(&[], "x").is_err());
    }

    #[test]
    fn a_command_that_does_not_finish_is_stopped() {
        let argv = ["sleep".to_string(), "30".to_string()];
        let err = pipe_within(&argv, "x", Duration::from_millis(100)).unwrap_err();
        assert!(err.starts_with("stopped after"), "{err}");
    }
}
