"""A learned second opinion on the lines the furniture rules keep in the body.

The catalogue and the hand rules of transforms/furniture.py know the phrasings they
were written for; on a new publisher some of its furniture reads differently and stays.
This step scores each line the rules kept with a logistic regression over features that
do not depend on the publisher (the line's shape, page-talk evidence, its position in
the article, its block, its neighbours and what the catalogue decided about them) and
removes it when the probability of furniture reaches the threshold. A line that reads
as a sentence of the story needs a higher probability still (SENTENCE_MARGIN).

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


# where the model may remove a line: "any", "outside" the story (before its first or after
# its last story sentence) or "none"; per kind of text (a plain-text scrape / extracted HTML)
WHERE = {"text": "any", "html": "any"}


def second_opinion(model, lines, kinds, blocks, shapes, ev, out, threshold: float = DEFAULT_THRESHOLD,
                   protected=(), scrape: bool = True) -> None:
    """Lines the rules kept that the model calls furniture with probability >= threshold
    (a story-shaped line: >= SENTENCE_MARGIN too) get the reason "line_model (p=0.93)".
    Not asked: lines a rule kept on purpose (`protected`: a story's table, live-blog
    times), a review's spec line, reported speech, long lines, and articles with fewer
    than MIN_STORY story sentences."""
    body = [i for i in range(len(lines)) if kinds[i] == "body" and out[i] is None]
    story = {i for i in body if shapes[i].sentence and shapes[i].words >= 8}
    where = WHERE["text" if scrape else "html"]
    if len(story) < MIN_STORY or where == "none":
        return
    first, last = min(story), max(story)
    kept = [i for i in body if i not in protected and len(lines[i]) <= MAX_CHARS
            and not _subheading(i, blocks, story) and (where == "any" or i < first or i > last)]
    if not kept:
        return
    rows = features(lines, kinds, blocks, shapes, ev, out, only=kept)
    for i in kept:
        p = model.proba(rows[i])
        need = max(threshold, SENTENCE_MARGIN) if shapes[i].sentence else threshold
        if p >= need and not fu.spec_line(lines[i]) and not fu.reported_speech(lines[i]):
            out[i] = (f"line_model (p={p:.2f})", round(p, 3))
