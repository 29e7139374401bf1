//! Configuration as a user meets it, through the binary run from other folders: which
//! index (`--index`, `PROTOKOLL_INDEX`, `./index`, the platform data folder) and which
//! dictionary (`--lexicon`, `PROTOKOLL_HUNSPELL`) a command uses, and what it says when
//! the one chosen is not there.

mod common;

use std::path::{Path, PathBuf};

use common::{corpus, protokoll};

/// A home of its own for each test: the data folder is `data/protokoll` under it.
struct Home {
    dir: tempfile::TempDir,
}

impl Home {
    fn new() -> Home {
        Home { dir: tempfile::tempdir().expect("tempdir") }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// A folder under the home, made if need be.
    fn folder(&self, name: &str) -> PathBuf {
        let dir = self.path().join(name);
        std::fs::create_dir_all(&dir).expect("mkdir");
        dir
    }

    /// Runs the binary in `cwd` with this home and the given environment variables (and
    /// none of protokoll's own otherwise): exit status, stdout, stderr.
    fn run(&self, cwd: &Path, env: &[(&str, &Path)], args: &[&str]) -> (i32, String, String) {
        let mut cmd = protokoll();
        cmd.args(args)
            .current_dir(cwd)
            .env("HOME", self.path())
            .env("XDG_DATA_HOME", self.path().join("data"))
            .env_remove("PROTOKOLL_INDEX")
            .env_remove("PROTOKOLL_HUNSPELL");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.output().expect("protokoll runs");
        (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

/// The sample HTML protocol, as an argument.
fn sample() -> String {
    corpus("html/svom-2023-10-13.html").display().to_string()
}

/// The fingerprint of the lexicon an index was built with (the compiled copy's first line).
fn lexicon_of(index: &Path) -> String {
    let bytes = std::fs::read(index.join("lexikon.fst")).expect("lexikon.fst");
    let end = bytes.iter().position(|&b| b == b'\n').expect("fingerprint line");
    String::from_utf8_lossy(&bytes[..end]).into_owned()
}

#[test]
fn protokoll_index_chooses_the_index_from_any_folder() {
    let home = Home::new();
    let index = home.path().join("arkiv/index");
    let (code, out, err) = home.run(&home.folder("a"), &[("PROTOKOLL_INDEX", &index)], &["ingest", &sample()]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains(&format!("Indexet: {} (angiven med PROTOKOLL_INDEX).", index.display())), "{out}");
    assert!(index.join("meta.json").exists());
    let (code, out, err) = home.run(&home.folder("b"), &[("PROTOKOLL_INDEX", &index)], &["search", "justerare"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("träff"), "{out}");
    // --index wins over the variable.
    let elsewhere = home.path().join("finns-inte");
    let (code, out, err) = home.run(&home.folder("b"), &[("PROTOKOLL_INDEX", &elsewhere)], &["search", "--index", index.to_str().expect("utf-8"), "justerare"]);
    assert_eq!(code, 0, "{out}{err}");
    let (code, _, err) = home.run(&home.folder("b"), &[("PROTOKOLL_INDEX", &elsewhere)], &["list"]);
    assert_eq!(code, 2);
    assert!(err.contains(&format!("indexet {} finns inte (angiven med PROTOKOLL_INDEX)", elsewhere.display())), "{err}");
    assert!(err.contains("bygg det med `protokoll ingest MAPP`") && !err.contains("korpus"), "{err}");
}

#[test]
fn without_flag_or_variable_the_current_folder_index_then_the_data_folder() {
    let home = Home::new();
    let data_index = home.path().join("data/protokoll/index");
    // No ./index here: the import goes to the data folder, and says so.
    let (code, out, err) = home.run(&home.folder("a"), &[], &["ingest", &sample()]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains(&format!("Indexet: {} (standardmappen, eftersom varken --index, PROTOKOLL_INDEX eller ./index finns).", data_index.display())),
        "{out}"
    );
    assert!(data_index.join("meta.json").exists());
    // Found again from another folder.
    let (code, out, _) = home.run(&home.folder("b"), &[], &["list"]);
    assert_eq!(code, 0);
    assert!(out.trim_end().ends_with("1 möte"), "{out}");
    // A folder with its own ./index uses that one.
    let project = home.folder("projekt");
    let (code, out, err) = home.run(&project, &[], &["ingest", "--index", "index", &corpus("pdf/socsam-2021-10-08.pdf").display().to_string()]);
    assert_eq!(code, 0, "{out}{err}");
    let (_, out, _) = home.run(&project, &[], &["list"]);
    assert!(out.contains("SocSam") && !out.contains("SVOM"), "./index, not the data folder's: {out}");
    // A ./index that holds no index is said as such.
    let empty = home.folder("tom");
    std::fs::create_dir_all(empty.join("index")).expect("mkdir");
    let (code, _, err) = home.run(&empty, &[], &["search", "ord"]);
    assert_eq!(code, 2);
    assert!(err.contains("indexet index finns inte (mappen index i den aktuella mappen)"), "{err}");
}

#[test]
fn a_missing_data_folder_index_says_where_it_looked() {
    let home = Home::new();
    let (code, out, err) = home.run(&home.folder("a"), &[], &["timeline", "familjehem"]);
    assert_eq!(code, 2, "{out}");
    let expected = format!("indexet {} finns inte (standardmappen", home.path().join("data/protokoll/index").display());
    assert!(err.starts_with(&format!("protokoll: {expected}")) && err.lines().count() == 1, "{err}");
}

#[test]
fn the_dictionary_is_chosen_by_flag_or_variable_and_a_missing_one_is_an_error() {
    let home = Home::new();
    let dic = home.path().join("ordlista/sv.dic");
    std::fs::create_dir_all(home.path().join("ordlista")).expect("mkdir");
    std::fs::write(&dic, "4\nfamilj/ADfHY\nfamilje/XZ\nhem/ACFXY\nvård/ADGXY\n").expect("write");
    let cwd = home.folder("a");

    let missing = home.path().join("finns-inte.dic");
    let by_flag_missing = home.path().join("ix-saknas");
    let (code, out, err) =
        home.run(&cwd, &[], &["ingest", "--index", by_flag_missing.to_str().expect("utf-8"), "--lexicon", missing.to_str().expect("utf-8"), &sample()]);
    assert_eq!(code, 2, "{out}");
    assert_eq!(err.trim(), format!("protokoll: ordlistan {} (vald med --lexicon) kan inte läsas: filen eller mappen finns inte", missing.display()));
    let (code, _, err) = home.run(&cwd, &[("PROTOKOLL_HUNSPELL", &missing)], &["ingest", "--index", by_flag_missing.to_str().expect("utf-8"), &sample()]);
    assert_eq!(code, 2);
    assert!(err.contains("(vald med PROTOKOLL_HUNSPELL) kan inte läsas"), "{err}");
    assert!(!by_flag_missing.join("meta.json").exists(), "nothing was imported");

    let default = home.path().join("ix-standard");
    let (code, out, err) = home.run(&cwd, &[], &["ingest", "--index", default.to_str().expect("utf-8"), &sample()]);
    assert_eq!(code, 0, "{out}{err}");
    let by_flag = home.path().join("ix-flagga");
    // The flag wins over a variable that names a missing file.
    let (code, out, err) = home.run(
        &cwd,
        &[("PROTOKOLL_HUNSPELL", &missing)],
        &["ingest", "--index", by_flag.to_str().expect("utf-8"), "--lexicon", dic.to_str().expect("utf-8"), &sample()],
    );
    assert_eq!(code, 0, "{out}{err}");
    let by_env = home.path().join("ix-variabel");
    let (code, out, err) = home.run(&cwd, &[("PROTOKOLL_HUNSPELL", &dic)], &["ingest", "--index", by_env.to_str().expect("utf-8"), &sample()]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(lexicon_of(&by_flag), lexicon_of(&by_env), "the same dictionary by flag and by variable");
    assert_ne!(lexicon_of(&by_flag), lexicon_of(&default), "another dictionary than Debian's");
    // A check with the same dictionary finds the index whole and keeps its lexicon.
    let (code, out, err) = home.run(&cwd, &[("PROTOKOLL_HUNSPELL", &dic)], &["check", "--repair", "--index", by_env.to_str().expect("utf-8")]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(lexicon_of(&by_env), lexicon_of(&by_flag));
}
