"""HTML -> article text and metadata, via trafilatura's bare_extraction.

Pure functions, no Beam: the DoFn in transforms/steps.py adapts them.

trafilatura drops <figure>/<figcaption> and caption blocks from the text, so the photo
captions (and their credits) are read from the page first, from the same parsed tree:
`figures` is a list of {"text", "credit"} in page order. The anatomy step
(transforms/anatomy.py) then splits the text into body, captions, credits and
boilerplate.
"""
from __future__ import annotations

import re
from collections import Counter
import threading

import trafilatura
from lxml import etree
from trafilatura.utils import load_html

from transforms.anatomy import BYLINE_MARKER as _BYLINE_MARKER, PLACE_AFTER

MAX_FIGURES = 200
MAX_CAPTION_CHARS = 2000

_WS = re.compile(r"\s+")
# class/id tokens that mark a caption block, a credit inside or next to it, and page
# regions whose pictures are not the article's (teasers, related stories, ads ...).
_CAPTION_CLASS = re.compile(r"caption|cutline|legend|leyenda|didascalia|unterschrift|bildtext|kuvateksti|lezant|"
                            r"podpis|onderschrift|billedtekst|bildetekst|kepalairas|"
                            r"(?:foto|photo|bild|img|image)[-_]?(?:text|tekst|opis|desc)|pie[-_]?(?:de[-_]?)?foto|"
                            r"(?:^|\s)cap(?:$|\s)|(?:img|image|photo|figure)[-_]+cap(?:$|\s)", re.I)     # other languages' words; an old page's class="cap"
_NOT_CAPTION_CLASS = re.compile(r"(?:no|has|with|toggle|btn|button|icon|show|hide)[-_]?caption"
                                r"|caption[-_]?(?:toggle|btn|button|icon|less|open|close|show|hide)",
                                re.I)
_CREDIT_CLASS = re.compile(r"credit|copyright|photographer|attribution|courtesy|"
                           r"(?:image|photo|media|img|pic|figure)[-_]*(?:source|auth(?:or)?|by)", re.I)
# inside a caption element, a span marked as a byline/author holds the photo credit
# (<figcaption><span class="caption-text">...</span> <span class="byline">Jane Doe</span>)
_INNER_CREDIT_CLASS = re.compile(r"byline|author|photographer", re.I)
# the article's byline element (outside figures)
_BYLINE_CLASS = re.compile(r"byline|author|writer|autor|auteur|firma|yazar|penulis|reporter|(?:^|[\s_-])by(?:$|[\s_-])", re.I)
_SKIP_REGION = re.compile(r"(?:^|[\s_-])(?:related|recirc\w*|sidebar|side-bar|promos?|newsletters?|footer|"
                          r"nav|navigation|menu|more-stories|recommended|trending|popular|most-read|"
                          r"teasers?|outbrain|taboola|ads?|advert\w*|advertisement|sponsor\w*|comments|"
                          r"cookie\w*|modal)(?:$|[\s_-])", re.I)
_ALT_CAPTION_TAGS = ("p", "span", "div", "em", "i", "small", "figcaption", "strong")
_PARA_TAGS = ("p", "li", "blockquote", "h2", "h3", "h4", "h5", "h6", "td", "div", "dd", "pre")
_FURNITURE_TAGS = {"p", "div", "span", "li", "a", "h2", "h3", "h4", "h5", "h6", "section",
                   "aside", "strong", "em", "small", "label", "ul", "b", "i"}
_FURNITURE_CLASSES = ("boilerplate", "gallery_ui")
_WALK_SKIP = {"nav", "noscript", "script", "style", "template", "form", "button", "select",
              "option", "figure", "img", "svg", "picture", "video", "audio", "iframe"}
_SKIP_TAGS = {"aside", "nav", "footer", "noscript", "script", "style", "template", "form",
              "button", "select", "option"}
_NEVER_TEXT = {"script", "style", "template", "noscript", "button", "select", "option", "svg"}
# Labels in front of a credit or caption that are markup, not content.
_CREDIT_LABEL = re.compile(r"^\s*(?:[^\W\d_]{2,12}\.?\s*/\s*(?=(?:photo|image|picture|footage|video)))?(?:(?:image|photo(?:graph)?|picture|video|media)\s+(?:source|credit)s?\s*[,:]"
                           r"|(?:photo(?:graph)?|image|picture|credit|illustration|composite|footage|"
                           r"video|foto|bild|kuva|pic|pix)s?\s*(?:credits?)?\s*:|(?:photo(?:graph)?|image|picture)s?\s+/\s)\s*",
                           re.I)
# the mark a credit element opens with ("© Jane Doe", "Photo courtesy City Water"): the
# element says it is a credit, the mark is not part of it (a "Courtesy of ..." is kept whole)
_ELEMENT_MARK = re.compile(r"^\s*(?:©|\(c\)(?=\s)|(?:photo(?:graph)?|image|picture)s?\s+courtesy(?:\s+of)?(?=\s)"
                           r"|photo(?:graph)?s?\s+by(?=\s))\s*", re.I)
_CAPTION_LABEL = re.compile(r"^\s*(?:image|media|video|photo)\s+caption\s*[,:]\s*", re.I)
_SOURCE_LABEL = re.compile(r"^\s*(?:image|media|video|photo)\s+source\s*,\s*", re.I)
# a figcaption's text ending in its credit, written in: "... 2024. © Jane Doe, Outlet",
# "... Image source, Jane Doe for Outlet" (the caption is known, so these are safe here;
# in a body paragraph they would not be)
_TRAILING_CREDIT = re.compile(
    r"(?P<text>.{12,}?[.!?\"'”’)\w])\s+(?:(?:photo(?:graph)?|image|picture)s?\s+(?:©|\(c\))\s*(?P<marked>\S.{1,120})"
    r"|(?P<credit>(?:©|\(c\)|(?:image|photo|picture|media|video)\s+(?:source|credit)\s*[,:])\s*\S.{1,120})"
    r"|(?-i:[A-Z]{2,10}\s+)?(?:photo|picture)s?\s+by\s+(?P<by>(?-i:[A-Z])[^.!?]{1,80}))$", re.I)


def _text(el) -> str:
    return " ".join("".join(_itertext(el)).split())


def _itertext(el):
    """Text of an element without script/style/button contents."""
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag in ("script", "style", "button", "template", "noscript", "svg"):
        return
    if tag == "br":
        yield " "                   # "roof.<br><i>(Photo: …)</i>": two lines, not one word
    if isinstance(el.tag, str) and el.text:
        yield el.text
    for child in el:
        yield from _itertext(child)
        if child.tail:
            yield child.tail


# figures, figcaptions and elements whose class/id mentions a caption, in page order
# (case handled by matching the tails: "Caption"/"caption", "Cutline"/"cutline" ...)
_CANDIDATES = etree.XPath(
    "//figure | //figcaption | //*[contains(@class, 'aption') or contains(@class, 'APTION') "
    "or contains(@class, 'utline') or contains(@class, 'egend') or contains(@id, 'aption') "
    "or contains(@class, 'eyenda') or contains(@class, 'idascalia') or contains(@class, 'nterschrift') "
    "or contains(@class, 'ildtext') or contains(@class, 'uvateksti') or contains(@class, '_text') "
    "or contains(@class, '-text') or contains(@class, 'otext') or contains(@class, 'pie') "
    "or contains(@class, 'ezant') or contains(@class, 'odpis') or contains(@class, 'nderschrift') "
    "or contains(@class, 'illedtekst') or contains(@class, 'ildetekst') or contains(@class, 'epalairas') "
    "or contains(concat(' ', normalize-space(@class), ' '), ' cap ') or contains(@class, '_cap')]")


def _classes(el) -> str:
    return f"{el.get('class') or ''} {el.get('id') or ''}"


def _in_skipped_region(el) -> bool:
    for anc in el.iterancestors():
        tag = anc.tag if isinstance(anc.tag, str) else ""
        if tag in _SKIP_TAGS:
            return True
        if tag in ("body", "html", "article", "main"):
            continue
        if _SKIP_REGION.search(_classes(anc)):
            return True
    return False


def _is_caption_el(el) -> bool:
    if not isinstance(el.tag, str):
        return False
    if el.tag == "figcaption":
        return True
    if el.tag in ("caption", "table", "img", "figure") or el.tag in _SKIP_TAGS:
        return False
    cls = _classes(el)
    return bool(_CAPTION_CLASS.search(cls)) and not _NOT_CAPTION_CLASS.search(cls)


def _is_credit_el(el) -> bool:
    if not isinstance(el.tag, str) or el.tag in _NEVER_TEXT:
        return False
    return el.tag == "cite" or bool(_CREDIT_CLASS.search(_classes(el)))


def _clean_credit(s: str) -> str:
    s = _WS.sub(" ", s).strip()
    if len(s) > 2 and s[0] == "[" and s[-1] == "]":
        s = s[1:-1].strip()                        # "[Photo: Jane Doe]"
    s = _CREDIT_LABEL.sub("", s).strip()
    if len(s) > 2 and s[0] == "(" and s[-1] == ")":
        s = _CREDIT_LABEL.sub("", s[1:-1].strip()).strip()     # "(Photo: Jane Doe)"
    return s


