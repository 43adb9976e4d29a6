//! Every message and view the bot builds, at its largest, walked for Slack's limits
//! ([`walk`]). Every [`Reply`] and [`Notice`] kind has samples: [`reply_kind`] and
//! [`notice_kind`] match without a wildcard, so a new variant does not compile until it has a
//! number here, and the walk fails until it has a sample. A new view is one more line in
//! `every_view_is_within_limits`.

mod samples;
mod views;
mod walk;

use serde::Serialize;

use super::{notice_message, reply_message};
use crate::domain::*;
use crate::message::*;
use samples::*;

/// Numbers every `Reply` kind; no wildcard, so a new kind must be added here.
fn reply_kind(r: &Reply) -> usize {
    match r {
        Reply::Help { .. } => 0,
        Reply::Pitched { .. } => 1,
        Reply::ProjectList { .. } => 2,
        Reply::UpdatePosted { .. } => 3,
        Reply::PhaseChanged { .. } => 4,
        Reply::ProjectDetail { .. } => 5,
        Reply::Membership { .. } => 6,
        Reply::CouncilDidYouMean { .. } => 7,
        Reply::Reuse { .. } => 8,
        Reply::Publication { .. } => 9,
        Reply::Link { .. } => 10,
        Reply::SearchResults { .. } => 11,
        Reply::Councils { .. } => 12,
        Reply::Council { .. } => 13,
        Reply::Skills { .. } => 14,
        Reply::Wants { .. } => 15,
        Reply::DigestSubscribed { .. } => 16,
        Reply::DigestOff { .. } => 17,
        Reply::DigestPreview { .. } => 18,
        Reply::Problem { .. } => 19,
        Reply::Internal => 20,
        Reply::Forgotten { .. } => 21,
        Reply::PitchEdited { .. } => 22,
        Reply::UpdateCorrected { .. } => 23,
        Reply::LeadCouncil { .. } => 24,
        Reply::UpdateWithdrawn { .. } => 25,
        Reply::Privacy { .. } => 26,
        Reply::PitchedInPrivate { .. } => 27,
        Reply::ListedElsewhere { .. } => 28,
        Reply::Merged { .. } => 29,
        Reply::CouncilReuses { .. } => 30,
        Reply::Report(_) => 31,
        Reply::CouncilReport(_) => 32,
    }
}
const REPLY_KINDS: usize = 33;

/// Numbers every `Notice` kind; no wildcard, so a new kind must be added here.
fn notice_kind(n: &Notice) -> usize {
    match n {
        Notice::Announcement(_) => 0,
        Notice::Reply { .. } => 1,
        Notice::Joined { .. } => 2,
        Notice::TeamNews { .. } => 3,
        Notice::Update { .. } => 4,
        Notice::Reused { .. } => 5,
        Notice::ReuseWithdrawn { .. } => 24,
        Notice::Publication { .. } => 6,
        Notice::SkillsWanted { .. } => 7,
        Notice::PhaseChanged { .. } => 8,
        Notice::Nudge { .. } => 9,
        Notice::Digest { .. } => 10,
        Notice::CannotAnnounce { .. } => 11,
        Notice::AnnouncementRefused { .. } => 12,
        Notice::PitchEdited { .. } => 13,
        Notice::AnnouncementCorrected { .. } => 14,
        Notice::CorrectionRefused { .. } => 15,
        Notice::RemovedFromTeam { .. } => 16,
        Notice::CatalogueHold { .. } => 17,
        Notice::UpdateCorrected { .. } => 18,
        Notice::HandedOver { .. } => 19,
        Notice::NowLead { .. } => 20,
        Notice::LeadCouncilSet { .. } => 21,
        Notice::UpdateNotPosted { .. } => 22,
        Notice::LeadLeft { .. } => 23,
        Notice::LinkChanged { .. } => 25,
        Notice::ChangedByTeam { .. } => 26,
        Notice::NudgeNotPosted { .. } => 27,
        Notice::DigestNotPosted { .. } => 28,
        Notice::CarriesOnElsewhere { .. } => 29,
        Notice::MergedHere { .. } => 30,
        Notice::MergedTeamTold { .. } => 31,
        Notice::MergeUndone { .. } => 32,
        Notice::MergedIntoYours { .. } => 33,
        Notice::ReusedProjectNews { .. } => 34,
    }
}
const NOTICE_KINDS: usize = 35;

