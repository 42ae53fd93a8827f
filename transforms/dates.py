"""Publication date and date mentions: pure functions, no Beam.

Publication date
================
Candidates are (source, raw value) pairs gathered by the earlier steps:

    feed       the feed entry / JSONL record field (pipeline/feeds.py, sources.py)
    jsonld     datePublished of a NewsArticle/Article/BlogPosting in JSON-LD (incl. @graph)
    html_meta  article:published_time, og:published_time, itemprop=datePublished, pubdate,
               DC.date ... and, when none of those exists, htmldate's original date
               (extensive_search=False)                       -> published_candidates_from_html
    url        /2023/10/03/, /2023-10-03/, an unambiguous 20231003   -> date_from_url
    text       a "Published: ..." line, a dated dateline, a standalone date line, a full date
               in a photo caption, an "Updated ..." line              -> date_from_text

choose_published() takes the first valid value in the order
**feed > jsonld > html_meta > url > text** (within a source, the first valid value in
the order given).  A value that does not parse, or lies outside 1900-2100, is skipped.

- A value with an offset or zone ("2021-12-15T10:30:00-05:00", "10:32 AM EST") is
  converted to UTC: granularity "instant".
- A string with a time but no zone ("2021-12-15T10:30:00", "Published Oct. 3, 2023 at
  5:47 p.m.") keeps its written date at granularity "day": the instant is unknown, and
  reading it as UTC could move it to another day.  (A naive datetime *object* is taken
  as UTC, the convention of feedparser and the pipeline.)
- A value with only a date ("2021-12-15", "Dec. 15, 2021") is that date at 00:00 UTC with
  granularity "day": never shifted by a local zone.
- Relative strings ("2 hours ago") are not publication dates: today's date is never used.

Date mentions
=============
DateResolver finds date phrases in a body with the regex catalogue in
transforms/date_catalogue.yaml (data: months, weekdays, relative phrases, years,
decades, full dates; extendable) and resolves each against the publication date:

- a full date ("Dec. 15, 2021") is itself (day); "December 2021" a month; "2014" a year;
  "the 1990s" a decade, value its first year ("1990");
- a bare weekday ("said Wednesday") is the most recent such day on or before the
  publication date, unless its clause marks the future ("will", "plans to", "next",
  "is expected to", "takes effect", "through Sunday" ...), then the next one on or
  after it (AP style names the day even for the same day); "last/next/this Wednesday"
  are strictly before / strictly after / in the same ISO week;
- a month without a year ("in February") is its nearest occurrence to the publication
  month; when the clause marks the tense, the first occurrence on or after (future) or
  the last on or before (past) the publication month; a day without a year ("Dec. 20")
  likewise, by days (a weekday written with it picks the year);
- "yesterday", "today", "two days ago" (day); "this week", "last week" (ISO week,
  "2021-W50"); "next month" (month); "last year", "a year ago" (year);
- "early July", "between January and April", "late 2022": the text is the month or year;
- vague phrases ("recent weeks", "the past year") are recognised but not reported
  (the labelled fixtures leave them out).

The tense of a clause (DateResolver._tense) comes from the catalogue's marker lists:
the nearest explicit marker before the mention in its clause (clauses end at , ; : and
words like "that", "which", "who"), else a preposition right before it ("until",
"through", "by" -> future; "since" -> past), else a past-tense -ed word, else the same
on the clause after the mention.

A relative mention with no publication date, or one that cannot be resolved, keeps
value null (granularity kept when known: "Wednesday" -> null, "day"): no value is ever
filled in from today's date.

Optional `spans` (e.g. spaCy DATE/TIME entities) add mentions the catalogue did not
find: a span that overlaps a catalogue phrase is left to the catalogue; another is kept
only when dateparser (languages=['en']) reads it as an absolute date, i.e. the same
value against two different reference dates.  spaCy's other DATE spans are durations,
ages and vague phrases ("three years", "18-year-old", "recent weeks"), which the labels
leave out, and a relative phrase dateparser would resolve against today is never used.
"""
from __future__ import annotations

import email.utils
import functools
import json
import re
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any, Iterable
from urllib.parse import urlsplit

from transforms.dates_zones import local_zone, page_country, page_zone, pick_reading

try:  # zoneinfo needs system tz data; fixed offsets still work without it
    from zoneinfo import ZoneInfo
except ImportError:  # pragma: no cover
    ZoneInfo = None  # type: ignore

SOURCE_ORDER = ("feed", "jsonld", "html_meta", "url", "text")
# Candidate sources in rank order: htmldate's guess (a fallback that reads the page's
# visible text too) comes after the text and is reported as html_meta.
_RANK = SOURCE_ORDER + ("htmldate",)
_REPORTED = {"htmldate": "html_meta"}
CATALOGUE_PATH = Path(__file__).with_name("date_catalogue.yaml")
MIN_YEAR, MAX_YEAR = 1900, 2100
GRANULARITIES = ("day", "week", "month", "quarter", "year", "decade")


# --------------------------------------------------------------------------------------
# catalogue


@functools.lru_cache(maxsize=8)
def _load_yaml(path: str) -> dict:
    import yaml
    with open(path, encoding="utf-8") as fh:
        return yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}   # C: ~8x faster


def load_catalogue(extra: Any = None) -> dict:
    """The default catalogue, extended by `extra` (a mapping or a YAML path).

    `extra["vocabulary"]` is merged key by key (mappings updated, lists extended);
    `extra["entries"]` go before the default entries (they win ties); with
    `extra["replace"]` true the default entries are dropped.
    """
    base = _load_yaml(str(CATALOGUE_PATH))
    cat = {"example_published": base.get("example_published"),
           "publication_labels": {k: list(v) for k, v in (base.get("publication_labels") or {}).items()},
           "label_zones": {k: list(v) for k, v in (base.get("label_zones") or {}).items()},
           "vocabulary": {k: (dict(v) if isinstance(v, dict) else list(v) if isinstance(v, list) else v)
                          for k, v in (base.get("vocabulary") or {}).items()},
           "entries": [dict(e) for e in base.get("entries") or []]}
    if extra is None:
        return cat
    if isinstance(extra, (str, Path)):
        extra = _load_yaml(str(extra))
    for key, val in (extra.get("vocabulary") or {}).items():
        cur = cat["vocabulary"].get(key)
        if isinstance(cur, dict) and isinstance(val, dict):
            cur.update(val)
        elif isinstance(cur, list) and isinstance(val, list):
            cur.extend(val)
        else:
            cat["vocabulary"][key] = val
    entries = [dict(e) for e in extra.get("entries") or []]
    cat["entries"] = entries if extra.get("replace") else entries + cat["entries"]
    return cat