def _caption_of(cap_el, scope, *, siblings_only: bool = False) -> tuple[str, str | None] | None:
    """(text, credit) of a caption element; credit from a credit element inside it or
    (failing that) inside `scope`: the figure, or the caption's parent (its direct
    children only)."""
    full = _without_links_of_furniture(cap_el)
    credit_els = [c for c in cap_el.iterdescendants() if _is_credit_el(c)]
    if not credit_els:
        credit_els = [c for c in cap_el.iterdescendants()
                      if isinstance(c.tag, str) and c.tag not in _NEVER_TEXT
                      and _INNER_CREDIT_CLASS.search(_classes(c))]
    if not credit_els and scope is not None:
        pool = list(scope) if siblings_only else scope.iterdescendants()
        credit_els = [c for c in pool
                      if _is_credit_el(c) and c is not cap_el and cap_el not in c.iterancestors()
                      and c not in cap_el.iterancestors()]
    # outermost credit elements only
    credit_els = [c for c in credit_els if not any(a in credit_els for a in c.iterancestors())]
    credit_texts = [t for t in (_text(c) for c in credit_els) if t]
    text = full
    for t in credit_texts:
        i = text.rfind(t)
        if i >= 0:
            text = (text[:i] + text[i + len(t):])
    text = _WS.sub(" ", text).strip()
    credit = None
    if credit_texts:
        credit = _ELEMENT_MARK.sub("", _clean_credit(" ".join(dict.fromkeys(credit_texts)))) or None
    else:
        text, credit = _credit_after_br(cap_el, text)
    if credit is None:
        text, credit = _credit_in_last_child(cap_el, text)
    if credit is None:
        m = _TRAILING_CREDIT.fullmatch(text)
        if m and m.group("by") and not m.group("text").rstrip().endswith((".", "!", "?")):
            m = None                # "... photo by X" inside the sentence: no credit of its own
        if m:
            # "Photograph © Outlet": the kind word and its © are the marker ("© Outlet" alone stays whole)
            text, credit = m.group("text").strip(), _clean_credit(m.group("marked") or m.group("credit")
                                                                  or m.group("by")) or None
    # BBC-style hidden labels: "Image source, Getty Images" / "Image caption, ..."
    m = _SOURCE_LABEL.match(text)
    if m and credit is None:
        rest = text[m.end():]
        cm = _CAPTION_LABEL.search(rest)
        if cm:
            credit, text = rest[:cm.start()].strip() or None, rest[cm.end():]
    text = _CAPTION_LABEL.sub("", text).strip()
    if len(text) > MAX_CAPTION_CHARS:
        return None
    if not text and not credit:
        return None
    return text, credit


def _without_links_of_furniture(cap_el) -> str:
    """The caption's text without its links that are page furniture by the catalogue
    ("Purchase Licensing Rights", "Enlarge"): a control next to the credit, not the credit."""
    full = _text(cap_el)
    for a in cap_el.iter("a", "button"):
        t = _text(a)
        if t and full.endswith(t) and _default_catalogue().classify(t) is not None \
                and _default_catalogue().classify(t)[0] in _FURNITURE_CLASSES:
            full = full[: len(full) - len(t)].rstrip()
    return full


_CREDIT_SHAPE = re.compile(r"(?:[\w.'’\-]+\s*){1,6}(?:/\s*[\w.'’\-]+(?:\s+[\w.'’\-]+){0,5}){1,3}|"
                           r"(?:©|\(c\))\s*.{2,80}")


def _labelled_credits(figure) -> list:
    """In a figure with no caption, the short text elements that start with a credit
    label ("Photo: Jane Doe", "© Outlet"): its standalone credits."""
    out = []
    for c in figure.iterdescendants():
        if not isinstance(c.tag, str) or c.tag in _NEVER_TEXT or c.tag in ("img", "picture", "source"):
            continue
        t = _text(c)
        if t and len(t) <= 120 and (_CREDIT_LABEL.match(t) or _SOURCE_LABEL.match(t) or t.startswith("©")) \
                and not any(a in out for a in c.iterancestors()):
            out.append(c)
    return out


def _credit_in_last_child(cap_el, text: str) -> tuple[str, str | None]:
    """A caption whose last element (a <small>, <span>, <em> or <cite>) carries a credit
    label ("Photo: Jane Doe", "Credit: Outlet", "© Jane Doe"): (text, credit)."""
    kids = [c for c in cap_el if isinstance(c.tag, str) and c.tag not in _NEVER_TEXT]
    if not kids or kids[-1].tag not in ("small", "span", "em", "i", "cite", "b", "strong", "p", "font"):
        return text, None
    last = kids[-1]
    if (last.tail or "").strip():
        return text, None
    tail = _text(last)
    if not tail or len(tail) > 150 or not text.endswith(tail):
        return text, None
    if not (_CREDIT_LABEL.match(tail) or _SOURCE_LABEL.match(tail) or tail.startswith(("©", "(c)"))):
        return text, None
    head = text[: len(text) - len(tail)].strip()
    credit = _ELEMENT_MARK.sub("", _clean_credit(_SOURCE_LABEL.sub("", tail)))
    return (head, credit or None) if head else (text, None)


def _credit_after_br(cap_el, text: str) -> tuple[str, str | None]:
    """A caption whose last line, after a <br>, is its credit ("Photo: Jane Doe/Outlet",
    "Jane Doe / Outlet", "© Jane Doe"): (text, credit), else (text, None)."""
    brs = [b for b in cap_el.iter("br")]
    if not brs:
        return text, None
    tail = (brs[-1].tail or "")
    for sib in brs[-1].itersiblings():
        if isinstance(sib.tag, str):
            tail += "".join(_itertext(sib))
        tail += sib.tail or ""
    tail = _WS.sub(" ", tail).strip()
    if not tail or len(tail) > 120 or not text.endswith(tail):
        return text, None
    inner = tail[1:-1].strip() if tail[:1] + tail[-1:] in ("()", "[]") else tail   # "(Photo: X / Outlet)"
    label = _CREDIT_LABEL.match(inner)
    bare = inner[label.end():].strip() if label else inner
    if not (label or _CREDIT_SHAPE.fullmatch(bare)) or bare.endswith("."):
        return text, None
    head = text[: len(text) - len(tail)].strip()
    return (head, _clean_credit(tail) or None) if head else (text, None)


def figures_from_tree(tree) -> list[dict]:
    """Photo captions of the page, [{"text", "credit"}] in page order, deduplicated."""
    out: list[dict] = []
    seen: set[str] = set()
    if tree is None:
        return out
    taken: set = set()

    def add(pair):
        if pair is None:
            return
        text, credit = pair
        key = (text or "").casefold() or "credit:" + (credit or "").casefold()
        if key in seen:
            return
        seen.add(key)
        out.append({"text": text, "credit": credit})

    candidates = _CANDIDATES(tree)
    for el in candidates:
        if len(out) >= MAX_FIGURES:
            break
        if not isinstance(el.tag, str) or el in taken:
            continue
        if el.tag == "figure":
            if _in_skipped_region(el):
                continue
            caps = [c for c in el.iterdescendants() if _is_caption_el(c)]
            caps = [c for c in caps if not any(a in caps for a in c.iterancestors())]
            for c in caps:
                taken.add(c)
                taken.update(c.iterdescendants())
            if caps:
                for c in caps:
                    add(_caption_of(c, el))
            else:
                credits = [c for c in el.iterdescendants() if _is_credit_el(c)] or _labelled_credits(el)
                for c in credits:
                    credit = _ELEMENT_MARK.sub("", _clean_credit(_text(c)))
                    if credit:
                        add(("", credit))
            taken.update(el.iterdescendants())
        elif _is_caption_el(el):
            if _in_skipped_region(el):
                continue
            taken.update(el.iterdescendants())
            add(_caption_of(el, el.getparent(), siblings_only=True))
    # the element right after an image whose last child is a labelled credit ("<p>Workers
    # pick tangerines. <span>사진 / Photo: Ko Min-seo</span></p>"): a caption whatever its class
    for img in tree.iter("img"):
        if len(out) >= MAX_FIGURES:
            break
        if img in taken:
            continue
        nxt = img.getnext() if img.getnext() is not None else (
            img.getparent().getnext() if img.getparent() is not None else None)
        if nxt is None or not isinstance(nxt.tag, str) or nxt in taken or nxt.tag not in _ALT_CAPTION_TAGS \
                or len(_text(nxt)) > MAX_CAPTION_CHARS or _in_skipped_region(nxt):
            continue
        text, credit = _credit_in_last_child(nxt, _text(nxt))
        if credit:
            taken.add(nxt)
            taken.update(nxt.iterdescendants())
            add((text, credit))
    # a line of text next to an image that repeats the image's alt text is its caption
    for img in tree.iter("img"):
        if len(out) >= MAX_FIGURES:
            break
        alt = _WS.sub(" ", img.get("alt") or "").strip()
        if len(alt) < 20 or img in taken:
            continue
        key = alt.casefold()
        near, node = [], img
        for _ in range(3):                       # siblings of the img and of 2 ancestors
            near.extend(node.itersiblings())
            node = node.getparent()
            if node is None:
                break
        for el in near:
            if not isinstance(el.tag, str) or el in taken or el.tag not in _ALT_CAPTION_TAGS:
                continue
            raw = el.text_content()
            if len(raw) > 3 * len(alt) + 50:
                continue
            if _WS.sub(" ", raw).strip().casefold() == key and not _in_skipped_region(el):
                taken.add(el)
                add((_WS.sub(" ", raw).strip(), None))
                break
    # captions that are one word or a bare number are widgets, not captions
    return [f for f in out if f["credit"] or len(f["text"]) >= 12]


def byline_authors(tree, catalogue) -> list[str]:
    """Authors named in the page's byline element ("By Jane Doe and John Roe"), read
    with the catalogue's byline entries; [] when there is none."""
    from transforms.anatomy import authors_from_byline
    if tree is None:
        return []
    for el, t in _byline_elements(tree):
        # the element, or its first child ("<span>Jane Doe – Senior Correspondent</span> <span>3 hours ago</span>")
        names = _byline_names([t] + [_text(c) for c in el if isinstance(c.tag, str)][:1], catalogue)
        if names:
            return names
    return _names_under_headline(tree, catalogue)


