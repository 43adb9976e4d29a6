//! Before building, what other workspaces have built: a search and a pitch name the services
//! other Slack workspaces have put in the public catalogue, as the catalogue shows them, with
//! their addresses (their teams cannot be joined from here; a council can re-use them).

use crate::helpers::*;

const HERE: &str = "T0ONE";
const THERE: &str = "T0TWO";

/// In the other workspace: Guildford's published bin day finder, an unpublished bin day
/// project (not public: never named here) and a published parking service.
async fn built_there(app: &TestApp) {
    app.slash_in(THERE, "U0BEN", "C2", "council Guildford Borough Council")
        .await;
    for (text, answer) in [
        (
            "pitch Bin day finder | Postcode in, bin days out",
            "Recorded as *#1",
        ),
        (
            "pitch Bin day secret pilot | Not ready to share",
            "Recorded as *#2",
        ),
        ("pitch Parking permits | Renew online", "Recorded as *#3"),
        (
            "publish 1",
            ":globe_with_meridians: *#1: Bin day finder* is now in",
        ),
        (
            "publish 3",
            ":globe_with_meridians: *#3: Parking permits* is now in",
        ),
    ] {
        let a = app.slash_in(THERE, "U0BEN", "C2", text).await;
        assert!(a.said().starts_with(answer), "{text}: {}", a.said());
        // No other workspace has used the bot yet: nobody else to see it.
        assert!(!a.said().contains("other Slack workspaces"), "{}", a.said());
    }
}

#[tokio::test]
async fn a_search_names_what_other_workspaces_published_after_its_own_projects() {
    let app = spawn_app().await;
    built_there(&app).await;
    // Here: a project of this workspace, published too (named once, as this workspace's).
    app.slash_in(
        HERE,
        "U0ANN",
        "C1",
        "pitch Bin day reminders | A text the night before",
    )
    .await;
    // Published while another workspace is served: its team is told who else will see it.
    let a = app.slash_in(HERE, "U0ANN", "C1", "publish 1").await;
    assert!(
        a.said().contains(
            "The other Slack workspaces I serve see it too: their searches, pitch answers and weekly digests name it, as the catalogue shows it (no names, mentions or e-mail addresses)."
        ),
        "{}",
        a.said()
    );
    // A council here re-uses the other workspace's service, by its address.
    app.slash_in(HERE, "U0ANN", "C1", "council Waverley Borough Council")
        .await;
    let a = app
        .slash_in(HERE, "U0ANN", "C1", "reuse bin-day-finder")
        .await;
    assert!(a.said().contains("Waverley"), "{}", a.said());

    let a = app.slash_in(HERE, "U0ANN", "C1", "search bin day").await;
    assert_eq!(a.json()["response_type"], "ephemeral");
    let blocks = a.blocks();
    assert!(
        blocks.starts_with(
            "*Projects matching “bin day”*, best first (and 1 published by another workspace, below)\n"
        ),
        "{blocks}"
    );
    assert!(
        blocks.contains("• *#1* Bin day reminders · in discovery"),
        "{blocks}"
    );
    let elsewhere = blocks
        .split_once("*Published by other workspaces*")
        .map(|(_, after)| after)
        .unwrap_or_else(|| panic!("no other workspaces' services: {blocks}"));
    assert_eq!(
        elsewhere,
        ", in the public catalogue (services holding every word you searched for):\n\
         • *Bin day finder* (`bin-day-finder` in the catalogue) · in discovery · Guildford Borough Council leads it · 1 council re-uses it\n\
         Its team works in its own workspace, so it can't be joined from here: `/makers show bin-day-finder` tells you more, and if your council re-uses it, `/makers reuse bin-day-finder` says so.\n"
    );
    for never in ["secret pilot", "Parking", "bin-day-reminders"] {
        assert!(!elsewhere.contains(never), "{never}: {elsewhere}");
    }

    // And the other way: the other workspace finds this one's published project, not its own
    // again.
    let a = app.slash_in(THERE, "U0BEN", "C2", "search bin day").await;
    let blocks = a.blocks();
    let (own, elsewhere) = blocks
        .split_once("*Published by other workspaces*")
        .unwrap_or_else(|| panic!("{blocks}"));
    assert!(
        own.contains("Bin day finder") && own.contains("Bin day secret pilot"),
        "{own}"
    );
    assert!(
        elsewhere.contains(
            "• *Bin day reminders* (`bin-day-reminders` in the catalogue) · in discovery · Waverley Borough Council leads it\n"
        ),
        "{elsewhere}"
    );
    assert!(!elsewhere.contains("finder"), "{elsewhere}");
}

