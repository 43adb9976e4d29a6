//! Samples of what the bot says, at their largest and smallest, for the walk in `mod.rs`.
//!
//! "At its largest": as long as the domain lets text be (titles, descriptions, updates,
//! notes, council names), made of `&`, `<` and `>`, which escaping makes four or five times
//! longer, with working tokens mixed in; and lists longer than the handlers ever ask for.

use super::super::Look;
use crate::domain::*;
use crate::message::*;
use chrono::Weekday;

pub(super) fn look() -> Look {
    Look {
        tz: chrono_tz::Europe::London,
        join_emoji: "raised_hand".into(),
        public_url: "https://makers.example.gov.uk".into(),
        // As long as `MAKERS_CONTACT_URL` may be (300), of what escaping lengthens.
        contact_url: Some(format!(
            "https://www.example.gov.uk/contact?{}",
            "a&".repeat(133)
        )),
        join_seal: crate::slack::render::JoinSeal::from_secret(b"test"),
    }
}

/// `n` characters of what escaping makes longest, with a few tokens that stay working.
pub(super) fn worst(n: usize) -> String {
    let tokens = "<@U0BOB|bob> <https://x.example/plan|the plan> <!here> <#C0DEV|dev> ";
    let mut s: String = tokens.chars().take(n).collect();
    while s.chars().count() < n {
        s.push(['&', '<', '>', '&', ' '][s.len() % 5]);
    }
    s
}

pub(super) fn user(i: usize) -> UserId {
    UserId::parse(&format!("U{i:010}")).unwrap()
}

pub(super) fn number(i: usize) -> ProjectNumber {
    ProjectNumber::new(i as u32 + 1).unwrap()
}

pub(super) fn title() -> Title {
    Title::from_stored("&".repeat(Title::MAX_CHARS))
}

pub(super) fn council() -> String {
    // A name of `&` alone names no council (it is only "and"s): one letter and the rest.
    format!("X{}", "&".repeat(CouncilName::MAX_CHARS - 1))
}

pub(super) fn channel() -> ChannelId {
    ChannelId::parse("C0123456789").unwrap()
}

pub(super) fn ts() -> MessageTs {
    MessageTs::parse("1795000000.000100").unwrap()
}

/// `n` services of other workspaces, each as long as the catalogue may name one (a public
/// name may be longer than its title: `<@U1>` is shown as "someone"), retired, merged into
/// another as long, and re-used as much as can be.
pub(super) fn elsewhere(n: usize) -> Vec<ServiceElsewhere> {
    (0..n)
        .map(|_| ServiceElsewhere {
            slug: slug(),
            name: "&".repeat(Title::MAX_CHARS * 2),
            phase: Phase::Retired,
            lead_council: Some(council()),
            reused_by: u32::MAX,
            merged_into: Some(merged_service()),
        })
        .collect()
}

/// A service in the catalogue by the longest address and name, that another was merged into.
pub(super) fn merged_service() -> MergedService {
    MergedService {
        slug: slug(),
        name: "&".repeat(Title::MAX_CHARS * 2),
    }
}

/// Another workspace's service's page at its largest: `n` councils in its team and `n`
/// re-users with the longest notes, every link, merged into a service with the longest name.
pub(super) fn catalogue_page(n: usize) -> CataloguePage {
    let long = "&".repeat(Title::MAX_CHARS * 2);
    CataloguePage {
        entry: CatalogueEntry {
            slug: slug(),
            name: long.clone(),
            description: "&".repeat(Description::MAX_CHARS * 2),
            phase: Phase::Retired,
            lead_council: Some(council()),
            councils: (0..n).map(|i| format!("{i}{}", council())).collect(),
            used_by: (0..n).map(|i| format!("{i}{}", council())).collect(),
            links: [LinkKind::Code, LinkKind::Service, LinkKind::Docs]
                .into_iter()
                .map(|kind| ProjectLink {
                    kind,
                    url: LinkUrl::from_stored(format!(
                        "https://example.gov.uk/{}",
                        "a&".repeat(240)
                    )),
                })
                .collect(),
            pitched: 1_795_000_000,
            last_news: 1_795_000_000,
            published: 1_795_000_000,
            carried_on: Some(CarriedOn::As(MergedService {
                slug: slug(),
                name: long,
            })),
            merged_at: Some(1_795_000_000),
            phase_changed: None,
        },
        reuses: (0..n)
            .map(|i| PublicReuse {
                // The first is the asker's, said at the close.
                council: match i {
                    0 => council(),
                    _ => format!("{i}{}", council()),
                },
                note: "&".repeat(2000),
                since: 1_795_000_000,
            })
            .collect(),
        history: Vec::new(),
    }
}

