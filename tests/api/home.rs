//! The Home tab (`app_home_opened` publishes it; its buttons answer privately, open modals
//! or re-publish it) and the "Post as project update" message shortcut, with Slack's own
//! payload shapes.

use serde_json::{Value, json};

use crate::helpers::*;

const PITCHER: &str = "U0PITCHER";
const OTHER: &str = "U0OTHER";
const CHANNEL: &str = "C0MAKERS";

/// Slack's `app_home_opened` (Home tab) for `user` in our workspace.
fn home_opened(event_id: &str, user: &str) -> Value {
    let mut e: Value = serde_json::from_str(&fixture(
        "app-home-opened-home-tab.bolt-python.event_callback.json",
    ))
    .unwrap();
    e["team_id"] = TEAM.into();
    e["event_id"] = event_id.into();
    e["event"]["user"] = user.into();
    e["authorizations"][0]["team_id"] = TEAM.into();
    e["authorizations"][0]["user_id"] = BOT_USER.into();
    e
}

/// Opens the Home as `user` and returns the view published for them (the `n`th publish).
pub(crate) async fn open_home(app: &TestApp, user: &str, n: usize) -> Value {
    let a = app.event(&home_opened(&format!("EvHome{n}"), user)).await;
    assert_eq!(a.status, 200);
    published(app, n).await
}

/// The `n`th Home published (1-based), once it is.
async fn published(app: &TestApp, n: usize) -> Value {
    let calls = app.slack.wait_for("views.publish", n, SHORT).await;
    calls[n - 1].body.clone()
}

/// Slack's Home-tab block_actions sample: `user` pressed `action_id` (value `value`).
fn home_press(user: &str, action_id: &str, value: Option<&str>) -> String {
    payload_body(&home_press_payload(user, action_id, value))
}

/// [`home_press`]'s payload, for a test to change (the Home's metadata) before sending.
fn home_press_payload(user: &str, action_id: &str, value: Option<&str>) -> Value {
    let mut p: Value =
        serde_json::from_str(&fixture("home-tab-block-actions.payload.json")).unwrap();
    p["team"]["id"] = TEAM.into();
    p["user"]["id"] = user.into();
    // A person of the workspace pressing on their own Home.
    p["user"]["team_id"] = TEAM.into();
    p["view"]["team_id"] = TEAM.into();
    p["view"]["app_installed_team_id"] = TEAM.into();
    p["actions"][0]["action_id"] = action_id.into();
    if let Some(v) = value {
        p["actions"][0]["value"] = v.into();
    }
    p
}

/// Slack's message-shortcut sample: `user` used `post_update` on a message in `CHANNEL`.
fn message_shortcut(user: &str, text: &str, thread_ts: Option<&str>) -> String {
    let mut p: Value = serde_json::from_str(&fixture("shortcut-message.payload.json")).unwrap();
    p["team"]["id"] = TEAM.into();
    p["user"]["id"] = user.into();
    p["channel"]["id"] = CHANNEL.into();
    p["callback_id"] = "post_update".into();
    p["message"]["text"] = text.into();
    if let Some(t) = thread_ts {
        p["message"]["thread_ts"] = t.into();
    }
    serde_urlencoded::to_string([("payload", p.to_string())]).unwrap()
}

/// The update modal submitted by `user`: `project` chosen, `note` typed.
fn submit_update(user: &str, metadata: &str, project: &str, note: Option<&str>) -> String {
    let mut p: Value = serde_json::from_str(&fixture("view-submission.payload.json")).unwrap();
    p["view"]["id"] = fresh_view_id().into();
    p["team"]["id"] = TEAM.into();
    p["user"]["id"] = user.into();
    p["view"]["team_id"] = TEAM.into();
    p["view"]["app_installed_team_id"] = TEAM.into();
    p["view"]["callback_id"] = "post_update".into();
    p["view"]["private_metadata"] = metadata.into();
    p["view"]["state"]["values"] = json!({
        "project": {"project": {"type": "static_select",
            "selected_option": {"text": {"type": "plain_text", "text": "x"}, "value": project}}},
        "note": {"note": {"type": "plain_text_input", "value": note}},
    });
    serde_urlencoded::to_string([("payload", p.to_string())]).unwrap()
}

#[tokio::test]
async fn opening_the_home_publishes_that_persons_projects_and_what_needs_people() {
    let app = spawn_app().await;
    // Well into a quarter: its report is of this one (see below for its first weeks).
    app.clock.set_weekday_morning();
    pitch_and_wait(&app, PITCHER, CHANNEL, "Bin day finder").await;
    pitch_and_wait(&app, OTHER, CHANNEL, "Pothole reporter").await;
    app.slash(PITCHER, CHANNEL, "update 1 Prototype is up")
        .await;
    app.slash(PITCHER, CHANNEL, "council Guildford").await;
    let call = open_home(&app, PITCHER, 1).await;
    assert_eq!(call["user_id"], PITCHER);
    let view = &call["view"];
    assert_eq!(view["type"], "home");
    let text = view.to_string();
    for expected in [
        "Your projects (1)",
        "#1: Bin day finder",
        "discovery · 1 person · you lead it",
        // "update": a phase change is news too, shown by the phase, not by these words.
        "Last update (",
        "Prototype is up",
        "home_update:1",
        "home_show:1",
        "Open projects that need people",
        "Pothole reporter",
        "home_join:2",
        "Projects wanting your skills",
        "Guildford",
        // Its part this quarter, a command away.
        "its work re-used 0 times by other councils\\n`/makers report for my council` gives its part this quarter, for your managers or a return.",
        "home_pitch",
    ] {
        assert!(text.contains(expected), "{expected} in {text}");
    }
    assert!(
        !text.contains("home_join:1"),
        "their own project is not offered to join"
    );
    // Read out in a list of them, a button says which project it is for.
    for label in [
        "Post update: #1 Bin day finder",
        "Show: #1 Bin day finder",
        "Join: #2 Pothole reporter",
    ] {
        let said = format!("\"accessibility_label\":\"{label}\"");
        assert!(text.contains(&said), "{label} in {text}");
    }
    // The Messages tab opening publishes nothing.
    let mut messages = home_opened("EvMessages", PITCHER);
    messages["event"]["tab"] = "messages".into();
    assert_eq!(app.event(&messages).await.status, 200);
    app.slash(PITCHER, CHANNEL, "list").await; // a round trip for any stray publish
    assert_eq!(app.slack.calls("views.publish").len(), 1);
}

