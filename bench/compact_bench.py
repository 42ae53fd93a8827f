#!/usr/bin/env python
"""Files and bytes before and after `newsbeam compact` on a day of scheduled runs.

    python bench/compact_bench.py [--seed-articles 100] [--runs 96] [--per-run 40]

1. `newsbeam run` (entities and dates on) over --seed-articles articles of
   bench/make_corpus.py's corpus (JSONL): real rows with real bodies and entities.
2. A day of 15-minute runs: --runs commits of --per-run articles each.  Every article is
   new: url, source, title and body (paragraphs) of a fresh make_corpus article (seed 8),
   the other columns (entities, dates, captions, ...) from a seed row, a publication time
   in the 36 hours before the run (about 5% undated).  Written through newsbeam's own
   writer (pipeline.sinks.write_table, the zstd files a run commits) as
   part-RUNID-NNNNN.parquet, one file per run and partition.
3. `newsbeam compact DIR` (a separate process, timed, peak RSS), then a second one.
Prints file counts and sizes per partition before and after, checks the rows (id and
content hash) are the same, and times one DuckDB query before and after.

    python bench/compact_bench.py --real ../shared/data/article-extraction-benchmark/html --real-runs 12

instead runs `newsbeam run` --real-runs times over slices of a folder of real pages
(*.html or *.html.gz), partitioned by ingest_date (so every run adds a file to the same
partition, as a day of scheduled runs does), then compacts.  The synthetic corpus is
template-generated and compresses far better in one large file than real text does:
its byte figures overstate the saving; the real pages give the honest ratio.
"""
from __future__ import annotations

import argparse
import datetime as dt
import gzip
import hashlib
import json
import random
import shutil
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))


# `newsbeam compact DIR --target-file-mb N` in this process, then its own peak RSS.
COMPACT_MEASURED = """
import resource, sys
from pipeline.cli import main
rc = main(["compact", sys.argv[1], "--target-file-mb", sys.argv[2]])
print("peak_rss_mib", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
sys.exit(rc)
"""


def seed_rows(work: Path, n: int) -> list[dict]:
    import pyarrow.dataset as ds
    from make_corpus import generate_articles
    inp = work / "seed-in"
    inp.mkdir(parents=True, exist_ok=True)
    with gzip.open(inp / "corpus.jsonl.gz", "wt", encoding="utf-8") as fh:
        for a in generate_articles(n, seed=7):
            fh.write(json.dumps({"url": a["url"], "html": a["html"], "source": a["source"]}) + "\n")
    out = work / "seed-out"
    exe = Path(sys.executable).with_name("newsbeam")
    subprocess.run([str(exe), "run", "--input", str(inp), "--output", str(out)], check=True,
                   stdout=subprocess.DEVNULL)
    return ds.dataset(str(out / "articles"), format="parquet", partitioning="hive").to_table().drop_columns(
        ["published_date"]).to_pylist()


def build_day(out: Path, rows: list[dict], runs: int, per_run: int) -> None:
    import pyarrow as pa
    from pipeline import schema
    from pipeline.sinks import partition_path, write_table
    rng = random.Random(11)
    day = dt.datetime(2026, 3, 5, tzinfo=dt.timezone.utc)
    from make_corpus import generate_articles
    fresh = generate_articles(runs * per_run, seed=8)
    fs = schema.file_schema(["published_date"])
    for r in range(runs):
        now = day + dt.timedelta(minutes=15 * r)
        run_id = now.strftime("%Y%m%dT%H%M%SZ") + f"-{r:06x}"
        parts = defaultdict(list)
        for k in range(per_run):
            row = dict(rows[(r * per_run + k) % len(rows)])
            art = next(fresh)
            row["body"] = "\n\n".join(art["body"])
            row.update(url=art["url"], canonical_url=art["canonical_url"], source=art["source"],
                       title=art["title"], word_count=art["words"])
            row["id"] = hashlib.sha1(f"{art['canonical_url']}/{r}/{k}".encode()).hexdigest()[:32]
            row["content_hash"] = hashlib.sha1(row["body"].encode()).hexdigest()[:32]
            row["published_at"] = None if rng.random() < 0.05 else \
                now - dt.timedelta(minutes=rng.randrange(0, 36 * 60))
            row["ingested_at"] = now
            parts[partition_path(row, ["published_date"])].append(row)
        for n, (part, prow) in enumerate(sorted(parts.items())):
            write_table(pa.Table.from_pylist(prow, schema=fs), str(out / "articles" / part / f"part-{run_id}-{n:05d}.parquet"),
                        "zstd", run_id)


