"""Conditional GET: a scheduled `run` over the same feeds sends its validators and counts 304s."""
from __future__ import annotations

import json

from pipeline.state import FeedState, FeedStateSpec
from tests.conftest import assert_accounting, duck_count, last_summary, run_cli
from tests.feedserver import Feed, FeedServer, story


def _run(out, *urls, extra=()):
    args = ["--output", str(out), "--no-entities", "--allow-private-addresses", "--json", *extra]
    for u in urls:
        args += ["--input", u]
    assert run_cli(*args) == 0
    return last_summary(out)


def test_scheduled_runs_send_validators_and_count_304s(tmp_path):
    world = Feed([story(i, "world") for i in range(3)])
    local = Feed([story(i, "local") for i in range(2)])
    with FeedServer({"/world.rss": world, "/local.rss": local}) as srv:
        urls = (srv.url("/world.rss"), srv.url("/local.rss"))
        out = tmp_path / "out"
        first = _run(out, *urls)
        assert first["written"]["total"] == 5 and first["feeds"]["not_modified"] == 0
        state = json.loads((out / "_state" / "feeds.json").read_text())
        assert set(state) == set(urls) and all(v["etag"] for v in state.values())

        second = _run(out, *urls)                          # nothing changed: two 304s
        assert second["feeds"]["not_modified"] == 2
        assert second["seen"]["total"] == 0 and second["written"]["total"] == 0
        assert_accounting(second)
        assert world.served["304"] == 1 and local.served["304"] == 1

        world.add(story(3, "world"))                       # one feed grows: 200 there, 304 here
        third = _run(out, *urls)
        assert third["feeds"]["not_modified"] == 1
        assert third["written"]["total"] == 1 and third["already_present"]["total"] == 3
        assert_accounting(third)

        fourth = _run(out, *urls, extra=("--no-state",))   # --no-state: plain GETs
        assert fourth["feeds"]["not_modified"] == 0 and fourth["already_present"]["total"] == 6
        not_modified = [r for r in srv.requests if r[1] == 304]
        assert sorted(r[0] for r in not_modified) == ["/local.rss", "/local.rss", "/world.rss"]
        assert all(r[2] for r in not_modified)             # each answered an If-None-Match
        assert duck_count(out) == 6
        print(f"304s over the scheduled runs: {sum(1 for r in srv.requests if r[1] == 304)}")


def test_a_failing_feed_backs_off_exponentially_and_recovers():
    now = [1000.0]
    st = FeedState(FeedStateSpec(backoff=True, poll_interval=10, max_backoff=60), clock=lambda: now[0])
    url = "http://feeds.example/x.rss"
    polled = []
    for tick in range(16):                     # one poll every 10 s
        if st.due(url):
            polled.append(tick)
            if tick < 12:
                st.failed(url)
            else:
                st.succeeded(url)
        now[0] += 10
    # fails at 0, 2 (after 20 s), 6 (40 s), 12 (60 s, the cap) then succeeds: every poll again
    assert polled == [0, 2, 6, 12, 13, 14, 15]


def test_validators_are_saved_only_after_the_commit(tmp_path, monkeypatch):
    feed = Feed([story(i, "crash") for i in range(2)])
    with FeedServer({"/crash.rss": feed}) as srv:
        out = tmp_path / "out"
        import pipeline.run as runmod

        def crash(**kwargs):
            raise OSError("disk went away during the commit")
        with monkeypatch.context() as m:
            m.setattr(runmod, "commit", crash)
            try:
                _run(out, srv.url("/crash.rss"))
            except OSError:
                pass
        assert not (out / "_state" / "feeds.json").exists()    # the 200 was never committed
        assert not (out / "_staging").exists() or not any((out / "_staging").iterdir())
        summary = _run(out, srv.url("/crash.rss"))
        assert summary["written"]["total"] == 2 and summary["feeds"]["not_modified"] == 0
        assert feed.served == {"200": 2, "304": 0, "error": 0}