/// Opened while the bot cannot tell whether it serves the workspace (OAuth on, no
/// installation, Slack failing `auth.test` for `SLACK_BOT_TOKEN`): answered so that Slack
/// sends it again, as every other event is, and published then. It was acknowledged and
/// dropped for good, leaving an old Home up.
#[tokio::test]
async fn a_home_opened_while_the_bot_cannot_tell_whom_it_serves_is_published_when_sent_again() {
    let slack = FakeSlack::start().await;
    slack.always("auth.test", Script::Status(500));
    let app = spawn_app_talking_to(
        slack,
        &[
            ("SLACK_CLIENT_ID", "1111.2222"),
            ("SLACK_CLIENT_SECRET", "client-secret"),
            ("MAKERS_SECRET_KEY", crate::oauth::KEY),
        ],
    )
    .await;
    let opened = home_opened("EvHomeUnsure", OTHER);
    let a = app.event(&opened).await;
    assert!(
        !a.status.is_success(),
        "Slack is to send it again: {}",
        a.status
    );
    app.slack.heal("auth.test");
    let a = app.event(&opened).await;
    assert_eq!(a.status, 200);
    let calls = app.slack.wait_for("views.publish", 1, SHORT).await;
    assert_eq!(calls[0].body["user_id"], OTHER);
}

/// The Home's *Pitch a project* when Slack will not open the form: the person is told in
/// their DM with the bot (the Home has no channel), not left pressing a button that seems
/// to do nothing.
#[tokio::test]
async fn the_homes_pitch_button_says_so_in_the_dm_when_the_form_cannot_open() {
    let app = spawn_app().await;
    app.slack
        .always("views.open", Script::Error("expired_trigger_id"));
    let a = app.interact(&home_press(OTHER, "home_pitch", None)).await;
    assert_eq!((a.status.as_u16(), a.body.as_str()), (200, ""));
    let dm = first_dm(&app, OTHER).await;
    assert!(
        dm.starts_with("Sorry, I couldn't open the pitch form just now."),
        "{dm}"
    );
    assert_eq!(app.slack.calls("views.open").len(), 1);
}

/// *Post update* on the Home, and *Post as project update* on a message, when Slack will not
/// open the form: told in the DM too, as for the pitch form.
#[tokio::test]
async fn the_update_form_says_so_in_the_dm_when_it_cannot_open() {
    let app = spawn_app().await;
    pitch_and_wait(&app, PITCHER, CHANNEL, "Bin day finder").await;
    app.slack
        .always("views.open", Script::Error("expired_trigger_id"));
    let a = app
        .interact(&home_press(PITCHER, "home_update:1", Some("1")))
        .await;
    assert_eq!((a.status.as_u16(), a.body.as_str()), (200, ""));
    let dm = dm_saying(&app, PITCHER, "the update form").await;
    assert!(
        dm.starts_with("Sorry, I couldn't open the update form just now."),
        "{dm}"
    );
    let a = app
        .interact(&message_shortcut(PITCHER, "Prototype is up", None))
        .await;
    assert_eq!(a.status, 200);
    let said = "SELECT COUNT(*) FROM outbox WHERE notice LIKE '%couldn''t open the update form%'";
    eventually("told twice", SHORT, || (app.count(said) == 2).then_some(())).await;
    assert_eq!(app.slack.calls("views.open").len(), 2);
}

/// Slack answering `views.open` after the 2 s the bot waits may still have opened the form:
/// the word in the DM says so, rather than that it could not open.
#[tokio::test]
async fn a_form_slack_was_slow_to_open_is_said_to_perhaps_have_opened() {
    let app = spawn_app().await;
    app.slack.script("views.open", Script::Slow(2500));
    let a = app.interact(&home_press(OTHER, "home_pitch", None)).await;
    assert_eq!(a.status, 200);
    let dm = first_dm(&app, OTHER).await;
    assert!(
        dm.starts_with("Slack was slow to open the pitch form. If it did not open"),
        "{dm}"
    );
}

/// Someone in more teams than the Home names sees the projects they lead first: their
/// oldest project, which they lead, was among those counted ("…and 6 more") when the Home
/// named the newest first.
#[tokio::test]
async fn the_projects_you_lead_come_first_on_a_full_home() {
    let app = spawn_app().await;
    app.slash("U0LEAD", CHANNEL, "pitch Bin day finder").await;
    for i in 0..30 {
        app.slash("U0OTHER", CHANNEL, &format!("pitch Project {i}"))
            .await;
        app.slash("U0LEAD", CHANNEL, &format!("join {}", i + 2))
            .await;
    }
    let home = open_home(&app, "U0LEAD", 1).await;
    let text = message_text(&home["view"]);
    let bins = text
        .find("Bin day finder")
        .expect("the project they lead is on the Home");
    let newest = text.find("Project 29").unwrap();
    assert!(bins < newest, "led first: {text}");
    assert!(text.contains("…and 6 more: `/makers list mine`"), "{text}");
    assert!(
        !text.contains("Project 5*") && !text.contains("Project 0*"),
        "the oldest others counted: {text}"
    );
}

/// Past five, the Home's "Open projects that need people" and "Projects wanting your
/// skills" say there are more and where to see them, as its other cut lists do: five under
/// a heading read as all there were.
#[tokio::test]
async fn the_homes_few_projects_that_need_people_or_skills_say_there_are_more() {
    let app = spawn_app().await;
    for i in 0..8 {
        let pitched = app
            .slash(OTHER, CHANNEL, &format!("pitch Project {i}"))
            .await;
        assert!(
            pitched.text().contains(&format!("#{}", i + 1)),
            "{}",
            pitched.body
        );
    }
    // The part of the Home between two headings, and how many *Join* buttons it has.
    let part = |home: &Value, from: &str, to: &str| {
        let text = message_text(&home["view"]);
        let start = text.find(from).unwrap();
        let end = start + text[start..].find(to).unwrap();
        text[start..end].to_string()
    };
    let joins = |home: &Value| home["view"].to_string().matches("\"home_join:").count();
    let home = open_home(&app, "U0LEAD", 1).await;
    assert_eq!(joins(&home), 5, "{home}");
    let needing = part(&home, "Open projects that need people", "Projects wanting");
    assert!(
        needing.contains("…and more: `/makers list` gives each team's size."),
        "{needing}"
    );
    // All eight want their skills: five listed for that, the other three as needing people.
    app.slash("U0LEAD", CHANNEL, "skills developer").await;
    for n in 1..=8 {
        let wants = app
            .slash(OTHER, CHANNEL, &format!("wants {n} developer"))
            .await;
        assert!(wants.text().contains("developer"), "{}", wants.body);
    }
    let home = open_home(&app, "U0LEAD", 2).await;
    assert_eq!(joins(&home), 8, "{home}");
    let wanting = part(&home, "Projects wanting your skills", "council");
    assert!(
        wanting.contains(
            "…and more: `/makers list needs developer` lists every open project looking for one skill."
        ),
        "{wanting}"
    );
    let needing = part(&home, "Open projects that need people", "Projects wanting");
    assert!(
        !needing.contains("…and more"),
        "three, all shown: {needing}"
    );
}

