//! Councils: what is recorded for you, "did you mean…?", and give and take per council.

use slack_morphism::prelude::*;

use super::fit::{longest_more, more_after, paged, past_the_end, spoken};
use super::{bold_text, count, escape, title_text};
use crate::domain::{GiveAndTake, Page, ProjectNumber, Title};
use crate::message::{Formerly, LeadBefore};

/// Most of the projects a council now leads named in `council`'s answer; the rest counted.
const LED_NAMED: usize = 10;

/// How the name typed for `council` stands to the council recorded.
#[derive(Debug, Clone, Copy)]
pub(super) enum Matched<'a> {
    /// As typed (or nothing typed).
    AsTyped,
    /// Another spelling of the council's name.
    Spelling,
    /// A former council's name (as recorded), merged into this one or renamed.
    Formerly(&'a Formerly),
}

impl<'a> Matched<'a> {
    pub(super) fn from(matched: bool, formerly: Option<&'a Formerly>) -> Matched<'a> {
        match (formerly, matched) {
            (Some(former), _) => Matched::Formerly(former),
            (None, true) => Matched::Spelling,
            (None, false) => Matched::AsTyped,
        }
    }
}

/// The council before a change, and what the change left with it or took along.
pub(super) struct Before<'a> {
    pub was: Option<&'a str>,
    /// The asker's open projects that `was` still leads.
    pub still_led: &'a [(ProjectNumber, Title)],
    /// Other workspaces where the asker had said `was`, changed too.
    pub changed_elsewhere: usize,
    /// How many of the asker's open projects in other workspaces `was` still leads.
    pub still_led_elsewhere: usize,
    /// How many of their joins so far keep counting for `was`.
    pub joins_kept: usize,
    /// How many of their joins go with the council now, `was` being a slip put right.
    pub joins_put_right: usize,
    /// The re-uses they said for `was`, a slip put right, since choosing it: kept.
    pub reuses_of_slip: &'a [(ProjectNumber, Title)],
    /// How many more of those are of private channels' projects not shown here: counted.
    pub reuses_of_slip_private: usize,
}

/// The asker's projects a council leads now, having had none.
pub(super) struct Led<'a> {
    pub named: &'a [(ProjectNumber, Title)],
    /// How many more are private channels' projects not shown here: counted.
    pub private: usize,
}

