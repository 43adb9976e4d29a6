//! Re-use: the answer to `reuse` / `unreuse`, and the line in the pitch's thread.

use slack_morphism::prelude::*;

use super::fit::{more_after, more_room, paged, past_the_end, spoken, truncate};
use super::{Look, Person, count, escape, plain, title_text};
use crate::domain::ReuseEnds;
use crate::domain::{ListedAsk, Page, ProjectNumber, Slug, Title, UserId, public_name};
use crate::message::{MergedInto, ProjectNamed, ReuseNote, ReusedNews};

pub(super) fn reply(
    number: ProjectNumber,
    title: Option<&Title>,
    council: &str,
    note: ReuseNote,
    listed: Option<&Slug>,
) -> String {
    // By its catalogue address, the project may be another workspace's: its number would
    // name another project here, so the address names it, and is what to type again.
    let project = match (listed, title) {
        // Named as the catalogue names it: the project may be another workspace's, whose
        // ids and addresses in a title are not for this one.
        (Some(slug), Some(title)) => in_catalogue(&public_name(title.as_str()), slug),
        // Taken down: by the address alone.
        (Some(slug), None) => format!("`{}` in the catalogue", slug.as_typed()),
        (None, Some(title)) => format!("*{number}: {}*", title_text(title)),
        (None, None) => format!("*{number}*"),
    };
    let again = listed.map_or_else(|| number.get().to_string(), Slug::as_typed);
    let council = escape(council);
    match note {
        ReuseNote::Recorded {
            councils,
            in_thread,
            with_note,
        } => {
            let told = super::thread_told(in_thread, "I've told the team in its thread.");
            let verb = if councils == 1 { "re-uses" } else { "re-use" };
            let note = match with_note {
                true => format!(
                    "Your note is kept with it (`/makers reuse {again} | &lt;how you use it&gt;` changes it)."
                ),
                false => format!("`/makers reuse {again} | &lt;how you use it&gt;` adds a note."),
            };
            format!(
                "Recorded: {council} re-uses {project}, which {} now {verb}. {told} {note}",
                count(councils, "council", "councils"),
            )
        }
        ReuseNote::NoteUpdated => {
            format!("{council} already re-uses {project}; I've updated the note.")
        }
        ReuseNote::AlreadyRecorded => format!(
            "{council} already re-uses {project}. `/makers reuse {again} | &lt;how you use it&gt;` changes the note.",
        ),
        ReuseNote::AlreadyRecordedElsewhere => format!(
            "{council} already re-uses {project}: it was said in another Slack workspace, so only someone of your council there, or whoever said it, can change its note. Nothing was changed.",
        ),
        ReuseNote::Withdrawn => format!("Done: {council} no longer re-uses {project}."),
        ReuseNote::WithdrawnSaid { in_thread, before } => format!(
            "Done: {council} no longer re-uses {project}{}. {}",
            match before {
                true => " (you said so for it, your council before)",
                false => "",
            },
            super::thread_told(in_thread, "I've told the team in its thread.")
        ),
        ReuseNote::NotReusing => {
            format!(
                "{council} wasn't recorded as re-using {project}, so there was nothing to withdraw."
            )
        }
    }
}

/// A service as the catalogue names it, with the address to type: "*Bin day finder*
/// (`bin-day-finder` in the catalogue)".
pub(super) fn in_catalogue(name: &str, slug: &Slug) -> String {
    format!(
        "*{}* (`{}` in the catalogue)",
        super::bold_text(name),
        slug.as_typed()
    )
}

/// `join` of a service in the catalogue whose team works in another workspace, or a `show`
/// without its page (taken out between two reads, or an answer queued by an older build,
/// which had no page: `detail::service_elsewhere` tells one with it): where to read about
/// it, and what the asker can do from here (say their council re-uses it, which its team is
/// told).
pub(super) fn elsewhere(service: &Slug, name: &str, ask: ListedAsk, look: &Look) -> String {
    let (named, typed) = (in_catalogue(name, service), service.as_typed());
    let page = format!(
        "<{}|its page in the public catalogue>",
        look.project_page(service)
    );
    let (cannot, says) = match ask {
        ListedAsk::Show => ("I can't show it here", "has its phase, councils and links"),
        ListedAsk::Join => (
            "it can't be joined from here",
            "says which council leads it",
        ),
    };
    format!(
        "{named} is a project of another Slack workspace, where its team works, so {cannot}: {page} {says}. If your council re-uses it, say so with `/makers reuse {typed}`: its team is told."
    )
}

