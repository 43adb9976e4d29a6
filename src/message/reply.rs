//! The answer to a command, for the person who asked.

use serde::{Deserialize, Serialize};

use super::Digest;
use crate::domain::{
    ChannelId, GiveAndTake, LinkKind, LinkUrl, ListFilter, Makeup, Page, Phase, Problem, Progress,
    ProjectDetail, ProjectNumber, ProjectSummary, ServiceElsewhere, Skill, SkillMatch, Slug,
    TeamId, Title, UserId, WeeklyTime,
};

/// The answer to a command, shown to the person who asked (ephemeral for slash commands,
/// in the thread for mentions).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reply {
    /// `privacy`: what is recorded about people and their rights; `notice`: the operator's
    /// privacy notice (`MAKERS_PRIVACY_URL`), if configured.
    Privacy {
        notice: Option<String>,
    },
    /// Slack has said, after the pitch was answered, that the channel project `number` was
    /// pitched in is private: its pitcher is told who will see it (the pitch's own answer
    /// says so when that was known already).
    PitchedInPrivate {
        number: ProjectNumber,
        title: Title,
        channel: ChannelId,
    },
    Help {
        unknown: Option<String>,
        /// The one subcommand to show (`help join`, or `joni` taken for `join`). Absent in
        /// replies queued before it existed: the whole help.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        about: Option<String>,
    },
    Pitched {
        number: ProjectNumber,
        title: Title,
        channel: ChannelId,
        /// Open projects of the workspace that look like the same thing (at most three), so
        /// the pitcher can join one instead. (Absent in replies queued before it existed.)
        #[serde(default)]
        similar: Vec<ProjectSummary>,
        /// Such projects the pitcher already leads or is in (at most one), named apart:
        /// "someone may be doing this", with a Join button, would be wrong for them.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        yours: Vec<ProjectSummary>,
        /// The workspace they are projects of, named in their *Join* buttons: pressed on
        /// the private answer, Slack names the presser's own workspace, which in a channel
        /// shared with another organisation may be another. (Absent in replies queued
        /// before it existed.)
        #[serde(default, skip_serializing_if = "Option::is_none")]
        workspace: Option<TeamId>,
        /// Whom the answer is for (the pitcher), whose press alone its *Join* buttons take
        /// as naming `workspace`. (Absent in replies queued before it existed: theirs then
        /// act in the presser's own workspace alone.)
        #[serde(default, skip_serializing_if = "Option::is_none")]
        shown_to: Option<UserId>,
        /// Pitched with no lead council (the pitcher has not said theirs): the reply says how
        /// to give it one.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        unled: bool,
        /// Pitched in a channel where Slack has said the bot is not a member (posts there
        /// wait for an invitation): the reply says to invite it rather than "announcing now".
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        uninvited: bool,
        /// Pitched in a channel Slack has said is private: the reply says who will see it
        /// (see `store::channels`).
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        private_channel: bool,
        /// Services other workspaces put in the public catalogue, not retired, that look
        /// like the same thing (at most two): a council may re-use one rather than build it.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        elsewhere: Vec<ServiceElsewhere>,
    },
    ProjectList {
        filter: ListFilter,
        projects: Vec<ProjectSummary>,
        /// Which of the list's pages to show (stored before pages: the first).
        #[serde(default)]
        page: Page,
        /// Projects may be left out where it was asked (a private channel's, or, by mention
        /// in a channel shared with another organisation, any other channel's): an empty
        /// list is not a workspace with none.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        left_out: bool,
    },
    /// An update was recorded (and is on its way to the project's thread).
    UpdatePosted {
        number: ProjectNumber,
        title: Title,
        in_thread: ThreadLine,
        /// Its line is its author's own message (a mention in the thread), whose deletion
        /// the bot cannot see: the answer says what takes it back.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        own_message: bool,
    },
    /// The asker's latest update on a project corrected (`correct`).
    UpdateCorrected {
        number: ProjectNumber,
        title: Title,
        line: CorrectedLine,
    },
    /// The asker's latest update on a project withdrawn (`withdraw`); `line` says what
    /// became of its line in the thread (`Unchanged`: it was withdrawn already).
    UpdateWithdrawn {
        number: ProjectNumber,
        title: Title,
        line: CorrectedLine,
    },
    /// A pitch's title (and description) corrected by its team.
    PitchEdited {
        number: ProjectNumber,
        /// The title now.
        title: Title,
        renamed: bool,
        description: DescriptionChange,
        /// Where the line for the pitch's thread went; `None` when the pitch already read
        /// exactly so (nothing changed, nothing told).
        in_thread: Option<ThreadLine>,
    },
    PhaseChanged {
        number: ProjectNumber,
        title: Title,
        phase: Phase,
        /// Where the line for the pitch's thread went.
        #[serde(default = "told")]
        in_thread: ThreadLine,
        /// The councils that re-use it that were told in a DM (retired or brought back).
        #[serde(default)]
        reusers_told: Vec<String>,
        /// Brought back from a merge: the project it was merged into, which it no longer is
        /// (someone may have merged it moments before, unseen by whoever moved it).
        #[serde(default)]
        unmerged: Option<ProjectNumber>,
    },
    /// `merge`: project `number` is retired, carrying on as `into`.
    Merged {
        number: ProjectNumber,
        title: Title,
        into: ProjectNumber,
        into_title: Title,
        /// Where the line for the merged project's thread went.
        in_thread: ThreadLine,
        /// The asker is in `into`'s team (or leads it) already.
        in_team: bool,
        /// How many of its team were told in their DM how to join `into`.
        told: u32,
        /// The councils that re-use it that were told in a DM.
        #[serde(default)]
        reusers_told: Vec<String>,
        /// Who leads `into`, told in a DM.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        lead_told: Option<UserId>,
    },
    /// Boxed: by far the largest answer, and `show` is one command of many.
    ProjectDetail {
        project: Box<ProjectDetail>,
        progress: Box<Progress>,
    },
    /// A change to the asker's own team membership (or why there was none).
    Membership {
        number: ProjectNumber,
        title: Title,
        note: MembershipNote,
    },
    /// The project's lead council set (`lead-council`).
    LeadCouncil {
        number: ProjectNumber,
        title: Title,
        note: LeadCouncilNote,
        /// The former council named, merged into the council in the note or renamed.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        formerly: Option<Formerly>,
    },
    /// The council name given is close to one already recorded: nothing was recorded, and
    /// the asker is asked whether they meant that one.
    CouncilDidYouMean {
        typed: String,
        suggestion: String,
    },
    /// A change to what the asker's council re-uses (or why there was none).
    Reuse {
        number: ProjectNumber,
        /// `None` for a service taken down (`makers-bot takedown`), whose name is not shown
        /// again: it is named by its address alone.
        #[serde(default)]
        title: Option<Title>,
        council: String,
        note: ReuseNote,
        /// Named by its catalogue address (`reuse <address>`): the project may be another
        /// workspace's, whose number means nothing here.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        listed: Option<Slug>,
        /// Its page in the public catalogue, where a re-use (and its note) now shows.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        page: Option<Slug>,
    },
    /// `show` or `join` of a service in the catalogue named by its address, whose team works
    /// in another workspace: it cannot be shown or joined from here.
    ListedElsewhere {
        service: Slug,
        /// As the catalogue names it: another workspace's ids in its title are not kept
        /// in this one's outbox.
        name: String,
        ask: crate::domain::ListedAsk,
        /// For `show`: what its catalogue page says (public by construction), told here
        /// rather than only linked. Absent for `join`, and in replies queued before it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        page: Option<Box<crate::domain::ServiceShown>>,
    },
    /// A change to whether the project is in the public catalogue (or why there was none).
    Publication {
        number: ProjectNumber,
        title: Title,
        note: PublicationNote,
    },
    /// A change to one of the project's links (or why there was none).
    Link {
        number: ProjectNumber,
        title: Title,
        which: LinkKind,
        note: LinkNote,
        /// Its catalogue slug, if it is published (the reply points there).
        published: Option<Slug>,
        /// Whoever runs the bot keeps it out of the catalogue (so `publish` would be refused).
        #[serde(default)]
        held: bool,
    },
    /// Projects matching `words`, best first.
    SearchResults {
        words: String,
        projects: Vec<ProjectSummary>,
        /// More projects match than are listed (only the best are).
        #[serde(default)]
        more: bool,
        /// Services other workspaces put in the public catalogue holding every word, best
        /// first (at most three): before building, what is built already elsewhere.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        elsewhere: Vec<ServiceElsewhere>,
        /// More such services match than are listed.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        more_elsewhere: bool,
        /// Projects may be left out where it was asked, as for `ProjectList`.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        left_out: bool,
    },
    /// `list reused`: everything the asker's council re-uses that they may be shown, retired
    /// ones first; `council` is `None` when they have not said theirs.
    CouncilReuses {
        council: Option<String>,
        reused: Vec<super::Reused>,
        /// Which of the list's pages to show.
        #[serde(default)]
        page: Page,
    },
    /// `report`: a period's figures for the workspace (boxed: the largest reply).
    Report(Box<super::Report>),
    /// `report … for <council>`: one council's part in a period.
    CouncilReport(Box<super::CouncilReport>),
    /// Give and take per council, most giving first.
    Councils {
        councils: Vec<GiveAndTake>,
        /// Which of the list's pages to show (stored before pages: the first).
        #[serde(default)]
        page: Page,
        /// The asker's council, as `councils` names it (absent: not said, or stored before).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        yours: Option<String>,
    },
    /// The council the asker works for, as recorded.
    Council {
        name: Option<String>,
        /// That council's give and take (absent in replies queued before it existed).
        #[serde(default)]
        ledger: Option<Box<GiveAndTake>>,
        /// The name typed matched a council already recorded under another spelling.
        matched: bool,
        /// The council recorded before this command changed it (absent: none, unchanged, or
        /// a reply queued before it existed).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        was: Option<String>,
        /// The asker's open projects that had no lead council, led by this one now.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        led: Vec<(ProjectNumber, Title)>,
        /// How many more it leads now are private channels' projects not shown where the
        /// asker asked (handed on and left, say): counted, not named.
        #[serde(default, skip_serializing_if = "is_zero")]
        led_private: usize,
        /// The asker's open projects here that `was` still leads: theirs to hand on to
        /// someone there, or to move to their council now.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        still_led: Vec<(ProjectNumber, Title)>,
        /// Other workspaces where the asker had said `was`, changed too.
        #[serde(default, skip_serializing_if = "is_zero")]
        changed_elsewhere: usize,
        /// How many of the asker's open projects in other workspaces `was` still leads.
        #[serde(default, skip_serializing_if = "is_zero")]
        still_led_elsewhere: usize,
        /// How many of the asker's joins so far keep counting for `was` (migration 0054).
        #[serde(default, skip_serializing_if = "is_zero")]
        joins_kept: usize,
        /// How many of their joins go with the council now, `was` having been chosen less
        /// than a day before: a slip put right.
        #[serde(default, skip_serializing_if = "is_zero")]
        joins_put_right: usize,
        /// The re-uses of this workspace's projects the asker said for `was` since choosing
        /// it less than a day before (a slip put right): kept, and theirs to take back.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        reuses_of_slip: Vec<(ProjectNumber, Title)>,
        /// How many more such re-uses are of private channels' projects not shown where the
        /// asker asked: counted, not named.
        #[serde(default, skip_serializing_if = "is_zero")]
        reuses_of_slip_private: usize,
        /// The former council the asker named, merged into this one or renamed (`makers-bot
        /// council merge`). Boxed, as `ledger` is: it is seldom there, and keeps every
        /// `Reply` small (clippy's `large_enum_variant`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        formerly: Option<Box<Formerly>>,
    },
    /// The skills the asker offers, as recorded now (`changed`: by this command), and open
    /// projects wanting some of them that the asker is not in, newest first.
    Skills {
        skills: Vec<Skill>,
        changed: bool,
        matching: Vec<SkillMatch>,
    },
    /// The skills a project's team wants now (none: nothing in particular).
    Wants {
        number: ProjectNumber,
        title: Title,
        skills: Vec<Skill>,
        /// False when it already wanted exactly these.
        changed: bool,
        /// Where the line for the pitch's thread went.
        in_thread: ThreadLine,
        /// The project is retired: its announcement shows no skills wanted, so was not
        /// corrected (absent in rows from before it: not retired).
        #[serde(default)]
        retired: bool,
    },
    /// The channel now gets the weekly digest.
    DigestSubscribed {
        when: WeeklyTime,
        tz: String,
        /// Unix seconds: the next one at its time.
        next_due: i64,
        /// This week's, whose time has passed without it, goes out now, before `next_due`.
        #[serde(default)]
        owed: bool,
    },
    DigestOff {
        was_subscribed: bool,
    },
    /// This week's digest so far, for the asker only.
    DigestPreview {
        digest: Box<Digest>,
        /// The channel is not getting the digest (never asked for, or turned off): the
        /// preview says so, and how to turn it on. Absent in rows from before it: getting it.
        #[serde(default)]
        channel_off: bool,
    },
    /// The asker was forgotten: `teams` is how many teams they left. Their Home is out of
    /// date where they asked, and in `homes_elsewhere` (other workspaces with an installation
    /// that held something about them, or every other one if they had said a council).
    Forgotten {
        teams: usize,
        /// For the bot, not the answer: never stored with a queued answer.
        #[serde(skip)]
        homes_elsewhere: Vec<TeamId>,
    },
    /// The request came to nothing, and why (`slack::render` words it).
    Problem {
        problem: Problem,
    },
    /// Something failed on our side; the details are in the log, not in Slack.
    Internal,
}

