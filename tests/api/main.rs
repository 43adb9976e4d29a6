//! Black-box tests: the real server on a loopback port, a temp SQLite file, a fake Slack Web
//! API that records calls, and requests signed like Slack's.

mod binary;
mod browser;
mod buttons_and_councils;
mod catalogue;
mod catalogue_http;
mod delivery;
mod digest_give_and_take;
mod digest_snapshot;
mod digests;
mod forms;
mod helpers;
mod home;
mod hostile;
mod layers;
mod links;
mod manifest;
mod mention;
mod migrations;
mod outbox;
mod pitch;
mod progress;
mod publishing;
mod reuse;
mod routes;
mod search;
mod server;
mod skills;
mod teams;
mod what_users_see;
