#!/usr/bin/env python3
"""Runs the README as a new user would: every `sh` block of its set-up, main-job and test
sections, in order, each in its own bash, in the folder it is started in (CI starts it in
a fresh clone), with an empty data folder and no PROTOKOLL_INDEX, as on a new account. A `text` block right after a `sh` block is what those commands print: each
of its lines must appear in their output, except lines holding `…` (a shortened line).
A command may end in a comment `# exit N…`: it must then exit with status N.

    python3 .ci/readme.py [README.md]

Exit status: 0 when every block ran and printed what the README says, 1 otherwise.
"""

import os
import re
import subprocess
import sys
import tempfile

# The README's sections whose commands a new user runs, by their `## ` heading.
SECTIONS = ("Set-up", "The main job", "Tests")


def blocks(readme):
    """(section, language, text) of each fenced block under a heading in SECTIONS."""
    section = None
    found = []
    for match in re.finditer(r"^## ([^\n]+)$|^```(\w*)\n(.*?)^```$", readme, re.M | re.S):
        if match.group(1) is not None:
            section = match.group(1).strip()
        elif section in SECTIONS:
            found.append((section, match.group(2), match.group(3)))
    return found


def expecting_status(block):
    """The block with each `command  # exit N…` line made to require exit status N."""
    lines = []
    for line in block.splitlines():
        match = re.match(r"^(.*?)\s+# exit (\d+)\b", line)
        if match:
            command, status = match.group(1), match.group(2)
            line = (f"set +e; {command}; rc=$?; set -e; "
                    f"[ $rc -eq {status} ] || {{ echo \"README check: exit $rc, the README says {status}\" >&2; exit 1; }}")
        lines.append(line)
    return "\n".join(lines) + "\n"


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "README.md"
    with open(path, encoding="utf-8") as f:
        found = blocks(f.read())
    # A new user: no index chosen and an empty data folder, so the README's commands build
    # and find the index where a first run does (HOME stays: cargo and rustup live there).
    env = {k: v for k, v in os.environ.items() if k != "PROTOKOLL_INDEX"}
    env["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="protokoll-readme-")
    ran = 0
    failed = False
    previous_output = None
    for section, language, text in found:
        if language == "sh":
            print(f"--- README, {section}:\n{text.rstrip()}", flush=True)
            # One shell per block; a block's variables are its own, as when pasted.
            proc = subprocess.run(["bash", "-euo", "pipefail", "-c", expecting_status(text)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
            sys.stdout.write(proc.stdout)
            previous_output = proc.stdout
            ran += 1
            if proc.returncode != 0:
                print(f"README check: the block in '{section}' exited {proc.returncode}", file=sys.stderr)
                return 1
        elif language == "text" and previous_output is not None:
            printed = {line.strip() for line in previous_output.splitlines()}
            for line in text.splitlines():
                if line.strip() and "…" not in line and line.strip() not in printed:
                    print(f"README check: '{section}' says the commands print\n    {line.strip()}\nbut they did not", file=sys.stderr)
                    failed = True
            previous_output = None
    if ran == 0:
        print(f"README check: no sh blocks under {', '.join(SECTIONS)}", file=sys.stderr)
        return 1
    print(f"README check: {ran} blocks ran" + ("" if failed else ", and printed what the README says"), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
