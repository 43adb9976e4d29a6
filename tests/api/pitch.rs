//! `/makers pitch | list | show | help` end to end, including the announcement Slack receives.

use crate::helpers::*;

#[tokio::test]
async fn pitch_replies_privately_with_its_number_and_announces_in_the_channel() {
    let app = spawn_app().await;
    let a = app
        .slash(
            "U0PITCHER",
            "C0MAKERS",
            "pitch Bin day finder | One app for every council's bin days",
        )
        .await;
    assert_eq!(a.status, 200);
    let reply = a.json();
    assert_eq!(reply["response_type"], "ephemeral");
    assert!(a.text().contains("#1: Bin day finder"), "{}", a.body);

    let posts = app.slack.wait_for("chat.postMessage", 1, SHORT).await;
    let post = &posts[0];
    assert_eq!(
        post.authorization.as_deref(),
        Some("Bearer xoxb-test-token")
    );
    assert_eq!(post.body["channel"], "C0MAKERS");
    let shown = message_text(&post.body);
    assert!(shown.contains("#1: Bin day finder"), "{shown}");
    assert!(
        shown.contains("One app for every council&#39;s bin days")
            || shown.contains("One app for every council's bin days"),
        "{shown}"
    );
    assert!(shown.contains("<@U0PITCHER>"), "{shown}");
    assert!(
        shown.contains(":raised_hand:") && shown.contains("Join"),
        "{shown}"
    );
    let button = &post.body["blocks"][2]["elements"][0];
    assert_eq!(button["action_id"], "join_project");
    assert_eq!(button["value"], "1");

    // The announcement's channel and ts are stored once Slack has answered.
    let ts = post.body["_ts"].as_str().unwrap().to_string();
    eventually("project #1 records its announcement's ts", SHORT, || {
        let stored: Option<String> = app
            .db()
            .query_row(
                "SELECT announcement_ts FROM projects WHERE number = 1",
                [],
                |r| r.get(0),
            )
            .unwrap();
        (stored == Some(ts.clone())).then_some(())
    })
    .await;
}

#[tokio::test]
async fn numbers_count_per_workspace() {
    let app = spawn_app().await;
    assert!(
        app.slash("U1", "C1", "pitch First")
            .await
            .text()
            .contains("#1")
    );
    assert!(
        app.slash("U1", "C1", "pitch Second")
            .await
            .text()
            .contains("#2")
    );
    let other = app.slash_in("T0OTHER", "U9", "C9", "pitch Elsewhere").await;
    assert!(other.text().contains("#1: Elsewhere"), "{}", other.body);
    // Each workspace sees only its own projects.
    let list = app.slash_in("T0OTHER", "U9", "C9", "list").await.text();
    assert!(
        list.contains("Elsewhere") && !list.contains("First"),
        "{list}"
    );
}

#[tokio::test]
async fn list_shows_open_projects_newest_first() {
    let app = spawn_app().await;
    let empty = app.slash("U1", "C1", "list").await.text();
    assert!(empty.contains("No open projects yet"), "{empty}");
    app.slash("U1", "C1", "pitch Parking permits").await;
    app.slash("U2", "C1", "pitch Bin day finder").await;
    let list = app.slash("U3", "C2", "list").await.text();
    assert!(list.contains("Open projects (2)"), "{list}");
    let (bins, parking) = (
        list.find("Bin day finder").unwrap(),
        list.find("Parking permits").unwrap(),
    );
    assert!(bins < parking, "newest first: {list}");
    assert!(
        list.contains("_Discovery_ (2)") && list.contains("1 member"),
        "{list}"
    );
}

