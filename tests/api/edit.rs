//! `edit`: the team corrects a pitch's title and description, and everything that shows the
//! project reads the new words.

use crate::helpers::*;
use crate::progress::thread as thread_reaches;
use crate::teams::thread_lines;

const PITCHER: &str = "U0PITCHER";
const CHANNEL: &str = "C0MAKERS";

#[tokio::test]
async fn the_team_corrects_a_pitch_and_lists_search_and_the_catalogue_follow() {
    let app = spawn_app().await;
    let ts = pitch_and_wait(
        &app,
        PITCHER,
        CHANNEL,
        "Bin day fnder | Which day the zebra collects",
    )
    .await;
    app.slash(PITCHER, CHANNEL, "publish 1").await;
    thread_reaches(&app, &ts, 1).await;

    let outsider = app.slash("U0OUT", CHANNEL, "edit 1 Mine now").await.text();
    assert!(outsider.contains("Only the team"), "{outsider}");

    let a = app.slash(PITCHER, CHANNEL, "edit #1 Bin day finder").await;
    assert_eq!(a.json()["response_type"], "ephemeral");
    let a = a.text();
    assert!(
        a.contains("Done: #1 is now called *Bin day finder*.")
            && a.contains("correcting its announcement"),
        "{a}"
    );
    let lines = thread_reaches(&app, &ts, 2).await;
    assert!(
        lines[1]
            .contains("<@U0PITCHER> renamed *#1* to *Bin day finder* (it was _Bin day fnder_)."),
        "{lines:?}"
    );
    // The announcement itself now reads the new title, its description kept.
    let corrected = app.slack.wait_for("chat.update", 1, SHORT).await;
    assert_eq!(corrected[0].body["channel"], CHANNEL);
    assert_eq!(corrected[0].body["ts"], ts.as_str());
    let text = message_text(&corrected[0].body);
    assert!(
        text.contains("#1: Bin day finder*") && text.contains("Which day the zebra collects"),
        "{text}"
    );
    let shown = app.slash("U0OUT", CHANNEL, "show 1").await.text();
    assert!(
        shown.contains("Bin day finder") && !shown.contains("Bin day fnder"),
        "{shown}"
    );
    assert!(
        shown.contains("Which day the zebra collects"),
        "the description stays: {shown}"
    );
    let found = app.slash("U0OUT", CHANNEL, "search finder").await.text();
    assert!(found.contains("Bin day finder"), "{found}");
    let page = app
        .request("GET", "/catalogue/bin-day-fnder", &[], "")
        .await;
    assert_eq!(page.status, 200, "its catalogue address stays");
    assert!(
        page.body.contains("Bin day finder") && !page.body.contains("day fnder"),
        "{}",
        page.body
    );

    // A member who joined corrects the description; the thread quotes it, pinging nobody.
    app.slash("U0BOB", CHANNEL, "join 1").await;
    let a = app
        .slash(
            "U0BOB",
            CHANNEL,
            "edit 1 Bin day finder | One lookup & <!channel> for all, ask <@U0CAROL>",
        )
        .await
        .text();
    assert!(a.contains("has its new description"), "{a}");
    let lines = thread_reaches(&app, &ts, 4).await;
    let line = lines
        .iter()
        .find(|l| l.contains("Its description now reads"))
        .unwrap();
    assert!(
        line.contains("<@U0BOB> edited the pitch of *#1: Bin day finder*.")
            && line.contains("> One lookup &amp;")
            && !line.contains("<!channel>")
            && !line.contains("<@U0CAROL>"),
        "{line}"
    );
    let gone = app.slash("U0OUT", CHANNEL, "search zebra").await.text();
    assert!(
        !gone.contains("Bin day finder"),
        "the old description is not found: {gone}"
    );
    let json = app
        .request("GET", "/catalogue.json?q=lookup", &[], "")
        .await;
    assert!(json.body.contains("Bin day finder"), "{}", json.body);

    let corrected = app.slack.wait_for("chat.update", 2, SHORT).await;
    let text = message_text(&corrected[1].body);
    assert!(
        text.contains("One lookup &amp;")
            && !text.contains("zebra")
            && !text.contains("<!channel>"),
        "{text}"
    );

    // The same words again change nothing and tell nobody.
    let a = app
        .slash(
            PITCHER,
            CHANNEL,
            "edit 1 Bin day finder | One lookup & <!channel> for all, ask <@U0CAROL>",
        )
        .await
        .text();
    assert!(a.contains("already reads exactly so"), "{a}");
    app.marker_posted().await;
    assert_eq!(
        thread_lines(&app, &ts).len(),
        lines.len(),
        "nothing more in the thread"
    );
    assert_eq!(
        app.slack.calls("chat.update").len(),
        2,
        "nor in the announcement"
    );

    let a = app
        .slash(PITCHER, CHANNEL, "edit 1 Bin day finder |")
        .await
        .text();
    assert!(
        a.contains("*#1: Bin day finder* has no description now"),
        "{a}"
    );
    let lines = thread_reaches(&app, &ts, lines.len() + 1).await;
    assert!(
        lines
            .last()
            .unwrap()
            .contains("It no longer has a description."),
        "{lines:?}"
    );

    let a = app.slash(PITCHER, CHANNEL, "edit 1").await.text();
    assert!(a.contains("What should project #1 be called?"), "{a}");
}

