//! The terminal: taken into raw mode and the alternate screen with akhbar's bidi mode, and
//! always given back (quit, error, panic, signals), exactly once.

use std::io::{self, Stdout, Write};
use std::sync::atomic::{AtomicBool, Ordering};

use akhbar::text::BidiMode;
use crossterm::terminal::{self, EnterAlternateScreen, LeaveAlternateScreen};
use crossterm::{cursor, execute};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

/// Escape sequences telling a terminal who reorders RTL text (BDSM, ECMA-48 / ISO 6429).
pub fn bidi_escape(mode: BidiMode) -> &'static str {
    match mode {
        // Explicit mode, LTR presentation: akhbar has reordered everything itself.
        BidiMode::App => "\x1b[8l\x1b[1 k",
        // Implicit mode: the terminal reorders.
        BidiMode::Terminal | BidiMode::Off => "\x1b[8h\x1b[0 k",
    }
}

/// What leaving the TUI writes: the terminal's default (implicit) bidi mode.
pub const BIDI_RESET: &str = "\x1b[8h\x1b[0 k";

/// Whether the terminal is in akhbar's mode (raw, alternate screen) and needs restoring.
static TERMINAL_TAKEN: AtomicBool = AtomicBool::new(false);

/// Whether akhbar takes the mouse (`mouse = true`, the default) while it has the terminal.
static MOUSE: AtomicBool = AtomicBool::new(false);

/// Takes the mouse from the next `enter`/`resume` on (`mouse = false` leaves the terminal's
/// own selection alone).
pub fn capture_mouse(on: bool) {
    MOUSE.store(on, Ordering::SeqCst);
}

fn mouse_on(out: &mut Stdout) -> io::Result<()> {
    if MOUSE.load(Ordering::SeqCst) {
        execute!(out, crossterm::event::EnableMouseCapture)?;
    }
    Ok(())
}

/// Puts the terminal back: raw mode off, alternate screen left, cursor shown, bidi mode reset.
/// Only the first call after `enter` does anything: leaving the alternate screen a second time
/// would move the cursor back over what was printed since (a panic message, say).
pub fn restore_terminal() {
    if !TERMINAL_TAKEN.swap(false, Ordering::SeqCst) {
        return;
    }
    let mut out = io::stdout();
    let _ = terminal::disable_raw_mode();
    if MOUSE.load(Ordering::SeqCst) {
        let _ = execute!(out, crossterm::event::DisableMouseCapture);
    }
    let _ = execute!(out, LeaveAlternateScreen, cursor::Show);
    let _ = out.write_all(BIDI_RESET.as_bytes());
    let _ = out.flush();
}

/// Restores the terminal when dropped (normal exit and error paths).
pub struct Guard;

impl Drop for Guard {
    fn drop(&mut self) {
        restore_terminal();
    }
}

pub fn enter(mode: BidiMode) -> io::Result<(Guard, Terminal<CrosstermBackend<Stdout>>)> {
    let previous = std::panic::take_hook();
    let ui_thread = std::thread::current().id();
    std::panic::set_hook(Box::new(move |info| {
        if std::thread::current().id() == ui_thread {
            restore_terminal();
            previous(info);
        } else {
            // A worker (parser, layout job) died: the TUI goes on, so nothing is printed over
            // it; the worker's own caller reports the failure, the log keeps the details.
            tracing::error!("panic in a worker thread: {info}");
        }
    }));
    TERMINAL_TAKEN.store(true, Ordering::SeqCst);
    terminal::enable_raw_mode()?;
    let guard = Guard;
    let mut out = io::stdout();
    execute!(out, EnterAlternateScreen, cursor::Hide)?;
    mouse_on(&mut out)?;
    out.write_all(bidi_escape(mode).as_bytes())?;
    out.flush()?;
    let terminal = Terminal::new(CrosstermBackend::new(out))?;
    Ok((guard, terminal))
}

/// Takes the terminal back after [`restore_terminal`] gave it to another program (a
/// text-mode browser): raw mode, the alternate screen and akhbar's bidi mode again. The
/// caller redraws the whole screen.
pub fn resume(mode: BidiMode) -> io::Result<()> {
    TERMINAL_TAKEN.store(true, Ordering::SeqCst);
    terminal::enable_raw_mode()?;
    let mut out = io::stdout();
    execute!(out, EnterAlternateScreen, cursor::Hide)?;
    mouse_on(&mut out)?;
    out.write_all(bidi_escape(mode).as_bytes())?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bidi_modes_send_the_right_escapes() {
        assert_eq!(bidi_escape(BidiMode::App), "\x1b[8l\x1b[1 k");
        assert_eq!(bidi_escape(BidiMode::Terminal), BIDI_RESET);
    }
}