def _byline_elements(tree):
    """(element, text) of the page's byline elements: a byline class, not in a skipped
    region or a figure, short."""
    for el in tree.iter("p", "div", "span", "li", "address", "section"):
        if not _BYLINE_CLASS.search(_classes(el)) or _in_skipped_region(el):
            continue
        if any(isinstance(a.tag, str) and (a.tag in ("figure", "figcaption") or _is_caption_el(a))
               for a in el.iterancestors()):
            continue
        t = _text(el)
        if t and len(t) <= 300:
            yield el, t


def _words_of_byline(tree, parts: set) -> bool:
    """Every one of `parts` is written in the page's byline element: words the extractor
    took for names where the catalogue read a label or a role."""
    texts = " ".join(t for _, t in _byline_elements(tree))
    return bool(texts) and all(p in texts for p in parts)


BYLINE_LOOKAHEAD = 8        # short elements after the h1 looked at for a byline


def _byline_names(texts, catalogue) -> list[str]:
    from transforms.anatomy import authors_from_byline
    for cand in texts:
        if not cand:
            continue
        for part in [cand, *_STAMP_SEP.split(cand)[:2]]:   # "Autor: Jane Doe · Traducere: ..."
            hit = catalogue.classify(part.strip(), position="head", classes=("byline",))
            names = authors_from_byline(hit[1].get("names") or "") if hit is not None else []
            if names:
                return names
    return []


_STAMP_SEP = re.compile(r"\s+[·•|]\s+")
_BYLINE_TAGS = {"p", "div", "span", "li", "td", "address"}
_CONTAINER_TAGS = {"p", "div", "li", "td", "ul", "ol", "table", "tr", "section", "article"}


def _names_under_headline(tree, catalogue) -> list[str]:
    """The byline among the first short elements after the page's h1 (an element with no
    telling class: "<li>Reporter Jane Doe</li>", "<td class=info>Autor: Jane Doe · ...")."""
    h1 = _named_h1(tree)
    if h1 is None:
        h1 = next((h for h in tree.iter("h1") if not _in_skipped_region(h)), None)
    if h1 is None:
        return []
    seen = 0
    after = False
    for el in tree.iter():
        if el is h1:
            after = True
            continue
        if not after or not isinstance(el.tag, str) or el.tag not in _BYLINE_TAGS or h1 in el.iterancestors():
            continue
        if any(isinstance(c.tag, str) and c.tag in _CONTAINER_TAGS for c in el):
            continue                # a container: its own short children are looked at
        t = _text(el)
        if not t or len(t) > 200:
            continue
        names = _byline_names([t], catalogue)
        if names:
            return names
        seen += 1
        if seen >= BYLINE_LOOKAHEAD:
            break
    return []


def _norm_key(s: str) -> str:
    return " ".join(s.split()).casefold()


def _paragraph_prefixes(paragraphs: list[str]) -> dict[str, int]:
    prefixes: dict[str, int] = {}
    for p in paragraphs:
        k = _norm_key(p)
        if len(k) >= 20:
            prefixes[k[:60]] = max(prefixes.get(k[:60], 0), len(k))
    return prefixes


def _article_container(tree, prefixes: dict[str, int]):
    """(located, container): the innermost blocks holding one body paragraph each, and
    their common ancestor, the article container (None when nothing is located)."""
    if not prefixes:
        return [], None
    longest = max(prefixes.values())
    located = []
    for el in tree.iter(*_PARA_TAGS):
        raw = el.text_content()
        if len(raw) > 2 * longest + 200 or len(raw) < 20:
            continue
        n = prefixes.get(_norm_key(raw[:200])[:60])
        if n is not None and len(_norm_key(raw)) <= n + 40:
            located.append(el)
    if not located:
        return [], None
    first, last = located[0], located[-1]
    first_anc = [first] + list(first.iterancestors())
    last_anc = set([last] + list(last.iterancestors()))
    container = next((a for a in first_anc if a in last_anc), None)
    if container is None:
        return [], None
    if container is first or container is last:
        container = container.getparent() if container.getparent() is not None else container
    return located, container


_LAST_CONTAINER = threading.local()   # the steps of one page share one computation


def _container_of(tree, paragraphs: list[str]):
    """_article_container for these paragraphs, computed once per page and paragraph
    list (several steps of extract_html ask for it in a row); per thread."""
    key = tuple(paragraphs)
    last = getattr(_LAST_CONTAINER, "value", None)
    if last is not None and last[0] is tree and last[1] == key:
        return last[2]
    result = _article_container(tree, _paragraph_prefixes(paragraphs))
    _LAST_CONTAINER.value = (tree, key, result)
    return result


def furniture_from_tree(tree, paragraphs: list[str], catalogue) -> list[str]:
    """Page furniture inside the article that trafilatura already left out of the text
    ("Advertisement", "Share this article", newsletter prompts, an author bio ...): the
    texts of blocks in the article container that a catalogue entry of class
    boilerplate or gallery_ui matches as a whole, in page order. Lines still in the text
    are left to the anatomy step."""
    if tree is None or not paragraphs:
        return []
    in_text = {_norm_key(p) for p in paragraphs}
    prefixes = _paragraph_prefixes(paragraphs)
    # body paragraphs located in the page (innermost blocks holding one paragraph):
    # their common ancestor is the article container
    located, container = _container_of(tree, paragraphs)
    if container is None:
        return []
    first, last = located[0], located[-1]
    located_set = set(located)
    out: list[str] = []
    state = {"pos": "head"}

    def walk(el):
        if not isinstance(el.tag, str) or el.tag in _WALK_SKIP:
            return
        if el in located_set:
            state["pos"] = "any" if el is not last else "tail"
            return
        if el.tag in _FURNITURE_TAGS:
            raw = el.text_content()
            if not raw.strip():
                return
            t = _text(el) if len(raw) <= 1200 else ""
            if len(t) <= 600 and _norm_key(t) not in in_text:
                hit = catalogue.classify(t, position=state["pos"], classes=_FURNITURE_CLASSES)
                if hit is not None:
                    out.append(t)
                    return
        for child in el:
            walk(child)

    for child in container:
        walk(child)
    return out


# ---------------------------------------------------------------------------------
# furniture the DOM shows: embeds, sign-up boxes, market tables, marked widgets

_EMBED_CLASS = re.compile(r"twitter-tweet|instagram-media|tiktok-embed|(?:^|[\s_-])(?:x-post|tweet|fb-post|"
                          r"facebook-post|threads-post|bsky-post|bluesky-embed|mastodon-embed)(?:$|[\s_-])|"
                          r"(?:^|[\s_-])(?:embed|embedded|"
                          r"social-?embed|oembed)(?:$|[\s_-])", re.I)
_WIDGET_CLASS = re.compile(r"(?:^|[\s_-])(?:share|sharing|shares|social|newsletters?|signup|sign-up|"
                           r"subscribe|subscription|donate|donation|promo|promos|tags|topics|kicker|"
                           r"eyebrow|audio|feedback|related|recirc\w*|rail|outbrain|taboola|"
                           r"advert\w*|sponsor\w*|paywall|cta|affiliate|disclosure|disclaimer|callout|"
                           r"about|bio|boilerplate|partners?|advertorial|native-?ads?|paid-?(?:post|content)|"
                           r"branded-?content|deals?|"
                           # boxes beside the story: weather, rates, tides, polls, listings, jobs, alerts, facts
                           r"\w*box(?:es)?|box-?out|widget\w*|weather|forecast|polls?|survey|quiz|alerts?|ticker|"
                           r"rates|fx|forex|currency|tides?|gig\w*|events|listings?|jobs|careers|classifieds?|"
                           r"contact\w*|koha|glossary|fact-?file|snow-?report|"
                           # thanks to funders, safety and emergency advice, price boards
                           r"thanks|acknowledg\w*|funders?|safety|emergenc\w*|helplines?|hotlines?|fuel|prices)"
                           r"(?:$|[\s_-])", re.I)
_BIO_CLASS = re.compile(r"(?:^|[\s_-])(?:bio|author-?bio|about-?(?:the-?)?authors?)(?:$|[\s_-])", re.I)
_POST_SIGNATURE = re.compile(r"[—–-]\s*[^()\n]{1,80}\(@\w{2,30}\)")
_SIGNED_CHANGE = re.compile(r"^[+\-−–▲▼]\s?\d[\d.,]*\s?%?$")
_BLOCK_TAGS = ("p", "li", "div", "span", "a", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "tr",
               "blockquote", "figcaption", "label", "strong", "em", "small", "section", "aside", "dd", "dt")
_WIDGET_TAGS = {"div", "section", "aside", "p", "ul", "ol", "form", "header", "footer", "blockquote", "figure"}
MAX_WIDGET_CHARS = 800
MAX_WIDGET_SHARE = 0.3


def _dom_key(s: str) -> str:
    """A paragraph or a DOM text compared loosely: table pipes, list marks and spacing dropped."""
    return " ".join(s.replace("|", " ").lstrip("-•* ").split()).casefold()


def _market_table(table) -> bool:
    """A table of quotes (price changes with a sign or a %) rather than the story's data."""
    rows = [r for r in table.iter("tr")]
    signed = sum(1 for r in rows if any(_SIGNED_CHANGE.match(_text(c)) for c in r.iter("td")))
    return len(rows) >= 2 and signed >= 2


