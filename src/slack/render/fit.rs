//! Fitting long messages within Slack's limits, one way for all of them: lines are packed
//! into section blocks of at most [`MAX_SECTION_CHARS`], at most [`MAX_BLOCKS`] of them and
//! [`MAX_MESSAGE_CHARS`] in all; the caller says in a closing line what did not fit, so a
//! post is never refused for its size.

use std::ops::Range;

use slack_morphism::prelude::*;

use super::{code, escape, plain};
use crate::domain::Page;

/// Slack's limit is 50 blocks a message; we stop short to leave room for a closing line.
pub(super) const MAX_BLOCKS: usize = 45;
/// Slack's limit is 3,000 characters a section text.
pub(super) const MAX_SECTION_CHARS: usize = 2900;
/// Slack refuses messages whose blocks hold more than about 12,000 characters in all
/// (`msg_blocks_too_long`), whatever the per-block limits say; stay well under.
pub(super) const MAX_MESSAGE_CHARS: usize = 10_000;

/// Packs lines into sections.
pub(super) struct Packer {
    sections: Vec<String>,
    /// Characters in all sections, and in the last one.
    total: usize,
    last: usize,
    /// For a page of a list ([`Packer::page`]): most characters its sections may hold, each
    /// with the line break `text` puts before it.
    spoken: Option<usize>,
    /// Lines taken so far (a page takes its opening and its first item whatever its limit).
    taken: usize,
}

impl Packer {
    pub(super) fn new() -> Packer {
        Packer {
            sections: Vec::new(),
            total: 0,
            last: 0,
            spoken: None,
            taken: 0,
        }
    }

    /// A packer for a page of a list, which its `text` ([`spoken`]) says whole: a screen
    /// reader reads `text` and not the blocks, so a page sized to the message (10,000
    /// characters) was heard a third of the way, and never its closing line with the command
    /// for the next page. The sections, a line each, stay within [`MAX_SPOKEN_CHARS`] less
    /// `room`: the first line and the closing line, which `text` says besides. A page always
    /// takes its opening and its first item, however long, so each page goes on.
    pub(super) fn page(room: usize) -> Packer {
        Packer {
            spoken: Some(MAX_SPOKEN_CHARS.saturating_sub(room + 1)),
            ..Packer::new()
        }
    }

    /// Whether `more` characters more (starting a section: `new`) stay within a page's
    /// spoken limit, if it has one.
    fn spoken_fits(&self, more: usize, new: bool) -> bool {
        let Some(limit) = self.spoken else {
            return true;
        };
        let said = self.total + self.sections.len() + usize::from(new) + more;
        said <= limit || self.taken < 2
    }

    /// A packer for sections followed by more than the closing line: `room` characters of
    /// another section after it, kept free of the message's limit.
    pub(super) fn leaving(room: usize) -> Packer {
        Packer {
            total: room,
            ..Packer::new()
        }
    }

    /// Starts a new section with `line` (cut to a section's limit, as it will be sent); false
    /// (and nothing added) when the message is full.
    pub(super) fn start(&mut self, line: &str) -> bool {
        let line = truncate(line.to_string());
        let len = line.chars().count();
        if self.total + len > MAX_MESSAGE_CHARS
            || self.sections.len() >= MAX_BLOCKS
            || !self.spoken_fits(len, true)
        {
            return false;
        }
        self.sections.push(line);
        self.total += len;
        self.last = len;
        self.taken += 1;
        true
    }

    /// Adds a line to the current section, or starts a new one when it is full; false (and
    /// nothing added) when the message is full.
    pub(super) fn add(&mut self, line: &str) -> bool {
        let len = line.chars().count();
        if self.sections.is_empty() || self.last + 1 + len > MAX_SECTION_CHARS {
            return self.start(line);
        }
        if self.total + 1 + len > MAX_MESSAGE_CHARS || !self.spoken_fits(1 + len, false) {
            return false;
        }
        if let Some(last) = self.sections.last_mut() {
            last.push('\n');
            last.push_str(line);
        }
        self.last += 1 + len;
        self.total += 1 + len;
        self.taken += 1;
        true
    }

