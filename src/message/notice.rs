//! What the bot posts on its own, through the outbox.

use serde::{Deserialize, Serialize};

use super::{Digest, Reply};
use crate::domain::{
    CarriedOnAs, ChannelId, Description, LinkKind, LinkUrl, Makeup, MessageTs, Phase,
    ProjectNumber, Skill, Slug, TeamId, Title, UpdateText, UserId,
};

/// What someone in a team changed that everyone sees of its project ([`Notice::ChangedByTeam`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "what", rename_all = "snake_case")]
pub enum TeamChange {
    /// The pitch's words (`renamed_from`: its title before, if that changed).
    Edited {
        renamed_from: Option<Title>,
    },
    Published {
        slug: Slug,
    },
    Unpublished,
    Retired,
    /// Retired by a merge: its team carries on in project `into`. `back_to`: the phase it
    /// had before it was retired, to bring it back to; `retired_before`: it was retired
    /// already, and the merge only pointed it there.
    Merged {
        into: ProjectNumber,
        into_title: Title,
        back_to: Phase,
        retired_before: bool,
    },
    /// A link recorded (`url`), or removed.
    Linked {
        which: LinkKind,
        url: Option<LinkUrl>,
    },
}

/// A project as someone may be told of it: by number in its own workspace, by its catalogue
/// address in another (where its number means another project).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "as", rename_all = "snake_case")]
pub enum ProjectNamed {
    Number { number: ProjectNumber, title: Title },
    Listed { slug: Slug, title: Title },
}

/// What became of a project a council re-uses ([`Notice::ReusedProjectNews`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "what", rename_all = "snake_case")]
pub enum ReusedNews {
    Retired,
    /// Retired by a merge into `into`, where its work carries on (`None`: one the reader may
    /// not be shown: a private channel's, or one not in the catalogue, from elsewhere).
    /// `retired_before`: it was retired already; `offer_reuse`: the council neither re-uses
    /// nor leads `into`, so saying it re-uses that one is offered.
    Merged {
        into: Option<ProjectNamed>,
        retired_before: bool,
        offer_reuse: bool,
    },
    /// Brought back from retired, to `phase`; `unmerged`: it had been merged into another.
    Back {
        phase: Phase,
        unmerged: bool,
    },
}

/// `Notice::UpdateNotPosted::why` for a line whose announcement was never posted (Slack
/// refused it), so there is no thread.
pub const NEVER_ANNOUNCED: &str = "never_announced";

