//! The catalogue bench's database: councils, people, and 10,000 published projects with
//! realistic titles and descriptions, members, phase histories, re-uses, links and 100,000
//! updates, made the same on every run.

use std::collections::HashSet;

use makers_bot::domain::{CouncilName, Slug, Title};
use rusqlite::params;

pub const PROJECTS: i64 = 10_000;
pub const UPDATES: i64 = 100_000;
const PEOPLE: i64 = 3_000;
const YEAR: i64 = 365 * 86_400;
const NOW: i64 = 1_795_424_400; // Monday 23 November 2026, 09:00 London

const COUNCILS: &[&str] = &[
    "Guildford Borough Council",
    "Kent County Council",
    "Leeds City Council",
    "Bristol City Council",
    "Norfolk County Council",
    "London Borough of Hackney",
    "Camden Council",
    "Derby City Council",
    "City of York Council",
    "Bath and North East Somerset Council",
    "Hull City Council",
    "Wirral Council",
    "Dorset Council",
    "Cornwall Council",
    "Suffolk County Council",
    "Durham County Council",
    "Rutland County Council",
    "Medway Council",
    "Swindon Borough Council",
    "Oxford City Council",
    "Stockport Metropolitan Borough Council",
    "Salford City Council",
];
const SERVICES: &[&str] = &[
    "Bin collection",
    "Missed bin",
    "Garden waste",
    "Bulky waste",
    "Parking permit",
    "Blue badge",
    "Council tax",
    "Business rates",
    "Housing repair",
    "Damp and mould",
    "School admission",
    "Free school meals",
    "Pothole",
    "Street light",
    "Fly-tipping",
    "Noise complaint",
    "Planning application",
    "Tree preservation",
    "Library",
    "Leisure centre",
    "Electoral register",
    "FOI request",
    "Licensing",
    "Adult social care",
    "Care leaver",
    "Homelessness",
    "Warm spaces",
    "Food bank",
    "Allotment",
    "Burial & cremation",
];
const KINDS: &[&str] = &[
    "finder",
    "tracker",
    "booking",
    "renewals",
    "reporting tool",
    "payments",
    "eligibility checker",
    "dashboard",
    "chatbot",
    "API",
    "form builder",
    "portal",
    "reminder texts",
    "case triage",
    "data pipeline",
];
const AUDIENCES: &[&str] = &[
    "residents",
    "tenants",
    "families",
    "businesses",
    "carers",
    "contact centre staff",
    "caseworkers",
    "councillors",
];
const PHASES: &[&str] = &["discovery", "alpha", "beta", "live", "retired"];

/// A small deterministic generator (xorshift), so every run builds the same catalogue.
pub struct Rng(pub u64);

impl Rng {
    pub fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }

    pub fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[self.below(from.len())]
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

