//! The cases of shared/BIDI.md and more: expected visual order, left to right.
//!
//! `rev(word)` is an RTL word drawn right to left (its grapheme clusters reversed, marks kept
//! after their base); the BIDI.md table writes it `Wn`.

use akhbar::model::Direction;
use akhbar::text::sanitize::{is_bidi_control, is_c0_c1, sanitize_url};
use akhbar::text::{
    BidiMode, TextOptions, VisualLine, layout_field, layout_paragraph, layout_single,
    trace_paragraph,
};
use unicode_segmentation::UnicodeSegmentation;

const UNSHAPED: TextOptions = TextOptions {
    mode: BidiMode::App,
    shaping: false,
};
const SHAPED: TextOptions = TextOptions {
    mode: BidiMode::App,
    shaping: true,
};

fn rev(word: &str) -> String {
    word.graphemes(true).rev().collect()
}

fn cps(s: &str) -> Vec<u32> {
    s.chars().map(|c| c as u32).collect()
}

/// Checks the invariants every drawn line keeps, then returns it.
fn checked(line: VisualLine) -> VisualLine {
    assert!(
        !line.text.chars().any(|c| is_c0_c1(c) || is_bidi_control(c)),
        "control in {:?}",
        line.text
    );
    let cells: Vec<(&str, usize)> = line.cells().collect();
    assert!(cells.iter().all(|&(_, w)| w == 1 || w == 2));
    assert_eq!(cells.iter().map(|&(_, w)| w).sum::<usize>(), line.width);
    assert_eq!(cells.concat_text(), line.text);
    line
}

trait ConcatText {
    fn concat_text(&self) -> String;
}

impl ConcatText for Vec<(&str, usize)> {
    fn concat_text(&self) -> String {
        self.iter().map(|&(g, _)| g).collect()
    }
}

fn visual(text: &str, dir: Direction) -> VisualLine {
    checked(layout_single(text, dir, false, &UNSHAPED))
}

fn lines(text: &str, width: usize, opts: &TextOptions) -> Vec<VisualLine> {
    layout_paragraph(text, Direction::Auto, false, width, opts)
        .into_iter()
        .map(checked)
        .collect()
}

#[test]
fn case_01_date_in_arabic_puts_the_year_at_the_left() {
    let line = visual("31 ديسمبر 2021", Direction::Auto);
    assert!(line.rtl);
    assert_eq!(line.text, format!("2021 {} 31", rev("ديسمبر")));
    assert_eq!(
        cps(&line.text),
        vec![
            0x32, 0x30, 0x32, 0x31, 0x20, 0x631, 0x628, 0x645, 0x633, 0x64A, 0x62F, 0x20, 0x33,
            0x31
        ]
    );
}

#[test]
fn case_02_a_bare_timestamp_is_ltr_unless_forced_rtl() {
    let auto = visual("28-11-2021, 14:13", Direction::Auto);
    assert!(!auto.rtl);
    assert_eq!(auto.text, "28-11-2021, 14:13");
    let forced = visual("28-11-2021, 14:13", Direction::Rtl);
    assert!(forced.rtl);
    assert_eq!(forced.text, "14:13 ,28-11-2021");
}

#[test]
fn case_03_arabic_date_parts_are_arabic_numbers_in_reverse() {
    let line = visual("نشر في 28-11-2021, 14:13 بتوقيت مكة", Direction::Auto);
    assert_eq!(
        line.text,
        format!(
            "{} {} 14:13 ,2021-11-28 {} {}",
            rev("مكة"),
            rev("بتوقيت"),
            rev("في"),
            rev("نشر")
        )
    );
}

#[test]
fn case_04_hebrew_date_stays_one_ltr_number() {
    let line = visual("פורסם 28-11-2021, 14:13 בירושלים", Direction::Auto);
    assert_eq!(
        line.text,
        format!("{} 14:13 ,28-11-2021 {}", rev("בירושלים"), rev("פורסם"))
    );
}

#[test]
fn case_05_brackets_in_arabic_are_mirrored() {
    let line = visual("قال (مرحبا) ثم", Direction::Auto);
    assert_eq!(
        line.text,
        format!("{} ({}) {}", rev("ثم"), rev("مرحبا"), rev("قال"))
    );
    // The `(` drawn first is the logical `)`, mirrored (L4).
    let logical_close = "قال (مرحبا) ثم".find(')').unwrap_or(0);
    let trace = trace_paragraph("قال (مرحبا) ثم", Direction::Auto, false, 80, &UNSHAPED);
    let first_bracket = trace.lines[0]
        .line
        .cells()
        .position(|(g, _)| g == "(")
        .unwrap_or(usize::MAX);
    assert_eq!(trace.lines[0].visual[first_bracket].start, logical_close);
}

