//! A config reload as the app sees it (`Msg::Reconfigured`, sent after `Ctrl-R` or SIGHUP
//! read a valid file): the new keys apply; read/starred state and the positions stay.

use akhbar::action::Action;
use akhbar::app::{Cmd, Msg};

use crate::support::app::{app, send};
use crate::support::builders::key;

#[test]
fn ctrl_r_asks_the_terminal_layer_to_read_the_config_again() {
    let mut app = app();
    let cmds = send(
        &mut app,
        Msg::Key(crossterm::event::KeyEvent::new(
            crossterm::event::KeyCode::Char('r'),
            crossterm::event::KeyModifiers::CONTROL,
        )),
    );
    assert_eq!(cmds, [Cmd::ReloadConfig]);
}

#[test]
fn a_reload_applies_the_new_keys_and_keeps_state_and_position() {
    let mut app = app();
    send(&mut app, key('j'));
    send(&mut app, key('s'));
    send(&mut app, key('j'));
    send(&mut app, key('m'));
    let (selected, unread, starred) = (
        app.headlines().selected(),
        app.store().unread_count(),
        app.store().starred_count(),
    );
    assert_eq!((selected, unread, starred), (2, 4, 1));
    send(
        &mut app,
        Msg::Reconfigured {
            keys: vec![(Action::Down, vec!["x".into()])],
            note: "config reloaded".into(),
        },
    );
    assert_eq!(app.status_message(), Some("config reloaded"));
    assert_eq!(app.headlines().selected(), 2, "the position stays");
    assert_eq!(app.store().unread_count(), 4, "read state stays");
    assert_eq!(app.store().starred_count(), 1, "stars stay");
    send(&mut app, key('x'));
    assert_eq!(app.headlines().selected(), 3, "the new key moves down");
    send(&mut app, key('j'));
    assert_eq!(
        app.headlines().selected(),
        3,
        "the replaced key no longer does"
    );
}

#[test]
fn capital_e_asks_the_terminal_layer_to_edit_the_config() {
    let mut app = app();
    assert_eq!(send(&mut app, key('E')), [Cmd::EditConfig]);
}
