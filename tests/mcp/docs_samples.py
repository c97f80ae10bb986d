"""Calls every MCP sample of the docs pages through `tiergen mcp serve` with
the official MCP Python SDK (`mcp` on PyPI), against a fake API on 127.0.0.1,
and checks that the request the API receives is the one the page's HTTP
sample shows: method, path and query, body, and the manifest's own
credential.

For the management spec and every breadth fixture: each is generated into a
temporary folder with `tiergen generate`, and its pages are read back.

Usage: python tests/mcp/docs_samples.py PATH/TO/tiergen
Prints one line per failed check and closes with
`mcp docs samples: N passed, N failed`.
"""

import asyncio
import base64
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from mcp import ClientSession, StdioServerParameters
from mcp_types import ElicitResult
from mcp.client.stdio import stdio_client

ROOT = Path(__file__).resolve().parents[2]

# A status no operation documents: every call is answered as a tool error,
# so the client checks no answer against an output schema. What matters
# here is the request.
FAKE_STATUS = 418

BLOCK = re.compile(r'^(`{3,})(\w+) title="([^"]*)"\n(.*?)\n\1$', re.M | re.S)
OPERATION = re.compile(r"· operation (?:(`+) ?(.*?) ?\1|\(empty\))\s*$", re.M)


def secret(var):
    """The value of `$VAR` in these tests, as in tests/docs/docs_samples.rs."""
    return f"id-{var.lower()}:secret"


def substituted(text):
    return re.sub(r"\$([A-Z_][A-Z0-9_]*)", lambda m: secret(m.group(1)), text)


class FakeApi:
    def __init__(self):
        self.requests = []
        api = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self):
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length) if length else b""
                api.requests.append(
                    {
                        "method": self.command,
                        "path": self.path,
                        "headers": {k.lower(): v for k, v in self.headers.items()},
                        "body": body,
                    }
                )
                data = b'{"error":"fake"}'
                self.send_response(FAKE_STATUS)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = _answer

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def sections(markdown):
    """(operation id, {title: code}) for each `## ` section with samples."""
    out = []
    for chunk in re.split(r"^## ", markdown, flags=re.M)[1:]:
        blocks = {title: code for _, _, title, code in BLOCK.findall(chunk)}
        found = OPERATION.search(chunk)
        if blocks and found:
            out.append((found.group(2) or "", blocks))
    return out


def http_sample(code):
    head, _, body = code.partition("\n\n")
    lines = [l for l in head.splitlines() if not l.startswith("#")]
    method, target, _ = lines[0].split(" ", 2)
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(": ")
        if name.lower() != "host":  # the fake API's own, here
            headers[name.lower()] = value
    return method, substituted(target), headers, body or None


def query_without(target, names):
    """The target without the query parameters `names` (credentials)."""
    path, _, query = target.partition("?")
    kept = [p for p in query.split("&") if p and p.split("=")[0] not in names]
    return path + ("?" + "&".join(kept) if kept else "")


class Checks:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, name, ok, detail=""):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            print(f"FAIL  {name} {detail}")


def server_params(tiergen, manifest, base_urls, env):
    environment = {"PATH": os.environ.get("PATH", "")}
    environment.update(env)
    args = ["mcp", "serve", "--manifest", str(manifest)]
    for url in base_urls:
        args += ["--base-url", url]
    return StdioServerParameters(command=tiergen, args=args, env=environment)


def manifest_setup(manifest, fake_url):
    """The environment and base URLs a manifest's server needs here."""
    server = manifest["_meta"]["tiergen/server"]
    env = {}
    for credential in server.get("credentials", {}).values():
        env[credential["env"]] = secret(credential["env"])
    for header in server.get("routing", {}).values():
        env[header["env"]] = secret(header["env"])
    base_urls = []
    for service_id, service in server.get("services", {}).items():
        parts = urlsplit(service["base_url"])
        prefix = parts.path.rstrip("/") if parts.netloc else service["base_url"].rstrip("/")
        base_urls.append(f"{service_id}={fake_url}{prefix}")
    return env, base_urls


def credential_headers(manifest):
    """What the manifest's own credentials put in a request: header → value,
    and the query parameters that carry one."""
    server = manifest["_meta"]["tiergen/server"]
    headers, query = {}, set()
    for credential in server.get("credentials", {}).values():
        value = secret(credential["env"])
        where = credential.get("in")
        if where == "bearer":
            headers["authorization"] = f"Bearer {value}"
        elif where == "header":
            headers[credential["name"].lower()] = value
        elif where == "query":
            query.add(credential["name"])
        elif where == "basic":
            user, _, password = value.partition(":")
            headers["authorization"] = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
    for header in server.get("routing", {}).values():
        headers[header["header"].lower()] = secret(header["env"])
    return headers, query


