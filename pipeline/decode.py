"""Bytes -> text for pages, scrapes and feeds: BOM, then UTF-8, then declared, then detection.

UTF-8 is tried before a declared charset because valid multi-byte UTF-8 almost never
happens by chance, while "windows-1252" pages served as UTF-8 (and the reverse) are
common: this order decodes both mislabellings correctly.  A document that is UTF-8 but
for a few stray legacy bytes (pasted from an older system) stays UTF-8, and only the
stray bytes are read as windows-1252.  As browsers do, a declared ISO-8859-1 or
US-ASCII is read as windows-1252 (its superset), and when detection cannot tell
windows-1252 from a close relative (windows-1250, -1257) the most common one wins.
"""
from __future__ import annotations

import codecs
import re

import charset_normalizer

_META = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
# A valid UTF-8 multi-byte sequence (no overlongs, no surrogates is close enough here).
_UTF8_SEQ = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_HIGH = re.compile(rb"[\x80-\xff]")
# Labels that browsers decode as windows-1252 (WHATWG Encoding Standard).
_AS_CP1252 = {"ascii", "iso8859-1", "latin-1", "cp1252"}
_WIDE = ("utf-16", "utf-32", "utf_16", "utf_32")


def charset_of(content_type: str) -> str | None:
    """The charset parameter of a Content-Type header, lower-cased, or None."""
    for part in content_type.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            return value.strip().strip("\"'").lower()
    return None


class DecodeError(ValueError):
    pass


def _stray_as_cp1252(err: UnicodeDecodeError):
    bad = err.object[err.start:err.end]
    return bad.decode("cp1252", "replace"), err.end


codecs.register_error("newsbeam.cp1252", _stray_as_cp1252)


def _known(name: str | None) -> str | None:
    if not name:
        return None
    try:
        enc = codecs.lookup(name).name
    except LookupError:
        return None
    return "cp1252" if enc in _AS_CP1252 else enc


def looks_binary(data: bytes) -> bool:
    """NUL bytes or mostly control characters in the first 8 KiB: not a text document."""
    head = data[:8192]
    if not head:
        return False
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return controls > len(head) * 0.05


def _mostly_utf8(data: bytes) -> bool:
    """Invalid as UTF-8, but nearly all its non-ASCII bytes form valid UTF-8 sequences."""
    sample = data[:1_000_000]
    high = len(_HIGH.findall(sample))
    if not high:
        return False
    in_seqs = sum(len(m) for m in _UTF8_SEQ.findall(sample))
    return in_seqs > 0 and (high - in_seqs) * 4 <= in_seqs


def _detect(data: bytes) -> str | None:
    sample = data[:200_000]
    matches = [m for m in charset_normalizer.from_bytes(sample)
               if m.encoding and not m.encoding.startswith(_WIDE)]   # no NULs: not UTF-16/32
    if not matches:
        return None
    best = matches[0]
    for m in matches:
        if "cp1252" in (m.could_be_from_charset or [m.encoding]) and m.chaos <= best.chaos + 0.02 and m.coherence >= best.coherence - 0.06:
            return "cp1252"
    return best.encoding


def decode(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Return (text, encoding used). Raises DecodeError for binary content."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(enc, "replace"), enc
    declared_enc = _known(declared)
    if declared_enc and declared_enc.startswith(_WIDE) and b"\x00" in data[:8192]:
        try:
            text = data.decode(declared_enc)
            if not looks_binary(text.encode("utf-8")):
                return text, declared_enc
        except UnicodeDecodeError:
            pass
    if looks_binary(data):
        raise DecodeError("binary content")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if _mostly_utf8(data):
        return data.decode("utf-8", "newsbeam.cp1252"), "utf-8"
    m = _META.search(data[:4096])
    for enc in (declared_enc, _known(m.group(1).decode("ascii", "ignore")) if m else None):
        if enc and enc != "utf-8" and not enc.startswith(_WIDE):
            try:
                return data.decode(enc), enc
            except (UnicodeDecodeError, LookupError):
                pass
    enc = _detect(data)
    if enc:
        try:
            return data.decode(enc, "replace"), enc
        except LookupError:
            pass
    return data.decode("cp1252", "replace"), "cp1252"
