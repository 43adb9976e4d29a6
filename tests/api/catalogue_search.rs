//! The public catalogue's search: it finds by the words a page shows, stemmed and with
//! accents folded as the team's own search does, and follows publishing and unpublishing.

use crate::catalogue::names_found;
use crate::helpers::*;

const CHANNEL: &str = "C0MAKERS";
const PITCHER: &str = "U0GUILD";

async fn found(app: &TestApp, q: &str) -> Vec<String> {
    names_found(app, &format!("q={q}")).await
}

#[tokio::test]
async fn the_public_search_stems_folds_accents_and_follows_publishing() {
    let app = spawn_app().await;
    app.slash(
        PITCHER,
        CHANNEL,
        "pitch Garden waste subscriptions | Renew online each spring",
    )
    .await;
    app.slash(
        PITCHER,
        CHANNEL,
        "pitch Café finder | Council cafés near you, ask <@U0GUILD>",
    )
    .await;
    for n in [1, 2] {
        let said = app
            .slash(PITCHER, CHANNEL, &format!("publish {n}"))
            .await
            .said();
        assert!(said.contains("/catalogue/"), "{said}");
    }
    for (q, expected) in [
        ("gardening", vec!["Garden waste subscriptions"]),
        ("renewals", vec!["Garden waste subscriptions"]),
        ("cafe", vec!["Café finder"]),
        ("CAF%C3%89S", vec!["Café finder"]),
        // The stored text mentions a person the page shows as "someone".
        ("u0guild", vec![]),
    ] {
        assert_eq!(found(&app, q).await, expected, "q={q}");
    }

    app.slash(PITCHER, CHANNEL, "unpublish 1").await;
    assert!(found(&app, "garden").await.is_empty(), "unpublished");
    app.slash(PITCHER, CHANNEL, "publish 1").await;
    assert_eq!(
        found(&app, "garden").await,
        ["Garden waste subscriptions"],
        "published again"
    );
}

/// A word typed in full-width letters (an input method's) or with a ligature (pasted from a
/// PDF) is also the word in plain letters, as `/makers search` reads it: the catalogue, which
/// wants every word, found nothing for "ｂｉｎ" or "ﬁnder", looking for them only as typed.
#[tokio::test]
async fn the_public_search_finds_words_typed_in_full_width_letters_or_with_a_ligature() {
    let app = spawn_app().await;
    app.slash(PITCHER, CHANNEL, "pitch Bin collection day finder")
        .await;
    app.slash(PITCHER, CHANNEL, "pitch Garden waste").await;
    for n in [1, 2] {
        app.slash(PITCHER, CHANNEL, &format!("publish {n}")).await;
    }
    for q in [
        "ｂｉｎ",
        "\u{FB01}nder",
        "ｂｉｎ \u{FB01}nder",
        "ｂｉｎ bin",
    ] {
        let query = serde_urlencoded::to_string([("q", q)]).unwrap();
        assert_eq!(
            names_found(&app, &query).await,
            ["Bin collection day finder"],
            "q={q}"
        );
        let csv = crate::catalogue::get(&app, &format!("/catalogue.csv?{query}")).await;
        assert!(
            csv.body.contains("Bin collection day finder") && !csv.body.contains("Garden"),
            "q={q}: {}",
            csv.body
        );
        let page = crate::catalogue::get(&app, &format!("/catalogue?{query}")).await;
        assert!(
            page.body.contains("Bin collection day finder") && !page.body.contains("Garden waste"),
            "q={q}: {}",
            page.body
        );
    }
    // Each word still narrows: a full-width word no project holds finds nothing.
    let query = serde_urlencoded::to_string([("q", "ｂｉｎ ｇａｒｄｅｎ")]).unwrap();
    assert!(names_found(&app, &query).await.is_empty());
}
