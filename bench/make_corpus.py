#!/usr/bin/env python
"""Synthetic news-article corpus for newsbeam benchmarks.

Reproducible (seeded ``random.Random``), offline, standard library + warcio only.
Articles are composed from our own sentence fragments (bench/templates/fragments.txt):
invented people, towns, companies and teams, plus a pool of real countries, cities and
organisations so entity recognition has work.  Every page carries full site chrome
(header, 20+ nav links, cookie banner, newsletter box, share buttons, "Recommended
Videos" and "Advertisement" blocks inside the article, related links, a long footer,
inline <script>/<style>) and is 30-120 KB.  About 3% of pages repeat an earlier page's
URL (same canonical URL, sometimes with ?utm_ tracking parameters) with identical HTML.

    python bench/make_corpus.py --out bench/corpus --n 2000 [--seed 7] \
        [--formats html,jsonl,warc] [--shard-size 100]

writes, per format, a sub-folder of DIR:

    html/NNNNN/NNNNNNN.html   one page per article, --shard-size files per sub-folder
    html/urls.tsv             relative path <TAB> fetch URL, one line per page
    jsonl/part-NNNNN.jsonl.gz {"url", "html", "source"} per line, --shard-size lines
    warc/part-NNNNN.warc.gz   warcinfo, then request + response per article
                              (text/html; charset=utf-8), plus per shard 1-3
                              image/jpeg responses (figure images), a text/plain
                              robots.txt response and a metadata record; one gzip
                              member per record, deterministic record ids
    manifest.json             parameters and the printed summary

Articles are generated one at a time and streamed to every format (bounded memory).
Other bench scripts can use ``generate_articles(n, seed)``, an iterator of dicts:

    url, html, title, published (ISO 8601 with offset), words (body word count),
    plus ground truth: index, source (domain), site (outlet name), canonical_url,
    duplicate_of (index of the original, or None), topic, authors, dateline (place or
    None), dateline_text (the verbatim prefix, or None), body (paragraphs, dateline
    removed), captions [{"text", "credit"}], date_sources (subset of jsonld / meta /
    url / text: where the publication date can be found), date_mentions [(text, value)]
    (dates written in the body with their resolved ISO value).

Article i depends only on (seed, i) and the template file, so a slice can be regenerated
alone (``generate_articles(n, seed, start=k)``) and every run with the same seed writes
byte-identical files.  Timing: about 2 ms of CPU per article to generate; gzip (level 5)
and JSON encoding add about 2.5 ms per article and format.
"""
from __future__ import annotations

import argparse
import gzip
import hashlib
import html as htmlmod
import io
import json
import math
import re
import sys
import time
import unicodedata
import zlib
from datetime import datetime, timedelta, timezone
from pathlib import Path
from random import Random
from typing import Iterator

__all__ = ["generate_articles", "write_corpus", "SITES"]

TEMPLATES = Path(__file__).resolve().parent / "templates" / "fragments.txt"
DUP_RATE = 0.03
DUP_WINDOW = 250          # a duplicate repeats one of the previous DUP_WINDOW articles
MIN_BYTES, MAX_BYTES = 30_000, 120_000
LARGE_MIN_BYTES, LARGE_MAX_BYTES = 100_000, 300_000   # --large-pages: real-size pages
MIN_WORDS, MAX_WORDS = 800, 1500
MIN_PARAS, MAX_PARAS = 8, 25


# --------------------------------------------------------------------------- fragments
def _load_fragments(path: Path = TEMPLATES) -> dict[str, list[str]]:
    sections: dict[str, list[str]] = {}
    cur = None
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            cur = sections.setdefault(line[1:-1], [])
            continue
        if cur is None:
            raise ValueError(f"{path}: text before the first [section]: {line!r}")
        cur.append(line)
    return sections


F = _load_fragments()
FIRST, LAST = F["names.first"], F["names.last"]
TOPICS = ("politics", "business", "courts", "weather", "science", "sport")
TOPIC_WEIGHTS = (22, 20, 16, 12, 12, 18)
STICKY = {k[7:]: v for k, v in F.items() if k.startswith("sticky.")}
VOCAB = {k[6:]: v for k, v in F.items() if k.startswith("vocab.")}
SLOT_RE = re.compile(r"\{(\w+)\}")
REAL_ORGS = {t: [o.partition("|")[0] for o in F["real.org"] if t in o.partition("|")[2].split()]
             for t in TOPICS}

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
AP_MONTHS = ("Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.",
             "Oct.", "Nov.", "Dec.")
SHORT_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
                "Nov", "Dec")
NUM_WORDS = ("two", "three", "four", "five", "six", "seven", "eight", "nine", "10", "11")
ORDINALS = ("second", "third", "fourth", "fifth", "sixth", "seventh", "eighth")
PREFIXES = ("On {weekday}, ", "Earlier this month, ", "Meanwhile, ", "Separately, ",
            "In {month_past}, ", "At the same time, ", "By most accounts, ")
SUFFIXES = (", {person} said.", ", {person} said on {weekday}.", ", officials said.", ", according to {org}.",
            ", records show.")
SECTIONS = {
    "politics": ("politics", "local-news", "us-news", "news"),
    "business": ("business", "economy", "money"),
    "courts": ("crime", "courts", "local-news", "news"),
    "weather": ("weather", "news", "environment"),
    "science": ("science", "technology", "environment"),
    "sport": ("sport", "sports", "football"),
}

# Invented outlets.  family -> markup; url -> path pattern; dateline -> style weights;
# locale -> date formats; tz -> UTC offset (hours).
SITES = [
    dict(key="herald", name="The Example Herald", domain="www.example-herald.com",
         family="wire", locale="us", tz=-5, title_sep=" | ", case="sentence",
         url="/{y}/{m}/{d}/{section}/{slug}/", dateline={"ap": 7, "none": 3}),
    dict(key="wire", name="Example Wire", domain="news.example-wire.com",
         family="reuters", locale="us", tz=0, title_sep=" | ", case="sentence",
         url="/{section}/{slug}-{y}-{m}-{d}/", dateline={"reuters": 85, "none": 15}),
    dict(key="courier", name="Northfield Example Courier", domain="www.example-courier.com",
         family="local", locale="us", tz=-6, title_sep=" - ", case="title",
         url="/{y}/{m}/{d}/{slug}/", dateline={"local": 5, "none": 5}),
    dict(key="observer", name="The Example Observer", domain="www.example-observer.co.uk",
         family="guardian", locale="uk", tz=0, title_sep=" | ", case="sentence",
         url="/{section}/{y}/{mon}/{d}/{slug}", dateline={"local": 3, "none": 7}),
    dict(key="gazette", name="Example Gazette", domain="www.example-gazette.com",
         family="magazine", locale="us", tz=-5, title_sep=" - ", case="title",
         url="/{section}/{slug}-{id}", dateline={"local": 4, "ap": 2, "none": 4}),
    dict(key="tribune", name="Example Tribune", domain="www.example-tribune.com",
         family="wire", locale="us", tz=-6, title_sep=" | ", case="title",
         url="/news/{section}/article{id}.html", dateline={"ap": 5, "local": 3, "none": 2}),
    dict(key="post", name="The Example Post", domain="www.example-post.com",
         family="local", locale="us", tz=-8, title_sep=" - ", case="sentence",
         url="/{y}/{m}/{d}/{slug}", dateline={"local": 6, "ap": 2, "none": 2}),
    dict(key="chronicle", name="Example Chronicle", domain="www.example-chronicle.com",
         family="magazine", locale="us", tz=-5, title_sep=" | ", case="sentence",
         url="/{y}/{m}/{d}/{section}/{slug}.html", dateline={"ap": 4, "none": 6}),
    dict(key="daily", name="Example Daily", domain="www.example-daily.com.au",
         family="guardian", locale="uk", tz=10, title_sep=" | ", case="sentence",
         url="/{section}/{slug}/news-story/{hex}", dateline={"local": 4, "none": 6}),
    dict(key="ledger", name="The Example Ledger", domain="www.example-ledger.com",
         family="reuters", locale="us", tz=-5, title_sep=" - ", case="title",
         url="/{section}/{y}/{m}/{d}/{slug}", dateline={"reuters": 6, "ap": 2, "none": 2}),
    dict(key="sentinel", name="Example Sentinel", domain="www.example-sentinel.com",
         family="local", locale="us", tz=-7, title_sep=" | ", case="title",
         url="/{section}/{slug}-{id}/", dateline={"local": 7, "none": 3}),
    dict(key="times", name="The Example Times", domain="www.example-times.co.uk",
         family="magazine", locale="uk", tz=0, title_sep=" | ", case="sentence",
         url="/article/{slug}-{hex}", dateline={"local": 3, "none": 7}),
]
for _s in SITES:
    _s["url_has_date"] = "{y}" in _s["url"]
    _s["source"] = _s["domain"].removeprefix("www.").removeprefix("news.")