/// The answers not in `samples::replies`: every note of the small ones.
fn all_replies() -> Vec<Reply> {
    let n = number(99_999);
    let mut out = replies();
    // One command's lines, asked for or as the likely slip for a long unknown word.
    for sub in crate::commands::SUBCOMMANDS {
        for unknown in [None, Some(worst(4000))] {
            let about = Some(sub.to_string());
            out.push(Reply::Help { unknown, about });
        }
    }
    let filters = Phase::ALL
        .map(ListFilter::Phase)
        .into_iter()
        .chain([ListFilter::Open, ListFilter::Mine, ListFilter::Quiet])
        .chain(Skill::ALL.map(ListFilter::Needs))
        .chain([ListFilter::Council {
            id: 1,
            name: worst(100),
            formerly: Some(crate::domain::Formerly {
                name: worst(100),
                renamed: false,
            }),
        }]);
    for filter in filters {
        for projects in [summaries(2000), summaries(1), Vec::new()] {
            for page in [
                Page::FIRST,
                Page::new(2).unwrap(),
                Page::new(Page::MAX).unwrap(),
            ] {
                for left_out in [false, true] {
                    out.push(Reply::ProjectList {
                        filter: filter.clone(),
                        projects: projects.clone(),
                        page,
                        left_out,
                    });
                }
            }
        }
    }
    let makeup = Makeup {
        people: u32::MAX,
        councils: u32::MAX,
    };
    for note in [
        MembershipNote::Joined {
            makeup,
            council_known: false,
        },
        MembershipNote::AlreadyIn,
        MembershipNote::Left,
        MembershipNote::LeftLeading { team_left: true },
        MembershipNote::LeftLeading { team_left: false },
        MembershipNote::NotIn,
        MembershipNote::Removed { user: user(1) },
        MembershipNote::NotTheirs { user: user(1) },
        MembershipNote::AlreadyLeads { user: user(1) },
        MembershipNote::NotInTeamToLead {
            user: user(1),
            open: true,
        },
        MembershipNote::NotInTeamToLead {
            user: user(1),
            open: false,
        },
        MembershipNote::AppCannotLead { user: user(1) },
        MembershipNote::LeftSlackCannotLead { user: user(1) },
    ]
    .into_iter()
    .chain(ThreadLine::ALL.map(|told| MembershipNote::HandedOver {
        user: user(1),
        told,
        dm: true,
    })) {
        out.push(Reply::Membership {
            number: n,
            title: title(),
            note,
        });
    }
    let lead_councils = ThreadLine::ALL
        .map(|told| LeadCouncilNote::Set {
            council: council(),
            told,
            before: crate::message::LeadBefore::Kept { council: council() },
        })
        .into_iter()
        .chain([
            LeadCouncilNote::Set {
                council: council(),
                told: ThreadLine::Queued,
                before: crate::message::LeadBefore::PutRight {
                    council: council(),
                    pitched: true,
                },
            },
            LeadCouncilNote::Already { council: council() },
            LeadCouncilNote::Unknown {
                typed: council(),
                near: None,
            },
            LeadCouncilNote::Unknown {
                typed: council(),
                near: Some(council()),
            },
            LeadCouncilNote::ReusesIt { council: council() },
        ]);
    for note in lead_councils {
        out.push(Reply::LeadCouncil {
            number: n,
            title: title(),
            note,
            formerly: Some(crate::message::Formerly {
                name: council(),
                renamed: false,
            }),
        });
    }
    for line in CorrectedLine::ALL {
        out.push(Reply::UpdateCorrected {
            number: n,
            title: title(),
            line,
        });
        out.push(Reply::UpdateWithdrawn {
            number: n,
            title: title(),
            line,
        });
    }
    let recorded = ThreadLine::ALL.into_iter().flat_map(|in_thread| {
        [false, true].map(|with_note| ReuseNote::Recorded {
            councils: u32::MAX,
            in_thread,
            with_note,
        })
    });
    let others = [
        ReuseNote::NoteUpdated,
        ReuseNote::AlreadyRecorded,
        ReuseNote::AlreadyRecordedElsewhere,
        ReuseNote::Withdrawn,
        ReuseNote::NotReusing,
    ];
    let withdrawn = ThreadLine::ALL.map(|in_thread| ReuseNote::WithdrawnSaid {
        in_thread,
        before: true,
    });
    for note in recorded.into_iter().chain(others).chain(withdrawn) {
        for (listed, title, page) in [
            (None, Some(title()), None),
            (None, Some(title()), Some(slug())),
            (Some(slug()), Some(title()), Some(slug())),
            (Some(slug()), None, None),
        ] {
            out.push(Reply::Reuse {
                number: n,
                title,
                council: council(),
                note,
                listed,
                page,
            });
        }
    }
    let published = ThreadLine::ALL.map(|in_thread| PublicationNote::Published {
        slug: slug(),
        in_thread,
        seen_elsewhere: true,
    });
    let others = [
        PublicationNote::AlreadyPublished { slug: slug() },
        PublicationNote::Unpublished,
        PublicationNote::NotPublished,
    ];
    for note in published.into_iter().chain(others) {
        out.push(Reply::Publication {
            number: n,
            title: title(),
            note,
        });
    }
    for note in [
        LinkNote::Added { url: url() },
        LinkNote::Replaced { url: url() },
        LinkNote::Unchanged { url: url() },
        LinkNote::Removed,
        LinkNote::NothingToRemove,
    ] {
        for (published, held) in [(Some(slug()), false), (None, false), (None, true)] {
            let which = LinkKind::Service;
            out.push(Reply::Link {
                number: n,
                title: title(),
                which,
                note: note.clone(),
                published,
                held,
            });
        }
    }
    let ledger = GiveAndTake {
        council: council(),
        led: u32::MAX,
        people: u32::MAX,
        reuses: u32::MAX,
        reused_by_others: u32::MAX,
    };
    out.push(Reply::Council {
        name: Some(council()),
        ledger: Some(Box::new(ledger)),
        matched: true,
        was: Some(council()),
        led: summaries(500)
            .into_iter()
            .map(|p| (p.number, p.title))
            .collect(),
        led_private: usize::MAX,
        still_led: summaries(500)
            .into_iter()
            .map(|p| (p.number, p.title))
            .collect(),
        changed_elsewhere: usize::MAX,
        still_led_elsewhere: usize::MAX,
        joins_kept: usize::MAX,
        joins_put_right: usize::MAX,
        reuses_of_slip: summaries(500)
            .into_iter()
            .map(|p| (p.number, p.title))
            .collect(),
        reuses_of_slip_private: usize::MAX,
        formerly: Some(Box::new(crate::message::Formerly {
            name: council(),
            renamed: false,
        })),
    });
    let matching: Vec<SkillMatch> = summaries(100)
        .into_iter()
        .map(|project| SkillMatch {
            project,
            skills: Skill::ALL.to_vec(),
        })
        .collect();
    for (skills, changed) in [(Skill::ALL.to_vec(), true), (Vec::new(), false)] {
        for matching in [matching.clone(), Vec::new()] {
            out.push(Reply::Skills {
                skills: skills.clone(),
                changed,
                matching,
            });
        }
    }
    let changes = [
        DescriptionChange::Kept,
        DescriptionChange::Replaced,
        DescriptionChange::Removed,
    ];
    for (renamed, description) in changes.into_iter().flat_map(|d| [(true, d), (false, d)]) {
        for in_thread in ThreadLine::ALL.map(Some).into_iter().chain([None]) {
            out.push(Reply::PitchEdited {
                number: n,
                title: title(),
                renamed,
                description,
                in_thread,
            });
        }
    }
    for skills in [Skill::ALL.to_vec(), Vec::new()] {
        let told = ThreadLine::ALL.map(|line| (true, line));
        for (changed, in_thread) in told.into_iter().chain([(false, ThreadLine::Queued)]) {
            for retired in [false, true] {
                out.push(Reply::Wants {
                    number: n,
                    title: title(),
                    skills: skills.clone(),
                    changed,
                    in_thread,
                    retired,
                });
            }
        }
    }
    out
}

