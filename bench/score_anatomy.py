#!/usr/bin/env python3
"""Score the anatomy step (extract + split_anatomy) on the labelled article fixtures.

    python bench/score_anatomy.py [--fixtures tests/fixtures/articles] [--show NAME] [--json OUT]

Every tests/fixtures/articles/NAME.txt|.html with NAME.expected.json is run the way the
pipeline runs it: a .txt scrape is split with its first non-empty line as the title; an
.html page goes through extract_html and then split_anatomy with the page's title,
authors and figures. Figures printed (overall and per style):

  body P / R     body paragraph precision / recall: predicted paragraphs that equal an
                 expected paragraph (loose normalisation: quotes, dashes, whitespace, case)
  leak           share of the expected non-body items (boilerplate lines, caption texts,
                 standalone credits) found inside a predicted body paragraph that is not
                 an expected one (a dateline prefix left on paragraph 1 counts as a leak)
  cap R          caption recall: expected captions whose text was predicted
  credit acc     caption credits and standalone credits right, over expected + spurious
  dateline/title/authors  share of articles where the field is exactly right (a dateline
                 with its region, "CHAMBLY, Que.", matches a label of the city alone: the
                 sets label it either way)
  bp R           expected boilerplate lines found in the predicted boilerplate

Exit status 1 when a floor is missed (leak 0, body R >= 0.99, body P >= 0.98, caption
recall >= 0.95), so CI and tests can hold them. Standard library plus the project.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from transforms.anatomy import Catalogue, split_anatomy, split_text_scrape  # noqa: E402
from transforms.extract import extract_html  # noqa: E402
from pipeline.config import AnatomyOptions  # noqa: E402

LINE_MODEL = AnatomyOptions().line_model      # as the pipeline runs by default

FIXTURES = ROOT / "tests" / "fixtures" / "articles"
FLOORS = {"leak_rate": 0.0, "body_recall": 0.99, "body_precision": 0.98, "caption_recall": 0.95}

_WS = re.compile(r"\s+")
_TABLE = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "\u2013": "-", "\u2014": "-",
                        "\u2012": "-", "\u2015": "-", "\u2212": "-", "\u00a0": " "})


_LIST_MARK = re.compile(r"^(?:[-–•*]\s+)")     # "- " marks a list item: how it is shown, not its text


def norm(s) -> str:
    s = unicodedata.normalize("NFKC", s or "").translate(_TABLE)
    return _LIST_MARK.sub("", _WS.sub(" ", s).strip()).casefold()


# ------------------------------------------------------------------ running
def _decode(data: bytes) -> str:
    """Bytes to text the way the pipeline's reader does (BOM, UTF-8, declared, detected)."""
    try:
        from pipeline.decode import decode
        return decode(data)[0]
    except Exception:
        return data.decode("utf-8", errors="replace")


def fixtures(folder: Path = FIXTURES) -> list[tuple[str, Path, dict]]:
    """[(name, input path, expected)] for every NAME.expected.json with an input next to it."""
    out = []
    for exp in sorted(Path(folder).glob("*.expected.json")):
        name = exp.name[: -len(".expected.json")]
        for ext in (".txt", ".html", ".htm"):
            src = exp.with_name(name + ext)
            if src.exists():
                out.append((name, src, json.loads(exp.read_text(encoding="utf-8"))))
                break
    return out


def predict(src: Path, expected: dict, catalogue: Catalogue, line_model: bool = LINE_MODEL) -> dict:
    """The anatomy of one fixture input, as the pipeline would produce it (`line_model`:
    with the learned line model's second opinion, anatomy.line_model)."""
    raw = _decode(src.read_bytes())
    if src.suffix == ".txt":
        return split_text_scrape(raw, catalogue=catalogue, line_model=line_model)
    doc = extract_html(raw, expected.get("url"), catalogue=catalogue)
    if doc is None:
        return {"title": None, "authors": [], "dateline": None, "body": "", "captions": [],
                "credits": [], "boilerplate": []}
    out = split_anatomy(doc["text"], title=doc["title"], authors=doc["authors"],
                        figures=doc["figures"], catalogue=catalogue,
                        headlines=doc.get("title_candidates") or (), scrape=False,
                        links=doc.get("links") or (), line_model=line_model)
    out["boilerplate"] = list(doc.get("furniture") or []) + out["boilerplate"]
    return out


# ------------------------------------------------------------------ scoring one article
def _paras(body) -> list[str]:
    if isinstance(body, list):
        return [p for p in body if p and p.strip()]
    return [p.strip() for p in (body or "").split("\n") if p.strip()]


