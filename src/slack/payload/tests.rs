//! Decoding Slack's own sample payloads.

use super::*;

use crate::slack::fixture;

#[test]
fn url_verification_gives_the_challenge() {
    let EventsBody::UrlVerification { challenge } =
        decode_events(&fixture("url-verification.json")).unwrap()
    else {
        panic!("not url_verification")
    };
    assert_eq!(
        challenge,
        "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"
    );
}

#[test]
fn app_mention_becomes_a_mention_event() {
    for name in [
        "app-mention.event_callback.json",
        "app-mention.bolt-python.event_callback.json",
    ] {
        let EventsBody::Callback {
            event:
                Some(Event {
                    kind: EventKind::Mention { text, .. },
                    ..
                }),
            ..
        } = decode_events(&fixture(name)).unwrap()
        else {
            panic!("{name}: not a mention")
        };
        assert!(text.starts_with("<@"), "{name}: {text}");
    }
}

/// Typed `<@U…>` (Slack sends it escaped) is not one of the event's mentions, wherever it
/// is; the text reads as it was typed.
#[test]
fn a_typed_mention_is_not_a_mention() {
    let mut env: serde_json::Value =
        serde_json::from_str(&fixture("app-mention.event_callback.json")).unwrap();
    for (raw, text, ids) in [
        (
            "&lt;@UBOTB&gt; <@UBOTA> pitch X",
            "<@UBOTB> <@UBOTA> pitch X",
            vec!["UBOTA"],
        ),
        (
            "<@UBOTA> update 4 &lt;b&gt; &amp; <@USAM|sam> &lt;@UX&gt;",
            "<@UBOTA> update 4 <b> & <@USAM|sam> <@UX>",
            vec!["UBOTA", "USAM"],
        ),
        ("pitch X <@UBOTA>", "pitch X <@UBOTA>", vec!["UBOTA"]),
    ] {
        env["event"]["text"] = raw.into();
        let EventsBody::Callback {
            event:
                Some(Event {
                    kind:
                        EventKind::Mention {
                            text: got,
                            mentioned,
                            ..
                        },
                    ..
                }),
            ..
        } = decode_events(&env.to_string()).unwrap()
        else {
            panic!("not a mention")
        };
        let got_ids: Vec<&str> = mentioned.iter().map(UserId::as_str).collect();
        assert_eq!(got, text, "{raw}");
        assert_eq!(got_ids, ids, "{raw}");
    }
}

#[test]
fn unhandled_events_are_acknowledged_without_an_event() {
    for name in [
        "message-channels.event_callback.json",
        "app-home-opened.event_callback.json",
    ] {
        let decoded = decode_events(&fixture(name)).unwrap();
        assert!(
            matches!(decoded, EventsBody::Callback { event: None, .. }),
            "{name}"
        );
    }
    assert!(matches!(
        decode_events(&fixture("app-rate-limited.json")).unwrap(),
        EventsBody::RateLimited
    ));
}

#[test]
fn reactions_become_reaction_events() {
    for (name, added) in [
        ("reaction-added.event_callback.json", true),
        ("reaction-added.event-page.event_callback.json", true),
        ("reaction-added.bolt-python.event_callback.json", true),
        ("reaction-removed.event_callback.json", false),
    ] {
        let decoded = decode_events(&fixture(name)).unwrap();
        let EventsBody::Callback {
            event:
                Some(Event {
                    kind:
                        EventKind::Reaction {
                            added: a,
                            message_ts,
                            ..
                        },
                    ..
                }),
            ..
        } = decoded
        else {
            panic!("{name}: not a reaction: {decoded:?}")
        };
        assert_eq!(a, added, "{name}");
        assert!(message_ts.as_micros().is_some(), "{name}");
    }
}

#[test]
fn a_reaction_without_item_user_still_counts() {
    let mut v: serde_json::Value =
        serde_json::from_str(&fixture("reaction-added.event_callback.json")).unwrap();
    v["event"].as_object_mut().unwrap().remove("item_user");
    let decoded = decode_events(&v.to_string()).unwrap();
    assert!(matches!(
        decoded,
        EventsBody::Callback {
            event: Some(Event {
                kind: EventKind::Reaction { .. },
                ..
            }),
            ..
        }
    ));
}

#[test]
fn slash_command_form_decodes_with_plus_as_space() {
    let c = decode_command(&fixture("slash-command-enterprise.form.txt")).unwrap();
    assert_eq!(c.text, "Hi");
    let c = decode_command(&fixture("slash-command.form.txt")).unwrap();
    assert_eq!(
        (c.team.as_str(), c.user.as_str(), c.text.as_str()),
        ("T1DC2JH3J", "U2CERLKJA", "")
    );
}

