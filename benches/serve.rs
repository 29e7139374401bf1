//! `protokoll serve` under load, on the generated archive of 5,000 protocols
//! (`tests/common/archive.rs`, cached under `target/archive-bench/`) and its index, built
//! once with the release binary and cached next to it (`serve-index-v1-5000`; `ingest`
//! runs on it every time, a no-op when nothing changed):
//!
//! - 20 concurrent clients on loopback, each its own keep-alive HTTP/1.1 connection, share
//!   a bounded 10,000 requests (a shared counter hands them out) of the search page
//!   `GET /sok?q=…`, round-robin over the shared queries (the `q` of
//!   `tests/gold/queries.json` and the generator's topic), each also with `&beslut=1`;
//!   after a warm-up of 200;
//! - the search page's latency, p95 (bar: ≤ 50 ms), with p50, p99, max and throughput;
//! - errors: a status other than 200, a failed connection or request, a body without
//!   `id="antal"` (bar: none);
//! - the server's resident memory (VmRSS), sampled every 100 ms: after the warm-up, at the
//!   end and the most (bar: flat, [`FLAT`]), and at the end of a second round of 10,000,
//!   so that growth from one round to the next shows.
//!
//! Prints one table: each measure, its figure, its bar and whether it is met. The load
//! tool runs on the same machine as the server: the load average is printed at the start
//! and at the end, and the CPU time of both sides.
//!
//! ```text
//! cargo bench --bench serve
//! PROTOKOLL_SERVE_SIZE=1000 cargo bench --bench serve   # a smaller archive, quicker
//! ```

#[path = "../tests/common/archive.rs"]
mod archive;
#[path = "common/report.rs"]
mod report;

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use archive::{percentile, run_measured};
use http_body_util::{BodyExt, Empty};
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;
use report::{Row, load_average, mib, ms, print_table, row, secs};

/// Concurrent clients, each with its own connection.
const CLIENTS: usize = 20;
/// Requests of a measured round, shared by the clients.
const REQUESTS: usize = 10_000;
/// Requests of the warm-up before the first round.
const WARM_UP: usize = 200;
/// The bar on the search page's p95.
const P95_BAR: Duration = Duration::from_millis(50);
/// "Flat memory": the server's resident memory at the end of a round is at most this
/// many times what it was after the warm-up. Caches that fill in the first requests are
/// in the warm-up figure; 20 % leaves room for the allocator's arenas and buffers of
/// requests in flight, while a leak of a few KiB per request (10,000 requests: tens of
/// MiB) on top of an index-sized footprint is over it, and round 2 shows it again.
const FLAT: f64 = 1.2;
/// How often the server's memory is sampled.
const SAMPLE_EVERY: Duration = Duration::from_millis(100);
/// One request taking longer than this is an error (and the client reconnects).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// The text every search page has: the total, `#antal`.
const MARKER: &str = "id=\"antal\"";

fn size() -> usize {
    std::env::var("PROTOKOLL_SERVE_SIZE").ok().and_then(|s| s.trim().parse().ok()).unwrap_or(5000)
}

/// A process's resident memory, in KiB (`VmRSS` of `/proc/PID/status`).
fn rss_kib(pid: u32) -> Option<u64> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = s.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// A process's user and system CPU time so far (`/proc/PID/stat`).
fn cpu_of(pid: &str) -> Duration {
    let Ok(s) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else { return Duration::ZERO };
    // The fields after the command name, which is in parentheses and may hold spaces.
    let rest = s.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<&str> = rest.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of stat, 12 and 13 after the name and state.
    let ticks: u64 = f.get(11).and_then(|x| x.parse().ok()).unwrap_or(0) + f.get(12).and_then(|x| x.parse().ok()).unwrap_or(0);
    // SAFETY: sysconf has no preconditions.
    let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) }.max(1) as u64;
    Duration::from_secs_f64(ticks as f64 / hz as f64)
}

// --- The index --------------------------------------------------------------------------

