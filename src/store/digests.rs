//! Digest subscriptions, and the snapshot of one workspace's news in a period that the pure
//! composer turns into a digest.

use std::collections::{HashMap, HashSet};

use chrono::Weekday;
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::doing;
use super::people::{join_council, own_person};

use crate::domain::{
    ChannelId, DigestSnapshot, JoinItem, Makeup, MessageTs, OpenProject, Period, Phase, PhaseItem,
    PitchItem, ProjectNumber, ProjectRef, ReuseItem, Slug, TeamId, Title, UpdateItem, UserId,
    WeeklyTime,
};

/// A channel's subscription.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    pub team: TeamId,
    pub channel: ChannelId,
    pub when: WeeklyTime,
    /// The scheduled instant last handled (unix seconds).
    pub last_due_at: i64,
    /// Where the next digest's period starts.
    pub sent_until: i64,
}

/// Subscribes (or re-times) a channel. A new subscription's first period starts at
/// `sub.sent_until`; one stopped with `digest off` and started again starts where its last
/// digest ended, if that is later, so nothing sent is listed twice.
/// `by` is who said so, told if Slack later refuses the digest there (`None`: the bot's
/// invitation started it again, and whoever turned it on stays).
pub fn subscribe(
    conn: &Connection,
    sub: &Subscription,
    by: Option<&UserId>,
    now: i64,
) -> anyhow::Result<()> {
    doing("cannot subscribe the channel to the digest", || {
        conn.prepare_cached(
            "INSERT INTO digest_subscriptions
                 (team_id, channel_id, weekday, minute_of_day, created_at, last_due_at, sent_until,
                  subscribed_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT (team_id, channel_id) DO UPDATE
                 SET weekday = ?3, minute_of_day = ?4, last_due_at = ?6,
                     sent_until = MAX(sent_until, ?7), stopped_at = NULL, lost_at = NULL,
                     subscribed_by = COALESCE(?8, subscribed_by), refusal_told_at = NULL,
                     -- Turned on again after `digest off`: starts afresh, as a new
                     -- subscription (the bot may have been taken out meanwhile).
                     posted = CASE WHEN stopped_at IS NULL THEN posted ELSE 0 END",
        )?
        .execute(params![
            sub.team.as_str(),
            sub.channel.as_str(),
            sub.when.weekday.number_from_monday(),
            sub.when.minute,
            now,
            sub.last_due_at,
            sub.sent_until,
            by.map(UserId::as_str)
        ])?;
        Ok(())
    })
}

/// Whether a digest of the channel's subscription has been posted there (`0029`).
pub fn digest_posted_in(
    conn: &Connection,
    team: &TeamId,
    channel: &ChannelId,
) -> anyhow::Result<bool> {
    doing("cannot read the channel's digest subscription", || {
        Ok(conn
            .prepare_cached(
                "SELECT posted FROM digest_subscriptions WHERE team_id = ?1 AND channel_id = ?2",
            )?
            .query_row(params![team.as_str(), channel.as_str()], |r| r.get(0))
            .optional()?
            .unwrap_or(false))
    })
}

/// Notes that a digest was posted in the channel (see [`digest_posted_in`]).
pub fn note_digest_posted(
    conn: &Connection,
    team: &TeamId,
    channel: &ChannelId,
) -> anyhow::Result<()> {
    doing("cannot note the digest posted", || {
        conn.prepare_cached(
            "UPDATE digest_subscriptions SET posted = 1, refusal_told_at = NULL
             WHERE team_id = ?1 AND channel_id = ?2
               AND (posted = 0 OR refusal_told_at IS NOT NULL)",
        )?
        .execute(params![team.as_str(), channel.as_str()])?;
        Ok(())
    })
}

/// Stops a channel's digest (`digest off`), keeping where its last digest ended; false if it
/// was not subscribed. One stopped for the bot's loss of the channel stays stopped, now by
/// `digest off`: the bot's invitation no longer brings it back.
pub fn stop_subscription(
    conn: &Connection,
    team: &TeamId,
    channel: &ChannelId,
    now: i64,
) -> anyhow::Result<bool> {
    doing("cannot stop the channel's digest", || {
        Ok(conn
            .prepare_cached(
                "UPDATE digest_subscriptions SET stopped_at = COALESCE(stopped_at, ?3), lost_at = NULL,
                        subscribed_by = NULL, refusal_told_at = NULL
                 WHERE team_id = ?1 AND channel_id = ?2
                   AND (stopped_at IS NULL OR lost_at IS NOT NULL)",
            )?
            .execute(params![team.as_str(), channel.as_str(), now])?
            == 1)
    })
}

/// Deletes the digests queued for `channel` and not yet posted (owed, or parked for an
/// invitation): the digest was turned off. Where the earliest of them began, if any. One
/// the outbox worker holds at this moment may still go out.
pub fn drop_queued_digests(
    conn: &Connection,
    team: &TeamId,
    channel: &ChannelId,
) -> anyhow::Result<Option<i64>> {
    doing("cannot drop the channel's queued digests", || {
        let kind = super::outbox::notice_field("kind");
        let from = super::outbox::notice_field("digest.from");
        let mut earliest: Option<i64> = None;
        // Where each began, as it goes.
        for rows in super::outbox::owed_then_parked() {
            let mut stmt = conn.prepare_cached(&format!(
                "DELETE FROM outbox
                  WHERE team_id = ?1 AND channel_id = ?2 AND {rows} AND {kind} = 'digest'
                  RETURNING {from}"
            ))?;
            let froms = stmt.query_map(params![team.as_str(), channel.as_str()], |r| {
                r.get::<_, Option<i64>>(0)
            })?;
            for from in froms {
                earliest = earliest.into_iter().chain(from?).min();
            }
        }
        Ok(earliest)
    })
}

/// A channel's subscription, and when it was stopped, if it is (`digest off` keeps the row).
pub fn subscription_kept(
    conn: &Connection,
    team: &TeamId,
    channel: &ChannelId,
) -> anyhow::Result<Option<(Subscription, Option<i64>)>> {
    doing("cannot read the channel's digest subscription", || {
        conn.query_row(
            &format!(
                "SELECT {SUB_COLUMNS}, stopped_at FROM digest_subscriptions
                 WHERE team_id = ?1 AND channel_id = ?2"
            ),
            params![team.as_str(), channel.as_str()],
            |r| {
                let stopped: Option<i64> = r.get(6)?;
                Ok(subscription_row(r)?.map(|sub| (sub, stopped)))
            },
        )
        .optional()
        .map(Option::flatten)
    })
}

/// Stops a channel's subscription for the bot's loss of the channel (a digest Slack refused
/// for good: the bot taken out, the channel archived), noting it (`0036`): the bot's
/// invitation starts it again ([`lost_subscription`]). `unsent_from`: where the digest that
/// could not be posted began, whose period is then owed. False if it was not running.
pub fn lose_subscription(
    conn: &Connection,
    team: &TeamId,
    channel: &ChannelId,
    unsent_from: Option<i64>,
    now: i64,
) -> anyhow::Result<bool> {
    doing("cannot stop the channel's digest", || {
        Ok(conn
            .prepare_cached(
                "UPDATE digest_subscriptions
                    SET stopped_at = ?3, lost_at = ?3, sent_until = MIN(sent_until, COALESCE(?4, sent_until)),
                        refusal_told_at = NULL
                  WHERE team_id = ?1 AND channel_id = ?2 AND stopped_at IS NULL",
            )?
            .execute(params![team.as_str(), channel.as_str(), now, unsent_from])?
            == 1)
    })
}

/// Runs on again the channel's subscription lost for a digest refused at its old id as to a
/// channel gone (`channel_not_found`), its change of id not yet recorded (see
/// `handlers::channel_id_changed`): the bot is in the channel. The refused digest is owed as
/// if it had not been queued: its period from where it began (`lose_subscription` kept it),
/// and its time not yet handled, so the scheduler posts it at the next tick, at the new id.
/// Only a subscription lost by that very refusal (failed as it was lost): a loss for another
/// reason waits for an invitation, as ever. Whether it was one.
pub fn digest_refused_at_old_id(
    conn: &Connection,
    team: &TeamId,
    channel: &ChannelId,
) -> anyhow::Result<bool> {
    doing(
        "cannot owe the digest refused at the channel's old id",
        || {
            let refused = format!(
                "EXISTS (SELECT 1 FROM outbox o WHERE o.team_id = ?1 AND o.channel_id = ?2
                        AND o.delivered_at IS NULL AND o.failed_at = digest_subscriptions.lost_at
                        AND o.last_error LIKE 'channel_not_found;%' AND {} = 'digest')",
                super::outbox::notice_field_of("o.notice", "kind")
            );
            Ok(conn
                .prepare_cached(&format!(
                    "UPDATE digest_subscriptions
                    SET stopped_at = NULL, lost_at = NULL, refusal_told_at = NULL,
                        last_due_at = MIN(last_due_at, sent_until)
                  WHERE team_id = ?1 AND channel_id = ?2 AND lost_at IS NOT NULL AND {refused}"
                ))?
                .execute(params![team.as_str(), channel.as_str()])?
                == 1)
        },
    )
}