/// Nothing here, something there: the answer says so rather than "no projects match", and
/// does not send the asker to pitch it before they have looked.
#[tokio::test]
async fn with_nothing_here_a_search_says_what_other_workspaces_built() {
    let app = spawn_app().await;
    built_there(&app).await;
    let a = app
        .slash_in(HERE, "U0ANN", "C1", "search finder of bin days")
        .await;
    // The notification line (the blocks' words follow it, for a screen reader).
    assert_eq!(
        a.said().lines().next(),
        Some(
            "No projects of this workspace match “finder bin days”. 1 service published by another workspace matches, in the public catalogue."
        )
    );
    let blocks = a.blocks();
    assert!(
        blocks.starts_with(
            "No projects of this workspace match “finder bin days”.\n*Published by other workspaces*"
        ),
        "{blocks}"
    );
    assert!(
        blocks.contains("`bin-day-finder` in the catalogue"),
        "{blocks}"
    );

    // Nothing anywhere: as before.
    let a = app
        .slash_in(HERE, "U0ANN", "C1", "search zebra crossings")
        .await;
    assert!(
        a.said()
            .starts_with("No projects match “zebra crossings”. `/makers list`"),
        "{}",
        a.said()
    );
    // A word only the unpublished project holds finds nothing here.
    let a = app
        .slash_in(HERE, "U0ANN", "C1", "search secret pilot")
        .await;
    assert!(a.said().starts_with("No projects match"), "{}", a.said());
}

/// More than three: the best three, and the catalogue's own search for the rest, linked only
/// where people can reach the catalogue.
#[tokio::test]
async fn more_than_three_link_the_catalogues_own_search() {
    for (public, more) in [
        (
            "https://makers.example.gov.uk",
            "More match: <https://makers.example.gov.uk/catalogue?q=bins|the public catalogue> lists them all.",
        ),
        ("", "More match: another word narrows them."),
    ] {
        let app = match public {
            "" => spawn_app().await,
            url => spawn_app_setting("MAKERS_PUBLIC_URL", url).await,
        };
        for i in 1..=4 {
            app.slash_in(THERE, "U0BEN", "C2", &format!("pitch Bins round {i}"))
                .await;
            let a = app
                .slash_in(THERE, "U0BEN", "C2", &format!("publish {i}"))
                .await;
            assert_eq!(a.status, 200);
        }
        let a = app.slash_in(HERE, "U0ANN", "C1", "search bins").await;
        let blocks = a.blocks();
        assert_eq!(
            blocks.matches("` in the catalogue) · in discovery").count()
                + blocks.matches("`) · in discovery").count(),
            3,
            "{blocks}"
        );
        assert!(blocks.contains(more), "{blocks}");
        assert!(
            blocks.contains("`/makers reuse &lt;address&gt;`"),
            "{blocks}"
        );
    }
}

