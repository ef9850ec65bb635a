//! The bidi settings in force: what the config asked for and the mode it resolved to.

use crate::config::{BidiSetting, ShapingSetting};
use crate::text::{BidiMode, TextOptions, shaping_default};

/// The bidi settings in force.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BidiState {
    pub setting: BidiSetting,
    pub shaping: ShapingSetting,
    pub mode: BidiMode,
    /// Why `auto` chose what it chose, for the log and the help.
    pub reason: String,
}

impl Default for BidiState {
    fn default() -> Self {
        BidiState {
            setting: BidiSetting::Auto,
            shaping: ShapingSetting::Auto,
            mode: BidiMode::App,
            reason: "the default".to_string(),
        }
    }
}

impl BidiState {
    pub fn text_options(&self) -> TextOptions {
        // Shaping only ever applies where akhbar lays the text out itself (app mode).
        let shaping = match self.shaping {
            ShapingSetting::On => true,
            ShapingSetting::Off => false,
            ShapingSetting::Auto => shaping_default(self.mode),
        };
        TextOptions {
            mode: self.mode,
            shaping: shaping && self.mode == BidiMode::App,
        }
    }
}
