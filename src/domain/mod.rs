//! Domain types that validate on construction ("parse, don't validate"): once a value of one of
//! these types exists it is known to be good, so handlers and the store never re-check strings.

mod council;
mod ids;
mod project;

pub use council::CouncilName;
pub use ids::{ChannelId, MessageTs, TeamId, UserId};
pub use project::{Description, ListFilter, Phase, ProjectNumber, Title, UpdateText};
mod message;

pub use message::{
    Makeup, MembershipNote, Notice, PhaseChangeView, Progress, ProjectDetail, ProjectSummary,
    Reply, TeamMember, UpdateView,
};
