//! A generated archive of meeting protocols, for tests and benchmarks at archive scale.
//!
//! [`protocol`]`(i)` is the i-th protocol of an endless, deterministic sequence (a seeded
//! SplitMix64, nothing random between runs): an invented municipality's Socialnämnd or
//! Vård- och omsorgsnämnd, or a regional collaboration group with an acronym, meeting on
//! a day in 2015–2024 (one meeting per body per day), with 5–20 items drawn from a pool
//! of titles where some are about familjehem and others not, some recording a decision
//! and some only information, with diarienummer, presenters and, now and then, a
//! citation of the body's own earlier decision. [`write_protocol`] renders it as a 2–4
//! page PDF (WinAnsi text, running header and footer, a front page of participants),
//! the approach of `benches/parse.rs`, which uses [`write_pdf`] too.
//!
//! Files are laid out `<organisation>/<year>/<body>-<date>.pdf`; bodies of the same kind
//! in neighbouring municipalities often meet on the same day, so file names repeat
//! across folders. The first N protocols of the sequence are the archive of N, so the
//! archive of 1,000 is a part of the archive of 5,000. The ground truth the timeline is
//! measured against, the items whose title is about familjehem and which record a
//! decision, is [`Item::on_topic_decision`].
//!
//! [`cached`] writes an archive once under `target/archive-bench/`, keyed by its size and
//! [`GENERATOR_VERSION`]. All names and text are invented.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use lopdf::content::{Content, Operation};
use lopdf::{Document, Object, Stream, dictionary};

/// Bump when the protocols generated change: cached archives of another version are
/// generated anew.
pub const GENERATOR_VERSION: u32 = 1;

const SEED: u64 = 0x7072_6f74_6f6b_6f6c;

/// The topic the ground truth is about.
pub const TOPIC: &str = "familjehem";

// --- A small deterministic generator -------------------------------------------------

/// SplitMix64: small, fast and the same on every machine.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    /// A number in `lo..=hi`, spread evenly over the orders of magnitude between them.
    pub fn log_between(&mut self, lo: usize, hi: usize) -> usize {
        let (l, h) = ((lo.max(1) as f64).ln(), (hi.max(lo).max(1) as f64).ln());
        let u = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        ((l + u * (h - l)).exp().round() as usize).clamp(lo, hi.max(lo))
    }
    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        ((self.next() >> 11) as f64 / (1u64 << 53) as f64) < p
    }
    pub fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[self.below(v.len())]
    }
}

// --- PDF writing ----------------------------------------------------------------------

/// A PDF assembled by hand from object bodies, numbered from 1 (the first must be the
/// catalog), with a correct cross-reference table: for files lopdf would not write, such
/// as the hostile inputs of `tests/hostile.rs` and `benches/hostile.rs`.
pub fn raw_pdf(objects: &[Vec<u8>]) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::new();
    for (k, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", k + 1).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1).as_bytes());
    out
}

/// One piece of text placed on a page, in points from the lower left corner.
#[derive(Debug, Clone)]
pub struct Run {
    pub x: f32,
    pub y: f32,
    pub size: f32,
    pub bold: bool,
    pub text: String,
}

impl Run {
    pub fn new(x: f32, y: f32, size: f32, bold: bool, text: impl Into<String>) -> Run {
        Run { x, y, size, bold, text: text.into() }
    }
}

/// WinAnsi bytes of a text: Latin-1 covers the Swedish letters; dashes, quotes and the
/// ellipsis have their own codes; anything else becomes '?'.
pub fn win_ansi(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            '–' => 0x96,
            '—' => 0x97,
            '‘' => 0x91,
            '’' => 0x92,
            '“' => 0x93,
            '”' => 0x94,
            '…' => 0x85,
            '€' => 0x80,
            c if (c as u32) < 0x80 || (0xa0..=0xff).contains(&(c as u32)) => c as u32 as u8,
            _ => b'?',
        })
        .collect()
}