/// What `reuse` or `unreuse` did for the asker's council.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReuseNote {
    /// Newly recorded; `councils` now re-use the project in all. `in_thread`: where the
    /// line for the pitch's thread went.
    Recorded {
        councils: u32,
        in_thread: ThreadLine,
        /// A note was given with it (answers stored before this field had none to tell).
        #[serde(default)]
        with_note: bool,
    },
    /// Already recorded; the note was replaced.
    NoteUpdated,
    /// Already recorded, and no note was given: nothing changed.
    AlreadyRecorded,
    /// The same, said in another workspace (by a colleague there): its note is changed there.
    AlreadyRecordedElsewhere,
    /// Withdrawn (as answered by builds before the thread was told of it).
    Withdrawn,
    /// Withdrawn, and where the line for the pitch's thread went. `before`: the asker's
    /// re-use said for their council before (a change of job), not their council's now.
    WithdrawnSaid {
        in_thread: ThreadLine,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        before: bool,
    },
    /// There was nothing to withdraw.
    NotReusing,
}

/// What `publish` or `unpublish` did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PublicationNote {
    /// Now in the catalogue at `slug`.
    Published {
        slug: Slug,
        /// Where the line for the pitch's thread went.
        #[serde(default = "told")]
        in_thread: ThreadLine,
        /// The bot serves other workspaces, whose searches, pitch answers and digests will
        /// name it (the answer says so). Absent in answers queued before.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        seen_elsewhere: bool,
    },
    AlreadyPublished {
        slug: Slug,
    },
    Unpublished,
    NotPublished,
}

