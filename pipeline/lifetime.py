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


# A Beam worker may be ended before its extraction child's pool is shut down; Python's
# resource tracker then warns about the pool's semaphores in the user's terminal
# ("There appear to be 1 leaked semaphore objects"). The child is killed on purpose and the
# kernel frees what it held, so the tracker (started by this process, with its -W options)
# is told not to warn.
_QUIET_TRACKER = "ignore::UserWarning:multiprocessing.resource_tracker"


def quiet_resource_tracker() -> None:
    if _QUIET_TRACKER not in sys.warnoptions:
        sys.warnoptions.append(_QUIET_TRACKER)


def spawner() -> cf.ThreadPoolExecutor:
    """One long-lived thread per process to start children from (see module doc)."""
    global _SPAWNER
    quiet_resource_tracker()
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
