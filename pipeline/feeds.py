"""RSS/Atom/RDF (feedparser), JSON Feed and OPML -> feed-entry units.

An entry with full content (content:encoded, Atom content) becomes a Page with that
HTML; an entry with only a link becomes a Page that the Fetch step downloads.
Documents that declare XML entities, or whose DOCTYPE points at a local resource, are
refused (feed_unsafe_xml) before any parser sees them, in whatever encoding they come:
entity expansion ("billion laughs") and external entities have no place in a news feed.
The document is decoded here (BOM, UTF-16/32 sniffing, UTF-8 first, then the declared
charset) and handed to feedparser as UTF-8, so mislabelled feeds read right.
Entry links are absolute http(s) URLs or nothing: relative ones are resolved against
the feed link, an RSS <guid> that is not a URL is not a link, and javascript:/file:
links are dropped. Each entry gets its own input_ref, even when a feed repeats an entry.
"""
from __future__ import annotations

import calendar
import datetime as dt
import itertools
import json
import re
from urllib.parse import urljoin

import feedparser

from pipeline import decode as dec
from pipeline.model import Page, Reject
from transforms.ids import source_of

_ENTITY_DECL = re.compile(r"<!ENTITY", re.I)
_DOCTYPE = re.compile(r"<!DOCTYPE", re.I)
_DECL_END = re.compile(r"[>\[]")
_LITERAL = re.compile(r"""["']([^"']*)["']""")
_XML_DECL = re.compile(r"""^\s*<\?xml[^>]*?\?>""")
_XML_DECL_ENC = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']\s*([A-Za-z0-9._:-]+)""")
_URL_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
# XML sniffing without a BOM (XML 1.0, appendix F): the first characters '<?' or '<'
_WIDE_MARKERS = ((b"\x00\x00\x00<", "utf-32-be"), (b"<\x00\x00\x00", "utf-32-le"),
                 (b"\x00<\x00?", "utf-16-be"), (b"<\x00?\x00", "utf-16-le"),
                 (b"\x00<", "utf-16-be"), (b"<\x00", "utf-16-le"))


def _reject(ref, reason, detail=""):
    return Reject(ref, "feed", "read", reason, detail, None, dt.datetime.now(dt.timezone.utc))


def xml_text(data: bytes) -> str:
    """The document as text: BOM, UTF-16/32 sniffing, UTF-8, the XML declaration, detection.

    Raises decode.DecodeError for binary content.
    """
    for marker, enc in _WIDE_MARKERS:
        if data.startswith(marker):
            return data.decode(enc, "replace")
    m = _XML_DECL_ENC.match(data[:512])
    text, _ = dec.decode(data, m.group(1).decode("ascii") if m else None)
    return text


def _unsafe(text) -> str | None:
    """Why a document must not reach an XML parser, or None (linear time on any input)."""
    if _DOCTYPE.search(text) is None:
        return None
    if _ENTITY_DECL.search(text):
        return "document declares XML entities"
    for m in itertools.islice(_DOCTYPE.finditer(text), 100):
        decl = _DECL_END.split(text[m.end():m.end() + 2000], 1)[0]
        for literal in _LITERAL.findall(decl):
            lit = literal.strip()
            if (_URL_SCHEME.match(lit) and not lit.lower().startswith(("http://", "https://"))) \
                    or lit.startswith(("/", "\\", ".")):
                return f"document type refers to a local resource ({lit[:100]})"
    return None


def unsafe_xml(data: bytes) -> bool:
    """Entity declarations or a non-HTTP external DTD, in any encoding the parser may read."""
    if _unsafe(data.decode("latin-1")):
        return True
    try:
        return _unsafe(xml_text(data)) is not None
    except dec.DecodeError:
        return False


def _iso(struct) -> str | None:
    if not struct:
        return None
    try:
        return dt.datetime.fromtimestamp(calendar.timegm(struct), dt.timezone.utc).isoformat()
    except (OverflowError, ValueError, TypeError):
        return None


