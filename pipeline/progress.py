"""Live progress of a run, measured where the work happens.

Beam's local runner (FnApiRunner) blocks in `pipeline.run()` and reports metrics only
when the job is done, so progress has its own small channel: every worker process
keeps a running tally of the step counters (transforms/steps.py calls `note`) and, at
most once a second, replaces one small JSON snapshot file of its own under the run's
staging folder (DIR/_staging/RUN_ID/_progress/).  The driver sums the snapshots in a
thread and shows them: one live line on a terminal (tqdm), else a plain line every
NEWSBEAM_PROGRESS_INTERVAL seconds (default 30).  Workers learn the folder from the
environment (Beam's subprocess workers inherit it); a worker that has no such folder,
e.g. on a remote runner, counts nothing.  The run summary still comes from Beam's
metrics; progress figures are for watching only.
"""
from __future__ import annotations

import json
import os
import sys
import threading
import time
import uuid
from collections import Counter

ENV_DIR = "NEWSBEAM_PROGRESS_DIR"
ENV_INTERVAL = "NEWSBEAM_PROGRESS_INTERVAL"
FLUSH_SECONDS = 1.0
DEFAULT_INTERVAL = 30.0
# Units per file for kinds that hold exactly one; JSONL is counted by lines; others
# (feeds, WARC, compressed JSONL) are known only once read.
ONE_UNIT_KINDS = {"text", "html", "auto"}


# ---- worker side -----------------------------------------------------------------------

class _Tally:
    """This process's counts for the current run; a daemon thread writes them out."""

    def __init__(self):
        self.lock = threading.Lock()
        self.counts: Counter = Counter()
        self.folder: str | None = None
        self.dirty = False
        self.thread: threading.Thread | None = None
        self.name = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"

    def note(self, folder: str, name: str, n: int):
        with self.lock:
            if folder != self.folder:             # a new run in this process
                self.folder = folder
                self.counts.clear()
            self.counts[name] += n
            self.dirty = True
            if self.thread is None:
                self.thread = threading.Thread(target=self._flush_loop, name="newsbeam-progress-flush",
                                               daemon=True)
                self.thread.start()

    def end(self, folder: str):
        """The run writing to `folder` is over: write nothing there any more (its staging
        is about to be removed, and a late snapshot would bring the folder back)."""
        with self.lock:
            if self.folder == folder:
                self.folder, self.dirty = None, False

    def _flush_loop(self):
        while True:
            time.sleep(FLUSH_SECONDS)
            with self.lock:             # held while writing: end() waits for a write in flight
                if not self.dirty or self.folder is None:
                    continue
                self.dirty = False
                _write_snapshot(self.folder, self.name, dict(self.counts))


def _write_snapshot(folder: str, name: str, counts: dict):
    try:
        if not os.path.isdir(os.path.dirname(folder)):
            return                                 # the run's staging is gone: it is over
        os.makedirs(folder, exist_ok=True)
        tmp = os.path.join(folder, f".{name}.tmp")
        with open(tmp, "w") as fh:
            json.dump(counts, fh)
        os.replace(tmp, os.path.join(folder, f"{name}.json"))
    except OSError:
        pass                                       # progress must never fail a run


_TALLY = _Tally()


def note(name: str, n: int = 1):
    """Count `n` of `name` for the live progress of the current run (cheap; no-op off-run)."""
    folder = os.environ.get(ENV_DIR)
    if folder:
        _TALLY.note(folder, name, n)


# ---- driver side -----------------------------------------------------------------------

def read_snapshots(folder: str) -> Counter:
    total: Counter = Counter()
    try:
        names = [n for n in os.listdir(folder) if n.endswith(".json")]
    except OSError:
        return total
    for name in names:
        try:
            with open(os.path.join(folder, name)) as fh:
                total.update(json.load(fh))
        except (OSError, ValueError):
            continue                               # replaced while we read it: next poll
    return total


def count_units(specs) -> int | None:
    """Input units of the run when cheaply known (files and plain JSONL lines), else None."""
    total = 0
    for spec in specs:
        if spec.kind in ONE_UNIT_KINDS:
            total += 1
        elif spec.kind == "jsonl" and not spec.path.lower().endswith(".gz") and "://" not in spec.path:
            total += _count_lines(spec.path)
        else:
            return None
    return total


def _count_lines(path: str) -> int:
    n, last = 0, b"\n"
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            n += chunk.count(b"\n")       # an estimate: blank lines are not units
            last = chunk[-1:]
    return n + (last != b"\n")


class Figures:
    """What one progress line says, from summed counters."""

    def __init__(self, counts: Counter, elapsed: float):
        self.seen = sum(v for k, v in counts.items() if k.startswith("seen."))
        self.files = counts.get("files", 0)
        self.articles = counts.get("finalized", 0)
        self.present = sum(v for k, v in counts.items() if k.startswith("already_present."))
        by_stage: Counter = Counter()
        for k, v in counts.items():
            if k.startswith("rejected."):
                by_stage[k.split(".")[1]] += v
        self.rejected_by_stage = by_stage
        self.rejected = sum(by_stage.values())
        self.elapsed = elapsed
        self.rate = self.articles / elapsed if elapsed > 0 else 0.0

    def text(self) -> str:
        parts = [f"{self.articles:,} articles"]
        if self.rejected:
            stages = ", ".join(f"{s} {n:,}" for s, n in self.rejected_by_stage.most_common())
            parts.append(f"{self.rejected:,} rejected ({stages})")
        if self.present:
            parts.append(f"{self.present:,} already present")
        parts.append(f"{self.rate:.1f} docs/s")
        return " · ".join(parts)


