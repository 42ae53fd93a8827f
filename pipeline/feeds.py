"""RSS/Atom/RDF (feedparser), JSON Feed and OPML -> feed-entry units.

An entry with full content (content:encoded, Atom content) becomes a Page with that
HTML; an entry with only a link becomes a Page that the Fetch step downloads.
Documents that declare XML entities are refused before any parser sees them: entity
expansion ("billion laughs") and external entities have no place in a news feed.
"""
from __future__ import annotations

import calendar
import datetime as dt
import json
import re
from urllib.parse import urljoin

import feedparser

from pipeline.model import Page, Reject
from transforms.ids import source_of

_ENTITY_DECL = re.compile(rb"<!ENTITY", re.I)
_DOCTYPE = re.compile(rb"<!DOCTYPE", re.I)


def _reject(ref, reason, detail=""):
    return Reject(ref, "feed", "read", reason, detail, None, dt.datetime.now(dt.timezone.utc))


def unsafe_xml(data: bytes) -> bool:
    head = data[:65536]
    return bool(_DOCTYPE.search(head) and _ENTITY_DECL.search(data))


def _iso(struct) -> str | None:
    if not struct:
        return None
    try:
        return dt.datetime.fromtimestamp(calendar.timegm(struct), dt.timezone.utc).isoformat()
    except (OverflowError, ValueError, TypeError):
        return None


def parse_feed(ref: str, data: bytes, config, base_url: str | None = None):
    if not data.strip():
        yield _reject(ref, "feed_empty", "empty document")
        return
    if unsafe_xml(data):
        yield _reject(ref, "feed_unsafe_xml", "document declares XML entities")
        return
    stripped = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"{"):
        yield from _json_feed(ref, stripped, config, base_url)
        return
    try:
        parsed = feedparser.parse(data, resolve_relative_uris=True, sanitize_html=False,
                                  response_headers={"content-location": base_url or ""})
    except Exception as e:  # feedparser is lenient, but never let it take the run down
        yield _reject(ref, "feed_malformed", f"{type(e).__name__}: {e}"[:300])
        return
    version = parsed.get("version") or ""
    entries = parsed.get("entries") or []
    if not entries:
        if parsed.get("bozo") and not version:
            exc = parsed.get("bozo_exception")
            yield _reject(ref, "feed_malformed", f"not a feed: {exc}"[:300])
        elif not version:
            yield _reject(ref, "feed_malformed", "not a feed (no RSS/Atom/RDF root)")
        else:
            yield _reject(ref, "feed_empty", f"{version} feed has no entries")
        return
    feed_link = parsed.feed.get("link") or base_url
    feed_title = parsed.feed.get("title")
    for i, e in enumerate(entries):
        content = ""
        for c in e.get("content") or []:
            if (c.get("value") or "").strip():
                content = c["value"]
                break
        link = e.get("link")
        if link and feed_link and not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", link):
            link = urljoin(feed_link, link)
        eid = e.get("id") or link or f"entry-{i + 1}"
        uref = f"{ref}#{eid}"
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
        if content.strip():
            page.html = _wrap(content, page.title)
        elif link:
            page.needs_fetch = True
        elif (e.get("summary") or "").strip():
            page.html = _wrap(e["summary"], page.title)
        else:
            yield _reject(uref, "feed_entry_empty", "entry has no content and no link")
            continue
        yield page


def _wrap(fragment: str, title: str | None) -> str:
    """Feed content is an HTML fragment; give the extractor a whole document."""
    from html import escape
    head = f"<title>{escape(title)}</title>" if title else ""
    return f"<html><head>{head}</head><body><article>{fragment}</article></body></html>"


def _json_feed(ref, data, config, base_url):
    try:
        doc = json.loads(data)
    except ValueError as e:
        yield _reject(ref, "feed_malformed", f"JSON Feed: {e}"[:300])
        return
    if not isinstance(doc, dict) or "jsonfeed.org/version" not in str(doc.get("version", "")):
        yield _reject(ref, "feed_malformed", "JSON document is not a JSON Feed")
        return
    items = doc.get("items") if isinstance(doc.get("items"), list) else []
    if not items:
        yield _reject(ref, "feed_empty", "JSON Feed has no items")
        return
    home = doc.get("home_page_url") or base_url
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            yield _reject(f"{ref}#item-{i + 1}", "feed_malformed", "item is not an object")
            continue
        link = item.get("url") if isinstance(item.get("url"), str) else None
        if link and home:
            link = urljoin(home, link)
        uref = f"{ref}#{item.get('id') or link or f'item-{i + 1}'}"
        authors = [a.get("name") for a in item.get("authors") or [] if isinstance(a, dict) and a.get("name")]
        pub = item.get("date_published") if isinstance(item.get("date_published"), str) else None
        page = Page(input_ref=uref, source_kind="feed", url=link, source=source_of(link) or doc.get("title"),
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
