//! A channel shared with another workspace (Slack Connect): what someone from the other
//! workspace does there is delivered with the workspace the bot is installed in named apart
//! from their own (`authorizations[0].team_id` for events, `view.app_installed_team_id` for
//! forms), and acts on this workspace's projects, as Bolt reads them.

use serde_json::json;

use crate::forms::{submission, text};
use crate::helpers::*;
use crate::teams::{CHANNEL, PITCHER, reaction};

/// Their own workspace, which never installed the bot.
const GUEST_TEAM: &str = "T0GUEST";
const GUEST: &str = "U0GUEST";

#[tokio::test]
async fn a_reaction_from_the_other_workspace_joins_this_workspaces_project() {
    let app = spawn_app().await;
    let ts = pitch_and_wait(&app, PITCHER, CHANNEL, "Bin day finder").await;
    let mut shared = reaction("EvGuest", GUEST, "raised_hand", &ts, true);
    shared["team_id"] = GUEST_TEAM.into();
    assert_eq!(shared["authorizations"][0]["team_id"], TEAM);
    assert_eq!(app.event(&shared).await.status, 200);
    crate::teams::joined(&app, GUEST).await;
    let show = app.slash(PITCHER, CHANNEL, "show 1").await.text();
    assert!(show.contains(&format!("<@{GUEST}>")), "{show}");
    // Nothing was made for the guest's own workspace.
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM projects WHERE team_id = '{GUEST_TEAM}'"
        )),
        0
    );
}

#[tokio::test]
async fn a_form_from_the_other_workspace_is_recorded_where_it_was_opened() {
    let app = spawn_app().await;
    let fields = json!({"title": text("Parking permits")});
    let mut payload: serde_json::Value =
        serde_urlencoded::from_str::<Vec<(String, String)>>(&submission(GUEST, CHANNEL, fields))
            .unwrap()
            .into_iter()
            .find(|(k, _)| k == "payload")
            .map(|(_, v)| serde_json::from_str(&v).unwrap())
            .unwrap();
    payload["team"]["id"] = GUEST_TEAM.into();
    payload["user"]["team_id"] = GUEST_TEAM.into();
    assert_eq!(payload["view"]["app_installed_team_id"], TEAM);
    let body = serde_urlencoded::to_string([("payload", payload.to_string())]).unwrap();
    let a = app.interact(&body).await;
    assert_eq!((a.status.as_u16(), a.body.as_str()), (200, ""));
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM projects WHERE team_id = '{TEAM}' AND pitcher = '{GUEST}'"
        )),
        1
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM projects WHERE team_id = '{GUEST_TEAM}'"
        )),
        0
    );
}