/// A pitch whose title another workspace's published service holds in full is told of it,
/// under the workspace's own similar projects; a retired one is not offered to re-use.
#[tokio::test]
async fn a_pitch_is_told_what_another_workspace_has_built_like_it() {
    let app = spawn_app().await;
    built_there(&app).await;
    let a = app
        .slash_in(HERE, "U0ANN", "C1", "pitch Bin day finder | For Waverley")
        .await;
    assert_eq!(a.json()["response_type"], "ephemeral");
    let blocks = a.blocks();
    assert!(
        blocks.starts_with("Recorded as *#1: Bin day finder*"),
        "{blocks}"
    );
    assert!(
        blocks.contains(
            "*Another workspace has published one like it* in the public catalogue: before building your own, see whether its work would do for your council.\n\
             • *Bin day finder* (`bin-day-finder` in the catalogue) · in discovery · Guildford Borough Council leads it\n\
             Its team works in its own workspace, so it can't be joined from here: `/makers show bin-day-finder` tells you more"
        ),
        "{blocks}"
    );
    assert!(!blocks.contains("secret pilot"), "{blocks}");
    // No button: nothing can be joined across workspaces.
    assert!(
        !a.body.contains("accessory") && !a.body.contains("\"actions\""),
        "{}",
        a.body
    );
    // The notification line (the blocks' words follow it, for a screen reader).
    assert!(
        a.said()
            .lines()
            .next()
            .unwrap()
            .ends_with("1 service in the public catalogue, from another workspace, looks like it."),
        "{}",
        a.said()
    );

    // Here, a second pitch like it is told of both: this workspace's with its Join button
    // first, then the other workspace's.
    let a = app
        .slash_in(HERE, "U0CAT", "C1", "pitch Finder for bin day")
        .await;
    let blocks = a.blocks();
    let ours = blocks.find("Someone may already be doing this").unwrap();
    let theirs = blocks
        .find("*Another workspace has published one like it*")
        .unwrap();
    assert!(ours < theirs, "{blocks}");

    // Retired there: no longer offered at a pitch, still found by a search, last.
    app.slash_in(THERE, "U0BEN", "C2", "phase 1 retired").await;
    let a = app
        .slash_in(HERE, "U0DAN", "C1", "pitch Bin day finder")
        .await;
    assert!(a.said().starts_with("Recorded as *#3"), "{}", a.said());
    assert!(!a.body.contains("bin-day-finder"), "{}", a.body);
    let a = app
        .slash_in(HERE, "U0DAN", "C1", "search bin day finder")
        .await;
    assert!(
        a.blocks()
            .contains("(`bin-day-finder` in the catalogue) · retired · Guildford"),
        "{}",
        a.blocks()
    );
}

/// A title's emoji code is an emoji as the catalogue shows it, which no search holds as a
/// word: the same ":recycle: Bin day finder" pitched in another workspace is offered, as is
/// one here without the emoji. A link's address and a mention's id are no words either: the
/// catalogue shows neither. ("recycle", "https" and "u0ann" were words every match had to
/// hold, so the service the look exists to find was never offered.)
#[tokio::test]
async fn a_pitch_with_an_emoji_code_is_told_of_the_same_service_elsewhere() {
    let app = spawn_app().await;
    for text in ["pitch :recycle: Bin day finder", "publish 1"] {
        let a = app.slash_in(THERE, "U0BEN", "C2", text).await;
        assert_eq!(a.status, 200, "{}", a.body);
    }
    app.slash_in(HERE, "U0ANN", "C1", "pitch Bin collection day finder")
        .await;
    let a = app
        .slash_in(HERE, "U0CAT", "C1", "pitch :recycle: Bin day finder")
        .await;
    let blocks = a.blocks();
    assert!(
        blocks.contains("*Another workspace has published one like it*")
            && blocks.contains("• *♻️ Bin day finder* ("),
        "{blocks}"
    );
    assert!(
        blocks.contains("Someone may already be doing this")
            && blocks.contains("Bin collection day finder"),
        "{blocks}"
    );
    let a = app
        .slash_as_sent_in(
            HERE,
            "U0DAN",
            "C1",
            "pitch <https://bins.example/finder|Bin day> finder for <@U0ANN|ann>",
        )
        .await;
    let blocks = a.blocks();
    assert!(
        blocks.contains("*Another workspace has published one like it*")
            && blocks.contains("• *♻️ Bin day finder* ("),
        "{blocks}"
    );
}

