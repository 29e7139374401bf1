//! `protokoll serve` in a real browser, tested against the URL and HTML contract of the web
//! pages (the hooks: `form#sok`, `#antal`, `a.facett`, `li.traff`, `article.paragraf`, …):
//!
//! - a user's way from the search form through a facet, an item, its matter, its timeline,
//!   its source file, the meeting, a person and the bodies;
//! - a hostile protocol (`tests/web/xss/`) whose markup must come out as text on every page;
//! - path traversal over raw TCP, with request lines written verbatim, and a symlink that
//!   points out of the archive;
//! - security headers on every response, and 400 (never 500) for bad parameters;
//! - screenshots of every page kind at 1366 and 375 px (`target/screenshots/`), and no
//!   sideways scrolling at 375 px;
//! - a running server answering with what an `ingest` committed after it started.
//!
//! Needs Debian's `chromium` and `chromium-driver` (`.ci/run` installs them); nothing here
//! downloads a browser.

mod common;

use std::future::Future;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";

/// The hostile protocol: its markup is in the place, a participant's title, an item's title
/// and that item's decision.
const XSS_FIXTURE: &str = "tests/web/xss";

// ---------------------------------------------------------------------------------------
// Processes: the server and chromedriver, killed when their guard goes.

/// A child process, killed (with its process group, when it leads one) when dropped.
struct Guard {
    child: Child,
    leads_group: bool,
}

