#!/usr/bin/env python3
"""Check the artifacts of one `tiergen generate` run, the way their consumers read them.

Usage: check_artifacts.py OUT_DIR

Checks, for every file under OUT_DIR:
  *.json          parses as JSON (the MCP manifests, the route map)
  *.md / *.mdx    every table row has as many cells as its header row (GitHub-flavoured
                  Markdown: unescaped pipes, minus the outer ones), so no spec text
                  breaks a table
and that the four artifact folders (rust, mcp, cli, docs) exist.

Prints nothing and exits 0 when all hold; otherwise prints one line per problem
(`path: problem`) and exits 1. The same table rule as tests/common/mod.rs.
"""

import json
import pathlib
import sys

ARTIFACTS = ("rust", "mcp", "cli", "docs")


def table_cells(line):
    pipes = 0
    escaped = False
    for c in line:
        if c == "\\" and not escaped:
            escaped = True
            continue
        if c == "|" and not escaped:
            pipes += 1
        escaped = False
    return max(pipes - 1, 0)


def table_shape_error(markdown):
    expected = None
    for n, line in enumerate(markdown.splitlines(), start=1):
        if not line.startswith("|"):
            expected = None
            continue
        cells = table_cells(line)
        if expected is None:
            expected = cells
        if cells != expected:
            return f"line {n}: {cells} cells, header has {expected}"
    return None


def problems(out):
    for name in ARTIFACTS:
        if not (out / name).is_dir():
            yield f"{name}/: missing"
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        rel = path.relative_to(out)
        if path.suffix == ".json":
            try:
                json.loads(path.read_bytes())
            except ValueError as e:
                yield f"{rel}: invalid JSON: {e}"
        elif path.suffix in (".md", ".mdx"):
            error = table_shape_error(path.read_text(encoding="utf-8"))
            if error:
                yield f"{rel}: {error}"


def main():
    if len(sys.argv) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    found = list(problems(pathlib.Path(sys.argv[1])))
    for line in found:
        print(line)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
