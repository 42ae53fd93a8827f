#!/usr/bin/env python
"""Latency of `newsbeam stream`: from an entry appearing in a feed to its row being readable.

    python bench/stream_latency.py --poll 5 --commit 5 --minutes 2

A feed server on 127.0.0.1 (ETag / 304, tests/feedserver.py) gains one entry every
--every seconds (offset so entries land at all points of the poll cycle) while
`newsbeam stream` polls it as a separate process.  A reader polls the output the way a
user would (DuckDB over articles/**/*.parquet, every 0.25 s) and records when each
entry's URL first becomes readable.  Prints median, p95 and max against the target
poll + commit + 5 s, and the machine load.  Results also go to bench/results/.
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from tests import builders as b  # noqa: E402
from tests.feedserver import Feed, FeedServer, story  # noqa: E402


def _readable(out: Path) -> set[str]:
    import duckdb
    pattern = str(out / "articles" / "**" / "*.parquet")
    try:
        return {r[0] for r in duckdb.connect().execute(
            f"SELECT url FROM read_parquet('{pattern}', hive_partitioning=true)").fetchall()}
    except duckdb.Error:
        return set()


def _pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--poll", type=float, default=5.0)
    ap.add_argument("--commit", type=float, default=5.0)
    ap.add_argument("--minutes", type=float, default=2.0)
    ap.add_argument("--every", type=float, default=3.7, help="seconds between new entries")
    ap.add_argument("--entities", action="store_true", help="with NER (default: --no-entities)")
    ap.add_argument("--out", default="/tmp/newsbeam-stream-latency")
    a = ap.parse_args()

    out = Path(a.out)
    if out.exists():
        import shutil
        shutil.rmtree(out)
    feed = Feed([story(i, "bench") for i in range(3)])
    seen_at: dict[str, float] = {}
    with FeedServer({"/bench.rss": feed}) as srv:
        cmd = [str(Path(sys.executable).with_name("newsbeam")), "stream", "--input", srv.url("/bench.rss"),
               "--output", str(out), "--allow-private-addresses", "--poll-interval", str(a.poll),
               "--commit-interval", str(a.commit), "--json"]
        if not a.entities:
            cmd.append("--no-entities")
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        # wait for the first commit (start-up is not what this measures)
        while len(_readable(out)) < 3:
            if proc.poll() is not None:
                sys.exit("stream ended before its first commit")
            time.sleep(0.25)
        t_end = time.time() + a.minutes * 60
        n = 3
        next_add = time.time()
        while time.time() < t_end:
            if time.time() >= next_add:
                feed.add(story(n, "bench"))
                n += 1
                next_add += a.every
            now = time.time()
            for url in _readable(out):
                seen_at.setdefault(url, now)
            time.sleep(0.25)
        drain_end = time.time() + a.poll + a.commit + 30     # the last entries
        urls = [b.url_of(story(i, "bench")) for i in range(3, n)]
        while time.time() < drain_end and not all(u in seen_at for u in urls):
            now = time.time()
            for url in _readable(out):
                seen_at.setdefault(url, now)
            time.sleep(0.25)
        proc.send_signal(signal.SIGTERM)
        stdout, _ = proc.communicate(timeout=120)
        served = dict(feed.served)

    lat = [seen_at[u] - feed.added_at[u] for u in urls if u in seen_at]
    missing = [u for u in urls if u not in seen_at]
    summary = json.loads(stdout) if stdout.strip().startswith("{") else {}
    target = a.poll + a.commit + 5
    load = os.getloadavg()
    result = {
        "poll_s": a.poll, "commit_s": a.commit, "minutes": a.minutes, "entries": len(urls),
        "readable": len(lat), "missing": len(missing),
        "median_s": round(statistics.median(lat), 2) if lat else None,
        "p95_s": round(_pct(lat, 0.95), 2) if lat else None,
        "max_s": round(max(lat), 2) if lat else None,
        "target_s": target, "feed_answers": served, "commits": len(summary.get("commits", [])),
        "rows_once": summary.get("written", {}).get("total") == len(urls) + 3,
        "load_avg": [round(x, 2) for x in load], "entities": a.entities,
    }
    print(f"entries {len(urls)} (readable {len(lat)}, missing {len(missing)}) over {a.minutes} min, "
          f"poll {a.poll} s, commit {a.commit} s, entities {'on' if a.entities else 'off'}")
    print(f"latency entry appears -> row readable: median {result['median_s']} s, p95 {result['p95_s']} s, "
          f"max {result['max_s']} s   (target median <= {target} s)")
    print(f"feed answers {served}; commits {result['commits']}; load {result['load_avg']}")
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "stream_latency.json").write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
