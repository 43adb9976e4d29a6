//! What a failed Web API call means for the post: try again (when), wait out a rate
//! limit, or give up; and the backoff between tries.

use std::time::Duration;

use super::FIRST_BACKOFF;
use crate::outbox::Outcome;
use crate::slack::client::CallError;
use crate::slack::client::TOKEN_REFUSED;

const MAX_BACKOFF: Duration = Duration::from_secs(5 * 60);

/// Tries of a post met by an HTTP 4xx before it is given up: with the backoff, about an hour.
const HTTP_STATUS_TRIES: u32 = 20;

/// Slack's own hiccups, which come back as `ok: false` too: worth another try.
/// (`team_added_to_org`, `org_login_required`: the workspace is moving into an Enterprise
/// org, for a while; failed, an announcement would never have a thread.)
const SLACK_HICCUPS: &[&str] = &[
    "team_added_to_org",
    "org_login_required",
    "internal_error",
    "fatal_error",
    "service_unavailable",
    "request_timeout",
];

/// Slack's refusals, to a post (`chat.postMessage`, `chat.postEphemeral`, `chat.update`), of
/// any post to the workspace, not of this one: the install lacks `chat:write`
/// (`missing_scope`: installed again with it, posts go), an Enterprise org has not granted
/// the app the workspace, its network limits the app, or its admins have suspended posting
/// (`ekm_access_denied`). Held as a refused token is, a week at most (see [`classify_post`]).
/// Not for other methods: `missing_scope` from `conversations.join` is an install without
/// `channels:join`, which leaves the post to wait for an invitation.
const WORKSPACE_REFUSED: &[&str] = &[
    "missing_scope",
    "team_access_not_granted",
    "accesslimited",
    "ekm_access_denied",
];

/// Whether Slack's `code`, to a question of a method other than a post (`conversations.info`),
/// refuses the workspace's token or any call for the workspace, as a post's refusal does
/// ([`Outcome::TokenRefused`]), rather than the question: `missing_scope` is the method's
/// own refusal there.
pub(super) fn refuses_the_workspace(code: &str) -> bool {
    TOKEN_REFUSED.contains(&code) || (code != "missing_scope" && WORKSPACE_REFUSED.contains(&code))
}

/// `attempts`: the post's earlier tries of any kind (for the backoff); `refusals`: those met
/// by an HTTP 4xx, which alone bound how long a 4xx is tried.
pub(super) fn classify(e: CallError, attempts: u32, refusals: u32) -> Outcome {
    match e {
        CallError::RateLimited { retry_after } => Outcome::RateLimited(retry_after),
        // A rate limit said in the body, in either of Slack's two spellings, with no
        // `Retry-After` to go by: held like a 429, for the backoff's wait. (As a plain
        // failure the post was lost; as a hiccup the workspace's other posts went on.)
        e if e.says_rate_limited() => Outcome::RateLimited(backoff(attempts)),
        CallError::Transient(why) => Outcome::Retry {
            after: backoff(attempts),
            why,
        },
        // Nothing wrong with the post, likely (see `CallError::HttpStatus`): it waits, as for a
        // 5xx, about an hour of 4xx in all (a proxy put right meanwhile loses nothing), then
        // is given up rather than hold its channel for ever. Counted apart from its other
        // tries: a post that waited out an hour of 5xx was given up at its first 4xx.
        CallError::HttpStatus(code) if refusals < HTTP_STATUS_TRIES => Outcome::HttpRefused {
            after: backoff(refusals),
            code,
        },
        CallError::HttpStatus(code) => Outcome::Failed(format!("http_{code}")),
        CallError::Api(code) if SLACK_HICCUPS.contains(&code.as_str()) => Outcome::Retry {
            after: backoff(attempts),
            why: code,
        },
        CallError::Api(code) if code == "is_archived" => Outcome::ChannelArchived,
        CallError::Api(code) if TOKEN_REFUSED.contains(&code.as_str()) => Outcome::TokenRefused {
            code,
            after: backoff(attempts),
        },
        CallError::Api(code) => Outcome::Failed(code),
        // Retrying would not help: parked until someone looks (see `slack::tokens`).
        CallError::NotInstalled => Outcome::Failed(crate::slack::client::NOT_INSTALLED.into()),
    }
}

/// What a failed post means: as [`classify`], and a refusal of every post to the workspace
/// ([`WORKSPACE_REFUSED`]) held as a refused token is, rather than failed one post at a time,
/// each telling its pitcher with a note that would be refused too.
pub(super) fn classify_post(e: CallError, attempts: u32, refusals: u32) -> Outcome {
    match e {
        CallError::Api(code) if WORKSPACE_REFUSED.contains(&code.as_str()) => {
            Outcome::TokenRefused {
                code,
                after: backoff(attempts),
            }
        }
        e => classify(e, attempts, refusals),
    }
}