/// As long as a slug can be (its base, then `-` and a number up to ten digits), and one a
/// command reads back (a suggested `/makers reuse <it>` must parse).
pub(super) fn slug() -> Slug {
    let slug = format!("{}-{}", "a".repeat(Slug::MAX_BASE), "9".repeat(10));
    Slug::parse(&slug).expect("the longest slug")
}

pub(super) fn url() -> LinkUrl {
    LinkUrl::from_stored(format!("https://x.example/{}", "a".repeat(480)))
}

pub(super) fn summary(i: usize) -> ProjectSummary {
    ProjectSummary {
        number: number(i),
        title: title(),
        phase: Phase::ALL[i % 5],
        members: i as u32,
        quiet: i.is_multiple_of(2),
        council_part: Some(CouncilPart {
            leads: true,
            works_on: true,
            reuses: true,
        }),
        // A retired one at its longest: merged, its line says where.
        carries_on_in: Some(number(99_999)),
    }
}

pub(super) fn summaries(n: usize) -> Vec<ProjectSummary> {
    (0..n).map(summary).collect()
}

/// The days of a report: a financial year so far.
fn days() -> ReportDays {
    ReportDays {
        first: "2026-04-01".parse().unwrap(),
        last: "2027-03-31".parse().unwrap(),
        today: "2027-03-31".parse().unwrap(),
        span: SpanKind::Year,
        so_far: true,
    }
}

/// Where things stand, every count at its largest.
fn largest_standing() -> Standing {
    Standing {
        makeup: Makeup {
            people: u32::MAX,
            councils: u32::MAX,
        },
        in_catalogue: u32::MAX,
        reuses_standing: u32::MAX,
        reusing_councils: u32::MAX,
    }
}

/// A period's figures at their largest: 500 projects gone live and 500 councils new, of the
/// longest names.
fn happened() -> Happened {
    Happened {
        pitched: u32::MAX,
        moved_on: u32::MAX,
        went_live: (0..500).map(|i| (number(i), title())).collect(),
        went_live_unnamed: u32::MAX,
        retired: u32::MAX,
        retired_merged: u32::MAX,
        joins: u32::MAX,
        join_councils: u32::MAX,
        joiners: u32::MAX,
        updates: u32::MAX,
        published: u32::MAX,
        reuses: u32::MAX,
        reuse_councils: u32::MAX,
        reused_projects: u32::MAX,
        new_councils: (0..500).map(|i| format!("{i}{}", council())).collect(),
    }
}

/// A council's figures that moved, of the longest name, each at its largest.
fn largest_moves() -> CouncilMoves {
    CouncilMoves {
        council: council(),
        pitched: u32::MAX,
        joined: u32::MAX,
        joiners: u32::MAX,
        reuses: u32::MAX,
        reused_by_others: u32::MAX,
    }
}

/// 500 councils with the longest names and the largest figures.
fn councils() -> Vec<GiveAndTake> {
    (0..500)
        .map(|i| GiveAndTake {
            council: format!("{i}{}", council()),
            led: u32::MAX,
            people: u32::MAX,
            reuses: u32::MAX,
            reused_by_others: u32::MAX,
        })
        .collect()
}

pub(super) fn update_text() -> UpdateText {
    UpdateText::parse(&worst(UpdateText::MAX_CHARS)).unwrap()
}

pub(super) fn detail(members: usize) -> ProjectDetail {
    ProjectDetail {
        number: number(99_999),
        title: title(),
        description: Description::parse(&worst(Description::MAX_CHARS)).unwrap(),
        phase: Phase::Beta,
        pitcher: user(0),
        // Handed over: the longest facts line.
        pitched_by: Some(user(1)),
        pitcher_council: Some(council()),
        // Handed to another council: the longest lead council line.
        led_before: Some(crate::domain::LedBefore {
            council: council(),
            until: 1_800_000_000,
        }),
        channel: channel(),
        announcement_ts: Some(ts()),
        announcement_refused: false,
        members: (0..members)
            .map(|i| TeamMember {
                user: user(i),
                council: Some(council()),
            })
            .collect(),
        created_at: 1_790_000_000,
        published: Some(slug()),
    }
}