#[test]
fn a_slash_command_needs_every_field_slack_always_sends() {
    let full = fixture("slash-command.form.txt");
    // The form without one of its fields.
    let without = |field: &str| -> String {
        let pairs: Vec<&str> = full
            .trim_end()
            .split('&')
            .filter(|pair| !pair.starts_with(&format!("{field}=")))
            .collect();
        pairs.join("&")
    };
    assert!(decode_command(&full).is_ok());
    for field in [
        "team_id",
        "channel_id",
        "user_id",
        "command",
        "response_url",
        "trigger_id",
    ] {
        assert!(
            decode_command(&without(field)).is_err(),
            "decoded without {field}"
        );
    }
    // A command with no text at all is `/makers` alone.
    assert_eq!(decode_command(&without("text")).unwrap().text, "");
}

#[test]
fn block_actions_form_decodes_to_a_button() {
    let Interaction::Button(ButtonPress {
        action_id,
        value,
        channel,
        message_ts,
        ..
    }) = decode_interaction(&fixture("block-actions.form.txt")).unwrap()
    else {
        panic!("not a button")
    };
    assert_eq!(
        (action_id.as_str(), value.as_deref()),
        ("a", Some("click_me_123"))
    );
    assert_eq!(channel.unwrap().as_str(), "C111");
    assert_eq!(message_ts.unwrap().as_str(), "111.222");
    assert!(matches!(
        decode_interaction(&fixture("view-submission.form.txt")).unwrap(),
        Interaction::Submission(_)
    ));
}

#[test]
fn garbage_is_a_decode_error_not_a_panic() {
    assert!(decode_events("{").is_err());
    assert!(decode_events("{\"type\":\"event_callback\"}").is_err());
    assert!(decode_command("team_id=T1").is_err());
    assert!(decode_interaction("payload=%7B%7D").is_err());
    assert!(decode_interaction("nothing").is_err());
}

#[test]
fn entities_decode_once() {
    assert_eq!(
        decode_entities("a &amp;lt; b &lt;!channel&gt;"),
        "a &lt; b <!channel>"
    );
}

fn as_form(payload: &str) -> String {
    serde_urlencoded::to_string([("payload", payload)]).unwrap()
}

#[test]
fn a_global_shortcut_decodes_with_its_trigger() {
    let mut p: serde_json::Value =
        serde_json::from_str(&fixture("shortcut-global.payload.json")).unwrap();
    p["team"]["id"] = "T0TEAM".into();
    p["user"]["id"] = "U0USER".into();
    let Interaction::Shortcut {
        user,
        callback_id,
        trigger_id,
        ..
    } = decode_interaction(&as_form(&p.to_string())).unwrap()
    else {
        panic!("not a shortcut")
    };
    assert_eq!(user.as_str(), "U0USER");
    assert_eq!(callback_id, "shortcut_create_task");
    assert_eq!(
        trigger_id,
        "944799105734.773906753841.38b5894552bdd4a780554ee59d1f3638"
    );
}

#[test]
fn a_view_submission_form_decodes_its_fields_by_block() {
    let Interaction::Submission(s) =
        decode_interaction(&fixture("view-submission.form.txt")).unwrap()
    else {
        panic!("not a submission")
    };
    assert_eq!(s.callback_id, "view-id");
    assert_eq!(s.private_metadata, "This is for you!");
    // Its one block's action id is not its block id: not a field of ours.
    assert!(s.fields.is_empty());

    let mut p: serde_json::Value =
        serde_json::from_str(&fixture("view-submission.payload.json")).unwrap();
    p["user"]["id"] = "U0USER".into();
    p["view"]["state"]["values"] = serde_json::json!({
        "title": {"title": {"type": "plain_text_input", "value": "  Bin day finder "}},
        "description": {"description": {"type": "plain_text_input", "value": null}},
        "skills": {"skills": {"type": "multi_static_select", "selected_options": [
            {"text": {"type": "plain_text", "text": "designer"}, "value": "designer"}]}},
        "channel": {"channel": {"type": "conversations_select", "selected_conversation": "C0CHOSEN"}},
    });
    let Interaction::Submission(s) = decode_interaction(&as_form(&p.to_string())).unwrap() else {
        panic!("not a submission")
    };
    assert_eq!(s.text("title"), "Bin day finder");
    assert_eq!(s.text("description"), "");
    assert_eq!(s.options("skills"), ["designer"]);
    assert_eq!(
        s.conversation("channel").map(|c| c.as_str()),
        Some("C0CHOSEN")
    );
    assert_eq!(s.text("missing"), "");
}

