//! A private tmux server driving one window: start a command in it, send keys, read the
//! screen with `capture-pane`, wait for what should appear. The server is killed on drop.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use super::process::program_runs;

/// The session every `Tmux` runs its one window in.
const SESSION: &str = "e2e";

/// A tmux server of its own (`tmux -L SOCKET`), so tests never touch the user's tmux nor
/// each other's.
pub struct Tmux {
    socket: String,
}

impl Tmux {
    /// Whether tmux is installed and runs.
    pub fn available() -> bool {
        program_runs("tmux", &["-V"])
    }

    /// A new server on a socket named after `name` and this process, running `command` (a
    /// shell command line) in a detached `width` x `height` window.
    pub fn start(name: &str, width: u16, height: u16, command: &str) -> Tmux {
        let tmux = Tmux {
            socket: format!("akhbar-e2e-{name}-{}", std::process::id()),
        };
        let (w, h) = (width.to_string(), height.to_string());
        tmux.cmd(&[
            "new-session",
            "-d",
            "-s",
            SESSION,
            "-x",
            &w,
            "-y",
            &h,
            command,
        ]);
        tmux
    }

    /// Runs a tmux command against this server; returns its standard output.
    pub fn cmd(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("tmux runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Types `keys` into the window (tmux key names: `Enter`, `q`, ...).
    pub fn send_keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", SESSION];
        args.extend_from_slice(keys);
        self.cmd(&args);
    }

    /// The window's text as `capture-pane -p` shows it.
    pub fn screen(&self) -> String {
        self.cmd(&["capture-pane", "-p", "-t", SESSION])
    }

    /// A tmux format (`#{pane_pid}`) expanded for the window.
    pub fn display(&self, format: &str) -> String {
        self.cmd(&["display-message", "-p", "-t", SESSION, format])
    }

    /// Waits (up to 30 s, so a broken program cannot hang the suite) until the screen
    /// satisfies `pred`; returns that screen, or fails naming `what` and showing the screen.
    pub fn wait_for(&self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let s = self.screen();
            if pred(&s) {
                return s;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what}; screen:\n{s}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Whether the program in the window is on the alternate screen.
    pub fn alternate_on(&self) -> bool {
        self.display("#{alternate_on}").trim() == "1"
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .arg("kill-server")
            .output();
    }
}

/// `path` quoted for a POSIX shell command line.
pub fn shell_quote(p: &Path) -> String {
    format!("'{}'", p.display().to_string().replace('\'', r"'\''"))
}
