//! Swedish wording shared by the command line, the library's errors and the web pages:
//! a count with its noun in the right number, and the errors of the standard library and
//! of the dependencies (I/O, JSON, tantivy, lopdf, zip) said in Swedish.
//!
//! The dependencies word their errors in English; every place that shows one to a user
//! goes through a function here, which says what went wrong in Swedish from the error's
//! kind and keeps the English text out. It does not word the program's own messages:
//! those are written in Swedish where they arise.

use std::io::ErrorKind;

/// "1 fil", "2 filer": a count with its noun in the right number.
pub fn count<N: Copy + std::fmt::Display + TryInto<u8>>(n: N, one: &str, many: &str) -> String {
    let singular = n.try_into().is_ok_and(|n: u8| n == 1);
    format!("{n} {}", if singular { one } else { many })
}

/// An item number as a user may type it ("33", "§ 33", "§33"): the number alone, so
/// that a message says "§ 33" once.
pub fn item_number(typed: &str) -> &str {
    typed.trim().trim_start_matches('§').trim()
}

/// A message of the program's own carried in a [`std::io::Error`]: [`io_error`] shows it
/// as it is, where it words every other error from its kind.
#[derive(Debug)]
pub struct Swedish(pub String);

impl std::fmt::Display for Swedish {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Swedish {}

/// An I/O error with a message of the program's own, in Swedish.
pub fn swedish_io(message: impl Into<String>) -> std::io::Error {
    std::io::Error::other(Swedish(message.into()))
}

/// What an I/O error means, in a few Swedish words ("filen finns inte", "åtkomst
/// nekad"), without the system's English text.
pub fn io_error(e: &std::io::Error) -> String {
    if let Some(own) = e.get_ref().and_then(|inner| inner.downcast_ref::<Swedish>()) {
        return own.0.clone();
    }
    let said = match e.kind() {
        ErrorKind::NotFound => "filen eller mappen finns inte",
        ErrorKind::PermissionDenied => "åtkomst nekad",
        ErrorKind::AlreadyExists => "finns redan",
        ErrorKind::IsADirectory => "är en mapp, inte en fil",
        ErrorKind::NotADirectory => "en del av sökvägen är inte en mapp",
        ErrorKind::DirectoryNotEmpty => "mappen är inte tom",
        ErrorKind::ReadOnlyFilesystem => "filsystemet är skrivskyddat",
        ErrorKind::StorageFull => "disken är full",
        ErrorKind::QuotaExceeded => "diskkvoten är slut",
        ErrorKind::FileTooLarge => "filen är för stor för filsystemet",
        ErrorKind::InvalidFilename => "ogiltigt filnamn",
        ErrorKind::InvalidData => "innehållet går inte att läsa",
        ErrorKind::InvalidInput => "ogiltig indata",
        ErrorKind::UnexpectedEof => "filen tar slut för tidigt",
        ErrorKind::Interrupted => "avbröts",
        ErrorKind::TimedOut => "tog för lång tid",
        ErrorKind::WriteZero => "gick inte att skriva",
        ErrorKind::BrokenPipe => "mottagaren slutade läsa",
        ErrorKind::OutOfMemory => "minnet räckte inte",
        ErrorKind::ResourceBusy | ErrorKind::ExecutableFileBusy => "filen är upptagen",
        ErrorKind::CrossesDevices => "kan inte flyttas mellan två diskar",
        ErrorKind::TooManyLinks => "för många länkar",
        ErrorKind::StaleNetworkFileHandle => "nätverksfilen är inte längre tillgänglig",
        ErrorKind::Deadlock => "låset skulle aldrig släppas",
        ErrorKind::ArgumentListTooLong => "för många argument",
        ErrorKind::NotSeekable => "går inte att läsa på valfri plats",
        ErrorKind::Unsupported => "stöds inte här",
        ErrorKind::AddrInUse => "adressen används redan av ett annat program",
        ErrorKind::AddrNotAvailable => "adressen hör inte till den här datorn",
        ErrorKind::ConnectionRefused => "anslutningen nekades",
        ErrorKind::ConnectionReset | ErrorKind::ConnectionAborted => "anslutningen bröts",
        ErrorKind::NotConnected => "ingen anslutning",
        ErrorKind::NetworkDown | ErrorKind::NetworkUnreachable | ErrorKind::HostUnreachable => "nätverket nås inte",
        ErrorKind::WouldBlock => "skulle behöva vänta",
        _ => {
            return match e.raw_os_error() {
                Some(code) => format!("systemfel {code}"),
                None => "okänt fel vid läsning eller skrivning".to_string(),
            };
        }
    };
    said.to_string()
}

/// What a JSON error means: where the text stops being JSON, or that it ended early.
pub fn json_error(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    match e.classify() {
        Category::Io => "kunde inte läsas eller skrivas".to_string(),
        Category::Eof => format!("texten tar slut för tidigt (rad {}, kolumn {})", e.line(), e.column()),
        Category::Syntax => format!("inte giltig JSON (rad {}, kolumn {})", e.line(), e.column()),
        Category::Data => format!("JSON med fel innehåll (rad {}, kolumn {})", e.line(), e.column()),
    }
}

/// What an error of the search engine (tantivy) means for the index.
pub fn tantivy_error(e: &tantivy::TantivyError) -> String {
    use tantivy::TantivyError as T;
    use tantivy::directory::error::{LockError, OpenReadError, OpenWriteError};
    let name = |p: &std::path::Path| p.file_name().map_or_else(|| p.display().to_string(), |n| n.to_string_lossy().into_owned());
    match e {
        T::OpenDirectoryError(d) => open_directory_error(d),
        T::OpenReadError(OpenReadError::FileDoesNotExist(p)) => format!("filen {} saknas", name(p)),
        T::OpenReadError(OpenReadError::IoError { io_error: io, filepath }) => format!("filen {} kan inte läsas: {}", name(filepath), io_error(io)),
        T::OpenReadError(OpenReadError::IncompatibleIndex(_)) | T::IncompatibleIndex(_) => "filerna är skrivna av en annan version av tantivy".to_string(),
        T::OpenWriteError(OpenWriteError::FileAlreadyExists(p)) => format!("filen {} finns redan", name(p)),
        T::OpenWriteError(OpenWriteError::IoError { io_error: io, filepath }) => format!("filen {} kan inte skrivas: {}", name(filepath), io_error(io)),
        T::IndexAlreadyExists => "det finns redan ett index i mappen".to_string(),
        T::LockFailure(LockError::LockBusy, _) => "en annan process skriver i indexet".to_string(),
        T::LockFailure(LockError::IoError(io), _) => format!("indexet kan inte låsas: {}", io_error(io)),
        T::IoError(io) => io_error(io),
        T::DataCorruption(_) => "trasig data".to_string(),
        T::DeserializeError(_) => "ett lagrat dokument går inte att läsa".to_string(),
        T::Poisoned | T::ErrorInThread(_) => "en av sökmotorns trådar avbröts".to_string(),
        T::InvalidArgument(_) | T::FieldNotFound(_) | T::SchemaError(_) => "sökmotorn fick en fråga den inte kan svara på".to_string(),
        _ => "ett internt fel i sökmotorn".to_string(),
    }
}

/// What an error of opening the index folder means.
pub fn open_directory_error(e: &tantivy::directory::error::OpenDirectoryError) -> String {
    use tantivy::directory::error::OpenDirectoryError as D;
    match e {
        D::DoesNotExist(p) => format!("mappen {} finns inte", p.display()),
        D::NotADirectory(p) => format!("{} är inte en mapp", p.display()),
        D::FailedToCreateTempDir(io) => format!("en tillfällig mapp kan inte skapas: {}", io_error(io)),
        D::IoError { io_error: io, directory_path } => format!("mappen {} kan inte läsas: {}", directory_path.display(), io_error(io)),
    }
}

/// What an error of lopdf, reading a PDF, means.
pub fn lopdf_error(e: &lopdf::Error) -> String {
    use lopdf::Error as L;
    match e {
        L::Xref(_) | L::MissingXrefEntry | L::Parse(lopdf::ParseError::InvalidXref) => "korsreferenstabellen går inte att läsa".to_string(),
        L::Parse(lopdf::ParseError::EndOfInput) => "filen tar slut för tidigt".to_string(),
        L::Parse(lopdf::ParseError::InvalidFileHeader) => "filen börjar inte som en PDF".to_string(),
        L::Parse(lopdf::ParseError::InvalidTrailer) => "filens avslutning (trailer) går inte att läsa".to_string(),
        L::Parse(_) | L::Syntax(_) => "innehållet följer inte PDF-formatet".to_string(),
        L::Decompress(lopdf::DecompressError::MemoryLimitExceeded { limit }) => {
            format!("en ström packas upp till mer än {} MiB (dekomprimeringsbomb?)", limit >> 20)
        }
        L::Decompress(lopdf::DecompressError::TooManyFilters { count, limit }) => format!("en ström har {count} filter, fler än de {limit} som packas upp"),
        L::Decompress(_) => "en ström kan inte packas upp".to_string(),
        L::Decryption(_) | L::InvalidPassword | L::UnsupportedSecurityHandler(_) | L::AlreadyEncrypted | L::NotEncrypted => {
            "krypteringen kan inte låsas upp".to_string()
        }
        L::ObjectNotFound((n, g)) => format!("objekt {n} {g} saknas"),
        L::ReferenceCycle(_) | L::ReferenceLimit | L::RecursionLimit => "objekten hänvisar till sig själva i en slinga".to_string(),
        L::IndirectObject { offset } => format!("trasigt objekt vid byte {offset}"),
        L::InvalidOffset(offset) => format!("en hänvisning pekar utanför filen (byte {offset})"),
        L::ObjectIdMismatch | L::ObjectIdOverflow => "objektnumren stämmer inte".to_string(),
        L::InvalidStream(_) | L::InvalidObjectStream(_) => "en ström är trasig".to_string(),
        L::IO(io) => io_error(io),
        L::ObjectType { .. } | L::DictType { .. } | L::DictKey(_) => "ett objekt har fel typ eller saknar en nyckel".to_string(),
        L::CharacterEncoding
        | L::TextStringDecode
        | L::ToUnicodeCMap(_)
        | L::InvalidEncodingDifferenceCode { .. }
        | L::InvalidEncodingDifferenceGlyph { .. } => "en teckenkodning går inte att läsa".to_string(),
        _ => "ett fel i PDF:ens uppbyggnad".to_string(),
    }
}

/// What an error of reading a zip archive (a .docx or .odt) means.
pub fn zip_error(e: &zip::result::ZipError) -> String {
    use zip::result::ZipError as Z;
    match e {
        Z::Io(io) => io_error(io),
        Z::InvalidArchive(_) => "arkivets uppbyggnad är trasig".to_string(),
        Z::UnsupportedArchive(_) => "arkivet använder en packning som inte stöds".to_string(),
        Z::FileNotFound => "en del saknas i arkivet".to_string(),
        Z::InvalidPassword => "arkivet är lösenordsskyddat".to_string(),
        _ => "arkivet kan inte läsas".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_agree_with_their_number() {
        assert_eq!(count(0, "fil", "filer"), "0 filer");
        assert_eq!(count(1, "fil", "filer"), "1 fil");
        assert_eq!(count(2, "träff", "träffar"), "2 träffar");
        assert_eq!(count(1u64, "händelse", "händelser"), "1 händelse");
        assert_eq!(count(257usize, "fil", "filer"), "257 filer");
    }

    #[test]
    fn an_item_number_is_the_number_however_typed() {
        for typed in ["33", "§ 33", "§33", " § 33 "] {
            assert_eq!(item_number(typed), "33", "{typed}");
        }
    }

    #[test]
    fn io_errors_are_said_in_swedish_without_the_system_text() {
        let missing = std::fs::read("/finns/inte/alls").unwrap_err();
        assert_eq!(io_error(&missing), "filen eller mappen finns inte");
        assert_eq!(io_error(&std::io::Error::from(ErrorKind::PermissionDenied)), "åtkomst nekad");
        assert_eq!(io_error(&swedish_io("indexmappen kan inte vara roten")), "indexmappen kan inte vara roten");
        // Another error of kind Other, with an English text: said by kind, not shown.
        assert_eq!(io_error(&std::io::Error::other("something broke")), "okänt fel vid läsning eller skrivning");
        assert_eq!(io_error(&std::io::Error::from_raw_os_error(1234)), "systemfel 1234");
    }

    #[test]
    fn json_errors_say_where() {
        let e = serde_json::from_str::<serde_json::Value>("{\"a\": ]").unwrap_err();
        assert_eq!(json_error(&e), "inte giltig JSON (rad 1, kolumn 7)");
        let e = serde_json::from_str::<serde_json::Value>("{\"a\": ").unwrap_err();
        assert!(json_error(&e).starts_with("texten tar slut för tidigt"));
    }

    #[test]
    fn lopdf_errors_are_said_in_swedish() {
        let truncated = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/corpus/bad/truncated.pdf")).unwrap();
        let e = lopdf::Document::load_mem(&truncated).unwrap_err();
        assert_eq!(lopdf_error(&e), "korsreferenstabellen går inte att läsa");
        assert_eq!(lopdf_error(&lopdf::Error::ObjectNotFound((7, 0))), "objekt 7 0 saknas");
    }
}