def _alt(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


def _placeholders(vocab: dict) -> dict[str, str]:
    months = vocab.get("months") or {}
    full = [m for m in months if len(m) > 4 or m in ("June", "July", "May")]
    abbr = [m for m in months if m not in full]
    ambiguous = set(vocab.get("ambiguous_months") or [])
    weekdays = vocab.get("weekdays") or {}
    numbers = vocab.get("numbers") or {}
    units = vocab.get("units") or {}
    holidays = vocab.get("holidays") or {}
    not_after = vocab.get("not_year_after") or []
    month = (f"(?P<month>(?:{_alt(full)})(?![\\w-])|(?:{_alt(abbr)})(?:\\.|(?![\\w-])))")
    return {
        "{month}": month,
        "{month_nc}": f"(?:(?:{_alt(full)})(?![\\w-])|(?:{_alt(abbr)})(?:\\.|(?![\\w-])))",
        "{plain_months}": _alt(m for m in full if m not in ambiguous),
        "{weekday}": f"(?P<weekday>{_alt(weekdays)})",
        "{day}": r"(?P<day>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?![\w])",
        "{year}": r"(?P<year>1[5-9]\d\d|20\d\d)(?![\w])",
        "{num}": f"(?P<num>\\d{{1,3}}|(?i:{_alt(numbers)}))",
        "{unit}": f"(?P<unit>(?i:{_alt(units)}))",
        "{holiday}": f"(?P<holiday>{_alt(holidays)})",
        "{not_year_after}": (f"(?!\\s+(?:{_alt(not_after)})(?![\\w]))" if not_after else ""),
    }


def _expand(pattern: str, ph: dict[str, str]) -> str:
    for key, val in ph.items():
        pattern = pattern.replace(key, val)
    return pattern


# --------------------------------------------------------------------------------------
# small date helpers


def _iso_week(d: date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y}-W{w:02d}"


def _month_shift(y: int, m: int, delta: int) -> tuple[int, int]:
    n = y * 12 + (m - 1) + delta
    return n // 12, n % 12 + 1


def _valid_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except (ValueError, TypeError, OverflowError):
        return None


def _as_utc(dt: datetime) -> datetime:
    if dt.tzinfo is None or dt.utcoffset() is None:
        return dt.replace(tzinfo=timezone.utc)
    return dt.astimezone(timezone.utc)


def _pub_date(published_at: Any) -> date | None:
    """The publication day to resolve against: the day on the page's own clock ("last
    week" in a paper published at 05:00 in Auckland is counted from Auckland's day, not
    from UTC's previous one); an instant without an offset is taken as it is written."""
    if published_at is None:
        return None
    try:
        if isinstance(published_at, datetime):
            return published_at.date()
        if isinstance(published_at, date):
            return published_at
        if isinstance(published_at, str):
            local = _local_day(published_at)
            if local is not None:
                return local
            parsed = _parse_published_value(published_at)
            return parsed[0].date() if parsed else None
    except Exception:
        return None
    return None


# --------------------------------------------------------------------------------------
# dates written in text: "Dec. 15, 2021 10:32 AM EST", "Wed 15 Dec 2021 10.32 GMT"


_TIME_AFTER = r"(?=\s*(?:[–—-]\s*|,\s*)?(?:\d{1,2}[:.]\d{2}|\d{1,2}\s*[ap]\.?m))"


class _TextDates:
    """Compiled full-date / time / zone regexes built from the catalogue vocabulary.

    Numeric dates: YYYY-MM-DD is year first; D.M.YYYY (dots) is day first; A/B/YYYY
    (or A-B-YYYY) is month first unless `day_first` says the page writes day first
    (see _day_first) or A is above 12."""

    def __init__(self, vocab: dict):
        months = {k.lower(): v for k, v in (vocab.get("months") or {}).items()}
        self.months = months
        self.zones = dict(vocab.get("time_zones") or {})
        self.ambiguous = dict(vocab.get("ambiguous_time_zones") or {})
        self.month_first_zones = set(vocab.get("month_first_zones") or [])
        self.month_first_tlds = set(vocab.get("month_first_tlds") or [])
        self.day_first_countries = {c.lower() for c in vocab.get("day_first_countries") or []}
        mon = f"(?P<month>{_alt(k.capitalize() for k in months)})\\.?"
        wd = r"(?:(?:Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)[a-z]*\.?,?\s+)?"
        day = r"(?P<day>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?"
        year = r"(?P<year>(?:19|20)\d\d)(?!\d)"
        flags = re.IGNORECASE
        self.full = [
            (re.compile(wd + mon + r"\s*" + day + r",?\s+" + year, flags), "name"),
            (re.compile(wd + r"(?:the\s+)?" + day + r"(?:\s+of)?\s+" + mon + r",?\s+" + year, flags), "name"),
            # "18-Sep-2025", "18 Sep-2025": the month word between hyphens
            (re.compile(r"(?<![\d-])" + day + r"[-\s]" + mon + r"-" + year, flags), "name"),
            (re.compile(r"(?<![\d/.])(?P<year>(?:19|20)\d\d)[-/.](?P<a>0?[1-9]|1[0-2])[-/.]"
                        r"(?P<b>0?[1-9]|[12]\d|3[01])(?![\d])"), "ymd"),
            # "03.11.2026", and with a space after each dot as Czech and Slovak pages write it: "03. 11. 2026"
            (re.compile(r"(?<![\d/.])(?P<a>0?[1-9]|[12]\d|3[01])\.[ \u00a0]?(?P<b>0?[1-9]|1[0-2])\.[ \u00a0]?"
                        r"(?P<year>(?:19|20)\d\d)(?![\d]|\.\d)"), "dmy"),
            (re.compile(r"(?<![\d/.-])(?P<a>0?[1-9]|[12]\d|3[01])(?P<sep>[/-])(?P<b>0?[1-9]|[12]\d|3[01])"
                        r"(?P=sep)(?P<year>(?:19|20)\d\d)(?![\d/])"), "slash"),
            # "22/07/26 – 16:05", "Thu 12/11/26 10:15am": a two-digit year, only with its time
            (re.compile(r"(?<![\d/.-])(?P<a>0?[1-9]|[12]\d|3[01])/(?P<b>0?[1-9]|[12]\d|3[01])"
                        r"/(?P<yy>\d{2})(?![\d/.])" + _TIME_AFTER), "slash"),
            (re.compile(r"(?<![\d/.-])(?P<a>0?[1-9]|[12]\d|3[01])\.(?P<b>0?[1-9]|1[0-2])"
                        r"\.(?P<yy>\d{2})(?![\d/.])" + _TIME_AFTER), "dmy"),      # "02.12.25, 17:35"
        ]
        self.numeric = re.compile(r"(?<![\d/.-])(\d{1,2})[/.-](\d{1,2})[/.-](?:19|20)\d\d(?!\d)")
        self.month_day = re.compile(mon + r"\s*" + day + r"(?![\d])", flags)
        self.time = re.compile(
            r"(?<![\d:.])(?:(?P<h>[01]?\d|2[0-3])(?:[:.]|h(?=[0-5]\d\b))(?P<mi>[0-5]\d)(?::(?P<s>[0-5]\d))?"
            r"(?:\s*(?P<ap>[ap])\.?\s?m\b\.?)?"
            r"|(?P<h2>1[0-2]|0?[1-9])\s*(?P<ap2>[ap])\.?\s?m\b\.?)(?![\d])", flags)
        zone_names = _alt(set(self.zones) | set(self.ambiguous))
        self.zone = re.compile(
            r"\s*[(,]?\s*(?P<tz>(?:UTC|GMT)\s*[+\-−]\s*\d{1,2}(?::?\d{2})?|[+\-−]\d{2}:?\d{2}"
            r"|(?:" + zone_names + r"))(?![\w])")
        self.zone_word = re.compile(r"(?<![\w])(?:" + zone_names + r")(?![\w])")
        self.ambiguous_word = re.compile(r"(?<![\w])(?:" + (_alt(self.ambiguous) or "(?!)") + r")(?![\w])")

    def find_date(self, s: str, day_first: bool | None = None) -> tuple[date, int, int] | None:
        """The first full date (with a year) in s, and its span."""
        best = None
        for rx, order in self.full:
            m = rx.search(s)
            if m and (best is None or m.start() < best[1]):
                d = self._date_of(m, order, day_first)
                if d:
                    best = (d, m.start(), m.end())
        return best

    def find_dates(self, s: str, day_first: bool | None = None) -> list[date]:
        out = []
        for rx, order in self.full:
            for m in rx.finditer(s):
                d = self._date_of(m, order, day_first)
                if d:
                    out.append((m.start(), d))
        return [d for _, d in sorted(out)]

    def _date_of(self, m: re.Match, order: str = "name", day_first: bool | None = None) -> date | None:
        g = m.groupdict()
        try:
            y = int(g["year"]) if g.get("year") else 2000 + int(g["yy"])
            if order == "name":
                d = int(g["day"])
                mo = self.months.get(g["month"].lower().rstrip("."))
            else:
                a, b = int(g["a"]), int(g["b"])
                if order == "ymd":
                    mo, d = a, b
                elif order == "dmy" or a > 12 or (day_first and b <= 12):
                    d, mo = a, b
                else:
                    mo, d = a, b
            if not mo or not (MIN_YEAR <= y <= MAX_YEAR):
                return None
            return _valid_date(y, mo, d)
        except (TypeError, ValueError, KeyError):
            return None

    def _zone(self, name: str, day: date | None = None, page_tz=None):
        name = name.strip().replace("−", "-")
        if name in self.ambiguous and day is not None:
            return pick_reading(self.ambiguous[name], day, page_tz)
        m = re.fullmatch(r"(?:UTC|GMT)?\s*([+-])\s*(\d{1,2}):?(\d{2})?", name)
        if m:
            sign = -1 if m.group(1) == "-" else 1
            h, mi = int(m.group(2)), int(m.group(3) or 0)
            if h > 14 or mi > 59:
                return None
            return timezone(sign * timedelta(hours=h, minutes=mi))
        val = self.zones.get(name)
        if val is None:
            return None
        if isinstance(val, (int, float)):
            return timezone(timedelta(hours=float(val)))
        if ZoneInfo is not None:
            try:
                return ZoneInfo(str(val))
            except Exception:
                return None
        return None

    def parse(self, s: str, *, window: int | None = None, day_first: bool | None = None,
              page_tz=None) -> str | None:
        """ISO string for the first full date in s ('2021-12-15'), with the time and zone
        when s gives them ('2021-12-15T10:32:00-05:00'; no zone: the page's zone `page_tz`
        when known (transforms/dates_zones), else naive, read as UTC).  An ambiguous
        abbreviation (AST, IST, CST...) takes the reading that matches page_tz."""
        found = self.find_date(s, day_first)
        if not found:
            return None
        d, a, b = found
        if window is not None and a > window:
            return None
        # a time right after the date, or before it on the same short line
        t = None
        for m in self.time.finditer(s):
            if a <= m.start() < b:
                continue
            if m.start() > b + 40 or (m.end() < a and a - m.end() > 60):
                continue
            t = m
            break
        if t is None:
            return d.isoformat()
        g = t.groupdict()
        try:
            if g.get("h") is not None:
                h, mi, sec = int(g["h"]), int(g["mi"]), int(g["s"] or 0)
                ap = (g.get("ap") or "").lower()
            else:
                h, mi, sec, ap = int(g["h2"]), 0, 0, (g.get("ap2") or "").lower()
            if ap:
                if not 1 <= h <= 12:
                    return d.isoformat()
                h = (h % 12) + (12 if ap == "p" else 0)
            naive = datetime.combine(d, time(h, mi, sec))
        except (TypeError, ValueError):
            return d.isoformat()
        z = self.zone.match(s, t.end())
        tz = self._zone(z.group("tz"), d, page_tz) if z else page_tz
        if tz is None:
            return naive.isoformat()
        # an IANA zone ("ET", "UK time") gives the offset in force on that date (DST)
        return naive.replace(tzinfo=tz).isoformat()


@functools.lru_cache(maxsize=1)
def _text_dates() -> _TextDates:
    return _TextDates(load_catalogue()["vocabulary"])


# --------------------------------------------------------------------------------------
# publication date: parsing candidate values and choosing one

_DATE_ONLY = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})\s*$")
_COMPACT = re.compile(r"^\s*((?:19|20)\d\d)(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])\s*$")
_EPOCH = re.compile(r"^\s*(\d{10}|\d{13})(?:\.\d+)?\s*$")
_HAS_TIME = re.compile(r"\d{1,2}[:.]\d{2}|\d\s*[ap]\.?m\b", re.IGNORECASE)
_RELATIVE_WORDS = re.compile(r"\b(?:ago|yesterday|today|tomorrow|now|last|next|this|hours?|minutes?)\b",
                             re.IGNORECASE)


def _in_range(dt: datetime) -> bool:
    return MIN_YEAR <= dt.year <= MAX_YEAR