def _same_place(expected, got) -> bool:
    """The dateline's place, or its city alone when it carries a region after a comma."""
    return norm(expected) == norm(got) or bool(got) and norm(expected) == norm(got.split(",")[0])


def compare(expected: dict, got: dict) -> dict:
    """Counts for one article (summed over articles by `aggregate`)."""
    exp_body = [norm(p) for p in _paras(expected.get("body"))]
    got_body = [norm(p) for p in _paras(got.get("body"))]
    matched = Counter(exp_body) & Counter(got_body)
    n_match = sum(matched.values())
    left = Counter(got_body) - Counter(exp_body)           # predicted, not expected
    unmatched = [p for p in left.elements()]

    items = ([b for b in expected.get("boilerplate") or []]
             + [c.get("text") or "" for c in expected.get("captions") or []]
             + [c for c in expected.get("credits") or []])
    leaks = []
    for it in items:
        k = norm(it)
        if not k:
            continue
        if len(k.split()) < 4:
            hit = any(p == k or p.startswith(k + " ") for p in unmatched)
        else:
            hit = any(k in p for p in unmatched)
        if hit:
            leaks.append(it)

    exp_caps = expected.get("captions") or []
    got_caps = {norm(c.get("text")): c.get("credit") for c in got.get("captions") or []}
    cap_hit = [c for c in exp_caps if norm(c.get("text")) in got_caps]
    credit_ok = sum(1 for c in cap_hit if norm(c.get("credit")) == norm(got_caps[norm(c.get("text"))]))
    exp_cr, got_cr = Counter(map(norm, expected.get("credits") or [])), Counter(map(norm, got.get("credits") or []))
    cr_ok = sum((exp_cr & got_cr).values())
    cr_spurious = sum((got_cr - exp_cr).values())

    exp_bp, got_bp = Counter(map(norm, expected.get("boilerplate") or [])), Counter(map(norm, got.get("boilerplate") or []))
    exp_auth = sorted(map(norm, expected.get("authors") or []))
    got_auth = sorted(map(norm, got.get("authors") or []))
    return {
        "body_expected": len(exp_body), "body_predicted": len(got_body), "body_matched": n_match,
        "leak_items": len([i for i in items if norm(i)]), "leaks": leaks,
        "captions_expected": len(exp_caps), "captions_found": len(cap_hit),
        "credit_slots": len(exp_caps) + sum(exp_cr.values()) + cr_spurious,
        "credit_ok": credit_ok + cr_ok,
        "dateline_ok": _same_place(expected.get("dateline"), got.get("dateline")),
        "title_ok": norm(expected.get("title")) == norm(got.get("title")),
        "authors_ok": exp_auth == got_auth,
        "bp_expected": sum(exp_bp.values()), "bp_found": sum((exp_bp & got_bp).values()),
        "missing_body": sorted((Counter(exp_body) - Counter(got_body)).elements()),
        "extra_body": unmatched,
    }


def aggregate(rows: list[dict]) -> dict:
    s = lambda k: sum(r[k] for r in rows)  # noqa: E731
    div = lambda a, b: a / b if b else 1.0  # noqa: E731
    n = len(rows)
    return {
        "articles": n,
        "body_precision": div(s("body_matched"), s("body_predicted")),
        "body_recall": div(s("body_matched"), s("body_expected")),
        "leak_rate": div(sum(len(r["leaks"]) for r in rows), s("leak_items")),
        "caption_recall": div(s("captions_found"), s("captions_expected")),
        "credit_accuracy": div(s("credit_ok"), s("credit_slots")),
        "dateline_accuracy": div(sum(r["dateline_ok"] for r in rows), n),
        "title_accuracy": div(sum(r["title_ok"] for r in rows), n),
        "authors_accuracy": div(sum(r["authors_ok"] for r in rows), n),
        "boilerplate_recall": div(s("bp_found"), s("bp_expected")),
    }


def evaluate(folder: Path = FIXTURES, catalogue: Catalogue | None = None, line_model: bool = LINE_MODEL):
    """(overall metrics, {style: metrics}, {name: per-article row})."""
    catalogue = catalogue or Catalogue.load()
    rows, by_style = {}, defaultdict(list)
    for name, src, exp in fixtures(folder):
        got = predict(src, exp, catalogue, line_model)
        row = compare(exp, got)
        row["style"] = exp.get("style") or "?"
        row["kind"] = src.suffix.lstrip(".")
        row["got"] = got
        rows[name] = row
        by_style[row["style"]].append(row)
        by_style[f"[{row['kind']}]"].append(row)
    overall = aggregate(list(rows.values()))
    return overall, {k: aggregate(v) for k, v in sorted(by_style.items())}, rows


