//! The reader's layout of HTML as it was written (issue 11): every construct, left to right
//! and right to left, at 40, 80 and 120 columns, as literal lines; then properties of the
//! layout of arbitrary HTML. Self-contained (no shared helpers).
//!
//! A line is written `|text` when it is drawn from the left edge and `text|` when it is
//! right-to-left (drawn against the right edge); `|` alone is a blank line. Role strings give
//! one letter per cell (see `code`).

use akhbar::model::Direction;
use akhbar::text::doc::{Content, Role};
use akhbar::text::html::parse_html;
use akhbar::text::layout::{DocLine, LayoutContext, layout_document};
use akhbar::text::{BidiMode, TextOptions};

const BASE: &str = "https://example.org/news/item.html";

fn context(mode: BidiMode, shaping: bool) -> LayoutContext {
    LayoutContext {
        dir: Direction::Auto,
        fallback_rtl: false,
        opts: TextOptions { mode, shaping },
    }
}

fn lay_out(html: &str, width: usize, ctx: &LayoutContext) -> Vec<DocLine> {
    layout_document(&parse_html(html, Some(BASE)), width, ctx)
}

fn edge(line: &DocLine, body: String) -> String {
    if line.rtl {
        format!("{body}|")
    } else {
        format!("|{body}")
    }
}

fn screen_with(html: &str, width: usize, ctx: &LayoutContext) -> Vec<String> {
    lay_out(html, width, ctx)
        .iter()
        .map(|l| edge(l, l.text()))
        .collect()
}

/// Unshaped, so that the expected lines can be read (shaping has its own tests).
fn screen(html: &str, width: usize) -> Vec<String> {
    screen_with(html, width, &context(BidiMode::App, false))
}

fn code(role: Role) -> char {
    match role {
        Role::Text => '.',
        Role::Heading => 'H',
        Role::Quote => 'Q',
        Role::Strong => 'S',
        Role::Emphasis => 'E',
        Role::Code => 'C',
        Role::Link => 'L',
        Role::LinkNumber => 'N',
        Role::Media => 'M',
        Role::Dim => 'D',
        Role::Marker => 'K',
        Role::Border => 'B',
        Role::Rule => 'R',
        Role::TableHeader => 'T',
        Role::Match => '*',
    }
}

fn roles(html: &str, width: usize) -> Vec<String> {
    lay_out(html, width, &context(BidiMode::App, false))
        .iter()
        .map(|l| {
            let body = l
                .cells()
                .flat_map(|(_, w, r)| std::iter::repeat_n(code(r), w))
                .collect();
            edge(l, body)
        })
        .collect()
}

/// Compares, and on a difference prints the lines as they came out, one per line.
fn expect(what: &str, got: Vec<String>, want: &[&str]) {
    if got != want {
        let listing: String = got.iter().map(|l| format!("    {l:?},\n")).collect();
        panic!("{what}: the layout differs; it came out as\n{listing}");
    }
}

fn check(html: &str, width: usize, want: &[&str]) {
    expect(&format!("{html} at {width}"), screen(html, width), want);
}

fn check_roles(html: &str, width: usize, want: &[&str]) {
    expect(
        &format!("roles of {html} at {width}"),
        roles(html, width),
        want,
    );
}

/// A rule of `n` cells.
fn rule(n: usize) -> String {
    "─".repeat(n)
}

#[test]
fn a_br_breaks_the_line_inside_its_paragraph_left_to_right() {
    let html = "<p>The council met on Tuesday.<br>It approved the budget for the coming year after \
                a long debate about the new cycle lanes along the harbour.</p>";
    check(
        html,
        40,
        &[
            "|The council met on Tuesday.",
            "|It approved the budget for the coming",
            "|year after a long debate about the new",
            "|cycle lanes along the harbour.",
        ],
    );
    check(
        html,
        80,
        &[
            "|The council met on Tuesday.",
            "|It approved the budget for the coming year after a long debate about the new",
            "|cycle lanes along the harbour.",
        ],
    );
    check(
        html,
        120,
        &[
            "|The council met on Tuesday.",
            "|It approved the budget for the coming year after a long debate about the new cycle lanes along the harbour.",
        ],
    );
}