def _clock(seconds: float) -> str:
    seconds = int(seconds)
    h, rest = divmod(seconds, 3600)
    return f"{h}:{rest // 60:02d}:{rest % 60:02d}" if h else f"{rest // 60}:{rest % 60:02d}"


def interval_from_env() -> float:
    try:
        return max(0.1, float(os.environ.get(ENV_INTERVAL, DEFAULT_INTERVAL)))
    except ValueError:
        return DEFAULT_INTERVAL


class Watch:
    """Context manager around a running job: points workers at `folder`, shows progress.

    mode "auto": a live line when `stream` is a terminal, else a plain line every
    `interval` seconds; "live": the live line on a terminal and nothing else (a stream,
    which logs one line per commit anyway); "off": nothing is shown and workers count
    nothing.  `status` adds words of the caller's own to the live line (a stream's
    commits); `write` prints a line above the live one.
    """

    def __init__(self, folder: str, specs, *, mode: str = "auto", stream=None,
                 interval: float | None = None, status=None):
        self.folder = folder
        self.specs = list(specs)
        self.mode = mode
        self.status = status
        self.stream = stream or sys.stderr
        self.interval = interval if interval is not None else interval_from_env()
        self._stop = threading.Event()
        self._thread = None
        self._bar = None
        self._prev_env = None
        self.total_units: int | None = None
        self.last: Figures | None = None

    def __enter__(self):
        if self.mode == "off" or "://" in self.folder:
            return self
        os.makedirs(self.folder, exist_ok=True)
        self._prev_env = os.environ.get(ENV_DIR)
        os.environ[ENV_DIR] = self.folder
        self._t0 = time.monotonic()
        self._thread = threading.Thread(target=self._loop, name="newsbeam-progress", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        _TALLY.end(self.folder)
        if self._thread is None:
            return False
        self._stop.set()
        self._thread.join(timeout=5)
        if self._bar is not None:
            self._bar.close()
        if self._prev_env is None:
            os.environ.pop(ENV_DIR, None)
        else:
            os.environ[ENV_DIR] = self._prev_env
        return False

    def _loop(self):
        try:
            self.total_units = count_units(self.specs)
        except OSError:
            self.total_units = None
        live = _isatty(self.stream)
        if live:
            self._bar = self._new_bar()
        elif self.mode == "live":
            return
        next_line = time.monotonic() + self.interval
        while not self._stop.wait(0.5 if live else min(1.0, self.interval)):
            figures = Figures(read_snapshots(self.folder), time.monotonic() - self._t0)
            self.last = figures
            if live:
                self._update_bar(figures)
            elif time.monotonic() >= next_line:
                next_line = time.monotonic() + self.interval
                print(self.plain_line(figures), file=self.stream, flush=True)

    def write(self, line: str):
        """A log line above the live one (or plainly, when there is none)."""
        if self._bar is not None:
            self._bar.write(line, file=self.stream)
        else:
            print(line, file=self.stream, flush=True)

    def plain_line(self, f: Figures) -> str:
        if self.total_units:
            read = f"read {f.seen:,}/{self.total_units:,} units ({100 * f.seen / self.total_units:.0f}%)"
            eta = self._eta(f.seen, self.total_units, f.elapsed)
        else:
            read = f"read {f.seen:,} units, {f.files:,}/{len(self.specs):,} inputs"
            eta = self._eta(f.files, len(self.specs), f.elapsed) if len(self.specs) > 1 else None
        tail = f"elapsed {_clock(f.elapsed)}" + (f", ETA {_clock(eta)}" if eta is not None else "")
        return f"newsbeam: progress: {read} · {f.text()} · {tail}"

    @staticmethod
    def _eta(done: int, total: int, elapsed: float) -> float | None:
        if done <= 0 or total <= 0:
            return None
        return max(0.0, elapsed * (total - done) / done)

    def _new_bar(self):
        from tqdm import tqdm
        if self.total_units:
            total, unit = self.total_units, "units"
        else:
            total, unit = (len(self.specs) if len(self.specs) > 1 else None), "inputs"
        fmt = ("{desc} {percentage:3.0f}%|{bar:16}| {n_fmt}/{total_fmt} " + unit +
               " [{elapsed}<{remaining}{postfix}]") if total else \
              ("{desc} {n_fmt} " + unit + " [{elapsed}{postfix}]")
        try:
            width = os.get_terminal_size(self.stream.fileno()).columns
        except (OSError, AttributeError, ValueError):
            width = 0
        return tqdm(total=total, file=self.stream, desc="newsbeam", bar_format=fmt, leave=False,
                    dynamic_ncols=width > 0, ncols=None if width > 0 else 120,
                    nrows=None if width > 0 else 24, mininterval=0.5)

    def _update_bar(self, f: Figures):
        bar = self._bar
        n = f.seen if self.total_units else f.files
        if n != bar.n:
            bar.update(n - bar.n)
        post = f.text() if self.total_units else f"{f.seen:,} units · {f.text()}"
        if self.status is not None:
            post = f"{post} · {self.status()}"
        bar.set_postfix_str(post, refresh=True)


def _isatty(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
