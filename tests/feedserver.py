"""A feed server on 127.0.0.1 whose feeds grow while a stream polls them.

Each feed answers with an ETag and a Last-Modified and honours If-None-Match /
If-Modified-Since with 304, and counts what it answered.  Entries carry full content,
so no article page is fetched.  Used by the stream and lock tests and by
bench/stream_latency.py (which records when each entry first appeared).
"""
from __future__ import annotations

import hashlib
import threading
import time
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests import builders as b


def story(i: int, topic: str = "feed") -> dict:
    """A distinct article (own URL, own body) numbered i."""
    base = b.STORIES[i % len(b.STORIES)]
    s = dict(base)
    s["slug"] = f"{topic}-{base['slug']}-{i}"
    s["title"] = f"{base['title']} ({topic} {i})"
    s["paragraphs"] = [p + f" Report {topic} number {i}." for p in base["paragraphs"]]
    return s


class Feed:
    def __init__(self, stories=()):
        self.stories = list(stories)
        self.added_at: dict[str, float] = {}      # url -> wall time it first appeared
        self.failing: int | None = None           # HTTP status to answer instead, while set
        self.delay = 0.0                          # seconds to wait before answering
        self.served = {"200": 0, "304": 0, "error": 0}
        self.modified = time.time()
        self._doc, self._etag = None, None
        for s in self.stories:
            self.added_at[b.url_of(s)] = time.time()

    def add(self, s):
        self.stories.append(s)
        self.added_at[b.url_of(s)] = time.time()
        self.modified = time.time()
        self._doc = None

    def document(self) -> tuple[bytes, str]:
        if self._doc is None:
            self._doc = b.rss(self.stories).encode("utf-8")
            self._etag = '"' + hashlib.sha1(self._doc).hexdigest()[:16] + '"'
        return self._doc, self._etag


class FeedServer:
    """feeds: path -> Feed.  `requests` logs (path, status, If-None-Match sent)."""

    def __init__(self, feeds: dict[str, Feed]):
        self.feeds = feeds
        self.requests: list[tuple[str, int, str | None]] = []
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                feed = server.feeds.get(self.path)
                if feed is not None and feed.delay:
                    time.sleep(feed.delay)
                with server.lock:
                    status, headers, body = server._answer(self.path, self.headers)
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def _answer(self, path, req_headers):
        feed = self.feeds.get(path)
        if feed is None:
            self.requests.append((path, 404, None))
            return 404, {"Content-Type": "text/plain"}, b""
        if feed.failing:
            feed.served["error"] += 1
            self.requests.append((path, feed.failing, None))
            return feed.failing, {"Content-Type": "text/plain"}, b"no"
        doc, etag = feed.document()
        last_modified = formatdate(int(feed.modified), usegmt=True)
        inm = req_headers.get("If-None-Match")
        ims = req_headers.get("If-Modified-Since")
        if (inm and inm == etag) or (not inm and ims and ims == last_modified):
            feed.served["304"] += 1
            self.requests.append((path, 304, inm))
            return 304, {"ETag": etag, "Last-Modified": last_modified}, b""
        feed.served["200"] += 1
        self.requests.append((path, 200, inm))
        return 200, {"Content-Type": "application/rss+xml; charset=utf-8", "ETag": etag,
                     "Last-Modified": last_modified}, doc

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
