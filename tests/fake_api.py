"""What the Python end-to-end scripts share: a fake API on 127.0.0.1 that
answers from a table and records every request, and the check counter
that prints one line per check. Standard library only.
"""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeApi:
    """Answers `(METHOD, path)` from `answers` (404 otherwise) and records
    each request: method, path, lower-cased headers, JSON body, arrival
    time. `scripts[(METHOD, path)]` is a list of `(status, payload,
    headers)` answered first, one per request, before the table."""

    def __init__(self, answers):
        self.requests = []
        self.answers = answers
        self.scripts = {}
        self.lock = threading.Lock()
        api = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _answer(self):
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length) if length else b""
                status, payload, headers = api._record(self, body)
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _answer

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def _record(self, handler, body):
        route = (handler.command, handler.path)
        with self.lock:
            self.requests.append(
                {
                    "method": handler.command,
                    "path": handler.path,
                    "headers": {k.lower(): v for k, v in handler.headers.items()},
                    "body": json.loads(body) if body else None,
                    "at": time.monotonic(),
                }
            )
            script = self.scripts.get(route)
            if script:
                return script.pop(0)
        status, payload = self.answers.get(route, (404, {"error": "no such route"}))
        return status, payload, {}

    def taken(self):
        """The requests recorded since the last call, and forget them."""
        with self.lock:
            taken, self.requests = self.requests, []
        return taken

    def close(self):
        self.server.shutdown()


class Checks:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, name, ok, detail=""):
        if ok:
            self.passed += 1
            print(f"ok    {name}")
        else:
            self.failed += 1
            print(f"FAIL  {name} {detail}")
