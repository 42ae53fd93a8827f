#!/usr/bin/env python
"""Speed and memory of newsbeam against a plain-loop reference, side by side, on ONE file.

    python bench/run_bench.py --n 265 --memory 10      # the coordinator's line: speed + memory
    python bench/run_bench.py --n 200 --runs reference,newsbeam-1,newsbeam-2 --rounds 2
    python bench/run_bench.py --n 1000 --runs newsbeam-1,newsbeam-2,newsbeam-1-seq
                        # 190 MB: start-up amortised as on a user's GB archive

Input: one archive file (--format jsonl: plain JSONL, or warc: a WARC.gz with a request and
a response record per article) of --n articles from bench/make_corpus.py (seed 7), pages of
100-300 KB with scripts and navigation (--small-pages: the 30-120 KB ones).

Runs (each a separate process, timed wall-clock including start-up, peak RSS summed over the
whole process tree, sampled every 0.2 s), interleaved --rounds times so shared load hits all:
  reference          a plain Python loop, one process: the same libraries and the same work
                     (trafilatura, anatomy, spaCy NER with the same components and batch size,
                     date resolution, one pyarrow write), with its own time per stage
  newsbeam-1         `newsbeam run` on Beam's local runner, one worker
  newsbeam-2         --direct_running_mode=multi_processing --direct_num_workers=2, same ONE file
  newsbeam-1-seq     newsbeam-1 with extract.prefetch 0: the worker waits for each page's
                     extraction (before the prefetch: extraction and spaCy took turns)
  newsbeam-2-seq     newsbeam-2 with extract.prefetch 0
  newsbeam-1-inproc  newsbeam-1 with extract.timeout 0 (no extraction child process)
  newsbeam-2-pages   newsbeam-2 with read.spread: pages (one reader, pages reshuffled)
  newsbeam-2-none    newsbeam-2 with read.spread: none (no redistribution)
  extract-only       newsbeam-1 with entities and dates switched off
Per newsbeam run the bench also prints, per Beam worker process: documents, when it started,
read its first unit, finalized its first and last document and exited, its CPU seconds (per
document after its first batch; the rest: start-up) and its extraction child's; the driver's
CPU and the load average. From those CPU figures (which other agents' load disturbs far less
than wall time) a "CPU-bound estimate" of the 2-worker ratio on a free machine: a run cannot
finish before its busiest process's CPU time, nor before the tree's CPU time / cores.
--memory K: extraction-only runs on the file and on one K times larger (the same pages
again under other URLs), with --memory-workers workers; prints the peak RSS ratio.
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


def _tree(pid: int) -> list[int]:
    kids, out, todo = _children(), [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(kids.get(p, []))
    return out


def _tree_rss(pids: list[int]) -> int:
    total = 0
    for p in pids:
        try:
            with open(f"/proc/{p}/statm") as fh:
                total += int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, ValueError):
            pass
    return total


def _children_cpu() -> float:
    import resource
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


TICK = os.sysconf("SC_CLK_TCK")


def _slope(rec: dict, docs: int) -> float | None:
    """A worker's CPU seconds per document after its first finalized batch (start-up excluded)."""
    cpu0, docs0 = rec.get("cpu_at_first_doc", (None, 0))
    if cpu0 is None or docs <= docs0:
        return None
    return round((rec["cpu_s"] - cpu0) / (docs - docs0), 4)


