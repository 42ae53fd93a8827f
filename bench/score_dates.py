"""Score transforms/dates.py on the labelled fixtures (tests/fixtures/articles).

    .venv/bin/python bench/score_dates.py            # accuracy + speed
    .venv/bin/python bench/score_dates.py -v         # and every miss
    .venv/bin/python bench/score_dates.py --spacy    # also with spaCy DATE spans as candidates

Date-mention resolution accuracy: for every labelled mention ({text, value, granularity}
in NAME.expected.json) the body is the fixture's `body` paragraphs joined by a blank line
and the publication date its `published_at`.  The label is located in the body (the
k-th labelled "Wednesday" is the k-th occurrence at or after the previous label) and
matched to a predicted mention with the same text and start, else the same text
anywhere; it counts as correct when value and granularity are both equal.  Predicted
mentions matched to no label are reported as extra (they do not lower the accuracy).

Publication-date accuracy: the pipeline's path.  A .txt fixture: transforms.anatomy
(captions, dateline prefix; a crude heuristic when anatomy is missing) then
date_from_text on the whole scrape, plus date_from_url when the fixture has a url.  An
.html fixture: published_candidates_from_html + date_from_url, and date_from_text on the
extracted text.  Then choose_published.  Correct when the value matches (an instant
within a minute; a day label by its date) and the source equals published_at_source.

Speed: DateResolver.resolve on article bodies (the shared extraction benchmark's bodies
when present, else the fixture bodies), reported as articles of 800 words per second
of CPU on one core; and published_candidates_from_html per page.
"""
from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from datetime import datetime, timezone
from datetime import time as day_time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from transforms.dates import (DateResolver, _local_day, _parse_published_value, choose_published,  # noqa: E402
                              date_from_text, date_from_url, published_candidates_from_html)

FIXTURES = ROOT / "tests" / "fixtures" / "articles"
SHARED_BENCH = Path("/work/shared/data/article-extraction-benchmark")


# ------------------------------------------------------------------------------ fixtures

