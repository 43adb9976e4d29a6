//! A pitch's announcement: what it is, who pitched it, and how to join (the join emoji, and
//! Join and Leave buttons that carry the project number).

use slack_morphism::prelude::*;

use super::fit::{mrkdwn, spoken};
use super::{Person, Tokens, list, plain, project_button, section, skills, title_text, user_text};
use crate::domain::{
    CarriedOnAs, ChannelId, Description, MessageTs, Phase, ProjectNumber, ProjectSummary,
    ServiceElsewhere, Skill, TeamId, Title, UserId,
};
use crate::message::AnnouncementBody;

/// `action_id` of the Join button on an announcement; its `value` is the project number.
pub const JOIN_ACTION: &str = "join_project";
/// `action_id` of the Leave button beside it.
pub const LEAVE_ACTION: &str = "leave_project";

/// What an announcement says about the project.
pub(super) struct Pitch<'a> {
    pub number: ProjectNumber,
    pub title: &'a Title,
    pub description: &'a Description,
    /// Skills the team wants ("Wanted: …" when there are any).
    pub wanted: &'a [Skill],
    /// Where the project is now: later phases than discovery are said, and a retired project
    /// no longer asks anyone to join.
    pub phase: Phase,
    /// Its first posting ("New Makers project"), not a correction: a project moved back to
    /// discovery, or edited, is not new news.
    pub first: bool,
    /// Retired by a merge: where its team carries on.
    pub carried_on_as: Option<&'a CarriedOnAs>,
    /// In a channel shared with another workspace or organisation: that project is pointed
    /// at by its announcement (`carried_on_at`, if posted), not by a typed command.
    pub shared: bool,
    pub carried_on_at: Option<&'a (ChannelId, MessageTs)>,
}