def _table_box(table, container, limit: int):
    """The box a market table sits in with its title and source/delay note
    (<div><h4>Prices</h4><table>..</table><p>Source: ..</p></div>): the table's
    parent when every other child of it is a short line (a heading, a note), else the
    table alone. Never the article container itself."""
    box = table.getparent()
    if box is None or box is container or box.tag in _STOP_TAGS:
        return table
    others = [c for c in box if isinstance(c.tag, str) and c is not table]
    if not others or len(others) > 4 or len(_text(box)) > limit:
        return table
    for c in others:
        t = _text(c)
        if c.tag not in ("h2", "h3", "h4", "h5", "h6", "p", "div", "span", "strong", "small", "caption") \
                or len(t) > 250 or c.find(".//table") is not None:
            return table
    return box


def _widget_root(el, limit: int):
    """From a form field up to the smallest element that holds text of its own: the box."""
    node = el
    while node is not None and node.tag not in ("body", "html", "article", "main"):
        t = _text(node)
        if len(t) >= 40:
            return node if len(t) <= limit else None
        node = node.getparent()
    return None


def _call_to_act(button) -> bool:
    """A button that says what to do ("Sign up", "Donate now"), not an icon (share,
    bookmark), and not in the article's header."""
    words = " ".join(button.itertext()).split()
    return 1 <= len(words) <= 4 and not any(a.tag == "header" for a in button.iterancestors())


_BOX_TITLE_CLASS = re.compile(r"tit|title|head|(?:^|[\s_-])hd(?:$|[\s_-])|label|heading|kicker|caption|name|nombre|nome|(?:^|[\s_-])h\d?(?:$|[\s_-])", re.I)


def _titled_box(el, container=None) -> bool:
    """A box beside the story in any language or CMS: a classed block whose first child is
    its own title (a heading, or an element classed as a title: "tgn-numeros__titulo",
    "portcall__hd"), then at least one more block, none of them a story-length paragraph
    (dom_furniture checks that) and no subheading of the story inside."""
    kids = [k for k in el if isinstance(k.tag, str) and _text(k)]
    while len(kids) == 1:                       # a wrapper ("ficha-autor__txt" beside a photo)
        kids = [k for k in kids[0] if isinstance(k.tag, str) and _text(k)]
    if len(kids) < 2:
        return False
    first = kids[0]
    inner = [k for k in first if isinstance(k.tag, str)]
    while len(inner) == 1 and not (first.text or "").strip():     # the title inside a wrapper of its own
        first = inner[0]
        inner = [k for k in first if isinstance(k.tag, str)]
    titled = first.tag in ("h2", "h3", "h4", "h5", "h6") or bool(_BOX_TITLE_CLASS.search(_classes(first)))
    # a recipe card or a stats section (several headings, a table) is the story's own
    headings = sum(1 for h in el.iter("h2", "h3", "h4", "h5", "h6"))
    table = el.find(".//table")
    if table is not None and not _note_after(kids, table):
        return False                            # a table of the story; a line-up with its notice is a box
    if not (titled and len(_text(first).split()) <= 12 and el.find(".//h1") is None and headings <= 1):
        return False
    above = set(container.iterancestors()) | {container} if container is not None else set()
    for anc in el.iterancestors():              # a part of such a card ("Instructions" of a recipe)
        if anc in above or anc.tag in ("article", "main", "body"):
            break
        if any(len(_text(p).split()) >= 25 for p in anc.iter("p")):
            break                               # the story's own body: the box sits in it
        if sum(1 for h in anc.iter("h2", "h3", "h4", "h5", "h6")) >= 2:
            return False
    return True


def _note_after(kids: list, table) -> bool:
    """A line of text after the box's table ("Times are estimates and may change")."""
    holders = {table, *table.iterancestors()}
    seen = False
    for k in kids:
        if k in holders:
            seen = True
        elif seen and len(_text(k).split()) >= 4:
            return True
    return False


_ASIDE_ROLES = {"note", "complementary"}       # ARIA: a note aside from the story, a box beside it
_BLURB_CLASS = re.compile(r"(?:^|[\s_-])(?:about|bio|boilerplate|disclaimer|disclosure|thanks|safety|emergenc\w*|"
                          r"helplines?|hotlines?)(?:$|[\s_-])", re.I)


def _headed_blurb(root) -> bool:
    """An "About the company" box, an author bio or a safety notice under a heading of its
    own, or a box marked as a note: its paragraph is long, and still no part of the story."""
    if (root.get("role") or "").lower() in _ASIDE_ROLES:
        return True                 # the page says so
    return bool(_BLURB_CLASS.search(_classes(root))) and \
        next(root.iter("h2", "h3", "h4", "h5", "h6"), None) is not None


def dom_furniture(tree, paragraphs: list[str]) -> set[str]:
    """Keys (`_dom_key`) of texts inside page widgets the markup marks as not the
    story: social embeds (blockquote.twitter-tweet, instagram-media), boxes with a form
    field or a button (newsletter sign-up, a call to act), market tables (signed changes), elements whose class
    names a widget (share, newsletter, donate, promo, tags, kicker, audio, related...),
    inside the article container (the common ancestor of the body's paragraphs: the
    same text in a sidebar does not count). A widget is small: at most MAX_WIDGET_CHARS and MAX_WIDGET_SHARE of the body text,
    and holds no story-length paragraph; trafilatura keeps some of their text."""
    if tree is None or not paragraphs:
        return set()
    body_chars = sum(len(p) for p in paragraphs)
    limit = min(MAX_WIDGET_CHARS, int(MAX_WIDGET_SHARE * body_chars) + 40)
    _, container = _container_of(tree, paragraphs)
    if container is None:
        return set()
    scope = next((a for a in [container, *container.iterancestors()] if a.tag == "article"), container)
    roots = []
    for el in scope.iter():
        if not isinstance(el.tag, str) or el.tag in ("html", "body", "article", "main"):
            continue
        cls = _classes(el)
        if el.tag == "table" and _market_table(el):
            roots.append(_table_box(el, container, limit))
        elif (el.tag == "input" and (el.get("type") or "text").lower() in ("email", "text")) \
                or (el.tag == "button" and _call_to_act(el)):
            box = _widget_root(el, limit)
            if box is not None and box.find(".//h1") is None:     # not the headline's bar
                roots.append(box)
        elif cls and el.tag in _WIDGET_TAGS and (_EMBED_CLASS.search(cls) or _WIDGET_CLASS.search(cls)) \
                or el.tag in _WIDGET_TAGS and (el.get("role") or "").lower() in _ASIDE_ROLES:
            roots.append(el)
        elif el.tag == "blockquote" and el.find(".//a") is not None and _POST_SIGNATURE.search(_text(el)):
            roots.append(el)            # a social post pasted in: "— Name (@handle) date"
        elif cls and el.tag in ("div", "aside", "section") and el is not container and _titled_box(el, container):
            roots.append(el)            # a box with its own title: figures, a line-up, a contact box
    keys: set[str] = set()
    for root in roots:
        full = _text(root)
        if not full or len(full) > limit:
            continue
        if any(len(_text(p).split()) >= 25 for p in root.iter("p")) and not _headed_blurb(root) \
                and not _BIO_CLASS.search(_classes(root)):
            continue                        # holds a story-length paragraph: not a widget (a bio may)
        keys.add(_dom_key(full))
        for d in root.iter(*_BLOCK_TAGS):
            t = _text(d)
            if t:
                keys.add(_dom_key(t))
        for r in root.iter("tr"):
            keys.add(_dom_key(" ".join(_text(c) for c in r if isinstance(c.tag, str))))
    keys.discard("")
    return keys


def split_dom_furniture(tree, paragraphs: list[str]) -> tuple[list[str], list[str]]:
    """(story paragraphs, furniture paragraphs): paragraphs that are the text of a widget
    (`dom_furniture`) leave the body; never all of them."""
    keys = dom_furniture(tree, paragraphs)
    if not keys:
        return paragraphs, []
    kept, gone = [], []
    for p in paragraphs:
        (gone if _dom_key(p) in keys else kept).append(p)
    if not kept:
        return paragraphs, []
    return kept, gone


# ---------------------------------------------------------------------------------
# never lose the story: detect a failed fast extraction and fall back

MIN_MAIN_WORDS = 150        # pages with less <p> text than this are not judged "short"
SHORT_RATIO = 0.5           # body under half the page's main text: the story was lost
_TERMINAL = re.compile(r"[.!?…:;\"'”’)\]]$")
_WORD_RE = re.compile(r"\w+")


def _words(s: str) -> int:
    return len(_WORD_RE.findall(s))


def main_text(tree) -> list[str]:
    """The paragraphs of the page's densest block of <p> text (the <p> children of one
    element, or of one grandparent when every paragraph is wrapped in its own div),
    outside navigation, footers, asides and comment/related regions: a cheap
    estimate of the story, to judge the extractor's body against."""
    if tree is None:
        return []
    by_parent: dict = {}
    skipped: dict = {}                   # parent -> in a skipped region (one walk per parent)
    for p in tree.iter("p"):
        parent = p.getparent()
        if parent is None:
            continue
        t = _text(p)
        if _words(t) < 6:
            continue
        if parent not in skipped:
            skipped[parent] = _in_skipped_region(p)
        if skipped[parent]:
            continue
        for holder in (parent, parent.getparent()):
            if holder is not None:
                by_parent.setdefault(holder, []).append(t)
    best: list[str] = []
    best_words = 0
    for paras in by_parent.values():
        n = sum(_words(t) for t in paras)
        if n > best_words:
            best, best_words = paras, n
    return list(dict.fromkeys(best))