/// Corrected before its announcement is out (Slack down): the announcement goes out with the
/// new words (a correction follows all the same, in case the worker had it in hand), then
/// the thread says what changed; the answer said it would be so.
#[tokio::test]
async fn a_pitch_corrected_before_it_is_announced_is_announced_then_corrected() {
    let app = spawn_app().await;
    // The edit finds the announcement waiting, not on its way (that race has the correction
    // to mend it).
    pitch_while_slack_is_down(&app, PITCHER, CHANNEL, "Bin day fnder").await;
    let a = app
        .slash(PITCHER, CHANNEL, "edit 1 Bin day finder")
        .await
        .text();
    assert!(
        a.contains("Its announcement is not posted yet: it will go out with the new words"),
        "{a}"
    );
    let (announcement, updated) = heal_and_announce(&app).await;
    assert!(message_text(&announcement.body).contains("#1: Bin day finder*"));
    let ts = announcement.body["_ts"].as_str().unwrap().to_string();
    assert_eq!(
        updated.body["ts"],
        ts.as_str(),
        "the announcement is corrected"
    );
    assert!(message_text(&updated.body).contains("#1: Bin day finder*"));
    let lines = thread_reaches(&app, &ts, 1).await;
    assert!(
        lines[0].contains("renamed *#1* to *Bin day finder*"),
        "{lines:?}"
    );
}

/// The announcement deleted in Slack: the correction cannot be made, and whoever edited is
/// told privately (their answer said it was being made); the edit itself stands.
#[tokio::test]
async fn a_correction_slack_refuses_is_told_to_the_editor() {
    let app = spawn_app().await;
    let ts = pitch_and_wait(&app, PITCHER, CHANNEL, "Bin day fnder").await;
    app.slash("U0BOB", CHANNEL, "join 1").await;
    app.slack
        .script("chat.update", Script::Error("message_not_found"));
    app.slash("U0BOB", CHANNEL, "edit 1 Bin day finder").await;
    let dm = eventually("the note to the editor", SHORT, || {
        app.slack
            .calls("chat.postMessage")
            .into_iter()
            .find(|c| c.body["channel"] == "U0BOB")
    })
    .await;
    let text = message_text(&dm.body);
    assert!(
        text.contains("could not correct its announcement (it has been deleted)"),
        "{text}"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM projects WHERE title = 'Bin day finder'"),
        1
    );
    assert!(
        thread_reaches(&app, &ts, 2).await[1].contains("renamed *#1*"),
        "the thread is told all the same"
    );
}