/// Writes pages of text as an A4 PDF with Helvetica and Helvetica-Bold (WinAnsi), one
/// content stream per page. Returns the number of pages.
pub fn write_pdf(path: &Path, pages: &[Vec<Run>]) -> Result<usize, lopdf::Error> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font = |base: &str| dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => base, "Encoding" => "WinAnsiEncoding" };
    let regular = doc.add_object(font("Helvetica"));
    let bold = doc.add_object(font("Helvetica-Bold"));
    let resources = doc.add_object(dictionary! { "Font" => dictionary! { "F1" => regular, "F2" => bold } });
    let count = pages.len();
    let mut kids: Vec<Object> = Vec::new();
    for runs in pages {
        let mut ops = Vec::new();
        for r in runs {
            ops.push(Operation::new("BT", vec![]));
            // A whole size is written as an integer, as `benches/parse.rs` always wrote it.
            let size: Object = if r.size.fract() == 0.0 { (r.size as i64).into() } else { r.size.into() };
            ops.push(Operation::new("Tf", vec![if r.bold { "F2" } else { "F1" }.into(), size]));
            ops.push(Operation::new("Td", vec![r.x.into(), r.y.into()]));
            ops.push(Operation::new("Tj", vec![Object::string_literal(win_ansi(&r.text))]));
            ops.push(Operation::new("ET", vec![]));
        }
        let content = Content { operations: ops }.encode()?;
        let content_id = doc.add_object(Stream::new(dictionary! {}, content));
        let page = doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "Contents" => content_id,
            "Resources" => resources,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        });
        kids.push(page.into());
    }
    doc.objects.insert(pages_id, Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count as i64 }));
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    doc.save(path)?;
    Ok(count)
}

// --- The world: organisations and bodies ---------------------------------------------

/// Invented municipalities.
const TOWNS: &[&str] = &[
    "Granmora",
    "Lövåsen",
    "Sjöbacka",
    "Tornvika",
    "Hagmyra",
    "Ekåsen",
    "Vittskog",
    "Kvarnmora",
    "Lindvika",
    "Älvmora",
    "Stenbacka",
    "Rönnåsen",
    "Myrvika",
    "Tallbacka",
    "Ugglemora",
    "Forsmora",
    "Hjortvika",
    "Bäckåsen",
    "Asplunda",
    "Mossbacka",
    "Gäddvika",
    "Ravnmora",
    "Björkhammar",
    "Sälgvika",
];

/// Invented regional groups: name, acronym, region, the municipalities taking part.
const REGIONAL: &[(&str, &str, &str)] = &[
    ("Regionala samverkansgruppen", "ReSam", "Region Mittmark"),
    ("Sociala beredningsgruppen", "SoBer", "Region Västmark"),
    ("Länsgruppen för barn och unga", "LäBU", "Region Nordmark"),
];

/// The bodies of a municipality: name, decision heading, diarienummer prefix, file name.
const MUNICIPAL_BODIES: &[(&str, &str, &str, &str)] =
    &[("Socialnämnden", "Socialnämndens beslut", "SN", "socialnamnden"), ("Vård- och omsorgsnämnden", "Nämndens beslut", "VON", "vard-och-omsorgsnamnden")];

/// A body that meets.
#[derive(Debug, Clone)]
pub struct BodyDef {
    pub name: String,
    /// The heading of a decision ("Socialnämndens beslut").
    pub decision_heading: String,
    pub dnr_prefix: String,
    /// How the body's own text names it ("Socialnämnden", "ReSam").
    pub short: String,
    /// The file name's start.
    pub file_stem: String,
    /// "Granmora kommun", "Region Mittmark".
    pub organization: String,
    pub folder: String,
    pub town: String,
    /// Bodies of the same kind in the same group meet on the same days in odd years.
    group: usize,
    /// Days later than the group in even years.
    shift: u32,
    pub regional: bool,
}

/// "Granmora kommun", "Lövåsens kommun", "Aspnäs kommun".
fn municipality(town: &str) -> String {
    let vowel = town.ends_with(['a', 'e', 'i', 'o', 'u', 'y', 'å', 'ä', 'ö']);
    if vowel || town.ends_with('s') { format!("{town} kommun") } else { format!("{town}s kommun") }
}

/// Every body, in a fixed order.
pub fn bodies() -> Vec<BodyDef> {
    let mut out = Vec::new();
    for (t, town) in TOWNS.iter().enumerate() {
        for (name, heading, dnr, stem) in MUNICIPAL_BODIES {
            out.push(BodyDef {
                name: (*name).to_string(),
                decision_heading: (*heading).to_string(),
                dnr_prefix: (*dnr).to_string(),
                short: (*name).to_string(),
                file_stem: (*stem).to_string(),
                organization: municipality(town),
                folder: protokoll::model::slug(town),
                town: (*town).to_string(),
                group: t % 8,
                shift: (t % 3) as u32,
                regional: false,
            });
        }
    }
    for (r, (name, acronym, region)) in REGIONAL.iter().enumerate() {
        let town = TOWNS[(r * 5) % TOWNS.len()];
        out.push(BodyDef {
            name: format!("{name} ({acronym})"),
            decision_heading: "Beslut".to_string(),
            dnr_prefix: acronym.to_uppercase(),
            short: (*acronym).to_string(),
            file_stem: protokoll::model::slug(acronym),
            organization: (*region).to_string(),
            folder: protokoll::model::slug(region),
            town: town.to_string(),
            group: 8 + r,
            shift: 0,
            regional: true,
        });
    }
    out
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
}

