//! The catalogue in a real browser: headless Debian Chromium driven through chromedriver
//! (fantoccini), by keyboard only, with axe-core checking each page for accessibility
//! problems. `.ci/run` installs Chromium, chromedriver and axe-core; without them this fails
//! (it never skips): `cargo test -- --skip browser` runs everything else.

use fantoccini::Locator;
use fantoccini::key::Key;
use serde_json::Value;

use crate::catalogue::catalogue_app;
use crate::helpers::browser::{Browser, shots};

/// The page's problems as axe sees them: none.
async fn assert_accessible(b: &Browser, page: &str) {
    let violations: Vec<Value> = b.axe_violations().await;
    assert!(
        violations.is_empty(),
        "{page}: {}",
        serde_json::to_string_pretty(&violations).unwrap()
    );
}

/// The focused element's text, and whether its focus shows (GOV.UK's yellow).
async fn focus(b: &Browser) -> (String, String) {
    let v = b
        .client
        .execute(
            "const e = document.activeElement; const s = getComputedStyle(e);
             return [e.textContent.trim(), s.backgroundColor + ' ' + s.outlineColor];",
            vec![],
        )
        .await
        .unwrap();
    (
        v[0].as_str().unwrap_or("").to_string(),
        v[1].as_str().unwrap_or("").to_string(),
    )
}