_INLINE = {"a", "b", "i", "em", "strong", "font", "span", "u", "small", "sup", "sub", "abbr", "cite", "q",
           "mark", "time", "s", "del", "ins", "bdi", "bdo", "tt", "big"}
HEADLINE_BLOCK_MIN_WORDS = 60     # a story under the headline worth falling back to
HEADLINE_BLOCK_MIN_PARAS = 3
HEADLINE_SCOPE_LEVELS = 3         # how far up from the h1 the story's block is looked for


def _own_paragraphs(el) -> list[str]:
    """The paragraphs an element holds itself: its <p> children, or its own text and
    inline children split at <br> (an old page's "text<br><br>text"); block children
    (a photo table, a box) break a paragraph and are left out."""
    ps = [_text(c) for c in el if isinstance(c.tag, str) and c.tag == "p"]
    if ps:
        return [t for t in ps if t]
    out, cur = [], [el.text or ""]
    for c in el:
        tag = c.tag if isinstance(c.tag, str) else ""
        if tag in _INLINE:
            cur.append("".join(_itertext(c)))
        else:
            out.append(" ".join("".join(cur).split()))
            cur = []
        cur.append(c.tail or "")
    out.append(" ".join("".join(cur).split()))
    return [t for t in out if t]


_LEAF_TAGS = {"p", "br", "h1", "h2", "h3", "h4", "img", "li", "a"}


def _blocks_after(scope, h1):
    """The block elements of `scope` that come after `h1`, not inside a nav, aside,
    footer or form (their subtrees are not walked)."""
    after = False
    stack = [scope]
    while stack:
        el = stack.pop()
        if el is h1:
            after = True
            continue
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in _SKIP_TAGS or tag in _NEVER_TEXT or tag in _LEAF_TAGS:
            continue
        if after and tag not in _INLINE:
            yield el
        stack.extend(reversed([c for c in el if isinstance(c.tag, str)]))


def _named_h1(tree):
    """The page's headline element: the longest <h1> (outside nav, aside, footer) that its
    <title> or og:title names, and that is most of it (a blog's h1 naming the site is not)."""
    titles = [_norm_key(t) for t in tree.xpath("//title/text() | //meta[@property='og:title']/@content")]
    named = [(len(key), h) for h in tree.iter("h1") for key in [_norm_key(_text(h))]
             if len(key) >= 12 and any(key in t and len(key) >= 0.4 * len(t) for t in titles)
             and not any((a.tag if isinstance(a.tag, str) else "") in _SKIP_TAGS for a in h.iterancestors())]
    return max(named, key=lambda x: x[0])[1] if named else None


def headline_block(tree) -> list[str]:
    """The story right under the page's headline (see _named_h1): the element after the
    <h1>, within the h1's section, that holds the most sentence text of its own (<p>
    children or text set apart by <br>), whatever its class says ("text--teaser" on a
    paywalled page's free paragraphs, an old table layout's "<div class=txt>"). [] when
    the page has no such h1 or nothing story-like follows it."""
    h1 = _named_h1(tree)
    if h1 is None or h1.getparent() is None:
        return []               # no headline the page's title names: a site logo, another post
    scope = h1.getparent()
    for _ in range(HEADLINE_SCOPE_LEVELS):     # the h1's section; a table layout's row, then table
        if scope.getparent() is None or scope.tag in ("body", "html"):
            break
        scope = scope.getparent()
        best: list[str] = []
        best_words = 0
        for el in _blocks_after(scope, h1):
            paras = [t for t in _own_paragraphs(el) if _words(t) >= 6]
            n = sum(_words(t) for t in paras)
            if len(paras) >= HEADLINE_BLOCK_MIN_PARAS and n > best_words:
                best, best_words = paras, n
        if best_words >= HEADLINE_BLOCK_MIN_WORDS:
            return best
    return []


def _anchor_texts(tree) -> set[str]:
    return {k for k in (_norm_key(_text(a)) for a in tree.iter("a")) if k}


def _overlap(paragraphs: list[str], block: list[str]) -> bool:
    """Some paragraph (of 6 words or more) of `paragraphs` is in `block`."""
    keys = {_norm_key(p)[:80] for p in block}
    return any(_words(p) >= 6 and _norm_key(p)[:80] in keys for p in paragraphs)


def extraction_failure(paragraphs: list[str], main: list[str], anchors: set[str]) -> str | None:
    """Why an extracted body looks like a lost story, or None when it looks right:
    `short` (much shorter than the page's main text), `links` (mostly link texts:
    a menu or a list of other stories), `menu` (mostly short lines that are not
    sentences)."""
    words = sum(_words(p) for p in paragraphs)
    main_words = sum(_words(p) for p in main)
    if main_words >= MIN_MAIN_WORDS and words < SHORT_RATIO * main_words and _overlap(paragraphs, main):
        return "short"            # part of the story block was kept, most of it lost
    if len(paragraphs) >= 4:
        chars = sum(len(p) for p in paragraphs) or 1
        linked = sum(len(p) for p in paragraphs if _norm_key(p.lstrip("-• ")) in anchors)
        if linked / chars >= 0.5:
            return "links"
    if len(paragraphs) >= 6:
        menu = sum(1 for p in paragraphs if len(p.split()) <= 6 and not _TERMINAL.search(p))
        if menu / len(paragraphs) >= 0.6:
            return "menu"
    return None


_PARAGRAPH_BLOCKS = frozenset("p div ul ol dl table h1 h2 h3 h4 h5 h6 figure section article blockquote aside header "
                        "footer nav form pre main".split())


def br_paragraphs(tree) -> int:
    """Paragraphs written as text between double <br>s in a <div> of inline content
    become <p> elements, so the extractor sees them as paragraphs. Next to <p> siblings
    trafilatura keeps the pieces after a <br> and drops the div's first one (the lead
    "JEDDAH: Fifty-six restored houses ..." went missing). Returns the divs split."""
    n = 0
    for div in list(tree.iter("div")):
        kids = list(div)
        if not any(k.tag == "br" for k in kids) or any(isinstance(k.tag, str) and k.tag in _PARAGRAPH_BLOCKS for k in kids):
            continue
        paras, text, cur, i = [], div.text or "", [], 0
        while i < len(kids):
            k, j = kids[i], i
            while k.tag == "br" and j + 1 < len(kids) and kids[j + 1].tag == "br" and not (kids[j].tail or "").strip():
                j += 1
            if j > i:                           # two <br> or more in a row: a paragraph ends
                paras.append((text, cur))
                text, cur, i = kids[j].tail or "", [], j + 1
                continue
            cur.append(k)
            i += 1
        if not paras:
            continue
        paras.append((text, cur))
        div.text = None
        for k in kids:
            div.remove(k)
        for text, nodes in paras:
            if not text.strip() and not any(isinstance(x.tag, str) and x.tag != "br" for x in nodes):
                continue
            p = etree.SubElement(div, "p")
            p.text = text
            for x in nodes:
                p.append(x)
        n += 1
    return n


_TABLE_PARTS = ("thead", "tbody", "tfoot", "tr")
LAYOUT_ROLES = ("presentation", "none")
MIN_LAYOUT_ROWS = 3         # a table of fewer rows is left as it is


def _layout_table(table) -> bool:
    """A table that lays a page out (an e-mail newsletter's web view, an old CMS)
    rather than holding data: marked role=presentation, or built of one-cell rows
    with blocks inside its cells. trafilatura reads it as a data table and the
    story comes out as '| ... |' rows, or not at all."""
    if (table.get("role") or "").lower() in LAYOUT_ROLES:
        return True
    rows = [r for r in table.iter("tr") if r.getparent() is table or r.getparent().getparent() is table]
    if len(rows) < MIN_LAYOUT_ROWS:
        return False
    single = sum(1 for r in rows if len([c for c in r if c.tag in ("td", "th")]) == 1)
    blocks = any(isinstance(d.tag, str) and d.tag in _PARAGRAPH_BLOCKS
                 for c in table.iter("td") for d in c)
    return single >= 0.8 * len(rows) and blocks


def layout_tables(tree) -> int:
    """Layout tables become divs, and a cell of inline content a <p>, so the
    extractor sees the story's paragraphs. Inner tables first. Returns the count."""
    tables = [t for t in tree.iter("table") if _layout_table(t)]
    for table in reversed(tables):
        for el in list(table.iter()):
            if el.tag in _TABLE_PARTS or el is table:
                el.tag = "div"
            elif el.tag in ("td", "th"):
                inline = not any(isinstance(d.tag, str) and d.tag in _PARAGRAPH_BLOCKS | {"img"} for d in el.iter()
                                 if d is not el)
                el.tag = "p" if inline and (el.text or "").strip() or inline and len(el) else "div"
        for attr in ("role", "width", "cellpadding", "cellspacing", "align"):
            table.attrib.pop(attr, None)
    return len(tables)


def _trafilatura(tree, url, *, fast: bool, metadata: bool):
    doc = trafilatura.bare_extraction(
        tree, url=url, include_comments=False, include_tables=True,
        with_metadata=metadata, fast=fast, output_format="python")
    if doc is None:
        return None
    return doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)


def _paragraphs(text: str | None) -> list[str]:
    return [p.strip() for p in (text or "").split("\n") if p.strip()]