/// A 429 on `chat.update` is that method's limit: the correction waits it out, and the
/// workspace's other posts go on.
#[tokio::test]
async fn a_rate_limited_correction_holds_itself_not_the_workspace() {
    let app = spawn_app().await;
    pitch_and_wait(&app, PITCHER, CHANNEL, "Bin day fnder").await;
    app.slack.always("chat.update", Script::RateLimited(30));
    app.slash(PITCHER, CHANNEL, "edit 1 Bin day finder").await;
    app.slack.wait_for("chat.update", 1, SHORT).await;
    the_workspace_still_posts(&app, PITCHER).await;
    // Held: not tried again while its wait lasts (30 s; the clock has not moved).
    assert_eq!(app.slack.calls("chat.update").len(), 1);
}

/// Corrected while its announcement waits for the bot to be invited to a private channel:
/// once invited, the announcement goes out with the new words, and the thread says so.
#[tokio::test]
async fn a_pitch_corrected_while_it_waits_for_an_invitation_goes_out_corrected() {
    let app = spawn_app().await;
    next_post_is_in_a_private_channel(&app);
    app.slash(PITCHER, "C0PRIVATE", "pitch Hush hsuh").await;
    // Refused, and the pitcher told how to invite the bot.
    app.slack.wait_for("chat.postMessage", 2, SHORT).await;
    let a = app
        .slash(PITCHER, "C0PRIVATE", "edit 1 Hush hush")
        .await
        .text();
    assert!(a.contains("it will go out with the new words"), "{a}");
    app.outbox_settled().await;
    assert_eq!(
        app.event(&bot_joined("EvJoin1", "C0PRIVATE")).await.status,
        200
    );
    app.slack.wait_for("chat.update", 1, SHORT).await;
    let announcement = app
        .slack
        .calls("chat.postMessage")
        .into_iter()
        .find(|c| c.body["channel"] == "C0PRIVATE" && c.body["_answered_ok"] == true)
        .expect("the announcement");
    let text = message_text(&announcement.body);
    assert!(
        text.contains("#1: Hush hush*") && !text.contains("hsuh"),
        "{text}"
    );
    let ts = announcement.body["_ts"].as_str().unwrap().to_string();
    let lines = thread_reaches(&app, &ts, 1).await;
    assert!(
        lines[0].contains("renamed *#1* to *Hush hush*"),
        "{lines:?}"
    );
}

/// A correction set aside until the bot is invited back (it was taken out of the channel),
/// then a newer one delivered (the bot back in another way before Slack's event of it): the
/// older, requeued by the invitation, would be posted last and undo the newer. Each carries
/// the whole announcement, so a new one takes back those still to be posted.
#[tokio::test]
async fn a_correction_set_aside_does_not_undo_a_newer_one() {
    let app = spawn_app().await;
    let ts = pitch_and_wait(&app, PITCHER, "C0PUB", "Bin day finder").await;
    // Taken out of the channel: the thread's lines wait too (a post that went through there
    // would bring back what waits).
    app.slack.bot_in_no_channel();
    app.slack
        .script("chat.update", Script::Error("channel_not_found"));
    app.slash(PITCHER, "C0PUB", "edit 1 Bin day finder for Kent")
        .await;
    app.outbox_settled().await;
    let set_aside = "SELECT COUNT(*) FROM outbox WHERE last_error = 'not_in_channel'
                     AND notice LIKE '%announcement_corrected%'";
    assert_eq!(
        app.count(set_aside),
        1,
        "the rename waits for an invitation"
    );
    // Whoever renamed it was told it was done: they hear it waits, and why.
    let told = dms_to(&app, PITCHER);
    assert!(
        told.iter()
            .any(|t| t.contains("could not correct its announcement")
                && t.contains("no longer a member of its channel")
                && t.contains("/invite @Makers")),
        "{told:?}"
    );
    app.slash(PITCHER, "C0PUB", "phase 1 retired").await;
    app.outbox_settled().await;
    assert_eq!(app.count(set_aside), 0, "replaced by the newer correction");
    let before = app.slack.calls("chat.update").len();
    app.event(&bot_joined("EvJoin1", "C0PUB")).await;
    app.outbox_settled().await;
    let updates = app.slack.calls("chat.update");
    assert_eq!(
        updates.len(),
        before,
        "nothing older posted after it: {updates:?}"
    );
    let last = updates.last().expect("the newer correction");
    assert_eq!(last.body["ts"], ts.as_str());
    let text = message_text(&last.body);
    assert!(
        text.contains("Bin day finder for Kent") && text.contains("retired"),
        "{text}"
    );
}

