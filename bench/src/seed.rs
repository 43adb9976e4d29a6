//! What the bot holds before the load: 50 signed pitches, one channel each, announced, then
//! published (so the catalogue lists them), and the ETag the catalogue page answers with.

use std::net::SocketAddr;
use std::time::Duration;

use bytes::Bytes;
use fake_slack::FakeSlack;
use hyper::header::HeaderValue;

use crate::client;
use crate::payloads::{self, FORM};

pub const SEED_PITCHES: usize = 50;

/// Records the pitches `list` shows, on one connection, checks that `list` sees them, and
/// publishes them once they are announced (a publish notes itself in the pitch's thread).
pub async fn seed(addr: SocketAddr, secret: &str, fake: &FakeSlack) -> Result<(), String> {
    let mut s = client::connect(addr).await?;
    for n in 0..SEED_PITCHES {
        command(&mut s, addr, secret, payloads::seed_pitch(n), "seed pitch").await?;
    }
    let (status, body) = client::post_signed(
        &mut s,
        addr,
        "/slack/commands",
        FORM,
        secret,
        payloads::list(),
    )
    .await?;
    let text = String::from_utf8_lossy(&body);
    if status != 200 || !text.contains("Bench project") {
        return Err(format!(
            "`list` after seeding: HTTP {status}, no seeded project in: {text:.400}"
        ));
    }
    settle(fake, SEED_PITCHES).await;
    for number in 1..=SEED_PITCHES {
        let body = payloads::publish(number);
        command(&mut s, addr, secret, body, "publish").await?;
    }
    // The announcements, then a publish note in each thread.
    settle(fake, 2 * SEED_PITCHES).await;
    Ok(())
}

/// One signed slash command that must be answered 200.
async fn command(
    s: &mut client::Sender,
    addr: SocketAddr,
    secret: &str,
    body: Bytes,
    what: &str,
) -> Result<(), String> {
    let (status, answer) =
        client::post_signed(s, addr, "/slack/commands", FORM, secret, body.clone()).await?;
    if status != 200 {
        return Err(format!(
            "{what} ({}): HTTP {status}: {}",
            String::from_utf8_lossy(&body),
            String::from_utf8_lossy(&answer)
        ));
    }
    Ok(())
}

/// Waits (up to 10 s) until the fake Slack has answered `calls` Web API calls.
async fn settle(fake: &FakeSlack, calls: usize) {
    for _ in 0..100 {
        if answered(fake) >= calls as u64 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The catalogue page's ETag, after checking that the page lists every seeded project and
/// that a request carrying the ETag is answered 304.
pub async fn catalogue_etag(addr: SocketAddr, path: &str) -> Result<HeaderValue, String> {
    let (status, etag, body) = client::get_tagged(addr, path, None).await?;
    let page = String::from_utf8_lossy(&body);
    let listed = format!("{SEED_PITCHES} services");
    if status != 200 || !page.contains(&listed) {
        return Err(format!(
            "GET {path}: HTTP {status}, not \"{listed}\" in: {page:.400}"
        ));
    }
    let etag = etag.ok_or(format!("GET {path}: no ETag"))?;
    let (status, _, _) = client::get_tagged(addr, path, Some(&etag)).await?;
    if status != 304 {
        return Err(format!("GET {path} with If-None-Match: HTTP {status}"));
    }
    Ok(etag)
}

/// Checks that a `pitch_similar` pitch finds a seeded project: its pair's first pitch (the
/// pool's first body is seed pitch 0's pair) answered with "Bench project 0" among the similar.
pub async fn check_similar(addr: SocketAddr, secret: &str) -> Result<(), String> {
    let mut s = client::connect(addr).await?;
    let body = payloads::similar_pitches(1).remove(0);
    let (status, answer) =
        client::post_signed(&mut s, addr, "/slack/commands", FORM, secret, body).await?;
    let text = String::from_utf8_lossy(&answer);
    if status != 200 || !text.contains("Bench project 0") {
        return Err(format!(
            "a pitch_similar pitch: HTTP {status}, no similar seeded project in: {text:.600}"
        ));
    }
    Ok(())
}

/// Web API calls the fake Slack has answered.
pub fn answered(fake: &FakeSlack) -> u64 {
    fake.all_calls().len() as u64
}

/// The ts of the first top-level message posted in `channel` (a pitch announcement).
pub fn first_post_in(fake: &FakeSlack, channel: &str) -> Option<String> {
    fake.calls("chat.postMessage")
        .into_iter()
        .filter(|c| c.body["channel"] == channel && c.body["thread_ts"].is_null())
        .find_map(|c| c.ts().map(String::from))
}