/// Councils, people, and the projects with everything the catalogue shows; returns the slug of
/// a project whose page has re-uses, links and a phase history.
pub fn seed(tx: &rusqlite::Transaction) -> anyhow::Result<Slug> {
    let mut rng = Rng(0x5eed_cafe_f00d);
    for (i, name) in COUNCILS.iter().enumerate() {
        let key = CouncilName::parse(name).map_err(|e| anyhow::anyhow!("{name}: {e:?}"))?;
        tx.execute(
            "INSERT INTO councils (id, team_id, match_key, name, created_at)
             VALUES (?1, 'T1', ?2, ?3, ?4)",
            params![i as i64 + 1, key.key(), name, NOW - YEAR],
        )?;
    }
    let mut person = tx.prepare(
        "INSERT INTO people (team_id, user_id, council_id, is_bot, updated_at)
         VALUES ('T1', ?1, ?2, 0, ?3)",
    )?;
    for p in 0..PEOPLE {
        // Most people have said their council.
        let said = rng.chance(80).then(|| council(&mut rng));
        person.execute(params![format!("U{p:05}"), said, NOW - YEAR])?;
    }

    let mut project = tx.prepare(
        "INSERT INTO projects (id, team_id, number, title, description, phase, pitcher,
             channel_id, announcement_ts, created_at, updated_at, last_activity_at,
             pitcher_council_id, slug, published_at)
         VALUES (?1, 'T1', ?1, ?2, ?3, ?4, ?5, 'C0MAKERS', ?6, ?7, ?7, ?7, ?8, ?9, ?10)",
    )?;
    let mut member = tx.prepare(
        "INSERT OR IGNORE INTO members (project_id, user_id, joined_at) VALUES (?1, ?2, ?3)",
    )?;
    let mut reuse = tx.prepare(
        "INSERT OR IGNORE INTO reuses (project_id, council_id, note, said_by, created_at,
             updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
    )?;
    let mut link = tx.prepare(
        "INSERT INTO project_links (project_id, kind, url, set_by, set_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    let mut change = tx.prepare(
        "INSERT INTO phase_changes (project_id, from_phase, to_phase, note, changed_by,
             changed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    let mut slugs = HashSet::new();
    let mut showcase = None;
    for id in 1..=PROJECTS {
        let (title, service, kind, lead) = titled(&mut rng);
        let description = describe(&mut rng, service, kind);
        let created = NOW - YEAR + id * (YEAR - 30 * 86_400) / PROJECTS;
        // Phases as a young programme has them: most early on, a few live or retired.
        let phase = match rng.below(100) {
            0..35 => 0,
            35..60 => 1,
            60..80 => 2,
            80..95 => 3,
            _ => 4,
        };
        let base = Slug::from_title(&Title::parse(&title).map_err(|e| anyhow::anyhow!("{e:?}"))?);
        let mut slug = base.clone();
        let mut n = 1;
        while !slugs.insert(slug.as_str().to_string()) {
            n += 1;
            slug = base.numbered(n);
        }
        let pitcher = format!("U{:05}", rng.below(PEOPLE as usize));
        project.execute(params![
            id,
            title,
            description,
            PHASES[phase],
            pitcher,
            format!("{created}.{id:06}"),
            created,
            rng.chance(85).then_some(lead),
            slug.as_str(),
            created + 86_400 * (1 + rng.below(20) as i64),
        ])?;
        member.execute(params![id, pitcher, created])?;
        for k in 0..rng.below(5) {
            let who = format!("U{:05}", rng.below(PEOPLE as usize));
            member.execute(params![id, who, created + 3_600 * (k as i64 + 1)])?;
        }
        for step in 0..phase {
            let note = match rng.below(3) {
                0 => String::new(),
                1 => format!("Tested with {} {}", 5 + rng.below(20), rng.pick(AUDIENCES)),
                _ => "Service assessment passed; thanks to <@U00042> and the team".into(),
            };
            let at = created + (step as i64 + 1) * 20 * 86_400;
            change.execute(params![
                id,
                PHASES[step],
                PHASES[step + 1],
                note,
                pitcher,
                at
            ])?;
        }
        let reusers = if phase >= 2 && rng.chance(40) {
            1 + rng.below(4)
        } else {
            0
        };
        for _ in 0..reusers {
            let note = match rng.below(3) {
                0 => String::new(),
                1 => "Live for our residents since the spring".to_string(),
                _ => format!(
                    "Adapted for {}; ask jo.bloggs@example.gov.uk",
                    rng.pick(AUDIENCES)
                ),
            };
            reuse.execute(params![
                id,
                council(&mut rng),
                note,
                pitcher,
                created + 90 * 86_400
            ])?;
        }
        let mut links = 0;
        for (kind, percent, url) in [
            (
                "code",
                50,
                format!("https://github.com/council-makers/{slug}"),
            ),
            (
                "service",
                25,
                format!("https://{slug}.example.gov.uk/start"),
            ),
            ("docs", 15, format!("https://docs.example.gov.uk/{slug}")),
        ] {
            if rng.chance(percent) {
                link.execute(params![id, kind, url, pitcher, created + 86_400])?;
                links += 1;
            }
        }
        if showcase.is_none() && reusers >= 2 && links >= 2 && phase >= 3 {
            showcase = Some(slug.clone());
        }
    }

    let mut update = tx.prepare(
        "INSERT INTO updates (project_id, author, body, created_at) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for i in 0..UPDATES {
        let project = 1 + rng.below(PROJECTS as usize) as i64;
        let body = match rng.below(4) {
            0 => format!(
                "Sprint {}: user research with {}",
                i % 40,
                rng.pick(AUDIENCES)
            ),
            1 => "Shipped the accessibility fixes from the audit".to_string(),
            2 => format!(
                "Met <@U{:05}> about hosting; costs look fine",
                rng.below(3000)
            ),
            _ => format!("{} numbers are up this week", rng.pick(SERVICES)),
        };
        let at = NOW - YEAR + i * YEAR / UPDATES;
        update.execute(params![project, "U00001", body, at])?;
    }
    tx.execute_batch(
        "UPDATE projects SET last_activity_at = MAX(last_activity_at,
             COALESCE((SELECT MAX(created_at) FROM updates u WHERE u.project_id = projects.id), 0));
         -- Rows written here note themselves for the search indexes, as the store's inserts
         -- do (migration 0023); they are indexed at this transaction's commit.
         INSERT INTO search_pending (project_id, fresh) SELECT id, 1 FROM projects;
         INSERT INTO update_search_pending (update_id, fresh) SELECT id, 1 FROM updates;
         -- A few retired ones merged into the next (`merge`): every list reads them.
         INSERT INTO project_merges (project_id, into_id, merged_at)
             SELECT id, id + 1, last_activity_at FROM projects
              WHERE phase = 'retired' AND id % 3 = 0
                AND id + 1 IN (SELECT id FROM projects);",
    )?;
    showcase.ok_or_else(|| anyhow::anyhow!("no project with re-uses, links and history"))
}

