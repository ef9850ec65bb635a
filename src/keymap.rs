//! Key chords ("j", "<C-d>", "<Enter>") parsed to crossterm keys, and lookup per scope.

use std::collections::HashMap;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::action::{ACTIONS, Action, Scope};

/// A key as bound: code plus the modifiers that matter (Ctrl, Alt).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Chord {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

impl Chord {
    /// Normalizes a terminal key event: Shift is folded into the character itself.
    pub fn from_event(ev: &KeyEvent) -> Chord {
        let mut mods = ev.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT);
        let code = match ev.code {
            KeyCode::Char(c) => KeyCode::Char(c),
            KeyCode::BackTab => {
                mods |= KeyModifiers::SHIFT;
                KeyCode::Tab
            }
            other => other,
        };
        Chord { code, mods }
    }
}

/// A key name that could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a key: write a character like `j`, or `<Enter>`, `<C-d>`, `<A-x>`, `<F5>`")]
pub struct BadKey(pub String);

/// Parses "j", "G", "?", "<Space>", "<Enter>", "<C-d>", "<A-j>", "<F5>", "<S-Tab>".
pub fn parse_chord(s: &str) -> Result<Chord, BadKey> {
    let bad = || BadKey(s.to_string());
    let mut chars = s.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        return Ok(Chord {
            code: KeyCode::Char(c),
            mods: KeyModifiers::NONE,
        });
    }
    let inner = s
        .strip_prefix('<')
        .and_then(|r| r.strip_suffix('>'))
        .ok_or_else(bad)?;
    let mut mods = KeyModifiers::NONE;
    let mut rest = inner;
    loop {
        let lower = rest.get(..2).map(str::to_ascii_lowercase);
        match lower.as_deref() {
            Some("c-") if rest.len() > 2 => mods |= KeyModifiers::CONTROL,
            Some("a-") | Some("m-") if rest.len() > 2 => mods |= KeyModifiers::ALT,
            Some("s-") if rest.len() > 2 => mods |= KeyModifiers::SHIFT,
            _ => break,
        }
        rest = &rest[2..];
    }
    let mut rc = rest.chars();
    let code = match (rc.next(), rc.next()) {
        (Some(c), None) => KeyCode::Char(c),
        _ => match rest.to_ascii_lowercase().as_str() {
            "enter" | "cr" | "return" => KeyCode::Enter,
            "esc" | "escape" => KeyCode::Esc,
            "tab" => KeyCode::Tab,
            "space" => KeyCode::Char(' '),
            "bs" | "backspace" => KeyCode::Backspace,
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "pageup" | "pgup" => KeyCode::PageUp,
            "pagedown" | "pgdn" => KeyCode::PageDown,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "del" | "delete" => KeyCode::Delete,
            "ins" | "insert" => KeyCode::Insert,
            f if f.starts_with('f') => match f[1..].parse::<u8>() {
                Ok(n @ 1..=24) => KeyCode::F(n),
                _ => return Err(bad()),
            },
            _ => return Err(bad()),
        },
    };
    // A shifted letter is the capital letter.
    if let KeyCode::Char(c) = code
        && mods.contains(KeyModifiers::SHIFT)
        && c.is_ascii_alphabetic()
    {
        mods.remove(KeyModifiers::SHIFT);
        return Ok(Chord {
            code: KeyCode::Char(c.to_ascii_uppercase()),
            mods,
        });
    }
    Ok(Chord { code, mods })
}

/// Key -> action per scope, built from the table and the user's overrides.
#[derive(Clone, Debug)]
pub struct Keymap {
    map: HashMap<(Scope, Chord), Action>,
    /// Keys as shown in help, per action.
    shown: HashMap<Action, Vec<String>>,
}

impl Default for Keymap {
    fn default() -> Self {
        Keymap::new(&[]).expect("the default keys parse")
    }
}

