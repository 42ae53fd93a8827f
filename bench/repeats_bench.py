"""The repetition memory on a generated multi-source corpus: how much furniture it takes
out of bodies the catalogue and the classifier left it in, and how many story lines it
takes by mistake.

    python bench/repeats_bench.py [--sources 6] [--articles 60] [--seed 1]

Each source has its own house furniture, in its own wording (a newsletter pitch with its
marker lines, a support pitch, a share row, a licensing note, a tip line, section labels,
some in every article, some in half), plus furniture that varies (update stamps, related
headlines) which no fingerprint can catch.  Stories are generated sentence by sentence;
some legitimate lines recur: stock sentences ("The company did not respond to a request
for comment.") in 10-25% of a source's articles -- 55% for the police-beat source -- and
subheadings ("What happens next") in 25-35% of some sources' articles.

The articles arrive as scheduled runs do (1-4 articles per source per run, sources
interleaved); each run goes through the same code as the pipeline: split_anatomy, then
transforms.repeats.drop_repeats with what pipeline.state.Memory knew before the run, then
the run's fingerprints are merged (as the driver does after a commit).  Rule variants
are measured on the same runs.  Lines are labelled, so:

  false removal  = story lines the repeats step removed / story lines it was given
  leak before    = furniture lines left in bodies by catalogue + classifier / furniture lines
  leak after     = ... after the repeats step;  removed = 1 - after / before
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.state import Memory                                          # noqa: E402
from transforms.anatomy import Catalogue, norm, split_anatomy              # noqa: E402
from transforms.repeats import RepeatRule, drop_repeats, line_fingerprints  # noqa: E402

FIRST = ["Maria", "James", "Priya", "Tomas", "Aisha", "Daniel", "Mei", "Oluwaseun", "Grace", "Liam",
         "Sofia", "Hassan", "Ingrid", "Marcus", "Leila", "Connor", "Yuki", "Rafael", "Nadia", "Owen"]
LAST = ["Okafor", "Lindqvist", "Brennan", "Castillo", "Nakamura", "Whitfield", "Haddad", "Petrov",
        "Moreau", "Adeyemi", "Kowalski", "Ferreira", "Gallagher", "Osei", "Varga", "Thornton"]
PLACES = ["Ashford", "Millbrook", "Port Ellis", "Wenlock", "Carrow", "Dunmore", "Elmswell", "Kingsbridge",
          "Harlow Cross", "Redvale", "Stonehaven", "Bramley"]
ROLES = ["the council leader", "a local resident", "the head teacher", "a hospital spokesperson",
         "the chief executive", "an economist at the university", "the fire chief", "a union official",
         "the project manager", "a shop owner on the high street"]
THINGS = ["the new bypass", "the school merger", "the flood defences", "the hospital ward", "the bus contract",
          "the housing scheme", "the budget", "the wind farm", "the library service", "the water main",
          "the market hall", "the cycle lanes", "the care home", "the ferry service"]
VERBS = ["approved", "delayed", "rejected", "criticised", "defended", "reviewed", "funded", "paused", "expanded"]
OPENERS = [
    "{P} {V} plans for {T} on {D}, after a meeting that ran late into the evening.",
    "Work on {T} in {P} will cost about £{N} million, according to figures published on {D}.",
    "Residents in {P} said they were not consulted before officials {V} {T}.",
    "{NAME}, {R}, said {T} had been discussed for {K} years without a decision.",
    "Officials in {P} {V} {T} on {D}, citing rising costs and a shortage of staff.",
]
BODY = [
    "\"We have waited a long time for this,\" said {NAME}, {R}. \"People here deserve an answer.\"",
    "The figures show that {K} in every {M} households in {P} would be affected by the change.",
    "{NAME}, {R}, said the decision on {T} would be reviewed again in {MONTH}.",
    "Critics argue that {T} has already cost taxpayers more than £{N} million since {Y}.",
    "A report published in {Y} found that {T} was used by about {N},000 people a year.",
    "Campaigners gathered outside the town hall in {P} on {D}, holding signs about {T}.",
    "The plan for {T} was first proposed in {Y} but stalled after a legal challenge.",
    "{NAME} said that without extra money, {T} could close by the end of {MONTH}.",
    "Opposition members said the timetable for {T} was unrealistic and called for a public inquiry.",
    "According to {NAME}, {R}, the cost of {T} has risen by {K}0% in two years.",
    "The nearest alternative is in {P2}, about {K}{K} miles away, which many older residents cannot reach.",
    "Work is expected to start in {MONTH} and take about {K} months, weather permitting.",
    "{NAME} told reporters that the {P} scheme was a model other towns were watching closely.",
    "Traffic was diverted through {P2} for most of {D} while engineers inspected {T}.",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "March", "April", "June", "September", "October", "November"]

# legitimate lines that recur in a source's stories
STOCK = ["The company did not respond to a request for comment.",
         "A spokesperson declined to comment further.",
         "It was not immediately clear what caused the delay.",
         "The council is expected to make a final decision next month.",
         "No one was injured.",
         "Further details were not released."]
POLICE = "Police said the investigation is continuing."
SUBHEADS = ["What happens next", "Background", "Key facts", "Why it matters", "What residents say"]

# house furniture, per source, in its own wording: (line, share of articles, where)
SOURCES = {
    "valleyledger.example": [
        ("Ledger Morning Briefing", 0.95, "mid"),
        ("Start your day with the stories that matter in the valley, delivered at 6am.", 0.95, "mid"),
        ("We will never share your email address.", 0.95, "mid"),
        ("Our journalism is funded by readers like you. Become a member today.", 0.9, "tail"),
        ("Got a story? Contact the Ledger newsroom", 0.6, "tail"),
        ("Valley Ledger readers can reach the newsroom at 555-0100.", 0.5, "tail"),
    ],
    "harbourcourier.example": [
        ("Share on Facebook | Share on X | Email this article", 1.0, "top"),
        ("Courier Plus", 0.5, "top"),
        ("Reprints and permissions: licensing@harbourcourier.example", 0.9, "tail"),
        ("The Harbour Courier is part of Seaboard Media Group.", 0.9, "tail"),
        ("More from the Courier", 0.8, "tail"),
    ],
    "metrowire.example": [
        ("Metro Wire is not responsible for the content of external sites.", 0.85, "tail"),
        ("Market data delayed at least 15 minutes", 0.4, "mid"),
        ("Editing by the Metro Wire business desk", 0.7, "tail"),
        ("Our Standards: The Metro Wire Trust Principles", 0.9, "tail"),
    ],
    "northstartimes.example": [
        ("Northstar Times Daily Digest", 0.7, "mid"),
        ("Get our free daily digest of local news, sport and weather straight to your inbox.", 0.7, "mid"),
        ("By signing up you agree to our privacy notice.", 0.7, "mid"),
        ("This article was amended after publication.", 0.15, "tail"),
        ("Comments are moderated and may take time to appear", 0.8, "tail"),
    ],
    "countypolice-beat.example": [            # a police-beat source: its stock sentence is frequent
        ("Anyone with information should call the county non-emergency line.", 0.8, "tail"),
        ("Beat Bulletin", 0.9, "top"),
        ("All suspects are presumed innocent until proven guilty in court.", 0.9, "tail"),
    ],
    "hilltopgazette.example": [
        ("Advertisement", 0.9, "mid"),
        ("Story continues below", 0.9, "mid"),
        ("Hilltop Gazette supporters get ad-free reading and early access to our investigations.", 0.6, "tail"),
        ("Follow the Gazette on Instagram and Threads", 0.6, "tail"),
    ],
}
SUBHEAD_SOURCES = {"northstartimes.example": 0.35, "metrowire.example": 0.25}


def fill(template: str, rng: random.Random) -> str:
    p, p2 = rng.sample(PLACES, 2)
    return template.format(
        P=p, P2=p2, V=rng.choice(VERBS), T=rng.choice(THINGS), D=rng.choice(DAYS), N=rng.randint(2, 95),
        K=rng.randint(2, 9), M=rng.randint(10, 40), Y=rng.randint(2009, 2023), MONTH=rng.choice(MONTHS),
        NAME=f"{rng.choice(FIRST)} {rng.choice(LAST)}", R=rng.choice(ROLES))


def article(source: str, i: int, rng: random.Random) -> tuple[str, list[tuple[str, str]]]:
    """(title, [(line, label)]) with labels story / stock / subhead / furniture / varying."""
    story = [(fill(rng.choice(OPENERS), rng), "story")]
    for _ in range(rng.randint(4, 9)):
        story.append((" ".join(fill(rng.choice(BODY), rng) for _ in range(rng.randint(1, 2))), "story"))
    if source in SUBHEAD_SOURCES and rng.random() < SUBHEAD_SOURCES[source]:
        story.insert(rng.randint(2, len(story) - 1), (rng.choice(SUBHEADS), "subhead"))
    for s in STOCK:
        if rng.random() < 0.12:
            story.insert(rng.randint(1, len(story)), (s, "stock"))
    if rng.random() < (0.55 if source.startswith("countypolice") else 0.05):
        story.append((POLICE, "stock"))
    top, mid, tail = [], [], []
    for line, share, where in SOURCES[source]:
        if rng.random() < share:
            {"top": top, "mid": mid, "tail": tail}[where].append((line, "furniture"))
    if rng.random() < 0.5:
        top.append((f"Updated {rng.randint(1, 12)}:{rng.randint(10, 59)} {rng.choice(['am', 'pm'])}", "varying"))
    if rng.random() < 0.4:
        tail.append((f"Related: {fill(rng.choice(OPENERS), rng).split(',')[0]}", "varying"))
    cut = rng.randint(2, max(2, len(story) - 1))
    lines = top + story[:cut] + mid + story[cut:] + tail
    return f"{source.split('.')[0].title()} story {i}", lines


def corpus(n_sources: int, n_articles: int, seed: int):
    """Scheduled runs: lists of (source, title, lines), 1-4 articles per source per run."""
    rng = random.Random(seed)
    sources = list(SOURCES)[:n_sources]
    queue = {s: [article(s, i, rng) for i in range(n_articles)] for s in sources}
    runs = []
    while any(queue.values()):
        run = []
        for s in sources:
            for _ in range(min(len(queue[s]), rng.randint(1, 4))):
                title, lines = queue[s].pop(0)
                run.append((s, title, lines))
        rng.shuffle(run)
        runs.append(run)
    return runs


VARIANTS = {
    "count only (n>=3)": RepeatRule(3, 0.0, 3, 0.0),
    "sentences n>=6 (no share)": RepeatRule(3, 0.0, 6, 0.0),
    "lines share>=0.3; sentences n>=6, share>=0.5": RepeatRule(3, 0.3, 6, 0.5),
    "default: lines share>=0.3; sentences n>=6, share>=0.6": RepeatRule(),
    "sentences n>=10, share>=0.7": RepeatRule(3, 0.0, 10, 0.7),
}


def measure(runs, rule: RepeatRule, catalogue: Catalogue, warm_after: int) -> dict:
    mem = Memory()
    c = Counter()
    seen_per_source = Counter()
    ms = 0.0
    for run in runs:
        known = mem.known(rule.min_repeats)
        records = []
        for source, title, lines in run:
            text = "\n\n".join(line for line, _ in lines)
            parts = split_anatomy(text, title=title, catalogue=catalogue, scrape=True)
            draft = {"body": parts["body"], "boilerplate": parts["boilerplate"]}
            before = set(norm(p) for p in draft["body"].split("\n\n"))
            t0 = time.perf_counter()
            drop_repeats(draft, known.get(source, {}), rule)
            ms += (time.perf_counter() - t0) * 1000
            after = set(norm(p) for p in draft["body"].split("\n\n"))
            warm = seen_per_source[source] >= warm_after
            seen_per_source[source] += 1
            for line, label in lines:
                k = norm(line)
                kind = "furniture" if label in ("furniture", "varying") else "story"
                c[f"{kind}.lines"] += 1
                c[f"label.{label}.lines"] += 1
                if k in before:
                    c[f"{kind}.in_body_before"] += 1
                    c[f"label.{label}.in_body_before"] += 1
                    if warm:
                        c[f"warm.{kind}.in_body_before"] += 1
                    if k in after and kind == "furniture":
                        c[f"left: {line[:60]}"] += 1
                    if k not in after:
                        if kind == "story":
                            c[f"removed: {line}"] += 1
                        c[f"{kind}.removed"] += 1
                        c[f"label.{label}.removed"] += 1
                        if warm:
                            c[f"warm.{kind}.removed"] += 1
            c["articles"] += 1
            t0 = time.perf_counter()
            fps = line_fingerprints(text)
            c["fp_ms"] += (time.perf_counter() - t0) * 1000
            records.append({"id": f"{source}/{title}", "source": source, "fps": fps})
        mem.merge(records, time.time())
    c["ms"] = ms
    return c


def pct(a, b):
    return f"{100 * a / b:.2f}%" if b else "-"


def state_cost(n_sources: int, per_source: int) -> None:
    """Driver-side cost of a full memory: load, merge a commit of 50 articles, prune, save."""
    import random as _r
    import tempfile

    from pipeline.state import load_memory, save_memory
    rng = _r.Random(0)
    mem = Memory()
    for s in range(n_sources):
        src = f"source{s}.example"
        mem.lines[src] = {rng.getrandbits(63): [rng.choice([1, 1, 1, 2, 5, 40]), 0, int(time.time()) - 3600,
                                                [rng.getrandbits(60)]] for _ in range(per_source)}
        mem.articles[src] = 200
    with tempfile.TemporaryDirectory() as out:
        t0 = time.perf_counter()
        save_memory(out, mem)
        t1 = time.perf_counter()
        back = load_memory(out)
        t2 = time.perf_counter()
        recs = [{"id": f"{rng.getrandbits(128):032x}", "source": f"source{rng.randrange(n_sources)}.example",
                 "fps": [rng.getrandbits(63) for _ in range(20)]} for _ in range(50)]
        back.merge(recs, time.time())
        back.prune(time.time(), per_source=per_source, max_age_s=90 * 86400)
        t3 = time.perf_counter()
        known = back.known(3)
        t4 = time.perf_counter()
        import os
        size = os.path.getsize(os.path.join(out, "_state", "repeats.parquet"))
    lines = n_sources * per_source
    print(f"state of {n_sources} sources x {per_source} lines = {lines} lines: file {size / 2**20:.1f} MiB "
          f"({size / lines:.1f} B/line); save {t1 - t0:.2f} s, load {t2 - t1:.2f} s, merge 50 articles + "
          f"prune {t3 - t2:.2f} s, known set {t4 - t3:.2f} s ({sum(len(v) for v in known.values())} lines)")


def through_pipeline(runs, workdir: Path) -> None:
    """The same scheduled runs as real `newsbeam run`s (JSONL batches, one output with the
    memory on, one with it off); bodies read back and compared line by line."""
    import json

    import duckdb

    from pipeline import config as cfgmod
    from pipeline.run import run as newsbeam_run
    labels: dict = {}
    for r, batch in enumerate(runs):
        path = workdir / "in" / f"run{r:03d}.jsonl"
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w") as fh:
            for source, title, lines in batch:
                url = f"https://www.{source}/{title.replace(' ', '-').lower()}"
                labels[url] = lines
                fh.write(json.dumps({"url": url, "title": title,
                                     "text": "\n\n".join(line for line, _ in lines)}) + "\n")
    bodies = {}
    t0 = time.perf_counter()
    for r in range(len(runs)):              # interleaved: shared load affects both alike
        for memory in (False, True):
            cfg = cfgmod.Config(inputs=[str(workdir / "in" / f"run{r:03d}.jsonl")],
                                output=str(workdir / f"out-{'memory' if memory else 'off'}"))
            cfg.enrich.entities = cfg.enrich.dates = False
            cfg.anatomy.memory = memory
            newsbeam_run(cfg, log=lambda *a: None)
    seconds = time.perf_counter() - t0
    for memory in (False, True):
        pattern = str(workdir / f"out-{'memory' if memory else 'off'}" / "articles" / "**" / "*.parquet")
        bodies[memory] = {url: {norm(p) for p in body.split("\n\n")} for url, body in
                          duckdb.connect().execute(f"SELECT url, body FROM read_parquet('{pattern}')").fetchall()}
    c = Counter()
    for url, lines in labels.items():
        for line, label in lines:
            kind = "furniture" if label in ("furniture", "varying") else "story"
            k = norm(line)
            if k in bodies[False].get(url, ()):
                c[f"{kind}.before"] += 1
                if k not in bodies[True].get(url, ()):
                    c[f"{kind}.removed"] += 1
    print(f"through the pipeline ({len(runs)} scheduled runs x 2 outputs, {seconds:.0f} s): "
          f"false removal {c['story.removed']}/{c['story.before']} = {pct(c['story.removed'], c['story.before'])}; "
          f"removed {c['furniture.removed']}/{c['furniture.before']} = "
          f"{pct(c['furniture.removed'], c['furniture.before'])} of the furniture left in bodies")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sources", type=int, default=6)
    ap.add_argument("--articles", type=int, default=60, help="articles per source")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--warm-after", type=int, default=10, help="articles of a source before 'warm' figures")
    ap.add_argument("--detail", action="store_true", help="the lines left and removed, per variant")
    ap.add_argument("--state-cost", type=int, metavar="SOURCES",
                    help="instead: time the driver's load/merge/save of a full memory of SOURCES sources")
    ap.add_argument("--pipeline", metavar="WORKDIR",
                    help="also run the corpus through real `newsbeam run`s in WORKDIR (slow: use "
                         "--sources 3 --articles 20)")
    args = ap.parse_args(argv)
    if args.state_cost:
        state_cost(args.state_cost, 2000)
        return 0
    runs = corpus(args.sources, args.articles, args.seed)
    catalogue = Catalogue.load(None)
    n = sum(len(r) for r in runs)
    print(f"corpus: {args.sources} sources x {args.articles} articles = {n} articles in {len(runs)} "
          f"scheduled runs (seed {args.seed})")
    for name, rule in VARIANTS.items():
        c = measure(runs, rule, catalogue, args.warm_after)
        fb, fr, furn = c["furniture.in_body_before"], c["furniture.removed"], c["furniture.lines"]
        sb, sr = c["story.in_body_before"], c["story.removed"]
        print(f"\n{name}  (removal {c['ms'] / max(1, c['articles']):.3f} ms/article, fingerprints "
              f"{c['fp_ms'] / max(1, c['articles']):.3f} ms/article)")
        print(f"  false removal   {sr}/{sb} story lines = {pct(sr, sb)}   "
              f"(stock sentences {c['label.stock.removed']}/{c['label.stock.in_body_before']}, "
              f"subheads {c['label.subhead.removed']}/{c['label.subhead.in_body_before']}, "
              f"other story lines {c['story.removed'] - c['label.stock.removed'] - c['label.subhead.removed']}/"
              f"{c['story.in_body_before'] - c['label.stock.in_body_before'] - c['label.subhead.in_body_before']})")
        print(f"  furniture leak  before {fb}/{furn} = {pct(fb, furn)}, after {fb - fr}/{furn} = "
              f"{pct(fb - fr, furn)}; removed {pct(fr, fb)} of the leaked lines "
              f"(house furniture {c['label.furniture.removed']}/{c['label.furniture.in_body_before']}, "
              f"varying {c['label.varying.removed']}/{c['label.varying.in_body_before']})")
        wb, wr = c["warm.furniture.in_body_before"], c["warm.furniture.removed"]
        print(f"  warm (after {args.warm_after} articles of a source): removed {pct(wr, wb)} of leaked "
              f"furniture, false removal {pct(c['warm.story.removed'], c['warm.story.in_body_before'])}")
        if args.detail:
            for key, v in sorted(((k, v) for k, v in c.items() if k.startswith(("left:", "removed:"))),
                                 key=lambda kv: -kv[1])[:12]:
                print(f"    {v:4d}  {key}")
    if args.pipeline:
        through_pipeline(runs, Path(args.pipeline))
    return 0


if __name__ == "__main__":
    sys.exit(main())