const MONTHS: [u32; 11] = [1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12];
const MONTH_NAMES: [&str; 12] = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober", "november", "december"];

/// A day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Day {
    pub fn iso(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
    /// "15 mars 2021".
    pub fn long(&self) -> String {
        format!("{} {} {}", self.day, MONTH_NAMES[self.month as usize - 1], self.year)
    }
}

/// The k-th meeting of a body: the years take turns, so that any first k meetings span
/// 2015–2024; within a year the months follow a permutation of the group's.
fn meeting_day(body: &BodyDef, k: usize) -> Day {
    let year = 2015 + (k % 10) as i32;
    let slot = k / 10;
    assert!(slot < 22, "more than 22 meetings a year for one body");
    let month = MONTHS[(slot * 7 + body.group * 3 + year as usize) % MONTHS.len()];
    let extra = (slot / MONTHS.len()) as u32;
    let shift = if year % 2 == 0 { body.shift } else { 0 };
    let day = 2 + (year as u32 * 5 + month * 3 + body.group as u32) % 12 + shift + 14 * extra;
    Day { year, month, day }
}

// --- A protocol -----------------------------------------------------------------------

/// One agenda item.
#[derive(Debug, Clone)]
pub struct Item {
    pub number: u32,
    pub title: String,
    /// The title is about familjehem.
    pub on_topic: bool,
    /// The att-clauses of the decision; `None` for an information item.
    pub decision: Option<Vec<String>>,
    pub diarienummer: String,
    pub presenter: Option<String>,
    /// An earlier decision of the same body the item cites: its day and §.
    pub cites: Option<(Day, u32)>,
    /// The item's text, as sentences.
    pub text: Vec<String>,
}

impl Item {
    /// The ground truth of the timeline: about familjehem, and decided.
    pub fn on_topic_decision(&self) -> bool {
        self.on_topic && self.decision.is_some()
    }
}

/// One generated meeting.
#[derive(Debug, Clone)]
pub struct Protocol {
    pub index: usize,
    pub body: BodyDef,
    pub date: Day,
    pub place: String,
    pub members: Vec<String>,
    pub officials: Vec<String>,
    pub secretary: String,
    pub adjuster: String,
    pub items: Vec<Item>,
}

impl Protocol {
    /// Where the file lies in the archive: `<organisation>/<year>/<body>-<date>.pdf`.
    pub fn rel_path(&self) -> PathBuf {
        PathBuf::from(&self.body.folder).join(self.date.year.to_string()).join(format!("{}-{}.pdf", self.body.file_stem, self.date.iso()))
    }
    /// The document id protokoll gives the file: its name without the extension.
    pub fn file_id(&self) -> String {
        format!("{}-{}", self.body.file_stem, self.date.iso())
    }
}

const FIRST_NAMES: &[&str] = &[
    "Anna", "Bertil", "Cecilia", "David", "Elin", "Fredrik", "Greta", "Henrik", "Ingrid", "Johan", "Karin", "Lars", "Maja", "Nils", "Olivia", "Per", "Ronja",
    "Sven", "Tove", "Ulf", "Vera", "Wilhelm", "Agneta", "Björn", "Dagny", "Erik", "Frida", "Gustav", "Hanna", "Isak", "Jenny", "Kjell", "Linnea", "Mats",
];
const LAST_NAMES: &[&str] = &[
    "Lindqvist",
    "Åberg",
    "Sjöström",
    "Nyberg",
    "Ekholm",
    "Wester",
    "Holm",
    "Dahlén",
    "Forsberg",
    "Ström",
    "Berglund",
    "Hedlund",
    "Norrgård",
    "Falk",
    "Lövgren",
    "Sandström",
    "Björklund",
    "Enqvist",
    "Granlund",
    "Håkansson",
    "Isaksson",
    "Jonsäter",
    "Kvist",
    "Lundmark",
    "Mårtensson",
    "Nordin",
    "Öhman",
    "Rydén",
];
const PARTIES: &[&str] = &["S", "M", "C", "V", "KD", "L", "SD", "MP"];
const OFFICIAL_TITLES: &[&str] = &[
    "förvaltningschef",
    "socialchef",
    "enhetschef barn och familj",
    "ekonom",
    "verksamhetschef",
    "kvalitetsutvecklare",
    "utvecklingsledare",
    "avdelningschef",
];

fn person(rng: &mut Rng) -> String {
    format!("{} {}", rng.pick(FIRST_NAMES), rng.pick(LAST_NAMES))
}