/// A title as councils write them: a service and a kind of thing, now and then for someone,
/// or with a council's name; with its service, kind and lead council's id.
fn titled(rng: &mut Rng) -> (String, &'static str, &'static str, i64) {
    let (service, kind) = (rng.pick(SERVICES), rng.pick(KINDS));
    let lead = council(rng);
    let title = match rng.below(4) {
        0 => format!("{service} {kind}"),
        1 => format!("{service} {kind} for {}", rng.pick(AUDIENCES)),
        2 => format!("{} {service} {kind}", short_name(lead)),
        _ => format!(
            "{service} {kind} (shared with {})",
            short_name(council(rng))
        ),
    };
    (title, service, kind, lead)
}

/// A title made as the seeded ones are.
pub fn title(rng: &mut Rng) -> String {
    titled(rng).0
}

/// A council's id.
fn council(rng: &mut Rng) -> i64 {
    rng.below(COUNCILS.len()) as i64 + 1
}

/// "Guildford" for "Guildford Borough Council".
fn short_name(council_id: i64) -> &'static str {
    let name = COUNCILS[(council_id - 1) as usize];
    let name = name.strip_prefix("London Borough of ").unwrap_or(name);
    name.strip_prefix("City of ")
        .unwrap_or(name)
        .split(' ')
        .next()
        .unwrap_or(name)
}

/// A pitch's description: a sentence or three, sometimes a second paragraph, now and then a
/// mention, a channel or an e-mail address (which the catalogue must not show).
fn describe(rng: &mut Rng, service: &str, kind: &str) -> String {
    let service = service.to_lowercase();
    let mut text = format!(
        "A {kind} that lets {} sort out {service} online, without phoning the contact centre.",
        rng.pick(AUDIENCES)
    );
    if rng.chance(60) {
        text.push_str(&format!(
            " Built with {} from {} councils, on open standards, so any council can run it.",
            rng.pick(AUDIENCES),
            2 + rng.below(6)
        ));
    }
    // Slack's emoji codes and styles, as teams type them (the pages show them styled).
    if rng.chance(20) {
        text.push_str(" :tada: *Live* in _two_ councils, see `docs/setup.md` :white_check_mark:");
    }
    match rng.below(10) {
        0 => text.push_str(" Ask <@U00077> or <#C0MAKERS|makers> for a demo."),
        1 => text.push_str(" Questions to digital.team@example.gov.uk please."),
        2 => text.push_str(" See <https://example.gov.uk/blog|our blog post> for the story."),
        _ => {}
    }
    if rng.chance(30) {
        text.push_str(&format!(
            "\n\nNext: a {} for {service}, and moving hosting to the shared platform.",
            rng.pick(KINDS)
        ));
    }
    text
}
