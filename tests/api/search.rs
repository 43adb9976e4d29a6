//! "Someone may already be doing this": `/makers search <words>` over titles, descriptions and
//! updates, best first.

use crate::helpers::*;

const CHANNEL: &str = "C0MAKERS";

async fn corpus(app: &TestApp) {
    for pitch in [
        "Parking permit renewals | Renew a resident's parking permit online",
        "Bin collection day finder | Type a postcode, see which bins go out when",
        "FOI request tracker | Freedom of information requests and their deadlines",
    ] {
        app.slash("U0PITCHER", CHANNEL, &format!("pitch {pitch}"))
            .await;
    }
    app.slash(
        "U0PITCHER",
        CHANNEL,
        "update 3 now with recycling reminders by text",
    )
    .await;
}

#[tokio::test]
async fn search_finds_the_bin_day_finder_and_not_parking() {
    let app = spawn_app().await;
    corpus(&app).await;
    let a = app.slash("U1", CHANNEL, "search find my bin day").await;
    assert_eq!(a.json()["response_type"], "ephemeral");
    assert_eq!(
        a.blocks(),
        "*Projects matching “find bin day”*, best first\n\
         • *#2* Bin collection day finder · in discovery · 1 member\n\
         `/makers show &lt;id&gt;` tells you more about one; `/makers join &lt;id&gt;` joins its team.\n"
    );
    // Each line says where the project is, a retired one that it takes nobody new.
    app.slash("U0PITCHER", CHANNEL, "phase 2 retired").await;
    let a = app.slash("U1", CHANNEL, "search bin day").await;
    assert!(
        a.blocks()
            .contains("• *#2* Bin collection day finder · retired, taking nobody new · 1 member"),
        "{}",
        a.blocks()
    );
    // Only retired projects found: no joining offered.
    assert!(
        a.blocks()
            .contains("It is retired, so it takes nobody new.")
            && !a.blocks().contains("/makers join"),
        "{}",
        a.blocks()
    );
}

/// "IT" is "it" to the search, a word in nearly every description: asked for alone, the
/// answer says it is left out and how to search for an IT service (it asked only "What
/// should I look for?", after "IT" was typed).
#[tokio::test]
async fn a_search_for_it_alone_says_why_and_another_word_finds_the_service() {
    let app = spawn_app().await;
    corpus(&app).await;
    app.slash(
        "U0PITCHER",
        CHANNEL,
        "pitch IT helpdesk booking | Book a laptop fix",
    )
    .await;
    let a = app.slash("U1", CHANNEL, "search IT").await.text();
    assert!(
        a.contains("(and so “IT”: the search cannot tell them apart), are left out")
            && a.contains("`/makers search IT helpdesk`"),
        "{a}"
    );
    let a = app.slash("U1", CHANNEL, "search IT helpdesk").await;
    assert!(a.blocks().contains("IT helpdesk booking"), "{}", a.blocks());
    assert!(!a.blocks().contains("Parking"), "{}", a.blocks());
}

#[tokio::test]
async fn search_reads_updates_and_ranks_the_title_first() {
    let app = spawn_app().await;
    corpus(&app).await;
    app.slash("U0PITCHER", CHANNEL, "pitch Recycling centre bookings")
        .await;
    let a = app.slash("U1", CHANNEL, "search recycling").await;
    let found = a.blocks();
    let centre = found.find("Recycling centre bookings");
    let tracker = found.find("FOI request tracker");
    assert!(
        centre.is_some() && tracker.is_some() && centre < tracker,
        "the title match first, the update match after: {found}"
    );
}

#[tokio::test]
async fn a_search_with_no_match_or_nothing_to_look_for_says_so() {
    let app = spawn_app().await;
    corpus(&app).await;
    let a = app.slash("U1", CHANNEL, "search zebra crossings").await;
    assert_eq!(
        a.said(),
        "No projects match “zebra crossings”. `/makers list` shows the open ones; if nobody is doing it yet, pitch it with `/makers pitch &lt;title&gt;`."
    );
    let a = app.slash("U1", CHANNEL, "search the").await;
    assert!(
        a.said()
            .starts_with("What should I look for? Words too common"),
        "{}",
        a.said()
    );
}

