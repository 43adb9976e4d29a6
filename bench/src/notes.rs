//! The notes under the report's tables: how the figures were made.

use crate::{CATALOGUE, PITCH_POOL, VIEWS_OPEN_ROW, load, seed};

/// How the figures were made, for the notes under the table.
pub fn notes(seconds: u64, seeded_calls: u64, calls: u64, db_bytes: u64) -> Vec<String> {
    vec![
        format!(
            "{seconds} s per run, at most {} requests; latency: request sent to answer read, \
             per keep-alive connection; bench, bot and ceiling share the CPUs",
            load::MAX_REQUESTS
        ),
        format!(
            "seed: {n} signed `pitch Bench project N | <service> for <place>`, one channel \
             each, then `publish N` for each once announced; `list` runs before `pitch`, so it \
             lists those {n} projects, and the catalogue page shows them",
            n = seed::SEED_PITCHES
        ),
        format!(
            "list and ceiling: one `/makers list` body signed once; pitch: a pool of \
             {PITCH_POOL} pre-signed `pitch Load N | desc` bodies, all from one channel (a \
             title too short to look for similar projects); pitch_similar: the same with \
             `pitch <service> <place> | desc` (1,000 pairs, e.g. \"Garden waste Kent\": the bot \
             looks for similar projects, finding seeded ones and earlier pitches of the pair)"
        ),
        format!(
            "catalogue_304: unsigned `GET {CATALOGUE}` with If-None-Match set to the ETag the \
             bot gave for it; runs before any pitch, so the page stays as it was (304 expected)"
        ),
        "reaction_added: the fixture with a unique event_id per request, built and signed \
         on the fly in the client task (no pre-signed pool)"
            .into(),
        format!(
            "pitch_form: `/makers pitch` with no text and a fresh trigger_id per request, \
             signed on the fly; the bot opens the form with `views.open` to the fake Slack \
             before it answers. `{VIEWS_OPEN_ROW}`: from the command sent to the fake \
             receiving the `views.open` with its trigger_id (issue 10: p99 under 100,000 µs \
             at 64 connections); its errors are commands without exactly one"
        ),
        format!(
            "fake Slack answered {seeded_calls} calls after the seed, {calls} by the end; \
             bot database (with -wal, -shm) at the end: {:.1} MiB",
            db_bytes as f64 / 1_048_576.0
        ),
    ]
}

/// Total size of the files in `dir` whose names start with `prefix`.
pub fn dir_bytes(dir: &std::path::Path, prefix: &str) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(prefix))
        .filter_map(|e| e.metadata().ok())
        .map(|m| m.len())
        .sum()
}
