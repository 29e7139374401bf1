//! The command line: the subcommands, their flags and arguments (clap's derive, with
//! Swedish help in the doc comments), and the value parsers that check what was typed.
//! How help and errors are said in Swedish is `swedish.rs`; what each command does is
//! in the modules named after its job.

use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand};
use protokoll::extract;
use protokoll::model::{DecisionKind, MeetingKind};

#[derive(Parser)]
#[command(
    name = "protokoll",
    version,
    about = "Sök, importera och följ beslut i svenska sammanträdesprotokoll",
    after_help = CONFIG_HELP
)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
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
pub(crate) struct TimeLimit {
    /// Sekunder som en fil får ta att läsa, OCR medräknad; sidor som inte hunnits läsa
    /// hoppas över med en varning. OCR läser ungefär en sida i sekunden per kärna, så en
    /// lång skanning behöver mer än standardvärdet.
    #[arg(long = "time-limit", value_name = "SEKUNDER", default_value_t = extract::DEFAULT_TIME_LIMIT.as_secs(), value_parser = parse_seconds)]
    pub(crate) seconds: u64,
}

impl TimeLimit {
    pub(crate) fn duration(&self) -> std::time::Duration {
        std::time::Duration::from_secs(self.seconds)
    }
}

#[derive(Subcommand)]
pub(crate) enum Command {
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

impl Command {
    /// For a command that works on an index, its `--index` (`Some(None)` when not given).
    pub(crate) fn index(&self) -> Option<Option<&Path>> {
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

/// The arguments with a search's excluded words (`-ord`) moved behind `--`, so that clap
/// takes them as words of the query and not as options: a query may then start with one,
/// and `search -ord` works like `search -- -ord`. Only words after `search` or
/// `timeline` move, and only words of one dash that are not `-h`.
pub(crate) fn excluded_words_as_query(args: Vec<std::ffi::OsString>) -> Vec<std::ffi::OsString> {
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