/// Titles about familjehem.
pub const TOPIC_TITLES: &[&str] = &[
    "Avtal om familjehemsvård",
    "Rekrytering av familjehem",
    "Familjehemscentrum – resurser",
    "Ersättning till familjehem",
    "Handlingsplan för familjehemsplaceringar",
    "Utbildning för familjehem",
    "Uppföljning av familjehemsplaceringar",
    "Stöd till familjehemmen",
];

/// Titles about other matters.
pub const OTHER_TITLES: &[&str] = &[
    "Budgetuppföljning för individ- och omsorgsverksamheten",
    "Riktlinjer för ekonomiskt bistånd",
    "Yttrande över motion om ungdomsmottagning",
    "Delegationsordning",
    "Internkontrollplan",
    "Samverkan kring barn och unga",
    "Redovisning av ej verkställda beslut",
    "Verksamhetsplan och mål",
    "Patientsäkerhetsberättelse",
    "Lokalförsörjning för hemtjänsten",
    "Kvalitetsberättelse",
    "Bemanning inom äldreomsorgen",
    "Taxor och avgifter",
    "Missbruksvården – öppenvårdsinsatser",
    "Försörjningsstöd – uppföljning",
    "Våld i nära relationer",
    "Tillsyn av serveringstillstånd",
    "Digitalisering av ansökan om bistånd",
    "Sammanträdesplan för nästa år",
    "Delårsrapport",
    "Arbetsmiljö och sjukfrånvaro",
    "Boendeplanering för personer med funktionsnedsättning",
    "Upphandling av trygghetslarm",
    "Hemsjukvård – samverkansavtal",
    "Anhörigstöd",
    "Synpunkter och klagomål",
    "Medborgarförslag om träffpunkt för seniorer",
    "Sommarjobb för unga",
];

/// Sentences about familjehem; `{n}`, `{year}`, `{org}` are filled in.
const TOPIC_SENTENCES: &[&str] = &[
    "Förvaltningen redovisar läget i familjehemsvården, där {n} barn och unga i dag är placerade i familjehem.",
    "Behovet av fler familjehem har ökat under {year}, särskilt för tonåringar och syskongrupper.",
    "Familjehemscentrum har under perioden genomfört {n} utredningar av nya familjehem.",
    "Ersättningen till familjehemmen följer de regionala riktlinjerna och räknas upp varje år.",
    "Rekryteringen av familjehem sker i samverkan med grannkommunerna och annonseras i lokalpressen.",
    "Grundutbildningen för nya familjehem omfattar {n} träffar under hösten {year}.",
    "Familjehemssekreterarna har i genomsnitt {n} familjehem var att handleda.",
    "Andelen placeringar i familjehem i stället för på institution har ökat sedan {year}.",
    "Avtalet om familjehemsvård med {org} löper ut vid årsskiftet.",
];

/// Sentences about any matter; `{title}` is the title in lower case.
const GENERAL_SENTENCES: &[&str] = &[
    "Ärendet har beretts av förvaltningen i samråd med berörda verksamheter.",
    "Underlaget har skickats till ledamöterna före sammanträdet.",
    "Kostnaderna ryms inom nämndens budgetram för {year}.",
    "Förvaltningen bedömer att förslaget stärker kvaliteten i verksamheten.",
    "Uppföljning sker i samband med delårsrapporten.",
    "Förvaltningen har i ärendet redovisat underlag om {title} och de åtgärder som följer av det.",
    "Frågan om {title} har tidigare behandlats av nämndens arbetsutskott.",
    "Berörda fackliga organisationer har informerats enligt gällande samverkansavtal.",
    "Under året har {n} ärenden inkommit som rör verksamheten.",
    "Ledamöterna ställde frågor om tidplanen, som förvaltningen besvarade.",
    "Verksamheten har under perioden haft en hög arbetsbelastning och flera vakanta tjänster.",
    "En barnkonsekvensanalys har gjorts och bifogas underlaget.",
];

/// Att-clauses of a decision; `{title}` is the title in lower case.
const CLAUSES: &[&str] = &[
    "att godkänna förvaltningens förslag i ärendet om {title}",
    "att anta förslaget till {title}",
    "att fastställa {title} enligt bilaga",
    "att uppdra åt förvaltningen att återrapportera till nämnden i {month}",
    "att lägga redovisningen till handlingarna",
    "att ge förvaltningschefen i uppdrag att verkställa beslutet",
    "att överlämna ärendet till kommunstyrelsen för kännedom",
];