/// A busy workspace's list stays within Slack's limits, and the rest is there page by page:
/// following the command each page names reaches every project, live ones too (a list cut
/// at its first phase hid the others), and the counts by phase open each page.
#[tokio::test]
async fn a_long_list_stays_within_slacks_block_limits_and_is_read_page_by_page() {
    let app = spawn_app().await;
    // Two pitchers, each well within a person's allowance of changes.
    let pitcher = |i: usize| if i < 65 { "U1" } else { "U2" };
    for i in 0..130 {
        let title = format!("Project {i} {}", "&".repeat(100));
        assert_eq!(
            app.slash(pitcher(i), "C1", &format!("pitch {title}"))
                .await
                .status,
            200
        );
    }
    // The first ten pitched (the oldest, listed last) go live.
    for n in 1..=10 {
        let moved = app
            .slash(pitcher(n - 1), "C1", &format!("phase {n} live"))
            .await
            .text();
        assert!(moved.contains("live"), "{moved}");
    }
    let mut seen = Vec::new();
    let mut last = 1;
    let mut command = "list".to_string();
    for page in 1.. {
        let reply = app.slash("U3", "C1", &command).await.json();
        let blocks = reply["blocks"].as_array().unwrap();
        assert!(blocks.len() <= 50, "{} blocks", blocks.len());
        let mut total = 0;
        for b in blocks {
            let text = b["text"]["text"].as_str().unwrap();
            assert!(
                text.chars().count() <= 3000,
                "section of {}",
                text.chars().count()
            );
            total += text.chars().count();
        }
        assert!(total <= 12_000, "{total} characters of blocks");
        // What a screen reader hears (`text`) says which page it is too.
        let said = fallback_text(&reply);
        assert!(
            said.starts_with(&format!("Open projects (130) · page {page}\n")),
            "{said}"
        );
        let all = blocks_text(&reply);
        assert!(
            all.contains(&format!("Open projects (130)* · page {page}"))
                && all.contains("By phase: discovery 120 · live 10"),
            "{all}"
        );
        seen.extend(
            all.split("• *#")
                .skip(1)
                .map(|rest| rest.split('*').next().unwrap().parse::<u32>().unwrap()),
        );
        let Some(next) = all.split("`/makers ").find_map(|rest| {
            rest.split_once("` shows the next")
                .map(|(command, _)| command.to_string())
        }) else {
            assert!(!all.contains("more"), "the last page: {all}");
            break;
        };
        assert_eq!(next, format!("list page {}", page + 1));
        command = next;
        // (Each page as long as its `text` can say: five or six of these long lines.)
        assert!(page < 40, "{all}");
        last = page + 1;
    }
    let mut expected: Vec<u32> = (11..=130).rev().collect();
    expected.extend((1..=10).rev());
    assert_eq!(seen, expected, "every project once, in the list's order");
    let past = app
        .slash("U3", "C1", &format!("list page {}", last + 1))
        .await
        .text();
    assert!(
        past.starts_with(&format!(
            "The list has {last} pages: `/makers list page {last}` shows the last."
        )),
        "{past}"
    );
    // A filtered list goes on from page to page too (the page reaches its handler).
    let first = app.slash("U3", "C1", "list discovery").await.text();
    let second = app.slash("U3", "C1", "list discovery page 2").await.text();
    assert!(
        first.contains("`/makers list discovery page 2` shows the next")
            && second.contains("Projects in discovery (120)* · page 2"),
        "{first}\n{second}"
    );
    let on_first = |n: u32| first.contains(&format!("• *#{n}* "));
    let shown_twice = (1..=130).find(|&n| on_first(n) && second.contains(&format!("• *#{n}* ")));
    assert_eq!(shown_twice, None, "page 2 goes on where page 1 stopped");
}

/// A screen reader reads a message's `text`, not its blocks: each page of a long list is
/// said there whole, so following the command each page's `text` names reaches every
/// project (pages sized to the blocks were said a third of the way, never the way on).
#[tokio::test]
async fn a_long_list_is_spoken_whole_page_by_page() {
    let app = spawn_app().await;
    // Four pitchers, each well within a person's allowance of changes.
    let title = |i: usize| format!("Bin collection day finder for borough {i}");
    for i in 0..200 {
        let pitcher = ["U1", "U2", "U4", "U5"][i / 50];
        let pitched = app
            .slash(pitcher, "C1", &format!("pitch {}", title(i)))
            .await;
        assert_eq!(pitched.status, 200);
    }
    let mut said = String::new();
    let mut command = "list".to_string();
    for page in 1.. {
        let reply = app.slash("U3", "C1", &command).await.json();
        let text = fallback_text(&reply);
        assert!(text.chars().count() <= 3500, "{text}");
        // Every project the page shows is said.
        let blocks = blocks_text(&reply);
        for shown in blocks.split("• *#").skip(1) {
            let number = shown.split('*').next().unwrap();
            assert!(
                text.contains(&format!("• *#{number}* ")),
                "#{number}: {text}"
            );
        }
        said.push_str(&text);
        let next = text.split("`/makers ").find_map(|rest| {
            rest.split_once("` shows the next")
                .map(|(command, _)| command.to_string())
        });
        if page == 1 {
            assert_eq!(next.as_deref(), Some("list page 2"), "{text}");
        }
        let Some(next) = next else {
            assert!(
                !blocks.contains("shows the next"),
                "the last page: {blocks}"
            );
            break;
        };
        command = next;
        assert!(page < 20, "{text}");
    }
    for i in 0..200 {
        let line = format!("{} · 1 member", title(i));
        assert!(said.contains(&line), "{line} is said on no page");
    }
}