#[test]
fn a_br_breaks_the_line_inside_its_paragraph_right_to_left() {
    // One paragraph for the bidi algorithm: the line after the break is right-to-left too.
    let html = "<p>המועצה התכנסה ביום שלישי.<br>היא אישרה את התקציב לשנה הבאה אחרי דיון ארוך על \
                שבילי האופניים החדשים לאורך הנמל של העיר.</p>";
    check(
        html,
        40,
        &[
            ".ישילש םויב הסנכתה הצעומה|",
            "ןויד ירחא האבה הנשל ביצקתה תא הרשיא איה|",
            "למנה ךרואל םישדחה םיינפואה יליבש לע ךורא|",
            ".ריעה לש|",
        ],
    );
    check(
        html,
        80,
        &[
            ".ישילש םויב הסנכתה הצעומה|",
            "למנה ךרואל םישדחה םיינפואה יליבש לע ךורא ןויד ירחא האבה הנשל ביצקתה תא הרשיא איה|",
            ".ריעה לש|",
        ],
    );
    check(
        html,
        120,
        &[
            ".ישילש םויב הסנכתה הצעומה|",
            ".ריעה לש למנה ךרואל םישדחה םיינפואה יליבש לע ךורא ןויד ירחא האבה הנשל ביצקתה תא הרשיא איה|",
        ],
    );
}

#[test]
fn an_hr_is_a_rule_across_the_width() {
    for width in [40, 80, 120] {
        let line = format!("|{}", rule(width));
        check(
            "<p>Before</p><hr><p>After</p>",
            width,
            &["|Before", "|", &line, "|", "|After"],
        );
    }
}

#[test]
fn an_hr_in_a_right_to_left_quote_keeps_the_bar_on_the_right() {
    for width in [40, 80, 120] {
        let line = format!("{} ▎|", rule(width - 2));
        check(
            "<blockquote dir=rtl><p>לפני</p><hr></blockquote>",
            width,
            &["ינפל ▎|", "|", &line],
        );
    }
}

const LEAGUE: &str = "<table><thead><tr><th>Team</th><th>Played</th><th>Points</th><th>Notes</th></tr>\
    </thead><tbody><tr><td>Harbour FC</td><td>12</td><td>30</td><td>Top of the league after a \
    run of nine wins</td></tr><tr><td>City United</td><td>12</td><td>24</td><td>Two games in \
    hand</td></tr></tbody></table>";

#[test]
fn a_table_is_a_grid_with_a_rule_under_its_header_and_cells_wrapped_in_their_columns() {
    check(
        LEAGUE,
        40,
        &[
            "|Team     │ Played │ Points │ Notes      ",
            "|─────────┼────────┼────────┼────────────",
            "|Harbour  │ 12     │ 30     │ Top of the ",
            "|FC       │        │        │ league     ",
            "|         │        │        │ after a run",
            "|         │        │        │ of nine    ",
            "|         │        │        │ wins       ",
            "|City     │ 12     │ 24     │ Two games  ",
            "|United   │        │        │ in hand    ",
        ],
    );
    // Wide enough: every column as wide as its widest line, whatever the width.
    for width in [80, 120] {
        check(
            LEAGUE,
            width,
            &[
                "|Team        │ Played │ Points │ Notes                                     ",
                "|────────────┼────────┼────────┼───────────────────────────────────────────",
                "|Harbour FC  │ 12     │ 30     │ Top of the league after a run of nine wins",
                "|City United │ 12     │ 24     │ Two games in hand                         ",
            ],
        );
    }
}

#[test]
fn the_header_cells_are_marked_and_the_cells_keep_their_inline_roles() {
    for width in [40, 80, 120] {
        check_roles(
            "<table><tr><th>Team</th><th>Points</th></tr><tr><td>Harbour</td><td><b>30</b></td></tr></table>",
            width,
            &[
                "|TTTT...BBBTTTTTT",
                "|BBBBBBBBBBBBBBBB",
                "|.......BBBSS....",
            ],
        );
    }
}

const LEAGUE_HE: &str = "<table><tr><th>קבוצה</th><th>משחקים</th><th>נקודות</th><th>הערות</th></tr>\
    <tr><td>הפועל הנמל</td><td>12</td><td>30</td><td>בראש הטבלה אחרי רצף של תשעה ניצחונות</td></tr>\
    <tr><td>מכבי העיר</td><td>12</td><td>24</td><td>שני משחקים חסרים</td></tr></table>";

#[test]
fn a_table_of_mostly_right_to_left_cells_has_its_first_column_on_the_right() {
    check(
        LEAGUE_HE,
        40,
        &[
            "        תורעה │ תודוקנ │ םיקחשמ │  הצובק|",
            "──────────────┼────────┼────────┼───────|",
            "   הלבטה שארב │     30 │     12 │  לעופה|",
            "  לש ףצר ירחא │        │        │   למנה|",
            "תונוחצינ העשת │        │        │       |",
            "   םיקחשמ ינש │     24 │     12 │   יבכמ|",
            "        םירסח │        │        │   ריעה|",
        ],
    );
    for width in [80, 120] {
        check(
            LEAGUE_HE,
            width,
            &[
                "                               תורעה │ תודוקנ │ םיקחשמ │      הצובק|",
                "─────────────────────────────────────┼────────┼────────┼───────────|",
                "תונוחצינ העשת לש ףצר ירחא הלבטה שארב │     30 │     12 │ למנה לעופה|",
                "                    םירסח םיקחשמ ינש │     24 │     12 │  ריעה יבכמ|",
            ],
        );
    }
}