fn fill(template: &str, rng: &mut Rng, title: &str, p: &ProtocolSeed) -> String {
    template
        .replace("{n}", &(3 + rng.below(60)).to_string())
        .replace("{year}", &p.date.year.to_string())
        .replace("{org}", &p.neighbour)
        .replace("{title}", &title.to_lowercase())
        .replace("{month}", MONTH_NAMES[(p.date.month as usize + 2) % 12])
}

struct ProtocolSeed {
    date: Day,
    neighbour: String,
}

fn rng_for(index: usize, salt: u64) -> Rng {
    Rng::new(SEED ^ (index as u64).wrapping_mul(0x2545_f491_4f6c_dd1d) ^ salt)
}

/// The i-th protocol of the sequence.
pub fn protocol(index: usize) -> Protocol {
    let all = bodies();
    protocol_of(&all, index)
}

fn protocol_of(all: &[BodyDef], index: usize) -> Protocol {
    let body = all[index % all.len()].clone();
    let k = index / all.len();
    let date = meeting_day(&body, k);
    // The body's own people, the same at every meeting.
    let mut people = rng_for(index % all.len(), 0xb0d1);
    let members: Vec<String> = (0..7 + people.below(5)).map(|_| format!("{} ({})", person(&mut people), people.pick(PARTIES))).collect();
    let officials: Vec<String> = OFFICIAL_TITLES.iter().take(3 + people.below(4)).map(|t| format!("{}, {t}", person(&mut people))).collect();
    let secretary = person(&mut people);

    let mut rng = rng_for(index, 0x5eed);
    let neighbour = municipality(TOWNS[rng.below(TOWNS.len())]);
    let seed = ProtocolSeed { date, neighbour };
    let adjuster = members[1 + rng.below(members.len() - 1)].split(" (").next().unwrap_or("").to_string();
    let place = if body.regional {
        format!("Regionens hus, {}, kl. 09.00–12.00", body.town)
    } else {
        format!("Kommunhuset, {}salen, kl. 13.00–16.30", rng.pick(&["Ek", "Björk", "Lind", "Al", "Rönn"]))
    };

    let n_items = 5 + rng.below(16);
    let first_number = 1 + (k / 10) as u32 * 16;
    let mut used: Vec<&str> = Vec::new();
    let mut items = Vec::with_capacity(n_items);
    for j in 0..n_items {
        let number = first_number + j as u32;
        let dnr = format!("{} {}/{}", body.dnr_prefix, date.year, 10 + rng.below(480));
        if j == 0 {
            items.push(Item {
                number,
                title: "Godkännande av dagordning".into(),
                on_topic: false,
                decision: Some(vec!["att godkänna dagordningen".into()]),
                diarienummer: dnr,
                presenter: None,
                cites: None,
                text: vec!["Ordföranden frågar om dagordningen kan godkännas.".into()],
            });
            continue;
        }
        let on_topic = rng.chance(0.1);
        let pool = if on_topic { TOPIC_TITLES } else { OTHER_TITLES };
        let title = loop {
            let t = *rng.pick(pool);
            if !used.contains(&t) {
                break t;
            }
        };
        used.push(title);
        let decided = rng.chance(0.65);
        let mut text = Vec::new();
        let mut said: Vec<&str> = Vec::new();
        for _ in 0..2 + rng.below(5) {
            let s = if on_topic && rng.chance(0.6) { *rng.pick(TOPIC_SENTENCES) } else { *rng.pick(GENERAL_SENTENCES) };
            if !said.contains(&s) {
                said.push(s);
                text.push(fill(s, &mut rng, title, &seed));
            }
        }
        if !decided {
            text.push(format!("Informationen ges av {}.", if rng.chance(0.5) { "förvaltningen" } else { "enhetschefen" }));
        }
        // An earlier meeting of the same body, one of the protocols before this one.
        let earlier: Vec<Day> = (0..k).map(|e| meeting_day(&body, e)).filter(|d| *d < date).collect();
        let cites = (decided && !earlier.is_empty() && rng.chance(0.25)).then(|| (*rng.pick(&earlier), 1 + rng.below(12) as u32));
        if let Some((day, paragraph)) = cites {
            let what = if on_topic { format!("om {}", title.to_lowercase()) } else { "i ärendet".to_string() };
            text.push(format!("{} beslutade den {}, § {paragraph}, att ge förvaltningen i uppdrag att utreda frågan {what}.", body.short, day.long()));
        }
        let presenter = rng.chance(0.6).then(|| officials[rng.below(officials.len())].clone());
        let decision = decided.then(|| {
            let mut clauses = vec![fill(CLAUSES[rng.below(3)], &mut rng, title, &seed)];
            if rng.chance(0.6) {
                clauses.push(fill(CLAUSES[3 + rng.below(CLAUSES.len() - 3)], &mut rng, title, &seed));
            }
            clauses
        });
        items.push(Item { number, title: title.to_string(), on_topic, decision, diarienummer: dnr, presenter, cites, text });
    }
    let mut p = Protocol { index, body, date, place, members, officials, secretary, adjuster, items };
    // At most four pages: the longest texts lose their last sentences until it fits.
    while render(&p).len() > MAX_PAGES {
        let Some(longest) = p.items.iter_mut().filter(|i| i.text.len() > 1).max_by_key(|i| i.text.len()) else { break };
        let cut = longest.text.len() - 2;
        longest.text.remove(cut);
    }
    p
}

