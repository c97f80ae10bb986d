#!/usr/bin/env python3
"""Whole-process timer for benches/compare.sh (standard library only).

    timer.py row RESULTS ID TITLE RUNS TIMEOUT SIDE [-+- SIDE]
        SIDE := LABEL [--prep SHELL] [--fresh DIR]... ::: ARGV... [::: ARGV...]...

Times one side, or two sides alternately (A B A B ...), RUNS times each. A side
is one or more commands run one after another as separate processes (so
"openapi-generator -g rust, then -g markdown" is one side); its time is their
summed wall time and its peak RSS the largest of theirs. Before every run,
untimed, each --fresh DIR is emptied and the --prep shell command is run.
Commands run with the working directory and environment of this process; their
output goes to RESULTS.d/ID.<side>.log. A command that exits non-zero or runs past
TIMEOUT seconds ends the side: the row records what happened instead of figures.
Appends one JSON line per row to RESULTS and prints a one-line summary.

    timer.py skip RESULTS ID TITLE REASON

Records a row that could not be run (a peer that did not install), with the reason.

    timer.py report RESULTS MACHINE_MD [NAME=PATH]...

Prints the markdown table of every row in RESULTS, with min / median / max wall
time, peak RSS and the ratio of medians B/A, followed by the targets of the
performance issue, each met or missed by how much. Each NAME=PATH shortens PATH
to NAME in the list of commands.
"""

import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

SEP = ":::"


def parse_side(args):
    """LABEL [--prep S] [--fresh D]... ::: argv [::: argv]... -> dict, rest."""
    side = {"label": args[0], "prep": None, "fresh": [], "cmds": []}
    i = 1
    while i < len(args) and args[i] != SEP:
        if args[i] == "--prep":
            side["prep"] = args[i + 1]
            i += 2
        elif args[i] == "--fresh":
            side["fresh"].append(args[i + 1])
            i += 2
        else:
            break
    while i < len(args) and args[i] == SEP:
        i += 1
        cmd = []
        while i < len(args) and args[i] not in (SEP, "-+-"):
            cmd.append(args[i])
            i += 1
        side["cmds"].append(cmd)
    if i < len(args) and args[i] == "-+-":  # starts the next side
        i += 1
    return side, args[i:]


def gnu_time():
    """GNU time, when installed: peak RSS is then measured from its small process.

    A child forked by this Python process starts as a copy of it, and Linux counts
    that copy in the child's peak RSS (some 10 MiB here), so a lean command would look
    as big as Python. GNU time forks from a 2 MiB process instead.
    """
    path = shutil.which("time") or "/usr/bin/time"
    try:
        out = subprocess.run([path, "--version"], capture_output=True, text=True).stdout
        out += subprocess.run([path, "--version"], capture_output=True, text=True).stderr
    except OSError:
        return None
    return path if "GNU" in out else None


GNU_TIME = gnu_time()


def run_one(cmd, log, timeout):
    """Runs argv; returns (seconds, peak RSS KiB, exit status or 'timeout')."""
    rss_file = None
    if GNU_TIME:
        fd, rss_file = tempfile.mkstemp(prefix="timer-rss-")
        os.close(fd)
        cmd = [GNU_TIME, "-f", "%M", "-o", rss_file, "--"] + cmd
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    timed_out = []

    def kill():
        timed_out.append(True)
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    timer = threading.Timer(timeout, kill)
    timer.start()
    _, status, usage = os.wait4(proc.pid, 0)  # blocking: the clock stops when it exits
    seconds = time.perf_counter() - start
    timer.cancel()
    proc.returncode = os.waitstatus_to_exitcode(status)
    rss = usage.ru_maxrss
    if rss_file:
        with open(rss_file) as f:
            last = [ln for ln in f.read().splitlines() if ln.strip()]
        os.unlink(rss_file)
        if last and last[-1].strip().isdigit():
            rss = int(last[-1])
    if timed_out:
        return seconds, rss, "timeout"
    return seconds, rss, proc.returncode


