//! Every committed fuzz input (the seeds of each target, and every input that once crashed a
//! target, through every target) run through the fuzz targets' own checks
//! (`akhbar::fuzzing`), so `cargo test` catches a regression on them on any machine, with
//! or without the nightly toolchain that `cargo fuzz` needs. A target's check panics when an
//! invariant breaks (a panic, a control character out, a line wider than its width, ...).

use std::path::{Path, PathBuf};

type Target = fn(&[u8]);

const TARGETS: [(&str, Target); 8] = [
    ("config", akhbar::fuzzing::config),
    ("extract", akhbar::fuzzing::extract),
    ("feed", akhbar::fuzzing::feed),
    ("filter", akhbar::fuzzing::filter),
    ("html_layout", akhbar::fuzzing::html_layout),
    ("import", akhbar::fuzzing::import),
    ("sync_answers", akhbar::fuzzing::sync_answers),
    ("text_pipeline", akhbar::fuzzing::text_pipeline),
];

/// A committed file, by its path in the repository.
fn committed(path: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The page the `extract` target makes of an input's body (its first byte picks text/html).
fn article_page(body: &[u8]) -> akhbar::feed::Page {
    akhbar::feed::Page {
        url: "https://example.org/news/2026/12/article.html".into(),
        content_type: Some("text/html".into()),
        body: body.to_vec().into(),
    }
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && p.extension().is_none_or(|x| x != "md"))
        .collect();
    out.sort();
    out
}

#[test]
fn every_seed_passes_its_targets_checks() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds");
    for (name, target) in TARGETS {
        let seeds = files(&root.join(name));
        assert!(!seeds.is_empty(), "no seeds for {name}");
        for seed in seeds {
            let data = std::fs::read(&seed).unwrap();
            let run = std::panic::catch_unwind(|| target(&data));
            assert!(run.is_ok(), "{name} failed on {}", seed.display());
        }
    }
}

#[test]
fn every_input_that_once_crashed_passes_every_targets_checks() {
    let crashes = files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions"));
    assert!(crashes.len() >= 4, "{crashes:?}");
    for input in crashes {
        let data = std::fs::read(&input).unwrap();
        for (name, target) in TARGETS {
            let run = std::panic::catch_unwind(|| target(&data));
            assert!(run.is_ok(), "{name} failed on {}", input.display());
        }
    }
}

/// The `extract` target's own seed gets past extraction (an article, its chrome and its
/// controls gone), so the target's checks on fields and lines run on it, not only the
/// early return of a page without an article.
#[test]
fn the_extract_seed_is_an_article_the_target_checks_to_the_end() {
    let seed = committed("fuzz/seeds/extract/ar-metro.html");
    assert_eq!(seed[0], b'A', "the target's pick: text/html, width 16");
    let page = article_page(&seed[1..]);
    let article = akhbar::extract::extract(&page).unwrap();
    assert!(article.html.contains("افتتح الوزير"), "{}", article.html);
    assert!(!article.html.contains("alert(1)"), "{}", article.html);
    assert!(!article.html.contains('\u{1b}') && !article.html.contains('\u{202e}'));
    assert_eq!(
        article.author.as_deref().map(|a| a.contains("مراسلنا")),
        Some(true)
    );
}

/// `fuzz/regressions/crash-e877bd49...` (the `extract` target): an article page with a run of
/// ideographic spaces (U+3000, two cells each) in a paragraph; at the target's width (16, from
/// the first byte) a line came out 66 cells wide. The target's own checks pass on it at that
/// width and at every other its first byte can pick (0..64, text/html).
#[test]
fn crash_e877bd49_hung_ideographic_spaces_stay_out_of_the_line() {
    let mut input = committed("fuzz/regressions/crash-e877bd49d5ee286c84392b72b5fc21ef3a794325");
    assert_eq!(input[0], b'A', "the target's pick: text/html, width 16");
    let full = akhbar::extract::extract(&article_page(&input[1..]))
        .unwrap()
        .into_full_text();
    assert!(
        full.html.contains(&"\u{3000}".repeat(25)),
        "the run of ideographic spaces is in the article"
    );
    for width in 0..64u8 {
        input[0] = (width << 2) | 1;
        akhbar::fuzzing::extract(&input);
    }
}

/// `fuzz/regressions/crash-8278dec6...` (the `text_pipeline` target, the same bug as
/// `crash-e877bd49`): a paragraph with three ideographic spaces before a short word, at width
/// 23 (from the second byte) a line of 28 cells. The target's own checks pass on it at every
/// width its second byte can pick (0..90).
#[test]
fn crash_8278dec6_the_text_pipeline_keeps_hung_spaces_out_too() {
    let mut input = committed("fuzz/regressions/crash-8278dec62a29961cd58a6b05f2689a9aa9f8732c");
    assert_eq!(input[1] % 90, 23, "the target's width");
    assert!(
        std::str::from_utf8(&input[2..])
            .unwrap()
            .contains("\u{3000}\u{3000}\u{3000}")
    );
    for width in 0..90u8 {
        input[1] = width;
        akhbar::fuzzing::text_pipeline(&input);
    }
}