def _parse_published_value(value: Any) -> tuple[datetime, str] | None:
    """(UTC datetime, 'day' | 'instant') for one candidate value, or None."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return (_as_utc(value), "instant") if _in_range(value) else None
    if isinstance(value, date):
        if not MIN_YEAR <= value.year <= MAX_YEAR:
            return None
        return datetime(value.year, value.month, value.day, tzinfo=timezone.utc), "day"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(int(value))
    if not isinstance(value, str):
        return None
    s = value.strip()
    if not s or len(s) > 200:
        return None
    m = _DATE_ONLY.match(s) or _COMPACT.match(s)
    if m:
        d = _valid_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if d and MIN_YEAR <= d.year <= MAX_YEAR:
            return datetime(d.year, d.month, d.day, tzinfo=timezone.utc), "day"
        return None
    m = _EPOCH.match(s)
    if m:
        n = int(m.group(1))
        if len(m.group(1)) == 13:
            n //= 1000
        dt = datetime.fromtimestamp(n, timezone.utc)
        return (dt, "instant") if _in_range(dt) else None
    if re.match(r"^\d{4}-\d{2}-\d{2}[T ]\d", s):
        iso = re.sub(r"(\.\d{6})\d+", r"\1", s.replace(" ", "T", 1))
        try:
            dt = datetime.fromisoformat(iso)
        except ValueError:
            dt = None
        if dt is not None:
            if not _in_range(dt):
                return None
            if dt.tzinfo is None or dt.utcoffset() is None:
                # a time without a zone: the instant is unknown, the written day is kept
                return datetime(dt.year, dt.month, dt.day, tzinfo=timezone.utc), "day"
            return _as_utc(dt), "instant"
    if re.match(r"^(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d{1,2}:\d{2}", s):
        try:
            dt = email.utils.parsedate_to_datetime(s)
            if dt is not None and _in_range(dt):
                return _as_utc(dt), "instant"
        except (TypeError, ValueError, IndexError):
            pass
    iso = _text_dates().parse(s)
    if iso:
        return _parse_published_value(iso) if iso != s else None
    return _dateparser_absolute(s)


def _dateparser_absolute(s: str) -> tuple[datetime, str] | None:
    """Last resort for odd formats: dateparser, absolute dates only (day, month and
    year all written), never relative to today."""
    if _RELATIVE_WORDS.search(s) or not re.search(r"\d", s):
        return None
    try:
        import dateparser
        settings = {"REQUIRE_PARTS": ["day", "month", "year"], "STRICT_PARSING": True,
                    "PARSERS": ["custom-formats", "absolute-time"],
                    "RELATIVE_BASE": datetime(2000, 1, 1)}
        dt = dateparser.parse(s, languages=["en"], settings=settings)
    except Exception:
        return None
    if dt is None or not _in_range(dt):
        return None
    if _HAS_TIME.search(s) and dt.tzinfo is not None and dt.utcoffset() is not None:
        return _as_utc(dt), "instant"
    return datetime(dt.year, dt.month, dt.day, tzinfo=timezone.utc), "day"


def _local_day(value: Any) -> date | None:
    """The calendar day of an ISO instant as written, in its own offset, or None."""
    if isinstance(value, datetime):
        return value.date() if value.tzinfo is not None else None
    if not isinstance(value, str) or not ("T" in value or " " in value.strip()):
        return None
    try:
        dt = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if dt.tzinfo is None or not MIN_YEAR <= dt.year <= MAX_YEAR:
        return None
    return dt.date()


def _same_day_instant(ranked, day: date) -> dict | None:
    """The first instant among the candidates whose day on its own clock is `day` (a URL's
    date and the page's "9 Jan 2026, 4:15 pm EST" agree: keep the time)."""
    for _, _, source, value in sorted(ranked, key=lambda r: (r[0], r[1])):
        try:
            parsed = _parse_published_value(value)
        except Exception:
            continue
        if parsed and parsed[1] == "instant":
            local = _local_day(value) or parsed[0].date()
            if local == day:
                return {"published_at": parsed[0], "published_at_source": source,
                        "granularity": "instant", "local_day": local}
    return None


def choose_published(candidates: Iterable[tuple[str, Any]] | None) -> dict:
    """The publication date from (source, value) candidates: the first valid value in
    the order feed > jsonld > html_meta > url > text.

    Returns {"published_at": aware UTC datetime | None,
             "published_at_source": one of SOURCE_ORDER or "none",
             "granularity": "day" | "instant" | None,
             "local_day": the day on the page's own clock, for resolving "yesterday"}.
    Invalid values and unknown sources are skipped, never raised.
    """
    ranked: list[tuple[int, int, str, Any]] = []
    try:
        for i, cand in enumerate(candidates or ()):
            try:
                source, value = cand
            except (TypeError, ValueError):
                continue
            if source not in _RANK:
                continue
            ranked.append((_RANK.index(source), i, _REPORTED.get(source, source), value))
    except TypeError:
        ranked = []
    for _, _, source, value in sorted(ranked, key=lambda r: (r[0], r[1])):
        try:
            parsed = _parse_published_value(value)
        except Exception:
            parsed = None
        if parsed:
            dt, gran = parsed
            if gran == "day":                # a later source may give the time of that same day
                finer = _same_day_instant(ranked, dt.date())
                if finer is not None:
                    return finer
            local = _local_day(value) if gran == "instant" else None
            return {"published_at": dt, "published_at_source": source, "granularity": gran,
                    "local_day": local or dt.date()}
    return {"published_at": None, "published_at_source": "none", "granularity": None, "local_day": None}


# --------------------------------------------------------------------------------------
# publication date: HTML


_META_KEYS = (
    "article:published_time", "og:published_time", "og:article:published_time",
    "article:published", "datepublished", "pubdate", "publishdate", "publish-date",
    "publish_date", "publication_date", "publication-date", "published-date", "published_date",
    "date_published", "parsely-pub-date", "sailthru.date", "article.published",
    "article_date_original", "originalpublicationdate", "cxenseparse:recs:publishtime",
    "dc.date.issued", "dcterms.issued", "dc.date", "dcterms.date", "dc.date.created",
    "dcterms.created", "citation_publication_date", "citation_date", "date", "displaydate",
    "ptime", "pdate", "live_date", "release_date",
)
_ARTICLE_TYPES = {"blogposting", "liveblogposting", "socialmediaposting", "report"}


def _is_article_type(t: Any) -> bool:
    types = t if isinstance(t, list) else [t]
    for x in types:
        if isinstance(x, str):
            x = x.rsplit("/", 1)[-1].lower()
            if x.endswith("article") or x in _ARTICLE_TYPES:
                return True
    return False


def _jsonld_dates(obj: Any, out: list[str], depth: int = 0) -> None:
    if depth > 12 or len(out) > 20:
        return
    if isinstance(obj, list):
        for x in obj[:200]:
            _jsonld_dates(x, out, depth + 1)
    elif isinstance(obj, dict):
        if _is_article_type(obj.get("@type")):
            v = obj.get("datePublished")
            if isinstance(v, list) and v:
                v = v[0]
            if isinstance(v, dict):
                v = v.get("@value")
            if isinstance(v, (str, int)) and str(v).strip():
                out.append(str(v).strip())
        for key, val in obj.items():
            if isinstance(val, (dict, list)) and key not in ("publisher", "author", "image"):
                _jsonld_dates(val, out, depth + 1)


def _load_json_loose(text: str) -> Any:
    text = text.strip()
    for attempt in range(3):
        try:
            return json.loads(text, strict=False)
        except ValueError:
            if attempt == 0:
                text = re.sub(r"^\s*(?:<!--|//\s*<!\[CDATA\[|<!\[CDATA\[)", "", text)
                text = re.sub(r"(?:-->|//\s*\]\]>|\]\]>)\s*$", "", text).strip()
            elif attempt == 1:
                text = re.sub(r",\s*([}\]])", r"\1", text)
    return None


def _parse_html(html: str | bytes):
    import lxml.html
    if isinstance(html, str):
        data = html.encode("utf-8", "replace")
    else:
        data = html
    if not data.strip():
        return None
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True)
    return lxml.html.document_fromstring(data, parser=parser)


_SKIP_TAGS = {"script", "style", "noscript", "template", "nav", "aside", "footer", "figure",
              "button", "select", "form", "svg", "iframe", "ul", "ol"}
_BLOCK_TAGS = {"p", "div", "section", "header", "h1", "h2", "h3", "h4", "h5", "h6", "time",
               "br", "li", "dd", "dt", "tr", "table", "span", "address", "small"}


def _header_lines(root, limit: int = 40) -> list[str]:
    """The page's visible lines in document order up to the first story paragraph
    (a line of 200+ characters): where a byline and date block sits.  Lists, asides,
    navigation, figures and footers are skipped (other stories' dates live there)."""
    lines: list[str] = []
    cur: list[str] = []

    def flush() -> bool:
        line = " ".join("".join(cur).split())
        cur.clear()
        if line:
            lines.append(line)
        return len(line) >= 200 or len(lines) >= limit

    def walk(el) -> bool:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag.lower() in _SKIP_TAGS:
            return False
        block = tag.lower() in _BLOCK_TAGS
        if block and flush():
            return True
        if el.text:
            cur.append(el.text)
        for child in el:
            if walk(child):
                return True
            if child.tail:
                cur.append(child.tail)
        return block and flush()

    walk(root)
    flush()
    return lines[:-1] if lines and len(lines[-1]) >= 200 else lines


def _page_time_and_text(tree, url: str | None) -> list[tuple[str, str]]:
    """For a page without date metadata: the first `<time datetime>` of the article
    (outside lists, asides, navigation and footers) as "html_meta", and the date written
    in the article's header lines ("Date" / "14.05.2024", "Published Nov 18, 2024 • ...")
    read by date_from_text as "text"."""
    out: list[tuple[str, str]] = []
    try:
        roots = tree.xpath("//article") or tree.xpath("//main") or tree.xpath("//body")
        if not roots:
            return out
        root = roots[0]
        for el in root.iter("time"):
            if el.get("datetime") and not any(
                    (a.tag if isinstance(a.tag, str) else "").lower() in _SKIP_TAGS
                    for a in el.iterancestors()):
                v = el.get("datetime").strip()
                if _parse_published_value(v):
                    out.append(("html_meta", v))
                break
        lines = _joined_at_bars(_header_lines(root))
        if lines:
            # the header holds the stamp, the story the place whose clock it is on
            story = "\n".join(" ".join(p.text_content().split()) for p in root.iter("p"))
            v = date_from_text("\n".join(lines), url=url, zone_text="\n".join(lines) + "\n" + story)
            if v:
                out.append(("text", v))
    except Exception:
        return out
    return out


def _joined_at_bars(lines: list[str]) -> list[str]:
    """Header texts with a bar element of their own between them ("21-10-2026", "|",
    "09:30") read as one line, as the page shows them."""
    out: list[str] = []
    glue = False
    for ln in lines:
        if ln.strip() in ("|", "·", "•", "–", "—", "/") and out:
            out[-1] += f" {ln.strip()}"
            glue = True
        elif glue:
            out[-1] += f" {ln}"
            glue = False
        else:
            out.append(ln)
    return out


def published_candidates_from_html(html: str, url: str | None = None) -> list[tuple[str, str]]:
    """(source, raw value) publication-date candidates found in an article page.

    "jsonld" first (datePublished of article-typed objects, @graph included), then
    "html_meta" (meta tags in _META_KEYS order, <time itemprop=datePublished|pubdate>).
    Only when neither found anything: the article's first `<time datetime>` as
    "html_meta" and the date written in its header lines as "text"
    (_page_time_and_text); when still nothing, htmldate's original date
    (extensive_search=False) as "htmldate" (ranked after text, reported as html_meta)
    -- or as "url" when it is just the date in the page's own canonical / og:url link.
    `url` itself is left to date_from_url.  Never raises.
    """
    try:
        tree = _parse_html(html)
    except Exception:
        return []
    if tree is None:
        return []
    out = _jsonld_candidates(tree) + _meta_candidates(tree)
    if not out:
        out = _page_time_and_text(tree, url)
    if not out:
        out = _htmldate_candidate(tree)
    return list(dict.fromkeys(out))


def _jsonld_candidates(tree) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    try:
        for script in tree.iter("script"):
            if "ld+json" not in (script.get("type") or "").lower():
                continue
            text = script.text or ""
            if "datePublished" not in text:
                continue
            found: list[str] = []
            data = _load_json_loose(text)
            if data is not None:
                _jsonld_dates(data, found)
            elif re.search(r'"@type"\s*:\s*"[A-Za-z]*(?:Article|Posting)"', text):
                m = re.search(r'"datePublished"\s*:\s*"([^"]{6,40})"', text)
                if m:
                    found.append(m.group(1))
            out.extend(("jsonld", v) for v in found)
    except Exception:
        pass
    return out


def _meta_candidates(tree) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    try:
        metas: dict[str, str] = {}
        for meta in tree.iter("meta"):
            content = meta.get("content") or meta.get("value") or ""
            if not content.strip():
                continue
            for attr in ("property", "name", "itemprop", "http-equiv"):
                key = (meta.get(attr) or "").strip().lower()
                if key and key not in metas:
                    metas[key] = content.strip()
        for key in _META_KEYS:
            if key in metas:
                out.append(("html_meta", metas[key]))
        times = list(tree.iter("time"))
        for el in times:
            if (el.get("itemprop") or "").lower() == "datepublished" or el.get("pubdate") is not None:
                v = (el.get("datetime") or el.text_content() or "").strip()
                if v:
                    out.append(("html_meta", v))
        for el in times:       # WordPress and friends: <time class="entry-date published">
            cls = (el.get("class") or "").lower()
            if el.get("datetime") and ("published" in cls or "entry-date" in cls):
                out.append(("html_meta", el.get("datetime").strip()))
    except Exception:
        pass
    return out


