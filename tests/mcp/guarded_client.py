"""Guarded execution through the official MCP Python SDK (`mcp` on PyPI):
`tiergen mcp serve` over stdio and over Streamable HTTP, each with the
handshake-era protocol (elicitation as a server-to-client request) and with
2026-07-28 (elicitation as an InputRequiredResult the client answers by
retrying). A fake API on 127.0.0.1 records every request: it must see
exactly the requests a person agreed to, and none of the others.

Usage: python tests/mcp/guarded_client.py PATH/TO/tiergen
Prints one line per check and closes with `guarded: N passed, N failed`.
"""

import asyncio
import json
import os
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from fake_api import Checks, FakeApi  # noqa: E402

import httpx2
from mcp import Client, StdioServerParameters
from mcp.client.streamable_http import streamable_http_client
from mcp_types import ElicitResult

ROOT = Path(__file__).resolve().parents[2]
OPERATOR = ROOT / "golden/mcp/cp-admin-bearer.json"
ORG_KEY = ROOT / "golden/mcp/org-api-key.json"
TOKEN = "mcp-access-token-0123456789"
ADMIN = "admin-bearer-1"


def answers():
    """What the fake API answers, by method and path."""
    return {
        ("DELETE", "/api/v1/admin/tenants/acme"): (200, {"ok": True, "purged": "acme"}),
        ("GET", "/api/v1/admin/orgs"): (200, [{"slug": "acme"}]),
        ("GET", "/workspaces"): (200, [{"id": "w1", "name": "alpha"}]),
    }


def text_of(result):
    return " ".join(getattr(block, "text", "") for block in result.content)


def server_args(manifest, api, *more):
    return ["mcp", "serve", "--manifest", str(manifest), "--base-url", api.url, *more]


def environment(extra=None):
    env = {"PATH": os.environ.get("PATH", ""), "MOLECULE_CP_ADMIN_BEARER": ADMIN}
    env.update(extra or {})
    return env


