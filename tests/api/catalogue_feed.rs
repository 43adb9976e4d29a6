//! The catalogue as an Atom feed (`/catalogue.atom`): newest in the catalogue first, so a
//! council officer's feed reader says when a service is published; filtered as the page is;
//! well-formed XML naming nobody; found from the page.

use serde_json::Value;

use crate::helpers::*;

const CHANNEL: &str = "C0MAKERS";
const GUILDFORD: &str = "U0GUILD";
const MOLE: &str = "U0MOLE";
const SITE: &str = "https://makers.example.gov.uk";

/// Two services published a day apart (Guildford's first), and one never published.
async fn two_published() -> TestApp {
    let app = spawn_app_setting("MAKERS_PUBLIC_URL", SITE).await;
    app.slash(GUILDFORD, CHANNEL, "council Guildford Borough Council")
        .await;
    app.slash(MOLE, CHANNEL, "council Mole Valley District Council")
        .await;
    pitch_and_wait(
        &app,
        GUILDFORD,
        CHANNEL,
        "Fish & chips <finder> | Where to eat on Fridays. Ask <@U0GUILD> or sam@guildford.gov.uk",
    )
    .await;
    app.slash(GUILDFORD, CHANNEL, "publish 1").await;
    app.clock
        .set_timestamp(app.clock.now().timestamp() + 24 * 3600);
    pitch_and_wait(&app, MOLE, CHANNEL, "Parking permit renewals").await;
    app.slash(MOLE, CHANNEL, "publish 2").await;
    pitch_and_wait(&app, MOLE, CHANNEL, "Secret staff rota").await;
    app
}

/// `(title, id, author, published)` of each entry, in order.
fn entries(xml: &str) -> Vec<(String, String, Option<String>, String)> {
    let doc = roxmltree::Document::parse(xml).unwrap_or_else(|e| panic!("{e}: {xml}"));
    let feed = doc.root_element();
    assert_eq!(feed.tag_name().name(), "feed");
    assert_eq!(
        feed.tag_name().namespace(),
        Some("http://www.w3.org/2005/Atom")
    );
    let text = |n: roxmltree::Node, name: &str| {
        n.children()
            .find(|c| c.tag_name().name() == name)
            .and_then(|c| c.text())
            .map(str::to_string)
    };
    feed.children()
        .filter(|n| n.tag_name().name() == "entry")
        .map(|e| {
            let author = e
                .children()
                .find(|c| c.tag_name().name() == "author")
                .and_then(|a| text(a, "name"));
            (
                text(e, "title").unwrap(),
                text(e, "id").unwrap(),
                author,
                text(e, "published").unwrap(),
            )
        })
        .collect()
}