def _htmldate_candidate(tree) -> list[tuple[str, str]]:
    """htmldate's original date; "url" when it equals the date in the page's own
    canonical/og:url link (htmldate reads that too)."""
    canonical = None
    try:
        for el in tree.iter("link", "meta"):
            if el.tag == "link" and "canonical" in (el.get("rel") or "").lower():
                canonical = canonical or date_from_url(el.get("href"))
            elif el.tag == "meta" and (el.get("property") or "").lower() == "og:url":
                canonical = canonical or date_from_url(el.get("content"))
    except Exception:
        canonical = None
    try:
        from htmldate import find_date
        v = find_date(tree, extensive_search=False, original_date=True, outputformat="%Y-%m-%d")
        if v:
            return [("url" if v == canonical else "htmldate", v)]
    except Exception:
        pass
    return []


# --------------------------------------------------------------------------------------
# publication date: URL

_URL_PATTERNS = (
    re.compile(r"/((?:19|20)\d\d)/(0?[1-9]|1[0-2])/(0?[1-9]|[12]\d|3[01])(?=/|$|[^\d])"),
    re.compile(r"(?<![\d])((?:19|20)\d\d)[-_/.](0[1-9]|1[0-2])[-_/.](0[1-9]|[12]\d|3[01])(?![\d])"),
)
_URL_COMPACT = re.compile(r"(?<![\d])((?:19|20)\d\d)(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?![\d])")


def date_from_url(url: str | None) -> str | None:
    """'2023-10-03' from /2023/10/03/, /2023-10-03/, or a lone 20231003 in the path.

    The compact form counts only when exactly one distinct 8-digit date appears and it
    is not part of a longer number.  Never raises.
    """
    if not url or not isinstance(url, str):
        return None
    try:
        parts = urlsplit(url.strip())
        path = parts.path + ("?" + parts.query if parts.query else "")
    except ValueError:
        return None
    for rx in _URL_PATTERNS:
        for m in rx.finditer(path):
            d = _valid_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            if d and MIN_YEAR <= d.year <= MAX_YEAR:
                return d.isoformat()
    found = set()
    for m in _URL_COMPACT.finditer(parts.path):
        d = _valid_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if d:
            found.add(d)
    if len(found) == 1:
        return found.pop().isoformat()
    return None


# --------------------------------------------------------------------------------------
# publication date: text

_LINE_SEP = re.compile(r"[|·•–—:/-]\s*$")     # "Julkaistu / Published ...": a label in two languages
_FILE_CAPTION = re.compile(r"^\W*(?:FILE\b|file photo|in this file|this file)|\bfile (?:photo|image|picture)\b",
                           re.IGNORECASE)
# "© 2026", "Copyright 2026 Acme", "© Acme News 2026." (the owner's name before the year)
_COPYRIGHT_YEAR = re.compile(r"(?:©|\(c\)|copyright)\s*(?:[^\W\d_][\w&.'’\-]*\s+){0,5}((?:19|20)\d\d)(?![\d–-])",
                             re.IGNORECASE)
_PLACE_COMMA = re.compile(r"^[A-ZÀ-Þ][\w'’\-]+(?:\s+[A-ZÀ-Þ][\w'’\-]+){0,2},\s*(?=\d)")
_SEGMENTS = re.compile(r"\s*[|•·]\s*|\s{2,}")      # "Name | date", "RHP-EN 0187  09.09.2026 11:52"
_GLUED_LABEL = re.compile(r"\s*\|\s*(?=(?i:updated|last\s+updated|modified))|(?<=\d)(?=(?i:updated|last\s+updated))")
_WIRE_DATELINE = re.compile(
    r"(?:[A-Z][\w'’.\-]*(?:\s+[A-Z][\w'’.\-]*){0,3})(?:\s*,\s*[A-Z][\w.]*(?:\s+[A-Z][\w.]*){0,2})?"
    r"\s*,\s*(?P<date>[^()/\n]{6,40}?\d{4})\s*(?:\(|/|[-\u2013\u2014]{1,2}|:)")
# "OTTAWA, Nov 4 (Agency) —", "Pune, Jul 8 (UNS):", "KYIV, March 3 -": a place, a month
# and day without a year, an optional agency, then a dash or colon.
_WIRE_MONTH_DAY = re.compile(
    r"(?P<prefix>[^\W\d_][\w'’.\-]*(?:[ \-][^\W\d_][\w'’.\-]*){0,3}"
    r"(?:\s*,\s*[A-Z][\w.]*(?:\s+[A-Z][\w.]*){0,2})?\s*,\s*"
    r"(?P<md>[A-Z][a-z]{2,8}\.?\s+\d{1,2})(?!\d|,?\s+\d{4})\s*(?:\([^()\n]{1,40}\))?\s*"
    r"(?:[-\u2013\u2014]{1,2}|:))\s*\S")
_DATE_LABEL_ONLY = {"date", "dated"}
# "Published: 02.12.25, 17:35": a numeric date with a two-digit year, read only right
# after a publication label (in running text "1.2.25" could be anything)
_SHORT_YEAR = re.compile(r"^\s*(?P<a>\d{1,2})(?P<sep>[./-])(?P<b>\d{1,2})(?P=sep)(?P<yy>\d\d)(?![\d.:/-])")


def _full_year(rest: str) -> str | None:
    """The text after a label with its two-digit year written out ("02.12.25" -> "02.12.2025"), or None."""
    m = _SHORT_YEAR.match(rest)
    if m is None:
        return None
    return f"{m['a']}{m['sep']}{m['b']}{m['sep']}20{m['yy']}{rest[m.end():]}"
_AMBIGUOUS_NUMERIC = re.compile(r"(?<![\d/.-])\d{1,2}[/-]\d{1,2}[/-](?:(?:19|20)\d\d|\d\d)(?!\d)")      # common words: labels only at a line's start


@functools.lru_cache(maxsize=1)
def _label_regex() -> tuple[re.Pattern, frozenset]:
    labels = load_catalogue().get("publication_labels") or {}
    published = [w for w in labels.get("published") or []]
    updated = [w for w in labels.get("updated") or []]
    words = [r"\s+".join(map(re.escape, w.split())) for w in
             sorted(set(published + updated), key=lambda w: (-len(w), w))]
    rx = re.compile(r"(?<![\w])(?P<kind>" + "|".join(words) + r")(?![\w])\s*[:\-–—|]?\s*",
                    re.IGNORECASE)
    return rx, frozenset(" ".join(w.lower().split()) for w in published)


def date_from_text(text: str, *, captions: Iterable[str] = (), dateline_prefix: str | None = None,
                   url: str | None = None, zone_text: str | None = None) -> str | None:
    """A publication date written in the article text, as an ISO string, or None.

    In order: a published label line ("Published: ...", "Posted", "First published",
    a bare "Date" label; the date on the same or the next line); a full date in the
    dateline ("Kyiv, 3 March 2024 —"); a short standalone date line near the top (or
    a date segment of a "Name | date" line); the full date found in most non-file photo
    captions (the latest on a tie; "FILE -" captions are older photos and never count);
    a wire dateline with a month and day but no year ("OTTAWA, Nov 4 (Agency) —"),
    the year taken from the nearest absolute date on the page (a label line, else a
    full date in the text, else a lone copyright year; never invented); an updated
    label line ("Updated", "Last modified on").  Labels are data
    (date_catalogue.yaml `publication_labels`).  Numeric dates are read day first or
    month first by the page's cues (_day_first).  Relative phrases ("2 hours ago") are
    never used.  A time without a zone is read on the clock of the place the page is
    about (dates_zones.page_zone of `zone_text`, else of `text`).  Never raises.
    """
    try:
        page = _PageText(in_english(text or ""), list(captions or ()),
                         in_english(dateline_prefix) if dateline_prefix else None, url)
        page.zone_text = zone_text
        return page.publication_date()
    except Exception:
        return None


_ENGLISH_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                   "October", "November", "December")
# "a. m." / "p.m." as Spanish and Portuguese pages write them
_SPACED_MERIDIEM = re.compile(r"(?<=\d)\s*([ap])\.\s?m\.", re.I)
# a line that starts with a time, maybe after a label word ("08:30 | 2 hrs ago", "Publicado 7:40 am")
_TIME_LINE = re.compile(r"(?P<label>[^\W\d]+\s*:?\s+)?\d{1,2}[:.h]\d{2}(?!\d)(?:\s*[ap]\.?\s?m\.?)?", re.I)
_MONTH_ALT = "|".join(_ENGLISH_MONTHS)
# words before a full date on a short line ("Jumamosi, 31 October 2026", "An Domhnach 20 ...")
_WORDS_BEFORE_DATE = re.compile(r"^\s*((?:[^\W\d][\w'’\-]*\.?,?\s+){1,3})(?=\d{1,2}\s+(?:" + _MONTH_ALT +
                                r")\s+\d{4}|(?:" + _MONTH_ALT + r")\s+\d{1,2},\s+\d{4})")
# the word before a time in other languages after a worded date's year ("27 November 2025 à 11 h 05";
# not after a numeric date: "12/11/2026 à 14h00" tells the day comes first, _CONTINENTAL_TIME)
_YEAR_WORD_TIME = re.compile(r"(?<=[^\W\d]\s\d{4})\.?,?\s+(?:à|a\s+las|às|alle|um|kl\.?|klo|kello|u|o)\s+"
                             r"(?=\d{1,2}(?:[:.]|\s?h\s?)\d{2}(?!\d))", re.I)
_H_TIME = re.compile(r"(?<![\d:.])(\d{1,2})\s?h\s?(\d{2})(?![\d:])")      # "11 h 05", "07h45"
# ... when the date (and a time) is all the line holds after them; a dateline's place stays
_DATE_AND_TIME = re.compile(r"(?:\d{1,2}\s+(?:" + _MONTH_ALT + r")\s+\d{4}|(?:" + _MONTH_ALT +
                            r")\s+\d{1,2},\s+\d{4})\s*(?:(?:[|·•–—,]|at)?\s*\d{1,2}[:.h]\s?\d{2}\b.*|[|·•]\s.*)?$")
# a dash or a dot between a date's year and its time ("4 November 2026 – 12:31"): a bar
_YEAR_DASH_TIME = re.compile(r"(?<=\d{4})\s+[–—·•]\s+(?=\d{1,2}[:.h]\d{2}(?!\d))")


@functools.lru_cache(maxsize=1)
def _label_zone_words() -> tuple[re.Pattern, dict]:
    zones = {w.casefold(): z for z, words in load_catalogue()["label_zones"].items() for w in words}
    return re.compile(r"(?<!\w)(" + "|".join(sorted(map(re.escape, zones), key=len, reverse=True)) + r")(?!\w)",
                      re.I), zones


def _label_zone(lines: list[str]) -> str | None:
    """The zone of the first publication label in a one-clock language (catalogue
    `label_zones`) on a short line near the top, when the page's places name none."""
    rx, zones = _label_zone_words()
    for ln in lines:
        m = rx.search(ln) if len(ln) <= 160 else None
        if m:
            return zones.get(m.group(1).casefold())
    return None


