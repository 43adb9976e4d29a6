//! The Home tab at the edge: publishing it, and its buttons.
//!
//! `views.publish` is called in a task spawned after Slack has its answer (the event's answer,
//! or the button's), not through the outbox: a Home is the whole of one person's tab and
//! the newest replaces the last, so there is nothing to retry in order, nothing worth
//! keeping across a restart (their next visit publishes again) and no reason to wait behind
//! the channel posts the outbox paces. `views.publish` is Tier 4 (100+ a minute per
//! workspace), far more than people open their Home.

use std::collections::HashMap;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;

use futures_util::FutureExt;
use tracing::Instrument;

use super::answer::Answer;
use super::client::SlackApi;
use super::forms::Opening;
use super::payload::ButtonPress;
use super::render::{self, Look, UpdateForm};
use super::routes::Routes;
use crate::clock::SharedClock;
use crate::commands::Command;
use crate::domain::{ProjectNumber, Rules, TeamId, UserId};
use crate::handlers::{self, Ctx, HomeAction, Privately};
use crate::store::AsyncStore;

/// Publishes people's Homes, one publish at a time per person.
///
/// Two publishes run side by side could reach Slack in the other order, the older Home last,
/// and it would stay until the person's next change. A change while theirs runs is not a
/// second task but a note to read and publish once more when it ends, so a burst of changes
/// is two publishes, the last one reading everything.
pub struct HomePublisher {
    db: AsyncStore,
    api: SlackApi,
    look: Look,
    rules: Arc<Rules>,
    clock: SharedClock,
    /// Whose Home is being published now, and whether it changed since that publish read it.
    running: std::sync::Mutex<HashMap<(TeamId, UserId), bool>>,
}

impl HomePublisher {
    pub fn new(
        db: AsyncStore,
        api: SlackApi,
        look: Look,
        rules: Arc<Rules>,
        clock: SharedClock,
    ) -> HomePublisher {
        HomePublisher {
            db,
            api,
            look,
            rules,
            clock,
            running: Default::default(),
        }
    }

    /// Reads `user`'s Home and publishes it, in a task of its own (in the span of the request
    /// that asked: its lines carry that request's id), after any publish of theirs still
    /// running; failures are logged (the Home stays as it was until the next publish).
    pub(super) fn publish_in_background(self: Arc<Self>, team: TeamId, user: UserId) {
        let whose = (team, user);
        if !self.start(&whose) {
            return;
        }
        let publishing = async move {
            loop {
                // A panic (logged by the panic hook) must not leave the person marked as
                // running for good.
                let once = AssertUnwindSafe(self.publish(&whose)).catch_unwind();
                if once.await.is_err() {
                    tracing::error!("Home publish panicked");
                }
                if !self.again(&whose) {
                    break;
                }
            }
        };
        tokio::spawn(publishing.in_current_span());
    }

    /// True if the caller is to publish (nobody else is); else notes that it must be done
    /// again.
    fn start(&self, whose: &(TeamId, UserId)) -> bool {
        let mut running = self.running.lock().unwrap_or_else(|p| p.into_inner());
        match running.get_mut(whose) {
            Some(again) => {
                *again = true;
                false
            }
            None => {
                running.insert(whose.clone(), false);
                true
            }
        }
    }

    /// True if the Home changed while it was published (the caller publishes again); else
    /// the caller is done.
    fn again(&self, whose: &(TeamId, UserId)) -> bool {
        let mut running = self.running.lock().unwrap_or_else(|p| p.into_inner());
        match running.get_mut(whose) {
            Some(again) if *again => {
                *again = false;
                true
            }
            _ => {
                running.remove(whose);
                false
            }
        }
    }

    /// Reads the person's Home as it is now and publishes it; failures are logged.
    async fn publish(&self, (team, user): &(TeamId, UserId)) {
        let ctx = Ctx::new(
            team.clone(),
            user.clone(),
            user.dm_channel(),
            self.clock.now(),
            self.rules.clone(),
        );
        let home = match self.db.read(move |c| handlers::home(c, &ctx)).await {
            Ok(home) => home,
            Err(e) => {
                tracing::error!(error = format!("{e:#}"), "Home not read");
                return;
            }
        };
        // Its presses are of this workspace, whatever Slack says it was installed in
        // (`payload::HOME_OF`). Drawn as at a time read after the Home was, and no earlier
        // than its newest pitch (a clock stepped back since), so no project it shows was
        // pitched after it (a *Join* on one would be refused as out of date).
        let now = self.clock.now().timestamp();
        let drawn_at = home.newest_pitch_at.map_or(now, |pitched| pitched.max(now));
        let view = render::home_view(&home, &self.look);
        let view = super::payload::home_drawn(view, team, drawn_at);
        if let Err(e) = self.api.publish_view(team, user, view).await {
            tracing::warn!(error = %e, "Home not published");
        }
    }
}

impl Routes {
    /// Publishes `user`'s Home afresh ([`HomePublisher`]).
    pub(super) fn publish_home(&self, team: TeamId, user: UserId) {
        self.homes.clone().publish_in_background(team, user);
    }

