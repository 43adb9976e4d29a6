//! The public catalogue over HTTP: formats as the contract has them, filters, validators, and
//! nothing personal or unescaped in any answer.

use serde_json::Value;

use crate::helpers::*;

const CHANNEL: &str = "C0MAKERS";
const GUILDFORD: &str = "U0GUILD";
const MOLE: &str = "U0MOLE";
const WAVERLEY: &str = "U0WAVER";
const OUTSIDER: &str = "U0QUIET";

/// Three councils, two published projects (one with links, a team from two councils and a
/// re-user), one unpublished; descriptions and notes that mention people and e-mails.
pub async fn catalogue_app() -> TestApp {
    let app = spawn_app_setting("MAKERS_PUBLIC_URL", "https://makers.example.gov.uk").await;
    app.slash(GUILDFORD, CHANNEL, "council Guildford BC").await;
    app.slash(MOLE, CHANNEL, "council Mole Valley DC").await;
    app.slash(WAVERLEY, CHANNEL, "council Waverley BC").await;
    // Announced before anyone joins, so the joiner gets a thread line.
    pitch_and_wait(
        &app,
        GUILDFORD,
        CHANNEL,
        "Bin day finder | Residents type a postcode and see which bins go out when. Ask <@U0GUILD> or sam.jones@guildford.gov.uk",
    )
    .await;
    app.slash(MOLE, CHANNEL, "join 1").await;
    app.slash(
        GUILDFORD,
        CHANNEL,
        "phase 1 beta | passed assessment, thanks <@U0MOLE>",
    )
    .await;
    app.slash(
        GUILDFORD,
        CHANNEL,
        "link 1 code https://github.com/guildford/bins",
    )
    .await;
    app.slash(
        GUILDFORD,
        CHANNEL,
        "link 1 service https://bins.guildford.gov.uk/",
    )
    .await;
    app.slash(GUILDFORD, CHANNEL, "publish 1").await;
    app.slash(
        WAVERLEY,
        CHANNEL,
        // Slack's own address holds the channel's id: shown as words.
        "reuse 1 | on our website (<https://councils.slack.com/archives/C0MAKERS/p1516229207000133>), ask <@U0WAVER>",
    )
    .await;
    app.slash(
        MOLE,
        CHANNEL,
        "pitch Parking permit renewals | Renew a permit online",
    )
    .await;
    app.slash(MOLE, CHANNEL, "publish 2").await;
    app.slash(
        OUTSIDER,
        CHANNEL,
        "pitch Secret staff rota | not for the public",
    )
    .await;
    app
}

pub async fn get(app: &TestApp, path: &str) -> Answer {
    app.request("GET", path, &[], "").await
}

