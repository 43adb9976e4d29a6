//! Commands as they can be typed in a thread. Slack does not run an app's slash command typed
//! in a thread (only its own built-in ones), but a mention of the bot there is read with the
//! same grammar: a message posted in a thread suggests `@makers join 4`, not `/makers join 4`.

use slack_morphism::prelude::SlackMessageContent;

use crate::domain::{Problem, UserError};
use crate::message::{Notice, Reply};

/// The name the apps' manifests give the bot user (`display_name`).
const MENTION: &str = "`@makers ";
const SLASH: &str = "`/makers ";

/// Commands suggested as typed in the channel even in a thread: in a pitch's thread a
/// mention of them is news ("pitch went well", "council approved it": see
/// `commands::thread`), and `/makers pitch` alone opens a form, which a mention cannot.
pub(super) const CHANNEL_ONLY: &[&str] = &["pitch", "search", "council", "councils"];

/// `content`, the message of `notice` posted in a thread, with every command it suggests (in
/// code marks: `` `/makers join 4` ``) written as a mention. Text that is not a suggestion
/// (`/invite @Makers`, a bare `` `/makers` ``) stays, and so does a line that is someone's
/// own words (an update, a phase change's note, an edited pitch), quoted as written, and so
/// does a refusal of a mention whose answer is the slash command, typed in the channel.
pub fn for_a_thread(notice: &Notice, content: SlackMessageContent) -> SlackMessageContent {
    if matches!(
        notice,
        Notice::Update { .. }
            | Notice::UpdateCorrected { .. }
            | Notice::PhaseChanged { .. }
            | Notice::PitchEdited { .. }
    ) || slash_is_the_answer(notice)
    {
        return content;
    }
    let Ok(mut json) = serde_json::to_value(&content) else {
        return content;
    };
    if !mention_instead(&mut json) {
        return content;
    }
    serde_json::from_value(json).unwrap_or(content)
}

/// Whether `notice` refuses a mention in a channel shared with another organisation where
/// `/makers` works: written as a mention, it would offer what was refused.
fn slash_is_the_answer(notice: &Notice) -> bool {
    let Notice::Reply {
        reply: Reply::Problem {
            problem: Problem::Refused { error },
        },
    } = notice
    else {
        return false;
    };
    matches!(
        error,
        UserError::DigestBySlashInSharedChannel
            | UserError::NotShownInSharedChannel(_)
            | UserError::ReportInSharedChannel
    )
}

/// Rewrites the suggestions in every string of `v`; whether there was one.
fn mention_instead(v: &mut serde_json::Value) -> bool {
    match v {
        serde_json::Value::String(s) if s.contains(SLASH) => match rewritten(s) {
            Some(new) => {
                *s = new;
                true
            }
            None => false,
        },
        serde_json::Value::Array(items) => in_each(items.iter_mut()),
        serde_json::Value::Object(fields) => in_each(fields.values_mut()),
        _ => false,
    }
}

/// [`mention_instead`] in every one of `values` (`|`, not a short-circuiting `any`: each
/// may hold one); whether any had one.
fn in_each<'a>(values: impl Iterator<Item = &'a mut serde_json::Value>) -> bool {
    values.map(mention_instead).fold(false, |a, b| a | b)
}

