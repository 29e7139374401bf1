//! The `protokoll` command: one subcommand per job, each a thin call into the library.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{CommandFactory, Parser, Subcommand};
use protokoll::citation::{self, Citation};
use protokoll::index::filters::{BodyListing, DateRange};
use protokoll::index::lexicon::{Dictionary, DictionaryError, Lexicon};
use protokoll::index::location::IndexLocation;
use protokoll::index::lock::{Wait, WriteLock};
use protokoll::index::search::{SearchOptions, SearchResults};
use protokoll::index::store::Store;
use protokoll::index::{Archive, IndexError, StoredMeeting, check};
use protokoll::ingest::report::FileReport;
use protokoll::model::{DecisionKind, Meeting, MeetingKind, Role, document_id};
use protokoll::text::count;
use protokoll::{extract, ingest, parse, timeline};

#[derive(Parser)]
#[command(
    name = "protokoll",
    version,
    about = "Sök, importera och följ beslut i svenska sammanträdesprotokoll",
    after_help = CONFIG_HELP
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// What the top-level help says about the environment and the index's folder.
const CONFIG_HELP: &str = "\
Indexet:  --index MAPP, annars miljövariabeln PROTOKOLL_INDEX, annars ./index om den
          finns i den aktuella mappen, annars standardmappen (på Linux
          ~/.local/share/protokoll/index).
Ordlista: --lexicon FIL eller miljövariabeln PROTOKOLL_HUNSPELL väljer hunspell-ordlistan
          (.dic) som delar sammansatta ord; annars /usr/share/hunspell/sv_SE.dic.

Se `protokoll KOMMANDO --help` för ett kommandos flaggor.";

/// The help of every subcommand's `--index`.
const INDEX_HELP: &str = "Indexmappen. Utan flaggan: PROTOKOLL_INDEX, annars ./index om den finns, annars standardmappen (se `protokoll --help`)";

/// The help of `--lexicon`.
const LEXICON_HELP: &str = "Hunspell-ordlistan (.dic) som delar sammansatta ord. Utan flaggan: PROTOKOLL_HUNSPELL, annars /usr/share/hunspell/sv_SE.dic. Ett index byggs om när ordlistan byts";

/// The time one file may take.
#[derive(clap::Args)]
struct TimeLimit {
    /// Sekunder som en fil får ta att läsa, OCR medräknad; sidor som inte hunnits läsa
    /// hoppas över med en varning. OCR läser ungefär en sida i sekunden per kärna, så en
    /// lång skanning behöver mer än standardvärdet.
    #[arg(long = "time-limit", value_name = "SEKUNDER", default_value_t = extract::DEFAULT_TIME_LIMIT.as_secs(), value_parser = parse_seconds)]
    seconds: u64,
}

impl TimeLimit {
    fn duration(&self) -> std::time::Duration {
        std::time::Duration::from_secs(self.seconds)
    }
}

