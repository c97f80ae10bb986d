"""`tiergen call` end to end: a person at a real pseudo-terminal (the
standard library's pty), a script without one, every output format read
back by a real parser (json, PyYAML), and the exit codes, against a fake
API on 127.0.0.1 that records every request it receives.

Usage: python tests/cli/call_terminal.py PATH/TO/tiergen
Prints one line per check and closes with `call: N passed, N failed`.
"""

import json
import os
import pty
import select
import socket
import subprocess
import sys
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from fake_api import Checks, FakeApi  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
ROUTES = ROOT / "golden/cli/routes.json"
ADMIN = "admin-secret-7f3a"
SESSION = "session-secret-91bc"
ORGS = [{"slug": "acme", "name": "Acme", "plan": "free"}, {"slug": "beta", "name": "Beta", "plan": "pro"}]


def answers():
    """What the fake API answers, by method and path."""
    return {
        ("GET", "/api/v1/admin/orgs"): (200, ORGS),
        ("DELETE", "/api/v1/admin/tenants/acme"): (200, {"ok": True}),
        ("DELETE", "/api/v1/orgs/acme"): (200, {"deleted": "acme"}),
        ("POST", "/api/v1/admin/orgs?dry_run=true"): (200, {"would_create": "gamma"}),
        ("GET", "/api/v1/admin/tenants/broken/diagnostics"): (500, {"error": "boom"}),
    }


def environment():
    return {
        "PATH": os.environ.get("PATH", ""),
        "MOLECULE_CP_ADMIN_BEARER": ADMIN,
        "MOLECULE_WORKOS_SESSION": SESSION,
    }


def command(tiergen, api, *words, options=()):
    return [tiergen, "call", "--routes", str(ROUTES), "--base-url", f"control-plane={api.url}", *options, *words]


def piped(tiergen, api, *words, options=()):
    """Without a terminal: stdin, stdout and stderr are pipes."""
    return subprocess.run(
        command(tiergen, api, *words, options=options),
        env=environment(),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )


