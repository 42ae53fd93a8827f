"""Where a Beam worker's start-up CPU goes: step, CPU s, wall s, with a cold and a warm cache.

    .venv/bin/python bench/startup_profile.py            # cold, then warm ~/.cache/newsbeam stand-in
    .venv/bin/python bench/startup_profile.py --profile  # plus cProfile's top functions (warm)

Each column is a fresh process doing what a worker of `newsbeam run` does before and at
its first document: the worker's imports (Beam's SDK worker, then the modules unpickling
the DoFns brings in), every DoFn.setup() of the pipeline (transforms/steps.py,
pipeline/sinks.py) in the foreground, one after the other, and one fixture page through
Extract -> Anatomy -> Enrich -> Finalize twice: the first time pays what is built on
first use, the second is the steady cost of that page.  Named pieces inside a setup are
timed by wrapping the functions it calls (indented rows; the setup's row includes them).

"cold" runs with an empty NEWSBEAM_CACHE_DIR (a temp folder), "warm" again with that same
folder, "off" (--off) with NEWSBEAM_CACHE_DIR=off.  The extraction child is another
process: its own start-up (imports, warm-up page) is the row "child CPU", read from /proc.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "tests" / "fixtures" / "heldout4" / "h_agripress_murcia_water_transfer.html"


class Clock:
    """Rows of (name, depth, CPU s, wall s); `step` for a block, `wrap` for a function."""

    def __init__(self):
        self.rows: list[list] = []
        self.depth = 0

    def step(self, name: str):
        clock = self

        class _Step:
            def __enter__(self):
                self.row = [name, clock.depth, 0.0, 0.0]
                clock.rows.append(self.row)
                clock.depth += 1
                self.t = (time.process_time(), time.perf_counter())

            def __exit__(self, *exc):
                clock.depth -= 1
                self.row[2] += time.process_time() - self.t[0]
                self.row[3] += time.perf_counter() - self.t[1]
        return _Step()

    def wrap(self, owner, attr: str, name: str):
        """Time every call of owner.attr under `name` (calls add up in one row)."""
        fn = getattr(owner, attr)
        clock = self
        row: list = []

        def timed(*a, **k):
            if not row:
                row.extend([name, clock.depth, 0.0, 0.0])
                clock.rows.append(row)
            t = (time.process_time(), time.perf_counter())
            clock.depth += 1
            try:
                return fn(*a, **k)
            finally:
                clock.depth -= 1
                row[2] += time.process_time() - t[0]
                row[3] += time.perf_counter() - t[1]
        setattr(owner, attr, timed)


def _child_cpu(extractor) -> float:
    """CPU seconds of the extraction child so far (utime + stime from /proc)."""
    pool = extractor._pool
    total = 0.0
    for proc in list(getattr(pool, "_processes", {}).values()):
        try:
            with open(f"/proc/{proc.pid}/stat") as fh:
                f = fh.read().rsplit(")", 1)[1].split()
            total += (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")
        except OSError:
            pass
    return total


def one_worker() -> list:
    """A worker's start-up, step by step (in this fresh process)."""
    c = Clock()
    t_all = (time.process_time(), time.perf_counter())
    with c.step("import Beam SDK worker"):
        import apache_beam.runners.worker.sdk_worker_main  # noqa: F401
    with c.step("import DoFn modules (unpickling)"):
        import pipeline.compose  # noqa: F401
        import pipeline.sinks as sinks
        import transforms.steps as steps
        from pipeline.config import from_mapping
        from pipeline.model import Page
    with c.step("import spaCy and the transforms Enrich loads"):
        _wrap_named(c)
    cfg = from_mapping(None)
    dofns = {}
    # Beam sets a stage's consumers up first: the sinks, then Finalize ... back to Read.
    with c.step("WriteStaged.setup (articles, rejects)"):
        for kind in ("articles", "rejects"):
            w = sinks.WriteStaged(tempfile.gettempdir(), kind, cfg.out.partition_by, 1000, "zstd")
            w.setup()
    with c.step("Finalize/Repeats/SkipPresent.setup"):
        dofns["finalize"] = steps.Finalize(cfg, None, "profile")
        dofns["repeats"] = steps.Repeats(cfg, None)
        for d in (dofns["finalize"], dofns["repeats"]):
            d.setup()
    with c.step("Enrich.setup (Enricher.load)"):
        dofns["enrich"] = steps.Enrich(cfg)
        dofns["enrich"].setup()
        dofns["enrich"]._loading.result()       # loads in a thread: waited for here
        dofns["enrich"]._loading = None
    with c.step("Anatomy.setup (Catalogue.load)"):
        dofns["anatomy"] = steps.Anatomy(cfg)
        dofns["anatomy"].setup()
    with c.step("Extract.setup (child start, this side)"):
        dofns["extract"] = steps.Extract(cfg)
        dofns["extract"].setup()
        dofns["extract"]._extractor._started()  # wait for the child's warm-up page
    with c.step("Fetch/ReadInputs.setup (Fetcher)"):
        for d in (steps.Fetch(cfg), steps.ReadInputs(cfg)):
            d.setup()
    child_setup = _child_cpu(dofns["extract"]._extractor)
    setup_cpu = time.process_time() - t_all[0]
    setup_wall = time.perf_counter() - t_all[1]
    html = PAGE.read_text(encoding="utf-8")
    for label in ("first document (built on first use)", "same document again (steady)"):
        with c.step(label):
            page = Page(str(PAGE), "html", url="https://example.org/2024/05/06/water-transfer", html=html)
            extract = dofns["extract"]             # what Extract.process/finish_bundle do
            drafts = [x for x in extract._answer(extract._extractor.submit(page)) if isinstance(x, dict)]
            drafts = [x for d in drafts for x in dofns["anatomy"].process(d) if isinstance(x, dict)]
            rows = [r for b in [drafts] for x in dofns["enrich"].process(b) for r in dofns["finalize"].process(x)]
            assert rows, "the fixture page gave no row"
    child_total = _child_cpu(dofns["extract"]._extractor)
    dofns["extract"].teardown()
    c.rows.append(["total before the first document", 0, setup_cpu, setup_wall])
    c.rows.append(["extraction child: start-up CPU", 0, child_setup, None])
    c.rows.append(["extraction child: the two documents", 0, child_total - child_setup, None])
    return c.rows