class HttpServer:
    """`tiergen mcp serve --http 127.0.0.1:0`, its address read from stderr."""

    def __init__(self, tiergen, args, env):
        self.process = subprocess.Popen(
            [tiergen, *args, "--http", "127.0.0.1:0"],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        line = self.process.stderr.readline()
        found = re.search(r"at (http://\S+/mcp)", line)
        if not found:
            self.process.kill()
            raise RuntimeError(f"no address from the server: {line!r}")
        self.url = found.group(1)
        threading.Thread(target=self.process.stderr.read, daemon=True).start()

    def rss_kb(self):
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        return 0

    def close(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def http_transport(url, token=TOKEN):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return streamable_http_client(url, http_client=httpx2.AsyncClient(headers=headers, timeout=30))


def answering(action, typed=None, delay=0.0):
    """An elicitation callback that answers `action`, typing `typed` in the form's field."""
    asked = []

    async def callback(context, params):
        asked.append(params)
        if delay:
            await asyncio.sleep(delay)
        content = None
        if action == "accept":
            fields = list((params.requested_schema or {}).get("properties", {}))
            content = {field: typed for field in fields} if typed is not None else {}
        return ElicitResult(action=action, content=content)

    callback.asked = asked
    return callback


DELETE = ("admin_delete_tenant", {"slug": "acme", "confirm": "acme"})


async def consent_scenarios(name, connect, api, checks):
    """The same guarded call answered five ways; `connect(callback)` opens a client."""
    cases = [
        ("accepts with the right slug", answering("accept", "acme"), True),
        ("accepts with a wrong slug", answering("accept", "acme-co"), False),
        ("declines", answering("decline"), False),
        ("cancels", answering("cancel"), False),
    ]
    for case, callback, sent in cases:
        api.taken()
        async with connect(callback) as client:
            result = await client.call_tool(*DELETE)
        requests = api.taken()
        deletes = [r for r in requests if r["method"] == "DELETE"]
        checks.check(f"{name}: the person was asked once ({case})", len(callback.asked) == 1, f"{callback.asked}")
        if sent:
            checks.check(
                f"{name}: {case} → sent, exactly once",
                not result.is_error and len(deletes) == 1 and len(requests) == 1,
                f"{text_of(result)} {requests}",
            )
            message = callback.asked[0].message if callback.asked else ""
            checks.check(
                f"{name}: the question says what will happen",
                "DELETE /api/v1/admin/tenants/acme" in message and "irreversible purge" in message and "acme" in message,
                message,
            )
        else:
            checks.check(
                f"{name}: {case} → a tool error, nothing sent",
                result.is_error and "nothing was sent" in text_of(result) and requests == [],
                f"{text_of(result)} {requests}",
            )

    api.taken()
    async with connect(None) as client:
        result = await client.call_tool(*DELETE)
        plain = await client.call_tool("list_orgs", {})
    requests = api.taken()
    checks.check(
        f"{name}: a client without elicitation gets a clear tool error",
        result.is_error and "elicitation" in text_of(result) and "--no-elicitation" in text_of(result),
        text_of(result),
    )
    checks.check(
        f"{name}: and only the unguarded call reached the API",
        [(r["method"], r["path"]) for r in requests] == [("GET", "/api/v1/admin/orgs")] and not plain.is_error,
        f"{requests}",
    )


async def stdio_and_http(tiergen, api, checks):
    args = server_args(OPERATOR, api)
    for mode in ("legacy", "2026-07-28"):
        def stdio(callback, mode=mode):
            params = StdioServerParameters(command=tiergen, args=args, env=environment())
            return Client(params, mode=mode, elicitation_callback=callback)

        await consent_scenarios(f"stdio {mode}", stdio, api, checks)

    server = HttpServer(tiergen, args, environment({"TIERGEN_MCP_TOKEN": TOKEN}))
    try:
        for mode in ("legacy", "2026-07-28"):
            def http(callback, mode=mode):
                return Client(http_transport(server.url), mode=mode, elicitation_callback=callback)

            await consent_scenarios(f"http {mode}", http, api, checks)
        sent = [r["headers"].get("authorization") for r in api.requests]
        checks.check("the MCP access token never reaches the API", all(TOKEN not in (h or "") for h in sent))
        await transport_rules(server, checks, api)
        await concurrency(server, api, checks)
    finally:
        server.close()


async def timeout(tiergen, api, checks):
    """No answer within --consent-timeout: a tool error, nothing sent (both eras)."""
    args = server_args(OPERATOR, api, "--consent-timeout", "1")
    for mode in ("legacy", "2026-07-28"):
        api.taken()
        params = StdioServerParameters(command=tiergen, args=args, env=environment())
        async with Client(params, mode=mode, elicitation_callback=answering("accept", "acme", delay=2.5)) as client:
            result = await client.call_tool(*DELETE)
        checks.check(
            f"stdio {mode}: a late answer is a tool error, nothing sent",
            result.is_error and "in time" in text_of(result) and api.taken() == [],
            text_of(result),
        )


def raw_post(url, headers):
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {}}).encode()
    request = urllib.request.Request(url, data=body, method="POST")
    request.add_header("content-type", "application/json")
    request.add_header("accept", "application/json, text/event-stream")
    request.add_header("mcp-protocol-version", "2025-11-25")
    for name, value in headers.items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


async def transport_rules(server, checks, api):
    api.taken()
    auth = {"authorization": f"Bearer {TOKEN}"}
    checks.check("a foreign Origin → 403", raw_post(server.url, {**auth, "origin": "https://evil.example"}) == 403)
    checks.check("a loopback Origin is let in", raw_post(server.url, {**auth, "origin": "http://localhost:3000"}) != 403)
    checks.check("no access token → 401", raw_post(server.url, {}) == 401)
    checks.check("a wrong access token → 401", raw_post(server.url, {"authorization": "Bearer nope"}) == 401)
    checks.check("a foreign Host → 403", raw_post(server.url, {**auth, "host": "evil.example"}) in (403, 421))
    checks.check("and nothing was dispatched", api.taken() == [])


