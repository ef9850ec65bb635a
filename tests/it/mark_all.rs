//! `A` beyond one feed asks first ("mark 5 articles read? y/n"), and `U` undoes the last
//! mark-all of the session, restoring exactly the flags it changed.

use akhbar::app::{Cmd, Overlay, SidebarRow};

use crate::support::app::{AR, app, open_row, render, row, send, type_str};
use crate::support::builders::{code, key};
use crossterm::event::KeyCode;

fn unread(app: &akhbar::app::App) -> usize {
    app.store().unread_count()
}

#[test]
fn a_on_all_asks_first_and_only_y_marks() {
    let mut app = app();
    assert!(send(&mut app, key('A')).is_empty());
    assert_eq!(app.overlay(), &Overlay::Confirm { unread: 5 });
    let buf = render(&app, 80, 24);
    assert!(
        row(&buf, 23).contains("mark 5 articles read? y/n"),
        "{}",
        row(&buf, 23)
    );
    assert!(send(&mut app, key('n')).is_empty());
    assert_eq!(app.overlay(), &Overlay::None);
    assert_eq!(unread(&app), 5, "n marks nothing");
    send(&mut app, key('A'));
    send(&mut app, code(KeyCode::Esc));
    assert_eq!(unread(&app), 5, "Esc marks nothing");
    send(&mut app, key('A'));
    let cmds = send(&mut app, key('y'));
    assert!(matches!(&cmds[..], [Cmd::ReadChanged(ids)] if ids.len() == 5));
    assert_eq!(unread(&app), 0);
}

#[test]
fn a_on_a_tag_or_a_search_asks_and_on_one_feed_marks_at_once() {
    let mut app = app();
    open_row(&mut app, &SidebarRow::Tag("world".into()));
    send(&mut app, key('A'));
    assert_eq!(app.overlay(), &Overlay::Confirm { unread: 3 });
    send(&mut app, key('n'));
    open_row(&mut app, &SidebarRow::All);
    send(&mut app, key('/'));
    type_str(&mut app, "Rust");
    send(&mut app, code(KeyCode::Enter));
    send(&mut app, key('A'));
    assert_eq!(app.overlay(), &Overlay::Confirm { unread: 1 });
    send(&mut app, key('n'));
    send(&mut app, code(KeyCode::Esc));
    open_row(&mut app, &SidebarRow::Feed(AR));
    let cmds = send(&mut app, key('A'));
    assert!(matches!(&cmds[..], [Cmd::ReadChanged(ids)] if ids.len() == 2));
    assert_eq!(app.overlay(), &Overlay::None);
    assert_eq!(app.store().counts(AR).unread, 0);
}

#[test]
fn u_undoes_the_last_mark_all_exactly() {
    let mut app = app();
    // One article read before: it stays read after the undo.
    send(&mut app, key('j'));
    send(&mut app, key('m'));
    let read_before = app.view()[1];
    assert_eq!(unread(&app), 4);
    send(&mut app, key('A'));
    send(&mut app, key('y'));
    assert_eq!(unread(&app), 0);
    let cmds = send(&mut app, key('U'));
    match &cmds[..] {
        [Cmd::ReadChanged(ids)] => {
            assert_eq!(ids.len(), 4);
            assert!(!ids.contains(&read_before));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(unread(&app), 4);
    assert!(app.store().article(read_before).unwrap().read);
    assert!(send(&mut app, key('U')).is_empty(), "one undo per mark-all");
    assert_eq!(app.status_message(), Some("no mark-all to undo"));
    assert_eq!(unread(&app), 4);
}
