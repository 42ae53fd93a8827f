"""A learned second opinion on the lines the furniture rules keep in the body.

The catalogue and the hand rules of transforms/furniture.py know the phrasings they
were written for; on a new publisher some of its furniture reads differently and stays.
This step scores each line the rules kept with a logistic regression over features that
do not depend on the publisher (the line's shape, page-talk evidence, its position in
the article, its block, its neighbours and what the catalogue decided about them) and
removes it when the probability of furniture reaches the threshold. A line that reads
as a sentence of the story needs a higher probability still (SENTENCE_MARGIN). The
story's own lists, section headings and subheadings (story_lists, story_sections,
story_subheads) and its first sentence are not asked: line by line they look like
furniture to the model, and on real pages it removed tour dates, scores and subheads.

Pure code, no Beam. The weights are data (line_model.json next to this file), written
by bench/train_line_model.py from the labelled fixtures, which also prints the
leave-one-set-out figures the threshold was chosen on.
"""
from __future__ import annotations

import json
import math
import re
from pathlib import Path

from transforms import furniture as fu

MODEL_FILE = Path(__file__).with_name("line_model.json")
DEFAULT_THRESHOLD = 0.7     # chosen leave-one-set-out (bench/train_line_model.py)
MIN_STORY = 3           # story sentences (8 words or more) an article needs before the model is asked:
                        # it learned positions from whole articles, not from two-line texts
MAX_CHARS = 600         # longer lines are paragraphs of the story: not scored
SENTENCE_MARGIN = 0.9           # a story-shaped line: at least this probability, whatever the threshold

_DIGIT = re.compile(r"\d")
_EMAIL = re.compile(r"[\w.+\-]+@[\w\-]+\.[\w.\-]+")
_RULE_FURNITURE = ("boilerplate", "gallery_ui", "headline")
_META = ("byline", "name_byline", "credit", "caption", "caption_source", "caption_credit", "pair_caption",
         "pair_credit", "figure")


def _state(j, kinds, out) -> str:
    """What the catalogue and the rules made of a line: story, furniture or meta
    (bylines, captions, credits)."""
    if kinds[j] == "body":
        return "story" if out[j] is None else "furniture"
    if kinds[j] in _RULE_FURNITURE:
        return "furniture"
    return "meta"


def _own(line: str, s: fu.Shape, ev: float) -> dict:
    """Features of the line alone."""
    n = max(1, len(line))
    return {
        "log_words": math.log1p(s.words), "log_chars": math.log1p(s.chars),
        "terminal": s.terminal, "stop_ratio": s.stop_ratio, "title_ratio": s.title_ratio,
        "list_mark": s.list_mark, "letters": s.letters, "sentence": s.sentence, "headline": s.headline,
        "shape_score": fu.score(s), "evidence": min(ev, 4.0), "any_evidence": ev > 0,
        "talks_to_reader": fu.talks_to_reader(line), "date_line": fu.date_line(line),
        "role_line": fu.role_line(line), "counter": fu.counter(s, line), "segmented": fu.segmented(line),
        "speech": bool(fu._SPEECH.search(line)), "quoted": bool(fu._QUOTED.search(line)),
        "self_ref": bool(fu._SELF_REF.search(line)), "table_line": fu.table_line(line),
        "digits": len(_DIGIT.findall(line)) / n, "url": bool(fu._URL.search(line)),
        "email": bool(_EMAIL.search(line)), "ends_colon": line.rstrip().endswith(":"),
        "w_le3": s.words <= 3, "w_4_8": 4 <= s.words <= 8, "w_9_15": 9 <= s.words <= 15,
        "w_16_30": 16 <= s.words <= 30, "w_gt30": s.words > 30,
        "caps": sum(map(str.isupper, line)) / max(1, sum(map(str.isalpha, line))),
        **{f"w:{w}": True for w in words(line)},
    }


def words(line: str) -> set[str]:
    """The line's words, lower-cased: the model knows those seen in several sets."""
    return {w.casefold().strip("'’-") for w in fu._WORD.findall(line)} - {""}


