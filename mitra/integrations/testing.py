"""A fake HTTP server for provider tests: `with http_server() as server:` then read
`server.requests`; `server.fail_next = 2` answers 500 to the next two requests.

It runs in a thread on a free port of 127.0.0.1, so a provider posts exactly as in
production (urllib, real sockets) and the test reads what arrived.
"""

import json
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Recorder:
    def __init__(self):
        self.requests = []  # (path, headers with lower-case names, body bytes)
        self.fail_next = 0
        self.fail_status = 500
        self.lock = threading.Lock()
        self.url = ""

    def json(self):
        return [json.loads(body) for _path, _headers, body in self.requests]

    def unique(self, header):
        """Deliveries as a receiver that drops repeats of `header` sees them."""
        seen = []
        for _path, headers, _body in self.requests:
            if headers.get(header) not in seen:
                seen.append(headers.get(header))
        return seen


def _handler(recorder):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            with recorder.lock:
                failing = recorder.fail_next > 0
                if failing:
                    recorder.fail_next -= 1
                else:
                    recorder.requests.append(
                        (self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                    )
            status = recorder.fail_status if failing else 200
            answer = b'{"error": "try later"}' if failing else b'{"ok": true}'
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args):  # quiet
            pass

    return Handler


@contextmanager
def http_server():
    recorder = Recorder()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(recorder))
    recorder.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield recorder
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