/// What `council` records or says: `before` the council before this answer changed it,
/// `led` the asker's projects it leads now, having had none.
pub(super) fn council(
    name: Option<&str>,
    matched: Matched<'_>,
    ledger: Option<&GiveAndTake>,
    before: Before<'_>,
    led: Led<'_>,
) -> String {
    let Before {
        was,
        still_led,
        changed_elsewhere,
        still_led_elsewhere,
        joins_kept,
        joins_put_right,
        reuses_of_slip,
        reuses_of_slip_private,
    } = before;
    let mut text = match (name, matched) {
        (Some(n), Matched::AsTyped) => format!(
            "You're recorded as working for *{}*. `/makers council &lt;name&gt;` changes it.",
            bold_text(n)
        ),
        (Some(n), Matched::Spelling) => format!(
            "You're recorded as working for *{}* (the name already in use for that council).",
            bold_text(n)
        ),
        (Some(n), Matched::Formerly(former)) if former.renamed => format!(
            "You're recorded as working for *{}*, as *{}* is now called.",
            bold_text(n),
            bold_text(&former.name)
        ),
        (Some(n), Matched::Formerly(former)) => format!(
            "You're recorded as working for *{}*: *{}* is now part of it, and its people, projects and re-uses are counted there now.",
            bold_text(n),
            bold_text(&former.name)
        ),
        (None, _) => "I don't know your council yet. Tell me with `/makers council &lt;name&gt;`, e.g. `/makers council Guildford Borough Council`.".to_string(),
    };
    if let Some(before) = was {
        text.push_str(&format!(" Before, it was *{}*.", bold_text(before)));
        match changed_elsewhere {
            0 => {}
            1 => text.push_str(
                " I've changed it in the other Slack workspace where you had said it too.",
            ),
            n => text.push_str(&format!(
                " I've changed it in the {n} other Slack workspaces where you had said it too."
            )),
        }
    }
    if let (Some(before), Some(now), [(first, _), ..]) = (was, name, still_led) {
        // Their projects stay that council's work: what to do if it no longer is.
        let (yours, it) = match still_led.len() {
            1 => ("your project", "it"),
            _ => ("your projects", "one"),
        };
        text.push_str(&format!(
            "\n*{}* still leads {yours} {}. If *{}* takes {it} on, `/makers lead-council {number} {}`; or hand {it} to someone at *{}* with `/makers handover {number} @name`.",
            bold_text(before),
            named(still_led),
            bold_text(now),
            escape(now),
            bold_text(before),
            number = first.get(),
        ));
    }
    // Reports count a join for the council its person worked for then: say which.
    if let (Some(before), Some(now)) = (was, name) {
        if joins_put_right > 0 {
            let (teams, count) = teams(joins_put_right);
            text.push_str(&format!(
                "\nYou chose *{}* less than a day ago, so I've taken it for a slip: the {teams} you joined since {count} for *{}* in reports.",
                bold_text(before),
                bold_text(now),
            ));
        }
        if joins_kept > 0 {
            let (teams, count) = teams(joins_kept);
            text.push_str(&format!(
                "\nThe {teams} you joined while at *{}* still {count} for it in reports; the teams you join here from now on count for *{}*. If you never worked for *{}*, whoever runs Makers can put that right for the past.",
                bold_text(before),
                bold_text(now),
                bold_text(before),
            ));
        }
    }
    if let Some(before) = was {
        text.push_str(&slip_reuses(before, reuses_of_slip, reuses_of_slip_private));
    }
    let Led {
        named: led,
        private,
    } = led;
    if !led.is_empty() || private > 0 {
        let (projects, which) = match led.len().saturating_add(private) {
            1 => ("project", "it"),
            _ => ("projects", "them"),
        };
        let what = match (led.is_empty(), private) {
            (_, 0) => named(led),
            (true, 1) => "1 in a private channel".to_string(),
            (true, n) => format!("{n} in private channels"),
            (false, 1) => format!("{}, and 1 in a private channel", named(led)),
            (false, n) => format!("{}, and {n} in private channels", named(led)),
        };
        text.push_str(&format!(
            "\nYour {projects} had no lead council, so yours leads {which} now: {what}."
        ));
    }
    if let (Some(before), n @ 1..) = (was, still_led_elsewhere) {
        text.push_str(&format!(
            "\n*{}* also still leads {} of yours in other Slack workspaces (`/makers list mine` there lists them).",
            bold_text(before),
            count(n as i64, "project", "projects"),
        ));
    }
    if let Some(l) = ledger {
        text.push('\n');
        text.push_str(&line(l));
    }
    text
}

/// The re-uses said for council `before`, a slip put right, named with the `unreuse` that
/// takes each back: they stay said (and shown) for it, though nobody there said them. The
/// `private` ones (of private channels' projects not shown here) are counted, and taken
/// back in their channel, as `unreuse` of one is refused elsewhere.
fn slip_reuses(before: &str, reuses: &[(ProjectNumber, Title)], private: usize) -> String {
    let (those, any) = match reuses.len().saturating_add(private) {
        0 => return String::new(),
        1 => ("that stays", "it"),
        _ => ("those stay", "any"),
    };
    let (in_private, there) = match private {
        1 => ("in a private channel", "in that channel"),
        _ => ("in private channels", "in its channel"),
    };
    let (what, takes_back) = match (reuses.is_empty(), private) {
        (true, _) => (
            format!(
                "{} {in_private}",
                count(
                    i64::try_from(private).unwrap_or(i64::MAX),
                    "project",
                    "projects"
                )
            ),
            format!("`/makers unreuse` {there} takes it back."),
        ),
        (false, 0) => (
            named(reuses),
            format!("{} takes it back.", unreuses(reuses)),
        ),
        (false, 1) => (
            format!("{}, and 1 more {in_private},", named(reuses)),
            format!(
                "{} takes it back; `/makers unreuse` {there} takes back the one said there.",
                unreuses(reuses)
            ),
        ),
        (false, n) => (
            format!("{}, and {n} more {in_private},", named(reuses)),
            format!(
                "{} takes it back; `/makers unreuse` {there} takes back one said there.",
                unreuses(reuses)
            ),
        ),
    };
    format!(
        "\nYou said *{}* re-uses {what} while it was your council, and {those} said for it. If {any} was part of the slip, {takes_back}",
        bold_text(before),
    )
}

/// The `unreuse` for each of `reuses`, as many as [`named`] names.
fn unreuses(reuses: &[(ProjectNumber, Title)]) -> String {
    let mut commands: Vec<String> = reuses
        .iter()
        .take(LED_NAMED)
        .map(|(n, _)| format!("`/makers unreuse {}`", n.get()))
        .collect();
    if reuses.len() > LED_NAMED {
        commands.push("and so on".to_string());
    }
    commands.join(", ")
}