/// An announcement Slack refused for good leaves no thread and no message to correct: an edit
/// stands, says so, and asks Slack for nothing.
#[tokio::test]
async fn an_edit_after_the_announcement_was_refused_stands_and_says_there_is_no_thread() {
    let app = spawn_app().await;
    app.slack
        .script("chat.postMessage", Script::Error("restricted_action"));
    app.slash(PITCHER, "C0ADMINS", "pitch Bin day fnder").await;
    // Refused, and the pitcher told.
    app.slack.wait_for("chat.postMessage", 2, SHORT).await;
    app.outbox_settled().await;
    let a = app
        .slash(PITCHER, "C0ADMINS", "edit 1 Bin day finder")
        .await
        .text();
    assert!(
        a.contains("Done: #1 is now called *Bin day finder*.")
            && a.contains("Its announcement could not be posted, so it has no thread to tell."),
        "{a}"
    );
    app.outbox_settled().await;
    assert!(
        app.slack.calls("chat.update").is_empty(),
        "nothing to correct"
    );
    assert_eq!(app.slack.calls("chat.postMessage").len(), 2);
    let shown = app.slash("U0OUT", "C0ADMINS", "show 1").await.text();
    assert!(shown.contains("Bin day finder"), "{shown}");
}

/// Whoever edited asks to be forgotten while the correction waits (Slack down): it still goes
/// out, naming nobody, and nothing queued keeps their id; they are not told of anything.
#[tokio::test]
async fn a_correction_waiting_when_its_editor_is_forgotten_goes_out_naming_nobody() {
    let app = spawn_app().await;
    let ts = pitch_and_wait(&app, PITCHER, CHANNEL, "Bin day fnder").await;
    app.slash("U0BOB", CHANNEL, "join 1").await;
    thread_reaches(&app, &ts, 1).await;
    app.slack.always("chat.update", Script::Status(503));
    app.slash("U0BOB", CHANNEL, "edit 1 Bin day finder").await;
    app.slack.wait_for("chat.update", 1, SHORT).await;
    let a = app.slash("U0BOB", CHANNEL, "forget me").await.text();
    assert!(a.contains("out of every team"), "{a}");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE instr(notice, 'U0BOB')"),
        0,
        "nothing queued names them"
    );
    app.slack.heal("chat.update");
    let fixed = eventually("the correction made", SHORT, || {
        app.slack
            .calls("chat.update")
            .into_iter()
            .find(|c| c.answer["ok"] == true)
    })
    .await;
    assert!(message_text(&fixed.body).contains("#1: Bin day finder*"));
    app.outbox_settled().await;
    assert!(
        app.slack
            .calls("chat.postMessage")
            .iter()
            .all(|c| c.body["channel"] != "U0BOB"),
        "nothing told to the forgotten editor"
    );
}

