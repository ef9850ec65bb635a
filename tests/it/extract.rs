//! Full articles (issue 11) from news pages served on 127.0.0.1: the article's paragraphs in
//! order and none of the page's chrome, the metadata, the charset cases, redirects, relative
//! URLs, and each failure as its own error.

use std::sync::LazyLock;
use std::time::Duration;

use akhbar::extract::{ExtractError, FullArticle, LeadImage, fetch_article};
use akhbar::feed::{FetchError, PageError, PageFetcher, PollOptions};
use akhbar::model::Direction;
use axum::Router;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use bytes::Bytes;
use chrono::{DateTime, Utc};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/pages/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn fixture_text(name: &str) -> String {
    String::from_utf8(fixture(name)).expect("a UTF-8 fixture")
}

/// The Arabic article, as written in `ar-article.html` (and its windows-1256 copies).
const AR_TITLE: &str = "افتتاح أكبر محطة لتحلية مياه البحر على الساحل الشرقي";
pub(crate) const AR_TEXT: [&str; 8] = [
    "أعلنت وزارة المياه والبيئة صباح السبت افتتاح محطة «الرمال» لتحلية مياه البحر على الساحل الشرقي، وهي الأكبر من نوعها في البلاد، بطاقة إنتاجية تبلغ 250 ألف متر مكعب يومياً تكفي لتزويد نحو مليون نسمة بمياه الشرب.",
    "وقال وزير المياه في كلمة خلال حفل الافتتاح إن المشروع استغرق أربع سنوات من العمل بتكلفة بلغت 1.2 مليار دولار، وإن المحطة تعمل بتقنية التناضح العكسي (Reverse Osmosis) التي تستهلك طاقة أقل بنسبة 30% من محطات التقطير الحراري القديمة.",
    "الطاقة الشمسية تغطي ثلث الاستهلاك",
    "وتعتمد المحطة جزئياً على حقل للألواح الشمسية أقيم على مساحة 400 هكتار جنوب المدينة، ويغطي هذا الحقل قرابة ثلث حاجة المحطة من الكهرباء في ساعات النهار، على أن تُستكمل المرحلة الثانية منه بحلول عام 2028.",
    "«لم يعد الماء هاجساً يؤرقنا كل صيف، فهذه المحطة تضمن إمداداً مستقراً للأحياء التي عانت الانقطاع لسنوات»، قال رئيس بلدية الرمال للصحفيين.",
    "في المقابل، أبدت جمعيات بيئية محلية قلقها من تأثير المياه شديدة الملوحة التي تعيدها المحطة إلى البحر على الشعاب المرجانية القريبة، وطالبت بنشر نتائج دراسة الأثر البيئي كاملة قبل التشغيل الكامل.",
    "وردّت الوزارة في بيان بأن أنابيب التصريف تمتد مسافة كيلومترين داخل البحر، وأن فرق الرصد ستأخذ عينات أسبوعية من المياه، على أن تُنشر النتائج على موقعها الإلكتروني كل ثلاثة أشهر.",
    "ومن المقرر أن تبدأ المحطة ضخ المياه إلى الشبكة العامة مطلع الشهر المقبل، بعد انتهاء مرحلة التشغيل التجريبي التي تستمر ثلاثة أسابيع.",
];
/// Every piece of the Arabic page around the article: cookie notice, top bar, logo, menu,
/// search, breaking-news ticker, breadcrumbs, byline box, share buttons, "read also" box,
/// tags, related news, comments, most read, footer.
pub(crate) const AR_CHROME: [&str; 34] = [
    "ملفات تعريف الارتباط",
    "الأحد 29 نوفمبر 2026",
    "الطقس اليوم",
    "اشترك في النشرة البريدية",
    "شعار الصحيفة",
    "الرئيسية",
    "منوعات",
    "آراء وتحليلات",
    "ابحث في الموقع",
    "عاجل",
    "البنك المركزي يبقي أسعار الفائدة",
    "منتخب الواحة يتأهل",
    "ارتفاع أسعار الذهب",
    "بيئة وطاقة",
    "بقلم",
    "شارك على فيسبوك",
    "شارك على إكس",
    "أرسل عبر واتساب",
    "نسخ الرابط",
    "اقرأ أيضاً",
    "ارتفاع منسوب السدود",
    "الوسوم",
    "طاقة متجددة",
    "أخبار ذات صلة",
    "خطة وطنية لترشيد استهلاك المياه",
    "افتتاح متحف البحر",
    "التعليقات",
    "أبو خالد",
    "هل سترتفع فواتير المياه",
    "أضف تعليقك",
    "الأكثر قراءة",
    "جماهير الواحة",
    "جميع الحقوق محفوظة",
    "سياسة الخصوصية",
];

