//! Opening links: the browser from `$BROWSER` (else `xdg-open`), started without a shell and
//! detached from akhbar's terminal.

use std::io;

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

/// Starts the browser on an http(s) URL, detached, with no shell and no terminal I/O.
pub fn open_url(url: &str) -> io::Result<()> {
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
    let argv = browser_command(std::env::var("BROWSER").ok().as_deref(), &url);
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
}
