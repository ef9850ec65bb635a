//! Starts the player on an enclosure (issue 11): the configured argv, no shell, detached
//! from the terminal (no input, output discarded), waited for on its own thread so it never
//! lingers as a zombie; a failure to start or an unsuccessful exit comes back as a notice.

use tokio::sync::mpsc::UnboundedSender;

use crate::app::Msg;
use crate::text::sanitize::for_terminal;

/// Starts `argv` and reports to `tx` if it cannot start or ends unsuccessfully.
pub(crate) fn play(argv: Vec<String>, tx: UnboundedSender<Msg>) {
    let Some(program) = argv.first().cloned() else {
        return;
    };
    std::thread::spawn(move || {
        let child = std::process::Command::new(&program)
            .args(&argv[1..])
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn();
        let shown = for_terminal(&program);
        let notice = match child {
            Err(e) => Some(format!("could not start the player {shown}: {e}")),
            Ok(mut child) => match child.wait() {
                Ok(status) if status.success() => None,
                Ok(status) => Some(format!("the player {shown} ended with {status}")),
                Err(e) => Some(format!("the player {shown}: {e}")),
            },
        };
        if let Some(n) = notice {
            let _ = tx.send(Msg::Notice(n));
        }
    });
}