    /// The sections as blocks, with `closing` (what did not fit) last, if any.
    pub(super) fn into_blocks(self, closing: Option<String>) -> Vec<SlackBlock> {
        self.sections
            .into_iter()
            .chain(closing)
            .map(|s| section(s).into())
            .collect()
    }
}

/// Lines too many for one message, a page at a time: `head` opens each page (told which page
/// it is; `None` when the whole fits in one), then as many lines as its `text` can say with
/// `closing` characters of closing line after them ([`Packer::page`]; see [`paged_by`]).
pub(super) fn paged(
    head: impl Fn(Option<Page>) -> String,
    lines: &[String],
    page: Page,
    closing: usize,
) -> Result<(Packer, Range<usize>), usize> {
    paged_by(lines.len(), page, |start, page| {
        let head = head(page);
        let mut packer = Packer::page(head.chars().count() + closing);
        packer.start(&head);
        let shown = lines[start..].iter().take_while(|l| packer.add(l)).count();
        (packer, shown)
    })
}

/// Page `page` of a list of `total` items, each page going on where the one before stopped:
/// `pack(start, page)` packs the items from the `start`th into one message (the whole
/// list's when `page` is `None`) and says how many fit. The page packed and which items it
/// holds; for a page past the end (or any but the first of a list that fits whole), how
/// many pages there are.
pub(super) fn paged_by(
    total: usize,
    page: Page,
    pack: impl Fn(usize, Option<Page>) -> (Packer, usize),
) -> Result<(Packer, Range<usize>), usize> {
    let (whole, shown) = pack(0, None);
    if shown == total {
        return match page == Page::FIRST {
            true => Ok((whole, 0..shown)),
            false => Err(1),
        };
    }
    // Paged: every page says which it is (and so holds a little less than the whole).
    let (mut start, mut at) = (0, Page::FIRST);
    loop {
        let (packer, shown) = pack(start, Some(at));
        if at == page {
            return Ok((packer, start..start + shown));
        }
        // (A page always holds an item: a page's packer takes its first whatever its length.)
        match at.next() {
            Some(next) if shown > 0 && start + shown < total => {
                start += shown;
                at = next;
            }
            _ => return Err(usize::from(at.get())),
        }
    }
}

/// After a page that holds items up to `shown_end` of `total`: how many more, and the
/// command for the next page (`command` as typed after `/makers`, without a page), where
/// there is one to ask for; `None` after the last.
pub(super) fn more_after(
    command: &str,
    shown_end: usize,
    total: usize,
    page: Page,
) -> Option<String> {
    (shown_end < total).then(|| {
        let next = page.next().map_or(String::new(), |next| {
            format!(
                ": {} shows the next",
                code(&escape(&format!("/makers {command} page {}", next.get())))
            )
        });
        format!("…and {} more{next}", total - shown_end)
    })
}

/// The most characters [`more_after`]'s line takes in a list of `total` items: the room a
/// page keeps for it in its `text`.
pub(super) fn more_room(command: &str, total: usize) -> usize {
    longest_more(command, total).map_or(0, |more| more.chars().count())
}

/// [`more_after`]'s line at its longest in a list of `total` items, for a page to measure
/// the closing it builds from it.
pub(super) fn longest_more(command: &str, total: usize) -> Option<String> {
    // The largest count, and a next page of the most digits.
    let page = Page::new(Page::MAX - 1).unwrap_or(Page::FIRST);
    more_after(command, 0, total, page)
}

/// The answer to a page past a list's last (`pages` of them; `command` as for
/// [`more_after`]).
pub(super) fn past_the_end(command: &str, pages: usize) -> SlackMessageContent {
    plain(match pages {
        1 => format!(
            "The whole list fits on one page: {} shows it.",
            code(&escape(&format!("/makers {command}")))
        ),
        _ => format!(
            "The list has {pages} pages: {} shows the last.",
            code(&escape(&format!("/makers {command} page {pages}")))
        ),
    })
}