/// After a re-use recorded or its note changed, for a service in the public catalogue: where
/// it now shows, and that its note is public there (a note is written for the team).
pub(super) fn on_its_page(note: ReuseNote, page: Option<&Slug>, look: &Look) -> String {
    let Some(slug) = page else {
        return String::new();
    };
    let url = look.project_page(slug);
    match note {
        ReuseNote::Recorded {
            with_note: true, ..
        }
        | ReuseNote::NoteUpdated => format!(
            " Your council and its note show on <{url}|its page in the public catalogue>, for anyone to read."
        ),
        ReuseNote::Recorded { .. } => {
            format!(" Your council shows on <{url}|its page in the public catalogue>.")
        }
        _ => String::new(),
    }
}

/// "Waverley Borough Council no longer re-uses this: 2 councils do."
pub(super) fn withdrawn_line(council: &str, councils: u32) -> String {
    format!(
        ":recycle: {} no longer re-uses this: {}.",
        escape(council),
        reusing_now(councils)
    )
}

fn reusing_now(councils: u32) -> String {
    match councils {
        0 => "none does now".to_string(),
        n => super::count(n, "council does", "councils do"),
    }
}

/// "Waverley Borough Council is now part of West Surrey Council, which leads this, so its
/// re-use ends. 2 councils re-use it now." A merge of councils (`makers-bot council merge`);
/// `council` is the merged-into council's own name for its own re-use.
pub(super) fn merged_line(council: &str, councils: u32, merged: &MergedInto) -> String {
    let into = escape(&merged.into);
    let what = match (council == merged.into, merged.why) {
        // The council merged into re-used it, and now leads it through a merged one.
        (true, ReuseEnds::LeadsIt) => {
            format!("{into} now leads this (councils merged into it), so its re-use ends")
        }
        // It re-used it, and so did a merged council, first: that one stays.
        (true, ReuseEnds::SaidEarlier) => format!(
            "{into} re-used this twice once councils merged into it: the re-use said first stays"
        ),
        (false, ReuseEnds::LeadsIt) => format!(
            "{} is now part of {into}, which leads this, so its re-use ends",
            escape(council)
        ),
        (false, ReuseEnds::SaidEarlier) => format!(
            "{} is now part of {into}, which re-uses this already: the re-use said first stays",
            escape(council)
        ),
    };
    let now = match councils {
        0 => "No council re-uses it now".to_string(),
        n => count(n, "council re-uses it now", "councils re-use it now"),
    };
    format!(":recycle: {what}. {now}.")
}

/// "Waverley Borough Council now re-uses this: 3 councils in all.", with "(said in another
/// Makers workspace)" after the council when it was.
pub(super) fn line(council: &str, councils: u32, elsewhere: bool) -> String {
    let said = match elsewhere {
        true => " (said in another Makers workspace)",
        false => "",
    };
    format!(
        ":recycle: {}{said} now re-uses this: {} in all.",
        escape(council),
        count(councils, "council", "councils")
    )
}

/// In the DM of whoever said their council re-uses a project: what its team did with it,
/// that the council's word stands, and what the council may say now. Named by number in its
/// own workspace, by its address in another (`by` is named only in its own).
pub(super) fn news(
    (council, project, page): (&str, &ProjectNamed, Option<&Slug>),
    news: &ReusedNews,
    by: Option<&UserId>,
    look: &Look,
) -> String {
    let council = escape(council);
    let (named, _, typed) = names(project);
    let by = by
        .map(|by| format!(" by {}", Person::of(by)))
        .unwrap_or_default();
    // Only where people can reach the catalogue (as the help and the Home link it).
    let page = page
        .filter(|_| look.catalogue_if_reachable().is_some())
        .map(|slug| {
            let url = look.project_page(slug);
            format!(" <{url}|Its page in the public catalogue> says so too.")
        })
        .unwrap_or_default();
    let stays = format!("{council} is still recorded as re-using it.{page}");
    match news {
        ReusedNews::Retired => format!(
            ":recycle: {named} was retired{by}: its team no longer works on it. {stays} If the council stops using it: `/makers unreuse {typed}`."
        ),
        ReusedNews::Merged {
            into,
            retired_before,
            offer_reuse,
        } => {
            let named = match retired_before {
                true => format!("{named}, retired already,"),
                false => named,
            };
            let Some(into) = into else {
                return format!(
                    ":recycle: {named} was merged{by} into another project, which I can't name here: its work carries on there, and it is retired. {stays}"
                );
            };
            let (into_named, into_short, into_typed) = names(into);
            let offer = match offer_reuse {
                true => format!(
                    " If the council uses {into_short} instead now: `/makers reuse {into_typed}`, then `/makers unreuse {typed}`."
                ),
                false => String::new(),
            };
            format!(
                ":recycle: {named} was merged into {into_named}{by}: its work carries on there, and it is retired. {stays}{offer}"
            )
        }
        ReusedNews::Back { phase, unmerged } => {
            let own = match unmerged {
                true => " as a project of its own (no longer merged into another)",
                false => "",
            };
            format!(
                ":recycle: {named} was brought back{by}{own}: it is in *{phase}* now, and its team works on it again. {stays}"
            )
        }
    }
}

