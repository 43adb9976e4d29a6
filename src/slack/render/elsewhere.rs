//! Services other workspaces have put in the public catalogue, named where people look before
//! building: a search's answer and a pitch's. Public text only (the catalogue's names), and
//! their teams cannot be joined from here, so the way on is the address: `show` tells what
//! its catalogue page says, `reuse` says the council uses it.

use super::fit::truncate;
use super::reuse::in_catalogue;
use super::{Look, bold_text, escape};
use crate::domain::{Phase, ServiceElsewhere, Slug};

/// A service named as in the catalogue: "*Bin day finder* (`bin-day-finder` in the
/// catalogue)", or, where people can reach the catalogue, its name linked to its page (a tap
/// away on a phone): "*<page|Bin day finder>* (`bin-day-finder`)".
fn named(s: &ServiceElsewhere, look: &Look) -> String {
    match look.catalogue_if_reachable() {
        Some(_) => format!(
            "*<{}|{}>* (`{}`)",
            look.project_page(&s.slug),
            bold_text(&s.name).replace('|', "\u{2223}"),
            s.slug.as_typed()
        ),
        None => in_catalogue(&s.name, &s.slug),
    }
}

/// "• *Bin day finder* (`bin-day-finder` in the catalogue) · in live · Guildford Borough
/// Council leads it · 2 councils re-use it"; a retired one merged into a service in the
/// catalogue says where its work carries on, as `show <address>` does ("· retired, merged
/// into *Road defects* (`road-defects` in the catalogue)"): a retired line alone sends them
/// nowhere.
pub(super) fn line(s: &ServiceElsewhere, look: &Look) -> String {
    let phase = match (s.phase, &s.merged_into) {
        (Phase::Retired, Some(into)) => format!(
            " · retired, merged into {}",
            in_catalogue(&into.name, &into.slug)
        ),
        (Phase::Retired, None) => " · retired".to_string(),
        (phase, _) => format!(" · in {phase}"),
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
    format!("• {}{phase}{lead}{reused}", named(s, look))
}

/// What to type next, for one service (by its address) or several ("&lt;address&gt;").
fn way_on(services: &[ServiceElsewhere]) -> String {
    match services {
        [one] => {
            let address = one.slug.as_typed();
            format!(
                "Its team works in its own workspace, so it can't be joined from here: `/makers show {address}` tells you more, and if your council re-uses it, `/makers reuse {address}` says so."
            )
        }
        _ => "Their teams work in their own workspaces, so they can't be joined from here: `/makers show &lt;address&gt;` tells you more about one, and if your council re-uses one, `/makers reuse &lt;address&gt;` says so.".to_string(),
    }
}

/// The close of `show <address>` for another workspace's service: what can be done from
/// here, or, when the asker's council (`yours`) re-uses it already, how to take that back.
pub(super) fn from_here(slug: &Slug, yours: Option<&str>) -> String {
    let address = slug.as_typed();
    let cannot = "Its team works in its own workspace, so it can't be joined from here.";
    match yours {
        Some(council) => format!(
            "{} re-uses it already (`/makers unreuse {address}` takes that back, if it was said in this workspace). {cannot}",
            escape(council)
        ),
        None => format!("{cannot} If your council re-uses it, `/makers reuse {address}` says so."),
    }
}

/// The longest search the catalogue's own page reads whole (`web::query`): a link with a
/// longer one would show another search.
const LINKED_SEARCH_CHARS: usize = 200;

/// The section after a search's own projects: the services of other workspaces holding every
/// word, and where the rest are when there are more.
pub(super) fn for_search(
    words: &str,
    services: &[ServiceElsewhere],
    more: bool,
    look: &Look,
) -> String {
    let mut text = String::from(
        "*Published by other workspaces*, in the public catalogue (services holding every word you searched for):",
    );
    for s in services {
        text.push('\n');
        text.push_str(&line(s, look));
    }
    text.push('\n');
    text.push_str(&way_on(services));
    if more {
        let query: String = url::form_urlencoded::byte_serialize(words.as_bytes()).collect();
        match look.catalogue_if_reachable() {
            Some(catalogue) if words.chars().count() <= LINKED_SEARCH_CHARS => {
                text.push_str(&format!(
                    " More match: <{catalogue}?q={}|the public catalogue> lists them all.",
                    escape(&query)
                ))
            }
            _ => text.push_str(" More match: another word narrows them."),
        }
    }
    truncate(text)
}

/// The section after a pitch's answer: services of other workspaces, not retired, whose
/// name or description hold every word of its title.
pub(super) fn for_pitch(services: &[ServiceElsewhere], look: &Look) -> String {
    let head = match services.len() {
        1 => {
            "*Another workspace has published one like it* in the public catalogue: before building your own, see whether its work would do for your council."
        }
        _ => {
            "*Other workspaces have published ones like it* in the public catalogue: before building your own, see whether their work would do for your council."
        }
    };
    let mut text = head.to_string();
    for s in services {
        text.push('\n');
        text.push_str(&line(s, look));
    }
    text.push('\n');
    text.push_str(&way_on(services));
    truncate(text)
}

/// The pitch's notification words for them: "2 services in the public catalogue, from other
/// workspaces, look like it."
pub(super) fn for_pitch_text(services: &[ServiceElsewhere]) -> String {
    match services.len() {
        1 => "1 service in the public catalogue, from another workspace, looks like it.".into(),
        n => format!("{n} services in the public catalogue, from other workspaces, look like it."),
    }
}

/// A search's notification words for them when the workspace has none: "2 services
/// published by other workspaces match, in the public catalogue."
pub(super) fn for_search_text(listed: usize, more: bool) -> String {
    match (listed, more) {
        (1, false) => {
            "1 service published by another workspace matches, in the public catalogue.".into()
        }
        (n, false) => {
            format!("{n} services published by other workspaces match, in the public catalogue.")
        }
        (n, true) => format!(
            "More than {n} services published by other workspaces match, in the public catalogue."
        ),
    }
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
            merged_into: None,
        }
    }

    fn look(public_url: &str) -> Look {
        Look {
            tz: chrono_tz::Europe::London,
            join_emoji: "raised_hand".into(),
            public_url: public_url.into(),
            contact_url: None,
            join_seal: crate::slack::render::JoinSeal::from_secret(b"test"),
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
        let unreachable = look("http://127.0.0.1:3000");
        assert_eq!(
            line(&s, &unreachable),
            "• *Bin day finder* (`bin-day-finder` in the catalogue) · in live · Guildford &lt;BC&gt; &amp; co leads it · 2 councils re-use it"
        );
        let retired = service("Old app", Phase::Retired, None, 1);
        assert_eq!(
            line(&retired, &unreachable),
            "• *Old app* (`old-app` in the catalogue) · retired · 1 council re-uses it"
        );
        // Merged into a service in the catalogue: where its work carries on, escaped too.
        let merged = ServiceElsewhere {
            merged_into: Some(crate::domain::MergedService {
                slug: Slug::from_stored("road-defects".into()),
                name: "Roads & <co>".into(),
            }),
            ..retired
        };
        assert_eq!(
            line(&merged, &unreachable),
            "• *Old app* (`old-app` in the catalogue) · retired, merged into *Roads &amp; &lt;co&gt;* (`road-defects` in the catalogue) · 1 council re-uses it"
        );
        // Where people can reach the catalogue, its name is a link to its page.
        let odd = ServiceElsewhere {
            slug: Slug::from_stored("a-b-c".into()),
            ..service("A <b> | c", Phase::Beta, None, 0)
        };
        assert_eq!(
            line(&odd, &look("https://makers.example.gov.uk")),
            "• *<https://makers.example.gov.uk/catalogue/a-b-c|A &lt;b&gt; \u{2223} c>* (`a-b-c`) · in beta"
        );
    }

    #[test]
    fn one_service_is_named_by_its_address_and_several_in_the_plural() {
        let here = look("http://127.0.0.1:3000");
        let one = [service("Bin day finder", Phase::Beta, None, 0)];
        let text = for_pitch(&one, &here);
        assert!(text.starts_with("*Another workspace has published one like it*"));
        assert!(
            text.ends_with(
                "Its team works in its own workspace, so it can't be joined from here: `/makers show bin-day-finder` tells you more, and if your council re-uses it, `/makers reuse bin-day-finder` says so."
            ),
            "{text}"
        );
        let two = [one[0].clone(), service("Bins", Phase::Live, None, 0)];
        let text = for_pitch(&two, &here);
        assert!(text.starts_with("*Other workspaces have published ones like it*"));
        assert!(
            text.contains("Their teams work in their own workspaces, so they can't be joined"),
            "{text}"
        );
        assert!(text.contains("`/makers reuse &lt;address&gt;`"), "{text}");
        assert_eq!(
            for_pitch_text(&one),
            "1 service in the public catalogue, from another workspace, looks like it."
        );
        assert_eq!(
            for_pitch_text(&two),
            "2 services in the public catalogue, from other workspaces, look like it."
        );
        assert_eq!(
            for_search_text(3, true),
            "More than 3 services published by other workspaces match, in the public catalogue."
        );
    }

    #[test]
    fn show_closes_with_a_re_use_to_say_or_the_one_said() {
        let slug = Slug::from_stored("bin-day-finder".into());
        assert!(from_here(&slug, None).ends_with("`/makers reuse bin-day-finder` says so."));
        assert_eq!(
            from_here(&slug, Some("Brighton & Hove City Council")),
            "Brighton &amp; Hove City Council re-uses it already (`/makers unreuse bin-day-finder` takes that back, if it was said in this workspace). Its team works in its own workspace, so it can't be joined from here."
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
        // A search longer than the page reads whole is not linked (it would show another).
        let long = "bin ".repeat(60);
        let text = for_search(&long, &found, true, &look("https://makers.example.gov.uk"));
        assert!(text.contains("another word narrows them"), "{text}");
        assert!(!text.contains("?q="), "{text}");
        let text = for_search(
            "bin day",
            &found,
            false,
            &look("https://makers.example.gov.uk"),
        );
        assert!(!text.contains("More match"), "{text}");
    }
}