/// A search's emoji code is the emoji, as a title's is and the catalogue shows it: no word.
/// `:recycle: bin day` finds another workspace's "♻️ Bin day finder" by command, by mention
/// and on the catalogue (it wanted the word "recycle" too, which no shown name holds), and
/// a search of nothing but emoji has nothing to look for.
#[tokio::test]
async fn a_search_reads_an_emoji_code_as_the_emoji_shown() {
    let app = spawn_app().await;
    for text in ["pitch :recycle: Bin day finder", "publish 1"] {
        let a = app.slash_in(THERE, "U0BEN", "C2", text).await;
        assert_eq!(a.status, 200, "{}", a.body);
    }
    let blocks = app
        .slash_in(HERE, "U0CAT", "C1", "search :recycle: bin day")
        .await
        .blocks();
    assert!(blocks.contains("• *♻️ Bin day finder* ("), "{blocks}");
    let e = mention(
        "EvSearchEmoji",
        "U0DAN",
        "C0ASK",
        "1700000100.000500",
        "search :recycle: bin day",
    );
    assert_eq!(app.event(&e).await.status, 200);
    let said = crate::mention::wait_for_reply_in(&app, "C0ASK", 1).await;
    let answer = message_text(&said[0].body);
    assert!(answer.contains("♻️ Bin day finder"), "{answer}");
    let q = serde_urlencoded::to_string([("q", ":recycle: bin day")]).unwrap();
    assert_eq!(
        crate::catalogue::names_found(&app, &q).await,
        ["♻️ Bin day finder"]
    );

    let a = app
        .slash_in(HERE, "U0CAT", "C1", "search :recycle: :tada:")
        .await;
    assert!(
        a.said().starts_with("What should I look for?"),
        "{}",
        a.said()
    );
    let a = crate::catalogue::get(&app, "/catalogue.json?q=%3Arecycle%3A").await;
    assert_eq!(a.status, 400, "{}", a.body);
}

/// What another workspace typed reaches here only as the catalogue shows it: a title's
/// `<!channel>` is not there to be escaped, let alone to notify anyone, and nobody is named.
#[tokio::test]
async fn only_what_the_catalogue_shows_comes_across() {
    let app = spawn_app().await;
    let a = app
        .slash_as_sent_in(
            THERE,
            "U0BEN",
            "C2",
            "pitch <!channel> Bin day finder :wastebasket: | Ask <@U0BEN> or ben@guildford.gov.uk",
        )
        .await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert!(a.said().starts_with("Recorded as"), "{}", a.said());
    let a = app.slash_in(THERE, "U0BEN", "C2", "publish 1").await;
    assert!(a.said().contains("catalogue"), "{}", a.said());
    let a = app
        .slash_in(HERE, "U0ANN", "C1", "search bin day finder")
        .await;
    let blocks = a.blocks();
    assert!(blocks.contains("• *Bin day finder 🗑️* ("), "{blocks}");
    for never in ["<!channel>", "&lt;!channel&gt;", "U0BEN", "ben@"] {
        assert!(!a.body.contains(never), "{never}: {}", a.body);
    }
    // The description's address is not even searchable from here.
    let a = app
        .slash_in(HERE, "U0ANN", "C1", "search guildford gov")
        .await;
    assert!(!a.body.contains("bin-day-finder"), "{}", a.body);
}