def _context(i, lines, kinds, blocks, shapes, ev, out, ctx) -> dict:
    """Features of the line's place: position against the story, block, neighbours."""
    n = len(lines)
    f = {"rel_pos": i / max(1, n - 1), "before_story": i < ctx["first"], "after_story": i > ctx["last"],
         "repeated": ctx["counts"][lines[i]] >= 2}
    size = ctx["block_size"][blocks[i]]
    f["block_1"], f["block_log"] = size == 1, math.log1p(size)
    f["block_furniture"] = ctx["block_furn"].get(blocks[i], 0) / size
    for name, j in (("prev", i - 1), ("next", i + 1)):
        if not 0 <= j < n:
            f[f"{name}_edge"] = True
            continue
        st = _state(j, kinds, out)
        f[f"{name}_{st}"] = True
        f[f"{name}_same_block"] = blocks[j] == blocks[i]
        sj = shapes[j] if kinds[j] == "body" else fu.shape(lines[j])
        f[f"{name}_sentence"] = sj.sentence
        f[f"{name}_short"] = sj.words <= 4
        f[f"{name}_evidence"] = min(ev[j] if kinds[j] == "body" else fu.evidence(lines[j]), 4.0)
    f["between_story"] = f.get("prev_story", False) and f.get("next_story", False) \
        and f.get("prev_sentence", False) and f.get("next_sentence", False)
    near = [abs(j - i) for j in ctx["furniture"] if j != i]
    f["furniture_within_2"] = bool(near) and min(near) <= 2
    return f


def _article(lines, kinds, blocks, shapes, out) -> dict:
    n = len(lines)
    story = [i for i in range(n) if kinds[i] == "body" and out[i] is None and shapes[i].sentence
             and shapes[i].words >= 8]
    counts: dict[str, int] = {}
    for ln in lines:
        counts[ln] = counts.get(ln, 0) + 1
    block_size: dict[int, int] = {}
    block_furn: dict[int, int] = {}
    furniture = []
    for j, b in enumerate(blocks):
        block_size[b] = block_size.get(b, 0) + 1
        if _state(j, kinds, out) == "furniture":
            block_furn[b] = block_furn.get(b, 0) + 1
            furniture.append(j)
    return {"first": story[0] if story else n, "last": story[-1] if story else -1, "counts": counts,
            "block_size": block_size, "block_furn": block_furn, "furniture": furniture}


def features(lines, kinds, blocks, shapes, ev, out, only=None) -> dict[int, dict]:
    """{line index: {feature: value}} for the lines in `only` (default: every line)."""
    ctx = _article(lines, kinds, blocks, shapes, out)
    idx = range(len(lines)) if only is None else only
    rows = {}
    for i in idx:
        s = shapes[i] if kinds[i] == "body" else fu.shape(lines[i])
        e = ev[i] if kinds[i] == "body" else fu.evidence(lines[i])
        rows[i] = {**_own(lines[i], s, e), **_context(i, lines, kinds, blocks, shapes, ev, out, ctx)}
    return rows


class LineModel:
    """Logistic regression over the features, standardisation folded into the weights:
    p = 1 / (1 + exp(-(intercept + sum of coef[feature] * value))). Stored in
    line_model.json as {intercept, coef, meta}."""

    def __init__(self, intercept: float, coef: dict[str, float], meta: dict | None = None):
        self.intercept, self.coef, self.meta = float(intercept), dict(coef), meta or {}

    @classmethod
    def load(cls, path: str | Path | None = None) -> "LineModel":
        """The model in `path` (default: the packaged one), read once per process."""
        key = str(path or MODEL_FILE)
        if key not in _LOADED:
            d = json.loads(Path(key).read_text(encoding="utf-8"))
            _LOADED[key] = cls(d["intercept"], d["coef"], d.get("meta"))
        return _LOADED[key]

    def to_json(self) -> dict:
        return {"intercept": round(self.intercept, 5),
                "coef": {k: round(v, 5) for k, v in sorted(self.coef.items()) if abs(v) >= 1e-5},
                "meta": self.meta}

    def proba(self, row: dict) -> float:
        z = self.intercept
        coef = self.coef
        for name, v in row.items():
            if v and name in coef:
                z += coef[name] * float(v)
        return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z))))


_LOADED: dict[str, LineModel] = {}


def _subheading(i, blocks, story) -> bool:
    """A line between two story sentences, glued to the one below it: the story's own
    subheading (the rules keep it too)."""
    return i - 1 in story and i + 1 in story and blocks[i + 1] == blocks[i]


RUN_MIN = 3                 # items of a list without an intro that the model leaves alone
SUBHEAD_WORDS = 12          # longest in-story subheading the model leaves alone
_LABEL = re.compile(r"^\s*[^\W\d_][\w.'’]{0,14}(?:\s[\w.'’]{1,14})?\s?:\s")    # "Q: ", "Path A: ", "Price: "
_DASH = re.compile(r"\s(?:[-–—]{1,2})\s")
_LEADING_NUMBER = re.compile(r"^\s*\(?\d{1,2}[.)]\s+")