/// An announcement at its largest.
fn announced(phase: Phase) -> AnnouncementBody {
    AnnouncementBody {
        project_id: i64::MAX,
        number: number(99_999),
        title: title(),
        description: Description::parse(&worst(Description::MAX_CHARS)).unwrap(),
        pitcher: user(1),
        join_emoji: "raised_hand".into(),
        wanted: Skill::ALL.to_vec(),
        phase,
        carried_on_as: (phase == Phase::Retired).then(|| CarriedOnAs {
            number: number(99_999),
            title: title(),
        }),
        // Shared, the longer wording: a link to where it carries on.
        shared: phase == Phase::Retired,
        carried_on_at: (phase == Phase::Retired).then(|| {
            (
                ChannelId::parse(&format!("C{}", "Z".repeat(20))).unwrap(),
                MessageTs::parse("9999999999.999999").unwrap(),
            )
        }),
    }
}

fn notices() -> Vec<Notice> {
    let n = number(99_999);
    let makeup = Makeup {
        people: u32::MAX,
        councils: u32::MAX,
    };
    let mut out = vec![
        Notice::Announcement(announced(Phase::Discovery)),
        Notice::CorrectionRefused {
            number: n,
            why: worst(200),
            of_update: false,
            withdrawn: false,
        },
        Notice::CorrectionRefused {
            number: n,
            why: worst(200),
            of_update: true,
            withdrawn: false,
        },
        Notice::CorrectionRefused {
            number: n,
            why: worst(200),
            of_update: true,
            withdrawn: true,
        },
        Notice::UpdateNotPosted {
            number: n,
            channel: channel(),
            why: Some(worst(200)),
        },
        Notice::UpdateNotPosted {
            number: n,
            channel: channel(),
            why: None,
        },
        Notice::NudgeNotPosted {
            number: n,
            title: Some(title()),
            channel: channel(),
            quiet_days: i64::MAX,
            why: worst(200),
        },
        Notice::DigestNotPosted {
            channel: channel(),
            why: worst(200),
            stopped: true,
            first: true,
        },
        Notice::DigestNotPosted {
            channel: channel(),
            why: worst(200),
            stopped: false,
            first: false,
        },
        Notice::Joined {
            project_id: i64::MAX,
            number: n,
            title: title(),
            user: user(1),
            council: Some(council()),
            makeup,
            pitcher: user(2),
            known_person: true,
        },
        Notice::TeamNews {
            number: n,
            title: title(),
            user: user(1),
            council: Some(council()),
            makeup,
        },
        Notice::Update {
            number: n,
            author: user(1),
            text: Some(update_text()),
            update: Some(i64::MAX),
        },
        Notice::UpdateCorrected {
            number: n,
            author: user(1),
            text: Some(update_text()),
            update: i64::MAX,
            as_posted: false,
        },
        Notice::UpdateCorrected {
            number: n,
            author: user(1),
            text: None,
            update: i64::MAX,
            as_posted: true,
        },
        Notice::RemovedFromTeam {
            number: n,
            title: title(),
            by: user(2),
            open: true,
        },
        Notice::HandedOver {
            number: n,
            title: title(),
            by: user(1),
            to: user(2),
        },
        Notice::HandedOver {
            number: n,
            title: title(),
            by: user(2),
            to: user(2),
        },
        Notice::NowLead {
            number: n,
            title: title(),
            by: user(1),
        },
        Notice::LeadCouncilSet {
            number: n,
            title: title(),
            council: council(),
            by: user(1),
        },
        Notice::LeadLeft {
            number: n,
            title: title(),
            lead: user(1),
            team_left: true,
            left_slack: true,
        },
        Notice::LeadLeft {
            number: n,
            title: title(),
            lead: user(1),
            team_left: false,
            left_slack: false,
        },
        Notice::Reused {
            number: n,
            council: council(),
            councils: u32::MAX,
            elsewhere: true,
        },
        Notice::ReuseWithdrawn {
            number: n,
            council: council(),
            councils: u32::MAX,
            merged: None,
        },
        Notice::ReuseWithdrawn {
            number: n,
            council: council(),
            councils: u32::MAX,
            merged: Some(crate::message::MergedInto {
                into: council(),
                why: crate::domain::ReuseEnds::SaidEarlier,
            }),
        },
        Notice::Publication {
            number: n,
            slug: Some(slug()),
            by: user(1),
        },
        Notice::Publication {
            number: n,
            slug: None,
            by: user(1),
        },
        Notice::LinkChanged {
            number: n,
            which: LinkKind::Service,
            url: Some(url()),
            by: user(1),
        },
        Notice::LinkChanged {
            number: n,
            which: LinkKind::Docs,
            url: None,
            by: user(1),
        },
        Notice::ChangedByTeam {
            number: n,
            title: title(),
            by: user(1),
            change: TeamChange::Edited {
                renamed_from: Some(title()),
            },
        },
        Notice::ChangedByTeam {
            number: n,
            title: title(),
            by: user(1),
            change: TeamChange::Published { slug: slug() },
        },
        Notice::ChangedByTeam {
            number: n,
            title: title(),
            by: user(1),
            change: TeamChange::Merged {
                into: n,
                into_title: title(),
                back_to: Phase::Beta,
                retired_before: true,
            },
        },
        Notice::MergeUndone {
            number: n,
            from: n,
            from_title: Some(title()),
            by: user(1),
        },
        Notice::MergedIntoYours {
            number: n,
            title: title(),
            from: n,
            from_title: title(),
            by: user(1),
            newcomers: u32::MAX,
            asked: true,
            back_to: Phase::Discovery,
        },
        Notice::ReusedProjectNews {
            council: worst(200),
            project: ProjectNamed::Number {
                number: n,
                title: title(),
            },
            page: Some(slug()),
            news: ReusedNews::Merged {
                into: Some(ProjectNamed::Listed {
                    slug: slug(),
                    title: title(),
                }),
                retired_before: true,
                offer_reuse: true,
            },
            by: Some(user(1)),
        },
        Notice::ReusedProjectNews {
            council: worst(200),
            project: ProjectNamed::Listed {
                slug: slug(),
                title: title(),
            },
            page: Some(slug()),
            news: ReusedNews::Back {
                phase: Phase::Discovery,
                unmerged: true,
            },
            by: None,
        },
        Notice::MergedTeamTold {
            number: n,
            title: title(),
            into: n,
            into_title: title(),
            by: Some(user(1)),
            workspace: Some(TeamId::parse(&format!("T{}", "Z".repeat(20))).unwrap()),
            shown_to: Some(user(1)),
        },
        Notice::CarriesOnElsewhere {
            number: n,
            into: n,
            into_title: title(),
            by: user(1),
        },
        Notice::MergedHere {
            number: n,
            from: n,
            from_title: title(),
            by: user(1),
            newcomers: u32::MAX,
            asked: true,
        },
        Notice::ChangedByTeam {
            number: n,
            title: title(),
            by: user(1),
            change: TeamChange::Linked {
                which: LinkKind::Service,
                url: Some(url()),
            },
        },
        Notice::CatalogueHold {
            number: n,
            held: true,
            was_published: true,
            reason: Some(update_text()),
        },
        Notice::CatalogueHold {
            number: n,
            held: false,
            was_published: false,
            reason: None,
        },
        Notice::SkillsWanted {
            number: n,
            skills: Skill::ALL.to_vec(),
            by: user(1),
        },
        Notice::SkillsWanted {
            number: n,
            skills: Vec::new(),
            by: user(1),
        },
        Notice::PitchEdited {
            number: n,
            title: title(),
            renamed_from: Some(title()),
            description: Some(Description::parse(&worst(Description::MAX_CHARS)).unwrap()),
            by: user(1),
        },
        Notice::PitchEdited {
            number: n,
            title: title(),
            renamed_from: None,
            description: Some(Description::parse("").unwrap()),
            by: user(1),
        },
        Notice::PhaseChanged {
            number: n,
            from: Phase::Beta,
            to: Phase::Live,
            note: Some(update_text()),
            by: user(1),
        },
        Notice::PhaseChanged {
            number: n,
            from: Phase::Live,
            to: Phase::Retired,
            note: None,
            by: user(1),
        },
        // A nudge mentions the whole team; a team can be as large as a workspace.
        Notice::Nudge {
            number: n,
            title: Some(title()),
            team: (0..2000).map(user).collect(),
            quiet_days: i64::MAX / 2,
        },
        Notice::Digest {
            digest: digest(500),
            first: true,
        },
        Notice::Digest {
            digest: digest(0),
            first: false,
        },
        Notice::CannotAnnounce {
            number: n,
            channel: channel(),
        },
        Notice::AnnouncementRefused {
            number: n,
            channel: channel(),
            why: "x".repeat(4000),
        },
    ];
    // A correction shows the phase, and a retired project's drops its invitation.
    out.extend(Phase::ALL.map(|phase| Notice::AnnouncementCorrected {
        body: announced(phase),
        by: user(2),
    }));
    // A mention's answer is any reply, in a thread.
    out.extend(
        all_replies()
            .into_iter()
            .map(|reply| Notice::Reply { reply }),
    );
    out
}