/// Pitched by mention, the answer in the thread is for everyone; what looks like it, here or
/// in the catalogue, comes to the pitcher alone, as the slash command's answer does.
#[tokio::test]
async fn a_pitch_by_mention_is_told_privately_what_another_workspace_built() {
    let app = spawn_app().await;
    built_there(&app).await;
    app.event(&mention(
        "EvELSE",
        "U0PITCHER",
        "C0CHAT",
        "1700000100.000900",
        "pitch Bin day finder",
    ))
    .await;
    let private = app.slack.wait_for("chat.postEphemeral", 1, SHORT).await;
    assert_eq!(private[0].body["user"], "U0PITCHER");
    let text = message_text(&private[0].body);
    assert!(
        text.contains("*Another workspace has published one like it*")
            && text.contains("`bin-day-finder` in the catalogue"),
        "{text}"
    );
    app.outbox_settled().await;
    let thread = crate::progress::thread(&app, "1700000100.000900", 1).await;
    assert_eq!(thread.len(), 1, "{thread:?}");
    assert!(
        thread[0].contains("Recorded as *#1: Bin day finder*"),
        "{thread:?}"
    );
    assert!(!thread[0].contains("bin-day-finder"), "{thread:?}");
}

/// The weekly digest names, last, what other workspaces put in the catalogue that week: not
/// before it, not retired, not the channel's own workspace's (its own news says those).
#[tokio::test]
async fn the_digest_names_what_other_workspaces_published_that_week() {
    let app = spawn_app().await;
    app.clock.set("2026-10-01T11:00:00Z");
    app.slash_in(THERE, "U0BEN", "C2", "council Guildford Borough Council")
        .await;
    // Before the digests' period: not their news.
    app.slash_in(THERE, "U0BEN", "C2", "pitch Parking permits | Renew online")
        .await;
    app.slash_in(THERE, "U0BEN", "C2", "publish 1").await;
    app.clock.set("2026-11-10T12:00:00Z");
    let a = app.slash_in(HERE, "U0ANN", "C1", "digest").await;
    assert_eq!(a.status, 200);
    app.slash_in(THERE, "U0BEN", "C2", "digest").await;

    app.clock.set("2026-11-17T10:00:00Z");
    for text in [
        "pitch Bin day finder | Postcode in, bin days out",
        "publish 2",
        "pitch Garden waste | Renewals",
        "publish 3",
        "phase 3 retired",
        "pitch Secret pilot | Not shared",
    ] {
        let a = app.slash_in(THERE, "U0BEN", "C2", text).await;
        assert_eq!(a.status, 200, "{text}");
    }
    app.slash_in(HERE, "U0ANN", "C1", "pitch Street lights | Report one")
        .await;
    app.slash_in(HERE, "U0ANN", "C1", "publish 1").await;

    let preview = app
        .slash_in(HERE, "U0ANN", "C1", "digest preview")
        .await
        .blocks();
    let section = preview
        .split_once("*New from other workspaces*")
        .map(|(_, after)| after)
        .unwrap_or_else(|| panic!("{preview}"));
    assert!(
        section.starts_with(
            ", in the public catalogue: worth a look before building your own\n\
             • *Bin day finder* (`bin-day-finder` in the catalogue) · in discovery · Guildford Borough Council leads it\n"
        ),
        "{preview}"
    );
    for never in ["Parking", "Garden", "Secret", "street-lights"] {
        assert!(!section.contains(never), "{never}: {section}");
    }
    // The other workspace's digest has its own news, and this one's service.
    let theirs = app
        .slash_in(THERE, "U0BEN", "C2", "digest preview")
        .await
        .blocks();
    let (own, elsewhere) = theirs
        .split_once("*New from other workspaces*")
        .unwrap_or_else(|| panic!("{theirs}"));
    assert!(own.contains("Bin day finder"), "{own}");
    assert!(
        elsewhere.contains("`street-lights` in the catalogue"),
        "{elsewhere}"
    );
    assert!(!elsewhere.contains("bin-day-finder"), "{elsewhere}");
}

