"""HTTP fetching for feed URLs and feed links that carry no content.

Standard library only (http.client), because every guard has to sit inside the
connection: the address is checked after DNS and the socket connects to exactly that
address (no re-resolution between check and connect), every redirect hop is checked
again, bodies are read with a byte cap and a wall-clock limit, and gzip is inflated
with a bound.  Failures raise FetchError with a stable reason code.
"""
from __future__ import annotations

import http.client
import ipaddress
import random
import socket
import ssl
import threading
import time
import urllib.robotparser
import zlib
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

from pipeline.config import FetchOptions
from pipeline.decode import charset_of

RETRY_STATUS = {429, 500, 502, 503, 504}


class FetchError(Exception):
    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


@dataclass
class Response:
    url: str                 # final URL after redirects
    status: int
    content_type: str
    charset: str | None
    body: bytes
    headers: dict = field(default_factory=dict)   # lower-cased response headers


def _is_public(ip: str) -> bool:
    addr = ipaddress.ip_address(ip)
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped:
        addr = addr.ipv4_mapped
    return addr.is_global and not addr.is_multicast


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host, port, ip, timeout):
        super().__init__(host, port, timeout=timeout)
        self._ip = ip

    def connect(self):
        self.sock = socket.create_connection((self._ip, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host, port, ip, timeout):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._ip = ip

    def connect(self):
        sock = socket.create_connection((self._ip, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def _retry_after(value: str | None, cap: float) -> float | None:
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            seconds = parsedate_to_datetime(value).timestamp() - time.time()
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
    return max(0.0, min(seconds, cap))


class Fetcher:
    """One per worker (built in DoFn.setup): keeps robots.txt and politeness state."""

    def __init__(self, options: FetchOptions):
        self.o = options
        self._robots: dict[str, urllib.robotparser.RobotFileParser | None] = {}
        self._last_hit: dict[str, float] = {}
        self._lock = threading.Lock()
        self.sleep = time.sleep

    # -- one request -------------------------------------------------------------
    def _resolve(self, host: str, port: int) -> str:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as e:
            raise FetchError("fetch_dns_error", f"{host}: {e}") from None
        ips = [info[4][0] for info in infos]
        if not self.o.allow_private_addresses:
            blocked = [ip for ip in ips if not _is_public(ip)]
            if blocked:
                raise FetchError("fetch_blocked_address", f"{host} resolves to {blocked[0]}")
        return ips[0]

    def _polite(self, host: str):
        if self.o.per_host_delay <= 0:
            return
        with self._lock:
            wait = self._last_hit.get(host, 0.0) + self.o.per_host_delay - time.monotonic()
            self._last_hit[host] = time.monotonic() + max(wait, 0.0)
        if wait > 0:
            self.sleep(wait)

    def _request(self, url: str, deadline: float, max_bytes: int, extra_headers: dict | None = None):
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https"):
            raise FetchError("fetch_bad_scheme", f"only http and https are fetched: {url[:200]}")
        host = parts.hostname
        if not host:
            raise FetchError("fetch_bad_url", url[:200])
        try:
            port = parts.port or (443 if scheme == "https" else 80)
        except ValueError:
            raise FetchError("fetch_bad_url", url[:200]) from None
        ip = self._resolve(host, port)
        self._polite(host)
        cls = _PinnedHTTPSConnection if scheme == "https" else _PinnedHTTPConnection
        timeout = max(0.1, min(self.o.timeout, deadline - time.monotonic()))
        conn = cls(host, port, ip, timeout)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        try:
            conn.request("GET", path, headers={
                "User-Agent": self.o.user_agent, "Accept-Encoding": "gzip",
                "Accept": "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
                          "application/xml;q=0.9,*/*;q=0.8", **(extra_headers or {})})
            resp = conn.getresponse()
            headers = {k.lower(): v for k, v in resp.getheaders()}
            body = b""
            if resp.status < 300 or resp.status >= 400:
                body = self._read_capped(resp, deadline, max_bytes)
            return resp.status, headers, body
        except FetchError:
            raise
        except socket.timeout:
            raise FetchError("fetch_timeout", url[:200]) from None
        except ssl.SSLError as e:
            raise FetchError("fetch_tls_error", str(e)[:200]) from None
        except (ConnectionError, OSError, http.client.HTTPException) as e:
            raise FetchError("fetch_connection_error", f"{type(e).__name__}: {e}"[:300]) from None
        finally:
            conn.close()

    def _read_capped(self, resp, deadline: float, max_bytes: int) -> bytes:
        declared = resp.getheader("Content-Length")
        if declared and declared.isdigit() and int(declared) > max_bytes:
            raise FetchError("too_large", f"Content-Length {declared} > {max_bytes}")
        chunks, size = [], 0
        while True:
            if time.monotonic() > deadline:
                raise FetchError("fetch_timeout", "total time limit exceeded while reading")
            chunk = resp.read1(65536) if hasattr(resp, "read1") else resp.read(65536)
            if not chunk:
                break
            size += len(chunk)
            if size > max_bytes:
                raise FetchError("too_large", f"body over {max_bytes} bytes")
            chunks.append(chunk)
        body = b"".join(chunks)
        if (resp.getheader("Content-Encoding") or "").lower() == "gzip":
            body = inflate_bounded(body, max_bytes)
        return body

    # -- robots.txt ----------------------------------------------------------------
    def allowed(self, url: str, deadline: float) -> bool:
        if not self.o.respect_robots:
            return True
        parts = urlsplit(url)
        root = f"{parts.scheme}://{parts.netloc}"
        if root not in self._robots:
            parser = None
            try:
                status, _, body = self._request(root + "/robots.txt", deadline, 500_000)
                parser = urllib.robotparser.RobotFileParser()
                if status in (401, 403):
                    parser.disallow_all = True
                elif status >= 400:
                    parser.allow_all = True
                else:
                    parser.parse(body.decode("utf-8", "replace").splitlines())
            except FetchError as e:
                if e.reason == "fetch_blocked_address":
                    raise
                parser = None           # robots.txt unreachable: treat as allowed
            self._robots[root] = parser
        parser = self._robots[root]
        return True if parser is None else parser.can_fetch(self.o.user_agent, url)

    # -- the public call -------------------------------------------------------------
    def get(self, url: str, headers: dict | None = None) -> Response:
        """GET with redirects, retries and backoff; raises FetchError(reason).

        `headers` are sent on every hop (If-None-Match / If-Modified-Since for a polled
        feed); a 304 answer to them comes back as a Response with status 304 and no body.
        """
        deadline = time.monotonic() + self.o.total_timeout
        attempt = 0
        while True:
            try:
                return self._get_once(url, deadline, headers)
            except FetchError as e:
                retry_in = getattr(e, "retry_in", None)
                transient = e.reason in ("fetch_timeout", "fetch_connection_error") or retry_in is not None
                if not transient or attempt >= self.o.retries:
                    raise
                wait = retry_in if retry_in is not None else self.o.backoff * (2 ** attempt)
                wait *= 1.0 if retry_in is not None else (0.5 + random.random() / 2)
                if time.monotonic() + wait > deadline:
                    raise
                attempt += 1
                self.sleep(wait)

    def _get_once(self, url: str, deadline: float, extra_headers: dict | None = None) -> Response:
        current, seen = url, set()
        for _hop in range(self.o.max_redirects + 1):
            if current in seen:
                raise FetchError("fetch_redirect_loop", current[:200])
            seen.add(current)
            if not self.allowed(current, deadline):
                raise FetchError("fetch_robots_disallowed", current[:200])
            extra = (extra_headers,) if extra_headers else ()
            status, headers, body = self._request(current, deadline, self.o.max_bytes, *extra)
            if status == 304 and extra_headers:
                return Response(current, 304, "", None, b"", headers)
            if status in (301, 302, 303, 307, 308):
                location = headers.get("location")
                if not location:
                    raise FetchError("fetch_bad_redirect", f"{status} without Location")
                current = urljoin(current, location)
                continue
            if status in RETRY_STATUS:
                err = FetchError(f"fetch_http_{status}", current[:200])
                err.retry_in = _retry_after(headers.get("retry-after"), self.o.max_retry_after)
                if err.retry_in is None:
                    err.retry_in = self.o.backoff
                raise err
            if status >= 400:
                raise FetchError(f"fetch_http_{status}", current[:200])
            ctype = headers.get("content-type", "")
            return Response(current, status, ctype.split(";")[0].strip().lower(), charset_of(ctype), body,
                            headers)
        raise FetchError("fetch_too_many_redirects", f"more than {self.o.max_redirects} redirects")


def inflate_bounded(data: bytes, max_bytes: int) -> bytes:
    """gunzip at most max_bytes of output: a gzip bomb is refused, not inflated."""
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = d.decompress(data, max_bytes + 1)
    except zlib.error as e:
        raise FetchError("decode_error", f"bad gzip: {e}") from None
    if len(out) > max_bytes or d.unconsumed_tail:
        raise FetchError("too_large", f"inflates to more than {max_bytes} bytes")
    return out


__all__ = ["Fetcher", "FetchError", "Response", "inflate_bounded"]