/// Who subscribed the channel to the digest, to be told that Slack refused it there: once
/// for a run of refusals (noted now), and not if they were forgotten or nobody is recorded.
pub fn subscriber_to_tell_of_refusal(
    conn: &Connection,
    team: &TeamId,
    channel: &ChannelId,
    now: i64,
) -> anyhow::Result<Option<UserId>> {
    let by: Option<String> = doing("cannot note the digest's subscriber told", || {
        conn.prepare_cached(
            "UPDATE digest_subscriptions SET refusal_told_at = ?3
              WHERE team_id = ?1 AND channel_id = ?2 AND subscribed_by IS NOT NULL
                AND refusal_told_at IS NULL
                -- Running, or stopped just now for the bot's loss of the channel: not
                -- turned off, which a digest queued before it may still meet.
                AND (stopped_at IS NULL OR lost_at IS NOT NULL)
          RETURNING subscribed_by",
        )?
        .query_row(params![team.as_str(), channel.as_str(), now], |r| r.get(0))
        .optional()
    })?;
    Ok(by
        .and_then(|by| UserId::parse(&by))
        .filter(|by| !by.is_forgotten()))
}

/// Whether the channel's subscription was stopped for the bot's loss of the channel.
pub fn lost_subscription(
    conn: &Connection,
    team: &TeamId,
    channel: &ChannelId,
) -> anyhow::Result<bool> {
    doing("cannot read the channel's digest subscription", || {
        conn.prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM digest_subscriptions
                             WHERE team_id = ?1 AND channel_id = ?2 AND lost_at IS NOT NULL)",
        )?
        .query_row(params![team.as_str(), channel.as_str()], |r| r.get(0))
    })
}

