"""The pieces of the streaming graph and its committer (used by pipeline/stream.py).

Ticks (a stoppable PeriodicImpulse) -> Poll -> compose.graph (the steps of `run`) ->
WriteFinished; Committer commits the finished part files every commit interval.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import posixpath
import threading
import time
from collections import Counter

import apache_beam as beam
import pyarrow as pa
from apache_beam.io.filesystems import FileSystems
from apache_beam.io.watermark_estimators import ManualWatermarkEstimator
from apache_beam.metrics import Metrics
from apache_beam.transforms.periodicsequence import ImpulseSeqGenDoFn, ImpulseSeqGenRestrictionProvider
from apache_beam.transforms.window import TimestampedValue
from apache_beam.utils.timestamp import Duration, Timestamp

from pipeline.config import Config
from pipeline.sinks import WriteStaged, ensure_dir, join, list_files, read_table, write_table
from transforms.steps import NS

# Set by SIGINT/SIGTERM (or a test): Ticks stops, the pipeline drains, the stream commits.
_STOP = threading.Event()
_YEARS = 10 * 365 * 24 * 3600.0      # "no --duration": the tick range ends in ten years


def request_stop():
    _STOP.set()


# ---- the source: ticks that stop when asked ----------------------------------------------

class Ticks(ImpulseSeqGenDoFn):
    """PeriodicImpulse's splittable DoFn, woken at least every second to see a stop request.

    On a stop it claims the end of its range, so the source finishes, everything in flight
    drains and the pipeline ends normally (the local runner's counterpart of a drain; on a
    runner with drain support the restriction provider truncates to nothing).
    """

    @beam.DoFn.unbounded_per_element()
    def process(self, element,
                restriction_tracker=beam.DoFn.RestrictionParam(ImpulseSeqGenRestrictionProvider()),
                watermark_estimator=beam.DoFn.WatermarkEstimatorParam(
                    ManualWatermarkEstimator.default_provider())):
        start, _end, interval = element
        index = restriction_tracker.current_restriction().start
        emitted = False
        while True:
            if _STOP.is_set():
                restriction_tracker.try_claim(restriction_tracker.current_restriction().stop)
                return
            at = start + interval * index
            if at > time.time():
                if emitted:                # end the bundle: downstream finishes its files now
                    watermark_estimator.set_watermark(Timestamp.of(time.time()))
                    restriction_tracker.defer_remainder(Duration.of(max(0.0, at - time.time())))
                    return
                # Beam's local runner re-invokes a deferred remainder at once, whatever the
                # delay asked for; waiting here (at most a second, or until a stop) keeps it
                # from spinning a core and from piling up one bundle per spin.
                _STOP.wait(min(1.0, at - time.time()))
                if _STOP.is_set() or at <= time.time():
                    continue
                watermark_estimator.set_watermark(Timestamp.of(time.time()))
                restriction_tracker.defer_remainder(Duration.of(max(0.0, min(1.0, at - time.time()))))
                return
            if not restriction_tracker.try_claim(index):
                return
            watermark_estimator.set_watermark(Timestamp.of(at))
            yield TimestampedValue(index, at)
            emitted = True
            index += 1


def keep_metrics_flat():
    """Beam 2.77's FnApiRunner merges each bundle's metrics into a lazy generator chained on
    the previous one; a stream runs a bundle a second, so after some minutes reading the
    metrics overflows the recursion limit (and the chain holds memory).  Merge eagerly."""
    from apache_beam.metrics import monitoring_infos
    from apache_beam.runners.portability.fn_api_runner import fn_runner
    lazy = monitoring_infos.consolidate

    def consolidate(metrics, key=monitoring_infos.to_key):
        return list(lazy(metrics, key))
    fn_runner.consolidate_monitoring_infos = consolidate


# ---- polling: what is due at each tick ------------------------------------------------------

class Poll(beam.DoFn):
    """Tick -> InputSpecs: every feed URL (each OPML list read again and expanded), and each
    file of a watched folder once, when it has stayed unchanged for `settle` seconds."""

    def __init__(self, inputs: list[str], settle: float):
        self.inputs = list(inputs)
        self.settle = settle

    def setup(self):
        self._emitted: set[str] = set()          # files already handed on (read once)
        self._ticks = Metrics.counter(NS, "poll.ticks")
        self._files = Metrics.counter(NS, "poll.files_new")

    def process(self, tick):
        from pipeline.sources import InputSpec, kind_of
        self._ticks.inc()
        feeds: list[str] = []
        for raw in self.inputs:
            if raw.lower().startswith(("http://", "https://")):
                feeds.append(raw)
                continue
            for path in self._files_of(raw):
                kind = kind_of(path)
                if kind == "opml":
                    urls = self._opml(path)
                    if urls is not None:
                        feeds.extend(urls)
                        continue
                if path in self._emitted:
                    continue
                self._emitted.add(path)
                self._files.inc()
                yield InputSpec(path, kind)
        for url in dict.fromkeys(feeds):
            yield InputSpec(url, "feed_url")

    def _files_of(self, raw: str) -> list[str]:
        """Files of an input that are complete: settled, not hidden, not a temporary name."""
        now = time.time()
        if "://" in raw and not raw.startswith("file://"):
            pattern = raw.rstrip("/") + "/**" if not any(c in raw for c in "*?[") else raw
            try:
                found = [(m.path, m.last_updated_in_seconds)
                         for r in FileSystems.match([pattern]) for m in r.metadata_list]
            except Exception:
                return []
        else:
            raw = raw[len("file://"):] if raw.startswith("file://") else raw
            if os.path.isfile(raw):
                return [raw]
            found = []
            for root, dirs, files in os.walk(raw):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in files:
                    path = os.path.join(root, name)
                    try:
                        found.append((path, os.stat(path).st_mtime))
                    except OSError:
                        continue           # removed meanwhile
        return sorted(p for p, mtime in found
                      if not posixpath.basename(p).startswith(".")
                      and not p.endswith((".tmp", ".part", ".crdownload"))
                      and now - (mtime or 0) >= self.settle)

    @staticmethod
    def _opml(path: str) -> list[str] | None:
        from pipeline.feeds import opml_feeds
        from pipeline.sources import read_document
        try:
            return opml_feeds(read_document(path, 10_000_000)) or None
        except (OSError, OverflowError):
            return None                    # unreadable: read once as a file, which rejects it


# ---- the writer: finished files only ---------------------------------------------------------

class WriteFinished(WriteStaged):
    """WriteStaged whose part files appear in staging only when complete: each is written
    under a hidden in-progress name and renamed when closed, so the committer, which runs
    while workers write, never picks up half a file."""

    def _new_path(self, part: str) -> str:
        final = super()._new_path(part)
        head, name = final.rsplit("/", 1)
        return f"{head}/.{name}.inprogress"

    def _finish(self, part: str):
        pf = self._parts.get(part)
        super()._finish(part)
        if pf is not None and pf.writer is not None:
            head, name = pf.path.rsplit("/", 1)
            FileSystems.rename([pf.path], [f"{head}/{name[1:-len('.inprogress')]}"])


# ---- the committer ------------------------------------------------------------------------------

def _pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    values = sorted(values)
    return round(values[min(len(values) - 1, int(round(q * (len(values) - 1))))], 3)


class Committer:
    """Commits the finished part files of one stream, every commit interval (driver side).

    Each commit: move the files it takes into STAGING/commits/NNNN/ (so files that arrive
    meanwhile wait for the next one), drop rows whose id is already in the output or was
    committed by this stream (counted as already_present), list within-stream duplicates
    (same id, or same body under another id) as dedup losers, and hand the folder to
    pipeline.commit.commit, which renames complete files into articles/ and rejects/.
    """

    def __init__(self, *, output: str, staging: str, run_id: str, config: Config, present_path: str,
                 present_ids, log=None, on_commit=None):
        self.on_commit = on_commit             # after each successful commit (the repetition memory)
        self.output, self.staging, self.run_id, self.config = output, staging, run_id, config
        self.present_path = present_path
        self.ids = set(present_ids)
        self.hashes: dict[str, str] = {}
        self.seq = 0
        self.commits: list[dict] = []
        self.latencies: list[float] = []
        self.log = log or (lambda msg: None)
        self._mutex = threading.Lock()
        self._halt = threading.Event()
        self._thread: threading.Thread | None = None
        self.error: BaseException | None = None

    # -- the loop
    def start(self, interval: float):
        def loop():
            while not self._halt.wait(interval):
                try:
                    self.commit_once()
                except Exception as e:  # keep the data staged; stop the stream and report
                    self.error = e
                    self.log(f"commit failed, stopping: {type(e).__name__}: {e}")
                    request_stop()
                    return
        self._thread = threading.Thread(target=loop, name="newsbeam-committer", daemon=True)
        self._thread.start()

    def stop(self):
        self._halt.set()
        if self._thread is not None:
            self._thread.join()

    # -- one commit
    def commit_once(self) -> dict | None:
        from pipeline.commit import commit
        with self._mutex:
            articles = list_files(join(self.staging, "articles"))
            rejects = list_files(join(self.staging, "rejects"))
            if not articles and not rejects:
                return None
            t0 = time.time()
            self.seq += 1
            folder = join(self.staging, "commits", f"{self.seq:04d}")
            taken = [self._take(p, "articles", folder) for p in articles]
            for p in rejects:
                self._take(p, "rejects", folder)
            present, ingested = self._dedup(folder, taken)
            done = commit(output=self.output, staging=folder, run_id=self.run_id, config=self.config,
                          rejected_at=dt.datetime.now(dt.timezone.utc),
                          part_prefix=f"{self.run_id}-c{self.seq:04d}")
            _remove_tree(folder)
            self._save_present()
            committed = time.time()
            lat = [committed - t for t in ingested]
            self.latencies.extend(lat)
            record = {
                "commit": self.seq,
                "at": dt.datetime.fromtimestamp(committed, dt.timezone.utc).isoformat(),
                "seconds": round(committed - t0, 3),
                "written": sum(done["written"].values()),
                "duplicates": sum(done["duplicates"].values()),
                "rejected": sum(done["rejected"].values()),
                "already_present": sum(present.values()),
                "by_kind": {"written": dict(done["written"]), "duplicates": dict(done["duplicates"]),
                            "rejected": dict(done["rejected"]), "already_present": dict(present)},
                "rejected_by_reason": dict(done["rejected_by_reason"]),
                "latency_s": {"what": "row finalized -> readable", "median": _pct(lat, 0.5),
                              "p95": _pct(lat, 0.95), "max": _pct(lat, 1.0)},
                "committed_at": done.get("committed_at"),
                "files_added": done.get("files_added", []),
                "files_removed": done.get("files_removed", []),
            }
            record["_counts"] = done, present
            self.commits.append(record)
            self.log(f"commit {self.seq}: {record['written']} written, {record['duplicates']} duplicates, "
                     f"{record['rejected']} rejected, {record['already_present']} already present")
            self._after(done)
            return record

    def _after(self, done: dict):
        """The commit hook; what it keeps (the repetition memory) must not stop the stream."""
        if self.on_commit is None:
            return
        try:
            self.on_commit(done)
        except Exception as e:
            self.log(f"commit {self.seq}: the repetition memory was not updated: {type(e).__name__}: {e}")

    def _take(self, path: str, kind: str, folder: str) -> str:
        rel = path[len(join(self.staging, kind)):].lstrip("/")
        dest = join(folder, kind, rel)
        ensure_dir(os.path.dirname(dest) if "://" not in dest else dest)
        FileSystems.rename([path], [dest])
        return dest

    def _dedup(self, folder: str, files: list[str]):
        """Drop rows already present (rewrite their files); write the dedup losers' manifest."""
        by_content = self.config.dedup.by_content
        entries = []
        in_path = set(self.config.out.partition_by)      # partition keys live in the path only
        cols = [c for c in ("id", "content_hash", "input_ref", "source_kind", "ingested_at") if c not in in_path]
        for path in files:
            t = read_table(path, columns=cols).to_pydict()
            kind_default = _kind_from_path(path)
            for i, id_ in enumerate(t["id"]):
                kind = t["source_kind"][i] if "source_kind" in t else kind_default
                at = t["ingested_at"][i] if "ingested_at" in t else None
                entries.append((t["input_ref"][i], id_, t["content_hash"][i], kind, path, i, at))
        entries.sort(key=lambda e: (e[0], e[1]))
        present, drop, losers, ingested, kept = Counter(), {}, [], [], {}
        for ref, id_, chash, kind, path, i, at in entries:
            if id_ in self.ids or kept.get(id_) == ref:
                # in the output already, or the same feed entry polled twice before a commit
                present[kind] += 1
                drop.setdefault(path, set()).add(i)
            elif id_ in kept:
                losers.append({"id": id_, "kept_id": id_, "input_ref": ref, "file": path,
                               "source_kind": kind, "why": "same_url"})
            elif by_content and chash in self.hashes:
                losers.append({"id": id_, "kept_id": self.hashes[chash], "input_ref": ref, "file": path,
                               "source_kind": kind, "why": "same_content"})
            else:
                kept[id_] = ref
                self.hashes[chash] = id_
                if at is not None:
                    ingested.append(at.timestamp())
        renamed = {}
        for path, rows in drop.items():
            table = read_table(path)
            keep = pa.array([i not in rows for i in range(table.num_rows)])
            table = table.filter(keep)
            FileSystems.delete([path])
            if table.num_rows:
                new = path[:-len(".parquet")] + "-present.parquet"
                write_table(table, new, self.config.out.compression if self.config.out.compression != "none" else None,
                            self.run_id)
                renamed[path] = new
        for loser in losers:
            loser["file"] = renamed.get(loser["file"], loser["file"])
        if losers:
            ensure_dir(join(folder, "dedup"))
            with FileSystems.create(join(folder, "dedup", "losers.jsonl"), compression_type="uncompressed") as fh:
                fh.write("".join(json.dumps(row) + "\n" for row in losers).encode("utf-8"))
        self.ids.update(kept)
        return present, ingested

    def _save_present(self):
        """Rewrite the present-ids snapshot that SkipPresent reloads (so a re-polled entry
        committed earlier in this stream is skipped before it is fetched or extracted)."""
        table = pa.table({"id": pa.array(sorted(self.ids), pa.string())})
        if "://" in self.present_path:
            write_table(table, self.present_path, "zstd", self.run_id)
            return
        tmp = self.present_path + ".next"
        write_table(table, tmp, "zstd", self.run_id)
        os.replace(tmp, self.present_path)


def _kind_from_path(path: str) -> str:
    for seg in path.replace("\\", "/").split("/"):
        if seg.startswith("source_kind="):
            return seg.split("=", 1)[1]
    return "unknown"


def _remove_tree(path: str):
    from pipeline.run import remove_tree
    remove_tree(path)


