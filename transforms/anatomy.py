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

import json
import re
import unicodedata
import zlib
from dataclasses import astuple, dataclass
from pathlib import Path
from typing import Any, Iterable

import yaml

from transforms.furniture import reported_speech, shape, strip_list_mark

CATALOGUE_FILE = Path(__file__).with_name("anatomy_catalogue.yaml")

# Classes, in the order they are tried on a line (first match wins).
LINE_CLASSES = ("gallery_ui", "caption_source", "caption", "byline", "boilerplate",
                "credit", "caption_credit")
CLASSES = LINE_CLASSES + ("dateline",)
WHERE = ("any", "head", "tail")
THEN = ("", "links", "block", "box", "between", "signature")
MAX_SECTION = 6            # `then: block` / `box`: lines of a section under its heading line

# Longest line each class is tried on: furniture is short, captions can be long. Keeps
# the cost of a pathological line bounded whatever the pattern.
MAX_LINE = {"gallery_ui": 300, "caption_source": 300, "caption": 1500, "byline": 400,
            "boilerplate": 800, "credit": 300, "caption_credit": 1500}
DATELINE_WINDOW = 200       # the dateline is looked for in the first chars of paragraph 1
MAX_FIGURES = 500

# Shorthands usable in catalogue patterns (see the YAML header).
# capitals of Latin-1 and Latin Extended-A ("İZMİR", "ŁÓDŹ", "ŠIBENIK")
_UP = "A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽȘȚ"
_DASHES = "\\-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_DASH = f"[{_DASHES}]"
_NAME_WORD = rf"(?:[ʻ‘'’](?=[{_UP}]))?[{_UP}][\w'’.\-]*"      # "'Ana Tavake": a Tongan name with its okina
_PARTICLE = r"(?:de|da|del|della|di|du|van|von|der|den|la|le|bin|al|el|ter|dos|das|ibn|ap|ab|ferch|mac|ni|nic)"
_NAME = rf"{_NAME_WORD}(?:\s+(?:{_PARTICLE}\s+){{0,2}}{_NAME_WORD}){{0,4}}?"
# "and" in one language or two ("ma / and", "i / and": a bilingual byline)
_OTHER_AND = r"(?:[^\W\d_]{1,4}\s*/\s*)?"
_AND_WORDS = rf"{_OTHER_AND}(?:and|und|y|et|en|och|og)"
_NAMES = rf"{_NAME}(?:(?:\s*,\s*(?:and\s+)?|\s+{_AND_WORDS}\s+|\s*&\s*){_NAME}){{0,7}}?"
_CAPS_WORD = rf"[{_UP}][{_UP}.'’\-]*[{_UP}.]"
_CAPS = rf"{_CAPS_WORD}(?:[ /]{_CAPS_WORD}){{0,3}}"
_AGENCY = (r"(?:AP|AP\s+Photo|The\s+Associated\s+Press|Associated\s+Press|Reuters|REUTERS|"
           r"AFP|AFP\s+via\s+Getty\s+Images|Getty|Getty\s+Images|Sputnik|EPA|EPA-EFE|"
           r"Xinhua|TASS|Kremlin\s+Pool|Pool|Shutterstock|Alamy|PA|PA\s+Images|PA\s+Wire|"
           r"PA\s+Media|Bloomberg|Anadolu(?:\s+Agency)?|NurPhoto|SOPA\s+Images|LightRocket|"
           r"ZUMA\s+Press|ZUMA\s+Wire|Kyodo|Yonhap|dpa|ANP|Bloomberg\s+via\s+Getty\s+Images|"
           r"Corbis|Rex\s+Features|REX|Rex|iStock|iStockphoto|Handout|Supplied|Provided|Submitted|"
           r"(?:Provided|Submitted|Contributed|File|Handout|Family)\s+(?:photo|image|picture)|"
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
         r"(?:north|south)(?:[\s\-]?(?:east|west))?|east|west|midlands|northern|southern|eastern|western|"
         r"social\s+affairs|legal|data|digital|media|music|film|sport|football|cricket|rugby|tennis|"
         r"golf|motoring|property|market|housing|real\s+estate|research|investment|personal\s+finance|consumer|"
         r"agriculture|rural|regional|national|"
         r"international|defence|defense|security|policy|graphics|video|audio|photo)\s+){0,3}"
         r"(?i:writer|reporter|correspondent|editor|columnist|contributor|producer|journalist|"
         r"analyst|critic|photographer|organi[sz]er|officer|co-?ordinator|spokes(?:person|man|woman)|"
         r"director|manager|presenter|newsreader|host|anchor|administrator|principal|secretary)s?)")
_OUTLET = (r"(?:News|Times|Post|Herald|Tribune|Journal|Gazette|Courier|Chronicle|Press|Star|Sun|"
           r"Telegraph|Guardian|Observer|Examiner|Register|Dispatch|Record|Review|Bee|Daily|Today|"
           r"Network|Wire|Media|Magazine|Radio|TV|Bureau|Independent|Standard|Mail|Mirror|Express|Weekly|"
           r"Leader|Citizen|Advocate|Enquirer|Inquirer|Sentinel|Globe|Republic|Monitor|Ledger|"
           r"Bulletin|Beacon|Eagle|Democrat|Statesman|Patriot|Pioneer|Argus|Banner|Messenger|Courant|"
           r"Free\s+Press|Journal-[A-Z]\w+|[A-Z]{2,6})")
# the words that open a byline ("By", "Words by", "Compiled by", "Reporting by")
_BOTH = (r"(?:(?:photos?|pictures)\s+and\s+(?:words|text|story)|(?:words|text|story|report|reporting)\s+and\s+"
         r"(?:photos?|pictures|video))")
_BY = (rf"(?i:(?:written|words|story|text|report|reported|reporting|compiled|posted|interview(?:ed)?|{_BOTH})"
       rf"\s+by|{_BOTH}\s*:|(?:words|story|reporting)(?=\s*:)|by)")
BYLINE_MARKER = _BY
# a newsroom desk after a byline's names ("Kumasi Bureau", "Public Safety Desk")
_DESK = rf"(?:[{_UP}][\w&'’\-]*\s+){{0,3}}(?i:desk|bureau|team|newsroom|staff|unit)"
MACROS = {
    "{DASHES}": _DASHES,
    "{DASH}": _DASH,
    "{APOS}": "['’‘]",
    "{QUOTE}": "[\"“”„]",
    "{UPCHARS}": _UP,
    "{UP}": f"[{_UP}]",
    "{CAPS}": _CAPS,
    "{NAMES}": _NAMES,
    "{NAME}": _NAME,
    "{AGENCY}": _AGENCY,
    "{OUTLET}": _OUTLET,
    "{MONTH}": _MONTH,
    "{ROLE}": _ROLE,
    "{BY}": _BY,
    "{DESK}": _DESK,
}
_MACRO_RE = re.compile("|".join(re.escape(k) for k in MACROS))

_NAME_SPLIT = re.compile(rf"\s*,\s*(?:and\s+)?|\s+{_OTHER_AND}(?:and|und|y|e|et|en|och|og)\s+|\s*&\s*")
_LINE_SPLIT = re.compile(r"\r\n|\r|\n")
_WS = re.compile(r"\s+")
_NORM_TABLE = str.maketrans({"‘": "'", "’": "'", "‚": "'", "′": "'", "“": '"', "”": '"',
                             "„": '"', "″": '"', "\u2010": "-", "\u2011": "-", "\u2012": "-",
                             "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
                             "\u00a0": " ", "\u200b": ""})


def known_place(name: str) -> bool:
    """The name is in the maintained place list (transforms/places.py, loaded when
    first asked): a mixed-case word before a colon is a dateline only if it is a place."""
    from transforms.places import place_key, place_labels
    return place_key(name) in place_labels()


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
    place: str = ""         # dateline: "known" = the place must be in the place list


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
    place = raw.get("place") or ""
    if place not in ("", "known"):
        raise CatalogueError(f"{where_from}: place {place!r} is not 'known'")
    return Entry(cls, pattern, example, where, str(raw.get("note") or ""), then, place)


_PACKAGED: list = []


