//! Arabic shaping: letters to presentation forms (isolated, final, initial, medial) and
//! lam-alef to its ligature, so terminals that do not shape still draw joined script.
//!
//! Our own small shaper on `unicode-joining-type` plus a forms table (generated from the
//! Unicode compatibility decompositions of U+FB50..U+FEFF). Harakat are kept after their base;
//! word ligatures (U+FDF2 Allah, U+FDFD) are never produced because they change widths and
//! the bidi class. Every input is valid: a leading haraka, a lone lam, ZWJ/ZWNJ.

use unicode_joining_type::{JoiningType, get_joining_type};

/// Presentation forms per letter: `[isolated, final, initial, medial]`, 0 = no such form.
const FORMS: &[(u32, [u32; 4])] = &[
    (0x0621, [0xFE80, 0x0000, 0x0000, 0x0000]), // ARABIC LETTER HAMZA
    (0x0622, [0xFE81, 0xFE82, 0x0000, 0x0000]), // ARABIC LETTER ALEF WITH MADDA ABOVE
    (0x0623, [0xFE83, 0xFE84, 0x0000, 0x0000]), // ARABIC LETTER ALEF WITH HAMZA ABOVE
    (0x0624, [0xFE85, 0xFE86, 0x0000, 0x0000]), // ARABIC LETTER WAW WITH HAMZA ABOVE
    (0x0625, [0xFE87, 0xFE88, 0x0000, 0x0000]), // ARABIC LETTER ALEF WITH HAMZA BELOW
    (0x0626, [0xFE89, 0xFE8A, 0xFE8B, 0xFE8C]), // ARABIC LETTER YEH WITH HAMZA ABOVE
    (0x0627, [0xFE8D, 0xFE8E, 0x0000, 0x0000]), // ARABIC LETTER ALEF
    (0x0628, [0xFE8F, 0xFE90, 0xFE91, 0xFE92]), // ARABIC LETTER BEH
    (0x0629, [0xFE93, 0xFE94, 0x0000, 0x0000]), // ARABIC LETTER TEH MARBUTA
    (0x062A, [0xFE95, 0xFE96, 0xFE97, 0xFE98]), // ARABIC LETTER TEH
    (0x062B, [0xFE99, 0xFE9A, 0xFE9B, 0xFE9C]), // ARABIC LETTER THEH
    (0x062C, [0xFE9D, 0xFE9E, 0xFE9F, 0xFEA0]), // ARABIC LETTER JEEM
    (0x062D, [0xFEA1, 0xFEA2, 0xFEA3, 0xFEA4]), // ARABIC LETTER HAH
    (0x062E, [0xFEA5, 0xFEA6, 0xFEA7, 0xFEA8]), // ARABIC LETTER KHAH
    (0x062F, [0xFEA9, 0xFEAA, 0x0000, 0x0000]), // ARABIC LETTER DAL
    (0x0630, [0xFEAB, 0xFEAC, 0x0000, 0x0000]), // ARABIC LETTER THAL
    (0x0631, [0xFEAD, 0xFEAE, 0x0000, 0x0000]), // ARABIC LETTER REH
    (0x0632, [0xFEAF, 0xFEB0, 0x0000, 0x0000]), // ARABIC LETTER ZAIN
    (0x0633, [0xFEB1, 0xFEB2, 0xFEB3, 0xFEB4]), // ARABIC LETTER SEEN
    (0x0634, [0xFEB5, 0xFEB6, 0xFEB7, 0xFEB8]), // ARABIC LETTER SHEEN
    (0x0635, [0xFEB9, 0xFEBA, 0xFEBB, 0xFEBC]), // ARABIC LETTER SAD
    (0x0636, [0xFEBD, 0xFEBE, 0xFEBF, 0xFEC0]), // ARABIC LETTER DAD
    (0x0637, [0xFEC1, 0xFEC2, 0xFEC3, 0xFEC4]), // ARABIC LETTER TAH
    (0x0638, [0xFEC5, 0xFEC6, 0xFEC7, 0xFEC8]), // ARABIC LETTER ZAH
    (0x0639, [0xFEC9, 0xFECA, 0xFECB, 0xFECC]), // ARABIC LETTER AIN
    (0x063A, [0xFECD, 0xFECE, 0xFECF, 0xFED0]), // ARABIC LETTER GHAIN
    (0x0641, [0xFED1, 0xFED2, 0xFED3, 0xFED4]), // ARABIC LETTER FEH
    (0x0642, [0xFED5, 0xFED6, 0xFED7, 0xFED8]), // ARABIC LETTER QAF
    (0x0643, [0xFED9, 0xFEDA, 0xFEDB, 0xFEDC]), // ARABIC LETTER KAF
    (0x0644, [0xFEDD, 0xFEDE, 0xFEDF, 0xFEE0]), // ARABIC LETTER LAM
    (0x0645, [0xFEE1, 0xFEE2, 0xFEE3, 0xFEE4]), // ARABIC LETTER MEEM
    (0x0646, [0xFEE5, 0xFEE6, 0xFEE7, 0xFEE8]), // ARABIC LETTER NOON
    (0x0647, [0xFEE9, 0xFEEA, 0xFEEB, 0xFEEC]), // ARABIC LETTER HEH
    (0x0648, [0xFEED, 0xFEEE, 0x0000, 0x0000]), // ARABIC LETTER WAW
    (0x0649, [0xFEEF, 0xFEF0, 0xFBE8, 0xFBE9]), // ARABIC LETTER ALEF MAKSURA
    (0x064A, [0xFEF1, 0xFEF2, 0xFEF3, 0xFEF4]), // ARABIC LETTER YEH
    (0x0671, [0xFB50, 0xFB51, 0x0000, 0x0000]), // ARABIC LETTER ALEF WASLA
    (0x0677, [0xFBDD, 0x0000, 0x0000, 0x0000]), // ARABIC LETTER U WITH HAMZA ABOVE
    (0x0679, [0xFB66, 0xFB67, 0xFB68, 0xFB69]), // ARABIC LETTER TTEH
    (0x067A, [0xFB5E, 0xFB5F, 0xFB60, 0xFB61]), // ARABIC LETTER TTEHEH
    (0x067B, [0xFB52, 0xFB53, 0xFB54, 0xFB55]), // ARABIC LETTER BEEH
    (0x067E, [0xFB56, 0xFB57, 0xFB58, 0xFB59]), // ARABIC LETTER PEH
    (0x067F, [0xFB62, 0xFB63, 0xFB64, 0xFB65]), // ARABIC LETTER TEHEH
    (0x0680, [0xFB5A, 0xFB5B, 0xFB5C, 0xFB5D]), // ARABIC LETTER BEHEH
    (0x0683, [0xFB76, 0xFB77, 0xFB78, 0xFB79]), // ARABIC LETTER NYEH
    (0x0684, [0xFB72, 0xFB73, 0xFB74, 0xFB75]), // ARABIC LETTER DYEH
    (0x0686, [0xFB7A, 0xFB7B, 0xFB7C, 0xFB7D]), // ARABIC LETTER TCHEH
    (0x0687, [0xFB7E, 0xFB7F, 0xFB80, 0xFB81]), // ARABIC LETTER TCHEHEH
    (0x0688, [0xFB88, 0xFB89, 0x0000, 0x0000]), // ARABIC LETTER DDAL
    (0x068C, [0xFB84, 0xFB85, 0x0000, 0x0000]), // ARABIC LETTER DAHAL
    (0x068D, [0xFB82, 0xFB83, 0x0000, 0x0000]), // ARABIC LETTER DDAHAL
    (0x068E, [0xFB86, 0xFB87, 0x0000, 0x0000]), // ARABIC LETTER DUL
    (0x0691, [0xFB8C, 0xFB8D, 0x0000, 0x0000]), // ARABIC LETTER RREH
    (0x0698, [0xFB8A, 0xFB8B, 0x0000, 0x0000]), // ARABIC LETTER JEH
    (0x06A4, [0xFB6A, 0xFB6B, 0xFB6C, 0xFB6D]), // ARABIC LETTER VEH
    (0x06A6, [0xFB6E, 0xFB6F, 0xFB70, 0xFB71]), // ARABIC LETTER PEHEH
    (0x06A9, [0xFB8E, 0xFB8F, 0xFB90, 0xFB91]), // ARABIC LETTER KEHEH
    (0x06AD, [0xFBD3, 0xFBD4, 0xFBD5, 0xFBD6]), // ARABIC LETTER NG
    (0x06AF, [0xFB92, 0xFB93, 0xFB94, 0xFB95]), // ARABIC LETTER GAF
    (0x06B1, [0xFB9A, 0xFB9B, 0xFB9C, 0xFB9D]), // ARABIC LETTER NGOEH
    (0x06B3, [0xFB96, 0xFB97, 0xFB98, 0xFB99]), // ARABIC LETTER GUEH
    (0x06BA, [0xFB9E, 0xFB9F, 0x0000, 0x0000]), // ARABIC LETTER NOON GHUNNA
    (0x06BB, [0xFBA0, 0xFBA1, 0xFBA2, 0xFBA3]), // ARABIC LETTER RNOON
    (0x06BE, [0xFBAA, 0xFBAB, 0xFBAC, 0xFBAD]), // ARABIC LETTER HEH DOACHASHMEE
    (0x06C0, [0xFBA4, 0xFBA5, 0x0000, 0x0000]), // ARABIC LETTER HEH WITH YEH ABOVE
    (0x06C1, [0xFBA6, 0xFBA7, 0xFBA8, 0xFBA9]), // ARABIC LETTER HEH GOAL
    (0x06C5, [0xFBE0, 0xFBE1, 0x0000, 0x0000]), // ARABIC LETTER KIRGHIZ OE
    (0x06C6, [0xFBD9, 0xFBDA, 0x0000, 0x0000]), // ARABIC LETTER OE
    (0x06C7, [0xFBD7, 0xFBD8, 0x0000, 0x0000]), // ARABIC LETTER U
    (0x06C8, [0xFBDB, 0xFBDC, 0x0000, 0x0000]), // ARABIC LETTER YU
    (0x06C9, [0xFBE2, 0xFBE3, 0x0000, 0x0000]), // ARABIC LETTER KIRGHIZ YU
    (0x06CB, [0xFBDE, 0xFBDF, 0x0000, 0x0000]), // ARABIC LETTER VE
    (0x06CC, [0xFBFC, 0xFBFD, 0xFBFE, 0xFBFF]), // ARABIC LETTER FARSI YEH
    (0x06D0, [0xFBE4, 0xFBE5, 0xFBE6, 0xFBE7]), // ARABIC LETTER E
    (0x06D2, [0xFBAE, 0xFBAF, 0x0000, 0x0000]), // ARABIC LETTER YEH BARREE
    (0x06D3, [0xFBB0, 0xFBB1, 0x0000, 0x0000]), // ARABIC LETTER YEH BARREE WITH HAMZA ABOVE
];