/// The Home's "…and more" under the projects wanting your skills points to the list of a
/// skill those left out want, not to the first skill offered: with `developer, designer`
/// offered and only designers wanted, it named `list needs developer`, which lists none.
#[tokio::test]
async fn the_homes_more_wanting_your_skills_names_a_skill_the_rest_want() {
    let app = spawn_app().await;
    app.slash("U0LEAD", CHANNEL, "skills developer, designer")
        .await;
    for i in 1..=8 {
        let pitched = app
            .slash(OTHER, CHANNEL, &format!("pitch Project {i}"))
            .await;
        assert!(
            pitched.text().contains(&format!("#{i}")),
            "{}",
            pitched.body
        );
        let wants = app
            .slash(OTHER, CHANNEL, &format!("wants {i} designer"))
            .await;
        assert!(wants.text().contains("designer"), "{}", wants.body);
    }
    let home = open_home(&app, "U0LEAD", 1).await;
    let text = message_text(&home["view"]);
    let start = text.find("Projects wanting your skills").unwrap();
    let wanting = &text[start..];
    assert!(
        wanting.contains("…and more: `/makers list needs designer`"),
        "{wanting}"
    );
    assert!(!wanting.contains("list needs developer"), "{wanting}");
    let needed = app.slash("U0LEAD", CHANNEL, "list needs designer").await;
    assert!(needed.text().contains("#1"), "{}", needed.body);
}

#[tokio::test]
async fn someone_in_no_project_gets_a_friendly_home() {
    let app = spawn_app().await;
    // Someone else's, so that there is an open project to be in.
    pitch_and_wait(&app, PITCHER, CHANNEL, "Bin day finder").await;
    let view = open_home(&app, OTHER, 1).await["view"].clone();
    let text = view.to_string();
    // Said so that it is true too of someone whose teams are all retired (it said "not in
    // a team yet").
    assert!(
        text.contains("You're not in the team of an open project"),
        "{text}"
    );
    assert!(text.contains("Pitch a project"));
    // Where to find what is recorded about them.
    assert!(text.contains("your rights: `/makers privacy`"), "{text}");
    // Why to say a council first; where other councils' services are, once the catalogue
    // has an address people can reach (here the bot is on a loopback one).
    assert!(
        text.contains(
            "`/makers council &lt;name&gt;`: re-use and a team's make-up are counted by council"
        ),
        "{text}"
    );
    assert!(!text.contains("|the public catalogue>"), "{text}");
    let app = app
        .restart_with(&[("MAKERS_PUBLIC_URL", "https://makers.example.gov.uk")])
        .await;
    let text = open_home(&app, OTHER, 2).await["view"].to_string();
    assert!(
        text.contains("<https://makers.example.gov.uk/catalogue|the public catalogue>"),
        "{text}"
    );
}

/// The first Home in a workspace with no open project says to pitch one, with the button at
/// its foot, rather than point at projects above and below that are not there.
#[tokio::test]
async fn a_home_with_no_open_project_anywhere_says_to_pitch_one() {
    let app = spawn_app().await;
    let text = open_home(&app, OTHER, 1).await["view"].to_string();
    assert!(
        text.contains("No open projects yet: press *Pitch a project* below to start one."),
        "{text}"
    );
    assert!(!text.contains("yours are above"), "{text}");
    assert!(!text.contains("Join one of the projects below"), "{text}");
    // A private channel's project, hidden from them, is not "none yet": that would invite a
    // second pitch of it.
    app.slack.private_channel("C0SECRET");
    pitch_and_wait(&app, PITCHER, "C0SECRET", "Staff rota finder").await;
    let text = open_home(&app, OTHER, 2).await["view"].to_string();
    assert!(!text.contains("No open projects yet"), "{text}");
    assert!(!text.contains("Staff rota"), "{text}");
}

