//! Typos, as a user makes them: a table of 30 misspellings, each one edit (a letter left
//! out, added or changed, or two neighbours swapped) from a word of the sample corpus,
//! simple words, inflected forms and compounds from each of its five documents. The
//! words were chosen before the search was made to correct them, and the table is kept
//! whole. Each row names the item the correctly spelt word finds first; `protokoll search
//! --json` with the misspelling must find that item first in at least 27 of the 30.

mod common;

use common::{corpus, protokoll};
use serde_json::Value;

/// Misspelling, the word as spelt in the corpus, the document the word was taken from,
/// and the item (document, §) that the correct word finds first.
const TABLE: [(&str, &str, &str, (&str, &str)); 30] = [
    // schnv-dalarna-2020-09-25
    ("rekvirerng", "rekvirering", "schnv-dalarna-2020-09-25", ("schnv-dalarna-2020-09-25", "5")),
    ("samverkanslösnigar", "samverkanslösningar", "schnv-dalarna-2020-09-25", ("schnv-dalarna-2020-09-25", "7")),
    ("rekryteirng", "rekrytering", "schnv-dalarna-2020-09-25", ("schnv-dalarna-2020-09-25", "7")),
    ("äldreomsoorg", "äldreomsorg", "schnv-dalarna-2020-09-25", ("schnv-dalarna-2020-09-25", "8")),
    ("referensgrupo", "referensgrupp", "schnv-dalarna-2020-09-25", ("schnv-dalarna-2020-09-25", "8")),
    ("överenskomelser", "överenskommelser", "schnv-dalarna-2020-09-25", ("schnv-dalarna-2020-09-25", "5")),
    // The README's example.
    ("familjehm", "familjehem", "schnv-dalarna-2020-09-25", ("socsam-2022-06-03", "33")),
    // socsam-2021-10-08
    ("famijlehemscentrum", "familjehemscentrum", "socsam-2021-10-08", ("socsam-2022-06-03", "33")),
    ("uppsägningstiiden", "uppsägningstiden", "socsam-2021-10-08", ("socsam-2021-10-08", "48")),
    ("statistikuppgfiter", "statistikuppgifter", "socsam-2021-10-08", ("schnv-dalarna-2020-09-25", "7")),
    ("personaltilskott", "personaltillskott", "socsam-2021-10-08", ("socsam-2021-10-08", "48")),
    // socsam-2022-06-03
    ("milersättnigar", "milersättningar", "socsam-2022-06-03", ("socsam-2022-06-03", "32")),
    ("kvinnojuoren", "kvinnojouren", "socsam-2022-06-03", ("socsam-2022-06-03", "40")),
    ("kommunbidarget", "kommunbidraget", "socsam-2022-06-03", ("socsam-2022-06-03", "40")),
    ("justrare", "justerare", "socsam-2022-06-03", ("socsam-2022-06-03", "28")),
    ("hemsjukvärd", "hemsjukvård", "socsam-2022-06-03", ("socsam-2022-06-03", "37")),
    ("riktlinier", "riktlinjer", "socsam-2022-06-03", ("socsam-2022-06-03", "32")),
    ("personliiga", "personliga", "socsam-2022-06-03", ("socsam-2022-06-03", "34")),
    // stromsund-socialnamnd-2022-11-17
    ("verksamhetsprongos", "verksamhetsprognos", "stromsund-socialnamnd-2022-11-17", ("stromsund-socialnamnd-2022-11-17", "149")),
    ("deleggationsbeslut", "delegationsbeslut", "stromsund-socialnamnd-2022-11-17", ("stromsund-socialnamnd-2022-11-17", "153")),
    ("socialnämdnen", "socialnämnden", "stromsund-socialnamnd-2022-11-17", ("stromsund-socialnamnd-2022-11-17", "151")),
    ("slutenvårdem", "slutenvården", "stromsund-socialnamnd-2022-11-17", ("stromsund-socialnamnd-2022-11-17", "152")),
    ("värdighetsgarantjer", "värdighetsgarantier", "stromsund-socialnamnd-2022-11-17", ("stromsund-socialnamnd-2022-11-17", "159")),
    ("anhöirga", "anhöriga", "stromsund-socialnamnd-2022-11-17", ("stromsund-socialnamnd-2022-11-17", "158")),
    ("interkontroll", "internkontroll", "stromsund-socialnamnd-2022-11-17", ("stromsund-socialnamnd-2022-11-17", "156")),
    // svom-2023-10-13
    ("ungdomsmotagningen", "ungdomsmottagningen", "svom-2023-10-13", ("svom-2023-10-13", "38")),
    ("resursfördelnigsmodell", "resursfördelningsmodell", "svom-2023-10-13", ("svom-2023-10-13", "33")),
    ("primärvårdsnifå", "primärvårdsnivå", "svom-2023-10-13", ("svom-2023-10-13", "34")),
    ("ordförnade", "ordförande", "svom-2023-10-13", ("svom-2023-10-13", "39")),
    ("sammanträdestieder", "sammanträdestider", "svom-2023-10-13", ("svom-2023-10-13", "36")),
];

/// The bar: 90% of the table.
const BAR: usize = 27;

/// Edits between two words, a swap of neighbours counting as one (optimal string
/// alignment distance).
fn edits(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1).min(d[i][j - 1] + 1).min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
}

/// The first item `protokoll search --json` finds, as (document, §).
fn first_item(index: &std::path::Path, query: &str) -> Option<(String, String)> {
    let out = protokoll().arg("search").arg("--json").arg("--index").arg(index).args(["--limit", "1"]).arg(query).output().expect("run protokoll");
    let json: Value = serde_json::from_slice(&out.stdout).ok()?;
    let hit = json["hits"].get(0)?;
    Some((hit["document"].as_str()?.to_string(), hit["item"].as_str()?.to_string()))
}

#[test]
fn the_table_is_one_edit_from_words_of_the_corpus() {
    for (typo, word, from, _) in TABLE {
        assert_eq!(edits(typo, word), 1, "{typo} / {word}");
        let source = ["pdf", "html"].iter().map(|dir| corpus(dir).join(format!("{from}.{dir}"))).find(|p| p.exists()).expect("source file");
        let text = protokoll().arg("extract").arg(&source).output().expect("run protokoll").stdout;
        let text = String::from_utf8_lossy(&text).to_lowercase();
        assert!(text.split(|c: char| !c.is_alphanumeric()).any(|w| w == word), "{word} is not a word of {from}");
    }
    assert_eq!(edits("ab", "ba"), 1);
    assert_eq!(edits("familjehem", "famljehme"), 2);
}

#[test]
fn misspellings_find_what_the_word_finds() {
    let dir = tempfile::tempdir().expect("tempdir");
    drop(common::index(dir.path(), &[corpus("")]));
    let mut found = 0;
    let mut misses = Vec::new();
    let mut stale = Vec::new();
    for (typo, word, _, (document, item)) in TABLE {
        let wanted = Some((document.to_string(), item.to_string()));
        if first_item(dir.path(), word) != wanted {
            stale.push(word);
        }
        let got = first_item(dir.path(), typo);
        if got == wanted {
            found += 1;
        } else {
            misses.push(format!("{typo} ({word}): {got:?}, not {document} § {item}"));
        }
    }
    println!("misspellings whose first hit is the word's: {found}/{}", TABLE.len());
    for miss in &misses {
        println!("  miss: {miss}");
    }
    assert!(stale.is_empty(), "the correct word no longer finds its item first: {stale:?}");
    assert!(found >= BAR, "{found}/{} misspellings find the word's item first (bar {BAR}); misses: {misses:#?}", TABLE.len());
}