/// The first `n` protocols.
pub fn protocols(n: usize) -> Vec<Protocol> {
    let all = bodies();
    (0..n).map(|i| protocol_of(&all, i)).collect()
}

// --- Rendering ------------------------------------------------------------------------

const LEFT: f32 = 56.0;
const TOP: f32 = 760.0;
const LINE: f32 = 13.0;
const LINES_PER_PAGE: usize = 52;
const MAX_PAGES: usize = 4;
const WRAP_CHARS: usize = 92;

fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for w in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + w.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(w);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// A line of a page: indent, bold, text (empty: a blank line).
type Line = (f32, bool, String);

fn front_page(p: &Protocol) -> Vec<Line> {
    let mut l: Vec<Line> = vec![
        (0.0, true, "Sammanträdesprotokoll".into()),
        (0.0, true, p.body.name.clone()),
        (0.0, false, String::new()),
        (0.0, false, format!("Sammanträdesdatum {}", p.date.iso())),
        (0.0, false, format!("Plats och tid {}", p.place)),
        (0.0, false, String::new()),
        (0.0, true, "Beslutande".into()),
    ];
    for (i, m) in p.members.iter().enumerate() {
        let role = if i == 0 { ", ordförande" } else { "" };
        let org = if p.body.regional { format!(", {}", municipality(TOWNS[(p.index + i) % TOWNS.len()])) } else { String::new() };
        l.push((0.0, false, format!("{m}{role}{org}")));
    }
    l.push((0.0, true, "Övriga närvarande".into()));
    l.push((0.0, false, format!("{}, sekreterare", p.secretary)));
    for o in &p.officials {
        l.push((0.0, false, o.clone()));
    }
    l.push((0.0, false, String::new()));
    let first = p.items.first().map_or(0, |i| i.number);
    let last = p.items.last().map_or(0, |i| i.number);
    l.push((0.0, false, format!("Paragrafer §§ {first}–{last}")));
    l.push((0.0, false, format!("Utses att justera: {}", p.adjuster)));
    l
}

fn item_lines(p: &Protocol, item: &Item) -> Vec<Line> {
    let mut l: Vec<Line> = vec![(0.0, true, format!("§ {}   {}", item.number, item.title)), (0.0, false, format!("Dnr {}", item.diarienummer))];
    if let Some(who) = &item.presenter {
        l.push((0.0, false, format!("Föredragande: {}", who.split(',').next().unwrap_or(who))));
    }
    for line in wrap(&item.text.join(" "), WRAP_CHARS) {
        l.push((0.0, false, line));
    }
    if let Some(clauses) = &item.decision {
        l.push((0.0, true, p.body.decision_heading.clone()));
        let n = clauses.len();
        for (i, c) in clauses.iter().enumerate() {
            let end = if i + 1 == n { "." } else { "," };
            for (k, line) in wrap(&format!("{c}{end}"), WRAP_CHARS - 4).into_iter().enumerate() {
                l.push((if k == 0 { 0.0 } else { 12.0 }, false, line));
            }
        }
    }
    l.push((0.0, false, String::new()));
    l
}

/// The protocol's pages as positioned text: a front page, then the items, each item
/// kept on one page when it fits, with a running header and footer on every page.
pub fn render(p: &Protocol) -> Vec<Vec<Run>> {
    let mut pages: Vec<Vec<Line>> = vec![front_page(p), Vec::new()];
    for item in &p.items {
        let lines = item_lines(p, item);
        let current = pages.last().map_or(0, Vec::len);
        if current > 0 && current + lines.len() > LINES_PER_PAGE {
            pages.push(Vec::new());
        }
        for line in lines {
            if pages.last().map_or(0, Vec::len) >= LINES_PER_PAGE {
                pages.push(Vec::new());
            }
            if let Some(page) = pages.last_mut() {
                page.push(line);
            }
        }
    }
    let count = pages.len();
    pages
        .into_iter()
        .enumerate()
        .map(|(n, lines)| {
            let mut runs = vec![
                Run::new(LEFT, 810.0, 9.0, false, p.body.organization.clone()),
                Run::new(LEFT, 798.0, 9.0, false, p.body.name.clone()),
                Run::new(380.0, 798.0, 9.0, false, format!("Sammanträdesprotokoll {}", p.date.iso())),
            ];
            for (i, (indent, bold, text)) in lines.into_iter().enumerate() {
                if !text.is_empty() {
                    runs.push(Run::new(LEFT + indent, TOP - LINE * i as f32, 9.5, bold, text));
                }
            }
            runs.push(Run::new(LEFT, 40.0, 8.0, false, "Justerandes sign"));
            runs.push(Run::new(250.0, 40.0, 8.0, false, "Utdragsbestyrkande"));
            runs.push(Run::new(480.0, 40.0, 8.0, false, format!("Sida {} ({count})", n + 1)));
            runs
        })
        .collect()
}

