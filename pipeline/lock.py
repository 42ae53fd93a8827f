"""One writer at a time: an exclusive lock file DIR/_state/lock.

Minimal implementation of the shared lock API (run, stream and compact use it).  The
lock is a file created with O_EXCL holding {run_id, pid, host, since, kind}; a lock
whose holder process is dead on this host is taken over.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import socket
import time


class Locked(Exception):
    """str(e) is the one line naming the holder: run id, pid, host, since."""


def _path(output: str) -> str:
    return os.path.join(output, "_state", "lock")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _holder(path: str) -> dict | None:
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return {}                                  # being written right now: treat as held


def _stale(holder: dict, stale_after: float | None, path: str) -> bool:
    if holder.get("host") == socket.gethostname() and isinstance(holder.get("pid"), int) \
            and not _alive(holder["pid"]):
        return True
    if stale_after is not None:
        try:
            return time.time() - os.path.getmtime(path) > stale_after
        except OSError:
            return False
    return False


def _describe(holder: dict) -> str:
    return (f"output is locked by {holder.get('kind', '?')} run {holder.get('run_id', '?')} "
            f"(pid {holder.get('pid', '?')} on {holder.get('host', '?')}, since {holder.get('since', '?')})")


def _try_take(path: str, record: bytes) -> bool:
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    except FileExistsError:
        return False
    with os.fdopen(fd, "wb") as fh:
        fh.write(record)
    return True


@contextlib.contextmanager
def output_lock(output: str, *, kind: str, run_id: str, wait: float = 0.0, stale_after: float | None = None):
    """Hold DIR/_state/lock for the block; raise Locked if another live writer holds it
    after `wait` seconds."""
    path = _path(output)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    record = json.dumps({"run_id": run_id, "pid": os.getpid(), "host": socket.gethostname(),
                         "since": dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat(),
                         "kind": kind}).encode("utf-8")
    deadline = time.monotonic() + max(wait, 0.0)
    while not _try_take(path, record):
        holder = _holder(path)
        if holder is None:
            continue                               # released between our two looks
        if holder and _stale(holder, stale_after, path):
            with contextlib.suppress(FileNotFoundError):
                os.remove(path)
            continue
        if time.monotonic() >= deadline:
            raise Locked(_describe(holder or {}))
        time.sleep(min(0.5, max(0.0, deadline - time.monotonic())))
    try:
        yield
    finally:
        if (_holder(path) or {}).get("run_id") == run_id:
            with contextlib.suppress(FileNotFoundError):
                os.remove(path)
