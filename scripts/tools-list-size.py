#!/usr/bin/env python3
"""How big `tools/list` is for one manifest, with and without discovery mode:
the bytes of the JSON-RPC answer `tiergen mcp serve` writes over stdio, as a
model's context would receive it. Standard library only.

Usage: scripts/tools-list-size.py PATH/TO/tiergen MANIFEST
Prints one line per mode: `discovery off: N tools, B bytes`.
"""

import json
import subprocess
import sys


def listed(tiergen, manifest, discovery):
    process = subprocess.Popen(
        [tiergen, "mcp", "serve", "--manifest", manifest, "--discovery", discovery],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )

    def send(message):
        process.stdin.write(json.dumps(message).encode() + b"\n")
        process.stdin.flush()

    send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "size", "version": "1"}}})
    if not process.stdout.readline():
        sys.exit(f"the server did not start: {process.stderr.read().decode()}")
    send({"jsonrpc": "2.0", "method": "notifications/initialized"})
    send({"jsonrpc": "2.0", "id": 2, "method": "tools/list", "params": {}})
    answer = process.stdout.readline()
    process.stdin.close()
    process.wait(timeout=60)
    tools = json.loads(answer)["result"]["tools"]
    return len(tools), len(answer)


def main(tiergen, manifest):
    for discovery in ("off", "on"):
        count, size = listed(tiergen, manifest, discovery)
        print(f"discovery {discovery}: {count} tools, {size:,} bytes")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    main(sys.argv[1], sys.argv[2])