/// `edit 1 | new words` changes the description alone: the title stays, as nobody renamed it.
#[tokio::test]
async fn an_edit_with_nothing_before_the_bar_keeps_the_title() {
    let app = spawn_app().await;
    let ts = pitch_and_wait(&app, PITCHER, CHANNEL, "Bin day finder | Old words").await;
    let a = app
        .slash(PITCHER, CHANNEL, "edit 1 | Which day each bin goes")
        .await
        .text();
    assert!(
        a.contains("has its new description") && !a.contains("is now called"),
        "{a}"
    );
    let lines = thread_reaches(&app, &ts, 1).await;
    assert!(
        lines[0].contains("edited the pitch of *#1: Bin day finder*")
            && !lines[0].contains("renamed"),
        "{lines:?}"
    );
    let shown = app.slash("U0OUT", CHANNEL, "show 1").await.text();
    assert!(
        shown.contains("Bin day finder") && shown.contains("Which day each bin goes"),
        "{shown}"
    );
    let corrected = app.slack.wait_for("chat.update", 1, SHORT).await;
    let text = message_text(&corrected[0].body);
    assert!(
        text.contains("#1: Bin day finder*") && text.contains("Which day each bin goes"),
        "{text}"
    );
}

/// A digest queued while Slack is down, then the pitch in it edited: it goes out with the
/// new title and description, not the words the team replaced.
#[tokio::test]
async fn a_digest_still_to_be_posted_goes_out_with_the_pitch_as_edited() {
    const DIGEST: &str = "C0DIGEST";
    let app = spawn_app().await;
    app.slash("U1", DIGEST, "digest").await;
    pitch_and_wait(
        &app,
        PITCHER,
        CHANNEL,
        "Bin day fnder | Which day the zebra collects",
    )
    .await;
    app.outbox_settled().await;
    crate::digests::hold_the_next_digest(&app).await;
    let digest_row = || crate::digests::queued_digest(&app);
    assert!(digest_row().contains("zebra"), "{}", digest_row());

    app.slash(
        PITCHER,
        CHANNEL,
        "edit 1 Bin day finder | Which day each bin goes",
    )
    .await;
    let row = digest_row();
    assert!(
        row.contains("Bin day finder")
            && row.contains("Which day each bin goes")
            && !row.contains("fnder")
            && !row.contains("zebra"),
        "{row}"
    );

    app.slack.heal("chat.postMessage");
    app.clock.set_timestamp(app.clock.now().timestamp() + 3600);
    let posted = eventually("the digest posted", SHORT, || {
        posted_to(&app.slack, DIGEST)
            .into_iter()
            .find(|t| t.contains("Makers digest"))
    })
    .await;
    assert!(
        posted.contains("#1 Bin day finder>")
            && posted.contains("Which day each bin goes")
            && !posted.contains("fnder")
            && !posted.contains("zebra"),
        "{posted}"
    );
}

/// A title that names someone is refused, and the refusal's example is one to follow: it
/// changes the title alone, and says that words after a `|` replace the whole description,
/// so nobody is led to type a command that drops the description for "with @sam".
#[tokio::test]
async fn naming_someone_in_an_edited_title_is_not_answered_with_an_edit_that_drops_the_description()
{
    let app = spawn_app().await;
    pitch_and_wait(
        &app,
        PITCHER,
        CHANNEL,
        "Bins | Which day each street's bins go out",
    )
    .await;
    let said = app
        .slash(PITCHER, CHANNEL, "edit 1 Bin day finder with <@U0SAM>")
        .await
        .text();
    // Do what it says: every edit it offers, with a mention as Slack sends it.
    let offered: Vec<String> = said
        .split("`/makers edit ")
        .skip(1)
        .filter_map(|s| s.split('`').next())
        .map(|s| format!("edit {}", s.replace("@sam", "<@U0SAM>")))
        .collect();
    assert!(!offered.is_empty(), "{said}");
    for typed in offered {
        app.slash(PITCHER, CHANNEL, &typed).await;
    }
    let shown = app.slash(PITCHER, CHANNEL, "show 1").await.text();
    assert!(
        shown.contains("Bin day finder") && shown.contains("Which day each street"),
        "the description went: {shown}"
    );
    assert!(
        said.contains("Nothing was changed.")
            && said.contains("`/makers edit 1 Bin day finder`")
            && said.contains("replace the whole description"),
        "{said}"
    );
}