/// `outcome` of a call to `method`, whose rate limit (a 429, or `ratelimited` said in the
/// body) is that method's alone (`users.info`, `chat.update`): the row waits it out, its
/// channel behind it, and the workspace's other posts go on. A second more than Slack
/// asked: the row's retry time is counted from the clock's whole second, which may be
/// most of a second behind, and the wait must not end early.
pub(super) fn this_method_only(outcome: Outcome, method: &str) -> Outcome {
    match outcome {
        Outcome::RateLimited(after) => Outcome::Retry {
            after: after.saturating_add(Duration::from_secs(1)),
            why: format!("{method} rate limited"),
        },
        other => other,
    }
}

/// 1 s, 2 s, 4 s, … capped at [`MAX_BACKOFF`].
pub fn backoff(attempts: u32) -> Duration {
    FIRST_BACKOFF
        .saturating_mul(2u32.saturating_pow(attempts.min(16)))
        .min(MAX_BACKOFF)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_http_4xx_is_tried_for_about_an_hour_then_given_up() {
        let waited: Duration = (0..HTTP_STATUS_TRIES).map(backoff).sum();
        assert!(
            (45 * 60..=75 * 60).contains(&waited.as_secs()),
            "{waited:?}"
        );
        assert!(matches!(
            classify(CallError::HttpStatus(403), 0, HTTP_STATUS_TRIES - 1),
            Outcome::HttpRefused { code: 403, .. }
        ));
        assert_eq!(
            classify(
                CallError::HttpStatus(403),
                HTTP_STATUS_TRIES,
                HTTP_STATUS_TRIES
            ),
            Outcome::Failed("http_403".into())
        );
        // An hour of 5xx before it leaves its 4xx their hour (it was given up at once).
        assert_eq!(
            classify(CallError::HttpStatus(407), HTTP_STATUS_TRIES + 5, 0),
            Outcome::HttpRefused {
                after: backoff(0),
                code: 407
            }
        );
    }

    /// The retry time of a row is whole seconds from the clock's whole second: a method's
    /// own rate limit waits a second more than asked, so it never ends early (it could by
    /// up to a second).
    #[test]
    fn a_methods_own_rate_limit_is_waited_out_whole() {
        let limited = classify(
            CallError::RateLimited {
                retry_after: Duration::from_secs(3),
            },
            0,
            0,
        );
        assert_eq!(
            this_method_only(limited, "chat.update"),
            Outcome::Retry {
                after: Duration::from_secs(4),
                why: "chat.update rate limited".into()
            }
        );
    }

    #[test]
    fn backoff_doubles_and_is_capped() {
        assert_eq!(backoff(0), Duration::from_secs(1));
        assert_eq!(backoff(1), Duration::from_secs(2));
        assert_eq!(backoff(5), Duration::from_secs(32));
        assert_eq!(backoff(9), MAX_BACKOFF);
        assert_eq!(backoff(u32::MAX), MAX_BACKOFF);
    }

    #[test]
    fn slack_errors_are_sorted_by_what_to_do() {
        let api = |c: &str| classify(CallError::Api(c.into()), 0, 0);
        assert!(matches!(api("internal_error"), Outcome::Retry { .. }));
        assert!(matches!(api("team_added_to_org"), Outcome::Retry { .. }));
        assert!(matches!(api("org_login_required"), Outcome::Retry { .. }));
        for spelling in ["ratelimited", "rate_limited"] {
            let code = CallError::Api(spelling.into());
            assert_eq!(
                classify(code, 2, 0),
                Outcome::RateLimited(Duration::from_secs(4)),
                "{spelling}"
            );
        }
        assert_eq!(api("is_archived"), Outcome::ChannelArchived);
        for code in TOKEN_REFUSED.iter().chain(WORKSPACE_REFUSED) {
            let refused = classify_post(CallError::Api((*code).into()), 3, 0);
            let after = Duration::from_secs(8);
            assert_eq!(
                refused,
                Outcome::TokenRefused {
                    code: (*code).into(),
                    after
                }
            );
        }
        assert_eq!(api("msg_too_long"), Outcome::Failed("msg_too_long".into()));
        // Not for other methods: an install without `channels:join` waits for an invitation.
        assert_eq!(
            api("missing_scope"),
            Outcome::Failed("missing_scope".into())
        );
        let limited = CallError::RateLimited {
            retry_after: Duration::from_secs(7),
        };
        assert_eq!(
            classify(limited, 3, 0),
            Outcome::RateLimited(Duration::from_secs(7))
        );
    }
}
