"""One writer at a time: an exclusive lock on an output folder, DIR/_state/lock.

`run`, `stream` and `compact` hold it while they write; readers never need it.

Local (and POSIX-mounted) outputs: the lock file is created with O_CREAT|O_EXCL, which
is atomic, so of two writers exactly one gets it.  The file names its holder (run id,
kind, pid, host, process start time, since) and carries a heartbeat the holder rewrites
every few seconds.  A holder is *gone* when its pid is dead on this host (or now belongs
to another process), or, for a holder on another host, when its heartbeat is older than
`stale_after`.  A gone holder is taken over: exactly one contender wins a second O_EXCL
file named after the dead holder's run id, checks the lock still names that holder,
replaces it, and only then removes the dead holder's staging folder.  A live holder's
files are never touched.

Object stores (gs://, s3://) have no atomic create-if-absent through Beam's FileSystems:
there the lock is advisory (check, write, re-read after a pause); two writers starting
within that pause can both proceed.  See the README, *One writer at a time*.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import socket
import threading
import time
import uuid

from apache_beam.io.filesystems import FileSystems

from pipeline.sinks import join

DEFAULT_STALE_AFTER = 300.0     # seconds without a heartbeat before another host's lock is stale
_POLL = 0.5                     # seconds between attempts while waiting


class Locked(Exception):
    """str(e) is the one line naming the holder: run id, pid, host, since."""

    def __init__(self, output: str, holder: dict):
        self.holder = holder
        super().__init__(
            f"output {output} is being written by {holder.get('kind', 'a writer')} "
            f"{holder.get('run_id', '?')} (pid {holder.get('pid', '?')} on {holder.get('host', '?')}, "
            f"since {holder.get('since', '?')}); pass --wait SECONDS to wait for it")


class Lock:
    """What output_lock yields: who holds it and whom it took over from."""

    def __init__(self, output: str, path: str, info: dict):
        self.output, self.path, self.info = output, path, info
        self.took_over: dict | None = None     # the gone holder this lock replaced, if any
        self.lost = False                      # set when the heartbeat finds another holder


# ---- the holder record -----------------------------------------------------------------

def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _iso(t: dt.datetime) -> str:
    return t.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _pid_start(pid: int) -> str | None:
    """Start time of a process (Linux /proc), so a reused pid is not taken for the holder."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            stat = fh.read().decode("ascii", "replace")
        return stat.rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return None


def holder_record(kind: str, run_id: str) -> dict:
    now = _iso(_now())
    return {"run_id": run_id, "kind": kind, "pid": os.getpid(), "pid_start": _pid_start(os.getpid()),
            "host": socket.gethostname(), "since": now, "heartbeat": now}


def _pid_alive(pid: int, start: str | None) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True                    # someone else's live process
    if start is not None:
        now_start = _pid_start(pid)
        if now_start is not None and now_start != start:
            return False               # the pid was reused
    if os.path.exists(f"/proc/{pid}/status"):
        with open(f"/proc/{pid}/status") as fh:
            if any(line.startswith("State:") and "Z" in line.split()[1] for line in fh):
                return False           # a zombie has finished writing
    return True


def is_gone(holder: dict, stale_after: float) -> bool:
    """A holder that can no longer write: dead here, or silent too long elsewhere."""
    if holder.get("host") == socket.gethostname() and isinstance(holder.get("pid"), int):
        return not _pid_alive(holder["pid"], holder.get("pid_start"))
    try:
        beat = dt.datetime.fromisoformat(str(holder.get("heartbeat")).replace("Z", "+00:00"))
    except ValueError:
        return True                    # unreadable record: nobody can be shown to hold it
    return (_now() - beat).total_seconds() > stale_after


# ---- file operations (local: atomic create; remote: best effort) -----------------------

def _remote(path: str) -> bool:
    return "://" in path


def _read(path: str) -> dict | None:
    try:
        if _remote(path):
            if not FileSystems.exists(path):
                return None
            with FileSystems.open(path, compression_type="uncompressed") as fh:
                data = fh.read()
        else:
            with open(path, "rb") as fh:
                data = fh.read()
    except FileNotFoundError:
        return None
    try:
        record = json.loads(data.decode("utf-8"))
        return record if isinstance(record, dict) else {}
    except (UnicodeDecodeError, ValueError):
        return {}                      # being written, or damaged: treated as a holder


def _create_excl(path: str, record: dict) -> bool:
    data = json.dumps(record).encode("utf-8")
    if _remote(path):
        if FileSystems.exists(path):
            return False
        with FileSystems.create(path, compression_type="uncompressed") as fh:
            fh.write(data)
        time.sleep(1.0)                # let a racing writer's object land, then check it is ours
        return (_read(path) or {}).get("run_id") == record["run_id"]
    os.makedirs(os.path.dirname(path), exist_ok=True)
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    except FileExistsError:
        return False
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    return True