const ISOLATED: usize = 0;
const FINAL: usize = 1;
const INITIAL: usize = 2;
const MEDIAL: usize = 3;

const LAM: char = '\u{0644}';

/// Lam-alef ligatures: the alef variant and its `[isolated, final]` forms.
const LAM_ALEF: &[(char, [char; 2])] = &[
    ('\u{0622}', ['\u{FEF5}', '\u{FEF6}']),
    ('\u{0623}', ['\u{FEF7}', '\u{FEF8}']),
    ('\u{0625}', ['\u{FEF9}', '\u{FEFA}']),
    ('\u{0627}', ['\u{FEFB}', '\u{FEFC}']),
];

fn forms(c: char) -> Option<&'static [u32; 4]> {
    FORMS
        .binary_search_by_key(&(c as u32), |&(base, _)| base)
        .ok()
        .map(|i| &FORMS[i].1)
}

fn lam_alef(alef: char) -> Option<&'static [char; 2]> {
    LAM_ALEF
        .iter()
        .find(|&&(a, _)| a == alef)
        .map(|(_, forms)| forms)
}

/// How a character takes part in joining, from what our table can draw (a letter whose
/// initial form we cannot draw must not pull its neighbour into a joining form).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Join {
    /// Joins on both sides (dual-joining letter, or ZWJ / tatweel, which cause joining).
    Dual,
    /// Joins only the preceding letter (alef, dal, reh, waw...).
    Right,
    /// Skipped when looking for neighbours (harakat and other marks).
    Transparent,
    /// Breaks joining (spaces, Latin, ZWNJ, letters we have no forms for).
    None,
}