async def agree(context, params):
    """The person agrees to each sample's call, typing the value the form
    shows where it asks for one (the slug of a confirm guard)."""
    properties = (params.requested_schema or {}).get("properties", {})
    content = {name: field.get("description", "").strip("`") for name, field in properties.items()}
    return ElicitResult(action="accept", content=content)


async def run_manifest(tiergen, manifest_path, calls, api, checks):
    manifest = json.loads(manifest_path.read_text())
    env, base_urls = manifest_setup(manifest, api.url)
    own_headers, credential_query = credential_headers(manifest)
    async with stdio_client(server_params(tiergen, manifest_path, base_urls, env)) as (read, write):
        async with ClientSession(read, write, elicitation_callback=agree) as session:
            await session.initialize()
            listed = {t.name for t in (await session.list_tools()).tools}
            for name, call, http in calls:
                checks.check(f"{name}: the manifest lists {call['name']}", call["name"] in listed)
                api.requests.clear()
                result = await session.call_tool(call["name"], call["arguments"])
                got = api.requests
                said = " ".join(getattr(b, "text", "") for b in result.content)
                if not got and "needs a TLS client certificate" in said:
                    # mcp serve cannot present one, and says so; a host that can sends the call.
                    checks.check(f"{name}: refused for its client certificate", result.is_error, said)
                    continue
                checks.check(
                    f"{name}: one request reached the API",
                    len(got) == 1,
                    f"{len(got)} requests; tool said {' '.join(getattr(b, 'text', '') for b in result.content)}",
                )
                if len(got) != 1:
                    continue
                request = got[0]
                method, target, headers, body = http
                checks.check(f"{name}: method", request["method"] == method, f"{request['method']} vs {method}")
                # Query credentials differ by manifest; the rest of the target must not.
                sample_credentials = {
                    p.split("=")[0] for p in target.partition("?")[2].split("&") if "id-" in p
                }
                checks.check(
                    f"{name}: path and query",
                    unquote(query_without(request["path"], credential_query | sample_credentials))
                    == unquote(query_without(target, credential_query | sample_credentials)),
                    f"{request['path']} vs {target}",
                )
                # A public operation sends no credential in any manifest.
                sends_credential = "$" in "".join(headers.values()) or bool(sample_credentials)
                for header, value in own_headers.items():
                    if sends_credential and header in headers:
                        checks.check(
                            f"{name}: {header}",
                            request["headers"].get(header) == value,
                            f"{request['headers'].get(header)} vs {value}",
                        )
                for header, value in headers.items():
                    if "$" in value or header in ("authorization", "cookie"):
                        continue  # a credential: the manifest's own is checked above
                    received = request["headers"].get(header, "")
                    checks.check(
                        f"{name}: header {header}",
                        # A multipart boundary is the sender's own.
                        received.split(";")[0].strip() == value.split(";")[0].strip()
                        if header == "content-type"
                        else received == value,
                        f"{received} vs {value}",
                    )
                if body is not None and "json" in headers.get("content-type", ""):
                    try:
                        same = json.loads(request["body"]) == json.loads(body)
                    except ValueError:
                        same = False
                    checks.check(f"{name}: body", same, f"{request['body']!r} vs {body!r}")


async def run_spec(tiergen, spec, overlay, api, checks):
    with tempfile.TemporaryDirectory() as out:
        args = [tiergen, "generate", "--spec", str(spec), "--out", out]
        if not overlay:
            args.append("--no-overlay")
        subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
        by_manifest = {}
        samples = 0
        for page in sorted(Path(out, "docs").glob("*.md")):
            for op, blocks in sections(page.read_text()):
                http = http_sample(blocks["HTTP"])
                for title, code in blocks.items():
                    if title.startswith("MCP: "):
                        call = json.loads(code)
                        name = f"{spec.name}: {op} via {title[5:]}"
                        by_manifest.setdefault(title[5:], []).append((name, call, http))
                        samples += 1
        for manifest, calls in sorted(by_manifest.items()):
            await run_manifest(tiergen, Path(out, "mcp", manifest), calls, api, checks)
        return samples


async def main(tiergen):
    api = FakeApi()
    checks = Checks()
    specs = [(ROOT / "spec/management.yaml", True)]
    specs += [(p, False) for p in sorted((ROOT / "tests/fixtures/breadth").glob("*.yaml"))]
    total = 0
    for spec, overlay in specs:
        total += await run_spec(tiergen, spec, overlay, api, checks)
    checks.check("the management spec and the fixtures have MCP samples", total >= 60, f"{total}")
    print(f"{total} MCP samples called")
    print(f"mcp docs samples: {checks.passed} passed, {checks.failed} failed")
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1])))
