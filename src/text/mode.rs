//! Resolves `bidi = "auto"` from environment hints about the terminal (BIDI.md decision 6).

use super::BidiMode;

impl BidiMode {
    /// The mode's name, as the config, `--bidi` and the status line write it.
    pub fn name(self) -> &'static str {
        match self {
            BidiMode::App => "app",
            BidiMode::Terminal => "terminal",
            BidiMode::Off => "off",
        }
    }

    /// The mode `B` switches to: app, terminal, off, app, ...
    pub fn next(self) -> BidiMode {
        match self {
            BidiMode::App => BidiMode::Terminal,
            BidiMode::Terminal => BidiMode::Off,
            BidiMode::Off => BidiMode::App,
        }
    }
}

/// Picks a bidi mode from the environment for `bidi = "auto"` and says why, for the log.
/// `get` reads one environment variable (injected so tests need no real environment).
///
/// Terminals that reorder (and shape) by themselves get `Terminal`, so the text is not reordered
/// twice; everything else gets `App`, where akhbar reorders and asks the terminal not to.
pub fn mode_from_env(get: impl Fn(&str) -> Option<String>) -> (BidiMode, String) {
    let set = |name: &str| get(name).filter(|v| !v.is_empty());
    if let Some(vte) = set("VTE_VERSION") {
        match vte.trim().parse::<u32>() {
            Ok(v) if v >= 5800 => {
                return (
                    BidiMode::Terminal,
                    format!("VTE_VERSION={v} (>= 5800): the terminal reorders and shapes itself"),
                );
            }
            _ => {}
        }
    }
    if let Some(v) = set("KONSOLE_VERSION") {
        return (
            BidiMode::Terminal,
            format!("KONSOLE_VERSION={v}: Konsole reorders right-to-left text itself"),
        );
    }
    if set("MLTERM").is_some() {
        return (
            BidiMode::Terminal,
            "MLTERM is set: mlterm reorders right-to-left text itself".to_string(),
        );
    }
    if set("KITTY_WINDOW_ID").is_some() {
        return (
            BidiMode::App,
            "kitty (KITTY_WINDOW_ID is set): akhbar reorders; set `force_ltr yes` in kitty.conf \
             or kitty flips right-to-left runs a second time"
                .to_string(),
        );
    }
    if let Some(program) = set("TERM_PROGRAM") {
        return (
            BidiMode::App,
            format!(
                "TERM_PROGRAM={program}: akhbar reorders; if right-to-left text looks reversed, \
                 the terminal reorders too: try --bidi terminal (kitty: `force_ltr yes`)"
            ),
        );
    }
    (
        BidiMode::App,
        "no terminal hint in the environment: akhbar reorders and shapes itself".to_string(),
    )
}

/// Whether `shaping = "auto"` shapes Arabic: only when akhbar itself draws the visual order.
pub fn shaping_default(mode: BidiMode) -> bool {
    mode == BidiMode::App
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let vars: Vec<(String, String)> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name| vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
    }

    #[test]
    fn recent_vte_gets_terminal_mode() {
        let (mode, reason) = mode_from_env(env(&[("VTE_VERSION", "7600")]));
        assert_eq!(mode, BidiMode::Terminal);
        assert!(reason.contains("VTE_VERSION=7600"));
    }

    #[test]
    fn old_vte_gets_app_mode() {
        assert_eq!(
            mode_from_env(env(&[("VTE_VERSION", "5200")])).0,
            BidiMode::App
        );
    }

    #[test]
    fn konsole_and_mlterm_get_terminal_mode() {
        assert_eq!(
            mode_from_env(env(&[("KONSOLE_VERSION", "230805")])).0,
            BidiMode::Terminal
        );
        assert_eq!(
            mode_from_env(env(&[("MLTERM", "3.9.3")])).0,
            BidiMode::Terminal
        );
    }

    #[test]
    fn kitty_gets_app_mode_and_a_force_ltr_hint() {
        let (mode, reason) = mode_from_env(env(&[("KITTY_WINDOW_ID", "1")]));
        assert_eq!(mode, BidiMode::App);
        assert!(reason.contains("force_ltr yes"));
    }

    #[test]
    fn term_program_gets_app_mode_naming_the_program() {
        let (mode, reason) = mode_from_env(env(&[("TERM_PROGRAM", "WezTerm")]));
        assert_eq!(mode, BidiMode::App);
        assert!(reason.contains("WezTerm"));
    }

    #[test]
    fn no_hint_gets_app_mode() {
        let (mode, reason) = mode_from_env(env(&[]));
        assert_eq!(mode, BidiMode::App);
        assert!(reason.contains("no terminal hint"));
    }

    #[test]
    fn shaping_defaults_on_only_in_app_mode() {
        assert!(shaping_default(BidiMode::App));
        assert!(!shaping_default(BidiMode::Terminal));
        assert!(!shaping_default(BidiMode::Off));
    }
}
