//! `makers-bot serve` and friends; see `makers-bot --help`.

use std::process::ExitCode;

use clap::{ArgGroup, Parser, Subcommand};
use makers_bot::app::{self, App};
use makers_bot::config::{Config, ConfigError, Needs};
use makers_bot::domain::{TeamId, UserId, for_terminal};
use makers_bot::operator;
use makers_bot::slack::render;
use makers_bot::telemetry;

#[derive(Parser)]
#[command(
    name = "makers-bot",
    version,
    about = "Slack bot for Makers Project Teams"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve Slack's requests (events, slash commands, interactivity) over HTTP.
    Serve,
    /// Check that serve could start with these settings (database, address); exit 2 naming
    /// the setting if not. For a service manager to run first. It changes nothing, but
    /// forgets again whom the forget ledger lists in a database put back from before they
    /// asked to be forgotten, and makes again the takedowns and erases it lists since.
    Check,
    /// Post the weekly digest now, or print one channel's digest without posting it.
    // One of the two is required; the group names both when neither is given.
    #[command(group(ArgGroup::new("mode").required(true).args(["now", "dry_run"])))]
    Digest {
        /// Post the digest to every subscribed channel now, then exit.
        #[arg(long, conflicts_with = "dry_run")]
        now: bool,
        /// Print the channel's digest as text; no Slack call.
        #[arg(long, requires = "channel")]
        dry_run: bool,
        /// The channel (C…) for --dry-run (--now posts to every subscribed channel, and
        /// refuses one named, rather than post everywhere what was meant for one).
        // `conflicts_with`, not `requires = "dry_run"`: clap excuses a missing required
        // argument that conflicts with one given, so `requires` let `--now --channel C…`
        // through.
        #[arg(long, value_name = "C…", conflicts_with = "now")]
        channel: Option<String>,
        /// The workspace (T…) for --dry-run, where workspaces share the channel.
        #[arg(long, value_name = "T…", conflicts_with = "now")]
        team: Option<String>,
    },
    /// Copy the database to FILE (consistent while serve runs; never overwrites FILE).
    Backup {
        #[arg(value_name = "FILE")]
        file: std::path::PathBuf,
    },
    /// Print, as JSON, everything recorded for a workspace, or about one person in it.
    Export {
        /// The workspace (T…); every workspace without it.
        #[arg(long, value_name = "T…")]
        team: Option<String>,
        /// The person (U…): what is recorded about them (a subject access request).
        #[arg(long, value_name = "U…")]
        user: Option<String>,
    },
    /// Take a project out of the public catalogue and keep it out (a complaint, a mistake):
    /// its team is told why in the pitch's thread and cannot publish it again until --lift.
    Takedown {
        #[arg(long, value_name = "T…")]
        team: String,
        /// The project's number, as in /makers show 4.
        #[arg(long, value_name = "N")]
        project: u32,
        /// Why, in a sentence: told to the team.
        #[arg(long, value_name = "TEXT", conflicts_with = "lift")]
        reason: Option<String>,
        /// Allow the team to publish it again instead.
        #[arg(long)]
        lift: bool,
    },
    /// Forget a person, as /makers forget me does: out of every team, their council and
    /// skills gone, their pitches and updates kept naming nobody.
    Forget {
        #[arg(long, value_name = "T…")]
        team: String,
        #[arg(long, value_name = "U…")]
        user: String,
    },
    /// Print a period's figures, as /makers report answers: what was pitched, moved on,
    /// went live, joined, published and re-used, compared with the period before, where
    /// things stand, and each council's part; or every project of the period
    /// (--projects); for a workspace, or every workspace the bot serves.
    Report {
        /// The workspace (T…); every workspace the bot serves without it.
        #[arg(long, value_name = "T…")]
        team: Option<String>,
        /// Each council's part in the period as CSV (a header row, then a council a row),
        /// for a spreadsheet.
        #[arg(long, group = "csv_out")]
        csv: bool,
        /// Every project active at some time in the period as CSV, a project a row (what
        /// happened to it in the period, where it stands now), for a return's or a
        /// funder's project list.
        #[arg(long, group = "csv_out")]
        projects: bool,
        /// With --csv or --projects: for Excel (UTF-8's byte order mark first, CRLF line
        /// ends), which otherwise misreads "Môn" and the like.
        #[arg(long, requires = "csv_out")]
        excel: bool,
        /// The titles of projects pitched in private channels too, in the report or with
        /// --projects (left out unless asked for: what is printed may go further than
        /// those channels). Not with --csv, whose councils' rows name no project.
        #[arg(long, conflicts_with = "csv")]
        private_titles: bool,
        /// With --projects: only the projects this council led at the period's end (its
        /// recorded name, any spelling of it, or a former name), for its own return.
        #[arg(long, value_name = "COUNCIL", requires = "projects")]
        council: Option<String>,
        /// The period, in /makers report's words: none (this financial quarter so far),
        /// `last quarter`, `Q2`, `April`, `year`, `2026/27`, `last 30 days`, `all`,
        /// `since 2026-04-01`, `2026-04-01 to 2026-06-30`.
        #[arg(value_name = "PERIOD", num_args = 0..)]
        period: Vec<String>,
    },
    /// Councils as they change: merged into another (local government reorganisation), or
    /// renamed; or one person's council put right.
    Council {
        #[command(subcommand)]
        command: CouncilCommand,
    },
    /// For a lost MAKERS_SECRET_KEY: forget the stored installations (their bot tokens, which
    /// no key at hand opens) and record MAKERS_SECRET_KEY as the key. Every workspace keeps
    /// its projects, people and history, and installs Makers again through /slack/install.
    /// Without --yes, says which workspaces would. Refused while serve runs.
    ForgetTokens {
        /// Forget them, for good.
        #[arg(long)]
        yes: bool,
    },
    /// Erase everything recorded for a workspace that has removed the app: its projects,
    /// updates, people, posts and all. Without --yes, says what it would erase.
    Erase {
        #[arg(long, value_name = "T…")]
        team: String,
        /// Erase, for good (refused while the workspace still has the bot installed, or
        /// posts to it are still to be made).
        #[arg(long)]
        yes: bool,
        /// With --yes: the workspace has removed the app though the bot missed Slack's word;
        /// its installation is erased too.
        #[arg(long, requires = "yes")]
        even_if_installed: bool,
    },
}

