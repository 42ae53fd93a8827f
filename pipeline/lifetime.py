"""Child processes die with their parent.

A `newsbeam run` killed with SIGKILL (a cron timeout, the OOM killer) cannot clean up,
and a spawned child (the extraction sandbox) would live on with parent pid 1.  The
child asks the kernel for SIGKILL when its parent dies (Linux prctl PR_SET_PDEATHSIG)
and, everywhere, watches its parent pid from a daemon thread as a fallback.

PR_SET_PDEATHSIG fires when the *thread* that started the child exits, so the parent
must start such children from a thread that lives as long as the process
(`spawner()`), never from a pool thread that may be retired while the child is in use.
"""
from __future__ import annotations

import concurrent.futures as cf
import os
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1
POLL_SECONDS = 1.0

_SPAWNER: cf.ThreadPoolExecutor | None = None
_SPAWNER_LOCK = threading.Lock()


def spawner() -> cf.ThreadPoolExecutor:
    """One long-lived thread per process to start children from (see module doc)."""
    global _SPAWNER
    with _SPAWNER_LOCK:
        if _SPAWNER is None:
            _SPAWNER = cf.ThreadPoolExecutor(max_workers=1, thread_name_prefix="newsbeam-spawner")
        return _SPAWNER


def die_with_parent(parent_pid: int, poll: float = POLL_SECONDS) -> None:
    """Call first thing in a child: exit as soon as `parent_pid` is no longer the parent."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent_pid:          # the parent died before we got here
        os._exit(1)

    def watch():
        while True:
            time.sleep(poll)
            if os.getppid() != parent_pid:
                os._exit(1)

    threading.Thread(target=watch, name="newsbeam-parent-watch", daemon=True).start()
