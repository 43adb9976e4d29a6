//! One envelope: decoded by `payload` from its JSON form, handled by the one dispatch, and
//! its [`Answer`] turned into the ack (or none, so Slack delivers it again).

use super::wire::{self, Envelope, Kind};
use crate::message::Reply;
use crate::slack::answer::{Answer, Asked};
use crate::slack::forms;
use crate::slack::payload::{self, DecodeError};
use crate::slack::routes::Routes;

/// Handles `envelope`; the frame to send back, if any. `way_back`: whether a socket is left
/// to carry it (its own, or another live one), asked when its answer is ready.
pub async fn handle(
    routes: &Routes,
    envelope: Envelope,
    way_back: impl Fn() -> bool + Send + Sync + 'static,
) -> Option<String> {
    // Slack's 3 seconds for the ack, as near as they are known here.
    let asked = Asked::over(std::time::Instant::now(), way_back);
    let Envelope {
        id,
        kind,
        payload,
        accepts_response_payload,
        retry_attempt,
        retry_reason: reason,
    } = envelope;
    if retry_attempt > 0 {
        // `reason` as over HTTP, so one search finds a retry's cause on either transport.
        tracing::info!(
            envelope_id = id,
            retry_attempt,
            reason,
            "envelope delivered again"
        );
    }
    let answer = match &kind {
        Kind::Events => match payload::decode_events_json(payload) {
            Ok(body) => routes.event(body).await,
            Err(e) => undecodable(&id, &kind, &e, Answer::Done),
        },
        Kind::SlashCommand => match payload::decode_command_json(payload) {
            Ok(cmd) => routes.command(cmd, asked).await,
            // HTTP answers such a body 400, which Slack shows the typist as a failure; an ack
            // has no status, so the typist is told in words.
            Err(e) => undecodable(&id, &kind, &e, routes.ephemeral(&Reply::Internal)),
        },
        Kind::Interactive => {
            let form_block = payload::first_input_block(&payload);
            match payload::decode_interaction_json(payload) {
                Ok(interaction) => routes.interaction(interaction, asked).await,
                Err(e) => undecodable(&id, &kind, &e, forms::unreadable(form_block)),
            }
        }
        Kind::Unknown(_) => {
            let e = DecodeError("envelope type unknown to this bot".into());
            undecodable(&id, &kind, &e, Answer::Done)
        }
    };
    match answer {
        Answer::Done => Some(wire::ack(&id, None)),
        Answer::Reply(body) if accepts_response_payload => Some(wire::ack(&id, Some(&body))),
        Answer::Reply(_) => {
            tracing::warn!(
                envelope_id = id,
                kind = kind.as_str(),
                "reply dropped: this envelope takes no payload"
            );
            Some(wire::ack(&id, None))
        }
        // Slack sends only events again; a command or interaction it sends once, and shows
        // the person its own error when no ack comes.
        Answer::Retry if kind == Kind::Events => {
            tracing::warn!(
                envelope_id = id,
                kind = kind.as_str(),
                "not acked: Slack will retry"
            );
            None
        }
        Answer::Retry => {
            tracing::warn!(
                envelope_id = id,
                kind = kind.as_str(),
                "not acked: sent once, so the person saw Slack's error and nothing was done"
            );
            None
        }
    }
}

/// Slack sent something we cannot read: acked all the same (it would read no better the
/// second time; a form's submission with its errors, so the form stays open), and logged as
/// an error so the loss is seen.
fn undecodable(id: &str, kind: &Kind, e: &DecodeError, answer: Answer) -> Answer {
    tracing::error!(
        envelope_id = id,
        kind = kind.as_str(),
        error = %e,
        "envelope payload not understood; acknowledged and not acted on"
    );
    answer
}