def real_day(work: Path, pages: Path, runs: int) -> Path:
    files = sorted(pages.glob("*.html")) + sorted(pages.glob("*.html.gz"))
    out = work / "real"
    cfg = work / "ingest-date.yaml"
    cfg.parent.mkdir(parents=True, exist_ok=True)
    cfg.write_text("write:\n  partition_by: [ingest_date]\n")
    exe = Path(sys.executable).with_name("newsbeam")
    for r in range(runs):
        inp = work / f"real-in-{r}"
        inp.mkdir(parents=True)
        for f in files[r::runs]:
            data = gzip.decompress(f.read_bytes()) if f.suffix == ".gz" else f.read_bytes()
            (inp / f.name.removesuffix(".gz")).write_bytes(data)
        subprocess.run([str(exe), "run", "--input", str(inp), "--output", str(out), "--config", str(cfg)],
                       check=True, stdout=subprocess.DEVNULL)
    return out


def census(out: Path) -> dict:
    per = defaultdict(lambda: [0, 0])
    for p in (out / "articles").rglob("*.parquet"):
        per[p.parent.name][0] += 1
        per[p.parent.name][1] += p.stat().st_size
    return dict(sorted(per.items()))


def rows_of(out: Path) -> Counter:
    import duckdb
    return Counter(duckdb.connect().execute(
        f"SELECT id, content_hash FROM read_parquet('{out}/articles/**/*.parquet', hive_partitioning=true)").fetchall())


def query_seconds(out: Path, repeat: int = 5) -> float:
    import duckdb
    con = duckdb.connect()
    sql = (f"SELECT source, count(*), avg(word_count) FROM read_parquet('{out}/articles/**/*.parquet', "
           f"hive_partitioning=true) WHERE word_count > 100 GROUP BY 1")
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        con.execute(sql).fetchall()
        best = min(best, time.perf_counter() - t0)
    return best


def show(title: str, c: dict):
    files, size = sum(v[0] for v in c.values()), sum(v[1] for v in c.values())
    print(f"{title}: {files} files, {size / 2**20:.2f} MiB, {len(c)} partitions")
    for part, (n, b) in c.items():
        print(f"  {part:<45} {n:>4} files  {b / 2**20:8.2f} MiB  (mean {b / n / 1024:7.1f} KiB)")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed-articles", type=int, default=100)
    ap.add_argument("--runs", type=int, default=96)
    ap.add_argument("--per-run", type=int, default=40)
    ap.add_argument("--work", default=str(HERE / "results" / "compact-work"))
    ap.add_argument("--target-file-mb", default="128")
    ap.add_argument("--real", help="folder of real pages (*.html, *.html.gz) instead of the synthetic day")
    ap.add_argument("--real-runs", type=int, default=12)
    args = ap.parse_args()
    work = Path(args.work)
    shutil.rmtree(work, ignore_errors=True)
    t0 = time.perf_counter()
    if args.real:
        out = real_day(work, Path(args.real), args.real_runs)
        label = f"before ({args.real_runs} real runs over {args.real})"
        print(f"real runs: {time.perf_counter() - t0:.1f} s")
    else:
        rows = seed_rows(work, args.seed_articles)
        print(f"seed run: {len(rows)} articles in {time.perf_counter() - t0:.1f} s")
        out = work / "day"
        build_day(out, rows, args.runs, args.per_run)
        label = f"before ({args.runs} runs x {args.per_run} articles)"
    before, before_rows, q_before = census(out), rows_of(out), query_seconds(out)
    show(label, before)
    exe = Path(sys.executable).with_name("newsbeam")
    t0 = time.perf_counter()
    measured = subprocess.run([sys.executable, "-c", COMPACT_MEASURED, str(out), args.target_file_mb],
                              check=True, capture_output=True, text=True).stdout
    seconds = time.perf_counter() - t0
    print(measured.rstrip())
    peak = float(measured.strip().splitlines()[-1].split()[-1])
    after, q_after = census(out), query_seconds(out)
    show("after compact", after)
    assert rows_of(out) == before_rows, "rows changed"
    second = subprocess.run([str(exe), "compact", str(out)], check=True, capture_output=True, text=True).stdout
    print(f"compact: {seconds:.1f} s wall (process), peak RSS {peak:.0f} MiB; rows identical "
          f"({sum(before_rows.values())}); second compact: {second.strip()}")
    print(f"DuckDB query (all rows, filter on word_count, group by source), best of 5: {q_before * 1000:.0f} ms before, "
          f"{q_after * 1000:.0f} ms after")
    return 0


if __name__ == "__main__":
    sys.exit(main())
