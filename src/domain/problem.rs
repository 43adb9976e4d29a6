//! What can be wrong with a request, as data. A [`Problem`] is the user's to fix and is
//! shown to them, privately, as friendly text that `slack::render` words (so wording lives in
//! one place, and can name the configured join emoji). Anything else is an internal
//! `anyhow::Error`: logged with its cause chain, while the user sees a short generic line.

use serde::{Deserialize, Serialize};

use super::{BadLink, Phase, ProjectNumber, Slug};

/// The phase a merge refusal queued before `back_to` was kept (no such field) brings a
/// project back to: alpha, what those answers said (`Phase::default()` is discovery).
fn said_before_back_to() -> Phase {
    Phase::Alpha
}

/// Whether a re-use refusal queued before `offer_reuse` was kept offers `reuse` of where the
/// work carries on: it did, to everyone.
fn offered_before() -> bool {
    true
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UserError {
    EmptyTitle,
    /// `report since 2027-01-01` asked before that day (ISO).
    ReportInFuture {
        from: String,
    },
    /// `@makers report` in a channel shared with another organisation: it counts projects
    /// that channel is not shown.
    ReportInSharedChannel,
    /// `report for my council` before saying one.
    ReportCouncilFirst,
    /// `report for <name>` where no council recorded has that name (`near`: one close;
    /// `period`: the words of a period asked for other than this quarter, to ask again).
    ReportNoSuchCouncil {
        typed: String,
        near: Option<String>,
        #[serde(default)]
        period: Option<String>,
    },
    /// Text made only of characters nobody can see (zero-width spaces, joiners, controls).
    NothingVisible,
    /// Past the person's allowance of changes a minute (see `WriteBudget`).
    TooManyChanges {
        wait_secs: u32,
    },
    /// Past the person's allowance a minute with mentions that only look (`@makers list`):
    /// each answer is a post, and the same allowance bounds them.
    TooManyAsks {
        wait_secs: u32,
    },
    TitleTooLong {
        max: usize,
        got: usize,
    },
    /// A title within its limit as shown, but past what is kept as Slack sends it: its links'
    /// and mentions' markup (`max` and `got` count that).
    TitleMarkupTooLong {
        max: usize,
        got: usize,
    },
    /// The same for a description.
    DescriptionMarkupTooLong {
        max: usize,
        got: usize,
    },
    /// A mention in a title, which lists and digests could show only as "someone".
    TitleNamesSomeone,
    DescriptionTooLong {
        max: usize,
        got: usize,
    },
    NoSuchProject(ProjectNumber),
    /// Pitched in a private channel, and asked about elsewhere by someone not in its team.
    PrivateProject(ProjectNumber),
    /// Named by mention in a channel shared with another organisation, and pitched in
    /// another channel, not in the public catalogue.
    NotShownInSharedChannel(ProjectNumber),
    /// `digest` (on, off, moved) by mention in a channel shared with another organisation.
    DigestBySlashInSharedChannel,
    /// A pitch can be made only where the bot can post, i.e. not in a DM with someone else.
    CannotPitchHere,
    /// The workspace has the app, as Slack sees it, but the bot does not serve it (its
    /// install was refused, or never finished): nothing is recorded for it.
    NotServedHere,
    ProjectRetired(ProjectNumber, Phase),
    EmptyCouncil,
    /// A council name no council recorded has (`near`: a recorded one close to it).
    NoSuchCouncil {
        typed: String,
        near: Option<String>,
    },
    EmptyUpdate,
    UpdateTooLong {
        max: usize,
        got: usize,
    },
    /// Only the team (and the pitcher) may post updates or move the phase.
    NotInTeam(ProjectNumber),
    /// The same, for a retired project, which nobody can join to do so.
    NotInRetiredTeam(ProjectNumber),
    AlreadyInPhase(ProjectNumber, Phase),
    CouncilTooLong {
        max: usize,
    },
    /// `digest` in a DM: digests are for channels.
    DigestNeedsChannel,
    /// A council name that names no council: only kind words ("Borough Council") or a Slack
    /// token (`<!channel>`).
    CouncilNotAName,
    /// A name two councils share, without the word that says which ("Chichester": the City
    /// Council or the District Council); `choices` are their names in full.
    CouncilAmbiguous {
        choices: [String; 2],
    },
    /// A council's name that says there is none ("none", "n/a", "no council"): it would
    /// become a council called "None" in every workspace's give and take.
    CouncilSaysNone,
    /// `council none`: the same said of the asker's own council, which only a forget
    /// clears.
    OwnCouncilSaysNone,
    /// `search` with nothing searchable in it.
    EmptySearch,
    /// `search` of words so common that ranking what holds them took too long.
    SearchTooBroad {
        words: String,
    },
    /// Re-use is recorded per council, so the asker must say theirs first.
    CouncilFirst,
    /// The same for a `reuse`, with `again`, the command as they typed it (its address or
    /// number, and note), to type again once they have: often copied from a catalogue page
    /// by someone new. (A variant of its own: answers queued by an older build hold the one
    /// above as a bare name.)
    CouncilFirstThen {
        again: String,
    },
    /// A council re-using its own project (re-use is between councils).
    OwnProject(ProjectNumber),
    /// A retired project is not taking new re-users.
    RetiredNotReusable(ProjectNumber),
    /// `link` with an address the catalogue will not show.
    BadLink(BadLink),
    /// A button whose value names no project (a message from an older build, say).
    StaleButton,
    /// Only a project's lead (its pitcher, until they hand it over) takes someone else off
    /// its team (anyone in it, once the lead has left it).
    OnlyThePitcherRemoves(ProjectNumber),
    /// Only a project's lead hands it over (anyone in its team, once the lead has left it).
    OnlyTheLeadHandsOver(ProjectNumber),
    /// `handover`, `remove` or `lead-council` by someone outside the team of an open project
    /// whose lead has left it: nobody leads it now, and joining is the way to take it on
    /// (`show`, which these refusals otherwise point to, no longer names a lead).
    LeadLeftJoinFirst(ProjectNumber),
    /// Only a project's lead sets its lead council (anyone in its team, once the lead has
    /// left it).
    OnlyTheLeadSetsCouncil(ProjectNumber),
    /// An operator has taken the project out of the public catalogue (`makers-bot
    /// takedown`), so its team cannot publish it.
    HeldFromCatalogue(ProjectNumber),
    /// `correct` on a project the asker has posted no update on.
    NoUpdateToCorrect(ProjectNumber),
    /// `withdraw` on a project the asker has posted no update on.
    NoUpdateToWithdraw(ProjectNumber),
    /// `correct` when the asker's latest update on the project is withdrawn.
    LatestUpdateWithdrawn(ProjectNumber),
    /// `correct` (or an edit of their update made by mention) by someone no longer in the
    /// team: taken off by the lead, or left. Their words are theirs to take back
    /// (`withdraw`), not to rewrite.
    NotInTeamToCorrect(ProjectNumber),
    /// A join by reaction past the reactor's allowance: their reaction stays on the
    /// announcement, but did not join them.
    ReactionNotCounted {
        number: ProjectNumber,
        wait_secs: u32,
    },
    /// A mention edited after the bot acted on it: Slack sends it again, and it is not
    /// applied twice.
    EditedMention,
    /// A mention that made its author's update on `number` edited, the record left as it is:
    /// an earlier update of theirs (not `latest`), which `correct` does not reach; or their
    /// latest, edited into words that are no update (a command, or too long).
    EditedOwnUpdate {
        number: ProjectNumber,
        latest: bool,
    },
    /// A message older than the mentioning messages kept (three days) edited to mention the
    /// bot: whether it was acted on when it was sent cannot be told, so it is not now.
    EditedOldMessage,
    /// `reuse <address>` where no published service has that address.
    NotInCatalogue(Slug),
    /// `remove 12 @sam` by someone outside project 12's team.
    OnlyTheLeadRemoves(ProjectNumber),
    /// `reuse <address>` of a service the asker's council leads.
    OwnService(Slug),
    /// `reuse <address>` of a retired service, by a council not re-using it already.
    RetiredService(Slug),
    /// A new note on, or the withdrawal of, a council's re-use said in another workspace by
    /// someone else (`store::may_change_reuse`).
    ReuseSaidElsewhere {
        council: String,
    },
    /// `merge 4 into 4`.
    MergeIntoItself(ProjectNumber),
    /// `merge 7 into 4` where 4 is retired: a team carries on in an open project.
    /// `back_to`: the phase 4 left when it was retired, to bring it back to; `carries_on`:
    /// the open project 4 was merged into (shown where asked), where 7 may carry on too.
    MergeIntoRetired {
        number: ProjectNumber,
        into: ProjectNumber,
        #[serde(default = "said_before_back_to")]
        back_to: Phase,
        #[serde(default)]
        carries_on: Option<ProjectNumber>,
    },
    /// `merge 7 into 4` where they are in two channels and `private` (one of them) was
    /// pitched in a private one: each thread's line names the other project.
    MergeAcrossPrivate {
        number: ProjectNumber,
        into: ProjectNumber,
        private: ProjectNumber,
    },
    /// `merge 7 into 4` by mention in a channel shared with another organisation, the two
    /// pitched in two channels: its thread's line would name the other to that organisation.
    MergeInSharedChannel {
        number: ProjectNumber,
        into: ProjectNumber,
    },
    /// `merge 7 into 4` of two projects pitched in different channels, one of which
    /// (`shared`'s) Slack says is shared with another workspace or organisation.
    MergeAcrossShared {
        number: ProjectNumber,
        into: ProjectNumber,
        shared: ProjectNumber,
    },
    /// `merge 7 into 4` when 7 is merged into 4 already.
    AlreadyMerged {
        number: ProjectNumber,
        into: ProjectNumber,
    },
    /// `merge 7 into 5` when 7 is merged into `into` (4) already: brought back first, to
    /// `back_to`, the phase it left when the merge (or an earlier retiring) retired it.
    MergedElsewhere {
        number: ProjectNumber,
        into: ProjectNumber,
        #[serde(default = "said_before_back_to")]
        back_to: Phase,
    },
    /// `merge 4 into 7` by someone in 7's team, not 4's: only 4's team may retire it, and
    /// they may have meant it the other way round.
    MergeWrongWay {
        number: ProjectNumber,
        into: ProjectNumber,
    },
    /// `reuse 7` of a retired project merged into `into` (open, and shown where asked): a
    /// council re-uses the work where it carries on. `offer_reuse`: `reuse` of `into` is
    /// offered (not to a council that leads it or re-uses it already).
    ReuseMerged {
        number: ProjectNumber,
        into: ProjectNumber,
        #[serde(default = "offered_before")]
        offer_reuse: bool,
    },
    /// `reuse <address>` of a retired service merged into the published service `into`.
    ReuseMergedService {
        service: Slug,
        into: Slug,
        #[serde(default = "offered_before")]
        offer_reuse: bool,
    },
    /// `join 7` where 7 was merged into `into` (open): its team carries on there.
    ProjectMerged {
        number: ProjectNumber,
        into: ProjectNumber,
        title: super::Title,
    },
}

/// Why a text could not become a command. `slack::render` words it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ParseError {
    /// `show` without a project.
    MissingProject { sub: String },
    /// `show banana`.
    BadProjectRef { sub: String, got: String },
    /// Words after the project number of a subcommand that takes only the number.
    UnexpectedWords { sub: String, got: String },
    /// Words after a subcommand that takes nothing (`councils please`).
    TakesNothing { sub: String, got: String },
    /// `reuse 4 on our website` (or `reuse bin-day-finder on our website`): a note without
    /// the `|` that comes before it; `named` is the project's number or address as typed.
    NoteWithoutBar { named: String, note: String },
    /// `phase 4 beta passed the assessment`: a phase, then a note typed without its `|`.
    PhaseNoteWithoutBar {
        project: ProjectNumber,
        phase: Phase,
        note: String,
    },
    /// `edit 12` without a title or a description.
    MissingNewTitle(ProjectNumber),
    /// `pitch <title> | <description>`, the help's line copied as it is.
    PlaceholderTitle,
    /// `phase 12` without a phase.
    MissingPhase,
    /// `phase 12 gamma`.
    UnknownPhase { got: String },
    /// `list everything`.
    UnknownListFilter { got: String },
    /// `digest someday 25:00`.
    BadDigestTime { got: String },
    /// `report next quarter`: words that name no span of days.
    BadReportSpan { got: String },
    /// `link 3` without a kind, or `link 3 wiki …` (`got` is empty when missing).
    BadLinkKind { got: String },
    /// `link 3 code` without an address.
    MissingLinkUrl,
    /// `skills juggling`: a word or phrase that names none of the skills ([`Skill::ALL`]).
    ///
    /// [`Skill::ALL`]: super::Skill::ALL
    UnknownSkill { got: String },
    /// `wants 3` or `list needs` without a skill.
    MissingSkills { sub: String },
    /// `list needs developer, designer`: one skill at a time.
    OneSkillAtATime,
    /// `remove 12` or `handover 12` without the person as an @-mention (`got`: what came
    /// instead, if anything).
    MissingPerson { sub: String, got: String },
    /// `lead-council 12` without the council's name.
    MissingLeadCouncil,
    /// `merge 12` without the project it carries on as.
    MissingMergeTarget(ProjectNumber),
    /// `merge 4` in the thread of another project: which of the two carries on is asked.
    MergeWhichWay {
        number: ProjectNumber,
        thread: ProjectNumber,
    },
    /// `list council` without the council's name.
    MissingListCouncil,
    /// `list council <words>` or `lead-council 12 <words>` where the words name no council
    /// (`Borough Council`, a mention): said with that command's example.
    NotACouncilName { sub: String },
    /// `correct 12` without the new words.
    MissingCorrection(ProjectNumber),
    /// A `phase` or `reuse` note past an update's length (one note replaces another, so
    /// it cannot be posted in two as an update can).
    NoteTooLong { max: usize, got: usize },
    /// `edit 12 <title>` past a title's length (words after a `|` would replace the
    /// description, so the pitch's advice to put the rest there does not hold).
    EditedTitleTooLong { max: usize, got: usize },
    /// `edit 12 <title>` within its limit as shown but past what is kept as Slack sends it
    /// (its links' markup): as a pitch's, without the advice to put links after a `|`.
    EditedTitleMarkupTooLong { max: usize, got: usize },
    /// `edit 12 <title naming @someone>`: as a pitch's, said with `edit` (`n`: the project).
    EditedTitleNamesSomeone(ProjectNumber),
    /// `correct 12 <text>` past an update's length (a correction replaces the update, so it
    /// cannot be posted in two as an update can).
    CorrectionTooLong { max: usize, got: usize },
    /// A slip of a command's word alone in a pitch's thread (`@Makers joni`): not posted as
    /// the team's news, and `sub`, the command it looks like, offered as it works in the
    /// thread of `project` (`None` in an answer queued by an earlier build).
    SlipInThread {
        word: String,
        sub: String,
        #[serde(default)]
        project: Option<ProjectNumber>,
    },
    /// A value that failed its domain rule (empty title, too long, …).
    Invalid(UserError),
}

/// Why a request came to nothing, for the person who made it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Problem {
    /// The text did not parse as a command.
    Parse { error: ParseError },
    /// The command parsed, but the rules refuse it.
    Refused { error: UserError },
    /// Text worded by a build from before problems were data (an outbox row written then);
    /// shown as it was stored.
    Worded { text: String },
}

impl From<UserError> for ParseError {
    fn from(error: UserError) -> Self {
        ParseError::Invalid(error)
    }
}

impl From<UserError> for Problem {
    fn from(error: UserError) -> Self {
        Problem::Refused { error }
    }
}

impl From<ParseError> for Problem {
    fn from(error: ParseError) -> Self {
        Problem::Parse { error }
    }
}
