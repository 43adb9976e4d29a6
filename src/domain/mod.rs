//! Domain types that validate on construction ("parse, don't validate"): once a value of one of
//! these types exists it is known to be good, so handlers and the store never re-check strings.
//! This module imports nothing else of the crate.

mod budget;
mod catalogue;
mod council;
mod emoji;
mod ids;
mod oauth_state;
mod problem;
mod project;
#[cfg(test)]
mod properties;
mod public;
mod records;
mod report;
pub mod retention;
mod rules;
mod sealed;
mod search;
mod skills;
mod styled;
mod text;
mod tokens;
mod weekly;

pub use budget::{OverBudget, WriteBudget};
pub use catalogue::{
    BadLink, LinkKind, LinkUrl, ListedAsk, MergedShown, ProjectLink, ReuseShown, ServiceElsewhere,
    ServiceShown, Slug, development_status, name_order,
};
pub use council::{CouncilName, Formerly, ReuseEnds, now_is};
pub use emoji::with_emoji;
pub use ids::{Account, ChannelId, MessageTs, TeamId, UserId};
pub use oauth_state::{BadState, STATE_LIFETIME_SECS, check_state, new_state};
pub use problem::{ParseError, Problem, UserError};
pub use project::{Description, ListFilter, Page, Phase, ProjectNumber, Title, UpdateText};
pub use public::{
    CarriedOn, CatalogueEntry, CataloguePage, MergedService, PublicPhaseChange, PublicReuse,
    after_scheme, names_id, public_council, public_name, public_text, without_person,
};
pub use records::{
    CarriedOnAs, CouncilMoves, CouncilPart, DigestSnapshot, GiveAndTake, HomeProject, JoinItem,
    LedBefore, Makeup, OpenProject, Period, PhaseChangeView, PhaseItem, PitchItem, Progress,
    ProjectDetail, ProjectHead, ProjectRef, ProjectSummary, ReuseItem, ReuseView, SkillMatch,
    TeamMember, UpdateItem, UpdateView,
};
pub(crate) use report::midnight;
pub use report::{
    CouncilInPeriod, Count, Happened, ProjectInPeriod, ReportFigures, ReportPeriod, ReportSpan,
    SpanKind, Standing, day_to_tally, financial_year_name, open_total, pinned, quarter_ended_in,
    quarter_just_ended, quarter_name, tally_to_come,
};
pub use rules::{Rules, is_working_hours, quiet_days};
pub use sealed::{BotToken, DoesNotOpen, SealingKey, derive as derive_key};
pub use search::{SearchWords, is_word_char};
pub use skills::{Skill, parse_skills};
pub use styled::{Style, Styled, styled, unmarked_styles, web_addresses};
/// Text without control, bidirectional-override and invisible characters.
pub use text::{
    edit_distance, for_terminal, link_bare_addresses, linked_or_typed, spreadsheet_inert,
    strip as strip_invisible, unmarked,
};
pub use tokens::{
    Piece, Pieces, Token, chars_within_utf16, cut_typed, cut_utf16_with_ellipsis,
    cut_with_ellipsis, is_address, is_id, pieces, shown_len, utf16_len,
};
pub use weekly::WeeklyTime;