#[derive(Subcommand)]
enum Command {
    /// Skriver ut ett dokuments text i läsordning (sidorna skiljs åt av sidbrytningstecken).
    Extract {
        /// Dokumentet (PDF, HTML, text, Word eller en skanning).
        #[arg(value_name = "FIL")]
        file: PathBuf,
        /// Visar layouten i stället: varje rads sida, baslinje, teckenstorlek, vikt och
        /// celler åtskilda av " | ".
        #[arg(long)]
        cells: bool,
        /// Texten som filen har den, med personnummer: all annan utdata maskerar dem
        /// (ÅÅÅÅMMDD-XXXX).
        #[arg(long)]
        raw: bool,
        #[command(flatten)]
        limit: TimeLimit,
    },
    /// Tolkar ett dokument som ett sammanträde.
    ///
    /// Skriver ut rubriken, deltagarna efter roll och varje § med diarienummer och beslut.
    Parse {
        /// Dokumentet (PDF, HTML, text, Word eller en skanning).
        #[arg(value_name = "FIL")]
        file: PathBuf,
        /// Skriver sammanträdet som JSON (formatet beskrivs i docs/CONTRACT.md).
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        limit: TimeLimit,
    },
    /// Lägger till alla dokument i de angivna filerna och mapparna i indexet.
    ///
    /// Sparar allteftersom: en avbruten import behåller det den hann med, och nästa
    /// fortsätter därifrån. En import som startas medan en annan skriver i samma index
    /// väntar på den. Slutstatus 0 när alla filer lästes, 2 när några vägrades, 130 vid
    /// avbrott.
    Ingest {
        #[arg(long, value_name = "MAPP", help = INDEX_HELP)]
        index: Option<PathBuf>,
        #[arg(long, value_name = "FIL", help = LEXICON_HELP)]
        lexicon: Option<PathBuf>,
        /// Skriver en JSON-rad per fil till den här filen: sökväg, status, skäl,
        /// dokument-id, sidor, OCR och sekunder.
        #[arg(long, value_name = "FIL")]
        report: Option<PathBuf>,
        /// Tar också bort dokument vars filer inte finns längre.
        #[arg(long)]
        prune: bool,
        #[command(flatten)]
        limit: TimeLimit,
        /// Vägrar i stället för att vänta när en annan import skriver i indexet.
        #[arg(long)]
        no_wait: bool,
        /// Filer och mappar med protokoll; mappar läses med undermappar.
        #[arg(required = true, value_name = "SÖKVÄG")]
        paths: Vec<PathBuf>,
    },
    /// Kontrollerar att indexet är helt.
    ///
    /// Läser indexets filer och kontrollsummor, varje lagrat dokument och registret över
    /// källfiler. Slutstatus 0 när det är helt, 1 när det är skadat.
    Check {
        #[arg(long, value_name = "MAPP", help = INDEX_HELP)]
        index: Option<PathBuf>,
        #[arg(long, value_name = "FIL", help = LEXICON_HELP)]
        lexicon: Option<PathBuf>,
        /// Reparerar ett skadat index: bygger om det av de lagrade sammanträden som går
        /// att läsa och läser sedan om det som gick förlorat från mapparna som tidigare
        /// importerades.
        #[arg(long)]
        repair: bool,
    },
    /// Listar indexets dokument: en rad per sammanträde, kopior sammanslagna.
    List {
        #[arg(long, value_name = "MAPP", help = INDEX_HELP)]
        index: Option<PathBuf>,
        /// Skriver listan som JSON.
        #[arg(long)]
        json: bool,
    },
    /// Tar bort ett dokument ur indexet, med dess id, en källfils sökväg eller filnamn.
    Remove {
        #[arg(long, value_name = "MAPP", help = INDEX_HELP)]
        index: Option<PathBuf>,
        #[arg(long, value_name = "FIL", help = LEXICON_HELP)]
        lexicon: Option<PathBuf>,
        /// Dokumentets id, en källfils sökväg eller filnamn.
        #[arg(value_name = "DOKUMENT")]
        document: String,
    },
    /// Söker bland indexets ärenden (§).
    Search {
        /// Skriver träffarna som JSON, med antal per organ, år och typ (formatet beskrivs
        /// i docs/CONTRACT.md).
        #[arg(long)]
        json: bool,
        #[arg(long, value_name = "MAPP", help = INDEX_HELP)]
        index: Option<PathBuf>,
        /// Högst så här många träffar visas (1 till 1000).
        #[arg(long, value_name = "ANTAL", default_value_t = 10, value_parser = parse_limit)]
        limit: usize,
        /// Så här många träffar hoppas över före den första som visas, för att bläddra
        /// (högst 10000).
        #[arg(long, value_name = "ANTAL", default_value_t = 0, value_parser = parse_offset)]
        offset: usize,
        /// Bara dokument av den här typen (protokoll, protokollsutdrag,
        /// minnesanteckningar, kallelse, föredragningslista, okänd).
        #[arg(long, value_name = "TYP", value_parser = parse_kind)]
        kind: Option<MeetingKind>,
        /// Bara det här organet (namn eller förkortning, t.ex. SocSam).
        #[arg(long, value_name = "ORGAN")]
        body: Option<String>,
        /// Bara den här organisationen (t.ex. "Strömsunds kommun").
        #[arg(long, value_name = "ORGANISATION")]
        organization: Option<String>,
        /// Bara sammanträden från och med detta datum: ÅÅÅÅ, ÅÅÅÅ-MM eller ÅÅÅÅ-MM-DD (2022
        /// betyder från 2022-01-01).
        #[arg(long, value_name = "DATUM")]
        from: Option<String>,
        /// Bara sammanträden till och med detta datum: ÅÅÅÅ, ÅÅÅÅ-MM eller ÅÅÅÅ-MM-DD
        /// (2022-02 betyder till 2022-02-28).
        #[arg(long, value_name = "DATUM")]
        to: Option<String>,
        /// Bara ärenden med ett beslut.
        #[arg(long)]
        decisions: bool,
        /// Bara beslut av den här typen (godkänner, rekommenderar, uppdrar, …).
        #[arg(long, value_name = "TYP", value_parser = parse_decision_kind)]
        decision_kind: Option<DecisionKind>,
        /// Bara ärenden där den här personen deltog, föredrog eller nämns.
        #[arg(long, value_name = "NAMN")]
        person: Option<String>,
        /// Bara orden själva: inga delar av sammansatta ord, inga stavfel tillåts.
        #[arg(long)]
        exact: bool,
        /// Bara det här dokumentet (dess id eller filnamn, som search och list skriver dem).
        #[arg(long, value_name = "DOKUMENT")]
        document: Option<String>,
        /// Ord (alla måste finnas), "fraser inom citattecken", -uteslutna ord. En fråga
        /// får börja med ett uteslutet ord: `search -- -ord` och `search "-ord"` fungerar båda.
        #[arg(required = true, value_name = "ORD")]
        query: Vec<String>,
    },
    /// Följer ett ämne genom organ och år.
    ///
    /// Visar ämnets beslut, också beslut som bara är kända för att ett senare protokoll
    /// hänvisar till dem.
    Timeline {
        /// Skriver tidslinjen som JSON (formatet beskrivs i docs/CONTRACT.md).
        #[arg(long, conflicts_with = "html")]
        json: bool,
        /// Skriver tidslinjen som en fristående HTML-sida till den här filen.
        #[arg(long, value_name = "FIL")]
        html: Option<PathBuf>,
        #[arg(long, value_name = "MAPP", help = INDEX_HELP)]
        index: Option<PathBuf>,
        /// Ämnet: ord som i search.
        #[arg(required = true, value_name = "ÄMNE")]
        topic: Vec<String>,
    },
    /// Visar indexet som en webbapp i webbläsaren.
    ///
    /// Sök, ärenden, sammanträden, diarieärenden, personer, organ och tidslinjer, och
    /// detsamma som JSON under /api/.
    Serve {
        #[arg(long, value_name = "MAPP", help = INDEX_HELP)]
        index: Option<PathBuf>,
        /// Adressen att lyssna på; 127.0.0.1 håller arkivet på den här datorn. Port 0
        /// väljer en ledig port.
        #[arg(long, value_name = "ADRESS", default_value = "127.0.0.1:8080", value_parser = parse_addr)]
        addr: std::net::SocketAddr,
    },
    /// Listar indexets organ och organisationer med antal möten och ärenden.
    ///
    /// Sorterade efter organisation och organ. Namnen fungerar med `search --body` och
    /// `--organization`.
    Bodies {
        /// Skriver listan som JSON.
        #[arg(long)]
        json: bool,
        #[arg(long, value_name = "MAPP", help = INDEX_HELP)]
        index: Option<PathBuf>,
    },
    /// Visar ett lagrat sammanträde, eller ett av dess ärenden, utan att läsa om filen.
    Show {
        #[arg(long, value_name = "MAPP", help = INDEX_HELP)]
        index: Option<PathBuf>,
        /// Skriver sammanträdet eller ärendet som JSON.
        #[arg(long)]
        json: bool,
        /// Dokumentet: dess id (eller dess första tecken), en källfils sökväg eller
        /// filnamnet utan filändelse.
        #[arg(value_name = "DOKUMENT")]
        document: String,
        /// Ett ärendes nummer (§), t.ex. 33 eller "§ 33".
        #[arg(value_name = "PARAGRAF")]
        item: Option<String>,
    },
    /// Visar hjälpen för protokoll eller för ett av kommandona.
    Help {
        /// Kommandot vars hjälp visas.
        #[arg(value_name = "KOMMANDO")]
        command: Option<String>,
    },
}