/// The Home's "Send me its report" button, as drawn in `view`.
fn report_button(view: &Value) -> &Value {
    view["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| &b["accessory"])
        .find(|a| a["action_id"] == "home_report")
        .unwrap_or_else(|| panic!("no report button in {view}"))
}

/// The report button's `accessibility_label`, checked against what Slack allows (75
/// characters) and against what it shows: a voice-control user says the visible words.
fn report_label(view: &Value) -> String {
    let button = report_button(view);
    let label = button["accessibility_label"].as_str().unwrap().to_string();
    let shown = button["text"]["text"].as_str().unwrap();
    assert!(
        label.starts_with(shown),
        "{label:?} does not start with {shown:?}"
    );
    assert!(
        label.chars().count() <= 75,
        "{label:?} is over 75 characters"
    );
    label
}

/// The council's line on the Home sends its report this quarter to the person's messages
/// with the app, where it stays: theirs, whatever the button's value says; in the first two
/// weeks of a quarter, the one just ended.
#[tokio::test]
async fn the_homes_council_line_sends_its_report_to_the_dm() {
    let app = spawn_app().await;
    app.clock.set_weekday_morning();
    pitch_and_wait(&app, PITCHER, CHANNEL, "Bin day finder").await;
    app.slash(PITCHER, CHANNEL, "council Guildford").await;
    let view = open_home(&app, PITCHER, 1).await["view"].clone();
    assert_eq!(
        report_button(&view)["text"]["text"],
        "Send me its report",
        "{view}"
    );
    // Its name for a screen reader or voice control starts with the words it shows (WCAG
    // 2.5.3), within Slack's 75 characters.
    assert_eq!(
        report_label(&view),
        "Send me its report this quarter, in my messages with the app"
    );
    let a = app
        .interact(&home_press(
            PITCHER,
            "home_report",
            Some("report all for Waverley"),
        ))
        .await;
    assert_eq!(a.status, 200);
    let copy = dm_saying(&app, PITCHER, "in Makers: ").await;
    assert!(
        copy.contains("*Guildford in Makers: ")
            && copy.contains("In that time, across every Makers workspace: *Guildford* took the lead on 1 new project.")
            && !copy.contains("Waverley")
            && !copy.contains("Send me a copy"),
        "{copy}"
    );
    assert!(copy.contains("(Q3 of 2026/27, so far)"), "{copy}");
    // Drawn on Q3's last afternoon, its button names Q3.
    app.clock.set("2026-12-31T16:00:00Z");
    let view = open_home(&app, PITCHER, 2).await["view"].clone();
    let drawn = view["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["accessory"]["action_id"] == "home_report")
        .map(|b| b["accessory"]["value"].as_str().unwrap().to_string())
        .unwrap_or_else(|| panic!("{view}"));
    assert_eq!(drawn, "report Q3 2026/27 for my council");
    let q3 = |dm: &String| {
        dm.contains("*Guildford in Makers: 1 October to 31 December 2026*")
            && dm.contains("(Q3 of 2026/27)")
    };
    let q3_copies = |n: usize| {
        let app = &app;
        async move {
            eventually(&format!("{n} Q3 reports in the DM"), SHORT, || {
                let dms = dms_to(app, PITCHER);
                (dms.iter().filter(|dm| q3(dm)).count() == n).then_some(())
            })
            .await
        }
    };
    // On 4 January, Q3 of 2026/27 is just over and Q4 four days old: the Home offers Q3's,
    // and the press sends it (here as a Home drawn before values named their quarter).
    app.clock.set("2027-01-04T10:00:00Z");
    let view = open_home(&app, PITCHER, 3).await["view"].clone();
    assert!(
        view.to_string().contains("`/makers report last quarter for my council` gives its part in Q3 of 2026/27, just ended, for your managers or a return."),
        "{view}"
    );
    // The longer name, in a quarter's first weeks: its visible words first, still within 75.
    assert_eq!(
        report_label(&view),
        "Send me its report for Q3 of 2026/27, in my messages with the app"
    );
    app.interact(&home_press(
        PITCHER,
        "home_report",
        Some("report last quarter for my council"),
    ))
    .await;
    q3_copies(1).await;
    // The Home drawn on 31 December, left open and pressed on 20 January, when the Home
    // would offer Q4 so far: the quarter it said, Q3.
    app.clock.set("2027-01-20T09:00:00Z");
    app.interact(&home_press(PITCHER, "home_report", Some(&drawn)))
        .await;
    q3_copies(2).await;
    // Pressed by someone of another organisation (a forged press): ignored, nothing queued.
    let mut p: Value =
        serde_json::from_str(&fixture("home-tab-block-actions.payload.json")).unwrap();
    p["team"]["id"] = TEAM.into();
    p["user"]["id"] = "U0GUEST".into();
    p["user"]["team_id"] = "T0ELSEWHERE".into();
    p["view"]["team_id"] = TEAM.into();
    p["view"]["app_installed_team_id"] = TEAM.into();
    p["actions"][0]["action_id"] = "home_report".into();
    let forged = serde_urlencoded::to_string([("payload", p.to_string())]).unwrap();
    assert_eq!(app.interact(&forged).await.status, 200);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE channel_id = 'U0GUEST'"),
        0
    );
    // Someone who has not said their council has no such button, and is told how.
    let view = open_home(&app, OTHER, 4).await["view"].to_string();
    assert!(!view.contains("home_report"), "{view}");
    app.interact(&home_press(OTHER, "home_report", None)).await;
    let told = first_dm(&app, OTHER).await;
    assert!(
        told.contains("I don't know which council you work for yet"),
        "{told}"
    );
}

/// A Home says which workspace it was drawn for, and a press on it acts there: in an
/// Enterprise Grid org Slack can name the org's first installation, another workspace, as
/// the view's `app_installed_team_id` (bolt-python #1229).
#[tokio::test]
async fn a_home_press_acts_in_the_workspace_its_home_was_drawn_for() {
    let app = spawn_app().await;
    pitch_and_wait(&app, PITCHER, CHANNEL, "Bin day finder").await;
    let home = open_home(&app, OTHER, 1).await;
    let metadata = home["view"]["private_metadata"]
        .as_str()
        .unwrap()
        .to_string();
    // And (added) when it was drawn.
    assert!(
        metadata.starts_with(&format!("home-of:{TEAM}\n@")),
        "{metadata}"
    );
    let mut p = home_press_payload(OTHER, "home_join:1", Some("1"));
    p["enterprise"] = json!({"id": "E0COUNCILS", "name": "Councils"});
    p["view"]["app_installed_team_id"] = "T0GRIDFIRST".into();
    p["view"]["private_metadata"] = metadata.into();
    let a = app.interact(&payload_body(&p)).await;
    assert_eq!((a.status.as_u16(), a.body.as_str()), (200, ""));
    eventually("the presser in #1's team", SHORT, || {
        let n = app.count("SELECT COUNT(*) FROM members WHERE user_id = 'U0OTHER'");
        (n == 1).then_some(())
    })
    .await;
}

/// `body` (a form's submission) as Slack sends it in an Enterprise Grid org whose first
/// installation is another workspace: named as the form's `app_installed_team_id`.
fn as_if_installed_in_another(body: &str) -> String {
    let mut p: Value = serde_urlencoded::from_str::<Vec<(String, String)>>(body)
        .unwrap()
        .into_iter()
        .find(|(k, _)| k == "payload")
        .map(|(_, v)| serde_json::from_str(&v).unwrap())
        .unwrap();
    p["enterprise"] = json!({"id": "E0COUNCILS", "name": "Councils"});
    p["view"]["app_installed_team_id"] = "T0GRIDFIRST".into();
    payload_body(&p)
}

/// A form opened from a Home (its *Post update*, its *Pitch a project*) is, submitted, of
/// the workspace the Home was drawn for, as a press on the Home is: in an Enterprise Grid
/// org Slack can name another workspace as the form's `app_installed_team_id` too.
#[tokio::test]
async fn a_form_opened_from_a_home_is_submitted_in_the_workspace_its_home_was_drawn_for() {
    let app = spawn_app().await;
    pitch_and_wait(&app, PITCHER, CHANNEL, "Bin day finder").await;
    let metadata = |n: usize| {
        let app = &app;
        async move {
            let opened = app.slack.wait_for("views.open", n, SHORT).await;
            let said = &opened[n - 1].body["view"]["private_metadata"];
            said.as_str().unwrap().to_string()
        }
    };
    app.interact(&home_press(PITCHER, "home_update:1", Some("1")))
        .await;
    let update = submit_update(PITCHER, &metadata(1).await, "1", Some("Alpha is live"));
    let a = app.interact(&as_if_installed_in_another(&update)).await;
    assert_eq!((a.status.as_u16(), a.body.as_str()), (200, ""));
    let ours = format!(
        "SELECT COUNT(*) FROM updates u JOIN projects p ON p.id = u.project_id
         WHERE p.team_id = '{TEAM}' AND p.number = 1"
    );
    assert_eq!(app.count(&ours), 1, "the update on the Home's #1");

    app.interact(&home_press(PITCHER, "home_pitch", None)).await;
    let fields = json!({
        "title": crate::forms::text("Pothole reporter"),
        "channel": {"type": "conversations_select", "selected_conversation": CHANNEL},
    });
    let pitch =
        crate::forms::submission_payload(&fresh_view_id(), PITCHER, &metadata(2).await, fields);
    let a = app
        .interact(&as_if_installed_in_another(&payload_body(&pitch)))
        .await;
    assert_eq!((a.status.as_u16(), a.body.as_str()), (200, ""));
    let pitched = format!("SELECT COUNT(*) FROM projects WHERE team_id = '{TEAM}'");
    assert_eq!(app.count(&pitched), 2, "pitched in the Home's workspace");
}

#[tokio::test]
async fn joining_from_the_home_joins_answers_in_the_dm_and_republishes_the_home() {
    let app = spawn_app().await;
    pitch_and_wait(&app, PITCHER, CHANNEL, "Bin day finder").await;
    let before = open_home(&app, OTHER, 1).await.to_string();
    assert!(before.contains("home_join:1"));
    let a = app
        .interact(&home_press(OTHER, "home_join:1", Some("1")))
        .await;
    assert_eq!((a.status.as_u16(), a.body.as_str()), (200, ""));
    let after = published(&app, 2).await.to_string();
    assert!(
        after.contains("Your projects (1)") && after.contains("home_update:1"),
        "{after}"
    );
    assert!(
        !after.contains("you lead it"),
        "the pitcher leads it: {after}"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM members WHERE user_id = 'U0OTHER'"),
        1
    );
    eventually("the answer in the presser's DM", SHORT, || {
        app.slack
            .calls("chat.postMessage")
            .iter()
            .any(|c| c.body["channel"] == OTHER)
            .then_some(())
    })
    .await;
    // Handed the lead, they are told so on their Home.
    app.slash(PITCHER, CHANNEL, &format!("handover 1 <@{OTHER}>"))
        .await;
    let led = open_home(&app, OTHER, 3).await.to_string();
    assert!(led.contains("2 people · you lead it"), "{led}");
}

/// A Home left open across a restore of an older backup, or an erase and a reinstall: its
/// *Join* names a number that another project, pitched since, now holds. It is out of date,
/// as such an announcement's is: nothing joined, the presser told so in their DM. It joined
/// the new project, and its lead was told they had.
#[tokio::test]
async fn a_join_on_a_home_drawn_before_its_project_was_pitched_is_out_of_date() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("makers.db");
    let app = spawn_app_on(&db, FakeSlack::start().await).await;
    let backup = dir.path().join("backup.db");
    app.db()
        .execute("VACUUM INTO ?1", [backup.to_str().unwrap()])
        .unwrap();
    pitch_and_wait(&app, PITCHER, CHANNEL, "Bin day finder").await;
    let home = open_home(&app, OTHER, 1).await;
    assert!(home.to_string().contains("home_join:1"), "{home}");
    let metadata = home["view"]["private_metadata"]
        .as_str()
        .unwrap()
        .to_string();
    // The backup taken before #1 was pitched is put back, and a while later another
    // project is pitched: #1 again.
    let clock = app.clock.clone();
    let (db, slack, _) = app.stop().await;
    std::fs::copy(&backup, &db).unwrap();
    for side in ["makers.db-wal", "makers.db-shm"] {
        let _ = std::fs::remove_file(dir.path().join(side));
    }
    clock.set_timestamp(clock.now().timestamp() + 600);
    let app = spawn_app_with(&db, slack, clock).await;
    pitch_and_wait(&app, "U0LEAD", CHANNEL, "Parking permits").await;
    let mut p = home_press_payload(OTHER, "home_join:1", Some("1"));
    p["view"]["private_metadata"] = metadata.into();
    let a = app.interact(&payload_body(&p)).await;
    assert_eq!((a.status.as_u16(), a.body.as_str()), (200, ""));
    let dm = first_dm(&app, OTHER).await;
    assert!(dm.contains("That button is out of date"), "{dm}");
    app.outbox_settled().await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM members WHERE user_id = 'U0OTHER'"),
        0,
        "#1 joined"
    );
    assert!(dms_to(&app, "U0LEAD").is_empty(), "its lead told");
    // A Home drawn since joins it.
    let home = open_home(&app, OTHER, 3).await;
    let metadata = home["view"]["private_metadata"].as_str().unwrap();
    p["view"]["private_metadata"] = metadata.into();
    app.interact(&payload_body(&p)).await;
    eventually("the presser in #1's team", SHORT, || {
        let n = app.count("SELECT COUNT(*) FROM members WHERE user_id = 'U0OTHER'");
        (n == 1).then_some(())
    })
    .await;
}

