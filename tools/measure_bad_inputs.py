#!/usr/bin/env python3
"""Runs `protokoll parse --json` on every file in corpus/bad/ and reports, per file, the
exit status, wall time, peak resident memory and the first line of standard error.
The issue's bar: no panic, under 30 s and under 300 MB each, and text or one line of
refusal.

    cargo build --release && python3 tools/measure_bad_inputs.py
"""
import os, subprocess, sys, threading, time

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
binary = os.path.join(root, "target", "release", "protokoll")
bad = os.path.join(root, "corpus", "bad")
worst_time = worst_rss = 0.0
ok = True
print(f"{'file':34} {'exit':>4} {'seconds':>8} {'peak MB':>8}  message")
for name in sorted(os.listdir(bad)):
    start = time.monotonic()
    proc = subprocess.Popen([binary, "parse", "--json", os.path.join(bad, name)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    chunks = {}
    readers = [threading.Thread(target=lambda k=k, f=f: chunks.__setitem__(k, f.read())) for k, f in (("out", proc.stdout), ("err", proc.stderr))]
    for r in readers:
        r.start()
    _, status, usage = os.wait4(proc.pid, 0)
    for r in readers:
        r.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    out, err = chunks["out"], chunks["err"]
    elapsed = time.monotonic() - start
    rss_mb = usage.ru_maxrss / 1024
    stderr = err.decode("utf-8", "replace").strip().splitlines()
    panicked = "panicked" in err.decode("utf-8", "replace")
    gave_text = proc.returncode == 0 and out.strip().startswith(b"{")
    refused = proc.returncode == 2 and not out and len(stderr) == 1
    ok &= not panicked and (gave_text or refused) and elapsed < 30
    worst_time = max(worst_time, elapsed)
    worst_rss = max(worst_rss, rss_mb)
    ok &= rss_mb < 300
    print(f"{name:34} {proc.returncode:>4} {elapsed:>8.2f} {rss_mb:>8.1f}  {stderr[0] if stderr else ''}")
print(f"slowest {worst_time:.2f} s, largest {worst_rss:.1f} MB; all gave text or one line of refusal without panic: {ok}")
sys.exit(0 if ok else 1)