#[test]
fn a_table_with_dir_rtl_is_right_to_left_whatever_its_cells_and_each_cell_keeps_its_bidi() {
    // English cells in a right-to-left table: the first column on the right, and every cell
    // a right-to-left paragraph (dir is inherited, as in a browser), each with its own bidi.
    let html = "<table dir=rtl><tr><th>Name</th><th>Score</th></tr><tr><td>Ann Lee</td><td>12</td></tr>\
                <tr><td>שלום (Bob)</td><td>7</td></tr></table>";
    for width in [40, 80, 120] {
        check(
            html,
            width,
            &[
                "Score │       Name|",
                "──────┼───────────|",
                "   12 │    Ann Lee|",
                "    7 │ (Bob) םולש|",
            ],
        );
    }
}

#[test]
fn a_table_too_wide_for_a_grid_falls_back_to_one_line_per_row() {
    let html = "<table><tr><th>alpha</th><th>bravo</th><th>delta</th><th>gamma</th><th>kappa</th>\
                <th>lambda</th><th>omega</th><th>sigma</th><th>theta</th><th>zeta</th></tr><tr>\
                <td>1</td><td>2</td><td>3</td><td>4</td><td>5</td><td>6</td><td>7</td><td>8</td>\
                <td>9</td><td>10</td></tr></table>";
    check(
        html,
        40,
        &[
            "|alpha | bravo | delta | gamma | kappa |",
            "|lambda | omega | sigma | theta | zeta",
            "|1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10",
        ],
    );
    for width in [80, 120] {
        check(
            html,
            width,
            &[
                "|alpha │ bravo │ delta │ gamma │ kappa │ lambda │ omega │ sigma │ theta │ zeta",
                "|──────┼───────┼───────┼───────┼───────┼────────┼───────┼───────┼───────┼─────",
                "|1     │ 2     │ 3     │ 4     │ 5     │ 6      │ 7     │ 8     │ 9     │ 10  ",
            ],
        );
    }
}

#[test]
fn a_right_to_left_table_falls_back_to_rows_read_right_to_left() {
    let cells: String = (1..=12).map(|n| format!("<td>תא{n}</td>")).collect();
    let html = format!("<table><tr>{cells}</tr></table>");
    check(
        &html,
        40,
        &[
            "7את | 6את | 5את | 4את | 3את | 2את | 1את|",
            "12את | 11את | 10את | 9את | 8את ||",
        ],
    );
}

#[test]
fn spanning_cells_take_the_columns_and_rows_they_span() {
    let html = "<table><tr><th colspan=2>Both columns</th><th>Third</th></tr><tr><td rowspan=2>\
                A tall cell that wraps over both of its rows</td><td>b1</td><td>c1</td></tr>\
                <tr><td>b2</td><td>c2</td></tr></table>";
    check(
        html,
        40,
        &[
            "|Both columns                     │ Third",
            "|────────────────────────────┼────┼──────",
            "|A tall cell that wraps over │ b1 │ c1   ",
            "|both of its rows            │ b2 │ c2   ",
        ],
    );
    for width in [80, 120] {
        check(
            html,
            width,
            &[
                "|Both columns                                      │ Third",
                "|─────────────────────────────────────────────┼────┼──────",
                "|A tall cell that wraps over both of its rows │ b1 │ c1   ",
                "|                                             │ b2 │ c2   ",
            ],
        );
    }
}

#[test]
fn list_items_hang_their_later_lines_under_the_text() {
    let html = "<ul><li>The first item is long enough to wrap at forty columns and at eighty as \
                well, with a few more words for one hundred and twenty.</li><li>Second</li></ul>";
    check(
        html,
        40,
        &[
            "|  • The first item is long enough to",
            "|    wrap at forty columns and at eighty",
            "|    as well, with a few more words for",
            "|    one hundred and twenty.",
            "|  • Second",
        ],
    );
    check(
        html,
        80,
        &[
            "|  • The first item is long enough to wrap at forty columns and at eighty as",
            "|    well, with a few more words for one hundred and twenty.",
            "|  • Second",
        ],
    );
    check(
        html,
        120,
        &[
            "|  • The first item is long enough to wrap at forty columns and at eighty as well, with a few more words for one hundred",
            "|    and twenty.",
            "|  • Second",
        ],
    );
}

