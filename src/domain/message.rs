//! What the bot says, before it is rendered for Slack: a [`Reply`] answers the person who
//! asked; a [`Notice`] is a message the bot posts on its own (through the outbox). Both are
//! plain data; `slack::render` turns them into Block Kit, escaping all user text there.

use serde::{Deserialize, Serialize};

use super::{
    ChannelId, Description, ListFilter, MessageTs, Phase, ProjectNumber, Title, UpdateText, UserId,
};

/// One line of a project list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectSummary {
    pub number: ProjectNumber,
    pub title: Title,
    pub phase: Phase,
    pub members: u32,
    /// No update for the quiet period.
    pub quiet: bool,
}

/// One status update, for `show`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdateView {
    pub author: UserId,
    pub text: String,
    /// Unix seconds.
    pub at: i64,
}

/// One phase change, for `show`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhaseChangeView {
    pub from: Phase,
    pub to: Phase,
    pub note: String,
    pub by: UserId,
    /// Unix seconds.
    pub at: i64,
}

/// A team member and the council they said they work for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamMember {
    pub user: UserId,
    pub council: Option<String>,
}

/// How many people a team has, from how many councils.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Makeup {
    pub people: u32,
    pub councils: u32,
}

impl Makeup {
    pub fn of(members: &[TeamMember]) -> Makeup {
        let mut councils: Vec<&str> = members
            .iter()
            .filter_map(|m| m.council.as_deref())
            .collect();
        councils.sort_unstable();
        councils.dedup();
        Makeup {
            people: members.len() as u32,
            councils: councils.len() as u32,
        }
    }
}

/// Everything `show` tells about a project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectDetail {
    pub number: ProjectNumber,
    pub title: Title,
    pub description: Description,
    pub phase: Phase,
    pub pitcher: UserId,
    pub pitcher_council: Option<String>,
    pub channel: ChannelId,
    /// Set once the announcement has been posted.
    pub announcement_ts: Option<MessageTs>,
    pub members: Vec<TeamMember>,
    /// Unix seconds.
    pub created_at: i64,
}

/// How a project has been going, which only `show` needs (so lookups for joins, updates and
/// reactions do not read it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    /// Oldest first.
    pub history: Vec<PhaseChangeView>,
    /// The latest few, newest first.
    pub updates: Vec<UpdateView>,
    /// No news for the quiet period.
    pub quiet: bool,
}

/// The answer to a command, shown to the person who asked (ephemeral for slash commands,
/// in the thread for mentions).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reply {
    Help {
        unknown: Option<String>,
    },
    Pitched {
        number: ProjectNumber,
        title: Title,
        channel: ChannelId,
    },
    ProjectList {
        filter: ListFilter,
        projects: Vec<ProjectSummary>,
    },
    /// An update was recorded (and is on its way to the project's thread).
    UpdatePosted {
        number: ProjectNumber,
        title: Title,
        in_thread: bool,
    },
    PhaseChanged {
        number: ProjectNumber,
        title: Title,
        phase: Phase,
    },
    ProjectDetail {
        project: ProjectDetail,
        progress: Progress,
    },
    /// A change to the asker's own team membership (or why there was none).
    Membership {
        number: ProjectNumber,
        title: Title,
        note: MembershipNote,
    },
    /// The council the asker works for, as recorded.
    Council {
        name: Option<String>,
        /// The name typed matched a council already recorded under another spelling.
        matched: bool,
    },
    /// The channel now gets the weekly digest.
    DigestSubscribed {
        when: crate::digest::WeeklyTime,
        tz: String,
        /// Unix seconds.
        next_due: i64,
    },
    DigestOff {
        was_subscribed: bool,
    },
    /// This week's digest so far, for the asker only.
    DigestPreview {
        digest: Box<crate::digest::Digest>,
    },
    /// A [`crate::error::UserError`] or parse error, already worded for the user.
    Problem {
        text: String,
    },
    /// Something failed on our side; the details are in the log, not in Slack.
    Internal,
}

/// What a join or leave did for the person who asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MembershipNote {
    Joined { makeup: Makeup, council_known: bool },
    AlreadyIn,
    Left,
    NotIn,
}

/// A message the bot posts by itself, queued in the outbox in the same transaction as the
/// change that caused it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Notice {
    /// A new project, posted in the channel where it was pitched; its ts is stored on success.
    Announcement {
        project_id: i64,
        number: ProjectNumber,
        title: Title,
        description: Description,
        pitcher: UserId,
        join_emoji: String,
    },
    /// An answer to a mention, posted in the mention's thread.
    Reply { reply: Reply },
    /// A short line in the pitch's thread: someone joined. The worker checks first that the
    /// joiner is not a bot (undoing the join if it is), and on success tells the pitcher.
    Joined {
        project_id: i64,
        number: ProjectNumber,
        title: Title,
        user: UserId,
        council: Option<String>,
        makeup: Makeup,
        pitcher: UserId,
    },
    /// Told privately to a pitcher: someone joined their project.
    TeamNews {
        number: ProjectNumber,
        title: Title,
        user: UserId,
        council: Option<String>,
        makeup: Makeup,
    },
    /// A status update, posted in the pitch's thread.
    Update {
        number: ProjectNumber,
        author: UserId,
        text: UpdateText,
    },
    /// A phase change, posted in the pitch's thread.
    PhaseChanged {
        number: ProjectNumber,
        from: Phase,
        to: Phase,
        note: Option<UpdateText>,
        by: UserId,
    },
    /// A friendly reminder in a quiet project's thread, mentioning its team.
    Nudge {
        number: ProjectNumber,
        team: Vec<UserId>,
        quiet_days: i64,
    },
    /// A channel's weekly digest.
    Digest { digest: Box<crate::digest::Digest> },
    /// A reply only `user` sees, in the outbox row's channel (`chat.postEphemeral`).
    Private { user: UserId, reply: Reply },
    /// Told privately to a pitcher whose channel the bot cannot post in.
    CannotAnnounce {
        number: ProjectNumber,
        channel: ChannelId,
    },
}
