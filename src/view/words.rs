//! Counted nouns for messages: "1 feed", "3 feeds".

/// `n` and the noun, plural unless `n` is 1 (the nouns akhbar counts take an `s`).
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn one_is_singular_and_every_other_count_plural() {
        assert_eq!(super::count(1, "feed"), "1 feed");
        assert_eq!(super::count(0, "feed"), "0 feeds");
        assert_eq!(super::count(12, "article"), "12 articles");
    }
}