fn parse_kind(s: &str) -> Result<MeetingKind, String> {
    MeetingKind::from_word(&s.to_lowercase()).ok_or_else(|| {
        let all: Vec<&str> = MeetingKind::ALL.iter().map(|k| k.as_str()).collect();
        format!("{s:?} är ingen dokumenttyp; välj en av {}", all.join(", "))
    })
}

fn parse_decision_kind(s: &str) -> Result<DecisionKind, String> {
    DecisionKind::from_word(&s.to_lowercase()).ok_or_else(|| {
        let all: Vec<&str> = DecisionKind::ALL.iter().map(|k| k.as_str()).collect();
        format!("{s:?} är ingen beslutstyp; välj en av {}", all.join(", "))
    })
}

/// Most hits one search prints: a longer list is read by no one, and `--offset` pages.
const MAX_CLI_LIMIT: usize = 1000;

fn parse_limit(s: &str) -> Result<usize, String> {
    match s.trim().parse::<u64>() {
        Ok(n) if (1..=MAX_CLI_LIMIT as u64).contains(&n) => Ok(n as usize),
        _ => Err(format!("{s:?} går inte: --limit är ett antal träffar från 1 till {MAX_CLI_LIMIT}")),
    }
}

fn parse_offset(s: &str) -> Result<usize, String> {
    let max = protokoll::index::search::MAX_LIMIT;
    match s.trim().parse::<u64>() {
        Ok(n) if n <= max as u64 => Ok(n as usize),
        _ => Err(format!("{s:?} går inte: --offset är ett antal träffar från 0 till {max}")),
    }
}

fn parse_seconds(s: &str) -> Result<u64, String> {
    match s.trim().parse::<u64>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err(format!("{s:?} går inte: --time-limit är ett antal sekunder, minst 1")),
    }
}

fn parse_addr(s: &str) -> Result<std::net::SocketAddr, String> {
    s.trim().parse().map_err(|_| format!("{s:?} är ingen adress; skriv IP-adress och port, t.ex. 127.0.0.1:8080"))
}

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
fn swedish(cmd: clap::Command, top: bool) -> clap::Command {
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
fn parse_command_line(args: &[std::ffi::OsString]) -> Result<Cli, ExitCode> {
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
fn print_help(name: Option<&str>) -> ExitCode {
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

impl Command {
    /// For a command that works on an index, its `--index` (`Some(None)` when not given).
    fn index(&self) -> Option<Option<&Path>> {
        match self {
            Command::Ingest { index, .. }
            | Command::Check { index, .. }
            | Command::List { index, .. }
            | Command::Remove { index, .. }
            | Command::Search { index, .. }
            | Command::Timeline { index, .. }
            | Command::Serve { index, .. }
            | Command::Show { index, .. }
            | Command::Bodies { index, .. } => Some(index.as_deref()),
            Command::Extract { .. } | Command::Parse { .. } | Command::Help { .. } => None,
        }
    }
}

/// The last panic of the main thread or of tantivy's threads: where and what.
static PANIC: std::sync::Mutex<Option<String>> = std::sync::Mutex::new(None);

/// For commands on an index: panics in the main thread and in tantivy's threads are kept
/// for `main` to say in one line (tantivy may panic on a damaged index, and that is said
/// as damage); other threads' panics (a reader's, caught per file) print as before.
fn quiet_panics() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let current = std::thread::current();
        let name = current.name().unwrap_or("");
        if name == "main" || name.starts_with("thrd-tantivy") {
            let what = info.payload().downcast_ref::<&str>().map(|s| s.to_string()).or_else(|| info.payload().downcast_ref::<String>().cloned());
            let at = info.location().map(|l| format!("{}:{}", l.file(), l.line())).unwrap_or_default();
            if let Ok(mut slot) = PANIC.lock() {
                *slot = Some(format!("{} vid {at}", what.unwrap_or_default()));
            }
        } else {
            default(info);
        }
    }));
}

/// An error in one line. An index error is said in its own words (not with the chain of
/// tantivy's messages under it); a missing index says where it was looked for and why
/// there; one that means the index is damaged names what is damaged (a check finds which
/// file) and the way out.
fn explain(err: &anyhow::Error, located: Option<&IndexLocation>) -> String {
    let Some(e) = err.chain().find_map(|e| e.downcast_ref::<IndexError>()) else {
        return describe_chain(err);
    };
    let index = located.map(|l| l.path.as_path());
    if let (IndexError::Missing(path), Some(l)) = (e, located)
        && *path == l.path
    {
        return l.missing();
    }
    if e.is_disk_full() {
        return IndexError::DiskFull(index.map_or_else(|| PathBuf::from("index"), Path::to_path_buf)).to_string();
    }
    let Some(reason) = e.damage() else {
        return e.to_string();
    };
    let path = match (e, index) {
        (IndexError::Damaged { path, .. }, _) if !path.as_os_str().is_empty() => path.clone(),
        (_, Some(index)) => index.to_path_buf(),
        _ => return e.to_string(),
    };
    let named = matches!(e, IndexError::Damaged { path, .. } if !path.as_os_str().is_empty());
    let reason = if named { reason } else { check::first_problem(&path).unwrap_or(reason) };
    IndexError::Damaged { path, reason }.to_string()
}