/// The names `/catalogue.json?{query}` lists, in order.
pub async fn names_found(app: &TestApp, query: &str) -> Vec<String> {
    let a = get(app, &format!("/catalogue.json?{query}")).await;
    assert_eq!(a.status, 200, "{query}: {}", a.body);
    let doc: Value = a.json();
    doc["projects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_string())
        .collect()
}

/// A to Z by the first letter: a name starting with an emoji, a curly quote or an accented
/// letter is not put after Z (the order compared code points, all above `z`), in the page's
/// data and its spreadsheet alike.
#[tokio::test]
async fn names_starting_with_an_emoji_a_quote_or_an_accent_are_in_a_to_z_order() {
    let app = spawn_app_setting("MAKERS_PUBLIC_URL", "https://makers.example.gov.uk").await;
    app.slash(GUILDFORD, CHANNEL, "council Guildford BC").await;
    let titles = [
        "Zebra crossings",
        ":recycle: Bins",
        "\u{201C}Tell Us Once\u{201D} service",
        "\u{C9}co-bins",
        "Allotments",
    ];
    for (n, title) in titles.iter().enumerate() {
        app.slash(
            GUILDFORD,
            CHANNEL,
            &format!("pitch {title} | For residents"),
        )
        .await;
        app.slash(GUILDFORD, CHANNEL, &format!("publish {}", n + 1))
            .await;
    }
    let expected = [
        "Allotments",
        "\u{267B}\u{FE0F} Bins",
        "\u{C9}co-bins",
        "\u{201C}Tell Us Once\u{201D} service",
        "Zebra crossings",
    ];
    assert_eq!(names_found(&app, "").await, expected);
    let csv = get(&app, "/catalogue.csv").await;
    let mut reader = csv::Reader::from_reader(csv.body.as_bytes());
    let names: Vec<String> = reader
        .records()
        .map(|r| r.unwrap()[1].to_string())
        .collect();
    assert_eq!(names, expected);
}

#[tokio::test]
async fn json_is_shaped_as_the_contract_says_and_lists_only_published_projects() {
    let app = catalogue_app().await;
    let a = get(&app, "/catalogue.json").await;
    assert_eq!(a.status, 200);
    assert_eq!(a.header("content-type"), Some("application/json"));
    let doc = a.json();
    let generated = doc["generated"].as_str().unwrap();
    assert!(chrono::DateTime::parse_from_rfc3339(generated).is_ok() && generated.ends_with('Z'));
    let projects = doc["projects"].as_array().unwrap();
    let names: Vec<&str> = projects
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Bin day finder", "Parking permit renewals"]);
    let bins = &projects[0];
    let keys: Vec<&String> = bins.as_object().unwrap().keys().collect();
    let mut expected = [
        "slug",
        "name",
        "url",
        "description",
        "phase",
        "developmentStatus",
        "leadCouncil",
        "councils",
        "usedBy",
        "links",
        "pitched",
        "lastNews",
    ];
    expected.sort();
    let mut keys: Vec<&str> = keys.iter().map(|k| k.as_str()).collect();
    keys.sort();
    assert_eq!(keys, expected);
    assert_eq!(bins["slug"], "bin-day-finder");
    assert_eq!(
        bins["url"],
        "https://makers.example.gov.uk/catalogue/bin-day-finder"
    );
    assert_eq!(bins["phase"], "beta");
    assert_eq!(bins["developmentStatus"], "beta");
    assert_eq!(bins["leadCouncil"], "Guildford Borough Council");
    assert_eq!(
        bins["councils"],
        serde_json::json!(["Guildford Borough Council", "Mole Valley District Council"])
    );
    assert_eq!(
        bins["usedBy"],
        serde_json::json!(["Waverley Borough Council"])
    );
    assert_eq!(
        bins["links"],
        serde_json::json!({"code": "https://github.com/guildford/bins", "service": "https://bins.guildford.gov.uk/"})
    );
    let long = bins["description"]["en"]["longDescription"]
        .as_str()
        .unwrap();
    assert_eq!(
        long,
        "Residents type a postcode and see which bins go out when. Ask someone or (e-mail removed)"
    );
    assert_eq!(bins["description"]["en"]["shortDescription"], long);
    let today = app
        .clock
        .now()
        .with_timezone(&chrono_tz::Europe::London)
        .format("%Y-%m-%d")
        .to_string();
    assert_eq!(
        (bins["pitched"].as_str(), bins["lastNews"].as_str()),
        (Some(&*today), Some(&*today))
    );
    let parking = &projects[1];
    assert_eq!(parking["developmentStatus"], "concept");
    assert_eq!(parking["links"], serde_json::json!({}));
    assert_eq!(parking["usedBy"], serde_json::json!([]));
}

#[tokio::test]
async fn csv_has_the_contract_columns_and_neutralises_formulas() {
    let app = catalogue_app().await;
    app.slash(
        OUTSIDER,
        CHANNEL,
        "pitch =HYPERLINK(\"https://evil.example\",\"x\") | -2+3",
    )
    .await;
    app.slash(OUTSIDER, CHANNEL, "publish 4").await;
    let a = get(&app, "/catalogue.csv").await;
    assert_eq!(a.status, 200);
    assert_eq!(a.header("content-type"), Some("text/csv; charset=utf-8"));
    // The contract's header comes first, with nothing before it; `?excel=1` puts a byte order
    // mark before it, so that Excel reads UTF-8 (council names such as "Ynys Môn").
    assert!(a.body.starts_with("slug,"), "{}", &a.body[..20]);
    let excel = get(&app, "/catalogue.csv?excel=1").await;
    assert_eq!(
        excel.header("content-type"),
        Some("text/csv; charset=utf-8")
    );
    assert_eq!(excel.body.strip_prefix('\u{FEFF}'), Some(a.body.as_str()));
    let mut reader = csv::Reader::from_reader(a.body.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header,
        [
            "slug",
            "name",
            "phase",
            "developmentStatus",
            "leadCouncil",
            "councils",
            "usedBy",
            "code",
            "service",
            "docs",
            "pitched",
            "lastNews",
            "url"
        ]
    );
    assert!(a.body.contains("\r\n"), "RFC 4180 line ends");
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    assert_eq!(rows.len(), 3, "only published projects");
    let evil = rows
        .iter()
        .find(|r| r[0] == "hyperlink-https-evil-example-x")
        .unwrap();
    assert_eq!(evil[1], "'=HYPERLINK(\"https://evil.example\",\"x\")");
    let bins = rows.iter().find(|r| r[0] == "bin-day-finder").unwrap();
    assert_eq!(
        bins[5],
        "Guildford Borough Council; Mole Valley District Council"
    );
    assert_eq!(bins[6], "Waverley Borough Council");
    assert_eq!(bins[7], "https://github.com/guildford/bins");
    assert_eq!(bins[9], "");
    assert_eq!(
        bins[12],
        "https://makers.example.gov.uk/catalogue/bin-day-finder"
    );
    for row in &rows {
        for cell in row {
            assert!(
                !cell.starts_with(['=', '+', '-', '@']),
                "a cell a spreadsheet would run: {cell}"
            );
        }
    }
}

/// Slack's desktop deep link (`slack://channel?team=…&id=…`) and its avatar host
/// (`ca.slack-edge.com/T…-U…-…`) hold a workspace's id and a channel's or a person's, as its
/// web addresses do: the page, the data and the search show them as words too (they were
/// shown as typed, the avatar linked; found by a review).
#[tokio::test]
async fn slack_deep_links_and_its_avatar_addresses_are_shown_as_words() {
    let app = catalogue_app().await;
    app.slash(
        GUILDFORD,
        CHANNEL,
        "edit 1 | Ask in slack://channel?team=T0123ABC&id=C0SECRET or see https://ca.slack-edge.com/T0123ABC-U0456DEF-abc-512",
    )
    .await;
    let page = get(&app, "/catalogue/bin-day-finder").await;
    assert!(
        page.body
            .contains("Ask in a link in Slack or see a link in Slack"),
        "{}",
        page.body
    );
    let data = get(&app, "/catalogue.json").await;
    for body in [&page.body, &data.body] {
        for id in ["T0123ABC", "C0SECRET", "U0456DEF", "slack-edge"] {
            assert!(!body.contains(id), "{id}: {body}");
        }
    }
    for id in ["T0123ABC", "C0SECRET", "U0456DEF"] {
        assert!(
            names_found(&app, &format!("q={id}")).await.is_empty(),
            "{id}"
        );
    }
}

#[tokio::test]
async fn the_page_escapes_every_title_and_the_project_page_tells_its_story() {
    let app = catalogue_app().await;
    app.slash(
        OUTSIDER,
        CHANNEL,
        "pitch <script>alert(1)</script> & <b>co</b> | <img src=x onerror=alert(2)>",
    )
    .await;
    app.slash(OUTSIDER, CHANNEL, "publish 4").await;
    let page = get(&app, "/catalogue").await;
    assert_eq!(page.status, 200);
    assert_eq!(
        page.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(
        page.header("content-security-policy")
            .unwrap()
            .contains("default-src 'none'")
    );
    let html = &page.body;
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;co&lt;/b&gt;"),
        "{html}"
    );
    assert!(!html.contains("<script") && !html.contains("<img") && !html.contains("<b>"));
    assert!(
        html.contains("<a href=\"catalogue/bin-day-finder\">Bin day finder</a>"),
        "{html}"
    );
    assert!(
        !html.contains("Secret staff rota"),
        "unpublished projects are absent"
    );
    for landmark in [
        "<a class=\"skip-link\" href=\"#main\">",
        "<main id=\"main\"",
        "<label for=\"q\">",
        "<label for=\"phase\">",
        "<label for=\"council\">",
        "<th scope=\"col\">Service</th>",
    ] {
        assert!(html.contains(landmark), "{landmark}");
    }

    let a = get(&app, "/catalogue/bin-day-finder").await;
    assert_eq!(a.status, 200);
    for shown in [
        "<h1>Bin day finder</h1><p><strong class=\"tag tag-beta\">Beta</strong></p>",
        "Guildford Borough Council, Mole Valley District Council",
        "<strong>Waverley Borough Council</strong>, since ",
        ": on our website (a link in Slack), ask someone",
        "Beta on ",
        ": passed assessment, thanks someone",
        "<a href=\"https://github.com/guildford/bins\" rel=\"external\">",
        "Live service",
    ] {
        assert!(a.body.contains(shown), "{shown}\n{}", a.body);
    }
    // A Slack address left as typed (in code, where the bot links nothing) holds a
    // channel's id: the page and the data show it as words too.
    app.slash(
        GUILDFORD,
        CHANNEL,
        "edit 1 | Notes in `https://councils.slack.com/archives/C0SECRET/p1700000000000100`",
    )
    .await;
    let page = get(&app, "/catalogue/bin-day-finder").await;
    let data = get(&app, "/catalogue/bin-day-finder.json").await;
    for body in [&page.body, &data.body] {
        assert!(!body.contains("C0SECRET"), "{body}");
    }
    let evil = get(&app, "/catalogue/script-alert-1-script-and-b-co-b").await;
    assert_eq!(evil.status, 200);
    assert!(
        evil.body.contains("&lt;img src=x onerror=alert(2)&gt;") && !evil.body.contains("<img")
    );
}

#[tokio::test]
async fn no_answer_holds_anything_personal() {
    let app = catalogue_app().await;
    // A Slack address recorded as a link by an earlier build (refused now) holds ids.
    app.db()
        .execute(
            "INSERT INTO project_links (project_id, kind, url, set_by, set_at)
             VALUES (1, 'docs', 'https://councils.slack.com/docs/T0001/C0MAKERS', 'U0GUILD', 1)",
            [],
        )
        .unwrap();
    // The bot asks Slack about someone who joins by reaction (users.info, which answers with
    // names and an e-mail address) before they join and their line is posted.
    let ts: String = app
        .db()
        .query_row(
            "SELECT announcement_ts FROM projects WHERE number = 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let mut reacted = crate::teams::reaction("EvCatJoin", OUTSIDER, "raised_hand", &ts, true);
    reacted["event"]["item"]["channel"] = CHANNEL.into();
    app.event(&reacted).await;
    // Slack's answer (their name, their e-mail) handled: they are a member now.
    eventually("the reactor a member", SHORT, || {
        crate::teams::is_member(&app, OUTSIDER).then_some(())
    })
    .await;
    let mut answers = Vec::new();
    for path in [
        "/catalogue",
        "/catalogue?q=bin",
        "/catalogue?council=Guildford+BC",
        "/catalogue/bin-day-finder",
        "/catalogue/parking-permit-renewals",
        "/catalogue.json",
        "/catalogue.csv",
        "/catalogue/bin-day-finder.json",
    ] {
        let a = get(&app, path).await;
        assert_eq!(a.status, 200, "{path}");
        answers.push((path, a.body));
    }
    let people = [GUILDFORD, MOLE, WAVERLEY, OUTSIDER];
    let mut forbidden: Vec<String> = vec![
        CHANNEL.into(),
        TEAM.into(),
        "roadrunner".into(),
        "sam.jones".into(),
        "@council.example".into(),
        "@guildford".into(),
    ];
    for id in people {
        forbidden.push(id.to_string());
        forbidden.push(format!("Real Name {id}"));
        forbidden.push(format!("Display {id}"));
        forbidden.push(format!("name-{id}"));
    }
    for (path, body) in &answers {
        for bad in &forbidden {
            assert!(!body.contains(bad.as_str()), "{path} holds {bad}");
        }
    }
}

/// A service re-used by many councils names five in its row and counts the rest (its page
/// names them all); filtered by a council, the row names that council first, so it says
/// why it is there.
#[tokio::test]
async fn a_rows_re_users_are_counted_past_five_and_a_filtered_council_comes_first() {
    // Waverley re-uses it already (`catalogue_app`): with these seven, eight in all.
    let app = catalogue_app().await;
    let councils = [
        "Kent County Council",
        "Surrey County Council",
        "Tandridge District Council",
        "Elmbridge Borough Council",
        "Runnymede Borough Council",
        "Spelthorne Borough Council",
        "Woking Borough Council",
    ];
    for (i, council) in councils.iter().enumerate() {
        let who = format!("U0RE{i}");
        app.slash(&who, CHANNEL, &format!("council {council}"))
            .await;
        let said = app.slash(&who, CHANNEL, "reuse 1").await.text();
        assert!(said.contains("re-use"), "{said}");
    }
    let row = |page: &str| -> String {
        let start = page.find("Bin day finder").unwrap();
        let cell = &page[start..];
        let from = cell.find("data-label=\"Re-used by\"").unwrap();
        let cell = &cell[from..];
        cell[..cell.find("</td>").unwrap()].to_string()
    };
    let all = get(&app, "/catalogue").await.body;
    let cell = row(&all);
    assert!(cell.contains(" and 3 more"), "{cell}");
    let filtered = get(&app, "/catalogue?council=Woking+BC").await.body;
    let cell = row(&filtered);
    assert!(
        cell.contains(">Woking Borough Council, ") && cell.contains(" and 3 more"),
        "{cell}"
    );
    let page = get(&app, "/catalogue/bin-day-finder").await.body;
    for council in councils {
        assert!(page.contains(council), "{council} on its page");
    }
}

/// A council filter naming no council in the catalogue says so, with the councils it may
/// have meant, rather than read as "this council has no services"; a council there with
/// nothing matching the other filters is not told it is unknown.
#[tokio::test]
async fn a_council_the_catalogue_does_not_know_is_said_to_be_so_with_near_names() {
    let app = catalogue_app().await;
    let slip = get(&app, "/catalogue?council=Guilford&phase=beta").await;
    assert_eq!(slip.status, 200);
    assert!(
        slip.body
            .contains("No council in the catalogue is called “Guilford”. Did you mean <a href=\"catalogue?phase=beta&amp;council=Guildford+Borough+Council\">Guildford Borough Council</a>?"),
        "{}",
        slip.body
    );
    let part = get(&app, "/catalogue?council=Mole").await;
    assert!(
        part.body
            .contains("Did you mean <a href=\"catalogue?council=Mole+Valley+District+Council\">"),
        "{}",
        part.body
    );
    let none_near = get(&app, "/catalogue?council=Atlantis").await;
    assert!(
        none_near
            .body
            .contains("No council in the catalogue is called “Atlantis”.")
            && !none_near.body.contains("Did you mean"),
        "{}",
        none_near.body
    );
    let known = get(&app, "/catalogue?council=Guildford+BC&phase=live").await;
    assert!(
        !known.body.contains("No council in the catalogue"),
        "{}",
        known.body
    );
}

#[tokio::test]
async fn filters_narrow_by_words_phase_and_council() {
    let app = catalogue_app().await;
    for (query, expected) in [
        ("q=find+my+bin+day", vec!["Bin day finder"]),
        ("q=parking", vec!["Parking permit renewals"]),
        ("q=rota", vec![]),
        // Every word must match: another word narrows, as the other filters do.
        ("q=parking+bin", vec![]),
        ("phase=beta", vec!["Bin day finder"]),
        ("phase=discovery", vec!["Parking permit renewals"]),
        // As the JSON's developmentStatus names it.
        ("phase=concept", vec!["Parking permit renewals"]),
        ("council=Waverley+BC", vec!["Bin day finder"]),
        (
            "council=mole+valley+district+council",
            vec!["Bin day finder", "Parking permit renewals"],
        ),
        ("council=Guildford+Borough+Council&phase=discovery", vec![]),
    ] {
        assert_eq!(names_found(&app, query).await, expected, "{query}");
    }
    // What is shown can be had as data too, filtered as shown.
    let html = get(&app, "/catalogue?council=Waverley+BC").await;
    assert!(
        html.body.contains(
            "These results as data: <a href=\"catalogue.json?council=Waverley+BC\">JSON</a>"
        ) && html
            .body
            .contains("<a href=\"catalogue.csv?council=Waverley+BC&amp;excel=1\">"),
        "{}",
        html.body
    );
    let csv = get(&app, "/catalogue.csv?council=Waverley+BC&excel=1").await;
    assert_eq!(csv.status, 200);
    assert!(
        csv.body.contains("Bin day finder") && !csv.body.contains("Parking permit"),
        "{}",
        csv.body
    );
    assert!(
        !get(&app, "/catalogue")
            .await
            .body
            .contains("These results as data")
    );
    let html = get(&app, "/catalogue?phase=beta").await;
    assert!(
        html.body.contains("1 of 2 services matches"),
        "{}",
        html.body
    );
    // The page loads anew: its title, read out first, says what the search found.
    assert!(
        html.body
            .contains("<title>1 of 2 services matches: Makers catalogue"),
        "{}",
        html.body
    );
    assert!(
        html.body
            .contains("<option value=\"beta\" selected>Beta</option>")
    );
    for data in ["/catalogue.json?phase=gamma", "/catalogue.csv?phase=gamma"] {
        let a = get(&app, data).await;
        assert_eq!(a.status, 400, "{data}");
        assert!(
            a.json()["error"]
                .as_str()
                .unwrap()
                .contains("Choose a phase"),
            "{data}"
        );
    }
    let bad = get(&app, "/catalogue?phase=gamma").await;
    assert_eq!(bad.status, 400);
    assert!(
        bad.body.contains("There is a problem")
            && bad.body.contains("Choose a phase from the list")
            && bad.body.contains("<title>Error: ")
            && bad.body.contains("href=\"#phase\"")
    );
    // Words with nothing searchable in them ("IT" is "it" to the index, a common word) are a
    // problem, not a search that every service matches.
    let words = get(&app, "/catalogue?q=IT").await;
    assert_eq!(words.status, 400);
    assert!(
        words.body.contains("href=\"#q\"")
            && words.body.contains("Enter a word of two letters or more")
            && words.body.contains("2 services</h2>")
            && !words.body.contains("services match"),
        "{}",
        words.body
    );
    // Every error at once, each at its field (GOV.UK's pattern), not one per try.
    let both = get(&app, "/catalogue?q=the&phase=gamma").await;
    assert_eq!(both.status, 400);
    for said in [
        "href=\"#q\">Enter a word of two letters or more",
        "href=\"#phase\">Choose a phase from the list",
        "id=\"q-error\"",
        "id=\"phase-error\"",
    ] {
        assert!(both.body.contains(said), "{said}: {}", both.body);
    }
    let a = get(&app, "/catalogue.json?q=the&phase=gamma").await;
    let error = a.json()["error"].as_str().unwrap().to_string();
    assert!(
        error.contains("Enter a word") && error.contains("Choose a phase"),
        "{error}"
    );
    for data in ["/catalogue.json?q=a", "/catalogue.csv?q=IT"] {
        let a = get(&app, data).await;
        assert_eq!(a.status, 400, "{data}");
        assert!(a.json()["error"].as_str().unwrap().contains("Enter a word"));
    }
    // Also once the whole list is cached (the words look for nothing, as no words do): a
    // 400 still, never the whole list nor a 304 for its ETag.
    for (whole, data) in [
        ("/catalogue.json", "/catalogue.json?q=the"),
        ("/catalogue.csv", "/catalogue.csv?q=the"),
        (
            "/catalogue.json?phase=live",
            "/catalogue.json?phase=live&q=it",
        ),
    ] {
        let listed = get(&app, whole).await;
        assert_eq!(listed.status, 200, "{whole}");
        let a = get(&app, data).await;
        assert_eq!(a.status, 400, "{data} after {whole}: {}", a.body);
    }
}

/// The public search finds a project only by words its page shows, and an address holds
/// nothing the page leaves out: not an e-mail address or an id in the stored text, not an
/// update (the catalogue shows none).
#[tokio::test]
async fn the_public_search_and_addresses_hold_only_what_is_shown() {
    let app = catalogue_app().await;
    app.slash(
        GUILDFORD,
        CHANNEL,
        "update 1 the confidential xylophonegate review",
    )
    .await;
    let found = |q: &'static str| {
        let app = &app;
        async move {
            let a = get(app, &format!("/catalogue.json?q={q}")).await;
            assert_eq!(a.status, 200, "{q}");
            a.json()["projects"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p["slug"].as_str().unwrap().to_string())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(
        found("postcode").await,
        ["bin-day-finder"],
        "shown words find it"
    );
    for hidden in ["sam", "jones", "u0guild", "xylophonegate", "confidential"] {
        assert!(found(hidden).await.is_empty(), "{hidden} found a project");
    }
    // A title naming someone by id alone, as builds before such titles were refused took it.
    app.slash(
        GUILDFORD,
        CHANNEL,
        "pitch Ask Guild about bins at jo@x.gov.uk",
    )
    .await;
    app.db()
        .execute(
            "UPDATE projects SET title = 'Ask <@U0GUILD> about bins at jo@x.gov.uk' WHERE number = 4",
            [],
        )
        .unwrap();
    let said = app.slash(GUILDFORD, CHANNEL, "publish 4").await.said();
    assert!(
        said.contains("/catalogue/ask-someone-about-bins-at-e-mail-removed"),
        "{said}"
    );
}

/// Behind a path prefix (`https://council.example/makers/`), every link must be relative,
/// also on the page a visitor meets after a project was unpublished; and a new installation's
/// empty catalogue does not ask them to clear filters they never set.
#[tokio::test]
async fn the_not_found_page_links_relatively_and_an_empty_catalogue_says_why() {
    let app = spawn_app().await;
    let empty = get(&app, "/catalogue").await;
    assert!(
        empty.body.contains("No service has been published yet"),
        "{}",
        empty.body
    );
    assert!(!empty.body.contains("Clear the filters"), "{}", empty.body);
    // With filters set too: clearing them would show nothing either.
    let filtered = get(&app, "/catalogue?q=bins&phase=beta").await;
    assert!(
        filtered.body.contains("No service has been published yet")
            && !filtered.body.contains("Clear the filters")
            && !filtered.body.contains("0 of 0"),
        "{}",
        filtered.body
    );
    let gone = get(&app, "/catalogue/gone").await;
    assert_eq!(gone.status, 404);
    assert!(
        gone.body.contains(r#"href="../catalogue""#),
        "{}",
        gone.body
    );
    assert!(!gone.body.contains(r#"href="/"#), "{}", gone.body);
}

/// An address an earlier build made from the title as typed, holding what the page hides
/// (a Slack id), moves at start to one made from the name as shown; ordinary ones stay.
#[tokio::test]
async fn addresses_that_named_people_move_at_start() {
    let app = spawn_app().await;
    app.slash(GUILDFORD, CHANNEL, "pitch Ask Priya about bins")
        .await;
    // As the first builds took it (a title naming someone by id alone is refused now).
    app.db()
        .execute(
            "UPDATE projects SET title = 'Ask <@U0PRIYA> about bins' WHERE number = 1",
            [],
        )
        .unwrap();
    app.slash(GUILDFORD, CHANNEL, "publish 1").await;
    app.slash(GUILDFORD, CHANNEL, "pitch Parking permits").await;
    app.slash(GUILDFORD, CHANNEL, "publish 2").await;
    // As the first builds made it.
    app.db()
        .execute(
            "UPDATE projects SET slug = 'ask-u0priya-about-bins' WHERE number = 1",
            [],
        )
        .unwrap();
    let app = app.restart().await;
    let slugs: Vec<String> = app
        .db()
        .prepare("SELECT slug FROM projects ORDER BY number")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(slugs, ["ask-someone-about-bins", "parking-permits"]);
    assert_eq!(
        get(&app, "/catalogue/ask-u0priya-about-bins").await.status,
        404
    );
}

/// A project whose title shows nothing in public (only `<!here>`) is "Untitled service" in
/// the data too, as on the pages: never an empty name in the JSON or the CSV.
#[tokio::test]
async fn a_title_that_shows_nothing_is_untitled_in_the_data_too() {
    let app = spawn_app().await;
    app.slash_as_sent("U0LONG", CHANNEL, "pitch <!here>").await;
    app.slash("U0LONG", CHANNEL, "publish 1").await;
    let doc = get(&app, "/catalogue.json").await.json();
    assert_eq!(doc["projects"][0]["name"], "Untitled service");
    let csv = get(&app, "/catalogue.csv").await.body;
    let row = csv.lines().nth(1).unwrap();
    assert!(row.split(',').nth(1) == Some("Untitled service"), "{row}");
}

/// What the public sees holds no e-mail address and no channel's name, also where builds
/// from before their refusal stored them: a council named by an e-mail address, a link
/// holding one. A link holding one is refused now, and a channel named in a description
/// (which may be a private one) is "a channel".
#[tokio::test]
async fn the_catalogue_shows_no_e_mail_address_nor_channel_name_stored_before() {
    let app = catalogue_app().await;
    let refused = app
        .slash(
            GUILDFORD,
            CHANNEL,
            "link 1 docs https://forms.example/f?owner=sam.jones@guildford.gov.uk",
        )
        .await
        .text();
    assert!(refused.contains("holds an e-mail address"), "{refused}");
    app.slash(
        GUILDFORD,
        CHANNEL,
        "edit 1 Bin day finder | Talk to us in <#C0HR|hr-restructure-2026>",
    )
    .await;
    let db = app.db();
    db.execute(
        "INSERT INTO councils (team_id, match_key, name, created_at)
         VALUES (?1, 'samjonesguildfordgovuk', 'sam.jones@guildford.gov.uk', 0)",
        [TEAM],
    )
    .unwrap();
    db.execute(
        "UPDATE projects SET pitcher_council_id = last_insert_rowid() WHERE number = 1",
        [],
    )
    .unwrap();
    // And as a re-user, listed with its note on the project's page.
    db.execute(
        "INSERT INTO reuses (project_id, council_id, note, said_by, said_in, created_at,
                             updated_at)
         SELECT p.id, c.id, 'we use it', 'U0X', ?1, 0, 0 FROM projects p, councils c
          WHERE p.number = 1 AND c.name = 'sam.jones@guildford.gov.uk'",
        [TEAM],
    )
    .unwrap();
    db.execute(
        "INSERT INTO project_links (project_id, kind, url, set_by, set_at)
         SELECT id, 'docs', 'https://forms.example/f?owner=sam.jones%40guildford.gov.uk',
                'U0GUILD', 0
           FROM projects WHERE number = 1",
        [],
    )
    .unwrap();
    let body = get(&app, "/catalogue/bin-day-finder").await.body;
    let json = get(&app, "/catalogue.json").await.body;
    let csv = get(&app, "/catalogue.csv").await.body;
    for (what, shown) in [("page", &body), ("json", &json), ("csv", &csv)] {
        assert!(!shown.contains("sam.jones"), "{what}: {shown}");
        assert!(!shown.contains("hr-restructure"), "{what}: {shown}");
    }
    assert!(json.contains("Talk to us in a channel"), "{json}");
}

/// What a team typed shows on the public pages as it looks in Slack: its emoji codes as the
/// emoji, its `*bold*`, `_italic_`, `~struck~` and `` `code` `` styled (escaped all the same);
/// the data, the name and a preview have the words without the markers. A `*` Slack shows as
/// typed stays so.
#[tokio::test]
async fn slack_formatting_shows_as_in_slack_and_the_data_has_the_words() {
    let app = spawn_app().await;
    app.slash("U0LONG", CHANNEL, "council Guildford").await;
    app.slash(
        "U0LONG",
        CHANNEL,
        "pitch *New* bin day finder :recycle: | *Now live* in _three_ councils :tada:\nRun `make test`, not ~this~ *<b>x</b>*. 5* rated",
    )
    .await;
    app.slash("U0LONG", CHANNEL, "phase 1 beta | passed :rocket:")
        .await;
    app.slash("U0LONG", CHANNEL, "publish 1").await;
    app.slash("U0OTHER", CHANNEL, "council Waverley").await;
    app.slash(
        "U0OTHER",
        CHANNEL,
        "reuse 1 | on our *website* :+1::skin-tone-3:",
    )
    .await;

    // Its address is made from the codes' words, as before emoji were shown.
    let page = get(&app, "/catalogue/new-bin-day-finder-recycle").await;
    assert_eq!(page.status, 200, "{}", page.body);
    let body = &page.body;
    for shown in [
        "<h1>New bin day finder ♻️</h1>",
        "<strong>Now live</strong> in <em>three</em> councils 🎉",
        "Run <code>make test</code>, not <del>this</del> <strong>&lt;b&gt;x&lt;/b&gt;</strong>. 5* rated",
        "passed 🚀",
        "on our <strong>website</strong> 👍🏼",
    ] {
        assert!(body.contains(shown), "{shown}: {body}");
    }
    assert!(
        !body.contains(":tada:") && !body.contains("*Now live*"),
        "{body}"
    );
    let preview = "content=\"Now live in three councils 🎉\"";
    assert!(body.contains(preview), "{body}");
    let list = get(&app, "/catalogue").await.body;
    assert!(list.contains(">New bin day finder ♻️</a>"), "{list}");
    assert!(
        list.contains("Now live in three councils 🎉</span>"),
        "{list}"
    );

    let doc = get(&app, "/catalogue.json").await.json();
    let p = &doc["projects"][0];
    assert_eq!(p["name"], "New bin day finder ♻️");
    assert_eq!(
        p["description"]["en"]["longDescription"],
        "Now live in three councils 🎉\nRun make test, not this <b>x</b>. 5* rated"
    );
    assert_eq!(
        p["description"]["en"]["shortDescription"],
        "Now live in three councils 🎉"
    );
    let csv = get(&app, "/catalogue.csv").await.body;
    assert!(csv.contains(",New bin day finder ♻️,"), "{csv}");

    // An address is linked as it is, underscores and all; a block of code keeps its blank
    // line and indent in one paragraph; an emoji code inside code is code.
    app.slash_as_sent(
        "U0LONG",
        CHANNEL,
        "pitch Docs finder | Guide: <https://docs.example/d/1A-_xY_-Bz/edit>\n```\nfn a() {\n\n    b()\n}\n```\n`:tada:` stays :flag-wales:",
    )
    .await;
    app.slash("U0LONG", CHANNEL, "publish 2").await;
    let body = get(&app, "/catalogue/docs-finder").await.body;
    for shown in [
        // Linked, as Slack links it.
        "Guide: <a href=\"https://docs.example/d/1A-_xY_-Bz/edit\" rel=\"external nofollow ugc\">https://docs.example/d/1A-_xY_-Bz/edit</a>",
        // (The line breaks just inside its fences are the fences', as Slack shows it.)
        "<code>fn a() {\n\n    b()\n}</code>",
        "<code>:tada:</code> stays 🏴",
    ] {
        assert!(body.contains(shown), "{shown}: {body}");
    }
    let doc = get(&app, "/catalogue/docs-finder.json").await.json();
    let long = doc["description"]["en"]["longDescription"]
        .as_str()
        .unwrap();
    assert!(
        long.starts_with(
            "Guide: https://docs.example/d/1A-_xY_-Bz/edit\nfn a() {\n\n    b()\n}\n:tada: stays"
        ),
        "{long}"
    );
}

/// An emoji code inside a web address is part of the address, as in Slack, which links it
/// as it is: SharePoint marks what it shares with `/:x:/` (Excel), `/:b:/` (PDF), `/:o:/`
/// and `/:v:/`, which were shown as ❌, 🅱️, ⭕ and ✌️, linking to a page that is not there.
#[tokio::test]
async fn an_emoji_code_inside_an_address_stays_part_of_it() {
    let app = spawn_app_setting("MAKERS_PUBLIC_URL", "https://makers.example.gov.uk").await;
    app.slash(GUILDFORD, CHANNEL, "council Guildford BC").await;
    app.slash_as_sent(
        GUILDFORD,
        CHANNEL,
        "pitch Bin data | The data: <https://council.sharepoint.com/:x:/s/Digital/EabcXYZ?e=aB1> :tada:\nMinutes https://council.sharepoint.com/:b:/s/Digital/Ef2 and <https://council.sharepoint.com/:v:/s/D/Eq|the video :v:>",
    )
    .await;
    app.slash(GUILDFORD, CHANNEL, "publish 1").await;
    let page = get(&app, "/catalogue/bin-data").await.body;
    for shown in [
        "href=\"https://council.sharepoint.com/:x:/s/Digital/EabcXYZ?e=aB1\"",
        ">https://council.sharepoint.com/:x:/s/Digital/EabcXYZ?e=aB1</a> 🎉",
        "href=\"https://council.sharepoint.com/:b:/s/Digital/Ef2\"",
        // A link's label is words, not an address: its code is the emoji, as Slack shows it.
        "the video ✌️",
    ] {
        assert!(page.contains(shown), "{shown}: {page}");
    }
    assert!(!page.contains('❌') && !page.contains("🅱"), "{page}");
    let json = get(&app, "/catalogue.json").await.json();
    let description = &json["projects"][0]["description"]["en"];
    for field in ["longDescription", "shortDescription"] {
        let text = description[field].as_str().unwrap();
        assert!(
            text.starts_with(
                "The data: https://council.sharepoint.com/:x:/s/Digital/EabcXYZ?e=aB1 🎉"
            ),
            "{field}: {text}"
        );
    }
    let feed = get(&app, "/catalogue.atom").await.body;
    assert!(
        feed.contains("https://council.sharepoint.com/:x:/s/Digital/EabcXYZ?e=aB1 🎉"),
        "{feed}"
    );
}

#[tokio::test]
async fn filtered_by_a_council_the_list_says_what_it_does_in_each_service_and_in_all() {
    let app = catalogue_app().await;
    let page = get(&app, "/catalogue?council=Mole+Valley").await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains(
            "<p>Of these services, Mole Valley District Council leads 1 and works on 1.</p>"
        ),
        "{}",
        page.body
    );
    // In a service's team only, named nowhere else in its row: said under its name. Where
    // it leads, its column says so.
    assert!(
        page.body
            .contains("<span class=\"hint role\">Mole Valley District Council works on it</span>")
            && page.body.matches("hint role").count() == 1,
        "{}",
        page.body
    );
    let page = get(&app, "/catalogue?council=Waverley+BC").await;
    assert!(
        page.body
            .contains("<p>Of these services, Waverley Borough Council re-uses 1.</p>")
            && !page.body.contains("hint role"),
        "{}",
        page.body
    );
    // Without a council filter, no such line.
    let page = get(&app, "/catalogue").await;
    assert!(
        !page.body.contains("Of these services") && !page.body.contains("hint role"),
        "{}",
        page.body
    );
}

/// An address whose scheme a phone capitalised (`Https://`) is an address all the same: the
/// form links it as Slack does, and every public answer shows it without Slack's brackets,
/// linked on the page to where it points.
#[tokio::test]
async fn an_address_with_a_capitalised_scheme_shows_as_an_address() {
    let app = spawn_app().await;
    app.slash("U0LONG", CHANNEL, "council Guildford").await;
    let fields = serde_json::json!({
        "title": crate::forms::text("Bin day finder"),
        "description": crate::forms::text("Docs: Https://bins.example/docs"),
    });
    let a = app
        .interact(&crate::forms::submission("U0LONG", CHANNEL, fields))
        .await;
    assert_eq!((a.status.as_u16(), a.body.as_str()), (200, ""));
    let stored: String = app
        .db()
        .query_row("SELECT description FROM projects", [], |r| r.get(0))
        .unwrap();
    assert_eq!(stored, "Docs: <Https://bins.example/docs>");
    app.slash("U0LONG", CHANNEL, "publish 1").await;

    let page = get(&app, "/catalogue/bin-day-finder").await;
    assert_eq!(page.status, 200, "{}", page.body);
    let linked = "Docs: <a href=\"Https://bins.example/docs\" rel=\"external nofollow ugc\">Https://bins.example/docs</a>";
    assert!(page.body.contains(linked), "{}", page.body);
    let doc = get(&app, "/catalogue.json").await.json();
    let description = &doc["projects"][0]["description"]["en"];
    assert_eq!(
        description["longDescription"],
        "Docs: Https://bins.example/docs"
    );
    assert_eq!(
        description["shortDescription"],
        "Docs: Https://bins.example/docs"
    );
    // (The CSV has no description.)
    for path in ["/catalogue", "/catalogue.atom"] {
        let body = get(&app, path).await.body;
        assert!(
            body.contains("Docs: Https://bins.example/docs"),
            "{path}: {body}"
        );
        assert!(
            !body.contains("Https://bins.example/docs&gt;"),
            "{path}: {body}"
        );
        assert!(
            !body.contains("Https://bins.example/docs>"),
            "{path}: {body}"
        );
    }
}