def _replace(path: str, record: dict):
    """Rewrite a lock this process holds (heartbeat): whole, by rename locally."""
    data = json.dumps(record).encode("utf-8")
    if _remote(path):
        with FileSystems.create(path, compression_type="uncompressed") as fh:
            fh.write(data)
        return
    tmp = f"{path}.{uuid.uuid4().hex}.beat"
    with open(tmp, "wb") as fh:
        fh.write(data)
    os.replace(tmp, path)


def _remove(path: str):
    try:
        if _remote(path):
            FileSystems.delete([path])
        else:
            os.remove(path)
    except (FileNotFoundError, OSError):
        pass


def remove_staging(output: str, run_id: str):
    """DIR/_staging/RUN_ID/ of a holder that is gone."""
    from pipeline.sinks import list_files
    staging = join(output, "_staging", run_id)
    if _remote(staging):
        files = list_files(staging, "")
        if files:
            FileSystems.delete(files)
        return
    import shutil
    shutil.rmtree(staging, ignore_errors=True)
    try:
        os.rmdir(join(output, "_staging"))
    except OSError:
        pass


# ---- acquire, take over, heartbeat -------------------------------------------------------

def _try_acquire(output: str, path: str, mine: dict, stale_after: float) -> tuple[bool, dict | None, dict | None]:
    """(acquired, holder seen, gone holder taken over)."""
    if _create_excl(path, mine):
        return True, None, None
    holder = _read(path)
    if holder is None:
        return False, None, None       # released meanwhile: try again at once
    if not holder or not is_gone(holder, stale_after):
        return False, holder or {"run_id": "?"}, None
    # Gone: one contender wins the takeover of this particular holder.
    marker = f"{path}.takeover-{holder.get('run_id', 'unknown')}"
    if not _create_excl(marker, mine):
        other = _read(marker)
        if other and is_gone(other, stale_after):
            _remove(marker)            # a contender died mid-takeover
        return False, holder, None
    try:
        if (_read(path) or {}).get("run_id") != holder.get("run_id"):
            return False, _read(path), None
        _remove(path)
        if not _create_excl(path, mine):
            return False, _read(path), None
    finally:
        _remove(marker)
    if holder.get("run_id"):
        remove_staging(output, str(holder["run_id"]))
    return True, None, holder


class _Heartbeat(threading.Thread):
    def __init__(self, lock: Lock, every: float):
        super().__init__(name="newsbeam-lock-heartbeat", daemon=True)
        self.lock, self.every, self.stop = lock, every, threading.Event()

    def run(self):
        while not self.stop.wait(self.every):
            current = _read(self.lock.path)
            if current is not None and current and current.get("run_id") != self.lock.info["run_id"]:
                self.lock.lost = True
                return
            self.lock.info["heartbeat"] = _iso(_now())
            try:
                _replace(self.lock.path, self.lock.info)
            except OSError:
                pass                   # next beat tries again


@contextlib.contextmanager
def output_lock(output: str, *, kind: str, run_id: str, wait: float = 0.0, stale_after: float | None = None):
    """Exclusive lock on DIR (DIR/_state/lock). Raises Locked when held by a live writer and `wait` ran out.
    A holder that is gone (dead pid on this host; heartbeat older than stale_after elsewhere) is taken over,
    and only then is its staging DIR/_staging/<its run_id>/ removed. Heartbeats while held. Yields the lock."""
    stale_after = DEFAULT_STALE_AFTER if stale_after is None else float(stale_after)
    path = join(output, "_state", "lock")
    mine = holder_record(kind, run_id)
    deadline = time.monotonic() + max(0.0, wait or 0.0)
    while True:
        ok, holder, gone = _try_acquire(output, path, mine, stale_after)
        if ok:
            break
        if holder is not None and time.monotonic() >= deadline:
            raise Locked(output, holder)
        time.sleep(_POLL if holder is not None else 0.01)
    lock = Lock(output, path, mine)
    lock.took_over = gone
    beat = _Heartbeat(lock, max(0.5, min(30.0, stale_after / 5)))
    beat.start()
    try:
        yield lock
    finally:
        beat.stop.set()
        beat.join(timeout=5)
        if (_read(path) or {}).get("run_id") == run_id:
            _remove(path)


__all__ = ["Locked", "Lock", "output_lock", "is_gone", "holder_record", "DEFAULT_STALE_AFTER"]