/// An error that is not the index's: its contexts (the file it concerns) and its cause,
/// joined by colons as anyhow does, with the dependencies' errors said in Swedish and the
/// chain cut after the first error that says its cause itself.
fn describe_chain(err: &anyhow::Error) -> String {
    let mut parts = Vec::new();
    for e in err.chain() {
        let whole = if let Some(io) = e.downcast_ref::<std::io::Error>() {
            Some(protokoll::text::io_error(io))
        } else if let Some(json) = e.downcast_ref::<serde_json::Error>() {
            Some(protokoll::text::json_error(json))
        } else if let Some(web) = e.downcast_ref::<protokoll::web::WebError>() {
            Some(match web {
                protokoll::web::WebError::Bind { addr, source } => format!("kan inte lyssna på {addr}: {}", protokoll::text::io_error(source)),
                protokoll::web::WebError::Io(io) => format!("webbservern: {}", protokoll::text::io_error(io)),
                other => other.to_string(),
            })
        } else if e.is::<extract::ExtractError>() || e.is::<DictionaryError>() {
            Some(e.to_string())
        } else {
            None
        };
        match whole {
            Some(said) => {
                parts.push(said);
                break;
            }
            None => parts.push(e.to_string()),
        }
    }
    parts.join(": ")
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            || e.downcast_ref::<serde_json::Error>().and_then(serde_json::Error::io_error_kind) == Some(std::io::ErrorKind::BrokenPipe)
    })
}

