//! "Post as project update": the message shortcut (and the Home's "Post update") opens the
//! update modal; its submission records an update by the same rules as `/makers update`.
//!
//! What is being posted travels in the modal's `private_metadata` (at most 3,000
//! characters): from the Home, nothing but the Home's workspace (`payload::drawn_for`, read
//! off before a submission gets here); from a message, `msg <channel> <ts> <thread_ts or ->`
//! on a first line and the message's text after it, cut one character past what an update
//! may hold (so a message too long still says so when submitted), and cut with "…" to 3,000
//! UTF-16 units in all (an emoji takes two; which unit Slack counts is not documented, and
//! a view over the limit is refused, so the form would not open).

use std::collections::HashMap;

use super::answer::Answer;
use super::message_ref::MessageRef;
use super::payload::{MessageShortcut, Submission};
use super::render::{self, PrivateSource};
use super::routes::Routes;
use crate::domain::{ProjectNumber, UpdateText, linked_or_typed, utf16_len};
use crate::handlers::{self, NewUpdate, UpdateSource};
use crate::message::Reply;

/// Slack's limit on a modal's `private_metadata`, held in UTF-16 units.
const PRIVATE_METADATA_UNITS: usize = 3000;

/// The message a shortcut was used on, as kept in the modal.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Posted {
    message: MessageRef,
    text: String,
    /// Where it was written, when its readers were few or not only this workspace's.
    from_private: Option<PrivateSource>,
}

/// The word before the head in the metadata of a message with few readers, or not only this
/// workspace's, by where it was written. A DM's is `private`, as builds before the others
/// wrote it.
const MARKS: [(&str, PrivateSource); 3] = [
    ("private", PrivateSource::Conversation),
    ("private-channel", PrivateSource::Channel),
    ("shared-channel", PrivateSource::SharedChannel),
];

impl Posted {
    /// Whether the update links to the message: not one from a DM or a group DM, where
    /// nobody else could open it (as a pitch from a message does). A private channel's
    /// members can, and the others are shown that it is there.
    fn linked(&self) -> bool {
        self.from_private != Some(PrivateSource::Conversation)
    }

    fn metadata(&self) -> String {
        let mark = MARKS
            .iter()
            .find(|(_, source)| Some(*source) == self.from_private);
        let head = match mark {
            Some((word, _)) => format!("{word} {}", self.message.head()),
            None => self.message.head(),
        };
        let text: String = self.text.chars().take(UpdateText::MAX_CHARS + 1).collect();
        let room = PRIVATE_METADATA_UNITS.saturating_sub(utf16_len(&head) + 1);
        format!("{head}\n{}", super::forms::fit(&text, room))
    }

    fn from_metadata(metadata: &str) -> Option<Posted> {
        let (head, text) = metadata.split_once('\n')?;
        let (from_private, head) = match head.find(" msg ").filter(|_| !head.starts_with("msg ")) {
            None => (None, head),
            Some(at) => {
                let word = &head[..at];
                let source = MARKS
                    .iter()
                    .find(|(mark, _)| *mark == word)
                    .map(|(_, s)| *s);
                // A word of a newer build's (a form opened under it and submitted after a
                // roll-back): the message is kept, with its link.
                (
                    Some(source.unwrap_or(PrivateSource::Channel)),
                    &head[at + 1..],
                )
            }
        };
        Some(Posted {
            message: MessageRef::from_head(head)?,
            text: text.to_string(),
            from_private,
        })
    }

    /// The update: the note, the message, and a link to the message. A message too long to
    /// fit beside the note and the link is cut to what fits (the link leads to all of it):
    /// the person chose a message to post, not a length to keep to.
    fn update_text(&self, note: &str) -> String {
        let link = match self.linked() {
            true => self.message.link("Original message"),
            false => String::new(),
        };
        let note = note.trim();
        let taken = |part: &str| match part.is_empty() {
            true => 0,
            false => part.chars().count() + 2,
        };
        let room = UpdateText::MAX_CHARS.saturating_sub(taken(note) + taken(&link));
        let message = crate::domain::cut_with_ellipsis(self.text.trim(), room);
        [note, message.as_str(), &link]
            .into_iter()
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join("\n\n")
    }
}

/// Where the message in the update form's `metadata` was written, when its readers were few
/// or not only this workspace's.
pub(super) fn source_of(metadata: &str) -> Option<PrivateSource> {
    Posted::from_metadata(metadata).and_then(|posted| posted.from_private)
}

