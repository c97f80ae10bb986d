#!/usr/bin/env python3
"""Print the tally and the grouped refusal messages of a corpus run.

Usage: summarize.py RESULTS_TSV [TOP]

RESULTS_TSV has a header line, then: status, exit code, spec, seconds, first stderr
line, validator verdict (`valid`, `invalid`, `timeout`, or `-` when not validated:
tiergen generated it). A refusal of a spec the validator accepts is a gap in tiergen; one of
a spec it rejects is tiergen doing its job, so the two are listed apart.

Refusals are grouped after normalising their message: the leading `error: `, the
`file:line:col: ` prefix, quoted identifiers ('x', "x", `x`) and the JSON pointer in
`(at #/...)` are replaced, so refusals of the same kind count together.
"""

import collections
import re
import sys

_PREFIX = re.compile(r"^(error:\s*)?(\S.*?:\d+:\d+:\s*)?")
_QUOTED = [
    (re.compile(r'"(?:[^"\\]|\\.)*"'), '"…"'),
    (re.compile(r"'(?:[^'\\]|\\.)*'"), "'…'"),
    (re.compile(r"`[^`]*`"), "`…`"),
]
_POINTER = re.compile(r"#/[^\s)]*")
_PATHLIKE = re.compile(r"(?<![\w#])(?:/[^\s:'\"]+)+\.(?:json|ya?ml)\b")
STATUSES = ("generated", "broken", "refused", "crashed")


def normalise(message):
    m = message.strip()
    m = _PREFIX.sub("", m, count=1)
    m = _PATHLIKE.sub("FILE", m)
    for rx, repl in _QUOTED:
        m = rx.sub(repl, m)
    m = _POINTER.sub("#/…", m)
    return m


def read_rows(path):
    rows = []
    with open(path, encoding="utf-8", errors="replace") as fh:
        next(fh, None)  # header
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            while len(parts) < 6:
                parts.append("-")
            rows.append(parts)
    return rows


def print_groups(title, rows, top):
    groups = collections.Counter()
    example = {}
    for _status, _code, spec, _secs, msg, _verdict in rows:
        key = normalise(msg)
        groups[key] += 1
        example.setdefault(key, spec)
    if not groups:
        return
    print(f"{title}: top {min(top, len(groups))} of {len(groups)} messages (count, message, example spec):")
    for key, n in groups.most_common(top):
        print(f"  {n:5d}  {key}\n         e.g. {example[key]}")


def main():
    path = sys.argv[1]
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 25
    rows = read_rows(path)
    counts = collections.Counter(r[0] for r in rows)
    print(f"corpus: {len(rows)} specs: " + ", ".join(f"{counts[s]} {s}" for s in STATUSES))
    for status in STATUSES[1:]:
        these = [r for r in rows if r[0] == status]
        if these:
            verdicts = collections.Counter(r[5] for r in these)
            print(f"  {status}: {verdicts['valid']} valid per openapi-spec-validator (tiergen's gaps), "
                  f"{verdicts['invalid']} invalid, {verdicts['timeout']} not judged (validator timed out)")
    refused = [r for r in rows if r[0] == "refused"]
    print_groups("refusals of valid specs", [r for r in refused if r[5] == "valid"], top)
    print_groups("refusals of invalid specs", [r for r in refused if r[5] != "valid"], top)
    for status in ("broken", "crashed"):
        bad = [r for r in rows if r[0] == status]
        if bad:
            print(f"{status} ({len(bad)}):")
            for _status, code, spec, secs, msg, verdict in bad:
                print(f"  exit {code}  {spec}  ({secs} s, {verdict})  {msg}")


if __name__ == "__main__":
    main()