/// What `link` did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkNote {
    Added {
        url: LinkUrl,
    },
    Replaced {
        url: LinkUrl,
    },
    /// That address was already recorded.
    Unchanged {
        url: LinkUrl,
    },
    Removed,
    NothingToRemove,
}

/// What became of a corrected (or withdrawn) update's words in the pitch's thread.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CorrectedLine {
    /// The bot's line is posted: it is being corrected in place.
    InPlace,
    /// The bot's line is not posted yet: once it is, it reads the new words (or that it
    /// was withdrawn).
    Waiting,
    /// The bot's line could not be posted (no thread, the channel gone): nothing to correct.
    NoLine,
    /// The words in the thread are the asker's own message (a mention), theirs to edit.
    OwnMessage,
    /// An update from before the bot kept its lines: the record alone is corrected.
    RecordOnly,
    /// The update already said that (or was withdrawn already): nothing changed.
    Unchanged,
}

impl CorrectedLine {
    pub const ALL: [CorrectedLine; 6] = [
        CorrectedLine::InPlace,
        CorrectedLine::Waiting,
        CorrectedLine::NoLine,
        CorrectedLine::OwnMessage,
        CorrectedLine::RecordOnly,
        CorrectedLine::Unchanged,
    ];
}

/// What a join, leave or remove did, for the person who asked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MembershipNote {
    Joined {
        makeup: Makeup,
        council_known: bool,
    },
    AlreadyIn,
    Left,
    /// Left, and they led it: anyone still in the team (`team_left`: someone is) may take
    /// the lead, as its thread is told.
    LeftLeading {
        team_left: bool,
    },
    NotIn,
    /// Whoever manages the team took `user` off it (they are told in their DM).
    Removed {
        user: UserId,
    },
    /// `user` is not in the team, so there was nobody to take off.
    NotTheirs {
        user: UserId,
    },
    /// `user` leads the project now (`handover`); `told`: where the team hears of it;
    /// `dm`: whether they are told in their DM (not when they took it on themselves).
    HandedOver {
        user: UserId,
        told: ThreadLine,
        dm: bool,
    },
    /// `user` leads it already: nothing changed.
    AlreadyLeads {
        user: UserId,
    },
    /// `user` is not in the team, so cannot lead it: nothing changed. `open`: the project
    /// takes new members (not retired), so they could join first.
    NotInTeamToLead {
        user: UserId,
        open: bool,
    },
    /// Slack says `user` is an app, not a person: an app never joins a team, so can never
    /// lead one.
    AppCannotLead {
        user: UserId,
    },
    /// Slack said `user`'s account was deactivated: still in a retired team (its history),
    /// but nobody else could manage the project were they to lead it.
    LeftSlackCannotLead {
        user: UserId,
    },
}

