//! What the bot says, before it is rendered for Slack: a [`Reply`] answers the person who
//! asked; a [`Notice`] is a message the bot posts on its own (through the outbox); a
//! [`Digest`] is a channel's week. All plain data over `domain`; `slack::render` turns them
//! into Block Kit, escaping all user text there.

mod digest;
mod home;
mod notice;
mod reply;
mod report;

pub use digest::{
    Digest, Headline, Listed, NeedItem, QuietItem, SMALL_TEAM, compose, shorten, shorten_to,
};
pub use home::{HOME_LAST_QUARTER, HOME_THIS_QUARTER, Home, HomeReport, Reused, is_home_report};
pub use notice::{
    AnnouncementBody, MergedInto, NEVER_ANNOUNCED, Notice, ProjectNamed, ReusedNews, TeamChange,
};
pub use reply::{
    CorrectedLine, DescriptionChange, Formerly, LeadBefore, LeadCouncilNote, LinkNote,
    MembershipNote, PublicationNote, Reply, ReuseNote, ThreadLine,
};
pub use report::{Before, CouncilBefore, CouncilReport, Report, ReportDays, ReportOf};