pub(crate) const EN_TEXT: [&str; 7] = [
    "The Harbour Bridge reopened to traffic on Saturday morning, two years after engineers closed it when cracks were found in three of its steel supports.",
    "Cyclists were the first across when the barriers came down at 6am.",
    "The repairs cost £48 million, about £9 million more than the council's original estimate, and replaced every one of the bridge's 212 deck panels. The council's full report on the works was published on Friday.",
    "Buses return on Monday",
    "Bus routes 4 and 17, which had been diverted through the industrial estate, will return to the bridge from Monday, cutting up to twenty minutes from journeys between the old town and the ferry terminal.",
    "\"People have been patient for a very long time, and we wanted the bridge to be ready for another hundred years, not another ten.\"",
    "The council's head of highways said weight limits for lorries would stay in place until a final inspection in the spring, when sensors fitted during the repairs will have recorded a full winter of data.",
];
pub(crate) const EN_CHROME: [&str; 16] = [
    "We use cookies",
    "Accept all",
    "Subscribe for £1 a week",
    "Weather",
    "Transport correspondent",
    "Share on Mastodon",
    "Email this story",
    "Advertisement",
    "Get the morning briefing",
    "Sign up now",
    "Most popular",
    "Ferry workers vote",
    "Join the conversation",
    "harbourwatcher",
    "All rights reserved",
    "Terms and conditions",
];

/// The article's text with tags removed and whitespace collapsed (entities as the test pages
/// use them: none but `&quot;` and `&amp;`).
fn text_of(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                text.push(' ');
            }
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = text.replace("&quot;", "\"").replace("&amp;", "&");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn assert_in_order(article: &FullArticle, paragraphs: &[&str]) {
    let text = text_of(&article.html);
    let mut from = 0;
    for p in paragraphs {
        let at = text
            .get(from..)
            .and_then(|rest| rest.find(p))
            .unwrap_or_else(|| panic!("missing or out of order: {p}\n--- in ---\n{text}"));
        from += at + p.len();
    }
}

fn assert_no_chrome(article: &FullArticle, chrome: &[&str]) {
    for piece in chrome {
        assert!(
            !article.html.contains(piece),
            "chrome {piece:?} in the article:\n{}",
            article.html
        );
    }
}

fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn html(content_type: &'static str, body: impl Into<Bytes>) -> Response {
    ([(header::CONTENT_TYPE, content_type)], body.into()).into_response()
}

/// The 2 MB page: the Arabic article inside a page whose inline state script, mega menu and
/// 5,500 comments are most of its weight, as on big news sites.
fn two_megabyte_page() -> Vec<u8> {
    let page = fixture_text("ar-article.html");
    let state = format!(
        "<script>window.__STATE__ = {{\"items\": [{}]}};</script>",
        (0..12_000)
            .map(|i| format!(
                "{{\"id\": {i}, \"title\": \"عنوان الخبر رقم {i}\", \"views\": {}}}",
                i * 7
            ))
            .collect::<Vec<_>>()
            .join(",")
    );
    let menu: String = (0..400)
        .map(|i| format!("<li><a href=\"/section/{i}\">قسم فرعي {i}</a></li>"))
        .collect();
    let comments: String = (0..5_500)
        .map(|i| {
            format!(
                "<div class=\"comment\"><span class=\"comment-author\">قارئ {i}</span>\
                 <p>تعليق رقم {i}: شكراً على هذا التقرير المفصل، نرجو متابعة الموضوع.</p></div>\n"
            )
        })
        .collect();
    let page = page
        .replacen("</head>", &format!("{state}</head>"), 1)
        .replacen(
            "<li><a href=\"/misc\">",
            &format!("{menu}<li><a href=\"/misc\">"),
            1,
        )
        .replacen(
            "<form class=\"comment-form\">",
            &format!("{comments}<form class=\"comment-form\">"),
            1,
        );
    assert!(
        page.len() >= 2_000_000,
        "the big page is {} bytes",
        page.len()
    );
    page.into_bytes()
}

