"""Furniture remembered across runs: lines that recur in many articles of one source.

A publisher's templates put the same lines into every article (a newsletter pitch, a
share row, a licensing note, a "more from us" label).  A scheduled run sees only a few
articles of a source, too few for repetition to show, so the driver remembers the
fingerprints of each article's lines per source in DIR/_state/ (pipeline/state.py) and
hands the lines it has seen in many articles to this step, which moves them from the
body to the boilerplate.

The precision rule (measured in bench/repeats_bench.py): a line that does not read as a
sentence is furniture once `min_repeats` earlier articles of the source had it.  A line
that reads as a sentence can be a story sentence a source writes often ("The company
did not respond to a request for comment."), so it needs more: `sentence_repeats`
articles and a `sentence_share` of all the source's articles since it was first seen
(a template line is in nearly all of them, a stock sentence in a few).  And an article
never loses its last sentence-shaped paragraph to this step.

Pure code, no Beam, no I/O.  Fingerprints are 64-bit integers of the normalised line
(transforms.anatomy.norm), so the memory holds no article text.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

MAX_LINE_CHARS = 400          # longer paragraphs are story text: not remembered
MAX_LINES = 300               # lines fingerprinted per article


@dataclass(frozen=True)
class Known:
    """What the memory knows of one line of a source: in `n` earlier articles; `share`:
    its share of the source's articles since it was first seen, as the lower bound of a
    90% Wilson interval (few articles tell little: 3 of 3 gives 0.53, 30 of 30 0.92)."""
    n: int
    share: float


def share_bound(n: int, since: int, z: float = 1.645) -> float:
    """Lower bound of the Wilson score interval of n successes in `since` trials."""
    since = max(since, n, 1)
    p = n / since
    denom = 1 + z * z / since
    centre = p + z * z / (2 * since)
    margin = z * ((p * (1 - p) + z * z / (4 * since)) / since) ** 0.5
    return max(0.0, (centre - margin) / denom)


@dataclass(frozen=True)
class RepeatRule:
    min_repeats: int = 3          # articles, for a line that is not a sentence ...
    line_share: float = 0.3       # ... and its share (Known.share) of the source's articles
    sentence_repeats: int = 6     # articles, for a sentence-shaped line ...
    sentence_share: float = 0.6   # ... and its share


def source_key(draft: dict) -> str:
    """The source an article's lines are remembered under: the pipeline's `source` (a
    domain, a feed or file source name), else the URL's domain; "" (not remembered) if none."""
    from transforms.ids import source_of
    return draft.get("source") or source_of(draft.get("url")) or ""


def fingerprint(line: str) -> int:
    """The line's fingerprint: 8 bytes of BLAKE2b over its loose form, as a signed int64."""
    from transforms.anatomy import norm
    key = norm(line)
    if not key:
        return 0
    digest = hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def line_fingerprints(text: str) -> list[int]:
    """The distinct fingerprints of an article's lines (as extracted, before anatomy),
    in order; long paragraphs and empty lines are left out."""
    seen: dict[int, None] = {}
    for line in (text or "").splitlines():
        line = line.strip()
        if not line or len(line) > MAX_LINE_CHARS:
            continue
        fp = fingerprint(line)
        if fp:
            seen[fp] = None
            if len(seen) >= MAX_LINES:
                break
    return list(seen)


def _sentence(line: str) -> bool:
    from transforms.furniture import shape
    return shape(line).sentence


def repeat_count(line: str, known: Known | None, rule: RepeatRule) -> int | None:
    """The article count that makes `line` furniture under the rule, or None (keep it)."""
    if known is None or known.n < rule.min_repeats:
        return None
    if len(line) > MAX_LINE_CHARS:
        return None
    if _sentence(line):
        if known.n < rule.sentence_repeats or known.share < rule.sentence_share:
            return None
    elif known.share < rule.line_share:
        return None
    return known.n


def split_repeats(paragraphs: list[str], known: dict[int, Known], rule: RepeatRule
                  ) -> tuple[list[str], list[tuple[str, int]]]:
    """(kept paragraphs, [(removed paragraph, article count)]).

    Nothing is removed when it would leave the article without a sentence-shaped
    paragraph: the memory must never take the story itself."""
    if not known:
        return list(paragraphs), []
    kept: list[str] = []
    removed: list[tuple[str, int]] = []
    for p in paragraphs:
        n = repeat_count(p, known.get(fingerprint(p)), rule)
        if n is None:
            kept.append(p)
        else:
            removed.append((p, n))
    if removed and not any(_sentence(p) for p in kept):
        return list(paragraphs), []
    return kept, removed


def drop_repeats(draft: dict, known: dict[int, Known], rule: RepeatRule) -> list[tuple[str, int]]:
    """Move a draft's known-repeated body paragraphs to its boilerplate (in place);
    returns what moved with its article count (reason `repeat (N articles)`)."""
    body = draft.get("body") or ""
    if not known or not body:
        return []
    kept, removed = split_repeats(body.split("\n\n"), known, rule)
    if removed:
        draft["body"] = "\n\n".join(kept)
        draft["boilerplate"] = list(draft.get("boilerplate") or []) + [p for p, _n in removed]
    return removed


def reason(n: int) -> str:
    """The reason `newsbeam explain` prints for a line this step removed."""
    return f"repeat ({n} articles)"