#[test]
fn case_06_latin_in_brackets_inside_arabic() {
    let line = visual("شركة (Apple) تعلن", Direction::Auto);
    assert_eq!(
        line.text,
        format!("{} (Apple) {}", rev("تعلن"), rev("شركة"))
    );
}

#[test]
fn case_07_arabic_in_brackets_inside_english() {
    let line = visual("The word (سلام) means peace", Direction::Auto);
    assert!(!line.rtl);
    assert_eq!(line.text, format!("The word ({}) means peace", rev("سلام")));
}

#[test]
fn case_08_final_full_stop_goes_to_the_left_end() {
    let line = visual("مقال عن Rust.", Direction::Auto);
    assert_eq!(line.text, format!(".Rust {} {}", rev("عن"), rev("مقال")));
}

#[test]
fn case_09_url_inside_arabic_reads_left_to_right() {
    let line = visual(
        "اقرأ المزيد: https://example.com/a?b=1 الآن",
        Direction::Auto,
    );
    assert_eq!(
        line.text,
        format!(
            "{} https://example.com/a?b=1 :{} {}",
            rev("الآن"),
            rev("المزيد"),
            rev("اقرأ")
        )
    );
}

#[test]
fn case_10_percent_sign_is_drawn_before_the_number() {
    let line = visual("ارتفع 5% اليوم", Direction::Auto);
    assert_eq!(line.text, format!("{} %5 {}", rev("اليوم"), rev("ارتفع")));
}

#[test]
fn case_11_every_haraka_stays_after_its_base_letter() {
    let line = visual("بِسْمِ اللَّهِ", Direction::Auto);
    assert_eq!(
        cps(&line.text),
        vec![
            0x647, 0x650, 0x644, 0x64E, 0x651, 0x644, 0x627, 0x20, 0x645, 0x650, 0x633, 0x652,
            0x628, 0x650
        ]
    );
    let shaped = checked(layout_single("بِسْمِ اللَّهِ", Direction::Auto, false, &SHAPED));
    for (cluster, _) in shaped.cells() {
        let first = cluster.chars().next().unwrap_or(' ');
        assert!(
            !('\u{064B}'..='\u{065F}').contains(&first),
            "cluster {cluster:?} starts with a haraka"
        );
    }
    assert_eq!(
        shaped
            .text
            .chars()
            .filter(|c| ('\u{064B}'..='\u{065F}').contains(c))
            .count(),
        6
    );
}

#[test]
fn case_12_shaped_salam_is_five_cells_with_the_lam_alef_ligature() {
    let shaped = checked(layout_single("السلام", Direction::Auto, false, &SHAPED));
    assert_eq!(
        cps(&shaped.text),
        vec![0xFEE1, 0xFEFC, 0xFEB4, 0xFEDF, 0xFE8D]
    );
    assert_eq!(shaped.width, 5);
    let unshaped = visual("السلام", Direction::Auto);
    assert_eq!(unshaped.width, 6);
    assert_eq!(unshaped.text, rev("السلام"));
}

#[test]
fn case_13_overrides_are_neutralized_and_never_emitted() {
    let line = visual("abc\u{202E}def\u{202C}ghi", Direction::Auto);
    assert_eq!(line.text, "abcdefghi");
    let para = lines("abc\u{202E}def\u{202C}ghi", 4, &UNSHAPED);
    let texts: Vec<&str> = para.iter().map(|l| l.text.as_str()).collect();
    assert_eq!(texts, vec!["abcd", "efgh", "i"]);
}

const CASE_14: &str = "قالت الشركة إن Rust programming language is great وأضافت";

#[test]
fn case_14_second_line_keeps_the_paragraph_direction() {
    // Broken right after `إن `: line 2 starts with Latin but stays an RTL line.
    let forced = CASE_14.replacen("إن ", "إن\n", 1);
    let para = lines(&forced, 80, &UNSHAPED);
    assert_eq!(para.len(), 2);
    assert_eq!(
        para[0].text,
        format!("{} {} {}", rev("إن"), rev("الشركة"), rev("قالت"))
    );
    assert!(para[1].rtl);
    assert_eq!(
        para[1].text,
        format!("{} Rust programming language is great", rev("وأضافت"))
    );
    assert_eq!(para[1].width, 41);
}

