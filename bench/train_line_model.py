#!/usr/bin/env python3
"""Train the line model (transforms/line_model.py) and measure it leave-one-set-out.

    python bench/train_line_model.py [--sets articles general ...] [--loso heldout3 ...]
                                     [--blind] [--write] [--thresholds 0.5 0.7 0.9]

Every labelled fixture set under tests/fixtures is run through the anatomy step the
way bench/score_anatomy.py runs it. Each line is labelled story (it is, or with its
dateline contains, an expected body paragraph) or furniture, and described by the
publisher-independent features of transforms/line_model.py. A numpy logistic
regression (L2, Newton steps) learns furniture from them.

Leave one set out: for each set S of --loso, the model is trained on all the other
sets and S is scored with score_anatomy's figures (body P / R, leak) for the rules
alone and for rules + the model's second opinion at each threshold; "lost" counts the
story lines the model removed, "caught" the furniture lines it removed. --blind also
scores S with the catalogue from before S was written (git history): the current
catalogue has been tuned on every set, so the rules alone look perfect on them; the
blind catalogue is closer to a new publisher. --write trains on every set and writes
transforms/line_model.json.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.score_anatomy import _decode, aggregate, compare, fixtures, norm  # noqa: E402
from transforms import line_model as lm  # noqa: E402
from transforms.anatomy import Catalogue, split_anatomy, split_text_scrape  # noqa: E402
from transforms.extract import extract_html  # noqa: E402

FIX = ROOT / "tests" / "fixtures"
SETS = ("articles", "general", "dev5", "dev5d", "dev6", "heldout", "heldout2", "heldout3", "heldout4", "heldout5",
        "heldout6", "storylines", "dev7", "heldout7", "dev8", "heldout8", "dev9", "dev10", "dev10b", "heldout9",
        "dev11", "dev11b", "heldout10", "dev12", "dev12b", "heldout11", "dev13", "dev14", "heldout12", "dev15", "dev16")
LOSO = ("heldout3", "heldout4", "heldout5", "heldout6", "dev5d", "dev6", "heldout", "heldout2", "dev5", "articles",
        "storylines")
# the catalogue before each set was written and tuned on (git revisions)
BLIND = {"heldout3": "e108bc0^", "heldout4": "d490024^", "dev5d": "ab9c83b^", "heldout5": "a9cc5eb",
         "dev6": "a30d31b", "heldout6": "fdc76ab", "dev7": "103bb72^", "heldout7": "fef35ff", "dev8": "c20db4c",
         "heldout8": "c20db4c", "dev9": "bb69d3b", "dev10": "bb69d3b", "dev10b": "bb69d3b", "heldout9": "bb69d3b",
         "dev11": "e3a865d", "dev11b": "e3a865d", "heldout10": "e3a865d", "dev12": "682b3a3", "dev12b": "682b3a3",
         "heldout11": "58c8a0d", "dev13": "a861c61", "dev14": "faad079", "heldout12": "44c3be4", "dev15": "349bcaa", "dev16": "7b20bbf"}
L2 = 1.0

_DOCS: dict = {}


def run(src: Path, exp: dict, catalogue, model=None, t=None, trace=None) -> dict:
    """The anatomy of one fixture (score_anatomy.predict, with the line model's options)."""
    opts = {"line_model": model, "line_model_threshold": t, "trace": trace}
    if src.suffix == ".txt":
        return split_text_scrape(_decode(src.read_bytes()), catalogue=catalogue, **opts)
    if src not in _DOCS:
        _DOCS[src] = extract_html(_decode(src.read_bytes()), exp.get("url"), catalogue=catalogue)
    doc = _DOCS[src]
    if doc is None:
        return {"title": None, "authors": [], "dateline": None, "body": "", "captions": [], "credits": [],
                "boilerplate": []}
    out = split_anatomy(doc["text"], title=doc["title"], authors=doc["authors"], figures=doc["figures"],
                        catalogue=catalogue, headlines=doc.get("title_candidates") or (), scrape=False,
                        links=doc.get("links") or (), **opts)
    out["boilerplate"] = list(doc.get("furniture") or []) + out["boilerplate"]
    return out


def story_label(line: str, body: list[str]) -> bool:
    k = norm(line)
    return any(b and (k == b or (len(b) > 30 and b in k)) for b in body)


# ------------------------------------------------------------------ features
class _Record:
    """Stands in for a model: classify_lines calls second_opinion with it, which is
    patched to record every line's features and whether the rules kept it."""
    rows: list


def collect(set_name: str, catalogue) -> list[dict]:
    """[{set, article, line, kept, story, f}] for every line of every fixture of the set."""
    out = []
    real = lm.second_opinion

    def record(model, lines, kinds, blocks, shapes, ev, o, threshold, protected=(), scrape=True):
        feats = lm.features(lines, kinds, blocks, shapes, ev, o)
        model.rows = [(lines[i], kinds[i] == "body" and o[i] is None, feats[i]) for i in range(len(lines))]

    lm.second_opinion = record
    try:
        for name, src, exp in fixtures(FIX / set_name):
            rec = _Record()
            rec.rows = []
            run(src, exp, catalogue, model=rec)
            body = [norm(p) for p in exp.get("body") or []]
            for line, kept, f in rec.rows:
                out.append({"set": set_name, "article": name, "line": line, "kept": kept,
                            "story": story_label(line, body), "f": f})
    finally:
        lm.second_opinion = real
    return out


def matrix(rows, names):
    return np.array([[float(r["f"].get(n, 0.0)) for n in names] for r in rows], dtype=float)


def vocabulary(rows, min_sets: int = 2, min_articles: int = 3) -> set:
    """Words seen in lines of at least `min_sets` sets and `min_articles` articles (a
    publisher's own names stay out)."""
    sets, arts = {}, {}
    for r in rows:
        for k in r["f"]:
            if k.startswith("w:"):
                sets.setdefault(k, set()).add(r["set"])
                arts.setdefault(k, set()).add(r["article"])
    return {k for k in sets if len(sets[k]) >= min_sets and len(arts[k]) >= min_articles}


WORDS = True
MIN_SETS = 2
WORD_SCALE = True       # standardise word features too (off: rare words get smaller weights; tried, it
                        # caught less furniture on the blind sets and lost a story line on heldout3)


def train(rows, l2: float = L2) -> lm.LineModel:
    """Logistic regression on standardised features, L2 penalty, Newton's method."""
    vocab = vocabulary(rows, MIN_SETS) if WORDS else set()
    names = sorted({k for r in rows for k in r["f"] if not k.startswith("w:") or k in vocab})
    X = matrix(rows, names)
    y = np.array([0.0 if r["story"] else 1.0 for r in rows])
    mean, scale = X.mean(0), X.std(0)
    scale[scale < 1e-9] = 1.0
    if not WORD_SCALE:          # a rare word, standardised, gets a huge weight from a few lines
        scale[[k for k, nm in enumerate(names) if nm.startswith("w:")]] = 1.0
    Z = np.hstack([(X - mean) / scale, np.ones((len(X), 1))])
    w = np.zeros(Z.shape[1])
    reg = np.full(Z.shape[1], l2)
    reg[-1] = 0.0
    for _ in range(50):
        p = 1 / (1 + np.exp(-np.clip(Z @ w, -40, 40)))
        g = Z.T @ (p - y) + reg * w
        H = (Z * (p * (1 - p))[:, None]).T @ Z + np.diag(reg + 1e-9)
        step = np.linalg.solve(H, g)
        w -= step
        if np.abs(step).max() < 1e-7:
            break
    meta = {"trained_on": sorted({r["set"] for r in rows}), "lines": len(rows),
            "furniture_lines": int(y.sum()), "l2": l2}
    coef = w[:-1] / scale
    intercept = float(w[-1] - (w[:-1] * mean / scale).sum())
    return lm.LineModel(intercept, dict(zip(names, coef.tolist())), meta)


# ------------------------------------------------------------------ scoring a set
def score_set(set_name: str, catalogue, model=None, t=None) -> dict:
    rows, lost, caught, lost_lines, caught_lines = [], 0, 0, [], []
    for name, src, exp in fixtures(FIX / set_name):
        trace: list = []
        got = run(src, exp, catalogue, model, t, trace)
        rows.append(compare(exp, got))
        body = [norm(p) for p in exp.get("body") or []]
        for tr in trace:
            if "line_model" in (tr.get("why") or ""):
                if story_label(tr["line"], body):
                    lost += 1
                    lost_lines.append(f"{name}: {tr['line'][:90]}")
                else:
                    caught += 1
                    caught_lines.append(f"{name}: {tr['line'][:90]}")
    m = aggregate(rows)
    m.update(lost=lost, caught=caught, lost_lines=lost_lines, caught_lines=caught_lines)
    return m


def fmt(label, m) -> str:
    return (f"  {label:<22}{m['body_precision']:>8.3f}{m['body_recall']:>8.3f}{m['leak_rate']:>8.3f}"
            f"{m.get('caught', 0):>8d}{m.get('lost', 0):>6d}")


def blind_catalogue(set_name: str):
    rev = BLIND.get(set_name)
    if not rev:
        return None
    try:
        text = subprocess.run(["git", "show", f"{rev}:transforms/anatomy_catalogue.yaml"], cwd=ROOT,
                              capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
        f.write(text)
    return Catalogue.load(path=f.name)


def timing(sets, catalogue, model, repeats: int = 7) -> None:
    """ms/article of the anatomy step (extraction cached) without and with the model:
    each article timed both ways in turn, its best of `repeats` (a shared machine)."""
    items = [(src, exp) for s in sets for _, src, exp in fixtures(FIX / s)]
    for src, exp in items:
        run(src, exp, catalogue, model)                 # extraction cached, model loaded
    best = {"rules": [float("inf")] * len(items), "rules+model": [float("inf")] * len(items)}
    for r in range(repeats):
        for k, (src, exp) in enumerate(items):
            order = (("rules", None), ("rules+model", model))
            for label, m in (order if r % 2 else order[::-1]):
                t0 = time.perf_counter()
                run(src, exp, catalogue, m, lm.DEFAULT_THRESHOLD)
                best[label][k] = min(best[label][k], time.perf_counter() - t0)
    a, b = (sum(best[k]) * 1000 / len(items) for k in ("rules", "rules+model"))
    print(f"anatomy ms/article over {len(items)} articles (extraction cached, best of {repeats} each): "
          f"rules {a:.2f}, rules+model {b:.2f} (+{b - a:.2f})")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sets", nargs="*", default=list(SETS))
    ap.add_argument("--loso", nargs="*", default=list(LOSO))
    ap.add_argument("--thresholds", nargs="*", type=float, default=[0.5, 0.7, 0.8, 0.9, 0.95])
    ap.add_argument("--population", choices=("all", "kept"), default="all",
                    help="train on every line (default) or only on the lines the rules kept")
    ap.add_argument("--l2", type=float, default=L2)
    ap.add_argument("--sentence-margin", type=float, default=lm.SENTENCE_MARGIN,
                    help="least probability for a story-shaped line (transforms/line_model.py SENTENCE_MARGIN)")
    ap.add_argument("--min-sets", type=int, default=2, help="a word feature needs lines in this many sets")
    ap.add_argument("--where-text", choices=("any", "outside", "none"), default=lm.WHERE["text"],
                    help="where in a text scrape the model may remove lines (line_model.WHERE)")
    ap.add_argument("--where-html", choices=("any", "outside", "none"), default=lm.WHERE["html"])
    ap.add_argument("--no-protect", action="store_true",
                    help="let the model judge the story's lists and subheadings too (line_model.PROTECT_LISTS off)")
    ap.add_argument("--no-word-scale", action="store_true",
                    help="do not standardise word features (a rare word then gets a smaller weight)")
    ap.add_argument("--no-words", action="store_true", help="shape and context features only, no word features")
    ap.add_argument("--blind", action="store_true", help="also score each set with its blind catalogue")
    ap.add_argument("--write", action="store_true", help="train on all sets, write transforms/line_model.json")
    ap.add_argument("--time", action="store_true", help="ms/article of the anatomy step without and with the model")
    ap.add_argument("-v", "--verbose", action="count", default=0,
                    help="print the story lines the model removed (-vv: the furniture lines it caught too)")
    args = ap.parse_args(argv)
    global WORDS, MIN_SETS, WORD_SCALE
    WORDS, MIN_SETS, WORD_SCALE = not args.no_words, args.min_sets, not args.no_word_scale
    lm.SENTENCE_MARGIN = args.sentence_margin
    lm.WHERE.update(text=args.where_text, html=args.where_html)
    lm.PROTECT_LISTS = not args.no_protect
    catalogue = Catalogue.load()
    data = {s: collect(s, catalogue) for s in args.sets}
    pop = (lambda r: True) if args.population == "all" else (lambda r: r["kept"])
    total = sum(len(v) for v in data.values())
    print(f"{total} lines in {len(args.sets)} sets; {sum(not r['story'] for v in data.values() for r in v)} "
          f"furniture; kept by the rules: {sum(r['kept'] for v in data.values() for r in v)} "
          f"({sum(r['kept'] and not r['story'] for v in data.values() for r in v)} of them furniture)")
    print(f"population {args.population}, l2 {args.l2}")
    print(f"  {'held-out set / method':<22}{'body P':>8}{'body R':>8}{'leak':>8}{'caught':>8}{'lost':>6}")
    for s in args.loso:
        if s not in data:
            continue
        model = train([r for o, v in data.items() if o != s for r in v if pop(r)], args.l2)
        cats = [("", catalogue)]
        if args.blind and (bc := blind_catalogue(s)) is not None:
            cats.append((" blind", bc))
        for tag, cat in cats:
            print(f"{s}{tag}")
            print(fmt("rules", score_set(s, cat)))
            for t in args.thresholds:
                m = score_set(s, cat, model, t)
                print(fmt(f"rules+model t={t:g}", m))
                if args.verbose:
                    for ln in m["lost_lines"]:
                        print(f"      lost  {ln}")
                    for ln in m["caught_lines"] if args.verbose > 1 else ():
                        print(f"      caught {ln}")
    if args.write:
        model = train([r for v in data.values() for r in v if pop(r)], args.l2)
        lm.MODEL_FILE.write_text(json.dumps(model.to_json(), indent=0, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {lm.MODEL_FILE.relative_to(ROOT)} ({model.meta})")
        lm._LOADED.clear()
    if args.write or args.time:
        timing(args.sets, catalogue, lm.LineModel.load())
    return 0


if __name__ == "__main__":
    sys.exit(main())
