//! The pages an installer sees after Slack sends them back: plain HTML, every value escaped
//! by maud, no script.

use bytes::Bytes;
use http_body_util::Full;
use hyper::header::{CACHE_CONTROL, CONTENT_TYPE, HeaderValue};
use hyper::{Response, StatusCode};
use maud::{DOCTYPE, Markup, html};

use crate::slack::routes::HttpResponse;
use crate::web::Footer;

/// A whole page: `title` as its heading, `body` below, and the operator's pages under it
/// (a public-sector site links its accessibility statement from every page).
pub fn page(footer: &Footer, status: StatusCode, title: &str, body: Markup) -> HttpResponse {
    let text = html! {
        (DOCTYPE)
        html lang="en-GB" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) ": Makers" }
            }
            body style="font-family: sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5" {
                main {
                    h1 { (title) }
                    (body)
                }
                footer { (footer.links()) }
            }
        }
    }
    .into_string();
    let mut resp = Response::new(Full::new(Bytes::from(text)));
    *resp.status_mut() = status;
    let h = resp.headers_mut();
    h.insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    h.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    crate::web::no_script(h);
    resp
}

pub fn installed(footer: &Footer, workspace: &str) -> HttpResponse {
    page(
        footer,
        StatusCode::OK,
        &format!("Installed in {workspace}"),
        html! {
            p { "Makers is now in " strong { (workspace) } ". Type " code { "/makers help" } " in any channel to start." }
            p { "Invite it to a channel with " code { "/invite @makers" } " to announce pitches there." }
            // Re-use and a team's make-up are per council: the first thing each person says.
            p { "Ask your colleagues to say which council they work for first, with " code { "/makers council <name>" } ": re-use and teams' make-up are counted by council." }
            // Relative (from `/slack/oauth/callback`), so a path prefix is kept.
            p { "Services other councils have built are in " a href="../../catalogue" { "the public catalogue" } "." }
        },
    )
}

/// A failure: what happened and what to do, with a link to start again where that helps.
pub fn failed(
    footer: &Footer,
    status: StatusCode,
    title: &str,
    why: &str,
    again: bool,
) -> HttpResponse {
    page(
        footer,
        status,
        title,
        html! {
            p { (why) }
            @if again {
                // Relative (from `/slack/oauth/callback`), so a path prefix is kept.
                p { a href="../install" { "Start the installation again" } }
            }
        },
    )
}
