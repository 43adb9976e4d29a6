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
}

impl Packer {
    pub(super) fn new() -> Packer {
        Packer {
            sections: Vec::new(),
            total: 0,
            last: 0,
        }
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
        if self.total + len > MAX_MESSAGE_CHARS || self.sections.len() >= MAX_BLOCKS {
            return false;
        }
        self.sections.push(line);
        self.total += len;
        self.last = len;
        true
    }

    /// Adds a line to the current section, or starts a new one when it is full; false (and
    /// nothing added) when the message is full.
    pub(super) fn add(&mut self, line: &str) -> bool {
        let len = line.chars().count();
        match self.sections.last_mut() {
            Some(last) if self.last + 1 + len <= MAX_SECTION_CHARS => {
                if self.total + 1 + len > MAX_MESSAGE_CHARS {
                    return false;
                }
                last.push('\n');
                last.push_str(line);
                self.last += 1 + len;
                self.total += 1 + len;
                true
            }
            _ => self.start(line),
        }
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
/// it is; `None` when the whole fits in one), then as many lines as fit (see [`paged_by`]).
pub(super) fn paged(
    head: impl Fn(Option<Page>) -> String,
    lines: &[String],
    page: Page,
) -> Result<(Packer, Range<usize>), usize> {
    paged_by(lines.len(), page, |start, page| {
        let mut packer = Packer::new();
        packer.start(&head(page));
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
        // (A page always holds an item: an item is far shorter than a message.)
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
/// to a line, cut whole within [`MAX_SPOKEN_CHARS`]. Slack's screen readers read a message's
/// `text` and not its blocks (chat.postMessage, "Accessibility considerations"), so what the
/// blocks say must be said here too. Their mrkdwn is already escaped and goes as it is; a
/// header's plain text is escaped, as `text` is mrkdwn. A line `first_line` already says
/// (the heading the blocks open with) is not said twice.
pub(super) fn spoken(first_line: &str, blocks: &[SlackBlock]) -> String {
    let said = words(first_line);
    let mut text = first_line.to_string();
    for block in blocks.iter().filter_map(block_words) {
        for line in block.lines() {
            let line_words = words(line);
            if !line_words.is_empty() && !said.contains(&line_words) {
                text.push('\n');
                text.push_str(line);
            }
        }
    }
    match text.chars().count() <= MAX_SPOKEN_CHARS {
        true => text,
        false => cut_whole(&text, MAX_SPOKEN_CHARS - 1) + "…",
    }
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

    #[test]
    fn a_message_never_has_more_sections_than_the_limit() {
        let mut packer = Packer::new();
        while packer.start("a short line") {}
        assert_eq!(packer.sections.len(), MAX_BLOCKS);
        let blocks = packer.into_blocks(Some("…and more".into()));
        assert_eq!(blocks.len(), MAX_BLOCKS + 1);
    }
}
