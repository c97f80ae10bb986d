"""FastMCP's side of the MCP comparison: read an OpenAPI document (JSON or YAML),
build a server with `FastMCP.from_openapi`, list its tools and write them as one
MCP `tools/list` JSON file.

    python fastmcp_tools.py SPEC OUT.json
"""

import asyncio
import json
import sys

from fastmcp import FastMCP


def load(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if path.endswith(".json") or text.lstrip().startswith("{"):
        return json.loads(text)
    import yaml

    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


async def main(spec_path, out_path):
    server = FastMCP.from_openapi(load(spec_path))
    tools = await server.list_tools()
    listed = []
    for tool in tools:
        mcp_tool = tool.to_mcp_tool() if hasattr(tool, "to_mcp_tool") else tool
        if hasattr(mcp_tool, "model_dump"):
            listed.append(mcp_tool.model_dump(mode="json", exclude_none=True, by_alias=True))
        else:
            listed.append(mcp_tool)
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump({"tools": listed}, f, indent=2)
    print(f"fastmcp: {len(listed)} tools")


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2]))