/// `show <address>` of another workspace's service tells what its catalogue page says, in
/// Slack: the catalogue's public text, escaped, and nobody named.
#[tokio::test]
async fn show_by_address_tells_another_workspaces_service_as_its_page_does() {
    let app = spawn_app().await;
    app.clock.set("2026-11-17T10:00:00Z");
    app.slash_in(THERE, "U0BEN", "C2", "council Guildford Borough Council")
        .await;
    app.slash_in(THERE, "U0CAR", "C2", "council Mole Valley DC")
        .await;
    let a = app
        .slash_as_sent_in(
            THERE,
            "U0BEN",
            "C2",
            "pitch Bin day finder | Postcode in, bins out &amp; <!here> ask <@U0BEN> or ben@guildford.gov.uk",
        )
        .await;
    assert!(a.said().starts_with("Recorded as"), "{}", a.said());
    for text in ["publish 1", "link 1 code https://github.com/guildford/bins"] {
        let a = app.slash_in(THERE, "U0BEN", "C2", text).await;
        assert_eq!(a.status, 200, "{text}");
    }
    app.slash_in(THERE, "U0CAR", "C2", "join 1").await;
    app.slash_in(HERE, "U0ANN", "C1", "council Waverley Borough Council")
        .await;
    let a = app
        .slash_in(
            HERE,
            "U0ANN",
            "C1",
            "reuse bin-day-finder | On our <web> & app",
        )
        .await;
    assert!(a.said().starts_with("Recorded"), "{}", a.said());

    let a = app
        .slash_in(HERE, "U0DAN", "C1", "show bin-day-finder")
        .await;
    let blocks = a.blocks();

    let expected = "*Bin day finder* (`bin-day-finder` in the catalogue), a project of another Slack workspace\n\
         Postcode in, bins out &amp; ask someone or (e-mail removed)\n\
         *Phase:* discovery\n\
         *Lead council:* Guildford Borough Council\n\
         *Councils in the team:* Guildford Borough Council, Mole Valley District Council\n\
         *Pitched:* 17 Nov 2026\n\
         *Last news:* 17 Nov 2026\n";
    assert!(blocks.starts_with(expected), "{blocks}");
    assert!(
        blocks.contains(
            "*Re-used by 1 council:*\n• Waverley Borough Council (since 17 Nov 2026): On our &lt;web&gt; &amp; app\n"
        ),
        "{blocks}"
    );
    assert!(
        blocks.contains(
            "*Code:* <https://github.com/guildford/bins|https://github.com/guildford/bins>\n"
        ),
        "{blocks}"
    );
    for never in ["U0BEN", "U0CAR", "ben@", "<!here>", "&lt;!here"] {
        assert!(!a.body.contains(never), "{never}: {}", a.body);
    }
    assert!(
        blocks.ends_with("`/makers reuse bin-day-finder` says so.\n"),
        "{blocks}"
    );
    // Asked by someone whose council re-uses it: said, with how to take it back.
    let a = app
        .slash_in(HERE, "U0ANN", "C1", "show bin-day-finder")
        .await;
    assert!(
        a.blocks().ends_with(
            "Waverley Borough Council re-uses it already (`/makers unreuse bin-day-finder` takes that back, if it was said in this workspace). Its team works in its own workspace, so it can't be joined from here.\n"
        ),
        "{}",
        a.blocks()
    );
}

/// The other workspace's services built, and this workspace's digest (which names them)
/// queued while Slack refuses posts, so that it waits in the outbox.
async fn digest_queued_here() -> TestApp {
    let app = spawn_app().await;
    app.slash_in(HERE, "U0ANN", "C1", "digest").await;
    built_there(&app).await;
    app.outbox_settled().await;
    crate::digests::hold_the_next_digest(&app).await;
    app
}