def run_side(side, log, timeout):
    for folder in side["fresh"]:
        shutil.rmtree(folder, ignore_errors=True)
    if side["prep"]:
        done = subprocess.run(["bash", "-c", side["prep"]], stdout=log, stderr=subprocess.STDOUT)
        if done.returncode != 0:
            return None, None, None, f"prep exited {done.returncode}"
    total, peak, steps = 0.0, 0, []
    for cmd in side["cmds"]:
        log.write(f"$ {' '.join(cmd)}\n".encode())
        log.flush()
        seconds, rss, status = run_one(cmd, log, timeout)
        total += seconds
        peak = max(peak, rss)
        steps.append(seconds)
        if status == "timeout":
            return total, peak, steps, f"`{os.path.basename(cmd[0])}` ran past {timeout:.0f} s"
        if status != 0:
            return total, peak, steps, f"`{os.path.basename(cmd[0])}` exited {status}"
    return total, peak, steps, None


def last_line(path):
    """What a failed command said, in one short line: a Rust panic's message, else
    its last line that mentions an error or exception, else its last line."""
    with open(path, "rb") as f:
        f.seek(max(0, os.path.getsize(path) - 20000))
        lines = [ln.strip() for ln in f.read().decode("utf-8", "replace").splitlines() if ln.strip()]
    text = lines[-1] if lines else "(no output)"
    panics = [i for i, ln in enumerate(lines) if "panicked at" in ln]
    errors = [ln for ln in lines if any(w in ln.lower() for w in ("error", "exception"))]
    if panics:
        i = panics[-1]
        text = "panicked: " + " ".join(lines[i + 1:i + 2])
    elif errors:
        text = errors[-1]
    text = text.replace("|", "/").replace("`", "'")
    return text if len(text) <= 200 else text[:197] + "..."


def skip(argv):
    """Records a row that could not be run, with the reason."""
    results, rid, title, reason = argv[:4]
    record = {"id": rid, "title": title, "skipped": reason, "sides": []}
    with open(results, "a") as out:
        out.write(json.dumps(record) + "\n")
    print(f"{rid}  not run: {reason}", flush=True)


def row(argv):
    results, rid, title, runs, timeout = argv[:5]
    runs, timeout = int(runs), float(timeout)
    rest = argv[5:]
    sides = []
    while rest:
        side, rest = parse_side(rest)
        sides.append(side)
    logs_dir = results + ".d"
    os.makedirs(logs_dir, exist_ok=True)
    paths = [os.path.join(logs_dir, f"{rid}.{'ab'[k]}.log") for k in range(len(sides))]
    logs = [open(path, "wb") for path in paths]
    samples = [[] for _ in sides]
    failure = [None for _ in sides]
    for _ in range(runs):
        for k, side in enumerate(sides):  # alternate: A B A B ...
            if failure[k]:
                continue
            seconds, rss, steps, error = run_side(side, logs[k], timeout)
            if error:
                logs[k].flush()
                failure[k] = f"{error}: {last_line(paths[k])}"
            else:
                samples[k].append((seconds, rss, steps))
        if all(failure):
            break
    record = {"id": rid, "title": title, "sides": []}
    for k, side in enumerate(sides):
        entry = {"label": side["label"], "runs": len(samples[k]), "error": failure[k],
                 "cmds": [" ".join(c) for c in side["cmds"]]}
        if samples[k] and not failure[k]:
            times = [s[0] for s in samples[k]]
            entry.update({
                "min": min(times), "median": statistics.median(times), "max": max(times),
                "rss_kib": max(s[1] for s in samples[k]),
                "step_medians": [statistics.median(s[2][j] for s in samples[k])
                                 for j in range(len(side["cmds"]))],
            })
        record["sides"].append(entry)
    with open(results, "a") as out:
        out.write(json.dumps(record) + "\n")
    print(summary_line(record), flush=True)