/// Writes one protocol under `root` at its [`Protocol::rel_path`].
pub fn write_protocol(root: &Path, p: &Protocol) -> std::io::Result<PathBuf> {
    let path = root.join(p.rel_path());
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    write_pdf(&path, &render(p)).map_err(|e| std::io::Error::other(format!("{}: {e}", path.display())))?;
    Ok(path)
}

/// Writes the first `n` protocols under `root` (in parallel) and returns them.
pub fn generate(root: &Path, n: usize) -> std::io::Result<Vec<Protocol>> {
    use rayon::prelude::*;
    let all = protocols(n);
    all.par_iter().try_for_each(|p| write_protocol(root, p).map(|_| ()))?;
    Ok(all)
}

/// Where generated archives are cached: `target/archive-bench/` (or under
/// `$CARGO_TARGET_DIR`).
pub fn cache_root() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"), PathBuf::from);
    target.join("archive-bench")
}

/// The archive an archive-scale test runs on: the folder `PROTOKOLL_ARCHIVE_DIR` names, or
/// the generated archive of `PROTOKOLL_ARCHIVE_N` protocols (`default_n` without it).
pub fn chosen(default_n: usize) -> PathBuf {
    let n: usize = std::env::var("PROTOKOLL_ARCHIVE_N").ok().and_then(|v| v.parse().ok()).unwrap_or(default_n);
    match std::env::var_os("PROTOKOLL_ARCHIVE_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => cached(n).expect("generated archive").0,
    }
}

/// The archive of the first `n` protocols, generated once per size and generator version
/// under [`cache_root`]: its folder and its protocols.
pub fn cached(n: usize) -> std::io::Result<(PathBuf, Vec<Protocol>)> {
    let dir = cache_root().join(format!("v{GENERATOR_VERSION}-{n}"));
    let marker = dir.join(".complete");
    if std::fs::read_to_string(&marker).is_ok_and(|s| s.trim() == n.to_string()) {
        return Ok((dir, protocols(n)));
    }
    let tmp = cache_root().join(format!(".v{GENERATOR_VERSION}-{n}.partial-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    let all = generate(&tmp, n)?;
    std::fs::write(tmp.join(".complete"), n.to_string())?;
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::rename(&tmp, &dir)?;
    Ok((dir, all))
}

/// The ground truth of a timeline of [`TOPIC`]: (date, file id, §) of every item whose
/// title is about familjehem and which records a decision.
pub fn on_topic_decisions(protocols: &[Protocol]) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    for p in protocols {
        for item in p.items.iter().filter(|i| i.on_topic_decision()) {
            out.push((p.date.iso(), p.file_id(), item.number.to_string()));
        }
    }
    out
}

// --- Driving the binary ---------------------------------------------------------------

/// The `protokoll` binary of this build.
pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_protokoll"))
}

/// Which of the features being added to the command line this binary has.
#[derive(Debug, Clone, Copy)]
pub struct Features {
    /// `protokoll list --json --index DIR`.
    pub list: bool,
    /// `ingest --report FILE`.
    pub report: bool,
    /// `search --offset N`.
    pub offset: bool,
}

impl Features {
    pub fn detect() -> Features {
        let help = |args: &[&str]| {
            std::process::Command::new(bin())
                .args(args)
                .output()
                .map_or(String::new(), |o| if o.status.success() { String::from_utf8_lossy(&o.stdout).into_owned() } else { String::new() })
        };
        let (ingest, search) = (help(&["ingest", "--help"]), help(&["search", "--help"]));
        Features { list: !help(&["list", "--help"]).is_empty(), report: ingest.contains("--report"), offset: search.contains("--offset") }
    }
}