def _tags(line: str, s: fu.Shape) -> set:
    """What an item of a list has in common with its neighbours: figures after any item
    number, a short label and colon, a dash or "|" or "@" between parts, or a short name."""
    t = set()
    rest = _LEADING_NUMBER.sub("", line)
    if _DIGIT.search(rest):
        t.add("figures")
    if _LABEL.match(line):
        t.add("label")
    if _DASH.search(line):
        t.add("dash")
    if "|" in line:
        t.add("pipe")
    if " @ " in line:
        t.add("at")
    if s.words <= 4 and not s.terminal:
        t.add("short")
    return t


def _alike(items, lines, shapes) -> bool:
    """All the items but one in four share one trait (_tags): a list of the same kind of thing."""
    tags = [_tags(lines[i], shapes[i]) for i in items]
    need = len(items) - len(items) // 4
    return any(sum(t in ts for ts in tags) >= need for t in set().union(*tags))


def _open_line(j, kinds, out, ev) -> bool:
    return kinds[j] == "body" and out[j] is None and ev[j] <= 0


def story_lists(lines, kinds, shapes, ev, out, first: int) -> set:
    """Lines of the story's own lists, which the model does not judge: the items under a
    story sentence ending in ":" ("The dates are:"), and, after the story has begun, a
    run of RUN_MIN or more items alike (_alike: dates and venues, scores, "Q:"/"A:",
    names, table rows) with the subheading over it, unless page talk or furniture
    introduces them."""
    n, found = len(lines), set()
    i = max(first, 0) + 1
    while i < n:
        if not _item(i, lines, kinds, shapes, out, ev):
            i += 1
            continue
        j = i
        while j < n and _item(j, lines, kinds, shapes, out, ev):
            j += 1
        found.update(_list_lines(list(range(i, j)), lines, kinds, shapes, ev, out))
        i = j
    return found


def _item(j, lines, kinds, shapes, out, ev) -> bool:
    """A line that can be an item of a story list: kept, no page talk, not a bracketed
    credit, not a paragraph of running text (unless it leads with a label: "Referee: ...")."""
    if not _open_line(j, kinds, out, ev) or lines[j].lstrip().startswith(("(", "[")):
        return False
    s = shapes[j]
    return not (s.sentence and s.words >= 12 and not _LABEL.match(lines[j]) and not _table_row(lines[j]))


def _table_row(line: str) -> bool:
    return fu.table_line(line) or line.count("|") >= 2


def _list_lines(items, lines, kinds, shapes, ev, out) -> list:
    """The lines of a run of items the model leaves alone (story_lists): the items under
    an intro ending in ":", or a run of RUN_MIN alike items and a short heading over them."""
    head = items[0] - 1
    if kinds[head] == "body" and out[head] is None and lines[head].rstrip().endswith(":") \
            and shapes[head].words >= 3 and not fu.talks_to_reader(lines[head]):
        return items
    if len(items) >= RUN_MIN and not shapes[items[0]].terminal and shapes[items[0]].words <= SUBHEAD_WORDS \
            and not _alike(items, lines, shapes):
        head, items = items[0], items[1:]             # a subheading over the list
    if kinds[head] != "body" and not _table_row(lines[head]) or ev[head] > 0:
        return []                                     # a widget's label over it
    rows = sum(_table_row(lines[k]) for k in items)
    if not (len(items) >= RUN_MIN and _alike(items, lines, shapes)) and not (rows >= 2 and 3 * rows >= 2 * len(items)):
        return []
    if out[head] is None and not shapes[head].terminal and shapes[head].words <= SUBHEAD_WORDS:
        items = [head] + items
    return items


def story_sections(lines, kinds, shapes, ev, out, story: set, first: int) -> set:
    """The headings of a story told in sections ("Apple AirPods Pro for $235", a name
    over each interview, "2) ..." over each pick): RUN_MIN or more short kept lines
    after the story has begun, none next to another, with different texts sharing one
    trait (_tags), and story sentences between them, or numbered one after another."""
    cands = [i for i in range(max(first, 0) + 1, len(lines)) if _item(i, lines, kinds, shapes, out, ev)
             and not shapes[i].terminal and shapes[i].words <= 2 * SUBHEAD_WORDS and not fu.talks_to_reader(lines[i])]
    groups: dict[str, list[int]] = {}
    for i in cands:
        for t in _tags(lines[i], shapes[i]):
            groups.setdefault(t, []).append(i)
    numbered = [i for i in cands if _LEADING_NUMBER.match(lines[i])]
    found = set()
    for t, members in groups.items():
        found.update(_section_chains(members, lines, shapes, story, same_length=t == "short"))
    nums = [int(re.match(r"\s*\(?(\d+)", lines[i]).group(1)) for i in numbered]
    run = [0]
    for k in range(1, len(numbered) + 1):
        if k < len(numbered) and nums[k] == nums[k - 1] + 1 and numbered[k] - numbered[k - 1] >= 2:
            run.append(k)
            continue
        if len(run) >= RUN_MIN:
            found.update(numbered[r] for r in run)
        run = [k]
    return found