#[tokio::test]
async fn show_gives_the_whole_project() {
    let app = spawn_app().await;
    app.slash(
        "U0PITCHER",
        "C0MAKERS",
        "pitch Bin day finder | Bins, for everyone",
    )
    .await;
    for text in ["show 1", "show #1", "SHOW  #1"] {
        let shown = app.slash("U2", "C2", text).await.text();
        assert!(shown.contains("#1: Bin day finder"), "{shown}");
        assert!(shown.contains("Bins, for everyone"), "{shown}");
        assert!(shown.contains("*Phase:* discovery"), "{shown}");
        assert!(
            shown.contains("<@U0PITCHER>") && shown.contains("<#C0MAKERS>"),
            "{shown}"
        );
        assert!(shown.contains("*Team:* 1 person"), "{shown}");
    }
}

#[tokio::test]
async fn mistakes_get_friendly_private_answers() {
    let app = spawn_app().await;
    let cases = [
        ("show 7", "There is no project #7"),
        ("#7", "There is no project #7"),
        ("show", "Which project?"),
        ("show banana", "`banana` is not a project number"),
        (
            "join bins",
            "`/makers search bins` finds a project's number.",
        ),
        ("update 7: done", "There is no project #7"),
        ("pitch   | just a description", "A pitch needs a title"),
        ("list all of them", "I can't list `all of them`"),
        ("show 1 2", "takes one project number and nothing after it"),
        (
            "join <@U0SAM|sam>",
            "`/makers join` takes a project's number, not a person or a channel: try `/makers join 12`",
        ),
        (
            "phase 7 beta passed the GDS service assessment with flying colours",
            "try `/makers phase 7 beta | &lt;your note&gt;`",
        ),
    ];
    for (text, expected) in cases {
        let a = app.slash("U1", "C1", text).await;
        assert_eq!(a.status, 200, "{text}");
        assert_eq!(a.json()["response_type"], "ephemeral", "{text}");
        assert!(a.text().contains(expected), "{text}: {}", a.body);
    }
    let long = format!("pitch {}", "x".repeat(200));
    assert!(
        app.slash("U1", "C1", &long)
            .await
            .text()
            .contains("keep it to 120")
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM projects"),
        0,
        "nothing recorded"
    );
}

#[tokio::test]
async fn empty_or_unknown_text_gets_help() {
    let app = spawn_app().await;
    for text in ["", "help", "what is this"] {
        let a = app.slash("U1", "C1", text).await;
        assert_eq!(a.status, 200);
        let shown = a.text();
        assert!(
            shown.contains("/makers pitch &lt;title&gt; | &lt;description&gt;"),
            "{shown}"
        );
        assert!(
            shown.contains("/makers list") && shown.contains("/makers show"),
            "{shown}"
        );
    }
    assert!(
        app.slash("U1", "C1", "what is this")
            .await
            .text()
            .contains("I don't know `what`")
    );
}

/// A newcomer's question gets the whole help: "how" was taken for a slip of `show`, and
/// only `show`'s line was shown ("Did you mean `show`?").
#[tokio::test]
async fn a_question_gets_the_whole_help() {
    let app = spawn_app().await;
    let shown = app
        .slash("U1", "C1", "how do I pitch a project")
        .await
        .text();
    assert!(
        shown.contains("/makers pitch &lt;title&gt; | &lt;description&gt;")
            && shown.contains("/makers join &lt;id&gt;")
            && !shown.contains("Did you mean"),
        "{shown}"
    );
}