#[derive(Subcommand)]
enum CouncilCommand {
    /// List every recorded council, with its people, led projects and re-uses, and the
    /// former councils' names that lead to it.
    List,
    /// Merge councils into one (district councils into a new unitary council), or rename one
    /// (one council, a new name): their people, the projects they lead and their re-uses
    /// become its (a re-use of its own work, or a second of one project, ends), and their
    /// names lead to it from then on. Without --yes, says what it would do.
    Merge {
        /// The councils to merge, by their recorded names or any spelling of them.
        #[arg(value_name = "COUNCIL", required = true)]
        from: Vec<String>,
        /// The council they become: a recorded council, or a new name.
        #[arg(long, value_name = "COUNCIL")]
        into: String,
        /// Merge, for good.
        #[arg(long)]
        yes: bool,
    },
    /// Put right one person's council recorded wrongly (a rectification request: they never
    /// worked there): from the start, not as a change of job, so that their joins, and the
    /// projects they pitched, that count for it in reports (past periods' too) and in
    /// `export` count for the right one. Only what was recorded through its last spell
    /// with them. Without --yes, says what it would change.
    Correct {
        /// The workspace (T…) where they said it.
        #[arg(long, value_name = "T…", value_parser = operator::team_arg)]
        team: TeamId,
        /// The person (U…).
        #[arg(long, value_name = "U…", value_parser = operator::user_arg)]
        user: UserId,
        /// The council recorded wrongly, by its recorded name or any spelling of it.
        #[arg(value_name = "COUNCIL", value_parser = operator::council_arg)]
        wrong: String,
        /// The council they worked for: a recorded council, or a new name.
        #[arg(long, value_name = "COUNCIL", value_parser = operator::council_arg)]
        into: String,
        /// Correct it, for good.
        #[arg(long)]
        yes: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let needs = match cli.command {
        Command::Serve | Command::Check => Needs::Serve,
        Command::Digest { now: true, .. } => Needs::PostOnly,
        Command::Digest { .. }
        | Command::Backup { .. }
        | Command::Export { .. }
        | Command::Forget { .. }
        | Command::Erase { .. }
        | Command::ForgetTokens { .. }
        | Command::Council { .. }
        | Command::Report { .. }
        | Command::Takedown { .. } => Needs::Nothing,
    };
    let config = match Config::from_env(needs) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("makers-bot: {e}");
            return ExitCode::from(2);
        }
    };
    telemetry::init(config.log_format);
    if matches!(cli.command, Command::Serve | Command::Check)
        && let Err(refused) = settings_fit_to_serve(&config, matches!(cli.command, Command::Check))
    {
        return refused;
    }
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("makers-bot: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        match cli.command {
            Command::Serve => {
                // Listen for SIGTERM before accepting connections: one sent in between would
                // otherwise kill the process instead of stopping it gracefully.
                let stop = app::stop_on_signal();
                let app = App::build(&config).await?;
                app.run(stop).await;
                anyhow::Ok(ExitCode::SUCCESS)
            }
            Command::Check => {
                let checked = app::check(&config).await?;
                let made = checked.made_again;
                if made.forgotten > 0 {
                    out(&format!(
                        "makers-bot: forgot again {} person(s) who asked to be forgotten after this copy of the database was made (the forget ledger beside it lists them)\n",
                        made.forgotten
                    ))?;
                }
                if made.operators > 0 {
                    out(&format!(
                        "makers-bot: made again {} takedown(s), lift(s) and erase(s) an operator made after this copy of the database was made (the forget ledger beside it lists them)\n",
                        made.operators
                    ))?;
                }
                if let Some(key) = checked.key_said {
                    out(&format!("makers-bot: {key}\n"))?;
                }
                if let Some(missing) = &checked.ledger_missing {
                    out(&format!("makers-bot: warning: {missing}\n"))?;
                }
                out("makers-bot: the settings, database and address are usable\n")?;
                Ok(ExitCode::SUCCESS)
            }
            Command::Digest { now: true, .. } => {
                let run = app::digest_now(&config).await?;
                out(&format!(
                    "posted {} digest(s); {} could not be posted yet\n",
                    run.posted, run.owed
                ))?;
                if run.refused > 0 {
                    eprintln!(
                        "makers-bot: {} digest(s) refused by Slack (the log above says why; a channel the bot cannot post in stops getting it until the bot is invited back)",
                        run.refused
                    );
                }
                if run.skipped > 0 {
                    eprintln!(
                        "makers-bot: {} channel(s) skipped: their digest could not be composed (the log above says why)",
                        run.skipped
                    );
                }
                if let Some(why) = &run.unqueued {
                    eprintln!(
                        "makers-bot: the other channels' digests could not be queued ({why}): nothing of theirs was changed; run it again for them (a channel posted above then gets a second, short digest)"
                    );
                }
                Ok(if run.complete() {
                    ExitCode::SUCCESS
                } else {
                    ExitCode::FAILURE
                })
            }
            Command::Backup { file } => {
                // Stopped half way (Ctrl-C, a cron job's time limit, the operator's ssh
                // session dropped), the half-made copy, which holds everything, is not left
                // behind where nobody knows of it.
                let partial = operator::partial_copy(&file);
                #[cfg(unix)]
                let (mut term, mut hup) = {
                    use tokio::signal::unix::{SignalKind, signal};
                    (signal(SignalKind::terminate())?, app::hang_up())
                };
                tokio::spawn(async move {
                    #[cfg(unix)]
                    tokio::select! {
                        _ = tokio::signal::ctrl_c() => {}
                        _ = term.recv() => {}
                        _ = hup.recv() => {}
                    }
                    #[cfg(not(unix))]
                    let _ = tokio::signal::ctrl_c().await;
                    operator::stop_backup(&partial)
                });
                operator::backup(&config.db_path, &file)?;
                out(&format!(
                    "backed up {} to {}\n",
                    config.db_path.display(),
                    file.display()
                ))?;
                Ok(ExitCode::SUCCESS)
            }
            Command::Export { team, user } => {
                let conn = app::read_existing_store(&config)?;
                // Written as it is read: a big workspace's export is tens of MB.
                let stdout = std::io::stdout().lock();
                let found = operator::export(&conn, team.as_deref(), user.as_deref(), stdout)?;
                if found.found_nothing {
                    // An empty answer is an answer, but a mistyped id would give one too;
                    // not so for someone forgotten, whose requests to be are known.
                    match found.asked_to_be_forgotten {
                        true => eprintln!(
                            "makers-bot: only their requests to be forgotten are recorded (forget_requests): they asked to be forgotten"
                        ),
                        false => eprintln!(
                            "makers-bot: nothing is recorded for that (ids are as Slack writes them, e.g. T0123ABCD, U0123ABCD)"
                        ),
                    }
                }
                Ok(ExitCode::SUCCESS)
            }
            Command::Forget { team, user } => {
                let store = app::open_existing_store(&config)?;
                let forgotten = operator::forget(&store, &team, &user, &config.join_emoji)?;
                for (table, n) in &forgotten {
                    out(&format!("{table}: {n}\n"))?;
                }
                if forgotten.iter().all(|(_, n)| *n == 0) {
                    // Nothing changed is an answer, but a mistyped id would give one too.
                    eprintln!(
                        "makers-bot: nothing was recorded about {user} (ids are as Slack writes them, e.g. U0123ABCD)"
                    );
                }
                Ok(ExitCode::SUCCESS)
            }
            Command::Erase {
                team,
                yes,
                even_if_installed,
            } => {
                let db = app::open_to_change_if(&config, yes)?;
                out(&format!(
                    "{}\n",
                    operator::erase(&db, &team, even_if_installed, config.rules().tz)?
                ))?;
                Ok(ExitCode::SUCCESS)
            }
            Command::ForgetTokens { yes } => {
                out(&format!("{}\n", app::forget_tokens(&config, yes)?))?;
                Ok(ExitCode::SUCCESS)
            }
            Command::Council {
                command: CouncilCommand::List,
            } => {
                let conn = app::read_existing_store(&config)?;
                out(&format!("{}\n", operator::list_councils(&conn)?))?;
                Ok(ExitCode::SUCCESS)
            }
            Command::Council {
                command: CouncilCommand::Merge { from, into, yes },
            } => {
                let db = app::open_to_change_if(&config, yes)?;
                out(&format!(
                    "{}\n",
                    operator::merge_councils(&db, &from, &into)?
                ))?;
                Ok(ExitCode::SUCCESS)
            }
            Command::Council {
                command:
                    CouncilCommand::Correct {
                        team,
                        user,
                        wrong,
                        into,
                        yes,
                    },
            } => {
                let db = app::open_to_change_if(&config, yes)?;
                let tz = config.rules().tz;
                out(&format!(
                    "{}\n",
                    operator::correct_council(&db, &team, &user, &wrong, &into, tz)?
                ))?;
                Ok(ExitCode::SUCCESS)
            }
            Command::Report {
                team,
                csv,
                projects,
                excel,
                private_titles,
                council,
                period,
            } => {
                let to = operator::CsvFor {
                    excel,
                    private_titles,
                };
                let conn = app::read_existing_store(&config)?;
                let now = chrono::Utc::now();
                let tz = config.rules().tz;
                let period = period.join(" ");
                if projects {
                    let (team, council) = (team.as_deref(), council.as_deref());
                    let list = operator::projects_csv(&conn, team, council, &period, now, tz, to)?;
                    for note in &list.notes {
                        eprintln!("makers-bot: {}", for_terminal(note));
                    }
                    out(&list.csv)?;
                    let hidden = list.hidden;
                    if hidden > 0 {
                        eprintln!(
                            "makers-bot: {hidden} project(s) pitched in a private channel listed without a title; --private-titles gives them"
                        );
                    }
                } else {
                    let team = team.as_deref();
                    let report = operator::report(&conn, team, &period, now, tz, private_titles)?;
                    match csv {
                        true => out(&operator::councils_csv(&report, to)?)?,
                        false => out(&render::report_text(&report))?,
                    }
                    let hidden = report.figures.happened.went_live_unnamed;
                    if hidden > 0 && !csv {
                        eprintln!(
                            "makers-bot: {hidden} project(s) pitched in a private channel counted without a title; --private-titles gives them"
                        );
                    }
                }
                if let Some(team) = &team
                    && operator::nothing_pitched(&conn, team)?
                {
                    // An empty report is an answer, but a mistyped id would give one too.
                    eprintln!(
                        "makers-bot: no project was ever pitched in workspace {team} (ids are as Slack writes them, e.g. T0123ABCD)"
                    );
                }
                Ok(ExitCode::SUCCESS)
            }
            Command::Takedown {
                team,
                project,
                reason,
                lift,
            } => {
                let store = app::open_existing_store(&config)?;
                let said = operator::takedown(&store, &team, project, reason.as_deref(), lift)?;
                out(&format!("{said}\n"))?;
                Ok(ExitCode::SUCCESS)
            }
            Command::Digest { channel, team, .. } => {
                let channel = channel.unwrap_or_default();
                out(&app::digest_dry_run(&config, &channel, team.as_deref())?)?;
                Ok(ExitCode::SUCCESS)
            }
        }
    });
    match result {
        Ok(code) => code,
        Err(e) => {
            // One line naming why. (A setting missing or bad is said before the log exists,
            // in plain text.)
            // (It may name a council as recorded, by an older build too.)
            let why = format!("makers-bot: {e:#}");
            telemetry::say_why_stopped(config.log_format, &for_terminal(&why));
            // A setting that cannot be used exits 2, as a missing or bad one does: the systemd
            // unit does not restart on 2 (restarting would not fix it).
            if e.downcast_ref::<ConfigError>().is_some() {
                ExitCode::from(2)
            } else {
                ExitCode::FAILURE
            }
        }
    }
}

