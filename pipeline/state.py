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


# ---- the repetition memory: DIR/_state/repeats.parquet ----------------------------------------
#
# Per source, the fingerprints of the lines of its committed articles (transforms/repeats.py),
# each with the number of distinct articles it was in, the source's article count when it
# was first seen (so its share of the articles since then is known), when it was last seen,
# and the short ids of its first articles (so an article merged twice, as a reprocess does,
# is counted once).  One Parquet file: columnar and small (zstd; a singleton line costs
# about 20 bytes), typed, readable with DuckDB, written whole like feeds.json (temp name
# and rename locally, one object remotely) by the driver only, while it holds the output's
# lock, and only after a commit: a failed run teaches it nothing.

REPEATS_FILE = "repeats.parquet"
REPEATS_KNOWN = "repeats-known.json"     # STAGING/: what the workers of this run/stream load
ID_CAP = 16                              # article ids kept per line for distinct counting
TOTAL_CAP = 200_000                      # lines remembered in all (about 4 MiB)


def _repeats_schema():
    import pyarrow as pa
    return pa.schema([("source", pa.string()), ("fp", pa.int64()), ("n", pa.int32()),
                      ("first", pa.int64()), ("last_seen", pa.int64()),
                      ("ids", pa.list_(pa.int64()))])


def short_id(article_id: str) -> int:
    """An article id as a 60-bit integer (ids are hex digests)."""
    try:
        return int(article_id[:15], 16)
    except (TypeError, ValueError):
        import hashlib
        return int.from_bytes(hashlib.blake2b(str(article_id).encode(), digest_size=7).digest(), "big")


@dataclass
class Memory:
    """The memory in the driver: {source: {fp: [n, first, last_seen, ids]}} and the number
    of articles merged per source."""
    lines: dict = field(default_factory=dict)
    articles: dict = field(default_factory=dict)

    def merge(self, records, now: float) -> int:
        """Add committed articles ({id, source, fps}); returns how many were new here."""
        added = 0
        for rec in sorted(records, key=lambda r: r["id"]):
            src, sid = rec["source"], short_id(rec["id"])
            lines = self.lines.setdefault(src, {})
            total = self.articles.get(src, 0)
            fresh = False
            for fp in rec["fps"]:
                entry = lines.get(fp)
                if entry is None:
                    lines[fp] = [1, total, int(now), [sid]]
                    fresh = True
                    continue
                entry[2] = max(entry[2], int(now))
                if sid in entry[3]:
                    continue                       # this article was merged before
                entry[0] += 1
                fresh = True
                if len(entry[3]) < ID_CAP:
                    entry[3].append(sid)
            if fresh:
                self.articles[src] = total + 1
                added += 1
        return added

    def prune(self, now: float, *, per_source: int, max_age_s: float, total: int = TOTAL_CAP):
        """Age out lines not seen for max_age_s; keep at most per_source lines a source and
        `total` in all, repeated lines first, then the most recently seen."""
        oldest = now - max_age_s

        def rank(entry):
            return min(entry[0], 2), entry[2], entry[0]
        for src in list(self.lines):
            lines = {fp: e for fp, e in self.lines[src].items() if e[2] >= oldest}
            if len(lines) > per_source:
                lines = dict(sorted(lines.items(), key=lambda kv: rank(kv[1]), reverse=True)[:per_source])
            self.lines[src] = lines
        if sum(len(v) for v in self.lines.values()) > total:
            # many sources (each text file is its own): the least useful lines go first
            ranked = sorted(((rank(e), src, fp) for src, lines in self.lines.items() for fp, e in lines.items()),
                            reverse=True)
            for _rank, src, fp in ranked[total:]:
                del self.lines[src][fp]
        for src in [s for s, lines in self.lines.items() if not lines]:
            del self.lines[src]
            self.articles.pop(src, None)

    def share(self, src: str, entry) -> float:
        from transforms.repeats import share_bound
        return share_bound(entry[0], self.articles.get(src, 0) - entry[1])

    def known(self, min_repeats: int) -> dict:
        """{source: {fp: Known}} for the lines in at least min_repeats articles."""
        from transforms.repeats import Known
        out = {}
        for src, lines in self.lines.items():
            found = {fp: Known(e[0], round(self.share(src, e), 3)) for fp, e in lines.items()
                     if e[0] >= min_repeats}
            if found:
                out[src] = found
        return out


