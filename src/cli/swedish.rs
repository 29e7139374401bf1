//! The command line in Swedish: clap's help template, headings, usage and value
//! names, the help printed by `help` and `--help`, and every clap error said in one
//! Swedish line with a pointer to the help. It does not define the commands (`args.rs`).

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::CommandFactory;
use protokoll::text::count;

use super::args::Cli;

/// The layout of every help text: clap's own, with its "Usage:" said in Swedish.
const HELP_TEMPLATE: &str = "{before-help}{about-with-newline}\nAnvändning: {usage}\n\n{all-args}{after-help}";

/// The help's heading over flags; clap's is "Options".
const FLAGS_HEADING: &str = "Flaggor";

/// The help's heading over positional arguments; clap's is "Arguments".
const ARGUMENTS_HEADING: &str = "Argument";

/// The command line as clap parses it, with every text clap adds in Swedish: the help's
/// layout and headings, -h and -V, defaults, and the usage lines (clap writes
/// "[OPTIONS]" in them: each is rendered once and said in Swedish).
fn command_line() -> clap::Command {
    let mut cmd = swedish(Cli::command(), true);
    cmd.build();
    let mut usages: Vec<(String, String)> = cmd.get_subcommands_mut().map(|s| (s.get_name().to_string(), swedish_usage(s))).collect();
    usages.push((String::new(), swedish_usage(&mut cmd)));
    for (name, usage) in usages {
        cmd = if name.is_empty() { cmd.override_usage(usage) } else { cmd.mut_subcommand(name, |s| s.override_usage(usage)) };
    }
    cmd
}

/// A command and its subcommands with clap's help texts in Swedish.
pub(crate) fn swedish(cmd: clap::Command, top: bool) -> clap::Command {
    use clap::{Arg, ArgAction};
    let mut cmd = cmd
        .help_template(HELP_TEMPLATE)
        .subcommand_help_heading("Kommandon")
        .subcommand_value_name("KOMMANDO")
        .disable_help_flag(true)
        .disable_version_flag(true)
        .disable_help_subcommand(true)
        .mut_args(swedish_arg)
        .arg(Arg::new("help").short('h').long("help").action(ArgAction::Help).help("Visar hjälpen (-h i korthet)").help_heading(FLAGS_HEADING));
    if top {
        cmd = cmd.arg(Arg::new("version").short('V').long("version").action(ArgAction::Version).help("Visar versionen").help_heading(FLAGS_HEADING));
    }
    cmd.mut_subcommands(|s| swedish(s, false))
}

/// An argument under a Swedish heading, with its default and possible values in its help
/// in Swedish instead of clap's "[default: …]" and "[possible values: …]".
fn swedish_arg(arg: clap::Arg) -> clap::Arg {
    let mut notes = Vec::new();
    if arg.get_action().takes_values() {
        let defaults: Vec<String> = arg.get_default_values().iter().map(|v| v.to_string_lossy().into_owned()).collect();
        if !defaults.is_empty() {
            notes.push(format!("[standard: {}]", defaults.join(", ")));
        }
        let possible: Vec<String> = arg.get_possible_values().iter().filter(|p| !p.is_hide_set()).map(|p| p.get_name().to_string()).collect();
        if !possible.is_empty() {
            notes.push(format!("[möjliga värden: {}]", possible.join(", ")));
        }
    }
    let noted = |help: Option<&clap::builder::StyledStr>| match help {
        Some(h) if !notes.is_empty() => Some(format!("{h} {}", notes.join(" "))),
        Some(h) => Some(h.to_string()),
        None if !notes.is_empty() => Some(notes.join(" ")),
        None => None,
    };
    let (help, long_help) = (noted(arg.get_help()), arg.get_long_help().and_then(|h| noted(Some(h))));
    let heading = if arg.is_positional() { ARGUMENTS_HEADING } else { FLAGS_HEADING };
    let mut arg = arg.help_heading(heading).hide_default_value(true).hide_possible_values(true);
    if let Some(help) = help {
        arg = arg.help(help);
    }
    if let Some(long_help) = long_help {
        arg = arg.long_help(long_help);
    }
    arg
}

/// A command's usage line as clap renders it, with "[FLAGGOR]" for clap's "[OPTIONS]".
fn swedish_usage(cmd: &mut clap::Command) -> String {
    let usage = cmd.render_usage().to_string();
    usage.trim_start_matches("Usage:").trim().replace("[OPTIONS]", "[FLAGGOR]")
}

