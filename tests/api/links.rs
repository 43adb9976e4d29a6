//! Links and mentions people type keep working in what the bot posts; special mentions never
//! do, and the digest mentions nobody. Commands are sent as Slack sends them with the
//! manifest's `should_escape`: tokens as `<@U0BOB|bob>`, typed `&`, `<`, `>` escaped.

use crate::helpers::*;

const DIGEST: &str = "C0DIGEST";

/// The posts in `channel` (not in a thread) that `keep` accepts, as sent.
fn posts_in(app: &TestApp, channel: &str, keep: impl Fn(&str) -> bool) -> Vec<serde_json::Value> {
    app.slack
        .calls("chat.postMessage")
        .into_iter()
        .filter(|c| c.body["channel"] == channel && keep(&message_text(&c.body)))
        .map(|c| c.body)
        .collect()
}

/// `message` has sections, and every one's text is verbatim, so Slack leaves words as words.
fn all_verbatim(message: &serde_json::Value) -> bool {
    let sections: Vec<_> = message["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b["type"] == "section")
        .collect();
    !sections.is_empty() && sections.iter().all(|b| b["text"]["verbatim"] == true)
}

#[tokio::test]
async fn a_pitch_is_announced_with_its_links_and_mentions_working_and_specials_as_words() {
    let app = spawn_app().await;
    app.slash_as_sent(
        "U0PITCHER",
        "C0MAKERS",
        "pitch Bins with <@U0BOB|bob> | Ask <@U0BOB|bob> in <#C0BINS|bins>, try \
         <https://x.example/bins?a=1&amp;b=2|the demo> &amp; 1 &lt; 2 <!channel> \
         <!subteam^S0DEVS|@devs>",
    )
    .await;
    let post = &app.slack.wait_for("chat.postMessage", 1, SHORT).await[0].body;
    assert_eq!(
        post["blocks"][0]["text"]["text"],
        ":bulb: *New Makers project #1: Bins with @bob*\nAsk <@U0BOB> in <#C0BINS>, try \
         <https://x.example/bins?a=1&amp;b=2|the demo> &amp; 1 &lt; 2 @channel @devs"
    );
    assert!(all_verbatim(post), "{post}");
    assert!(!post.to_string().contains("<!"), "{post}");
    // Cut at the bar outside the tokens, and kept as typed.
    let (title, description): (String, String) = app
        .db()
        .query_row("SELECT title, description FROM projects", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(title, "Bins with <@U0BOB|bob>");
    assert!(description.starts_with("Ask <@U0BOB|bob> in <#C0BINS|bins>"));
}

#[tokio::test]
async fn an_update_and_a_phase_note_keep_their_links_in_the_thread() {
    let app = spawn_app().await;
    let ts = pitch_and_wait(&app, "U0PITCHER", "C0MAKERS", "Bin day finder").await;
    app.slash_as_sent(
        "U0PITCHER",
        "C1",
        "update 1 Demo is up: <https://x.example/demo|try it>, thanks <@U0BOB|bob> <!here>",
    )
    .await;
    app.slash_as_sent(
        "U0PITCHER",
        "C1",
        "phase 1 alpha | notes at <https://x.example/notes|our notes>",
    )
    .await;
    let in_thread = eventually(
        "the update and the phase change in the thread",
        SHORT,
        || {
            let found = posts_in(&app, "C0MAKERS", |_| true);
            let found: Vec<_> = found.into_iter().filter(|p| p["thread_ts"] == ts).collect();
            (found.len() == 2).then_some(found)
        },
    )
    .await;
    assert_eq!(
        in_thread[0]["blocks"][0]["text"]["text"],
        ":memo: *Update on #1* from <@U0PITCHER>:\nDemo is up: \
         <https://x.example/demo|try it>, thanks <@U0BOB> @here"
    );
    let phase = message_text(&in_thread[1]);
    assert!(
        phase.contains("> notes at <https://x.example/notes|our notes>"),
        "{phase}"
    );
    assert!(in_thread.iter().all(all_verbatim));
}

#[tokio::test]
async fn the_digest_names_people_without_mentioning_anyone() {
    let app = spawn_app().await;
    app.slash("U1", DIGEST, "digest").await;
    app.slash_as_sent(
        "U0PITCHER",
        "C0MAKERS",
        "pitch Bin day finder | with <@U0BOB|bob>, see <https://x.example/plan|the plan> <!channel>",
    )
    .await;
    app.slash("U0BOB", "C1", "council Guildford BC").await;
    app.slash("U0BOB", "C1", "join 1").await;
    app.slash_as_sent(
        "U0PITCHER",
        "C1",
        "update 1 Paired with <@U0ANN> on <https://x.example/demo|the demo>",
    )
    .await;
    app.outbox_settled().await;
    // A week on, a Monday 09:00 has passed.
    app.clock.advance_days(7);
    let digest = eventually("the digest", SHORT, || {
        posts_in(&app, DIGEST, |t| t.contains("Makers digest")).pop()
    })
    .await;
    let text = message_text(&digest);
    for token in ["<@", "<!"] {
        assert!(!text.contains(token), "{token} in the digest: {text}");
    }
    assert!(
        text.contains("with @bob, see <https://x.example/plan|the plan> @channel"),
        "{text}"
    );
    assert!(
        text.contains("Someone from Guildford Borough Council joined"),
        "{text}"
    );
    assert!(
        text.contains("Paired with someone on <https://x.example/demo|the demo>"),
        "{text}"
    );
    assert!(all_verbatim(&digest), "{digest}");
}