#[tokio::test]
async fn the_feed_lists_published_services_newest_first_naming_their_lead_council_and_nobody() {
    let app = two_published().await;
    let a = crate::catalogue::get(&app, "/catalogue.atom").await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(a.header("content-type"), Some("application/atom+xml"));
    assert!(
        a.body
            .starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>")
    );
    let found = entries(&a.body);
    // The name as the catalogue shows it, through the XML's escaping and back.
    let data: Value =
        serde_json::from_str(&crate::catalogue::get(&app, "/catalogue.json").await.body).unwrap();
    let fish = data["projects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["slug"] != "parking-permit-renewals")
        .unwrap();
    assert_eq!(found.len(), 2, "{}", a.body);
    assert_eq!(found[0].0, "Parking permit renewals");
    assert_eq!(
        found[0].1,
        format!("{SITE}/catalogue/parking-permit-renewals")
    );
    assert_eq!(found[0].2.as_deref(), Some("Mole Valley District Council"));
    assert_eq!(found[1].0, fish["name"].as_str().unwrap());
    assert_eq!(found[1].1, fish["url"].as_str().unwrap());
    assert_eq!(found[1].2.as_deref(), Some("Guildford Borough Council"));
    assert!(found[0].3 > found[1].3, "newest first: {found:?}");
    assert!(
        !a.body.contains("U0GUILD")
            && !a.body.contains("guildford.gov.uk")
            && !a.body.contains("Secret staff rota"),
        "{}",
        a.body
    );
    // Its tag, sent back, is answered with nothing new.
    let etag = a.header("etag").unwrap().to_string();
    let again = app
        .request("GET", "/catalogue.atom", &[("if-none-match", etag)], "")
        .await;
    assert_eq!(again.status, 304);
}

#[tokio::test]
async fn a_council_follows_its_own_services_and_a_wrong_filter_is_refused() {
    let app = two_published().await;
    let a = crate::catalogue::get(&app, "/catalogue.atom?council=Mole+Valley").await;
    assert_eq!(a.status, 200, "{}", a.body);
    let found = entries(&a.body);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].0, "Parking permit renewals");
    assert!(
        a.body.contains(
            "<title>Makers catalogue: services that Mole Valley leads, works on or re-uses</title>"
        ),
        "{}",
        a.body
    );
    assert!(
        a.body.contains(&format!(
            "<id>{SITE}/catalogue.atom?council=Mole+Valley</id>"
        )),
        "{}",
        a.body
    );
    // Two filters: an `&` in its own address, escaped as XML wants.
    let both =
        crate::catalogue::get(&app, "/catalogue.atom?council=Mole+Valley&phase=discovery").await;
    assert_eq!(entries(&both.body).len(), 1, "{}", both.body);
    assert!(
        both.body.contains("href=\"https://makers.example.gov.uk/catalogue.atom?phase=discovery&amp;council=Mole+Valley\""),
        "{}",
        both.body
    );
    // Each feed says its own filters as typed, whoever asked for a look-alike first (both
    // search for the same word).
    let first = crate::catalogue::get(&app, "/catalogue.atom?q=Parking%21").await;
    assert!(first.body.contains("matching “Parking!”"), "{}", first.body);
    let other = crate::catalogue::get(&app, "/catalogue.atom?q=parking").await;
    assert_eq!(entries(&other.body).len(), 1, "{}", other.body);
    assert!(
        other
            .body
            .contains("<title>Makers catalogue: services matching “parking”</title>"),
        "{}",
        other.body
    );
    // Refused, also once the feed it would otherwise be is kept.
    crate::catalogue::get(&app, "/catalogue.atom").await;
    let wrong = crate::catalogue::get(&app, "/catalogue.atom?phase=sometime").await;
    assert_eq!(wrong.status, 400, "{}", wrong.body);
}

#[tokio::test]
async fn a_service_taken_out_of_the_catalogue_leaves_the_feed() {
    let app = two_published().await;
    let before = crate::catalogue::get(&app, "/catalogue.atom").await;
    app.slash(MOLE, CHANNEL, "unpublish 2").await;
    let after = crate::catalogue::get(&app, "/catalogue.atom").await;
    let found = entries(&after.body);
    assert_eq!(found.len(), 1, "{}", after.body);
    assert_ne!(found[0].0, "Parking permit renewals");
    assert_ne!(before.header("etag"), after.header("etag"));
}

#[tokio::test]
async fn the_page_links_the_feed_of_what_it_lists() {
    let app = two_published().await;
    let page = crate::catalogue::get(&app, "/catalogue?council=Mole+Valley").await;
    assert!(
        page.body.contains(
            "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"New services\" href=\"catalogue.atom?council=Mole+Valley\">"
        ) && page.body.contains("<a href=\"catalogue.atom?council=Mole+Valley\">Atom feed</a>"),
        "{}",
        page.body
    );
    let page = crate::catalogue::get(&app, "/catalogue").await;
    assert!(
        page.body.contains(
            "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"New services\" href=\"catalogue.atom\">"
        ),
        "{}",
        page.body
    );
    // Nothing published yet: a feed all the same, with no entries, that says when it began.
    let empty = spawn_app().await;
    let a = crate::catalogue::get(&empty, "/catalogue.atom").await;
    assert_eq!(a.status, 200);
    assert!(entries(&a.body).is_empty());
    assert!(
        a.body.contains("<updated>1970-01-01T00:00:00Z</updated>"),
        "{}",
        a.body
    );
}

