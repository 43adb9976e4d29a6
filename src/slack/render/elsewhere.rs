//! Services other workspaces have put in the public catalogue, named where people look before
//! building: a search's answer and a pitch's. Public text only (the catalogue's names), and
//! their teams cannot be joined from here, so the way on is the address: `show` tells what
//! its catalogue page says, `reuse` says the council uses it.

use super::fit::truncate;
use super::reuse::in_catalogue;
use super::{Look, count, escape};
use crate::domain::{Phase, ServiceElsewhere};

/// "• *Bin day finder* (`bin-day-finder` in the catalogue) · in live · Guildford Borough
/// Council leads it · 2 councils re-use it".
pub(super) fn line(s: &ServiceElsewhere) -> String {
    let phase = match s.phase {
        Phase::Retired => " · retired".to_string(),
        phase => format!(" · in {phase}"),
    };
    let lead = match &s.lead_council {
        Some(council) => format!(" · {} leads it", escape(council)),
        None => String::new(),
    };
    let reused = match s.reused_by {
        0 => String::new(),
        1 => " · 1 council re-uses it".to_string(),
        n => format!(" · {n} councils re-use it"),
    };
    format!("• {}{phase}{lead}{reused}", in_catalogue(&s.name, &s.slug))
}

/// What to type next, for one service (by its address) or several ("&lt;address&gt;").
fn way_on(services: &[ServiceElsewhere]) -> String {
    let address = match services {
        [one] => one.slug.as_typed().to_string(),
        _ => "&lt;address&gt;".to_string(),
    };
    format!(
        "Its team works in its own workspace, so it can't be joined from here: `/makers show {address}` tells you more, and if your council uses it, `/makers reuse {address}` says so and tells its team."
    )
}

/// The section after a search's own projects: the services of other workspaces holding every
/// word, and where the rest are when there are more.
pub(super) fn for_search(
    words: &str,
    services: &[ServiceElsewhere],
    more: bool,
    look: &Look,
) -> String {
    let mut text =
        String::from("*Built in other workspaces*, in the public catalogue (every word matching):");
    for s in services {
        text.push('\n');
        text.push_str(&line(s));
    }
    text.push('\n');
    text.push_str(&way_on(services));
    if more {
        let query: String = url::form_urlencoded::byte_serialize(words.as_bytes()).collect();
        match look.catalogue_if_reachable() {
            Some(catalogue) => text.push_str(&format!(
                " More match: <{catalogue}?q={}|the public catalogue> lists them all.",
                escape(&query)
            )),
            None => text.push_str(" More match: another word narrows them."),
        }
    }
    truncate(text)
}

/// The section after a pitch's answer: services of other workspaces, not retired, whose
/// name or description hold every word of its title.
pub(super) fn for_pitch(services: &[ServiceElsewhere]) -> String {
    let head = match services.len() {
        1 => {
            "*Another workspace has built one like it*, in the public catalogue: before building your own, see whether your council can re-use it."
        }
        _ => {
            "*Other workspaces have built ones like it*, in the public catalogue: before building your own, see whether your council can re-use one."
        }
    };
    let mut text = head.to_string();
    for s in services {
        text.push('\n');
        text.push_str(&line(s));
    }
    text.push('\n');
    text.push_str(&way_on(services));
    truncate(text)
}

/// The pitch's notification words for them: "2 services in the public catalogue look like
/// it."
pub(super) fn for_pitch_text(services: &[ServiceElsewhere]) -> String {
    format!(
        "{} in the public catalogue, built in another workspace, {}.",
        count(services.len() as i64, "service", "services"),
        match services.len() {
            1 => "looks like it",
            _ => "look like it",
        }
    )
}

/// A search's notification words for them when the workspace has none: "2 services built
/// in other workspaces match, in the public catalogue."
pub(super) fn for_search_text(listed: usize, more: bool) -> String {
    let (n, verb) = match (listed, more) {
        (1, false) => (
            "1 service built in another workspace".to_string(),
            "matches",
        ),
        (n, false) => (format!("{n} services built in other workspaces"), "match"),
        (n, true) => (
            format!("More than {n} services built in other workspaces"),
            "match",
        ),
    };
    format!("{n} {verb}, in the public catalogue.")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Slug;

    fn service(name: &str, phase: Phase, lead: Option<&str>, reused_by: u32) -> ServiceElsewhere {
        ServiceElsewhere {
            slug: Slug::from_stored(name.to_lowercase().replace(' ', "-")),
            name: name.to_string(),
            phase,
            lead_council: lead.map(str::to_string),
            reused_by,
        }
    }

    fn look(public_url: &str) -> Look {
        Look {
            tz: chrono_tz::Europe::London,
            join_emoji: "raised_hand".into(),
            public_url: public_url.into(),
            contact_url: None,
        }
    }

    #[test]
    fn a_line_says_its_phase_lead_and_re_users_escaped() {
        let s = service(
            "Bin day finder",
            Phase::Live,
            Some("Guildford <BC> & co"),
            2,
        );
        assert_eq!(
            line(&s),
            "• *Bin day finder* (`bin-day-finder` in the catalogue) · in live · Guildford &lt;BC&gt; &amp; co leads it · 2 councils re-use it"
        );
        let retired = service("Old app", Phase::Retired, None, 1);
        assert_eq!(
            line(&retired),
            "• *Old app* (`old-app` in the catalogue) · retired · 1 council re-uses it"
        );
    }

    #[test]
    fn one_service_is_named_by_its_address_in_the_way_on() {
        let one = [service("Bin day finder", Phase::Beta, None, 0)];
        let text = for_pitch(&one);
        assert!(text.contains("`/makers reuse bin-day-finder`"), "{text}");
        assert!(text.starts_with("*Another workspace has built one like it*"));
        let two = [one[0].clone(), service("Bins", Phase::Live, None, 0)];
        let text = for_pitch(&two);
        assert!(text.contains("`/makers reuse &lt;address&gt;`"), "{text}");
        assert_eq!(
            for_pitch_text(&two),
            "2 services in the public catalogue, built in another workspace, look like it."
        );
    }

    #[test]
    fn more_links_the_catalogues_search_only_where_people_can_reach_it() {
        let found = [service("Bin day finder", Phase::Live, None, 0)];
        let text = for_search(
            "bin day",
            &found,
            true,
            &look("https://makers.example.gov.uk"),
        );
        assert!(
            text.contains(
                "<https://makers.example.gov.uk/catalogue?q=bin+day|the public catalogue>"
            ),
            "{text}"
        );
        let text = for_search("bin day", &found, true, &look("http://127.0.0.1:3000"));
        assert!(text.contains("another word narrows them"), "{text}");
        assert!(!text.contains("127.0.0.1"), "{text}");
        let text = for_search(
            "bin day",
            &found,
            false,
            &look("https://makers.example.gov.uk"),
        );
        assert!(!text.contains("More match"), "{text}");
    }
}
