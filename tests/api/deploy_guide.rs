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
