//! One envelope: decoded by `payload` from its JSON form, handled by the one dispatch, and
//! its [`Answer`] turned into the ack (or none, so Slack delivers it again).

use super::wire::{self, Envelope, Kind};
use crate::message::Reply;
use crate::slack::answer::{Answer, Asked};
use crate::slack::forms;
use crate::slack::payload::{self, DecodeError, EventsBody, Interaction, SlashCommand};
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
    let answer = match read(&kind, payload) {
        Work::Event(Ok(body)) => routes.event(body).await,
        Work::Event(Err(e)) => undecodable(&id, &kind, &e, Answer::Done),
        Work::Command(Ok(cmd)) => routes.command(cmd, asked).await,
        // HTTP answers such a body 400, which Slack shows the typist as a failure; an ack
        // has no status, so the typist is told in words.
        Work::Command(Err(e)) => undecodable(&id, &kind, &e, routes.ephemeral(&Reply::Internal)),
        Work::Interaction(Ok(interaction), _) => routes.interaction(interaction, asked).await,
        Work::Interaction(Err(e), form_block) => {
            undecodable(&id, &kind, &e, forms::unreadable(form_block))
        }
        Work::Unknown => {
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

/// An envelope's payload read by `payload`'s decoders, by the envelope's type.
pub enum Work {
    Event(Result<EventsBody, DecodeError>),
    Command(Result<SlashCommand, DecodeError>),
    /// With a form submission's first input block, where an unreadable one's error is shown.
    Interaction(Result<Interaction, DecodeError>, Option<String>),
    Unknown,
}

pub fn read(kind: &Kind, payload: serde_json::Value) -> Work {
    match kind {
        Kind::Events => Work::Event(payload::decode_events_json(payload)),
        Kind::SlashCommand => Work::Command(payload::decode_command_json(payload)),
        Kind::Interactive => {
            let form_block = payload::first_input_block(&payload);
            Work::Interaction(payload::decode_interaction_json(payload), form_block)
        }
        Kind::Unknown(_) => Work::Unknown,
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
