//! HTML from feeds to paragraphs (blocks with their direction) and a numbered link list.
