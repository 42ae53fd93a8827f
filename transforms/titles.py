"""The headline of a plain-text scrape: the first line shaped like one, not simply the first line.

A scrape copied from a page often starts with what sits above the headline: the site's
name, a section label or breadcrumb ("News › Business"), a kicker ("EXCLUSIVE"), a date
stamp, "Skip to content". Taking the first line as the title then pushes the headline
into the body and the site name into the title column. The reader still takes the first
line (it cannot know better); this step looks at the first few lines again and promotes
the headline when the lines above it are shaped like page furniture. When in doubt the
first line stays the title: a wrong promotion would move a story line out of the body.

Pure code, no Beam.
"""
from __future__ import annotations

import re

from transforms.furniture import date_line, shape

LEAD = 6                 # lines above a headline worth looking through
_CRUMB = re.compile(r"\s(?:›|»|>|/|\||·|•|→)\s")
_CHROME = re.compile(r"(?:skip to (?:main )?content|menu|home|search|sign in|log in|subscribe|"
                     r"advertisement|sponsored(?: content)?|live|breaking(?: news)?|exclusive|"
                     r"opinion|analysis|updated|watch|listen|share|print)", re.I)


def _crumb(line: str) -> bool:
    """A breadcrumb or section path: short parts between separators."""
    parts = [p for p in _CRUMB.split(line) if p.strip()]
    return len(parts) >= 2 and all(len(p.split()) <= 3 for p in parts)


def _label(line: str) -> bool:
    """A site name, section or kicker: at most three words, no sentence end, or shouting."""
    s = shape(line)
    if _CHROME.fullmatch(line.strip(" :|-–—")):
        return True
    if s.words == 0:
        return True
    short = s.words <= 3 and not s.terminal
    shout = s.words <= 4 and line.upper() == line and any(ch.isalpha() for ch in line)
    return short or shout


def _headline(line: str) -> bool:
    """Shaped like a headline: several words, no full stop at the end, not too long."""
    s = shape(line)
    return 4 <= s.words <= 30 and s.chars <= 220 and not line.rstrip().endswith(".") and not s.list_mark


def _furniture(line: str, catalogue) -> bool:
    if catalogue is not None and catalogue.classify(line, position="head") is not None:
        return True
    return date_line(line) or _crumb(line)


def promote_headline(title: str | None, text: str, *, catalogue=None) -> tuple[str | None, str, list[str]]:
    """(title, text, lead): when `title` (the scrape's first line) and the lines after it
    are furniture up to a headline-shaped line, that line becomes the title; the lines above
    it are returned as `lead` (boilerplate) and removed from `text`. Otherwise unchanged."""
    title = (title or "").strip()
    if not title or not (_furniture(title, catalogue) or _label(title)):
        return title or None, text, []
    lines = text.split("\n")
    lead = [title]
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        if len(lead) > LEAD:
            break
        stripped = line.strip()
        if _furniture(stripped, catalogue):
            lead.append(stripped)
            continue
        if _headline(stripped):
            return stripped, "\n".join(lines[i + 1:]), lead
        if _label(stripped):
            lead.append(stripped)
            continue
        break                       # a sentence or something else: the first line stays
    return title, text, []
