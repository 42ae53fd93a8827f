"""General furniture detection: lines no catalogue entry claims, judged on features that
do not depend on the publisher.

The catalogue (anatomy_catalogue.yaml) is precise but only knows the phrasings it was
written for. This module scores each remaining line on its shape -- length, sentence
shape, terminal punctuation, stopword density, title-case ratio, list and link markers
-- and decides with its context: position (before the first / after the last sentence
of the story), the class of its neighbours (a run of headline-shaped lines is a list
of other stories, and so is the label line above it), and repetition (a non-sentence
line that recurs in the article, or across articles of the same source).

One rule is never broken: a line that reads as a sentence of the story and occurs once
is never removed here (only a catalogue entry or cross-article repetition removes it).

Pure code, no Beam. `classify_lines` returns, per line, None (keep) or
(reason, score): the reason is a short stable code that `newsbeam explain` prints.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# English function words (jusText's stoplist is larger; a short list is enough to tell
# a sentence from a label, and keeps this module free of a data file).
STOPWORDS = frozenset("""
    a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each
    few for from further had has have having he her here hers him his how i if in into is
    it its itself just me more most my no nor not now of off on once only or other our
    ours out over own same she should so some such than that the their theirs them then
    there these they this those through to too under until up very was we were what when
    where which while who whom why will with would you your yours said says say told
    according new last next first one two three year years week day days per
    """.split())
_WORD = re.compile(r"[^\W\d_][\w'’\-]*")
_TERMINAL = re.compile(r"[.!?…][\"'’”)\]]*$|[\"”]$")
_LIST_MARK = re.compile(r"^(?:[-–—•·*▪►]|\d{1,2}[.)])\s+")
_INITIALS = re.compile(r"[a-z]{1,4}(?:/[a-z]{1,4}){1,6}")        # wire editors' initials "lf/ama/jj"
_NUMERIC = re.compile(r"[\d\s.,:%$€£¥+\-–—()/|]+")                # a table row of figures


@dataclass(frozen=True)
class Shape:
    words: int
    chars: int
    terminal: bool
    stop_ratio: float
    title_ratio: float
    list_mark: bool
    letters: float             # share of characters that are letters

    @property
    def sentence(self) -> bool:
        """Reads as a sentence of running text (not a label, a headline or a name).
        Language-independent at heart (sentence end, words, share of capitalised
        words); English function words only add evidence."""
        if self.words >= 4 and self.terminal and self.title_ratio < 0.85:
            return True
        if self.words >= 10 and (self.stop_ratio >= 0.3 or self.title_ratio < 0.5):
            return True
        return self.words >= 20

    @property
    def headline(self) -> bool:
        """Shaped like the headline of another story: 3-20 words, most capitalised or
        no sentence end, not a list item of the story."""
        if self.list_mark or not 3 <= self.words <= 22 or self.chars > 180:
            return False
        if self.terminal and not self.title_ratio >= 0.7:
            return False
        return self.title_ratio >= 0.6 or (not self.terminal and self.words <= 14)


def shape(line: str) -> Shape:
    words = _WORD.findall(line)
    n = len(words)
    low = [w.casefold() for w in words]
    stop = sum(1 for w in low if w in STOPWORDS)
    content = [w for w, lw in zip(words, low) if lw not in STOPWORDS] or words
    caps = sum(1 for w in content if w[:1].isupper())
    letters = sum(1 for ch in line if ch.isalpha())
    return Shape(
        words=n, chars=len(line),
        terminal=bool(_TERMINAL.search(line.rstrip())),
        stop_ratio=stop / n if n else 0.0,
        title_ratio=caps / len(content) if content else 0.0,
        list_mark=bool(_LIST_MARK.match(line)),
        letters=letters / max(1, len(line)),
    )


def score(s: Shape) -> float:
    """How much a line looks like furniture on its own, 0..1 (explain prints it)."""
    if s.sentence:
        return 0.05
    x = 0.3
    if not s.terminal:
        x += 0.2
    if s.words <= 4:
        x += 0.15
    if s.title_ratio >= 0.6:
        x += 0.15
    if s.stop_ratio < 0.15:
        x += 0.1
    if s.letters < 0.5:
        x += 0.1
    if s.list_mark:
        x -= 0.3
    return max(0.0, min(1.0, x))


def classify_lines(lines: list[str], kinds: list[str], blocks: list[int], *,
                   repeats: dict[str, int] | None = None, min_repeats: int = 3,
                   key=None, scrape: bool = True, links: set | None = None
                   ) -> list[tuple[str, float] | None]:
    """For each line still of kind "body": (reason, score) when it is furniture, else None.

    `kinds` are the catalogue's decisions so far ("body" = unclaimed); `blocks` the
    block number of each line (lines with no blank line between share a block);
    `repeats` counts of each line's key (`key(line)`) across other articles of the same
    source, for the cross-article rule. `scrape`: the text is a plain-text scrape (no
    extractor chose the article's container), so the lines after the story's last
    sentence are page tail too; for extracted HTML that rule is off. `links`: keys of
    lines that are the whole text of a link in the page (HTML): two or more such lines
    in a row, shaped like headlines, are a list of other stories even across blocks.
    """
    n = len(lines)
    shapes = [shape(ln) for ln in lines]
    out: list[tuple[str, float] | None] = [None] * n
    body = [i for i in range(n) if kinds[i] == "body"]
    sentences = [i for i in body if shapes[i].sentence]
    first = sentences[0] if sentences else n
    last = sentences[-1] if sentences else -1
    counts: dict[str, int] = {}
    keys = [key(ln) if key else ln for ln in lines]
    for k in keys:
        counts[k] = counts.get(k, 0) + 1

    for i in body:
        s = shapes[i]
        sc = score(s)
        if repeats and repeats.get(keys[i], 0) >= min_repeats and not _story_sentence(s, counts[keys[i]]):
            out[i] = (f"repeated_across_articles ({repeats[keys[i]]} articles of the source)", sc)
        elif _INITIALS.fullmatch(lines[i]) or (_NUMERIC.fullmatch(lines[i]) and s.words == 0):
            out[i] = ("not_text", sc)
        elif scrape and not s.sentence and counts[keys[i]] >= 2 and s.words <= 12:
            out[i] = (f"repeated_in_article ({counts[keys[i]]} times)", sc)
        elif scrape and i > last >= 0 and not s.sentence and not s.list_mark and (not s.terminal or s.title_ratio >= 0.8):
            out[i] = ("after_story", sc)
        elif scrape and i < first and s.words <= 3 and not s.terminal and not s.list_mark:
            out[i] = ("label_before_story", sc)      # section and UI labels over the story
    # runs of links shaped like headlines (HTML): other stories, list marks or not
    if links:
        is_link = [kinds[i] == "body" and out[i] is None and keys[i] in links and
                   shape(_LIST_MARK.sub("", lines[i])).headline for i in range(n)]
        i = 0
        while i < n:
            j = i
            while j < n and is_link[j]:
                j += 1
            if j - i >= 2:
                for k in range(i, j):
                    out[k] = ("link_list", score(shapes[k]))
            i = max(j, i + 1)
    # runs of headline-shaped lines: a list of other stories, with its label line above
    i = 0
    while i < n:
        if kinds[i] != "body" or out[i] is not None or not shapes[i].headline:
            i += 1
            continue
        j = i
        while j + 1 < n and kinds[j + 1] == "body" and out[j + 1] is None and \
                shapes[j + 1].headline and blocks[j + 1] == blocks[i]:
            j += 1
        if j > i:
            # the label above the run ("Most Read from X", "Read more:")
            lab = i - 1
            if lab >= 0 and kinds[lab] == "body" and out[lab] is None and not shapes[lab].sentence \
                    and shapes[lab].words <= 8 and blocks[lab] == blocks[i] - 0 and i > first:
                out[lab] = ("list_label", score(shapes[lab]))
            if i > first or j - i >= 2:
                for k in range(i, j + 1):
                    out[k] = ("headline_list", score(shapes[k]))
        i = j + 1
    return out


def _story_sentence(s: Shape, count_in_article: int) -> bool:
    return s.sentence and count_in_article == 1 and s.words >= 12
