#!/usr/bin/env python
"""Time and peak memory of `newsbeam report` and `newsbeam stats` on a large output.

    python bench/report_bench.py --articles 1000000 [--dir /tmp/report-bench] [--keep]

Writes a synthetic output directly in newsbeam's layout and schema (pipeline/schema.py):
articles/published_date=YYYY-MM-DD/part-*.parquet with bodies, entities (about 12 a
row) and date mentions, rejects/run_id=*/, and one _runs/*.json per run. Columns are
built with numpy/pyarrow from small pools, so a million rows take under a minute. Then
runs each command as its own process and prints wall time and peak RSS (ru_maxrss of
the child).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.dataset as ds

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.schema import ARTICLE_SCHEMA, REJECT_SCHEMA, file_schema  # noqa: E402

LABELS = ["PERSON", "ORG", "GPE", "LOC", "NORP", "EVENT"]
WORDS = ("council harbor bridge vote frost orchard library dome budget school ferry court "
         "river storm market transit strike museum clinic airport").split()


def _pool(rng, n, words=3):
    return [" ".join(rng.choice(WORDS, words)).title() + f" {i}" for i in range(n)]


def _entities(rng, rows: int, names: list[str]):
    per = rng.poisson(12, rows).astype(np.int32)
    offsets = np.concatenate([[0], np.cumsum(per)]).astype(np.int32)
    total = int(offsets[-1])
    # Zipf-like popularity: a few names very often, a long tail.
    idx = np.minimum(rng.zipf(1.3, total) - 1, len(names) - 1)
    text = pa.array(np.array(names, dtype=object)[idx], pa.string())
    start = pa.array(rng.integers(0, 3000, total, dtype=np.int32))
    end = pa.array(start.to_numpy() + 8)
    struct = pa.StructArray.from_arrays(
        [text, pa.array(np.array(LABELS, dtype=object)[idx % len(LABELS)], pa.string()), start, end,
         pa.nulls(total, pa.string())], fields=list(ARTICLE_SCHEMA.field("entities").type.value_type))
    return pa.ListArray.from_arrays(pa.array(offsets), struct)


def _dates(rng, rows: int):
    per = rng.poisson(3, rows).astype(np.int32)
    offsets = np.concatenate([[0], np.cumsum(per)]).astype(np.int32)
    total = int(offsets[-1])
    resolved = rng.random(total) < 0.93
    value = pa.array(np.where(resolved, "2024-05-01", None), pa.string())
    gran = pa.array(np.array(["day", "month", "year"], dtype=object)[rng.integers(0, 3, total)], pa.string())
    zero = pa.array(np.zeros(total, dtype=np.int32))
    struct = pa.StructArray.from_arrays(
        [pa.array(["on May 1"] * total, pa.string()), zero, zero, value, gran],
        fields=list(ARTICLE_SCHEMA.field("dates").type.value_type))
    return pa.ListArray.from_arrays(pa.array(offsets), struct)


def make_chunk(rng, start: int, rows: int, names, sources, bodies) -> pa.Table:
    ids = [f"{i:032x}" for i in range(start, start + rows)]
    src = np.array(sources, dtype=object)[np.minimum(rng.zipf(1.5, rows) - 1, len(sources) - 1)]
    day0 = np.datetime64("2024-01-01T00:00:00", "us")
    published = day0 + rng.integers(0, 365 * 86400, rows).astype("timedelta64[s]").astype("timedelta64[us]")
    published_at = pa.array(published, pa.timestamp("us", tz="UTC"))
    kinds = np.array(["feed", "html", "jsonl", "warc", "text"], dtype=object)[rng.integers(0, 5, rows)]
    cols = {
        "id": pa.array(ids), "url": pa.array([f"https://{s}/a/{i}" for s, i in zip(src, ids)]),
        "canonical_url": pa.array([f"https://{s}/a/{i}" for s, i in zip(src, ids)]),
        "source": pa.array(src, pa.string()), "source_kind": pa.array(kinds, pa.string()),
        "input_ref": pa.array([f"bench/{i}" for i in ids]),
        "title": pa.array(np.array(names, dtype=object)[rng.integers(0, len(names), rows)], pa.string()),
        "authors": pa.array([["Staff"]] * rows, pa.list_(pa.string())),
        "language": pa.array(np.where(rng.random(rows) < 0.9, "en", "de"), pa.string()),
        "published_at": published_at,
        "published_at_source": pa.array(np.array(["feed", "jsonld", "html_meta", "url"], dtype=object)
                                        [rng.integers(0, 4, rows)], pa.string()),
        "dateline": pa.nulls(rows, pa.string()),
        "body": pa.array(np.array(bodies, dtype=object)[rng.integers(0, len(bodies), rows)], pa.string()),
        "captions": pa.array([[]] * rows, ARTICLE_SCHEMA.field("captions").type),
        "credits": pa.array([[]] * rows, pa.list_(pa.string())),
        "boilerplate": pa.array([[]] * rows, pa.list_(pa.string())),
        "entities": _entities(rng, rows, names), "dates": _dates(rng, rows),
        "word_count": pa.array(rng.integers(200, 1500, rows).astype(np.int32)),
        "content_hash": pa.array(ids), "ingested_at": published_at,
        "pipeline_version": pa.array(["0.1.0"] * rows),
    }
    table = pa.table(cols, schema=ARTICLE_SCHEMA)
    days = pa.array(np.datetime_as_string(published.astype("datetime64[D]")), pa.string())
    return table.append_column("published_date", days)


def generate(out: Path, n: int, runs: int, seed: int = 7):
    rng = np.random.default_rng(seed)
    names = _pool(rng, 200_000)
    sources = [f"www.paper{i}.example.org" for i in range(3000)]
    bodies = [" ".join(rng.choice(WORDS, 400)) for _ in range(200)]       # ~2.5 KB each
    chunk = 100_000
    part = ds.partitioning(pa.schema([("published_date", pa.string())]), flavor="hive")
    for k, start in enumerate(range(0, n, chunk)):
        table = make_chunk(rng, start, min(chunk, n - start), names, sources, bodies)
        ds.write_dataset(table, out / "articles", format="parquet", partitioning=part,
                         basename_template=f"part-bench{k:03d}-{{i}}.parquet",
                         existing_data_behavior="overwrite_or_ignore",
                         file_options=ds.ParquetFileFormat().make_write_options(compression="zstd"))
    assert file_schema(["published_date"]).names == ARTICLE_SCHEMA.names
    per_run = n // runs
    t0 = dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc)
    (out / "_runs").mkdir(parents=True, exist_ok=True)
    for r in range(runs):
        run_id = (t0 + dt.timedelta(hours=r)).strftime("%Y%m%dT%H%M%SZ") + f"-b{r:05d}"
        rej = 400
        rows = {"input_ref": [f"bench/rej/{r}/{i}" for i in range(rej)],
                "source_kind": ["html"] * rej,
                "stage": ["extract"] * (rej // 2) + ["read"] * (rej // 4) + ["dedup"] * (rej - rej // 2 - rej // 4),
                "reason": ["extract_empty"] * (rej // 2) + ["jsonl_invalid"] * (rej // 4)
                + ["duplicate"] * (rej - rej // 2 - rej // 4),
                "detail": ["synthetic"] * rej, "rejected_at": [t0] * rej, "raw": [None] * rej,
                "run_id": [run_id] * rej}
        rdir = out / "rejects" / f"run_id={run_id}"
        rdir.mkdir(parents=True, exist_ok=True)
        import pyarrow.parquet as pq
        pq.write_table(pa.Table.from_pydict(rows, schema=REJECT_SCHEMA), rdir / "part-00000.parquet")
        dup = rej - rej // 2 - rej // 4
        summary = {"run_id": run_id, "started_at": (t0 + dt.timedelta(hours=r)).isoformat(),
                   "seconds": 600.0, "seen": {"total": per_run + rej}, "written": {"total": per_run},
                   "duplicates": {"total": dup}, "rejected": {"total": rej - dup},
                   "already_present": {"total": 0}, "accounting": {"ok": True},
                   "docs_per_second": round(per_run / 600, 2),
                   "stage_timing": {"ms.extract": {"count": per_run, "mean_ms": 20.0, "total_s": per_run * 0.02},
                                    "ms.anatomy": {"count": per_run, "mean_ms": 3.0, "total_s": per_run * 0.003},
                                    "ms.enrich": {"count": per_run, "mean_ms": 9.0, "total_s": per_run * 0.009}}}
        (out / "_runs" / f"{run_id}.json").write_text(json.dumps(summary))


def _du(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def measure(cmd: list[str]) -> tuple[float, float, str]:
    """Wall seconds and peak RSS (MB) of one command run as a child process."""
    code = ("import resource, subprocess, sys, time; t = time.monotonic(); "
            "p = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
            "print(time.monotonic() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, "
            "p.returncode); sys.stderr.write(p.stdout[-300:] + p.stderr[-2000:])")
    p = subprocess.run([sys.executable, "-c", code, *cmd], capture_output=True, text=True, cwd=ROOT)
    seconds, rss_kb, rc = p.stdout.split()
    if rc != "0":
        raise SystemExit(f"{' '.join(cmd)} failed:\n{p.stderr}")
    return float(seconds), int(rss_kb) / 1024, p.stderr.strip().splitlines()[-1]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=50)
    ap.add_argument("--dir", default="/tmp/newsbeam-report-bench")
    ap.add_argument("--keep", action="store_true", help="keep (and reuse) the generated output")
    args = ap.parse_args()
    out = Path(args.dir)
    marker = out / f".bench-{args.articles}-{args.runs}"
    if not marker.exists():
        shutil.rmtree(out, ignore_errors=True)
        t = time.monotonic()
        generate(out, args.articles, args.runs)
        marker.touch()
        print(f"generated  {args.articles:,} articles, {args.runs} runs in {time.monotonic() - t:.1f} s; "
              f"{_du(out) / 1e6:.0f} MB on disk, "
              f"{sum(1 for _ in (out / 'articles').rglob('*.parquet')):,} article files")
    newsbeam = [sys.executable, "-m", "pipeline.cli"]
    for name, cmd in (("report", newsbeam + ["report", str(out)]),
                      ("stats --json", newsbeam + ["stats", str(out), "--json"])):
        seconds, rss, last = measure(cmd)
        print(f"{name:<13} {seconds:6.1f} s  peak RSS {rss:6.0f} MB   ({last[-70:]})")
    print(f"uptime: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f} (load 1/5/15 min)")
    if not args.keep:
        shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