pub(super) fn progress(n: usize) -> Progress {
    Progress {
        history: (0..n)
            .map(|i| PhaseChangeView {
                from: Phase::ALL[i % 4],
                to: Phase::ALL[i % 4 + 1],
                note: worst(UpdateText::MAX_CHARS),
                by: user(i),
                at: 1_790_000_000 + i as i64 * 86_400,
            })
            .collect(),
        updates: (0..n)
            .map(|i| UpdateView {
                author: user(i),
                text: worst(UpdateText::MAX_CHARS),
                at: 1_790_000_000,
                corrected: true,
            })
            .collect(),
        quiet: true,
        reused_by: (0..n)
            .map(|i| ReuseView {
                council: format!("{i}{}", council()),
                note: worst(2000),
                since: 1_790_000_000,
            })
            .collect(),
        links: LinkKind::ALL
            .iter()
            .map(|&kind| ProjectLink { kind, url: url() })
            .collect(),
        wanted: Skill::ALL.to_vec(),
        carried_on_as: Some(CarriedOnAs {
            number: number(99_999),
            title: title(),
        }),
    }
}

pub(super) fn project_ref(i: usize) -> ProjectRef {
    ProjectRef {
        number: number(i),
        title: title(),
        channel: channel(),
        announcement_ts: Some(ts()),
        published: Some(slug()),
    }
}

pub(super) const WEEK: Period = Period {
    from: 1_794_819_600,
    to: 1_795_424_400,
};

/// The week of 28 December 2026 to 4 January 2027: a digest of it also says Q3 has ended,
/// a line more to fit.
pub(super) const QUARTER_ENDS: Period = Period {
    from: 1_798_448_400,
    to: 1_799_053_200,
};

pub(super) fn digest(n: usize) -> Box<Digest> {
    let snapshot = DigestSnapshot {
        new_pitches: (0..n)
            .map(|i| PitchItem {
                project: project_ref(i),
                description: worst(Description::MAX_CHARS),
                pitcher: user(i),
                council: Some(council()),
            })
            .collect(),
        joins: (0..n)
            .map(|i| JoinItem {
                project: project_ref(i),
                user: user(i),
                council: Some(council()),
            })
            .collect(),
        updates: (0..n)
            .map(|i| UpdateItem {
                project: project_ref(i),
                author: user(i),
                text: worst(UpdateText::MAX_CHARS),
                update: Some(i64::MAX),
            })
            .collect(),
        phase_changes: (0..n)
            .map(|i| PhaseItem {
                project: project_ref(i),
                from: Phase::Alpha,
                to: Phase::Beta,
                note: worst(UpdateText::MAX_CHARS),
                carries_on_in: Some(number(99_999)),
            })
            .collect(),
        reuses: (0..n)
            .map(|i| ReuseItem {
                project: project_ref(i),
                council: council(),
                note: worst(2000),
            })
            .collect(),
        council_moves: (0..n)
            .map(|i| CouncilMoves {
                council: format!("{i}{}", council()),
                pitched: 1000,
                joined: 1000,
                joiners: 1000,
                reuses: 1000,
                reused_by_others: 1000,
            })
            .collect(),
        // As many again that are not new in the period, to need people (a new pitch is
        // listed once, under the new pitches).
        open_projects: (0..2 * n)
            .map(|i| OpenProject {
                project: project_ref(i),
                members: 1,
                last_activity_at: 0,
            })
            .collect(),
        people: u32::MAX,
        councils: u32::MAX,
        published_elsewhere: elsewhere(n),
    };
    // The largest in the week a quarter ends, which adds its line.
    let week = if n > 0 { QUARTER_ENDS } else { WEEK };
    Box::new(compose(snapshot, week, 56 * 86_400))
}

