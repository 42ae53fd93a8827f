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

import trafilatura
from lxml import etree
from trafilatura.utils import load_html

MAX_FIGURES = 200
MAX_CAPTION_CHARS = 2000

_WS = re.compile(r"\s+")
# class/id tokens that mark a caption block, a credit inside or next to it, and page
# regions whose pictures are not the article's (teasers, related stories, ads ...).
_CAPTION_CLASS = re.compile(r"caption|cutline|legend", re.I)
_NOT_CAPTION_CLASS = re.compile(r"(?:no|has|with|toggle|btn|button|icon|show|hide)[-_]?caption"
                                r"|caption[-_]?(?:toggle|btn|button|icon|less|open|close|show|hide)",
                                re.I)
_CREDIT_CLASS = re.compile(r"credit|copyright|photographer|attribution|courtesy|"
                           r"(?:image|photo|media|img|pic|figure)[-_]?(?:source|author|by)", re.I)
# inside a caption element, a span marked as a byline/author holds the photo credit
# (<figcaption><span class="caption-text">...</span> <span class="byline">Jane Doe</span>)
_INNER_CREDIT_CLASS = re.compile(r"byline|author|photographer", re.I)
# the article's byline element (outside figures)
_BYLINE_CLASS = re.compile(r"byline|author", re.I)
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
_CREDIT_LABEL = re.compile(r"^\s*(?:(?:image|photo(?:graph)?|picture|video|media)\s+(?:source|credit)\s*[,:]"
                           r"|(?:photo(?:graph)?|image|picture|credit|illustration|composite|"
                           r"video)s?\s*(?:credit)?\s*:)\s*", re.I)
_CAPTION_LABEL = re.compile(r"^\s*(?:image|media|video|photo)\s+caption\s*[,:]\s*", re.I)
_SOURCE_LABEL = re.compile(r"^\s*(?:image|media|video|photo)\s+source\s*,\s*", re.I)


def _text(el) -> str:
    return " ".join("".join(_itertext(el)).split())


def _itertext(el):
    """Text of an element without script/style/button contents."""
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag in ("script", "style", "button", "template", "noscript", "svg"):
        return
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
    "or contains(@class, 'utline') or contains(@class, 'egend') or contains(@id, 'aption')]")


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
    s = _CREDIT_LABEL.sub("", s).strip()
    if len(s) > 2 and s[0] == "(" and s[-1] == ")":
        s = s[1:-1].strip()
    return s


def _caption_of(cap_el, scope, *, siblings_only: bool = False) -> tuple[str, str | None] | None:
    """(text, credit) of a caption element; credit from a credit element inside it or
    (failing that) inside `scope`: the figure, or the caption's parent (its direct
    children only)."""
    full = _text(cap_el)
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
        credit = _clean_credit(" ".join(dict.fromkeys(credit_texts))) or None
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
                credits = [c for c in el.iterdescendants() if _is_credit_el(c)]
                for c in credits:
                    credit = _clean_credit(_text(c))
                    if credit:
                        add(("", credit))
            taken.update(el.iterdescendants())
        elif _is_caption_el(el):
            if _in_skipped_region(el):
                continue
            taken.update(el.iterdescendants())
            add(_caption_of(el, el.getparent(), siblings_only=True))
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
    for el in tree.iter("p", "div", "span", "li", "address", "section"):
        if not _BYLINE_CLASS.search(_classes(el)) or _in_skipped_region(el):
            continue
        if any(isinstance(a.tag, str) and (a.tag in ("figure", "figcaption") or _is_caption_el(a))
               for a in el.iterancestors()):
            continue
        t = _text(el)
        if not t or len(t) > 300:
            continue
        hit = catalogue.classify(t, position="head", classes=("byline",))
        if hit is not None:
            names = authors_from_byline(hit[1].get("names") or "")
            if names:
                return names
    return []


def _norm_key(s: str) -> str:
    return " ".join(s.split()).casefold()


def furniture_from_tree(tree, paragraphs: list[str], catalogue) -> list[str]:
    """Page furniture inside the article that trafilatura already left out of the text
    ("Advertisement", "Share this article", newsletter prompts, an author bio ...): the
    texts of blocks in the article container that a catalogue entry of class
    boilerplate or gallery_ui matches as a whole, in page order. Lines still in the text
    are left to the anatomy step."""
    if tree is None or not paragraphs:
        return []
    in_text = {_norm_key(p) for p in paragraphs}
    prefixes: dict[str, int] = {}
    for p in paragraphs:
        k = _norm_key(p)
        if len(k) >= 20:
            prefixes[k[:60]] = max(prefixes.get(k[:60], 0), len(k))
    if not prefixes:
        return []
    # body paragraphs located in the page (innermost blocks holding one paragraph):
    # their common ancestor is the article container
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
        return []
    first, last = located[0], located[-1]
    first_anc = [first] + list(first.iterancestors())
    last_anc = set([last] + list(last.iterancestors()))
    container = next((a for a in first_anc if a in last_anc), None)
    if container is None:
        return []
    if container is first or container is last:
        container = container.getparent() if container.getparent() is not None else container
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


def extract_html(html: str, url: str | None = None, *, fast: bool = False,
                 catalogue=None) -> dict | None:
    """Article fields from a page, or None when trafilatura finds no body.

    Reader comments stay out of the body (include_comments=False); paragraphs are joined
    by a blank line so later steps can work paragraph by paragraph. `figures` are the
    page's photo captions; `furniture` the furniture lines inside the article that
    trafilatura already dropped (matched with `catalogue`, default: the packaged
    anatomy catalogue), for the anatomy step's `boilerplate`.
    """
    if not html or not isinstance(html, (str, bytes)):
        return None
    tree = load_html(html)
    if tree is None:
        return None
    try:
        figures = figures_from_tree(tree)
    except Exception:           # a broken page never costs the article its body
        figures = []
    doc = trafilatura.bare_extraction(
        tree, url=url, include_comments=False, include_tables=True,
        with_metadata=True, fast=fast, output_format="python")
    if doc is None:
        return None
    data = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    text = data.get("text") or ""
    paragraphs = [p.strip() for p in text.split("\n") if p.strip()]
    if not paragraphs:
        return None
    try:
        furniture = furniture_from_tree(tree, paragraphs, catalogue or _default_catalogue())
    except Exception:
        furniture = []
    authors = [a.strip() for a in (data.get("author") or "").split(";") if a.strip()]
    # the metadata may name only the first of several authors the byline names
    try:
        in_byline = byline_authors(tree, catalogue or _default_catalogue())
    except Exception:
        in_byline = []
    if authors and len(in_byline) > len(authors) and \
            {a.casefold() for a in authors} <= {a.casefold() for a in in_byline}:
        authors = in_byline
    return {
        "title": data.get("title"),
        "authors": authors,
        "date": data.get("date"),
        "sitename": data.get("sitename"),
        "language": data.get("language"),
        "text": "\n\n".join(paragraphs),
        "figures": figures,
        "furniture": furniture,
    }


def _default_catalogue():
    from transforms.anatomy import Catalogue
    return Catalogue.load()                  # the packaged catalogue is built once per process
