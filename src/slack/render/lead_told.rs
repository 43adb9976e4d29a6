//! The word to a project's lead when someone else in its team changes what everyone sees of
//! it ([`Notice::ChangedByTeam`](crate::message::Notice)): what changed, and how to put it back.

use super::publishing::{linked, page};
use super::{Look, Person, title_text};
use crate::domain::{ProjectNumber, Title, UserId};
use crate::message::TeamChange;

pub(super) fn line(
    number: ProjectNumber,
    title: &Title,
    by: &UserId,
    change: &TeamChange,
    look: &Look,
) -> String {
    let by = Person::of(by);
    let project = format!("*{number}: {}*", title_text(title));
    let n = number.get();
    let what = match change {
        TeamChange::Edited {
            renamed_from: Some(old),
        } => format!(
            "{by} edited the pitch of {project} (it was _{}_). `/makers show {n}` shows it as it is now; `/makers edit {n} …` changes it again.",
            title_text(old)
        ),
        TeamChange::Edited { renamed_from: None } => format!(
            "{by} edited the description of {project}. `/makers show {n}` shows it as it is now; `/makers edit {n} | …` changes it again."
        ),
        TeamChange::Published { slug } => format!(
            "{by} put {project} in the public catalogue: {}. `/makers unpublish {n}` takes it out.",
            page(slug, look)
        ),
        TeamChange::Unpublished => format!(
            "{by} took {project} out of the public catalogue. `/makers publish {n}` puts it back, at the same address."
        ),
        TeamChange::Retired => format!(
            "{by} retired {project}. `/makers phase {n} &lt;phase&gt;` brings it back, e.g. `/makers phase {n} alpha`."
        ),
        TeamChange::Merged {
            into,
            into_title,
            back_to,
            retired_before,
        } => {
            let (into_title, back, j) = (title_text(into_title), back_to.as_str(), into.get());
            let merged = match retired_before {
                true => format!("merged {project}, retired already, into *{into}: {into_title}*"),
                false => format!("merged {project} into *{into}: {into_title}* and retired it"),
            };
            format!(
                "{by} {merged}: the work carries on there (`/makers join {j}` joins its team). If that was a mistake, `/makers phase {n} {back}` brings it back as a project of its own."
            )
        }
        TeamChange::Linked {
            which,
            url: Some(url),
        } => format!(
            "{by} recorded the {} of {project} at {}. `/makers link {n} {} none` removes it.",
            which.label(),
            linked(url.as_str()),
            which.as_str()
        ),
        TeamChange::Linked { which, url: None } => format!(
            "{by} removed the {} of {project}. `/makers link {n} {} &lt;url&gt;` records it again.",
            which.label(),
            which.as_str()
        ),
    };
    format!(
        ":information_source: {what} (You lead it, so I tell you when someone else in its team changes what everyone sees of it.)"
    )
}