@functools.lru_cache(maxsize=1)
def _publication_labels() -> tuple:
    return tuple(x for group in load_catalogue()["publication_labels"].values() for x in group)


def _label_words(words: str) -> bool:
    """The words open with a publication label ("Posted on Tuesday,"): the line is a label line."""
    key = " ".join(words.casefold().replace(",", " ").replace(":", " ").split())
    return any(key == x or key.startswith(x + " ") for x in _publication_labels())


@functools.lru_cache(maxsize=1)
def _foreign_dates() -> tuple:
    """Patterns of a full date written with another language's month name (catalogue
    `foreign_months`): day month year, month day year, year month day."""
    months = {}
    for num, words in ((load_catalogue()["vocabulary"].get("foreign_months")) or {}).items():
        for w in words:
            months[str(w).casefold()] = int(num)
    alt = "|".join(sorted((re.escape(w).replace(r"\ ", r"\s+") for w in months), key=len, reverse=True))
    day_first = re.compile(r"(?<![\w.])(\d{1,2})\.?\s+(?:(?:de|ta'|ta’)\s+)?(" + alt + r")\.?,?\s+(?:de\s+)?(\d{4})(?!\d)", re.I)
    month_first = re.compile(r"(?<![\w.])(" + alt + r")\.?\s+(\d{1,2}),?\s+(\d{4})(?!\d)", re.I)
    year_first = re.compile(r"(?<![\w.])(\d{4})\.?\s+(?:m\.\s+)?(" + alt + r")\s+(\d{1,2})(?:\.|\s+d\.)?(?!\d)", re.I)
    return months, day_first, month_first, year_first


def in_english(text: str) -> str:
    """`text` with what the date reader cannot read put in its words: a full date with
    another language's month name ("31 Oktoba 2026" -> "31 October 2026", "Octubre 22, 2026"
    -> "October 22, 2026"), "7:40 a. m." -> "7:40 am", and the time on the line right under
    a date line joined to it ("13.09.2026" / "08:30 | 2 hrs ago"). Only dates with a year: a
    month name alone may be a word or a name."""
    months, day_first, month_first, year_first = _foreign_dates()

    def month(word: str) -> str:
        return _ENGLISH_MONTHS[months[" ".join(word.casefold().split())] - 1]

    text = day_first.sub(lambda m: f"{m.group(1)} {month(m.group(2))} {m.group(3)}", text)
    text = month_first.sub(lambda m: f"{month(m.group(1))} {m.group(2)}, {m.group(3)}", text)
    text = year_first.sub(lambda m: f"{m.group(3)} {month(m.group(2))} {m.group(1)}", text)
    text = _SPACED_MERIDIEM.sub(lambda m: f" {m.group(1).lower()}m", text)
    lines = text.split("\n")
    for i, line in enumerate(lines):
        m = _WORDS_BEFORE_DATE.match(line)
        if m and len(line) <= 80 and not _label_words(m.group(1)) and _DATE_AND_TIME.match(line, m.end(1)):
            line = line[m.end(1):]                # a weekday in another language before the date
        if _YEAR_WORD_TIME.search(line):
            line = _H_TIME.sub(r"\1:\2", _YEAR_WORD_TIME.sub(" ", line))
        lines[i] = _YEAR_DASH_TIME.sub(" | ", line)
    for i in range(len(lines) - 1):
        t = _TIME_LINE.match(lines[i + 1].strip())
        if t and _date_only(lines[i]):
            label, rest = (t.group("label") or "").strip(), lines[i + 1].strip()[len(t.group("label") or ""):]
            lines[i] = " ".join(x for x in (label, lines[i].strip(), rest) if x)    # "Published" date time
            lines[i + 1] = ""
    return "\n".join(lines)


_DATE_LINE_ONLY = re.compile(r"\s*(?:\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}-\d{2}-\d{2}|"
                        r"(?:[A-Z][a-z]+,?\s+)?(?:\d{1,2}\s+[A-Z][a-z]+\.?,?\s+\d{4}|[A-Z][a-z]+\.?\s+\d{1,2},?\s+\d{4}))\s*$")


def _date_only(line: str) -> bool:
    """A line that is a date and nothing else ("13.09.2026", "Tuesday, 8 September 2026")."""
    return bool(line.strip()) and _DATE_LINE_ONLY.match(line) is not None


def _day_first(text: str, url: str | None, td: _TextDates) -> bool | None:
    """Whether the page writes numeric dates day first (03/09/2024 = 3 September).

    Cues, first that speaks: a numeric date on the page whose first or second number is
    above 12; a date in words near the top that agrees with one reading (a dateline
    "Kumasi, Feb. 12 -" under "12/02/2026"); the zone of a written time (North American
    zones: month first, others except UTC/GMT: day first); the URL's country domain
    (us/ca/ph...: month first, other country codes: day first); dashes or dots ("09-12-2025",
    "07.05.2026": the European ways); the country the page's places put it in, when its English-language
    press writes dates one way (date_catalogue.yaml `day_first_countries`, the month-first
    list).  None when nothing speaks (then month first, the reading of the older code).
    Currency signs are not cues: they follow the story ("€90,000" on an English page that
    writes 03/07/2024 for March 7)."""
    for m in td.numeric.finditer(text):
        a, b = int(m.group(1)), int(m.group(2))
        if a > 12 >= b:
            return True
        if b > 12 >= a:
            return False
    head = text[:4000]
    if _CONTINENTAL_TIME.search(head):
        return True                 # "12/11/2026 à 14h00", "16.6.2026 klo 13.15": a European stamp
    worded = _day_first_by_worded_date(head, td)
    if worded is not None:
        return worded
    for t in td.time.finditer(head):
        z = td.zone.match(head, t.end())
        if z:
            name = z.group("tz").strip()
            if name in td.month_first_zones:
                return False
            if name in td.zones and name not in ("UTC", "GMT", "Z"):
                return True
    if url:
        try:
            host = (urlsplit(url).hostname or "").rsplit(".", 1)[-1].lower()
        except ValueError:
            host = ""
        if len(host) == 2:
            return host not in td.month_first_tlds
    if any(m.group(0).count("-") == 2 or m.group(0).count(".") >= 2 for m in td.numeric.finditer(head)):
        return True                 # "09-12-2025", "07.05.2026": the European ways
    return _day_first_by_country(text, url, td)


# a numeric date, then the word another language puts before its time ("à", "klo", "um")
_CONTINENTAL_TIME = re.compile(r"\b\d{1,2}[/.]\d{1,2}[/.](?:\d{4}|\d{2})\.?,?\s+(?:à|a\s+las|às|alle|um|klo|kl\.|kello|u|o|в)\s+\d")


def _day_first_by_worded_date(head: str, td: "_TextDates") -> bool | None:
    """A month and day in words near the top ("Kumasi, Feb. 12 -") that is one reading of
    an ambiguous numeric date there ("12/02/2026"): that reading."""
    pairs = {(int(m.group(1)), int(m.group(2))) for m in td.numeric.finditer(head)}
    pairs = {(a, b) for a, b in pairs if a != b and a <= 12 and b <= 12}
    if not pairs:
        return None
    for m in td.month_day.finditer(head):
        mo = td.months.get(m.group("month").lower().rstrip("."))
        day = int(m.group("day"))
        if (day, mo) in pairs:
            return True
        if (mo, day) in pairs:
            return False
    for m in _DAY_MONTH.finditer(head):             # "Thursday 12 November 2026" over "12/11/2026"
        mo = td.months.get(m.group(2).lower().rstrip("."))
        day = int(m.group(1))
        if mo and (day, mo) in pairs:
            return True
        if mo and (mo, day) in pairs:
            return False
    return None


_DAY_MONTH = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+([A-Z][a-z]{2,8}\.?)")


def _day_first_by_country(text: str, url: str | None, td: "_TextDates") -> bool | None:
    """The last cue: the country the page is in (page_country: its dateline, the places it
    names), when its English-language press writes numeric dates one way."""
    country = (page_country(text, url) or "").lower()
    if country in td.day_first_countries:
        return True
    return False if country and country in td.month_first_tlds else None


TODAY_LINE_DAYS = 7       # a header's day this far after a stamp with a time below it is the site's "today"
EDITION_LOOK = 12         # lines at the foot looked through for the print edition's day
_EDITION = re.compile(r"(?i)\b(?:appeared|was\s+published|ran|printed)\s+in\s+(?:the\s+|our\s+)?(?P<date>.{6,45}?)"
                      r"\s+(?:print\s+|printed\s+|newspaper\s+)?(?:edition|issue)\b")
# "This story was published on 04/11/2026 at 16:40 Cairo time.", "This article was first posted Oct 3, 2026."
_FOOT_PUBLISHED = re.compile(r"(?i)^(?:this|the)\s+(?:story|article|report|piece|post|item)\s+was\s+(?:first\s+|originally\s+)?"
                             r"(?:published|posted)\s+(?:on\s+)?(?P<date>.{6,60}?)\.?$")
# view and comment counters after a date stamp ("👁 3 204", "💬 47", "Views: 1 284")
_COUNTERS = re.compile(r"\s*(?:[👁💬🗨👍❤]\ufe0f?|(?i:views?|comments?|reads?)\s*:)\s*\d[\d\s.,]*")
_TIME_LABEL = re.compile(r"(?i)^\s*(?:time|hora|heure|zeit)\s*:\s*")