/// A project pitched while the machine's clock was fast, the clock then stepped back: a Home
/// drawn after that shows it, and its *Join* joins it. It was refused as out of date (the
/// Home marked as drawn before the project's pitch) until the clock caught up.
#[tokio::test]
async fn a_join_on_a_home_drawn_after_the_clock_stepped_back_joins_a_project_pitched_before() {
    let app = spawn_app().await;
    let now = app.clock.now().timestamp();
    app.clock.set_timestamp(now + 600);
    pitch_and_wait(&app, PITCHER, CHANNEL, "Bin day finder").await;
    app.clock.set_timestamp(now);
    let home = open_home(&app, OTHER, 1).await;
    assert!(home.to_string().contains("home_join:1"), "{home}");
    let mut p = home_press_payload(OTHER, "home_join:1", Some("1"));
    p["view"]["private_metadata"] = home["view"]["private_metadata"].clone();
    let a = app.interact(&payload_body(&p)).await;
    assert_eq!((a.status.as_u16(), a.body.as_str()), (200, ""));
    let dm = first_dm(&app, OTHER).await;
    assert!(!dm.contains("out of date"), "{dm}");
    eventually("the presser in #1's team", SHORT, || {
        let n = app.count("SELECT COUNT(*) FROM members WHERE user_id = 'U0OTHER'");
        (n == 1).then_some(())
    })
    .await;
}

/// One person's Home is published one at a time: changes while a publish is in flight make
/// one more publish after it, reading everything, never an older Home landing last.
#[tokio::test]
async fn changes_while_a_home_is_published_make_one_more_publish_of_the_newest() {
    let app = spawn_app().await;
    pitch_and_wait(&app, PITCHER, CHANNEL, "Bin day finder").await;
    // Slack is slow with the first publish: it is answered (and recorded) after 3 s, time
    // to join and open the Home again on a loaded machine.
    app.slack.script("views.publish", Script::Slow(3000));
    let a = app.event(&home_opened("EvHomeSlow", OTHER)).await;
    assert_eq!(a.status, 200);
    // The slow publish is at Slack (its script taken) before anything changes.
    eventually("the first publish in flight", SHORT, || {
        (app.slack.scripts_left("views.publish") == 0).then_some(())
    })
    .await;
    // Meanwhile they join from the Home and open it again.
    let a = app
        .interact(&home_press(OTHER, "home_join:1", Some("1")))
        .await;
    assert_eq!(a.status, 200);
    let a = app.event(&home_opened("EvHomeAgain", OTHER)).await;
    assert_eq!(a.status, 200);
    let calls = app.slack.wait_for("views.publish", 2, SHORT).await;
    // Long enough for a third publish, were there one.
    tokio::time::sleep(std::time::Duration::from_millis(1000)).await;
    let calls_now = app.slack.calls("views.publish");
    assert_eq!(calls_now.len(), 2, "one more publish after the slow one");
    assert!(
        calls[0].body.to_string().contains("home_join:1"),
        "the slow one was read before the join"
    );
    let last = calls_now[1].body.to_string();
    assert!(
        last.contains("Your projects (1)") && !last.contains("home_join:1"),
        "the last Home shows the join: {last}"
    );
}

