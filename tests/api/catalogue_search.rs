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