#[test]
fn case_14_wrapped_by_width_the_lines_are_reordered_separately() {
    let para = lines(CASE_14, 36, &UNSHAPED);
    let texts: Vec<String> = para.iter().map(|l| l.text.clone()).collect();
    assert_eq!(
        texts,
        vec![
            format!(
                "Rust programming {} {} {}",
                rev("إن"),
                rev("الشركة"),
                rev("قالت")
            ),
            format!("{} language is great", rev("وأضافت")),
        ]
    );
    assert!(para.iter().all(|l| l.rtl && l.width <= 36));
}

#[test]
fn case_15_guillemets_are_mirrored() {
    let line = visual("عاجل: «الرئيس» يصل", Direction::Auto);
    assert_eq!(
        line.text,
        format!("{} «{}» :{}", rev("يصل"), rev("الرئيس"), rev("عاجل"))
    );
}

#[test]
fn persian_with_zwnj_keeps_the_zwnj_in_its_cluster() {
    let line = visual("می\u{200C}خواهم بروم", Direction::Auto);
    assert_eq!(
        line.text,
        format!("{} {}", rev("بروم"), rev("می\u{200C}خواهم"))
    );
    assert!(line.cells().any(|(g, _)| g == "ی\u{200C}"));
    let shaped = checked(layout_single(
        "می\u{200C}خواهم",
        Direction::Auto,
        false,
        &SHAPED,
    ));
    // Visual: meem final, heh initial and alef isolated (alef and waw never join forward),
    // waw final, kheh initial, yeh+ZWNJ final, meem initial.
    assert_eq!(
        cps(&shaped.text),
        vec![
            0xFEE2, 0xFEEB, 0xFE8D, 0xFEEE, 0xFEA7, 0xFBFD, 0x200C, 0xFEE3
        ]
    );
}

#[test]
fn urdu_with_extended_arabic_indic_digits() {
    let line = visual("پاکستان کی آبادی ۲۴ کروڑ ہے", Direction::Auto);
    assert_eq!(
        line.text,
        format!(
            "{} {} ۲۴ {} {} {}",
            rev("ہے"),
            rev("کروڑ"),
            rev("آبادی"),
            rev("کی"),
            rev("پاکستان")
        )
    );
}

#[test]
fn hebrew_niqqud_stays_on_its_letter() {
    let line = visual("שָׁלוֹם עוֹלָם", Direction::Auto);
    assert_eq!(line.text, format!("{} {}", rev("עוֹלָם"), rev("שָׁלוֹם")));
    assert!(line.cells().any(|(g, _)| g == "שָׁ"));
    assert_eq!(line.width, 9);
}

#[test]
fn numbers_with_separators_stay_whole() {
    let hebrew = visual("המחיר 1,234.56 ₪", Direction::Auto);
    assert_eq!(hebrew.text, format!("₪ 1,234.56 {}", rev("המחיר")));
    let arabic = visual("السعر 1,234.56 دولار", Direction::Auto);
    assert_eq!(
        arabic.text,
        format!("{} 1,234.56 {}", rev("دولار"), rev("السعر"))
    );
}

#[test]
fn nested_brackets_are_mirrored_pairwise() {
    let line = visual("قال (أ [ب] ج) ثم", Direction::Auto);
    assert_eq!(line.text, format!("{} (ج [ب] أ) {}", rev("ثم"), rev("قال")));
    let ltr = visual("The (a [ب] c) end", Direction::Auto);
    assert_eq!(ltr.text, "The (a [ب] c) end");
}

#[test]
fn a_url_field_is_forced_ltr_and_loses_its_bidi_controls() {
    let url = sanitize_url("https://example.com/\u{202E}مقال?x=1\u{200F}");
    let line = checked(layout_field(&url, Direction::Ltr, true, 80, &SHAPED));
    assert!(!line.rtl);
    // Shaping is harmless here: the Arabic path segment is drawn right to left, shaped.
    let unshaped = checked(layout_field(&url, Direction::Ltr, true, 80, &UNSHAPED));
    assert_eq!(
        unshaped.text,
        format!("https://example.com/{}?x=1", rev("مقال"))
    );
    let short = checked(layout_field(&url, Direction::Ltr, true, 10, &UNSHAPED));
    assert_eq!(short.text, "https://e…");
}

