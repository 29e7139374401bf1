#!/usr/bin/env python3
"""Checks the hand-written answer keys in keys/ against the protocol sources in src/.

    python3 tools/layouts/check_keys.py

It catches slips in a key, not parser errors: every decision phrase must stand in its
item's text, every title in its item's heading, every presenter and diarienummer in its
item, every participant and officer in the document, every boilerplate string in at least
one rendering but outside the items' own text, every reference date on a line of the
item. It compares with the same normalisation as ../../../shared/eval/score.py (case,
spaces, dashes, quotes). Standard library only; it reads the rendered files in
tests/layouts/ for the boilerplate check, so run render.py first.
"""
import json
import os
import re
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # leave no __pycache__ in the tree
sys.path.insert(0, HERE)
import render  # noqa: E402

OUT = render.OUT
MONTHS = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober", "november", "december"]


def norm(s):
    s = unicodedata.normalize("NFC", s or "")
    s = re.sub(r"[\u2010-\u2015]", "-", s)
    s = re.sub(r"-\s+(?!(och|eller|samt|respektive|resp)\b)", "-", s)
    s = re.sub(r"[\u2018\u2019\u201c\u201d\u00ab\u00bb\"']", "", s)
    return re.sub(r"\s+", " ", s).strip().lower()


def date_forms(iso):
    y, m, d = iso.split("-")
    return [iso, f"{int(d)} {MONTHS[int(m) - 1]}", f"{int(d)}/{int(m)} {y}"]


def main():
    problems = 0
    names = sorted(f[:-6] for f in os.listdir(os.path.join(HERE, "src")) if f.endswith(".proto"))
    for name in names:
        conf, blocks = render.read_proto(os.path.join(HERE, "src", name + ".proto"))
        key = json.load(open(os.path.join(HERE, "keys", name + ".json"), encoding="utf-8"))
        front, items, back = render.split_items(blocks)

        def text_of(bs):
            return "\n".join(render.blocks_text_lines(bs))

        whole = norm(text_of(blocks))
        item_text = {it["nr"]: text_of(it["blocks"]) for it in items}
        item_head = {it["nr"]: " ".join(b["text"] for b in it["blocks"] if b["kind"] == "H") for it in items}

        def bad(msg):
            nonlocal problems
            problems += 1
            print(f"{name}: {msg}")

        if sorted(item_text) != sorted(i["number"] for i in key["items"]):
            bad(f"items {sorted(item_text)} in the source, {sorted(i['number'] for i in key['items'])} in the key")
        for gi in key["items"]:
            nr = gi["number"]
            if nr not in item_text:
                continue
            if norm(gi["title"]) not in norm(item_head[nr]):
                bad(f"§ {nr}: title {gi['title']!r} not in heading {item_head[nr]!r}")
            if "diarienummer" in gi and norm(gi["diarienummer"]) not in norm(item_head[nr] + " " + item_text[nr]) and \
                    not any(it["nr"] == nr and it["dnr"] == gi["diarienummer"] for it in items):
                bad(f"§ {nr}: dnr {gi['diarienummer']!r} not printed")
            for p in gi.get("presenters", []):
                if norm(p) not in norm(item_text[nr]):
                    bad(f"§ {nr}: presenter {p!r} not named in the item")
        for d in key.get("decisions", []):
            for c in d["contains"]:
                if norm(c) not in norm(item_text.get(d["item"], "")):
                    bad(f"§ {d['item']}: decision phrase {c!r} not in the item")
        for nr in key.get("no_decision", []):
            if nr not in item_text:
                bad(f"no_decision {nr} is not an item")
        for r in key.get("references", []):
            lines = norm(item_text.get(r["item"], ""))
            if not any(norm(f) in lines for f in date_forms(r["date"])):
                bad(f"§ {r['item']}: reference date {r['date']} not written in the item in any form")
        for p in key.get("participants", []):
            if norm(p["name"]) not in whole:
                bad(f"participant {p['name']!r} not in the document")
            if p.get("party") and f"({p['party'].lower()})" not in whole and f"| {p['party'].lower()} |" not in norm(" | ".join(
                    " | ".join(r) for b in blocks if b["kind"] == "table" for r in b["rows"])):
                bad(f"participant {p['name']!r}: party {p['party']} not written")
        for k, v in key.get("officers", {}).items():
            for x in (v if isinstance(v, list) else [v]):
                if norm(x) not in whole:
                    bad(f"officer {k} {x!r} not in the document")
        for a in key.get("attachments", []):
            if norm(a) not in norm(text_of(back)):
                bad(f"attachment {a!r} not after the last item")
        rendered = ""
        for sub in ("pdf", "text", "html", "flat"):
            d = os.path.join(OUT, sub)
            for f in os.listdir(d):
                if f.startswith(conf["base"]):
                    if f.endswith(".pdf"):
                        rendered += render.pdftotext_raw(os.path.join(d, f))
                    else:
                        rendered += open(os.path.join(d, f), encoding="utf-8").read()
        all_items = norm(" ".join(item_text.values()))
        for b in key.get("boilerplate_absent", []):
            if norm(b) not in norm(rendered):
                bad(f"boilerplate {b!r} is in no rendering (the check would pass vacuously)")
            if norm(b) in all_items:
                bad(f"boilerplate {b!r} stands in an item's own text")
        m = key["meeting"]
        for k in ("place_contains", "time_contains"):
            if k in m and norm(m[k]) not in whole:
                bad(f"meeting {k} {m[k]!r} not in the document")
    print(f"{len(names)} protocols, {problems} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