def at_terminal(tiergen, api, *words, typed, prompt=True):
    """On a pseudo-terminal: waits for the prompt (when one is expected),
    types `typed`, returns (exit code, everything the terminal showed, stdout)."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        command(tiergen, api, *words),
        env=environment(),
        stdin=follower,
        stderr=follower,
        stdout=subprocess.PIPE,
        text=False,
    )
    os.close(follower)
    shown = b""
    deadline = time.monotonic() + 30
    while prompt and time.monotonic() < deadline and not shown.rstrip().endswith((b":", b"[y/N]")):
        ready, _, _ = select.select([leader], [], [], 0.5)
        if ready:
            try:
                shown += os.read(leader, 4096)
            except OSError:
                break
    os.write(leader, typed.encode() + b"\n")
    out, _ = process.communicate(timeout=30)
    while True:
        ready, _, _ = select.select([leader], [], [], 0.2)
        if not ready:
            break
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    return process.returncode, shown.decode(errors="replace"), out.decode(errors="replace")


def terminal(tiergen, api, checks):
    tenant_delete = ("cp", "admin", "tenant", "delete", "acme", "--confirm", "acme")
    api.taken()
    code, shown, _ = at_terminal(tiergen, api, *tenant_delete, typed="acme-co")
    checks.check("terminal: the prompt says what will happen", "irreversible purge" in shown and "DELETE /api/v1/admin/tenants/acme" in shown, shown)
    checks.check("terminal: and asks to type the slug", "Type the slug (`acme`)" in shown, shown)
    checks.check("terminal: a wrong slug typed → refused (exit 3), nothing sent", code == 3 and api.taken() == [], f"{code} {shown}")
    code, shown, out = at_terminal(tiergen, api, *tenant_delete, typed="acme")
    sent = api.taken()
    checks.check(
        "terminal: the right slug → sent once with the admin bearer",
        code == 0
        and [(r["method"], r["path"]) for r in sent] == [("DELETE", "/api/v1/admin/tenants/acme")]
        and sent[0]["headers"].get("authorization") == f"Bearer {ADMIN}"
        and sent[0]["body"] == {"confirm": "acme"},
        f"{code} {sent}",
    )
    checks.check("terminal: the answer is printed", json.loads(out) == {"ok": True}, out)
    checks.check("terminal: the credential is never shown", ADMIN not in shown + out)

    code, shown, _ = at_terminal(tiergen, api, "cp", "org", "delete", "acme", typed="n")
    checks.check("terminal: a yes/no question answered no → exit 3, nothing sent", code == 3 and "[y/N]" in shown and api.taken() == [], shown)
    code, shown, _ = at_terminal(tiergen, api, "cp", "org", "delete", "acme", typed="y")
    sent = api.taken()
    checks.check(
        "terminal: answered yes → sent with the session cookie",
        code == 0 and len(sent) == 1 and sent[0]["headers"].get("cookie") == f"mcp_session={SESSION}",
        f"{code} {sent}",
    )
    code, shown, _ = at_terminal(tiergen, api, "cp", "admin", "org", "list", typed="", prompt=False)
    checks.check("terminal: an unguarded command asks nothing", code == 0 and "[y/N]" not in shown and len(api.taken()) == 1, shown)


def scripted(tiergen, api, checks):
    tenant_delete = ("cp", "admin", "tenant", "delete", "acme", "--confirm", "acme")
    api.taken()
    refused = piped(tiergen, api, *tenant_delete)
    checks.check(
        "no terminal, no --yes → refused (exit 3), nothing sent",
        refused.returncode == 3 and "--yes" in refused.stderr and api.taken() == [],
        refused.stderr,
    )
    sent = piped(tiergen, api, *tenant_delete, options=("--yes",))
    checks.check("no terminal, --yes → sent once", sent.returncode == 0 and len(api.taken()) == 1, sent.stderr)
    wrong = piped(tiergen, api, "cp", "admin", "tenant", "delete", "acme", "--confirm", "other", options=("--yes",))
    checks.check(
        "--yes with a wrong --confirm → refused by the guard (exit 2), nothing sent",
        wrong.returncode == 2 and "confirm" in wrong.stderr and api.taken() == [],
        wrong.stderr,
    )
    dry = piped(tiergen, api, "cp", "admin", "org", "create", "--dry-run", "--slug", "gamma", "--name", "Gamma", "--owner-user-id", "u1")
    sent = api.taken()
    checks.check(
        "--dry-run sends the dry run, unasked",
        dry.returncode == 0 and [r["path"] for r in sent] == ["/api/v1/admin/orgs?dry_run=true"],
        f"{dry.stderr} {sent}",
    )


def formats(tiergen, api, checks):
    listing = ("cp", "admin", "org", "list")
    as_json = piped(tiergen, api, *listing, options=("--output", "json"))
    checks.check("--output json parses to the answer", json.loads(as_json.stdout) == ORGS, as_json.stdout)
    as_yaml = piped(tiergen, api, *listing, options=("--output", "yaml"))
    checks.check("--output yaml parses (PyYAML) to the answer", yaml.safe_load(as_yaml.stdout) == ORGS, as_yaml.stdout)
    as_table = piped(tiergen, api, *listing, options=("--output", "table"))
    lines = [line for line in as_table.stdout.splitlines() if line.strip()]
    header = [cell.strip() for cell in lines[0].strip("|").split("|")] if lines else []
    rows = [[cell.strip() for cell in line.strip("|").split("|")] for line in lines[2:]]
    checks.check(
        "--output table has a column per field and a row per object",
        header == ["slug", "name", "plan"] and rows == [["acme", "Acme", "free"], ["beta", "Beta", "pro"]],
        as_table.stdout,
    )
    api.taken()


def exit_codes(tiergen, api, checks):
    missing = piped(tiergen, api, "cp", "admin", "tenant", "diagnostics", "nobody")
    checks.check("a 4xx answer → exit 4", missing.returncode == 4 and "404" in missing.stderr, f"{missing.returncode} {missing.stderr}")
    broken = piped(tiergen, api, "cp", "admin", "tenant", "diagnostics", "broken")
    checks.check("a 5xx answer → exit 5", broken.returncode == 5 and "500" in broken.stderr, f"{broken.returncode} {broken.stderr}")
    unknown = piped(tiergen, api, "cp", "admin", "tenant", "explode")
    checks.check("an unknown command → exit 2", unknown.returncode == 2, unknown.stderr)
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    refused = subprocess.run(
        [tiergen, "call", "--routes", str(ROUTES), "--base-url", f"control-plane=http://127.0.0.1:{port}", "--retries", "1", "cp", "admin", "org", "list"],
        env=environment(),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    checks.check("no answer (connection refused) → exit 6", refused.returncode == 6 and ADMIN not in refused.stderr, refused.stderr)
    api.taken()


def main(tiergen):
    api = FakeApi(answers())
    checks = Checks()
    terminal(tiergen, api, checks)
    scripted(tiergen, api, checks)
    formats(tiergen, api, checks)
    exit_codes(tiergen, api, checks)
    api.close()
    print(f"call: {checks.passed} passed, {checks.failed} failed")
    return 0 if checks.failed == 0 and checks.passed > 0 else 1


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