/// What `lead-council` did. Councils are named by their name in use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LeadCouncilNote {
    /// `council` leads the project now; `told`: where the team hears of it; `before`: what
    /// became of the council before in reports (none in a reply queued before it was said).
    Set {
        council: String,
        told: ThreadLine,
        #[serde(default)]
        before: LeadBefore,
    },
    /// `council` led it already: nothing changed.
    Already { council: String },
    /// No council is recorded by the name `typed`: nothing changed (a slip must not become
    /// a council every workspace sees). `near`: a recorded one it is close to, offered back.
    Unknown {
        typed: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        near: Option<String>,
    },
    /// `council` re-uses the project, so cannot also lead it: nothing changed.
    ReusesIt { council: String },
}

/// What became of the council that led a project before `lead-council` set another, in
/// reports (which count a project for the council that led it at the time they ask about).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LeadBefore {
    /// None led it (or nothing is said): the council set counts for it from its pitch.
    #[default]
    None,
    /// `council` led it, and still counts for what it led until now.
    Kept { council: String },
    /// `council` was set less than a day before (`pitched`: with the pitch): taken for a
    /// slip put right, so the council set counts for that time too.
    PutRight {
        council: String,
        #[serde(default)]
        pitched: bool,
    },
}

impl Reply {
    /// A report without its *Send me a copy* button: it is the copy, or in the asker's
    /// messages with the app already.
    pub fn without_copy_button(&mut self) {
        match self {
            Reply::Report(r) => r.asked = None,
            Reply::CouncilReport(r) => r.asked = None,
            _ => {}
        }
    }