/// A page of 150,000 empty elements: too many to extract.
fn huge_dom_page() -> Vec<u8> {
    let mut page = String::from("<html><body><article><p>");
    page.push_str(&AR_TEXT.join(" "));
    page.push_str(&"<span></span>".repeat(150_000));
    page.push_str("</p></article></body></html>");
    page.into_bytes()
}

async fn serve(router: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    format!("http://{addr}")
}

/// The news site: every page and failure the tests fetch.
pub(crate) async fn news_site() -> String {
    // Made once for every test of the binary.
    static BIG: LazyLock<Bytes> = LazyLock::new(|| two_megabyte_page().into());
    static HUGE: LazyLock<Bytes> = LazyLock::new(|| huge_dom_page().into());
    let router = Router::new()
        .route(
            "/local/desal-plant",
            get(|| async { html("text/html; charset=utf-8", fixture("ar-article.html")) }),
        )
        .route(
            "/2026/11/28/bridge.html",
            get(|| async { html("text/html", fixture("en-article.html")) }),
        )
        .route(
            "/1256/meta",
            get(|| async { html("text/html", fixture("ar-article-1256-meta.html")) }),
        )
        .route(
            "/1256/header",
            get(|| async {
                html(
                    "text/html; charset=windows-1256",
                    fixture("ar-article-1256-header.html"),
                )
            }),
        )
        .route(
            "/1256/undeclared",
            get(|| async { html("text/html", fixture("ar-article-1256-header.html")) }),
        )
        .route(
            "/local",
            get(|| async { html("text/html", fixture("ar-index.html")) }),
        )
        .route("/big", get(|| async { html("text/html", BIG.clone()) }))
        .route(
            "/huge-dom",
            get(|| async { html("text/html", HUGE.clone()) }),
        )
        .route(
            "/report.pdf",
            get(|| async { html("application/pdf", b"%PDF-1.7\n%...".to_vec()) }),
        )
        .route(
            "/photo.png",
            get(|| async { html("image/png", b"\x89PNG\r\n\x1a\n".to_vec()) }),
        )
        .route(
            "/api/story",
            get(|| async { html("application/json", b"{\"id\":1}".to_vec()) }),
        )
        .route(
            "/slow",
            get(|| async {
                tokio::time::sleep(Duration::from_secs(30)).await;
                html("text/html", fixture("ar-article.html"))
            }),
        )
        .route("/loop", get(|| async { Redirect::temporary("/loop") }))
        .fallback(|| async { (StatusCode::NOT_FOUND, "no such page").into_response() });
    serve(router).await
}

async fn full(url: &str) -> Result<FullArticle, ExtractError> {
    full_with(url, PollOptions::default()).await
}

async fn full_with(url: &str, opts: PollOptions) -> Result<FullArticle, ExtractError> {
    fetch_article(&PageFetcher::new(opts), url).await
}

#[tokio::test]
async fn the_arabic_article_is_every_paragraph_in_order_and_none_of_the_chrome() {
    let site = news_site().await;
    let article = full(&format!("{site}/local/desal-plant")).await.unwrap();
    assert_in_order(&article, &AR_TEXT);
    assert_no_chrome(&article, &AR_CHROME);
    assert!(
        article.html.contains("<blockquote>"),
        "the quote stays a quote"
    );
    assert!(
        article.html.contains("<h2>"),
        "the subheading stays a heading"
    );
}

#[tokio::test]
async fn the_arabic_page_gives_its_metadata() {
    let site = news_site().await;
    let article = full(&format!("{site}/local/desal-plant")).await.unwrap();
    assert_eq!(article.url, format!("{site}/local/desal-plant"));
    assert_eq!(article.title.as_deref(), Some(AR_TITLE));
    assert_eq!(article.author.as_deref(), Some("ليلى الحسيني"));
    assert_eq!(article.published, Some(utc("2026-11-29T07:12:00Z")));
    assert_eq!(article.language.as_deref(), Some("ar"));
    assert_eq!(article.direction, Some(Direction::Rtl));
    assert_eq!(article.site_name.as_deref(), Some("صحيفة الواحة"));
    assert_eq!(
        article.lead_image,
        Some(LeadImage {
            url: format!("{site}/media/2026/11/desal-plant.jpg"),
            alt: Some("خزانات المحطة الجديدة عند الغروب".into()),
            caption: Some("خزانات محطة الرمال قرب الميناء صباح السبت (تصوير: سامر عيسى)".into()),
            in_content: false,
        })
    );
    assert!(article.notes.is_empty(), "{:?}", article.notes);
}