/// A slip of the keyboard is named, and the command it looks like shown alone; `help <word>`
/// shows one command's lines.
#[tokio::test]
async fn a_slip_gets_the_command_it_looks_like() {
    let app = spawn_app().await;
    let a = app.slash("U1", "C1", "joni 4").await;
    assert_eq!(a.json()["response_type"], "ephemeral");
    let a = a.text();
    assert!(
        a.starts_with("I don't know `joni`. Did you mean `join`?")
            && a.contains("• `/makers join &lt;id&gt;`")
            && a.contains("`/makers help` shows everything I can do.")
            && !a.contains("/makers pitch"),
        "{a}"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM members"),
        0,
        "nothing joined"
    );
    let a = app.slash("U1", "C1", "help digest").await.text();
    assert!(
        a.starts_with("How to use `/makers digest`:") && !a.contains("/makers join"),
        "{a}"
    );
}

#[tokio::test]
async fn pitching_in_a_dm_is_refused_kindly() {
    let app = spawn_app().await;
    let a = app.slash("U1", "D0DIRECT", "pitch Private idea").await;
    assert!(a.text().contains("Please pitch in a channel"), "{}", a.body);
    assert_eq!(app.count("SELECT COUNT(*) FROM projects"), 0);
}

#[tokio::test]
async fn special_mentions_are_shown_as_words_so_nobody_is_pinged() {
    let app = spawn_app().await;
    let a = app
        .slash(
            "U1",
            "C1",
            "pitch <!channel> free pizza | <!here> & <@U999> <https://evil.example|click>",
        )
        .await;
    let reply = a.text();
    assert!(reply.contains("*#1: @channel free pizza*"), "{reply}");
    assert!(!reply.contains("<!"), "{reply}");

    let post = &app.slack.wait_for("chat.postMessage", 1, SHORT).await[0];
    let shown = message_text(&post.body);
    assert!(
        shown.contains("project #1: @channel free pizza*"),
        "{shown}"
    );
    // The pitcher's own mention and link work, as they did in what they typed.
    assert!(
        shown.contains("@here &amp; <@U999> <https://evil.example|click>"),
        "{shown}"
    );
    assert!(!shown.contains("<!"), "a special mention leaked: {shown}");
    // What the user typed is stored as typed.
    let title: String = app
        .db()
        .query_row("SELECT title FROM projects", [], |r| r.get(0))
        .unwrap();
    assert_eq!(title, "<!channel> free pizza");
    let listed = app.slash("U1", "C1", "list").await.text();
    assert!(
        listed.contains("@channel free pizza") && !listed.contains("<!"),
        "{listed}"
    );
}

