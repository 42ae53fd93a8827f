"""`newsbeam stream` as a user runs it: a real process polling real servers on 127.0.0.1."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq

from tests import builders as b
from tests.conftest import assert_accounting, duck, last_summary, no_hidden_leftovers
from tests.feedserver import Feed, FeedServer, story

EXE = str(Path(sys.executable).with_name("newsbeam"))


def _stream(out: Path, *inputs: str, poll=1.0, commit=1.0, extra=()) -> subprocess.Popen:
    cmd = [EXE, "stream", "--output", str(out), "--no-entities", "--allow-private-addresses",
           "--poll-interval", str(poll), "--commit-interval", str(commit), *extra]
    for i in inputs:
        cmd += ["--input", i]
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


def _ids(out: Path) -> list[str]:
    try:
        return [r[0] for r in duck(out, "")]
    except Exception:               # nothing committed yet
        return []


def _wait_rows(out: Path, n: int, proc: subprocess.Popen, timeout=45.0) -> list[str]:
    t_end = time.monotonic() + timeout
    while time.monotonic() < t_end:
        ids = _ids(out)
        if len(ids) >= n:
            return ids
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.2)
    raise AssertionError(f"{len(_ids(out))} rows after {timeout} s, expected {n}")


def _stop(proc: subprocess.Popen, sig=signal.SIGTERM) -> str:
    proc.send_signal(sig)
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    return err


def _files_whole(out: Path):
    for path in (out / "articles").rglob("*"):
        if path.is_file():
            assert path.suffix == ".parquet" and not path.name.startswith("."), path
            pq.read_metadata(path)


def test_a_stream_commits_while_running_each_entry_once_and_stops_cleanly_on_sigterm(tmp_path):
    feed = Feed([story(i, "grow") for i in range(3)])
    with FeedServer({"/grow.rss": feed}) as srv:
        out = tmp_path / "out"
        proc = _stream(out, srv.url("/grow.rss"))
        _wait_rows(out, 3, proc)                                 # rows while the stream runs
        for i in range(3, 6):
            feed.add(story(i, "grow"))
        ids = _wait_rows(out, 6, proc)
        assert proc.poll() is None and len(ids) == len(set(ids)) == 6

        run = subprocess.run([EXE, "run", "--input", srv.url("/grow.rss"), "--output", str(out),
                              "--allow-private-addresses", "--no-entities"],
                             capture_output=True, text=True, timeout=120)
        assert run.returncode == 3, run.stderr                  # the stream holds the output
        line = run.stderr.strip()
        assert "\n" not in line and "stream" in line and f"pid {proc.pid}" in line

        feed.add(story(6, "grow"))
        time.sleep(1.0)                                          # SIGTERM while it may be in flight
        _stop(proc)
        _files_whole(out)
        no_hidden_leftovers(out)
        assert not (out / "_state" / "lock").exists()
        summary = last_summary(out)
        assert summary["kind"] == "stream" and summary["stream"]["stopped_by"] == "SIGTERM"
        assert_accounting(summary)
        ids = _ids(out)
        assert len(ids) == len(set(ids)) and len(ids) in (6, 7)  # entry 6: committed or not yet polled
        commits = summary["commits"]
        assert len(commits) >= 2 and sum(c["written"] for c in commits) == len(ids)
        assert all(c["latency_s"]["median"] is not None for c in commits if c["written"])
        assert feed.served["304"] >= 1                           # unchanged polls were 304s

        before = feed.served["200"]                              # a second stream adds nothing
        again = _stream(out, srv.url("/grow.rss"), extra=("--duration", "4"))
        _o, err = again.communicate(timeout=90)
        assert again.returncode == 0, err
        second = last_summary(out)
        assert second["written"]["total"] == 0 and second["rejected"]["total"] == 0
        assert second["feeds"]["not_modified"] >= 1 or second["already_present"]["total"] >= 1
        assert sorted(_ids(out)) == sorted(set(_ids(out))) and len(_ids(out)) == 7
        assert feed.served["200"] - before <= 1


def test_a_watched_folder_picks_up_a_file_dropped_in(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    first, second = story(1, "drop"), story(2, "drop")
    (inbox / "first.html").write_text(b.html_page(first))
    os.utime(inbox / "first.html", (time.time() - 10, time.time() - 10))
    out = tmp_path / "out"
    proc = _stream(out, str(inbox))
    _wait_rows(out, 1, proc)
    tmp = inbox / ".second.html.partial"                       # dropped the safe way: rename
    tmp.write_text(b.html_page(second))
    tmp.rename(inbox / "second.html")
    _wait_rows(out, 2, proc)
    time.sleep(2.5)                                             # more polls: nothing read twice
    _stop(proc, signal.SIGINT)
    summary = last_summary(out)
    assert summary["seen"]["by_kind"] == {"html": 2} and summary["written"]["total"] == 2
    assert summary["stream"]["stopped_by"] == "SIGINT"
    assert_accounting(summary)
    assert sorted(r[1] for r in duck(out, "")) == sorted([b.url_of(first), b.url_of(second)])


def test_a_failing_feed_backs_off_while_another_keeps_flowing(tmp_path):
    good = Feed([story(i, "good") for i in range(2)])
    bad = Feed([story(0, "bad")])
    bad.failing = 404
    config = tmp_path / "stream.yaml"
    config.write_text("stream:\n  max_backoff: 8\n")
    with FeedServer({"/good.rss": good, "/bad.rss": bad}) as srv:
        out = tmp_path / "out"
        proc = _stream(out, srv.url("/good.rss"), srv.url("/bad.rss"),
                       extra=("--config", str(config)))
        _wait_rows(out, 2, proc)
        t0 = time.monotonic()
        good.add(story(2, "good"))
        _wait_rows(out, 3, proc)
        while time.monotonic() - t0 < 10:
            time.sleep(0.5)
        _stop(proc)
    good_polls = sum(1 for r in srv.requests if r[0] == "/good.rss")
    bad_polls = sum(1 for r in srv.requests if r[0] == "/bad.rss")
    assert good_polls >= 10
    assert 2 <= bad_polls <= good_polls / 2                    # 1, 2, 4, 8 (cap) s apart
    summary = last_summary(out)
    assert summary["rejected_by_reason"] == {"fetch:fetch_http_404": bad_polls}
    assert summary["feeds"]["backing_off"] >= good_polls - bad_polls - 2
    assert summary["written"]["total"] == 3
    assert_accounting(summary)
    rows = json.loads((out / "_state" / "feeds.json").read_text())
    assert srv.url("/good.rss") in rows and srv.url("/bad.rss") not in rows


def test_a_killed_stream_is_taken_over_by_the_next_run_with_nothing_lost(tmp_path):
    feed = Feed([story(i, "kill") for i in range(3)])
    with FeedServer({"/kill.rss": feed}) as srv:
        out = tmp_path / "out"
        proc = _stream(out, srv.url("/kill.rss"))
        _wait_rows(out, 3, proc)
        holder = json.loads((out / "_state" / "lock").read_text())
        feed.add(story(3, "kill"))
        time.sleep(0.5)
        os.killpg(proc.pid, signal.SIGKILL)                    # perhaps mid-poll or mid-commit
        proc.wait()
        assert (out / "_state" / "lock").exists()
        run = subprocess.run([EXE, "run", "--input", srv.url("/kill.rss"), "--output", str(out),
                              "--allow-private-addresses", "--no-entities"],
                             capture_output=True, text=True, timeout=120)
        assert run.returncode == 0, run.stderr
        assert not (out / "_staging" / holder["run_id"]).exists()
        ids = _ids(out)
        assert len(ids) == len(set(ids)) == 4
        _files_whole(out)
        no_hidden_leftovers(out)
        assert_accounting(last_summary(out))


def test_an_opml_list_is_polled_feed_by_feed_and_an_article_in_two_feeds_is_written_once(tmp_path):
    shared = story(0, "shared")
    one, two = Feed([shared, story(1, "one")]), Feed([shared, story(2, "two")])
    with FeedServer({"/one.rss": one, "/two.rss": two}) as srv:
        opml = tmp_path / "feeds.opml"
        opml.write_text(f"""<?xml version="1.0"?><opml version="2.0"><body>
<outline text="one" xmlUrl="{srv.url('/one.rss')}"/><outline text="two" xmlUrl="{srv.url('/two.rss')}"/>
</body></opml>""")
        out = tmp_path / "out"
        proc = _stream(out, str(opml), extra=("--duration", "5"))
        _o, err = proc.communicate(timeout=90)
        assert proc.returncode == 0, err
    summary = last_summary(out)
    assert summary["written"]["total"] == 3 and summary["duplicates"]["total"] == 1
    assert_accounting(summary)
    assert one.served["304"] >= 1 and two.served["304"] >= 1
    assert sorted(r[1] for r in duck(out, "")) == sorted(b.url_of(s) for s in (shared, story(1, "one"),
                                                                                  story(2, "two")))