/// Taken out of the catalogue (unpublished by its team, or taken down by whoever runs the
/// bot), a service is named nowhere in other workspaces any more: not by a search, a pitch,
/// `show` or a digest, nor by a digest already queued while Slack was down.
#[tokio::test]
async fn a_service_taken_out_of_the_catalogue_is_named_nowhere_else() {
    let app = digest_queued_here().await;
    let digest_row = || crate::digests::queued_digest(&app);
    assert!(digest_row().contains("bin-day-finder"), "{}", digest_row());
    assert!(digest_row().contains("parking-permits"), "{}", digest_row());

    let a = app.slash_in(THERE, "U0BEN", "C2", "unpublish 1").await;
    assert_eq!(a.status, 200);
    let row = digest_row();
    assert!(
        !row.contains("bin-day-finder") && row.contains("parking-permits"),
        "{row}"
    );
    let a = app.slash_in(HERE, "U0ANN", "C1", "search bin day").await;
    assert!(!a.body.contains("bin-day-finder"), "{}", a.body);
    let a = app
        .slash_in(HERE, "U0CAT", "C1", "pitch Bin day finder")
        .await;
    assert!(a.said().starts_with("Recorded as"), "{}", a.said());
    assert!(!a.body.contains("bin-day-finder"), "{}", a.body);
    let a = app
        .slash_in(HERE, "U0ANN", "C1", "show bin-day-finder")
        .await;
    assert!(
        a.said()
            .starts_with("No service in the public catalogue is at `bin-day-finder`"),
        "{}",
        a.said()
    );

    // Taken down by whoever runs the bot: the same.
    let a = app.slash_in(HERE, "U0ANN", "C1", "search parking").await;
    assert!(a.body.contains("parking-permits"), "{}", a.body);
    crate::binary::beside_ok(
        &app,
        &[
            "takedown",
            "--team",
            THERE,
            "--project",
            "3",
            "--reason",
            "Names a supplier",
        ],
    );
    assert!(
        !digest_row().contains("parking-permits"),
        "{}",
        digest_row()
    );
    // (Another process's write: the bot's kept answers go once it sees it, within seconds.)
    let mut body = String::new();
    for _ in 0..50 {
        body = app
            .slash_in(HERE, "U0ANN", "C1", "search parking")
            .await
            .body;
        if !body.contains("parking-permits") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(!body.contains("parking-permits"), "{body}");
}

/// A workspace that removed the app and is erased takes its services out of the digests
/// still waiting in other workspaces, as an unpublish does.
#[tokio::test]
async fn an_erased_workspace_is_named_in_no_digest_still_to_go() {
    let app = digest_queued_here().await;
    let digest_row = || crate::digests::queued_digest(&app);
    assert!(
        digest_row().contains("bin-day-finder") && digest_row().contains("parking-permits"),
        "{}",
        digest_row()
    );
    app.db()
        .execute(
            "INSERT INTO removed_workspaces (team_id, removed_at) VALUES (?1, 0)",
            [THERE],
        )
        .unwrap();
    crate::binary::beside_ok(&app, &["erase", "--team", THERE, "--yes"]);
    let row = digest_row();
    assert!(
        !row.contains("bin-day-finder") && !row.contains("parking-permits"),
        "{row}"
    );
    // The digest itself is still to go, with the rest of its news.
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM outbox WHERE json_extract(notice, '$.notice.kind') = 'digest'"
        ),
        1
    );
}

/// Renamed by its team, a service is named anew in the digests still waiting in other
/// workspaces, as the catalogue names it (its address stays).
#[tokio::test]
async fn a_renamed_service_is_named_anew_in_digests_still_to_go_elsewhere() {
    let app = digest_queued_here().await;
    let digest_row = || crate::digests::queued_digest(&app);
    assert!(digest_row().contains("Bin day finder"), "{}", digest_row());

    let a = app
        .slash_in(THERE, "U0BEN", "C2", "edit 1 Bin collection finder")
        .await;
    assert_eq!(a.status, 200);
    let row = digest_row();
    assert!(
        row.contains("Bin collection finder")
            && !row.contains("Bin day finder")
            && row.contains("bin-day-finder")
            && row.contains("Parking permits"),
        "{row}"
    );
}
