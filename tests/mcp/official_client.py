"""Drives `tiergen mcp serve` with the official MCP Python SDK (`mcp` on PyPI),
a client nobody here wrote, against a fake API on 127.0.0.1 that records
every request it receives.

Usage: python tests/mcp/official_client.py PATH/TO/tiergen
Prints one line per check and closes with `mcp: N passed, N failed`.
"""

import asyncio
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from fake_api import Checks, FakeApi  # noqa: E402

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client
from mcp_types import ElicitResult

ROOT = Path(__file__).resolve().parents[2]
ORG_KEY_MANIFEST = ROOT / "golden/mcp/org-api-key.json"
OPERATOR_MANIFEST = ROOT / "golden/mcp/cp-admin-bearer.json"
SESSION_MANIFEST = ROOT / "golden/mcp/workos-session.json"


def answers():
    """What the fake API answers, by method and path."""
    return {
        ("GET", "/workspaces"): (200, [{"id": "00000000-0000-0000-0000-000000000001", "name": "alpha"}]),
        ("DELETE", "/api/v1/admin/tenants/acme"): (200, {"ok": True, "purged": "acme"}),
        ("GET", "/api/v1/orgs"): (200, [{"id": "o1", "slug": "acme", "name": "Acme", "plan": "free", "status": "active"}]),
    }


def server_params(tiergen, manifest, base_url, env, more_base_urls=()):
    # Only what the server needs: no credential of the test's own shell leaks in.
    environment = {"PATH": os.environ.get("PATH", "")}
    environment.update(env)
    return StdioServerParameters(
        command=tiergen,
        args=["mcp", "serve", "--manifest", str(manifest), "--base-url", base_url]
        + [arg for url in more_base_urls for arg in ("--base-url", url)],
        env=environment,
    )


def text_of(result):
    return " ".join(getattr(block, "text", "") for block in result.content)


async def org_key_server(tiergen, api, checks):
    env = {"MOLECULE_ORG_API_KEY": "org-key-1", "MOLECULE_ORG_ID": "org-uuid-1"}
    manifest = json.loads(ORG_KEY_MANIFEST.read_text())
    async with stdio_client(server_params(tiergen, ORG_KEY_MANIFEST, f"tenant={api.url}", env)) as (read, write):
        async with ClientSession(read, write) as session:
            init = await session.initialize()
            checks.check("initialize names the server", "orgApiKey" in init.server_info.name, init.server_info.name)

            listed = await session.list_tools()
            names = [tool.name for tool in listed.tools]
            checks.check(
                "tools/list is the manifest's tools",
                names == [tool["name"] for tool in manifest["tools"]],
                f"{names}",
            )
            by_name = {tool.name: tool for tool in listed.tools}
            checks.check(
                "inputSchema arrives unchanged",
                by_name["provision_workspace"].input_schema
                == next(t for t in manifest["tools"] if t["name"] == "provision_workspace")["inputSchema"],
            )
            checks.check(
                "annotations arrive (delete is destructive)",
                by_name["deprovision_workspace"].annotations.destructive_hint is True,
            )

            api.requests.clear()
            result = await session.call_tool("list_workspaces", {})
            checks.check("list_workspaces succeeds", not result.is_error, text_of(result))
            checks.check(
                "its answer is structured content",
                result.structured_content == {"result": [{"id": "00000000-0000-0000-0000-000000000001", "name": "alpha"}]},
                f"{result.structured_content}",
            )
            request = api.requests[0] if len(api.requests) == 1 else {}
            checks.check("exactly one request reached the API", len(api.requests) == 1, f"{api.requests}")
            checks.check(
                "GET /workspaces",
                (request.get("method"), request.get("path")) == ("GET", "/workspaces"),
                f"{request}",
            )
            headers = request.get("headers", {})
            checks.check("org key sent as bearer", headers.get("authorization") == "Bearer org-key-1", f"{headers}")
            checks.check("routing header X-Molecule-Org-Id sent", headers.get("x-molecule-org-id") == "org-uuid-1")
            checks.check(
                "no other credential or routing header sent",
                not any(h in headers for h in ("cookie", "x-molecule-org-slug", "x-molecule-admin-token")),
                f"{headers}",
            )

            api.requests.clear()
            result = await session.call_tool("get_workspace", {})
            checks.check(
                "missing required argument is a tool error",
                result.is_error and "id" in text_of(result),
                text_of(result),
            )
            checks.check("and nothing was sent", api.requests == [], f"{api.requests}")

            result = await session.call_tool("get_workspace", {"id": "not-a-uuid"})
            checks.check("a malformed uuid is a tool error", result.is_error and "uuid" in text_of(result), text_of(result))
            result = await session.call_tool(
                "delete_workspace_secret", {"id": "00000000-0000-0000-0000-000000000001", "key": ".."}
            )
            checks.check("a `..` path segment is refused", result.is_error and ".." in text_of(result), text_of(result))
            checks.check("and neither reached the API", api.requests == [], f"{api.requests}")

            failed = await session.call_tool("list_org_tokens", {})
            checks.check(
                "an API error is a tool error with status and message",
                failed.is_error and "404" in text_of(failed) and "no such route" in text_of(failed),
                text_of(failed),
            )


