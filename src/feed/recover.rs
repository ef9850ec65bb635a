//! Locates the first XML well-formedness error by line, and salvages the complete items before
//! it by cutting the document after the last whole `</item>`/`</entry>` and closing the tags.

use quick_xml::Reader;
use quick_xml::events::Event;

/// The first well-formedness error in a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct XmlFault {
    /// 1-based line of the error.
    pub line: u64,
    pub message: String,
    /// Byte offset of the error in the text (on a char boundary).
    pub offset: usize,
}

/// Scans `text` with the same reader settings feed-rs uses and reports the first error,
/// including tags left open at the end of the input.
pub(crate) fn first_xml_error(text: &str) -> Option<XmlFault> {
    let mut reader = Reader::from_str(text);
    reader.config_mut().trim_markup_names_in_closing_tags = true;
    let mut open: Vec<String> = Vec::new();
    loop {
        let (offset, message) = match reader.read_event() {
            Ok(Event::Start(e)) => {
                open.push(e.name().as_ref().to_string());
                continue;
            }
            Ok(Event::End(_)) => {
                open.pop();
                continue;
            }
            Ok(Event::GeneralRef(r)) => match r.resolve_char_ref() {
                Ok(_) => continue,
                Err(e) => (reader.buffer_position(), e.to_string()),
            },
            Ok(Event::Eof) => match open.last() {
                Some(name) => (
                    text.len() as u64,
                    format!("unexpected end of document inside <{name}>"),
                ),
                None => return None,
            },
            Ok(_) => continue,
            Err(e) => (reader.error_position(), e.to_string()),
        };
        let offset = floor_char_boundary(text, offset as usize);
        let line = text.as_bytes()[..offset]
            .iter()
            .filter(|b| **b == b'\n')
            .count() as u64
            + 1;
        return Some(XmlFault {
            line,
            message,
            offset,
        });
    }
}

fn floor_char_boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The document cut after the last complete item before `fault_offset`, with every element
/// still open at the cut closed again. `None` if there is no complete item to keep.
pub(crate) fn truncate_to_complete_items(text: &str, fault_offset: usize) -> Option<String> {
    let head = text.get(..floor_char_boundary(text, fault_offset))?;
    let cut = ["</item>", "</entry>"]
        .iter()
        .filter_map(|tag| head.rfind(tag).map(|at| at + tag.len()))
        .max()?;
    let mut kept = head.get(..cut)?.to_string();
    // Re-scan the kept part to learn which elements are still open there.
    let mut reader = Reader::from_str(&kept);
    reader.config_mut().trim_markup_names_in_closing_tags = true;
    let mut open: Vec<String> = Vec::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                open.push(e.name().as_ref().to_string());
            }
            Ok(Event::End(_)) => {
                open.pop();
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(_) => return None,
        }
    }
    for name in open.iter().rev() {
        kept.push_str("</");
        kept.push_str(name);
        kept.push('>');
    }
    Some(kept)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mismatched_end_tag_is_reported_on_its_line() {
        let doc = "<rss>\n<channel>\n<item><title>a</item>\n</channel></rss>";
        let fault = first_xml_error(doc).expect("an error");
        assert_eq!(fault.line, 3);
        assert!(fault.message.contains("title"), "{}", fault.message);
    }

    #[test]
    fn a_document_cut_short_is_an_error_at_its_end() {
        let fault = first_xml_error("<rss>\n<channel>\n").expect("an error");
        assert!(fault.message.contains("channel"), "{}", fault.message);
    }

    #[test]
    fn well_formed_document_has_no_error() {
        assert_eq!(first_xml_error("<?xml version=\"1.0\"?><a><b/>x</a>"), None);
    }

    #[test]
    fn truncation_keeps_complete_items_and_closes_open_tags() {
        let doc = "<rss><channel><item>1</item><item>2</item><item><title>3</ti";
        let fixed = truncate_to_complete_items(doc, doc.len()).expect("items kept");
        assert_eq!(
            fixed,
            "<rss><channel><item>1</item><item>2</item></channel></rss>"
        );
    }
}