    /// Whether a form answered with this stays open, having recorded nothing: a refusal, or
    /// a council offered back (the same form submitted again must then still count).
    pub fn leaves_form_open(&self) -> bool {
        matches!(
            self,
            Reply::Problem { .. } | Reply::CouncilDidYouMean { .. }
        )
    }

    /// Shown to the asker alone, also when asked by a mention (whose answers are otherwise
    /// in its thread, for everyone there): what is about them or for them to mend, and
    /// speaks to them as "you", which nobody else in the thread could tell apart. A forget
    /// above all: the channel is not told that someone asked to be forgotten. The answers
    /// to their own update, correction, withdrawal or edit too: what the team needs to know
    /// of those goes in the pitch's thread as a line of its own, and a withdrawal or a
    /// correction is told to nobody else. Help, as `../shared/CONTRACT.md` has it ("usage,
    /// as an ephemeral reply", and a mention does what the command does), and it is long.
    /// A project too (`show`): its team are mentions (`../shared/CONTRACT.md`), and posted
    /// for everyone, each would notify the whole team every time someone asks. What the
    /// channel may want to see (a list, search results) stays public, but for the asker's
    /// own projects ("Your projects").
    pub fn is_for_the_asker_alone(&self) -> bool {
        matches!(
            self,
            Reply::DigestPreview { .. }
                | Reply::ProjectDetail { .. }
                | Reply::UpdatePosted { .. }
                | Reply::UpdateCorrected { .. }
                | Reply::UpdateWithdrawn { .. }
                | Reply::PitchEdited { .. }
                | Reply::Forgotten { .. }
                | Reply::Problem { .. }
                | Reply::Internal
                | Reply::Membership { .. }
                | Reply::LeadCouncil { .. }
                | Reply::Council { .. }
                | Reply::CouncilDidYouMean { .. }
                | Reply::Skills { .. }
                | Reply::Help { .. }
                | Reply::Privacy { .. }
                | Reply::ListedElsewhere { .. }
                | Reply::CouncilReuses { .. }
                | Reply::Report(_)
                | Reply::CouncilReport(_)
                | Reply::PitchedInPrivate { .. }
                | Reply::ProjectList {
                    filter: ListFilter::Mine,
                    ..
                }
        )
    }
}

