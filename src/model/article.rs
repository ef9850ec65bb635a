//! The article as the store keeps it: compact, since a million are held at once.

use chrono::{DateTime, Utc};

use super::{Enclosure, FeedId};

/// An article, spelled out field by field: what is built from a parsed item, a cache row or
/// a sync answer, and what [`Article::fields`] gives back. The store keeps the compact
/// [`Article`] made from it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ArticleFields {
    pub feed: FeedId,
    /// Dedupe key within the feed: the guid, else the link, else a stable content hash
    /// (`hash:` + hex).
    pub key: String,
    pub title: String,
    pub link: Option<String>,
    pub author: Option<String>,
    pub categories: Vec<String>,
    pub published: Option<DateTime<Utc>>,
    /// When akhbar first saw it; orders undated items.
    pub first_seen: DateTime<Utc>,
    pub summary_html: Option<String>,
    pub content_html: Option<String>,
    pub language: Option<String>,
    pub read: bool,
    pub starred: bool,
    /// Attached media, kept with the article in the cache (loaded at start, unlike bodies).
    pub enclosures: Vec<Enclosure>,
}

impl ArticleFields {
    /// An unread, unstarred article with only its feed, key, title and the time first seen:
    /// no link, author, categories, date, body, language or enclosures. What a test (or a
    /// cache builder) starts from, spelling out the fields it is about with `..`.
    pub fn bare(feed: FeedId, key: &str, title: &str, first_seen: DateTime<Utc>) -> ArticleFields {
        ArticleFields {
            feed,
            key: key.to_owned(),
            title: title.to_owned(),
            first_seen,
            ..ArticleFields::default()
        }
    }
}

/// An article in the store (and in the on-disk cache), kept compact: a million of them are
/// held at once. The short texts (key, title, link, author, language, categories) share one
/// allocation ([`Texts`]); bodies and enclosures, absent for most articles in memory (bodies
/// stay on disk), sit behind one pointer: 80 bytes inline and one allocation, against 248
/// inline and six to eight allocations as plain fields.
#[derive(Clone, PartialEq)]
pub struct Article {
    pub feed: FeedId,
    pub published: Option<DateTime<Utc>>,
    /// When akhbar first saw it; orders undated items.
    pub first_seen: DateTime<Utc>,
    pub read: bool,
    pub starred: bool,
    texts: Texts,
    extra: Option<Box<Extra>>,
}

/// Bodies and enclosures: what most articles in memory lack.
#[derive(Clone, Debug, Default, PartialEq)]
struct Extra {
    summary_html: Option<String>,
    content_html: Option<String>,
    enclosures: Vec<Enclosure>,
}

impl Extra {
    fn boxed(
        summary_html: Option<String>,
        content_html: Option<String>,
        enclosures: Vec<Enclosure>,
    ) -> Option<Box<Extra>> {
        if summary_html.is_none() && content_html.is_none() && enclosures.is_empty() {
            return None;
        }
        Some(Box::new(Extra {
            summary_html,
            content_html,
            enclosures,
        }))
    }
}

/// Categories are sanitized text (no C0 controls): the unit separator never occurs in one
/// (and is dropped if it did).
const CATEGORY_SEPARATOR: char = '\u{1f}';

/// An article's short texts in one string: key, title, link, author, language, then the
/// categories joined by [`CATEGORY_SEPARATOR`]; `ends` marks where each of the first five
/// ends, `present` which of the optional ones are there (an empty link differs from none).
#[derive(Clone, PartialEq, Eq)]
struct Texts {
    buf: Box<str>,
    ends: [u32; 5],
    present: u8,
}

const LINK: u8 = 1;
const AUTHOR: u8 = 2;
const LANGUAGE: u8 = 4;
const CATEGORIES: u8 = 8;
/// The link is the key (an item without a guid is keyed by its link, and many guids are the
/// link): kept once, so the link's own span is empty.
const LINK_IS_KEY: u8 = 16;