def _file_entries(path: Path) -> list[Entry]:
    """A catalogue file's entries, validated.  Validating compiles every pattern (~0.15 s
    CPU in each worker and extraction child), so the checked entries are kept in the
    on-disk cache (pipeline/cache.py), named by the file's bytes and this module's code."""
    import hashlib

    from pipeline.cache import cached, file_digest
    text = path.read_text(encoding="utf-8")
    key = (hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest(), file_digest(__file__))
    checked = cached("anatomy-catalogue", key, lambda: [astuple(e) for e in _parse_entries(text, path)])
    return [Entry(*t) for t in checked]


def _parse_entries(text: str, path: Path) -> list[Entry]:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data = yaml.load(text, Loader=loader) or {}
    raw = data.get("entries") if isinstance(data, dict) else None
    if not isinstance(raw, list):
        raise CatalogueError(f"{path}: expected a top-level 'entries' list")
    return [_entry(r, f"catalogue entry {i + 1}") for i, r in enumerate(raw)]


class _Compiled:
    """The entries' regexes, each compiled when first asked for: most entries are only
    ever tried inside a combined alternation (Catalogue._runs_for)."""

    __slots__ = ("_patterns", "_done")

    def __init__(self, patterns: list[str]):
        self._patterns = patterns
        self._done: list = [None] * len(patterns)

    def __getitem__(self, i: int):
        rx = self._done[i]
        if rx is None:
            rx = self._done[i] = re.compile(self._patterns[i])
        return rx

    def __len__(self) -> int:
        return len(self._patterns)


class Catalogue:
    """The compiled line catalogue. Pickles as its entries (small); the regexes are
    compiled when loaded or unpickled (each entry's own regex when first used)."""

    def __init__(self, entries: Iterable[Entry]):
        self.entries: tuple[Entry, ...] = tuple(entries)
        self._compile()

    def _compile(self):
        by_class: dict[str, list] = {c: [] for c in CLASSES}
        for e in self.entries:
            by_class[e.cls].append(e)
        # (class, entry, index) in the order lines are tried
        self._order = [(c, e, i) for i, (c, e) in
                       enumerate((c, e) for c in LINE_CLASSES for e in by_class[c])]
        self._single = _Compiled([expand(e.pattern) for _, e, _ in self._order])
        self._datelines = [(re.compile(expand(e.pattern)), e.place) for e in by_class["dateline"]]
        self._number = {}                         # entry -> its number (describe, per line)
        for i, e in enumerate(self.entries):
            self._number.setdefault(id(e), i + 1)
        self._runs: dict = {}                     # built when first used: the extraction
                                                  # child needs only byline/furniture runs

    def _runs_for(self, position: str, classes):
        """The entries usable at `position`, as runs of one combined alternation (one
        regex call per line instead of one per entry)."""
        key = (position, classes)
        runs = self._runs.get(key)
        if runs is not None:
            return runs
        todo = [(c, e, i) for c, e, i in self._order
                if (classes is None or c in classes) and (e.where == "any" or e.where == position)]
        runs, batch = [], []

        def flush():
            if batch:
                alt = "|".join(_scoped(self._order[i][1].pattern, i) for i in batch)
                try:
                    runs.append((re.compile(alt), None))
                except (re.error, RecursionError, OverflowError):
                    runs.extend((self._single[i], i) for i in batch)
                batch.clear()

        for c, e, i in todo:
            if _combinable(e.pattern):
                batch.append(i)
            else:
                flush()
                runs.append((self._single[i], i))
        flush()
        self._runs[key] = runs
        return runs

    def __getstate__(self):
        # compressed: a DoFn carrying the catalogue pickles small (its regexes compile again)
        raw = json.dumps([(e.cls, e.pattern, e.example, e.where, e.note, e.then, e.place)
                          for e in self.entries], ensure_ascii=False).encode("utf-8")
        return {"entries_z": zlib.compress(raw, 9)}

    def __setstate__(self, state):
        rows = state["entries"] if "entries" in state else json.loads(zlib.decompress(state["entries_z"]))
        self.entries = tuple(Entry(*t) for t in rows)
        self._compile()

    def __len__(self):
        return len(self.entries)

    @classmethod
    def load(cls, extra: list[dict] | None = None, *, path: str | Path | None = None) -> "Catalogue":
        """The packaged catalogue, with `extra` entries ({class, pattern, example[, where]},
        e.g. from a config) tried before the packaged ones. The packaged catalogue alone
        is built once per process and shared (a Catalogue is never changed after load)."""
        if not extra and path is None and _PACKAGED:
            return _PACKAGED[0]
        entries = _file_entries(Path(path or CATALOGUE_FILE))
        extra_entries = [_entry(r, f"extra catalogue entry {i + 1}") for i, r in enumerate(extra or [])]
        catalogue = cls(extra_entries + entries)
        if not extra and path is None and cls is Catalogue:
            _PACKAGED[:] = [catalogue]
        return catalogue

    # -- matching ----------------------------------------------------------------
    def classify(self, line: str, *, position: str = "any", classes: tuple | None = None):
        """(class, hit, entry) of the first entry matching the whole line, or None.
        `hit.get(name)` reads a named group of that entry. `position` is "head", "tail"
        or "any": entries limited to the head/tail of the article only match there.
        `classes` (a tuple) limits the classes tried."""
        n = len(line)
        if n > _LONGEST:
            return None
        for rx, index in self._runs_for(position, classes):
            m = rx.fullmatch(line)
            if m is None:
                continue
            if index is None:
                index = int(m.lastgroup[1:])
                prefix = f"e{index}_"
            else:
                prefix = ""
            c, e, _ = self._order[index]
            if n > MAX_LINE[c]:
                # a class tried only on shorter lines matched: look again entry by entry
                return self._classify_slowly(line, position, classes)
            return c, Hit(m, prefix), e
        return None

    def _classify_slowly(self, line: str, position: str, classes):
        n = len(line)
        for i, (c, e, _) in enumerate(self._order):
            if n > MAX_LINE[c] or (classes is not None and c not in classes):
                continue
            if e.where != "any" and e.where != position:
                continue
            m = self._single[i].fullmatch(line)
            if m:
                return c, Hit(m, ""), e
        return None

    def describe(self, entry: Entry) -> str:
        """How `newsbeam explain` names an entry: its number in the catalogue (config
        entries first), class and note or example."""
        n = self._number.get(id(entry), 0)
        return f"catalogue entry {n} ({entry.cls}: {entry.note or entry.example})"

    def entry_matches(self, index: int, line: str) -> bool:
        return self._single[index].fullmatch(line) is not None

    def dateline(self, paragraph: str):
        """(place, prefix, rest) when the paragraph starts with a dateline, else None.
        An entry whose `place` group matches empty (an agency tag alone: "(CNN) —")
        gives place None: the prefix is still removed and recorded."""
        window = paragraph[:DATELINE_WINDOW]
        for rx, check in self._datelines:
            m = rx.match(window)
            if m and m.end() < len(paragraph):
                rest = paragraph[m.end():].strip()
                place = (m.group("place") or "").strip()
                if check == "known" and not known_place(place):
                    continue
                prefix = paragraph[:m.end()].strip()
                if rest and (place or prefix):
                    return place or None, prefix, rest
        return None

    def dateline_alone(self, line: str, following: str):
        """(place, line) when `line` is a whole dateline written on its own line above
        `following` ("SAPPORO--", "Cape Town —"), else None."""
        line = line.strip()
        if not line or len(line) > 80:
            return None
        found = self.dateline(f"{line} {following.strip()}")
        return (found[0], line) if found and found[1] == line else None

    def split_credit(self, caption: str):
        """(text, credit) of a caption whose credit is written into it, else None."""
        hit = self.classify(caption, classes=("caption_credit",))
        if hit is None:
            return None
        return (hit[1].get("text") or "").strip(), clean_credit(hit[1].get("credit")) or None


class Hit:
    """The named groups of the entry that matched (inside a combined alternation the
    entry's groups carry a prefix)."""
    __slots__ = ("_m", "_prefix")

    def __init__(self, m, prefix: str):
        self._m, self._prefix = m, prefix

    def get(self, name: str):
        try:
            return self._m.group(self._prefix + name)
        except IndexError:                          # the entry has no such group
            return None


_LONGEST = max(MAX_LINE.values())
_START_FLAGS = re.compile(r"^\(\?([aiLmsux]+)\)")
_GROUP_NAME = re.compile(r"\(\?P<([A-Za-z_]\w*)>")
_GROUP_REF = re.compile(r"\(\?P=([A-Za-z_]\w*)\)")
_NUMBERED_REF = re.compile(r"\\[1-9]|\(\?\(\d")


