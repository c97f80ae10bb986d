#!/usr/bin/env python3
"""Validate OpenAPI documents with openapi-spec-validator, in one long-running process.

Usage:
  validate.py [--timeout SECONDS] [PATH ...]     validate; paths from the arguments, else stdin
  validate.py --select [PATH ...]                list the OpenAPI 3.0/3.1 documents only

Validate mode prints one line per path, flushed as soon as it is known:
  valid<TAB>path
  invalid<TAB>path<TAB>first line of the error
A document whose validation takes longer than --timeout seconds (default 60, or
$VALIDATE_TIMEOUT) is reported invalid with the message "timeout: ...".

Select mode prints `path<TAB>version` for every document whose top-level `openapi`
field is 3.0.x or 3.1.x; Swagger 2.0 and anything else is left out silently.

Paths are printed exactly as given, so relative paths stay relative.
"""

import argparse
import gc
import json
import pathlib
import re
import signal
import sys

MAX_MSG = 500


class ValidationTimeout(Exception):
    pass


def _on_alarm(signum, frame):
    raise ValidationTimeout()


def one_line(text):
    first = str(text).strip().splitlines()[0] if str(text).strip() else ""
    first = first.replace("\t", " ").replace("\r", " ")
    return first[:MAX_MSG]


def load(path):
    p = pathlib.Path(path)
    with open(p, "rb") as fh:
        raw = fh.read()
    if p.suffix.lower() == ".json":
        return json.loads(raw)
    import yaml  # pulled in by openapi-spec-validator

    return yaml.safe_load(raw)


def iter_paths(args):
    if args:
        yield from args
        return
    for line in sys.stdin:
        line = line.rstrip("\n")
        if line:
            yield line


# The `openapi` member of a bundled JSON document usually sits at its very start,
# so a peek at the head avoids parsing 70 MB files just to read one field.
_HEAD_JSON = re.compile(rb'^\s*\{\s*"(openapi|swagger)"\s*:\s*"([^"]*)"')


def version_of(path):
    with open(path, "rb") as fh:
        head = fh.read(4096)
    m = _HEAD_JSON.match(head)
    if m:
        return m.group(1).decode(), m.group(2).decode()
    doc = load(path)
    if not isinstance(doc, dict):
        return None, None
    for key in ("openapi", "swagger"):
        if key in doc:
            return key, str(doc[key])
    return None, None


def select(paths):
    for path in paths:
        try:
            key, version = version_of(path)
        except Exception as exc:  # unreadable or unparsable: not selected
            print(f"validate.py: skipping {path}: {type(exc).__name__}: {one_line(exc)}", file=sys.stderr)
            continue
        if key == "openapi" and re.match(r"^3\.[01](\.|$)", version or ""):
            print(f"{path}\t{version}", flush=True)


def validate_all(paths, timeout):
    import warnings

    # Specs with odd regex patterns make the validator emit FutureWarnings by the hundred.
    warnings.simplefilter("ignore")
    from openapi_spec_validator import validate

    signal.signal(signal.SIGALRM, _on_alarm)
    for path in paths:
        msg = None
        doc = None
        signal.alarm(timeout)
        try:
            doc = load(path)
            validate(doc, base_uri=pathlib.Path(path).resolve().as_uri())
        except ValidationTimeout:
            msg = f"timeout: validation did not finish within {timeout} s"
        except RecursionError as exc:
            msg = f"RecursionError: {one_line(exc)}"
        except Exception as exc:
            msg = f"{type(exc).__name__}: {one_line(exc)}"
        finally:
            signal.alarm(0)
        if msg is None:
            print(f"valid\t{path}", flush=True)
        else:
            print(f"invalid\t{path}\t{msg}", flush=True)
        del doc
        gc.collect()


def main():
    import os

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--select", action="store_true", help="list OpenAPI 3.0/3.1 documents instead of validating")
    ap.add_argument("--timeout", type=int, default=int(os.environ.get("VALIDATE_TIMEOUT", "60")),
                    help="per-document validation limit in seconds (default 60)")
    ap.add_argument("paths", nargs="*")
    args = ap.parse_args()
    paths = iter_paths(args.paths)
    if args.select:
        select(paths)
    else:
        validate_all(paths, args.timeout)


if __name__ == "__main__":
    try:
        main()
    except BrokenPipeError:
        sys.exit(1)
