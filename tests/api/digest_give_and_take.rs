//! Give and take per council in the digest: under the headline, what moved for each council
//! in the digest's period (pitches by its people, its people's joins, re-uses it recorded and
//! re-uses of its work), most giving first, and nothing when nothing moved.

use std::time::Duration;

use crate::helpers::*;

const DIGEST: &str = "C0DIGEST";
const MAKERS: &str = "C0MAKERS";
/// Posts go out in order, a second apart in any one channel: a digest can wait behind the
/// week's thread lines in the makers channel.
const PACED: Duration = Duration::from_secs(20);

/// The digests posted in the digest channel so far.
fn digests(app: &TestApp) -> Vec<String> {
    app.slack
        .calls("chat.postMessage")
        .iter()
        .filter(|c| c.body["channel"] == DIGEST)
        .map(|c| message_text(&c.body))
        .filter(|t| t.contains("Makers digest"))
        .collect()
}

async fn digests_reach(app: &TestApp, n: usize) -> Vec<String> {
    eventually(&format!("{n} digests in {DIGEST}"), PACED, || {
        let all = digests(app);
        (all.len() == n).then_some(all)
    })
    .await
}

/// The give-and-take line of a digest, if it has one.
fn give_and_take(digest: &str) -> Option<&str> {
    digest
        .lines()
        .find(|l| l.starts_with("Give and take across every Makers workspace: "))
}

/// Four councils; Guildford pitches #1 and a Mole Valley person joins it, a week before the
/// week the tests look at. The first digest, on Monday 16 November 2026 09:00, tells that.
async fn a_week_of_guildford_and_mole_valley() -> TestApp {
    let app = spawn_app().await;
    app.clock.set("2026-11-10T12:00:00Z");
    app.slash("U1", DIGEST, "digest").await;
    for (who, council) in [
        ("U0GUI", "Guildford BC"),
        ("U0WAV", "Waverley BC"),
        ("U0MOLE", "Mole Valley DC"),
        ("U0MOLE2", "Mole Valley District Council"),
        ("U0BH", "Brighton & Hove City Council"),
    ] {
        let a = app.slash(who, MAKERS, &format!("council {council}")).await;
        assert!(a.said().contains("recorded as working for"), "{}", a.said());
    }
    pitch_and_wait(&app, "U0GUI", MAKERS, "Bin day finder").await;
    app.slash("U0MOLE", MAKERS, "join 1").await;
    app.clock.set("2026-11-16T09:00:30Z");
    let first = digests_reach(&app, 1).await;
    assert_eq!(
        give_and_take(&first[0]),
        Some(
            "Give and take across every Makers workspace: *Guildford Borough Council* took the lead on 1 new project · \
             *Mole Valley District Council* joined a team"
        ),
        "{}",
        first[0]
    );
    app
}

#[tokio::test]
async fn the_digest_tells_under_its_headline_how_each_councils_give_and_take_moved() {
    let app = a_week_of_guildford_and_mole_valley().await;
    app.clock.set("2026-11-17T10:00:00Z");
    // Waverley pitches #2 (its pitcher's own membership is not a join).
    pitch_and_wait(&app, "U0WAV", MAKERS, "Parking permits").await;
    // Mole Valley people join two teams; someone with no council joins one (no council moved).
    app.slash("U0MOLE", MAKERS, "join 2").await;
    app.slash("U0MOLE2", MAKERS, "join 1").await;
    app.slash("U0NOBODY", MAKERS, "join 2").await;
    // Guildford's #1 is re-used by Waverley and Brighton & Hove; Waverley's #2 by Brighton &
    // Hove and Mole Valley.
    for (who, project) in [("U0WAV", 1), ("U0BH", 1), ("U0BH", 2), ("U0MOLE", 2)] {
        let a = app.slash(who, MAKERS, &format!("reuse {project}")).await;
        assert!(a.said().starts_with("Recorded:"), "{}", a.said());
    }

    let preview = message_text(&app.slash("U1", DIGEST, "digest preview").await.json());
    assert!(
        preview.contains(
            "in their teams · 4 new re-uses by councils\n\
             Give and take across every Makers workspace: \
             *Waverley Borough Council* had its work re-used 2 times, took the lead on 1 new project and started re-using 1 project · \
             *Guildford Borough Council* had its work re-used 2 times · \
             *Mole Valley District Council* joined teams 2 times and started re-using 1 project · \
             *Brighton &amp; Hove City Council* started re-using 2 projects\n"
        ),
        "right under the headline, most giving first, names escaped: {preview}"
    );

    // The digest that goes out says the same.
    app.clock.set("2026-11-23T09:00:30Z");
    let posted = digests_reach(&app, 2).await;
    assert_eq!(give_and_take(&posted[1]), give_and_take(&preview));
}

#[tokio::test]
async fn a_handful_of_councils_are_named_and_the_rest_counted() {
    let app = a_week_of_guildford_and_mole_valley().await;
    app.clock.set("2026-11-17T10:00:00Z");
    // Seven councils each start re-using Guildford's #1.
    for name in [
        "Elmbridge",
        "Epsom",
        "Reigate",
        "Runnymede",
        "Spelthorne",
        "Tandridge",
        "Woking",
    ] {
        let who = format!("U0{}", name.to_uppercase());
        app.slash(&who, MAKERS, &format!("council {name} Borough Council"))
            .await;
        app.slash(&who, MAKERS, "reuse 1").await;
    }
    let preview = message_text(&app.slash("U1", DIGEST, "digest preview").await.json());
    assert_eq!(
        give_and_take(&preview),
        Some(
            "Give and take across every Makers workspace: *Guildford Borough Council* had its work re-used 7 times · \
             *Elmbridge Borough Council* started re-using 1 project · \
             *Epsom Borough Council* started re-using 1 project · \
             *Reigate Borough Council* started re-using 1 project · \
             *Runnymede Borough Council* started re-using 1 project · and 3 more councils"
        ),
        "{preview}"
    );
}

#[tokio::test]
async fn a_week_in_which_no_council_moved_has_no_give_and_take_line() {
    let app = a_week_of_guildford_and_mole_valley().await;
    // News, but none of it a council's: an update, a phase change, a join by someone who has
    // not said their council.
    app.clock.set("2026-11-17T10:00:00Z");
    app.slash("U0GUI", MAKERS, "update 1 Prototype is up").await;
    app.slash("U0GUI", MAKERS, "phase 1 alpha").await;
    app.slash("U0NOBODY", MAKERS, "join 1").await;
    app.clock.set("2026-11-23T09:00:30Z");
    let posted = digests_reach(&app, 2).await;
    assert!(
        posted[1].contains("Prototype is up") && posted[1].contains("Someone joined"),
        "{}",
        posted[1]
    );
    assert!(!posted[1].contains("Give and take"), "{}", posted[1]);
}
