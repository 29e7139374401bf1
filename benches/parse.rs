//! Parse speed on an 80-page protocol, against an earlier build of protokoll in the same
//! run: the median time of `protokoll parse --json` on a generated 80-page PDF (invented
//! text: a front page of participants, then items with diarienummer, text, a decision
//! heading and att-clauses, with running headers and footers), and of the parse stage
//! alone as a library call.
//!
//! ```text
//! PROTOKOLL_BASELINE=/path/to/earlier/protokoll cargo bench --bench parse
//! ```
//! With `PROTOKOLL_BASELINE` set, the earlier binary is timed on the same file,
//! alternating with this one, and the ratio printed (the parser's target is <= 1.2).

#[path = "../tests/common/archive.rs"]
mod archive;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use archive::Run;
use protokoll::extract::{self, Options};
use protokoll::parse;

const PAGES: usize = 80;
const RUNS: usize = 11;
const LINES_PER_PAGE: usize = 46;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// The lines of the invented protocol, page by page.
fn protocol_pages() -> Vec<Vec<(bool, String)>> {
    let mut body: Vec<(bool, String)> = vec![
        (true, "Protokoll".into()),
        (false, "Sammanträdesdatum 2024-03-12".into()),
        (false, "Plats och tid Kommunhuset, Lindsalen, kl. 09.00-15.30".into()),
        (false, String::new()),
        (true, "Beslutande".into()),
    ];
    let first = ["Anna", "Bertil", "Cecilia", "David", "Elin", "Fredrik", "Greta", "Henrik", "Ingrid", "Johan", "Karin"];
    let last = ["Lindqvist", "Åberg", "Sjöström", "Nyberg", "Ekholm", "Wester", "Holm", "Dahlén", "Forsberg", "Ström", "Berglund"];
    let parties = ["S", "M", "C", "V", "KD", "L", "SD", "MP"];
    for (i, (f, l)) in first.iter().zip(last.iter()).enumerate() {
        let role = if i == 0 { ", ordförande" } else { "" };
        body.push((false, format!("{f} {l} ({}){role}", parties[i % parties.len()])));
    }
    body.push((true, "Övriga närvarande".into()));
    body.push((false, "Maria Rask, sekreterare".into()));
    body.push((false, "Olof Brandt, förvaltningschef".into()));
    body.push((false, "Utses att justera Karin Berglund".into()));
    body.push((false, "Justeringens plats och tid Kommunhuset 2024-03-19".into()));
    body.push((false, String::new()));
    let topics = [
        "Avtal om familjehemsvård",
        "Budgetuppföljning för individ- och familjeomsorgen",
        "Riktlinjer för ekonomiskt bistånd",
        "Yttrande över motion om ungdomsmottagning",
        "Delegationsordning för socialnämnden",
        "Internkontrollplan",
        "Samverkan kring barn och unga",
        "Redovisning av ej verkställda beslut",
    ];
    let mut n = 12;
    let mut item = 0;
    while body.len() < PAGES * (LINES_PER_PAGE - 4) {
        let topic = topics[item % topics.len()];
        body.push((true, format!("§ {n}   {topic}")));
        body.push((false, format!("Dnr SN 2024/{}", 100 + item)));
        for k in 0..40 {
            body.push((
                false,
                format!("Förvaltningen har i ärendet redovisat underlag nummer {k} om {} och de åtgärder som följer av nämndens beslut.", topic.to_lowercase()),
            ));
        }
        body.push((true, "Socialnämndens beslut".into()));
        body.push((false, format!("att godkänna förvaltningens förslag i ärendet om {}", topic.to_lowercase())));
        body.push((false, "att uppdra åt förvaltningen att återrapportera till nämnden i september.".into()));
        body.push((false, String::new()));
        n += 1;
        item += 1;
    }
    body.chunks(LINES_PER_PAGE - 4).take(PAGES).map(<[(bool, String)]>::to_vec).collect()
}

/// Writes the protocol as a PDF with one content stream per page (the writer the
/// archive generator shares).
fn write_pdf(path: &Path) -> Result<usize, lopdf::Error> {
    let pages = protocol_pages();
    let count = pages.len();
    let runs: Vec<Vec<Run>> = pages
        .iter()
        .enumerate()
        .map(|(p, lines)| {
            let mut runs = vec![Run::new(56.0, 800.0, 10.0, false, "Socialnämnden   Sammanträdesprotokoll 2024-03-12")];
            for (i, (b, line)) in lines.iter().enumerate() {
                if !line.is_empty() {
                    runs.push(Run::new(56.0, 770.0 - 16.0 * i as f32, 10.0, *b, line.clone()));
                }
            }
            runs.push(Run::new(56.0, 40.0, 10.0, false, "Justerandes sign"));
            runs.push(Run::new(500.0, 40.0, 10.0, false, format!("{} ({count})", p + 1)));
            runs
        })
        .collect();
    archive::write_pdf(path, &runs)
}

fn time_command(bin: &Path, file: &Path) -> Duration {
    let t = Instant::now();
    let status = Command::new(bin).arg("parse").arg("--json").arg(file).stdout(Stdio::null()).stderr(Stdio::null()).status();
    let elapsed = t.elapsed();
    if !status.is_ok_and(|s| s.success()) {
        eprintln!("{} parse failed on {}", bin.display(), file.display());
    }
    elapsed
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let file = dir.path().join("protokoll-80-sidor.pdf");
    let pages = write_pdf(&file)?;
    if let Some(keep) = std::env::var_os("PROTOKOLL_BENCH_KEEP") {
        std::fs::copy(&file, keep)?;
    }
    let bytes = std::fs::read(&file)?;
    let doc = extract::extract_bytes(&bytes, "protokoll-80-sidor.pdf", &Options::default())?;
    let items = parse::parse(&doc, &file, &bytes).items.len();
    println!("generated: {pages} pages, {} extracted, {items} items parsed", doc.pages.len());

    let parse_stage = median(
        (0..RUNS)
            .map(|_| {
                let t = Instant::now();
                std::hint::black_box(parse::parse(&doc, &file, &bytes));
                t.elapsed()
            })
            .collect(),
    );
    println!("parse stage (library):      {:>8.1} ms", parse_stage.as_secs_f64() * 1000.0);

    let bin = Path::new(env!("CARGO_BIN_EXE_protokoll"));
    let baseline = std::env::var_os("PROTOKOLL_BASELINE").map(std::path::PathBuf::from);
    let (mut now, mut before) = (Vec::new(), Vec::new());
    for _ in 0..RUNS {
        now.push(time_command(bin, &file));
        if let Some(b) = &baseline {
            before.push(time_command(b, &file));
        }
    }
    let now = median(now);
    println!("protokoll parse --json:     {:>8.1} ms", now.as_secs_f64() * 1000.0);
    if let Some(b) = &baseline {
        let before = median(before);
        println!("baseline {}: {:>8.1} ms", b.display(), before.as_secs_f64() * 1000.0);
        println!("ratio (this / baseline):    {:>8.2}   (target <= 1.2)", now.as_secs_f64() / before.as_secs_f64());
    } else {
        println!("set PROTOKOLL_BASELINE to an earlier build to compare in the same run");
    }
    Ok(())
}