impl Texts {
    fn new<'c, C>(t: ArticleTexts<'_>, categories: C) -> Texts
    where
        C: Iterator<Item = &'c str> + Clone,
    {
        let ArticleTexts {
            key,
            title,
            link,
            author,
            language,
        } = t;
        let cats: usize = categories.clone().map(|c| c.len() + 1).sum();
        let mut buf = String::with_capacity(
            key.len()
                + title.len()
                + link.map_or(0, str::len)
                + author.map_or(0, str::len)
                + language.map_or(0, str::len)
                + cats.saturating_sub(1),
        );
        let mut ends = [0u32; 5];
        let mut present = 0u8;
        // Feeds are size-limited far below 4 GiB; a longer text is cut at a char boundary
        // rather than wrapping an offset.
        let push = |buf: &mut String, s: &str| {
            let room = (u32::MAX as usize).saturating_sub(buf.len());
            let mut n = s.len().min(room);
            while !s.is_char_boundary(n) {
                n -= 1;
            }
            buf.push_str(&s[..n]);
            buf.len() as u32
        };
        ends[0] = push(&mut buf, key);
        ends[1] = push(&mut buf, title);
        // The key is kept whole (a key is never cut: it is far below 4 GiB), so the link can
        // point at it.
        let link_is_key = link == Some(key) && ends[0] as usize == key.len();
        if link_is_key {
            present |= LINK | LINK_IS_KEY;
        }
        for (i, (bit, field)) in [(LINK, link), (AUTHOR, author), (LANGUAGE, language)]
            .into_iter()
            .enumerate()
        {
            if bit == LINK && link_is_key {
                ends[2] = buf.len() as u32;
            } else if let Some(s) = field {
                present |= bit;
                ends[2 + i] = push(&mut buf, s);
            } else {
                ends[2 + i] = buf.len() as u32;
            }
        }
        for (i, c) in categories.enumerate() {
            present |= CATEGORIES;
            if i > 0 {
                buf.push(CATEGORY_SEPARATOR);
            }
            if c.contains(CATEGORY_SEPARATOR) {
                buf.extend(c.chars().filter(|&ch| ch != CATEGORY_SEPARATOR));
            } else {
                buf.push_str(c);
            }
        }
        Texts {
            buf: buf.into_boxed_str(),
            ends,
            present,
        }
    }

    fn field(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.buf[start..self.ends[i] as usize]
    }

    fn optional(&self, i: usize, bit: u8) -> Option<&str> {
        (self.present & bit != 0).then(|| self.field(i))
    }

    fn link(&self) -> Option<&str> {
        if self.present & LINK_IS_KEY != 0 {
            return Some(self.field(0));
        }
        self.optional(2, LINK)
    }
}

/// An article's short texts, borrowed: what [`Article::new`] copies into its one allocation.
#[derive(Clone, Copy, Debug, Default)]
pub struct ArticleTexts<'a> {
    pub key: &'a str,
    pub title: &'a str,
    pub link: Option<&'a str>,
    pub author: Option<&'a str>,
    pub language: Option<&'a str>,
}

/// An article's categories, in the feed's order (see [`Article::categories`]).
#[derive(Clone, Debug)]
pub struct Categories<'a> {
    rest: Option<&'a str>,
}

impl<'a> Categories<'a> {
    /// The categories of a text that joins them with U+001F (as the cache stores them);
    /// `None`: no categories.
    pub fn joined(text: Option<&'a str>) -> Categories<'a> {
        Categories { rest: text }
    }
}

impl Categories<'_> {
    /// Whether the item has no categories.
    pub fn is_empty(&self) -> bool {
        self.rest.is_none()
    }

    /// The categories with `sep` between them.
    pub fn join(self, sep: &str) -> String {
        self.collect::<Vec<_>>().join(sep)
    }
}

impl<'a> Iterator for Categories<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let rest = self.rest?;
        match rest.split_once(CATEGORY_SEPARATOR) {
            Some((one, more)) => {
                self.rest = Some(more);
                Some(one)
            }
            None => {
                self.rest = None;
                Some(rest)
            }
        }
    }
}

impl From<ArticleFields> for Article {
    fn from(f: ArticleFields) -> Article {
        Article {
            feed: f.feed,
            published: f.published,
            first_seen: f.first_seen,
            read: f.read,
            starred: f.starred,
            texts: Texts::new(
                ArticleTexts {
                    key: &f.key,
                    title: &f.title,
                    link: f.link.as_deref(),
                    author: f.author.as_deref(),
                    language: f.language.as_deref(),
                },
                f.categories.iter().map(String::as_str),
            ),
            extra: Extra::boxed(f.summary_html, f.content_html, f.enclosures),
        }
    }
}

impl std::fmt::Debug for Article {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Article")
            .field("feed", &self.feed)
            .field("key", &self.key())
            .field("title", &self.title())
            .field("link", &self.link())
            .field("author", &self.author())
            .field("categories", &self.categories().collect::<Vec<_>>())
            .field("published", &self.published)
            .field("first_seen", &self.first_seen)
            .field("summary_html", &self.summary_html())
            .field("content_html", &self.content_html())
            .field("language", &self.language())
            .field("read", &self.read)
            .field("starred", &self.starred)
            .field("enclosures", &self.enclosures())
            .finish()
    }
}