impl Routes {
    /// *Post as project update* on a message: opens the update modal (or says how to join
    /// a team).
    pub(super) async fn post_message_as_update(&self, m: MessageShortcut) -> Answer {
        let posted = Posted {
            message: MessageRef::of(&m),
            from_private: self.source_privacy(&m).await,
            text: m.text,
        };
        let ctx = self.ctx(m.team, m.user.clone(), m.user.dm_channel());
        self.open_update_form(ctx, &m.trigger_id, None, posted.metadata(), false)
            .await;
        Answer::Done
    }

    /// The update modal submitted: recorded and posted in the pitch's thread, or the modal
    /// stays open with what is wrong under its field.
    pub(super) async fn update_submitted(&self, sub: Submission) -> Answer {
        let Some(number) = sub
            .choice(render::PROJECT_FIELD)
            .and_then(ProjectNumber::parse)
        else {
            return field_error(render::PROJECT_FIELD, "Please choose one of your projects.");
        };
        let posted = Posted::from_metadata(&sub.private_metadata);
        // Addresses typed bare are linked, as Slack links them in a message, unless that
        // takes the update over its limit.
        let typed = sub.text(render::NOTE_FIELD);
        let text_of = |note: &str| {
            UpdateText::parse(&match &posted {
                Some(p) => p.update_text(note),
                None => note.to_string(),
            })
        };
        let text = match linked_or_typed(typed, text_of) {
            Ok(t) => t,
            Err(e) => {
                let why = render::update_form_error_text(&e, posted.is_some());
                return field_error(render::NOTE_FIELD, &why);
            }
        };
        let channel = posted
            .as_ref()
            .map_or_else(|| sub.user.dm_channel(), |p| p.message.channel.clone());
        let ctx = self.ctx(sub.team.clone(), sub.user.clone(), channel);
        let from_message = posted.is_some();
        let update = NewUpdate {
            number,
            text,
            source: UpdateSource::Command,
        };
        let view = sub.view_id.clone();
        let write = move |tx: &rusqlite::Transaction| {
            handlers::once_per_view(tx, &ctx, &view, || {
                handlers::update_from_form(tx, &ctx, update.clone(), from_message)
            })
        };
        match self.db.write(write).await {
            // Submitted again after a slow answer: the first was recorded; close the form.
            Ok(None) => Answer::Done,
            Ok(Some(Reply::Problem { problem })) => field_error(
                render::PROJECT_FIELD,
                &render::form_problem_text(&problem, &self.look),
            ),
            Ok(Some(_)) => {
                self.outbox.notify_one();
                if !from_message {
                    self.publish_home(sub.team, sub.user);
                }
                Answer::Done
            }
            Err(e) => {
                tracing::error!(error = format!("{e:#}"), "update form failed");
                field_error(render::NOTE_FIELD, render::INTERNAL_ERROR_TEXT)
            }
        }
    }
}