def secs(x):
    if x is None:
        return "–"
    if x < 1:
        return f"{x * 1000:.1f} ms" if x < 0.1 else f"{x * 1000:.0f} ms"
    return f"{x:.2f} s" if x < 100 else f"{x:.0f} s"


def mib(kib):
    return "–" if kib is None else f"{kib / 1024:.0f} MiB"


def ratio(record):
    s = record["sides"]
    if len(s) == 2 and s[0].get("median") and s[1].get("median"):
        return s[1]["median"] / s[0]["median"]
    return None


def fmt_ratio(r):
    if r is None:
        return "–"
    return f"{r:.0f}×" if r >= 100 else f"{r:.1f}×" if r >= 10 else f"{r:.2f}×"


def side_cell(side):
    if side.get("error"):
        return f"not measured: {side['error']}"
    cell = f"{secs(side['median'])} ({secs(side['min'])}–{secs(side['max'])}), {mib(side['rss_kib'])}"
    if len(side.get("step_medians") or []) > 1:
        cell += " [" + " + ".join(secs(x) for x in side["step_medians"]) + "]"
    return cell


def summary_line(record):
    parts = [f"{s['label']}: {side_cell(s)}" for s in record["sides"]]
    r = ratio(record)
    return f"{record['id']}  " + "  |  ".join(parts) + (f"  |  B/A {fmt_ratio(r)}" if r else "")


def load(results):
    rows = {}
    with open(results) as f:
        for line in f:
            if line.strip():
                rec = json.loads(line)
                rows[rec["id"]] = rec  # a later run of the same row wins
    return rows


def median(rows, rid, k):
    rec = rows.get(rid)
    if not rec or len(rec["sides"]) <= k:
        return None
    return rec["sides"][k].get("median")


def rss(rows, rid, k):
    rec = rows.get(rid)
    if not rec or len(rec["sides"]) <= k:
        return None
    return rec["sides"][k].get("rss_kib")


def targets(rows):
    """(target, figure, verdict) for each target of the performance issue."""
    out = []

    def faster(name, rid, factor):
        a, b = median(rows, rid, 0), median(rows, rid, 1)
        if a is None or b is None:
            out.append((name, "not measured", "not measured"))
            return
        r = b / a
        verdict = (f"met ({r / factor:.2f}× the target)" if r >= factor
                   else f"missed: {r:.2f}× is {factor / r:.2f}× short")
        out.append((name, f"{fmt_ratio(r)} faster", verdict))

    def within(name, a, b, factor, what):
        if a is None or b is None:
            out.append((name, "not measured", "not measured"))
            return
        r = a / b
        verdict = (f"met ({r:.2f}× ≤ {factor}×)" if r <= factor
                   else f"missed by {r / factor:.2f}× ({r:.2f}× > {factor}×)")
        out.append((name, f"{r:.2f}× {what}".rstrip(), verdict))

    def under(name, value, limit, unit_fmt, limit_txt):
        if value is None:
            out.append((name, "not measured", "not measured"))
            return
        verdict = (f"met ({unit_fmt(value)} < {limit_txt})" if value < limit
                   else f"missed by {value / limit:.2f}× ({unit_fmt(value)} ≥ {limit_txt})")
        out.append((name, unit_fmt(value), verdict))

    faster("management: generate (all four) ≥ 100× faster than openapi-generator rust + markdown",
           "mgmt-ogen", 100)
    faster("management: generate ≥ 10× faster than openapi-mcp-generator", "mgmt-omg", 10)
    within("management: generate within 3× of the parse-only floor",
           median(rows, "mgmt-floor", 1), median(rows, "mgmt-floor", 0), 3, "the floor")
    within("management: check within 1.2× of generate",
           median(rows, "mgmt-check", 1), median(rows, "mgmt-check", 0), 1.2, "generate")
    faster("GitHub: generate --only mcp faster than openapi-mcp-generator", "gh-omg", 1)
    gh_all = [rid for rid in ("gh-only-rust", "gh-only-mcp", "gh-only-cli", "gh-only-docs", "gh-all")]
    worst_t = [median(rows, rid, 0) for rid in gh_all]
    worst_m = [rss(rows, rid, 0) for rid in gh_all]
    under("GitHub: every artifact (each --only and all) under 1 s",
          max(worst_t) if None not in worst_t else None, 1.0, secs, "1 s")
    under("GitHub: every artifact under 1 GiB peak memory",
          max(worst_m) if None not in worst_m else None, 1024 * 1024, mib, "1 GiB")
    a, b = median(rows, "synth-growth", 0), median(rows, "synth-growth", 1)
    within("linear growth: time(10,000 ops) / time(1,000 ops) ≤ 11", b, a, 11, "time(1,000 ops)")
    under("10,000 operations under 1 s", median(rows, "synth-growth", 1), 1.0, secs, "1 s")
    under("10,000 operations under 512 MB peak", rss(rows, "synth-growth", 1),
          512e6 / 1024, lambda k: f"{k * 1024 / 1e6:.0f} MB", "512 MB")
    faster("molecule-client cold build faster than openapi-generator's crate", "build-cold", 1)
    faster("molecule-client rebuild after a one-line spec change faster than openapi-generator's",
           "build-edit", 1)
    return out