#[tokio::test]
async fn the_english_article_is_every_paragraph_in_order_and_none_of_the_chrome() {
    let site = news_site().await;
    let article = full(&format!("{site}/2026/11/28/bridge.html"))
        .await
        .unwrap();
    assert_in_order(&article, &EN_TEXT);
    assert_no_chrome(&article, &EN_CHROME);
    assert_eq!(
        article.title.as_deref(),
        Some("Harbour bridge reopens after two years of repairs")
    );
    assert_eq!(article.author.as_deref(), Some("Daniel Okafor"));
    assert_eq!(article.published, Some(utc("2026-11-28T07:30:00Z")));
    assert_eq!(article.language.as_deref(), Some("en-GB"));
    assert_eq!(article.direction, None);
}

#[tokio::test]
async fn relative_urls_are_resolved_against_the_base_href() {
    let site = news_site().await;
    let article = full(&format!("{site}/2026/11/28/bridge.html"))
        .await
        .unwrap();
    // <base href="/news/">: the image and og:image are under /news/, the link climbs out.
    let image = format!("{site}/news/images/bridge-reopening.jpg");
    assert!(
        article.html.contains(&format!("src=\"{image}\"")),
        "{}",
        article.html
    );
    assert!(
        article
            .html
            .contains(&format!("href=\"{site}/reports/bridge-2026.html\""))
    );
    assert_eq!(
        article.lead_image,
        Some(LeadImage {
            url: image,
            alt: Some("Cyclists cross the reopened bridge at dawn".into()),
            caption: None,
            in_content: true,
        })
    );
}

#[tokio::test]
async fn a_redirect_is_followed_and_relative_urls_resolve_against_the_final_page() {
    let site = news_site().await;
    let target = format!("{site}/local/desal-plant");
    // Another origin (another port) sends the reader on: the page's root-relative image
    // belongs to the site that answered, not to the link in the feed.
    let short = serve(Router::new().route(
        "/s/42",
        get(move || {
            let target = target.clone();
            async move { Redirect::permanent(&target) }
        }),
    ))
    .await;
    let article = full(&format!("{short}/s/42")).await.unwrap();
    assert_eq!(article.url, format!("{site}/local/desal-plant"));
    assert_in_order(&article, &AR_TEXT);
    assert_eq!(
        article.lead_image.map(|i| i.url),
        Some(format!("{site}/media/2026/11/desal-plant.jpg"))
    );
}

#[tokio::test]
async fn a_windows_1256_page_with_only_a_meta_charset_comes_out_right() {
    let site = news_site().await;
    let article = full(&format!("{site}/1256/meta")).await.unwrap();
    assert_eq!(article.title.as_deref(), Some(AR_TITLE));
    assert_in_order(&article, &AR_TEXT);
    assert_no_chrome(&article, &AR_CHROME);
    assert!(article.notes.is_empty(), "{:?}", article.notes);
}

#[tokio::test]
async fn a_windows_1256_page_with_only_the_http_charset_comes_out_right() {
    let site = news_site().await;
    let article = full(&format!("{site}/1256/header")).await.unwrap();
    assert_eq!(article.title.as_deref(), Some(AR_TITLE));
    assert_eq!(article.author.as_deref(), Some("ليلى الحسيني"));
    assert_in_order(&article, &AR_TEXT);
    assert!(article.notes.is_empty(), "{:?}", article.notes);
}

#[tokio::test]
async fn a_windows_1256_page_that_declares_nothing_is_detected_and_says_so() {
    let site = news_site().await;
    let article = full(&format!("{site}/1256/undeclared")).await.unwrap();
    assert_in_order(&article, &AR_TEXT);
    assert_eq!(article.notes.len(), 1, "{:?}", article.notes);
    assert!(
        article.notes[0].contains("windows-1256"),
        "{:?}",
        article.notes
    );
}

#[tokio::test]
async fn a_two_megabyte_page_gives_its_article_and_none_of_its_thousands_of_comments() {
    let site = news_site().await;
    let article = full(&format!("{site}/big")).await.unwrap();
    assert_in_order(&article, &AR_TEXT);
    assert_no_chrome(&article, &AR_CHROME);
    for piece in ["تعليق رقم", "قارئ 17", "قسم فرعي", "__STATE__"] {
        assert!(!article.html.contains(piece), "{piece}");
    }
}