/// What a reply to `lead-council` adds on the council before, in reports (`set`: the
/// council set now), beside `council`'s words for a person's joins.
pub(super) fn lead_before(before: &LeadBefore, set: &str) -> String {
    match before {
        LeadBefore::None => String::new(),
        LeadBefore::Kept { council } => format!(
            "\nIn reports it counts for *{}* until now, and for *{}* from now on.",
            bold_text(council),
            bold_text(set)
        ),
        LeadBefore::PutRight { council, pitched } => format!(
            "\n*{}* was {} less than a day ago, so I've taken it for a slip: in reports, the time it led counts for *{}*.",
            bold_text(council),
            if *pitched {
                "pitched as its lead council"
            } else {
                "set"
            },
            bold_text(set)
        ),
    }
}

/// "team" and "counts", or "2 teams" and "count".
fn teams(n: usize) -> (String, &'static str) {
    match n {
        1 => ("team".to_string(), "counts"),
        n => (format!("{n} teams"), "count"),
    }
}

/// Projects as a list: "*4: Bin day finder*, *7: Parking*" and the rest counted past ten.
fn named(projects: &[(ProjectNumber, Title)]) -> String {
    let named: Vec<String> = projects
        .iter()
        .take(LED_NAMED)
        .map(|(n, t)| format!("*{n}: {}*", title_text(t)))
        .collect();
    match projects.len().saturating_sub(LED_NAMED) {
        0 => named.join(", "),
        n => format!("{} and {n} more", named.join(", ")),
    }
}

/// Both names as typed or recorded: set in bold, and as the command to type.
pub(super) fn did_you_mean(typed: &str, suggestion: &str) -> String {
    format!(
        "Did you mean *{}*? If so, `/makers council {suggestion}`. If *{}* is another council, say `/makers council {typed}` again and I'll add it. Nothing is recorded yet.",
        bold_text(suggestion),
        bold_text(typed),
        suggestion = escape(suggestion),
        typed = escape(typed),
    )
}

/// Every council's give and take, most giving first, packed within Slack's limits a page at
/// a time (`councils page 2`); the asker's own council's line added where the page does not
/// show it (`yours`: its name as listed).
pub(super) fn give_and_take(
    all: &[GiveAndTake],
    page: Page,
    yours: Option<&str>,
) -> SlackMessageContent {
    if all.is_empty() {
        return super::plain(
            "No councils yet: say yours with `/makers council &lt;name&gt;`.".to_string(),
        );
    }
    let head = format!(
        "*Give and take, by council* ({}, most giving first)",
        count(all.len() as i64, "council", "councils")
    );
    let lines: Vec<String> = all.iter().map(line).collect();
    let on_page = |page: Option<Page>| match page {
        Some(page) => format!("{head} · page {}", page.get()),
        None => head.clone(),
    };
    let mine = yours.and_then(|yours| all.iter().position(|c| c.council == yours));
    // The closing: the next page's command, and your council's line where not shown.
    let closing = |more: Option<String>, mine: Option<usize>| {
        let lines: Vec<String> = more
            .map(|more| format!("{more}."))
            .into_iter()
            .chain(mine.map(|at| yours_line(at, all)))
            .collect();
        (!lines.is_empty()).then(|| lines.join("\n"))
    };
    // Its room in `text`, at its longest.
    let room = closing(longest_more("councils", all.len()), mine).map_or(0, |c| c.chars().count());
    let (packer, shown) = match paged(on_page, &lines, page, room) {
        Ok(packed) => packed,
        Err(pages) => return past_the_end("councils", pages),
    };
    let rest = closing(
        more_after("councils", shown.end, all.len(), page),
        mine.filter(|at| !shown.contains(at)),
    );
    // A page says which it is, as its blocks' heading does.
    let which = (shown.len() < all.len()).then_some(page);
    let blocks = packer.into_blocks(rest);
    SlackMessageContent::new()
        .with_text(spoken(&on_page(which).replace('*', ""), &blocks))
        .with_blocks(blocks)
}

/// The asker's council's line and place (`at` in `all`), where a page does not show it.
fn yours_line(at: usize, all: &[GiveAndTake]) -> String {
    format!("Yours, {}:\n{}", ordinal(at + 1), line(&all[at]))
}