def _combinable(pattern: str) -> bool:
    p = expand(pattern)
    m = _START_FLAGS.match(p)
    if m and set(m.group(1)) - set("imsx"):
        return False
    rest = p[m.end():] if m else p
    return not _NUMBERED_REF.search(p) and not _START_FLAGS.search(rest) and "(?(" not in p


def _scoped(pattern: str, i: int) -> str:
    """Entry i's pattern as one alternative of a combined regex: its leading flags
    scoped, its group names prefixed, the whole wrapped in group e<i>."""
    p = expand(pattern)
    m = _START_FLAGS.match(p)
    flags = ""
    if m:
        flags, p = m.group(1), p[m.end():]
    p = _GROUP_NAME.sub(lambda g: f"(?P<e{i}_{g.group(1)}>", p)
    p = _GROUP_REF.sub(lambda g: f"(?P=e{i}_{g.group(1)})", p)
    return f"(?P<e{i}>(?{flags}:{p}))" if flags else f"(?P<e{i}>(?:{p}))"


# ---------------------------------------------------------------------------------
# helpers

def norm(s: str) -> str:
    """Loose form for comparing lines: NFKC, quotes/dashes unified, whitespace collapsed,
    case-folded, trailing punctuation dropped."""
    s = unicodedata.normalize("NFKC", s).translate(_NORM_TABLE)
    return _WS.sub(" ", s).strip().strip(" .:;,!?…").casefold()


def _str(x: Any) -> str:
    return x if isinstance(x, str) else ("" if x is None else str(x))


_NAME_TITLE = re.compile(r"(?:(?:Dr|Prof|Professor|Mr|Mrs|Ms|Mx|Rev|Sr|Fr)\.?\s+)+(?=[A-Z])")


def _clean_name(name: str) -> str:
    name = _WS.sub(" ", name).strip(" ,;:.-–—|")
    name = _NAME_TITLE.sub("", name, count=1)           # "Dr. Amara Roe" -> "Amara Roe"
    if name.upper() == name and any(ch.isalpha() for ch in name):
        name = name.title()                      # "JANE O'DOE" -> "Jane O'Doe"
    return name


# last words of a byline part that make it a desk or a job, not a person ("Kumasi Bureau")
_NOT_PERSON_END = frozenset("""desk bureau team newsroom staff unit service services reporter reporters
    writer writers editor editors correspondent correspondents chief officer manager director coordinator
    adviser advisor spokesperson spokesman spokeswoman organiser organizer journalist columnist
    contributor producer photographer administrator admin webmaster moderator presenter newsreader host
    anchor announcer clerk secretary principal intern""".split())


PLACE_AFTER = re.compile(r"\s+(?:in|at)\s+\S.*$")


# words that make a byline part an organisation ("City of Tucson", "Media Relations Office")
_ORG_PART_WORDS = frozenset("""board office department council ministry agency authority commission
    government committee association editorial newsroom desk bureau staff team city county
    municipality kommune kommun kunta gemeinde commune comune municipio municipalidad communications
    kommunikation kommunikationsenheten presse comunicación comunicação relations centre center hub""".split())


def names_a_person(part: str) -> bool:
    """A part of a byline's names that is a person, not a desk, a job title or an
    organisation (a press release's "City of Tucson")."""
    words = re.sub(r"\([^()]*\)", " ", part).split()       # "Programmes Officer (Bangladesh)"
    if not words or words[0].casefold() == "the":
        return False
    low = [w.casefold().strip(".,") for w in words]
    if low[0] in _COMPASS and len(low) > 1 and known_place(words[1]):
        return False                # "Southern Thailand" (Correspondent): a beat, not a name
    return low[-1] not in _NOT_PERSON_END and not any(w in _ORG_PART_WORDS for w in low)


_COMPASS = frozenset("north south east west northern southern eastern western central upper lower greater".split())


def authors_from_byline(names: str) -> list[str]:
    """The people of a byline's names. With no "and" in it, what follows a job title is
    the job's region or outlet ("Jane Doe, Regional Organiser, South West")."""
    out = []
    several = re.search(r"\s(?:and|&|et|y|e|und|en|och|og|dan|na|i|és)\s", names or "") is not None
    parts = _NAME_SPLIT.split(names or "")
    for part in parts:
        part = _clean_name(PLACE_AFTER.sub("", part))      # "Jane Doe in Nairobi"
        if out and not several and part and part.split()[-1].casefold() in _NOT_PERSON_END:
            break
        if out and not several and part and (not bare_name(part) or any(known_place(w) for w in part.split())
                                             or part.split()[0].casefold() in _COMPASS):
            continue                # "Jane Doe, Media", "Jane Doe, Vientiane Capital": a desk, a place
        if " " not in part and part.casefold() in _NOT_NAME_WORDS:
            continue                # "Jane Doe, Media & Communications Manager": no "Media"
        if len(parts) > 1 and " " not in part:
            continue                # "Transport and Environment Correspondent": no "Transport"
        if part and names_a_person(part) and part not in out:
            out.append(part)
    return out


# a byline opened by its marker, maybe after the same marker in other languages ("Por / By",
# "מאת / By:", "Text:", "Door / By:"): what follows is parsed by byline_people
_PEOPLE_MARK = re.compile(
    rf"^(?:[^\W\d_][^\W\d_.]{{0,11}}\s*/\s*){{0,2}}(?:{_BY}|(?i:authors?|text|texte|tekst|texto|words|reporter|"
    rf"story|por|par|von|door|av|af|od))\s*:?\s+(?P<rest>\S.*)$")
_PEOPLE_SPLIT = re.compile(r"\s*(?:[,;|·•]|\s/\s|\s(?:and|und|y|e|et|en|och|og|ve|و)\s|&)\s*")
_EMAIL = re.compile(r"\S+@\S+\.\w{2,}")
_AND_FIRST = re.compile(r"^(?:and|und|y|e|et|en|och|og|ve)\s+")


def byline_people(line: str) -> list[str]:
    """The people a marked byline names, whatever their roles say between them ("Por / By
    Jane Doe, editora / editor, and John Roe, member contributor", "מאת / By: <Hebrew> /
    Jane Doe, Spokesperson's Office"): every part that is a person's name, in order;
    with no "and" in the line only the first (what follows is a role, a place, an outlet)."""
    m = _PEOPLE_MARK.match(line.strip())
    if not m:
        return []
    rest = re.sub(r"\([^()]*\)", " ", _EMAIL.sub(" ", m.group("rest")))
    several = re.search(r"\s(?:and|und|y|e|et|en|och|og|ve)\s|&", rest) is not None
    out: list[str] = []
    for part in _PEOPLE_SPLIT.split(rest):
        part = _clean_name(PLACE_AFTER.sub("", _AND_FIRST.sub("", part)))
        if any(ch.isdigit() for ch in part) or ":" in part:
            break                   # a date, a "Photos:" credit: the names are over
        if len(part.split()) >= 2 and bare_name(part) and names_a_person(part) and part not in out:
            out.append(part)
            if not several:
                break
    return out


_SENTENCE_END = re.compile(r"[.!?…:;,][\"'’”)\]]*$")


def link_like(line: str) -> bool:
    """A short line that is not a sentence: a headline or topic in a link list. Its list
    mark does not count ("→ ...", "2. ..."), a numbered or marked item may end in a
    question mark (a headline that asks), and each half of a bilingual "X / Y" is judged alone."""
    from transforms.furniture import strip_list_mark
    item = strip_list_mark(line).strip()
    if item != line.strip() and item.endswith("?"):
        item = item[:-1]
    halves = item.split(" / ") if item.count(" / ") == 1 else [item]
    return all(len(h) <= 160 and len(h.split()) <= 16 and not _SENTENCE_END.search(h) for h in halves)


_LOW = "a-zß-öø-ÿ\u0100-\u017f\u0219\u021b"          # Latin-1 and Extended-A ("Karaağaç", "Vuković")
# unambiguous (each repeat starts with a separator or a capital): no backtracking blow-up
_BARE_WORD = rf"[{_UP}](?:\.|[{_LOW}]*+(?:['’\-][{_UP}]?[{_LOW}]++|[{_UP}][{_LOW}]++)*+)"
_BARE_NAME = re.compile(rf"{_BARE_WORD}(?:\s+(?:{_PARTICLE}\s+){{0,2}}{_BARE_WORD}){{1,3}}"
                        rf"|[{_UP}]\.[{_UP}][{_LOW}]{{3,}}")     # "B.Enkhjargal": initial and name, no space