#[test]
fn nested_lists_are_indented_per_level_with_their_own_bullets() {
    let html = "<ul><li>Fruit<ul><li>Apples, both the sweet kind and the sour kind that is for \
                baking<ol><li>Red ones</li><li>Green ones</li></ol></li><li>Pears</li></ul></li>\
                <li>Bread</li></ul>";
    check(
        html,
        40,
        &[
            "|  • Fruit",
            "|    ◦ Apples, both the sweet kind and",
            "|      the sour kind that is for baking",
            "|      1. Red ones",
            "|      2. Green ones",
            "|    ◦ Pears",
            "|  • Bread",
        ],
    );
    for width in [80, 120] {
        check(
            html,
            width,
            &[
                "|  • Fruit",
                "|    ◦ Apples, both the sweet kind and the sour kind that is for baking",
                "|      1. Red ones",
                "|      2. Green ones",
                "|    ◦ Pears",
                "|  • Bread",
            ],
        );
    }
}

#[test]
fn ordered_lists_number_from_start_count_down_when_reversed_and_take_an_items_value() {
    let html = "<ol start=9><li>nine</li><li>ten, which is long enough to wrap under its text at \
                forty columns</li></ol><ol reversed><li>three</li><li value=7>seven</li><li>six</li></ol>";
    check(
        html,
        40,
        &[
            "|   9. nine",
            "|  10. ten, which is long enough to wrap",
            "|      under its text at forty columns",
            "|",
            "|  3. three",
            "|  7. seven",
            "|  6. six",
        ],
    );
    for width in [80, 120] {
        check(
            html,
            width,
            &[
                "|   9. nine",
                "|  10. ten, which is long enough to wrap under its text at forty columns",
                "|",
                "|  3. three",
                "|  7. seven",
                "|  6. six",
            ],
        );
    }
}

#[test]
fn a_list_followed_by_another_list_is_kept_apart_by_a_blank_line() {
    for width in [40, 80, 120] {
        check(
            "<ul><li>a</li><li>b</li></ul><ol><li>c</li></ol>",
            width,
            &["|  • a", "|  • b", "|", "|  1. c"],
        );
    }
}

#[test]
fn right_to_left_lists_have_the_marker_and_the_indentation_on_the_right() {
    let html = "<ul dir=rtl><li>הפריט הראשון ארוך מספיק כדי לעטוף בארבעים עמודות וגם בשמונים, עם \
                עוד כמה מילים בשביל מאה ועשרים עמודות.</li><li>שני</li></ul><ol dir=rtl start=9>\
                <li>תשע</li><li>עשר</li></ol>";
    check(
        html,
        40,
        &[
            "ףוטעל ידכ קיפסמ ךורא ןושארה טירפה •  |",
            "דוע םע ,םינומשב םגו תודומע םיעבראב    |",
            ".תודומע םירשעו האמ ליבשב םילימ המכ    |",
            "ינש •  |",
            "|",
            "עשת .9   |",
            "רשע .10  |",
        ],
    );
    check(
        html,
        80,
        &[
            "המכ דוע םע ,םינומשב םגו תודומע םיעבראב ףוטעל ידכ קיפסמ ךורא ןושארה טירפה •  |",
            ".תודומע םירשעו האמ ליבשב םילימ    |",
            "ינש •  |",
            "|",
            "עשת .9   |",
            "רשע .10  |",
        ],
    );
    check(
        html,
        120,
        &[
            ".תודומע םירשעו האמ ליבשב םילימ המכ דוע םע ,םינומשב םגו תודומע םיעבראב ףוטעל ידכ קיפסמ ךורא ןושארה טירפה •  |",
            "ינש •  |",
            "|",
            "עשת .9   |",
            "רשע .10  |",
        ],
    );
}

#[test]
fn an_arabic_list_item_is_shaped_with_its_marker_on_the_right() {
    // سلام: initial seen, the lam-alef ligature (final), isolated meem; drawn right to left.
    for width in [40, 80, 120] {
        expect(
            "shaped item",
            screen_with(
                "<ul><li>سلام</li></ul>",
                width,
                &context(BidiMode::App, true),
            ),
            &["\u{FEE1}\u{FEFC}\u{FEB3} •  |"],
        );
    }
}

#[test]
fn list_markers_have_their_own_role() {
    for width in [40, 80, 120] {
        check_roles(
            "<ol><li>one</li></ol><ul dir=rtl><li>אחד</li></ul>",
            width,
            &["|..KK....", "|", "....K..|"],
        );
    }
}