fn json(x: &impl Serialize) -> serde_json::Value {
    serde_json::to_value(x).unwrap()
}

fn report(what: &str, broken: walk::Broken, failures: &mut Vec<String>) {
    failures.extend(broken.lines.into_iter().map(|l| format!("{what}: {l}")));
}

/// The largest digest sample holds the line a quarter's end adds, so the walk measures it.
#[test]
fn the_largest_digest_sample_says_a_quarter_has_ended() {
    let text = super::digest_text(&digest(500), &look());
    assert!(text.contains("Q3 of 2026/27 has ended"), "{text}");
}

fn assert_none(failures: Vec<String>) {
    assert!(
        failures.is_empty(),
        "{} over Slack's limits:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_reply_is_within_limits() {
    let mut seen = [false; REPLY_KINDS];
    let mut failures = Vec::new();
    for reply in all_replies() {
        seen[reply_kind(&reply)] = true;
        let what: String = format!("{reply:?}").chars().take(60).collect();
        report(
            &what,
            walk::message(&json(&reply_message(&reply, &look()))),
            &mut failures,
        );
    }
    let missing: Vec<usize> = (0..REPLY_KINDS).filter(|&i| !seen[i]).collect();
    assert!(
        missing.is_empty(),
        "reply kinds without a sample: {missing:?}"
    );
    assert_none(failures);
}

#[test]
fn every_notice_is_within_limits() {
    let mut seen = [false; NOTICE_KINDS];
    let mut failures = Vec::new();
    for notice in notices() {
        seen[notice_kind(&notice)] = true;
        let what: String = format!("{notice:?}").chars().take(60).collect();
        report(
            &what,
            walk::message(&json(&notice_message(&notice, &look()))),
            &mut failures,
        );
    }
    let missing: Vec<usize> = (0..NOTICE_KINDS).filter(|&i| !seen[i]).collect();
    assert!(
        missing.is_empty(),
        "notice kinds without a sample: {missing:?}"
    );
    assert_none(failures);
}

/// How each kind of news in a digest is titled.
const DIGEST_KINDS: [&str; 8] = [
    "*New pitches*",
    "*Who joined*",
    "*Updates*",
    "*Phase changes*",
    "*Newly re-used*",
    "*Projects that need people*",
    "*Gone quiet*",
    "*New from other workspaces*",
];

/// A busy week shortens every kind of news rather than drop the last kinds whole: what
/// needs people and what has gone quiet ask people to act. (At these samples' worst, an
/// escaped line can be longer than its kind's share, which then shows only its count.)
#[test]
fn a_busy_digest_keeps_every_kind_of_news() {
    let notice = Notice::Digest {
        digest: digest(50),
        first: false,
    };
    let text = json(&notice_message(&notice, &look()))["blocks"].to_string();
    for title in DIGEST_KINDS {
        assert!(text.contains(title), "{title} in {text}");
    }
    assert!(!text.contains("more than fits"), "{text}");
    // And a screen reader, which reads `text`, hears each kind's heading, though not all.
    let said = json(&notice_message(&notice, &look()))["text"].to_string();
    for title in DIGEST_KINDS {
        assert!(said.contains(title), "{title} in {said}");
    }
}

/// A page of a list (`list`, `councils`, `list reused`) is said whole in its `text`, which a
/// screen reader reads in place of the blocks: every line of the blocks (the heading, said
/// first, once), the closing line with the next page's command among them.
#[test]
fn every_page_of_a_list_is_said_whole() {
    let mut failures = Vec::new();
    let mut paged = [false; 3];
    for reply in all_replies() {
        let kind = match reply {
            Reply::ProjectList { .. } => 0,
            Reply::Councils { .. } => 1,
            Reply::CouncilReuses { .. } => 2,
            _ => continue,
        };
        let v = json(&reply_message(&reply, &look()));
        let text = v["text"].as_str().unwrap();
        let said: Vec<&str> = text.lines().collect();
        for block in v["blocks"].as_array().unwrap() {
            for line in block["text"]["text"].as_str().unwrap_or("").lines() {
                // (The first line may be two: a heading and a council's former name.)
                let heading = text.contains(line.replace('*', "").trim());
                if !heading && !said.contains(&line) {
                    let what: String = format!("{reply:?}").chars().take(60).collect();
                    failures.push(format!("{what}: not said: {line}"));
                }
            }
        }
        paged[kind] |= text.contains("` shows the next");
    }
    assert_eq!(paged, [true; 3], "a sample of each is paged");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A busy week of ordinary text (plain titles of 90 characters, notes and updates at the
/// digest's 280): every kind of news lists items, not only a count.
#[test]
fn a_busy_week_of_ordinary_text_lists_items_of_every_kind() {
    let plain = |n: usize| "lorem ipsum ".repeat(n / 12 + 1)[..n].to_string();
    let project = |i: usize| ProjectRef {
        number: number(i),
        title: Title::parse(&format!("Project {i} {}", plain(80))).unwrap(),
        channel: channel(),
        announcement_ts: Some(ts()),
        published: None,
    };
    let n = 12;
    let snapshot = DigestSnapshot {
        new_pitches: (0..n)
            .map(|i| PitchItem {
                project: project(i),
                description: plain(280),
                pitcher: user(i),
                council: Some("Guildford Borough Council".into()),
            })
            .collect(),
        joins: (0..n)
            .map(|i| JoinItem {
                project: project(i),
                user: user(i),
                council: Some("Mole Valley District Council".into()),
            })
            .collect(),
        updates: (0..n)
            .map(|i| UpdateItem {
                project: project(i),
                author: user(i),
                text: plain(280),
                update: Some(i64::MAX),
            })
            .collect(),
        phase_changes: (0..n)
            .map(|i| PhaseItem {
                project: project(i),
                from: Phase::Alpha,
                to: Phase::Beta,
                note: plain(280),
                carries_on_in: None,
            })
            .collect(),
        reuses: (0..n)
            .map(|i| ReuseItem {
                project: project(i),
                council: "Waverley Borough Council".into(),
                note: plain(280),
            })
            .collect(),
        council_moves: Vec::new(),
        // As many again that are not new this week, to need people (a new pitch is listed
        // once, under the new pitches).
        open_projects: (0..2 * n)
            .map(|i| OpenProject {
                project: project(i),
                members: 1,
                last_activity_at: 0,
            })
            .collect(),
        people: 40,
        councils: 9,
        published_elsewhere: (0..n)
            .map(|i| ServiceElsewhere {
                slug: Slug::parse(&format!("service-{i}")).unwrap(),
                name: format!("Service {i} {}", plain(80)),
                phase: Phase::Live,
                lead_council: Some("Guildford Borough Council".into()),
                reused_by: 3,
                merged_into: None,
            })
            .collect(),
    };
    let notice = Notice::Digest {
        digest: Box::new(compose(snapshot, WEEK, 56 * 86_400)),
        first: false,
    };
    let v = json(&notice_message(&notice, &look()));
    let sections: Vec<String> = v["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["text"]["text"].as_str().unwrap_or("").to_string())
        .collect();
    for title in DIGEST_KINDS {
        let section = sections
            .iter()
            .find(|s| s.starts_with(title))
            .unwrap_or_else(|| panic!("{title} in {sections:?}"));
        assert!(section.contains("\n• "), "{title} lists items: {section}");
    }
}

/// The help and the echo of an unknown word fit whole: nothing of the help is cut.
#[test]
fn help_is_never_cut() {
    for unknown in [None, Some(worst(4000))] {
        let help = Reply::Help {
            unknown,
            about: None,
        };
        let v = json(&reply_message(&help, &look()));
        let blocks = v["blocks"].as_array().unwrap();
        let text: Vec<&str> = blocks
            .iter()
            .map(|b| b["text"]["text"].as_str().unwrap())
            .collect();
        assert!(
            text.iter().all(|t| !t.ends_with('…')),
            "a section was cut: {text:?}"
        );
        let text = text.join("\n");
        let typed = super::help::elsewhere(super::help::Asked::Typed, &look());
        assert!(text.ends_with(&typed), "{text}");
        for (usage, _) in super::help::USAGE {
            assert!(
                text.contains(&super::escape(usage)),
                "{usage} missing: {text}"
            );
        }
    }
}

/// Every command an answer or a post suggests (`` `/makers join 4` ``), as written, is one the
/// parser reads: copied and sent, it does what it says rather than answering a mistake.
/// Placeholders (`<number>`, `@person`), text cut short (`…`) and a command's name alone
/// (`` `/makers show` ``) are not commands to copy.
#[test]
fn every_suggested_command_parses() {
    let mut failures = Vec::new();
    let mut checked = 0;
    let messages = all_replies()
        .iter()
        .map(|r| json(&reply_message(r, &look())))
        .chain(notices().iter().map(|n| json(&notice_message(n, &look()))))
        .collect::<Vec<_>>();
    for message in messages {
        let text = message.to_string();
        for piece in text.split("`/makers ").skip(1) {
            let Some((typed, _)) = piece.split_once('`') else {
                continue;
            };
            let typed = typed
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&amp;", "&")
                .replace("\\\"", "\"");
            let name_alone = crate::commands::SUBCOMMANDS.contains(&typed.as_str());
            if name_alone
                || typed.contains(['<', '…'])
                || typed.contains("@person")
                || typed.contains("@name")
            {
                continue;
            }
            checked += 1;
            if let Err(e) = crate::commands::parse(&typed) {
                failures.push(format!("`/makers {typed}`: {e:?}"));
            }
        }
    }
    failures.sort();
    failures.dedup();
    assert!(checked > 50, "only {checked} suggestions found");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
