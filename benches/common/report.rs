//! What the benches share to report: one table of measures, each with its figure, its
//! bar and whether it is met, and the formats and load average that go into it.

#![allow(dead_code)]

use std::time::Duration;

pub struct Row {
    pub measure: String,
    pub figure: String,
    pub bar: String,
    pub met: Option<bool>,
}

pub fn row(measure: impl Into<String>, figure: impl Into<String>, bar: impl Into<String>, met: Option<bool>) -> Row {
    Row { measure: measure.into(), figure: figure.into(), bar: bar.into(), met }
}

pub fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

pub fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

pub fn mib(kib: u64) -> String {
    format!("{:.0} MiB", kib as f64 / 1024.0)
}

/// The 1, 5 and 15 minute load averages.
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg").map_or_else(|_| "unknown".into(), |s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
}

/// Prints the rows as a table: measure, figure, bar, and "met" or "not met".
pub fn print_table(rows: &[Row]) {
    println!();
    let widths = [
        rows.iter().map(|r| r.measure.chars().count()).max().unwrap_or(0),
        rows.iter().map(|r| r.figure.chars().count()).max().unwrap_or(0),
        rows.iter().map(|r| r.bar.chars().count()).max().unwrap_or(0).max(3),
    ];
    let line = |a: &str, b: &str, c: &str, d: &str| println!("{a:<w0$}  {b:<w1$}  {c:<w2$}  {d}", w0 = widths[0], w1 = widths[1], w2 = widths[2]);
    line("measure", "figure", "bar", "");
    for r in rows {
        let met = match r.met {
            Some(true) => "met",
            Some(false) => "not met",
            None => "",
        };
        line(&r.measure, &r.figure, &r.bar, met);
    }
}