#[test]
fn preformatted_lines_are_never_wrapped_but_cut_with_an_ellipsis_behind_a_gutter() {
    let html = "<pre>fn main() {\n    let greeting = \"a line of code longer than forty columns, \
                and longer than eighty columns\";\n    println!(\"{greeting}\");\n}</pre>";
    check(
        html,
        40,
        &[
            "|│ fn main() {",
            "|│     let greeting = \"a line of code lo…",
            "|│     println!(\"{greeting}\");",
            "|│ }",
        ],
    );
    check(
        html,
        80,
        &[
            "|│ fn main() {",
            "|│     let greeting = \"a line of code longer than forty columns, and longer than…",
            "|│     println!(\"{greeting}\");",
            "|│ }",
        ],
    );
    check(
        html,
        120,
        &[
            "|│ fn main() {",
            "|│     let greeting = \"a line of code longer than forty columns, and longer than eighty columns\";",
            "|│     println!(\"{greeting}\");",
            "|│ }",
        ],
    );
}

#[test]
fn right_to_left_preformatted_text_has_its_gutter_and_indentation_on_the_right() {
    let html = "<pre>שורה ראשונה\n  שורה שנייה ארוכה יותר מארבעים עמודות של טקסט</pre>";
    check(
        html,
        40,
        &[
            "הנושאר הרוש │|",
            "…ודומע םיעבראמ רתוי הכורא היינש הרוש   │|",
        ],
    );
    for width in [80, 120] {
        check(
            html,
            width,
            &[
                "הנושאר הרוש │|",
                "טסקט לש תודומע םיעבראמ רתוי הכורא היינש הרוש   │|",
            ],
        );
    }
}

#[test]
fn inline_styles_mark_their_words_left_to_right() {
    let html = "<p>Plain <strong>bold</strong>, <em>italic</em>, <code>code()</code> and \
                <a href=\"/x\">a link</a> in a sentence that goes on.</p>";
    check(
        html,
        40,
        &[
            "|Plain bold, italic, code() and a link[1]",
            "|in a sentence that goes on.",
        ],
    );
    check_roles(
        html,
        40,
        &[
            "|......SSSS..EEEEEE..CCCCCC.....LLLLLLNNN",
            "|...........................",
        ],
    );
    for width in [80, 120] {
        check(
            html,
            width,
            &["|Plain bold, italic, code() and a link[1] in a sentence that goes on."],
        );
        check_roles(
            html,
            width,
            &["|......SSSS..EEEEEE..CCCCCC.....LLLLLLNNN............................"],
        );
    }
}

#[test]
fn inline_styles_follow_their_words_when_a_line_is_reordered() {
    let html = "<p>שלום <b>גדול</b> <code>x = 1</code> עולם <em>נטוי</em> ו<a href=\"/y\">קישור</a> \
                במשפט שממשיך עוד קצת.</p>";
    check(
        html,
        40,
        &[
            "[1]רושיקו יוטנ םלוע x = 1 לודג םולש|",
            ".תצק דוע ךישממש טפשמב|",
        ],
    );
    check_roles(
        html,
        40,
        &[
            "NNNLLLLL..EEEE......CCCCC.SSSS.....|",
            ".....................|",
        ],
    );
    for width in [80, 120] {
        check(
            html,
            width,
            &[".תצק דוע ךישממש טפשמב [1]רושיקו יוטנ םלוע x = 1 לודג םולש|"],
        );
        check_roles(
            html,
            width,
            &["......................NNNLLLLL..EEEE......CCCCC.SSSS.....|"],
        );
    }
}

#[test]
fn headings_carry_their_role_left_to_right_and_right_to_left() {
    for width in [40, 80, 120] {
        let html = "<h2>Results <em>so far</em></h2><h2>תוצאות <em>עד כה</em></h2>";
        check(html, width, &["|Results so far", "|", "הכ דע תואצות|"]);
        check_roles(html, width, &["|HHHHHHHHEEEEEE", "|", "EEEEEHHHHHHH|"]);
    }
}

