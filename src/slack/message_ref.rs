//! The message a message shortcut was used on: where it is, the link to it, and how it
//! travels in a modal's `private_metadata` (`msg <channel> <ts> <thread_ts or ->`), so that
//! the submission, which Slack sends without the message, can still link to it.

use super::payload::MessageShortcut;
use super::render;
use crate::domain::{ChannelId, MessageTs};

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct MessageRef {
    pub channel: ChannelId,
    pub ts: MessageTs,
    /// Set when the message is a reply in a thread (its link then names the thread).
    pub thread_ts: Option<MessageTs>,
}

impl MessageRef {
    pub fn of(m: &MessageShortcut) -> MessageRef {
        MessageRef {
            channel: m.channel.clone(),
            ts: m.ts.clone(),
            thread_ts: m.thread_ts.clone(),
        }
    }

    /// `msg <channel> <ts> <thread_ts or ->`: one line, no more than 60 characters.
    pub fn head(&self) -> String {
        let thread = self.thread_ts.as_ref().map_or("-", |t| t.as_str());
        format!("msg {} {} {thread}", self.channel, self.ts)
    }

    /// The message read back from [`MessageRef::head`]; `None` for anything else.
    pub fn from_head(head: &str) -> Option<MessageRef> {
        let mut parts = head.strip_prefix("msg ")?.split(' ');
        let channel = ChannelId::parse(parts.next()?)?;
        let ts = MessageTs::parse(parts.next()?)?;
        let thread_ts = match parts.next()? {
            "-" => None,
            t => Some(MessageTs::parse(t)?),
        };
        parts.next().is_none().then_some(MessageRef {
            channel,
            ts,
            thread_ts,
        })
    }

    /// The message's address; a reply in a thread is found through its thread.
    pub fn url(&self) -> String {
        let url = render::message_url(&self.channel, &self.ts);
        match &self.thread_ts {
            Some(thread) => format!("{url}?thread_ts={thread}&cid={}", self.channel),
            None => url,
        }
    }

    /// A link to the message in Slack's markup, `<address|label>`.
    pub fn link(&self, label: &str) -> String {
        format!("<{}|{label}>", self.url())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(thread: Option<&str>) -> MessageRef {
        MessageRef {
            channel: ChannelId::parse("C0MAKERS").unwrap(),
            ts: MessageTs::parse("1516229207.000133").unwrap(),
            thread_ts: thread.map(|t| MessageTs::parse(t).unwrap()),
        }
    }

    #[test]
    fn a_message_survives_its_head_and_its_link_names_its_thread() {
        for m in [message(None), message(Some("1516229200.000100"))] {
            assert_eq!(MessageRef::from_head(&m.head()), Some(m.clone()));
        }
        assert_eq!(
            message(Some("1516229200.000100")).link("Original message"),
            "<https://slack.com/archives/C0MAKERS/p1516229207000133?thread_ts=1516229200.000100&cid=C0MAKERS|Original message>"
        );
        assert_eq!(
            message(None).url(),
            "https://slack.com/archives/C0MAKERS/p1516229207000133"
        );
        for not_one in [
            "",
            "C0MAKERS",
            "msg C0MAKERS",
            "msg C0MAKERS 1516229207.000133",
            "msg C0MAKERS 1516229207.000133 - more",
            "msg C0MAKERS not|a|ts -",
        ] {
            assert_eq!(MessageRef::from_head(not_one), None, "{not_one}");
        }
    }
}
