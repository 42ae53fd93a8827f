#!/usr/bin/env python
"""What live progress costs: per counted event, and on whole runs with and without it.

    python bench/progress_bench.py [--n 600] [--pairs 2]

1. micro: `progress.note()` per call with the channel on and off, and the number of
   calls a run makes per input unit (from the run's counters), against the run's time
   per unit: the cost as a share of the work.
2. runs: `newsbeam run` on the same corpus (bench/make_corpus.py HTML, --no-entities so
   the cheapest per-document work is the denominator), progress on (plain lines every
   second) and off (--quiet), interleaved ON/OFF pairs so machine load hits both alike.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import timeit
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def micro() -> tuple[float, float]:
    from pipeline import progress
    n = 50_000

    def best():                               # the least disturbed of several repeats
        return min(timeit.repeat(lambda: progress.note("seen.html"), number=n, repeat=7)) / n
    os.environ.pop(progress.ENV_DIR, None)
    off = best()
    with tempfile.TemporaryDirectory() as d:
        os.environ[progress.ENV_DIR] = d
        on = best()
        os.environ.pop(progress.ENV_DIR)
    return on, off


def one_run(corpus: Path, work: Path, quiet: bool) -> tuple[float, dict]:
    out = work / "out"
    shutil.rmtree(out, ignore_errors=True)
    env = dict(os.environ, NEWSBEAM_PROGRESS_INTERVAL="1")
    cmd = [sys.executable, "-m", "pipeline.cli", "run", "--input", str(corpus / "html"), "--output", str(out),
           "--no-entities", "--json"] + (["--quiet"] if quiet else [])
    p = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT, check=True)
    summary = json.loads(p.stdout)
    return summary["job_seconds"], summary


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=600)
    ap.add_argument("--pairs", type=int, default=2)
    args = ap.parse_args()
    on, off = micro()
    print(f"note() per call: {on * 1e9:.0f} ns with progress on, {off * 1e9:.0f} ns off")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        corpus = work / "corpus"
        subprocess.run([sys.executable, str(ROOT / "bench" / "make_corpus.py"), "--out", str(corpus),
                        "--n", str(args.n), "--formats", "html"], check=True, capture_output=True)
        times = {"on": [], "off": []}
        summary = None
        for _ in range(args.pairs):
            for label in ("on", "off"):
                seconds, summary = one_run(corpus, work, quiet=(label == "off"))
                times[label].append(seconds)
                print(f"run progress {label:<3}  job {seconds:6.2f} s")
    units = summary["seen"]["total"]
    # Calls per unit: seen, finalized, files (one a file), a reject or already_present where
    # it applies, plus a few per enrich batch of 32: at most 5.
    calls_per_unit = 5
    per_unit = min(times["off"]) / units
    share = calls_per_unit * on / per_unit
    print(f"<= {calls_per_unit} note() calls per unit; run time per unit {per_unit * 1000:.1f} ms; "
          f"progress costs {100 * share:.3f}% of it (plus one small file write a second per worker)")
    best_on, best_off = min(times["on"]), min(times["off"])
    print(f"best job time: on {best_on:.2f} s, off {best_off:.2f} s "
          f"({100 * (best_on - best_off) / best_off:+.1f}%; whole runs on a shared machine differ by more "
          f"than the cost, so the per-call figure above is the measure)")
    print(f"uptime: {' '.join(f'{x:.2f}' for x in os.getloadavg())} (load 1/5/15 min)")


if __name__ == "__main__":
    main()