const SUB_COLUMNS: &str = "team_id, channel_id, weekday, minute_of_day, last_due_at, sent_until";

fn subscription_row(r: &Row<'_>) -> rusqlite::Result<Option<Subscription>> {
    let (team, channel): (String, String) = (r.get(0)?, r.get(1)?);
    let weekday = match r.get::<_, u32>(2)? {
        n @ 1..=7 => Weekday::try_from((n - 1) as u8).ok(),
        _ => None,
    };
    let minute: u16 = r.get(3)?;
    Ok((|| {
        Some(Subscription {
            team: TeamId::parse(&team)?,
            channel: ChannelId::parse(&channel)?,
            when: WeeklyTime::new(weekday?, minute)?,
            last_due_at: r.get(4).ok()?,
            sent_until: r.get(5).ok()?,
        })
    })())
}

/// A channel's subscription, unless it is stopped.
pub fn subscription(
    conn: &Connection,
    team: &TeamId,
    channel: &ChannelId,
) -> anyhow::Result<Option<Subscription>> {
    Ok(subscription_kept(conn, team, channel)?
        .filter(|(_, stopped)| stopped.is_none())
        .map(|(sub, _)| sub))
}

/// A channel's subscriptions in every workspace that has one (for the command line): a
/// channel shared between organisations has one id in both, and each may subscribe it.
pub fn subscriptions_of_channel(
    conn: &Connection,
    channel: &ChannelId,
) -> anyhow::Result<Vec<Subscription>> {
    doing("cannot read the channel's digest subscriptions", || {
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {SUB_COLUMNS} FROM digest_subscriptions
             WHERE channel_id = ?1 AND stopped_at IS NULL ORDER BY team_id"
        ))?;
        let rows = stmt.query_map(params![channel.as_str()], subscription_row)?;
        let mut subs = Vec::new();
        for row in rows {
            subs.extend(row?);
        }
        Ok(subs)
    })
}

