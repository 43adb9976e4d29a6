//! The pages an installer sees after Slack sends them back: plain HTML, every value escaped
//! by maud, no script.

use bytes::Bytes;
use http_body_util::Full;
use hyper::header::{CACHE_CONTROL, CONTENT_TYPE, HeaderValue};
use hyper::{Response, StatusCode};
use maud::{DOCTYPE, Markup, html};

use crate::slack::routes::HttpResponse;

/// A whole page: `title` as its heading, `body` below.
pub fn page(status: StatusCode, title: &str, body: Markup) -> HttpResponse {
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

pub fn installed(workspace: &str) -> HttpResponse {
    page(
        StatusCode::OK,
        &format!("Installed in {workspace}"),
        html! {
            p { "Makers is now in " strong { (workspace) } ". Type " code { "/makers help" } " in any channel to start." }
            p { "Invite it to a channel with " code { "/invite @makers" } " to announce pitches there." }
        },
    )
}

/// A failure: what happened and what to do, with a link to start again where that helps.
pub fn failed(status: StatusCode, title: &str, why: &str, again: bool) -> HttpResponse {
    page(
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