impl<'a> Pitch<'a> {
    /// What `body` says, for its first posting or a correction.
    pub fn of(body: &'a AnnouncementBody, first: bool) -> Pitch<'a> {
        Pitch {
            number: body.number,
            title: &body.title,
            description: &body.description,
            wanted: &body.wanted,
            phase: body.phase,
            first,
            carried_on_as: body.carried_on_as.as_ref(),
            shared: body.shared,
            carried_on_at: body.carried_on_at.as_ref(),
        }
    }
}

pub(super) fn announcement(
    pitch: Pitch<'_>,
    pitcher: &UserId,
    join_emoji: &str,
) -> SlackMessageContent {
    let Pitch {
        number,
        title,
        description,
        wanted,
        phase,
        first,
        carried_on_as,
        shared,
        carried_on_at,
    } = pitch;
    let raw_title = title;
    let title = title_text(title);
    // A retired project takes nobody new: no skills wanted, no invitation, no buttons.
    let open = phase != Phase::Retired;
    let named = match (first, phase) {
        (true, Phase::Discovery) => format!("New Makers project {number}: {title}"),
        _ => format!("Makers project {number}: {title}"),
    };
    let mut head = format!(":bulb: *{named}*");
    if !description.is_empty() {
        head.push('\n');
        head.push_str(&user_text(description.as_str(), Tokens::Working));
    }
    if let Some(line) = skills::wanted_line(wanted).filter(|_| open) {
        head.push('\n');
        head.push_str(&line);
    }
    let mut said = format!("Pitched by {}.", Person::of(pitcher));
    match phase {
        Phase::Discovery => {}
        Phase::Retired => match carried_on_as {
            // Someone of the other workspace who typed `/makers join N` would join their
            // own workspace's #N: its announcement's *Join* acts on the project it shows.
            Some(into) if shared => {
                let named = format!("{}: {}", into.number, title_text(&into.title));
                said.push_str(&match carried_on_at {
                    Some((channel, ts)) => format!(
                        " It is merged into *<{}|{named}>* and retired: the work carries on there (press *Join* there to join its team).",
                        super::message_url(channel, ts)
                    ),
                    None => format!(
                        " It is merged into *{named}* and retired: the work carries on there (press *Join* on its announcement to join its team)."
                    ),
                })
            }
            Some(into) => said.push_str(&format!(
                " It is merged into *{}: {}* and retired: the work carries on there (`/makers join {}` joins its team).",
                into.number,
                title_text(&into.title),
                into.number.get()
            )),
            None => said.push_str(" It is retired, and no longer takes new members."),
        },
        _ => said.push_str(&format!(" Now in *{phase}*.")),
    }
    // A description escaped past a section's limit goes on in another, the skills wanted
    // after it.
    let mut blocks = super::fit::sections(head);
    let text = if open {
        said.push_str(&format!(
            " Want to help? React with :{join_emoji}: or press *Join*."
        ));
        format!("{named}. React with :{join_emoji}: or press Join to join the team.")
    } else {
        match carried_on_as {
            Some(into) => format!("{named}, merged into {}.", into.number),
            None => format!("{named}, retired."),
        }
    };
    blocks.push(SlackContextBlock::new(vec![mrkdwn(said).into()]).into());
    if open {
        let join = project_button("Join", JOIN_ACTION, number, Some(raw_title))
            .with_style(SlackBlockButtonStyle::Primary);
        let leave = project_button("Leave", LEAVE_ACTION, number, Some(raw_title));
        blocks.push(SlackActionsBlock::new(vec![join.into(), leave.into()]).into());
    }
    SlackMessageContent::new()
        .with_text(spoken(&text, &blocks))
        .with_blocks(blocks)
}

/// What being pitched in a private channel means, after "I show it only there and to its
/// team: ".
pub(super) const ONLY_THERE: &str = "other channels' lists, searches and digests leave it out, and nobody outside the channel is offered it.";

/// The pitcher's private answer: recorded, being announced; and, when open projects look like
/// the same thing, those (with a Join button each), so nobody builds it twice unawares.
pub(super) fn pitched(
    number: ProjectNumber,
    title: &Title,
    (channel, uninvited, private): (&ChannelId, bool, bool),
    (similar, workspace, shown_to): (&[ProjectSummary], Option<&TeamId>, Option<&UserId>),
    yours: &[ProjectSummary],
    unled: bool,
    (elsewhere, look): (&[ServiceElsewhere], &super::Look),
) -> SlackMessageContent {
    let mut recorded = if uninvited {
        format!(
            "Recorded as *{number}: {}*. Slack has told me I am not a member of <#{channel}>, so its announcement may have to wait: if it does not appear there in a moment, invite me (type `/invite @Makers` in that channel) and I will post it straight away. Until then people can join with `/makers join {}`.",
            title_text(title),
            number.get()
        )
    } else {
        format!(
            "Recorded as *{number}: {}*. I'm announcing it in <#{channel}> now; people join by reacting to the announcement or pressing its *Join* button.",
            title_text(title)
        )
    };
    if private {
        recorded.push_str(&format!(
            " <#{channel}> is private, so I show the project only there and to its team: {ONLY_THERE}"
        ));
    }
    if unled {
        recorded.push_str(&format!(
            " No council leads it yet: tell me yours with `/makers council &lt;name&gt;` and it will, or name another one already recorded (`/makers councils` lists them) with `/makers lead-council {} &lt;name&gt;`.",
            number.get()
        ));
    }
    if let Some(p) = yours.first() {
        recorded.push_str(&format!(
            " You have one like it already: *{}: {}* (`/makers show {}`).",
            p.number,
            title_text(&p.title),
            p.number.get()
        ));
    }
    if similar.is_empty() && elsewhere.is_empty() {
        return plain(recorded);
    }
    let mut blocks: Vec<SlackBlock> = vec![section(recorded.clone()).into()];
    if !similar.is_empty() {
        blocks.push(
            section(
                "Someone may already be doing this: joining their team could save you the work."
                    .into(),
            )
            .into(),
        );
    }
    for p in similar {
        let join = match workspace {
            Some(team) => super::join_value::join_button_in(
                &look.join_seal,
                (team, shown_to),
                p.number,
                &p.title,
            ),
            None => project_button("Join", JOIN_ACTION, p.number, Some(&p.title)),
        };
        blocks.push(
            section(list::summary_line(p))
                .with_accessory(join.into())
                .into(),
        );
    }
    // The notification (the form's answer comes by DM) says what the blocks add.
    let mut text = match similar.len() {
        0 => recorded,
        1 => format!("{recorded} Someone may already be doing this: 1 open project looks like it."),
        n => {
            format!("{recorded} Someone may already be doing this: {n} open projects look like it.")
        }
    };
    if !elsewhere.is_empty() {
        blocks.push(section(super::elsewhere::for_pitch(elsewhere, look)).into());
        text.push(' ');
        text.push_str(&super::elsewhere::for_pitch_text(elsewhere));
    }
    SlackMessageContent::new()
        .with_text(spoken(&text, &blocks))
        .with_blocks(blocks)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(wanted: &[Skill], phase: Phase) -> SlackMessageContent {
        let pitch = Pitch {
            number: ProjectNumber::new(3).unwrap(),
            title: &Title::parse("Bin day finder").unwrap(),
            description: &Description::parse("").unwrap(),
            wanted,
            phase,
            first: true,
            carried_on_as: None,
            shared: false,
            carried_on_at: None,
        };
        announcement(pitch, &UserId::parse("U1").unwrap(), "raised_hand")
    }

    fn text_of(wanted: &[Skill]) -> String {
        serde_json::to_string(&message(wanted, Phase::Discovery).blocks).unwrap()
    }

    #[test]
    fn a_later_phase_is_said_and_the_invitation_stays() {
        let m = message(&[Skill::Developer], Phase::Beta);
        let blocks = serde_json::to_string(&m.blocks).unwrap();
        assert!(
            blocks.contains("Makers project #3: Bin day finder*")
                && !blocks.contains("New Makers")
                && blocks.contains("Pitched by <@U1>. Now in *beta*. Want to help?")
                && blocks.contains("Wanted:")
                && blocks.contains(JOIN_ACTION),
            "{blocks}"
        );
        assert!(
            m.text
                .unwrap()
                .starts_with("Makers project #3: Bin day finder. React")
        );
    }

    #[test]
    fn a_correction_is_not_new_news() {
        let body = body();
        let m = announcement(Pitch::of(&body, false), &body.pitcher, "raised_hand");
        let text = m.text.unwrap();
        assert!(
            text.starts_with("Makers project #3: Bin day finder. React"),
            "{text}"
        );
        let first = announcement(Pitch::of(&body, true), &body.pitcher, "x");
        assert!(first.text.unwrap().starts_with("New Makers project #3"));
    }

    fn body() -> AnnouncementBody {
        AnnouncementBody {
            project_id: 1,
            number: ProjectNumber::new(3).unwrap(),
            title: Title::parse("Bin day finder").unwrap(),
            description: Description::parse("").unwrap(),
            pitcher: UserId::parse("U1").unwrap(),
            join_emoji: "raised_hand".into(),
            wanted: vec![],
            carried_on_as: None,
            shared: false,
            carried_on_at: None,
            phase: Phase::Discovery,
        }
    }

    #[test]
    fn a_retired_project_no_longer_asks_anyone_to_join() {
        let m = message(&[Skill::Developer], Phase::Retired);
        let blocks = serde_json::to_string(&m.blocks).unwrap();
        assert!(
            blocks.contains("It is retired, and no longer takes new members."),
            "{blocks}"
        );
        for gone in [
            "Want to help",
            "Wanted:",
            JOIN_ACTION,
            LEAVE_ACTION,
            ":raised_hand:",
        ] {
            assert!(!blocks.contains(gone), "{gone} in {blocks}");
        }
        // The notification line, then what the blocks say, for a screen reader.
        let text = m.text.unwrap();
        assert_eq!(
            text.lines().next(),
            Some("Makers project #3: Bin day finder, retired.")
        );
        assert!(
            text.contains("It is retired, and no longer takes new members."),
            "{text}"
        );
    }

    /// A merged project's announcement names where its work carries on and how to join it
    /// there, in code: a backtick in either title does not pair with that code's.
    #[test]
    fn a_backtick_in_a_merged_projects_titles_leaves_the_command_in_code() {
        let into = CarriedOnAs {
            number: ProjectNumber::new(4).unwrap(),
            title: Title::parse("Bins `v2").unwrap(),
        };
        let pitch = Pitch {
            number: ProjectNumber::new(3).unwrap(),
            title: &Title::parse("Fix the `enter key form").unwrap(),
            description: &Description::parse("").unwrap(),
            wanted: &[],
            phase: Phase::Retired,
            first: false,
            carried_on_as: Some(&into),
            shared: false,
            carried_on_at: None,
        };
        let m = announcement(pitch, &UserId::parse("U1").unwrap(), "raised_hand");
        let blocks = serde_json::to_string(&m.blocks).unwrap();
        assert!(
            blocks.contains("(`/makers join 4` joins its team)"),
            "{blocks}"
        );
        assert_eq!(blocks.matches('`').count(), 2, "{blocks}");
    }

    #[test]
    fn an_announcement_lists_the_skills_wanted_when_there_are_any() {
        let text = text_of(&[Skill::Developer, Skill::UserResearcher]);
        assert!(
            text.contains(r"Bin day finder*\n*Wanted:* developer, user researcher"),
            "{text}"
        );
        assert!(!text_of(&[]).contains("Wanted"));
    }
}