/// How a finished process went: its exit status, wall time and peak resident memory.
#[derive(Debug, Clone, Copy)]
pub struct Finished {
    pub status: std::process::ExitStatus,
    pub elapsed: std::time::Duration,
    /// Peak resident set size, in KiB (the child's own `ru_maxrss`).
    pub max_rss_kib: u64,
    /// User and system CPU time: what the process cost, whatever else the machine runs.
    pub cpu: std::time::Duration,
}

/// Waits for a child with `wait4`, which gives that child's own resource usage; the
/// [`std::process::Child`] must not be waited for afterwards.
pub fn wait_measured(child: &std::process::Child, started: std::time::Instant) -> std::io::Result<Finished> {
    use std::os::unix::process::ExitStatusExt;
    let pid = child.id() as libc::pid_t;
    let mut status: libc::c_int = 0;
    // SAFETY: rusage is plain data, zero is a valid value; wait4 fills it in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: waiting for our own child with valid pointers.
        let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if r == pid {
            break;
        }
        let err = std::io::Error::last_os_error();
        if err.kind() != std::io::ErrorKind::Interrupted {
            return Err(err);
        }
    }
    let time = |t: libc::timeval| {
        std::time::Duration::from_secs(u64::try_from(t.tv_sec).unwrap_or(0)) + std::time::Duration::from_micros(u64::try_from(t.tv_usec).unwrap_or(0))
    };
    Ok(Finished {
        status: std::process::ExitStatus::from_raw(status),
        elapsed: started.elapsed(),
        max_rss_kib: u64::try_from(usage.ru_maxrss).unwrap_or(0),
        cpu: time(usage.ru_utime) + time(usage.ru_stime),
    })
}

/// Runs a command with its output discarded and measures it.
pub fn run_measured(cmd: &mut std::process::Command) -> std::io::Result<Finished> {
    use std::process::Stdio;
    let started = std::time::Instant::now();
    let child = cmd.stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null()).spawn()?;
    wait_measured(&child, started)
}

/// Sends a signal to a child that has not been waited for.
pub fn signal(child: &std::process::Child, sig: libc::c_int) -> std::io::Result<()> {
    // SAFETY: kill(2) on our own child's pid.
    if unsafe { libc::kill(child.id() as libc::pid_t, sig) } == 0 { Ok(()) } else { Err(std::io::Error::last_os_error()) }
}

/// One hit of `search --json`, as compared between indexes.
pub type HitKey = (String, String, String, String, String);

/// All hits of a query, by (path, item or page, title, date, body), and the total the
/// search counted; the limit is raised to the total so that no cut-off tie decides.
pub fn search_all(index: &Path, query: &str) -> Result<(u64, std::collections::BTreeSet<HitKey>), String> {
    let run = |limit: u64, offset: u64| -> Result<serde_json::Value, String> {
        let out = std::process::Command::new(bin())
            .args(["search", "--json", "--limit", &limit.to_string(), "--offset", &offset.to_string(), "--index"])
            .arg(index)
            .arg(query)
            .output()
            .map_err(|e| e.to_string())?;
        if !matches!(out.status.code(), Some(0 | 1)) {
            return Err(format!("search {query:?}: {} {}", out.status, String::from_utf8_lossy(&out.stderr)));
        }
        serde_json::from_slice(&out.stdout).map_err(|e| format!("search {query:?}: {e}"))
    };
    // Pages of the CLI's largest --limit, as far as --offset goes.
    const PAGE: u64 = 1000;
    const MAX_OFFSET: u64 = 10_000;
    let total = run(1, 0)?["total"].as_u64().unwrap_or(0);
    let mut all: Vec<serde_json::Value> = Vec::new();
    let mut offset = 0;
    while offset < total && offset <= MAX_OFFSET {
        let page = run(PAGE, offset)?;
        all.extend(page["hits"].as_array().cloned().unwrap_or_default());
        offset += PAGE;
    }
    let v = serde_json::json!({ "total": total, "hits": all });
    let s = |h: &serde_json::Value, k: &str| match &h[k] {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    };
    let hits = v["hits"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|h| {
                    (s(h, "path"), if h["item"].is_null() { format!("p{}", s(h, "page")) } else { s(h, "item") }, s(h, "title"), s(h, "date"), s(h, "body"))
                })
                .collect()
        })
        .unwrap_or_default();
    Ok((v["total"].as_u64().unwrap_or(0), hits))
}

/// The p-quantile by nearest rank (0.5: the median, 0.95: p95).
pub fn percentile(v: &[std::time::Duration], p: f64) -> std::time::Duration {
    let mut v = v.to_vec();
    v.sort();
    let k = ((p * v.len() as f64).ceil() as usize).clamp(1, v.len().max(1)) - 1;
    v.get(k).copied().unwrap_or_default()
}