/// Socket Mode carries the same payloads as JSON: each decodes as its HTTP form does.
#[test]
fn socket_mode_payloads_decode_like_their_http_forms() {
    let envelope = |name: &str| -> serde_json::Value {
        let v: serde_json::Value = serde_json::from_str(&fixture(name)).unwrap();
        v["payload"].clone()
    };
    let c = decode_command_json(envelope("socket-mode-slash-command.envelope.json")).unwrap();
    assert_eq!(
        (c.team.as_str(), c.user.as_str(), c.channel.as_str()),
        ("T123ABC456", "U123ABC456", "C123ABC456")
    );
    assert_eq!(c.text, "");
    // The SDK's sample is the bot (U222, its authorization) mentioning itself: not acted on.
    let EventsBody::Callback {
        event_id,
        event: None,
        ..
    } = decode_events_json(envelope(
        "socket-mode-events-api.python-slack-sdk.envelope.json",
    ))
    .unwrap()
    else {
        panic!("the bot's own mention")
    };
    assert_eq!(event_id, "Ev111");
    let Interaction::Shortcut { callback_id, .. } = decode_interaction_json(envelope(
        "socket-mode-interactive-shortcut.python-slack-sdk.envelope.json",
    ))
    .unwrap() else {
        panic!("a shortcut")
    };
    assert_eq!(callback_id, "do-something");
    let http = decode_interaction(&fixture("view-submission.form.txt")).unwrap();
    let json: serde_json::Value =
        serde_json::from_str(&fixture("view-submission.payload.json")).unwrap();
    let socket = decode_interaction_json(json).unwrap();
    assert_eq!(format!("{http:?}"), format!("{socket:?}"));
    assert!(decode_command_json(serde_json::json!({"team_id": "T1"})).is_err());
    assert!(decode_interaction_json(serde_json::json!([])).is_err());
}

/// bolt-python's shortcut samples, from an Enterprise Grid workspace (a `W` user id, the
/// org's fields beside the team's), decode as Slack's documented ones do.
#[test]
fn bolt_pythons_shortcuts_from_an_enterprise_workspace_decode() {
    let Interaction::Shortcut {
        team,
        user,
        callback_id,
        trigger_id,
    } = decode_interaction(&as_form(&fixture(
        "shortcut-global.bolt-python.payload.json",
    )))
    .unwrap()
    else {
        panic!("not a shortcut")
    };
    assert_eq!((team.as_str(), user.as_str()), ("T111", "W111"));
    assert_eq!(
        (callback_id.as_str(), trigger_id.as_str()),
        ("test-shortcut", "111.111.xxxxxx")
    );

    let Interaction::MessageShortcut(m) = decode_interaction(&as_form(&fixture(
        "shortcut-message.bolt-python.payload.json",
    )))
    .unwrap() else {
        panic!("not a message shortcut")
    };
    assert_eq!(
        (m.team.as_str(), m.user.as_str(), m.channel.as_str()),
        ("T111", "W111", "C111")
    );
    assert_eq!(m.ts.as_str(), "1583636382.000300");
    assert_eq!(m.text, "<@W222> test");
    assert!(m.thread_ts.is_none() && !m.in_group_dm);
}

