"""A real HTTP server on 127.0.0.1 for fetch tests, with scripted misbehaviour per path."""
from __future__ import annotations

import gzip
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Route:
    """What one path answers: a list of responses, one per request (the last repeats)."""

    def __init__(self, *responses):
        self.responses = list(responses)
        self.hits = 0

    def next(self):
        r = self.responses[min(self.hits, len(self.responses) - 1)]
        self.hits += 1
        return r


def ok(body, ctype="text/html; charset=utf-8", headers=None):
    return {"status": 200, "body": body, "ctype": ctype, "headers": headers or {}}


def status(code, headers=None, body=b""):
    return {"status": code, "body": body, "ctype": "text/plain", "headers": headers or {}}


def redirect(location, code=302):
    return {"status": code, "body": b"", "ctype": "text/plain", "headers": {"Location": location}}


def drip(body, delay):
    return {"status": 200, "body": body, "ctype": "text/html", "headers": {}, "drip": delay}


def stall(seconds):
    return {"status": 200, "body": b"", "ctype": "text/html", "headers": {}, "stall": seconds}


def gzipped(body: bytes):
    return {"status": 200, "body": gzip.compress(body), "ctype": "text/html",
            "headers": {"Content-Encoding": "gzip"}}


class LoopbackServer:
    def __init__(self, routes: dict[str, Route]):
        self.routes = routes
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                route = server.routes.get(self.path)
                if route is None:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                r = route.next()
                if r.get("stall"):
                    time.sleep(r["stall"])
                body = r["body"].encode("utf-8") if isinstance(r["body"], str) else r["body"]
                self.send_response(r["status"])
                self.send_header("Content-Type", r["ctype"])
                for k, v in r["headers"].items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    if r.get("drip"):
                        for i in range(0, len(body), 16):
                            self.wfile.write(body[i:i + 16])
                            self.wfile.flush()
                            time.sleep(r["drip"])
                    else:
                        self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