    /// A button on the Home tab (no channel). Slack wants an empty answer whatever happens.
    pub(super) async fn home_button(&self, press: ButtonPress) -> Answer {
        let by_another_workspace = self.by_another_workspace(&press, &press.team).await;
        let ButtonPress {
            team,
            user,
            trigger_id,
            action_id,
            value,
            home_drawn_at,
            ..
        } = press;
        let prefix = action_id.split(':').next().unwrap_or("");
        if prefix == render::HOME_PITCH {
            self.open_pitch_form_or_say(team, user, Opening::Home, &trigger_id, "the Home")
                .await;
            return Answer::Done;
        }
        if prefix == render::HOME_REPORT {
            // Someone of another organisation is refused a workspace's report (as by
            // mention in a shared channel), whatever the press says.
            if by_another_workspace {
                tracing::info!("a Home report pressed by someone of another workspace: ignored");
                return Answer::Done;
            }
            // The presser's own council's, whatever the value says: it is their Home.
            let ctx = self.ctx(team, user.clone(), user.dm_channel());
            // Of the quarter the Home said when drawn (a Home drawn on a quarter's last day
            // is pressed the next morning), else as it would say now.
            let asked = match value {
                Some(said) if crate::message::is_home_report(&said) => said,
                _ => crate::message::HomeReport::at(ctx.at, ctx.rules.tz).asked,
            };
            self.send_report_copy(ctx, asked, Privately::InDm).await;
            return Answer::Done;
        }
        let Some(number) = value.as_deref().and_then(ProjectNumber::parse) else {
            tracing::debug!(action_id, "Home button we did not make");
            return Answer::Done;
        };
        let action = match prefix {
            render::HOME_UPDATE => {
                let ctx = self.ctx(team, user.clone(), user.dm_channel());
                self.open_update_form(ctx, &trigger_id, Some(number), String::new(), true)
                    .await;
                return Answer::Done;
            }
            render::HOME_JOIN => HomeAction::Join {
                drawn_at: home_drawn_at,
            },
            render::HOME_SHOW => {
                if self.show_in_modal(&team, &user, &trigger_id, number).await {
                    return Answer::Done;
                }
                HomeAction::Show // the modal did not open: to their DM, as before
            }
            _ => {
                tracing::debug!(action_id, "Home button we did not make");
                return Answer::Done;
            }
        };
        let ctx = self.ctx(team.clone(), user.clone(), user.dm_channel());
        let failed = ctx.clone();
        match self
            .db
            .write(move |tx| handlers::press_home(tx, &ctx, number, action))
            .await
        {
            Ok(()) => {
                self.outbox.notify_one();
                if matches!(action, HomeAction::Join { .. }) {
                    self.publish_home(team, user);
                }
            }
            Err(e) => {
                tracing::error!(error = format!("{e:#}"), "Home press failed");
                self.tell_failure(failed, Privately::InDm).await;
            }
        }
        Answer::Done
    }

    /// `show` for a Home's *Show*, in a modal over the Home the person is looking at; false
    /// if it could not be read or opened (the caller then answers in their DM).
    async fn show_in_modal(
        &self,
        team: &TeamId,
        user: &UserId,
        trigger_id: &str,
        number: ProjectNumber,
    ) -> bool {
        let ctx = self.ctx(team.clone(), user.clone(), user.dm_channel());
        let reply = match self
            .db
            .read(move |c| handlers::run_command(c, &ctx, Command::Show(number)))
            .await
        {
            Ok(reply) => reply,
            Err(e) => {
                tracing::error!(error = format!("{e:#}"), "project not read for the Home");
                return false;
            }
        };
        let view = render::show_modal(number, &reply, &self.look);
        match self.api.open_view(team, trigger_id, view).await {
            Ok(()) => true,
            Err(e) => {
                tracing::warn!(error = %e, "project not shown over the Home; sent to the DM");
                false
            }
        }
    }

    /// Opens the update modal for `user`'s projects (`chosen` pre-selected), or, if they are
    /// in no team, a modal saying how to join one, or, if they may not post to `chosen`, one
    /// saying why (as `/makers update` would). `metadata` says what is being posted. If it
    /// cannot be read or opened, the person is told in their DM, as for the pitch form.
    /// `ctx`: where it was asked for, which decides what `chosen` may be shown there (a
    /// nudge's button in a private channel, its DM from the Home or a message).
    /// `from_home`: opened by a press on a Home, whose workspace (`ctx.team`) its submission
    /// is then of ([`super::payload::drawn_for`]).
    pub(super) async fn open_update_form(
        &self,
        ctx: Ctx,
        trigger_id: &str,
        chosen: Option<ProjectNumber>,
        metadata: String,
        from_home: bool,
    ) {
        let (team, user) = (ctx.team.clone(), ctx.user.clone());
        let read = move |c: &rusqlite::Connection| match chosen {
            Some(n) => handlers::update_form_for(c, &ctx, n),
            None => handlers::update_choices(c, &ctx).map(Ok),
        };
        let choices = match self.db.read(read).await {
            Ok(p) => p,
            Err(e) => {
                tracing::error!(
                    error = format!("{e:#}"),
                    "projects not read for the update form"
                );
                self.say_form_did_not_open(team, user, render::UPDATE_FORM_UNAVAILABLE_TEXT);
                return;
            }
        };
        let view = match choices {
            Err(refusal) => render::refusal_modal(&refusal, &self.look),
            Ok(projects) if projects.is_empty() => render::no_team_modal(&self.look.join_emoji),
            Ok(projects) => render::update_modal(&UpdateForm {
                projects,
                chosen,
                from_message: !metadata.is_empty(),
                from_private: super::post_update::source_of(&metadata),
                metadata,
            }),
        };
        let view = match from_home {
            true => super::payload::drawn_for(view, &team),
            false => view,
        };
        if let Err(e) = self.api.open_view(&team, trigger_id, view).await {
            tracing::warn!(error = %e, "update form not opened");
            let said = super::forms::form_failed_text(
                &e,
                render::UPDATE_FORM_SLOW_TEXT,
                render::UPDATE_FORM_UNAVAILABLE_TEXT,
            );
            self.say_form_did_not_open(team, user, said);
        }
    }
}