class Watcher:
    """Per process of the tree: CPU seconds (utime+stime, last sample), parent, what it runs,
    first and last seen; per Beam worker: its progress snapshots over time (pipeline/progress.py
    writes one per worker process under OUT/_staging/RUN_ID/_progress/, named PID-xxxx), so the
    bench can say which worker did how many documents, and when each one finished."""

    def __init__(self, out: Path | None):
        self.out, self.t0 = out, time.monotonic()
        self.procs: dict[int, dict] = {}
        self.snaps: dict[str, list] = {}        # snapshot name -> [(t, finalized, seen)]

    def sample(self, pids: list[int]):
        t = time.monotonic() - self.t0
        for p in pids:
            try:
                with open(f"/proc/{p}/stat") as fh:
                    f = fh.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            rec = self.procs.get(p)
            if rec is None:
                try:
                    with open(f"/proc/{p}/cmdline", "rb") as fh:
                        cmd = fh.read().replace(b"\0", b" ").decode(errors="replace")
                except OSError:
                    cmd = ""
                rec = self.procs[p] = {"ppid": int(f[1]), "cmd": cmd[:300], "first": t}
            rec["last"], rec["cpu_s"] = t, (int(f[11]) + int(f[12])) / TICK
        if self.out is not None:
            for snap in self.out.glob("_staging/*/_progress/*.json"):
                try:
                    counts = json.loads(snap.read_text())
                except (OSError, ValueError):
                    continue
                row = (round(t, 1), counts.get("finalized", 0),
                       sum(v for k, v in counts.items() if k.startswith("seen.")))
                hist = self.snaps.setdefault(snap.stem, [])
                if not hist or hist[-1][1:] != row[1:]:
                    hist.append(row)
                rec = self.procs.get(int(snap.stem.split("-")[0]))
                if rec is not None and row[1] and "cpu_at_first_doc" not in rec:
                    rec["cpu_at_first_doc"] = (rec["cpu_s"], row[1])   # (CPU, docs) at its first batch

    def report(self, root: int) -> dict:
        """CPU by role (driver, each worker with its extraction child), docs and times per worker."""
        kids: dict[int, list[int]] = {}
        for p, rec in self.procs.items():
            kids.setdefault(rec["ppid"], []).append(p)

        def cpu_below(p):
            return self.procs[p]["cpu_s"] + sum(cpu_below(k) for k in kids.get(p, []))

        workers = {}
        for name, hist in self.snaps.items():
            pid = int(name.split("-")[0])
            if pid not in self.procs:
                continue
            first_seen = next((t for t, _f, s in hist if s), None)
            first_doc = next((t for t, f, _s in hist if f), None)
            workers[pid] = {"docs": hist[-1][1], "seen": hist[-1][2], "started_s": round(self.procs[pid]["first"], 1),
                            "first_unit_s": first_seen, "first_doc_s": first_doc, "last_doc_s": hist[-1][0],
                            "exit_s": round(self.procs[pid]["last"], 1),
                            "cpu_s": round(self.procs[pid]["cpu_s"], 1),
                            "per_doc_cpu_s": _slope(self.procs[pid], hist[-1][1]),
                            "child_cpu_s": round(cpu_below(pid) - self.procs[pid]["cpu_s"], 1)}
        driver = self.procs.get(root, {}).get("cpu_s", 0.0)
        total = sum(r["cpu_s"] for r in self.procs.values())
        other = total - (0 if root in workers else driver) - sum(
            w["cpu_s"] + w["child_cpu_s"] for w in workers.values())
        return {"driver_cpu_s": round(driver, 1), "other_cpu_s": round(other, 1),
                "sampled_cpu_s": round(total, 1), "workers": workers}


def measure(cmd: list[str], env=None, out: Path | None = None) -> dict:
    """Wall seconds, peak RSS of the process tree, and CPU seconds of the tree (every
    descendant that was waited for: Beam workers, the extraction child), which shared load
    disturbs much less than wall time; per process and per worker: see Watcher."""
    cpu0 = _children_cpu()
    load0 = os.getloadavg()[0]
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    peak = [0]
    done = threading.Event()
    watch = Watcher(out)

    def poll():
        while not done.is_set():
            pids = _tree(proc.pid)
            peak[0] = max(peak[0], _tree_rss(pids))
            watch.sample(pids)
            done.wait(0.2)
    th = threading.Thread(target=poll, daemon=True)
    th.start()
    out_text, err = proc.communicate()
    done.set()
    th.join()
    seconds = time.monotonic() - t0
    if proc.returncode != 0:
        raise SystemExit(f"command failed ({proc.returncode}): {' '.join(cmd)}\n{err[-3000:]}")
    return {"seconds": seconds, "cpu_s": _children_cpu() - cpu0, "peak_rss_mb": peak[0] / 2 ** 20,
            "stdout": out_text, "load": [load0, os.getloadavg()[0]], "procs": watch.report(proc.pid)}


