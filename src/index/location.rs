//! Where the index is: the folder given with `--index`, else the one `PROTOKOLL_INDEX`
//! names, else `./index` when the current folder has one, else `index` in the platform's
//! data folder (`~/.local/share/protokoll/index` on Linux, from the `directories` crate).
//! Every command that uses an index finds it here, and an index that is not there is
//! said with the folder looked at, the rule that chose it and how to build one.
//!
//! It does not look inside the folder (that is [`super::Archive::open`]) and does not
//! create it (an import does, through its lock).

use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// The environment variable that names the index folder.
pub const INDEX_ENV: &str = "PROTOKOLL_INDEX";

/// The index folder's name, in the current folder and in the data folder.
pub const INDEX_FOLDER: &str = "index";

/// What chose the index folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// `--index MAPP`.
    Flag,
    /// The environment variable [`INDEX_ENV`].
    Env,
    /// `./index`, which exists.
    CurrentFolder,
    /// The platform's data folder.
    DataFolder,
}

/// The index folder and what chose it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexLocation {
    pub path: PathBuf,
    pub origin: Origin,
}

/// No rule gave a folder: no `--index`, no `PROTOKOLL_INDEX`, no `./index`, and no home
/// folder to find the data folder in.
#[derive(Debug, thiserror::Error)]
#[error(
    "var indexet ska ligga går inte att avgöra: varken --index, {INDEX_ENV} eller ./index finns, och hemmappen är okänd; ange en mapp med --index MAPP eller {INDEX_ENV}"
)]
pub struct NoIndexFolder;

impl IndexLocation {
    /// The index folder for a command: `flag` (its `--index`) when given, else by the
    /// environment, the current folder and the platform's data folder, in that order.
    pub fn find(flag: Option<&Path>) -> Result<IndexLocation, NoIndexFolder> {
        let data = directories::ProjectDirs::from("se", "", "protokoll").map(|d| d.data_dir().join(INDEX_FOLDER));
        choose(flag, std::env::var_os(INDEX_ENV), Path::new(INDEX_FOLDER).is_dir(), data)
    }

    /// Why this folder, in a few Swedish words.
    pub fn why(&self) -> String {
        match self.origin {
            Origin::Flag => "angiven med --index".to_string(),
            Origin::Env => format!("angiven med {INDEX_ENV}"),
            Origin::CurrentFolder => "mappen index i den aktuella mappen".to_string(),
            Origin::DataFolder => format!("standardmappen, eftersom varken --index, {INDEX_ENV} eller ./index finns"),
        }
    }

    /// How a command names this index: `--index MAPP` when it was given so, else nothing
    /// (the same rule finds it again).
    pub fn flag(&self) -> String {
        match self.origin {
            Origin::Flag => format!(" --index {}", self.path.display()),
            _ => String::new(),
        }
    }

    /// The message for an index that is not there: the folder looked at, why that one,
    /// and how to build one.
    pub fn missing(&self) -> String {
        format!(
            "indexet {} finns inte ({}); bygg det med `protokoll ingest{} MAPP` (MAPP är mappen med protokollen), eller välj ett annat med --index MAPP eller {INDEX_ENV}",
            self.path.display(),
            self.why(),
            self.flag()
        )
    }
}

/// [`IndexLocation::find`] with what it looks at given: the environment variable's value
/// (empty counts as none), whether `./index` is a folder, and the data folder's index.
fn choose(flag: Option<&Path>, env: Option<OsString>, current_folder: bool, data: Option<PathBuf>) -> Result<IndexLocation, NoIndexFolder> {
    let found = |path: PathBuf, origin| Ok(IndexLocation { path, origin });
    if let Some(path) = flag {
        return found(path.to_path_buf(), Origin::Flag);
    }
    if let Some(path) = env.filter(|v| !v.is_empty()) {
        return found(PathBuf::from(path), Origin::Env);
    }
    if current_folder {
        return found(PathBuf::from(INDEX_FOLDER), Origin::CurrentFolder);
    }
    match data {
        Some(path) => found(path, Origin::DataFolder),
        None => Err(NoIndexFolder),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origin(flag: Option<&str>, env: Option<&str>, current: bool, data: Option<&str>) -> Option<(PathBuf, Origin)> {
        choose(flag.map(Path::new), env.map(OsString::from), current, data.map(PathBuf::from)).ok().map(|l| (l.path, l.origin))
    }

    #[test]
    fn the_flag_comes_first_then_the_environment_then_the_current_folder_then_the_data_folder() {
        let data = "/home/a/.local/share/protokoll/index";
        assert_eq!(origin(Some("/x"), Some("/y"), true, Some(data)), Some(("/x".into(), Origin::Flag)));
        assert_eq!(origin(None, Some("/y"), true, Some(data)), Some(("/y".into(), Origin::Env)));
        assert_eq!(origin(None, None, true, Some(data)), Some(("index".into(), Origin::CurrentFolder)));
        assert_eq!(origin(None, None, false, Some(data)), Some((data.into(), Origin::DataFolder)));
    }

    #[test]
    fn an_empty_environment_variable_counts_as_none() {
        assert_eq!(origin(None, Some(""), false, Some("/d/index")), Some(("/d/index".into(), Origin::DataFolder)));
        assert_eq!(origin(None, Some(""), true, None), Some(("index".into(), Origin::CurrentFolder)));
    }

    #[test]
    fn without_any_rule_and_without_a_home_there_is_no_folder() {
        assert!(origin(None, None, false, None).is_none());
        assert!(NoIndexFolder.to_string().contains("--index MAPP"));
    }

    #[test]
    fn a_missing_index_says_where_it_was_looked_for_and_why() {
        let data = choose(None, None, false, Some("/d/index".into())).expect("data folder");
        let said = data.missing();
        assert!(said.contains("/d/index finns inte (standardmappen, eftersom varken --index, PROTOKOLL_INDEX eller ./index finns)"), "{said}");
        assert!(said.starts_with("indexet /d/index finns inte (") && said.contains("`protokoll ingest MAPP`"), "{said}");
        let flag = choose(Some(Path::new("/x/ix")), None, false, None).expect("flag");
        assert!(
            flag.missing().contains("indexet /x/ix finns inte (angiven med --index); bygg det med `protokoll ingest --index /x/ix MAPP`"),
            "{}",
            flag.missing()
        );
        let env = choose(None, Some("/e/ix".into()), false, None).expect("env");
        assert!(env.missing().contains("/e/ix finns inte (angiven med PROTOKOLL_INDEX)"), "{}", env.missing());
    }
}
