"""Hard-wrapped text (PDF exports, e-mail, e-paper text) back to one paragraph per line.

Every later step reads a scrape as one paragraph per line; a text wrapped at a fixed width
cuts each paragraph into lines that look like fragments, and the anatomy step then judges
(and drops) the fragments one by one. The test is the one `fmt`/`par` use: a line ended
by the wrap is *full*, the next line's first word would not have fitted on it; a line
that ends a paragraph leaves room for it. It runs only on a text that shows wrapping:
several lines continued in lower case, and no prose line longer than a wrap width.
"""
from __future__ import annotations

import re

_MAX_WIDTH = 120        # a prose line longer than this is a paragraph, not a wrapped line
_MIN_WIDTH = 40         # narrower "wraps" are columns of short items (menus, lists)
_MIN_CONTINUED = 3      # lines continued in lower case that show a text is wrapped
_SLACK = 4              # a wrapped line may run a little past the longest continued one
_MAX_LONGER = 0.2       # share of prose lines longer than the wrap in a wrapped text
_ITEM = re.compile(r"\s*(?:[-–—*•·▪■►▶→›»]\s|\(?\d{1,2}[.)]\s|\(?[a-z][.)]\s)")
_PROSE = re.compile(r"\S+(?:\s+\S+){3,}")        # four words or more


def _first_word(line: str) -> str:
    return line.split(None, 1)[0] if line.split() else ""


def wrap_width(lines: list[str]) -> int | None:
    """The width a text was wrapped at, or None when it does not look wrapped: the longest
    line continued in lower case on the next line, when there are several such lines and
    few prose lines are longer (a text of long paragraph lines continued here and there in
    lower case is not wrapped)."""
    continued = [a.rstrip() for a, b in zip(lines, lines[1:])
                 if a.strip() and b.strip()[:1].islower() and a.rstrip()[-1:] not in ".!?:"]
    if len(continued) < _MIN_CONTINUED:
        return None
    width = max(len(a) for a in continued)
    if not _MIN_WIDTH <= width <= _MAX_WIDTH:
        return None
    prose = [ln for ln in lines if _PROSE.match(ln.strip())]
    longer = sum(1 for ln in prose if len(ln.rstrip()) > width + _SLACK)
    return width if longer <= _MAX_LONGER * len(prose) else None


_RULE = re.compile(r"\s*[-=_*~#.·•]{3,}\s*$")      # a separator line "------"
# a line that starts a header field, not a wrapped paragraph's next words ("by" in lower
# case goes on: "...led\nby Lintang Capital")
_FIELD = re.compile(r"\s*(?:By|BY|Written by|Words by|Reporting by|Edited by|Photos?:|Image:|Credit:|"
                    r"Posted|Published|Updated)\b")


_LOWER_SLACK = 2           # a line this much short of full still goes on when the next starts in lower case
_MAX_DENSE_BLANKS = 0.1    # blank lines per prose line in a text whose paragraphs run on without them
_SENTENCE_END = re.compile(r"[.!?…][\"'’”»)]*$")
_OPENS = re.compile(r"[\"'“‘«A-ZÀ-ÞА-ЯЁІЇЄҐ0-9]")


def dense(lines: list[str]) -> bool:
    """The paragraphs follow one another with no blank line between them (an e-paper's
    narrow column): a sentence that ends a line, with a capital opening the next, ends
    its paragraph there."""
    prose = sum(1 for ln in lines if _PROSE.match(ln.strip()))
    inner = lines[next((i for i, ln in enumerate(lines) if _PROSE.match(ln.strip())), 0):]
    blanks = sum(1 for a, b in zip(inner, inner[1:]) if not a.strip() and b.strip())
    return prose >= 10 and blanks <= _MAX_DENSE_BLANKS * prose


def _continues(line: str, nxt: str, width: int, run_on: bool = False) -> bool:
    """`nxt` goes on the paragraph `line` is part of: `line` was full (the next word would
    not have fitted, and it is no longer than the wrap) and `nxt` is no list item, no
    separator line, no header field (a byline under a headline) and no row laid out in
    cells ("Priority: routine   Words: 436"), which wrapped prose never is. `run_on`: paragraphs
    follow with no blank line, and a sentence ending the line ends the paragraph."""
    if not line.strip() or not nxt.strip() or _ITEM.match(nxt) or _RULE.match(nxt) or _RULE.match(line) \
            or _FIELD.match(nxt):
        return False
    if run_on and _SENTENCE_END.search(line.rstrip()) and _OPENS.match(nxt.strip()):
        return False
    if len(line.rstrip()) > width + _SLACK or "   " in line.strip() or "   " in nxt.strip():
        return False
    if not _PROSE.match(line.strip()) and not nxt.strip()[:1].islower():
        return False
    slack = _LOWER_SLACK if nxt.strip()[:1].islower() else 0     # a word in lower case goes on
    return len(line.rstrip()) + 1 + len(_first_word(nxt)) > width - slack


def unwrap(text: str) -> str:
    """`text` with wrapped lines joined into their paragraphs; unchanged when not wrapped."""
    lines = text.split("\n")
    width = wrap_width(lines)
    if width is None:
        return text
    out: list[str] = []
    joining = False
    run_on = dense(lines)
    for i, line in enumerate(lines):
        piece = line.strip() if joining else line.rstrip()
        if joining:
            prev = out[-1]
            out[-1] = prev + piece if re.search(r"[A-Za-z]-$", prev) else f"{prev} {piece}"
        else:
            out.append(piece)
        joining = i + 1 < len(lines) and _continues(line, lines[i + 1], width, run_on)
    return "\n".join(out)
