//! Request bodies, derived from the real Slack payloads in `tests/fixtures` (embedded at
//! compile time): the slash-command form with `command=/makers` and our text, and the
//! `reaction_added` event callback with an event_id of our choosing.

use bytes::Bytes;

const SLASH_COMMAND: &str = include_str!("../../tests/fixtures/slash-command.form.txt");
const REACTION_ADDED: &str =
    include_str!("../../tests/fixtures/reaction-added.event_callback.json");

pub const FORM: &str = "application/x-www-form-urlencoded";
pub const JSON: &str = "application/json";

/// The fixture's slash command, sent as `/makers <text>` from `channel`. `text` is already
/// form-encoded (`pitch+Load+1+%7C+desc`).
fn slash_command(channel: &str, text: &str) -> Bytes {
    with_trigger(channel, text, None)
}

/// The same, with `trigger` (form-safe) as its trigger_id when given.
fn with_trigger(channel: &str, text: &str, trigger: Option<&str>) -> Bytes {
    let fields: Vec<String> = SLASH_COMMAND
        .trim()
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some(("command", _)) => "command=%2Fmakers".to_string(),
            Some(("text", _)) => format!("text={text}"),
            Some(("channel_id", _)) => format!("channel_id={channel}"),
            Some(("trigger_id", _)) if trigger.is_some() => {
                format!("trigger_id={}", trigger.unwrap_or_default())
            }
            _ => pair.to_string(),
        })
        .collect();
    Bytes::from(fields.join("&"))
}

/// The fixture's own channel; load traffic comes from one channel, as a real team's would.
const LOAD_CHANNEL: &str = "G8PSS9T3V";

/// `/makers list`.
pub fn list() -> Bytes {
    slash_command(LOAD_CHANNEL, "list")
}

/// `/makers pitch` with nothing after it (the bot opens the pitch form with `views.open`),
/// with `trigger` as its trigger_id.
pub fn pitch_form(trigger: &str) -> Bytes {
    with_trigger(LOAD_CHANNEL, "pitch", Some(trigger))
}

/// `count` different `/makers pitch Load N | desc` bodies.
pub fn pitches(count: usize) -> Vec<Bytes> {
    (0..count)
        .map(|n| slash_command(LOAD_CHANNEL, &format!("pitch+Load+{n}+%7C+desc")))
        .collect()
}

/// `count` different `/makers update N Progress K` bodies, spread over the 50 seeded projects
/// (their pitcher is the fixture's user, who sends every load request): a write and a
/// thread line queued.
pub fn updates(count: usize) -> Vec<Bytes> {
    (0..count)
        .map(|k| slash_command(LOAD_CHANNEL, &format!("update+{}+Progress+{k}", k % 50 + 1)))
        .collect()
}

/// Services and places for titles that make the bot look for similar projects.
const SERVICES: [&str; 20] = [
    "Bin collection",
    "Garden waste",
    "Parking permit",
    "Blue badge",
    "Council tax",
    "Housing repair",
    "School admission",
    "Pothole reporting",
    "Street lighting",
    "Noise complaint",
    "Planning application",
    "Library renewals",
    "Leisure booking",
    "Licensing",
    "Allotment waiting",
    "Fly tipping",
    "Electoral register",
    "Business rates",
    "Care needs",
    "Food waste",
];
const PLACES: [&str; 50] = [
    "Surrey",
    "Kent",
    "Devon",
    "Leeds",
    "Bristol",
    "Norfolk",
    "Essex",
    "Cumbria",
    "Hackney",
    "Camden",
    "Derby",
    "York",
    "Bath",
    "Hull",
    "Wirral",
    "Sefton",
    "Dorset",
    "Wiltshire",
    "Somerset",
    "Cornwall",
    "Suffolk",
    "Durham",
    "Rutland",
    "Halton",
    "Slough",
    "Luton",
    "Medway",
    "Torbay",
    "Swindon",
    "Reading",
    "Oxford",
    "Ipswich",
    "Exeter",
    "Lincoln",
    "Preston",
    "Bolton",
    "Wigan",
    "Bury",
    "Oldham",
    "Salford",
    "Trafford",
    "Stockport",
    "Sheffield",
    "Barnsley",
    "Rotherham",
    "Doncaster",
    "Wakefield",
    "Kirklees",
    "Calderdale",
    "Bradford",
];

