//! A deterministic generator of mixed-script paragraphs for the FriBidi differential test:
//! Arabic, Persian, Hebrew and Latin words, numbers with separators, dates, percentages,
//! URLs, brackets (paired, nested and stray), punctuation, harakat and niqqud, and now and then
//! a bidi mark or isolate.

/// xorshift64*: small, seeded, the same on every machine.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.max(1))
    }

    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const ARABIC: &[&str] = &[
    "قال",
    "الرئيس",
    "مرحبا",
    "السلام",
    "الشركة",
    "اليوم",
    "بتوقيت",
    "مكة",
    "ديسمبر",
    "إن",
    "وأضافت",
    "عاجل",
    "المزيد",
    "الآن",
    "ارتفع",
    "بِسْمِ",
    "اللَّهِ",
    "لا",
    "في",
    "على",
];
const PERSIAN: &[&str] = &["می\u{200C}خواهم", "بروم", "کتاب", "گفت", "پاییز", "ژاله"];
const HEBREW: &[&str] = &[
    "פורסם",
    "בירושלים",
    "שָׁלוֹם",
    "עוֹלָם",
    "המחיר",
    "חדשות",
    "היום",
    "של",
];
const LATIN: &[&str] = &[
    "Rust",
    "Apple",
    "the",
    "word",
    "means",
    "peace",
    "programming",
    "is",
    "great",
    "BBC",
    "iPhone",
    "e-mail",
    "COVID-19",
];
const NUMBERS: &[&str] = &[
    "2021",
    "31",
    "28-11-2021",
    "14:13",
    "1,234.56",
    "5%",
    "-3",
    "+44",
    "٢٠٢٤",
    "۱۴۰۲",
    "3.5",
    "10/12",
    "$5",
    "₪20",
    "100km",
    "#1",
    "1.",
    "2)",
];
const URLS: &[&str] = &[
    "https://example.com/a?b=1",
    "www.bbc.co.uk",
    "user@example.org",
    "http://x.y/مقال",
];
const PUNCT: &[&str] = &[
    ".", ",", ":", "؛", "،", "!", "?", "؟", "-", "—", "/", "\"", "'", "…",
];
const OPEN: &[(&str, &str)] = &[("(", ")"), ("[", "]"), ("«", "»"), ("{", "}"), ("<", ">")];
const MARKS: &[&str] = &["\u{200E}", "\u{200F}", "\u{061C}"];
const ISOLATES: &[&str] = &["\u{2066}", "\u{2067}", "\u{2068}"];

fn word(rng: &mut Rng, out: &mut String, depth: usize) {
    match rng.below(20) {
        0..=5 => out.push_str(rng.pick(ARABIC)),
        6 => out.push_str(rng.pick(PERSIAN)),
        7..=9 => out.push_str(rng.pick(HEBREW)),
        10..=12 => out.push_str(rng.pick(LATIN)),
        13..=14 => out.push_str(rng.pick(NUMBERS)),
        15 => out.push_str(rng.pick(URLS)),
        16 if depth < 2 => {
            let (open, close) = OPEN[rng.below(OPEN.len())];
            out.push_str(open);
            for i in 0..1 + rng.below(3) {
                if i > 0 {
                    out.push(' ');
                }
                word(rng, out, depth + 1);
            }
            // Now and then a bracket is left unclosed.
            if rng.below(8) != 0 {
                out.push_str(close);
            }
        }
        17 => {
            word(rng, out, depth + 1);
            out.push_str(rng.pick(PUNCT));
        }
        18 => {
            out.push_str(rng.pick(MARKS));
            word(rng, out, depth + 1);
        }
        _ if depth < 2 => {
            out.push_str(rng.pick(ISOLATES));
            word(rng, out, depth + 1);
            out.push(' ');
            word(rng, out, depth + 1);
            out.push('\u{2069}');
        }
        _ => out.push_str(rng.pick(LATIN)),
    }
}

/// One paragraph of 1 to 16 words, leaning Arabic, Hebrew or Latin.
pub fn paragraph(rng: &mut Rng) -> String {
    let mut out = String::new();
    let words = 1 + rng.below(16);
    for i in 0..words {
        if i > 0 {
            out.push_str(if rng.below(12) == 0 { "  " } else { " " });
        }
        word(rng, &mut out, 0);
    }
    if rng.below(10) == 0 {
        out.push(' ');
    }
    out
}

/// The corpus: `n` paragraphs from a fixed seed.
pub fn corpus(n: usize) -> Vec<String> {
    let mut rng = Rng::new(0x00A6_6BA2_2024);
    (0..n).map(|_| paragraph(&mut rng)).collect()
}