/// Every running subscription of a workspace that has not removed the app (its digests
/// could not be posted, and it may install again: then they start again, as nudges do).
pub fn all_subscriptions(conn: &Connection) -> anyhow::Result<Vec<Subscription>> {
    doing("cannot read the digest subscriptions", || {
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {SUB_COLUMNS} FROM digest_subscriptions WHERE stopped_at IS NULL
               AND team_id NOT IN (SELECT team_id FROM removed_workspaces)
             ORDER BY team_id, channel_id"
        ))?;
        let rows = stmt.query_map([], subscription_row)?;
        rows.filter_map(|r| r.transpose()).collect()
    })
}

/// A digest from `from` that Slack refused (posting restricted in the channel, say) is owed:
/// the channel's next digest starts there, so the refused week's news is not lost. The
/// subscription runs on.
pub fn owe_digest_from(
    conn: &Connection,
    team: &TeamId,
    channel: &ChannelId,
    from: i64,
) -> anyhow::Result<()> {
    doing("cannot owe the refused digest", || {
        conn.prepare_cached(
            "UPDATE digest_subscriptions SET sent_until = MIN(sent_until, ?3)
              WHERE team_id = ?1 AND channel_id = ?2",
        )?
        .execute(params![team.as_str(), channel.as_str(), from])?;
        Ok(())
    })
}

/// The digest from `from` to `to`, taken back by `digest off` (its week owed) while Slack was
/// posting it, went out after all: its week is no longer owed, should the digest be turned on
/// again. Only where it is the week owed (a later one's owing starts before it).
pub fn digest_went_out_after_all(
    conn: &Connection,
    team: &TeamId,
    channel: &ChannelId,
    (from, to): (i64, i64),
) -> anyhow::Result<()> {
    doing("cannot record the digest as sent after all", || {
        conn.prepare_cached(
            "UPDATE digest_subscriptions SET sent_until = ?4
              WHERE team_id = ?1 AND channel_id = ?2 AND sent_until = ?3",
        )?
        .execute(params![team.as_str(), channel.as_str(), from, to])?;
        Ok(())
    })
}

/// Records that the digest up to `sent_until` (scheduled at `due`, if it was) went out.
pub fn mark_digest_sent(
    conn: &Connection,
    team: &TeamId,
    channel: &ChannelId,
    due: Option<i64>,
    sent_until: i64,
) -> anyhow::Result<()> {
    doing("cannot record the digest as sent", || {
        conn.prepare_cached(
            "UPDATE digest_subscriptions
             SET sent_until = ?3, last_due_at = COALESCE(?4, last_due_at)
             WHERE team_id = ?1 AND channel_id = ?2",
        )?
        .execute(params![team.as_str(), channel.as_str(), sent_until, due])?;
        Ok(())
    })
}

