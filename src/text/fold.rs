//! Search folding: the one normal form that both indexed text and queries are reduced to, so
//! `يحسن` finds `يحسّن`, `شركت` finds `شرکت`, `1999` finds `۱۹۹۹` and `cafe` finds `Café`.
//! Pure and per character (no context, no I/O): `fold(a + b) == fold(a) + fold(b)`.
//!
//! | what | characters | becomes |
//! |---|---|---|
//! | Arabic harakat and other marks | U+064B-U+065F (fathatan ... wavy hamza below), U+0670 superscript alef, U+0610-U+061A honorifics, U+08D3-U+08E1 and U+08E3-U+08FF extended marks | removed |
//! | Quranic annotation marks | U+06D6-U+06DC, U+06DF-U+06E4, U+06E7-U+06E8, U+06EA-U+06ED (the marks of U+06D6-U+06ED; U+06DD end of ayah, U+06DE rub el hizb, U+06E5/U+06E6 small waw/yeh and U+06E9 sajdah are not marks and stay) | removed |
//! | tatweel | U+0640 `ـ` | removed |
//! | hamza forms of alef | `أ` U+0623, `إ` U+0625, `آ` U+0622, `ٱ` U+0671, `ٲ` U+0672, `ٳ` U+0673, `ٵ` U+0675 | `ا` U+0627 |
//! | hamza on waw and yeh (hamza above is a mark: canonical decomposition) | `ؤ` U+0624, `ٶ` U+0676 / `ئ` U+0626, `ٸ` U+0678 | `و` U+0648 / `ي` U+064A |
//! | alef maqsura, yeh, Persian yeh, Urdu yeh barree | `ى` U+0649, `ی` U+06CC, `ے` U+06D2, `ۓ` U+06D3 | `ي` U+064A |
//! | Persian/Urdu kaf (keheh, swash kaf) | `ک` U+06A9, `ڪ` U+06AA | `ك` U+0643 |
//! | heh variants: ae, heh goal, heh doachashmee, heh with yeh above, heh goal with hamza | `ە` U+06D5, `ہ` U+06C1, `ھ` U+06BE, `ۀ` U+06C0, `ۂ` U+06C2 | `ه` U+0647 |
//! | teh marbuta goal | `ۃ` U+06C3 | `ة` U+0629 (and on, with the option) |
//! | teh marbuta, only with [`FoldOptions::teh_marbuta`] (off by default) | `ة` U+0629 | `ه` U+0647 |
//! | Arabic-Indic and Persian (extended) digits | U+0660-U+0669, U+06F0-U+06F9 | `0`-`9` |
//! | Hebrew cantillation and niqqud (points, dagesh, shin/sin dots, rafe, meteg) | U+0591-U+05BD, U+05BF, U+05C1-U+05C2, U+05C4-U+05C5, U+05C7 | removed (letters, final forms, maqaf and sof pasuq stay) |
//! | Latin (and every other script): case and diacritics | NFKD (`unicode-normalization`), then every combining mark (canonical combining class not 0) dropped, then lowercase: `É` -> `e`, `Ｒ` -> `r`, `K` (Kelvin) -> `k` | base letters, lowercase (but see "never longer" below) |
//! | presentation forms (Arabic U+FB50-U+FDFF, U+FE70-U+FEFF, Hebrew U+FB1D-U+FB4F) | NFKD gives the base letter, which then folds by the rows above | base letters |
//! | ZWNJ, ZWJ, bidi controls, invisible format characters | U+200C, U+200D, U+200E, U+200F, U+061C ALM, U+202A-U+202E, U+2066-U+2069, U+2060-U+2064, U+00AD soft hyphen, U+034F CGJ, U+180E, U+FE00-U+FE0F variation selectors, U+FEFF BOM | removed (`می‌خواهم` with a ZWNJ folds as `میخواهم` does) |
//! | zero width space | U+200B | a space (it separates words) |
//!
//! Never longer: a folded string has at most as many chars *and* at most as many UTF-8 bytes
//! as the input. Where a compatibility decomposition would be longer than the character it
//! replaces in either measure (the ligatures `ﬁ` `ﬂ` `Ǆ` `…` `㎞`, the lam-alef presentation ligatures
//! U+FEF5-U+FEFC, `ﷺ`, `½`), or a lowercase letter is longer in UTF-8 than its capital (`Ⱥ`
//! U+023A -> U+2C65), the character is kept as it is. Letters that have no decomposition
//! (`ø` `ł` `đ` `ß`) stay what they are. Spacing marks and vowel signs with combining class 0
//! (Devanagari, Thai) are kept: they are letters of their words, not accents.
//!
//! Words: [`words`] splits folded text the way the index does (letters, digits and marks are
//! word characters; everything else separates), so a query and the indexed text agree.

