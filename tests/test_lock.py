"""One writer at a time: real `newsbeam run` processes racing for one output."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.lock import Locked, holder_record, output_lock
from tests.conftest import assert_accounting, duck, duck_count, last_summary, no_hidden_leftovers
from tests.feedserver import Feed, FeedServer, story

EXE = str(Path(sys.executable).with_name("newsbeam"))


def _run(out: Path, *inputs: str, extra=()) -> subprocess.Popen:
    cmd = [EXE, "run", "--output", str(out), "--no-entities", "--allow-private-addresses", *extra]
    for i in inputs:
        cmd += ["--input", i]
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


def _wait_for_lock(out: Path, proc: subprocess.Popen, timeout=60.0) -> dict:
    lock = out / "_state" / "lock"
    t_end = time.monotonic() + timeout
    while time.monotonic() < t_end:
        if lock.exists():
            try:
                return json.loads(lock.read_text())
            except ValueError:
                pass
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.05)
    raise AssertionError("the holder never took the lock")


def _ids_once(out: Path, n: int):
    rows = duck(out, "")
    ids = [r[0] for r in rows]
    assert len(ids) == n == len(set(ids)) == duck_count(out)


@pytest.fixture
def slow_feed():
    feed = Feed([story(i, "lock") for i in range(4)])
    feed.delay = 6.0                       # the holder sits in its fetch for 6 s
    with FeedServer({"/slow.rss": feed}) as srv:
        yield srv, feed


def test_a_second_run_exits_3_naming_the_holder_and_with_wait_proceeds_after(tmp_path, slow_feed):
    srv, _feed = slow_feed
    out = tmp_path / "out"
    holder = _run(out, srv.url("/slow.rss"))
    info = _wait_for_lock(out, holder)
    second = _run(out, srv.url("/slow.rss"))
    _stdout, err = second.communicate(timeout=120)
    assert second.returncode == 3, err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    line = lines[0]
    assert line.startswith("newsbeam: error: ")
    for part in (info["run_id"], f"pid {holder.pid}", socket.gethostname(), info["since"]):
        assert str(part) in line
    waiter = _run(out, srv.url("/slow.rss"), extra=("--wait", "120"))
    assert holder.wait(timeout=120) == 0
    _o, err = waiter.communicate(timeout=120)
    assert waiter.returncode == 0, err
    summary = last_summary(out)
    # the waiter ran after the holder had committed and saved the feed's validators: a 304
    assert summary["feeds"]["not_modified"] == 1 and summary["written"]["total"] == 0
    _ids_once(out, 4)
    assert not (out / "_state" / "lock").exists()
    no_hidden_leftovers(out)


def test_a_killed_holder_is_taken_over_and_nothing_is_lost(tmp_path, slow_feed):
    srv, _feed = slow_feed
    out = tmp_path / "out"
    holder = _run(out, srv.url("/slow.rss"))
    info = _wait_for_lock(out, holder)
    staging = out / "_staging" / info["run_id"]
    t_end = time.monotonic() + 30
    while not staging.exists() and time.monotonic() < t_end:
        time.sleep(0.05)
    assert staging.exists()
    os.killpg(holder.pid, signal.SIGKILL)
    holder.wait()
    nxt = _run(out, srv.url("/slow.rss"))
    _o, err = nxt.communicate(timeout=120)
    assert nxt.returncode == 0, err
    assert not staging.exists()                    # the dead holder's staging went with it
    _ids_once(out, 4)
    assert_accounting(last_summary(out))
    no_hidden_leftovers(out)


def test_overlapping_runs_never_write_a_row_twice(tmp_path):
    from tests.test_reruns import _corpus
    inp = _corpus(tmp_path / "in", 12)
    out = tmp_path / "out"
    procs = [_run(out, str(inp), extra=("--wait", "300")) for _ in range(2)]
    for p in procs:
        _o, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
    _ids_once(out, 12)
    runs = [json.loads(p.read_text()) for p in (out / "_runs").glob("*.json")]
    assert sorted(r["written"]["total"] for r in runs) == [0, 12]
    no_hidden_leftovers(out)


def test_only_a_gone_holders_staging_is_removed(tmp_path):
    out = tmp_path / "out"
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    record = holder_record("run", "20260101T000000Z-dead00")
    record["pid"], record["pid_start"] = dead.pid, None
    (out / "_state").mkdir(parents=True)
    (out / "_state" / "lock").write_text(json.dumps(record))
    for rid in ("20260101T000000Z-dead00", "20260101T000000Z-other1"):
        (out / "_staging" / rid).mkdir(parents=True)
        (out / "_staging" / rid / "part.parquet").write_bytes(b"x")
    with output_lock(str(out), kind="run", run_id="me", wait=0) as lock:
        assert lock.took_over["run_id"] == "20260101T000000Z-dead00"
        assert not (out / "_staging" / "20260101T000000Z-dead00").exists()
        assert (out / "_staging" / "20260101T000000Z-other1" / "part.parquet").exists()
        with pytest.raises(Locked) as e:
            with output_lock(str(out), kind="compact", run_id="second", wait=0.6):
                pass
        assert "me" in str(e.value) and str(os.getpid()) in str(e.value)
    assert not (out / "_state" / "lock").exists()


def test_another_hosts_lock_is_taken_over_only_once_its_heartbeat_is_stale(tmp_path):
    out = tmp_path / "out"
    record = holder_record("stream", "elsewhere")
    record["host"] = "some-other-host"
    (out / "_state").mkdir(parents=True)
    (out / "_state" / "lock").write_text(json.dumps(record))
    with pytest.raises(Locked):
        with output_lock(str(out), kind="run", run_id="me", stale_after=30):
            pass
    time.sleep(1.2)
    with output_lock(str(out), kind="run", run_id="me", stale_after=1) as lock:
        assert lock.took_over["host"] == "some-other-host"