# ---- the corpus ------------------------------------------------------------------------

def one_file(n: int, root: Path, fmt: str, large: bool, copies: int = 1) -> Path:
    """ONE archive file of n articles (bench/make_corpus.py, seed 7), written `copies` times
    over (copy k > 0 under its own URLs: the same pages, a file `copies` times larger)."""
    name = f"one-{n}{'-large' if large else ''}-x{copies}." + ("jsonl" if fmt == "jsonl" else "warc.gz")
    path = root / name
    if path.exists():
        return path
    sys.path.insert(0, str(HERE))
    import make_corpus as mc
    root.mkdir(parents=True, exist_ok=True)
    arts = list(mc.generate_articles(n, seed=7, large=large))
    tmp = path.with_suffix(".tmp")
    with open(tmp, "wb") as fh:
        if fmt == "jsonl":
            for k in range(copies):
                for a in arts:
                    url = a["url"] if k == 0 else a["url"].replace("://", f"://copy{k}.", 1)
                    fh.write(json.dumps({"url": url, "html": a["html"], "source": a["source"]},
                                        ensure_ascii=False).encode("utf-8") + b"\n")
        else:
            import io

            from warcio.statusandheaders import StatusAndHeaders
            from warcio.warcwriter import WARCWriter
            writer = WARCWriter(fh, gzip=True, warc_version="1.1")
            for k in range(copies):
                for a in arts:
                    url = a["url"] if k == 0 else a["url"].replace("://", f"://copy{k}.", 1)
                    req = writer.create_warc_record(url, "request", payload=io.BytesIO(
                        f"GET / HTTP/1.1\r\nHost: x\r\n\r\n".encode()))
                    writer.write_record(req)
                    headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                               protocol="HTTP/1.1")
                    writer.write_record(writer.create_warc_record(
                        url, "response", payload=io.BytesIO(a["html"].encode("utf-8")), http_headers=headers))
    tmp.rename(path)
    return path


def _units(path: Path):
    """(input_ref, url, html) of every article in a JSONL(.gz) or WARC(.gz) file: the loop's reader."""
    if ".warc" in path.name:
        from warcio.archiveiterator import ArchiveIterator
        with open(path, "rb") as fh:
            for rec in ArchiveIterator(fh):
                if rec.rec_type == "response" and "html" in (rec.http_headers.get_header("Content-Type") or ""):
                    yield (f"{path}#{rec.rec_headers.get_header('WARC-Record-ID')}",
                           rec.rec_headers.get_header("WARC-Target-URI"),
                           rec.content_stream().read().decode("utf-8", "replace"))
        return
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as fh:
        for i, line in enumerate(fh, 1):
            rec = json.loads(line)
            yield f"{path}:{i}", rec["url"], rec["html"]


# ---- the reference loop ------------------------------------------------------------------