# Words that make a short title-cased line a label, a place or an organisation, not a
# person's name ("Top Stories", "Sponsor Message", "Granite County Sheriff's Office").
_NOT_NAME_WORDS = frozenset("""
    a an the and or of for in on at to by with from our your my this that these new all more most
    top read recent stories story news related latest video videos watch listen share sponsor
    message live updates update breaking home sign subscribe menu search local world sport sports
    business politics opinion editor editors reporter writer correspondent photo photos image
    images gallery click here view see show comments print email copy link next previous back
    full screen ad ads feedback advertisement recommended trending popular weather traffic health
    science tech technology money travel culture entertainment music film books arts food style
    lifestyle today yesterday tonight week day morning evening night edition police fire county
    city council state province region district prefecture municipality school university college hospital street road avenue
    kommune kommun kunta gemeinde commune comune municipio municipalidad gmina obec općina opština
    office department sheriff court united athletic club team center centre museum
    library government ministry agency association society institute foundation
    company group news network media press times post daily weekly radio tv channel service
    services transcript playlist minute minutes listen heard audio podcast newsletter contact
    about us terms privacy policy cookies help support advertising careers jobs games puzzles
    crossword obituaries classifieds events report reports line-ups lineups stats summary
    monday tuesday wednesday thursday friday saturday sunday highlights key points
    social sharing shares facebook twitter whatsapp linkedin reddit premium exclusive sponsored
    """.split())


def bare_name(line: str) -> bool:
    """A line that is only a person's name (two to four capitalised words, no label or
    organisation words): a byline without "By" when it sits among header lines."""
    if len(line) > 60 or "  " in line or not _BARE_NAME.fullmatch(line):
        return False                            # "Results   Crews   Course": a spaced nav row
    words = [w.strip(".").casefold() for w in line.split()]
    return not any(w in _NOT_NAME_WORDS for w in words)


def caps_name(line: str) -> bool:
    """A name in capitals ("ECE KARAAĞAÇ"): taken as a bare name only right under the
    headline, where a masthead in capitals never sits."""
    return line.isupper() and bare_name(line.title())


# words that mark a short capitalised line as an organisation or a credit
_ORG_WORDS = frozenset("""
    office department police sheriff service services agency council county city state
    university college school hospital museum archive archives collection library foundation
    institute society association company corporation corp inc ltd llc group club team family
    handout courtesy photo photos images pictures picture press news media studio studios
    ministry government authority commission board trust centre center network
    """.split())
_CREDIT_WORD = re.compile(rf"[{_UP}0-9][\w.&'’\-/]*|of|the|and|for|via|de|du|la|le|del|von|van|&|/")


def credit_like(line: str) -> bool:
    """A short line of capitalised words, no sentence ("Granite County Sheriff's Office",
    "Jane Doe/The Times"): the credit of the caption line just above it."""
    if len(line) > 90 or _SENTENCE_END.search(line.rstrip(".")) or line.endswith(("!", "?")):
        return False
    if _OUTLET_CREDIT.fullmatch(line):
        return True                             # "Lane Xang Herald file": the outlet's own picture
    words = line.replace(",", " ").split()
    if not (1 <= len(words) <= 9 and words[0][:1].isupper()
            and all(_CREDIT_WORD.fullmatch(w) for w in words)):
        return False
    # a person, an organisation or an agency, not a subheading ("What Happens Next")
    return "/" in line or bare_name(line) or \
        any(w.strip(".,'’").casefold().removesuffix("'s").removesuffix("’s") in _ORG_WORDS for w in words)


def caption_like(line: str) -> bool:
    """A caption-sized line that reads as a sentence (several words, lower-case ones too)."""
    words = line.split()
    return 4 <= len(words) <= 80 and len(line) <= 600 and line[:1].isupper() and \
        sum(1 for w in words if w[:1].islower()) >= 2


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

@dataclass
class _Figures:
    """Captions and credits read from the page, and the line keys that repeat them."""
    captions: list
    credits: list
    lines: set
    caption_keys: set
    longest: int


def _page_lines(text: str) -> tuple[list[str], list[int]]:
    """The non-empty lines, and the block of each (a run of lines with no blank line between)."""
    lines: list[str] = []
    blocks: list[int] = []
    block = 0
    for ln in _LINE_SPLIT.split(text):
        ln = ln.strip()
        if ln:
            lines.append(ln)
            blocks.append(block)
        else:
            block += 1
    return lines, blocks


_DASHED_CREDIT = re.compile(r"(?P<text>.+?[.!?])\s*[—–]\s*(?P<credit>[^\W\d_][^.!?]{1,60})")


def _page_figures(figures: Any, catalogue: Catalogue) -> _Figures:
    """Captions pulled from the page (HTML): credit split out of the text when written in."""
    figs = _figures(figures)
    out = _Figures([], [], set(), set(), 0)
    for f in figs:
        if f["text"] and not f["credit"] and _MARKED_CREDIT.match(f["text"]) and len(f["text"].split()) <= 10:
            f["text"], f["credit"] = "", clean_credit(f["text"])        # "PHOTO: MINISTRY OF X": a credit alone
        if f["text"] and not f["credit"]:
            m = _DASHED_CREDIT.fullmatch(f["text"])
            if m and (credit_like(m.group("credit")) or re.fullmatch(r"[A-Z]{2,6}", m.group("credit"))):  # "… — ONA"
                f["text"], f["credit"] = m.group("text"), clean_credit(m.group("credit"))
        if f["text"] and not f["credit"]:
            split = catalogue.split_credit(f["text"])
            if split:
                from transforms.extract import _clean_credit    # "Photo: Jane Doe" -> "Jane Doe"
                f["text"], f["credit"] = split[0], (_clean_credit(split[1]) if split[1] else None) or split[1]
        if f["text"] and norm(f["text"]) not in out.caption_keys:
            out.captions.append(f)
            out.caption_keys.add(norm(f["text"]))
            out.lines.add(norm(f["text"]))
            if f["credit"]:
                out.lines.add(norm(f["text"] + " " + f["credit"]))
                out.lines.add(norm(f"{f['text']} ({f['credit']})"))
        elif f["credit"] and f["credit"] not in out.credits:
            out.credits.append(f["credit"])
        if f["credit"]:
            out.lines.add(norm(f["credit"]))
    out.lines.discard("")
    out.longest = max([0] + [len(f["text"]) + len(f["credit"] or "") for f in figs])
    return out


def _kicker(line: str) -> bool:
    """A line with no sentence end ("Cities", "WATER CRISIS", a standfirst without its
    full stop): before the first sentence it is a section, a kicker or a summary over
    the byline, not the start of the story."""
    return len(line.split()) <= 30 and not line.rstrip().endswith((".", "!", "?", '"', "”", ":", "…"))


