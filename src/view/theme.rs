//! Colours and text styles used by the views, in one place.

use ratatui::style::{Color, Modifier, Style};

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
