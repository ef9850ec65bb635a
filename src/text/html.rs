//! HTML from feeds to paragraphs (blocks with their direction) and a numbered link list.
//! PLACEHOLDER until the html branch lands: splits on tags crudely.

use crate::model::Direction;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlockKind {
    Paragraph,
    Heading,
    Quote,
    ListItem,
    Preformatted,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Block {
    pub kind: BlockKind,
    pub text: String,
    pub dir: Direction,
    pub lang: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Document {
    pub blocks: Vec<Block>,
    pub links: Vec<String>,
}

pub fn html_to_document(html: &str, _base_url: Option<&str>) -> Document {
    let mut blocks = Vec::new();
    let mut cur = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                if !cur.trim().is_empty() {
                    blocks.push(Block {
                        kind: BlockKind::Paragraph,
                        text: super::sanitize::sanitize_inline(&cur),
                        dir: Direction::Auto,
                        lang: None,
                    });
                }
                cur.clear();
            }
            '>' => in_tag = false,
            c if !in_tag => cur.push(c),
            _ => {}
        }
    }
    if !cur.trim().is_empty() {
        blocks.push(Block {
            kind: BlockKind::Paragraph,
            text: super::sanitize::sanitize_inline(&cur),
            dir: Direction::Auto,
            lang: None,
        });
    }
    Document {
        blocks,
        links: Vec::new(),
    }
}