/// A project as `news` names it first, then again, and as a command names it.
pub(super) fn names(project: &ProjectNamed) -> (String, String, String) {
    match project {
        ProjectNamed::Number { number, title } => (
            format!("*{number}: {}*", title_text(title)),
            number.to_string(),
            number.get().to_string(),
        ),
        ProjectNamed::Listed { slug, title } => (
            in_catalogue(&public_name(title.as_str()), slug),
            format!("`{}`", slug.as_typed()),
            slug.as_typed(),
        ),
    }
}

/// `list reused`: every project the asker's council re-uses that they may be shown, retired
/// ones first, page `page` of them (as `list` pages); or how to say their council first.
pub(super) fn council_reuses(
    council: Option<&str>,
    reused: &[crate::message::Reused],
    page: Page,
) -> SlackMessageContent {
    let Some(council) = council else {
        return plain(
            "Re-use is recorded for your council, and I don't know which council you work for yet. Tell me with `/makers council &lt;name&gt;`, then `/makers list reused` lists what it re-uses."
                .to_string(),
        );
    };
    let unescaped = council;
    let council = escape(council);
    if reused.is_empty() {
        // (Not "re-uses nothing": some may be a private channel's, not shown here.)
        return plain(format!(
            "I have no project that {council} re-uses to show you here. When it re-uses one, `/makers reuse &lt;id&gt;` says so (or `/makers reuse &lt;address&gt;` for a service in the public catalogue), and its team is told."
        ));
    }
    // In bold: a `*` in the council's name must not end it.
    let bold = super::bold_text(unescaped);
    let head = |page: Option<Page>| {
        let which = page.map_or(String::new(), |p| format!(", page {}", p.get()));
        format!(
            "*What {bold} re-uses ({}{which})*, retired ones first",
            reused.len()
        )
    };
    let lines: Vec<String> = reused.iter().map(super::home::reused_line).collect();
    let closing = more_room("list reused", lines.len());
    let (packer, shown) = match paged(head, &lines, page, closing) {
        Ok(packed) => packed,
        Err(pages) => return past_the_end("list reused", pages),
    };
    let rest = more_after("list reused", shown.end, lines.len(), page);
    // A page says which it is, as its blocks' heading does.
    let which = (shown.len() < lines.len()).then_some(page);
    let blocks = packer.into_blocks(rest);
    SlackMessageContent::new()
        .with_text(spoken(&truncate(head(which).replace('*', "")), &blocks))
        .with_blocks(blocks)
}

#[cfg(test)]
mod tests {
    use super::merged_line;
    use crate::domain::ReuseEnds;
    use crate::message::MergedInto;

    #[test]
    fn a_re_use_a_merge_ended_says_why() {
        let into = |why| MergedInto {
            into: "West Surrey Council".into(),
            why,
        };
        for (council, why, councils, said) in [
            (
                "Waverley & Co",
                ReuseEnds::LeadsIt,
                0,
                ":recycle: Waverley &amp; Co is now part of West Surrey Council, which leads this, so its re-use ends. No council re-uses it now.",
            ),
            (
                "Waverley Borough Council",
                ReuseEnds::SaidEarlier,
                1,
                ":recycle: Waverley Borough Council is now part of West Surrey Council, which re-uses this already: the re-use said first stays. 1 council re-uses it now.",
            ),
            (
                "West Surrey Council",
                ReuseEnds::LeadsIt,
                2,
                ":recycle: West Surrey Council now leads this (councils merged into it), so its re-use ends. 2 councils re-use it now.",
            ),
            (
                "West Surrey Council",
                ReuseEnds::SaidEarlier,
                3,
                ":recycle: West Surrey Council re-used this twice once councils merged into it: the re-use said first stays. 3 councils re-use it now.",
            ),
        ] {
            assert_eq!(merged_line(council, councils, &into(why)), said);
        }
    }

    /// A council's name is the list's bold heading: a `*` in it must not end the bold.
    #[test]
    fn a_star_in_a_councils_name_does_not_end_its_bold_heading() {
        use crate::domain::{Page, Phase, ProjectNumber, Title};
        use crate::message::{ProjectNamed, Reused};
        let reused = [Reused {
            project: ProjectNamed::Number {
                number: ProjectNumber::new(4).unwrap(),
                title: Title::parse("Bins").unwrap(),
            },
            phase: Phase::Live,
            carries_on_in: None,
            carries_on_as: None,
        }];
        let message = super::council_reuses(Some("Star*Council & Co"), &reused, Page::FIRST);
        let text = serde_json::to_string(&message).unwrap();
        assert!(
            text.contains("*What Star\u{2217}Council &amp; Co re-uses (1)*, retired ones first"),
            "{text}"
        );
    }
}