/// Parses the command line. Help and version are printed as asked (exit status 0); an
/// error is said in one Swedish line and a pointer to the help (exit status 2, as clap's).
pub(crate) fn parse_command_line(args: &[std::ffi::OsString]) -> Result<Cli, ExitCode> {
    use clap::FromArgMatches;
    use clap::error::ErrorKind;
    let mut cmd = command_line();
    let err = match cmd.try_get_matches_from_mut(args).and_then(|m| Cli::from_arg_matches(&m)) {
        Ok(cli) => return Ok(cli),
        Err(err) => err,
    };
    if matches!(err.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand) {
        let _ = err.print();
        return Err(ExitCode::from(u8::try_from(err.exit_code()).unwrap_or(2)));
    }
    let names: Vec<String> = cmd.get_subcommands().map(|s| s.get_name().to_string()).collect();
    let sub = args.iter().skip(1).take_while(|a| *a != "--").find_map(|a| names.iter().find(|n| *a == n.as_str()));
    eprintln!("protokoll: {}", clap_message(&err, &names));
    eprintln!("Se `protokoll{} --help`.", sub.map(|s| format!(" {s}")).unwrap_or_default());
    Err(ExitCode::from(2))
}

/// A value of a clap error's context as text.
fn context_text(err: &clap::Error, kind: clap::error::ContextKind) -> Vec<String> {
    use clap::error::ContextValue;
    match err.get(kind) {
        Some(ContextValue::String(s)) => vec![s.clone()],
        Some(ContextValue::Strings(v)) => v.clone(),
        Some(ContextValue::StyledStr(s)) => vec![s.to_string()],
        Some(ContextValue::StyledStrs(v)) => v.iter().map(ToString::to_string).collect(),
        Some(ContextValue::Number(n)) => vec![n.to_string()],
        _ => Vec::new(),
    }
}

/// A command-line error in Swedish, from the error's kind and context (clap's own text is
/// English). `commands` are the subcommands' names.
fn clap_message(err: &clap::Error, commands: &[String]) -> String {
    use clap::error::{ContextKind as K, ErrorKind as E};
    let first = |k| context_text(err, k).into_iter().next().unwrap_or_default();
    let (arg, value) = (first(K::InvalidArg), first(K::InvalidValue));
    let values = |k| count(first(k).parse::<usize>().unwrap_or(0), "värde", "värden");
    // "--limit <ANTAL>": the flag without its value's name.
    let flag = arg.split_whitespace().next().unwrap_or_default().to_string();
    match err.kind() {
        E::InvalidValue if value.is_empty() => format!("{arg} behöver ett värde"),
        E::InvalidValue => {
            let valid = context_text(err, K::ValidValue);
            if valid.is_empty() {
                format!("{value:?} går inte som {arg}")
            } else {
                format!("{value:?} går inte som {arg}; välj ett av: {}", valid.join(", "))
            }
        }
        // Every value parser of ours words its reason in Swedish, some naming the flag.
        E::ValueValidation => match std::error::Error::source(err).map(|r| r.to_string()) {
            Some(reason) if reason.contains(&flag) => reason,
            Some(reason) => format!("{flag}: {reason}"),
            None => format!("{value:?} går inte som {flag}"),
        },
        E::UnknownArgument => unknown_argument(&arg, &first(K::SuggestedArg), &context_text(err, K::Suggested)),
        E::InvalidSubcommand => {
            let name = first(K::InvalidSubcommand);
            match context_text(err, K::SuggestedSubcommand).first() {
                Some(s) => format!("okänt kommando {name:?}; menade du `protokoll {s}`?"),
                None => format!("okänt kommando {name:?}; kommandona är {}", commands.join(", ")),
            }
        }
        E::MissingRequiredArgument => {
            let missing: Vec<String> =
                context_text(err, K::InvalidArg).iter().map(|a| a.trim_end_matches("...").trim_matches(['<', '>']).to_string()).collect();
            format!("{} saknas", missing.join(" och "))
        }
        E::MissingSubcommand => format!("ett kommando saknas; välj ett av: {}", commands.join(", ")),
        E::ArgumentConflict => {
            let prior = context_text(err, K::PriorArg).join(", ");
            if prior == arg || prior.is_empty() {
                format!("{arg} får bara anges en gång")
            } else {
                format!("{arg} kan inte användas tillsammans med {prior}")
            }
        }
        E::TooManyValues => format!("{value:?} är ett värde för mycket: {arg} tar bara ett"),
        E::TooFewValues => format!("{arg} behöver minst {} men fick {}", values(K::MinValues), first(K::ActualNumValues)),
        E::WrongNumberOfValues => format!("{arg} behöver {} men fick {}", values(K::ExpectedNumValues), first(K::ActualNumValues)),
        E::NoEquals => format!("{arg} skrivs med likhetstecken före värdet ({arg}=…)"),
        E::InvalidUtf8 => "ett argument är inte giltig text (UTF-8)".to_string(),
        _ => "argumenten kunde inte tolkas".to_string(),
    }
}