/// A message the bot posts by itself, queued in the outbox in the same transaction as the
/// change that caused it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Notice {
    /// A new project, posted in the channel where it was pitched; its ts is stored on success.
    /// (Stored as its body's fields beside `kind`, as before the body had a type of its own.)
    Announcement(AnnouncementBody),
    /// The pitch corrected (`edit`), moved to another phase or its skills wanted changed
    /// (`wants`): its announcement replaced in place (`chat.update`) with these words, the
    /// skills wanted now and the phase. Queued for the announcement's thread, so it
    /// waits for the announcement as a thread line does (a channel's posts go in order), and
    /// the worker edits that message instead of replying under it. A build from before it
    /// fails such a row alone, as unreadable.
    AnnouncementCorrected {
        #[serde(flatten)]
        body: AnnouncementBody,
        /// Who edited the pitch, moved its phase or changed its skills wanted: told if Slack
        /// refuses the correction.
        by: UserId,
    },
    /// Told privately to whoever edited a pitch, moved its phase or changed its skills wanted,
    /// whose announcement Slack would not let the bot correct, or to the author of an update
    /// whose line it would not let it correct (`of_update`). `why`: Slack's error code, such
    /// as `message_not_found` when someone deleted it.
    CorrectionRefused {
        number: ProjectNumber,
        why: String,
        /// The correction was of an update's line (`/makers correct`), told to its author.
        /// Absent in rows from before it: an announcement's.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        of_update: bool,
        /// With `of_update`: the update was withdrawn (`/makers withdraw`), not reworded.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        withdrawn: bool,
    },
    /// Told privately to the author of an update whose line Slack would not post in the
    /// pitch's thread: their answer said it would be. Refused for good (`why`: Slack's error
    /// code, such as `is_archived`), or, `why` absent, waiting for the bot to be invited back
    /// to `channel`, where the thread is. A build from before it fails such a row alone, as
    /// unreadable.
    UpdateNotPosted {
        number: ProjectNumber,
        channel: ChannelId,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        why: Option<String>,
    },
    /// Told privately to the lead of a quiet project whose nudge Slack would not post in its
    /// channel (`why`: Slack's error code: the channel archived, the bot taken out of it):
    /// the team was not reminded, and someone who can retire it or post its news should
    /// know. A build from before it fails such a row alone, as unreadable.
    NudgeNotPosted {
        number: ProjectNumber,
        title: Option<Title>,
        channel: ChannelId,
        quiet_days: i64,
        why: String,
    },
    /// Told privately to whoever turned a channel's digest on, when Slack would not take the
    /// digest there (`why`: Slack's error code): nobody in the channel can be told. `stopped`:
    /// the bot can no longer post there, and the digest stops until it can (else the digest
    /// is owed to the next). A build from before it fails such a row alone, as unreadable.
    DigestNotPosted {
        channel: ChannelId,
        why: String,
        stopped: bool,
        /// The refused digest was the subscription's first there: the bot may never have
        /// been in the channel, so is not said to have left it.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        first: bool,
    },
    /// An answer to a mention, posted in the mention's thread.
    Reply { reply: Reply },
    /// A short line in the pitch's thread: someone joined. On success the lead is told.
    Joined {
        project_id: i64,
        number: ProjectNumber,
        title: Title,
        user: UserId,
        council: Option<String>,
        makeup: Makeup,
        /// The lead when the join was made: who is told, should the project be gone by the
        /// time the line is posted (else whoever leads it then).
        pitcher: UserId,
        /// The joiner is known to be a person: every join this build makes is (by hand, by a
        /// command or a button only people use, or by a reaction once Slack said so). A row
        /// an earlier build queued reads `false`, and the worker asks Slack first that the
        /// joiner is not a bot (undoing the join if it is).
        #[serde(default)]
        known_person: bool,
    },
    /// Told privately to a project's lead: someone joined their project.
    TeamNews {
        number: ProjectNumber,
        title: Title,
        user: UserId,
        council: Option<String>,
        makeup: Makeup,
    },
    /// To someone taken off a project's team (`remove`, naming who did it), in their DM; `open`:
    /// the project takes members (not retired), so they may join again.
    RemovedFromTeam {
        number: ProjectNumber,
        title: Title,
        by: UserId,
        open: bool,
    },
    /// A project's lead handed it over (`handover`), in the pitch's thread. `by`: who handed
    /// it over (`to` themselves: they took on a project whose lead had left its team).
    HandedOver {
        number: ProjectNumber,
        title: Title,
        by: UserId,
        to: UserId,
    },
    /// A project's lead council set (`lead-council`), in the pitch's thread: `council` by
    /// its name in use, `by` who set it.
    LeadCouncilSet {
        number: ProjectNumber,
        title: Title,
        council: String,
        by: UserId,
    },
    /// A project's lead left its team (`left_slack`: their Slack account was deactivated),
    /// in the pitch's thread: anyone in the team may take the lead now (`team_left`: someone
    /// is).
    LeadLeft {
        number: ProjectNumber,
        title: Title,
        lead: UserId,
        team_left: bool,
        left_slack: bool,
    },
    /// To whoever now leads a project someone else handed them, in their DM: what leading it
    /// means.
    NowLead {
        number: ProjectNumber,
        title: Title,
        by: UserId,
    },
    /// A status update, posted in the pitch's thread.
    Update {
        number: ProjectNumber,
        author: UserId,
        /// Its words; `None` (JSON `null`) once its author withdrew it (`/makers withdraw`)
        /// before the line went out: the line then says so, and keeps no words.
        text: Option<UpdateText>,
        /// The update's row, whose line's ts is recorded once posted (so `correct` can
        /// correct it). Absent in rows queued by a build from before it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        update: Option<i64>,
    },
    /// An update's words corrected (`/makers correct`): its line, whose ts is this row's
    /// thread, replaced in place (`chat.update`) with the words now. A build from before it
    /// fails such a row alone, as unreadable.
    UpdateCorrected {
        number: ProjectNumber,
        author: UserId,
        /// The words now; `None` (JSON `null`) once its author withdrew it (`/makers
        /// withdraw`): the line is replaced by one saying so.
        text: Option<UpdateText>,
        /// The update's row (so a later correction rewrites this row's words too).
        update: i64,
        /// The words as posted, not corrected: the line is put right only for who its
        /// author is (forgotten), and is not marked "(corrected)". Absent in rows from
        /// before it: a correction.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        as_posted: bool,
    },
    /// The team corrected the pitch: one line in its thread with the new title
    /// (`renamed_from`: the old one, if it changed) and the new description, if that
    /// changed (empty: removed). A build from before it fails such a row alone, as
    /// unreadable.
    PitchEdited {
        number: ProjectNumber,
        title: Title,
        renamed_from: Option<Title>,
        description: Option<Description>,
        by: UserId,
    },
    /// A council now re-uses the project: one line in the pitch's thread.
    Reused {
        number: ProjectNumber,
        council: String,
        /// Councils that re-use it, this one included.
        councils: u32,
        /// Said in another Slack workspace (by its catalogue address): the team will not
        /// find its sayer among their own workspace's people. (Absent in lines queued before.)
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        elsewhere: bool,
    },
    /// A council withdrew its re-use of the project: the team, who may have quoted how many
    /// councils re-use it, hears that it changed.
    ReuseWithdrawn {
        number: ProjectNumber,
        council: String,
        /// Councils that re-use it now.
        councils: u32,
        /// Ended by a merge of councils (`makers-bot council merge`), not withdrawn: why.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        merged: Option<MergedInto>,
    },
    /// Someone in the team put the project in the public catalogue (`slug: Some`) or took it
    /// out (`None`): one line in the pitch's thread, so the whole team knows.
    Publication {
        number: ProjectNumber,
        slug: Option<Slug>,
        by: UserId,
    },
    /// Someone in the team recorded where the project's code, service or docs are (`url`), or
    /// removed that (`None`): one line in the pitch's thread, so a link the catalogue shows
    /// is never changed without the team seeing it. A build from before it fails such a row
    /// alone, as unreadable.
    LinkChanged {
        number: ProjectNumber,
        which: LinkKind,
        url: Option<LinkUrl>,
        by: UserId,
    },
    /// Told to a project's lead, in their messages with the bot: someone else in its team
    /// changed what everyone sees of it (anyone who joins may). A build from before it fails
    /// such a row alone, as unreadable.
    ChangedByTeam {
        number: ProjectNumber,
        /// As it is after the change.
        title: Title,
        by: UserId,
        change: TeamChange,
    },
    /// An operator took the project out of the public catalogue and keeps it out
    /// (`held`, with their `reason`), or allowed it back (`!held`): one line in the pitch's
    /// thread. A build from before it fails such a row alone, as unreadable.
    CatalogueHold {
        number: ProjectNumber,
        held: bool,
        /// It was in the catalogue until this takedown.
        was_published: bool,
        reason: Option<UpdateText>,
    },
    /// The team changed the skills it wants: one line in the pitch's thread (none: it no
    /// longer wants any in particular).
    SkillsWanted {
        number: ProjectNumber,
        skills: Vec<Skill>,
        by: UserId,
    },
    /// In a merged project's thread (`merge`): it carries on as project `into`, and its team
    /// may join that one. A build from before it fails such a row alone, as unreadable.
    CarriesOnElsewhere {
        number: ProjectNumber,
        into: ProjectNumber,
        into_title: Title,
        by: UserId,
    },
    /// To someone in a merged project's team who is not in the one it carries on as, in
    /// their DM: where the work carries on, with a Join button for it. `by`: who merged it;
    /// `None` for one who joined after the merge by a reaction made before it, where who
    /// merged it is not kept (see `store::Retirement`). A build from before fails such a row
    /// alone, as unreadable.
    MergedTeamTold {
        number: ProjectNumber,
        title: Title,
        into: ProjectNumber,
        into_title: Title,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        by: Option<UserId>,
        /// The workspace whose project `into` is, named in the *Join* sealed for `shown_to`,
        /// whom the DM is to: pressed by someone of another organisation (a shared channel's
        /// guest, told as one of the team), Slack names the presser's own workspace, where
        /// `into` is another project or none. (Absent in rows queued before it: their *Join*
        /// acts in the presser's own workspace, as it did.)
        #[serde(default, skip_serializing_if = "Option::is_none")]
        workspace: Option<TeamId>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        shown_to: Option<UserId>,
    },
    /// In the thread of the project another was merged into (`merge`; `number` is this
    /// thread's project, as in every thread line): `from` carries on here, and `newcomers`
    /// of its team are not in this one yet. `asked`: each was told how to join (in a DM, or
    /// in the answer or the lead's word), which a private channel's project is not.
    MergedHere {
        number: ProjectNumber,
        from: ProjectNumber,
        from_title: Title,
        by: UserId,
        newcomers: u32,
        asked: bool,
    },
    /// To the lead of the project another was merged into, in their DM, unless they merged
    /// it: the thread's news ([`Notice::MergedHere`]) for whoever will welcome the newcomers.
    /// A build from before it fails such a row alone, as unreadable.
    MergedIntoYours {
        number: ProjectNumber,
        title: Title,
        from: ProjectNumber,
        from_title: Title,
        by: UserId,
        newcomers: u32,
        asked: bool,
        /// The phase `from` goes back to, should its team undo the merge.
        back_to: Phase,
    },
    /// In the thread of the project another was merged into (or, after a chain of merges,
    /// the one it pointed to last): `from` was brought back as a project of its own
    /// (`phase`), so it no longer carries on here. `from_title`: `None` where `from` may not
    /// be named in this thread (its channel made private since the merge); a build from
    /// before it fails such a row alone, as unreadable.
    MergeUndone {
        number: ProjectNumber,
        from: ProjectNumber,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        from_title: Option<Title>,
        by: UserId,
    },
    /// To whoever said their council re-uses a project, in their DM (its team hears in its
    /// thread): its team retired it, merged it into another, or brought it back. `by`: who
    /// did it, named only in their own workspace. A build from before it fails such a row
    /// alone, as unreadable.
    ReusedProjectNews {
        council: String,
        project: ProjectNamed,
        /// Its catalogue address, while it is published.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        page: Option<Slug>,
        news: ReusedNews,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        by: Option<UserId>,
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
        /// Named in the nudge, which notifies the team's phones: someone in several teams
        /// sees which project it is about. `None` in a nudge queued by an earlier build.
        #[serde(default)]
        title: Option<Title>,
        team: Vec<UserId>,
        quiet_days: i64,
    },
    /// A channel's weekly digest.
    Digest {
        digest: Box<Digest>,
        /// No digest of this subscription has been posted in the channel yet: the bot may
        /// join a public channel for it. One that went out before and now cannot means the
        /// bot was taken out of the channel, which is respected.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        first: bool,
    },
    /// Told privately to a pitcher whose channel the bot cannot post in.
    CannotAnnounce {
        number: ProjectNumber,
        channel: ChannelId,
    },
    /// Told privately to a pitcher whose announcement Slack refused for good (`why`: Slack's
    /// error code, such as `is_archived` or `restricted_action`). A build from before it
    /// cannot read the kind: it fails such a row alone, as unreadable.
    AnnouncementRefused {
        number: ProjectNumber,
        channel: ChannelId,
        why: String,
    },
}