impl Article {
    /// An article from its parts, the texts copied into one allocation (see [`Article`]).
    #[allow(clippy::too_many_arguments)]
    pub fn new<'c>(
        feed: FeedId,
        texts: ArticleTexts<'_>,
        categories: impl Iterator<Item = &'c str> + Clone,
        published: Option<DateTime<Utc>>,
        first_seen: DateTime<Utc>,
        read: bool,
        starred: bool,
        enclosures: Vec<Enclosure>,
    ) -> Article {
        Article {
            feed,
            published,
            first_seen,
            read,
            starred,
            texts: Texts::new(texts, categories),
            extra: Extra::boxed(None, None, enclosures),
        }
    }

    /// See [`ArticleFields::bare`].
    pub fn bare(feed: FeedId, key: &str, title: &str, first_seen: DateTime<Utc>) -> Article {
        ArticleFields::bare(feed, key, title, first_seen).into()
    }

    /// Dedupe key within the feed: the guid, else the link, else a stable content hash
    /// (`hash:` + hex).
    pub fn key(&self) -> &str {
        self.texts.field(0)
    }

    pub fn title(&self) -> &str {
        self.texts.field(1)
    }

    pub fn link(&self) -> Option<&str> {
        self.texts.link()
    }

    pub fn author(&self) -> Option<&str> {
        self.texts.optional(3, AUTHOR)
    }

    /// BCP 47 language tag of the item, if it gave one.
    pub fn language(&self) -> Option<&str> {
        self.texts.optional(4, LANGUAGE)
    }

    /// The categories (tags) the feed gave the item, in its order.
    pub fn categories(&self) -> Categories<'_> {
        Categories {
            rest: (self.texts.present & CATEGORIES != 0)
                .then(|| &self.texts.buf[self.texts.ends[4] as usize..]),
        }
    }

    pub fn summary_html(&self) -> Option<&str> {
        self.extra.as_ref()?.summary_html.as_deref()
    }

    pub fn content_html(&self) -> Option<&str> {
        self.extra.as_ref()?.content_html.as_deref()
    }

    /// Attached media, kept with the article in the cache (loaded at start, unlike bodies).
    pub fn enclosures(&self) -> &[Enclosure] {
        self.extra.as_ref().map_or(&[], |e| &e.enclosures)
    }

    /// Moves the bodies (summary, content) out, leaving none.
    pub fn take_bodies(&mut self) -> (Option<String>, Option<String>) {
        let Some(extra) = self.extra.as_mut() else {
            return (None, None);
        };
        let bodies = (extra.summary_html.take(), extra.content_html.take());
        if extra.enclosures.is_empty() {
            self.extra = None;
        }
        bodies
    }

    /// Puts bodies (summary, content) in, replacing any.
    pub fn set_bodies(&mut self, summary_html: Option<String>, content_html: Option<String>) {
        let enclosures = self.extra.take().map(|e| e.enclosures).unwrap_or_default();
        self.extra = Extra::boxed(summary_html, content_html, enclosures);
    }

    /// Every field, spelled out (a copy of each text).
    pub fn fields(&self) -> ArticleFields {
        ArticleFields {
            feed: self.feed,
            key: self.key().to_owned(),
            title: self.title().to_owned(),
            link: self.link().map(str::to_owned),
            author: self.author().map(str::to_owned),
            categories: self.categories().map(str::to_owned).collect(),
            published: self.published,
            first_seen: self.first_seen,
            summary_html: self.summary_html().map(str::to_owned),
            content_html: self.content_html().map(str::to_owned),
            language: self.language().map(str::to_owned),
            read: self.read,
            starred: self.starred,
            enclosures: self.enclosures().to_vec(),
        }
    }

    /// Every field, spelled out, moving the bodies and enclosures rather than copying them.
    pub fn into_fields(mut self) -> ArticleFields {
        let extra = self.extra.take().map(|e| *e).unwrap_or_default();
        ArticleFields {
            summary_html: extra.summary_html,
            content_html: extra.content_html,
            enclosures: extra.enclosures,
            ..self.fields()
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn full() -> ArticleFields {
        ArticleFields {
            feed: FeedId(3),
            key: "https://example.org/1".into(),
            title: "عنوان «الخبر» 2024".into(),
            link: Some("https://example.org/1?utm=x".into()),
            author: Some("محرر".into()),
            categories: vec!["سياسة".into(), "World".into()],
            published: DateTime::from_timestamp(1_700_000_000, 5),
            first_seen: DateTime::from_timestamp(1_700_000_100, 0).unwrap(),
            summary_html: Some("<p>s</p>".into()),
            content_html: Some("<p>c</p>".into()),
            language: Some("ar".into()),
            read: true,
            starred: true,
            enclosures: vec![Enclosure {
                url: "https://example.org/a.mp3".into(),
                mime: "audio/mpeg".into(),
                length_bytes: Some(10),
                duration_s: None,
            }],
        }
    }

    #[test]
    fn every_field_comes_back_as_it_went_in() {
        let a = Article::from(full());
        assert_eq!(a.key(), "https://example.org/1");
        assert_eq!(a.title(), "عنوان «الخبر» 2024");
        assert_eq!(a.link(), Some("https://example.org/1?utm=x"));
        assert_eq!(a.author(), Some("محرر"));
        assert_eq!(a.language(), Some("ar"));
        assert_eq!(a.categories().collect::<Vec<_>>(), ["سياسة", "World"]);
        assert_eq!(a.summary_html(), Some("<p>s</p>"));
        assert_eq!(a.content_html(), Some("<p>c</p>"));
        assert_eq!(a.enclosures().len(), 1);
        assert_eq!(a.fields(), full());
        assert_eq!(a.clone().into_fields(), full());
    }

    #[test]
    fn an_empty_text_is_not_a_missing_one() {
        let a = Article::from(ArticleFields {
            link: Some(String::new()),
            author: None,
            language: Some(String::new()),
            categories: vec![String::new()],
            ..ArticleFields::bare(FeedId(0), "", "", DateTime::UNIX_EPOCH)
        });
        assert_eq!(a.link(), Some(""));
        assert_eq!(a.author(), None);
        assert_eq!(a.language(), Some(""));
        assert_eq!(a.categories().collect::<Vec<_>>(), [""]);
        let bare = Article::bare(FeedId(0), "", "", DateTime::UNIX_EPOCH);
        assert_eq!((bare.link(), bare.language()), (None, None));
        assert!(bare.categories().is_empty());
        assert_ne!(a, bare);
    }

    #[test]
    fn a_link_that_is_the_key_is_kept_once() {
        let url = "https://example.org/أخبار/2026/12/03/خبر-عاجل";
        let once = Article::from(ArticleFields {
            link: Some(url.into()),
            ..ArticleFields::bare(FeedId(1), url, "عنوان", DateTime::UNIX_EPOCH)
        });
        assert_eq!(once.key(), url);
        assert_eq!(once.link(), Some(url));
        assert_eq!(once.texts.buf.len(), url.len() + "عنوان".len());
        // Any other link is its own text, an empty one too.
        for link in [format!("{url}?utm=x"), String::new()] {
            let other = Article::from(ArticleFields {
                link: Some(link.clone()),
                ..ArticleFields::bare(FeedId(1), url, "عنوان", DateTime::UNIX_EPOCH)
            });
            assert_eq!(other.link(), Some(link.as_str()));
            assert_ne!(other, once);
        }
        assert_eq!(once.fields().link.as_deref(), Some(url));
    }

    #[test]
    fn a_separator_inside_a_category_cannot_split_it() {
        let a = Article::from(ArticleFields {
            categories: vec!["a\u{1f}b".into(), "c".into()],
            ..ArticleFields::default()
        });
        assert_eq!(a.categories().collect::<Vec<_>>(), ["ab", "c"]);
        assert_eq!(a.categories().join(", "), "ab, c");
    }

    #[test]
    fn taking_the_bodies_keeps_the_enclosures_and_setting_them_back_restores_the_article() {
        let mut a = Article::from(full());
        assert_eq!(
            a.take_bodies(),
            (Some("<p>s</p>".into()), Some("<p>c</p>".into()))
        );
        assert_eq!((a.summary_html(), a.content_html()), (None, None));
        assert_eq!(a.enclosures().len(), 1);
        a.set_bodies(Some("<p>s</p>".into()), Some("<p>c</p>".into()));
        assert_eq!(a, Article::from(full()));
        // Without enclosures, an article with no bodies holds no extra allocation.
        let mut plain = Article::from(ArticleFields {
            enclosures: Vec::new(),
            ..full()
        });
        plain.take_bodies();
        assert!(plain.extra.is_none());
    }

    #[test]
    fn an_article_stays_small() {
        // Restoring a million articles keeps each inline in the store's vector: 248 bytes
        // as plain fields, 80 now (texts 40, dates 24, extras 8, feed and flags 6).
        assert!(
            std::mem::size_of::<Article>() <= 80,
            "{}",
            std::mem::size_of::<Article>()
        );
    }

    fn text() -> impl Strategy<Value = String> {
        proptest::string::string_regex("[a-zé\u{1f}\u{600}-\u{605}ש ]{0,12}").unwrap()
    }

    proptest! {
        #[test]
        fn any_fields_round_trip(
            key in text(), title in text(),
            link in proptest::option::of(text()),
            author in proptest::option::of(text()),
            language in proptest::option::of(text()),
            categories in proptest::collection::vec(text(), 0..4),
            link_is_key in any::<bool>(),
        ) {
            let link = if link_is_key { Some(key.clone()) } else { link };
            let fields = ArticleFields {
                key, title, link, author, language,
                categories: categories.iter().map(|c| c.replace('\u{1f}', "")).collect(),
                ..ArticleFields::default()
            };
            prop_assert_eq!(Article::from(fields.clone()).fields(), fields);
        }
    }
}