async def concurrency(server, api, checks, clients=50, calls=20):
    api.taken()
    before = server.rss_kb()

    async def one(index):
        async with Client(http_transport(server.url), mode="legacy") as client:
            answers = []
            for _ in range(calls):
                result = await client.call_tool("list_orgs", {})
                answers.append(not result.is_error and result.structured_content == {"result": [{"slug": "acme"}]})
            return answers

    start = time.monotonic()
    results = await asyncio.gather(*(one(i) for i in range(clients)))
    took = time.monotonic() - start
    after = server.rss_kb()
    requests = api.taken()
    right = sum(sum(r) for r in results)
    checks.check(f"{clients} clients × {calls} calls: every answer right", right == clients * calls, f"{right}")
    checks.check(
        f"{clients * calls} requests reached the API, none lost or duplicated",
        len(requests) == clients * calls,
        f"{len(requests)}",
    )
    # A second round of the same load must not grow the server much further.
    await asyncio.gather(*(one(i) for i in range(clients)))
    again = server.rss_kb()
    api.taken()
    print(f"note  concurrency: {clients * calls} calls in {took:.1f} s; RSS {before} kB → {after} kB → {again} kB")
    checks.check("memory flat under a second round", again <= after * 1.25 + 4096, f"{before} {after} {again}")


async def startup_errors(tiergen, api, checks):
    def run(*args, env=None):
        return subprocess.run([tiergen, *args], env=env or environment(), capture_output=True, text=True, timeout=30)

    bind = run(*server_args(OPERATOR, api), "--http", "0.0.0.0:0")
    checks.check(
        "a non-loopback bind without a token is a startup error",
        bind.returncode == 2 and "access token" in bind.stderr,
        bind.stderr,
    )
    unknown = run(*server_args(OPERATOR, api), "--tools", "admin_delete_tenat")
    checks.check(
        "an unknown tool name is a startup error naming the nearest",
        unknown.returncode == 2 and "admin_delete_tenant" in unknown.stderr,
        unknown.stderr,
    )
    tag = run(*server_args(OPERATOR, api), "--tag", "no-such-tag")
    checks.check("an unknown tag is a startup error", tag.returncode == 2 and "no-such-tag" in tag.stderr, tag.stderr)


async def selection(tiergen, api, checks):
    manifest = json.loads(OPERATOR.read_text())

    async def listed(*more):
        params = StdioServerParameters(command=tiergen, args=server_args(OPERATOR, api, *more), env=environment())
        async with Client(params, mode="legacy") as client:
            return [tool.name for tool in (await client.list_tools()).tools]

    read_only = await listed("--read-only")
    expected = [t["name"] for t in manifest["tools"] if t["annotations"]["readOnlyHint"]]
    checks.check("--read-only lists only the read-only tools", read_only == expected and len(expected) > 0, f"{read_only}")
    globbed = await listed("--tools", "admin_list_*,admin_get_*", "--exclude", "admin_get_workspace_billing_mode")
    expected = [
        t["name"]
        for t in manifest["tools"]
        if re.match(r"admin_(list|get)_", t["name"]) and t["name"] != "admin_get_workspace_billing_mode"
    ]
    checks.check("--tools globs and --exclude", globbed == expected and len(expected) > 1, f"{globbed}")
    tag = manifest["tools"][0]["_meta"]["tiergen/route"]["tags"][0]
    tagged = await listed("--tag", tag)
    expected = [t["name"] for t in manifest["tools"] if tag in t["_meta"]["tiergen/route"].get("tags", [])]
    checks.check(f"--tag {tag}", tagged == expected, f"{tagged}")

    params = StdioServerParameters(command=tiergen, args=server_args(OPERATOR, api, "--discovery", "on"), env=environment())
    api.taken()
    async with Client(params, mode="legacy", elicitation_callback=answering("accept", "acme")) as client:
        names = [tool.name for tool in (await client.list_tools()).tools]
        checks.check("discovery mode lists three tools", names == ["find_tools", "describe_tool", "call_tool"], f"{names}")
        found = await client.call_tool("find_tools", {"query": "delete tenant"})
        matches = [m["name"] for m in found.structured_content["matches"]]
        checks.check("find_tools finds admin_delete_tenant first", matches[:1] == ["admin_delete_tenant"], f"{matches}")
        described = await client.call_tool("describe_tool", {"name": "admin_delete_tenant"})
        schema = next(t for t in manifest["tools"] if t["name"] == "admin_delete_tenant")["inputSchema"]
        checks.check("describe_tool gives the full input schema", described.structured_content["inputSchema"] == schema)
        called = await client.call_tool("call_tool", {"name": "admin_delete_tenant", "arguments": {"slug": "acme", "confirm": "acme"}})
        checks.check(
            "call_tool asks the person, then sends",
            not called.is_error and [r["method"] for r in api.taken()] == ["DELETE"],
            text_of(called),
        )
        bad = await client.call_tool("call_tool", {"name": "admin_delete_tenant", "arguments": {"slug": "acme"}})
        checks.check("call_tool validates the arguments", bad.is_error and "confirm" in text_of(bad) and api.taken() == [])