/// `{"response_action":"errors","errors":{block_id: text}}`: the modal stays open.
fn field_error(block: &str, text: &str) -> Answer {
    super::forms::field_errors(HashMap::from([(block, text)]))
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::domain::{ChannelId, MessageTs};

    fn posted(thread: Option<&str>, text: &str) -> Posted {
        Posted {
            message: MessageRef {
                channel: ChannelId::parse("C0MAKERS").unwrap(),
                ts: MessageTs::parse("1516229207.000133").unwrap(),
                thread_ts: thread.map(|t| MessageTs::parse(t).unwrap()),
            },
            text: text.into(),
            from_private: None,
        }
    }

    /// From a DM or a group DM, the update is the message alone: a link to it would lead
    /// nobody else anywhere.
    #[test]
    fn a_message_from_a_dm_is_posted_without_its_link() {
        let p = Posted {
            from_private: Some(PrivateSource::Conversation),
            ..posted(None, "Line one")
        };
        let back = Posted::from_metadata(&p.metadata()).unwrap();
        assert_eq!(back, p);
        assert_eq!(back.update_text("Look"), "Look\n\nLine one");
        assert_eq!(back.update_text(""), "Line one");
        let long = Posted {
            from_private: Some(PrivateSource::Conversation),
            ..posted(None, &"e".repeat(UpdateText::MAX_CHARS + 50))
        };
        let text = long.update_text("");
        assert!(
            UpdateText::parse(&text).is_ok() && !text.contains("<https"),
            "{text}"
        );
    }

    /// From a private channel, the update keeps its link (its members can open it) and the
    /// form is told where it came from.
    #[test]
    fn a_message_from_a_private_channel_keeps_its_link_and_says_so() {
        let p = Posted {
            from_private: Some(PrivateSource::Channel),
            ..posted(None, "Line one")
        };
        let metadata = p.metadata();
        assert_eq!(Posted::from_metadata(&metadata), Some(p.clone()));
        assert_eq!(source_of(&metadata), Some(PrivateSource::Channel));
        assert!(p.update_text("").contains("|Original message>"));
        assert_eq!(source_of(&posted(None, "x").metadata()), None);
        let shared = Posted {
            from_private: Some(PrivateSource::SharedChannel),
            ..posted(None, "Line one")
        };
        assert_eq!(
            Posted::from_metadata(&shared.metadata()),
            Some(shared.clone())
        );
        assert!(shared.update_text("").contains("|Original message>"));
        // A newer build's word before the message (a form submitted after a roll-back).
        let newer = format!("from-the-future {}", posted(None, "Line one").metadata());
        let read = Posted::from_metadata(&newer).expect("still the message");
        assert_eq!(read.text, "Line one");
        assert!(read.update_text("").contains("|Original message>"));
    }

    #[test]
    fn the_message_survives_the_modal_and_its_link_names_its_thread() {
        let p = posted(Some("1516229200.000100"), "Line one\nline two");
        assert_eq!(Posted::from_metadata(&p.metadata()), Some(p.clone()));
        assert_eq!(
            p.update_text("Look"),
            "Look\n\nLine one\nline two\n\n<https://slack.com/archives/C0MAKERS/p1516229207000133?thread_ts=1516229200.000100&cid=C0MAKERS|Original message>"
        );
        let top = posted(None, "");
        assert_eq!(Posted::from_metadata(&top.metadata()), Some(top.clone()));
        assert!(Posted::from_metadata("").is_none());
    }

    #[test]
    fn a_message_too_long_for_an_update_fits_the_metadata_and_is_cut_to_fit_its_link() {
        let p = posted(None, &"é\n".repeat(5000));
        let metadata = p.metadata();
        assert!(metadata.chars().count() <= 3000);
        // Emoji take two UTF-16 units each: the metadata still fits 3,000 of them, cut with
        // "…", and its head survives.
        let emoji = posted(None, &"\u{1F600}".repeat(UpdateText::MAX_CHARS));
        let kept = emoji.metadata();
        assert!(utf16_len(&kept) <= 3000, "{}", kept.len());
        assert!(kept.ends_with("\u{1F600}…"), "{kept}");
        assert_eq!(Posted::from_metadata(&kept).unwrap().message, emoji.message);
        let back = Posted::from_metadata(&metadata).unwrap();
        for note in ["", "Our progress this week"] {
            let text = back.update_text(note);
            assert!(
                UpdateText::parse(&text).is_ok(),
                "{} characters",
                text.chars().count()
            );
            assert!(
                text.starts_with(note) && text.contains("é…\n\n<https://"),
                "{text}"
            );
        }
        // Just under the limit alone, the message is cut too rather than refused for the link.
        let near = posted(None, &"a".repeat(UpdateText::MAX_CHARS - 10));
        assert!(UpdateText::parse(&near.update_text("")).is_ok());
        // The longest note the form lets through fits too, beside a long reply's link.
        let reply = posted(Some("1516229200.000100"), &"c".repeat(3000));
        let note = "n".repeat(render::MAX_NOTE_WITH_MESSAGE);
        assert!(UpdateText::parse(&reply.update_text(&note)).is_ok());
        // A cut never leaves half a token.
        let link = "<https://example.org/a-long-address|a label>";
        let text = format!("{}{link}", "b".repeat(UpdateText::MAX_CHARS - 80));
        let cut = posted(None, &text).update_text("");
        assert!(!cut.contains("<https://example.org"), "{cut}");
        // A `&` or `<` the person typed is a character, not the start of something to cut:
        // the message keeps everything that fits.
        let typed = format!("Budget for R&D, where a < b: {}", "d".repeat(3000));
        let cut = posted(None, &typed).update_text("");
        assert!(cut.chars().count() > UpdateText::MAX_CHARS - 100, "{cut}");
        assert!(cut.starts_with("Budget for R&D, where a < b: ddd"), "{cut}");
    }
}
