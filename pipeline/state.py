"""Feed state kept in DIR/_state/: validators for conditional GET, and per-feed backoff.

A feed polled again sends If-None-Match / If-Modified-Since with the ETag and
Last-Modified it answered last time; a 304 means no new entries and costs no parsing.
How a 304 is counted: it is not an input unit (no entry was seen, so nothing can be
written, duplicated, rejected or already present); the run summary counts it as
`feeds.not_modified`.  A feed that cannot be fetched stays one rejected unit.

Validators only become durable after the run (or the stream) has committed what the
200 answers carried: workers write the validators they learned to their staging folder,
and the driver merges them into DIR/_state/feeds.json after the commit.  A run that
dies before its commit leaves the old validators, so the next run gets a 200 and loses
no entry.

In a stream, a failing feed (fetch error or an unreadable document) backs off on its
own: after n failures in a row it is next polled about poll_interval * 2**n later,
capped at max_backoff; the skipped polls are counted as `feeds.backing_off`.
"""
from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass, field

from apache_beam.io.filesystems import FileSystems

from pipeline.sinks import ensure_dir, join, list_files, write_whole

FEEDS_FILE = "feeds.json"


# ---- driver side: DIR/_state/feeds.json ----------------------------------------------------

def load_validators(output: str) -> dict:
    path = join(output, "_state", FEEDS_FILE)
    try:
        with FileSystems.open(path, compression_type="uncompressed") as fh:
            data = json.loads(fh.read().decode("utf-8"))
    except Exception:              # missing (first run) or damaged: poll without validators
        return {}
    return {k: v for k, v in data.items() if isinstance(v, dict)} if isinstance(data, dict) else {}


def save_validators(output: str, updates: dict):
    """Merge `updates` into DIR/_state/feeds.json, written whole."""
    if not updates:
        return
    merged = load_validators(output)
    merged.update(updates)
    data = json.dumps(merged, indent=1, sort_keys=True).encode("utf-8")
    write_whole(join(output, "_state", FEEDS_FILE), data)


def staged_validators(staging: str) -> dict:
    """What the workers learned, from STAGING/state/*.jsonl (latest check wins)."""
    found: dict = {}
    for path in list_files(join(staging, "state"), ".jsonl"):
        with FileSystems.open(path, compression_type="uncompressed") as fh:
            for line in fh.read().decode("utf-8").splitlines():
                if not line.strip():
                    continue
                rec = json.loads(line)
                url = rec.pop("url")
                if url not in found or rec.get("checked_at", 0) >= found[url].get("checked_at", 0):
                    found[url] = rec
    return found


# ---- worker side ---------------------------------------------------------------------------

@dataclass
class FeedStateSpec:
    """What a reader needs: the validators known at start, where to stage new ones, backoff."""
    validators: dict = field(default_factory=dict)
    staging: str | None = None            # STAGING/state/ gets the validators learned
    backoff: bool = False                 # streams back off failing feeds; a run tries each once
    poll_interval: float = 300.0
    max_backoff: float = 3600.0


@dataclass
class Unpolled:
    """A feed that produced no unit this time: `not_modified` (304) or `backing_off`."""
    input_ref: str
    reason: str


class FeedState:
    """Per worker: validators (known + learned), failures in a row, next allowed poll."""

    def __init__(self, spec: FeedStateSpec, clock=time.time):
        self.spec = spec
        self.validators = {k: dict(v) for k, v in spec.validators.items()}
        self.learned: dict = {}
        self.failures: dict = {}
        self.next_poll: dict = {}
        self.clock = clock

    def due(self, url: str) -> bool:
        return self.clock() >= self.next_poll.get(url, 0.0)

    def headers(self, url: str) -> dict:
        v = self.validators.get(url) or {}
        h = {}
        if v.get("etag"):
            h["If-None-Match"] = v["etag"]
        if v.get("last_modified"):
            h["If-Modified-Since"] = v["last_modified"]
        return h

    def failed(self, url: str):
        if not self.spec.backoff:
            return
        n = self.failures.get(url, 0) + 1
        self.failures[url] = n
        delay = min(self.spec.max_backoff, self.spec.poll_interval * 2 ** n)
        # due a little before the poll that lands `delay` later (polls are periodic)
        self.next_poll[url] = self.clock() + delay - self.spec.poll_interval / 2

    def succeeded(self, url: str):
        self.failures.pop(url, None)
        self.next_poll.pop(url, None)

    def remember(self, url: str, headers: dict):
        etag, modified = headers.get("etag"), headers.get("last-modified")
        if not (etag or modified):
            self.validators.pop(url, None)
            return
        rec = {"etag": etag, "last_modified": modified, "checked_at": round(self.clock(), 3)}
        self.validators[url] = rec
        self.learned[url] = rec

    def track(self, url: str, resp, units):
        """Pass the units of a 200 answer through; learn from whether the document was a feed."""
        first = True
        for unit in units:
            if first:
                first = False
                whole = getattr(unit, "input_ref", None) == url and hasattr(unit, "reason")
                if whole and unit.reason != "feed_empty":
                    self.failed(url)       # malformed or unsafe: not a feed, back off
                    self.validators.pop(url, None)
                else:
                    self.succeeded(url)
                    self.remember(url, resp.headers)
            yield unit

    def flush(self):
        """Stage the validators learned since the last flush (one small file)."""
        if not self.learned or not self.spec.staging:
            return
        folder = join(self.spec.staging, "state")
        ensure_dir(folder)
        with FileSystems.create(join(folder, f"validators-{uuid.uuid4().hex}.jsonl"),
                                compression_type="uncompressed") as fh:
            fh.write("".join(json.dumps({"url": u, **v}) + "\n" for u, v in self.learned.items())
                     .encode("utf-8"))
        self.learned = {}


def read_polled_feed(url: str, fetcher, state: FeedState, parse):
    """Units of one feed URL fetched with its validators: Unpolled, one Reject, or entries."""
    from pipeline.fetch import FetchError
    if not state.due(url):
        yield Unpolled(url, "backing_off")
        return
    try:
        resp = fetcher.get(url, headers=state.headers(url))
    except FetchError as e:
        state.failed(url)
        raise e
    if resp.status == 304:
        state.succeeded(url)
        yield Unpolled(url, "not_modified")
        return
    yield from state.track(url, resp, parse(resp))
