//! The `protokoll` command: one subcommand per job, each a thin call into the library.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use protokoll::extract;

#[derive(Parser)]
#[command(name = "protokoll", version, about = "Sök, importera och följ beslut i svenska sammanträdesprotokoll")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print a document's text in reading order (pages separated by form feeds).
    Extract {
        file: PathBuf,
    },
}

fn main() -> ExitCode {
    match try_main() {
        Ok(code) => code,
        Err(err) => {
            if is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            eprintln!("protokoll: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| e.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe))
}

fn try_main() -> anyhow::Result<ExitCode> {
    let cli = Cli::parse();
    match cli.command {
        Command::Extract { file } => run_extract(&file),
    }
}

/// Prints the text of one document, as `pdftotext -layout` would.
fn run_extract(file: &std::path::Path) -> anyhow::Result<ExitCode> {
    let doc = extract::extract_path(file, &extract::Options::default()).with_context(|| file.display().to_string())?;
    for w in &doc.warnings {
        eprintln!("protokoll: {}: {w}", file.display());
    }
    let mut out = std::io::stdout().lock();
    out.write_all(doc.text().as_bytes())?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
