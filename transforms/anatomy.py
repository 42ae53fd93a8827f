"""Article anatomy: split an extracted article into title, authors, dateline, body,
captions, credits and boilerplate.

Pure code, no Beam. The anatomy DoFn builds a `Catalogue` once per worker
(`Catalogue.load(extra)` in `DoFn.setup`) and calls `split_anatomy` per article.

What is removed from the body is decided by the line catalogue
(transforms/anatomy_catalogue.yaml, extendable from config): every entry has a class, a
regular expression and an example. A line leaves the body only when an entry matches the
WHOLE line (the dateline prefix of the first paragraph is the one exception, and it is
recorded verbatim in `boilerplate`). Nothing removed is lost: furniture goes to
`boilerplate`, photo credits to `credits`, captions (with their credit split off) to
`captions`.

Paragraphs are the non-empty lines of the input (the extract step and the text reader
both put one paragraph per line, separated by blank lines); the body comes back as
paragraphs joined by a blank line.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

import yaml

CATALOGUE_FILE = Path(__file__).with_name("anatomy_catalogue.yaml")

# Classes, in the order they are tried on a line (first match wins).
LINE_CLASSES = ("gallery_ui", "caption_source", "caption", "byline", "boilerplate",
                "credit", "caption_credit")
CLASSES = LINE_CLASSES + ("dateline",)
WHERE = ("any", "head", "tail")
THEN = ("", "links")

# Longest line each class is tried on: furniture is short, captions can be long. Keeps
# the cost of a pathological line bounded whatever the pattern.
MAX_LINE = {"gallery_ui": 300, "caption_source": 300, "caption": 4000, "byline": 400,
            "boilerplate": 800, "credit": 300, "caption_credit": 4000}
DATELINE_WINDOW = 200       # the dateline is looked for in the first chars of paragraph 1
MAX_FIGURES = 500

# Shorthands usable in catalogue patterns (see the YAML header).
_UP = "A-ZÀ-ÖØ-Þ"
_DASHES = "\\-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_DASH = f"[{_DASHES}]"
_NAME_WORD = rf"(?:[{_UP}][\w'’.\-]*|Mc[{_UP}]\w*)"
_PARTICLE = r"(?:de|da|del|della|di|du|van|von|der|den|la|le|bin|al|el|ter|dos|das|ibn)"
_NAME = rf"{_NAME_WORD}(?:\s+(?:{_PARTICLE}\s+)?{_NAME_WORD}){{0,4}}?"
_NAMES = rf"{_NAME}(?:(?:\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*){_NAME}){{0,7}}?"
_CAPS_WORD = rf"[{_UP}][{_UP}.'’\-]*[{_UP}.]"
_CAPS = rf"{_CAPS_WORD}(?:[ /]{_CAPS_WORD}){{0,3}}"
_AGENCY = (r"(?:AP|AP\s+Photo|The\s+Associated\s+Press|Associated\s+Press|Reuters|REUTERS|"
           r"AFP|AFP\s+via\s+Getty\s+Images|Getty|Getty\s+Images|Sputnik|EPA|EPA-EFE|"
           r"Xinhua|TASS|Kremlin\s+Pool|Pool|Shutterstock|Alamy|PA|PA\s+Images|PA\s+Wire|"
           r"PA\s+Media|Bloomberg|Anadolu(?:\s+Agency)?|NurPhoto|SOPA\s+Images|LightRocket|"
           r"ZUMA\s+Press|ZUMA\s+Wire|Kyodo|Yonhap|dpa|ANP|Bloomberg\s+via\s+Getty\s+Images|"
           r"Corbis|Rex\s+Features|REX|Rex|iStock|iStockphoto|Handout|Supplied|"
           r"NASA|The\s+Canadian\s+Press|Canadian\s+Press|AAP|Newscom|Imagn|USA\s+TODAY\s+Sports|"
           r"Icon\s+Sportswire|Sportsfile|BBC|EFE|Keystone|ANSA|Belga|Ritzau\s+Scanpix|"
           r"NTB|TT|Lusa|Europa\s+Press|Ukrinform|Ukrinform/Sipa|Sipa|Abaca|Avalon|"
           r"KCNA|Yonhap\s+via\s+AP|WireImage|FilmMagic|Invision|Variety|Agencia\s+Estado|Frontpage|"
           r"Press\s+Association|Agence\s+France-Presse|Kremlin\s+Pool\s+Photo)")
_MONTH = (r"(?i:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
          r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
_ROLE = (r"(?:(?:(?i:staff|senior|chief|special|political|business|sports|science|health|education|"
         r"foreign|local|deputy|associate|managing|assistant|contributing|investigative|courts?|crime|"
         r"climate|environment|technology|tech|entertainment|arts|culture|food|travel|metro|city|state|"
         r"washington|white\s+house|diplomatic|economics|economy|markets|energy|transport|transportation|"
         r"weather|world|global|europe|africa|asia|middle\s+east|north\s+america|home\s+affairs|"
         r"social\s+affairs|legal|data|digital|media|music|film|sport|football|cricket|rugby|tennis|"
         r"golf|motoring|property|personal\s+finance|consumer|agriculture|rural|regional|national|"
         r"international|defence|defense|security|policy|graphics|video|audio|photo)\s+){0,3}"
         r"(?i:writer|reporter|correspondent|editor|columnist|contributor|producer|journalist|"
         r"analyst|critic|photographer)s?)")
MACROS = {
    "{DASHES}": _DASHES,
    "{DASH}": _DASH,
    "{APOS}": "['’‘]",
    "{QUOTE}": "[\"“”„]",
    "{UP}": f"[{_UP}]",
    "{CAPS}": _CAPS,
    "{NAMES}": _NAMES,
    "{NAME}": _NAME,
    "{AGENCY}": _AGENCY,
    "{MONTH}": _MONTH,
    "{ROLE}": _ROLE,
}
_MACRO_RE = re.compile("|".join(re.escape(k) for k in MACROS))

_NAME_SPLIT = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*")
_LINE_SPLIT = re.compile(r"\r\n|\r|\n")
_WS = re.compile(r"\s+")
_NORM_TABLE = str.maketrans({"‘": "'", "’": "'", "‚": "'", "′": "'", "“": '"', "”": '"',
                             "„": '"', "″": '"', "\u2010": "-", "\u2011": "-", "\u2012": "-",
                             "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
                             "\u00a0": " ", "\u200b": ""})


class CatalogueError(ValueError):
    """A catalogue entry is malformed (bad class, pattern that does not compile, ...)."""


def expand(pattern: str) -> str:
    """The catalogue pattern with its {SHORTHANDS} expanded."""
    return _MACRO_RE.sub(lambda m: MACROS[m.group(0)], pattern)


@dataclass(frozen=True)
class Entry:
    cls: str
    pattern: str
    example: str
    where: str = "any"
    note: str = ""
    then: str = ""


def _entry(raw: Any, where_from: str) -> Entry:
    if not isinstance(raw, dict):
        raise CatalogueError(f"{where_from}: expected a mapping with class, pattern, example")
    cls, pattern, example = raw.get("class"), raw.get("pattern"), raw.get("example")
    where = raw.get("where", "any") or "any"
    if cls not in CLASSES:
        raise CatalogueError(f"{where_from}: class {cls!r} is not one of {', '.join(CLASSES)}")
    if not isinstance(pattern, str) or not pattern:
        raise CatalogueError(f"{where_from}: pattern must be a non-empty string")
    if not isinstance(example, str) or not example:
        raise CatalogueError(f"{where_from}: example must be a non-empty string")
    if where not in WHERE:
        raise CatalogueError(f"{where_from}: where {where!r} is not one of {', '.join(WHERE)}")
    then = raw.get("then") or ""
    if then not in THEN:
        raise CatalogueError(f"{where_from}: then {then!r} is not one of {', '.join(t for t in THEN if t)}")
    try:
        rx = re.compile(expand(pattern))
    except re.error as e:
        raise CatalogueError(f"{where_from}: pattern does not compile: {e}") from None
    needed = {"caption_credit": {"text", "credit"}, "caption": {"text"},
              "caption_source": {"credit"}, "byline": {"names"}, "dateline": {"place"}}.get(cls, set())
    missing = needed - set(rx.groupindex)
    if missing:
        raise CatalogueError(f"{where_from}: class {cls} needs group(s) {sorted(missing)}")
    return Entry(cls, pattern, example, where, str(raw.get("note") or ""), then)


class Catalogue:
    """The compiled line catalogue. Pickles as its entries (small); the regexes are
    compiled once when loaded or unpickled."""

    def __init__(self, entries: Iterable[Entry]):
        self.entries: tuple[Entry, ...] = tuple(entries)
        self._compile()

    def _compile(self):
        by_class: dict[str, list] = {c: [] for c in CLASSES}
        for e in self.entries:
            by_class[e.cls].append((re.compile(expand(e.pattern)), e))
        self._line = [(c, rx, e) for c in LINE_CLASSES for rx, e in by_class[c]]
        self._datelines = [rx for rx, _ in by_class["dateline"]]

    def __getstate__(self):
        return {"entries": [(e.cls, e.pattern, e.example, e.where, e.note, e.then) for e in self.entries]}

    def __setstate__(self, state):
        self.entries = tuple(Entry(*t) for t in state["entries"])
        self._compile()

    def __len__(self):
        return len(self.entries)

    @classmethod
    def load(cls, extra: list[dict] | None = None, *, path: str | Path | None = None) -> "Catalogue":
        """The packaged catalogue, with `extra` entries ({class, pattern, example[, where]},
        e.g. from a config) tried before the packaged ones."""
        data = yaml.safe_load(Path(path or CATALOGUE_FILE).read_text(encoding="utf-8")) or {}
        raw = data.get("entries") if isinstance(data, dict) else None
        if not isinstance(raw, list):
            raise CatalogueError(f"{path or CATALOGUE_FILE}: expected a top-level 'entries' list")
        extra_entries = [_entry(r, f"extra catalogue entry {i + 1}") for i, r in enumerate(extra or [])]
        packaged = [_entry(r, f"catalogue entry {i + 1}") for i, r in enumerate(raw)]
        return cls(extra_entries + packaged)

    # -- matching ----------------------------------------------------------------
    def classify(self, line: str, *, position: str = "any"):
        """(class, match, entry) of the first entry matching the whole line, or None.
        `position` is "head", "tail" or "any": entries limited to the head/tail of the
        article only match there."""
        n = len(line)
        for c, rx, e in self._line:
            if n > MAX_LINE[c]:
                continue
            if e.where != "any" and e.where != position:
                continue
            m = rx.fullmatch(line)
            if m:
                return c, m, e
        return None

    def dateline(self, paragraph: str):
        """(place, prefix, rest) when the paragraph starts with a dateline, else None."""
        window = paragraph[:DATELINE_WINDOW]
        for rx in self._datelines:
            m = rx.match(window)
            if m and m.end() < len(paragraph):
                rest = paragraph[m.end():].strip()
                place = (m.group("place") or "").strip()
                if rest and place:
                    return place, paragraph[:m.end()].strip(), rest
        return None

    def split_credit(self, caption: str):
        """(text, credit) of a caption whose credit is written into it, else None."""
        if len(caption) > MAX_LINE["caption_credit"]:
            return None
        for c, rx, _ in self._line:
            if c == "caption_credit":
                m = rx.fullmatch(caption)
                if m:
                    return m.group("text").strip(), m.group("credit").strip()
        return None


# ---------------------------------------------------------------------------------
# helpers

def norm(s: str) -> str:
    """Loose form for comparing lines: NFKC, quotes/dashes unified, whitespace collapsed,
    case-folded, trailing punctuation dropped."""
    s = unicodedata.normalize("NFKC", s).translate(_NORM_TABLE)
    return _WS.sub(" ", s).strip().strip(" .:;,!?…").casefold()


def _str(x: Any) -> str:
    return x if isinstance(x, str) else ("" if x is None else str(x))


def _clean_name(name: str) -> str:
    name = _WS.sub(" ", name).strip(" ,;:.-–—|")
    if name.upper() == name and any(ch.isalpha() for ch in name):
        name = name.title()                      # "JANE O'DOE" -> "Jane O'Doe"
    return name


def authors_from_byline(names: str) -> list[str]:
    out = []
    for part in _NAME_SPLIT.split(names or ""):
        part = _clean_name(part)
        if part and part not in out:
            out.append(part)
    return out


_SENTENCE_END = re.compile(r"[.!?…:;,][\"'’”)\]]*$")


def link_like(line: str) -> bool:
    """A short line that is not a sentence: a headline or topic in a link list."""
    return len(line) <= 160 and len(line.split()) <= 16 and not _SENTENCE_END.search(line)


def _figures(figures: Any) -> list[dict]:
    out = []
    if not isinstance(figures, (list, tuple)):
        return out
    for f in figures[:MAX_FIGURES]:
        if isinstance(f, dict):
            text, credit = _str(f.get("text")).strip(), _str(f.get("credit")).strip() or None
        elif isinstance(f, str):
            text, credit = f.strip(), None
        else:
            continue
        if text or credit:
            out.append({"text": text, "credit": credit})
    return out


# ---------------------------------------------------------------------------------
# the step

def split_anatomy(text: str, *, title: str | None = None, authors: list[str] | None = None,
                  figures: list[dict] | None = None, catalogue: Catalogue) -> dict:
    """Split an extracted article (one paragraph per line) into its parts.

    Returns {"title", "authors", "dateline", "dateline_prefix", "body", "captions",
    "credits", "boilerplate"}; `body` is the kept paragraphs joined by a blank line.
    """
    text = _str(text)
    title = _str(title).strip() or None
    authors_in = [a for a in (authors or []) if isinstance(a, str) and a.strip()] \
        if isinstance(authors, (list, tuple)) else []
    lines = [ln.strip() for ln in _LINE_SPLIT.split(text)]
    lines = [ln for ln in lines if ln]

    captions: list[dict] = []
    credits: list[str] = []
    boilerplate: list[str] = []
    byline_authors: list[str] = []

    # Captions pulled from the page (HTML): credit split out of the text when written in.
    figs = _figures(figures)
    fig_lines: set[str] = set()
    for f in figs:
        if f["text"] and not f["credit"]:
            split = catalogue.split_credit(f["text"])
            if split:
                f["text"], f["credit"] = split
        if f["text"]:
            captions.append(f)
            fig_lines.add(norm(f["text"]))
            if f["credit"]:
                fig_lines.add(norm(f["text"] + " " + f["credit"]))
                fig_lines.add(norm(f"{f['text']} ({f['credit']})"))
        elif f["credit"] and f["credit"] not in credits:
            credits.append(f["credit"])
        if f["credit"]:
            fig_lines.add(norm(f["credit"]))
    fig_lines.discard("")
    title_key = norm(title) if title else None

    # Pass 1: classify each line. kinds: body, drop (figure duplicate), or a class.
    n = len(lines)
    kinds: list[str] = ["body"] * n
    matches: list[Any] = [None] * n
    seen_body = False
    in_links = False
    for i, line in enumerate(lines):
        key = norm(line)
        if title_key and key == title_key:
            kinds[i] = "headline"
            continue
        if key in fig_lines:
            kinds[i] = "figure"
            continue
        hit = catalogue.classify(line, position="head" if not seen_body else "any")
        if hit is None:
            if in_links and link_like(line):
                kinds[i] = "boilerplate"
                continue
            in_links = False
            seen_body = True
            continue
        kinds[i], matches[i] = hit[0], hit[1]
        if hit[2].then == "links":
            in_links = True

    # Pass 2: entries limited to the tail, walking back over the trailing non-body run.
    for i in range(n - 1, -1, -1):
        if kinds[i] != "body":
            continue
        hit = catalogue.classify(lines[i], position="tail")
        if hit is None:
            break
        kinds[i], matches[i] = hit[0], hit[1]

    # Pass 3: assemble.
    body: list[str] = []
    pending_source: str | None = None
    for i, line in enumerate(lines):
        kind, m = kinds[i], matches[i]
        if pending_source is not None and kind != "caption":
            credits.append(pending_source)
            pending_source = None
        if kind == "body":
            body.append(line)
        elif kind in ("headline", "gallery_ui", "boilerplate"):
            boilerplate.append(line)
        elif kind == "figure":
            pass                                    # already in captions from the page
        elif kind == "byline":
            boilerplate.append(line)
            for a in authors_from_byline(m.group("names")):
                if a not in byline_authors:
                    byline_authors.append(a)
        elif kind == "credit":
            credit = m.groupdict().get("credit") or line
            credits.append(credit.strip())
        elif kind == "caption_source":
            pending_source = m.group("credit").strip()
        elif kind == "caption":
            cap_text = m.group("text").strip()
            cap = {"text": cap_text, "credit": pending_source}
            pending_source = None
            if not any(norm(c["text"]) == norm(cap_text) for c in captions):
                captions.append(cap)
        elif kind == "caption_credit":
            cap = {"text": m.group("text").strip(), "credit": m.group("credit").strip()}
            if not any(norm(c["text"]) == norm(cap["text"]) for c in captions):
                captions.append(cap)
    if pending_source is not None:
        credits.append(pending_source)

    # Dateline: a prefix of the first body paragraph.
    dateline = prefix = None
    if body:
        found = catalogue.dateline(body[0])
        if found:
            dateline, prefix, rest = found
            body[0] = rest
            boilerplate.append(prefix)

    return {
        "title": title,
        "authors": authors_in if authors_in else byline_authors,
        "dateline": dateline,
        "dateline_prefix": prefix,
        "body": "\n\n".join(body),
        "captions": captions,
        "credits": credits,
        "boilerplate": boilerplate,
    }


def split_text_scrape(scrape: str, *, catalogue: Catalogue) -> dict:
    """A plain-text scrape as the reader sees it: the first non-empty line is the title,
    the rest is the article."""
    scrape = _str(scrape)
    lines = _LINE_SPLIT.split(scrape)
    for i, ln in enumerate(lines):
        if ln.strip():
            return split_anatomy("\n".join(lines[i + 1:]), title=ln.strip(), catalogue=catalogue)
    return split_anatomy("", catalogue=catalogue)
