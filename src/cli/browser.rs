//! Opening links: the browser from `$BROWSER` (else `xdg-open`), started without a shell.
//! A graphical browser runs detached from akhbar's terminal; a text-mode one (lynx, w3m, ...)
//! needs the terminal, so the TUI hands it over while the browser runs (see `cli/tui.rs`).

use std::io;
use std::path::Path;

/// Browsers that draw in the terminal they are started from. `www-browser` is Debian's name
/// for the text-mode browser of the system.
const TEXT_BROWSERS: &[&str] = &[
    "lynx",
    "w3m",
    "links",
    "links2",
    "elinks",
    "browsh",
    "carbonyl",
    "cha",
    "www-browser",
];

/// How a browser runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Launch {
    /// A graphical browser: detached, no terminal I/O.
    Detached(Vec<String>),
    /// A text-mode browser: in the foreground, on akhbar's terminal.
    InTerminal(Vec<String>),
}

/// Whether the program draws in the terminal (by its name, wherever it is installed).
pub fn uses_terminal(program: &str) -> bool {
    let name = Path::new(program)
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or(program);
    TEXT_BROWSERS.contains(&name)
}

/// The browser command and its arguments for `url`: `$BROWSER` (split on whitespace, `%s`
/// replaced, else the URL appended; the first of a `:`-separated list), else `xdg-open`.
/// Never through a shell.
pub fn browser_command(browser_env: Option<&str>, url: &str) -> Vec<String> {
    let spec = browser_env.and_then(|b| b.split(':').map(str::trim).find(|s| !s.is_empty()));
    let mut argv: Vec<String> = match spec {
        Some(s) => s.split_whitespace().map(str::to_string).collect(),
        None => vec!["xdg-open".to_string()],
    };
    if argv.iter().any(|a| a.contains("%s")) {
        for a in &mut argv {
            *a = a.replace("%s", url);
        }
    } else {
        argv.push(url.to_string());
    }
    argv
}

/// How to start the browser on an http(s) URL: the argv (no shell) and whether it needs the
/// terminal. Only http and https links are opened.
pub fn launch_for(url: &str, browser_env: Option<&str>) -> io::Result<Launch> {
    if !akhbar::link::is_web_url(url) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "only http and https links are opened",
        ));
    }
    // The parsed form: spaces and controls percent-encoded, so the browser gets one clean
    // argument whatever the feed wrote.
    let url = url::Url::parse(url)
        .map(|u| u.to_string())
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
    let argv = browser_command(browser_env, &url);
    Ok(if uses_terminal(&argv[0]) {
        Launch::InTerminal(argv)
    } else {
        Launch::Detached(argv)
    })
}

/// Starts a graphical browser, detached, with no terminal I/O.
pub fn spawn_detached(argv: &[String]) -> io::Result<()> {
    let mut child = std::process::Command::new(&argv[0])
        .args(&argv[1..])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()?;
    // Reap it so it never lingers as a zombie.
    std::thread::spawn(move || child.wait());
    Ok(())
}

/// Runs a text-mode browser on the terminal until it exits (the caller has handed the
/// terminal over).
pub fn run_in_terminal(argv: &[String]) -> io::Result<std::process::ExitStatus> {
    std::process::Command::new(&argv[0])
        .args(&argv[1..])
        .status()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browser_gets_the_url_as_one_argument_without_a_shell() {
        let url = "https://example.org/a?b=1;rm -rf ~";
        assert_eq!(browser_command(None, url), ["xdg-open", url]);
        assert_eq!(
            browser_command(Some("firefox --new-tab"), url),
            ["firefox", "--new-tab", url]
        );
        assert_eq!(browser_command(Some("lynx %s:w3m"), url), ["lynx", url]);
    }

    #[test]
    fn text_mode_browsers_get_the_terminal_and_graphical_ones_run_detached() {
        let url = "https://example.org/a";
        assert_eq!(
            launch_for(url, Some("/usr/bin/w3m")).unwrap(),
            Launch::InTerminal(vec!["/usr/bin/w3m".into(), url.into()])
        );
        assert_eq!(
            launch_for(url, Some("lynx -accept_all_cookies")).unwrap(),
            Launch::InTerminal(vec![
                "lynx".into(),
                "-accept_all_cookies".into(),
                url.into()
            ])
        );
        assert_eq!(
            launch_for(url, Some("firefox")).unwrap(),
            Launch::Detached(vec!["firefox".into(), url.into()])
        );
        assert_eq!(
            launch_for(url, None).unwrap(),
            Launch::Detached(vec!["xdg-open".into(), url.into()])
        );
        assert!(launch_for("javascript:alert(1)", Some("w3m")).is_err());
    }
}
