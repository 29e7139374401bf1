//! The write lock of an index: what makes two imports (or an import and a `remove`, or a
//! repair) into one index take turns instead of interleaving.
//!
//! **Where it lives.** The lock is a file *beside* the index folder, `.<name>.lock` in its
//! parent folder (`index/` is locked by `.index.lock`), not inside it: a rebuild builds
//! a new index in a sibling folder and renames it into the index's place, and a lock
//! inside the old folder would go away with it, leaving the new folder unprotected for
//! a moment. Beside the folder, the lock is the same file before, during and after the
//! rename. The parent is resolved (`canonicalize`), so `index` and `./index` are one lock.
//!
//! **What it protects.** A writer takes the lock before it looks at or creates anything
//! in the index folder, and holds it until its last commit ([`crate::index::store::Store`]
//! keeps it): what is new is decided under the lock, so two imports never both store a
//! file. tantivy's own writer lock, inside the folder, stays as a second line of
//! defence against programs that do not know this one.
//!
//! **Readers** take no lock; [`writer_active`] asks whether a writer holds it, so that a
//! search of an index whose first import is still running can say so instead of finding
//! nothing. The question is asked by taking a shared lock for an instant, which is why a
//! writer that will not wait still retries for [`LOCK_GRACE`].
//!
//! The lock file is removed when the lock is released, so nothing is left beside the
//! index after a clean run. On Unix an acquirer checks, once it holds the lock, that the
//! path still names the file it locked (a releaser may have removed it just before), and
//! starts over if not; elsewhere the file is left in place. A lock file left by a process
//! that died is no lock: the operating system releases a dead process's locks.
//!
//! It does not lock reading, and it does not protect an index reached by two different
//! paths through a symbolic link to the index folder itself.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use super::IndexError;

/// How long a writer that will not wait still tries: a reader asking whether a writer is
/// at work holds the lock for microseconds, and must not make a writer give up.
pub const LOCK_GRACE: Duration = Duration::from_millis(300);

/// How often a waiting writer tries the lock again: waiting is for an import to finish,
/// which takes seconds to hours, and a waiter must notice Ctrl-C.
const LOCK_POLL: Duration = Duration::from_millis(200);

/// Whether and how a writer waits for the lock.
pub enum Wait<'a> {
    /// Refuse at once ([`IndexError::Busy`]) when another process holds it.
    No,
    /// Wait until it is free: `waiting` is called once when the wait begins; `cancel`
    /// set while waiting gives up ([`IndexError::Cancelled`]).
    Yes { cancel: &'a AtomicBool, waiting: &'a dyn Fn() },
}

/// The exclusive write lock of one index folder, held until dropped.
#[derive(Debug)]
pub struct WriteLock {
    file: File,
    lock_path: PathBuf,
    dir: PathBuf,
}

/// The lock file of the index folder `dir`; its parent is created when `create`.
pub fn lock_path(dir: &Path, create: bool) -> Result<PathBuf, IndexError> {
    let mut abs = std::path::absolute(dir)?;
    if abs.file_name().is_none() {
        // `..`, `.` or the root: the folder itself must be resolved to have a name.
        abs = abs.canonicalize()?;
    }
    let name = abs.file_name().ok_or_else(|| IndexError::Lock { path: abs.clone(), error: crate::text::swedish_io("indexmappen kan inte vara roten") })?;
    let name = name.to_string_lossy().into_owned();
    let parent = abs.parent().unwrap_or(Path::new("/")).to_path_buf();
    if create {
        std::fs::create_dir_all(&parent).map_err(|error| IndexError::Lock { path: parent.clone(), error })?;
    }
    let parent = parent.canonicalize().map_err(|error| IndexError::Lock { path: parent.clone(), error })?;
    Ok(parent.join(format!(".{name}.lock")))
}