/// What a pitch's announcement says, and the project it is for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnnouncementBody {
    pub project_id: i64,
    pub number: ProjectNumber,
    pub title: Title,
    pub description: Description,
    pub pitcher: UserId,
    pub join_emoji: String,
    /// The skills the team wants, as they were at the pitch, or at the last `edit`, phase
    /// change or `wants`. Absent in rows
    /// queued before skills, and left out of stored rows when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub wanted: Vec<Skill>,
    /// The project's phase: shown once it has left discovery, and a retired project's
    /// announcement no longer asks people to join. Left out of stored rows in discovery
    /// (every pitch's), so they read as before phases were shown.
    #[serde(default, skip_serializing_if = "Phase::is_discovery")]
    pub phase: Phase,
    /// Retired by a merge: the project its team carries on as.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub carried_on_as: Option<CarriedOnAs>,
    /// With `carried_on_as`: its channel is shared with another workspace or organisation
    /// (as Slack last said), where someone of the other who types `/makers join N` runs it
    /// in their own workspace, on its #N; so the announcement points at where the work
    /// carries on instead. Absent in rows queued before it, and left out when false.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub shared: bool,
    /// With `shared` and `carried_on_as`: where that project's announcement is, if it was
    /// posted, for a link to its *Join*.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub carried_on_at: Option<(ChannelId, MessageTs)>,
}

impl Notice {
    /// Whether the bot should join a public channel it is not in to post this: an
    /// announcement (the project's whole life hangs off it) and a channel's first digest
    /// (someone subscribed the channel, and a slash command works where the bot is not) are
    /// worth it; nothing else is.
    pub fn is_worth_joining_a_channel_for(&self) -> bool {
        matches!(
            self,
            Notice::Announcement(_) | Notice::Digest { first: true, .. }
        )
    }
}

/// A re-use a merge of councils ended: the council it merged into, and why it ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MergedInto {
    pub into: String,
    pub why: crate::domain::ReuseEnds,
}