pub(super) fn problems() -> Vec<Problem> {
    let long = worst(4000);
    vec![
        Problem::Worded { text: long.clone() },
        ParseError::UnexpectedWords {
            sub: "join".into(),
            got: long.clone(),
        }
        .into(),
        ParseError::TakesNothing {
            sub: "councils".into(),
            got: long.clone(),
        }
        .into(),
        ParseError::NoteWithoutBar {
            named: long.clone(),
            note: long.clone(),
        }
        .into(),
        ParseError::UnknownSkill { got: long.clone() }.into(),
        ParseError::BadDigestTime { got: long }.into(),
        UserError::TitleTooLong {
            max: Title::MAX_CHARS,
            got: usize::MAX,
        }
        .into(),
        UserError::TitleMarkupTooLong {
            max: usize::MAX,
            got: usize::MAX,
        }
        .into(),
        UserError::DescriptionMarkupTooLong {
            max: usize::MAX,
            got: usize::MAX,
        }
        .into(),
        UserError::BadLink(BadLink::HasCredentials).into(),
        // Council names are at most 100 characters, and each is escaped.
        UserError::NoSuchCouncil {
            typed: worst(100),
            near: Some(worst(100)),
        }
        .into(),
        UserError::ReportNoSuchCouncil {
            typed: worst(100),
            near: Some(worst(100)),
            period: Some("last 366 days".into()),
        }
        .into(),
        // Mistakes whose answer offers a command to type instead.
        crate::commands::parse("merge 7 into 4 please")
            .unwrap_err()
            .into(),
        crate::commands::parse("merge 7 into 4?")
            .unwrap_err()
            .into(),
        crate::commands::parse("phase 4? beta").unwrap_err().into(),
        crate::commands::parse("edit 4? Bin day finder")
            .unwrap_err()
            .into(),
        // The one offered is to be typed back, with its period.
        UserError::ReportNoSuchCouncil {
            typed: "Guildfrod".into(),
            near: Some("Guildford Borough Council".into()),
            period: Some("last quarter".into()),
        }
        .into(),
    ]
}

