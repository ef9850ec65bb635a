//! Colours and text styles used by the views, in one place.

use ratatui::style::{Color, Modifier, Style};

use crate::text::doc::Role;

pub fn ticker() -> Style {
    Style::new().fg(Color::White).bg(Color::Red)
}
pub fn ticker_feed() -> Style {
    Style::new()
        .fg(Color::Yellow)
        .bg(Color::Red)
        .add_modifier(Modifier::BOLD)
}
pub fn ticker_paused() -> Style {
    Style::new().fg(Color::Black).bg(Color::Gray)
}
pub fn selected() -> Style {
    Style::new().add_modifier(Modifier::REVERSED)
}
pub fn unread() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}
pub fn dim() -> Style {
    Style::new().fg(Color::DarkGray)
}
pub fn feed_name() -> Style {
    Style::new().fg(Color::Cyan)
}
pub fn error() -> Style {
    Style::new().fg(Color::Red)
}
pub fn title() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}
pub fn heading() -> Style {
    Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
}
pub fn quote() -> Style {
    Style::new().fg(Color::Gray).add_modifier(Modifier::ITALIC)
}
pub fn link() -> Style {
    Style::new().fg(Color::Blue)
}
pub fn status() -> Style {
    Style::new().fg(Color::Black).bg(Color::Gray)
}
pub fn border() -> Style {
    Style::new().fg(Color::DarkGray)
}
pub fn help_keys() -> Style {
    Style::new().fg(Color::Yellow)
}
/// The headline under the cursor while the feed list has the keys.
pub fn selected_unfocused() -> Style {
    Style::new().add_modifier(Modifier::UNDERLINED)
}

/// A word the search matched, in the reader.
pub fn search_match() -> Style {
    Style::new().fg(Color::Black).bg(Color::Yellow)
}

/// The style of each role of an article's text: the one place the reader's body gets its
/// colours from (the layout carries roles, never styles).
pub fn role(role: Role) -> Style {
    match role {
        Role::Text => Style::new(),
        Role::Heading => heading(),
        Role::Quote => quote(),
        Role::Strong => Style::new().add_modifier(Modifier::BOLD),
        Role::Emphasis => Style::new().add_modifier(Modifier::ITALIC),
        Role::Code => Style::new().fg(Color::Yellow),
        Role::Link => link().add_modifier(Modifier::UNDERLINED),
        Role::LinkNumber => dim(),
        Role::Media => Style::new().fg(Color::Magenta),
        Role::Dim => dim(),
        Role::Marker => Style::new().fg(Color::Cyan),
        Role::Border | Role::Rule => border(),
        Role::TableHeader => Style::new().add_modifier(Modifier::BOLD),
        Role::Match => search_match(),
    }
}
