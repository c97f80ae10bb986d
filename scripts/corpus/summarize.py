#!/usr/bin/env python3
"""Print the tally and the grouped refusal messages of a corpus run.

Usage: summarize.py RESULTS_TSV [TOP]

RESULTS_TSV has a header line, then: status, exit code, spec, seconds, first stderr line.
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


def normalise(message):
    m = message.strip()
    m = _PREFIX.sub("", m, count=1)
    m = _PATHLIKE.sub("FILE", m)
    for rx, repl in _QUOTED:
        m = rx.sub(repl, m)
    m = _POINTER.sub("#/…", m)
    return m


def main():
    path = sys.argv[1]
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 25
    rows = []
    with open(path, encoding="utf-8", errors="replace") as fh:
        next(fh, None)  # header
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            while len(parts) < 5:
                parts.append("")
            rows.append(parts)
    counts = collections.Counter(r[0] for r in rows)
    print(f"corpus: {len(rows)} valid specs: {counts['generated']} generated, "
          f"{counts['broken']} broken, {counts['refused']} refused, {counts['crashed']} crashed")

    groups = collections.Counter()
    example = {}
    for status, _code, spec, _secs, msg in rows:
        if status != "refused":
            continue
        key = normalise(msg)
        groups[key] += 1
        example.setdefault(key, spec)
    if groups:
        print(f"top {min(top, len(groups))} of {len(groups)} refusal messages (count, message, example spec):")
        for key, n in groups.most_common(top):
            print(f"  {n:5d}  {key}\n         e.g. {example[key]}")

    for kind in ("broken", "crashed"):
        bad = [r for r in rows if r[0] == kind]
        if bad:
            print(f"{kind} ({len(bad)}):")
            for _status, code, spec, secs, msg in bad:
                print(f"  exit {code}  {spec}  ({secs} s)  {msg}")


if __name__ == "__main__":
    main()