/// Every kind of answer, at its largest and smallest.
pub(super) fn replies() -> Vec<Reply> {
    let t = title;
    let n = number(99_999);
    let mut out = vec![
        Reply::Help {
            unknown: None,
            about: None,
        },
        Reply::Privacy { notice: None },
        Reply::ListedElsewhere {
            service: slug(),
            name: t().as_str().to_string(),
            ask: ListedAsk::Show,
            page: None,
        },
        Reply::ListedElsewhere {
            service: slug(),
            name: t().as_str().to_string(),
            ask: ListedAsk::Join,
            page: None,
        },
        Reply::ListedElsewhere {
            service: slug(),
            name: t().as_str().to_string(),
            ask: ListedAsk::Show,
            page: Some(Box::new(ServiceShown::of(
                catalogue_page(200),
                Some(&council()),
            ))),
        },
        Reply::PitchedInPrivate {
            number: n,
            title: t(),
            channel: channel(),
        },
        Reply::Privacy {
            notice: Some(format!("https://example.gov.uk/{}", "&".repeat(2000))),
        },
        Reply::Forgotten {
            teams: usize::MAX,
            homes_elsewhere: Vec::new(),
        },
        Reply::Help {
            unknown: Some(worst(4000)),
            about: None,
        },
        Reply::Pitched {
            number: n,
            title: t(),
            channel: channel(),
            similar: Vec::new(),
            yours: Vec::new(),
            workspace: None,
            shown_to: None,
            unled: true,
            uninvited: true,
            private_channel: true,
            elsewhere: Vec::new(),
        },
        Reply::Pitched {
            number: n,
            title: t(),
            channel: channel(),
            similar: summaries(3),
            yours: summaries(1),
            workspace: Some(TeamId::parse("T0ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ").unwrap()),
            shown_to: Some(UserId::parse("U0ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ").unwrap()),
            unled: true,
            uninvited: true,
            private_channel: true,
            elsewhere: elsewhere(2),
        },
        Reply::Pitched {
            number: n,
            title: t(),
            channel: channel(),
            similar: Vec::new(),
            yours: Vec::new(),
            workspace: None,
            shown_to: None,
            unled: false,
            uninvited: false,
            private_channel: false,
            elsewhere: elsewhere(1),
        },
        Reply::SearchResults {
            words: worst(4000),
            projects: summaries(200),
            more: true,
            elsewhere: elsewhere(3),
            more_elsewhere: true,
            left_out: false,
        },
        Reply::SearchResults {
            words: worst(4000),
            projects: Vec::new(),
            more: false,
            elsewhere: Vec::new(),
            more_elsewhere: false,
            left_out: false,
        },
        Reply::SearchResults {
            words: worst(4000),
            projects: Vec::new(),
            more: false,
            elsewhere: elsewhere(3),
            more_elsewhere: true,
            left_out: false,
        },
        Reply::SearchResults {
            words: worst(4000),
            projects: Vec::new(),
            more: false,
            elsewhere: Vec::new(),
            more_elsewhere: false,
            left_out: true,
        },
        Reply::SearchResults {
            words: worst(4000),
            projects: Vec::new(),
            more: false,
            elsewhere: elsewhere(3),
            more_elsewhere: true,
            left_out: true,
        },
        Reply::ProjectDetail {
            project: Box::new(detail(200)),
            progress: Box::new(progress(50)),
        },
        Reply::ProjectDetail {
            project: Box::new(ProjectDetail {
                members: Vec::new(),
                announcement_ts: None,
                published: None,
                ..detail(0)
            }),
            progress: Box::new(progress(0)),
        },
        // The longest wording of each.
        Reply::UpdatePosted {
            number: n,
            title: t(),
            in_thread: ThreadLine::NoThread,
            own_message: false,
        },
        Reply::UpdatePosted {
            number: n,
            title: t(),
            in_thread: ThreadLine::Queued,
            own_message: true,
        },
        Reply::PhaseChanged {
            number: n,
            title: t(),
            phase: Phase::Retired,
            in_thread: ThreadLine::Waiting,
            reusers_told: vec![council(); 3],
            unmerged: None,
        },
        Reply::PhaseChanged {
            number: n,
            title: t(),
            phase: Phase::Beta,
            in_thread: ThreadLine::Waiting,
            reusers_told: vec![council(); 3],
            unmerged: Some(n),
        },
        Reply::Merged {
            number: n,
            title: t(),
            into: n,
            into_title: t(),
            in_thread: ThreadLine::Waiting,
            in_team: false,
            told: u32::MAX,
            reusers_told: vec![council(); 3],
            lead_told: Some(UserId::parse(&"U".repeat(64)).unwrap()),
        },
        Reply::CouncilDidYouMean {
            typed: council(),
            suggestion: council(),
        },
        Reply::Councils {
            councils: councils(),
            page: Page::FIRST,
            yours: Some(format!("499{}", council())),
        },
        Reply::Councils {
            councils: councils(),
            page: Page::new(3).unwrap(),
            yours: Some(format!("0{}", council())),
        },
        Reply::Councils {
            councils: Vec::new(),
            page: Page::new(2).unwrap(),
            yours: None,
        },
        // Every figure at its largest, 500 councils and projects of the longest names.
        Reply::Report(Box::new(Report {
            days: days(),
            of: ReportOf::Workspace(
                TeamId::parse("T0123456789ABCDEFGHIJ").unwrap(),
                Some("W".repeat(100)),
            ),
            figures: ReportFigures {
                happened: happened(),
                open: Phase::ALL[..4].iter().map(|p| (*p, u32::MAX)).collect(),
                open_at_end: Some(Phase::ALL[..4].iter().map(|p| (*p, u32::MAX)).collect()),
                standing: largest_standing(),
                standing_at_end: Some(largest_standing()),
                by_council: (0..500)
                    .map(|i| CouncilMoves {
                        council: format!("{i}{}", council()),
                        pitched: u32::MAX,
                        joined: u32::MAX,
                        joiners: u32::MAX,
                        reuses: u32::MAX,
                        reused_by_others: u32::MAX,
                    })
                    .collect(),
                no_council_joiners: u32::MAX,
            },
            before: Some(Before {
                first: days().first,
                last: days().last,
                happened: happened(),
                open_at_end: Some(u32::MAX),
                people_at_end: Some(u32::MAX),
            }),
            // The longest a button's value may be.
            asked: Some(format!("report {}", "x".repeat(1993))),
        })),
        // The same, with every council's part small: what no council is counted for at its
        // largest, after the longest councils' lines.
        Reply::Report(Box::new(Report {
            days: days(),
            of: ReportOf::Every,
            figures: ReportFigures {
                happened: happened(),
                by_council: (0..500)
                    .map(|i| CouncilMoves {
                        council: format!("{i}{}", council()),
                        pitched: 1,
                        joined: 1,
                        joiners: 1,
                        reuses: u32::MAX,
                        reused_by_others: u32::MAX,
                    })
                    .collect(),
                ..ReportFigures::default()
            },
            before: None,
            asked: None,
        })),
        // A quiet period in a workspace with nothing yet.
        Reply::Report(Box::new(Report {
            days: days(),
            of: ReportOf::ThisWorkspace,
            figures: ReportFigures::default(),
            before: None,
            asked: None,
        })),
        // A council's part at its largest, and with nothing to its name.
        Reply::CouncilReport(Box::new(CouncilReport {
            days: days(),
            part: CouncilInPeriod {
                council: council(),
                moves: Some(largest_moves()),
                pitched: (0..500).map(|i| (number(i), title())).collect(),
                pitched_unnamed: u32::MAX,
                went_live: (0..500).map(|i| (number(i), title())).collect(),
                went_live_unnamed: u32::MAX,
                started_reusing: (0..500).map(|i| (number(i), title())).collect(),
                started_reusing_unnamed: u32::MAX,
                reused_by: (0..500).map(|i| format!("{i}{}", council())).collect(),
                today: Some(GiveAndTake {
                    council: council(),
                    led: u32::MAX,
                    people: u32::MAX,
                    reuses: u32::MAX,
                    reused_by_others: u32::MAX,
                }),
                led_open_at_end: Some(Phase::ALL[..4].iter().map(|p| (*p, u32::MAX)).collect()),
            },
            before: Some(CouncilBefore {
                first: days().first,
                last: days().last,
                moves: Some(largest_moves()),
            }),
            asked: Some(format!("report all for {}", council())),
            // Asked for by a former name as long as a name can be.
            formerly: Some(Formerly {
                name: council(),
                renamed: false,
            }),
        })),
        Reply::CouncilReport(Box::new(CouncilReport {
            days: days(),
            part: CouncilInPeriod::nothing(council()),
            before: None,
            asked: None,
            formerly: None,
        })),
        // More than fit, each as long as a line can be (its title is cut).
        Reply::CouncilReuses {
            council: Some(council()),
            reused: (0..500)
                .map(|i| Reused {
                    project: match i % 2 {
                        0 => ProjectNamed::Number {
                            number: number(i),
                            title: t(),
                        },
                        _ => ProjectNamed::Listed {
                            slug: slug(),
                            title: t(),
                        },
                    },
                    phase: Phase::Retired,
                    carries_on_in: (i % 2 == 0).then(|| number(99_999)),
                    // Another workspace's, merged into a service by the longest name.
                    carries_on_as: (i % 2 == 1).then(merged_service),
                })
                .collect(),
            page: Page::new(2).unwrap(),
        },
        Reply::CouncilReuses {
            council: Some(council()),
            reused: Vec::new(),
            page: Page::FIRST,
        },
        Reply::CouncilReuses {
            council: None,
            reused: Vec::new(),
            page: Page::FIRST,
        },
        Reply::Council {
            name: None,
            ledger: None,
            matched: false,
            was: None,
            led: Vec::new(),
            led_private: 0,
            still_led: Vec::new(),
            changed_elsewhere: 0,
            still_led_elsewhere: 0,
            joins_kept: 0,
            joins_put_right: 0,
            reuses_of_slip: Vec::new(),
            reuses_of_slip_private: 0,
            formerly: None,
        },
        Reply::DigestOff {
            was_subscribed: true,
        },
        Reply::DigestOff {
            was_subscribed: false,
        },
        Reply::DigestSubscribed {
            when: WeeklyTime::new(Weekday::Wed, 23 * 60 + 59).unwrap(),
            tz: "America/Argentina/ComodRivadavia".into(),
            next_due: 1_795_424_400,
            owed: true,
        },
        Reply::DigestPreview {
            digest: digest(500),
            channel_off: true,
        },
        Reply::DigestPreview {
            digest: digest(0),
            channel_off: false,
        },
        Reply::Internal,
    ];
    out.extend(
        problems()
            .into_iter()
            .map(|problem| Reply::Problem { problem }),
    );
    out
}