/// 1st, 2nd, 3rd, 4th, …, 11th, 12th, 13th, …, 21st.
fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// "• *Guildford Borough Council*: led 3 projects · 5 people in teams · re-uses 2 projects ·
/// its work re-used 4 times by other councils"
pub(super) fn line(c: &GiveAndTake) -> String {
    let times = match c.reused_by_others {
        1 => "once".to_string(),
        n => format!("{n} times"),
    };
    format!(
        "• *{}*: led {} · {} in teams · re-uses {} · its work re-used {times} by other councils",
        bold_text(&c.council),
        count(c.led, "project", "projects"),
        count(c.people, "person", "people"),
        count(c.reuses, "project", "projects"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn councils(n: usize) -> Vec<GiveAndTake> {
        (1..=n)
            .map(|i| GiveAndTake {
                council: format!("Royal Borough of Somewhere Quite Long {i:03}"),
                led: 1,
                people: 2,
                reuses: 3,
                reused_by_others: 4,
            })
            .collect()
    }

    fn text(message: &SlackMessageContent) -> String {
        serde_json::to_string(&message.blocks).unwrap()
    }

    /// 120 councils: every one is named across the pages, each page naming the next, and
    /// the asker's own council, where a page does not show it, is added with its place.
    #[test]
    fn every_council_is_named_page_by_page_and_yours_on_each() {
        let all = councils(120);
        let yours = all[110].council.clone();
        let mut named = 0;
        let mut page = Page::FIRST;
        loop {
            let said = text(&give_and_take(&all, page, Some(&yours)));
            let here = said.matches("• *Royal Borough").count();
            named += here;
            let shows_yours = said.contains("• *Royal Borough of Somewhere Quite Long 111*");
            assert!(shows_yours, "{said}");
            if named >= 120 {
                assert!(
                    !said.contains("Yours, 111th") && !said.contains("more"),
                    "{said}"
                );
                break;
            }
            assert!(said.contains("Yours, 111th:"), "{said}");
            let next = page.next().unwrap();
            assert!(
                said.contains(&format!(
                    "`/makers councils page {}` shows the next",
                    next.get()
                )),
                "{said}"
            );
            page = next;
        }
        assert_eq!(
            named,
            120 + usize::from(page.get()) - 1,
            "each once, and yours on the others"
        );
        assert!(page.get() >= 2);
    }

    #[test]
    fn a_short_list_has_no_pages() {
        let all = councils(3);
        let said = text(&give_and_take(&all, Page::FIRST, Some(&all[2].council)));
        assert!(!said.contains("page") && !said.contains("Yours"), "{said}");
        assert_eq!(
            give_and_take(&all, Page::new(2).unwrap(), None)
                .text
                .as_deref(),
            Some("The whole list fits on one page: `/makers councils` shows it.")
        );
        assert_eq!(ordinal(1), "1st");
        assert_eq!(ordinal(12), "12th");
        assert_eq!(ordinal(22), "22nd");
        assert_eq!(ordinal(113), "113th");
    }

    /// Re-uses of private channels' projects alone: counted, and taken back there.
    #[test]
    fn a_slips_private_re_uses_alone_are_counted() {
        assert_eq!(
            slip_reuses("Guildford", &[], 1),
            "\nYou said *Guildford* re-uses 1 project in a private channel while it was your council, and that stays said for it. If it was part of the slip, `/makers unreuse` in that channel takes it back."
        );
        assert_eq!(
            slip_reuses("Guildford", &[], 2),
            "\nYou said *Guildford* re-uses 2 projects in private channels while it was your council, and those stay said for it. If any was part of the slip, `/makers unreuse` in its channel takes it back."
        );
        assert_eq!(slip_reuses("Guildford", &[], 0), "");
    }

    /// Projects led now, all of them private channels' not shown here: counted.
    #[test]
    fn projects_led_now_in_private_channels_alone_are_counted() {
        let said = |private| {
            council(
                Some("Guildford"),
                Matched::AsTyped,
                None,
                Before {
                    was: None,
                    still_led: &[],
                    changed_elsewhere: 0,
                    still_led_elsewhere: 0,
                    joins_kept: 0,
                    joins_put_right: 0,
                    reuses_of_slip: &[],
                    reuses_of_slip_private: 0,
                },
                Led {
                    named: &[],
                    private,
                },
            )
        };
        assert!(
            said(1).ends_with(
                "\nYour project had no lead council, so yours leads it now: 1 in a private channel."
            ),
            "{}",
            said(1)
        );
        assert!(
            said(2).ends_with(
                "\nYour projects had no lead council, so yours leads them now: 2 in private channels."
            ),
            "{}",
            said(2)
        );
        assert!(!said(0).contains("lead council"), "{}", said(0));
    }
}