/// Everything the composer needs about `team` for `[from, to)`, but projects `hidden` (a
/// private channel's, in another channel's digest): left out of its lists, and their teams
/// of its headline's people, which are those of the open projects it counts.
pub fn digest_snapshot(
    conn: &Connection,
    team: &TeamId,
    period: Period,
    hidden: &HashSet<ProjectNumber>,
) -> anyhow::Result<DigestSnapshot> {
    let t = team.as_str();
    let Makeup { people, councils } = super::report::makeup_shown(conn, team, hidden, period.to)?;
    let mut snapshot = DigestSnapshot {
        new_pitches: new_pitches(conn, t, period)?,
        joins: joins(conn, t, period)?,
        updates: updates(conn, t, period)?,
        phase_changes: phase_changes(conn, t, period)?,
        reuses: reuses(conn, t, period)?,
        council_moves: super::reuses::council_moves(conn, period, None)?.by_council,
        open_projects: open_projects(conn, t, period)?,
        people,
        councils,
        published_elsewhere: super::published_elsewhere_in(conn, team, period)?,
    };
    snapshot.leave_out(hidden);
    with_catalogue_slugs(conn, t, &mut snapshot)?;
    Ok(snapshot)
}

/// Marks every project of the snapshot that is in the public catalogue with its slug (one
/// query for the workspace, rather than a column more in every section's query).
fn with_catalogue_slugs(conn: &Connection, t: &str, s: &mut DigestSnapshot) -> anyhow::Result<()> {
    let slugs: HashMap<u32, Slug> = rows(
        conn,
        Section {
            name: "catalogue",
            team: t,
        },
        "SELECT number, slug FROM projects WHERE team_id = ?1 AND published_at IS NOT NULL",
        params![t],
        |r| Ok((r.get(0)?, Slug::from_stored(r.get(1)?))),
    )?
    .into_iter()
    .collect();
    if slugs.is_empty() {
        return Ok(());
    }
    let refs = s
        .new_pitches
        .iter_mut()
        .map(|i| &mut i.project)
        .chain(s.joins.iter_mut().map(|i| &mut i.project))
        .chain(s.updates.iter_mut().map(|i| &mut i.project))
        .chain(s.phase_changes.iter_mut().map(|i| &mut i.project))
        .chain(s.reuses.iter_mut().map(|i| &mut i.project))
        .chain(s.open_projects.iter_mut().map(|i| &mut i.project));
    for project in refs {
        project.published = slugs.get(&project.number.get()).cloned();
    }
    Ok(())
}

