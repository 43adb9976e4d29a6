//! The public catalogue in Slack: answers to `publish`, `unpublish` and `link`, the line in
//! the pitch's thread, and where `show` says the project's work can be found.

use super::{Look, Person, escape, title_text};
use crate::domain::{
    LinkKind, LinkUrl, ProjectLink, ProjectNumber, Slug, Title, UpdateText, UserId,
};
use crate::message::{LinkNote, PublicationNote};

pub(super) fn publication(
    number: ProjectNumber,
    title: &Title,
    note: &PublicationNote,
    look: &Look,
) -> String {
    let project = format!("*{number}: {}*", title_text(title));
    let n = number.get();
    match note {
        PublicationNote::Published {
            slug,
            in_thread,
            seen_elsewhere,
        } => format!(
            ":globe_with_meridians: {project} is now in the public catalogue: {}. {}{} Record where its work is with `/makers link {n} code|service|docs &lt;url&gt;`; `/makers unpublish {n}` takes it out again.",
            page(slug, look),
            super::thread_told(*in_thread, "I've told the team in its thread."),
            match seen_elsewhere {
                true =>
                    " The other Slack workspaces I serve see it too: their searches, pitch answers and weekly digests name it, as the catalogue shows it (no names, mentions or e-mail addresses).",
                false => "",
            }
        ),
        PublicationNote::AlreadyPublished { slug } => format!(
            "{project} is already in the public catalogue: {}.",
            page(slug, look)
        ),
        PublicationNote::Unpublished => format!(
            "Done: {project} is no longer in the public catalogue. `/makers publish {n}` puts it back, at the same address."
        ),
        PublicationNote::NotPublished => {
            format!("{project} wasn't in the public catalogue, so there was nothing to take out.")
        }
    }
}

/// The line in the pitch's thread when an operator takes the project out of the catalogue
/// (`held`) or allows it back. The reason is the operator's words, escaped as any text.
pub(super) fn hold_line(
    number: ProjectNumber,
    held: bool,
    was_published: bool,
    reason: Option<&UpdateText>,
    look: &Look,
) -> String {
    let n = number.get();
    if !held {
        return format!(
            ":white_check_mark: Whoever runs makers-bot for your councils has lifted their hold on this project: the team may put it in the public catalogue with `/makers publish {n}`."
        );
    }
    let what = match was_published {
        true => {
            "has taken this project out of the public catalogue, and it can't be published again"
        }
        false => "is keeping this project out of the public catalogue, and it can't be published",
    };
    let why = match reason {
        Some(reason) => format!(" Their reason: {}", escape(reason.as_str())),
        None => String::new(),
    };
    // Where the team can ask about it, when the operator said.
    let contact = look.contact();
    format!(
        ":no_entry: Whoever runs makers-bot for your councils{contact} {what} until they allow it.{why}"
    )
}

pub(super) fn link(
    number: ProjectNumber,
    title: &Title,
    which: LinkKind,
    note: &LinkNote,
    published: Option<&Slug>,
    held: bool,
    look: &Look,
) -> String {
    let project = format!("*{number}: {}*", title_text(title));
    let what = which.label();
    let mut text = match note {
        LinkNote::Added { url } => format!(
            "Recorded: {project}'s {what} is at {}.",
            linked(url.as_str())
        ),
        LinkNote::Replaced { url } => format!(
            "Updated: {project}'s {what} is now at {}.",
            linked(url.as_str())
        ),
        LinkNote::Unchanged { url } => format!(
            "{project}'s {what} was already recorded at {}.",
            linked(url.as_str())
        ),
        LinkNote::Removed => format!("Done: {project} no longer lists its {what}."),
        LinkNote::NothingToRemove => {
            format!("{project} had no {what} recorded, so there was nothing to remove.")
        }
    };
    match published {
        Some(slug) => text.push_str(&format!(" Its catalogue page: {}.", page(slug, look))),
        // `publish` would be refused.
        None if held => text.push_str(
            " Whoever runs makers-bot for your councils keeps it out of the public catalogue for now.",
        ),
        None => text.push_str(&format!(
            " It shows in the public catalogue once the team runs `/makers publish {}`.",
            number.get()
        )),
    }
    text
}

/// The line in the pitch's thread.
pub(super) fn line(slug: Option<&Slug>, by: &UserId, look: &Look) -> String {
    let by = Person::of(by);
    match slug {
        Some(slug) => format!(
            ":globe_with_meridians: {by} put this project in the public catalogue: {}",
            page(slug, look)
        ),
        None => format!("{by} took this project out of the public catalogue."),
    }
}

/// The line in the pitch's thread when someone in the team records a link, or removes one.
pub(super) fn link_line(which: LinkKind, url: Option<&LinkUrl>, by: &UserId) -> String {
    let by = Person::of(by);
    let what = which.label();
    match url {
        Some(url) => format!(
            ":link: {by} recorded this project's {what} at {}.",
            linked(url.as_str())
        ),
        None => format!(":link: {by} removed this project's {what}."),
    }
}

/// For `show`: its catalogue page and links, or nothing when it has neither.
pub(super) fn where_to_find(
    published: Option<&Slug>,
    links: &[ProjectLink],
    look: &Look,
) -> Option<String> {
    let mut lines = Vec::new();
    if let Some(slug) = published {
        lines.push(format!("*In the public catalogue:* {}", page(slug, look)));
    }
    for l in links {
        let name = l.kind.heading();
        lines.push(format!("*{name}:* {}", linked(l.url.as_str())));
    }
    (!lines.is_empty()).then(|| lines.join("\n"))
}

/// A link to the project's page, showing its address.
pub(super) fn page(slug: &Slug, look: &Look) -> String {
    let url = look.project_page(slug);
    format!("<{url}|{url}>")
}

/// A recorded address as a link showing itself (a parsed `LinkUrl` holds no `|`).
pub(super) fn linked(url: &str) -> String {
    let url = escape(url);
    format!("<{url}|{url}>")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// With `MAKERS_CONTACT_URL` set, a team told its project is held out of the catalogue
    /// is told where to ask (a mailbox by its address, a page by its own).
    #[test]
    fn a_hold_says_where_to_ask_when_the_operator_said() {
        let number = ProjectNumber::new(4).unwrap();
        let mut look = Look {
            tz: chrono_tz::Europe::London,
            join_emoji: "raised_hand".into(),
            public_url: "https://makers.example.gov.uk".into(),
            contact_url: None,
            join_seal: crate::slack::render::JoinSeal::from_secret(b"test"),
        };
        let plain = hold_line(number, true, true, None, &look);
        assert!(
            plain.starts_with(":no_entry: Whoever runs makers-bot for your councils has taken"),
            "{plain}"
        );
        for (contact, shown) in [
            (
                "mailto:makers@example.gov.uk",
                "(<mailto:makers@example.gov.uk|makers@example.gov.uk>)",
            ),
            (
                "https://example.gov.uk/makers?a=1&b=2",
                "(<https://example.gov.uk/makers?a=1&amp;b=2|https://example.gov.uk/makers?a=1&amp;b=2>)",
            ),
        ] {
            look.contact_url = Some(contact.into());
            let told = hold_line(number, true, false, None, &look);
            assert!(
                told.starts_with(&format!(
                    ":no_entry: Whoever runs makers-bot for your councils {shown} is keeping"
                )),
                "{told}"
            );
            // A lift needs no one asked.
            assert!(!hold_line(number, false, false, None, &look).contains(contact));
        }
    }
}