/// `(id, published, updated)` of each entry, the dates read as instants.
fn dates(xml: &str) -> Vec<(String, i64, i64)> {
    let doc = roxmltree::Document::parse(xml).unwrap_or_else(|e| panic!("{e}: {xml}"));
    let at = |e: roxmltree::Node, name: &str| {
        let text = e
            .children()
            .find(|c| c.tag_name().name() == name)
            .and_then(|c| c.text())
            .unwrap_or_else(|| panic!("no {name}: {xml}"));
        chrono::DateTime::parse_from_rfc3339(text)
            .unwrap_or_else(|e| panic!("{e}: {text}"))
            .timestamp()
    };
    doc.root_element()
        .children()
        .filter(|n| n.tag_name().name() == "entry")
        .map(|e| {
            let id = e.children().find(|c| c.tag_name().name() == "id");
            let id = id.and_then(|c| c.text()).unwrap().to_string();
            (id, at(e, "published"), at(e, "updated"))
        })
        .collect()
}

fn at(time: &str) -> i64 {
    time.parse::<chrono::DateTime<chrono::Utc>>()
        .unwrap()
        .timestamp()
}

/// A poller that takes an entry as new only if it is dated after the newest it has seen
/// (Power Automate's RSS trigger), or after its last look, sees a second service published
/// the same day; and a merge or retirement that day moves the entry's `updated`, as its
/// summary and category change then.
#[tokio::test]
async fn a_service_published_later_the_same_day_is_dated_after_what_a_poller_saw() {
    let app = spawn_app_setting("MAKERS_PUBLIC_URL", SITE).await;
    app.slash(GUILDFORD, CHANNEL, "council Guildford Borough Council")
        .await;
    app.slash(MOLE, CHANNEL, "council Mole Valley District Council")
        .await;
    app.clock.set("2026-12-01T10:00:00Z");
    pitch_and_wait(&app, GUILDFORD, CHANNEL, "Bin day finder").await;
    app.slash(GUILDFORD, CHANNEL, "publish 1").await;
    // The 10:30 poll.
    app.clock.set("2026-12-01T10:30:00Z");
    let first = dates(&crate::catalogue::get(&app, "/catalogue.atom").await.body);
    assert_eq!(first.len(), 1, "{first:?}");
    let seen = first[0].1;

    app.clock.set("2026-12-01T14:00:00Z");
    pitch_and_wait(&app, MOLE, CHANNEL, "Parking permits").await;
    app.slash(MOLE, CHANNEL, "publish 2").await;
    let second = dates(&crate::catalogue::get(&app, "/catalogue.atom").await.body);
    let new = second
        .iter()
        .find(|e| e.0 != first[0].0)
        .unwrap_or_else(|| panic!("{second:?}"));
    assert!(new.1 > seen, "not after the newest seen: {second:?}");
    assert!(
        new.1 >= at("2026-12-01T10:30:00Z"),
        "dated before the poll that had not seen it: {second:?}"
    );

    // Merged the same day: #1's entry changed then.
    let before = second.iter().find(|e| e.0 == first[0].0).unwrap().2;
    app.clock.set("2026-12-01T16:00:00Z");
    app.slash(GUILDFORD, CHANNEL, "merge 1 into 2").await;
    let third = dates(&crate::catalogue::get(&app, "/catalogue.atom").await.body);
    let merged = third.iter().find(|e| e.0 == first[0].0).unwrap();
    assert!(merged.2 > before, "merge left `updated`: {third:?}");
    assert!(merged.2 >= at("2026-12-01T16:00:00Z"), "{third:?}");

    // Retired the same day: #2's too.
    let before = third.iter().find(|e| e.0 == new.0).unwrap().2;
    app.clock.set("2026-12-01T17:00:00Z");
    app.slash(MOLE, CHANNEL, "phase 2 retired").await;
    let fourth = dates(&crate::catalogue::get(&app, "/catalogue.atom").await.body);
    let retired = fourth.iter().find(|e| e.0 == new.0).unwrap();
    assert!(retired.2 > before, "retirement left `updated`: {fourth:?}");
}
