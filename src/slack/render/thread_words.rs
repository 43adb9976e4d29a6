//! Commands as they can be typed in a thread. Slack does not run an app's slash command typed
//! in a thread (only its own built-in ones), but a mention of the bot there is read with the
//! same grammar: a message posted in a thread suggests `@makers join 4`, not `/makers join 4`.

use slack_morphism::prelude::SlackMessageContent;

/// The name the apps' manifests give the bot user (`display_name`).
const MENTION: &str = "`@makers ";
const SLASH: &str = "`/makers ";

/// `content` with every command it suggests (in code marks: `` `/makers …` ``) written as a
/// mention. Text that is not a suggestion (`/invite @Makers`, a bare `` `/makers` ``) stays.
pub fn for_a_thread(content: SlackMessageContent) -> SlackMessageContent {
    let Ok(mut json) = serde_json::to_value(&content) else {
        return content;
    };
    if !mention_instead(&mut json) {
        return content;
    }
    serde_json::from_value(json).unwrap_or(content)
}

/// Rewrites the suggestions in every string of `v`; whether there was one.
fn mention_instead(v: &mut serde_json::Value) -> bool {
    match v {
        serde_json::Value::String(s) if s.contains(SLASH) => {
            *s = s.replace(SLASH, MENTION);
            true
        }
        // Every item visited (`|`, not a short-circuiting `any`): each may hold one.
        serde_json::Value::Array(items) => items
            .iter_mut()
            .map(mention_instead)
            .fold(false, |a, b| a | b),
        serde_json::Value::Object(fields) => fields
            .values_mut()
            .map(mention_instead)
            .fold(false, |a, b| a | b),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use slack_morphism::prelude::*;

    #[test]
    fn suggestions_become_mentions_in_text_and_blocks() {
        let said = "Try `/makers phase 4 beta`, or `/invite @Makers`; `/makers` alone stays.";
        let content = SlackMessageContent::new()
            .with_text(said.into())
            .with_blocks(vec![
                SlackSectionBlock::new().with_text(md!("{}", said)).into(),
            ]);
        let v = serde_json::to_value(for_a_thread(content)).unwrap();
        let want = "Try `@makers phase 4 beta`, or `/invite @Makers`; `/makers` alone stays.";
        assert_eq!(v["text"], want);
        assert_eq!(v["blocks"][0]["text"]["text"], want);
    }

    #[test]
    fn a_message_without_a_suggestion_is_left_as_it_was() {
        let content = SlackMessageContent::new().with_text("<@U1> joined".into());
        let v = serde_json::to_value(for_a_thread(content)).unwrap();
        assert_eq!(v["text"], "<@U1> joined");
    }
}