/// `s` with its suggestions that work by mention written so; `None` if there are none.
fn rewritten(s: &str) -> Option<String> {
    let mut out = String::with_capacity(s.len());
    let mut changed = false;
    let mut rest = s;
    while let Some(at) = rest.find(SLASH) {
        let after = &rest[at + SLASH.len()..];
        let word = after
            .split(|c: char| c.is_whitespace() || c == '`')
            .next()
            .unwrap_or("");
        out.push_str(&rest[..at]);
        match CHANNEL_ONLY.contains(&word) {
            true => out.push_str(SLASH),
            false => {
                out.push_str(MENTION);
                changed = true;
            }
        }
        rest = after;
    }
    out.push_str(rest);
    changed.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{ProjectNumber, UpdateText, UserId};
    use crate::message::Reply;
    use slack_morphism::prelude::*;

    fn answer() -> Notice {
        Notice::Reply {
            reply: Reply::Help {
                unknown: None,
                about: None,
            },
        }
    }

    #[test]
    fn suggestions_become_mentions_in_text_and_blocks() {
        let said = "Try `/makers phase 4 beta`, or `/invite @Makers`; `/makers` alone stays.";
        let content = SlackMessageContent::new()
            .with_text(said.into())
            .with_blocks(vec![
                SlackSectionBlock::new().with_text(md!("{}", said)).into(),
            ]);
        let v = serde_json::to_value(for_a_thread(&answer(), content)).unwrap();
        let want = "Try `@makers phase 4 beta`, or `/invite @Makers`; `/makers` alone stays.";
        assert_eq!(v["text"], want);
        assert_eq!(v["blocks"][0]["text"]["text"], want);
    }

    /// In a pitch's thread, `@makers pitch …` or `@makers council Mole Valley` is news: those
    /// are suggested for the channel, as is the form `/makers pitch` opens.
    #[test]
    fn commands_a_thread_reads_as_news_stay_slash_commands() {
        let said = "`/makers pitch`: a form; `/makers council &lt;name&gt;`; `/makers councils`; \
                    `/makers search bins`; `/makers join 4`";
        let content = SlackMessageContent::new().with_text(said.into());
        let v = serde_json::to_value(for_a_thread(&answer(), content)).unwrap();
        assert_eq!(
            v["text"],
            "`/makers pitch`: a form; `/makers council &lt;name&gt;`; `/makers councils`; \
             `/makers search bins`; `@makers join 4`"
        );
    }

    /// In a shared channel, a digest by mention, `show` of another channel's project and a
    /// report are refused: the answer's `/makers` stays (typed in the channel), not the mention refused.
    #[test]
    fn a_refusal_of_a_mention_does_not_offer_the_mention_refused() {
        let look = crate::slack::render::Look::of(
            &crate::domain::Rules::default(),
            "https://makers.example.gov.uk",
            crate::slack::render::JoinSeal::from_secret(b"test"),
        );
        for (error, slash) in [
            (
                crate::domain::UserError::DigestBySlashInSharedChannel,
                "`/makers digest`",
            ),
            (
                crate::domain::UserError::NotShownInSharedChannel(ProjectNumber::new(5).unwrap()),
                "`/makers show 5`",
            ),
            (
                crate::domain::UserError::ReportInSharedChannel,
                "`/makers report`",
            ),
        ] {
            let notice = Notice::Reply {
                reply: Reply::Problem {
                    problem: error.into(),
                },
            };
            let content = crate::slack::render::notice_message(&notice, &look);
            let v = serde_json::to_string(&for_a_thread(&notice, content)).unwrap();
            assert!(!v.contains(&slash.replace("/makers", "@makers")), "{v}");
            assert!(v.contains(slash), "{v}");
            assert!(v.contains("in the channel (not in a thread)"), "{v}");
        }
    }

    #[test]
    fn someones_own_words_are_quoted_as_written() {
        let said = "Try `/makers list needs developer` to find us";
        let update = Notice::Update {
            number: ProjectNumber::new(4).unwrap(),
            author: UserId::parse("U1").unwrap(),
            text: Some(UpdateText::parse(said).unwrap()),
            update: Some(1),
        };
        let content = SlackMessageContent::new().with_text(said.into());
        let v = serde_json::to_value(for_a_thread(&update, content)).unwrap();
        assert_eq!(v["text"], said);
    }

    #[test]
    fn a_message_without_a_suggestion_is_left_as_it_was() {
        let content = SlackMessageContent::new().with_text("<@U1> joined".into());
        let v = serde_json::to_value(for_a_thread(&answer(), content)).unwrap();
        assert_eq!(v["text"], "<@U1> joined");
    }
}