/// A section block; text past Slack's 3,000-character limit is cut (escaping can make a
/// 2,000-character description much longer), so a post is never refused for its length.
pub(super) fn section(text: String) -> SlackSectionBlock {
    SlackSectionBlock::new().with_text(mrkdwn(truncate(text)).into())
}

/// A mrkdwn text object that Slack shows as written: `verbatim`, so Slack does not turn
/// plain `@here`, `#general` or a bare address into a mention or a link ("automatic
/// parsing"); only the tokens the bot wrote work (see `typed`).
pub(super) fn mrkdwn(text: String) -> SlackBlockMarkDownText {
    SlackBlockMarkDownText::new(text).with_verbatim(true)
}

/// Keeps a section within Slack's limit (a very large team could pass it).
pub(super) fn truncate(s: String) -> String {
    if s.chars().count() <= MAX_SECTION_CHARS {
        return s;
    }
    let mut cut = cut_whole(&s, MAX_SECTION_CHARS - 1);
    cut.push('…');
    cut
}

/// `text` in as many sections as it needs, for a post that must show all of it (an update's
/// 2,000 characters escaped may be 3,500: cut to one section, its end was lost with nothing
/// saying so): each piece ends at the last line break, else space, within a section's limit
/// (else anywhere), never inside a token or an entity. Past the message's limit the rest is
/// cut with "…", as [`truncate`] cuts one section.
pub(super) fn split_sections(text: String) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut total = 0;
    let mut rest = text.as_str();
    // Whether the piece before ended inside a code block (a pasted snippet between
    // fences): each section is read alone, so it is closed there and opened again here.
    let mut reopen = false;
    let opening = |reopen: bool| if reopen { FENCE } else { "" };
    while rest.chars().count() + opening(reopen).len() > MAX_SECTION_CHARS {
        if total + MAX_SECTION_CHARS >= MAX_MESSAGE_CHARS {
            break;
        }
        // Room for a fence opened again before it and one closing it after.
        let most = cut_whole(rest, MAX_SECTION_CHARS - 2 * FENCE.len());
        let at = most
            .rfind('\n')
            .or_else(|| most.rfind(' '))
            .unwrap_or(most.len());
        // A space inside a link's label is no place to cut: back to before its `<`.
        let piece = match cut_whole(&most[..at], MAX_SECTION_CHARS) {
            whole if !whole.is_empty() => whole,
            _ => most,
        };
        if piece.is_empty() {
            break;
        }
        rest = &rest[piece.len()..];
        rest = rest.strip_prefix(['\n', ' ']).unwrap_or(rest);
        let inside = (usize::from(reopen) + piece.matches(FENCE).count()) % 2 == 1;
        let mut whole = format!("{}{piece}", opening(reopen));
        if inside {
            whole.push_str(FENCE);
        }
        reopen = inside;
        total += whole.chars().count();
        pieces.push(whole);
    }
    let last = format!("{}{rest}", opening(reopen));
    let room = MAX_SECTION_CHARS.min(MAX_MESSAGE_CHARS - total);
    pieces.push(match last.chars().count() <= room {
        true => last,
        false => cut_whole(&last, room - 1) + "…",
    });
    pieces
}

/// [`split_sections`] as section blocks.
pub(super) fn sections(text: String) -> Vec<SlackBlock> {
    split_sections(text)
        .into_iter()
        .map(|piece| section(piece).into())
        .collect()
}

/// Slack's mark around a block of code.
const FENCE: &str = "```";

/// Slack refuses a message whose `text` is past about 4,000 characters (`msg_too_long`);
/// what is spoken stays well under it.
pub(super) const MAX_SPOKEN_CHARS: usize = 3500;