def reference(path: Path, out: Path, batch_size: int, fast: bool) -> dict:
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

    clock = time.perf_counter
    stages = dict.fromkeys(("setup", "read", "extract", "anatomy", "enrich", "finalize", "write"), 0.0)
    t = clock()
    extractor = Extractor(ExtractOptions(fast=fast, timeout=0))
    catalogue = Catalogue.load()
    enricher = Enricher(EnrichOptions(batch_size=batch_size)).load()
    now = dt.datetime.now(dt.timezone.utc)
    rows, batch, docs = [], [], 0
    stages["setup"] += clock() - t

    def drain():
        t = clock()
        done, _ = enricher.run(batch)
        t2 = clock()
        rows.extend(to_row(d, ingested_at=now, version="reference") for d in done)
        stages["enrich"] += t2 - t
        stages["finalize"] += clock() - t2
        batch.clear()

    units = _units(path)
    while True:
        t = clock()
        unit = next(units, None)
        stages["read"] += clock() - t
        if unit is None:
            break
        ref, url, html = unit
        docs += 1
        t = clock()
        draft, _reason, _detail = extractor.run(Page(input_ref=ref, source_kind="jsonl", url=url, html=html))
        t2 = clock()
        stages["extract"] += t2 - t
        if draft is None:
            continue
        draft.update(split_anatomy(draft["text"], title=draft.get("title"), authors=draft.get("authors"),
                                   figures=draft.get("figures"), catalogue=catalogue))
        stages["anatomy"] += clock() - t2
        batch.append(draft)
        if len(batch) >= batch_size:
            drain()
    if batch:
        drain()
    t = clock()
    out.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.Table.from_pylist(rows, schema=ARTICLE_SCHEMA), out / "reference.parquet",
                   compression="zstd")
    stages["write"] += clock() - t
    return {"docs": docs, "written": len(rows), "words": sum(r["word_count"] for r in rows),
            "stages_s": {k: round(v, 2) for k, v in stages.items()}}


# ---- the runs ------------------------------------------------------------------------------

def run_newsbeam(src: Path, out: Path, extra: list[str]) -> dict:
    shutil.rmtree(out, ignore_errors=True)
    exe = str(Path(PY).with_name("newsbeam"))
    env = dict(os.environ, NEWSBEAM_PROGRESS_INTERVAL="100000")      # snapshots, no lines
    m = measure([exe, "run", "--input", str(src), "--output", str(out), "--json", *extra], env=env, out=out)
    summary = json.loads(m["stdout"])
    import pyarrow.dataset as ds
    words = sum(ds.dataset(str(out / "articles"), format="parquet", partitioning="hive")
                .to_table(columns=["word_count"]).column("word_count").to_pylist())
    m.update(docs=summary["seen"]["total"], written=summary["written"]["total"], words=words,
             job_seconds=summary.get("job_seconds"), stage_timing=summary.get("stage_timing"),
             accounting_ok=summary["accounting"]["ok"])
    return m


def run_reference(src: Path, out: Path, batch_size: int, fast: bool) -> dict:
    shutil.rmtree(out, ignore_errors=True)
    m = measure([PY, str(Path(__file__)), "--reference-only", str(src), "--out", str(out),
                 "--batch-size", str(batch_size), "--fast" if fast else "--no-fast"])
    m.update(json.loads(m["stdout"].strip().splitlines()[-1]))
    return m


