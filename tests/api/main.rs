//! Black-box tests: the real server on a loopback port, a temp SQLite file, a fake Slack Web
//! API that records calls, and requests signed like Slack's.

mod binary;
mod browser;
mod buttons_and_councils;
mod catalogue;
mod catalogue_http;
mod councils_across;
mod data_requests;
mod delivery;
mod digest_give_and_take;
mod digest_snapshot;
mod digests;
mod forms;
mod helpers;
mod home;
mod layers;
mod links;
mod manifest;
mod mention;
mod metrics;
mod migrations;
mod oauth;
mod oauth_tokens;
mod outbox;
mod pitch;
mod progress;
mod publishing;
mod reactors;
mod reuse;
mod routes;
mod search;
mod skills;
mod socket_mode;
mod teams;
mod uninstall;
mod what_users_see;