class _PageText:
    """The publication date of one text scrape, step by step (see date_from_text)."""

    def __init__(self, text: str, captions: list[str], dateline_prefix: str | None, url: str | None):
        self.td = _text_dates()
        self.text = text
        self.lines = [ln for ln in (x.strip() for x in text.splitlines()) if ln]
        self.captions = captions
        self.prefix = dateline_prefix
        # only A/B/YYYY dates depend on the page's order: look for cues when there is one
        self.day_first = _day_first(text, url, self.td) if _AMBIGUOUS_NUMERIC.search(text) else None
        self.url = url
        self.zone_text: str | None = None
        self._page_tz: Any = False          # computed on the first time that needs it

    def page_tz(self):
        if self._page_tz is False:
            self._page_tz = local_zone(page_zone(self.zone_text or self.text, self.url)
                                       or _label_zone(self.lines[:40]))
        return self._page_tz

    def parse(self, s: str, window: int | None = None) -> str | None:
        iso = self.td.parse(s, window=window, day_first=self.day_first)
        if iso and "T" in iso and (len(iso) == 19 or self.td.ambiguous_word.search(s)):
            # a time with no zone, or with a zone whose reading depends on the page
            iso = self.td.parse(s, window=window, day_first=self.day_first, page_tz=self.page_tz())
        return iso

    def publication_date(self) -> str | None:
        published, updated = self.label_lines()
        if published:
            return published
        dated = self.dated_dateline()
        if dated and len(dated) == 10:      # the dateline's day (when it was filed); the page's
            bare = self.bare_date_line()    # stamp with a time is when it was published
            return bare if bare and (bare[:10] == dated or "T" in bare) else dated
        return (dated or self.bare_date_line() or self.caption_date()
                or self.undated_dateline((published, updated)) or updated or self.edition_date())

    def edition_date(self) -> str | None:
        """The day of the print edition the story ran in, said at its foot ("This story
        appeared in the Thursday, October 22, 2026 print edition."), or the foot's own
        sentence ("This story was published on 04/11/2026 at 16:40 Cairo time."): the last resort."""
        for ln in self.lines[::-1][:EDITION_LOOK]:
            m = _EDITION.search(ln)
            if m:
                iso = self.parse(m.group("date"))
                if iso:
                    return iso[:10]
            m = _FOOT_PUBLISHED.search(ln)
            if m:
                iso = self.parse(m.group("date"))
                if iso:
                    return iso
        return None

    # --------------------------------------------------------------------- the steps

    def label_lines(self) -> tuple[str | None, str | None]:
        """(first published-label date, first updated-label date)."""
        rx, published_kinds = _label_regex()
        published = updated = None
        for i, ln in enumerate(self.lines):
            if published:
                break
            if len(ln) > 200:
                continue
            for m in rx.finditer(ln):
                if m.start() > 60:
                    break
                kind = " ".join(m.group("kind").lower().split())
                before = ln[:m.start()]
                if kind in _DATE_LABEL_ONLY and before.strip():
                    continue
                if before.strip() and not _LINE_SEP.search(before) and not before.lower().startswith("by "):
                    continue        # "The report, published on ..." is a sentence, not a dateline
                rest = ln[m.end():]
                iso = self.parse(rest, window=25)
                if iso is None and " / " in rest:       # "18 Rabi' al-Thani 1448 AH / 29 September 2026, 14:20"
                    iso = next(filter(None, (self.parse(half, window=25) for half in rest.split(" / ")[1:])), None)
                if iso is None and _full_year(rest):
                    iso = self.parse(_full_year(rest), window=25)
                if iso is None and not re.search(r"\w", rest) and i + 1 < len(self.lines) \
                        and len(self.lines[i + 1]) <= 80:
                    iso = self.parse(self.lines[i + 1], window=10)      # "Published" / "14 Nov 2024"
                if iso and len(iso) == 10 and i + 1 < len(self.lines):
                    nxt = _TIME_LABEL.sub("", self.lines[i + 1], count=1)     # "Date: ..." / "Time: 10:45 a.m."
                    iso = self._with_time_below(rest, nxt, iso)
                if iso:
                    if kind in published_kinds:
                        published = published or iso
                    else:
                        updated = updated or iso
                        published = published or self.published_time_after(ln, m.end(), rx, published_kinds)
                    break
        return published, updated

    def published_time_after(self, ln: str, start: int, rx, published_kinds) -> str | None:
        """"Updated March 3 2026 - 4:15pm, first published 11:30am": a published label
        later on an updated line gives the publication date: its own date, or its time on
        the line's date."""
        for m in rx.finditer(ln, start):
            if " ".join(m.group("kind").lower().split()) not in published_kinds:
                continue
            rest = ln[m.end():]
            if self.td.find_date(rest, self.day_first):
                return self.parse(rest, window=25)      # "..., first published March 2 2026"
            found = self.td.find_date(ln[:m.start()], self.day_first)
            if found is None or not self.td.time.match(rest.lstrip()):
                return None
            _, a, b = found
            zone = self.td.zone_word.search(ln[:m.start()])     # the line's zone when it gives none
            if zone and not self.td.zone_word.search(rest):
                rest = f"{rest.strip()} {zone.group(0)}"
            return self.parse(f"{ln[:m.start()][a:b]} {rest.strip()}")
        return None

    def dated_dateline(self) -> str | None:
        """A dateline carrying a full date ("LONDON, March 3, 2024 /PRNewswire/ --")."""
        if self.prefix:
            iso = self.parse(self.prefix)
            if iso:
                return iso
        for k, ln in enumerate(self.lines[:8]):
            m = _WIRE_DATELINE.match(ln[:120])
            if m and (k < 4 or m.end() == len(ln)):     # deeper down: a dateline on a line of its own
                iso = self.parse(m.group("date"))
                if iso:
                    return iso
        return None

    def _is_bare_date(self, seg: str) -> bool:
        seg = _PLACE_COMMA.sub("", seg, count=1)       # "Riederwald, 18.06.2026, 14:30": the place it was written
        found = self.td.find_date(seg, self.day_first)
        if not found:
            return False
        _, a, b = found
        rest = seg[:a] + " " + seg[b:]
        rest = self.td.time.sub(" ", rest)
        rest = self.td.zone_word.sub(" ", rest)
        rest = re.sub(r"[\W_]+", " ", rest)
        rest = re.sub(r"\b(?:[AP]M|UTC|GMT|By|at|on)\b", " ", rest, flags=re.IGNORECASE)
        return len(rest.strip()) <= 0.4 * (b - a)

    def bare_date_line(self) -> str | None:
        """A short line near the top that is only a date (and a time and zone), or such
        a segment of a "Name | 03/09/2024 08:30 SAST" line.  A day alone ("17 Nov 2026",
        the site's date in its header) gives way to a stamp of the same day with a time
        further down ("2 hours ago · 17/11/2026 08:30"), and so does a day a little after
        such a stamp: the site's "today" line over the story's stamp."""
        day = None
        for iso in self._bare_dates():
            if day is None:
                if "T" in iso:
                    return iso
                day = iso
            elif "T" in iso and 0 <= (date.fromisoformat(day) - date.fromisoformat(iso[:10])).days <= TODAY_LINE_DAYS:
                return iso          # the same day, or the site's "today" line over an earlier stamp
        return day

    def _bare_dates(self):
        for i, ln in enumerate(self.lines[:40]):
            if len(ln) > 120:
                continue
            # "16:42, 12 Feb 2024Updated 17:05, 12 Feb 2024": the part before the label
            ln = _GLUED_LABEL.split(ln, 1)[0].strip() or ln
            ln = _COUNTERS.sub("", ln).strip() or ln        # "10:32, 2 December 2026  👁 3 204"
            if len(ln) <= 90 and (self._is_bare_date(ln) or ln.lower().startswith("by ")
                                  and self.td.find_date(ln, self.day_first)):
                iso = self.parse(ln)
                if iso:
                    below = self.lines[i + 1] if i + 1 < len(self.lines) else ""
                    yield self._with_time_below(ln, below, iso)
                    continue
            segs = _SEGMENTS.split(ln)
            if len(segs) > 1:
                iso = None
                for k, seg in enumerate(segs[1:], 1):
                    if self._is_bare_date(seg):
                        iso = self.parse(seg)
                        if iso:             # "Name | 03/09/2024" or "14.10.2026 | 16:05"
                            nxt = segs[k + 1] if k + 1 < len(segs) else ""
                            yield self._with_time_below(seg, nxt, iso)
                            break
                if iso is None and self._is_bare_date(segs[0]):    # "Sunday 18 October 2026 · Vol. 84 No. 41"
                    iso = self.parse(segs[0])
                    if iso:
                        yield self._with_time_below(segs[0], segs[1], iso)

    def _with_time_below(self, ln: str, nxt: str, iso: str) -> str:
        """A date line whose time sits on the next line ("December 4, 2025" / "6:10 PM
        AKST"): the two read as one instant; anything else below leaves the day."""
        if len(iso) != 10 or len(nxt) > 40 or not self.td.time.search(nxt):
            return iso
        rest = self.td.zone_word.sub(" ", self.td.time.sub(" ", nxt))
        rest = re.sub(r"\([^()]{1,30}\)", " ", rest)   # "11:20 AM (Erbil)", "(local time)": the clock's place
        if re.sub(r"[\W_]+", "", rest):
            return iso                      # more than a time and a zone
        both = self.parse(f"{ln} {nxt}")
        return both if both and "T" in both else iso

    def caption_date(self) -> str | None:
        counts: dict[date, int] = {}
        for cap in self.captions:
            if not isinstance(cap, str) or _FILE_CAPTION.search(cap):
                continue
            for d in set(self.td.find_dates(cap, self.day_first)):
                counts[d] = counts.get(d, 0) + 1
        if counts:
            return max(counts.items(), key=lambda kv: (kv[1], kv[0]))[0].isoformat()
        return None

    def _month_day_dateline(self) -> tuple[int, int] | None:
        prefixes = [self.prefix] if self.prefix else []
        for ln in self.lines[:12]:
            m = _WIRE_MONTH_DAY.match(ln[:140])
            if m:
                prefixes.append(m.group("prefix"))
        for p in prefixes:
            m = self.td.month_day.search(p)
            if m:
                mo = self.td.months.get(m.group("month").lower().rstrip("."))
                if mo:
                    return mo, int(m.group("day"))
        return None

    def undated_dateline(self, labelled: tuple) -> str | None:
        """A dateline month and day, the year from the nearest absolute date on the page:
        a label line's, else a full date in the text, else a lone copyright year."""
        md = self._month_day_dateline()
        if not md:
            return None
        mo, day = md
        anchors = [d for d in (_pub_date(v) for v in labelled if v) if d]
        if not anchors:
            anchors = self.td.find_dates(self.text, self.day_first)
        if anchors:
            cands = [c for a in anchors for y in (a.year - 1, a.year, a.year + 1)
                     if (c := _valid_date(y, mo, day)) is not None]
            if cands:
                best = min(cands, key=lambda c: (min(abs((c - a).days) for a in anchors), c))
                return best.isoformat()
        years = {int(y) for y in _COPYRIGHT_YEAR.findall(self.text)}
        if len(years) == 1:
            d = _valid_date(years.pop(), mo, day)
            return d.isoformat() if d else None
        return None


# --------------------------------------------------------------------------------------
# date mentions

_SENT_END = re.compile(r"[.!?][\"”’)\]]*\s+(?=[\"“‘(]*[A-Z])|\n")
_LEAD_IN = (r"(?:at\s+least\s+|at\s+the\s+latest\s+)?(?:the\s+(?:end|start|beginning|middle)\s+of\s+)?"
            r"(?:(?:on|the|early|late|mid)\s+)?")
_PREV_WORD = re.compile(r"([\w’']+)\W*$")
_DATEISH = re.compile(
    r"\b(?:day|days|week|weeks|weekend|month|months|year|years|decade|decades|century|centuries|"
    r"today|tonight|tomorrow|yesterday|spring|summer|autumn|fall|winter|quarter|"
    r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|January|February|March|April|May|June|July|"
    r"August|September|October|November|December|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?"
    r")\b|\b(?:1[5-9]|20)\d\d\b|\d0s\b")


_KINDS = ("month", "weekday", "holiday", "unit", "word", "number")