#[test]
fn a_blockquote_has_a_bar_on_its_start_side() {
    let ltr = "<blockquote><p>It is the lightest headset we have ever made, and it is built for \
               reading, not only for games, he said.</p></blockquote>";
    check(
        ltr,
        40,
        &[
            "|▎ It is the lightest headset we have",
            "|▎ ever made, and it is built for",
            "|▎ reading, not only for games, he said.",
        ],
    );
    check(
        ltr,
        80,
        &[
            "|▎ It is the lightest headset we have ever made, and it is built for reading, not",
            "|▎ only for games, he said.",
        ],
    );
    check(
        ltr,
        120,
        &[
            "|▎ It is the lightest headset we have ever made, and it is built for reading, not only for games, he said.",
        ],
    );
    let rtl = "<blockquote><p>זו האוזנייה הקלה ביותר שייצרנו אי פעם, והיא נבנתה לקריאה ולא רק \
               למשחקים, הוא אמר.</p></blockquote>";
    check(
        rtl,
        40,
        &[
            ",םעפ יא ונרצייש רתויב הלקה היינזואה וז ▎|",
            "אוה ,םיקחשמל קר אלו האירקל התנבנ איהו ▎|",
            ".רמא ▎|",
        ],
    );
    check(
        rtl,
        80,
        &[
            "אוה ,םיקחשמל קר אלו האירקל התנבנ איהו ,םעפ יא ונרצייש רתויב הלקה היינזואה וז ▎|",
            ".רמא ▎|",
        ],
    );
    check(
        rtl,
        120,
        &[".רמא אוה ,םיקחשמל קר אלו האירקל התנבנ איהו ,םעפ יא ונרצייש רתויב הלקה היינזואה וז ▎|"],
    );
}

#[test]
fn quotes_code_figures_and_rules_have_their_roles() {
    let html = "<blockquote><p>q <b>s</b></p></blockquote><pre>x</pre><figure><img alt=a \
                src=/a.png><figcaption>cap</figcaption></figure>";
    for width in [40, 80, 120] {
        check_roles(
            html,
            width,
            &["|B.QQS", "|", "|B.C", "|", "|MMMMMMMMMMNNN", "|DDD"],
        );
    }
    check_roles("<hr>", 40, &[&format!("|{}", "R".repeat(40))]);
}

#[test]
fn a_figure_shows_its_image_and_then_its_caption_under_it() {
    // The caption comes first in the HTML; it is drawn under the image, with no blank line.
    let html = "<figure><figcaption>The harbour cat, photographed on Tuesday morning by our \
                reporter on the sea wall.</figcaption><img src=\"/cat.jpg\" alt=\"A cat on a wall\"></figure>";
    check(
        html,
        40,
        &[
            "|[image: A cat on a wall][1]",
            "|The harbour cat, photographed on Tuesday",
            "|morning by our reporter on the sea wall.",
        ],
    );
    check(
        html,
        80,
        &[
            "|[image: A cat on a wall][1]",
            "|The harbour cat, photographed on Tuesday morning by our reporter on the sea",
            "|wall.",
        ],
    );
    check(
        html,
        120,
        &[
            "|[image: A cat on a wall][1]",
            "|The harbour cat, photographed on Tuesday morning by our reporter on the sea wall.",
        ],
    );
    let doc = parse_html(html, Some(BASE));
    assert_eq!(doc.links, ["https://example.org/cat.jpg"]);
}

#[test]
fn in_a_right_to_left_article_an_image_placeholder_is_right_aligned_with_its_caption() {
    // The placeholder is isolated: its English word does not make the paragraph left to right.
    let html = "<div lang=he><figure><img src=\"/cat.jpg\" alt=\"חתול על חומה\"><figcaption>חתול \
                הנמל, צולם ביום שלישי בבוקר על ידי הכתב שלנו על חומת הים.</figcaption></figure></div>";
    check(
        html,
        40,
        &[
            "[image: המוח לע לותח][1]|",
            "ידי לע רקובב ישילש םויב םלוצ ,למנה לותח|",
            ".םיה תמוח לע ונלש בתכה|",
        ],
    );
    for width in [80, 120] {
        check(
            html,
            width,
            &[
                "[image: המוח לע לותח][1]|",
                ".םיה תמוח לע ונלש בתכה ידי לע רקובב ישילש םויב םלוצ ,למנה לותח|",
            ],
        );
    }
}

#[test]
fn video_audio_and_frames_are_placeholders_whose_urls_are_in_the_links() {
    let html = "<p>Watch: <iframe src=\"https://www.youtube.com/embed/abc\" title=\"The council \
                debate\"></iframe></p><video title=\"Harbour at night\"><source src=\"/night.mp4\">\
                </video><p>שמעו: <audio src=\"/ep4.mp3\" title=\"Episode 4\"></audio></p>";
    for width in [40, 80, 120] {
        check(
            html,
            width,
            &[
                "|Watch: [video: The council debate][1]",
                "|",
                "|[video: Harbour at night][2]",
                "|",
                "[audio: Episode 4][3] :ועמש|",
            ],
        );
    }
    let doc = parse_html(html, Some(BASE));
    assert_eq!(
        doc.links,
        [
            "https://www.youtube.com/embed/abc",
            "https://example.org/night.mp4",
            "https://example.org/ep4.mp3"
        ]
    );
}

