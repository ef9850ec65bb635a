//! Property tests of the layout engine on random mixed-script text: lines fit, rejoin to the
//! paragraph, are permutations of their logical clusters, never carry a control, and nothing
//! panics.

use akhbar::model::Direction;
use akhbar::text::sanitize::{is_bidi_control, is_c0_c1};
use akhbar::text::{
    BidiMode, ParagraphTrace, TextOptions, VisualLine, layout_field, layout_paragraph,
    trace_paragraph,
};
use proptest::prelude::*;
use unicode_bidi_mirroring::get_mirrored;

const APP_UNSHAPED: TextOptions = TextOptions {
    mode: BidiMode::App,
    shaping: false,
};

/// Chars the engine never draws (see `cluster::is_invisible`), plus whitespace, which may be
/// dropped where a line breaks.
fn is_dropped(c: char) -> bool {
    is_c0_c1(c)
        || is_bidi_control(c)
        || c.is_whitespace()
        || matches!(c, '\u{00AD}' | '\u{200B}' | '\u{2060}' | '\u{FEFF}')
}

fn pick(chars: &'static str) -> impl Strategy<Value = String> {
    let v: Vec<char> = chars.chars().collect();
    prop::sample::select(v).prop_map(String::from)
}

/// One token of mixed-script text. Marks, ZWJ and ZWNJ only ever follow a letter.
fn token() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => pick("ابتثجحخدذرسشصضطظعغفقكلمنهويءأإآةى"),
        2 => pick("אבגדהוזחטיכלמנסעפצקרשת"),
        4 => pick("abcdefghijklmnopqrstuvwxyzABC"),
        2 => pick("0123456789٠١٢٣۴۵"),
        2 => pick("()[]{}«»<>"),
        4 => Just(" ".to_string()),
        1 => pick("\u{3000}\u{00A0}\u{2009}"),
        2 => pick(".,:;-/%+!?'\"#$₪"),
        1 => (pick("بسمل"), pick("\u{064E}\u{064F}\u{0650}\u{0651}\u{0652}"))
            .prop_map(|(a, b)| a + &b),
        1 => (pick("שלמ"), pick("\u{05B8}\u{05B4}\u{05C1}")).prop_map(|(a, b)| a + &b),
        1 => (pick("ae"), pick("\u{0301}\u{0308}")).prop_map(|(a, b)| a + &b),
        1 => pick("中文字日本語한국"),
        1 => pick("👍😀🎉"),
        1 => Just("👨\u{200D}👩\u{200D}👧".to_string()),
        1 => Just("ی\u{200C}".to_string()),
        1 => Just("ب\u{200D}".to_string()),
        1 => pick("\u{200E}\u{200F}\u{061C}\u{2066}\u{2067}\u{2068}\u{2069}\u{202A}\u{202B}\u{202C}\u{202D}\u{202E}"),
        1 => pick("\n\t\u{1b}\u{7}\u{9b}"),
    ]
}

fn mixed_text() -> impl Strategy<Value = String> {
    prop::collection::vec(token(), 0..40).prop_map(|t| t.concat())
}

fn ltr_text() -> impl Strategy<Value = String> {
    let tok = prop_oneof![
        4 => pick("abcdefghijklmnopqrstuvwxyz"),
        2 => pick("0123456789"),
        2 => Just(" ".to_string()),
        1 => pick(".,:;-/%()[]"),
        1 => pick("中文👍"),
    ];
    prop::collection::vec(tok, 0..40).prop_map(|t| t.concat())
}

fn direction() -> impl Strategy<Value = Direction> {
    prop_oneof![
        Just(Direction::Auto),
        Just(Direction::Ltr),
        Just(Direction::Rtl)
    ]
}

fn check_line(line: &VisualLine, max: usize) {
    assert!(line.width <= max, "{line:?} wider than {max}");
    assert!(
        !line.text.chars().any(|c| is_c0_c1(c) || is_bidi_control(c)),
        "control in {:?}",
        line.text
    );
    let mut sum = 0;
    let mut joined = String::new();
    for (g, w) in line.cells() {
        assert!(w == 1 || w == 2, "cluster {g:?} of width {w}");
        sum += w;
        joined.push_str(g);
    }
    assert_eq!(sum, line.width);
    assert_eq!(joined, line.text);
}