#[tokio::test]
async fn a_visitor_filters_the_catalogue_by_keyboard_and_opens_a_project() {
    let app = catalogue_app().await;
    let b = Browser::start().await;
    let base = format!("http://{}", app.addr);
    b.client.goto(&format!("{base}/catalogue")).await.unwrap();
    assert_accessible(&b, "the catalogue").await;

    // The first Tab reaches the skip link, and its focus shows; Enter skips to the content.
    b.press(Key::Tab).await;
    let (text, style) = focus(&b).await;
    assert_eq!(text, "Skip to main content");
    assert!(
        style.contains("rgb(255, 221, 0)"),
        "focus not visible: {style}"
    );
    b.press(Key::Enter).await;
    b.press(Key::Tab).await;
    assert_eq!(b.focused().await, "q");
    b.type_text("bin day").await;
    b.press(Key::Tab).await;
    assert_eq!(b.focused().await, "phase");
    b.type_text("b").await; // picks "Beta"
    b.press(Key::Tab).await;
    assert_eq!(b.focused().await, "council");
    b.type_text("Waverley BC").await;
    b.press(Key::Enter).await;
    let filtered = format!("{base}/catalogue?q=bin+day&phase=beta&council=Waverley+BC");
    b.client
        .wait()
        .at_most(crate::helpers::SHORT)
        .for_url(&filtered.parse().unwrap())
        .await
        .unwrap();
    let results = b
        .client
        .find(Locator::Css("#results"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(results, "1 of 2 services matches");
    let rows = b.client.find_all(Locator::Css("tbody tr")).await.unwrap();
    assert_eq!(rows.len(), 1);
    b.screenshot(&shots().join("catalogue.png")).await;
    assert_accessible(&b, "the filtered catalogue").await;

    // On by keyboard to the project's link, and into its page.
    let mut steps = 0;
    while focus(&b).await.0 != "Bin day finder" {
        b.press(Key::Tab).await;
        steps += 1;
        assert!(steps < 20, "the project's link is not reachable by Tab");
    }
    b.press(Key::Enter).await;
    b.client
        .wait()
        .at_most(crate::helpers::SHORT)
        .for_element(Locator::XPath("//h1[starts-with(., 'Bin day finder')]"))
        .await
        .unwrap();
    let summary = b
        .client
        .find(Locator::Css(".summary-list"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(summary.contains("Guildford Borough Council"), "{summary}");
    // A description's single line breaks (a list typed in the form) show as typed.
    let white_space = b
        .client
        .execute(
            "return getComputedStyle(document.querySelector('p.lead')).whiteSpace;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(white_space, "pre-line");
    b.screenshot(&shots().join("project.png")).await;
    assert_accessible(&b, "the project's page").await;

    // Narrow, as on a phone: still no problems.
    b.client.set_window_size(400, 900).await.unwrap();
    b.client.goto(&format!("{base}/catalogue")).await.unwrap();
    b.screenshot(&shots().join("catalogue-phone.png")).await;
    assert_accessible(&b, "the catalogue on a phone").await;
    b.close().await;
}

/// On a phone: a long unbroken title or address wraps instead of pushing the page sideways
/// (WCAG 1.4.10, reflow), the error state reads with enough contrast, and a title with
/// nothing to show still names its link.
#[tokio::test]
async fn long_words_wrap_and_the_error_state_reads_on_a_phone() {
    let app = catalogue_app().await;
    let long = "Binsandrecyclingcollectiondaysforeveryhousehold".repeat(2);
    app.slash(
        "U0LONG",
        "C0MAKERS",
        &format!("pitch {long} | See https://example.org/{long}"),
    )
    .await;
    app.slash("U0LONG", "C0MAKERS", "publish 4").await;
    // A re-use note and a phase note are the team's words too, shown in the page's lists.
    app.slash("U0LONGR", "C0MAKERS", "council Woking BC").await;
    app.slash(
        "U0LONGR",
        "C0MAKERS",
        &format!("reuse 4 | See https://example.org/{long}"),
    )
    .await;
    app.slash("U0LONG", "C0MAKERS", &format!("phase 4 beta | {long}"))
        .await;
    // As Slack sends it: a special mention, which the catalogue shows as nothing.
    app.slash_as_sent("U0LONG", "C0MAKERS", "pitch <!here>")
        .await;
    app.slash("U0LONG", "C0MAKERS", "publish 5").await;
    let slug_of = |n: u32| -> String {
        let sql = "SELECT slug FROM projects WHERE number = ?1";
        app.db().query_row(sql, [n], |r| r.get(0)).unwrap()
    };
    let (slug, untitled) = (slug_of(4), slug_of(5));
    for path in [
        format!("/catalogue/{slug}"),
        format!("/catalogue/{untitled}"),
    ] {
        let status = app.request("GET", &path, &[], "").await.status;
        assert_eq!(status, 200, "{path}");
    }
    let shown = app
        .request("GET", &format!("/catalogue/{slug}"), &[], "")
        .await
        .body;
    for said in ["Woking Borough Council</strong>", "Beta on"] {
        assert!(shown.contains(said), "{said} not in the page's lists");
    }
    let listed = app.request("GET", "/catalogue", &[], "").await.body;
    let link = format!(r#"<a href="catalogue/{untitled}">Untitled service</a>"#);
    assert!(listed.contains(&link), "a link with words");
    let b = Browser::start().await;
    // 320 CSS px: the width WCAG 1.4.10 names.
    b.client.set_window_size(320, 900).await.unwrap();
    let base = format!("http://{}", app.addr);
    for page in [
        "/catalogue".to_string(),
        format!("/catalogue/{slug}"),
        format!("/catalogue/{untitled}"),
        "/catalogue?phase=gamma".to_string(),
        "/catalogue?q=it".to_string(),
        // A visitor's words, said back: "No council in the catalogue is called …".
        format!("/catalogue?council={long}"),
    ] {
        b.client.goto(&format!("{base}{page}")).await.unwrap();
        let widths = b
            .client
            .execute(
                "return [document.documentElement.scrollWidth, window.innerWidth];",
                vec![],
            )
            .await
            .unwrap();
        let (scroll, window) = (widths[0].as_i64().unwrap(), widths[1].as_i64().unwrap());
        assert_eq!(window, 320, "{page}: the window is not a phone's");
        assert!(
            scroll <= window,
            "{page}: {scroll} px wide in a {window} px window"
        );
        assert_accessible(&b, &page).await;
    }
    b.close().await;
}
