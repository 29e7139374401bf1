//! Walking the paths given to `ingest`: the files to read, in a stable order, and every
//! other file named with the reason it is not read.
//!
//! Folders are walked recursively (walkdir), hidden files and folders skipped, symbolic
//! links not followed. In a folder, a file is read when its name ends in a format ingest
//! knows ([`EXTENSIONS`]); a file named on the command line is read whatever its name,
//! as its content decides its format. Only regular files are read: a FIFO or a device
//! would block or never end.
//!
//! The files come out as canonical paths (the registry's identity of a file): each root is
//! made canonical once, and as links are not followed, every path below it is too.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

/// File name endings read in folders. `.doc` is read only to be refused with a reason.
pub const EXTENSIONS: &[&str] = &["pdf", "html", "htm", "txt", "docx", "odt", "doc"];

/// Deepest folder nesting walked.
pub const MAX_FOLDER_DEPTH: usize = 64;

/// What the walk found.
#[derive(Debug, Default)]
pub struct Walked {
    /// Files to read, in order.
    pub files: Vec<PathBuf>,
    /// Files not read, with the reason.
    pub skipped: Vec<(PathBuf, String)>,
    /// Paths that could not be walked, with the reason.
    pub missing: Vec<(PathBuf, String)>,
}

fn extension(path: &Path) -> String {
    path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).unwrap_or_default()
}

fn is_hidden(entry: &walkdir::DirEntry) -> bool {
    entry.depth() > 0 && entry.file_name().to_str().is_some_and(|n| n.starts_with('.'))
}

/// Walks `paths`.
pub fn walk(paths: &[PathBuf]) -> Walked {
    let mut out = Walked::default();
    for given in paths {
        let root = &given.canonicalize().unwrap_or_else(|_| given.clone());
        let meta = match std::fs::metadata(root) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                out.missing.push((given.clone(), "finns inte".to_string()));
                continue;
            }
            Err(e) => {
                out.missing.push((root.clone(), crate::text::io_error(&e)));
                continue;
            }
        };
        if !meta.is_dir() {
            if meta.is_file() {
                out.files.push(root.clone());
            } else {
                out.skipped.push((root.clone(), "inte en vanlig fil".to_string()));
            }
            continue;
        }
        let walker = WalkDir::new(root).max_depth(MAX_FOLDER_DEPTH).sort_by_file_name().into_iter().filter_entry(|e| !is_hidden(e));
        for entry in walker {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    let path = e.path().map_or_else(|| root.clone(), Path::to_path_buf);
                    out.missing.push((path, e.io_error().map_or_else(|| "mapparna bildar en slinga".to_string(), crate::text::io_error)));
                    continue;
                }
            };
            let kind = entry.file_type();
            if kind.is_dir() {
                continue;
            }
            let path = entry.into_path();
            if !kind.is_file() {
                let what = if kind.is_symlink() { "symbolisk länk (följs inte)" } else { "inte en vanlig fil" };
                out.skipped.push((path, what.to_string()));
            } else if EXTENSIONS.contains(&extension(&path).as_str()) {
                out.files.push(path);
            } else {
                let ext = extension(&path);
                let reason = if ext.is_empty() { "okänt format (inget filnamnstillägg)".to_string() } else { format!("okänt format (.{ext})") };
                out.skipped.push((path, reason));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_are_walked_in_order_and_other_files_named_with_a_reason() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        std::fs::create_dir_all(root.join("2022/b")).expect("mkdir");
        std::fs::create_dir_all(root.join(".git")).expect("mkdir");
        for f in ["2022/b/p.pdf", "2022/a.html", "2022/notes.docx", "2022/old.DOC", "2022/scan.jpg", "2022/.hidden.pdf", ".git/x.pdf"] {
            std::fs::write(root.join(f), b"x").expect("write");
        }
        let walked = walk(&[root.to_path_buf(), root.join("nope")]);
        let names: Vec<String> = walked.files.iter().map(|p| p.strip_prefix(root).expect("prefix").display().to_string()).collect();
        assert_eq!(names, vec!["2022/a.html", "2022/b/p.pdf", "2022/notes.docx", "2022/old.DOC"]);
        assert_eq!(walked.skipped.len(), 1);
        assert_eq!(walked.skipped[0].1, "okänt format (.jpg)");
        assert_eq!(walked.missing, vec![(root.join("nope"), "finns inte".to_string())]);
    }

    #[test]
    fn a_file_named_on_the_command_line_is_read_whatever_its_name() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("protokoll.dat");
        std::fs::write(&file, b"x").expect("write");
        assert_eq!(walk(std::slice::from_ref(&file)).files, vec![file]);
    }
}