/// Service and place pair `k` (1,000 of them).
fn pair(k: usize) -> (&'static str, &'static str) {
    (
        SERVICES[k % SERVICES.len()],
        PLACES[(k / SERVICES.len()) % PLACES.len()],
    )
}

/// `count` different `/makers pitch <service> <place> | desc` bodies ("Garden waste Kent"):
/// titles of three or four real words, so the bot looks for similar projects (every word must
/// match). Seed pitch `n` is about a pair of its own (see [`seed_pitch`]), so 50 of the 1,000
/// pairs find a seeded project from the start, and every pair finds the earlier pitches of the
/// same pair: a look-up ranks a handful of rows, and grows slowly as the run goes on.
pub fn similar_pitches(count: usize) -> Vec<Bytes> {
    (0..count)
        .map(|k| {
            let (service, place) = pair(k);
            let title = format!("{service} {place}").replace(' ', "+");
            slash_command(LOAD_CHANNEL, &format!("pitch+{title}+%7C+desc"))
        })
        .collect()
}

/// `/makers publish <n>` for seed pitch `n - 1` (project numbers start at 1), from its
/// pitcher, in its channel.
pub fn publish(number: usize) -> Bytes {
    slash_command(&seed_channel(number - 1), &format!("publish+{number}"))
}

/// Seed pitch `n`, each from its own channel so the bot's per-channel pacing (about one post a
/// second per channel) lets every announcement go out at once.
/// Its description names a service and a place ("Garden waste for Kent"): place `n`, service
/// `n` (modulo 20), a pair [`similar_pitches`] also uses.
pub fn seed_pitch(n: usize) -> Bytes {
    let (service, place) = pair(n * SERVICES.len() + n % SERVICES.len());
    let description = format!("{service} for {place}").replace(' ', "+");
    let text = format!("pitch+Bench+project+{n}+%7C+{description}");
    slash_command(&seed_channel(n), &text)
}

/// The channel seed pitch `n` is made in.
pub fn seed_channel(n: usize) -> String {
    format!("C0BENCH{n:03}")
}

/// The `reaction_added` fixture, split around its event_id (and, for joins, the reacting
/// user) so a body with a fresh id costs a few copies and no JSON work.
pub struct EventTemplate {
    parts: Vec<String>,
}

const PLACEHOLDER: &str = "@@EVENT_ID@@";

impl EventTemplate {
    /// The fixture as is: a reaction with another emoji on some message, which the bot
    /// acknowledges without touching its database.
    pub fn reaction_added() -> Result<EventTemplate, String> {
        let mut value: serde_json::Value = serde_json::from_str(REACTION_ADDED)
            .map_err(|e| format!("reaction-added fixture: {e}"))?;
        value["event_id"] = PLACEHOLDER.into();
        Ok(EventTemplate::split(&value.to_string()))
    }

    /// :raised_hand: on the announcement at (`channel`, `ts`) by a different user each time:
    /// every request is a join (a write, a thread line and a DM in the outbox).
    pub fn join(channel: &str, ts: &str) -> Result<EventTemplate, String> {
        let mut value: serde_json::Value = serde_json::from_str(REACTION_ADDED)
            .map_err(|e| format!("reaction-added fixture: {e}"))?;
        value["event_id"] = PLACEHOLDER.into();
        value["event"]["user"] = PLACEHOLDER.into();
        value["event"]["reaction"] = "raised_hand".into();
        value["event"]["item"]["channel"] = channel.into();
        value["event"]["item"]["ts"] = ts.into();
        Ok(EventTemplate::split(&value.to_string()))
    }

    fn split(text: &str) -> EventTemplate {
        EventTemplate {
            parts: text.split(PLACEHOLDER).map(String::from).collect(),
        }
    }

    /// The event with this id (letters and digits only, so no JSON escaping is needed) as its
    /// event_id (and reacting user, for joins).
    pub fn body(&self, id: &str) -> Bytes {
        Bytes::from(self.parts.join(id))
    }
}
