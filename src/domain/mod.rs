//! Domain types that validate on construction ("parse, don't validate"): once a value of one of
//! these types exists it is known to be good, so handlers and the store never re-check strings.

mod council;
mod ids;
mod project;

pub use council::CouncilName;
pub use ids::{ChannelId, MessageTs, TeamId, UserId};
pub use project::{Description, Phase, ProjectNumber, Title};
mod message;

pub use message::{
    Makeup, MembershipNote, Notice, ProjectDetail, ProjectSummary, Reply, TeamMember,
};