#[test]
fn an_all_space_paragraph_is_one_line_of_spaces() {
    let para = layout_paragraph("   ", Direction::Auto, true, 10, &SHAPED);
    assert_eq!(para.len(), 1);
    assert_eq!(para[0].text, "   ");
    assert_eq!(para[0].width, 3);
    assert!(para[0].rtl);
}

#[test]
fn an_empty_paragraph_is_one_empty_line() {
    let para = layout_paragraph("", Direction::Auto, false, 10, &SHAPED);
    assert_eq!(para, vec![VisualLine::default()]);
}

#[test]
fn only_digits_in_an_arabic_feed_are_an_rtl_paragraph() {
    let para = layout_paragraph("2024", Direction::Auto, true, 10, &SHAPED);
    assert!(para[0].rtl);
    assert_eq!(para[0].text, "2024");
    let time = layout_paragraph("12:30 - 2024", Direction::Auto, true, 20, &SHAPED);
    assert_eq!(time[0].text, "2024 - 12:30");
}

#[test]
fn an_rtl_field_is_truncated_at_its_logical_end() {
    let line = checked(layout_field(
        "عاجل: الرئيس يصل إلى المدينة",
        Direction::Auto,
        false,
        12,
        &UNSHAPED,
    ));
    assert!(line.rtl);
    assert_eq!(line.width, 12);
    assert_eq!(line.text, format!("…{} :{}", rev("الرئي"), rev("عاجل")));
}

#[test]
fn tiny_fields_never_overflow() {
    for text in ["عاجل", "abc", "中文", ""] {
        for max in 0..3 {
            let line = checked(layout_field(text, Direction::Auto, false, max, &SHAPED));
            assert!(line.width <= max, "{text:?} at {max}: {line:?}");
        }
    }
    assert_eq!(
        layout_field("abc", Direction::Auto, false, 1, &SHAPED).text,
        "…"
    );
    assert_eq!(
        layout_field("abc", Direction::Auto, false, 0, &SHAPED).text,
        ""
    );
}

#[test]
fn terminal_mode_wraps_in_logical_order_without_shaping() {
    let opts = TextOptions {
        mode: BidiMode::Terminal,
        shaping: true,
    };
    let para = lines("قال (مرحبا) ثم السلام", 12, &opts);
    assert_eq!(para[0].text, "قال (مرحبا)");
    assert_eq!(para[1].text, "ثم السلام");
    assert!(para.iter().all(|l| l.rtl));
}

#[test]
fn off_mode_is_raw_logical_order_without_rtl_alignment() {
    let opts = TextOptions {
        mode: BidiMode::Off,
        shaping: true,
    };
    let line = checked(layout_single("قال (مرحبا)", Direction::Auto, false, &opts));
    assert_eq!(line.text, "قال (مرحبا)");
    assert!(!line.rtl);
}

#[test]
fn marks_and_isolates_steer_resolution_but_are_never_drawn() {
    // An isolate keeps the English name and its `!` together; an RLM makes the following
    // space and number an RTL run, so they swap even in an LTR paragraph.
    let line = visual("قال \u{2066}Apple!\u{2069} ثم", Direction::Auto);
    assert_eq!(line.text, format!("{} Apple! {}", rev("ثم"), rev("قال")));
    let mark = visual("abc\u{200F} 5", Direction::Ltr);
    assert_eq!(mark.text, "abc5 ");
}

#[test]
fn line_feeds_become_spaces_in_fields_and_breaks_in_paragraphs() {
    assert_eq!(visual("a\nb", Direction::Auto).text, "a b");
    let para = lines("a\nb", 10, &UNSHAPED);
    assert_eq!(para.len(), 2);
}

#[test]
fn a_huge_field_is_truncated_from_a_bounded_prefix() {
    use akhbar::model::Direction;
    let opts = akhbar::text::TextOptions::default();
    let title = "عنوان طويل جدا ".repeat(100_000);
    let l = akhbar::text::layout_field(&title, Direction::Auto, false, 30, &opts);
    assert!(l.width <= 30 && l.width >= 28, "{}", l.width);
    assert!(l.rtl);
    assert!(l.text.contains('…'));
    // Zero-width marks only: the cut prefix still gets its ellipsis.
    let marks = "\u{064E}".repeat(10_000);
    let l = akhbar::text::layout_field(&format!("a{marks}"), Direction::Auto, false, 5, &opts);
    assert!(l.width <= 5);
    assert!(l.text.ends_with('…'), "{:?}", l.text.chars().last());
}
