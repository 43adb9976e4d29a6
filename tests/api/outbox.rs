//! The outbox's stored form: rows written by one build are delivered by the next, so the JSON
//! is pinned, old versions must still decode, and a row that cannot be read is failed alone.

use makers_bot::domain::{
    ChannelId, Description, DigestSnapshot, Makeup, Period, Phase, ProjectNumber, Skill, Title,
    UpdateText, UserId,
};
use makers_bot::message::{AnnouncementBody, Notice, Reply, compose};
use makers_bot::outbox::stored_json;

use crate::helpers::*;

/// Puts a row straight into the outbox, as another build (or a hand edit) might have.
fn insert_row(app: &TestApp, channel: &str, thread: Option<&str>, json: &str) -> i64 {
    let db = app.db();
    db.execute(
        "INSERT INTO outbox (team_id, channel_id, thread_ts, notice, next_attempt_at, created_at)
         VALUES (?1, ?2, ?3, ?4, 0, 0)",
        rusqlite::params![TEAM, channel, thread, json],
    )
    .unwrap();
    db.last_insert_rowid()
}

fn failure_of(app: &TestApp, id: i64) -> Option<String> {
    app.db()
        .query_row(
            "SELECT last_error FROM outbox WHERE id = ?1 AND failed_at IS NOT NULL",
            [id],
            |r| r.get(0),
        )
        .ok()
}

