//! Every modal and Home view the bot builds, at its largest, within Slack's limits.

use super::super::detail::show_modal;
use super::super::home::tests::home_in;
use super::super::update_form::{UpdateForm, no_team_modal, update_modal};
use super::super::{Announce, PitchForm, PrivateSource, home_view, pitch_modal, refusal_modal};
use super::samples::*;
use super::{assert_none, json, report, walk};
use crate::domain::{ProjectNumber, Title};
use crate::message::Reply;

#[test]
fn every_view_is_within_limits() {
    let mut failures = Vec::new();
    let views = [
        (
            "pitch form from a command",
            pitch_modal(&PitchForm::blank(
                Some(council()),
                Announce::In("C0123456789".into()),
            )),
        ),
        (
            "pitch form from the shortcut",
            pitch_modal(&PitchForm::blank(None, Announce::Ask)),
        ),
        (
            "pitch form from a message, filled to the brim",
            pitch_modal(&PitchForm {
                council: Some(council()),
                announce: Announce::AskFromMessage {
                    channel: "C0123456789".into(),
                    head: "msg C0123456789 1516229207.000133 1516229200.000100".into(),
                },
                title: "é".repeat(Title::MAX_CHARS),
                description: "é".repeat(1850),
                description_room: 1850,
                from_private: Some(PrivateSource::SharedChannel),
            }),
        ),
        ("an empty Home", home_view(&home_in(0), &look())),
        (
            "the Home of someone in sixty projects",
            home_view(&home_in(60), &look()),
        ),
        (
            "the update form from a message",
            update_modal(&update_form(true)),
        ),
        (
            "the update form from the Home",
            update_modal(&update_form(false)),
        ),
        (
            "the update form for someone in no team",
            no_team_modal("raised_hand"),
        ),
    ];
    for (what, view) in views {
        report(what, walk::view(&json(&view)), &mut failures);
    }
    // `show` over the Home: the largest project, or why there is none; and the update form's
    // refusals, each problem at its longest.
    let largest = Reply::ProjectDetail {
        project: Box::new(detail(200)),
        progress: Box::new(progress(50)),
    };
    let shown = show_modal(number(99_999), &largest, &look());
    report(
        "show over the Home",
        walk::view(&json(&shown)),
        &mut failures,
    );
    for problem in problems() {
        let reply = Reply::Problem { problem };
        let what = format!("{reply:?}");
        let shown = show_modal(number(99_999), &reply, &look());
        report(&what, walk::view(&json(&shown)), &mut failures);
        report(
            &what,
            walk::view(&json(&refusal_modal(&reply, &look()))),
            &mut failures,
        );
    }
    assert_none(failures);
}

/// The update form at its largest: a hundred projects with the longest titles.
fn update_form(from_message: bool) -> UpdateForm {
    UpdateForm {
        projects: (1..=100)
            .map(|n| {
                (
                    ProjectNumber::new(n).unwrap(),
                    Title::from_stored("&<>".repeat(40)),
                )
            })
            .collect(),
        chosen: (!from_message).then(|| ProjectNumber::new(7).unwrap()),
        from_message,
        from_private: from_message.then_some(PrivateSource::SharedChannel),
        metadata: "m".repeat(2900),
    }
}