def below_floors(m: dict) -> list[str]:
    out = []
    if m["leak_rate"] > FLOORS["leak_rate"]:
        out.append(f"leak rate {m['leak_rate']:.3f} > 0")
    for k in ("body_recall", "body_precision", "caption_recall"):
        if m[k] < FLOORS[k]:
            out.append(f"{k} {m[k]:.3f} < {FLOORS[k]}")
    return out


COLS = [("body P", "body_precision"), ("body R", "body_recall"), ("leak", "leak_rate"),
        ("cap R", "caption_recall"), ("credit", "credit_accuracy"), ("dateline", "dateline_accuracy"),
        ("title", "title_accuracy"), ("authors", "authors_accuracy"), ("bp R", "boilerplate_recall")]


def table(overall: dict, styles: dict) -> str:
    head = f"{'':<18}{'n':>4}  " + "  ".join(f"{c:>8}" for c, _ in COLS)
    lines = [head]
    for label, m in [("ALL", overall)] + list(styles.items()):
        lines.append(f"{label:<18}{m['articles']:>4}  " + "  ".join(f"{m[k]:>8.3f}" for _, k in COLS))
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--fixtures", type=Path, default=FIXTURES)
    ap.add_argument("--show", action="append", default=[], help="print the errors of this fixture (or 'all')")
    ap.add_argument("--json", type=Path, help="write the metrics here")
    ap.add_argument("--catalogue", type=Path, help="another catalogue file (e.g. an older one, to see what "
                    "the general layer catches without the entries written for a set)")
    ap.add_argument("--line-model", choices=("on", "off"), default="on" if LINE_MODEL else "off",
                    help="with or without the learned line model's second opinion (anatomy.line_model)")
    args = ap.parse_args(argv)

    catalogue = Catalogue.load(path=args.catalogue) if args.catalogue else None
    overall, styles, rows = evaluate(args.fixtures, catalogue, args.line_model == "on")
    if not rows:
        print(f"no fixtures under {args.fixtures}")
        return 1
    print(table(overall, styles))
    for name, r in rows.items():
        wrong = []
        if r["missing_body"]:
            wrong.append(f"missing body {len(r['missing_body'])}")
        if r["extra_body"]:
            wrong.append(f"extra body {len(r['extra_body'])}")
        if r["leaks"]:
            wrong.append(f"leaks {len(r['leaks'])}")
        if r["captions_found"] < r["captions_expected"]:
            wrong.append(f"captions {r['captions_found']}/{r['captions_expected']}")
        if r["credit_ok"] < r["credit_slots"]:
            wrong.append(f"credits {r['credit_ok']}/{r['credit_slots']}")
        for f in ("dateline", "title", "authors"):
            if not r[f + "_ok"]:
                wrong.append(f)
        if r["bp_found"] < r["bp_expected"]:
            wrong.append(f"boilerplate {r['bp_found']}/{r['bp_expected']}")
        if wrong:
            print(f"  {name}: " + ", ".join(wrong))
        if "all" in args.show or name in args.show:
            exp = json.loads((args.fixtures / f"{name}.expected.json").read_text(encoding="utf-8"))
            g = r["got"]
            for p in r["missing_body"]:
                print(f"      - missing: {p[:160]}")
            for p in r["extra_body"]:
                print(f"      + extra:   {p[:160]}")
            for it in r["leaks"]:
                print(f"      ! leak:    {it[:160]}")
            for k in ("title", "authors", "dateline"):
                if not r[k + "_ok"]:
                    print(f"      {k}: expected {exp.get(k)!r} got {g.get(k)!r}")
            if r["credit_ok"] < r["credit_slots"] or r["captions_found"] < r["captions_expected"]:
                print(f"      captions expected {json.dumps(exp.get('captions'), ensure_ascii=False)[:600]}")
                print(f"      captions got      {json.dumps(g.get('captions'), ensure_ascii=False)[:600]}")
                print(f"      credits expected {exp.get('credits')} got {g.get('credits')}")
            eb, gb = Counter(map(norm, exp.get("boilerplate") or [])), Counter(map(norm, g.get("boilerplate") or []))
            for x in (eb - gb).elements():
                print(f"      bp missing: {x[:120]}")
            for x in (gb - eb).elements():
                print(f"      bp extra:   {x[:120]}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"overall": overall, "styles": styles}, indent=1))
    bad = below_floors(overall)
    if bad:
        print("BELOW FLOORS: " + "; ".join(bad))
        return 1
    print("floors held: leak 0, body recall >= 0.99, body precision >= 0.98, caption recall >= 0.95")
    return 0


if __name__ == "__main__":
    sys.exit(main())