#[test]
fn in_terminal_mode_lines_stay_in_logical_order_decorations_first() {
    // The terminal reorders each line itself: the marker and the first column come first.
    let ctx = context(BidiMode::Terminal, false);
    let html = "<ul><li>שלום עולם</li></ul><table><tr><td>אחד</td><td>שניים</td></tr></table>";
    for width in [40, 80, 120] {
        expect(
            "terminal mode",
            screen_with(html, width, &ctx),
            &["  • שלום עולם|", "|", "אחד │ שניים|"],
        );
    }
}

#[test]
fn with_bidi_off_everything_is_logical_and_left_aligned() {
    let ctx = context(BidiMode::Off, false);
    let html = "<ul><li>שלום עולם</li></ul><blockquote>ציטוט</blockquote>";
    for width in [40, 80, 120] {
        expect(
            "bidi off",
            screen_with(html, width, &ctx),
            &["|  • שלום עולם", "|", "|▎ ציטוט"],
        );
    }
}

#[test]
fn the_feeds_direction_wins_over_the_html() {
    let ctx = LayoutContext {
        dir: Direction::Rtl,
        ..context(BidiMode::App, false)
    };
    let html = "<p dir=ltr>Hello world.</p><table><tr><td>a</td><td>b</td></tr></table>";
    for width in [40, 80, 120] {
        expect(
            "feed direction",
            screen_with(html, width, &ctx),
            &[".Hello world|", "|", "b │ a|"],
        );
    }
}

#[test]
fn the_language_decides_a_paragraph_with_no_strong_character() {
    let ctx = LayoutContext {
        fallback_rtl: true,
        ..context(BidiMode::App, false)
    };
    for width in [40, 80, 120] {
        expect(
            "digits only",
            screen_with("<p>2026 - 12 - 28</p><p lang=en>12:30</p>", width, &ctx),
            &["28 - 12 - 2026|", "|", "|12:30"],
        );
    }
}

