#!/usr/bin/env python3
"""Line-level furniture detection on the labelled text fixtures: the catalogue alone,
the catalogue plus newsbeam's general classifier (and with the line model's second
opinion, transforms/line_model.py), and jusText (alone and after the
catalogue), measured on the same lines.

    python bench/score_furniture.py [--fixtures DIR ...] [-v] [--sweep] [--catalogue FILE]

Every NAME.txt with NAME.expected.json: each non-empty line after the title is "story"
when it is (or, with its dateline prefix, contains) an expected body paragraph, else
"furniture" (boilerplate, captions, credits, bylines). A method flags lines as
furniture; printed per method: furniture precision / recall, story lines lost (story
lines flagged), and ms per article. jusText runs with its English stoplist and default
thresholds on the lines wrapped as <p> (no link information: a text scrape has none).
--sweep also prints the classifier at several evidence thresholds (split_anatomy's
`threshold`: below 1 removes more, above 1 less), the precision/recall trade-off.
"""
from __future__ import annotations

import argparse
import html as htmllib
import json
import re
import sys
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from transforms.anatomy import Catalogue, split_text_scrape  # noqa: E402

_WS = re.compile(r"\s+")
_TABLE = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "\u2013": "-", "\u2014": "-", "\u00a0": " "})


def norm(s: str) -> str:
    return _WS.sub(" ", unicodedata.normalize("NFKC", s or "").translate(_TABLE)).strip().casefold()


def labelled(folder: Path):
    for exp in sorted(folder.glob("*.expected.json")):
        src = exp.with_name(exp.name[: -len(".expected.json")] + ".txt")
        if not src.exists():
            continue
        e = json.loads(exp.read_text(encoding="utf-8"))
        lines = [ln.strip() for ln in src.read_text(encoding="utf-8").splitlines() if ln.strip()][1:]
        body = [norm(p) for p in e.get("body") or []]
        gold = [any(b and (norm(ln) == b or (len(b) > 30 and b in norm(ln))) for b in body) for ln in lines]
        yield src, lines, gold


def by_catalogue(src: Path, lines, catalogue, general: bool, threshold: float = 1.0, line_model=False):
    trace: list = []
    split_text_scrape(src.read_text(encoding="utf-8"), catalogue=catalogue, general=general, trace=trace,
                      threshold=threshold, line_model=line_model)
    flagged = [t["kind"] != "body" for t in trace if t["detail"] != "dateline" and t["kind"] != "dateline"]
    return flagged[: len(lines)] + [False] * (len(lines) - len(flagged))


def by_justext(lines):
    import justext
    page = "<html><body>" + "".join(f"<p>{htmllib.escape(ln)}</p>" for ln in lines) + "</body></html>"
    paras = justext.justext(page, justext.get_stoplist("English"))
    flags = [p.is_boilerplate for p in paras]
    return flags[: len(lines)] + [False] * (len(lines) - len(flags))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--fixtures", type=Path, nargs="*",
                    default=[ROOT / "tests" / "fixtures" / d for d in
                             ("articles", "heldout", "heldout2", "heldout3", "general", "dev5")])
    ap.add_argument("-v", "--verbose", action="store_true", help="print the lines each method gets wrong")
    ap.add_argument("--sweep", action="store_true", help="the classifier at several evidence thresholds")
    ap.add_argument("--catalogue", type=Path, help="another catalogue file (e.g. an older one)")
    args = ap.parse_args(argv)
    catalogue = Catalogue.load(path=args.catalogue) if args.catalogue else Catalogue.load()
    methods = {
        "catalogue": lambda src, lines: by_catalogue(src, lines, catalogue, False),
        "catalogue+classifier": lambda src, lines: by_catalogue(src, lines, catalogue, True),
        "  + line model": lambda src, lines: by_catalogue(src, lines, catalogue, True, line_model=True),
        "justext": lambda src, lines: by_justext(lines),
        "catalogue+justext": lambda src, lines: [a or b for a, b in zip(
            by_catalogue(src, lines, catalogue, False), by_justext(lines))],
    }
    if args.sweep:
        for t in (0.5, 0.75, 1.5, 2.0, 3.0, 100.0):
            methods[f"  threshold {t:g}"] = (lambda t: lambda src, lines: by_catalogue(
                src, lines, catalogue, True, t))(t)
    items = [x for d in args.fixtures for x in labelled(d)]
    print(f"{len(items)} text fixtures, {sum(len(x[1]) for x in items)} lines, "
          f"{sum(g.count(False) for _, _, g in items)} furniture")
    print(f"{'method':<24}{'furn P':>8}{'furn R':>8}{'story lost':>12}{'ms/art':>8}")
    for name, fn in methods.items():
        tp = fp = fn_ = 0
        t0 = time.perf_counter()
        wrong = []
        for src, lines, gold in items:
            flags = fn(src, lines)
            for ln, f, g in zip(lines, flags, gold):
                if f and not g:
                    tp += 1
                elif f and g:
                    fp += 1
                    wrong.append(f"    story lost  {src.name}: {ln[:100]}")
                elif not f and not g:
                    fn_ += 1
                    wrong.append(f"    furn kept   {src.name}: {ln[:100]}")
        ms = (time.perf_counter() - t0) * 1000 / max(1, len(items))
        p = tp / (tp + fp) if tp + fp else 1.0
        r = tp / (tp + fn_) if tp + fn_ else 1.0
        print(f"{name:<24}{p:>8.3f}{r:>8.3f}{fp:>12d}{ms:>8.1f}")
        if args.verbose:
            print("\n".join(wrong[:40]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