def _http_link(link, base) -> str | None:
    """An absolute http(s) URL for an entry link (relative ones resolved against `base`), or None."""
    if not isinstance(link, str) or not link.strip():
        return None
    link = link.strip()
    if not _URL_SCHEME.match(link):
        if not base or not base.lower().startswith(("http://", "https://")):
            return None
        try:
            link = urljoin(base, link)
        except ValueError:
            return None
    return link if link.lower().startswith(("http://", "https://")) else None


class _Refs:
    """Unique input_refs within one feed: the same entry id twice gets `~2`, `~3`..."""

    def __init__(self, ref):
        self.ref, self.used = ref, set()

    def __call__(self, eid) -> str:
        uref = f"{self.ref}#{eid}"
        n = 1
        while uref in self.used:
            n += 1
            uref = f"{self.ref}#{eid}~{n}"
        self.used.add(uref)
        return uref


def _max_record(config) -> int:
    return getattr(getattr(config, "read", None), "max_record_bytes", 10_000_000)


def parse_feed(ref: str, data: bytes, config, base_url: str | None = None):
    """Feed entries of one document: Page per entry, or one Reject for the whole document."""
    text, why = _feed_text(data)
    if why:
        yield _reject(ref, *why)
        return
    if text.startswith("{"):
        yield from _json_feed(ref, text, config, base_url)
        return
    parsed, why = _parse_xml_feed(text, base_url)
    if why:
        yield _reject(ref, *why)
        return
    feed_link = _http_link(parsed.feed.get("link"), base_url) or _http_link(base_url, None)
    refs = _Refs(ref)
    limit = _max_record(config)
    for i, e in enumerate(parsed.get("entries")):
        yield _entry_page(e, i, refs, feed_link, parsed.feed.get("title"), limit)


def _feed_text(data: bytes) -> tuple[str, tuple | None]:
    """The document as safe text, or a (reason, detail) reject: empty, unsafe XML (checked
    on the bytes before any decoder runs and again on the text), or undecodable."""
    if not data.strip(b"\xef\xbb\xbf \t\r\n\x00"):
        return "", ("feed_empty", "empty document")
    why = _unsafe(data.decode("latin-1"))
    if why:
        return "", ("feed_unsafe_xml", why)
    try:
        text = xml_text(data)
    except dec.DecodeError as e:
        return "", ("feed_malformed", f"not a feed: {e}")
    why = _unsafe(text)
    if why:
        return "", ("feed_unsafe_xml", why)
    stripped = text.lstrip("\ufeff \t\r\n")
    if not stripped:
        return "", ("feed_empty", "empty document")
    return stripped, None


def _parse_xml_feed(text: str, base_url: str | None):
    """feedparser's result with at least one entry, or a (reason, detail) reject."""
    # feedparser gets UTF-8 that says so: its own charset guesses (ISO-8859-1 for a file
    # without a declaration, the declared charset before UTF-8) misread mislabelled feeds.
    body = _XML_DECL.sub("", text, count=1)
    body = ('<?xml version="1.0" encoding="utf-8"?>\n' + body).encode("utf-8", "replace")
    try:
        parsed = feedparser.parse(body, resolve_relative_uris=True, sanitize_html=False,
                                  response_headers={"content-location": base_url or "",
                                                    "content-type": "application/xml; charset=utf-8"})
    except Exception as e:  # feedparser is lenient, but never let it take the run down
        return None, ("feed_malformed", f"{type(e).__name__}: {e}"[:300])
    if parsed.get("entries"):
        return parsed, None
    version = parsed.get("version") or ""
    if parsed.get("bozo") and not version:
        return None, ("feed_malformed", f"not a feed: {parsed.get('bozo_exception')}"[:300])
    if not version:
        return None, ("feed_malformed", "not a feed (no RSS/Atom/RDF root)")
    return None, ("feed_empty", f"{version} feed has no entries")


