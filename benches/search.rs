//! Search benchmarks, in one run:
//!
//! 1. **Compound lexicons.** The shared queries (`tests/gold/queries.json`) against
//!    `corpus/` indexed three ways: with the hunspell-sv lexicon, with the archive's own
//!    vocabulary as lexicon, and without compound splitting. Prints recall@10, MRR and
//!    their mean, the evaluation's score.
//! 2. **Scale.** An index of generated items (100,000 by default) of realistic Swedish
//!    protocol text: sentences, titles, decisions and names recombined from `corpus/`
//!    over many bodies and years. Prints the indexing rate, the index size, and p50/p95
//!    latency of the shared queries (a whole search: query, top hits, snippets, facets).
//!
//! ```text
//! cargo bench --bench search [-- lexicons|scale] [--items N]
//! ```

use std::collections::BTreeSet;
use std::path::Path;
use std::time::{Duration, Instant};

use protokoll::extract::{self, Options};
use protokoll::index::Archive;
use protokoll::index::lexicon::Lexicon;
use protokoll::index::search::SearchOptions;
use protokoll::index::store::Store;
use protokoll::model::{Body, Decision, Item, Meeting, Participant, Role};
use protokoll::parse;

/// A small deterministic generator (SplitMix64), so runs are comparable.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[self.below(v.len())]
    }
}

fn corpus_meetings() -> Vec<Meeting> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let files = protokoll::ingest::walk::walk(&[root]).files;
    let mut out = Vec::new();
    for f in files {
        let Ok(bytes) = std::fs::read(&f) else { continue };
        let name = f.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if let Ok(doc) = extract::extract_bytes(&bytes, name, &Options::default()) {
            out.push(parse::parse(&doc, &f, &bytes));
        }
    }
    out
}

/// Stores meetings in a new index in `dir`, copies of one meeting together, in commits of
/// `batch` meetings, and opens it for reading.
fn store_meetings(dir: &Path, lexicon: Lexicon, meetings: &[Meeting], batch: usize) -> Archive {
    let (mut store, _) = Store::open(dir, lexicon).expect("index");
    for chunk in meetings.chunks(batch.max(1)) {
        let mut groups: std::collections::BTreeMap<String, Vec<&Meeting>> = std::collections::BTreeMap::new();
        for m in chunk {
            groups.entry(m.copy_key()).or_default().push(m);
        }
        for copies in groups.values() {
            let refs: Vec<(&Meeting, &str)> = copies.iter().map(|m| (*m, m.source.path.as_str())).collect();
            store.put_copies(&refs).expect("add");
        }
        store.commit().expect("commit");
    }
    store.finish().expect("finish");
    Archive::open(dir).expect("open")
}

fn queries() -> Vec<(String, Vec<(String, String)>)> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/gold/queries.json");
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap_or_default()).unwrap_or_default();
    v.as_array()
        .map(|qs| {
            qs.iter()
                .map(|q| {
                    let rel = q["relevant"]
                        .as_array()
                        .map(|r| r.iter().map(|p| (p[0].as_str().unwrap_or("").into(), p[1].as_str().unwrap_or("").into())).collect())
                        .unwrap_or_default();
                    (q["q"].as_str().unwrap_or("").to_string(), rel)
                })
                .collect()
        })
        .unwrap_or_default()
}

fn words_of(meetings: &[Meeting]) -> BTreeSet<String> {
    let mut words = BTreeSet::new();
    for m in meetings {
        for it in &m.items {
            for w in it.text.split(|c: char| !c.is_alphabetic()) {
                if w.chars().count() >= 3 {
                    words.insert(w.to_lowercase());
                }
            }
        }
    }
    words
}

