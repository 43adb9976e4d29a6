//! Hostile and broken input: text nobody can see, floods of writes, many idle connections,
//! a handler that panics.

use crate::helpers::*;

#[tokio::test]
async fn a_title_of_invisible_characters_is_refused_and_nothing_is_posted() {
    let app = spawn_app().await;
    for title in ["\u{200B}\u{FEFF}\u{200D}", "\u{0}\u{1}", "\u{2060} | desc"] {
        let a = app.slash("U1", "C1", &format!("pitch {title}")).await;
        assert_eq!(a.status, 200);
        assert!(
            a.text().contains("no characters anyone could see"),
            "{}",
            a.body
        );
    }
    // A title with invisible characters among visible ones is kept without them.
    let a = app
        .slash("U1", "C1", "pitch Bin\u{200B} day\u{0} finder")
        .await;
    assert!(a.text().contains("#1: Bin day finder"), "{}", a.body);
    let posts = app.slack.wait_for("chat.postMessage", 1, SHORT).await;
    assert_eq!(posts.len(), 1, "only the visible pitch was announced");
    let title: String = app
        .db()
        .query_row("SELECT title FROM projects", [], |r| r.get(0))
        .unwrap();
    assert_eq!(title, "Bin day finder");
}

#[tokio::test]
async fn a_digest_time_with_a_sign_is_refused() {
    let app = spawn_app().await;
    let a = app.slash("U1", "C1", "digest mon +9:00").await;
    assert_eq!(a.status, 200);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM digest_subscriptions"),
        0,
        "{}",
        a.body
    );
}