def body_with_fallback(tree, url, fast: bool, first: list[str], *, fallback: bool = True
                       ) -> tuple[list[str], str]:
    """(paragraphs, how): the story under the page's headline when the first extraction
    has none of it (how "fallback_headline"); the first extraction's paragraphs when they look right
    (how "fast" or "full"), else the better of trafilatura without fast mode (its
    readability/jusText fallbacks included: how "fallback_full") and the page's
    densest <p> block (how "fallback_container"). The fallback costs one more
    extraction, only on pages where the first one failed."""
    how = "fast" if fast else "full"
    if not fallback:
        return first, how
    main = main_text(tree)
    anchors = _anchor_texts(tree)
    why = extraction_failure(first, main, anchors)
    under = headline_block(tree)
    if under and not _overlap(first, under) and extraction_failure(under, [], anchors) is None:
        return under, f"fallback_headline.{why or 'missed'}"    # the story under the h1 was not taken
    if why is None:
        return first, how
    best, best_how, best_words = first, how, sum(_words(p) for p in first)
    if fast:
        full = _trafilatura(tree, url, fast=False, metadata=False)
        paras = _paragraphs(full.get("text") if full else None)
        # a story found again: it keeps what the first extraction had of it
        if paras and extraction_failure(paras, main, anchors) is None and \
                (why != "short" or _overlap(first, paras)):
            return paras, f"fallback_full.{why}"
        n = sum(_words(p) for p in paras)
        if paras and n > best_words and extraction_failure(paras, [], anchors) is None:
            best, best_how, best_words = paras, f"fallback_full.{why}", n
    main_words = sum(_words(p) for p in main)
    if main_words > 1.5 * best_words and extraction_failure(main, [], anchors) is None:
        return main, f"fallback_container.{why}"
    return best, best_how if best is not first else f"{how}.{why}"


# ---------------------------------------------------------------------------------
# a story split into chunks: the article container repeated as siblings

MAX_CHUNK_LEVELS = 4        # how far up from the article container a repeated chunk is looked for
_STOP_TAGS = {"article", "main", "body", "html"}   # a sibling <article> is another story
_CHUNK_TEXT_TAGS = ("p", "h2", "h3", "h4", "li")
_CHUNK_SKIP_TAGS = {"figure", "figcaption", "aside", "nav", "footer", "form", "blockquote", "table"}


def _signature(el) -> tuple[str, str]:
    return el.tag, " ".join((el.get("class") or "").split())


def _chunk_paragraphs(chunk) -> list[str]:
    """The story paragraphs of one chunk: its <p>, subheads and list items outside
    figures, asides, embeds and widgets (list items as "- " lines)."""
    out: list[str] = []
    for el in chunk.iter(*_CHUNK_TEXT_TAGS):
        bad = False
        for anc in el.iterancestors():
            if anc is chunk:
                break
            tag = anc.tag if isinstance(anc.tag, str) else ""
            cls = _classes(anc)
            if tag in _CHUNK_SKIP_TAGS or tag in ("p", "li") or _EMBED_CLASS.search(cls) \
                    or _WIDGET_CLASS.search(cls) or _SKIP_REGION.search(cls) or _CAPTION_CLASS.search(cls):
                bad = True
                break
        if bad or _EMBED_CLASS.search(_classes(el)) or _WIDGET_CLASS.search(_classes(el)):
            continue
        t = _text(el)
        if t:
            out.append(f"- {t}" if el.tag == "li" else t)
    return out


def _story_like(paras: list[str], chunk) -> bool:
    """Paragraphs that read as a story: two sentences of 12+ words, little link text."""
    long = [p for p in paras if _words(p) >= 12 and _TERMINAL.search(p)]
    chars = sum(len(p) for p in paras) or 1
    linked = sum(len(_text(a)) for a in chunk.iter("a"))
    return len(long) >= 2 and linked / chars < 0.3


def _own_header(el) -> bool:
    """A chunk with a headline or byline of its own is the next story (infinite
    scroll), not the rest of this one."""
    for d in el.iter("h1", "time"):
        return True
    return any(_BYLINE_CLASS.search(_classes(d)) for d in el.iter("div", "p", "span", "address"))


def _same_path(sib, path: list[tuple[str, str]]):
    """The element below `sib` reached by following `path` (signatures, top down)."""
    node = sib
    for sig in path:
        node = next((c for c in node if isinstance(c.tag, str) and _signature(c) == sig), None)
        if node is None:
            return None
    return node


def continued_body(tree, paragraphs: list[str]) -> tuple[list[str], int]:
    """(paragraphs, chunks added): a story the page splits into several copies of one
    container (the same tag and class, siblings inside one article, ads or widgets
    between them), of which the extractor kept one. The paragraphs of the other
    chunks are added before or after the body, in page order, when they read as story
    text and are not in the body already."""
    if tree is None or not paragraphs:
        return paragraphs, 0
    _, container = _container_of(tree, paragraphs)
    if container is None or container.tag in _STOP_TAGS:
        return paragraphs, 0
    node, path = container, []
    for _ in range(MAX_CHUNK_LEVELS):
        parent = node.getparent()
        sig = _signature(node)
        if parent is None or not sig[1]:
            return paragraphs, 0
        sibs = [s for s in parent if s is not node and isinstance(s.tag, str) and _signature(s) == sig]
        if sibs:
            break
        if parent.tag in _STOP_TAGS:
            return paragraphs, 0
        path.insert(0, sig)
        node = parent
    else:
        return paragraphs, 0
    have = {_dom_key(p) for p in paragraphs}
    before: list[str] = []
    after: list[str] = []
    added = 0
    position = "before"
    for sib in parent:
        if sib is node:
            position = "after"
            continue
        if not isinstance(sib.tag, str) or _signature(sib) != sig:
            continue
        chunk = _same_path(sib, path)
        if chunk is None or _in_skipped_region(chunk) or _own_header(sib):
            continue
        paras = [p for p in _chunk_paragraphs(chunk) if _dom_key(p) not in have]
        if not _story_like(paras, chunk):
            continue
        have.update(_dom_key(p) for p in paras)
        (before if position == "before" else after).extend(paras)
        added += 1
    return before + paragraphs + after, added


_SUBHEAD_CLASS = re.compile(r"sub-?head|crosshead|inter-?title|sub-?title|heading", re.I)
_SUBHEAD_TAGS = ("h2", "h3", "h4", "h5")
MAX_SUBHEAD_WORDS = 20


def _subhead(el, have: set[str]) -> str | None:
    """The text of a subhead the extractor dropped: a heading, or a block whose class
    says so (div.subheadline), short, not a link, not a widget, not in the body."""
    if not isinstance(el.tag, str):
        return None
    cls = _classes(el)
    if not (el.tag in _SUBHEAD_TAGS or el.tag in ("div", "p") and _SUBHEAD_CLASS.search(cls)):
        return None
    if _EMBED_CLASS.search(cls) or _WIDGET_CLASS.search(cls) or _SKIP_REGION.search(cls):
        return None
    t = _text(el)
    if not t or _words(t) > MAX_SUBHEAD_WORDS or _dom_key(t) in have:
        return None
    if sum(len(_text(a)) for a in el.iter("a")) > len(t) / 2:
        return None
    return t


MAX_STORY_LIST_ITEMS = 15
MAX_STORY_ITEM_WORDS = 40


def _story_list(el, have: set[str]) -> list[str]:
    """The items of a list the extractor dropped ("- " lines), when it is a list of the
    story: plain text items, no links (a list of links is other headlines), not a widget."""
    while isinstance(el.tag, str) and el.tag == "div" and len(el) == 1 and not (el.text or "").strip():
        el = el[0]                  # a list wrapped in a div (a layout table's cell)
    if not isinstance(el.tag, str) or el.tag not in ("ul", "ol"):
        return []
    cls = _classes(el)
    if _EMBED_CLASS.search(cls) or _WIDGET_CLASS.search(cls) or _SKIP_REGION.search(cls) or \
            next(el.iter("a"), None) is not None:
        return []
    items = [_text(li) for li in el if isinstance(li.tag, str) and li.tag == "li"]
    if not items or len(items) > MAX_STORY_LIST_ITEMS or not all(items) or \
            any(_words(t) > MAX_STORY_ITEM_WORDS or _dom_key(t) in have for t in items):
        return []
    return ["- " + t for t in items]


def _story_rows(located: list, container):
    """(rows, parent): the body paragraphs as children of the element that holds most
    of them, each climbed through wrappers of one child (a layout table's row and
    cell): the container itself, unless the page's own header and footer were taken
    with the story and the container is higher up."""
    rows = []
    for el in located:
        while el.getparent() is not None and el.getparent() is not container and len(el.getparent()) == 1:
            el = el.getparent()
        rows.append(el)
    parents = Counter(r.getparent() for r in rows)
    parent, n = parents.most_common(1)[0]
    if parent is container or parent is None or 2 * n < len(rows):
        return located, container
    return [r for r in rows if r.getparent() is parent], parent


def restore_subheads(tree, paragraphs: list[str]) -> tuple[list[str], int]:
    """(paragraphs, added): subheads and story lists between two body paragraphs of the
    article container that the extractor left out, put back in their place."""
    if tree is None or not paragraphs:
        return paragraphs, 0
    located, container = _container_of(tree, paragraphs)
    if container is None:
        return paragraphs, 0
    index = {}
    for i, p in enumerate(paragraphs):
        index.setdefault(_norm_key(p)[:60], i)
    have = {_dom_key(p) for p in paragraphs}
    at: dict[int, list[str]] = {}
    pending: list[str] = []
    seen_body = False
    located, container = _story_rows(located, container)
    located_set = set(located)
    for child in container:
        if child in located_set:
            i = index.get(_norm_key(child.text_content()[:200])[:60])
            if i is not None and seen_body and pending:
                at.setdefault(i, []).extend(pending)
            pending, seen_body = [], seen_body or i is not None
            continue
        if seen_body:
            t = _subhead(child, have)
            pending.extend([t] if t else _story_list(child, have))
    if not at:
        return paragraphs, 0
    out: list[str] = []
    for i, p in enumerate(paragraphs):
        out.extend(at.get(i, []))
        out.append(p)
    return out, sum(len(v) for v in at.values())


