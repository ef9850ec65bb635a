//! Test feeds written into a harness feed directory, served on loopback to the real server.

use std::path::Path;

/// One item of a test feed.
pub struct Item {
    pub guid: String,
    pub title: String,
    pub body: String,
    /// Hours after 2024-01-01T00:00Z (items may share one: servers must not lose ties).
    pub hour: u32,
}

/// `count` items with guids `<name>-<i>`; titles mix Arabic and Latin.
pub fn items(name: &str, count: usize, distinct_hours: u32) -> Vec<Item> {
    (0..count)
        .map(|i| Item {
            guid: format!("{name}-{i}"),
            title: format!("خبر {i} news"),
            body: format!("<p>نص <b>{i}</b> body of {name}</p>"),
            hour: (i as u32) % distinct_hours.max(1),
        })
        .collect()
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Writes `<dir>/<name>.xml` (RSS 2.0, links on `base`) and returns its address.
pub fn write(dir: &Path, base: &str, name: &str, title: &str, items: &[Item]) -> String {
    let start = chrono::DateTime::from_timestamp(1_704_067_200, 0).expect("a valid time");
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel>\
         <title>{}</title><link>{base}{name}/</link><description>akhbar sync test</description>\n",
        escape(title)
    );
    for item in items {
        let date = (start + chrono::Duration::hours(i64::from(item.hour))).to_rfc2822();
        xml.push_str(&format!(
            "<item><title>{}</title><link>{base}{name}/{}.html</link>\
             <guid isPermaLink=\"false\">{}</guid><author>test@example.org (Test)</author>\
             <pubDate>{date}</pubDate><description>{}</description></item>\n",
            escape(&item.title),
            escape(&item.guid),
            escape(&item.guid),
            escape(&item.body)
        ));
    }
    xml.push_str("</channel></rss>\n");
    let path = dir.join(format!("{name}.xml"));
    let tmp = dir.join(format!(".{name}.xml.tmp"));
    std::fs::write(&tmp, xml).expect("write the test feed");
    std::fs::rename(&tmp, &path).expect("put the test feed in place");
    format!("{base}{name}.xml")
}
