//! One test per row of the folding table, with literal code points, and the two promises:
//! folding is idempotent and never longer (checked on every scalar value, and on strings).

use proptest::prelude::*;

use super::*;

fn f(s: &str) -> String {
    fold(s)
}

#[test]
fn arabic_harakat_are_removed() {
    // يُحَسِّنُ with damma, fatha, kasra, shadda: U+064F U+064E U+0650 U+0651.
    assert_eq!(
        f("\u{064A}\u{064F}\u{062D}\u{064E}\u{0633}\u{0651}\u{0650}\u{0646}\u{064F}"),
        "\u{064A}\u{062D}\u{0633}\u{0646}"
    );
    // Every code point of U+064B-U+065F goes.
    for cp in 0x064B..=0x065F {
        let c = char::from_u32(cp).unwrap();
        assert_eq!(f(&format!("\u{0628}{c}")), "\u{0628}", "U+{cp:04X}");
    }
}

#[test]
fn superscript_alef_and_other_arabic_marks_are_removed() {
    // هٰذا -> هذا
    assert_eq!(
        f("\u{0647}\u{0670}\u{0630}\u{0627}"),
        "\u{0647}\u{0630}\u{0627}"
    );
    for cp in [
        0x0610, 0x0615, 0x061A, 0x08D3, 0x08E1, 0x08E3, 0x08F0, 0x08FF,
    ] {
        let c = char::from_u32(cp).unwrap();
        assert_eq!(f(&format!("\u{0645}{c}")), "\u{0645}", "U+{cp:04X}");
    }
}

#[test]
fn quranic_marks_are_removed_and_quranic_signs_stay() {
    for cp in (0x06D6..=0x06DC)
        .chain(0x06DF..=0x06E4)
        .chain([0x06E7, 0x06E8])
        .chain(0x06EA..=0x06ED)
    {
        let c = char::from_u32(cp).unwrap();
        assert_eq!(f(&format!("\u{0642}{c}")), "\u{0642}", "U+{cp:04X}");
    }
    // End of ayah, rub el hizb, small waw, small yeh, sajdah: not marks.
    for cp in [0x06DD, 0x06DE, 0x06E5, 0x06E6, 0x06E9] {
        let c = char::from_u32(cp).unwrap();
        assert_eq!(f(&c.to_string()), c.to_string(), "U+{cp:04X}");
    }
}

#[test]
fn tatweel_is_removed() {
    // مـــرحبا -> مرحبا
    assert_eq!(
        f("\u{0645}\u{0640}\u{0640}\u{0640}\u{0631}\u{062D}\u{0628}\u{0627}"),
        "\u{0645}\u{0631}\u{062D}\u{0628}\u{0627}"
    );
}

#[test]
fn hamza_forms_of_alef_become_bare_alef() {
    for c in [
        '\u{0623}', '\u{0625}', '\u{0622}', '\u{0671}', '\u{0672}', '\u{0673}', '\u{0675}',
    ] {
        assert_eq!(f(&c.to_string()), "\u{0627}", "U+{:04X}", c as u32);
    }
    // أحمد and احمد fold together; so do the decomposed spellings (alef + hamza above).
    assert_eq!(
        f("\u{0623}\u{062D}\u{0645}\u{062F}"),
        f("\u{0627}\u{062D}\u{0645}\u{062F}")
    );
    assert_eq!(f("\u{0627}\u{0654}"), "\u{0627}");
}

#[test]
fn hamza_on_waw_and_yeh_folds_to_the_carrier() {
    assert_eq!(f("\u{0624}"), "\u{0648}");
    assert_eq!(f("\u{0676}"), "\u{0648}");
    assert_eq!(f("\u{0626}"), "\u{064A}");
    assert_eq!(f("\u{0678}"), "\u{064A}");
}

#[test]
fn alef_maqsura_arabic_yeh_and_persian_yeh_fold_together() {
    let yeh = "\u{064A}";
    for c in ['\u{0649}', '\u{064A}', '\u{06CC}', '\u{06D2}', '\u{06D3}'] {
        assert_eq!(f(&c.to_string()), yeh, "U+{:04X}", c as u32);
    }
    // على (alef maqsura) and علی (Persian yeh) and علي.
    assert_eq!(f("\u{0639}\u{0644}\u{0649}"), f("\u{0639}\u{0644}\u{06CC}"));
}

#[test]
fn persian_kaf_folds_to_arabic_kaf() {
    // شرکت (keheh) finds شركت (kaf).
    assert_eq!(
        f("\u{0634}\u{0631}\u{06A9}\u{062A}"),
        "\u{0634}\u{0631}\u{0643}\u{062A}"
    );
    assert_eq!(f("\u{06AA}"), "\u{0643}");
    // Gaf is its own letter.
    assert_eq!(f("\u{06AF}"), "\u{06AF}");
}