#[test]
fn nothing_is_laid_out_at_width_zero_and_narrow_widths_drop_decorations_first() {
    let html = "<blockquote><ul><li>abc def</li></ul></blockquote>";
    let ctx = context(BidiMode::App, false);
    assert!(lay_out(html, 0, &ctx).is_empty());
    expect(
        "width 1",
        screen_with(html, 1, &ctx),
        &["|a", "|b", "|c", "|d", "|e", "|f"],
    );
    expect("width 6", screen_with(html, 6, &ctx), &["|• abc", "|  def"]);
    expect(
        "width 12: the bar goes first",
        screen_with(html, 12, &ctx),
        &["|  • abc def"],
    );
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    fn piece() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("<p>".to_string()),
            Just("</p>".to_string()),
            Just("<br>".to_string()),
            Just("<hr>".to_string()),
            Just("<div dir=rtl lang=ar>".to_string()),
            Just("</div>".to_string()),
            Just("<span dir=ltr>".to_string()),
            Just("</span>".to_string()),
            Just("<bdi>".to_string()),
            Just("<b>".to_string()),
            Just("</b>".to_string()),
            Just("<em>".to_string()),
            Just("<code>".to_string()),
            Just("</code>".to_string()),
            Just("<h2>".to_string()),
            Just("</h2>".to_string()),
            Just("<blockquote>".to_string()),
            Just("</blockquote>".to_string()),
            Just("<ul><li>".to_string()),
            Just("<ol start=-3 reversed><li value=99999999999999999999>".to_string()),
            Just("<li>".to_string()),
            Just("</li></ul>".to_string()),
            Just("</ol>".to_string()),
            Just("<pre>".to_string()),
            Just("</pre>".to_string()),
            Just("<table dir=rtl><tr><th>".to_string()),
            Just("<table><caption>c</caption><thead><tr><td colspan=3>".to_string()),
            Just("<td rowspan=0>".to_string()),
            Just("<td colspan=70000>".to_string()),
            Just("<th>".to_string()),
            Just("<tr>".to_string()),
            Just("</table>".to_string()),
            Just("<figure><figcaption>".to_string()),
            Just("</figcaption>".to_string()),
            Just("</figure>".to_string()),
            Just("<img src=/i.png alt=\"\u{202E}x\">".to_string()),
            Just("<video title=v><source src=/v.mp4>".to_string()),
            Just("</video>".to_string()),
            Just("<iframe src=\"https://youtu.be/x\">".to_string()),
            Just("<a href=\"https://e.org/x\">".to_string()),
            Just("</a>".to_string()),
            Just("&amp;&#x202E;&#0;&#x1b;&#9;".to_string()),
            Just(
                "\u{2067}\u{2069}\u{2069}\u{2066}\u{202D}\u{1b}\u{9b}\u{200F}\u{2028}".to_string()
            ),
            "[a-z \n\t]{0,12}",
            "[\u{0600}-\u{06FF}\u{05D0}-\u{05EA} 0-9()]{0,12}",
            "[中👍🏽\u{0301}\u{200D}e]{0,4}",
            any::<String>(),
        ]
    }

    fn tag_soup() -> impl Strategy<Value = String> {
        prop::collection::vec(piece(), 0..40).prop_map(|v| v.concat())
    }

    /// Never drawn: controls, bidi formatting characters, line and paragraph separators.
    fn never_drawn(c: char) -> bool {
        matches!(c,
            '\u{0}'..='\u{1F}' | '\u{7F}'..='\u{9F}' | '\u{061C}' | '\u{200E}' | '\u{200F}'
            | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}'
            | '\u{FEFF}')
    }

    fn contexts() -> impl Strategy<Value = LayoutContext> {
        (0..3usize, any::<bool>(), any::<bool>(), 0..3usize).prop_map(
            |(mode, shaping, fallback_rtl, dir)| LayoutContext {
                dir: [Direction::Auto, Direction::Ltr, Direction::Rtl][dir],
                fallback_rtl,
                opts: TextOptions {
                    mode: [BidiMode::App, BidiMode::Terminal, BidiMode::Off][mode],
                    shaping,
                },
            },
        )
    }

    /// HTML of simple characters only (no marks, no wide characters), where every character
    /// of the text can be accounted for.
    fn simple_soup() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            piece().prop_filter("a tag", |p| p.starts_with('<')),
            "[a-z (]{0,10}",
            "[\u{05D0}-\u{05EA} 0-9().,]{0,10}",
        ];
        prop::collection::vec(piece, 0..30).prop_map(|v| v.concat())
    }

    proptest! {
        #[test]
        fn any_html_lays_out_within_the_width_and_draws_nothing_unsafe(
            html in tag_soup(),
            width in 0usize..130,
            ctx in contexts(),
        ) {
            for line in lay_out(&html, width, &ctx) {
                prop_assert!(line.width <= width, "{} > {}: {:?}", line.width, width, line.text());
                let sum: usize = line.spans.iter().map(|s| s.text.width).sum();
                prop_assert_eq!(sum, line.width);
                for span in &line.spans {
                    let cells: usize = span.text.cells().map(|(_, w)| w).sum();
                    prop_assert_eq!(cells, span.text.width);
                    prop_assert!(span.text.width > 0, "an empty span in {:?}", line.text());
                    for c in span.text.text.chars() {
                        prop_assert!(!never_drawn(c), "{:?} drawn in {:?}", c, line.text());
                    }
                }
                prop_assert!(!(line.rtl && ctx.opts.mode == BidiMode::Off));
            }
        }

        #[test]
        fn every_character_of_the_documents_text_is_drawn_once(
            html in simple_soup(),
            width in 8usize..130,
        ) {
            let mut doc = parse_html(&html, Some(BASE));
            // Preformatted lines are cut on purpose.
            doc.blocks.retain(|b| !matches!(b.content, Content::Preformatted(_)));
            let mut want: Vec<char> = Vec::new();
            for block in &doc.blocks {
                match &block.content {
                    Content::Paragraph(t) | Content::Heading(_, t) | Content::Caption(t) => {
                        want.extend(t.as_str().chars());
                    }
                    Content::Table(table) => {
                        for cell in table.rows.iter().flat_map(|r| &r.cells) {
                            want.extend(cell.text.as_str().chars());
                        }
                    }
                    Content::Preformatted(_) | Content::Rule => {}
                }
            }
            let mut got: Vec<char> = Vec::new();
            for line in layout_document(&doc, width, &context(BidiMode::App, false)) {
                for (g, _, role) in line.cells() {
                    if !matches!(role, Role::Marker | Role::Border | Role::Rule) {
                        got.extend(g.chars());
                    }
                }
            }
            // Mirrored glyphs at odd levels: a pair counts as one.
            let norm = |v: Vec<char>| {
                let mut v: Vec<char> = v
                    .into_iter()
                    .filter(|c| !c.is_whitespace() && !never_drawn(*c))
                    .map(|c| unicode_bidi_mirroring::get_mirrored(c).map_or(c, |m| m.min(c)))
                    .collect();
                v.sort_unstable();
                v
            };
            prop_assert_eq!(norm(got), norm(want), "{}", html);
        }
    }
}
