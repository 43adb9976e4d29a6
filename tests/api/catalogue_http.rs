//! The catalogue over HTTP: validators (ETag, 304, HEAD), 404 and 405, and a long catalogue
//! in pages that keep the filters.

use crate::catalogue::{catalogue_app, get};
use crate::helpers::*;

const CHANNEL: &str = "C0MAKERS";
const MOLE: &str = "U0MOLE";

#[tokio::test]
async fn a_long_catalogue_comes_in_pages_that_keep_the_filters() {
    let app = spawn_app().await;
    // 120 published projects, written straight to the database (how they got there is tested
    // above); half of them in beta.
    let db = app.db();
    for n in 1..=120 {
        let phase = if n % 2 == 0 { "beta" } else { "alpha" };
        db.execute(
            "INSERT INTO projects (team_id, number, title, phase, pitcher, channel_id,
                                   created_at, updated_at, last_activity_at, slug, published_at)
             VALUES (?1, ?2, ?3, ?4, 'U0P', 'C0P', 1700000000, 1700000000, 1700000000, ?5, 1)",
            rusqlite::params![
                TEAM,
                n,
                format!("Service {n:03}"),
                phase,
                format!("service-{n:03}")
            ],
        )
        .unwrap();
    }
    // One description a single long paragraph: its row shows it cut, as the JSON's
    // shortDescription is, not a screenful on a phone.
    let paragraph = (0..80)
        .map(|i| format!("w{i}"))
        .collect::<Vec<_>>()
        .join(" ");
    db.execute(
        "UPDATE projects SET description = ?1 WHERE number = 1",
        [&paragraph],
    )
    .unwrap();
    let rows = |html: &str| html.matches("<th scope=\"row\"").count();
    let first = get(&app, "/catalogue").await;
    assert_eq!(rows(&first.body), 100);
    assert!(
        first.body.contains("<span class=\"hint summary\">w0 w1 w2")
            && !first.body.contains(" w79")
            && first.body.contains("…</span>"),
        "{}",
        first.body
    );
    assert!(
        first.body.contains("Showing 1 to 100 of 120"),
        "{}",
        first.body
    );
    assert!(
        first
            .body
            .contains("<a rel=\"next\" href=\"catalogue?page=2\">")
    );
    assert!(!first.body.contains("rel=\"prev\""));
    let second = get(&app, "/catalogue?page=2").await;
    assert_eq!(rows(&second.body), 20);
    assert!(
        second
            .body
            .contains("<title>Makers catalogue: re-usable council services (page 2 of 2)</title>"),
        "pages told apart by their title"
    );
    assert!(second.body.contains("Service 120") && !second.body.contains("Service 100<"));
    assert!(second.body.contains("<a rel=\"prev\" href=\"catalogue\">"));
    assert_eq!(
        rows(&get(&app, "/catalogue?page=99").await.body),
        20,
        "past the end: the last page"
    );
    let beta = get(&app, "/catalogue?phase=beta").await;
    assert_eq!(rows(&beta.body), 60);
    assert!(
        beta.body.contains(
            "<title>60 of 120 services match: Makers catalogue: re-usable council services</title>"
        ),
        "one page, named by what it found"
    );
    assert!(!beta.body.contains("rel=\"next\""), "60 fit on one page");
    // The data formats are never paged.
    let json = get(&app, "/catalogue.json?page=2").await.json();
    assert_eq!(json["projects"].as_array().unwrap().len(), 120);
}

