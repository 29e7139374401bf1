#!/usr/bin/env python3
"""The extraction bar, in figures: word-multiset F1 (dot leaders ignored) of
`protokoll extract` against `pdftotext -layout` for every PDF in corpus/pdf/ and any
further PDFs named on the command line; the Latin-1 portal page against the UTF-8 one;
the encrypted copy against the plain file; the scan, through OCR, against the
born-digital text; and the refusal of the password-protected copy.

    cargo build --release && python3 tools/measure_extract.py [MORE.pdf ...]

Needs poppler-utils (pdftotext) and, for the scan, tesseract-ocr with tesseract-ocr-swe.
"""
import collections, os, re, subprocess, sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
binary = os.path.join(root, "target", "release", "protokoll")
corpus = os.path.join(root, "corpus")
LEADERS = re.compile(r"\.{3,}|…{2,}")


def words(text):
    return collections.Counter(w for w in (LEADERS.sub("", w) for w in text.split()) if w)


def f1(reference, got):
    a, b = words(reference), words(got)
    tp = sum((a & b).values())
    if not a and not b:
        return 1.0
    p, r = tp / max(1, sum(b.values())), tp / max(1, sum(a.values()))
    return 2 * p * r / (p + r) if p + r else 0.0


def extract(path):
    run = subprocess.run([binary, "extract", path], capture_output=True)
    return run.stdout.decode("utf-8", "replace"), run.returncode, run.stderr.decode("utf-8", "replace").strip()


def pdftotext(path):
    return subprocess.run(["pdftotext", "-layout", path, "-"], capture_output=True).stdout.decode("utf-8", "replace")


def rel(path):
    return os.path.relpath(path, root) if path.startswith(root) else path


rows, ok = [], True
pdfs = sorted(os.path.join(corpus, "pdf", n) for n in os.listdir(os.path.join(corpus, "pdf")) if n.endswith(".pdf"))
for path in pdfs + sys.argv[1:]:
    rows.append((rel(path), "pdftotext -layout", f1(pdftotext(path), extract(path)[0]), 0.99))
pairs = [
    ("bad/svom-2023-10-13-latin1.html", "html/svom-2023-10-13.html", 0.99),
    ("bad/encrypted-no-user-password.pdf", "pdf/socsam-2021-10-08.pdf", 0.99),
]
for got, ref, bar in pairs:
    rows.append((got, ref, f1(extract(os.path.join(corpus, ref))[0], extract(os.path.join(corpus, got))[0]), bar))
scan = os.path.join(corpus, "scanned", "socsam-2021-10-08-skannad.pdf")
rows.append((rel(scan), "pdftotext of pdf/socsam-2021-10-08.pdf", f1(pdftotext(os.path.join(corpus, "pdf", "socsam-2021-10-08.pdf")), extract(scan)[0]), 0.90))

print(f"{'file':52} {'against':40} {'F1':>7} {'bar':>5}")
for name, against, score, bar in rows:
    ok &= score >= bar
    print(f"{name:52} {against:40} {score:7.4f} {bar:5.2f}{'' if score >= bar else '  BELOW'}")

_, status, message = extract(os.path.join(corpus, "bad", "encrypted-user-password.pdf"))
refused = status != 0 and "lösenord" in message and len(message.splitlines()) == 1
ok &= refused
print(f"\nbad/encrypted-user-password.pdf: exit {status}, {message!r}{'' if refused else '  NOT REFUSED AS PASSWORD-PROTECTED'}")
sys.exit(0 if ok else 1)