#[tokio::test]
async fn a_description_that_escaping_makes_too_long_is_still_announced() {
    let app = spawn_app().await;
    // 2,000 characters typed, 8,000 once `<` and `>` are escaped: past Slack's 3,000 a section.
    let html = "<b>".repeat(666);
    let a = app
        .slash("U1", "C1", &format!("pitch Pasted HTML | {html}"))
        .await;
    assert!(a.text().contains("#1"), "{}", a.body);
    let post = &app.slack.wait_for("chat.postMessage", 1, SHORT).await[0];
    let texts: Vec<&str> = post.body["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|block| block["text"]["text"].as_str())
        .collect();
    assert!(
        texts.iter().any(|t| t.contains("&lt;b&gt;")),
        "the description is there, escaped: {texts:?}"
    );
    for text in texts {
        assert!(
            text.chars().count() <= 3000,
            "section of {}",
            text.chars().count()
        );
        assert!(!text.contains("<b>"), "escaped");
    }
    eventually("the announcement's ts is recorded", SHORT, || {
        (app.count("SELECT COUNT(*) FROM projects WHERE announcement_ts IS NOT NULL") == 1)
            .then_some(())
    })
    .await;
}

/// A title's limit is of what people see. Typed with `@samantha.jones` and `#waste-team`,
/// Slack sends `<@U04ABCDEFGH|samantha.jones>` and `<#C04ABCDEFGH|waste-team>`: 100
/// characters shown, 128 sent, where the pitch form (plain text) takes the same title. It
/// is pitched, and the announcement shows those 100; one shown over the limit is refused,
/// counted as shown.
#[tokio::test]
async fn a_title_over_the_limit_only_by_slacks_markup_is_pitched() {
    let app = spawn_app().await;
    let title = format!(
        "Ask <@U04ABCDEFGH|samantha.jones> in <#C04ABCDEFGH|waste-team> about {}",
        "b".repeat(59)
    );
    assert_eq!(title.chars().count(), 128);
    let a = app.slash("U1", "C1", &format!("pitch {title}")).await;
    assert!(a.text().contains("#1"), "{}", a.body);
    let post = &app.slack.wait_for("chat.postMessage", 1, SHORT).await[0];
    let shown = format!(
        "Ask @samantha.jones in #waste-team about {}",
        "b".repeat(59)
    );
    assert_eq!(shown.chars().count(), 100);
    assert!(fallback_text(&post.body).contains(&shown), "{}", post.body);
    let a = app
        .slash("U1", "C1", &format!("pitch {title}{}", "c".repeat(21)))
        .await;
    assert!(
        a.text()
            .contains("That title is 121 characters long; please keep it to 120"),
        "{}",
        a.text()
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM projects"), 1);
}

#[tokio::test]
async fn answers_are_not_shared_between_channels() {
    let app = spawn_app().await;
    let dm = app.slash("U1", "D0DM", "digest preview").await.text();
    assert!(dm.contains("Digests are for channels"), "{dm}");
    let channel = app.slash("U1", "C0CHAN", "digest preview").await.text();
    assert!(channel.contains("Makers digest"), "{channel}");
}

/// A group DM (Slack names it `mpdm-…`; its id starts like a private channel's): the bot can
/// neither post there nor be invited, so a pitch or a digest is refused at once, kindly,
/// rather than recorded and never announced. Everything else works as anywhere.
#[tokio::test]
async fn a_pitch_or_digest_in_a_group_dm_is_refused_kindly() {
    let app = spawn_app().await;
    let in_group_dm = |text: &str| {
        slash_body(TEAM, "U0PITCHER", "G0GROUPDM", text).replace(
            "channel_name=foobar",
            "channel_name=mpdm-alice--bob--carol-1",
        )
    };
    for (text, said) in [
        ("pitch Bin day finder", "Please pitch in a channel"),
        ("pitch", "Please pitch in a channel"),
        ("digest", "digest"),
    ] {
        let a = app
            .post_signed(
                "/slack/commands",
                "application/x-www-form-urlencoded",
                &in_group_dm(text),
            )
            .await;
        assert_eq!(a.status, 200, "{text}");
        assert!(a.text().contains(said), "{text}: {}", a.text());
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM projects"), 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM digest_subscriptions"), 0);
    assert!(app.slack.calls("views.open").is_empty(), "no pitch form");
    let list = app
        .post_signed(
            "/slack/commands",
            "application/x-www-form-urlencoded",
            &in_group_dm("list"),
        )
        .await;
    assert!(list.text().contains("No open projects"), "{}", list.text());
}

/// `show` of a project with no news says the whole command to post some; an empty team is
/// an invitation to join while it is open, and not once it is retired.
#[tokio::test]
async fn show_says_whole_commands_and_invites_only_where_a_join_is_taken() {
    let app = spawn_app().await;
    app.slash("U0PITCHER", "C1", "pitch Bin day finder").await;
    let shown = app.slash("U1", "C1", "show 1").await.blocks();
    assert!(
        shown.contains("none yet. The team can post one with `/makers update 1 &lt;news&gt;`."),
        "{shown}"
    );
    app.slash("U0PITCHER", "C1", "leave 1").await;
    let shown = app.slash("U1", "C1", "show 1").await.blocks();
    assert!(
        shown.contains("nobody yet: be the first to join"),
        "{shown}"
    );
    app.slash("U0PITCHER", "C1", "phase 1 retired").await;
    let shown = app.slash("U1", "C1", "show 1").await.blocks();
    assert!(shown.contains("retired"), "{shown}");
    assert!(!shown.contains("be the first to join"), "{shown}");
}

/// A pitch answered after Slack stopped waiting (it shows its own error, and drops the
/// answer) is recorded; its answer, with its number, comes to the pitcher's DM, so they are
/// not left to pitch it again.
#[tokio::test]
async fn a_pitch_answered_too_late_for_slack_is_told_in_the_dm() {
    let app = spawn_app().await;
    let held = app.hold_writes();
    app.slash("U0PITCHER", "C0MAKERS", "pitch Bin day finder")
        .await;
    held.join().unwrap();
    let dm = first_dm(&app, "U0PITCHER").await;
    assert!(dm.contains("#1") && dm.contains("Bin day finder"), "{dm}");
    assert_eq!(app.count("SELECT COUNT(*) FROM projects"), 1);
    // Answered in time, nothing comes to the DM. (The bot's 2.5 s run inside the test's
    // timing: answered within 2.4 s as the test saw it, it was in time for the bot too. A
    // sync slow enough on a busy machine makes it late, and then its DM is owed.)
    let asked = std::time::Instant::now();
    app.slash("U0PITCHER", "C0MAKERS", "pitch Parking permits")
        .await;
    let took = asked.elapsed();
    app.outbox_settled().await;
    let dms = dms_to(&app, "U0PITCHER").len();
    if took < std::time::Duration::from_millis(2400) {
        assert_eq!(dms, 1, "answered in {took:?}");
    } else {
        assert!((1..=2).contains(&dms), "answered in {took:?}: {dms} DMs");
    }
}

/// Slack's 3 seconds run from when it sent the request, not from when the bot's handler
/// starts: a pitch whose body took 2.6 s to arrive (a proxy streaming it, a full connection
/// cap before it) is answered after Slack stopped waiting, however fast its write, so its
/// answer comes to the DM too. (`asked` was taken at the handler's start: no DM came, and the
/// pitcher, shown Slack's error, pitched again.)
#[tokio::test]
async fn a_pitch_whose_body_came_slowly_is_told_in_the_dm() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = spawn_app().await;
    let body = slash_body(TEAM, "U0PITCHER", "C0MAKERS", "pitch Bin day finder");
    let mut head = format!(
        "POST /slack/commands HTTP/1.1\r\nHost: bot\r\nConnection: close\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in signed_headers(&body, now()) {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    let mut stream = tokio::net::TcpStream::connect(app.addr).await.unwrap();
    stream.write_all(head.as_bytes()).await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(2600)).await;
    stream.write_all(body.as_bytes()).await.unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    let dm = first_dm(&app, "U0PITCHER").await;
    assert!(dm.contains("#1") && dm.contains("Bin day finder"), "{dm}");
}