use std::ops::Range;

use unicode_normalization::char::{canonical_combining_class, decompose_compatible};

/// Choices that change what folds together.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct FoldOptions {
    /// Fold teh marbuta `ة` into heh `ه` (`مدرسة` finds `مدرسه`). Off by default: the two are
    /// different words often enough (`ة` is a grammatical ending).
    pub teh_marbuta: bool,
}

/// Folds with the default options.
pub fn fold(s: &str) -> String {
    fold_with(s, FoldOptions::default())
}

/// Folds with `opts`.
pub fn fold_with(s: &str, opts: FoldOptions) -> String {
    let mut out = String::with_capacity(s.len());
    fold_into(s, opts, &mut out);
    out
}

/// Appends the folding of `s` to `out`.
pub fn fold_into(s: &str, opts: FoldOptions, out: &mut String) {
    // Runs of ASCII are the common case in URLs, markup leftovers and English text: lowercase
    // them a slice at a time instead of char by char.
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let run = bytes[i..].iter().take_while(|b| b.is_ascii()).count();
        if run > 0 {
            let start = out.len();
            out.push_str(&s[i..i + run]);
            // `run` ends before the first non-ASCII byte, so both cuts are char boundaries.
            out[start..].make_ascii_lowercase();
            i += run;
            continue;
        }
        let c = s[i..].chars().next().unwrap_or('\u{fffd}');
        fold_char(c, opts, out);
        i += c.len_utf8();
    }
}

/// Appends the folding of one character to `out` (nothing, one char, or for a compatibility
/// decomposition that is not longer, several).
pub fn fold_char(c: char, opts: FoldOptions, out: &mut String) {
    if let Some(simple) = simple(c, opts) {
        if let Some(f) = simple {
            out.push(f);
        }
        return;
    }
    // Everything else: NFKD, marks dropped, each piece folded by the table and lowercased;
    // kept as it is if that came out longer than the character.
    let start = out.len();
    let mut chars = 0usize;
    decompose_compatible(c, |d| {
        if canonical_combining_class(d) != 0 {
            return;
        }
        match simple(d, opts) {
            Some(Some(f)) => {
                out.push(f);
                chars += 1;
            }
            Some(None) => {}
            None => {
                for l in d.to_lowercase() {
                    if canonical_combining_class(l) == 0 {
                        out.push(l);
                        chars += 1;
                    }
                }
            }
        }
    });
    if chars > 1 || out.len() - start > c.len_utf8() {
        out.truncate(start);
        out.push(c);
    }
}

/// The table: `Some(Some(f))` folds to `f`, `Some(None)` is removed, `None` needs the general
/// path (NFKD, marks, lowercase).
fn simple(c: char, opts: FoldOptions) -> Option<Option<char>> {
    let cp = c as u32;
    if c.is_ascii() {
        return Some(Some(c.to_ascii_lowercase()));
    }
    match cp {
        0x0590..=0x05FF => Some(hebrew(c)),
        0x0600..=0x06FF | 0x0750..=0x077F | 0x08A0..=0x08FF => arabic(c, opts),
        0x200B => Some(Some(' ')),
        0x00AD
        | 0x034F
        | 0x180E
        | 0x200C..=0x200F
        | 0x202A..=0x202E
        | 0x2060..=0x2064
        | 0x2066..=0x2069
        | 0xFE00..=0xFE0F
        | 0xFEFF => Some(None),
        _ => None,
    }
}

fn hebrew(c: char) -> Option<char> {
    match c as u32 {
        0x0591..=0x05BD | 0x05BF | 0x05C1 | 0x05C2 | 0x05C4 | 0x05C5 | 0x05C7 => None,
        _ => Some(c),
    }
}

const ALEF: char = '\u{0627}';
const YEH: char = '\u{064A}';
const WAW: char = '\u{0648}';
const KAF: char = '\u{0643}';
const HEH: char = '\u{0647}';
const TEH_MARBUTA: char = '\u{0629}';