def _classify_catalogue(lines, blocks, catalogue: Catalogue, headline_keys: dict, figs: _Figures,
                        compare_len: int, link_keys: set | None = None, listed: list | None = None):
    """Pass 1: each line is body, headline, figure (already a caption), a catalogue class,
    a caption/credit pair, or a bare name to decide later ("name?")."""
    n = len(lines)
    block_size: dict[int, int] = {}
    for b in blocks:
        block_size[b] = block_size.get(b, 0) + 1
    kinds: list[str] = ["body"] * n
    matches: list[Any] = [None] * n
    why: list[str] = [""] * n
    seen_body = False
    body_seen = 0
    standfirst_above = False
    in_links = False
    section = None                  # block of a `then: block` heading (its lines go with it)
    box = False                     # ... of a `then: box` label: furniture in the middle of the story too
    signing = 0                     # lines left of a `then: signature` label's name and role
    listed = list(listed or [])     # items of a link list under a label (a bulletin's contents)
    skip = False
    for i, line in enumerate(lines):
        if skip:
            skip = False
            continue
        if signing and _signature_line(line):
            signing -= 1
            kinds[i], why[i] = "boilerplate", "name or role under a signature label"
            continue
        signing = 0
        if section is not None and blocks[i] == section and block_size[section] <= MAX_SECTION + 1:
            kinds[i], why[i] = "boilerplate", _BOX_WHY if box else _SECTION_WHY
            continue
        section = None
        if seen_body and listed and _listed_item(line, listed):
            kinds[i], why[i], section = "boilerplate", "another item of the bulletin (in its contents above)", blocks[i]
            continue
        if (headline_keys or figs.lines) and len(line) <= compare_len:
            key = norm(line)
            if key in headline_keys:
                kinds[i], why[i] = "headline", headline_keys[key]
                continue
            if key in figs.lines or _MARKED_CREDIT.match(line) and norm(clean_credit(line)) in figs.lines:
                kinds[i], why[i] = "figure", "a caption of the page"     # or its credit with its label
                continue
        hit = _catalogue_hit(line, catalogue, "head" if not seen_body else "any")
        if hit is None and body_seen == 1 and standfirst_above:
            # a byline under one short sentence (a standfirst): a head byline still
            hit = catalogue.classify(line, position="head", classes=("byline",))
        if hit is None:
            if in_links and link_like(line) and (link_keys is None or norm(line) in link_keys
                                                 or not _story_below(lines, i)):
                kinds[i], why[i] = "boilerplate", "link list under a catalogue label"
                listed.append(_item_key(line))
                continue                    # (in a page: a link, or no subheading over the story)
            in_links = False
            credit = _pair_credit(i, lines, blocks, block_size, catalogue) or \
                _pair_credit_apart(i, lines, blocks, block_size, catalogue)
            if credit:
                kinds[i], matches[i], why[i] = "pair_caption", credit, "caption with a credit line below"
                kinds[i + 1], why[i + 1] = "pair_credit", "credit of the caption above"
                skip = True
                continue
            # a bare name among the header lines: decided below, by the line after it
            if body_seen <= 1 and (bare_name(line) or i == 0 and caps_name(line)):
                kinds[i] = "name?"
                continue
            if not seen_body and _kicker(line):
                continue                    # a label or a standfirst over the byline: still the head
            standfirst_above = not seen_body and len(line.split()) <= MAX_STANDFIRST_WORDS
            seen_body = True
            body_seen += 1
            continue
        kinds[i], matches[i], why[i] = hit[0], hit[1], catalogue.describe(hit[2])
        if hit[2].then == "links":
            in_links = True
        elif hit[2].then in ("block", "box"):
            section = blocks[i]
            box = hit[2].then == "box"
        elif hit[2].then == "signature":
            signing = SIGNATURE_LINES
        elif hit[2].then == "between" and seen_body and _subheading_between(lines, i):
            kinds[i], why[i] = "body", ""       # "Markets" between two paragraphs: a subheading
    return kinds, matches, why


SIGNATURE_LINES = 3         # a signatory's name, role and body under "Signed:"
MIN_ITEM_WORDS = 2          # an item heading that names a listed item ("3. AGM MINUTES")


def _item_key(line: str) -> list[str]:
    return norm(strip_list_mark(line)).split()


def _listed_item(line: str, listed: list[list[str]]) -> bool:
    """A heading of another item of a bulletin: the line (its number aside) says the
    first words of an item of the contents listed above ("3. AGM MINUTES" under "3. AGM
    minutes now available ..."), or the item says the line's first words."""
    key = _item_key(line)
    if len(key) < MIN_ITEM_WORDS or len(key) > 16:
        return False
    return any(len(item) >= MIN_ITEM_WORDS and (key[:len(item)] == item or item[:len(key)] == key)
               for item in listed)


def _signature_line(line: str) -> bool:
    """A name, a role or an organisation under a signature label: short, no sentence."""
    return len(line.split()) <= 8 and not _STORY_END.search(line)


MIN_AROUND_WORDS = 12
_STORY_END = re.compile(r"[.!?…][\"'’”)]*$")


def _story_line(lines, k: int, min_words: int = MIN_AROUND_WORDS) -> bool:
    """Line k is a paragraph of the story: a sentence of at least `min_words` words."""
    return 0 <= k < len(lines) and len(lines[k].split()) >= min_words \
        and _STORY_END.search(lines[k].rstrip()) is not None


def _subheading_between(lines, i: int) -> bool:
    """Line i sits between two paragraphs of the story: a subheading that happens to be a
    section word ("Markets", "Results")."""
    return _story_line(lines, i - 1) and _story_line(lines, i + 1)


def _story_below(lines, i: int) -> bool:
    """A paragraph of the story is under line i: line i, short and no link of the page,
    is its subheading."""
    return _story_line(lines, i + 1, min_words=15)


def _catalogue_hit(line: str, catalogue: Catalogue, position: str):
    """The catalogue's class of a line, or of one half of a bilingual one ("HABARI ZAIDI /
    MORE NEWS" is a label, not a credit); page talk in which someone speaks is the story's."""
    hit = catalogue.classify(line, position=position)
    if hit is None or hit[0] == "credit":
        hit = _bilingual_hit(line, catalogue, position) or hit
    if hit is not None and hit[0] == "boilerplate" and reported_speech(line):
        return None
    return hit


def _pair_credit(i: int, lines, blocks, block_size: dict, catalogue: Catalogue) -> str | None:
    """The credit on the line below when line i is a caption with its credit under it:
    the two alone in a block, or in a larger block when the line below is a credit by
    the catalogue. In the flow of paragraphs a sentence in which someone speaks is the
    story's, and a credit line under it stands alone."""
    if i + 1 >= len(lines) or blocks[i + 1] != blocks[i]:
        return None
    line, size = lines[i], block_size[blocks[i]]
    if size > 2 and len(line.split()) > MAX_CAPTION_ALONE_WORDS:
        return None                 # in the flow of paragraphs: a story line, not a caption
    if not (caption_like(line) and not (size > 2 and reported_speech(line))
            or size == 2 and len(line.split()) >= 3 and _marked_credit(lines[i + 1], catalogue)):
        return None
    return _credit_below(lines[i + 1], catalogue, strict=size != 2)


MAX_CAPTION_ALONE_WORDS = 20


def _pair_credit_apart(i: int, lines, blocks, block_size: dict, catalogue: Catalogue) -> str | None:
    """The same with a blank line between them: a short caption-shaped line alone in its
    block, then a line alone in the next that says it is a credit ("Photo: Outlet
    file"). A story paragraph is seldom that short, and a marked credit under it names
    the picture the line describes."""
    if i + 1 >= len(lines) or blocks[i + 1] == blocks[i] or block_size[blocks[i]] != 1 \
            or block_size[blocks[i + 1]] != 1 or not _MARKED_CREDIT.match(lines[i + 1]):
        return None
    line = lines[i]
    if not caption_like(line) or len(line.split()) > MAX_CAPTION_ALONE_WORDS or reported_speech(line) \
            or line.rstrip().endswith(":"):
        return None
    return _credit_below(lines[i + 1], catalogue)


_SECTION_WHY = "in a page section under a catalogue heading"
_BOX_WHY = "in a box under a catalogue label"


def _bilingual_hit(line: str, catalogue: Catalogue, position: str):
    """A bilingual line "Recevez nos manchettes. / Get our headlines every morning.": one
    half the catalogue calls boilerplate makes the line boilerplate."""
    if line.count(" / ") not in (1, 2):
        return None
    for half in line.split(" / "):          # two languages, or three ("Siirry … / Hoppa … / Skip …")
        hit = catalogue.classify(half.strip(), position=position, classes=("boilerplate", "gallery_ui"))
        if hit is not None and hit[0] in ("boilerplate", "gallery_ui"):
            return hit
    return None


def _tail_sections_only(lines, kinds, why) -> None:
    """A heading's section is furniture only at the article's tail: when a sentence of
    the story (unclaimed, 12 words or more, ending a sentence) comes after it, the
    heading was a subheading of the story and its lines go back to the body."""
    runs: list[list[int]] = []
    for i, w in enumerate(why):
        if w == _SECTION_WHY:
            if runs and runs[-1][-1] == i - 1:
                runs[-1].append(i)
            else:
                runs.append([i])
    for taken in runs:
        if any(kinds[j] == "body" and len(lines[j].split()) >= 12 and lines[j].rstrip()[-1:] in ".!?\"”’"
               for j in range(taken[-1] + 1, len(lines))):
            for j in [taken[0] - 1] + taken:          # the heading too: a subheading
                kinds[j], why[j] = "body", ""