#[tokio::test]
async fn a_pitch_names_open_projects_that_look_like_the_same_thing_with_a_join_button() {
    let app = spawn_app().await;
    corpus(&app).await;
    app.slash("U0PITCHER", CHANNEL, "pitch Missed bin reports")
        .await;
    let a = app
        .slash("U0NEW", CHANNEL, "pitch Bin day finder | for our residents")
        .await
        .json();
    let blocks = a["blocks"].as_array().unwrap();
    assert_eq!(
        blocks_text(&a),
        "Recorded as *#5: Bin day finder*. I'm announcing it in <#C0MAKERS> now; people join by reacting to the announcement or pressing its *Join* button. No council leads it yet: tell me yours with `/makers council &lt;name&gt;` and it will, or name another one already recorded (`/makers councils` lists them) with `/makers lead-council 5 &lt;name&gt;`.\n\
         Someone may already be doing this: joining their team could save you the work.\n\
         Join\n\
         • *#2* Bin collection day finder · 1 member\n",
        "one word in common (Missed bin reports) is not enough"
    );
    let join = &blocks[2]["accessory"];
    assert_eq!(join["action_id"], "join_project");
    let value = join["value"].as_str().unwrap();
    assert!(
        value.starts_with("2@T123ABC456."),
        "its workspace, sealed: {value}"
    );
    // Nothing close: the answer is the plain one.
    let a = app
        .slash("U0NEW", CHANNEL, "pitch Zebra crossing audit")
        .await
        .json();
    assert_eq!(a["blocks"].as_array().unwrap().len(), 1, "{a}");
}

/// Only the ten best are listed; when more match, the answer says so (and how to narrow it)
/// rather than look like every match.
#[tokio::test]
async fn more_matches_than_listed_are_said_to_be_there() {
    let app = spawn_app().await;
    for n in 1..=11 {
        app.slash("U0PITCHER", CHANNEL, &format!("pitch Bin sensor pilot {n}"))
            .await;
    }
    let more = app.slash("U1", CHANNEL, "search bin sensor").await.blocks();
    assert_eq!(more.matches("• *#").count(), 10, "{more}");
    assert!(
        more.contains("More projects match than are listed here"),
        "{more}"
    );
    assert!(
        more.contains("`/makers join &lt;id&gt;` joins its team."),
        "a cut list still says how to go on: {more}"
    );
    app.slash("U0PITCHER", CHANNEL, "pitch Street light survey")
        .await;
    let one = app.slash("U1", CHANNEL, "search street").await.blocks();
    assert_eq!(one.matches("• *#").count(), 1, "{one}");
    assert!(!one.contains("More projects match"), "{one}");
}

/// Pitching again what you already lead or are in is not "someone may already be doing
/// this", with a Join button that would say you're in it: the reply names yours apart, and
/// lists only other people's.
#[tokio::test]
async fn a_similar_project_of_your_own_is_named_as_yours() {
    let app = spawn_app().await;
    corpus(&app).await;
    app.slash("U0OTHER", CHANNEL, "pitch Bin day finder for flats")
        .await;
    let a = app
        .slash("U0PITCHER", CHANNEL, "pitch Bin day finder")
        .await;
    let said = a.blocks();
    assert!(
        said.contains(
            "You have one like it already: *#2: Bin collection day finder* (`/makers show 2`)."
        ),
        "{said}"
    );
    assert!(said.contains("Someone may already be doing this"), "{said}");
    assert!(said.contains("*#4* Bin day finder for flats"), "{said}");
    assert!(!said.contains("*#2* Bin collection"), "{said}");
    // The notification (a form's answer comes by DM) says so too, not only the blocks.
    let said = fallback_text(&a.json());
    let notified = said.lines().next().unwrap();
    assert!(
        notified.ends_with("Someone may already be doing this: 1 open project looks like it."),
        "{notified}"
    );
    // Only yours: no list, no Join.
    let a = app
        .slash("U0OTHER", CHANNEL, "pitch Flats bin day finder")
        .await;
    let said = a.json().to_string();
    assert!(
        said.contains("You have one like it already: *#4:"),
        "{said}"
    );
    assert!(!said.contains("join_project"), "{said}");
}

/// Words typed as they are stored are found, whatever their letters: a search's words are
/// composed as stored text is, not folded further (™ and ₂ would become letters and digits
/// the index never held), a letter pasted with its mark apart is the letter, and full-width
/// letters are also looked for as plain ones.
#[tokio::test]
async fn words_typed_as_stored_are_found_whatever_their_letters() {
    let app = spawn_app().await;
    for pitch in [
        "Salesforce™ case tracker",
        "CO₂ emissions tracker",
        "Cyngor Sir Ynys Môn bins",
        "Guildford parking",
    ] {
        app.slash("U0PITCHER", CHANNEL, &format!("pitch {pitch}"))
            .await;
    }
    for (words, found) in [
        ("Salesforce™", "*#1*"),
        ("CO₂", "*#2*"),
        ("Mo\u{302}n", "*#3*"),
        ("Ｇｕｉｌｄｆｏｒｄ", "*#4*"),
    ] {
        let a = app.slash("U1", CHANNEL, &format!("search {words}")).await;
        assert!(a.blocks().contains(found), "{words}: {}", a.blocks());
    }
}