#[test]
fn heh_variants_fold_to_arabic_heh() {
    for c in ['\u{06D5}', '\u{06C1}', '\u{06BE}', '\u{06C0}', '\u{06C2}'] {
        assert_eq!(f(&c.to_string()), "\u{0647}", "U+{:04X}", c as u32);
    }
    // نامۀ (heh with yeh above) and the decomposed heh + hamza above.
    assert_eq!(
        f("\u{0646}\u{0627}\u{0645}\u{06C0}"),
        f("\u{0646}\u{0627}\u{0645}\u{0647}\u{0654}")
    );
}

#[test]
fn teh_marbuta_stays_unless_the_option_is_on() {
    let madrasa = "\u{0645}\u{062F}\u{0631}\u{0633}\u{0629}";
    assert_eq!(f(madrasa), madrasa);
    let on = FoldOptions { teh_marbuta: true };
    assert_eq!(
        fold_with(madrasa, on),
        "\u{0645}\u{062F}\u{0631}\u{0633}\u{0647}"
    );
    // Teh marbuta goal is teh marbuta, and heh with the option.
    assert_eq!(f("\u{06C3}"), "\u{0629}");
    assert_eq!(fold_with("\u{06C3}", on), "\u{0647}");
}

#[test]
fn arabic_indic_and_persian_digits_become_ascii() {
    assert_eq!(f("\u{0661}\u{0669}\u{0669}\u{0669}"), "1999");
    assert_eq!(f("\u{06F1}\u{06F9}\u{06F9}\u{06F9}"), "1999");
    assert_eq!(
        f("\u{0660}\u{0661}\u{0662}\u{0663}\u{0664}\u{0665}\u{0666}\u{0667}\u{0668}\u{0669}"),
        "0123456789"
    );
    assert_eq!(f("\u{06F0}\u{06F4}\u{06F5}\u{06F6}"), "0456");
}

#[test]
fn hebrew_niqqud_and_cantillation_are_removed() {
    // שָׁלוֹם with qamats, shin dot, holam -> שלום
    assert_eq!(
        f("\u{05E9}\u{05B8}\u{05C1}\u{05DC}\u{05D5}\u{05B9}\u{05DD}"),
        "\u{05E9}\u{05DC}\u{05D5}\u{05DD}"
    );
    for cp in (0x0591..=0x05BD).chain([0x05BF, 0x05C1, 0x05C2, 0x05C4, 0x05C5, 0x05C7]) {
        let c = char::from_u32(cp).unwrap();
        assert_eq!(f(&format!("\u{05D0}{c}")), "\u{05D0}", "U+{cp:04X}");
    }
    // Maqaf, sof pasuq and final letters stay.
    assert_eq!(
        f("\u{05BE}\u{05C3}\u{05DA}\u{05DD}"),
        "\u{05BE}\u{05C3}\u{05DA}\u{05DD}"
    );
    // A presentation form with a point folds to its letter (shin with shin dot).
    assert_eq!(f("\u{FB2A}"), "\u{05E9}");
}

#[test]
fn latin_case_and_diacritics_fold_away() {
    assert_eq!(f("Café"), "cafe");
    assert_eq!(f("CAFE\u{0301}"), "cafe");
    assert_eq!(f("Ångström Ñandú Œuvre"), "angstrom nandu œuvre");
    assert_eq!(f("İstanbul"), "istanbul");
    // Fullwidth and other compatibility forms.
    assert_eq!(f("\u{FF32}\u{FF55}\u{FF53}\u{FF54}"), "rust");
    // Letters with no decomposition stay.
    assert_eq!(f("ø ł đ ß"), "ø ł đ ß");
    // Greek and Cyrillic lowercase too.
    assert_eq!(f("ΑΘΗΝΑ Москва"), "αθηνα москва");
}

#[test]
fn arabic_presentation_forms_fold_to_their_letters() {
    // ﻣﺮﺣﺒﺎ (shaped) -> مرحبا
    assert_eq!(
        f("\u{FEE3}\u{FEAE}\u{FEA3}\u{FE92}\u{FE8E}"),
        "\u{0645}\u{0631}\u{062D}\u{0628}\u{0627}"
    );
    // Isolated Farsi yeh goes through NFKD to U+06CC, then to yeh.
    assert_eq!(f("\u{FBFC}"), "\u{064A}");
    // Alef with hamza above, isolated.
    assert_eq!(f("\u{FE83}"), "\u{0627}");
}

#[test]
fn zwnj_zwj_and_bidi_controls_are_ignored() {
    // می‌خواهم (with ZWNJ) folds as میخواهم.
    assert_eq!(
        f("\u{0645}\u{06CC}\u{200C}\u{062E}\u{0648}\u{0627}\u{0647}\u{0645}"),
        f("\u{0645}\u{06CC}\u{062E}\u{0648}\u{0627}\u{0647}\u{0645}")
    );
    for c in [
        '\u{200C}', '\u{200D}', '\u{200E}', '\u{200F}', '\u{061C}', '\u{202A}', '\u{202B}',
        '\u{202C}', '\u{202D}', '\u{202E}', '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}',
        '\u{2060}', '\u{00AD}', '\u{FEFF}', '\u{FE0F}', '\u{034F}',
    ] {
        assert_eq!(f(&format!("a{c}b")), "ab", "U+{:04X}", c as u32);
    }
    assert_eq!(f("a\u{200B}b"), "a b");
}