impl Drop for Guard {
    fn drop(&mut self) {
        if self.leads_group
            && let Ok(pid) = i32::try_from(self.child.id())
        {
            // chromedriver leads its own group: its browser goes with it.
            // SAFETY: kill(2) on the process group this guard's child leads.
            unsafe { libc::kill(-pid, libc::SIGKILL) };
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What a browser scenario needs to know about a running server.
#[derive(Clone)]
struct Site {
    /// `http://127.0.0.1:PORT`, no trailing slash.
    base: String,
    /// `127.0.0.1:PORT`, for raw TCP.
    addr: String,
    index: PathBuf,
}

impl Site {
    fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    fn get(&self, target: &str) -> Response {
        http_get(&self.addr, target)
    }
}

/// `protokoll serve` on a fresh index, with its stderr kept for failure messages.
struct Server {
    _process: Guard,
    site: Site,
    stderr: Arc<Mutex<String>>,
    _dir: tempfile::TempDir,
}

impl Server {
    /// Imports `inputs` into a fresh index with the binary, then serves it on a free port.
    fn start(inputs: &[PathBuf]) -> Server {
        let dir = tempfile::tempdir().expect("a temporary folder for the index");
        let index = dir.path().join("index");
        ingest(&index, inputs);
        let mut child = common::protokoll()
            .arg("serve")
            .arg("--index")
            .arg(&index)
            .args(["--addr", "127.0.0.1:0"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("`protokoll serve` could not be started");
        let stdout = child.stdout.take().expect("the server's stdout is piped");
        let stderr_pipe = child.stderr.take().expect("the server's stderr is piped");
        let process = Guard { child, leads_group: false };

        let stderr = Arc::new(Mutex::new(String::new()));
        let log = Arc::clone(&stderr);
        std::thread::spawn(move || {
            for line in BufReader::new(stderr_pipe).lines().map_while(Result::ok) {
                let mut log = log.lock().expect("stderr log");
                log.push_str(&line);
                log.push('\n');
            }
        });
        let (first_line, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut lines = BufReader::new(stdout).lines().map_while(Result::ok);
            if let Some(first) = lines.next() {
                let _ = first_line.send(first);
            }
            // Keep draining so that the server never writes into a full or closed pipe.
            lines.for_each(drop);
        });

        let first = rx.recv_timeout(Duration::from_secs(30)).unwrap_or_else(|_| {
            std::thread::sleep(Duration::from_millis(300));
            panic!(
                "`protokoll serve --index {} --addr 127.0.0.1:0` printed no first line within 30 s \
                 (contract: `Lyssnar på http://127.0.0.1:PORT/`); its stderr:\n{}",
                index.display(),
                stderr.lock().expect("stderr log")
            )
        });
        let url = first.split_whitespace().last().unwrap_or_default();
        assert!(
            url.starts_with("http://127.0.0.1:"),
            "the server's first stdout line should end with its URL, `Lyssnar på http://127.0.0.1:PORT/`; it was {first:?}"
        );
        let base = url.trim_end_matches('/').to_string();
        let addr = base.trim_start_matches("http://").to_string();
        Server { _process: process, site: Site { base, addr, index }, stderr, _dir: dir }
    }

    fn site(&self) -> Site {
        self.site.clone()
    }

    fn stderr(&self) -> String {
        self.stderr.lock().expect("stderr log").clone()
    }
}

/// `protokoll ingest --index INDEX INPUTS…`; some refused files (exit 2) are fine.
fn ingest(index: &Path, inputs: &[PathBuf]) {
    let out = common::protokoll().arg("ingest").arg("--index").arg(index).args(inputs).output().expect("`protokoll ingest` runs");
    assert!(
        matches!(out.status.code(), Some(0 | 2)),
        "`protokoll ingest` of {inputs:?} exited with {:?}:\n{}{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A `protokoll` subcommand's JSON output, on the index `index`.
fn cli_json(index: &Path, args: &[&str]) -> Value {
    let out = common::protokoll().args(args).arg("--index").arg(index).arg("--json").output().expect("protokoll runs");
    assert!(out.status.success(), "`protokoll {}` failed:\n{}", args.join(" "), String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("`protokoll {} --json` printed no JSON: {e}", args.join(" ")))
}

/// The documents of an index, as `protokoll list --json` prints them.
fn documents(index: &Path) -> Vec<Value> {
    cli_json(index, &["list"]).as_array().cloned().expect("`protokoll list --json` prints an array")
}

fn corpus_inputs() -> Vec<PathBuf> {
    vec![common::corpus("pdf"), common::corpus("html")]
}

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn encode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    listener.local_addr().expect("local address").port()
}

// ---------------------------------------------------------------------------------------
// Raw HTTP over TCP: the request line goes out exactly as written.

struct Response {
    target: String,
    status: u16,
    head: String,
    body: Vec<u8>,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().skip(1).find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.trim().eq_ignore_ascii_case(name).then(|| value.trim())
        })
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    fn is_html(&self) -> bool {
        self.header("content-type").is_some_and(|t| t.starts_with("text/html"))
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// A chunked body, decoded.
fn dechunk(mut body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(end) = find(body, b"\r\n") {
        let size_line = String::from_utf8_lossy(&body[..end]);
        let size = usize::from_str_radix(size_line.split(';').next().unwrap_or("").trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        body = &body[end + 2..];
        out.extend_from_slice(&body[..size.min(body.len())]);
        body = &body[(size + 2).min(body.len())..];
    }
    out
}

/// `GET {target}` written verbatim on a fresh connection.
fn http_get(addr: &str, target: &str) -> Response {
    let mut stream = TcpStream::connect(addr).unwrap_or_else(|e| panic!("connect to the server at {addr} for GET {target}: {e}"));
    stream.set_read_timeout(Some(Duration::from_secs(30))).expect("read timeout");
    write!(stream, "GET {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").unwrap_or_else(|e| panic!("send GET {target}: {e}"));
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap_or_else(|e| panic!("read the response to GET {target}: {e}"));
    let split = find(&raw, b"\r\n\r\n").unwrap_or_else(|| panic!("GET {target}: no complete HTTP response ({} bytes)", raw.len()));
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let status = head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("GET {target}: no status in {:?}", head.lines().next()));
    let mut response = Response { target: target.to_string(), status, head, body: raw[split + 4..].to_vec() };
    if response.header("transfer-encoding").is_some_and(|t| t.eq_ignore_ascii_case("chunked")) {
        response.body = dechunk(&response.body);
    }
    response
}

// ---------------------------------------------------------------------------------------
// The browser.

/// A chromium session through a chromedriver of our own.
async fn start_browser() -> (Client, Guard) {
    for (path, package) in [(CHROMEDRIVER, "chromium-driver"), (CHROMIUM, "chromium")] {
        assert!(
            Path::new(path).exists(),
            "{path} is missing: the browser tests drive Debian's chromium through chromedriver. \
             `.ci/run` installs chromium and chromium-driver (apt-get install chromium chromium-driver); \
             here the {package} package is not installed"
        );
    }
    let port = free_port();
    let mut child = Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .unwrap_or_else(|e| panic!("{CHROMEDRIVER} could not be started ({e}); `.ci/run` installs chromium and chromium-driver"));
    let started = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if let Ok(Some(status)) = child.try_wait() {
            panic!("chromedriver exited before it listened on port {port}: {status}");
        }
        assert!(started.elapsed() < Duration::from_secs(20), "chromedriver did not listen on port {port} within 20 s");
        std::thread::sleep(Duration::from_millis(50));
    }
    let driver = Guard { child, leads_group: true };

    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "goog:chromeOptions".to_string(),
        json!({
            "binary": CHROMIUM,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1366,900"],
        }),
    );
    let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(capabilities)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .unwrap_or_else(|e| panic!("chromedriver could not start a headless chromium session ({CHROMIUM}): {e}"));
    (client, driver)
}

/// Runs `scenario` in a fresh browser; the browser session is closed whether or not the
/// scenario panics, and its panic is passed on.
async fn in_browser<F, Fut>(scenario: F)
where
    F: FnOnce(Client) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let (client, driver) = start_browser().await;
    let outcome = tokio::spawn(scenario(client.clone())).await;
    let _ = client.close().await;
    drop(driver);
    if let Err(e) = outcome {
        match e.try_into_panic() {
            Ok(panic) => std::panic::resume_unwind(panic),
            Err(e) => panic!("the browser scenario did not finish: {e}"),
        }
    }
}

async fn open(c: &Client, url: &str) {
    c.goto(url).await.unwrap_or_else(|e| panic!("the browser could not open {url}: {e}"));
}

async fn current_url(c: &Client) -> String {
    c.current_url().await.expect("the browser's current URL").to_string()
}

async fn count(c: &Client, css: &str) -> usize {
    c.find_all(Locator::Css(css)).await.unwrap_or_else(|e| panic!("query {css}: {e}")).len()
}

/// The text of the first element matching `css`; panics naming the page when there is none.
async fn text_of(c: &Client, css: &str) -> String {
    let url = current_url(c).await;
    let element = c.find(Locator::Css(css)).await.unwrap_or_else(|_| panic!("no {css} on {url}"));
    element.text().await.unwrap_or_else(|e| panic!("the text of {css} on {url}: {e}"))
}

/// The `href` attribute, as written, of the first element matching `css`.
async fn href_of(c: &Client, css: &str) -> String {
    let url = current_url(c).await;
    let element = c.find(Locator::Css(css)).await.unwrap_or_else(|_| panic!("no {css} on {url}"));
    element.attr("href").await.expect("href attribute").unwrap_or_else(|| panic!("{css} on {url} has no href"))
}

/// All `href` attributes of the elements matching `css`.
async fn hrefs(c: &Client, css: &str) -> Vec<String> {
    let mut out = Vec::new();
    for element in c.find_all(Locator::Css(css)).await.unwrap_or_else(|e| panic!("query {css}: {e}")) {
        if let Some(href) = element.attr("href").await.expect("href attribute") {
            out.push(href);
        }
    }
    out
}

async fn js(c: &Client, script: &str) -> Value {
    c.execute(script, vec![]).await.unwrap_or_else(|e| panic!("run script in the page: {e}\n{script}"))
}

async fn wait_for_load(c: &Client) {
    let started = Instant::now();
    while js(c, "return document.readyState").await != "complete" {
        assert!(started.elapsed() < Duration::from_secs(15), "{} did not finish loading within 15 s", current_url(c).await);
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Clicks the first element matching `css` and waits until the browser has left the page.
async fn click(c: &Client, css: &str) {
    let before = current_url(c).await;
    let element = c.find(Locator::Css(css)).await.unwrap_or_else(|_| panic!("no {css} to click on {before}"));
    element.click().await.unwrap_or_else(|e| panic!("click {css} on {before}: {e}"));
    let started = Instant::now();
    while current_url(c).await == before {
        assert!(started.elapsed() < Duration::from_secs(15), "clicking {css} on {before} led nowhere within 15 s");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    wait_for_load(c).await;
}

async fn back(c: &Client) {
    c.back().await.expect("the browser goes back");
    wait_for_load(c).await;
}

/// The first number in `#antal` ("8 träffar" is 8, "Inga träffar" 0).
async fn total(c: &Client) -> u64 {
    let text = text_of(c, "#antal").await;
    let number = regex::Regex::new(r"\d[\d \x{a0}]*").expect("regex").find(&text).map_or("0", |m| m.as_str()).replace([' ', '\u{a0}'], "");
    number.parse().unwrap_or_else(|_| panic!("#antal should hold the number of hits: {text:?}"))
}

/// The path and query of a URL, for a raw GET of what the browser shows.
fn path_of(url: &str) -> String {
    let url = url::Url::parse(url).unwrap_or_else(|e| panic!("bad URL {url}: {e}"));
    match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_string(),
    }
}

/// The document id and item number of an item page's path, `/dokument/{id}/paragraf/{nr}`.
fn item_of(href: &str) -> (String, String) {
    let path = href.split(['?', '#']).next().unwrap_or(href);
    let rest = path.split("/dokument/").nth(1).unwrap_or_else(|| panic!("not an item page link: {href}"));
    let (id, nr) = rest.split_once("/paragraf/").unwrap_or_else(|| panic!("not an item page link (no /paragraf/): {href}"));
    (id.to_string(), nr.to_string())
}

// ---------------------------------------------------------------------------------------
// 1. A user's way through the pages.

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn user_flow_from_search_to_source_file() {
    let server = Server::start(&corpus_inputs());
    let site = server.site();
    in_browser(move |c| user_flow(c, site)).await;
    drop(server);
}

async fn user_flow(c: Client, site: Site) {
    // What can be checked and walked past is collected; what the walk needs panics at once.
    let mut problems = Findings::default();

    // Search from the form on the start page.
    open(&c, &site.url("/")).await;
    assert!(count(&c, "form#sok").await == 1, "start page: no search form form#sok");
    c.find(Locator::Css("form#sok input[name=q]"))
        .await
        .expect("start page: no input[name=q] in form#sok")
        .send_keys("familjehem")
        .await
        .expect("type into input[name=q]");
    click(&c, "form#sok button[type=submit]").await;
    let url = current_url(&c).await;
    problems.check(url.contains("/sok?") && url.contains("q=familjehem"), format!("search: the form should lead to /sok?q=familjehem, it led to {url}"));
    let all = total(&c).await;
    problems.check(all > 0, format!("search for \"familjehem\": #antal should be a number > 0, it says {:?}", text_of(&c, "#antal").await));
    problems.check(count(&c, "ol.traffar > li.traff").await > 0, format!("search for \"familjehem\" ({url}): no ol.traffar > li.traff"));

    // Narrow by body.
    assert!(count(&c, "a.facett[data-facett=organ]").await > 0, "search ({url}): no body facet a.facett[data-facett=organ]");
    click(&c, "a.facett[data-facett=organ]").await;
    let url = current_url(&c).await;
    problems.check(url.contains("organ="), format!("search: the body facet should add organ= to the URL; it led to {url}"));
    let narrowed = total(&c).await;
    problems.check(narrowed > 0, format!("search narrowed by body ({url}): #antal should be > 0, it says {:?}", text_of(&c, "#antal").await));
    problems.check(narrowed <= all, format!("search narrowed by body ({url}): {narrowed} hits, more than the {all} before"));
    problems.check(count(&c, "li.traff").await > 0, format!("search narrowed by body ({url}): no li.traff"));

    // The first hit that is an item (a hit outside items links to its meeting instead).
    let links = hrefs(&c, "li.traff a.traff-lank").await;
    let hit = links.iter().find(|h| h.contains("/paragraf/")).unwrap_or_else(|| panic!("search ({url}): no a.traff-lank leads to an item page: {links:?}"));
    let (id, _) = item_of(hit);
    click(&c, &format!("li.traff a.traff-lank[href=\"{}\"]", hit.replace('"', "\\\""))).await;
    let item_url = current_url(&c).await;
    problems.check(count(&c, "article.paragraf h1").await > 0, format!("item page {item_url}: no article.paragraf h1"));
    problems.check(count(&c, "mark").await > 0, format!("item page {item_url} (reached from a search for \"familjehem\"): no highlighted word in a mark"));
    problems.check(count(&c, "#citat").await == 1, format!("item page {item_url}: no #citat with the citation text"));

    // Its matter.
    click(&c, "a#arende-lank").await;
    let matter_url = current_url(&c).await;
    problems.check(count(&c, "section.arende li.arende-post").await >= 1, format!("matter page {matter_url}: no section.arende li.arende-post"));
    back(&c).await;

    // Its timeline.
    click(&c, "a#tidslinje-lank").await;
    let timeline_url = current_url(&c).await;
    let events = count(&c, "ol.tidslinje li.handelse").await;
    problems.check(events >= 1, format!("timeline page {timeline_url}: no li.handelse in ol.tidslinje"));
    // Events sit in date groups on the axis: each date's events in their own list.
    problems.check(
        count(&c, "ol.tidslinje > li.datumrad ol.handelser > li.handelse").await == events,
        format!("timeline page {timeline_url}: every event belongs to a date on the axis"),
    );
    back(&c).await;

    // Its source file, at the page.
    assert_eq!(current_url(&c).await, item_url, "back from the timeline should return to the item page");
    let source = href_of(&c, "a.kalla").await;
    let source = source.strip_prefix(&site.base).unwrap_or(&source).to_string();
    let (file, page) = source.split_once("#page=").unwrap_or_else(|| panic!("item page {item_url}: a.kalla href {source:?} does not end with #page=N"));
    problems.check(page.parse::<u32>().is_ok_and(|n| n >= 1), format!("item page {item_url}: a.kalla href {source:?} does not end with #page=<page number>"));
    problems.check(
        file == format!("/dokument/{id}/fil"),
        format!("item page {item_url}: a.kalla href {source:?} should be this document's /dokument/{id}/fil#page=N"),
    );
    let response = site.get(file);
    problems.check(response.status == 200, format!("GET {file} (the item's source file): status {}", response.status));
    if !response.body.starts_with(b"%PDF") {
        let text = response.text().to_lowercase();
        problems.check(
            text.contains("<html") || text.contains("<!doctype"),
            format!(
                "GET {file}: the source should be the PDF (starting %PDF) or the HTML page it was read from; it starts {:?}",
                text.chars().take(80).collect::<String>()
            ),
        );
        let csp = response.header("content-security-policy").unwrap_or_default();
        problems.check(csp.contains("sandbox"), format!("GET {file}: an HTML source file must be served with Content-Security-Policy: sandbox, got {csp:?}"));
    }

    // The meeting, a person at it, and the bodies.
    open(&c, &site.url(&format!("/dokument/{id}"))).await;
    problems.check(count(&c, "article.sammantrade").await == 1, format!("meeting page /dokument/{id}: no article.sammantrade"));
    let person_url = person_from_meeting(&c, &site, &id).await;
    open(&c, &person_url).await;
    problems.check(count(&c, "article.person").await == 1, format!("person page {person_url}: no article.person"));

    let status = site.get("/organ").status;
    problems.check(status == 200, format!("GET /organ: status {status}"));
    open(&c, &site.url("/organ")).await;
    if count(&c, "a[href^='/organ/']").await > 0 {
        click(&c, "a[href^='/organ/']").await;
    } else {
        let bodies = documents(&site.index).len();
        problems.check(
            false,
            format!("/organ lists no body (no link to /organ/{{key}}) for an index of {bodies} documents; it says: {:?}", text_of(&c, "main").await),
        );
        let key = cli_json(&site.index, &["show", &id])["body"]["key"].as_str().expect("the meeting's body key").to_string();
        open(&c, &site.url(&format!("/organ/{key}"))).await;
    }
    let body_url = current_url(&c).await;
    problems.check(count(&c, "article.organ").await == 1, format!("body page {body_url}: no article.organ"));

    problems.assert_none("user flow");
}

/// Problems found on the way, reported together at the end.
#[derive(Default)]
struct Findings(Vec<String>);

impl Findings {
    fn check(&mut self, ok: bool, problem: String) {
        if !ok {
            self.0.push(problem);
        }
    }

    fn assert_none(mut self, scenario: &str) {
        let problems = std::mem::take(&mut self.0);
        assert!(problems.is_empty(), "{scenario}: {} problem(s):\n- {}", problems.len(), problems.join("\n- "));
    }
}

impl Drop for Findings {
    /// A step the walk needed failed: the problems found before it are told too.
    fn drop(&mut self) {
        if std::thread::panicking() && !self.0.is_empty() {
            eprintln!("problems found before the failure:\n- {}", self.0.join("\n- "));
        }
    }
}

/// A person page URL for someone named on the meeting page: its link to them when it has
/// one, else the page of a participant (from the CLI) whose name the page shows.
async fn person_from_meeting(c: &Client, site: &Site, id: &str) -> String {
    if let Some(href) = hrefs(c, "article.sammantrade a[href*='/person?namn=']").await.into_iter().next() {
        return if href.starts_with("http") { href } else { site.url(&href) };
    }
    let text = text_of(c, "article.sammantrade").await;
    let meeting = cli_json(&site.index, &["show", id]);
    let names: Vec<&str> = meeting["participants"].as_array().into_iter().flatten().filter_map(|p| p["name"].as_str()).collect();
    let name = names.iter().find(|n| text.contains(**n)).unwrap_or_else(|| panic!("meeting page /dokument/{id} names none of its participants {names:?}"));
    site.url(&format!("/person?namn={}", encode(name)))
}

// ---------------------------------------------------------------------------------------
// 2. A hostile protocol comes out as text.

/// What must not be in any page: the hostile markup, live.
const LIVE_MARKUP: &[&str] = &["<script>window.__xss", "<img src=x", "<svg onload", "href=\"javascript:"];

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn hostile_protocol_is_shown_as_text() {
    let server = Server::start(&[fixture(XSS_FIXTURE)]);
    let site = server.site();
    in_browser(move |c| hostile_pages(c, site)).await;
    drop(server);
}

async fn hostile_pages(c: Client, site: Site) {
    let title = "<script>window.__xss=3</script>";
    let decision = ["<a href=\"javascript:window.__xss=4\">klicka</a>", "\"><svg onload=window.__xss=5>"];

    let search = site.url(&format!("/sok?q={}", encode("familjehemsvård")));
    open(&c, &search).await;
    assert_inert(&c, &site, "search for a word of the hostile title", &[title]).await;
    let links = hrefs(&c, "li.traff a.traff-lank").await;
    let item = links.iter().find(|h| h.contains("/paragraf/")).unwrap_or_else(|| panic!("{search}: no hit links to the hostile item: {links:?}"));
    let (id, nr) = item_of(item);

    open(&c, &if item.starts_with("http") { item.clone() } else { site.url(item) }).await;
    assert_inert(&c, &site, "item page", &[title, decision[0], decision[1]]).await;
    // Without search words the item's timeline link is made of its (hostile) title.
    open(&c, &site.url(&format!("/dokument/{id}/paragraf/{nr}"))).await;
    assert_inert(&c, &site, "item page without search words", &[title]).await;
    let timeline_link = href_of(&c, "a#tidslinje-lank").await;

    open(&c, &site.url(&format!("/dokument/{id}"))).await;
    assert_inert(&c, &site, "meeting page", &[title]).await;

    open(&c, &site.url(&format!("/arende?dokument={id}&paragraf={nr}"))).await;
    assert_inert(&c, &site, "matter page", &[title]).await;

    // Names are name words, so the hostile text is the person's title; the name itself
    // comes back from the query string.
    open(&c, &site.url(&format!("/person?namn={}", encode("Eva Ek")))).await;
    assert_inert(&c, &site, "person page of the participant with the hostile title", &["Eva Ek"]).await;
    open(&c, &site.url(&format!("/person?namn={}", encode("\"><img src=x onerror=\"window.__xss=2\">")))).await;
    assert_inert(&c, &site, "person page of a hostile name", &[]).await;

    open(&c, &if timeline_link.starts_with("http") { timeline_link } else { site.url(&timeline_link) }).await;
    assert_inert(&c, &site, "timeline of the item's hostile title (its a#tidslinje-lank)", &["window.__xss="]).await;
    open(&c, &site.url(&format!("/tidslinje?q={}", encode("familjehemsvård")))).await;
    assert_inert(&c, &site, "timeline for a word of the hostile title", &["window.__xss="]).await;

    open(&c, &site.url("/organ")).await;
    assert_inert(&c, &site, "list of bodies", &[]).await;
    let key = cli_json(&site.index, &["show", &id])["body"]["key"].as_str().expect("the hostile meeting's body key").to_string();
    open(&c, &site.url(&format!("/organ/{key}"))).await;
    assert_inert(&c, &site, "body page", &[]).await;

    open(&c, &site.url(&format!("/sok?q={}", encode("<script>window.__xss=6</script>")))).await;
    assert_inert(&c, &site, "search for a hostile query", &[]).await;
}

/// Nothing of the hostile markup is live on the page the browser shows, and each of
/// `visible` is there as text.
async fn assert_inert(c: &Client, site: &Site, page: &str, visible: &[&str]) {
    wait_for_load(c).await;
    let url = current_url(c).await;
    let report = js(
        c,
        r#"return {
            xss: typeof window.__xss,
            img: document.querySelectorAll('img[src=x]').length,
            svg: document.querySelectorAll('svg[onload]').length,
            javascript: document.querySelectorAll('a[href^="javascript:" i]').length,
            handlers: [...document.querySelectorAll('*')]
                .filter(e => [...e.attributes].some(a => a.name.startsWith('on')))
                .map(e => e.outerHTML.slice(0, 160)),
            scripts: [...document.querySelectorAll('script')].map(s => s.getAttribute('src')),
            text: document.body ? document.body.innerText : '',
        };"#,
    )
    .await;
    assert_eq!(report["xss"], "undefined", "{page} ({url}): hostile script ran, window.__xss is set");
    assert_eq!(report["img"], 0, "{page} ({url}): a hostile img[src=x] was rendered as an element");
    assert_eq!(report["svg"], 0, "{page} ({url}): a hostile svg[onload] was rendered as an element");
    assert_eq!(report["javascript"], 0, "{page} ({url}): a link with a javascript: href was rendered");
    assert_eq!(report["handlers"], json!([]), "{page} ({url}): elements with inline event handler attributes");
    for src in report["scripts"].as_array().expect("script list") {
        assert!(src.as_str().is_some_and(|s| s.starts_with("/static/")), "{page} ({url}): a script element that is not a /static/ file: src {src}");
    }
    let text = report["text"].as_str().unwrap_or_default();
    for shown in visible {
        assert!(text.contains(shown), "{page} ({url}): the hostile text {shown:?} should be shown as text (escaped, not dropped); the page says:\n{text}");
    }

    let raw = site.get(&path_of(&url));
    assert!(raw.status < 500, "{page}: GET {} answered {}", raw.target, raw.status);
    let html = raw.text();
    for live in LIVE_MARKUP {
        assert!(!html.contains(live), "{page}: the HTML of GET {} contains the hostile markup {live:?} unescaped", raw.target);
    }
}

// ---------------------------------------------------------------------------------------
// 3. Path traversal, over raw TCP.

#[test]
fn path_traversal_is_refused() {
    let work = tempfile::tempdir().expect("tempdir");
    let input = work.path().join("in");
    std::fs::create_dir_all(input.join("kopia")).expect("mkdir");
    // Symlinks named like protocols that point out of the archive.
    std::os::unix::fs::symlink("/etc/passwd", input.join("socialnamnden-2023-01-10.txt")).expect("symlink");
    std::os::unix::fs::symlink("/etc/passwd", input.join("protokoll-2023-02-14.pdf")).expect("symlink");
    // A real protocol, replaced by such a symlink once it is indexed.
    let copy = input.join("kopia/socsam-2022-06-03.pdf");
    std::fs::copy(common::corpus("pdf/socsam-2022-06-03.pdf"), &copy).expect("copy");
    let server = Server::start(&[input.clone(), common::corpus("html")]);
    let site = server.site();

    let docs = documents(&site.index);
    let passwd = std::fs::canonicalize("/etc/passwd").expect("/etc/passwd");
    for doc in &docs {
        for source in doc["sources"].as_array().into_iter().flatten().filter_map(Value::as_str) {
            let real = std::fs::canonicalize(source).unwrap_or_else(|_| PathBuf::from(source));
            assert_ne!(real, passwd, "ingest accepted {source}, a symlink to /etc/passwd, as a protocol");
        }
    }
    let id_of = |name: &str| {
        docs.iter()
            .find(|d| d["document"] == name)
            .and_then(|d| d["document_id"].as_str())
            .unwrap_or_else(|| panic!("{name} is not in the index: {docs:?}"))
            .to_string()
    };
    let (pdf_id, html_id) = (id_of("socsam-2022-06-03"), id_of("svom-2023-10-13"));

    // The source files themselves are served: the refusals below are not of everything.
    for id in [&pdf_id, &html_id] {
        let target = format!("/dokument/{id}/fil");
        let response = site.get(&target);
        assert_eq!(response.status, 200, "GET {target} (a recorded source file) should be served");
        assert_no_leak(&response, &server);
    }

    let attacks = [
        "/dokument/../../../../etc/passwd".to_string(),
        "/dokument/%2e%2e/%2e%2e/etc/passwd/fil".to_string(),
        "/dokument/%2e%2e%2f%2e%2e%2fetc%2fpasswd/fil".to_string(),
        "/dokument/..%2f..%2f..%2fetc%2fpasswd/fil".to_string(),
        "/dokument/%2Fetc%2Fpasswd/fil".to_string(),
        "//etc/passwd".to_string(),
        "/static/../../Cargo.toml".to_string(),
        "/static/%2e%2e/Cargo.toml".to_string(),
        "/static/%2e%2e%2f%2e%2e%2fCargo.toml".to_string(),
        "/static/..%2f..%2fCargo.toml".to_string(),
        "/static//etc/passwd".to_string(),
        "/static/%2fetc%2fpasswd".to_string(),
        format!("/dokument/{pdf_id}/fil/../../Cargo.toml"),
        format!("/dokument/{pdf_id}/fil/..%2f..%2f..%2fCargo.toml"),
        format!("/dokument/{pdf_id}%2f..%2f..%2fCargo.toml/fil"),
        "/dokument//etc/passwd/fil".to_string(),
        // The symlinks by their names, which are no document ids.
        "/dokument/socialnamnden-2023-01-10/fil".to_string(),
        "/dokument/protokoll-2023-02-14/fil".to_string(),
        format!("/dokument/{}/fil", encode(&input.join("socialnamnden-2023-01-10.txt").display().to_string())),
    ];
    for target in &attacks {
        let response = site.get(target);
        assert!(
            matches!(response.status, 400 | 404),
            "GET {target}: status {} (a path-like request must get 400 or 404)\nserver stderr:\n{}",
            response.status,
            server.stderr()
        );
        assert_no_leak(&response, &server);
    }

    // The recorded file is now a symlink out of the archive: it is no longer the file that
    // was indexed, and must not be served.
    std::fs::remove_file(&copy).expect("remove the copy");
    std::os::unix::fs::symlink("/etc/passwd", &copy).expect("symlink");
    let target = format!("/dokument/{pdf_id}/fil");
    let response = site.get(&target);
    assert!(response.status < 500, "GET {target} after its file became a symlink to /etc/passwd: status {}", response.status);
    assert!(
        !response.text().contains("root:"),
        "GET {target}: the recorded source file was replaced by a symlink to /etc/passwd, and the server served /etc/passwd \
         (status {}); it must serve only the file it indexed",
        response.status
    );
}

fn assert_no_leak(response: &Response, server: &Server) {
    let text = response.text();
    assert!(response.status < 500, "GET {}: status {}\nserver stderr:\n{}", response.target, response.status, server.stderr());
    assert!(!text.contains("root:x:") && !text.contains("root:"), "GET {}: the response contains /etc/passwd (`root:`)", response.target);
    assert!(!text.contains("[package]"), "GET {}: the response contains Cargo.toml (`[package]`)", response.target);
}

// ---------------------------------------------------------------------------------------
// 4. Headers and bad parameters.

#[test]
fn security_headers_and_bad_parameters() {
    let server = Server::start(&corpus_inputs());
    let site = server.site();
    let pages = page_kinds(&site);
    let hit = first_hit(&site.index, "familjehem");
    let svom = documents(&site.index).iter().find(|d| d["document"] == "svom-2023-10-13").and_then(|d| d["document_id"].as_str()).map(String::from);

    let mut targets: Vec<String> = vec!["/".into()];
    targets.extend(pages.iter().map(|(_, path)| path.clone()));
    targets.extend([
        "/static/stil.css".into(),
        "/static/app.js".into(),
        format!("/dokument/{}/fil", hit.id),
        "/api/search?q=familjehem".into(),
        format!("/api/item?dokument={}&paragraf={}", hit.id, encode(&hit.nr)),
        format!("/api/meeting?dokument={}", hit.id),
        "/api/timeline?q=familjehem".into(),
    ]);
    for target in &targets {
        let response = site.get(target);
        assert_eq!(response.status, 200, "GET {target}: status {}\nserver stderr:\n{}", response.status, server.stderr());
        assert_security_headers(&response);
        if target.starts_with("/api/") {
            let v: Value = serde_json::from_slice(&response.body).unwrap_or_else(|e| panic!("GET {target}: not JSON: {e}"));
            assert_eq!(v["schema"], 1, "GET {target}: the JSON should carry \"schema\": 1");
        }
    }
    // An HTML source file runs nothing of its own.
    if let Some(id) = svom {
        let response = site.get(&format!("/dokument/{id}/fil"));
        assert_eq!(response.status, 200, "GET /dokument/{id}/fil (an HTML source): status {}", response.status);
        let csp = response.header("content-security-policy").unwrap_or_default();
        assert!(csp.contains("sandbox"), "GET /dokument/{id}/fil: an HTML source file must have Content-Security-Policy: sandbox, got {csp:?}");
    }
    // Error pages too.
    let missing = site.get("/finns-inte");
    assert_eq!(missing.status, 404, "GET /finns-inte: status {}", missing.status);
    assert_security_headers(&missing);

    let long = "x".repeat(2000);
    let bad = [
        format!("/sok?q={long}"),
        "/sok?q=x&fran=2022-13-45".into(),
        "/sok?q=x&till=2022-02-30".into(),
        "/sok?q=x&sida=-1".into(),
        "/sok?q=x&sida=99999999999999999999".into(),
        "/api/search?q=x&fran=nonsense".into(),
        "/sok?q=x&fran=2023&till=2022".into(),
        format!("/sok?q=x&organ={}", encode("Socialnämden")),
        format!("/api/search?q=x&org={}", encode("Strömsnd")),
    ];
    for target in &bad {
        let response = site.get(target);
        let shown: String = target.chars().take(60).collect();
        assert_eq!(response.status, 400, "GET {shown}…: a bad parameter must give 400\nserver stderr:\n{}", server.stderr());
        assert_security_headers(&response);
        if target.starts_with("/sok") {
            assert!(response.is_html(), "GET {shown}…: the 400 should be an HTML page, it is {:?}", response.header("content-type"));
        }
    }
    // A filter that cannot be used is said: the reversed range, and an unknown body on the
    // search page, with its form, and the closest known.
    assert!(site.get("/sok?q=x&fran=2023&till=2022").text().contains("Från-datumet 2023-01-01 ligger efter till-datumet 2022-12-31"));
    let unknown = site.get(&format!("/sok?q=x&organ={}", encode("Socialnämden"))).text();
    assert!(unknown.contains("id=\"sok\"") && unknown.contains("närmast: Socialnämnden (Strömsunds kommun)"), "GET /sok?organ=Socialnämden: {unknown}");
    let v: Value = serde_json::from_slice(&site.get(&format!("/api/search?q=x&org={}", encode("Strömsnd"))).body).expect("json");
    assert_eq!(v["error"], "Okänd organisation \"Strömsnd\"; närmast: Strömsunds kommun.");
    // What the contract allows is not refused.
    for target in ["/sok?q=x&fran=2022", "/sok?q=x&fran=2022-06&till=2023-06-30", "/sok?q=x&sida=1", "/sok?q=x&organ=social", "/sok?q=x&org=STR%C3%96MSUND"] {
        let response = site.get(target);
        assert_eq!(response.status, 200, "GET {target}: a valid parameter was refused ({})", response.status);
    }
}

/// `Content-Security-Policy` and `X-Content-Type-Options: nosniff` on a response, and for
/// HTML a `script-src 'self'` with no inline script.
fn assert_security_headers(response: &Response) {
    let target = &response.target;
    let nosniff = response.header("x-content-type-options");
    assert!(nosniff.is_some_and(|v| v.eq_ignore_ascii_case("nosniff")), "GET {target}: X-Content-Type-Options should be nosniff, it is {nosniff:?}");
    let csp = response.header("content-security-policy").unwrap_or_else(|| panic!("GET {target}: no Content-Security-Policy header"));
    if response.is_html() {
        let script_src = csp
            .split(';')
            .map(str::trim)
            .find(|d| d.starts_with("script-src ") || *d == "script-src")
            .unwrap_or_else(|| panic!("GET {target}: the Content-Security-Policy of an HTML page has no script-src: {csp:?}"));
        assert!(script_src.split_whitespace().any(|s| s == "'self'"), "GET {target}: script-src should allow 'self': {csp:?}");
        assert!(!script_src.contains("'unsafe-inline'"), "GET {target}: script-src must not allow 'unsafe-inline': {csp:?}");
    }
}

// ---------------------------------------------------------------------------------------
// 5. Every page kind at desktop and phone width.

struct Hit {
    id: String,
    nr: String,
}

/// The first item hit of a search, from the CLI.
fn first_hit(index: &Path, query: &str) -> Hit {
    let result = cli_json(index, &["search", query]);
    let hit = result["hits"].as_array().and_then(|h| h.iter().find(|h| h["item"].is_string())).unwrap_or_else(|| panic!("no item hit for {query}: {result}"));
    Hit { id: hit["document_id"].as_str().expect("document_id").to_string(), nr: hit["item"].as_str().expect("item").to_string() }
}

/// One URL of each page kind, found with the CLI rather than through the pages, so that one
/// page's content can't keep the others from being visited.
fn page_kinds(site: &Site) -> Vec<(&'static str, String)> {
    let hit = first_hit(&site.index, "familjehem");
    let meeting = cli_json(&site.index, &["show", &hit.id]);
    let person = meeting["participants"][0]["name"].as_str().expect("a participant of the hit's meeting");
    let body = meeting["body"]["key"].as_str().expect("the body key of the hit's meeting");
    let (id, nr) = (&hit.id, encode(&hit.nr));
    vec![
        ("search", "/sok?q=familjehem".to_string()),
        ("item", format!("/dokument/{id}/paragraf/{nr}?q=familjehem")),
        ("meeting", format!("/dokument/{id}")),
        ("matter", format!("/arende?dokument={id}&paragraf={nr}")),
        ("person", format!("/person?namn={}", encode(person))),
        ("timeline", "/tidslinje?q=familjehem".to_string()),
        ("body", format!("/organ/{body}")),
        ("bodies", "/organ".to_string()),
    ]
}

fn screenshot_dir() -> PathBuf {
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).parent().expect("the target folder").to_path_buf();
    target.join("screenshots")
}

async fn set_width(c: &Client, width: u32, height: u32) {
    c.set_window_size(width, height).await.unwrap_or_else(|e| panic!("resize the browser window to {width}×{height}: {e}"));
}

async fn inner_width(c: &Client) -> u64 {
    js(c, "return window.innerWidth").await.as_u64().expect("window.innerWidth")
}

/// Screenshots only: fails on navigation errors, never on what the pages show.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn screenshots_of_every_page_kind() {
    let server = Server::start(&corpus_inputs());
    let site = server.site();
    let pages = page_kinds(&site);
    let dir = screenshot_dir();
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("create {}: {e}", dir.display()));
    in_browser(move |c| async move {
        for (width, height) in [(1366, 900), (375, 800)] {
            set_width(&c, width, height).await;
            for (name, path) in &pages {
                open(&c, &site.url(path)).await;
                wait_for_load(&c).await;
                let png = c.screenshot().await.unwrap_or_else(|e| panic!("screenshot of {path} at {width} px: {e}"));
                assert!(png.starts_with(b"\x89PNG"), "the screenshot of {path} at {width} px is no PNG");
                let file = dir.join(format!("{name}-{width}.png"));
                std::fs::write(&file, png).unwrap_or_else(|e| panic!("write {}: {e}", file.display()));
            }
        }
    })
    .await;
    drop(server);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn no_page_scrolls_sideways_at_375_px() {
    let server = Server::start(&corpus_inputs());
    let site = server.site();
    let pages = page_kinds(&site);
    in_browser(move |c| async move {
        set_width(&c, 375, 800).await;
        open(&c, &site.url("/")).await;
        let inner = inner_width(&c).await;
        assert_eq!(inner, 375, "the browser window should be 375 px wide inside after resizing, it is {inner}");
        let mut overflowing = Vec::new();
        for (name, path) in &pages {
            open(&c, &site.url(path)).await;
            wait_for_load(&c).await;
            let m = js(
                &c,
                r#"const w = window.innerWidth;
                const wide = [...document.querySelectorAll('body *')]
                    .filter(e => e.getBoundingClientRect().right > w + 1)
                    .slice(0, 4)
                    .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                        + (typeof e.className === 'string' && e.className.trim() ? '.' + e.className.trim().split(/\s+/).join('.') : '')
                        + ' (right edge ' + Math.round(e.getBoundingClientRect().right) + ')');
                return { scroll: document.documentElement.scrollWidth, inner: w, wide };"#,
            )
            .await;
            let (scroll, inner) = (m["scroll"].as_u64().expect("scrollWidth"), m["inner"].as_u64().expect("innerWidth"));
            if scroll > inner + 1 {
                overflowing.push(format!("{name} ({path}): scrollWidth {scroll} > innerWidth {inner}; too wide: {}", m["wide"]));
            }
        }
        assert!(overflowing.is_empty(), "pages that scroll sideways at 375 px:\n{}", overflowing.join("\n"));
    })
    .await;
    drop(server);
}

