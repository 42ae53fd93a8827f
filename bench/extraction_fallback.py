#!/usr/bin/env python3
"""How often the "never lose the story" fallback fires, what it costs, and what it wins.

    python bench/extraction_fallback.py [--data DIR_OR_FILES ...] [--fast | --full]

Runs extract_html over every page (*.html, *.htm, *.html.gz under the given folders;
default: the shared article-extraction benchmark when present) twice, with and without
the fallback, interleaved page by page so shared load hits both alike, and prints: pages,
fallback firings by reason and path, ms/page with and without, and -- where the folder
has a ground-truth.json ({key: {articleBody}}) -- the 4-gram recall/precision of the
pages where it fired, before and after. Prints figures; never fails on quality.
"""
from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from transforms.extract import _anchor_texts, extract_html, load_html, main_text  # noqa: E402

ADDED = ("chunks", "subheads")     # extraction markers of text added back (continued_body, restore_subheads)
SHARED = Path("/work/shared/data/article-extraction-benchmark")
_TOK = re.compile(r"\w+")


def shingles(text: str, n: int = 4) -> Counter:
    t = _TOK.findall(text or "")
    return Counter(tuple(t[i:i + n]) for i in range(max(0, len(t) - n + 1)))


def pr(true: str, pred: str) -> tuple[float, float]:
    a, b = shingles(true), shingles(pred)
    tp = sum((a & b).values())
    return (tp / sum(b.values()) if b else 0.0), (tp / sum(a.values()) if a else 1.0)


def pages(paths: list[Path]):
    for root in paths:
        files = [root] if root.is_file() else sorted(
            p for p in root.rglob("*") if p.name.endswith((".html", ".htm", ".html.gz")))
        for f in files:
            raw = f.read_bytes()
            if f.name.endswith(".gz"):
                raw = gzip.decompress(raw)
            key = f.name.split(".")[0]
            yield key, raw.decode("utf-8", "replace")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, nargs="*", default=[SHARED / "html"] if SHARED.exists() else [])
    ap.add_argument("--full", action="store_true", help="first extraction without fast mode")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args(argv)
    gt = {}
    for d in args.data:
        g = (d if d.is_dir() else d.parent).parent / "ground-truth.json"
        if g.exists():
            gt.update(json.loads(g.read_text(encoding="utf-8")))
    fast = not args.full
    fired: Counter = Counter()
    added: Counter = Counter()
    ms = {"on": 0.0, "off": 0.0, "judge": 0.0}
    n = 0
    before, after = [], []
    for key, html in pages(args.data):
        n += 1
        for variant in (("off", "on") if n % 2 else ("on", "off")):   # alternate the order
            t0 = time.perf_counter()
            doc = extract_html(html, None, fast=fast, fallback=variant == "on")
            ms[variant] += (time.perf_counter() - t0) * 1000
            if variant == "on":
                on = doc
            else:
                off = doc
        try:
            t0 = time.perf_counter()
            tree = load_html(html)
            main_text(tree)
            _anchor_texts(tree)
            ms["judge"] += (time.perf_counter() - t0) * 1000
            t0 = time.perf_counter()
            load_html(html)
            ms["judge"] -= (time.perf_counter() - t0) * 1000     # the parse is shared
        except Exception:
            pass
        how = (on or {}).get("extraction") or "none"
        parts = how.split(".")
        for part in parts[1:]:
            if part in ADDED:                 # story text added back, not a failure
                added[part] += 1
        how = ".".join(p for p in parts if p not in ADDED)
        if "." in how:
            fired[how] += 1
            true = (gt.get(key) or {}).get("articleBody")
            if true is not None:
                b, a = pr(true, (off or {}).get("text", "")), pr(true, (on or {}).get("text", ""))
                before.append(b)
                after.append(a)
                if args.verbose:
                    print(f"  {key} {how}: P/R {b[0]:.2f}/{b[1]:.2f} -> {a[0]:.2f}/{a[1]:.2f}")
            elif args.verbose:
                print(f"  {key} {how}")
    print(f"pages: {n}   first extraction: {'fast' if fast else 'full'}")
    total = sum(v for k, v in fired.items() if not k.startswith(("fast.", "full.")))
    print(f"fallback taken: {total} ({total / max(1, n):.1%}); judged failed: {sum(fired.values())}")
    for k, v in sorted(fired.items()):
        print(f"  {k:<36}{v:>4}")
    for k, v in sorted(added.items()):
        print(f"story text added back ({k}): {v} pages ({v / max(1, n):.1%})")
    print(f"ms/page: without fallback {ms['off'] / max(1, n):.1f}, with {ms['on'] / max(1, n):.1f} "
          f"(+{(ms['on'] - ms['off']) / max(1, n):.1f}); judging every page costs {ms['judge'] / max(1, n):.2f}")
    if before:
        mean = lambda xs, i: sum(x[i] for x in xs) / len(xs)  # noqa: E731
        print(f"on the {len(before)} pages judged failed: precision {mean(before, 0):.3f} -> {mean(after, 0):.3f}, "
              f"recall {mean(before, 1):.3f} -> {mean(after, 1):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