#[test]
fn longer_decompositions_keep_the_character() {
    for c in [
        '\u{FB01}', '\u{FEFB}', '\u{FEF5}', '\u{FDFA}', '\u{00BD}', '\u{01C4}', '\u{023A}',
    ] {
        assert_eq!(f(&c.to_string()), c.to_string(), "U+{:04X}", c as u32);
    }
    // One char for one folds: the Kelvin sign is 3 bytes, `k` one. Three dots for an
    // ellipsis would be more chars.
    assert_eq!(f("\u{212A}"), "k");
    assert_eq!(f("\u{2026}"), "\u{2026}");
}

#[test]
fn the_issue_examples_fold_together() {
    // issue 12: يحسن / يحسّن, شركت / شرکت, 1999 / ۱۹۹۹, cafe / café.
    assert_eq!(f("يحسن"), f("يحسّن"));
    assert_eq!(f("شركت"), f("شرکت"));
    assert_eq!(f("1999"), f("۱۹۹۹"));
    assert_eq!(f("cafe"), f("café"));
}

#[test]
fn words_split_at_punctuation_and_spaces_only() {
    let folded = f("«شركة» Apple، تعلن: 1,999-dollar (نظارات)");
    let w: Vec<&str> = words(&folded).collect();
    assert_eq!(w, ["شركة", "apple", "تعلن", "1", "999", "dollar", "نظارات"]);
}

#[test]
fn find_words_points_at_the_original_text_with_its_marks() {
    let text = "قال إنّ الحكومةَ ستُحسّن الخدمات";
    let found = find_words(text, "ان الحكومه", FoldOptions { teh_marbuta: true });
    let got: Vec<&str> = found.iter().map(|r| &text[r.clone()]).collect();
    assert_eq!(got, ["إنّ", "الحكومةَ"]);
    // The last query word matches as a prefix, the others whole.
    let found = find_words("Rust rusty rustacean", "rust", FoldOptions::default());
    assert_eq!(found.len(), 3);
    let found = find_words("Rust rusty crust", "rust crus", FoldOptions::default());
    let got: Vec<&str> = found
        .iter()
        .map(|r| &"Rust rusty crust"[r.clone()])
        .collect();
    assert_eq!(got, ["Rust", "crust"]);
    assert!(find_words("anything", " \" * ", FoldOptions::default()).is_empty());
}

/// Every scalar value, both option settings: folding a folded char changes nothing, and the
/// fold is never longer in chars or in UTF-8 bytes.
#[test]
fn every_character_folds_idempotently_and_never_longer() {
    let mut once = String::new();
    let mut twice = String::new();
    for opts in [FoldOptions::default(), FoldOptions { teh_marbuta: true }] {
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            once.clear();
            fold_char(c, opts, &mut once);
            assert!(
                once.chars().count() <= 1,
                "U+{:04X} grows in chars",
                c as u32
            );
            assert!(
                once.len() <= c.len_utf8(),
                "U+{:04X} grows in bytes",
                c as u32
            );
            twice.clear();
            fold_into(&once, opts, &mut twice);
            assert_eq!(once, twice, "U+{:04X} is not idempotent", c as u32);
        }
    }
}

proptest! {
    #[test]
    fn folding_is_idempotent(s in "\\PC*", teh in any::<bool>()) {
        let opts = FoldOptions { teh_marbuta: teh };
        let once = fold_with(&s, opts);
        prop_assert_eq!(fold_with(&once, opts), once);
    }

    #[test]
    fn folding_never_grows_in_chars_or_bytes(s in "\\PC*") {
        let folded = fold(&s);
        prop_assert!(folded.chars().count() <= s.chars().count());
        prop_assert!(folded.len() <= s.len());
    }

    #[test]
    fn folding_arabic_hebrew_and_latin_mixes_is_stable(
        s in "[\u{0590}-\u{06FF}\u{FB1D}-\u{FEFC}a-zA-Z\u{00C0}-\u{024F}\u{200B}-\u{200F} 0-9]{0,40}"
    ) {
        let once = fold(&s);
        prop_assert_eq!(fold(&once), once.clone());
        prop_assert!(once.chars().count() <= s.chars().count());
    }

    #[test]
    fn folding_a_concatenation_is_the_concatenation_of_the_foldings(a in "\\PC{0,20}", b in "\\PC{0,20}") {
        prop_assert_eq!(fold(&format!("{a}{b}")), format!("{}{}", fold(&a), fold(&b)));
    }
}