#[tokio::test]
async fn an_index_page_of_links_has_no_article() {
    let site = news_site().await;
    let err = full(&format!("{site}/local")).await.unwrap_err();
    assert_eq!(err, ExtractError::NoArticle);
    assert_eq!(err.to_string(), "no article found on the page");
}

#[tokio::test]
async fn a_missing_page_is_its_http_status() {
    let site = news_site().await;
    let err = full(&format!("{site}/no/such/story")).await.unwrap_err();
    assert_eq!(
        err,
        ExtractError::Page(PageError::Fetch(FetchError::Status {
            code: 404,
            reason: "Not Found".into()
        }))
    );
    assert_eq!(err.to_string(), "HTTP 404 Not Found");
}

#[tokio::test]
async fn a_page_that_does_not_answer_in_time_is_a_timeout() {
    let site = news_site().await;
    let opts = PollOptions {
        timeout: Duration::from_secs(1),
        ..PollOptions::default()
    };
    let started = std::time::Instant::now();
    let err = full_with(&format!("{site}/slow"), opts).await.unwrap_err();
    assert_eq!(
        err,
        ExtractError::Page(PageError::Fetch(FetchError::Timeout(1)))
    );
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "cut off, not waited out"
    );
}

#[tokio::test]
async fn pdf_image_and_json_links_are_not_html() {
    let site = news_site().await;
    for (path, media_type) in [
        ("/report.pdf", "application/pdf"),
        ("/photo.png", "image/png"),
        ("/api/story", "application/json"),
    ] {
        let err = full(&format!("{site}{path}")).await.unwrap_err();
        assert_eq!(
            err,
            ExtractError::Page(PageError::NotHtml(media_type.into())),
            "{path}"
        );
        assert_eq!(err.to_string(), format!("not an HTML page ({media_type})"));
    }
}

#[tokio::test]
async fn a_page_over_the_size_cap_is_cut_off() {
    let site = news_site().await;
    let opts = PollOptions {
        max_body_bytes: 1_000_000,
        ..PollOptions::default()
    };
    let err = full_with(&format!("{site}/big"), opts).await.unwrap_err();
    assert_eq!(
        err,
        ExtractError::Page(PageError::Fetch(FetchError::TooLarge(1_000_000)))
    );
}

#[tokio::test]
async fn a_page_of_too_many_elements_is_too_big_to_extract() {
    let site = news_site().await;
    let err = full(&format!("{site}/huge-dom")).await.unwrap_err();
    match err {
        ExtractError::TooBig { elements, max } => {
            assert!(
                elements > 150_000 && max == akhbar::extract::MAX_ELEMENTS,
                "{err}"
            );
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_redirect_loop_is_an_error_not_a_hang() {
    let site = news_site().await;
    let err = full(&format!("{site}/loop")).await.unwrap_err();
    assert!(
        matches!(
            err,
            ExtractError::Page(PageError::Fetch(FetchError::RedirectLoop(_)))
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn credentials_in_a_link_never_reach_an_error() {
    let site = news_site().await;
    let with_creds = site.replacen("http://", "http://reader:s3cret@", 1);
    let err = full(&format!("{with_creds}/loop")).await.unwrap_err();
    assert!(!err.to_string().contains("s3cret"), "{err}");
}

/// The most requests the server had in flight at once, with `per_host` page slots.
async fn most_in_flight(per_host: usize) -> usize {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let now = Arc::new(AtomicUsize::new(0));
    let most = Arc::new(AtomicUsize::new(0));
    let (n, m) = (now.clone(), most.clone());
    let site = serve(Router::new().route(
        "/story",
        get(move || {
            let (now, most) = (n.clone(), m.clone());
            async move {
                let in_flight = now.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(in_flight, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(150)).await;
                now.fetch_sub(1, Ordering::SeqCst);
                html("text/html", fixture("ar-article.html"))
            }
        }),
    ))
    .await;
    let fetcher = PageFetcher::new(PollOptions {
        per_host,
        ..PollOptions::default()
    });
    let url = format!("{site}/story");
    let results =
        futures_util::future::join_all((0..3).map(|_| fetch_article(&fetcher, &url))).await;
    assert!(results.iter().all(Result::is_ok));
    most.load(Ordering::SeqCst)
}

#[tokio::test]
async fn page_fetches_keep_to_the_per_host_limit() {
    assert_eq!(most_in_flight(1).await, 1);
    assert_eq!(
        most_in_flight(3).await,
        3,
        "the limit, not the server, made them wait"
    );
}