/// What a reply stored before `in_thread` existed said: that the thread was told.
fn told() -> ThreadLine {
    ThreadLine::Queued
}

/// What an `edit` did to a pitch's description.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DescriptionChange {
    Kept,
    Replaced,
    Removed,
}

/// Where a line for a pitch's thread went, as the answer to the change tells it.
///
/// Stored in queued answers as it was when it was a yes/no (`true`, `false`), so answers
/// queued by a build from before it read as they were meant; `"no_thread"` is new.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "StoredThreadLine", into = "StoredThreadLine")]
pub enum ThreadLine {
    /// Queued for the thread.
    Queued,
    /// Waiting for the pitch's announcement, which is not posted yet.
    Waiting,
    /// Slack refused the announcement for good: there is no thread to tell.
    NoThread,
    /// The project's workspace removed the app: nothing can be posted there. (A re-use
    /// said from another workspace of a service still in the catalogue.)
    Unserved,
}

impl ThreadLine {
    pub const ALL: [ThreadLine; 4] = [
        ThreadLine::Queued,
        ThreadLine::Waiting,
        ThreadLine::NoThread,
        ThreadLine::Unserved,
    ];
}

#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum StoredThreadLine {
    Told(bool),
    Other(String),
}

impl TryFrom<StoredThreadLine> for ThreadLine {
    type Error = String;
    fn try_from(stored: StoredThreadLine) -> Result<ThreadLine, String> {
        match stored {
            StoredThreadLine::Told(true) => Ok(ThreadLine::Queued),
            StoredThreadLine::Told(false) => Ok(ThreadLine::Waiting),
            StoredThreadLine::Other(s) if s == "no_thread" => Ok(ThreadLine::NoThread),
            StoredThreadLine::Other(s) if s == "unserved" => Ok(ThreadLine::Unserved),
            StoredThreadLine::Other(s) => Err(format!("unknown thread line {s:?}")),
        }
    }
}

impl From<ThreadLine> for StoredThreadLine {
    fn from(line: ThreadLine) -> StoredThreadLine {
        match line {
            ThreadLine::Queued => StoredThreadLine::Told(true),
            ThreadLine::Waiting => StoredThreadLine::Told(false),
            ThreadLine::NoThread => StoredThreadLine::Other("no_thread".into()),
            ThreadLine::Unserved => StoredThreadLine::Other("unserved".into()),
        }
    }
}

/// A former council's name someone gave (kept in the domain: a council list holds one).
pub use crate::domain::Formerly;