#[tokio::test]
async fn post_update_on_the_home_opens_the_modal_with_that_project_chosen() {
    let app = spawn_app().await;
    pitch_and_wait(&app, PITCHER, CHANNEL, "Bin day finder").await;
    pitch_and_wait(&app, PITCHER, CHANNEL, "Pothole reporter").await;
    let a = app
        .interact(&home_press(PITCHER, "home_update:1", Some("1")))
        .await;
    assert_eq!(a.status, 200);
    let calls = app.slack.calls("views.open");
    assert_eq!(calls.len(), 1);
    let view = &calls[0].body["view"];
    assert_eq!(view["callback_id"], "post_update");
    let select = &view["blocks"][0]["element"];
    assert_eq!(view["blocks"][0]["block_id"], "project");
    assert_eq!(select["type"], "static_select");
    assert_eq!(select["initial_option"]["value"], "1");
    let values: Vec<&str> = select["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["value"].as_str().unwrap())
        .collect();
    assert_eq!(values, ["2", "1"]);
    // Submitted from the Home: recorded, in the thread, and the Home re-published.
    let a = app
        .interact(&submit_update(PITCHER, "", "1", Some("Alpha is live")))
        .await;
    assert_eq!((a.status.as_u16(), a.body.as_str()), (200, ""));
    assert_eq!(app.count("SELECT COUNT(*) FROM updates"), 1);
    assert!(
        published(&app, 1)
            .await
            .to_string()
            .contains("Alpha is live")
    );
}

/// From the Home, an update whose line cannot simply go in the thread (the pitch waits for
/// the bot to be invited to its private channel) is said in the DM, since the modal closes
/// either way; one whose line is on its way is not (the Home shows it).
#[tokio::test]
async fn an_update_from_the_home_that_has_no_thread_yet_says_so_in_the_dm() {
    let app = spawn_app().await;
    pitch_and_wait(&app, PITCHER, CHANNEL, "Bin day finder").await;
    app.interact(&submit_update(PITCHER, "", "1", Some("Alpha is live")))
        .await;
    next_post_is_in_a_private_channel(&app);
    app.slash(PITCHER, "C0PRIVATE", "pitch Hush hush").await;
    app.outbox_settled().await;
    let a = app
        .interact(&submit_update(PITCHER, "", "2", Some("Quietly going")))
        .await;
    assert_eq!((a.status.as_u16(), a.body.as_str()), (200, ""));
    let told = eventually("the DM about the waiting update", SHORT, || {
        dms_to(&app, PITCHER)
            .into_iter()
            .find(|t| t.contains("Your update on"))
    })
    .await;
    assert!(
        told.contains("*#2: Hush hush*") && told.contains("once the pitch is announced"),
        "{told}"
    );
    app.outbox_settled().await;
    assert_eq!(
        dms_to(&app, PITCHER)
            .iter()
            .filter(|t| t.contains("Your update on"))
            .count(),
        1,
        "not for the update whose line went in its thread"
    );
}

/// A refusal under the update form's field is plain text, as Slack shows it: no code or
/// bold marks shown as typed (someone taken off the team while the form was open).
#[tokio::test]
async fn a_refusal_under_the_update_forms_field_is_plain_words() {
    let app = spawn_app().await;
    pitch_and_wait(&app, PITCHER, CHANNEL, "Bin day finder").await;
    let a = app
        .interact(&submit_update(OTHER, "", "1", Some("Alpha is live")))
        .await;
    assert_eq!(a.status, 200);
    let error = a.json()["errors"]["project"].as_str().unwrap().to_string();
    assert!(
        error.contains("Join it first with /makers join 1") && !error.contains('`'),
        "{error}"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM updates"), 0);
}

#[tokio::test]
async fn the_message_shortcut_by_someone_in_no_team_says_how_to_join_one() {
    let app = spawn_app().await;
    let a = app
        .interact(&message_shortcut(OTHER, "Look at this", None))
        .await;
    assert_eq!((a.status.as_u16(), a.body.as_str()), (200, ""));
    let calls = app.slack.calls("views.open");
    assert_eq!(calls.len(), 1);
    let text = calls[0].body["view"].to_string();
    assert!(
        text.contains("not in the team of an open project") && text.contains("/makers join"),
        "{text}"
    );
    assert!(calls[0].body["view"].get("submit").is_none());
}

#[tokio::test]
async fn a_message_posted_as_an_update_goes_into_the_pitchs_thread_with_its_link() {
    let app = spawn_app().await;
    let ts = pitch_and_wait(&app, PITCHER, CHANNEL, "Bin day finder").await;
    let a = app
        .interact(&message_shortcut(
            PITCHER,
            "Usability test &amp; notes",
            Some("1516229200.000100"),
        ))
        .await;
    assert_eq!(a.status, 200);
    let view = app.slack.calls("views.open")[0].body["view"].clone();
    assert_eq!(view["blocks"][0]["element"]["options"][0]["value"], "1");
    assert!(view["blocks"][0]["element"].get("initial_option").is_none());
    // Room is left for the message's link: a note the form lets through always fits.
    assert_eq!(view["blocks"][1]["element"]["max_length"], 1750);
    let metadata = view["private_metadata"].as_str().unwrap().to_string();

    // Too long with the note: the modal stays open with the error under the note.
    let long = "x".repeat(2000);
    let a = app
        .interact(&submit_update(PITCHER, &metadata, "1", Some(&long)))
        .await;
    assert_eq!(a.json()["response_action"], "errors");
    assert!(
        a.json()["errors"]["note"]
            .as_str()
            .unwrap()
            .contains("2000")
    );

    let a = app
        .interact(&submit_update(
            PITCHER,
            &metadata,
            "1",
            Some("From the call, slides at https://slides.example/deck."),
        ))
        .await;
    assert_eq!((a.status.as_u16(), a.body.as_str()), (200, ""));
    let post = eventually("the update in the pitch's thread", SHORT, || {
        app.slack
            .calls("chat.postMessage")
            .into_iter()
            .find(|c| c.body["thread_ts"] == ts.as_str())
    })
    .await;
    let said = post.body.to_string();
    assert!(
        said.contains("From the call") && said.contains("Usability test &amp; notes"),
        "{said}"
    );
    // An address typed bare in the form is a link, as Slack makes one in a message.
    assert!(
        said.contains("slides at <https://slides.example/deck>."),
        "{said}"
    );
    assert!(
        said.contains(
            "https://slack.com/archives/C0MAKERS/p1516229207000133?thread_ts=1516229200.000100"
        ),
        "{said}"
    );
    // Confirmed in their DM with the bot: the message may be in a conversation the bot
    // cannot see, where no private answer could go.
    let told = eventually("the confirmation in the poster's DM", SHORT, || {
        let posts = app.slack.calls("chat.postMessage");
        posts.into_iter().find(|c| c.body["channel"] == PITCHER)
    })
    .await;
    assert!(
        message_text(&told.body).contains("recorded"),
        "{}",
        told.body
    );
    assert!(app.slack.calls("chat.postEphemeral").is_empty());
    // Someone not in the team cannot post to it.
    let a = app
        .interact(&submit_update(OTHER, &metadata, "1", None))
        .await;
    assert_eq!(a.json()["response_action"], "errors");
    assert!(a.json()["errors"]["project"].is_string());
}

/// *Show* on the Home opens the project over the Home the person is looking at (a message to
/// their DM would go to a tab they are not on); if Slack cannot open it, the DM still gets it.
#[tokio::test]
async fn show_on_the_home_opens_the_project_over_it() {
    let app = spawn_app().await;
    pitch_and_wait(&app, PITCHER, CHANNEL, "Bin day finder").await;
    app.slash(PITCHER, CHANNEL, "update 1 Prototype is up")
        .await;
    let a = app
        .interact(&home_press(PITCHER, "home_show:1", Some("1")))
        .await;
    assert_eq!((a.status.as_u16(), a.body.as_str()), (200, ""));
    let opened = app.slack.wait_for("views.open", 1, SHORT).await;
    let view = &opened[0].body["view"];
    assert_eq!(view["type"], "modal");
    assert_eq!(view["title"]["text"], "Project #1");
    let text = view.to_string();
    assert!(
        text.contains("#1: Bin day finder") && text.contains("Prototype is up"),
        "{text}"
    );
    let dm = |app: &TestApp| {
        app.slack
            .calls("chat.postMessage")
            .iter()
            .filter(|c| c.body["channel"] == PITCHER)
            .count()
    };
    app.outbox_settled().await;
    assert_eq!(dm(&app), 0, "nothing to the DM");

    // Slack does not open it (the trigger expired): the DM gets the project instead.
    app.slack
        .script("views.open", Script::Error("expired_trigger_id"));
    app.interact(&home_press(PITCHER, "home_show:1", Some("1")))
        .await;
    eventually("the project in the DM", SHORT, || {
        (dm(&app) == 1).then_some(())
    })
    .await;
}

/// A nudge's *Post update* opens the same form, with its project chosen: two clicks and a
/// line from the message that asks for one. Someone in no team is told how to join one.
/// The first nudge posted (its :wave:), once it is.
async fn the_nudge(app: &TestApp) -> Call {
    eventually("the nudge", SHORT, || {
        app.slack
            .calls("chat.postMessage")
            .into_iter()
            .find(|c| message_text(&c.body).contains(":wave:"))
    })
    .await
}

/// A nudge's *Post update* pressed in a private channel by someone there but not in the
/// team is told to join first, as a typed `/makers update` there is: the project is shown in
/// its channel, where the button was pressed, not hidden as if asked from elsewhere.
#[tokio::test]
async fn a_nudges_post_update_in_a_private_channel_tells_who_is_not_in_the_team_to_join() {
    let app = spawn_app().await;
    app.slack.private_channel(CHANNEL);
    app.clock.set_weekday_morning();
    let ts = pitch_and_wait(&app, PITCHER, CHANNEL, "Bin day finder").await;
    app.clock.advance_days(22);
    let nudge = the_nudge(&app).await;
    assert_eq!(nudge.body["thread_ts"], ts.as_str());
    let nudge_ts = nudge.body["_ts"].as_str().unwrap();
    let press = crate::buttons_and_councils::press(OTHER, "update_project", "1", nudge_ts);
    app.interact(&press).await;
    let calls = app.slack.wait_for("views.open", 1, SHORT).await;
    let view = calls[0].body["view"].to_string();
    assert!(
        view.contains("Only the team can post on or change project #1")
            && !view.contains("private channel"),
        "{view}"
    );
    let typed = app.slash(OTHER, CHANNEL, "update 1 Going well").await;
    assert!(
        typed
            .said()
            .contains("Only the team can post on or change project #1"),
        "{}",
        typed.said()
    );
}

#[tokio::test]
async fn a_nudges_post_update_button_opens_the_form_with_its_project_chosen() {
    let app = spawn_app().await;
    app.clock.set_weekday_morning();
    let ts = pitch_and_wait(&app, PITCHER, CHANNEL, "Bin day finder").await;
    app.clock.advance_days(10);
    pitch_and_wait(&app, PITCHER, CHANNEL, "Pothole reporter").await;
    app.clock.advance_days(12);
    let nudge = the_nudge(&app).await;
    assert_eq!(nudge.body["thread_ts"], ts.as_str());
    let text = message_text(&nudge.body);
    assert!(text.contains("press *Post update*"), "{text}");
    let button = &nudge.body["blocks"][1]["elements"][0];
    assert_eq!(
        (&button["action_id"], &button["value"]),
        (&json!("update_project"), &json!("1"))
    );
    let nudge_ts = nudge.body["_ts"].as_str().unwrap();

    let press = crate::buttons_and_councils::press(PITCHER, "update_project", "1", nudge_ts);
    let a = app.interact(&press).await;
    assert_eq!((a.status.as_u16(), a.body.as_str()), (200, ""));
    let calls = app.slack.wait_for("views.open", 1, SHORT).await;
    let view = &calls[0].body["view"];
    assert_eq!(view["callback_id"], "post_update");
    assert_eq!(view["blocks"][0]["element"]["initial_option"]["value"], "1");
    let a = app
        .interact(&submit_update(
            PITCHER,
            "",
            "1",
            Some("Waiting on procurement"),
        ))
        .await;
    assert_eq!((a.status.as_u16(), a.body.as_str()), (200, ""));
    let lines = crate::progress::thread(&app, &ts, 2).await;
    assert!(lines[1].contains("Waiting on procurement"), "{lines:?}");

    // Someone in no team is told why, as `/makers update` would tell them.
    let press = crate::buttons_and_councils::press(OTHER, "update_project", "1", nudge_ts);
    app.interact(&press).await;
    let calls = app.slack.wait_for("views.open", 2, SHORT).await;
    let view = calls[1].body["view"].to_string();
    assert!(
        view.contains("Only the team can post on or change project #1")
            && !view.contains("\"submit\""),
        "{view}"
    );

    // In another team, not this one: the same.
    app.slash("U0BOB", CHANNEL, "join 2").await;
    let press = crate::buttons_and_councils::press("U0BOB", "update_project", "1", nudge_ts);
    app.interact(&press).await;
    let calls = app.slack.wait_for("views.open", 3, SHORT).await;
    let view = calls[2].body["view"].to_string();
    assert!(
        view.contains("Only the team can post on or change project #1")
            && !view.contains("\"submit\""),
        "{view}"
    );

    // A button naming no project is out of date, and said to be.
    let press = crate::buttons_and_councils::press(PITCHER, "update_project", "x", nudge_ts);
    app.interact(&press).await;
    let said = app.slack.wait_for("chat.postEphemeral", 1, SHORT).await;
    assert!(message_text(&said[0].body).contains("That button is out of date"));
    assert_eq!(app.slack.calls("views.open").len(), 3);

    // Retired since its nudge: `/makers update` still takes an update on it, and so does the
    // form (the Home's list of open projects leaves it out).
    app.slash(PITCHER, CHANNEL, "phase 1 retired").await;
    let press = crate::buttons_and_councils::press(PITCHER, "update_project", "1", nudge_ts);
    app.interact(&press).await;
    let calls = app.slack.wait_for("views.open", 4, SHORT).await;
    let view = &calls[3].body["view"];
    assert_eq!(view["callback_id"], "post_update");
    assert_eq!(view["blocks"][0]["element"]["initial_option"]["value"], "1");
}

/// *Post as project update* offers the projects `/makers update` would take an update on
/// from the person: a lead who has left their own team still leads it, and may post.
#[tokio::test]
async fn the_message_shortcut_offers_a_project_its_lead_has_left() {
    let app = spawn_app().await;
    pitch_and_wait(&app, PITCHER, CHANNEL, "Bin day finder").await;
    app.slash(PITCHER, CHANNEL, "leave 1").await;
    let a = app
        .interact(&message_shortcut(PITCHER, "Prototype is up", None))
        .await;
    assert_eq!(a.status, 200);
    let calls = app.slack.wait_for("views.open", 1, SHORT).await;
    let view = &calls[0].body["view"];
    assert_eq!(view["callback_id"], "post_update", "{view}");
    let values: Vec<&str> = view["blocks"][0]["element"]["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["value"].as_str().unwrap())
        .collect();
    assert_eq!(values, ["1"]);
}

/// A message from a DM posted as an update is read by everyone who can see the pitch's
/// thread: the form says so under its note, before anything is posted; one from a channel
/// needs no such word.
#[tokio::test]
async fn the_update_form_says_a_message_from_a_dm_will_be_read_in_the_thread() {
    let app = spawn_app().await;
    pitch_and_wait(&app, PITCHER, CHANNEL, "Bin day finder").await;
    let from = |channel: &str| {
        let form = message_shortcut(PITCHER, "Between us: the supplier is late", None);
        let mut p: Value = serde_json::from_str(
            &serde_urlencoded::from_str::<Vec<(String, String)>>(&form).unwrap()[0].1,
        )
        .unwrap();
        p["channel"]["id"] = channel.into();
        serde_urlencoded::to_string([("payload", p.to_string())]).unwrap()
    };
    let hint = |n: usize| {
        app.slack.calls("views.open")[n].body["view"]["blocks"][1]["hint"]["text"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(app.interact(&from("D0DIRECT")).await.status, 200);
    assert!(
        hint(0).contains("from a private conversation"),
        "{}",
        hint(0)
    );
    assert_eq!(app.interact(&from(CHANNEL)).await.status, 200);
    assert!(!hint(1).contains("private"), "{}", hint(1));
    // A private channel's message is read by that channel's members alone: Slack says it
    // is private (or hides it from the bot, as from everyone not in it), and the form says
    // so; its update keeps its link, which its members can open.
    app.slack.private_channel("C0HUSH");
    assert_eq!(app.interact(&from("C0HUSH")).await.status, 200);
    assert!(hint(2).contains("from a private channel"), "{}", hint(2));
    app.slack.hidden_channel("C0UNSEEN");
    assert_eq!(app.interact(&from("C0UNSEEN")).await.status, 200);
    assert!(hint(3).contains("from a private channel"), "{}", hint(3));
    let asked: Vec<_> = app
        .slack
        .calls("conversations.info")
        .iter()
        .map(|c| c.body["channel"].as_str().unwrap_or("").to_string())
        .collect();
    assert!(
        asked.ends_with(&["C0HUSH".into(), "C0UNSEEN".into()]),
        "{asked:?}"
    );
    let metadata = app.slack.calls("views.open")[2].body["view"]["private_metadata"]
        .as_str()
        .unwrap()
        .to_string();
    let a = app
        .interact(&submit_update(PITCHER, &metadata, "1", None))
        .await;
    assert_eq!((a.status.as_u16(), a.body.as_str()), (200, ""));
    let line = eventually("the update in the pitch's thread", SHORT, || {
        app.slack
            .calls("chat.postMessage")
            .into_iter()
            .find(|c| c.body["thread_ts"].is_string())
    })
    .await;
    let text = message_text(&line.body);
    assert!(
        text.contains("the supplier is late") && text.contains("|Original message>"),
        "{text}"
    );
    // Slack slow to say (a private channel, said after 1.5 s): the form does not wait for
    // it past the trigger's time, and opens without the word.
    app.slack.private_channel("C0SLOW");
    app.slack.script("conversations.info", Script::Slow(1500));
    assert_eq!(app.interact(&from("C0SLOW")).await.status, 200);
    let opened = app.slack.calls("views.open");
    let late = &opened[opened.len() - 1];
    assert!(
        !late.body.to_string().contains("private channel"),
        "{}",
        late.body
    );
    // Slack was asked: the slow answer was taken by the form's call, which gave up on it
    // (the fake records a call once answered, so its script is what shows it was made).
    assert_eq!(app.slack.scripts_left("conversations.info"), 0);
    // A channel shared with other workspaces (another organisation's): its writer may be
    // one of theirs.
    app.slack.shared_channel("C0CONNECT");
    assert_eq!(app.interact(&from("C0CONNECT")).await.status, 200);
    let last = hint(app.slack.calls("views.open").len() - 1);
    assert!(
        last.contains("from a channel shared with other workspaces"),
        "{last}"
    );
    // Known to be shared (Slack said so at its daily look), and Slack slow to say so again:
    // the form says what Slack said before, rather than nothing.
    app.db()
        .execute(
            "INSERT INTO channels (team_id, channel_id, private, shared) VALUES (?1, 'C0KNOWN', 0, 1)",
            [TEAM],
        )
        .unwrap();
    app.slack.script("conversations.info", Script::Slow(1500));
    assert_eq!(app.interact(&from("C0KNOWN")).await.status, 200);
    let last = hint(app.slack.calls("views.open").len() - 1);
    assert!(
        last.contains("from a channel shared with other workspaces"),
        "{last}"
    );
}

/// A message with no words (a screenshot, a message shared from elsewhere) from a DM, where
/// no link is added, posted with the optional note left empty: the form says, in its own
/// words, that the message has nothing to post and the note is needed, not a command to
/// type. The Home's form, given only spaces, asks for the update.
#[tokio::test]
async fn a_wordless_message_from_a_dm_is_answered_in_the_forms_words() {
    let app = spawn_app().await;
    pitch_and_wait(&app, PITCHER, CHANNEL, "Bin day finder").await;
    let form = message_shortcut(PITCHER, "", None);
    let mut p: Value = serde_json::from_str(
        &serde_urlencoded::from_str::<Vec<(String, String)>>(&form).unwrap()[0].1,
    )
    .unwrap();
    p["channel"]["id"] = "D0DIRECT".into();
    let shortcut = serde_urlencoded::to_string([("payload", p.to_string())]).unwrap();
    assert_eq!(app.interact(&shortcut).await.status, 200);
    let metadata = app.slack.calls("views.open")[0].body["view"]["private_metadata"]
        .as_str()
        .unwrap()
        .to_string();
    let a = app
        .interact(&submit_update(PITCHER, &metadata, "1", None))
        .await;
    let errors: Value = serde_json::from_str(&a.body).unwrap();
    let note = errors["errors"]["note"].as_str().unwrap();
    assert!(
        !note.contains("/makers") && note.contains("no words") && note.contains("note"),
        "{note}"
    );
    let a = app
        .interact(&submit_update(PITCHER, "", "1", Some("   ")))
        .await;
    let errors: Value = serde_json::from_str(&a.body).unwrap();
    let note = errors["errors"]["note"].as_str().unwrap();
    assert_eq!(note, "Please write the update.");
    assert_eq!(app.count("SELECT COUNT(*) FROM updates"), 0);
}