def _trigger_regex(vocab: dict, entries: list[dict]) -> re.Pattern:
    """Words one of which every catalogue phrase contains, one named group per kind:
    month and weekday names, holiday words, units, vocabulary `trigger_words` (plus an
    entry's own `triggers`), year-like numbers.  Units and trigger words match in lower
    case and capitalised; the first-character lookahead lets the scan skip most
    positions."""
    def both(ws):
        return {v for w in ws if w for v in (w.lower(), w[0].upper() + w[1:].lower())}

    groups = {
        "month": {k.rstrip(".") for k in vocab.get("months") or {}},
        "weekday": {k.rstrip(".") for k in vocab.get("weekdays") or {}},
        "holiday": {w for h in vocab.get("holidays") or {} for w in re.findall(r"[A-Za-z]+", h)
                    if len(w) > 3 and w != "Year"},
        "unit": both(vocab.get("units") or {}),
        "word": both(list(vocab.get("trigger_words") or []) +
                     [t for e in entries for t in e.get("triggers") or []]),
    }
    first = set("0123456789'’‘")
    parts = []
    for kind, words in groups.items():
        words = {w for w in words if w}
        if words:
            first |= {w[0] for w in words}
            parts.append(f"(?P<{kind}>(?:{_alt(words)})(?![a-z]))")
    parts.append(r"(?P<number>(?:1\d|20)\d\d|[\d’'‘]\d?0s)")
    cls = "".join(re.escape(c) for c in sorted(first))
    return re.compile(f"(?=[{cls}])(?:{'|'.join(parts)})")


def _entry_kinds(entry: dict) -> tuple[str, ...]:
    """Which trigger kinds an entry's phrases contain (its `needs`, else guessed from
    its placeholders); an entry with none listed runs on every window."""
    needs = entry.get("needs")
    if needs:
        return tuple(needs) if isinstance(needs, (list, tuple)) else (str(needs),)
    p = entry.get("pattern") or ""
    if entry.get("triggers"):
        return ("word",)
    for ph, kind in (("{month}", "month"), ("{plain_months}", "month"), ("{weekday}", "weekday"),
                     ("{holiday}", "holiday"), ("{unit}", "unit"), ("{year}", "number")):
        if ph in p:
            return (kind,)
    return _KINDS


def _merge(windows: list[list[int]]) -> list[list[int]]:
    out: list[list[int]] = []
    for lo, hi in sorted(windows):
        if out and lo <= out[-1][1]:
            out[-1][1] = max(out[-1][1], hi)
        else:
            out.append([lo, hi])
    return out