fn arabic(c: char, opts: FoldOptions) -> Option<Option<char>> {
    let folded = match c as u32 {
        // Marks: harakat, superscript alef, honorifics, Quranic annotation, extended marks.
        0x064B..=0x065F
        | 0x0670
        | 0x0610..=0x061A
        | 0x06D6..=0x06DC
        | 0x06DF..=0x06E4
        | 0x06E7..=0x06E8
        | 0x06EA..=0x06ED
        | 0x08D3..=0x08E1
        | 0x08E3..=0x08FF => None,
        // ALM and tatweel.
        0x061C | 0x0640 => None,
        0x0622 | 0x0623 | 0x0625 | 0x0671 | 0x0672 | 0x0673 | 0x0675 => Some(ALEF),
        0x0624 | 0x0676 => Some(WAW),
        0x0626 | 0x0649 | 0x0678 | 0x06CC | 0x06D2 | 0x06D3 => Some(YEH),
        0x06A9 | 0x06AA => Some(KAF),
        0x06BE | 0x06C0 | 0x06C1 | 0x06C2 | 0x06D5 => Some(HEH),
        0x0629 | 0x06C3 if opts.teh_marbuta => Some(HEH),
        0x06C3 => Some(TEH_MARBUTA),
        d @ 0x0660..=0x0669 => char::from_digit(d - 0x0660, 10),
        d @ 0x06F0..=0x06F9 => char::from_digit(d - 0x06F0, 10),
        // Other letters have no compatibility decomposition that matters; the general path
        // would only hand them back.
        _ => Some(c),
    };
    Some(folded)
}

/// The last word of a query matches as a prefix from this many characters on; shorter, as a
/// whole word. A one- or two-letter prefix matches hundreds of words: merging their lists in
/// the index cost 100+ ms at 100,000 articles (a prefix index fixes that, but made indexing
/// 4x slower), and it finds nearly everything anyway.
pub const MIN_PREFIX: usize = 3;

/// Whether `c` belongs to a word (letters, digits, marks); everything else separates words.
/// The index and the query split folded text with this, so they always agree.
pub fn is_word_char(c: char) -> bool {
    // Fast answers for the common scripts (the general lookup is a binary search).
    match c as u32 {
        0..=0x7F => return c.is_ascii_alphanumeric(),
        0x0621..=0x063A | 0x0641..=0x064A | 0x0671..=0x06D3 | 0x05D0..=0x05EA => return true,
        _ => {}
    }
    c.is_alphanumeric() || unicode_normalization::char::is_combining_mark(c)
}

/// The words of folded text, in order.
pub fn words(folded: &str) -> impl Iterator<Item = &str> {
    folded
        .split(|c: char| !is_word_char(c))
        .filter(|w| !w.is_empty())
}

/// Where the words of `query` (folded with `opts`, split by [`words`]) occur in `text`, as
/// byte ranges of `text`: a word of the text matches a query word it equals, or the last
/// query word when that is a prefix of it of [`MIN_PREFIX`] characters or more (as the
/// search does while the user types). For
/// highlighting matches in the original, unfolded text.
pub fn find_words(text: &str, query: &str, opts: FoldOptions) -> Vec<Range<usize>> {
    let folded_query = fold_with(query, opts);
    let wanted: Vec<&str> = words(&folded_query).collect();
    let Some((last, whole)) = wanted.split_last() else {
        return Vec::new();
    };
    let mut found = Vec::new();
    let mut word = String::new();
    let mut start: Option<usize> = None;
    let mut piece = String::new();
    let check = |word: &mut String, range: Range<usize>, found: &mut Vec<Range<usize>>| {
        let prefix = last.chars().count() >= MIN_PREFIX && word.starts_with(last);
        if !word.is_empty() && (whole.contains(&word.as_str()) || word == *last || prefix) {
            found.push(range);
        }
        word.clear();
    };
    for (i, c) in text.char_indices() {
        piece.clear();
        fold_char(c, opts, &mut piece);
        for f in piece.chars() {
            if is_word_char(f) {
                start.get_or_insert(i);
                word.push(f);
            } else if let Some(s) = start.take() {
                check(&mut word, s..i, &mut found);
            }
        }
        // A character that folds to nothing (a haraka, a ZWNJ) neither starts nor ends a word.
    }
    if let Some(s) = start {
        check(&mut word, s..text.len(), &mut found);
    }
    found
}

#[cfg(test)]
#[path = "fold_tests.rs"]
mod tests;