impl Keymap {
    /// Builds the map; `overrides` replace an action's keys (action, key names).
    pub fn new(overrides: &[(Action, Vec<String>)]) -> Result<Keymap, BadKey> {
        let mut map = HashMap::new();
        let mut shown = HashMap::new();
        for spec in ACTIONS {
            let keys: Vec<String> = match overrides.iter().find(|(a, _)| *a == spec.action) {
                Some((_, keys)) => keys.clone(),
                None => spec.keys.iter().map(|k| k.to_string()).collect(),
            };
            for k in &keys {
                map.insert((spec.scope, parse_chord(k)?), spec.action);
            }
            shown.insert(spec.action, keys);
        }
        Ok(Keymap { map, shown })
    }

    /// The action of a key in `scope`: the scope's own binding first, then a global one.
    pub fn lookup(&self, scope: Scope, key: &KeyEvent) -> Option<Action> {
        let chord = Chord::from_event(key);
        self.map
            .get(&(scope, chord))
            .or_else(|| self.map.get(&(Scope::Global, chord)))
            .copied()
    }

    /// Pairs of actions sharing a key where both can apply: the same scope, or one of them
    /// global. (`q` for back in the reader and quit in the lists is fine.)
    pub fn conflicts(&self) -> Vec<(Action, Action, String)> {
        let mut out = Vec::new();
        let specs: Vec<_> = ACTIONS.iter().collect();
        for (i, a) in specs.iter().enumerate() {
            for b in &specs[i + 1..] {
                let overlap =
                    a.scope == b.scope || a.scope == Scope::Global || b.scope == Scope::Global;
                if !overlap {
                    continue;
                }
                for ka in self.keys_of(a.action) {
                    let same = self.keys_of(b.action).iter().any(
                        |kb| matches!((parse_chord(ka), parse_chord(kb)), (Ok(x), Ok(y)) if x == y),
                    );
                    if same {
                        out.push((a.action, b.action, ka.clone()));
                    }
                }
            }
        }
        out
    }

    /// The keys bound to an action, as written.
    pub fn keys_of(&self, action: Action) -> &[String] {
        self.shown.get(&action).map(Vec::as_slice).unwrap_or(&[])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    #[test]
    fn chords_parse() {
        assert_eq!(parse_chord("j").unwrap().code, KeyCode::Char('j'));
        assert_eq!(
            parse_chord("<C-d>").unwrap(),
            Chord {
                code: KeyCode::Char('d'),
                mods: KeyModifiers::CONTROL
            }
        );
        assert_eq!(parse_chord("<S-g>").unwrap().code, KeyCode::Char('G'));
        assert_eq!(parse_chord("<F5>").unwrap().code, KeyCode::F(5));
        assert_eq!(parse_chord("<Space>").unwrap().code, KeyCode::Char(' '));
        assert!(parse_chord("<Nope>").is_err());
        assert!(parse_chord("ab").is_err());
        assert!(parse_chord("<F99>").is_err());
    }

    #[test]
    fn q_goes_back_in_the_reader_and_quits_from_the_list() {
        let km = Keymap::default();
        let q = key(KeyCode::Char('q'), KeyModifiers::NONE);
        assert_eq!(km.lookup(Scope::Reader, &q), Some(Action::Back));
        assert_eq!(km.lookup(Scope::List, &q), Some(Action::Quit));
        let j = key(KeyCode::Char('j'), KeyModifiers::NONE);
        assert_eq!(km.lookup(Scope::Reader, &j), Some(Action::Down));
        let shift_g = key(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(km.lookup(Scope::List, &shift_g), Some(Action::Bottom));
    }

    #[test]
    fn the_default_keys_have_no_conflicts() {
        assert_eq!(Keymap::default().conflicts(), vec![]);
        let km = Keymap::new(&[(Action::Refresh, vec!["j".into()])]).unwrap();
        assert_eq!(
            km.conflicts(),
            vec![(Action::Down, Action::Refresh, "j".to_string())]
        );
    }

    #[test]
    fn overrides_replace_the_default_keys() {
        let km = Keymap::new(&[(Action::Down, vec!["<C-n>".into()])]).unwrap();
        assert_eq!(
            km.lookup(Scope::List, &key(KeyCode::Char('j'), KeyModifiers::NONE)),
            None
        );
        assert_eq!(
            km.lookup(Scope::List, &key(KeyCode::Char('n'), KeyModifiers::CONTROL)),
            Some(Action::Down)
        );
        assert_eq!(km.keys_of(Action::Down), ["<C-n>"]);
    }
}
