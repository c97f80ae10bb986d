"""Drives `tiergen mcp serve` for the styles fixture (tests/fixtures/styles/)
with the official MCP Python SDK: every row of OpenAPI 3.1.1's Style Examples
table goes out as exactly the bytes the table shows, and a user with a
readOnly `id` and a writeOnly `password` is created, the answer (without the
password) accepted by the SDK's own validation of the tool's outputSchema.

Usage: python tests/mcp/styles.py PATH/TO/tiergen
Prints one line per check and closes with `styles: N passed, N failed`.
"""

import asyncio
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from mcp import ClientSession
from mcp.client.stdio import stdio_client

from official_client import server_params

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from fake_api import Checks, FakeApi  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests/fixtures/styles"


def received(api, case):
    """What the case's parameter looked like in the request the API received."""
    if not api.requests:
        return None
    request = api.requests[-1]
    where = case["in"]
    if where in ("path", "query"):
        return request["path"]
    return request["headers"].get("color" if where == "header" else "cookie")


def expected(case):
    path = "/" + case["operation"].replace("_", "-")
    return {
        "path": f"{path}/{case['expected']}",
        "query": f"{path}?{case['expected']}",
    }.get(case["in"], case["expected"])


async def run(tiergen, out, checks):
    api = FakeApi({})
    api.answers[("POST", "/users")] = (201, {"id": "u1", "email": "a@example.com"})
    manifest = out / "mcp/public.json"
    async with stdio_client(server_params(tiergen, manifest, api.url, {})) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            tools = {tool.name: tool for tool in (await session.list_tools()).tools}
            cases = json.loads((FIXTURE / "cases.json").read_text())
            for case in cases:
                await session.call_tool(case["operation"], {"color": case["value"]})
                got = received(api, case)
                checks.check(
                    f"{case['in']} {case['style']} explode={case['explode']} {case['type']}",
                    got == expected(case),
                    f"sent {got!r}, the table says {expected(case)!r}",
                )
            create = tools["create_user"]
            checks.check(
                "the input schema has no readOnly id",
                "id" not in create.input_schema.get("properties", {}),
                f"{create.input_schema}",
            )
            result = await session.call_tool(
                "create_user", {"email": "a@example.com", "password": "hunter2"}
            )
            checks.check(
                "an answer without the writeOnly password is valid structured content",
                not result.is_error and (result.structured_content or {}).get("id") == "u1",
                f"{result}",
            )
            body = api.requests[-1]["body"] if api.requests else None
            checks.check(
                "the request carries the writeOnly password and no id",
                body == {"email": "a@example.com", "password": "hunter2"},
                f"{body}",
            )
    api.server.shutdown()


async def main(tiergen):
    checks = Checks()
    with tempfile.TemporaryDirectory() as out:
        subprocess.run(
            [tiergen, "generate", "--spec", str(FIXTURE / "styles.yaml"), "--out", out, "--only", "mcp"],
            check=True,
            capture_output=True,
        )
        await run(tiergen, Path(out), checks)
    print(f"styles: {checks.passed} passed, {checks.failed} failed")
    return 0 if checks.failed == 0 and checks.passed > 0 else 1


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(asyncio.run(asyncio.wait_for(main(sys.argv[1]), timeout=120)))