_STAMP = re.compile(r"[^\W\d_]{3,12}\.?\s+\d{1,2},?\s+\d{4}|\d{1,2}\s+[^\W\d_]{3,12}\.?,?\s+\d{4}")


def _stamp_like(line: str) -> bool:
    """A word, a day and a year and nothing else ("Magh 5, 2082"): a date stamp, whatever
    the calendar its month word belongs to."""
    return len(line) <= 30 and _STAMP.fullmatch(line.strip()) is not None


_DATED_LABEL = re.compile(r"(?i)(?:[^\W\d_]+\s*/\s*)?(?:published|posted|updated|date)\b\s*:?\s*"
                          r"(?:\d{1,2}[./]\d{1,2}[./](?:19|20)\d\d|[^\W\d_]{3,12}\.?\s+\d{1,2},?\s+\d{4}|"
                          r"\d{1,2}\s+[^\W\d_]{3,12}\.?,?\s+\d{4})\b.{0,40}")


def _dated_label(line: str) -> bool:
    """A publication stamp with its label, in one language or two ("Julkaistu / Published 3.12.2026 09:41")."""
    return len(line) <= 90 and _DATED_LABEL.fullmatch(line.strip()) is not None


PLACE_LINE_WHY = "a dateline on a line of its own under a bare-name byline"


def _place_alone(line: str) -> bool:
    """A known place in capitals on a line of its own ("KOCHI"): a dateline under a byline."""
    line = line.strip()
    return line.isupper() and len(line.split()) <= 3 and known_place(line)


def _counter_line(line: str) -> bool:
    """A view or comment counter ("👁 1 284", "1,284 views")."""
    from transforms.furniture import counter, shape
    return counter(shape(line), line)


def _resolve_names(kinds: list[str], why: list[str], lines: list[str] | None = None) -> None:
    """A bare name is a byline when the line after it is not body (a role line, a date,
    page furniture) and, once a paragraph (a standfirst) has passed, the line before it
    is not body either, unless a job title is under it and at most two paragraphs are
    above it. A job title under it ("Rural affairs writer") is not body."""
    from transforms.furniture import role_line
    n = len(kinds)
    for i in range(n):
        if kinds[i] != "name?":
            continue
        nxt = kinds[i + 1] if i + 1 < n else "body"
        signed = lines is not None and i + 1 < n and role_line(lines[i + 1])    # a job title under it
        if nxt == "body" and signed:
            kinds[i + 1], why[i + 1] = "boilerplate", "a job title under a bare name"
            nxt = "boilerplate"
        elif nxt == "body" and lines is not None and i + 1 < n and _stamp_like(lines[i + 1]):
            kinds[i + 1], why[i + 1] = "boilerplate", "a date stamp under a bare name"
            nxt = "boilerplate"
        elif nxt == "body" and lines is not None and i + 1 < n and _dated_label(lines[i + 1]):
            nxt = "stamp"           # "Julkaistu / Published 3.12.2026 09:41" under the name
        elif nxt == "body" and lines is not None and i + 1 < n and _counter_line(lines[i + 1]):
            kinds[i + 1], why[i + 1] = "boilerplate", "a counter under a bare name (views, comments)"
            nxt = "boilerplate"
        elif nxt == "body" and lines is not None and i + 1 < n and _place_alone(lines[i + 1]):
            kinds[i + 1], why[i + 1] = "boilerplate", PLACE_LINE_WHY     # "KOCHI" under the name
            nxt = "boilerplate"
        prev = kinds[i - 1] if i > 0 else "headline"
        before = sum(k == "body" for k in kinds[:i])
        if nxt not in ("body", "name?") and (not before or prev != "body" or signed and before <= 2):
            kinds[i], why[i] = "name_byline", "a bare name among the header lines"
        else:
            kinds[i] = "body"


MIN_STANDFIRST_WORDS = 8       # a standfirst with no full stop, over the byline
MAX_STANDFIRST_WORDS = 30      # ... one short sentence right above the byline


MIN_HEADER_BLOCK = 2            # lines of a header with no byline: a role, a stamp, a label


def _header_block(lines, kinds) -> int | None:
    """Where a header block with no byline starts ("Our Correspondent" / "Published" /
    "19 August 2026"): furniture lines right under one or two lines without a full stop."""
    j = next((i for i, k in enumerate(kinds) if k != "body"), None)
    if j is None or not 1 <= j <= 2 or not all(_kicker(lines[i]) for i in range(j)):
        return None
    run = 0
    while j + run < len(kinds) and kinds[j + run] == "boilerplate":
        run += 1
    return j if run >= MIN_HEADER_BLOCK else None


def _standfirsts(lines, kinds, why) -> None:
    """A summary line over the byline ("Late freeze-up keeps bears on land longer,
    officers say"): the page's standfirst, not the story's first paragraph. Only above the
    first byline: lines with no full stop, or one short sentence right above the byline."""
    from transforms.furniture import _HEADER_KINDS
    first = next((i for i, k in enumerate(kinds) if k in _HEADER_KINDS), None)
    if first is None:
        first = _header_block(lines, kinds)
    if first is None:
        return
    above = [i for i in range(first) if kinds[i] == "body"]
    sentences = [i for i in above if not _kicker(lines[i])]
    if len(sentences) > 1 or sentences and (sentences[0] != first - 1
                                            or len(lines[sentences[0]].split()) > MAX_STANDFIRST_WORDS):
        return                      # the story may have begun above the byline
    for i in above:
        if i in sentences or len(lines[i].split()) >= MIN_STANDFIRST_WORDS:
            kinds[i], why[i] = "boilerplate", "a standfirst over the byline"


def _classify_tail(lines, kinds, matches, why, catalogue: Catalogue) -> None:
    """Pass 2: entries limited to the tail, walking back over the trailing non-body run."""
    for i in range(len(lines) - 1, -1, -1):
        if kinds[i] != "body":
            continue
        hit = catalogue.classify(lines[i], position="tail")
        if hit is None:
            break
        kinds[i], matches[i], why[i] = hit[0], hit[1], catalogue.describe(hit[2])


def _classify_general(lines, blocks, kinds, why, scores, repeats, min_repeats, scrape, links,
                      threshold=1.0, line_model=None, line_model_threshold=None) -> None:
    """Pass 3: lines no entry claimed, judged by the publisher-independent classifier."""
    from transforms.furniture import classify_lines
    decided = classify_lines(lines, kinds, blocks, repeats=repeats, min_repeats=min_repeats, key=norm,
                             scrape=scrape, links={norm(x) for x in links or ()}, threshold=threshold,
                             line_model=line_model, line_model_threshold=line_model_threshold)
    for i, d in enumerate(decided):
        if d is not None and kinds[i] == "body":
            kinds[i], why[i], scores[i] = "boilerplate", f"classifier: {d[0]}", d[1]


_BULLET = re.compile(r"^[*•▪◦‣●·]\s+")


def _assemble(lines, kinds, matches, figs: _Figures) -> dict:
    """Pass 4: body paragraphs, captions, credits, boilerplate and byline authors."""
    body: list[str] = []
    captions, credits, caption_keys = figs.captions, figs.credits, figs.caption_keys
    boilerplate: list[str] = []
    byline_authors: list[str] = []
    name_authors: list[str] = []                # bare-name lines: used when no "By" line
    pending_source: str | None = None
    for i, line in enumerate(lines):
        kind, m = kinds[i], matches[i]
        if pending_source is not None and kind != "caption":
            credits.append(pending_source)
            pending_source = None
        if kind == "body":
            body.append(_BULLET.sub("- ", line, count=1))     # a story's list: "- item", whatever its mark
        elif kind in ("headline", "gallery_ui", "boilerplate"):
            boilerplate.append(line)
        elif kind == "figure":
            pass                                    # already in captions from the page
        elif kind == "byline":
            boilerplate.append(line)
            named = authors_from_byline(m.get("names") or "")
            people = byline_people(line)
            if len(people) > len(named) and set(named) <= set(people):
                named = people      # "By Jane Doe, editor, and John Roe, contributor": both
            for a in named:
                if a not in byline_authors:
                    byline_authors.append(a)
        elif kind == "credit":
            credit = clean_credit(m.get("credit") or line) or line
            credits.append(credit.strip())
        elif kind == "caption_source":
            pending_source = (m.get("credit") or "").strip() or None
        elif kind == "caption":
            cap = {"text": (m.get("text") or "").strip(), "credit": pending_source}
            pending_source = None
            if norm(cap["text"]) not in caption_keys:
                caption_keys.add(norm(cap["text"]))
                captions.append(cap)
        elif kind == "name_byline":
            boilerplate.append(line)
            if _clean_name(line) not in name_authors:
                name_authors.append(_clean_name(line))
        elif kind == "pair_caption":
            if norm(line) not in caption_keys:
                caption_keys.add(norm(line))
                captions.append({"text": line, "credit": m})
        elif kind == "pair_credit":
            pass                                    # the credit of the caption above
        elif kind == "caption_credit":
            cap = {"text": (m.get("text") or "").strip(), "credit": clean_credit(m.get("credit")) or None}
            if norm(cap["text"]) not in caption_keys:
                caption_keys.add(norm(cap["text"]))
                captions.append(cap)
    if pending_source is not None:
        credits.append(pending_source)
    return {"body": body, "captions": captions, "credits": credits, "boilerplate": boilerplate,
            "byline_authors": byline_authors, "name_authors": name_authors}