/// Projects pitched in the period, newest first; not one retired since (a duplicate, say),
/// which the pitches' line would invite people to join (its retirement is among the
/// period's phase changes).
fn new_pitches(
    conn: &Connection,
    t: &str,
    Period { from, to }: Period,
) -> anyhow::Result<Vec<PitchItem>> {
    rows(
        conn,
        Section {
            name: "new pitches",
            team: t,
        },
        concat!(
            "SELECT p.number, p.title, p.channel_id, p.announcement_ts,
                p.description, COALESCE(p.pitched_by, p.pitcher),
                (SELECT name FROM councils c WHERE c.id = ",
            super::report::lead_at!("p.created_at"),
            ")
         FROM projects p WHERE p.team_id = +?1 AND p.created_at >= ?2 AND p.created_at < ?3
           AND p.phase != 'retired'
         ORDER BY p.created_at DESC, p.number DESC"
        ),
        params![t, from, to],
        |r| {
            Ok(PitchItem {
                project: project_ref(r)?,
                description: r.get(4)?,
                pitcher: user(r, 5)?,
                council: r.get(6)?,
            })
        },
    )
}

/// Who joined a team in the period (the pitcher's own first membership aside), newest first.
fn joins(conn: &Connection, t: &str, Period { from, to }: Period) -> anyhow::Result<Vec<JoinItem>> {
    rows(
        conn,
        Section {
            name: "joins",
            team: t,
        },
        concat!(
            "SELECT p.number, p.title, p.channel_id, p.announcement_ts, m.user_id, c.name
             FROM members m JOIN projects p ON p.id = m.project_id ",
            own_person!(),
            " LEFT JOIN councils c ON c.id = ",
            join_council!(),
            " WHERE p.team_id = +?1 AND m.joined_at >= ?2 AND m.joined_at < ?3
               AND ",
            super::report::not_pitchs_own!(),
            " ORDER BY m.joined_at DESC"
        ),
        params![t, from, to],
        |r| {
            Ok(JoinItem {
                project: project_ref(r)?,
                user: user(r, 4)?,
                council: r.get(5)?,
            })
        },
    )
}

/// Status updates in the period that stand (not withdrawn), newest first.
fn updates(
    conn: &Connection,
    t: &str,
    Period { from, to }: Period,
) -> anyhow::Result<Vec<UpdateItem>> {
    rows(
        conn,
        Section {
            name: "updates",
            team: t,
        },
        "SELECT p.number, p.title, p.channel_id, p.announcement_ts, u.author, u.body, u.id
         FROM updates u JOIN projects p ON p.id = u.project_id
         WHERE p.team_id = +?1 AND u.created_at >= ?2 AND u.created_at < ?3
           AND u.withdrawn_at IS NULL
         ORDER BY u.created_at DESC, u.id DESC",
        params![t, from, to],
        |r| {
            Ok(UpdateItem {
                project: project_ref(r)?,
                author: user(r, 4)?,
                text: r.get(5)?,
                update: Some(r.get(6)?),
            })
        },
    )
}

/// Phase changes in the period, newest first.
fn phase_changes(
    conn: &Connection,
    t: &str,
    Period { from, to }: Period,
) -> anyhow::Result<Vec<PhaseItem>> {
    rows(
        conn,
        Section {
            name: "phase changes",
            team: t,
        },
        concat!(
            "SELECT p.number, p.title, p.channel_id, p.announcement_ts, ph.from_phase, ph.to_phase, ph.note,
                -- Retired by a merge into a project still open: where its work carries on.
                -- (A merged project is retired: bringing it back ends the merge.) Only on
                -- its latest change: a retirement it was brought back from was no merge.
                CASE WHEN ph.to_phase = 'retired'
                      AND ph.id = (SELECT MAX(id) FROM phase_changes WHERE project_id = p.id)
                     THEN ",
            carries_on_in!(),
            " END
         FROM phase_changes ph JOIN projects p ON p.id = ph.project_id
         WHERE p.team_id = +?1 AND ph.changed_at >= ?2 AND ph.changed_at < ?3
         ORDER BY ph.changed_at DESC, ph.id DESC"
        ),
        params![t, from, to],
        |r| {
            Ok(PhaseItem {
                project: project_ref(r)?,
                from: phase(r, 4)?,
                to: phase(r, 5)?,
                note: r.get(6)?,
                carries_on_in: r
                    .get::<_, Option<u32>>(7)?
                    .map(project_number)
                    .transpose()?,
            })
        },
    )
}

/// Councils that started re-using a project in the period, newest first.
fn reuses(
    conn: &Connection,
    t: &str,
    Period { from, to }: Period,
) -> anyhow::Result<Vec<ReuseItem>> {
    rows(
        conn,
        Section {
            name: "reuses",
            team: t,
        },
        "SELECT p.number, p.title, p.channel_id, p.announcement_ts, c.name, r.note
         FROM reuses r JOIN projects p ON p.id = r.project_id JOIN councils c ON c.id = r.council_id
         WHERE p.team_id = +?1 AND r.created_at >= ?2 AND r.created_at < ?3
         ORDER BY r.created_at DESC, p.number DESC",
        params![t, from, to],
        |r| {
            Ok(ReuseItem {
                project: project_ref(r)?,
                council: r.get(4)?,
                note: r.get(5)?,
            })
        },
    )
}

/// Projects not retired that existed by the end of the period.
fn open_projects(conn: &Connection, t: &str, period: Period) -> anyhow::Result<Vec<OpenProject>> {
    let to = period.to;
    rows(
        conn,
        Section {
            name: "open projects",
            team: t,
        },
        "SELECT p.number, p.title, p.channel_id, p.announcement_ts,
                (SELECT COUNT(*) FROM members m WHERE m.project_id = p.id), p.last_activity_at
         FROM projects p WHERE p.team_id = +?1 AND p.phase != 'retired' AND p.created_at < ?2
         ORDER BY p.number DESC",
        params![t, to],
        |r| {
            Ok(OpenProject {
                project: project_ref(r)?,
                members: r.get(4)?,
                last_activity_at: r.get(5)?,
            })
        },
    )
}

/// Which digest section, of which workspace, a query reads: named when a row is left out.
struct Section<'a> {
    name: &'static str,
    team: &'a str,
}

