"""No process outlives its run: after `kill -9` of `newsbeam run`, every process it
started (the extraction child, Beam's worker processes) is gone within seconds."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests import builders as b

ROOT = Path(__file__).resolve().parent.parent


def _children() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            kids.setdefault(ppid, []).append(int(entry))
    return kids


def _descendants(pid: int) -> set[int]:
    kids, found, todo = _children(), set(), [pid]
    while todo:
        for child in kids.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def _cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            return fh.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("mode", ["in_memory", "multi_processing"])
def test_killing_a_run_leaves_no_process_behind(tmp_path, mode):
    inp = tmp_path / "in"
    inp.mkdir()
    filler = "".join(f"<p>{p}</p>" for s in b.STORIES for p in s["paragraphs"]) * 6
    for i in range(400):
        story = b.STORIES[i % len(b.STORIES)]
        (inp / f"p{i:04d}.html").write_text(b.html_page(story, host=f"www.paper{i}.example.org",
                                                        extra_body=filler))
    started: set[int] = set()
    cmd = [sys.executable, "-m", "pipeline.cli", "run", "--input", str(inp), "--output", str(tmp_path / "out"),
           "--no-entities", "--quiet", f"--direct_running_mode={mode}", "--direct_num_workers=2"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        # wait until the extraction child(ren) run: a multiprocessing spawn child below the run
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and proc.poll() is None:
            started = _descendants(proc.pid)
            if any("multiprocessing.spawn" in _cmdline(p) for p in started):
                break
            time.sleep(0.2)
        assert proc.poll() is None, "the run ended before it could be killed: give it more input"
        time.sleep(1.0)
        started |= _descendants(proc.pid)
        assert any("multiprocessing.spawn" in _cmdline(p) for p in started)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(_alive(p) for p in started):
            time.sleep(0.2)
        left = {p: _cmdline(p) for p in started if _alive(p)}
        assert not left, f"still running after the run was killed: {left}"
    finally:
        if proc.poll() is None:
            proc.kill()
        for p in started | _descendants(proc.pid):       # never leave them to the next test
            if not _alive(p) or "python" not in _cmdline(p):
                continue
            try:
                os.kill(p, signal.SIGKILL)
            except OSError:
                pass


LEAKY_WORKER = """
import concurrent.futures as cf, multiprocessing as mp, os, sys
sys.path.insert(0, {root!r})
from pipeline.lifetime import spawner
if __name__ == "__main__":
    spawner()                                   # what the extractor calls before its pool
    pool = cf.ProcessPoolExecutor(max_workers=1, mp_context=mp.get_context("spawn"))
    assert pool.submit(abs, -1).result() == 1
    for proc in list(pool._processes.values()):
        proc.kill()
    os._exit(0)                                 # ended like a Beam worker: pool not shut down
"""


def test_a_worker_ended_before_its_pool_shuts_down_prints_no_tracker_warning(tmp_path):
    script = tmp_path / "leaky.py"
    script.write_text(LEAKY_WORKER.format(root=str(Path(__file__).resolve().parent.parent)))
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=60)
    time.sleep(1.0)                             # the tracker reports when the last holder is gone
    assert proc.returncode == 0, proc.stderr
    assert "resource_tracker" not in proc.stderr and "leaked semaphore" not in proc.stderr
