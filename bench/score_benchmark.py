#!/usr/bin/env python3
"""Body text of newsbeam (extract_html + split_anatomy) on the article-extraction
benchmark, scored by the shared scorer.

    python bench/score_benchmark.py --eval-dir /work/shared/eval [--fast] [--baseline]
                                    [-- extra args for score_extraction.py, e.g. --worst 10]

The benchmark and its scorer are not part of the repository (nor available to CI);
pass the folder that holds score_extraction.py. Without --eval-dir the environment
variable NEWSBEAM_EVAL_DIR is used. This module also provides the callables the scorer
imports: `bench.score_benchmark:body` (fast=False) and `bench.score_benchmark:body_fast`.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

if os.environ.get("NEWSBEAM_LINE_MODEL_WHERE"):       # set by --line-model for the scorer's process
    from transforms import line_model as _lm
    _lm.WHERE.update(zip(("text", "html"), os.environ["NEWSBEAM_LINE_MODEL_WHERE"].split(",")))
    if os.environ.get("NEWSBEAM_LINE_MODEL_THRESHOLD"):     # --line-model-threshold
        _lm.DEFAULT_THRESHOLD = float(os.environ["NEWSBEAM_LINE_MODEL_THRESHOLD"])


def _catalogue():
    from transforms.anatomy import Catalogue
    return Catalogue.load()                  # cached per process by Catalogue.load


def _run(html: str, url: str | None, fast: bool, line_model: bool | None = None) -> dict:
    """The body (and fields) newsbeam gives a page; `line_model` None: as the pipeline's default."""
    from transforms.anatomy import split_anatomy
    from pipeline.config import AnatomyOptions
    from transforms.extract import extract_html
    if line_model is None:
        line_model = AnatomyOptions().line_model
    doc = extract_html(html, url, fast=fast)
    if doc is None:
        return {"body": ""}
    out = split_anatomy(doc["text"], title=doc["title"], authors=doc["authors"],
                        figures=doc["figures"], catalogue=_catalogue(),
                        headlines=doc.get("title_candidates") or (), scrape=False,
                        links=doc.get("links") or (), line_model=line_model)
    return {"body": out["body"], "title": out["title"], "authors": out["authors"],
            "published": doc.get("date"), "captions": out["captions"],
            "dateline_prefix": out.get("dateline_prefix")}


def _with_moved(out: dict) -> dict:
    """The body with the text newsbeam moves to other fields put back (the dateline
    prefix before paragraph 1, the captions after the body): what a fair comparison
    with an extractor that keeps them in the body scores. Deleted furniture stays out."""
    body = out.get("body") or ""
    if out.get("dateline_prefix"):
        body = f"{out['dateline_prefix']} {body}"
    caps = [c.get("text") or "" for c in out.get("captions") or []]
    return dict(out, body="\n\n".join([body] + [c for c in caps if c]))


def body(html: str, url: str | None = None) -> dict:
    """f(html, url) for score_extraction.py --callable (trafilatura default mode)."""
    return _run(html, url, fast=False)


def body_fast(html: str, url: str | None = None) -> dict:
    """The same with extract_html(fast=True)."""
    return _run(html, url, fast=True)


def body_line_model(html: str, url: str | None = None) -> dict:
    """extract_html() and the anatomy step with the line model's second opinion."""
    return _run(html, url, fast=False, line_model=True)


def body_fast_line_model(html: str, url: str | None = None) -> dict:
    """extract_html(fast=True) and the anatomy step with the line model's second opinion."""
    return _run(html, url, fast=True, line_model=True)


def body_moved(html: str, url: str | None = None) -> dict:
    """extract_html(fast=False), scored on body + the fields newsbeam moves text to."""
    return _with_moved(_run(html, url, fast=False))


def body_fast_moved(html: str, url: str | None = None) -> dict:
    """extract_html(fast=True), scored on body + the fields newsbeam moves text to."""
    return _with_moved(_run(html, url, fast=True))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--eval-dir", type=Path, default=os.environ.get("NEWSBEAM_EVAL_DIR"),
                    help="folder with score_extraction.py (e.g. /work/shared/eval)")
    ap.add_argument("--fast", action="store_true", help="score extract_html(fast=True)")
    ap.add_argument("--moved", action="store_true",
                    help="score body + the text moved to other fields (dateline prefix, captions)")
    ap.add_argument("--line-model", metavar="TEXT,HTML", nargs="?", const="any,any",
                    help="the anatomy step with the line model (transforms/line_model.py); "
                    "where it may remove lines in a scrape and in HTML: any|outside|none (default any,any)")
    ap.add_argument("--line-model-threshold", type=float,
                    help="with --line-model: the probability at which it removes a line (default: anatomy's)")
    ap.add_argument("--baseline", action="store_true",
                    help="also print plain trafilatura extract(include_comments=False)")
    ap.add_argument("rest", nargs=argparse.REMAINDER, help="passed on to score_extraction.py (after --)")
    args = ap.parse_args(argv)
    if not args.eval_dir:
        ap.error("--eval-dir (or NEWSBEAM_EVAL_DIR) is required: the folder with score_extraction.py")
    scorer = Path(args.eval_dir) / "score_extraction.py"
    if not scorer.exists():
        ap.error(f"{scorer} not found")
    rest = [a for a in args.rest if a != "--"]
    fn = "body_fast" if args.fast else "body"
    name = "newsbeam-fast" if args.fast else "newsbeam"
    if args.line_model:
        fn, name = (("body_fast_line_model", f"newsbeam-fast+line-model({args.line_model})") if args.fast
                    else ("body_line_model", f"newsbeam+line-model({args.line_model})"))
        os.environ["NEWSBEAM_LINE_MODEL_WHERE"] = args.line_model
        if args.line_model_threshold:
            os.environ["NEWSBEAM_LINE_MODEL_THRESHOLD"] = str(args.line_model_threshold)
            name += f" t={args.line_model_threshold:g}"
    if args.moved:
        if args.line_model:
            ap.error("--moved and --line-model are measured apart")
        fn, name = (("body_fast_moved", "newsbeam-fast+moved") if args.fast
                    else ("body_moved", "newsbeam+moved"))
    cmd = [sys.executable, str(scorer), "--callable", f"bench.score_benchmark:{fn}",
           "--pythonpath", str(ROOT), "--name", name] + rest
    rc = subprocess.call(cmd, cwd=str(ROOT))
    if args.baseline:
        rc |= subprocess.call([sys.executable, str(scorer), "--baseline", "trafilatura-no-comments"]
                              + rest, cwd=str(ROOT))
    return rc


if __name__ == "__main__":
    sys.exit(main())