class DateResolver:
    """Date mentions in a body, resolved against the publication date.

    Built once per worker: regexes are compiled in __init__; only the constructor
    arguments are pickled (the catalogue is re-read and recompiled on unpickling).
    """

    def __init__(self, *, languages: Iterable[str] = ("en",), catalogue: Any = None):
        self.languages = tuple(languages)
        self._catalogue_arg = catalogue
        self._build()

    # pickling: constructor arguments only
    def __getstate__(self):
        return {"languages": self.languages, "catalogue": self._catalogue_arg}

    def __setstate__(self, state):
        self.languages = tuple(state.get("languages") or ("en",))
        self._catalogue_arg = state.get("catalogue")
        self._build()

    def _build(self):
        cat = load_catalogue(self._catalogue_arg)
        vocab = cat["vocabulary"]
        self.catalogue = cat
        self._months = {k.lower(): int(v) for k, v in (vocab.get("months") or {}).items()}
        self._weekdays = {k.lower().rstrip("."): int(v) for k, v in (vocab.get("weekdays") or {}).items()}
        self._numbers = {str(k).lower(): v for k, v in (vocab.get("numbers") or {}).items()}
        self._units = {k.lower(): v for k, v in (vocab.get("units") or {}).items()}
        self._holidays = {k: tuple(v) for k, v in (vocab.get("holidays") or {}).items()}
        ph = _placeholders(vocab)
        self._entries = []
        for i, e in enumerate(cat["entries"]):
            rx = re.compile(_expand(e["pattern"], ph))
            self._entries.append((e["class"], rx, e, "text" in rx.groupindex, _entry_kinds(e)))
        fut = "|".join(f"(?:{p})" for p in vocab.get("future_markers") or [])
        past = "|".join(f"(?:{p})" for p in vocab.get("past_markers") or [])
        self._markers = re.compile(
            r"(?<![\w’'])(?:(?P<fut>" + (fut or "(?!)") + r")|(?P<past>" + (past or "(?!)") + r")"
            r"|(?P<ed>[a-z]{2,}ed))(?![\w’'])", re.IGNORECASE)
        self._not_past_ed = {w.lower() for w in vocab.get("not_past_ed") or []}
        self._participle_after = {w.lower() for w in vocab.get("participle_after") or []}
        words = vocab.get("clause_words") or []
        # "all but a few", "anything but": no clause break
        self._clause_break = re.compile(
            r"[,;:)\]](?=\s)|[(\[\u2014\u2013]|\s-\s"
            + (rf"|(?<!\ball\s)(?<!\banything\s)(?<!\bnothing\s)\b(?:{_alt(words)})\b" if words else ""),
            re.IGNORECASE)
        fp = vocab.get("future_prepositions") or []
        pp = vocab.get("past_prepositions") or []
        self._future_prep = re.compile(
            (rf"\b(?:{_alt(fp)})\s+{_LEAD_IN}$" if fp else "(?!)"), re.IGNORECASE)
        self._past_prep = re.compile(
            (rf"\b(?:{_alt(pp)})\s+{_LEAD_IN}$" if pp else "(?!)"), re.IGNORECASE)
        fixed = vocab.get("past_whatever_the_tense") or []
        self._fixed_past = re.compile(
            (rf"\b(?:{_alt(fixed)})\s+{_LEAD_IN}$" if fixed else "(?!)"), re.IGNORECASE)
        self._trigger = _trigger_regex(vocab, cat["entries"])
        self._dp = None

    _MARGIN = 40      # chars around a trigger word searched by the patterns

    # ---------------------------------------------------------------------------- API

    def resolve(self, body: str, published_at: datetime | None, *,
                published_granularity: str = "instant",
                spans: Iterable[tuple[int, int]] | None = None,
                local_day: date | None = None) -> list[dict]:
        """[{text, start, end, value, granularity}] for the date mentions in body,
        in order; body[start:end] == text.  `local_day` (choose_published's) is the
        publication day on the page's clock when published_at is already in UTC.
        Never raises."""
        if not isinstance(body, str) or not body:
            return []
        try:
            pub = local_day if isinstance(local_day, date) else _pub_date(published_at)
        except Exception:
            pub = None
        try:
            found = self._find(body)
        except Exception:
            found = []
        mentions = []
        claimed = [(s, e) for _, _, _, s, e in found]
        for cls, m, entry, s, e in found:
            if entry.get("emit") is False:
                continue
            try:
                value, gran = self._resolve_one(cls, m, entry, body, s, e, pub)
            except Exception:
                value, gran = None, None
            mentions.append(self._mention(body, s, e, value, gran))
        if spans:
            try:
                mentions.extend(self._from_spans(body, spans, claimed, pub))
                mentions.sort(key=lambda d: (d["start"], d["end"]))
            except Exception:
                pass
        return mentions

    @staticmethod
    def _mention(body, s, e, value, gran):
        return {"text": body[s:e], "start": s, "end": e,
                "value": value, "granularity": gran if value is not None or gran in GRANULARITIES else None}

    # ------------------------------------------------------------------------ finding

    def _find(self, body: str):
        """Catalogue matches, longest first, without overlaps, in text order.

        The patterns run only on windows around trigger words of the kind they need
        (month names for month patterns, year-like numbers for years, ...): one cheap
        scan instead of every pattern over the whole body."""
        windows: dict[str, list[list[int]]] = {}
        margin = self._MARGIN
        for m in self._trigger.finditer(body):
            ws = windows.setdefault(m.lastgroup, [])
            lo, hi = max(0, m.start() - margin), m.end() + margin
            if ws and lo <= ws[-1][1]:
                ws[-1][1] = hi
            else:
                ws.append([lo, hi])
        if not windows:
            return []
        merged = None
        cands = []
        for idx, (cls, rx, entry, has_text, kinds) in enumerate(self._entries):
            if len(kinds) == 1:
                ws = windows.get(kinds[0])
            else:
                if merged is None:
                    merged = _merge([w for k in windows for w in windows[k]])
                ws = merged
            if not ws:
                continue
            for lo, hi in ws:
                for m in rx.finditer(body, lo, hi):
                    s, e = (m.span("text") if has_text else m.span())
                    if s < 0 or e <= s:
                        continue
                    cands.append((-(e - s), idx, s, e, cls, m, entry))
        if not cands:
            return []
        cands.sort(key=lambda c: (c[0], c[1], c[2]))
        taken: list[tuple[int, int]] = []
        out = []
        for _, _, s, e, cls, m, entry in cands:
            if any(s < te and ts < e for ts, te in taken):
                continue
            taken.append((s, e))
            out.append((cls, m, entry, s, e))
        out.sort(key=lambda c: c[3])
        return out

    def _from_spans(self, body, spans, claimed, pub):
        taken = list(claimed)
        out = []
        n = len(body)
        for span in list(spans)[:500]:
            try:
                s, e = int(span[0]), int(span[1])
            except (TypeError, ValueError, IndexError):
                continue
            s, e = max(0, s), min(n, e)
            while s < e and not body[s].isalnum() and body[s] not in "'’":
                s += 1
            while e > s and not body[e - 1].isalnum():
                e -= 1
            if e <= s or any(s < te and ts < e for ts, te in taken):
                continue
            text = body[s:e]
            if not _DATEISH.search(text):
                continue
            value, gran = self._dateparser_absolute(text)
            if value is None:       # durations, ages, seasons, vague phrases: not dates
                continue
            taken.append((s, e))
            out.append(self._mention(body, s, e, value, gran))
        return out

    def _dateparser_absolute(self, text: str) -> tuple[str | None, str | None]:
        """dateparser's reading of a span, kept only when it does not depend on the
        reference date (two different bases give the same value)."""
        try:
            if self._dp is None:
                from dateparser.date import DateDataParser
                self._dp = {}
                for key, base in (("a", datetime(2001, 3, 7, 12)), ("b", datetime(2013, 9, 23, 12))):
                    self._dp[key] = DateDataParser(languages=list(self.languages), settings={
                        "RELATIVE_BASE": base, "PREFER_DATES_FROM": "past",
                        "RETURN_AS_TIMEZONE_AWARE": False})
            results = []
            for key in ("a", "b"):
                dd = self._dp[key].get_date_data(text)
                if dd is None or dd.date_obj is None:
                    return None, None
                results.append(self._format(dd.date_obj.date(), dd.period or "day"))
            if results[0] == results[1] and results[0][0] is not None:
                return results[0]
        except Exception:
            pass
        return None, None

    @staticmethod
    def _format(d: date, period: str) -> tuple[str | None, str | None]:
        if period in ("day", "time"):
            return d.isoformat(), "day"
        if period == "week":
            return _iso_week(d), "week"
        if period == "month":
            return f"{d.year:04d}-{d.month:02d}", "month"
        if period == "year":
            return f"{d.year:04d}", "year"
        return None, None

    # ---------------------------------------------------------------------------- tense

    def _tense(self, body: str, s: int, e: int) -> str | None:
        """'future', 'past' or None for the clause around body[s:e].

        Left of the mention, in its clause: a preposition that always looks back
        (catalogue past_whatever_the_tense: "since December") means past; else the
        nearest explicit marker (catalogue future_markers / past_markers) decides; else a
        future preposition right before it ("through Sunday", "until Nov. 4") means
        future, a past one ("since") past;
        else a past-tense -ed word means past.  Then the same on the clause right of the
        mention ("On Friday, officials said ...").  None when nothing marks the tense."""
        left = body[max(0, s - 300):s]
        cut = 0
        for m in _SENT_END.finditer(left):
            cut = m.end()
        left = left[cut:]
        cut = 0
        for m in self._clause_break.finditer(left):
            cut = m.end()
        clause = left[cut:]
        if self._fixed_past.search(clause):
            return "past"           # "for the first time since December", whatever the verb
        kind = self._clause_tense(clause)
        if kind in ("future", "past"):
            return kind
        prep = self._future_prep.search(clause)
        if prep and prep.group(0).lower().startswith("by") and self._right_tense(body, e) == "past":
            return "past"           # "by Monday evening water was lapping"
        if prep:
            return "future"
        if self._past_prep.search(clause):
            return "past"
        if kind == "weak":
            return "past"
        return self._right_tense(body, e)

    def _right_tense(self, body: str, e: int) -> str | None:
        """The tense of the clause right of a mention ending at e (nearest marker first)."""
        right = body[e:e + 200]
        m = _SENT_END.search(right)
        if m:
            right = right[:m.start()]
        right = right.lstrip(" ,;:’'s\u2019")
        m = self._clause_break.search(right)
        if m:
            right = right[:m.start()]
        kind = self._clause_tense(right, nearest_first=True)
        if kind == "weak":
            return "past"
        return kind

    def _participle(self, text: str, pos: int) -> bool:
        prev = _PREV_WORD.search(text, 0, pos)
        return bool(prev) and prev.group(1).lower() in self._participle_after

    def _clause_tense(self, clause: str, nearest_first: bool = False) -> str | None:
        """The explicit marker nearest the mention ('future'/'past'), else 'weak' when a
        past-tense -ed word is there, else None."""
        explicit = None
        weak = False
        for m in self._markers.finditer(clause):
            if m.group("fut"):
                explicit = "future"
                if nearest_first:
                    return explicit
                continue
            if self._participle(clause, m.start()):
                continue        # "is held", "must be adopted": a participle, not a tense
            if m.group("past"):
                explicit = "past"
                if nearest_first:
                    return explicit
                continue
            w = m.group("ed")
            if w and w == w.lower() and w.lower() not in self._not_past_ed:
                weak = True
        return explicit or ("weak" if weak else None)

    # ------------------------------------------------------------------------ resolving

    def _resolve_one(self, cls, m, entry, body, s, e, pub):
        g = m.groupdict()
        fn = getattr(self, "_r_" + cls, None)
        if fn is None:
            return None, None
        return fn(g, entry, body, s, e, pub)

    def _month_of(self, g) -> int | None:
        if g.get("month"):
            return self._months.get(g["month"].lower().rstrip("."))
        if g.get("mnum"):
            return int(g["mnum"])
        return None

    def _r_date(self, g, entry, body, s, e, pub):
        y, d = int(g["year"]), int(g["day"])
        mo = self._month_of(g)
        if g.get("mnum") and not g.get("month") and mo > 12 and d <= 12:
            mo, d = d, mo
        dd = _valid_date(y, mo, d) if mo else None
        return (dd.isoformat(), "day") if dd else (None, "day")

    def _pick_day(self, mo, day, body, s, e, pub, weekday=None):
        if pub is None:
            return None, "day"
        cands = [c for y in (pub.year - 1, pub.year, pub.year + 1)
                 if (c := _valid_date(y, mo, day)) is not None]
        if not cands:
            return None, "day"
        if weekday is not None:
            match = [c for c in cands if c.weekday() == weekday]
            if len(match) == 1:
                return match[0].isoformat(), "day"
        tense = self._tense(body, s, e)
        if tense == "future":
            pick = min((c for c in cands if c >= pub), default=None)
        elif tense == "past":
            pick = max((c for c in cands if c <= pub), default=None)
        else:
            pick = min(cands, key=lambda c: (abs((c - pub).days), c > pub))
        return (pick.isoformat(), "day") if pick else (None, "day")

    def _r_month_day(self, g, entry, body, s, e, pub):
        mo = self._month_of(g)
        wd = self._weekdays.get((g.get("weekday") or "").lower().rstrip("."))
        return self._pick_day(mo, int(g["day"]), body, s, e, pub, weekday=wd)

    def _r_holiday(self, g, entry, body, s, e, pub):
        md = self._holidays.get(g.get("holiday") or "")
        if not md:
            return None, "day"
        return self._pick_day(int(md[0]), int(md[1]), body, s, e, pub)

    def _r_month_year(self, g, entry, body, s, e, pub):
        mo = self._month_of(g)
        return (f"{int(g['year']):04d}-{mo:02d}", "month") if mo else (None, "month")

    def _r_month(self, g, entry, body, s, e, pub):
        mo = self._month_of(g)
        if not mo or pub is None:
            return None, "month"
        mod = (g.get("mod") or "").lower()
        p = pub.year * 12 + pub.month - 1
        cands = [(y * 12 + mo - 1) for y in (pub.year - 1, pub.year, pub.year + 1)]
        if mod in ("last", "this past"):
            pick = max(c for c in cands if c < p)
        elif mod in ("next", "this coming"):
            pick = min(c for c in cands if c > p)
        elif mod == "this":
            pick = pub.year * 12 + mo - 1
        else:
            tense = self._tense(body, s, e)
            if tense == "future":
                pick = min(c for c in cands if c >= p)
            elif tense == "past":
                pick = max(c for c in cands if c <= p)
            else:
                pick = min(cands, key=lambda c: (abs(c - p), c > p))
        return f"{pick // 12:04d}-{pick % 12 + 1:02d}", "month"

    def _r_weekday(self, g, entry, body, s, e, pub):
        wd = self._weekdays.get((g.get("weekday") or "").lower().rstrip("."))
        if wd is None or pub is None:
            return None, "day"
        mod = (g.get("mod") or "").lower()
        back = (pub.weekday() - wd) % 7          # days back to the same weekday (0..6)
        ahead = (wd - pub.weekday()) % 7
        if mod in ("last", "this past", "past"):
            d = pub - timedelta(days=back or 7)
        elif mod in ("next", "this coming", "coming"):
            d = pub + timedelta(days=ahead or 7)
        elif mod == "this":
            d = pub + timedelta(days=wd - pub.weekday())
        elif self._tense(body, s, e) == "future":
            d = pub + timedelta(days=ahead)
        else:
            d = pub - timedelta(days=back)
        return d.isoformat(), "day"

    def _r_relative_weekend(self, g, entry, body, s, e, pub):
        """"the weekend": the coming one in a future clause, else the last one before the
        day of publication (the one under way when published on a Saturday or Sunday)."""
        if pub is None:
            return None, "week"
        if self._tense(body, s, e) == "future":
            saturday = pub + timedelta(days=(5 - pub.weekday()) % 7)
        else:
            saturday = pub - timedelta(days=(pub.weekday() - 5) % 7)
        return _iso_week(saturday), "week"

    def _r_relative_day(self, g, entry, body, s, e, pub):
        if pub is None:
            return None, "day"
        return (pub + timedelta(days=int(entry.get("offset", 0)))).isoformat(), "day"

    _MOD_DELTA = {"last": -1, "this past": -1, "early last": -1, "late last": -1,
                  "next": 1, "this coming": 1, "early next": 1, "late next": 1}

    def _r_relative_unit(self, g, entry, body, s, e, pub):
        unit = self._units.get((g.get("unit") or "").lower(), (g.get("unit") or "").lower())
        gran = "week" if unit == "weekend" else unit
        if gran not in GRANULARITIES:
            return None, None
        if pub is None:
            return None, gran
        mod = " ".join((g.get("mod") or "").lower().split())
        delta = self._MOD_DELTA.get(mod, 0)
        return self._shift(pub, gran, delta)

    def _shift(self, pub: date, gran: str, delta: int):
        if gran == "day":
            return (pub + timedelta(days=delta)).isoformat(), "day"
        if gran == "week":
            return _iso_week(pub + timedelta(days=7 * delta)), "week"
        if gran == "month":
            y, m = _month_shift(pub.year, pub.month, delta)
            return f"{y:04d}-{m:02d}", "month"
        if gran == "year":
            return f"{pub.year + delta:04d}", "year"
        if gran == "decade":
            return f"{(pub.year // 10 + delta) * 10:04d}", "decade"
        return None, None

    def _r_ahead(self, g, entry, body, s, e, pub):
        return self._r_ago(g, entry, body, s, e, pub, sign=1)

    def _r_ago(self, g, entry, body, s, e, pub, sign=-1):
        unit = self._units.get((g.get("unit") or "").lower())
        gran = {"weekend": "week", "decade": "year"}.get(unit, unit)
        num = g.get("num") or ""
        n = int(num) if num.isdigit() else self._numbers.get(" ".join(num.lower().split()))
        if n is None or pub is None or gran not in GRANULARITIES:
            return None, gran if gran in GRANULARITIES else None
        if unit == "decade":
            n *= 10
        return self._shift(pub, gran, sign * int(n))

    _QUARTERS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3,
                 "fourth": 4, "4th": 4}

    def _r_quarter(self, g, entry, body, s, e, pub):
        """"the third quarter (of 2026)", "Q3", "the March quarter": YYYY-Qn; without a year the publication
        year, the next one in a future clause naming an earlier quarter, the previous one
        in a past clause naming a quarter at least two ahead."""
        q = int(g["qnum"]) if g.get("qnum") else self._QUARTERS.get((g.get("qword") or "").lower())
        if g.get("qmonth"):
            q = self._months[g["qmonth"].lower()] // 3          # "the March quarter": Q1
        if not q:
            return None, None
        if g.get("year"):
            return f"{int(g['year']):04d}-Q{q}", "quarter"
        if pub is None:
            return None, "quarter"
        y, now = pub.year, (pub.month - 1) // 3 + 1
        tense = self._tense(body, s, e) if q != now else None
        if tense == "future" and q < now:
            y += 1
        elif tense == "past" and q >= now + 2:
            y -= 1          # "fourth-quarter profit fell", said in February; not the next quarter
            # (a clause with "said ... expected" reads as past: one quarter ahead stays)
        return f"{y:04d}-Q{q}", "quarter"

    def _r_relative_season(self, g, entry, body, s, e, pub):
        if pub is None:
            return None, "year"
        mod = " ".join((g.get("mod") or "").lower().split())
        return f"{pub.year + self._MOD_DELTA.get(mod, 0):04d}", "year"

    def _r_vague(self, g, entry, body, s, e, pub):
        return None, None

    def _r_decade(self, g, entry, body, s, e, pub):
        if g.get("decade"):
            return f"{int(g['decade']):04d}", "decade"
        dd = int(g.get("decade2") or 0)
        ref = pub.year if pub else 2019     # no date: '00s, '10s -> 2000s, 2010s; '20s..'90s -> 1900s
        y = 2000 + dd if 2000 + dd <= ref else 1900 + dd
        return f"{y:04d}", "decade"

    def _r_year(self, g, entry, body, s, e, pub):
        return f"{int(g['year']):04d}", "year"

    _r_year_part = _r_year