#[tokio::test]
async fn every_answer_has_an_etag_that_a_client_can_revalidate_with() {
    let app = catalogue_app().await;
    for path in [
        "/catalogue",
        "/catalogue.json",
        "/catalogue.csv",
        "/catalogue/bin-day-finder",
        "/catalogue/bin-day-finder.json",
    ] {
        let first = get(&app, path).await;
        // The data may be read by a council's own site from a browser; the pages need not.
        let data = path.ends_with(".json") || path.ends_with(".csv");
        assert_eq!(
            first.header("access-control-allow-origin"),
            data.then_some("*"),
            "{path}"
        );
        let etag = first.header("etag").expect("an etag").to_string();
        // The JSON's is weak: it leaves out `generated`, the time of the render.
        let opaque = etag.strip_prefix("W/").unwrap_or(&etag);
        assert!(opaque.starts_with('"') && opaque.ends_with('"'), "{etag}");
        assert_eq!(etag.starts_with("W/"), path == "/catalogue.json", "{etag}");
        let again = app
            .request("GET", path, &[("if-none-match", etag.clone())], "")
            .await;
        assert_eq!(again.status, 304, "{path}");
        assert!(again.body.is_empty());
        assert_eq!(again.header("etag"), Some(etag.as_str()));
        let head = app.request("HEAD", path, &[], "").await;
        assert_eq!(head.status, 200, "{path}");
        assert!(head.body.is_empty());
        assert_eq!(head.header("etag"), Some(etag.as_str()));
    }
    // A render made later, after a write that changes nothing shown, has the same tag: only
    // its `generated` differs.
    let first = get(&app, "/catalogue.json").await;
    let before = first.header("etag").unwrap().to_string();
    // `generated` is to the second, on the machine's clock.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    app.slash(MOLE, CHANNEL, "skills developer").await;
    let later = get(&app, "/catalogue.json").await;
    assert_ne!(
        later.json()["generated"],
        first.json()["generated"],
        "rendered again"
    );
    assert_eq!(later.header("etag"), Some(before.as_str()));
    // A change to what is shown changes the tag.
    app.slash(MOLE, CHANNEL, "phase 2 alpha").await;
    let after = app
        .request(
            "GET",
            "/catalogue.json",
            &[("if-none-match", before.clone())],
            "",
        )
        .await;
    assert_eq!(after.status, 200);
    assert_ne!(after.header("etag"), Some(before.as_str()));
    // Unpublished is gone at once.
    app.slash(MOLE, CHANNEL, "unpublish 2").await;
    assert_eq!(
        get(&app, "/catalogue/parking-permit-renewals").await.status,
        404
    );
}