/// The visible chars of each line, put back in logical order and unmirrored, in paragraph
/// order; also checks each line is a permutation of its logical clusters.
fn rejoin(trace: &ParagraphTrace) -> String {
    let mut out = String::new();
    let mut last_end = 0;
    for line in &trace.lines {
        assert!(line.logical.start >= last_end, "lines overlap");
        last_end = line.logical.end;
        let cells: Vec<&str> = line.line.cells().map(|(g, _)| g).collect();
        assert_eq!(cells.len(), line.visual.len());
        let mut order: Vec<usize> = (0..cells.len()).collect();
        order.sort_by_key(|&i| line.visual[i].start);
        // Permutation: the sorted sources tile the line's logical range, leaving out only
        // invisible chars between them.
        let mut at = line.logical.start;
        for &i in &order {
            let src = &line.visual[i];
            assert!(src.start >= at, "clusters overlap in {line:?}");
            assert!(
                trace.text[at..src.start].chars().all(is_dropped),
                "a visible char was lost"
            );
            at = src.end;
            let source: Vec<char> = trace.text[src.clone()]
                .chars()
                .filter(|&c| !is_c0_c1(c) && !is_bidi_control(c))
                .collect();
            let drawn: Vec<char> = cells[i].chars().collect();
            assert_eq!(drawn.len(), source.len(), "{:?} vs {:?}", cells[i], source);
            for (&d, &s) in drawn.iter().zip(&source) {
                assert!(
                    d == s || get_mirrored(s) == Some(d),
                    "{d:?} drawn for {s:?}"
                );
                out.push(s);
            }
        }
        assert!(at <= line.logical.end || line.logical.is_empty());
    }
    out.chars().filter(|&c| !is_dropped(c)).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn every_line_fits_and_carries_no_control(
        text in mixed_text(),
        dir in direction(),
        fallback in any::<bool>(),
        width in 0usize..30,
        shaping in any::<bool>(),
        mode in prop_oneof![Just(BidiMode::App), Just(BidiMode::Terminal), Just(BidiMode::Off)],
    ) {
        let opts = TextOptions { mode, shaping };
        let lines = layout_paragraph(&text, dir, fallback, width, &opts);
        prop_assert!(!lines.is_empty());
        for line in &lines {
            check_line(line, width);
            prop_assert!(mode != BidiMode::Off || !line.rtl, "off mode never aligns right");
        }
        let field = layout_field(&text, dir, fallback, width, &opts);
        check_line(&field, width);
    }

    #[test]
    fn lines_rejoin_to_the_paragraph_and_are_permutations(
        text in mixed_text(),
        dir in direction(),
        fallback in any::<bool>(),
        width in 2usize..40,
    ) {
        let trace = trace_paragraph(&text, dir, fallback, width, &APP_UNSHAPED);
        let expected: String = text.chars().filter(|&c| !is_dropped(c)).collect();
        prop_assert_eq!(rejoin(&trace), expected);
    }

    #[test]
    fn terminal_mode_lines_are_in_logical_order(
        text in mixed_text(),
        width in 2usize..40,
    ) {
        let opts = TextOptions { mode: BidiMode::Terminal, shaping: true };
        let trace = trace_paragraph(&text, Direction::Auto, false, width, &opts);
        for line in &trace.lines {
            prop_assert!(line.visual.windows(2).all(|w| w[0].end <= w[1].start));
        }
        let expected: String = text.chars().filter(|&c| !is_dropped(c)).collect();
        prop_assert_eq!(rejoin(&trace), expected);
    }

    #[test]
    fn pure_ltr_text_is_unchanged(text in ltr_text(), width in 2usize..40) {
        let trace = trace_paragraph(&text, Direction::Auto, false, width, &TextOptions::default());
        for line in &trace.lines {
            prop_assert!(!line.line.rtl);
            prop_assert_eq!(&line.line.text, &trace.text[line.logical.clone()]);
        }
        let rejoined: String = trace.lines.iter().map(|l| l.line.text.as_str()).collect();
        prop_assert_eq!(
            rejoined.replace(' ', ""),
            text.replace(' ', "")
        );
    }

    #[test]
    fn arbitrary_strings_never_panic(text in any::<String>(), width in 0usize..8) {
        for mode in [BidiMode::App, BidiMode::Terminal, BidiMode::Off] {
            let opts = TextOptions { mode, shaping: true };
            for line in layout_paragraph(&text, Direction::Auto, true, width, &opts) {
                check_line(&line, width);
            }
            check_line(&layout_field(&text, Direction::Rtl, false, width, &opts), width);
        }
    }
}

/// Found by fuzzing (`fuzz/regressions/crash-a29a7a1e…`, target `text_pipeline`): text
/// mixing ESC, bidi controls (U+202E, U+2066, U+206D, U+200F) and C1 (U+009B).
#[test]
fn escapes_bidi_controls_and_c1_together_lose_no_visible_char() {
    let crash = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fuzz/regressions/crash-a29a7a1e2cf78815163043cad54737b4c4f3a53f"
    ))
    .unwrap();
    akhbar::fuzzing::text_pipeline(&crash);
}