/// Parts that occur in `corpus/` only inside compounds, with the items whose compounds
/// hold them: only a lexicon that splits those compounds finds these (read off the
/// documents by hand: "jour" is in no item but in "Kvinnojouren" of SocSam § 40).
const PART_PROBES: &[(&str, &[(&str, &str)])] = &[
    ("jour", &[("socsam-2022-06-03", "40")]),
    ("boende", &[("stromsund-socialnamnd-2022-11-17", "158")]),
    ("ersättning", &[("socsam-2022-06-03", "32")]),
    ("förbund", &[("socsam-2022-06-03", "35"), ("svom-2023-10-13", "35")]),
    ("perspektiv", &[("stromsund-socialnamnd-2022-11-17", "156"), ("svom-2023-10-13", "34")]),
    ("arena", &[("socsam-2022-06-03", "38")]),
    ("placering", &[("schnv-dalarna-2020-09-25", "7")]),
    ("avtal", &[("socsam-2022-06-03", "39"), ("svom-2023-10-13", "33")]),
    ("plan", &[("socsam-2022-06-03", "31"), ("stromsund-socialnamnd-2022-11-17", "151")]),
    ("centrum", &[("socsam-2022-06-03", "33")]),
];

fn lexicons(meetings: &[Meeting]) {
    println!("Compound lexicons on corpus/: the shared queries, and parts found only inside compounds");
    println!("{:28} {:>8} {:>10} {:>8} {:>8} {:>12}", "lexicon", "entries", "recall@10", "MRR", "score", "part recall");
    let candidates = [
        ("hunspell-sv (default)", Lexicon::system()),
        ("archive vocabulary", Lexicon::from_words(words_of(meetings), "archive")),
        ("no splitting", Lexicon::empty()),
    ];
    for (name, lexicon) in candidates {
        let dir = tempfile::tempdir().expect("tempdir");
        let entries = lexicon.len();
        let archive = store_meetings(dir.path(), lexicon, meetings, meetings.len());
        let (mut recall, mut rr, mut n) = (0.0, 0.0, 0.0);
        let mut misses = Vec::new();
        for (q, relevant) in queries() {
            let hits = archive.search(&q, &SearchOptions::default()).expect("search").hits;
            let got: Vec<(String, String)> = hits.into_iter().filter_map(|h| Some((h.document, h.item?))).collect();
            let found = relevant.iter().filter(|r| got.contains(r)).count();
            recall += found as f64 / relevant.len() as f64;
            rr += got.iter().position(|g| relevant.contains(g)).map_or(0.0, |k| 1.0 / (k + 1) as f64);
            n += 1.0;
            if found < relevant.len() {
                misses.push(q);
            }
        }
        let (r, m) = (recall / n, rr / n);
        let (mut found, mut wanted) = (0, 0);
        for (part, expected) in PART_PROBES {
            let opts = SearchOptions { limit: 20, ..SearchOptions::default() };
            let hits = archive.search(part, &opts).expect("search").hits;
            for (doc, item) in *expected {
                wanted += 1;
                if hits.iter().any(|h| h.document == *doc && h.item.as_deref() == Some(*item)) {
                    found += 1;
                } else {
                    misses.push(format!("{part}→{doc} § {item}"));
                }
            }
        }
        println!("{name:28} {entries:>8} {r:>10.3} {m:>8.3} {:>8.3} {:>12}   misses: {misses:?}", (r + m) / 2.0, format!("{found}/{wanted}"));
    }
}