def warm_cache():
    """Build the start-up cache (pipeline/cache.py: place lists, language id, catalogue)
    before any timed run, so that no run pays for it and every run reads it."""
    subprocess.run([PY, "-c", "from pipeline.config import EnrichOptions; from transforms.enrich import Enricher; "
                    "from transforms.anatomy import Catalogue; Enricher(EnrichOptions()).load(); Catalogue.load()"],
                   cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _median(rs: list[dict]) -> dict:
    """The run of median speed among the rounds (its own figures, not a blend)."""
    return sorted(rs, key=lambda r: r["seconds"])[len(rs) // 2]


def table(results: dict) -> str:
    ref = results.get("reference")
    one = results.get("newsbeam-1")
    lines = [f"{'run':<18}{'docs':>6}{'seconds':>9}{'docs/s':>8}{'words/s':>9}{'x ref':>7}{'x 1 worker':>11}"
             f"{'peak RSS MB':>12}{'CPU s':>8}{'CPU x ref':>10}  accounting"]
    for name, r in results.items():
        dps = r["docs"] / r["seconds"]
        ratio = f"{dps / (ref['docs'] / ref['seconds']):.2f}" if ref else "-"
        vs1 = f"{dps / (one['docs'] / one['seconds']):.2f}" if one and name != "reference" else "-"
        ok = {True: "ok", False: "WRONG", None: "-"}[r.get("accounting_ok")]
        cpu = f"{ref['cpu_s'] / r['cpu_s']:.2f}" if ref and r.get("cpu_s") else "-"
        lines.append(f"{name:<18}{r['docs']:>6}{r['seconds']:>9.1f}{dps:>8.2f}{r['words'] / r['seconds']:>9.0f}"
                     f"{ratio:>7}{vs1:>11}{r['peak_rss_mb']:>12.0f}{r.get('cpu_s', 0):>8.1f}{cpu:>10}  {ok}")
    return "\n".join(lines)


def stage_table(results: dict) -> str:
    """Seconds per stage: the loop's own clock against the pipeline's ms.* distributions.

    The pipeline's extract time is the time the worker waited for the extraction child
    (the child's work overlaps the later steps: extract.prefetch).
    'other' is wall time not in a timed stage: start-up, Beam, read, fetch, write, teardown.
    """
    cols = [n for n in results if n == "reference" or results[n].get("stage_timing")]
    names = ["extract", "anatomy", "enrich", "other", "total (wall)"]
    lines = [f"{'stage (s)':<14}" + "".join(f"{c:>19}" for c in cols)]
    for st in names:
        row = f"{st:<14}"
        for c in cols:
            r = results[c]
            if st == "total (wall)":
                v = r["seconds"]
            elif c == "reference":
                rs = r["stages_s"]
                v = r["seconds"] - sum(rs[k] for k in ("extract", "anatomy", "enrich")) if st == "other" else rs[st]
            else:
                t = {k[3:]: v["total_s"] for k, v in r["stage_timing"].items()}
                v = r["seconds"] - sum(t.get(k, 0) for k in ("extract", "anatomy", "enrich")) if st == "other" \
                    else t.get(st, 0.0)
            row += f"{v:>19.1f}"
        lines.append(row)
    if "reference" in results:
        lines.append("  reference detail: " + ", ".join(f"{k} {v:.1f} s" for k, v in results["reference"]["stages_s"].items()))
    return "\n".join(lines)


def _free_wall(r: dict, sequential: bool = False) -> float:
    """A lower bound of the run's wall time on an otherwise idle machine, from CPU seconds
    (which other agents' load disturbs far less than wall time): no process can finish
    before its own CPU time (with extract.prefetch 0, `sequential`: before its own and its
    extraction child's, which take turns), and the tree cannot use more than the cores."""
    p = r["procs"]
    ws = p["workers"].values()
    busiest = max([p["driver_cpu_s"]] + [w["cpu_s"] + w["child_cpu_s"] for w in ws] if sequential else
                  [p["driver_cpu_s"]] + [w["cpu_s"] for w in ws] + [w["child_cpu_s"] for w in ws])
    return max(busiest, p["sampled_cpu_s"] / (os.cpu_count() or 1))


def worker_table(results: dict) -> str:
    """Where each newsbeam run's CPU and wall time went, per Beam worker process (sampled
    from /proc every 0.2 s and from the workers' progress snapshots; a worker's last second
    of counts may be missing, so its docs can fall short of the total by a few)."""
    lines = [f"{'run':<16}{'worker':>8}{'docs':>6}{'start s':>8}{'1st unit':>9}{'1st doc':>8}{'last doc':>9}"
             f"{'exit s':>7}{'CPU s':>7}{'CPU/doc':>8}{'start-up':>9}{'child CPU':>10}  | driver CPU, other CPU, load"]
    for name, r in results.items():
        p = r.get("procs")
        if not p or not p["workers"]:
            continue
        first = True
        for pid, w in sorted(p["workers"].items(), key=lambda kv: -kv[1]["docs"]):
            if not w["docs"] and not w["seen"]:
                continue
            slope = w.get("per_doc_cpu_s")
            per = f"{slope:.3f}" if slope else "-"
            start = f"{w['cpu_s'] - slope * w['docs']:.1f}" if slope else "-"
            tail = (f"  | {p['driver_cpu_s']:.1f}, {p['other_cpu_s']:.1f}, "
                    f"{r['load'][0]:.1f}->{r['load'][1]:.1f}") if first else ""
            lines.append(f"{name if first else '':<16}{pid:>8}{w['docs']:>6}{w['started_s']:>8.1f}"
                         f"{w['first_unit_s'] or 0:>9.1f}{w['first_doc_s'] or 0:>8.1f}{w['last_doc_s']:>9.1f}"
                         f"{w['exit_s']:>7.1f}{w['cpu_s']:>7.1f}{per:>8}{start:>9}{w['child_cpu_s']:>10.1f}{tail}")
            first = False
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=265, help="articles in the one file")
    ap.add_argument("--format", choices=("jsonl", "warc"), default="jsonl")
    ap.add_argument("--small-pages", action="store_true", help="30-120 KB pages instead of 100-300 KB")
    ap.add_argument("--runs", default="reference,newsbeam-1,newsbeam-1-seq,newsbeam-2")
    ap.add_argument("--rounds", type=int, default=1, help="interleaved repetitions; the median is shown")
    ap.add_argument("--memory", type=int, default=0, help="K: memory runs on the file and one K times larger")
    ap.add_argument("--memory-workers", type=int, default=2)
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
    large = not args.small_pages
    src = one_file(args.n, args.corpus, args.format, large)
    load0 = os.getloadavg()

    def config(name: str, **read) -> Path:
        path = args.work / f"bench-{name}.yaml"
        text = (f"enrich:\n  batch_size: {args.batch_size}\nextract:\n  fast: {str(args.fast).lower()}\n"
                + ("  timeout: 0\n" if read.pop("inproc", False) else "")
                + (f"  prefetch: {read.pop('prefetch')}\n" if "prefetch" in read else ""))
        if read:
            text += "read:\n" + "".join(f"  {k}: {v}\n" for k, v in read.items())
        path.write_text(text)
        return path

    two = ["--direct_running_mode=multi_processing", "--direct_num_workers=2"]
    plan = {
        "reference": lambda: run_reference(src, args.work / "reference", args.batch_size, args.fast),
        "newsbeam-1": lambda: run_newsbeam(src, args.work / "nb1", ["--config", str(config("default"))]),
        "newsbeam-2": lambda: run_newsbeam(src, args.work / "nb2", ["--config", str(config("default")), *two]),
        "newsbeam-1-seq": lambda: run_newsbeam(src, args.work / "nb1s", ["--config", str(config("seq", prefetch=0))]),
        "newsbeam-2-seq": lambda: run_newsbeam(src, args.work / "nb2s", ["--config", str(config("seq", prefetch=0)), *two]),
        "newsbeam-1-inproc": lambda: run_newsbeam(src, args.work / "nb1i", ["--config", str(config("inproc", inproc=True))]),
        "newsbeam-2-pages": lambda: run_newsbeam(src, args.work / "nb2p", ["--config", str(config("pages", spread="pages")), *two]),
        "newsbeam-2-none": lambda: run_newsbeam(src, args.work / "nb2n", ["--config", str(config("none", spread="none")), *two]),
        "extract-only": lambda: run_newsbeam(src, args.work / "nbx", [
            "--config", str(config("default")), "--no-entities", "--no-dates"]),
    }
    names = [r for r in args.runs.split(",") if r]
    unknown = [n for n in names if n not in plan]
    if unknown:
        raise SystemExit(f"unknown run(s) {', '.join(unknown)}; known: {', '.join(plan)}")
    warm_cache()
    rounds: dict[str, list] = {n: [] for n in names}
    for k in range(args.rounds):
        for name in (names if k % 2 == 0 else names[::-1]):
            print(f"round {k + 1}: {name} on {src.name} ...", flush=True)
            r = plan[name]()
            r.pop("stdout", None)
            rounds[name].append(r)
    results = {n: _median(rs) for n, rs in rounds.items() if rs}
    load1 = os.getloadavg()
    if results:
        size = src.stat().st_size / 1e6
        print(f"\nONE file {src.name} ({size:.1f} MB, {args.n} articles), batch size {args.batch_size}, "
              f"{os.cpu_count()} cores, load average {load0[0]:.1f} before / {load1[0]:.1f} after, "
              f"median of {args.rounds} round(s)\n" + table(results))
        if "newsbeam-1" in results and "newsbeam-2" in results:
            a, b = results["newsbeam-1"], results["newsbeam-2"]
            print(f"2 workers on one file vs 1 worker: {(b['docs'] / b['seconds']) / (a['docs'] / a['seconds']):.2f}x "
                  f"(target >= 1.85x)")
        if "newsbeam-1-seq" in results and "newsbeam-2" in results:
            a, b = results["newsbeam-1-seq"], results["newsbeam-2"]
            print(f"2 workers on one file vs 1 worker with extract.prefetch 0: "
                  f"{(b['docs'] / b['seconds']) / (a['docs'] / a['seconds']):.2f}x")
        for one in ("newsbeam-1", "newsbeam-1-seq"):
            if one in results and "newsbeam-2" in results:
                a, b = _free_wall(results[one], one.endswith("-seq")), _free_wall(results["newsbeam-2"])
                print(f"CPU-bound estimate on {os.cpu_count()} free cores, 2 workers vs {one}: "
                      f"{a / b:.2f}x (wall >= max(busiest process CPU, tree CPU / cores): "
                      f"{a:.1f} s vs {b:.1f} s)")
        if "reference" in results and "newsbeam-1" in results:
            a, b = results["reference"], results["newsbeam-1"]
            print(f"1 worker vs the loop: {(b['docs'] / b['seconds']) / (a['docs'] / a['seconds']):.2f}x (target >= 0.95x)")
        print("\n" + stage_table(results))
        print("\nper worker process (seconds from the run's start):\n" + worker_table(results))
    memory = {}
    if args.memory:
        workers = [] if args.memory_workers == 1 else [
            "--direct_running_mode=multi_processing", f"--direct_num_workers={args.memory_workers}"]
        for copies in (1, args.memory):
            path = one_file(args.n, args.corpus, args.format, large, copies)
            print(f"memory run: {path.name} ({path.stat().st_size / 1e6:.0f} MB) ...", flush=True)
            r = run_newsbeam(path, args.work / f"mem{copies}", ["--config", str(config("default")),
                                                                 "--no-entities", "--no-dates", *workers])
            r.pop("stdout", None)
            memory[copies] = r
            print(f"  x{copies}: {r['docs']} docs, {r['seconds']:.0f} s, peak RSS {r['peak_rss_mb']:.0f} MB, "
                  f"{args.memory_workers} worker(s), accounting ok: {r['accounting_ok']}", flush=True)
        ratio = memory[args.memory]["peak_rss_mb"] / memory[1]["peak_rss_mb"]
        print(f"peak RSS, file x{args.memory} / file x1: {ratio:.2f}x (target <= 1.3x)")
    stamp = time.strftime("%Y%m%dT%H%M%S")
    (args.work / f"bench-{stamp}.json").write_text(json.dumps(
        {"file": str(src), "load": [load0, os.getloadavg()], "rounds": rounds, "memory": memory},
        indent=2, default=str))


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
