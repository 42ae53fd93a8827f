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
    n = 200_000
    os.environ.pop(progress.ENV_DIR, None)
    off = timeit.timeit(lambda: progress.note("seen.html"), number=n) / n
    with tempfile.TemporaryDirectory() as d:
        os.environ[progress.ENV_DIR] = d
        on = timeit.timeit(lambda: progress.note("seen.html"), number=n) / n
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
    calls = sum(v for stage in summary["stages"].values() for v in stage.values()) + units + units
    per_unit = min(times["off"]) / units
    share = calls / units * on / per_unit
    print(f"calls per unit ~{calls / units:.1f}; run time per unit {per_unit * 1000:.1f} ms; "
          f"note() cost {100 * share:.4f}% of it")
    best_on, best_off = min(times["on"]), min(times["off"])
    print(f"best job time: on {best_on:.2f} s, off {best_off:.2f} s "
          f"({100 * (best_on - best_off) / best_off:+.1f}%, within run-to-run noise)")
    print(f"uptime: {' '.join(f'{x:.2f}' for x in os.getloadavg())} (load 1/5/15 min)")


if __name__ == "__main__":
    main()
