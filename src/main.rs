//! The `protokoll` command: reads the command line (`cli::args`, in Swedish through
//! `cli::swedish`), finds the index a command works on, runs the command (one function
//! per job in `cli`), and says an error in one line (`cli::errors`).

mod cli;

use std::process::ExitCode;

use protokoll::index::IndexError;
use protokoll::index::check;
use protokoll::index::filters::DateRange;
use protokoll::index::lexicon::Dictionary;
use protokoll::index::location::IndexLocation;
use protokoll::index::search::SearchOptions;

use cli::args::{Cli, Command, excluded_words_as_query};
use cli::document::{run_extract, run_parse};
use cli::errors::{PANIC, explain, is_broken_pipe, quiet_panics};
use cli::ingest::{run_check, run_ingest, run_remove};
use cli::query::{run_bodies, run_list, run_search, run_serve, run_show, run_timeline};
use cli::swedish::{parse_command_line, print_help};

/// glibc gives each thread that allocates its own malloc arena, and memory freed in one
/// arena is not reused by another: over a long import, the readers' and the index
/// writer's threads leave freed memory scattered, and the peak grows with the number of
/// files (154 MiB at 5,000 generated protocols against 117 MiB at 1,000). Two arenas, one
/// per core of the machines this runs on, keep the peak bounded by the batch (and made
/// the import faster, not slower).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn bound_malloc_arenas() {
    // SAFETY: mallopt only sets a parameter of the allocator; called before any thread
    // is started.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn bound_malloc_arenas() {}

fn main() -> ExitCode {
    bound_malloc_arenas();
    let cli = match parse_command_line(&excluded_words_as_query(std::env::args_os().collect())) {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    if let Command::Help { command } = &cli.command {
        return print_help(command.as_deref());
    }
    let located = match cli.command.index().map(IndexLocation::find).transpose() {
        Ok(located) => located,
        Err(e) => {
            eprintln!("protokoll: {e}");
            return ExitCode::from(2);
        }
    };
    let index = located.as_ref().map(|l| l.path.clone());
    if index.is_some() {
        quiet_panics();
    }
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| try_main(cli, located.as_ref()))) {
        Ok(Ok(code)) => code,
        Ok(Err(err)) => {
            if is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            eprintln!("protokoll: {}", explain(&err, located.as_ref()));
            let cancelled = err.chain().any(|e| matches!(e.downcast_ref::<IndexError>(), Some(IndexError::Cancelled(_))));
            ExitCode::from(if cancelled { 130 } else { 2 })
        }
        // Without an index, a panic is a bug, shown as Rust shows it.
        Err(panic) if index.is_none() => std::panic::resume_unwind(panic),
        Err(_) => {
            let what = PANIC.lock().ok().and_then(|mut p| p.take()).unwrap_or_default();
            match index.as_deref().and_then(|dir| check::first_problem(dir).map(|reason| (dir, reason))) {
                Some((dir, reason)) => eprintln!("protokoll: {}", IndexError::Damaged { path: dir.to_path_buf(), reason }),
                None => eprintln!("protokoll: internt fel ({what}); rapportera gärna kommandot och felet"),
            }
            ExitCode::from(2)
        }
    }
}

/// Runs a command; `located` is the index folder of a command on an index, which `main`
/// found (see [`IndexLocation::find`]).
fn try_main(cli: Cli, located: Option<&IndexLocation>) -> anyhow::Result<ExitCode> {
    let index = located.map(|l| l.path.clone()).unwrap_or_default();
    match cli.command {
        Command::Extract { file, cells, raw, limit } => run_extract(&file, cells, raw, &limit),
        Command::Parse { file, json, limit } => run_parse(&file, json, &limit),
        Command::Ingest { lexicon, report, prune, limit, no_wait, paths, .. } => {
            let code = run_ingest(&index, &Dictionary::choose(lexicon.as_deref()), &paths, report.as_deref(), prune, &limit, no_wait)?;
            if let Some(l) = located {
                println!("Indexet: {} ({}).", l.path.display(), l.why());
            }
            Ok(code)
        }
        Command::Check { lexicon, repair, .. } => run_check(&index, repair, &Dictionary::choose(lexicon.as_deref())),
        Command::List { json, .. } => run_list(&index, json),
        Command::Remove { lexicon, document, .. } => run_remove(&index, &document, &Dictionary::choose(lexicon.as_deref())),
        Command::Search { json, index: _, limit, offset, kind, body, organization, from, to, decisions, decision_kind, person, exact, document, query } => {
            let dates = DateRange::parse(from.as_deref(), to.as_deref())?;
            let opts = SearchOptions {
                limit,
                offset,
                kind,
                body,
                organization,
                from: dates.from,
                to: dates.to,
                decisions_only: decisions,
                person,
                exact,
                items_only: false,
                document,
                decision_kind,
            };
            run_search(&index, &query.join(" "), &opts, json)
        }
        Command::Show { json, document, item, .. } => run_show(&index, &document, item.as_deref(), json),
        Command::Bodies { json, .. } => run_bodies(&index, json),
        Command::Serve { addr, .. } => run_serve(&index, addr),
        Command::Timeline { json, html, topic, .. } => run_timeline(&index, &topic.join(" "), json, html.as_deref()),
        Command::Help { command } => Ok(print_help(command.as_deref())),
    }
}