def load_fixtures(directory: Path | str = FIXTURES) -> list[dict]:
    """[{name, kind: 'txt'|'html', input, expected}] for every NAME.expected.json with an input."""
    out = []
    directory = Path(directory)
    for exp in sorted(directory.glob("*.expected.json")):
        name = exp.name[: -len(".expected.json")]
        try:
            expected = json.loads(exp.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        for kind in ("txt", "html"):
            src = directory / f"{name}.{kind}"
            if src.exists():
                raw = src.read_bytes()
                out.append({"name": name, "kind": kind, "raw": raw,
                            "input": raw.decode("utf-8", "replace"), "expected": expected})
                break
    return out


def fixture_body(fx: dict) -> str:
    body = fx["expected"].get("body") or []
    return "\n\n".join(body) if isinstance(body, list) else str(body)


def expected_published(fx: dict):
    """(datetime | None, granularity | None) of the label."""
    raw = fx["expected"].get("published_at")
    parsed = _parse_published_value(raw) if raw else None
    return parsed if parsed else (None, None)


# ------------------------------------------------------------------------ date mentions

def _locate(body: str, labels: list[dict]) -> list[int]:
    starts, pos = [], 0
    for lab in labels:
        text = lab.get("text") or ""
        i = body.find(text, pos) if text else -1
        if i < 0 and text:
            i = body.find(text)
        starts.append(i)
        if i >= 0:
            pos = i + 1
    return starts


def match_mentions(body: str, labels: list[dict], predicted: list[dict]) -> list[dict]:
    """One row per label: {label, start, predicted | None, correct}."""
    starts = _locate(body, labels)
    used: set[int] = set()
    rows = []
    for lab, start in zip(labels, starts):
        hit = None
        for j, p in enumerate(predicted):
            if j not in used and p["text"] == lab.get("text") and p["start"] == start:
                hit = j
                break
        if hit is None:
            same = [j for j, p in enumerate(predicted) if j not in used and p["text"] == lab.get("text")]
            if same:
                hit = min(same, key=lambda j: abs(predicted[j]["start"] - max(start, 0)))
        pred = predicted[hit] if hit is not None else None
        if hit is not None:
            used.add(hit)
        correct = bool(pred) and pred["value"] == lab.get("value") and \
            pred["granularity"] == lab.get("granularity")
        rows.append({"label": lab, "start": start, "predicted": pred, "correct": correct})
    extras = [p for j, p in enumerate(predicted) if j not in used]
    return rows, extras


def mention_scores(fixtures: list[dict], resolver: DateResolver | None = None, *,
                   spans_for=None) -> dict:
    """Date-mention resolution accuracy over the fixtures' labelled mentions."""
    resolver = resolver or DateResolver()
    total = correct = found = extra = 0
    misses, extras = [], []
    for fx in fixtures:
        labels = fx["expected"].get("dates") or []
        body = fixture_body(fx)
        pub, gran = expected_published(fx)
        spans = spans_for(body) if spans_for else None
        # as the pipeline does: relative dates count from the day on the page's own clock
        local = _local_day(fx["expected"].get("published_at")) if gran == "instant" else None
        predicted = resolver.resolve(body, pub, published_granularity=gran or "instant", spans=spans,
                                     local_day=local)
        rows, ex = match_mentions(body, labels, predicted)
        for r in rows:
            total += 1
            found += r["predicted"] is not None
            correct += r["correct"]
            if not r["correct"]:
                misses.append((fx["name"], r["label"], r["predicted"]))
        extra += len(ex)
        extras.extend((fx["name"], p) for p in ex)
    return {"labels": total, "correct": correct, "found": found, "extra": extra,
            "accuracy": correct / total if total else None,
            "found_rate": found / total if total else None,
            "misses": misses, "extras": extras}


# --------------------------------------------------------------------- publication date

_CAPTION_HINT = re.compile(r"\((?:[^()]*\b(?:AP|Photo|Getty|Reuters|AFP|via|Pool|EPA)\b[^()]*)\)\s*$|"
                           r"\bPhotograph:\s|^Image caption,", re.IGNORECASE)
_DATELINE_HINT = re.compile(r"^[A-Z][A-Z .,'’-]{2,40}(?:,\s+[A-Z][\w.]+(?:\s+\d{1,2})?)?"
                            r"(?:\s*\((?:AP|Reuters|AFP)\))?\s*[-–—]\s")


def _anatomy():
    try:
        from transforms.anatomy import Catalogue, split_anatomy, split_text_scrape
        return Catalogue.load(), split_anatomy, split_text_scrape
    except Exception:
        return None


def _crude_parts(text: str) -> tuple[list[str], str | None]:
    paras = [p.strip() for p in re.split(r"\n\s*\n|\n", text) if p.strip()]
    captions = [p for p in paras if _CAPTION_HINT.search(p)]
    prefix = None
    for p in paras[1:]:
        m = _DATELINE_HINT.match(p)
        if m:
            prefix = m.group(0)
            break
    return captions, prefix


def predict_published(fx: dict, anatomy=None) -> dict:
    """choose_published() for a fixture, by the pipeline's path."""
    url = fx["expected"].get("url")
    candidates: list = []
    if fx["kind"] == "html":
        candidates.extend(published_candidates_from_html(fx["input"], url))
        text, title, figures = "", None, []
        try:
            from transforms.extract import extract_html
            doc = extract_html(fx["input"], url) or {}
            text, title, figures = doc.get("text") or "", doc.get("title"), doc.get("figures") or []
        except Exception:
            pass
        parts = None
        if anatomy and text:
            cat, split_anatomy, _ = anatomy
            try:
                parts = split_anatomy(text, title=title, figures=figures, catalogue=cat)
            except Exception:
                parts = None
    else:
        text = fx["input"]
        parts = None
        if anatomy:
            cat, _, split_text_scrape = anatomy
            try:
                parts = split_text_scrape(text, catalogue=cat)
            except Exception:
                parts = None
    if url:
        d = date_from_url(url)
        if d:
            candidates.append(("url", d))
    if parts is not None:
        captions = [c.get("text") or "" for c in parts.get("captions") or []]
        prefix = parts.get("dateline_prefix")
    else:
        captions, prefix = _crude_parts(text)
    t = date_from_text(text, captions=captions, dateline_prefix=prefix, url=url)
    if t:
        candidates.append(("text", t))
    out = choose_published(candidates)
    out["candidates"] = candidates
    return out


def _local(fx: dict) -> datetime:
    """The label as written, in the publisher's own offset."""
    try:
        return datetime.fromisoformat(str(fx["expected"].get("published_at")))
    except ValueError:
        return datetime.min


def published_correct(fx: dict, got: dict) -> tuple[bool, bool]:
    """(value correct, value and source correct)."""
    exp_dt, exp_gran = expected_published(fx)
    exp_src = fx["expected"].get("published_at_source") or ("none" if exp_dt is None else None)
    got_dt = got.get("published_at")
    if exp_dt is None:
        value_ok = got_dt is None
    elif got_dt is None:
        value_ok = False
    elif exp_gran == "day":
        value_ok = got_dt.astimezone(timezone.utc).date() == exp_dt.date()
    elif got.get("granularity") == "day" and _local(fx).time() == day_time(0, 0):
        value_ok = got_dt.date() == _local(fx).date()     # a day only, labelled as its local midnight
    else:
        value_ok = abs((got_dt - exp_dt).total_seconds()) <= 60
    return value_ok, value_ok and got.get("published_at_source") == exp_src


def published_scores(fixtures: list[dict]) -> dict:
    anatomy = _anatomy()
    total = value_ok = both_ok = 0
    misses = []
    for fx in fixtures:
        got = predict_published(fx, anatomy)
        v, b = published_correct(fx, got)
        total += 1
        value_ok += v
        both_ok += b
        if not b:
            misses.append((fx["name"], fx["expected"].get("published_at"),
                           fx["expected"].get("published_at_source"),
                           got["published_at"].isoformat() if got["published_at"] else None,
                           got["published_at_source"], got["candidates"]))
    return {"fixtures": total, "value_correct": value_ok, "correct": both_ok,
            "accuracy": both_ok / total if total else None,
            "value_accuracy": value_ok / total if total else None,
            "anatomy": anatomy is not None, "misses": misses}


# -------------------------------------------------------------------------------- speed

def speed_bodies(fixtures: list[dict]) -> list[str]:
    gt = SHARED_BENCH / "ground-truth.json"
    if gt.exists():
        try:
            data = json.loads(gt.read_text(encoding="utf-8"))
            bodies = [v.get("articleBody") or "" for v in data.values()]
            if bodies:
                return bodies
        except (OSError, ValueError):
            pass
    return [fixture_body(fx) for fx in fixtures] * 20


def resolve_speed(bodies: list[str], resolver: DateResolver | None = None, repeats: int = 3) -> dict:
    resolver = resolver or DateResolver()
    pub = datetime(2021, 12, 15, 15, 30, tzinfo=timezone.utc)
    words = sum(len(b.split()) for b in bodies)
    best = None
    mentions = 0
    for _ in range(repeats):
        t0 = time.process_time()
        mentions = sum(len(resolver.resolve(b, pub)) for b in bodies)
        dt = time.process_time() - t0
        best = dt if best is None else min(best, dt)
    best = max(best, 1e-9)
    return {"articles": len(bodies), "words": words, "cpu_seconds": best, "mentions": mentions,
            "articles_per_s": len(bodies) / best, "articles800_per_s": words / 800 / best}


def html_speed(limit: int = 181) -> dict | None:
    d = SHARED_BENCH / "html"
    if not d.exists():
        return None
    pages = []
    for p in sorted(d.glob("*.html.gz"))[:limit]:
        try:
            pages.append(gzip.decompress(p.read_bytes()).decode("utf-8", "replace"))
        except OSError:
            continue
    if not pages:
        return None
    t0 = time.process_time()
    found = sum(1 for html in pages if published_candidates_from_html(html, None))
    dt = max(time.process_time() - t0, 1e-9)
    return {"pages": len(pages), "with_candidates": found, "ms_per_page": dt * 1000 / len(pages)}


# --------------------------------------------------------------------------------- main

def _spacy_spans():
    from transforms.entities import EntityTagger
    tagger = EntityTagger()
    tagger.load()
    return lambda body: tagger.tag([body])[0]["date_spans"]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--fixtures", default=str(FIXTURES))
    ap.add_argument("-v", "--verbose", action="store_true", help="list every miss")
    ap.add_argument("--spacy", action="store_true", help="also score with spaCy DATE spans")
    ap.add_argument("--no-speed", action="store_true")
    args = ap.parse_args(argv)

    fixtures = load_fixtures(args.fixtures)
    print(f"fixtures: {len(fixtures)} ({sum(f['kind'] == 'txt' for f in fixtures)} txt, "
          f"{sum(f['kind'] == 'html' for f in fixtures)} html) in {args.fixtures}")
    ms = mention_scores(fixtures)
    print(f"date-mention resolution accuracy: {ms['accuracy'] or 0:.3f} "
          f"({ms['correct']}/{ms['labels']}; found {ms['found']}; extra predicted {ms['extra']})")
    if args.verbose:
        for name, lab, pred in ms["misses"]:
            print(f"   miss {name}: {lab} -> {pred}")
        for name, p in ms["extras"]:
            print(f"   extra {name}: {p['text']!r} {p['value']} {p['granularity']}")
    if args.spacy:
        try:
            ss = mention_scores(fixtures, spans_for=_spacy_spans())
            print(f"  with spaCy DATE spans: {ss['accuracy'] or 0:.3f} "
                  f"({ss['correct']}/{ss['labels']}; extra predicted {ss['extra']})")
            if args.verbose:
                for name, p in ss["extras"]:
                    print(f"   extra {name}: {p['text']!r} {p['value']} {p['granularity']}")
        except Exception as e:  # model missing
            print(f"  with spaCy DATE spans: unavailable ({type(e).__name__}: {e})")
    ps = published_scores(fixtures)
    print(f"publication-date accuracy (value and source): {ps['accuracy'] or 0:.3f} "
          f"({ps['correct']}/{ps['fixtures']}); value only {ps['value_accuracy'] or 0:.3f}"
          f"{'' if ps['anatomy'] else '  [crude caption heuristic: no transforms.anatomy]'}")
    if args.verbose:
        for row in ps["misses"]:
            print("   miss", *row)
    if not args.no_speed:
        sp = resolve_speed(speed_bodies(fixtures))
        print(f"resolve speed: {sp['articles800_per_s']:.0f} articles/s of 800 words on one core "
              f"({sp['articles']} bodies, {sp['words']} words, {sp['cpu_seconds']:.3f} s CPU, "
              f"{sp['mentions']} mentions)")
        hs = html_speed()
        if hs:
            print(f"published_candidates_from_html: {hs['ms_per_page']:.1f} ms/page "
                  f"({hs['pages']} pages, {hs['with_candidates']} with a candidate)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
