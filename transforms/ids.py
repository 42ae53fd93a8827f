"""Stable identifiers: canonical URL, article id, content hash."""
from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import urlsplit, urlunsplit

import courlan

_WS = re.compile(r"\s+")


def canonical_url(url: str | None) -> str | None:
    """Scheme/host lower-cased, default port, tracking parameters and fragment removed.

    courlan drops utm_*, fbclid, gclid and friends and sorts the query; the fragment
    never names a different article, so it goes too.
    """
    if not url or not isinstance(url, str):
        return None
    url = url.strip()
    try:
        norm = courlan.normalize_url(url, strict=False)
    except Exception:  # courlan raises on odd inputs; fall back to the URL as given
        norm = url
    try:
        parts = urlsplit(norm)
    except ValueError:
        return norm
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", parts.query, ""))


def source_of(url: str | None) -> str | None:
    """Publisher domain without a leading www."""
    if not url:
        return None
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return None
    host = host.lower()
    return host[4:] if host.startswith("www.") else (host or None)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def content_hash(body: str) -> str:
    """Hash of the body with case, Unicode form and white space folded."""
    folded = _WS.sub(" ", unicodedata.normalize("NFKC", body or "")).strip().casefold()
    return _digest(folded)


def article_id(canonical: str | None, body: str) -> str:
    """Hash of the canonical URL, or of the content when there is no URL."""
    if canonical:
        return _digest("url:" + canonical)
    return _digest("content:" + content_hash(body))
