//! The digest composer is pure; its output (text and Block Kit) is pinned here, so a change
//! in wording is a reviewed diff (`tests/api/snapshots/`; see `what_users_see.rs` on updating).

use makers_bot::domain::{
    ChannelId, CouncilMoves, DigestSnapshot, JoinItem, MessageTs, OpenProject, Period, Phase,
    PhaseItem, PitchItem, ProjectNumber, ProjectRef, ReuseItem, ServiceElsewhere, Slug, Title,
    UpdateItem, UserId,
};
use makers_bot::message::{Notice, compose};
use makers_bot::slack::render::{Look, digest_text, notice_message};

fn london() -> Look {
    Look {
        tz: chrono_tz::Europe::London,
        join_emoji: "raised_hand".into(),
        public_url: "https://makers.example.gov.uk".into(),
        contact_url: None,
        join_seal: makers_bot::slack::render::JoinSeal::from_secret(b"test"),
    }
}

fn project(n: u32, title: &str, ts: Option<&str>) -> ProjectRef {
    ProjectRef {
        number: ProjectNumber::new(n).unwrap(),
        title: Title::parse(title).unwrap(),
        channel: ChannelId::parse("C0MAKERS").unwrap(),
        announcement_ts: ts.and_then(MessageTs::parse),
        published: None,
    }
}

fn moved(council: &str, pitched: u32, joined: u32, reuses: u32) -> CouncilMoves {
    CouncilMoves {
        council: council.into(),
        pitched,
        joined,
        joiners: joined,
        reuses,
        reused_by_others: 0,
    }
}

fn user(u: &str) -> UserId {
    UserId::parse(u).unwrap()
}

/// 16 to 23 November 2026, Monday 09:00 London (GMT) to the next.
const PERIOD: Period = Period {
    from: 1_794_819_600,
    to: 1_795_424_400,
};
const DAY: i64 = 86_400;

fn snapshot() -> DigestSnapshot {
    let bins = project(1, "Bin day finder", Some("1794830000.000100"));
    let parking = project(2, "Parking permits <beta>", Some("1794900000.000200"));
    let libraries = project(3, "Library & archive search", None);
    let old = project(4, "Street lights", Some("1780000000.000400"));
    DigestSnapshot {
        new_pitches: vec![
            PitchItem {
                project: parking.clone(),
                description: "One permit service, many councils. <!channel> please look".into(),
                pitcher: user("U0ALICE"),
                council: Some("Guildford Borough Council".into()),
            },
            PitchItem {
                project: bins.clone(),
                description: String::new(),
                pitcher: user("U0BOB"),
                council: None,
            },
        ],
        joins: vec![JoinItem {
            project: bins.clone(),
            user: user("U0CAROL"),
            council: Some("Waverley Borough Council".into()),
        }],
        updates: vec![UpdateItem {
            project: libraries.clone(),
            author: user("U0DAVE"),
            text: "Prototype is up & running: feedback welcome".into(),
            update: None,
        }],
        phase_changes: vec![PhaseItem {
            project: bins.clone(),
            from: Phase::Discovery,
            to: Phase::Alpha,
            note: "user research done".into(),
            carries_on_in: None,
        }],
        reuses: vec![ReuseItem {
            project: bins.clone(),
            council: "Mole Valley District Council".into(),
            note: "on our <b>bins</b> & recycling page".into(),
        }],
        // As the store counts the pitch, join and re-use above (#1's pitcher named no council).
        council_moves: vec![
            moved("Mole Valley District Council", 0, 0, 1),
            moved("Guildford Borough Council", 1, 0, 0),
            moved("Waverley Borough Council", 0, 1, 0),
        ],
        open_projects: vec![
            OpenProject {
                project: parking,
                members: 1,
                last_activity_at: PERIOD.from + DAY,
            },
            OpenProject {
                project: bins,
                members: 4,
                last_activity_at: PERIOD.from + 2 * DAY,
            },
            OpenProject {
                project: libraries,
                members: 2,
                last_activity_at: PERIOD.from + 3 * DAY,
            },
            OpenProject {
                project: old,
                members: 5,
                last_activity_at: PERIOD.to - 70 * DAY,
            },
        ],
        people: 12,
        councils: 5,
        // Another workspace's, as the catalogue names it (a council name with `&` escaped).
        published_elsewhere: vec![ServiceElsewhere {
            slug: Slug::parse("garden-waste-renewals").unwrap(),
            name: "Garden waste renewals".into(),
            phase: Phase::Beta,
            lead_council: Some("Brighton & Hove City Council".into()),
            reused_by: 2,
            merged_into: None,
        }],
    }
}

#[test]
fn a_digest_reads_like_this() {
    let digest = compose(snapshot(), PERIOD, 56 * DAY);
    insta::assert_snapshot!("digest_text", digest_text(&digest, &london()));
    let notice = Notice::Digest {
        digest: Box::new(digest),
        first: false,
    };
    let message = notice_message(&notice, &london());
    insta::assert_json_snapshot!("digest_message", message);
}

#[test]
fn a_week_with_no_news_is_a_short_line() {
    let mut quiet = snapshot();
    quiet.new_pitches.clear();
    quiet.joins.clear();
    quiet.updates.clear();
    quiet.phase_changes.clear();
    quiet.reuses.clear();
    quiet.council_moves.clear();
    quiet.published_elsewhere.clear();
    let digest = compose(quiet, PERIOD, 56 * DAY);
    insta::assert_snapshot!("digest_quiet_text", digest_text(&digest, &london()));
}
