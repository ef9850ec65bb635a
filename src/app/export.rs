//! `S` saves the open article to a file and `|` pipes its text to a command (issue 11). The
//! app only asks (`Cmd::Export` with a copy of the article as the reader shows it); writing
//! and running happen in the runtime, and the answer (`Msg::Saved`, `Msg::Piped`) is a
//! notice.

use super::msg::{Cmd, ExportJob, ExportTarget};
use super::state::App;

impl App {
    /// The open article as a job for `target`; `None` outside the reader, or (with a notice)
    /// while its bodies are still being read from the cache.
    fn export_job(&mut self, target: ExportTarget) -> Option<Box<ExportJob>> {
        let id = self.reader.open.as_ref()?.article;
        if self.needs_body(id) {
            self.notify("the article's text is still loading; try again in a moment");
            return None;
        }
        let a = self.store.article(id)?;
        let article = match self.full.ready(id) {
            Some(full) if self.full.shown(id, a.feed) => crate::view::with_full_text(a, full),
            _ => a.clone(),
        };
        Some(Box::new(ExportJob {
            feed: self.store.feed(a.feed).cloned(),
            article,
            zone: self.clock.zone(),
            target,
        }))
    }

    /// `S`: the open article to a new file in `save_dir`.
    pub(super) fn save_article(&mut self, cmds: &mut Vec<Cmd>) {
        let target = ExportTarget::File {
            dir: self.export.dir.clone(),
            format: self.export.format,
        };
        if let Some(job) = self.export_job(target) {
            cmds.push(Cmd::Export(job));
        }
    }

    /// `|`: the open article's text to the `pipe` command.
    pub(super) fn pipe_article(&mut self, cmds: &mut Vec<Cmd>) {
        if self.export.pipe.is_empty() {
            self.notify("no command to pipe to: set `pipe = [\"command\", \"arg\"]` in the config");
            return;
        }
        if let Some(job) = self.export_job(ExportTarget::Pipe(self.export.pipe.clone())) {
            let name = crate::text::sanitize::sanitize_inline(&self.export.pipe[0]);
            self.notify(format!("piping the article to {name}…"));
            cmds.push(Cmd::Export(job));
        }
    }

    pub(super) fn on_saved(&mut self, result: Result<std::path::PathBuf, String>) {
        match result {
            Ok(path) => self.notify(format!(
                "saved to {}",
                crate::text::sanitize::sanitize_inline(&path.display().to_string())
            )),
            Err(e) => self.notify(format!("not saved: {e}")),
        }
    }

    pub(super) fn on_piped(&mut self, command: String, result: Result<(), String>) {
        let command = crate::text::sanitize::sanitize_inline(&command);
        match result {
            Ok(()) => self.notify(format!("piped the article to {command}")),
            Err(e) => self.notify(format!("{command}: {e}")),
        }
    }
}