/// A message's `text`: `first_line` (the notification line, whose start a phone's
/// notification shows), then the words of each section, context and header block, a block
/// to a line, within [`MAX_SPOKEN_CHARS`]. Slack's screen readers read a message's `text`
/// and not its blocks (chat.postMessage, "Accessibility considerations"), so what the
/// blocks say must be said here too. Their mrkdwn is already escaped and goes as it is; a
/// header's plain text is escaped, as `text` is mrkdwn. A line `first_line` already says
/// (the heading the blocks open with) is not said twice. Too long, it is cut as
/// [`cut_keeping`] cuts it.
pub(super) fn spoken(first_line: &str, blocks: &[SlackBlock]) -> String {
    let said = words(first_line);
    let blocks: Vec<Vec<String>> = blocks
        .iter()
        .filter_map(block_words)
        .map(|block| {
            block
                .lines()
                .filter(|line| {
                    let line_words = words(line);
                    !line_words.is_empty() && !said.contains(&line_words)
                })
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .filter(|lines| !lines.is_empty())
        .collect();
    let whole: Vec<&str> = std::iter::once(first_line)
        .chain(blocks.iter().flatten().map(String::as_str))
        .collect();
    let whole = whole.join("\n");
    match whole.chars().count() <= MAX_SPOKEN_CHARS {
        true => whole,
        false => cut_keeping(first_line, &blocks)
            .unwrap_or_else(|| cut_whole(&whole, MAX_SPOKEN_CHARS - 1) + "…"),
    }
}

/// The longest line kept as a block's heading when what is spoken is cut.
const HEADING_CHARS: usize = 200;
/// The most characters of a last block kept whole as the closing line when what is spoken
/// is cut.
const CLOSING_CHARS: usize = 700;

/// `first_line` and the blocks' lines (`blocks`, a block's lines each), too long to say
/// whole, cut so that what says where to go on is still said: each block's first line where
/// short (its heading: "*Latest updates:*", a digest's "*Projects that need people*") and
/// the last block where small (the closing line: "…and 45 more: `/makers list page 2` shows
/// the next", "…more than fits in one message"), with as many of the other lines, in order,
/// as fit around them; "…" where lines are left out. A cut at the end alone would lose
/// exactly those. `None` where even they do not fit.
fn cut_keeping(first_line: &str, blocks: &[Vec<String>]) -> Option<String> {
    let chars = |s: &str| s.chars().count();
    let closing = blocks.len().saturating_sub(1);
    let closing_small = blocks
        .last()
        .is_some_and(|lines| lines.iter().map(|l| chars(l) + 1).sum::<usize>() <= CLOSING_CHARS);
    // Headings as well as the closing line where they fit, else the closing line alone.
    [true, false].into_iter().find_map(|headings| {
        let kept = |block: usize, i: usize, line: &str| {
            (block == closing && closing_small)
                || (headings && i == 0 && chars(line) <= HEADING_CHARS)
        };
        // Each kept line with its line break, and a "…" line a block may need.
        let keeping: usize = blocks
            .iter()
            .enumerate()
            .map(|(b, lines)| {
                let kept: usize = lines
                    .iter()
                    .enumerate()
                    .filter(|(i, line)| kept(b, *i, line))
                    .map(|(_, line)| chars(line) + 1)
                    .sum();
                kept + 2
            })
            .sum();
        let mut room = MAX_SPOKEN_CHARS.checked_sub(chars(first_line) + keeping)?;
        let mut text = first_line.to_string();
        // Whether the line said last is a "…" (one says a run of lines left out).
        let mut after_cut = false;
        for (b, lines) in blocks.iter().enumerate() {
            for (i, line) in lines.iter().enumerate() {
                if kept(b, i, line) || chars(line) < room {
                    if !kept(b, i, line) {
                        room -= chars(line) + 1;
                    }
                    text.push('\n');
                    text.push_str(line);
                    after_cut = false;
                } else if !after_cut {
                    // Cut within the room left (the "…" line was kept room for).
                    text.push('\n');
                    text.push_str(&cut_whole(line, room));
                    text.push('…');
                    room = 0;
                    after_cut = true;
                }
            }
        }
        Some(text)
    })
}

/// The words of a block a reader is told (not its buttons, which carry their own labels).
fn block_words(block: &SlackBlock) -> Option<String> {
    let of = |text: &SlackBlockText| match text {
        SlackBlockText::MarkDown(md) => md.text.clone(),
        SlackBlockText::Plain(p) => escape(&p.text),
    };
    match block {
        SlackBlock::Section(s) => {
            let texts: Vec<String> = s
                .text
                .iter()
                .chain(s.fields.iter().flatten())
                .map(of)
                .collect();
            Some(texts.join("\n"))
        }
        SlackBlock::Context(c) => {
            let texts: Vec<String> = c
                .elements
                .iter()
                .filter_map(|e| match e {
                    SlackContextBlockElement::MarkDown(md) => Some(md.text.clone()),
                    SlackContextBlockElement::Plain(p) => Some(escape(&p.text)),
                    SlackContextBlockElement::Image(_) => None,
                })
                .collect();
            Some(texts.join(" "))
        }
        SlackBlock::Header(h) => Some(of(&h.text.clone().into())),
        _ => None,
    }
}

/// A line's words, to compare: without bold marks or a leading emoji (`:bulb: `).
fn words(line: &str) -> String {
    let line = line.replace('*', "");
    let line = line.trim();
    let line = match line
        .strip_prefix(':')
        .and_then(|rest| rest.split_once(": "))
    {
        Some((emoji, rest)) if !emoji.contains(' ') => rest,
        _ => line,
    };
    line.trim().to_string()
}

/// The first `chars` characters of mrkdwn (or of Slack's text, tokens and entities alike),
/// never leaving half a `<@U…>` token or `&amp;` entity behind: each is checked on its own,
/// as a finished entity inside an unfinished link (`<https://x?a=1&amp;b…`) does not finish
/// the link.
pub(super) fn cut_whole(text: &str, chars: usize) -> String {
    let mut cut: String = text.chars().take(chars).collect();
    for (opens, closes) in [('<', '>'), ('&', ';')] {
        if let Some(open) = cut.rfind(opens)
            && !cut[open..].contains(closes)
        {
            cut.truncate(open);
        }
    }
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_text_is_split_whole_at_spaces_never_inside_a_token() {
        // An update's 2,000 characters, escaped to 3,500 (`&lt;` for each `<`).
        let escaped = "x&lt;y ".repeat(500);
        let link = "<https://example.org/a|a label with spaces>";
        let text = format!("{escaped}{link} {escaped}end");
        let pieces = split_sections(text.clone());
        assert!(pieces.len() > 1, "{pieces:?}");
        for piece in &pieces {
            assert!(piece.chars().count() <= MAX_SECTION_CHARS, "{piece}");
            assert!(!piece.ends_with('…'), "nothing cut: {piece}");
            assert_eq!(
                piece.matches('<').count(),
                piece.matches('>').count(),
                "{piece}"
            );
            assert!(!piece.ends_with('&') && !piece.ends_with("&lt"), "{piece}");
        }
        assert!(pieces.iter().any(|p| p.contains(link)), "the link whole");
        let joined: String = pieces.join(" ");
        assert_eq!(
            joined.split_whitespace().collect::<Vec<_>>(),
            text.split_whitespace().collect::<Vec<_>>()
        );
        assert!(pieces.last().unwrap().ends_with("end"));
        // A short one is one piece, as it was.
        assert_eq!(split_sections("short".into()), ["short"]);
        // Past a message's limit, the rest is cut as a section is.
        let huge = "&amp;".repeat(4_000);
        let pieces = split_sections(huge);
        let total: usize = pieces.iter().map(|p| p.chars().count()).sum();
        assert!(total <= MAX_MESSAGE_CHARS, "{total}");
        assert!(pieces.last().unwrap().ends_with('…'));
        // A pasted snippet between fences, cut: each section closes the block it opens.
        let code = format!("Here:\n```\n{}```\nThat's it.", "a&lt;b\n".repeat(600));
        let pieces = split_sections(code);
        assert!(pieces.len() > 1);
        for piece in &pieces {
            assert_eq!(piece.matches("```").count() % 2, 0, "{piece}");
            assert!(piece.chars().count() <= MAX_SECTION_CHARS);
        }
        assert!(pieces[1].starts_with("```a&lt;b"), "{}", pieces[1]);
        assert!(pieces.last().unwrap().ends_with("```\nThat's it."));
    }

    #[test]
    fn a_cut_inside_a_link_with_an_entity_drops_the_whole_link() {
        let link = "<https://slack.com/archives/C1/p1?thread_ts=1.2&amp;cid=C1|Original message>";
        let before = "x".repeat(MAX_SECTION_CHARS - 60);
        let cut = truncate(format!("{before} {link}"));
        assert_eq!(cut, format!("{before} …"), "no half link is left");
        let entity = format!("{}&amp; b", "y".repeat(MAX_SECTION_CHARS - 4));
        let cut = truncate(entity);
        assert!(
            cut.ends_with("y…") && !cut.contains('&'),
            "nor half an entity"
        );
    }

    #[test]
    fn lines_spill_into_new_sections_and_stop_when_the_message_is_full() {
        let mut packer = Packer::new();
        let line = "x".repeat(999);
        let mut added = 0;
        while packer.add(&line) {
            added += 1;
        }
        // Two lines a section (2 × 999 + 1 ≤ 2,900), ten lines in 10,000 characters.
        assert_eq!(added, 10);
        assert_eq!(packer.sections.len(), 5);
        assert!(packer.total <= MAX_MESSAGE_CHARS);
        assert!(
            !packer.start(&line),
            "a new section does not get round the total"
        );
    }

    #[test]
    fn what_is_spoken_is_the_first_line_then_each_blocks_words_once() {
        let blocks: Vec<SlackBlock> = vec![
            SlackHeaderBlock::new("Bins & more".into()).into(),
            section("*Open projects (2)* · page 2\n\n• *#1* Bins &amp; more".into()).into(),
            SlackContextBlock::new(vec![mrkdwn("Pitched by <@U1>.".into()).into()]).into(),
            SlackActionsBlock::new(vec![]).into(),
        ];
        assert_eq!(
            spoken("Open projects (2) · page 2", &blocks),
            "Open projects (2) · page 2\nBins &amp; more\n• *#1* Bins &amp; more\nPitched by <@U1>.",
            "the header escaped, the mrkdwn as it is, the heading said once"
        );
        let many: Vec<SlackBlock> = (0..20)
            .map(|_| section("x&amp;y ".repeat(300)).into())
            .collect();
        let text = spoken("Heading", &many);
        assert!(text.chars().count() <= MAX_SPOKEN_CHARS, "{text}");
        let cut = text.strip_suffix('…').expect("cut, and said to be");
        assert_eq!(cut.matches('&').count(), cut.matches(';').count(), "{cut}");
    }

    /// Too much to say (a `show` with a long description, a busy digest): each block's
    /// heading and the closing line are still said, and "…" where lines are left out.
    #[test]
    fn what_is_cut_keeps_each_heading_and_the_closing_line() {
        let long = |n: usize| format!("• {}", "word ".repeat(n));
        let blocks: Vec<SlackBlock> = vec![
            section(format!("*Bins*\n{}\n{}", long(250), long(250))).into(),
            section(format!("*Latest updates:*\n{}\n{}", long(200), long(200))).into(),
            section(format!("*Gone quiet*\n{}", long(300))).into(),
            section("…more than fits in one message: `/makers list` has the rest.".into()).into(),
        ];
        let text = spoken("Bins", &blocks);
        assert!(text.chars().count() <= MAX_SPOKEN_CHARS, "{text}");
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[..4],
            ["Bins", &long(250), &long(250), "*Latest updates:*"],
            "{text}"
        );
        assert!(
            lines[4].ends_with('…') && long(200).starts_with(lines[4].trim_end_matches('…')),
            "cut where it is full: {text}"
        );
        assert_eq!(
            lines[5..],
            [
                "*Gone quiet*",
                "…",
                "…more than fits in one message: `/makers list` has the rest."
            ],
            "{text}"
        );
    }

    #[test]
    fn a_message_never_has_more_sections_than_the_limit() {
        let mut packer = Packer::new();
        while packer.start("a short line") {}
        assert_eq!(packer.sections.len(), MAX_BLOCKS);
        let blocks = packer.into_blocks(Some("…and more".into()));
        assert_eq!(blocks.len(), MAX_BLOCKS + 1);
    }
}