/// The index of the archive in `dir`, cached under the archive cache. Ingest runs on it
/// every time (cheap when nothing changed); an index it fails on is built anew.
fn index_of(dir: &Path, n: usize) -> PathBuf {
    let index = archive::cache_root().join(format!("serve-index-v{}-{n}", archive::GENERATOR_VERSION));
    let ingest = |index: &Path| {
        let mut cmd = Command::new(archive::bin());
        cmd.args(["ingest", "--index"]).arg(index).arg(dir);
        run_measured(&mut cmd).expect("run ingest")
    };
    let existed = index.exists();
    let mut f = ingest(&index);
    if !f.status.success() && existed {
        eprintln!("ingest into the cached {} exited with {}: building it anew", index.display(), f.status);
        std::fs::remove_dir_all(&index).expect("remove the cached index");
        f = ingest(&index);
    }
    assert!(f.status.success(), "ingest {} into {} exited with {}", dir.display(), index.display(), f.status);
    let listed = Command::new(archive::bin()).args(["list", "--json", "--index"]).arg(&index).output().is_ok_and(|o| o.status.success());
    println!(
        "index: {} ({}, ingest {}{})",
        index.display(),
        if existed { "cached" } else { "built" },
        secs(f.elapsed),
        if listed { "" } else { "; `list --json` failed on it" }
    );
    index
}

// --- The requests -----------------------------------------------------------------------

/// One kind of request: its label and path with query string.
struct Target {
    label: String,
    path: String,
}

/// The shared queries: the `q` of the search judgements, and the generator's topic.
fn queries() -> Vec<String> {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/gold/queries.json");
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&file).expect("read queries.json")).expect("parse queries.json");
    let mut out: Vec<String> = v.as_array().expect("a list of judgements").iter().filter_map(|j| j["q"].as_str().map(str::to_string)).collect();
    if !out.iter().any(|q| q == archive::TOPIC) {
        out.push(archive::TOPIC.to_string());
    }
    out
}

/// The search page of every query, and of every query with only decisions.
fn targets() -> Vec<Target> {
    let mut out = Vec::new();
    for q in queries() {
        let enc: String = url::form_urlencoded::byte_serialize(q.as_bytes()).collect();
        out.push(Target { label: q.clone(), path: format!("/sok?q={enc}") });
        out.push(Target { label: format!("{q} [beslut=1]"), path: format!("/sok?q={enc}&beslut=1") });
    }
    out
}

// --- The server -------------------------------------------------------------------------

/// A running `protokoll serve`, stopped when dropped (on a panic too).
struct Server {
    child: Child,
    addr: String,
    stderr_log: PathBuf,
}