/// One service's JSON, for a council's own page that shows a service it shares: the object
/// the whole catalogue's JSON lists for it, linked from its page; an address that is not a
/// published service's is a 404 a program can read.
#[tokio::test]
async fn one_service_as_json_is_its_object_in_the_catalogues_json() {
    let app = catalogue_app().await;
    let all = get(&app, "/catalogue.json").await.json();
    let listed = all["projects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["slug"] == "bin-day-finder")
        .cloned()
        .expect("listed");
    let one = get(&app, "/catalogue/bin-day-finder.json").await;
    assert_eq!(one.status, 200);
    assert_eq!(one.header("content-type"), Some("application/json"));
    assert_eq!(one.json(), listed);
    let page = get(&app, "/catalogue/bin-day-finder").await;
    assert!(
        page.body
            .contains("<a href=\"bin-day-finder.json\">This service as JSON</a>"),
        "{}",
        page.body
    );
    // A change shows at once.
    app.slash(MOLE, CHANNEL, "phase 2 alpha").await;
    let slug = get(&app, "/catalogue.json").await.json()["projects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["phase"] == "alpha")
        .map(|p| p["slug"].as_str().unwrap().to_string())
        .expect("project 2 is in alpha");
    let two = get(&app, &format!("/catalogue/{slug}.json")).await.json();
    assert_eq!(two["developmentStatus"], "development", "{two}");

    app.slash(MOLE, CHANNEL, "unpublish 2").await;
    for path in [
        format!("/catalogue/{slug}.json"),
        "/catalogue/no-such-thing.json".to_string(),
        "/catalogue/Bin-Day-Finder.json".to_string(),
        "/catalogue/secret-staff-rota.json".to_string(),
    ] {
        let a = get(&app, &path).await;
        assert_eq!(a.status, 404, "{path}");
        assert_eq!(a.header("content-type"), Some("application/json"), "{path}");
        assert_eq!(a.header("access-control-allow-origin"), Some("*"), "{path}");
        assert!(
            a.json()["error"]
                .as_str()
                .is_some_and(|e| e.contains("No published service")
                    && e.contains("keeps its address when renamed")
                    && !e.contains("or renamed")),
            "{path}: {}",
            a.body
        );
    }
}

#[tokio::test]
async fn unknown_slugs_are_404_and_only_get_and_head_are_served() {
    let app = catalogue_app().await;
    for (path, back) in [
        ("/catalogue/no-such-thing", "../catalogue"),
        ("/catalogue/bin%20day", "../catalogue"),
        ("/catalogue/../healthz", "../../catalogue"),
        ("/catalogue/secret-staff-rota", "../catalogue"),
        // Deeper: the way back climbs as far (it led to /catalogue/catalogue).
        ("/catalogue/bin-day-finder/extra", "../../catalogue"),
        ("/catalogue/a/b/c", "../../../catalogue"),
    ] {
        let a = get(&app, path).await;
        assert_eq!(a.status, 404, "{path}");
        assert!(a.body.contains("Page not found"));
        assert!(
            a.body.contains(&format!(
                "<a href=\"{back}\">See all published services</a>"
            )),
            "{path}: {}",
            a.body
        );
    }
    // An address typed in capitals, or pasted with the full stop after it: to the address.
    for path in ["/catalogue/Bin-Day-Finder", "/catalogue/bin-day-finder."] {
        let a = get(&app, path).await;
        assert_eq!(a.status, 301, "{path}");
        assert_eq!(a.header("location"), Some("bin-day-finder"), "{path}");
    }
    // The folder typed from print too, in capitals or American: out of it and to the
    // address (it was "Page not found").
    for (path, to) in [
        ("/Catalogue/bin-day-finder", "../catalogue/bin-day-finder"),
        ("/CATALOGUE/BIN-DAY-FINDER", "../catalogue/bin-day-finder"),
        ("/catalog/bin-day-finder", "../catalogue/bin-day-finder"),
        (
            "/Catalogue/Bin-Day-Finder/",
            "../../catalogue/bin-day-finder",
        ),
    ] {
        let a = get(&app, path).await;
        assert_eq!(
            (a.status.as_u16(), a.header("location")),
            (301, Some(to)),
            "{path}"
        );
    }
    let a = app.request("POST", "/catalogue", &[], "x").await;
    assert_eq!(a.status, 405);
    assert_eq!(a.header("allow"), Some("GET, HEAD"));
}

/// A path under `/catalogue/` that can name nothing (too deep, no address, no slug before
/// `.json`) is unknown, 404 for every method as for GET (the contract: unknown paths 404,
/// a wrong method on a known one 405); it answered 405 with `Allow: GET, HEAD`.
#[tokio::test]
async fn a_wrong_method_on_a_catalogue_path_that_is_nothing_is_404() {
    let app = catalogue_app().await;
    for path in [
        "/catalogue/a/b",
        "/catalogue/bin%20day",
        "/catalogue/Bin-Day-Finder.json",
    ] {
        assert_eq!(get(&app, path).await.status, 404, "{path}");
        for method in ["POST", "PUT", "DELETE"] {
            let a = app.request(method, path, &[], "x").await;
            assert_eq!(a.status, 404, "{method} {path}");
            assert_eq!(a.header("allow"), None, "{method} {path}");
        }
    }
    // A real page keeps its 405.
    let a = app
        .request("POST", "/catalogue/no-such-thing", &[], "x")
        .await;
    assert_eq!(a.status, 405);
}

#[tokio::test]
async fn the_page_with_a_trailing_slash_redirects_where_its_relative_links_work() {
    let app = catalogue_app().await;
    let a = get(&app, "/catalogue/").await;
    assert_eq!(a.status, 301);
    assert_eq!(a.header("location"), Some("../catalogue"));
    let a = get(&app, "/catalogue/?phase=beta").await;
    assert_eq!(a.header("location"), Some("../catalogue?phase=beta"));
    assert_eq!(a.header("x-content-type-options"), Some("nosniff"));
    // A project's address with a slash after it: to the project's page, whose links work.
    let a = get(&app, "/catalogue/bin-day-finder/").await;
    assert_eq!(a.status, 301);
    assert_eq!(a.header("location"), Some("../bin-day-finder"));
    assert_eq!(get(&app, "/catalogue/bin-day-finder/x").await.status, 404);
    // The same typed in capitals: from where the slash puts it, one folder down.
    let a = get(&app, "/catalogue/Bin-Day-Finder/").await;
    assert_eq!(a.status, 301);
    assert_eq!(a.header("location"), Some("../bin-day-finder"));
    // The site's root, typed alone by a resident: to the catalogue.
    let a = get(&app, "/").await;
    assert_eq!(a.status, 302);
    assert_eq!(a.header("location"), Some("catalogue"));
    // And what a resident may type for it.
    for near in ["/Catalogue", "/CATALOGUE", "/catalog", "/Catalog"] {
        let a = get(&app, near).await;
        assert_eq!(
            (a.status.as_u16(), a.header("location")),
            (302, Some("catalogue")),
            "{near}"
        );
    }
    assert_eq!(get(&app, "/catalogues").await.status, 404);
}

/// A public-sector site links its accessibility statement from every page: the operator's,
/// when they give its address; no link to nowhere when they do not.
#[tokio::test]
async fn every_page_links_the_accessibility_statement_when_one_is_given() {
    let statement = "https://www.guildford.gov.uk/accessibility";
    let app = spawn_app_settings(&[("MAKERS_ACCESSIBILITY_URL", statement)]).await;
    let link = format!("<a href=\"{statement}\">Accessibility statement</a>");
    for path in [
        "/catalogue",
        "/catalogue?q=bins",
        "/catalogue/no-such-thing",
    ] {
        let a = get(&app, path).await;
        assert!(a.body.contains(&link), "{path}: {}", a.body);
    }
    let plain = catalogue_app().await;
    let a = get(&plain, "/catalogue").await;
    assert!(!a.body.contains("Accessibility statement"), "{}", a.body);
}

/// Most of the catalogue's visitors are from councils not in Makers yet: with
/// `MAKERS_JOIN_URL` every page says where to find out how to join, and a service's page says
/// so beside how to say a re-use; with `MAKERS_CONTACT_URL` every page says how to reach
/// whoever runs it (a mailbox here). Without them, no link to nowhere.
#[tokio::test]
async fn every_page_says_how_a_council_joins_and_whom_to_ask_when_told() {
    let app = catalogue_app().await;
    let page = get(&app, "/catalogue/bin-day-finder").await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains(
            "<code>/makers reuse bin-day-finder</code> (once you have said your council with <code>/makers council &lt;name&gt;</code>)."
        ),
        "{}",
        page.body
    );
    for words in ["can join", "Contact whoever runs Makers"] {
        assert!(!page.body.contains(words), "{words}: {}", page.body);
    }

    let (join, contact) = (
        "https://makers.example.org/join?from=catalogue&x=1",
        "mailto:makers@waverley.gov.uk",
    );
    let app = app
        .restart_with(&[("MAKERS_JOIN_URL", join), ("MAKERS_CONTACT_URL", contact)])
        .await;
    let join_href = "href=\"https://makers.example.org/join?from=catalogue&amp;x=1\"";
    let footer = [
        format!("<a {join_href}>About Makers, and how your council can join</a>"),
        format!("<a href=\"{contact}\">Contact whoever runs Makers</a>"),
    ];
    for path in [
        "/catalogue",
        "/catalogue?q=bins",
        "/catalogue?phase=nonsense",
        "/catalogue/bin-day-finder",
        "/catalogue/no-such-thing",
    ] {
        let a = get(&app, path).await;
        for link in &footer {
            assert!(a.body.contains(link.as_str()), "{path}: {link}: {}", a.body);
        }
    }
    let list = get(&app, "/catalogue").await;
    assert!(
        list.body.contains(&format!(
            "re-use. <a {join_href}>What Makers is, and how your council can join</a>."
        )),
        "{}",
        list.body
    );
    let page = get(&app, "/catalogue/bin-day-finder").await;
    assert!(
        page.body.contains(&format!(
            "Is your council not in Makers yet? <a {join_href}>How your council can join</a>."
        )),
        "{}",
        page.body
    );
}

/// A failure reading the catalogue is a 500 in the form asked for: the data's callers (a
/// council's page in a browser, often) get JSON they can read, with the CORS header, rather
/// than an HTML page the browser would hide behind a CORS error.
#[tokio::test]
async fn a_failure_is_answered_in_the_form_asked_for() {
    let app = catalogue_app().await;
    app.db()
        .execute_batch("DROP TABLE catalogue_search")
        .unwrap();
    for data in ["/catalogue.json?q=bins", "/catalogue.csv?q=bins"] {
        let a = get(&app, data).await;
        assert_eq!(a.status, 500, "{data}: {}", a.body);
        assert!(
            a.json()["error"].as_str().unwrap().contains("problem"),
            "{data}"
        );
        assert_eq!(a.header("access-control-allow-origin"), Some("*"), "{data}");
    }
    let page = get(&app, "/catalogue?q=bins").await;
    assert_eq!(page.status, 500);
    assert!(
        page.body
            .contains("Sorry, there is a problem with the service")
    );
}

/// While the database cannot be read, anyone can ask the catalogue (and `/metrics`) again
/// and again, each a fresh render, as a failure is not cached: one line a minute says so,
/// with how many went unlogged, not a line each, which would flood the journal.
#[tokio::test]
async fn an_unreadable_catalogue_is_logged_once_a_minute_however_often_asked() {
    use crate::helpers::logs::{capture_logs, logged_with};
    capture_logs();
    let app = catalogue_app().await;
    // Its tables in place of the real ones, reading a table that is not there: a failure
    // whose lines name it, so they are told from other tests' lines.
    app.db()
        .execute_batch(
            "ALTER TABLE projects RENAME TO projects_kept;
             ALTER TABLE outbox RENAME TO outbox_kept;
             CREATE VIEW projects AS SELECT * FROM gone_for_catalogue_logs;
             CREATE VIEW outbox AS SELECT * FROM gone_for_metrics_logs;",
        )
        .unwrap();
    for i in 0..100 {
        let a = get(&app, &format!("/catalogue?q=x{i}")).await;
        assert_eq!(a.status, 500, "{}", a.body);
        let m = app.request("GET", "/metrics", &[], "").await;
        assert_eq!(m.status, 503, "{}", m.body);
    }
    let failed = logged_with(&["catalogue failed", "gone_for_catalogue_logs"]);
    assert!(failed.len() <= 1, "{failed:#?}");
    let unreadable = logged_with(&["metrics: store unreadable", "gone_for_metrics_logs"]);
    assert!(unreadable.len() <= 1, "{unreadable:#?}");
}

/// A council site's script reading the data with `If-None-Match` set is preflighted by the
/// browser: the data answers it, and lets the script read the `ETag` it sends back.
#[tokio::test]
async fn the_data_answers_a_browsers_preflight_and_shows_its_etag() {
    let app = catalogue_app().await;
    let ask = [
        ("origin", "https://www.waverley.gov.uk".to_string()),
        ("access-control-request-method", "GET".to_string()),
        (
            "access-control-request-headers",
            "if-none-match".to_string(),
        ),
    ];
    for data in [
        "/catalogue.json",
        "/catalogue.csv",
        "/catalogue/bin-day-finder.json",
    ] {
        let a = app.request("OPTIONS", data, &ask, "").await;
        assert_eq!(a.status, 204, "{data}");
        assert_eq!(a.header("access-control-allow-origin"), Some("*"));
        assert_eq!(a.header("access-control-allow-methods"), Some("GET, HEAD"));
        assert_eq!(
            a.header("access-control-allow-headers"),
            Some("If-None-Match")
        );
        let got = get(&app, data).await;
        assert_eq!(
            got.header("access-control-expose-headers"),
            Some("ETag"),
            "{data}"
        );
    }
    // The pages are read by people, not other sites' scripts.
    let a = app.request("OPTIONS", "/catalogue", &ask, "").await;
    assert_eq!(a.status, 405);
}

/// A link to a service pasted in Slack (or a chat, or an email) is previewed from the page's
/// own description: its name, its first lines, its public address. Search engines, through
/// which other councils find services, get the same and the canonical address; not for a
/// search's results or an error page.
#[tokio::test]
async fn pages_describe_themselves_for_link_previews_and_search_engines() {
    let app = catalogue_app().await;
    let site = "https://makers.example.gov.uk";
    let a = get(&app, "/catalogue/bin-day-finder").await;
    assert_eq!(a.status, 200);
    let head = a.body.split("</head>").next().unwrap();
    for expected in [
        r#"<meta property="og:title" content="Bin day finder">"#.to_string(),
        format!(r#"<link rel="canonical" href="{site}/catalogue/bin-day-finder">"#),
        format!(r#"<meta property="og:url" content="{site}/catalogue/bin-day-finder">"#),
        r#"<meta property="og:site_name" content="Makers catalogue">"#.to_string(),
    ] {
        assert!(head.contains(&expected), "{expected} in {head}");
    }
    assert!(!head.contains("noindex"), "{head}");
    // Its first lines, as the page shows them to the public (no mention, no address).
    assert!(
        head.contains(r#"<meta name="description" content="Residents type a postcode and see which bins go out when. Ask someone or (e-mail removed)">"#),
        "{head}"
    );

    // Words from the team are escaped in the attributes as in the page.
    app.slash(
        MOLE,
        CHANNEL,
        r#"pitch Rates "quick" check | Compare <b>rates</b> & bands"#,
    )
    .await;
    app.slash(MOLE, CHANNEL, "publish 4").await;
    let a = get(&app, "/catalogue/rates-quick-check").await;
    assert_eq!(a.status, 200, "{}", a.body);
    let head = a.body.split("</head>").next().unwrap();
    assert!(
        head.contains(r#"<meta property="og:title" content="Rates &quot;quick&quot; check">"#),
        "{head}"
    );
    assert!(
        head.contains(r#"content="Compare &lt;b&gt;rates&lt;/b&gt; &amp; bands">"#),
        "{head}"
    );

    // The whole catalogue has its address; a search's results and a later page are views
    // of it; an error page is not for keeping.
    let head_of = |body: &str| body.split("</head>").next().unwrap().to_string();
    let list = head_of(&get(&app, "/catalogue").await.body);
    assert!(
        list.contains(&format!(
            r#"<link rel="canonical" href="{site}/catalogue">"#
        )),
        "{list}"
    );
    assert!(
        list.contains(r#"<meta name="description" content="Re-usable"#),
        "{list}"
    );
    let search = head_of(&get(&app, "/catalogue?q=bins").await.body);
    assert!(!search.contains("canonical"), "{search}");
    let refused = get(&app, "/catalogue?phase=nonsense").await;
    assert_eq!(refused.status, 400);
    let refused = head_of(&refused.body);
    assert!(
        refused.contains("noindex") && !refused.contains("canonical"),
        "{refused}"
    );
    let missing = get(&app, "/catalogue/no-such-thing").await;
    assert_eq!(missing.status, 404);
    let missing = head_of(&missing.body);
    assert!(
        missing.contains(r#"<meta name="robots" content="noindex">"#)
            && !missing.contains("canonical"),
        "{missing}"
    );
}

/// Without `MAKERS_PUBLIC_URL` the bot knows no public address of its pages: it names none
/// (the address it binds to is no one else's to open), and previews go by the rest.
#[tokio::test]
async fn without_a_public_url_pages_name_no_address_of_their_own() {
    let app = spawn_app().await;
    pitch_and_wait(
        &app,
        MOLE,
        CHANNEL,
        "Grit bin sensors | Which bins need filling",
    )
    .await;
    app.slash(MOLE, CHANNEL, "publish 1").await;
    for path in ["/catalogue", "/catalogue/grit-bin-sensors"] {
        let a = get(&app, path).await;
        assert_eq!(a.status, 200, "{path}");
        let head = a.body.split("</head>").next().unwrap();
        assert!(head.contains(r#"property="og:title""#), "{path}: {head}");
        assert!(
            !head.contains("canonical") && !head.contains("og:url"),
            "{path}: {head}"
        );
    }
}

/// A filter that finds nothing repeats what was typed ("No council in the catalogue is
/// called …"): anyone could have a search engine keep text of their choosing under the
/// catalogue's address, so such a view is not for keeping, as an error page is not. A view
/// that found services is as before.
#[tokio::test]
async fn a_filter_that_finds_nothing_is_not_for_search_engines_to_keep() {
    let app = catalogue_app().await;
    let head_of = |body: &str| body.split("</head>").next().unwrap().to_string();
    let noindex = r#"<meta name="robots" content="noindex">"#;
    let a = get(&app, "/catalogue?council=Cheap+pills+at+pills-example.shop").await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert!(
        a.body
            .contains("No council in the catalogue is called “Cheap pills at pills-example.shop”"),
        "{}",
        a.body
    );
    let head = head_of(&a.body);
    assert!(
        head.contains(noindex) && !head.contains("canonical"),
        "{head}"
    );
    // Words that find nothing, too.
    let head = head_of(&get(&app, "/catalogue?q=cheap+pills").await.body);
    assert!(head.contains(noindex), "{head}");
    // A view that found something is unchanged.
    let found = get(&app, "/catalogue?council=Guildford").await;
    assert!(found.body.contains("Bin day finder"), "{}", found.body);
    assert!(!head_of(&found.body).contains("noindex"), "{}", found.body);
    assert!(!head_of(&get(&app, "/catalogue").await.body).contains("noindex"));
}