/// A "did you mean…?" for a council typed while the database was held never reached the
/// person: typed again, it is asked again, not recorded as a council of its own.
#[tokio::test]
async fn a_council_offer_answered_too_late_for_slack_is_asked_again() {
    let app = spawn_app().await;
    app.slash("U0OTHER", "C0MAKERS", "council Guildford Borough Council")
        .await;
    let held = app.hold_writes();
    app.slash("U0PITCHER", "C0MAKERS", "council Guilford Borough Council")
        .await;
    held.join().unwrap();
    let again = app
        .slash("U0PITCHER", "C0MAKERS", "council Guilford Borough Council")
        .await;
    assert!(again.said().starts_with("Did you mean"), "{}", again.said());
    assert_eq!(app.count("SELECT COUNT(*) FROM councils"), 1);
    app.outbox_settled().await;
    assert!(
        dms_to(&app, "U0PITCHER").is_empty(),
        "the offer is asked, not sent"
    );
}

/// Slack hangs up at its 3 seconds: the request's handling goes on to the end all the same
/// (hyper drops a request's future when its client goes), so the late answer still comes to
/// the DM, as it does over Socket Mode.
#[tokio::test]
async fn a_pitch_whose_asker_hung_up_is_still_told_in_the_dm() {
    let app = spawn_app().await;
    let held = app.hold_writes();
    let asked = app.slash("U0PITCHER", "C0MAKERS", "pitch Bin day finder");
    let gone = tokio::time::timeout(std::time::Duration::from_secs(1), asked).await;
    assert!(gone.is_err(), "hung up before the answer");
    held.join().unwrap();
    let dm = first_dm(&app, "U0PITCHER").await;
    assert!(dm.contains("#1") && dm.contains("Bin day finder"), "{dm}");
}