/// `sql`'s rows as `map` makes them; one a domain type refuses (edited by hand) is left out
/// and logged with its project's number, every query's first column, to find it by.
fn rows<T>(
    conn: &Connection,
    section: Section<'_>,
    sql: &str,
    params: impl rusqlite::Params,
    mut map: impl FnMut(&Row<'_>) -> rusqlite::Result<T>,
) -> anyhow::Result<Vec<T>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let mut found = stmt.query(params)?;
    let mut out = Vec::new();
    while let Some(row) = found.next()? {
        match map(row) {
            Ok(item) => out.push(item),
            // A row edited by hand is left out of the digest, not allowed to stop it. It runs
            // on the scheduler, outside any request: the line says where the row is.
            Err(rusqlite::Error::FromSqlConversionFailure(_, _, e)) if e.is::<Malformed>() => {
                let project = row.get::<_, i64>(0).ok();
                tracing::warn!(
                    team = %section.team,
                    section = section.name,
                    project,
                    error = %e,
                    "left out of the digest"
                );
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok(out)
}

/// A stored value no domain type takes.
#[derive(Debug)]
struct Malformed(&'static str);

impl std::fmt::Display for Malformed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "stored {} is malformed", self.0)
    }
}

impl std::error::Error for Malformed {}

/// A stored project number, or an error naming it (0 is none).
pub(super) fn project_number(n: u32) -> rusqlite::Result<ProjectNumber> {
    ProjectNumber::new(n).ok_or_else(|| bad("project number"))
}

/// A stored workspace id, or an error naming it.
pub(super) fn stored_team(id: String) -> rusqlite::Result<TeamId> {
    TeamId::parse(&id).ok_or_else(|| bad("workspace id"))
}

fn bad(what: &'static str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        0,
        rusqlite::types::Type::Text,
        Box::new(Malformed(what)),
    )
}

fn project_ref(r: &Row<'_>) -> rusqlite::Result<ProjectRef> {
    let ts: Option<String> = r.get(3)?;
    Ok(ProjectRef {
        number: project_number(r.get(0)?)?,
        title: Title::from_stored(r.get(1)?),
        channel: ChannelId::parse(&r.get::<_, String>(2)?).ok_or_else(|| bad("channel"))?,
        announcement_ts: ts.as_deref().and_then(MessageTs::parse),
        published: None, // filled in by `with_catalogue_slugs`
    })
}

fn user(r: &Row<'_>, i: usize) -> rusqlite::Result<UserId> {
    UserId::parse(&r.get::<_, String>(i)?).ok_or_else(|| bad("user"))
}