impl WriteLock {
    /// Takes the write lock of the index folder `dir` (which need not exist yet).
    pub fn acquire(dir: &Path, wait: Wait<'_>) -> Result<WriteLock, IndexError> {
        let lock_path = lock_path(dir, true)?;
        let started = Instant::now();
        let mut told = false;
        loop {
            let file = OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&lock_path)
                .map_err(|error| IndexError::Lock { path: lock_path.clone(), error })?;
            match file.try_lock() {
                Ok(()) if still_named(&file, &lock_path) => return Ok(WriteLock { file, lock_path, dir: dir.to_path_buf() }),
                // Removed by its releaser between our open and our lock: try the new one.
                Ok(()) => continue,
                Err(TryLockError::WouldBlock) => {}
                Err(TryLockError::Error(error)) => return Err(IndexError::Lock { path: lock_path.clone(), error }),
            }
            drop(file);
            match &wait {
                Wait::No if started.elapsed() >= LOCK_GRACE => return Err(IndexError::Busy(dir.to_path_buf())),
                Wait::No => std::thread::sleep(Duration::from_millis(20)),
                Wait::Yes { cancel, waiting } => {
                    if !told {
                        waiting();
                        told = true;
                    }
                    if cancel.load(Ordering::Relaxed) {
                        return Err(IndexError::Cancelled(dir.to_path_buf()));
                    }
                    std::thread::sleep(LOCK_POLL);
                }
            }
        }
    }

    /// The index folder locked.
    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

impl Drop for WriteLock {
    fn drop(&mut self) {
        // Removed while still held, so that no one locks a file about to disappear
        // without noticing (see `still_named`); the lock itself goes with the handle.
        #[cfg(unix)]
        if still_named(&self.file, &self.lock_path) {
            let _ = std::fs::remove_file(&self.lock_path);
        }
        let _ = self.file.unlock();
    }
}

/// Whether `path` still names the file `file` was opened from.
#[cfg(unix)]
fn still_named(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn still_named(_file: &File, _path: &Path) -> bool {
    true
}

/// Whether another process holds the write lock of `dir` right now. Creates nothing.
pub fn writer_active(dir: &Path) -> bool {
    let Ok(path) = lock_path(dir, false) else { return false };
    let Ok(file) = File::open(&path) else { return false };
    match file.try_lock_shared() {
        Ok(()) => {
            let _ = file.unlock();
            false
        }
        Err(TryLockError::WouldBlock) => true,
        Err(TryLockError::Error(_)) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_writer_is_refused_and_a_reader_sees_the_first() {
        let parent = tempfile::tempdir().expect("tempdir");
        let dir = parent.path().join("index");
        assert!(!writer_active(&dir));
        let first = WriteLock::acquire(&dir, Wait::No).expect("first");
        assert!(parent.path().join(".index.lock").exists(), "the lock is beside the folder");
        assert!(!dir.exists(), "taking the lock creates nothing in the index folder");
        assert!(writer_active(&dir));
        assert!(matches!(WriteLock::acquire(&dir, Wait::No), Err(IndexError::Busy(_))));
        // Another spelling of the same folder is the same lock.
        let other = parent.path().join(".").join("index");
        assert!(matches!(WriteLock::acquire(&other, Wait::No), Err(IndexError::Busy(_))));
        drop(first);
        assert!(!writer_active(&dir));
        assert!(!parent.path().join(".index.lock").exists(), "nothing left beside the index");
        let again = WriteLock::acquire(&dir, Wait::No).expect("free again");
        assert_eq!(again.dir(), dir.as_path());
    }

    #[test]
    fn a_waiting_writer_gets_the_lock_when_it_is_released_and_can_give_up() {
        let parent = tempfile::tempdir().expect("tempdir");
        let dir = parent.path().join("index");
        let first = WriteLock::acquire(&dir, Wait::No).expect("first");
        let cancel = AtomicBool::new(true);
        let told = AtomicBool::new(false);
        let notify = || told.store(true, Ordering::Relaxed);
        let gave_up = WriteLock::acquire(&dir, Wait::Yes { cancel: &cancel, waiting: &notify });
        assert!(matches!(gave_up, Err(IndexError::Cancelled(_))));
        assert!(told.load(Ordering::Relaxed), "the waiter says it waits");
        let cancel = AtomicBool::new(false);
        std::thread::scope(|s| {
            let waiter = s.spawn(|| WriteLock::acquire(&dir, Wait::Yes { cancel: &cancel, waiting: &|| {} }).is_ok());
            std::thread::sleep(Duration::from_millis(300));
            drop(first);
            assert!(waiter.join().expect("join"), "the waiter gets the lock");
        });
    }
}
