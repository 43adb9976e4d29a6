//! One catalogue across workspaces: a council is the same council whichever workspace its
//! people are in (its normalised name is the key), its give and take counts every workspace,
//! the public catalogue lists every workspace's published projects, and a project keeps its
//! number per workspace while its slug is unique overall.

use crate::helpers::*;

const T1: &str = "T0ONE";
const T2: &str = "T0TWO";

#[tokio::test]
async fn a_council_named_in_two_workspaces_is_one_council_with_one_ledger() {
    let app = spawn_app().await;
    app.slash_in(T1, "U0ANN", "C1", "council Guildford Borough Council")
        .await;
    let a = app
        .slash_in(T2, "U0BEN", "C2", "council guildford BC")
        .await
        .text();
    assert!(a.contains("Guildford Borough Council"), "{a}");
    assert_eq!(app.count("SELECT COUNT(*) FROM councils"), 1);
    // A near spelling in the second workspace is offered the first workspace's council.
    let a = app
        .slash_in(T2, "U0CAT", "C2", "council Guilford BC")
        .await
        .text();
    assert!(
        a.contains("Did you mean *Guildford Borough Council*"),
        "{a}"
    );

    for (team, user, channel) in [(T1, "U0ANN", "C1"), (T2, "U0BEN", "C2")] {
        let a = app
            .slash_in(team, user, channel, "pitch Bin day finder | Which day")
            .await;
        assert_eq!(a.status, 200, "{}", a.body);
    }
    // Each workspace numbers its own projects.
    let numbers = app.count("SELECT COUNT(*) FROM projects WHERE number = 1");
    assert_eq!(numbers, 2);
    // Both workspaces see the same figures: two projects led, two people in teams.
    for (team, channel) in [(T1, "C1"), (T2, "C2")] {
        let a = app
            .slash_in(team, "U0DAN", channel, "councils")
            .await
            .text();
        assert!(
            a.contains("*Guildford Borough Council*: led 2 projects · 2 people in teams"),
            "{team}: {a}"
        );
    }

    // Published in both, the catalogue lists both, under the one council, with two slugs.
    for (team, user, channel) in [(T1, "U0ANN", "C1"), (T2, "U0BEN", "C2")] {
        let a = app.slash_in(team, user, channel, "publish 1").await;
        assert_eq!(a.status, 200, "{}", a.body);
    }
    let json = app.request("GET", "/catalogue.json", &[], "").await.json();
    let text = json.to_string();
    assert_eq!(text.matches("Bin day finder").count(), 2, "{text}");
    let slugs = app.count("SELECT COUNT(DISTINCT slug) FROM projects WHERE slug IS NOT NULL");
    assert_eq!(slugs, 2);
    let page = app
        .request("GET", "/catalogue?council=Guildford+BC", &[], "")
        .await;
    assert_eq!(
        page.body.matches("Bin day finder").count(),
        2,
        "{}",
        page.body
    );
}

/// A council said first in another workspace does not stop the first one said here from
/// leading what was pitched here before any was said: the look-up that falls back to the
/// other workspace's council is for reading, not for "had they said one here".
#[tokio::test]
async fn the_first_council_said_here_leads_what_was_pitched_here_without_one() {
    let app = spawn_app().await;
    let first = app
        .slash_in(T2, "U0ANN", "C2", "pitch Bin day finder")
        .await
        .text();
    assert!(first.contains("No council leads it yet"), "{first}");
    let there = app
        .slash_in(T1, "U0ANN", "C1", "council Guildford Borough Council")
        .await
        .text();
    assert!(!there.contains("leads"), "nothing to lead in T1: {there}");
    let here = app
        .slash_in(T2, "U0ANN", "C2", "council Guildford Borough Council")
        .await
        .text();
    assert!(
        here.contains("so yours leads it now: *#1: Bin day finder*."),
        "{here}"
    );
    let lead: Option<String> = app
        .db()
        .query_row(
            "SELECT c.name FROM projects p LEFT JOIN councils c ON c.id = p.pitcher_council_id
              WHERE p.team_id = ?1 AND p.number = 1",
            [T2],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(lead.as_deref(), Some("Guildford Borough Council"));
}