def _wrap_named(c: Clock):
    """The named pieces inside the setups (indented rows)."""
    import spacy

    import transforms.entities as ent
    import transforms.places as places
    from transforms import dates, language
    c.wrap(language, "load", "language id (py3langid model)")
    c.wrap(spacy, "load", "spacy.load (ner only)")
    c.wrap(ent, "_model_config", "model config.cfg")
    c.wrap(ent, "load_gazetteer", "gazetteer YAML")
    c.wrap(ent, "_build_matcher", "fallback Matcher")
    c.wrap(ent, "_place_matcher", "place PhraseMatcher")
    c.wrap(places, "place_labels", "place labels")
    c.wrap(places, "town_keys", "town keys")
    c.wrap(places, "major_place_names", "major place names")
    c.wrap(dates, "DateResolver", "DateResolver (date catalogue)")
    import transforms.enrich  # noqa: F401  (its load() imports DateResolver by name at call time)


def _run_one(env: dict, profile: bool) -> list:
    args = [sys.executable, str(Path(__file__)), "--one"] + (["--profile"] if profile else [])
    out = subprocess.run(args, cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    if profile:
        print(out.stderr, file=sys.stderr)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--off", action="store_true", help="also a column with NEWSBEAM_CACHE_DIR=off")
    ap.add_argument("--profile", action="store_true", help="cProfile the warm run: top functions on stderr")
    ap.add_argument("--json", help="write the figures here too")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    if args.one:
        if args.profile:
            import cProfile
            import pstats
            prof = cProfile.Profile()
            rows = prof.runcall(one_worker)
            pstats.Stats(prof, stream=sys.stderr).sort_stats("cumulative").print_stats(40)
        else:
            rows = one_worker()
        print(json.dumps(rows))
        return 0
    cols = {}
    with tempfile.TemporaryDirectory(prefix="newsbeam-cache-") as tmp:
        env = dict(os.environ, NEWSBEAM_CACHE_DIR=tmp, PYTHONWARNINGS="ignore")
        cols["cold"] = _run_one(env, False)
        cols["warm"] = _run_one(env, args.profile)
    if args.off:
        cols["off"] = _run_one(dict(os.environ, NEWSBEAM_CACHE_DIR="off", PYTHONWARNINGS="ignore"), False)
    names = list(cols)
    order: dict[str, int] = {}                  # a piece not called in one column (cached) is blank
    for n in names:
        for name, depth, *_ignored in cols[n]:
            order.setdefault(name, depth)
    print(f"{'step':<46}" + "".join(f"{n + ' CPU s':>12}{n + ' wall s':>12}" for n in names))
    for name, depth in order.items():
        line = f"{'  ' * depth + name:<46}"
        for n in names:
            got = {r[0]: r for r in cols[n]}.get(name)
            cpu, wall = (got[2], got[3]) if got else (None, None)
            line += (f"{cpu:>12.2f}" if cpu is not None else f"{'-':>12}")
            line += (f"{wall:>12.2f}" if wall is not None else f"{'':>12}")
        print(line)
    print(f"load average: {open('/proc/loadavg').read().split()[0]}")
    if args.json:
        Path(args.json).write_text(json.dumps(cols, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