_SIGNOFF = re.compile(r"\s*" + _DASH + r"{1,2}\s*(?P<name>[^\W\d_][\w.'’\- ]{2,60}?)\s*\.?\s*")


def _author_signoffs(lines, kinds, matches, why, authors_in) -> None:
    """A reporter's sign-off under a live-blog entry or a section ("– Jane Doe") is the
    byline's name again, not a list item of the story: only names the byline or the
    page's metadata gave are taken."""
    names = {norm(a) for a in authors_in}
    for i, kind in enumerate(kinds):
        if kind == "byline":
            names |= {norm(a) for a in authors_from_byline((matches[i] or {}).get("names") or "")}
    names.discard("")
    if not names:
        return
    for i, line in enumerate(lines):
        m = kinds[i] == "body" and _SIGNOFF.fullmatch(line)
        if m and norm(m.group("name")) in names:
            kinds[i], why[i] = "boilerplate", "sign-off: the byline's name under an entry"


def _keep_dateline_line(lines, kinds, why, catalogue: Catalogue):
    """A dateline on a line of its own ("OSAKA--") just above the first story line is
    short and has no verb, so the classifier calls it a label; give it back to the body,
    where _split_dateline takes it as the story's dateline."""
    first = next((k for k, kind in enumerate(kinds) if kind == "body"), None)
    if first is None:
        return
    for i in range(first - 1, max(-1, first - 3), -1):
        if not lines[i].strip():
            continue
        if kinds[i] == "boilerplate" and (why[i] or "").startswith("classifier") \
                and catalogue.dateline_alone(lines[i], lines[first]):
            kinds[i] = "body"
        return


def _split_dateline(body: list[str], boilerplate: list[str], catalogue: Catalogue):
    """The dateline: a prefix of the first body paragraph (or of the second, after a
    standfirst that carries none), or a line of its own among the first four (a scrape
    that broke the line after "SAPPORO--"), or "CITY —" on the third or fourth under
    short lines (a caption and its credit); what leaked above it stays. Returns
    (place, prefix)."""
    for j in range(min(4, len(body))):
        found = catalogue.dateline(body[j])
        if found and j >= 2 and not (found[0] and found[0].isupper()
                                     and all(len(p) < 200 for p in body[:j])
                                     and not _SENTENCE_END.search(body[j - 1].rstrip())):
            found = None        # deeper down only "CITY —" under a caption's credit line
        alone = catalogue.dateline_alone(body[j], body[j + 1]) if not found and j + 1 < len(body) else None
        if alone:               # a scrape that put the dateline on a line of its own
            place, prefix = alone
            del body[j]
            boilerplate.append(prefix)
            return place, prefix
        if found:
            dateline, prefix, rest = found
            body[j] = rest
            boilerplate.append(prefix)
            return dateline, prefix
    return None, None


def split_anatomy(text: str, *, title: str | None = None, authors: list[str] | None = None,
                  figures: list[dict] | None = None, catalogue: Catalogue,
                  headlines: Iterable[str] = (), above: Iterable[str] = (), listed: Iterable[str] = (),
                  general: bool = True, repeats: dict[str, int] | None = None, min_repeats: int = 3,
                  scrape: bool = True, links: Iterable[str] = (), trace: list | None = None,
                  threshold: float = 1.0, line_model: Any = False, line_model_threshold: float | None = None) -> dict:
    """Split an extracted article (one paragraph per line) into its parts.

    Returns {"title", "authors", "dateline", "dateline_prefix", "body", "captions",
    "credits", "boilerplate"}; `body` is the kept paragraphs joined by a blank line.
    `headlines`: other forms of the headline (og:title, h1) whose repeat in the text is
    dropped too; `above`: lines printed above the headline (a text's masthead and labels),
    dropped when said again lower down; `listed`: items of a contents list above the
    headline (the other items of a bulletin, whose headings below are no story). `general`: also run the publisher-independent classifier
    (transforms/furniture.py) on lines no catalogue entry claims; `repeats` counts of
    normalised lines across other articles of the same source (lines seen in at least
    `min_repeats` are furniture). `scrape`: the text is a plain-text scrape, not an
    extractor's output (see furniture.classify_lines); `links`: paragraphs that are a
    link's whole text in the page. `trace`, when a list, receives one
    {line, kind, why, score} per input line (for `newsbeam explain`). `threshold`
    scales the evidence the classifier needs (furniture.classify_lines). `line_model`:
    True (the packaged transforms/line_model.json), a LineModel, or False/None (off, the default) gives
    a second opinion on the lines the classifier kept, removing those it calls furniture
    with probability >= `line_model_threshold` (None: line_model.DEFAULT_THRESHOLD).
    """
    text = _str(text)
    title = _str(title).strip() or None
    authors_in = [a for a in (authors or []) if isinstance(a, str) and a.strip()] \
        if isinstance(authors, (list, tuple)) else []
    lines, blocks = _page_lines(text)
    figs = _page_figures(figures, catalogue)
    heads = [h for h in [title, *headlines] if isinstance(h, str) and h.strip()]
    above_head = [a for a in above if isinstance(a, str) and a.strip()]
    # lines that say the headline again, or a line the page printed above it (its masthead)
    headline_keys = {norm(a): "repeats a line above the headline (masthead, label)" for a in above_head}
    headline_keys.update({norm(h): "repeats the headline" for h in heads})
    headline_keys.pop("", None)
    # lines much longer than the title or any figure caption cannot equal them: skip norm()
    compare_len = max([len(h) for h in heads + above_head] + [figs.longest]) * 2 + 40

    kinds, matches, why = _classify_catalogue(lines, blocks, catalogue, headline_keys, figs, compare_len,
                                              None if scrape else {norm(x) for x in links or ()},
                                              listed=[_item_key(x) for x in listed if isinstance(x, str)])
    _resolve_names(kinds, why, lines)
    _standfirsts(lines, kinds, why)
    _classify_tail(lines, kinds, matches, why, catalogue)
    _tail_sections_only(lines, kinds, why)
    scores: list[float | None] = [None] * len(lines)
    if line_model is True:
        from transforms.line_model import LineModel
        line_model = LineModel.load()
    elif not line_model:
        line_model = None
    if general:
        _classify_general(lines, blocks, kinds, why, scores, repeats, min_repeats, scrape, links, threshold,
                          line_model, line_model_threshold)
        _classify_tail(lines, kinds, matches, why, catalogue)   # the tail may now reach further up
    _keep_dateline_line(lines, kinds, why, catalogue)
    _author_signoffs(lines, kinds, matches, why, authors_in)
    parts = _assemble(lines, kinds, matches, figs)
    body, boilerplate = parts["body"], parts["boilerplate"]
    dateline, prefix = _split_dateline(body, boilerplate, catalogue)
    if dateline is None:            # "KOCHI" alone under the byline, above the stamps and the photo
        dateline = next((lines[i] for i in range(len(lines)) if why[i] == PLACE_LINE_WHY), None)
    if trace is not None:
        for i, line in enumerate(lines):
            trace.append({"line": line, "kind": _EXPLAIN_KIND.get(kinds[i], kinds[i]), "detail": kinds[i],
                          "why": why[i], "score": scores[i]})
        if prefix:
            trace.append({"line": prefix, "kind": "dateline", "detail": "dateline",
                          "why": f"dateline prefix of a paragraph (place: {dateline})", "score": None})
    return {
        "title": title,
        "authors": authors_in or parts["byline_authors"] or parts["name_authors"] or _signoff_authors(boilerplate),
        "dateline": dateline,
        "dateline_prefix": prefix,
        "body": "\n\n".join(body),
        "captions": parts["captions"],
        "credits": parts["credits"],
        "boilerplate": boilerplate,
    }