/// An unknown flag or an argument too many, with clap's suggestion said in Swedish: a
/// similar flag, the flag's own command, or `--` before a word that starts with a dash.
fn unknown_argument(arg: &str, similar: &str, suggested: &[String]) -> String {
    let quoted = |s: &str| s.split('\'').nth(1).unwrap_or_default().to_string();
    let mut tips: Vec<String> = Vec::new();
    if !similar.is_empty() {
        tips.push(format!("menade du {similar}?"));
    }
    for s in suggested {
        if s.starts_with("to pass") {
            tips.push(format!("som ord skrivs det efter `--`: `-- {arg}`"));
        } else if s.ends_with("' exists") {
            tips.push(format!("den skrivs efter kommandot: `protokoll {}`", quoted(s)));
        } else if s.starts_with("subcommand '") {
            tips.push(format!("kommandot {} skrivs utan `--` före", quoted(s)));
        }
    }
    let what = if arg.starts_with('-') { format!("okänd flagga {arg}") } else { format!("oväntat argument {arg:?}") };
    if tips.is_empty() { what } else { format!("{what}; {}", tips.join("; ")) }
}

/// `protokoll help [KOMMANDO]`: the long help of the program or of one command.
pub(crate) fn print_help(name: Option<&str>) -> ExitCode {
    let mut cmd = command_line();
    let names: Vec<String> = cmd.get_subcommands().map(|s| s.get_name().to_string()).collect();
    let help = match name {
        None => cmd.render_long_help(),
        Some(name) => match cmd.find_subcommand_mut(name) {
            Some(sub) => sub.render_long_help(),
            None => {
                eprintln!("protokoll: okänt kommando {name:?}; kommandona är {}", names.join(", "));
                eprintln!("Se `protokoll --help`.");
                return ExitCode::from(2);
            }
        },
    };
    let shown = if std::io::stdout().is_terminal() { help.ansi().to_string() } else { help.to_string() };
    let mut out = std::io::stdout().lock();
    if out.write_all(shown.as_bytes()).and_then(|()| out.flush()).is_err() {
        return ExitCode::from(2);
    }
    ExitCode::SUCCESS
}

#[cfg(test)]
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_swedish_command_line_is_a_valid_clap_command() {
        command_line().debug_assert();
    }

    #[test]
    fn usage_lines_say_flaggor_and_every_heading_is_swedish() {
        let mut cmd = command_line();
        let Some(search) = cmd.find_subcommand_mut("search") else { panic!("search") };
        let help = search.render_long_help().to_string();
        assert!(help.contains("Användning: protokoll search [FLAGGOR] <ORD>..."), "{help}");
        for heading in ["Flaggor:", "Argument:"] {
            assert!(help.contains(heading), "{heading} in {help}");
        }
        assert!(help.contains("[standard: 10]") && !help.contains("[default"), "{help}");
    }

    #[test]
    fn clap_suggestions_are_said_in_swedish() {
        assert_eq!(unknown_argument("--lmit", "--limit", &[]), "okänd flagga --lmit; menade du --limit?");
        assert_eq!(
            unknown_argument("--json", "", &["'search --json' exists".to_string()]),
            "okänd flagga --json; den skrivs efter kommandot: `protokoll search --json`"
        );
        assert_eq!(
            unknown_argument("-x", "", &["to pass '-x' as a value, use '-- -x'".to_string()]),
            "okänd flagga -x; som ord skrivs det efter `--`: `-- -x`"
        );
        assert_eq!(unknown_argument("extra", "", &[]), "oväntat argument \"extra\"");
    }
}