def _entry_page(e, i: int, refs, feed_link, feed_title, limit: int):
    """One entry as a Page (its content, else its link to fetch, else its summary), or a
    Reject when it is too large or has nothing to read."""
    content = next((c["value"] for c in e.get("content") or []
                    if (c.get("value") or "").strip()), "")
    raw_link = e.get("link")
    if e.get("guidislink") and not _URL_SCHEME.match(raw_link or ""):
        raw_link = None        # an RSS <guid> that is not a URL is not a link
    link = _http_link(raw_link, feed_link)
    uref = refs(e.get("id") or link or f"entry-{i + 1}")
    authors = [a.get("name") for a in (e.get("authors") or []) if a.get("name")]
    if not authors and e.get("author"):
        authors = [e["author"]]
    page = Page(input_ref=uref, source_kind="feed", url=link,
                source=source_of(link) or source_of(feed_link) or feed_title,
                title=e.get("title"), authors=authors,
                published=_iso(e.get("published_parsed") or e.get("updated_parsed")),
                published_source="feed")
    if page.published is None:
        page.published_source = None
    summary = e.get("summary") or ""
    if len(content) > limit or len(summary) > limit:
        return _reject(uref, "too_large", f"entry over {limit} characters")
    if content.strip():
        page.html = _wrap(content, page.title)
    elif link:
        page.needs_fetch = True
    elif summary.strip():
        page.html = _wrap(summary, page.title)
    else:
        detail = "entry has no content and no link"
        if raw_link:
            detail = f"entry has no content and no http(s) link ({str(raw_link)[:200]!r})"
        return _reject(uref, "feed_entry_empty", detail)
    return page


def _wrap(fragment: str, title: str | None) -> str:
    """Feed content is an HTML fragment; give the extractor a whole document."""
    from html import escape
    head = f"<title>{escape(title)}</title>" if title else ""
    return f"<html><head>{head}</head><body><article>{fragment}</article></body></html>"


def _json_feed(ref, text, config, base_url):
    try:
        doc = json.loads(text)
    except (ValueError, RecursionError) as e:
        yield _reject(ref, "feed_malformed", f"JSON Feed: {e}"[:300])
        return
    if not isinstance(doc, dict) or "jsonfeed.org/version" not in str(doc.get("version", "")):
        yield _reject(ref, "feed_malformed", "JSON document is not a JSON Feed")
        return
    items = doc.get("items") if isinstance(doc.get("items"), list) else []
    if not items:
        yield _reject(ref, "feed_empty", "JSON Feed has no items")
        return
    home = _http_link(doc.get("home_page_url"), base_url) or _http_link(base_url, None)
    refs = _Refs(ref)
    limit = _max_record(config)
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            yield _reject(refs(f"item-{i + 1}"), "feed_malformed", "item is not an object")
            continue
        link = _http_link(item.get("url"), home)
        iid = item.get("id")
        uref = refs(iid if isinstance(iid, (str, int)) and str(iid) else link or f"item-{i + 1}")
        if any(isinstance(item.get(k), str) and len(item[k]) > limit for k in ("content_html", "content_text")):
            yield _reject(uref, "too_large", f"item over {limit} characters")
            continue
        authors = [a.get("name") for a in item.get("authors") or [] if isinstance(a, dict) and a.get("name")]
        pub = item.get("date_published") if isinstance(item.get("date_published"), str) else None
        title = doc.get("title") if isinstance(doc.get("title"), str) else None
        page = Page(input_ref=uref, source_kind="feed", url=link, source=source_of(link) or source_of(home) or title,
                    title=item.get("title") if isinstance(item.get("title"), str) else None,
                    authors=authors, published=pub, published_source="feed" if pub else None)
        if isinstance(item.get("content_html"), str) and item["content_html"].strip():
            page.html = _wrap(item["content_html"], page.title)
        elif isinstance(item.get("content_text"), str) and item["content_text"].strip():
            page.text = item["content_text"]
        elif link:
            page.needs_fetch = True
        else:
            yield _reject(uref, "feed_entry_empty", "item has no content and no url")
            continue
        yield page


def opml_feeds(data: bytes) -> list[str] | None:
    """xmlUrl of every outline, or None when the document is not readable OPML."""
    if unsafe_xml(data):
        return None
    import xml.etree.ElementTree as ET
    try:
        root = ET.fromstring(data)
    except ET.ParseError:
        return None
    if root.tag.lower() != "opml":
        return None
    urls = []
    for node in root.iter("outline"):
        url = node.get("xmlUrl") or node.get("xmlurl")
        if url and url not in urls:
            urls.append(url.strip())
    return urls
