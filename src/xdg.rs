//! Where akhbar's files live: the XDG base directories, each honoured when its variable is
//! set to an absolute path (the spec says a relative one is ignored, as is an empty one),
//! else the platform's default (`~/.config`, `~/.local/share`, `~/.local/state`, `~/.cache`
//! on Linux). The command-line flags (`--config`, `--data-dir`, `--log-file`) win over all.
//!
//! What goes where: the config in config; the cache database in data, because it holds
//! read and starred state and each feed's schedule, which cannot be fetched again (full-text
//! pages kept with their articles live in it too, and leave with them); the log in state.
//! Nothing is put in the cache directory: akhbar has nothing it could throw away and build
//! again.

use std::ffi::OsString;
use std::path::PathBuf;

/// One of the base directories.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Base {
    Config,
    Data,
    State,
    Cache,
}

impl Base {
    /// The variable that names it.
    pub fn variable(self) -> &'static str {
        match self {
            Base::Config => "XDG_CONFIG_HOME",
            Base::Data => "XDG_DATA_HOME",
            Base::State => "XDG_STATE_HOME",
            Base::Cache => "XDG_CACHE_HOME",
        }
    }
}

/// akhbar's directory under `base`, from the environment.
pub fn dir(base: Base) -> Option<PathBuf> {
    dir_from(base, |k| std::env::var_os(k), directories::BaseDirs::new())
}

/// [`dir`] with the environment and the platform's defaults passed in (for tests).
pub fn dir_from(
    base: Base,
    env: impl Fn(&str) -> Option<OsString>,
    defaults: Option<directories::BaseDirs>,
) -> Option<PathBuf> {
    let set = env(base.variable())
        .map(PathBuf::from)
        .filter(|p| p.is_absolute());
    let root = match set {
        Some(p) => p,
        None => {
            let d = defaults?;
            match base {
                Base::Config => d.config_dir().to_path_buf(),
                Base::Data => d.data_dir().to_path_buf(),
                // Platforms without a state directory (macOS, Windows) keep it with the
                // local data.
                Base::State => d.state_dir().unwrap_or(d.data_local_dir()).to_path_buf(),
                Base::Cache => d.cache_dir().to_path_buf(),
            }
        }
    };
    Some(root.join("akhbar"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_absolute_variable_wins_and_an_empty_or_relative_one_is_ignored() {
        let env = |value: &'static str| move |_: &str| Some(OsString::from(value));
        for base in [Base::Config, Base::Data, Base::State, Base::Cache] {
            assert_eq!(
                dir_from(base, env("/x/y"), None),
                Some(PathBuf::from("/x/y/akhbar")),
                "{base:?}"
            );
            assert_eq!(dir_from(base, env(""), None), None, "{base:?}: empty");
            assert_eq!(
                dir_from(base, env("rel/dir"), None),
                None,
                "{base:?}: relative"
            );
            assert_eq!(dir_from(base, |_| None, None), None, "{base:?}: unset");
        }
    }
}