def report(argv):
    results, machine = argv[:2]
    # NAME=PATH arguments: PATH is written NAME in the commands, so they read anywhere.
    short = [a.split("=", 1) for a in argv[2:] if "=" in a]
    short.sort(key=lambda nv: -len(nv[1]))
    rows = load(results)
    lines = []
    if os.path.exists(machine):
        with open(machine) as f:
            lines.append(f.read().rstrip())
            lines.append("")
    lines.append("Wall time: median (min–max) over the runs, then peak RSS; A and B ran "
                 "alternately. B/A is the ratio of the medians.")
    lines.append("")
    lines.append("| row | A | A: median (min–max), peak RSS | B | B: median (min–max), peak RSS | B/A |")
    lines.append("|---|---|---|---|---|---|")
    for rec in rows.values():
        if rec.get("skipped"):
            lines.append(f"| {rec['title']} (`{rec['id']}`) | not run: {rec['skipped']} | | | | |")
            continue
        s = rec["sides"]
        b = s[1] if len(s) > 1 else None
        lines.append("| " + " | ".join([
            f"{rec['title']} (`{rec['id']}`)",
            s[0]["label"], side_cell(s[0]),
            b["label"] if b else "", side_cell(b) if b else "",
            fmt_ratio(ratio(rec)),
        ]).replace("\n", " ") + " |")
    lines.append("")
    lines.append("| target | measured | verdict |")
    lines.append("|---|---|---|")
    for name, figure, verdict in targets(rows):
        lines.append(f"| {name} | {figure} | {verdict} |")
    lines.append("")
    lines.append("Commands of each row:")
    lines.append("")
    for rec in rows.values():
        for s in rec["sides"]:
            cmds = []
            for c in s["cmds"]:
                for name, path in short:
                    c = c.replace(path, name)
                cmds.append(f"`{c}`")
            lines.append(f"- `{rec['id']}` {s['label']}: " + " ; ".join(cmds))
    print("\n".join(lines))


def main():
    if len(sys.argv) < 2 or sys.argv[1] in ("-h", "--help"):
        print(__doc__)
        return 0
    if sys.argv[1] == "row":
        row(sys.argv[2:])
    elif sys.argv[1] == "skip":
        skip(sys.argv[2:])
    elif sys.argv[1] == "report":
        report(sys.argv[2:])
    else:
        print(f"timer.py: unknown command {sys.argv[1]}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