async def opt_out(tiergen, api, checks):
    api.taken()
    params = StdioServerParameters(command=tiergen, args=server_args(OPERATOR, api, "--no-elicitation"), env=environment())
    async with Client(params, mode="legacy") as client:
        wrong = await client.call_tool("admin_delete_tenant", {"slug": "acme", "confirm": "other"})
        right = await client.call_tool(*DELETE)
    requests = api.taken()
    checks.check("--no-elicitation: a wrong confirm argument is still refused", wrong.is_error, text_of(wrong))
    checks.check(
        "--no-elicitation: the right one is sent without asking",
        not right.is_error and [r["method"] for r in requests] == ["DELETE"],
        f"{requests}",
    )


async def retries(tiergen, api, checks):
    api.taken()
    api.scripts[("GET", "/api/v1/admin/orgs")] = [(503, {"error": "busy"}, {"retry-after": "1"})]
    api.scripts[("DELETE", "/api/v1/admin/tenants/acme")] = [(503, {"error": "busy"}, {"retry-after": "1"})]
    params = StdioServerParameters(command=tiergen, args=server_args(OPERATOR, api), env=environment())
    async with Client(params, mode="legacy", elicitation_callback=answering("accept", "acme")) as client:
        listed = await client.call_tool("list_orgs", {})
        first = api.taken()
        deleted = await client.call_tool(*DELETE)
        second = api.taken()
    waited = first[1]["at"] - first[0]["at"] if len(first) == 2 else 0
    checks.check(
        "a GET answered 503 Retry-After: 1 is retried once, after the wait",
        not listed.is_error and len(first) == 2 and waited >= 0.95,
        f"{len(first)} {waited:.2f}",
    )
    checks.check(
        "a confirmed call answered 503 is not repeated",
        deleted.is_error and "503" in text_of(deleted) and len(second) == 1,
        f"{text_of(deleted)} {second}",
    )


async def main(tiergen):
    api = FakeApi(answers())
    checks = Checks()
    await stdio_and_http(tiergen, api, checks)
    await timeout(tiergen, api, checks)
    await startup_errors(tiergen, api, checks)
    await selection(tiergen, api, checks)
    await opt_out(tiergen, api, checks)
    await retries(tiergen, api, checks)
    api.close()
    print(f"guarded: {checks.passed} passed, {checks.failed} failed")
    return 0 if checks.failed == 0 and checks.passed > 0 else 1


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(asyncio.run(asyncio.wait_for(main(sys.argv[1]), timeout=600)))