def load_memory(output: str) -> Memory:
    """DIR/_state/repeats.parquet (an empty memory when missing or unreadable)."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    path = join(output, "_state", REPEATS_FILE)
    try:
        with FileSystems.open(path, compression_type="uncompressed") as fh:
            table = pq.read_table(pa.BufferReader(fh.read()))
    except Exception:              # first run, or damaged: start again (only precision is lost)
        return Memory()
    meta = (table.schema.metadata or {}).get(b"newsbeam.repeats")
    mem = Memory()
    try:
        mem.articles = {k: int(v) for k, v in json.loads(meta)["articles"].items()} if meta else {}
    except (ValueError, KeyError, TypeError, AttributeError):
        return Memory()
    cols = table.to_pydict()
    lines = mem.lines
    for src, fp, n, first, last, ids in zip(cols["source"], cols["fp"], cols["n"], cols["first"],
                                            cols["last_seen"], cols["ids"]):
        by_fp = lines.get(src)
        if by_fp is None:
            by_fp = lines[src] = {}
        by_fp[fp] = [n, first, last, ids or []]
    return mem


def save_memory(output: str, mem: Memory):
    """Write the memory whole (sorted by source and fingerprint)."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    rows = {"source": [], "fp": [], "n": [], "first": [], "last_seen": [], "ids": []}
    for src in sorted(mem.lines):
        items = sorted(mem.lines[src].items())
        rows["source"] += [src] * len(items)
        rows["fp"] += [fp for fp, _e in items]
        for k, col in enumerate(("n", "first", "last_seen", "ids")):
            rows[col] += [e[k] for _fp, e in items]
    meta = {b"newsbeam.repeats": json.dumps({"version": 1, "articles": mem.articles}).encode()}
    table = pa.Table.from_pydict(rows, schema=_repeats_schema().with_metadata(meta))
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, compression="zstd")
    write_whole(join(output, "_state", REPEATS_FILE), sink.getvalue().to_pybytes())


def load_known(output: str, min_repeats: int) -> dict:
    """What `newsbeam explain --output DIR` needs: {source: {fp: Known}}."""
    return load_memory(output).known(min_repeats)


# ---- the memory between driver and workers ------------------------------------------------------

@dataclass
class RepeatsSpec:
    """What the Repeats step needs: the rule, where the known lines are (STAGING/
    repeats-known.json, None: nothing to remove), where to stage each article's
    fingerprints (None: not learning), and, in a stream, how often to look for a newer
    known file."""
    rule: object = None                     # transforms.repeats.RepeatRule
    known_path: str | None = None
    staging: str | None = None
    reload_every: float | None = None


def write_known(path: str, known: dict):
    data = {src: [[fp, k.n, k.share] for fp, k in sorted(lines.items())] for src, lines in known.items()}
    write_whole(path, json.dumps(data, separators=(",", ":")).encode("utf-8"))


def read_known(path: str) -> dict:
    from transforms.repeats import Known
    with FileSystems.open(path, compression_type="uncompressed") as fh:
        data = json.loads(fh.read().decode("utf-8"))
    return {src: {fp: Known(n, share) for fp, n, share in rows} for src, rows in data.items()}


def stage_fingerprints(staging: str, records: list[dict]):
    """One small file of {id, source, fps} per bundle, appearing whole (temp name + rename)."""
    if not records:
        return
    data = "".join(json.dumps(r, separators=(",", ":")) + "\n" for r in records).encode("utf-8")
    write_whole(join(staging, "repeats", f"fp-{uuid.uuid4().hex}.jsonl"), data)