_JOINERS = ("\u200c", "\u200d", "&zwj;", "&zwnj;", "&#8204;", "&#8205;", "&#x200c;", "&#x200d;")


def restore_joiners(html, tree, paragraphs: list[str]) -> list[str]:
    """Words written with zero-width joiners, as on the page: trafilatura drops the
    joiners, and Sinhala, Malayalam or Persian words are spelt with them."""
    raw = html.decode("utf-8", "ignore") if isinstance(html, bytes) else html
    if not any(j in raw for j in _JOINERS):
        return paragraphs
    joined = {w.replace("\u200c", "").replace("\u200d", ""): w
              for w in " ".join(tree.itertext()).split() if "\u200c" in w or "\u200d" in w}
    if not joined:
        return paragraphs
    return [re.sub(r"\S+", lambda m: joined.get(m.group(), m.group()), p) for p in paragraphs]


def extract_html(html: str, url: str | None = None, *, fast: bool = False,
                 catalogue=None, fallback: bool = True) -> dict | None:
    """Article fields from a page, or None when trafilatura finds no body.

    Reader comments stay out of the body (include_comments=False); paragraphs are joined
    by a blank line so later steps can work paragraph by paragraph. `figures` are the
    page's photo captions; `furniture` the furniture lines inside the article that
    trafilatura already dropped (matched with `catalogue`, default: the packaged
    anatomy catalogue), for the anatomy step's `boilerplate`. `extraction` says how the
    body was found ("fast", "full", "fallback_full.short", ...): see body_with_fallback.
    """
    if not html or not isinstance(html, (str, bytes)):
        return None
    tree = load_html(html)
    if tree is None:
        return None
    catalogue = catalogue or _default_catalogue()
    try:
        figures = figures_from_tree(tree)
    except Exception:           # a broken page never costs the article its body
        figures = []
    try:
        layout_tables(tree)
        br_paragraphs(tree)
    except Exception:
        pass
    data = _trafilatura(tree, url, fast=fast, metadata=True)
    paragraphs = _paragraphs(data.get("text") if data else None)
    try:
        paragraphs, how = body_with_fallback(tree, url, fast, paragraphs, fallback=fallback)
    except Exception:
        how = "fast" if fast else "full"
    try:
        paragraphs, chunks = continued_body(tree, paragraphs)
        if chunks:
            how += ".chunks"
        paragraphs, subheads = restore_subheads(tree, paragraphs)
        if subheads:
            how += ".subheads"
        paragraphs = restore_joiners(html, tree, paragraphs)
    except Exception:
        pass
    if not paragraphs:
        return None
    data = data or {}
    found = paragraphs
    try:
        paragraphs, widgets = split_dom_furniture(tree, paragraphs)
    except Exception:
        widgets = []
    try:
        # located with the widgets still in: the article container is the same
        furniture = furniture_from_tree(tree, found, catalogue)
    except Exception:
        furniture = []
    furniture = widgets + furniture
    try:
        meta = page_metadata(tree, url)
    except Exception:
        meta = {}
    authors = clean_authors((data.get("author") or "").split(";"), meta.get("sites") or [])
    # the metadata may name only the first of several authors the byline names
    try:
        in_byline = byline_authors(tree, catalogue)
    except Exception:
        in_byline = []
    in_byline = clean_authors(in_byline, meta.get("sites") or [])
    if not authors or len(in_byline) > len(authors) and \
            {a.casefold() for a in authors} <= {a.casefold() for a in in_byline}:
        authors = in_byline         # the page's byline element, when the metadata names nobody
    elif in_byline and set(in_byline) < set(authors) and _words_of_byline(tree, set(authors) - set(in_byline)):
        authors = in_byline         # "Gan / By Jane Doe, Gohebydd / Reporter" split at its slashes: no "Gan"
    try:
        anchors = _anchor_texts(tree)
        links = [p for p in paragraphs if len(p.split()) >= 3 and _norm_key(p.lstrip("-•* ")) in anchors]
    except Exception:
        links = []
    return {
        "title": best_title(meta, data.get("title"), data.get("sitename"), url),
        "links": links,
        "title_candidates": meta.get("titles") or [],
        "authors": authors,
        "date": data.get("date"),
        "sitename": data.get("sitename"),
        "language": data.get("language"),
        "text": "\n\n".join(paragraphs),
        "figures": figures,
        "furniture": furniture,
        "extraction": how,
    }


# ---------------------------------------------------------------------------------
# title from the best source

_TITLE_SEP = re.compile(r"\s+(?:[|·•»~/]|::|[-\u2013\u2014])\s+|\s*:\s+")
_ALNUM = re.compile(r"[^\w]+")


def _jsonld_objects(tree):
    import json
    for script in tree.iter("script"):
        if "ld+json" not in (script.get("type") or "").lower() or not script.text:
            continue
        try:
            data = json.loads(script.text)
        except ValueError:
            continue
        stack = [data]
        while stack:
            obj = stack.pop()
            if isinstance(obj, list):
                stack.extend(obj[:50])
            elif isinstance(obj, dict):
                yield obj
                if isinstance(obj.get("@graph"), list):
                    stack.extend(obj["@graph"][:50])


def _ld_name(x) -> str | None:
    if isinstance(x, str):
        return x.strip() or None
    if isinstance(x, dict):
        return _ld_name(x.get("name"))
    if isinstance(x, list) and x:
        return _ld_name(x[0])
    return None


def page_metadata(tree, url: str | None = None) -> dict:
    """Title candidates and site names read from the page: JSON-LD headline (article
    types), og:title / twitter:title, the article's first <h1>, <title>; site names
    from og:site_name, JSON-LD publisher, application-name and the URL's domain."""
    meta: dict = {"headline": None, "og_title": None, "h1": None, "html_title": None, "sites": []}
    if tree is None:
        return meta
    for obj in _jsonld_objects(tree):
        kind = obj.get("@type")
        kinds = kind if isinstance(kind, list) else [kind]
        if any(isinstance(k, str) and (k.endswith("Article") or k in ("BlogPosting", "Report", "WebPage"))
               for k in kinds):
            head = obj.get("headline") if isinstance(obj.get("headline"), str) else None
            if head and head.strip() and (meta["headline"] is None or not any(
                    isinstance(k, str) and k == "WebPage" for k in kinds)):
                meta["headline"] = meta["headline"] or " ".join(head.split())
            pub = _ld_name(obj.get("publisher"))
            if pub:
                meta["sites"].append(pub)
        if any(k in ("Organization", "NewsMediaOrganization", "WebSite") for k in kinds if isinstance(k, str)):
            name = _ld_name(obj.get("name"))
            if name:
                meta["sites"].append(name)
    for m in tree.iter("meta"):
        key = (m.get("property") or m.get("name") or "").lower()
        val = " ".join((m.get("content") or "").split())
        if not val:
            continue
        if key in ("og:title", "twitter:title") and not meta["og_title"]:
            meta["og_title"] = val
        elif key in ("og:site_name", "application-name", "publisher", "twitter:site"):
            meta["sites"].append(val.lstrip("@"))
    for h in tree.iter("h1"):
        t = _text(h)
        if t and not _in_skipped_region(h):
            meta["h1"] = t
            break
    t = tree.find(".//title")
    if t is not None:
        meta["html_title"] = _text(t) or None
    if url:
        from urllib.parse import urlsplit
        host = (urlsplit(url).hostname or "").lower()
        if host.startswith("www."):
            host = host[4:]
        if host:
            meta["sites"].append(host)
            meta["sites"].append(host.split(".")[0])
    meta["titles"] = [x for x in (meta["headline"], meta["og_title"], meta["h1"], meta["html_title"]) if x]
    return meta


def _site_key(s: str) -> str:
    return _ALNUM.sub("", s.casefold())


def strip_site_name(title: str, sites: list[str]) -> str:
    """The title without a leading or trailing site name (" | Site", " - Site",
    "Site: ..."), removed only when that part matches one of `sites` (or a domain's
    name written with spaces: "Daily Courier" for dailycourier.com)."""
    keys = {k for k in (_site_key(s) for s in sites or []) if len(k) >= 2}
    if not title or not keys:
        return title

    def is_site(part: str) -> bool:
        k = _site_key(part)
        if not k or len(part.split()) > 6:
            return False
        return k in keys or any(len(x) >= 4 and (k.startswith(x) or x.startswith(k) and len(k) >= 4)
                                for x in keys)

    for _ in range(2):
        parts = _TITLE_SEP.split(title)
        seps = _TITLE_SEP.findall(title)
        if len(parts) < 2:
            break
        if is_site(parts[-1]):
            title = title[: len(title) - len(parts[-1]) - len(seps[-1])].strip()
        elif is_site(parts[0]):
            title = title[len(parts[0]) + len(seps[0]):].strip()
        else:
            break
    return title