fn is_zero(n: &usize) -> bool {
    *n == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A re-use's answer queued by a build from before `with_note` reads as given without a
    /// note (it is told how to add one, as it was).
    #[test]
    fn a_reuse_answer_stored_without_with_note_reads() {
        let old = r#"{"recorded":{"councils":2,"in_thread":true}}"#;
        assert_eq!(
            serde_json::from_str::<ReuseNote>(old).unwrap(),
            ReuseNote::Recorded {
                councils: 2,
                in_thread: ThreadLine::Queued,
                with_note: false
            }
        );
    }

    /// "Say your council first", queued by a build from before it gave the command back,
    /// still reads; and the answer that gives it back reads as written.
    #[test]
    fn a_council_first_answer_of_either_build_reads() {
        use crate::domain::UserError;
        let old: UserError = serde_json::from_str(r#""council_first""#).unwrap();
        assert_eq!(old, UserError::CouncilFirst);
        let new = UserError::CouncilFirstThen {
            again: "reuse bin-day-finder | on our site".into(),
        };
        let stored = serde_json::to_string(&new).unwrap();
        assert_eq!(serde_json::from_str::<UserError>(&stored).unwrap(), new);
    }

    /// A re-use refusal of a merged project queued by a build from before it said whether to
    /// offer `reuse` of where the work carries on reads, offering it, as that build did.
    #[test]
    fn a_reuse_merged_answer_of_the_build_before_reads() {
        use crate::domain::UserError;
        let now = UserError::ReuseMerged {
            number: ProjectNumber::parse("7").unwrap(),
            into: ProjectNumber::parse("4").unwrap(),
            offer_reuse: false,
        };
        let stored = serde_json::to_string(&now).unwrap();
        assert_eq!(serde_json::from_str::<UserError>(&stored).unwrap(), now);
        let before = stored.replace(r#","offer_reuse":false"#, "");
        assert_ne!(before, stored);
        let UserError::ReuseMerged { offer_reuse, .. } = serde_json::from_str(&before).unwrap()
        else {
            panic!("{before}")
        };
        assert!(offer_reuse);
        let service = r#"{"reuse_merged_service":{"service":"bin-day","into":"bins"}}"#;
        let UserError::ReuseMergedService { offer_reuse, .. } =
            serde_json::from_str(service).unwrap()
        else {
            panic!("{service}")
        };
        assert!(offer_reuse);
    }

    /// A pitch's answer queued by a build from before it said whom it was for reads, without
    /// anyone (its *Join* buttons then act in the presser's own workspace alone); one
    /// written now keeps them.
    #[test]
    fn a_pitch_answer_stored_without_shown_to_reads() {
        let old = r#"{"kind":"pitched","number":5,"title":"Bins","channel":"C0MAKERS","workspace":"T0ONE"}"#;
        let reply: Reply = serde_json::from_str(old).unwrap();
        let Reply::Pitched {
            workspace,
            shown_to,
            ..
        } = &reply
        else {
            panic!("{reply:?}")
        };
        assert_eq!(
            (workspace.as_ref().map(|t| t.as_str()), shown_to),
            (Some("T0ONE"), &None)
        );
        let mut now = reply.clone();
        if let Reply::Pitched { shown_to, .. } = &mut now {
            *shown_to = UserId::parse("U0PITCH");
        }
        let stored = serde_json::to_string(&now).unwrap();
        assert!(stored.contains(r#""shown_to":"U0PITCH""#), "{stored}");
        assert_eq!(serde_json::from_str::<Reply>(&stored).unwrap(), now);
    }

    /// Answers queued by a build from before `ThreadLine` stored a yes/no: both read, and
    /// what this build writes for them is that same yes/no.
    #[test]
    fn a_thread_line_reads_and_writes_the_stored_yes_or_no() {
        for (stored, line) in [
            ("true", ThreadLine::Queued),
            ("false", ThreadLine::Waiting),
            (r#""no_thread""#, ThreadLine::NoThread),
        ] {
            let read: ThreadLine = serde_json::from_str(stored).unwrap();
            assert_eq!(read, line, "{stored}");
            assert_eq!(serde_json::to_string(&line).unwrap(), stored);
        }
        assert!(serde_json::from_str::<ThreadLine>(r#""maybe""#).is_err());
        let old = r#"{"kind":"phase_changed","number":3,"title":"Bins","phase":"beta"}"#;
        let reply: Reply = serde_json::from_str(old).unwrap();
        assert!(
            matches!(
                reply,
                Reply::PhaseChanged {
                    in_thread: ThreadLine::Queued,
                    ..
                }
            ),
            "{reply:?}"
        );
    }
}