fn join_of(c: char) -> Join {
    if c.is_ascii() {
        return Join::None;
    }
    if let Some(f) = forms(c) {
        return match (f[FINAL] != 0, f[INITIAL] != 0 && f[MEDIAL] != 0) {
            (true, true) => Join::Dual,
            (true, false) => Join::Right,
            _ => Join::None,
        };
    }
    match get_joining_type(c) {
        JoiningType::Transparent => Join::Transparent,
        JoiningType::JoinCausing => Join::Dual,
        _ => Join::None,
    }
}

/// Whether a text contains anything the shaper would change (a fast path for Latin text).
fn needs_shaping(text: &str) -> bool {
    text.chars()
        .any(|c| ('\u{0620}'..='\u{06FF}').contains(&c) && forms(c).is_some())
}

/// Shapes Arabic-script letters in logical order; everything else is copied unchanged.
/// The output has at most as many chars as the input (lam-alef becomes one char).
pub fn shape_arabic(text: &str) -> String {
    shape_arabic_with(text, |_| {}).unwrap_or_else(|| text.to_string())
}

/// [`shape_arabic`], telling `source`, for each char written, the index of the char of
/// `text` it stands for (a lam-alef ligature stands for the lam; the harakat between them
/// follow it; the alef has no char of its own), so that what is known about the source (a
/// style role) follows the shaped text. `None` when nothing needs shaping: the text stays.
pub(crate) fn shape_arabic_with(text: &str, mut source: impl FnMut(usize)) -> Option<String> {
    if !needs_shaping(text) {
        return None;
    }
    let chars: Vec<char> = text.chars().collect();
    let joins: Vec<Join> = chars.iter().map(|&c| join_of(c)).collect();
    // Nearest non-transparent neighbour on each side.
    let neighbour = |from: usize, forward: bool| -> Join {
        let mut i = from;
        loop {
            let next = if forward {
                i.checked_add(1).filter(|&n| n < chars.len())
            } else {
                i.checked_sub(1)
            };
            match next {
                None => return Join::None,
                Some(n) if joins[n] == Join::Transparent => i = n,
                Some(n) => return joins[n],
            }
        }
    };
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let Some(f) = forms(c) else {
            out.push(c);
            source(i);
            i += 1;
            continue;
        };
        let join = joins[i];
        let joins_prev =
            matches!(join, Join::Dual | Join::Right) && neighbour(i, false) == Join::Dual;
        let joins_next =
            join == Join::Dual && matches!(neighbour(i, true), Join::Dual | Join::Right);
        if c == LAM {
            // Lam, then harakat on the lam, then an alef: one ligature, harakat after it.
            let mut j = i + 1;
            while j < chars.len() && joins[j] == Join::Transparent {
                j += 1;
            }
            if let Some(lig) = chars.get(j).and_then(|&a| lam_alef(a)) {
                out.push(if joins_prev { lig[1] } else { lig[0] });
                source(i);
                out.extend(&chars[i + 1..j]);
                (i + 1..j).for_each(&mut source);
                i = j + 1;
                continue;
            }
        }
        let form = match (joins_prev, joins_next) {
            (true, true) => MEDIAL,
            (true, false) => FINAL,
            (false, true) => INITIAL,
            (false, false) => ISOLATED,
        };
        let shaped = [f[form], f[ISOLATED]]
            .into_iter()
            .find(|&cp| cp != 0)
            .and_then(char::from_u32)
            .unwrap_or(c);
        out.push(shaped);
        source(i);
        i += 1;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cps(s: &str) -> Vec<u32> {
        s.chars().map(|c| c as u32).collect()
    }

    #[test]
    fn forms_table_is_sorted_for_binary_search() {
        assert!(FORMS.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn salam_shapes_into_five_forms_with_the_lam_alef_ligature() {
        assert_eq!(
            cps(&shape_arabic("السلام")),
            vec![0xFE8D, 0xFEDF, 0xFEB4, 0xFEFC, 0xFEE1]
        );
    }

    #[test]
    fn harakat_stay_after_their_letter() {
        let shaped = shape_arabic("بِسْمِ");
        assert_eq!(
            cps(&shaped),
            vec![0xFE91, 0x0650, 0xFEB4, 0x0652, 0xFEE2, 0x0650]
        );
    }

    #[test]
    fn allah_gets_no_word_ligature() {
        let shaped = shape_arabic("اللَّهِ");
        assert!(!shaped.contains('\u{FDF2}'));
        assert_eq!(shaped.chars().count(), 7);
    }

    #[test]
    fn harakat_between_lam_and_alef_follow_the_ligature() {
        assert_eq!(cps(&shape_arabic("لَا")), vec![0xFEFB, 0x064E]);
    }

    #[test]
    fn odd_inputs_do_not_panic() {
        for s in [
            "\u{064E}",
            "\u{064E}ب",
            "ل",
            "ل\u{064E}",
            "\u{200D}ب\u{200D}",
            "ب\u{200C}ب",
            "لا",
            "ـلاـ",
            "",
            "abc",
            "ل\u{0651}\u{064E}",
        ] {
            let out = shape_arabic(s);
            assert!(out.chars().count() <= s.chars().count(), "{s:?}");
        }
    }

    #[test]
    fn zwnj_breaks_joining_in_persian() {
        // می‌خواهم: yeh before the ZWNJ takes its final form, kheh after it its initial form.
        let shaped = cps(&shape_arabic("می\u{200C}خواهم"));
        assert_eq!(&shaped[..4], &[0xFEE3, 0xFBFD, 0x200C, 0xFEA7]);
    }

    #[test]
    fn tatweel_and_zwj_cause_joining() {
        assert_eq!(cps(&shape_arabic("بـ")), vec![0xFE91, 0x0640]);
        assert_eq!(cps(&shape_arabic("\u{200D}ب")), vec![0x200D, 0xFE90]);
    }

    #[test]
    fn latin_text_is_returned_unchanged() {
        assert_eq!(shape_arabic("Rust 2024 (x)"), "Rust 2024 (x)");
    }

    #[test]
    fn shaped_chars_map_back_to_their_source_chars() {
        for (source, want) in [
            ("السلام", vec![0, 1, 2, 3, 5]),
            ("لَا ب", vec![0, 1, 3, 4]),
            ("abc", vec![0, 1, 2]),
            ("\u{FEFB}ل", vec![0, 1]),
            ("", vec![]),
        ] {
            let mut map = Vec::new();
            let shaped = shape_arabic_with(source, |i| map.push(i));
            if shaped.is_none() {
                map = (0..source.chars().count()).collect();
            }
            assert_eq!(map, want, "{source:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn every_shaped_char_maps_to_a_source_char_in_order(
            source in "[\u{0621}-\u{064A}\u{064E}\u{0651} a\u{200C}\u{200D}\u{FEFB}]{0,24}"
        ) {
            let mut map = Vec::new();
            let shaped = match shape_arabic_with(&source, |i| map.push(i)) {
                Some(shaped) => shaped,
                None => {
                    map = (0..source.chars().count()).collect();
                    source.clone()
                }
            };
            proptest::prop_assert_eq!(&shaped, &shape_arabic(&source));
            let src: Vec<char> = source.chars().collect();
            proptest::prop_assert_eq!(map.len(), shaped.chars().count());
            proptest::prop_assert!(map.windows(2).all(|w| w[0] < w[1]));
            for (c, &i) in shaped.chars().zip(&map) {
                // Each shaped char is its source char or one of that char's forms.
                let s = src[i];
                let form_of = forms(s).is_some_and(|f| f.contains(&(c as u32)))
                    || (s == LAM && LAM_ALEF.iter().any(|(_, l)| l.contains(&c)));
                proptest::prop_assert!(c == s || form_of, "{:?} from {:?}", c, s);
            }
        }
    }
}