impl Server {
    fn start(index: &Path, stderr_log: &Path) -> Server {
        let log = std::fs::File::create(stderr_log).expect("server log");
        let mut child = Command::new(archive::bin())
            .args(["serve", "--index"])
            .arg(index)
            .args(["--addr", "127.0.0.1:0"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .expect("spawn protokoll serve");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        // Reads the first line, then drains the rest so that the server never blocks on it.
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            let mut first = String::new();
            let _ = r.read_line(&mut first);
            let _ = tx.send(first);
            let _ = std::io::copy(&mut r, &mut std::io::sink());
        });
        let mut server = Server { child, addr: String::new(), stderr_log: stderr_log.to_path_buf() };
        let first = match rx.recv_timeout(Duration::from_secs(120)) {
            Ok(line) => line,
            Err(_) => panic!("protokoll serve printed no line in 120 s (stderr: {})", stderr_log.display()),
        };
        // `Lyssnar på http://127.0.0.1:PORT/`: the URL is the last token.
        let url = first.split_whitespace().last().unwrap_or_default();
        let addr = url.strip_prefix("http://").map(|s| s.trim_end_matches('/')).unwrap_or_default();
        assert!(
            !addr.is_empty(),
            "protokoll serve's first line is not `Lyssnar på http://…/`: {first:?} (stderr: {}: {})",
            stderr_log.display(),
            std::fs::read_to_string(stderr_log).unwrap_or_default()
        );
        server.addr = addr.to_string();
        server
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = archive::signal(&self.child, libc::SIGTERM);
            let until = Instant::now() + Duration::from_secs(5);
            while Instant::now() < until {
                if let Ok(Some(_)) = self.child.try_wait() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

// --- Memory samples ---------------------------------------------------------------------

/// Samples a process's resident memory every [`SAMPLE_EVERY`] until dropped.
struct Sampler {
    stop: Arc<AtomicBool>,
    samples: Arc<Mutex<Vec<u64>>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Sampler {
    fn start(pid: u32) -> Sampler {
        let stop = Arc::new(AtomicBool::new(false));
        let samples = Arc::new(Mutex::new(Vec::new()));
        let thread = {
            let (stop, samples) = (stop.clone(), samples.clone());
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    if let Some(k) = rss_kib(pid) {
                        samples.lock().expect("samples").push(k);
                    }
                    std::thread::sleep(SAMPLE_EVERY);
                }
            })
        };
        Sampler { stop, samples, thread: Some(thread) }
    }

    /// The samples taken, the last one taken as it stops.
    fn finish(mut self, pid: u32) -> Vec<u64> {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        let mut v = std::mem::take(&mut *self.samples.lock().expect("samples"));
        v.extend(rss_kib(pid));
        v
    }
}

impl Drop for Sampler {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

// --- The load ---------------------------------------------------------------------------

/// What a round of requests gave.
struct Round {
    /// Each answered request's kind (index into the targets) and latency.
    latencies: Vec<(usize, Duration)>,
    errors: usize,
    /// The first few errors, as text.
    examples: Vec<String>,
    elapsed: Duration,
    /// CPU time of the server and of this process (the load tool) over the round.
    server_cpu: Duration,
    client_cpu: Duration,
}

type Sender = hyper::client::conn::http1::SendRequest<Empty<Bytes>>;

async fn connect(addr: &str) -> Result<Sender, String> {
    let stream = tokio::net::TcpStream::connect(addr).await.map_err(|e| format!("connect: {e}"))?;
    let _ = stream.set_nodelay(true);
    let (sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await.map_err(|e| format!("handshake: {e}"))?;
    tokio::spawn(async move {
        let _ = conn.await;
    });
    Ok(sender)
}

/// One request on a connection: `Ok(None)` when the page is as it should be, `Ok(Some)`
/// for a wrong answer on a working connection, `Err` when the connection is unusable.
async fn request(sender: &mut Sender, addr: &str, path: &str) -> Result<Option<String>, String> {
    sender.ready().await.map_err(|e| format!("connection: {e}"))?;
    let req = hyper::Request::get(path).header(hyper::header::HOST, addr).body(Empty::<Bytes>::new()).expect("request");
    let resp = sender.send_request(req).await.map_err(|e| format!("request: {e}"))?;
    let status = resp.status();
    let body = resp.into_body().collect().await.map_err(|e| format!("body: {e}"))?.to_bytes();
    if status != hyper::StatusCode::OK {
        return Ok(Some(format!("status {status}")));
    }
    if !body.windows(MARKER.len()).any(|w| w == MARKER.as_bytes()) {
        return Ok(Some(format!("no {MARKER} in a body of {} bytes", body.len())));
    }
    Ok(None)
}

/// `total` requests over [`CLIENTS`] connections, handed out by a shared counter,
/// round-robin over the targets.
fn run_round(rt: &tokio::runtime::Runtime, addr: &str, targets: &Arc<Vec<Target>>, total: usize, server_pid: u32) -> Round {
    let next = Arc::new(AtomicUsize::new(0));
    let (server0, client0) = (cpu_of(&server_pid.to_string()), cpu_of("self"));
    let started = Instant::now();
    let results = rt.block_on(async {
        let mut tasks = Vec::new();
        for _ in 0..CLIENTS {
            let (next, targets, addr) = (next.clone(), targets.clone(), addr.to_string());
            tasks.push(tokio::spawn(async move {
                let mut latencies = Vec::new();
                let mut errors = Vec::new();
                let mut sender: Option<Sender> = None;
                loop {
                    let k = next.fetch_add(1, Ordering::Relaxed);
                    if k >= total {
                        break;
                    }
                    let t = k % targets.len();
                    if sender.is_none() {
                        match connect(&addr).await {
                            Ok(s) => sender = Some(s),
                            Err(e) => {
                                errors.push(format!("{}: {e}", targets[t].label));
                                continue;
                            }
                        }
                    }
                    let s = sender.as_mut().expect("connected");
                    let began = Instant::now();
                    match tokio::time::timeout(REQUEST_TIMEOUT, request(s, &addr, &targets[t].path)).await {
                        Ok(Ok(None)) => latencies.push((t, began.elapsed())),
                        Ok(Ok(Some(e))) => errors.push(format!("{}: {e}", targets[t].label)),
                        Ok(Err(e)) => {
                            errors.push(format!("{}: {e}", targets[t].label));
                            sender = None;
                        }
                        Err(_) => {
                            errors.push(format!("{}: no answer in {}", targets[t].label, secs(REQUEST_TIMEOUT)));
                            sender = None;
                        }
                    }
                }
                (latencies, errors)
            }));
        }
        let mut out = Vec::new();
        for t in tasks {
            out.push(t.await.expect("client task"));
        }
        out
    });
    let elapsed = started.elapsed();
    let mut round = Round {
        latencies: Vec::with_capacity(total),
        errors: 0,
        examples: Vec::new(),
        elapsed,
        server_cpu: cpu_of(&server_pid.to_string()).saturating_sub(server0),
        client_cpu: cpu_of("self").saturating_sub(client0),
    };
    for (l, e) in results {
        round.latencies.extend(l);
        round.errors += e.len();
        round.examples.extend(e.into_iter().take(5usize.saturating_sub(round.examples.len())));
    }
    round
}

/// The latency quantiles of a round as text, and its p95.
fn summary(r: &Round) -> (String, Duration) {
    let all: Vec<Duration> = r.latencies.iter().map(|(_, d)| *d).collect();
    let p95 = percentile(&all, 0.95);
    let text = format!(
        "p50 {}, p95 {}, p99 {}, max {}",
        ms(percentile(&all, 0.5)),
        ms(p95),
        ms(percentile(&all, 0.99)),
        ms(all.iter().max().copied().unwrap_or_default())
    );
    (text, p95)
}

fn throughput(r: &Round, total: usize) -> String {
    format!("{:.0} req/s ({total} in {})", total as f64 / r.elapsed.as_secs_f64(), secs(r.elapsed))
}

fn main() {
    let n = size();
    let total = Instant::now();
    let mut rows: Vec<Row> = Vec::new();
    let cache = archive::cache_root();
    std::fs::create_dir_all(&cache).expect("cache dir");

    let load_start = load_average();
    println!("load average at the start: {load_start}");
    let t = Instant::now();
    let (dir, _) = archive::cached(n).expect("generate");
    println!("archive: {n} protocols under {} ({:.1} s)", dir.display(), t.elapsed().as_secs_f64());
    let index = index_of(&dir, n);
    let targets = Arc::new(targets());
    println!("requests: {} kinds (search page of {} queries, each also with beslut=1)", targets.len(), targets.len() / 2);

    let log = cache.join(format!("serve-bench-{n}.stderr.log"));
    let started = Instant::now();
    let server = Server::start(&index, &log);
    let pid = server.pid();
    println!("server: http://{}/ (pid {pid}), up in {}; its stderr: {}", server.addr, ms(started.elapsed()), server.stderr_log.display());
    let rss_started = rss_kib(pid).unwrap_or(0);

    let workers = std::thread::available_parallelism().map_or(2, |n| n.get()).min(4);
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(workers).enable_all().build().expect("runtime");

    // The first request alone, then the warm-up.
    let first = run_round(&rt, &server.addr, &targets, 1, pid);
    let warm = run_round(&rt, &server.addr, &targets, WARM_UP, pid);
    let (warm_text, _) = summary(&warm);
    println!(
        "first request: {}; warm-up of {WARM_UP}: {warm_text}, {} errors",
        first.latencies.first().map_or("failed".to_string(), |(_, d)| ms(*d)),
        first.errors + warm.errors
    );
    let rss_warm = rss_kib(pid).unwrap_or(0);

    // Two measured rounds, memory sampled through each.
    let mut rounds = Vec::new();
    for k in 1..=2 {
        let sampler = Sampler::start(pid);
        let r = run_round(&rt, &server.addr, &targets, REQUESTS, pid);
        let samples = sampler.finish(pid);
        let (text, _) = summary(&r);
        let end = samples.last().copied().unwrap_or(0);
        let max = samples.iter().max().copied().unwrap_or(0);
        println!(
            "round {k}: {text}; {}; {} errors; RSS end {} max {} ({} samples); cpu server {} ({:.2} ms/req), load tool {}",
            throughput(&r, REQUESTS),
            r.errors,
            mib(end),
            mib(max),
            samples.len(),
            secs(r.server_cpu),
            r.server_cpu.as_secs_f64() * 1000.0 / REQUESTS as f64,
            secs(r.client_cpu)
        );
        for e in &r.examples {
            println!("  error: {e}");
        }
        rounds.push((r, end, max));
    }

    // The slowest kinds of request in round 1, by p95.
    let (r1, end1, max1) = &rounds[0];
    let mut by_kind: Vec<(usize, Duration, Duration)> = (0..targets.len())
        .map(|t| {
            let v: Vec<Duration> = r1.latencies.iter().filter(|(k, _)| *k == t).map(|(_, d)| *d).collect();
            (t, percentile(&v, 0.5), percentile(&v, 0.95))
        })
        .collect();
    by_kind.sort_by_key(|(_, _, p95)| std::cmp::Reverse(*p95));
    println!("slowest kinds in round 1 (p50 / p95):");
    for (t, p50, p95) in by_kind.iter().take(5) {
        println!("  {:<45} {} / {}", targets[*t].label, ms(*p50), ms(*p95));
    }

    let (text1, p95_1) = summary(r1);
    rows.push(row(
        format!("search page, {CLIENTS} clients, {REQUESTS} requests, {n} protocols: p95"),
        ms(p95_1),
        format!("≤ {}", ms(P95_BAR)),
        Some(p95_1 <= P95_BAR),
    ));
    rows.push(row("  latency (info)", text1, "", None));
    rows.push(row("  throughput (info)", throughput(r1, REQUESTS), "", None));
    rows.push(row(
        "  cpu (info)",
        format!("server {} ({:.2} ms/req), load tool {}", secs(r1.server_cpu), r1.server_cpu.as_secs_f64() * 1000.0 / REQUESTS as f64, secs(r1.client_cpu)),
        "",
        None,
    ));
    rows.push(row("errors (status, connection, no #antal)", format!("{} of {REQUESTS}", r1.errors), "0", Some(r1.errors == 0)));
    let ratio1 = *end1 as f64 / rss_warm.max(1) as f64;
    rows.push(row(
        "server RSS: after warm-up → end (max)",
        format!("{} → {} ({}) = {ratio1:.2}×; at start {}", mib(rss_warm), mib(*end1), mib(*max1), mib(rss_started)),
        format!("≤ {FLAT}×"),
        Some(ratio1 <= FLAT),
    ));
    let (r2, end2, max2) = &rounds[1];
    let (text2, p95_2) = summary(r2);
    let ratio2 = *end2 as f64 / rss_warm.max(1) as f64;
    rows.push(row(
        "server RSS: end of round 2 (max), vs after warm-up",
        format!("{} ({}) = {ratio2:.2}×; {:+.0} MiB on round 1's end", mib(*end2), mib(*max2), (*end2 as f64 - *end1 as f64) / 1024.0),
        format!("≤ {FLAT}×"),
        Some(ratio2 <= FLAT),
    ));
    rows.push(row("round 2 (info)", format!("p95 {}, {} errors, {}", ms(p95_2), r2.errors, throughput(r2, REQUESTS)), "", None));
    let _ = text2;

    drop(rt);
    drop(server);
    let mut stderr = String::new();
    let _ = std::fs::File::open(&log).and_then(|mut f| f.read_to_string(&mut stderr));
    if !stderr.trim().is_empty() {
        let lines: Vec<&str> = stderr.lines().collect();
        println!("server stderr: {} lines, the last: {:?}", lines.len(), lines.iter().rev().take(3).rev().collect::<Vec<_>>());
    }

    print_table(&rows);
    println!(
        "\nbench run: {:.0} s; load average at the start: {load_start}, at the end: {} (times are wall-clock: other work on the machine slows them)",
        total.elapsed().as_secs_f64(),
        load_average()
    );
}
