#!/usr/bin/env python
"""Speed and memory of newsbeam against a plain-loop reference, side by side.

    python bench/run_bench.py --n 2000                  # the four runs, one table
    python bench/run_bench.py --memory 10000,40000      # extraction-only peak memory

Runs (each a separate process, timed wall-clock including start-up, peak RSS summed
over the whole process tree, sampled every 0.2 s):
  reference     a plain Python loop, one process: the same libraries and the same work
                (trafilatura extraction, anatomy, spaCy NER with the same components and
                batch size, date resolution, one pyarrow write)
  newsbeam-1    `newsbeam run` on Beam's local runner, one worker
  newsbeam-2    the same with --direct_running_mode=multi_processing --direct_num_workers=2
  extract-only  newsbeam-1 with entities and dates switched off (--no-entities --no-dates)
Input: the JSONL form of bench/make_corpus.py's corpus (reproducible, seed 7).
Results also go to bench/results/*.json.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PY = sys.executable


# ---- measuring -------------------------------------------------------------------------

def _children() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        kids.setdefault(ppid, []).append(int(entry))
    return kids


def _tree_rss(pid: int) -> int:
    kids, total, todo = _children(), 0, [pid]
    while todo:
        p = todo.pop()
        todo.extend(kids.get(p, []))
        try:
            with open(f"/proc/{p}/statm") as fh:
                total += int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, ValueError):
            pass
    return total


def measure(cmd: list[str], env=None) -> dict:
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    peak = [0]
    done = threading.Event()

    def poll():
        while not done.is_set():
            peak[0] = max(peak[0], _tree_rss(proc.pid))
            done.wait(0.2)
    th = threading.Thread(target=poll, daemon=True)
    th.start()
    out, err = proc.communicate()
    done.set()
    th.join()
    seconds = time.monotonic() - t0
    if proc.returncode != 0:
        raise SystemExit(f"command failed ({proc.returncode}): {' '.join(cmd)}\n{err[-3000:]}")
    return {"seconds": seconds, "peak_rss_mb": peak[0] / 2 ** 20, "stdout": out}


# ---- the corpus ------------------------------------------------------------------------

def corpus(n: int, root: Path) -> Path:
    folder = root / f"n{n}"
    if not (folder / "jsonl").is_dir():
        subprocess.run([PY, str(HERE / "make_corpus.py"), "--out", str(folder), "--n", str(n),
                        "--formats", "jsonl", "--shard-size", "100"], check=True, cwd=ROOT)
    return folder / "jsonl"


# ---- the reference loop ------------------------------------------------------------------

def reference(jsonl_dir: Path, out: Path, batch_size: int, fast: bool) -> dict:
    """The same work without Beam: the libraries called in a loop, one process."""
    import datetime as dt

    import pyarrow as pa
    import pyarrow.parquet as pq

    from pipeline.config import EnrichOptions, ExtractOptions
    from pipeline.model import Page
    from pipeline.schema import ARTICLE_SCHEMA
    from transforms.anatomy import Catalogue, split_anatomy
    from transforms.enrich import Enricher
    from transforms.extractor import Extractor
    from transforms.record import to_row

    extractor = Extractor(ExtractOptions(fast=fast, timeout=0))
    catalogue = Catalogue.load()
    enricher = Enricher(EnrichOptions(batch_size=batch_size)).load()
    now = dt.datetime.now(dt.timezone.utc)
    rows, batch, docs = [], [], 0

    def drain():
        done, _ = enricher.run(batch)
        rows.extend(to_row(d, ingested_at=now, version="reference") for d in done)
        batch.clear()

    for shard in sorted(jsonl_dir.glob("*.jsonl.gz")):
        with gzip.open(shard, "rt", encoding="utf-8") as fh:
            for i, line in enumerate(fh, 1):
                rec = json.loads(line)
                docs += 1
                page = Page(input_ref=f"{shard}:{i}", source_kind="jsonl", url=rec["url"],
                            source=rec.get("source"), html=rec["html"])
                draft, _reason, _detail = extractor.run(page)
                if draft is None:
                    continue
                draft.update(split_anatomy(draft["text"], title=draft.get("title"), authors=draft.get("authors"),
                                           figures=draft.get("figures"), catalogue=catalogue))
                batch.append(draft)
                if len(batch) >= batch_size:
                    drain()
    if batch:
        drain()
    out.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.Table.from_pylist(rows, schema=ARTICLE_SCHEMA), out / "reference.parquet",
                   compression="zstd")
    return {"docs": docs, "written": len(rows), "words": sum(r["word_count"] for r in rows)}


# ---- the runs ------------------------------------------------------------------------------

def run_newsbeam(jsonl_dir: Path, out: Path, extra: list[str]) -> dict:
    shutil.rmtree(out, ignore_errors=True)
    exe = str(Path(PY).with_name("newsbeam"))
    m = measure([exe, "run", "--input", str(jsonl_dir), "--output", str(out), "--json", *extra])
    summary = json.loads(m["stdout"])
    import pyarrow.dataset as ds
    words = sum(ds.dataset(str(out / "articles"), format="parquet", partitioning="hive")
                .to_table(columns=["word_count"]).column("word_count").to_pylist())
    m.update(docs=summary["seen"]["total"], written=summary["written"]["total"], words=words,
             stage_timing=summary.get("stage_timing"), accounting_ok=summary["accounting"]["ok"])
    return m


def run_reference(jsonl_dir: Path, out: Path, batch_size: int, fast: bool) -> dict:
    shutil.rmtree(out, ignore_errors=True)
    m = measure([PY, str(Path(__file__)), "--reference-only", str(jsonl_dir), "--out", str(out),
                 "--batch-size", str(batch_size), "--fast" if fast else "--no-fast"])
    m.update(json.loads(m["stdout"].strip().splitlines()[-1]))
    return m


def table(results: dict) -> str:
    ref = results.get("reference")
    one = results.get("newsbeam-1")
    lines = [f"{'run':<14}{'docs':>7}{'seconds':>9}{'docs/s':>9}{'words/s':>10}{'× ref':>8}{'peak RSS MB':>13}"]
    for name, r in results.items():
        dps = r["docs"] / r["seconds"]
        ratio = f"{dps / (ref['docs'] / ref['seconds']):.2f}" if ref else "-"
        lines.append(f"{name:<14}{r['docs']:>7}{r['seconds']:>9.1f}{dps:>9.2f}{r['words'] / r['seconds']:>10.0f}"
                     f"{ratio:>8}{r['peak_rss_mb']:>13.0f}")
    two = results.get("newsbeam-2")
    if one and two:
        lines.append(f"2-worker speed-up over 1 worker: {(two['docs'] / two['seconds']) / (one['docs'] / one['seconds']):.2f}×")
    for name, r in results.items():
        if r.get("stage_timing"):
            parts = ", ".join(f"{k[3:]} {v['total_s']:.1f} s ({v['mean_ms']:.1f} ms/doc)"
                              for k, v in sorted(r["stage_timing"].items()))
            lines.append(f"  {name} time per stage: {parts}")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=2000, help="articles for the side-by-side runs")
    ap.add_argument("--runs", default="reference,newsbeam-1,newsbeam-2,extract-only")
    ap.add_argument("--memory", default="", help="comma-separated sizes for extraction-only memory runs")
    ap.add_argument("--memory-workers", type=int, default=1,
                    help="workers for the memory runs (2: multi_processing, both cores)")
    ap.add_argument("--corpus", type=Path, default=HERE / "corpus")
    ap.add_argument("--work", type=Path, default=HERE / "results")
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--fast", action=argparse.BooleanOptionalAction, default=True,
                    help="trafilatura fast mode in every run (newsbeam's default)")
    ap.add_argument("--reference-only", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args.reference_only:
        print(json.dumps(reference(args.reference_only, args.out, args.batch_size, args.fast)))
        return
    args.work.mkdir(parents=True, exist_ok=True)
    results = {}
    cfg = args.work / "bench-config.yaml"
    cfg.write_text(f"enrich:\n  batch_size: {args.batch_size}\nextract:\n  fast: {str(args.fast).lower()}\n")
    if args.runs:
        src = corpus(args.n, args.corpus)
        plan = {
            "reference": lambda: run_reference(src, args.work / "reference", args.batch_size, args.fast),
            "newsbeam-1": lambda: run_newsbeam(src, args.work / "nb1", ["--config", str(cfg)]),
            "newsbeam-2": lambda: run_newsbeam(src, args.work / "nb2", [
                "--config", str(cfg), "--direct_running_mode=multi_processing", "--direct_num_workers=2"]),
            "extract-only": lambda: run_newsbeam(src, args.work / "nbx", [
                "--config", str(cfg), "--no-entities", "--no-dates"]),
        }
        for name in [r for r in args.runs.split(",") if r]:
            print(f"running {name} on {args.n} articles ...", flush=True)
            results[name] = plan[name]()
            results[name].pop("stdout", None)
        print(f"\n{args.n} articles (bench/make_corpus.py, JSONL), batch size {args.batch_size}, "
              f"{os.cpu_count()} cores\n" + table(results))
    memory = {}
    for size in [int(s) for s in args.memory.split(",") if s]:
        src = corpus(size, args.corpus)
        print(f"extraction-only memory run on {size} articles ...", flush=True)
        workers = [] if args.memory_workers == 1 else [
            "--direct_running_mode=multi_processing", f"--direct_num_workers={args.memory_workers}"]
        r = run_newsbeam(src, args.work / f"mem{size}", ["--config", str(cfg), "--no-entities", "--no-dates",
                                                         *workers])
        r.pop("stdout", None)
        memory[size] = r
        print(f"  {size}: {r['seconds']:.0f} s, {r['docs'] / r['seconds']:.1f} docs/s, peak RSS {r['peak_rss_mb']:.0f} MB, "
              f"{args.memory_workers} worker(s), accounting ok: {r['accounting_ok']}", flush=True)
    if len(memory) >= 2:
        sizes = sorted(memory)
        ratio = memory[sizes[-1]]["peak_rss_mb"] / memory[sizes[0]]["peak_rss_mb"]
        print(f"peak RSS at {sizes[-1]} / at {sizes[0]}: {ratio:.2f}× (target ≤ 1.3×)")
    stamp = time.strftime("%Y%m%dT%H%M%S")
    (args.work / f"bench-{stamp}.json").write_text(json.dumps({"runs": results, "memory": memory}, indent=2, default=str))


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