/// Slack says the presser's own workspace with a press: another workspace's `T…` id is
/// another organisation's, unless the bot knows both workspaces as of the Enterprise Grid
/// organisation the press names (Slack can name another workspace of the presser's own, as
/// bolt-python's Grid sample does: `T111` beside `team.enterprise_id` `E111`); an
/// organisation's `E…` id, or none, says nothing.
#[test]
fn a_press_says_whether_its_presser_is_of_another_workspace() {
    // Pressed in T1, by someone Slack says is of `user_team`, the press naming `org`; the
    // bot knows T1 and T2 as of E111, T3 as of E333.
    let press = |user_team: Option<&str>, org: Option<&str>| {
        let mut p: serde_json::Value =
            serde_json::from_str(&fixture("block-actions.payload.json")).unwrap();
        p["team"]["id"] = "T1".into();
        match org {
            Some(org) => p["team"]["enterprise_id"] = org.into(),
            None => {
                p["team"].as_object_mut().unwrap().remove("enterprise_id");
            }
        }
        match user_team {
            Some(t) => p["user"]["team_id"] = t.into(),
            None => {
                p["user"].as_object_mut().unwrap().remove("team_id");
            }
        }
        let form = serde_urlencoded::to_string([("payload", p.to_string())]).unwrap();
        let Interaction::Button(press) = decode_interaction(&form).unwrap() else {
            panic!("not a button")
        };
        press.by_another_workspace(&TeamId::parse("T1").unwrap(), |t| match t.as_str() {
            "T1" | "T2" => Some("E111".to_string()),
            "T3" => Some("E333".to_string()),
            _ => None,
        })
    };
    let grid = Some("E111");
    assert!(!press(Some("T2"), grid), "another workspace of the org");
    assert!(press(Some("T3"), grid), "a workspace of another org");
    assert!(press(Some("T4"), grid), "a workspace not known");
    assert!(press(Some("T2"), None), "a press naming no org");
    assert!(
        press(Some("T2"), Some("E333")),
        "a press naming another org"
    );
    assert!(!press(Some("T1"), None));
    assert!(
        !press(Some("E1"), grid),
        "an Enterprise Grid organisation's id"
    );
    assert!(!press(None, None));
}

/// A press names its organisation as `team.enterprise_id` or, on a Home, `enterprise.id`;
/// none where the two differ.
#[test]
fn a_press_names_the_org_of_its_workspace() {
    let org = |team: Option<&str>, enterprise: Option<&str>| {
        let mut p: serde_json::Value =
            serde_json::from_str(&fixture("home-tab-block-actions.payload.json")).unwrap();
        if let Some(e) = team {
            p["team"]["enterprise_id"] = e.into();
        }
        if let Some(e) = enterprise {
            p["enterprise"] = serde_json::json!({"id": e, "name": "Councils"});
        }
        let form = serde_urlencoded::to_string([("payload", p.to_string())]).unwrap();
        let Interaction::Button(press) = decode_interaction(&form).unwrap() else {
            panic!("not a button")
        };
        press.org
    };
    assert_eq!(org(Some("E1"), None).as_deref(), Some("E1"));
    assert_eq!(org(None, Some("E1")).as_deref(), Some("E1"));
    assert_eq!(org(Some("E1"), Some("E1")).as_deref(), Some("E1"));
    assert_eq!(org(Some("E1"), Some("E2")), None);
    assert_eq!(org(None, None), None);
}

/// A press on a Home is of the workspace the bot drew it for (its `private_metadata`): in an
/// Enterprise Grid org Slack can name another workspace of the org as the view's
/// `app_installed_team_id`. Another view's metadata, or a Home's of another shape, is not
/// read so.
#[test]
fn a_home_press_is_of_the_workspace_its_home_was_drawn_for() {
    let press = |view_type: &str, metadata: &str| {
        let mut p: serde_json::Value =
            serde_json::from_str(&fixture("home-tab-block-actions.payload.json")).unwrap();
        p["team"]["id"] = "T2".into();
        p["enterprise"] = serde_json::json!({"id": "E1", "name": "Councils"});
        p["view"]["type"] = view_type.into();
        if view_type == "modal" {
            p["view"]["title"] = serde_json::json!({"type": "plain_text", "text": "A form"});
        }
        p["view"]["app_installed_team_id"] = "T1".into();
        p["view"]["private_metadata"] = metadata.into();
        let form = serde_urlencoded::to_string([("payload", p.to_string())]).unwrap();
        let Interaction::Button(press) = decode_interaction(&form).unwrap() else {
            panic!("not a button")
        };
        (press.team.as_str().to_string(), press.home_drawn_at)
    };
    let press = |view_type: &str, metadata: &str| press(view_type, metadata).0;
    assert_eq!(press("home", &format!("{HOME_OF}T2")), "T2");
    assert_eq!(press("home", ""), "T1", "a Home published before");
    assert_eq!(press("home", "T2"), "T1");
    assert_eq!(press("modal", &format!("{HOME_OF}T2")), "T1");
}