def _section_chains(members, lines, shapes, story, same_length: bool) -> set:
    """Chains of RUN_MIN or more members with story sentences between each two, all
    texts different (and, for short names, of about the same length)."""
    found, chain = set(), members[:1]
    for b in members[1:] + [None]:
        a = chain[-1]
        if b is not None and b - a >= 2 and any(k in story for k in range(a + 1, b)) \
                and lines[b] not in {lines[c] for c in chain} \
                and (not same_length or abs(shapes[b].words - shapes[chain[0]].words) <= 1):
            chain.append(b)
            continue
        if len(chain) >= RUN_MIN:
            found.update(chain)
        chain = [b]
    return found


def story_subheads(lines, kinds, shapes, ev, out, story: set, lists: set) -> set:
    """Short lines between the story's lines, over a story sentence or a story list: its
    subheadings ("Battery and case", "GIRLS BASKETBALL"), whatever their block. The line
    above may be furniture the rules took (an advertisement between two sections)."""
    found = set()
    for i in range(1, len(lines) - 1):
        s = shapes[i]
        if not _open_line(i, kinds, out, ev) or s.terminal or s.words > SUBHEAD_WORDS \
                or lines[i].lstrip().startswith(("(", "[")) or fu.talks_to_reader(lines[i]):
            continue
        j = i - 1
        while j > 0 and i - j <= 2 and not (kinds[j] == "body" and out[j] is None):
            j -= 1
        above = kinds[j] == "body" and out[j] is None and (shapes[j].terminal or j in lists)
        k = i + 1
        while k < len(lines) - 1 and k - i <= 2 and kinds[k] != "body" and _table_row(lines[k]):
            k += 1                                    # a table's header row the rules took
        if above and (k in story or k in lists):
            found.add(i)
    return found


# where the model may remove a line: "any", "outside" the story (before its first or after
# its last story sentence) or "none"; per kind of text (a plain-text scrape / extracted HTML).
# Extracted HTML: outside only. Inside the story of real pages the model cost recall on the
# article-extraction benchmark (F1 0.969 -> 0.964, "any"; 0.968 "outside").
WHERE = {"text": "any", "html": "outside"}
PROTECT_LISTS = True        # the story's lists and subheadings are not asked (story_lists, story_subheads)


def second_opinion(model, lines, kinds, blocks, shapes, ev, out, threshold: float = DEFAULT_THRESHOLD,
                   protected=(), scrape: bool = True) -> None:
    """Lines the rules kept that the model calls furniture with probability >= threshold
    (a story-shaped line: >= SENTENCE_MARGIN too) get the reason "line_model (p=0.93)".
    Not asked: lines a rule kept on purpose (`protected`: a story's table, live-blog
    times), the story's lists, sections and subheadings, its first sentence, a review's
    spec line, reported speech, long lines, and articles with fewer than MIN_STORY story
    sentences."""
    body = [i for i in range(len(lines)) if kinds[i] == "body" and out[i] is None]
    story = {i for i in body if shapes[i].sentence and shapes[i].words >= 8}
    where = WHERE["text" if scrape else "html"]
    if len(story) < MIN_STORY or where == "none":
        return
    first, last = min(story), max(story)
    lists = story_lists(lines, kinds, shapes, ev, out, first) if PROTECT_LISTS else set()
    if PROTECT_LISTS:
        lists |= story_sections(lines, kinds, shapes, ev, out, story, first)
    heads = story_subheads(lines, kinds, shapes, ev, out, story, lists) if PROTECT_LISTS else set()
    kept = [i for i in body if i not in protected and i not in lists and i not in heads and i != first
            and len(lines[i]) <= MAX_CHARS and not _subheading(i, blocks, story)
            and (where == "any" or i < first or i > last)]
    if not kept:
        return
    rows = features(lines, kinds, blocks, shapes, ev, out, only=kept)
    for i in kept:
        p = model.proba(rows[i])
        need = max(threshold, SENTENCE_MARGIN) if shapes[i].sentence else threshold
        if p >= need and not fu.spec_line(lines[i]) and not fu.reported_speech(lines[i]):
            out[i] = (f"line_model (p={p:.2f})", round(p, 3))