/// The arguments with a search's excluded words (`-ord`) moved behind `--`, so that clap
/// takes them as words of the query and not as options: a query may then start with one,
/// and `search -ord` works like `search -- -ord`. Only words after `search` or
/// `timeline` move, and only words of one dash that are not `-h`.
fn excluded_words_as_query(args: Vec<std::ffi::OsString>) -> Vec<std::ffi::OsString> {
    let Some(sub) = args.iter().position(|a| a == "search" || a == "timeline") else { return args };
    let (mut kept, mut moved, mut rest) = (Vec::new(), Vec::new(), Vec::new());
    let mut after_dashes = false;
    for (i, arg) in args.into_iter().enumerate() {
        let text = arg.to_str().unwrap_or("");
        let is_word = text.starts_with('-') && !text.starts_with("--") && text.chars().nth(1).is_some_and(char::is_alphabetic) && text != "-h";
        if after_dashes {
            rest.push(arg);
        } else if i > sub && text == "--" {
            after_dashes = true;
        } else if i > sub && is_word {
            moved.push(arg);
        } else {
            kept.push(arg);
        }
    }
    if moved.is_empty() && !after_dashes {
        return kept;
    }
    kept.push("--".into());
    kept.extend(moved);
    kept.extend(rest);
    kept
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

/// Prints the text of one document, as `pdftotext -layout` would, or its layout.
/// Extraction options for one file named on the command line: on a terminal, OCR of a
/// scan shows its progress page by page.
fn single_file_options(limit: &TimeLimit) -> (extract::Options, indicatif::ProgressBar) {
    let bar = if std::io::stderr().is_terminal() { indicatif::ProgressBar::new(0) } else { indicatif::ProgressBar::hidden() };
    bar.set_style(
        indicatif::ProgressStyle::with_template("OCR {bar:30} {pos}/{len} sidor · {eta} kvar · senast sida {msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let shown = bar.clone();
    let progress = extract::OcrProgress(std::sync::Arc::new(move |page, pages| {
        shown.set_length(pages as u64);
        shown.set_message(page.to_string());
        shown.inc(1);
    }));
    (extract::Options { ocr_progress: Some(progress), time_limit: limit.duration(), ..extract::Options::default() }, bar)
}

fn run_extract(file: &std::path::Path, cells: bool, raw: bool, limit: &TimeLimit) -> anyhow::Result<ExitCode> {
    let (mut options, bar) = single_file_options(limit);
    options.raw = raw;
    let doc = extract::extract_path(file, &options);
    bar.finish_and_clear();
    let doc = doc.with_context(|| file.display().to_string())?;
    for w in &doc.warnings {
        eprintln!("protokoll: {}: {w}", file.display());
    }
    let mut out = std::io::stdout().lock();
    if cells {
        for page in &doc.pages {
            for line in &page.lines {
                let texts: Vec<&str> = line.cells.iter().map(|c| c.text.as_str()).collect();
                let bold = if line.bold { "b" } else { " " };
                writeln!(out, "{:>3} {:>7.1} {:>5.1} {bold} {:>6.1}  {}", page.number, line.y, line.size, line.cells[0].x, texts.join(" | "))?;
            }
        }
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    out.write_all(doc.text().as_bytes())?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Parses one document and prints the meeting, as JSON or as a readable summary.
fn run_parse(file: &std::path::Path, json: bool, limit: &TimeLimit) -> anyhow::Result<ExitCode> {
    let bytes = extract::read_file(file).with_context(|| file.display().to_string())?;
    let name = file.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
    let (options, bar) = single_file_options(limit);
    let doc = extract::extract_bytes(&bytes, &name, &options);
    bar.finish_and_clear();
    let doc = doc.with_context(|| file.display().to_string())?;
    let meeting = parse::parse(&doc, file, &bytes);
    let mut out = std::io::stdout().lock();
    if json {
        serde_json::to_writer_pretty(&mut out, &citation::meeting_json(&meeting, &meeting.source.path, citation::Items::AsParsed)?)?;
        writeln!(out)?;
    } else {
        write_summary(&mut out, &meeting, &meeting.source.path)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// A meeting as text: its header and citation, officers, participants by role, and each
/// item with the page it starts on in the file at `path`.
fn write_summary(out: &mut impl Write, m: &Meeting, path: &str) -> std::io::Result<()> {
    let date = m.date.map_or_else(|| "datum okänt".to_string(), |d| d.to_string());
    let mut head = format!("{} — {} {date}", m.body.name, m.kind);
    for part in [m.time.as_deref(), m.place.as_deref(), m.organization.as_deref()].into_iter().flatten() {
        head.push_str(", ");
        head.push_str(part);
    }
    writeln!(out, "{head}")?;
    writeln!(out, "Hänvisning: {}", Citation::of(m, None, path))?;
    let o = &m.officers;
    let mut officers = Vec::new();
    if let Some(c) = &o.chair {
        officers.push(format!("Ordförande: {c}"));
    }
    if let Some(s) = &o.secretary {
        officers.push(format!("Sekreterare: {s}"));
    }
    if !o.adjusters.is_empty() {
        officers.push(format!("Justerare: {}", o.adjusters.join(", ")));
    }
    if !officers.is_empty() {
        writeln!(out, "{}", officers.join(" · "))?;
    }
    for role in [Role::Beslutande, Role::Tjansteperson, Role::Ovrig, Role::EjNarvarande] {
        let people: Vec<_> = m.participants.iter().filter(|p| p.role == role).collect();
        if people.is_empty() {
            continue;
        }
        writeln!(out, "\n{} ({})", role.label(), people.len())?;
        for p in people {
            let mut line = format!("  {}", p.name);
            if let Some(party) = &p.party {
                line.push_str(&format!(" ({party})"));
            }
            for extra in [p.organization.as_deref(), p.title.as_deref(), p.paragraphs.as_deref()].into_iter().flatten() {
                line.push_str(&format!(", {extra}"));
            }
            writeln!(out, "{line}")?;
        }
    }
    writeln!(out)?;
    for item in &m.items {
        let dnr = item.diarienummer.as_deref().map(|d| format!("  [{d}]")).unwrap_or_default();
        let cited = Citation::of(m, Some(item), path);
        writeln!(out, "{} {}{dnr}  (s. {})", cited.number_label().unwrap_or_default(), item.title, item.page)?;
        if !item.presenters.is_empty() {
            writeln!(out, "    Föredragande: {}", item.presenters.join(", "))?;
        }
        if let Some(d) = &item.decision {
            writeln!(out, "    Beslut ({}): {}", d.kind, d.text)?;
        }
        for r in &item.references {
            let when = r.date.map_or_else(String::new, |d| d.to_string());
            writeln!(out, "    Hänvisar till: {} {when}", r.body.as_deref().unwrap_or("tidigare beslut"))?;
        }
    }
    if !m.attachments.is_empty() {
        writeln!(out, "\nBilagor")?;
        for a in &m.attachments {
            writeln!(out, "  {} (sida {})", a.title, a.page)?;
        }
    }
    for w in &m.warnings {
        writeln!(out, "varning: {w}")?;
    }
    Ok(())
}

/// Progress of an import on a terminal: files and pages done, the rate, the time left and
/// the file being read; and the report file, when asked for.
struct IngestProgress {
    bar: indicatif::ProgressBar,
    started: std::sync::atomic::AtomicBool,
    pages: std::sync::atomic::AtomicU64,
    report: Option<std::sync::Mutex<std::io::BufWriter<std::fs::File>>>,
    report_error: std::sync::Mutex<Option<std::io::Error>>,
}

impl ingest::Progress for IngestProgress {
    fn start(&self, files: usize) {
        self.bar.set_length(files as u64);
        self.started.store(true, std::sync::atomic::Ordering::Relaxed);
    }

    fn reading(&self, path: &std::path::Path) {
        self.bar.set_message(path.display().to_string());
    }

    fn done(&self, report: &FileReport) {
        use std::sync::atomic::Ordering;
        if let Some(w) = &self.report
            && let Ok(mut w) = w.lock()
        {
            let written = serde_json::to_writer(&mut *w, report).map_err(std::io::Error::other).and_then(|()| writeln!(w)).and_then(|()| w.flush());
            if let (Err(e), Ok(mut slot)) = (written, self.report_error.lock()) {
                slot.get_or_insert(e);
            }
        }
        if self.started.load(Ordering::Relaxed) {
            let pages = self.pages.fetch_add(u64::from(report.pages.unwrap_or(0)), Ordering::Relaxed) + u64::from(report.pages.unwrap_or(0));
            self.bar.set_prefix(pages.to_string());
            self.bar.inc(1);
        }
    }
}

/// A flag Ctrl-C sets: the first asks an import to stop and save what is done, the
/// second stops at once.
fn cancel_on_ctrl_c() -> &'static std::sync::atomic::AtomicBool {
    let cancel: &'static std::sync::atomic::AtomicBool = Box::leak(Box::new(std::sync::atomic::AtomicBool::new(false)));
    let handler = ctrlc::set_handler(move || {
        if cancel.swap(true, std::sync::atomic::Ordering::SeqCst) {
            // A second Ctrl-C: the last commit is whole, so stopping now loses only the
            // files read since.
            std::process::exit(130);
        }
        eprintln!("\nprotokoll: avbryter: sparar det som är klart (Ctrl-C igen avbryter direkt)");
    });
    if handler.is_err() {
        eprintln!("protokoll: Ctrl-C kan inte fångas; ett avbrott sparar bara det som redan sparats");
    }
    cancel
}

/// Takes the index's write lock, waiting (and saying so) while another process holds it,
/// unless `no_wait`.
fn lock_index(index: &Path, no_wait: bool, cancel: &std::sync::atomic::AtomicBool) -> Result<WriteLock, IndexError> {
    let waiting = || {
        eprintln!("protokoll: väntar på en annan import av {} (Ctrl-C avbryter; --no-wait väntar inte)", index.display());
    };
    WriteLock::acquire(index, if no_wait { Wait::No } else { Wait::Yes { cancel, waiting: &waiting } })
}

/// The lexicon of the chosen dictionary (`--lexicon`, `PROTOKOLL_HUNSPELL` or Debian's),
/// from the index's compiled copy when it is the same. A chosen dictionary that cannot
/// be read is an error; Debian's missing is said and nothing is split.
fn lexicon_for(index: &Path, dictionary: &Dictionary) -> Result<Lexicon, DictionaryError> {
    let compiled = index.join(protokoll::index::LEXICON_FILE);
    let lexicon = dictionary.load((!check::lexicon_damaged(&compiled)).then_some(compiled.as_path()))?;
    if lexicon.is_empty() {
        eprintln!(
            "protokoll: {} saknas, så sammansatta ord delas inte i indexet (installera hunspell-sv, eller välj en ordlista med --lexicon FIL eller PROTOKOLL_HUNSPELL, och kör ingest igen)",
            dictionary.path.display()
        );
    }
    Ok(lexicon)
}

/// Progress of an import, with a bar on a terminal, and its report file when asked for.
fn ingest_progress(report: Option<&std::path::Path>) -> anyhow::Result<IngestProgress> {
    let report_file = match report {
        Some(path) => Some(std::fs::File::create(path).with_context(|| path.display().to_string())?),
        None => None,
    };
    let bar = if std::io::stderr().is_terminal() { indicatif::ProgressBar::new(0) } else { indicatif::ProgressBar::hidden() };
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} filer · {prefix} sidor · {per_sec} · {eta} kvar · {wide_msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar.set_prefix("0");
    Ok(IngestProgress {
        bar,
        started: std::sync::atomic::AtomicBool::new(false),
        pages: std::sync::atomic::AtomicU64::new(0),
        report: report_file.map(|f| std::sync::Mutex::new(std::io::BufWriter::new(f))),
        report_error: std::sync::Mutex::new(None),
    })
}

/// Ingests files and folders into the index, with a progress bar on a terminal, and
/// prints what became of every file that was not simply added or unchanged.
fn run_ingest(
    index: &std::path::Path,
    dictionary: &Dictionary,
    paths: &[PathBuf],
    report: Option<&std::path::Path>,
    prune: bool,
    limit: &TimeLimit,
    no_wait: bool,
) -> anyhow::Result<ExitCode> {
    let cancel = cancel_on_ctrl_c();
    let lock = lock_index(index, no_wait, cancel)?;
    let (mut store, rebuilt) = Store::open_locked(lock, lexicon_for(index, dictionary)?)?;
    if let Some(n) = rebuilt {
        eprintln!("protokoll: indexet byggdes om för den nya versionen ({} fördes över)", count(n, "dokument", "dokument"));
    }
    let progress = ingest_progress(report)?;
    let mut settings = ingest::Settings::new(cancel);
    settings.prune = prune;
    settings.options.time_limit = limit.duration();
    let summary = ingest::ingest(&mut store, paths, &settings, &progress)?;
    store.finish()?;
    finish_ingest(&progress, &summary)
}

/// Prints what an import did and says how it ended: exit status 130 when interrupted, 2
/// when files were refused.
fn finish_ingest(progress: &IngestProgress, summary: &ingest::Summary) -> anyhow::Result<ExitCode> {
    progress.bar.finish_and_clear();
    if let Ok(mut slot) = progress.report_error.lock()
        && let Some(e) = slot.take()
    {
        eprintln!("protokoll: rapporten kunde inte skrivas: {}", protokoll::text::io_error(&e));
    }
    let c = &summary.counts;
    let mut out = std::io::stdout().lock();
    let mut parts = vec![
        format!("Lade till {}", count(c.added, "dokument", "dokument")),
        format!("ersatte {}", c.replaced),
        format!("oförändrade {}", c.unchanged),
        format!("kopior {}", c.copies),
        format!("vägrade {}", count(c.refused, "fil", "filer")),
        format!("hoppade över {}", count(c.skipped, "fil", "filer")),
    ];
    if c.removed > 0 {
        parts.push(format!("tog bort {}", c.removed));
    }
    writeln!(out, "{}.", parts.join(", "))?;
    for (path, reason) in &summary.refused {
        writeln!(out, "  vägrad: {path}: {reason}")?;
    }
    for (path, reason) in &summary.skipped {
        writeln!(out, "  hoppade över: {path}: {reason}")?;
    }
    for path in &summary.removed {
        writeln!(out, "  borttagen: {path}: filen finns inte längre")?;
    }
    for (path, kind) in &summary.not_minutes {
        writeln!(out, "  inte ett protokoll ({kind}): {path}")?;
    }
    if summary.interrupted {
        writeln!(out, "Avbrutet: det som lästes är sparat, {} lästes inte. Kör samma kommando igen för att fortsätta.", count(c.interrupted, "fil", "filer"))?;
    }
    out.flush()?;
    Ok(if summary.interrupted {
        ExitCode::from(130)
    } else if c.refused > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

/// Checks the index and prints what is wrong and what to do; with `repair`, rebuilds a
/// damaged index from what can be read and reads the rest again from its folders.
fn run_check(index: &Path, repair: bool, dictionary: &Dictionary) -> anyhow::Result<ExitCode> {
    let cancel = cancel_on_ctrl_c();
    // Under the lock, so that no import changes the files while they are read. A check
    // of an index in a folder it may not write to goes on without.
    let lock = match lock_index(index, false, cancel) {
        Ok(lock) => Some(lock),
        Err(IndexError::Lock { .. }) if !repair => None,
        Err(e) => return Err(e.into()),
    };
    let (report, _) = check::inspect(index)?;
    let mut out = std::io::stdout().lock();
    for p in &report.problems {
        writeln!(out, "fel: {p}")?;
    }
    for n in &report.notes {
        writeln!(out, "obs: {n}")?;
    }
    let whole = format!(
        "{}, {}, {}",
        count(report.meetings, "möte", "möten"),
        count(report.sources, "källfil", "källfiler"),
        count(report.segments, "segment", "segment")
    );
    if report.whole() {
        if let Some(lock) = lock.filter(|_| repair) {
            // Nothing to repair; opening for writing clears leftovers away.
            let (store, _) = Store::open_locked(lock, lexicon_for(index, dictionary)?)?;
            store.finish()?;
        }
        writeln!(out, "Indexet {} är helt: {whole}.", index.display())?;
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    let Some(lock) = lock.filter(|_| repair) else {
        writeln!(
            out,
            "Indexet {} är skadat ({}). Kör `protokoll check --repair --index {}`: det bygger om indexet av det som går att läsa och läser om resten från källfilerna.",
            index.display(),
            count(report.problems.len(), "fel", "fel"),
            index.display()
        )?;
        out.flush()?;
        return Ok(ExitCode::from(1));
    };
    let (mut store, repaired) = Store::repair(lock, lexicon_for(index, dictionary)?)?;
    writeln!(
        out,
        "Byggde om indexet av det som gick att läsa: {} och {}.",
        count(repaired.meetings, "möte", "möten"),
        count(repaired.sources, "källfil", "källfiler")
    )?;
    if repaired.dropped > 0 {
        writeln!(out, "  {} ur en skadad segmentfil läses om från sina filer.", count(repaired.dropped, "möte", "möten"))?;
    }
    for gone in &repaired.gone {
        writeln!(out, "  finns inte längre, läses inte om: {}", gone.display())?;
    }
    if !repaired.reread.is_empty() {
        writeln!(out, "Läser om det som inte gick att spara från {}:", count(repaired.reread.len(), "sökväg", "sökvägar"))?;
        for p in &repaired.reread {
            writeln!(out, "  {}", p.display())?;
        }
    }
    out.flush()?;
    drop(out);
    let progress = ingest_progress(None)?;
    let summary = ingest::reread(&mut store, &repaired.reread, &ingest::Settings::new(cancel), &progress)?;
    store.finish()?;
    let code = finish_ingest(&progress, &summary)?;
    let (after, _) = check::inspect(index)?;
    let mut out = std::io::stdout().lock();
    if after.whole() {
        writeln!(out, "Indexet {} är reparerat och helt: {}.", index.display(), count(after.meetings, "möte", "möten"))?;
    } else {
        for p in &after.problems {
            writeln!(out, "fel: {p}")?;
        }
        writeln!(out, "Indexet {} är fortfarande inte helt; ta bort mappen och kör ingest igen.", index.display())?;
        out.flush()?;
        return Ok(ExitCode::from(1));
    }
    out.flush()?;
    Ok(if summary.interrupted { code } else { ExitCode::SUCCESS })
}

/// Lists the meetings of the index.
fn run_list(index: &std::path::Path, json: bool) -> anyhow::Result<ExitCode> {
    let archive = Archive::open_built(index)?;
    let listed = archive.list()?;
    let mut out = std::io::stdout().lock();
    if json {
        serde_json::to_writer_pretty(&mut out, &listed)?;
        writeln!(out)?;
    } else {
        for l in &listed {
            let date = l.date.map_or_else(|| "datum okänt".to_string(), |d| d.to_string());
            let copies = if l.copies.is_empty() { String::new() } else { format!(" · {}", count(l.copies.len(), "kopia", "kopior")) };
            let body = citation::body_with_organization(&l.body, l.organization.as_deref());
            writeln!(out, "{}  {date}  {body}  {}  {}{copies}", l.document_id, l.kind, count(l.items, "ärende", "ärenden"))?;
            for s in &l.sources {
                writeln!(out, "    {s}")?;
            }
        }
        writeln!(out, "{}", count(listed.len(), "möte", "möten"))?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Lists the bodies and organisations of the index with their counts.
fn run_bodies(index: &Path, json: bool) -> anyhow::Result<ExitCode> {
    let archive = Archive::open_built(index)?;
    let listing = archive.body_listing()?;
    let mut out = std::io::stdout().lock();
    if json {
        serde_json::to_writer_pretty(&mut out, &listing)?;
        writeln!(out)?;
    } else {
        write_bodies(&mut out, &listing)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Rows of text in columns, each as wide as its widest cell; the columns named in
/// `right` are aligned right (counts).
fn write_table(out: &mut impl Write, rows: &[Vec<String>], right: &[usize]) -> std::io::Result<()> {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns).map(|c| rows.iter().filter_map(|r| r.get(c)).map(|s| s.chars().count()).max().unwrap_or(0)).collect();
    for row in rows {
        let cells: Vec<String> =
            row.iter().zip(&widths).enumerate().map(|(c, (cell, &w))| if right.contains(&c) { format!("{cell:>w$}") } else { format!("{cell:<w$}") }).collect();
        writeln!(out, "{}", cells.join("  ").trim_end())?;
    }
    Ok(())
}

fn write_bodies(out: &mut impl Write, listing: &BodyListing) -> std::io::Result<()> {
    if listing.bodies.is_empty() {
        return writeln!(out, "Indexet har inga organ.");
    }
    let none = "(ingen organisation)";
    let mut rows = vec![["Organisation", "Organ", "Nyckel", "Möten", "Ärenden"].map(String::from).to_vec()];
    for b in &listing.bodies {
        rows.push(vec![b.organization.clone().unwrap_or_else(|| none.to_string()), b.name.clone(), b.key.clone(), b.meetings.to_string(), b.items.to_string()]);
    }
    write_table(out, &rows, &[3, 4])?;
    writeln!(out)?;
    let mut rows = vec![["Organisation", "Organ", "Möten", "Ärenden"].map(String::from).to_vec()];
    for o in &listing.organizations {
        rows.push(vec![o.name.clone(), o.bodies.to_string(), o.meetings.to_string(), o.items.to_string()]);
    }
    let without: Vec<_> = listing.bodies.iter().filter(|b| b.organization.is_none()).collect();
    if !without.is_empty() {
        let (meetings, items): (u64, u64) = (without.iter().map(|b| b.meetings).sum(), without.iter().map(|b| b.items).sum());
        rows.push(vec![none.to_string(), without.len().to_string(), meetings.to_string(), items.to_string()]);
    }
    write_table(out, &rows, &[1, 2, 3])?;
    writeln!(
        out,
        "\nSammanlagt {}, {}, {} och {}.",
        count(listing.organizations.len(), "organisation", "organisationer"),
        count(listing.bodies.len(), "organ", "organ"),
        count(listing.meetings as usize, "möte", "möten"),
        count(listing.items as usize, "ärende", "ärenden")
    )
}

/// Removes a document from the index.
fn run_remove(index: &std::path::Path, document: &str, dictionary: &Dictionary) -> anyhow::Result<ExitCode> {
    let never = std::sync::atomic::AtomicBool::new(false);
    let lock = lock_index(index, false, &never)?;
    let (mut store, _) = Store::open_locked(lock, lexicon_for(index, dictionary)?)?;
    let removed = ingest::remove(&mut store, document)?;
    store.finish()?;
    let mut out = std::io::stdout().lock();
    for id in &removed.documents {
        writeln!(out, "Tog bort {id}")?;
    }
    for path in &removed.paths {
        writeln!(out, "  glömde {path}")?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Searches the index and prints hits (exit 1 when nothing matched, as grep does).
fn run_search(index: &std::path::Path, query: &str, opts: &SearchOptions, json: bool) -> anyhow::Result<ExitCode> {
    let archive = Archive::open_built(index)?;
    let results = archive.search(query, opts)?;
    let mut out = std::io::stdout().lock();
    if json {
        serde_json::to_writer_pretty(&mut out, &results)?;
        writeln!(out)?;
    } else {
        write_hits(&mut out, &results)?;
    }
    out.flush()?;
    Ok(if results.total == 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// Highlights on a terminal are bold; elsewhere the matched words are set off by `*`.
fn highlight(snippet: &str, terminal: bool) -> String {
    let (on, off) = if terminal { ("\x1b[1m", "\x1b[0m") } else { ("*", "*") };
    snippet.replace("<b>", on).replace("</b>", off).replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
}

fn write_hits(out: &mut impl Write, results: &SearchResults) -> std::io::Result<()> {
    use std::io::IsTerminal;
    let terminal = std::io::stdout().is_terminal();
    if results.total == 0 {
        writeln!(out, "Inga träffar för {:?}.", results.query)?;
        return Ok(());
    }
    writeln!(out, "{} för {:?}\n", count(results.total, "träff", "träffar"), results.query)?;
    for hit in &results.hits {
        let dnr = hit.diarienummer.as_deref().map(|d| format!("  [{d}]")).unwrap_or_default();
        let outside = if hit.item.is_none() { " (utanför ärendena)" } else { "" };
        writeln!(out, "{}{outside}{dnr}", hit.citation)?;
        if !hit.snippet.is_empty() {
            writeln!(out, "    {}", highlight(&hit.snippet, terminal))?;
        }
        if let (Some(d), Some(k)) = (&hit.decision, &hit.decision_kind) {
            let short: String = d.chars().take(240).collect();
            writeln!(out, "    Beslut ({k}): {short}{}", if d.chars().count() > 240 { "…" } else { "" })?;
        }
        writeln!(out, "    {}\n", hit.path)?;
    }
    Ok(())
}

/// The one meeting a name means: its copy that stands for it. A name that means several
/// meetings is an error that lists them.
fn resolve_one(archive: &Archive, name: &str) -> anyhow::Result<StoredMeeting> {
    let found = archive.resolve(name)?;
    let mut keys: Vec<String> = found.iter().map(|s| s.meeting.copy_key()).collect();
    keys.dedup();
    match keys.len() {
        0 => anyhow::bail!("{name}: finns inte i indexet"),
        1 => {}
        _ => {
            let list: Vec<String> = found.iter().map(|s| format!("{} ({})", document_id(&s.meeting.source.sha256), s.path)).collect();
            anyhow::bail!("{name} kan vara flera dokument; ange ett av dessa id: {}", list.join(", "))
        }
    }
    let key = &keys[0];
    let mut copies = archive.copies(key)?;
    copies.sort_by_key(|c| !c.primary);
    // A copy named by its id or path is shown as named; a file stem names the meeting,
    // and the copy that stands for it is shown.
    match found.into_iter().next() {
        Some(named) if named.meeting.id != name => Ok(named),
        _ => copies.into_iter().next().ok_or_else(|| anyhow::anyhow!("{name}: finns inte i indexet")),
    }
}

/// Shows a stored meeting or one of its items.
fn run_show(index: &std::path::Path, document: &str, item: Option<&str>, json: bool) -> anyhow::Result<ExitCode> {
    let archive = Archive::open_built(index)?;
    let stored = resolve_one(&archive, document)?;
    let m = &stored.meeting;
    let mut out = std::io::stdout().lock();
    match item {
        Some(nr) => {
            let nr = protokoll::text::item_number(nr);
            let Some(it) = m.items.iter().find(|i| i.number == nr) else {
                anyhow::bail!("{document}: har ingen § {nr}");
            };
            if json {
                serde_json::to_writer_pretty(&mut out, &citation::item_json(m, it, &stored.path)?)?;
                writeln!(out)?;
            } else {
                writeln!(out, "{}", Citation::of(m, Some(it), &stored.path))?;
                writeln!(out, "{} sida {}", stored.path, it.page)?;
                writeln!(out, "\n{}", it.text)?;
                if let Some(d) = &it.decision {
                    writeln!(out, "\nBeslut ({}): {}", d.kind, d.text)?;
                }
            }
        }
        None if json => {
            serde_json::to_writer_pretty(&mut out, &citation::meeting_json(m, &stored.path, citation::Items::Cited)?)?;
            writeln!(out)?;
        }
        None => {
            write_summary(&mut out, m, &stored.path)?;
            let copies = archive.copies(&m.copy_key())?;
            writeln!(out, "\nKällor")?;
            for c in &copies {
                let mark = if c.meeting.source.sha256 == m.source.sha256 { "*" } else { " " };
                writeln!(out, "  {mark} {}  {}  {}", document_id(&c.meeting.source.sha256), c.meeting.source.format, c.path)?;
            }
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Serves the index until interrupted; the first line printed is the address.
fn run_serve(index: &std::path::Path, addr: std::net::SocketAddr) -> anyhow::Result<ExitCode> {
    if !addr.ip().is_loopback() {
        eprintln!("protokoll: obs! servern lyssnar på {addr} och kan nås från andra datorer i nätverket");
    }
    protokoll::web::serve(index, addr, |bound| {
        println!("Lyssnar på http://{bound}/");
        eprintln!("protokoll: öppna adressen ovan i en webbläsare; avsluta med Ctrl-C");
        let _ = std::io::stdout().flush();
    })
    .with_context(|| format!("index {}", index.display()))?;
    Ok(ExitCode::SUCCESS)
}

/// Prints a topic's timeline, as text or JSON, or writes it as an HTML page.
fn run_timeline(index: &std::path::Path, topic: &str, json: bool, html: Option<&std::path::Path>) -> anyhow::Result<ExitCode> {
    let archive = Archive::open_built(index)?;
    let t = timeline::timeline(&archive, topic)?;
    if let Some(file) = html {
        std::fs::write(file, protokoll::web::timeline_html(&archive, &t)).with_context(|| file.display().to_string())?;
        eprintln!("protokoll: tidslinjen med {} skrevs till {}", count(t.events.len(), "händelse", "händelser"), file.display());
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = std::io::stdout().lock();
    if json {
        serde_json::to_writer_pretty(&mut out, &t)?;
        writeln!(out)?;
    } else {
        out.write_all(timeline::to_text(&t).as_bytes())?;
    }
    out.flush()?;
    Ok(if t.events.is_empty() { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

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