#[tokio::test]
async fn a_row_that_cannot_be_read_is_failed_alone_and_the_rows_behind_it_are_posted() {
    let app = spawn_app().await;
    let renamed = insert_row(
        &app,
        "C1",
        None,
        r#"{"v":2,"notice":{"kind":"renamed_kind"}}"#,
    );
    let garbage = insert_row(&app, "C1", None, "not json at all");
    let future = insert_row(&app, "C1", None, r#"{"v":99,"notice":{}}"#);
    let bad_address = insert_row(&app, "C1 ><", None, r#"{"v":2,"notice":{"kind":"nudge"}}"#);
    // Queued after the bad rows, so the worker meets them first.
    pitch_and_wait(&app, "U1", "C1", "Bin day finder").await;

    eventually("the badly addressed row failed", SHORT, || {
        failure_of(&app, bad_address).map(|_| ())
    })
    .await;
    let why = |id| failure_of(&app, id).unwrap_or_default();
    assert!(
        why(renamed).starts_with("undecodable notice"),
        "{}",
        why(renamed)
    );
    assert!(why(garbage).starts_with("not JSON"), "{}", why(garbage));
    assert!(why(future).contains("version 99"), "{}", why(future));
    assert!(
        why(bad_address).contains("channel id"),
        "{}",
        why(bad_address)
    );
    let posts = app.slack.calls("chat.postMessage");
    assert_eq!(posts.len(), 1, "only the announcement: {posts:#?}");
    assert!(message_text(&posts[0].body).contains("Bin day finder"));
}

#[tokio::test]
async fn rows_stored_before_versions_still_decode_and_are_posted() {
    let app = spawn_app().await;
    // Version 1: the bare notice; a private reply carried its person and worded problem.
    let private =
        r#"{"kind":"private","user":"U7","reply":{"kind":"problem","text":"Stored <words>"}}"#;
    let update = r#"{"kind":"update","number":3,"author":"U7","text":"Prototype is up"}"#;
    insert_row(&app, "C1", None, private);
    insert_row(&app, "C1", Some("1700000000.000100"), update);

    let ephemeral = app.slack.wait_for("chat.postEphemeral", 1, SHORT).await;
    assert_eq!(ephemeral[0].body["user"], "U7");
    assert!(
        message_text(&ephemeral[0].body).contains("Stored &lt;words&gt;"),
        "{:?}",
        ephemeral[0].body
    );
    let posts = app.slack.wait_for("chat.postMessage", 1, SHORT).await;
    assert_eq!(posts[0].body["thread_ts"], "1700000000.000100");
    assert!(message_text(&posts[0].body).contains("Prototype is up"));
    eventually("both old rows delivered", SHORT, || {
        let delivered = app.count(
            "SELECT COUNT(*) FROM outbox WHERE delivered_at IS NOT NULL AND last_error IS NULL",
        );
        (delivered == 2).then_some(())
    })
    .await;
}

#[tokio::test]
async fn a_digest_stored_before_re_use_existed_still_posts() {
    let app = spawn_app().await;
    // Version 2 as the build before re-use wrote it: no `reuses`, no `new_reuses` (and no
    // `give_and_take`, which came later still).
    let old = r#"{"v":2,"notice":{"kind":"digest","digest":{"from":1794819600,"to":1795424400,"headline":{"active_projects":0,"people":0,"councils":0,"open_projects":0},"new_pitches":{"items":[],"more":0},"joins":{"items":[],"more":0},"updates":{"items":[],"more":0},"phase_changes":{"items":[],"more":0},"need_people":{"items":[],"more":0},"quiet":{"items":[],"more":0}}}}"#;
    let id = insert_row(&app, "C1", None, old);
    let posts = app.slack.wait_for("chat.postMessage", 1, SHORT).await;
    // No news and no open project: the headline points to a pitch.
    assert!(
        message_text(&posts[0].body).contains("No open project to show here"),
        "{:?}",
        posts[0].body
    );
    app.outbox_settled().await;
    assert_eq!(failure_of(&app, id), None);
}

/// One of every kind of notice, as stored. A change here means rows already in a council's
/// outbox may no longer decode after a deploy: add a version to `outbox::decode` instead.
#[test]
fn the_stored_form_of_every_notice_is_pinned() {
    let user = |u: &str| UserId::parse(u).unwrap();
    let number = ProjectNumber::new(3).unwrap();
    let title = Title::parse("Bin day finder").unwrap();
    let makeup = Makeup {
        people: 2,
        councils: 1,
    };
    let notices = [
        Notice::Announcement(AnnouncementBody {
            project_id: 7,
            number,
            title: title.clone(),
            description: Description::parse("One app for every council").unwrap(),
            pitcher: user("U1"),
            join_emoji: "raised_hand".into(),
            wanted: vec![],
            carried_on_as: None,
            shared: false,
            carried_on_at: None,
            // In discovery, as every pitch: stored as before phases were shown.
            phase: Phase::Discovery,
        }),
        Notice::Reply {
            reply: Reply::Help {
                unknown: None,
                about: None,
            },
        },
        Notice::Joined {
            project_id: 7,
            number,
            title: title.clone(),
            user: user("U2"),
            council: Some("Kent County Council".into()),
            makeup,
            pitcher: user("U1"),
            known_person: true,
        },
        Notice::TeamNews {
            number,
            title: title.clone(),
            user: user("U2"),
            council: None,
            makeup,
        },
        Notice::Update {
            number,
            author: user("U1"),
            text: Some(UpdateText::parse("Prototype is up").unwrap()),
            update: Some(1),
        },
        Notice::UpdateCorrected {
            number,
            author: user("U1"),
            text: Some(UpdateText::parse("Prototype is up today").unwrap()),
            update: 1,
            as_posted: false,
        },
        Notice::PhaseChanged {
            number,
            from: Phase::Discovery,
            to: Phase::Alpha,
            note: None,
            by: user("U1"),
        },
        Notice::SkillsWanted {
            number,
            skills: vec![Skill::Developer, Skill::UserResearcher],
            by: user("U2"),
        },
        Notice::Reused {
            number,
            council: "Waverley Borough Council".into(),
            councils: 2,
            elsewhere: false,
        },
        Notice::Nudge {
            number,
            title: Some(title.clone()),
            team: vec![user("U1"), user("U2")],
            quiet_days: 21,
        },
        Notice::CannotAnnounce {
            number,
            channel: ChannelId::parse("G1").unwrap(),
        },
        Notice::Digest {
            digest: Box::new(compose(
                DigestSnapshot::default(),
                Period {
                    from: 1_794_819_600,
                    to: 1_795_424_400,
                },
                56 * 86_400,
            )),
            first: true,
        },
        Notice::AnnouncementCorrected {
            body: AnnouncementBody {
                project_id: 7,
                number,
                title: title.clone(),
                description: Description::parse("").unwrap(),
                pitcher: user("U1"),
                join_emoji: "raised_hand".into(),
                wanted: vec![Skill::Developer],
                carried_on_as: None,
                shared: false,
                carried_on_at: None,
                phase: Phase::Retired,
            },
            by: user("U2"),
        },
        Notice::PitchEdited {
            number,
            title,
            renamed_from: Some(Title::parse("Bin day fnder").unwrap()),
            description: None,
            by: user("U2"),
        },
        Notice::CorrectionRefused {
            number,
            why: "message_not_found".into(),
            of_update: false,
            withdrawn: false,
        },
        Notice::CorrectionRefused {
            number,
            why: "message_not_found".into(),
            of_update: true,
            withdrawn: false,
        },
        Notice::UpdateCorrected {
            number,
            author: user("U1"),
            text: None,
            update: 1,
            as_posted: false,
        },
        Notice::CorrectionRefused {
            number,
            why: "is_archived".into(),
            of_update: true,
            withdrawn: true,
        },
    ];
    let mut lines: Vec<String> = notices
        .iter()
        .map(|n| stored_json(n, None).unwrap())
        .collect();
    let problem = Notice::Reply {
        reply: Reply::Problem {
            problem: makers_bot::domain::UserError::NoSuchProject(number).into(),
        },
    };
    lines.push(stored_json(&problem, Some(&user("U9"))).unwrap());
    insta::assert_snapshot!("stored_notices", lines.join("\n"));
}