fn phase(r: &Row<'_>, i: usize) -> rusqlite::Result<Phase> {
    r.get::<_, String>(i)?.parse().map_err(|()| bad("phase"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{PhaseMove, Store, change_phase, merge_project};

    /// Project `number` of T1, announced in C1 (its row id is its number).
    fn project(tx: &Connection, number: u32) -> rusqlite::Result<usize> {
        tx.execute(
            "INSERT INTO projects (id, team_id, number, title, phase, pitcher, channel_id,
                                   announcement_ts, created_at, updated_at, last_activity_at)
             VALUES (?1, 'T1', ?1, 'Bins', 'beta', 'U1', 'C1', ?1 || '.000100', 0, 0, 0)",
            [number],
        )
    }

    /// Project #7 retired (from beta) at `at`, by a merge or not, or brought back to beta.
    fn seven_moved(tx: &Connection, to: Phase, at: i64, merge: bool) -> anyhow::Result<()> {
        let by = UserId::parse("U1").unwrap();
        let from = match to {
            Phase::Retired => Phase::Beta,
            _ => Phase::Retired,
        };
        let change = PhaseMove {
            project_id: 7,
            from,
            to,
            note: None,
            by: &by,
            at,
            merge,
        };
        change_phase(tx, &change)
    }

    /// #7 retired, brought back, then merged into #4, all in one week: only the retirement
    /// that was the merge says where the work carries on. The first one did not: #7 was a
    /// project of its own again after it.
    #[test]
    fn only_the_retirement_that_was_the_merge_names_where_the_work_carries_on() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("t.db")).unwrap();
        store
            .write(|tx| {
                project(tx, 4)?;
                project(tx, 7)?;
                seven_moved(tx, Phase::Retired, 10, false)?;
                seven_moved(tx, Phase::Beta, 20, false)?;
                seven_moved(tx, Phase::Retired, 30, true)?;
                merge_project(tx, 7, 4, 30)?;
                Ok(())
            })
            .unwrap();
        let team = TeamId::parse("T1").unwrap();
        let period = Period { from: 0, to: 100 };
        let snapshot = store
            .read(|c| digest_snapshot(c, &team, period, &HashSet::new()))
            .unwrap();
        let said: Vec<(Phase, Option<u32>)> = snapshot
            .phase_changes
            .iter()
            .map(|p| (p.to, p.carries_on_in.map(ProjectNumber::get)))
            .collect();
        assert_eq!(
            said,
            [
                (Phase::Retired, Some(4)),
                (Phase::Beta, None),
                (Phase::Retired, None)
            ]
        );
    }

    /// #5, pitched by U5 after the period ended (before the digest was made), is not among
    /// its open projects: nor is U5, in no other team, among the headline's people, which
    /// are those of the projects it counts (SHOWN-FIGURES 4).
    #[test]
    fn the_headline_counts_no_one_from_a_project_pitched_after_the_period() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("t.db")).unwrap();
        store
            .write(|tx| {
                project(tx, 4)?;
                project(tx, 5)?;
                tx.execute("UPDATE projects SET created_at = 150 WHERE id = 5", [])?;
                tx.execute_batch(
                    "INSERT INTO members (project_id, user_id, joined_at) VALUES (4, 'U1', 0);
                     INSERT INTO members (project_id, user_id, joined_at) VALUES (5, 'U5', 150);",
                )?;
                Ok(())
            })
            .unwrap();
        let team = TeamId::parse("T1").unwrap();
        let period = Period { from: 0, to: 100 };
        let snapshot = store
            .read(|c| digest_snapshot(c, &team, period, &HashSet::new()))
            .unwrap();
        let open: Vec<u32> = snapshot
            .open_projects
            .iter()
            .map(|p| p.project.number.get())
            .collect();
        assert_eq!(open, [4]);
        assert_eq!(snapshot.people, 1, "U1 alone");
    }
}