EPOCH = datetime(2019, 1, 1)
SPAN_DAYS = (datetime(2025, 1, 1) - EPOCH).days       # 2019-01-01 .. 2024-12-31


def _esc(s: str) -> str:
    return htmlmod.escape(s, quote=False)


def _attr(s: str) -> str:
    return htmlmod.escape(s, quote=True)


def _slugify(text: str, limit: int = 80) -> str:
    t = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    t = re.sub(r"[^a-z0-9]+", "-", t).strip("-")
    return t[:limit].rstrip("-") or "story"


def _title_case(text: str) -> str:
    small = {"a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or", "the",
             "to", "with", "after", "over", "amid"}
    words = text.split(" ")
    return " ".join(w if (i and w in small) or not w else w[0].upper() + w[1:]
                    for i, w in enumerate(words))


def _wchoice(rng: Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _make_town(rng: Random) -> str:
    if rng.random() < 0.12:
        return rng.choice(F["town.special"])
    return rng.choice(F["town.prefix"]) + rng.choice(F["town.suffix"])


def _fmt_date(d: datetime, locale: str, style: int = 0) -> str:
    if locale == "uk":
        return f"{d.day} {MONTHS[d.month - 1]} {d.year}"
    if style:
        return f"{AP_MONTHS[d.month - 1]} {d.day}, {d.year}"
    return f"{MONTHS[d.month - 1]} {d.day}, {d.year}"


# --------------------------------------------------------------------------- text
class _Story:
    """Per-article generation context: cast, places, sticky vocabulary, dates."""

    def __init__(self, rng: Random, site: dict, topic: str, pub: datetime):
        self.rng, self.site, self.topic, self.pub = rng, site, topic, pub
        self.locale = site["locale"]
        towns = set()
        while len(towns) < 3:
            towns.add(_make_town(rng))
        self.town, self.town2, self.county = sorted(towns, key=lambda _: rng.random())
        self.state = rng.choice(F["us.state"])
        self.cities = rng.sample(F["real.city"], 2)
        self.countries = rng.sample(F["real.country"], 2)
        self.realorgs = rng.sample(REAL_ORGS[topic], 3)
        self.sticky: dict[str, str] = {}
        self.short: dict[str, str] = {}
        self.mentioned: set = set()
        by_tag: dict[str, list[str]] = {}
        for line in F[f"topic.{topic}.roles"]:
            role, _, tag = line.partition("|")
            by_tag.setdefault(tag or "person", []).append(role)
        tags = list(by_tag)
        rng.shuffle(tags)
        picks = [(rng.choice(by_tag[t]), t) for t in tags]
        all_roles = [(r, t) for t in tags for r in by_tag[t]]
        while len(picks) < rng.randint(3, 5):
            picks.append(rng.choice(all_roles))
        used: set = set()
        self.cast: list[tuple[str, str, str]] = []
        self.tagged: dict[str, list[tuple[str, str, str]]] = {}
        for role, tag in picks:
            person = (self.fill(role), *self._new_name(used))
            self.cast.append(person)
            self.tagged.setdefault(tag, []).append(person)
        self.defendant = ("", *self._new_name(used)) if topic == "courts" else None
        self.dates: list[tuple[str, str]] = []

    def _new_name(self, used: set) -> tuple[str, str]:
        rng = self.rng
        while True:
            first, last = _pick(rng, FIRST), _pick(rng, LAST)
            if last not in used:
                used.add(last)
                return first, last

    # -- people
    def mention(self, p: tuple[str, str, str]) -> str:
        role, first, last = p
        if (first, last) in self.mentioned:
            return last
        self.mentioned.add((first, last))
        return f"{role} {first} {last}" if role else f"{first} {last}"

    def speaker(self, tag: str | None) -> tuple[str, str, str]:
        return _pick(self.rng, self.tagged.get(tag) or self.cast)

    # -- slot filling
    def fill(self, template: str) -> str:
        parts = _PARTS.get(template)
        if parts is None:
            parts = _PARTS[template] = SLOT_RE.split(template)   # [lit, slot, lit, ...]
        if len(parts) == 1:
            return template
        out = parts[:]
        for i in range(1, len(out), 2):                           # left to right
            out[i] = self.slot(out[i])
        return "".join(out)

    def _sticky(self, name: str) -> str:
        v = self.sticky.get(name)
        if v is None:
            raw = _pick(self.rng, STICKY[name])
            long, _, short = raw.partition(" || ")
            v = self.sticky[name] = self.fill(long)
            self.short[name] = self.fill(short) if short else v
        return v

    def slot(self, name: str) -> str:
        f = _SLOTS.get(name)
        if f is not None:
            return f(self, self.rng)
        tagged = self.tagged
        if name in tagged:
            return self.mention(_pick(self.rng, tagged[name]))
        if name[-1] == "f" and name[:-1] in tagged:
            _, first, last = _pick(self.rng, tagged[name[:-1]])
            return f"{first} {last}"
        if name[-1] == "1" and name[:-1] in tagged:
            return self.mention(tagged[name[:-1]][0])
        if name.endswith("_last") and name[:-5] in tagged:
            return tagged[name[:-5]][0][2]
        if name in STICKY:
            return self._sticky(name)
        if name.endswith("_short") and name[:-6] in STICKY:
            self._sticky(name[:-6])
            return self.short[name[:-6]]
        if name in VOCAB:
            return self.fill(_pick(self.rng, VOCAB[name]))
        if name in _TAG_NAMES:      # a tag this topic's cast lacks: anyone will do
            return self.mention(_pick(self.rng, self.cast))
        raise KeyError(f"unknown template slot {{{name}}}")


_PARTS: dict[str, list[str]] = {}
_TAG_NAMES = {line.partition("|")[2] for k, v in F.items() if k.endswith(".roles") for line in v}


def _pick(rng: Random, seq):
    """rng.choice without the Python-level rejection loop (hot path)."""
    return seq[int(rng.random() * len(seq))]


def _ri(rng: Random, a: int, b: int) -> int:
    """rng.randint(a, b), cheaper (hot path)."""
    return a + int(rng.random() * (b - a + 1))


def _money(st: _Story, rng: Random) -> str:
    if rng.random() < 0.5:
        return f"${_ri(rng, 120, 980)},000"
    return f"${_ri(rng, 12, 95) / 10:.1f} million"


def _money_big(st: _Story, rng: Random) -> str:
    if rng.random() < 0.5:
        return f"${_ri(rng, 110, 950)} million"
    return f"${_ri(rng, 11, 95) / 10:.1f} billion"


def _pct(st: _Story, rng: Random) -> str:
    v = _ri(rng, 3, 68)
    return f"{v}%" if st.locale == "uk" or rng.random() < 0.5 else f"{v} percent"


def _vote(st: _Story, rng: Random) -> str:
    a = _ri(rng, 4, 9)
    return f"{a} to {_ri(rng, 1, a - 1)}"


def _score(st: _Story, rng: Random) -> str:
    a = _ri(rng, 1, 5)
    return f"{a}-{_ri(rng, 0, a - 1)}"


def _weekday(st: _Story, rng: Random) -> str:
    d = st.pub - timedelta(days=_pick(rng, (0, 1, 1, 2, 2, 3, 4, 5)))
    v = WEEKDAYS[d.weekday()]
    st.dates.append((v, d.date().isoformat()))
    return v


def _weekday_next(st: _Story, rng: Random) -> str:
    d = st.pub + timedelta(days=_ri(rng, 1, 6))
    v = WEEKDAYS[d.weekday()]
    st.dates.append((v, d.date().isoformat()))
    return v


def _month(sign: int):
    def f(st: _Story, rng: Random) -> str:
        idx = st.pub.month - 1 + sign * _ri(rng, 1, 5)
        y, mo = st.pub.year + idx // 12, idx % 12 + 1
        st.dates.append((MONTHS[mo - 1], f"{y:04d}-{mo:02d}"))
        return MONTHS[mo - 1]
    return f


def _fulldate(future: bool):
    def f(st: _Story, rng: Random) -> str:
        d = st.pub + timedelta(days=_ri(rng, 7, 120)) if future else \
            st.pub - timedelta(days=_ri(rng, 3, 420))
        v = _fmt_date(d, st.locale, st.site["family"] == "wire")
        st.dates.append((v, d.date().isoformat()))
        return v
    return f


def _year_past(st: _Story, rng: Random) -> str:
    y = _ri(rng, 1998, st.pub.year - 2)
    st.dates.append((str(y), str(y)))
    return str(y)


def _year_prev(st: _Story, rng: Random) -> str:
    st.dates.append((str(st.pub.year - 1), str(st.pub.year - 1)))
    return str(st.pub.year - 1)


def _decade(st: _Story, rng: Random) -> str:
    v = _pick(rng, ("the 1970s", "the 1980s", "the 1990s", "the 2000s"))
    st.dates.append((v, v[4:8]))
    return v


_SLOTS = {
    "person": lambda st, rng: st.mention(_pick(rng, st.cast)),
    "personf": lambda st, rng: "%s %s" % _pick(rng, st.cast)[1:],
    "defendant": lambda st, rng: st.mention(st.defendant or st.cast[0]),
    "defendant_last": lambda st, rng: (st.defendant or st.cast[0])[2],
    "defendantf": lambda st, rng: "%s %s" % (st.defendant or st.cast[0])[1:],
    "town": lambda st, rng: st.town,
    "town2": lambda st, rng: st.town2,
    "county": lambda st, rng: st.county,
    "state": lambda st, rng: st.state,
    "city": lambda st, rng: st.cities[0],
    "city2": lambda st, rng: st.cities[1],
    "country": lambda st, rng: st.countries[0],
    "country2": lambda st, rng: st.countries[1],
    "realorg": lambda st, rng: _pick(rng, st.realorgs),
    "first": lambda st, rng: _pick(rng, FIRST),
    "last": lambda st, rng: _pick(rng, LAST),
    "n2": lambda st, rng: str(_ri(rng, 2, 12)),
    "n3": lambda st, rng: str(_ri(rng, 15, 480)),
    "nk": lambda st, rng: f"{_ri(rng, 12, 950) * 100:,}",
    "pct": _pct,
    "money": _money,
    "money_big": _money_big,
    "num_word": lambda st, rng: _pick(rng, NUM_WORDS),
    "ordinal": lambda st, rng: _pick(rng, ORDINALS),
    "vote": _vote,
    "score": _score,
    "score_draw": lambda st, rng: "%d-%d" % ((_ri(rng, 2, 3),) * 2),
    "minute": lambda st, rng: str(_ri(rng, 3, 89)),
    "age": lambda st, rng: str(_ri(rng, 19, 74)),
    "temp": lambda st, rng: str(_ri(rng, 96, 114)),
    "inches": lambda st, rng: _pick(rng, ("3", "4", "5", "6", "8", "2.5", "3.5")),
    "cents": lambda st, rng: str(_ri(rng, 8, 95)),
    "weekday": _weekday,
    "weekday_next": _weekday_next,
    "month_past": _month(-1),
    "month_next": _month(1),
    "fulldate": _fulldate(False),
    "fulldate_future": _fulldate(True),
    "year_past": _year_past,
    "year_prev": _year_prev,
    "decade": _decade,
}
_clash = _TAG_NAMES & (set(STICKY) | set(VOCAB) | set(_SLOTS))
if _clash:
    raise ValueError(f"{TEMPLATES}: role tags shadow other slots: {sorted(_clash)}")


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


class _Pool:
    """A shuffled deck of templates: no repeats until the deck runs out."""

    __slots__ = ("rng", "items", "deck")

    def __init__(self, rng: Random, items: list[str]):
        self.rng, self.items, self.deck = rng, items, []

    def draw(self) -> str:
        if not self.deck:
            self.deck = self.items[:]
        return self.deck.pop(int(self.rng.random() * len(self.deck)))


def _compose_body(st: _Story, lede: str) -> list[str]:
    """Paragraph texts (no dateline), MIN_WORDS..MAX_WORDS words, MIN..MAX_PARAS paras."""
    rng, topic = st.rng, st.topic
    facts_t = _Pool(rng, F[f"topic.{topic}.fact"])
    civic = topic in ("politics", "business", "courts", "weather")
    facts_g = _Pool(rng, F["generic.fact"] + (F["civic.fact"] if civic else []))
    quotes_t = _Pool(rng, F[f"topic.{topic}.quote"])
    quotes_g = _Pool(rng, F["generic.quote"])

    def fact() -> str:
        tpl = facts_t.draw() if rng.random() < 0.6 else facts_g.draw()
        r = rng.random()
        if r < 0.12 and tpl[0] != "{":
            tpl = _pick(rng, PREFIXES) + tpl[0].lower() + tpl[1:]
        elif r > 0.86 and tpl.endswith(".") and "said" not in tpl:
            tpl = tpl[:-1] + _pick(rng, SUFFIXES if civic else SUFFIXES[:2])
        return _cap(st.fill(tpl))

    def quote() -> str:
        raw = quotes_t.draw() if rng.random() < 0.65 else quotes_g.draw()
        tag = None
        if raw[0] == "@":
            tag, _, raw = raw[1:].partition(" ")
        q = _cap(st.fill(raw))
        who = st.mention(st.speaker(tag))
        form = rng.randrange(5)
        if form == 0:
            return f'"{q}," {who} said.'
        if form == 1:
            return f'"{q}," said {who}.'
        if form == 2:
            return _cap(f'{who} said: "{q}."')
        if form == 3:
            return f'"{q}," {who} told reporters on {st.fill("{weekday}")}.'
        q2 = _cap(st.fill(quotes_g.draw()))
        return f'"{q}," {who} said. "{q2}."'

    target = rng.randint(830, 1440)
    n_paras = rng.randint(max(MIN_PARAS, math.ceil(target / 150)),
                          min(MAX_PARAS, target // 42))
    per = target / n_paras
    paras: list[list[str]] = []
    kinds: list[str] = []
    for k in range(n_paras):
        if k == 0:
            kind, sents = "lede", [_cap(st.fill(lede))]
            goal = per * 0.8
        elif k == n_paras - 1:
            kind, sents = "close", [_cap(st.fill(rng.choice(F["generic.close"])))]
            goal = per * 0.5
        elif k > 1 and kinds[-1] != "quote" and rng.random() < 0.3:
            kind, sents, goal = "quote", [quote()], per * rng.uniform(0.5, 1.1)
        else:
            kind, sents, goal = "fact", [fact()], per * rng.uniform(0.7, 1.35)
        wc = sum(len(s.split()) for s in sents)
        while wc < goal - 6 and len(sents) < 6:
            s = fact()
            sents.append(s)
            wc += len(s.split())
        paras.append(sents)
        kinds.append(kind)

    def count() -> int:
        return sum(len(s.split()) for p in paras for s in p)

    total = count()
    middle = [i for i, k in enumerate(kinds) if k == "fact"] or list(range(1, n_paras))
    while total < MIN_WORDS + 10:
        s = fact()
        paras[rng.choice(middle)].append(s)
        total += len(s.split())
    while total > MAX_WORDS - 10:
        i = max(range(n_paras), key=lambda j: len(paras[j]))
        if len(paras[i]) < 2:
            break
        total -= len(paras[i].pop().split())
    return [" ".join(p) for p in paras]


def _dateline(st: _Story, style: str) -> tuple[str | None, str | None]:
    """(place, verbatim prefix) for the first paragraph, or (None, None)."""
    rng, pub = st.rng, st.pub
    if style == "none":
        return None, None
    world = st.topic in ("business", "science") and rng.random() < 0.5
    if style == "ap":
        if world:
            place = st.cities[0]
            return place, f"{place.upper()} (AP) —"
        if st.locale == "us" and rng.random() < 0.7:
            return f"{st.town}, {st.state}", f"{st.town.upper()}, {st.state} (AP) —"
        return st.town, f"{st.town.upper()} (AP) —"
    if style == "reuters":
        place = st.cities[0] if world or rng.random() < 0.4 else st.town
        return place, f"{place.upper()}, {MONTHS[pub.month - 1]} {pub.day} (Reuters) -"
    place = st.town
    return place, f"{place.upper()} {rng.choice(('–', '–', '—'))}"


# --------------------------------------------------------------------------- site assets
_SITE_CACHE: dict[str, dict] = {}
NAV_WORDS = ("News", "Local", "U.S.", "World", "Politics", "Business", "Markets", "Tech",
             "Science", "Health", "Climate", "Weather", "Sports", "Football", "Basketball",
             "Entertainment", "Culture", "Books", "Food", "Travel", "Opinion", "Letters",
             "Obituaries", "Education", "Real Estate", "Autos", "Jobs", "Puzzles",
             "Podcasts", "Video", "Photos", "Newsletters", "Events", "Lifestyle",
             "Crime", "Courts", "Elections", "Environment", "Religion", "Data")
FOOTER_WORDS = ("About Us", "Contact Us", "Careers", "Advertise", "Newsroom Staff",
                "Corrections", "Ethics Policy", "Privacy Policy", "Cookie Policy",
                "Terms of Use", "Accessibility", "Site Map", "RSS Feeds", "Archives",
                "Subscribe", "Manage Subscription", "e-Edition", "Help Center",
                "Submit a News Tip", "Place an Obituary", "Classifieds", "Public Notices",
                "Licensing", "Reprints", "Do Not Sell My Info", "Your Privacy Choices",
                "Gift Subscriptions", "Student Discount", "Mobile Apps", "Alexa Skill",
                "Community Guidelines", "Media Kit", "Events Calendar", "Weather Radar",
                "Traffic", "Lottery", "Horoscopes", "Crosswords", "Sponsored Content",
                "Partner Offers", "Coupons", "Shop", "Newsletters", "Podcasts",
                "Twitter", "Facebook", "Instagram", "YouTube", "LinkedIn", "TikTok")
CSS_PROPS = ("margin:0 auto", "padding:{a}px {b}px", "font-size:{f}rem", "color:#{h}",
             "background:#{h}", "display:flex", "display:grid", "gap:{a}px",
             "line-height:1.{b}", "border-bottom:1px solid #{h}", "max-width:{c}px",
             "font-weight:{w}", "text-transform:uppercase", "position:relative",
             "grid-template-columns:repeat({g},1fr)", "letter-spacing:.0{b}em",
             "align-items:center", "justify-content:space-between", "overflow:hidden",
             "transition:opacity .{b}s ease")


def _site_assets(site: dict) -> dict:
    """Static chrome per outlet (independent of the corpus seed), built once."""
    a = _SITE_CACHE.get(site["key"])
    if a is not None:
        return a
    rng = Random(f"newsbeam-site:{site['key']}")
    dom, name, fam = site["domain"], site["name"], site["family"]
    pfx = {"wire": "Page", "reuters": "rt", "local": "td", "guardian": "dcr",
           "magazine": "c"}[fam]
    rules = []
    for i in range(rng.randint(70, 170)):
        props = ";".join(p.format(a=rng.randint(0, 48), b=rng.randint(1, 9),
                                  c=rng.choice((640, 720, 960, 1140, 1280)),
                                  f=rng.choice((".75", ".875", "1", "1.125", "1.5", "2")),
                                  h="%06x" % rng.getrandbits(24), w=rng.choice((400, 600, 700)),
                                  g=rng.randint(2, 4))
                         for p in rng.sample(CSS_PROPS, rng.randint(2, 5)))
        sel = f".{pfx}-{rng.choice(('nav', 'card', 'hdr', 'ftr', 'story', 'rail', 'btn', 'promo', 'list', 'grid'))}{i}"
        if rng.random() < 0.3:
            sel += f" .{rng.choice(('title', 'item', 'link', 'img', 'label'))}"
        rules.append(f"{sel}{{{props}}}")
    media = "@media (max-width:768px){" + "".join(rules[:12]) + "}"
    css = "<style>" + "".join(rules) + media + "</style>"
    nav_items = rng.sample(NAV_WORDS, rng.randint(22, 32))
    nav = ('<nav class="main-nav" aria-label="Sections"><ul>' + "".join(
        f'<li class="nav-item"><a href="/{_slugify(w)}/">{_esc(w)}</a></li>' for w in nav_items)
        + "</ul></nav>")
    header = (
        f'<header class="site-header {pfx}-header" role="banner">'
        f'<a class="skip-link" href="#main">Skip to content</a>'
        f'<div class="masthead"><a href="/" class="logo" aria-label="{_attr(name)} home">'
        f'<svg viewBox="0 0 240 32" width="240" height="32" role="img"><title>{_esc(name)}</title>'
        f'<path d="M0 0h240v32H0z" fill="#{rng.getrandbits(24):06x}"/></svg></a>'
        '<div class="header-actions"><a href="/search/" class="search">Search</a>'
        '<a href="/subscribe/" class="btn-subscribe">Subscribe</a>'
        '<a href="/account/login/" class="login">Log in</a></div></div>' + nav + "</header>")
    cookie = (
        '<div id="cookie-consent" class="cookie-banner" role="dialog" aria-live="polite">'
        f'<p>We and our partners use cookies and similar technologies to run {_esc(name)}, '
        'measure traffic and personalise ads and content. You can accept all cookies, '
        'reject non-essential ones or change your choices at any time under Privacy '
        'Settings at the bottom of every page.</p>'
        '<button type="button" class="cookie-accept">Accept all</button>'
        '<button type="button" class="cookie-reject">Reject non-essential</button>'
        '<a href="/privacy/cookies/">Manage preferences</a></div>')
    groups = []
    words = list(FOOTER_WORDS)
    rng.shuffle(words)
    n_links = rng.randint(40, len(words))
    for g in range(4):
        chunk = words[g * n_links // 4:(g + 1) * n_links // 4]
        groups.append(f'<div class="footer-col"><h4>{("Company", "Subscriptions", "Services", "Follow Us")[g]}</h4><ul>'
                      + "".join(f'<li><a href="/{_slugify(w)}/">{_esc(w)}</a></li>' for w in chunk)
                      + "</ul></div>")
    sister = "".join(f'<a href="https://{s["domain"]}/">{_esc(s["name"])}</a>'
                     for s in SITES if s is not site)
    footer_head = (f'<footer class="site-footer" role="contentinfo"><div class="footer-cols">'
                   + "".join(groups) + f'</div><div class="network">Our network: {sister}</div>')
    analytics = (
        "<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments);}"
        f"gtag('js',new Date());gtag('config','G-{rng.getrandbits(40):010X}',{{anonymize_ip:true}});"
        "(function(d,s){var j=d.createElement(s);j.async=true;"
        f"j.src='https://cdn.{dom.split('.', 1)[1]}/static/js/main.{rng.getrandbits(32):08x}.js';"
        "d.head.appendChild(j);})(document,'script');</script>")
    a = dict(css=css, header=header, cookie=cookie, footer_head=footer_head,
             analytics=analytics, pfx=pfx)
    _SITE_CACHE[site["key"]] = a
    return a


# --------------------------------------------------------------------------- teasers
_TEASER_CACHE: dict[int, list[tuple[str, str, str, str]]] = {}


def _teasers(seed: int) -> list[tuple[str, str, str, str]]:
    """(headline, url, summary, JSON fields) pool used for related links and the page-state blob."""
    pool = _TEASER_CACHE.get(seed)
    if pool is not None:
        return pool
    rng = Random(f"newsbeam-teasers:{seed}")
    pool = []
    for _ in range(2500):
        site = rng.choice(SITES)
        topic = rng.choice(TOPICS)
        pub = EPOCH + timedelta(days=rng.randrange(SPAN_DAYS), minutes=rng.randrange(1440))
        st = _Story(rng, site, topic, pub)
        head = _cap(st.fill(rng.choice(F[f"topic.{topic}.headline"])))
        summary = _cap(st.fill(rng.choice(F[f"topic.{topic}.fact"])))
        url, section = _article_url(rng, site, topic, pub, head)
        js = (f'"headline":{json.dumps(head, ensure_ascii=False)},"url":{json.dumps(url)},'
              f'"section":"{section}","summary":{json.dumps(summary, ensure_ascii=False)},'
              f'"byline":"{rng.choice(FIRST)} {rng.choice(LAST)}","sponsored":false')
        pool.append((head, url, summary, js))
    if len(_TEASER_CACHE) > 4:
        _TEASER_CACHE.clear()
    _TEASER_CACHE[seed] = pool
    return pool


def _article_url(rng: Random, site: dict, topic: str, pub: datetime, title: str) -> tuple[str, str]:
    section = rng.choice(SECTIONS[topic])
    path = site["url"].format(
        y=f"{pub.year:04d}", m=f"{pub.month:02d}", d=f"{pub.day:02d}",
        mon=SHORT_MONTHS[pub.month - 1].lower(), section=section,
        slug=_slugify(title), id=rng.randint(10_000_000, 99_999_999),
        hex="%016x" % rng.getrandbits(64))
    return f"https://{site['domain']}{path}", section


# --------------------------------------------------------------------------- page
FAMILY = {
    # body wrapper open/close, paragraph open tag, paragraph close tag
    "wire": ('<div class="RichTextStoryBody RichTextBody">', "</div>", "<p>", "</p>"),
    "reuters": ('<div class="article-body__content" data-testid="ArticleBody">', "</div>",
                '<div data-testid="paragraph-{i}" class="text__text article-body__paragraph">',
                "</div>"),
    "local": ('<div class="entry-content td-post-content">', "</div>", "<p>", "</p>"),
    "guardian": ('<div id="maincontent" class="article-body-commercial-selector '
                 'article-body-viewer-selector">', "</div>", '<p class="dcr-s23rjr">', "</p>"),
    "magazine": ('<section itemprop="articleBody" class="article__body">', "</section>",
                 '<p class="article__paragraph">', "</p>"),
}


def _visible_time(st: _Story, dt: datetime) -> str:
    rng = st.rng
    h12 = dt.hour % 12 or 12
    ampm = "PM" if dt.hour >= 12 else "AM"
    if st.locale == "uk":
        v = (f"{WEEKDAYS[dt.weekday()][:3]} {dt.day} {SHORT_MONTHS[dt.month - 1]} {dt.year} "
             f"{dt.hour:02d}.{dt.minute:02d}")
    else:
        v = rng.choice((
            f"Updated {h12}:{dt.minute:02d} {ampm}, {MONTHS[dt.month - 1]} {dt.day}, {dt.year}",
            f"Published {AP_MONTHS[dt.month - 1]} {dt.day}, {dt.year} at {h12}:{dt.minute:02d} "
            f"{'p.m.' if ampm == 'PM' else 'a.m.'}",
            f"{MONTHS[dt.month - 1]} {dt.day}, {dt.year}",
            f"{dt.month:02d}/{dt.day:02d}/{dt.year} {h12}:{dt.minute:02d} {ampm}"))
    return f'<time datetime="{dt.isoformat(timespec="seconds")}">{v}</time>'


def _byline(st: _Story, authors: list[str], fam: str) -> str:
    rng = st.rng
    links = [f'<a class="author-link" rel="author" href="/people/{_slugify(a)}/">'
             f'{_esc(a.upper() if fam == "wire" else a)}</a>' for a in authors]
    joined = " and ".join(links) if len(links) < 3 else ", ".join(links[:-1]) + " and " + links[-1]
    if fam == "local" and rng.random() < 0.5:
        return f'<div class="byline">{joined}, {rng.choice(("Staff Writer", "Staff Reporter", "Correspondent"))}</div>'
    if fam == "guardian":
        return f'<address class="byline">{joined}{" in " + _esc(st.cities[0]) if rng.random() < 0.4 else ""}</address>'
    if fam == "magazine" and rng.random() < 0.3:
        return f'<p class="byline">Words by {joined}</p>'
    return f'<div class="byline">By {joined}</div>'


def _figure(st: _Story, cap: str, credit: str, idx: int, lead: bool) -> str:
    rng = st.rng
    w = rng.choice((1024, 1200, 1600, 2048))
    h = w * rng.choice((9, 10, 12)) // 16
    src = (f"https://{st.site['domain'].replace('www.', 'img.', 1)}/images/{st.pub.year}/"
           f"{st.pub.month:02d}/{rng.getrandbits(48):012x}.jpg")
    srcset = ", ".join(f"{src}?w={x} {x}w" for x in (320, 640, 960, 1280))
    cls = "lead-figure" if lead else "inline-figure"
    return (f'<figure class="{cls}" data-index="{idx}"><img src="{src}?w=1280" srcset="{srcset}" '
            f'sizes="(max-width: 768px) 100vw, 720px" alt="{_attr(cap)}" width="{w}" height="{h}" '
            f'loading="{"eager" if lead else "lazy"}" decoding="async">'
            f'<figcaption>{_esc(cap)} <span class="credit">{_esc(credit)}</span></figcaption></figure>')


def _related(rng: Random, pool, site: dict, k: int, title: str = "Related") -> str:
    items = rng.sample(pool, k)
    lis = "".join(f'<li><a href="{_attr(u)}">{_esc(h)}</a></li>' for h, u, *_ in items)
    return f'<aside class="related-links" aria-label="{title}"><h2>{title}</h2><ul>{lis}</ul></aside>'


def _videos(rng: Random, pool) -> str:
    lis = "".join(
        f'<li class="video-card"><a href="/video/{_slugify(h, 50)}-{rng.getrandbits(32):08x}">'
        f'<span class="video-title">{_esc(h)}</span>'
        f'<span class="duration">{rng.randint(0, 4)}:{rng.randint(0, 59):02d}</span></a></li>'
        for h, *_ in rng.sample(pool, rng.randint(3, 5)))
    return (f'<div class="recommended-videos" data-module="video-rail"><h3>Recommended Videos</h3>'
            f'<ul>{lis}</ul></div>')


def _ad(rng: Random, n: int) -> str:
    size = rng.choice(("300x250", "728x90", "320x50", "970x250"))
    return (f'<div class="ad-container"><p class="ad-label">Advertisement</p>'
            f'<div id="ad-slot-{n}" class="ad-slot" data-size="{size}" data-lazy="true"></div></div>')


NEWSLETTER = ('<aside class="newsletter-signup"><h3>{title}</h3><p>{blurb}</p>'
              '<form action="/newsletters/subscribe" method="post"><label for="nl-email">'
              'Email address</label><input id="nl-email" type="email" name="email" '
              'placeholder="you@example.com" required><button type="submit">Sign up</button>'
              '</form><p class="small">By signing up you agree to our Terms of Use and '
              'acknowledge our Privacy Policy.</p></aside>')
NEWSLETTER_COPY = (("Get the morning briefing", "The day's most important stories, in your inbox before breakfast."),
                   ("Sign up for Breaking News", "Be the first to know when news breaks."),
                   ("The Weekend Read", "Our best long reads, every Saturday morning."))


def _share(url: str) -> str:
    q = _attr(url)
    return ('<div class="share-tools" role="group" aria-label="Share this article">'
            f'<a class="share-facebook" href="https://www.facebook.com/sharer/sharer.php?u={q}">Facebook</a>'
            f'<a class="share-x" href="https://twitter.com/intent/tweet?url={q}">X</a>'
            f'<a class="share-linkedin" href="https://www.linkedin.com/shareArticle?url={q}">LinkedIn</a>'
            f'<a class="share-email" href="mailto:?body={q}">Email</a>'
            '<button type="button" class="share-copy">Copy link</button></div>')


def _state_blob(rng: Random, pool, site: dict, need: int) -> str:
    """Padding: a Next.js-style page-state JSON script of roughly `need` bytes."""
    parts = []
    size = 0
    img = f"https://img.{site['source']}/r/"
    while size < need:
        item = _pick(rng, pool)[3]
        n = rng.getrandbits(32)
        part = f'{{"id":"{n:08x}",{item},"image":"{img}{n % 100000}.jpg"}}'
        parts.append(part)
        size += len(part) + 1
    return ('<script id="__NEXT_DATA__" type="application/json">{"props":{"pageProps":{"rail":['
            + ",".join(parts) + ']}},"page":"/article","buildId":"'
            + f'{rng.getrandbits(40):010x}"}}</script>')


def _mega_nav(rng: Random, pool, site: dict, need: int) -> str:
    """Padding for --large-pages: a mega-menu of section links, as big news sites carry."""
    cols, size = [], 0
    while size < need:
        links = []
        for _ in range(12):
            head, url = _pick(rng, pool)[:2]
            links.append(f'<li class="mega-item"><a href="{_attr(url)}" data-track="nav">{_esc(head[:60])}</a></li>')
        col = f'<div class="mega-col"><h4 class="mega-head">More</h4><ul class="mega-list">{"".join(links)}</ul></div>'
        cols.append(col)
        size += len(col)
    return f'<nav class="mega-menu" aria-label="All sections" hidden>{"".join(cols)}</nav>'


def _jsonld(obj: dict) -> str:
    s = json.dumps(obj, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    return f'<script type="application/ld+json">{s}</script>'


def _build_article(seed: int, index: int, large: bool = False) -> dict:
    rng = Random(f"newsbeam:{seed}:{index}")
    rng.random()                       # the duplicate draw (see _is_dup)
    rng.random()
    site = rng.choice(SITES)
    topic = rng.choices(TOPICS, weights=TOPIC_WEIGHTS)[0]
    tz = timezone(timedelta(hours=site["tz"]))
    pub = (EPOCH + timedelta(days=rng.randrange(SPAN_DAYS),
                             minutes=rng.randrange(5 * 60, 23 * 60))).replace(tzinfo=tz)
    st = _Story(rng, site, topic, pub)
    assets = _site_assets(site)
    pool = _teasers(seed)
    fam = site["family"]

    head_t, _, lede_t = rng.choice(F[f"topic.{topic}.lede"]).partition(" || ")
    title = _cap(st.fill(head_t))
    if site["case"] == "title":
        title = _title_case(title)
    url, section = _article_url(rng, site, topic, pub, title)
    authors = [f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(rng.choice((1, 1, 1, 2, 2, 3)))]
    st.dates.clear()
    body = _compose_body(st, lede_t)
    date_mentions = list(st.dates)
    words = sum(len(p.split()) for p in body)
    place, dl_text = _dateline(st, _wchoice(rng, site["dateline"]))

    # publication-date sources
    if site["url_has_date"]:
        mode = _wchoice(rng, {"jsonld": 3, "meta": 2, "both": 3, "url_only": 2})
    else:
        mode = _wchoice(rng, {"jsonld": 4, "meta": 3, "both": 3})
    use_jsonld, use_meta = mode in ("jsonld", "both"), mode in ("meta", "both")
    show_time = mode != "url_only" and rng.random() < 0.7
    sources = [s for s, on in (("jsonld", use_jsonld), ("meta", use_meta),
                               ("url", site["url_has_date"]), ("text", show_time)) if on]
    modified = pub + timedelta(minutes=rng.randint(5, 60 * 30))

    # figures
    n_fig = rng.randint(1, 4)
    captions = []
    cap_pool = _Pool(rng, F[f"topic.{topic}.caption"])
    for _ in range(n_fig):
        cap = _cap(st.fill(cap_pool.draw()))
        agency = site["name"].removeprefix("The ") if rng.random() < 0.25 else rng.choice(VOCAB["agency_credit"])
        captions.append({"text": cap, "credit": f"{rng.choice(FIRST)} {rng.choice(LAST)}/{agency}"})
    lead_fig = rng.random() < 0.7

    # ---- head
    desc = body[0][:200].rsplit(" ", 1)[0] + "…" if len(body[0]) > 200 else body[0]
    img0 = f"https://{site['domain'].replace('www.', 'img.', 1)}/og/{rng.getrandbits(48):012x}.jpg"
    out = ['<!DOCTYPE html>\n<html lang="en-', "GB" if st.locale == "uk" else "US",
           '"><head><meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f'<title>{_esc(title + site["title_sep"] + site["name"])}</title>',
           f'<meta name="description" content="{_attr(desc)}">',
           f'<link rel="canonical" href="{_attr(url)}">',
           f'<meta property="og:site_name" content="{_attr(site["name"])}">',
           '<meta property="og:type" content="article">',
           f'<meta property="og:title" content="{_attr(title)}">',
           f'<meta property="og:url" content="{_attr(url)}">',
           f'<meta property="og:image" content="{img0}">',
           '<meta name="twitter:card" content="summary_large_image">',
           f'<meta name="author" content="{_attr(", ".join(authors))}">',
           f'<meta property="article:section" content="{_attr(section)}">']
    if use_meta:
        out.append(f'<meta property="article:published_time" content="{pub.isoformat(timespec="seconds")}">')
        if rng.random() < 0.5:
            out.append(f'<meta property="article:modified_time" content="{modified.isoformat(timespec="seconds")}">')
    out.append('<link rel="preconnect" href="https://fonts.example-cdn.net">')
    out.append(assets["css"])
    if use_jsonld:
        ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": title,
              "datePublished": pub.isoformat(timespec="seconds"),
              "author": [{"@type": "Person", "name": a} for a in authors],
              "publisher": {"@type": "Organization", "name": site["name"],
                            "logo": {"@type": "ImageObject", "url": f"https://{site['domain']}/logo.png"}},
              "image": [img0], "mainEntityOfPage": url, "articleSection": section,
              "wordCount": words}
        if rng.random() < 0.6:
            ld["dateModified"] = modified.isoformat(timespec="seconds")
        out.append(_jsonld(ld))
    elif rng.random() < 0.5:
        out.append(_jsonld({"@context": "https://schema.org", "@type": "WebSite",
                            "name": site["name"], "url": f"https://{site['domain']}/",
                            "potentialAction": {"@type": "SearchAction",
                                                "target": f"https://{site['domain']}/search?q={{q}}",
                                                "query-input": "required name=q"}}))
    out.append(assets["analytics"])
    out.append(f'</head><body class="article-page {topic}">')
    out.append(assets["cookie"])
    out.append(assets["header"])

    # ---- article
    open_b, close_b, p_open, p_close = FAMILY[fam]
    out.append(f'<main id="main"><article class="article {assets["pfx"]}-article" data-section="{_attr(section)}">')
    out.append(f'<header class="article-header"><p class="kicker"><a href="/{_attr(section)}/">'
               f'{_esc(section.replace("-", " ").title())}</a></p>'
               f'<h1 class="headline">{_esc(title)}</h1>')
    out.append(_byline(st, authors, fam))
    if show_time:
        out.append(_visible_time(st, pub))
    out.append(_share(url))
    out.append("</header>")
    fig_html = [_figure(st, c["text"], c["credit"], i, lead_fig and i == 0)
                for i, c in enumerate(captions)]
    if lead_fig:
        out.append(fig_html.pop(0))
    out.append(open_b)
    n = len(body)
    slots: dict[int, list[str]] = {}
    for k, f in enumerate(fig_html):                  # remaining figures between paragraphs
        slots.setdefault(rng.randint(1, n - 1), []).append(f)
    for a in range(rng.randint(2, 4)):
        slots.setdefault(rng.randint(2, n - 1), []).append(_ad(rng, a))
    slots.setdefault(rng.randint(2, max(2, n // 2)), []).append(_videos(rng, pool))
    if rng.random() < 0.5:
        h, u, *_ = rng.choice(pool)
        label = {"guardian": "Read more: ", "wire": "RELATED: "}.get(fam, "READ MORE: ")
        slots.setdefault(rng.randint(3, n - 1), []).append(
            f'{p_open.format(i="x")}<strong>{label}<a href="{_attr(u)}">{_esc(h)}</a></strong>{p_close}')
    esc_town = _esc(st.town)
    for i, text in enumerate(body):
        t = _esc(text)
        if i == 0 and dl_text:
            t = (f'<span class="dateline">{_esc(dl_text)}</span> {t}' if rng.random() < 0.3
                 else f"{_esc(dl_text)} {t}")
        elif i and rng.random() < 0.12 and esc_town in t:
            t = t.replace(esc_town, f'<a href="/tag/{_slugify(st.town)}/">{esc_town}</a>', 1)
        out.append(p_open.format(i=i) if "{i}" in p_open else p_open)
        out.append(t)
        out.append(p_close)
        for extra in slots.get(i, ()):
            out.append(extra)
    # wire-style boilerplate lines at the end of the body
    if fam == "reuters" and rng.random() < 0.8:
        out.append(f'{p_open.format(i=n)}Reporting by {_esc(authors[0])} in {_esc(place or st.cities[0])}; '
                   f'Editing by {_esc(rng.choice(FIRST) + " " + rng.choice(LAST))}{p_close}')
    elif fam == "wire" and rng.random() < 0.5:
        out.append(f'{p_open}Associated Press writer {_esc(rng.choice(FIRST) + " " + rng.choice(LAST))} '
                   f'in {_esc(st.cities[1])} contributed to this report.{p_close}')
    elif fam == "local" and rng.random() < 0.6:
        a0 = authors[0]
        out.append(f'<p class="author-bio"><em>{_esc(a0)} covers {topic} for {_esc(site["name"])}. '
                   f'Reach {_esc(a0.split()[0])} at {_slugify(a0).replace("-", ".")}@{site["source"]}.</em></p>')
    out.append(close_b)
    out.append(NEWSLETTER.format(**dict(zip(("title", "blurb"), rng.choice(NEWSLETTER_COPY)))))
    out.append(_share(url))
    tags = "".join(f'<li><a href="/tag/{_slugify(t)}/">{_esc(t)}</a></li>'
                   for t in (st.town, st.cities[0], st.countries[0], topic.title()))
    out.append(f'<ul class="tags">{tags}</ul>')
    out.append("</article>")
    out.append(_related(rng, pool, site, rng.randint(4, 8), "Related"))
    out.append('<aside class="most-popular"><h2>Most Popular</h2><ol>' + "".join(
        f'<li><a href="{_attr(u)}">{_esc(h)}</a></li>' for h, u, *_ in rng.sample(pool, 5)) + "</ol></aside>")
    out.append(_ad(rng, 9))
    out.append("</main>")
    out.append(assets["footer_head"])
    crawl_year = min(pub.year + rng.choice((0, 0, 1)), 2025)
    out.append(f'<p class="copyright">© {crawl_year} {_esc(site["name"])}. All rights reserved.</p></footer>')
    out.append(f"<script>window.__ARTICLE__={{id:'{rng.getrandbits(64):016x}',section:'{section}',"
               f"topic:'{topic}',words:{words},paywall:{str(rng.random() < 0.3).lower()}}};</script>")
    page = "".join(out)
    tail = "</body></html>\n"
    size = len(page.encode("utf-8")) + len(tail)
    target = min(int(rng.triangular(MIN_BYTES + 1500, MAX_BYTES - 2500, 48_000)), MAX_BYTES - 2000)
    if target - size > 400:
        page += _state_blob(rng, pool, site, target - size - 260)
    if large:                  # same article, then navigation and page state up to 100-300 KB
        big = int(rng.triangular(LARGE_MIN_BYTES + 5000, LARGE_MAX_BYTES - 20_000, 160_000))
        extra = big - len(page.encode("utf-8")) - len(tail)
        if extra > 2000:
            page += _mega_nav(rng, pool, site, extra // 2)
            page += _state_blob(rng, pool, site, big - len(page.encode("utf-8")) - len(tail) - 260)
    page += tail
    return {
        "url": url, "html": page, "title": title,
        "published": pub.isoformat(timespec="seconds"), "words": words,
        "source": site["source"], "site": site["name"], "canonical_url": url,
        "duplicate_of": None, "topic": topic, "authors": authors,
        "dateline": place, "dateline_text": dl_text, "body": body, "captions": captions,
        "date_sources": sources, "date_mentions": date_mentions,
    }


def _is_dup(seed: int, index: int) -> bool:
    return index > 0 and Random(f"newsbeam:{seed}:{index}").random() < DUP_RATE


def _dup_source(seed: int, index: int) -> int:
    rng = Random(f"newsbeam:{seed}:{index}")
    rng.random()
    j = index - 1 - int(rng.random() * min(index, DUP_WINDOW))
    while _is_dup(seed, j):
        j -= 1
    return j


def _dup_url(rng: Random, url: str) -> str:
    if rng.random() < 0.4:
        return url
    src = rng.choice(("twitter", "facebook", "newsletter", "google", "rss", "flipboard"))
    med = {"newsletter": "email", "rss": "feed"}.get(src, "social")
    q = f"utm_source={src}&utm_medium={med}"
    if rng.random() < 0.6:
        q += f"&utm_campaign={rng.choice(('morning-briefing', 'breaking', 'share', 'weekend'))}"
    return url + ("&" if "?" in url else "?") + q


def generate_articles(n: int, seed: int = 7, start: int = 0, large: bool = False) -> Iterator[dict]:
    """Yield articles start..n-1 of the corpus for `seed`, one dict at a time.

    Article i depends only on (seed, i), so any slice can be regenerated on its own.
    A duplicate (about 3%) re-renders an earlier article j: identical HTML, the same
    canonical URL, `url` either identical or with ?utm_ parameters, duplicate_of=j.
    `large`: the same articles in pages of 100-300 KB (more navigation and page state).
    """
    for i in range(start, n):
        if _is_dup(seed, i):
            j = _dup_source(seed, i)
            art = _build_article(seed, j, large)
            art["duplicate_of"] = j
            art["url"] = _dup_url(Random(f"newsbeam-dup:{seed}:{i}"), art["canonical_url"])
        else:
            art = _build_article(seed, i, large)
        art["index"] = i
        yield art


# --------------------------------------------------------------------------- writers
class _HtmlWriter:
    def __init__(self, root: Path, shard_size: int):
        self.root, self.shard_size = root, shard_size
        root.mkdir(parents=True, exist_ok=True)
        self.index = open(root / "urls.tsv", "w", encoding="utf-8", newline="\n")
        self.bytes = 0
        self.files = 0
        self._dir = None

    def write(self, i: int, art: dict, data: bytes) -> None:
        shard = i // self.shard_size
        d = self.root / f"{shard:05d}"
        if d != self._dir:
            d.mkdir(exist_ok=True)
            self._dir = d
        rel = f"{shard:05d}/{i:07d}.html"
        (self.root / rel).write_bytes(data)
        self.index.write(f"{rel}\t{art['url']}\n")
        self.bytes += len(data)
        self.files += 1

    def close(self) -> None:
        self.index.close()


class _JsonlWriter:
    def __init__(self, root: Path, shard_size: int, level: int):
        self.root, self.shard_size, self.level = root, shard_size, level
        root.mkdir(parents=True, exist_ok=True)
        self.f = None
        self.shard = -1
        self.bytes = 0
        self.files = 0

    def write(self, i: int, art: dict, data: bytes) -> None:
        shard = i // self.shard_size
        if shard != self.shard:
            self.close()
            self.shard = shard
            path = self.root / f"part-{shard:05d}.jsonl.gz"
            self.raw = open(path, "wb")
            self.f = gzip.GzipFile(filename="", mode="wb", fileobj=self.raw,
                                   compresslevel=self.level, mtime=0)
            self.files += 1
        line = json.dumps({"url": art["url"], "html": art["html"], "source": art["source"]},
                          ensure_ascii=False)
        self.f.write(line.encode("utf-8"))
        self.f.write(b"\n")

    def close(self) -> None:
        if self.f is not None:
            self.f.close()
            self.bytes += self.raw.tell()
            self.raw.close()
            self.f = None


class _WarcWriter:
    """Per-record gzip members (standard .warc.gz), deterministic record ids and dates."""

    def __init__(self, root: Path, shard_size: int, level: int, seed: int):
        from warcio.statusandheaders import StatusAndHeaders
        from warcio.warcwriter import WARCWriter
        self.SH = StatusAndHeaders
        self.root, self.shard_size, self.level, self.seed = root, shard_size, level, seed
        root.mkdir(parents=True, exist_ok=True)
        self.buf = io.BytesIO()
        self.writer = WARCWriter(self.buf, gzip=False, warc_version="1.0")
        self.f = None
        self.shard = -1
        self.bytes = 0
        self.files = 0
        self.extras: list[tuple[str, str]] = []

    def _rid(self, *key) -> str:
        h = hashlib.sha1(repr((self.seed,) + key).encode()).hexdigest()
        return f"<urn:uuid:{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}>"

    def _flush(self) -> None:
        data = self.buf.getvalue()
        self.buf.seek(0)
        self.buf.truncate()
        c = zlib.compressobj(self.level, zlib.DEFLATED, 31)
        self.f.write(c.compress(data) + c.flush())

    def _write(self, record) -> None:
        """One record -> one gzip member, as readers that seek expect."""
        self.writer.write_record(record)
        self._flush()

    def _record(self, uri, rtype, payload: bytes, http=None, date="", ctype="", **extra):
        self.n_records += 1
        hdrs = {"WARC-Record-ID": self._rid(self.shard, self.n_records, rtype, uri, date),
                "WARC-Date": date}
        hdrs.update(extra)
        if uri:
            hdrs["WARC-Target-URI"] = uri
        return self.writer.create_warc_record(uri, rtype, payload=io.BytesIO(payload),
                                              length=len(payload), http_headers=http,
                                              warc_content_type=ctype, warc_headers_dict=hdrs)

    def _open(self, shard: int, date: str) -> None:
        self.close()
        self.shard = shard
        name = f"part-{shard:05d}.warc.gz"
        self.f = open(self.root / name, "wb")
        self.files += 1
        self.n_records = 0
        self.host = None
        info = (f"software: newsbeam bench/make_corpus.py\r\nformat: WARC File Format 1.0\r\n"
                f"description: synthetic news corpus, seed {self.seed}, shard {shard}\r\n"
                f"isPartOf: newsbeam-bench-{self.seed}\r\n").encode()
        rec = self._record("", "warcinfo", info, date=date, ctype="application/warc-fields",
                           **{"WARC-Filename": name})
        self._write(rec)
        self.extras = []

    def write(self, i: int, art: dict, data: bytes) -> None:
        rng = Random(f"newsbeam-warc:{self.seed}:{i}")
        pub = datetime.fromisoformat(art["published"]).astimezone(timezone.utc)
        crawl = pub + timedelta(minutes=rng.randint(10, 60 * 24 * 20))
        date = crawl.strftime("%Y-%m-%dT%H:%M:%SZ")
        shard = i // self.shard_size
        if shard != self.shard:
            self._open(shard, date)
        url = art["url"]
        host = url.split("/")[2]
        self.host = self.host or host
        path = "/" + url.split("/", 3)[3]
        http_date = crawl.strftime("%a, %d %b %Y %H:%M:%S GMT")
        req_http = self.SH(f"GET {path} HTTP/1.1", [
            ("Host", host), ("User-Agent", "Mozilla/5.0 (compatible; newsbeam-bench/1.0)"),
            ("Accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"),
            ("Accept-Encoding", "identity")], protocol="HTTP/1.1")
        resp_http = self.SH("200 OK", [
            ("Date", http_date), ("Server", rng.choice(("nginx", "Apache", "cloudflare", "AmazonS3"))),
            ("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(data))),
            ("Cache-Control", "max-age=300"), ("X-Cache", rng.choice(("HIT", "MISS")))],
            protocol="HTTP/1.1")
        resp = self._record(url, "response", data, http=resp_http, date=date,
                            ctype="application/http; msgtype=response")
        req = self._record(url, "request", b"", http=req_http, date=date,
                           ctype="application/http; msgtype=request")
        req.rec_headers.add_header("WARC-Concurrent-To", resp.rec_headers.get_header("WARC-Record-ID"))
        self._write(req)
        self._write(resp)
        if not self.extras or (len(self.extras) < 3 and rng.random() < 0.04):
            self.extras.append((url, date))
            img_url = re.search(r'<img src="([^"?]+)', art["html"]).group(1)
            body = (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
                    + rng.randbytes(rng.randint(2000, 9000)) + b"\xff\xd9")
            http = self.SH("200 OK", [("Date", http_date), ("Content-Type", "image/jpeg"),
                                      ("Content-Length", str(len(body)))], protocol="HTTP/1.1")
            self._write(self._record(img_url, "response", body, http=http, date=date,
                                     ctype="application/http; msgtype=response"))

    def close(self) -> None:
        if self.f is None:
            return
        # per shard: robots.txt (text/plain) of the shard's first host and a metadata record
        date = self.extras[0][1] if self.extras else "2025-01-01T00:00:00Z"
        robots = b"User-agent: *\nDisallow: /account/\nDisallow: /search\n"
        http = self.SH("200 OK", [("Content-Type", "text/plain"),
                                  ("Content-Length", str(len(robots)))], protocol="HTTP/1.1")
        self._write(self._record(f"https://{self.host or 'www.example-herald.com'}/robots.txt",
                                 "response", robots, http=http, date=date,
                                 ctype="application/http; msgtype=response"))
        meta = (f"shard: {self.shard}\r\nextra-responses: {len(self.extras)}\r\n"
                f"generator: newsbeam bench/make_corpus.py\r\n").encode()
        self._write(self._record(f"metadata://newsbeam-bench/shard/{self.shard}",
                                 "metadata", meta, date=date, ctype="application/warc-fields"))
        self.bytes += self.f.tell()
        self.f.close()
        self.f = None


def write_corpus(out: Path, n: int, seed: int = 7, formats=("html", "jsonl", "warc"),
                 shard_size: int = 100, level: int = 5, progress: bool = False) -> dict:
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    writers = {}
    if "html" in formats:
        writers["html"] = _HtmlWriter(out / "html", shard_size)
    if "jsonl" in formats:
        writers["jsonl"] = _JsonlWriter(out / "jsonl", shard_size, level)
    if "warc" in formats:
        writers["warc"] = _WarcWriter(out / "warc", shard_size, level, seed)
    t0, c0 = time.perf_counter(), time.process_time()
    stats = dict(articles=0, duplicates=0, words=0, html_bytes=0,
                 min_page_bytes=None, max_page_bytes=0, min_words=None, max_words=0)
    try:
        for art in generate_articles(n, seed):
            data = art["html"].encode("utf-8")
            for w in writers.values():
                w.write(art["index"], art, data)
            stats["articles"] += 1
            stats["duplicates"] += art["duplicate_of"] is not None
            stats["words"] += art["words"]
            stats["html_bytes"] += len(data)
            stats["min_page_bytes"] = min(stats["min_page_bytes"] or len(data), len(data))
            stats["max_page_bytes"] = max(stats["max_page_bytes"], len(data))
            stats["min_words"] = min(stats["min_words"] or art["words"], art["words"])
            stats["max_words"] = max(stats["max_words"], art["words"])
            if progress and stats["articles"] % 5000 == 0:
                el = time.perf_counter() - t0
                print(f"  {stats['articles']:,} articles, {el:.1f}s", file=sys.stderr, flush=True)
    finally:
        for w in writers.values():
            w.close()
    stats["seconds"] = round(time.perf_counter() - t0, 2)
    stats["cpu_seconds"] = round(time.process_time() - c0, 2)
    try:
        import resource
        stats["max_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    except ImportError:                                   # not on Windows
        stats["max_rss_mb"] = None
    stats["formats"] = {k: {"bytes": w.bytes, "files": w.files} for k, w in writers.items()}
    manifest = dict(generator="bench/make_corpus.py", n=n, seed=seed, shard_size=shard_size,
                    compresslevel=level, **stats)
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


def _mb(b: int) -> str:
    return f"{b / 1e6:,.1f} MB"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True, type=Path, help="output directory")
    ap.add_argument("--n", type=int, default=2000, help="number of articles (default 2000)")
    ap.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    ap.add_argument("--formats", default="html,jsonl,warc",
                    help="comma-separated subset of html,jsonl,warc (default all)")
    ap.add_argument("--shard-size", type=int, default=100,
                    help="articles per html sub-folder / jsonl shard / warc shard (default 100)")
    ap.add_argument("--compresslevel", type=int, default=5, choices=range(1, 10),
                    metavar="1-9", help="gzip level for jsonl and warc (default 5)")
    ap.add_argument("--progress", action="store_true", help="report progress on stderr")
    args = ap.parse_args(argv)
    formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    bad = set(formats) - {"html", "jsonl", "warc"}
    if bad or not formats:
        ap.error(f"unknown format(s): {', '.join(sorted(bad)) or '(none)'}")
    if args.n < 1 or args.shard_size < 1:
        ap.error("--n and --shard-size must be positive")
    m = write_corpus(args.out, args.n, args.seed, formats, args.shard_size,
                     args.compresslevel, args.progress)
    print(f"articles   {m['articles']:,} ({m['duplicates']} duplicates), seed {args.seed}")
    print(f"words      {m['words']:,} body words ({m['min_words']}-{m['max_words']} per article)")
    print(f"pages      {_mb(m['html_bytes'])} of HTML ({m['min_page_bytes']:,}-{m['max_page_bytes']:,} bytes per page)")
    for k, v in m["formats"].items():
        print(f"{k:<10} {_mb(v['bytes'])} in {v['files']:,} files  ({args.out / k})")
    rss = f", peak RSS {m['max_rss_mb']:.0f} MB" if m.get("max_rss_mb") else ""
    print(f"seconds    {m['seconds']:.1f} wall, {m['cpu_seconds']:.1f} CPU{rss}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