# a wire's sign-off at the end: "(Reporting by Jane Doe in Khujand; editing by John Roe)",
# "Author: Jane Doe, correspondent, Pula | Editor: John Roe"
_WIRE_SIGNOFF = re.compile(rf"[(\[]?\s*(?i:(?:additional\s+)?reporting\s+by|author\s*:|written\s+by)\s+(?P<names>{_NAMES})"
                      rf"(?:\s+in\s+[{_UP}][\w'’.\-]*(?:\s+[{_UP}][\w'’.\-]*){{0,2}})?\s*(?:[;,)\]]|$)")


def _signoff_authors(boilerplate: list[str]) -> list[str]:
    """The reporters of a wire's sign-off when no byline names anyone (not "Additional
    reporting by": those helped)."""
    for line in boilerplate:
        m = _WIRE_SIGNOFF.match(line.strip())
        if m and not line.strip().lstrip("([ ").lower().startswith("additional"):
            return authors_from_byline(m.group("names"))
    for line in boilerplate:        # "Text: Jane Doe und John Roe, Economic policy" at the foot
        people = byline_people(line)
        if people:
            return people
    return []


# what `newsbeam explain` calls each kind of line
_EXPLAIN_KIND = {"body": "body", "headline": "boilerplate", "gallery_ui": "boilerplate",
                 "boilerplate": "boilerplate", "figure": "caption", "byline": "byline",
                 "name_byline": "byline", "credit": "credit", "caption_source": "credit",
                 "caption": "caption", "pair_caption": "caption", "pair_credit": "credit",
                 "caption_credit": "caption"}


# a line that says it is a credit ("Photo by: ...", "(Credit: ...)", "Φωτ. / Photo: ..."): the line above it
# is its caption, whatever its shape (a caption can be a list of names)
_MARKED_CREDIT = re.compile(r"[(\[]?\s*(?:[^\W\d_]{2,12}\.?\s*/\s*)?(?i:photo(?:graph)?s?|images?|pictures?|credits?|video|maps?|mynd|kuva|bild|fotos?)\b"
                            r"(?:(?:\s+(?:by|credit))?\s*[:|]|\s+courtesy\b)")


_CREDIT_MARKER = re.compile(r"(?i)(?:[^\W\d_]{3,12}\.?\s*/\s*(?=photo|image|picture))?(?:(?:photo(?:graph)?s?|images?|pictures?|pics?|credits?|fotos?|fotó|bild|kuva|mynd|maps?)"
                            r"(?:(?:\s+(?:by|credits?))?\s*[:/|]|\s+by)|(?:(?:photo(?:graph)?s?|images?|pictures?)\s+)?"
                            r"courtesy(?:\s+of)?(?=\s)|(?-i:Credits?)(?=\s+[A-Z])|©|\(c\)(?=\s))\s*(?=\S)")


def _marked_credit(line: str, catalogue: Catalogue) -> bool:
    """A line that says it is a credit: a marker ("Photo by: ...") or a credit of the
    catalogue in brackets ("(Jane Doe/Harbour Radio)", "(PHOTO NOT FOR SALE) (Agency)")."""
    return bool(_MARKED_CREDIT.match(line)) or (
        line.startswith("(") and catalogue.classify(line, classes=("credit",)) is not None)


def clean_credit(credit) -> str:
    """A credit without the marker it was written with ("Photo: Jane Doe/Outlet",
    "Photo / Supplied" -> "Jane Doe/Outlet", "Supplied") or the role after it ("Jane
    Doe/Staff Photographer" -> "Jane Doe"); "AP Photo/Jane Doe" is a credit."""
    credit = (credit or "").strip()
    credit = _CREDIT_MARKER.sub("", credit, count=1) if _CREDIT_MARKER.match(credit) else credit
    return _CREDIT_ROLE.sub("", credit) or credit


_CREDIT_ROLE = re.compile(r"(?i)\s*/\s*(?:(?:(?:staff|chief|senior|contributing|freelance)\s+)?(?:photographer|photojournalist)|"
                          r"photo\s+editor|photo\s+desk|staff)\.?$")


# an outlet's own credit: "Harbour Herald", "The Harbour Herald file", "Harbour News photo"
_OUTLET_CREDIT = re.compile(rf"(?![^a-z]*$)(?:The\s+)?(?:[{_UP}][\w'’&.\-]*\s+){{0,4}}{_OUTLET}(?:\s+(?:file|photo|picture|staff))?")


def _credit_below(line: str, catalogue: Catalogue, strict: bool = False) -> str | None:
    """The credit a line gives the caption above it: a credit line ("Image: Jane
    Doe/DW" -> "Jane Doe/DW"), or (not `strict`) a short capitalised line no entry claims."""
    hit = catalogue.classify(line, classes=("credit",)) or catalogue.classify(line) or \
        _bilingual_hit(line, catalogue, "any")          # "BULLETIN / NEWSLETTER": a label, no credit
    if hit is None:
        return line if credit_like(line) and (not strict or "/" in line or _OUTLET_CREDIT.fullmatch(line)) else None
    if hit[0] == "credit":
        return clean_credit(hit[1].get("credit") or line) or line
    return None


MAX_LEAD_REPEAT_WORDS = 10


def split_draft(draft: dict, *, catalogue: Catalogue, trace: list | None = None, **options) -> dict:
    """split_anatomy on an extracted draft, as the pipeline's Anatomy step and `newsbeam
    explain` both run it. A text file's title is its first line (the reader cannot know
    better): its headline is looked for below the page furniture that line may be
    (transforms/titles.py). `draft` is not changed: its `text` still holds those lines
    for the publication date. `options` go to split_anatomy."""
    from transforms.titles import echo_headline, promote_headline
    from transforms.wrapped import unwrap
    title, text, lead = draft.get("title"), draft["text"], []
    if draft.get("source_kind") == "text":
        title, text, lead = promote_headline(title, unwrap(text), catalogue=catalogue, url=draft.get("url"))
        title, text, lead = echo_headline(title, text, lead, catalogue=catalogue)
    if trace is not None:
        trace += [{"line": line, "kind": "boilerplate", "detail": "above_headline",
                   "why": "above the headline (site name, section, date)", "score": None} for line in lead]
    # the masthead and labels above the headline, said again lower down, are no story either
    again = [x for x in lead if 2 <= len(x.split()) <= MAX_LEAD_REPEAT_WORDS]
    parts = split_anatomy(text, title=title, authors=draft.get("authors"), figures=draft.get("figures"),
                          catalogue=catalogue, headlines=draft.get("title_candidates") or (), above=again,
                          listed=[x for x in lead if shape(x).list_mark],
                          scrape=not draft.get("extraction"), links=draft.get("links") or (),
                          trace=trace, **options)
    parts["boilerplate"] = lead + parts["boilerplate"]
    if not parts["authors"] and not draft.get("authors"):
        # a byline above the headline ("Por / By Jane Doe" over it, the date between)
        parts["authors"] = next((people for people in map(byline_people, lead) if people), [])
    if lead and not draft.get("authors"):     # the site's name over the headline ("RIBERA WEEKLY") is
        mastheads = {norm(x) for x in lead}   # no author of "Ribera Weekly correspondent"
        parts["authors"] = [a for a in parts["authors"] if norm(a) not in mastheads]
    return parts


def split_text_scrape(scrape: str, *, catalogue: Catalogue, **options) -> dict:
    """A plain-text scrape as the reader sees it (its first non-empty line is the title)
    split as the pipeline splits it. `options` go to split_anatomy."""
    lines = _LINE_SPLIT.split(_str(scrape))
    for i, ln in enumerate(lines):
        if ln.strip():
            draft = {"source_kind": "text", "title": ln.strip(), "text": "\n".join(lines[i + 1:])}
            return split_draft(draft, catalogue=catalogue, **options)
    return split_anatomy("", catalogue=catalogue, **options)