/// A Home says (added) when it was drawn, after its workspace: a press on it carries that
/// time. One drawn before says none, and so does one whose time does not read.
#[test]
fn a_home_press_carries_when_its_home_was_drawn() {
    let press = |metadata: &str| {
        let mut p: serde_json::Value =
            serde_json::from_str(&fixture("home-tab-block-actions.payload.json")).unwrap();
        p["view"]["app_installed_team_id"] = "T1".into();
        p["view"]["private_metadata"] = metadata.into();
        let form = serde_urlencoded::to_string([("payload", p.to_string())]).unwrap();
        let Interaction::Button(press) = decode_interaction(&form).unwrap() else {
            panic!("not a button")
        };
        (press.team.as_str().to_string(), press.home_drawn_at)
    };
    let drawn = |team: &str, at: i64| {
        let view = SlackView::Home(SlackHomeView::new(vec![]));
        let view = home_drawn(view, &TeamId::parse(team).unwrap(), at);
        let SlackView::Home(home) = view else {
            panic!("not a Home")
        };
        home.private_metadata.unwrap()
    };
    assert_eq!(
        press(&drawn("T2", 1_780_000_000)),
        ("T2".into(), Some(1_780_000_000))
    );
    assert_eq!(press(&format!("{HOME_OF}T2")), ("T2".into(), None));
    assert_eq!(press(&format!("{HOME_OF}T2@soon")), ("T2".into(), None));
    assert_eq!(press(""), ("T1".into(), None));
    // As this build first wrote it, on the mark's line: a Home drawn so may still be open.
    assert_eq!(
        press(&format!("{HOME_OF}T2@1780000000")),
        ("T2".into(), Some(1_780_000_000))
    );
}

/// The build before reads a Home's mark as a form's ([`form_drawn_for`], the workspace up to
/// a line of its own): a Home drawn by this build, left open across a rollback to it, still
/// names its workspace there, not the org's first installation Slack may name.
#[test]
fn the_build_before_reads_the_workspace_of_a_home_drawn_with_its_time() {
    let view = SlackView::Home(SlackHomeView::new(vec![]));
    let SlackView::Home(home) = home_drawn(view, &TeamId::parse("T2").unwrap(), 1_780_000_000)
    else {
        panic!("not a Home")
    };
    let metadata = home.private_metadata.unwrap();
    let before = form_drawn_for(&metadata).map(|(team, _)| team);
    assert_eq!(before, TeamId::parse("T2"), "{metadata:?}");
}

/// A form the bot opened from a Home carries the Home's workspace before what it carried
/// already (`home-of:T…`, then a line of its own): its submission is of that workspace, and
/// the form's own metadata reads as before. A form opened elsewhere, or before, is of
/// `app_installed_team_id` as it was.
#[test]
fn a_form_opened_from_a_home_is_submitted_in_the_homes_workspace() {
    let submit = |metadata: &str| {
        let mut p: serde_json::Value =
            serde_json::from_str(&fixture("view-submission.payload.json")).unwrap();
        p["team"]["id"] = "T2".into();
        p["view"]["app_installed_team_id"] = "T1".into();
        p["view"]["private_metadata"] = metadata.into();
        let Interaction::Submission(s) = decode_interaction(&as_form(&p.to_string())).unwrap()
        else {
            panic!("not a submission")
        };
        (s.team.as_str().to_string(), s.private_metadata)
    };
    let home_of = |rest: &str| format!("{HOME_OF}T2{rest}");
    assert_eq!(submit(&home_of("")), ("T2".into(), "".into()));
    assert_eq!(
        submit(&home_of("\nmsg C0MAKERS 1516229207.000133 -")),
        ("T2".into(), "msg C0MAKERS 1516229207.000133 -".into())
    );
    // Opened elsewhere, or before: as it was.
    assert_eq!(submit(""), ("T1".into(), "".into()));
    assert_eq!(submit("C0MAKERS"), ("T1".into(), "C0MAKERS".into()));
    // Not a workspace's id after the mark: not read as one.
    assert_eq!(submit(HOME_OF), ("T1".into(), HOME_OF.into()));
}

#[test]
fn only_a_form_of_ssl_check_without_a_command_is_slacks_ssl_check() {
    assert!(is_ssl_check(b"ssl_check=1&token=xyz"));
    assert!(!is_ssl_check(b"ssl_check=0&token=xyz"));
    assert!(!is_ssl_check(b"ssl_check=1&command=%2Fmakers&text=list"));
    assert!(!is_ssl_check(b"token=xyz"));
    assert!(!is_ssl_check(b"\xff\xfe"));
    // Wherever the fields lie, and however spelled (percent-encoded, or said twice).
    assert!(!is_ssl_check(b"text=list&ssl_check=1&command=%2Fmakers"));
    assert!(is_ssl_check(b"token=xyz&ssl%5Fcheck=1"));
    assert!(is_ssl_check(b"ssl_check=0&ssl_check=1"));
    assert!(!is_ssl_check(b"ssl_check=1&%63ommand=%2Fmakers"));
    assert!(!is_ssl_check(b""));
}