async def agree_with_slug(context, params):
    """The person agrees and types the slug the form asks for."""
    fields = list((params.requested_schema or {}).get("properties", {}))
    return ElicitResult(action="accept", content={field: "acme" for field in fields})


async def operator(tiergen, api, checks):
    env = {"MOLECULE_CP_ADMIN_BEARER": "admin-1"}
    async with stdio_client(server_params(tiergen, OPERATOR_MANIFEST, api.url, env)) as (read, write):
        async with ClientSession(read, write, elicitation_callback=agree_with_slug) as session:
            await session.initialize()
            api.requests.clear()
            wrong = await session.call_tool("admin_delete_tenant", {"slug": "acme", "confirm": "other"})
            checks.check("a wrong confirm is a tool error", wrong.is_error and "confirm" in text_of(wrong), text_of(wrong))
            checks.check("and the API received nothing", api.requests == [], f"{api.requests}")

            right = await session.call_tool("admin_delete_tenant", {"slug": "acme", "confirm": "acme"})
            checks.check("the right confirm succeeds", not right.is_error, text_of(right))
            checks.check(
                "its answer is the API's object",
                right.structured_content == {"ok": True, "purged": "acme"},
                f"{right.structured_content}",
            )
            request = api.requests[0] if len(api.requests) == 1 else {}
            checks.check(
                "DELETE /api/v1/admin/tenants/acme",
                (request.get("method"), request.get("path")) == ("DELETE", "/api/v1/admin/tenants/acme"),
                f"{api.requests}",
            )
            checks.check(
                "with the admin bearer",
                request.get("headers", {}).get("authorization") == "Bearer admin-1",
            )
            checks.check("and the confirm body", request.get("body") == {"confirm": "acme"}, f"{request.get('body')}")

    async with stdio_client(server_params(tiergen, OPERATOR_MANIFEST, api.url, {})) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            api.requests.clear()
            result = await session.call_tool("admin_list_thin_ami", {})
            checks.check(
                "a missing credential names its variable",
                result.is_error and "MOLECULE_CP_ADMIN_BEARER" in text_of(result),
                text_of(result),
            )
            checks.check("and nothing was sent", api.requests == [], f"{api.requests}")


async def session_on_two_services(tiergen, control_plane, tenant, checks):
    """One manifest, two services: each tool goes to its own service's host."""
    env = {"MOLECULE_WORKOS_SESSION": "sess-1", "MOLECULE_ORG_SLUG": "acme"}
    params = server_params(
        tiergen, SESSION_MANIFEST, f"control-plane={control_plane.url}", env, [f"tenant={tenant.url}"]
    )
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            control_plane.requests.clear()
            tenant.requests.clear()
            orgs = await session.call_tool("list_orgs", {})
            workspaces = await session.call_tool("list_workspaces", {})
            checks.check("both calls succeed", not orgs.is_error and not workspaces.is_error, text_of(orgs) + text_of(workspaces))
            checks.check(
                "the control-plane tool went to the control plane",
                [r["path"] for r in control_plane.requests] == ["/api/v1/orgs"],
                f"{control_plane.requests}",
            )
            checks.check(
                "the tenant tool went to the tenant host",
                [r["path"] for r in tenant.requests] == ["/workspaces"],
                f"{tenant.requests}",
            )
            sent = tenant.requests[0]["headers"] if tenant.requests else {}
            checks.check(
                "the session alternative sends the cookie and the slug header",
                sent.get("cookie") == "mcp_session=sess-1"
                and sent.get("x-molecule-org-slug") == "acme"
                and "x-molecule-org-id" not in sent
                and "authorization" not in sent,
                f"{sent}",
            )


async def main(tiergen):
    api = FakeApi(answers())
    other = FakeApi(answers())
    checks = Checks()
    await org_key_server(tiergen, api, checks)
    await operator(tiergen, api, checks)
    await session_on_two_services(tiergen, api, other, checks)
    api.close()
    other.close()
    print(f"mcp: {checks.passed} passed, {checks.failed} failed")
    return 0 if checks.failed == 0 and checks.passed > 0 else 1


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(asyncio.run(asyncio.wait_for(main(sys.argv[1]), timeout=120)))