def staged_fingerprints(staging: str):
    """The records the workers staged, one file's list at a time; each file is deleted
    once read (a stream's driver reads the folder at every commit)."""
    for path in list_files(join(staging, "repeats"), ".jsonl"):
        with FileSystems.open(path, compression_type="uncompressed") as fh:
            records = [json.loads(line) for line in fh.read().decode("utf-8").splitlines() if line.strip()]
        FileSystems.delete([path])
        yield records


def committed_ids(output: str, files_added) -> set:
    """The article ids in the files a commit added (paths relative to DIR)."""
    from pipeline.sinks import read_table
    ids: set = set()
    for rel in files_added or ():
        if rel.startswith("articles/"):
            ids.update(read_table(join(output, *rel.split("/")), columns=["id"]).column("id").to_pylist())
    return ids


class RepeatMemory:
    """Driver side, for a run (one commit) or a stream (many): load the memory, tell the
    workers what is known, and after each successful commit merge the fingerprints of
    the articles it wrote.  A record whose article is not committed yet waits (a stream's
    bundle may stage fingerprints before or after its part files are taken), and so does
    a committed id whose record has not come yet, for `patience` commits."""

    def __init__(self, output: str, staging: str, anatomy, *, reload_every: float | None = None,
                 patience: int = 20, clock=time.time):
        from transforms.repeats import RepeatRule
        self.output, self.staging, self.options = output, staging, anatomy
        self.rule = RepeatRule(anatomy.min_repeats, anatomy.line_share, anatomy.sentence_repeats,
                               anatomy.sentence_share)
        self.reload_every, self.patience, self.clock = reload_every, patience, clock
        self.memory = load_memory(output)
        self.pending: dict = {}              # id -> (record, commit seq when staged)
        self.waiting: dict = {}              # committed id -> commit seq, record not staged yet
        self.seq = 0

    def spec(self) -> RepeatsSpec:
        known_path = join(self.staging, REPEATS_KNOWN)
        write_known(known_path, self.memory.known(self.rule.min_repeats))
        return RepeatsSpec(rule=self.rule, known_path=known_path, staging=self.staging,
                           reload_every=self.reload_every)

    def after_commit(self, done: dict) -> int:
        """Merge what this commit wrote (`done["files_added"]`); returns the number of
        articles merged.  Staged files are read one at a time: a big run's records are
        never all in memory."""
        self.seq += 1
        committed = committed_ids(self.output, done.get("files_added"))
        now = self.clock()
        merged = 0

        def wanted(id_):
            return id_ in committed or id_ in self.waiting

        def merge(records):
            nonlocal merged
            merged += self.memory.merge(records, now)
            for rec in records:
                committed.discard(rec["id"])
                self.waiting.pop(rec["id"], None)
            if sum(len(v) for v in self.memory.lines.values()) > 2 * TOTAL_CAP:
                self._prune(now)
        merge([self.pending.pop(i)[0] for i in [i for i in self.pending if wanted(i)]])
        for records in staged_fingerprints(self.staging):
            now_ready, later = [], []
            for r in records:
                (now_ready if wanted(r["id"]) else later).append(r)
            merge(now_ready)
            self.pending.update((r["id"], (r, self.seq)) for r in later)
        self.waiting.update(dict.fromkeys(committed, self.seq))
        old = self.seq - self.patience
        self.pending = {i: v for i, v in self.pending.items() if v[1] > old}
        self.waiting = {i: s for i, s in self.waiting.items() if s > old}
        if merged:
            self._prune(now)
            save_memory(self.output, self.memory)
            write_known(join(self.staging, REPEATS_KNOWN), self.memory.known(self.rule.min_repeats))
        return merged

    def _prune(self, now: float):
        self.memory.prune(now, per_source=self.options.memory_lines, max_age_s=self.options.memory_days * 86400)