def best_title(meta: dict, fallback: str | None, sitename: str | None, url: str | None) -> str | None:
    """The article's headline: JSON-LD headline, og:title, the <h1>, trafilatura's
    title, <title>, first that is present, with the site name taken off; the h1 over a
    metadata headline that words the same story differently. A headline cut
    short ("...") gives way to the h1 or og:title it starts."""
    sites = list(meta.get("sites") or []) + ([sitename] if sitename else [])
    order = [meta.get("headline"), meta.get("og_title"), meta.get("h1"), fallback, meta.get("html_title")]
    cands = [strip_site_name(" ".join(c.split()), sites) for c in order if c and c.strip()]
    cands = [c for c in cands if c]
    if not cands:
        return None
    best = cands[0]
    if best.endswith(("...", "…")):
        stem = best.rstrip(".… ").casefold()
        for c in cands[1:]:
            if c.casefold().startswith(stem) and len(c) > len(stem):
                return c
    # a social title cut short ("Gorge to close for 14 weeks", "[TV] Fog nets bring water") under the
    # page's full headline ("Gorge to close for 14 weeks as repairs begin", "Fog nets built by
    # engineers bring water"): the full one, whose words it keeps in order
    h1 = strip_site_name(" ".join((meta.get("h1") or "").split()), sites)
    if h1 and _shortened(best, h1):
        return h1
    # the headline on the page, reworded for search and sharing in the metadata ("Samegrelo
    # hazelnut growers see 18% price rise" over the h1 "Hazelnut growers in Samegrelo are paid
    # 18% more per kilo"): the h1 the reader sees, when it is about the same thing (not the site's logo)
    if h1 and len(h1.split()) >= MIN_H1_WORDS and _key_words(h1) != _key_words(best) and \
            len(_content_set(h1) & _content_set(best)) >= MIN_SHARED_WORDS and \
            not any(_key_words(h1) == _key_words(x) for x in sites):
        return h1
    # the page's headline and its <title> agree, the social or feed headline is another text
    # ("Flores coastal path reopens" as og:title over the h1 and <title> of the release): two sources over one
    page = " ".join((meta.get("html_title") or "").split())
    if h1 and page.startswith(h1) and _key_words(h1) != _key_words(best) and (
            page == h1 or _TITLE_SEP.match(page[len(h1):])):
        return h1
    return best


MIN_H1_WORDS = 4
MIN_SHARED_WORDS = 2
_TITLE_STOP = frozenset("the a an of in on at to for and or but is are was were be by with from as its it "
                        "this that after over new".split())


def _content_set(s: str) -> set:
    return {w for w in _ALNUM_WORDS.findall(s.casefold()) if w not in _TITLE_STOP}


def _key_words(s: str) -> tuple:
    return tuple(_ALNUM_WORDS.findall(s.casefold()))


_TAG = re.compile(r"^\s*[\[(][^\])]{1,12}[\])]\s*")     # "[HBN] ", "(VIDEO) " before a social title
MAX_ADDED_WORDS = 8


def _shortened(short: str, full: str) -> bool:
    """`short` is `full` with words left out (and maybe a bracketed tag before it): its
    words appear in `full` in the same order, and `full` has at most MAX_ADDED_WORDS more."""
    a = _ALNUM_WORDS.findall(_TAG.sub("", short).casefold())
    b = _ALNUM_WORDS.findall(full.casefold())
    if not a or len(b) <= len(a) or len(b) - len(a) > MAX_ADDED_WORDS:
        return False
    it = iter(b)
    return all(w in it for w in a)


_ALNUM_WORDS = re.compile(r"\w+")


# ---------------------------------------------------------------------------------
# authors

_EMAIL = re.compile(r"\S+@\S+\.\w{2,}")
_BY = re.compile(r"^\s*(?:(?:" + _BYLINE_MARKER + r"|from)\s*:?\s+|"
                 r"(?:por|von|par|door)\s*:?\s+(?=\S+\s+\S))", re.I)     # not "Von Miller"
# the writer's part of "Story by Jane Doe, Photos by John Roe"
_CONTRIBUTOR_AFTER = re.compile(r"\s*[,;|·•]\s*(?i:(?:additional\s+)?(?:photos?|photography|pictures?|images?|"
                                r"video|graphics|illustrations?|editing|edited)(?:\s+by|\s*:)).*$")
# a contributor who is not an author: "Medically reviewed by", "Edited by", "Photos by"
_CONTRIBUTOR = re.compile(r"^\s*(?:medically\s+|fact[\s-]?)?(?:reviewed|checked|edited|illustrat(?:ed|ions)|"
                          r"photograph(?:s|y|ed)|photos?|pictures|video|produced|translated|graphics)\s+by\b", re.I)
_ROLE_WORDS = re.compile(r"\b(?:reporter|writer|correspondent|editor|columnist|contributor|producer|"
                         r"journalist|analyst|critic|photographer|staff|desk|team|bureau|newsroom)s?\b", re.I)
_AND = re.compile(r"\s*(?:;|&|\band\b|\bund\b|\bet\b|\by\b)\s*|\s*,\s*(?=[A-Z][\w'’.\-]+\s+[A-Z])")


# a name followed by the start of a bio sentence (an author box taken as the author)
_BIO = re.compile(r"\s*([A-ZÀ-Þ][\w'’.\-]*(?:\s+(?:(?:de|da|del|van|von|der|la|le|bin|al|el)\s+)?[A-ZÀ-Þ][\w'’.\-]*){1,3})"
                  r"\s+(?:is|was|has|covers|writes|reports|joined|holds|lives|leads|edits)\b.{3,}")
# the outlet's staff before the names: "Harbour Times reporters Jane Doe and John Roe"
_OUTLET_STAFF = re.compile(r"^\s*(?:the\s+)?(?:[A-Z][\w&'’.\-]*\s+){1,4}(?:staff\s+)?"
                           r"(?:reporters|writers|correspondents|journalists|reporter|writer|correspondent)\s+(?=[A-Z])")
_ROLE_ADJ = frozenset("senior chief political business sports staff special foreign deputy associate "
                      "managing contributing investigative local national health science education "
                      "economics economy climate environment technology tech courts crime data "
                      "digital news city state world culture arts transport weather".split())


# lower-case words that belong inside a name ("Ana de la Cruz", "Ludwig van Beethoven")
_NAME_PARTICLES = frozenset("de del della der den di da das dos du la le van von ter ten bin al el "
                            "y e zu st. st ap ab ferch mac ni nic".split())
_PREPOSITIONS = frozenset("in at for of with from on by to".split())


def _name_before_bio(part: str) -> tuple[str, bool]:
    """(name, was a bio): "Jane Doe covers farming and water" -> ("Jane Doe", True);
    the capitalised words in front of the first lower-case word that is not a name
    particle, when they are 2-4 words; a part with no such word is returned as is."""
    words = part.split()
    for i, w in enumerate(words):
        if w[:1].islower() and w.casefold() not in _NAME_PARTICLES:
            if i == 0 or words[i - 1].endswith(",") or len(words) - i < 2 or w.casefold() in _PREPOSITIONS:
                return part, False              # "jane doe", "Jane Doe, political reporter", "... in Oslo"
            if 2 <= i <= 4 and all(x[:1].isupper() or x.casefold() in _NAME_PARTICLES for x in words[:i]):
                return " ".join(words[:i]).strip(" ,;:.-"), True
            return "", True
    return part, False


def clean_authors(raw: list[str], sites: list[str] = ()) -> list[str]:
    """Person names from author strings as pages give them: "By Jane Doe, Political
    Reporter", "Jane Doe and John Roe", "jane@example.com", "Jane Doe | Harbour Times",
    an author bio taken for the name ("Jane Doe covers farming and water policy": the
    name, and nothing after it from that bio). Roles, e-mail addresses, site names and
    URLs are dropped; "and"/"&"/";" lists split."""
    from transforms.anatomy import names_a_person
    site_keys = {_site_key(s) for s in sites if s}
    out: list[str] = []
    bio_seen = False
    for item in raw or []:
        if not isinstance(item, str):
            continue
        if _CONTRIBUTOR.match(item):
            continue                               # a reviewer, editor or photographer
        item = _EMAIL.sub(" ", _CONTRIBUTOR_AFTER.sub("", _BY.sub("", item)))
        item = _OUTLET_STAFF.sub("", item)          # "Harbour Times reporters Jane Doe and ..."
        if bio_seen:
            break                                  # the rest of a bio the metadata cut at "and"
        bio = _BIO.match(item)                     # an author box: "Jane Doe covers ports for ..."
        if bio:
            item, bio_seen = bio.group(1), True
        item = re.split(r"\s*[|/·•]\s*|\s+[-\u2013\u2014]\s+", item)[0]
        for part in _AND.split(item):
            part = " ".join(part.split()).strip(" ,;:.-")
            part = PLACE_AFTER.sub("", part)          # "Jane Doe in Nairobi"
            part, bio = _name_before_bio(part)
            if bio:
                if part and part not in out:
                    out.append(part)
                return out                      # the rest of the list is that bio's words
            if "," in part:                       # "Jane Doe, Political Reporter"
                head, tail = part.split(",", 1)
                if _ROLE_WORDS.search(tail) or len(tail.split()) <= 3:
                    part = head.strip()
            words = part.split()
            if words and _ROLE_WORDS.fullmatch(words[-1]):
                # "Jane Doe Senior Reporter": keep the name in front of the role
                words = words[:-1]
                while words and words[-1].casefold() in _ROLE_ADJ:
                    words = words[:-1]
                if len(words) < 2 or words[0].casefold() in _ROLE_ADJ:
                    continue                       # "Local Democracy Reporter": a job, no name
                part = " ".join(words)
            if "http" in part or "www." in part or _site_key(part) in site_keys or len(part) > 60:
                continue
            if not names_a_person(part):
                continue                           # "Programmes Officer (Bangladesh)", "Kumasi Bureau"
            if part.upper() == part and any(ch.isalpha() for ch in part):
                part = part.title()
            if part and part not in out:
                out.append(part)
    return out


def _default_catalogue():
    from transforms.anatomy import Catalogue
    return Catalogue.load()                  # the packaged catalogue is built once per process