/// The total of `/api/search?q=…` on a running server.
fn api_total(site: &Site, query: &str) -> u64 {
    let r = site.get(&format!("/api/search?q={}", encode(query)));
    assert_eq!(r.status, 200, "/api/search?q={query}: {}", r.text());
    let v: Value = serde_json::from_slice(&r.body).expect("/api/search returns JSON");
    assert_eq!(v["schema"], 1, "the API's JSON carries its schema version");
    v["total"].as_u64().expect("a total")
}

#[test]
fn a_running_server_sees_what_ingest_commits() {
    // The portal page alone, then the PDFs imported while the server runs.
    let server = Server::start(&[common::corpus("html")]);
    let site = server.site();
    let before = api_total(&site, "familjehem");
    ingest(&site.index, &[common::corpus("pdf")]);
    // The server looks for a new commit every second; give it a generous while.
    let mut after = before;
    for _ in 0..100 {
        after = api_total(&site, "familjehem");
        if after > before {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(after > before, "after the import the server still answers {after} hits (before: {before}); its stderr:\n{}", server.stderr());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_hit_outside_the_items_opens_its_page_of_text() {
    let server = Server::start(&corpus_inputs());
    let site = server.site();
    in_browser(move |c| async move {
        // A participant's home town stands only in the front matter of one protocol.
        open(&c, &site.url(&format!("/sok?q={}", encode("Hjemgaard")))).await;
        let outside: Vec<String> = hrefs(&c, "a.traff-lank").await.into_iter().filter(|h| h.contains("#sida-")).collect();
        let href = outside.first().unwrap_or_else(|| panic!("no hit outside the items for Hjemgaard; hits: {:?}", hrefs_blocking(&site)));
        open(&c, &site.url(href)).await;
        assert_eq!(count(&c, "details.sidtext[open]:target").await, 1, "{href}: the page of text the hit is on is open and targeted");
        assert!(text_of(&c, "details.sidtext[open]:target").await.contains("Hjemgaard"), "{href}: the open page holds the word");
    })
    .await;
}

/// The hits' links of a search for Hjemgaard, over HTTP, for a failure message.
fn hrefs_blocking(site: &Site) -> Vec<String> {
    let r = site.get("/api/search?q=Hjemgaard");
    let v: Value = serde_json::from_slice(&r.body).unwrap_or(Value::Null);
    v["hits"].as_array().map(|a| a.iter().filter_map(|h| h["url"].as_str().map(str::to_string)).collect()).unwrap_or_default()
}

/// A protocol that prints personnummer: no page or API answer shows them, and the file
/// that holds them is not sent (tests/privacy.rs covers the CLI).
#[test]
fn personnummer_reach_no_page_and_their_file_is_not_sent() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let sources = dir.path().join("protokoll");
    std::fs::create_dir_all(&sources).expect("a folder for the protocol");
    std::fs::copy(fixture("tests/privacy/protokoll.txt"), sources.join("lillkoping-sn-2023-04-12.txt")).expect("copy the fixture");
    let server = Server::start(&[sources]);
    let site = server.site();
    let id = documents(&site.index)[0]["document_id"].as_str().expect("a document id").to_string();
    let valid = ["080316-4565", "19850704-1237", "19900375-7896", "900375-7896", "101010+1234", "5602293218", "4701012348"];
    let pages = [
        format!("/?q={}", encode("familjehemsplacering")),
        format!("/?q={}", encode("bistånd")),
        format!("/dokument/{id}"),
        format!("/dokument/{id}/paragraf/31"),
        format!("/dokument/{id}/paragraf/32?q={}", encode("bistånd")),
        format!("/tidslinje?q={}", encode("bistånd")),
        format!("/api/search?q={}", encode("bistånd")),
        format!("/api/item?dokument={id}&paragraf=32"),
        format!("/api/meeting?dokument={id}"),
        format!("/api/timeline?q={}", encode("familjehemsplacering")),
    ];
    for target in &pages {
        let r = site.get(target);
        assert_eq!(r.status, 200, "{target}: {}\n{}", r.status, server.stderr());
        let text = r.text();
        for number in valid {
            assert!(!text.contains(number), "{target} shows {number}");
        }
        assert!(text.contains("XXXX"), "{target} shows no masked number");
    }
    let r = site.get(&format!("/dokument/{id}/fil"));
    assert_eq!(r.status, 403, "the source that holds personnummer is sent");
    assert!(r.text().contains("personnummer"), "the refusal says why");
    for number in valid {
        assert!(!r.text().contains(number));
    }
}