/// Settings that parse but are unfit to serve with: the README's examples refused by `check`
/// and where others can reach the bot (warned of on this machine alone), and OAuth open to
/// every workspace warned of.
fn settings_fit_to_serve(config: &Config, checking: bool) -> Result<(), ExitCode> {
    // The example secret: `serve` on this machine alone (the README's first command) warns;
    // `check` (which deployments run first) and `serve` where others can reach it refuse.
    let reachable = checking || !config.addr.ip().is_loopback();
    if config.signs_with_the_example() {
        refuse_or_warn(
            config.log_format,
            reachable,
            "SLACK_SIGNING_SECRET is the example from the README and deploy/env.example, which anyone can sign requests with: set your Slack app's Signing Secret (Basic Information -> App Credentials), or with Socket Mode alone leave it out",
            "SLACK_SIGNING_SECRET is the README's example, which anyone can sign requests with: fine on your own machine (MAKERS_ADDR is a loopback address), never where others can reach the bot; `makers-bot check` refuses it",
        )?;
    }
    // The example token: Slack refuses every post made with it, so a service that kept it
    // would answer /healthz and post nothing.
    // With OAuth on the token is for workspaces installed without it (none, mostly), and
    // env.example's line may have been kept: warned of, not refused.
    if config.posts_with_the_example() {
        refuse_or_warn(
            config.log_format,
            reachable && config.oauth.is_none(),
            "SLACK_BOT_TOKEN is the example from the README and deploy/env.example, with which Slack refuses every post: set your Slack app's Bot User OAuth Token (OAuth & Permissions), or with OAuth on leave it out",
            "SLACK_BOT_TOKEN is the README's example: the bot answers commands, and Slack refuses every post it makes; `makers-bot check` refuses it",
        )?;
    }
    // Slack's public distribution lets any workspace reach the install page.
    if config.oauth.as_ref().is_some_and(|o| o.allowed.is_none()) {
        tracing::warn!(
            "OAuth is on and MAKERS_ALLOWED_WORKSPACES is not set: any Slack workspace that finds /slack/install can install the bot, and its people's pitches would go into this database and could be published in this catalogue; set it to the ids of the workspaces you serve"
        );
    }
    Ok(())
}

/// Refuses to start (exit 2, `refusal` on stderr) when `refuse`, else logs `warning`.
fn refuse_or_warn(
    format: telemetry::LogFormat,
    refuse: bool,
    refusal: &str,
    warning: &str,
) -> Result<(), ExitCode> {
    if refuse {
        telemetry::say_why_stopped(format, &format!("makers-bot: {refusal}"));
        return Err(ExitCode::from(2));
    }
    tracing::warn!("{warning}");
    Ok(())
}

/// Writes `text` to standard output, as a terminal may read it: without the control
/// characters text stored by an older build may hold ([`for_terminal`]), which the terminal
/// would act on.
fn out(text: &str) -> std::io::Result<()> {
    out_as_is(&for_terminal(text))
}

/// Writes `text` to standard output as it is. A reader that stops reading
/// (`makers-bot export | head`) ends the output quietly, as command-line tools do, not in a
/// panic (`println!` panics).
fn out_as_is(text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        written => written,
    }
}