/// Generated meetings: items recombined from the corpus's sentences, titles, decisions
/// and names, over 40 bodies and ten years.
fn generate(source: &[Meeting], items_wanted: usize) -> Vec<Meeting> {
    let mut rng = Rng(0x5eed);
    let texts: Vec<&str> = source.iter().flat_map(|m| m.items.iter().map(|i| i.text.as_str())).collect();
    let sentences: Vec<String> = texts
        .iter()
        .flat_map(|t| parse::references::sentences(t))
        .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|s| s.split_whitespace().count() >= 4)
        .collect();
    let titles: Vec<&str> = source.iter().flat_map(|m| m.items.iter().map(|i| i.title.as_str())).collect();
    let decisions: Vec<&Decision> = source.iter().flat_map(|m| m.items.iter().filter_map(|i| i.decision.as_ref())).collect();
    let people: Vec<&Participant> = source.iter().flat_map(|m| m.participants.iter()).collect();
    let towns = ["Berg", "Bräcke", "Härjedalen", "Krokom", "Ragunda", "Strömsund", "Åre", "Östersund", "Sundsvall", "Umeå"];
    let organs = ["Socialnämnden", "Vård- och omsorgsnämnden", "Kommunstyrelsen", "Arbetsutskottet"];
    let mut out = Vec::new();
    let mut made = 0;
    let mut n = 0;
    while made < items_wanted {
        n += 1;
        let town = *rng.pick(&towns);
        let organ = *rng.pick(&organs);
        let date = chrono::NaiveDate::from_ymd_opt(2015 + rng.below(10) as i32, 1 + rng.below(12) as u32, 1 + rng.below(28) as u32);
        let count = 8 + rng.below(24);
        let items: Vec<Item> = (0..count)
            .map(|k| {
                let text: Vec<&str> = (0..3 + rng.below(15)).map(|_| rng.pick(&sentences).as_str()).collect();
                Item {
                    number: (100 + k).to_string(),
                    title: rng.pick(&titles).to_string(),
                    heading: String::new(),
                    diarienummer: Some(format!("SN.{}.{} 700", 2015 + rng.below(10), rng.below(900))),
                    presenters: vec![rng.pick(&people).name.clone()],
                    page: 1 + k as u32,
                    text: text.join(" "),
                    decision: (rng.below(3) > 0).then(|| (*rng.pick(&decisions)).clone()),
                    references: Vec::new(),
                    motions: Vec::new(),
                    reservations: Vec::new(),
                    notes: Vec::new(),
                    vote: None,
                }
            })
            .collect();
        made += items.len();
        let participants: Vec<Participant> = (0..6).map(|_| Participant { role: Role::Beslutande, ..(*rng.pick(&people)).clone() }).collect();
        out.push(Meeting {
            id: format!("gen-{n:06}"),
            source: protokoll::model::Source {
                path: format!("gen/{n:06}.pdf"),
                format: protokoll::model::Format::Pdf,
                sha256: format!("{n:064x}"),
                pages: count as u32,
                ocr: false,
                masked: 0,
            },
            body: Body { name: format!("{organ}, {town}s kommun"), key: format!("{}-{}", town.to_lowercase(), n % 4) },
            organization: Some(format!("{town}s kommun")),
            kind: protokoll::model::MeetingKind::Protokoll,
            date,
            time: None,
            place: None,
            officers: Default::default(),
            participants,
            items,
            attachments: Vec::new(),
            outside_items: Vec::new(),
            warnings: Vec::new(),
        });
    }
    out
}

fn dir_size(path: &Path) -> u64 {
    std::fs::read_dir(path).map_or(0, |rd| rd.flatten().filter_map(|e| e.metadata().ok()).filter(|m| m.is_file()).map(|m| m.len()).sum())
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn scale(source: &[Meeting], items: usize) {
    let meetings = generate(source, items);
    let total: usize = meetings.iter().map(|m| m.items.len()).sum();
    let dir = tempfile::tempdir().expect("tempdir");
    let lexicon = Lexicon::system();
    let start = Instant::now();
    let archive = store_meetings(dir.path(), lexicon, &meetings, 500);
    let took = start.elapsed();
    let qs: Vec<String> = queries().into_iter().map(|(q, _)| q).collect();
    for q in &qs {
        let _ = archive.search(q, &SearchOptions::default());
    }
    let mut times = Vec::new();
    for _ in 0..10 {
        for q in &qs {
            let t = Instant::now();
            let _ = archive.search(q, &SearchOptions::default()).expect("search");
            times.push(t.elapsed());
        }
    }
    times.sort();
    println!("\nScale: {} meetings, {total} items", meetings.len());
    println!("indexing rate   {:.0} items/s ({:.1} s)", total as f64 / took.as_secs_f64(), took.as_secs_f64());
    println!("index size      {:.1} MB", dir_size(dir.path()) as f64 / 1e6);
    println!(
        "query latency   p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms over {} searches of the {} shared queries",
        percentile(&times, 0.5).as_secs_f64() * 1e3,
        percentile(&times, 0.95).as_secs_f64() * 1e3,
        times.last().map_or(0.0, |d| d.as_secs_f64() * 1e3),
        times.len(),
        qs.len()
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let items = args.iter().position(|a| a == "--items").and_then(|i| args.get(i + 1)).and_then(|n| n.parse().ok()).unwrap_or(100_000);
    let which = args.iter().find(|a| *a == "lexicons" || *a == "scale").cloned();
    let source = corpus_meetings();
    if which.as_deref() != Some("scale") {
        lexicons(&source);
    }
    if which.as_deref() != Some("lexicons") {
        scale(&source, items);
    }
}
