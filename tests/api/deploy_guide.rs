//! `deploy/README.md`, read for what an operator runs as written on the VM it describes.

use std::path::Path;

fn guide() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("deploy/README.md");
    std::fs::read_to_string(path).unwrap()
}

/// On a stock Debian VM the admin user is in neither `adm` nor `systemd-journal`: a
/// `journalctl` without `sudo` shows none of the unit's lines (not the migration step 3 of
/// an upgrade says to watch, nor a refusal's exit-78 line).
#[test]
fn every_journalctl_in_the_deploy_guide_runs_under_sudo() {
    let guide = guide();
    let unsudoed: Vec<&str> = guide
        .lines()
        .filter(|l| {
            l.match_indices("journalctl -u")
                .any(|(at, _)| !l[..at].ends_with("sudo "))
        })
        .collect();
    assert!(
        unsudoed.is_empty(),
        "journalctl without sudo: {unsudoed:#?}"
    );
}

/// Caddy streams a request's body to the bot by default, so a client sending heads and no
/// bodies (hundreds of HTTP/2 streams on a few connections) held every one of the bot's 128
/// connections and kept Slack out; the guide's Caddyfile has Caddy read the body first, up
/// to the bot's own limit.
#[test]
fn the_guides_caddyfile_reads_a_body_before_passing_it_on() {
    let guide = guide();
    let caddyfile = guide
        .split("```")
        .find(|block| block.contains("reverse_proxy 127.0.0.1:3000"))
        .expect("the guide has a Caddyfile");
    let limit = makers_bot::slack::routes::MAX_BODY_BYTES / 1024;
    assert!(
        caddyfile
            .lines()
            .any(|l| l.trim() == format!("request_buffers {limit}KiB")),
        "{caddyfile}"
    );
}

/// A database restored by hand as root is one the unit's `makers-bot check`, run as the
/// service's user, cannot open for writing: it exits 2 (78 to systemd) and the unit stays
/// stopped. Every `litestream restore` an operator types (not the unit's or the image's
/// `-if-db-not-exists` one, which runs as the service's user) is followed in its paragraph
/// by the `chown` that hands the file back.
#[test]
fn every_restore_by_hand_hands_the_file_to_the_service_user() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for doc in ["README.md", "deploy/README.md", "deploy/litestream.yml"] {
        let text = std::fs::read_to_string(root.join(doc)).unwrap();
        for (at, _) in text.match_indices("litestream restore -config") {
            let line_end = text[at..].find('\n').map_or(text.len(), |n| at + n);
            if text[at..line_end].contains("-if-db-not-exists") {
                continue;
            }
            let rest = &text[at..];
            let paragraph = rest
                .find("\n\n")
                .or_else(|| rest.find("\n#\n"))
                .map_or(rest, |end| &rest[..end]);
            assert!(
                paragraph.contains("chown makers:makers"),
                "{doc}: a restore by hand the unit cannot then open: {paragraph}"
            );
        }
    }
}

/// The service's log names people by their Slack id (the README's retention table says so):
/// the README's subject access procedure has the operator add the lines that name them,
/// rather than send the export alone.
#[test]
fn the_subject_access_procedure_takes_in_the_services_log() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let readme = std::fs::read_to_string(path).unwrap();
    let start = readme
        .find("- **Subject access request:**")
        .expect("the README's subject access bullet");
    let end = start + 1 + readme[start + 1..].find("\n- **").unwrap();
    let bullet = &readme[start..end];
    assert!(
        bullet.contains("journalctl -u makers-bot") && bullet.contains("grep U…"),
        "the subject access bullet does not say to look in the service's log:\n{bullet}"
    );
}

/// Under Litestream the bot cuts the `-wal` file back once Litestream is on a restarted log
/// (`store::log_cut`): no part of the README or the guide may still tell the operator that
/// the file stays at its largest size, which a forget's promise rests on.
#[test]
fn no_part_of_the_documents_says_the_log_file_stays_at_its_largest_under_litestream() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let readme = std::fs::read_to_string(path).unwrap();
    for (name, text) in [("README.md", readme), ("deploy/README.md", guide())] {
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            !flat.contains("keeps the log file at its largest size"),
            "{name} still says the -wal file stays at its largest size"
        );
    }
}
