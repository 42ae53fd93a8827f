"""NER speed: docs/s and words/s, ner-only vs the full pipeline, and by batch size.

    .venv/bin/python bench/ner_speed.py [--docs 60] [--words 800] [--repeat 3] [--model NAME]

Texts are ~800-word articles built from the labelled fixtures' bodies
(tests/fixtures/articles/*.expected.json), or from built-in sentences if there are none.
Single process (n_process=1): Beam gives the parallelism, one model per worker.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from transforms.entities import DEFAULT_MODEL, EntityTagger  # noqa: E402

FALLBACK = [
    "The city council voted on Tuesday to close the Harbour Bridge for repairs after "
    "engineers from Atlas Structural warned that cracks had grown over the winter.",
    "Mayor Helen Okafor said the work would take until March and cost about $4 million, "
    "money the council hopes to recover from the Department of Transport.",
    "Residents of Eastfield and Millbrook will have to drive through the town centre, "
    "and the bus company Northern Link has promised extra services during the closure.",
    "Okafor told reporters at City Hall that safety came first. The Conservative group "
    "on the council accused her of ignoring warnings given in 2019.",
    "In Berlin, Chancellor Olaf Scholz met French President Emmanuel Macron to discuss "
    "energy prices, while the European Commission prepared new rules in Brussels.",
]


def paragraphs() -> list[str]:
    paras = []
    for path in sorted((ROOT / "tests" / "fixtures" / "articles").glob("*.expected.json")):
        try:
            paras += [p for p in json.loads(path.read_text("utf-8")).get("body") or [] if p]
        except (ValueError, OSError):
            continue
    return paras if len(paras) >= 20 else FALLBACK


def make_texts(n_docs: int, words: int) -> list[str]:
    paras, texts, i = paragraphs(), [], 0
    for _ in range(n_docs):
        doc, count = [], 0
        while count < words:
            p = paras[i % len(paras)]
            i += 1
            doc.append(p)
            count += len(p.split())
        texts.append("\n\n".join(doc))
    return texts


REPEAT = 3


def rate(fn, texts) -> tuple[float, float, float]:
    """Best of REPEAT runs, in CPU seconds of this process: on a shared machine wall
    time counts the other processes too, and one core's throughput is what a Beam
    worker thread gets. (Single-threaded BLAS: CPU time = wall time when idle.)"""
    fn(texts[:8])                                   # warm up
    secs = float("inf")
    for _ in range(REPEAT):
        start = time.process_time()
        fn(texts)
        secs = min(secs, time.process_time() - start)
    words = sum(len(t.split()) for t in texts)
    return len(texts) / secs, words / secs, secs


def row(name, fn, texts):
    docs_s, words_s, secs = rate(fn, texts)
    print(f"{name:<48} {docs_s:7.1f} docs/s {words_s:8.0f} words/s  ({secs:.1f} cpu s)")
    return words_s


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=60)
    ap.add_argument("--words", type=int, default=800)
    ap.add_argument("--model", default=DEFAULT_MODEL)
    ap.add_argument("--repeat", type=int, default=3, help="best of N runs per row")
    args = ap.parse_args(argv)
    global REPEAT
    REPEAT = max(1, args.repeat)

    import spacy

    texts = make_texts(args.docs, args.words)
    n_words = sum(len(t.split()) for t in texts)
    print(f"{len(texts)} texts, {n_words / len(texts):.0f} words each on average, "
          f"model {args.model}, spaCy {spacy.__version__}, n_process=1")

    full = spacy.load(args.model)
    tagger = EntityTagger(model=args.model, default_gazetteer=False).load()
    ner_only = tagger._nlp
    print(f"full pipeline: {full.pipe_names}; ner-only: {ner_only.pipe_names}\n")

    def via(nlp, bs):
        return lambda ts: [d.ents for d in nlp.pipe(ts, batch_size=bs)]

    w_full = row("full pipeline, batch 32", via(full, 32), texts)
    w_ner = row("ner only, batch 32", via(ner_only, 32), texts)
    print(f"  -> ner only is {w_ner / w_full:.2f}x the full pipeline")
    same = all(
        [(e.start_char, e.end_char, e.label_) for e in a.ents]
        == [(e.start_char, e.end_char, e.label_) for e in b.ents]
        for a, b in zip(full.pipe(texts[:50]), ner_only.pipe(texts[:50])))
    print(f"  -> same entities on the first 50 texts: {same}\n")

    for bs in (1, 8, 32, 128):
        row(f"ner only, batch {bs}", via(ner_only, bs), texts)
    print()
    # One doc per paragraph (max_chars small) vs one doc per article.
    for max_chars in (20000, 1000):
        t = EntityTagger(model=args.model, max_chars=max_chars)
        t.load()
        row(f"EntityTagger.tag (gazetteer, max_chars {max_chars})", t.tag, texts)


if __name__ == "__main__":
    main()
